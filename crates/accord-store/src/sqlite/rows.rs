//! The rows the listings and detail views show, read by id.

use crate::{EventRow, Evidence, InstitutionRow, PersonRow};
use accord_model::Span;
use anyhow::Result;
use rusqlite::Connection;

pub(super) fn institution_row(conn: &Connection, id: i64) -> Result<InstitutionRow> {
    let mut row = conn.query_row(
        "SELECT name, kind, country, city, ror_id, \
         (SELECT COUNT(DISTINCT document_id) FROM org_mentions WHERE institution_id = ?1), \
         (SELECT COUNT(*) FROM event_parties p JOIN events e ON e.id = p.event_id WHERE p.institution_id = ?1 \
         AND e.status IS NOT 'rejected') FROM institutions WHERE id = ?1",
        [id],
        |r| {
            Ok(InstitutionRow {
                id,
                name: r.get(0)?,
                kind: r.get(1)?,
                country: r.get(2)?,
                city: r.get(3)?,
                ror_id: r.get(4)?,
                names: Vec::new(),
                documents: r.get::<_, i64>(5)? as usize,
                events: r.get::<_, i64>(6)? as usize,
            })
        },
    )?;
    let mut st = conn.prepare_cached("SELECT name FROM institution_names WHERE institution_id = ? ORDER BY rowid")?;
    row.names = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(row)
}

pub(super) fn event_row(conn: &Connection, id: i64) -> Result<EventRow> {
    let mut row = conn.query_row("SELECT type, date, city, country, status FROM events WHERE id = ?", [id], |r| {
        Ok(EventRow {
            id,
            event_type: r.get(0)?,
            date: r.get(1)?,
            city: r.get(2)?,
            country: r.get(3)?,
            status: r.get(4)?,
            parties: Vec::new(),
            fields: Vec::new(),
            sources: Vec::new(),
        })
    })?;
    let mut st = conn.prepare_cached(
        "SELECT i.id, i.name FROM event_parties p JOIN institutions i ON i.id = p.institution_id WHERE p.event_id = ? ORDER BY p.rowid",
    )?;
    row.parties = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached("SELECT field FROM event_fields WHERE event_id = ? ORDER BY field")?;
    row.fields = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached(
        "SELECT COALESCE(MIN(l.source_url), MIN(l.path)) FROM event_sources s JOIN document_locations l ON l.document_id = s.document_id \
         WHERE s.event_id = ? GROUP BY s.document_id ORDER BY s.document_id",
    )?;
    row.sources = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(row)
}

pub(super) fn person_row(conn: &Connection, id: i64) -> Result<PersonRow> {
    Ok(conn.query_row(
        "SELECT p.name, p.institution_id, i.name, (SELECT COUNT(DISTINCT document_id) FROM person_mentions WHERE person_id = p.id) \
         FROM people p LEFT JOIN institutions i ON i.id = p.institution_id WHERE p.id = ?",
        [id],
        |r| {
            let inst: Option<i64> = r.get(1)?;
            let inst_name: Option<String> = r.get(2)?;
            Ok(PersonRow {
                id,
                name: r.get(0)?,
                institution: inst.zip(inst_name),
                documents: r.get::<_, i64>(3)? as usize,
            })
        },
    )?)
}

/// The first path of a document, and its source URL.
pub(super) fn location(conn: &Connection, doc: i64) -> Result<(String, Option<String>)> {
    let mut st = conn.prepare_cached("SELECT path, source_url FROM document_locations WHERE document_id = ? ORDER BY path LIMIT 1")?;
    Ok(st.query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Evidence of mentions stored as (document, JSON spans, reason) rows.
pub(super) fn mention_evidence(conn: &Connection, sql: &str, id: i64) -> Result<Vec<Evidence>> {
    let mut st = conn.prepare(sql)?;
    type Row = (i64, String, String, Option<String>);
    let rows: Vec<Row> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (doc, spans, reason, local_id) in rows {
        let text: String = conn.query_row("SELECT text FROM documents WHERE id = ?", [doc], |r| r.get(0))?;
        let (path, source_url) = location(conn, doc)?;
        for span in serde_json::from_str::<Vec<Span>>(&spans).unwrap_or_default() {
            out.push(Evidence {
                document_id: doc,
                path: path.clone(),
                source_url: source_url.clone(),
                text: text.chars().skip(span.start).take(span.end - span.start).collect(),
                start: span.start,
                end: span.end,
                reason: reason.clone(),
                local_id: local_id.clone(),
            });
        }
    }
    Ok(out)
}
