// SPDX-License-Identifier: Apache-2.0
//! External identities linked to a pool's own users: AdminLinkProviderForUser,
//! AdminDisableProviderForUser. What is stored is the user's `identities` attribute, a JSON
//! array as the service writes it; the pool's (provider, value) -> user index follows from it.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::IdentityProvider;
use super::details::ProviderType;
use crate::service::clock::epoch_seconds;
use crate::service::model::{PoolState, User};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// The attribute that lists a user's linked identities.
pub const IDENTITIES: &str = "identities";
/// The provider name of the pool's own users.
const COGNITO: &str = "Cognito";
/// The provider attribute that is the IdP's own subject of the user.
const COGNITO_SUBJECT: &str = "Cognito_Subject";
/// Federated identities linked to one user (the service's limit).
const MAX_LINKS: usize = 5;

/// `ProviderUserIdentifierType`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderUser {
    pub provider_name: Option<String>,
    pub provider_attribute_name: Option<String>,
    pub provider_attribute_value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminLinkProviderForUserRequest {
    pub user_pool_id: String,
    pub destination_user: ProviderUser,
    pub source_user: ProviderUser,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDisableProviderForUserRequest {
    pub user_pool_id: String,
    pub user: ProviderUser,
}

/// One entry of the `identities` attribute, with the service's names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkedIdentity {
    user_id: String,
    provider_name: String,
    provider_type: String,
    issuer: Option<String>,
    /// Whether the user was made by signing in with this identity (a federated user), rather
    /// than linked to it afterwards.
    primary: bool,
    /// Milliseconds since the epoch.
    date_created: i64,
}

impl LinkedIdentity {
    /// An identity of `provider` linked to an existing user now.
    fn linked(provider: &IdentityProvider, value: &str, now: SystemTime) -> Self {
        Self {
            user_id: value.to_owned(),
            provider_name: provider.name.clone(),
            provider_type: provider.provider_type.name().to_owned(),
            issuer: issuer(provider),
            primary: false,
            date_created: (epoch_seconds(now) * 1000.0) as i64,
        }
    }
}

impl Service {
    pub fn admin_link_provider_for_user(
        &self,
        request: AdminLinkProviderForUserRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let (provider_name, value) = source_identity(&state, &request.source_user, "SourceUser")?;
        // A user made by signing in with this identity cannot become another user's identity.
        if state
            .find_user_key(&format!("{provider_name}_{value}"))
            .is_some()
        {
            return Err(ServiceError::invalid_parameter(
                "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
            ));
        }
        let destination = destination_key(&state, &request.destination_user)?;
        if state
            .federation
            .linked_user_key(&provider_name, &value)
            .is_some()
        {
            return Err(ServiceError::new(
                "AliasExistsException",
                format!("The {provider_name} identity {value} is already linked to a user."),
            ));
        }
        let provider = state
            .provider_named(&provider_name)
            .ok_or_else(|| unknown_provider("SourceUser", &provider_name))?;
        let identity = LinkedIdentity::linked(provider, &value, now);
        let user = state
            .users
            .get(&destination)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut identities = identities_of(user);
        if identities.len() >= MAX_LINKS {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!("A user can be linked to at most {MAX_LINKS} federated identities."),
            ));
        }
        let user = state
            .users
            .get_mut(&destination)
            .ok_or_else(ServiceError::user_not_found)?;
        identities.push(identity);
        write_identities(user, &identities);
        user.modified = now;
        state
            .federation
            .links
            .insert((provider_name, value), destination);
        Ok(Empty {})
    }

    pub fn admin_disable_provider_for_user(
        &self,
        request: AdminDisableProviderForUserRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        if request.user.provider_name.as_deref() == Some(COGNITO) {
            return disable_password_sign_in(&mut state, &request.user, now);
        }
        let (provider_name, value) = source_identity(&state, &request.user, "User")?;
        let entry = (provider_name, value);
        let key = state
            .federation
            .links
            .get(&entry)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut identities = identities_of(user);
        identities
            .retain(|i| (i.provider_name.as_str(), i.user_id.as_str()) != (&entry.0, &entry.1));
        write_identities(user, &identities);
        user.modified = now;
        state.federation.links.remove(&entry);
        Ok(Empty {})
    }
}

/// ProviderName Cognito, Cognito_Subject and the username: the user keeps its account but may no
/// longer sign in with its password.
fn disable_password_sign_in(
    state: &mut PoolState,
    user: &ProviderUser,
    now: SystemTime,
) -> ServiceResult<Empty> {
    if user.provider_attribute_name.as_deref() != Some(COGNITO_SUBJECT) {
        return Err(ServiceError::invalid_parameter(
            "To disable a user's own sign-in, ProviderAttributeName must be Cognito_Subject.",
        ));
    }
    let username = user.provider_attribute_value.as_deref().ok_or_else(|| {
        ServiceError::invalid_parameter("ProviderAttributeValue must be the user's username.")
    })?;
    let user = state.user_mut(username)?;
    user.password_sign_in_disabled = true;
    user.modified = now;
    Ok(Empty {})
}

/// The (provider, value) of an external identity as a request names it, checked against the
/// pool's providers and the rules of their kind.
fn source_identity(
    state: &PoolState,
    source: &ProviderUser,
    member: &str,
) -> ServiceResult<(String, String)> {
    let name = source
        .provider_name
        .as_deref()
        .ok_or_else(|| ServiceError::missing_parameter("ProviderName"))?;
    if name == COGNITO {
        return Err(ServiceError::invalid_parameter(
            "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser",
        ));
    }
    let provider = state
        .provider_named(name)
        .ok_or_else(|| unknown_provider(member, name))?;
    let attribute = source
        .provider_attribute_name
        .as_deref()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ServiceError::missing_parameter("ProviderAttributeName"))?;
    let value = source
        .provider_attribute_value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ServiceError::missing_parameter("ProviderAttributeValue"))?;
    let mapped = provider.attribute_mapping.values().any(|a| a == attribute);
    if attribute != COGNITO_SUBJECT && (provider.provider_type.is_social() || !mapped) {
        return Err(ServiceError::invalid_parameter(format!(
            "Invalid {member}: ProviderAttributeName must be {COGNITO_SUBJECT}{}.",
            if provider.provider_type.is_social() {
                " for a social identity provider"
            } else {
                " or an attribute the provider's AttributeMapping maps"
            }
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// The key of the pool's own user a DestinationUser names (its ProviderAttributeName is not
/// looked at, as on the service).
fn destination_key(state: &PoolState, destination: &ProviderUser) -> ServiceResult<String> {
    if destination.provider_name.as_deref() != Some(COGNITO) {
        return Err(ServiceError::invalid_parameter(
            "Invalid DestinationUser: its ProviderName must be Cognito.",
        ));
    }
    let username = destination
        .provider_attribute_value
        .as_deref()
        .ok_or_else(|| ServiceError::missing_parameter("ProviderAttributeValue"))?;
    let key = state
        .find_user_key(username)
        .ok_or_else(ServiceError::user_not_found)?;
    let user = state
        .users
        .get(&key)
        .ok_or_else(ServiceError::user_not_found)?;
    if identities_of(user).iter().any(|identity| identity.primary) {
        return Err(ServiceError::invalid_parameter(
            "Invalid DestinationUser: a federated user cannot be linked to another identity.",
        ));
    }
    Ok(key)
}

fn unknown_provider(member: &str, name: &str) -> ServiceError {
    ServiceError::invalid_parameter(format!(
        "Invalid {member}: the user pool has no identity provider named {name}."
    ))
}

/// The issuer an identity of this provider names: an OIDC provider's issuer, a SAML
/// provider's entity id; social providers' identities carry none.
fn issuer(provider: &IdentityProvider) -> Option<String> {
    match provider.provider_type {
        ProviderType::Oidc => provider.details.get("oidc_issuer").cloned(),
        ProviderType::Saml => provider
            .details
            .get("MetadataFile")
            .and_then(|file| super::details::saml_metadata(file).ok())
            .map(|metadata| metadata.entity_id),
        _ => None,
    }
}

fn identities_of(user: &User) -> Vec<LinkedIdentity> {
    user.attribute(IDENTITIES)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

fn write_identities(user: &mut User, identities: &[LinkedIdentity]) {
    if identities.is_empty() {
        user.attributes.retain(|(name, _)| name != IDENTITIES);
        return;
    }
    let text = Value::from(
        identities
            .iter()
            .filter_map(|identity| serde_json::to_value(identity).ok())
            .collect::<Vec<_>>(),
    )
    .to_string();
    user.set_attribute(IDENTITIES, &text);
}

/// The (provider, value) of each identity a user's `identities` attribute lists.
pub(super) fn linked_identities(user: &User) -> Vec<(String, String)> {
    identities_of(user)
        .into_iter()
        .map(|identity| (identity.provider_name, identity.user_id))
        .collect()
}

/// The `identities` claim of an ID token: the attribute's entries as an array, each value a
/// string as the service writes them there (`"primary": "false"`, `dateCreated` as digits).
pub(crate) fn identities_claim(attribute: &str) -> Value {
    let entries: Vec<Value> = serde_json::from_str(attribute).unwrap_or_default();
    let stringified = entries.into_iter().map(|entry| match entry {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, value)| match value {
                    Value::Bool(_) | Value::Number(_) => (name, Value::from(value.to_string())),
                    other => (name, other),
                })
                .collect(),
        ),
        other => other,
    });
    Value::Array(stringified.collect())
}
