//! Exports for the tools analysts use: CSV tables (spreadsheets, pandas, R),
//! JSON Lines, and the cooperation network as GraphML (networkx, yEd) or
//! GEXF (Gephi).

use crate::{EventRow, Filter, InstitutionRow, Network, Store};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder of `institutions.csv`, `events.csv` and `network.csv`.
    Csv,
    /// One JSON object per line: institutions, then events.
    Jsonl,
    /// The network as GraphML.
    Graphml,
    /// The network as GEXF 1.3.
    Gexf,
}

impl std::str::FromStr for Format {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            "graphml" => Format::Graphml,
            "gexf" => Format::Gexf,
            other => bail!("unknown export format «{other}»: use csv, jsonl, graphml or gexf"),
        })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// Institutions (or network nodes) written.
    pub institutions: usize,
    /// Events written (or network edges, for the graph formats).
    pub events: usize,
    /// False when the network written holds only the
    /// [`crate::MAX_EDGES`] strongest links (the caller says so).
    pub network_complete: bool,
}

/// Writes the registry's institutions and the events matching `filter` to `out`.
pub fn export(store: &dyn Store, format: Format, filter: &Filter, out: &Path) -> Result<Written> {
    let all = Filter {
        limit: None,
        ..filter.clone()
    };
    match format {
        Format::Csv => {
            fs::create_dir_all(out).with_context(|| format!("{}: cannot create the export folder", out.display()))?;
            let institutions = store.institutions(&Filter::default())?;
            let events = store.events(&all)?;
            write_file(&out.join("institutions.csv"), |w| institutions_csv(w, &institutions))?;
            write_file(&out.join("events.csv"), |w| events_csv(w, &events))?;
            let network = store.network(&all)?;
            write_file(&out.join("network.csv"), |w| network_csv(w, &network))?;
            Ok(Written {
                institutions: institutions.len(),
                events: events.len(),
                network_complete: network.complete,
            })
        }
        Format::Jsonl => {
            let institutions = store.institutions(&Filter::default())?;
            let events = store.events(&all)?;
            write_file(out, |w| {
                for i in &institutions {
                    writeln!(w, "{}", tagged("institution", i)?)?;
                }
                for e in &events {
                    writeln!(w, "{}", tagged("event", e)?)?;
                }
                Ok(())
            })?;
            Ok(Written {
                institutions: institutions.len(),
                events: events.len(),
                network_complete: true,
            })
        }
        Format::Graphml | Format::Gexf => {
            let network = store.network(&all)?;
            let types: HashMap<i64, String> = store.events(&all)?.into_iter().map(|e| (e.id, e.event_type)).collect();
            write_file(out, |w| {
                if format == Format::Graphml {
                    graphml(w, &network, &types)
                } else {
                    gexf(w, &network, &types)
                }
            })?;
            Ok(Written {
                institutions: network.nodes.len(),
                events: network.edges.len(),
                network_complete: network.complete,
            })
        }
    }
}

fn write_file(path: &Path, body: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let file = File::create(path).with_context(|| format!("{}: cannot create the export file", path.display()))?;
    let mut w = BufWriter::new(file);
    body(&mut w).with_context(|| format!("{}: cannot write the export", path.display()))?;
    w.flush().with_context(|| format!("{}: cannot write the export", path.display()))?;
    Ok(())
}

/// One JSON Lines record: the row with `"record": tag`.
pub fn tagged<T: serde::Serialize>(tag: &str, row: &T) -> Result<String> {
    let mut v = serde_json::to_value(row)?;
    if let Some(map) = v.as_object_mut() {
        map.insert("record".to_string(), tag.into());
    }
    Ok(serde_json::to_string(&v)?)
}

/// One CSV field, quoted when it must be (RFC 4180). A cell a spreadsheet
/// would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return: page text is untrusted) is led by an apostrophe, which
/// spreadsheets show as text.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(w: &mut dyn Write, cells: &[String]) -> Result<()> {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    writeln!(w, "{}", line.join(","))?;
    Ok(())
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Institutions as the CSV table `accord export` writes: also what a download of a list answers.
pub fn institutions_csv(w: &mut dyn Write, rows: &[InstitutionRow]) -> Result<()> {
    csv_line(
        w,
        &["id", "name", "kind", "country", "city", "ror_id", "names", "documents", "events"].map(String::from),
    )?;
    for r in rows {
        csv_line(
            w,
            &[
                r.id.to_string(),
                r.name.clone(),
                opt(&r.kind),
                opt(&r.country),
                opt(&r.city),
                opt(&r.ror_id),
                r.names.join(" | "),
                r.documents.to_string(),
                r.events.to_string(),
            ],
        )?;
    }
    Ok(())
}

/// Events as the CSV table `accord export` writes.
pub fn events_csv(w: &mut dyn Write, rows: &[EventRow]) -> Result<()> {
    csv_line(
        w,
        &["id", "type", "date", "city", "country", "party_ids", "parties", "fields", "sources"].map(String::from),
    )?;
    for r in rows {
        csv_line(
            w,
            &[
                r.id.to_string(),
                r.event_type.clone(),
                opt(&r.date),
                opt(&r.city),
                opt(&r.country),
                r.parties.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(" | "),
                r.parties.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(" | "),
                r.fields.join(" | "),
                r.sources.join(" | "),
            ],
        )?;
    }
    Ok(())
}

/// The network's links as the CSV table `accord export` writes.
pub fn network_csv(w: &mut dyn Write, n: &Network) -> Result<()> {
    csv_line(w, &["source", "target", "weight", "events"].map(String::from))?;
    for e in &n.edges {
        csv_line(
            w,
            &[
                e.source.to_string(),
                e.target.to_string(),
                e.events.len().to_string(),
                e.events.iter().map(i64::to_string).collect::<Vec<_>>().join(" | "),
            ],
        )?;
    }
    Ok(())
}

/// Text escaped for XML content and attribute values; characters XML 1.0
/// forbids are dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The event types of an edge's events, as "agreement 2, visit 1".
fn edge_types(events: &[i64], types: &HashMap<i64, String>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for t in events.iter().filter_map(|e| types.get(e)) {
        match counts.iter_mut().find(|(k, _)| k == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t.clone(), 1)),
        }
    }
    counts.iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>().join(", ")
}

fn graphml(w: &mut dyn Write, n: &Network, types: &HashMap<i64, String>) -> Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#)?;
    for (id, target, name, ty) in [
        ("name", "node", "name", "string"),
        ("kind", "node", "kind", "string"),
        ("country", "node", "country", "string"),
        ("city", "node", "city", "string"),
        ("ror", "node", "ror_id", "string"),
        ("nevents", "node", "events", "int"),
        ("weight", "edge", "weight", "int"),
        ("types", "edge", "types", "string"),
    ] {
        writeln!(w, r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    writeln!(w, r#"  <graph id="cooperation" edgedefault="undirected">"#)?;
    for node in &n.nodes {
        writeln!(w, r#"    <node id="i{}">"#, node.id)?;
        for (key, value) in [
            ("name", Some(node.name.clone())),
            ("kind", node.kind.clone()),
            ("country", node.country.clone()),
            ("city", node.city.clone()),
            ("ror", node.ror_id.clone()),
            ("nevents", Some(node.events.to_string())),
        ] {
            if let Some(v) = value {
                writeln!(w, r#"      <data key="{key}">{}</data>"#, xml(&v))?;
            }
        }
        writeln!(w, "    </node>")?;
    }
    for (k, e) in n.edges.iter().enumerate() {
        writeln!(w, r#"    <edge id="e{k}" source="i{}" target="i{}">"#, e.source, e.target)?;
        writeln!(w, r#"      <data key="weight">{}</data>"#, e.events.len())?;
        writeln!(w, r#"      <data key="types">{}</data>"#, xml(&edge_types(&e.events, types)))?;
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>\n</graphml>")?;
    Ok(())
}

/// The network as GEXF 1.3 (Gephi), each link with the types of its events from `types`.
pub fn gexf(w: &mut dyn Write, n: &Network, types: &HashMap<i64, String>) -> Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, r#"<gexf xmlns="http://gexf.net/1.3" version="1.3">"#)?;
    writeln!(
        w,
        r#"  <meta><creator>Accord</creator><description>Cooperation between medical institutions</description></meta>"#
    )?;
    writeln!(w, r#"  <graph defaultedgetype="undirected" mode="static">"#)?;
    writeln!(w, r#"    <attributes class="node">"#)?;
    for (i, (title, ty)) in [
        ("kind", "string"),
        ("country", "string"),
        ("city", "string"),
        ("ror_id", "string"),
        ("events", "integer"),
    ]
    .iter()
    .enumerate()
    {
        writeln!(w, r#"      <attribute id="{i}" title="{title}" type="{ty}"/>"#)?;
    }
    writeln!(w, "    </attributes>")?;
    writeln!(
        w,
        r#"    <attributes class="edge"><attribute id="0" title="types" type="string"/></attributes>"#
    )?;
    writeln!(w, "    <nodes>")?;
    for node in &n.nodes {
        writeln!(w, r#"      <node id="{}" label="{}">"#, node.id, xml(&node.name))?;
        writeln!(w, "        <attvalues>")?;
        for (i, v) in [
            node.kind.clone(),
            node.country.clone(),
            node.city.clone(),
            node.ror_id.clone(),
            Some(node.events.to_string()),
        ]
        .iter()
        .enumerate()
        {
            if let Some(v) = v {
                writeln!(w, r#"          <attvalue for="{i}" value="{}"/>"#, xml(v))?;
            }
        }
        writeln!(w, "        </attvalues>\n      </node>")?;
    }
    writeln!(w, "    </nodes>\n    <edges>")?;
    for (k, e) in n.edges.iter().enumerate() {
        writeln!(
            w,
            r#"      <edge id="{k}" source="{}" target="{}" weight="{}"><attvalues><attvalue for="0" value="{}"/></attvalues></edge>"#,
            e.source,
            e.target,
            e.events.len(),
            xml(&edge_types(&e.events, types))
        )?;
    }
    writeln!(w, "    </edges>\n  </graph>\n</gexf>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_they_must_be() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        // Formula injection: the cell stays text.
        assert_eq!(field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-2+3"), "'-2+3");
    }

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(xml("<a & 'b'>\u{1}"), "&lt;a &amp; &apos;b&apos;&gt;");
    }

    #[test]
    fn formats_are_named_as_users_type_them() {
        assert_eq!("GEXF".parse::<Format>().unwrap(), Format::Gexf);
        assert!("xlsx".parse::<Format>().is_err());
    }
}
