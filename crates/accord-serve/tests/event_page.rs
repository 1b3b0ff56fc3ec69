//! The event page (issue 10): a readable title, every fact beside the
//! words of the page it came from (quoted, marked, linked to that spot of
//! the page), no empty facts, countries by name, no jargon. The pages are
//! written here; every institution, person and sentence is invented.

mod common;

use accord_model::{Event, EventType, Fact, FactSpan, Mode, OrgKind, Organization, Participants, Person, Place, Record, Span};
use accord_store::{content_hash, Curation, IngestDoc, Role, SqliteStore, Store};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const HARWICK: &str = "Harwick Eye Clinic";
const AUBEL: &str = "Clinique Saint-Aubel";
/// The sentence that reports the agreement.
const SIGNED: &str = "Harwick Eye Clinic and Clinique Saint-Aubel signed a memorandum of understanding in Lyon \
                      on 12 March 2024 on cooperation in ophthalmology and nursing, training 40 doctors.";
/// The agreement's page: a headline, the sentence, then the signatory.
fn agreement_text() -> String {
    format!("Two eye hospitals agree\n\n{SIGNED} For the clinic, Dr. Ines Varga put her name to it.\n")
}
/// A training's page: one long sentence, its field in the middle.
fn training_text() -> String {
    let filler = "with lectures, ward rounds and evening seminars for the residents of both houses ".repeat(3);
    format!("Harwick Eye Clinic trained nurses of Clinique Saint-Aubel {filler}in glaucoma care {filler}over the spring.")
}
/// A meeting's page: its date and place stated in the sentence before the
/// one that reports it.
const MET: &str = "The boards gathered on 3 May 2025 in Lyon. There, Harwick Eye Clinic and Clinique Saint-Aubel \
                   held a joint conference on cataract surgery.";
/// The visit's page, which says nothing of a date, a place or a field.
const VISITED: &str = "Clinique Saint-Aubel welcomed a delegation of Harwick Eye Clinic.";

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).unwrap_or_else(|| panic!("«{needle}» is not in the text"));
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn org(text: &str, id: &str, name: &str, country: &str) -> Organization {
    Organization {
        id: id.into(),
        name: name.into(),
        aliases: Vec::new(),
        kind: Some(OrgKind::Hospital),
        country: Some(country.into()),
        city: None,
        mentions: vec![span_of(text, name)],
        truncated: false,
    }
}

fn event(text: &str, event_type: EventType, evidence: &str, trigger: &str) -> Event {
    Event {
        event_type,
        subtype: None,
        date: None,
        place: None,
        parties: vec!["o1".into(), "o2".into()],
        signatories: Vec::new(),
        fields: Vec::new(),
        activities: Vec::new(),
        initiative: None,
        participants: None,
        mode: None,
        evidence: evidence.into(),
        evidence_span: span_of(text, evidence),
        mentions: vec![span_of(text, trigger)],
        truncated: false,
        fact_spans: Vec::new(),
    }
}

fn doc(path: &str, text: String, organizations: Vec<Organization>, people: Vec<Person>, events: Vec<Event>) -> IngestDoc {
    IngestDoc {
        path: format!("pages/{path}"),
        source_url: Some(format!("https://eyes.example.org/{path}")),
        hash: content_hash(text.as_bytes()),
        record: Record {
            doc: path.into(),
            language: Some("en".into()),
            published: None,
            title: None,
            organizations,
            people,
            events,
            countries: vec!["GB".into(), "FR".into()],
        },
        text,
    }
}

fn pages() -> Vec<IngestDoc> {
    let text = agreement_text();
    let mut agreement = event(&text, EventType::Agreement, SIGNED, "signed");
    agreement.subtype = Some("memorandum_of_understanding".into());
    agreement.date = Some("2024-03-12".into());
    agreement.place = Some(Place {
        city: Some("Lyon".into()),
        country: Some("FR".into()),
    });
    agreement.signatories = vec!["Ines Varga".into()];
    agreement.fields = vec!["ophthalmology".into(), "nursing".into()];
    agreement.activities = vec!["training".into()];
    agreement.participants = Some(Participants {
        people: Some(40),
        ..Default::default()
    });
    agreement.mode = Some(Mode::Offline);
    let varga = Person {
        name: "Ines Varga".into(),
        aliases: Vec::new(),
        titles: vec!["Dr.".into()],
        org: Some("o1".into()),
        mentions: vec![span_of(&text, "Ines Varga")],
        truncated: false,
    };
    let orgs = vec![org(&text, "o1", HARWICK, "GB"), org(&text, "o2", AUBEL, "FR")];
    let visit_orgs = vec![org(VISITED, "o1", AUBEL, "FR"), org(VISITED, "o2", HARWICK, "GB")];
    let visit = event(VISITED, EventType::Visit, VISITED, "welcomed a delegation");
    let long = training_text();
    let mut training = event(&long, EventType::Training, &long, "trained");
    training.fields = vec!["glaucoma".into()];
    let training_orgs = vec![org(&long, "o1", HARWICK, "GB"), org(&long, "o2", AUBEL, "FR")];
    let held = "There, Harwick Eye Clinic and Clinique Saint-Aubel held a joint conference on cataract surgery.";
    let mut meeting = event(MET, EventType::Meeting, held, "joint conference");
    meeting.date = Some("2025-05-03".into());
    meeting.place = Some(Place {
        city: Some("Lyon".into()),
        country: Some("FR".into()),
    });
    meeting.fields = vec!["cataract surgery".into()];
    let stated = |fact: Fact, value: Option<&str>, words: &str| FactSpan {
        fact,
        value: value.map(str::to_string),
        span: span_of(MET, words),
    };
    meeting.fact_spans = vec![
        stated(Fact::Date, None, "3 May 2025"),
        stated(Fact::Place, None, "Lyon"),
        stated(Fact::Field, Some("cataract surgery"), "cataract surgery"),
    ];
    let meeting_orgs = vec![org(MET, "o1", HARWICK, "GB"), org(MET, "o2", AUBEL, "FR")];
    vec![
        doc("meeting.txt", MET.into(), meeting_orgs, Vec::new(), vec![meeting]),
        doc("agreement.txt", text, orgs, vec![varga], vec![agreement]),
        doc("visit.txt", VISITED.into(), visit_orgs, Vec::new(), vec![visit]),
        doc("training.txt", long.clone(), training_orgs, Vec::new(), vec![training]),
    ]
}

struct App {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    router: Router,
}

impl App {
    fn new() -> App {
        let (dir, db) = common::registry(&pages());
        let state = accord_serve::AppState::open(&db, 0).unwrap();
        App {
            router: accord_serve::router(state),
            db,
            _dir: dir,
        }
    }

    async fn get(&self, uri: &str) -> String {
        let request = Request::get(uri).header(header::HOST, "localhost").body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {uri}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// The id of the event of `event_type`, and of the document of `path`.
    async fn ids(&self, event_type: &str, path: &str) -> (i64, i64) {
        let events: serde_json::Value = serde_json::from_str(&self.get(&format!("/api/v1/events?type={event_type}")).await).unwrap();
        let event = events["items"][0]["id"].as_i64().unwrap();
        let store = SqliteStore::open(&self.db).unwrap();
        let doc = (1..=4)
            .find(|id| store.document(*id).unwrap().is_some_and(|d| d.doc == path))
            .unwrap();
        (event, doc)
    }
}

/// The text of the `<dd>` after `<dt>label</dt>`, tags removed.
fn fact(page: &str, label: &str) -> Option<String> {
    let after = page.split(&format!("<dt>{label}</dt>")).nth(1)?;
    let dd = after.split("</dd>").next()?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in dd.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The HTML of the `<dd>` after `<dt>label</dt>`.
fn fact_html<'a>(page: &'a str, label: &str) -> &'a str {
    let after = page
        .split(&format!("<dt>{label}</dt>"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {label}"));
    after.split("</dd>").next().unwrap()
}

#[tokio::test]
async fn every_fact_shows_the_words_of_its_page_linked_to_that_spot() {
    let app = App::new();
    let (id, doc) = app.ids("agreement", "agreement.txt").await;
    let page = app.get(&format!("/events/{id}")).await;
    let text = agreement_text();
    let sentence = span_of(&text, SIGNED);
    let at_sentence = format!("<a class=\"at-spot\" href=\"/documents/{doc}#c-{}\"", sentence.start);

    assert!(
        page.contains(&format!("<h1>Agreement · 12 March 2024 · {HARWICK} – {AUBEL}")),
        "the title reads as type, date and parties: {page}"
    );
    assert!(fact(&page, "Type").unwrap().starts_with("Agreement (memorandum of understanding)"));
    assert!(fact(&page, "Date").unwrap().starts_with("12 March 2024"));
    assert!(
        fact(&page, "Place").unwrap().starts_with("Lyon, France"),
        "{:?}",
        fact(&page, "Place")
    );
    assert!(fact(&page, "Held").unwrap().starts_with("In person"));
    assert!(fact(&page, "Participants").unwrap().starts_with("40 people"));
    let fields = fact(&page, "Fields").unwrap();
    assert!(
        fields.starts_with("nursing; ophthalmology") || fields.starts_with("ophthalmology; nursing"),
        "{fields}"
    );

    // Each fact quotes the sentence as it stands, marks its own words in
    // it and links to the sentence in the document.
    let quoted = |marked: &str, kind: &str| SIGNED.replacen(marked, &format!("<mark class=\"fact {kind}\">{marked}</mark>"), 1);
    for (label, marked) in [
        ("Type", quoted("signed", "event")),
        ("Date", SIGNED.to_string()),
        ("Place", quoted("Lyon", "place")),
        ("Participants", quoted("40", "field")),
        ("Kind of cooperation", quoted("training", "field")),
        (
            "Fields",
            quoted("ophthalmology", "field").replacen("nursing", "<mark class=\"fact field\">nursing</mark>", 1),
        ),
        (
            "Parties",
            quoted(HARWICK, "org").replacen(AUBEL, &format!("<mark class=\"fact org\">{AUBEL}</mark>"), 1),
        ),
    ] {
        let dd = fact_html(&page, label);
        assert!(dd.contains(&format!("<q lang=\"en\">{marked}</q>")), "{label}: {dd}");
        assert!(dd.contains(&at_sentence), "{label} does not link to its sentence: {dd}");
        assert!(dd.contains(">eyes.example.org</a>"), "{label} names its page: {dd}");
    }
    // The parties and the signatory link to their pages.
    let parties = fact_html(&page, "Parties");
    assert_eq!(parties.matches("href=\"/institutions/").count(), 2, "{parties}");
    // The signatory is named outside the sentence: the words around her
    // name are quoted, and the link opens the page at her name.
    let signed_by = fact_html(&page, "Signed by");
    assert!(signed_by.contains("href=\"/people/"), "{signed_by}");
    assert!(
        signed_by.contains("For the clinic, Dr. <mark class=\"fact person\">Ines Varga</mark> put her name to it."),
        "{signed_by}"
    );
    let varga = span_of(&text, "Ines Varga");
    assert!(
        signed_by.contains(&format!("href=\"/documents/{doc}#c-{}\"", varga.start)),
        "{signed_by}"
    );
    // That spot is an anchor of the document page.
    let document = app.get(&format!("/documents/{doc}")).await;
    for at in [sentence.start, varga.start] {
        assert!(document.contains(&format!("id=\"c-{at}\"")), "no anchor c-{at} in the document");
    }
}

#[tokio::test]
async fn empty_facts_are_hidden_and_nothing_reads_as_jargon() {
    let app = App::new();
    let (id, _) = app.ids("visit", "visit.txt").await;
    let page = app.get(&format!("/events/{id}")).await;
    let title = page.split("<h1>").nth(1).unwrap().split('\n').next().unwrap();
    assert!(
        [format!("Visit · {AUBEL} – {HARWICK}"), format!("Visit · {HARWICK} – {AUBEL}")].contains(&title.to_string()),
        "{title}"
    );
    for label in [
        "Date",
        "Place",
        "Fields",
        "Signed by",
        "People named",
        "Held",
        "Participants",
        "Part of",
        "Kind of cooperation",
    ] {
        assert!(fact(&page, label).is_none(), "an empty {label} is shown");
    }
    assert!(fact(&page, "Parties").is_some() && fact(&page, "Type").is_some());
    assert!(!page.contains("<dd></dd>") && !page.contains("—</dd>"), "{page}");
    let dd = fact_html(&page, "Type");
    assert!(
        dd.contains(
            "<q lang=\"en\">Clinique Saint-Aubel <mark class=\"fact event\">welcomed a delegation</mark> of Harwick Eye Clinic.</q>"
        ),
        "{dd}"
    );
    let lower = page.to_lowercase();
    for jargon in ["trigger", "confidence", "subtype", "evidence_span", "local_id", "offline"] {
        assert!(!lower.contains(jargon), "the page says «{jargon}»");
    }
}

#[tokio::test]
async fn a_value_an_editor_set_says_so_and_quotes_no_page() {
    let app = App::new();
    let (id, _) = app.ids("agreement", "agreement.txt").await;
    let mut store = SqliteStore::open(&app.db).unwrap();
    let token = store.add_user("Ada Lindqvist", Role::Editor).unwrap();
    let editor = store.user_by_token(&token).unwrap().unwrap();
    store
        .curate_all(
            &editor,
            &[Curation::EditEvent {
                id,
                event_type: None,
                date: None,
                city: Some("Halden".into()),
                country: Some("NO".into()),
                fields: Some(vec!["ophthalmology".into(), "oncology".into()]),
            }],
        )
        .unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert_eq!(fact(&page, "Place").unwrap(), "Halden, Norway (set by an editor)");
    let fields = fact(&page, "Fields").unwrap();
    assert!(fields.starts_with("oncology (set by an editor); ophthalmology "), "{fields}");
    assert!(
        fact_html(&page, "Fields").contains("<mark class=\"fact field\">ophthalmology</mark>"),
        "the field the page gives is still quoted"
    );
}

#[tokio::test]
async fn a_long_sentence_is_quoted_around_the_fact_it_states() {
    let app = App::new();
    let (id, doc) = app.ids("training", "training.txt").await;
    let page = app.get(&format!("/events/{id}")).await;
    let dd = fact_html(&page, "Fields");
    let quote = dd.split("<q lang=\"en\">").nth(1).unwrap().split("</q>").next().unwrap();
    assert!(quote.starts_with('…') && quote.ends_with('…'), "{quote}");
    assert!(quote.contains("in <mark class=\"fact field\">glaucoma</mark> care"), "{quote}");
    let words = quote.trim_matches('…');
    assert!(training_text().contains(&words.replace("<mark class=\"fact field\">", "").replace("</mark>", "")));
    assert!(
        !words.starts_with(' ') && !words.ends_with(' ') && words.chars().count() < 200,
        "{quote}"
    );
    assert!(dd.contains(&format!("href=\"/documents/{doc}#c-0\"")), "{dd}");
}

#[tokio::test]
async fn facts_stated_outside_the_event_sentence_are_quoted_where_the_page_states_them() {
    let app = App::new();
    let (id, doc) = app.ids("meeting", "meeting.txt").await;
    let page = app.get(&format!("/events/{id}")).await;
    let date = fact_html(&page, "Date");
    assert!(
        date.contains("<mark class=\"fact date\">3 May 2025</mark>"),
        "the date's own words, from the sentence before: {date}"
    );
    assert!(date.contains(&format!("href=\"/documents/{doc}#c-")), "{date}");
    let place = fact_html(&page, "Place");
    assert!(place.contains("<mark class=\"fact place\">Lyon</mark>"), "{place}");
    let fields = fact_html(&page, "Fields");
    assert!(fields.contains("<mark class=\"fact field\">cataract surgery</mark>"), "{fields}");
}
