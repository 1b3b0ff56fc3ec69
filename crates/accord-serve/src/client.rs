//! Who a request comes from. Accord serves plain HTTP; deployed behind a
//! reverse proxy (which terminates TLS), every connection comes from the
//! proxy. Only when the connection's peer is a proxy the server was told
//! to trust (`--trusted-proxy`) are its `X-Forwarded-For` (the client's
//! address, for the rate limits) and `X-Forwarded-Proto` (whether the
//! browser spoke HTTPS, for the session cookie) believed; from anyone else
//! those headers are ignored, so a client cannot pick its own address.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

/// An address or a network (`10.0.0.0/8`, `fd00::/8`) whose connections
/// are a reverse proxy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    network: IpAddr,
    prefix: u8,
}

impl TrustedProxy {
    /// Whether `ip` is this address or in this network (an IPv4 address
    /// written as IPv6, `::ffff:10.0.0.1`, counts as the IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), 32, self.prefix) == masked(u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => masked(u128::from(net), 128, self.prefix) == masked(u128::from(ip), 128, self.prefix),
            _ => false,
        }
    }
}

/// The first `prefix` bits of a `width`-bit address.
fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        bits >> (width - prefix)
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl FromStr for TrustedProxy {
    type Err = String;

    /// `ADDR` or `ADDR/PREFIX`, IPv4 or IPv6.
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let network = canonical(
            addr.parse::<IpAddr>()
                .map_err(|_| format!("«{s}» is not an address or a network (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)"))?,
        );
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("«{s}»: the prefix length must be a number from 0 to {width}"))?,
        };
        Ok(TrustedProxy { network, prefix })
    }
}

/// Who sent a request, as [`identify`] found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Client {
    /// The client's address (unknown without the connection's address).
    pub ip: Option<IpAddr>,
    /// Whether the browser reached the server over HTTPS (through a trusted proxy).
    pub https: bool,
}

/// Who sent a request that came from `peer` with `headers`: the peer
/// itself, unless it is a trusted proxy; then the nearest address in
/// `X-Forwarded-For` that is not a trusted proxy (read from the right: the
/// addresses to its left were written by the client and prove nothing),
/// and HTTPS when the proxy says `X-Forwarded-Proto: https`.
pub fn client(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[TrustedProxy]) -> Client {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    let Some(peer) = peer.filter(|p| is_trusted(*p)) else {
        return Client { ip: peer, https: false };
    };
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    let ip = forwarded
        .iter()
        .rev()
        .copied()
        .find(|ip| !is_trusted(*ip))
        .or(forwarded.first().copied())
        .unwrap_or(peer);
    // The proxy nearest the server speaks last: its word is the one that counts.
    let proto = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .map(str::trim);
    Client {
        ip: Some(canonical(ip)),
        https: proto.is_some_and(|p| p.eq_ignore_ascii_case("https")),
    }
}

/// Finds who sent the request (see [`client`]) and hands it on as a
/// [`Client`] extension, for the rate limits and the session cookie.
pub async fn identify(State(trusted): State<Arc<Vec<TrustedProxy>>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let found = client(peer, request.headers(), &trusted);
    request.extensions_mut().insert(found);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn proxies_are_addresses_or_networks() {
        let net: TrustedProxy = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains(ip("10.200.1.1")) && !net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.0.0.9")));
        let one: TrustedProxy = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: TrustedProxy = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")) && !v6.contains(ip("10.0.0.1")));
        assert!("0.0.0.0/0".parse::<TrustedProxy>().unwrap().contains(ip("203.0.113.1")));
        for bad in ["proxy.example", "10.0.0.0/33", "10.0.0.0/x", "::/129", ""] {
            let e = bad.parse::<TrustedProxy>().unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let trusted = ["10.0.0.2".parse().unwrap()];
        let sent = headers(&[("x-forwarded-for", "203.0.113.9"), ("x-forwarded-proto", "https")]);
        // From the proxy: the client's address and its scheme.
        assert_eq!(
            client(Some(ip("10.0.0.2")), &sent, &trusted),
            Client {
                ip: Some(ip("203.0.113.9")),
                https: true
            }
        );
        // From anyone else, or with no proxy configured: the headers are ignored.
        for (peer, trusted) in [("198.51.100.4", &trusted[..]), ("10.0.0.2", &[][..])] {
            assert_eq!(
                client(Some(ip(peer)), &sent, trusted),
                Client {
                    ip: Some(ip(peer)),
                    https: false
                }
            );
        }
        assert_eq!(client(None, &sent, &trusted), Client::default());
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_address() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        // A client's own X-Forwarded-For entry (spoofed, leftmost) does not choose its address.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.5")]);
        assert_eq!(client(Some(ip("10.0.0.2")), &chain, &trusted).ip, Some(ip("203.0.113.9")));
        let split = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(client(Some(ip("10.0.0.2")), &split, &trusted).ip, Some(ip("203.0.113.9")));
        // No header, or an unreadable one: the proxy itself.
        for h in [headers(&[]), headers(&[("x-forwarded-for", "unknown")])] {
            assert_eq!(client(Some(ip("10.0.0.2")), &h, &trusted).ip, Some(ip("10.0.0.2")));
        }
        // Plain HTTP through the proxy, or a scheme the nearest proxy overrode.
        for proto in ["http", "https, http"] {
            let h = headers(&[("x-forwarded-proto", proto)]);
            assert!(!client(Some(ip("10.0.0.2")), &h, &trusted).https, "{proto}");
        }
    }
}
