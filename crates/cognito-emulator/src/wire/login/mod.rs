// SPDX-License-Identifier: Apache-2.0
//! Managed login over HTTP: each user-pool domain's hosted pages and OAuth 2.0 endpoints.
//!
//! A domain is reached two ways, both served by the same handlers:
//! - by host, as on the service: `http://<prefix>.auth.localhost:<port>/login` (browsers send
//!   `*.localhost` to loopback), or a custom domain's own name pointed at the emulator;
//! - by path, for clients that resolve `*.localhost` to nothing (Node, the JVM):
//!   `<emulator URL>/_domains/<domain>/login`. The OpenID discovery document names these.
//!
//! [`route_by_host`] turns the first form into the second before routing, and tells the
//! handlers, through [`LoginBase`], the base the browser used, for the links, redirects and
//! cookies they write.

mod oauth;
mod pages;
mod style;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, Uri, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::service::Service;

/// Where the domain-scoped routes live: `/_domains/{domain}/...`.
pub const DOMAIN_ROUTES: &str = "/_domains/{domain}";
const DOMAIN_PATH_PREFIX: &str = "/_domains/";
/// The host suffix of prefix domains: `<prefix>.auth.localhost`.
const PREFIX_HOST_SUFFIX: &str = ".auth.localhost";

/// The routes of managed login: the domain-scoped ones, and those under a pool's issuer.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .nest(
            DOMAIN_ROUTES,
            oauth::domain_routes()
                .merge(pages::routes())
                .merge(style::routes()),
        )
        .merge(oauth::issuer_routes())
}

/// The URL a domain's pages are at, as the browser reached them, without a trailing slash:
/// `http://<prefix>.auth.localhost:<port>` or `<emulator URL>/_domains/<domain>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginBase {
    pub domain: String,
    pub url: String,
}

impl LoginBase {
    /// The path cookies of this base are scoped to.
    pub fn cookie_path(&self) -> String {
        match self.url.find("/_domains/") {
            Some(at) => format!("{}/", &self.url[at..]),
            None => "/".to_owned(),
        }
    }

    /// An absolute URL of one of the domain's endpoints: `endpoint` starts with `/`.
    pub fn url_of(&self, endpoint: &str) -> String {
        format!("{}{endpoint}", self.url)
    }
}

/// The base a request reached by path was meant for: the emulator's public URL when the
/// request came through it, else the host the client used.
fn path_base(service: &Service, host: Option<&str>, domain: &str) -> String {
    let public = service.public_url();
    let public_authority = public
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or_default());
    match host {
        Some(host) if public_authority != Some(host) => format!("http://{host}/_domains/{domain}"),
        _ => format!("{public}/_domains/{domain}"),
    }
}

/// Middleware before routing: a request for a domain's host is routed as its path form, and
/// every domain request gets its [`LoginBase`].
pub async fn route_by_host(
    State(service): State<Arc<Service>>,
    mut request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    if let Some(host) = host.as_deref()
        && let Some(domain) = domain_of_host(&service, host)
        && !request.uri().path().starts_with(DOMAIN_PATH_PREFIX)
    {
        let path_and_query = request
            .uri()
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        let Ok(uri) = format!("{DOMAIN_PATH_PREFIX}{domain}{path_and_query}").parse::<Uri>() else {
            return (StatusCode::BAD_REQUEST, "This URL cannot be read.").into_response();
        };
        *request.uri_mut() = uri;
        let url = format!("http://{host}");
        request.extensions_mut().insert(LoginBase { domain, url });
    } else if let Some(rest) = request.uri().path().strip_prefix(DOMAIN_PATH_PREFIX) {
        let domain = rest.split('/').next().unwrap_or_default().to_owned();
        let url = path_base(&service, host.as_deref(), &domain);
        request.extensions_mut().insert(LoginBase { domain, url });
    }
    next.run(request).await
}

/// The domain a `Host` header names: `<prefix>.auth.localhost[:port]`, or a custom domain
/// the emulator knows.
fn domain_of_host(service: &Service, host: &str) -> Option<String> {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    // The emulator's own address, the usual case: no domain to look up.
    if name.eq_ignore_ascii_case("localhost")
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok()
    {
        return None;
    }
    let name = name.to_ascii_lowercase();
    if let Some(prefix) = name.strip_suffix(PREFIX_HOST_SUFFIX) {
        return (!prefix.is_empty() && !prefix.contains('.')).then(|| prefix.to_owned());
    }
    (name.contains('.') && service.pool_of_domain(&name).is_some()).then_some(name)
}

/// Refusal of a request for a domain no pool has.
pub fn unknown_domain(domain: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("No user pool has the domain {domain:?}: create it with CreateUserPoolDomain.\n"),
    )
        .into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for LoginBase {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<LoginBase>().cloned().ok_or_else(|| {
            (StatusCode::NOT_FOUND, "Not a user-pool domain's URL.\n").into_response()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_of_a_path_base_are_scoped_to_its_domain() {
        let by_path = LoginBase {
            domain: "shop".into(),
            url: "http://127.0.0.1:9229/_domains/shop".into(),
        };
        assert_eq!(by_path.cookie_path(), "/_domains/shop/");
        let by_host = LoginBase {
            domain: "shop".into(),
            url: "http://shop.auth.localhost:9229".into(),
        };
        assert_eq!(by_host.cookie_path(), "/");
        assert_eq!(
            by_host.url_of("/login"),
            "http://shop.auth.localhost:9229/login"
        );
    }
}
