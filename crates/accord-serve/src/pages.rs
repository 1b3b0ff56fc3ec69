//! The HTML pages: overview, search, institution, event, person, document,
//! network, map, sign-in, audit log, review lists, and the editors' forms.

use crate::auth::{cookie, ended_session_cookies, same_secret, session_cookie, signin_cookie, visitor, Visitor, SIGNIN_COOKIE};
use crate::client::Client;
use crate::errors::{Id, Params, Problem};
use crate::html;
use crate::AppState;
use crate::{chart, countries, document, present};
use accord_store::{
    AuditEntry, Curation, DocumentRow, EventDetail, EventRow, Evidence, Filter, InstitutionDetail, InstitutionRow, PersonDetail, SearchHit,
    SearchQuery, SearchResults, Store, Summary,
};
use askama::Template;
use axum::extract::{Extension, Form, Path, State};
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
        .route("/institutions/{id}", get(institution))
        .route("/institutions/{id}/edit", post(edit_institution))
        .route("/institutions/{id}/merge", post(merge_institution))
        .route("/institutions/{id}/split", post(split_institution))
        .route("/events/{id}", get(event))
        .route("/events/{id}/status", post(event_status))
        .route("/events/{id}/edit", post(edit_event))
        .route("/people/{id}", get(person))
        .route("/documents/{id}", get(document))
        .route("/network", get(network))
        .route("/map", get(map))
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
        .route("/audit", get(audit))
        .route("/api/docs", get(api_docs))
        .route("/review/{which}", get(review))
}

fn not_found(what: &str) -> Problem {
    Problem(StatusCode::NOT_FOUND, format!("There is no {what} here."))
}

/// A problem as the styled error page, with the way back.
pub fn error_page(problem: &Problem) -> Response {
    let page = ErrorPage {
        title: problem.0.canonical_reason().unwrap_or("Error").to_string(),
        message: problem.1.clone(),
        visitor: Visitor::default(),
        flash: String::new(),
    };
    render(&page)
}

/// A page, or a problem that [`crate::errors::humane`] renders as the error page.
type PageResult = Result<Response, Problem>;

fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        // Pages carry CSRF tokens and signed-in views: never cached.
        Ok(body) => ([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot render this page\n").into_response()
        }
    }
}

/// `target?flash=MESSAGE`, the message remembered as one this server gave,
/// so that only such messages are shown as notices.
fn notice_url(state: &AppState, target: &str, message: &str) -> String {
    state.remember_notice(message);
    format!("{target}?flash={}", percent(message))
}

/// `?flash=…` after a redirect: what the last action did (shown only when
/// this server gave it, see [`notice_url`]).
#[derive(Deserialize, Default)]
struct Flash {
    flash: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
    visitor: Visitor,
    flash: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    title: String,
    visitor: Visitor,
    flash: String,
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

async fn overview(State(state): State<AppState>, headers: HeaderMap, Params(f): Params<Flash>) -> PageResult {
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
        flash: state.notice(f.flash),
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
    flash: String,
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
        flash: String::new(),
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

#[derive(Template)]
#[template(path = "institution.html")]
struct InstitutionPage {
    title: String,
    visitor: Visitor,
    flash: String,
    d: InstitutionDetail,
    events: Vec<EventRow>,
    audit: Vec<AuditEntry>,
}

impl InstitutionPage {
    fn source_label(&self, e: &Evidence) -> String {
        document::source_label(e)
    }

    fn local_id(&self, m: &Evidence) -> String {
        m.local_id.clone().unwrap_or_default()
    }

    /// Whether mention `i` carries a "Split off" button: the first mention
    /// of each page's institution, when two pages or more name this one
    /// (a split moves one page's institution, with all its mentions).
    fn split_here(&self, i: &usize) -> bool {
        let i = *i;
        let source = |m: &Evidence| (m.document_id, m.local_id.clone());
        let here = source(&self.d.mentions[i]);
        let sources: std::collections::HashSet<_> = self.d.mentions.iter().map(source).collect();
        sources.len() > 1 && !self.d.mentions[..i].iter().any(|m| source(m) == here)
    }

    fn short_json(&self, v: &serde_json::Value) -> String {
        short_json(v)
    }
}

fn short_json(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

async fn institution(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Params(f): Params<Flash>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let target = format!("institution {id}");
    let (d, audit) = state.with(move |s| Ok((s.institution(id)?, s.audit(Some(&target), 50)?))).await?;
    let d = d.ok_or_else(|| not_found("institution with this id"))?;
    let mut events = d.events.clone();
    events.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(render(&InstitutionPage {
        title: d.row.name.clone(),
        visitor,
        flash: state.notice(f.flash),
        d,
        events,
        audit,
    }))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    title: String,
    visitor: Visitor,
    flash: String,
    d: EventDetail,
    sources: Vec<(Evidence, String)>,
    participants: String,
    types: &'static [&'static str],
    audit: Vec<AuditEntry>,
}

impl EventPage {
    fn source_label(&self, e: &Evidence) -> String {
        document::source_label(e)
    }

    fn short_json(&self, v: &serde_json::Value) -> String {
        short_json(v)
    }
}

async fn event(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Params(f): Params<Flash>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let target = format!("event {id}");
    let (d, texts, audit) = state
        .with(move |s| {
            let Some(d) = s.event(id)? else {
                return Ok((None, Vec::new(), Vec::new()));
            };
            let mut texts = Vec::new();
            for src in &d.sources {
                texts.push(s.document(src.document_id)?.map(|doc| doc.text).unwrap_or_default());
            }
            Ok((Some(d), texts, s.audit(Some(&target), 50)?))
        })
        .await?;
    let d = d.ok_or_else(|| not_found("event with this id"))?;
    let sources = d
        .sources
        .iter()
        .zip(&texts)
        .map(|(s, text)| (s.clone(), html::in_context(text, s.start, s.end, 160)))
        .collect();
    let participants = d
        .participants
        .as_ref()
        .and_then(|p| p.as_object())
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    Ok(render(&EventPage {
        title: present::event_title(&d.row),
        visitor,
        flash: state.notice(f.flash),
        d,
        sources,
        participants,
        types: EVENT_TYPES,
        audit,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    title: String,
    visitor: Visitor,
    flash: String,
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
        flash: String::new(),
        d,
    }))
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    title: String,
    visitor: Visitor,
    flash: String,
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
            flash: String::new(),
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
    flash: String,
    types: &'static [&'static str],
}

async fn network(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    Ok(render(&NetworkPage {
        title: "Network".into(),
        visitor,
        flash: String::new(),
        types: EVENT_TYPES,
    }))
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    title: String,
    visitor: Visitor,
    flash: String,
}

/// The API documentation, drawn by Swagger UI from the OpenAPI document.
async fn api_docs(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    Ok(render(&ApiDocsPage {
        title: "API".into(),
        visitor: visitor(&state, &headers).await,
        flash: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    title: String,
    visitor: Visitor,
    flash: String,
}

async fn map(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    Ok(render(&MapPage {
        title: "Map".into(),
        visitor,
        flash: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    title: String,
    visitor: Visitor,
    flash: String,
    events: Vec<EventRow>,
    institutions: Vec<InstitutionRow>,
    audit: Vec<AuditEntry>,
}

impl ListPage {
    fn short_json(&self, v: &serde_json::Value) -> String {
        short_json(v)
    }
}

async fn audit(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let audit = state.with(|s| s.audit(None, 500)).await?;
    Ok(render(&ListPage {
        title: "Audit log".into(),
        visitor,
        flash: String::new(),
        events: Vec::new(),
        institutions: Vec::new(),
        audit,
    }))
}

async fn review(State(state): State<AppState>, headers: HeaderMap, Path(which): Path<String>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let (title, is_events) = match which.as_str() {
        "single-source" => ("Events reported by one page, not yet confirmed", true),
        "undated" => ("Events without a date", true),
        "no-country" => ("Institutions without a country", false),
        _ => return Err(not_found("review list of this name")),
    };
    let filter = Filter {
        review: Some(which),
        limit: Some(200),
        ..Filter::default()
    };
    let (events, institutions) = state
        .with(move |s| {
            Ok(if is_events {
                (s.events(&filter)?, Vec::new())
            } else {
                (Vec::new(), s.institutions(&filter)?)
            })
        })
        .await?;
    Ok(render(&ListPage {
        title: title.into(),
        visitor,
        flash: String::new(),
        events,
        institutions,
        audit: Vec::new(),
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
    flash: String,
    form_csrf: String,
    next: String,
}

#[derive(Deserialize, Default)]
struct Next {
    next: Option<String>,
    flash: Option<String>,
}

async fn signin_form(State(state): State<AppState>, Extension(client): Extension<Client>, Params(q): Params<Next>) -> Response {
    let Ok(token) = accord_store::random_hex(16) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no randomness available\n").into_response();
    };
    let page = SigninPage {
        title: "Sign in".into(),
        visitor: Visitor::default(),
        flash: if state.read_only {
            READ_ONLY.to_string()
        } else {
            state.notice(q.flash)
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
        return Ok(Redirect::to(&notice_url(&state, "/signin", "That token is not valid.")).into_response());
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

/// Applies an editor's correction from a form: session, role and CSRF token checked.
async fn correct(state: &AppState, headers: &HeaderMap, csrf: &str, change: Curation, back: String) -> PageResult {
    let v = visitor(state, headers).await;
    let Some(user) = v.user.clone() else {
        return Ok(Redirect::to(&format!("/signin?next={}", percent(&back))).into_response());
    };
    if !same_secret(v.csrf(), csrf) {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "This form is stale or came from elsewhere; reload the page and try again.".into(),
        ));
    }
    if !user.role.can_edit() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "You are signed in as a viewer: only editors and admins correct the registry.".into(),
        ));
    }
    if change.restructures() && !user.role.can_restructure() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "Only admins merge and split institutions: ask one to do it.".into(),
        ));
    }
    let outcome = state.with(move |s| s.curate(&user, &change)).await;
    let (target, message) = match outcome {
        Ok(id) if back.starts_with("/institutions/") => (format!("/institutions/{id}"), "Saved.".to_string()),
        Ok(_) => (back, "Saved.".to_string()),
        Err(e) => (back, format!("Not saved: {}", crate::errors::refusal(e).1)),
    };
    Ok(Redirect::to(&notice_url(state, &target, &message)).into_response())
}

#[derive(Deserialize)]
struct InstitutionForm {
    csrf: String,
    name: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    city: Option<String>,
}

async fn edit_institution(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Form(f): Form<InstitutionForm>) -> PageResult {
    let change = Curation::EditInstitution {
        id,
        name: f.name,
        country: f.country,
        kind: f.kind,
        city: f.city,
    };
    correct(&state, &headers, &f.csrf, change, format!("/institutions/{id}")).await
}

#[derive(Deserialize)]
struct MergeForm {
    csrf: String,
    absorb: String,
}

async fn merge_institution(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Form(f): Form<MergeForm>) -> PageResult {
    let Ok(absorb) = f.absorb.trim().parse::<i64>() else {
        return Ok(Redirect::to(&notice_url(
            &state,
            &format!("/institutions/{id}"),
            "Give the id of the institution to merge.",
        ))
        .into_response());
    };
    correct(
        &state,
        &headers,
        &f.csrf,
        Curation::MergeInstitutions { keep: id, absorb },
        format!("/institutions/{id}"),
    )
    .await
}

#[derive(Deserialize)]
struct SplitForm {
    csrf: String,
    document_id: i64,
    local_id: String,
}

async fn split_institution(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Form(f): Form<SplitForm>) -> PageResult {
    let change = Curation::SplitInstitution {
        id,
        document_id: f.document_id,
        local_id: f.local_id,
    };
    correct(&state, &headers, &f.csrf, change, format!("/institutions/{id}")).await
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
}

async fn event_status(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Form(f): Form<StatusForm>) -> PageResult {
    let status = Some(f.status).filter(|s| !s.is_empty());
    correct(
        &state,
        &headers,
        &f.csrf,
        Curation::SetEventStatus { id, status },
        format!("/events/{id}"),
    )
    .await
}

#[derive(Deserialize)]
struct EventForm {
    csrf: String,
    event_type: Option<String>,
    date: Option<String>,
}

async fn edit_event(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Form(f): Form<EventForm>) -> PageResult {
    let change = Curation::EditEvent {
        id,
        event_type: f.event_type,
        date: f.date,
    };
    correct(&state, &headers, &f.csrf, change, format!("/events/{id}")).await
}
