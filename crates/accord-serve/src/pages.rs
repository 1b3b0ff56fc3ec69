//! The HTML pages: overview, search, event, person, document, network, map
//! and sign-in; the institution page is in `profile`, the lists in
//! `lists`, the editors' forms in `curation`, the review queues in
//! `review`, the audit log in `audit`.

use crate::auth::{cookie, ended_session_cookies, same_secret, session_cookie, signin_cookie, visitor, Visitor, SIGNIN_COOKIE};
use crate::client::Client;
use crate::errors::{Id, Params, Problem};
use crate::html;
use crate::AppState;
use crate::{chart, countries, document, event, present};
use accord_store::{
    AuditEntry, DocumentRow, EventDetail, EventRow, Evidence, Filter, InstitutionRow, PersonDetail, SearchHit, SearchQuery, SearchResults,
    Store, Summary,
};
use askama::Template;
use axum::extract::{Extension, Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::time::Instant;

/// Event types, for the editors' select and the network filter: the ones
/// the store accepts.
const EVENT_TYPES: &[&str] = accord_store::EVENT_TYPES;

/// Routes of the pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/search", get(search))
        .route("/institutions/{id}", get(crate::profile::institution))
        .route("/events/{id}", get(event))
        .route("/people/{id}", get(person))
        .route("/documents/{id}", get(document))
        .route("/network", get(network))
        .route("/map", get(map))
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
        .route("/api/docs", get(api_docs))
        .merge(crate::curation::routes())
        .merge(crate::review::routes())
        .merge(crate::audit::routes())
}

/// A 404 naming what is missing.
pub(crate) fn not_found(what: &str) -> Problem {
    Problem(StatusCode::NOT_FOUND, format!("There is no {what} here."))
}

/// A problem as the styled error page, with the way back.
pub fn error_page(problem: &Problem) -> Response {
    let page = ErrorPage {
        title: problem.0.canonical_reason().unwrap_or("Error").to_string(),
        message: problem.1.clone(),
        visitor: Visitor::default(),
    };
    render(&page)
}

/// A page, or a problem that [`crate::errors::humane`] renders as the error page.
pub(crate) type PageResult = Result<Response, Problem>;

/// A rendered page, never cached.
pub(crate) fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        // Pages carry CSRF tokens and signed-in views: never cached.
        Ok(body) => ([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot render this page\n").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
    visitor: Visitor,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    title: String,
    visitor: Visitor,
    summary: Summary,
    chart: String,
    review: Vec<(String, usize, String)>,
    events: Vec<EventRow>,
    /// The most active institutions.
    institutions: Vec<InstitutionRow>,
}

impl OverviewPage {
    /// A country's name, for a code.
    fn country(&self, code: &str) -> String {
        countries::name(code)
    }
}

async fn overview(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let top = Filter {
        limit: Some(10),
        ..Default::default()
    };
    let (summary, years, review, institutions) = state
        .with(move |s| Ok((s.summary()?, s.events_per_year()?, s.review_queue()?, s.institutions(&top)?)))
        .await?;
    let events = summary.latest_events.clone();
    Ok(render(&OverviewPage {
        title: "Overview".into(),
        visitor,
        chart: chart::years_chart(&years),
        institutions,
        summary,
        review,
        events,
    }))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    title: String,
    visitor: Visitor,
    q: String,
    hidden: Vec<(&'static str, String)>,
    results: SearchResults,
    hits: Vec<(SearchHit, String, String)>,
    elapsed_ms: String,
    next_page: Option<String>,
    previous_page: Option<String>,
    /// The hits shown, as "21–40".
    showing: String,
}

impl SearchPage {
    fn facet_link(&self, facet: &str, value: &str) -> String {
        let name = match facet {
            "kind" => "kind",
            "type" => "type",
            "country" => "country",
            "year" => "year",
            "lang" => "lang",
            _ => "field",
        };
        let mut params: Vec<(&str, String)> = vec![("q", self.q.clone())];
        params.extend(self.hidden.iter().filter(|(n, _)| *n != name).cloned());
        params.push((name, value.to_string()));
        format!("/search?{}", encode_query(&params))
    }

    /// The same words without the facet filters.
    fn clear_link(&self) -> String {
        format!("/search?{}", encode_query(&[("q", self.q.clone())]))
    }

    /// The facets in reading order (kind first), each value with the text shown for it.
    fn facet_groups(&self) -> Vec<(&'static str, Vec<FacetValue>)> {
        ["kind", "type", "country", "year", "field", "lang"]
            .into_iter()
            .filter_map(|f| self.results.facets.get(f).map(|values| (f, values)))
            .map(|(f, values)| {
                let shown = |v: &str| if f == "country" { countries::name(v) } else { v.to_string() };
                (f, values.iter().map(|(v, n)| (v.clone(), shown(v), *n)).collect())
            })
            .collect()
    }

    /// Each active filter as a chip: its label and the search without it.
    fn chips(&self) -> Vec<(String, String)> {
        self.hidden
            .iter()
            .map(|(name, value)| {
                let mut params: Vec<(&str, String)> = vec![("q", self.q.clone())];
                params.extend(self.hidden.iter().filter(|(n, _)| n != name).cloned());
                (format!("{name}: {value}"), format!("/search?{}", encode_query(&params)))
            })
            .collect()
    }
}

/// A facet value: (the value, the text shown for it, its count).
type FacetValue = (String, String, usize);

/// The search at another offset, with the same words and filters.
fn search_page_link(q: &str, hidden: &[(&'static str, String)], offset: usize) -> String {
    let mut params: Vec<(&str, String)> = vec![("q", q.to_string())];
    params.extend(hidden.iter().cloned());
    if offset > 0 {
        params.push(("offset", offset.to_string()));
    }
    format!("/search?{}", encode_query(&params))
}

/// `a=1&b=2`, percent-encoded.
pub fn encode_query(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={}", percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `s` percent-encoded for a query string (space as `+`).
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a search hit leads.
pub fn hit_link(hit: &SearchHit) -> String {
    match hit.kind.as_str() {
        "institution" => format!("/institutions/{}", hit.id),
        "event" => format!("/events/{}", hit.id),
        "person" => format!("/people/{}", hit.id),
        _ => format!("/documents/{}", hit.id),
    }
}

async fn search(State(state): State<AppState>, headers: HeaderMap, Params(query): Params<SearchQuery>) -> PageResult {
    let query = crate::bounds::search_query(query)?;
    let visitor = visitor(&state, &headers).await;
    query.check().map_err(|e| {
        Problem(
            StatusCode::BAD_REQUEST,
            format!("The search is too long ({}): shorten it and try again.", e.message),
        )
    })?;
    let started = Instant::now();
    let q = query.clone();
    let results = state.with(move |s| s.search(&q)).await?;
    let elapsed_ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0);
    let hidden: Vec<(&'static str, String)> = [
        ("kind", &query.kind),
        ("type", &query.subtype),
        ("country", &query.country),
        ("year", &query.year),
        ("field", &query.field),
        ("lang", &query.lang),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (n, v)))
    .collect();
    let limit = query.limit.unwrap_or(20).min(200);
    let offset = query.offset.unwrap_or(0);
    let next_page = (offset + limit < results.total).then(|| search_page_link(&query.q, &hidden, offset + limit));
    let previous_page = (offset > 0).then(|| search_page_link(&query.q, &hidden, offset.saturating_sub(limit)));
    let showing = if results.hits.is_empty() {
        String::new()
    } else {
        format!("{}–{}", offset + 1, offset + results.hits.len())
    };
    let hits = results
        .hits
        .iter()
        .map(|h| (h.clone(), hit_link(h), html::snippet(&h.snippet)))
        .collect();
    Ok(render(&SearchPage {
        title: if query.q.is_empty() {
            "Search".into()
        } else {
            format!("Search: {}", query.q)
        },
        visitor,
        q: query.q,
        hidden,
        results,
        hits,
        elapsed_ms,
        next_page,
        previous_page,
        showing,
    }))
}

/// A JSON value shown in at most 300 characters.
pub(crate) fn short_json(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    title: String,
    visitor: Visitor,
    d: EventDetail,
    /// Its facts with the pages' words for each, and its sources.
    v: event::EventView,
    types: &'static [&'static str],
    audit: Vec<AuditEntry>,
}

impl EventPage {
    fn source_label(&self, e: &Evidence) -> String {
        document::source_label(e)
    }
}

/// An event with every fact beside the words of its pages. The view is
/// built on the registry's blocking thread, where the source pages are read.
async fn event(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let target = format!("event {id}");
    let found = state
        .with(move |s| {
            let Some(d) = s.event(id)? else {
                return Ok(None);
            };
            let mut pages: Vec<event::Page> = Vec::new();
            for src in &d.sources {
                if !pages.iter().any(|(p, _, _)| p.id == src.document_id) {
                    pages.extend(s.document(src.document_id)?.map(event::page));
                }
            }
            let v = event::view(&d, &pages);
            Ok(Some((d, v, s.audit(Some(&target), 50)?)))
        })
        .await?;
    let (d, v, audit) = found.ok_or_else(|| not_found("event with this id"))?;
    Ok(render(&EventPage {
        title: present::event_title(&d.row),
        visitor,
        d,
        v,
        types: EVENT_TYPES,
        audit,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    title: String,
    visitor: Visitor,
    d: PersonDetail,
}

impl PersonPage {
    fn source_label(&self, e: &Evidence) -> String {
        document::source_label(e)
    }
}

async fn person(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let d = state
        .with(move |s| s.person(id))
        .await?
        .ok_or_else(|| not_found("person with this id"))?;
    Ok(render(&PersonPage {
        title: d.row.name.clone(),
        visitor,
        d,
    }))
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    title: String,
    visitor: Visitor,
    doc: DocumentRow,
    v: document::DocumentView,
}

/// `?part=N`: which part of a long page to show (0 first).
#[derive(Deserialize, Default)]
struct Part {
    part: Option<usize>,
}

/// A page with its facts highlighted, one part of [`html::PART_CHARS`]
/// characters at a time; highlighting and rendering run on a blocking
/// thread, never on the threads that answer other requests.
async fn document(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Params(p): Params<Part>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let mut doc = state
        .with(move |s| s.document(id))
        .await?
        .ok_or_else(|| not_found("document with this id"))?;
    let part = p.part.unwrap_or(0);
    tokio::task::spawn_blocking(move || {
        let v = document::view_part(&doc, part).ok_or_else(|| {
            let parts = doc.text.chars().count().div_ceil(html::PART_CHARS).max(1);
            Problem(
                StatusCode::NOT_FOUND,
                format!("This page is shown in {parts} part(s), numbered from 0; there is no part {part}."),
            )
        })?;
        doc.text = String::new();
        Ok(render(&DocumentPage {
            title: v.title.clone(),
            visitor,
            doc,
            v,
        }))
    })
    .await
    .map_err(|e| Problem::from(anyhow::anyhow!("rendering a document: {e}")))?
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    title: String,
    visitor: Visitor,
    types: &'static [&'static str],
    /// Institution kinds, for the type filter.
    kinds: &'static [&'static str],
    /// The least weights offered.
    weights: &'static [(usize, &'static str)],
}

async fn network(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    Ok(render(&NetworkPage {
        title: "Network".into(),
        visitor,
        types: EVENT_TYPES,
        kinds: accord_store::INSTITUTION_KINDS,
        weights: &[
            (1, "1 shared event"),
            (2, "2 shared events"),
            (3, "3 shared events"),
            (5, "5 shared events"),
            (10, "10 shared events"),
        ],
    }))
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    title: String,
    visitor: Visitor,
}

/// The API documentation, drawn by Swagger UI from the OpenAPI document.
async fn api_docs(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    Ok(render(&ApiDocsPage {
        title: "API".into(),
        visitor: visitor(&state, &headers).await,
    }))
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    title: String,
    visitor: Visitor,
    types: &'static [&'static str],
}

async fn map(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    Ok(render(&MapPage {
        title: "Map".into(),
        visitor,
        types: EVENT_TYPES,
    }))
}

/// What the sign-in page says when the registry is read-only.
const READ_ONLY: &str = "This registry is read-only: the server may not write its file or folder, so nobody can sign in or change it. \
                         To sign in, serve a copy the server may write.";

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    title: String,
    visitor: Visitor,
    form_csrf: String,
    next: String,
}

#[derive(Deserialize, Default)]
struct Next {
    next: Option<String>,
}

async fn signin_form(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Params(q): Params<Next>,
) -> Response {
    // The form is for signing in: only the notice of the last attempt is
    // kept, or what a read-only registry means for signing in.
    let notice = if state.read_only {
        READ_ONLY.to_string()
    } else {
        visitor(&state, &headers).await.notice
    };
    let Ok(token) = accord_store::random_hex(16) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no randomness available\n").into_response();
    };
    let page = SigninPage {
        title: "Sign in".into(),
        visitor: Visitor {
            notice,
            ..Visitor::default()
        },
        form_csrf: token.clone(),
        next: safe_next(q.next.as_deref()),
    };
    ([(header::SET_COOKIE, signin_cookie(&client, &token))], render(&page)).into_response()
}

/// Only local paths are followed after sign-in: never another site. Control
/// characters and spaces are refused too: browsers drop tabs and newlines
/// from a URL, so `/<TAB>/evil.example` would become `//evil.example`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
struct SigninForm {
    token: String,
    csrf: String,
    next: Option<String>,
}

async fn signin(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> PageResult {
    if state.read_only {
        return Err(Problem(StatusCode::FORBIDDEN, READ_ONLY.into()));
    }
    let expected = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    if !same_secret(&expected, &form.csrf) {
        return Err(Problem(StatusCode::FORBIDDEN, "The sign-in form expired; open it again.".into()));
    }
    let token = form.token.clone();
    let opened = state
        .with(move |s| match s.user_by_token(&token)? {
            Some(user) => Ok(Some(s.open_session(&user)?)),
            None => Ok(None),
        })
        .await?;
    let Some((session, _)) = opened else {
        crate::auth::token_refused();
        return Ok(crate::notice::redirect(&state, &client, "/signin", "That token is not valid."));
    };
    Ok((
        [(header::SET_COOKIE, session_cookie(&client, &session))],
        Redirect::to(&safe_next(form.next.as_deref())),
    )
        .into_response())
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn signout(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> PageResult {
    // The session sent is closed whatever the token: a sign-out that
    // failed silently would leave a copied cookie working. (The cookie is
    // SameSite=Strict: another site cannot send it to sign someone out.)
    let v = visitor(&state, &headers).await;
    if v.session.is_some() && !same_secret(v.csrf(), &form.csrf) {
        tracing::info!("sign-out with a wrong form token: the session is closed anyway");
    }
    if let Some(session) = v.session {
        state.with(move |s| s.close_session(&session)).await?;
    }
    let [plain, secure] = ended_session_cookies(&client);
    Ok((
        AppendHeaders([(header::SET_COOKIE, plain), (header::SET_COOKIE, secure)]),
        Redirect::to("/"),
    )
        .into_response())
}
