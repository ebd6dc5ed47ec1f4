// SPDX-License-Identifier: Apache-2.0
//! The account itself: ChangePassword and DeleteUser (the signed-in user's, with its access
//! token), AdminDisableUser and AdminEnableUser (the administrator's).

use std::time::SystemTime;

use cognito_srp::{Identity, PasswordVerifier};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::AdminUserRequest;
use crate::service::lockout::{self, Verdict};
use crate::service::security::{self, EventKind};
use crate::service::{Empty, Pool, Service, ServiceError, ServiceResult, check_password_policy};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub access_token: Zeroizing<String>,
    pub previous_password: Option<Zeroizing<String>>,
    pub proposed_password: Zeroizing<String>,
}

// ChangePassword answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserRequest {
    pub access_token: Zeroizing<String>,
}

// DeleteUser answers `Empty`; AdminDisableUser and AdminEnableUser take an `AdminUserRequest`
// and answer `Empty`.

impl Service {
    /// Judges the previous password as a sign-in judges one (within the same lockout, with the
    /// pool's lock released), then derives the new verifier, again with the lock released.
    pub fn change_password(&self, request: ChangePasswordRequest) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let previous = request
            .previous_password
            .ok_or_else(|| ServiceError::missing_parameter("PreviousPassword"))?;
        let now = self.now();
        let (username, verifier) = {
            let state = pool.lock();
            check_password_policy(&state.settings.password_policy, &request.proposed_password)?;
            let user = state.token_user(&claims)?;
            (user.username.clone(), user.verifier.clone())
        };
        let identity = Identity::user(&pool.id, &username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        judge_password(&pool, &claims.sub, now, || {
            Verdict::of(verifier.matches(&identity, &previous))
        })?;
        let verifier = PasswordVerifier::generate(&identity, &request.proposed_password)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let mut state = pool.lock();
        let user = state.token_user_mut(&claims)?;
        user.verifier = verifier;
        user.modified = now;
        // A sign-in under way proved (or is about to prove) the old password: it ends here.
        let sub = user.sub.clone();
        state.sessions.retain(|_, session| session.sub != sub);
        security::record_event(&mut state, &sub, EventKind::PasswordChange, now);
        Ok(Empty {})
    }

    /// Deletes the signed-in user with everything that hangs off it, as AdminDeleteUser does:
    /// its tokens are refused from now on.
    pub fn delete_user(&self, request: DeleteUserRequest) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let mut state = pool.lock();
        state.token_user(&claims)?;
        if let Some(key) = state.subs.get(&claims.sub).cloned() {
            state.remove_user(&key);
        }
        Ok(Empty {})
    }

    /// A disabled user cannot sign in, and its access and refresh tokens are refused, until it
    /// is enabled again.
    pub fn admin_disable_user(&self, request: AdminUserRequest) -> ServiceResult<Empty> {
        self.set_enabled(request, false)
    }

    pub fn admin_enable_user(&self, request: AdminUserRequest) -> ServiceResult<Empty> {
        self.set_enabled(request, true)
    }

    fn set_enabled(&self, request: AdminUserRequest, enabled: bool) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.user_mut(&request.username)?;
        if user.enabled != enabled {
            user.enabled = enabled;
            user.modified = now;
        }
        Ok(Empty {})
    }
}

/// Judges one of the user's passwords (`judge`: slow, so run with the pool's lock released)
/// within the user's guessing budget, as a sign-in does, and records the verdict. A user gone
/// meanwhile, or replaced by another of the same name, leaves the access token revoked.
fn judge_password(
    pool: &Pool,
    sub: &str,
    now: SystemTime,
    judge: impl FnOnce() -> Verdict,
) -> ServiceResult<()> {
    let judgement = {
        let mut state = pool.lock();
        let key = state
            .subs
            .get(sub)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        lockout::begin(&mut state, &key, now)?
    };
    let verdict = judge();
    let mut state = pool.lock();
    let still_there = lockout::settle(&mut state, judgement, verdict, now).is_some();
    match verdict {
        Verdict::Right if still_there => Ok(()),
        Verdict::Right => Err(ServiceError::not_authorized(
            "Access Token has been revoked",
        )),
        Verdict::Wrong | Verdict::Void => Err(ServiceError::incorrect_credentials()),
    }
}
