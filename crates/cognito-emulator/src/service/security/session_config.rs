// SPDX-License-Identifier: Apache-2.0
//! The session configuration of a pool (GetUserPoolSessionConfiguration,
//! SetUserPoolSessionConfiguration: whether token sessions are tracked, and how many a user may
//! hold) and of its app clients (Get/SetUserPoolClientSessionConfiguration: how long managed
//! login may silently reuse an SSO session). The pool's acts (see `sessions`); the clients' is
//! stored and returned, as the emulator has no managed login to reuse sessions in.

use serde::{Deserialize, Serialize};

use super::stored::{POOL_SESSIONS_KEY, SecuritySetting, client_sessions_key};
use crate::service::model::PoolState;
use crate::service::{Service, ServiceError, ServiceResult};

/// The service's defaults: tracking off, 20 token sessions per user, SSO sessions reused for 60
/// minutes.
const DEFAULT_MAX_PER_USER: u32 = 20;
const DEFAULT_SSO_MAX_VALIDITY_MINUTES: u32 = 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenSessionConfig {
    pub max_per_user: u32,
}

/// `UserSessionTracking` and `TokenSession`, as set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolSessionConfig {
    pub user_session_tracking: String,
    pub token_session: TokenSessionConfig,
}

impl PoolSessionConfig {
    pub(super) fn tracks_sessions(&self) -> bool {
        self.user_session_tracking == "ENABLED"
    }
}

/// `ClientSSOSessionConfigType`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientSessionConfig {
    pub max_validity_minutes: u32,
}

/// The pool's session configuration, or the defaults.
pub(super) fn pool_session_config(state: &PoolState) -> PoolSessionConfig {
    match state.security_settings.get(POOL_SESSIONS_KEY) {
        Some(SecuritySetting::PoolSessions(config)) => config.clone(),
        _ => PoolSessionConfig {
            user_session_tracking: "DISABLED".to_owned(),
            token_session: TokenSessionConfig {
                max_per_user: DEFAULT_MAX_PER_USER,
            },
        },
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserPoolSessionConfigurationRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolSessionConfigurationRequest {
    pub user_pool_id: String,
    #[serde(flatten)]
    pub config: PoolSessionConfig,
}

/// The answer of both: the configuration in force.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolSessionConfigurationAnswer {
    pub user_pool_id: String,
    #[serde(flatten)]
    pub config: PoolSessionConfig,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserPoolClientSessionConfigurationRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolClientSessionConfigurationRequest {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(rename = "SSOSession")]
    pub sso_session: ClientSessionConfig,
}

/// The answer of both: the client's configuration in force.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientSessionConfigurationAnswer {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(rename = "SSOSession")]
    pub sso_session: ClientSessionConfig,
}

/// Session management is a feature of the Essentials and Plus plans.
fn require_session_tier(state: &PoolState) -> ServiceResult<()> {
    if matches!(state.settings.tier.as_str(), "ESSENTIALS" | "PLUS") {
        return Ok(());
    }
    Err(ServiceError::new(
        "FeatureUnavailableInTierException",
        "Session management is available only in the Essentials and Plus feature plans.",
    ))
}

impl Service {
    pub fn get_user_pool_session_configuration(
        &self,
        request: GetUserPoolSessionConfigurationRequest,
    ) -> ServiceResult<UserPoolSessionConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let config = pool_session_config(&pool.lock());
        Ok(UserPoolSessionConfigurationAnswer {
            user_pool_id: request.user_pool_id,
            config,
        })
    }

    /// Replaces the whole configuration. Lowering `MaxPerUser` ends no session by itself: the
    /// next sign-in brings the user within it.
    pub fn set_user_pool_session_configuration(
        &self,
        request: SetUserPoolSessionConfigurationRequest,
    ) -> ServiceResult<UserPoolSessionConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_session_tier(&state)?;
        let setting = SecuritySetting::PoolSessions(request.config.clone());
        state
            .security_settings
            .insert(POOL_SESSIONS_KEY.to_owned(), setting);
        Ok(UserPoolSessionConfigurationAnswer {
            user_pool_id: request.user_pool_id,
            config: request.config,
        })
    }

    pub fn get_user_pool_client_session_configuration(
        &self,
        request: GetUserPoolClientSessionConfigurationRequest,
    ) -> ServiceResult<UserPoolClientSessionConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        state.client(&request.client_id)?;
        let sso_session = match state
            .security_settings
            .get(&client_sessions_key(&request.client_id))
        {
            Some(SecuritySetting::ClientSessions(config)) => config.clone(),
            _ => ClientSessionConfig {
                max_validity_minutes: DEFAULT_SSO_MAX_VALIDITY_MINUTES,
            },
        };
        Ok(UserPoolClientSessionConfigurationAnswer {
            user_pool_id: request.user_pool_id,
            client_id: request.client_id,
            sso_session,
        })
    }

    /// Needs session tracking on for the pool, as the service does.
    pub fn set_user_pool_client_session_configuration(
        &self,
        request: SetUserPoolClientSessionConfigurationRequest,
    ) -> ServiceResult<UserPoolClientSessionConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        state.client(&request.client_id)?;
        require_session_tier(&state)?;
        if !pool_session_config(&state).tracks_sessions() {
            return Err(ServiceError::invalid_parameter(
                "Session tracking is not enabled for this user pool: enable it with SetUserPoolSessionConfiguration first.",
            ));
        }
        let setting = SecuritySetting::ClientSessions(request.sso_session.clone());
        state
            .security_settings
            .insert(client_sessions_key(&request.client_id), setting);
        Ok(UserPoolClientSessionConfigurationAnswer {
            user_pool_id: request.user_pool_id,
            client_id: request.client_id,
            sso_session: request.sso_session,
        })
    }
}
