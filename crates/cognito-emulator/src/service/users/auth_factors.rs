// SPDX-License-Identifier: Apache-2.0
//! GetUserAuthFactors (the signed-in user, by access token) and AdminGetUserAuthFactors (any
//! user, by name): the user's MFA methods and preferred one, as GetUser tells them, and the
//! first factors the user could choose in a USER_AUTH sign-in.
//!
//! A first factor is listed when both the pool and the user allow it: a password when the user
//! has a usable one, EMAIL_OTP and SMS_OTP when the pool's sign-in policy allows them and the
//! user has the verified address a code would go to. The emulator has no passkeys, so
//! WEB_AUTHN is never listed.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::get::mfa_settings;
use crate::service::import::has_usable_password;
use crate::service::model::{PoolSettings, User};
use crate::service::{Service, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAuthFactorsRequest {
    pub access_token: Zeroizing<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserAuthFactorsRequest {
    pub user_pool_id: String,
    pub username: String,
}

/// The answer of both operations.
#[derive(Debug, Serialize)]
pub struct UserAuthFactorsAnswer {
    #[serde(rename = "Username")]
    pub username: String,
    #[serde(
        rename = "PreferredMfaSetting",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_mfa_setting: Option<&'static str>,
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<&'static str>>,
    #[serde(rename = "ConfiguredUserAuthFactors")]
    pub configured_user_auth_factors: Vec<&'static str>,
}

impl Service {
    pub fn get_user_auth_factors(
        &self,
        request: GetUserAuthFactorsRequest,
    ) -> ServiceResult<UserAuthFactorsAnswer> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let state = pool.lock();
        let user = state.token_user(&claims)?;
        Ok(auth_factors(&state.settings, user))
    }

    pub fn admin_get_user_auth_factors(
        &self,
        request: AdminGetUserAuthFactorsRequest,
    ) -> ServiceResult<UserAuthFactorsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let user = state.user(&request.username)?;
        Ok(auth_factors(&state.settings, user))
    }
}

fn auth_factors(settings: &PoolSettings, user: &User) -> UserAuthFactorsAnswer {
    let mfa = mfa_settings(user);
    UserAuthFactorsAnswer {
        username: user.username.clone(),
        preferred_mfa_setting: mfa.preferred_mfa_setting,
        user_mfa_setting_list: mfa.user_mfa_setting_list,
        configured_user_auth_factors: first_factors(settings, user),
    }
}

/// The first factors of a USER_AUTH sign-in open to this user in this pool, in the API's order.
fn first_factors(settings: &PoolSettings, user: &User) -> Vec<&'static str> {
    let allowed = |factor: &str| {
        settings
            .config
            .sign_in_policy
            .as_ref()
            .is_some_and(|policy| {
                policy
                    .allowed_first_auth_factors
                    .iter()
                    .any(|f| f == factor)
            })
    };
    let verified = |attribute: &str| user.attribute(attribute) == Some("true");
    let mut factors = Vec::new();
    if has_usable_password(user) {
        factors.push("PASSWORD");
    }
    if allowed("EMAIL_OTP") && verified("email_verified") {
        factors.push("EMAIL_OTP");
    }
    if allowed("SMS_OTP") && verified("phone_number_verified") {
        factors.push("SMS_OTP");
    }
    factors
}
