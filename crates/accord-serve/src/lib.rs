//! Accord's web application and JSON API over the registry.
//!
//! Pages are rendered on the server (askama templates, every value escaped);
//! the only scripts are the network and map drawings, served from the
//! binary. Reads go through a small pool of read-only-in-practice SQLite
//! connections on blocking threads; writes (sign-in, corrections) are
//! checked for role, CSRF token and rate, and logged.

mod api;
mod assets;
mod audit;
mod auth;
mod bounds;
mod chart;
pub mod client;
mod countries;
mod curation;
mod document;
mod downloads;
mod errors;
mod event;
mod guard;
pub mod html;
pub mod listen;
mod lists;
mod network_api;
mod notice;
mod pages;
mod present;
mod profile;
mod review;
mod state;

pub use client::TrustedProxy;
pub use state::AppState;

use anyhow::{Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The registry database.
    pub db: PathBuf,
    /// Where to listen; loopback unless told otherwise.
    pub addr: SocketAddr,
    /// Requests per second allowed to one client address (0: no limit).
    pub rate_limit: u32,
    /// Host names it answers for besides IP addresses and `localhost`.
    pub hosts: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<TrustedProxy>,
}

/// Largest request body accepted: forms and JSON corrections are small.
const MAX_BODY: usize = 64 * 1024;

/// The whole application: pages, API, static assets, and the guards around
/// them. Every error leaves through `errors::humane` (an error page, or the
/// API's JSON shape), and every request is logged with its status and time.
pub fn router(state: AppState) -> Router {
    let rate = state.rate_limit;
    let hosts = state.hosts.clone();
    let proxies = state.trusted_proxies.clone();
    Router::new()
        .merge(pages::routes())
        .merge(lists::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(axum::middleware::from_fn_with_state(state.clone(), curation::merged_redirect))
        .layer(axum::middleware::from_fn_with_state(
            guard::RateLimiter::per_minute(auth::BEARER_FAILURES_PER_MINUTE),
            auth::limit_bearer_failures,
        ))
        .layer(axum::middleware::from_fn_with_state(
            guard::RateLimiter::new(rate),
            guard::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(proxies, client::identify))
        .layer(axum::middleware::from_fn_with_state(hosts, guard::check_host))
        .layer(axum::middleware::from_fn(errors::humane))
        .layer(axum::middleware::from_fn(guard::security_headers))
        .layer(axum::middleware::from_fn(guard::log_request))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// How often the server brings the search index up to date with the registry.
const SEARCH_SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Syncs the search index at start and every [`SEARCH_SYNC_EVERY`]: changes
/// committed by another process (an `accord ingest` running beside the
/// server), or left unsynced by a crash, reach search within seconds.
async fn keep_search_current(state: AppState) {
    // One Chinese search loads jieba's dictionary before the first visitor's does.
    let warm = accord_store::SearchQuery {
        q: "医院".into(),
        ..Default::default()
    };
    if let Err(e) = state.with(move |s| accord_store::Store::search(s, &warm)).await {
        tracing::warn!("search warm-up failed: {e:#}");
    }
    if state.read_only {
        // The index of a read-only registry is read as it is (nothing may be written).
        return;
    }
    let mut tick = tokio::time::interval(SEARCH_SYNC_EVERY);
    loop {
        tick.tick().await;
        match state.with(accord_store::Store::sync_search).await {
            Ok(Some(n)) if n > 0 => tracing::info!("search index: {n} entities brought up to date"),
            Ok(_) => {}
            Err(e) => tracing::warn!("search index sync failed (retried in {SEARCH_SYNC_EVERY:?}): {e:#}"),
        }
    }
}

/// Serves until interrupted (Ctrl-C).
pub async fn serve(config: Config) -> Result<()> {
    let state = AppState::open(&config.db, config.rate_limit)?
        .with_hosts(config.hosts.clone())
        .with_trusted_proxies(config.trusted_proxies.clone());
    let listener = tokio::net::TcpListener::bind(config.addr).await.with_context(|| {
        format!(
            "cannot listen on {}: is another server using it? try --addr 127.0.0.1:8081",
            config.addr
        )
    })?;
    if !config.addr.ip().is_loopback() {
        tracing::warn!("listening on {}: reachable from other machines", config.addr);
    }
    tokio::spawn(keep_search_current(state.clone()));
    println!("Accord is serving {} at http://{}/", config.db.display(), listener.local_addr()?);
    listen::serve(listener, router(state), listen::Limits::default(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}
