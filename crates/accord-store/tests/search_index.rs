//! The search index follows the registry: a change committed without its
//! sync (a crash between the two) is put right by the next sync, and
//! `reindex` rebuilds the index from the registry alone.

use accord_model::Record;
use accord_store::{content_hash, IngestDoc, SearchQuery, SqliteStore, Store};

fn page(name: &str, title: &str, text: &str) -> IngestDoc {
    let mut record = Record::empty(name);
    record.language = Some("en".into());
    record.title = Some(title.into());
    IngestDoc {
        path: format!("pages/{name}"),
        source_url: None,
        hash: content_hash(text.as_bytes()),
        text: text.to_string(),
        record,
    }
}

fn found(store: &SqliteStore, q: &str) -> usize {
    let query = SearchQuery {
        q: q.into(),
        ..Default::default()
    };
    store.search(&query).unwrap().total
}

fn dirty(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM search_dirty", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_commit_whose_sync_never_ran_is_indexed_by_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accord.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store
        .ingest(&[page(
            "a.txt",
            "Quillmere report",
            "Quillmere report\n\nThe Quillmere clinic opened.\n",
        )])
        .unwrap();
    assert_eq!(found(&store, "Quillmere"), 1);
    assert_eq!(dirty(&db), 0, "the ingest's sync emptied the marks");
    // Another process commits a change and dies before its sync: only the
    // registry and its marks know.
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute(
            "UPDATE documents SET text = 'The Ravensholt clinic opened.' WHERE doc = 'a.txt'",
            [],
        )
        .unwrap();
    assert!(dirty(&db) > 0, "the trigger marked the page");
    assert_eq!(found(&store, "Ravensholt"), 0, "not yet in the index");
    assert_eq!(store.sync_search().unwrap(), Some(1));
    assert_eq!(found(&store, "Ravensholt"), 1);
    assert_eq!(found(&store, "clinic Quillmere"), 1, "the title is still Quillmere's");
    assert_eq!(dirty(&db), 0);
    assert_eq!(store.sync_search().unwrap(), Some(0), "nothing left to do");
}

#[test]
fn reindex_rebuilds_the_index_from_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accord.db");
    let mut store = SqliteStore::open(&db).unwrap();
    let pages: Vec<IngestDoc> = (0..30)
        .map(|i| {
            page(
                &format!("p{i}.txt"),
                &format!("Tarnwick bulletin {i}"),
                &format!("Tarnwick bulletin {i}\n\nIssue {i}.\n"),
            )
        })
        .collect();
    store.ingest(&pages).unwrap();
    assert_eq!(found(&store, "Tarnwick"), 30);
    assert_eq!(store.reindex().unwrap(), 30);
    assert_eq!(found(&store, "Tarnwick"), 30, "the same answers after a rebuild");
    assert!(
        db.with_extension("db.search").join("meta.json").exists(),
        "the index lives beside the registry"
    );
}

#[test]
fn pages_of_a_search_share_its_counts_until_the_registry_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("accord.db")).unwrap();
    let pages: Vec<IngestDoc> = (0..5)
        .map(|i| {
            let text = format!("Tellavar note {i}\n\nThe Tellavar clinic number {i} opened.\n");
            page(&format!("p{i}.txt"), &format!("Tellavar note {i}"), &text)
        })
        .collect();
    store.ingest(&pages).unwrap();
    let at = |store: &SqliteStore, offset: usize| {
        store
            .search(&SearchQuery {
                q: "tellavar".into(),
                kind: Some("document".into()),
                limit: Some(2),
                offset: Some(offset),
                ..Default::default()
            })
            .unwrap()
    };
    let (first, second) = (at(&store, 0), at(&store, 2));
    assert_eq!((first.total, second.total), (5, 5));
    assert_eq!(first.facets, second.facets);
    let ids = |r: &accord_store::SearchResults| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)), "another page, other hits");
    assert_eq!(ids(&at(&store, 0)), ids(&first), "asked again, the same answer");

    let text = "Tellavar note 5\n\nThe Tellavar clinic number 5 opened.\n";
    store.ingest(&[page("p5.txt", "Tellavar note 5", text)]).unwrap();
    assert_eq!(
        at(&store, 2).total,
        6,
        "a committed batch is counted by the next search of any page"
    );
    assert_eq!(at(&store, 0).total, 6);
}
