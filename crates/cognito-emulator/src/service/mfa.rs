// SPDX-License-Identifier: Apache-2.0
//! TOTP enrolment: AssociateSoftwareToken and VerifySoftwareToken, either during the MFA_SETUP
//! challenge (with its Session) or for a signed-in user (with an access token).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::clock::unix_seconds;
use super::model::{AuthSession, Challenge, PoolState, User};
use super::sign_in::session::{self, reopen, take_enrolment};
use super::{Service, ServiceError, ServiceResult};
use crate::crypto::totp;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub session: Option<String>,
}

/// The secret to enrol, and the next session when enrolling during MFA_SETUP.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenAnswer {
    pub secret_code: Zeroizing<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub session: Option<String>,
    pub user_code: Zeroizing<String>,
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenAnswer {
    /// `SUCCESS`: a wrong code is an error instead.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

fn not_enabled() -> ServiceError {
    ServiceError::new(
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA has not been enabled by the userPool",
    )
}

impl Service {
    pub fn associate_software_token(
        &self,
        request: AssociateSoftwareTokenRequest,
    ) -> ServiceResult<AssociateSoftwareTokenAnswer> {
        let secret = totp::generate_secret();
        match (request.access_token, request.session) {
            (Some(token), None) => {
                let (pool, claims) = self.authenticate_access_token(&token)?;
                let mut state = pool.lock();
                if !state.settings.software_token_mfa {
                    return Err(not_enabled());
                }
                state.token_user_mut(&claims)?.software_token.pending_secret = Some(secret.clone());
                Ok(AssociateSoftwareTokenAnswer {
                    secret_code: secret,
                    session: None,
                })
            }
            (None, Some(session_id)) => {
                let now = self.now();
                let pool = self.find_enrolment_session(&session_id, now, |challenge| {
                    matches!(
                        challenge,
                        Challenge::MfaSetup | Challenge::MfaSetupAssociated
                    )
                })?;
                let mut state = pool.lock();
                if !state.settings.software_token_mfa {
                    return Err(not_enabled());
                }
                let session = take_enrolment(&mut state, &session_id)?;
                session_user(&mut state, &session)?
                    .software_token
                    .pending_secret = Some(secret.clone());
                let next = reopen(&mut state, session, Challenge::MfaSetupAssociated, now);
                Ok(AssociateSoftwareTokenAnswer {
                    secret_code: secret,
                    session: Some(next),
                })
            }
            _ => Err(ServiceError::invalid_parameter(
                "Exactly one of AccessToken and Session must be given.",
            )),
        }
    }

    pub fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> ServiceResult<VerifySoftwareTokenAnswer> {
        let now = self.now();
        let friendly = request.friendly_device_name;
        match (request.access_token, request.session) {
            (Some(token), None) => {
                let (pool, claims) = self.authenticate_access_token(&token)?;
                let mut state = pool.lock();
                let user = state.token_user_mut(&claims)?;
                enable(user, &request.user_code, friendly, unix_seconds(now))?;
                Ok(VerifySoftwareTokenAnswer {
                    status: "SUCCESS",
                    session: None,
                })
            }
            (None, Some(session_id)) => {
                let pool = self.find_enrolment_session(&session_id, now, |challenge| {
                    matches!(challenge, Challenge::MfaSetupAssociated)
                })?;
                let mut state = pool.lock();
                let session = take_enrolment(&mut state, &session_id)?;
                let user = session_user(&mut state, &session)?;
                if let Err(error) = enable(user, &request.user_code, friendly, unix_seconds(now)) {
                    if let Some(retry) = session::after_wrong_answer(session) {
                        session::put_back(&mut state, session_id, retry);
                    }
                    return Err(error);
                }
                let next = reopen(&mut state, session, Challenge::MfaSetupVerified, now);
                Ok(VerifySoftwareTokenAnswer {
                    status: "SUCCESS",
                    session: Some(next),
                })
            }
            _ => Err(ServiceError::invalid_parameter(
                "Exactly one of AccessToken and Session must be given.",
            )),
        }
    }
}

/// The user a session belongs to: one deleted since, or replaced by another of the same name,
/// has no session.
fn session_user<'a>(
    state: &'a mut PoolState,
    session: &AuthSession,
) -> ServiceResult<&'a mut User> {
    state
        .user_by_sub_mut(&session.sub)
        .ok_or_else(ServiceError::invalid_session)
}

/// Checks the first code of an associated secret; a match makes it the user's TOTP factor.
fn enable(user: &mut User, code: &str, friendly: Option<String>, now: i64) -> ServiceResult<()> {
    let mismatch = || {
        ServiceError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        )
    };
    let pending = user.software_token.pending_secret.as_ref().ok_or_else(|| {
        ServiceError::new(
            "SoftwareTokenMFANotFoundException",
            "No software token has been associated with the user: call AssociateSoftwareToken first.",
        )
    })?;
    let step = totp::matching_step(pending, code, now).ok_or_else(mismatch)?;
    let token = &mut user.software_token;
    token.secret = token.pending_secret.take();
    token.last_used_step = Some(step);
    token.friendly_name = friendly;
    Ok(())
}
