//! How text becomes search terms, per language: words split on letters and
//! digits, Chinese segmented with jieba after folding traditional characters
//! to simplified, lower case, accents folded (so "hopital" finds "hôpital"),
//! then a Snowball stemmer for English, Russian, German, French and Spanish.
//! Pages and queries go through the same analyzer of a field, so whatever a
//! page's word becomes, the word typed becomes too.

use jieba_rs::Jieba;
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The analyzers, by the language code they serve; `xx` (every other
/// language, Chinese included) folds but does not stem.
pub const LANGUAGES: [&str; 6] = ["en", "ru", "de", "fr", "es", "xx"];

/// The analyzer's language for a page's language code (`zh`, `ru`, …).
pub fn analyzer_language(lang: Option<&str>) -> &'static str {
    let lang = lang.unwrap_or("").to_ascii_lowercase();
    let short = lang.split(['-', '_']).next().unwrap_or("");
    LANGUAGES.iter().copied().find(|l| *l == short && *l != "xx").unwrap_or("xx")
}

/// The analyzer registered under the name of `lang` (one of [`LANGUAGES`]).
pub fn analyzer(lang: &str, query: bool) -> TextAnalyzer {
    let base = TextAnalyzer::builder(WordTokenizer { query })
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    let stem = match lang {
        "en" => Some(Language::English),
        "ru" => Some(Language::Russian),
        "de" => Some(Language::German),
        "fr" => Some(Language::French),
        "es" => Some(Language::Spanish),
        _ => None,
    };
    match stem {
        Some(l) => base.filter(Stemmer::new(l)).build(),
        None => base.build(),
    }
}

/// Traditional characters with their simplified forms (`data/han_folding.tsv`).
fn folding() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../../data/han_folding.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cells = l.split('\t').map(|c| c.chars().next());
                Some((cells.next()??, cells.next()??))
            })
            .collect()
    })
}

/// `c` in simplified form, `ё` as `е`: one character for another of the same
/// UTF-8 length, so byte offsets into the text never move.
pub fn fold_char(c: char) -> char {
    match c {
        'ё' => 'е',
        'Ё' => 'Е',
        // Only Chinese characters fold: every other one skips the table.
        _ if is_han(c) => folding().get(&c).copied().unwrap_or(c),
        _ => c,
    }
}

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Whether `c` is a Chinese character (CJK unified ideographs and extension A).
pub fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c) || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Splits text into words; a run of Chinese characters into jieba's words.
/// Indexing (`query: false`) also gives every two-character part of a
/// longer Chinese word, at the word's position, so 医院 finds 人民医院 even
/// where jieba keeps the name whole.
#[derive(Clone)]
pub struct WordTokenizer {
    query: bool,
}

/// The words of one text, computed at once.
pub struct Words {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = Words;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Words {
        Words {
            tokens: words(text, self.query),
            next: 0,
        }
    }
}

impl TokenStream for Words {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The tokens of `text`, positions counted in words.
fn words(text: &str, query: bool) -> Vec<Token> {
    let folded: String = text.chars().map(fold_char).collect();
    let mut out = Vec::new();
    let mut run: Option<(usize, bool)> = None;
    let mut position = 0;
    for (i, c) in folded.char_indices().chain([(folded.len(), ' ')]) {
        let class = if is_han(c) {
            Some(true)
        } else if is_word_char(c) {
            Some(false)
        } else {
            None
        };
        if let Some((start, han)) = run {
            if class != Some(han) {
                let piece = &folded[start..i];
                if han {
                    han_words(piece, start, query, &mut position, &mut out);
                } else {
                    out.push(token(piece, start, position));
                    position += 1;
                }
                run = None;
            }
        }
        if run.is_none() {
            run = class.map(|han| (i, han));
        }
    }
    out
}

fn token(text: &str, from: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: from + text.len(),
        position,
        text: text.to_string(),
        position_length: 1,
    }
}

/// jieba's words of a run of Chinese characters starting at byte `start`.
fn han_words(run: &str, start: usize, query: bool, position: &mut usize, out: &mut Vec<Token>) {
    for w in jieba().cut(run, false) {
        let from = start + w.byte_start;
        out.push(token(w.word, from, *position));
        let chars: Vec<(usize, char)> = w.word.char_indices().collect();
        if !query && chars.len() > 2 {
            for pair in chars.windows(2) {
                let (a, b) = (pair[0].0, pair[1].0 + pair[1].1.len_utf8());
                out.push(token(&w.word[a..b], from + a, *position));
            }
        }
        *position += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{analyzer, analyzer_language, fold_char, folding};
    use tantivy::tokenizer::TokenStream;

    fn terms(lang: &str, query: bool, text: &str) -> Vec<String> {
        let mut a = analyzer(lang, query);
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn folding_table_maps_one_character_to_one_of_the_same_length() {
        assert!(folding().len() > 500);
        for (t, s) in folding() {
            assert_eq!(t.len_utf8(), s.len_utf8(), "{t} → {s}");
            assert!(!folding().contains_key(s), "{s} is folded again");
            assert!(super::is_han(*t), "{t} is outside the Chinese characters fold_char looks up");
        }
        assert_eq!(fold_char('醫'), '医');
        assert_eq!(fold_char('ё'), 'е');
    }

    #[test]
    fn traditional_and_simplified_give_the_same_terms() {
        assert_eq!(terms("xx", true, "醫院"), terms("xx", true, "医院"));
        assert_eq!(terms("xx", true, "醫院"), vec!["医院"]);
    }

    #[test]
    fn long_chinese_words_also_index_their_character_pairs() {
        let indexed = terms("xx", false, "江城人民医院");
        assert!(indexed.contains(&"医院".to_string()), "{indexed:?}");
        assert!(!terms("xx", true, "江城人民医院").contains(&"民医".to_string()));
    }

    #[test]
    fn stemming_and_accents_meet_in_the_middle() {
        assert_eq!(terms("ru", true, "больница"), terms("ru", true, "больницы"));
        assert_eq!(terms("fr", true, "hopital"), terms("fr", true, "Hôpital"));
        assert_eq!(terms("fr", true, "universite"), terms("fr", true, "Université"));
        assert_eq!(terms("de", true, "Krankenhäuser"), terms("de", true, "krankenhauser"));
        assert_eq!(terms("en", true, "hospitals"), terms("en", true, "hospital"));
        assert_eq!(terms("es", true, "hospitales"), terms("es", true, "hospital"));
    }

    #[test]
    fn languages_fall_back_to_the_unstemmed_analyzer() {
        assert_eq!(analyzer_language(Some("ru")), "ru");
        assert_eq!(analyzer_language(Some("zh-Hant")), "xx");
        assert_eq!(analyzer_language(None), "xx");
    }
}
