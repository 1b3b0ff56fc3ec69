//! Who is asking: a browser session (cookie, with its CSRF token) or an API
//! token (`Authorization: Bearer ID.SECRET`).

use crate::AppState;
use accord_store::{Store, User};
use axum::http::{header, HeaderMap};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "accord_session";
/// Name of the cookie that guards the sign-in form (double submit).
pub const SIGNIN_COOKIE: &str = "accord_signin";
/// Name of the cookie that carries the key of a notice left for the next page.
pub const NOTICE_COOKIE: &str = "accord_notice";

/// The person behind a request, if any.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    /// Signed in as.
    pub user: Option<User>,
    /// The session's CSRF token, for forms.
    pub csrf: Option<String>,
    /// The session id.
    pub session: Option<String>,
    /// What the last action did, left for this page (see [`AppState::leave_notice`]).
    pub notice: String,
}

impl Visitor {
    /// Whether they may correct the registry.
    pub fn can_edit(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_edit())
    }

    /// Whether they may merge and split institutions (admins).
    pub fn can_restructure(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_restructure())
    }

    /// Their name, for the page header.
    pub fn name(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.name.as_str())
    }

    /// The CSRF token forms carry.
    pub fn csrf(&self) -> &str {
        self.csrf.as_deref().unwrap_or("")
    }
}

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Finds who is asking, from the session cookie or the bearer token, with
/// the notice left for them (taken: it shows once).
pub async fn visitor(state: &AppState, headers: &HeaderMap) -> Visitor {
    let notice = cookie(headers, NOTICE_COOKIE)
        .and_then(|key| state.take_notice(&key))
        .unwrap_or_default();
    Visitor {
        notice,
        ..signed_in(state, headers).await
    }
}

/// Who is asking, from the session cookie or the bearer token.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Visitor {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    if let Some(token) = bearer {
        let user = state.with(move |s| s.user_by_token(&token)).await.ok().flatten();
        return Visitor {
            user,
            ..Visitor::default()
        };
    }
    let Some(id) = cookie(headers, SESSION_COOKIE).filter(|c| c.len() == 32 && c.chars().all(|ch| ch.is_ascii_hexdigit())) else {
        return Visitor::default();
    };
    let sid = id.clone();
    match state.with(move |s| s.session(&sid)).await.ok().flatten() {
        Some((user, csrf)) => Visitor {
            user: Some(user),
            csrf: Some(csrf),
            session: Some(id),
            notice: String::new(),
        },
        None => Visitor::default(),
    }
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
