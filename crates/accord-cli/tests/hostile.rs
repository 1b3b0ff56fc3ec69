//! Hostile corpora (issue 11) against `accord ingest`: a page built to be
//! slow to extract (`accord_synth::hostile`) fails by name once over the
//! per-page budget, and the pages around it still go in; a second ingest
//! of one registry is refused at its start.

use std::fs;
use std::process::Command;

#[test]
fn a_page_over_the_time_budget_fails_by_name_and_the_run_goes_on() {
    let dir = std::env::temp_dir().join(format!("accord-hostile-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("pages")).unwrap();
    fs::write(dir.join("pages/a.txt"), accord_synth::hostile::signings(1)).unwrap();
    // Over the budget by a wide margin whatever the moment: 120,000 names
    // (3 MB) take about 6 s to extract in a debug build (0.6 s in release),
    // twelve times the half-second budget, while the two small pages take
    // under 5 ms each (the lexicons are loaded before any budget runs).
    // With 60,000 names and 3 s the slow page took about 3 s: it sometimes
    // finished in time.
    fs::write(dir.join("pages/b_slow.txt"), accord_synth::hostile::repeated_names(120_000)).unwrap();
    fs::write(dir.join("pages/c.txt"), accord_synth::hostile::signings(2)).unwrap();
    let db = dir.join("registry.db");
    let o = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["ingest", dir.join("pages").to_str().unwrap(), "--db", db.to_str().unwrap()])
        .args(["--page-budget", "0.5", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("b_slow.txt: extraction took longer than 0.5 s and was given up"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ingest"]["failed"], 1, "{report:#}");
    assert_eq!(report["ingest"]["added"], 2, "{report:#}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_second_ingest_of_one_registry_is_refused_at_its_start() {
    let dir = std::env::temp_dir().join(format!("accord-two-ingests-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("pages")).unwrap();
    fs::write(dir.join("pages/a.txt"), accord_synth::hostile::signings(1)).unwrap();
    let db = dir.join("registry.db");
    // Another ingest holds the registry: its lock, as `accord ingest` takes it.
    let held = fs::File::create(dir.join("registry.db.ingest-lock")).unwrap();
    held.lock().unwrap();
    let ingest = || {
        Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["ingest", dir.join("pages").to_str().unwrap(), "--db", db.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let refused = ingest();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("another `accord ingest` is writing to this registry; wait for it to finish"),
        "{stderr}"
    );
    assert!(!db.exists(), "the refused ingest touched the registry");
    held.unlock().unwrap();
    let after = ingest();
    assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_folder_linking_to_itself_is_read_once() {
    let dir = std::env::temp_dir().join(format!("accord-loop-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("pages")).unwrap();
    fs::write(dir.join("pages/a.txt"), accord_synth::hostile::signings(1)).unwrap();
    std::os::unix::fs::symlink(dir.join("pages"), dir.join("pages/again")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["extract", dir.join("pages").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        1,
        "the page was read more than once"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("a link to a folder, not followed"));
    let _ = fs::remove_dir_all(&dir);
}
