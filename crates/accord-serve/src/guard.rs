//! Guards around every request: a per-client rate limit, the security
//! headers that keep untrusted page text inert, and the request log.

use crate::client::Client;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Tokens left and when they were last counted, per client address.
type Buckets = HashMap<Option<IpAddr>, (f64, Instant)>;

/// A token bucket per client address: `rate` requests per second, bursts of twice that.
#[derive(Clone)]
pub struct RateLimiter {
    /// Tokens a client starts with and may save up (0: no limit).
    capacity: f64,
    /// Tokens given back per second.
    refill: f64,
    buckets: Arc<Mutex<Buckets>>,
}

impl RateLimiter {
    /// A limiter allowing `rate` requests per second per client; 0 allows all.
    pub fn new(rate: u32) -> RateLimiter {
        Self::with(f64::from(rate) * 2.0, f64::from(rate))
    }

    /// A limiter allowing `n` events per minute per client, all at once at most.
    pub fn per_minute(n: u32) -> RateLimiter {
        Self::with(f64::from(n), f64::from(n) / 60.0)
    }

    fn with(capacity: f64, refill: f64) -> RateLimiter {
        RateLimiter {
            capacity,
            refill,
            buckets: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Takes a token for `client`; false when its bucket is empty.
    pub fn allow(&self, client: Option<IpAddr>) -> bool {
        self.count(client, true)
    }

    /// Whether `client` has a token left, without taking it.
    pub fn has_room(&self, client: Option<IpAddr>) -> bool {
        self.count(client, false)
    }

    /// Brings `client`'s bucket up to date, then takes a token from it when
    /// `take` and there is one; answers whether there was one.
    fn count(&self, client: Option<IpAddr>, take: bool) -> bool {
        if self.capacity <= 0.0 {
            return true;
        }
        let Ok(mut buckets) = self.buckets.lock() else { return true };
        if buckets.len() > 10_000 {
            buckets.retain(|_, (_, t)| t.elapsed().as_secs() < 60);
        }
        let key = client.map(client_key);
        let (tokens, last) = buckets.entry(key).or_insert((self.capacity, Instant::now()));
        *tokens = (*tokens + last.elapsed().as_secs_f64() * self.refill).min(self.capacity);
        *last = Instant::now();
        if *tokens >= 1.0 {
            if take {
                *tokens -= 1.0;
            }
            true
        } else {
            false
        }
    }
}

/// The address a client is counted under: an IPv4 address, or the /64
/// network of an IPv6 one (one subscriber holds a whole /64, and could
/// otherwise use a new address per request). Behind a reverse proxy the
/// address is the one the trusted proxy forwarded (see `client`).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

/// Answers 429 to a client over its rate.
pub async fn rate_limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<Client>().and_then(|c| c.ip);
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

/// The host part of a `Host` header value (port and IPv6 brackets removed), lower case.
fn host_name(value: &str) -> String {
    let value = value.trim();
    let host = match value.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => value
            .rsplit_once(':')
            .map_or(value, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { value }),
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a request's `Host` may be answered: an IP address, `localhost`,
/// or one of the names the server was told it has (`--host`). A page of
/// another site whose name was pointed at this server (DNS rebinding)
/// sends its own name and is refused.
pub fn host_allowed(value: &str, hosts: &[String]) -> bool {
    let host = host_name(value);
    host.parse::<IpAddr>().is_ok() || host == "localhost" || hosts.iter().any(|h| h.eq_ignore_ascii_case(&host))
}

/// Refuses (421) a request for a host name this server does not have.
pub async fn check_host(State(hosts): State<Arc<Vec<String>>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match host {
        Some(h) if !host_allowed(&h, &hosts) => {
            tracing::info!("refused a request for host {h:?}");
            crate::errors::Problem(
                StatusCode::MISDIRECTED_REQUEST,
                "This server does not answer for that host name; open it by its address, or start it with --host NAME.".into(),
            )
            .into_response()
        }
        _ => next.run(request).await,
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

    #[test]
    fn a_per_minute_limiter_can_be_asked_without_taking() {
        let limiter = RateLimiter::per_minute(3);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        assert!((0..5).all(|_| limiter.has_room(a)), "asking takes nothing");
        assert_eq!((0..5).filter(|_| limiter.allow(a)).count(), 3);
        assert!(!limiter.has_room(a));
        assert!(limiter.has_room(Some(IpAddr::from([10, 0, 0, 2]))));
    }

    #[test]
    fn only_addresses_localhost_and_configured_names_are_answered() {
        let hosts = vec!["accord.example.org".to_string()];
        for ok in [
            "127.0.0.1:8080",
            "[::1]:8080",
            "localhost:8080",
            "LOCALHOST",
            "accord.example.org",
            "Accord.Example.org:443",
            "10.1.2.3",
        ] {
            assert!(host_allowed(ok, &hosts), "{ok}");
        }
        for refused in [
            "attacker.example",
            "attacker.example:8080",
            "localhost.attacker.example",
            "accord.example.org.evil",
        ] {
            assert!(!host_allowed(refused, &hosts), "{refused}");
        }
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_network: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(one), client_key(same_network));
        assert_ne!(client_key(one), client_key(other));
        assert_eq!(client_key("::ffff:10.0.0.1".parse().unwrap()), IpAddr::from([10, 0, 0, 1]));
        let limiter = RateLimiter::new(1);
        assert!(limiter.allow(Some(one)) && limiter.allow(Some(one)));
        assert!(
            !limiter.allow(Some(same_network)),
            "a new address in the same /64 got a fresh bucket"
        );
    }
}
