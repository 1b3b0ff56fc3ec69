//! `accord ingest` and the registry commands, as users and scripts run them:
//! idempotency, a crash at any moment, duplicates, queries and exports.

mod common;

use accord_store::{SqliteStore, Store};
use common::{accord, examples, s, scratch};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dump(db: &Path) -> String {
    SqliteStore::open(db).unwrap().dump().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// `n` distinct pages: the example pages, each copy with its own closing line.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let pages = dir.join("pages");
    fs::create_dir_all(&pages).unwrap();
    let mut examples: Vec<PathBuf> = fs::read_dir(examples()).unwrap().map(|e| e.unwrap().path()).collect();
    examples.sort();
    for i in 0..n {
        let src = &examples[i % examples.len()];
        let text = fs::read_to_string(src).unwrap();
        let ext = src.extension().unwrap().to_str().unwrap();
        fs::write(pages.join(format!("page{i:05}.{ext}")), format!("{text}\n\nArchive copy {i}.\n")).unwrap();
    }
    pages
}

#[test]
fn ingesting_twice_leaves_the_registry_identical() {
    let dir = scratch("twice");
    let db = dir.join("r.db");
    let first = json(&accord(&["ingest", s(&examples()), "--db", s(&db), "--json"]));
    assert!(first["ingest"]["added"].as_u64().unwrap() >= 10, "{first}");
    assert!(first["registry"]["institutions"].as_u64().unwrap() > 10);
    assert!(first["registry"]["events"].as_u64().unwrap() > 10);
    let before = dump(&db);
    let second = json(&accord(&["ingest", s(&examples()), "--db", s(&db), "--json"]));
    assert_eq!(second["ingest"]["added"], 0);
    assert_eq!(second["ingest"]["unchanged"], first["ingest"]["added"]);
    assert_eq!(dump(&db), before);
}

#[test]
fn a_copy_under_other_names_adds_no_duplicate() {
    let dir = scratch("copy");
    let db = dir.join("r.db");
    let copy = dir.join("copy");
    fs::create_dir_all(&copy).unwrap();
    for e in fs::read_dir(examples()).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, copy.join(format!("renamed-{}", p.file_name().unwrap().to_str().unwrap()))).unwrap();
    }
    let first = json(&accord(&["ingest", s(&examples()), "--db", s(&db), "--json"]));
    let again = json(&accord(&["ingest", s(&copy), "--db", s(&db), "--json"]));
    assert_eq!(again["ingest"]["same_content"], first["ingest"]["added"]);
    for k in ["documents", "institutions", "people", "events"] {
        assert_eq!(again["registry"][k], first["registry"][k], "{k}");
    }
}

#[test]
fn a_changed_page_replaces_its_facts_and_bad_files_are_skipped() {
    let dir = scratch("changed");
    let db = dir.join("r.db");
    let pages = dir.join("p");
    fs::create_dir_all(&pages).unwrap();
    let page = pages.join("news.txt");
    fs::write(&page, "Published: 3 May 2023\n\nRivertown University Hospital and Lakeside Cancer Institute signed a cooperation agreement on 2 May 2023.").unwrap();
    fs::write(pages.join("junk.txt"), b"\x00\x01\x02\x03binary").unwrap();
    let o = accord(&["ingest", s(&pages), "--db", s(&db), "--json"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("junk.txt"));
    let first = json(&o);
    assert_eq!(
        (first["ingest"]["added"].as_u64(), first["ingest"]["failed"].as_u64()),
        (Some(1), Some(1))
    );
    fs::write(
        &page,
        "Published: 9 June 2023\n\nNorthgate Medical University received a delegation of Harbor Eye Hospital on 8 June 2023.",
    )
    .unwrap();
    let second = json(&accord(&["ingest", s(&pages), "--db", s(&db), "--json"]));
    assert_eq!(second["ingest"]["replaced"], 1);
    let orgs = json(&accord(&["orgs", "--db", s(&db), "--json"]));
    let names: Vec<&str> = orgs.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.contains("Northgate")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Rivertown")), "{names:?}");
}

#[test]
fn a_run_killed_at_any_moment_resumes_to_the_same_registry() {
    let dir = scratch("kill");
    let pages = corpus(&dir, 240);
    let clean = dir.join("clean.db");
    let started = std::time::Instant::now();
    json(&accord(&["ingest", s(&pages), "--db", s(&clean), "--json"]));
    let whole = started.elapsed();
    let expected = dump(&clean);
    let mut interrupted = Vec::new();
    for (round, share) in [0.1, 0.3, 0.5, 0.7, 0.9].into_iter().enumerate() {
        let db = dir.join(format!("killed{round}.db"));
        // Small transactions, so that kills land between commits as well as inside one.
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["ingest", s(&pages), "--db", s(&db), "--batch-size", "10"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a share of the run's time counted from its first committed batch, so the
        // kills land mid-run however long start-up takes on a loaded machine.
        wait_for_first_commit(&db, &mut child);
        std::thread::sleep(whole.mul_f64(share * 0.3));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if db.exists() {
            interrupted.push(SqliteStore::open(&db).unwrap().summary().unwrap().documents);
        }
        let resumed = json(&accord(&["ingest", s(&pages), "--db", s(&db), "--json"]));
        assert_eq!(resumed["registry"]["documents"], 240, "round {round}: {resumed}");
        assert_eq!(
            dump(&db),
            expected,
            "round {round}: the resumed registry differs from an uninterrupted run's"
        );
    }
    assert!(
        interrupted.iter().any(|&n| n > 0 && n < 240),
        "no kill landed in the middle of a run: {interrupted:?}"
    );
}

/// Waits until an ingest has committed its first pages, or has ended, or a
/// minute has passed.
fn wait_for_first_commit(db: &Path, child: &mut std::process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let committed = || {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        rusqlite::Connection::open_with_flags(db, flags)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0)))
            .is_ok_and(|n| n > 0)
    };
    while !committed() && std::time::Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn queries_show_and_export_work_from_the_command_line() {
    let dir = scratch("query");
    let db = dir.join("r.db");
    let sources = dir.join("sources.tsv");
    let mut names: Vec<String> = fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let lines: String = names.iter().map(|n| format!("{n}\thttps://example.org/news/{n}\n")).collect();
    fs::write(&sources, format!("# name\turl\n{lines}")).unwrap();
    json(&accord(&[
        "ingest",
        s(&examples()),
        "--db",
        s(&db),
        "--sources",
        s(&sources),
        "--json",
    ]));

    let events = json(&accord(&["events", "--db", s(&db), "--type", "agreement", "--json"]));
    let events = events.as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["event_type"] == "agreement"));
    let id = events[0]["id"].as_i64().unwrap().to_string();
    let shown = json(&accord(&["show", "event", &id, "--db", s(&db), "--json"]));
    let source = &shown["sources"][0];
    assert!(source["source_url"].as_str().unwrap().starts_with("https://example.org/news/"));
    let doc = SqliteStore::open(&db)
        .unwrap()
        .document(source["document_id"].as_i64().unwrap())
        .unwrap()
        .unwrap();
    let (start, end) = (source["start"].as_u64().unwrap() as usize, source["end"].as_u64().unwrap() as usize);
    let quoted: String = doc.text.chars().skip(start).take(end - start).collect();
    assert_eq!(source["text"].as_str().unwrap(), quoted);

    let human = accord(&["orgs", "--db", s(&db), "--limit", "3"]);
    assert!(human.status.success());
    assert_eq!(String::from_utf8_lossy(&human.stdout).lines().count(), 4);

    let gexf = dir.join("net.gexf");
    let o = accord(&["export", "--format", "gexf", "--out", s(&gexf), "--db", s(&db)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(fs::read_to_string(&gexf).unwrap().contains("<gexf"));

    let missing = accord(&["orgs", "--db", s(&dir.join("none.db"))]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("none.db"));
    let unknown = accord(&["show", "event", "999999", "--db", s(&db)]);
    assert!(!unknown.status.success());
    let bad_format = accord(&["export", "--format", "xlsx", "--out", s(&dir.join("x")), "--db", s(&db)]);
    assert!(!bad_format.status.success());
}

#[test]
fn the_dev_set_twice_and_renamed_gives_no_duplicates() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dev/docs");
    if !docs.is_dir() {
        eprintln!("../shared/dev is absent: skipped");
        return;
    }
    let dir = scratch("dev");
    let db = dir.join("r.db");
    let first = json(&accord(&["ingest", s(&docs), "--db", s(&db), "--json"]));
    let copy = dir.join("copy");
    fs::create_dir_all(&copy).unwrap();
    for e in fs::read_dir(&docs).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, copy.join(format!("x-{}", p.file_name().unwrap().to_str().unwrap()))).unwrap();
    }
    json(&accord(&["ingest", s(&docs), "--db", s(&db), "--json"]));
    let last = json(&accord(&["ingest", s(&copy), "--db", s(&db), "--json"]));
    for k in ["documents", "institutions", "events", "people"] {
        assert_eq!(last["registry"][k], first["registry"][k], "{k}");
    }
}

#[test]
fn a_generated_world_resolves_to_its_institutions_and_events() {
    let dir = scratch("world");
    let pages_dir = dir.join("pages");
    fs::create_dir_all(&pages_dir).unwrap();
    let world = accord_synth::world::World::new(11, 400);
    let pages: Vec<_> = world.pages(11, 400).collect();
    for p in &pages {
        fs::write(pages_dir.join(&p.name), &p.text).unwrap();
    }
    let db = dir.join("r.db");
    json(&accord(&["ingest", s(&pages_dir), "--db", s(&db), "--json"]));
    let store = SqliteStore::open(&db).unwrap();
    let institutions: Vec<Vec<String>> = store
        .institutions(&accord_store::Filter::default())
        .unwrap()
        .into_iter()
        .map(|i| i.names)
        .collect();
    let events: Vec<Vec<String>> = store
        .events(&accord_store::Filter::default())
        .unwrap()
        .into_iter()
        .map(|e| {
            e.sources
                .iter()
                .map(|p| Path::new(p).file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        })
        .collect();
    let r = world.score(&pages, &institutions, &events);
    eprintln!("{r:?}");
    assert!(r.institutions as f64 >= 0.9 * world.institutions.len() as f64, "{r:?}");
    assert!(r.institution_purity >= 0.95, "{r:?}");
    assert!(r.institution_split <= 1.3, "{r:?}");
    assert!(r.event_purity >= 0.95, "{r:?}");
    assert!(r.twice_reported_merged >= 0.6, "{r:?}");
}
