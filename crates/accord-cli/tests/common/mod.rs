//! Helpers shared by the CLI test files: running the `accord` binary,
//! scratch folders, the example pages, and a server started for a test.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `accord` with `args` and waits for it.
pub fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord")).args(args).output().expect("accord runs")
}

/// A new, empty folder for one test, named after the test binary's process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-cli-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The bundled example pages.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages")
}

/// A path as the `&str` argument a command takes.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// What a command wrote to stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A registry of the example pages, `r.db` in `dir`.
pub fn registry(dir: &Path) -> PathBuf {
    let db = dir.join("r.db");
    let o = accord(&["ingest", s(&examples()), "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

/// A free loopback address to serve on.
pub fn free_addr() -> String {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("127.0.0.1:{port}")
}

/// Sends one HTTP/1.1 request (`METHOD PATH`, headers, body) to `addr`;
/// the whole answer, or `None` when nothing listens there yet.
pub fn http(addr: &str, method_path: &str, headers: &[&str], body: &str) -> Option<String> {
    let mut c = TcpStream::connect(addr).ok()?;
    let mut request = format!("{method_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        request.push_str(&format!("{h}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    c.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    c.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// Waits until the server at `addr` answers `GET /`, at most 20 s; the answer.
pub fn first_answer(addr: &str, server: &mut Child) -> String {
    let started = Instant::now();
    loop {
        if let Some(a) = http(addr, "GET /", &[], "") {
            return a;
        }
        if let Ok(Some(status)) = server.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = server.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("the server stopped ({status}): {err}");
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server never answered");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Stops a server started by a test and returns what it wrote to stderr.
pub fn stop(mut server: Child) -> String {
    server.kill().unwrap();
    let mut err = String::new();
    if let Some(mut e) = server.stderr.take() {
        e.read_to_string(&mut err).unwrap();
    }
    server.wait().unwrap();
    err
}

/// A `Command` for `accord` with its stderr piped (for servers).
pub fn accord_command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_accord"));
    c.args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    c
}
