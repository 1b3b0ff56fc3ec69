//! Country names for the pages: a person reads "Kazakhstan", not "KZ"
//! (`data/country_names.tsv`, source named in the file).

use std::collections::HashMap;
use std::sync::OnceLock;

fn names() -> &'static HashMap<&'static str, &'static str> {
    static NAMES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../data/country_names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// The English name of an ISO 3166-1 alpha-2 code; the code itself when unknown.
pub fn name(code: &str) -> String {
    names()
        .get(code.to_ascii_uppercase().as_str())
        .map_or_else(|| code.to_string(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_become_names() {
        assert_eq!(super::name("KZ"), "Kazakhstan");
        assert_eq!(super::name("cn"), "China");
        assert_eq!(super::name("XX"), "XX");
    }
}
