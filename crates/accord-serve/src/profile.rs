//! The institution page, a profile in the manner of OpenAlex: its names,
//! kind, country and ROR id with ROR's parents and children, activity per
//! year, partners with their country and kind, partner countries on a small
//! map, people, events, and the evidence collapsed per source page.

use crate::auth::{visitor, Visitor};
use crate::errors::Id;
use crate::pages::{not_found, render, PageResult};
use crate::AppState;
use crate::{chart, countries, document};
use accord_store::{AuditEntry, EventRow, Evidence, InstitutionDetail, InstitutionProfile, Partner, RorRelation, Store};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;

/// One source page's mentions of the institution: the page, its label, and
/// each mention with its index among all the institution's mentions.
pub struct PageEvidence {
    /// Document id.
    pub document_id: i64,
    /// The site (or file name) the page came from.
    pub label: String,
    /// (index in `InstitutionDetail::mentions`, mention).
    pub mentions: Vec<(usize, Evidence)>,
}

#[derive(Template)]
#[template(path = "institution.html")]
struct InstitutionPage {
    title: String,
    visitor: Visitor,
    d: InstitutionDetail,
    /// The ROR id without its `https://ror.org/` prefix, and the link.
    ror: Option<(String, String)>,
    chart: String,
    partners: Vec<(Partner, String)>,
    partner_countries: usize,
    parents: Vec<RorRelation>,
    children: Vec<RorRelation>,
    others: Vec<RorRelation>,
    events: Vec<EventRow>,
    evidence: Vec<PageEvidence>,
    audit: Vec<AuditEntry>,
}

impl InstitutionPage {
    fn local_id(&self, m: &Evidence) -> String {
        m.local_id.clone().unwrap_or_default()
    }

    /// A country's name, for a code.
    fn country(&self, code: &str) -> String {
        countries::name(code)
    }

    /// Whether mention `i` carries a "Split off" button: the first mention
    /// of each page's institution, when two pages or more name this one
    /// (a split moves one page's institution, with all its mentions).
    fn split_here(&self, i: &usize) -> bool {
        let i = *i;
        let source = |m: &Evidence| (m.document_id, m.local_id.clone());
        let here = source(&self.d.mentions[i]);
        let sources: std::collections::HashSet<_> = self.d.mentions.iter().map(source).collect();
        sources.len() > 1 && !self.d.mentions[..i].iter().any(|m| source(m) == here)
    }
}

/// The mentions grouped by page, in the order of their first appearance.
pub fn evidence_by_page(mentions: &[Evidence]) -> Vec<PageEvidence> {
    let mut pages: Vec<PageEvidence> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        match pages.iter_mut().find(|p| p.document_id == m.document_id) {
            Some(p) => p.mentions.push((i, m.clone())),
            None => pages.push(PageEvidence {
                document_id: m.document_id,
                label: document::source_label(m),
                mentions: vec![(i, m.clone())],
            }),
        }
    }
    pages
}

/// `https://ror.org/05abc` → ("05abc", the link); any other form as it is.
fn ror_id(ror: &str) -> (String, String) {
    let short = ror.strip_prefix("https://ror.org/").unwrap_or(ror).to_string();
    (short.clone(), format!("https://ror.org/{short}"))
}

/// `GET /institutions/{id}`.
pub async fn institution(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> PageResult {
    let visitor = visitor(&state, &headers).await;
    let target = format!("institution {id}");
    let (d, profile, audit) = state
        .with(move |s| Ok((s.institution(id)?, s.institution_profile(id)?, s.audit(Some(&target), 50)?)))
        .await?;
    let d = d.ok_or_else(|| not_found("institution with this id"))?;
    let profile: InstitutionProfile = profile.unwrap_or_default();
    let mut events = d.events.clone();
    events.sort_by(|a, b| b.date.cmp(&a.date));
    let (mut parents, mut children, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for r in profile.related {
        match r.kind.as_str() {
            "parent" => parents.push(r),
            "child" => children.push(r),
            _ => others.push(r),
        }
    }
    let partners = profile
        .partners
        .into_iter()
        .map(|p| {
            let country = p.country.as_deref().map(countries::name).unwrap_or_default();
            (p, country)
        })
        .collect();
    Ok(render(&InstitutionPage {
        title: d.row.name.clone(),
        visitor,
        ror: d.row.ror_id.as_deref().map(ror_id),
        chart: chart::years_chart(&profile.years),
        partners,
        partner_countries: profile.partner_countries.len(),
        parents,
        children,
        others,
        events,
        evidence: evidence_by_page(&d.mentions),
        d,
        audit,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(doc: i64, text: &str) -> Evidence {
        Evidence {
            document_id: doc,
            path: format!("pages/p{doc}.txt"),
            source_url: None,
            text: text.into(),
            start: 0,
            end: text.chars().count(),
            reason: "first seen".into(),
            local_id: Some("o1".into()),
        }
    }

    #[test]
    fn evidence_is_grouped_per_page_keeping_each_mention_index() {
        let ms = vec![mention(1, "A"), mention(2, "B"), mention(1, "C")];
        let pages = evidence_by_page(&ms);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].document_id, 1);
        assert_eq!(pages[0].mentions.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(pages[1].mentions[0].1.text, "B");
        assert_eq!(pages[0].label, "p1.txt");
    }

    #[test]
    fn ror_ids_are_shown_short_and_linked_in_full() {
        assert_eq!(
            ror_id("https://ror.org/05rvth123"),
            ("05rvth123".to_string(), "https://ror.org/05rvth123".to_string())
        );
        assert_eq!(ror_id("05rvth123").1, "https://ror.org/05rvth123");
    }
}
