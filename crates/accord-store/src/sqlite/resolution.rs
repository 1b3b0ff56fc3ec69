//! Resolution across pages: which stored institution, person or event a
//! page's mention is, by the rules of `resolve.rs`, and links to ROR.

use crate::resolve::{
    agree, confirm, dates_compatible, is_acronym, is_distinctive, name_key, parties_overlap, person_name_key, MAX_PARTIES,
};
use accord_model::{Organization, Record};
use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::{HashMap, HashSet};

/// An institution found for an organization of a page, and why.
pub(super) struct Resolution {
    id: i64,
    reason: String,
}

pub(super) fn resolve_orgs(tx: &Transaction, doc: i64, r: &Record, ror: bool) -> Result<HashMap<String, i64>> {
    let mut ids = HashMap::new();
    for org in &r.organizations {
        let names = names_of(org);
        let link = if ror {
            link_ror(tx, &names, org.country.as_deref(), org.city.as_deref())?
        } else {
            None
        };
        let found = find_institution(tx, &names, org, link.as_ref())?;
        let Resolution { id, reason } = match found {
            Some(found) => found,
            None => Resolution {
                id: create_institution(tx, org, &names, link.as_ref())?,
                reason: "first seen here".to_string(),
            },
        };
        let mut add = tx.prepare_cached("INSERT OR IGNORE INTO institution_names VALUES (?, ?, ?, ?)")?;
        for n in &names {
            add.execute(params![id, n, name_key(n), is_acronym(n)])?;
        }
        tx.prepare_cached(
            "UPDATE institutions SET kind = COALESCE(kind, ?), country = COALESCE(country, ?), city = COALESCE(city, ?) WHERE id = ?",
        )?
        .execute(params![org.kind.map(|k| kind_name(&k)), org.country, org.city, id])?;
        tx.prepare_cached("INSERT OR REPLACE INTO org_mentions VALUES (?, ?, ?, ?, ?, ?)")?
            .execute(params![doc, org.id, id, org.name, serde_json::to_string(&org.mentions)?, reason])?;
        ids.insert(org.id.clone(), id);
    }
    Ok(ids)
}

/// An organization's name and aliases, without repeats.
pub(super) fn names_of(org: &Organization) -> Vec<String> {
    let mut seen = HashSet::new();
    std::iter::once(&org.name)
        .chain(&org.aliases)
        .filter(|n| !n.trim().is_empty() && seen.insert(name_key(n)))
        .cloned()
        .collect()
}

pub(super) fn kind_name<T: serde::Serialize>(kind: &T) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The institution an organization of a page is, if the registry knows it:
/// the same ROR id; or the same full name with no country against it; or the
/// same acronym with the same country or city.
pub(super) fn find_institution(
    tx: &Transaction,
    names: &[String],
    org: &Organization,
    link: Option<&RorLink>,
) -> Result<Option<Resolution>> {
    if let Some(l) = link {
        let id: Option<i64> = tx
            .prepare_cached("SELECT id FROM institutions WHERE ror_id = ? ORDER BY id LIMIT 1")?
            .query_row([&l.ror_id], |r| r.get(0))
            .optional()?;
        if let Some(id) = id {
            return Ok(Some(Resolution {
                id,
                reason: format!("same ROR id {} (matched by {} «{}»)", l.ror_id, l.kind, l.name),
            }));
        }
    }
    let mut st = tx.prepare_cached(
        "SELECT i.id, i.country, i.city, n.name FROM institution_names n JOIN institutions i ON i.id = n.institution_id \
         WHERE n.key = ? ORDER BY i.id",
    )?;
    for acronyms in [false, true] {
        for n in names.iter().filter(|n| is_acronym(n) == acronyms) {
            let rows: Vec<(i64, Option<String>, Option<String>, String)> = st
                .query_map([name_key(n)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, country, city, known) in rows {
                let (c, t) = (org.country.as_deref(), org.city.as_deref());
                let reason = if !acronyms && agree(c, country.as_deref()) {
                    format!(
                        "same name «{known}»{}",
                        country.map(|c| format!(", country {c}")).unwrap_or_default()
                    )
                } else if !acronyms && is_distinctive(n) {
                    format!(
                        "same distinctive name «{known}» (this page says {}, the registry {})",
                        c.unwrap_or("?"),
                        country.as_deref().unwrap_or("?")
                    )
                } else if acronyms && confirm(c, country.as_deref()) && agree(t, city.as_deref()) {
                    format!("same acronym «{known}» and same country {}", country.unwrap_or_default())
                } else if acronyms && confirm(t, city.as_deref()) {
                    format!("same acronym «{known}» and same city {}", city.unwrap_or_default())
                } else {
                    continue;
                };
                return Ok(Some(Resolution { id, reason }));
            }
        }
    }
    Ok(None)
}

pub(super) fn create_institution(tx: &Transaction, org: &Organization, names: &[String], link: Option<&RorLink>) -> Result<i64> {
    let display = names.iter().find(|n| !is_acronym(n)).unwrap_or(&org.name);
    tx.prepare_cached("INSERT INTO institutions (name, kind, country, city, ror_id, ror_match, ror_score) VALUES (?, ?, ?, ?, ?, ?, ?)")?
        .execute(params![
            display,
            org.kind.map(|k| kind_name(&k)),
            org.country,
            org.city,
            link.map(|l| &l.ror_id),
            link.map(|l| &l.kind),
            link.map(|l| l.score)
        ])?;
    Ok(tx.last_insert_rowid())
}

/// How an institution was tied to a ROR record.
pub(super) struct RorLink {
    ror_id: String,
    kind: String,
    name: String,
    score: f64,
}

/// The one ROR record the names designate: a full name (display name, label
/// or alias) whose country does not disagree, or an acronym whose country or
/// city agrees. Two candidates left standing mean no link: a wrong link is
/// worse than none.
pub(super) fn link_ror(conn: &Connection, names: &[String], country: Option<&str>, city: Option<&str>) -> Result<Option<RorLink>> {
    let mut st = conn.prepare_cached(
        "SELECT n.ror_id, n.kind, n.name, o.country, o.city FROM ror_names n JOIN ror_organizations o ON o.ror_id = n.ror_id WHERE n.key = ?",
    )?;
    for acronyms in [false, true] {
        let mut found: Vec<RorLink> = Vec::new();
        for n in names.iter().filter(|n| is_acronym(n) == acronyms) {
            type Row = (String, String, String, Option<String>, Option<String>);
            let rows: Vec<Row> = st
                .query_map([name_key(n)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (ror_id, kind, name, c, t) in rows {
                let ok = if kind == "acronym" {
                    confirm(country, c.as_deref()) || confirm(city, t.as_deref())
                } else {
                    agree(country, c.as_deref())
                };
                let score = match kind.as_str() {
                    "ror_display" | "label" => 1.0,
                    "alias" => 0.9,
                    _ => 0.7,
                } * if confirm(country, c.as_deref()) { 1.0 } else { 0.9 };
                if ok && !found.iter().any(|f| f.ror_id == ror_id) {
                    found.push(RorLink { ror_id, kind, name, score });
                }
            }
        }
        match found.len() {
            0 => continue,
            1 => return Ok(found.pop()),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// Links every institution not yet linked to ROR; returns how many were.
pub(super) fn link_all_to_ror(tx: &Transaction) -> Result<usize> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = {
        let mut st = tx.prepare("SELECT id, country, city FROM institutions WHERE ror_id IS NULL")?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    let mut linked = 0;
    for (id, country, city) in rows {
        let names: Vec<String> = {
            let mut st = tx.prepare_cached("SELECT name FROM institution_names WHERE institution_id = ?")?;
            let names = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            names
        };
        if let Some(l) = link_ror(tx, &names, country.as_deref(), city.as_deref())? {
            tx.execute(
                "UPDATE institutions SET ror_id = ?, ror_match = ?, ror_score = ?, country = COALESCE(country, \
                 (SELECT country FROM ror_organizations WHERE ror_id = ?1)) WHERE id = ?",
                params![l.ror_id, l.kind, l.score, id],
            )?;
            linked += 1;
        }
    }
    Ok(linked)
}

pub(super) fn resolve_people(tx: &Transaction, doc: i64, r: &Record, orgs: &HashMap<String, i64>) -> Result<()> {
    for p in &r.people {
        let inst = p.org.as_ref().and_then(|o| orgs.get(o)).copied();
        let key = person_name_key(&p.name);
        if key.is_empty() {
            continue;
        }
        let found: Option<i64> = tx
            .prepare_cached("SELECT id FROM people WHERE key = ? AND institution_id IS ? ORDER BY id LIMIT 1")?
            .query_row(params![key, inst], |r| r.get(0))
            .optional()?;
        let (id, reason) = match found {
            Some(id) => (id, "same name and institution".to_string()),
            None => {
                tx.prepare_cached("INSERT INTO people (name, key, institution_id) VALUES (?, ?, ?)")?
                    .execute(params![p.name, key, inst])?;
                (tx.last_insert_rowid(), "first seen here".to_string())
            }
        };
        tx.prepare_cached("INSERT INTO person_mentions VALUES (?, ?, ?, ?, ?, ?)")?
            .execute(params![
                doc,
                id,
                p.name,
                serde_json::to_string(&p.titles)?,
                serde_json::to_string(&p.mentions)?,
                reason
            ])?;
    }
    Ok(())
}

/// The distinct local ids of a list, in order of first appearance.
pub(super) fn distinct(ids: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| seen.insert(*id)).collect()
}

pub(super) fn resolve_events(tx: &Transaction, doc: i64, r: &Record, orgs: &HashMap<String, i64>) -> Result<()> {
    for (index, e) in r.events.iter().enumerate() {
        let mut parties: Vec<i64> = Vec::new();
        for p in e.parties.iter().filter_map(|p| orgs.get(p)) {
            if !parties.contains(p) {
                parties.push(*p);
            }
        }
        let cut = parties.len().saturating_sub(MAX_PARTIES);
        parties.truncate(MAX_PARTIES);
        let kind = kind_name(&e.event_type);
        let (id, mut reason) = match same_event(tx, doc, &kind, e.date.as_deref(), &parties)? {
            Some(found) => found,
            None => {
                tx.prepare_cached(
                    "INSERT INTO events (type, subtype, date, city, country, initiative, mode, participants) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )?
                .execute(params![
                    kind,
                    e.subtype,
                    e.date,
                    e.place.as_ref().and_then(|p| p.city.clone()),
                    e.place.as_ref().and_then(|p| p.country.clone()),
                    e.initiative,
                    e.mode.map(|m| kind_name(&m)),
                    e.participants.as_ref().map(serde_json::to_string).transpose()?
                ])?;
                (tx.last_insert_rowid(), "first reported here".to_string())
            }
        };
        if cut > 0 {
            reason.push_str(&format!(
                "; {cut} more parties named by the page left out (at most {MAX_PARTIES} per event)"
            ));
        }
        for p in &parties {
            tx.prepare_cached("INSERT OR IGNORE INTO event_parties VALUES (?, ?)")?
                .execute(params![id, p])?;
        }
        for f in &e.fields {
            tx.prepare_cached("INSERT OR IGNORE INTO event_fields VALUES (?, ?)")?
                .execute(params![id, f.to_lowercase()])?;
        }
        tx.prepare_cached(
            "UPDATE events SET date = CASE WHEN date IS NULL OR length(?1) > length(date) THEN ?1 ELSE date END, \
             city = COALESCE(city, ?2), country = COALESCE(country, ?3), initiative = COALESCE(initiative, ?4), \
             subtype = COALESCE(subtype, ?5), mode = COALESCE(mode, ?6), participants = COALESCE(participants, ?7) WHERE id = ?8",
        )?
        .execute(params![
            e.date,
            e.place.as_ref().and_then(|p| p.city.clone()),
            e.place.as_ref().and_then(|p| p.country.clone()),
            e.initiative,
            e.subtype,
            e.mode.map(|m| kind_name(&m)),
            e.participants.as_ref().map(serde_json::to_string).transpose()?,
            id
        ])?;
        tx.prepare_cached("INSERT INTO event_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")?
            .execute(params![
                id,
                doc,
                index as i64,
                e.date,
                e.evidence,
                e.evidence_span.start as i64,
                e.evidence_span.end as i64,
                serde_json::to_string(&e.signatories)?,
                serde_json::to_string(&e.activities)?,
                reason
            ])?;
    }
    Ok(())
}

/// An event already reported by another page: same type, compatible dates
/// and overlapping parties.
pub(super) fn same_event(tx: &Transaction, doc: i64, kind: &str, date: Option<&str>, parties: &[i64]) -> Result<Option<(i64, String)>> {
    // Only dated events can be the same (see `dates_compatible`): the
    // candidates are those within a year, found through the parties' index.
    let Some(date) = date else { return Ok(None) };
    let (from, to) = match date.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) if !date.starts_with("--") => (format!("{:04}", y - 1), format!("{:04}~", y + 1)),
        _ => (date.to_string(), date.to_string()),
    };
    let mut candidates: Vec<(i64, Option<String>)> = Vec::new();
    {
        let mut st = tx.prepare_cached(
            "SELECT e.id, e.date FROM event_parties p JOIN events e ON e.id = p.event_id WHERE p.institution_id = ? AND e.type = ? \
             AND e.date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.document_id = ?)",
        )?;
        for p in parties {
            for row in st.query_map(params![p, kind, from, to, doc], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let row = row?;
                if !candidates.contains(&row) {
                    candidates.push(row);
                }
            }
        }
    }
    let mut st = tx.prepare_cached("SELECT institution_id FROM event_parties WHERE event_id = ?")?;
    for (id, other_date) in candidates {
        if !dates_compatible(Some(date), other_date.as_deref()) {
            continue;
        }
        let theirs: Vec<i64> = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        if parties_overlap(parties, &theirs) {
            let shared = parties.iter().filter(|p| theirs.contains(p)).count();
            return Ok(Some((
                id,
                format!(
                    "same type {kind}, dates {date} and {} agree, {shared} shared part{}",
                    other_date.as_deref().unwrap_or("?"),
                    if shared == 1 { "y" } else { "ies" }
                ),
            )));
        }
    }
    Ok(None)
}
