//! A registry opened read-only (issue 11) reads as usual, writes nothing —
//! no journal-mode switch, no migration, no index sync, no session — and
//! says what to do when its schema is older than this Accord's. Tested
//! through `open_read_only`, which holds whatever the permissions (the
//! tests may run as root, for whom `chmod` changes nothing); the CLI tests
//! check that a file or folder without write permission is opened so.

use accord_model::Record;
use accord_store::{content_hash, IngestDoc, Role, SearchQuery, SqliteStore, Store};
use std::path::{Path, PathBuf};

fn page(name: &str, title: &str) -> IngestDoc {
    let mut record = Record::empty(name);
    record.language = Some("en".into());
    record.title = Some(title.into());
    let text = format!("{title}: a page about cooperation.");
    IngestDoc {
        path: format!("pages/{name}"),
        source_url: None,
        hash: content_hash(text.as_bytes()),
        text,
        record,
    }
}

/// A registry of two pages, closed (no `-wal` or `-shm` left).
fn registry(dir: &Path) -> PathBuf {
    let db = dir.join("accord.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store
        .ingest(&[page("a.txt", "Northvale signing"), page("b.txt", "Eastbrook visit")])
        .unwrap();
    store.add_user("ed", Role::Editor).unwrap();
    db
}

fn found(store: &SqliteStore, q: &str) -> usize {
    let query = SearchQuery {
        q: q.into(),
        ..Default::default()
    };
    store.search(&query).unwrap().total
}

/// Every file in `dir` and a digest of its bytes, for "nothing was written".
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = walk(dir)
        .into_iter()
        .map(|p| (p.clone(), content_hash(&std::fs::read(&p).unwrap())))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

#[test]
fn a_registry_opened_read_only_reads_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    let before = snapshot(dir.path());
    let mut store = SqliteStore::open_read_only(&db).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.summary().unwrap().documents, 2);
    assert_eq!(found(&store, "Northvale"), 1, "the index beside it is searched");
    assert_eq!(store.sync_search().unwrap(), Some(0));
    let user = store.users().unwrap().remove(0).user;
    for refused in [
        store.open_session(&user).map(|_| ()),
        store.add_user("al", Role::Viewer).map(|_| ()),
        store.ingest(&[page("c.txt", "Westmoor training")]).map(|_| ()),
        store.reindex().map(|_| ()),
    ] {
        let e = refused.unwrap_err();
        assert!(e.downcast_ref::<accord_store::Refused>().is_some(), "{e:#}");
        assert!(format!("{e:#}").contains("read-only"), "{e:#}");
    }
    drop(store);
    assert_eq!(snapshot(dir.path()), before, "a read-only registry was written");
    // Still a working registry for a writer afterwards.
    assert_eq!(SqliteStore::open_existing(&db).unwrap().summary().unwrap().documents, 2);
}

#[test]
fn without_its_index_a_read_only_registry_is_searched_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    std::fs::remove_dir_all(dir.path().join("accord.db.search")).unwrap();
    let before = snapshot(dir.path());
    let store = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(found(&store, "Eastbrook"), 1);
    drop(store);
    assert_eq!(snapshot(dir.path()), before, "no index folder was made");
}

#[test]
fn a_read_only_registry_of_an_older_schema_says_to_open_it_with_write_access() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    conn.pragma_update(None, "user_version", current - 1).unwrap();
    drop(conn);
    let e = SqliteStore::open_read_only(&db)
        .err()
        .expect("an older schema is refused read-only");
    let message = format!("{e:#}");
    assert!(message.contains("older than this Accord"), "{message}");
    assert!(message.contains("open it once with write access"), "{message}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let after: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(after, current - 1, "not migrated");
}

#[test]
fn beside_a_writer_a_read_only_registry_sees_its_commits() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    let mut writer = SqliteStore::open_existing(&db).unwrap();
    let reader = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(reader.summary().unwrap().documents, 2);
    writer.ingest(&[page("c.txt", "Westmoor training")]).unwrap();
    assert_eq!(reader.summary().unwrap().documents, 3, "the reader shares the writer's locks");
}
