// SPDX-License-Identifier: Apache-2.0
//! Ending sign-ins: RevokeToken (one sign-in, by its refresh token), GlobalSignOut and
//! AdminUserGlobalSignOut (every sign-in of a user). A revoked sign-in's refresh token is
//! refused as revoked, and so are the access tokens it issued, by their `origin_jti`.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use zeroize::Zeroizing;

use super::model::{PoolState, RevokedSignIn};
use super::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: Zeroizing<String>,
    pub client_id: String,
    pub client_secret: Option<Zeroizing<String>>,
}

// RevokeToken answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalSignOutRequest {
    pub access_token: Zeroizing<String>,
}

// GlobalSignOut answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserGlobalSignOutRequest {
    pub user_pool_id: String,
    pub username: String,
}

// AdminUserGlobalSignOut answers `Empty`.

fn unauthorized(message: &str) -> ServiceError {
    ServiceError::new("UnauthorizedException", message)
}

impl Service {
    pub fn revoke_token(&self, request: RevokeTokenRequest) -> ServiceResult<Empty> {
        let pool = self.pool_of_client(&request.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let client = state.client(&request.client_id)?;
        if !client.secret_matches(request.client_secret.as_deref().map(String::as_str)) {
            return Err(unauthorized("Invalid client secret."));
        }
        if !client.enable_token_revocation {
            return Err(ServiceError::new(
                "UnsupportedOperationException",
                "Token revocation is not enabled for this app client.",
            ));
        }
        let token = request.token.as_str();
        let Some(grant) = state.refresh_grants.get(token) else {
            // An ID or access token (a JWT) is not what this takes; any other string names
            // nothing to revoke, which RFC 7009 answers as done.
            if token.split('.').count() == 3 {
                return Err(ServiceError::new(
                    "UnsupportedTokenTypeException",
                    "Only refresh tokens can be revoked.",
                ));
            }
            return Ok(Empty {});
        };
        if grant.client_id != request.client_id {
            return Err(unauthorized("The token was not issued to this app client."));
        }
        let (username, origin_jti) = (grant.username.clone(), grant.origin_jti.clone());
        revoke_sign_in(&mut state, &username, &origin_jti, now);
        Ok(Empty {})
    }

    pub fn global_sign_out(&self, request: GlobalSignOutRequest) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let now = self.now();
        let mut state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        sign_out_everywhere(&mut state, &username, now);
        Ok(Empty {})
    }

    pub fn admin_user_global_sign_out(
        &self,
        request: AdminUserGlobalSignOutRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let username = state.user(&request.username)?.username.clone();
        sign_out_everywhere(&mut state, &username, now);
        Ok(Empty {})
    }
}

/// Revokes every sign-in of the user, and refuses from now on every token issued before.
fn sign_out_everywhere(state: &mut PoolState, username: &str, now: SystemTime) {
    let origins: BTreeSet<String> = state
        .refresh_grants
        .entries_of(username)
        .filter(|(_, grant)| !grant.revoked)
        .map(|(_, grant)| grant.origin_jti.clone())
        .collect();
    for origin_jti in &origins {
        revoke_sign_in(state, username, origin_jti, now);
    }
    if let Ok(user) = state.user_mut(username) {
        user.signed_out_before = Some(crate::service::clock::unix_seconds(now));
    }
}

/// Marks every refresh token of one sign-in revoked, and records the sign-in on its user so
/// that its access tokens are refused until the last of them would have expired.
pub(super) fn revoke_sign_in(
    state: &mut PoolState,
    username: &str,
    origin_jti: &str,
    now: SystemTime,
) {
    let tokens = state
        .refresh_grants
        .keys_of_where(username, |grant| grant.origin_jti == origin_jti);
    for token in tokens {
        if let Some(grant) = state.refresh_grants.get_mut(&token) {
            grant.revoked = true;
        }
    }
    super::security::session_ended(state, username, origin_jti);
    let Ok(user) = state.user_mut(username) else {
        return;
    };
    user.revoked_sign_ins.retain(|revoked| revoked.until > now);
    if !user
        .revoked_sign_ins
        .iter()
        .any(|revoked| revoked.origin_jti == origin_jti)
    {
        user.revoked_sign_ins.push(RevokedSignIn {
            origin_jti: origin_jti.to_owned(),
            until: now + LONGEST_TOKEN_LIFE,
        });
    }
}

/// The longest an access or ID token can live: a day, the service's limit.
const LONGEST_TOKEN_LIFE: Duration = Duration::from_secs(24 * 60 * 60);
