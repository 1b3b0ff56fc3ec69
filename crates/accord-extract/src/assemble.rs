//! From annotations to the record: institutions get their countries and ids,
//! people their institutions; events are assembled in `event_assembly`.

use crate::orgs::Org;
use crate::resources::{Reference, Resources};
use crate::Document;
use accord_model::{OrgKind, Organization, Person, Record, Span};
use std::collections::HashMap;

/// Builds the record of an analysed document.
pub fn record(d: &Document, res: &Resources) -> Record {
    let mut orgs = d.orgs.clone();
    assign_countries(d, &mut orgs);
    refine_kinds(&mut orgs);
    let host = host_org(d, res, &orgs);
    let mut rec = Record::empty(d.doc.clone());
    rec.language = d.language.map(str::to_string);
    rec.published = d.published.and_then(|(p, _)| p.to_schema());
    let title_span = title_line(d);
    rec.title = match &d.markup_title {
        Some(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => title_span.map(|l| d.text.original_slice(l)),
    };
    rec.people = people(d, &orgs);
    rec.events = crate::event_assembly::events(d, res, &orgs, host, title_span);
    rec.countries = countries(d, &orgs);
    rec.organizations = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| Organization {
            id: org_id(i),
            name: o.name.clone(),
            aliases: o.aliases.clone(),
            kind: Some(o.kind),
            country: o.country.clone(),
            city: o.city.clone(),
            mentions: sorted(o.mentions.clone()),
            truncated: o.truncated,
        })
        .collect();
    rec
}

/// The record id of the institution at index `i`.
pub(crate) fn org_id(i: usize) -> String {
    format!("o{}", i + 1)
}

fn sorted(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    spans.dedup();
    spans
}

/// The page's headline: its first line of text that is neither furniture nor a date.
fn title_line(d: &Document) -> Option<Span> {
    d.text
        .sentences
        .iter()
        .filter(|s| !d.in_furniture(s.span.start))
        .map(|s| d.text.line_of(s.span.start))
        .map(|l| d.text.trim(l))
        .find(|l| l.len() >= 8 && l.len() <= 200 && !is_date_line(d, *l))
}

fn is_date_line(d: &Document, line: Span) -> bool {
    d.dates.iter().any(|m| line.contains(&m.span) && m.span.len() * 2 >= line.len())
}

/// Countries of institutions: from their names, then from what the text says
/// right after them ("Family Clinic in Myanmar", "Hospital, Madurai").
fn assign_countries(d: &Document, orgs: &mut [Org]) {
    for o in orgs.iter_mut() {
        let (country, city) = country_from_name(d, o)
            .or_else(|| country_before(d, o))
            .or_else(|| country_from_context(d, o))
            .unwrap_or((None, None));
        o.country = country;
        o.city = city;
    }
    let language_prior = language_country(d).is_some();
    let owners = MentionOwners::new(orgs);
    let nearby: Vec<Option<String>> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if o.country.is_none() && !language_prior {
                country_nearby(d, o, i, &owners)
            } else {
                None
            }
        })
        .collect();
    let fallback = dominant_country(d);
    for (o, near) in orgs.iter_mut().zip(nearby) {
        if o.country.is_none() {
            o.country = near.or_else(|| fallback.clone());
        }
    }
}

/// Which institution each name mention belongs to, sorted by position, so
/// that "is this place inside another institution's name" is a binary search.
struct MentionOwners(Vec<(Span, usize)>);

impl MentionOwners {
    fn new(orgs: &[Org]) -> MentionOwners {
        let mut all: Vec<(Span, usize)> = orgs
            .iter()
            .enumerate()
            .flat_map(|(i, o)| o.mentions.iter().map(move |m| (*m, i)))
            .collect();
        all.sort_by_key(|(m, _)| (m.start, std::cmp::Reverse(m.end)));
        MentionOwners(all)
    }

    /// True when `span` lies inside a name of an institution other than `org`.
    fn inside_other(&self, span: Span, org: usize) -> bool {
        let upto = self.0.partition_point(|(m, _)| m.start <= span.start);
        self.0[..upto]
            .iter()
            .rev()
            .take(MAX_ENCLOSING_NAMES)
            .any(|(m, i)| *i != org && m.contains(&span))
    }
}

/// Names looked back at for one enclosing a place: names rarely nest deeper.
const MAX_ENCLOSING_NAMES: usize = 8;

/// Sentences of an institution consulted for its country.
const MAX_COUNTRY_SENTENCES: usize = 8;

/// "AIIMS sent three surgeons to the camp in Lucknow": an institution the
/// text gives no country of its own takes the one its sentences speak of,
/// when one stands out (a city counts twice, as it says where; countries and
/// places inside other institutions' names are theirs, not this one's).
fn country_nearby(d: &Document, o: &Org, index: usize, owners: &MentionOwners) -> Option<String> {
    let mut votes: HashMap<&str, usize> = HashMap::new();
    let mut sentences: Vec<usize> = o.mentions.iter().filter_map(|m| d.text.sentence_of(m.start)).collect();
    sentences.sort_unstable();
    sentences.dedup();
    for &si in sentences.iter().take(MAX_COUNTRY_SENTENCES) {
        let sentence = d.text.sentences[si].span;
        let from = d.countries.partition_point(|c| c.span.start < sentence.start);
        for c in d.countries[from..].iter().take_while(|c| c.span.start < sentence.end) {
            if sentence.contains(&c.span) && !owners.inside_other(c.span, index) {
                *votes.entry(c.code.as_str()).or_default() += 1;
            }
        }
        let from = d.places.partition_point(|p| p.span.start < sentence.start);
        for p in d.places[from..].iter().take_while(|p| p.span.start < sentence.end) {
            if sentence.contains(&p.span) && !owners.inside_other(p.span, index) {
                *votes.entry(p.place.country.as_str()).or_default() += if p.place.is_city { 2 } else { 1 };
            }
        }
    }
    leading_country(votes, |first, second| first > second)
}

/// The country with most votes, when `stands_out(its votes, the runner-up's)`
/// or it is the only one.
fn leading_country(votes: HashMap<&str, usize>, stands_out: impl Fn(usize, usize) -> bool) -> Option<String> {
    let mut ranked: Vec<(&str, usize)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    match ranked.as_slice() {
        [(c, _)] => Some(c.to_string()),
        [(c, a), (_, b), ..] if stands_out(*a, *b) => Some(c.to_string()),
        _ => None,
    }
}

type CountryCity = (Option<String>, Option<String>);

fn country_from_name(d: &Document, o: &Org) -> Option<CountryCity> {
    let inside = |s: &Span| o.mentions.iter().any(|m| m.contains(s));
    let mut codes: Vec<&str> = d.countries.iter().filter(|c| inside(&c.span)).map(|c| c.code.as_str()).collect();
    codes.dedup();
    let place = d.places.iter().find(|p| inside(&p.span));
    let city = place.filter(|p| p.place.is_city).map(|p| p.place.canonical.clone());
    match codes.as_slice() {
        [one] => Some((
            Some(one.to_string()),
            city.filter(|_| place.is_some_and(|p| p.place.country == *one)),
        )),
        [] => place.map(|p| (Some(p.place.country.clone()), city)),
        _ => Some((None, city)),
    }
}

/// "Ethiopia's Bonga University", "the Chilean Children's Hospital": a
/// country or its adjective written right before a mention.
fn country_before(d: &Document, o: &Org) -> Option<CountryCity> {
    o.mentions.iter().find_map(|m| {
        let c = d
            .countries
            .iter()
            .rev()
            .find(|c| c.span.end <= m.start && m.start - c.span.end <= 3)?;
        let gap = d.text.slice(Span::new(c.span.end, m.start)).to_lowercase();
        matches!(gap.trim(), "" | "'s" | "’s" | "-").then(|| (Some(c.code.clone()), None))
    })
}

fn country_from_context(d: &Document, o: &Org) -> Option<CountryCity> {
    for m in o.mentions.iter().take(3) {
        let next = d.text.token_at_or_after(m.end);
        let Some(s) = d.text.sentence_of(m.start).map(|i| d.text.sentences[i]) else {
            continue;
        };
        let window_end = (next + 10).min(s.end_token);
        let window = if next < window_end {
            Span::new(d.text.tokens[next].span.start, d.text.tokens[window_end - 1].span.end)
        } else {
            continue;
        };
        let introduced = d.text.tokens.get(next).is_some_and(|t| {
            let w = d.text.lower_slice(t.span);
            matches!(w, "in" | "," | "(" | "from" | "of" | "en" | "à" | "de" | "в" | "из")
        });
        if !introduced {
            continue;
        }
        let place = d.places.iter().find(|p| window.contains(&p.span));
        let country = d.countries.iter().find(|c| window.contains(&c.span) && c.is_name);
        match (place, country) {
            (Some(p), Some(c)) if p.span.start < c.span.start => {
                return Some((Some(p.place.country.clone()), p.place.is_city.then(|| p.place.canonical.clone())))
            }
            (_, Some(c)) => return Some((Some(c.code.clone()), None)),
            (Some(p), None) => return Some((Some(p.place.country.clone()), p.place.is_city.then(|| p.place.canonical.clone()))),
            _ => {}
        }
    }
    None
}

/// The country whose institutions a page in this language is about unless
/// it says otherwise: Russian and Chinese pages are written by and for their
/// own country's institutions; the other languages are spoken in many.
fn language_country(d: &Document) -> Option<&'static str> {
    match d.language {
        Some("ru") => Some("RU"),
        Some("zh") => Some("CN"),
        _ => None,
    }
}

/// The country a page is about, when one clearly dominates.
fn dominant_country(d: &Document) -> Option<String> {
    if let Some(c) = language_country(d) {
        return Some(c.into());
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in d.countries.iter().filter(|c| !d.in_furniture(c.span.start)) {
        *counts.entry(c.code.as_str()).or_default() += 2;
    }
    for p in d.places.iter().filter(|p| !d.in_furniture(p.span.start)) {
        *counts.entry(p.place.country.as_str()).or_default() += 1;
    }
    leading_country(counts, |first, second| first >= second * 2)
}

fn refine_kinds(orgs: &mut [Org]) {
    for o in orgs.iter_mut() {
        let lower = o.name.to_lowercase();
        let has = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        let center_like = matches!(
            o.head.as_str(),
            "center" | "centre" | "institute" | "academy" | "laboratory" | "lab" | "中心"
        );
        let two_acronyms = o
            .name
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains('-') && w.split('-').all(|p| p.len() >= 2 && p.chars().all(|c| c.is_uppercase())));
        if center_like && (has("joint") || has("sino") || two_acronyms || lower.contains("联合") || lower.contains("совместн")) {
            o.kind = OrgKind::JointCenter;
        } else if matches!(o.head.as_str(), "center" | "centre" | "centro" | "центр") {
            o.kind = if has("research") || has("recherche") || has("investigación") {
                OrgKind::ResearchInstitute
            } else if has("university") || has("université") || has("universidad") {
                OrgKind::University
            } else if [
                "medical",
                "cancer",
                "clinical",
                "heart",
                "children",
                "hospitalier",
                "médical",
                "médico",
                "oncology",
                "health",
                "медицинский",
                "клинический",
            ]
            .iter()
            .any(|w| has(w))
            {
                OrgKind::Hospital
            } else {
                OrgKind::Other
            };
        } else if o.head == "group" && (has("hospital") || has("medical") || has("health")) {
            o.kind = OrgKind::Hospital;
        }
    }
}

/// The institution whose page this is: the most mentioned hospital or
/// university, else the most mentioned institution.
fn host_org(d: &Document, res: &Resources, orgs: &[Org]) -> Option<usize> {
    let refs = res.references.find(&d.text);
    let host_kind = refs.iter().any(|r| *r.value == Reference::Host);
    let best = |filter: &dyn Fn(&Org) -> bool| {
        orgs.iter()
            .enumerate()
            .filter(|(_, o)| filter(o))
            .max_by_key(|(i, o)| (o.mentions.len(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    };
    if host_kind {
        if let Some(i) = best(&|o| matches!(o.kind, OrgKind::Hospital | OrgKind::University)) {
            return Some(i);
        }
    }
    best(&|_| true)
}

fn people(d: &Document, orgs: &[Org]) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for p in &d.people {
        let mut p = p.clone();
        let truncated = crate::caps::person_mention(&d.text, &mut p);
        let known = out
            .iter()
            .position(|q| std::iter::once(&q.name).chain(&q.aliases).any(|n| same_person(n, &p.name)));
        let Some(i) = known else {
            out.push(Person {
                name: p.name.clone(),
                aliases: p.form.iter().cloned().collect(),
                titles: p.titles.clone(),
                org: person_org(d, orgs, p.span),
                mentions: vec![p.span],
                truncated,
            });
            continue;
        };
        let existing = &mut out[i];
        existing.mentions.push(p.span);
        existing.truncated |= truncated;
        for t in &p.titles {
            if !existing.titles.contains(t) {
                existing.titles.push(t.clone());
            }
        }
        if let Some(form) = p.form.as_ref().filter(|f| !existing.aliases.contains(f)) {
            existing.aliases.push(form.clone());
        }
        if existing.org.is_none() {
            existing.org = person_org(d, orgs, p.span);
        }
    }
    fold_short_forms(out)
}

/// "S. Lambert" or "Lambert" beside "Sophie Lambert": a short form of a person
/// named in full on the same page becomes an alias of the full name.
fn fold_short_forms(people: Vec<Person>) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::with_capacity(people.len());
    let (short, full): (Vec<Person>, Vec<Person>) = people.into_iter().partition(|p| short_form(&p.name).is_some());
    out.extend(full);
    for p in short {
        let (initial, surname) = short_form(&p.name).expect("a short form");
        let owner = out.iter_mut().find(|q| {
            let words: Vec<&str> = q.name.split_whitespace().collect();
            words.len() >= 2
                && words[1..].iter().any(|w| w.to_lowercase() == surname.to_lowercase())
                && initial.is_none_or(|c| words[0].chars().next().is_some_and(|f| f.to_lowercase().eq(c.to_lowercase())))
        });
        match owner {
            Some(q) => {
                q.aliases.push(p.name.clone());
                q.aliases.extend(p.aliases);
                q.mentions.extend(p.mentions);
                q.mentions.sort_by_key(|s| s.start);
            }
            None => out.push(p),
        }
    }
    out.sort_by_key(|p| p.mentions.first().map_or(usize::MAX, |s| s.start));
    out
}

/// The initial and surname of "S. Lambert", or the surname of "Lambert".
fn short_form(name: &str) -> Option<(Option<char>, &str)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [surname] if surname.chars().count() > 1 && !surname.chars().any(crate::text::is_cjk) => Some((None, surname)),
        [initial, surname] if initial.trim_end_matches('.').chars().count() == 1 && surname.chars().count() > 1 => {
            Some((initial.chars().next(), surname))
        }
        _ => None,
    }
}

fn same_person(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        let mut w: Vec<String> = s
            .split(|c: char| c.is_whitespace() || c == '.')
            .filter(|x| !x.is_empty())
            .map(|x| x.to_lowercase())
            .collect();
        w.sort();
        w
    };
    key(a) == key(b)
}

/// The institution nearest after the name in its sentence (its apposition),
/// else the nearest before it.
fn person_org(d: &Document, orgs: &[Org], span: Span) -> Option<String> {
    let s = d.text.sentences[d.text.sentence_of(span.start)?];
    let mut after: Option<(usize, usize)> = None;
    let mut before: Option<(usize, usize)> = None;
    for (i, o) in orgs.iter().enumerate() {
        for m in &o.mentions {
            if !s.span.contains(m) {
                continue;
            }
            if m.start >= span.end && after.is_none_or(|(pos, _)| m.start < pos) {
                after = Some((m.start, i));
            }
            if m.end <= span.start && before.is_none_or(|(pos, _)| m.end > pos) {
                before = Some((m.end, i));
            }
        }
    }
    let near_after = after.filter(|(pos, _)| pos - span.end <= 80);
    near_after.or(before).map(|(_, i)| org_id(i))
}

fn countries(d: &Document, orgs: &[Org]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: &str| {
        if !out.iter().any(|x| x == c) {
            out.push(c.to_string());
        }
    };
    for o in orgs {
        if let Some((Some(c), _)) = country_from_name(d, o).or_else(|| country_from_context(d, o)) {
            add(&c);
        }
    }
    for c in d.countries.iter().filter(|c| !d.in_furniture(c.span.start)) {
        add(&c.code);
    }
    out
}
