// SPDX-License-Identifier: Apache-2.0
//! Identity providers: CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
//! DeleteIdentityProvider, ListIdentityProviders, GetIdentityProviderByIdentifier.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::details::{self, Details, ProviderType};
use super::page;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// Identity providers per user pool (the service's quota).
const MAX_PROVIDERS: usize = 300;
/// ListIdentityProviders' longest page: MaxResults may say 60, but the answer's list holds 50
/// at most in the model. Also the page when MaxResults is not given (or 0).
const LONGEST_PAGE: usize = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityProvider {
    pub name: String,
    pub provider_type: ProviderType,
    /// As completed by [`details::complete`]: what was given and what the service adds.
    pub details: Details,
    /// User-pool attribute -> IdP attribute.
    pub attribute_mapping: BTreeMap<String, String>,
    pub idp_identifiers: Vec<String>,
    pub acr_mapping: BTreeMap<String, String>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateIdentityProviderRequest {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_type: ProviderType,
    pub provider_details: Details,
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    pub idp_identifiers: Option<Vec<String>>,
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateIdentityProviderRequest {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_details: Option<Details>,
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    pub idp_identifiers: Option<Vec<String>>,
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

/// DescribeIdentityProvider and DeleteIdentityProvider.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderRequest {
    pub user_pool_id: String,
    pub provider_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdentityProviderByIdentifierRequest {
    pub user_pool_id: String,
    pub idp_identifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersRequest {
    pub user_pool_id: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

/// Create-, Describe-, Update- and GetIdentityProviderByIdentifier's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderAnswer {
    pub identity_provider: IdentityProviderType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderType {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_type: ProviderType,
    pub provider_details: Details,
    pub attribute_mapping: BTreeMap<String, String>,
    pub idp_identifiers: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub acr_mapping: BTreeMap<String, String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersAnswer {
    pub providers: Vec<ProviderDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderDescription {
    pub provider_name: String,
    pub provider_type: ProviderType,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

impl Service {
    pub fn create_identity_provider(
        &self,
        request: CreateIdentityProviderRequest,
    ) -> ServiceResult<IdentityProviderAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        check_new_name(&state, &request.provider_name, request.provider_type)?;
        let identifiers = request.idp_identifiers.unwrap_or_default();
        check_identifiers(&state, &request.provider_name, &identifiers)?;
        let mapping = attribute_mapping(&state, request.provider_type, request.attribute_mapping)?;
        let provider = IdentityProvider {
            name: request.provider_name,
            provider_type: request.provider_type,
            details: details::complete(request.provider_type, &request.provider_details)?,
            attribute_mapping: mapping,
            idp_identifiers: identifiers,
            acr_mapping: request.acr_mapping.unwrap_or_default(),
            created: now,
            modified: now,
        };
        let answer = identity_provider_type(&pool.id, &provider);
        state.put_provider(provider);
        Ok(answer)
    }

    pub fn describe_identity_provider(
        &self,
        request: IdentityProviderRequest,
    ) -> ServiceResult<IdentityProviderAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let provider = provider(&state, &request.provider_name)?;
        Ok(identity_provider_type(&pool.id, provider))
    }

    pub fn update_identity_provider(
        &self,
        request: UpdateIdentityProviderRequest,
    ) -> ServiceResult<IdentityProviderAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let mut updated = provider(&state, &request.provider_name)?.clone();
        if let Some(given) = request.provider_details {
            updated.details = details::complete(updated.provider_type, &given)?;
        }
        if let Some(mapping) = request.attribute_mapping {
            updated.attribute_mapping =
                attribute_mapping(&state, updated.provider_type, Some(mapping))?;
        }
        if let Some(identifiers) = request.idp_identifiers {
            check_identifiers(&state, &updated.name, &identifiers)?;
            updated.idp_identifiers = identifiers;
        }
        if let Some(acr_mapping) = request.acr_mapping {
            updated.acr_mapping = acr_mapping;
        }
        updated.modified = now;
        let answer = identity_provider_type(&pool.id, &updated);
        state.put_provider(updated);
        Ok(answer)
    }

    pub fn delete_identity_provider(
        &self,
        request: IdentityProviderRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        provider(&state, &request.provider_name)?;
        state.remove_provider(&request.provider_name);
        Ok(Empty {})
    }

    pub fn list_identity_providers(
        &self,
        request: ListIdentityProvidersRequest,
    ) -> ServiceResult<ListIdentityProvidersAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let limit = match request.max_results {
            Some(asked) if asked > 0 => asked.min(LONGEST_PAGE),
            _ => LONGEST_PAGE,
        };
        let (providers, next_token) = page(
            &state.federation.providers,
            limit,
            request.next_token.as_deref(),
        )?;
        Ok(ListIdentityProvidersAnswer {
            providers: providers
                .into_iter()
                .map(|provider| ProviderDescription {
                    provider_name: provider.name.clone(),
                    provider_type: provider.provider_type,
                    creation_date: epoch_seconds(provider.created),
                    last_modified_date: epoch_seconds(provider.modified),
                })
                .collect(),
            next_token,
        })
    }

    pub fn get_identity_provider_by_identifier(
        &self,
        request: GetIdentityProviderByIdentifierRequest,
    ) -> ServiceResult<IdentityProviderAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let provider = state
            .federation
            .provider_by_identifier(&request.idp_identifier)
            .ok_or_else(|| {
                ServiceError::resource_not_found(format!(
                    "Identity provider with identifier {} does not exist.",
                    request.idp_identifier
                ))
            })?;
        Ok(identity_provider_type(&pool.id, provider))
    }
}

impl PoolState {
    /// Stores a provider, new or changed, and indexes its IdpIdentifiers.
    fn put_provider(&mut self, provider: IdentityProvider) {
        self.remove_provider(&provider.name);
        let federation = &mut self.federation;
        for identifier in &provider.idp_identifiers {
            federation
                .identifiers
                .insert(identifier.clone(), provider.name.clone());
        }
        federation.providers.insert(provider.name.clone(), provider);
    }

    fn remove_provider(&mut self, name: &str) {
        let federation = &mut self.federation;
        if let Some(removed) = federation.providers.remove(name) {
            for identifier in &removed.idp_identifiers {
                federation.identifiers.remove(identifier);
            }
        }
    }

    /// The pool's provider of this name, if it has one.
    pub(super) fn provider_named(&self, name: &str) -> Option<&IdentityProvider> {
        self.federation.providers.get(name)
    }
}

fn provider<'a>(state: &'a PoolState, name: &str) -> ServiceResult<&'a IdentityProvider> {
    state.federation.providers.get(name).ok_or_else(|| {
        ServiceError::resource_not_found(format!("Identity provider {name} does not exist."))
    })
}

fn check_new_name(state: &PoolState, name: &str, provider_type: ProviderType) -> ServiceResult<()> {
    if name.eq_ignore_ascii_case("Cognito") {
        return Err(ServiceError::invalid_parameter(
            "The provider name Cognito is reserved for the user pool's own users.",
        ));
    }
    if provider_type.is_social() && name != provider_type.name() {
        return Err(ServiceError::invalid_parameter(format!(
            "A {0} identity provider must be named {0}.",
            provider_type.name()
        )));
    }
    if state.federation.providers.contains_key(name) {
        return Err(ServiceError::new(
            "DuplicateProviderException",
            format!("A provider with the name {name} already exists in this user pool."),
        ));
    }
    if state.federation.providers.len() >= MAX_PROVIDERS {
        return Err(ServiceError::new(
            "LimitExceededException",
            format!("A user pool can have at most {MAX_PROVIDERS} identity providers."),
        ));
    }
    Ok(())
}

/// IdpIdentifiers must be unique within the pool: among themselves and against every other
/// provider's (the provider's own may stay).
fn check_identifiers(state: &PoolState, owner: &str, identifiers: &[String]) -> ServiceResult<()> {
    for (index, identifier) in identifiers.iter().enumerate() {
        let repeated = identifiers[..index].contains(identifier);
        let taken = state
            .federation
            .identifiers
            .get(identifier)
            .is_some_and(|holder| holder != owner);
        if repeated || taken {
            return Err(ServiceError::new(
                "DuplicateProviderException",
                format!(
                    "The identifier {identifier} is already used by a provider of this user pool."
                ),
            ));
        }
    }
    Ok(())
}

/// The mapping given (or none), with the `username` source the service maps by default; every
/// mapped user-pool attribute must be one the pool has.
fn attribute_mapping(
    state: &PoolState,
    provider_type: ProviderType,
    given: Option<BTreeMap<String, String>>,
) -> ServiceResult<BTreeMap<String, String>> {
    let mut mapping = given.unwrap_or_default();
    for attribute in mapping.keys() {
        let known =
            attribute == "username" || state.settings.schema.iter().any(|a| &a.name == attribute);
        if !known || attribute == "sub" {
            return Err(ServiceError::invalid_parameter(format!(
                "The attribute {attribute} of AttributeMapping is not an attribute of the user pool that can be mapped."
            )));
        }
    }
    if let Some(source) = provider_type.default_username_source() {
        mapping
            .entry("username".to_owned())
            .or_insert_with(|| source.to_owned());
    }
    Ok(mapping)
}

fn identity_provider_type(pool_id: &str, provider: &IdentityProvider) -> IdentityProviderAnswer {
    IdentityProviderAnswer {
        identity_provider: IdentityProviderType {
            user_pool_id: pool_id.to_owned(),
            provider_name: provider.name.clone(),
            provider_type: provider.provider_type,
            provider_details: provider.details.clone(),
            attribute_mapping: provider.attribute_mapping.clone(),
            idp_identifiers: provider.idp_identifiers.clone(),
            acr_mapping: provider.acr_mapping.clone(),
            creation_date: epoch_seconds(provider.created),
            last_modified_date: epoch_seconds(provider.modified),
        },
    }
}
