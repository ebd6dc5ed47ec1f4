// SPDX-License-Identifier: Apache-2.0
//! Signing in: InitiateAuth and AdminInitiateAuth start a flow, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge answer its challenges, until tokens are issued.
//!
//! Order of steps after the first request: the password (plain or SRP), a new password if the
//! user has a temporary one, then a remembered device proves itself (DEVICE_SRP_AUTH) instead
//! of MFA, or MFA (MFA_SETUP or SOFTWARE_TOKEN_MFA) is asked for; then tokens.
//!
//! Files: `names` (flows and challenges), `challenge` (what each challenge sends and takes),
//! `session`, `password` (the first factor), `steps` (what follows it), `device`, `refresh`,
//! `judge` (judging secrets within the lockout, and users who are not there).

mod challenge;
mod device;
mod judge;
mod names;
mod password;
mod refresh;
pub(crate) mod session;
mod steps;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use challenge::ChallengeParameters;
pub use names::{AuthFlow, ChallengeName};

use super::model::{AuthSession, Challenge, SignInPurpose};
use super::tokens::AuthenticationResult;
use super::{Pool, Service, ServiceError, ServiceResult, check_secret_hash};
use challenge::ChallengeAnswer;

/// InitiateAuth and AdminInitiateAuth (which also names the pool).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub user_pool_id: Option<String>,
    pub client_id: String,
    pub auth_flow: AuthFlow,
    pub auth_parameters: Option<HashMap<String, String>>,
}

/// RespondToAuthChallenge and AdminRespondToAuthChallenge (which also names the pool).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub user_pool_id: Option<String>,
    pub client_id: String,
    pub challenge_name: ChallengeName,
    pub session: Option<String>,
    pub challenge_responses: Option<HashMap<String, String>>,
}

/// The answer of all four sign-in operations: the next challenge, or tokens.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<ChallengeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub challenge_parameters: ChallengeParameters,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// The end of a managed-login sign-in, in place of tokens; never on the wire.
    #[serde(skip)]
    pub signed_in: Option<SignedInUser>,
}

/// Who a managed-login sign-in proved, once every factor is in.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    pub user_key: String,
    pub sub: String,
    /// The remembered device that stood in for MFA, if one did.
    pub device_key: Option<String>,
    pub authenticated_at: SystemTime,
}

impl SignInAnswer {
    fn challenge(name: ChallengeName, session: String, parameters: ChallengeParameters) -> Self {
        Self {
            challenge_name: Some(name),
            session: Some(session),
            challenge_parameters: parameters,
            authentication_result: None,
            signed_in: None,
        }
    }

    fn tokens(result: AuthenticationResult) -> Self {
        Self {
            challenge_name: None,
            session: None,
            challenge_parameters: ChallengeParameters::None {},
            authentication_result: Some(result),
            signed_in: None,
        }
    }

    fn signed_in(user: SignedInUser) -> Self {
        Self {
            challenge_name: None,
            session: None,
            challenge_parameters: ChallengeParameters::None {},
            authentication_result: None,
            signed_in: Some(user),
        }
    }
}

const PUBLIC_FLOWS: &[AuthFlow] = &[
    AuthFlow::UserPasswordAuth,
    AuthFlow::UserSrpAuth,
    AuthFlow::RefreshTokenAuth,
    AuthFlow::RefreshToken,
];
const ADMIN_FLOWS: &[AuthFlow] = &[
    AuthFlow::AdminUserPasswordAuth,
    AuthFlow::AdminNoSrpAuth,
    AuthFlow::UserSrpAuth,
    AuthFlow::RefreshTokenAuth,
    AuthFlow::RefreshToken,
];

/// A sign-in between steps, once the password is proven.
#[derive(Debug)]
struct Progress {
    user_key: String,
    /// The user proven so far: the key may be taken by a new user of the same name meanwhile.
    sub: String,
    client_id: String,
    /// The DEVICE_KEY presented, once checked to be one of the user's devices.
    device_key: Option<String>,
    authenticated_at: SystemTime,
    purpose: SignInPurpose,
}

/// A challenge answer whose session has been taken.
struct Answering<'a> {
    pool: &'a Arc<Pool>,
    /// Where a session that may be tried again goes back.
    session_id: String,
    now: SystemTime,
}

impl Service {
    pub fn initiate_auth(&self, request: InitiateAuthRequest) -> ServiceResult<SignInAnswer> {
        self.start_sign_in(request, PUBLIC_FLOWS)
    }

    pub fn admin_initiate_auth(&self, request: InitiateAuthRequest) -> ServiceResult<SignInAnswer> {
        self.start_sign_in(request, ADMIN_FLOWS)
    }

    pub fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> ServiceResult<SignInAnswer> {
        self.answer_challenge(request)
    }

    pub fn admin_respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> ServiceResult<SignInAnswer> {
        self.answer_challenge(request)
    }

    /// The pool a client belongs to, checked against the pool named by an admin call.
    fn pool_for(&self, client_id: &str, user_pool_id: Option<&str>) -> ServiceResult<Arc<Pool>> {
        match user_pool_id {
            Some(pool_id) => {
                let pool = self.pool(pool_id)?;
                if !pool.lock().clients.contains_key(client_id) {
                    return Err(ServiceError::client_not_found(client_id));
                }
                Ok(pool)
            }
            None => self.pool_of_client(client_id),
        }
    }

    fn start_sign_in(
        &self,
        request: InitiateAuthRequest,
        supported: &[AuthFlow],
    ) -> ServiceResult<SignInAnswer> {
        let pool = self.pool_for(&request.client_id, request.user_pool_id.as_deref())?;
        let flow = request.auth_flow;
        if !supported.contains(&flow) {
            return Err(match flow {
                AuthFlow::CustomAuth | AuthFlow::UserAuth => {
                    ServiceError::invalid_parameter(format!(
                        "{} is not supported by this emulator: it needs Lambda triggers or passwordless sign-in.",
                        flow.as_str()
                    ))
                }
                _ => ServiceError::invalid_parameter("Initiate Auth method not supported."),
            });
        }
        if !pool.lock().client(&request.client_id)?.allows(flow) {
            return Err(ServiceError::invalid_parameter(format!(
                "{} flow not enabled for this client",
                flow.as_str()
            )));
        }
        let params = request.auth_parameters.unwrap_or_default();
        match flow {
            AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
                self.refresh(&pool, &request.client_id, &params)
            }
            AuthFlow::UserSrpAuth => self.start_srp(&pool, &request.client_id, &params),
            _ => {
                let purpose = SignInPurpose::Tokens;
                self.password_sign_in(&pool, &request.client_id, &params, purpose)
            }
        }
    }

    fn answer_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> ServiceResult<SignInAnswer> {
        let pool = self.pool_for(&request.client_id, request.user_pool_id.as_deref())?;
        let responses = request.challenge_responses.unwrap_or_default();
        let username = challenge::required(&responses, "USERNAME")?;
        let now = self.now();
        let mut state = pool.lock();
        check_secret_hash(
            state.client(&request.client_id)?,
            username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        let answer = ChallengeAnswer::read(request.challenge_name, &responses)?;
        let Some(user_key) = state.find_user_key(username) else {
            let conceal = state
                .client(&request.client_id)?
                .prevent_user_existence_errors;
            drop(state);
            return Err(judge::unknown_user_answer(
                &pool, conceal, username, &answer, now,
            ));
        };
        let session_id = match request.session {
            Some(id) => id,
            None => session::find_without_id(&state, &answer, &user_key)?,
        };
        let session = session::take(
            &mut state,
            &session_id,
            &answer,
            &request.client_id,
            &user_key,
            now,
        )?;
        let progress = Progress {
            user_key,
            sub: session.sub.clone(),
            client_id: request.client_id,
            device_key: session.device_key.clone(),
            authenticated_at: session.authenticated_at,
            purpose: session.purpose,
        };
        let answering = Answering {
            pool: &pool,
            session_id,
            now,
        };
        self.answer(answering, state, progress, session, answer)
    }

    /// Hands the answer to the function for its challenge. `session::take` has made sure the
    /// session waits for the challenge the answer is for.
    fn answer(
        &self,
        answering: Answering<'_>,
        state: super::PoolGuard<'_>,
        progress: Progress,
        session: AuthSession,
        answer: ChallengeAnswer<'_>,
    ) -> ServiceResult<SignInAnswer> {
        let pool = answering.pool;
        match (session.challenge, answer) {
            (
                Challenge::PasswordVerifier(sent),
                ChallengeAnswer::PasswordVerifier { claim, device_key },
            ) => {
                self.answer_password_verifier(&answering, state, progress, sent, claim, device_key)
            }
            (
                Challenge::NewPasswordRequired,
                ChallengeAnswer::NewPasswordRequired {
                    new_password,
                    attributes,
                },
            ) => {
                let retry = AuthSession {
                    challenge: Challenge::NewPasswordRequired,
                    ..session
                };
                self.answer_new_password(
                    answering,
                    state,
                    progress,
                    retry,
                    new_password,
                    &attributes,
                )
            }
            (Challenge::MfaSetupVerified, ChallengeAnswer::MfaSetup) => {
                self.after_second_factor(pool, state, progress, answering.now)
            }
            (
                Challenge::SoftwareTokenMfa,
                ChallengeAnswer::SoftwareTokenMfa { code, device_key },
            ) => {
                let retry = session::after_wrong_answer(AuthSession {
                    challenge: Challenge::SoftwareTokenMfa,
                    ..session
                });
                self.answer_software_token(answering, state, progress, retry, code, device_key)
            }
            (Challenge::DeviceSrpAuth, ChallengeAnswer::DeviceSrpAuth { device_key, srp_a }) => {
                self.answer_device_srp_auth(&answering, state, progress, device_key, srp_a)
            }
            (
                Challenge::DevicePasswordVerifier(sent),
                ChallengeAnswer::DevicePasswordVerifier { claim, device_key },
            ) => self.answer_device_password_verifier(
                &answering, state, progress, sent, claim, device_key,
            ),
            _ => Err(ServiceError::invalid_session()),
        }
    }
}
