//! The institution profile, the network's filters and the downloads,
//! through the router: a registry of pages written here (every institution
//! and sentence invented), a chain of cooperation — Rivertown (FR) and
//! Valmont (FR) twice, Valmont and Lakeside (US), Lakeside and Kestrel (CA).

use accord_model::{Event, EventType, OrgKind, Organization, Record, Span};
use accord_store::{content_hash, IngestDoc, SqliteStore, Store};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::Path;
use tower::ServiceExt;

const RIVERTOWN: &str = "Rivertown University Hospital";
const VALMONT: &str = "Centre hospitalier de Valmont";
const LAKESIDE: &str = "Lakeside Cancer Institute";
const KESTREL: &str = "Kestrel Medical University";

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn org(text: &str, id: &str, (name, country, kind): (&str, &str, OrgKind)) -> Organization {
    Organization {
        id: id.into(),
        name: name.into(),
        aliases: Vec::new(),
        kind: Some(kind),
        country: Some(country.into()),
        city: None,
        mentions: vec![span_of(text, name)],
        truncated: false,
    }
}

/// A page where `a` and `b` sign an agreement on `date`.
fn page(path: &str, a: (&str, &str, OrgKind), b: (&str, &str, OrgKind), date: &str) -> IngestDoc {
    let text = format!("{} signed an agreement with {} on {date}.", a.0, b.0);
    let record = Record {
        doc: path.into(),
        language: Some("en".into()),
        published: None,
        title: None,
        organizations: vec![org(&text, "o1", a), org(&text, "o2", b)],
        people: Vec::new(),
        events: vec![Event {
            event_type: EventType::Agreement,
            subtype: None,
            date: Some(date.into()),
            place: None,
            parties: vec!["o1".into(), "o2".into()],
            signatories: Vec::new(),
            fields: Vec::new(),
            activities: Vec::new(),
            initiative: None,
            participants: None,
            mode: None,
            evidence: text.clone(),
            evidence_span: span_of(&text, &text),
            mentions: Vec::new(),
            truncated: false,
            fact_spans: Vec::new(),
        }],
        countries: vec![a.1.into(), b.1.into()],
    };
    IngestDoc {
        path: format!("pages/{path}"),
        source_url: Some(format!("https://news.example.org/{path}")),
        hash: content_hash(text.as_bytes()),
        text,
        record,
    }
}

struct App {
    _dir: tempfile::TempDir,
    router: Router,
}

struct Resp {
    status: StatusCode,
    content_type: String,
    note: Option<String>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl App {
    /// The chain's registry, with the fictional ROR dump imported.
    fn new() -> App {
        let rivertown = (RIVERTOWN, "FR", OrgKind::Hospital);
        let valmont = (VALMONT, "FR", OrgKind::Hospital);
        let lakeside = (LAKESIDE, "US", OrgKind::ResearchInstitute);
        let kestrel = (KESTREL, "CA", OrgKind::University);
        let docs = vec![
            page("a.txt", rivertown, valmont, "2022-03-09"),
            page("b.txt", valmont, rivertown, "2023-05-04"),
            page("c.txt", valmont, lakeside, "2023-06-02"),
            page("d.txt", lakeside, kestrel, "2024-07-05"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("registry.db");
        let mut store = SqliteStore::open(&db).unwrap();
        store.ingest(&docs).unwrap();
        let ror = Path::new(env!("CARGO_MANIFEST_DIR")).join("../accord-store/tests/fixtures/ror-v2-fictional.json");
        store.import_ror(&mut accord_store::ror::read_dump(&ror).unwrap()).unwrap();
        let state = accord_serve::AppState::open(&db, 0).unwrap();
        App {
            _dir: dir,
            router: accord_serve::router(state),
        }
    }

    async fn get(&self, uri: &str) -> Resp {
        let request = Request::get(uri).header(header::HOST, "localhost").body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let content_type = header("content-type").unwrap_or_default();
        let note = header("accord-note");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            content_type,
            note,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn json(&self, uri: &str) -> Value {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.body);
        r.json()
    }

    async fn id(&self, name: &str) -> i64 {
        let items = self.json("/api/v1/institutions?limit=50").await["items"].clone();
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {items:#}"))["id"]
            .as_i64()
            .unwrap()
    }

    /// The labels of the network's nodes for a query, sorted.
    async fn labels(&self, query: &str) -> Vec<String> {
        let n = self.json(&format!("/api/v1/network?{query}")).await;
        let mut labels: Vec<String> = n["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["label"].as_str().unwrap().to_string())
            .collect();
        labels.sort();
        labels
    }
}

#[tokio::test]
async fn the_profile_api_gives_activity_partners_countries_and_ror_relations() {
    let app = App::new();
    let valmont = app.id(VALMONT).await;
    let rivertown = app.id(RIVERTOWN).await;
    let p = app.json(&format!("/api/v1/institutions/{valmont}/profile")).await;
    assert_eq!(p["years"], serde_json::json!([["2022", 1], ["2023", 2]]));
    assert_eq!(p["partners"][0]["name"], RIVERTOWN);
    assert_eq!(p["partners"][0]["events"], 2);
    assert_eq!(p["partners"][1]["country"], "US");
    assert_eq!(p["partners"][1]["kind"], "research_institute");
    assert_eq!(p["related"][0]["kind"], "parent");
    assert_eq!(p["related"][0]["institution"], rivertown);
    let c = app.json(&format!("/api/v1/institutions/{valmont}/countries")).await;
    assert_eq!(
        c["countries"],
        serde_json::json!([{"code": "FR", "events": 2, "institutions": 1}, {"code": "US", "events": 1, "institutions": 1}])
    );
    assert_eq!(c["links"], serde_json::json!([]));
    for uri in ["/api/v1/institutions/9999/profile", "/api/v1/institutions/9999/countries"] {
        assert_eq!(app.get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn the_institution_page_is_a_profile() {
    let app = App::new();
    let rivertown = app.id(RIVERTOWN).await;
    let valmont = app.id(VALMONT).await;
    let r = app.get(&format!("/institutions/{rivertown}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.body;
    assert!(page.contains("href=\"https://ror.org/05rvth123\""), "the ROR id is a link");
    assert!(page.contains(">ROR 05rvth123<"), "the ROR id is shown short");
    assert!(
        page.contains(&format!("href=\"/network?ego={rivertown}&amp;depth=1\"")),
        "no way to the ego network"
    );
    assert!(
        page.contains("<dt>Part of</dt>") && page.contains("Rivertown Health Trust"),
        "no parent"
    );
    assert!(
        page.contains("<dt>Includes</dt>") && page.contains(&format!("<a href=\"/institutions/{valmont}\">{VALMONT}</a>")),
        "no child linked to its institution"
    );
    assert!(page.contains("<svg class=\"chart\""), "no activity chart");
    assert!(page.contains("<title>2023: 1 events</title>"), "the chart does not count the years");
    assert!(
        page.contains("<td>France</td><td>hospital</td><td class=\"num\">2</td>"),
        "the partner's country by name, kind and shared events"
    );
    assert!(
        page.contains(&format!("data-api=\"/api/v1/institutions/{rivertown}/countries\"")),
        "no partner map"
    );
    assert_eq!(
        page.matches("<details class=\"evidence-page\">").count(),
        2,
        "one collapsed block per source page"
    );
    assert!(page.contains("news.example.org"), "the page's site labels its evidence");
    assert!(page.contains("<span class=\"count\">1 mentions</span>"));
}

#[tokio::test]
async fn the_network_api_filters_by_weight_kind_years_and_ego() {
    let app = App::new();
    assert_eq!(app.labels("").await.len(), 4);
    assert_eq!(app.labels("min_weight=2").await, vec![VALMONT, RIVERTOWN]);
    assert_eq!(app.labels("kind=hospital").await, vec![VALMONT, RIVERTOWN]);
    assert_eq!(app.labels("since=2024&until=2024").await, vec![KESTREL, LAKESIDE]);
    let rivertown = app.id(RIVERTOWN).await;
    assert_eq!(app.labels(&format!("ego={rivertown}")).await, vec![VALMONT, RIVERTOWN]);
    assert_eq!(
        app.labels(&format!("ego={rivertown}&depth=2")).await,
        vec![VALMONT, LAKESIDE, RIVERTOWN]
    );
    assert_eq!(app.labels(&format!("ego={rivertown}&depth=3")).await.len(), 4);
    let n = app.json("/api/v1/network?min_weight=2").await;
    assert_eq!(n["edges"].as_array().unwrap().len(), 1);
    assert_eq!(n["edges"][0]["weight"], 2);
    assert_eq!(n["nodes"][0]["kind"], "hospital");
    assert_eq!(n["complete"], true);
    for (query, status, says) in [
        ("min_weight=0", 400, "min_weight: 0 is out of range"),
        ("min_weight=x", 400, "min_weight"),
        ("depth=2", 400, "give ego too"),
        ("ego=1&depth=4", 400, "depth: 4 is out of range: use 1 to 3"),
        ("ego=-1", 400, "ego"),
        ("ego=9999", 404, "there is no institution 9999"),
        ("kind=agreement", 400, "kind: «agreement» is not an institution kind"),
        ("level=regions", 400, "level: «regions»"),
        ("year=2023&since=2022", 400, "either year or since/until"),
        ("since=2023-13", 400, "since"),
        ("level=countries&min_weight=2", 400, "min_weight: it filters institutions"),
    ] {
        let r = app.get(&format!("/api/v1/network?{query}")).await;
        assert_eq!(r.status.as_u16(), status, "{query}: {}", r.body);
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{query}: {message}");
    }
    let countries = app.json("/api/v1/network?level=countries").await;
    assert_eq!(countries["nodes"].as_array().unwrap().len(), 3);
    assert!(
        countries["nodes"].as_array().unwrap().iter().any(|n| n["label"] == "France"),
        "countries by name"
    );
    let map = app.json("/api/v1/countries?since=2024").await;
    let codes: Vec<&str> = map["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "the map takes the years too: {codes:?}");
    assert_eq!(app.get("/api/v1/countries?ego=1").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn downloads_give_what_is_shown_with_its_filters() {
    let app = App::new();
    let r = app.get("/api/v1/export/network?format=gexf&min_weight=2").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type, "application/gexf+xml");
    assert!(r.body.contains(RIVERTOWN) && r.body.contains(VALMONT));
    assert!(!r.body.contains(LAKESIDE), "the filtered-out institution is in the download");
    assert_eq!(r.body.matches("<edge ").count(), 1);
    assert_eq!(r.note, None);
    let r = app.get("/api/v1/export/network?format=csv").await;
    assert!(r.content_type.starts_with("text/csv"));
    assert_eq!(r.body.lines().count(), 1 + 3, "a header and the three links");
    let r = app.get("/api/v1/export/network?format=jsonl&min_weight=2").await;
    assert_eq!(r.content_type, "application/x-ndjson");
    let records: Vec<Value> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let kinds: Vec<&str> = records.iter().map(|r| r["record"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["institution", "institution", "link"]);
    assert_eq!(records[2]["events"].as_array().unwrap().len(), 2);
    let r = app.get("/api/v1/export/institutions?format=jsonl&country=FR").await;
    assert_eq!(r.content_type, "application/x-ndjson");
    let lines: Vec<Value> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["country"] == "FR" && l["record"] == "institution"));
    let r = app.get("/api/v1/export/events?format=csv&since=2023").await;
    assert!(r.content_type.starts_with("text/csv"));
    assert_eq!(r.body.lines().count(), 1 + 3);
    for (uri, status) in [
        ("/api/v1/export/events?format=gexf", StatusCode::BAD_REQUEST),
        ("/api/v1/export/network?format=xml", StatusCode::BAD_REQUEST),
        ("/api/v1/export/people", StatusCode::NOT_FOUND),
        ("/api/v1/export/institutions?country=XYZ", StatusCode::BAD_REQUEST),
        ("/api/v1/export/network?ego=9999", StatusCode::NOT_FOUND),
        ("/api/v1/export/network?level=countries", StatusCode::BAD_REQUEST),
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert!(r.json()["error"]["message"].as_str().is_some(), "{uri}");
    }
}

#[tokio::test]
async fn the_network_and_map_pages_load_their_libraries_and_the_api_documents_the_filters() {
    let app = App::new();
    let page = app.get("/network").await.body;
    for script in [
        "/static/graphology.umd.min.js",
        "/static/sigma.min.js",
        "/static/graphology-layout-forceatlas2.js",
        "/static/network.js",
    ] {
        assert!(page.contains(&format!("<script src=\"{script}\" defer></script>")), "{script}");
        let r = app.get(script).await;
        assert_eq!(r.status, StatusCode::OK, "{script}");
        assert!(r.content_type.starts_with("text/javascript"), "{script}");
    }
    for control in [
        "name=\"min_weight\"",
        "name=\"since\"",
        "name=\"kind\"",
        "name=\"depth\"",
        "id=\"network-search\"",
        "id=\"network-panel\"",
        "data-format=\"gexf\"",
    ] {
        assert!(page.contains(control), "the network page lacks {control}");
    }
    let map = app.get("/map").await.body;
    for control in [
        "id=\"map-filters\"",
        "name=\"since\"",
        "name=\"type\"",
        "name=\"field\"",
        "id=\"map-ranking\"",
    ] {
        assert!(map.contains(control), "the map page lacks {control}");
    }
    let openapi = app.json("/api/openapi.json").await;
    let names: Vec<&str> = openapi["paths"]["/network"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in ["min_weight", "ego", "depth", "kind", "year", "type", "field", "level", "limit"] {
        assert!(names.contains(&name), "/network does not document {name}");
    }
    for path in ["/institutions/{id}/profile", "/institutions/{id}/countries", "/export/{what}"] {
        assert!(openapi["paths"][path]["get"].is_object(), "{path} is not documented");
    }
}

#[tokio::test]
async fn the_lists_filter_page_and_link_their_downloads() {
    let app = App::new();
    let r = app.get("/institutions?country=FR").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(RIVERTOWN) && r.body.contains(VALMONT));
    assert!(!r.body.contains(LAKESIDE), "the country filter is not applied");
    assert!(r.body.contains("<td>France</td>"), "countries by name");
    assert!(
        r.body.contains("href=\"/api/v1/export/institutions?country=FR&#38;format=csv\""),
        "no CSV of the list"
    );
    assert!(
        r.body.contains("href=\"/api/v1/export/institutions?country=FR&#38;format=jsonl\""),
        "no JSON Lines of the list"
    );
    let r = app.get("/events?since=2024").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(KESTREL) && !r.body.contains(RIVERTOWN));
    assert!(r.body.contains("href=\"/api/v1/export/events?since=2024&#38;format=csv\""));
    // The download of that link holds what the list shows.
    let csv = app.get("/api/v1/export/events?since=2024&format=csv").await.body;
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.contains(KESTREL));
    let r = app.get("/events?type=party").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("is not an event type"), "{}", r.body);
}
