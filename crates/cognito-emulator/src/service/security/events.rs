// SPDX-License-Identifier: Apache-2.0
//! Recording authentication events. The places where the service judges a sign-in, signs a
//! user up or changes a password call in here with one line each; nothing is recorded unless
//! the pool's threat protection is on, as on the service.
//!
//! The emulator sees no IP address, location or device fingerprint, so it never judges a risk:
//! every event is `NoRisk` and no compromised credentials are detected.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::stored::activity_mut;
use super::threat_protection_on;
use crate::crypto::random;
use crate::service::model::PoolState;

/// The events kept per user, newest first; older ones are dropped. The service documents no
/// number; fifty is a useful history that keeps each user's stored entry small (it is written
/// again with each event).
pub(super) const EVENTS_KEPT_PER_USER: usize = 50;

/// `EventType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    SignIn,
    SignUp,
    ForgotPassword,
    PasswordChange,
    ResendCode,
}

/// `EventResponseType`. A sign-in is recorded once it is decided, so never `InProgress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventResponse {
    Pass,
    Fail,
}

/// `ChallengeName` of `ChallengeResponseType`: which factor was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Factor {
    Password,
    Mfa,
}

/// One factor of a sign-in and whether it was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorResult {
    pub factor: Factor,
    pub passed: bool,
}

/// `FeedbackValueType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackValue {
    Valid,
    Invalid,
}

/// Feedback given on an event (AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Feedback {
    pub value: FeedbackValue,
    /// Who gave it: `Admin` or `User`.
    pub provider: String,
    pub date: SystemTime,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthEvent {
    pub id: String,
    pub kind: EventKind,
    pub created: SystemTime,
    pub response: EventResponse,
    pub factors: Vec<FactorResult>,
    /// The name of the remembered device the sign-in came from, when it has one.
    pub device_name: Option<String>,
    /// What UpdateAuthEventFeedback must present: unguessable, and never listed.
    pub feedback_token: Zeroizing<String>,
    pub feedback: Option<Feedback>,
}

/// What an event records beyond its user and time.
struct NewEvent {
    kind: EventKind,
    response: EventResponse,
    factors: Vec<FactorResult>,
    device_name: Option<String>,
    /// The id to give it, when something else already names the event.
    id: Option<String>,
}

impl NewEvent {
    fn new(kind: EventKind, response: EventResponse, factors: Vec<FactorResult>) -> Self {
        Self {
            kind,
            response,
            factors,
            device_name: None,
            id: None,
        }
    }
}

fn factor(factor: Factor, passed: bool) -> FactorResult {
    FactorResult { factor, passed }
}

/// Records that a user (by username, key or `sub`) signed up, asked for a password reset code,
/// changed the password or had a code sent again.
pub fn record_event(state: &mut PoolState, user: &str, kind: EventKind, now: SystemTime) {
    let Ok(sub) = state.user(user).map(|user| user.sub.clone()) else {
        return;
    };
    let event = NewEvent::new(kind, EventResponse::Pass, Vec::new());
    push_event(state, &sub, event, now);
}

/// A sign-in refused for a wrong password (or SRP password claim) of the user with this key.
pub fn password_refused(state: &mut PoolState, user_key: Option<&str>, now: SystemTime) {
    let Some(sub) = user_key.and_then(|key| Some(state.users.get(key)?.sub.clone())) else {
        return;
    };
    let factors = vec![factor(Factor::Password, false)];
    let event = NewEvent::new(EventKind::SignIn, EventResponse::Fail, factors);
    push_event(state, &sub, event, now);
}

/// A sign-in refused at its MFA code, after a proven password.
pub fn mfa_refused(state: &mut PoolState, sub: &str, now: SystemTime) {
    let factors = vec![factor(Factor::Password, true), factor(Factor::Mfa, false)];
    let event = NewEvent::new(EventKind::SignIn, EventResponse::Fail, factors);
    push_event(state, sub, event, now);
}

/// A sign-in that earned tokens: the password proven, and the MFA code when one was asked. The
/// event has the id the tokens carry as `event_id`, as on the service.
pub(super) fn sign_in_passed(
    state: &mut PoolState,
    sub: &str,
    passed: PassedSignIn,
    now: SystemTime,
) {
    let mut factors = vec![factor(Factor::Password, true)];
    if passed.mfa_answered {
        factors.push(factor(Factor::Mfa, true));
    }
    let event = NewEvent {
        device_name: passed.device_name,
        id: passed.event_id,
        ..NewEvent::new(EventKind::SignIn, EventResponse::Pass, factors)
    };
    push_event(state, sub, event, now);
}

/// How a sign-in that earned tokens went.
pub(super) struct PassedSignIn {
    pub mfa_answered: bool,
    pub device_name: Option<String>,
    pub event_id: Option<String>,
}

fn push_event(state: &mut PoolState, sub: &str, new: NewEvent, now: SystemTime) {
    if !threat_protection_on(&state.settings) || state.user_by_sub(sub).is_none() {
        return;
    }
    let event = AuthEvent {
        id: new.id.unwrap_or_else(random::uuid),
        kind: new.kind,
        created: now,
        response: new.response,
        factors: new.factors,
        device_name: new.device_name,
        feedback_token: Zeroizing::new(random::opaque::<32>()),
        feedback: None,
    };
    let events = &mut activity_mut(state, sub).events;
    events.insert(0, event);
    events.truncate(EVENTS_KEPT_PER_USER);
}
