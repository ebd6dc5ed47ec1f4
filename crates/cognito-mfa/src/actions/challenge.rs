// SPDX-License-Identifier: Apache-2.0
//! The parameters Cognito sends with a sign-in challenge, read by their wire names here so the
//! scenario deals in values, not map keys.

use std::collections::HashMap;

use cognito_srp::PasswordVerifierChallenge;

#[derive(Debug, Clone, Copy)]
pub struct ChallengeParameters<'a>(Option<&'a HashMap<String, String>>);

impl<'a> ChallengeParameters<'a> {
    pub fn new(parameters: Option<&'a HashMap<String, String>>) -> Self {
        Self(parameters)
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.0?.get(name).map(String::as_str)
    }

    /// The user's internal name, which challenge answers carry as USERNAME: an alias such as an
    /// email address signs in, but the answers name the user itself.
    pub fn username(&self) -> Option<&'a str> {
        self.get("USER_ID_FOR_SRP").or_else(|| self.get("USERNAME"))
    }

    /// MFA_SETUP's MFAS_CAN_SETUP, a JSON list such as `["SOFTWARE_TOKEN_MFA"]`.
    pub fn mfas_can_set_up(&self) -> Vec<String> {
        self.get("MFAS_CAN_SETUP")
            .and_then(|list| serde_json::from_str(list).ok())
            .unwrap_or_default()
    }

    /// The SRP values of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge; the error
    /// names the parameter that is missing.
    pub fn password_verifier(&self) -> Result<PasswordVerifierChallenge<'a>, &'static str> {
        let required = |name: &'static str| self.get(name).ok_or(name);
        Ok(PasswordVerifierChallenge {
            srp_b: required("SRP_B")?,
            salt: required("SALT")?,
            secret_block: required("SECRET_BLOCK")?,
        })
    }
}

/// An MFA type as a person would say it.
pub fn describe_mfa(name: &str) -> &str {
    match name {
        "SOFTWARE_TOKEN_MFA" => "an authenticator app (TOTP)",
        "SMS_MFA" => "text messages (SMS)",
        "EMAIL_OTP" => "codes by email",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parameters_by_their_wire_names() {
        let map = HashMap::from([
            ("USER_ID_FOR_SRP".to_owned(), "b1c2".to_owned()),
            ("USERNAME".to_owned(), "jane@example.com".to_owned()),
            (
                "MFAS_CAN_SETUP".to_owned(),
                r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#.to_owned(),
            ),
            ("SRP_B".to_owned(), "ab".to_owned()),
            ("SALT".to_owned(), "cd".to_owned()),
        ]);
        let parameters = ChallengeParameters::new(Some(&map));
        assert_eq!(parameters.username(), Some("b1c2"));
        assert_eq!(
            parameters.mfas_can_set_up(),
            ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
        );
        assert_eq!(parameters.password_verifier().unwrap_err(), "SECRET_BLOCK");
        assert_eq!(ChallengeParameters::new(None).username(), None);
        assert_eq!(
            describe_mfa("SOFTWARE_TOKEN_MFA"),
            "an authenticator app (TOTP)"
        );
    }
}
