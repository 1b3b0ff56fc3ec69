//! Hostile input, generated: pages and queries built to make one request
//! or one page cost as much as possible (issue 11's probe), so the tests
//! and `accord-synth --hostile` rebuild them without any third-party page.
//! Every name is invented from syllables.

use crate::EN_HEADS;

/// Syllables of the invented place words.
const SYLLABLES: &[&str] = &[
    "val", "mor", "kes", "tra", "bel", "dun", "ari", "lo", "ven", "sa", "tor", "mi", "rah", "qu", "el", "zan",
];

/// The `n`-th invented word: distinct for every `n`, capitalised.
pub fn word(n: usize) -> String {
    let mut n = n + SYLLABLES.len();
    let mut out = String::new();
    while n > 0 {
        out.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    let mut chars = out.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The `n`-th invented institution: a word and a head ("Valmor Cancer Center").
pub fn institution(n: usize) -> String {
    format!("{} {}", word(n), EN_HEADS[n % EN_HEADS.len()])
}

/// A page of `n` signings, each its own sentence between its own pair of
/// institutions, all on one day: read carelessly it is one event with 2n
/// parties and (2n)²/2 network links.
pub fn signings(n: usize) -> String {
    let mut page = String::from("Partnership register\n\nPublished: 3 May 2024\n\n");
    for i in 0..n {
        page.push_str(&format!(
            "On 2 May 2024, {} and {} signed a cooperation agreement.\n",
            institution(2 * i),
            institution(2 * i + 1)
        ));
    }
    page
}

/// A page of about `chars` characters of plain prose with one signing at
/// its start: the document view must not render all of it at once.
pub fn long_page(chars: usize) -> String {
    let mut page = format!(
        "A long report\n\nPublished: 3 May 2024\n\nOn 2 May 2024, {} and {} signed a cooperation agreement.\n\n",
        institution(0),
        institution(1)
    );
    let filler = "The delegation toured the wards and the laboratories of the hospital. ";
    while page.chars().count() < chars {
        page.push_str(filler);
    }
    page
}

/// A page naming `n` institutions one after another, many times each:
/// extraction's worst case for merging names.
pub fn repeated_names(n: usize) -> String {
    let mut page = String::from("Hospitals\n\n");
    for i in 0..n {
        page.push_str(&institution(i % 64));
        page.push_str(if i % 10 == 9 { ".\n" } else { ", " });
    }
    page
}

/// A page whose first institution's name is a run of `n` invented
/// capitalised words before its head ("Valmor Kestra … University"), next
/// to an ordinary one: a name far over any sensible length.
pub fn long_name(n: usize) -> String {
    let run: Vec<String> = (0..n).map(|i| word(100 + i)).collect();
    format!(
        "Partnership register\n\nPublished: 3 May 2024\n\nOn 2 May 2024, {} University and {} signed a cooperation agreement.\n",
        run.join(" "),
        institution(1)
    )
}

/// A page with one signing stated in a sentence of about `before` and
/// `after` filler words around it (no full stop between): its evidence
/// quote would be the whole sentence.
pub fn long_sentence(before: usize, after: usize) -> String {
    let filler = |n: usize| vec!["and the delegation toured the wards"; n.div_ceil(6)].join(" ");
    format!(
        "Partnership register\n\nPublished: 3 May 2024\n\nOn 2 May 2024, {} {} and {} signed a cooperation agreement {}.\n",
        filler(before),
        institution(0),
        institution(1),
        filler(after)
    )
}

/// A search query of `n` copies of one word.
pub fn repeated_query(n: usize) -> String {
    vec!["hospital"; n].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_pages_are_as_long_as_asked() {
        let words: std::collections::HashSet<String> = (0..5_000).map(word).collect();
        assert_eq!(words.len(), 5_000);
        assert!(words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)));
        assert_eq!(signings(3).lines().filter(|l| l.contains("signed")).count(), 3);
        assert!(long_page(10_000).chars().count() >= 10_000);
        assert_eq!(repeated_query(3), "hospital hospital hospital");
    }
}
