// SPDX-License-Identifier: Apache-2.0
//! The checks and claims of a token exchange ([`super::derived_token`]): a presented token is
//! verified with the pool's keys, its user (or client) looked up again under the pool's lock,
//! and the derived token's claims built from it.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::model::{AppClient, PoolState};
use crate::service::{Pool, ServiceError, ServiceResult};

/// The scope of access tokens issued through the API: the user's own operations.
const SIGN_IN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The claims of a verified token.
pub type Claims = Map<String, Value>;

/// `TokenTypeIdentifierType`: what a presented token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TokenKind {
    AccessToken,
    IdToken,
    #[serde(rename = "SAML2")]
    Saml2,
}

/// `IssuedTokenTypeIdentifierType`: what the exchange issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IssuedKind {
    AccessToken,
    IdToken,
}

/// A token whose signature, issuer, use and expiry were checked; whose user still exists is
/// checked under the lock, by [`derived_claims`].
#[derive(Debug)]
pub struct Verified {
    pub claims: Claims,
    pub sub: String,
    /// The user's username; `None` for a client's own (client-credentials) token.
    pub username: Option<String>,
    pub scopes: Vec<String>,
    pub expires: i64,
}

/// What a token exchange asks for.
#[derive(Debug)]
pub struct Exchange<'a> {
    pub subject: &'a Verified,
    pub actor: Option<&'a Verified>,
    pub requested_scopes: Option<&'a [String]>,
    pub audience: Option<&'a String>,
    pub issued_kind: IssuedKind,
}

/// Checks a token with the pool's key for its kind (RSA work: call with no lock held).
pub fn verified_token(
    pool: &Pool,
    token: &str,
    kind: TokenKind,
    now: SystemTime,
) -> ServiceResult<Verified> {
    let (key, token_use) = match kind {
        TokenKind::AccessToken => (&pool.keys.access, "access"),
        TokenKind::IdToken => (&pool.keys.id, "id"),
        TokenKind::Saml2 => {
            return Err(ServiceError::invalid_parameter(
                "SAML 2.0 assertions cannot be exchanged here.",
            ));
        }
    };
    let invalid = || ServiceError::not_authorized(format!("Invalid {} token.", token_use));
    let claims = key.verify(token).map_err(|_| invalid())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let issuer = pool.lock().settings.issuer.clone();
    if text("token_use").as_deref() != Some(token_use) || text("iss") != Some(issuer) {
        return Err(invalid());
    }
    let expires = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid)?;
    if expires <= unix_seconds(now) {
        return Err(ServiceError::not_authorized(format!(
            "The {token_use} token has expired."
        )));
    }
    let sub = text("sub").ok_or_else(invalid)?;
    let username = text("username").or_else(|| text("cognito:username"));
    let scopes = text("scope")
        .map(|scope| {
            scope
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Verified {
        claims,
        sub,
        username,
        scopes,
        expires,
    })
}

/// The derived token's claims, how long it lasts and the scopes it carries.
pub fn derived_claims(
    state: &PoolState,
    client: &AppClient,
    exchange: &Exchange<'_>,
    now: SystemTime,
) -> ServiceResult<(Claims, u64, Vec<String>)> {
    let subject = exchange.subject;
    let username = subject.username.as_deref().ok_or_else(|| {
        ServiceError::invalid_parameter("The SubjectToken must be a user's token.")
    })?;
    check_still_valid(state, subject, username)?;
    if let Some(actor) = exchange.actor {
        check_actor(state, actor)?;
    }
    let scopes = granted_scopes(client, subject, exchange.requested_scopes)?;
    let validity = match exchange.issued_kind {
        IssuedKind::AccessToken => client.access_token_validity,
        IssuedKind::IdToken => client.id_token_validity,
    };
    let iat = unix_seconds(now);
    // A derived token never outlives the token it was derived from.
    let exp = (iat + (validity.0 * validity.1.seconds()) as i64).min(subject.expires);
    let mut claims = match exchange.issued_kind {
        IssuedKind::AccessToken => access_claims(subject, username, client, &scopes),
        IssuedKind::IdToken => id_claims(state, subject, username, client)?,
    };
    for (name, value) in [
        ("iss", json!(state.settings.issuer)),
        ("iat", json!(iat)),
        ("exp", json!(exp)),
        ("jti", json!(random::uuid())),
        ("event_id", json!(random::uuid())),
    ] {
        claims.insert(name.to_owned(), value);
    }
    if let Some(audience) = exchange.audience {
        claims.insert("aud".to_owned(), json!(audience));
    }
    if let Some(actor) = exchange.actor {
        claims.insert("act".to_owned(), json!({ "sub": actor.sub }));
    }
    Ok((claims, (exp - iat).max(0) as u64, scopes))
}

/// The subject's user still exists, is enabled, and its sign-in was not revoked.
fn check_still_valid(state: &PoolState, token: &Verified, username: &str) -> ServiceResult<()> {
    let user = state
        .user(username)
        .ok()
        .filter(|user| user.sub == token.sub)
        .ok_or_else(ServiceError::user_not_found)?;
    let origin = token.claims.get("origin_jti").and_then(Value::as_str);
    if user.revoked(origin, token.claims.get("iat")) {
        return Err(ServiceError::not_authorized("The token has been revoked."));
    }
    if !user.enabled {
        return Err(ServiceError::not_authorized("User is disabled."));
    }
    Ok(())
}

/// An actor is a user of the pool, or an app client of the pool with its own token.
fn check_actor(state: &PoolState, actor: &Verified) -> ServiceResult<()> {
    match actor.username.as_deref() {
        Some(username) => check_still_valid(state, actor, username),
        None => state.client(&actor.sub).map(|_| ()).map_err(|_| {
            ServiceError::not_authorized("The ActorToken's app client no longer exists.")
        }),
    }
}

/// The subject's scopes when none are asked for; otherwise those asked for that the subject
/// has and the client is allowed.
fn granted_scopes(
    client: &AppClient,
    subject: &Verified,
    requested: Option<&[String]>,
) -> ServiceResult<Vec<String>> {
    let Some(requested) = requested else {
        return Ok(subject.scopes.clone());
    };
    let allowed = |scope: &String| scope == SIGN_IN_SCOPE || client.oauth.scopes.contains(scope);
    let granted: Vec<String> = requested
        .iter()
        .filter(|scope| subject.scopes.contains(scope) && allowed(scope))
        .cloned()
        .collect();
    if granted.is_empty() {
        return Err(ServiceError::invalid_parameter(
            "None of the requested scopes is both in the SubjectToken and allowed for the client.",
        ));
    }
    Ok(granted)
}

fn access_claims(
    subject: &Verified,
    username: &str,
    client: &AppClient,
    scopes: &[String],
) -> Claims {
    let mut claims = Claims::new();
    for (name, value) in [
        ("sub", json!(subject.sub)),
        ("token_use", json!("access")),
        ("client_id", json!(client.id)),
        ("username", json!(username)),
        ("scope", json!(scopes.join(" "))),
    ] {
        claims.insert(name.to_owned(), value);
    }
    // The sign-in's: revoking it revokes what was derived from it too.
    for kept in ["origin_jti", "auth_time", "device_key"] {
        if let Some(value) = subject.claims.get(kept) {
            claims.insert(kept.to_owned(), value.clone());
        }
    }
    claims
}

/// An ID token of the subject's user, with the user's attributes as they are now.
fn id_claims(
    state: &PoolState,
    subject: &Verified,
    username: &str,
    client: &AppClient,
) -> ServiceResult<Claims> {
    let user = state.user(username)?;
    let mut claims = Claims::new();
    for (name, value) in &user.attributes {
        let value = match (name.ends_with("_verified"), value.as_str()) {
            (true, "true") => json!(true),
            (true, "false") => json!(false),
            _ => json!(value),
        };
        claims.insert(name.clone(), value);
    }
    for (name, value) in [
        ("sub", json!(subject.sub)),
        ("token_use", json!("id")),
        ("aud", json!(client.id)),
        ("cognito:username", json!(user.username)),
    ] {
        claims.insert(name.to_owned(), value);
    }
    for kept in ["origin_jti", "auth_time"] {
        if let Some(value) = subject.claims.get(kept) {
            claims.insert(kept.to_owned(), value.clone());
        }
    }
    Ok(claims)
}
