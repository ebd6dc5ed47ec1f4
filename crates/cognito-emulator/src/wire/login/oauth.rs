// SPDX-License-Identifier: Apache-2.0
//! The OAuth 2.0 / OpenID Connect endpoints: `/oauth2/token`, `/oauth2/userInfo`,
//! `/oauth2/revoke` on the domain, and the discovery document under the pool's issuer.
//!
//! Only HTTP happens here: the form body and the Authorization header are read, the service
//! answers, and its [`OAuthError`]s become RFC 6749's JSON errors with their statuses.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::{LoginBase, unknown_domain};
use crate::service::Service;
use crate::service::oauth::{
    BasicCredentials, ClientCredentials, OAuthError, OAuthErrorKind, TokenRequest,
};

const FORM: &str = "application/x-www-form-urlencoded";

/// The routes under `/_domains/{domain}`.
pub fn domain_routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/oauth2/token", post(token))
        .route("/oauth2/userInfo", get(user_info).post(user_info))
        .route("/oauth2/revoke", post(revoke))
}

/// The routes under a pool's issuer (`/<pool id>/...`).
pub fn issuer_routes() -> Router<Arc<Service>> {
    Router::new().route(
        "/{pool_id}/.well-known/openid-configuration",
        get(openid_configuration),
    )
}

async fn token(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if service.pool_of_domain(&base.domain).is_none() {
        return unknown_domain(&base.domain);
    }
    let request = match token_request(&headers, &body) {
        Ok(request) => request,
        Err(error) => return error_answer(&error, headers_sent_basic(&headers)),
    };
    let used_basic = request.credentials.used_basic();
    // Signing tokens is RSA work: off the async threads, no more at once than CPUs.
    let permit = crate::wire::heavy_work_permits().acquire().await;
    let worker = Arc::clone(&service);
    let outcome =
        tokio::task::spawn_blocking(move || worker.oauth_token(&base.domain, request)).await;
    drop(permit);
    let outcome = outcome.unwrap_or_else(|_| Err(server_error("An internal error occurred.")));
    match synced(&service, outcome).await {
        Ok(answer) => no_store(StatusCode::OK, json!(answer)),
        Err(error) => error_answer(&error, used_basic),
    }
}

async fn user_info(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    headers: HeaderMap,
) -> Response {
    if service.pool_of_domain(&base.domain).is_none() {
        return unknown_domain(&base.domain);
    }
    let Some(token) = bearer_token(&headers) else {
        let error = OAuthError::invalid_request(
            "Send the access token of a token-endpoint sign-in as Authorization: Bearer <token>.",
        );
        return bearer_error(StatusCode::BAD_REQUEST, &error);
    };
    match service.oauth_user_info(&base.domain, &token) {
        Ok(claims) => no_store(StatusCode::OK, Value::Object(claims)),
        Err(error) if error.kind == OAuthErrorKind::InvalidToken => {
            bearer_error(StatusCode::UNAUTHORIZED, &error)
        }
        Err(error) => error_answer(&error, false),
    }
}

async fn revoke(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if service.pool_of_domain(&base.domain).is_none() {
        return unknown_domain(&base.domain);
    }
    let used_basic = headers_sent_basic(&headers);
    let read = form(&headers, &body).and_then(|mut params| {
        let credentials = client_credentials(&headers, &mut params)?;
        let token = take(&mut params, "token").map(Zeroizing::new);
        Ok((credentials, token))
    });
    let outcome = match read {
        Ok((credentials, token)) => service.oauth_revoke(&base.domain, &credentials, token),
        Err(error) => Err(error),
    };
    match synced(&service, outcome).await {
        // RFC 7009 2.2, and the service: success is a 200 with an empty body.
        Ok(()) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")]).into_response(),
        Err(error) => error_answer(&error, used_basic),
    }
}

async fn openid_configuration(
    State(service): State<Arc<Service>>,
    Path(pool_id): Path<String>,
) -> Response {
    match service.openid_configuration(&pool_id) {
        Ok(document) => axum::Json(document).into_response(),
        Err(error) => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": error.message })),
        )
            .into_response(),
    }
}

/// A change the request made is saved before it is answered, as for the API.
async fn synced<T>(service: &Service, outcome: Result<T, OAuthError>) -> Result<T, OAuthError> {
    match service.synced().await {
        Ok(()) => outcome,
        Err(error) => Err(server_error(&error.message)),
    }
}

fn server_error(message: &str) -> OAuthError {
    OAuthError::new(OAuthErrorKind::ServerError, message)
}

fn token_request(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, OAuthError> {
    let mut params = form(headers, body)?;
    let credentials = client_credentials(headers, &mut params)?;
    Ok(TokenRequest {
        grant_type: take(&mut params, "grant_type"),
        code: take(&mut params, "code").map(Zeroizing::new),
        redirect_uri: take(&mut params, "redirect_uri"),
        code_verifier: take(&mut params, "code_verifier").map(Zeroizing::new),
        refresh_token: take(&mut params, "refresh_token").map(Zeroizing::new),
        scope: take(&mut params, "scope"),
        credentials,
    })
}

/// The body's parameters. RFC 6749 3.2: form-encoded, and no parameter twice.
fn form(headers: &HeaderMap, body: &[u8]) -> Result<Vec<(String, String)>, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case(FORM) {
        return Err(OAuthError::invalid_request(format!(
            "Send the parameters as Content-Type: {FORM}."
        )));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(body) {
        if params.iter().any(|(seen, _)| *seen == name) {
            return Err(OAuthError::invalid_request(format!(
                "The parameter {name} was sent more than once."
            )));
        }
        params.push((name.into_owned(), value.into_owned()));
    }
    Ok(params)
}

/// Takes a parameter out of the list, so that its value is dropped with the request.
fn take(params: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let at = params.iter().position(|(found, _)| found == name)?;
    Some(params.swap_remove(at).1)
}

/// The client's credentials: the Authorization header's, and the body's.
fn client_credentials(
    headers: &HeaderMap,
    params: &mut Vec<(String, String)>,
) -> Result<ClientCredentials, OAuthError> {
    Ok(ClientCredentials {
        basic: basic_credentials(headers)?,
        body_client_id: take(params, "client_id"),
        body_secret: take(params, "client_secret").map(Zeroizing::new),
    })
}

fn headers_sent_basic(headers: &HeaderMap) -> bool {
    authorization(headers, "Basic").is_some()
}

/// The credentials of `Authorization: Basic base64(client_id:client_secret)`, each half
/// form-decoded (RFC 6749 2.3.1). Another scheme is not client authentication: it is left be.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<BasicCredentials>, OAuthError> {
    let Some(encoded) = authorization(headers, "Basic") else {
        return Ok(None);
    };
    let malformed = || {
        OAuthError::invalid_client(
            "The Authorization header is not Basic base64(client_id:client_secret).",
        )
    };
    let decoded = Zeroizing::new(STANDARD.decode(encoded.trim()).map_err(|_| malformed())?);
    let text = std::str::from_utf8(&decoded).map_err(|_| malformed())?;
    let (client_id, secret) = text.split_once(':').ok_or_else(malformed)?;
    Ok(Some(BasicCredentials {
        client_id: form_decoded(client_id),
        secret: Zeroizing::new(form_decoded(secret)),
        secret_as_sent: Zeroizing::new(secret.to_owned()),
    }))
}

/// One value decoded as `application/x-www-form-urlencoded` (`+` is a space, `%XX` a byte).
/// A `%` not followed by two hex digits is kept as it is, as browsers do.
fn form_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let hex = |at: usize| {
        bytes
            .get(at)
            .and_then(|b| char::from(*b).to_digit(16))
            .map(|digit| digit as u8)
    };
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match (bytes[at], hex(at + 1), hex(at + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push(high << 4 | low);
                at += 3;
            }
            (b'+', _, _) => {
                decoded.push(b' ');
                at += 1;
            }
            (byte, _, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The credentials of an Authorization header of `scheme` (compared case-insensitively).
fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (sent_scheme, credentials) = value.split_once(' ')?;
    sent_scheme
        .eq_ignore_ascii_case(scheme)
        .then_some(credentials.trim())
}

fn bearer_token(headers: &HeaderMap) -> Option<Zeroizing<String>> {
    authorization(headers, "Bearer")
        .filter(|token| !token.is_empty())
        .map(|token| Zeroizing::new(token.to_owned()))
}

fn status_of(kind: OAuthErrorKind) -> StatusCode {
    match kind {
        OAuthErrorKind::InvalidClient | OAuthErrorKind::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthErrorKind::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// RFC 6749 5.2's answer. A refused client is told, with the 401, the scheme it may use.
fn error_answer(error: &OAuthError, used_basic: bool) -> Response {
    let status = status_of(error.kind);
    tracing::info!(
        error = error.kind.code(),
        description = %error.description,
        "OAuth 2.0 request refused"
    );
    let body = json!({ "error": error.kind.code(), "error_description": error.description });
    let mut response = no_store(status, body);
    if error.kind == OAuthErrorKind::InvalidClient {
        let challenge = if used_basic {
            r#"Basic realm="oauth2", error="invalid_client""#
        } else {
            r#"Basic realm="oauth2""#
        };
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
    }
    response
}

/// RFC 6750 3's answer: the error in the WWW-Authenticate header, and in the body.
fn bearer_error(status: StatusCode, error: &OAuthError) -> Response {
    let description: String = error
        .description
        .chars()
        .map(|c| if c == '"' || c == '\\' { '\'' } else { c })
        .collect();
    let challenge = format!(
        r#"Bearer error="{}", error_description="{description}""#,
        error.kind.code()
    );
    let mut response = error_answer(error, false);
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// A JSON answer that no cache keeps: it holds tokens or speaks of them (RFC 6749 5.1).
fn no_store(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_basic(credentials: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(credentials));
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn basic_halves_are_form_decoded_and_the_secret_kept_as_sent() {
        let basic = basic_credentials(&with_basic("my%2Bclient:a%2Bb+c%3Ad"))
            .unwrap()
            .unwrap();
        assert_eq!(basic.client_id, "my+client");
        assert_eq!(basic.secret.as_str(), "a+b c:d");
        assert_eq!(basic.secret_as_sent.as_str(), "a%2Bb+c%3Ad");
    }

    #[test]
    fn a_basic_header_without_a_colon_is_refused_as_invalid_client() {
        let error = basic_credentials(&with_basic("no-colon")).unwrap_err();
        assert_eq!(error.kind, OAuthErrorKind::InvalidClient);
    }

    #[test]
    fn a_repeated_parameter_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(FORM));
        let error = form(&headers, b"code=a&code=b").unwrap_err();
        assert_eq!(error.kind, OAuthErrorKind::InvalidRequest);
        let mut params = form(&headers, b"grant_type=refresh_token&scope=a+b").unwrap();
        assert_eq!(take(&mut params, "scope").as_deref(), Some("a b"));
    }
}
