// SPDX-License-Identifier: Apache-2.0
//! The user's MFA preference: SetUserMFAPreference (the signed-in user's own, with its access
//! token) and AdminSetUserMFAPreference. The emulator's only MFA method is TOTP: SMS, email
//! and WebAuthn may be turned off (they are), not on.

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::service::model::{TotpPreference, User};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    pub access_token: Zeroizing<String>,
    #[serde(flatten)]
    pub settings: MfaPreferences,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreferenceRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(flatten)]
    pub settings: MfaPreferences,
}

// Both answer `Empty`.

/// What both requests say of each MFA method: a method left out is left as it is.
#[derive(Debug, Default, Deserialize)]
pub struct MfaPreferences {
    #[serde(rename = "SoftwareTokenMfaSettings")]
    pub software_token: Option<MfaSettings>,
    #[serde(rename = "SMSMfaSettings")]
    pub sms: Option<MfaSettings>,
    #[serde(rename = "EmailMfaSettings")]
    pub email: Option<MfaSettings>,
    #[serde(rename = "WebAuthnMfaSettings")]
    pub web_authn: Option<MfaSettings>,
}

/// `SoftwareTokenMfaSettingsType`, `SMSMfaSettingsType`, `EmailMfaSettingsType`,
/// `WebAuthnMfaSettingsType` (which has no `PreferredMfa`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub preferred_mfa: bool,
}

impl Service {
    pub fn set_user_mfa_preference(
        &self,
        request: SetUserMfaPreferenceRequest,
    ) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let mut state = pool.lock();
        apply(state.token_user_mut(&claims)?, &request.settings)
    }

    pub fn admin_set_user_mfa_preference(
        &self,
        request: AdminSetUserMfaPreferenceRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        apply(state.user_mut(&request.username)?, &request.settings)
    }
}

/// Checks every method's settings first, then keeps the TOTP preference: enabling TOTP takes
/// a verified software token (AssociateSoftwareToken, VerifySoftwareToken), and TOTP is
/// preferred only while enabled.
fn apply(user: &mut User, preferences: &MfaPreferences) -> ServiceResult<Empty> {
    let unsupported = [
        (&preferences.sms, "SMS_MFA"),
        (&preferences.email, "EMAIL_OTP"),
        (&preferences.web_authn, "WEB_AUTHN"),
    ];
    for (settings, method) in unsupported {
        if settings.as_ref().is_some_and(|s| s.enabled) {
            return Err(ServiceError::invalid_parameter(format!(
                "User does not have delivery config set to turn on {method}"
            )));
        }
    }
    if let Some(totp) = &preferences.software_token {
        if totp.enabled && !user.has_software_token() {
            return Err(ServiceError::invalid_parameter(
                "User has not verified software token mfa",
            ));
        }
        user.software_token.preference = Some(TotpPreference {
            enabled: totp.enabled,
            preferred: totp.enabled && totp.preferred_mfa,
        });
    }
    Ok(Empty {})
}
