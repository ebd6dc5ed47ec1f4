// SPDX-License-Identifier: Apache-2.0
//! What CreateUserPoolClient and UpdateUserPoolClient are both given: an app client's flows,
//! token lifetimes, OAuth settings and attribute permissions. UpdateUserPoolClient replaces all
//! of them (a member left out goes back to its default), so both apply them here, with the
//! rules between members.

use serde::{Deserialize, Serialize};

use super::config::{AnalyticsConfigurationType, ClientOAuth};
use crate::service::federation::custom_scope_exists;
use crate::service::model::{AppClient, PoolState, TokenUnit};
use crate::service::{ServiceError, ServiceResult};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeableClientSettings {
    pub refresh_token_validity: Option<u64>,
    pub access_token_validity: Option<u64>,
    pub id_token_validity: Option<u64>,
    pub token_validity_units: Option<TokenValidityUnitsType>,
    pub explicit_auth_flows: Option<Vec<String>>,
    pub prevent_user_existence_errors: Option<String>,
    pub enable_token_revocation: Option<bool>,
    pub enable_propagate_additional_user_context_data: Option<bool>,
    pub auth_session_validity: Option<u64>,
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
    pub read_attributes: Option<Vec<String>>,
    pub write_attributes: Option<Vec<String>>,
    #[serde(rename = "CallbackURLs")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(rename = "LogoutURLs")]
    pub logout_urls: Option<Vec<String>>,
    #[serde(rename = "DefaultRedirectURI")]
    pub default_redirect_uri: Option<String>,
    #[serde(rename = "AllowedOAuthFlows")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    #[serde(rename = "AllowedOAuthScopes")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    pub supported_identity_providers: Option<Vec<String>>,
    pub analytics_configuration: Option<AnalyticsConfigurationType>,
}

/// `TokenValidityUnitsType`, as requests give it (any unit may be left out) and clients are
/// described (with every unit).
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
    pub fn of(client: &AppClient) -> Self {
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
/// The scopes every pool has; others are `<resource server>/<scope>`.
const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

impl ChangeableClientSettings {
    /// Sets every changeable setting of `client` from the request, defaults where members are
    /// left out; nothing is changed when a rule is broken. Scopes and identity providers must
    /// be the pool's (`state`).
    pub fn apply_to(self, client: &mut AppClient, state: &PoolState) -> ServiceResult<()> {
        let units = self.token_validity_units.unwrap_or_default();
        let access_token_validity = validity(
            "AccessToken",
            self.access_token_validity,
            units.access_token.as_deref(),
            (1, TokenUnit::Hours),
            (300, 86_400),
        )?;
        let id_token_validity = validity(
            "IdToken",
            self.id_token_validity,
            units.id_token.as_deref(),
            (1, TokenUnit::Hours),
            (300, 86_400),
        )?;
        let refresh_token_validity = validity(
            "RefreshToken",
            self.refresh_token_validity.filter(|v| *v != 0),
            units.refresh_token.as_deref(),
            (30, TokenUnit::Days),
            (3600, 315_360_000),
        )?;
        let oauth = ClientOAuth {
            callback_urls: self.callback_urls.unwrap_or_default(),
            logout_urls: self.logout_urls.unwrap_or_default(),
            default_redirect_uri: self.default_redirect_uri,
            flows: self.allowed_oauth_flows.unwrap_or_default(),
            scopes: self.allowed_oauth_scopes.unwrap_or_default(),
            enabled: self.allowed_oauth_flows_user_pool_client.unwrap_or(false),
            identity_providers: self.supported_identity_providers.unwrap_or_default(),
        };
        check_oauth(&oauth, client.has_secret())?;
        check_pool_has(&oauth, state)?;
        client.explicit_auth_flows = explicit_auth_flows(self.explicit_auth_flows)?;
        client.access_token_validity = access_token_validity;
        client.id_token_validity = id_token_validity;
        client.refresh_token_validity = refresh_token_validity;
        client.auth_session_validity_minutes = self.auth_session_validity.unwrap_or(3);
        client.prevent_user_existence_errors =
            self.prevent_user_existence_errors.as_deref() == Some("ENABLED");
        client.enable_token_revocation = self.enable_token_revocation.unwrap_or(true);
        client.propagate_user_context_data = self
            .enable_propagate_additional_user_context_data
            .unwrap_or(false);
        client.refresh_token_rotation = self
            .refresh_token_rotation
            .as_ref()
            .and_then(RefreshTokenRotationType::grace_seconds);
        crate::service::schema::check_client_permissions(
            &state.settings.schema,
            self.read_attributes.as_deref(),
            self.write_attributes.as_deref(),
        )?;
        client.read_attributes = self.read_attributes;
        client.write_attributes = self.write_attributes;
        client.oauth = oauth;
        client.analytics = self.analytics_configuration;
        Ok(())
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

/// The OAuth rules: redirect URLs absolute, without fragment, HTTPS except on localhost; the
/// default redirect among the callbacks; `code`/`implicit` need callbacks and do not mix with
/// `client_credentials`, which needs a secret and custom scopes only; scopes standard or
/// `<resource server>/<scope>`.
fn check_oauth(oauth: &ClientOAuth, has_secret: bool) -> ServiceResult<()> {
    for url in oauth.callback_urls.iter().chain(&oauth.logout_urls) {
        check_redirect_url(url)?;
    }
    if let Some(default) = &oauth.default_redirect_uri {
        check_redirect_url(default)?;
        if !oauth.callback_urls.contains(default) {
            return Err(ServiceError::invalid_parameter(
                "DefaultRedirectURI must be one of the CallbackURLs.",
            ));
        }
    }
    for scope in &oauth.scopes {
        check_scope(scope)?;
    }
    let interactive = oauth.flows.iter().any(|f| f == "code" || f == "implicit");
    let client_credentials = oauth.flows.iter().any(|f| f == "client_credentials");
    if interactive && client_credentials {
        return Err(invalid_flow(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ));
    }
    if !oauth.enabled {
        return Ok(());
    }
    if oauth.flows.is_empty() || oauth.scopes.is_empty() {
        return Err(ServiceError::invalid_parameter(
            "AllowedOAuthFlows and AllowedOAuthScopes are required when AllowedOAuthFlowsUserPoolClient is true.",
        ));
    }
    if interactive && oauth.callback_urls.is_empty() {
        return Err(invalid_flow(
            "CallbackUrls can not be empty when code flow or implicit flow is selected.",
        ));
    }
    if client_credentials && !has_secret {
        return Err(invalid_flow(
            "client_credentials flow can not be selected if client does not have a client secret.",
        ));
    }
    if client_credentials
        && oauth
            .scopes
            .iter()
            .any(|s| STANDARD_SCOPES.contains(&s.as_str()))
    {
        return Err(invalid_flow(
            "client_credentials flow can only be used with custom scopes of a resource server.",
        ));
    }
    Ok(())
}

fn invalid_flow(message: &str) -> ServiceError {
    ServiceError::new("InvalidOAuthFlowException", message)
}

/// A redirect URL: absolute (`scheme:rest`), no fragment, and not plain HTTP except on the
/// loopback host. App schemes (`myapp://callback`) are allowed.
fn check_redirect_url(url: &str) -> ServiceResult<()> {
    let invalid = |why: &str| {
        Err(ServiceError::invalid_parameter(format!(
            "Invalid redirect URL {url}: {why}"
        )))
    };
    let Some((scheme, rest)) = url.split_once(':') else {
        return invalid("it must be an absolute URL");
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok || rest.is_empty() {
        return invalid("it must be an absolute URL");
    }
    if url.contains('#') {
        return invalid("it must not have a fragment");
    }
    if scheme.eq_ignore_ascii_case("http") && !is_loopback_http(rest) {
        return invalid("HTTPS is required except for http://localhost");
    }
    Ok(())
}

fn is_loopback_http(rest: &str) -> bool {
    let authority = rest
        .trim_start_matches("//")
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "::1"
}

/// The client's custom scopes are scopes of the pool's resource servers, and its identity
/// providers are the pool's (or `COGNITO`, its own users).
fn check_pool_has(oauth: &ClientOAuth, state: &PoolState) -> ServiceResult<()> {
    let custom = oauth
        .scopes
        .iter()
        .filter(|s| !STANDARD_SCOPES.contains(&s.as_str()));
    for scope in custom {
        if !custom_scope_exists(state, scope) {
            return Err(ServiceError::new(
                "ScopeDoesNotExistException",
                format!("Invalid scope requested: {scope}"),
            ));
        }
    }
    let unknown = oauth.identity_providers.iter().find(|provider| {
        *provider != "COGNITO" && !state.federation.providers.contains_key(provider.as_str())
    });
    if let Some(provider) = unknown {
        return Err(ServiceError::invalid_parameter(format!(
            "The provider {provider} does not exist for User Pool {}",
            state.settings.id
        )));
    }
    Ok(())
}

/// A standard scope, or of the form `<resource server identifier>/<scope name>` (whether the
/// pool has it is [`check_pool_has`]'s question).
fn check_scope(scope: &str) -> ServiceResult<()> {
    if STANDARD_SCOPES.contains(&scope) {
        return Ok(());
    }
    match scope.rsplit_once('/') {
        Some((server, name)) if !server.is_empty() && !name.is_empty() => Ok(()),
        _ => Err(ServiceError::new(
            "ScopeDoesNotExistException",
            format!("Invalid scope requested: {scope}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls_need_https_except_on_loopback() {
        for good in [
            "https://example.com/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080",
            "myapp://callback",
        ] {
            assert!(check_redirect_url(good).is_ok(), "{good}");
        }
        for bad in [
            "http://example.com/cb",
            "http://localhost.example.com/",
            "https://example.com/#frag",
            "example.com/cb",
            "1http://x",
        ] {
            assert!(check_redirect_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_are_standard_or_of_a_resource_server() {
        assert!(check_scope("openid").is_ok());
        assert!(check_scope("https://api.example.com/read").is_ok());
        assert_eq!(
            check_scope("Cognito").unwrap_err().code,
            "ScopeDoesNotExistException"
        );
        assert!(check_scope("/read").is_err());
    }
}
