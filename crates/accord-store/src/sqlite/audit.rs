//! Pages of the audit log filtered by person, action and days, with the
//! number of entries the filter matches.

use crate::{AuditPage, AuditQuery};
use anyhow::{Context, Result};
use rusqlite::{params, Connection};

/// Largest page of entries.
const MAX_LIMIT: usize = 500;

/// A checked query's page ([`AuditQuery::check`] first: a bad value is an
/// [`crate::InvalidFilter`] error naming it).
pub fn page(conn: &Connection, q: &AuditQuery) -> Result<AuditPage> {
    q.check()?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let (user, action, target) = (given(&q.user), given(&q.action), given(&q.target));
    // `at` is RFC 3339 UTC, so its first ten characters are the day.
    let (since, until) = (given(&q.since), given(&q.until));
    let filter = "FROM audit_log a JOIN users u ON u.id = a.user_id WHERE (?1 IS NULL OR u.name = ?1) \
         AND (?2 IS NULL OR a.action = ?2) AND (?3 IS NULL OR substr(a.at, 1, 10) >= ?3) \
         AND (?4 IS NULL OR substr(a.at, 1, 10) <= ?4) AND (?5 IS NULL OR a.target = ?5)";
    let total: i64 = conn
        .query_row(
            &format!("SELECT COUNT(*) {filter}"),
            params![user, action, since, until, target],
            |r| r.get(0),
        )
        .context("cannot count the audit log")?;
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT) as i64;
    let offset = q.offset.unwrap_or(0) as i64;
    let mut st = conn.prepare(&format!(
        "SELECT a.id, u.name, a.at, a.action, a.target, a.before, a.after {filter} ORDER BY a.id DESC LIMIT ?6 OFFSET ?7"
    ))?;
    let items = st
        .query_map(
            params![user, action, since, until, target, limit, offset],
            super::curation::audit_entry,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(AuditPage {
        total: total as usize,
        items,
    })
}
