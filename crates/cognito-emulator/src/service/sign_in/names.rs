// SPDX-License-Identifier: Apache-2.0
//! The sign-in flows and challenges the API names (`AuthFlowType`, `ChallengeNameType`), read
//! once from the request and compared as values from then on.

use serde::{Deserialize, Serialize};

/// `AuthFlowType`: every flow the model names, emulated or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlow {
    UserSrpAuth,
    RefreshTokenAuth,
    RefreshToken,
    CustomAuth,
    AdminNoSrpAuth,
    UserPasswordAuth,
    AdminUserPasswordAuth,
    UserAuth,
}

impl AuthFlow {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserSrpAuth => "USER_SRP_AUTH",
            Self::RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
            Self::RefreshToken => "REFRESH_TOKEN",
            Self::CustomAuth => "CUSTOM_AUTH",
            Self::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            Self::UserPasswordAuth => "USER_PASSWORD_AUTH",
            Self::AdminUserPasswordAuth => "ADMIN_USER_PASSWORD_AUTH",
            Self::UserAuth => "USER_AUTH",
        }
    }

    pub fn is_refresh(self) -> bool {
        matches!(self, Self::RefreshTokenAuth | Self::RefreshToken)
    }

    /// The `ALLOW_` name in an app client's ExplicitAuthFlows that permits this flow.
    pub fn allow_name(self) -> &'static str {
        match self {
            Self::UserSrpAuth => "ALLOW_USER_SRP_AUTH",
            Self::RefreshTokenAuth | Self::RefreshToken => "ALLOW_REFRESH_TOKEN_AUTH",
            Self::CustomAuth => "ALLOW_CUSTOM_AUTH",
            Self::AdminNoSrpAuth | Self::AdminUserPasswordAuth => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            Self::UserPasswordAuth => "ALLOW_USER_PASSWORD_AUTH",
            Self::UserAuth => "ALLOW_USER_AUTH",
        }
    }

    /// The name from before the `ALLOW_` ones that permits this flow, where there is one.
    pub fn legacy_name(self) -> Option<&'static str> {
        match self {
            Self::AdminNoSrpAuth | Self::AdminUserPasswordAuth => Some("ADMIN_NO_SRP_AUTH"),
            Self::UserPasswordAuth => Some("USER_PASSWORD_AUTH"),
            Self::CustomAuth => Some("CUSTOM_AUTH_FLOW_ONLY"),
            _ => None,
        }
    }
}

/// `ChallengeNameType`: every challenge the model names, sent or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChallengeName {
    SmsMfa,
    EmailOtp,
    SoftwareTokenMfa,
    SelectMfaType,
    MfaSetup,
    PasswordVerifier,
    CustomChallenge,
    SelectChallenge,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    AdminNoSrpAuth,
    NewPasswordRequired,
    SmsOtp,
    Password,
    WebAuthn,
    PasswordSrp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flow_and_challenge_names_are_the_wire_names() {
        let flow: AuthFlow = serde_json::from_value(json!("ADMIN_USER_PASSWORD_AUTH")).unwrap();
        assert_eq!(flow, AuthFlow::AdminUserPasswordAuth);
        assert_eq!(flow.as_str(), "ADMIN_USER_PASSWORD_AUTH");
        for name in [
            "DEVICE_SRP_AUTH",
            "WEB_AUTHN",
            "SMS_MFA",
            "NEW_PASSWORD_REQUIRED",
        ] {
            let challenge: ChallengeName = serde_json::from_value(json!(name)).unwrap();
            assert_eq!(serde_json::to_value(challenge).unwrap(), json!(name));
        }
    }
}
