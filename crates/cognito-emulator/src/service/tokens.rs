// SPDX-License-Identifier: Apache-2.0
//! Issuing ID, access and refresh tokens at the end of a sign-in, and checking the access
//! tokens that token-authorised operations take.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::clock::unix_seconds;
use super::model::{AppClient, Device, PoolState, RefreshGrant, TokenUnit, User};
use super::schema;
use super::{Pool, Service, ServiceError, ServiceResult};
use crate::crypto::random;
use crate::crypto::tokens::TokenError;

const SCOPE: &str = "aws.cognito.signin.user.admin";

/// Everything a finished sign-in needs signed, gathered under the pool's lock so that the RSA
/// work can happen after it is released.
#[derive(Debug)]
pub(crate) struct TokenGrant {
    pub id_claims: Value,
    pub access_claims: Value,
    pub expires_in: u64,
    pub refresh_token: Option<String>,
    pub new_device: Option<(String, String)>,
    /// An OAuth 2.0 grant: the ID token gets the access token's `at_hash` once it is signed.
    pub at_hash: bool,
}

/// What a valid access token says.
#[derive(Debug, Clone)]
pub(crate) struct AccessClaims {
    pub sub: String,
    /// The app client the token was issued to: what it may read and write is its own.
    pub client_id: String,
    /// Its `scope` claim: `aws.cognito.signin.user.admin` for API sign-ins, what was granted
    /// for the token endpoint's.
    pub scopes: Vec<String>,
}

impl PoolState {
    /// The user an access token speaks for, looked up again under this lock: a user deleted
    /// since the token was checked, or replaced by another of the same name, is not there.
    pub(crate) fn token_user(&self, claims: &AccessClaims) -> ServiceResult<&User> {
        self.user_by_sub(&claims.sub).ok_or_else(revoked_token)
    }

    pub(crate) fn token_user_mut(&mut self, claims: &AccessClaims) -> ServiceResult<&mut User> {
        self.user_by_sub_mut(&claims.sub).ok_or_else(revoked_token)
    }
}

fn revoked_token() -> ServiceError {
    ServiceError::not_authorized("Access Token has been revoked")
}

/// How a sign-in ended, for the tokens it earns.
#[derive(Debug)]
pub(crate) struct SignedIn<'a> {
    pub user_key: &'a str,
    pub client_id: &'a str,
    pub device_key: Option<String>,
    pub auth_time: i64,
    /// Set on refresh: the tokens keep the original sign-in's `origin_jti`.
    pub origin_jti: Option<String>,
    pub issue_refresh_token: bool,
    pub offer_new_device: bool,
    /// The scopes an OAuth 2.0 grant (managed login) gave; `None` for an API sign-in, whose
    /// access token has `aws.cognito.signin.user.admin`. Refresh grants keep them.
    pub scopes: Option<Vec<String>>,
    /// The authorize request's `nonce`, for the ID token.
    pub nonce: Option<String>,
}

fn validity_seconds(validity: (u64, TokenUnit)) -> u64 {
    validity.0 * validity.1.seconds()
}

/// `AuthenticationResultType`: the tokens a finished sign-in earns.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub expires_in: u64,
    pub token_type: &'static str,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// `NewDeviceMetadataType`: a device the sign-in came from, for ConfirmDevice to confirm.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

/// What the two tokens of one sign-in share.
struct TokenBasis<'a> {
    sub: &'a str,
    username: &'a str,
    issuer: &'a str,
    client_id: &'a str,
    origin_jti: &'a str,
    event_id: String,
    auth_time: i64,
    iat: i64,
}

impl Service {
    /// Claims for both tokens, a refresh grant and device metadata as the sign-in calls for.
    pub(crate) fn grant_tokens(
        &self,
        state: &mut PoolState,
        signed_in: SignedIn<'_>,
        now: SystemTime,
    ) -> ServiceResult<TokenGrant> {
        let client = state.client(signed_in.client_id)?.clone();
        let user = state
            .users
            .get(signed_in.user_key)
            .ok_or_else(ServiceError::user_not_found)?;
        let origin_jti = signed_in.origin_jti.unwrap_or_else(random::uuid);
        let tracks_devices = state.settings.devices.is_some();
        let new_device = (signed_in.offer_new_device
            && tracks_devices
            && signed_in.device_key.is_none())
        .then(|| {
            let key = format!("{}_{}", state.settings.region, random::uuid());
            (key, user.device_group_key.clone())
        });
        let device_key = signed_in
            .device_key
            .or_else(|| new_device.as_ref().map(|(key, _)| key.clone()));
        let basis = TokenBasis {
            sub: &user.sub,
            username: &user.username,
            issuer: &state.settings.issuer,
            client_id: &client.id,
            origin_jti: &origin_jti,
            event_id: random::uuid(),
            auth_time: signed_in.auth_time,
            iat: unix_seconds(now),
        };
        let id_validity = validity_seconds(client.id_token_validity);
        let mut id_claims = id_claims(&basis, user, &client, id_validity);
        if let Some(nonce) = signed_in.nonce {
            id_claims["nonce"] = json!(nonce);
        }
        let access_validity = validity_seconds(client.access_token_validity);
        let mut access_claims = access_claims(&basis, access_validity, device_key.as_deref());
        let at_hash = signed_in.scopes.is_some();
        if let Some(scopes) = &signed_in.scopes {
            access_claims["scope"] = json!(scopes.join(" "));
        }
        if let Some(groups) = state.group_claims(user) {
            groups.add_to_id_token(&mut id_claims);
            groups.add_to_access_token(&mut access_claims);
        }
        let username = user.username.clone();
        if let Some((key, _)) = &new_device {
            state
                .devices
                .insert(key.clone(), Device::new(key, &username, now));
        }
        let refresh_token = signed_in.issue_refresh_token.then(|| {
            let grant = RefreshGrant {
                username,
                client_id: client.id.clone(),
                device_key,
                origin_jti,
                auth_time: signed_in.auth_time,
                expires: now + Duration::from_secs(validity_seconds(client.refresh_token_validity)),
                revoked: false,
                scopes: signed_in.scopes,
            };
            issue_refresh_token(state, grant, now)
        });
        Ok(TokenGrant {
            id_claims,
            access_claims,
            expires_in: access_validity,
            refresh_token,
            new_device,
            at_hash,
        })
    }

    /// Signs a grant's tokens: the `AuthenticationResult`. Call with no lock held.
    pub(crate) fn sign_tokens(pool: &Pool, mut grant: TokenGrant) -> AuthenticationResult {
        let access_token = pool.keys.access.sign(&grant.access_claims);
        if grant.at_hash {
            grant.id_claims["at_hash"] = json!(super::oauth::at_hash(&access_token));
        }
        AuthenticationResult {
            access_token,
            expires_in: grant.expires_in,
            token_type: "Bearer",
            id_token: pool.keys.id.sign(&grant.id_claims),
            refresh_token: grant.refresh_token,
            new_device_metadata: grant.new_device.map(|(device_key, device_group_key)| {
                NewDeviceMetadata {
                    device_key,
                    device_group_key,
                }
            }),
        }
    }

    /// The pool and user an access token speaks for, for the API's token-authorised
    /// operations: only tokens with `aws.cognito.signin.user.admin` may call them.
    pub(crate) fn authenticate_access_token(
        &self,
        token: &str,
    ) -> ServiceResult<(Arc<Pool>, AccessClaims)> {
        let (pool, claims) = self.verify_access_token(token)?;
        if !claims.scopes.iter().any(|scope| scope == SCOPE) {
            return Err(ServiceError::not_authorized(
                "Access Token does not have required scopes",
            ));
        }
        Ok((pool, claims))
    }

    /// The pool and user an access token speaks for. Anything but a current access token of
    /// an existing user, signed by its pool's access key, is refused.
    pub(crate) fn verify_access_token(
        &self,
        token: &str,
    ) -> ServiceResult<(Arc<Pool>, AccessClaims)> {
        let invalid = || ServiceError::not_authorized("Invalid Access Token");
        // The issuer names the pool; the signature check below is what proves it.
        let pool_id = unverified_issuer_pool(token).ok_or_else(invalid)?;
        let pool = self.pool(&pool_id).map_err(|_| invalid())?;
        let claims = pool
            .keys
            .access
            .verify(token)
            .map_err(|error| match error {
                TokenError::Malformed | TokenError::WrongKey | TokenError::BadSignature => {
                    invalid()
                }
            })?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        let issuer = pool.lock().settings.issuer.clone();
        if text("token_use") != Some("access") || text("iss") != Some(issuer.as_str()) {
            return Err(invalid());
        }
        let expires = claims
            .get("exp")
            .and_then(Value::as_i64)
            .ok_or_else(invalid)?;
        if expires <= unix_seconds(self.now()) {
            return Err(ServiceError::not_authorized("Access Token has expired"));
        }
        let username = text("username").ok_or_else(invalid)?.to_owned();
        let sub = text("sub").ok_or_else(invalid)?;
        {
            // A deleted user's tokens die with it, even if the name is taken again.
            let state = pool.lock();
            let user = state.user(&username).ok().filter(|user| user.sub == sub);
            let revoked = user.is_none()
                || text("client_id").is_none_or(|client| !state.clients.contains_key(client));
            if revoked {
                return Err(revoked_token());
            }
            if user.is_some_and(|user| user.revoked(text("origin_jti"), claims.get("iat"))) {
                return Err(revoked_token());
            }
            if user.is_some_and(|user| !user.enabled) {
                return Err(ServiceError::not_authorized("User is disabled."));
            }
        }
        let sub = sub.to_owned();
        let client_id = text("client_id").unwrap_or_default().to_owned();
        let scopes = text("scope")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let claims = AccessClaims {
            sub,
            client_id,
            scopes,
        };
        Ok((pool, claims))
    }
}

fn unverified_issuer_pool(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let issuer = claims.get("iss")?.as_str()?;
    issuer.rsplit('/').next().map(str::to_owned)
}

/// The ID token's claims: the user's attributes (`*_verified` as booleans), then the sign-in's.
/// Only the attributes the client may read are there; custom ones always as strings.
fn id_claims(basis: &TokenBasis<'_>, user: &User, client: &AppClient, validity: u64) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(basis.sub));
    for (name, value) in &user.attributes {
        if name == "sub" || !schema::client_may_read(client, name) {
            continue;
        }
        let standard_flag = name == "email_verified" || name == "phone_number_verified";
        let value = match (standard_flag, value.as_str()) {
            (true, "true") => json!(true),
            (true, "false") => json!(false),
            _ if name == "identities" => super::federation::identities_claim(value),
            _ => json!(value),
        };
        claims.insert(name.clone(), value);
    }
    for (name, value) in [
        ("iss", json!(basis.issuer)),
        ("cognito:username", json!(basis.username)),
        ("origin_jti", json!(basis.origin_jti)),
        ("aud", json!(basis.client_id)),
        ("event_id", json!(basis.event_id)),
        ("token_use", json!("id")),
        ("auth_time", json!(basis.auth_time)),
        ("exp", json!(basis.iat + validity as i64)),
        ("iat", json!(basis.iat)),
        ("jti", json!(random::uuid())),
    ] {
        claims.insert(name.into(), value);
    }
    Value::Object(claims)
}

fn access_claims(basis: &TokenBasis<'_>, validity: u64, device_key: Option<&str>) -> Value {
    let mut claims = json!({
        "sub": basis.sub,
        "iss": basis.issuer,
        "client_id": basis.client_id,
        "origin_jti": basis.origin_jti,
        "event_id": basis.event_id,
        "token_use": "access",
        "scope": SCOPE,
        "auth_time": basis.auth_time,
        "exp": basis.iat + validity as i64,
        "iat": basis.iat,
        "jti": random::uuid(),
        "username": basis.username,
    });
    if let Some(device_key) = device_key {
        claims["device_key"] = json!(device_key);
    }
    claims
}

/// Keeps a refresh grant (purging expired ones as it goes) and returns its token.
fn issue_refresh_token(state: &mut PoolState, grant: RefreshGrant, now: SystemTime) -> String {
    state.purge_expired_grants(now);
    let token = random::opaque::<96>();
    state.refresh_grants.insert(token.clone(), grant);
    token
}
