//! Files served from the binary: the stylesheet, the two drawings, the
//! world geometry, Swagger UI, sigma and graphology (vendored) and the OpenAPI document. Nothing is fetched from
//! elsewhere at run time.

use crate::AppState;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// (name, content type, bytes) of every static file.
const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../static/app.css")),
    (
        "network.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/network.js"),
    ),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../static/map.js")),
    ("world-110m.json", "application/json", include_bytes!("../static/world-110m.json")),
    ("iso-numeric.json", "application/json", include_bytes!("../static/iso-numeric.json")),
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/vendor/swagger-ui-bundle.js"),
    ),
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/vendor/swagger-ui.css"),
    ),
    (
        "sigma.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/vendor/sigma.min.js"),
    ),
    (
        "graphology.umd.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/vendor/graphology.umd.min.js"),
    ),
    (
        "graphology-layout-forceatlas2.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/vendor/graphology-layout-forceatlas2.js"),
    ),
    (
        "api-docs.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/api-docs.js"),
    ),
];

/// The OpenAPI 3.1 description of `/api/v1`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Routes of the static files and the API description.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/{name}", get(file))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route(
            "/api/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
        )
}

async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, bytes)) => (
            [(header::CONTENT_TYPE, *kind), (header::CACHE_CONTROL, "public, max-age=3600")],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}
