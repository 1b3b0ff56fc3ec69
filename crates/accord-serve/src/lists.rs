//! The institutions and events lists: the registry's listings with their
//! filters (country, type, dates, field, words), page by page, and links
//! to download what the list shows, with the same filters (`downloads.rs`).

use crate::api::invalid;
use crate::auth::{visitor, Visitor};
use crate::errors::{Params, Problem};
use crate::pages::{encode_query, render, PageResult};
use crate::{countries, AppState};
use accord_store::{whole_number, EventRow, Filter, InstitutionRow, Listing, Store};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

/// Rows per page of a list.
const PAGE: usize = 50;

/// Routes of the lists.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/institutions", get(institutions))
        .route("/events", get(events))
}

/// The filters of a list, as the address carries them.
#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    country: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    since: Option<String>,
    until: Option<String>,
    field: Option<String>,
    text: Option<String>,
    #[serde(default, deserialize_with = "whole_number")]
    offset: Option<usize>,
}

impl ListQuery {
    /// The filters given, as (name, value), empty ones left out.
    fn given(&self) -> Vec<(&'static str, String)> {
        [
            ("country", &self.country),
            ("type", &self.kind),
            ("since", &self.since),
            ("until", &self.until),
            ("field", &self.field),
            ("text", &self.text),
        ]
        .into_iter()
        .filter_map(|(n, v)| v.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).map(|v| (n, v)))
        .collect()
    }

    /// The store's filter for one page (one row more, to know whether another page follows).
    fn filter(&self, listing: Listing) -> Result<Filter, Problem> {
        let given = self.given();
        let get = |name: &str| given.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        let filter = Filter {
            country: get("country").map(|c| c.to_ascii_uppercase()),
            kind: get("type"),
            since: get("since"),
            until: get("until"),
            field: get("field"),
            text: get("text"),
            limit: Some(PAGE + 1),
            offset: self.offset,
            ..Filter::default()
        };
        filter.check(listing).map_err(invalid)?;
        Ok(filter)
    }
}

/// What both lists show around their rows: the filters, paging, downloads.
struct ListFrame {
    /// The filters given, for the form.
    given: Vec<(&'static str, String)>,
    /// "1–50".
    showing: String,
    previous: Option<String>,
    next: Option<String>,
    /// (label, link) of each download.
    downloads: Vec<(&'static str, String)>,
    /// The values the type filter offers.
    types: &'static [&'static str],
}

impl ListFrame {
    fn new(path: &str, what: &str, q: &ListQuery, rows: usize, types: &'static [&'static str]) -> ListFrame {
        let given = q.given();
        let offset = q.offset.unwrap_or(0);
        let link = |offset: usize| {
            let mut params = given.clone();
            if offset > 0 {
                params.push(("offset", offset.to_string()));
            }
            format!("{path}?{}", encode_query(&params))
        };
        let downloads = ["csv", "jsonl"]
            .into_iter()
            .map(|format| {
                let mut params = given.clone();
                params.push(("format", format.to_string()));
                let label = if format == "csv" { "CSV" } else { "JSON Lines" };
                (label, format!("/api/v1/export/{what}?{}", encode_query(&params)))
            })
            .collect();
        ListFrame {
            showing: if rows == 0 {
                String::new()
            } else {
                format!("{}–{}", offset + 1, offset + rows.min(PAGE))
            },
            previous: (offset > 0).then(|| link(offset.saturating_sub(PAGE))),
            next: (rows > PAGE).then(|| link(offset + PAGE)),
            given,
            downloads,
            types,
        }
    }

    /// The value given for filter `name`, or "".
    fn value(&self, name: &str) -> String {
        self.given
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "institutions_list.html")]
struct InstitutionsPage {
    title: String,
    visitor: Visitor,
    frame: ListFrame,
    rows: Vec<InstitutionRow>,
}

impl InstitutionsPage {
    fn country(&self, code: &str) -> String {
        countries::name(code)
    }
}

async fn institutions(State(state): State<AppState>, headers: HeaderMap, Params(q): Params<ListQuery>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let f = q.filter(Listing::Institutions)?;
    let mut rows = state.with(move |s| s.institutions(&f)).await?;
    let frame = ListFrame::new("/institutions", "institutions", &q, rows.len(), accord_store::INSTITUTION_KINDS);
    rows.truncate(PAGE);
    Ok(render(&InstitutionsPage {
        title: "Institutions".into(),
        visitor,
        frame,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "events_list.html")]
struct EventsPage {
    title: String,
    visitor: Visitor,
    frame: ListFrame,
    events: Vec<EventRow>,
}

async fn events(State(state): State<AppState>, headers: HeaderMap, Params(q): Params<ListQuery>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let f = q.filter(Listing::Events)?;
    let mut events = state.with(move |s| s.events(&f)).await?;
    let frame = ListFrame::new("/events", "events", &q, events.len(), accord_store::EVENT_TYPES);
    events.truncate(PAGE);
    Ok(render(&EventsPage {
        title: "Events".into(),
        visitor,
        frame,
        events,
    }))
}
