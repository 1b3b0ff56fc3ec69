//! `accord serve`, `accord up` and `accord user add`: the web application.

use crate::ingest;
use accord_store::{SqliteStore, Store};
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Serves the registry at `db` until interrupted.
pub fn serve(db: &Path, addr: SocketAddr, rate_limit: u32) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(accord_serve::serve(accord_serve::Config {
        db: db.to_path_buf(),
        addr,
        rate_limit,
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// Ingests `paths` into `db`, then serves it.
pub fn up(paths: &[PathBuf], db: &Path, addr: SocketAddr, rate_limit: u32) -> Result<ExitCode> {
    let code = ingest::run(&ingest::Options {
        paths,
        db,
        sources: None,
        json: false,
        jobs: None,
        batch: ingest::DEFAULT_BATCH,
    })?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    serve(db, addr, rate_limit)
}

/// Adds a user and prints their token.
pub fn add_user(db: &Path, name: &str, role: &str) -> Result<ExitCode> {
    let mut store = SqliteStore::open(db)?;
    let token = store.add_user(name, role.parse()?)?;
    println!("{token}");
    eprintln!("{name} ({role}) added to {}; keep this token: it is shown only once", db.display());
    Ok(ExitCode::SUCCESS)
}
