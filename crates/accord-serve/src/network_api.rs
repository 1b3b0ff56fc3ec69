//! The network and map answers of the API: `/network` (institutions or
//! countries, filtered by event type, years, field, institution kind,
//! least shared events, or around one institution), `/countries` (the map)
//! and an institution's `/institutions/{id}/profile` and `/countries`.

use crate::api::{invalid, ApiResult};
use crate::errors::{Id, Params, Problem};
use crate::AppState;
use accord_store::{whole_number, CountryMap, Filter, Listing, Network, NetworkQuery, Store, MAX_DEPTH};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// Routes of the network and map answers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/network", get(network))
        .route("/countries", get(countries))
        .route("/institutions/{id}/profile", get(profile))
        .route("/institutions/{id}/countries", get(partner_countries))
}

/// Most nodes a network answer carries (the default is 2,000).
pub const MAX_NODES: usize = 5000;
/// Largest least weight accepted: no two institutions share more events.
const MAX_MIN_WEIGHT: usize = 10_000;

/// Query parameters of the network and the map.
#[derive(Deserialize, Default)]
pub(crate) struct NetworkParams {
    level: Option<String>,
    year: Option<String>,
    since: Option<String>,
    until: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    kind: Option<String>,
    field: Option<String>,
    #[serde(default, deserialize_with = "whole_number")]
    min_weight: Option<usize>,
    #[serde(default, deserialize_with = "whole_number")]
    ego: Option<usize>,
    #[serde(default, deserialize_with = "whole_number")]
    depth: Option<usize>,
    #[serde(default, deserialize_with = "whole_number")]
    limit: Option<usize>,
}

fn bad(message: String) -> Problem {
    Problem(StatusCode::BAD_REQUEST, message)
}

impl NetworkParams {
    /// Whether the countries are asked for rather than the institutions.
    pub(crate) fn countries(&self) -> Result<bool, Problem> {
        match self.level.as_deref().filter(|l| !l.is_empty()) {
            None | Some("institutions") => Ok(false),
            Some("countries") => Ok(true),
            Some(other) => Err(bad(format!(
                "Query parameter level: «{other}» is not a level: use institutions or countries."
            ))),
        }
    }

    /// The events' filter, checked: `year` (or `since`/`until`) dates,
    /// `type` an event type, `field` a medical field.
    pub(crate) fn filter(&self) -> Result<Filter, Problem> {
        let empty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let year = empty(&self.year);
        if let Some(y) = year.as_deref().filter(|y| y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad(format!(
                "Query parameter year: «{y}» is not a year: use four digits, e.g. 2024."
            )));
        }
        if year.is_some() && (empty(&self.since).is_some() || empty(&self.until).is_some()) {
            return Err(bad("Query parameter year: give either year or since/until, not both.".into()));
        }
        let filter = Filter {
            kind: empty(&self.event_type),
            field: empty(&self.field),
            since: year.clone().or(empty(&self.since)),
            until: year.or(empty(&self.until)),
            limit: Some(self.limit.unwrap_or(2000).min(MAX_NODES)),
            ..Filter::default()
        };
        filter.check(Listing::Events).map_err(invalid)?;
        Ok(filter)
    }

    /// The whole network query: the events' filter, least weight, kind, ego.
    pub(crate) fn query(&self) -> Result<NetworkQuery, Problem> {
        let filter = self.filter()?;
        let min_weight = self.min_weight.unwrap_or(1);
        if !(1..=MAX_MIN_WEIGHT).contains(&min_weight) {
            return Err(bad(format!(
                "Query parameter min_weight: {min_weight} is out of range: use 1 to {MAX_MIN_WEIGHT} shared events."
            )));
        }
        let kind = self.kind.clone().filter(|k| !k.trim().is_empty());
        if let Some(k) = &kind {
            Filter {
                kind: Some(k.clone()),
                ..Filter::default()
            }
            .check(Listing::Institutions)
            .map_err(|e| bad(format!("Query parameter kind: {}.", e.message)))?;
        }
        if self.depth.is_some() && self.ego.is_none() {
            return Err(bad("Query parameter depth: it counts steps from ego: give ego too.".into()));
        }
        let depth = self.depth.unwrap_or(1);
        if !(1..=MAX_DEPTH).contains(&depth) {
            return Err(bad(format!(
                "Query parameter depth: {depth} is out of range: use 1 to {MAX_DEPTH} steps."
            )));
        }
        let ego = match self.ego {
            Some(e) => Some(i64::try_from(e).map_err(|_| bad(format!("Query parameter ego: {e} is not an institution id.")))?),
            None => None,
        };
        Ok(NetworkQuery {
            filter,
            min_weight,
            kind,
            ego,
            depth,
        })
    }

    /// Refuses the institution filters on a map of countries.
    fn countries_only(&self) -> Result<(), Problem> {
        let given = [
            ("kind", self.kind.as_ref().is_some_and(|k| !k.is_empty())),
            ("min_weight", self.min_weight.is_some()),
            ("ego", self.ego.is_some()),
            ("depth", self.depth.is_some()),
        ];
        match given.iter().find(|(_, on)| *on) {
            Some((name, _)) => Err(bad(format!(
                "Query parameter {name}: it filters institutions, not countries: leave it out or use level=institutions."
            ))),
            None => Ok(()),
        }
    }
}

/// The network with a note when it was cut.
pub(crate) fn cut_note(n: &Network) -> Option<String> {
    (!n.complete).then(|| {
        format!(
            "Only the {} strongest links are shown; narrow the network with type, since, until, field, kind or min_weight.",
            accord_store::MAX_EDGES
        )
    })
}

/// The network as the drawing wants it: string ids, labels, weights, and
/// each node's kind, country and events for the legend and side panel.
async fn network(State(state): State<AppState>, Params(p): Params<NetworkParams>) -> ApiResult {
    if p.countries()? {
        p.countries_only()?;
        let f = p.filter()?;
        let map = state.with(move |s| s.country_map(&f)).await?;
        return Ok(Json(countries_graph(&map)));
    }
    let n = ego_network(&state, p.query()?).await?;
    Ok(Json(institutions_graph(&n)))
}

/// The network of `q`; a 404 when its ego is no institution (an ego
/// network always holds its ego, so only an unknown one gives no node).
pub(crate) async fn ego_network(state: &AppState, q: NetworkQuery) -> Result<Network, Problem> {
    let ego = q.ego;
    let n = state.with(move |s| s.network_view(&q)).await?;
    match ego {
        Some(ego) if n.nodes.is_empty() => Err(Problem(
            StatusCode::NOT_FOUND,
            format!("Query parameter ego: there is no institution {ego}."),
        )),
        _ => Ok(n),
    }
}

fn countries_graph(map: &CountryMap) -> Value {
    let nodes: Vec<Value> = map
        .countries
        .iter()
        .map(|c| {
            json!({ "id": format!("c-{}", c.code), "label": crate::countries::name(&c.code), "country": c.code,
                    "kind": null, "weight": c.events, "institutions": c.institutions })
        })
        .collect();
    let edges: Vec<Value> = map
        .links
        .iter()
        .map(|l| json!({ "source": format!("c-{}", l.a), "target": format!("c-{}", l.b), "weight": l.weight }))
        .collect();
    json!({ "nodes": nodes, "edges": edges, "complete": true, "note": null })
}

fn institutions_graph(n: &Network) -> Value {
    let nodes: Vec<Value> = n
        .nodes
        .iter()
        .map(|i| {
            json!({ "id": format!("i{}", i.id), "label": i.name, "country": i.country, "kind": i.kind,
                    "city": i.city, "weight": i.events })
        })
        .collect();
    let edges: Vec<Value> = n
        .edges
        .iter()
        .map(|e| json!({ "source": format!("i{}", e.source), "target": format!("i{}", e.target), "weight": e.events.len() }))
        .collect();
    json!({ "nodes": nodes, "edges": edges, "complete": n.complete, "note": cut_note(n) })
}

async fn countries(State(state): State<AppState>, Params(p): Params<NetworkParams>) -> ApiResult {
    p.countries()?;
    p.countries_only()?;
    let f = Filter {
        limit: None,
        ..p.filter()?
    };
    Ok(Json(
        serde_json::to_value(state.with(move |s| s.country_map(&f)).await?).map_err(anyhow::Error::from)?,
    ))
}

async fn profile(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    match state.with(move |s| s.institution_profile(id)).await? {
        Some(p) => Ok(Json(serde_json::to_value(p).map_err(anyhow::Error::from)?)),
        None => Err(Problem(StatusCode::NOT_FOUND, "no institution with this id".into())),
    }
}

/// The countries of an institution's partners, in the map's shape.
async fn partner_countries(State(state): State<AppState>, Id(id): Id) -> ApiResult {
    match state.with(move |s| s.institution_profile(id)).await? {
        Some(p) => Ok(Json(
            serde_json::to_value(CountryMap {
                countries: p.partner_countries,
                links: Vec::new(),
            })
            .map_err(anyhow::Error::from)?,
        )),
        None => Err(Problem(StatusCode::NOT_FOUND, "no institution with this id".into())),
    }
}
