//! The `accord` command: a thin layer over the pipeline crates.

use accord_extract::input::{is_page_path, read_page, Page};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tracing::{info, warn};

/// Accord turns press pages about medical cooperation into evidence-linked
/// records of institutions, people and cooperation events.
#[derive(Parser)]
#[command(name = "accord", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract one cooperation record per page (.txt, .html, .htm).
    Extract {
        /// Files or folders (searched recursively for pages).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write DIR/STEM.json per page instead of JSON lines on stdout.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print the text Accord read (what offsets index into) instead of records.
        #[arg(long)]
        text: bool,
    },
    /// Extract pages and score them against gold records.
    Eval {
        /// Folder of pages.
        #[arg(long, value_name = "DIR")]
        docs: PathBuf,
        /// Folder of gold records (NAME.json for page NAME.txt).
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// List each document's misses and false hits.
        #[arg(long)]
        verbose: bool,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Fail (exit code 1) when a figure falls below this quality floor (a JSON file).
        #[arg(long, value_name = "FILE")]
        floor: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ACCORD_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(io::stderr)
        .with_target(false)
        .without_time()
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { paths, out, text } => extract(&paths, out.as_deref(), text),
        Command::Eval {
            docs,
            gold,
            verbose,
            json,
            floor,
        } => eval(&docs, &gold, verbose, json, floor.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Every page under the given paths, sorted, with the paths that could not be listed.
fn collect_pages(paths: &[PathBuf]) -> (Vec<PathBuf>, usize) {
    let mut pages = Vec::new();
    let mut failures = 0;
    for p in paths {
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut pages, &mut failures),
            Ok(_) => pages.push(p.clone()),
            Err(e) => {
                eprintln!("error: {}: {e}", p.display());
                failures += 1;
            }
        }
    }
    (pages, failures)
}

fn walk(dir: &Path, pages: &mut Vec<PathBuf>, failures: &mut usize) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {}: cannot list the folder: {e}", dir.display());
            *failures += 1;
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for c in children {
        if c.is_dir() {
            walk(&c, pages, failures);
        } else if is_page_path(&c) {
            pages.push(c);
        }
    }
}

fn read(path: &Path) -> Option<Page> {
    match read_page(path) {
        Ok(page) => {
            if page.lossy {
                warn!(
                    "{}: invalid UTF-8 replaced by U+FFFD; offsets index the repaired text",
                    path.display()
                );
            }
            Some(page)
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            None
        }
    }
}

fn extract(paths: &[PathBuf], out: Option<&Path>, print_text: bool) -> Result<ExitCode> {
    let (pages, _) = collect_pages(paths);
    if let Some(dir) = out {
        fs::create_dir_all(dir).with_context(|| format!("{}: cannot create the output folder", dir.display()))?;
    }
    let stdout = io::stdout();
    let mut stdout = BufWriter::new(stdout.lock());
    let mut read_ok = 0usize;
    let mut written: HashMap<String, PathBuf> = HashMap::new();
    for path in &pages {
        let Some(page) = read(path) else { continue };
        read_ok += 1;
        if print_text {
            writeln!(stdout, "{}", page.text)?;
            continue;
        }
        let record = accord_extract::extract_page(&page);
        match out {
            Some(dir) => {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                if let Some(first) = written.insert(stem.clone(), path.clone()) {
                    warn!(
                        "{}: same name as {}; {stem}.json now holds the later one",
                        path.display(),
                        first.display()
                    );
                }
                let target = dir.join(format!("{stem}.json"));
                let json = serde_json::to_string_pretty(&record)?;
                fs::write(&target, json + "\n").with_context(|| format!("{}: cannot write", target.display()))?;
            }
            None => writeln!(stdout, "{}", serde_json::to_string(&record)?)?,
        }
    }
    stdout.flush()?;
    info!("{read_ok} of {} pages read", pages.len());
    if read_ok == 0 {
        if pages.is_empty() {
            eprintln!("error: no page found (pages are .txt, .html or .htm files)");
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn eval(docs: &Path, gold: &Path, verbose: bool, json: bool, floor: Option<&Path>) -> Result<ExitCode> {
    let floor = floor.map(read_floor).transpose()?;
    if !docs.is_dir() {
        bail!("{}: not a folder of pages", docs.display());
    }
    let mut gold_files: Vec<PathBuf> = fs::read_dir(gold)
        .with_context(|| format!("{}: cannot list the gold folder", gold.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    gold_files.sort();
    if gold_files.is_empty() {
        bail!("{}: no gold record (.json) found", gold.display());
    }
    let (pages, _) = collect_pages(&[docs.to_path_buf()]);
    let by_stem: HashMap<String, &PathBuf> = pages
        .iter()
        .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
        .collect();
    let mut report = accord_eval::Report::default();
    for g in &gold_files {
        let name = g.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = g.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let gold_value: serde_json::Value = fs::read_to_string(g)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null);
        let pred = match by_stem.get(&stem).and_then(|p| read(p)) {
            Some(page) => serde_json::to_value(accord_extract::extract_page(&page))?,
            None => {
                warn!("{}: no page for this gold record; scored as empty", g.display());
                serde_json::json!({})
            }
        };
        let gold_value = if gold_value.is_object() {
            gold_value
        } else {
            serde_json::json!({})
        };
        accord_eval::score_document(&mut report, &name, &gold_value, &pred);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&accord_eval::report_json(&report))?);
    } else {
        print!("{}", accord_eval::format_summary(&report));
    }
    if verbose {
        print_details(&report);
    }
    if let Some(floor) = floor {
        let failures = below_floor(&accord_eval::report_json(&report), &floor);
        for f in &failures {
            eprintln!("below the quality floor: {f}");
        }
        if !failures.is_empty() {
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The quality floor: minimum figures, keyed like the JSON report
/// (`"organizations": 0.8` is an F1; `"published_acc": 0.9` a share).
fn read_floor(path: &Path) -> Result<serde_json::Map<String, serde_json::Value>> {
    let text = fs::read_to_string(path).with_context(|| format!("{}: cannot read the quality floor", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: the quality floor is not valid JSON", path.display()))?;
    match value {
        serde_json::Value::Object(map) => Ok(map),
        _ => bail!("{}: the quality floor must be a JSON object of minimum figures", path.display()),
    }
}

/// Every figure of the report below its floor, described.
fn below_floor(report: &serde_json::Value, floor: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, min) in floor {
        let Some(min) = min.as_f64() else { continue };
        let got = match &report[key] {
            serde_json::Value::Object(row) => row.get("f1").and_then(serde_json::Value::as_f64),
            v => v.as_f64(),
        };
        match got {
            Some(g) if g + 1e-9 >= min => {}
            Some(g) => out.push(format!("{key} {g:.4} < {min:.4}")),
            None => out.push(format!("{key}: no such figure in the report")),
        }
    }
    out
}

fn print_details(report: &accord_eval::Report) {
    for (name, d) in &report.docs {
        let lines: Vec<(&str, &Vec<String>)> = vec![
            ("missed org", &d.missed_orgs),
            ("false org", &d.false_orgs),
            ("missed person", &d.missed_people),
            ("false person", &d.false_people),
            ("missed country", &d.missed_countries),
            ("false country", &d.false_countries),
            ("missed event", &d.missed_events),
            ("false event", &d.false_events),
        ];
        if lines.iter().all(|(_, v)| v.is_empty()) && d.published_wrong.is_none() {
            continue;
        }
        println!("\n== {name}");
        for (label, items) in lines {
            for i in items {
                println!("  {label}: {i}");
            }
        }
        if let Some((p, g)) = &d.published_wrong {
            println!(
                "  published: {} (gold {})",
                p.as_deref().unwrap_or("null"),
                g.as_deref().unwrap_or("null")
            );
        }
    }
}
