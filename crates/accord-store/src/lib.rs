//! The registry: every page Accord read, and the institutions, people and
//! cooperation events resolved across pages, each fact with its evidence.
//!
//! Layers above (the command line, the web server) speak to the [`Store`]
//! trait only; [`SqliteStore`] is its embedded implementation, and a server
//! database can implement the same trait without changing them.

mod check;
pub mod export;
mod index;
pub mod resolve;
pub mod ror;
mod sqlite;
pub mod suspicious;
mod views;

pub use check::{InvalidFilter, Listing, AUDIT_ACTIONS, EVENT_TYPES, INSTITUTION_KINDS, MAX_OFFSET};
pub use resolve::MAX_PARTIES;
pub use sqlite::SqliteStore;
pub use views::{InstitutionProfile, NetworkQuery, Partner, RorRelation, MAX_DEPTH};

use accord_model::Record;
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One page ready to go into the registry: where it was read, what it said,
/// and what was extracted from it.
#[derive(Debug, Clone)]
pub struct IngestDoc {
    /// The path the page was read from (its identity across runs).
    pub path: String,
    /// The URL the page was scraped from, when known.
    pub source_url: Option<String>,
    /// Hash of the file's bytes: an unchanged page is not read twice.
    pub hash: String,
    /// The text extraction read; every span indexes into it.
    pub text: String,
    /// The extracted record.
    pub record: Record,
}

/// What ingesting one page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new page: its facts went in.
    Added,
    /// The page at this path changed: its old facts were replaced.
    Replaced,
    /// The same content is already in under another path: only the path was added.
    SameContent,
    /// The page is already in, unchanged.
    Unchanged,
}

/// Filters shared by the registry's listings; `None` means no filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// ISO 3166-1 alpha-2 country of the institution, or of an event's place or parties.
    pub country: Option<String>,
    /// An institution kind (`hospital`, …) or an event type (`agreement`, …).
    pub kind: Option<String>,
    /// Events on or after this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Events on or before this date, at its precision.
    pub until: Option<String>,
    /// A medical field of the event.
    pub field: Option<String>,
    /// An institution: its id, or a part of one of its names.
    pub org: Option<String>,
    /// Words to find in names or evidence.
    pub text: Option<String>,
    /// A review list instead of the usual one: `undated` or `single-source`
    /// events, `no-country` institutions; `all` keeps rejected events in.
    pub review: Option<String>,
    /// At most this many rows.
    pub limit: Option<usize>,
    /// Rows to skip first (for pages of results).
    pub offset: Option<usize>,
}

/// An institution as listed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InstitutionRow {
    /// Registry id.
    pub id: i64,
    /// Its display name: the first full name it was seen under.
    pub name: String,
    /// Kind (`hospital`, `university`, …).
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// ROR id (`https://ror.org/…`), when linked.
    pub ror_id: Option<String>,
    /// Every name it goes by.
    pub names: Vec<String>,
    /// Documents that mention it.
    pub documents: usize,
    /// Events it is a party to.
    pub events: usize,
}

/// An event as listed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow {
    /// Registry id.
    pub id: i64,
    /// Event type (`agreement`, `visit`, …).
    pub event_type: String,
    /// Date at the precision known.
    pub date: Option<String>,
    /// City where it took place.
    pub city: Option<String>,
    /// Country where it took place.
    pub country: Option<String>,
    /// Parties: (institution id, name).
    pub parties: Vec<(i64, String)>,
    /// Medical fields.
    pub fields: Vec<String>,
    /// Where it is reported: the source URL of each page, or its path.
    pub sources: Vec<String>,
    /// `confirmed` or `rejected` by an editor; `None` while nobody has looked.
    pub status: Option<String>,
}

/// A person as listed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonRow {
    /// Registry id.
    pub id: i64,
    /// Name as first seen.
    pub name: String,
    /// The institution: (id, name).
    pub institution: Option<(i64, String)>,
    /// Documents that mention them.
    pub documents: usize,
}

/// A fact's evidence: the characters of one page that state it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    /// Document id.
    pub document_id: i64,
    /// Where the page was read.
    pub path: String,
    /// Its source URL, when known.
    pub source_url: Option<String>,
    /// The quoted text.
    pub text: String,
    /// Start, in Unicode scalar values into the document's text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Why this page's fact was tied to this entity.
    pub reason: String,
    /// The organization's id in the page's record, for an institution's mention.
    pub local_id: Option<String>,
}

/// An institution with everything known about it.
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionDetail {
    /// The listing row.
    pub row: InstitutionRow,
    /// How the ROR link was made (`label`, `alias`, `acronym`…) and its score.
    pub ror_match: Option<(String, f64)>,
    /// Partner institutions: (id, name, shared events).
    pub partners: Vec<(i64, String, usize)>,
    /// Its events, latest first.
    pub events: Vec<EventRow>,
    /// Its people.
    pub people: Vec<PersonRow>,
    /// Each mention on a page, with the reason it was tied here.
    pub mentions: Vec<Evidence>,
}

/// An event with its sources.
#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    /// The listing row.
    pub row: EventRow,
    /// Subtype, when the pages give one.
    pub subtype: Option<String>,
    /// The initiative it belongs to (e.g. a national programme).
    pub initiative: Option<String>,
    /// `online` or `offline`.
    pub mode: Option<String>,
    /// Participant counts, as JSON.
    pub participants: Option<serde_json::Value>,
    /// Signatories named by the pages.
    pub signatories: Vec<String>,
    /// Every page that reports it, with the sentence that says so.
    pub sources: Vec<Evidence>,
}

/// A person with their mentions.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDetail {
    /// The listing row.
    pub row: PersonRow,
    /// Titles the pages give them.
    pub titles: Vec<String>,
    /// Each mention, with the reason it was tied here.
    pub mentions: Vec<Evidence>,
}

/// A document as the registry keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRow {
    /// Registry id.
    pub id: i64,
    /// The file name it was read under first.
    pub doc: String,
    /// Language of the page.
    pub language: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// The text read: every span of its facts indexes into it.
    pub text: String,
    /// Every (path, source URL) it was read from.
    pub locations: Vec<(String, Option<String>)>,
    /// The record extracted from it.
    pub record: Record,
    /// The registry entities its facts became.
    pub links: DocumentLinks,
}

/// The registry entities of a page's facts: each highlight of the page
/// links to what it became in the registry.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentLinks {
    /// Institution id by the record's local organization id (`o1`…).
    pub institutions: BTreeMap<String, i64>,
    /// Person id by the name the record gives.
    pub people: BTreeMap<String, i64>,
    /// Event id by the event's index in the record.
    pub events: BTreeMap<usize, i64>,
}

/// The registry at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Distinct documents.
    pub documents: usize,
    /// Institutions.
    pub institutions: usize,
    /// Institutions linked to ROR.
    pub institutions_in_ror: usize,
    /// People.
    pub people: usize,
    /// Events.
    pub events: usize,
    /// Event reports (one event may have several).
    pub event_sources: usize,
    /// Countries by number of events their institutions take part in.
    pub top_countries: Vec<(String, usize)>,
    /// Events per type.
    pub events_by_type: Vec<(String, usize)>,
    /// The latest events.
    pub latest_events: Vec<EventRow>,
}

/// One organization of a ROR data dump.
#[derive(Debug, Clone, PartialEq)]
pub struct RorOrg {
    /// `https://ror.org/…`.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// All names: (value, kind — `ror_display`, `label`, `alias`, `acronym` —, language).
    pub names: Vec<(String, String, Option<String>)>,
    /// ROR types (`healthcare`, `education`, …).
    pub types: Vec<String>,
    /// ISO 3166-1 alpha-2 country of its first location.
    pub country: Option<String>,
    /// City of its first location.
    pub city: Option<String>,
    /// Year established.
    pub established: Option<i64>,
    /// Its relationships: (kind — `parent`, `child`, `related`… —, ROR id, label).
    pub relationships: Vec<(String, String, Option<String>)>,
}

/// The cooperation network: institutions and their shared events.
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    /// Institutions that take part in at least one event.
    pub nodes: Vec<InstitutionRow>,
    /// Pairs of institutions with the events they share: the
    /// [`MAX_EDGES`] strongest at most.
    pub edges: Vec<Edge>,
    /// False when links beyond [`MAX_EDGES`] were left out (say so, and
    /// suggest a filter).
    pub complete: bool,
}

/// Most links a network answer or export carries: bounds its size (a
/// link list grows with the square of the parties) whatever the registry.
pub const MAX_EDGES: usize = 100_000;

/// Two institutions that cooperate.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// Institution id.
    pub source: i64,
    /// Institution id.
    pub target: i64,
    /// Their shared events.
    pub events: Vec<i64>,
}

/// What a signed-in person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads, and signs in where a deployment asks for it.
    Viewer,
    /// Reads and corrects facts: edits fields, confirms or rejects events.
    Editor,
    /// Everything an editor does, and what reshapes the registry: merges and
    /// splits of institutions, and people (from the command line).
    Admin,
}

impl Role {
    /// Whether this role may correct facts of the registry.
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }

    /// Whether this role may merge and split institutions: a wrong merge
    /// mixes two institutions' evidence, so it takes an admin.
    pub fn can_restructure(self) -> bool {
        self == Role::Admin
    }

    /// The role's name, as `--role` and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => anyhow::bail!("unknown role «{other}»: use viewer, editor or admin"),
        }
    }
}

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Registry id.
    pub id: i64,
    /// Their name, shown in the audit log.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// A person as `accord user list` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    /// The person.
    pub user: User,
    /// False once revoked: their tokens and sessions no longer work.
    pub active: bool,
    /// Browser sessions open now.
    pub sessions: usize,
}

/// A correction an editor makes. Each is written to the audit log and
/// survives every later ingest.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Curation {
    /// Sets an institution's display name, country, kind or city (`None` leaves it).
    EditInstitution {
        /// Institution id.
        id: i64,
        /// New display name.
        name: Option<String>,
        /// New ISO 3166-1 alpha-2 country.
        country: Option<String>,
        /// New kind.
        kind: Option<String>,
        /// New city.
        city: Option<String>,
    },
    /// Makes `absorb` part of `keep`: its names, mentions, people and events.
    MergeInstitutions {
        /// The institution that stays.
        keep: i64,
        /// The institution that goes into it.
        absorb: i64,
    },
    /// Takes one page's mention out of an institution into a new one.
    SplitInstitution {
        /// The institution it leaves.
        id: i64,
        /// The page.
        document_id: i64,
        /// The organization's id in that page's record.
        local_id: String,
    },
    /// Confirms or rejects an event (`confirmed`, `rejected`, or `None` to reset).
    SetEventStatus {
        /// Event id.
        id: i64,
        /// New status.
        status: Option<String>,
    },
    /// Corrects an event's type, date, place or fields (`None` leaves it).
    EditEvent {
        /// Event id.
        id: i64,
        /// New type.
        event_type: Option<String>,
        /// New date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
        date: Option<String>,
        /// New city of the place.
        #[serde(default)]
        city: Option<String>,
        /// New ISO 3166-1 alpha-2 country of the place.
        #[serde(default)]
        country: Option<String>,
        /// The event's whole list of medical fields (an empty list clears it).
        #[serde(default)]
        fields: Option<Vec<String>>,
    },
    /// Adds institutions to an event's parties or takes them out.
    EditEventParties {
        /// Event id.
        id: i64,
        /// Institutions made parties.
        #[serde(default)]
        add: Vec<i64>,
        /// Institutions taken out.
        #[serde(default)]
        remove: Vec<i64>,
    },
    /// Confirms an institution after review, or rejects it as no institution
    /// at all (`confirmed`, `rejected`, or `None` to reset).
    SetInstitutionStatus {
        /// Institution id.
        id: i64,
        /// New status.
        status: Option<String>,
    },
}

/// The review queues, as their pages and the API name them: events with at
/// most one party, reported by one page, without a date; institutions
/// without a country, or whose name looks wrong (see [`suspicious`]).
pub const REVIEW_QUEUES: &[&str] = &["one-party", "single-source", "undated", "no-country", "suspicious-names"];

/// One row of a review queue: an event or an institution nobody has
/// confirmed or rejected yet, with the signs that it may be wrong.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReviewItem {
    /// Why it may be wrong, most telling first ("one party", "generic name"…).
    pub signs: Vec<String>,
    /// The event, in an event queue.
    pub event: Option<EventRow>,
    /// The institution, in an institution queue.
    pub institution: Option<InstitutionRow>,
}

/// A page of a review queue, with the exact number of rows it holds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReviewPage {
    /// The queue's name (one of [`REVIEW_QUEUES`]).
    pub queue: String,
    /// Rows in the whole queue.
    pub total: usize,
    /// This page of them: most signs first, then fewest pages, then id.
    pub items: Vec<ReviewItem>,
}

/// Which audit entries to show; `None` means no filter.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    /// The person's name, exactly.
    pub user: Option<String>,
    /// The action (`edit_event`, `merge_institutions`, …).
    pub action: Option<String>,
    /// Entries on or after this day (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    /// Entries on or before this day (`YYYY-MM-DD`, UTC).
    pub until: Option<String>,
    /// Only entries about this target (`event 4`, `institution 12`).
    pub target: Option<String>,
    /// Page size.
    #[serde(default, deserialize_with = "whole_number")]
    pub limit: Option<usize>,
    /// Entries to skip.
    #[serde(default, deserialize_with = "whole_number")]
    pub offset: Option<usize>,
}

/// A page of the audit log with the number of entries the query matches.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditPage {
    /// Matching entries in all.
    pub total: usize,
    /// This page of them, latest first.
    pub items: Vec<AuditEntry>,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEntry {
    /// Entry id.
    pub id: i64,
    /// Who.
    pub user: String,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// What (`edit_institution`, `merge_institutions`, …).
    pub action: String,
    /// On what (`institution 12`, `event 4`).
    pub target: String,
    /// The state before, as JSON.
    pub before: serde_json::Value,
    /// The state after, as JSON.
    pub after: serde_json::Value,
}

/// A correction refused for a reason the person can fix: its message says
/// what to change. Any other error of [`Store::curate`] is the registry's
/// own, logged and not shown.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A full-text query with its facet filters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchQuery {
    /// The words.
    #[serde(default)]
    pub q: String,
    /// `institution`, `event`, `person` or `document`.
    pub kind: Option<String>,
    /// Event type or institution kind.
    #[serde(rename = "type")]
    pub subtype: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Year.
    pub year: Option<String>,
    /// Medical field.
    pub field: Option<String>,
    /// Language of the page.
    pub lang: Option<String>,
    /// Page size.
    #[serde(default, deserialize_with = "whole_number")]
    pub limit: Option<usize>,
    /// Rows to skip.
    #[serde(default, deserialize_with = "whole_number")]
    pub offset: Option<usize>,
}

/// Reads an optional whole number from a query string (empty means none),
/// failing with a message a person can act on rather than a parser's.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let value: Option<String> = serde::Deserialize::deserialize(d)?;
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("«{v}» is not a whole number (such as 20)"))),
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchHit {
    /// `institution`, `event`, `person` or `document`.
    pub kind: String,
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Matching text, the matched words between U+E000 and U+E001.
    pub snippet: String,
    /// Country, when it has one.
    pub country: Option<String>,
    /// Year, when it has one.
    pub year: Option<String>,
}

/// A page of search results with facet counts over all matches.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SearchResults {
    /// Matches in all, counted exactly.
    pub total: usize,
    /// Always false now that totals are exact; kept for the API's callers.
    pub total_is_lower_bound: bool,
    /// This page of them, best first.
    pub hits: Vec<SearchHit>,
    /// For each facet (`kind`, `type`, `country`, `year`, `field`, `lang`), values and counts.
    pub facets: BTreeMap<String, Vec<(String, usize)>>,
}

/// Cooperation by country, for the map.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CountryMap {
    /// Each country with its events and institutions.
    pub countries: Vec<CountryStat>,
    /// Pairs of countries with the events between their institutions.
    pub links: Vec<CountryLink>,
}

/// One country on the map.
#[derive(Debug, Clone, Serialize)]
pub struct CountryStat {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// Events its institutions take part in.
    pub events: usize,
    /// Its institutions.
    pub institutions: usize,
}

/// Two countries that cooperate.
#[derive(Debug, Clone, Serialize)]
pub struct CountryLink {
    /// Country code.
    pub a: String,
    /// Country code.
    pub b: String,
    /// Events between their institutions.
    pub weight: usize,
}

/// The registry's operations, whatever database keeps it.
pub trait Store {
    /// Every known path with the hash of the content last read there.
    fn known_paths(&self) -> Result<HashMap<String, String>>;
    /// Puts pages in, all or none: one transaction, so a crash loses no
    /// committed page and leaves no half-written one.
    fn ingest(&mut self, docs: &[IngestDoc]) -> Result<Vec<Outcome>>;
    /// Counts, top partner countries and latest events.
    fn summary(&self) -> Result<Summary>;
    /// Institutions matching the filter, most active first.
    fn institutions(&self, filter: &Filter) -> Result<Vec<InstitutionRow>>;
    /// Events matching the filter, latest first.
    fn events(&self, filter: &Filter) -> Result<Vec<EventRow>>;
    /// People matching the filter.
    fn people(&self, filter: &Filter) -> Result<Vec<PersonRow>>;
    /// One institution with its partners, events, people and evidence.
    fn institution(&self, id: i64) -> Result<Option<InstitutionDetail>>;
    /// One event with its sources and evidence.
    fn event(&self, id: i64) -> Result<Option<EventDetail>>;
    /// One person with their evidence.
    fn person(&self, id: i64) -> Result<Option<PersonDetail>>;
    /// One document with its text and record.
    fn document(&self, id: i64) -> Result<Option<DocumentRow>>;
    /// Replaces the ROR knowledge base and links institutions to it;
    /// returns (organizations imported, institutions linked).
    fn import_ror(&mut self, orgs: &mut dyn Iterator<Item = Result<RorOrg>>) -> Result<(usize, usize)>;
    /// The cooperation network of the events matching the filter.
    fn network(&self, filter: &Filter) -> Result<Network>;
    /// The network narrowed as the network page asks (weight, kind, ego).
    fn network_view(&self, query: &NetworkQuery) -> Result<Network>;
    /// An institution's activity, partners, partner countries and ROR
    /// relations; `None` when there is no institution with this id.
    fn institution_profile(&self, id: i64) -> Result<Option<InstitutionProfile>>;
    /// Cooperation by country, for the events matching the filter.
    fn country_map(&self, filter: &Filter) -> Result<CountryMap>;
    /// Events per year.
    fn events_per_year(&self) -> Result<Vec<(String, usize)>>;
    /// What needs a person's eye: (label, count, link to the listing).
    fn review_queue(&self) -> Result<Vec<(String, usize, String)>>;
    /// Full-text search over pages, institutions, people and events.
    fn search(&self, query: &SearchQuery) -> Result<SearchResults>;
    /// Writes the entities changed since the last sync into the search
    /// index; `None` when another process is writing it (the changes wait).
    /// Run after every commit, and periodically by the server, so a crash
    /// between a commit and its sync is put right soon after.
    fn sync_search(&mut self) -> Result<Option<usize>>;
    /// Rebuilds the search index from the registry; returns the entities written.
    fn reindex(&mut self) -> Result<usize>;
    /// Adds a person who can sign in; returns their token (shown once, stored hashed).
    fn add_user(&mut self, name: &str, role: Role) -> Result<String>;
    /// Everyone who can or could sign in, by name.
    fn users(&self) -> Result<Vec<UserRow>>;
    /// Revokes a person: their token and every open session stop working at once.
    fn revoke_user(&mut self, name: &str) -> Result<()>;
    /// Gives a person a new token (the old one stops working, a revoked
    /// person is active again); returns it (shown once, stored hashed).
    fn new_token(&mut self, name: &str) -> Result<String>;
    /// The person a token belongs to.
    fn user_by_token(&self, token: &str) -> Result<Option<User>>;
    /// Opens a browser session: (session id, CSRF token).
    fn open_session(&mut self, user: &User) -> Result<(String, String)>;
    /// The person and CSRF token of a live session.
    fn session(&self, id: &str) -> Result<Option<(User, String)>>;
    /// Ends a session.
    fn close_session(&mut self, id: &str) -> Result<()>;
    /// Applies a correction, logs it, and returns the id it concerns (the new
    /// institution's, for a split).
    fn curate(&mut self, user: &User, change: &Curation) -> Result<i64>;
    /// The audit log, latest first; only entries about `target` when given.
    fn audit(&self, target: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>>;
    /// A page of the audit log filtered by person, action and days (checked
    /// first: see [`AuditQuery::check`]).
    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage>;
    /// Applies corrections all or none, one audit entry each (bulk review
    /// decisions); returns the id each concerns.
    fn curate_all(&mut self, user: &User, changes: &[Curation]) -> Result<Vec<i64>>;
    /// A page of review queue `queue` (one of [`REVIEW_QUEUES`]).
    fn review(&self, queue: &str, limit: usize, offset: usize) -> Result<ReviewPage>;
    /// The institution a merged-away id now lives in, when it was merged.
    fn merged_into(&self, id: i64) -> Result<Option<i64>>;
}

impl Curation {
    /// Whether this change merges or splits institutions, which takes an admin.
    pub fn restructures(&self) -> bool {
        matches!(self, Curation::MergeInstitutions { .. } | Curation::SplitInstitution { .. })
    }
}

/// A page's identity by content: 128-bit FNV-1a of its bytes, in hex. Stable
/// across runs and platforms, so an unchanged page is recognised next time.
pub fn content_hash(bytes: &[u8]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let hash = bytes.iter().fold(OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(PRIME));
    format!("{hash:032x}")
}

/// `bytes` random bytes from the operating system, in hex: tokens, session
/// ids and CSRF tokens.
pub fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no randomness available from the system: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_hash_is_fnv1a_128() {
        assert_eq!(super::content_hash(b""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(super::content_hash(b"a"), "d228cb696f1a8caf78912b704e4a8964");
        assert_ne!(super::content_hash(b"ab"), super::content_hash(b"ba"));
    }
}
