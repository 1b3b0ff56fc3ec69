//! `accord ingest`: pages into the registry, extracted on every core.
//!
//! Worker threads read, hash and extract pages; one writer puts them into the
//! store in batches, each batch one transaction. The channel between them is
//! bounded, so memory does not grow with the corpus; a page already in the
//! registry unchanged is skipped before it is extracted; a crash loses at
//! most the batch being written, which the next run redoes.

use crate::pages::collect_pages;
use crate::registry::print_summary;
use accord_extract::input::{is_html_path, page_from_bytes, page_name, read_bytes, Page};
use accord_model::Record;
use accord_store::{content_hash, IngestDoc, Outcome, SqliteStore, Store};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};
use tracing::{info, warn};

/// Pages per transaction by default: large enough to amortise the commit,
/// small enough that a crash costs little and that an editor's save,
/// waiting for the write lock, waits a fraction of a second.
pub const DEFAULT_BATCH: usize = 200;

/// Longest time one page's extraction may take by default: a page made to
/// be slow (thousands of repeated names) is recorded as failed, by name,
/// and the run goes on instead of holding back every later page.
pub const DEFAULT_PAGE_BUDGET: Duration = Duration::from_secs(60);

/// Longest wait before pages read are committed, when pages come slowly.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// What one run of `accord ingest` did.
#[derive(Debug, Default, Serialize)]
struct Report {
    pages: usize,
    added: usize,
    replaced: usize,
    same_content: usize,
    unchanged: usize,
    failed: usize,
    seconds: f64,
    pages_per_second: f64,
}

/// What a worker hands the writer for one page.
enum Work {
    Page(Box<IngestDoc>),
    Unchanged,
    Failed,
}

/// Options of `accord ingest`.
pub struct Options<'a> {
    /// Files or folders of pages.
    pub paths: &'a [PathBuf],
    /// The registry database.
    pub db: &'a Path,
    /// A TSV file mapping file names (or paths) to source URLs.
    pub sources: Option<&'a Path>,
    /// Print the summary as JSON.
    pub json: bool,
    /// Worker threads (default: every core).
    pub jobs: Option<usize>,
    /// Pages per transaction.
    pub batch: usize,
    /// Longest extraction of one page before it is given up as failed.
    pub page_budget: Duration,
}

/// Ingests every page under the given paths.
pub fn run(opts: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let urls = match opts.sources {
        Some(f) => read_sources(f)?,
        None => HashMap::new(),
    };
    let _lock = lock_for_ingest(opts.db)?;
    let mut store = SqliteStore::open(opts.db)?;
    let known = store.known_paths()?;
    let (pages, unlisted) = collect_pages(opts.paths);
    if pages.is_empty() {
        bail!("no page found under the given paths (pages are .txt, .html or .htm files)");
    }
    // The lexicons load on first use: load them now, so no page's time
    // budget pays for it.
    let _ = accord_extract::extract("warm-up", "University Hospital", None);
    let bar = progress_bar(pages.len() as u64);
    let next = AtomicUsize::new(0);
    let workers = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let batch_size = opts.batch.max(1);
    let (tx, rx) = sync_channel::<(usize, Work)>(batch_size * 2);
    let mut report = Report {
        pages: pages.len(),
        failed: unlisted,
        ..Report::default()
    };
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let tx = tx.clone();
            let (pages, next, known, urls, budget) = (&pages, &next, &known, &urls, opts.page_budget);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = pages.get(i) else { break };
                if tx.send((i, prepare(path, known, urls, budget))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut batch: Vec<IngestDoc> = Vec::with_capacity(batch_size);
        let mut in_order = InOrder::default();
        let mut last_commit = Instant::now();
        for (i, work) in rx {
            for work in in_order.push(i, work) {
                bar.inc(1);
                match work {
                    Work::Page(doc) => batch.push(*doc),
                    Work::Unchanged => report.unchanged += 1,
                    Work::Failed => report.failed += 1,
                }
                if batch.len() >= batch_size || (!batch.is_empty() && last_commit.elapsed() >= COMMIT_EVERY) {
                    write_batch(&mut store, &mut batch, &mut report)?;
                    last_commit = Instant::now();
                }
            }
        }
        write_batch(&mut store, &mut batch, &mut report)
    })?;
    bar.finish_and_clear();
    report.seconds = started.elapsed().as_secs_f64();
    report.pages_per_second = report.pages as f64 / report.seconds.max(1e-9);
    let summary = store.summary()?;
    if opts.json {
        let out = serde_json::json!({ "ingest": report, "registry": summary });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{} pages in {:.1} s ({:.0} pages/s): {} added, {} replaced, {} same content as another page, {} unchanged, {} failed",
            report.pages,
            report.seconds,
            report.pages_per_second,
            report.added,
            report.replaced,
            report.same_content,
            report.unchanged,
            report.failed
        );
        println!("registry {}", opts.db.display());
        print_summary(&summary);
    }
    let read_any = report.failed < report.pages + unlisted;
    Ok(if read_any { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Puts pages back in the order they were listed, whatever order the workers
/// finish them in: the registry then comes out the same on every run, and a
/// run resumed after a crash ends exactly like an uninterrupted one.
#[derive(Default)]
struct InOrder {
    next: usize,
    waiting: BTreeMap<usize, Work>,
}

impl InOrder {
    /// Takes page `i`'s work; returns every page now ready, in order.
    fn push(&mut self, i: usize, work: Work) -> Vec<Work> {
        self.waiting.insert(i, work);
        let mut ready = Vec::new();
        while let Some(w) = self.waiting.remove(&self.next) {
            ready.push(w);
            self.next += 1;
        }
        ready
    }
}

fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} pages, {per_sec}, {eta} left") {
        bar.set_style(style);
    }
    bar
}

/// Reads, hashes and extracts one page; a page known unchanged is not
/// extracted, and one whose extraction outlasts `budget` fails.
fn prepare(path: &Path, known: &HashMap<String, String>, urls: &HashMap<String, String>, budget: Duration) -> Work {
    let key = identity(path);
    let bytes = match read_bytes(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return Work::Failed;
        }
    };
    let hash = content_hash(&bytes);
    let source_url = urls.get(&page_name(path)).or_else(|| urls.get(&key)).cloned();
    if known.get(&key) == Some(&hash) && source_url.is_none() {
        return Work::Unchanged;
    }
    let page = match page_from_bytes(page_name(path), &bytes, is_html_path(path)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return Work::Failed;
        }
    };
    if page.lossy {
        warn!(
            "{}: invalid UTF-8 replaced by U+FFFD; offsets index the repaired text",
            path.display()
        );
    }
    let (page, record) = match extract_within(page, budget) {
        Ok(done) => done,
        Err(why) => {
            eprintln!("error: {}: {why}; the page is not in the registry", path.display());
            return Work::Failed;
        }
    };
    Work::Page(Box::new(IngestDoc {
        path: key,
        source_url,
        hash,
        text: page.text,
        record,
    }))
}

/// Extracts `page` on a thread of its own and waits for it at most
/// `budget`. Extraction cannot be interrupted: a page given up goes on
/// extracting on its thread, which ends with it or with the process.
/// The error says why the page was given up.
fn extract_within(page: Page, budget: Duration) -> std::result::Result<(Page, Record), String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("extract".into()).spawn(move || {
        let record = accord_extract::extract_page(&page);
        let _ = tx.send((page, record));
    });
    spawned.map_err(|e| format!("cannot start a thread to extract it ({e})"))?;
    rx.recv_timeout(budget).map_err(|_| {
        format!(
            "extraction took longer than {:.1} s and was given up (raise --page-budget to give pages more time)",
            budget.as_secs_f64()
        )
    })
}

/// Holds `DB.ingest-lock` locked for the run: a second `accord ingest` of
/// the same registry is refused at its start, with what to do, instead of
/// the two writing in turns. The operating system drops the lock when the
/// process ends, even killed, so a crash never leaves it behind.
fn lock_for_ingest(db: &Path) -> Result<fs::File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".ingest-lock");
    let path = PathBuf::from(name);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("{}: cannot create the ingest lock beside the registry", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => bail!(
            "{}: another `accord ingest` is writing to this registry; wait for it to finish, then run this one again",
            db.display()
        ),
        Err(fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("{}: cannot lock the registry for ingest", path.display())),
    }
}

/// A page's identity across runs: its absolute path.
fn identity(path: &Path) -> String {
    fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Commits one batch (one transaction) and logs it, so `ACCORD_LOG=info`
/// shows the pace of a long ingest.
fn write_batch(store: &mut SqliteStore, batch: &mut Vec<IngestDoc>, report: &mut Report) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    for outcome in store.ingest(batch)? {
        match outcome {
            Outcome::Added => report.added += 1,
            Outcome::Replaced => report.replaced += 1,
            Outcome::SameContent => report.same_content += 1,
            Outcome::Unchanged => report.unchanged += 1,
        }
    }
    info!(
        "committed {} page{} in {:.2} s ({} stored so far)",
        batch.len(),
        if batch.len() == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64(),
        report.added + report.replaced + report.same_content
    );
    batch.clear();
    Ok(())
}

/// Reads `NAME<TAB>URL` lines (NAME a file name or a path); `#` starts a comment.
fn read_sources(path: &Path) -> Result<HashMap<String, String>> {
    let text = fs::read_to_string(path).with_context(|| format!("{}: cannot read the sources file", path.display()))?;
    let mut map = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, url)) = line.split_once('\t') else {
            bail!("{}:{}: expected NAME<TAB>URL, found «{line}»", path.display(), n + 1);
        };
        let name = name.trim();
        let key = if name.contains('/') {
            identity(Path::new(name))
        } else {
            name.to_string()
        };
        map.insert(key, url.trim().to_string());
    }
    Ok(map)
}
