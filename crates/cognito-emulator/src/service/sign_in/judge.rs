// SPDX-License-Identifier: Apache-2.0
//! Judging a sign-in's secrets: who is signing in, password claims, the lockout around every
//! judgement, and the answers for users who are not there (as the app client's
//! PreventUserExistenceErrors calls for).

use std::collections::HashMap;
use std::time::SystemTime;

use cognito_srp::{Identity, SrpError, SrpServer};

use super::challenge::{ChallengeAnswer, PasswordClaim};
use super::password::srp_challenge;
use super::{ChallengeName, Progress, SignInAnswer};
use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::lockout::{self, Verdict};
use crate::service::model::{PoolState, User};
use crate::service::{
    Pool, PoolGuard, ServiceError, ServiceResult, check_secret_hash, decoy, security,
};

/// How far a password claim's TIMESTAMP may be from the service's clock.
const TIMESTAMP_TOLERANCE_SECONDS: i64 = 5 * 60;
/// A valid SRP_A (2, the generator) for judging claims that have no sign-in behind them.
const DECOY_SRP_A: &str = "02";

/// Who a sign-in names.
pub(super) enum Signer {
    Known(String),
    /// Nobody, and the app client hides that.
    Unknown,
}

/// Who is signing in, once the client's SECRET_HASH is checked: the user, or (for a name
/// nobody has) the error the client's settings call for.
pub(super) fn signer(
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

/// Runs the SRP check of a password claim (slow: no lock may be held). A malformed claim is an
/// error, not a verdict.
pub(super) fn claim(
    claim: &PasswordClaim<'_>,
    server: &SrpServer,
    identity: &Identity,
    srp_a: &str,
    now: SystemTime,
) -> ServiceResult<Verdict> {
    let claimed_at = match server.verify_claim(
        identity,
        srp_a,
        claim.secret_block,
        claim.timestamp,
        claim.signature,
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

/// Judges one of the user's secrets (`judge`: slow, so run with the pool's lock released)
/// within the user's guessing budget, and records the verdict. Returns the lock again and the
/// key of the user the secret proved, or the error to answer.
pub(super) fn judge_secret<'p>(
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
    if verdict == Verdict::Wrong {
        security::password_refused(&mut state, user_key.as_deref(), now);
    }
    match (judged?, user_key) {
        (Verdict::Right, Some(key)) => Ok((state, key)),
        (Verdict::Right, None) => Err(missing_user(&state, client_id)),
        (Verdict::Wrong | Verdict::Void, _) => Err(ServiceError::incorrect_credentials()),
    }
}

/// The user a sign-in has proven so far, looked up again: gone, or replaced by another of the
/// same name, it is no longer there.
pub(super) fn current_user<'a>(
    state: &'a PoolState,
    progress: &Progress,
) -> ServiceResult<&'a User> {
    state
        .user_by_sub(&progress.sub)
        .ok_or_else(|| missing_user(state, &progress.client_id))
}

pub(super) fn current_user_mut<'a>(
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

/// USER_SRP_AUTH for a user who does not exist, where the client hides that: a
/// PASSWORD_VERIFIER challenge like a real one, whose answer is refused as a wrong password.
pub(super) fn decoy_password_verifier(
    pool: &Pool,
    username: &str,
    user_key: &str,
) -> ServiceResult<SignInAnswer> {
    let verifier = decoy::verifier_for(pool, user_key);
    let (_, _, parameters) = srp_challenge(&verifier, username, None)?;
    Ok(SignInAnswer::challenge(
        ChallengeName::PasswordVerifier,
        random::opaque::<48>(),
        parameters,
    ))
}

/// RespondToAuthChallenge for a user who does not exist. Where the client hides that, a
/// password claim is judged as a real one would be (against a verifier nobody has, so it is
/// refused as a wrong password after as long); any other answer has no session to belong to.
pub(super) fn unknown_user_answer(
    pool: &Pool,
    conceal: bool,
    username: &str,
    answer: &ChallengeAnswer<'_>,
    now: SystemTime,
) -> ServiceError {
    if !conceal {
        return ServiceError::user_not_found();
    }
    let ChallengeAnswer::PasswordVerifier {
        claim: answered, ..
    } = answer
    else {
        return ServiceError::invalid_session();
    };
    let Ok(identity) = Identity::user(&pool.id, username) else {
        return ServiceError::incorrect_credentials();
    };
    // Any A the group accepts will do: the claim is refused whatever it is.
    let _ = claim(answered, decoy::server(), &identity, DECOY_SRP_A, now);
    ServiceError::incorrect_credentials()
}

pub(super) fn srp_internal(error: SrpError) -> ServiceError {
    ServiceError::internal(format!("SRP: {error}"))
}
