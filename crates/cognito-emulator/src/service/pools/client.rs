// SPDX-License-Identifier: Apache-2.0
//! App clients: CreateUserPoolClient, DescribeUserPoolClient, DeleteUserPoolClient.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::{AppClient, TokenUnit};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_name: String,
    pub generate_secret: Option<bool>,
    pub client_secret: Option<String>,
    pub refresh_token_validity: Option<u64>,
    pub access_token_validity: Option<u64>,
    pub id_token_validity: Option<u64>,
    pub token_validity_units: Option<TokenValidityUnitsType>,
    pub explicit_auth_flows: Option<Vec<String>>,
    pub prevent_user_existence_errors: Option<String>,
    pub enable_token_revocation: Option<bool>,
    pub auth_session_validity: Option<u64>,
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
    pub read_attributes: Option<Vec<String>>,
    pub write_attributes: Option<Vec<String>>,
}

/// `RefreshTokenRotationType`: whether GetTokensFromRefreshToken rotates refresh tokens, and
/// how long a rotated-out token still works (for a client's retries).
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotationType {
    /// `ENABLED` or `DISABLED`.
    pub feature: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<u64>,
}

impl RefreshTokenRotationType {
    fn of(client: &AppClient) -> Self {
        match client.refresh_token_rotation {
            Some(grace) => Self {
                feature: "ENABLED".to_owned(),
                retry_grace_period_seconds: Some(grace),
            },
            None => Self {
                feature: "DISABLED".to_owned(),
                retry_grace_period_seconds: None,
            },
        }
    }

    /// The grace period when rotation is enabled.
    fn grace_seconds(&self) -> Option<u64> {
        (self.feature == "ENABLED").then(|| self.retry_grace_period_seconds.unwrap_or(0))
    }
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

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolClientAnswer {
    pub user_pool_client: UserPoolClientType,
}

// DeleteUserPoolClient answers `Empty`.

/// `UserPoolClientType`: a client as CreateUserPoolClient and DescribeUserPoolClient describe it.
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
    pub client_secret: Option<Zeroizing<String>>,
}

/// `TokenValidityUnitsType`, as CreateUserPoolClient is given it (any unit may be left out) and
/// the client describes it (with every unit).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnitsType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

const LEGACY_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];
const DEFAULT_AUTH_FLOWS: &[&str] = &[
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_CUSTOM_AUTH",
];

impl Service {
    pub fn create_user_pool_client(
        &self,
        request: CreateUserPoolClientRequest,
    ) -> ServiceResult<CreateUserPoolClientAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let flows = explicit_auth_flows(request.explicit_auth_flows)?;
        let secret = client_secret(request.generate_secret, request.client_secret)?;
        let units = request.token_validity_units.unwrap_or_default();
        let access = validity(
            "AccessToken",
            request.access_token_validity,
            units.access_token.as_deref(),
            (1, TokenUnit::Hours),
            (300, 86_400),
        )?;
        let id_token = validity(
            "IdToken",
            request.id_token_validity,
            units.id_token.as_deref(),
            (1, TokenUnit::Hours),
            (300, 86_400),
        )?;
        let refresh_value = request.refresh_token_validity.filter(|v| *v != 0);
        let refresh = validity(
            "RefreshToken",
            refresh_value,
            units.refresh_token.as_deref(),
            (30, TokenUnit::Days),
            (3600, 315_360_000),
        )?;
        let session_minutes = request.auth_session_validity.unwrap_or(3);
        let now = self.now();
        let client = AppClient {
            id: random::from_alphabet(random::LOWER_ALPHANUMERIC, 26),
            name: request.client_name,
            secret,
            explicit_auth_flows: flows,
            access_token_validity: access,
            id_token_validity: id_token,
            refresh_token_validity: refresh,
            auth_session_validity_minutes: session_minutes,
            prevent_user_existence_errors: request.prevent_user_existence_errors.as_deref()
                == Some("ENABLED"),
            enable_token_revocation: request.enable_token_revocation.unwrap_or(true),
            refresh_token_rotation: request
                .refresh_token_rotation
                .as_ref()
                .and_then(RefreshTokenRotationType::grace_seconds),
            read_attributes: request.read_attributes,
            write_attributes: request.write_attributes,
            created: now,
            modified: now,
        };
        let user_pool_client = user_pool_client_type(&pool.id, &client);
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(client.id.clone(), pool.id.clone());
        pool.lock().clients.insert(client.id.clone(), client);
        Ok(CreateUserPoolClientAnswer { user_pool_client })
    }

    pub fn describe_user_pool_client(
        &self,
        request: UserPoolClientRequest,
    ) -> ServiceResult<DescribeUserPoolClientAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let client = state.client(&request.client_id)?;
        Ok(DescribeUserPoolClientAnswer {
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
        drop(state);
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&request.client_id);
        Ok(Empty {})
    }
}

/// The flows asked for, or the default ones; legacy names and `ALLOW_` ones do not mix.
fn explicit_auth_flows(requested: Option<Vec<String>>) -> ServiceResult<Vec<String>> {
    let flows =
        requested.unwrap_or_else(|| DEFAULT_AUTH_FLOWS.iter().map(|f| (*f).to_owned()).collect());
    let legacy = flows
        .iter()
        .any(|f| LEGACY_AUTH_FLOWS.contains(&f.as_str()));
    if legacy && flows.iter().any(|f| f.starts_with("ALLOW_")) {
        return Err(ServiceError::invalid_parameter(
            "The combination of legacy explicit auth flows and ALLOW_ prefixed explicit auth flows is not allowed.",
        ));
    }
    Ok(flows)
}

/// The client's secret: generated, given, or none.
fn client_secret(
    generate: Option<bool>,
    given: Option<String>,
) -> ServiceResult<Option<Zeroizing<String>>> {
    match (generate.unwrap_or(false), given) {
        (true, Some(_)) => Err(ServiceError::invalid_parameter(
            "Cannot both generate a client secret and provide one.",
        )),
        (true, None) => Ok(Some(Zeroizing::new(random::from_alphabet(
            random::LOWER_ALPHANUMERIC,
            51,
        )))),
        (false, given) => Ok(given.map(Zeroizing::new)),
    }
}

fn validity(
    field: &str,
    value: Option<u64>,
    unit: Option<&str>,
    default: (u64, TokenUnit),
    seconds_range: (u64, u64),
) -> ServiceResult<(u64, TokenUnit)> {
    let unit = match unit {
        None => default.1,
        Some("seconds") => TokenUnit::Seconds,
        Some("minutes") => TokenUnit::Minutes,
        Some("hours") => TokenUnit::Hours,
        Some("days") => TokenUnit::Days,
        Some(other) => {
            return Err(ServiceError::invalid_parameter(format!(
                "Invalid time unit: {other}"
            )));
        }
    };
    let Some(value) = value else {
        return Ok(default);
    };
    let seconds = value.saturating_mul(unit.seconds());
    if !(seconds_range.0..=seconds_range.1).contains(&seconds) {
        return Err(ServiceError::invalid_parameter(format!(
            "{field} validity of {value} {} is out of range: it must be between {} and {} seconds.",
            unit.name(),
            seconds_range.0,
            seconds_range.1
        )));
    }
    Ok((value, unit))
}

fn user_pool_client_type(pool_id: &str, client: &AppClient) -> UserPoolClientType {
    let unit = |validity: (u64, TokenUnit)| Some(validity.1.name().to_owned());
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
        allowed_oauth_flows_user_pool_client: false,
        prevent_user_existence_errors: if client.prevent_user_existence_errors {
            "ENABLED"
        } else {
            "LEGACY"
        },
        enable_token_revocation: client.enable_token_revocation,
        enable_propagate_additional_user_context_data: false,
        auth_session_validity: client.auth_session_validity_minutes,
        refresh_token_rotation: RefreshTokenRotationType::of(client),
        client_secret: client.secret.clone(),
    }
}
