//! `accord serve`, `accord up` and `accord user …`: the web application and
//! the people who may sign in to it.

use crate::ingest;
use accord_store::{SqliteStore, Store};
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How the server listens: the options of `serve` and `up`.
pub struct Web {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Requests per second per client (0: no limit).
    pub rate_limit: u32,
    /// Host names the server answers for besides IP addresses and localhost.
    pub hosts: Vec<String>,
    /// Reverse proxies whose forwarded headers are believed.
    pub trusted_proxies: Vec<accord_serve::TrustedProxy>,
}

/// Serves the registry at `db` until interrupted.
pub fn serve(db: &Path, web: Web) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(accord_serve::serve(accord_serve::Config {
        db: db.to_path_buf(),
        addr: web.addr,
        rate_limit: web.rate_limit,
        hosts: web.hosts,
        trusted_proxies: web.trusted_proxies,
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// Ingests `paths` into `db`, then serves it.
pub fn up(paths: &[PathBuf], db: &Path, web: Web) -> Result<ExitCode> {
    let code = ingest::run(&ingest::Options {
        paths,
        db,
        sources: None,
        json: false,
        jobs: None,
        batch: ingest::DEFAULT_BATCH,
        page_budget: ingest::DEFAULT_PAGE_BUDGET,
    })?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    serve(db, web)
}

/// Adds a user and prints their token.
pub fn add_user(db: &Path, name: &str, role: &str) -> Result<ExitCode> {
    let mut store = SqliteStore::open_existing(db)?;
    let token = store.add_user(name, role.parse()?)?;
    println!("{token}");
    eprintln!("{name} ({role}) added to {}; keep this token: it is shown only once", db.display());
    Ok(ExitCode::SUCCESS)
}

/// Prints everyone who can sign in: name, role, active or revoked, open sessions.
pub fn list_users(db: &Path, json: bool) -> Result<ExitCode> {
    let users = SqliteStore::open_existing(db)?.users()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&users)?);
    } else if users.is_empty() {
        println!("no users yet: `accord user add NAME --role editor` adds one");
    } else {
        for u in &users {
            let state = if u.active { "active" } else { "revoked" };
            println!("{}\t{}\t{state}\t{} sessions", u.user.name, u.user.role.as_str(), u.sessions);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Revokes a user: their token and sessions stop working at once.
pub fn revoke_user(db: &Path, name: &str) -> Result<ExitCode> {
    SqliteStore::open_existing(db)?.revoke_user(name)?;
    eprintln!("{name} revoked: their token and sessions no longer work; `accord user token {name}` lets them back in");
    Ok(ExitCode::SUCCESS)
}

/// Gives a user a new token and prints it.
pub fn new_token(db: &Path, name: &str) -> Result<ExitCode> {
    let token = SqliteStore::open_existing(db)?.new_token(name)?;
    println!("{token}");
    eprintln!("new token for {name}; their old token no longer works; keep this one: it is shown only once");
    Ok(ExitCode::SUCCESS)
}
