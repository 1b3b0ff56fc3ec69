//! What the name grammars of every script hand over: one mention of an
//! institution's name, and the word lists that tell a name from a phrase.

use crate::resources::Resources;
use crate::text::is_cyrillic;
use accord_model::{OrgKind, Span};

/// One place in the text that names an institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    /// Characters of the mention.
    pub span: Span,
    /// The name as the record writes it (may skip an inner parenthesis).
    pub name: String,
    /// An acronym defined beside it, with its span.
    pub acronym: Option<(String, Span)>,
    /// The name without a trailing "of the Ministry of Health …".
    pub core: Option<String>,
    /// Other forms: the acronym in place of the words it stands for, the
    /// literal text with an inner parenthesis.
    pub forms: Vec<String>,
    /// Kind suggested by the head word.
    pub kind: OrgKind,
    /// Principal head word, lower case.
    pub head: String,
}

/// Upper-case words of two to ten characters, like "ICMR", "KfW", "CHU-B".
pub fn is_acronym_shape(s: &str) -> bool {
    let mut chars = s.chars();
    if !chars.next().is_some_and(char::is_uppercase) || !chars.any(char::is_uppercase) {
        return false;
    }
    let n = s.chars().count();
    if !(2..=10).contains(&n) || s.contains(' ') {
        return false;
    }
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let first_ok = s.chars().next().is_some_and(|c| c.is_uppercase());
    first_ok && upper >= 2 && upper * 10 >= letters.len() * 6 && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
}

/// Words too common to make a short form distinctive on their own.
pub(crate) const GENERIC: &[&str] = &[
    "national",
    "international",
    "medical",
    "general",
    "central",
    "first",
    "second",
    "third",
    "people",
    "peoples",
    "state",
    "city",
    "municipal",
    "provincial",
    "regional",
    "clinical",
    "research",
    "university",
    "joint",
    "cancer",
    "health",
    "science",
    "sciences",
    "new",
    "exchange",
    "technology",
    "affairs",
    "education",
    "educational",
    "scientific",
    "management",
    "services",
    "service",
    "care",
    "public",
    "global",
    "main",
    "key",
    "academic",
    "reproductive",
    "translational",
    "medicine",
    "genetics",
    "information",
    "resources",
    "investment",
    "development",
    "cooperation",
    "training",
];

/// Content words of a name (lower case, no connectors).
pub(crate) fn content_words(res: &Resources, name: &str) -> Vec<String> {
    name_key(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !res.connectors.contains(*w) && *w != "s")
        .map(String::from)
        .collect()
}

/// Comparison key of a name: lower case, `centre` read as `center`, quotes,
/// possessives and a leading article dropped.
/// Russian words are cut to their first five letters, so that the cases of a
/// name ("министерство", "министерстве") share one key.
pub fn name_key(name: &str) -> String {
    let lower = name
        .to_lowercase()
        .replace("centre", "center")
        .replace('&', " and ")
        .replace("минздрав", "министерство здравоохранения");
    let cleaned: String = lower.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let words: Vec<String> = cleaned
        .split_whitespace()
        .map(|w| {
            if w.chars().any(is_cyrillic) {
                w.chars().take(5).collect()
            } else {
                w.to_string()
            }
        })
        .collect();
    let words = match words.first().map(String::as_str) {
        Some("the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// True when an acronym's letters are the initials of the name's words.
pub fn initials_match(acronym: &str, name: &str) -> bool {
    let acr: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '&')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let strict: String = words
        .iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "of" | "the" | "for" | "and" | "de" | "du" | "des" | "la" | "le" | "et" | "y" | "del" | "für" | "und" | "der" | "и"
            )
        })
        .filter_map(|w| w.chars().next())
        .collect();
    let loose: String = words.iter().filter_map(|w| w.chars().next()).collect();
    let a: String = acr.iter().collect();
    a.len() >= 2 && (strict == a || loose == a || (a.len() >= 3 && strict.starts_with(&a)))
}
