//! The editors' forms: institution and event corrections, merges picked by
//! search with a preview, splits, event parties picked by search, and the
//! confirmation step every destructive action takes (merge, split, reject,
//! bulk decisions): a page that repeats the form with `sure=yes`, so it
//! works without scripts. Each form is checked for session, CSRF token and
//! role; what it did is shown once on the page it leads back to.
//!
//! A merged-away institution's address leads to the one that absorbed it
//! ([`merged_redirect`], pages and API alike).

use crate::auth::{same_secret, visitor, Visitor};
use crate::client::Client;
use crate::errors::{Id, Params, Problem};
use crate::pages::{not_found, percent, render, PageResult};
use crate::AppState;
use accord_store::{Curation, EventRow, Filter, InstitutionDetail, InstitutionRow, Store, User};
use askama::Template;
use axum::extract::{Extension, Form, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

/// Routes of the editors' forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/institutions/{id}/edit", post(edit_institution))
        .route("/institutions/{id}/merge", get(merge_form).post(merge_institution))
        .route("/institutions/{id}/split", post(split_institution))
        .route("/events/{id}/status", post(event_status))
        .route("/events/{id}/edit", post(edit_event))
        .route("/events/{id}/parties", get(parties_form).post(edit_parties))
}

/// Who may send a form: a signed-in editor (or admin, for restructuring)
/// whose form carries the session's token; else why not.
pub enum Authorized {
    /// The person, allowed.
    User(User),
    /// Not signed in: sent to sign in, then back.
    SignIn(Response),
}

/// Checks session, CSRF token and role for a form that would lead back to `back`.
pub async fn authorize(state: &AppState, headers: &HeaderMap, csrf: &str, back: &str, restructure: bool) -> Result<Authorized, Problem> {
    let v = visitor(state, headers).await;
    let Some(user) = v.user.clone() else {
        return Ok(Authorized::SignIn(
            Redirect::to(&format!("/signin?next={}", percent(back))).into_response(),
        ));
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
    if restructure && !user.role.can_restructure() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "Only admins merge and split institutions: ask one to do it.".into(),
        ));
    }
    Ok(Authorized::User(user))
}

/// Applies corrections (all or none) and leads back with what happened;
/// one institution's correction leads to the institution it concerns (the
/// new one, after a split).
pub async fn apply(state: &AppState, client: &Client, user: User, changes: Vec<Curation>, back: String, done: String) -> Response {
    let one = changes.len() == 1;
    let outcome = state.with(move |s| s.curate_all(&user, &changes)).await;
    let (target, message) = match outcome {
        Ok(ids) if one && back.starts_with("/institutions/") => (format!("/institutions/{}", ids[0]), done),
        Ok(_) => (back, done),
        Err(e) => (back, format!("Not saved: {}", crate::errors::refusal(e).1)),
    };
    crate::notice::redirect(state, client, &target, &message)
}

/// Checks and applies one correction from a form.
async fn correct(state: &AppState, client: &Client, headers: &HeaderMap, csrf: &str, change: Curation, back: String) -> PageResult {
    match authorize(state, headers, csrf, &back, change.restructures()).await? {
        Authorized::SignIn(r) => Ok(r),
        Authorized::User(user) => Ok(apply(state, client, user, vec![change], back, "Saved.".into()).await),
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    title: String,
    visitor: Visitor,
    message: String,
    items: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    button: String,
    back: String,
}

/// The confirmation step: the same form again, every field kept, with
/// `sure=yes` and a button that says what it does.
pub fn confirm_page(
    visitor: Visitor,
    message: String,
    items: Vec<String>,
    action: &str,
    fields: Vec<(String, String)>,
    button: &str,
    back: &str,
) -> Response {
    render(&ConfirmPage {
        title: "Are you sure?".into(),
        visitor,
        message,
        items,
        action: action.to_string(),
        fields,
        button: button.to_string(),
        back: back.to_string(),
    })
}

/// Whether the form carries the second, confirming submit.
fn sure(s: &Option<String>) -> bool {
    s.as_deref() == Some("yes")
}

#[derive(Deserialize)]
struct InstitutionForm {
    csrf: String,
    name: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    city: Option<String>,
}

async fn edit_institution(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<InstitutionForm>,
) -> PageResult {
    let change = Curation::EditInstitution {
        id,
        name: f.name,
        country: f.country,
        kind: f.kind,
        city: f.city,
    };
    correct(&state, &client, &headers, &f.csrf, change, format!("/institutions/{id}")).await
}

#[derive(Template)]
#[template(path = "merge.html")]
struct MergePage {
    title: String,
    visitor: Visitor,
    keep: InstitutionDetail,
    q: String,
    found: Vec<InstitutionRow>,
    absorb: Option<InstitutionDetail>,
}

impl MergePage {
    fn country(&self, c: &Option<String>) -> String {
        c.as_deref().map(crate::countries::name).unwrap_or_else(|| "—".into())
    }
}

#[derive(Deserialize, Default)]
struct MergeQuery {
    q: Option<String>,
    #[serde(default, deserialize_with = "accord_store::whole_number")]
    absorb: Option<usize>,
}

/// Institutions whose names hold `q` (at most 20), but `except`.
fn named_like(s: &accord_store::SqliteStore, q: &str, except: &[i64]) -> anyhow::Result<Vec<InstitutionRow>> {
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter {
        text: Some(q.trim().to_string()),
        limit: Some(20 + except.len()),
        ..Filter::default()
    };
    Ok(s.institutions(&filter)?
        .into_iter()
        .filter(|i| !except.contains(&i.id))
        .take(20)
        .collect())
}

/// Picks the institution to merge by name, then previews both side by side.
async fn merge_form(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Params(m): Params<MergeQuery>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    if !visitor.can_restructure() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "Only admins merge institutions: sign in as one.".into(),
        ));
    }
    let q = m.q.clone().unwrap_or_default();
    let absorb = m.absorb.map(|a| a as i64);
    if absorb == Some(id) {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            "An institution cannot be merged into itself: pick another.".into(),
        ));
    }
    let query = q.clone();
    let (keep, found, other) = state
        .with(move |s| {
            let other = match absorb {
                Some(a) => Some(s.institution(a)?),
                None => None,
            };
            Ok((s.institution(id)?, named_like(s, &query, &[id])?, other))
        })
        .await?;
    let keep = keep.ok_or_else(|| not_found("institution with this id"))?;
    let absorb = match other {
        Some(None) => return Err(not_found("institution to merge with this id")),
        Some(Some(d)) => Some(d),
        None => None,
    };
    Ok(render(&MergePage {
        title: format!("Merge into {}", keep.row.name),
        visitor,
        keep,
        q,
        found,
        absorb,
    }))
}

#[derive(Deserialize)]
struct MergeForm {
    csrf: String,
    absorb: String,
    sure: Option<String>,
}

/// A merge happens only from the preview's confirming submit; any other
/// post (the institution page's id field) leads to the preview.
async fn merge_institution(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<MergeForm>,
) -> PageResult {
    let back = format!("/institutions/{id}");
    let user = match authorize(&state, &headers, &f.csrf, &back, true).await? {
        Authorized::SignIn(r) => return Ok(r),
        Authorized::User(u) => u,
    };
    let Ok(absorb) = f.absorb.trim().parse::<i64>() else {
        return Ok(crate::notice::redirect(
            &state,
            &client,
            &format!("/institutions/{id}/merge"),
            "Give the id of the institution to merge, or find it by name.",
        ));
    };
    if !sure(&f.sure) {
        return Ok(Redirect::to(&format!("/institutions/{id}/merge?absorb={absorb}")).into_response());
    }
    Ok(apply(
        &state,
        &client,
        user,
        vec![Curation::MergeInstitutions { keep: id, absorb }],
        back,
        "Merged.".into(),
    )
    .await)
}

#[derive(Deserialize)]
struct SplitForm {
    csrf: String,
    document_id: i64,
    local_id: String,
    sure: Option<String>,
}

async fn split_institution(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<SplitForm>,
) -> PageResult {
    let back = format!("/institutions/{id}");
    let user = match authorize(&state, &headers, &f.csrf, &back, true).await? {
        Authorized::SignIn(r) => return Ok(r),
        Authorized::User(u) => u,
    };
    if !sure(&f.sure) {
        let v = visitor(&state, &headers).await;
        let (doc, name) = (f.document_id, f.local_id.clone());
        let row = state
            .with(move |s| s.institution(id))
            .await?
            .ok_or_else(|| not_found("institution with this id"))?;
        let mention = row
            .mentions
            .iter()
            .find(|m| m.document_id == doc && m.local_id.as_deref() == Some(name.as_str()))
            .map(|m| format!("«{}» on {}", m.text, crate::document::source_label(m)))
            .unwrap_or_else(|| format!("organization {name} of document {doc}"));
        return Ok(confirm_page(
            v,
            format!("Split this page's institution off «{}» into a new institution?", row.row.name),
            vec![mention],
            &format!("/institutions/{id}/split"),
            vec![
                ("csrf".into(), f.csrf),
                ("document_id".into(), f.document_id.to_string()),
                ("local_id".into(), f.local_id),
            ],
            "Split it off",
            &format!("/institutions/{id}"),
        ));
    }
    let change = Curation::SplitInstitution {
        id,
        document_id: f.document_id,
        local_id: f.local_id,
    };
    Ok(apply(&state, &client, user, vec![change], back, "Saved.".into()).await)
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
    sure: Option<String>,
}

async fn event_status(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let back = format!("/events/{id}");
    let user = match authorize(&state, &headers, &f.csrf, &back, false).await? {
        Authorized::SignIn(r) => return Ok(r),
        Authorized::User(u) => u,
    };
    if f.status == "rejected" && !sure(&f.sure) {
        let v = visitor(&state, &headers).await;
        let row = state
            .with(move |s| s.event(id))
            .await?
            .ok_or_else(|| not_found("event with this id"))?
            .row;
        return Ok(confirm_page(
            v,
            "Reject this event? It leaves counts, listings and search; its page stays, marked rejected.".into(),
            vec![crate::present::event_title(&row)],
            &format!("/events/{id}/status"),
            vec![("csrf".into(), f.csrf), ("status".into(), f.status)],
            "Reject it",
            &format!("/events/{id}"),
        ));
    }
    let status = Some(f.status).filter(|s| !s.is_empty());
    Ok(apply(
        &state,
        &client,
        user,
        vec![Curation::SetEventStatus { id, status }],
        back,
        "Saved.".into(),
    )
    .await)
}

#[derive(Deserialize)]
struct EventForm {
    csrf: String,
    event_type: Option<String>,
    date: Option<String>,
    city: Option<String>,
    country: Option<String>,
    /// Fields separated by commas.
    fields: Option<String>,
}

async fn edit_event(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<EventForm>,
) -> PageResult {
    let change = Curation::EditEvent {
        id,
        event_type: f.event_type,
        date: f.date,
        city: f.city,
        country: f.country,
        fields: f.fields.map(|list| {
            list.split([',', ';'])
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        }),
    };
    correct(&state, &client, &headers, &f.csrf, change, format!("/events/{id}")).await
}

#[derive(Template)]
#[template(path = "parties.html")]
struct PartiesPage {
    title: String,
    visitor: Visitor,
    event: EventRow,
    q: String,
    found: Vec<InstitutionRow>,
}

#[derive(Deserialize, Default)]
struct PartyQuery {
    q: Option<String>,
}

/// An event's parties, each with a button to take it out, and institutions
/// found by name, each with a button to add it.
async fn parties_form(State(state): State<AppState>, headers: HeaderMap, Id(id): Id, Params(p): Params<PartyQuery>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    if !visitor.can_edit() {
        return Err(Problem(
            StatusCode::FORBIDDEN,
            "Only editors change an event's parties: sign in as one.".into(),
        ));
    }
    let q = p.q.unwrap_or_default();
    let query = q.clone();
    let (event, found) = state
        .with(move |s| {
            let Some(d) = s.event(id)? else { return Ok((None, Vec::new())) };
            let parties: Vec<i64> = d.row.parties.iter().map(|p| p.0).collect();
            Ok((Some(d.row), named_like(s, &query, &parties)?))
        })
        .await?;
    let event = event.ok_or_else(|| not_found("event with this id"))?;
    Ok(render(&PartiesPage {
        title: format!("Parties of {}", crate::present::event_title(&event)),
        visitor,
        event,
        q,
        found,
    }))
}

#[derive(Deserialize)]
struct PartyForm {
    csrf: String,
    add: Option<i64>,
    remove: Option<i64>,
}

async fn edit_parties(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<PartyForm>,
) -> PageResult {
    let change = Curation::EditEventParties {
        id,
        add: f.add.into_iter().collect(),
        remove: f.remove.into_iter().collect(),
    };
    correct(&state, &client, &headers, &f.csrf, change, format!("/events/{id}/parties")).await
}

/// The id in `/institutions/{id}…` or `/api/v1/institutions/{id}…`, with
/// the path's prefix and rest.
fn institution_path(path: &str) -> Option<(&str, i64, &str)> {
    let (prefix, rest) = if let Some(r) = path.strip_prefix("/api/v1/institutions/") {
        ("/api/v1/institutions/", r)
    } else {
        ("/institutions/", path.strip_prefix("/institutions/")?)
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let id = rest[..end].parse().ok()?;
    Some((prefix, id, &rest[end..]))
}

/// A merged-away institution's page (or API resource) answers 308 to the
/// institution that absorbed it, its query kept: links and bookmarks made
/// before the merge keep working. Looked up only when the id is not found.
pub async fn merged_redirect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let get = request.method() == Method::GET || request.method() == Method::HEAD;
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if !get || response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some((prefix, id, rest)) = institution_path(uri.path()) else {
        return response;
    };
    match state.with(move |s| s.merged_into(id)).await {
        Ok(Some(to)) => {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("{prefix}{to}{rest}{query}");
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
        }
        Ok(None) => response,
        Err(e) => {
            tracing::warn!("cannot look up where institution {id} went: {e:#}");
            response
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn institution_paths_are_read_with_their_rest() {
        use super::institution_path;
        assert_eq!(institution_path("/institutions/12"), Some(("/institutions/", 12, "")));
        assert_eq!(institution_path("/institutions/12/merge"), Some(("/institutions/", 12, "/merge")));
        assert_eq!(institution_path("/api/v1/institutions/7"), Some(("/api/v1/institutions/", 7, "")));
        assert_eq!(institution_path("/institutions/x"), None);
        assert_eq!(institution_path("/events/3"), None);
    }
}
