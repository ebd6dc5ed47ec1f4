// SPDX-License-Identifier: Apache-2.0
//! Signing in: InitiateAuth and AdminInitiateAuth start a flow, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge answer its challenges, until tokens are issued.
//!
//! Order of steps after the first request: the password (plain or SRP), a new password if the
//! user has a temporary one, then a remembered device proves itself (DEVICE_SRP_AUTH) instead
//! of MFA, or MFA (MFA_SETUP or SOFTWARE_TOKEN_MFA) is asked for; then tokens.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp::{Identity, PasswordVerifier, SrpError, SrpServer};
use serde::Deserialize;
use serde_json::{Value, json};

use super::clock::unix_seconds;
use super::lockout::{self, Verdict};
use super::model::{AuthSession, Challenge, MfaConfiguration, PoolState, User, UserStatus};
use super::tokens::SignedIn;
use super::{
    Pool, PoolGuard, Service, ServiceError, ServiceResult, check_password_policy,
    check_secret_hash, decoy,
};
use crate::crypto::{random, totp};

const PUBLIC_FLOWS: &[&str] = &[
    "USER_PASSWORD_AUTH",
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
];
const ADMIN_FLOWS: &[&str] = &[
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
];
/// Wrong answers (TOTP codes) one session takes before it is void.
pub(crate) const MAX_WRONG_ANSWERS: u32 = 5;
/// How far a password claim's TIMESTAMP may be from the service's clock.
const TIMESTAMP_TOLERANCE_SECONDS: i64 = 5 * 60;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub user_pool_id: Option<String>,
    pub client_id: String,
    pub auth_flow: String,
    pub auth_parameters: Option<HashMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub user_pool_id: Option<String>,
    pub client_id: String,
    pub challenge_name: String,
    pub session: Option<String>,
    pub challenge_responses: Option<HashMap<String, String>>,
}

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
}

fn param<'a>(map: &'a HashMap<String, String>, name: &str) -> ServiceResult<&'a str> {
    map.get(name)
        .map(String::as_str)
        .ok_or_else(|| ServiceError::missing_parameter(name))
}

impl Service {
    pub fn initiate_auth(&self, request: InitiateAuthRequest) -> ServiceResult<Value> {
        self.start_sign_in(request, PUBLIC_FLOWS)
    }

    pub fn admin_initiate_auth(&self, request: InitiateAuthRequest) -> ServiceResult<Value> {
        self.start_sign_in(request, ADMIN_FLOWS)
    }

    pub fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> ServiceResult<Value> {
        self.answer_challenge(request)
    }

    pub fn admin_respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> ServiceResult<Value> {
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
        supported: &[&str],
    ) -> ServiceResult<Value> {
        let pool = self.pool_for(&request.client_id, request.user_pool_id.as_deref())?;
        let flow = request.auth_flow.as_str();
        if !supported.contains(&flow) {
            return Err(match flow {
                "CUSTOM_AUTH" | "USER_AUTH" => ServiceError::invalid_parameter(format!(
                    "{flow} is not supported by this emulator: it needs Lambda triggers or passwordless sign-in."
                )),
                _ => ServiceError::invalid_parameter("Initiate Auth method not supported."),
            });
        }
        if !pool.lock().client(&request.client_id)?.allows(flow) {
            return Err(ServiceError::invalid_parameter(format!(
                "{flow} flow not enabled for this client"
            )));
        }
        let params = request.auth_parameters.unwrap_or_default();
        match flow {
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                self.refresh(&pool, &request.client_id, &params)
            }
            "USER_SRP_AUTH" => self.start_srp(&pool, &request.client_id, &params),
            _ => self.password_sign_in(&pool, &request.client_id, &params),
        }
    }

    /// Who is signing in, once the client's SECRET_HASH is checked: the user, or (for a name
    /// nobody has) the error the client's settings call for.
    fn signer(
        state: &PoolState,
        client_id: &str,
        username: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<Signer> {
        let client = state.client(client_id)?;
        let secret_hash = params.get("SECRET_HASH").map(String::as_str);
        check_secret_hash(client, username, secret_hash)?;
        let prevent_existence_errors = client.prevent_user_existence_errors;
        match state.find_user_key(username) {
            Some(key) => Ok(Signer::Known(key)),
            None if prevent_existence_errors => Ok(Signer::Unknown),
            None => Err(ServiceError::user_not_found()),
        }
    }

    fn password_sign_in(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<Value> {
        let username = param(params, "USERNAME")?;
        let password = param(params, "PASSWORD")?;
        let now = self.now();
        let state = pool.lock();
        let user_key = match Self::signer(&state, client_id, username, params)? {
            Signer::Known(key) => key,
            Signer::Unknown => {
                drop(state);
                // As long as a wrong password takes, so the answer's timing tells nothing.
                decoy::verifier().matches(
                    &Identity::user(&pool.id, username).map_err(srp_internal)?,
                    password,
                );
                return Err(ServiceError::incorrect_credentials());
            }
        };
        let (internal, sub, verifier) = {
            let user = state
                .users
                .get(&user_key)
                .ok_or_else(ServiceError::user_not_found)?;
            (
                user.username.clone(),
                user.sub.clone(),
                user.verifier.clone(),
            )
        };
        let (state, user_key) = judge_secret(pool, state, &user_key, client_id, now, || {
            let identity = Identity::user(&pool.id, &internal).map_err(srp_internal)?;
            Ok(Verdict::of(verifier.matches(&identity, password)))
        })?;
        let progress = Progress {
            user_key,
            sub,
            client_id: client_id.to_owned(),
            device_key: params.get("DEVICE_KEY").cloned(),
            authenticated_at: now,
        };
        self.after_password(pool, state, progress, now)
    }

    fn start_srp(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<Value> {
        let username = param(params, "USERNAME")?;
        let srp_a = param(params, "SRP_A")?;
        SrpServer::check_srp_a(srp_a)
            .map_err(|_| ServiceError::invalid_parameter("Invalid SRP_A."))?;
        let now = self.now();
        let state = pool.lock();
        let user_key = match Self::signer(&state, client_id, username, params)? {
            Signer::Known(key) => key,
            Signer::Unknown => {
                let user_key = state.user_key(username);
                drop(state);
                return decoy_password_verifier(pool, username, &user_key);
            }
        };
        let user = state
            .users
            .get(&user_key)
            .ok_or_else(ServiceError::user_not_found)?;
        lockout::check(user, now)?;
        let (internal, sub, verifier) = (
            user.username.clone(),
            user.sub.clone(),
            user.verifier.clone(),
        );
        drop(state);
        let server = SrpServer::new(&verifier).map_err(srp_internal)?;
        let secret_block = STANDARD.encode(random::bytes::<64>());
        let parameters = json!({
            "SALT": verifier.salt_hex(),
            "SRP_B": server.srp_b(),
            "SECRET_BLOCK": secret_block,
            "USER_ID_FOR_SRP": internal,
            "USERNAME": internal,
        });
        let mut state = pool.lock();
        let session = self.open_session(
            &mut state,
            Progress {
                user_key,
                sub,
                client_id: client_id.to_owned(),
                device_key: params.get("DEVICE_KEY").cloned(),
                authenticated_at: now,
            },
            Challenge::PasswordVerifier {
                server: Box::new(server),
                srp_a: srp_a.to_owned(),
                secret_block,
            },
            now,
        )?;
        Ok(
            json!({ "ChallengeName": "PASSWORD_VERIFIER", "Session": session, "ChallengeParameters": parameters }),
        )
    }

    fn refresh(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<Value> {
        let token = param(params, "REFRESH_TOKEN")?;
        let now = self.now();
        let mut state = pool.lock();
        let invalid = || ServiceError::not_authorized("Invalid Refresh Token.");
        let grant = state
            .refresh_grants
            .get(token)
            .cloned()
            .ok_or_else(invalid)?;
        if grant.client_id != client_id {
            return Err(invalid());
        }
        if grant.expires <= now {
            state.refresh_grants.remove(token);
            return Err(ServiceError::not_authorized("Refresh Token has expired"));
        }
        let client = state.client(client_id)?;
        check_secret_hash(
            client,
            &grant.username,
            params.get("SECRET_HASH").map(String::as_str),
        )?;
        let user_key = state.find_user_key(&grant.username).ok_or_else(invalid)?;
        let device_gone = grant
            .device_key
            .as_ref()
            .is_some_and(|key| !state.devices.contains_key(key));
        if device_gone {
            state.refresh_grants.remove(token);
            return Err(ServiceError::not_authorized(
                "Refresh Token has been revoked",
            ));
        }
        if !state.users.get(&user_key).is_some_and(|user| user.enabled) {
            return Err(ServiceError::not_authorized("User is disabled."));
        }
        let grant = self.grant_tokens(
            &mut state,
            SignedIn {
                user_key: &user_key,
                client_id,
                device_key: grant.device_key,
                auth_time: grant.auth_time,
                origin_jti: Some(grant.origin_jti),
                issue_refresh_token: false,
                offer_new_device: false,
            },
            now,
        )?;
        drop(state);
        Ok(
            json!({ "AuthenticationResult": Self::sign_tokens(pool, grant), "ChallengeParameters": {} }),
        )
    }

    /// The password is proven: check the account, then ask for a new password if needed.
    fn after_password(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<Value> {
        let user = current_user(&state, &progress)?;
        if !user.enabled {
            return Err(ServiceError::not_authorized("User is disabled."));
        }
        match user.status {
            UserStatus::Unconfirmed => Err(ServiceError::new(
                "UserNotConfirmedException",
                "User is not confirmed.",
            )),
            UserStatus::ResetRequired => Err(ServiceError::new(
                "PasswordResetRequiredException",
                "Password reset required for the user",
            )),
            UserStatus::ForceChangePassword => {
                if user
                    .temporary_password_expires
                    .is_some_and(|expires| expires <= now)
                {
                    return Err(ServiceError::not_authorized(
                        "Temporary password has expired and must be reset by an administrator.",
                    ));
                }
                let attributes: serde_json::Map<String, Value> = user
                    .attributes
                    .iter()
                    .filter(|(name, _)| name != "sub")
                    .map(|(name, value)| (name.clone(), json!(value)))
                    .collect();
                let parameters = json!({
                    "USER_ID_FOR_SRP": user.username,
                    "userAttributes": Value::Object(attributes).to_string(),
                    "requiredAttributes": "[]",
                });
                self.challenge_response(
                    &mut state,
                    progress,
                    Challenge::NewPasswordRequired,
                    parameters,
                    now,
                )
            }
            UserStatus::Confirmed => self.after_first_factor(pool, state, progress, now),
        }
    }

    /// A remembered device proves itself instead of MFA; otherwise MFA if the pool wants it.
    fn after_first_factor(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<Value> {
        if let Some(parameters) = self.device_challenge_parameters(&state, &progress)? {
            return self.challenge_response(
                &mut state,
                progress,
                Challenge::DeviceSrpAuth,
                parameters,
                now,
            );
        }
        let user = current_user(&state, &progress)?;
        let username = user.username.clone();
        let settings = &state.settings;
        let wants_mfa = match settings.mfa {
            MfaConfiguration::On => true,
            MfaConfiguration::Optional => user.has_software_token(),
            MfaConfiguration::Off => false,
        };
        if !wants_mfa {
            return self.finish(pool, state, progress, now);
        }
        if user.has_software_token() {
            let parameters = json!({ "USER_ID_FOR_SRP": username });
            return self.challenge_response(
                &mut state,
                progress,
                Challenge::SoftwareTokenMfa,
                parameters,
                now,
            );
        }
        if !settings.software_token_mfa {
            return Err(ServiceError::new(
                "MFAMethodNotFoundException",
                "No MFA method is enabled for this user pool that the user can set up.",
            ));
        }
        let parameters = json!({
            "MFAS_CAN_SETUP": json!(["SOFTWARE_TOKEN_MFA"]).to_string(),
            "USER_ID_FOR_SRP": username,
        });
        self.challenge_response(&mut state, progress, Challenge::MfaSetup, parameters, now)
    }

    /// MFA is done: a remembered device first presented now still proves itself; else tokens.
    fn after_second_factor(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<Value> {
        if let Some(parameters) = self.device_challenge_parameters(&state, &progress)? {
            return self.challenge_response(
                &mut state,
                progress,
                Challenge::DeviceSrpAuth,
                parameters,
                now,
            );
        }
        self.finish(pool, state, progress, now)
    }

    /// Checks a presented DEVICE_KEY. Returns DEVICE_SRP_AUTH's parameters when the device is
    /// confirmed and remembered; an unknown or forgotten key is an error.
    fn device_challenge_parameters(
        &self,
        state: &PoolState,
        progress: &Progress,
    ) -> ServiceResult<Option<Value>> {
        let Some(device_key) = &progress.device_key else {
            return Ok(None);
        };
        let user = current_user(state, progress)?;
        let device = state
            .devices
            .get(device_key)
            .filter(|device| device.username == user.username)
            .ok_or_else(ServiceError::device_not_found)?;
        let trusted =
            state.settings.devices.is_some() && device.verifier.is_some() && device.remembered;
        Ok(trusted.then(|| json!({ "USERNAME": user.username, "DEVICE_KEY": device.key })))
    }

    fn finish(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<Value> {
        let grant = self.grant_tokens(
            &mut state,
            SignedIn {
                user_key: &progress.user_key,
                client_id: &progress.client_id,
                device_key: progress.device_key,
                auth_time: unix_seconds(progress.authenticated_at),
                origin_jti: None,
                issue_refresh_token: true,
                offer_new_device: true,
            },
            now,
        )?;
        drop(state);
        Ok(
            json!({ "AuthenticationResult": Self::sign_tokens(pool, grant), "ChallengeParameters": {} }),
        )
    }

    fn open_session(
        &self,
        state: &mut PoolState,
        progress: Progress,
        challenge: Challenge,
        now: SystemTime,
    ) -> ServiceResult<String> {
        let minutes = state
            .client(&progress.client_id)?
            .auth_session_validity_minutes;
        state.purge_sessions(now);
        let id = random::opaque::<48>();
        let username = current_user(state, &progress)?.username.clone();
        state.sessions.insert(
            id.clone(),
            AuthSession {
                username,
                sub: progress.sub,
                client_id: progress.client_id,
                expires: now + Duration::from_secs(minutes * 60),
                challenge,
                device_key: progress.device_key,
                wrong_answers: 0,
                authenticated_at: progress.authenticated_at,
            },
        );
        Ok(id)
    }

    fn challenge_response(
        &self,
        state: &mut PoolState,
        progress: Progress,
        challenge: Challenge,
        parameters: Value,
        now: SystemTime,
    ) -> ServiceResult<Value> {
        let name = challenge.name();
        let session = self.open_session(state, progress, challenge, now)?;
        Ok(json!({ "ChallengeName": name, "Session": session, "ChallengeParameters": parameters }))
    }

    fn answer_challenge(&self, request: RespondToAuthChallengeRequest) -> ServiceResult<Value> {
        let pool = self.pool_for(&request.client_id, request.user_pool_id.as_deref())?;
        let responses = request.challenge_responses.unwrap_or_default();
        let username = param(&responses, "USERNAME")?;
        let now = self.now();
        let mut state = pool.lock();
        check_secret_hash(
            state.client(&request.client_id)?,
            username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        for name in required_responses(&request.challenge_name) {
            param(&responses, name)?;
        }
        let Some(user_key) = state.find_user_key(username) else {
            let conceal = state
                .client(&request.client_id)?
                .prevent_user_existence_errors;
            drop(state);
            return Err(unknown_user_answer(
                &pool,
                conceal,
                &request.challenge_name,
                &responses,
                now,
            ));
        };
        let session_id = match request.session {
            Some(id) => id,
            None => session_without_id(&state, &request.challenge_name, &user_key, &responses)?,
        };
        let session = take_session(
            &mut state,
            &session_id,
            &request.challenge_name,
            &request.client_id,
            &user_key,
            now,
        )?;
        let progress = Progress {
            user_key,
            sub: session.sub.clone(),
            client_id: request.client_id.clone(),
            device_key: session.device_key.clone(),
            authenticated_at: session.authenticated_at,
        };
        let answering = Answering {
            pool: &pool,
            responses: &responses,
            session_id,
            now,
        };
        match session.challenge {
            Challenge::PasswordVerifier {
                server,
                srp_a,
                secret_block,
            } => {
                let sent = Sent {
                    server,
                    srp_a,
                    secret_block,
                };
                self.answer_password_verifier(&answering, state, progress, sent)
            }
            Challenge::NewPasswordRequired => {
                let retry = AuthSession {
                    challenge: Challenge::NewPasswordRequired,
                    ..session
                };
                self.answer_new_password(answering, state, progress, retry)
            }
            Challenge::MfaSetupVerified => self.after_second_factor(&pool, state, progress, now),
            Challenge::SoftwareTokenMfa => {
                let wrong_answers = session.wrong_answers + 1;
                let retry = (wrong_answers < MAX_WRONG_ANSWERS).then(|| AuthSession {
                    challenge: Challenge::SoftwareTokenMfa,
                    wrong_answers,
                    ..session
                });
                self.answer_software_token(answering, state, progress, retry)
            }
            Challenge::DeviceSrpAuth => self.answer_device_srp_auth(&answering, state, progress),
            Challenge::DevicePasswordVerifier {
                server,
                srp_a,
                secret_block,
            } => {
                let sent = Sent {
                    server,
                    srp_a,
                    secret_block,
                };
                self.answer_device_password_verifier(&answering, state, progress, sent)
            }
            Challenge::MfaSetup | Challenge::MfaSetupAssociated => {
                Err(ServiceError::invalid_session())
            }
        }
    }

    /// PASSWORD_VERIFIER: the user's password claim, judged with the lock released.
    fn answer_password_verifier(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
        sent: Sent,
    ) -> ServiceResult<Value> {
        let (pool, responses, now) = (answering.pool, answering.responses, answering.now);
        let claim = Claim::read(responses, &sent.secret_block)?;
        let internal = current_user(&state, &progress)?.username.clone();
        let (user_key, client_id) = (&progress.user_key, &progress.client_id);
        let (state, user_key) = judge_secret(pool, state, user_key, client_id, now, || {
            let identity = Identity::user(&pool.id, &internal).map_err(srp_internal)?;
            claim.judge(&sent.server, &identity, &sent.srp_a, now)
        })?;
        let progress = Progress {
            user_key,
            device_key: responses.get("DEVICE_KEY").cloned().or(progress.device_key),
            authenticated_at: now,
            ..progress
        };
        self.after_password(pool, state, progress, now)
    }

    /// NEW_PASSWORD_REQUIRED: a weak password or a refused attribute leaves the session open
    /// (`retry`) for another try.
    fn answer_new_password(
        &self,
        answering: Answering<'_>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        retry: AuthSession,
    ) -> ServiceResult<Value> {
        let (pool, responses, now) = (answering.pool, answering.responses, answering.now);
        let new_password = param(responses, "NEW_PASSWORD")?;
        let checked = check_password_policy(&state.settings.password_policy, new_password)
            .and_then(|()| attribute_updates(&state, responses));
        let updates = match checked {
            Ok(updates) => updates,
            Err(error) => {
                state.sessions.insert(answering.session_id, retry);
                return Err(error);
            }
        };
        let internal = current_user(&state, &progress)?.username.clone();
        drop(state);
        let identity = Identity::user(&pool.id, &internal).map_err(srp_internal)?;
        let verifier = PasswordVerifier::generate(&identity, new_password).map_err(srp_internal)?;
        let mut state = pool.lock();
        let user = current_user_mut(&mut state, &progress)?;
        user.verifier = verifier;
        user.status = UserStatus::Confirmed;
        user.temporary_password_expires = None;
        user.modified = now;
        for (name, value) in updates {
            user.set_attribute(&name, &value);
        }
        // Confirmed now: a verified email may sign in from here on.
        state.index_user(&progress.user_key);
        self.after_first_factor(pool, state, progress, now)
    }

    /// SOFTWARE_TOKEN_MFA: a wrong code leaves the session open (`retry`) while it has tries.
    fn answer_software_token(
        &self,
        answering: Answering<'_>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        retry: Option<AuthSession>,
    ) -> ServiceResult<Value> {
        let (responses, now) = (answering.responses, answering.now);
        let code = param(responses, "SOFTWARE_TOKEN_MFA_CODE")?;
        let user = current_user_mut(&mut state, &progress)?;
        if let Err(error) = accept_totp(user, code, now) {
            if let Some(retry) = retry {
                state.sessions.insert(answering.session_id, retry);
            }
            return Err(error);
        }
        let progress = Progress {
            device_key: responses.get("DEVICE_KEY").cloned().or(progress.device_key),
            ..progress
        };
        self.after_second_factor(answering.pool, state, progress, now)
    }

    /// DEVICE_SRP_AUTH: the device's SRP_A; answered with DEVICE_PASSWORD_VERIFIER.
    fn answer_device_srp_auth(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
    ) -> ServiceResult<Value> {
        let (pool, responses, now) = (answering.pool, answering.responses, answering.now);
        let device_key = param(responses, "DEVICE_KEY")?;
        let srp_a = param(responses, "SRP_A")?;
        SrpServer::check_srp_a(srp_a)
            .map_err(|_| ServiceError::invalid_parameter("Invalid SRP_A."))?;
        let (verifier, internal) = device_verifier(&state, &progress, device_key)?;
        drop(state);
        let server = SrpServer::new(&verifier).map_err(srp_internal)?;
        let secret_block = STANDARD.encode(random::bytes::<64>());
        let parameters = json!({
            "SRP_B": server.srp_b(),
            "SALT": verifier.salt_hex(),
            "SECRET_BLOCK": secret_block,
            "USERNAME": internal,
            "DEVICE_KEY": device_key,
        });
        let mut state = pool.lock();
        let progress = Progress {
            device_key: Some(device_key.to_owned()),
            ..progress
        };
        let challenge = Challenge::DevicePasswordVerifier {
            server: Box::new(server),
            srp_a: srp_a.to_owned(),
            secret_block,
        };
        self.challenge_response(&mut state, progress, challenge, parameters, now)
    }

    /// DEVICE_PASSWORD_VERIFIER: the device's password claim, judged with the lock released.
    fn answer_device_password_verifier(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
        sent: Sent,
    ) -> ServiceResult<Value> {
        let (pool, responses, now) = (answering.pool, answering.responses, answering.now);
        let device_key = param(responses, "DEVICE_KEY")?;
        if progress.device_key.as_deref() != Some(device_key) {
            return Err(ServiceError::invalid_session());
        }
        let claim = Claim::read(responses, &sent.secret_block)?;
        let group_key = current_user(&state, &progress)?.device_group_key.clone();
        device_verifier(&state, &progress, device_key)?;
        let (user_key, client_id) = (&progress.user_key, &progress.client_id);
        let (mut state, user_key) = judge_secret(pool, state, user_key, client_id, now, || {
            let identity = Identity::device(&group_key, device_key).map_err(srp_internal)?;
            claim.judge(&sent.server, &identity, &sent.srp_a, now)
        })?;
        let device = state
            .devices
            .get_mut(device_key)
            .ok_or_else(ServiceError::device_not_found)?;
        device.last_authenticated = now;
        let progress = Progress {
            user_key,
            ..progress
        };
        self.finish(pool, state, progress, now)
    }
}

/// A challenge answer whose session has been taken.
struct Answering<'a> {
    pool: &'a Arc<Pool>,
    responses: &'a HashMap<String, String>,
    /// Where a session that may be tried again goes back.
    session_id: String,
    now: SystemTime,
}

/// What the service sent with a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge.
struct Sent {
    server: Box<SrpServer>,
    srp_a: String,
    secret_block: String,
}

/// What each answer must carry besides USERNAME; checked before the session is spent, so a
/// malformed answer can be corrected and sent again.
fn required_responses(challenge_name: &str) -> &'static [&'static str] {
    match challenge_name {
        "PASSWORD_VERIFIER" => &[
            "PASSWORD_CLAIM_SIGNATURE",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
        ],
        "NEW_PASSWORD_REQUIRED" => &["NEW_PASSWORD"],
        "SOFTWARE_TOKEN_MFA" => &["SOFTWARE_TOKEN_MFA_CODE"],
        "DEVICE_SRP_AUTH" => &["DEVICE_KEY", "SRP_A"],
        "DEVICE_PASSWORD_VERIFIER" => &[
            "DEVICE_KEY",
            "PASSWORD_CLAIM_SIGNATURE",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
        ],
        _ => &[],
    }
}

/// The three values of a password claim, checked against the session's SECRET_BLOCK.
struct Claim<'a> {
    signature: &'a str,
    secret_block: &'a str,
    timestamp: &'a str,
}

impl<'a> Claim<'a> {
    fn read(responses: &'a HashMap<String, String>, expected_block: &str) -> ServiceResult<Self> {
        let claim = Self::read_any(responses)?;
        if claim.secret_block != expected_block {
            return Err(ServiceError::invalid_session());
        }
        Ok(claim)
    }

    /// The claim, whatever SECRET_BLOCK it carries.
    fn read_any(responses: &'a HashMap<String, String>) -> ServiceResult<Self> {
        Ok(Self {
            signature: param(responses, "PASSWORD_CLAIM_SIGNATURE")?,
            secret_block: param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?,
            timestamp: param(responses, "TIMESTAMP")?,
        })
    }

    /// Runs the SRP check (slow: no lock may be held). A malformed claim is an error, not a
    /// verdict.
    fn judge(
        &self,
        server: &SrpServer,
        identity: &Identity,
        srp_a: &str,
        now: SystemTime,
    ) -> ServiceResult<Verdict> {
        let claimed_at = match server.verify_claim(
            identity,
            srp_a,
            self.secret_block,
            self.timestamp,
            self.signature,
        ) {
            Ok(claimed_at) => claimed_at,
            Err(SrpError::InvalidBase64 { .. }) => {
                return Err(ServiceError::invalid_parameter(
                    "PASSWORD_CLAIM_SIGNATURE is not valid base64.",
                ));
            }
            Err(_) => return Ok(Verdict::Wrong),
        };
        let skew = (claimed_at.unix_seconds() - unix_seconds(now)).abs();
        Ok(if skew > TIMESTAMP_TOLERANCE_SECONDS {
            Verdict::Wrong
        } else {
            Verdict::Right
        })
    }
}

/// The session a challenge answer names, removed so it cannot be used again. A session for
/// another challenge, client or user is refused and left alone.
fn take_session(
    state: &mut PoolState,
    id: &str,
    challenge_name: &str,
    client_id: &str,
    user_key: &str,
    now: SystemTime,
) -> ServiceResult<AuthSession> {
    let session = state
        .sessions
        .get(id)
        .ok_or_else(ServiceError::invalid_session)?;
    if session.expires <= now {
        state.sessions.remove(id);
        return Err(ServiceError::expired_session());
    }
    let same_user = state.user_key(&session.username) == user_key
        && state
            .users
            .get(user_key)
            .is_some_and(|user| user.sub == session.sub);
    let ready = match &session.challenge {
        Challenge::MfaSetup | Challenge::MfaSetupAssociated => false,
        other => other.name() == challenge_name,
    };
    if session.client_id != client_id || !same_user || !ready {
        return Err(ServiceError::invalid_session());
    }
    state
        .sessions
        .remove(id)
        .ok_or_else(ServiceError::invalid_session)
}

/// Real clients answer PASSWORD_VERIFIER, DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER without a
/// Session at times; the sign-in is then found from the SECRET_BLOCK or the device key.
fn session_without_id(
    state: &PoolState,
    challenge_name: &str,
    user_key: &str,
    responses: &HashMap<String, String>,
) -> ServiceResult<String> {
    let block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK");
    let device = responses.get("DEVICE_KEY");
    let found = state.sessions.iter().find(|(_, session)| {
        state.user_key(&session.username) == user_key
            && match &session.challenge {
                Challenge::PasswordVerifier { secret_block, .. } => {
                    challenge_name == "PASSWORD_VERIFIER" && block == Some(secret_block)
                }
                Challenge::DeviceSrpAuth => {
                    challenge_name == "DEVICE_SRP_AUTH"
                        && device.is_some()
                        && session.device_key.as_ref() == device
                }
                Challenge::DevicePasswordVerifier { secret_block, .. } => {
                    challenge_name == "DEVICE_PASSWORD_VERIFIER" && block == Some(secret_block)
                }
                _ => false,
            }
    });
    match (found, challenge_name) {
        (Some((id, _)), _) => Ok(id.clone()),
        (None, "PASSWORD_VERIFIER" | "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER") => {
            Err(ServiceError::invalid_session())
        }
        (None, _) => Err(ServiceError::missing_parameter("Session")),
    }
}

/// A confirmed device of this user, with its verifier.
fn device_verifier(
    state: &PoolState,
    progress: &Progress,
    device_key: &str,
) -> ServiceResult<(PasswordVerifier, String)> {
    let user = current_user(state, progress)?;
    let device = state
        .devices
        .get(device_key)
        .filter(|device| device.username == user.username)
        .ok_or_else(ServiceError::device_not_found)?;
    let verifier = device
        .verifier
        .clone()
        .ok_or_else(ServiceError::device_not_found)?;
    Ok((verifier, user.username.clone()))
}

/// `userAttributes.<name>` answers to NEW_PASSWORD_REQUIRED.
fn attribute_updates(
    state: &PoolState,
    responses: &HashMap<String, String>,
) -> ServiceResult<Vec<(String, String)>> {
    responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.")
                .map(|name| (name, value))
        })
        .map(|(name, value)| {
            let known = state
                .settings
                .schema
                .iter()
                .any(|a| a.name == name && a.mutable);
            if !known || name == "sub" {
                return Err(ServiceError::invalid_parameter(format!(
                    "Cannot modify the attribute {name}: it is unknown or immutable."
                )));
            }
            Ok((name.to_owned(), value.clone()))
        })
        .collect()
}

/// Checks a TOTP code against the user's verified secret, once per time step. Wrong codes
/// count per user across sessions: from the fifth in a row, MFA is locked for 1 s, 2 s, 4 s,
/// ... up to 15 minutes, so opening new sessions does not buy more guesses.
pub(crate) fn accept_totp(user: &mut User, code: &str, now: SystemTime) -> ServiceResult<()> {
    if user.mfa_locked_until.is_some_and(|until| until > now) {
        return Err(ServiceError::not_authorized(
            "Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds.",
        ));
    }
    let secret = user.software_token.secret.as_ref().ok_or_else(|| {
        ServiceError::new(
            "SoftwareTokenMFANotFoundException",
            "Software Token MFA does not exist for the user.",
        )
    })?;
    let Some(step) = totp::matching_step(secret, code, unix_seconds(now)) else {
        user.failed_mfa += 1;
        user.mfa_locked_until = lockout::lockout(user.failed_mfa, now);
        return Err(ServiceError::new(
            "CodeMismatchException",
            "Invalid code received for user",
        ));
    };
    if user
        .software_token
        .last_used_step
        .is_some_and(|used| step <= used)
    {
        return Err(ServiceError::new(
            "ExpiredCodeException",
            "Your software token has already been used once.",
        ));
    }
    user.software_token.last_used_step = Some(step);
    user.failed_mfa = 0;
    user.mfa_locked_until = None;
    Ok(())
}

/// The user a sign-in has proven so far, looked up again: gone, or replaced by another of the
/// same name, it is no longer there.
fn current_user<'a>(state: &'a PoolState, progress: &Progress) -> ServiceResult<&'a User> {
    state
        .user_by_sub(&progress.sub)
        .ok_or_else(|| missing_user(state, &progress.client_id))
}

fn current_user_mut<'a>(
    state: &'a mut PoolState,
    progress: &Progress,
) -> ServiceResult<&'a mut User> {
    let missing = missing_user(state, &progress.client_id);
    state.user_by_sub_mut(&progress.sub).ok_or(missing)
}

/// What a sign-in answers for a user who is not there, as the client's settings call for.
fn missing_user(state: &PoolState, client_id: &str) -> ServiceError {
    match state.clients.get(client_id) {
        Some(client) if client.prevent_user_existence_errors => {
            ServiceError::incorrect_credentials()
        }
        _ => ServiceError::user_not_found(),
    }
}

/// Judges one of the user's secrets (`judge`: slow, so run with the pool's lock released)
/// within the user's guessing budget, and records the verdict. Returns the lock again and the
/// key of the user the secret proved, or the error to answer.
fn judge_secret<'p>(
    pool: &'p Pool,
    mut state: PoolGuard<'p>,
    user_key: &str,
    client_id: &str,
    now: SystemTime,
    judge: impl FnOnce() -> ServiceResult<Verdict>,
) -> ServiceResult<(PoolGuard<'p>, String)> {
    let judgement = lockout::begin(&mut state, user_key, now)?;
    drop(state);
    let judged = judge();
    let mut state = pool.lock();
    let verdict = *judged.as_ref().unwrap_or(&Verdict::Void);
    let user_key = lockout::settle(&mut state, judgement, verdict, now);
    match (judged?, user_key) {
        (Verdict::Right, Some(key)) => Ok((state, key)),
        (Verdict::Right, None) => Err(missing_user(&state, client_id)),
        (Verdict::Wrong | Verdict::Void, _) => Err(ServiceError::incorrect_credentials()),
    }
}

/// Who a sign-in names.
enum Signer {
    Known(String),
    /// Nobody, and the app client hides that.
    Unknown,
}

/// USER_SRP_AUTH for a user who does not exist, where the client hides that: a
/// PASSWORD_VERIFIER challenge like a real one, whose answer is refused as a wrong password.
fn decoy_password_verifier(pool: &Pool, username: &str, user_key: &str) -> ServiceResult<Value> {
    let verifier = decoy::verifier_for(pool, user_key);
    let server = SrpServer::new(&verifier).map_err(srp_internal)?;
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": random::opaque::<48>(),
        "ChallengeParameters": {
            "SALT": verifier.salt_hex(),
            "SRP_B": server.srp_b(),
            "SECRET_BLOCK": STANDARD.encode(random::bytes::<64>()),
            "USER_ID_FOR_SRP": username,
            "USERNAME": username,
        },
    }))
}

/// RespondToAuthChallenge for a user who does not exist. Where the client hides that, a
/// password claim is judged as a real one would be (against a verifier nobody has, so it is
/// refused as a wrong password after as long); any other answer has no session to belong to.
fn unknown_user_answer(
    pool: &Pool,
    conceal: bool,
    challenge_name: &str,
    responses: &HashMap<String, String>,
    now: SystemTime,
) -> ServiceError {
    if !conceal {
        return ServiceError::user_not_found();
    }
    if challenge_name != "PASSWORD_VERIFIER" {
        return ServiceError::invalid_session();
    }
    let username = responses.get("USERNAME").map_or("", String::as_str);
    let (Ok(identity), Ok(claim)) = (
        Identity::user(&pool.id, username),
        Claim::read_any(responses),
    ) else {
        return ServiceError::incorrect_credentials();
    };
    // Any A the group accepts will do: the claim is refused whatever it is.
    let _ = claim.judge(decoy::server(), &identity, DECOY_SRP_A, now);
    ServiceError::incorrect_credentials()
}

/// A valid SRP_A (2, the generator) for judging claims that have no sign-in behind them.
const DECOY_SRP_A: &str = "02";

fn srp_internal(error: SrpError) -> ServiceError {
    ServiceError::internal(format!("SRP: {error}"))
}
