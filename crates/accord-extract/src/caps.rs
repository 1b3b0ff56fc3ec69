//! Length caps on what one page can make the record say: a name or a quote
//! longer than a cap is cut at a word boundary, and the cut is recorded
//! (`truncated` on the organization, person or event), so a hostile page
//! cannot make a multi-megabyte institution name that then repeats in
//! every listing. Cut spans still point at real characters of the text.

use crate::orgs::NameMention;
use crate::people::PersonMention;
use crate::text::Text;
use accord_model::Span;

/// Longest name of an institution or a person, in characters.
pub const MAX_NAME_CHARS: usize = 250;

/// Longest evidence quote of an event, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 1000;

/// The longest start of `span` of at most `max` characters that ends at
/// the end of a word (a letter or digit followed by anything else: a
/// space, a hyphen, punctuation), or at `max` characters when no word ends
/// in its second half (text without spaces, such as Chinese); `span`
/// itself when it fits.
pub fn word_cut(chars: &[char], span: Span, max: usize) -> Span {
    if span.len() <= max {
        return span;
    }
    let limit = span.start + max;
    let floor = span.start + max / 2;
    let end = (floor.max(span.start + 1)..=limit)
        .rev()
        .find(|&p| !chars[p].is_alphanumeric() && chars[p - 1].is_alphanumeric())
        .unwrap_or(limit);
    Span::new(span.start, end)
}

/// `s` cut like [`word_cut`]; `None` when it fits.
fn cut_str(s: &str, max: usize) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let all = Span::new(0, chars.len());
    let cut = word_cut(&chars, all, max);
    (cut != all).then(|| chars[..cut.end].iter().collect::<String>().trim_end().to_string())
}

/// Spaces and line breaks in a run of text as one space each.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Caps an institution's name mention: a longer name becomes the words
/// of its text that fit, and its span their span; forms longer than the
/// cap are dropped (the cut name stands for them). True when it was cut.
pub fn org_mention(text: &Text, n: &mut NameMention) -> bool {
    if n.name.chars().count() <= MAX_NAME_CHARS && n.span.len() <= MAX_NAME_CHARS {
        return false;
    }
    n.span = text.trim(word_cut(&text.original, n.span, MAX_NAME_CHARS));
    n.name = one_line(&text.original_slice(n.span));
    n.core = n.core.take().filter(|c| c.chars().count() <= MAX_NAME_CHARS);
    n.forms.retain(|f| f.chars().count() <= MAX_NAME_CHARS);
    true
}

/// A person's mention capped like an institution's: the name (its base
/// form) cut to the cap, the span cut to the words of the text that fit,
/// and the text of that span kept as the written form. True when cut.
pub fn person_mention(text: &Text, p: &mut PersonMention) -> bool {
    if p.name.chars().count() <= MAX_NAME_CHARS && p.span.len() <= MAX_NAME_CHARS {
        return false;
    }
    p.span = text.trim(word_cut(&text.original, p.span, MAX_NAME_CHARS));
    let written = text.original_slice(p.span);
    p.name = cut_str(&p.name, MAX_NAME_CHARS).unwrap_or_else(|| p.name.clone());
    p.form = (written != p.name).then_some(written);
    true
}

/// The evidence span of an event whose sentence is `sentence`: all of it
/// when it fits, else at most [`MAX_EVIDENCE_CHARS`] from word boundary to
/// word boundary, placed to include the start of `trigger` (the words that
/// state the event). True when cut.
pub fn evidence(text: &Text, sentence: Span, trigger: Option<Span>) -> (Span, bool) {
    if sentence.len() <= MAX_EVIDENCE_CHARS {
        return (sentence, false);
    }
    let chars = &text.original;
    let mut start = sentence.start;
    if let Some(t) = trigger.filter(|t| sentence.contains(t) && t.end > sentence.start + MAX_EVIDENCE_CHARS) {
        // Some context before the trigger, from the start of a word.
        let from = t.start.saturating_sub(MAX_EVIDENCE_CHARS / 4).max(sentence.start);
        start = (from..t.start)
            .find(|&p| p > sentence.start && chars[p - 1].is_whitespace() && !chars[p].is_whitespace())
            .unwrap_or(from);
    }
    let cut = text.trim(word_cut(chars, Span::new(start, sentence.end), MAX_EVIDENCE_CHARS));
    (cut, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_long_run_is_cut_after_a_whole_word() {
        let c = chars("alpha beta gamma delta");
        assert_eq!(word_cut(&c, Span::new(0, c.len()), 13), Span::new(0, 10), "alpha beta");
        assert_eq!(word_cut(&c, Span::new(0, c.len()), 40), Span::new(0, c.len()));
        let han = chars("人民医院人民医院人民医院");
        assert_eq!(
            word_cut(&han, Span::new(0, han.len()), 5),
            Span::new(0, 5),
            "no spaces: cut at the cap"
        );
        assert_eq!(cut_str("alpha beta gamma", 12).as_deref(), Some("alpha beta"));
        assert_eq!(cut_str("alpha", 12), None);
        let hyphens = chars("Anna Valmor-Kestra-Tralo Bell");
        assert_eq!(
            word_cut(&hyphens, Span::new(0, hyphens.len()), 20),
            Span::new(0, 18),
            "Anna Valmor-Kestra"
        );
    }
}
