//! Names that are probably not one institution's whole name, for the review
//! queue: each rule is a pure function of the name, so a person can read
//! why a row is in the queue and the rules are tested one by one.
//!
//! - **generic**: made only of generic words ("University Hospital",
//!   "人民医院"): [`crate::resolve::is_distinctive`] says it has no word of
//!   its own, and no number tells it apart ("Городская больница № 15" is one).
//! - **truncated**: ends (or starts) with a connector ("School of",
//!   "and Research Centre"), ends with a joining mark (`-`, `(`, `,`, `/`),
//!   or leaves a parenthesis or quotation open.
//! - **joined**: two institutions' heads on both sides of a coordinator
//!   ("Northvale Hospital and Kestrel University", "青岚医院与星河大学").
//!
//! The words are in `data/suspicious_names.tsv`.

use crate::resolve::is_distinctive;
use std::sync::OnceLock;

/// A sign that a name is wrong, as the queue shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSign {
    /// Only generic words.
    Generic,
    /// Cut off at its start or end.
    Truncated,
    /// Two institutions read as one.
    Joined,
}

impl NameSign {
    /// The words a reviewer sees.
    pub fn label(&self) -> &'static str {
        match self {
            NameSign::Generic => "generic name",
            NameSign::Truncated => "truncated name",
            NameSign::Joined => "two names joined",
        }
    }
}

struct Words {
    connectors: Vec<String>,
    heads: Vec<String>,
    coordinators: Vec<String>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut w = Words {
            connectors: Vec::new(),
            heads: Vec::new(),
            coordinators: Vec::new(),
        };
        for line in include_str!("../data/suspicious_names.tsv").lines() {
            let Some((kind, word)) = line.split_once('\t') else { continue };
            let list = match kind {
                "connector" => &mut w.connectors,
                "head" => &mut w.heads,
                "coordinator" => &mut w.coordinators,
                _ => continue,
            };
            list.push(word.trim().to_lowercase());
        }
        w
    })
}

/// Every sign `name` shows, in the order of [`NameSign`].
pub fn name_signs(name: &str) -> Vec<NameSign> {
    let mut signs = Vec::new();
    // A number tells generic words apart ("City Clinical Hospital № 15").
    if !name.trim().is_empty() && !name.chars().any(|c| c.is_numeric()) && !is_distinctive(name) {
        signs.push(NameSign::Generic);
    }
    if is_truncated(name) {
        signs.push(NameSign::Truncated);
    }
    if is_joined(name) {
        signs.push(NameSign::Joined);
    }
    signs
}

/// The words of a name, lower case, its punctuation dropped (`&` kept).
fn tokens(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '&' && c != '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Cut off: a connector at either end, a joining mark at the end, or an
/// open parenthesis or quotation.
pub fn is_truncated(name: &str) -> bool {
    let name = name.trim();
    if name.ends_with(['-', '–', '(', ',', '/', '&', '·']) {
        return true;
    }
    let opened = |open: char, close: char| name.chars().filter(|&c| c == open).count() > name.chars().filter(|&c| c == close).count();
    if opened('(', ')') || opened('«', '»') || opened('“', '”') || opened('（', '）') {
        return true;
    }
    let t = tokens(name);
    let connector = |w: Option<&String>| w.is_some_and(|w| words().connectors.iter().any(|c| c == w));
    // A lone word such as "y" or "de" is no name at all: also cut off.
    connector(t.last()) || connector(t.first())
}

/// Whether `side` holds an institution's head word.
fn has_head(side: &[String]) -> bool {
    side.iter().any(|w| words().heads.iter().any(|h| w.starts_with(h.as_str())))
}

/// Two heads joined: a coordinator with a head word before it and after it.
pub fn is_joined(name: &str) -> bool {
    let w = words();
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if name.chars().any(han) {
        let han_heads = || w.heads.iter().filter(|h| h.chars().all(han));
        return w.coordinators.iter().filter(|c| c.chars().all(han)).any(|c| {
            name.match_indices(c.as_str()).any(|(at, _)| {
                let (before, after) = (&name[..at], &name[at + c.len()..]);
                han_heads().any(|h| before.contains(h.as_str())) && han_heads().any(|h| after.contains(h.as_str()))
            })
        });
    }
    let t = tokens(name);
    t.iter()
        .enumerate()
        .any(|(i, word)| w.coordinators.iter().any(|c| c == word) && has_head(&t[..i]) && has_head(&t[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_names_have_no_word_of_their_own() {
        assert!(name_signs("University Hospital").contains(&NameSign::Generic));
        assert!(name_signs("人民医院").contains(&NameSign::Generic));
        assert!(name_signs("Northvale University Hospital").is_empty());
        assert!(name_signs("Городская клиническая больница № 15").is_empty(), "a number names one");
        assert!(name_signs("青岚医科大学附属第一医院").is_empty());
    }

    #[test]
    fn truncated_names_end_or_start_with_a_connector_or_an_open_mark() {
        for name in [
            "Northvale School of",
            "and Kestrel Research Centre",
            "Centre hospitalier de",
            "Kestrel Medical University (KMU",
            "Northvale Hospital -",
            "Университет им",
            "«Северозерская больница",
        ] {
            assert!(is_truncated(name), "{name}");
        }
        for name in [
            "Northvale School of Medicine",
            "Kestrel Medical University (KMU)",
            "Hôpital Saint-Aubrac",
        ] {
            assert!(!is_truncated(name), "{name}");
        }
    }

    #[test]
    fn joined_names_have_a_head_on_both_sides_of_a_coordinator() {
        for name in [
            "Northvale Hospital and Kestrel University",
            "Valbrume Klinikum und Universität Halden",
            "Северозерская больница и Степногорский университет",
            "青岚医院与星河大学",
        ] {
            assert!(is_joined(name), "{name}");
        }
        for name in [
            "Northvale Heart and Lung Hospital",
            "Kestrel College of Arts and Sciences",
            "青岚医科大学附属第一医院",
            "Hôpital Saint-Aubrac",
        ] {
            assert!(!is_joined(name), "{name}");
        }
    }
}
