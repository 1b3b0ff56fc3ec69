//! `accord extract`: one cooperation record per page.

use crate::pages::{collect_pages, read};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tracing::{info, warn};

/// Prints the text read from a page. Alone, it is exactly that text; with
/// several pages, each is preceded by a `==> PATH <==` line (as `head` does)
/// so they can be told apart, and an empty one says so.
fn write_text(w: &mut impl Write, path: &Path, text: &str, several: bool) -> io::Result<()> {
    if !several {
        return writeln!(w, "{text}");
    }
    writeln!(w, "==> {} <==", path.display())?;
    if text.trim().is_empty() {
        writeln!(w, "(empty page)")?;
    } else {
        writeln!(w, "{text}")?;
    }
    writeln!(w)
}

/// Extracts every page under `paths`, to `out` or as JSON lines on stdout.
pub fn run(paths: &[PathBuf], out: Option<&Path>, print_text: bool) -> Result<ExitCode> {
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
            write_text(&mut stdout, path, &page.text, pages.len() > 1)?;
            continue;
        }
        // A bug in one page's extraction must not end the run: that page is reported and skipped.
        let Ok(record) = std::panic::catch_unwind(|| accord_extract::extract_page(&page)) else {
            warn!(
                "{}: extraction failed on this page (an internal error, please report it); the other pages go on",
                path.display()
            );
            continue;
        };
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
