// SPDX-License-Identifier: Apache-2.0
//! New tokens for a refresh token, while its grant, user and device last: REFRESH_TOKEN_AUTH
//! (and its alias REFRESH_TOKEN) in InitiateAuth, and GetTokensFromRefreshToken, which also
//! rotates the refresh token where the app client asks for it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::SignInAnswer;
use super::challenge::required;
use crate::service::model::{PoolState, RefreshGrant};
use crate::service::tokens::{AuthenticationResult, SignedIn};
use crate::service::{Pool, Service, ServiceError, ServiceResult, check_secret_hash, security};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: Zeroizing<String>,
    pub client_id: String,
    pub client_secret: Option<Zeroizing<String>>,
    pub device_key: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenAnswer {
    pub authentication_result: AuthenticationResult,
}

fn invalid() -> ServiceError {
    ServiceError::not_authorized("Invalid Refresh Token.")
}

/// The grant of a refresh token the client may use now, and the key of its user. An expired
/// or revoked grant, or one whose device was forgotten, is refused.
fn live_grant(
    state: &mut PoolState,
    token: &str,
    client_id: &str,
    now: SystemTime,
) -> ServiceResult<(RefreshGrant, String)> {
    let grant = state
        .refresh_grants
        .get(token)
        .cloned()
        .ok_or_else(invalid)?;
    if grant.client_id != client_id {
        return Err(invalid());
    }
    if grant.expires <= now {
        state.refresh_grants.remove(token);
        return Err(ServiceError::not_authorized("Refresh Token has expired"));
    }
    let revoked = ServiceError::not_authorized("Refresh Token has been revoked");
    if grant.revoked {
        return Err(revoked);
    }
    let user_key = state.find_user_key(&grant.username).ok_or_else(invalid)?;
    let device_gone = grant
        .device_key
        .as_ref()
        .is_some_and(|key| !state.devices.contains_key(key));
    if device_gone {
        state.refresh_grants.remove(token);
        return Err(revoked);
    }
    if !state.users.get(&user_key).is_some_and(|user| user.enabled) {
        return Err(ServiceError::not_authorized("User is disabled."));
    }
    Ok((grant, user_key))
}

/// Where the client rotates refresh tokens, the one just used lasts only the grace period more,
/// for a client's retries.
fn retire_if_rotated(
    state: &mut PoolState,
    token: &str,
    rotation: Option<u64>,
    now: SystemTime,
) -> ServiceResult<()> {
    let Some(grace) = rotation else {
        return Ok(());
    };
    let cutoff = now + Duration::from_secs(grace);
    match state.refresh_grants.get_mut(token) {
        Some(old) if grace == 0 => old.revoked = true,
        Some(old) => old.expires = old.expires.min(cutoff),
        None => return Err(invalid()),
    }
    Ok(())
}

impl Service {
    pub(super) fn refresh(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<SignInAnswer> {
        let token = required(params, "REFRESH_TOKEN")?;
        let now = self.now();
        let mut state = pool.lock();
        let (grant, user_key) = live_grant(&mut state, token, client_id, now)?;
        let secret_hash = params.get("SECRET_HASH").map(String::as_str);
        check_secret_hash(state.client(client_id)?, &grant.username, secret_hash)?;
        let result = self.refreshed_tokens(pool, state, &user_key, grant, false, now)?;
        Ok(SignInAnswer::tokens(result))
    }

    pub fn get_tokens_from_refresh_token(
        &self,
        request: GetTokensFromRefreshTokenRequest,
    ) -> ServiceResult<GetTokensFromRefreshTokenAnswer> {
        let pool = self.pool_of_client(&request.client_id)?;
        let token = request.refresh_token.as_str();
        let now = self.now();
        let mut state = pool.lock();
        let client = state.client(&request.client_id)?;
        if !client.secret_matches(request.client_secret.as_deref().map(String::as_str)) {
            return Err(ServiceError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.id
            )));
        }
        let rotation = client.refresh_token_rotation;
        let (grant, user_key) = live_grant(&mut state, token, &request.client_id, now)?;
        if let Some(device_key) = &request.device_key
            && grant.device_key.as_ref() != Some(device_key)
        {
            return Err(invalid());
        }
        retire_if_rotated(&mut state, token, rotation, now)?;
        let rotate = rotation.is_some();
        let result = self.refreshed_tokens(&pool, state, &user_key, grant, rotate, now)?;
        Ok(GetTokensFromRefreshTokenAnswer {
            authentication_result: result,
        })
    }

    /// The token endpoint's `refresh_token` grant, for a client already authenticated: as
    /// GetTokensFromRefreshToken, the grant's scopes kept.
    pub(crate) fn refresh_at_token_endpoint(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        token: &str,
    ) -> ServiceResult<AuthenticationResult> {
        let now = self.now();
        let mut state = pool.lock();
        let rotation = state.client(client_id)?.refresh_token_rotation;
        let (grant, user_key) = live_grant(&mut state, token, client_id, now)?;
        retire_if_rotated(&mut state, token, rotation, now)?;
        self.refreshed_tokens(pool, state, &user_key, grant, rotation.is_some(), now)
    }

    /// New ID and access tokens of the grant's sign-in (same `origin_jti` and `auth_time`),
    /// and a new refresh token when it is rotated; signed with the lock released.
    fn refreshed_tokens(
        &self,
        pool: &Pool,
        mut state: crate::service::PoolGuard<'_>,
        user_key: &str,
        grant: RefreshGrant,
        rotate: bool,
        now: SystemTime,
    ) -> ServiceResult<AuthenticationResult> {
        let signed = self.grant_tokens(
            &mut state,
            SignedIn {
                user_key,
                client_id: &grant.client_id,
                device_key: grant.device_key,
                auth_time: grant.auth_time,
                origin_jti: Some(grant.origin_jti),
                issue_refresh_token: rotate,
                offer_new_device: false,
                scopes: grant.scopes,
                nonce: None,
            },
            now,
        )?;
        security::session_refreshed(&mut state, user_key, &signed, now);
        drop(state);
        Ok(Self::sign_tokens(pool, signed))
    }
}
