//! Who is asking: a browser session (cookie, with its CSRF token) or an API
//! token (`Authorization: Bearer ID.SECRET`).

use crate::client::Client;
use crate::errors::Problem;
use crate::guard::RateLimiter;
use crate::AppState;
use accord_store::{Store, User};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::cell::Cell;

/// Name of the session cookie over plain HTTP.
pub const SESSION_COOKIE: &str = "accord_session";
/// Name of the session cookie over HTTPS: browsers keep a `__Host-` cookie
/// only when it is `Secure`, has `Path=/` and no `Domain`, so no other
/// site on the domain, and no plain-HTTP page, can set or replace it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-accord_session";
/// Name of the cookie that guards the sign-in form (double submit).
pub const SIGNIN_COOKIE: &str = "accord_signin";
/// Name of the cookie that carries the key of a notice left for the next
/// page, over plain HTTP.
pub const NOTICE_COOKIE: &str = "accord_notice";
/// Name of the notice cookie over HTTPS: `__Host-` and `Secure` like
/// [`SECURE_SESSION_COOKIE`], so the key never travels in clear and no
/// other site on the domain can plant a notice.
pub const SECURE_NOTICE_COOKIE: &str = "__Host-accord_notice";

/// `Secure` for a browser on HTTPS: the cookie is never sent in clear.
fn secure(client: &Client) -> &'static str {
    if client.https {
        "; Secure"
    } else {
        ""
    }
}

/// The `Set-Cookie` value of a new session: `__Host-` and `Secure` when
/// the browser came over HTTPS (through a trusted proxy).
pub fn session_cookie(client: &Client, session: &str) -> String {
    let name = if client.https { SECURE_SESSION_COOKIE } else { SESSION_COOKIE };
    format!(
        "{name}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{}",
        secure(client)
    )
}

/// The `Set-Cookie` value carrying a notice's key for `seconds`: named and
/// secured as the session cookie is for the same browser.
pub fn notice_cookie(client: &Client, key: &str, seconds: u64) -> String {
    let name = if client.https { SECURE_NOTICE_COOKIE } else { NOTICE_COOKIE };
    format!(
        "{name}={key}; Path=/; HttpOnly; SameSite=Strict; Max-Age={seconds}{}",
        secure(client)
    )
}

/// The `Set-Cookie` values that end a session, under either name.
pub fn ended_session_cookies(client: &Client) -> [String; 2] {
    [
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", secure(client)),
        format!("{SECURE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"),
    ]
}

/// The `Set-Cookie` value of the sign-in form's guard.
pub fn signin_cookie(client: &Client, token: &str) -> String {
    format!(
        "{SIGNIN_COOKIE}={token}; Path=/signin; HttpOnly; SameSite=Strict; Max-Age=900{}",
        secure(client)
    )
}

/// Wrong tokens (API bearer tokens, or tokens typed into the sign-in
/// form) one client may send per minute before it is refused.
pub const BEARER_FAILURES_PER_MINUTE: u32 = 10;

tokio::task_local! {
    /// Set by [`token_refused`] when the request's token was refused, for
    /// [`limit_bearer_failures`] to count once the request is answered.
    static BEARER_REFUSED: Cell<bool>;
}

/// Records that the request being answered carried a wrong token.
pub fn token_refused() {
    let _ = BEARER_REFUSED.try_with(|refused| refused.set(true));
}

/// Refuses (429) a client that sent [`BEARER_FAILURES_PER_MINUTE`] wrong
/// tokens within a minute, before its token is checked: guessing tokens,
/// or probing which user ids exist, costs the prober time and the server
/// at most that many Argon2 checks a minute per client. Requests without
/// a token (no `Authorization` header, not a sign-in) pass untouched.
pub async fn limit_bearer_failures(State(failures): State<RateLimiter>, request: Request, next: Next) -> Response {
    let signing_in = request.method() == Method::POST && request.uri().path() == "/signin";
    if !signing_in && !request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let client = request.extensions().get::<Client>().and_then(|c| c.ip);
    if !failures.has_room(client) {
        tracing::info!("refused a bearer token from {client:?}: too many wrong ones");
        return Problem(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many wrong tokens from your address (more than {BEARER_FAILURES_PER_MINUTE} a minute); \
                 wait a minute, then check the token (`accord user token NAME` gives a new one)."
            ),
        )
        .into_response();
    }
    let (response, refused) = BEARER_REFUSED
        .scope(Cell::new(false), async {
            let response = next.run(request).await;
            (response, BEARER_REFUSED.with(Cell::get))
        })
        .await;
    if refused {
        failures.allow(client);
    }
    response
}

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
    let notice = cookie(headers, SECURE_NOTICE_COOKIE)
        .or_else(|| cookie(headers, NOTICE_COOKIE))
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
        let checked = state.with(move |s| s.user_by_token(&token)).await;
        if matches!(checked, Ok(None)) {
            token_refused();
        }
        let user = checked.ok().flatten();
        return Visitor {
            user,
            ..Visitor::default()
        };
    }
    let Some(id) = cookie(headers, SECURE_SESSION_COOKIE)
        .or_else(|| cookie(headers, SESSION_COOKIE))
        .filter(|c| c.len() == 32 && c.chars().all(|ch| ch.is_ascii_hexdigit()))
    else {
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
