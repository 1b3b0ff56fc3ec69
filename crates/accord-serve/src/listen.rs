//! The accept loop: every connection bounded. At most
//! [`Limits::max_connections`] are served at once (the next wait in the
//! listen queue, so idle sockets cannot exhaust file handles); a request's
//! headers must arrive within [`Limits::header_read`]; a connection idle
//! for [`Limits::idle`] is closed.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Bounds on the connections one server accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Longest wait for a request's headers (a half-sent request is dropped).
    pub header_read: Duration,
    /// Longest silence on a kept-alive connection before it is closed.
    pub idle: Duration,
}

impl Default for Limits {
    /// 512 connections (half the usual file-handle limit), 10 s for
    /// headers, 60 s of idleness.
    fn default() -> Self {
        Limits {
            max_connections: 512,
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl std::future::Future<Output = ()>) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => tokio::select! {
                    _ = &mut shutdown => return,
                    accepted = listener.accept() => accepted.map(|a| (a, slot)),
                },
                Err(_) => return,
            },
        };
        match accepted {
            Ok(((stream, addr), slot)) => {
                let router = router.clone();
                tokio::spawn(async move {
                    connection(stream, addr, router, limits).await;
                    drop(slot);
                });
            }
            // Out of file handles and the like: wait a little rather than spin.
            Err(e) => {
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// One connection, HTTP/1.1, closed when idle too long.
async fn connection(stream: TcpStream, addr: SocketAddr, router: Router, limits: Limits) {
    let last = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let io = Watched {
        inner: TokioIo::new(stream),
        last: last.clone(),
        started,
    };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(addr));
        router.clone().oneshot(request)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let tick = (limits.idle / 4).max(Duration::from_millis(10));
    loop {
        tokio::select! {
            done = conn.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!("connection from {addr}: {e}");
                }
                return;
            }
            _ = tokio::time::sleep(tick) => {
                let idle = started.elapsed().saturating_sub(Duration::from_millis(last.load(Ordering::Relaxed)));
                if idle >= limits.idle {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// A socket that notes when it last moved bytes (milliseconds after `started`).
struct Watched {
    inner: TokioIo<TcpStream>,
    last: Arc<AtomicU64>,
    started: Instant,
}

impl Watched {
    fn touch(&self) {
        self.last.store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl hyper::rt::Read for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: hyper::rt::ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if polled.is_ready() {
            self.touch();
        }
        polled
    }
}

impl hyper::rt::Write for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if polled.is_ready() {
            self.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
