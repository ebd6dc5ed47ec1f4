// SPDX-License-Identifier: Apache-2.0
//! Sign-up and its confirmation: SignUp, ConfirmSignUp, ResendConfirmationCode,
//! AdminConfirmSignUp.

use std::time::SystemTime;

use cognito_srp::{Identity, PasswordVerifier};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::AdminUserRequest;
use super::codes::{
    CodeDeliveryDetailsType, check_code_quota, check_confirmation_code, code_mismatch,
    email_delivery, forget_codes, no_auto_verification, simulated_destination, verifies_email,
};
use super::new_user::{check_user_is_new, insert_user, new_user};
use crate::service::model::{PoolState, User, UserStatus};
use crate::service::schema::check_client_writes;
use crate::service::security::{self, EventKind};
use crate::service::{
    AttributeType, Empty, Service, ServiceError, ServiceResult, check_password_policy,
    check_secret_hash,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub password: Option<Zeroizing<String>>,
    pub user_attributes: Option<Vec<AttributeType>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpAnswer {
    pub user_confirmed: bool,
    pub user_sub: String,
    /// Left out when the pool does not verify email or the user has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
}

/// What ConfirmSignUp and ResendConfirmationCode both name: the app client that asks, the user
/// it asks about, and the client's SECRET_HASH for that user.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserOfClient {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    #[serde(flatten)]
    pub user: UserOfClient,
    pub confirmation_code: Zeroizing<String>,
}

// ConfirmSignUp answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    #[serde(flatten)]
    pub user: UserOfClient,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeAnswer {
    /// Always there once the checks pass, as the code is then always sent; `None` would be
    /// written as `null`, as it always has been.
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
}

// AdminConfirmSignUp takes an `AdminUserRequest` and answers `Empty`.

impl Service {
    pub fn sign_up(&self, request: SignUpRequest) -> ServiceResult<SignUpAnswer> {
        let pool = self.pool_of_client(&request.client_id)?;
        let new_user = {
            let state = pool.lock();
            let client = state.client(&request.client_id)?;
            check_secret_hash(client, &request.username, request.secret_hash.as_deref())?;
            if state.settings.admin_create_user_only {
                return Err(ServiceError::not_authorized(
                    "SignUp is not permitted for this user pool",
                ));
            }
            let password = request
                .password
                .as_deref()
                .ok_or_else(|| ServiceError::invalid_parameter("Password is required."))?;
            check_password_policy(&state.settings.password_policy, password)?;
            let attributes = request.user_attributes.unwrap_or_default();
            check_client_writes(client, attributes.iter().map(|a| a.name.as_str()))?;
            let new_user = new_user(&state.settings, &request.username, &attributes, true)?;
            check_user_is_new(&state, &new_user)?;
            new_user
        };

        let identity = Identity::user(&pool.id, &new_user.username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let password = request.password.as_deref().map_or("", String::as_str);
        let verifier = PasswordVerifier::generate(&identity, password)
            .map_err(|e| ServiceError::internal(e.to_string()))?;

        let now = self.now();
        let mut state = pool.lock();
        // Another request may have taken the name while the verifier was computed.
        check_user_is_new(&state, &new_user)?;
        let sub = new_user.sub.clone();
        let key = insert_user(&mut state, new_user, verifier, UserStatus::Unconfirmed, now);
        let delivery = self.send_confirmation_code(&mut state, &key, "SignUp", now);
        security::record_event(&mut state, &sub, EventKind::SignUp, now);
        Ok(SignUpAnswer {
            user_confirmed: false,
            user_sub: sub,
            code_delivery_details: delivery,
        })
    }

    pub fn confirm_sign_up(&self, request: ConfirmSignUpRequest) -> ServiceResult<Empty> {
        let pool = self.pool_of_client(&request.user.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let Some(key) = confirming_user(&state, &request.user)? else {
            // What a known user with a wrong code hears.
            return Err(code_mismatch());
        };
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        check_unconfirmed(user)?;
        check_confirmation_code(user, &request.confirmation_code, now)?;
        mark_confirmed(user, now);
        if user.attribute("email").is_some() {
            user.set_attribute("email_verified", "true");
        }
        // A verified email becomes a sign-in alias where the pool has email aliases.
        state.index_user(&key);
        Ok(Empty {})
    }

    pub fn resend_confirmation_code(
        &self,
        request: ResendConfirmationCodeRequest,
    ) -> ServiceResult<ResendConfirmationCodeAnswer> {
        let pool = self.pool_of_client(&request.user.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let Some(key) = confirming_user(&state, &request.user)? else {
            if !verifies_email(&state.settings) {
                return Err(no_auto_verification());
            }
            let user_key = state.user_key(&request.user.username);
            drop(state);
            let destination = simulated_destination(&pool, &user_key);
            return Ok(ResendConfirmationCodeAnswer {
                code_delivery_details: Some(email_delivery(&destination)),
            });
        };
        let user = state
            .users
            .get(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::invalid_parameter(
                "User is already confirmed.",
            ));
        }
        if user.attribute("email").is_none() || !verifies_email(&state.settings) {
            return Err(no_auto_verification());
        }
        check_code_quota(user, now)?;
        let delivery = self.send_confirmation_code(&mut state, &key, "ResendConfirmationCode", now);
        security::record_event(&mut state, &key, EventKind::ResendCode, now);
        Ok(ResendConfirmationCodeAnswer {
            code_delivery_details: delivery,
        })
    }

    pub fn admin_confirm_sign_up(&self, request: AdminUserRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        check_unconfirmed(user)?;
        mark_confirmed(user, now);
        state.index_user(&key);
        Ok(Empty {})
    }
}

/// The key of the user a ConfirmSignUp, ResendConfirmationCode, ForgotPassword or
/// ConfirmForgotPassword is about, once the client's
/// SECRET_HASH checks out. `None` when there is no such user and the client does not say so
/// (PreventUserExistenceErrors ENABLED): the caller then answers as for a user who exists.
pub(super) fn confirming_user(
    state: &PoolState,
    user: &UserOfClient,
) -> ServiceResult<Option<String>> {
    let client = state.client(&user.client_id)?;
    check_secret_hash(client, &user.username, user.secret_hash.as_deref())?;
    match state.find_user_key(&user.username) {
        Some(key) => Ok(Some(key)),
        None if client.prevent_user_existence_errors => Ok(None),
        None => Err(ServiceError::new(
            "UserNotFoundException",
            "Username/client id combination not found.",
        )),
    }
}

/// Only an unconfirmed user can be confirmed.
fn check_unconfirmed(user: &User) -> ServiceResult<()> {
    if user.status != UserStatus::Unconfirmed {
        return Err(ServiceError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.name()
        )));
    }
    Ok(())
}

/// Confirms a user: it has no codes left to guess.
fn mark_confirmed(user: &mut User, now: SystemTime) {
    user.status = UserStatus::Confirmed;
    forget_codes(user);
    user.modified = now;
}
