//! Shared state: a pool of registry connections used on blocking threads.

use accord_store::SqliteStore;
use anyhow::{anyhow, Result};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Connections to the registry; SQLite in WAL mode lets them read in
/// parallel while one writes.
#[derive(Clone)]
pub struct AppState {
    pool: Arc<Vec<Mutex<SqliteStore>>>,
    next: Arc<AtomicUsize>,
    /// Requests per second per client (0: unlimited).
    pub rate_limit: u32,
}

impl AppState {
    /// Opens the registry (which must exist) with one connection per core, at least two.
    pub fn open(db: &Path, rate_limit: u32) -> Result<AppState> {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2) * 2;
        let pool = (0..n)
            .map(|_| SqliteStore::open_existing(db).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        Ok(AppState {
            pool: Arc::new(pool),
            next: Arc::new(AtomicUsize::new(0)),
            rate_limit,
        })
    }

    /// Runs `f` with a connection, on a blocking thread.
    pub async fn with<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let n = state.pool.len();
            let start = state.next.fetch_add(1, Ordering::Relaxed);
            let free = (0..n).find_map(|k| state.pool[(start + k) % n].try_lock().ok());
            let mut store = match free {
                Some(guard) => guard,
                None => state.pool[start % n]
                    .lock()
                    .map_err(|_| anyhow!("a registry connection was poisoned"))?,
            };
            f(&mut store)
        })
        .await
        .map_err(|e| anyhow!("a request failed: {e}"))?
    }
}
