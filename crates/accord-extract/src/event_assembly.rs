//! Event assembly: event sentences become events with their dates, parties,
//! places, fields, activities and counts, and reports of the same event are
//! merged. Kept apart from `assemble` (institutions, people, countries) so
//! that event work and institution work do not touch the same file.

use crate::assemble::org_id;
use crate::date_resolve::event_date;
use crate::dates::DateKind;
use crate::event_identity::{absorb_draft, counterparts, merge_or_push, split, Draft};
use crate::events::{find_mode, find_participants};
use crate::lexicon::PhraseHit;
use crate::orgs::Org;
use crate::resources::{Reference, Resources};
use crate::Document;
use accord_model::{Event, EventType, Fact, FactSpan, Place, Span};

/// A headline: a short line of its own, without final punctuation, near the top.
fn is_headline(d: &Document, sentence: usize) -> bool {
    let s = d.text.sentences[sentence];
    let line = d.text.trim(d.text.line_of(s.span.start));
    let last = d.text.chars[s.span.end - 1];
    let near_top = d.text.sentences[..sentence]
        .iter()
        .filter(|x| !d.in_furniture(x.span.start))
        .count()
        < 5;
    line == s.span && s.span.len() <= 150 && !matches!(last, '.' | '!' | '?' | '。' | '"' | ')') && near_top
}

/// The events of the page: one draft per event sentence, merged with the
/// earlier reports of the same event; headlines only add to the body's events.
pub(crate) fn events(d: &Document, res: &Resources, orgs: &[Org], host: Option<usize>, title: Option<Span>) -> Vec<Event> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut headline: Vec<Draft> = Vec::new();
    let host_id = host.map(org_id);
    let doc_initiative = res
        .initiatives
        .find(&d.text)
        .into_iter()
        .find(|h| !d.in_furniture(h.span.start))
        .map(|h| h.value.clone());
    for (n, m) in d.events.iter().enumerate() {
        let s = d.text.sentences[m.sentence];
        let previous = drafts.last().map(|x| &x.event);
        let draft = draft_of(d, res, orgs, host, n, previous, doc_initiative.as_deref());
        if title.is_some_and(|t| t.contains(&s.span) || s.span.contains(&t)) || is_headline(d, m.sentence) {
            headline.push(draft);
            continue;
        }
        let lang = d.language.unwrap_or("en");
        let list = counterparts(&d.text, &res.identity, lang, orgs, &s, m.event_type, &m.triggers);
        let list: Vec<String> = list.into_iter().map(org_id).collect();
        for one in split(draft, &list) {
            merge_or_push(&mut drafts, one, host_id.as_deref());
        }
    }
    for h in headline {
        match drafts.iter_mut().find(|x| x.event.event_type == h.event.event_type) {
            Some(x) => absorb_draft(x, h),
            None => drafts.insert(0, h),
        }
    }
    drafts.into_iter().map(|x| x.event).collect()
}

/// Sentences, counting its own, that tell an event's story (its fields and
/// activities) when no other event is reported sooner.
const EVENT_STORY_SENTENCES: usize = 6;

/// The draft of the `n`th event sentence: its date, parties, place, fields,
/// activities, counts and evidence.
fn draft_of(
    d: &Document,
    res: &Resources,
    orgs: &[Org],
    host: Option<usize>,
    n: usize,
    previous: Option<&Event>,
    doc_initiative: Option<&str>,
) -> Draft {
    let m = &d.events[n];
    let s = d.text.sentences[m.sentence];
    let (date, explicit_date) = event_date(d, m);
    let mut parties = parties(d, res, orgs, host, s.span, previous);
    if let Some(h) = host.map(org_id).filter(|h| !parties.contains(h)) {
        parties.push(h);
    }
    let next_event_sentence = d
        .events
        .iter()
        .skip(n + 1)
        .map(|e| e.sentence)
        .find(|&e| e > m.sentence)
        .unwrap_or(usize::MAX);
    let window_end = (m.sentence + EVENT_STORY_SENTENCES)
        .min(next_event_sentence)
        .min(d.text.sentences.len());
    let window = Span::new(s.span.start, d.text.sentences[window_end - 1].span.end);
    let paragraph = paragraph_span(d, m.sentence);
    let mut facts = Facts::default();
    if let Some((_, span)) = date {
        facts.add(Fact::Date, None, span);
    }
    let initiative = match [s.span, paragraph]
        .iter()
        .find_map(|span| res.initiatives.find_in(&d.text, *span).first().cloned())
    {
        Some(hit) => {
            facts.add(Fact::Initiative, None, hit.span);
            Some(hit.value.clone())
        }
        None => doc_initiative.map(str::to_string),
    };
    let place = d.places.iter().find(|p| s.span.contains(&p.span) && p.place.is_city).map(|p| {
        facts.add(Fact::Place, None, p.span);
        Place {
            city: Some(p.place.canonical.clone()),
            country: Some(p.place.country.clone()),
        }
    });
    let fields = facts.values(Fact::Field, res.fields.find_in(&d.text, window));
    let activities = facts.values(Fact::Activity, res.activities.find_in(&d.text, window));
    let participants = find_participants(&d.text, res, &s, &d.dates).map(|(p, span)| {
        if let Some(span) = span {
            facts.add(Fact::Participants, None, span);
        }
        p
    });
    let mode = [s.span, paragraph]
        .into_iter()
        .find_map(|span| find_mode(&d.text, res, span))
        .map(|(mode, span)| {
            facts.add(Fact::Mode, None, span);
            mode
        });
    let signatories = if m.event_type == EventType::Agreement {
        d.people
            .iter()
            .filter(|p| s.span.contains(&p.span))
            .map(|p| p.name.clone())
            .collect()
    } else {
        Vec::new()
    };
    let (evidence_span, truncated) = crate::caps::evidence(&d.text, d.text.trim(s.span), m.triggers.first().copied());
    let event = Event {
        event_type: m.event_type,
        subtype: m.subtype.clone(),
        date: date.and_then(|(x, _)| x.to_schema()),
        place,
        parties,
        signatories,
        fields,
        activities,
        initiative,
        participants,
        mode,
        evidence: d.text.original_slice(evidence_span),
        evidence_span,
        mentions: m.triggers.clone(),
        truncated,
        fact_spans: facts.0,
    };
    let today = !explicit_date && d.dates.iter().any(|x| s.span.contains(&x.span) && x.kind == DateKind::Relative(0));
    Draft {
        event,
        explicit_date,
        sentence: m.sentence,
        today,
        named: named_in(orgs, s.span),
        another: res.identity.another(&d.text, d.language.unwrap_or("en"), &s, &m.triggers),
    }
}

/// Ids of the institutions a sentence names.
fn named_in(orgs: &[Org], sentence: Span) -> Vec<String> {
    orgs.iter()
        .enumerate()
        .filter(|(_, o)| o.mentions.iter().any(|m| sentence.contains(m)))
        .map(|(i, _)| org_id(i))
        .collect()
}

/// The spans of an event's facts, gathered as its draft reads them.
#[derive(Default)]
struct Facts(Vec<FactSpan>);

impl Facts {
    fn add(&mut self, fact: Fact, value: Option<&str>, span: Span) {
        self.0.push(FactSpan {
            fact,
            value: value.map(str::to_string),
            span,
        });
    }

    /// The distinct values of a fact of several values (fields, kinds of
    /// cooperation: words inside an institution's name count too, as the
    /// reference annotates "oncology" of "Oncology Hospital" when the event
    /// is that hospital's), each value's first hit kept as its span.
    fn values(&mut self, fact: Fact, hits: Vec<PhraseHit<'_, String>>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in hits {
            if !out.contains(h.value) {
                self.add(fact, Some(h.value), h.span);
                out.push(h.value.clone());
            }
        }
        out
    }
}

/// Sentences on either side of an event's that its paragraph may lend it
/// (an initiative, a mode): a bound, so that a page written as one endless
/// paragraph costs time linear in its length.
const PARAGRAPH_REACH: usize = 6;

/// The event sentence's paragraph, at most `PARAGRAPH_REACH` sentences on either side.
fn paragraph_span(d: &Document, sentence: usize) -> Span {
    let sentences = &d.text.sentences;
    let p = sentences[sentence].paragraph;
    let first = (sentence.saturating_sub(PARAGRAPH_REACH)..=sentence)
        .find(|&k| sentences[k].paragraph == p)
        .unwrap_or(sentence);
    let last = (sentence..(sentence + PARAGRAPH_REACH + 1).min(sentences.len()))
        .rev()
        .find(|&k| sentences[k].paragraph == p)
        .unwrap_or(sentence);
    Span::new(sentences[first].span.start, sentences[last].span.end)
}

fn parties(d: &Document, res: &Resources, orgs: &[Org], host: Option<usize>, sentence: Span, previous: Option<&Event>) -> Vec<String> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        if let Some(m) = o.mentions.iter().filter(|m| sentence.contains(m)).min() {
            found.push((m.start, i));
        }
    }
    for r in res.references.find_in(&d.text, sentence) {
        match r.value {
            Reference::Host => found.extend(host.map(|h| (r.span.start, h))),
            Reference::Kind(kind) => {
                let of_kind = orgs
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.kind == *kind)
                    .max_by_key(|(_, o)| o.mentions.len())
                    .map(|(i, _)| i);
                found.extend(of_kind.or(host).map(|i| (r.span.start, i)));
            }
            Reference::Parties => {
                if let Some(prev) = previous.filter(|p| !p.parties.is_empty()) {
                    return prev.parties.clone();
                }
                let mut top: Vec<usize> = (0..orgs.len()).collect();
                top.sort_by_key(|&i| std::cmp::Reverse(orgs[i].mentions.len()));
                found.extend(top.into_iter().take(2).map(|i| (r.span.start, i)));
            }
        }
    }
    found.sort();
    let mut ids: Vec<String> = Vec::new();
    for (_, i) in found {
        let id = org_id(i);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        ids.extend(host.map(org_id));
    }
    ids
}
