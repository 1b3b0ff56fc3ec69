//! What one search may ask: a search's cost grows with its words, so a
//! query is checked before it reaches the registry — at most
//! [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_WORDS`] distinct words,
//! no control characters, a sane offset — and repeated words count once.

use crate::errors::Problem;
use accord_store::SearchQuery;
use axum::http::StatusCode;

/// Longest search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Most distinct words in one search.
pub const MAX_QUERY_WORDS: usize = 12;

/// The query with its words deduplicated (case-insensitively, first
/// spelling kept), or a 400 saying what to change.
pub fn search_query(mut query: SearchQuery) -> Result<SearchQuery, Problem> {
    let bad = |message: String| Problem(StatusCode::BAD_REQUEST, message);
    if query.q.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(bad("A search cannot contain control characters (such as NUL); remove them.".into()));
    }
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(bad(format!(
            "A search may be at most {MAX_QUERY_CHARS} characters long; shorten it."
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let words: Vec<&str> = query.q.split_whitespace().filter(|w| seen.insert(w.to_lowercase())).collect();
    if words.len() > MAX_QUERY_WORDS {
        return Err(bad(format!(
            "A search may have at most {MAX_QUERY_WORDS} different words; this one has {}. Keep the most telling ones.",
            words.len()
        )));
    }
    if query.offset.is_some_and(|o| o > accord_store::MAX_OFFSET) {
        return Err(bad(format!("Query parameter offset: at most {}.", accord_store::MAX_OFFSET)));
    }
    query.q = words.join(" ");
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> SearchQuery {
        SearchQuery {
            q: text.into(),
            ..SearchQuery::default()
        }
    }

    #[test]
    fn repeated_words_count_once_and_too_many_are_refused() {
        assert_eq!(search_query(q("Heart  heart HEART centre")).unwrap().q, "Heart centre");
        assert_eq!(search_query(q(&vec!["hospital"; 22].join(" "))).unwrap().q, "hospital");
        let many: Vec<String> = (0..13).map(|i| format!("w{i}")).collect();
        let refused = search_query(q(&many.join(" "))).unwrap_err();
        assert_eq!(refused.0, StatusCode::BAD_REQUEST);
        assert!(refused.1.contains("at most 12 different words"), "{}", refused.1);
        assert!(search_query(q(&"a".repeat(201))).unwrap_err().1.contains("at most 200 characters"));
        assert!(search_query(q("a\0b")).unwrap_err().1.contains("control characters"));
        let far = SearchQuery {
            offset: Some(usize::MAX),
            ..q("x")
        };
        assert_eq!(search_query(far).unwrap_err().0, StatusCode::BAD_REQUEST);
    }
}
