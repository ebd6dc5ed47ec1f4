// SPDX-License-Identifier: Apache-2.0
//! Password recovery: ForgotPassword and ConfirmForgotPassword, which an app client calls for
//! a user, and AdminResetUserPassword, which puts a user in RESET_REQUIRED. Each ends with a
//! reset code to the user's verified email, good only for ConfirmForgotPassword.

use std::time::SystemTime;

use cognito_srp::{Identity, PasswordVerifier};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::AdminUserRequest;
use super::codes::{
    CodeDeliveryDetailsType, CodeToSend, check_code, check_code_quota, code_mismatch,
    email_delivery, expired_code, has_code, is_newest_code, simulated_destination, use_up_codes,
};
use super::sign_up::{UserOfClient, confirming_user};
use crate::service::model::{CodePurpose, User, UserStatus};
use crate::service::security::{self, EventKind};
use crate::service::{Empty, Service, ServiceError, ServiceResult, check_password_policy};

const RESET: CodePurpose = CodePurpose::PasswordReset;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    #[serde(flatten)]
    pub user: UserOfClient,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordAnswer {
    pub code_delivery_details: CodeDeliveryDetailsType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    #[serde(flatten)]
    pub user: UserOfClient,
    pub confirmation_code: Zeroizing<String>,
    pub password: Zeroizing<String>,
}

// ConfirmForgotPassword answers `Empty`.

// AdminResetUserPassword takes an `AdminUserRequest` and answers `Empty`.

impl Service {
    pub fn forgot_password(
        &self,
        request: ForgotPasswordRequest,
    ) -> ServiceResult<ForgotPasswordAnswer> {
        let pool = self.pool_of_client(&request.user.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let hides_users = state
            .client(&request.user.client_id)?
            .prevent_user_existence_errors;
        let found = confirming_user(&state, &request.user)?;
        // A disabled user is hidden as an unknown one is.
        let key =
            found.filter(|key| !hides_users || state.users.get(key).is_some_and(|u| u.enabled));
        let Some(key) = key else {
            let user_key = state.user_key(&request.user.username);
            drop(state);
            return Ok(ForgotPasswordAnswer {
                code_delivery_details: email_delivery(&simulated_destination(&pool, &user_key)),
            });
        };
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        check_can_reset(user)?;
        let email = verified_email(user).ok_or_else(no_verified_email)?;
        check_code_quota(user, now)?;
        let sent = CodeToSend {
            purpose: RESET,
            kind: "ForgotPassword",
            email: &email,
        };
        let code_delivery_details = self.send_code(&pool.id, user, &sent, now);
        security::record_event(&mut state, &key, EventKind::ForgotPassword, now);
        Ok(ForgotPasswordAnswer {
            code_delivery_details,
        })
    }

    pub fn confirm_forgot_password(
        &self,
        request: ConfirmForgotPasswordRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool_of_client(&request.user.client_id)?;
        let now = self.now();
        let code = request.confirmation_code.as_str();
        let (username, sub) = {
            let mut state = pool.lock();
            let hides_users = state
                .client(&request.user.client_id)?
                .prevent_user_existence_errors;
            let Some(key) = confirming_user(&state, &request.user)? else {
                // What a known user with a wrong code hears.
                return Err(code_mismatch());
            };
            check_password_policy(&state.settings.password_policy, &request.password)?;
            let user = state
                .users
                .get_mut(&key)
                .ok_or_else(ServiceError::user_not_found)?;
            if !user.enabled {
                return Err(if hides_users {
                    code_mismatch()
                } else {
                    user_disabled()
                });
            }
            if !has_code(user, RESET) {
                return Err(expired_code());
            }
            check_code(user, RESET, code, now)?;
            (user.username.clone(), user.sub.clone())
        };

        let verifier = password_verifier(&pool.id, &username, &request.password)?;

        let mut state = pool.lock();
        // The user may have been deleted, or the code used, while the verifier was computed.
        let key = state.subs.get(&sub).cloned().ok_or_else(code_mismatch)?;
        let user = state.users.get_mut(&key).ok_or_else(code_mismatch)?;
        if !is_newest_code(user, RESET, code, now) {
            return Err(expired_code());
        }
        set_password(user, verifier, now);
        use_up_codes(user, RESET);
        // A confirmed user's verified email signs in where the pool has email aliases.
        state.index_user(&key);
        Ok(Empty {})
    }

    pub fn admin_reset_user_password(&self, request: AdminUserRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.user_mut(&request.username)?;
        let email = verified_email(user);
        if email.is_some() {
            check_code_quota(user, now)?;
        }
        // The password stays as it was, but RESET_REQUIRED refuses every sign-in with it.
        user.status = UserStatus::ResetRequired;
        user.modified = now;
        if let Some(email) = email {
            let sent = CodeToSend {
                purpose: RESET,
                kind: "AdminResetUserPassword",
                email: &email,
            };
            self.send_code(&pool.id, user, &sent, now);
        }
        Ok(Empty {})
    }
}

/// A password verifier for a user of a pool: SRP work, for outside the pool's lock.
pub(super) fn password_verifier(
    pool_id: &str,
    username: &str,
    password: &str,
) -> ServiceResult<PasswordVerifier> {
    let identity =
        Identity::user(pool_id, username).map_err(|e| ServiceError::internal(e.to_string()))?;
    PasswordVerifier::generate(&identity, password)
        .map_err(|e| ServiceError::internal(e.to_string()))
}

/// The user's new password, set by a reset code: whatever the user's status was, it is
/// CONFIRMED now, and the wrong passwords before are forgotten.
fn set_password(user: &mut User, verifier: PasswordVerifier, now: SystemTime) {
    user.verifier = verifier;
    user.status = UserStatus::Confirmed;
    user.temporary_password_expires = None;
    user.failed_passwords = 0;
    user.locked_until = None;
    user.modified = now;
}

/// A user invited with a temporary password sets a new one at sign-in, not by a reset; a
/// disabled user cannot reset at all.
fn check_can_reset(user: &User) -> ServiceResult<()> {
    if !user.enabled {
        return Err(user_disabled());
    }
    if user.status == UserStatus::ForceChangePassword {
        return Err(ServiceError::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    Ok(())
}

/// Where a reset code goes: the user's email, once verified.
fn verified_email(user: &User) -> Option<String> {
    let email = user.attribute("email")?;
    (user.attribute("email_verified") == Some("true")).then(|| email.to_owned())
}

fn no_verified_email() -> ServiceError {
    ServiceError::invalid_parameter(
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    )
}

fn user_disabled() -> ServiceError {
    ServiceError::not_authorized("User is disabled.")
}
