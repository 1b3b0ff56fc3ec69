//! The OpenAPI document (`/api/openapi.json`) against itself and against
//! the server: every response with a body has a schema and an example,
//! every `$ref` resolves, every example is valid under its schema, and the
//! server's real answers — read from a registry of generated pages and
//! one written here (every institution and person invented) — are valid
//! under the schema documented for their path, method, status and media
//! type. The validator is the small part of JSON Schema the document uses;
//! a keyword it does not know fails the test rather than passing unchecked.

mod common;

use accord_store::{content_hash, IngestDoc, Role, SqliteStore, Store};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

// ---------------------------------------------------------------------------
// A validator for the subset of JSON Schema the document uses
// ---------------------------------------------------------------------------

/// Keywords that only describe: they never make a value invalid.
const ANNOTATIONS: &[&str] = &["description", "title", "format", "default", "example", "examples"];

/// What `$ref` points at, followed until it is no reference.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("«{r}»: only references into the document are used"));
        v = doc.pointer(pointer).unwrap_or_else(|| panic!("«{r}» resolves to nothing"));
    }
    v
}

fn type_matches(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type «{other}»"),
    }
}

/// Every way `v` breaks `schema`, as "where: what" lines.
fn violations(doc: &Value, schema: &Value, v: &Value, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, v, at, &mut out);
    out
}

fn fail(out: &mut Vec<String>, at: &str, what: String) {
    out.push(format!("{at}: {what}"));
}

fn check(doc: &Value, schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let map = schema
        .as_object()
        .unwrap_or_else(|| panic!("{at}: a schema is an object, not {schema}"));
    if map.contains_key("$ref") {
        check(doc, resolve(doc, schema), v, at, out);
        return;
    }
    for (key, arg) in map {
        match key.as_str() {
            "type" => {
                let names: Vec<&str> = match arg {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().map(|t| t.as_str().expect("type names are strings")).collect(),
                    _ => panic!("{at}: type is {arg}"),
                };
                if !names.iter().any(|n| type_matches(n, v)) {
                    fail(out, at, format!("{v} is not of type {arg}"));
                }
            }
            "enum" => {
                if !arg.as_array().expect("enum is a list").contains(v) {
                    fail(out, at, format!("{v} is not one of {arg}"));
                }
            }
            "const" => {
                if arg != v {
                    fail(out, at, format!("{v} is not {arg}"));
                }
            }
            "minimum" | "maximum" => {
                if let (Some(n), Some(bound)) = (v.as_f64(), arg.as_f64()) {
                    if (key == "minimum" && n < bound) || (key == "maximum" && n > bound) {
                        fail(out, at, format!("{v} is beyond its {key} {arg}"));
                    }
                }
            }
            "maxLength" => {
                if let Some(s) = v.as_str() {
                    if s.chars().count() as u64 > arg.as_u64().expect("maxLength is a number") {
                        fail(out, at, format!("«{s}» is longer than {arg}"));
                    }
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for name in arg.as_array().expect("required is a list") {
                        let name = name.as_str().expect("required names are strings");
                        if !o.contains_key(name) {
                            fail(out, at, format!("«{name}» is required but missing"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (name, s) in arg.as_object().expect("properties is an object") {
                        if let Some(value) = o.get(name) {
                            check(doc, s, value, &format!("{at}.{name}"), out);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = v.as_object() {
                    let known = map.get("properties").and_then(Value::as_object);
                    for (name, value) in o.iter().filter(|(name, _)| !known.is_some_and(|k| k.contains_key(*name))) {
                        match arg {
                            Value::Bool(false) => fail(out, at, format!("«{name}» is not a documented property")),
                            Value::Bool(true) => {}
                            s => check(doc, s, value, &format!("{at}.{name}"), out),
                        }
                    }
                }
            }
            "prefixItems" => {
                if let Some(a) = v.as_array() {
                    for (i, (s, value)) in arg.as_array().expect("prefixItems is a list").iter().zip(a).enumerate() {
                        check(doc, s, value, &format!("{at}[{i}]"), out);
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    let skip = map.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
                    for (i, value) in a.iter().enumerate().skip(skip) {
                        check(doc, arg, value, &format!("{at}[{i}]"), out);
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let Some(a) = v.as_array() {
                    let bound = arg.as_u64().expect("a number of items") as usize;
                    if (key == "minItems" && a.len() < bound) || (key == "maxItems" && a.len() > bound) {
                        fail(out, at, format!("{} items, beyond its {key} {bound}", a.len()));
                    }
                }
            }
            "oneOf" => {
                let fits = arg
                    .as_array()
                    .expect("oneOf is a list")
                    .iter()
                    .filter(|s| violations(doc, s, v, at).is_empty())
                    .count();
                if fits != 1 {
                    fail(out, at, format!("{v} fits {fits} of the oneOf schemas, not exactly one"));
                }
            }
            k if ANNOTATIONS.contains(&k) => {}
            other => panic!("{at}: the validator does not know «{other}»: teach it before the document uses it"),
        }
    }
}

#[test]
fn the_validator_refuses_what_its_keywords_forbid() {
    let doc = json!({ "components": { "schemas": { "Pair": {
        "type": "array", "prefixItems": [{ "type": "integer" }, { "type": "string" }], "minItems": 2, "maxItems": 2
    } } } });
    let schema = json!({
        "type": "object", "required": ["id", "pair"], "additionalProperties": false,
        "properties": {
            "id": { "type": "integer", "minimum": 0 },
            "status": { "type": ["string", "null"], "enum": ["confirmed", "rejected", null] },
            "pair": { "$ref": "#/components/schemas/Pair" },
            "ok": { "const": true },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 3 } },
            "either": { "oneOf": [{ "type": "string" }, { "type": "null" }] },
            "counts": { "type": "object", "additionalProperties": { "type": "integer" } }
        }
    });
    let good = json!({ "id": 3, "status": null, "pair": [3, "a"], "ok": true, "tags": ["ab"], "either": null, "counts": { "x": 1 } });
    assert_eq!(violations(&doc, &schema, &good, "v"), Vec::<String>::new());
    for bad in [
        json!({ "pair": [3, "a"] }),
        json!({ "id": -1, "pair": [3, "a"] }),
        json!({ "id": 1.5, "pair": [3, "a"] }),
        json!({ "id": 3, "pair": [3, "a"], "extra": 1 }),
        json!({ "id": 3, "pair": ["a", 3] }),
        json!({ "id": 3, "pair": [3] }),
        json!({ "id": 3, "pair": [3, "a", "b"] }),
        json!({ "id": 3, "pair": [3, "a"], "status": "maybe" }),
        json!({ "id": 3, "pair": [3, "a"], "ok": false }),
        json!({ "id": 3, "pair": [3, "a"], "tags": ["abcd"] }),
        json!({ "id": 3, "pair": [3, "a"], "tags": [1] }),
        json!({ "id": 3, "pair": [3, "a"], "either": 2 }),
        json!({ "id": 3, "pair": [3, "a"], "counts": { "x": "1" } }),
        json!([]),
    ] {
        assert!(!violations(&doc, &schema, &bad, "v").is_empty(), "{bad} passed");
    }
}

// ---------------------------------------------------------------------------
// The document against itself
// ---------------------------------------------------------------------------

fn document() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON")
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// (where, operation) of every operation.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap().iter().filter(|(key, _)| *key != "servers") {
            assert!(METHODS.contains(&method.as_str()), "{path}: «{method}» is not an operation");
            out.push((format!("{} {path}", method.to_uppercase()), op));
        }
    }
    out
}

/// The examples of a media type: `example`, or each of `examples`.
fn examples_of<'a>(doc: &'a Value, media: &'a Value) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    if let Some(e) = media.get("example") {
        out.push(("example".to_string(), e));
    }
    for (name, e) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
        out.push((name.clone(), &resolve(doc, e)["value"]));
    }
    out
}

/// Each example of `content` is valid under its media type's schema.
fn assert_examples_valid(doc: &Value, at: &str, content: &Value) {
    let content = content.as_object().unwrap_or_else(|| panic!("{at}: content is not an object"));
    assert!(!content.is_empty(), "{at}: content names no media type");
    for (media_type, media) in content {
        let schema = media.get("schema").unwrap_or_else(|| panic!("{at} {media_type}: no schema"));
        let examples = examples_of(doc, media);
        assert!(!examples.is_empty(), "{at} {media_type}: no example");
        for (name, e) in examples {
            assert!(!e.is_null(), "{at} {media_type}: example {name} has no value");
            let wrong = violations(doc, schema, e, &format!("{at} {media_type} example {name}"));
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        }
    }
}

/// The error code each status answers (`errors::code`).
fn error_code(status: &str) -> &'static [&'static str] {
    match status {
        "400" => &["bad_request"],
        "401" => &["unauthorized"],
        "403" => &["forbidden"],
        "404" => &["not_found"],
        "405" => &["method_not_allowed"],
        "413" => &["too_large"],
        "415" => &["unsupported_media_type"],
        "422" => &["invalid"],
        "429" => &["rate_limited"],
        "4XX" => &[
            "bad_request",
            "unauthorized",
            "forbidden",
            "not_found",
            "method_not_allowed",
            "too_large",
            "unsupported_media_type",
            "invalid",
            "rate_limited",
            "error",
        ],
        "5XX" => &["unavailable", "internal"],
        other => panic!("no error code for status {other}"),
    }
}

#[test]
fn every_response_with_a_body_has_a_schema_and_valid_examples() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut checked = 0;
    for (at, op) in operations(&doc) {
        let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{at}: no responses"));
        assert!(responses.keys().any(|s| s.starts_with('2')), "{at}: no success documented");
        for (status, response) in responses {
            let at = format!("{at} {status}");
            let response = resolve(&doc, response);
            assert!(
                response["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{at}: no description"
            );
            if status.starts_with('3') || status == "204" {
                assert!(response.get("content").is_none(), "{at}: this status has no body");
                if status.starts_with('3') {
                    assert!(response["headers"].get("Location").is_some(), "{at}: a redirect says where");
                }
                continue;
            }
            assert_examples_valid(&doc, &at, &response["content"]);
            if status.starts_with('4') || status.starts_with('5') {
                let json = &response["content"]["application/json"];
                assert_eq!(json["schema"], json!({ "$ref": "#/components/schemas/Error" }), "{at}");
                for (name, e) in examples_of(&doc, json) {
                    let code = e["error"]["code"].as_str().unwrap();
                    assert!(error_code(status).contains(&code), "{at} example {name}: code «{code}»");
                }
            }
            checked += 1;
        }
        if let Some(body) = op.get("requestBody") {
            assert_examples_valid(&doc, &format!("{at} request"), &resolve(&doc, body)["content"]);
        }
    }
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(e) = schema.get("example") {
            let wrong = violations(&doc, schema, e, &format!("schema {name} example"));
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        }
    }
    assert!(checked > 60, "only {checked} responses with a body");
}

#[test]
fn every_reference_resolves_and_every_path_parameter_is_declared() {
    fn walk<'a>(v: &'a Value, refs: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    refs.push(r);
                }
                m.values().for_each(|x| walk(x, refs));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, refs)),
            _ => {}
        }
    }
    let doc = document();
    let mut refs = Vec::new();
    walk(&doc, &mut refs);
    assert!(refs.len() > 100, "{} references", refs.len());
    for r in &refs {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("«{r}» leaves the document"));
        assert!(doc.pointer(pointer).is_some(), "«{r}» resolves to nothing");
    }
    // Every component is used.
    for (kind, items) in doc["components"].as_object().unwrap() {
        for name in items.as_object().unwrap().keys() {
            let target = format!("#/components/{kind}/{name}");
            let used =
                refs.contains(&target.as_str()) || (kind == "securitySchemes" && doc.to_string().contains(&format!("{{\"{name}\":[]}}")));
            assert!(used, "{target} is never used");
        }
    }
    for (at, op) in operations(&doc) {
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(&doc, p))
            .collect();
        let path = at.split_once(' ').unwrap().1;
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(['{', '}']);
            assert!(
                params
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true),
                "{at}: path parameter {name} undeclared"
            );
        }
        let mut seen = std::collections::HashSet::new();
        for p in &params {
            assert!(p["schema"]["type"].is_string(), "{at}: parameter {} has no type", p["name"]);
            assert!(
                seen.insert((p["in"].to_string(), p["name"].to_string())),
                "{at}: {} twice",
                p["name"]
            );
        }
    }
}

#[test]
fn schemas_constrain_their_examples() {
    // An example that still passes with a required property taken away, or
    // with an undocumented one added, was never checked against anything.
    let doc = document();
    let mut mutated = 0;
    for (at, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            let response = resolve(&doc, response);
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                let schema = resolve(&doc, &media["schema"]);
                let Some(required) = schema["required"].as_array().filter(|r| !r.is_empty()) else {
                    continue;
                };
                for (name, e) in examples_of(&doc, media) {
                    let at = format!("{at} {status} {media_type} example {name}");
                    let mut missing = e.clone();
                    missing.as_object_mut().unwrap().remove(required[0].as_str().unwrap());
                    assert!(
                        !violations(&doc, schema, &missing, &at).is_empty(),
                        "{at}: passes without {}",
                        required[0]
                    );
                    if schema["additionalProperties"] == false {
                        let mut extra = e.clone();
                        extra.as_object_mut().unwrap().insert("undocumented".into(), json!(1));
                        assert!(!violations(&doc, schema, &extra, &at).is_empty(), "{at}: passes with more");
                    }
                    mutated += 1;
                }
            }
        }
    }
    assert!(mutated > 60, "only {mutated} examples mutated");
}

// ---------------------------------------------------------------------------
// The document against the server
// ---------------------------------------------------------------------------

/// An invented agreement, with its signatories.
const PAGE: &str = "Marlowe Heart Institute signs agreement with Quillon University

Published: 14 February 2024

Marlowe Heart Institute of Bristol, United Kingdom, and Quillon University of Lyon, France, signed a cooperation agreement on 12 February 2024 in Bristol on cardiac surgery training.

The agreement was signed by Dr. Helen Corrigan, Director of Marlowe Heart Institute, and Prof. Jules Vantard, Rector of Quillon University.
";

/// A registry of generated pages and [`PAGE`], and the router over it.
struct App {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    router: Router,
    doc: Value,
}

/// A response, read whole.
struct Resp {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: String,
}

impl App {
    fn new() -> App {
        let mut docs = common::generated(5, 60);
        docs.push(IngestDoc {
            path: "pages/marlowe.txt".into(),
            source_url: Some("https://news.marlowe.example/agreement".into()),
            hash: content_hash(PAGE.as_bytes()),
            text: PAGE.into(),
            record: accord_extract::extract("marlowe.txt", PAGE, None),
        });
        let (dir, db) = common::registry(&docs);
        let state = accord_serve::AppState::open(&db, 0).unwrap();
        App {
            _dir: dir,
            router: accord_serve::router(state),
            db,
            doc: document(),
        }
    }

    async fn send(&self, method: Method, uri: &str, token: Option<&str>, body: Option<&Value>) -> Resp {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (content_type, location) = (text(header::CONTENT_TYPE).unwrap_or_default(), text(header::LOCATION));
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            content_type,
            location,
            body: String::from_utf8(bytes.to_vec()).expect("answers are UTF-8"),
        }
    }

    /// GETs `uri`, documented as `path` (a template of the document), and
    /// checks the answer against its documented response; returns the answer's JSON.
    async fn check(&self, path: &str, uri: &str) -> Value {
        let r = self.send(Method::GET, uri, None, None).await;
        self.assert_documented("get", path, uri, &r)
    }

    /// The answer `r` to `uri` is valid under what the document says `method path` answers.
    fn assert_documented(&self, method: &str, path: &str, uri: &str, r: &Resp) -> Value {
        let doc = &self.doc;
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        let status = r.status.as_str();
        let class = format!("{}XX", &status[..1]);
        let response = op["responses"]
            .get(status)
            .or_else(|| op["responses"].get(&class))
            .map(|resp| resolve(doc, resp))
            .unwrap_or_else(|| panic!("{uri}: status {status} is not documented for {method} {path}: {}", r.body));
        if r.status.is_redirection() {
            assert!(r.location.is_some(), "{uri}: {status} without Location");
            assert!(response["headers"].get("Location").is_some(), "{uri}: Location undocumented");
            return Value::Null;
        }
        let media_type = r.content_type.split(';').next().unwrap().trim();
        let media = response["content"]
            .get(media_type)
            .unwrap_or_else(|| panic!("{uri}: {media_type} is not documented for {status}"));
        let value = if media_type == "application/json" {
            serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", r.body))
        } else {
            Value::String(r.body.clone())
        };
        let wrong = violations(doc, &media["schema"], &value, uri);
        assert!(wrong.is_empty(), "{uri} answers what its schema refuses:\n{}", wrong.join("\n"));
        value
    }
}

#[tokio::test]
async fn every_documented_parameter_value_is_accepted() {
    // Each value a parameter's enum lists, and each example, answers 200
    // when given alone (a download's: for at least one of the things it holds).
    let app = App::new();
    let ids = [
        (
            "/institutions/",
            first_id(&app.check("/institutions", "/api/v1/institutions").await),
        ),
        ("/events/", first_id(&app.check("/events", "/api/v1/events").await)),
        ("/people/", first_id(&app.check("/people", "/api/v1/people").await)),
        ("/documents/", 1),
    ];
    let mut tried = 0;
    for (at, op) in operations(&app.doc) {
        let Some(path) = at.strip_prefix("GET ") else {
            continue;
        };
        let id = ids.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or(0, |(_, id)| *id);
        let base = format!("/api/v1{}", path.replace("{id}", &id.to_string()).replace("{queue}", "undated"));
        let bases: Vec<String> = if path == "/export/{what}" {
            ["institutions", "events", "network"]
                .iter()
                .map(|w| base.replace("{what}", w))
                .collect()
        } else {
            vec![base]
        };
        for p in op["parameters"].as_array().into_iter().flatten().map(|p| resolve(&app.doc, p)) {
            if p["in"] != "query" {
                continue;
            }
            let values = p["schema"]["enum"].as_array().into_iter().flatten().chain(p.get("example"));
            for v in values {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                let query = format!("{}={}", p["name"].as_str().unwrap(), v.replace(' ', "%20"));
                let mut answers = Vec::new();
                for base in &bases {
                    let uri = format!("{base}?{query}");
                    let r = app.send(Method::GET, &uri, None, None).await;
                    app.assert_documented("get", path, &uri, &r);
                    answers.push((uri, r.status, r.body));
                }
                assert!(
                    answers.iter().any(|(_, status, _)| *status == StatusCode::OK),
                    "{path}?{query} (documented) is refused: {answers:?}"
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 60, "only {tried} values tried");
}

fn first_id(page: &Value) -> i64 {
    page["items"][0]["id"].as_i64().expect("a listing with an item")
}

#[tokio::test]
async fn real_answers_are_valid_under_their_documented_schemas() {
    let app = App::new();

    app.check("/summary", "/api/v1/summary").await;
    assert_eq!(app.check("/openapi.json", "/api/openapi.json").await, app.doc);

    let institutions = app.check("/institutions", "/api/v1/institutions?limit=20").await;
    assert_eq!(institutions["items"].as_array().unwrap().len(), 20);
    app.check(
        "/institutions",
        "/api/v1/institutions?country=gb&type=hospital&since=2020&review=all",
    )
    .await;
    app.check("/institutions", "/api/v1/institutions?review=no-country").await;
    let marlowe = first_id(&app.check("/institutions", "/api/v1/institutions?text=Marlowe").await);
    for id in [marlowe, first_id(&institutions)] {
        let d = app.check("/institutions/{id}", &format!("/api/v1/institutions/{id}")).await;
        assert!(!d["mentions"].as_array().unwrap().is_empty());
        app.check("/institutions/{id}/profile", &format!("/api/v1/institutions/{id}/profile"))
            .await;
        app.check("/institutions/{id}/countries", &format!("/api/v1/institutions/{id}/countries"))
            .await;
    }

    let events = app.check("/events", "/api/v1/events?limit=500").await;
    let events = events["items"].as_array().unwrap();
    assert!(events.len() > 20, "{} events", events.len());
    app.check("/events", "/api/v1/events?type=agreement&country=FR&review=single-source")
        .await;
    app.check("/events", "/api/v1/events?review=undated&offset=1").await;
    for e in events.iter().step_by(5) {
        app.check("/events/{id}", &format!("/api/v1/events/{}", e["id"])).await;
    }

    let people = app.check("/people", "/api/v1/people?limit=5").await;
    app.check("/people/{id}", &format!("/api/v1/people/{}", first_id(&people))).await;
    let corrigan = first_id(&app.check("/people", "/api/v1/people?text=Corrigan").await);
    let d = app.check("/people/{id}", &format!("/api/v1/people/{corrigan}")).await;
    assert!(!d["titles"].as_array().unwrap().is_empty(), "{d}");

    let mut documents = 0;
    for id in 1..=70 {
        let uri = format!("/api/v1/documents/{id}");
        let r = app.send(Method::GET, &uri, None, None).await;
        app.assert_documented("get", "/documents/{id}", &uri, &r);
        documents += usize::from(r.status == StatusCode::OK);
    }
    assert!(documents >= 60, "{documents} documents");

    for uri in [
        "/api/v1/search?q=agreement",
        "/api/v1/search?q=Marlowe%20Heart",
        "/api/v1/search?q=hospital&kind=institution&limit=3",
        "/api/v1/search?kind=event&type=agreement",
        "/api/v1/search",
    ] {
        app.check("/search", uri).await;
    }
    let hits = app.check("/search", "/api/v1/search?q=cardiac").await;
    assert!(hits["total"].as_u64().unwrap() > 0, "{hits}");

    app.check("/network", "/api/v1/network").await;
    app.check("/network", "/api/v1/network?level=countries&type=agreement").await;
    let ego = app.check("/network", &format!("/api/v1/network?ego={marlowe}&depth=2")).await;
    assert!(!ego["edges"].as_array().unwrap().is_empty(), "{ego}");
    app.check("/countries", "/api/v1/countries?since=2020").await;

    for queue in accord_store::REVIEW_QUEUES {
        app.check("/review/{queue}", &format!("/api/v1/review/{queue}?limit=5")).await;
    }

    for (what, format) in [
        ("institutions", "csv"),
        ("institutions", "jsonl"),
        ("events", "csv"),
        ("events", "jsonl"),
        ("network", "csv"),
        ("network", "jsonl"),
        ("network", "gexf"),
    ] {
        app.check("/export/{what}", &format!("/api/v1/export/{what}?format={format}")).await;
    }

    // Corrections, and the audit log and redirect they leave.
    let token = SqliteStore::open(&app.db).unwrap().add_user("Noor Halvorsen", Role::Admin).unwrap();
    let curate = |change: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            let r = app.send(Method::POST, "/api/v1/curations", Some(&token), Some(&change)).await;
            app.assert_documented("post", "/curations", "/api/v1/curations", &r);
            r
        }
    };
    let r = curate(json!({ "action": "edit_institution", "id": marlowe, "city": "Bristol", "kind": "hospital" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let other = first_id(&institutions);
    let keep = if other == marlowe {
        institutions["items"][1]["id"].as_i64().unwrap()
    } else {
        other
    };
    let r = curate(json!({ "action": "merge_institutions", "keep": keep, "absorb": marlowe })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = curate(json!({ "action": "merge_institutions", "keep": keep, "absorb": keep })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = curate(json!({ "action": "rename_everything" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let audit = app.check("/audit", "/api/v1/audit").await;
    assert_eq!(audit["total"], 2, "{audit}");
    app.check("/audit", "/api/v1/audit?action=merge_institutions&since=2020-01-01")
        .await;
    for rest in ["", "/profile", "/countries"] {
        let path = format!("/institutions/{{id}}{rest}");
        let uri = format!("/api/v1/institutions/{marlowe}{rest}?x=1");
        let r = app.send(Method::GET, &uri, None, None).await;
        assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT, "{uri}: {}", r.body);
        app.assert_documented("get", &path, &uri, &r);
    }

    // Refusals.
    for (path, uri, status) in [
        ("/events", "/api/v1/events?since=notadate", 400),
        ("/events", "/api/v1/events?limit=ten", 400),
        ("/institutions", "/api/v1/institutions?type=agreement", 400),
        ("/people", "/api/v1/people?type=hospital", 400),
        ("/institutions/{id}", "/api/v1/institutions/abc", 400),
        ("/institutions/{id}", "/api/v1/institutions/999999", 404),
        ("/events/{id}", "/api/v1/events/999999", 404),
        ("/people/{id}", "/api/v1/people/999999", 404),
        ("/documents/{id}", "/api/v1/documents/999999", 404),
        ("/documents/{id}", "/api/v1/documents/x1", 400),
        ("/search", "/api/v1/search?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m", 400),
        ("/search", "/api/v1/search?offset=2000000", 400),
        ("/network", "/api/v1/network?depth=2", 400),
        ("/network", "/api/v1/network?ego=999999", 404),
        ("/countries", "/api/v1/countries?kind=hospital", 400),
        ("/audit", "/api/v1/audit?action=delete", 400),
        ("/review/{queue}", "/api/v1/review/later", 404),
        ("/review/{queue}", "/api/v1/review/undated?offset=2000000", 400),
        ("/export/{what}", "/api/v1/export/people", 404),
        ("/export/{what}", "/api/v1/export/events?format=gexf", 400),
    ] {
        let r = app.send(Method::GET, uri, None, None).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        app.assert_documented("get", path, uri, &r);
    }
    let r = app.send(Method::DELETE, "/api/v1/summary", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    app.assert_documented("get", "/summary", "DELETE /api/v1/summary", &r);
    let edit = json!({ "action": "edit_institution", "id": keep, "city": "Bath" });
    let r = app.send(Method::POST, "/api/v1/curations", None, Some(&edit)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.assert_documented("post", "/curations", "/api/v1/curations", &r);
    let viewer = SqliteStore::open(&app.db).unwrap().add_user("Tomas Reyes", Role::Viewer).unwrap();
    let r = app.send(Method::POST, "/api/v1/curations", Some(&viewer), Some(&edit)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.assert_documented("post", "/curations", "/api/v1/curations", &r);
}
