//! Guards around every request: a per-client rate limit, the security
//! headers that keep untrusted page text inert, and the request log.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Tokens left and when they were last counted, per client address.
type Buckets = HashMap<Option<IpAddr>, (f64, Instant)>;

/// A token bucket per client address: `rate` requests per second, bursts of twice that.
#[derive(Clone)]
pub struct RateLimiter {
    rate: u32,
    buckets: Arc<Mutex<Buckets>>,
}

impl RateLimiter {
    /// A limiter allowing `rate` requests per second per client; 0 allows all.
    pub fn new(rate: u32) -> RateLimiter {
        RateLimiter {
            rate,
            buckets: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Takes a token for `client`; false when its bucket is empty.
    pub fn allow(&self, client: Option<IpAddr>) -> bool {
        if self.rate == 0 {
            return true;
        }
        let Ok(mut buckets) = self.buckets.lock() else { return true };
        let capacity = f64::from(self.rate) * 2.0;
        if buckets.len() > 10_000 {
            buckets.retain(|_, (_, t)| t.elapsed().as_secs() < 60);
        }
        let (tokens, last) = buckets.entry(client).or_insert((capacity, Instant::now()));
        *tokens = (*tokens + last.elapsed().as_secs_f64() * f64::from(self.rate)).min(capacity);
        *last = Instant::now();
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Answers 429 to a client over its rate.
pub async fn rate_limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if limiter.allow(client) {
        next.run(request).await
    } else {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "too many requests: slow down\n",
        )
            .into_response()
    }
}

/// Logs each request at `info`: method, path (never the query, which may
/// carry search words), status and milliseconds.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Content-Security-Policy and friends: no inline script, no framing, no sniffing.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_its_rate_is_refused_and_others_are_not() {
        let limiter = RateLimiter::new(5);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let allowed = (0..20).filter(|_| limiter.allow(a)).count();
        assert_eq!(allowed, 10);
        assert!(limiter.allow(Some(IpAddr::from([10, 0, 0, 2]))));
        assert!((0..100).all(|_| RateLimiter::new(0).allow(a)));
    }
}
