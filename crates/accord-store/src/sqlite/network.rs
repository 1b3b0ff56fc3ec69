//! The network as the network page asks for it: links of a least weight,
//! institutions of one kind, or the neighbourhood of one institution up to
//! a few steps, all over the events a filter keeps and under the same
//! bounds as the whole network (`filter.limit` nodes, [`MAX_EDGES`] links).

use super::search::filtered_events;
use crate::{Edge, InstitutionRow, Network, NetworkQuery, MAX_DEPTH, MAX_EDGES};
use anyhow::{Context, Result};
use rusqlite::{params_from_iter, Connection};
use std::collections::{HashMap, HashSet};

/// The network of `q`: see [`NetworkQuery`].
pub fn network_view(conn: &Connection, q: &NetworkQuery) -> Result<Network> {
    let (events, params) = filtered_events(&q.filter);
    let limit = q.filter.limit.unwrap_or(usize::MAX).min(1_000_000);
    let min_weight = q.min_weight.max(1);
    let ids = match q.ego {
        Some(ego) => ego_ids(conn, &events, &params, q, ego, limit).with_context(|| format!("the network around institution {ego}"))?,
        None => top_ids(conn, &events, &params, q, limit).context("the most active institutions")?,
    };
    let mut edges = links(conn, &events, &params, &ids, min_weight).context("the links of the network")?;
    let complete = edges.len() <= MAX_EDGES;
    edges.truncate(MAX_EDGES);
    edges.sort_by_key(|e| (e.source, e.target));
    let mut ids = ids;
    if min_weight > 1 || q.ego.is_some() {
        // An institution left without a link shows nothing of the network.
        let linked: HashSet<i64> = edges.iter().flat_map(|e| [e.source, e.target]).collect();
        ids.retain(|id| linked.contains(id) || Some(*id) == q.ego);
    }
    let nodes = rows(conn, &events, &params, &ids).context("the institutions of the network")?;
    Ok(Network { nodes, edges, complete })
}

/// `AND i.kind = ?` when the query asks for one kind, with its parameter.
fn kind_condition(q: &NetworkQuery) -> (&'static str, Option<String>) {
    match &q.kind {
        Some(k) => ("AND i.kind = ?", Some(k.to_lowercase())),
        None => ("", None),
    }
}

/// The `limit` institutions with the most events (of the kind asked).
fn top_ids(conn: &Connection, events: &str, params: &[String], q: &NetworkQuery, limit: usize) -> Result<Vec<i64>> {
    let (kind, kind_param) = kind_condition(q);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT i.id FROM event_parties p JOIN ev ON ev.id = p.event_id \
         JOIN institutions i ON i.id = p.institution_id WHERE 1 {kind} GROUP BY i.id \
         ORDER BY COUNT(DISTINCT p.event_id) DESC, i.id LIMIT {limit}"
    ))?;
    let all: Vec<String> = params.iter().cloned().chain(kind_param).collect();
    let rows = st.query_map(params_from_iter(all.iter()), |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each event's parties: (institution id, its kind).
type PartiesByEvent = HashMap<i64, Vec<(i64, Option<String>)>>;

/// The parties (institution, its kind) of each kept event that has one
/// of `ids` among its parties. The pairs are counted in Rust rather than
/// by a self-join in SQL, whose plan SQLite may make quadratic.
fn touching(conn: &Connection, events: &str, params: &[String], ids: &[i64]) -> Result<PartiesByEvent> {
    let mut st = conn.prepare_cached(&format!(
        "WITH ev AS ({events}), f AS (SELECT value id FROM json_each(?)), \
         hit AS (SELECT DISTINCT pa.event_id FROM event_parties pa JOIN ev ON ev.id = pa.event_id WHERE pa.institution_id IN f) \
         SELECT p.event_id, p.institution_id, i.kind FROM hit JOIN event_parties p ON p.event_id = hit.event_id \
         JOIN institutions i ON i.id = p.institution_id"
    ))?;
    let mut all: Vec<String> = params.to_vec();
    all.push(serde_json::to_string(ids)?);
    let mut by_event = PartiesByEvent::new();
    let rows = st.query_map(params_from_iter(all.iter()), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?))
    })?;
    for row in rows {
        let (event, institution, kind) = row?;
        by_event.entry(event).or_default().push((institution, kind));
    }
    Ok(by_event)
}

/// `ego` and the institutions within `q.depth` steps of it over links of
/// at least `q.min_weight`, nearest first and, in a step, the strongest
/// linked first, until `limit`.
fn ego_ids(conn: &Connection, events: &str, params: &[String], q: &NetworkQuery, ego: i64, limit: usize) -> Result<Vec<i64>> {
    let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM institutions WHERE id = ?)", [ego], |r| r.get(0))?;
    if !exists {
        return Ok(Vec::new());
    }
    let kind = q.kind.as_ref().map(|k| k.to_lowercase());
    let min_weight = q.min_weight.max(1);
    let mut seen: Vec<i64> = vec![ego];
    let mut known: HashSet<i64> = HashSet::from([ego]);
    let mut frontier = vec![ego];
    for _ in 0..q.depth.clamp(1, MAX_DEPTH) {
        if frontier.is_empty() || seen.len() >= limit {
            break;
        }
        let inside: HashSet<i64> = frontier.iter().copied().collect();
        // Events shared by each (frontier institution, new institution).
        let mut shared: HashMap<(i64, i64), usize> = HashMap::new();
        for parties in touching(conn, events, params, &frontier)?.values() {
            for (a, _) in parties.iter().filter(|(a, _)| inside.contains(a)) {
                for (b, b_kind) in parties {
                    let wanted = kind.is_none() || b_kind.as_deref() == kind.as_deref();
                    if !known.contains(b) && wanted {
                        *shared.entry((*a, *b)).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut strongest: HashMap<i64, usize> = HashMap::new();
        for ((_, b), w) in shared.into_iter().filter(|(_, w)| *w >= min_weight) {
            let best = strongest.entry(b).or_insert(0);
            *best = (*best).max(w);
        }
        let mut next: Vec<(i64, usize)> = strongest.into_iter().collect();
        next.sort_by_key(|&(id, w)| (std::cmp::Reverse(w), id));
        next.truncate(limit - seen.len());
        frontier = next.iter().map(|&(id, _)| id).collect();
        known.extend(&frontier);
        seen.extend(&frontier);
    }
    Ok(seen)
}

/// Links among `ids` sharing at least `min_weight` events, the strongest
/// first, at most one more than [`MAX_EDGES`] (so a cut can be told).
fn links(conn: &Connection, events: &str, params: &[String], ids: &[i64], min_weight: usize) -> Result<Vec<Edge>> {
    let kept: HashSet<i64> = ids.iter().copied().collect();
    let mut pairs: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
    for (event, parties) in touching(conn, events, params, ids)? {
        let mut members: Vec<i64> = parties.into_iter().map(|(id, _)| id).filter(|id| kept.contains(id)).collect();
        members.sort_unstable();
        members.dedup();
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                pairs.entry((*a, *b)).or_default().push(event);
            }
        }
    }
    let mut edges: Vec<Edge> = pairs
        .into_iter()
        .filter(|(_, events)| events.len() >= min_weight)
        .map(|((source, target), mut events)| {
            events.sort_unstable();
            Edge { source, target, events }
        })
        .collect();
    edges.sort_by(|a, b| {
        b.events
            .len()
            .cmp(&a.events.len())
            .then((a.source, a.target).cmp(&(b.source, b.target)))
    });
    edges.truncate(MAX_EDGES + 1);
    Ok(edges)
}

/// The institutions `ids` with their events among those kept, most active first.
fn rows(conn: &Connection, events: &str, params: &[String], ids: &[i64]) -> Result<Vec<InstitutionRow>> {
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}), kept AS (SELECT value id FROM json_each(?)) \
         SELECT i.id, i.name, i.kind, i.country, i.city, i.ror_id, \
         (SELECT COUNT(DISTINCT p.event_id) FROM event_parties p JOIN ev ON ev.id = p.event_id WHERE p.institution_id = i.id) n \
         FROM institutions i WHERE i.id IN kept ORDER BY n DESC, i.id"
    ))?;
    let mut all: Vec<String> = params.to_vec();
    all.push(serde_json::to_string(ids)?);
    let rows = st.query_map(params_from_iter(all.iter()), |r| {
        Ok(InstitutionRow {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            country: r.get(3)?,
            city: r.get(4)?,
            ror_id: r.get(5)?,
            names: Vec::new(),
            documents: 0,
            events: r.get::<_, i64>(6)? as usize,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
