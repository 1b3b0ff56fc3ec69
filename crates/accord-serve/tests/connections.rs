//! Connections over a real socket (issue 11): a half-sent request is
//! dropped after the header timeout, an idle connection after the idle
//! timeout, and connections beyond the cap wait until one closes. The
//! bounds asserted are generous (seconds for timeouts of a fraction).

use accord_serve::listen::{serve, Limits};
use accord_store::SqliteStore;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A server over an empty registry with `limits`, on a free port.
fn server(limits: Limits) -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    SqliteStore::open(&db).unwrap();
    let state = accord_serve::AppState::open(&db, 0).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            serve(listener, accord_serve::router(state), limits, std::future::pending()).await;
        });
    });
    (rx.recv().unwrap(), dir)
}

/// Reads until the server closes the connection (or 10 s pass): what it sent.
fn read_to_close(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
}

const GET: &[u8] = b"GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

#[test]
fn a_half_sent_request_and_an_idle_connection_are_closed() {
    let (addr, _dir) = server(Limits {
        max_connections: 8,
        header_read: Duration::from_millis(300),
        idle: Duration::from_millis(600),
    });
    let mut half = TcpStream::connect(addr).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    let (_, waited) = read_to_close(&mut half);
    assert!(waited < Duration::from_secs(8), "a half-sent request stayed open {waited:?}");
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(GET).unwrap();
    let (answer, waited) = read_to_close(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(waited < Duration::from_secs(8), "an idle connection stayed open {waited:?}");
}

#[test]
fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let (addr, _dir) = server(Limits {
        max_connections: 2,
        header_read: Duration::from_secs(30),
        idle: Duration::from_secs(30),
    });
    let first = TcpStream::connect(addr).unwrap();
    let mut second = TcpStream::connect(addr).unwrap();
    second.write_all(GET).unwrap();
    let mut buf = [0u8; 12];
    second.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200");
    let mut third = TcpStream::connect(addr).unwrap();
    third.write_all(GET).unwrap();
    third.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    assert!(third.read(&mut buf).is_err(), "a third connection was served beyond the cap of two");
    drop(first);
    third.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    third.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200");
}
