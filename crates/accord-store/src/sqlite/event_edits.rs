//! An editor's corrections of an event: type, date, place, fields and
//! parties. Each is checked first (a refusal says what to write instead)
//! and kept as an override, applied again after every ingest
//! (`curation::apply_overrides`), so a page read later never undoes it.

use super::curation::MAX_TEXT;
use crate::check::{check_date, is_country_code};
use crate::{Refused, EVENT_TYPES};
use anyhow::Result;
use rusqlite::{params, Transaction};

/// Most fields one event may be given.
const MAX_FIELDS: usize = 24;

/// Most parties one correction may add or take out.
const MAX_PARTY_CHANGES: usize = 50;

fn refused(message: String) -> anyhow::Error {
    anyhow::Error::new(Refused(message))
}

/// A value given: trimmed, and not empty.
fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

fn set(tx: &Transaction, id: i64, field: &str, value: &str) -> Result<()> {
    tx.execute("INSERT OR REPLACE INTO event_overrides VALUES (?, ?, ?)", params![id, field, value])?;
    Ok(())
}

/// A field name as stored: trimmed, lower case; letters, digits, spaces,
/// hyphens and apostrophes only.
fn field_name(raw: &str) -> Result<String> {
    let f = raw.trim().to_lowercase();
    let ok = !f.is_empty() && f.chars().count() <= 60 && f.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\''));
    if ok {
        Ok(f)
    } else {
        Err(refused(format!(
            "«{raw}» is not a medical field: a field is a word or a few (letters, spaces, hyphens), like cardiology"
        )))
    }
}

/// Type, date, city, country and fields; `None` (or, but for fields, an
/// empty value) leaves one as it is. The whole correction is checked
/// before anything is written.
pub fn edit_event(
    tx: &Transaction,
    id: i64,
    event_type: Option<&str>,
    date: Option<&str>,
    city: Option<&str>,
    country: Option<&str>,
    fields: Option<&[String]>,
) -> Result<()> {
    let event_type = given(event_type).map(str::to_lowercase);
    if let Some(t) = &event_type {
        if !EVENT_TYPES.contains(&t.as_str()) {
            return Err(refused(format!(
                "«{t}» is not an event type: use one of {}",
                EVENT_TYPES.join(", ")
            )));
        }
    }
    let date = given(date);
    if let Some(d) = date {
        if check_date("date", d).is_err() {
            return Err(refused(format!(
                "«{d}» is not a date: write YYYY, YYYY-MM or YYYY-MM-DD with a month and day that exist, like 2024-02-29"
            )));
        }
    }
    let city = given(city);
    if city.is_some_and(|c| c.chars().count() > MAX_TEXT || c.chars().any(char::is_control)) {
        return Err(refused(format!("a city is at most {MAX_TEXT} characters, on one line")));
    }
    let country = given(country).map(str::to_ascii_uppercase);
    if let Some(c) = &country {
        if !is_country_code(c) {
            return Err(refused(format!(
                "«{c}» is not a country: a country is an assigned two-letter ISO 3166-1 code, like FR"
            )));
        }
    }
    let fields = match fields {
        Some(list) => {
            let mut names: Vec<String> = list
                .iter()
                .filter(|f| !f.trim().is_empty())
                .map(|f| field_name(f))
                .collect::<Result<_>>()?;
            names.sort();
            names.dedup();
            if names.len() > MAX_FIELDS {
                return Err(refused(format!("an event has at most {MAX_FIELDS} fields")));
            }
            Some(names)
        }
        None => None,
    };
    if let Some(t) = &event_type {
        set(tx, id, "type", t)?;
    }
    if let Some(d) = date {
        set(tx, id, "date", d)?;
    }
    if let Some(c) = city {
        set(tx, id, "city", c)?;
    }
    if let Some(c) = &country {
        set(tx, id, "country", c)?;
    }
    if let Some(names) = fields {
        set(tx, id, "fields", &serde_json::to_string(&names)?)?;
    }
    Ok(())
}

/// Makes institutions parties of event `id` or takes them out.
pub fn edit_parties(tx: &Transaction, id: i64, add: &[i64], remove: &[i64]) -> Result<()> {
    if add.is_empty() && remove.is_empty() {
        return Err(refused("choose an institution to add or to take out".into()));
    }
    if add.len() + remove.len() > MAX_PARTY_CHANGES {
        return Err(refused(format!("at most {MAX_PARTY_CHANGES} parties change at once")));
    }
    if let Some(both) = add.iter().find(|a| remove.contains(a)) {
        return Err(refused(format!("institution {both} cannot be both added and taken out")));
    }
    for &institution in add {
        let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM institutions WHERE id = ?)", [institution], |r| {
            r.get(0)
        })?;
        if !exists {
            return Err(refused(format!("there is no institution {institution}")));
        }
        tx.execute(
            "INSERT OR REPLACE INTO event_party_overrides VALUES (?, ?, 1)",
            params![id, institution],
        )?;
    }
    for &institution in remove {
        let party: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM event_parties WHERE event_id = ? AND institution_id = ?)",
            params![id, institution],
            |r| r.get(0),
        )?;
        if !party {
            return Err(refused(format!("institution {institution} is not a party of event {id}")));
        }
        tx.execute(
            "INSERT OR REPLACE INTO event_party_overrides VALUES (?, ?, 0)",
            params![id, institution],
        )?;
    }
    Ok(())
}
