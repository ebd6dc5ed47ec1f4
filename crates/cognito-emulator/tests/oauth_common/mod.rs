// SPDX-License-Identifier: Apache-2.0
//! What the OAuth 2.0 endpoint tests share: a pool with a domain and an OAuth app client, a
//! user, authorization codes issued as the hosted pages would, form posts on 127.0.0.1, and
//! ID tokens checked with `jsonwebtoken`, an implementation other than the emulator's.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, OAuthFlowType, ResourceServerScopeType,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_emulator::testing::{self, AuthorizationGrant, PkceChallenge};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::common::{self, Harness, HttpAnswer, PASSWORD, attribute};

pub const DOMAIN: &str = "shop";
pub const CALLBACK: &str = "https://app.example.com/callback";
/// RFC 7636 appendix B's verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const S256_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A pool with the domain [`DOMAIN`] and an app client for the authorization code grant.
#[derive(Debug, Clone)]
pub struct OAuthPool {
    pub id: String,
    pub client_id: String,
    pub secret: Option<String>,
}

pub async fn oauth_pool(harness: &Harness, with_secret: bool) -> OAuthPool {
    let id = harness
        .client
        .create_user_pool()
        .pool_name("oauth")
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&id)
        .domain(DOMAIN)
        .send()
        .await
        .expect("CreateUserPoolDomain");
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("web")
        .generate_secret(with_secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .set_allowed_o_auth_scopes(Some(
            [
                "openid",
                "email",
                "phone",
                "profile",
                "aws.cognito.signin.user.admin",
            ]
            .map(String::from)
            .to_vec(),
        ))
        .callback_urls(CALLBACK)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    OAuthPool {
        id,
        client_id: client.client_id.unwrap(),
        secret: client.client_secret,
    }
}

/// A confirmed user with a permanent password, an email, a phone number and a name; its `sub`.
pub async fn user(harness: &Harness, pool: &OAuthPool, username: &str) -> String {
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .user_attributes(attribute("email", &format!("{username}@example.com")))
        .user_attributes(attribute("email_verified", "true"))
        .user_attributes(attribute("phone_number", "+15555550100"))
        .user_attributes(attribute("name", "Alice Liddell"))
        .message_action("SUPPRESS".into())
        .send()
        .await
        .expect("AdminCreateUser");
    harness
        .client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminGetUser")
        .user_attributes
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.name == "sub")
        .and_then(|a| a.value)
        .expect("a sub")
}

/// What an authorize request asked for.
#[derive(Debug, Clone)]
pub struct Authorize {
    pub scopes: Vec<&'static str>,
    pub pkce: Option<PkceChallenge>,
    pub nonce: Option<String>,
    pub redirect_uri: String,
}

impl Default for Authorize {
    fn default() -> Self {
        Self {
            scopes: vec!["openid", "email"],
            pkce: Some(PkceChallenge::S256(S256_CHALLENGE.to_owned())),
            nonce: Some("n-0S6_WzA2Mj".to_owned()),
            redirect_uri: CALLBACK.to_owned(),
        }
    }
}

/// A code for the user's sign-in, issued as the hosted pages issue it.
pub fn code_for(
    harness: &Harness,
    pool: &OAuthPool,
    username: &str,
    sub: &str,
    authorize: &Authorize,
) -> String {
    let grant = AuthorizationGrant {
        client_id: pool.client_id.clone(),
        user_key: username.to_owned(),
        sub: sub.to_owned(),
        redirect_uri: authorize.redirect_uri.clone(),
        scopes: authorize.scopes.iter().map(|s| (*s).to_owned()).collect(),
        nonce: authorize.nonce.clone(),
        pkce: authorize.pkce.clone(),
        authenticated_at: SystemTime::now(),
        device_key: None,
    };
    testing::service(&harness.emulator)
        .issue_authorization_code(DOMAIN, grant)
        .expect("the domain has a pool")
}

/// `application/x-www-form-urlencoded`, every byte but the unreserved ones escaped.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `Authorization: Basic base64(id:secret)`, with each half as given.
pub fn basic(client_id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{client_id}:{secret}")))
}

/// POSTs a form to one of the domain's endpoints, by the path form of the domain.
pub async fn post_form(
    harness: &Harness,
    endpoint: &str,
    authorization: Option<&str>,
    body: &str,
) -> HttpAnswer {
    let path = format!("/_domains/{DOMAIN}{endpoint}");
    let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
    if let Some(authorization) = authorization {
        headers.push(("Authorization", authorization));
    }
    common::http_answer(harness.emulator.url(), "POST", &path, &headers, body).await
}

/// The token endpoint's answer to a form: (status, JSON).
pub async fn token_request(
    harness: &Harness,
    authorization: Option<&str>,
    pairs: &[(&str, &str)],
) -> (u16, Value) {
    let answer = post_form(harness, "/oauth2/token", authorization, &form(pairs)).await;
    let json = serde_json::from_str(&answer.body).unwrap_or(Value::String(answer.body));
    (answer.status, json)
}

/// The code exchange of a public client, with RFC 7636's verifier.
pub async fn exchange(harness: &Harness, pool: &OAuthPool, code: &str) -> (u16, Value) {
    token_request(
        harness,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &pool.client_id),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// Tokens for a new sign-in of the user with these scopes (public client, S256).
pub async fn tokens(
    harness: &Harness,
    pool: &OAuthPool,
    username: &str,
    sub: &str,
    scopes: Vec<&'static str>,
) -> Value {
    let authorize = Authorize {
        scopes,
        ..Authorize::default()
    };
    let code = code_for(harness, pool, username, sub, &authorize);
    let (status, answer) = exchange(harness, pool, &code).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// A token's claims, after `jsonwebtoken` checked its signature against the pool's JWKS, its
/// expiry, issuer and (for ID tokens) audience.
pub async fn checked_claims(
    harness: &Harness,
    pool: &OAuthPool,
    token: &str,
    audience: Option<&str>,
) -> serde_json::Map<String, Value> {
    let path = format!("/{}/.well-known/jwks.json", pool.id);
    let (status, body) = harness.http_get(&path).await;
    assert_eq!(status, 200);
    let jwks: JwkSet = serde_json::from_str(&body).unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("the token's kid is in the JWKS");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{}", harness.emulator.url(), pool.id)]);
    match audience {
        Some(audience) => validation.set_audience(&[audience]),
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<serde_json::Map<String, Value>>(token, &key, &validation)
        .expect("the token verifies")
        .claims
}

/// A resource server `api` with scopes `read` and `write`, and a confidential app client for
/// the client credentials grant allowed `api/read` (and `api/write` when `write`).
pub async fn machine_client(harness: &Harness, pool: &OAuthPool, write: bool) -> (String, String) {
    let scope = |name: &str| {
        ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(name)
            .build()
            .unwrap()
    };
    harness
        .client
        .create_resource_server()
        .user_pool_id(&pool.id)
        .identifier("api")
        .name("API")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .expect("CreateResourceServer");
    let mut scopes = vec!["api/read".to_owned()];
    if write {
        scopes.push("api/write".to_owned());
    }
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("machine")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .set_allowed_o_auth_scopes(Some(scopes))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    (client.client_id.unwrap(), client.client_secret.unwrap())
}

/// The claims of a JWT, unchecked: for tokens already checked, or checked otherwise.
pub fn claims_of(token: &str) -> Value {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}
