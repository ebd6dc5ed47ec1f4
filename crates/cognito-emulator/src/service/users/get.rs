// SPDX-License-Identifier: Apache-2.0
//! One user, as the administrator reads it (AdminGetUser) and as the user reads itself (GetUser).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{AdminUserRequest, UserType, attribute_list, user_type};
use crate::service::model::{MfaOption, User};
use crate::service::schema::client_may_read;
use crate::service::{AttributeType, Service, ServiceResult};

// AdminGetUser takes an `AdminUserRequest`.

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserAnswer {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    /// Seconds since the epoch, as every date of the API.
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: &'static str,
    #[serde(flatten)]
    pub mfa: UserMfaSettings,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserRequest {
    pub access_token: Zeroizing<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAnswer {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(flatten)]
    pub mfa: UserMfaSettings,
}

/// The two members of AdminGetUser's and GetUser's answers that tell the user's MFA: both left
/// out for a user without TOTP.
#[derive(Debug, Serialize)]
pub struct UserMfaSettings {
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<&'static str>>,
    #[serde(
        rename = "PreferredMfaSetting",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_mfa_setting: Option<&'static str>,
    /// The legacy SMS options of AdminSetUserSettings and SetUserSettings, left out when none.
    #[serde(rename = "MFAOptions", skip_serializing_if = "Vec::is_empty")]
    pub mfa_options: Vec<MfaOption>,
}

impl Service {
    pub fn admin_get_user(&self, request: AdminUserRequest) -> ServiceResult<AdminGetUserAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let user = state.user(&request.username)?;
        let UserType {
            username,
            attributes,
            user_create_date,
            user_last_modified_date,
            enabled,
            user_status,
            // Answered with the rest of the MFA settings, below.
            mfa_options: _,
        } = user_type(user, None);
        Ok(AdminGetUserAnswer {
            username,
            user_attributes: attributes,
            user_create_date,
            user_last_modified_date,
            enabled,
            user_status,
            mfa: mfa_settings(user),
        })
    }

    pub fn get_user(&self, request: GetUserRequest) -> ServiceResult<GetUserAnswer> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let state = pool.lock();
        let user = state.token_user(&claims)?;
        let client = state.client(&claims.client_id)?;
        Ok(GetUserAnswer {
            username: user.username.clone(),
            user_attributes: attribute_list(user, None)
                .into_iter()
                .filter(|attribute| client_may_read(client, &attribute.name))
                .collect(),
            mfa: mfa_settings(user),
        })
    }
}

/// The user's MFA methods (TOTP only: the emulator has no SMS or email MFA) and the preferred
/// one, each left out when there is none.
pub(super) fn mfa_settings(user: &User) -> UserMfaSettings {
    const TOTP: &str = "SOFTWARE_TOKEN_MFA";
    UserMfaSettings {
        user_mfa_setting_list: user.software_token_mfa_enabled().then(|| vec![TOTP]),
        preferred_mfa_setting: user.software_token_mfa_preferred().then_some(TOTP),
        mfa_options: user.mfa_options.clone(),
    }
}
