//! Hostile pages and hostile requests (issue 11): the pages come from
//! `accord_synth::hostile`, built to make one page or one request as costly
//! as possible; each test checks that what one response carries, or what
//! one request may ask, is bounded — by size, never by a timer.

mod common;

use accord_store::{content_hash, IngestDoc, SqliteStore, Store};
use accord_synth::hostile;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A page ready for the registry, extracted as `accord ingest` would.
fn doc(name: &str, text: &str) -> IngestDoc {
    IngestDoc {
        path: format!("hostile/{name}"),
        source_url: None,
        hash: content_hash(text.as_bytes()),
        text: text.to_string(),
        record: accord_extract::extract(name, text, None),
    }
}

/// A registry of `docs` in a temporary directory and the router over it.
struct App {
    _dir: tempfile::TempDir,
    router: Router,
}

impl App {
    fn new(docs: &[IngestDoc]) -> App {
        let (dir, db) = common::registry(docs);
        let state = accord_serve::AppState::open(&db, 0)
            .unwrap()
            .with_hosts(vec!["accord.example.org".into()]);
        App {
            _dir: dir,
            router: accord_serve::router(state),
        }
    }

    fn db(&self) -> std::path::PathBuf {
        self._dir.path().join("registry.db")
    }

    /// Sends a request: status, headers and body.
    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// GET: status and body.
    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let (status, _, body) = self.send(Request::get(uri).body(Body::empty()).unwrap()).await;
        (status, body)
    }

    async fn json(&self, uri: &str) -> Value {
        let (status, body) = self.get(uri).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

#[tokio::test]
async fn a_long_page_is_shown_in_parts_of_bounded_size() {
    // Facts from the page's head (extracting all of it in a debug build
    // takes minutes, and adds nothing here: the filler states no fact).
    let text = hostile::long_page(500_000);
    let head: String = text.chars().take(400).collect();
    let page = IngestDoc {
        text: text.clone(),
        hash: content_hash(text.as_bytes()),
        ..doc("long.txt", &head)
    };
    let app = App::new(&[page]);
    let (status, first) = app.get("/documents/1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.len() < 400_000, "the first part is {} bytes", first.len());
    assert!(first.contains("Part 1 of 3"), "no part navigation");
    assert!(first.contains("class=\"fact org\""), "the signing at the start is highlighted");
    let (status, last) = app.get("/documents/1?part=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(last.contains("Part 3 of 3") && last.contains("previous part"));
    let (status, missing) = app.get("/documents/1?part=3").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("shown in 3 part(s)"), "{missing}");
}

#[tokio::test]
async fn a_page_of_many_signings_does_not_make_one_event_with_a_quadratic_network() {
    let page = doc("signings.txt", &hostile::signings(300));
    let widest = page.record.events.iter().map(|e| e.parties.len()).max().unwrap_or(0);
    let app = App::new(&[page]);
    let events = app.json("/api/v1/events?limit=500").await;
    let events = events["items"].as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        let parties = e["parties"].as_array().unwrap().len();
        assert!(parties <= accord_store::MAX_PARTIES, "an event with {parties} parties");
    }
    let network = app.json("/api/v1/network").await;
    let edges = network["edges"].as_array().unwrap().len();
    let bound = events.len() * accord_store::MAX_PARTIES * (accord_store::MAX_PARTIES - 1) / 2;
    assert!(edges <= bound, "{edges} links for {} events", events.len());
    assert_eq!(network["complete"], true);
    // The extraction may read the page as one event with hundreds of
    // parties; the registry keeps the cap and says what it left out.
    if widest > accord_store::MAX_PARTIES {
        let mut reasons = String::new();
        for e in events {
            reasons.push_str(&app.json(&format!("/api/v1/events/{}", e["id"])).await["sources"].to_string());
        }
        assert!(
            reasons.contains("left out (at most 24 per event)"),
            "the cut is not recorded: {reasons}"
        );
    }
}

#[tokio::test]
async fn a_search_is_bounded_before_it_reaches_the_registry() {
    let app = App::new(&[doc("signings.txt", &hostile::signings(20))]);
    let enc = |s: &str| s.replace(' ', "+");
    // 6,000 copies of one word (about the longest URI there is): refused by length, at once.
    let (status, body) = app.get(&format!("/api/v1/search?q={}", enc(&hostile::repeated_query(6_000)))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("at most 200 characters"), "{body}");
    // Within the length, repeated words count once and the search answers.
    let repeated = app.json(&format!("/api/v1/search?q={}", enc(&hostile::repeated_query(20)))).await;
    let once = app.json("/api/v1/search?q=hospital").await;
    assert_eq!(repeated["total"], once["total"]);
    let words: Vec<String> = (0..13).map(hostile::word).collect();
    let (status, body) = app.get(&format!("/search?q={}", words.join("+"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("at most 12 different words"), "{body}");
    for uri in [
        "/api/v1/search?q=a%00b",
        "/search?q=x&offset=18446744073709551615",
        "/api/v1/events?offset=18446744073709551615",
    ] {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(!body.contains("rror code") && !body.contains("overflow"), "{uri}: {body}");
    }
}

#[tokio::test]
async fn a_request_past_its_deadline_is_stopped_with_a_message_and_frees_its_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    SqliteStore::open(&db)
        .unwrap()
        .ingest(&[doc("signings.txt", &hostile::signings(50))])
        .unwrap();
    let state = accord_serve::AppState::open(&db, 0)
        .unwrap()
        .with_deadline(std::time::Duration::ZERO);
    let app = App {
        _dir: dir,
        router: accord_serve::router(state),
    };
    // More requests than connections: each is stopped and gives its connection back.
    for _ in 0..12 {
        let (status, body) = app.get("/api/v1/search?q=hospital").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"]["code"], "unavailable");
        assert!(v["error"]["message"].as_str().unwrap().contains("was stopped; narrow it"), "{body}");
        assert!(!body.contains("interrupt"), "{body}");
    }
}

#[tokio::test]
async fn only_the_servers_own_notices_foreign_hosts_and_cached_pages_are_refused() {
    let app = App::new(&[doc("signings.txt", &hostile::signings(2))]);
    let (status, headers, body) = app
        .send(
            Request::get("/?flash=Your+account+is+locked%3A+call+0800")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("Your account is locked"), "a link's text shown as a notice");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    for (host, expected) in [
        ("attacker.example", StatusCode::MISDIRECTED_REQUEST),
        ("127.0.0.1:8080", StatusCode::OK),
        ("accord.example.org", StatusCode::OK),
    ] {
        let (status, _, body) = app
            .send(Request::get("/api/v1/summary").header("host", host).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, expected, "{host}: {body}");
    }
}

#[tokio::test]
async fn corrections_need_real_dates_and_countries_and_sign_out_always_ends_the_session() {
    let app = App::new(&[doc("signings.txt", &hostile::signings(2))]);
    let mut store = SqliteStore::open(&app.db()).unwrap();
    let token = store.add_user("ed", accord_store::Role::Editor).unwrap();
    let curate = |change: Value| {
        Request::post("/api/v1/curations")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(change.to_string()))
            .unwrap()
    };
    for (change, says) in [
        (
            serde_json::json!({ "action": "edit_event", "id": 1, "date": "9999-99-99" }),
            "is not a date",
        ),
        (
            serde_json::json!({ "action": "edit_event", "id": 1, "date": "----" }),
            "is not a date",
        ),
        (
            serde_json::json!({ "action": "edit_institution", "id": 1, "country": "ZZ" }),
            "is not a country",
        ),
        (
            serde_json::json!({ "action": "edit_institution", "id": 99999, "name": "X" }),
            "there is no institution 99999",
        ),
    ] {
        let (status, _, body) = app.send(curate(change.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {body}");
        assert!(body.contains(says), "{change}: {body}");
        assert!(!body.contains("Error code") && !body.contains("rows"), "{change}: {body}");
    }
    let ed = store.users().unwrap().remove(0).user;
    let (session, _) = store.open_session(&ed).unwrap();
    let signout = Request::post("/signout")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("accord_session={session}"))
        .body(Body::from("csrf=wrong"))
        .unwrap();
    app.send(signout).await;
    assert!(store.session(&session).unwrap().is_none(), "the session outlived its sign-out");
}

#[tokio::test]
async fn a_name_over_the_cap_reaches_the_registry_cut_and_marked() {
    let text = hostile::long_name(2_000);
    let app = App::new(&[doc("long-name.txt", &text)]);
    let record = &app.json("/api/v1/documents/1").await["record"];
    let cut: Vec<&Value> = record["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["truncated"] == true)
        .collect();
    assert_eq!(cut.len(), 1, "{record}");
    let name = cut[0]["name"].as_str().unwrap();
    assert!(name.chars().count() <= accord_extract::caps::MAX_NAME_CHARS);
    let listed = app.json("/api/v1/institutions").await.to_string();
    assert!(listed.contains(name), "the registry lists the cut name");
    assert!(
        listed.len() < 20_000,
        "no listing repeats a name of the page's length: {} bytes",
        listed.len()
    );
}
