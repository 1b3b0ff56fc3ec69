//! The institution profile and the narrowed network, over pages written
//! here (every institution and sentence invented): activity per year,
//! partners with their country and kind, partner countries, ROR parents
//! and children stored at import, and the network by least weight,
//! institution kind and around one institution (ego, 1 to 3 steps).
//!
//! A chain of cooperation: Rivertown (FR) – Valmont (FR), twice (2022 and
//! 2023); Valmont – Lakeside (US), 2023; Lakeside – Kestrel (CA), 2024.

use accord_model::{Event, EventType, OrgKind, Organization, Record, Span};
use accord_store::ror::read_dump;
use accord_store::{Filter, IngestDoc, NetworkQuery, SqliteStore, Store};
use anyhow::Result;
use std::path::Path;

const RIVERTOWN: &str = "Rivertown University Hospital";
const VALMONT: &str = "Centre hospitalier de Valmont";
const LAKESIDE: &str = "Lakeside Cancer Institute";
const KESTREL: &str = "Kestrel Medical University";

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).unwrap_or_else(|| panic!("«{needle}» is not in «{text}»"));
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn org(text: &str, id: &str, name: &str, country: &str, kind: OrgKind) -> Organization {
    Organization {
        id: id.to_string(),
        name: name.to_string(),
        aliases: Vec::new(),
        kind: Some(kind),
        country: Some(country.to_string()),
        city: None,
        mentions: vec![span_of(text, name)],
        truncated: false,
    }
}

/// A page where `a` and `b` sign (or visit) on `date`, stated by its one sentence.
fn page(path: &str, a: (&str, &str, OrgKind), b: (&str, &str, OrgKind), kind: EventType, date: &str) -> IngestDoc {
    let verb = if kind == EventType::Visit {
        "received a delegation of"
    } else {
        "signed an agreement with"
    };
    let text = format!("{} {verb} {} on {date}.", a.0, b.0);
    let sentence = text.clone();
    let record = Record {
        doc: path.to_string(),
        language: Some("en".to_string()),
        published: None,
        title: None,
        organizations: vec![org(&text, "o1", a.0, a.1, a.2), org(&text, "o2", b.0, b.1, b.2)],
        people: Vec::new(),
        events: vec![Event {
            event_type: kind,
            subtype: None,
            date: Some(date.to_string()),
            place: None,
            parties: vec!["o1".into(), "o2".into()],
            signatories: Vec::new(),
            fields: Vec::new(),
            activities: Vec::new(),
            initiative: None,
            participants: None,
            mode: None,
            evidence: sentence.clone(),
            evidence_span: span_of(&text, &sentence),
            mentions: Vec::new(),
            truncated: false,
            fact_spans: Vec::new(),
        }],
        countries: vec![a.1.to_string(), b.1.to_string()],
    };
    IngestDoc {
        path: format!("pages/{path}"),
        source_url: None,
        hash: accord_store::content_hash(text.as_bytes()),
        text,
        record,
    }
}

fn chain() -> Vec<IngestDoc> {
    let rivertown = (RIVERTOWN, "FR", OrgKind::Hospital);
    let valmont = (VALMONT, "FR", OrgKind::Hospital);
    let lakeside = (LAKESIDE, "US", OrgKind::ResearchInstitute);
    let kestrel = (KESTREL, "CA", OrgKind::University);
    vec![
        page("a.txt", rivertown, valmont, EventType::Agreement, "2022-03-09"),
        page("b.txt", rivertown, valmont, EventType::Visit, "2023-05-04"),
        page("c.txt", valmont, lakeside, EventType::Agreement, "2023-06-02"),
        page("d.txt", lakeside, kestrel, EventType::Agreement, "2024-07-05"),
    ]
}

fn store() -> Result<SqliteStore> {
    let mut store = SqliteStore::in_memory()?;
    store.ingest(&chain())?;
    Ok(store)
}

fn id(store: &SqliteStore, name: &str) -> Result<i64> {
    let found = store.institutions(&Filter {
        text: Some(name.to_string()),
        ..Filter::default()
    })?;
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    Ok(found[0].id)
}

fn names(store: &SqliteStore, q: &NetworkQuery) -> Result<Vec<String>> {
    let mut n: Vec<String> = store.network_view(q)?.nodes.into_iter().map(|n| n.name).collect();
    n.sort();
    Ok(n)
}

#[test]
fn a_profile_has_activity_partners_and_partner_countries() -> Result<()> {
    let store = store()?;
    let valmont = id(&store, VALMONT)?;
    let p = store.institution_profile(valmont)?.expect("Valmont is there");
    assert_eq!(p.years, vec![("2022".to_string(), 1), ("2023".to_string(), 2)]);
    let partners: Vec<(&str, Option<&str>, Option<&str>, usize)> = p
        .partners
        .iter()
        .map(|p| (p.name.as_str(), p.country.as_deref(), p.kind.as_deref(), p.events))
        .collect();
    assert_eq!(
        partners,
        vec![
            (RIVERTOWN, Some("FR"), Some("hospital"), 2),
            (LAKESIDE, Some("US"), Some("research_institute"), 1)
        ]
    );
    let countries: Vec<(&str, usize, usize)> = p
        .partner_countries
        .iter()
        .map(|c| (c.code.as_str(), c.events, c.institutions))
        .collect();
    assert_eq!(countries, vec![("FR", 2, 1), ("US", 1, 1)]);
    assert!(p.related.is_empty(), "not linked to ROR: no relations");
    assert!(store.institution_profile(9999)?.is_none());
    Ok(())
}

#[test]
fn a_rejected_event_leaves_the_profile() -> Result<()> {
    let mut store = store()?;
    let valmont = id(&store, VALMONT)?;
    let visit = store
        .events(&Filter {
            kind: Some("visit".into()),
            ..Filter::default()
        })?
        .remove(0)
        .id;
    let editor = store.add_user("ed", accord_store::Role::Editor)?;
    let user = store.user_by_token(&editor)?.unwrap();
    store.curate(
        &user,
        &accord_store::Curation::SetEventStatus {
            id: visit,
            status: Some("rejected".into()),
        },
    )?;
    let p = store.institution_profile(valmont)?.unwrap();
    assert_eq!(p.years, vec![("2022".to_string(), 1), ("2023".to_string(), 1)]);
    assert_eq!(p.partners[0].events, 1, "the rejected visit is not a shared event");
    Ok(())
}

#[test]
fn ror_parents_and_children_are_kept_at_import_and_shown_both_ways() -> Result<()> {
    let mut store = store()?;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ror-v2-fictional.json");
    store.import_ror(&mut read_dump(&fixture)?)?;
    let (rivertown, valmont) = (id(&store, RIVERTOWN)?, id(&store, VALMONT)?);
    let related = store.institution_profile(rivertown)?.unwrap().related;
    let shown: Vec<(&str, &str, Option<i64>)> = related.iter().map(|r| (r.kind.as_str(), r.name.as_str(), r.institution)).collect();
    assert_eq!(
        shown,
        vec![("parent", "Rivertown Health Trust", None), ("child", VALMONT, Some(valmont)),],
        "the parent outside the dump keeps its label; the child is linked to its institution"
    );
    let related = store.institution_profile(valmont)?.unwrap().related;
    assert_eq!(related.len(), 1, "stated by both records, the relation is shown once: {related:?}");
    assert_eq!((related[0].kind.as_str(), related[0].institution), ("parent", Some(rivertown)));
    assert_eq!(related[0].ror_id, "https://ror.org/05rvth123");
    // A new import replaces the relations too.
    store.import_ror(&mut read_dump(&fixture)?)?;
    assert_eq!(store.institution_profile(valmont)?.unwrap().related.len(), 1);
    Ok(())
}

#[test]
fn the_network_narrows_by_weight_kind_and_ego_steps() -> Result<()> {
    let store = store()?;
    let all = NetworkQuery {
        min_weight: 1,
        ..NetworkQuery::default()
    };
    assert_eq!(names(&store, &all)?.len(), 4);
    let heavy = NetworkQuery {
        min_weight: 2,
        ..all.clone()
    };
    assert_eq!(names(&store, &heavy)?, vec![VALMONT.to_string(), RIVERTOWN.to_string()]);
    let n = store.network_view(&heavy)?;
    assert_eq!(n.edges.len(), 1);
    assert_eq!(n.edges[0].events.len(), 2);
    let hospitals = NetworkQuery {
        kind: Some("hospital".into()),
        ..all.clone()
    };
    assert_eq!(names(&store, &hospitals)?, vec![VALMONT.to_string(), RIVERTOWN.to_string()]);
    let rivertown = id(&store, RIVERTOWN)?;
    let ego = |depth| NetworkQuery {
        ego: Some(rivertown),
        depth,
        ..all.clone()
    };
    assert_eq!(names(&store, &ego(1))?, vec![VALMONT.to_string(), RIVERTOWN.to_string()]);
    assert_eq!(
        names(&store, &ego(2))?,
        vec![VALMONT.to_string(), LAKESIDE.to_string(), RIVERTOWN.to_string()]
    );
    assert_eq!(names(&store, &ego(3))?.len(), 4);
    // The steps follow links of the least weight only.
    let heavy_ego = NetworkQuery { min_weight: 2, ..ego(3) };
    assert_eq!(names(&store, &heavy_ego)?.len(), 2);
    // The events' filter applies: in 2024 Rivertown has no partner, and stays alone.
    let later = NetworkQuery {
        filter: Filter {
            since: Some("2024".into()),
            ..Filter::default()
        },
        ..ego(3)
    };
    let n = store.network_view(&later)?;
    assert_eq!((n.nodes.len(), n.edges.len()), (1, 0));
    // The node limit holds around an ego too.
    let one = NetworkQuery {
        filter: Filter {
            limit: Some(2),
            ..Filter::default()
        },
        ..ego(3)
    };
    assert_eq!(names(&store, &one)?.len(), 2);
    // An unknown ego gives nothing.
    assert!(store.network_view(&NetworkQuery { ego: Some(9999), ..ego(1) })?.nodes.is_empty());
    Ok(())
}
