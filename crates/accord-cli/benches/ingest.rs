//! End-to-end ingestion: a generated corpus (100,000 pages by default, or
//! `ACCORD_BENCH_PAGES`) written to disk, then `accord ingest` on it as a
//! user runs it. Prints pages per second, the process's peak memory, and
//! how well the registry resolved the world's institutions and events.
//!
//! `cargo bench -p accord-cli --bench ingest`

use accord_store::{Filter, SqliteStore, Store};
use accord_synth::world::World;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("ingest: bench");
        return;
    }
    let n: usize = std::env::var("ACCORD_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("accord-bench-ingest-{n}"));
    let _ = fs::remove_dir_all(&dir);
    let pages_dir = dir.join("pages");
    fs::create_dir_all(&pages_dir).expect("bench folder");
    let world = World::new(2026, n);
    let started = Instant::now();
    let mut bytes = 0usize;
    let mut pages = Vec::with_capacity(n);
    for (i, mut p) in world.pages(2026, n).enumerate() {
        let sub = pages_dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&sub).expect("bench folder");
        }
        fs::write(sub.join(&p.name), &p.text).expect("bench page");
        bytes += p.text.len();
        p.text = String::new();
        pages.push(p);
    }
    println!(
        "generated {n} pages ({:.1} MB) in {:.1} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let db = dir.join("registry.db");
    let (seconds, peak_kb, stdout) = run_measured(&pages_dir, &db);
    println!(
        "ingest: {n} pages in {seconds:.1} s = {:.0} pages/s, {:.1} MB/s; peak memory {:.0} MB",
        n as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        peak_kb as f64 / 1024.0
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("ingest --json output");
    println!("registry: {}", summary["registry"]);

    let store = SqliteStore::open(&db).expect("registry");
    let institutions: Vec<Vec<String>> = store
        .institutions(&Filter::default())
        .expect("institutions")
        .into_iter()
        .map(|i| i.names)
        .collect();
    let events: Vec<Vec<String>> = store
        .events(&Filter::default())
        .expect("events")
        .into_iter()
        .map(|e| {
            e.sources
                .iter()
                .filter_map(|s| Path::new(s).file_name().map(|f| f.to_string_lossy().into_owned()))
                .collect()
        })
        .collect();
    println!(
        "resolution against the world's truth: {:?}",
        world.score(&pages, &institutions, &events)
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Runs `accord ingest --json` and samples its peak resident memory (VmHWM).
fn run_measured(pages: &Path, db: &Path) -> (f64, u64, String) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["ingest", pages.to_str().unwrap(), "--db", db.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("accord runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let stdout_pipe = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout_pipe).unwrap_or_default());
    while child.try_wait().expect("wait").is_none() {
        if let Ok(status) = fs::read_to_string(&status_file) {
            peak_kb = peak_kb.max(vm_hwm(&status));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = started.elapsed().as_secs_f64();
    (seconds, peak_kb, reader.join().unwrap_or_default())
}

fn vm_hwm(status: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
