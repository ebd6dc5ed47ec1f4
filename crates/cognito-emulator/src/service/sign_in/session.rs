// SPDX-License-Identifier: Apache-2.0
//! Sign-in sessions: the opaque `Session` a challenge is sent with, and what it stands for in
//! the pool (`AuthSession`) until it is answered, spent or expired. Every session is opened,
//! taken and put back here, for the sign-in challenges and for MFA setup alike.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::Progress;
use super::challenge::ChallengeAnswer;
use super::judge::current_user;
use crate::crypto::random;
use crate::service::model::{AuthSession, Challenge, PoolState};
use crate::service::{Pool, Service, ServiceError, ServiceResult};

/// Wrong answers (TOTP codes) one session takes before it is void.
pub(crate) const MAX_WRONG_ANSWERS: u32 = 5;

/// A new session for the next challenge of `progress`'s sign-in; returns its id. Each session
/// lives for the client's AuthSessionValidity.
pub(super) fn open(
    state: &mut PoolState,
    progress: Progress,
    challenge: Challenge,
    now: SystemTime,
) -> ServiceResult<String> {
    let minutes = state
        .client(&progress.client_id)?
        .auth_session_validity_minutes;
    state.purge_sessions(now);
    let username = current_user(state, &progress)?.username.clone();
    let session = AuthSession {
        username,
        sub: progress.sub,
        client_id: progress.client_id,
        expires: now + Duration::from_secs(minutes * 60),
        challenge,
        device_key: progress.device_key,
        wrong_answers: 0,
        authenticated_at: progress.authenticated_at,
        purpose: progress.purpose,
    };
    Ok(insert_new(state, session))
}

/// The next step of the same sign-in, under a new session id, with the client's whole
/// session validity again.
pub(crate) fn reopen(
    state: &mut PoolState,
    session: AuthSession,
    challenge: Challenge,
    now: SystemTime,
) -> String {
    let minutes = state
        .clients
        .get(&session.client_id)
        .map_or(3, |client| client.auth_session_validity_minutes);
    let next = AuthSession {
        challenge,
        wrong_answers: 0,
        expires: now + Duration::from_secs(minutes * 60),
        ..session
    };
    insert_new(state, next)
}

fn insert_new(state: &mut PoolState, session: AuthSession) -> String {
    let id = random::opaque::<48>();
    state.sessions.insert(id.clone(), session);
    id
}

/// After a wrong code: the same session, one try fewer, while it has tries left; else `None`.
pub(crate) fn after_wrong_answer(session: AuthSession) -> Option<AuthSession> {
    let wrong_answers = session.wrong_answers + 1;
    (wrong_answers < MAX_WRONG_ANSWERS).then_some(AuthSession {
        wrong_answers,
        ..session
    })
}

/// Puts a session back under its id, for another try.
pub(crate) fn put_back(state: &mut PoolState, id: String, session: AuthSession) {
    state.sessions.insert(id, session);
}

/// The session a challenge answer names, removed so it cannot be used again. A session for
/// another challenge, client or user is refused and left alone.
pub(super) fn take(
    state: &mut PoolState,
    id: &str,
    answer: &ChallengeAnswer<'_>,
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
        other => other.name() == answer.name(),
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
pub(super) fn find_without_id(
    state: &PoolState,
    answer: &ChallengeAnswer<'_>,
    user_key: &str,
) -> ServiceResult<String> {
    let found = state.sessions.iter().find(|(_, session)| {
        state.user_key(&session.username) == user_key
            && match (&session.challenge, answer) {
                (
                    Challenge::PasswordVerifier(sent),
                    ChallengeAnswer::PasswordVerifier { claim, .. },
                )
                | (
                    Challenge::DevicePasswordVerifier(sent),
                    ChallengeAnswer::DevicePasswordVerifier { claim, .. },
                ) => claim.secret_block == sent.secret_block,
                (Challenge::DeviceSrpAuth, ChallengeAnswer::DeviceSrpAuth { device_key, .. }) => {
                    session.device_key.as_deref() == Some(*device_key)
                }
                _ => false,
            }
    });
    match (found, answer) {
        (Some((id, _)), _) => Ok(id.clone()),
        (
            None,
            ChallengeAnswer::PasswordVerifier { .. }
            | ChallengeAnswer::DeviceSrpAuth { .. }
            | ChallengeAnswer::DevicePasswordVerifier { .. },
        ) => Err(ServiceError::invalid_session()),
        (None, _) => Err(ServiceError::missing_parameter("Session")),
    }
}

/// Removes an MFA-setup session [`Service::find_enrolment_session`] found; gone meanwhile
/// means used meanwhile.
pub(crate) fn take_enrolment(state: &mut PoolState, id: &str) -> ServiceResult<AuthSession> {
    state
        .sessions
        .remove(id)
        .ok_or_else(ServiceError::invalid_session)
}

impl Service {
    /// Finds which pool holds an MFA_SETUP session at `stage` (AssociateSoftwareToken and
    /// VerifySoftwareToken name no client or pool, only the session).
    pub(crate) fn find_enrolment_session(
        &self,
        id: &str,
        now: SystemTime,
        stage: impl Fn(&Challenge) -> bool,
    ) -> ServiceResult<Arc<Pool>> {
        for pool in self.all_pools() {
            let mut state = pool.lock();
            let Some(session) = state.sessions.get(id) else {
                continue;
            };
            if session.expires <= now {
                state.sessions.remove(id);
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
