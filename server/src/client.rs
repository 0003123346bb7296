//! The client's address, for per-client limits (sign-in attempts, chart renders) and logs.
//!
//! Without configuration it is the TCP peer. Behind reverse proxies every request comes from a
//! proxy, so all visitors would share one limit; `KOERS_TRUSTED_PROXIES` lists the proxies'
//! addresses or networks, and for a request from one of them the client is read from
//! `X-Forwarded-For`, right to left, up to the first address that is not a trusted proxy. A
//! header from anyone else is ignored: a client cannot choose its own address.

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The variable that lists the trusted proxies.
pub const TRUSTED_PROXIES_VARIABLE: &str = "KOERS_TRUSTED_PROXIES";

/// Reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a list of addresses and networks separated by commas or spaces
    /// (`10.0.0.0/8, 127.0.0.1, ::1`); an empty list trusts nobody.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "{TRUSTED_PROXIES_VARIABLE}: {item:?} is not an IP address or network \
                             (expected e.g. 10.0.0.5, 10.0.0.0/8 or ::1)"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The client of a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match hop.parse::<IpAddr>() {
                Ok(addr) => client = addr,
                // Garbage in the chain: the last address a trusted proxy vouched for stands.
                Err(_) => break,
            }
        }
        client
    }
}

/// The client's address as [`TrustedProxies::client`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Finds each request's client once, for every handler and layer after it.
pub async fn layer(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let client = trusted.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self::of(&parts.extensions))
    }
}

impl ClientAddr {
    /// The client recorded by [`layer`] (the peer when the layer did not run).
    pub fn of(extensions: &axum::http::Extensions) -> Self {
        extensions.get::<ClientAddr>().copied().unwrap_or_else(|| {
            Self(
                extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &headers(&["1.2.3.4"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_client_counts() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["198.51.100.7"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_client_cannot_choose_its_address_by_sending_the_header_itself() {
        // The client wrote "1.2.3.4"; the proxy appended the address it saw.
        let proxies = TrustedProxies::parse("10.0.0.2").unwrap();
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["1.2.3.4, 198.51.100.7"])),
            ip("198.51.100.7")
        );
        // A request straight from the client, header and all, is the client's.
        assert_eq!(
            proxies.client(ip("198.51.100.7"), &headers(&["1.2.3.4"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn chains_of_trusted_proxies_and_repeated_headers_are_walked_right_to_left() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1 ::1").unwrap();
        let chain = headers(&["1.2.3.4, 198.51.100.7", "192.168.1.1"]);
        assert_eq!(proxies.client(ip("::1"), &chain), ip("198.51.100.7"));
        // Garbage stops the walk at the last address vouched for.
        let junk = headers(&["198.51.100.7, unknown"]);
        assert_eq!(proxies.client(ip("10.0.0.2"), &junk), ip("10.0.0.2"));
    }

    #[test]
    fn a_bad_entry_is_named() {
        let err = TrustedProxies::parse("10.0.0.0/8, proxy.internal").unwrap_err();
        assert!(err.contains("\"proxy.internal\""), "{err}");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
