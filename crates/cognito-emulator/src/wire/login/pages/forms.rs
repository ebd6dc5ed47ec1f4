// SPDX-License-Identifier: Apache-2.0
//! What the pages read from a request and write back besides HTML: the authorize query they
//! carry from page to page, posted forms with their CSRF token, cookies, URL encoding.

use std::collections::HashMap;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, HeaderValue, Uri, header};

use super::super::LoginBase;
use crate::crypto::random;
use crate::service::login::{AuthorizeRequest, DeviceCookie};

/// The managed-login session cookie.
pub const SESSION_COOKIE: &str = "cognito";
/// The CSRF token cookie; every form posts the same value back in [`CSRF_FIELD`].
pub const CSRF_COOKIE: &str = "XSRF-TOKEN";
pub const CSRF_FIELD: &str = "_csrf";
/// The browser's remembered device: `<device key>:<device password>`.
pub const DEVICE_COOKIE: &str = "cognito-device";
/// A remembered device stays until it is forgotten; the cookie, five years.
const DEVICE_COOKIE_SECONDS: u64 = 5 * 365 * 24 * 60 * 60;

/// The authorize request of a page's URL, and the same as a query to carry on.
#[derive(Debug, Clone)]
pub struct Carried {
    pub request: AuthorizeRequest,
    pub query: String,
}

/// Reads the authorize request from a page's query. A password in the URL is refused: it
/// would be kept in histories and logs.
pub fn carried(uri: &Uri) -> Result<Carried, String> {
    let pairs = query_pairs(uri.query().unwrap_or_default());
    if pairs
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("password"))
    {
        return Err(
            "A password must never be sent in a URL: this request is refused. \
             Sign in with the form."
                .to_owned(),
        );
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(found, _)| found == name)
            .map(|(_, value)| value.clone())
    };
    let request = AuthorizeRequest {
        response_type: get("response_type"),
        client_id: get("client_id"),
        redirect_uri: get("redirect_uri"),
        scope: get("scope"),
        state: get("state"),
        nonce: get("nonce"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
        identity_provider: get("identity_provider"),
        lang: get("lang"),
    };
    let query = authorize_query(&request);
    Ok(Carried { request, query })
}

/// The authorize request as a query: only the parameters the pages know, so nothing else a
/// URL carried travels on.
pub fn authorize_query(request: &AuthorizeRequest) -> String {
    let fields = [
        ("response_type", &request.response_type),
        ("client_id", &request.client_id),
        ("redirect_uri", &request.redirect_uri),
        ("scope", &request.scope),
        ("state", &request.state),
        ("nonce", &request.nonce),
        ("code_challenge", &request.code_challenge),
        ("code_challenge_method", &request.code_challenge_method),
        ("identity_provider", &request.identity_provider),
        ("lang", &request.lang),
    ];
    let present = fields
        .iter()
        .filter_map(|(name, value)| value.as_deref().map(|value| (*name, value)));
    encode_pairs(present)
}

/// `name=value&...`, each part percent-encoded.
pub fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The pairs of a query string or form body, `+` and `%XX` decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let hex = |byte: u8| (byte as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = match bytes.get(at..at + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)),
            _ => None,
        };
        match (bytes[at], escaped) {
            (_, Some((high, low))) => {
                out.push((high * 16 + low) as u8);
                at += 2;
            }
            (b'+', None) => out.push(b' '),
            (other, None) => out.push(other),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A posted form: its fields, once its CSRF token matched the browser's cookie.
pub struct Posted(HashMap<String, String>);

impl Posted {
    /// Reads a form and checks its CSRF token against the cookie.
    pub fn read(
        headers: &HeaderMap,
        form: Result<Form<HashMap<String, String>>, FormRejection>,
    ) -> Result<Self, String> {
        let Ok(Form(fields)) = form else {
            return Err("This form could not be read: send it from the page.".to_owned());
        };
        let sent = fields.get(CSRF_FIELD).map(String::as_bytes);
        let expected = cookie(headers, CSRF_COOKIE);
        let matches = match (sent, expected.as_deref()) {
            (Some(sent), Some(expected)) if !expected.is_empty() => {
                aws_lc_rs::constant_time::verify_slices_are_equal(sent, expected.as_bytes()).is_ok()
            }
            _ => false,
        };
        if !matches {
            return Err("This form has expired or did not come from this page: \
                 reload the page and try again."
                .to_owned());
        }
        Ok(Self(fields))
    }

    /// A field's value; an absent field is empty.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    pub fn is_checked(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "yes")
    }
}

/// A cookie the browser sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_owned())
}

/// The browser's CSRF token, or a new one (to set with [`set_cookie`]).
pub fn csrf_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, CSRF_COOKIE).filter(|token| !token.is_empty()) {
        Some(token) => (token, false),
        None => (random::opaque::<32>(), true),
    }
}

/// The device cookie the browser sent, if it reads as one.
pub fn device_cookie(headers: &HeaderMap) -> Option<DeviceCookie> {
    let value = cookie(headers, DEVICE_COOKIE)?;
    let (key, password) = value.split_once(':')?;
    Some(DeviceCookie {
        key: key.to_owned(),
        password: password.to_owned().into(),
    })
}

/// A `Set-Cookie` for the domain's pages: HttpOnly, SameSite=Lax, on the base's path.
/// `max_age` `None` lasts the browser session; `Some(0)` clears it.
pub fn set_cookie(base: &LoginBase, name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let mut cookie = format!(
        "{name}={value}; Path={}; HttpOnly; SameSite=Lax",
        base.cookie_path()
    );
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The device cookie for a device just remembered.
pub fn set_device_cookie(base: &LoginBase, device: &DeviceCookie) -> HeaderValue {
    let value = format!("{}:{}", device.key, device.password.as_str());
    set_cookie(base, DEVICE_COOKIE, &value, Some(DEVICE_COOKIE_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_and_encode_back() {
        let pairs = query_pairs("scope=openid+email&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&x");
        assert_eq!(pairs[0], ("scope".into(), "openid email".into()));
        assert_eq!(pairs[1].1, "http://localhost/cb");
        assert_eq!(pairs[2], ("x".into(), String::new()));
        assert_eq!(encode("a b/c~"), "a%20b%2Fc~");
        assert_eq!(query_pairs("a=%zz%4")[0].1, "%zz%4");
    }
}
