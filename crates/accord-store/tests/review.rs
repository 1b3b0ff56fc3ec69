//! Review queues and curation in the store: queue membership, order and
//! exact totals over pages; decisions taking rows out of queues; rejected
//! events and institutions out of counts, listings and search; refusals of
//! impossible values; corrections of an event's place, fields and parties
//! that survive later ingests; merged-away ids leading to the survivor;
//! bulk decisions all or none; the audit log's filters.
//!
//! Every institution and sentence here is invented.

use accord_model::{Event, EventType, OrgKind, Organization, Record, Span};
use accord_store::{AuditQuery, Curation, Filter, IngestDoc, Role, SearchQuery, SqliteStore, Store, User};
use anyhow::Result;

/// An organization named once, at the start of the page's text.
fn org(id: &str, name: &str, country: Option<&str>, at: usize) -> Organization {
    Organization {
        id: id.into(),
        name: name.into(),
        aliases: Vec::new(),
        kind: Some(OrgKind::Hospital),
        country: country.map(String::from),
        city: None,
        mentions: vec![Span::new(at, at + name.chars().count())],
        truncated: false,
    }
}

/// A page naming `orgs` (name, country) in one sentence, and an event of
/// `kind` on `date` between the first `parties` of them.
fn page(path: &str, orgs: &[(&str, Option<&str>)], parties: usize, date: Option<&str>, kind: EventType) -> IngestDoc {
    let mut text = String::new();
    let mut organizations = Vec::new();
    for (i, (name, country)) in orgs.iter().enumerate() {
        if i > 0 {
            text.push_str(" and ");
        }
        organizations.push(org(&format!("o{i}"), name, *country, text.chars().count()));
        text.push_str(name);
    }
    text.push_str(" signed a cooperation agreement.");
    let event = Event {
        event_type: kind,
        subtype: None,
        date: date.map(String::from),
        place: None,
        parties: (0..parties).map(|i| format!("o{i}")).collect(),
        signatories: Vec::new(),
        fields: vec!["cardiology".into()],
        activities: Vec::new(),
        initiative: None,
        participants: None,
        mode: None,
        evidence: text.clone(),
        evidence_span: Span::new(0, text.chars().count()),
        mentions: Vec::new(),
        truncated: false,
        fact_spans: Vec::new(),
    };
    let record = Record {
        doc: path.into(),
        language: Some("en".into()),
        published: None,
        title: None,
        organizations,
        people: Vec::new(),
        events: vec![event],
        countries: Vec::new(),
    };
    IngestDoc {
        path: path.into(),
        source_url: None,
        hash: accord_store::content_hash(format!("{path}{text}{date:?}{parties}").as_bytes()),
        text,
        record,
    }
}

fn editor(store: &mut SqliteStore, role: Role) -> Result<User> {
    let token = store.add_user(if role == Role::Admin { "Mira Okafor" } else { "Ada Lindqvist" }, role)?;
    Ok(store.user_by_token(&token)?.expect("the token signs in"))
}

fn institution(store: &SqliteStore, name: &str) -> i64 {
    let found = store
        .institutions(&Filter {
            text: Some(name.into()),
            review: Some("all".into()),
            ..Filter::default()
        })
        .unwrap();
    found
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no {name}: {found:?}"))
        .id
}

fn event_of(store: &SqliteStore, name: &str) -> i64 {
    store.institution(institution(store, name)).unwrap().unwrap().events[0].id
}

fn queue_ids(store: &SqliteStore, queue: &str) -> Vec<i64> {
    let page = store.review(queue, 1000, 0).unwrap();
    page.items
        .iter()
        .map(|i| i.event.as_ref().map(|e| e.id).or(i.institution.as_ref().map(|i| i.id)).unwrap())
        .collect()
}

/// Three events: one party on one page and undated (three signs), two
/// parties on one page (one sign), two parties on two pages (none).
fn three_events() -> Vec<IngestDoc> {
    vec![
        page("a.txt", &[("Alder Heart Hospital", Some("GB"))], 1, None, EventType::Agreement),
        page(
            "b.txt",
            &[("Birch Eye Hospital", Some("FR")), ("Cedar Cancer Hospital", Some("FR"))],
            2,
            Some("2023-05-04"),
            EventType::Project,
        ),
        page(
            "c1.txt",
            &[("Dogwood Heart Hospital", Some("DE")), ("Elm Lung Hospital", Some("DE"))],
            2,
            Some("2022-01-02"),
            EventType::Agreement,
        ),
        page(
            "c2.txt",
            &[("Dogwood Heart Hospital", Some("DE")), ("Elm Lung Hospital", Some("DE"))],
            2,
            Some("2022-01-02"),
            EventType::Agreement,
        ),
    ]
}

#[test]
fn queues_hold_the_rows_with_their_sign_most_signs_first() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let (alder, birch, dogwood) = (
        event_of(&store, "Alder Heart Hospital"),
        event_of(&store, "Birch Eye Hospital"),
        event_of(&store, "Dogwood Heart Hospital"),
    );
    assert_eq!(queue_ids(&store, "one-party"), [alder]);
    assert_eq!(queue_ids(&store, "single-source"), [alder, birch], "three signs before one");
    assert_eq!(queue_ids(&store, "undated"), [alder]);
    assert!(!queue_ids(&store, "single-source").contains(&dogwood));
    let first = &store.review("single-source", 10, 0)?.items[0];
    assert_eq!(first.signs, ["one party", "one page", "no date"]);
    assert!(store
        .review("everything", 10, 0)
        .unwrap_err()
        .to_string()
        .contains("one-party, single-source"));
    Ok(())
}

#[test]
fn totals_are_exact_and_pages_reach_the_end() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let names: Vec<String> = (0..237).map(|i| format!("Hospital Number {i} of Northvale Heart")).collect();
    let docs: Vec<IngestDoc> = names
        .iter()
        .enumerate()
        .map(|(i, n)| page(&format!("p{i}.txt"), &[(n, Some("GB"))], 1, Some("2024-01-01"), EventType::Visit))
        .collect();
    store.ingest(&docs)?;
    let page1 = store.review("one-party", 100, 0)?;
    assert_eq!(page1.total, 237);
    let mut seen = std::collections::HashSet::new();
    for offset in (0..237).step_by(100) {
        let p = store.review("one-party", 100, offset)?;
        assert_eq!(p.total, 237);
        for item in &p.items {
            assert!(seen.insert(item.event.as_ref().unwrap().id), "a row on two pages");
        }
    }
    assert_eq!(seen.len(), 237, "every row on some page");
    let counts = store.review_queue()?;
    let one_party = counts.iter().find(|(_, _, link)| link == "/review/one-party").unwrap();
    assert_eq!(one_party.1, 237, "the overview's count is the queue's total");
    Ok(())
}

#[test]
fn suspect_names_are_queued_with_their_reasons() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&[
        page("g.txt", &[("University Hospital", Some("GB"))], 1, None, EventType::Visit),
        page("t.txt", &[("Northvale School of", None)], 1, None, EventType::Visit),
        page(
            "j.txt",
            &[("Kestrel Hospital and Halden University", Some("NO"))],
            1,
            None,
            EventType::Visit,
        ),
        page("f.txt", &[("Westmere Cancer Centre", Some("AU"))], 1, None, EventType::Visit),
    ])?;
    let queue = store.review("suspicious-names", 10, 0)?;
    let rows: Vec<(String, Vec<String>)> = queue
        .items
        .iter()
        .map(|i| (i.institution.as_ref().unwrap().name.clone(), i.signs.clone()))
        .collect();
    assert_eq!(queue.total, 3, "{rows:?}");
    assert_eq!(
        rows[0].0, "Northvale School of",
        "truncated and without a country: most signs first"
    );
    assert_eq!(rows[0].1, ["truncated name", "no country", "one page"]);
    assert!(rows.iter().any(|(n, s)| n == "University Hospital" && s[0] == "generic name"));
    assert!(rows.iter().any(|(n, s)| n.starts_with("Kestrel") && s[0] == "two names joined"));
    assert_eq!(queue_ids(&store, "no-country"), [institution(&store, "Northvale School of")]);
    Ok(())
}

#[test]
fn decisions_take_rows_out_and_rejected_facts_out_of_counts_listings_and_search() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let user = editor(&mut store, Role::Editor)?;
    let (alder, birch) = (event_of(&store, "Alder Heart Hospital"), event_of(&store, "Birch Eye Hospital"));
    let before = store.summary()?;
    let found = |store: &SqliteStore, q: &str| {
        store
            .search(&SearchQuery {
                q: q.into(),
                kind: Some("event".into()),
                ..SearchQuery::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(found(&store, "Birch"), 1);

    store.curate(
        &user,
        &Curation::SetEventStatus {
            id: alder,
            status: Some("confirmed".into()),
        },
    )?;
    assert!(queue_ids(&store, "one-party").is_empty(), "a confirmed event leaves the queues");
    store.curate(
        &user,
        &Curation::SetEventStatus {
            id: birch,
            status: Some("rejected".into()),
        },
    )?;
    assert!(queue_ids(&store, "single-source").is_empty());

    let after = store.summary()?;
    assert_eq!(after.events, before.events - 1, "a rejected event is not counted");
    let projects = |s: &accord_store::Summary| s.events_by_type.iter().find(|(t, _)| t == "project").map_or(0, |p| p.1);
    assert_eq!((projects(&before), projects(&after)), (1, 0));
    assert!(!store.events(&Filter::default())?.iter().any(|e| e.id == birch), "nor listed");
    assert_eq!(found(&store, "Birch"), 0, "nor found");
    let birch_hospital = institution(&store, "Birch Eye Hospital");
    assert_eq!(
        store.institution(birch_hospital)?.unwrap().row.events,
        0,
        "nor counted for its parties"
    );
    let shown = store.event(birch)?.expect("its own page still shows it");
    assert_eq!(shown.row.status.as_deref(), Some("rejected"));

    // An institution rejected as no institution leaves the listings and search too.
    let cedar = institution(&store, "Cedar Cancer Hospital");
    store.curate(
        &user,
        &Curation::SetInstitutionStatus {
            id: cedar,
            status: Some("rejected".into()),
        },
    )?;
    assert!(!store.institutions(&Filter::default())?.iter().any(|i| i.id == cedar));
    assert_eq!(store.summary()?.institutions, after.institutions - 1);
    let hits = store.search(&SearchQuery {
        q: "Cedar".into(),
        kind: Some("institution".into()),
        ..SearchQuery::default()
    })?;
    assert_eq!(hits.total, 0);
    Ok(())
}

#[test]
fn impossible_values_are_refused_with_what_to_write() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let user = editor(&mut store, Role::Editor)?;
    let id = event_of(&store, "Birch Eye Hospital");
    let inst = institution(&store, "Birch Eye Hospital");
    let edit = |date: Option<&str>, event_type: Option<&str>, country: Option<&str>, fields: Option<Vec<String>>| Curation::EditEvent {
        id,
        event_type: event_type.map(String::from),
        date: date.map(String::from),
        city: None,
        country: country.map(String::from),
        fields,
    };
    for (change, says) in [
        (edit(Some("2024-02-31"), None, None, None), "«2024-02-31» is not a date"),
        (edit(Some("----"), None, None, None), "«----» is not a date"),
        (edit(Some("9999-99-99"), None, None, None), "«9999-99-99» is not a date"),
        (
            edit(None, Some("party"), None, None),
            "«party» is not an event type: use one of agreement",
        ),
        (edit(None, None, Some("Ireland"), None), "«IRELAND» is not a country"),
        (edit(None, None, None, Some(vec!["<b>x</b>".into()])), "is not a medical field"),
        (
            Curation::EditInstitution {
                id: inst,
                name: None,
                country: None,
                kind: Some("castle".into()),
                city: None,
            },
            "«castle» is not a kind of institution: use one of hospital",
        ),
        (
            Curation::EditEventParties {
                id,
                add: vec![999_999],
                remove: vec![],
            },
            "there is no institution 999999",
        ),
        (
            Curation::EditEventParties {
                id,
                add: vec![],
                remove: vec![],
            },
            "choose an institution",
        ),
    ] {
        let e = store.curate(&user, &change).unwrap_err();
        assert!(e.is::<accord_store::Refused>(), "{e}");
        assert!(e.to_string().contains(says), "{e} should say {says}");
    }
    assert!(store.audit(None, 10)?.is_empty(), "nothing refused is logged");
    let row = store.event(id)?.unwrap().row;
    assert_eq!((row.event_type.as_str(), row.date.as_deref()), ("project", Some("2023-05-04")));
    // A project stays a project when its date alone is corrected.
    store.curate(&user, &edit(Some("2024-02-29"), Some("project"), None, None))?;
    assert_eq!(store.event(id)?.unwrap().row.event_type, "project");
    Ok(())
}

#[test]
fn place_fields_and_parties_corrected_survive_later_ingests() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    let docs = three_events();
    store.ingest(&docs)?;
    let user = editor(&mut store, Role::Editor)?;
    let id = event_of(&store, "Dogwood Heart Hospital");
    let (elm, alder) = (
        institution(&store, "Elm Lung Hospital"),
        institution(&store, "Alder Heart Hospital"),
    );
    store.curate(
        &user,
        &Curation::EditEvent {
            id,
            event_type: None,
            date: None,
            city: Some("Halden".into()),
            country: Some("no".into()),
            fields: Some(vec!["Oncology".into(), " nursing ".into(), "oncology".into()]),
        },
    )?;
    store.curate(
        &user,
        &Curation::EditEventParties {
            id,
            add: vec![alder],
            remove: vec![elm],
        },
    )?;
    let check = |store: &SqliteStore| {
        let row = store.event(id).unwrap().unwrap().row;
        assert_eq!((row.city.as_deref(), row.country.as_deref()), (Some("Halden"), Some("NO")));
        assert_eq!(row.fields, ["nursing", "oncology"]);
        let parties: Vec<i64> = row.parties.iter().map(|p| p.0).collect();
        assert!(parties.contains(&alder) && !parties.contains(&elm), "{parties:?}");
    };
    check(&store);
    // A page of the event changes (naming Elm as a party again): the event
    // is derived again from its pages, and the corrections stand.
    store.ingest(&[page(
        "c2.txt",
        &[
            ("Dogwood Heart Hospital", Some("DE")),
            ("Elm Lung Hospital", Some("DE")),
            ("Fir Eye Hospital", Some("DE")),
        ],
        2,
        Some("2022-01-02"),
        EventType::Agreement,
    )])?;
    assert_eq!(
        store.event(id)?.unwrap().sources.len(),
        2,
        "the changed page still reports the event"
    );
    check(&store);
    let log = store.audit(Some(&format!("event {id}")), 10)?;
    assert_eq!(log[0].action, "edit_event_parties");
    assert_ne!(log[0].before["parties"], log[0].after["parties"]);
    assert_eq!(log[1].after["city"], "Halden");
    Ok(())
}

#[test]
fn a_merged_away_id_leads_to_the_institution_that_absorbed_it() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let admin = editor(&mut store, Role::Admin)?;
    let (birch, cedar, elm) = (
        institution(&store, "Birch Eye Hospital"),
        institution(&store, "Cedar Cancer Hospital"),
        institution(&store, "Elm Lung Hospital"),
    );
    store.curate(
        &admin,
        &Curation::MergeInstitutions {
            keep: cedar,
            absorb: birch,
        },
    )?;
    assert_eq!(store.merged_into(birch)?, Some(cedar));
    assert_eq!(store.merged_into(cedar)?, None);
    store.curate(&admin, &Curation::MergeInstitutions { keep: elm, absorb: cedar })?;
    assert_eq!(store.merged_into(birch)?, Some(elm), "a chain leads to the last survivor");
    assert_eq!(store.merged_into(cedar)?, Some(elm));
    Ok(())
}

#[test]
fn bulk_decisions_are_all_or_none_with_one_entry_each() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let user = editor(&mut store, Role::Editor)?;
    let (alder, birch) = (event_of(&store, "Alder Heart Hospital"), event_of(&store, "Birch Eye Hospital"));
    let reject = |id| Curation::SetEventStatus {
        id,
        status: Some("rejected".into()),
    };
    let e = store.curate_all(&user, &[reject(alder), reject(999_999)]).unwrap_err();
    assert!(e.to_string().contains("change 2 of 2"), "{e}");
    assert!(store.event(alder)?.unwrap().row.status.is_none(), "nothing applied");
    assert!(store.audit(None, 10)?.is_empty());
    assert_eq!(store.curate_all(&user, &[reject(alder), reject(birch)])?, [alder, birch]);
    assert_eq!(store.audit(None, 10)?.len(), 2, "one entry each");
    Ok(())
}

#[test]
fn the_audit_log_filters_by_person_action_and_day_with_totals() -> Result<()> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&three_events())?;
    let ada = editor(&mut store, Role::Editor)?;
    let mira = editor(&mut store, Role::Admin)?;
    let (alder, birch) = (event_of(&store, "Alder Heart Hospital"), event_of(&store, "Birch Eye Hospital"));
    let confirm = |id| Curation::SetEventStatus {
        id,
        status: Some("confirmed".into()),
    };
    store.curate(&ada, &confirm(alder))?;
    store.curate(&ada, &confirm(birch))?;
    store.curate(
        &mira,
        &Curation::EditEvent {
            id: alder,
            event_type: Some("visit".into()),
            date: None,
            city: None,
            country: None,
            fields: None,
        },
    )?;
    let page = |f: fn(&mut AuditQuery)| {
        let mut q = AuditQuery::default();
        f(&mut q);
        store.audit_page(&q).unwrap()
    };
    assert_eq!(page(|_| {}).total, 3);
    assert_eq!(page(|q| q.user = Some("Ada Lindqvist".into())).total, 2);
    assert_eq!(page(|q| q.action = Some("edit_event".into())).items[0].user, "Mira Okafor");
    let today = page(|_| {}).items[0].at[..10].to_string();
    let mut q = AuditQuery {
        since: Some(today.clone()),
        until: Some(today),
        ..AuditQuery::default()
    };
    assert_eq!(store.audit_page(&q)?.total, 3);
    q.since = Some("2000-01-01".into());
    q.until = Some("2000-12-31".into());
    assert_eq!(store.audit_page(&q)?.total, 0);
    let second = page(|q| {
        q.limit = Some(2);
        q.offset = Some(2);
    });
    assert_eq!((second.total, second.items.len()), (3, 1), "the last page holds the rest");
    assert!(store
        .audit_page(&AuditQuery {
            since: Some("2024-02-30".into()),
            ..AuditQuery::default()
        })
        .is_err());
    Ok(())
}
