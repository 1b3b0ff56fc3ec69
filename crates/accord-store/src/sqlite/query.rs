//! A query assembled from optional filters, with its parameters in order.

use crate::Filter;
use anyhow::{Context, Result};
use rusqlite::{params_from_iter, Connection};

/// A query built from optional filters, with its parameters in order.
pub(super) struct Query {
    pub(super) sql: String,
    pub(super) params: Vec<String>,
}

impl Query {
    pub(super) fn new(sql: &str) -> Self {
        Query {
            sql: sql.to_string(),
            params: Vec::new(),
        }
    }

    pub(super) fn and<I: IntoIterator<Item = String>>(&mut self, cond: &str, params: I) {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
        self.params.extend(params);
    }

    /// An institution given by id, or by a part of one of its names.
    pub(super) fn org(&mut self, column: &str, org: &str) {
        match org.parse::<i64>() {
            Ok(id) => self.and(&format!("{column} = ?"), [id.to_string()]),
            Err(_) => self.and(
                &format!("{column} IN (SELECT institution_id FROM institution_names WHERE name LIKE ?)"),
                [like(org)],
            ),
        }
    }

    /// Date range and field filters on events aliased `e`.
    pub(super) fn event_dates_and_field(&mut self, f: &Filter) {
        if let Some(s) = &f.since {
            self.and("e.date IS NOT NULL AND substr(e.date, 1, length(?)) >= ?", [s.clone(), s.clone()]);
        }
        if let Some(u) = &f.until {
            self.and("e.date IS NOT NULL AND substr(e.date, 1, length(?)) <= ?", [u.clone(), u.clone()]);
        }
        if let Some(field) = &f.field {
            self.and(
                "EXISTS (SELECT 1 FROM event_fields ef WHERE ef.event_id = e.id AND ef.field = ?)",
                [field.to_lowercase()],
            );
        }
    }

    pub(super) fn limit_offset(&mut self, limit: Option<usize>, offset: Option<usize>) {
        match (limit, offset) {
            (Some(n), off) => self.sql.push_str(&format!(" LIMIT {n} OFFSET {}", off.unwrap_or(0))),
            (None, Some(off)) => self.sql.push_str(&format!(" LIMIT -1 OFFSET {off}")),
            (None, None) => {}
        }
    }

    pub(super) fn ids(&self, conn: &Connection) -> Result<Vec<i64>> {
        let sql = self
            .sql
            .replace("WHERE 1 AND", "WHERE")
            .replace("WHERE 1 ORDER", "ORDER")
            .replace("WHERE 1 LIMIT", "LIMIT");
        let mut st = conn.prepare(&sql).with_context(|| format!("bad query: {sql}"))?;
        let rows = st.query_map(params_from_iter(self.params.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(super) fn like(words: &str) -> String {
    format!("%{}%", words.replace(['%', '_'], ""))
}
