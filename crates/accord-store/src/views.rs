//! What the institution profile and the network view ask of the registry,
//! beyond the listings: an institution's activity, partners and ROR
//! relations, and the network narrowed by weight, institution kind or
//! around one institution.

use crate::{CountryStat, Filter};
use serde::Serialize;

/// An institution's profile beyond its detail: its activity per year, its
/// partners with their country and kind, the countries of its partners,
/// and the organizations ROR relates it to.
#[derive(Debug, Clone, Serialize, Default)]
pub struct InstitutionProfile {
    /// Events it is a party to, per year (`YYYY`, count), rejected ones left out.
    pub years: Vec<(String, usize)>,
    /// Its partners, most shared events first.
    pub partners: Vec<Partner>,
    /// The countries of its partners: events shared with each country's
    /// institutions, and how many of them are partners.
    pub partner_countries: Vec<CountryStat>,
    /// Parents, children and other relations ROR gives (empty when the
    /// institution is not linked to ROR or ROR gives none).
    pub related: Vec<RorRelation>,
}

/// A partner institution: one that shares events with another.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Partner {
    /// Registry id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Kind (`hospital`, …).
    pub kind: Option<String>,
    /// Events the two share.
    pub events: usize,
}

/// An organization ROR relates an institution to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RorRelation {
    /// `parent`, `child`, `related`, `predecessor` or `successor`, seen from the institution.
    pub kind: String,
    /// Its ROR id (`https://ror.org/…`).
    pub ror_id: String,
    /// Its name: ROR's display name when the dump holds it, else the
    /// relationship's label, else the id.
    pub name: String,
    /// The registry institution linked to it, when there is one.
    pub institution: Option<i64>,
}

/// The network as the network page asks for it: the events of `filter`
/// (type, dates, field; `filter.limit` bounds the nodes), links of at least
/// `min_weight` shared events, institutions of one `kind`, and optionally
/// only what lies within `depth` steps of the institution `ego`.
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    /// The events counted, and the most nodes (`limit`).
    pub filter: Filter,
    /// Links sharing fewer events are left out (1 keeps all); with more
    /// than 1, institutions left without a link are left out too.
    pub min_weight: usize,
    /// Only institutions of this kind (`hospital`, …).
    pub kind: Option<String>,
    /// Only this institution and those within `depth` steps of it.
    pub ego: Option<i64>,
    /// Steps from `ego` (1 to [`MAX_DEPTH`]).
    pub depth: usize,
}

/// Most steps an ego network reaches: beyond three, it is most of the graph.
pub const MAX_DEPTH: usize = 3;
