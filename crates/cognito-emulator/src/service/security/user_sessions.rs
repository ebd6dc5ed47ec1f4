// SPDX-License-Identifier: Apache-2.0
//! AdminListUserSessions, ListUserSessions, AdminRevokeUserSession and RevokeUserSession: a
//! user's active token sessions (see `sessions`), listed and ended. Ending one revokes its
//! sign-in as RevokeToken does: its refresh tokens and the access tokens it issued are refused.
//! A pool that does not track sessions keeps none, so it lists none.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::session_config::pool_session_config;
use super::sessions::TokenSession;
use crate::service::clock::epoch_seconds;
use crate::service::model::{PoolState, User};
use crate::service::sign_out::revoke_sign_in;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListUserSessionsRequest {
    pub user_pool_id: String,
    pub username: String,
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserSessionsRequest {
    pub access_token: Zeroizing<String>,
    pub next_token: Option<String>,
}

/// The answer of both: every active session in one page (a user holds at most 100, and a page
/// holds 125), so there is never a `NextToken`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserSessionsAnswer {
    pub sessions: Vec<SessionDescription>,
}

/// `SessionDescriptionType`. The emulator sees no IP address, location or device type.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionDescription {
    pub session_id: String,
    pub session_type: &'static str,
    pub client_id: String,
    pub create_date: f64,
    pub last_active_date: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_current_session: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRevokeUserSessionRequest {
    pub user_pool_id: String,
    pub username: String,
    pub session_id: String,
    // RevokeAssociatedSessions `LINKED` would also end the SSO session a token session came
    // through; the emulator has no SSO sessions, so it is read by no one.
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeUserSessionRequest {
    pub access_token: Zeroizing<String>,
    pub session_id: String,
}

// AdminRevokeUserSession and RevokeUserSession answer `Empty`.

impl Service {
    pub fn admin_list_user_sessions(
        &self,
        request: AdminListUserSessionsRequest,
    ) -> ServiceResult<ListUserSessionsAnswer> {
        refuse_next_token(request.next_token.as_deref())?;
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let user = state.user(&request.username)?;
        let sessions = active_sessions(&state, user, self.now())
            .map(|session| describe(session, None))
            .collect();
        Ok(ListUserSessionsAnswer { sessions })
    }

    pub fn list_user_sessions(
        &self,
        request: ListUserSessionsRequest,
    ) -> ServiceResult<ListUserSessionsAnswer> {
        refuse_next_token(request.next_token.as_deref())?;
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let current = token_origin(&request.access_token);
        let state = pool.lock();
        let user = state.token_user(&claims)?;
        let sessions = active_sessions(&state, user, self.now())
            .map(|session| {
                let is_current = current.as_deref() == Some(session.origin_jti.as_str());
                describe(session, Some(is_current))
            })
            .collect();
        Ok(ListUserSessionsAnswer { sessions })
    }

    pub fn admin_revoke_user_session(
        &self,
        request: AdminRevokeUserSessionRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.user(&request.username)?;
        let username = user.username.clone();
        let origin_jti = active_session(&state, user, &request.session_id, now)?
            .origin_jti
            .clone();
        revoke_sign_in(&mut state, &username, &origin_jti, now);
        Ok(Empty {})
    }

    /// The session the calling access token belongs to cannot be ended here (RevokeToken or
    /// GlobalSignOut end it).
    pub fn revoke_user_session(&self, request: RevokeUserSessionRequest) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let current = token_origin(&request.access_token);
        let now = self.now();
        let mut state = pool.lock();
        let user = state.token_user(&claims)?;
        let username = user.username.clone();
        let origin_jti = active_session(&state, user, &request.session_id, now)?
            .origin_jti
            .clone();
        if current.as_deref() == Some(origin_jti.as_str()) {
            return Err(ServiceError::invalid_parameter(
                "The session that the access token belongs to cannot be revoked with RevokeUserSession.",
            ));
        }
        revoke_sign_in(&mut state, &username, &origin_jti, now);
        Ok(Empty {})
    }
}

/// This service never hands out a `NextToken`, so none it is given can be one of its own.
fn refuse_next_token(next_token: Option<&str>) -> ServiceResult<()> {
    match next_token {
        Some(_) => Err(ServiceError::invalid_parameter("Invalid pagination token.")),
        None => Ok(()),
    }
}

/// The user's active sessions, oldest first; none where the pool does not track sessions.
fn active_sessions<'a>(
    state: &'a PoolState,
    user: &'a User,
    now: SystemTime,
) -> impl Iterator<Item = &'a TokenSession> {
    let tracked = pool_session_config(state).tracks_sessions();
    state
        .user_activity
        .get(&user.sub)
        .filter(|_| tracked)
        .into_iter()
        .flat_map(|activity| activity.sessions.iter())
        .filter(move |session| session.is_active(user, now))
}

fn active_session<'a>(
    state: &'a PoolState,
    user: &'a User,
    session_id: &str,
    now: SystemTime,
) -> ServiceResult<&'a TokenSession> {
    active_sessions(state, user, now)
        .find(|session| session.id == session_id)
        .ok_or_else(|| ServiceError::resource_not_found("The session was not found."))
}

fn describe(session: &TokenSession, is_current_session: Option<bool>) -> SessionDescription {
    SessionDescription {
        session_id: session.id.clone(),
        session_type: "TOKEN",
        client_id: session.client_id.clone(),
        create_date: epoch_seconds(session.created),
        last_active_date: epoch_seconds(session.last_active),
        is_current_session,
    }
}

/// The `origin_jti` of an access token already authenticated: which sign-in it belongs to.
fn token_origin(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    Some(claims.get("origin_jti")?.as_str()?.to_owned())
}
