// SPDX-License-Identifier: Apache-2.0
//! The managed-login session: a browser that signed in on a domain goes straight back to the
//! app while it lasts (an hour, as the service's cookie does). It ends at `/logout`, when the
//! user is deleted, disabled or signed out everywhere.

use std::time::{Duration, SystemTime};

use super::SignedInUser;
use crate::crypto::random;
use crate::service::Service;
use crate::service::clock::unix_seconds;
use crate::service::model::PoolState;

/// How long a browser stays signed in to managed login.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone)]
pub(super) struct BrowserSession {
    user: SignedInUser,
    started: SystemTime,
    expires: SystemTime,
}

impl Service {
    /// A new session for a browser that just signed in; its id goes in the cookie.
    pub fn open_login_session(&self, domain: &str, user: &SignedInUser) -> Option<String> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let id = random::opaque::<32>();
        let mut state = pool.lock();
        state
            .login
            .sessions
            .retain(|_, session| session.expires > now);
        let session = BrowserSession {
            user: user.clone(),
            started: now,
            expires: now + SESSION_LIFETIME,
        };
        state.login.sessions.insert(id.clone(), session);
        Some(id)
    }

    /// Who a browser's session cookie signs in, if it still does.
    pub fn login_session_user(&self, domain: &str, id: &str) -> Option<SignedInUser> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let mut state = pool.lock();
        let session = state.login.sessions.get(id)?.clone();
        if session.expires <= now || !still_signed_in(&state, &session) {
            state.login.sessions.remove(id);
            return None;
        }
        Some(session.user)
    }

    /// Ends a browser's session (`/logout`); an unknown one is already ended.
    pub fn end_login_session(&self, domain: &str, id: &str) {
        if let Some(pool) = self.pool_of_domain(domain) {
            pool.lock().login.sessions.remove(id);
        }
    }
}

/// Whether the session's user is the same user still, enabled, and not signed out everywhere
/// since the session began.
fn still_signed_in(state: &PoolState, session: &BrowserSession) -> bool {
    let Some(user) = state.user_by_sub(&session.user.sub) else {
        return false;
    };
    let signed_out = user
        .signed_out_before
        .is_some_and(|before| before >= unix_seconds(session.started));
    user.enabled && !signed_out && state.user_key(&user.username) == session.user.user_key
}
