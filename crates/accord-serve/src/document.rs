//! The document page's view: the page's headline as title, its source site
//! and address (never a server path), its text with every fact highlighted
//! and linked to the registry entity it became, and the facts grouped by
//! entity (each once, with its mentions counted).

use crate::html::{self, Fact};
use accord_model::Span;
use accord_store::DocumentRow;

/// Facts of one entity, for the list beside the text.
pub struct FactGroup {
    /// `org`, `person`, `event`, `field` or `place`.
    pub kind: &'static str,
    /// What it is.
    pub label: String,
    /// Its page in the registry, when it has one.
    pub href: Option<String>,
    /// The anchor of its first mention in the text.
    pub anchor: String,
    /// How many times the text states it.
    pub mentions: usize,
}

/// Everything the document page shows.
pub struct DocumentView {
    /// The page's headline.
    pub title: String,
    /// The BCP 47 tag of the text (`zh-Hans`, `zh-Hant`, `ru`…), so each
    /// script gets its own glyphs; empty when unknown.
    pub lang: String,
    /// The source address, when it is a web address.
    pub url: Option<String>,
    /// The site of that address (`news.example.org`).
    pub site: Option<String>,
    /// A recorded source that is not a web address, shown as text only.
    pub other_source: Option<String>,
    /// The part's text as HTML, facts highlighted (links where a fact has
    /// a page).
    pub text: String,
    /// The part's facts, grouped by entity, in the order of the text.
    pub groups: Vec<FactGroup>,
    /// Facts of this part listed and highlighted (at most [`html::MAX_FACTS`]).
    pub facts_shown: usize,
    /// Facts of this part beyond [`html::MAX_FACTS`], neither highlighted nor listed.
    pub facts_left_out: usize,
    /// Which part of the page this is (0 first).
    pub part: usize,
    /// Parts of [`html::PART_CHARS`] characters in the page (at least one).
    pub parts: usize,
}

/// Common characters that exist only in traditional writing, and their
/// simplified forms: which of the two a Chinese page uses.
const TRADITIONAL: &str = "們這國會說學醫與為時個來對過還進發開關東華區體實現當護療衛";
const SIMPLIFIED: &str = "们这国会说学医与为时个来对过还进发开关东华区体实现当护疗卫";

/// The language tag of a page's text.
pub fn language_tag(language: Option<&str>, text: &str) -> String {
    match language {
        Some("zh") => {
            let count = |set: &str| text.chars().filter(|c| set.contains(*c)).count();
            if count(TRADITIONAL) > count(SIMPLIFIED) {
                "zh-Hant"
            } else {
                "zh-Hans"
            }
            .to_string()
        }
        Some(l) => l.to_string(),
        None => String::new(),
    }
}

/// The host of a web address, without `www.`.
pub fn site(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

/// How a source page is named beside its evidence: its site, else its
/// file name (never a server path).
pub fn source_label(e: &accord_store::Evidence) -> String {
    e.source_url
        .as_deref()
        .and_then(site)
        .unwrap_or_else(|| e.path.rsplit(['/', '\\']).next().unwrap_or(&e.path).to_string())
}

/// The page's headline: the title extraction found, else its first line,
/// else its file name.
pub fn headline(doc: &DocumentRow) -> String {
    let first_line = doc.text.lines().map(str::trim).find(|l| !l.is_empty());
    doc.record
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != doc.doc)
        .or(first_line.filter(|l| l.chars().count() <= 200))
        .unwrap_or(&doc.doc)
        .to_string()
}

/// Where a fact of the record links in the registry.
fn href(doc: &DocumentRow, key: &str) -> Option<String> {
    let (kind, local) = key.split_once(':')?;
    match kind {
        "org" => doc.links.institutions.get(local).map(|id| format!("/institutions/{id}")),
        "person" => doc.links.people.get(local).map(|id| format!("/people/{id}")),
        _ => None,
    }
}

/// Char offsets of each case-insensitive occurrence of `word` inside `within`.
pub(crate) fn occurrences(chars: &[char], word: &str, within: Span) -> Vec<Span> {
    let lower = |c: &char| c.to_lowercase().next().unwrap_or(*c);
    let word: Vec<char> = word.chars().map(|c| lower(&c)).collect();
    let end = within.end.min(chars.len());
    if word.is_empty() || within.start + word.len() > end {
        return Vec::new();
    }
    let boundary = |i: usize| i >= chars.len() || !chars[i].is_alphanumeric();
    (within.start..=end - word.len())
        .filter(|&i| chars[i..i + word.len()].iter().map(lower).eq(word.iter().copied()))
        .filter(|&i| (i == 0 || boundary(i - 1)) && boundary(i + word.len()))
        .map(|i| Span {
            start: i,
            end: i + word.len(),
        })
        .collect()
}

/// The fields and cities each event names, where its sentence states them
/// (never inside an institution's or person's name, which are links).
fn field_and_place_facts(doc: &DocumentRow, named: &[Fact]) -> Vec<Fact> {
    let chars: Vec<char> = doc.text.chars().collect();
    let overlaps = |s: &Span| {
        named
            .iter()
            .any(|f| f.kind != "event" && f.span.start < s.end && s.start < f.span.end)
    };
    let mut out: Vec<Fact> = Vec::new();
    for e in &doc.record.events {
        let words = e
            .fields
            .iter()
            .map(|f| ("field", f.clone(), format!("/search?kind=event&field={}", crate::pages::percent(f))));
        let city = e.place.as_ref().and_then(|p| p.city.clone());
        let places = city.map(|c| ("place", c.clone(), format!("/search?q={}", crate::pages::percent(&c))));
        for (kind, word, link) in words.chain(places) {
            for span in occurrences(&chars, &word, e.evidence_span) {
                if !overlaps(&span) && !out.iter().any(|f| f.span == span) {
                    out.push(Fact {
                        kind,
                        label: word.clone(),
                        span,
                        anchor: String::new(),
                        key: format!("{kind}:{}", word.to_lowercase()),
                        href: Some(link.clone()),
                    });
                }
            }
        }
    }
    out
}

/// The document page's view of `doc`, its first part.
#[cfg(test)]
pub fn view(doc: &DocumentRow) -> DocumentView {
    view_part(doc, 0).expect("every page has a first part")
}

/// The document page's view of part `part` of `doc` (parts of
/// [`html::PART_CHARS`] characters, at most [`html::MAX_FACTS`] facts
/// each); `None` when the page has no such part.
pub fn view_part(doc: &DocumentRow, part: usize) -> Option<DocumentView> {
    let mut facts = html::facts(&doc.record);
    let extra = field_and_place_facts(doc, &facts);
    facts.extend(extra);
    facts.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end), f.kind != "event"));
    for (i, f) in facts.iter_mut().enumerate() {
        f.anchor = format!("f-{i}");
        if f.href.is_none() {
            f.href = href(doc, &f.key);
        }
    }
    let shown = html::document_view(&doc.text, &facts, part)?;
    let sources: Vec<String> = doc.locations.iter().filter_map(|(_, u)| u.clone()).collect();
    let url = sources.iter().find(|u| site(u).is_some()).cloned();
    Some(DocumentView {
        title: headline(doc),
        lang: language_tag(doc.language.as_deref(), &doc.text),
        site: url.as_deref().and_then(site),
        other_source: sources.into_iter().next().filter(|_| url.is_none()),
        url,
        groups: groups(doc, &shown.facts),
        facts_shown: shown.facts.len(),
        facts_left_out: shown.facts_left_out,
        part: shown.part,
        parts: shown.parts,
        text: shown.html,
    })
}

/// One group per entity, in the order of its first mention.
fn groups(doc: &DocumentRow, facts: &[Fact]) -> Vec<FactGroup> {
    let mut out: Vec<(String, FactGroup)> = Vec::new();
    for f in facts {
        if let Some((_, g)) = out.iter_mut().find(|(k, _)| *k == f.key) {
            g.mentions += 1;
            continue;
        }
        let href = match f.key.split_once(':') {
            Some(("event", i)) => i
                .parse()
                .ok()
                .and_then(|i: usize| doc.links.events.get(&i))
                .map(|id| format!("/events/{id}")),
            _ => f.href.clone(),
        };
        out.push((
            f.key.clone(),
            FactGroup {
                kind: f.kind,
                label: f.label.clone(),
                href,
                anchor: f.anchor.clone(),
                mentions: 1,
            },
        ));
    }
    out.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_come_from_web_addresses_only() {
        assert_eq!(site("https://www.news.example.org/a?b").as_deref(), Some("news.example.org"));
        assert_eq!(site("javascript:alert(1)"), None);
        assert_eq!(site("/srv/pages/a.html"), None);
    }

    #[test]
    fn chinese_pages_say_which_script() {
        assert_eq!(language_tag(Some("zh"), "華濱醫院與香江大學"), "zh-Hant");
        assert_eq!(language_tag(Some("zh"), "云岭市人民医院与澜沧医科大学"), "zh-Hans");
        assert_eq!(language_tag(Some("ru"), "больница"), "ru");
    }

    /// A page ingested into a registry in memory, as the server reads it back.
    fn stored(name: &str, text: &str, url: Option<&str>) -> DocumentRow {
        use accord_store::{content_hash, IngestDoc, SqliteStore, Store};
        let mut store = SqliteStore::in_memory().unwrap();
        store
            .ingest(&[IngestDoc {
                path: format!("/srv/crawl/{name}"),
                source_url: url.map(String::from),
                hash: content_hash(text.as_bytes()),
                text: text.to_string(),
                record: accord_extract::extract(name, text, None),
            }])
            .unwrap();
        store.document(1).unwrap().unwrap()
    }

    const PAGE: &str = "Kestrel Heart Institute signs agreement with Marlow Children's Hospital

Published: 2 May 2024

Kestrel Heart Institute of Leeds, United Kingdom, and Marlow Children's Hospital of Lyon, France, signed an agreement on 30 April 2024 in Lyon on cooperation in cardiology.

Kestrel Heart Institute will send nurses to Marlow Children's Hospital in June.
";

    #[test]
    fn the_page_links_its_facts_and_lists_each_entity_once() {
        let doc = stored("kestrel.txt", PAGE, Some("https://www.kestrel-heart.example/news/42"));
        let v = view(&doc);
        assert_eq!(v.title, "Kestrel Heart Institute signs agreement with Marlow Children's Hospital");
        assert_eq!(v.site.as_deref(), Some("kestrel-heart.example"));
        assert_eq!(v.lang, "en");
        let kestrel = doc.links.institutions.values().copied().min().unwrap();
        assert!(
            v.text.contains(&format!("<a href=\"/institutions/{kestrel}\" class=\"fact org\"")),
            "{}",
            v.text
        );
        let orgs: Vec<&FactGroup> = v.groups.iter().filter(|g| g.kind == "org").collect();
        let mut labels: Vec<&str> = orgs.iter().map(|g| g.label.as_str()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), orgs.len(), "each institution once: {labels:?}");
        assert!(orgs.iter().any(|g| g.mentions >= 3), "mentions counted");
        assert!(orgs
            .iter()
            .all(|g| g.href.as_deref().is_some_and(|h| h.starts_with("/institutions/"))));
        let events: Vec<&FactGroup> = v.groups.iter().filter(|g| g.kind == "event").collect();
        assert!(
            events.iter().all(|g| g.href.as_deref().is_some_and(|h| h.starts_with("/events/"))),
            "events link"
        );
        assert!(
            v.text.contains("class=\"fact field\"") || v.text.contains("class=\"fact place\""),
            "{}",
            v.text
        );
    }

    #[test]
    fn a_server_path_is_never_shown() {
        let v = view(&stored("kestrel.txt", PAGE, None));
        assert!(v.url.is_none() && v.other_source.is_none() && v.site.is_none());
    }

    #[test]
    fn words_are_found_whole_and_in_any_case() {
        let chars: Vec<char> = "Cardiology and cardiologyX, cardiology.".chars().collect();
        let all = Span {
            start: 0,
            end: chars.len(),
        };
        let found = occurrences(&chars, "cardiology", all);
        assert_eq!(found, vec![Span { start: 0, end: 10 }, Span { start: 28, end: 38 }]);
    }
}
