//! Filters checked before they reach a query: a mistyped date, type or
//! country is an error naming what is accepted, never an empty result that
//! reads as "nothing matches".

use crate::index::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use crate::{AuditQuery, Filter, SearchQuery};
use accord_model::{EventType, OrgKind};
use std::fmt;

/// What a filter is applied to: the values `type` accepts depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Institutions: `type` is an institution kind.
    Institutions,
    /// Events (and exports, which filter events): `type` is an event type.
    Events,
    /// People: they have no type.
    People,
}

/// A filter value that cannot be used, with the parameter it came from, so
/// the command line can name its flag and the API its query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFilter {
    /// The parameter: `since`, `until`, `type`, `country`…
    pub parameter: &'static str,
    /// What is wrong and what is accepted.
    pub message: String,
}

impl fmt::Display for InvalidFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for InvalidFilter {}

/// Event types a filter accepts, as the record schema names them.
pub const EVENT_TYPES: &[&str] = &EventType::NAMES;

/// Institution kinds a filter accepts, as the record schema names them.
pub const INSTITUTION_KINDS: &[&str] = &[
    "hospital",
    "university",
    "research_institute",
    "government",
    "association",
    "company",
    "fund",
    "joint_center",
    "other",
];

/// Largest `offset` a listing accepts: further than any person pages, and
/// far from the integer limits an offset of 2^64−1 would overflow.
pub const MAX_OFFSET: usize = 1_000_000;

impl Filter {
    /// Checks every value against what `listing` accepts.
    pub fn check(&self, listing: Listing) -> Result<(), InvalidFilter> {
        if self.offset.is_some_and(|o| o > MAX_OFFSET) {
            return Err(invalid("offset", format!("at most {MAX_OFFSET}")));
        }
        for (parameter, value) in [("since", &self.since), ("until", &self.until)] {
            if let Some(v) = value {
                check_date(parameter, v)?;
            }
        }
        if let Some(c) = &self.country {
            check_country(c)?;
        }
        if let Some(k) = &self.kind {
            check_kind(listing, k)?;
        }
        if let (Some(s), Some(u)) = (&self.since, &self.until) {
            let n = s.len().min(u.len());
            if s[..n] > u[..n] {
                return Err(invalid("since", format!("«{s}» is after until «{u}»: nothing could match")));
            }
        }
        Ok(())
    }
}

/// The actions of the audit log: one per kind of [`crate::Curation`].
pub const AUDIT_ACTIONS: &[&str] = &[
    "edit_institution",
    "merge_institutions",
    "split_institution",
    "set_institution_status",
    "set_event_status",
    "edit_event",
    "edit_event_parties",
];

impl AuditQuery {
    /// Checks the days (real `YYYY-MM-DD` dates, in order), the action
    /// (one of [`AUDIT_ACTIONS`]) and the offset.
    pub fn check(&self) -> Result<(), InvalidFilter> {
        if self.offset.is_some_and(|o| o > MAX_OFFSET) {
            return Err(invalid("offset", format!("at most {MAX_OFFSET}")));
        }
        for (parameter, value) in [("since", &self.since), ("until", &self.until)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                if v.len() != 10 || check_date(parameter, v).is_err() {
                    return Err(invalid(parameter, format!("«{v}» is not a day: use YYYY-MM-DD, e.g. 2024-03-09")));
                }
            }
        }
        if let (Some(s), Some(u)) = (&self.since, &self.until) {
            if !s.is_empty() && !u.is_empty() && s > u {
                return Err(invalid("since", format!("«{s}» is after until «{u}»: nothing could match")));
            }
        }
        if let Some(a) = self.action.as_deref().filter(|a| !a.is_empty()) {
            if !AUDIT_ACTIONS.contains(&a) {
                return Err(invalid(
                    "action",
                    format!("«{a}» is not an action: use one of {}", AUDIT_ACTIONS.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

impl SearchQuery {
    /// Refuses a query too long to answer quickly, saying how long one may
    /// be, rather than answering it slowly or cutting it silently.
    pub fn check(&self) -> Result<(), InvalidFilter> {
        let chars = self.q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(invalid(
                "q",
                format!("{chars} characters; a search may have at most {MAX_QUERY_CHARS}"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let words = self.q.split_whitespace().filter(|w| seen.insert(w.to_lowercase())).count();
        if words > MAX_QUERY_WORDS {
            return Err(invalid("q", format!("{words} words; a search may have at most {MAX_QUERY_WORDS}")));
        }
        Ok(())
    }
}

fn invalid(parameter: &'static str, message: String) -> InvalidFilter {
    InvalidFilter { parameter, message }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
pub(crate) fn check_date(parameter: &'static str, value: &str) -> Result<(), InvalidFilter> {
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) && s.parse().is_ok_and(|n: u32| range.contains(&n))
    };
    let ok = match parts.as_slice() {
        [y] => number(y, 4, 0..=9999),
        [y, m] => number(y, 4, 0..=9999) && number(m, 2, 1..=12),
        [y, m, d] => {
            number(y, 4, 0..=9999) && number(m, 2, 1..=12) && {
                let (year, month): (u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
                number(d, 2, 1..=days_in_month(year, month))
            }
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            parameter,
            format!("«{value}» is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024 or 2024-03-09"),
        ))
    }
}

/// Days in `month` (1–12) of `year`, by the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The assigned ISO 3166-1 alpha-2 codes (the list of
/// `accord-extract/data/countries.tsv`): a correction may name only a real country.
const ISO_CODES: &str = concat!(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ",
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ",
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ",
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ",
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ",
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ",
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ",
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ",
    "VN VU WF WS YE YT ZA ZM ZW ",
);

/// Whether `code` (upper case) is an assigned ISO 3166-1 alpha-2 code.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && ISO_CODES.split(' ').any(|c| c == code)
}

/// Two letters: an ISO 3166-1 alpha-2 code.
fn check_country(value: &str) -> Result<(), InvalidFilter> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(invalid(
            "country",
            format!("«{value}» is not a country code: use two letters (ISO 3166-1 alpha-2), e.g. FR or CN"),
        ))
    }
}

fn check_kind(listing: Listing, value: &str) -> Result<(), InvalidFilter> {
    let v = value.to_lowercase();
    let (known, accepted, what) = match listing {
        Listing::Events => (EventType::parse(&v).is_some(), EVENT_TYPES, "an event type"),
        Listing::Institutions => (OrgKind::parse(&v).is_some(), INSTITUTION_KINDS, "an institution kind"),
        Listing::People => return Err(invalid("type", "people have no type: leave it out".into())),
    };
    if known {
        Ok(())
    } else {
        Err(invalid(
            "type",
            format!("«{value}» is not {what}: use one of {}", accepted.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(f: impl FnOnce(&mut Filter)) -> Filter {
        let mut filter = Filter::default();
        f(&mut filter);
        filter
    }

    #[test]
    fn good_values_pass() {
        let f = filter(|f| {
            f.since = Some("2023".into());
            f.until = Some("2024-02-29".into());
            f.country = Some("fr".into());
            f.kind = Some("Agreement".into());
        });
        assert_eq!(f.check(Listing::Events), Ok(()));
        assert_eq!(filter(|f| f.kind = Some("hospital".into())).check(Listing::Institutions), Ok(()));
    }

    #[test]
    fn leap_days_follow_the_calendar() {
        assert_eq!(check_date("date", "2000-02-29"), Ok(()));
        assert_eq!(check_date("date", "2024-02-29"), Ok(()));
        assert!(check_date("date", "1900-02-29").is_err());
        assert!(check_date("date", "2023-02-29").is_err());
        assert_eq!(check_date("date", "2024-12-31"), Ok(()));
    }

    #[test]
    fn audit_queries_are_checked() {
        let q = |f: fn(&mut AuditQuery)| {
            let mut q = AuditQuery::default();
            f(&mut q);
            q.check()
        };
        assert_eq!(q(|q| q.since = Some("2024-03-01".into())), Ok(()));
        assert_eq!(q(|q| q.action = Some("edit_event".into())), Ok(()));
        assert_eq!(q(|q| q.since = Some("2024-02-30".into())).unwrap_err().parameter, "since");
        assert_eq!(q(|q| q.until = Some("2024".into())).unwrap_err().parameter, "until");
        assert_eq!(q(|q| q.action = Some("delete".into())).unwrap_err().parameter, "action");
        let e = q(|q| {
            q.since = Some("2024-05-01".into());
            q.until = Some("2024-04-01".into());
        })
        .unwrap_err();
        assert!(e.message.contains("after"), "{e}");
    }

    #[test]
    fn bad_values_name_what_is_accepted() {
        for (f, listing, parameter, accepted) in [
            (
                filter(|f| f.since = Some("notadate".into())),
                Listing::Events,
                "since",
                "YYYY-MM-DD",
            ),
            (filter(|f| f.until = Some("2024-13".into())), Listing::Events, "until", "YYYY-MM"),
            (filter(|f| f.until = Some("2024-02-31".into())), Listing::Events, "until", "YYYY-MM"),
            (filter(|f| f.until = Some("2023-02-29".into())), Listing::Events, "until", "YYYY-MM"),
            (filter(|f| f.until = Some("2024-04-31".into())), Listing::Events, "until", "YYYY-MM"),
            (filter(|f| f.since = Some("----".into())), Listing::Events, "since", "YYYY-MM"),
            (filter(|f| f.since = Some("9999-99-99".into())), Listing::Events, "since", "YYYY-MM"),
            (
                filter(|f| f.kind = Some("party".into())),
                Listing::Events,
                "type",
                "agreement, establishment",
            ),
            (
                filter(|f| f.kind = Some("agreement".into())),
                Listing::Institutions,
                "type",
                "hospital, university",
            ),
            (filter(|f| f.kind = Some("x".into())), Listing::People, "type", "no type"),
            (
                filter(|f| f.country = Some("XYZ".into())),
                Listing::Institutions,
                "country",
                "two letters",
            ),
            (
                filter(|f| {
                    f.since = Some("2024".into());
                    f.until = Some("2023-05".into());
                }),
                Listing::Events,
                "since",
                "after",
            ),
        ] {
            let e = f.check(listing).unwrap_err();
            assert_eq!(e.parameter, parameter, "{e}");
            assert!(e.message.contains(accepted), "{e}");
        }
    }
}
