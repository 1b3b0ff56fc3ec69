//! The audit log page: what each correction changed (field, before →
//! after), who made it and when, a link to what it concerns; filtered by
//! person, action and days, a page at a time with the total.

use crate::auth::visitor;
use crate::errors::{Params, Problem};
use crate::pages::{encode_query, render, PageResult};
use crate::AppState;
use accord_store::{AuditEntry, AuditQuery, Store, AUDIT_ACTIONS};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

/// Entries on one page of the log.
const PAGE: usize = 50;

/// Routes of the audit log.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}

/// One field a correction changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field (`country`, `parties`, …) or what happened (`merged in`).
    pub field: String,
    /// Its value before ("—" for none).
    pub before: String,
    /// Its value after.
    pub after: String,
}

/// A value as a person reads it: text as it is, lists joined, parties
/// (`[id, name]` pairs) by name, nothing as "—".
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i.as_array().map(Vec::as_slice) {
                Some([_, name]) => shown(name),
                _ => shown(i),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => crate::pages::short_json(other),
    }
}

/// The fields that differ between two states (objects), by name.
fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let (b, a) = (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    keys.into_iter()
        .filter(|k| k.as_str() != "id")
        .filter_map(|k| {
            let (x, y) = (b.get(k).unwrap_or(&Value::Null), a.get(k).unwrap_or(&Value::Null));
            (x != y).then(|| Change {
                field: k.replace('_', " "),
                before: shown(x),
                after: shown(y),
            })
        })
        .collect()
}

/// "Name (#id)" of an institution's state.
fn named(v: &Value) -> String {
    format!("{} (#{})", shown(&v["name"]), v["id"])
}

/// What an entry changed: a merge shows the survivor's fields and whom it
/// absorbed, a split the fields the old one lost and the new one made.
pub fn changes(a: &AuditEntry) -> Vec<Change> {
    match a.action.as_str() {
        "merge_institutions" => {
            let mut out = diff(&a.before["keep"], &a.after);
            out.push(Change {
                field: "merged in".into(),
                before: named(&a.before["absorb"]),
                after: "—".into(),
            });
            out
        }
        "split_institution" => {
            let mut out = diff(&a.before, &a.after["kept"]);
            out.push(Change {
                field: "split off".into(),
                before: "—".into(),
                after: named(&a.after["new"]),
            });
            out
        }
        _ => diff(&a.before, &a.after),
    }
}

/// The page of what an entry concerns (`institution 12` → `/institutions/12`).
pub fn target_link(a: &AuditEntry) -> String {
    match a.target.split_once(' ') {
        Some(("institution", id)) => format!("/institutions/{id}"),
        Some(("event", id)) => format!("/events/{id}"),
        _ => "/audit".into(),
    }
}

/// The action in words.
pub fn action_label(action: &str) -> String {
    action.replace('_', " ")
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    title: String,
    visitor: crate::auth::Visitor,
    q: AuditQuery,
    total: usize,
    audit: Vec<AuditEntry>,
    actions: &'static [&'static str],
    showing: String,
    next_page: Option<String>,
    previous_page: Option<String>,
}

impl AuditPage {
    fn value(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

/// The log with the same filters at another offset.
fn page_link(q: &AuditQuery, offset: usize) -> String {
    let mut params: Vec<(&str, String)> = [("user", &q.user), ("action", &q.action), ("since", &q.since), ("until", &q.until)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
    if offset > 0 {
        params.push(("offset", offset.to_string()));
    }
    format!("/audit?{}", encode_query(&params))
}

async fn audit(State(state): State<AppState>, headers: HeaderMap, Params(mut q): Params<AuditQuery>) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    q.check().map_err(|e| {
        Problem(
            StatusCode::BAD_REQUEST,
            format!("This filter cannot be used ({e}): correct it and try again."),
        )
    })?;
    q.limit = Some(PAGE);
    let asked = q.clone();
    let page = state.with(move |s| s.audit_page(&asked)).await?;
    let offset = q.offset.unwrap_or(0);
    let showing = if page.items.is_empty() {
        String::new()
    } else {
        format!("{}–{} of {}", offset + 1, offset + page.items.len(), page.total)
    };
    Ok(render(&AuditPage {
        title: "Audit log".into(),
        visitor,
        next_page: (offset + PAGE < page.total).then(|| page_link(&q, offset + PAGE)),
        previous_page: (offset > 0).then(|| page_link(&q, offset.saturating_sub(PAGE))),
        total: page.total,
        audit: page.items,
        actions: AUDIT_ACTIONS,
        showing,
        q,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(action: &str, before: Value, after: Value) -> AuditEntry {
        AuditEntry {
            id: 1,
            user: "Ada".into(),
            at: "2024-03-01T10:00:00Z".into(),
            action: action.into(),
            target: "institution 3".into(),
            before,
            after,
        }
    }

    #[test]
    fn only_what_changed_is_shown() {
        let e = entry(
            "edit_event",
            json!({"id": 3, "date": "2023", "parties": [[1, "Alder"], [2, "Birch"]], "city": null, "fields": ["oncology"]}),
            json!({"id": 3, "date": "2023", "parties": [[1, "Alder"]], "city": "Halden", "fields": ["oncology"]}),
        );
        assert_eq!(
            changes(&e),
            [
                Change {
                    field: "city".into(),
                    before: "—".into(),
                    after: "Halden".into()
                },
                Change {
                    field: "parties".into(),
                    before: "Alder; Birch".into(),
                    after: "Alder".into()
                },
            ]
        );
        assert_eq!(target_link(&e), "/institutions/3");
    }

    #[test]
    fn merges_and_splits_say_whom_they_moved() {
        let merge = entry(
            "merge_institutions",
            json!({"keep": {"id": 3, "name": "Alder", "documents": 1}, "absorb": {"id": 4, "name": "Alder Hospital"}}),
            json!({"id": 3, "name": "Alder", "documents": 2}),
        );
        let c = changes(&merge);
        assert_eq!(
            c[0],
            Change {
                field: "documents".into(),
                before: "1".into(),
                after: "2".into()
            }
        );
        assert_eq!(c[1].before, "Alder Hospital (#4)");
        let split = entry(
            "split_institution",
            json!({"id": 3, "name": "Alder", "documents": 2}),
            json!({"kept": {"id": 3, "name": "Alder", "documents": 1}, "new": {"id": 9, "name": "Birch"}}),
        );
        assert_eq!(changes(&split).last().unwrap().after, "Birch (#9)");
    }
}
