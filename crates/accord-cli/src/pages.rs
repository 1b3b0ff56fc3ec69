//! Finding and reading pages: folders are searched recursively, and every
//! file that cannot be read is reported with its path while the others go on.

use accord_extract::input::{is_page_path, read_page, Page};
use std::fs;
use std::path::{Path, PathBuf};
use tracing::warn;

/// Every page under the given paths, sorted, with the paths that could not
/// be listed. Links to folders inside them are not followed (they can loop).
pub fn collect_pages(paths: &[PathBuf]) -> (Vec<PathBuf>, usize) {
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
        // A symbolic link to a folder is not followed: links can loop, and
        // the walk must end. Linked pages (files) are still read.
        let linked_folder = fs::symlink_metadata(&c).is_ok_and(|m| m.file_type().is_symlink()) && c.is_dir();
        if linked_folder {
            warn!(
                "{}: a link to a folder, not followed (pass the folder itself to read it)",
                c.display()
            );
        } else if c.is_dir() {
            walk(&c, pages, failures);
        } else if is_page_path(&c) {
            pages.push(c);
        }
    }
}

/// Reads one page, reporting on stderr what a person should know: that it
/// could not be read, that invalid UTF-8 was repaired, or that it is empty
/// (an empty page still gets its empty record).
pub fn read(path: &Path) -> Option<Page> {
    match read_page(path) {
        Ok(page) => {
            if page.text.trim().is_empty() {
                warn!("{}: the page is empty: there is no text to extract from", path.display());
            }
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
