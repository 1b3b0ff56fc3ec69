//! The answers of recent searches, kept until the index changes: a person
//! paging back, a filter chip removed again, or many people opening the
//! same popular search cost one search, not one each. An answer is only
//! ever served for the index generation it was computed on, so a committed
//! batch or a curation is seen by the very next search.

use crate::SearchResults;
use std::collections::HashMap;
use std::sync::Mutex;

/// Most answers kept.
const MOST_ANSWERS: usize = 2048;
/// Most bytes of text (titles, snippets, facet values) kept in all.
const MOST_BYTES: usize = 32 << 20;

/// Recent answers, for one index.
#[derive(Default)]
pub struct RecentAnswers {
    inner: Mutex<Answers>,
}

#[derive(Default)]
struct Answers {
    /// The index generation every kept answer was computed on.
    generation: u64,
    /// Each answer by its query's key, with its size and when it was last used.
    by_key: HashMap<String, Kept>,
    bytes: usize,
    clock: u64,
}

struct Kept {
    results: SearchResults,
    bytes: usize,
    used: u64,
}

impl RecentAnswers {
    /// The answer kept for `key` on index generation `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<SearchResults> {
        let mut a = self.inner.lock().ok()?;
        if a.generation != generation {
            return None;
        }
        a.clock += 1;
        let now = a.clock;
        let kept = a.by_key.get_mut(key)?;
        kept.used = now;
        Some(kept.results.clone())
    }

    /// Keeps `results` as the answer to `key` on `generation`, forgetting
    /// every answer of an older generation and, past the bounds, the least
    /// recently used ones.
    pub fn put(&self, generation: u64, key: String, results: &SearchResults) {
        let Ok(mut a) = self.inner.lock() else { return };
        if a.generation != generation {
            a.by_key.clear();
            a.bytes = 0;
            a.generation = generation;
        }
        let bytes = size(results);
        if bytes > MOST_BYTES / 16 {
            return;
        }
        while !a.by_key.is_empty() && (a.by_key.len() >= MOST_ANSWERS || a.bytes + bytes > MOST_BYTES) {
            a.forget_least_recent();
        }
        a.clock += 1;
        let used = a.clock;
        let replaced = a.by_key.insert(
            key,
            Kept {
                results: results.clone(),
                bytes,
                used,
            },
        );
        a.bytes = a.bytes + bytes - replaced.map_or(0, |k| k.bytes);
    }
}

impl Answers {
    fn forget_least_recent(&mut self) {
        let oldest = self.by_key.iter().min_by_key(|(_, k)| k.used).map(|(key, _)| key.clone());
        if let Some(kept) = oldest.and_then(|key| self.by_key.remove(&key)) {
            self.bytes -= kept.bytes;
        }
    }
}

/// About how many bytes an answer holds.
fn size(r: &SearchResults) -> usize {
    let hits: usize = r
        .hits
        .iter()
        .map(|h| 64 + h.kind.len() + h.title.len() + h.snippet.len() + h.country.as_ref().map_or(0, String::len) + 8)
        .sum();
    let facets: usize = r.facets.values().flatten().map(|(v, _)| 32 + v.len()).sum();
    128 + hits + facets
}

#[cfg(test)]
mod tests {
    use super::{RecentAnswers, MOST_ANSWERS};
    use crate::SearchResults;

    fn answer(total: usize) -> SearchResults {
        SearchResults {
            total,
            ..Default::default()
        }
    }

    #[test]
    fn an_answer_is_kept_for_its_generation_only() {
        let recent = RecentAnswers::default();
        recent.put(1, "hospital".into(), &answer(7));
        assert_eq!(recent.get(1, "hospital").map(|r| r.total), Some(7));
        assert!(recent.get(1, "clinic").is_none());
        assert!(recent.get(2, "hospital").is_none(), "a newer index must be searched again");
        recent.put(2, "clinic".into(), &answer(3));
        assert!(recent.get(1, "hospital").is_none(), "older answers are forgotten");
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let recent = RecentAnswers::default();
        for i in 0..MOST_ANSWERS {
            recent.put(1, format!("q{i}"), &answer(i));
        }
        assert!(recent.get(1, "q0").is_some());
        recent.put(1, "new".into(), &answer(0));
        assert!(recent.get(1, "q0").is_some(), "q0 was just used");
        assert!(recent.get(1, "q1").is_none(), "q1 was the least recently used");
        assert!(recent.get(1, "new").is_some());
    }
}
