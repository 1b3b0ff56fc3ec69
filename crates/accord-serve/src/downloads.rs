//! Downloads of what a page shows, with its filters: the institutions or
//! events of a listing as CSV or JSON Lines, the network as CSV (its links),
//! JSON Lines (its institutions, then its links) or GEXF. The tables are `accord export`'s (`accord_store::export`); a
//! list stops at [`MAX_ROWS`] rows and the network at
//! [`accord_store::MAX_EDGES`] links, and the `Accord-Note` header says so
//! when a download was cut.

use crate::api::ListParams;
use crate::errors::{Params, Problem};
use crate::network_api::{cut_note, ego_network, NetworkParams};
use crate::AppState;
use accord_store::export::{events_csv, gexf, institutions_csv, network_csv, tagged};
use accord_store::{Filter, Listing, Store};
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Write;

/// Most rows a list download carries.
pub const MAX_ROWS: usize = 100_000;

/// Routes of the downloads.
pub fn routes() -> Router<AppState> {
    Router::new().route("/export/{what}", get(download))
}

/// `?format=`: csv, jsonl or gexf.
#[derive(Deserialize, Default)]
struct FormatParam {
    format: Option<String>,
}

/// What a download holds, and the formats it comes in.
#[derive(Clone, Copy, PartialEq)]
enum What {
    Institutions,
    Events,
    Network,
}

impl What {
    fn parse(s: &str) -> Result<What, Problem> {
        match s {
            "institutions" => Ok(What::Institutions),
            "events" => Ok(What::Events),
            "network" => Ok(What::Network),
            other => Err(Problem(
                StatusCode::NOT_FOUND,
                format!("There is no download «{other}»: use institutions, events or network."),
            )),
        }
    }

    fn formats(self) -> &'static [&'static str] {
        match self {
            What::Network => &["csv", "gexf", "jsonl"],
            _ => &["csv", "jsonl"],
        }
    }
}

/// The answer: the bytes with their type, a file name, and the note when cut.
fn file(name: &str, format: &str, body: Vec<u8>, note: Option<String>) -> Response {
    let kind = match format {
        "csv" => "text/csv; charset=utf-8",
        "jsonl" => "application/x-ndjson",
        _ => "application/gexf+xml",
    };
    let mut r = (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{format}\"")),
        ],
        body,
    )
        .into_response();
    if let Some(v) = note.and_then(|n| HeaderValue::from_str(&n).ok()) {
        r.headers_mut().insert(HeaderName::from_static("accord-note"), v);
    }
    r
}

fn written(e: anyhow::Error) -> Problem {
    Problem::from(e.context("writing a download"))
}

/// `GET /api/v1/export/{institutions|events|network}?format=…` with the
/// filters of the listing or of the network.
async fn download(
    State(state): State<AppState>,
    Path(what): Path<String>,
    Params(fmt): Params<FormatParam>,
    Params(list): Params<ListParams>,
    Params(net): Params<NetworkParams>,
) -> Result<Response, Problem> {
    let what = What::parse(&what)?;
    let format = fmt.format.unwrap_or_else(|| "csv".into()).to_ascii_lowercase();
    if !what.formats().contains(&format.as_str()) {
        return Err(Problem(
            StatusCode::BAD_REQUEST,
            format!(
                "Query parameter format: «{format}» is not offered here: use {}.",
                what.formats().join(" or ")
            ),
        ));
    }
    let mut out: Vec<u8> = Vec::new();
    match what {
        What::Network => {
            if net.countries()? {
                return Err(Problem(
                    StatusCode::BAD_REQUEST,
                    "Query parameter level: the download holds the network of institutions; for countries use /api/v1/countries.".into(),
                ));
            }
            let q = net.query()?;
            let events_filter = Filter {
                limit: None,
                ..q.filter.clone()
            };
            let n = ego_network(&state, q).await?;
            let note = cut_note(&n);
            if format == "csv" {
                network_csv(&mut out, &n).map_err(written)?;
            } else if format == "jsonl" {
                for node in &n.nodes {
                    writeln!(out, "{}", tagged("institution", node).map_err(written)?).map_err(|e| written(e.into()))?;
                }
                for edge in &n.edges {
                    writeln!(out, "{}", tagged("link", edge).map_err(written)?).map_err(|e| written(e.into()))?;
                }
            } else {
                let types: HashMap<i64, String> = state
                    .with(move |s| Ok(s.events(&events_filter)?.into_iter().map(|e| (e.id, e.event_type)).collect()))
                    .await?;
                gexf(&mut out, &n, &types).map_err(written)?;
            }
            Ok(file("network", &format, out, note))
        }
        What::Institutions | What::Events => {
            let listing = if what == What::Events {
                Listing::Events
            } else {
                Listing::Institutions
            };
            let filter = Filter {
                limit: Some(MAX_ROWS + 1),
                offset: None,
                ..list.filter(listing)?
            };
            let name = if what == What::Events { "events" } else { "institutions" };
            let note = |n: usize| {
                (n > MAX_ROWS).then(|| format!("Only the first {MAX_ROWS} {name} are in this download; narrow it with the filters."))
            };
            if what == What::Events {
                let mut rows = state.with(move |s| s.events(&filter)).await?;
                let note = note(rows.len());
                rows.truncate(MAX_ROWS);
                if format == "csv" {
                    events_csv(&mut out, &rows).map_err(written)?;
                } else {
                    for r in &rows {
                        writeln!(out, "{}", tagged("event", r).map_err(written)?).map_err(|e| written(e.into()))?;
                    }
                }
                Ok(file(name, &format, out, note))
            } else {
                let mut rows = state.with(move |s| s.institutions(&filter)).await?;
                let note = note(rows.len());
                rows.truncate(MAX_ROWS);
                if format == "csv" {
                    institutions_csv(&mut out, &rows).map_err(written)?;
                } else {
                    for r in &rows {
                        writeln!(out, "{}", tagged("institution", r).map_err(written)?).map_err(|e| written(e.into()))?;
                    }
                }
                Ok(file(name, &format, out, note))
            }
        }
    }
}
