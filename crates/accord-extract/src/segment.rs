//! Chinese word segmentation (jieba-rs, with its bundled dictionary), so that
//! institution names start and end on word boundaries: "和" inside "共和国"
//! is not a conjunction, "医科大" inside "医科大学" is not a head, and a
//! name does not begin in the middle of the word before it.
//!
//! Only pages with Han characters are segmented; the dictionary loads once.

use crate::text::{is_cjk, Text};
use accord_model::Span;
use jieba_rs::Jieba;
use std::sync::OnceLock;

/// A word of the segmentation: its characters and its part of speech (jieba's tag set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Characters of the word in the document text.
    pub span: Span,
    /// Part-of-speech tag: `n`, `ns`, `nt`, `v`, `p`, `c`, `m`, `x`…
    pub pos: String,
}

/// The words of a document, with a lookup from character to word.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    /// Words in text order, covering every character.
    pub words: Vec<Word>,
    /// For each character, the index of the word holding it.
    word_of: Vec<u32>,
}

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

impl Segmentation {
    /// Segments the text when it holds Han characters; an empty segmentation otherwise.
    pub fn of(text: &Text) -> Segmentation {
        if !text.chars.iter().copied().any(is_cjk) {
            return Segmentation::default();
        }
        let joined: String = text.chars.iter().collect();
        let mut words = Vec::new();
        let mut word_of = Vec::with_capacity(text.chars.len());
        let mut pos = 0;
        for tag in jieba().tag(&joined, true) {
            let n = tag.word.chars().count();
            word_of.extend(std::iter::repeat_n(words.len() as u32, n));
            words.push(Word {
                span: Span::new(pos, pos + n),
                pos: tag.tag.to_string(),
            });
            pos += n;
        }
        Segmentation { words, word_of }
    }

    /// True when the page was segmented.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Index of the word holding character `pos`.
    pub fn word_at(&self, pos: usize) -> Option<usize> {
        self.word_of.get(pos).map(|&w| w as usize)
    }

    /// True when a word starts at `pos` (or the text ends there).
    pub fn is_boundary(&self, pos: usize) -> bool {
        match (pos.checked_sub(1).and_then(|p| self.word_at(p)), self.word_at(pos)) {
            (Some(a), Some(b)) => a != b,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resources;

    fn words(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        let seg = Segmentation::of(&t);
        seg.words.iter().map(|w| t.slice(w.span)).collect()
    }

    #[test]
    fn words_cover_the_text_and_keep_compounds_whole() {
        let w = words("中华人民共和国卫生部部长会见代表团");
        assert_eq!(w.concat(), "中华人民共和国卫生部部长会见代表团");
        assert!(w.contains(&"中华人民共和国".to_string()), "{w:?}");
    }

    #[test]
    fn pages_without_han_are_not_segmented() {
        let res = Resources::get();
        let t = Text::new("A page in English.", &|w| res.is_abbreviation(w));
        assert!(Segmentation::of(&t).is_empty());
    }
}
