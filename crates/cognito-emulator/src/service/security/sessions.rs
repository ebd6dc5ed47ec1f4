// SPDX-License-Identifier: Apache-2.0
//! Token sessions: in a pool that tracks sessions (SetUserPoolSessionConfiguration), each
//! sign-in that earns a refresh token opens one, for that app client; refreshing keeps it
//! active, and it ends when its refresh token expires or its sign-in is revoked (RevokeToken,
//! GlobalSignOut, RevokeUserSession). A user holds at most `MaxPerUser` of them: a new sign-in
//! past the limit ends the least recently used one, tokens and all.
//!
//! The emulator has no managed login, so there are no SSO sessions.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::events::{PassedSignIn, sign_in_passed};
use super::session_config::pool_session_config;
use super::stored::activity_mut;
use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::model::{MfaConfiguration, PoolState, User};
use crate::service::sign_out::revoke_sign_in;
use crate::service::tokens::TokenGrant;

const SESSION_ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenSession {
    /// `tkn` and 25 letters or digits, as `SessionIdType` has it.
    pub id: String,
    /// The sign-in the session is: its tokens all carry this `origin_jti`.
    pub origin_jti: String,
    pub client_id: String,
    pub created: SystemTime,
    pub last_active: SystemTime,
    /// When its newest refresh token expires.
    pub expires: SystemTime,
}

impl TokenSession {
    /// Neither expired nor revoked: revoked sign-ins are recorded on the user.
    pub(super) fn is_active(&self, user: &User, now: SystemTime) -> bool {
        let issued_at = json!(unix_seconds(self.created));
        self.expires > now && !user.revoked(Some(&self.origin_jti), Some(&issued_at))
    }
}

/// Where a sign-in earns tokens: records its event, and opens its token session when it earned
/// a refresh token in a pool that tracks sessions.
pub fn signed_in(state: &mut PoolState, sub: &str, grant: &TokenGrant, now: SystemTime) {
    let claim = |name: &str| grant.access_claims.get(name).and_then(Value::as_str);
    let device_key = claim("device_key");
    let (mfa_answered, device_name) = match state.user_by_sub(sub) {
        Some(user) => (
            mfa_was_answered(state, user, device_key),
            device_key.and_then(|key| state.devices.get(key)?.name.clone()),
        ),
        None => return,
    };
    let passed = PassedSignIn {
        mfa_answered,
        device_name,
        event_id: claim("event_id").map(str::to_owned),
    };
    sign_in_passed(state, sub, passed, now);
    let (Some(origin_jti), Some(client_id), Some(token)) = (
        claim("origin_jti"),
        claim("client_id"),
        &grant.refresh_token,
    ) else {
        return;
    };
    let Some(expires) = state.refresh_grants.get(token).map(|g| g.expires) else {
        return;
    };
    let config = pool_session_config(state);
    if !config.tracks_sessions() {
        return;
    }
    let session = TokenSession {
        id: format!("tkn{}", random::from_alphabet(SESSION_ID_ALPHABET, 25)),
        origin_jti: origin_jti.to_owned(),
        client_id: client_id.to_owned(),
        created: now,
        last_active: now,
        expires,
    };
    make_room(state, sub, config.token_session.max_per_user as usize, now);
    activity_mut(state, sub).sessions.push(session);
}

/// Drops the user's ended sessions, then ends the least recently used ones until a new one fits.
/// The sessions left keep the order they were opened in.
fn make_room(state: &mut PoolState, sub: &str, max_per_user: usize, now: SystemTime) {
    let Some(user) = state.user_by_sub(sub) else {
        return;
    };
    let username = user.username.clone();
    let Some(mut sessions) = state.user_activity.get(sub).map(|a| a.sessions.clone()) else {
        return;
    };
    sessions.retain(|session| session.is_active(user, now));
    let mut by_use: Vec<(SystemTime, String)> = sessions
        .iter()
        .map(|session| (session.last_active, session.origin_jti.clone()))
        .collect();
    by_use.sort();
    let evicted = by_use.len().saturating_sub(max_per_user.saturating_sub(1));
    for (_, origin_jti) in &by_use[..evicted] {
        revoke_sign_in(state, &username, origin_jti, now);
        sessions.retain(|session| &session.origin_jti != origin_jti);
    }
    activity_mut(state, sub).sessions = sessions;
}

/// Where a sign-in is revoked (RevokeToken, GlobalSignOut, RevokeUserSession, eviction): its
/// session record goes. (Revoked sign-ins are remembered on the user only as long as their
/// access tokens live, and a session may outlive that.)
pub fn session_ended(state: &mut PoolState, username: &str, origin_jti: &str) {
    let Ok(sub) = state.user(username).map(|user| user.sub.clone()) else {
        return;
    };
    let tracked = state
        .user_activity
        .get(&sub)
        .is_some_and(|a| a.sessions.iter().any(|s| s.origin_jti == origin_jti));
    if tracked {
        let sessions = &mut activity_mut(state, &sub).sessions;
        sessions.retain(|session| session.origin_jti != origin_jti);
    }
}

/// Where a refresh token earns new tokens: the session is active now, and lasts as long as a
/// rotated-in refresh token.
pub fn session_refreshed(
    state: &mut PoolState,
    user_key: &str,
    grant: &TokenGrant,
    now: SystemTime,
) {
    let Some(origin_jti) = grant
        .access_claims
        .get("origin_jti")
        .and_then(Value::as_str)
    else {
        return;
    };
    let Some(sub) = state.users.get(user_key).map(|user| user.sub.clone()) else {
        return;
    };
    let new_expiry = grant
        .refresh_token
        .as_ref()
        .and_then(|token| Some(state.refresh_grants.get(token)?.expires));
    let tracked = state
        .user_activity
        .get(&sub)
        .is_some_and(|a| a.sessions.iter().any(|s| s.origin_jti == origin_jti));
    if !tracked {
        return;
    }
    let activity = activity_mut(state, &sub);
    if let Some(session) = activity
        .sessions
        .iter_mut()
        .find(|s| s.origin_jti == origin_jti)
    {
        session.last_active = now;
        if let Some(expires) = new_expiry {
            session.expires = session.expires.max(expires);
        }
    }
}

/// Whether the sign-in answered an MFA challenge: the pool asked for one, and no remembered
/// device stood in for it (the order `sign_in::steps` follows).
fn mfa_was_answered(state: &PoolState, user: &User, device_key: Option<&str>) -> bool {
    let wanted = match state.settings.mfa {
        MfaConfiguration::On => true,
        MfaConfiguration::Optional => user.software_token_mfa_enabled(),
        MfaConfiguration::Off => false,
    };
    let remembered_device = state.settings.devices.is_some()
        && device_key
            .and_then(|key| state.devices.get(key))
            .is_some_and(|device| device.verifier.is_some() && device.remembered);
    wanted && !remembered_device
}
