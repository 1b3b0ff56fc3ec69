//! Reading pages from disk: size limits, binary detection, lossy UTF-8 and
//! HTML reduction. Every failure names the file and says what to do.

use crate::html::html_to_text;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::Path;

/// Largest page Accord reads: a press page is a few kilobytes; anything far
/// bigger is a dump or a wrong file, refused before it is loaded.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// The text of one page, ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The file name (the record's `doc`).
    pub doc: String,
    /// The text Accord read: the file's text, or the main text of an HTML page.
    pub text: String,
    /// The HTML title, when the page had one.
    pub title: Option<String>,
    /// True when invalid UTF-8 was replaced.
    pub lossy: bool,
}

/// Why a page could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file exceeds [`MAX_PAGE_BYTES`].
    TooLarge(u64),
    /// The file holds binary data, not text.
    Binary,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
            ReadError::TooLarge(n) => write!(
                f,
                "it is {} MB, more than the {} MB limit for one page; split it into pages or check that it is the right file",
                n / (1024 * 1024),
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
            ReadError::Binary => write!(f, "it holds binary data, not text or HTML"),
        }
    }
}

impl std::error::Error for ReadError {}

/// True for the file extensions Accord reads as pages.
pub fn is_page_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("txt" | "html" | "htm")
    )
}

/// Reads one page from disk.
pub fn read_page(path: &Path) -> Result<Page, ReadError> {
    let bytes = read_bytes(path)?;
    page_from_bytes(page_name(path), &bytes, is_html_path(path))
}

/// The bytes of a page file, refused beyond [`MAX_PAGE_BYTES`] before it is loaded.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let size = fs::metadata(path).map_err(ReadError::Io)?.len();
    if size > MAX_PAGE_BYTES {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    fs::File::open(path)
        .map_err(ReadError::Io)?
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The record's `doc` for a page file: its file name.
pub fn page_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// True for `.html` and `.htm` files, whose main text is extracted.
pub fn is_html_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("html" | "htm")
    )
}

/// Builds a page from raw bytes.
pub fn page_from_bytes(doc: String, bytes: &[u8], is_html: bool) -> Result<Page, ReadError> {
    if looks_binary(bytes) {
        return Err(ReadError::Binary);
    }
    let (raw, lossy) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    };
    if is_html {
        let h = html_to_text(&raw);
        return Ok(Page {
            doc,
            text: h.text,
            title: h.title,
            lossy,
        });
    }
    Ok(Page {
        doc,
        text: raw,
        title: None,
        lossy,
    })
}

/// Binary data: NUL bytes, or many control bytes, near the start.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    control * 20 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_html_and_refuses_binary() {
        let p = page_from_bytes("a.txt".into(), b"plain text", false).unwrap();
        assert_eq!(p.text, "plain text");
        assert!(!p.lossy);
        let p = page_from_bytes("a.txt".into(), b"bad \xff byte", false).unwrap();
        assert!(p.lossy);
        assert_eq!(p.text, "bad \u{FFFD} byte");
        let p = page_from_bytes("a.html".into(), b"<title>T</title><p>Body</p>", true).unwrap();
        assert_eq!((p.text.as_str(), p.title.as_deref()), ("Body", Some("T")));
        assert!(matches!(
            page_from_bytes("a.bin".into(), b"\x00\x01\x02binary", false),
            Err(ReadError::Binary)
        ));
    }
}
