// SPDX-License-Identifier: Apache-2.0
//! Changing a user's attributes and verifying its email: UpdateUserAttributes,
//! GetUserAttributeVerificationCode and VerifyUserAttribute (the signed-in user's own, with its
//! access token), and AdminUpdateUserAttributes.
//!
//! A new email is unverified (and, where the pool verifies email, sent a code) unless an
//! administrator marks it verified. Where the pool's UserAttributeUpdateSettings require it, the
//! new email waits (`User::pending_email`) and the old one stays in force, signing in as before,
//! until the code sent to the new one is given.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::codes::{
    CodeDeliveryDetailsType, CodeToSend, check_code, check_code_quota, expire_codes, use_up_codes,
    verifies_email,
};
use super::new_user::check_attribute_format;
use crate::service::model::{CodePurpose, PoolSettings, PoolState, User};
use crate::service::schema::{Writer, check_client_writes, check_writes};
use crate::service::tokens::AccessClaims;
use crate::service::{AttributeType, Empty, Service, ServiceError, ServiceResult};

const VERIFY_EMAIL: CodePurpose = CodePurpose::EmailVerification;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub access_token: Zeroizing<String>,
    pub user_attributes: Vec<AttributeType>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesAnswer {
    /// Where the verification code of a new email went; left out when none was sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub code_delivery_details_list: Vec<CodeDeliveryDetailsType>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    pub user_pool_id: String,
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
}

// AdminUpdateUserAttributes answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeRequest {
    pub access_token: Zeroizing<String>,
    pub attribute_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeAnswer {
    pub code_delivery_details: CodeDeliveryDetailsType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: Zeroizing<String>,
    pub attribute_name: String,
    pub code: Zeroizing<String>,
}

// VerifyUserAttribute answers `Empty`.

/// Who changes the attributes: the user, or the administrator, who may also mark an email or
/// phone number verified and write developer-only attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    User,
    Admin,
}

impl Service {
    pub fn update_user_attributes(
        &self,
        request: UpdateUserAttributesRequest,
    ) -> ServiceResult<UpdateUserAttributesAnswer> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let now = self.now();
        let mut state = pool.lock();
        let key = token_user_key(&state, &claims)?;
        let client = state.client(&claims.client_id)?;
        check_client_writes(
            client,
            request.user_attributes.iter().map(|a| a.name.as_str()),
        )?;
        let sent = self.update_attributes(
            &mut state,
            &key,
            &request.user_attributes,
            Caller::User,
            now,
        )?;
        Ok(UpdateUserAttributesAnswer {
            code_delivery_details_list: sent.into_iter().collect(),
        })
    }

    pub fn admin_update_user_attributes(
        &self,
        request: AdminUpdateUserAttributesRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        let attributes = &request.user_attributes;
        self.update_attributes(&mut state, &key, attributes, Caller::Admin, now)?;
        Ok(Empty {})
    }

    pub fn get_user_attribute_verification_code(
        &self,
        request: GetUserAttributeVerificationCodeRequest,
    ) -> ServiceResult<GetUserAttributeVerificationCodeAnswer> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        check_verifiable(&request.attribute_name)?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.token_user_mut(&claims)?;
        let email = email_to_verify(user)?;
        check_code_quota(user, now)?;
        let sent = CodeToSend {
            purpose: VERIFY_EMAIL,
            kind: "GetUserAttributeVerificationCode",
            email: &email,
        };
        Ok(GetUserAttributeVerificationCodeAnswer {
            code_delivery_details: self.send_code(&pool.id, user, &sent, now),
        })
    }

    pub fn verify_user_attribute(
        &self,
        request: VerifyUserAttributeRequest,
    ) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        check_verifiable(&request.attribute_name)?;
        let now = self.now();
        let mut guard = pool.lock();
        let state: &mut PoolState = &mut guard;
        let key = token_user_key(state, &claims)?;
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        check_code(user, VERIFY_EMAIL, &request.code, now)?;
        let email = email_to_verify(user)?;
        if signs_in(&state.settings, true) {
            check_alias_free(state, &key, &email)?;
        }
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        user.set_attribute("email", &email);
        user.set_attribute("email_verified", "true");
        user.pending_email = None;
        use_up_codes(user, VERIFY_EMAIL);
        user.modified = now;
        state.index_user(&key);
        Ok(Empty {})
    }

    /// Checks every attribute first and changes nothing if one is refused; then sets them, and
    /// sends a code to a new email that needs verifying. Answers where the code went.
    fn update_attributes(
        &self,
        state: &mut PoolState,
        key: &str,
        attributes: &[AttributeType],
        caller: Caller,
        now: SystemTime,
    ) -> ServiceResult<Option<CodeDeliveryDetailsType>> {
        for attribute in attributes {
            check_writable(&state.settings, attribute, caller)?;
        }
        let user = state
            .users
            .get(key)
            .ok_or_else(ServiceError::user_not_found)?;
        let change = email_change(&state.settings, user, attributes);
        let (email, verified) = change.resulting_email(user);
        if let Some(email) = email.filter(|_| signs_in(&state.settings, verified)) {
            check_alias_free(state, key, &email)?;
        }
        let code_to = change.needs_code(&state.settings).map(str::to_owned);
        let pool_id = state.settings.id.clone();
        let user = state
            .users
            .get_mut(key)
            .ok_or_else(ServiceError::user_not_found)?;
        if code_to.is_some() {
            check_code_quota(user, now)?;
        }
        set_other_attributes(user, attributes);
        change.apply(user, now);
        user.modified = now;
        let delivery = code_to.map(|email| {
            let kind = match caller {
                Caller::User => "UpdateUserAttributes",
                Caller::Admin => "AdminUpdateUserAttributes",
            };
            let sent = CodeToSend {
                purpose: VERIFY_EMAIL,
                kind,
                email: &email,
            };
            self.send_code(&pool_id, user, &sent, now)
        });
        // The old email stops signing in once replaced; a new verified one starts.
        state.index_user(key);
        Ok(delivery)
    }
}

/// What an update does to the user's email.
#[derive(Debug, PartialEq, Eq)]
enum EmailChange {
    /// No new address. An administrator may still mark the email verified (promoting a pending
    /// one) or not; `drop_pending` when the address given is the current one.
    Keep {
        verified: Option<bool>,
        drop_pending: bool,
    },
    /// The new address is the email at once, verified if an administrator says so.
    Replace { email: String, verified: bool },
    /// The new address waits for its code; the old one stays in force.
    Pending(String),
}

fn email_change(settings: &PoolSettings, user: &User, attributes: &[AttributeType]) -> EmailChange {
    let value = |name: &str| {
        attributes
            .iter()
            .rfind(|a| a.name == name)
            .map(|a| a.value.as_str())
    };
    // Only an administrator gets this far with `email_verified` (see `check_writable`).
    let verified = value("email_verified").map(|v| v == "true");
    match value("email") {
        Some(email) if user.attribute("email") != Some(email) => {
            if verified != Some(true) && settings.email_update_needs_verification() {
                EmailChange::Pending(email.to_owned())
            } else {
                EmailChange::Replace {
                    email: email.to_owned(),
                    verified: verified == Some(true),
                }
            }
        }
        given => EmailChange::Keep {
            verified,
            drop_pending: given.is_some(),
        },
    }
}

impl EmailChange {
    /// The user's email after the change, and whether it is verified.
    fn resulting_email(&self, user: &User) -> (Option<String>, bool) {
        let current = user.attribute("email").map(str::to_owned);
        let verified_now = user.attribute("email_verified") == Some("true");
        match self {
            Self::Keep {
                verified: Some(true),
                drop_pending,
            } => {
                let pending = user.pending_email.clone().filter(|_| !drop_pending);
                (pending.or(current), true)
            }
            Self::Keep { verified, .. } => (current, verified_now && *verified != Some(false)),
            Self::Replace { email, verified } => (Some(email.clone()), *verified),
            Self::Pending(_) => (current, verified_now),
        }
    }

    /// The address a verification code goes to: a new email, unverified, in a pool that
    /// verifies email.
    fn needs_code(&self, settings: &PoolSettings) -> Option<&str> {
        match self {
            Self::Replace {
                email,
                verified: false,
            }
            | Self::Pending(email)
                if verifies_email(settings) =>
            {
                Some(email)
            }
            _ => None,
        }
    }

    fn apply(&self, user: &mut User, now: SystemTime) {
        match self {
            Self::Keep {
                verified,
                drop_pending,
            } => {
                if *drop_pending {
                    user.pending_email = None;
                }
                if let Some(verified) = verified {
                    if let Some(pending) = user.pending_email.take().filter(|_| *verified) {
                        user.set_attribute("email", &pending);
                    }
                    user.set_attribute("email_verified", if *verified { "true" } else { "false" });
                }
            }
            Self::Replace { email, verified } => {
                user.set_attribute("email", email);
                user.set_attribute("email_verified", if *verified { "true" } else { "false" });
                user.pending_email = None;
            }
            Self::Pending(email) => user.pending_email = Some(email.clone()),
        }
        if *self
            != (Self::Keep {
                verified: None,
                drop_pending: false,
            })
        {
            // Codes sent before went to an address that is no longer the one to verify.
            expire_codes(user, VERIFY_EMAIL, now);
        }
    }
}

/// Sets every attribute but the email and its verification (see [`EmailChange`]); a new phone
/// number is unverified unless the same update says otherwise.
fn set_other_attributes(user: &mut User, attributes: &[AttributeType]) {
    for attribute in attributes {
        let name = attribute.name.as_str();
        if name == "email" || name == "email_verified" {
            continue;
        }
        if name == "phone_number" && user.attribute(name) != Some(attribute.value.as_str()) {
            user.set_attribute("phone_number_verified", "false");
        }
        user.set_attribute(name, &attribute.value);
    }
}

/// Refuses what the schema refuses (see [`check_writes`]: unknown, immutable or developer-only
/// attributes, `sub`, values unlike their type) and, for a user, a verification flag, which
/// only an administrator sets.
fn check_writable(
    settings: &PoolSettings,
    attribute: &AttributeType,
    caller: Caller,
) -> ServiceResult<()> {
    let name = attribute.name.as_str();
    let verification_flag = name == "email_verified" || name == "phone_number_verified";
    if verification_flag && caller == Caller::User {
        return Err(ServiceError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {name}: Attribute cannot be updated."
        )));
    }
    let writer = Writer {
        admin: caller == Caller::Admin,
        creating: false,
    };
    check_writes(&settings.schema, std::slice::from_ref(attribute), writer)?;
    check_attribute_format(name, &attribute.value)
}

/// Only an email is verified with a code: the emulator sends no SMS.
fn check_verifiable(name: &str) -> ServiceResult<()> {
    match name {
        "email" => Ok(()),
        "phone_number" => Err(ServiceError::invalid_parameter(
            "phone_number cannot be verified: the emulator sends no SMS.",
        )),
        _ => Err(ServiceError::invalid_parameter(format!(
            "{name} is not an attribute that can be verified."
        ))),
    }
}

/// The address a verification code is for: a pending new email, or else the email.
fn email_to_verify(user: &User) -> ServiceResult<String> {
    user.pending_email
        .clone()
        .or_else(|| user.attribute("email").map(str::to_owned))
        .ok_or_else(|| ServiceError::invalid_parameter("The user has no email address to verify."))
}

/// Whether an email, verified or not, signs in: always where it is the username, and once
/// verified where it is an alias.
fn signs_in(settings: &PoolSettings, verified: bool) -> bool {
    settings.email_is_username() || (settings.email_is_alias() && verified)
}

/// An email that would sign in must not be another user's sign-in email already.
fn check_alias_free(state: &PoolState, key: &str, email: &str) -> ServiceResult<()> {
    if state
        .emails
        .get(&email.to_lowercase())
        .is_some_and(|owner| owner != key)
    {
        return Err(ServiceError::new(
            "AliasExistsException",
            "An account with the given email already exists.",
        ));
    }
    Ok(())
}

/// The key of the user an access token speaks for.
fn token_user_key(state: &PoolState, claims: &AccessClaims) -> ServiceResult<String> {
    state.token_user(claims)?;
    state
        .subs
        .get(&claims.sub)
        .cloned()
        .ok_or_else(ServiceError::user_not_found)
}
