//! Review and curation through the web forms, in process: review queues
//! (order, exact totals, inline and bulk decisions with their confirmation
//! step, decided rows leaving), event corrections of type, date, place,
//! fields and parties (picked by search), merge by search with a preview,
//! the audit log's diffs, filters (400 on bad values) and paging, notices
//! kept out of addresses, and `aria-current` in the navigation.
//!
//! Every institution and sentence here is invented.

mod common;

use accord_store::{content_hash, IngestDoc, Role, SqliteStore, Store};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Pages: a visit naming one hospital (one party), an agreement between two
/// (a project too), a page naming a generic institution with no country.
const PAGES: &[(&str, &str)] = &[
    (
        "visit.txt",
        "Brightmoor Children's Hospital hosts a delegation

Published: 3 May 2024

A delegation visited Brightmoor Children's Hospital in Boston, United States, on 2 May 2024 to discuss training in pediatric surgery.
",
    ),
    (
        "agreement.txt",
        "Northvale University Hospital signs agreement with Hôpital Saint-Aubrac

Published: 12 March 2023

Northvale University Hospital of Leeds, United Kingdom, and Hôpital Saint-Aubrac of Toulouse, France, signed a memorandum of understanding on 9 March 2023 in Leeds to cooperate in cardiology.
",
    ),
    (
        "undated.txt",
        "Halbrook Eye Hospital and Westmere Cancer Centre sign cooperation agreement

Halbrook Eye Hospital of Glasgow, United Kingdom, and Westmere Cancer Centre of Perth, Australia, signed a cooperation agreement on ophthalmology and oncology research.
",
    ),
];

struct App {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    router: Router,
}

struct Resp {
    status: StatusCode,
    location: String,
    cookies: Vec<String>,
    body: String,
}

impl Resp {
    /// `name=value` of a cookie the response sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .map(|c| c.split(';').next().unwrap_or("").to_string())
            .find(|kv| kv.starts_with(&format!("{name}=")))
    }

    fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let at = self.body.find(&marker).unwrap_or_else(|| panic!("no {name} in {}", self.body)) + marker.len();
        self.body[at..].split('"').next().unwrap().to_string()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl App {
    fn new() -> App {
        let docs: Vec<IngestDoc> = PAGES
            .iter()
            .map(|(name, text)| IngestDoc {
                path: format!("pages/{name}"),
                source_url: None,
                hash: content_hash(text.as_bytes()),
                text: text.to_string(),
                record: accord_extract::extract(name, text, None),
            })
            .collect();
        let (dir, db) = common::registry(&docs);
        let state = accord_serve::AppState::open(&db, 0).unwrap();
        App {
            _dir: dir,
            router: accord_serve::router(state),
            db,
        }
    }

    async fn send(&self, request: Request<Body>) -> Resp {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let header = |n: header::HeaderName| response.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let location = header(header::LOCATION);
        let cookies = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(String::from))
            .collect();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            location,
            cookies,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(&self, uri: &str, cookie: &str) -> Resp {
        self.send(Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&self, uri: &str, form: &str, cookie: &str) -> Resp {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
    }

    async fn json(&self, uri: &str) -> Value {
        let r = self.get(uri, "").await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        r.json()
    }

    /// Signs in with a new user of `role`: (session cookie, CSRF token).
    async fn sign_in(&self, name: &str, role: Role) -> (String, String) {
        let token = SqliteStore::open(&self.db).unwrap().add_user(name, role).unwrap();
        let form = self.get("/signin", "").await;
        let csrf = form.hidden("csrf");
        let guard = form.cookie("accord_signin").unwrap();
        let r = self.post("/signin", &format!("token={token}&csrf={csrf}&next=%2F"), &guard).await;
        let session = r.cookie("accord_session").expect("signed in");
        let csrf = self.get("/", &session).await.hidden("csrf");
        (session, csrf)
    }

    async fn institution_id(&self, text: &str) -> i64 {
        let items = self.json(&format!("/api/v1/institutions?text={}", text.replace(' ', "+"))).await["items"].clone();
        items[0]["id"].as_i64().unwrap_or_else(|| panic!("no institution «{text}»"))
    }

    async fn event_of(&self, institution: i64) -> i64 {
        self.json(&format!("/api/v1/institutions/{institution}")).await["events"][0]["id"]
            .as_i64()
            .unwrap()
    }
}

#[tokio::test]
async fn review_queues_decide_inline_and_in_bulk_with_a_confirmation() {
    let app = App::new();
    let (session, csrf) = app.sign_in("Ada Lindqvist", Role::Editor).await;
    let visit = app.event_of(app.institution_id("Brightmoor").await).await;

    let queue = app.json("/api/v1/review/single-source").await;
    let total = queue["total"].as_u64().unwrap();
    assert!(total >= 3, "every event here has one page: {queue}");
    assert_eq!(queue["items"][0]["event"]["id"], visit, "one party and one page: first");
    assert_eq!(queue["items"][0]["signs"][0], "one party");
    let page = app.get("/review/single-source", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("1–{total} of {total}")), "the exact total is shown");
    assert!(page.body.contains("class=\"row-confirm\"") && page.body.contains("id=\"bulk-reject\""));
    assert!(
        page.body.contains(&format!("Confirm all {total} on this page")),
        "a page decided at once, without scripts"
    );
    assert!(page.body.contains("href=\"/review/single-source\" aria-current=\"page\""));
    assert!(
        page.body.contains("href=\"/review\" aria-current=\"page\""),
        "the navigation marks Review"
    );

    // A row confirmed inline leaves the queue at once.
    let r = app
        .post(
            "/review/single-source/decide",
            &format!("csrf={csrf}&row=confirmed%3A{visit}"),
            &session,
        )
        .await;
    assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/review/single-source"));
    let notice = r.cookie("accord_notice").expect("what happened, behind a cookie");
    let after = app.get(&r.location, &format!("{session}; {notice}")).await;
    assert!(after.body.contains("Confirmed 1 event."), "{}", after.body);
    let queue = app.json("/api/v1/review/single-source").await;
    assert_eq!(queue["total"].as_u64().unwrap(), total - 1);
    assert!(!queue["items"].as_array().unwrap().iter().any(|i| i["event"]["id"] == visit));
    assert!(app.json("/api/v1/review/one-party").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["event"]["id"] != visit));

    // A bulk rejection asks first, and nothing happens until it is confirmed.
    let ids: Vec<i64> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["event"]["id"].as_i64().unwrap())
        .collect();
    let events_before = app.json("/api/v1/summary").await["summary"]["events"].as_u64().unwrap();
    let form = format!(
        "csrf={csrf}&bulk=rejected&{}",
        ids.iter().map(|i| format!("id={i}")).collect::<Vec<_>>().join("&")
    );
    let r = app.post("/review/single-source/decide", &form, &session).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!("Reject {} events?", ids.len())), "{}", r.body);
    assert_eq!(
        app.json("/api/v1/review/single-source").await["total"].as_u64().unwrap(),
        total - 1,
        "not yet"
    );
    let r = app
        .post("/review/single-source/decide", &format!("{form}&sure=yes"), &session)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.json("/api/v1/review/single-source").await["total"], 0, "the queue is finished");
    let summary = app.json("/api/v1/summary").await["summary"].clone();
    assert_eq!(
        summary["events"].as_u64().unwrap(),
        events_before - ids.len() as u64,
        "rejected events leave the counts"
    );
    let audit = app.json("/api/v1/audit?action=set_event_status").await;
    assert_eq!(audit["total"].as_u64().unwrap(), 1 + ids.len() as u64, "one entry per row");
    let rejected = app.get(&format!("/events/{}", ids[0]), "").await;
    assert!(rejected.body.contains("id=\"status\">rejected"), "its own page carries the badge");
    let search = app.json("/api/v1/search?q=Halbrook&kind=event").await;
    assert_eq!(search["total"], 0, "nor found by search: {search}");

    // Viewers see the queue but no buttons, and cannot post decisions.
    let (viewer, viewer_csrf) = app.sign_in("Victor Osei", Role::Viewer).await;
    let page = app.get("/review/no-country", &viewer).await;
    assert!(!page.body.contains("row-confirm"));
    let r = app
        .post(
            "/review/no-country/decide",
            &format!("csrf={viewer_csrf}&row=confirmed%3A1"),
            &viewer,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            "/review/single-source/decide",
            &format!("csrf={}&row=confirmed%3A{visit}", "0".repeat(32)),
            &session,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a wrong CSRF token is refused");
    assert_eq!(app.get("/review/everything", "").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn queues_page_through_every_row_with_exact_totals() {
    let app = App::new();
    let total = app.json("/api/v1/review/single-source?limit=1").await["total"].as_u64().unwrap();
    let mut seen = Vec::new();
    for offset in 0..total {
        let page = app.json(&format!("/api/v1/review/single-source?limit=1&offset={offset}")).await;
        assert_eq!(page["total"].as_u64().unwrap(), total);
        seen.push(page["items"][0]["event"]["id"].as_i64().unwrap());
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len() as u64, total, "each row on exactly one page");
    assert_eq!(app.get("/api/v1/review/nothing", "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/review/undated?offset=x", "").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_event_is_corrected_in_every_field_and_the_audit_log_shows_what_changed() {
    let app = App::new();
    let (session, csrf) = app.sign_in("Ada Lindqvist", Role::Editor).await;
    let northvale = app.institution_id("Northvale").await;
    let mou = app.event_of(northvale).await;
    let westmere = app.institution_id("Westmere").await;

    // A project keeps its type when the form is sent back unchanged.
    let form = |fields: &str| format!("csrf={csrf}&{fields}");
    let r = app
        .post(
            &format!("/events/{mou}/edit"),
            &form("event_type=project&date=2023-03-09"),
            &session,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/events/{mou}"), &session).await;
    assert!(
        page.body.contains("<option selected>project</option>"),
        "the form offers project, selected"
    );
    assert!(
        page.body.contains("<p class=\"evidence\" lang=\"en\">"),
        "a source's words carry their language"
    );
    let date = page.hidden("date");
    let r = app
        .post(
            &format!("/events/{mou}/edit"),
            &form(&format!("event_type=project&date={date}")),
            &session,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.json(&format!("/api/v1/events/{mou}")).await["row"]["event_type"], "project");

    // Impossible dates and free-text types are refused with a clear message.
    for (fields, says) in [
        ("date=2024-02-31", "«2024-02-31» is not a date"),
        ("date=----", "«----» is not a date"),
        ("date=9999-99-99", "«9999-99-99» is not a date"),
        ("event_type=party", "«party» is not an event type"),
        ("country=Ireland", "«IRELAND» is not a country"),
    ] {
        let r = app.post(&format!("/events/{mou}/edit"), &form(fields), &session).await;
        let notice = r.cookie("accord_notice").unwrap();
        assert!(
            !r.location.contains("flash") && !r.location.contains('?'),
            "no notice in the address: {}",
            r.location
        );
        let page = app.get(&r.location, &format!("{session}; {notice}")).await;
        assert!(page.body.contains(says), "{fields}: {}", page.body);
    }
    assert_eq!(app.json(&format!("/api/v1/events/{mou}")).await["row"]["date"], "2023-03-09");

    // Place and fields.
    let r = app
        .post(
            &format!("/events/{mou}/edit"),
            &form("city=Halden&country=no&fields=oncology%2C+Nursing"),
            &session,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let row = app.json(&format!("/api/v1/events/{mou}")).await["row"].clone();
    assert_eq!((row["city"].as_str(), row["country"].as_str()), (Some("Halden"), Some("NO")));
    assert_eq!(row["fields"], serde_json::json!(["nursing", "oncology"]));

    // Parties: found by name, added, taken out.
    let picker = app.get(&format!("/events/{mou}/parties?q=Westmere"), &session).await;
    assert_eq!(picker.status, StatusCode::OK);
    assert!(
        picker.body.contains(&format!("name=\"add\" value=\"{westmere}\"")),
        "{}",
        picker.body
    );
    let r = app
        .post(&format!("/events/{mou}/parties"), &form(&format!("add={westmere}")), &session)
        .await;
    assert_eq!(
        (r.status, r.location.clone()),
        (StatusCode::SEE_OTHER, format!("/events/{mou}/parties"))
    );
    let r = app
        .post(&format!("/events/{mou}/parties"), &form(&format!("remove={northvale}")), &session)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let parties: Vec<i64> = app.json(&format!("/api/v1/events/{mou}")).await["row"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_i64().unwrap())
        .collect();
    assert!(parties.contains(&westmere) && !parties.contains(&northvale), "{parties:?}");

    // The audit log: only what changed, linked, filtered, paged.
    let log = app.get("/audit", "").await;
    assert!(!log.body.contains("Nothing here"), "no empty-list text above entries");
    assert!(
        log.body.contains(&format!("<a href=\"/events/{mou}\">event {mou}</a>")),
        "entries link their target"
    );
    assert!(
        log.body
            .contains("<span class=\"field\">city</span>: <del>Leeds</del> → <ins>Halden</ins>"),
        "{}",
        log.body
    );
    assert!(log
        .body
        .contains("<span class=\"field\">event type</span>: <del>agreement</del> → <ins>project</ins>"));
    assert!(
        !log.body.contains("<span class=\"field\">sources</span>"),
        "unchanged fields are left out"
    );
    let name = app.json(&format!("/api/v1/institutions/{westmere}")).await["row"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(log.body.contains(&format!("{name}</ins>")), "the parties' change: {}", log.body);
    let filtered = app.get("/audit?action=edit_event_parties&user=Ada+Lindqvist", "").await;
    assert!(filtered.body.contains("1–2 of 2"), "{}", filtered.body);
    let nobody = app.get("/audit?user=Nobody", "").await;
    assert!(nobody.body.contains("No correction matches these filters."));
    let today = &app.json("/api/v1/audit?limit=1").await["items"][0]["at"].as_str().unwrap()[..10].to_string();
    let day = app.get(&format!("/audit?since={today}&until={today}"), "").await;
    assert!(day.body.contains("1–5 of 5"), "{}", day.body);
    for bad in [
        "since=2024-02-30",
        "until=tomorrow",
        "action=delete",
        "since=2024-05-01&until=2024-04-01",
        "offset=x",
    ] {
        let r = app.get(&format!("/audit?{bad}"), "").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        let api = app.get(&format!("/api/v1/audit?{bad}"), "").await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "{bad}: {}", api.body);
    }
}

#[tokio::test]
async fn a_merge_is_picked_by_search_previewed_and_confirmed() {
    let app = App::new();
    let (session, csrf) = app.sign_in("Mira Okafor", Role::Admin).await;
    let halbrook = app.institution_id("Halbrook").await;
    let westmere = app.institution_id("Westmere").await;
    let search = app.get(&format!("/institutions/{halbrook}/merge?q=Westmere"), &session).await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(
        search.body.contains(&format!("/institutions/{halbrook}/merge?absorb={westmere}")),
        "{}",
        search.body
    );
    let preview = app
        .get(&format!("/institutions/{halbrook}/merge?absorb={westmere}"), &session)
        .await;
    for shown in [
        "Halbrook Eye Hospital",
        "Westmere Cancer Centre",
        "United Kingdom",
        "Australia",
        "<th>Pages</th>",
        "<th>Events</th>",
    ] {
        assert!(preview.body.contains(shown), "the preview shows {shown}");
    }
    let name = app.json(&format!("/api/v1/institutions/{westmere}")).await["row"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/institutions/{halbrook}/merge"),
            &format!("csrf={csrf}&absorb={westmere}&sure=yes"),
            &session,
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, format!("/institutions/{halbrook}").as_str())
    );
    let old = app.get(&format!("/institutions/{westmere}"), "").await;
    assert_eq!(
        (old.status, old.location),
        (StatusCode::PERMANENT_REDIRECT, format!("/institutions/{halbrook}"))
    );
    let log = app.get("/audit", "").await;
    assert!(
        log.body.contains(&format!("{name} (#{westmere})")),
        "the log names whom the merge absorbed: {}",
        log.body
    );
    // Editors may not merge, nor see the preview.
    let (editor, _) = app.sign_in("Ada Lindqvist", Role::Editor).await;
    assert_eq!(
        app.get(&format!("/institutions/{halbrook}/merge?q=x"), &editor).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn notices_never_travel_in_the_address() {
    let app = App::new();
    let (session, csrf) = app.sign_in("Ada Lindqvist", Role::Editor).await;
    let nid = app.institution_id("Northvale").await;
    let r = app
        .post(&format!("/institutions/{nid}/edit"), &format!("csrf={csrf}&kind=castle"), &session)
        .await;
    assert_eq!(r.location, format!("/institutions/{nid}"));
    let notice = r.cookie("accord_notice").unwrap();
    assert!(r.cookies.iter().any(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
    let page = app.get(&r.location, &format!("{session}; {notice}")).await;
    assert!(page.body.contains("«castle» is not a kind of institution"), "{}", page.body);
    let again = app.get(&r.location, &format!("{session}; {notice}")).await;
    assert!(!again.body.contains("castle"), "a notice shows once");
    let forged = app.get("/", "accord_notice=0123456789abcdef0123456789abcdef").await;
    assert!(!forged.body.contains("class=\"flash"), "an unknown key shows nothing");
    let home = app.get("/", "").await;
    assert!(home.body.contains("<html lang=\"en\">"));
    assert!(home.body.contains("href=\"/\" aria-current=\"page\""));
    assert_eq!(
        home.body.matches("aria-current=\"page\"").count(),
        1,
        "one current page in the navigation"
    );
}
