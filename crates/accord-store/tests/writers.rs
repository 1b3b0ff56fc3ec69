//! Several writers on one registry file (issue 11): a writer waits its turn
//! instead of failing with "database is locked", a brand-new registry
//! opened by several processes at once is migrated once, and what the file
//! holds cannot be used to sign in (session ids and CSRF tokens are kept as
//! digests; the file is created 0600).

use accord_model::Record;
use accord_store::{IngestDoc, Role, SqliteStore, Store};
use std::path::Path;

/// A page with text and no facts: enough to make the store write.
fn blank(path: &str) -> IngestDoc {
    IngestDoc {
        path: path.to_string(),
        source_url: None,
        hash: accord_store::content_hash(path.as_bytes()),
        text: format!("A page at {path}."),
        record: Record::empty(path),
    }
}

/// Ingests 40 batches of 5 pages named after `who`.
fn ingest_many(db: &Path, who: &str) -> anyhow::Result<()> {
    let mut store = SqliteStore::open(db)?;
    for batch in 0..40 {
        let docs: Vec<IngestDoc> = (0..5).map(|i| blank(&format!("{who}/{batch}-{i}.txt"))).collect();
        store.ingest(&docs)?;
    }
    Ok(())
}

#[test]
fn concurrent_writers_wait_their_turn() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    SqliteStore::open(&db).unwrap();
    let results: Vec<anyhow::Result<()>> = std::thread::scope(|s| {
        let writers: Vec<_> = ["a", "b", "c"].iter().map(|who| s.spawn(|| ingest_many(&db, who))).collect();
        let sessions = s.spawn(|| -> anyhow::Result<()> {
            let mut store = SqliteStore::open(&db)?;
            store.add_user("ed", Role::Editor)?;
            let user = store.users()?.remove(0).user;
            for _ in 0..40 {
                let (id, _) = store.open_session(&user)?;
                store.close_session(&id)?;
            }
            Ok(())
        });
        writers.into_iter().chain([sessions]).map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        r.expect("every writer finishes");
    }
    assert_eq!(SqliteStore::open(&db).unwrap().summary().unwrap().documents, 600);
}

#[test]
fn a_new_registry_opened_by_several_at_once_is_migrated_once() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("registry.db");
        let opened: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| SqliteStore::open(&db).map(|_| ()))).collect();
            handles
                .into_iter()
                .filter_map(|h| h.join().unwrap().err())
                .map(|e| format!("{e:#}"))
                .collect()
        });
        assert!(opened.is_empty(), "round {round}: {opened:?}");
    }
}

#[test]
fn the_file_gives_no_session_and_only_its_owner_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    let mut store = SqliteStore::open(&db).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "registry created {mode:o}");
    }
    store.add_user("ed", Role::Editor).unwrap();
    let ed = store.users().unwrap().remove(0).user;
    let (session, csrf) = store.open_session(&ed).unwrap();
    let dump = store.dump().unwrap();
    assert!(!dump.contains(&session), "the session id is stored in clear");
    assert!(!dump.contains(&csrf), "the CSRF token is stored in clear");
    let (found, token) = store.session(&session).unwrap().expect("the session works");
    assert_eq!((found.name.as_str(), token.as_str()), ("ed", csrf.as_str()));
    // What the file holds is not a session id.
    for line in dump.lines().filter(|l| l.contains("sessions")) {
        for word in line.split(|c: char| !c.is_ascii_hexdigit()).filter(|w| w.len() >= 32) {
            assert!(store.session(word).unwrap().is_none(), "{word} from the file opens a session");
        }
    }
}
