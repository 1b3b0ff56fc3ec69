//! What an action did, shown once on the page it redirects to. The message
//! stays on the server ([`AppState::leave_notice`]); the browser carries
//! only a random key in a short-lived cookie, so no notice is ever in an
//! address (bookmarked, shared, logged) and no link can forge one.

use crate::auth::notice_cookie;
use crate::client::Client;
use crate::state::NOTICE_LIFE;
use crate::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

/// A redirect to `target` (303) leaving `message` for the page there; the
/// key's cookie is `Secure` when `client` came over HTTPS.
pub fn redirect(state: &AppState, client: &Client, target: &str, message: &str) -> Response {
    match state.leave_notice(message) {
        Ok(key) => {
            let cookie = notice_cookie(client, &key, NOTICE_LIFE.as_secs());
            ([(header::SET_COOKIE, cookie)], Redirect::to(target)).into_response()
        }
        Err(e) => {
            tracing::warn!("a notice could not be left ({e:#}): «{message}» is not shown");
            Redirect::to(target).into_response()
        }
    }
}
