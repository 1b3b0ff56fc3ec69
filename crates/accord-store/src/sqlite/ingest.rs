//! Storing one page's record: its document, its mentions resolved into
//! shared entities, and what a changed or removed page leaves to derive again.

use super::resolution::{distinct, kind_name, names_of, resolve_events, resolve_orgs, resolve_people};
use crate::resolve::{is_acronym, name_key, MAX_PARTIES};
use crate::{IngestDoc, Outcome};
use accord_model::{Organization, Record};
use anyhow::Result;
use rusqlite::{params, OptionalExtension, Transaction};

pub(super) fn ingest_one(tx: &Transaction, d: &IngestDoc, ror: bool) -> Result<Outcome> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT d.id, d.hash FROM document_locations l JOIN documents d ON d.id = l.document_id WHERE l.path = ?")?
        .query_row([&d.path], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((_, hash)) = &existing {
        if *hash == d.hash {
            if d.source_url.is_some() {
                tx.execute(
                    "UPDATE document_locations SET source_url = ? WHERE path = ?",
                    params![d.source_url, d.path],
                )?;
            }
            return Ok(Outcome::Unchanged);
        }
        tx.execute("DELETE FROM document_locations WHERE path = ?", [&d.path])?;
    }
    if let Some((old, _)) = existing {
        let still_located: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM document_locations WHERE document_id = ?)",
            [old],
            |r| r.get(0),
        )?;
        if !still_located {
            remove_document(tx, old)?;
        }
    }
    let same: Option<i64> = tx
        .prepare_cached("SELECT id FROM documents WHERE hash = ?")?
        .query_row([&d.hash], |r| r.get(0))
        .optional()?;
    let replaced = existing.is_some();
    if let Some(id) = same {
        tx.execute("INSERT INTO document_locations VALUES (?, ?, ?)", params![d.path, id, d.source_url])?;
        return Ok(if replaced { Outcome::Replaced } else { Outcome::SameContent });
    }
    let r = &d.record;
    tx.prepare_cached("INSERT INTO documents (hash, doc, language, published, title, text, record) VALUES (?, ?, ?, ?, ?, ?, ?)")?
        .execute(params![
            d.hash,
            r.doc,
            r.language,
            r.published,
            r.title,
            d.text,
            serde_json::to_string(r)?
        ])?;
    let doc = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO document_locations VALUES (?, ?, ?)")?
        .execute(params![d.path, doc, d.source_url])?;
    let orgs = resolve_orgs(tx, doc, r, ror)?;
    resolve_people(tx, doc, r, &orgs)?;
    resolve_events(tx, doc, r, &orgs)?;
    Ok(if replaced { Outcome::Replaced } else { Outcome::Added })
}

/// Deletes a document and its facts, then every entity no page supports any
/// more (with the corrections made to it: SQLite gives a later entity the
/// same id, and it must not inherit them), then derives again what the
/// document had added to the entities it shared with other pages.
pub(super) fn remove_document(tx: &Transaction, doc: i64) -> Result<()> {
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut st = tx.prepare(sql)?;
        let ids = st.query_map([doc], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    };
    let institutions = ids("SELECT DISTINCT institution_id FROM org_mentions WHERE document_id = ?")?;
    let events = ids("SELECT DISTINCT event_id FROM event_sources WHERE document_id = ?")?;
    // Entities a person has corrected are kept, with their names and
    // parties, even when no page supports them any more: the page that
    // comes back changed is resolved to them, and the decision still holds.
    let kept_institutions = "SELECT institution_id FROM institution_overrides \
         UNION SELECT CAST(substr(target, 13) AS INTEGER) FROM audit_log WHERE target LIKE 'institution %'";
    let kept_events = "SELECT event_id FROM event_overrides \
         UNION SELECT CAST(substr(target, 7) AS INTEGER) FROM audit_log WHERE target LIKE 'event %'";
    tx.execute_batch(&format!(
        "DELETE FROM org_mentions WHERE document_id = {doc};
         DELETE FROM person_mentions WHERE document_id = {doc};
         DELETE FROM event_sources WHERE document_id = {doc};
         DELETE FROM documents WHERE id = {doc};
         DELETE FROM event_parties WHERE event_id NOT IN (SELECT event_id FROM event_sources) AND event_id NOT IN ({kept_events});
         DELETE FROM event_fields WHERE event_id NOT IN (SELECT event_id FROM event_sources) AND event_id NOT IN ({kept_events});
         DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_sources) AND id NOT IN ({kept_events});
         DELETE FROM people WHERE id NOT IN (SELECT person_id FROM person_mentions);
         DELETE FROM event_parties WHERE institution_id NOT IN (SELECT institution_id FROM org_mentions)
             AND institution_id NOT IN ({kept_institutions});
         UPDATE people SET institution_id = NULL WHERE institution_id NOT IN (SELECT institution_id FROM org_mentions)
             AND institution_id NOT IN ({kept_institutions});
         DELETE FROM institution_names WHERE institution_id NOT IN (SELECT institution_id FROM org_mentions)
             AND institution_id NOT IN ({kept_institutions});
         DELETE FROM institutions WHERE id NOT IN (SELECT institution_id FROM org_mentions) AND id NOT IN ({kept_institutions});
         DELETE FROM institution_overrides WHERE institution_id NOT IN (SELECT id FROM institutions);
         DELETE FROM event_overrides WHERE event_id NOT IN (SELECT id FROM events);"
    ))?;
    rederive(tx, &institutions, &events)
}

/// Derives the merged facts of these institutions and events again from the
/// pages that still report them, in the order they were read, as ingesting
/// those pages alone would have: names, display name, kind, country and city;
/// parties, fields, date and the other attributes of events.
pub(super) fn rederive(tx: &Transaction, institutions: &[i64], events: &[i64]) -> Result<()> {
    for &id in institutions {
        let orgs: Vec<Organization> = {
            let mut st = tx.prepare_cached(
                "SELECT m.local_id, d.record FROM org_mentions m JOIN documents d ON d.id = m.document_id \
                 WHERE m.institution_id = ? ORDER BY m.document_id, m.rowid",
            )?;
            let rows: Vec<(String, String)> = st
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut orgs = Vec::new();
            for (local, record) in rows {
                let record: Record = serde_json::from_str(&record)?;
                orgs.extend(record.organizations.into_iter().find(|o| o.id == local));
            }
            orgs
        };
        let Some(first) = orgs.first() else { continue };
        tx.execute("DELETE FROM institution_names WHERE institution_id = ?", [id])?;
        let mut add = tx.prepare_cached("INSERT OR IGNORE INTO institution_names VALUES (?, ?, ?, ?)")?;
        for n in orgs.iter().flat_map(names_of) {
            add.execute(params![id, n, name_key(&n), is_acronym(&n)])?;
        }
        let names = names_of(first);
        tx.execute(
            "UPDATE institutions SET name = ?, kind = ?, \
             country = COALESCE(?, (SELECT country FROM ror_organizations r WHERE r.ror_id = institutions.ror_id)), city = ? WHERE id = ?",
            params![
                names.iter().find(|n| !is_acronym(n)).unwrap_or(&first.name),
                orgs.iter().find_map(|o| o.kind).map(|k| kind_name(&k)),
                orgs.iter().find_map(|o| o.country.clone()),
                orgs.iter().find_map(|o| o.city.clone()),
                id
            ],
        )?;
    }
    for &id in events {
        let sources: Vec<(i64, accord_model::Event)> = {
            let mut st = tx.prepare_cached(
                "SELECT s.document_id, s.local_index, d.record FROM event_sources s JOIN documents d ON d.id = s.document_id \
                 WHERE s.event_id = ? ORDER BY s.document_id, s.local_index",
            )?;
            let rows: Vec<(i64, i64, String)> = st
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut sources = Vec::new();
            for (doc, index, record) in rows {
                let record: Record = serde_json::from_str(&record)?;
                sources.extend(record.events.into_iter().nth(index as usize).map(|e| (doc, e)));
            }
            sources
        };
        if sources.is_empty() {
            continue;
        }
        tx.execute("DELETE FROM event_parties WHERE event_id = ?", [id])?;
        tx.execute("DELETE FROM event_fields WHERE event_id = ?", [id])?;
        let mut date: Option<&str> = None;
        for (doc, e) in &sources {
            for p in distinct(&e.parties).into_iter().take(MAX_PARTIES) {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO event_parties SELECT ?, institution_id FROM org_mentions WHERE document_id = ? AND local_id = ?",
                )?
                .execute(params![id, doc, p])?;
            }
            for f in &e.fields {
                tx.prepare_cached("INSERT OR IGNORE INTO event_fields VALUES (?, ?)")?
                    .execute(params![id, f.to_lowercase()])?;
            }
            if let Some(d) = e.date.as_deref() {
                let more_precise = match date {
                    Some(known) => d.chars().count() > known.chars().count(),
                    None => true,
                };
                if more_precise {
                    date = Some(d);
                }
            }
        }
        let first = |f: &dyn Fn(&accord_model::Event) -> Option<String>| sources.iter().find_map(|(_, e)| f(e));
        let participants = sources
            .iter()
            .find_map(|(_, e)| e.participants.as_ref())
            .map(serde_json::to_string)
            .transpose()?;
        tx.execute(
            "UPDATE events SET subtype = ?, date = ?, city = ?, country = ?, initiative = ?, mode = ?, participants = ? WHERE id = ?",
            params![
                first(&|e| e.subtype.clone()),
                date,
                first(&|e| e.place.as_ref().and_then(|p| p.city.clone())),
                first(&|e| e.place.as_ref().and_then(|p| p.country.clone())),
                first(&|e| e.initiative.clone()),
                first(&|e| e.mode.map(|m| kind_name(&m))),
                participants,
                id
            ],
        )?;
    }
    Ok(())
}
