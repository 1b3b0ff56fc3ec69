//! Helpers shared by the server's test files: pages of a generated world,
//! and a registry filled with pages in a scratch folder.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use accord_store::{content_hash, IngestDoc, SqliteStore, Store};
use std::path::PathBuf;

/// The pages of generated world `seed`, HTML ones read as `accord ingest`
/// reads them, each with the record Accord extracts from it.
pub fn generated(seed: u64, count: usize) -> Vec<IngestDoc> {
    let world = accord_synth::world::World::new(seed, count);
    world
        .pages(seed, count)
        .map(|p| {
            let is_html = p.name.ends_with(".html");
            let page = accord_extract::input::page_from_bytes(p.name.clone(), p.text.as_bytes(), is_html).expect("a generated page reads");
            IngestDoc {
                path: format!("world/{}", p.name),
                source_url: None,
                hash: content_hash(p.text.as_bytes()),
                record: accord_extract::extract_page(&page),
                text: page.text,
            }
        })
        .collect()
}

/// A registry holding `docs`, in a scratch folder that lives as long as
/// the folder returned.
pub fn registry(docs: &[IngestDoc]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    SqliteStore::open(&db).unwrap().ingest(docs).unwrap();
    (dir, db)
}
