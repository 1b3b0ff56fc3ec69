//! A person's query against the index: words and "quoted phrases", each
//! analysed by every language's analyzer and required (in the title or the
//! body, of any language); filters on facets; BM25 blended with recency;
//! exact totals and facet counts over every match; any page of results.

use super::analysis::{analyzer, is_han, LANGUAGES};
use super::{Fields, SearchIndex};
use crate::{SearchHit, SearchQuery, SearchResults};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

/// The longest query read, in characters (the server refuses longer ones
/// before they reach the registry, with the same bound).
pub const MAX_QUERY_CHARS: usize = 200;
/// The most different words (or phrases) a query may hold; repeated words
/// count once.
pub const MAX_QUERY_WORDS: usize = 12;
/// The facets counted, in the names the pages and the API use.
const FACETS: [&str; 6] = ["kind", "type", "country", "year", "lang", "field"];

/// The words and "quoted phrases" of `q`, each once (case aside), at most
/// [`MAX_QUERY_WORDS`]. A unit analysed into several terms is a phrase.
fn units(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        let phrase = i % 2 == 1;
        let pieces: Vec<&str> = if phrase {
            vec![part.trim()]
        } else {
            part.split_whitespace().collect()
        };
        for text in pieces.into_iter().filter(|t| !t.is_empty()) {
            if !out.iter().any(|u| u.to_lowercase() == text.to_lowercase()) {
                out.push(text.to_string());
            }
        }
    }
    out.truncate(MAX_QUERY_WORDS);
    out
}

/// The terms `text` becomes in `field` under the query analyzer of `lang`.
fn terms(field: Field, lang: &str, text: &str) -> Vec<Term> {
    let mut a = analyzer(lang, true);
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while tantivy::tokenizer::TokenStream::advance(&mut stream) {
        out.push(Term::from_field_text(field, &tantivy::tokenizer::TokenStream::token(&stream).text));
    }
    out
}

/// One unit in one field: a term, or a phrase of its terms. A Chinese word
/// of three characters or more also matches a page holding all its
/// character pairs, wherever jieba cut the page's words differently.
fn unit_in_field(field: Field, lang: &str, text: &str) -> Option<Box<dyn Query>> {
    let mut ts = terms(field, lang, text);
    match ts.len() {
        0 => None,
        1 => {
            let term = ts.remove(0);
            let word = term.value().as_str().unwrap_or("").to_string();
            let exact: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            let chars: Vec<char> = word.chars().collect();
            if chars.len() < 3 || !chars.iter().all(|c| is_han(*c)) {
                return Some(exact);
            }
            let pairs = chars.windows(2).map(|w| -> (Occur, Box<dyn Query>) {
                let pair: String = w.iter().collect();
                (
                    Occur::Must,
                    Box::new(TermQuery::new(Term::from_field_text(field, &pair), IndexRecordOption::WithFreqs)),
                )
            });
            Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, exact),
                (Occur::Should, Box::new(BooleanQuery::new(pairs.collect()))),
            ])))
        }
        _ => Some(Box::new(PhraseQuery::new(ts))),
    }
}

/// A unit anywhere: the title (weighing twice) or the body, of any language.
fn unit_query(fields: &Fields, unit: &str) -> Option<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (lang, (title, body)) in LANGUAGES.iter().zip(fields.text) {
        if let Some(q) = unit_in_field(title, lang, unit) {
            any.push((Occur::Should, Box::new(BoostQuery::new(q, 2.0))));
        }
        if let Some(q) = unit_in_field(body, lang, unit) {
            any.push((Occur::Should, q));
        }
    }
    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
}

/// The facet filters of a query.
fn filters(q: &SearchQuery) -> Vec<(&'static str, String)> {
    [
        ("kind", &q.kind),
        ("type", &q.subtype),
        ("country", &q.country),
        ("year", &q.year),
        ("lang", &q.lang),
        ("field", &q.field),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (name, v)))
    .map(|(name, v)| {
        let v = match name {
            "country" => v.to_ascii_uppercase(),
            "type" | "field" | "kind" => v.to_lowercase(),
            _ => v.to_string(),
        };
        (name, v)
    })
    .collect()
}

/// The whole query, or `None` when it asks for nothing.
fn build(fields: &Fields, q: &SearchQuery) -> Option<Box<dyn Query>> {
    let units = units(&q.q);
    let filters = filters(q);
    if units.is_empty() && filters.is_empty() {
        return None;
    }
    let mut all: Vec<(Occur, Box<dyn Query>)> = units
        .iter()
        .filter_map(|u| unit_query(fields, u))
        .map(|q| (Occur::Must, q))
        .collect();
    if all.is_empty() && !units.is_empty() && filters.is_empty() {
        return None;
    }
    if all.is_empty() {
        all.push((Occur::Must, Box::new(AllQuery)));
    }
    for (name, value) in filters {
        let term = Term::from_facet(fields.facets, &Facet::from_path([name, value.as_str()]));
        all.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    Some(Box::new(BooleanQuery::new(all)))
}

/// What makes two queries count the same matches: their words (case
/// aside) and filters.
fn counts_key(q: &SearchQuery) -> String {
    let words: Vec<String> = units(&q.q).iter().map(|u| u.to_lowercase()).collect();
    format!("{words:?} {:?}", filters(q))
}

/// What makes two queries the same question: the same matches (`counts`,
/// their [`counts_key`]), page and day (recency ranks by it).
fn answer_key(counts: &str, q: &SearchQuery, limit: usize, today: i64) -> String {
    format!("{counts} {limit} {} {today}", q.offset.unwrap_or(0))
}

/// Every year (newest first) and the 15 commonest values of each other facet.
fn facet_values(counts: &FacetCounts) -> BTreeMap<String, Vec<(String, usize)>> {
    FACETS
        .iter()
        .map(|f| {
            let root = Facet::from_path([*f]);
            let mut values: Vec<(String, usize)> = if *f == "year" {
                counts.get(root).map(|(facet, n)| (facet_value(facet), n as usize)).collect()
            } else {
                counts
                    .top_k(root, 15)
                    .into_iter()
                    .map(|(facet, n)| (facet_value(facet), n as usize))
                    .collect()
            };
            if *f == "year" {
                values.sort_by(|a, b| b.0.cmp(&a.0));
            }
            (f.to_string(), values)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The value of a facet: the last part of its path.
fn facet_value(facet: &Facet) -> String {
    facet.to_path().last().map_or_else(String::new, |v| v.to_string())
}

/// Today, in days since 1970-01-01.
fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

/// The relevance blended with recency: up to half again for something of
/// this year, fading over a few years; undated things get a little.
fn blend(score: Score, day: i64, today: i64) -> Score {
    let recency = if day == i64::MIN {
        0.2
    } else {
        let years = ((today - day).max(0) as f32) / 365.25;
        1.0 / (1.0 + years / 3.0)
    };
    // A query without words (filters only) scores every match alike: recency orders them.
    score.max(1e-3) * (1.0 + 0.5 * recency)
}

impl SearchIndex {
    /// Searches, best matches first, with exact totals and facet counts.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let Some(query) = build(&self.fields, q) else {
            return Ok(SearchResults::default());
        };
        let searcher = self.reader.searcher();
        let limit = q.limit.unwrap_or(20).clamp(1, 200);
        let now = today();
        let generation = searcher.generation().generation_id();
        let counts_key = counts_key(q);
        let key = answer_key(&counts_key, q, limit, now);
        if let Some(results) = self.recent.get(generation, &key) {
            return Ok(results);
        }
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset.unwrap_or(0))
            .tweak_score(move |segment: &SegmentReader| {
                let day = segment.fast_fields().i64("day").ok().map(|c| c.first_or_default_col(i64::MIN));
                move |doc: DocId, score: Score| blend(score, day.as_ref().map_or(i64::MIN, |c| c.get_val(doc)), now)
            });
        // Another page of a search just made needs its page only: the total
        // and facet counts are the same for every page.
        let (total, facets, top) = match self.recent_counts.get(generation, &counts_key) {
            Some(counts) => (counts.total, counts.facets, searcher.search(&query, &top)?),
            None => {
                let mut facets = FacetCollector::for_field("facets");
                for f in FACETS {
                    facets.add_facet(Facet::from_path([f]));
                }
                let (total, counts, top) = searcher.search(&query, &(Count, facets, top))?;
                let facets = facet_values(&counts);
                let counts = SearchResults {
                    total,
                    facets,
                    ..SearchResults::default()
                };
                self.recent_counts.put(generation, counts_key, &counts);
                (total, counts.facets, top)
            }
        };
        let hits = self.hits(&searcher, query.as_ref(), &top)?;
        let results = SearchResults {
            total,
            total_is_lower_bound: false,
            hits,
            facets,
        };
        self.recent.put(generation, key, &results);
        Ok(results)
    }

    /// The stored rows of one page of results, with snippets in the analyzer
    /// of each hit's language.
    fn hits(&self, searcher: &Searcher, query: &dyn Query, top: &[(Score, DocAddress)]) -> Result<Vec<SearchHit>> {
        let f = &self.fields;
        let mut generators: HashMap<&str, SnippetGenerator> = HashMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let d: TantivyDocument = searcher.doc(*address)?;
            let text = |field: Field| d.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let lang = super::analysis::analyzer_language(text(f.lang).as_deref());
            let generator = match generators.entry(lang) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let body = f.text[LANGUAGES.iter().position(|l| *l == lang).unwrap_or(5)].1;
                    let mut g = SnippetGenerator::create(searcher, query, body)?;
                    g.set_max_num_chars(160);
                    e.insert(g)
                }
            };
            hits.push(SearchHit {
                kind: text(f.kind).unwrap_or_default(),
                id: d.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or_default(),
                title: text(f.title).unwrap_or_default(),
                snippet: snippet(generator, &text(f.body).unwrap_or_default()),
                country: text(f.country),
                year: text(f.year),
            });
        }
        Ok(hits)
    }
}

/// How much of a body a snippet looks at, in bytes.
const SNIPPET_SCAN: usize = 20_000;
/// The piece of a body tokenized at a time while looking for a snippet:
/// the words found are most often near the start, so most hits cost one
/// piece, not the whole scan.
const SNIPPET_PIECE: usize = 2_000;

/// About 160 characters of `body` around the words found, each word found
/// between U+E000 and U+E001; the body's start when no word is in its
/// first [`SNIPPET_SCAN`] bytes.
fn snippet(generator: &SnippetGenerator, body: &str) -> String {
    let scan = &body[..floor_boundary(body, SNIPPET_SCAN)];
    let found = pieces(scan)
        .map(|piece| generator.snippet(piece))
        .find(|s| !s.highlighted().is_empty());
    let Some(s) = found else {
        let start: String = body.chars().take(160).collect();
        let more = if start.len() < body.len() { "…" } else { "" };
        return format!("{}{more}", start.replace('\n', " "));
    };
    marked(s.fragment(), s.highlighted()).replace('\n', " ")
}

/// `fragment` with each of `ranges` between U+E000 and U+E001; ranges
/// that overlap or touch (a Chinese word and the character pairs indexed
/// inside it) are marked once, as one.
fn marked(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in sorted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for r in merged {
        out.push_str(&fragment[at..r.start]);
        out.push('\u{E000}');
        out.push_str(&fragment[r.clone()]);
        out.push('\u{E001}');
        at = r.end;
    }
    out.push_str(&fragment[at..]);
    out
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut end = text.len().min(at);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// `text` in pieces of about [`SNIPPET_PIECE`] bytes, each ending at a
/// paragraph, sentence or word boundary when one is near, so no word (and
/// rarely a phrase) is cut in two.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = floor_boundary(rest, SNIPPET_PIECE);
        if end < rest.len() {
            let head = &rest[..end];
            let after = |sep: &str| head.rfind(sep).map(|at| at + sep.len());
            let cut = after("\n").or_else(|| after(". ")).or_else(|| after(" ")).or_else(|| after("。"));
            if let Some(cut) = cut.filter(|c| *c > SNIPPET_PIECE / 2) {
                end = cut;
            }
        }
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::{marked, pieces, units, SNIPPET_PIECE};

    #[test]
    fn overlapping_highlights_are_marked_once() {
        // 人民医院 and the pairs 民医, 医院 inside it, as the index holds them.
        let text = "江城人民医院与";
        let (a, b, c) = (6..18, 9..15, 12..18);
        assert_eq!(marked(text, &[a, b, c]), "江城\u{E000}人民医院\u{E001}与");
        assert_eq!(marked("a b c", &[4..5, 0..1]), "\u{E000}a\u{E001} b \u{E000}c\u{E001}");
    }

    #[test]
    fn bodies_are_scanned_in_pieces_that_keep_words_whole() {
        let body = "Der Vertrag wurde unterzeichnet. ".repeat(200) + "Kliniken";
        let parts: Vec<&str> = pieces(&body).collect();
        assert_eq!(parts.concat(), body, "the pieces are the whole text");
        assert!(parts.len() > 2);
        for p in &parts[..parts.len() - 1] {
            assert!(p.len() <= SNIPPET_PIECE && p.ends_with(' '), "{p:?}");
        }
        let han = "医院合作".repeat(400);
        assert_eq!(pieces(&han).collect::<String>(), han, "no boundary: cut between characters");
    }

    #[test]
    fn queries_split_into_words_and_phrases_each_once() {
        let u = units("Hospital \"joint centre\" hospital 医院");
        assert_eq!(u, vec!["Hospital", "joint centre", "医院"]);
        assert_eq!(units(&"w ".repeat(40)).len(), 1);
        let many: String = (0..40).map(|i| format!("w{i} ")).collect();
        assert_eq!(units(&many).len(), super::MAX_QUERY_WORDS);
    }
}
