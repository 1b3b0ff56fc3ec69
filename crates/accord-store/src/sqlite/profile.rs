//! An institution's profile: events per year, partners with their country
//! and kind, partner countries, and ROR's parents and children of it.

use crate::{CountryStat, InstitutionProfile, Partner, RorRelation};
use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};

/// Events not rejected by an editor, as a condition on `e`.
const KEPT: &str = "(e.status IS NULL OR e.status != 'rejected')";

/// The profile of institution `id`, or `None` when there is none.
pub fn institution_profile(conn: &Connection, id: i64) -> Result<Option<InstitutionProfile>> {
    let ror: Option<Option<String>> = conn
        .query_row("SELECT ror_id FROM institutions WHERE id = ?", [id], |r| r.get(0))
        .optional()?;
    let Some(ror) = ror else { return Ok(None) };
    Ok(Some(InstitutionProfile {
        years: years(conn, id).with_context(|| format!("events per year of institution {id}"))?,
        partners: partners(conn, id).with_context(|| format!("partners of institution {id}"))?,
        partner_countries: partner_countries(conn, id).with_context(|| format!("partner countries of institution {id}"))?,
        related: match ror {
            Some(ror) => related(conn, &ror).with_context(|| format!("ROR relations of {ror}"))?,
            None => Vec::new(),
        },
    }))
}

fn years(conn: &Connection, id: i64) -> Result<Vec<(String, usize)>> {
    let mut st = conn.prepare(&format!(
        "SELECT substr(e.date, 1, 4) y, COUNT(*) FROM event_parties p JOIN events e ON e.id = p.event_id \
         WHERE p.institution_id = ? AND e.date GLOB '[0-9][0-9][0-9][0-9]*' AND {KEPT} GROUP BY y ORDER BY y"
    ))?;
    let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn partners(conn: &Connection, id: i64) -> Result<Vec<Partner>> {
    let mut st = conn.prepare(&format!(
        "SELECT i.id, i.name, i.country, i.kind, COUNT(DISTINCT p.event_id) n FROM event_parties p \
         JOIN events e ON e.id = p.event_id JOIN event_parties o ON o.event_id = p.event_id AND o.institution_id != p.institution_id \
         JOIN institutions i ON i.id = o.institution_id WHERE p.institution_id = ? AND {KEPT} \
         GROUP BY i.id ORDER BY n DESC, i.name"
    ))?;
    let rows = st.query_map([id], |r| {
        Ok(Partner {
            id: r.get(0)?,
            name: r.get(1)?,
            country: r.get(2)?,
            kind: r.get(3)?,
            events: r.get::<_, i64>(4)? as usize,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn partner_countries(conn: &Connection, id: i64) -> Result<Vec<CountryStat>> {
    let mut st = conn.prepare(&format!(
        "SELECT i.country, COUNT(DISTINCT p.event_id), COUNT(DISTINCT i.id) FROM event_parties p \
         JOIN events e ON e.id = p.event_id JOIN event_parties o ON o.event_id = p.event_id AND o.institution_id != p.institution_id \
         JOIN institutions i ON i.id = o.institution_id WHERE p.institution_id = ? AND {KEPT} AND i.country IS NOT NULL \
         GROUP BY i.country ORDER BY 2 DESC, 1"
    ))?;
    let rows = st.query_map([id], |r| {
        Ok(CountryStat {
            code: r.get(0)?,
            events: r.get::<_, i64>(1)? as usize,
            institutions: r.get::<_, i64>(2)? as usize,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// ROR's relations of `ror`: those its record states, and those stated the
/// other way round by the related records (a parent listing this one as a
/// child), each once.
fn related(conn: &Connection, ror: &str) -> Result<Vec<RorRelation>> {
    let mut st = conn.prepare(
        "SELECT r.kind, r.related_id, COALESCE(o.name, r.label, r.related_id) FROM ror_relationships r \
         LEFT JOIN ror_organizations o ON o.ror_id = r.related_id WHERE r.ror_id = ?1 \
         UNION SELECT CASE r.kind WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent' \
         WHEN 'predecessor' THEN 'successor' WHEN 'successor' THEN 'predecessor' ELSE r.kind END, \
         r.ror_id, o.name FROM ror_relationships r JOIN ror_organizations o ON o.ror_id = r.ror_id WHERE r.related_id = ?1",
    )?;
    let rows: Vec<(String, String, String)> = st
        .query_map([ror], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out: Vec<RorRelation> = Vec::new();
    let mut linked = conn.prepare_cached("SELECT id FROM institutions WHERE ror_id = ? ORDER BY id LIMIT 1")?;
    for (kind, ror_id, name) in rows {
        if out.iter().any(|r| r.kind == kind && r.ror_id == ror_id) {
            continue;
        }
        let institution = linked.query_row([&ror_id], |r| r.get(0)).optional()?;
        out.push(RorRelation {
            kind,
            ror_id,
            name,
            institution,
        });
    }
    out.sort_by(|a, b| (rank(&a.kind), &a.name).cmp(&(rank(&b.kind), &b.name)));
    Ok(out)
}

/// Parents first, then children, then the rest.
fn rank(kind: &str) -> u8 {
    match kind {
        "parent" => 0,
        "child" => 1,
        _ => 2,
    }
}
