//! `accord eval`: extraction scored against gold records with the reference rules.

use crate::pages::{collect_pages, read};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tracing::warn;

/// Extracts the pages of `docs`, scores them against `gold`, and checks the quality floor.
pub fn run(docs: &Path, gold: &Path, verbose: bool, json: bool, floor: Option<&Path>) -> Result<ExitCode> {
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
