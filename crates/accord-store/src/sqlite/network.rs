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

/// `ego` and the institutions within `q.depth` steps of it over links of
/// at least `q.min_weight`, nearest first and, in a step, the strongest
/// linked first, until `limit`.
fn ego_ids(conn: &Connection, events: &str, params: &[String], q: &NetworkQuery, ego: i64, limit: usize) -> Result<Vec<i64>> {
    let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM institutions WHERE id = ?)", [ego], |r| r.get(0))?;
    if !exists {
        return Ok(Vec::new());
    }
    let (kind, kind_param) = kind_condition(q);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}), f AS (SELECT value id FROM json_each(?)) \
         SELECT pb.institution_id, COUNT(DISTINCT pa.event_id) w FROM event_parties pa \
         JOIN event_parties pb ON pb.event_id = pa.event_id AND pb.institution_id != pa.institution_id \
         JOIN ev ON ev.id = pa.event_id JOIN institutions i ON i.id = pb.institution_id \
         WHERE pa.institution_id IN f {kind} GROUP BY pa.institution_id, pb.institution_id HAVING w >= {}",
        q.min_weight.max(1)
    ))?;
    let mut seen: Vec<i64> = vec![ego];
    let mut known: HashSet<i64> = HashSet::from([ego]);
    let mut frontier = vec![ego];
    for _ in 0..q.depth.clamp(1, MAX_DEPTH) {
        if frontier.is_empty() || seen.len() >= limit {
            break;
        }
        let mut all: Vec<String> = params.to_vec();
        all.push(serde_json::to_string(&frontier)?);
        all.extend(kind_param.clone());
        let mut strongest: HashMap<i64, i64> = HashMap::new();
        let rows = st.query_map(params_from_iter(all.iter()), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, w) = row?;
            if !known.contains(&id) {
                let best = strongest.entry(id).or_insert(0);
                *best = (*best).max(w);
            }
        }
        let mut next: Vec<(i64, i64)> = strongest.into_iter().collect();
        next.sort_by_key(|&(id, w)| (-w, id));
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
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}), kept AS (SELECT value id FROM json_each(?)) \
         SELECT pa.institution_id, pb.institution_id, group_concat(DISTINCT pa.event_id) FROM event_parties pa \
         JOIN event_parties pb ON pb.event_id = pa.event_id AND pb.institution_id > pa.institution_id \
         JOIN ev ON ev.id = pa.event_id WHERE pa.institution_id IN kept AND pb.institution_id IN kept \
         GROUP BY 1, 2 HAVING COUNT(DISTINCT pa.event_id) >= {min_weight} ORDER BY COUNT(DISTINCT pa.event_id) DESC, 1, 2 LIMIT {}",
        MAX_EDGES + 1
    ))?;
    let mut all: Vec<String> = params.to_vec();
    all.push(serde_json::to_string(ids)?);
    let rows = st.query_map(params_from_iter(all.iter()), |r| {
        let ids: String = r.get(2)?;
        Ok(Edge {
            source: r.get(0)?,
            target: r.get(1)?,
            events: ids.split(',').filter_map(|x| x.parse().ok()).collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
