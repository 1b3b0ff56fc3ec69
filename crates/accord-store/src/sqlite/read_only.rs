//! A registry this process may not write: a file without write permission,
//! or in a folder without it (SQLite in WAL mode writes `-wal` and `-shm`
//! files beside the registry). It is opened read-only — no journal-mode
//! switch, no migration, no search-index sync — so a published copy, or
//! one owned by someone else, can still be summarised and served.

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Whether this process may write the registry file and its folder.
pub fn writable(path: &Path) -> bool {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    may_write(path) && may_write(folder)
}

/// Whether this process may write `path` (its permissions and the file
/// system, as the kernel judges them for this user).
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// Whether this process may write `path` (its read-only attribute).
#[cfg(not(unix))]
fn may_write(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// A read-only connection to the registry at `path` that creates no file.
/// While a writer has the registry open (its `-wal` and `-shm` files are
/// there) the connection shares its locks and sees its commits; otherwise
/// it is opened `immutable`: SQLite reads the file as it is, taking no
/// locks (which would need those files, made by whoever opens first, and
/// then owned by a reader the registry's owner may not be able to write
/// as). A change made later by a writer is seen after reopening.
pub fn connection(path: &Path) -> Result<Connection> {
    let absolute = std::path::absolute(path).with_context(|| format!("{}: cannot find the registry", path.display()))?;
    let sidecar = |suffix: &str| {
        let mut name = absolute.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    let immutable = !(sidecar("-wal") && sidecar("-shm"));
    let uri = format!(
        "file:{}?mode=ro{}",
        uri_path(&absolute),
        if immutable { "&immutable=1" } else { "" }
    );
    Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("{}: cannot open the registry database read-only", path.display()))
}

/// `path` as the path of a `file:` URI: every byte but unreserved ones and `/` percent-encoded.
fn uri_path(path: &Path) -> String {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped_for_a_uri() {
        assert_eq!(uri_path(Path::new("/tmp/a b/r?#%.db")), "/tmp/a%20b/r%3F%23%25.db");
    }
}
