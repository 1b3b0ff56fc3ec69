//! A new user's first hour with the `accord` binary: read-only commands
//! never write (nor make a registry of a stray file), filters are checked,
//! people are managed, and `ACCORD_LOG=info` says what ingest and serve do,
//! without colour codes when stderr is not a terminal.

mod common;

use common::{accord, accord_command, examples, first_answer, free_addr, http, registry, s, scratch, stderr, stop};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

/// Every command that needs an existing registry (all but `ingest`, `up`
/// and `kb import-ror`), with `--db FILE`.
fn needing_a_registry(db: &str, out: &str) -> Vec<Vec<String>> {
    let commands: [&[&str]; 9] = [
        &["summary"],
        &["orgs"],
        &["events"],
        &["people"],
        &["show", "event", "1"],
        &["export", "--format", "jsonl", "--out", out],
        &["serve", "--addr", "127.0.0.1:0"],
        &["user", "list"],
        &["user", "add", "alice"],
    ];
    commands
        .iter()
        .map(|c| c.iter().map(|a| a.to_string()).chain(["--db".into(), db.into()]).collect())
        .collect()
}

#[test]
fn read_only_commands_refuse_what_is_not_a_registry_and_change_nothing() {
    let dir = scratch("not-a-registry");
    let text = dir.join("notes.txt");
    fs::write(&text, "a text file\n").unwrap();
    let empty = dir.join("empty.db");
    fs::write(&empty, "").unwrap();
    let missing = dir.join("missing.db");
    for (file, says) in [
        (&missing, "no registry here"),
        (&empty, "an empty file, not a registry"),
        (&text, "not a registry (not an SQLite database)"),
    ] {
        let before = fs::read(file).ok();
        for args in needing_a_registry(s(file), s(&dir.join("out.jsonl"))) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = accord(&args);
            let err = stderr(&o);
            assert!(!o.status.success(), "{args:?} succeeded on {}", file.display());
            assert!(err.contains(says) && err.contains("--db"), "{args:?}: {err}");
            assert!(!err.contains("0 documents") && o.stdout.is_empty(), "{args:?}: {err}");
            assert_eq!(fs::read(file).ok(), before, "{args:?} changed {}", file.display());
        }
    }
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("-wal") || n.ends_with("-shm") || n == "missing.db" || n == "out.jsonl"),
        "{names:?}"
    );

    // `ingest` still creates a registry, and then the same commands read it.
    let o = accord(&["ingest", s(&examples()), "--db", s(&missing)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(accord(&["summary", "--db", s(&missing)]).status.success());
}

#[test]
fn cli_filters_are_checked_and_name_what_they_accept() {
    let dir = scratch("filters");
    let db = registry(&dir);
    for (args, says) in [
        (
            vec!["events", "--since", "notadate"],
            "--since: «notadate» is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (vec!["events", "--until", "2024-02-30x"], "--until"),
        (
            vec!["events", "--type", "party"],
            "--type: «party» is not an event type: use one of agreement, establishment, visit",
        ),
        (
            vec!["orgs", "--type", "agreement"],
            "is not an institution kind: use one of hospital, university",
        ),
        (
            vec!["events", "--country", "XYZ"],
            "--country: «XYZ» is not a country code: use two letters",
        ),
        (vec!["orgs", "--country", "France"], "--country"),
        (vec!["people", "--type", "hospital"], "people have no type"),
        (vec!["export", "--format", "csv", "--out", "never", "--type", "party"], "--type"),
    ] {
        let mut all = args.clone();
        all.extend(["--db", s(&db)]);
        let o = accord(&all);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!String::from_utf8_lossy(&o.stdout).contains("nothing matches"), "{args:?}");
    }
    assert!(!Path::new("never").exists());
    for args in [
        vec!["events", "--type", "agreement", "--since", "2020", "--until", "2030-12-31"],
        vec!["orgs", "--type", "hospital", "--country", "fr"],
    ] {
        let mut all = args.clone();
        all.extend(["--db", s(&db)]);
        let o = accord(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn users_are_listed_revoked_and_given_new_tokens() {
    let dir = scratch("users");
    let db = registry(&dir);
    let db = s(&db);
    let o = accord(&["user", "list", "--db", db]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("no users yet"));
    let first = accord(&["user", "add", "alice", "--role", "editor", "--db", db]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = accord(&["user", "add", "alice", "--db", db]);
    assert!(!again.status.success());
    let err = stderr(&again);
    assert!(
        err.contains("there is already a user named «alice»") && err.contains("accord user token alice"),
        "{err}"
    );
    assert!(!err.contains("UNIQUE") && !err.contains("Error code"), "{err}");

    let list = |json: bool| {
        let mut args = vec!["user", "list", "--db", db];
        if json {
            args.push("--json");
        }
        let o = accord(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(list(false).contains("alice\teditor\tactive"), "{}", list(false));
    let o = accord(&["user", "revoke", "alice", "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(list(false).contains("alice\teditor\trevoked"), "{}", list(false));
    let v: serde_json::Value = serde_json::from_str(&list(true)).unwrap();
    assert_eq!(v[0]["user"]["name"], "alice");
    assert_eq!(v[0]["active"], false);

    let o = accord(&["user", "token", "alice", "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let token = String::from_utf8(o.stdout).unwrap();
    assert_ne!(token.trim(), String::from_utf8_lossy(&first.stdout).trim());
    assert!(list(false).contains("alice\teditor\tactive"));
    let o = accord(&["user", "revoke", "bob", "--db", db]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no user named «bob»: `accord user list`"), "{}", stderr(&o));
}

#[test]
fn ingest_logs_each_batch_without_colour_when_piped() {
    let dir = scratch("ingest-log");
    let db = dir.join("r.db");
    let o = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["ingest", s(&examples()), "--db", s(&db), "--batch-size", "5"])
        .env("ACCORD_LOG", "info")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let batches: Vec<&str> = err.lines().filter(|l| l.contains("committed")).collect();
    assert!(batches.len() >= 3, "12 pages in batches of 5: {err}");
    assert!(batches.iter().all(|l| l.contains(" s (")), "{batches:?}");
    assert!(batches.iter().any(|l| l.contains("committed 5 pages in")), "{batches:?}");
    assert!(!err.contains('\u{1b}'), "no colour codes in a pipe: {err:?}");
}

#[test]
fn serve_logs_each_request_with_status_and_time() {
    let dir = scratch("serve-log");
    let db = registry(&dir);
    let addr = free_addr();
    let mut server = accord_command(&["serve", "--db", s(&db), "--addr", &addr])
        .env("ACCORD_LOG", "info")
        .spawn()
        .unwrap();
    let answer = first_answer(&addr, &mut server);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(http(&addr, "GET /api/v1/events?limit=abc", &[], "")
        .unwrap()
        .starts_with("HTTP/1.1 400"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let err = stop(server);
    let line = err.lines().find(|l| l.contains("GET / 200")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.trim_end().ends_with(" ms"), "{line}");
    assert!(err.contains("GET /api/v1/events 400"), "{err}");
    assert!(!err.contains("limit=abc"), "the query string is not logged: {err}");
    assert!(!err.contains('\u{1b}'), "no colour codes in a pipe: {err:?}");
}

/// A read-only registry (the file 0444, its folder writable or not) is
/// summarised and served without a write: the file is unchanged, no
/// `-wal`/`-shm` is made, and sign-in says the registry is read-only. Run
/// as root (for whom permissions change nothing) the commands run as
/// `nobody`; where that is not allowed either, the test says it skipped.
#[cfg(unix)]
#[test]
fn a_read_only_registry_is_summarised_and_served() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = scratch("read-only");
    let db = registry(&dir);
    let expected = accord(&["summary", "--db", s(&db)]);
    assert!(expected.status.success(), "{}", stderr(&expected));
    let before = fs::read(&db).unwrap();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o444)).unwrap();
    let privileged = fs::OpenOptions::new().write(true).open(&db).is_ok();
    let run = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_accord"));
        c.args(args);
        if privileged {
            c.uid(65534).gid(65534);
        }
        c
    };
    if privileged && !run(&["summary", "--help"]).output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: running as root, and commands cannot be run as another user here");
        return;
    }
    for folder in [0o777, 0o555] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(folder)).unwrap();
        let o = run(&["summary", "--db", s(&db)]).output().unwrap();
        assert!(o.status.success(), "folder {folder:o}: {}", stderr(&o));
        assert_eq!(o.stdout, expected.stdout, "folder {folder:o}");

        let addr = free_addr();
        let mut server = run(&["serve", "--db", s(&db), "--addr", &addr])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let home = first_answer(&addr, &mut server);
        let get = |path: &str| http(&addr, &format!("GET {path}"), &[], "").unwrap();
        for answer in [home, get("/api/v1/summary"), get("/search?q=hospital")] {
            assert!(
                answer.starts_with("HTTP/1.1 200"),
                "folder {folder:o}: {}",
                &answer[..answer.len().min(300)]
            );
        }
        assert!(get("/signin").contains("This registry is read-only"), "the sign-in page says so");
        let post = http(
            &addr,
            "POST /signin",
            &["Content-Type: application/x-www-form-urlencoded", "Cookie: accord_signin=abc"],
            "token=1.x&csrf=abc&next=%2F",
        )
        .unwrap();
        assert!(post.starts_with("HTTP/1.1 403"), "{post}");
        assert!(post.contains("This registry is read-only"), "{post}");
        stop(server);
    }
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(fs::read(&db).unwrap() == before, "the read-only registry was written");
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with("-wal") || n.ends_with("-shm")), "{names:?}");

    // A registry of an older schema, read-only, says what to do.
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    conn.pragma_update(None, "user_version", version - 1).unwrap();
    drop(conn);
    fs::set_permissions(&db, fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&["summary", "--db", s(&db)]).output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is older than this Accord's"), "{}", stderr(&o));
    assert!(stderr(&o).contains("open it once with write access"), "{}", stderr(&o));
}
