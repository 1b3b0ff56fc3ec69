//! The registry's query, show, export and knowledge-base commands: tables
//! for people, JSON (`--json`) for scripts.

use accord_store::export::{export, Format};
use accord_store::{EventRow, Evidence, Filter, InstitutionRow, Listing, PersonRow, SqliteStore, Store, Summary};
use anyhow::{bail, Result};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

/// Prints what a listing command found.
pub fn list(db: &Path, what: Listing, filter: &Filter, json: bool) -> Result<ExitCode> {
    let store = SqliteStore::open_existing(db)?;
    match what {
        Listing::Institutions => show_rows(&store.institutions(filter)?, json, institution_table),
        Listing::Events => show_rows(&store.events(filter)?, json, event_table),
        Listing::People => show_rows(&store.people(filter)?, json, person_table),
    }
}

fn show_rows<T: Serialize>(rows: &[T], json: bool, table: fn(&[T]) -> String) -> Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(rows)?);
    } else if rows.is_empty() {
        println!("nothing matches");
    } else {
        print!("{}", table(rows));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints one institution, event or person with its evidence.
pub fn show(db: &Path, kind: &str, id: i64, json: bool) -> Result<ExitCode> {
    let store = SqliteStore::open_existing(db)?;
    let found = match kind {
        "org" | "institution" => store.institution(id)?.map(|d| {
            let text = format!(
                "{}\nror: {}\n\npartners:\n{}\nevents:\n{}\npeople:\n{}\nevidence:\n{}",
                institution_table(std::slice::from_ref(&d.row)),
                match (&d.row.ror_id, &d.ror_match) {
                    (Some(id), Some((how, score))) => format!("{id} (by {how}, score {score:.2})"),
                    _ => "not linked".to_string(),
                },
                d.partners
                    .iter()
                    .map(|(id, n, k)| format!("  {id:>6}  {n}  ({k} events)\n"))
                    .collect::<String>(),
                event_table(&d.events),
                person_table(&d.people),
                evidence_lines(&d.mentions)
            );
            (serde_json::to_value(&d), text)
        }),
        "event" => store.event(id)?.map(|d| {
            let text = format!(
                "{}\nsubtype: {}\ninitiative: {}\nmode: {}\nsignatories: {}\nsources:\n{}",
                event_table(std::slice::from_ref(&d.row)),
                d.subtype.as_deref().unwrap_or("-"),
                d.initiative.as_deref().unwrap_or("-"),
                d.mode.as_deref().unwrap_or("-"),
                d.signatories.join(", "),
                evidence_lines(&d.sources)
            );
            (serde_json::to_value(&d), text)
        }),
        "person" => store.person(id)?.map(|d| {
            let text = format!(
                "{}\ntitles: {}\nevidence:\n{}",
                person_table(std::slice::from_ref(&d.row)),
                d.titles.join(", "),
                evidence_lines(&d.mentions)
            );
            (serde_json::to_value(&d), text)
        }),
        other => bail!("cannot show «{other}»: use org, event or person"),
    };
    let Some((value, text)) = found else {
        bail!("no {kind} with id {id} in {}", db.display());
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&value?)?);
    } else {
        print!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes an export of the registry.
pub fn run_export(db: &Path, format: &str, out: &Path, filter: &Filter) -> Result<ExitCode> {
    let format: Format = format.parse()?;
    let store = SqliteStore::open_existing(db)?;
    let written = export(&store, format, filter, out)?;
    let links = match format {
        Format::Graphml | Format::Gexf => "links between them",
        Format::Csv | Format::Jsonl => "events",
    };
    eprintln!(
        "{}: {} institutions, {} {links}",
        out.display(),
        written.institutions,
        written.events
    );
    if !written.network_complete {
        eprintln!(
            "warning: the network holds only the {} strongest links; narrow it with --since, --until, --type or --country to export all of a part",
            accord_store::MAX_EDGES
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports a ROR data dump and links the registry's institutions to it.
pub fn import_ror(db: &Path, dump: &Path, json: bool) -> Result<ExitCode> {
    let mut store = SqliteStore::open(db)?;
    let mut orgs = accord_store::ror::read_dump(dump)?;
    let (imported, linked) = store.import_ror(&mut orgs)?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "ror_organizations": imported, "institutions_linked": linked })
        );
    } else {
        println!("{imported} ROR organizations imported; {linked} institutions of the registry linked to ROR");
    }
    Ok(ExitCode::SUCCESS)
}

/// `accord reindex`: the search index rebuilt from the registry, for when
/// it was deleted, copied without the registry, or is suspected wrong.
pub fn reindex(db: &Path) -> Result<ExitCode> {
    let mut store = SqliteStore::open_existing(db)?;
    let started = std::time::Instant::now();
    let n = store.reindex()?;
    println!("search index rebuilt: {n} entities in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// Prints the registry's summary.
pub fn summary(db: &Path, json: bool) -> Result<ExitCode> {
    let s = SqliteStore::open_existing(db)?.summary()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print_summary(&s);
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary as people read it.
pub fn print_summary(s: &Summary) {
    println!(
        "{} documents, {} institutions ({} linked to ROR), {} people, {} events from {} reports",
        s.documents, s.institutions, s.institutions_in_ror, s.people, s.events, s.event_sources
    );
    if !s.events_by_type.is_empty() {
        let types: Vec<String> = s.events_by_type.iter().map(|(t, n)| format!("{t} {n}")).collect();
        println!("events by type: {}", types.join(", "));
    }
    if !s.top_countries.is_empty() {
        let countries: Vec<String> = s.top_countries.iter().map(|(c, n)| format!("{c} {n}")).collect();
        println!("top partner countries (events): {}", countries.join(", "));
    }
    if !s.latest_events.is_empty() {
        println!("latest events:");
        print!("{}", event_table(&s.latest_events));
    }
}

fn institution_table(rows: &[InstitutionRow]) -> String {
    table(
        &["id", "name", "kind", "country", "city", "ror", "docs", "events"],
        rows.iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.name.clone(),
                    opt(&r.kind),
                    opt(&r.country),
                    opt(&r.city),
                    r.ror_id
                        .as_deref()
                        .map(|s| s.trim_start_matches("https://ror.org/").to_string())
                        .unwrap_or_default(),
                    r.documents.to_string(),
                    r.events.to_string(),
                ]
            })
            .collect(),
    )
}

fn event_table(rows: &[EventRow]) -> String {
    table(
        &["id", "type", "date", "place", "parties", "fields", "sources"],
        rows.iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.event_type.clone(),
                    opt(&r.date),
                    [r.city.clone(), r.country.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                    r.parties.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("; "),
                    r.fields.join(", "),
                    r.sources.len().to_string(),
                ]
            })
            .collect(),
    )
}

fn person_table(rows: &[PersonRow]) -> String {
    table(
        &["id", "name", "institution", "docs"],
        rows.iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.name.clone(),
                    r.institution.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
                    r.documents.to_string(),
                ]
            })
            .collect(),
    )
}

fn evidence_lines(ev: &[Evidence]) -> String {
    ev.iter()
        .map(|e| {
            format!(
                "  {} [{}..{}] «{}»\n    why: {}\n",
                e.source_url.as_deref().unwrap_or(&e.path),
                e.start,
                e.end,
                e.text.replace('\n', " "),
                e.reason
            )
        })
        .collect()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Columns aligned on character counts, long cells cut with an ellipsis.
fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    const WIDEST: usize = 60;
    let cut = |s: &str| -> String {
        let s = s.replace(['\n', '\t'], " ");
        if width(&s) <= WIDEST {
            return s;
        }
        let mut out = String::new();
        for c in s.chars() {
            if width(&out) + width(c.encode_utf8(&mut [0; 4])) > WIDEST - 1 {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    };
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()).collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain(std::iter::once(headers[i].len()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(width(c)))))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(headers.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// Columns a string takes in a terminal: East Asian wide characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => {
                2
            }
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_wide_characters_and_cut_long_cells() {
        let t = table(
            &["id", "name"],
            vec![vec!["1".into(), "中心".into()], vec!["22".into(), "x".repeat(80)]],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "id  name");
        assert_eq!(lines[1], "1   中心");
        assert_eq!(width(lines[2]), 4 + 60);
        assert!(lines[2].ends_with('…'));
    }
}
