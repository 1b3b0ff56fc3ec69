//! The `accord` command: a thin layer over the pipeline crates.

mod eval;
mod extract;
mod ingest;
mod pages;
mod registry;
mod web;

use accord_store::Listing;
use clap::{Parser, Subcommand};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

/// Accord turns press pages about medical cooperation into evidence-linked
/// records of institutions, people and cooperation events.
#[derive(Parser)]
#[command(name = "accord", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract one cooperation record per page (.txt, .html, .htm).
    Extract {
        /// Files or folders (searched recursively for pages).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write DIR/STEM.json per page instead of JSON lines on stdout.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print the text Accord read (what offsets index into) instead of records.
        #[arg(long)]
        text: bool,
    },
    /// Extract pages and score them against gold records.
    Eval {
        /// Folder of pages.
        #[arg(long, value_name = "DIR")]
        docs: PathBuf,
        /// Folder of gold records (NAME.json for page NAME.txt).
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// List each document's misses and false hits.
        #[arg(long)]
        verbose: bool,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Fail (exit code 1) when a figure falls below this quality floor (a JSON file).
        #[arg(long, value_name = "FILE")]
        floor: Option<PathBuf>,
    },
    /// Put pages into the registry: extract, resolve across pages, store.
    Ingest {
        /// Files or folders (searched recursively for pages).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: Db,
        /// TSV file of NAME<TAB>URL lines: the source URL of each page.
        #[arg(long, value_name = "FILE.tsv")]
        sources: Option<PathBuf>,
        /// Worker threads (default: every core).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// Pages per transaction: fewer means less to redo after a crash, more is faster.
        #[arg(long, default_value_t = ingest::DEFAULT_BATCH)]
        batch_size: usize,
        /// Seconds one page's extraction may take before the page is recorded as failed.
        #[arg(long, value_name = "SECONDS", default_value_t = ingest::DEFAULT_PAGE_BUDGET.as_secs_f64(), value_parser = seconds)]
        page_budget: f64,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The registry at a glance: counts, top partner countries, latest events.
    Summary {
        #[command(flatten)]
        db: Db,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List institutions.
    Orgs(ListArgs),
    /// List events.
    Events(ListArgs),
    /// List people.
    People(ListArgs),
    /// Show one institution, event or person with its sources and evidence.
    Show {
        /// `org`, `event` or `person`.
        #[arg(value_parser = ["org", "event", "person"])]
        kind: String,
        /// Its registry id.
        id: i64,
        #[command(flatten)]
        db: Db,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the registry: csv (a folder of tables), jsonl, graphml or gexf (the network).
    Export {
        /// csv, jsonl, graphml or gexf.
        #[arg(long, value_parser = ["csv", "jsonl", "graphml", "gexf"])]
        format: String,
        /// Output file (a folder for csv).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        db: Db,
    },
    /// Rebuild the search index (FILE.search/ beside the registry) from the registry.
    Reindex {
        #[command(flatten)]
        db: Db,
    },
    /// Serve the web application and the JSON API over a registry.
    Serve {
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        web: WebArgs,
    },
    /// Ingest the bundled example pages (or PATH) and serve them: the quickest look at Accord.
    Up {
        /// Pages to ingest first.
        #[arg(default_value = "examples/pages")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        web: WebArgs,
    },
    /// People who may sign in to the web application.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The knowledge base of institutions.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a person; prints their sign-in token once (it is stored hashed).
    Add {
        /// Their name, shown in the audit log.
        name: String,
        /// viewer (reads), editor (corrects facts) or admin (also merges and splits institutions).
        #[arg(long, value_parser = ["viewer", "editor", "admin"], default_value = "viewer")]
        role: String,
        #[command(flatten)]
        db: Db,
    },
    /// List everyone who can sign in, with their role and whether they are revoked.
    List {
        #[command(flatten)]
        db: Db,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a person: their token and every open session stop working at once.
    Revoke {
        /// Their name.
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Give a person a new token (printed once); the old one stops working.
    Token {
        /// Their name.
        name: String,
        #[command(flatten)]
        db: Db,
    },
}

/// Where and how the web application listens.
#[derive(clap::Args)]
struct WebArgs {
    /// Address to listen on; loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Requests per second allowed to one client address (0: no limit).
    #[arg(long, default_value_t = 100)]
    rate_limit: u32,
    /// A host name the server answers for (repeat for more); IP addresses
    /// and localhost always work, other names are refused (DNS rebinding).
    #[arg(long = "host", value_name = "NAME")]
    hosts: Vec<String>,
    /// A reverse proxy in front of the server, by address or network
    /// (10.0.0.1, 10.0.0.0/8; repeat for more): only its X-Forwarded-For
    /// (the client's address, for the rate limits) and X-Forwarded-Proto
    /// (https gives a Secure `__Host-` session cookie) are believed.
    #[arg(long = "trusted-proxy", value_name = "ADDR_OR_CIDR")]
    trusted_proxies: Vec<accord_serve::TrustedProxy>,
}

impl WebArgs {
    fn web(self) -> web::Web {
        web::Web {
            addr: self.addr,
            rate_limit: self.rate_limit,
            hosts: self.hosts,
            trusted_proxies: self.trusted_proxies,
        }
    }
}

#[derive(Subcommand)]
enum KbCommand {
    /// Import a ROR data dump (schema v2: the zip from ror.org, or its JSON file) and link institutions to it.
    ImportRor {
        /// The dump.
        file: PathBuf,
        #[command(flatten)]
        db: Db,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The registry database.
#[derive(clap::Args)]
struct Db {
    /// The registry database file.
    #[arg(long = "db", value_name = "FILE", default_value = "accord.db")]
    path: PathBuf,
}

/// Arguments of the listing commands.
#[derive(clap::Args)]
struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// At most this many rows.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[command(flatten)]
    db: Db,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

/// Filters shared by the listing and export commands.
#[derive(clap::Args)]
struct FilterArgs {
    /// Country (ISO 3166-1 alpha-2, e.g. FR).
    #[arg(long)]
    country: Option<String>,
    /// Institution kind (hospital, university, …) or event type (agreement, visit, …).
    #[arg(long = "type")]
    kind: Option<String>,
    /// Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Events on or before this date.
    #[arg(long)]
    until: Option<String>,
    /// Medical field of the events.
    #[arg(long)]
    field: Option<String>,
    /// An institution: its id or part of one of its names.
    #[arg(long)]
    org: Option<String>,
    /// Words to find in names or evidence.
    #[arg(long)]
    text: Option<String>,
}

impl FilterArgs {
    /// The store's filter, checked for `listing`: a mistyped value is an
    /// error naming its flag and what it accepts.
    fn to_filter(&self, listing: Listing, limit: Option<usize>) -> anyhow::Result<accord_store::Filter> {
        let filter = accord_store::Filter {
            country: self.country.clone(),
            kind: self.kind.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            field: self.field.clone(),
            org: self.org.clone(),
            text: self.text.clone(),
            limit,
            ..Default::default()
        };
        filter
            .check(listing)
            .map_err(|e| anyhow::anyhow!("--{}: {}", e.parameter, e.message))?;
        Ok(filter)
    }
}

/// Runs a listing command: the filter is checked before the registry is read.
fn list(a: &ListArgs, listing: Listing) -> anyhow::Result<ExitCode> {
    let filter = a.filter.to_filter(listing, Some(a.limit))?;
    registry::list(&a.db.path, listing, &filter, a.json)
}

/// Runs a `user` command.
fn user(command: UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add { name, role, db } => web::add_user(&db.path, &name, &role),
        UserCommand::List { db, json } => web::list_users(&db.path, json),
        UserCommand::Revoke { name, db } => web::revoke_user(&db.path, &name),
        UserCommand::Token { name, db } => web::new_token(&db.path, &name),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ACCORD_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
    // An internal error is logged as one line, where it happened; no backtrace reaches a person.
    std::panic::set_hook(Box::new(|info| tracing::error!("internal error: {info}")));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { paths, out, text } => extract::run(&paths, out.as_deref(), text),
        Command::Eval {
            docs,
            gold,
            verbose,
            json,
            floor,
        } => eval::run(&docs, &gold, verbose, json, floor.as_deref()),
        Command::Ingest {
            paths,
            db,
            sources,
            jobs,
            batch_size,
            page_budget,
            json,
        } => ingest::run(&ingest::Options {
            paths: &paths,
            db: &db.path,
            sources: sources.as_deref(),
            json,
            jobs,
            batch: batch_size,
            page_budget: std::time::Duration::from_secs_f64(page_budget),
        }),
        Command::Summary { db, json } => registry::summary(&db.path, json),
        Command::Orgs(a) => list(&a, Listing::Institutions),
        Command::Events(a) => list(&a, Listing::Events),
        Command::People(a) => list(&a, Listing::People),
        Command::Show { kind, id, db, json } => registry::show(&db.path, &kind, id, json),
        Command::Export { format, out, filter, db } => filter
            .to_filter(Listing::Events, None)
            .and_then(|f| registry::run_export(&db.path, &format, &out, &f)),
        Command::Kb {
            command: KbCommand::ImportRor { file, db, json },
        } => registry::import_ror(&db.path, &file, json),
        Command::Reindex { db } => registry::reindex(&db.path),
        Command::Serve { db, web } => web::serve(&db.path, web.web()),
        Command::Up { paths, db, web } => web::up(&paths, &db.path, web.web()),
        Command::User { command } => user(command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A positive number of seconds, at most a day.
fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!("«{s}» is not a number of seconds between 0 and 86400 (such as 60 or 0.5)")),
    }
}
