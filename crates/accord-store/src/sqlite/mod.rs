//! The registry in an embedded SQLite database (WAL, versioned migrations).

mod audit;
mod curation;
mod event_edits;
mod ingest;
mod links;
mod network;
mod open;
mod profile;
mod query;
mod read;
mod read_only;
mod resolution;
mod review;
mod rows;
mod search;

pub(crate) use search::index_row;

use ingest::{ingest_one, rederive};
use query::Query;
use resolution::{kind_name, link_all_to_ror, names_of};
use rows::{event_row, institution_row};

use crate::index::SearchIndex;
use crate::resolve::name_key;
use crate::{
    AuditEntry, CountryMap, Curation, DocumentRow, EventDetail, EventRow, Filter, IngestDoc, InstitutionDetail, InstitutionRow, Network,
    Outcome, PersonDetail, PersonRow, Role, RorOrg, SearchQuery, SearchResults, Store, Summary, User,
};
use anyhow::{bail, Context, Result};
use rusqlite::types::Value;
use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use std::collections::HashMap;
use std::sync::Arc;

/// The registry kept in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// The search index derived from this registry (shared by its connections).
    index: Arc<SearchIndex>,
    /// The check [`SqliteStore::interrupt_when`] set, also asked by a search
    /// before and after it reads the index (which SQLite does not see).
    stop: std::sync::Mutex<Option<Box<dyn FnMut() -> bool + Send>>>,
    /// Opened read-only (see [`SqliteStore::open_existing`]): every write is refused.
    read_only: bool,
}

impl SqliteStore {
    /// Whether this registry was opened read-only (see [`SqliteStore::open_existing`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Fails with a [`crate::Refused`] message when the registry is read-only.
    fn writable(&self) -> Result<()> {
        if self.read_only {
            bail!(crate::Refused(
                "this registry is read-only here (its file or its folder cannot be written): nothing can be changed or signed into; \
                 use a copy you may write"
                    .into()
            ));
        }
        Ok(())
    }

    /// Stops what this connection runs (SQLite checks every thousand
    /// steps) once `stop` answers true, so a request past its deadline or
    /// abandoned by its client gives its connection back; `None` removes
    /// the check. The interrupted call fails with "interrupted". A search
    /// asks it too, before and after reading the search index.
    pub fn interrupt_when<F: FnMut() -> bool + Clone + Send + 'static>(&mut self, stop: Option<F>) -> Result<()> {
        let boxed = stop.clone().map(|f| Box::new(f) as Box<dyn FnMut() -> bool + Send>);
        *self.stop.lock().unwrap_or_else(|e| e.into_inner()) = boxed;
        self.conn.progress_handler(1000, stop)?;
        Ok(())
    }

    /// Fails with "interrupted" once the check of [`SqliteStore::interrupt_when`] answers true.
    fn check_stop(&self) -> Result<()> {
        let mut stop = self.stop.lock().unwrap_or_else(|e| e.into_inner());
        if stop.as_mut().is_some_and(|f| f()) {
            bail!("interrupted");
        }
        Ok(())
    }

    /// Brings the search index up to date after a commit. A failure is only
    /// logged: the commit stands and its marks wait for the next sync.
    fn sync_after_commit(&self) {
        if let Err(e) = self.index.sync(&self.conn, false) {
            tracing::warn!("the search index is behind the registry until the next sync: {e:#}");
        }
    }

    /// A write transaction holding the write lock from its start (`BEGIN
    /// IMMEDIATE`): a writer that finds another at work waits its turn
    /// under the busy timeout, instead of failing with "database is
    /// locked" when its read would turn into a write.
    fn write(&mut self) -> Result<Transaction<'_>> {
        self.writable()?;
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Every row of every registry table (the search index, derived from
    /// them, left out), in a stable order: two registries with the same
    /// content give the same dump.
    pub fn dump(&self) -> Result<String> {
        let tables: Vec<String> = {
            let mut st = self.conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE 'sqlite%' ORDER BY name",
            )?;
            let names = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            names
        };
        let mut out = String::new();
        for t in tables {
            let n = self.conn.prepare(&format!("SELECT * FROM \"{t}\""))?.column_count();
            let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            let mut st = self.conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {}", order.join(", ")))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap_or(Value::Null)))
                    .collect();
                out.push_str(&format!("{t}\t{}\n", cells.join("\t")));
            }
        }
        Ok(out)
    }

    fn ror_loaded(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM ror_organizations)", [], |r| r.get(0))?)
    }
}

impl Store for SqliteStore {
    fn known_paths(&self) -> Result<HashMap<String, String>> {
        let mut st = self
            .conn
            .prepare("SELECT l.path, d.hash FROM document_locations l JOIN documents d ON d.id = l.document_id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ingest(&mut self, docs: &[IngestDoc]) -> Result<Vec<Outcome>> {
        let ror = self.ror_loaded()?;
        let tx = self.write()?;
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            out.push(ingest_one(&tx, d, ror).with_context(|| format!("{}: cannot store its facts", d.path))?);
        }
        curation::apply_overrides(&tx)?;
        tx.commit()?;
        self.sync_after_commit();
        Ok(out)
    }

    fn summary(&self) -> Result<Summary> {
        read::summary(&self.conn)
    }

    fn institutions(&self, f: &Filter) -> Result<Vec<InstitutionRow>> {
        read::institutions(&self.conn, f)
    }

    fn events(&self, f: &Filter) -> Result<Vec<EventRow>> {
        read::events(&self.conn, f)
    }

    fn people(&self, f: &Filter) -> Result<Vec<PersonRow>> {
        read::people(&self.conn, f)
    }

    fn institution(&self, id: i64) -> Result<Option<InstitutionDetail>> {
        read::institution(&self.conn, id)
    }

    fn event(&self, id: i64) -> Result<Option<EventDetail>> {
        read::event(&self.conn, id)
    }

    fn person(&self, id: i64) -> Result<Option<PersonDetail>> {
        read::person(&self.conn, id)
    }

    fn document(&self, id: i64) -> Result<Option<DocumentRow>> {
        read::document(&self.conn, id)
    }

    fn import_ror(&mut self, orgs: &mut dyn Iterator<Item = Result<RorOrg>>) -> Result<(usize, usize)> {
        let tx = self.write()?;
        tx.execute_batch("DELETE FROM ror_relationships; DELETE FROM ror_names; DELETE FROM ror_organizations;")?;
        let mut imported = 0;
        {
            let mut org_st = tx.prepare("INSERT OR REPLACE INTO ror_organizations VALUES (?, ?, ?, ?, ?, ?)")?;
            let mut name_st = tx.prepare("INSERT INTO ror_names VALUES (?, ?, ?, ?, ?)")?;
            let mut rel_st = tx.prepare("INSERT INTO ror_relationships VALUES (?, ?, ?, ?)")?;
            for org in orgs {
                let org = org?;
                org_st.execute(params![
                    org.id,
                    org.name,
                    org.country,
                    org.city,
                    serde_json::to_string(&org.types)?,
                    org.established
                ])?;
                for (value, kind, lang) in &org.names {
                    name_st.execute(params![org.id, value, name_key(value), kind, lang])?;
                }
                for (kind, related, label) in &org.relationships {
                    rel_st.execute(params![org.id, related, kind, label])?;
                }
                imported += 1;
            }
        }
        let linked = link_all_to_ror(&tx)?;
        tx.commit()?;
        self.sync_after_commit();
        Ok((imported, linked))
    }

    fn network(&self, f: &Filter) -> Result<Network> {
        let whole = crate::NetworkQuery {
            filter: f.clone(),
            min_weight: 1,
            ..crate::NetworkQuery::default()
        };
        network::network_view(&self.conn, &whole)
    }

    fn network_view(&self, q: &crate::NetworkQuery) -> Result<Network> {
        network::network_view(&self.conn, q)
    }

    fn institution_profile(&self, id: i64) -> Result<Option<crate::InstitutionProfile>> {
        profile::institution_profile(&self.conn, id)
    }

    fn country_map(&self, f: &Filter) -> Result<CountryMap> {
        search::country_map(&self.conn, f)
    }

    fn events_per_year(&self) -> Result<Vec<(String, usize)>> {
        search::events_per_year(&self.conn)
    }

    fn review_queue(&self) -> Result<Vec<(String, usize, String)>> {
        review::queue_counts(&self.conn)
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        self.check_stop()?;
        let results = self.index.search(query).context("cannot read the search index")?;
        self.check_stop()?;
        Ok(results)
    }

    fn sync_search(&mut self) -> Result<Option<usize>> {
        if self.read_only {
            return Ok(Some(0));
        }
        self.index.sync(&self.conn, false)
    }

    fn reindex(&mut self) -> Result<usize> {
        self.writable()?;
        match self.index.sync(&self.conn, true)? {
            Some(n) => Ok(n),
            None => bail!("another Accord process is writing the search index; run this again when it is done"),
        }
    }

    fn add_user(&mut self, name: &str, role: Role) -> Result<String> {
        self.writable()?;
        curation::add_user(&self.conn, name, role)
    }

    fn users(&self) -> Result<Vec<crate::UserRow>> {
        curation::users(&self.conn)
    }

    fn revoke_user(&mut self, name: &str) -> Result<()> {
        let tx = self.write()?;
        curation::revoke_user(&tx, name)?;
        tx.commit()?;
        Ok(())
    }

    fn new_token(&mut self, name: &str) -> Result<String> {
        self.writable()?;
        curation::new_token(&self.conn, name)
    }

    fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        curation::user_by_token(&self.conn, token)
    }

    fn open_session(&mut self, user: &User) -> Result<(String, String)> {
        self.writable()?;
        curation::open_session(&self.conn, user)
    }

    fn session(&self, id: &str) -> Result<Option<(User, String)>> {
        curation::session(&self.conn, id)
    }

    fn close_session(&mut self, id: &str) -> Result<()> {
        self.writable()?;
        self.conn
            .execute("DELETE FROM sessions WHERE id = ?", [curation::session_key(id)])?;
        Ok(())
    }

    fn curate(&mut self, user: &User, change: &Curation) -> Result<i64> {
        let tx = self.write()?;
        let id = curation::curate(&tx, user, change)?;
        tx.commit()?;
        self.sync_after_commit();
        Ok(id)
    }

    fn audit(&self, target: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
        curation::audit(&self.conn, target, limit)
    }

    fn audit_page(&self, query: &crate::AuditQuery) -> Result<crate::AuditPage> {
        audit::page(&self.conn, query)
    }

    fn curate_all(&mut self, user: &User, changes: &[Curation]) -> Result<Vec<i64>> {
        let tx = self.write()?;
        let ids = curation::curate_all(&tx, user, changes)?;
        tx.commit()?;
        self.sync_after_commit();
        Ok(ids)
    }

    fn review(&self, queue: &str, limit: usize, offset: usize) -> Result<crate::ReviewPage> {
        review::review(&self.conn, queue, limit, offset)
    }

    fn merged_into(&self, id: i64) -> Result<Option<i64>> {
        curation::merged_into(&self.conn, id)
    }
}
