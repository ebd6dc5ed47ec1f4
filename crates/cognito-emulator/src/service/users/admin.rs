// SPDX-License-Identifier: Apache-2.0
//! The administrator's operations on users: AdminCreateUser, AdminSetUserPassword,
//! AdminDeleteUser.

use std::time::{Duration, SystemTime};

use cognito_srp::{Identity, PasswordVerifier};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::new_user::{NewUser, check_user_is_new, insert_user, new_user};
use super::{AdminUserRequest, UserType, user_type};
use crate::crypto::random;
use crate::outbox::Message;
use crate::service::clock::epoch_seconds;
use crate::service::model::{PoolState, User, UserStatus};
use crate::service::{
    AttributeType, Empty, Service, ServiceError, ServiceResult, check_password_policy,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    pub user_pool_id: String,
    pub username: String,
    pub user_attributes: Option<Vec<AttributeType>>,
    pub temporary_password: Option<Zeroizing<String>>,
    pub message_action: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserAnswer {
    pub user: UserType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    pub user_pool_id: String,
    pub username: String,
    pub password: Zeroizing<String>,
    pub permanent: Option<bool>,
}

// AdminSetUserPassword answers `Empty`.

// AdminDeleteUser takes an `AdminUserRequest` and answers `Empty`.

impl Service {
    pub fn admin_create_user(
        &self,
        request: AdminCreateUserRequest,
    ) -> ServiceResult<AdminCreateUserAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let resend = request.message_action.as_deref() == Some("RESEND");
        let suppress = request.message_action.as_deref() == Some("SUPPRESS");
        let (new_user, temporary, validity_days) = admitted_user(
            &pool.lock(),
            &request.username,
            request.user_attributes.unwrap_or_default(),
            request.temporary_password,
            resend,
        )?;
        let username = if resend {
            pool.lock().user(&request.username)?.username.clone()
        } else {
            new_user.username.clone()
        };
        let identity = Identity::user(&pool.id, &username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let verifier = PasswordVerifier::generate(&identity, &temporary)
            .map_err(|e| ServiceError::internal(e.to_string()))?;

        let now = self.now();
        let expires = now + Duration::from_secs(u64::from(validity_days) * 86_400);
        let mut state = pool.lock();
        let key = if resend {
            let key = state
                .find_user_key(&username)
                .ok_or_else(ServiceError::user_not_found)?;
            let user = state
                .users
                .get_mut(&key)
                .ok_or_else(ServiceError::user_not_found)?;
            user.verifier = verifier;
            key
        } else {
            check_user_is_new(&state, &new_user)?;
            insert_user(
                &mut state,
                new_user,
                verifier,
                UserStatus::ForceChangePassword,
                now,
            )
        };
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        user.temporary_password_expires = Some(expires);
        if !suppress {
            self.send_temporary_password(&pool.id, user, &temporary, now);
        }
        Ok(AdminCreateUserAnswer {
            user: user_type(user, None),
        })
    }

    pub fn admin_set_user_password(
        &self,
        request: AdminSetUserPasswordRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let (username, validity_days) = {
            let state = pool.lock();
            check_password_policy(&state.settings.password_policy, &request.password)?;
            let user = state.user(&request.username)?;
            (
                user.username.clone(),
                state
                    .settings
                    .password_policy
                    .temporary_password_validity_days,
            )
        };
        let identity = Identity::user(&pool.id, &username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let verifier = PasswordVerifier::generate(&identity, &request.password)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.user_mut(&username)?;
        user.verifier = verifier;
        user.failed_passwords = 0;
        user.locked_until = None;
        user.modified = now;
        if request.permanent.unwrap_or(false) {
            user.status = UserStatus::Confirmed;
            user.temporary_password_expires = None;
        } else {
            user.status = UserStatus::ForceChangePassword;
            user.temporary_password_expires =
                Some(now + Duration::from_secs(u64::from(validity_days) * 86_400));
        }
        if let Some(key) = state.find_user_key(&username) {
            state.index_user(&key);
        }
        Ok(Empty {})
    }

    pub fn admin_delete_user(&self, request: AdminUserRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        state.remove_user(&key);
        Ok(Empty {})
    }

    /// Emails the temporary password of a created (or re-invited) user, who has an email.
    fn send_temporary_password(
        &self,
        pool_id: &str,
        user: &User,
        temporary: &str,
        now: SystemTime,
    ) {
        let Some(email) = user.attribute("email") else {
            return;
        };
        self.outbox.send(Message {
            user_pool_id: pool_id.to_owned(),
            username: user.username.clone(),
            destination: email.to_owned(),
            code: temporary.to_owned(),
            kind: "AdminCreateUser".to_owned(),
            sent_at: epoch_seconds(now),
        });
    }
}

/// AdminCreateUser's checks, made under the lock before the verifier is derived: the temporary
/// password (given, and then within the policy, or generated), the new user's attributes, and
/// that the user exists awaiting a new password (RESEND) or does not exist yet. Returns the new
/// user, the temporary password and how many days it is valid.
fn admitted_user(
    state: &PoolState,
    username: &str,
    attributes: Vec<AttributeType>,
    temporary_password: Option<Zeroizing<String>>,
    resend: bool,
) -> ServiceResult<(NewUser, Zeroizing<String>, u32)> {
    let policy = &state.settings.password_policy;
    let temporary = match temporary_password {
        Some(given) => {
            check_password_policy(policy, &given)?;
            given
        }
        None => Zeroizing::new(random::password((policy.minimum_length as usize).max(10))),
    };
    let new_user = new_user(&state.settings, username, &attributes, false)?;
    if resend {
        let user = state.user(username)?;
        if user.status != UserStatus::ForceChangePassword {
            return Err(ServiceError::new(
                "UnsupportedUserStateException",
                "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.",
            ));
        }
    } else if state.find_user_key(&new_user.username).is_some() {
        return Err(ServiceError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    Ok((new_user, temporary, policy.temporary_password_validity_days))
}
