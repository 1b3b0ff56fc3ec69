//! Settling institution names against the people and titles around them,
//! so that a name never swallows a person: in "rector of the Northfield
//! University Anna Bell", the title before the institution belongs to the
//! person after it, and the name ends at its head. The person's span is
//! handed to the people finder as a hint.

use crate::orgs::NameMention;
use crate::resources::{Resources, TitleKind};
use crate::text::{Text, TokenKind};
use accord_model::Span;

/// Names after an institution's head, at most this many words, can be a person.
const MAX_PERSON_WORDS: usize = 4;

/// Cuts each name that ends in a person introduced by a title before the
/// name; returns the spans of those people.
pub fn cut_person_tails(text: &Text, res: &Resources, names: &mut [NameMention]) -> Vec<Span> {
    let mut hints = Vec::new();
    for m in names.iter_mut() {
        if m.acronym.is_some() || !m.forms.is_empty() || m.name.chars().any(crate::text::is_cjk) {
            continue;
        }
        if let Some((name_end, person)) = person_tail(text, res, m.span) {
            m.span.end = name_end;
            m.name = text.original_slice(m.span);
            m.core = None;
            hints.push(person);
        } else if let Some(person) = person_after(text, res, m) {
            hints.push(person);
        }
    }
    hints
}

fn is_head(text: &Text, res: &Resources, t: usize) -> bool {
    let w = text.lower_slice(text.tokens[t].span);
    res.head_kind(w.strip_suffix("'s").unwrap_or(w)).is_some()
}

fn is_role(text: &Text, res: &Resources, t: usize) -> bool {
    text.tokens[t].kind == TokenKind::Word
        && res
            .title_of_word(text.lower_slice(text.tokens[t].span))
            .is_some_and(|k| k != TitleKind::Postnominal)
}

/// A title right before the name, across "of" / "of the" / "at".
fn title_before(text: &Text, res: &Resources, first: usize) -> bool {
    let mut k = first;
    for _ in 0..3 {
        if k == 0 {
            return false;
        }
        k -= 1;
        if is_role(text, res, k) {
            return true;
        }
        let w = text.lower_slice(text.tokens[k].span);
        if !matches!(w, "of" | "the" | "at" | "de" | "du" | "la" | "des") {
            return false;
        }
    }
    false
}

/// Where the name should end and the person's span, when the name's words
/// after its last head are a person's name introduced by a title before it.
fn person_tail(text: &Text, res: &Resources, span: Span) -> Option<(usize, Span)> {
    let first = text.token_at_or_after(span.start);
    let end = text.token_at_or_after(span.end);
    if first >= end || !title_before(text, res, first) {
        return None;
    }
    let head = (first..end).rev().find(|&t| is_head(text, res, t))?;
    // "минздрава России Михаила Мурашко": a country or place after the head stays in the name.
    let mut name_end = head;
    while name_end + 1 < end && is_place(text, res, name_end + 1) {
        name_end += 1;
    }
    let tail: Vec<usize> = (name_end + 1..end)
        .filter(|&t| text.tokens[t].kind != TokenKind::Punct || text.is_punct(t, '-'))
        .collect();
    let words = tail.iter().filter(|&&t| text.tokens[t].kind == TokenKind::Word).count();
    if words == 0 || words > MAX_PERSON_WORDS {
        return None;
    }
    let name_like = tail.iter().all(|&t| text.is_punct(t, '-') || is_name_word(text, res, t));
    if !name_like {
        return None;
    }
    let person = Span::new(text.tokens[tail[0]].span.start, span.end);
    Some((text.tokens[name_end].span.end, person))
}

/// "the Director of the Pan-Island Health Agency (PIHA) Ana Ruiz": a name
/// of two to four capitalised words right after a titled institution (and
/// its acronym) is the titled person's.
fn person_after(text: &Text, res: &Resources, m: &NameMention) -> Option<Span> {
    let first = text.token_at_or_after(m.span.start);
    if !title_before(text, res, first) {
        return None;
    }
    let after = m.acronym.as_ref().map_or(m.span.end, |(_, s)| s.end.max(m.span.end));
    let mut k = text.token_at_or_after(after);
    if text.is_punct(k, ')') {
        k += 1;
    }
    let start = k;
    while k < text.tokens.len() && k - start < MAX_PERSON_WORDS && is_name_word(text, res, k) && !text.is_all_caps(k) {
        k += 1;
    }
    let words = k - start;
    let ends_clause = k >= text.tokens.len() || text.tokens[k].kind == TokenKind::Punct;
    ((2..=MAX_PERSON_WORDS).contains(&words) && ends_clause).then(|| Span::new(text.tokens[start].span.start, text.tokens[k - 1].span.end))
}

/// A capitalised word that can be part of a person's name.
fn is_name_word(text: &Text, res: &Resources, t: usize) -> bool {
    text.is_capitalized(t)
        && !is_head(text, res, t)
        && !is_role(text, res, t)
        && !res.is_dept_word(text.lower_slice(text.tokens[t].span))
        && !is_place(text, res, t)
        && !res.months.contains_key(text.lower_slice(text.tokens[t].span))
}

/// A country or place, in any case.
fn is_place(text: &Text, res: &Resources, t: usize) -> bool {
    res.names_place(text, text.tokens[t].span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(s: &str, name: &str) -> Option<(String, String)> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        let start = s.find(name).map(|b| s[..b].chars().count())?;
        let span = Span::new(start, start + name.chars().count());
        person_tail(&t, res, span).map(|(end, p)| (t.original_slice(Span::new(start, end)), t.original_slice(p)))
    }

    #[test]
    fn a_person_after_a_titled_institution_is_cut_off() {
        assert_eq!(
            tail(
                "They met the former chairman of the Northfield Dental Council Ravi Anand and others.",
                "Northfield Dental Council Ravi Anand"
            ),
            Some(("Northfield Dental Council".into(), "Ravi Anand".into()))
        );
        assert_eq!(
            tail(
                "Документ подписал ректор Томского университета Иван Орлов.",
                "Томского университета Иван Орлов"
            ),
            Some(("Томского университета".into(), "Иван Орлов".into()))
        );
    }

    #[test]
    fn names_without_a_title_before_stay_whole() {
        assert_eq!(tail("The Hospital Saint Louis signed.", "Hospital Saint Louis"), None);
        assert_eq!(tail("The director of the Clinic of Lyon spoke.", "Clinic of Lyon"), None);
    }

    #[test]
    fn a_name_right_after_a_titled_institution_is_a_person() {
        let res = Resources::get();
        let s = "She met the Director of the Pan-Island Health Agency (PIHA) Ana Ruiz, who spoke.";
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        let start = s.find("Pan-Island").map(|b| s[..b].chars().count()).unwrap();
        let end = start + "Pan-Island Health Agency".chars().count();
        let acr = s.find("PIHA").map(|b| s[..b].chars().count()).unwrap();
        let m = NameMention {
            span: Span::new(start, end),
            name: "Pan-Island Health Agency".into(),
            acronym: Some(("PIHA".into(), Span::new(acr, acr + 4))),
            core: None,
            forms: Vec::new(),
            kind: accord_model::OrgKind::Government,
            head: "agency".into(),
        };
        assert_eq!(person_after(&t, res, &m).map(|p| t.original_slice(p)).as_deref(), Some("Ana Ruiz"));
    }
}
