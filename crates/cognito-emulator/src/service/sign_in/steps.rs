// SPDX-License-Identifier: Apache-2.0
//! What follows a proven password: the account's state, a new password if one is due, a
//! remembered device or MFA, then tokens.

use std::sync::Arc;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::challenge::ChallengeParameters;
use super::device::users_device;
use super::judge::{current_user, current_user_mut};
use super::{Answering, Progress, SignInAnswer, SignedInUser, session};
use crate::crypto::totp;
use crate::service::clock::unix_seconds;
use crate::service::model::{
    AuthSession, Challenge, MfaConfiguration, PoolState, SignInPurpose, User, UserStatus,
};
use crate::service::tokens::SignedIn;
use crate::service::{Pool, PoolGuard, Service, ServiceError, ServiceResult};
use crate::service::{lockout, security};

impl Service {
    /// The password is proven: check the account, then ask for a new password if needed.
    pub(super) fn after_password(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<SignInAnswer> {
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
                let parameters = new_password_parameters(user);
                let challenge = Challenge::NewPasswordRequired;
                challenge_answer(&mut state, progress, challenge, parameters, now)
            }
            UserStatus::Confirmed => self.after_first_factor(pool, state, progress, now),
        }
    }

    /// A remembered device proves itself instead of MFA; otherwise MFA if the pool wants it.
    pub(super) fn after_first_factor(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<SignInAnswer> {
        // A remembered device stands in for MFA: what follows MFA follows now.
        if device_challenge_parameters(&state, &progress)?.is_some() {
            return self.after_second_factor(pool, state, progress, now);
        }
        let user = current_user(&state, &progress)?;
        let user_id_for_srp = user.username.clone();
        let settings = &state.settings;
        let wants_mfa = match settings.mfa {
            MfaConfiguration::On => true,
            MfaConfiguration::Optional => user.software_token_mfa_enabled(),
            MfaConfiguration::Off => false,
        };
        if !wants_mfa {
            return self.finish(pool, state, progress, now);
        }
        if user.has_software_token() {
            let parameters = ChallengeParameters::SoftwareTokenMfa { user_id_for_srp };
            let challenge = Challenge::SoftwareTokenMfa;
            return challenge_answer(&mut state, progress, challenge, parameters, now);
        }
        if !settings.software_token_mfa {
            return Err(ServiceError::new(
                "MFAMethodNotFoundException",
                "No MFA method is enabled for this user pool that the user can set up.",
            ));
        }
        let parameters = ChallengeParameters::MfaSetup {
            mfas_can_setup: json!(["SOFTWARE_TOKEN_MFA"]).to_string(),
            user_id_for_srp,
        };
        challenge_answer(&mut state, progress, Challenge::MfaSetup, parameters, now)
    }

    /// MFA is done: a remembered device first presented now still proves itself; else tokens.
    pub(super) fn after_second_factor(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<SignInAnswer> {
        if let Some(parameters) = device_challenge_parameters(&state, &progress)? {
            // Managed login proves the browser's device before the password (its cookie).
            if progress.purpose == SignInPurpose::ManagedLogin {
                let key = progress.device_key.as_deref().unwrap_or_default();
                if let Some(device) = state.devices.get_mut(key) {
                    device.last_authenticated = now;
                }
                return self.finish(pool, state, progress, now);
            }
            let challenge = Challenge::DeviceSrpAuth;
            return challenge_answer(&mut state, progress, challenge, parameters, now);
        }
        self.finish(pool, state, progress, now)
    }

    /// Every factor is proven: tokens, signed with the lock released.
    pub(super) fn finish(
        &self,
        pool: &Arc<Pool>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        now: SystemTime,
    ) -> ServiceResult<SignInAnswer> {
        if progress.purpose == SignInPurpose::ManagedLogin {
            return Ok(SignInAnswer::signed_in(SignedInUser {
                user_key: progress.user_key,
                sub: progress.sub,
                device_key: progress.device_key,
                authenticated_at: progress.authenticated_at,
            }));
        }
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
                scopes: None,
                nonce: None,
            },
            now,
        )?;
        security::signed_in(&mut state, &progress.sub, &grant, now);
        drop(state);
        Ok(SignInAnswer::tokens(Self::sign_tokens(pool, grant)))
    }

    /// SOFTWARE_TOKEN_MFA: a wrong code leaves the session open (`retry`) while it has tries.
    pub(super) fn answer_software_token(
        &self,
        answering: Answering<'_>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        retry: Option<AuthSession>,
        code: &str,
        device_key: Option<&str>,
    ) -> ServiceResult<SignInAnswer> {
        let user = current_user_mut(&mut state, &progress)?;
        if let Err(error) = accept_totp(user, code, answering.now) {
            security::mfa_refused(&mut state, &progress.sub, answering.now);
            if let Some(retry) = retry {
                session::put_back(&mut state, answering.session_id, retry);
            }
            return Err(error);
        }
        let progress = Progress {
            device_key: device_key.map(str::to_owned).or(progress.device_key),
            ..progress
        };
        self.after_second_factor(answering.pool, state, progress, answering.now)
    }
}

/// Opens the session for the next challenge and answers with it.
pub(super) fn challenge_answer(
    state: &mut PoolState,
    progress: Progress,
    challenge: Challenge,
    parameters: ChallengeParameters,
    now: SystemTime,
) -> ServiceResult<SignInAnswer> {
    let name = challenge.name();
    let session = session::open(state, progress, challenge, now)?;
    Ok(SignInAnswer::challenge(name, session, parameters))
}

/// NEW_PASSWORD_REQUIRED's parameters: the user's attributes but `sub`, none required.
fn new_password_parameters(user: &User) -> ChallengeParameters {
    let attributes: serde_json::Map<String, Value> = user
        .attributes
        .iter()
        .filter(|(name, _)| name != "sub")
        .map(|(name, value)| (name.clone(), json!(value)))
        .collect();
    ChallengeParameters::NewPasswordRequired {
        user_id_for_srp: user.username.clone(),
        user_attributes: Value::Object(attributes).to_string(),
        required_attributes: "[]".to_owned(),
    }
}

/// Checks a presented DEVICE_KEY. Returns DEVICE_SRP_AUTH's parameters when the device is
/// confirmed and remembered; an unknown or forgotten key is an error.
fn device_challenge_parameters(
    state: &PoolState,
    progress: &Progress,
) -> ServiceResult<Option<ChallengeParameters>> {
    let Some(device_key) = &progress.device_key else {
        return Ok(None);
    };
    let (user, device) = users_device(state, progress, device_key)?;
    let trusted =
        state.settings.devices.is_some() && device.verifier.is_some() && device.remembered;
    Ok(trusted.then(|| ChallengeParameters::DeviceSrpAuth {
        username: user.username.clone(),
        device_key: device.key.clone(),
    }))
}

/// Checks a TOTP code against the user's verified secret, once per time step. Wrong codes
/// count per user across sessions: from the fifth in a row, MFA is locked for 1 s, 2 s, 4 s,
/// ... up to 15 minutes, so opening new sessions does not buy more guesses.
fn accept_totp(user: &mut User, code: &str, now: SystemTime) -> ServiceResult<()> {
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
