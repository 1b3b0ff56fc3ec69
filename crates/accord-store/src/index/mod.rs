//! The search index (tantivy), derived from the registry: SQLite stays the
//! source of truth. Triggers mark every changed entity in `search_dirty` in
//! the same transaction as the change; [`SearchIndex::sync`] writes those
//! entities again into the index after the commit and only then empties
//! the marks it read. A crash between the two leaves the marks, so the next
//! sync (the next ingest batch, curation, the server's periodic sync or
//! `accord reindex`) puts the index right.

mod analysis;
mod query;
mod recent;

pub use analysis::LANGUAGES;
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};

use anyhow::{Context, Result};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

/// Bumped whenever analysis or schema changes: an index of another version is rebuilt.
const VERSION: &str = "accord-search 1";

/// One searchable thing as the registry describes it (built by `sqlite::search::index_row`).
pub struct IndexRow {
    /// `institution`, `event`, `person` or `document`.
    pub kind: &'static str,
    /// Its id in the registry.
    pub id: i64,
    /// Name, event title or page title: weighs more than the body.
    pub title: String,
    /// Other names, evidence or the page's text.
    pub body: String,
    /// Event type or institution kind.
    pub subtype: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), for the year facet and recency.
    pub date: Option<String>,
    /// Language code of the page it comes from.
    pub lang: Option<String>,
    /// Medical fields.
    pub fields: Vec<String>,
}

/// The fields of the index.
#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    country: Field,
    year: Field,
    lang: Field,
    facets: Field,
    day: Field,
    /// (title, body) analysed per language, in the order of [`LANGUAGES`].
    text: [(Field, Field); 6],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored = TextOptions::default().set_stored();
    let key = b.add_text_field("key", STRING);
    let kind = b.add_text_field("kind", STRING | STORED);
    let id = b.add_i64_field("id", STORED);
    let title = b.add_text_field("title", stored.clone());
    let body = b.add_text_field("body", stored.clone());
    let country = b.add_text_field("country", stored.clone());
    let year = b.add_text_field("year", stored.clone());
    let lang = b.add_text_field("lang", stored);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let day = b.add_i64_field("day", FAST);
    let text = LANGUAGES.map(|l| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&format!("accord_{l}"))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        (
            b.add_text_field(&format!("t_{l}"), options.clone()),
            b.add_text_field(&format!("b_{l}"), options),
        )
    });
    let fields = Fields {
        key,
        kind,
        id,
        title,
        body,
        country,
        year,
        lang,
        facets,
        day,
        text,
    };
    (b.build(), fields)
}

/// The index with its reader; one per index folder in a process, shared by
/// every connection of the registry.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One sync at a time in this process (tantivy's lock keeps other processes out).
    writing: Mutex<()>,
    /// Answers of recent searches on the index as it is now.
    recent: recent::RecentAnswers,
    /// Totals and facet counts (no hits) of recent searches, for their other pages.
    recent_counts: recent::RecentAnswers,
}

/// Where the index of the registry at `db` lives: a folder beside it.
pub fn index_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

impl SearchIndex {
    /// The index in folder `dir` (created, or rebuilt when of another
    /// version), shared within the process; true when it is new and must be
    /// filled from the registry.
    pub fn open(dir: &Path) -> Result<(Arc<SearchIndex>, bool)> {
        static OPEN: OnceLock<Mutex<HashMap<PathBuf, Arc<SearchIndex>>>> = OnceLock::new();
        let mut open = OPEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create the search index folder", dir.display()))?;
        let canonical = dir
            .canonicalize()
            .with_context(|| format!("{}: cannot find the search index", dir.display()))?;
        if let Some(index) = open.get(&canonical) {
            return Ok((index.clone(), false));
        }
        let (index, fresh) = Self::open_dir(&canonical).with_context(|| format!("{}: cannot open the search index", dir.display()))?;
        let index = Arc::new(index);
        open.insert(canonical, index.clone());
        Ok((index, fresh))
    }

    fn open_dir(dir: &Path) -> Result<(SearchIndex, bool)> {
        let version = dir.join("VERSION");
        let current = std::fs::read_to_string(&version).is_ok_and(|v| v.trim() == VERSION);
        let (schema, _) = schema();
        if current && Index::exists(&MmapDirectory::open(dir)?)? {
            if let Ok(index) = Index::open_in_dir(dir) {
                if index.schema() == schema {
                    return Ok((Self::with(index)?, false));
                }
            }
        }
        std::fs::remove_dir_all(dir)?;
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        std::fs::write(&version, VERSION)?;
        Ok((Self::with(index)?, true))
    }

    /// The index of a registry this process may not write (see
    /// `SqliteStore::open_existing`): the folder's index when it is of this
    /// version, opened without writing to it; otherwise (missing, outdated,
    /// or a folder that cannot be read) one built in memory from `conn`,
    /// which is only read, as the registry is when first opened. Shared
    /// within the process, like [`SearchIndex::open`]'s.
    pub fn open_read_only(dir: &Path, conn: &Connection) -> Result<Arc<SearchIndex>> {
        static OPEN: OnceLock<Mutex<HashMap<PathBuf, Arc<SearchIndex>>>> = OnceLock::new();
        let mut open = OPEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Some(index) = open.get(&key) {
            return Ok(index.clone());
        }
        let index = Self::read_only_dir(dir, conn)?;
        open.insert(key, index.clone());
        Ok(index)
    }

    fn read_only_dir(dir: &Path, conn: &Connection) -> Result<Arc<SearchIndex>> {
        let current = std::fs::read_to_string(dir.join("VERSION")).is_ok_and(|v| v.trim() == VERSION);
        if current {
            let opened = MmapDirectory::open(dir)
                .map_err(anyhow::Error::from)
                .and_then(|d| Ok(Index::open(d)?))
                .and_then(|index| {
                    if index.schema() == schema().0 {
                        Ok(Self::with(index)?)
                    } else {
                        anyhow::bail!("another schema")
                    }
                });
            match opened {
                Ok(index) => return Ok(Arc::new(index)),
                Err(e) => tracing::info!(
                    "{}: search index not usable read-only ({e:#}); building one in memory",
                    dir.display()
                ),
            }
        }
        let index = Self::in_memory()?;
        let mut writer: IndexWriter = index.index.writer_with_num_threads(1, 64 << 20)?;
        let all: Vec<(String, i64)> = {
            let mut st = conn.prepare(
                "SELECT 'institution', id FROM institutions UNION ALL SELECT 'event', id FROM events \
                 UNION ALL SELECT 'person', id FROM people UNION ALL SELECT 'document', id FROM documents",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        index.write_entities(&mut writer, conn, &all)?;
        writer.commit().context("cannot commit the search index")?;
        index.reader.reload()?;
        Ok(index)
    }

    /// An index in memory, for a registry in memory.
    pub fn in_memory() -> Result<Arc<SearchIndex>> {
        Ok(Arc::new(Self::with(Index::create_in_ram(schema().0))?))
    }

    fn with(index: Index) -> Result<SearchIndex> {
        for l in LANGUAGES {
            index.tokenizers().register(&format!("accord_{l}"), analysis::analyzer(l, false));
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields: schema().1,
            writing: Mutex::new(()),
            recent: recent::RecentAnswers::default(),
            recent_counts: recent::RecentAnswers::default(),
        })
    }

    /// Writes again every entity marked in `search_dirty` (all of them,
    /// from scratch, when `rebuild`), then removes the marks it read.
    /// Returns how many were written, or `None` when another process holds
    /// the index (its marks wait for the next sync).
    pub fn sync(&self, conn: &Connection, rebuild: bool) -> Result<Option<usize>> {
        let _one = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        if rebuild {
            mark_all(conn)?;
        }
        let Some(last): Option<i64> = conn.query_row("SELECT max(rowid) FROM search_dirty", [], |r| r.get(0))? else {
            return Ok(Some(0));
        };
        let mut writer: IndexWriter = match self.index.writer_with_num_threads(1, 64 << 20) {
            Ok(w) => w,
            Err(TantivyError::LockFailure(..)) => return Ok(None),
            Err(e) => return Err(e).context("cannot write the search index"),
        };
        if rebuild {
            writer.delete_all_documents()?;
        }
        let dirty: Vec<(String, i64)> = {
            let mut st = conn.prepare("SELECT DISTINCT kind, id FROM search_dirty WHERE rowid <= ?")?;
            let rows = st.query_map([last], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        self.write_entities(&mut writer, conn, &dirty)?;
        writer.commit().context("cannot commit the search index")?;
        writer.wait_merging_threads().context("cannot merge the search index")?;
        conn.execute("DELETE FROM search_dirty WHERE rowid <= ?", [last])?;
        self.reader.reload()?;
        Ok(Some(dirty.len()))
    }

    /// Replaces the documents of `entities` with what the registry says of them now.
    fn write_entities(&self, writer: &mut IndexWriter, conn: &Connection, entities: &[(String, i64)]) -> Result<()> {
        for (kind, id) in entities {
            writer.delete_term(Term::from_field_text(self.fields.key, &format!("{kind}:{id}")));
            if let Some(row) = crate::sqlite::index_row(conn, kind, *id)? {
                writer.add_document(self.document(&row))?;
            }
        }
        Ok(())
    }

    fn document(&self, row: &IndexRow) -> TantivyDocument {
        let f = &self.fields;
        let year = row
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
        let mut d = doc!(
            f.key => format!("{}:{}", row.kind, row.id),
            f.kind => row.kind,
            f.id => row.id,
            f.title => row.title.as_str(),
            f.body => row.body.as_str(),
            f.day => row.date.as_deref().and_then(days).unwrap_or(i64::MIN),
            f.facets => Facet::from_path(["kind", row.kind]),
        );
        let lang = analysis::analyzer_language(row.lang.as_deref());
        let (t, b) = f.text[LANGUAGES.iter().position(|l| *l == lang).unwrap_or(5)];
        d.add_text(t, &row.title);
        d.add_text(b, &row.body);
        let mut facet = |name: &str, value: &str| d.add_facet(f.facets, Facet::from_path([name, value]));
        if let Some(s) = &row.subtype {
            facet("type", s);
        }
        if let Some(c) = &row.country {
            facet("country", c);
        }
        if let Some(y) = year {
            facet("year", y);
        }
        if let Some(l) = &row.lang {
            facet("lang", l);
        }
        for field in &row.fields {
            facet("field", field);
        }
        for (field, value) in [(f.country, &row.country), (f.year, &year.map(str::to_string)), (f.lang, &row.lang)] {
            if let Some(v) = value {
                d.add_text(field, v);
            }
        }
        d
    }
}

/// Marks every entity of the registry for the index.
pub fn mark_all(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO search_dirty SELECT 'institution', id FROM institutions;
         INSERT INTO search_dirty SELECT 'event', id FROM events;
         INSERT INTO search_dirty SELECT 'person', id FROM people;
         INSERT INTO search_dirty SELECT 'document', id FROM documents;",
    )?;
    Ok(())
}

/// Days since 1970-01-01 of a date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
/// (a missing month or day counts as the first).
pub fn days(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let y = parts.next()??;
    let m = parts.next().flatten().unwrap_or(1).clamp(1, 12);
    let d = parts.next().flatten().unwrap_or(1).clamp(1, 31);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::days;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(days("2024"), days("2024-01-01"));
        assert_eq!(days("soon"), None);
    }
}
