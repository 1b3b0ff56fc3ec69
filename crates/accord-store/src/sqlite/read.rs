//! What the listings and detail views read: the summary, filtered lists of
//! institutions, events and people, one entity with its evidence, a document.

use super::links;
use super::query::{like, Query};
use super::rows::{event_row, institution_row, location, mention_evidence, person_row};
use crate::{DocumentRow, EventDetail, EventRow, Evidence, Filter, InstitutionDetail, InstitutionRow, PersonDetail, PersonRow, Summary};
use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};

pub(super) fn summary(conn: &Connection) -> Result<Summary> {
    let count = |sql: &str| -> Result<usize> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize) };
    let pairs = |sql: &str| -> Result<Vec<(String, usize)>> {
        let mut st = conn.prepare(sql)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok(Summary {
        documents: count("SELECT COUNT(*) FROM documents")?,
        institutions: count("SELECT COUNT(*) FROM institutions WHERE status IS NOT 'rejected'")?,
        institutions_in_ror: count("SELECT COUNT(*) FROM institutions WHERE ror_id IS NOT NULL")?,
        people: count("SELECT COUNT(*) FROM people")?,
        events: count("SELECT COUNT(*) FROM events WHERE status IS NOT 'rejected'")?,
        event_sources: count("SELECT COUNT(*) FROM event_sources")?,
        top_countries: pairs(
            "SELECT i.country, COUNT(DISTINCT p.event_id) n FROM event_parties p JOIN institutions i ON i.id = p.institution_id \
             JOIN events e ON e.id = p.event_id WHERE i.country IS NOT NULL AND e.status IS NOT 'rejected' \
             GROUP BY i.country ORDER BY n DESC, i.country LIMIT 10",
        )?,
        events_by_type: pairs("SELECT type, COUNT(*) n FROM events WHERE status IS NOT 'rejected' GROUP BY type ORDER BY n DESC, type")?,
        latest_events: events(
            conn,
            &Filter {
                limit: Some(5),
                ..Filter::default()
            },
        )?,
    })
}

pub(super) fn institutions(conn: &Connection, f: &Filter) -> Result<Vec<InstitutionRow>> {
    let mut q = Query::new(
        "SELECT i.id FROM institutions i \
         LEFT JOIN (SELECT p.institution_id, COUNT(*) n FROM event_parties p JOIN events e ON e.id = p.event_id \
         WHERE e.status IS NOT 'rejected' GROUP BY p.institution_id) ev ON ev.institution_id = i.id \
         WHERE 1",
    );
    if f.review.as_deref() != Some("all") {
        q.and("i.status IS NOT 'rejected'", []);
    }
    if let Some(c) = &f.country {
        q.and("i.country = ?", [c.to_ascii_uppercase()]);
    }
    if f.review.as_deref() == Some("no-country") {
        q.and("i.country IS NULL", []);
    }
    if let Some(k) = &f.kind {
        q.and("i.kind = ?", [k.to_lowercase()]);
    }
    if let Some(o) = &f.org {
        q.org("i.id", o);
    }
    if let Some(t) = &f.text {
        q.and(
            "EXISTS (SELECT 1 FROM institution_names n WHERE n.institution_id = i.id AND n.name LIKE ?)",
            [like(t)],
        );
    }
    if f.since.is_some() || f.until.is_some() || f.field.is_some() {
        let mut sub = Query::new("SELECT 1 FROM event_parties p JOIN events e ON e.id = p.event_id WHERE p.institution_id = i.id");
        sub.event_dates_and_field(f);
        q.and(&format!("EXISTS ({})", sub.sql), sub.params);
    }
    q.sql.push_str(" ORDER BY COALESCE(ev.n, 0) DESC, i.id");
    q.limit_offset(f.limit, f.offset);
    q.ids(conn)?.into_iter().map(|id| institution_row(conn, id)).collect()
}

pub(super) fn events(conn: &Connection, f: &Filter) -> Result<Vec<EventRow>> {
    let mut q = Query::new("SELECT e.id FROM events e WHERE 1");
    match f.review.as_deref() {
        Some("undated") => q.and("e.status IS NULL AND e.date IS NULL", []),
        Some("single-source") => q.and(
            "e.status IS NULL AND (SELECT COUNT(DISTINCT document_id) FROM event_sources s WHERE s.event_id = e.id) = 1",
            [],
        ),
        Some("all") => {}
        _ => q.and("(e.status IS NULL OR e.status != 'rejected')", []),
    }
    if let Some(k) = &f.kind {
        q.and("e.type = ?", [k.to_lowercase()]);
    }
    q.event_dates_and_field(f);
    if let Some(c) = &f.country {
        let c = c.to_ascii_uppercase();
        q.and(
            "(e.country = ? OR EXISTS (SELECT 1 FROM event_parties p JOIN institutions i ON i.id = p.institution_id \
             WHERE p.event_id = e.id AND i.country = ?))",
            [c.clone(), c],
        );
    }
    if let Some(o) = &f.org {
        match o.parse::<i64>() {
            Ok(id) => q.and(
                "EXISTS (SELECT 1 FROM event_parties p WHERE p.event_id = e.id AND p.institution_id = ?)",
                [id.to_string()],
            ),
            Err(_) => q.and(
                "EXISTS (SELECT 1 FROM event_parties p JOIN institution_names n ON n.institution_id = p.institution_id \
                 WHERE p.event_id = e.id AND n.name LIKE ?)",
                [like(o)],
            ),
        }
    }
    if let Some(t) = &f.text {
        q.and(
            "EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.evidence LIKE ?)",
            [like(t)],
        );
    }
    q.sql.push_str(" ORDER BY e.date IS NULL, e.date DESC, e.id DESC");
    q.limit_offset(f.limit, f.offset);
    q.ids(conn)?.into_iter().map(|id| event_row(conn, id)).collect()
}

pub(super) fn people(conn: &Connection, f: &Filter) -> Result<Vec<PersonRow>> {
    let mut q = Query::new("SELECT p.id FROM people p LEFT JOIN institutions i ON i.id = p.institution_id WHERE 1");
    if let Some(c) = &f.country {
        q.and("i.country = ?", [c.to_ascii_uppercase()]);
    }
    if let Some(o) = &f.org {
        q.org("p.institution_id", o);
    }
    if let Some(t) = &f.text {
        q.and("p.name LIKE ?", [like(t)]);
    }
    q.sql.push_str(" ORDER BY p.name, p.id");
    q.limit_offset(f.limit, f.offset);
    q.ids(conn)?.into_iter().map(|id| person_row(conn, id)).collect()
}

pub(super) fn institution(conn: &Connection, id: i64) -> Result<Option<InstitutionDetail>> {
    let ror_match: Option<(Option<String>, Option<f64>)> = conn
        .query_row("SELECT ror_match, ror_score FROM institutions WHERE id = ?", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some(ror_match) = ror_match else { return Ok(None) };
    let row = institution_row(conn, id)?;
    let mut st = conn.prepare(
        "SELECT o.institution_id, i.name, COUNT(*) n FROM event_parties p JOIN event_parties o ON o.event_id = p.event_id \
         AND o.institution_id != p.institution_id JOIN institutions i ON i.id = o.institution_id \
         WHERE p.institution_id = ? GROUP BY o.institution_id ORDER BY n DESC, i.name",
    )?;
    let partners = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize)))?
        .collect::<rusqlite::Result<_>>()?;
    let org = Some(id.to_string());
    let events = events(
        conn,
        &Filter {
            org: org.clone(),
            review: Some("all".to_string()),
            ..Filter::default()
        },
    )?;
    let people = people(conn, &Filter { org, ..Filter::default() })?;
    let mentions = mention_evidence(
        conn,
        "SELECT m.document_id, m.spans, m.reason, m.local_id FROM org_mentions m WHERE m.institution_id = ? ORDER BY m.document_id",
        id,
    )?;
    Ok(Some(InstitutionDetail {
        row,
        ror_match: match ror_match {
            (Some(m), Some(s)) => Some((m, s)),
            _ => None,
        },
        partners,
        events,
        people,
        mentions,
    }))
}

pub(super) fn event(conn: &Connection, id: i64) -> Result<Option<EventDetail>> {
    type Attrs = (Option<String>, Option<String>, Option<String>, Option<String>);
    let attrs: Option<Attrs> = conn
        .query_row(
            "SELECT subtype, initiative, mode, participants FROM events WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((subtype, initiative, mode, participants)) = attrs else {
        return Ok(None);
    };
    let mut st = conn.prepare(
        "SELECT s.document_id, s.evidence, s.evidence_start, s.evidence_end, s.reason, s.signatories \
         FROM event_sources s WHERE s.event_id = ? ORDER BY s.document_id, s.local_index",
    )?;
    let mut sources = Vec::new();
    let mut signatories: Vec<String> = Vec::new();
    let rows = st.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (doc, text, start, end, reason, signed) = row?;
        for s in serde_json::from_str::<Vec<String>>(&signed).unwrap_or_default() {
            if !signatories.contains(&s) {
                signatories.push(s);
            }
        }
        let (path, source_url) = location(conn, doc)?;
        sources.push(Evidence {
            document_id: doc,
            path,
            source_url,
            text,
            start: start as usize,
            end: end as usize,
            reason,
            local_id: None,
        });
    }
    Ok(Some(EventDetail {
        row: event_row(conn, id)?,
        subtype,
        initiative,
        mode,
        participants: participants.and_then(|p| serde_json::from_str(&p).ok()),
        signatories,
        sources,
    }))
}

pub(super) fn person(conn: &Connection, id: i64) -> Result<Option<PersonDetail>> {
    let exists: Option<i64> = conn
        .query_row("SELECT id FROM people WHERE id = ?", [id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut titles: Vec<String> = Vec::new();
    let mut st = conn.prepare("SELECT titles FROM person_mentions WHERE person_id = ?")?;
    for t in st.query_map([id], |r| r.get::<_, String>(0))? {
        for t in serde_json::from_str::<Vec<String>>(&t?).unwrap_or_default() {
            if !titles.contains(&t) {
                titles.push(t);
            }
        }
    }
    let mentions = mention_evidence(
        conn,
        "SELECT document_id, spans, reason, NULL FROM person_mentions WHERE person_id = ? ORDER BY document_id",
        id,
    )?;
    Ok(Some(PersonDetail {
        row: person_row(conn, id)?,
        titles,
        mentions,
    }))
}

pub(super) fn document(conn: &Connection, id: i64) -> Result<Option<DocumentRow>> {
    type Row = (String, Option<String>, Option<String>, String, String);
    let row: Option<Row> = conn
        .query_row(
            "SELECT doc, language, published, text, record FROM documents WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((doc, language, published, text, record)) = row else {
        return Ok(None);
    };
    let mut st = conn.prepare("SELECT path, source_url FROM document_locations WHERE document_id = ? ORDER BY path")?;
    let locations = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(DocumentRow {
        id,
        doc,
        language,
        published,
        text,
        locations,
        record: serde_json::from_str(&record).with_context(|| format!("document {id}: stored record is not valid"))?,
        links: links::document_links(conn, id)?,
    }))
}
