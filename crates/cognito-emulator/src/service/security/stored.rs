// SPDX-License-Identifier: Apache-2.0
//! What a pool keeps for this family: its security settings (risk configurations, log
//! delivery, session configurations), one entry each, and each user's activity (authentication
//! events and token sessions), one entry per user keyed by `sub`, so that a user deleted and
//! signed up again under the same name starts with none.

use serde::{Deserialize, Serialize};

use super::events::AuthEvent;
use super::log_delivery::LogConfiguration;
use super::risk::StoredRisk;
use super::session_config::{ClientSessionConfig, PoolSessionConfig};
use super::sessions::TokenSession;
use crate::service::model::PoolState;

/// One of a pool's security settings, stored under the key its function below gives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum SecuritySetting {
    Risk(Box<StoredRisk>),
    LogDelivery(Vec<LogConfiguration>),
    PoolSessions(PoolSessionConfig),
    ClientSessions(ClientSessionConfig),
}

/// The key of a risk configuration: the pool's own, or one client's.
pub(super) fn risk_key(client_id: Option<&str>) -> String {
    match client_id {
        Some(client_id) => format!("risk/{client_id}"),
        None => "risk".to_owned(),
    }
}

pub(super) const LOG_DELIVERY_KEY: &str = "log-delivery";
pub(super) const POOL_SESSIONS_KEY: &str = "sessions";

pub(super) fn client_sessions_key(client_id: &str) -> String {
    format!("client-sessions/{client_id}")
}

/// A user's authentication events (newest first) and token sessions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserActivity {
    #[serde(default)]
    pub events: Vec<AuthEvent>,
    #[serde(default)]
    pub sessions: Vec<TokenSession>,
}

/// Drops what a deleted app client had of its own: its risk and session configurations.
pub fn forget_client(state: &mut PoolState, client_id: &str) {
    state.security_settings.remove(&risk_key(Some(client_id)));
    state
        .security_settings
        .remove(&client_sessions_key(client_id));
}

/// The activity of the user with this `sub`, made empty if it has none yet.
pub(super) fn activity_mut<'a>(state: &'a mut PoolState, sub: &str) -> &'a mut UserActivity {
    if !state.user_activity.contains_key(sub) {
        state
            .user_activity
            .insert(sub.to_owned(), UserActivity::default());
    }
    state
        .user_activity
        .get_mut(sub)
        .expect("the activity was inserted just above")
}
