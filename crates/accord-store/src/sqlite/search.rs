//! Full-text search (SQLite FTS5, trigram tokens) and the aggregates the
//! web pages show: the map, events per year, the review queue, the network.

use super::Query;
use crate::{
    CountryLink, CountryMap, CountryStat, Edge, Filter, InstitutionRow, Network, SearchHit, SearchQuery, SearchResults, MAX_EDGES,
};
use anyhow::Result;
use rusqlite::{params, params_from_iter, Connection, Transaction};
use std::collections::{BTreeMap, HashMap};

/// Writes again the search rows of every entity marked dirty by the triggers.
pub fn refresh(tx: &Transaction) -> Result<()> {
    let dirty: Vec<(String, i64)> = {
        let mut st = tx.prepare("SELECT kind, id FROM search_dirty")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        rows
    };
    for (kind, id) in dirty {
        let (table, rowid) = search_row(&kind, id);
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?"))?
            .execute([rowid])?;
        let sql = match kind.as_str() {
            "institution" => {
                "SELECT i.name, (SELECT group_concat(name, ' · ') FROM institution_names WHERE institution_id = i.id) || ' ' || \
                 COALESCE(i.city, ''), i.kind, i.country, NULL, NULL, NULL FROM institutions i WHERE i.id = ?1"
            }
            "event" => {
                "SELECT e.type || ': ' || COALESCE((SELECT group_concat(i.name, ' · ') FROM event_parties p JOIN institutions i \
                 ON i.id = p.institution_id WHERE p.event_id = e.id), ''), \
                 COALESCE((SELECT group_concat(evidence, ' ') FROM event_sources WHERE event_id = e.id), ''), e.type, \
                 COALESCE(e.country, (SELECT i.country FROM event_parties p JOIN institutions i ON i.id = p.institution_id \
                 WHERE p.event_id = e.id AND i.country IS NOT NULL LIMIT 1)), \
                 CASE WHEN e.date GLOB '[0-9][0-9][0-9][0-9]*' THEN substr(e.date, 1, 4) END, \
                 (SELECT d.language FROM event_sources s JOIN documents d ON d.id = s.document_id WHERE s.event_id = e.id LIMIT 1), \
                 (SELECT group_concat(field, '|') FROM event_fields WHERE event_id = e.id) FROM events e WHERE e.id = ?1"
            }
            "person" => {
                "SELECT p.name, COALESCE((SELECT group_concat(titles, ' ') FROM person_mentions WHERE person_id = p.id), '') || ' ' || \
                 COALESCE(i.name, ''), NULL, i.country, NULL, NULL, NULL FROM people p LEFT JOIN institutions i ON i.id = p.institution_id \
                 WHERE p.id = ?1"
            }
            _ => {
                "SELECT COALESCE(d.title, d.doc), d.text, NULL, NULL, \
                 CASE WHEN d.published GLOB '[0-9][0-9][0-9][0-9]*' THEN substr(d.published, 1, 4) END, d.language, NULL \
                 FROM documents d WHERE d.id = ?1"
            }
        };
        let row: Option<[Option<String>; 7]> = {
            let mut st = tx.prepare_cached(sql)?;
            let mut rows = st.query([id])?;
            match rows.next()? {
                Some(r) => Some([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?]),
                None => None,
            }
        };
        if let Some([title, body, subtype, country, year, lang, fields]) = row {
            let grams = han_pairs(title.as_deref().unwrap_or(""));
            tx.prepare_cached(&format!(
                "INSERT INTO {table} (rowid, title, body, grams, kind, ref_id, type, country, year, lang, fields) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))?
            .execute(params![rowid, title, body, grams, kind, id, subtype, country, year, lang, fields])?;
        }
    }
    tx.execute("DELETE FROM search_dirty", [])?;
    Ok(())
}

/// The index of each kind of searchable thing.
const TABLES: [(&str, &str); 4] = [
    ("institution", "search_institutions"),
    ("event", "search_events"),
    ("person", "search_people"),
    ("document", "search_documents"),
];

/// Where an entity's search row is: its kind's index, under its id.
fn search_row(kind: &str, id: i64) -> (&'static str, i64) {
    let table = TABLES.iter().find(|(k, _)| *k == kind).map_or("search_documents", |(_, t)| t);
    (table, id)
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Every pair of adjacent Chinese characters of `title`, each followed by a
/// space: "人民医院" gives "人民 民医 医院 ".
pub fn han_pairs(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    let mut out = String::new();
    for w in chars.windows(2) {
        if is_han(w[0]) && is_han(w[1]) {
            out.extend([w[0], w[1], ' ']);
        }
    }
    out
}

/// The WHERE clause of a search in `table` and its parameters. Words of
/// three characters or more use the trigram index, two-character Chinese
/// words the title's character pairs; other short words are matched as
/// substrings of titles (institution and person names, event parties, page
/// titles), scanning them.
fn conditions(q: &SearchQuery, table: &str) -> (String, Vec<String>) {
    let mut sql = String::from("1");
    let mut params = Vec::new();
    let mut fts_terms = Vec::new();
    for term in q.q.split_whitespace() {
        let n = term.chars().count();
        if n >= 3 {
            fts_terms.push(format!("\"{}\"", term.replace('"', "\"\"")));
        } else if n == 2 && term.chars().all(is_han) {
            fts_terms.push(format!("grams : \"{term} \""));
        } else {
            sql.push_str(" AND title LIKE ?");
            params.push(format!("%{}%", term.replace(['%', '_'], "")));
        }
    }
    if !fts_terms.is_empty() {
        sql.push_str(&format!(" AND {table} MATCH ?"));
        params.push(fts_terms.join(" AND "));
    }
    for (column, value) in [("type", &q.subtype), ("country", &q.country), ("year", &q.year), ("lang", &q.lang)] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            sql.push_str(&format!(" AND {column} = ?"));
            params.push(if column == "country" { v.to_ascii_uppercase() } else { v.clone() });
        }
    }
    if let Some(f) = q.field.as_ref().filter(|v| !v.is_empty()) {
        sql.push_str(" AND ('|' || fields || '|') LIKE ?");
        params.push(format!("%|{}|%", f.to_lowercase()));
    }
    (sql, params)
}

/// Matches ranked and counted into facets: the most recent this many per
/// index. A query matching more (a common word) is ranked among them and
/// its total shown as "at least", so every search costs about the same
/// however broad it is: milliseconds on a registry of 100,000 pages.
const CANDIDATES: usize = 300;

/// One candidate match: where it is, its title and facet values.
struct Candidate {
    table: &'static str,
    rowid: i64,
    title: String,
    facets: [Option<String>; 6],
}

/// Searches, best matches first, with facet counts.
pub fn search(conn: &Connection, q: &SearchQuery) -> Result<SearchResults> {
    if q.q.trim().is_empty() && q.kind.is_none() && q.country.is_none() && q.subtype.is_none() && q.year.is_none() {
        return Ok(SearchResults::default());
    }
    let kind = q.kind.as_deref().filter(|k| !k.is_empty());
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut lower_bound = false;
    for (_, table) in TABLES.iter().filter(|(k, _)| kind.is_none_or(|want| want == *k)) {
        let found = candidates_in(conn, q, table)?;
        lower_bound |= found.len() >= CANDIDATES;
        candidates.extend(found);
    }
    let total = candidates.len();
    let facets = facet_counts(&candidates);
    let terms: Vec<String> = q.q.split_whitespace().map(str::to_lowercase).collect();
    candidates.sort_by_cached_key(|c| (rank(c, &terms), std::cmp::Reverse(c.rowid)));
    let limit = q.limit.unwrap_or(20).min(200);
    let page: Vec<&Candidate> = candidates.iter().skip(q.offset.unwrap_or(0)).take(limit).collect();
    Ok(SearchResults {
        total,
        total_is_lower_bound: lower_bound,
        hits: page_hits(conn, &page, &terms)?,
        facets,
    })
}

/// The most recent matches in one table.
fn candidates_in(conn: &Connection, q: &SearchQuery, table: &'static str) -> Result<Vec<Candidate>> {
    let (cond, params) = conditions(q, table);
    let mut st = conn.prepare_cached(&format!(
        "SELECT rowid, title, kind, type, country, year, lang, fields FROM {table} WHERE {cond} ORDER BY rowid DESC LIMIT {CANDIDATES}"
    ))?;
    let rows = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(Candidate {
                table,
                rowid: r.get(0)?,
                title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                facets: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Lower is better: a title holding every word first, then institutions,
/// events, people, and pages last.
fn rank(c: &Candidate, terms: &[String]) -> (u8, u8) {
    let title = c.title.to_lowercase();
    let in_title = !terms.is_empty() && terms.iter().all(|t| title.contains(t.as_str()));
    let kind = match c.facets[0].as_deref() {
        Some("institution") => 0,
        Some("event") => 1,
        Some("person") => 2,
        _ => 3,
    };
    (u8::from(!in_title), kind)
}

/// The rows of one page of results, in the page's order, with snippets.
fn page_hits(conn: &Connection, page: &[&Candidate], terms: &[String]) -> Result<Vec<SearchHit>> {
    let mut hits = Vec::with_capacity(page.len());
    for c in page {
        let mut st = conn.prepare_cached(&format!(
            "SELECT kind, ref_id, title, body, country, year FROM {} WHERE rowid = ?",
            c.table
        ))?;
        let hit = st.query_row([c.rowid], |r| {
            let body: String = r.get::<_, Option<String>>(3)?.unwrap_or_default();
            Ok(SearchHit {
                kind: r.get(0)?,
                id: r.get(1)?,
                title: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                snippet: snippet(&body, terms),
                country: r.get(4)?,
                year: r.get(5)?,
            })
        });
        match hit {
            Ok(h) => hits.push(h),
            Err(rusqlite::Error::QueryReturnedNoRows) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(hits)
}

/// About 160 characters of `body` around the first query word, every word
/// found there between U+E000 and U+E001.
pub fn snippet(body: &str, terms: &[String]) -> String {
    const AROUND: usize = 80;
    let chars: Vec<char> = body.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let find = |term: &[char], from: usize| -> Option<usize> {
        (from..lower.len().saturating_sub(term.len() - 1)).find(|&i| lower[i..i + term.len()] == *term)
    };
    let terms: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.chars().collect())
        .filter(|t: &Vec<char>| !t.is_empty())
        .collect();
    let first = terms.iter().filter_map(|t| find(t, 0)).min().unwrap_or(0);
    let (start, end) = (first.saturating_sub(AROUND), (first + AROUND).min(chars.len()));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    while i < end {
        if let Some(t) = terms.iter().find(|t| i + t.len() <= chars.len() && lower[i..i + t.len()] == t[..]) {
            out.push('\u{E000}');
            out.extend(&chars[i..i + t.len()]);
            out.push('\u{E001}');
            i += t.len();
        } else {
            out.push(if chars[i] == '\n' { ' ' } else { chars[i] });
            i += 1;
        }
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Values and counts of each facet over the candidates, most frequent first.
fn facet_counts(candidates: &[Candidate]) -> BTreeMap<String, Vec<(String, usize)>> {
    let mut counts: BTreeMap<String, HashMap<String, usize>> = BTreeMap::new();
    for c in candidates {
        for (facet, value) in ["kind", "type", "country", "year", "lang", "field"].iter().zip(&c.facets) {
            let Some(v) = value else { continue };
            for v in v.split('|').filter(|v| !v.is_empty()) {
                *counts.entry(facet.to_string()).or_default().entry(v.to_string()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(facet, values)| {
            let mut values: Vec<(String, usize)> = values.into_iter().collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            values.truncate(15);
            (facet, values)
        })
        .collect()
}

/// The events a filter keeps, as a SQL subquery with its parameters.
fn filtered_events(f: &Filter) -> (String, Vec<String>) {
    let mut q = Query::new("SELECT e.id FROM events e WHERE (e.status IS NULL OR e.status != 'rejected')");
    if let Some(k) = &f.kind {
        q.and("e.type = ?", [k.to_lowercase()]);
    }
    q.event_dates_and_field(f);
    (q.sql, q.params)
}

/// Cooperation by country.
pub fn country_map(conn: &Connection, f: &Filter) -> Result<CountryMap> {
    let (events, params) = filtered_events(f);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT i.country, COUNT(DISTINCT p.event_id), COUNT(DISTINCT i.id) FROM event_parties p \
         JOIN ev ON ev.id = p.event_id JOIN institutions i ON i.id = p.institution_id WHERE i.country IS NOT NULL \
         GROUP BY i.country ORDER BY 2 DESC"
    ))?;
    let countries = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(CountryStat {
                code: r.get(0)?,
                events: r.get::<_, i64>(1)? as usize,
                institutions: r.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT min(a.country, b.country), max(a.country, b.country), COUNT(DISTINCT pa.event_id) \
         FROM event_parties pa JOIN event_parties pb ON pb.event_id = pa.event_id AND pb.institution_id > pa.institution_id \
         JOIN ev ON ev.id = pa.event_id JOIN institutions a ON a.id = pa.institution_id JOIN institutions b ON b.id = pb.institution_id \
         WHERE a.country IS NOT NULL AND b.country IS NOT NULL AND a.country != b.country GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 300"
    ))?;
    let links = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(CountryLink {
                a: r.get(0)?,
                b: r.get(1)?,
                weight: r.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CountryMap { countries, links })
}

/// The network of the events a filter keeps: institutions, most active
/// first (at most `f.limit`), and the pairs of them that share events.
pub fn network(conn: &Connection, f: &Filter) -> Result<Network> {
    let (events, params) = filtered_events(f);
    let limit = f.limit.unwrap_or(usize::MAX).min(1_000_000);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}) SELECT i.id, i.name, i.kind, i.country, i.city, i.ror_id, COUNT(DISTINCT p.event_id) n \
         FROM event_parties p JOIN ev ON ev.id = p.event_id JOIN institutions i ON i.id = p.institution_id \
         GROUP BY i.id ORDER BY n DESC, i.id LIMIT {limit}"
    ))?;
    let nodes: Vec<InstitutionRow> = st
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(InstitutionRow {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                country: r.get(3)?,
                city: r.get(4)?,
                ror_id: r.get(5)?,
                names: Vec::new(),
                documents: 0,
                events: r.get::<_, i64>(6)? as usize,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Links between the nodes kept only, the strongest first, at most MAX_EDGES.
    let mut params = params;
    params.push(serde_json::to_string(&nodes.iter().map(|n| n.id).collect::<Vec<_>>())?);
    let mut st = conn.prepare(&format!(
        "WITH ev AS ({events}), kept AS (SELECT value id FROM json_each(?)) \
         SELECT pa.institution_id, pb.institution_id, group_concat(pa.event_id) FROM event_parties pa \
         JOIN event_parties pb ON pb.event_id = pa.event_id AND pb.institution_id > pa.institution_id \
         JOIN ev ON ev.id = pa.event_id WHERE pa.institution_id IN kept AND pb.institution_id IN kept \
         GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2 LIMIT {}",
        MAX_EDGES + 1
    ))?;
    let mut edges: Vec<Edge> = st
        .query_map(params_from_iter(params.iter()), |r| {
            let ids: String = r.get(2)?;
            Ok(Edge {
                source: r.get(0)?,
                target: r.get(1)?,
                events: ids.split(',').filter_map(|x| x.parse().ok()).collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let complete = edges.len() <= MAX_EDGES;
    edges.truncate(MAX_EDGES);
    edges.sort_by_key(|e| (e.source, e.target));
    Ok(Network { nodes, edges, complete })
}

/// Events per year, rejected ones left out.
pub fn events_per_year(conn: &Connection) -> Result<Vec<(String, usize)>> {
    let mut st = conn.prepare(
        "SELECT substr(date, 1, 4) y, COUNT(*) FROM events WHERE date GLOB '[0-9][0-9][0-9][0-9]*' \
         AND (status IS NULL OR status != 'rejected') GROUP BY y ORDER BY y",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What needs a person's eye, with the listing that shows it.
pub fn review_queue(conn: &Connection) -> Result<Vec<(String, usize, String)>> {
    let count = |sql: &str| -> Result<usize> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize) };
    Ok(vec![
        (
            "events reported by one page, not yet confirmed".to_string(),
            count(
                "SELECT COUNT(*) FROM events e WHERE e.status IS NULL AND \
                 (SELECT COUNT(DISTINCT document_id) FROM event_sources s WHERE s.event_id = e.id) = 1",
            )?,
            "/review/single-source".to_string(),
        ),
        (
            "events without a date".to_string(),
            count("SELECT COUNT(*) FROM events WHERE status IS NULL AND date IS NULL")?,
            "/review/undated".to_string(),
        ),
        (
            "institutions without a country".to_string(),
            count("SELECT COUNT(*) FROM institutions WHERE country IS NULL")?,
            "/review/no-country".to_string(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::{han_pairs, snippet};

    #[test]
    fn chinese_titles_give_their_character_pairs() {
        assert_eq!(han_pairs("江城人民医院 (JC)"), "江城 城人 人民 民医 医院 ");
        assert_eq!(han_pairs("Rivertown"), "");
    }

    #[test]
    fn snippets_mark_every_word_around_the_first() {
        let body = "Intro text. The Rivertown Hospital signed with the rivertown clinic.";
        let s = snippet(body, &["rivertown".to_string()]);
        assert_eq!(
            s,
            "Intro text. The \u{E000}Rivertown\u{E001} Hospital signed with the \u{E000}rivertown\u{E001} clinic."
        );
        assert_eq!(snippet("短文本", &["医院".to_string()]), "短文本");
    }
}
