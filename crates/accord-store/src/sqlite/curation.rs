//! People who sign in, their corrections, and the audit log.
//!
//! A correction is kept as an override (a field and its value) or as a move
//! of mentions between institutions; overrides are applied again after every
//! ingest, so pages read later never undo a person's decision.

use super::{event_row, institution_row, kind_name, names_of, rederive};
use crate::resolve::{is_acronym, name_key};
use crate::{random_hex, AuditEntry, Curation, Role, User, UserRow, INSTITUTION_KINDS};
use accord_model::Record;
use anyhow::{anyhow, bail, Context, Result};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use blake2::{Blake2b512, Digest};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};

/// A [`crate::Refused`] error: a change a person can fix, with what to do.
macro_rules! refused {
    ($($t:tt)*) => { anyhow::Error::new(crate::Refused(format!($($t)*))) };
}

/// Returns a [`Refused`] error.
macro_rules! refuse {
    ($($t:tt)*) => { return Err(refused!($($t)*)) };
}

/// Most characters of a name, city or field an editor writes.
pub(super) const MAX_TEXT: usize = 300;

/// How long a browser session lasts, in seconds.
const SESSION_SECONDS: i64 = 12 * 3600;

/// Adds a user; the token is `ID.SECRET`, the secret stored only as an Argon2 hash.
pub fn add_user(conn: &Connection, name: &str, role: Role) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        bail!("a user needs a name");
    }
    if user_id(conn, name)?.is_some() {
        bail!("there is already a user named «{name}»: `accord user token {name}` gives them a new token");
    }
    let (secret, hash) = new_secret()?;
    conn.execute(
        "INSERT INTO users (name, role, token_hash) VALUES (?, ?, ?)",
        params![name, role.as_str(), hash],
    )
    .with_context(|| format!("cannot add user «{name}»"))?;
    Ok(format!("{}.{secret}", conn.last_insert_rowid()))
}

/// A new secret and its Argon2 hash.
fn new_secret() -> Result<(String, String)> {
    let secret = random_hex(24)?;
    let hash = Argon2::default()
        .hash_password(secret.as_bytes())
        .map_err(|e| anyhow!("cannot hash the token: {e}"))?
        .to_string();
    Ok((secret, hash))
}

fn user_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM users WHERE name = ?", [name.trim()], |r| r.get(0))
        .optional()?)
}

/// The id of the user called `name`, or an error listing how to see who exists.
fn existing_user(conn: &Connection, name: &str) -> Result<i64> {
    user_id(conn, name)?.with_context(|| format!("there is no user named «{}»: `accord user list` shows who there is", name.trim()))
}

/// Everyone, by name, with whether they are active and their open sessions.
pub fn users(conn: &Connection) -> Result<Vec<UserRow>> {
    let mut st = conn.prepare(
        "SELECT u.id, u.name, u.role, u.active, \
         (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expires >= unixepoch()) \
         FROM users u ORDER BY u.name",
    )?;
    let rows = st.query_map([], |r| {
        let role: String = r.get(2)?;
        Ok(UserRow {
            user: User {
                id: r.get(0)?,
                name: r.get(1)?,
                role: role.parse().unwrap_or(Role::Viewer),
            },
            active: r.get(3)?,
            sessions: r.get::<_, i64>(4)? as usize,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks a user revoked and closes their sessions, in one transaction.
pub fn revoke_user(tx: &Transaction, name: &str) -> Result<()> {
    let id = existing_user(tx, name)?;
    tx.execute("UPDATE users SET active = 0 WHERE id = ?", [id])?;
    tx.execute("DELETE FROM sessions WHERE user_id = ?", [id])?;
    Ok(())
}

/// Replaces a user's token (and makes a revoked user active again).
pub fn new_token(conn: &Connection, name: &str) -> Result<String> {
    let id = existing_user(conn, name)?;
    let (secret, hash) = new_secret()?;
    conn.execute("UPDATE users SET token_hash = ?, active = 1 WHERE id = ?", params![hash, id])?;
    Ok(format!("{id}.{secret}"))
}

/// An active user and their token hash.
fn user(conn: &Connection, id: i64) -> Result<Option<(User, String)>> {
    Ok(conn
        .query_row("SELECT name, role, token_hash FROM users WHERE id = ? AND active", [id], |r| {
            let role: String = r.get(1)?;
            Ok((
                User {
                    id,
                    name: r.get(0)?,
                    role: role.parse().unwrap_or(Role::Viewer),
                },
                r.get(2)?,
            ))
        })
        .optional()?)
}

/// The user a token belongs to, after checking its secret against the hash.
pub fn user_by_token(conn: &Connection, token: &str) -> Result<Option<User>> {
    user_by_token_with(conn, token, |secret, hash| Argon2::default().verify_password(secret, hash).is_ok())
}

/// [`user_by_token`] with the check of a secret against a hash given, so a
/// test can count the checks. Every token, whatever its shape and whether
/// its id names an active user, costs exactly one check (against the
/// decoy hash when there is no user's): the time of a refusal does not
/// tell which user ids exist.
fn user_by_token_with(conn: &Connection, token: &str, verify: impl Fn(&[u8], &PasswordHash) -> bool) -> Result<Option<User>> {
    let token = token.trim();
    let (id, secret) = token.split_once('.').unwrap_or(("", token));
    let found = match id.parse::<i64>() {
        Ok(id) => user(conn, id)?,
        Err(_) => None,
    };
    let decoy = decoy_hash();
    let parsed = found
        .as_ref()
        .and_then(|(_, h)| PasswordHash::new(h).ok())
        .unwrap_or_else(|| decoy.clone());
    let matches = verify(secret.as_bytes(), &parsed);
    Ok(found.filter(|_| matches).map(|(u, _)| u))
}

/// The Argon2 hash of a secret nobody holds, checked in place of a user's
/// when the token names no active user.
fn decoy_hash() -> &'static PasswordHash {
    static DECOY: std::sync::OnceLock<PasswordHash> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        // A fixed salt and secret: the hash need not be secret, only as
        // costly to check as a user's (same algorithm and parameters).
        let salt = b"accord-decoy-salt";
        Argon2::default()
            .hash_password_with_salt(b"no token has this secret", salt)
            .expect("Argon2 hashes a fixed secret with a fixed salt")
    })
}

/// A secret as the registry keeps it: its BLAKE2b digest (hex), under a
/// purpose label. Whoever reads the file learns no session id and no
/// CSRF token, so cannot act as the person.
fn digest(purpose: &str, secret: &str) -> String {
    let mut h = Blake2b512::new();
    h.update(purpose.as_bytes());
    h.update([0u8]);
    h.update(secret.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The key a session id is stored and looked up under.
pub fn session_key(id: &str) -> String {
    digest("accord session", id)
}

/// The CSRF token of a session, derived from its id (which only the
/// browser holds), so the registry need not keep it.
fn csrf_of(id: &str) -> String {
    digest("accord csrf", id)[..32].to_string()
}

/// Opens a session: (session id, CSRF token). Only digests of both are stored.
pub fn open_session(conn: &Connection, user: &User) -> Result<(String, String)> {
    let id = random_hex(16)?;
    let csrf = csrf_of(&id);
    conn.execute("DELETE FROM sessions WHERE expires < unixepoch()", [])?;
    conn.execute(
        "INSERT INTO sessions VALUES (?, ?, ?, unixepoch() + ?)",
        params![session_key(&id), user.id, digest("accord csrf digest", &csrf), SESSION_SECONDS],
    )?;
    Ok((id, csrf))
}

/// The user and CSRF token of a live session.
pub fn session(conn: &Connection, id: &str) -> Result<Option<(User, String)>> {
    let uid: Option<i64> = conn
        .query_row(
            "SELECT user_id FROM sessions WHERE id = ? AND expires >= unixepoch()",
            [session_key(id)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(uid) = uid else { return Ok(None) };
    Ok(user(conn, uid)?.map(|(u, _)| (u, csrf_of(id))))
}

/// Applies every override to the rows it concerns.
pub fn apply_overrides(tx: &Transaction) -> Result<()> {
    for field in ["name", "country", "kind", "city", "status"] {
        tx.execute(
            &format!(
                "UPDATE institutions SET {field} = (SELECT value FROM institution_overrides o WHERE o.institution_id = institutions.id \
                 AND o.field = '{field}') WHERE id IN (SELECT institution_id FROM institution_overrides WHERE field = '{field}') \
                 AND {field} IS NOT (SELECT value FROM institution_overrides o WHERE o.institution_id = institutions.id AND o.field = '{field}')"
            ),
            [],
        )?;
    }
    for field in ["type", "date", "status", "city", "country"] {
        tx.execute(
            &format!(
                "UPDATE events SET {field} = (SELECT value FROM event_overrides o WHERE o.event_id = events.id AND o.field = '{field}') \
                 WHERE id IN (SELECT event_id FROM event_overrides WHERE field = '{field}') \
                 AND {field} IS NOT (SELECT value FROM event_overrides o WHERE o.event_id = events.id AND o.field = '{field}')"
            ),
            [],
        )?;
    }
    // Only what differs is written, so an ingest marks no event for the
    // search index again when its corrected fields and parties stand.
    tx.execute(
        "DELETE FROM event_fields WHERE event_id IN (SELECT event_id FROM event_overrides WHERE field = 'fields') \
         AND field NOT IN (SELECT j.value FROM event_overrides o, json_each(o.value) j \
         WHERE o.event_id = event_fields.event_id AND o.field = 'fields')",
        [],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO event_fields SELECT o.event_id, j.value FROM event_overrides o, json_each(o.value) j \
         WHERE o.field = 'fields' AND o.event_id IN (SELECT id FROM events)",
        [],
    )?;
    tx.execute(
        "DELETE FROM event_parties WHERE EXISTS (SELECT 1 FROM event_party_overrides o WHERE o.event_id = event_parties.event_id \
         AND o.institution_id = event_parties.institution_id AND o.present = 0)",
        [],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO event_parties SELECT event_id, institution_id FROM event_party_overrides \
         WHERE present = 1 AND event_id IN (SELECT id FROM events) AND institution_id IN (SELECT id FROM institutions)",
        [],
    )?;
    Ok(())
}

fn institution_json(tx: &Transaction, id: i64) -> Result<Value> {
    let status: Option<Option<String>> = tx
        .query_row("SELECT status FROM institutions WHERE id = ?", [id], |r| r.get(0))
        .optional()?;
    let Some(status) = status else {
        refuse!("there is no institution {id}");
    };
    let mut v = serde_json::to_value(institution_row(tx, id)?)?;
    v["status"] = json!(status);
    Ok(v)
}

fn event_json(tx: &Transaction, id: i64) -> Result<Value> {
    let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM events WHERE id = ?)", [id], |r| r.get(0))?;
    if !exists {
        refuse!("there is no event {id}");
    }
    Ok(serde_json::to_value(event_row(tx, id)?)?)
}

/// Applies a correction inside `tx`, logs it, and returns the id it concerns.
pub fn curate(tx: &Transaction, user: &User, change: &Curation) -> Result<i64> {
    if !user.role.can_edit() {
        refuse!(
            "{} is a {}: only editors and admins correct the registry",
            user.name,
            user.role.as_str()
        );
    }
    if change.restructures() && !user.role.can_restructure() {
        refuse!(
            "{} is an {}: only admins merge and split institutions",
            user.name,
            user.role.as_str()
        );
    }
    let (target, before, id) = match change {
        Curation::EditInstitution { id, .. } | Curation::SplitInstitution { id, .. } => {
            (format!("institution {id}"), institution_json(tx, *id)?, *id)
        }
        Curation::MergeInstitutions { keep, absorb } => {
            if keep == absorb {
                refuse!("an institution cannot be merged into itself");
            }
            (
                format!("institution {keep}"),
                json!({ "keep": institution_json(tx, *keep)?, "absorb": institution_json(tx, *absorb)? }),
                *keep,
            )
        }
        Curation::SetInstitutionStatus { id, .. } => (format!("institution {id}"), institution_json(tx, *id)?, *id),
        Curation::SetEventStatus { id, .. } | Curation::EditEvent { id, .. } | Curation::EditEventParties { id, .. } => {
            (format!("event {id}"), event_json(tx, *id)?, *id)
        }
    };
    let result = match change {
        Curation::EditInstitution {
            id,
            name,
            country,
            kind,
            city,
        } => {
            let country = country.as_ref().map(|c| c.trim().to_ascii_uppercase());
            if let Some(c) = country.as_ref().filter(|c| !c.is_empty() && !crate::check::is_country_code(c)) {
                refuse!("«{c}» is not a country: a country is an assigned two-letter ISO 3166-1 code, like FR");
            }
            let kind = kind.as_ref().map(|k| k.trim().to_lowercase());
            if let Some(k) = kind.as_ref().filter(|k| !k.is_empty() && !INSTITUTION_KINDS.contains(&k.as_str())) {
                refuse!("«{k}» is not a kind of institution: use one of {}", INSTITUTION_KINDS.join(", "));
            }
            if name.as_ref().is_some_and(|n| n.trim().chars().count() > MAX_TEXT) {
                refuse!("a name has at most {MAX_TEXT} characters");
            }
            for (field, value) in [("name", name.clone()), ("country", country), ("kind", kind), ("city", city.clone())] {
                if let Some(v) = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
                    tx.execute(
                        "INSERT OR REPLACE INTO institution_overrides VALUES (?, ?, ?)",
                        params![id, field, v],
                    )?;
                }
            }
            *id
        }
        Curation::MergeInstitutions { keep, absorb } => merge(tx, *keep, *absorb, &user.name)?,
        Curation::SplitInstitution { id, document_id, local_id } => split(tx, *id, *document_id, local_id, &user.name)?,
        Curation::SetEventStatus { id, status } => {
            match status.as_deref() {
                Some(s @ ("confirmed" | "rejected")) => {
                    tx.execute("INSERT OR REPLACE INTO event_overrides VALUES (?, 'status', ?)", params![id, s])?;
                }
                None | Some("") => {
                    tx.execute("DELETE FROM event_overrides WHERE event_id = ? AND field = 'status'", [id])?;
                    tx.execute("UPDATE events SET status = NULL WHERE id = ?", [id])?;
                }
                Some(other) => refuse!("unknown status «{other}»: use confirmed or rejected"),
            }
            *id
        }
        Curation::EditEvent {
            id,
            event_type,
            date,
            city,
            country,
            fields,
        } => {
            super::event_edits::edit_event(
                tx,
                *id,
                event_type.as_deref(),
                date.as_deref(),
                city.as_deref(),
                country.as_deref(),
                fields.as_deref(),
            )?;
            *id
        }
        Curation::EditEventParties { id, add, remove } => {
            super::event_edits::edit_parties(tx, *id, add, remove)?;
            *id
        }
        Curation::SetInstitutionStatus { id, status } => {
            match status.as_deref() {
                Some(s @ ("confirmed" | "rejected")) => {
                    tx.execute(
                        "INSERT OR REPLACE INTO institution_overrides VALUES (?, 'status', ?)",
                        params![id, s],
                    )?;
                }
                None | Some("") => {
                    tx.execute(
                        "DELETE FROM institution_overrides WHERE institution_id = ? AND field = 'status'",
                        [id],
                    )?;
                    tx.execute("UPDATE institutions SET status = NULL WHERE id = ?", [id])?;
                }
                Some(other) => refuse!("unknown status «{other}»: use confirmed or rejected"),
            }
            *id
        }
    };
    apply_overrides(tx)?;
    let after = if target.starts_with("event") {
        event_json(tx, id)?
    } else {
        institution_json(tx, result)?
    };
    let after = match change {
        Curation::SplitInstitution { .. } => json!({ "kept": institution_json(tx, id)?, "new": after }),
        _ => after,
    };
    tx.execute(
        "INSERT INTO audit_log (user_id, at, action, target, before, after) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)",
        params![
            user.id,
            serde_json::to_value(change)?["action"].as_str().unwrap_or(""),
            target,
            before.to_string(),
            after.to_string()
        ],
    )?;
    Ok(result)
}

/// Moves everything of `absorb` into `keep`, then deletes `absorb`.
fn merge(tx: &Transaction, keep: i64, absorb: i64, who: &str) -> Result<i64> {
    let reason = format!("merged by {who} from institution {absorb}");
    tx.execute(
        "UPDATE org_mentions SET institution_id = ?, reason = reason || '; ' || ? WHERE institution_id = ?",
        params![keep, reason, absorb],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO institution_names SELECT ?, name, key, is_acronym FROM institution_names WHERE institution_id = ?",
        params![keep, absorb],
    )?;
    tx.execute("DELETE FROM institution_names WHERE institution_id = ?", [absorb])?;
    tx.execute(
        "INSERT OR IGNORE INTO event_parties SELECT event_id, ? FROM event_parties WHERE institution_id = ?",
        params![keep, absorb],
    )?;
    tx.execute("DELETE FROM event_parties WHERE institution_id = ?", [absorb])?;
    tx.execute(
        "UPDATE people SET institution_id = ? WHERE institution_id = ?",
        params![keep, absorb],
    )?;
    tx.execute(
        "UPDATE institutions SET kind = COALESCE(kind, (SELECT kind FROM institutions WHERE id = ?2)), \
         country = COALESCE(country, (SELECT country FROM institutions WHERE id = ?2)), \
         city = COALESCE(city, (SELECT city FROM institutions WHERE id = ?2)), \
         ror_id = COALESCE(ror_id, (SELECT ror_id FROM institutions WHERE id = ?2)) WHERE id = ?1",
        params![keep, absorb],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO event_party_overrides SELECT event_id, ?, present FROM event_party_overrides WHERE institution_id = ?",
        params![keep, absorb],
    )?;
    tx.execute("DELETE FROM event_party_overrides WHERE institution_id = ?", [absorb])?;
    tx.execute("DELETE FROM institution_overrides WHERE institution_id = ?", [absorb])?;
    tx.execute("DELETE FROM institutions WHERE id = ?", [absorb])?;
    // Old links and bookmarks to `absorb` (and to what it had absorbed) lead to `keep`.
    tx.execute("UPDATE institution_redirects SET to_id = ? WHERE to_id = ?", params![keep, absorb])?;
    tx.execute("INSERT OR REPLACE INTO institution_redirects VALUES (?, ?)", params![absorb, keep])?;
    Ok(keep)
}

/// Takes one page's organization out of `id` into a new institution.
fn split(tx: &Transaction, id: i64, document_id: i64, local_id: &str, who: &str) -> Result<i64> {
    let belongs: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM org_mentions WHERE document_id = ? AND local_id = ? AND institution_id = ?)",
        params![document_id, local_id, id],
        |r| r.get(0),
    )?;
    if !belongs {
        refuse!("document {document_id} has no organization «{local_id}» tied to institution {id}");
    }
    let others: i64 = tx.query_row("SELECT COUNT(*) FROM org_mentions WHERE institution_id = ?", [id], |r| r.get(0))?;
    if others < 2 {
        refuse!("institution {id} has a single mention: there is nothing to split from it");
    }
    let record: String = tx.query_row("SELECT record FROM documents WHERE id = ?", [document_id], |r| r.get(0))?;
    let record: Record = serde_json::from_str(&record)?;
    let org = record
        .organizations
        .iter()
        .find(|o| o.id == local_id)
        .ok_or_else(|| refused!("document {document_id} has no organization «{local_id}»"))?;
    let names = names_of(org);
    let display = names.iter().find(|n| !is_acronym(n)).unwrap_or(&org.name);
    tx.execute(
        "INSERT INTO institutions (name, kind, country, city) VALUES (?, ?, ?, ?)",
        params![display, org.kind.map(|k| kind_name(&k)), org.country, org.city],
    )?;
    let new = tx.last_insert_rowid();
    for n in &names {
        tx.execute(
            "INSERT OR IGNORE INTO institution_names VALUES (?, ?, ?, ?)",
            params![new, n, name_key(n), is_acronym(n)],
        )?;
    }
    tx.execute(
        "UPDATE org_mentions SET institution_id = ?, reason = ? WHERE document_id = ? AND local_id = ?",
        params![new, format!("split by {who} from institution {id}"), document_id, local_id],
    )?;
    let events: Vec<i64> = {
        let mut st = tx.prepare("SELECT DISTINCT event_id FROM event_sources WHERE document_id = ?")?;
        let rows = st.query_map([document_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        rows
    };
    rederive(tx, &[id, new], &events)?;
    Ok(new)
}

/// Applies corrections in one transaction, one audit entry each; the first
/// refused stops them all, its message naming which it was.
pub fn curate_all(tx: &Transaction, user: &User, changes: &[Curation]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        match curate(tx, user, change) {
            Ok(id) => ids.push(id),
            Err(e) if e.is::<crate::Refused>() && changes.len() > 1 => {
                refuse!("nothing was changed: change {} of {} was refused: {e}", i + 1, changes.len())
            }
            Err(e) => return Err(e),
        }
    }
    Ok(ids)
}

/// The institution a merged-away id now lives in.
pub fn merged_into(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT to_id FROM institution_redirects WHERE from_id = ?", [id], |r| r.get(0))
        .optional()?)
}

/// The audit log, latest first.
pub fn audit(conn: &Connection, target: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare(
        "SELECT a.id, u.name, a.at, a.action, a.target, a.before, a.after FROM audit_log a JOIN users u ON u.id = a.user_id \
         WHERE ?1 IS NULL OR a.target = ?1 ORDER BY a.id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![target, limit as i64], audit_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An audit entry from a row selecting `a.id, u.name, a.at, a.action,
/// a.target, a.before, a.after`, in that order.
pub(super) fn audit_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let before: String = r.get(5)?;
    let after: String = r.get(6)?;
    Ok(AuditEntry {
        id: r.get(0)?,
        user: r.get(1)?,
        at: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        before: serde_json::from_str(&before).unwrap_or(Value::Null),
        after: serde_json::from_str(&after).unwrap_or(Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteStore;
    use std::cell::Cell;

    /// How many secret checks `user_by_token_with` makes for `token`, and whom it finds.
    fn checks(conn: &Connection, token: &str) -> (usize, Option<User>) {
        let count = Cell::new(0);
        let found = user_by_token_with(conn, token, |secret, hash| {
            count.set(count.get() + 1);
            Argon2::default().verify_password(secret, hash).is_ok()
        })
        .unwrap();
        (count.get(), found)
    }

    #[test]
    fn every_refused_token_costs_one_argon2_check_like_a_wrong_secret() {
        let store = SqliteStore::in_memory().unwrap();
        let token = add_user(&store.conn, "ed", Role::Editor).unwrap();
        let revoked = add_user(&store.conn, "old", Role::Editor).unwrap();
        store.conn.execute("UPDATE users SET active = 0 WHERE name = 'old'", []).unwrap();
        let (id, _) = token.split_once('.').unwrap();
        let (found_checks, found) = checks(&store.conn, &token);
        assert_eq!((found_checks, found.map(|u| u.name)), (1, Some("ed".to_string())));
        let refusals = [
            format!("{id}.wrongsecret"),
            "999999.wrongsecret".to_string(),
            revoked,
            "notanid.secret".to_string(),
            "nodot".to_string(),
            String::new(),
        ];
        for refused in refusals {
            assert_eq!(checks(&store.conn, &refused), (1, None), "{refused:?}");
        }
        // The unknown id's check is a real Argon2 one, against a hash with the users' parameters.
        let user_hash: String = store
            .conn
            .query_row("SELECT token_hash FROM users WHERE name = 'ed'", [], |r| r.get(0))
            .unwrap();
        let user_hash = PasswordHash::new(&user_hash).unwrap();
        assert_eq!(decoy_hash().algorithm, user_hash.algorithm);
        assert_eq!(decoy_hash().params, user_hash.params);
    }
}
