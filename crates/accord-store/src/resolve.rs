//! The rules that decide whether two reports speak of the same thing.
//!
//! They are pure functions so that each rule can be tested, and explained in
//! the reason the registry stores beside every merge.

use accord_eval::{normalize_name, person_key};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The key institution names are compared by: the scorer's normalisation,
/// so that "The Centre X" and "Center X" are one name.
pub fn name_key(name: &str) -> String {
    normalize_name(name)
}

/// The key people are compared by: their name's words, in any order, so that
/// "LIN Haoran" and "Haoran Lin" are one person.
pub fn person_name_key(name: &str) -> String {
    person_key(name).join(" ")
}

/// An acronym: one word, mostly capitals, short ("CLB", "AP-HP", "WhUH").
/// An acronym alone names too many institutions to be merged without context.
pub fn is_acronym(name: &str) -> bool {
    let name = name.trim();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = name.chars().filter(|c| c.is_uppercase()).count();
    !name.contains(char::is_whitespace) && (2..=12).contains(&name.chars().count()) && capitals * 2 > letters
}

/// Words names share everywhere (English, French, Spanish, German; Russian by stem).
fn generic_words() -> &'static (HashSet<&'static str>, Vec<&'static str>) {
    static WORDS: OnceLock<(HashSet<&'static str>, Vec<&'static str>)> = OnceLock::new();
    WORDS.get_or_init(|| {
        let lines = include_str!("../data/generic_name_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let (cyrillic, latin): (Vec<&str>, Vec<&str>) = lines.partition(|w| w.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
        (latin.into_iter().collect(), cyrillic)
    })
}

/// A name that designates one institution wherever it is read: it has a
/// word of its own ("Rivertown University Hospital"), or, in Chinese, a
/// place or name before its head (six characters or more). Such a name is
/// merged across pages even when the pages disagree about its country,
/// because pages often give a partner the country they are written from.
pub fn is_distinctive(name: &str) -> bool {
    let han = name.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count();
    if han > 0 {
        return han >= 6;
    }
    let (latin, stems) = generic_words();
    name.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .any(|w| !latin.contains(w.as_str()) && !stems.iter().any(|s| w.starts_with(s)))
}

/// Two optional facts agree when they are equal or one is unknown.
pub fn agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

/// Two known facts that are equal: the positive context an acronym needs.
pub fn confirm(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Whether two event dates can be the same day: equal at the coarser
/// precision ("2019-03" and "2019-03-12"), or full dates at most two days
/// apart (a signing and the next day's report of it). Unknown dates are not
/// compatible: two undated meetings of the same partners are not one event.
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    if a.starts_with("--") || b.starts_with("--") {
        return a == b;
    }
    let n = a.len().min(b.len());
    if a[..n] == b[..n] {
        return true;
    }
    match (day_number(a), day_number(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= 2,
        _ => false,
    }
}

/// Days since 0000-03-01 of a full `YYYY-MM-DD` date, for date differences.
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

/// Most parties one event keeps. A signing, a visit or a conference names
/// a handful; a page naming thousands is a list of events, and one event
/// with N parties would make N²/2 links in the network. The parties beyond
/// are left out and the cut is recorded beside the event's source.
pub const MAX_PARTIES: usize = 24;

/// Whether two events have the same parties as far as both tell: every
/// party of the side naming fewer is among the other's, and they share
/// at least two (or the smaller side's single one). Events with different
/// parties stay apart, so no event grows by absorbing others.
pub fn parties_overlap(a: &[i64], b: &[i64]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !small.is_empty() && small.iter().all(|x| large.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_people_compare_by_their_keys() {
        assert_eq!(name_key("The Centre Marie Delorme"), name_key("Center Marie Delorme"));
        assert_eq!(person_name_key("LIN Haoran"), person_name_key("Haoran Lin"));
    }

    #[test]
    fn acronyms_are_short_capitalised_words() {
        assert!(is_acronym("CLB"));
        assert!(is_acronym("AP-HP"));
        assert!(is_acronym("WhUH"));
        assert!(!is_acronym("Hospital"));
        assert!(!is_acronym("Rivertown Hospital"));
    }

    #[test]
    fn dates_are_compatible_at_the_coarser_precision_or_two_days_apart() {
        assert!(dates_compatible(Some("2019-03"), Some("2019-03-12")));
        assert!(dates_compatible(Some("2019-02-28"), Some("2019-03-01")));
        assert!(!dates_compatible(Some("2019-03-01"), Some("2019-03-05")));
        assert!(!dates_compatible(Some("2019"), Some("2020-01")));
        assert!(!dates_compatible(None, Some("2019")));
        assert!(dates_compatible(Some("--03-12"), Some("--03-12")));
    }

    #[test]
    fn parties_overlap_by_two_or_by_a_lone_party() {
        assert!(parties_overlap(&[1, 2, 3], &[2, 3]));
        assert!(parties_overlap(&[1], &[1, 5]));
        assert!(!parties_overlap(&[1, 2], &[1, 3]));
        assert!(!parties_overlap(&[], &[1]));
        // Two signings sharing two partners but each with a third of its own.
        assert!(!parties_overlap(&[1, 2, 3], &[1, 2, 4]));
    }

    #[test]
    fn distinctive_names_have_a_word_of_their_own() {
        assert!(is_distinctive("Rivertown University Hospital"));
        assert!(is_distinctive("Centre hospitalier de Valmont"));
        assert!(!is_distinctive("City Clinical Hospital No. 1"));
        assert!(!is_distinctive("Городская клиническая больница № 52"));
        assert!(is_distinctive("Казанский государственный медицинский университет"));
        assert!(is_distinctive("松原医科大学附属第九医院"));
        assert!(!is_distinctive("人民医院"));
    }

    #[test]
    fn facts_agree_unless_both_known_and_different() {
        assert!(agree(Some("FR"), None));
        assert!(!agree(Some("FR"), Some("CN")));
        assert!(confirm(Some("fr"), Some("FR")));
        assert!(!confirm(None, Some("FR")));
    }
}
