//! The review queues: each a page of rows most likely wrong first, with the
//! signs that put it there, a Confirm and a Reject button per row, and
//! ticked rows (or the whole page) confirmed or rejected at once, one audit
//! entry each.
//! Rejecting and bulk decisions take a confirmation step. A decided row
//! leaves its queue; totals are exact and every row is on some page.

use crate::auth::{visitor, Visitor};
use crate::client::Client;
use crate::curation::{apply, authorize, confirm_page, Authorized};
use crate::errors::{Params, Problem};
use crate::pages::{render, PageResult};
use crate::AppState;
use accord_store::{Curation, ReviewPage, Store, REVIEW_QUEUES};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

/// Rows on one page of a queue.
pub const PAGE: usize = 50;

/// Most rows one bulk decision may take.
const MAX_BULK: usize = 200;

/// Routes of the review queues.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review", get(queues))
        .route("/review/{queue}", get(queue))
        .route("/review/{queue}/decide", post(decide))
}

/// A queue's name, or 404 naming the queues there are.
pub(crate) fn known(queue: &str) -> Result<&'static str, Problem> {
    REVIEW_QUEUES.iter().find(|q| **q == queue).copied().ok_or_else(|| {
        Problem(
            StatusCode::NOT_FOUND,
            format!("There is no review queue «{queue}»: the queues are {}.", REVIEW_QUEUES.join(", ")),
        )
    })
}

/// Whether a queue lists events (else institutions).
fn of_events(queue: &str) -> bool {
    matches!(queue, "one-party" | "single-source" | "undated")
}

#[derive(Template)]
#[template(path = "review_index.html")]
struct QueuesPage {
    title: String,
    visitor: Visitor,
    queues: Vec<(String, usize, String)>,
}

async fn queues(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let queues = state.with(|s| s.review_queue()).await?;
    Ok(render(&QueuesPage {
        title: "Review".into(),
        visitor,
        queues,
    }))
}

#[derive(Template)]
#[template(path = "review.html")]
struct QueuePage {
    title: String,
    visitor: Visitor,
    queue: &'static str,
    page: ReviewPage,
    events: bool,
    offset: usize,
    showing: String,
    next_page: Option<String>,
    previous_page: Option<String>,
    queues: Vec<(String, usize, String)>,
}

impl QueuePage {
    fn title_of(&self, e: &accord_store::EventRow) -> String {
        crate::present::event_title(e)
    }
}

#[derive(Deserialize, Default)]
struct Offset {
    #[serde(default, deserialize_with = "accord_store::whole_number")]
    offset: Option<usize>,
}

async fn queue(State(state): State<AppState>, headers: HeaderMap, Path(name): Path<String>, Params(o): Params<Offset>) -> PageResult {
    let queue = known(&name)?;
    let offset = o.offset.unwrap_or(0);
    if offset > accord_store::MAX_OFFSET {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            format!("offset: at most {}", accord_store::MAX_OFFSET),
        ));
    }
    let (page, queues) = state.with(move |s| Ok((s.review(queue, PAGE, offset)?, s.review_queue()?))).await?;
    if page.items.is_empty() && offset > 0 {
        // Decided rows left the queue and this page with them: its start.
        return Ok(axum::response::Redirect::to(&format!("/review/{queue}")).into_response());
    }
    let visitor = visitor(&state, &headers).await;
    let link = |at: usize| {
        if at == 0 {
            format!("/review/{queue}")
        } else {
            format!("/review/{queue}?offset={at}")
        }
    };
    let showing = if page.items.is_empty() {
        String::new()
    } else {
        format!("{}–{} of {}", offset + 1, offset + page.items.len(), page.total)
    };
    Ok(render(&QueuePage {
        title: format!(
            "Review: {}",
            queues.iter().find(|q| q.2.ends_with(queue)).map_or(queue, |q| q.0.as_str())
        ),
        visitor,
        queue,
        events: of_events(queue),
        next_page: (offset + PAGE < page.total).then(|| link(offset + PAGE)),
        previous_page: (offset > 0).then(|| link(offset.saturating_sub(PAGE))),
        page,
        offset,
        showing,
        queues,
    }))
}

/// A decision form: its fields, read by hand because one (`id`) repeats.
#[derive(Debug, Default, PartialEq)]
struct Decision {
    csrf: String,
    /// Rows ticked.
    ids: Vec<i64>,
    /// A row's own button: `confirmed:12`.
    row: Option<(String, i64)>,
    /// A bulk button: `confirmed` or `rejected`.
    bulk: Option<String>,
    sure: bool,
    offset: usize,
}

/// Reads a decision form; a field that is not what the form sends is an
/// error naming it.
fn read_decision(body: &[u8]) -> Result<Decision, String> {
    let mut d = Decision::default();
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "csrf" => d.csrf = v.into_owned(),
            "id" => d.ids.push(v.parse().map_err(|_| format!("«{v}» is not a row id"))?),
            "row" => {
                let (status, id) = v.split_once(':').ok_or_else(|| format!("«{v}» is not a row decision"))?;
                d.row = Some((status.to_string(), id.parse().map_err(|_| format!("«{id}» is not a row id"))?));
            }
            "bulk" => d.bulk = Some(v.into_owned()),
            "sure" => d.sure = v == "yes",
            "offset" => d.offset = v.parse().map_err(|_| format!("«{v}» is not an offset"))?,
            _ => {}
        }
    }
    d.ids.sort_unstable();
    d.ids.dedup();
    Ok(d)
}

async fn decide(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> PageResult {
    let queue = known(&name)?;
    let d = read_decision(&body).map_err(|e| Problem(StatusCode::BAD_REQUEST, format!("This form cannot be read: {e}.")))?;
    let back = if d.offset == 0 {
        format!("/review/{queue}")
    } else {
        format!("/review/{queue}?offset={}", d.offset)
    };
    let user = match authorize(&state, &headers, &d.csrf, &back, false).await? {
        Authorized::SignIn(r) => return Ok(r),
        Authorized::User(u) => u,
    };
    let (status, ids, one) = match (&d.row, &d.bulk) {
        (Some((status, id)), _) => (status.clone(), vec![*id], true),
        (None, Some(status)) => (status.clone(), d.ids.clone(), false),
        (None, None) => return Err(Problem(StatusCode::BAD_REQUEST, "Choose Confirm or Reject.".into())),
    };
    if !matches!(status.as_str(), "confirmed" | "rejected") {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            format!("«{status}» is not a decision: use confirmed or rejected."),
        ));
    }
    if ids.is_empty() {
        return Ok(crate::notice::redirect(&state, &client, &back, "Tick the rows to decide on first."));
    }
    if ids.len() > MAX_BULK {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            format!("At most {MAX_BULK} rows are decided at once."),
        ));
    }
    let what = if of_events(queue) { "event" } else { "institution" };
    if (status == "rejected" || !one) && !d.sure {
        let verb = if status == "rejected" { "Reject" } else { "Confirm" };
        let mut fields = vec![("csrf".to_string(), d.csrf.clone()), ("offset".to_string(), d.offset.to_string())];
        match &d.row {
            Some((s, id)) => fields.push(("row".into(), format!("{s}:{id}"))),
            None => {
                fields.push(("bulk".into(), status.clone()));
                fields.extend(ids.iter().map(|id| ("id".to_string(), id.to_string())));
            }
        }
        let leaves = if status == "rejected" {
            " Rejected rows leave counts, listings and search."
        } else {
            ""
        };
        let items = ids.iter().map(|id| format!("{what} {id}")).collect();
        return Ok(confirm_page(
            visitor(&state, &headers).await,
            format!("{verb} {} {what}{}?{leaves}", ids.len(), if ids.len() == 1 { "" } else { "s" }),
            items,
            &format!("/review/{queue}/decide"),
            fields,
            &format!("{verb} {}", ids.len()),
            &back,
        ));
    }
    let changes = ids
        .iter()
        .map(|&id| {
            let status = Some(status.clone());
            if of_events(queue) {
                Curation::SetEventStatus { id, status }
            } else {
                Curation::SetInstitutionStatus { id, status }
            }
        })
        .collect();
    let done = format!(
        "{} {} {what}{}.",
        if status == "rejected" { "Rejected" } else { "Confirmed" },
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    );
    Ok(apply(&state, &client, user, changes, back, done).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_forms_are_read_with_their_repeated_ids() {
        let d = read_decision(b"csrf=ab&id=3&id=1&id=3&bulk=rejected&offset=50").unwrap();
        assert_eq!(
            (d.ids, d.bulk.as_deref(), d.offset, d.sure),
            (vec![1, 3], Some("rejected"), 50, false)
        );
        let d = read_decision(b"csrf=ab&row=confirmed%3A12&sure=yes").unwrap();
        assert_eq!((d.row, d.sure), (Some(("confirmed".to_string(), 12)), true));
        assert_eq!(read_decision(b"id=x").unwrap_err(), "«x» is not a row id");
        assert_eq!(read_decision(b"row=confirmed").unwrap_err(), "«confirmed» is not a row decision");
    }
}
