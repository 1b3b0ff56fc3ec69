//! The JSON API under `/api/v1`: everything the pages show, with filters and
//! pagination, and the corrections (an editor's bearer token, or a session
//! with its CSRF token in `X-CSRF-Token`). Described in `/api/openapi.json`.

use crate::auth::{same_secret, visitor};
use crate::errors::{Body, Id, Params, Problem};
use crate::pages::hit_link;
use crate::AppState;
use accord_store::{whole_number, AuditQuery, Curation, Filter, Listing, SearchQuery, Store};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
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
        .route("/audit", get(audit))
        .route("/review/{queue}", get(review))
        .route("/curations", post(curate))
        .merge(crate::network_api::routes())
        .merge(crate::downloads::routes())
}

/// An answer of the API; errors are rendered as `{"error": {"code", "message"}}`.
pub(crate) type ApiResult = Result<Json<Value>, Problem>;

fn found<T: serde::Serialize>(what: &str, v: Option<T>) -> ApiResult {
    match v {
        Some(v) => Ok(Json(serde_json::to_value(v).map_err(anyhow::Error::from)?)),
        None => Err(Problem(StatusCode::NOT_FOUND, format!("no {what} with this id"))),
    }
}

/// Query parameters of the listings.
#[derive(Deserialize, Default)]
pub(crate) struct ListParams {
    country: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    since: Option<String>,
    until: Option<String>,
    field: Option<String>,
    org: Option<String>,
    text: Option<String>,
    review: Option<String>,
    #[serde(default, deserialize_with = "whole_number")]
    limit: Option<usize>,
    #[serde(default, deserialize_with = "whole_number")]
    offset: Option<usize>,
}

/// Largest page of a listing.
const MAX_PAGE: usize = 500;

/// A filter value that cannot be used: a 400 naming the parameter and what it accepts.
pub(crate) fn invalid(e: accord_store::InvalidFilter) -> Problem {
    Problem(StatusCode::BAD_REQUEST, format!("Query parameter {}: {}.", e.parameter, e.message))
}

impl ListParams {
    /// The store's filter, checked for what is listed.
    pub(crate) fn filter(&self, listing: Listing) -> Result<Filter, Problem> {
        let empty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        let filter = Filter {
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
        };
        filter.check(listing).map_err(invalid)?;
        Ok(filter)
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

async fn institutions(State(state): State<AppState>, Params(p): Params<ListParams>) -> ApiResult {
    let f = p.filter(Listing::Institutions)?;
    let g = f.clone();
    page(state.with(move |s| s.institutions(&g)).await?, &f)
}

async fn institution(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    found("institution", state.with(move |s| s.institution(id)).await?)
}

async fn events(State(state): State<AppState>, Params(p): Params<ListParams>) -> ApiResult {
    let f = p.filter(Listing::Events)?;
    let g = f.clone();
    page(state.with(move |s| s.events(&g)).await?, &f)
}

async fn event(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    found("event", state.with(move |s| s.event(id)).await?)
}

async fn people(State(state): State<AppState>, Params(p): Params<ListParams>) -> ApiResult {
    let f = p.filter(Listing::People)?;
    let g = f.clone();
    page(state.with(move |s| s.people(&g)).await?, &f)
}

async fn person(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    found("person", state.with(move |s| s.person(id)).await?)
}

async fn document(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    found("document", state.with(move |s| s.document(id)).await?)
}

async fn search(State(state): State<AppState>, Params(q): Params<SearchQuery>) -> ApiResult {
    let q = crate::bounds::search_query(q)?;
    q.check().map_err(invalid)?;
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

async fn audit(State(state): State<AppState>, Params(q): Params<AuditQuery>) -> ApiResult {
    q.check().map_err(|e| Problem(StatusCode::BAD_REQUEST, e.to_string()))?;
    let page = state.with(move |s| s.audit_page(&q)).await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

#[derive(Deserialize)]
struct ReviewParams {
    #[serde(default, deserialize_with = "whole_number")]
    limit: Option<usize>,
    #[serde(default, deserialize_with = "whole_number")]
    offset: Option<usize>,
}

/// A page of a review queue with its exact total.
async fn review(State(state): State<AppState>, Path(queue): Path<String>, Params(p): Params<ReviewParams>) -> ApiResult {
    let queue = crate::review::known(&queue)?;
    let offset = p.offset.unwrap_or(0);
    if offset > accord_store::MAX_OFFSET {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            format!("offset: at most {}", accord_store::MAX_OFFSET),
        ));
    }
    let limit = p.limit.unwrap_or(50).clamp(1, 200);
    let page = state.with(move |s| s.review(queue, limit, offset)).await?;
    Ok(Json(serde_json::to_value(page).map_err(anyhow::Error::from)?))
}

/// Applies a correction: `{"action": "edit_institution", "id": 3, "country": "FR"}` etc.
async fn curate(State(state): State<AppState>, headers: HeaderMap, Body(change): Body<Curation>) -> ApiResult {
    let v = visitor(&state, &headers).await;
    let Some(user) = v.user.clone() else {
        return Err(Problem(
            StatusCode::UNAUTHORIZED,
            "sign in, or send Authorization: Bearer TOKEN".into(),
        ));
    };
    if let Some(csrf) = v.csrf.as_deref() {
        let sent = headers.get("x-csrf-token").and_then(|h| h.to_str().ok()).unwrap_or("");
        if !same_secret(csrf, sent) {
            return Err(Problem(
                StatusCode::FORBIDDEN,
                "a session needs its CSRF token in X-CSRF-Token".into(),
            ));
        }
    }
    if !user.role.can_edit() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            format!("{} is a viewer: viewers read but do not correct", user.name),
        ));
    }
    if change.restructures() && !user.role.can_restructure() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            format!("{} is an editor: only admins merge and split institutions", user.name),
        ));
    }
    match state.with(move |s| s.curate(&user, &change)).await {
        Ok(id) => Ok(Json(json!({ "ok": true, "id": id }))),
        Err(e) => Err(crate::errors::refusal(e)),
    }
}
