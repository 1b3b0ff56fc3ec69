//! What the search index reads of each entity, and the aggregates the web
//! pages show: the map and events per year (the network is `network.rs`,
//! the review queues `review.rs`).

use super::Query;
use crate::index::IndexRow;
use crate::{CountryLink, CountryMap, CountryStat, Filter};
use anyhow::Result;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

/// An entity as the search index holds it; `None` when it is gone (or a
/// rejected event or institution, which search no longer shows).
pub fn index_row(conn: &Connection, kind: &str, id: i64) -> Result<Option<IndexRow>> {
    let (kind, sql): (&'static str, &str) = match kind {
        "institution" => (
            "institution",
            "SELECT i.name, COALESCE((SELECT group_concat(name, ' · ') FROM institution_names WHERE institution_id = i.id), '') \
             || ' ' || COALESCE(i.city, ''), i.kind, i.country, NULL, \
             (SELECT d.language FROM org_mentions m JOIN documents d ON d.id = m.document_id WHERE m.institution_id = i.id LIMIT 1), \
             NULL FROM institutions i WHERE i.id = ?1 AND i.status IS NOT 'rejected'",
        ),
        "event" => (
            "event",
            "SELECT e.type || ': ' || COALESCE((SELECT group_concat(i.name, ' · ') FROM event_parties p JOIN institutions i \
             ON i.id = p.institution_id WHERE p.event_id = e.id), ''), \
             COALESCE((SELECT group_concat(evidence, ' ') FROM event_sources WHERE event_id = e.id), ''), e.type, \
             COALESCE(e.country, (SELECT i.country FROM event_parties p JOIN institutions i ON i.id = p.institution_id \
             WHERE p.event_id = e.id AND i.country IS NOT NULL LIMIT 1)), e.date, \
             (SELECT d.language FROM event_sources s JOIN documents d ON d.id = s.document_id WHERE s.event_id = e.id LIMIT 1), \
             (SELECT group_concat(field, '|') FROM event_fields WHERE event_id = e.id) FROM events e \
             WHERE e.id = ?1 AND (e.status IS NULL OR e.status != 'rejected')",
        ),
        "person" => (
            "person",
            "SELECT p.name, COALESCE((SELECT group_concat(titles, ' ') FROM person_mentions WHERE person_id = p.id), '') || ' ' || \
             COALESCE(i.name, ''), NULL, i.country, NULL, \
             (SELECT d.language FROM person_mentions m JOIN documents d ON d.id = m.document_id WHERE m.person_id = p.id LIMIT 1), \
             NULL FROM people p LEFT JOIN institutions i ON i.id = p.institution_id WHERE p.id = ?1",
        ),
        _ => (
            "document",
            "SELECT COALESCE(d.title, d.doc), d.text, NULL, NULL, d.published, d.language, NULL FROM documents d WHERE d.id = ?1",
        ),
    };
    let mut st = conn.prepare_cached(sql)?;
    let row = st
        .query_row([id], |r| {
            Ok(IndexRow {
                kind,
                id,
                title: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                body: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                subtype: r.get(2)?,
                country: r.get(3)?,
                date: r.get(4)?,
                lang: r.get(5)?,
                fields: r
                    .get::<_, Option<String>>(6)?
                    .map(|f| f.split('|').filter(|f| !f.is_empty()).map(str::to_lowercase).collect())
                    .unwrap_or_default(),
            })
        })
        .optional()?;
    Ok(row)
}

/// The events a filter keeps, as a SQL subquery with its parameters.
pub(super) fn filtered_events(f: &Filter) -> (String, Vec<String>) {
    let mut q = Query::new("SELECT e.id FROM events e WHERE (e.status IS NULL OR e.status != 'rejected')");
    if let Some(k) = &f.kind {
        q.and("e.type = ?", [k.to_lowercase()]);
    }
    q.event_dates_and_field(f);
    (q.sql, q.params)
}

/// Cooperation by country.
pub fn country_map(conn: &Connection, f: &Filter) -> Result<CountryMap> {
    let (events, params) = filtered_events(f);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT i.country, COUNT(DISTINCT p.event_id), COUNT(DISTINCT i.id) FROM event_parties p \
         JOIN ev ON ev.id = p.event_id JOIN institutions i ON i.id = p.institution_id WHERE i.country IS NOT NULL \
         GROUP BY i.country ORDER BY 2 DESC"
    ))?;
    let countries = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(CountryStat {
                code: r.get(0)?,
                events: r.get::<_, i64>(1)? as usize,
                institutions: r.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT min(a.country, b.country), max(a.country, b.country), COUNT(DISTINCT pa.event_id) \
         FROM event_parties pa JOIN event_parties pb ON pb.event_id = pa.event_id AND pb.institution_id > pa.institution_id \
         JOIN ev ON ev.id = pa.event_id JOIN institutions a ON a.id = pa.institution_id JOIN institutions b ON b.id = pb.institution_id \
         WHERE a.country IS NOT NULL AND b.country IS NOT NULL AND a.country != b.country GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 300"
    ))?;
    let links = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(CountryLink {
                a: r.get(0)?,
                b: r.get(1)?,
                weight: r.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CountryMap { countries, links })
}

/// Events per year, rejected ones left out.
pub fn events_per_year(conn: &Connection) -> Result<Vec<(String, usize)>> {
    let mut st = conn.prepare(
        "SELECT substr(date, 1, 4) y, COUNT(*) FROM events WHERE date GLOB '[0-9][0-9][0-9][0-9]*' \
         AND (status IS NULL OR status != 'rejected') GROUP BY y ORDER BY y",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
