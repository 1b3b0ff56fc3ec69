//! The text layer of a document: characters normalised for matching without
//! moving them, tokens, lines and sentences.
//!
//! Normalisation is strictly one character for one character (a non-breaking
//! space becomes a space, a full-width letter its ASCII twin, a curly quote a
//! straight one), so an offset into the normalised text is an offset into the
//! text read, and every span found by matching maps back to the exact original
//! characters.

use accord_model::Span;

/// Maps one character to its matching form, keeping offsets unchanged.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}' | '\t' | '\r' => ' ',
        '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}' => '\n',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' | '\u{300C}' | '\u{300D}' | '\u{300E}'
        | '\u{300F}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{00AD}' => '-',
        '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '–',
        '\u{3001}' => ',',
        '\u{3002}' => '.',
        '\u{FF61}' => '.',
        _ => c,
    }
}

/// Latin letters that look like Cyrillic ones, and their Cyrillic twins.
const HOMOGLYPHS: &[(char, char)] = &[
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
];

/// Replaces Latin look-alike letters inside Cyrillic words ("cоглашение"
/// typed with a Latin "c"), one character for one.
fn fold_mixed_script_words(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].is_alphabetic() {
            start += 1;
            continue;
        }
        let end = chars[start..]
            .iter()
            .position(|c| !c.is_alphabetic())
            .map_or(chars.len(), |p| start + p);
        let word = &mut chars[start..end];
        if word.iter().any(|&c| is_cyrillic(c)) && word.iter().any(|c| c.is_ascii_alphabetic()) {
            for c in word.iter_mut() {
                if let Some((_, cyr)) = HOMOGLYPHS.iter().find(|(lat, _)| lat == c) {
                    *c = *cyr;
                }
            }
        }
        start = end;
    }
}

/// True for characters of the Han, kana and hangul scripts, which are
/// written without spaces and tokenised one character at a time.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// True for Cyrillic letters.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x052F)
}

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with inner hyphens, apostrophes and digits).
    Word,
    /// A run of ASCII digits.
    Number,
    /// One CJK character.
    Cjk,
    /// Any other single character.
    Punct,
}

/// A token of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Characters covered.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
    /// White space separates it from the previous token.
    pub space_before: bool,
    /// Newlines between it and the previous token (capped at 2).
    pub newlines_before: u8,
}

/// A sentence (or heading, or list item) of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Characters covered, trimmed of white space.
    pub span: Span,
    /// Index of its first token.
    pub first_token: usize,
    /// One past the index of its last token.
    pub end_token: usize,
    /// Index of the paragraph it belongs to.
    pub paragraph: usize,
}

/// The normalised text with its tokens, ready for the pipeline's components.
#[derive(Debug, Clone)]
pub struct Text {
    /// The characters as read.
    pub original: Vec<char>,
    /// The characters normalised for matching (same length as `original`).
    pub chars: Vec<char>,
    /// Lower-cased normalised text, for lexicon matching.
    pub lower: String,
    /// Character index of each byte of `lower` (valid at char boundaries).
    lower_char_of_byte: Vec<u32>,
    /// Byte offset in `lower` of each character (plus one past the end).
    lower_byte_of_char: Vec<u32>,
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Offset of every line break, in order: lines are found by binary search.
    line_breaks: Vec<usize>,
}

impl Text {
    /// Builds the text layer from the text read.
    pub fn new(read: &str, abbreviations: &dyn Fn(&str) -> bool) -> Text {
        let original: Vec<char> = read.chars().collect();
        let mut chars: Vec<char> = original.iter().map(|&c| normalize_char(c)).collect();
        fold_mixed_script_words(&mut chars);
        let mut lower = String::with_capacity(read.len());
        let mut lower_char_of_byte = Vec::with_capacity(read.len() + 1);
        let mut lower_byte_of_char = Vec::with_capacity(chars.len() + 1);
        for (i, &c) in chars.iter().enumerate() {
            let l = c.to_lowercase().next().unwrap_or(c);
            lower_byte_of_char.push(lower.len() as u32);
            for _ in 0..l.len_utf8() {
                lower_char_of_byte.push(i as u32);
            }
            lower.push(l);
        }
        lower_char_of_byte.push(chars.len() as u32);
        lower_byte_of_char.push(lower.len() as u32);
        let tokens = tokenize(&chars);
        let line_breaks = chars.iter().enumerate().filter(|(_, &c)| c == '\n').map(|(i, _)| i).collect();
        let mut text = Text {
            original,
            chars,
            lower,
            lower_char_of_byte,
            lower_byte_of_char,
            tokens,
            sentences: Vec::new(),
            line_breaks,
        };
        text.sentences = split_sentences(&text, abbreviations);
        text
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// True for an empty text.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Character offset of a byte offset into `lower`.
    pub fn char_of_lower_byte(&self, byte: usize) -> usize {
        self.lower_char_of_byte[byte] as usize
    }

    /// Byte offset into `lower` of a character offset.
    pub fn lower_byte_of_char(&self, pos: usize) -> usize {
        self.lower_byte_of_char[pos] as usize
    }

    /// The normalised characters of a span, as a string.
    pub fn slice(&self, span: Span) -> String {
        self.chars[span.start..span.end].iter().collect()
    }

    /// The original characters of a span, as a string: what evidence quotes.
    pub fn original_slice(&self, span: Span) -> String {
        self.original[span.start..span.end].iter().collect()
    }

    /// The normalised text of a token.
    pub fn tok(&self, i: usize) -> String {
        self.slice(self.tokens[i].span)
    }

    /// The first character of a token.
    pub fn first_char(&self, i: usize) -> char {
        self.chars[self.tokens[i].span.start]
    }

    /// True when token `i` is the single punctuation character `c`.
    pub fn is_punct(&self, i: usize, c: char) -> bool {
        let t = &self.tokens[i];
        t.kind == TokenKind::Punct && self.chars[t.span.start] == c
    }

    /// True when the token is a word starting with an upper-case letter.
    pub fn is_capitalized(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        t.kind == TokenKind::Word && self.chars[t.span.start].is_uppercase()
    }

    /// True when the word has at least two letters, all upper case.
    pub fn is_all_caps(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        if t.kind != TokenKind::Word {
            return false;
        }
        let s = &self.chars[t.span.start..t.span.end];
        s.iter().filter(|c| c.is_alphabetic()).count() >= 2 && !s.iter().any(|c| c.is_lowercase())
    }

    /// Index of the first token starting at or after character `pos`.
    pub fn token_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < pos)
    }

    /// Index of the sentence containing character `pos`, if any.
    pub fn sentence_of(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// The span of the line containing character `pos`.
    pub fn line_of(&self, pos: usize) -> Span {
        let next = self.line_breaks.partition_point(|&b| b < pos);
        let start = next.checked_sub(1).map_or(0, |k| self.line_breaks[k] + 1);
        let end = self.line_breaks.get(next).copied().unwrap_or(self.chars.len());
        Span::new(start, end)
    }

    /// Trims white space from both ends of a span.
    pub fn trim(&self, span: Span) -> Span {
        let mut s = span;
        while s.start < s.end && self.chars[s.start].is_whitespace() {
            s.start += 1;
        }
        while s.end > s.start && self.chars[s.end - 1].is_whitespace() {
            s.end -= 1;
        }
        s
    }
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || matches!(c, '\u{0300}'..='\u{036F}')
}

const ELISIONS: &[&str] = &["l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"];

fn tokenize(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(chars.len() / 5);
    let mut i = 0;
    let mut space_before = false;
    let mut newlines: u8 = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            space_before = true;
            if c == '\n' {
                newlines = newlines.saturating_add(1).min(2);
            }
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            TokenKind::Number
        } else if is_cjk(c) {
            i += 1;
            TokenKind::Cjk
        } else if is_word_char(c) {
            i = scan_word(chars, i);
            TokenKind::Word
        } else {
            i += 1;
            TokenKind::Punct
        };
        tokens.push(Token {
            span: Span::new(start, i),
            kind,
            space_before,
            newlines_before: newlines,
        });
        space_before = false;
        newlines = 0;
    }
    tokens
}

/// Scans a word: letters and digits, with single inner hyphens and
/// apostrophes; a French elision ("l'", "d'") ends the word after the apostrophe.
fn scan_word(chars: &[char], start: usize) -> usize {
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if is_word_char(c) {
            i += 1;
        } else if (c == '-' || c == '\'') && i + 1 < chars.len() && is_word_char(chars[i + 1]) && i > start {
            if c == '\'' {
                let before: String = chars[start..i].iter().collect::<String>().to_lowercase();
                if ELISIONS.contains(&before.as_str()) {
                    return i + 1;
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    i
}

const TERMINALS: &[char] = &['.', '!', '?', '。', '！', '？', ';', '；'];

fn split_sentences(text: &Text, abbreviation: &dyn Fn(&str) -> bool) -> Vec<Sentence> {
    let toks = &text.tokens;
    let mut out = Vec::new();
    let mut first = 0;
    let mut paragraph = 0;
    let mut i = 0;
    while i < toks.len() {
        let breaks_before = i > first && line_break_ends_sentence(text, i);
        if breaks_before {
            push_sentence(text, &mut out, first, i, paragraph);
            if toks[i].newlines_before >= 2 {
                paragraph += 1;
            }
            first = i;
        }
        let t = toks[i];
        if t.kind == TokenKind::Punct && TERMINALS.contains(&text.chars[t.span.start]) && !is_non_final_period(text, i, abbreviation) {
            let mut end = i + 1;
            while end < toks.len()
                && toks[end].kind == TokenKind::Punct
                && !toks[end].space_before
                && matches!(text.chars[toks[end].span.start], '"' | '\'' | ')' | '.' | '!' | '?')
            {
                end += 1;
            }
            push_sentence(text, &mut out, first, end, paragraph);
            if end < toks.len() && toks[end].newlines_before >= 2 {
                paragraph += 1;
            }
            first = end;
            i = end;
            continue;
        }
        i += 1;
    }
    if first < toks.len() {
        push_sentence(text, &mut out, first, toks.len(), paragraph);
    }
    out
}

fn push_sentence(text: &Text, out: &mut Vec<Sentence>, first: usize, end: usize, paragraph: usize) {
    if first >= end {
        return;
    }
    let span = Span::new(text.tokens[first].span.start, text.tokens[end - 1].span.end);
    out.push(Sentence {
        span,
        first_token: first,
        end_token: end,
        paragraph,
    });
}

/// A line break ends a sentence unless the next line plainly continues it
/// (starts in lower case after a line that has no final punctuation).
fn line_break_ends_sentence(text: &Text, i: usize) -> bool {
    let t = text.tokens[i];
    if t.newlines_before == 0 {
        return false;
    }
    if t.newlines_before >= 2 {
        return true;
    }
    let prev = text.tokens[i - 1];
    let prev_char = text.chars[prev.span.end - 1];
    let next_char = text.chars[t.span.start];
    let continues = next_char.is_lowercase() && !matches!(prev_char, ':' | '.' | '!' | '?');
    !continues
}

/// A period that does not end a sentence: after an abbreviation, an initial,
/// between digits, or after a day number before a month ("5. Mai").
fn is_non_final_period(text: &Text, i: usize, abbreviation: &dyn Fn(&str) -> bool) -> bool {
    if !text.is_punct(i, '.') || i == 0 || text.original[text.tokens[i].span.start] != '.' {
        return false;
    }
    let prev = text.tokens[i - 1];
    if prev.span.end != text.tokens[i].span.start {
        return false;
    }
    let next = text.tokens.get(i + 1);
    if let Some(n) = next {
        if !n.space_before && n.kind == TokenKind::Number && prev.kind == TokenKind::Number {
            return true;
        }
        if !n.space_before && n.kind != TokenKind::Punct {
            return true;
        }
        if text.chars[n.span.start].is_lowercase() || n.kind == TokenKind::Number && prev.kind == TokenKind::Word {
            return n.newlines_before == 0;
        }
        // "am 5. Mai": a German ordinal day before a month name.
        let ordinal_day = prev.kind == TokenKind::Number && prev.span.len() <= 2;
        if ordinal_day && n.kind == TokenKind::Word && n.newlines_before == 0 && abbreviation(&text.slice(n.span)) {
            return true;
        }
    }
    if prev.kind != TokenKind::Word {
        return false;
    }
    let word = text.slice(prev.span);
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    initial || abbreviation(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::new(s, &|w: &str| matches!(w, "Prof" | "Dr" | "Mr"))
    }

    #[test]
    fn normalisation_keeps_offsets() {
        let t = text("Ｈｏｓｐｉｔａｌ\u{00A0}“A”");
        assert_eq!(t.chars.len(), t.original.len());
        assert_eq!(t.slice(Span::new(0, 8)), "Hospital");
        assert_eq!(t.original_slice(Span::new(0, 8)), "Ｈｏｓｐｉｔａｌ");
        assert_eq!(t.slice(Span::new(8, 12)), " \"A\"");
    }

    #[test]
    fn tokens_keep_hyphenated_words_and_split_elisions() {
        let t = text("Director-General de l'Université, 2019年");
        let words: Vec<String> = (0..t.tokens.len()).map(|i| t.tok(i)).collect();
        assert_eq!(words, ["Director-General", "de", "l'", "Université", ",", "2019", "年"]);
    }

    #[test]
    fn sentences_split_on_terminals_but_not_abbreviations() {
        let t = text("Prof. Li Wei met Dr. M.C. Smith. They signed.\nHeading line\nnext words continue");
        let s: Vec<String> = t.sentences.iter().map(|s| t.slice(s.span)).collect();
        assert_eq!(
            s,
            [
                "Prof. Li Wei met Dr. M.C. Smith.",
                "They signed.",
                "Heading line\nnext words continue"
            ]
        );
    }

    #[test]
    fn a_day_number_before_a_month_does_not_end_a_sentence() {
        let t = Text::new("Am 5. Mai trafen sich die Kliniken. Dann gingen sie.", &|w: &str| w == "Mai");
        assert_eq!(t.sentences.len(), 2);
    }

    #[test]
    fn latin_look_alikes_inside_cyrillic_words_are_folded() {
        let t = text("подписали cоглашение in Moscow");
        assert_eq!(t.slice(Span::new(10, 20)), "соглашение");
        assert_eq!(t.slice(Span::new(24, 30)), "Moscow");
    }

    #[test]
    fn lower_text_maps_bytes_to_chars() {
        let t = text("Дата: X");
        let b = t.lower.find('x').unwrap();
        assert_eq!(t.char_of_lower_byte(b), 6);
    }
}
