//! Lexicons: the data files under `data/`, embedded in the binary, and a
//! phrase matcher that finds their entries in a text.
//!
//! Rules and word lists live in those files, not in code, so that a new
//! language or a missed trigger word is a one-line change reviewed as data.

use crate::text::{is_cjk, Text};
use accord_model::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Rows of a tab-separated data file: comments (`#`) and blank lines skipped.
///
/// Each row is checked to have at least `columns` fields; a malformed row is a
/// bug in the shipped data, caught by the tests, so it panics with the file
/// name and line number.
pub fn rows<'a>(file: &'static str, data: &'a str, columns: usize) -> impl Iterator<Item = Vec<&'a str>> + 'a {
    data.lines().enumerate().filter_map(move |(n, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        assert!(
            fields.len() >= columns && fields[..columns].iter().all(|f| !f.is_empty()),
            "data/{file}:{}: expected {columns} tab-separated fields, found {:?}",
            n + 1,
            line
        );
        Some(fields)
    })
}

/// A fast hasher for short lexicon keys (the multiply-rotate scheme of
/// rustc's FxHash); lexicons are our own data, so hash flooding is moot.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Hash-map builder for lexicon tables.
pub type FastHash = BuildHasherDefault<FxHasher>;
/// A map keyed by lexicon words.
pub type FastMap<K, V> = HashMap<K, V, FastHash>;
/// A set of lexicon words.
pub type FastSet<K> = std::collections::HashSet<K, FastHash>;

/// Finds lexicon phrases in a text, longest match first, on word boundaries
/// (CJK phrases need none), case-insensitively.
pub struct PhraseMatcher<T> {
    automaton: Option<AhoCorasick>,
    values: Vec<T>,
    /// Index of the first value of each phrase, for exact lookups.
    exact: FastMap<String, usize>,
}

/// One occurrence of a lexicon phrase.
#[derive(Debug, Clone, Copy)]
pub struct PhraseHit<'a, T> {
    /// Characters matched.
    pub span: Span,
    /// The entry's value.
    pub value: &'a T,
}

impl<T> PhraseMatcher<T> {
    /// Builds a matcher from phrases and their values; phrases are lower-cased.
    pub fn new(entries: impl IntoIterator<Item = (String, T)>) -> PhraseMatcher<T> {
        let (patterns, values): (Vec<String>, Vec<T>) = entries
            .into_iter()
            .map(|(p, v)| {
                (
                    p.chars()
                        .map(|c| crate::text::normalize_char(c).to_lowercase().next().unwrap_or(c))
                        .collect(),
                    v,
                )
            })
            .filter(|(p, _): &(String, T)| !p.is_empty())
            .unzip();
        let mut exact = FastMap::with_capacity_and_hasher(patterns.len(), FastHash::default());
        for (i, p) in patterns.iter().enumerate() {
            exact.entry(p.clone()).or_insert(i);
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("lexicon phrases build an automaton")
        });
        PhraseMatcher { automaton, values, exact }
    }

    /// All non-overlapping hits in the text, left to right.
    pub fn find<'s>(&'s self, text: &Text) -> Vec<PhraseHit<'s, T>> {
        self.find_in(text, Span::new(0, text.len()))
    }

    /// Hits inside a span of the text.
    pub fn find_in<'s>(&'s self, text: &Text, within: Span) -> Vec<PhraseHit<'s, T>> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let from = byte_of_char(text, within.start);
        let to = byte_of_char(text, within.end);
        let hay = &text.lower[from..to];
        let mut out = Vec::new();
        for m in ac.find_iter(hay) {
            let start = text.char_of_lower_byte(from + m.start());
            let end = text.char_of_lower_byte(from + m.end());
            if on_word_boundaries(text, start, end) {
                out.push(PhraseHit {
                    span: Span::new(start, end),
                    value: &self.values[m.pattern().as_usize()],
                });
            }
        }
        out
    }

    /// The hit that covers exactly this span, if the span is a lexicon phrase.
    pub fn exact(&self, text: &Text, span: Span) -> Option<&T> {
        let want = text.lower_slice(span);
        self.exact.get(want).map(|&i| &self.values[i])
    }

    /// The value of a lower-case string that is exactly one of the phrases.
    pub fn get(&self, lower: &str) -> Option<&T> {
        self.exact.get(lower).map(|&i| &self.values[i])
    }

    /// True when a lower-case string is exactly one of the phrases.
    pub fn exact_str(&self, lower: &str) -> bool {
        self.exact.contains_key(lower)
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the matcher has no phrase.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

fn byte_of_char(text: &Text, pos: usize) -> usize {
    text.lower_byte_of_char(pos)
}

fn on_word_boundaries(text: &Text, start: usize, end: usize) -> bool {
    let chars = &text.chars;
    let word = |c: char| c.is_alphanumeric() && !is_cjk(c);
    let left_ok = start == 0 || !word(chars[start]) || !word(chars[start - 1]);
    let right_ok = end >= chars.len() || !word(chars[end - 1]) || !word(chars[end]);
    left_ok && right_ok
}

impl Text {
    /// The lower-cased characters of a span.
    pub fn lower_slice(&self, span: Span) -> &str {
        &self.lower[self.lower_byte_of_char(span.start)..self.lower_byte_of_char(span.end)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_on_word_boundaries_longest_first() {
        let m = PhraseMatcher::new([
            ("oncology".to_string(), 1),
            ("radiation oncology".to_string(), 2),
            ("肿瘤".to_string(), 3),
        ]);
        let t = Text::new("Radiation Oncology and neuro-oncology; radiooncology 肿瘤科", &|_| false);
        let hits: Vec<(String, i32)> = m.find(&t).iter().map(|h| (t.slice(h.span), *h.value)).collect();
        assert_eq!(
            hits,
            [
                ("Radiation Oncology".to_string(), 2),
                ("oncology".to_string(), 1),
                ("肿瘤".to_string(), 3)
            ]
        );
    }

    #[test]
    fn rows_skip_comments() {
        let data = "# c\n\na\tb\n";
        assert_eq!(rows("t", data, 2).collect::<Vec<_>>(), vec![vec!["a", "b"]]);
    }
}
