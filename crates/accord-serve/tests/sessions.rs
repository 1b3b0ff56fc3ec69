//! Who is asking (issue 11): behind a trusted reverse proxy the client's
//! address and scheme come from its forwarded headers (and from nobody
//! else's); a browser on HTTPS gets `Secure`, `__Host-` session and notice
//! cookies; wrong tokens are limited per client.

use accord_serve::{AppState, TrustedProxy};
use accord_store::{Role, SqliteStore, Store};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;

/// The proxy the tests' server trusts.
const PROXY: [u8; 4] = [10, 0, 0, 2];

struct App {
    dir: tempfile::TempDir,
    router: Router,
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Resp {
    fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }
}

impl App {
    fn new(rate_limit: u32) -> App {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("registry.db");
        SqliteStore::open(&db).unwrap();
        let state = AppState::open(&db, rate_limit)
            .unwrap()
            .with_trusted_proxies(vec!["10.0.0.0/30".parse::<TrustedProxy>().unwrap()]);
        App {
            dir,
            router: accord_serve::router(state),
        }
    }

    fn token(&self, name: &str) -> String {
        SqliteStore::open(&self.dir.path().join("registry.db"))
            .unwrap()
            .add_user(name, Role::Editor)
            .unwrap()
    }

    /// Sends `request` as if its connection came from `peer`.
    async fn send(&self, peer: [u8; 4], mut request: Request<Body>) -> Resp {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((peer, 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    /// Signs in with `token` from `peer`, the forwarded headers given: the
    /// sign-in form's cookies, then the sign-in's.
    async fn sign_in(&self, peer: [u8; 4], forwarded: &[(&str, &str)], token: &str) -> (Vec<String>, Vec<String>) {
        let with = |mut b: axum::http::request::Builder| {
            for (k, v) in forwarded {
                b = b.header(*k, *v);
            }
            b
        };
        let form = self.send(peer, with(Request::get("/signin")).body(Body::empty()).unwrap()).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let guard = form.cookies()[0].split(';').next().unwrap().to_string();
        let csrf = guard.split_once('=').unwrap().1.to_string();
        let signin = with(Request::post("/signin"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &guard)
            .body(Body::from(format!("token={token}&csrf={csrf}&next=%2F")))
            .unwrap();
        let signed = self.send(peer, signin).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        (form.cookies(), signed.cookies())
    }
}

#[tokio::test]
async fn over_https_through_a_trusted_proxy_the_session_cookie_is_secure_and_host_only() {
    let app = App::new(0);
    let token = app.token("Ada");
    let https = [("x-forwarded-proto", "https"), ("x-forwarded-for", "203.0.113.9")];
    let (form, session) = app.sign_in(PROXY, &https, &token).await;
    assert!(form[0].starts_with("accord_signin=") && form[0].ends_with("; Secure"), "{form:?}");
    let cookie = &session[0];
    assert!(cookie.starts_with("__Host-accord_session="), "{cookie}");
    assert!(cookie.contains("; Path=/;") && cookie.ends_with("; Secure"), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    // The browser sends it back under its name, and it signs in.
    let pair = cookie.split(';').next().unwrap();
    let page = app
        .send(
            PROXY,
            Request::get("/")
                .header(header::COOKIE, pair)
                .header("x-forwarded-proto", "https")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("Ada"), "signed in with the __Host- cookie");
    // Signing out ends the cookie under both names.
    let csrf_cookie = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let out = app
        .send(
            PROXY,
            Request::post("/signout")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, pair)
                .header("x-forwarded-proto", "https")
                .body(Body::from(format!("csrf={csrf_cookie}")))
                .unwrap(),
        )
        .await;
    let ended = out.cookies();
    assert!(
        ended
            .iter()
            .any(|c| c.starts_with("__Host-accord_session=;") && c.contains("Max-Age=0")),
        "{ended:?}"
    );
    assert!(
        ended.iter().any(|c| c.starts_with("accord_session=;") && c.contains("Max-Age=0")),
        "{ended:?}"
    );
}

#[tokio::test]
async fn forwarded_https_from_anyone_but_the_proxy_or_plain_http_gives_the_plain_cookie() {
    let app = App::new(0);
    let token = app.token("Ada");
    for (peer, forwarded) in [
        ([198, 51, 100, 4], &[("x-forwarded-proto", "https")][..]),
        (PROXY, &[("x-forwarded-proto", "http")][..]),
        (PROXY, &[][..]),
    ] {
        let (form, session) = app.sign_in(peer, forwarded, &token).await;
        let cookie = &session[0];
        assert!(
            cookie.starts_with("accord_session=") && !cookie.contains("Secure"),
            "{peer:?} {forwarded:?}: {cookie}"
        );
        assert!(!form[0].contains("Secure"), "{form:?}");
        let pair = cookie.split(';').next().unwrap();
        let page = app
            .send(peer, Request::get("/").header(header::COOKIE, pair).body(Body::empty()).unwrap())
            .await;
        assert!(page.body.contains("Ada"), "signed in with the plain cookie");
    }
}

#[tokio::test]
async fn the_notice_cookie_is_secure_and_host_only_exactly_when_the_session_cookie_is() {
    let app = App::new(0);
    let token = app.token("Ada");
    let (id, _) = token.split_once('.').unwrap();
    let https = &[("x-forwarded-proto", "https")][..];
    for (peer, forwarded, secure) in [
        (PROXY, https, true),
        ([198, 51, 100, 4], https, false),
        (PROXY, &[("x-forwarded-proto", "http")][..], false),
        (PROXY, &[][..], false),
    ] {
        // A wrong token leads back to the form with a notice saying so.
        let (_, left) = app.sign_in(peer, forwarded, &format!("{id}.wrong")).await;
        let cookie = &left[0];
        if secure {
            assert!(cookie.starts_with("__Host-accord_notice="), "{cookie}");
            assert!(cookie.contains("; Path=/;") && cookie.ends_with("; Secure"), "{cookie}");
            assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
        } else {
            assert!(
                cookie.starts_with("accord_notice=") && !cookie.contains("Secure"),
                "{peer:?} {forwarded:?}: {cookie}"
            );
        }
        // The browser sends it back under its name and the notice shows, once.
        let pair = cookie.split(';').next().unwrap().to_string();
        let again = || {
            let mut b = Request::get("/signin").header(header::COOKIE, &pair);
            for (k, v) in forwarded {
                b = b.header(*k, *v);
            }
            b.body(Body::empty()).unwrap()
        };
        let page = app.send(peer, again()).await;
        assert!(
            page.body.contains("That token is not valid."),
            "{peer:?} {forwarded:?}: {}",
            page.body
        );
        let page = app.send(peer, again()).await;
        assert!(!page.body.contains("That token is not valid."), "a notice shows once");
    }
}

#[tokio::test]
async fn the_rate_limit_counts_the_forwarded_client_only_behind_a_trusted_proxy() {
    let app = App::new(1); // one a second, bursts of two
    let from = |client: &str| {
        Request::get("/static/app.css")
            .header("x-forwarded-for", client)
            .body(Body::empty())
            .unwrap()
    };
    let statuses = |rs: Vec<Resp>| rs.into_iter().map(|r| r.status.as_u16()).collect::<Vec<_>>();
    let mut a = Vec::new();
    for _ in 0..3 {
        a.push(app.send(PROXY, from("203.0.113.9")).await);
    }
    assert_eq!(statuses(a), [200, 200, 429], "one forwarded client over its rate");
    assert_eq!(
        app.send(PROXY, from("203.0.113.10")).await.status,
        StatusCode::OK,
        "another client behind the proxy"
    );
    // A client that is not the proxy cannot escape its limit by naming another address.
    let mut spoofed = Vec::new();
    for n in 0..3 {
        spoofed.push(app.send([198, 51, 100, 4], from(&format!("192.0.2.{n}"))).await);
    }
    assert_eq!(statuses(spoofed), [200, 200, 429]);
}

#[tokio::test]
async fn wrong_tokens_are_limited_per_client_with_a_clear_message() {
    let app = App::new(0);
    let token = app.token("Ada");
    let (id, _) = token.split_once('.').unwrap();
    let curate = |bearer: String| {
        Request::post("/api/v1/curations")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
            .body(Body::from(r#"{"action": "edit_institution", "id": 1, "name": "X"}"#))
            .unwrap()
    };
    let prober = [192, 0, 2, 50];
    // Wrong secrets for an existing id and unknown ids: refused alike, until
    // the limit. The bucket refills one every six seconds, so a slow machine
    // (each refusal costs an Argon2 check) earns one more try per six seconds.
    let started = std::time::Instant::now();
    let mut limited = None;
    for n in 0..40 {
        let guess = if n % 2 == 0 {
            format!("{id}.wrong{n}")
        } else {
            format!("{}.wrong", 1000 + n)
        };
        let r = app.send(prober, curate(guess)).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.body.contains("Too many wrong tokens from your address"), "{}", r.body);
            limited = Some(n);
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {n}: {}", r.body);
    }
    let refused = limited.expect("wrong tokens were never limited");
    let earned = (started.elapsed().as_secs_f64() / 6.0).ceil() as usize;
    assert!(
        (10..=10 + earned).contains(&refused),
        "limited after {refused} wrong tokens, where 10 (+{earned} refilled) were allowed"
    );
    // Even the right token waits: guessing cannot go on until it hits.
    assert_eq!(app.send(prober, curate(token.clone())).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The sign-in form counts against the same limit.
    let signin = Request::post("/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, "accord_signin=abc")
        .body(Body::from(format!("token={token}&csrf=abc&next=%2F")))
        .unwrap();
    let r = app.send(prober, signin).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Too many wrong tokens"), "{}", r.body);
    // Another client is not held back.
    let r = app.send([192, 0, 2, 51], curate(token.clone())).await;
    assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_ne!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}
