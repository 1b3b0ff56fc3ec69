//! Opening a registry: creating the file, checking an existing one, the
//! connection's settings, the schema migrations, and waiting out the
//! locks other processes hold while they do the same.

use super::{read_only, SqliteStore};
use crate::index::{index_dir, SearchIndex};
use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// The schema's migrations, in order; `PRAGMA user_version` counts those applied.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_registry.sql"),
    include_str!("../../migrations/0002_curation_search.sql"),
    include_str!("../../migrations/0003_user_revocation.sql"),
    include_str!("../../migrations/0004_search_index.sql"),
    include_str!("../../migrations/0005_review_curation.sql"),
    include_str!("../../migrations/0006_ror_relationships.sql"),
];

/// How long a connection waits for another's lock before it gives up.
pub(super) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether `e` is SQLite saying another connection holds a lock it needs.
pub(super) fn is_busy(e: &anyhow::Error) -> bool {
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
pub(super) fn patiently<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
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
pub(super) fn create_private(path: &Path) -> std::io::Result<()> {
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
pub(super) fn registry_file(path: &Path) -> std::result::Result<(), &'static str> {
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
pub(super) fn has_registry_schema(conn: &Connection) -> bool {
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
}
