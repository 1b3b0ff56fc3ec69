//! Hostile corpora (issue 11) against `accord ingest`: a page built to be
//! slow to extract (`accord_synth::hostile`) fails by name once over the
//! per-page budget, and the pages around it still go in.

use std::fs;
use std::process::Command;

#[test]
fn a_page_over_the_time_budget_fails_by_name_and_the_run_goes_on() {
    let dir = std::env::temp_dir().join(format!("accord-hostile-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("pages")).unwrap();
    fs::write(dir.join("pages/a.txt"), accord_synth::hostile::signings(1)).unwrap();
    fs::write(dir.join("pages/b_slow.txt"), accord_synth::hostile::repeated_names(60_000)).unwrap();
    fs::write(dir.join("pages/c.txt"), accord_synth::hostile::signings(2)).unwrap();
    let db = dir.join("registry.db");
    let o = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["ingest", dir.join("pages").to_str().unwrap(), "--db", db.to_str().unwrap()])
        .args(["--page-budget", "3", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("b_slow.txt: extraction took longer than 3.0 s and was given up"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ingest"]["failed"], 1, "{report:#}");
    assert_eq!(report["ingest"]["added"], 2, "{report:#}");
    let _ = fs::remove_dir_all(&dir);
}
