//! The JSON API under `/api/v1`: everything the pages show, with filters and
//! pagination, and the corrections (an editor's bearer token, or a session
//! with its CSRF token in `X-CSRF-Token`). Described in `/api/openapi.json`.

use crate::auth::{same_secret, visitor};
use crate::pages::hit_link;
use crate::AppState;
use accord_store::{Curation, Filter, SearchQuery, Store};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// Routes of the API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/summary", get(summary))
        .route("/institutions", get(institutions))
        .route("/institutions/{id}", get(institution))
        .route("/events", get(events))
        .route("/events/{id}", get(event))
        .route("/people", get(people))
        .route("/people/{id}", get(person))
        .route("/documents/{id}", get(document))
        .route("/search", get(search))
        .route("/network", get(network))
        .route("/countries", get(countries))
        .route("/audit", get(audit))
        .route("/curations", post(curate))
}

/// An API error: a status and a message, as JSON.
pub struct ApiError(StatusCode, String);

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!("{e:#}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, "internal error reading the registry".into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

fn found<T: serde::Serialize>(what: &str, v: Option<T>) -> ApiResult {
    match v {
        Some(v) => Ok(Json(serde_json::to_value(v).map_err(anyhow::Error::from)?)),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("no {what} with this id"))),
    }
}

/// Query parameters of the listings.
#[derive(Deserialize, Default)]
struct ListParams {
    country: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    since: Option<String>,
    until: Option<String>,
    field: Option<String>,
    org: Option<String>,
    text: Option<String>,
    review: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Largest page of a listing.
const MAX_PAGE: usize = 500;

impl ListParams {
    fn filter(&self) -> Filter {
        let empty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Filter {
            country: empty(&self.country),
            kind: empty(&self.kind),
            since: empty(&self.since),
            until: empty(&self.until),
            field: empty(&self.field),
            org: empty(&self.org),
            text: empty(&self.text),
            review: empty(&self.review),
            limit: Some(self.limit.unwrap_or(50).min(MAX_PAGE)),
            offset: self.offset,
        }
    }
}

fn page<T: serde::Serialize>(items: Vec<T>, f: &Filter) -> ApiResult {
    let n = items.len();
    Ok(Json(json!({
        "items": items,
        "offset": f.offset.unwrap_or(0),
        "limit": f.limit,
        "next_offset": (Some(n) == f.limit).then(|| f.offset.unwrap_or(0) + n),
    })))
}

async fn summary(State(state): State<AppState>) -> ApiResult {
    let (s, years, review) = state.with(|s| Ok((s.summary()?, s.events_per_year()?, s.review_queue()?))).await?;
    let review: Vec<Value> = review
        .into_iter()
        .map(|(label, count, link)| json!({ "label": label, "count": count, "link": link }))
        .collect();
    Ok(Json(json!({ "summary": s, "events_per_year": years, "review": review })))
}

async fn institutions(State(state): State<AppState>, Query(p): Query<ListParams>) -> ApiResult {
    let f = p.filter();
    let g = f.clone();
    page(state.with(move |s| s.institutions(&g)).await?, &f)
}

async fn institution(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    found("institution", state.with(move |s| s.institution(id)).await?)
}

async fn events(State(state): State<AppState>, Query(p): Query<ListParams>) -> ApiResult {
    let f = p.filter();
    let g = f.clone();
    page(state.with(move |s| s.events(&g)).await?, &f)
}

async fn event(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    found("event", state.with(move |s| s.event(id)).await?)
}

async fn people(State(state): State<AppState>, Query(p): Query<ListParams>) -> ApiResult {
    let f = p.filter();
    let g = f.clone();
    page(state.with(move |s| s.people(&g)).await?, &f)
}

async fn person(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    found("person", state.with(move |s| s.person(id)).await?)
}

async fn document(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    found("document", state.with(move |s| s.document(id)).await?)
}

async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> ApiResult {
    let results = state.with(move |s| s.search(&q)).await?;
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            let mut v = serde_json::to_value(h).unwrap_or(Value::Null);
            v["snippet"] = json!(h.snippet.replace(['\u{E000}', '\u{E001}'], ""));
            v["url"] = json!(hit_link(h));
            v
        })
        .collect();
    Ok(Json(
        json!({ "total": results.total, "total_is_lower_bound": results.total_is_lower_bound, "hits": hits, "facets": results.facets }),
    ))
}

#[derive(Deserialize, Default)]
struct NetworkParams {
    level: Option<String>,
    year: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    field: Option<String>,
    limit: Option<usize>,
}

impl NetworkParams {
    fn filter(&self) -> Filter {
        let year = self.year.clone().filter(|y| !y.is_empty());
        Filter {
            kind: self.kind.clone().filter(|s| !s.is_empty()),
            field: self.field.clone().filter(|s| !s.is_empty()),
            since: year.clone(),
            until: year,
            limit: Some(self.limit.unwrap_or(2000).min(5000)),
            ..Filter::default()
        }
    }
}

/// The network as the drawing wants it: string ids, labels, weights.
async fn network(State(state): State<AppState>, Query(p): Query<NetworkParams>) -> ApiResult {
    let f = p.filter();
    if p.level.as_deref() == Some("countries") {
        let map = state.with(move |s| s.country_map(&f)).await?;
        let nodes: Vec<Value> = map
            .countries
            .iter()
            .map(|c| json!({ "id": format!("c-{}", c.code), "label": c.code, "country": c.code, "weight": c.events }))
            .collect();
        let edges: Vec<Value> = map
            .links
            .iter()
            .map(|l| json!({ "source": format!("c-{}", l.a), "target": format!("c-{}", l.b), "weight": l.weight }))
            .collect();
        return Ok(Json(json!({ "nodes": nodes, "edges": edges })));
    }
    let n = state.with(move |s| s.network(&f)).await?;
    let nodes: Vec<Value> = n
        .nodes
        .iter()
        .map(|i| json!({ "id": format!("i{}", i.id), "label": i.name, "country": i.country, "weight": i.events }))
        .collect();
    let edges: Vec<Value> = n
        .edges
        .iter()
        .map(|e| json!({ "source": format!("i{}", e.source), "target": format!("i{}", e.target), "weight": e.events.len() }))
        .collect();
    Ok(Json(json!({ "nodes": nodes, "edges": edges })))
}

async fn countries(State(state): State<AppState>, Query(p): Query<NetworkParams>) -> ApiResult {
    let f = Filter { limit: None, ..p.filter() };
    Ok(Json(
        serde_json::to_value(state.with(move |s| s.country_map(&f)).await?).map_err(anyhow::Error::from)?,
    ))
}

#[derive(Deserialize)]
struct AuditParams {
    target: Option<String>,
    limit: Option<usize>,
}

async fn audit(State(state): State<AppState>, Query(p): Query<AuditParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(100).min(1000);
    let entries = state.with(move |s| s.audit(p.target.as_deref(), limit)).await?;
    Ok(Json(json!({ "items": entries })))
}

/// Applies a correction: `{"action": "edit_institution", "id": 3, "country": "FR"}` etc.
async fn curate(State(state): State<AppState>, headers: HeaderMap, Json(change): Json<Curation>) -> ApiResult {
    let v = visitor(&state, &headers).await;
    let Some(user) = v.user.clone() else {
        return Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "sign in, or send Authorization: Bearer TOKEN".into(),
        ));
    };
    if let Some(csrf) = v.csrf.as_deref() {
        let sent = headers.get("x-csrf-token").and_then(|h| h.to_str().ok()).unwrap_or("");
        if !same_secret(csrf, sent) {
            return Err(ApiError(
                StatusCode::FORBIDDEN,
                "a session needs its CSRF token in X-CSRF-Token".into(),
            ));
        }
    }
    if !user.role.can_edit() {
        return Err(ApiError(StatusCode::FORBIDDEN, format!("{} may read but not correct", user.name)));
    }
    match state.with(move |s| s.curate(&user, &change)).await {
        Ok(id) => Ok(Json(json!({ "ok": true, "id": id }))),
        Err(e) => Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("{e:#}"))),
    }
}
