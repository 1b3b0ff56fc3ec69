//! The review queues: what a person should look at first, ordered by how
//! likely it is wrong, with exact totals and any page of them.
//!
//! An event's signs: at most one party, reported by one page, no date. An
//! institution's: no country, a suspect name (see [`crate::suspicious`]),
//! named by one page. A queue holds the rows nobody has confirmed or
//! rejected that show its own sign; it is ordered by the number of signs
//! (most first), then by fewest pages, then by id, so the rows most likely
//! wrong come first and the order is the same on every visit.

use super::{event_row, institution_row};
use crate::suspicious::name_signs;
use crate::{ReviewItem, ReviewPage, REVIEW_QUEUES};
use anyhow::{bail, Result};
use rusqlite::{params, Connection};

/// Whether the queue lists events (else institutions).
fn is_event_queue(queue: &str) -> bool {
    matches!(queue, "one-party" | "single-source" | "undated")
}

/// Events nobody decided on, with their counts of parties and pages.
const EVENT_SIGNS: &str = "SELECT e.id, e.date IS NULL undated, \
     (SELECT COUNT(*) FROM event_parties p WHERE p.event_id = e.id) parties, \
     (SELECT COUNT(DISTINCT document_id) FROM event_sources s WHERE s.event_id = e.id) pages \
     FROM events e WHERE e.status IS NULL";

/// The SQL condition of an event queue over [`EVENT_SIGNS`].
fn event_condition(queue: &str) -> &'static str {
    match queue {
        "one-party" => "parties <= 1",
        "single-source" => "pages = 1",
        _ => "undated",
    }
}

/// A page of an event queue.
fn event_page(conn: &Connection, queue: &str, limit: usize, offset: usize) -> Result<ReviewPage> {
    let cond = event_condition(queue);
    let total: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM ({EVENT_SIGNS}) WHERE {cond}"), [], |r| r.get(0))?;
    let mut st = conn.prepare(&format!(
        "SELECT id, undated, parties, pages FROM ({EVENT_SIGNS}) WHERE {cond} \
         ORDER BY (parties <= 1) + (pages = 1) + undated DESC, pages, id LIMIT ? OFFSET ?"
    ))?;
    let rows: Vec<(i64, bool, i64, i64)> = st
        .query_map(params![limit as i64, offset as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = Vec::with_capacity(rows.len());
    for (id, undated, parties, pages) in rows {
        let signs = [
            (parties == 0, "no party"),
            (parties == 1, "one party"),
            (pages == 1, "one page"),
            (undated, "no date"),
        ];
        items.push(ReviewItem {
            signs: signs.iter().filter(|(on, _)| *on).map(|(_, s)| s.to_string()).collect(),
            event: Some(event_row(conn, id)?),
            institution: None,
        });
    }
    Ok(ReviewPage {
        queue: queue.to_string(),
        total: total as usize,
        items,
    })
}

/// An institution nobody decided on, with its signs, for the queues.
struct Suspect {
    id: i64,
    pages: i64,
    signs: Vec<String>,
    no_country: bool,
    bad_name: bool,
}

/// Every undecided institution with at least one sign. Names are judged in
/// Rust (the rules are not SQL), one pass over the institutions.
fn suspects(conn: &Connection) -> Result<Vec<Suspect>> {
    let mut st = conn.prepare(
        "SELECT i.id, i.name, i.country IS NULL, (SELECT COUNT(DISTINCT document_id) FROM org_mentions m WHERE m.institution_id = i.id) \
         FROM institutions i WHERE i.status IS NULL",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, no_country, pages) = row?;
        let names = name_signs(&name);
        let mut signs: Vec<String> = names.iter().map(|s| s.label().to_string()).collect();
        if no_country {
            signs.push("no country".into());
        }
        if pages == 1 {
            signs.push("one page".into());
        }
        out.push(Suspect {
            id,
            pages,
            no_country,
            bad_name: !names.is_empty(),
            signs,
        });
    }
    Ok(out)
}

/// A page of an institution queue.
fn institution_page(conn: &Connection, queue: &str, limit: usize, offset: usize) -> Result<ReviewPage> {
    let mut rows: Vec<Suspect> = suspects(conn)?
        .into_iter()
        .filter(|s| if queue == "no-country" { s.no_country } else { s.bad_name })
        .collect();
    rows.sort_by(|a, b| b.signs.len().cmp(&a.signs.len()).then(a.pages.cmp(&b.pages)).then(a.id.cmp(&b.id)));
    let total = rows.len();
    let mut items = Vec::new();
    for s in rows.into_iter().skip(offset).take(limit) {
        items.push(ReviewItem {
            signs: s.signs,
            event: None,
            institution: Some(institution_row(conn, s.id)?),
        });
    }
    Ok(ReviewPage {
        queue: queue.to_string(),
        total,
        items,
    })
}

/// A page of review queue `queue`.
pub fn review(conn: &Connection, queue: &str, limit: usize, offset: usize) -> Result<ReviewPage> {
    if !REVIEW_QUEUES.contains(&queue) {
        bail!(crate::Refused(format!(
            "there is no review queue «{queue}»: the queues are {}",
            REVIEW_QUEUES.join(", ")
        )));
    }
    if is_event_queue(queue) {
        event_page(conn, queue, limit, offset)
    } else {
        institution_page(conn, queue, limit, offset)
    }
}

/// What the queue holds, as the overview lists it: (label, rows, link).
pub fn queue_counts(conn: &Connection) -> Result<Vec<(String, usize, String)>> {
    let mut out = Vec::new();
    for queue in ["one-party", "single-source", "undated"] {
        let n: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM ({EVENT_SIGNS}) WHERE {}", event_condition(queue)),
            [],
            |r| r.get(0),
        )?;
        out.push((label(queue).to_string(), n as usize, format!("/review/{queue}")));
    }
    let suspects = suspects(conn)?;
    for queue in ["no-country", "suspicious-names"] {
        let n = suspects
            .iter()
            .filter(|s| if queue == "no-country" { s.no_country } else { s.bad_name })
            .count();
        out.push((label(queue).to_string(), n, format!("/review/{queue}")));
    }
    Ok(out)
}

/// What a queue holds, in words.
pub fn label(queue: &str) -> &'static str {
    match queue {
        "one-party" => "events with one party or none",
        "single-source" => "events reported by one page",
        "undated" => "events without a date",
        "no-country" => "institutions without a country",
        _ => "institutions with a suspect name",
    }
}
