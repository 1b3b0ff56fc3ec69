//! Event identity: when one sentence reports several happenings ("two
//! memoranda with A and B respectively", "visited A, B and C") and when two
//! reports are one happening. Reports merge by type, compatible dates and
//! agreeing parties, never by how near their sentences stand; a report
//! without a date of its own never changes the date of the event it joins.
//! The cues are data (`data/identity.tsv`), per language.

use crate::lexicon::{rows, PhraseMatcher};
use crate::orgs::Org;
use crate::text::{Sentence, Text, TokenKind};
use accord_model::{Event, EventType, Fact, FactSpan, Span};

/// Lower-case words a list of institutions may hold between two names
/// ("dem regionalen", "the"), besides punctuation and coordinators.
const LIST_GAP_WORDS: usize = 3;

/// Most words of an unrecognised name standing between two listed ones.
const LIST_ITEM_WORDS: usize = 6;

/// Tokens between a visit's trigger and the first institution of the list
/// it visited ("visited the A, B and C").
const VISIT_OBJECT: usize = 3;
/// Days apart that two dated reports of one training may be (its sessions).
const TRAINING_DAYS: i64 = 14;

/// What a cue of `data/identity.tsv` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Distributive,
    Plural,
    Coordinator,
    Another,
}

/// The identity cues, loaded once with the other resources.
pub struct IdentityCues {
    cues: PhraseMatcher<Vec<(String, CueKind)>>,
    plural_suffixes: Vec<(String, String)>,
}

impl IdentityCues {
    /// Reads `data/identity.tsv`.
    pub fn load() -> IdentityCues {
        let name = "identity.tsv";
        let data = include_str!("../data/identity.tsv");
        let mut phrases: Vec<(String, Vec<(String, CueKind)>)> = Vec::new();
        let mut plural_suffixes = Vec::new();
        for f in rows(name, data, 3) {
            let kind = match f[1] {
                "distributive" => CueKind::Distributive,
                "plural" => CueKind::Plural,
                "coordinator" => CueKind::Coordinator,
                "another" => CueKind::Another,
                "plural_suffix" => {
                    plural_suffixes.push((f[0].to_string(), f[2].to_string()));
                    continue;
                }
                other => panic!("data/{name}: unknown kind {other}"),
            };
            let cue = (f[0].to_string(), kind);
            match phrases.iter_mut().find(|(form, _)| form == f[2]) {
                Some((_, cues)) => cues.push(cue),
                None => phrases.push((f[2].to_string(), vec![cue])),
            }
        }
        IdentityCues {
            cues: PhraseMatcher::new(phrases),
            plural_suffixes,
        }
    }

    fn spans(&self, text: &Text, lang: &str, within: Span, kind: CueKind) -> Vec<Span> {
        self.cues
            .find_in(text, within)
            .into_iter()
            .filter(|h| h.value.iter().any(|(l, k)| l == lang && *k == kind))
            .map(|h| h.span)
            .collect()
    }

    /// The sentence gives one agreement per counterpart: "respectively", or
    /// a plural agreement noun.
    fn distributive(&self, text: &Text, lang: &str, s: &Sentence) -> bool {
        let cued = [CueKind::Distributive, CueKind::Plural]
            .iter()
            .any(|k| !self.spans(text, lang, s.span, *k).is_empty());
        cued || (s.first_token..s.end_token).any(|k| {
            let w = text.lower_slice(text.tokens[k].span);
            self.plural_suffixes.iter().any(|(l, x)| l == lang && w.ends_with(x.as_str()))
        })
    }

    /// An ordinal or "another" just before one of the triggers: the report
    /// of a new event ("the second memorandum").
    pub fn another(&self, text: &Text, lang: &str, s: &Sentence, triggers: &[Span]) -> bool {
        self.spans(text, lang, s.span, CueKind::Another).iter().any(|c| {
            triggers.iter().any(|t| {
                let (from, to) = (text.token_at_or_after(c.end), text.token_at_or_after(t.start));
                c.end <= t.start && to - from <= 2
            })
        })
    }
}

/// An event being built, with what identity needs to know about it.
pub struct Draft {
    /// The event.
    pub event: Event,
    /// Its sentence states its date.
    pub explicit_date: bool,
    /// Index of its sentence.
    pub sentence: usize,
    /// Its sentence says "today" (and no date): a press page's "today" is the
    /// day of the event the page reports.
    pub today: bool,
    /// Ids of the institutions its sentence names (not the page's host).
    pub named: Vec<String>,
    /// Its sentence marks it as another event ("a second agreement").
    pub another: bool,
}

/// The institutions of a list in the sentence that are separate
/// counterparts, one event each: for an agreement when the sentence is
/// distributive, for a visit when the list follows the visit's trigger
/// (one visit per visited institution). Org indices, in text order.
pub fn counterparts(
    text: &Text,
    cues: &IdentityCues,
    lang: &str,
    orgs: &[Org],
    s: &Sentence,
    t: EventType,
    triggers: &[Span],
) -> Vec<usize> {
    let distributive = t == EventType::Agreement && cues.distributive(text, lang, s);
    if !distributive && t != EventType::Visit {
        return Vec::new();
    }
    let mut named: Vec<(Span, usize)> = orgs
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.mentions.iter().filter(|m| s.span.contains(m)).map(move |m| (*m, i)))
        .collect();
    named.sort_by_key(|(m, _)| m.start);
    named.dedup_by(|b, a| b.0.start < a.0.end);
    if t == EventType::Visit {
        let object = |m: &Span| {
            triggers.iter().any(|x| {
                let (from, to) = (text.token_at_or_after(x.end), text.token_at_or_after(m.start));
                x.end <= m.start && to - from <= VISIT_OBJECT
            })
        };
        let Some(first) = named.iter().position(|(m, _)| object(m)) else {
            return Vec::new();
        };
        named.drain(..first);
        let list = longest_list(text, cues, lang, &named);
        return if list.first() == named.first().map(|(_, i)| i) {
            list
        } else {
            Vec::new()
        };
    }
    longest_list(text, cues, lang, &named)
}

/// The longest run of at least two distinct institutions joined as a list.
fn longest_list(text: &Text, cues: &IdentityCues, lang: &str, named: &[(Span, usize)]) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for (k, (m, i)) in named.iter().enumerate() {
        let joined = k > 0 && listed(text, cues, lang, Span::new(named[k - 1].0.end, m.start));
        if !joined {
            run.clear();
        }
        if !run.contains(i) {
            run.push(*i);
        }
        if run.len() > best.len() {
            best = run.clone();
        }
    }
    if best.len() >= 2 {
        best
    } else {
        Vec::new()
    }
}

/// The text between two names joins them in a list: a comma or a
/// coordinator, with at most a few lower-case words (articles, adjectives);
/// or, between two separators, one more item whose name was not recognised
/// ("A, the Kibo Children's Clinic and B").
fn listed(text: &Text, cues: &IdentityCues, lang: &str, gap: Span) -> bool {
    let coordinators = cues.spans(text, lang, gap, CueKind::Coordinator);
    let mut separators = coordinators.len();
    let (mut words, mut unknown) = (0, 0);
    let (from, to) = (text.token_at_or_after(gap.start), text.token_at_or_after(gap.end));
    for k in from..to {
        let tok = text.tokens[k];
        if coordinators.iter().any(|c| c.contains(&tok.span)) {
            continue;
        }
        match tok.kind {
            TokenKind::Punct => match text.chars[tok.span.start] {
                ',' | '、' => separators += 1,
                '"' | '“' | '”' | '„' | '«' | '»' | '\'' | '’' => {}
                _ => return false,
            },
            TokenKind::Word if text.chars[tok.span.start].is_lowercase() => words += 1,
            TokenKind::Word if unknown < LIST_ITEM_WORDS => unknown += 1,
            _ => return false,
        }
    }
    let one_item_between = unknown == 0 || separators >= 2;
    separators > 0 && one_item_between && words <= LIST_GAP_WORDS * (1 + usize::from(unknown > 0))
}

/// One event per counterpart: each keeps the parties outside the list and
/// takes one institution of it.
pub fn split(draft: Draft, list: &[String]) -> Vec<Draft> {
    if list.len() < 2 {
        return vec![draft];
    }
    let common: Vec<String> = draft.event.parties.iter().filter(|p| !list.contains(p)).cloned().collect();
    list.iter()
        .map(|member| {
            let mut event = draft.event.clone();
            event.parties = std::iter::once(member.clone()).chain(common.iter().cloned()).collect();
            let named = draft.named.iter().filter(|p| !list.contains(p) || *p == member).cloned().collect();
            Draft {
                event,
                named,
                another: true,
                explicit_date: draft.explicit_date,
                sentence: draft.sentence,
                today: draft.today,
            }
        })
        .collect()
}

/// Merges a new report into an earlier report of the same event, or adds
/// it; `host` is the id of the page's host institution.
pub fn merge_or_push(drafts: &mut Vec<Draft>, n: Draft, host: Option<&str>) {
    let same = if n.another {
        None
    } else {
        drafts.iter_mut().rev().find(|x| same_event(x, &n, host))
    };
    match same {
        Some(x) => absorb_draft(x, n),
        None => drafts.push(n),
    }
}

/// Two reports are one event: the same type, agreeing parties, and dates
/// that agree when the new report states one. A report that states no date
/// of its own joins by its parties alone; "today" joins the page's event.
fn same_event(x: &Draft, n: &Draft, host: Option<&str>) -> bool {
    let (e, f) = (&x.event, &n.event);
    if e.event_type != f.event_type || !parties_agree(&x.named, &n.named, host) {
        return false;
    }
    if !n.explicit_date {
        return true;
    }
    e.date.is_none() || n.today || dates_compatible(e.event_type, e.date.as_deref(), f.date.as_deref())
}

/// The reports' institutions agree: one names none, or they share one (the
/// page's host is a party of every report). Two reports that each name only
/// counterparts the other lacks are two events.
fn parties_agree(a: &[String], b: &[String], host: Option<&str>) -> bool {
    let shared = |p: &String| b.contains(p) || host == Some(p.as_str());
    a.is_empty() || b.is_empty() || a.iter().any(shared) || b.iter().any(|p| host == Some(p.as_str()))
}

/// Adds a second report to a draft; a date its sentence states wins over
/// one the draft's sentence only implied ("today", a carried year), and a
/// date it only implied changes nothing.
pub fn absorb_draft(x: &mut Draft, mut n: Draft) {
    let takes_date = if n.explicit_date && n.event.date.is_some() {
        let fuller = !x.explicit_date || x.event.date.as_ref().map_or(0, String::len) < n.event.date.as_ref().map_or(0, String::len);
        x.explicit_date = true;
        fuller
    } else {
        x.event.date.is_none()
    };
    if takes_date {
        x.event.date = n.event.date.take();
        take_spans(&mut x.event, &n.event, Fact::Date);
    }
    for p in n.named.drain(..) {
        if !x.named.contains(&p) {
            x.named.push(p);
        }
    }
    absorb(&mut x.event, n.event);
}

/// Replaces `e`'s spans of `fact` by `n`'s: `e` takes that fact's value from `n`.
fn take_spans(e: &mut Event, n: &Event, fact: Fact) {
    e.fact_spans.retain(|f| f.fact != fact);
    e.fact_spans.extend(n.fact_spans.iter().filter(|f| f.fact == fact).cloned());
}

/// Adds what a second report of an event says to the first (not its date),
/// each fact's spans following the value kept.
fn absorb(e: &mut Event, n: Event) {
    for (fact, taken) in [
        (Fact::Place, e.place.is_none() && n.place.is_some()),
        (Fact::Initiative, e.initiative.is_none() && n.initiative.is_some()),
        (Fact::Participants, e.participants.is_none() && n.participants.is_some()),
        (Fact::Mode, e.mode.is_none() && n.mode.is_some()),
    ] {
        if taken {
            take_spans(e, &n, fact);
        }
    }
    let listed = |f: &FactSpan| matches!(f.fact, Fact::Field | Fact::Activity);
    e.fact_spans.extend(n.fact_spans.iter().filter(|f| listed(f)).cloned());
    for (into, from) in [
        (&mut e.parties, n.parties),
        (&mut e.signatories, n.signatories),
        (&mut e.fields, n.fields),
        (&mut e.activities, n.activities),
    ] {
        for x in from {
            if !into.contains(&x) {
                into.push(x);
            }
        }
    }
    e.subtype = e.subtype.take().or(n.subtype);
    e.place = e.place.take().or(n.place);
    e.initiative = e.initiative.take().or(n.initiative);
    e.participants = e.participants.take().or(n.participants);
    e.mode = e.mode.or(n.mode);
    e.mentions.extend(n.mentions);
}

/// Dates of two reports that may be one event's: one a prefix of the other,
/// or, for a training, full dates at most `TRAINING_DAYS` apart (its daily
/// sessions).
fn dates_compatible(t: EventType, a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a) || (t == EventType::Training && days_apart(a, b) <= TRAINING_DAYS),
        _ => true,
    }
}

fn days_apart(a: &str, b: &str) -> i64 {
    let day = |s: &str| {
        let mut parts = s.split('-').map(|p| p.parse::<i64>().ok());
        let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
        crate::dates::PartialDate {
            year: Some(i32::try_from(y).ok()?),
            month: Some(u8::try_from(m).ok()?),
            day: Some(u8::try_from(d).ok()?),
        }
        .days()
    };
    match (day(a), day(b)) {
        (Some(x), Some(y)) => (x - y).abs(),
        _ => i64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use accord_model::EventType;

    fn count(page: &str, t: EventType) -> usize {
        crate::extract("t.txt", page, None)
            .events
            .iter()
            .filter(|e| e.event_type == t)
            .count()
    }

    #[test]
    fn english_respectively_gives_one_agreement_per_counterpart() {
        let page = "Clinic news\n\nOn 3 May 2021 Lakeside General Hospital signed two memoranda with Northgate Medical University and Riverside Children's Hospital respectively.";
        assert_eq!(count(page, EventType::Agreement), 2);
        let page = "Clinic news\n\nOn 3 May 2021 Lakeside General Hospital, Northgate Medical University and Riverside Children's Hospital signed a memorandum.";
        assert_eq!(count(page, EventType::Agreement), 1);
    }

    #[test]
    fn english_one_visit_per_visited_institution() {
        let page = "Clinic news\n\nOn 3 May 2021 the delegation visited Lakeside General Hospital, Northgate Medical University and Riverside Children's Hospital.";
        assert_eq!(count(page, EventType::Visit), 3);
    }

    #[test]
    fn spanish_toured_hospitals_are_separate_visits() {
        let page = "Noticias del hospital\n\nEl 3 de mayo de 2021 la delegación recorrió el Hospital Provincial de Lima y el Hospital Universitario de Cusco.";
        assert_eq!(count(page, EventType::Visit), 2);
        let page = "Noticias del hospital\n\nEl 3 de mayo de 2021 la delegación recorrió el Hospital Provincial de Lima, el Pediátrico Sur Paco Gil y el Hospital Universitario de Cusco.";
        assert_eq!(count(page, EventType::Visit), 2);
    }

    #[test]
    fn english_a_second_memorandum_is_another_agreement() {
        let page = "Clinic news\n\nLakeside General Hospital signed a memorandum with Northgate Medical University. The second memorandum was signed with Northgate Medical University as well.";
        assert_eq!(count(page, EventType::Agreement), 2);
    }

    #[test]
    fn english_an_undated_report_keeps_the_events_date() {
        let page = "Clinic news\nPublished: 2021-06-01\n\nIn 2015 the clinic was founded. On 3 May 2021 Lakeside General Hospital signed an agreement with Northgate Medical University. The agreement with Northgate Medical University covers oncology.";
        let rec = crate::extract("t.txt", page, None);
        let dates: Vec<_> = rec
            .events
            .iter()
            .filter(|e| e.event_type == EventType::Agreement)
            .map(|e| e.date.clone())
            .collect();
        assert_eq!(dates, [Some("2021-05-03".to_string())]);
    }

    #[test]
    fn training_sessions_days_apart_stay_one_training() {
        let page = "Clinic news\n\nOn 3 May 2021 Lakeside General Hospital opened a training course for nurses. On 5 May 2021 the training course continued with surgery sessions at Lakeside General Hospital.";
        assert_eq!(count(page, EventType::Training), 1);
    }

    #[test]
    fn german_plural_agreements_split_per_counterpart() {
        let page = "Klinikum aktuell\n\nAm 5. Mai 2021 wurden Kooperationsvereinbarungen mit dem Universitätsklinikum Nordstadt von der Universität Südheim und der Universität Westheim unterzeichnet.";
        assert_eq!(count(page, EventType::Agreement), 2);
    }
}
