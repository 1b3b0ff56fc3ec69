//! Institutions: full names found by a name grammar over head words
//! ("Hospital", "Université", "больница", "医院"…), acronyms defined in either
//! direction, short forms tied back to the full name, and one entity per
//! institution with every place that names it.

mod cyrillic;
mod han;
mod latin;
mod mention;

pub use mention::{initials_match, is_acronym_shape, name_key, NameMention};

use crate::resources::Resources;
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};
use accord_model::{OrgKind, Span};
use mention::{content_words, GENERIC};
use std::collections::HashMap;

/// An institution of the document, with all its names.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    /// The fullest name.
    pub name: String,
    /// Other names the text uses.
    pub aliases: Vec<String>,
    /// Kind of institution.
    pub kind: OrgKind,
    /// Principal head word, lower case ("hospital"), empty for a bare acronym.
    pub head: String,
    /// Every span that names it.
    pub mentions: Vec<Span>,
    /// ISO country code, filled by the country component.
    pub country: Option<String>,
    /// City, filled by the country component.
    pub city: Option<String>,
    /// A name of it was longer than [`crate::caps::MAX_NAME_CHARS`] and cut.
    pub truncated: bool,
}

impl Org {
    /// Position of its first mention.
    pub fn first(&self) -> usize {
        self.mentions.iter().map(|s| s.start).min().unwrap_or(usize::MAX)
    }

    /// The name and every alias.
    pub fn all_names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name).chain(self.aliases.iter())
    }
}

/// Finds the institutions of a document; the spans of people found at the
/// end of a name (and cut from it) are added to `person_hints`.
pub fn find_orgs(
    text: &Text,
    res: &Resources,
    lang: &str,
    seg: &crate::segment::Segmentation,
    skip: &dyn Fn(usize) -> bool,
    person_hints: &mut Vec<Span>,
) -> Vec<Org> {
    let mut names = latin::find_latin_names(text, res, lang, skip);
    names.extend(cyrillic::find_cyrillic_names(text, res, skip));
    names.extend(cyrillic::find_quoted_cyrillic_names(text, res, skip));
    names.extend(han::find_han_names(text, res, seg, skip));
    person_hints.extend(crate::settle::cut_person_tails(text, res, &mut names));
    let mut cut = std::collections::HashSet::new();
    for n in &mut names {
        if crate::caps::org_mention(text, n) {
            cut.insert(n.span);
        }
    }
    let mut orgs = cluster(res, names);
    for o in &mut orgs {
        o.truncated = o.mentions.iter().any(|m| cut.contains(m));
    }
    drop_concatenations(&mut orgs);
    link_acronyms(text, res, &mut orgs, skip);
    orgs.sort_by_key(Org::first);
    orgs
}

/// Groups name mentions into institutions: equal names, short forms of a
/// longer name with the same head, and acronyms.
fn cluster(res: &Resources, mut names: Vec<NameMention>) -> Vec<Org> {
    names.sort_by_key(|n| (n.span.start, std::cmp::Reverse(n.span.end)));
    names.dedup_by(|b, a| a.span.contains(&b.span) && a.span != b.span && name_key(&b.name) == name_key(&a.name));
    let mut orgs: Vec<Org> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for n in &names {
        let key = name_key(&n.name);
        if key.is_empty() {
            continue;
        }
        let idx = *by_key.entry(key).or_insert_with(|| {
            orgs.push(Org {
                name: n.name.clone(),
                aliases: Vec::new(),
                kind: n.kind,
                head: n.head.clone(),
                mentions: Vec::new(),
                country: None,
                city: None,
                truncated: false,
            });
            orgs.len() - 1
        });
        let org = &mut orgs[idx];
        org.mentions.push(n.span);
        for alias in std::iter::once(&n.name)
            .chain(n.core.iter())
            .chain(n.forms.iter())
            .chain(n.acronym.as_ref().map(|(a, _)| a))
        {
            if add_alias(org, alias) {
                by_key.entry(name_key(alias)).or_insert(idx);
            }
        }
        if let Some((_, span)) = &n.acronym {
            org.mentions.push(*span);
        }
    }
    merge_short_forms(res, orgs)
}

/// Adds a form of the name unless the org already lists it (case aside).
fn add_alias(org: &mut Org, alias: &str) -> bool {
    let alias = alias.trim();
    let known = org
        .all_names()
        .any(|a| a.len() == alias.len() && a.to_lowercase() == alias.to_lowercase());
    let added = !known && alias.chars().any(char::is_alphanumeric);
    if added {
        org.aliases.push(alias.to_string());
    }
    added
}

/// Most institutions a short form is compared with: beyond this many
/// sharing its rarest word, it is ambiguous anyway and stays as it is.
const MAX_SHORT_FORM_CANDIDATES: usize = 64;

/// "Lakeside Hospital" beside "Lakeside Cancer Hospital": a short form whose
/// words are all in exactly one longer name (with the same head) becomes its
/// alias. Candidates come from an index of distinctive words, so the cost
/// stays linear in the number of names.
fn merge_short_forms(res: &Resources, mut orgs: Vec<Org>) -> Vec<Org> {
    let words: Vec<Vec<String>> = orgs.iter().map(|o| core_words(res, o)).collect();
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        for w in ws {
            by_word.entry(w.as_str()).or_default().push(i);
        }
    }
    let mut by_head: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        by_head.entry(o.head.as_str()).or_default().push(i);
    }
    let mut target: Vec<Option<usize>> = vec![None; orgs.len()];
    for a in 0..orgs.len() {
        if orgs[a].head.is_empty() || !words[a].iter().any(|w| *w != orgs[a].head && !GENERIC.contains(&w.as_str())) {
            continue;
        }
        let han = orgs[a].name.chars().all(is_cjk);
        let key_a = format!("{} and ", name_key(&orgs[a].name));
        let candidates: Vec<usize> = if han {
            by_head.get(orgs[a].head.as_str()).cloned().unwrap_or_default()
        } else {
            words[a]
                .iter()
                .filter_map(|w| by_word.get(w.as_str()))
                .min_by_key(|list| list.len())
                .cloned()
                .unwrap_or_default()
        };
        if candidates.len() > MAX_SHORT_FORM_CANDIDATES {
            continue;
        }
        let fits: Vec<usize> = candidates
            .into_iter()
            .filter(|&b| b != a && (orgs[b].head == orgs[a].head || name_key(&orgs[b].name).starts_with(&key_a)))
            .filter(|&b| {
                if name_key(&orgs[b].name).starts_with(&key_a) {
                    true
                } else if han {
                    orgs[b].name.len() > orgs[a].name.len() && orgs[b].name.contains(&orgs[a].name)
                } else {
                    words[b].len() > words[a].len() && words[a].iter().all(|w| words[b].contains(w))
                }
            })
            .collect();
        if fits.len() == 1
            || (fits.len() > 1
                && fits.iter().all(|&b| {
                    fits.iter()
                        .all(|&c| b == c || words[b].iter().all(|w| words[c].contains(w)) || words[c].iter().all(|w| words[b].contains(w)))
                }))
        {
            target[a] = fits.iter().copied().max_by_key(|&b| words[b].len());
        }
    }
    for a in 0..orgs.len() {
        if let Some(b) = target[a] {
            let b = follow(&target, b);
            let moved = std::mem::take(&mut orgs[a].mentions);
            let names: Vec<String> = orgs[a].all_names().cloned().collect();
            orgs[b].mentions.extend(moved);
            for n in names {
                add_alias(&mut orgs[b], &n);
            }
        }
    }
    orgs.into_iter().filter(|o| !o.mentions.is_empty()).collect()
}

fn follow(target: &[Option<usize>], mut b: usize) -> usize {
    let mut steps = 0;
    while let Some(next) = target[b] {
        b = next;
        steps += 1;
        if steps > target.len() {
            break;
        }
    }
    b
}

/// Content words of an institution's name (its aliases are other forms, not more words).
fn core_words(res: &Resources, org: &Org) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for w in content_words(res, &org.name) {
        if !all.contains(&w) {
            all.push(w);
        }
    }
    all
}

/// Drops a name that is only two other names written side by side, found
/// by splitting each name at its word boundaries and looking both halves up.
fn drop_concatenations(orgs: &mut Vec<Org>) {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        for n in o.all_names() {
            owners.entry(name_key(n)).or_default().push(i);
        }
    }
    let named_by_other = |key: &str, i: usize| owners.get(key).is_some_and(|v| v.iter().any(|&o| o != i));
    let drop: Vec<bool> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let k = name_key(&o.name);
            k.match_indices(' ')
                .any(|(at, _)| named_by_other(&k[..at], i) && named_by_other(&k[at + 1..], i))
        })
        .collect();
    let mut idx = 0;
    orgs.retain(|_| {
        idx += 1;
        !drop[idx - 1]
    });
}

/// Ties every standalone acronym to its institution, and makes institutions
/// of undefined acronyms that the text uses as actors.
fn link_acronyms(text: &Text, res: &Resources, orgs: &mut Vec<Org>, skip: &dyn Fn(usize) -> bool) {
    let mut undefined: HashMap<String, Vec<Span>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, t) in text.tokens.iter().enumerate() {
        if t.kind != TokenKind::Word || skip(t.span.start) {
            continue;
        }
        let word = text.original_slice(t.span);
        let (bare, span) = match word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
            Some(b) => (b.to_string(), Span::new(t.span.start, t.span.start + b.chars().count())),
            None => (word.clone(), t.span),
        };
        if !is_acronym_shape(&bare) || res.acronym_stop.contains(&bare.to_uppercase()) {
            continue;
        }
        let surname = res.surnames.contains(&bare.to_lowercase())
            && (text
                .tokens
                .get(i + 1)
                .is_some_and(|_| text.is_capitalized(i + 1) && !text.is_all_caps(i + 1))
                || (i > 0 && text.is_capitalized(i - 1) && !text.is_all_caps(i - 1)));
        if surname {
            continue;
        }
        if let Some(org) = orgs.iter_mut().find(|o| o.all_names().any(|n| *n == bare)) {
            if !org.mentions.iter().any(|m| m.overlaps(&span)) {
                org.mentions.push(span);
            }
            continue;
        }
        let inside_name = orgs.iter().any(|o| o.mentions.iter().any(|m| m.contains(&span)));
        if inside_name || in_caps_heading(text, i) || is_place_or_country(text, res, span) {
            continue;
        }
        if !undefined.contains_key(&bare) {
            order.push(bare.clone());
        }
        undefined.entry(bare).or_default().push(span);
    }
    for acr in order {
        let spans = &undefined[&acr];
        if let Some(org) = orgs.iter_mut().find(|o| !o.head.is_empty() && initials_match(&acr, &o.name)) {
            org.aliases.push(acr.clone());
            org.mentions.extend(spans.iter().copied());
            continue;
        }
        if spans.len() >= 2 && !spans.iter().any(|s| spells_out_a_phrase(text, res, &acr, *s)) {
            orgs.push(Org {
                name: acr.clone(),
                aliases: Vec::new(),
                kind: OrgKind::Other,
                head: String::new(),
                mentions: spans.clone(),
                country: None,
                city: None,
                truncated: false,
            });
        }
    }
}

/// Words looked at before or inside the brackets of an acronym's definition.
const MAX_DEFINITION_WORDS: usize = 14;

/// "a universal health coverage (UHC) scheme", "CPEC (China-Pakistan
/// Economic Corridor)": the text spells the acronym out, and what it spells
/// holds no institution's head word, so the acronym names a programme, a
/// field or a policy, not an institution.
fn spells_out_a_phrase(text: &Text, res: &Resources, acr: &str, span: Span) -> bool {
    spelled_out(text, acr, span).is_some_and(|phrase| {
        !phrase
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| res.head_kind(&w.to_lowercase()).is_some())
    })
}

/// The words an acronym abbreviates, written just before it in brackets'
/// company ("universal health coverage (UHC)") or inside brackets after it.
fn spelled_out(text: &Text, acr: &str, span: Span) -> Option<String> {
    let i = text.token_at_or_after(span.start);
    let phrase = |a: usize, b: usize| text.slice(Span::new(text.tokens[a].span.start, text.tokens[b].span.end));
    if i >= 2 && text.is_punct(i - 1, '(') {
        let last = i - 2;
        let words: Vec<usize> = (last.saturating_sub(MAX_DEFINITION_WORDS)..=last)
            .rev()
            .take_while(|&k| text.tokens[k].kind == TokenKind::Word || text.is_punct(k, '-'))
            .collect();
        return words.iter().map(|&from| phrase(from, last)).find(|p| initials_match(acr, p));
    }
    if !text.is_punct(i + 1, '(') {
        return None;
    }
    let inside: Vec<usize> = (i + 2..(i + 2 + MAX_DEFINITION_WORDS).min(text.tokens.len()))
        .take_while(|&k| !text.is_punct(k, ')'))
        .collect();
    let p = phrase(*inside.first()?, *inside.last()?);
    initials_match(acr, &p).then_some(p)
}

fn in_caps_heading(text: &Text, i: usize) -> bool {
    let Some(s) = text.sentence_of(text.tokens[i].span.start) else {
        return false;
    };
    let s = text.sentences[s];
    let words: Vec<usize> = (s.first_token..s.end_token)
        .filter(|&k| text.tokens[k].kind == TokenKind::Word)
        .collect();
    let caps = words.iter().filter(|&&k| text.is_all_caps(k)).count();
    words.len() >= 3 && caps * 2 > words.len()
}

fn is_place_or_country(text: &Text, res: &Resources, span: Span) -> bool {
    res.places.exact(text, span).is_some() || res.countries.exact(text, span).is_some()
}

/// True for characters that can belong to a Latin or Cyrillic word.
pub fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !is_cjk(c)
}

/// True when the word is written in Cyrillic.
pub fn is_cyrillic_word(text: &Text, i: usize) -> bool {
    text.tokens[i].kind == TokenKind::Word && is_cyrillic(text.chars[text.tokens[i].span.start])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs(s: &str, lang: &str) -> Vec<(String, Vec<String>)> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_orgs(&t, res, lang, &crate::segment::Segmentation::of(&t), &|_| false, &mut Vec::new())
            .into_iter()
            .map(|o| (o.name, o.aliases))
            .collect()
    }

    fn names(s: &str, lang: &str) -> Vec<String> {
        orgs(s, lang).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn finds_names_by_their_heads() {
        assert_eq!(
            names(
                "Mei Zhou, Secretary-General of Eastern Rehabilitation Association, met the Vice President of Lakeside Cancer Hospital.",
                "en"
            ),
            ["Eastern Rehabilitation Association", "Lakeside Cancer Hospital"]
        );
    }

    #[test]
    fn a_plural_head_shared_by_two_names_makes_two_institutions() {
        let sorted = |s: &str, lang: &str| {
            let mut n = names(s, lang);
            n.sort();
            n
        };
        assert_eq!(
            sorted(
                "Les Centres hospitaliers universitaires Ibn Rochd de Tanger et Valmont ont signé une convention.",
                "fr"
            ),
            [
                "Centre hospitalier universitaire Ibn Rochd de Tanger",
                "Centre hospitalier universitaire de Valmont"
            ]
        );
        assert_eq!(
            sorted(
                "Los Hospitales Universitarios San Rafael de Cuenca y Almeria firmaron un convenio.",
                "es"
            ),
            ["Hospital Universitario San Rafael de Cuenca", "Hospital Universitario de Almeria"]
        );
    }

    #[test]
    fn numbered_hospitals_keep_their_number() {
        assert_eq!(
            names("The delegation visited Tomsk City Clinical Hospital No. 20 on Monday.", "en"),
            ["Tomsk City Clinical Hospital No. 20"]
        );
    }

    #[test]
    fn defines_acronyms_in_both_directions() {
        let o = orgs(
            "The Northbridge University Hospital (NUH) and CRI (Coastal Research Institute) met. NUH signed.",
            "en",
        );
        assert_eq!(o[0], ("Northbridge University Hospital".to_string(), vec!["NUH".to_string()]));
        assert_eq!(o[1], ("Coastal Research Institute".to_string(), vec!["CRI".to_string()]));
    }

    #[test]
    fn splits_coordinated_names_but_not_inner_conjunctions() {
        assert_eq!(
            names("It was founded by Alpha Cancer Institute & Hospital and The Second Hospital of Rivertown Medical University for Cancer Prevention and Treatment.", "en"),
            ["Alpha Cancer Institute & Hospital", "Second Hospital of Rivertown Medical University for Cancer Prevention and Treatment"]
        );
    }

    #[test]
    fn departments_and_events_are_not_institutions() {
        assert_eq!(
            names(
                "Dr. Li of the Department of Urology of Greenfield Hospital spoke at the National Oncology Congress.",
                "en"
            ),
            ["Greenfield Hospital"]
        );
        assert_eq!(
            names("The Culture Department of the Italian Consulate-General Chengdu attended.", "en"),
            ["Italian Consulate-General Chengdu"]
        );
        assert_eq!(
            names(
                "Según el Gabinete de Comunicación del Hospital Universitario Sierra Clara, la visita fue un éxito.",
                "es"
            ),
            ["Hospital Universitario Sierra Clara"]
        );
        assert_eq!(
            names("Der Lehrstuhl für Kardiologie der Universität Talheim lud ein.", "de"),
            ["Universität Talheim"]
        );
        assert_eq!(
            names(
                "Die Medizinische Fakultät der Universität Talheim und das Klinikum Nordhafen unterzeichneten.",
                "de"
            ),
            ["Universität Talheim", "Klinikum Nordhafen"]
        );
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let o = orgs("The Smirnov National Medical Research Center for Cardiology, Neurology and Rehabilitation of the Ministry of Health of Russia hosted the talks. The Smirnov Center thanked them.", "en");
        assert_eq!(o.len(), 1);
        assert!(o[0].0.ends_with("Ministry of Health of Russia"), "{:?}", o);
        assert!(o[0].1.contains(&"Smirnov Center".to_string()), "{:?}", o);
    }

    #[test]
    fn french_names_keep_inner_acronyms_and_adjectives() {
        let o = orgs(
            "Le Centre hospitalier universitaire (CHU) de Tadjourah et l'Université Gaston Berger de Saint-Louis (UGB) ont signé.",
            "fr",
        );
        assert_eq!(o[0].0, "Centre hospitalier universitaire de Tadjourah");
        assert!(o[0].1.contains(&"CHU de Tadjourah".to_string()));
        assert_eq!(
            o[1],
            ("Université Gaston Berger de Saint-Louis".to_string(), vec!["UGB".to_string()])
        );
    }

    #[test]
    fn undefined_acronyms_used_twice_become_institutions() {
        let o = names(
            "KMC welcomed guests. Later KMC signed the deal with Harbour Medical Centre (HMC).",
            "en",
        );
        assert_eq!(o, ["KMC", "Harbour Medical Centre"]);
    }

    #[test]
    fn possessives_separate_owners_from_what_they_own() {
        assert_eq!(
            names("A delegation visited Chile's Harbour Heart Institute last week.", "en"),
            ["Harbour Heart Institute"]
        );
        assert_eq!(
            names("It became the Kestrel Cancer Center's Sister Institution.", "en"),
            ["Kestrel Cancer Center"]
        );
        assert_eq!(
            names("Staff of Dunmore Children's Hospital came.", "en"),
            ["Dunmore Children's Hospital"]
        );
    }

    #[test]
    fn nationalities_with_a_lower_case_head_and_titles_name_no_institution() {
        assert!(names("They met with Chinese hospitals and a Turkish company.", "en").is_empty());
        assert_eq!(
            names("The Brightwater Clinic CEO spoke at the Westford Head of Surgery meeting.", "en"),
            ["Brightwater Clinic"]
        );
    }

    #[test]
    fn german_names_keep_saints_and_namesakes_and_drop_describing_heads() {
        assert_eq!(
            names("Sie arbeiteten im St. Anna und St. Paulus Hospital mehrere Monate.", "de"),
            ["St. Anna und St. Paulus Hospital"]
        );
        assert_eq!(
            names("Partner ist die Medizinische Akademie Lemberg nach Iwan Sirko seit 2019.", "de"),
            ["Medizinische Akademie Lemberg nach Iwan Sirko"]
        );
        assert_eq!(
            names("Sie besuchten das Krankenhaus Kibo Medical Center im Norden.", "de"),
            ["Kibo Medical Center"]
        );
    }

    #[test]
    fn german_lower_case_adjectives_open_a_name_that_a_number_quote_or_town_singles_out() {
        assert_eq!(
            names(
                "Geholfen haben das städtische klinische Krankenhaus Nr. 7 von Poltawa und andere.",
                "de"
            ),
            ["städtische klinische Krankenhaus Nr. 7 von Poltawa"]
        );
        assert_eq!(
            names("Die Patienten kamen aus dem regionalen Krankenhaus „Sonnental“ in der Nacht.", "de"),
            ["regionalen Krankenhaus „Sonnental“"]
        );
        assert_eq!(
            names("Sie besuchten das dazugehörige Krankenhaus Kibo Medical Center im Norden.", "de"),
            ["Kibo Medical Center"]
        );
        assert_eq!(names("Das neue Krankenhaus wurde gestern eröffnet.", "de"), Vec::<String>::new());
    }

    #[test]
    fn an_acronym_spelled_out_as_a_programme_names_no_institution() {
        let found = names(
            "The plan builds universal health coverage (UHC) in the region. UHC needs money, and UHC needs staff.",
            "en",
        );
        assert!(found.is_empty(), "{found:?}");
        let found = names("The Kibo Health Trust (KHT) met the minister. KHT will fund it, KHT said.", "en");
        assert!(found.iter().any(|n| n == "Kibo Health Trust"), "{found:?}");
    }

    #[test]
    fn a_name_that_opens_with_its_head_keeps_the_doctor_it_is_named_after() {
        assert_eq!(
            names("El ministro recorrió el Hospital General Dr. Ana Ruiz Soto de la ciudad.", "es"),
            ["Hospital General Dr. Ana Ruiz Soto"]
        );
        assert_eq!(
            names("At the meeting Lakeside Clinic Dr. Paul Smith spoke first.", "en"),
            ["Lakeside Clinic"]
        );
    }

    #[test]
    fn an_acronym_with_a_quoted_name_is_an_institution() {
        assert_eq!(
            orgs(
                "Partner sind das NDKL „Sonnental“ und das Klinikum Nordstadt Nr. 2 seit 2020.",
                "de"
            ),
            [
                ("NDKL „Sonnental“".to_string(), vec!["Sonnental".to_string()]),
                ("Klinikum Nordstadt Nr. 2".to_string(), vec![])
            ]
        );
    }

    #[test]
    fn a_german_genitive_after_a_common_noun_names_the_owner() {
        assert_eq!(
            names("Mit Unterstützung der Deutschen Stiftung für Kliniken wurde es gebaut.", "de"),
            ["Deutschen Stiftung für Kliniken"]
        );
    }
}
