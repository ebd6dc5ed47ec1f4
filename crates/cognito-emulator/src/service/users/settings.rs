// SPDX-License-Identifier: Apache-2.0
//! The user's legacy MFA settings, AdminSetUserSettings and SetUserSettings, and the removal of
//! its TOTP factor, AdminDeleteSoftwareToken.
//!
//! The legacy settings name SMS MFA only (`MFAOptions`: SMS to `phone_number`). The emulator
//! sends no SMS and has no SMS MFA: the options are checked as the service checks them, kept
//! and shown by AdminGetUser and GetUser, and change nothing about how the user signs in.

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::service::model::{MfaOption, SoftwareToken, User, UserStatus};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserSettingsRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<MfaOptionRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserSettingsRequest {
    pub access_token: Zeroizing<String>,
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<MfaOptionRequest>,
}

/// `MFAOptionType` as sent: both members may be left out.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOptionRequest {
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

// AdminDeleteSoftwareToken takes an `AdminUserRequest`; all three answer `Empty`.

impl Service {
    pub fn admin_set_user_settings(
        &self,
        request: AdminSetUserSettingsRequest,
    ) -> ServiceResult<Empty> {
        let options = checked_options(request.mfa_options)?;
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        state.user_mut(&request.username)?.mfa_options = options;
        Ok(Empty {})
    }

    pub fn set_user_settings(&self, request: SetUserSettingsRequest) -> ServiceResult<Empty> {
        let options = checked_options(request.mfa_options)?;
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let mut state = pool.lock();
        state.token_user_mut(&claims)?.mfa_options = options;
        Ok(Empty {})
    }

    /// Forgets the user's TOTP factor, verified or only associated, and its TOTP preference.
    /// Where MFA is required the next sign-in asks to set up MFA again (MFA_SETUP); where it is
    /// optional the user signs in without it; a SOFTWARE_TOKEN_MFA challenge already under way
    /// can no longer be answered.
    pub fn admin_delete_software_token(
        &self,
        request: super::AdminUserRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let user = state.user_mut(&request.username)?;
        if user.status == UserStatus::Unconfirmed {
            return Err(ServiceError::new(
                "UserNotConfirmedException",
                "User is not confirmed.",
            ));
        }
        forget_software_token(user);
        Ok(Empty {})
    }
}

fn forget_software_token(user: &mut User) {
    user.software_token = SoftwareToken::default();
}

/// The options as the service accepts them: SMS to `phone_number`, each once. An empty list
/// turns the legacy SMS MFA off.
fn checked_options(options: Vec<MfaOptionRequest>) -> ServiceResult<Vec<MfaOption>> {
    let mut checked: Vec<MfaOption> = Vec::with_capacity(options.len());
    for option in options {
        if option.attribute_name.as_deref() != Some("phone_number") {
            return Err(ServiceError::invalid_parameter(
                "Only phone_number attribute is currently supported as a MFA option.",
            ));
        }
        if option.delivery_medium.as_deref() != Some("SMS") {
            return Err(ServiceError::invalid_parameter(
                "Only SMS is currently supported as the delivery medium of a MFA option.",
            ));
        }
        let option = MfaOption {
            delivery_medium: "SMS".to_owned(),
            attribute_name: "phone_number".to_owned(),
        };
        if !checked.contains(&option) {
            checked.push(option);
        }
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(medium: Option<&str>, attribute: Option<&str>) -> MfaOptionRequest {
        MfaOptionRequest {
            delivery_medium: medium.map(str::to_owned),
            attribute_name: attribute.map(str::to_owned),
        }
    }

    #[test]
    fn only_sms_to_the_phone_number_is_accepted_and_kept_once() {
        let sms = || option(Some("SMS"), Some("phone_number"));
        assert_eq!(checked_options(vec![sms(), sms()]).unwrap().len(), 1);
        assert_eq!(checked_options(Vec::new()).unwrap(), []);
        for refused in [
            option(Some("EMAIL"), Some("phone_number")),
            option(Some("SMS"), Some("email")),
            option(None, Some("phone_number")),
            option(Some("SMS"), None),
        ] {
            let error = checked_options(vec![refused]).unwrap_err();
            assert_eq!(error.code, "InvalidParameterException");
        }
    }

    #[test]
    fn deleting_the_software_token_forgets_secret_pending_secret_and_preference() {
        let mut user = User::for_test("ann", &[]);
        user.software_token.secret = Some(Zeroizing::new("SECRET".to_owned()));
        user.software_token.pending_secret = Some(Zeroizing::new("NEXT".to_owned()));
        user.software_token.preference = Some(crate::service::model::TotpPreference {
            enabled: true,
            preferred: true,
        });
        forget_software_token(&mut user);
        assert!(!user.has_software_token());
        assert!(user.software_token.pending_secret.is_none());
        assert!(user.software_token.preference.is_none());
    }
}
