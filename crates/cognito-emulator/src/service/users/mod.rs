// SPDX-License-Identifier: Apache-2.0
//! Users: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp ([`sign_up`]);
//! AdminCreateUser, AdminSetUserPassword, AdminDeleteUser ([`admin`]); AdminGetUser, GetUser
//! ([`get`]); ListUsers ([`list`]). The confirmation codes they send are in [`codes`], and the
//! making of a new user, shared by SignUp and AdminCreateUser, in [`new_user`]. The signed-in
//! user's own account: ChangePassword, DeleteUser, and AdminDisableUser, AdminEnableUser
//! ([`account`]); DeleteUserAttributes, AdminDeleteUserAttributes ([`delete_attributes`]);
//! SetUserMFAPreference, AdminSetUserMFAPreference ([`mfa_preference`]). Password recovery:
//! ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword ([`forgot_password`]).
//! Attributes and their verification: UpdateUserAttributes, AdminUpdateUserAttributes,
//! GetUserAttributeVerificationCode, VerifyUserAttribute ([`attributes`]). The user's legacy
//! settings and its TOTP factor: AdminSetUserSettings, SetUserSettings, AdminDeleteSoftwareToken
//! ([`settings`]). The user's sign-in options: GetUserAuthFactors, AdminGetUserAuthFactors
//! ([`auth_factors`]).

mod account;
mod admin;
mod attributes;
mod auth_factors;
mod codes;
mod delete_attributes;
mod forgot_password;
mod get;
mod list;
mod mfa_preference;
mod new_user;
pub(crate) use new_user::{NewUser, check_user_is_new, insert_user, new_user};
mod settings;
mod sign_up;
// The hosted pages (`super::login`) run the same sign-up and password recovery.
pub(crate) use forgot_password::{ConfirmForgotPasswordRequest, ForgotPasswordRequest};
pub(crate) use sign_up::{
    ConfirmSignUpRequest, ResendConfirmationCodeRequest, SignUpRequest, UserOfClient,
};

use serde::{Deserialize, Serialize};

use super::AttributeType;
use super::clock::epoch_seconds;
use super::model::{MfaOption, User};

/// The request of AdminConfirmSignUp, AdminGetUser and AdminDeleteUser, which are given the
/// same: the pool and the username.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

/// `UserType`: a user as AdminCreateUser answers it and ListUsers lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    pub username: String,
    pub attributes: Vec<AttributeType>,
    /// Seconds since the epoch, as every date of the API.
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: &'static str,
    /// The legacy SMS MFA options (AdminSetUserSettings), as the model's `UserType` has them.
    #[serde(rename = "MFAOptions", skip_serializing_if = "Vec::is_empty")]
    pub mfa_options: Vec<MfaOption>,
}

/// A user as `UserType`, with all its attributes or `only` the ones named.
pub(crate) fn user_type(user: &User, only: Option<&[String]>) -> UserType {
    UserType {
        username: user.username.clone(),
        attributes: attribute_list(user, only),
        user_create_date: epoch_seconds(user.created),
        user_last_modified_date: epoch_seconds(user.modified),
        enabled: user.enabled,
        user_status: user.status.name(),
        mfa_options: user.mfa_options.clone(),
    }
}

/// The user's attributes, in their order, all of them or `only` the ones named.
fn attribute_list(user: &User, only: Option<&[String]>) -> Vec<AttributeType> {
    user.attributes
        .iter()
        .filter(|(name, _)| only.is_none_or(|names| names.iter().any(|n| n == name)))
        .map(|(name, value)| AttributeType::new(name, value))
        .collect()
}
