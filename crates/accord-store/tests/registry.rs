//! The registry end to end: pages built by hand go in, and what comes out —
//! resolved institutions and events, their evidence, the ROR links, the
//! filters and the exports — is checked against what the pages say.
//!
//! Every institution, person and sentence here is invented.

use accord_model::{Event, EventType, OrgKind, Organization, Person, Place, Record, Span};
use accord_store::export::{export, Format, Written};
use accord_store::ror::read_dump;
use accord_store::{Filter, IngestDoc, InstitutionRow, Outcome, RorOrg, SqliteStore, Store};
use anyhow::Result;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// Building pages
// ---------------------------------------------------------------------------

/// Every place `needle` occurs in `text`, in characters (not bytes).
/// What a registry says, ids left out: institutions with their names and
/// facts, people, events with their parties, fields and evidence. (Ids are
/// never reused, so a registry that replaced a page numbers its entities
/// differently from one that never read the old page.)
fn content(store: &SqliteStore) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for i in store.institutions(&Filter::default())? {
        let d = store.institution(i.id)?.unwrap();
        let mentions: Vec<String> = d.mentions.iter().map(|m| format!("{}@{}..{}", m.path, m.start, m.end)).collect();
        out.push(format!(
            "institution {:?} {:?} {:?} {:?} {:?} {mentions:?}",
            i.name, i.kind, i.country, i.city, i.names
        ));
    }
    for p in store.people(&Filter::default())? {
        out.push(format!("person {:?} {:?}", p.name, p.institution.map(|(_, n)| n)));
    }
    for e in store.events(&Filter::default())? {
        let d = store.event(e.id)?.unwrap();
        let parties: Vec<&String> = e.parties.iter().map(|(_, n)| n).collect();
        let sources: Vec<String> = d.sources.iter().map(|s| format!("{}:{}", s.path, s.text)).collect();
        out.push(format!(
            "event {} {:?} {:?} {:?} {parties:?} {:?} {:?} {:?} {:?} {sources:?}",
            e.event_type, e.date, e.city, e.country, e.fields, d.subtype, d.initiative, d.mode
        ));
    }
    out.sort();
    Ok(out)
}

fn char_spans(text: &str, needle: &str) -> Vec<Span> {
    text.match_indices(needle)
        .map(|(byte, _)| {
            let start = text[..byte].chars().count();
            Span::new(start, start + needle.chars().count())
        })
        .collect()
}

/// The first place `needle` occurs in `text`.
fn span_of(text: &str, needle: &str) -> Span {
    *char_spans(text, needle)
        .first()
        .unwrap_or_else(|| panic!("«{needle}» is not in the text «{text}»"))
}

/// The characters of `text` a span covers.
fn slice(text: &str, span: Span) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

/// An organization whose mentions are every occurrence of its name and aliases.
fn org(text: &str, id: &str, name: &str, aliases: &[&str], country: Option<&str>, kind: OrgKind) -> Organization {
    let mut mentions: Vec<Span> = Vec::new();
    for n in std::iter::once(&name).chain(aliases) {
        let found = char_spans(text, n);
        assert!(!found.is_empty(), "«{n}» is not in the text «{text}»");
        for s in found {
            if !mentions.iter().any(|m| m.overlaps(&s)) {
                mentions.push(s);
            }
        }
    }
    mentions.sort();
    Organization {
        id: id.to_string(),
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        kind: Some(kind),
        country: country.map(String::from),
        city: None,
        mentions,
        truncated: false,
    }
}

/// An event stated by `sentence`, which must be in `text`.
fn event(text: &str, event_type: EventType, date: Option<&str>, parties: &[&str], sentence: &str) -> Event {
    Event {
        event_type,
        subtype: None,
        date: date.map(String::from),
        place: None,
        parties: parties.iter().map(|p| p.to_string()).collect(),
        signatories: Vec::new(),
        fields: Vec::new(),
        activities: Vec::new(),
        initiative: None,
        participants: None,
        mode: None,
        evidence: sentence.to_string(),
        evidence_span: span_of(text, sentence),
        mentions: Vec::new(),
        truncated: false,
        fact_spans: Vec::new(),
    }
}

fn person(text: &str, name: &str, titles: &[&str], org: &str) -> Person {
    Person {
        aliases: Vec::new(),
        name: name.to_string(),
        titles: titles.iter().map(|t| t.to_string()).collect(),
        org: Some(org.to_string()),
        mentions: char_spans(text, name),
        truncated: false,
    }
}

/// A page: its hash is that of its text and record, so different content
/// gets a different hash and the same content the same one.
fn page(path: &str, text: &str, organizations: Vec<Organization>, people: Vec<Person>, events: Vec<Event>) -> IngestDoc {
    let mut countries: Vec<String> = organizations.iter().filter_map(|o| o.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let record = Record {
        doc: path.rsplit('/').next().unwrap_or(path).to_string(),
        language: Some("en".to_string()),
        published: None,
        title: None,
        organizations,
        people,
        events,
        countries,
    };
    // Every span must index real characters of the text.
    for o in &record.organizations {
        for m in &o.mentions {
            let quoted = slice(text, *m);
            assert!(
                quoted == o.name || o.aliases.contains(&quoted),
                "{path}: mention «{quoted}» of {}",
                o.name
            );
        }
    }
    for e in &record.events {
        assert_eq!(slice(text, e.evidence_span), e.evidence, "{path}: evidence span");
    }
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    serde_json::to_string(&record).unwrap().hash(&mut h);
    IngestDoc {
        path: path.to_string(),
        source_url: None,
        hash: format!("{:016x}", h.finish()),
        text: text.to_string(),
        record,
    }
}

/// A page naming one organization and nothing else.
fn lone_org_page(path: &str, text: &str, name: &str, country: Option<&str>) -> IngestDoc {
    page(
        path,
        text,
        vec![org(text, "o1", name, &[], country, OrgKind::Hospital)],
        vec![],
        vec![],
    )
}

const RIVERTOWN: &str = "Rivertown University Hospital";
const LAKESIDE: &str = "Lakeside Cancer Institute";
const VALMONT: &str = "Centre hospitalier de Valmont";
const NORTHGATE: &str = "Northgate Medical College";

const SENTENCE_A: &str =
    "Rivertown University Hospital (RUH) and Lakeside Cancer Institute signed a cooperation agreement on 11 March 2024 to expand oncology training.";
const SENTENCE_B: &str = "The Rivertown University Hospital and Lakeside Cancer Institute signed a memorandum on joint cancer research.";

/// Page A: Rivertown (alias RUH, France) and Lakeside sign an agreement on 2024-03-11.
fn page_a() -> IngestDoc {
    let text = format!(
        "Communiqué — Rivertown, 12 mars 2024. {SENTENCE_A} Prof. Elodie Marchetti, director of RUH, signed on behalf of the hospital."
    );
    let mut rivertown = org(&text, "o1", RIVERTOWN, &["RUH"], Some("FR"), OrgKind::Hospital);
    rivertown.city = Some("Rivertown".into());
    let lakeside = org(&text, "o2", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute);
    let mut agreement = event(&text, EventType::Agreement, Some("2024-03-11"), &["o1", "o2"], SENTENCE_A);
    agreement.fields = vec!["oncology".into()];
    agreement.signatories = vec!["Elodie Marchetti".into()];
    agreement.mentions = vec![span_of(&text, "signed a cooperation agreement")];
    let people = vec![person(&text, "Elodie Marchetti", &["Prof.", "director"], "o1")];
    page(
        "news/rivertown-2024-03.html",
        &text,
        vec![rivertown, lakeside],
        people,
        vec![agreement],
    )
}

/// Page B: "The Rivertown University Hospital" and Lakeside, an agreement dated only 2024-03.
fn page_b() -> IngestDoc {
    let text = format!("Lakeside news. In March 2024 the board welcomed a new partnership: {SENTENCE_B}");
    let rivertown = org(&text, "o1", "The Rivertown University Hospital", &[], None, OrgKind::Hospital);
    let lakeside = org(&text, "o2", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute);
    let mut agreement = event(&text, EventType::Agreement, Some("2024-03"), &["o1", "o2"], SENTENCE_B);
    agreement.subtype = Some("memorandum".into());
    agreement.fields = vec!["oncology".into()];
    let mut doc = page(
        "press/lakeside-partners.html",
        &text,
        vec![rivertown, lakeside],
        vec![],
        vec![agreement],
    );
    doc.source_url = Some("https://lakeside.example.org/news/partners".into());
    doc
}

/// A page where Rivertown and Lakeside sign an agreement at `date`.
fn agreement_page(path: &str, sentence: &str, date: Option<&str>) -> IngestDoc {
    let text = format!("Partnerships. {sentence}");
    let rivertown = org(&text, "o1", RIVERTOWN, &[], Some("FR"), OrgKind::Hospital);
    let lakeside = org(&text, "o2", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute);
    let e = event(&text, EventType::Agreement, date, &["o1", "o2"], sentence);
    page(path, &text, vec![rivertown, lakeside], vec![], vec![e])
}

// ---------------------------------------------------------------------------
// Looking things up
// ---------------------------------------------------------------------------

fn all_institutions(store: &dyn Store) -> Vec<InstitutionRow> {
    store.institutions(&Filter::default()).unwrap()
}

/// The one institution whose display name is `name`.
fn institution(store: &dyn Store, name: &str) -> InstitutionRow {
    let rows: Vec<InstitutionRow> = all_institutions(store).into_iter().filter(|r| r.name == name).collect();
    assert_eq!(rows.len(), 1, "institutions named «{name}»: {rows:?}");
    rows.into_iter().next().unwrap()
}

/// Ids of the events, in listing order.
fn event_ids(store: &dyn Store, filter: &Filter) -> Vec<i64> {
    store.events(filter).unwrap().into_iter().map(|e| e.id).collect()
}

/// The id of the event one of whose sources quotes `sentence`.
fn event_stated_by(store: &dyn Store, sentence: &str) -> i64 {
    let ids: Vec<i64> = event_ids(store, &Filter::default())
        .into_iter()
        .filter(|&id| store.event(id).unwrap().unwrap().sources.iter().any(|s| s.text == sentence))
        .collect();
    assert_eq!(ids.len(), 1, "events stated by «{sentence}»: {ids:?}");
    ids[0]
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

// ---------------------------------------------------------------------------
// 1. Resolution across pages
// ---------------------------------------------------------------------------

#[test]
fn one_agreement_reported_by_two_pages_is_one_event_with_two_sources() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let (a, b) = (page_a(), page_b());
    assert_eq!(store.ingest(&[a.clone(), b.clone()])?, vec![Outcome::Added, Outcome::Added]);

    let institutions = all_institutions(&store);
    assert_eq!(institutions.len(), 2, "{institutions:#?}");
    let rivertown = institution(&store, RIVERTOWN);
    let lakeside = institution(&store, LAKESIDE);
    assert_eq!(rivertown.country.as_deref(), Some("FR"));
    assert_eq!(rivertown.city.as_deref(), Some("Rivertown"));
    assert_eq!(rivertown.kind.as_deref(), Some("hospital"));
    assert_eq!(rivertown.names, vec![RIVERTOWN.to_string(), "RUH".to_string()]);
    assert_eq!((rivertown.documents, rivertown.events), (2, 1));
    assert_eq!((lakeside.documents, lakeside.events), (2, 1));

    let events = store.events(&Filter::default())?;
    assert_eq!(events.len(), 1, "{events:#?}");
    let row = &events[0];
    assert_eq!(row.event_type, "agreement");
    assert_eq!(row.date.as_deref(), Some("2024-03-11"), "the more precise date wins");
    assert_eq!(
        row.parties,
        vec![(rivertown.id, RIVERTOWN.to_string()), (lakeside.id, LAKESIDE.to_string())]
    );
    assert_eq!(row.fields, vec!["oncology".to_string()]);
    assert_eq!(
        row.sources,
        vec![a.path.clone(), "https://lakeside.example.org/news/partners".to_string()]
    );

    let detail = store.event(row.id)?.expect("the event has a detail");
    assert_eq!(detail.sources.len(), 2);
    let (first, second) = (&detail.sources[0], &detail.sources[1]);
    assert_eq!(first.path, a.path);
    assert_eq!(first.source_url, None);
    assert_eq!(first.text, SENTENCE_A);
    assert_eq!(
        slice(&a.text, Span::new(first.start, first.end)),
        SENTENCE_A,
        "evidence offsets count characters"
    );
    assert_eq!(first.reason, "first reported here");
    assert_eq!(second.path, b.path);
    assert_eq!(second.source_url.as_deref(), Some("https://lakeside.example.org/news/partners"));
    assert_eq!(second.text, SENTENCE_B);
    assert_eq!(slice(&b.text, Span::new(second.start, second.end)), SENTENCE_B);
    assert!(second.reason.contains("2 shared parties"), "reason: {}", second.reason);
    assert!(
        second.reason.contains("2024-03") && second.reason.contains("agreement"),
        "reason: {}",
        second.reason
    );
    assert_eq!(
        detail.subtype.as_deref(),
        Some("memorandum"),
        "the second page's subtype fills the gap"
    );
    let document = store.document(second.document_id)?.expect("the source's document");
    assert_eq!((document.text.as_str(), &document.record), (b.text.as_str(), &b.record));
    assert_eq!(document.locations, vec![(b.path.clone(), b.source_url.clone())]);
    assert!(store.document(first.document_id + second.document_id)?.is_none());
    assert_eq!(detail.signatories, vec!["Elodie Marchetti".to_string()]);

    // The institution's mentions quote the very characters of each page.
    let rivertown_detail = store.institution(rivertown.id)?.unwrap();
    let quoted: Vec<(&str, &str)> = rivertown_detail
        .mentions
        .iter()
        .map(|m| (m.path.as_str(), m.text.as_str()))
        .collect();
    assert_eq!(
        quoted,
        vec![
            (a.path.as_str(), RIVERTOWN),
            (a.path.as_str(), "RUH"),
            (a.path.as_str(), "RUH"),
            (b.path.as_str(), "The Rivertown University Hospital")
        ]
    );
    let from_b = rivertown_detail.mentions.iter().find(|m| m.path == b.path).unwrap();
    assert_eq!(from_b.reason, format!("same name «{RIVERTOWN}», country FR"));
    assert_eq!(rivertown_detail.partners, vec![(lakeside.id, LAKESIDE.to_string(), 1)]);
    assert_eq!(rivertown_detail.people.len(), 1);
    assert_eq!(rivertown_detail.people[0].name, "Elodie Marchetti");

    let summary = store.summary()?;
    assert_eq!(
        (summary.documents, summary.institutions, summary.events, summary.event_sources),
        (2, 2, 1, 2)
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 2. An acronym alone
// ---------------------------------------------------------------------------

#[test]
fn an_acronym_alone_is_merged_only_with_a_confirming_country() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a(), page_b()])?;
    let rivertown = institution(&store, RIVERTOWN);

    let c = lone_org_page(
        "news/ruh-abroad.html",
        "Hospital delegations: a team from RUH toured the new paediatric wing in Chengdu last week.",
        "RUH",
        Some("CN"),
    );
    assert_eq!(store.ingest(std::slice::from_ref(&c))?, vec![Outcome::Added]);
    let institutions = all_institutions(&store);
    assert_eq!(institutions.len(), 3, "RUH in China is another institution: {institutions:#?}");
    let chinese = institutions
        .iter()
        .find(|i| i.country.as_deref() == Some("CN"))
        .expect("a Chinese RUH");
    assert_ne!(chinese.id, rivertown.id);
    assert_eq!(chinese.names, vec!["RUH".to_string()]);
    assert_eq!(
        store.institution(rivertown.id)?.unwrap().row.documents,
        2,
        "page C is not counted for Rivertown"
    );

    let d = lone_org_page(
        "news/ruh-palliative.html",
        "Nurses from RUH presented their palliative care programme at a regional congress.",
        "RUH",
        Some("FR"),
    );
    assert_eq!(store.ingest(std::slice::from_ref(&d))?, vec![Outcome::Added]);
    assert_eq!(all_institutions(&store).len(), 3, "RUH in France is Rivertown");
    let detail = store.institution(rivertown.id)?.unwrap();
    assert_eq!(detail.row.documents, 3);
    let from_d = detail
        .mentions
        .iter()
        .find(|m| m.path == d.path)
        .expect("page D's mention is Rivertown's");
    assert_eq!(from_d.text, "RUH");
    assert!(
        from_d.reason.contains("acronym") && from_d.reason.contains("«RUH»"),
        "reason: {}",
        from_d.reason
    );
    assert!(from_d.reason.contains("country FR"), "reason: {}", from_d.reason);

    // Without any country, the acronym names too many institutions to merge.
    let e = lone_org_page(
        "news/ruh-ranking.html",
        "A ranking of teaching hospitals placed RUH among the top ten.",
        "RUH",
        None,
    );
    store.ingest(&[e])?;
    assert_eq!(all_institutions(&store).len(), 4);
    assert_eq!(store.institution(rivertown.id)?.unwrap().row.documents, 3);
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. Different events stay apart
// ---------------------------------------------------------------------------

#[test]
fn events_on_other_dates_or_undated_or_of_another_type_are_not_merged() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a()])?;

    let july = "On 2 July 2024 Rivertown University Hospital and Lakeside Cancer Institute signed a second agreement, on radiotherapy.";
    store.ingest(&[agreement_page("news/july.html", july, Some("2024-07-02"))])?;
    assert_eq!(
        event_ids(&store, &Filter::default()).len(),
        2,
        "2024-03-11 and 2024-07-02 are two agreements"
    );
    assert_ne!(event_stated_by(&store, SENTENCE_A), event_stated_by(&store, july));

    let undated = "Rivertown University Hospital and Lakeside Cancer Institute have an agreement on nurse exchanges.";
    store.ingest(&[agreement_page("news/undated-1.html", undated, None)])?;
    assert_eq!(
        event_ids(&store, &Filter::default()).len(),
        3,
        "an undated agreement is not the dated one"
    );

    let undated_too = "Rivertown University Hospital and Lakeside Cancer Institute also agreed to share a tumour registry.";
    store.ingest(&[agreement_page("news/undated-2.html", undated_too, None)])?;
    assert_eq!(event_ids(&store, &Filter::default()).len(), 4, "two undated agreements are not one");

    // Control: two days apart is the same signing, so the rule above is not vacuous.
    let later = "On 13 March 2024 Rivertown University Hospital and Lakeside Cancer Institute announced their new agreement.";
    store.ingest(&[agreement_page("news/announced.html", later, Some("2024-03-13"))])?;
    assert_eq!(event_ids(&store, &Filter::default()).len(), 4);
    assert_eq!(event_stated_by(&store, later), event_stated_by(&store, SENTENCE_A));

    // Same parties, same day, but a visit is not the agreement.
    let text = "On 11 March 2024 a delegation of Lakeside Cancer Institute visited Rivertown University Hospital.";
    let visit = page(
        "news/visit.html",
        text,
        vec![
            org(text, "o1", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute),
            org(text, "o2", RIVERTOWN, &[], Some("FR"), OrgKind::Hospital),
        ],
        vec![],
        vec![event(text, EventType::Visit, Some("2024-03-11"), &["o1", "o2"], text)],
    );
    store.ingest(&[visit])?;
    assert_eq!(event_ids(&store, &Filter::default()).len(), 5);
    assert_eq!(
        all_institutions(&store).len(),
        2,
        "the institutions themselves are the same throughout"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 4. Idempotency
// ---------------------------------------------------------------------------

#[test]
fn ingesting_again_changes_nothing_and_a_copy_only_adds_a_path() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let (a, b) = (page_a(), page_b());
    assert_eq!(store.ingest(&[a.clone(), b.clone()])?, vec![Outcome::Added, Outcome::Added]);
    let before = store.dump()?;
    assert!(before.contains(SENTENCE_A), "the dump holds the registry's content");

    assert_eq!(store.ingest(&[a.clone(), b.clone()])?, vec![Outcome::Unchanged, Outcome::Unchanged]);
    assert_eq!(store.dump()?, before);
    assert_eq!(store.ingest(std::slice::from_ref(&b))?, vec![Outcome::Unchanged]);
    assert_eq!(store.dump()?, before);

    let mut copy = a.clone();
    copy.path = "mirror/rivertown-2024-03.html".into();
    assert_eq!(store.ingest(std::slice::from_ref(&copy))?, vec![Outcome::SameContent]);
    let after = store.dump()?;
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let added: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    assert_eq!(added.len(), 1, "only the new location: {added:?}");
    assert!(
        added[0].starts_with("document_locations\t") && added[0].contains(&copy.path),
        "{added:?}"
    );
    assert!(old.iter().all(|l| new.contains(l)), "nothing was lost");

    let summary = store.summary()?;
    assert_eq!(
        (summary.documents, summary.institutions, summary.events, summary.event_sources),
        (2, 2, 1, 2)
    );
    let paths = store.known_paths()?;
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[&copy.path], a.hash);
    assert_eq!(paths[&a.path], a.hash);
    assert_eq!(store.ingest(&[copy])?, vec![Outcome::Unchanged]);
    Ok(())
}

// ---------------------------------------------------------------------------
// 5. A changed page replaces its facts
// ---------------------------------------------------------------------------

const VALMONT_PATH: &str = "news/valmont-formation.html";
const TRAINING: &str =
    "Le Centre hospitalier de Valmont et Lakeside Cancer Institute (LCI) ont organisé en mai 2023 une formation en soins infirmiers.";
const VISIT: &str = "Northgate Medical College hosted a visit by Lakeside Cancer Institute on 4 June 2024.";

/// Valmont and Lakeside hold a training in May 2023; Dr Paul Verdier coordinates it.
fn valmont_page() -> IngestDoc {
    let text = format!("Actualités. {TRAINING} Dr Paul Verdier a coordonné la session.");
    let valmont = org(&text, "o1", VALMONT, &[], Some("FR"), OrgKind::Hospital);
    let lakeside = org(&text, "o2", LAKESIDE, &["LCI"], None, OrgKind::ResearchInstitute);
    let mut training = event(&text, EventType::Training, Some("2023-05"), &["o1", "o2"], TRAINING);
    training.fields = vec!["nursing".into()];
    let people = vec![person(&text, "Paul Verdier", &["Dr"], "o1")];
    page(VALMONT_PATH, &text, vec![valmont, lakeside], people, vec![training])
}

/// What the same path says later: Northgate hosts Lakeside.
fn valmont_page_changed() -> IngestDoc {
    let text = format!("News in brief. {VISIT}");
    let northgate = org(&text, "o1", NORTHGATE, &[], Some("CN"), OrgKind::University);
    let lakeside = org(&text, "o2", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute);
    let visit = event(&text, EventType::Visit, Some("2024-06-04"), &["o1", "o2"], VISIT);
    page(VALMONT_PATH, &text, vec![northgate, lakeside], vec![], vec![visit])
}

#[test]
fn a_changed_page_replaces_its_facts_and_keeps_the_others() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let (a, b, old) = (page_a(), page_b(), valmont_page());
    store.ingest(&[a.clone(), b.clone(), old.clone()])?;
    assert_eq!(all_institutions(&store).len(), 3);
    assert_eq!(event_ids(&store, &Filter::default()).len(), 2);
    assert_eq!(store.people(&Filter::default())?.len(), 2);
    let lakeside_before = institution(&store, LAKESIDE);
    assert_eq!((lakeside_before.documents, lakeside_before.events), (3, 2));

    let new = valmont_page_changed();
    assert_ne!(new.hash, old.hash);
    assert_eq!(store.ingest(std::slice::from_ref(&new))?, vec![Outcome::Replaced]);

    // The old page's own facts are gone...
    let names: Vec<String> = all_institutions(&store).into_iter().map(|i| i.name).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.contains(&VALMONT.to_string()), "Valmont was only on the old page: {names:?}");
    assert!(store
        .institutions(&Filter {
            org: Some("Valmont".into()),
            ..Filter::default()
        })?
        .is_empty());
    assert!(store
        .events(&Filter {
            kind: Some("training".into()),
            ..Filter::default()
        })?
        .is_empty());
    let people: Vec<String> = store.people(&Filter::default())?.into_iter().map(|p| p.name).collect();
    assert_eq!(people, vec!["Elodie Marchetti".to_string()]);
    assert!(
        !store.dump()?.contains("formation en soins"),
        "the old text is gone from the registry"
    );

    // ...the new page's are in, and the other pages' facts stay.
    let lakeside = institution(&store, LAKESIDE);
    assert_eq!(lakeside.id, lakeside_before.id);
    assert_eq!((lakeside.documents, lakeside.events), (3, 2));
    let northgate = institution(&store, NORTHGATE);
    assert_eq!(northgate.country.as_deref(), Some("CN"));
    let agreement = store.event(event_stated_by(&store, SENTENCE_A))?.unwrap();
    assert_eq!(agreement.sources.len(), 2);
    assert_eq!(
        event_ids(&store, &Filter::default()),
        vec![event_stated_by(&store, VISIT), agreement.row.id]
    );
    assert_eq!(store.known_paths()?[VALMONT_PATH], new.hash);
    let summary = store.summary()?;
    assert_eq!(
        (
            summary.documents,
            summary.institutions,
            summary.people,
            summary.events,
            summary.event_sources
        ),
        (3, 3, 1, 2, 3)
    );

    // The registry is what it would be had the old page never been read.
    let mut fresh = SqliteStore::in_memory()?;
    fresh.ingest(&[a.clone(), b.clone(), new.clone()])?;
    assert_eq!(content(&store)?, content(&fresh)?);
    Ok(())
}

#[test]
fn a_replaced_page_takes_back_what_it_alone_added_to_shared_facts() -> Result<()> {
    // Page B says the agreement was in March 2024; page Z, read later, adds the
    // day, a field, a third party, an initiative, a place, and for Rivertown
    // its acronym, country and city.
    let sentence = "Rivertown University Hospital (RUH), Lakeside Cancer Institute and Centre hospitalier de Valmont signed the agreement on 11 March 2024.";
    let text = format!("Update from Rivertown. {sentence}");
    let mut rivertown = org(&text, "o1", RIVERTOWN, &["RUH"], Some("FR"), OrgKind::Hospital);
    rivertown.city = Some("Rivertown".into());
    let orgs = vec![
        rivertown,
        org(&text, "o2", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute),
        org(&text, "o3", VALMONT, &[], Some("FR"), OrgKind::Hospital),
    ];
    let mut agreement = event(&text, EventType::Agreement, Some("2024-03-11"), &["o1", "o2", "o3"], sentence);
    agreement.fields = vec!["oncology".into(), "training".into()];
    agreement.initiative = Some("Twin Hospitals Programme".into());
    agreement.place = Some(Place {
        city: Some("Rivertown".into()),
        country: Some("FR".into()),
    });
    let z = page("news/update.html", &text, orgs, vec![], vec![agreement]);
    let w = lone_org_page(
        "news/maternity.html",
        "Centre hospitalier de Valmont opened a new maternity ward.",
        VALMONT,
        Some("FR"),
    );
    let b = page_b();

    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[b.clone(), w.clone(), z.clone()])?;
    let events = store.events(&Filter::default())?;
    assert_eq!(events.len(), 1, "page Z reports page B's agreement: {events:#?}");
    assert_eq!(events[0].date.as_deref(), Some("2024-03-11"));
    assert_eq!(events[0].parties.len(), 3);
    assert_eq!(events[0].fields, vec!["oncology".to_string(), "training".to_string()]);
    assert_eq!(events[0].city.as_deref(), Some("Rivertown"));
    let rivertown = institution(&store, "The Rivertown University Hospital");
    assert_eq!(
        rivertown.names,
        vec!["The Rivertown University Hospital".to_string(), "RUH".to_string()]
    );
    assert_eq!(
        (rivertown.country.as_deref(), rivertown.city.as_deref()),
        (Some("FR"), Some("Rivertown"))
    );

    let mut changed = valmont_page_changed();
    changed.path = z.path.clone();
    assert_eq!(store.ingest(std::slice::from_ref(&changed))?, vec![Outcome::Replaced]);

    let agreement = store.event(event_stated_by(&store, SENTENCE_B))?.unwrap();
    assert_eq!(agreement.sources.len(), 1);
    assert_eq!(agreement.row.date.as_deref(), Some("2024-03"), "the day only page Z gave is gone");
    assert_eq!(agreement.row.fields, vec!["oncology".to_string()]);
    let parties: Vec<&str> = agreement.row.parties.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        parties,
        ["The Rivertown University Hospital", LAKESIDE],
        "Valmont is still known, but no longer a party"
    );
    assert_eq!((agreement.row.city.as_deref(), agreement.initiative.as_deref()), (None, None));
    assert_eq!(agreement.subtype.as_deref(), Some("memorandum"));
    let rivertown = institution(&store, "The Rivertown University Hospital");
    assert_eq!(
        rivertown.names,
        vec!["The Rivertown University Hospital".to_string()],
        "the acronym only page Z gave is gone"
    );
    assert_eq!((rivertown.country.as_deref(), rivertown.city.as_deref()), (None, None));
    assert_eq!(institution(&store, VALMONT).events, 0);

    // The registry is what it would be had page Z never been read.
    let mut fresh = SqliteStore::in_memory()?;
    fresh.ingest(&[b, w, changed])?;
    assert_eq!(content(&store)?, content(&fresh)?);

    // And RUH in France no longer resolves to Rivertown.
    store.ingest(&[lone_org_page("news/ruh.html", "RUH opened a day clinic.", "RUH", Some("FR"))])?;
    assert_eq!(all_institutions(&store).len(), 5);
    Ok(())
}

#[test]
fn a_changed_copy_leaves_the_content_still_read_elsewhere() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let (a, b) = (page_a(), page_b());
    let mut copy = a.clone();
    copy.path = "mirror/copy.html".into();
    assert_eq!(
        store.ingest(&[a.clone(), b.clone(), copy.clone()])?,
        vec![Outcome::Added, Outcome::Added, Outcome::SameContent]
    );

    // The copy's path now holds other content: page A's facts are still read at its own path.
    let mut changed = valmont_page_changed();
    changed.path = copy.path.clone();
    assert_eq!(store.ingest(&[changed])?, vec![Outcome::Replaced]);
    assert_eq!(store.event(event_stated_by(&store, SENTENCE_A))?.unwrap().sources.len(), 2);
    assert_eq!(institution(&store, RIVERTOWN).documents, 2);
    assert_eq!(all_institutions(&store).len(), 3);

    // And a path whose new content is already known elsewhere is only re-pointed.
    let mut back = b.clone();
    back.path = copy.path.clone();
    assert_eq!(store.ingest(&[back])?, vec![Outcome::Replaced]);
    assert!(store
        .institutions(&Filter {
            org: Some("Northgate".into()),
            ..Filter::default()
        })?
        .is_empty());
    let summary = store.summary()?;
    assert_eq!(
        (summary.documents, summary.institutions, summary.events, summary.event_sources),
        (2, 2, 1, 2)
    );
    assert_eq!(store.known_paths()?[&copy.path], b.hash);
    Ok(())
}

// ---------------------------------------------------------------------------
// 6. The registry on disk
// ---------------------------------------------------------------------------

#[test]
fn the_registry_on_disk_survives_a_reopen() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("registry.sqlite");
    let dump = {
        let mut store = SqliteStore::open(&path)?;
        store.ingest(&[page_a(), page_b()])?;
        store.dump()?
    };
    assert!(path.exists());
    let mut store = SqliteStore::open(&path)?;
    assert_eq!(store.dump()?, dump);
    assert_eq!(store.known_paths()?.len(), 2);
    assert_eq!(store.ingest(&[page_a(), page_b()])?, vec![Outcome::Unchanged, Outcome::Unchanged]);
    assert_eq!(store.events(&Filter::default())?.len(), 1);
    Ok(())
}

#[test]
fn what_is_not_a_registry_is_refused_with_its_path() -> Result<()> {
    let dir = tempfile::tempdir()?;

    let garbage = dir.path().join("notes.db");
    let mut f = std::fs::File::create(&garbage)?;
    for i in 0..4096u32 {
        f.write_all(&[(i.wrapping_mul(2_654_435_761) >> 13) as u8])?;
    }
    drop(f);
    match SqliteStore::open(&garbage) {
        Ok(_) => panic!("a file of random bytes was opened as a registry"),
        Err(e) => assert!(format!("{e:#}").contains(&garbage.display().to_string()), "error: {e:#}"),
    }

    let missing = dir.path().join("no/such/folder/registry.sqlite");
    match SqliteStore::open(&missing) {
        Ok(_) => panic!("a registry was opened in a folder that does not exist"),
        Err(e) => assert!(format!("{e:#}").contains(&missing.display().to_string()), "error: {e:#}"),
    }

    // A registry written by a newer Accord is refused, not damaged.
    let newer = dir.path().join("newer.sqlite");
    rusqlite::Connection::open(&newer)?.pragma_update(None, "user_version", 99)?;
    match SqliteStore::open(&newer) {
        Ok(_) => panic!("a registry of schema version 99 was opened"),
        Err(e) => {
            let message = format!("{e:#}");
            assert!(
                message.contains(&newer.display().to_string()) && message.contains("99"),
                "error: {message}"
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 7. ROR
// ---------------------------------------------------------------------------

const RUH_ROR: &str = "https://ror.org/05rvth123";
const LAKESIDE_ROR: &str = "https://ror.org/02lkci456";
const VALMONT_ROR: &str = "https://ror.org/03vlmt789";
const RIDGEVIEW_ROR: &str = "https://ror.org/04rdgv012";

fn read_all(path: &Path) -> Result<Vec<RorOrg>> {
    read_dump(path)?.collect()
}

/// A page naming Rivertown by its French label, with no country.
fn french_label_page() -> IngestDoc {
    let text = "L'Hôpital universitaire de Rivertown accueille un nouveau service de radiologie.";
    lone_org_page("actualites/radiologie.html", text, "Hôpital universitaire de Rivertown", None)
}

#[test]
fn ror_links_institutions_by_any_label_and_acronyms_only_with_their_country() -> Result<()> {
    let dump = read_all(&fixture("ror-v2-fictional.json"))?;
    assert_eq!(dump.len(), 4);
    assert_eq!(dump[2].name, VALMONT, "the display name is the ror_display one");
    assert_eq!(dump[2].country.as_deref(), Some("FR"));
    assert_eq!(dump[2].city.as_deref(), Some("Valmont"));
    assert_eq!(
        dump[2].names[1],
        ("Valmont Hospital Centre".to_string(), "label".to_string(), Some("en".to_string()))
    );
    assert_eq!(dump[0].types, vec!["healthcare".to_string(), "education".to_string()]);
    assert_eq!(dump[0].established, Some(1923));

    // Control: without ROR the French label is a name the registry does not know.
    let mut plain = SqliteStore::in_memory()?;
    plain.ingest(&[page_a(), french_label_page()])?;
    assert_eq!(all_institutions(&plain).len(), 3);

    let mut store = SqliteStore::in_memory()?;
    let valmont_en = "Valmont Hospital Centre opened a new sleep clinic.";
    store.ingest(&[
        page_a(),
        lone_org_page("news/valmont-sleep.html", valmont_en, "Valmont Hospital Centre", Some("FR")),
    ])?;
    let (imported, linked) = store.import_ror(&mut read_dump(&fixture("ror-v2-fictional.json"))?)?;
    assert_eq!((imported, linked), (4, 3));

    // An institution read under its English label gets the ROR id of the French-named record.
    let valmont = institution(&store, "Valmont Hospital Centre");
    assert_eq!(valmont.ror_id.as_deref(), Some(VALMONT_ROR));
    assert_eq!(store.institution(valmont.id)?.unwrap().ror_match, Some(("label".to_string(), 1.0)));
    assert_eq!(institution(&store, RIVERTOWN).ror_id.as_deref(), Some(RUH_ROR));
    assert_eq!(institution(&store, LAKESIDE).ror_id.as_deref(), Some(LAKESIDE_ROR));
    assert_eq!(store.summary()?.institutions_in_ror, 3);

    // A page naming Rivertown by its French label is merged with it, because of ROR.
    let fr = french_label_page();
    store.ingest(std::slice::from_ref(&fr))?;
    assert_eq!(all_institutions(&store).len(), 3);
    let rivertown = institution(&store, RIVERTOWN);
    assert!(
        rivertown.names.contains(&"Hôpital universitaire de Rivertown".to_string()),
        "{:?}",
        rivertown.names
    );
    let mention = store
        .institution(rivertown.id)?
        .unwrap()
        .mentions
        .into_iter()
        .find(|m| m.path == fr.path)
        .unwrap();
    assert_eq!(mention.text, "Hôpital universitaire de Rivertown");
    assert!(
        mention.reason.contains(&format!("same ROR id {RUH_ROR}")),
        "reason: {}",
        mention.reason
    );
    assert!(
        mention.reason.contains("label «Hôpital universitaire de Rivertown»"),
        "reason: {}",
        mention.reason
    );

    // An acronym links to ROR only when the country agrees.
    let chv_fr = lone_org_page("news/chv-fr.html", "CHV renews its emergency department.", "CHV", Some("FR"));
    store.ingest(std::slice::from_ref(&chv_fr))?;
    assert_eq!(all_institutions(&store).len(), 3, "CHV in France is Valmont's ROR acronym");
    let mention = store
        .institution(valmont.id)?
        .unwrap()
        .mentions
        .into_iter()
        .find(|m| m.path == chv_fr.path)
        .unwrap();
    assert!(
        mention.reason.contains(&format!("same ROR id {VALMONT_ROR}")) && mention.reason.contains("acronym «CHV»"),
        "{mention:?}"
    );

    let chv_be = lone_org_page("news/chv-be.html", "CHV opened a dialysis unit in Liège.", "CHV", Some("BE"));
    let lci_unknown = lone_org_page("news/lci.html", "LCI published its annual report.", "LCI", None);
    let ruh_cn = lone_org_page("news/ruh-cn.html", "RUH expanded its cardiology ward.", "RUH", Some("CN"));
    store.ingest(&[chv_be, lci_unknown, ruh_cn])?;
    let institutions = all_institutions(&store);
    assert_eq!(institutions.len(), 6, "{institutions:#?}");
    let by_country = |name: &str, country: Option<&str>| {
        institutions
            .iter()
            .find(|i| i.name == name && i.country.as_deref() == country)
            .cloned()
            .unwrap_or_else(|| panic!("{name} {country:?}"))
    };
    assert_eq!(by_country("CHV", Some("BE")).ror_id, None, "CHV in Belgium is not Valmont");
    assert_eq!(by_country("LCI", None).ror_id, None, "LCI with no country is not Lakeside");
    assert_eq!(
        by_country("RUH", Some("CN")).ror_id.as_deref(),
        Some(RIDGEVIEW_ROR),
        "RUH in China is Ridgeview"
    );
    assert_eq!(institution(&store, RIVERTOWN).ror_id.as_deref(), Some(RUH_ROR));
    Ok(())
}

/// Writes `json` into a zip as ROR publishes it, after a first entry that is not JSON.
fn write_ror_zip(path: &Path, json: &[u8]) -> Result<()> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("README.txt", stored)?;
    zip.write_all(b"A fictional ROR dump for tests.\n")?;
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("v0.0-2000-01-01-ror-data_schema_v2.json", deflated)?;
    zip.write_all(json)?;
    zip.finish()?;
    Ok(())
}

#[test]
fn a_zipped_ror_dump_reads_like_its_json() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let json = std::fs::read(fixture("ror-v2-fictional.json"))?;
    let zipped = dir.path().join("v0.0-2000-01-01-ror-data.zip");
    write_ror_zip(&zipped, &json)?;
    assert_eq!(&std::fs::read(&zipped)?[..4], b"PK\x03\x04");
    let from_zip = read_all(&zipped)?;
    assert_eq!(from_zip, read_all(&fixture("ror-v2-fictional.json"))?);
    assert_eq!(from_zip.len(), 4);

    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a()])?;
    assert_eq!(store.import_ror(&mut read_dump(&zipped)?)?, (4, 2));
    // Importing again replaces the knowledge base rather than adding to it.
    assert_eq!(store.import_ror(&mut read_dump(&zipped)?)?, (4, 0));
    assert_eq!(store.summary()?.institutions_in_ror, 2);
    Ok(())
}

#[test]
fn a_broken_ror_dump_names_its_file_and_leaves_the_registry_as_it_was() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("missing.zip");
    let e = read_dump(&missing).err().expect("a missing dump is an error");
    assert!(format!("{e:#}").contains(&missing.display().to_string()), "{e:#}");

    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a()])?;
    store.import_ror(&mut read_dump(&fixture("ror-v2-fictional.json"))?)?;
    let before = store.dump()?;

    // The first organization is fine, then the JSON breaks off.
    let json = std::fs::read_to_string(fixture("ror-v2-fictional.json"))?;
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &json[..json.rfind("https://ror.org/03vlmt789").unwrap()])?;
    let results: Vec<Result<RorOrg>> = read_dump(&cut)?.collect();
    assert!(results[0].is_ok());
    let e = results.into_iter().find_map(|r| r.err()).expect("the broken dump reports an error");
    assert!(format!("{e:#}").contains(&cut.display().to_string()), "{e:#}");

    let e = store.import_ror(&mut read_dump(&cut)?).expect_err("importing a broken dump fails");
    assert!(format!("{e:#}").contains(&cut.display().to_string()), "{e:#}");
    assert_eq!(store.dump()?, before, "a failed import changes nothing");

    let not_a_zip = dir.path().join("fake.zip");
    std::fs::write(&not_a_zip, b"PK\x03\x04 but not really a zip archive")?;
    assert!(store.import_ror(&mut read_dump(&not_a_zip)?).is_err());
    assert_eq!(store.dump()?, before);
    Ok(())
}

#[test]
fn the_shared_ror_subset_imports_whole() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ror");
    let zip = std::fs::read_dir(&dir).ok().and_then(|entries| {
        entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "zip"))
    });
    let Some(zip) = zip else {
        eprintln!("skipped: no ROR dump in {}", dir.display());
        return Ok(());
    };
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a(), page_b()])?;
    let (imported, _linked) = store.import_ror(&mut read_dump(&zip)?)?;
    eprintln!("{}: {imported} organizations", zip.display());
    assert!(
        (48_000..=49_500).contains(&imported),
        "expected about 48,746 organizations, got {imported}"
    );
    // The fictional institutions are not in the real registry under a wrong id.
    for i in all_institutions(&store) {
        if let Some(ror) = &i.ror_id {
            assert!(ror.starts_with("https://ror.org/0"), "{ror}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 8. Exports
// ---------------------------------------------------------------------------

const CLINIC: &str = "Valmont Clinic \"Les Tilleuls\", Pavilion B";
const HARBOR: &str = "Harbor Heart & Lung Institute <Pediatric Wing>";

/// Page A, plus a meeting of three institutions with awkward names and a fourth with no event.
fn export_store() -> Result<SqliteStore> {
    let sentence = format!("On 20 September 2024, {CLINIC}, {HARBOR} and {LAKESIDE} held a joint meeting on cardiac surgery.");
    let text = format!("{sentence} {NORTHGATE} sent observers.");
    let orgs = vec![
        org(&text, "o1", CLINIC, &[], Some("FR"), OrgKind::Hospital),
        org(&text, "o2", HARBOR, &[], Some("US"), OrgKind::Hospital),
        org(&text, "o3", LAKESIDE, &[], Some("US"), OrgKind::ResearchInstitute),
        org(&text, "o4", NORTHGATE, &[], Some("CN"), OrgKind::University),
    ];
    let mut meeting = event(&text, EventType::Meeting, Some("2024-09-20"), &["o1", "o2", "o3"], &sentence);
    meeting.fields = vec!["cardiac surgery".into()];
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[page_a(), page("news/harbor-meeting.html", &text, orgs, vec![], vec![meeting])])?;
    Ok(store)
}

/// What an XML walk found: node ids, edge ends, and node names unescaped.
#[derive(Default, Debug)]
struct XmlWalk {
    nodes: Vec<String>,
    edges: Vec<(String, String)>,
    names: Vec<String>,
}

fn walk_xml(xml: &str) -> XmlWalk {
    use quick_xml::events::Event as X;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut walk = XmlWalk::default();
    let mut name_text: Option<String> = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => panic!("XML error at byte {}: {e}", reader.error_position()),
        };
        match &event {
            X::Eof => break,
            X::Start(e) | X::Empty(e) => {
                let attrs: HashMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("a well-formed attribute");
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("an unescapable value");
                        (a.key.as_ref().to_string(), value.into_owned())
                    })
                    .collect();
                match e.local_name().as_ref() {
                    "node" => {
                        walk.nodes.push(attrs["id"].clone());
                        if let Some(label) = attrs.get("label") {
                            walk.names.push(label.clone());
                        }
                    }
                    "edge" => walk.edges.push((attrs["source"].clone(), attrs["target"].clone())),
                    "data" if matches!(event, X::Start(_)) && attrs.get("key").map(String::as_str) == Some("name") => {
                        name_text = Some(String::new())
                    }
                    _ => {}
                }
            }
            X::Text(t) => {
                if let Some(raw) = &mut name_text {
                    raw.push_str(&t.xml10_content());
                }
            }
            X::GeneralRef(r) => {
                if let Some(raw) = &mut name_text {
                    raw.push_str(&format!("&{};", &**r));
                }
            }
            X::End(e) if e.local_name().as_ref() == "data" => {
                if let Some(raw) = name_text.take() {
                    walk.names
                        .push(quick_xml::escape::unescape(&raw).expect("known entities").into_owned());
                }
            }
            _ => {}
        }
    }
    walk
}

#[test]
fn exports_read_back_with_real_parsers() -> Result<()> {
    let store = export_store()?;
    let institutions = all_institutions(&store);
    let events = store.events(&Filter::default())?;
    let network = store.network(&Filter::default())?;
    assert_eq!((institutions.len(), events.len()), (5, 2));
    assert_eq!((network.nodes.len(), network.edges.len()), (4, 4), "{network:#?}");
    let dir = tempfile::tempdir()?;

    // CSV: three tables.
    let csv_dir = dir.path().join("csv");
    assert_eq!(
        export(&store, Format::Csv, &Filter::default(), &csv_dir)?,
        Written {
            institutions: 5,
            events: 2,
            network_complete: true
        }
    );
    let mut r = csv::Reader::from_path(csv_dir.join("institutions.csv"))?;
    assert_eq!(
        r.headers()?,
        vec!["id", "name", "kind", "country", "city", "ror_id", "names", "documents", "events"]
    );
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), 5);
    let clinic = rows
        .iter()
        .find(|r| &r[1] == CLINIC)
        .expect("the name with a comma and quotes survives");
    let clinic_id: i64 = clinic[0].parse()?;
    assert_eq!((&clinic[3], &clinic[8]), ("FR", "1"));
    assert!(rows.iter().any(|r| &r[1] == HARBOR));
    let ids: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(ids, institutions.iter().map(|i| i.id).collect::<Vec<_>>());

    let mut r = csv::Reader::from_path(csv_dir.join("events.csv"))?;
    assert_eq!(
        r.headers()?,
        vec!["id", "type", "date", "city", "country", "party_ids", "parties", "fields", "sources"]
    );
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), 2);
    let meeting = &rows[0];
    assert_eq!((&meeting[1], &meeting[2]), ("meeting", "2024-09-20"));
    assert_eq!(
        meeting[5].split(" | ").map(|id| id.parse().unwrap()).collect::<Vec<i64>>()[0],
        clinic_id
    );
    assert_eq!(&meeting[6], format!("{CLINIC} | {HARBOR} | {LAKESIDE}"));
    assert_eq!(&meeting[7], "cardiac surgery");
    assert_eq!(&meeting[8], "news/harbor-meeting.html");

    let mut r = csv::Reader::from_path(csv_dir.join("network.csv"))?;
    assert_eq!(r.headers()?, vec!["source", "target", "weight", "events"]);
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| &r[2] == "1" && r[0].parse::<i64>().unwrap() < r[1].parse::<i64>().unwrap()));

    // JSON Lines: institutions, then events.
    let jsonl = dir.path().join("registry.jsonl");
    assert_eq!(
        export(&store, Format::Jsonl, &Filter::default(), &jsonl)?,
        Written {
            institutions: 5,
            events: 2,
            network_complete: true
        }
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let kinds: Vec<&str> = lines.iter().map(|l| l["record"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "institution",
            "institution",
            "institution",
            "institution",
            "institution",
            "event",
            "event"
        ]
    );
    assert!(lines.iter().any(|l| l["name"] == CLINIC));
    assert!(lines.iter().any(|l| l["name"] == HARBOR && l["country"] == "US"));
    assert_eq!(lines[5]["parties"][0], serde_json::json!([clinic_id, CLINIC]));

    // GraphML and GEXF: the network, well-formed to the end.
    for (format, file) in [(Format::Graphml, "network.graphml"), (Format::Gexf, "network.gexf")] {
        let out = dir.path().join(file);
        assert_eq!(
            export(&store, format, &Filter::default(), &out)?,
            Written {
                institutions: 4,
                events: 4,
                network_complete: true
            }
        );
        let xml = std::fs::read_to_string(&out)?;
        let walk = walk_xml(&xml);
        assert_eq!((walk.nodes.len(), walk.edges.len()), (4, 4), "{file}: {walk:?}");
        for (s, t) in &walk.edges {
            assert!(
                walk.nodes.contains(s) && walk.nodes.contains(t),
                "{file}: edge {s}-{t} to an unknown node"
            );
        }
        assert!(walk.names.iter().any(|n| n == HARBOR), "{file}: {:?}", walk.names);
        assert!(walk.names.iter().any(|n| n == CLINIC), "{file}: {:?}", walk.names);
        assert!(
            !walk.names.iter().any(|n| n == NORTHGATE),
            "{file}: an institution without events is not a node"
        );
    }

    // A filter narrows the graph too.
    let out = dir.path().join("agreements.graphml");
    let agreements = Filter {
        kind: Some("agreement".into()),
        ..Filter::default()
    };
    assert_eq!(
        export(&store, Format::Graphml, &agreements, &out)?,
        Written {
            institutions: 2,
            events: 1,
            network_complete: true
        }
    );
    let walk = walk_xml(&std::fs::read_to_string(&out)?);
    assert_eq!((walk.nodes.len(), walk.edges.len()), (2, 1));
    Ok(())
}

// ---------------------------------------------------------------------------
// 9. Filters
// ---------------------------------------------------------------------------

struct Filtered {
    store: SqliteStore,
    /// Event ids by name.
    e: HashMap<&'static str, i64>,
    /// Institution ids by name.
    i: HashMap<&'static str, i64>,
}

const MEMORANDUM: &str =
    "Rivertown University Hospital and Centre hospitalier de Valmont signed a cardiology memorandum on 20 November 2023.";
const DELEGATION: &str =
    "In May 2024 a delegation from Northgate Medical College visited Lakeside Cancer Institute to discuss oncology research.";
const NURSES: &str = "Centre hospitalier de Valmont trained twelve nurses from Northgate Medical College in 2022.";
const EXCHANGE: &str = "Lakeside Cancer Institute and Northgate Medical College have signed an exchange agreement.";

/// Five events: E1 agreement 2024-03-11 Rivertown (FR)–Lakeside (US), oncology;
/// E2 agreement 2023-11-20 Rivertown–Valmont (FR), cardiology; E3 visit 2024-05
/// Northgate (CN)–Lakeside, in the US, oncology; E4 training 2022
/// Valmont–Northgate, nursing; E5 agreement, undated, Lakeside–Northgate.
fn filtered() -> Result<Filtered> {
    let two = |path: &str, sentence: &str, a: (&str, &str, OrgKind), b: (&str, &str, OrgKind), ty, date, field: &str| {
        let text = format!("Cooperation news. {sentence}");
        let orgs = vec![
            org(&text, "o1", a.0, &[], Some(a.1), a.2),
            org(&text, "o2", b.0, &[], Some(b.1), b.2),
        ];
        let mut e = event(&text, ty, date, &["o1", "o2"], sentence);
        e.fields = vec![field.to_string()];
        page(path, &text, orgs, vec![], vec![e])
    };
    let rivertown = (RIVERTOWN, "FR", OrgKind::Hospital);
    let lakeside = (LAKESIDE, "US", OrgKind::ResearchInstitute);
    let valmont = (VALMONT, "FR", OrgKind::Hospital);
    let northgate = (NORTHGATE, "CN", OrgKind::University);
    let mut e3 = two(
        "news/delegation.html",
        DELEGATION,
        northgate,
        lakeside,
        EventType::Visit,
        Some("2024-05"),
        "oncology",
    );
    e3.record.events[0].place = Some(Place {
        city: Some("Lakeside".into()),
        country: Some("US".into()),
    });
    let pages = [
        page_a(),
        two(
            "news/memorandum.html",
            MEMORANDUM,
            rivertown,
            valmont,
            EventType::Agreement,
            Some("2023-11-20"),
            "cardiology",
        ),
        e3,
        two(
            "news/nurses.html",
            NURSES,
            valmont,
            northgate,
            EventType::Training,
            Some("2022"),
            "nursing",
        ),
        two(
            "news/exchange.html",
            EXCHANGE,
            lakeside,
            northgate,
            EventType::Agreement,
            None,
            "education",
        ),
    ];
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&pages)?;
    let mut e = HashMap::new();
    for (name, sentence) in [
        ("E1", SENTENCE_A),
        ("E2", MEMORANDUM),
        ("E3", DELEGATION),
        ("E4", NURSES),
        ("E5", EXCHANGE),
    ] {
        e.insert(name, event_stated_by(&store, sentence));
    }
    let mut i = HashMap::new();
    for name in [RIVERTOWN, LAKESIDE, VALMONT, NORTHGATE] {
        i.insert(name, institution(&store, name).id);
    }
    Ok(Filtered { store, e, i })
}

#[test]
fn event_filters_select_what_they_say() -> Result<()> {
    let Filtered { store, e, i } = filtered()?;
    let ids = |f: Filter| event_ids(&store, &f);
    let want = |names: &[&str]| names.iter().map(|n| e[n]).collect::<Vec<i64>>();
    let s = |v: &str| Some(v.to_string());
    let all = Filter::default;

    assert_eq!(ids(all()), want(&["E3", "E1", "E2", "E4", "E5"]), "latest first, undated last");
    assert_eq!(
        ids(Filter {
            kind: s("agreement"),
            since: s("2024-01"),
            ..all()
        }),
        want(&["E1"])
    );
    assert_eq!(
        ids(Filter {
            kind: s("Agreement"),
            ..all()
        }),
        want(&["E1", "E2", "E5"])
    );
    assert_eq!(ids(Filter { since: s("2024"), ..all() }), want(&["E3", "E1"]));
    assert_eq!(
        ids(Filter {
            since: s("2023-11-21"),
            ..all()
        }),
        want(&["E3", "E1"])
    );
    assert_eq!(ids(Filter { until: s("2023"), ..all() }), want(&["E2", "E4"]));
    assert_eq!(
        ids(Filter {
            until: s("2024-03"),
            ..all()
        }),
        want(&["E1", "E2", "E4"])
    );
    assert_eq!(
        ids(Filter {
            since: s("2023"),
            until: s("2024-03"),
            ..all()
        }),
        want(&["E1", "E2"])
    );

    assert_eq!(ids(Filter { country: s("FR"), ..all() }), want(&["E1", "E2", "E4"]));
    assert_eq!(ids(Filter { country: s("us"), ..all() }), want(&["E3", "E1", "E5"]));
    assert_eq!(ids(Filter { country: s("CN"), ..all() }), want(&["E3", "E4", "E5"]));
    assert_eq!(ids(Filter { country: s("DE"), ..all() }), want(&[]));

    assert_eq!(
        ids(Filter {
            org: Some(i[LAKESIDE].to_string()),
            ..all()
        }),
        want(&["E3", "E1", "E5"])
    );
    assert_eq!(
        ids(Filter {
            org: s("Valmont"),
            ..all()
        }),
        want(&["E2", "E4"])
    );
    assert_eq!(
        ids(Filter {
            org: s("northgate medical"),
            ..all()
        }),
        want(&["E3", "E4", "E5"])
    );
    assert_eq!(
        ids(Filter {
            org: s("Lakeside"),
            kind: s("agreement"),
            ..all()
        }),
        want(&["E1", "E5"])
    );
    assert_eq!(ids(Filter { org: s("999999"), ..all() }), want(&[]));

    assert_eq!(
        ids(Filter {
            field: s("oncology"),
            ..all()
        }),
        want(&["E3", "E1"])
    );
    assert_eq!(
        ids(Filter {
            field: s("CARDIOLOGY"),
            ..all()
        }),
        want(&["E2"])
    );
    assert_eq!(
        ids(Filter {
            text: s("memorandum"),
            ..all()
        }),
        want(&["E2"])
    );
    assert_eq!(
        ids(Filter {
            text: s("NURSES"),
            ..all()
        }),
        want(&["E4"])
    );
    assert_eq!(ids(Filter { text: s("100%"), ..all() }), want(&[]));

    assert_eq!(ids(Filter { limit: Some(2), ..all() }), want(&["E3", "E1"]));
    assert_eq!(
        ids(Filter {
            kind: s("agreement"),
            limit: Some(1),
            ..all()
        }),
        want(&["E1"])
    );
    assert_eq!(ids(Filter { limit: Some(0), ..all() }), want(&[]));
    Ok(())
}

#[test]
fn institution_and_people_filters_select_what_they_say() -> Result<()> {
    let Filtered { store, i, .. } = filtered()?;
    let ids = |f: Filter| store.institutions(&f).unwrap().into_iter().map(|r| r.id).collect::<Vec<i64>>();
    let want = |names: &[&str]| names.iter().map(|n| i[n]).collect::<Vec<i64>>();
    let s = |v: &str| Some(v.to_string());
    let all = Filter::default;

    // Most active first (three events each for Lakeside and Northgate), then by id.
    assert_eq!(ids(all()), want(&[LAKESIDE, NORTHGATE, RIVERTOWN, VALMONT]));
    assert_eq!(ids(Filter { country: s("fr"), ..all() }), want(&[RIVERTOWN, VALMONT]));
    assert_eq!(
        ids(Filter {
            kind: s("hospital"),
            ..all()
        }),
        want(&[RIVERTOWN, VALMONT])
    );
    assert_eq!(
        ids(Filter {
            kind: s("university"),
            ..all()
        }),
        want(&[NORTHGATE])
    );
    assert_eq!(
        ids(Filter {
            org: Some(i[VALMONT].to_string()),
            ..all()
        }),
        want(&[VALMONT])
    );
    assert_eq!(
        ids(Filter {
            org: s("rivertown"),
            ..all()
        }),
        want(&[RIVERTOWN])
    );
    assert_eq!(ids(Filter { text: s("RUH"), ..all() }), want(&[RIVERTOWN]));
    assert_eq!(ids(Filter { since: s("2024"), ..all() }), want(&[LAKESIDE, NORTHGATE, RIVERTOWN]));
    assert_eq!(ids(Filter { until: s("2022"), ..all() }), want(&[NORTHGATE, VALMONT]));
    assert_eq!(
        ids(Filter {
            field: s("nursing"),
            ..all()
        }),
        want(&[NORTHGATE, VALMONT])
    );
    assert_eq!(ids(Filter { limit: Some(1), ..all() }), want(&[LAKESIDE]));

    let people = store.people(&Filter {
        org: s("Rivertown"),
        ..all()
    })?;
    assert_eq!(people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Elodie Marchetti"]);
    assert_eq!(people[0].institution, Some((i[RIVERTOWN], RIVERTOWN.to_string())));
    assert!(store.people(&Filter { country: s("CN"), ..all() })?.is_empty());
    assert_eq!(
        store
            .people(&Filter {
                text: s("marchetti"),
                ..all()
            })?
            .len(),
        1
    );
    Ok(())
}

#[test]
fn a_correction_survives_when_its_only_page_changes() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let first = lone_org_page(
        "/p/news.txt",
        "Valmont Heart Clinic opened a ward.",
        "Valmont Heart Clinic",
        Some("CH"),
    );
    store.ingest(std::slice::from_ref(&first))?;
    let id = store.institutions(&Filter::default())?[0].id;
    let token = store.add_user("editor", accord_store::Role::Editor)?;
    let editor = store.user_by_token(&token)?.expect("the token signs in");
    store.curate(
        &editor,
        &accord_store::Curation::EditInstitution {
            id,
            name: None,
            country: Some("FR".into()),
            kind: None,
            city: None,
        },
    )?;
    // The page changes: its only institution loses its last mention, then comes back.
    let changed = lone_org_page(
        "/p/news.txt",
        "Valmont Heart Clinic opened a second ward.",
        "Valmont Heart Clinic",
        Some("CH"),
    );
    assert_eq!(store.ingest(std::slice::from_ref(&changed))?, vec![Outcome::Replaced]);
    let all = store.institutions(&Filter::default())?;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!((all[0].id, all[0].country.as_deref()), (id, Some("FR")));
    assert_eq!(store.audit(Some(&format!("institution {id}")), 10)?.len(), 1);
    Ok(())
}
