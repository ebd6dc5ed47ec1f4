// SPDX-License-Identifier: Apache-2.0
//! The first factor: a password sent as is (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) or
//! proven by SRP (USER_SRP_AUTH, then PASSWORD_VERIFIER); and NEW_PASSWORD_REQUIRED.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp::{Identity, PasswordVerifier, SrpServer};

use super::challenge::{ChallengeParameters, PasswordClaim, required};
use super::judge::{self, Signer, current_user, current_user_mut, judge_secret, srp_internal};
use super::{Answering, ChallengeName, Progress, SignInAnswer, session};
use crate::crypto::random;
use crate::service::lockout::{self, Verdict};
use crate::service::model::{
    AuthSession, Challenge, PoolState, SignInPurpose, SrpSent, UserStatus,
};
use crate::service::{
    Pool, PoolGuard, Service, ServiceError, ServiceResult, check_password_policy, decoy,
};

impl SrpSent {
    /// A claim must carry the SECRET_BLOCK this challenge was sent with.
    pub fn check_block(&self, claim: &PasswordClaim<'_>) -> ServiceResult<()> {
        if claim.secret_block != self.secret_block {
            return Err(ServiceError::invalid_session());
        }
        Ok(())
    }
}

/// A fresh SRP server for `verifier`, its SECRET_BLOCK, and the challenge parameters that go
/// with them; `device_key` for DEVICE_PASSWORD_VERIFIER.
pub(super) fn srp_challenge(
    verifier: &PasswordVerifier,
    username: &str,
    device_key: Option<&str>,
) -> ServiceResult<(SrpServer, String, ChallengeParameters)> {
    let server = SrpServer::new(verifier).map_err(srp_internal)?;
    let secret_block = STANDARD.encode(random::bytes::<64>());
    let parameters = ChallengeParameters::PasswordVerifier {
        salt: verifier.salt_hex(),
        srp_b: server.srp_b(),
        secret_block: secret_block.clone(),
        user_id_for_srp: device_key.is_none().then(|| username.to_owned()),
        username: username.to_owned(),
        device_key: device_key.map(str::to_owned),
    };
    Ok((server, secret_block, parameters))
}

impl Service {
    pub(crate) fn password_sign_in(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
        purpose: SignInPurpose,
    ) -> ServiceResult<SignInAnswer> {
        let username = required(params, "USERNAME")?;
        let password = required(params, "PASSWORD")?;
        let now = self.now();
        let state = pool.lock();
        let user_key = match judge::signer(&state, client_id, username, params)? {
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
            crate::service::import::check_has_password(user)?;
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
            purpose,
        };
        self.after_password(pool, state, progress, now)
    }

    pub(super) fn start_srp(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<SignInAnswer> {
        let username = required(params, "USERNAME")?;
        let srp_a = required(params, "SRP_A")?;
        SrpServer::check_srp_a(srp_a)
            .map_err(|_| ServiceError::invalid_parameter("Invalid SRP_A."))?;
        let now = self.now();
        let state = pool.lock();
        let user_key = match judge::signer(&state, client_id, username, params)? {
            Signer::Known(key) => key,
            Signer::Unknown => {
                let user_key = state.user_key(username);
                drop(state);
                return judge::decoy_password_verifier(pool, username, &user_key);
            }
        };
        let user = state
            .users
            .get(&user_key)
            .ok_or_else(ServiceError::user_not_found)?;
        crate::service::import::check_has_password(user)?;
        lockout::check(user, now)?;
        let (internal, sub, verifier) = (
            user.username.clone(),
            user.sub.clone(),
            user.verifier.clone(),
        );
        drop(state);
        let (server, secret_block, parameters) = srp_challenge(&verifier, &internal, None)?;
        let mut state = pool.lock();
        let progress = Progress {
            user_key,
            sub,
            client_id: client_id.to_owned(),
            device_key: params.get("DEVICE_KEY").cloned(),
            authenticated_at: now,
            purpose: SignInPurpose::Tokens,
        };
        let challenge = Challenge::PasswordVerifier(SrpSent {
            server: Box::new(server),
            srp_a: srp_a.to_owned(),
            secret_block,
        });
        let session = session::open(&mut state, progress, challenge, now)?;
        Ok(SignInAnswer::challenge(
            ChallengeName::PasswordVerifier,
            session,
            parameters,
        ))
    }

    /// PASSWORD_VERIFIER: the user's password claim, judged with the lock released.
    pub(super) fn answer_password_verifier(
        &self,
        answering: &Answering<'_>,
        state: PoolGuard<'_>,
        progress: Progress,
        sent: SrpSent,
        claim: PasswordClaim<'_>,
        device_key: Option<&str>,
    ) -> ServiceResult<SignInAnswer> {
        let (pool, now) = (answering.pool, answering.now);
        sent.check_block(&claim)?;
        let internal = current_user(&state, &progress)?.username.clone();
        let (user_key, client_id) = (&progress.user_key, &progress.client_id);
        let (state, user_key) = judge_secret(pool, state, user_key, client_id, now, || {
            let identity = Identity::user(&pool.id, &internal).map_err(srp_internal)?;
            judge::claim(&claim, &sent.server, &identity, &sent.srp_a, now)
        })?;
        let progress = Progress {
            user_key,
            device_key: device_key.map(str::to_owned).or(progress.device_key),
            authenticated_at: now,
            ..progress
        };
        self.after_password(pool, state, progress, now)
    }

    /// NEW_PASSWORD_REQUIRED: a weak password or a refused attribute leaves the session open
    /// (`retry`) for another try.
    pub(super) fn answer_new_password(
        &self,
        answering: Answering<'_>,
        mut state: PoolGuard<'_>,
        progress: Progress,
        retry: AuthSession,
        new_password: &str,
        attributes: &[(&str, &str)],
    ) -> ServiceResult<SignInAnswer> {
        let (pool, now) = (answering.pool, answering.now);
        let checked = check_password_policy(&state.settings.password_policy, new_password)
            .and_then(|()| check_attribute_updates(&state, attributes));
        if let Err(error) = checked {
            session::put_back(&mut state, answering.session_id, retry);
            return Err(error);
        }
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
        for (name, value) in attributes {
            user.set_attribute(name, value);
        }
        // Confirmed now: a verified email may sign in from here on.
        state.index_user(&progress.user_key);
        self.after_first_factor(pool, state, progress, now)
    }
}

/// `userAttributes.<name>` answers to NEW_PASSWORD_REQUIRED may set only mutable attributes the
/// pool's schema has.
fn check_attribute_updates(state: &PoolState, attributes: &[(&str, &str)]) -> ServiceResult<()> {
    for (name, _) in attributes {
        let known = state
            .settings
            .schema
            .iter()
            .any(|a| a.name == *name && a.mutable);
        if !known || *name == "sub" {
            return Err(ServiceError::invalid_parameter(format!(
                "Cannot modify the attribute {name}: it is unknown or immutable."
            )));
        }
    }
    Ok(())
}
