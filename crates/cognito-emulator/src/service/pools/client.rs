// SPDX-License-Identifier: Apache-2.0
//! App clients: CreateUserPoolClient, DescribeUserPoolClient, DeleteUserPoolClient, and the
//! shape all client operations describe a client in.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::client_settings::{
    ChangeableClientSettings, RefreshTokenRotationType, TokenValidityUnitsType,
};
use super::config::{AnalyticsConfigurationType, ClientSecret};
use super::secrets::new_secret;
use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::{AppClient, TokenUnit};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// The service's quota of app clients in one pool.
const MAX_CLIENTS: usize = 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_name: String,
    pub generate_secret: Option<bool>,
    pub client_secret: Option<Zeroizing<String>>,
    #[serde(flatten)]
    pub changeable: ChangeableClientSettings,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientAnswer {
    pub user_pool_client: UserPoolClientType,
}

/// The request of DescribeUserPoolClient and of DeleteUserPoolClient, which are given the same:
/// the pool and the client.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

/// The answer of DescribeUserPoolClient and UpdateUserPoolClient.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientAnswer {
    pub user_pool_client: UserPoolClientType,
}

// DeleteUserPoolClient answers `Empty`.

/// `UserPoolClientType`: a client with everything it was configured with.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientType {
    pub user_pool_id: String,
    pub client_name: String,
    pub client_id: String,
    /// Seconds since the epoch, as every date of the API.
    pub last_modified_date: f64,
    pub creation_date: f64,
    pub refresh_token_validity: u64,
    pub access_token_validity: u64,
    pub id_token_validity: u64,
    pub token_validity_units: TokenValidityUnitsType,
    pub explicit_auth_flows: Vec<String>,
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: bool,
    /// `ENABLED` or `LEGACY`.
    pub prevent_user_existence_errors: &'static str,
    pub enable_token_revocation: bool,
    pub enable_propagate_additional_user_context_data: bool,
    /// Minutes.
    pub auth_session_validity: u64,
    pub refresh_token_rotation: RefreshTokenRotationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
    #[serde(rename = "CallbackURLs", skip_serializing_if = "Vec::is_empty")]
    pub callback_urls: Vec<String>,
    #[serde(rename = "LogoutURLs", skip_serializing_if = "Vec::is_empty")]
    pub logout_urls: Vec<String>,
    #[serde(rename = "DefaultRedirectURI", skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    #[serde(rename = "AllowedOAuthFlows", skip_serializing_if = "Vec::is_empty")]
    pub allowed_oauth_flows: Vec<String>,
    #[serde(rename = "AllowedOAuthScopes", skip_serializing_if = "Vec::is_empty")]
    pub allowed_oauth_scopes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supported_identity_providers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_configuration: Option<AnalyticsConfigurationType>,
    /// The oldest live secret: the one the client was created with, until it is deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Zeroizing<String>>,
}

impl Service {
    pub fn create_user_pool_client(
        &self,
        request: CreateUserPoolClientRequest,
    ) -> ServiceResult<CreateUserPoolClientAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let secret = match (
            request.generate_secret.unwrap_or(false),
            request.client_secret,
        ) {
            (true, Some(_)) => {
                return Err(ServiceError::invalid_parameter(
                    "Cannot both generate a client secret and provide one.",
                ));
            }
            (true, None) => Some(new_secret(None, now)),
            (false, given) => given.map(|value| new_secret(Some(value), now)),
        };
        let mut client = AppClient {
            id: random::from_alphabet(random::LOWER_ALPHANUMERIC, 26),
            name: request.client_name,
            secret: None,
            secrets: secret.into_iter().collect::<Vec<ClientSecret>>(),
            explicit_auth_flows: Vec::new(),
            access_token_validity: (1, TokenUnit::Hours),
            id_token_validity: (1, TokenUnit::Hours),
            refresh_token_validity: (30, TokenUnit::Days),
            auth_session_validity_minutes: 3,
            prevent_user_existence_errors: false,
            enable_token_revocation: true,
            refresh_token_rotation: None,
            read_attributes: None,
            write_attributes: None,
            oauth: Default::default(),
            analytics: None,
            propagate_user_context_data: false,
            created: now,
            modified: now,
        };
        let mut state = pool.lock();
        request.changeable.apply_to(&mut client, &state)?;
        let user_pool_client = user_pool_client_type(&pool.id, &client);
        if state.clients.len() >= MAX_CLIENTS {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!("A user pool can have at most {MAX_CLIENTS} app clients."),
            ));
        }
        state.clients.insert(client.id.clone(), client);
        drop(state);
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user_pool_client.client_id.clone(), pool.id.clone());
        Ok(CreateUserPoolClientAnswer { user_pool_client })
    }

    pub fn describe_user_pool_client(
        &self,
        request: UserPoolClientRequest,
    ) -> ServiceResult<UserPoolClientAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let client = state.client(&request.client_id)?;
        Ok(UserPoolClientAnswer {
            user_pool_client: user_pool_client_type(&pool.id, client),
        })
    }

    pub fn delete_user_pool_client(&self, request: UserPoolClientRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if state.clients.remove(&request.client_id).is_none() {
            return Err(ServiceError::client_not_found(&request.client_id));
        }
        state
            .sessions
            .retain(|_, s| s.client_id != request.client_id);
        state
            .refresh_grants
            .retain(|_, g| g.client_id != request.client_id);
        state.ui_customizations.remove(&request.client_id);
        crate::service::security::forget_client(&mut state, &request.client_id);
        crate::service::branding::forget_client(&mut state, &request.client_id);
        drop(state);
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&request.client_id);
        Ok(Empty {})
    }
}

pub fn user_pool_client_type(pool_id: &str, client: &AppClient) -> UserPoolClientType {
    let unit = |validity: (u64, TokenUnit)| Some(validity.1.name().to_owned());
    let oauth = &client.oauth;
    UserPoolClientType {
        user_pool_id: pool_id.to_owned(),
        client_name: client.name.clone(),
        client_id: client.id.clone(),
        last_modified_date: epoch_seconds(client.modified),
        creation_date: epoch_seconds(client.created),
        refresh_token_validity: client.refresh_token_validity.0,
        access_token_validity: client.access_token_validity.0,
        id_token_validity: client.id_token_validity.0,
        token_validity_units: TokenValidityUnitsType {
            access_token: unit(client.access_token_validity),
            id_token: unit(client.id_token_validity),
            refresh_token: unit(client.refresh_token_validity),
        },
        explicit_auth_flows: client.explicit_auth_flows.clone(),
        allowed_oauth_flows_user_pool_client: oauth.enabled,
        prevent_user_existence_errors: if client.prevent_user_existence_errors {
            "ENABLED"
        } else {
            "LEGACY"
        },
        enable_token_revocation: client.enable_token_revocation,
        enable_propagate_additional_user_context_data: client.propagate_user_context_data,
        auth_session_validity: client.auth_session_validity_minutes,
        refresh_token_rotation: RefreshTokenRotationType::of(client),
        read_attributes: client.read_attributes.clone(),
        write_attributes: client.write_attributes.clone(),
        callback_urls: oauth.callback_urls.clone(),
        logout_urls: oauth.logout_urls.clone(),
        default_redirect_uri: oauth.default_redirect_uri.clone(),
        allowed_oauth_flows: oauth.flows.clone(),
        allowed_oauth_scopes: oauth.scopes.clone(),
        supported_identity_providers: oauth.identity_providers.clone(),
        analytics_configuration: client.analytics.clone(),
        client_secret: client.live_secrets().next().cloned(),
    }
}
