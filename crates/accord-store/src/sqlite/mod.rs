//! The registry in an embedded SQLite database (WAL, versioned migrations).

mod curation;
mod links;
mod read_only;
mod search;

pub(crate) use search::index_row;

use crate::index::{index_dir, SearchIndex};
use crate::resolve::{
    agree, confirm, dates_compatible, is_acronym, is_distinctive, name_key, parties_overlap, person_name_key, MAX_PARTIES,
};
use crate::{
    AuditEntry, CountryMap, Curation, DocumentRow, EventDetail, EventRow, Evidence, Filter, IngestDoc, InstitutionDetail, InstitutionRow,
    Network, Outcome, PersonDetail, PersonRow, Role, RorOrg, SearchQuery, SearchResults, Store, Summary, User,
};
use accord_model::{Organization, Record, Span};
use anyhow::{bail, Context, Result};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The schema's migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_registry.sql"),
    include_str!("../../migrations/0002_curation_search.sql"),
    include_str!("../../migrations/0003_user_revocation.sql"),
    include_str!("../../migrations/0004_search_index.sql"),
];

/// How long a connection waits for another's lock before it gives up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether `e` is SQLite saying another connection holds a lock it needs.
fn is_busy(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<rusqlite::Error>().and_then(rusqlite::Error::sqlite_error_code),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    })
}

/// Runs `f` again while it fails because another connection holds a lock,
/// for at most [`BUSY_TIMEOUT`]. Some of SQLite's locks (switching the
/// journal mode, a read turning into a write) are taken without the busy
/// handler, failing at once with "database is locked"; the set-up of a new
/// registry opened by several processes together waits its turn here.
fn patiently<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let until = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = std::time::Duration::from_millis(2);
    loop {
        match f() {
            Err(e) if is_busy(&e) && std::time::Instant::now() < until => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(100));
            }
            out => return out,
        }
    }
}

/// Creates `path` empty with mode 0600 when it does not exist (SQLite gives
/// its -wal and -shm files the same mode); an existing file is left alone.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Why `path` cannot be a registry, judged from its first bytes alone
/// (reading never changes a file).
fn registry_file(path: &Path) -> std::result::Result<(), &'static str> {
    use std::io::Read;
    if path.is_dir() {
        return Err("a folder, not a registry file");
    }
    let mut file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no registry here",
        std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)",
        _ => "cannot be read",
    })?;
    let mut header = [0u8; 16];
    let n = file.read(&mut header).map_err(|_| "cannot be read")?;
    match n {
        0 => Err("an empty file, not a registry"),
        16 if &header == b"SQLite format 3\0" => Ok(()),
        _ => Err("not a registry (not an SQLite database)"),
    }
}

/// Whether an opened database holds Accord's schema (version and tables).
fn has_registry_schema(conn: &Connection) -> bool {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap_or(0);
    let documents: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    version >= 1 && documents == 1
}

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
    /// Opens (or creates) the registry at `path` and brings its schema up to date.
    /// A new registry file is created readable by its owner only (0600):
    /// it holds the users' token hashes and the audit log.
    pub fn open(path: &Path) -> Result<Self> {
        create_private(path).with_context(|| format!("{}: cannot create the registry database", path.display()))?;
        let conn = Connection::open(path).with_context(|| format!("{}: cannot open the registry database", path.display()))?;
        Self::setup(conn, Some(path), false).with_context(|| format!("{}: not a usable Accord registry", path.display()))
    }

    /// Opens a registry that must already exist: reading commands and the
    /// server never create one by mistake, nor turn another file into one.
    /// The file is checked before anything is written to it. A registry
    /// this process may not write (the file, or its folder) is opened
    /// read-only: it reads as usual and refuses every write with a message.
    pub fn open_existing(path: &Path) -> Result<Self> {
        Self::open_registry(path, !read_only::writable(path))
    }

    /// Opens an existing registry read-only whatever its permissions: it
    /// reads as usual, writes nothing (no journal-mode switch, no
    /// migration, no index sync) and refuses every change with a message.
    /// For a copy that must stay as it is even for someone who could write it.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Self::open_registry(path, true)
    }

    /// [`SqliteStore::open_existing`], read-only or not as told.
    fn open_registry(path: &Path, read_only: bool) -> Result<Self> {
        if let Err(why) = registry_file(path) {
            bail!(
                "{}: {why}; point --db at a registry that `accord ingest` wrote, or run `accord ingest PATH --db {}` to make one",
                path.display(),
                path.display()
            );
        }
        let conn = if read_only {
            read_only::connection(path)?
        } else {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .with_context(|| format!("{}: cannot open the registry database", path.display()))?
        };
        if !has_registry_schema(&conn) {
            bail!(
                "{}: an SQLite database, but not an Accord registry (no Accord tables in it); point --db at the file `accord ingest` wrote",
                path.display()
            );
        }
        Self::setup(conn, Some(path), read_only).with_context(|| format!("{}: not a usable Accord registry", path.display()))
    }

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

    /// A registry in memory, for tests and one-off runs.
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, None, false)
    }

    /// Configures the connection, migrates the schema and opens the search
    /// index beside the file at `path` (in memory without one); a new index
    /// gets every entity marked, for the next sync to fill it.
    /// A read-only registry is neither switched nor migrated, and its index
    /// is opened as it is (see [`SearchIndex::open_read_only`]).
    fn setup(conn: Connection, path: Option<&Path>, read_only: bool) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if read_only {
            return Self::setup_read_only(conn, path);
        }
        // Only a registry not yet in WAL mode is switched (a write): opening
        // one already in it writes nothing, so a read-only copy still reads.
        // Two processes switching a new file at once contend for a lock
        // SQLite takes without its busy handler: the loser waits and retries.
        patiently(|| {
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.pragma_update(None, "journal_mode", "WAL")?;
            }
            Ok(())
        })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Pages read through a memory map (its first 256 MB) and a 32 MB
        // cache instead of one read call per page: a large registry is
        // written and searched faster, in bounded memory.
        conn.pragma_update(None, "mmap_size", 256i64 << 20)?;
        conn.pragma_update(None, "cache_size", -32_768)?;
        let (index, fresh) = match path {
            Some(p) => SearchIndex::open(&index_dir(p))?,
            None => (SearchIndex::in_memory()?, true),
        };
        let mut store = SqliteStore {
            conn,
            index,
            stop: std::sync::Mutex::new(None),
            read_only: false,
        };
        patiently(|| store.migrate())?;
        if fresh {
            patiently(|| crate::index::mark_all(&store.conn))?;
        }
        Ok(store)
    }

    /// [`SqliteStore::setup`] of a registry that is only read: its schema
    /// must already be this Accord's, since migrating it would write.
    fn setup_read_only(conn: Connection, path: Option<&Path>) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "mmap_size", 256i64 << 20)?;
        conn.pragma_update(None, "cache_size", -32_768)?;
        let version = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
        let shown = path.map_or_else(|| "the registry".to_string(), |p| p.display().to_string());
        if version < MIGRATIONS.len() {
            bail!(
                "{shown} is read-only here and its schema (version {version}) is older than this Accord's ({}): \
                 open it once with write access (any command, e.g. `accord summary --db {shown}`, run by someone who may write it) \
                 to bring it up to date",
                MIGRATIONS.len()
            );
        }
        if version > MIGRATIONS.len() {
            bail!(
                "the database has schema version {version}, newer than this Accord knows ({}); upgrade Accord",
                MIGRATIONS.len()
            );
        }
        let index = match path {
            Some(p) => SearchIndex::open_read_only(&index_dir(p), &conn)?,
            None => SearchIndex::in_memory()?,
        };
        Ok(SqliteStore {
            conn,
            index,
            stop: std::sync::Mutex::new(None),
            read_only: true,
        })
    }

    /// Brings the search index up to date after a commit. A failure is only
    /// logged: the commit stands and its marks wait for the next sync.
    fn sync_after_commit(&self) {
        if let Err(e) = self.index.sync(&self.conn, false) {
            tracing::warn!("the search index is behind the registry until the next sync: {e:#}");
        }
    }

    /// Brings the schema up to date. The version is read inside a write
    /// transaction taken at once, so two processes opening a brand-new
    /// registry together migrate it once: the second waits, then finds it done.
    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version as usize == MIGRATIONS.len() {
            return Ok(());
        }
        let tx = self.write()?;
        let version = tx.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
        if version > MIGRATIONS.len() {
            bail!(
                "the database has schema version {version}, newer than this Accord knows ({}); upgrade Accord",
                MIGRATIONS.len()
            );
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql).with_context(|| format!("migration {} failed", i + 1))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
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
        let count = |sql: &str| -> Result<usize> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize) };
        let pairs = |sql: &str| -> Result<Vec<(String, usize)>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Summary {
            documents: count("SELECT COUNT(*) FROM documents")?,
            institutions: count("SELECT COUNT(*) FROM institutions")?,
            institutions_in_ror: count("SELECT COUNT(*) FROM institutions WHERE ror_id IS NOT NULL")?,
            people: count("SELECT COUNT(*) FROM people")?,
            events: count("SELECT COUNT(*) FROM events")?,
            event_sources: count("SELECT COUNT(*) FROM event_sources")?,
            top_countries: pairs(
                "SELECT i.country, COUNT(DISTINCT p.event_id) n FROM event_parties p JOIN institutions i ON i.id = p.institution_id \
                 WHERE i.country IS NOT NULL GROUP BY i.country ORDER BY n DESC, i.country LIMIT 10",
            )?,
            events_by_type: pairs("SELECT type, COUNT(*) n FROM events GROUP BY type ORDER BY n DESC, type")?,
            latest_events: self.events(&Filter {
                limit: Some(5),
                ..Filter::default()
            })?,
        })
    }

    fn institutions(&self, f: &Filter) -> Result<Vec<InstitutionRow>> {
        let mut q = Query::new(
            "SELECT i.id FROM institutions i \
             LEFT JOIN (SELECT institution_id, COUNT(*) n FROM event_parties GROUP BY institution_id) ev ON ev.institution_id = i.id \
             WHERE 1",
        );
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
        q.ids(&self.conn)?.into_iter().map(|id| institution_row(&self.conn, id)).collect()
    }

    fn events(&self, f: &Filter) -> Result<Vec<EventRow>> {
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
        q.ids(&self.conn)?.into_iter().map(|id| event_row(&self.conn, id)).collect()
    }

    fn people(&self, f: &Filter) -> Result<Vec<PersonRow>> {
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
        q.ids(&self.conn)?.into_iter().map(|id| person_row(&self.conn, id)).collect()
    }

    fn institution(&self, id: i64) -> Result<Option<InstitutionDetail>> {
        let ror_match: Option<(Option<String>, Option<f64>)> = self
            .conn
            .query_row("SELECT ror_match, ror_score FROM institutions WHERE id = ?", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some(ror_match) = ror_match else { return Ok(None) };
        let row = institution_row(&self.conn, id)?;
        let mut st = self.conn.prepare(
            "SELECT o.institution_id, i.name, COUNT(*) n FROM event_parties p JOIN event_parties o ON o.event_id = p.event_id \
             AND o.institution_id != p.institution_id JOIN institutions i ON i.id = o.institution_id \
             WHERE p.institution_id = ? GROUP BY o.institution_id ORDER BY n DESC, i.name",
        )?;
        let partners = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize)))?
            .collect::<rusqlite::Result<_>>()?;
        let org = Some(id.to_string());
        let events = self.events(&Filter {
            org: org.clone(),
            review: Some("all".to_string()),
            ..Filter::default()
        })?;
        let people = self.people(&Filter { org, ..Filter::default() })?;
        let mentions = mention_evidence(
            &self.conn,
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

    fn event(&self, id: i64) -> Result<Option<EventDetail>> {
        type Attrs = (Option<String>, Option<String>, Option<String>, Option<String>);
        let attrs: Option<Attrs> = self
            .conn
            .query_row(
                "SELECT subtype, initiative, mode, participants FROM events WHERE id = ?",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((subtype, initiative, mode, participants)) = attrs else {
            return Ok(None);
        };
        let mut st = self.conn.prepare(
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
            let (path, source_url) = location(&self.conn, doc)?;
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
            row: event_row(&self.conn, id)?,
            subtype,
            initiative,
            mode,
            participants: participants.and_then(|p| serde_json::from_str(&p).ok()),
            signatories,
            sources,
        }))
    }

    fn person(&self, id: i64) -> Result<Option<PersonDetail>> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM people WHERE id = ?", [id], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        let mut titles: Vec<String> = Vec::new();
        let mut st = self.conn.prepare("SELECT titles FROM person_mentions WHERE person_id = ?")?;
        for t in st.query_map([id], |r| r.get::<_, String>(0))? {
            for t in serde_json::from_str::<Vec<String>>(&t?).unwrap_or_default() {
                if !titles.contains(&t) {
                    titles.push(t);
                }
            }
        }
        let mentions = mention_evidence(
            &self.conn,
            "SELECT document_id, spans, reason, NULL FROM person_mentions WHERE person_id = ? ORDER BY document_id",
            id,
        )?;
        Ok(Some(PersonDetail {
            row: person_row(&self.conn, id)?,
            titles,
            mentions,
        }))
    }

    fn document(&self, id: i64) -> Result<Option<DocumentRow>> {
        type Row = (String, Option<String>, Option<String>, String, String);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT doc, language, published, text, record FROM documents WHERE id = ?",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((doc, language, published, text, record)) = row else {
            return Ok(None);
        };
        let mut st = self
            .conn
            .prepare("SELECT path, source_url FROM document_locations WHERE document_id = ? ORDER BY path")?;
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
            links: links::document_links(&self.conn, id)?,
        }))
    }

    fn import_ror(&mut self, orgs: &mut dyn Iterator<Item = Result<RorOrg>>) -> Result<(usize, usize)> {
        let tx = self.write()?;
        tx.execute_batch("DELETE FROM ror_names; DELETE FROM ror_organizations;")?;
        let mut imported = 0;
        {
            let mut org_st = tx.prepare("INSERT OR REPLACE INTO ror_organizations VALUES (?, ?, ?, ?, ?, ?)")?;
            let mut name_st = tx.prepare("INSERT INTO ror_names VALUES (?, ?, ?, ?, ?)")?;
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
                imported += 1;
            }
        }
        let linked = link_all_to_ror(&tx)?;
        tx.commit()?;
        self.sync_after_commit();
        Ok((imported, linked))
    }

    fn network(&self, f: &Filter) -> Result<Network> {
        search::network(&self.conn, f)
    }

    fn country_map(&self, f: &Filter) -> Result<CountryMap> {
        search::country_map(&self.conn, f)
    }

    fn events_per_year(&self) -> Result<Vec<(String, usize)>> {
        search::events_per_year(&self.conn)
    }

    fn review_queue(&self) -> Result<Vec<(String, usize, String)>> {
        search::review_queue(&self.conn)
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
}

/// A query built from optional filters, with its parameters in order.
struct Query {
    sql: String,
    params: Vec<String>,
}

impl Query {
    fn new(sql: &str) -> Self {
        Query {
            sql: sql.to_string(),
            params: Vec::new(),
        }
    }

    fn and<I: IntoIterator<Item = String>>(&mut self, cond: &str, params: I) {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
        self.params.extend(params);
    }

    /// An institution given by id, or by a part of one of its names.
    fn org(&mut self, column: &str, org: &str) {
        match org.parse::<i64>() {
            Ok(id) => self.and(&format!("{column} = ?"), [id.to_string()]),
            Err(_) => self.and(
                &format!("{column} IN (SELECT institution_id FROM institution_names WHERE name LIKE ?)"),
                [like(org)],
            ),
        }
    }

    /// Date range and field filters on events aliased `e`.
    fn event_dates_and_field(&mut self, f: &Filter) {
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

    fn limit_offset(&mut self, limit: Option<usize>, offset: Option<usize>) {
        match (limit, offset) {
            (Some(n), off) => self.sql.push_str(&format!(" LIMIT {n} OFFSET {}", off.unwrap_or(0))),
            (None, Some(off)) => self.sql.push_str(&format!(" LIMIT -1 OFFSET {off}")),
            (None, None) => {}
        }
    }

    fn ids(&self, conn: &Connection) -> Result<Vec<i64>> {
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

fn like(words: &str) -> String {
    format!("%{}%", words.replace(['%', '_'], ""))
}

fn institution_row(conn: &Connection, id: i64) -> Result<InstitutionRow> {
    let mut row = conn.query_row(
        "SELECT name, kind, country, city, ror_id, \
         (SELECT COUNT(DISTINCT document_id) FROM org_mentions WHERE institution_id = ?1), \
         (SELECT COUNT(*) FROM event_parties WHERE institution_id = ?1) FROM institutions WHERE id = ?1",
        [id],
        |r| {
            Ok(InstitutionRow {
                id,
                name: r.get(0)?,
                kind: r.get(1)?,
                country: r.get(2)?,
                city: r.get(3)?,
                ror_id: r.get(4)?,
                names: Vec::new(),
                documents: r.get::<_, i64>(5)? as usize,
                events: r.get::<_, i64>(6)? as usize,
            })
        },
    )?;
    let mut st = conn.prepare_cached("SELECT name FROM institution_names WHERE institution_id = ? ORDER BY rowid")?;
    row.names = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(row)
}

fn event_row(conn: &Connection, id: i64) -> Result<EventRow> {
    let mut row = conn.query_row("SELECT type, date, city, country, status FROM events WHERE id = ?", [id], |r| {
        Ok(EventRow {
            id,
            event_type: r.get(0)?,
            date: r.get(1)?,
            city: r.get(2)?,
            country: r.get(3)?,
            status: r.get(4)?,
            parties: Vec::new(),
            fields: Vec::new(),
            sources: Vec::new(),
        })
    })?;
    let mut st = conn.prepare_cached(
        "SELECT i.id, i.name FROM event_parties p JOIN institutions i ON i.id = p.institution_id WHERE p.event_id = ? ORDER BY p.rowid",
    )?;
    row.parties = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached("SELECT field FROM event_fields WHERE event_id = ? ORDER BY field")?;
    row.fields = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached(
        "SELECT COALESCE(MIN(l.source_url), MIN(l.path)) FROM event_sources s JOIN document_locations l ON l.document_id = s.document_id \
         WHERE s.event_id = ? GROUP BY s.document_id ORDER BY s.document_id",
    )?;
    row.sources = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(row)
}

fn person_row(conn: &Connection, id: i64) -> Result<PersonRow> {
    Ok(conn.query_row(
        "SELECT p.name, p.institution_id, i.name, (SELECT COUNT(DISTINCT document_id) FROM person_mentions WHERE person_id = p.id) \
         FROM people p LEFT JOIN institutions i ON i.id = p.institution_id WHERE p.id = ?",
        [id],
        |r| {
            let inst: Option<i64> = r.get(1)?;
            let inst_name: Option<String> = r.get(2)?;
            Ok(PersonRow {
                id,
                name: r.get(0)?,
                institution: inst.zip(inst_name),
                documents: r.get::<_, i64>(3)? as usize,
            })
        },
    )?)
}

/// The first path of a document, and its source URL.
fn location(conn: &Connection, doc: i64) -> Result<(String, Option<String>)> {
    let mut st = conn.prepare_cached("SELECT path, source_url FROM document_locations WHERE document_id = ? ORDER BY path LIMIT 1")?;
    Ok(st.query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Evidence of mentions stored as (document, JSON spans, reason) rows.
fn mention_evidence(conn: &Connection, sql: &str, id: i64) -> Result<Vec<Evidence>> {
    let mut st = conn.prepare(sql)?;
    type Row = (i64, String, String, Option<String>);
    let rows: Vec<Row> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (doc, spans, reason, local_id) in rows {
        let text: String = conn.query_row("SELECT text FROM documents WHERE id = ?", [doc], |r| r.get(0))?;
        let (path, source_url) = location(conn, doc)?;
        for span in serde_json::from_str::<Vec<Span>>(&spans).unwrap_or_default() {
            out.push(Evidence {
                document_id: doc,
                path: path.clone(),
                source_url: source_url.clone(),
                text: text.chars().skip(span.start).take(span.end - span.start).collect(),
                start: span.start,
                end: span.end,
                reason: reason.clone(),
                local_id: local_id.clone(),
            });
        }
    }
    Ok(out)
}

fn ingest_one(tx: &Transaction, d: &IngestDoc, ror: bool) -> Result<Outcome> {
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
fn remove_document(tx: &Transaction, doc: i64) -> Result<()> {
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
fn rederive(tx: &Transaction, institutions: &[i64], events: &[i64]) -> Result<()> {
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

/// An institution found for an organization of a page, and why.
struct Resolution {
    id: i64,
    reason: String,
}

fn resolve_orgs(tx: &Transaction, doc: i64, r: &Record, ror: bool) -> Result<HashMap<String, i64>> {
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
fn names_of(org: &Organization) -> Vec<String> {
    let mut seen = HashSet::new();
    std::iter::once(&org.name)
        .chain(&org.aliases)
        .filter(|n| !n.trim().is_empty() && seen.insert(name_key(n)))
        .cloned()
        .collect()
}

fn kind_name<T: serde::Serialize>(kind: &T) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The institution an organization of a page is, if the registry knows it:
/// the same ROR id; or the same full name with no country against it; or the
/// same acronym with the same country or city.
fn find_institution(tx: &Transaction, names: &[String], org: &Organization, link: Option<&RorLink>) -> Result<Option<Resolution>> {
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

fn create_institution(tx: &Transaction, org: &Organization, names: &[String], link: Option<&RorLink>) -> Result<i64> {
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
struct RorLink {
    ror_id: String,
    kind: String,
    name: String,
    score: f64,
}

/// The one ROR record the names designate: a full name (display name, label
/// or alias) whose country does not disagree, or an acronym whose country or
/// city agrees. Two candidates left standing mean no link: a wrong link is
/// worse than none.
fn link_ror(conn: &Connection, names: &[String], country: Option<&str>, city: Option<&str>) -> Result<Option<RorLink>> {
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
fn link_all_to_ror(tx: &Transaction) -> Result<usize> {
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

fn resolve_people(tx: &Transaction, doc: i64, r: &Record, orgs: &HashMap<String, i64>) -> Result<()> {
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
fn distinct(ids: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| seen.insert(*id)).collect()
}

fn resolve_events(tx: &Transaction, doc: i64, r: &Record, orgs: &HashMap<String, i64>) -> Result<()> {
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
fn same_event(tx: &Transaction, doc: i64, kind: &str, date: Option<&str>, parties: &[i64]) -> Result<Option<(i64, String)>> {
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
