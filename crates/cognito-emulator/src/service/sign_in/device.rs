// SPDX-License-Identifier: Apache-2.0
//! A remembered device proving itself instead of MFA: DEVICE_SRP_AUTH (the device's SRP_A),
//! then DEVICE_PASSWORD_VERIFIER (its password claim).

use cognito_srp::{Identity, PasswordVerifier, SrpServer};

use super::challenge::PasswordClaim;
use super::judge::{self, current_user, judge_secret, srp_internal};
use super::password::srp_challenge;
use super::steps::challenge_answer;
use super::{Answering, Progress, SignInAnswer};
use crate::service::model::{Challenge, Device, PoolState, SrpSent, User};
use crate::service::{PoolGuard, Service, ServiceError, ServiceResult};

impl Service {
    /// DEVICE_SRP_AUTH: the device's SRP_A; answered with DEVICE_PASSWORD_VERIFIER.
    pub(super) fn answer_device_srp_auth(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
        device_key: &str,
        srp_a: &str,
    ) -> ServiceResult<SignInAnswer> {
        let (pool, now) = (answering.pool, answering.now);
        SrpServer::check_srp_a(srp_a)
            .map_err(|_| ServiceError::invalid_parameter("Invalid SRP_A."))?;
        let (verifier, internal) = device_verifier(&state, &progress, device_key)?;
        drop(state);
        let (server, secret_block, parameters) =
            srp_challenge(&verifier, &internal, Some(device_key))?;
        let mut state = pool.lock();
        let progress = Progress {
            device_key: Some(device_key.to_owned()),
            ..progress
        };
        let challenge = Challenge::DevicePasswordVerifier(SrpSent {
            server: Box::new(server),
            srp_a: srp_a.to_owned(),
            secret_block,
        });
        challenge_answer(&mut state, progress, challenge, parameters, now)
    }

    /// DEVICE_PASSWORD_VERIFIER: the device's password claim, judged with the lock released.
    pub(super) fn answer_device_password_verifier(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
        sent: SrpSent,
        claim: PasswordClaim<'_>,
        device_key: &str,
    ) -> ServiceResult<SignInAnswer> {
        let (pool, now) = (answering.pool, answering.now);
        if progress.device_key.as_deref() != Some(device_key) {
            return Err(ServiceError::invalid_session());
        }
        sent.check_block(&claim)?;
        let group_key = current_user(&state, &progress)?.device_group_key.clone();
        device_verifier(&state, &progress, device_key)?;
        let (user_key, client_id) = (&progress.user_key, &progress.client_id);
        let (mut state, user_key) = judge_secret(pool, state, user_key, client_id, now, || {
            let identity = Identity::device(&group_key, device_key).map_err(srp_internal)?;
            judge::claim(&claim, &sent.server, &identity, &sent.srp_a, now)
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

/// The signing-in user and one of their devices; another user's device is not found.
pub(super) fn users_device<'a>(
    state: &'a PoolState,
    progress: &Progress,
    device_key: &str,
) -> ServiceResult<(&'a User, &'a Device)> {
    let user = current_user(state, progress)?;
    let device = state
        .devices
        .get(device_key)
        .filter(|device| device.username == user.username)
        .ok_or_else(ServiceError::device_not_found)?;
    Ok((user, device))
}

/// A confirmed device of this user, with its verifier.
fn device_verifier(
    state: &PoolState,
    progress: &Progress,
    device_key: &str,
) -> ServiceResult<(PasswordVerifier, String)> {
    let (user, device) = users_device(state, progress, device_key)?;
    let verifier = device
        .verifier
        .clone()
        .ok_or_else(ServiceError::device_not_found)?;
    Ok((verifier, user.username.clone()))
}
