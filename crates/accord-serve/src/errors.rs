//! One way errors reach a person. Handlers and extractors answer a
//! [`Problem`] (a status and a message saying what to do); the outermost
//! layer, [`humane`], renders every 4xx and 5xx — ours, and the framework's
//! own (unknown path, wrong method, body too large, rate limit) — as the
//! styled error page, or under `/api/` as `{"error": {"code", "message"}}`.
//! No framework or database wording is ever shown.

use crate::state::{Busy, Overrun};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::json;

/// An error for a person: its status and a message saying what to do.
#[derive(Debug, Clone)]
pub struct Problem(pub StatusCode, pub String);

impl From<anyhow::Error> for Problem {
    /// Logs the error and says what a person can do about it: wait for a
    /// busy registry, narrow a request stopped at its deadline, or read the
    /// log; no database wording is shown.
    fn from(e: anyhow::Error) -> Self {
        if e.downcast_ref::<Overrun>().is_some() {
            return Problem(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "This request took longer than {} seconds and was stopped; narrow it (fewer words, a filter) or try again later.",
                    crate::state::DEADLINE.as_secs()
                ),
            );
        }
        let locked = e.chain().any(|c| c.to_string().contains("database is locked"));
        if e.downcast_ref::<Busy>().is_some() || locked {
            tracing::warn!("busy: {e:#}");
            return Problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "The registry is busy with other work; try again in a moment.".into(),
            );
        }
        tracing::error!("{e:#}");
        Problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong reading the registry; the server's log says what.".into(),
        )
    }
}

/// A correction that failed: refused for a reason the person can fix
/// (422 with what to change), or the registry's own failure (logged, and
/// said in words a person can act on).
pub fn refusal(e: anyhow::Error) -> Problem {
    match e.downcast_ref::<accord_store::Refused>() {
        Some(r) => Problem(StatusCode::UNPROCESSABLE_ENTITY, r.0.clone()),
        None => Problem::from(e),
    }
}

impl IntoResponse for Problem {
    /// The status alone, with the problem attached for [`humane`] to render.
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The machine-readable `code` of an API error, one per status.
pub fn code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

/// What to say when a response carries no [`Problem`] of ours.
fn default_problem(status: StatusCode, method: &Method, api: bool) -> Problem {
    let message = match status {
        StatusCode::NOT_FOUND if api => "There is no such API address; /api/openapi.json lists them.".to_string(),
        StatusCode::NOT_FOUND => "There is no page at this address.".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => format!("This address does not answer {method} requests."),
        StatusCode::PAYLOAD_TOO_LARGE => "The request is too large: at most 64 KB is accepted.".to_string(),
        StatusCode::TOO_MANY_REQUESTS => "Too many requests from your address: wait a second and try again.".to_string(),
        StatusCode::UNAUTHORIZED => "Sign in first.".to_string(),
        StatusCode::FORBIDDEN => "You may not do this.".to_string(),
        s if s.is_server_error() => "Something went wrong on the server; its log says what.".to_string(),
        _ => "This request is not understood; go back and try again.".to_string(),
    };
    Problem(status, message)
}

/// Renders every error response for a person: the error page, or the API's
/// JSON shape. Headers the original set (`Retry-After`, `Allow`, cookies) stay.
pub async fn humane(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let problem = response
        .extensions()
        .get::<Problem>()
        .cloned()
        .unwrap_or_else(|| default_problem(status, &method, api));
    let (parts, _) = response.into_parts();
    let mut out = if api {
        Json(json!({ "error": { "code": code(status), "message": problem.1 } })).into_response()
    } else {
        crate::pages::error_page(&problem)
    };
    *out.status_mut() = status;
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name, value.clone());
        }
    }
    out
}

/// A registry id from the path; anything but a whole number is a clear 400.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem(StatusCode::BAD_REQUEST, "This address needs an id.".into()))?;
        raw.parse().map(Id).map_err(|_| {
            Problem(
                StatusCode::BAD_REQUEST,
                format!("«{raw}» is not an id: ids are whole numbers, as in /events/12."),
            )
        })
    }
}

/// Query parameters; a value that does not parse is a 400 naming the parameter.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                let detail = e.body_text();
                let detail = detail.strip_prefix("Failed to deserialize query string: ").unwrap_or(&detail);
                Err(Problem(StatusCode::BAD_REQUEST, format!("Query parameter {detail}.")))
            }
            Err(_) => Err(Problem(StatusCode::BAD_REQUEST, "The query string is not understood.".into())),
        }
    }
}

/// A JSON body; malformed JSON, a missing content type, an unknown field
/// value or a body over the limit each get their own message.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(body_problem(&rejection)),
        }
    }
}

fn body_problem(rejection: &JsonRejection) -> Problem {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => Problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON, with Content-Type: application/json.".into(),
        ),
        JsonRejection::JsonSyntaxError(_) => Problem(StatusCode::BAD_REQUEST, "The body is not valid JSON.".into()),
        JsonRejection::JsonDataError(e) => {
            let detail = e.body_text();
            let detail = detail
                .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                .unwrap_or(&detail);
            Problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("The body is JSON but not a correction this API knows: {detail}."),
            )
        }
        JsonRejection::BytesRejection(_) => Problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request is too large: at most 64 KB is accepted.".into(),
        ),
        _ => Problem(StatusCode::BAD_REQUEST, "The body could not be read.".into()),
    }
}
