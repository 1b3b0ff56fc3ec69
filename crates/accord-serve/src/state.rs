//! Shared state: a pool of registry connections used on blocking threads,
//! each use bounded in time: a request waits at most [`WAIT_FOR_CONNECTION`]
//! for a connection and holds it at most until its deadline, or until its
//! client goes away, whichever comes first. Requests take their turn for a
//! connection first come, first served (a fair semaphore), so under load
//! every request waits about as long as the others instead of some
//! losing the race for a free connection again and again.

use crate::client::TrustedProxy;
use accord_store::SqliteStore;
use anyhow::{anyhow, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long one request may use the registry before its work is stopped:
/// a costly query cannot hold a connection for minutes.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// How long a request waits for a free connection before the server
/// answers that it is busy, instead of queueing without end.
pub const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(5);

/// Most notices waiting to be shown (see [`AppState::leave_notice`]).
const MAX_NOTICES: usize = 10_000;

/// How long a notice waits for the page it was left for.
pub const NOTICE_LIFE: Duration = Duration::from_secs(60);

/// A request stopped at its deadline (or when its client left).
#[derive(Debug)]
pub struct Overrun;

impl std::fmt::Display for Overrun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request was stopped at its deadline")
    }
}

impl std::error::Error for Overrun {}

/// Every connection stayed in use for [`WAIT_FOR_CONNECTION`].
#[derive(Debug)]
pub struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no registry connection was free")
    }
}

impl std::error::Error for Busy {}

/// Connections to the registry; SQLite in WAL mode lets them read in
/// parallel while one writes.
#[derive(Clone)]
pub struct AppState {
    pool: Arc<Vec<Mutex<SqliteStore>>>,
    /// One permit per connection, handed out in the order requests asked.
    turns: Arc<Semaphore>,
    next: Arc<AtomicUsize>,
    deadline: Duration,
    notices: Arc<Mutex<HashMap<String, (String, Instant)>>>,
    /// Host names the server answers for besides addresses and `localhost`.
    pub hosts: Arc<Vec<String>>,
    /// Requests per second per client (0: unlimited).
    pub rate_limit: u32,
    /// Reverse proxies whose forwarded headers are believed (see `client`).
    pub trusted_proxies: Arc<Vec<TrustedProxy>>,
    /// The registry could only be opened read-only: nobody signs in, nothing is synced.
    pub read_only: bool,
}

/// Sets its flag when dropped: the request's future was dropped (the
/// client left) or finished, so its blocking work may stop.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl AppState {
    /// Opens the registry (which must exist) with two connections per
    /// core, at least four: reads run in parallel, and a write finds one free.
    pub fn open(db: &Path, rate_limit: u32) -> Result<AppState> {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2) * 2;
        let pool = (0..n)
            .map(|_| SqliteStore::open_existing(db).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        let read_only = pool.iter().any(|c| c.lock().is_ok_and(|c| c.is_read_only()));
        if read_only {
            tracing::warn!("{}: read-only here; served for reading, nobody can sign in", db.display());
        }
        Ok(AppState {
            turns: Arc::new(Semaphore::new(pool.len())),
            pool: Arc::new(pool),
            next: Arc::new(AtomicUsize::new(0)),
            deadline: DEADLINE,
            notices: Arc::default(),
            hosts: Arc::default(),
            rate_limit,
            trusted_proxies: Arc::default(),
            read_only,
        })
    }

    /// The same state answering for these host names too (see `--host`).
    pub fn with_hosts(mut self, hosts: Vec<String>) -> AppState {
        self.hosts = Arc::new(hosts);
        self
    }

    /// The same state believing the forwarded headers of these proxies (see `--trusted-proxy`).
    pub fn with_trusted_proxies(mut self, proxies: Vec<TrustedProxy>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// The same state with another deadline per request (tests use a tiny one).
    pub fn with_deadline(mut self, deadline: Duration) -> AppState {
        self.deadline = deadline;
        self
    }

    /// Runs `f` with a connection, on a blocking thread. Fails with
    /// [`Busy`] when no connection frees up in time and with [`Overrun`]
    /// when `f` is stopped at the deadline or because the caller is gone.
    pub async fn with<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T> + Send + 'static,
    {
        let gone = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(gone.clone());
        let turn = match tokio::time::timeout(WAIT_FOR_CONNECTION, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => turn,
            _ => return Err(anyhow!(Busy)),
        };
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let mut store = state.acquire();
            let deadline = Instant::now() + state.deadline;
            let left = gone.clone();
            let stop = move || gone.load(Ordering::Relaxed) || Instant::now() >= deadline;
            store.interrupt_when(Some(stop.clone()))?;
            let out = f(&mut store);
            store.interrupt_when(None::<fn() -> bool>)?;
            match out {
                Err(e) if stop() => {
                    if left.load(Ordering::Relaxed) {
                        tracing::debug!("a request was stopped because its client left: {e:#}");
                    } else {
                        tracing::warn!("a request was stopped at its deadline: {e:#}");
                    }
                    Err(anyhow!(Overrun))
                }
                out => out,
            }
        })
        .await
        .map_err(|e| anyhow!("a request failed: {e}"))?
    }

    /// Keeps `message` for the next page its browser asks for (what an
    /// action did, shown once after its redirect) and returns the random
    /// key the browser's cookie carries: the message never travels in an
    /// address, and no link made elsewhere can put text in a notice.
    /// Notices older than [`NOTICE_LIFE`] are dropped; at most
    /// [`MAX_NOTICES`] wait at once.
    pub fn leave_notice(&self, message: &str) -> Result<String> {
        let key = accord_store::random_hex(16)?;
        let mut notices = self.notices.lock().map_err(|_| anyhow!("the notices were poisoned"))?;
        notices.retain(|_, (_, at)| at.elapsed() < NOTICE_LIFE);
        if notices.len() >= MAX_NOTICES {
            notices.clear();
        }
        notices.insert(key.clone(), (message.to_string(), Instant::now()));
        Ok(key)
    }

    /// The notice left under `key`, once: taking it forgets it.
    pub fn take_notice(&self, key: &str) -> Option<String> {
        let mut notices = self.notices.lock().ok()?;
        notices.remove(key).filter(|(_, at)| at.elapsed() < NOTICE_LIFE).map(|(m, _)| m)
    }

    /// A free connection: there is one, since the caller holds one of the
    /// pool's turns; a connection whose last user panicked is still a
    /// connection.
    fn acquire(&self) -> MutexGuard<'_, SqliteStore> {
        let n = self.pool.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let free = (0..n).find_map(|k| match self.pool[(start + k) % n].try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        });
        free.unwrap_or_else(|| self.pool[start % n].lock().unwrap_or_else(|p| p.into_inner()))
    }
}
