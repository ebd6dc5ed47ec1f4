// SPDX-License-Identifier: Apache-2.0
//! TOTP enrolment: AssociateSoftwareToken and VerifySoftwareToken, either during the MFA_SETUP
//! challenge (with its Session) or for a signed-in user (with an access token).

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::clock::unix_seconds;
use super::model::{AuthSession, Challenge, PoolState, User};
use super::sign_in::MAX_WRONG_ANSWERS;
use super::{Service, ServiceError, ServiceResult};
use crate::crypto::{random, totp};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    pub access_token: Option<Zeroizing<String>>,
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
    ) -> ServiceResult<Value> {
        let secret = totp::generate_secret();
        match (request.access_token, request.session) {
            (Some(token), None) => {
                let (pool, claims) = self.authenticate_access_token(&token)?;
                let mut state = pool.lock();
                if !state.settings.software_token_mfa {
                    return Err(not_enabled());
                }
                state.token_user_mut(&claims)?.software_token.pending_secret = Some(secret.clone());
                Ok(json!({ "SecretCode": secret.as_str() }))
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
                let session = take(&mut state, &session_id)?;
                session_user(&mut state, &session)?
                    .software_token
                    .pending_secret = Some(secret.clone());
                let next = reopen(&mut state, session, Challenge::MfaSetupAssociated, now);
                Ok(json!({ "SecretCode": secret.as_str(), "Session": next }))
            }
            _ => Err(ServiceError::invalid_parameter(
                "Exactly one of AccessToken and Session must be given.",
            )),
        }
    }

    pub fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> ServiceResult<Value> {
        let now = self.now();
        let friendly = request.friendly_device_name;
        match (request.access_token, request.session) {
            (Some(token), None) => {
                let (pool, claims) = self.authenticate_access_token(&token)?;
                let mut state = pool.lock();
                let user = state.token_user_mut(&claims)?;
                enable(user, &request.user_code, friendly, unix_seconds(now))?;
                Ok(json!({ "Status": "SUCCESS" }))
            }
            (None, Some(session_id)) => {
                let pool = self.find_enrolment_session(&session_id, now, |challenge| {
                    matches!(challenge, Challenge::MfaSetupAssociated)
                })?;
                let mut state = pool.lock();
                let session = take(&mut state, &session_id)?;
                let user = session_user(&mut state, &session)?;
                if let Err(error) = enable(user, &request.user_code, friendly, unix_seconds(now)) {
                    if session.wrong_answers + 1 < MAX_WRONG_ANSWERS {
                        let retry = AuthSession {
                            wrong_answers: session.wrong_answers + 1,
                            ..session
                        };
                        state.sessions.insert(session_id, retry);
                    }
                    return Err(error);
                }
                let next = reopen(&mut state, session, Challenge::MfaSetupVerified, now);
                Ok(json!({ "Status": "SUCCESS", "Session": next }))
            }
            _ => Err(ServiceError::invalid_parameter(
                "Exactly one of AccessToken and Session must be given.",
            )),
        }
    }

    /// Finds which pool holds an MFA_SETUP session (sessions are not tied to a client here).
    fn find_enrolment_session(
        &self,
        session_id: &str,
        now: SystemTime,
        stage: impl Fn(&Challenge) -> bool,
    ) -> ServiceResult<std::sync::Arc<super::Pool>> {
        let pools = self.all_pools();
        for pool in pools {
            let mut state = pool.lock();
            let Some(session) = state.sessions.get(session_id) else {
                continue;
            };
            if session.expires <= now {
                state.sessions.remove(session_id);
                return Err(ServiceError::expired_session());
            }
            if !stage(&session.challenge) {
                return Err(ServiceError::invalid_session());
            }
            drop(state);
            return Ok(pool);
        }
        Err(ServiceError::invalid_session())
    }
}

/// Removes the session `find_enrolment_session` found; gone meanwhile means used meanwhile.
fn take(state: &mut PoolState, session_id: &str) -> ServiceResult<AuthSession> {
    state
        .sessions
        .remove(session_id)
        .ok_or_else(ServiceError::invalid_session)
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

/// The next step of the same sign-in, under a new session id.
/// Each step gets the client's whole session validity again.
fn reopen(
    state: &mut PoolState,
    session: AuthSession,
    challenge: Challenge,
    now: SystemTime,
) -> String {
    let minutes = state
        .clients
        .get(&session.client_id)
        .map_or(3, |client| client.auth_session_validity_minutes);
    let id = random::opaque::<48>();
    state.sessions.insert(
        id.clone(),
        AuthSession {
            challenge,
            wrong_answers: 0,
            expires: now + Duration::from_secs(minutes * 60),
            ..session
        },
    );
    id
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
