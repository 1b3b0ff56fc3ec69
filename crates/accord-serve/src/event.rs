//! The event page's view: each fact the event holds (type, date, place,
//! parties, people, fields, kinds of cooperation, counts…) beside the words
//! of the pages that state it, quoted and linked to that spot of the page,
//! so an analyst can check every fact against its source. Facts the
//! registry does not know are left out, never shown empty.
//!
//! Institutions and people have their own spans in the page, and so has
//! each other fact (date, place, fields…) the extractor read from words of
//! the page (`Event::fact_spans`): each is quoted where it is stated, inside
//! the event's sentence or around it. A record kept before facts had spans
//! falls back on the event's sentence, the fact's words marked where it
//! names them.

use crate::{countries, document, html, present};
use accord_model::{Event, Fact, Span};
use accord_store::{DocumentRow, EventDetail, Evidence};
use std::collections::{HashMap, HashSet};

/// Quotes shown under one fact; more are counted, not shown.
const MAX_QUOTES: usize = 3;
/// Characters shown on each side of a mention outside the event's
/// sentence, or of the marks in a long sentence.
const AROUND: usize = 80;
/// A sentence longer than this is quoted around its marks, not whole.
const LONG: usize = 320;
/// How far a quote's cut looks for a space.
const SNAP: usize = 20;
/// Said of a value no page gives: an editor set it.
const BY_EDITOR: &str = "set by an editor";

/// One value of a fact, with its page in the registry when it has one.
pub struct Value {
    /// What is shown.
    pub text: String,
    /// Its page (an institution's, a person's), when it has one.
    pub href: Option<String>,
    /// A word on where it comes from when no page gives it; empty otherwise.
    pub note: &'static str,
}

/// The words of a page that state a fact.
pub struct Quote {
    /// The quoted characters as HTML, the fact's words in `<mark>`.
    pub html: String,
    /// The page's language tag, for the quote's `lang`; empty when unknown.
    pub lang: String,
    /// The page, opened at the quoted spot.
    pub href: String,
    /// The page's site or file name.
    pub site: String,
}

/// One fact of the event: a label, its values and the pages' words for it.
pub struct FactRow {
    /// What the fact is ("Parties", "Date"…).
    pub label: &'static str,
    /// Its values (never empty: a fact without one is not shown).
    pub values: Vec<Value>,
    /// The pages' words for it, at most [`MAX_QUOTES`].
    pub quotes: Vec<Quote>,
    /// Quotes beyond [`MAX_QUOTES`].
    pub more: usize,
}

/// One page that reports the event, as the list of sources shows it.
pub struct Source {
    /// Where the page states it.
    pub evidence: Evidence,
    /// Its sentence in its paragraph, the sentence marked (HTML).
    pub context: String,
    /// The page's language tag; empty when unknown.
    pub lang: String,
    /// The page, opened at the sentence.
    pub href: String,
}

/// Everything the event page shows beyond the event's row.
pub struct EventView {
    /// The facts known, in reading order.
    pub facts: Vec<FactRow>,
    /// The pages that report it.
    pub sources: Vec<Source>,
}

/// One page's report of the event: its evidence, its document and the
/// event of the document's record it comes from.
struct Report<'a> {
    evidence: &'a Evidence,
    doc: &'a DocumentRow,
    chars: &'a [char],
    lang: &'a str,
    event: Option<&'a Event>,
}

impl Report<'_> {
    /// The span of the sentence that reports the event, inside the page.
    fn sentence(&self) -> Span {
        let len = self.chars.len();
        Span::new(self.evidence.start.min(len), self.evidence.end.min(len))
    }
}

/// Words to mark in a quote, each with its kind of fact (`org`, `field`…).
type Marks = Vec<(Span, &'static str)>;

/// A stretch of one report's page to quote, with the words to mark.
struct Spot {
    report: usize,
    /// The stretch; `None` for the report's sentence.
    range: Option<Span>,
    marks: Marks,
}

/// A loaded source page: the row, its characters and its language tag.
pub type Page = (DocumentRow, Vec<char>, String);

/// Loads what [`view`] reads of a page: its characters and language tag.
pub fn page(doc: DocumentRow) -> Page {
    let chars = doc.text.chars().collect();
    let lang = document::language_tag(doc.language.as_deref(), &doc.text);
    (doc, chars, lang)
}

/// The event page's view of `d`, from its source pages (`pages`, each
/// page once, in any order; a source whose page is missing shows no words).
pub fn view(d: &EventDetail, pages: &[Page]) -> EventView {
    let mut reports = Vec::new();
    let mut sources = Vec::new();
    for ev in &d.sources {
        let Some((doc, chars, lang)) = pages.iter().find(|(p, _, _)| p.id == ev.document_id) else {
            continue;
        };
        let event = doc
            .links
            .events
            .iter()
            .filter(|(_, id)| **id == d.row.id)
            .filter_map(|(i, _)| doc.record.events.get(*i))
            .min_by_key(|e| e.evidence_span != Span::new(ev.start, ev.end));
        sources.push(Source {
            evidence: ev.clone(),
            context: html::in_context(&doc.text, ev.start, ev.end, 160),
            lang: lang.clone(),
            href: document_at(doc.id, ev.start),
        });
        reports.push(Report {
            evidence: ev,
            doc,
            chars,
            lang,
            event,
        });
    }
    EventView {
        facts: facts(d, &reports),
        sources,
    }
}

/// The facts of `d` that have a value, each with its quotes.
fn facts(d: &EventDetail, reports: &[Report]) -> Vec<FactRow> {
    let row = &d.row;
    let mut out = Vec::new();
    let type_text = match &d.subtype {
        Some(s) => format!("{} ({})", present::type_name(&row.event_type), s.replace('_', " ")),
        None => present::type_name(&row.event_type),
    };
    out.push(fact(
        "Type",
        reports,
        vec![(type_text, None)],
        |e| e.event_type.as_str() == row.event_type,
        |i, r, e| sentence(i, triggers(r, e)),
    ));
    if let Some(date) = &row.date {
        out.push(fact(
            "Date",
            reports,
            vec![(present::date_in_words(date), None)],
            |e| e.date.as_deref().is_some_and(|d| present::dates_agree(date, d)),
            |i, r, e| stated(r, i, e, Fact::Date, None, "date", Vec::new),
        ));
    }
    let place = match (&row.city, &row.country) {
        (Some(city), Some(c)) => Some(format!("{city}, {}", countries::name(c))),
        (Some(city), None) => Some(city.clone()),
        (None, Some(c)) => Some(countries::name(c)),
        (None, None) => None,
    };
    if let Some(place) = place {
        // A page agrees when what it gives of the place is the event's.
        let agrees = |given: &Option<String>, shown: &Option<String>| match (given, shown) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (given, _) => given.is_none(),
        };
        out.push(fact(
            "Place",
            reports,
            vec![(place, None)],
            |e| {
                e.place
                    .as_ref()
                    .filter(|p| p.city.is_some() || p.country.is_some())
                    .is_some_and(|p| agrees(&p.city, &row.city) && agrees(&p.country, &row.country))
            },
            |i, r, e| stated(r, i, e, Fact::Place, None, "place", || words(r, row.city.iter(), "place")),
        ));
    }
    out.push(parties(d, reports));
    out.extend(people(d, reports));
    let fields: Vec<(String, Option<String>)> = row.fields.iter().map(|f| (f.clone(), None)).collect();
    out.push(per_value("Fields", reports, fields, |e| &e.fields, Fact::Field));
    let mut activities: Vec<(String, Option<String>)> = Vec::new();
    for a in reports.iter().filter_map(|r| r.event).flat_map(|e| &e.activities) {
        if !activities.iter().any(|(b, _)| b.eq_ignore_ascii_case(a)) {
            activities.push((a.clone(), None));
        }
    }
    out.push(per_value(
        "Kind of cooperation",
        reports,
        activities,
        |e| &e.activities,
        Fact::Activity,
    ));
    if let Some(initiative) = &d.initiative {
        out.push(fact(
            "Part of",
            reports,
            vec![(initiative.clone(), None)],
            |e| e.initiative.as_deref() == Some(initiative),
            |i, r, e| {
                stated(r, i, e, Fact::Initiative, None, "field", || {
                    words(r, [initiative].into_iter(), "field")
                })
            },
        ));
    }
    if let Some(mode) = &d.mode {
        let held = match mode.as_str() {
            "online" => "Online".to_string(),
            "offline" => "In person".to_string(),
            "hybrid" => "In person and online".to_string(),
            other => other.to_string(),
        };
        out.push(fact(
            "Held",
            reports,
            vec![(held, None)],
            |e| e.mode.and_then(|m| serde_json::to_value(m).ok()).as_ref().and_then(|v| v.as_str()) == Some(mode),
            |i, r, e| stated(r, i, e, Fact::Mode, None, "field", Vec::new),
        ));
    }
    let counts = participants(d.participants.as_ref());
    if !counts.is_empty() {
        let numbers: Vec<String> = counts.iter().map(|(n, _)| n.to_string()).collect();
        let text = counts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(", ");
        out.push(fact(
            "Participants",
            reports,
            vec![(text, None)],
            |e| e.participants.as_ref().is_some_and(|p| !p.is_empty()),
            |i, r, e| stated(r, i, e, Fact::Participants, None, "field", || words(r, numbers.iter(), "field")),
        ));
    }
    out.retain(|f| !f.values.is_empty());
    out
}

/// A fact of one value: quoted from every report whose event gives it
/// (`gives`), by `spot`; a value no report gives was set by an editor.
fn fact(
    label: &'static str,
    reports: &[Report],
    values: Vec<(String, Option<String>)>,
    gives: impl Fn(&Event) -> bool,
    spot: impl Fn(usize, &Report, &Event) -> Spot,
) -> FactRow {
    let spots: Vec<Spot> = reports
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.event.filter(|e| gives(e)).map(|e| spot(i, r, e)))
        .collect();
    let note = by_editor(reports, !spots.is_empty());
    row(label, reports, values.into_iter().map(|v| (v, note)).collect(), spots)
}

/// A fact of several values (fields, kinds of cooperation), each marked in
/// the sentence of every report whose event lists it.
fn per_value(
    label: &'static str,
    reports: &[Report],
    values: Vec<(String, Option<String>)>,
    listed: impl Fn(&Event) -> &Vec<String>,
    fact: Fact,
) -> FactRow {
    let mut spots = Vec::new();
    let mut shown = Vec::new();
    for v in values {
        let mut given = false;
        for (i, r) in reports.iter().enumerate() {
            let Some(e) = r.event.filter(|e| listed(e).iter().any(|w| w.eq_ignore_ascii_case(&v.0))) else {
                continue;
            };
            given = true;
            spots.push(stated(r, i, e, fact, Some(&v.0), "field", || words(r, [&v.0].into_iter(), "field")));
        }
        shown.push((v, by_editor(reports, given)));
    }
    row(label, reports, shown, spots)
}

/// The note of a value: set by an editor when no page gives it (and the
/// pages' records were read, so it is known that none does).
fn by_editor(reports: &[Report], given: bool) -> &'static str {
    if given || reports.iter().all(|r| r.event.is_none()) {
        ""
    } else {
        BY_EDITOR
    }
}

/// The parties, each marked where the pages name it.
fn parties(d: &EventDetail, reports: &[Report]) -> FactRow {
    // Each report's parties by registry id: (report, mentions), read once.
    let mut named: HashMap<i64, Vec<(usize, &[Span])>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        let Some(e) = r.event else { continue };
        for o in r.doc.record.organizations.iter().filter(|o| e.parties.contains(&o.id)) {
            if let Some(id) = r.doc.links.institutions.get(&o.id) {
                named.entry(*id).or_default().push((i, &o.mentions));
            }
        }
    }
    let mut spots = Vec::new();
    let mut values = Vec::new();
    for (id, name) in &d.row.parties {
        let found: Vec<Spot> = named
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|(i, mentions)| mention(&reports[*i], *i, mentions, "org"))
            .collect();
        let note = by_editor(reports, !found.is_empty());
        spots.extend(found);
        values.push(((name.clone(), Some(format!("/institutions/{id}"))), note));
    }
    row("Parties", reports, values, spots)
}

/// Who signed, then the other people the event's sentences name, each
/// marked where the pages name them.
fn people(d: &EventDetail, reports: &[Report]) -> Vec<FactRow> {
    let person_page = |name: &str| {
        reports
            .iter()
            .find_map(|r| r.doc.links.people.get(name))
            .map(|id| format!("/people/{id}"))
    };
    // Each report's signatories by name (or alias): (report, mentions), read once.
    let mut named: HashMap<&str, Vec<(usize, &[Span])>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        let Some(e) = r.event.filter(|e| !e.signatories.is_empty()) else {
            continue;
        };
        for p in &r.doc.record.people {
            for n in std::iter::once(&p.name).chain(&p.aliases).filter(|n| e.signatories.contains(n)) {
                named.entry(n.as_str()).or_default().push((i, &p.mentions));
            }
        }
    }
    let (mut signers, mut signed) = (Vec::new(), Vec::new());
    for name in &d.signatories {
        let found: Vec<Spot> = named
            .get(name.as_str())
            .into_iter()
            .flatten()
            .filter_map(|(i, mentions)| mention(&reports[*i], *i, mentions, "person"))
            .collect();
        let given = !found.is_empty();
        signed.extend(found);
        signers.push(((name.clone(), person_page(name)), by_editor(reports, given)));
    }
    let (mut others, mut said, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (i, r) in reports.iter().enumerate() {
        let sentence_span = r.sentence();
        for p in &r.doc.record.people {
            let inside: Vec<Span> = p.mentions.iter().copied().filter(|m| sentence_span.contains(m)).collect();
            if inside.is_empty() || d.signatories.contains(&p.name) {
                continue;
            }
            if seen.insert(p.name.as_str()) {
                others.push(((p.name.clone(), person_page(&p.name)), ""));
            }
            said.push(sentence(i, inside.into_iter().map(|m| (m, "person")).collect()));
        }
    }
    vec![
        row("Signed by", reports, signers, signed),
        row("People named", reports, others, said),
    ]
}

/// The counts of participants: (number, "120 people").
fn participants(p: Option<&serde_json::Value>) -> Vec<(u64, String)> {
    let Some(o) = p.and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    [
        ("people", "person", "people"),
        ("institutions", "institution", "institutions"),
        ("countries", "country", "countries"),
    ]
    .into_iter()
    .filter_map(|(key, one, many)| {
        let n = o.get(key)?.as_u64()?;
        Some((n, format!("{n} {}", if n == 1 { one } else { many })))
    })
    .collect()
}

/// The quote of a report's sentence, `marks` marked.
fn sentence(report: usize, marks: Marks) -> Spot {
    Spot {
        report,
        range: None,
        marks,
    }
}

/// The spans of the event's trigger words inside its sentence.
fn triggers(r: &Report, e: &Event) -> Marks {
    let s = r.sentence();
    e.mentions.iter().filter(|m| s.contains(m)).map(|m| (*m, "event")).collect()
}

/// Where the report's sentence names each of `words` (whole words, any case).
fn words<'w>(r: &Report, words: impl Iterator<Item = &'w String>, kind: &'static str) -> Marks {
    let s = r.sentence();
    words
        .flat_map(|w| document::occurrences(r.chars, w, s))
        .map(|m| (m, kind))
        .collect()
}

/// A fact's quote from the words the extractor read it from (see
/// [`mention`]); for a record that kept no span of it, the report's
/// sentence with `fallback`'s words marked.
fn stated(
    r: &Report,
    report: usize,
    e: &Event,
    fact: Fact,
    value: Option<&str>,
    kind: &'static str,
    fallback: impl FnOnce() -> Marks,
) -> Spot {
    let spans: Vec<Span> = e.spans_of(fact, value).collect();
    mention(r, report, &spans, kind).unwrap_or_else(|| sentence(report, fallback()))
}

/// A quote for a fact with spans of its own: the report's sentence with
/// the mentions inside it marked, else the words around its first mention.
fn mention(r: &Report, report: usize, mentions: &[Span], kind: &'static str) -> Option<Spot> {
    let s = r.sentence();
    let inside: Marks = mentions.iter().filter(|m| s.contains(m)).map(|m| (*m, kind)).collect();
    if !inside.is_empty() {
        return Some(sentence(report, inside));
    }
    let m = *mentions.iter().filter(|m| m.end <= r.chars.len()).min()?;
    Some(Spot {
        report,
        range: Some(Span::new(m.start.saturating_sub(AROUND), (m.end + AROUND).min(r.chars.len()))),
        marks: vec![(m, kind)],
    })
}

/// A fact's row: its values (each with its note) and its spots quoted,
/// one quote per stretch of a page (the marks of the spots on it joined).
fn row(label: &'static str, reports: &[Report], values: Vec<((String, Option<String>), &'static str)>, spots: Vec<Spot>) -> FactRow {
    let mut joined: Vec<(usize, Span, Marks)> = Vec::new();
    let mut at: HashMap<(i64, Span), usize> = HashMap::new();
    for s in spots {
        let r = &reports[s.report];
        let range = s.range.unwrap_or_else(|| r.sentence());
        match at.get(&(r.doc.id, range)) {
            Some(&j) => joined[j].2.extend(s.marks),
            None => {
                at.insert((r.doc.id, range), joined.len());
                joined.push((s.report, range, s.marks));
            }
        }
    }
    let more = joined.len().saturating_sub(MAX_QUOTES);
    joined.truncate(MAX_QUOTES);
    FactRow {
        label,
        values: values.into_iter().map(|((text, href), note)| Value { text, href, note }).collect(),
        quotes: joined
            .into_iter()
            .map(|(i, range, marks)| quote(&reports[i], range, marks))
            .collect(),
        more,
    }
}

/// A spot as a quote: its characters escaped, its marks in `<mark>`
/// (overlapping marks joined). A sentence is quoted whole, as it stands,
/// unless it is long and has marks: then the words around them, cut at
/// spaces, with "…" where it is cut (as around a mention outside it).
fn quote(r: &Report, range: Span, mut marks: Marks) -> Quote {
    marks.retain(|(m, _)| range.contains(m) && !m.is_empty());
    marks.sort_by_key(|(m, _)| (m.start, std::cmp::Reverse(m.end)));
    let sentence = range == r.sentence();
    let outer = if sentence { range } else { Span::new(0, r.chars.len()) };
    let marked = marks.first().map(|(m, _)| m.start).zip(marks.iter().map(|(m, _)| m.end).max());
    let shown = match marked {
        Some((first, last)) if !sentence || range.len() > LONG => {
            let from = first.saturating_sub(AROUND).max(range.start);
            let to = (last + AROUND).min(range.end);
            cut_at_spaces(r.chars, Span::new(from, to), outer, Span::new(first, last))
        }
        _ => range,
    };
    let piece = |a: usize, b: usize| html::escape(&r.chars[a..b].iter().collect::<String>());
    let words = |a: usize, b: usize| r.chars[a..b].iter().any(|c| !c.is_whitespace());
    let mut out = String::new();
    if words(outer.start, shown.start) {
        out.push('…');
    }
    let mut at = shown.start;
    for (m, kind) in marks {
        if m.start < at {
            continue;
        }
        out.push_str(&piece(at, m.start));
        out.push_str(&format!("<mark class=\"fact {kind}\">{}</mark>", piece(m.start, m.end)));
        at = m.end;
    }
    out.push_str(&piece(at, shown.end));
    if words(shown.end, outer.end) {
        out.push('…');
    }
    // A sentence opens at its start (the document page's anchor of the
    // event), a stretch at its mention (the anchor of that institution or person).
    let anchor = match marked {
        Some((first, _)) if !sentence => first,
        _ => range.start,
    };
    Quote {
        html: out,
        lang: r.lang.to_string(),
        href: document_at(r.doc.id, anchor),
        site: document::source_label(r.evidence),
    }
}

/// `stretch` of `chars` cut at the spaces nearest its ends (a few
/// characters in, never into `keep`; text without spaces is cut where it
/// is) and its spaces trimmed, where it cuts into `outer`.
fn cut_at_spaces(chars: &[char], stretch: Span, outer: Span, keep: Span) -> Span {
    let (mut from, mut to) = (stretch.start, stretch.end);
    if from > outer.start {
        if let Some(space) = (from..keep.start.min(from + SNAP)).find(|&i| chars[i].is_whitespace()) {
            from = space;
        }
    }
    if to < outer.end {
        if let Some(space) = (keep.end.max(to.saturating_sub(SNAP))..to)
            .rev()
            .find(|&i| chars[i].is_whitespace())
        {
            to = space;
        }
    }
    while from < keep.start && chars[from].is_whitespace() {
        from += 1;
    }
    while to > keep.end && chars[to - 1].is_whitespace() {
        to -= 1;
    }
    Span::new(from, to)
}

/// The document page at character `at`: its part, and the anchor there.
fn document_at(id: i64, at: usize) -> String {
    match at / html::PART_CHARS {
        0 => format!("/documents/{id}#c-{at}"),
        part => format!("/documents/{id}?part={part}#c-{at}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_at_spaces_outside_the_marked_words() {
        let chars: Vec<char> = "one two three four five six".chars().collect();
        let all = Span::new(0, chars.len());
        // "two three four" kept; the cut "ne two … four fi" moves to the spaces.
        assert_eq!(cut_at_spaces(&chars, Span::new(1, 20), all, Span::new(4, 18)), Span::new(4, 18));
        // At the text's ends nothing is cut.
        assert_eq!(cut_at_spaces(&chars, all, all, Span::new(4, 7)), all);
        // Text without spaces is cut where it is.
        let han: Vec<char> = "医院与大学签署合作协议".chars().collect();
        let whole = Span::new(0, han.len());
        assert_eq!(cut_at_spaces(&han, Span::new(2, 8), whole, Span::new(3, 5)), Span::new(2, 8));
    }
}
