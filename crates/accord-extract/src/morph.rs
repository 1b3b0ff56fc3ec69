//! Morphology of the inflected languages, as far as names need it: the base
//! (nominative) form of a Russian person's name written in another case
//! ("Михаила Мурашко" → "Михаил Мурашко"), so that the record names a person
//! once, in the form a reader looks up, and keeps the text's form as an alias.
//!
//! The case is read off the given name, checked against the given-name
//! lexicon; the surname and patronymic then follow the same case. A name
//! whose given name is unknown is changed only when the word before it is in
//! the genitive ("министра", "посла") and both words end like a masculine
//! genitive.

/// The grammatical case a name was found in, with the gender it implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Masculine genitive or accusative ("Михаила").
    MascGenitive,
    /// Masculine dative ("Михаилу").
    MascDative,
    /// Masculine instrumental ("Михаилом").
    MascInstrumental,
    /// Masculine prepositional ("Михаиле").
    MascPrepositional,
    /// Feminine genitive, dative, instrumental or prepositional ("Анны", "Анне", "Анной").
    FemOblique,
    /// Feminine accusative ("Анну").
    FemAccusative,
}

/// Given-name endings of each case, with what restores the nominative.
const GIVEN_ENDINGS: &[(&str, &str, Form)] = &[
    ("ом", "", Form::MascInstrumental),
    ("ем", "й", Form::MascInstrumental),
    ("ой", "а", Form::FemOblique),
    ("ей", "я", Form::FemOblique),
    ("ии", "ия", Form::FemOblique),
    ("а", "", Form::MascGenitive),
    ("я", "й", Form::MascGenitive),
    ("у", "", Form::MascDative),
    ("ю", "й", Form::MascDative),
    ("е", "", Form::MascPrepositional),
    ("ы", "а", Form::FemOblique),
    ("е", "а", Form::FemOblique),
    ("у", "а", Form::FemAccusative),
    ("ю", "я", Form::FemAccusative),
];

/// Surname and patronymic endings per case: (oblique ending, nominative ending).
fn family_endings(form: Form) -> &'static [(&'static str, &'static str)] {
    match form {
        Form::MascGenitive => &[
            ("ского", "ский"),
            ("цкого", "цкий"),
            ("ова", "ов"),
            ("ева", "ев"),
            ("ёва", "ёв"),
            ("ина", "ин"),
            ("ына", "ын"),
            ("ича", "ич"),
        ],
        Form::MascDative => &[
            ("скому", "ский"),
            ("цкому", "цкий"),
            ("ову", "ов"),
            ("еву", "ев"),
            ("ину", "ин"),
            ("ичу", "ич"),
        ],
        Form::MascInstrumental => &[
            ("ским", "ский"),
            ("цким", "цкий"),
            ("овым", "ов"),
            ("евым", "ев"),
            ("иным", "ин"),
            ("ичем", "ич"),
        ],
        Form::MascPrepositional => &[("ском", "ский"), ("ове", "ов"), ("еве", "ев"), ("ине", "ин"), ("иче", "ич")],
        Form::FemOblique => &[
            ("ской", "ская"),
            ("овой", "ова"),
            ("евой", "ева"),
            ("иной", "ина"),
            ("овны", "овна"),
            ("евны", "евна"),
            ("ичны", "ична"),
            ("овне", "овна"),
            ("евне", "евна"),
            ("овной", "овна"),
            ("евной", "евна"),
        ],
        Form::FemAccusative => &[
            ("скую", "ская"),
            ("ову", "ова"),
            ("еву", "ева"),
            ("ину", "ина"),
            ("овну", "овна"),
            ("евну", "евна"),
        ],
    }
}

/// What a consonant-final masculine word takes in each case ("Ибрагима").
fn masculine_bare_ending(form: Form) -> Option<&'static str> {
    match form {
        Form::MascGenitive => Some("а"),
        Form::MascDative => Some("у"),
        Form::MascInstrumental => Some("ом"),
        Form::MascPrepositional => Some("е"),
        _ => None,
    }
}

fn replace_ending(word: &str, ending: &str, with: &str) -> Option<String> {
    let stem = word.strip_suffix(ending)?;
    (stem.chars().count() >= 2).then(|| format!("{stem}{with}"))
}

fn is_consonant(c: char) -> bool {
    !"аеёиоуыэюяйь".contains(c.to_lowercase().next().unwrap_or(c))
}

/// The case of a given name and its nominative, when the lexicon knows the nominative.
fn given_name_form(word: &str, is_given: &dyn Fn(&str) -> bool) -> Option<(Form, String)> {
    if is_given(&word.to_lowercase()) {
        return None;
    }
    GIVEN_ENDINGS.iter().find_map(|(ending, with, form)| {
        let base = replace_ending(word, ending, with)?;
        is_given(&base.to_lowercase()).then_some((*form, base))
    })
}

/// The nominative of a Russian given name written in any case, when the lexicon knows it.
pub fn russian_given_base(word_lower: &str, is_given: &dyn Fn(&str) -> bool) -> Option<String> {
    if is_given(word_lower) {
        return Some(word_lower.to_string());
    }
    given_name_form(word_lower, is_given).map(|(_, base)| base)
}

/// The nominative of a surname or patronymic in the case `form`.
fn family_nominative(word: &str, form: Form) -> String {
    if let Some(base) = family_endings(form)
        .iter()
        .find_map(|(ending, with)| replace_ending(word, ending, with))
    {
        return base;
    }
    if let Some(ending) = masculine_bare_ending(form) {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.chars().count() >= 3 && stem.chars().last().is_some_and(is_consonant) {
                return stem.to_string();
            }
        }
    }
    word.to_string()
}

/// The nominative of a Russian person's name written as `words` (given name
/// first, or last after a surname), or `None` when it already is one or its
/// case cannot be told. `genitive_before` says the word before the name is a
/// title in the genitive.
pub fn russian_name_nominative(words: &[&str], is_given: &dyn Fn(&str) -> bool, genitive_before: bool) -> Option<Vec<String>> {
    if words.len() < 2 || words.iter().any(|w| w.chars().count() < 2) {
        return None;
    }
    let known = words
        .iter()
        .enumerate()
        .find_map(|(k, w)| given_name_form(w, is_given).map(|(form, base)| (k, form, base)));
    let (given_at, form, base) = match known {
        Some(found) => found,
        None if genitive_before && !words.iter().any(|w| is_given(&w.to_lowercase())) => {
            let first = words[0];
            let stem = first.strip_suffix('а')?;
            let masculine = stem.chars().count() >= 3 && stem.chars().last().is_some_and(is_consonant);
            let last = words[words.len() - 1];
            if !masculine || !(last.ends_with('а') || last.ends_with("ого")) {
                return None;
            }
            (0, Form::MascGenitive, stem.to_string())
        }
        None => return None,
    };
    let out: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(k, w)| if k == given_at { base.clone() } else { family_nominative(w, form) })
        .collect();
    (out.iter().zip(words).any(|(a, b)| a != b)).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(w: &str) -> bool {
        ["михаил", "анна", "андрей", "мария", "олег", "ирина"].contains(&w)
    }

    fn nominative(name: &str, genitive_before: bool) -> Option<String> {
        let words: Vec<&str> = name.split(' ').collect();
        russian_name_nominative(&words, &given, genitive_before).map(|w| w.join(" "))
    }

    #[test]
    fn known_given_names_give_the_case() {
        assert_eq!(nominative("Михаила Левченко", false).as_deref(), Some("Михаил Левченко"));
        assert_eq!(nominative("Андреем Соколовым", false).as_deref(), Some("Андрей Соколов"));
        assert_eq!(nominative("Анны Беловой", false).as_deref(), Some("Анна Белова"));
        assert_eq!(nominative("Марии Загорской", false).as_deref(), Some("Мария Загорская"));
        assert_eq!(nominative("Олегу Петровичу Рябову", false).as_deref(), Some("Олег Петрович Рябов"));
        assert_eq!(nominative("Кузнецову Ирину", false).as_deref(), Some("Кузнецова Ирина"));
    }

    #[test]
    fn nominatives_stay() {
        assert_eq!(nominative("Анна Белова", false), None);
        assert_eq!(nominative("Михаил Левченко", true), None);
    }

    #[test]
    fn an_unknown_name_changes_only_after_a_genitive_title() {
        assert_eq!(nominative("Рашида Хамидова", false), None);
        assert_eq!(nominative("Рашида Хамидова", true).as_deref(), Some("Рашид Хамидов"));
        assert_eq!(nominative("Самира Юсефа", true).as_deref(), Some("Самир Юсеф"));
    }
}
