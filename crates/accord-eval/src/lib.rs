//! Scores cooperation records against gold records.
//!
//! The rules are exactly those of the project's reference scorer (`score.py`):
//! names are normalised the same way, organizations and events are matched
//! one-to-one greedily in the same order, and the figures are micro-averaged.
//! Keeping one implementation of the rules inside Accord lets `accord eval`
//! give the same figures without Python, and list what each document missed.
//!
//! Records are read as loose JSON values, as the reference does: a malformed
//! field counts as missing rather than aborting the evaluation.

use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// Normalises a name for comparison: NFKC, case-folded, `&` read as `and`,
/// `centre` as `center`, punctuation dropped, a leading `the` dropped.
pub fn normalize_name(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.nfkc().flat_map(char::to_lowercase) {
        match c {
            'ß' => folded.push_str("ss"),
            'ς' => folded.push('σ'),
            other => folded.push(other),
        }
    }
    let replaced = folded.replace('&', " and ").replace("centre", "center");
    let mut out = String::with_capacity(replaced.len());
    let mut pending_space = false;
    for c in replaced.chars() {
        let keep = c.is_alphanumeric() || c == '_';
        if keep {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// A person's name as a multiset of its normalised words.
pub fn person_key(s: &str) -> Vec<String> {
    let mut words: Vec<String> = normalize_name(s).split(' ').filter(|w| !w.is_empty()).map(String::from).collect();
    words.sort();
    words
}

/// True when a predicted date agrees with a gold date at the coarser precision.
///
/// A null gold date agrees with anything; a gold date with no prediction does not.
pub fn date_agrees(pred: Option<&str>, gold: Option<&str>) -> bool {
    let gold = match gold {
        Some(g) if !g.is_empty() => g,
        _ => return true,
    };
    let pred = match pred {
        Some(p) if !p.is_empty() => p,
        _ => return false,
    };
    let (mut a, mut b) = (pred.to_string(), gold.to_string());
    if a.starts_with("--") != b.starts_with("--") {
        a = strip_year(&a);
        b = strip_year(&b);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let n = a.len().min(b.len());
    n > 0 && a[..n] == b[..n]
}

fn strip_year(d: &str) -> String {
    let rest = if !d.starts_with("--") && d.chars().count() > 4 {
        d.chars().skip(5).collect()
    } else {
        d.trim_start_matches('-').to_string()
    };
    rest.trim_start_matches('-').to_string()
}

/// Precision, recall and F1 counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Prf {
    fn add(&mut self, tp: usize, npred: usize, ngold: usize) {
        self.tp += tp;
        self.fp += npred - tp;
        self.fn_ += ngold - tp;
    }

    /// Share of predictions that are right.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Share of gold items found.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// What one document's prediction got wrong, for `--verbose`.
#[derive(Debug, Clone, Default)]
pub struct DocReport {
    /// Gold organizations no prediction matched.
    pub missed_orgs: Vec<String>,
    /// Predicted organizations that matched no gold one.
    pub false_orgs: Vec<String>,
    /// Gold people not predicted.
    pub missed_people: Vec<String>,
    /// Predicted people not in the gold.
    pub false_people: Vec<String>,
    /// Gold countries not predicted.
    pub missed_countries: Vec<String>,
    /// Predicted countries not in the gold.
    pub false_countries: Vec<String>,
    /// Gold events (type, date, evidence) not matched.
    pub missed_events: Vec<String>,
    /// Predicted events (type, date, evidence) that matched nothing.
    pub false_events: Vec<String>,
    /// Published date: (predicted, gold) when wrong.
    pub published_wrong: Option<(Option<String>, Option<String>)>,
}

/// Figures over a whole set of documents.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Organizations matched by name or alias.
    pub organizations: Prf,
    /// People matched by name.
    pub people: Prf,
    /// Countries per document.
    pub countries: Prf,
    /// Events matched by type, date and party.
    pub events: Prf,
    /// Matched organizations with a known gold country, and how many agree.
    pub org_country: (usize, usize),
    /// Gold fields of matched events, and how many were predicted.
    pub fields: (usize, usize),
    /// Documents with a gold `published`, and how many were exactly right.
    pub published: (usize, usize),
    /// Per-document details, by gold file name.
    pub docs: BTreeMap<String, DocReport>,
}

impl Report {
    /// Mean of the four F1 figures, each rounded to four places first, as the reference does.
    pub fn mean_f1(&self) -> f64 {
        [&self.organizations, &self.people, &self.countries, &self.events]
            .iter()
            .map(|c| round4(c.f1()))
            .sum::<f64>()
            / 4.0
    }

    /// Share of matched organizations whose country is right.
    pub fn org_country_acc(&self) -> Option<f64> {
        share(self.org_country)
    }

    /// Share of the matched events' gold fields that were predicted.
    pub fn fields_recall(&self) -> Option<f64> {
        share(self.fields)
    }

    /// Share of documents whose publication date is exactly right.
    pub fn published_acc(&self) -> Option<f64> {
        share(self.published)
    }
}

fn share((ok, n): (usize, usize)) -> Option<f64> {
    (n > 0).then(|| ok as f64 / n as f64)
}

fn list<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    v.get(key).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn org_names(o: &Value) -> HashSet<String> {
    let mut names: Vec<&str> = str_of(o, "name").into_iter().collect();
    names.extend(list(o, "aliases").into_iter().filter_map(Value::as_str));
    names.into_iter().map(normalize_name).filter(|n| !n.is_empty()).collect()
}

/// Id of a record item as the reference reads it: a JSON value compared by equality.
fn id_of(o: &Value) -> Value {
    o.get("id").cloned().unwrap_or(Value::Null)
}

fn match_orgs(pred: &[&Value], gold: &[&Value]) -> Vec<(Value, Value)> {
    let mut out: Vec<(Value, Value)> = Vec::new();
    for g in gold {
        let gn = org_names(g);
        for p in pred {
            let pid = id_of(p);
            if out.iter().any(|(k, _)| *k == pid) || gn.is_disjoint(&org_names(p)) {
                continue;
            }
            out.push((pid, id_of(g)));
            break;
        }
    }
    out
}

fn event_label(e: &Value) -> String {
    format!(
        "{} {} «{}»",
        str_of(e, "type").unwrap_or("?"),
        e.get("date").and_then(Value::as_str).unwrap_or("null"),
        str_of(e, "evidence").unwrap_or("")
    )
}

/// Scores one document's prediction against its gold record, adding to `report`.
pub fn score_document(report: &mut Report, name: &str, gold: &Value, pred: &Value) {
    let mut doc = DocReport::default();
    let gorgs = list(gold, "organizations");
    let porgs: Vec<&Value> = list(pred, "organizations").into_iter().filter(|o| o.is_object()).collect();
    let omap = match_orgs(&porgs, &gorgs);
    report.organizations.add(omap.len(), porgs.len(), gorgs.len());
    for g in &gorgs {
        if !omap.iter().any(|(_, gid)| *gid == id_of(g)) {
            doc.missed_orgs.push(str_of(g, "name").unwrap_or("?").to_string());
        }
    }
    for p in &porgs {
        if !omap.iter().any(|(pid, _)| *pid == id_of(p)) {
            doc.false_orgs.push(str_of(p, "name").unwrap_or("?").to_string());
        }
    }
    for (pid, gid) in &omap {
        let gc = gorgs.iter().rev().find(|o| id_of(o) == *gid).and_then(|o| str_of(o, "country"));
        if let Some(gc) = gc.filter(|c| !c.is_empty()) {
            report.org_country.1 += 1;
            let pc = porgs
                .iter()
                .find(|o| id_of(o) == *pid)
                .and_then(|o| str_of(o, "country"))
                .unwrap_or("");
            if pc.to_uppercase() == gc.to_uppercase() {
                report.org_country.0 += 1;
            }
        }
    }

    score_people(report, &mut doc, gold, pred);
    score_countries(report, &mut doc, gold, pred);
    score_events(report, &mut doc, gold, pred, &omap);

    if gold.get("published").is_some() {
        report.published.1 += 1;
        let truthy = |v: Option<&Value>| v.filter(|v| !v.is_null() && *v != "").cloned();
        let (p, g) = (truthy(pred.get("published")), truthy(gold.get("published")));
        if p == g {
            report.published.0 += 1;
        } else {
            let text = |v: Option<Value>| v.map(|v| v.as_str().map(String::from).unwrap_or_else(|| v.to_string()));
            doc.published_wrong = Some((text(p), text(g)));
        }
    }
    report.docs.insert(name.to_string(), doc);
}

/// The people of a record, one per distinct name (a repeated name counts once), as the reference reads them.
fn unique_people(v: &Value) -> Vec<&Value> {
    let mut seen = HashSet::new();
    list(v, "people")
        .into_iter()
        .filter(|p| p.is_object())
        .filter(|p| {
            let key = str_of(p, "name").map(person_key).unwrap_or_default();
            !key.is_empty() && seen.insert(key)
        })
        .collect()
}

/// Every word multiset a person is known by: the name and each alias.
fn person_keys(p: &Value) -> HashSet<Vec<String>> {
    let mut names: Vec<&str> = str_of(p, "name").into_iter().collect();
    names.extend(list(p, "aliases").into_iter().filter_map(Value::as_str));
    names.into_iter().map(person_key).filter(|k| !k.is_empty()).collect()
}

fn score_people(report: &mut Report, doc: &mut DocReport, gold: &Value, pred: &Value) {
    let g = unique_people(gold);
    let p = unique_people(pred);
    let pkeys: Vec<HashSet<Vec<String>>> = p.iter().map(|x| person_keys(x)).collect();
    let mut used = vec![false; p.len()];
    for person in &g {
        let gk = person_keys(person);
        match (0..p.len()).find(|&i| !used[i] && !gk.is_disjoint(&pkeys[i])) {
            Some(i) => used[i] = true,
            None => doc.missed_people.push(str_of(person, "name").unwrap_or("?").to_string()),
        }
    }
    let tp = used.iter().filter(|u| **u).count();
    report.people.add(tp, p.len(), g.len());
    doc.false_people = p
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(x, _)| str_of(x, "name").unwrap_or("?").to_string())
        .collect();
}

fn country_set(v: &Value) -> HashSet<String> {
    list(v, "countries")
        .into_iter()
        .filter_map(Value::as_str)
        .map(str::to_uppercase)
        .collect()
}

fn score_countries(report: &mut Report, doc: &mut DocReport, gold: &Value, pred: &Value) {
    let g = country_set(gold);
    let p = country_set(pred);
    report.countries.add(g.intersection(&p).count(), p.len(), g.len());
    doc.missed_countries = g.difference(&p).cloned().collect();
    doc.false_countries = p.difference(&g).cloned().collect();
}

fn score_events(report: &mut Report, doc: &mut DocReport, gold: &Value, pred: &Value, omap: &[(Value, Value)]) {
    let gev = list(gold, "events");
    let pev: Vec<&Value> = list(pred, "events").into_iter().filter(|e| e.is_object()).collect();
    let mut used = vec![false; pev.len()];
    let mut tp = 0;
    for g in &gev {
        let gparties = list(g, "parties");
        let mut matched = false;
        for (i, p) in pev.iter().enumerate() {
            if used[i] || p.get("type") != g.get("type") {
                continue;
            }
            if !date_agrees(p.get("date").and_then(Value::as_str), g.get("date").and_then(Value::as_str)) {
                continue;
            }
            if !gparties.is_empty() {
                let mapped: Vec<&Value> = list(p, "parties")
                    .into_iter()
                    .filter_map(|x| omap.iter().find(|(pid, _)| pid == x).map(|(_, gid)| gid))
                    .collect();
                if !mapped.iter().any(|m| gparties.contains(m)) {
                    continue;
                }
            }
            used[i] = true;
            tp += 1;
            matched = true;
            let gf: HashSet<String> = list(g, "fields")
                .into_iter()
                .filter_map(Value::as_str)
                .map(normalize_name)
                .collect();
            let pf: HashSet<String> = list(p, "fields")
                .into_iter()
                .filter_map(Value::as_str)
                .map(normalize_name)
                .collect();
            report.fields.1 += gf.len();
            report.fields.0 += gf.intersection(&pf).count();
            break;
        }
        if !matched {
            doc.missed_events.push(event_label(g));
        }
    }
    doc.false_events = pev
        .iter()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .map(|(_, e)| event_label(e))
        .collect();
    report.events.add(tp, pev.len(), gev.len());
}

/// Formats the figures exactly as the reference scorer prints them.
pub fn format_summary(report: &Report) -> String {
    let mut out = String::new();
    for (name, m) in [
        ("organizations", report.organizations),
        ("people", report.people),
        ("countries", report.countries),
        ("events", report.events),
    ] {
        out.push_str(&format!(
            "{name:14} P={:.3} R={:.3} F1={:.3}  (tp={} fp={} fn={})\n",
            round4(m.precision()),
            round4(m.recall()),
            round4(m.f1()),
            m.tp,
            m.fp,
            m.fn_
        ));
    }
    for (name, v) in [
        ("org_country_acc", report.org_country_acc()),
        ("fields_recall", report.fields_recall()),
        ("published_acc", report.published_acc()),
    ] {
        let shown = v.map(|x| python_float(round4(x))).unwrap_or_else(|| "None".into());
        out.push_str(&format!("{name:14} {shown}\n"));
    }
    out.push_str(&format!("mean_f1 {:.4}\n", round4(report.mean_f1())));
    out
}

/// The figures as the reference prints them with `--json`.
pub fn report_json(report: &Report) -> Value {
    let row = |m: Prf| serde_json::json!({"p": round4(m.precision()), "r": round4(m.recall()), "f1": round4(m.f1()), "tp": m.tp, "fp": m.fp, "fn": m.fn_});
    serde_json::json!({
        "organizations": row(report.organizations),
        "people": row(report.people),
        "countries": row(report.countries),
        "events": row(report.events),
        "org_country_acc": report.org_country_acc().map(round4),
        "fields_recall": report.fields_recall().map(round4),
        "published_acc": report.published_acc().map(round4),
        "mean_f1": round4(report.mean_f1()),
    })
}

/// Writes a float as Python's `repr` does ("1.0", "0.1385").
fn python_float(x: f64) -> String {
    let s = format!("{x}");
    if s.contains(['.', 'e', 'n', 'i']) {
        s
    } else {
        s + ".0"
    }
}

/// Rounds to four decimals, as the reference does before printing.
pub fn round4(x: f64) -> f64 {
    // Formatting rounds the exact binary value half-to-even, as Python's round does.
    format!("{x:.4}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn figures_are_rounded_to_four_places_then_printed_to_three_like_the_reference() {
        let report = Report {
            events: Prf { tp: 47, fp: 6, fn_: 7 },
            ..Report::default()
        };
        // F1 = 94/107 = 0.878504…: 0.8785 after the first rounding, "0.878" when printed.
        assert!(
            format_summary(&report).contains("F1=0.878  (tp=47 fp=6 fn=7)"),
            "{}",
            format_summary(&report)
        );
    }

    #[test]
    fn names_normalise_like_the_reference() {
        assert_eq!(normalize_name("The Centre Marie Delorme"), "center marie delorme");
        assert_eq!(
            normalize_name("Harbin Eye Institute & Hospital"),
            "harbin eye institute and hospital"
        );
        assert_eq!(normalize_name("  “Belt and Road”  Academy "), "belt and road academy");
        assert_eq!(normalize_name("ＡＢＣ"), "abc");
        assert_eq!(person_key("Lin Haoran"), person_key("Haoran LIN"));
    }

    #[test]
    fn dates_agree_at_the_coarser_precision() {
        assert!(date_agrees(Some("2019-08-17"), Some("2019-08")));
        assert!(date_agrees(Some("2019"), Some("2019-08-17")));
        assert!(!date_agrees(Some("2019-08-18"), Some("2019-08-17")));
        assert!(date_agrees(None, None));
        assert!(date_agrees(Some("2020"), None));
        assert!(!date_agrees(None, Some("2020")));
        assert!(date_agrees(Some("2019-07-24"), Some("--07-24")));
        assert!(date_agrees(Some("--12"), Some("2024-12-03")));
        assert!(!date_agrees(Some("--11"), Some("2024-12")));
    }

    #[test]
    fn scores_a_document() {
        let gold = json!({
            "published": "2020-01-02",
            "organizations": [{"id": "o1", "name": "Alpha Hospital", "aliases": ["AH"], "country": "FR"},
                              {"id": "o2", "name": "Beta University"}],
            "people": [{"name": "Li Wei"}],
            "events": [{"type": "agreement", "date": "2020-01", "parties": ["o1", "o2"], "fields": ["oncology"]}],
            "countries": ["FR", "CN"]
        });
        let pred = json!({
            "published": "2020-01-02",
            "organizations": [{"id": "o1", "name": "AH", "country": "fr"}, {"id": "o2", "name": "Gamma Fund"}],
            "people": [{"name": "Wei LI"}, {"name": "Nobody Here"}],
            "events": [{"type": "agreement", "date": "2020-01-05", "parties": ["o1"], "fields": ["Oncology", "x"]}],
            "countries": ["FR"]
        });
        let mut r = Report::default();
        score_document(&mut r, "d.json", &gold, &pred);
        assert_eq!(r.organizations, Prf { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(r.org_country, (1, 1));
        assert_eq!(r.people, Prf { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(r.countries, Prf { tp: 1, fp: 0, fn_: 1 });
        assert_eq!(r.events, Prf { tp: 1, fp: 0, fn_: 0 });
        assert_eq!(r.fields, (1, 1));
        assert_eq!(r.published, (1, 1));
        assert_eq!(r.docs["d.json"].missed_orgs, vec!["Beta University".to_string()]);
    }

    #[test]
    fn an_event_needs_a_matching_party() {
        let gold = json!({"organizations": [{"id": "o1", "name": "A Hospital"}],
                          "events": [{"type": "visit", "date": null, "parties": ["o1"]}]});
        let pred = json!({"organizations": [{"id": "o1", "name": "B Hospital"}],
                          "events": [{"type": "visit", "date": "2020", "parties": ["o1"]}]});
        let mut r = Report::default();
        score_document(&mut r, "d", &gold, &pred);
        assert_eq!(r.events.tp, 0);
    }

    #[test]
    fn people_match_on_any_name_or_alias_one_to_one() {
        let gold = json!({"people": [
            {"name": "Ivan Petrov", "aliases": ["Ivana Petrova"]},
            {"name": "Anna Smirnova"},
            {"name": "Anna Smirnova"}
        ]});
        let pred = json!({"people": [
            {"name": "Petrova Ivana"},
            {"name": "Dr Smirnova", "aliases": ["Anna Smirnova"]},
            {"name": "Anna Smirnova", "aliases": ["Ivan Petrov"]}
        ]});
        let mut r = Report::default();
        score_document(&mut r, "d", &gold, &pred);
        // The repeated gold name counts once; each gold person takes one prediction.
        assert_eq!(r.people, Prf { tp: 2, fp: 1, fn_: 0 });
        assert_eq!(r.docs["d"].false_people, vec!["Anna Smirnova".to_string()]);
    }
}
