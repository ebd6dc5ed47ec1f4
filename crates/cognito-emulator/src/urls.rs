// SPDX-License-Identifier: Apache-2.0
//! The emulator's URLs: the one to connect to, the public one that new pools' issuers are
//! named after (`--public-url`), and the listen address that issuers were named after before
//! each pool kept its own.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a public URL cannot be the base of issuers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPublicUrl {
    url: String,
    reason: &'static str,
}

impl fmt::Display for InvalidPublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid public URL {:?}: {}", self.url, self.reason)
    }
}

impl std::error::Error for InvalidPublicUrl {}

/// Checks a public URL and returns it without trailing slashes, ready for `/<pool id>`.
pub fn parse_public_url(text: &str) -> Result<String, InvalidPublicUrl> {
    let invalid = |reason| InvalidPublicUrl {
        url: text.to_owned(),
        reason,
    };
    let after_scheme = ["http://", "https://"]
        .iter()
        .find_map(|scheme| strip_prefix_ignoring_case(text, scheme))
        .ok_or_else(|| invalid("it must start with http:// or https://"))?;
    let rest = after_scheme.trim_end_matches('/');
    let base = &text[..text.len() - (after_scheme.len() - rest.len())];
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("it must not contain spaces or control characters"));
    }
    // Clients append `/.well-known/jwks.json` to the issuer: a query or fragment would end up
    // in front of it.
    if rest.contains(['?', '#']) {
        return Err(invalid("it must not have a query (?) or a fragment (#)"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid("it must not contain a user name or password"));
    }
    check_authority(authority).map_err(invalid)?;
    Ok(base.to_owned())
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn check_authority(authority: &str) -> Result<(), &'static str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (v6, after) = bracketed
                .split_once(']')
                .ok_or("its IPv6 host has no closing ]")?;
            v6.parse::<Ipv6Addr>()
                .map_err(|_| "its host in brackets is not an IPv6 address")?;
            let port = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or("its host is followed by junk")?,
                ),
            };
            (v6, port)
        }
        None if authority.matches(':').count() > 1 => {
            return Err("its IPv6 host must be in brackets: http://[::1]:9229");
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err("it has no host");
    }
    let host_name_characters = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    if !authority.starts_with('[') && !host.chars().all(host_name_characters) {
        return Err("its host has characters a host name cannot have");
    }
    match port.map(str::parse::<u16>) {
        None | Some(Ok(1..)) => Ok(()),
        Some(_) => Err("its port is not a number from 1 to 65535"),
    }
}

/// Where a client on this machine connects: the listen address, with loopback in place of
/// an unspecified one (0.0.0.0, ::), which is no address to connect to.
pub fn connect_url(listening: SocketAddr) -> String {
    let ip = match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    listen_url(SocketAddr::new(ip, listening.port()))
}

/// `http://<address>`, unspecified or not: what issuers were named after before each pool
/// kept its own.
pub fn listen_url(listening: SocketAddr) -> String {
    match listening {
        SocketAddr::V6(v6) => format!("http://[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => format!("http://{v4}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_loses_its_trailing_slashes_and_keeps_the_rest() {
        for (given, kept) in [
            ("http://cognito.test:9229", "http://cognito.test:9229"),
            ("https://auth.example.com/", "https://auth.example.com"),
            ("http://localhost:9229//", "http://localhost:9229"),
            (
                "https://proxy.example/cognito/",
                "https://proxy.example/cognito",
            ),
            ("HTTP://10.0.0.7:80", "HTTP://10.0.0.7:80"),
            ("http://[::1]:9229", "http://[::1]:9229"),
            ("http://[fd00::7]", "http://[fd00::7]"),
            (
                "http://cognito_emulator:9229",
                "http://cognito_emulator:9229",
            ),
        ] {
            assert_eq!(parse_public_url(given).as_deref(), Ok(kept), "{given}");
        }
    }

    #[test]
    fn a_public_url_that_cannot_be_an_issuer_is_refused_with_the_reason() {
        for (given, reason) in [
            (
                "cognito.test:9229",
                "it must start with http:// or https://",
            ),
            (
                "ftp://cognito.test",
                "it must start with http:// or https://",
            ),
            ("", "it must start with http:// or https://"),
            ("http://", "it has no host"),
            ("http:///pools", "it has no host"),
            ("http://:9229", "it has no host"),
            (
                "http://cognito.test/?a=b",
                "it must not have a query (?) or a fragment (#)",
            ),
            (
                "http://cognito.test#top",
                "it must not have a query (?) or a fragment (#)",
            ),
            (
                "http://cognito .test",
                "it must not contain spaces or control characters",
            ),
            (
                "http://user:pw@cognito.test",
                "it must not contain a user name or password",
            ),
            (
                "http://cognito.test:http",
                "its port is not a number from 1 to 65535",
            ),
            (
                "http://cognito.test:0",
                "its port is not a number from 1 to 65535",
            ),
            (
                "http://cognito.test:65536",
                "its port is not a number from 1 to 65535",
            ),
            (
                "http://cognito.test:",
                "its port is not a number from 1 to 65535",
            ),
            ("http://[::1", "its IPv6 host has no closing ]"),
            (
                "http://[cognito]:9229",
                "its host in brackets is not an IPv6 address",
            ),
            ("http://[::1]9229", "its host is followed by junk"),
            (
                "http://::1:9229",
                "its IPv6 host must be in brackets: http://[::1]:9229",
            ),
            (
                "http://cögnito.test",
                "its host has characters a host name cannot have",
            ),
        ] {
            let error = parse_public_url(given).expect_err(given);
            assert_eq!(error.reason, reason, "{given}");
            assert_eq!(
                error.to_string(),
                format!("invalid public URL {given:?}: {reason}")
            );
        }
    }

    #[test]
    fn an_unspecified_listen_address_is_connected_to_on_loopback() {
        let url = |address: &str| connect_url(address.parse().unwrap());
        assert_eq!(url("0.0.0.0:9229"), "http://127.0.0.1:9229");
        assert_eq!(url("[::]:9229"), "http://[::1]:9229");
        assert_eq!(url("127.0.0.1:9229"), "http://127.0.0.1:9229");
        assert_eq!(url("192.168.1.20:80"), "http://192.168.1.20:80");
        assert_eq!(url("[fd00::7]:9229"), "http://[fd00::7]:9229");
    }

    #[test]
    fn the_listen_url_is_the_address_as_it_is() {
        let url = |address: &str| listen_url(address.parse().unwrap());
        assert_eq!(url("0.0.0.0:9229"), "http://0.0.0.0:9229");
        assert_eq!(url("[::]:9229"), "http://[::]:9229");
    }
}
