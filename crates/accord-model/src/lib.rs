//! The cooperation record (schema v1): what Accord extracts from one document.
//!
//! Every type here serialises to the JSON shape described in the project's
//! schema, so that the extractor, the scorer and later the registry speak the
//! same language. Offsets are always counted in Unicode scalar values (Rust
//! `char`s) into the text Accord read, never in bytes, so that a consumer in
//! any language can slice the text it was given.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of Unicode scalar values in the text read.
///
/// Spans are the evidence of the registry: a fact is only as good as the
/// characters that state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First character of the span.
    pub start: usize,
    /// One past the last character of the span.
    pub end: usize,
}

impl Span {
    /// Builds a span; `start` must not exceed `end`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Number of characters covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The kind of an institution, as the schema enumerates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// A hospital, clinic or hospital group.
    Hospital,
    /// A university, college or medical school.
    University,
    /// A research institute or national research centre.
    ResearchInstitute,
    /// A ministry, commission, administration, embassy or other public body.
    Government,
    /// An association, society, alliance or federation.
    Association,
    /// A company or corporate group.
    Company,
    /// A fund or foundation.
    Fund,
    /// A joint centre established by the cooperation the text reports.
    JointCenter,
    /// Anything else (international organisations, committees…).
    Other,
}

impl OrgKind {
    /// Parses the schema's snake-case name of a kind.
    pub fn parse(name: &str) -> Option<OrgKind> {
        Some(match name {
            "hospital" => OrgKind::Hospital,
            "university" => OrgKind::University,
            "research_institute" => OrgKind::ResearchInstitute,
            "government" => OrgKind::Government,
            "association" => OrgKind::Association,
            "company" => OrgKind::Company,
            "fund" => OrgKind::Fund,
            "joint_center" => OrgKind::JointCenter,
            "other" => OrgKind::Other,
            _ => return None,
        })
    }
}

/// The type of a cooperation event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// An agreement, MoU, letter of intent or contract signed or renewed.
    Agreement,
    /// A joint centre, institute, alliance or committee founded or unveiled.
    Establishment,
    /// A person or delegation visiting an institution.
    Visit,
    /// One edition of a training course or programme.
    Training,
    /// A conference, seminar, forum or working meeting held.
    Meeting,
    /// A named cooperation project launched, selected or funded.
    Project,
}

impl EventType {
    /// Every type, in the schema's order: the one list editors' forms,
    /// filters and checks take their choices from.
    pub const ALL: [EventType; 6] = [
        EventType::Agreement,
        EventType::Establishment,
        EventType::Visit,
        EventType::Training,
        EventType::Meeting,
        EventType::Project,
    ];

    /// The schema's names of [`EventType::ALL`], in the same order.
    pub const NAMES: [&'static str; 6] = ["agreement", "establishment", "visit", "training", "meeting", "project"];

    /// Parses the schema's name of an event type.
    pub fn parse(name: &str) -> Option<EventType> {
        Some(match name {
            "agreement" => EventType::Agreement,
            "establishment" => EventType::Establishment,
            "visit" => EventType::Visit,
            "training" => EventType::Training,
            "meeting" => EventType::Meeting,
            "project" => EventType::Project,
            _ => return None,
        })
    }

    /// The schema's name of the type.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventType::Agreement => "agreement",
            EventType::Establishment => "establishment",
            EventType::Visit => "visit",
            EventType::Training => "training",
            EventType::Meeting => "meeting",
            EventType::Project => "project",
        }
    }
}

/// Whether an event took place online, offline or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Held remotely.
    Online,
    /// Held in person.
    Offline,
    /// Both in person and remotely.
    Hybrid,
}

/// An institution that acts in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// Identifier local to the record (`o1`, `o2`, …), used by people and events.
    pub id: String,
    /// The fullest name the text gives.
    pub name: String,
    /// Other forms the text uses: acronyms, short forms, translations.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What sort of institution it is.
    pub kind: Option<OrgKind>,
    /// ISO 3166-1 alpha-2 code of its country, when known.
    pub country: Option<String>,
    /// Its city, in English, when known.
    pub city: Option<String>,
    /// Every place in the text that names or refers to it.
    #[serde(default)]
    pub mentions: Vec<Span>,
    /// Set when the text gave more than the record keeps (a name or quote
    /// over Accord's length cap) and it was cut at a word boundary; absent
    /// from the JSON otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// A named person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The name in its base form (the nominative, for inflected languages).
    pub name: String,
    /// Other forms the text uses for the same person: inflected forms, an
    /// initial with the surname, the surname alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Titles and honorifics as the text gives them.
    #[serde(default)]
    pub titles: Vec<String>,
    /// Id of the organization the text ties the person to.
    pub org: Option<String>,
    /// Every place in the text that names the person.
    #[serde(default)]
    pub mentions: Vec<Span>,
    /// Set when the text gave more than the record keeps (a name or quote
    /// over Accord's length cap) and it was cut at a word boundary; absent
    /// from the JSON otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Where an event took place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// City, in English.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
}

/// Counts of participants the text gives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participants {
    /// Number of people.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub people: Option<u64>,
    /// Number of institutions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub institutions: Option<u64>,
    /// Number of countries.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub countries: Option<u64>,
}

impl Participants {
    /// True when no count is known.
    pub fn is_empty(&self) -> bool {
        self.people.is_none() && self.institutions.is_none() && self.countries.is_none()
    }
}

/// One cooperation event the document reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// A finer kind (`memorandum`, `letter_of_intent`, …).
    pub subtype: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `--MM-DD` or `--MM`; null when the text gives none.
    pub date: Option<String>,
    /// Where it happened.
    pub place: Option<Place>,
    /// Ids of the principal institutions.
    #[serde(default)]
    pub parties: Vec<String>,
    /// Names of the people who signed.
    #[serde(default)]
    pub signatories: Vec<String>,
    /// Medical fields, lower case.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Kinds of cooperation, lower case.
    #[serde(default)]
    pub activities: Vec<String>,
    /// A named framework the event is tied to.
    pub initiative: Option<String>,
    /// Counts of participants.
    pub participants: Option<Participants>,
    /// Online, offline or hybrid.
    pub mode: Option<Mode>,
    /// A verbatim quote of the text that states the event.
    pub evidence: String,
    /// Where `evidence` lies in the text.
    pub evidence_span: Span,
    /// The event's trigger and other places that state it.
    #[serde(default)]
    pub mentions: Vec<Span>,
    /// Set when the text gave more than the record keeps (a name or quote
    /// over Accord's length cap) and it was cut at a word boundary; absent
    /// from the JSON otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// Where the text states the event's other facts (date, place, fields,
    /// kinds of cooperation, initiative, counts, mode): parties and
    /// signatories have mentions of their own. A fact the text gives
    /// without words of its own (a date carried from an earlier sentence's
    /// context is still a mention; an initiative named page-wide is not)
    /// has none; absent from the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fact_spans: Vec<FactSpan>,
}

/// Which fact of an event a [`FactSpan`] states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The event's date.
    Date,
    /// Its place.
    Place,
    /// One of its medical fields.
    Field,
    /// One of its kinds of cooperation.
    Activity,
    /// The initiative it is part of.
    Initiative,
    /// A count of its participants.
    Participants,
    /// Whether it was held online or in person.
    Mode,
}

/// The characters that state one fact of an event, so every fact, not only
/// the event, carries its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactSpan {
    /// The fact stated.
    pub fact: Fact,
    /// The value it gives, for facts of several values (a field, a kind of
    /// cooperation); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where the text states it.
    pub span: Span,
}

impl Event {
    /// The spans stating `fact` (with `value`, for facts of several values).
    pub fn spans_of<'a>(&'a self, fact: Fact, value: Option<&'a str>) -> impl Iterator<Item = Span> + 'a {
        self.fact_spans
            .iter()
            .filter(move |f| {
                f.fact == fact && (value.is_none() || f.value.as_deref().zip(value).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b)))
            })
            .map(|f| f.span)
    }
}

/// Everything Accord extracts from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The document's file name.
    pub doc: String,
    /// ISO 639-1 code of the main language.
    pub language: Option<String>,
    /// The page's own publication date.
    pub published: Option<String>,
    /// The page's title or headline.
    pub title: Option<String>,
    /// Institutions that act in the text.
    #[serde(default)]
    pub organizations: Vec<Organization>,
    /// Named people.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Cooperation events.
    #[serde(default)]
    pub events: Vec<Event>,
    /// ISO codes of the countries taking part.
    #[serde(default)]
    pub countries: Vec<String>,
}

impl Record {
    /// An empty record for a document with nothing to report.
    pub fn empty(doc: impl Into<String>) -> Record {
        Record {
            doc: doc.into(),
            language: None,
            published: None,
            title: None,
            organizations: Vec::new(),
            people: Vec::new(),
            events: Vec::new(),
            countries: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_serialises_type_and_omits_missing_counts() {
        let event = Event {
            event_type: EventType::Agreement,
            subtype: Some("memorandum".into()),
            date: Some("2019-08-17".into()),
            place: None,
            parties: vec!["o1".into()],
            signatories: vec![],
            fields: vec![],
            activities: vec![],
            initiative: None,
            participants: Some(Participants {
                people: Some(3),
                ..Default::default()
            }),
            mode: Some(Mode::Online),
            evidence: "signed".into(),
            evidence_span: Span::new(0, 6),
            mentions: vec![],
            truncated: false,
            fact_spans: Vec::new(),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["type"], "agreement");
        assert_eq!(json["mode"], "online");
        assert_eq!(json["participants"], serde_json::json!({"people": 3}));
        assert!(json.get("truncated").is_none(), "no cut, no field");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
        let cut = Event { truncated: true, ..event };
        let json = serde_json::to_value(&cut).unwrap();
        assert_eq!(json["truncated"], true);
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), cut);
    }

    #[test]
    fn spans_overlap_and_contain() {
        let a = Span::new(2, 8);
        assert!(a.overlaps(&Span::new(7, 9)));
        assert!(!a.overlaps(&Span::new(8, 9)));
        assert!(a.contains(&Span::new(3, 8)));
        assert_eq!(a.len(), 6);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for name in ["hospital", "joint_center", "research_institute", "other"] {
            let kind = OrgKind::parse(name).unwrap();
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
        assert_eq!(EventType::parse("visit").unwrap().as_str(), "visit");
        assert!(EventType::parse("party").is_none());
        for (t, name) in EventType::ALL.iter().zip(EventType::NAMES) {
            assert_eq!(t.as_str(), name);
            assert_eq!(EventType::parse(name), Some(*t));
        }
    }
}
