// SPDX-License-Identifier: Apache-2.0
//! Guessing limits: every place a password or an SRP password claim (a user's or a device's)
//! is judged asks here first, and reports the verdict here. The judging itself is slow and
//! runs with the pool's lock released, so the limit counts the judgements under way too:
//! however many requests arrive at once, no more wrong answers are judged than the lockout
//! allows.

use std::time::{Duration, SystemTime};

use super::model::{PoolState, User};
use super::{ServiceError, ServiceResult};

/// Wrong answers in a row before the user is locked for a while, doubling each time.
pub(crate) const LOCKOUT_AFTER: u32 = 5;
const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// From the `LOCKOUT_AFTER`th failure in a row: 1 s, then doubling, at most 15 minutes.
pub(crate) fn lockout(failures: u32, now: SystemTime) -> Option<SystemTime> {
    (failures >= LOCKOUT_AFTER).then(|| {
        let doublings = (failures - LOCKOUT_AFTER).min(20);
        now + Duration::from_secs(1u64 << doublings).min(MAX_LOCKOUT)
    })
}

fn password_attempts_exceeded() -> ServiceError {
    ServiceError::not_authorized("Password attempts exceeded")
}

/// Refuses while the user is locked out of password sign-in.
pub(crate) fn check(user: &User, now: SystemTime) -> ServiceResult<()> {
    if user.locked_until.is_some_and(|until| until > now) {
        return Err(password_attempts_exceeded());
    }
    Ok(())
}

/// A judgement of one of the user's secrets that the limit allowed; give it back to
/// [`settle`] with the verdict, whatever happens in between.
#[derive(Debug)]
#[must_use = "a started check holds a place in the user's guessing budget until it is settled"]
pub(crate) struct Judgement {
    sub: String,
}

/// What came of a judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Right,
    Wrong,
    /// Not judged after all (a malformed answer): it counts for nothing.
    Void,
}

impl Verdict {
    pub(crate) fn of(matched: bool) -> Self {
        if matched { Self::Right } else { Self::Wrong }
    }
}

/// Takes one place in the user's guessing budget: refused while the user is locked, and
/// while the judgements under way could already reach the lock. After a lockout ends, one
/// judgement at a time.
pub(crate) fn begin(
    state: &mut PoolState,
    user_key: &str,
    now: SystemTime,
) -> ServiceResult<Judgement> {
    let user = state
        .users
        .get(user_key)
        .ok_or_else(ServiceError::user_not_found)?;
    check(user, now)?;
    let budget = LOCKOUT_AFTER.saturating_sub(user.failed_passwords).max(1);
    let sub = user.sub.clone();
    let under_way = state.checks_in_flight.entry(sub.clone()).or_insert(0);
    if *under_way >= budget {
        return Err(password_attempts_exceeded());
    }
    *under_way += 1;
    Ok(Judgement { sub })
}

/// Records the verdict of a judgement. Returns the key of the user judged, if that user is
/// still there (the lock was released meanwhile: the user may be gone, or another of the same
/// name may have taken its place, which the judgement says nothing about).
pub(crate) fn settle(
    state: &mut PoolState,
    judgement: Judgement,
    verdict: Verdict,
    now: SystemTime,
) -> Option<String> {
    if let Some(under_way) = state.checks_in_flight.get_mut(&judgement.sub) {
        *under_way = under_way.saturating_sub(1);
        if *under_way == 0 {
            state.checks_in_flight.remove(&judgement.sub);
        }
    }
    let key = state.subs.get(&judgement.sub).cloned()?;
    let user = state.user_by_sub(&judgement.sub)?;
    // A right password of a user with nothing to reset changes nothing: the user is not
    // borrowed mutably, so it is neither journaled nor put in the recovery history again.
    let nothing_to_reset = user.failed_passwords == 0 && user.locked_until.is_none();
    match verdict {
        Verdict::Right if nothing_to_reset => {}
        Verdict::Right => {
            let user = state.user_by_sub_mut(&judgement.sub)?;
            user.failed_passwords = 0;
            user.locked_until = None;
        }
        Verdict::Wrong => {
            let user = state.user_by_sub_mut(&judgement.sub)?;
            user.failed_passwords += 1;
            user.locked_until = lockout(user.failed_passwords, now);
        }
        Verdict::Void => {}
    }
    Some(key)
}
