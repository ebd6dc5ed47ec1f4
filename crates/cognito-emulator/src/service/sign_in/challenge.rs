// SPDX-License-Identifier: Apache-2.0
//! What a challenge carries each way: the parameters the service sends with it, and the answer
//! a client sends back, each read into its own type once.

use std::collections::HashMap;

use serde::Serialize;

use super::names::ChallengeName;
use crate::service::{ServiceError, ServiceResult};

/// `ChallengeParameters`, one variant per challenge the emulator sends (a map of strings on the
/// wire). `None` is the empty map that comes with tokens.
#[derive(Debug, Serialize)]
#[serde(untagged, rename_all_fields = "SCREAMING_SNAKE_CASE")]
pub enum ChallengeParameters {
    None {},
    /// PASSWORD_VERIFIER, and DEVICE_PASSWORD_VERIFIER (with the device key, for which
    /// USER_ID_FOR_SRP is not sent).
    PasswordVerifier {
        salt: String,
        srp_b: String,
        secret_block: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_id_for_srp: Option<String>,
        username: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        device_key: Option<String>,
    },
    NewPasswordRequired {
        user_id_for_srp: String,
        /// The user's attributes as a JSON object, in a string.
        #[serde(rename = "userAttributes")]
        user_attributes: String,
        /// A JSON list, in a string.
        #[serde(rename = "requiredAttributes")]
        required_attributes: String,
    },
    SoftwareTokenMfa {
        user_id_for_srp: String,
    },
    MfaSetup {
        /// A JSON list of the factors the user may set up, in a string.
        mfas_can_setup: String,
        user_id_for_srp: String,
    },
    DeviceSrpAuth {
        username: String,
        device_key: String,
    },
}

/// The three values of a password claim (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER).
#[derive(Debug)]
pub struct PasswordClaim<'a> {
    pub signature: &'a str,
    pub secret_block: &'a str,
    pub timestamp: &'a str,
}

/// `ChallengeResponses`, read for the challenge the request names. Everything an answer must
/// carry is checked here, before the session is spent, so a malformed answer can be corrected
/// and sent again.
#[derive(Debug)]
pub enum ChallengeAnswer<'a> {
    PasswordVerifier {
        claim: PasswordClaim<'a>,
        device_key: Option<&'a str>,
    },
    NewPasswordRequired {
        new_password: &'a str,
        /// `userAttributes.<name>` answers: (name, value).
        attributes: Vec<(&'a str, &'a str)>,
    },
    SoftwareTokenMfa {
        code: &'a str,
        device_key: Option<&'a str>,
    },
    /// The last step of MFA_SETUP, after VerifySoftwareToken: nothing beyond USERNAME.
    MfaSetup,
    DeviceSrpAuth {
        device_key: &'a str,
        srp_a: &'a str,
    },
    DevicePasswordVerifier {
        claim: PasswordClaim<'a>,
        device_key: &'a str,
    },
    /// A challenge the emulator never sends: no session can be waiting for it.
    NotSent(ChallengeName),
}

/// A response the answer must carry.
pub fn required<'a>(responses: &'a HashMap<String, String>, name: &str) -> ServiceResult<&'a str> {
    responses
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ServiceError::missing_parameter(name))
}

impl<'a> PasswordClaim<'a> {
    pub fn read(responses: &'a HashMap<String, String>) -> ServiceResult<Self> {
        Ok(Self {
            signature: required(responses, "PASSWORD_CLAIM_SIGNATURE")?,
            secret_block: required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?,
            timestamp: required(responses, "TIMESTAMP")?,
        })
    }
}

impl<'a> ChallengeAnswer<'a> {
    pub fn read(
        name: ChallengeName,
        responses: &'a HashMap<String, String>,
    ) -> ServiceResult<Self> {
        let optional = |key: &str| responses.get(key).map(String::as_str);
        Ok(match name {
            ChallengeName::PasswordVerifier => Self::PasswordVerifier {
                claim: PasswordClaim::read(responses)?,
                device_key: optional("DEVICE_KEY"),
            },
            ChallengeName::NewPasswordRequired => Self::NewPasswordRequired {
                new_password: required(responses, "NEW_PASSWORD")?,
                attributes: responses
                    .iter()
                    .filter_map(|(key, value)| {
                        let name = key.strip_prefix("userAttributes.")?;
                        Some((name, value.as_str()))
                    })
                    .collect(),
            },
            ChallengeName::SoftwareTokenMfa => Self::SoftwareTokenMfa {
                code: required(responses, "SOFTWARE_TOKEN_MFA_CODE")?,
                device_key: optional("DEVICE_KEY"),
            },
            ChallengeName::MfaSetup => Self::MfaSetup,
            ChallengeName::DeviceSrpAuth => Self::DeviceSrpAuth {
                device_key: required(responses, "DEVICE_KEY")?,
                srp_a: required(responses, "SRP_A")?,
            },
            ChallengeName::DevicePasswordVerifier => {
                let device_key = required(responses, "DEVICE_KEY")?;
                Self::DevicePasswordVerifier {
                    claim: PasswordClaim::read(responses)?,
                    device_key,
                }
            }
            other => Self::NotSent(other),
        })
    }

    pub fn name(&self) -> ChallengeName {
        match self {
            Self::PasswordVerifier { .. } => ChallengeName::PasswordVerifier,
            Self::NewPasswordRequired { .. } => ChallengeName::NewPasswordRequired,
            Self::SoftwareTokenMfa { .. } => ChallengeName::SoftwareTokenMfa,
            Self::MfaSetup => ChallengeName::MfaSetup,
            Self::DeviceSrpAuth { .. } => ChallengeName::DeviceSrpAuth,
            Self::DevicePasswordVerifier { .. } => ChallengeName::DevicePasswordVerifier,
            Self::NotSent(name) => *name,
        }
    }
}
