// SPDX-License-Identifier: Apache-2.0
//! CreateCIMDPolicy, DescribeCIMDPolicy, UpdateCIMDPolicy, DeleteCIMDPolicy, ListCIMDPolicies,
//! ListClientMetadataURLs, UpdateClientMetadataURLState.
//!
//! A CIMD policy maps HTTPS URL patterns to one app client of the pool; it is stored and
//! checked here. The service fills a policy's cache of client metadata documents when an
//! `/oauth2/authorize` request names a matching URL as its `client_id`; the emulator serves no
//! such endpoint and fetches no URL, so a policy's cache is always empty: ListClientMetadataURLs
//! lists nothing and UpdateClientMetadataURLState answers that the URL is not cached.

use serde::{Deserialize, Serialize};

use super::state::CimdPolicy;
use super::{MAX_PAGE, page, require_paid_tier};
use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// A metadata document is cached for a day unless the policy says otherwise.
const DEFAULT_CACHE_SECONDS: u32 = 86_400;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateCimdPolicyRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub policy_name: String,
    pub cache_duration: Option<u32>,
    #[serde(rename = "URLPatterns")]
    pub url_patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateCimdPolicyRequest {
    pub user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: String,
    pub client_id: String,
    pub policy_name: Option<String>,
    pub cache_duration: Option<u32>,
    #[serde(rename = "URLPatterns")]
    pub url_patterns: Vec<String>,
}

/// The request of the operations on one policy.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CimdPolicyRequest {
    pub user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: String,
}

/// ListCIMDPolicies and ListClientMetadataURLs (the latter with a policy id).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCimdRequest {
    pub user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: Option<String>,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateClientMetadataUrlStateRequest {
    pub user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: String,
    #[serde(rename = "URL")]
    pub url: String,
}

/// `CIMDPolicyType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CimdPolicyType {
    pub user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub policy_name: String,
    pub cache_duration: u32,
    #[serde(rename = "URLPatterns")]
    pub url_patterns: Vec<String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
pub struct CimdPolicyAnswer {
    #[serde(rename = "CIMDPolicy")]
    pub cimd_policy: CimdPolicyType,
}

/// `CIMDPolicySummaryType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CimdPolicySummaryType {
    #[serde(rename = "CIMDPolicyId")]
    pub cimd_policy_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub policy_name: String,
    pub cache_duration: u32,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCimdPoliciesAnswer {
    #[serde(rename = "CIMDPolicies")]
    pub cimd_policies: Vec<CimdPolicySummaryType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ClientMetadataURLType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientMetadataUrlType {
    #[serde(rename = "URL")]
    pub url: String,
    pub cached_date: f64,
    pub expiration_date: f64,
}

#[derive(Debug, Serialize)]
pub struct ListClientMetadataUrlsAnswer {
    #[serde(rename = "ClientMetadataURLs")]
    pub client_metadata_urls: Vec<ClientMetadataUrlType>,
}

impl Service {
    pub fn create_cimd_policy(
        &self,
        request: CreateCimdPolicyRequest,
    ) -> ServiceResult<CimdPolicyAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Client ID metadata documents")?;
        state.client(&request.client_id)?;
        check_url_patterns(&request.url_patterns)?;
        let now = self.now();
        let policy = CimdPolicy {
            id: random::from_alphabet(random::LOWER_ALPHANUMERIC, 32),
            name: request.policy_name,
            client_id: request.client_id,
            cache_duration: request.cache_duration.unwrap_or(DEFAULT_CACHE_SECONDS),
            url_patterns: request.url_patterns,
            created: now,
            modified: now,
        };
        let answer = policy_type(&state, &policy);
        state
            .platform
            .cimd_policies
            .insert(policy.id.clone(), policy);
        Ok(CimdPolicyAnswer {
            cimd_policy: answer,
        })
    }

    pub fn describe_cimd_policy(
        &self,
        request: CimdPolicyRequest,
    ) -> ServiceResult<CimdPolicyAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let policy = find_policy(&state, &request.cimd_policy_id)?;
        Ok(CimdPolicyAnswer {
            cimd_policy: policy_type(&state, policy),
        })
    }

    pub fn update_cimd_policy(
        &self,
        request: UpdateCimdPolicyRequest,
    ) -> ServiceResult<CimdPolicyAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Client ID metadata documents")?;
        find_policy(&state, &request.cimd_policy_id)?;
        state.client(&request.client_id)?;
        check_url_patterns(&request.url_patterns)?;
        let now = self.now();
        let Some(policy) = state
            .platform
            .cimd_policies
            .get_mut(&request.cimd_policy_id)
        else {
            return Err(policy_not_found(&request.cimd_policy_id));
        };
        policy.client_id = request.client_id;
        policy.url_patterns = request.url_patterns;
        // Left out, the name and the cache duration stay as they are.
        if let Some(name) = request.policy_name {
            policy.name = name;
        }
        if let Some(seconds) = request.cache_duration {
            policy.cache_duration = seconds;
        }
        policy.modified = now;
        let policy = policy.clone();
        Ok(CimdPolicyAnswer {
            cimd_policy: policy_type(&state, &policy),
        })
    }

    pub fn delete_cimd_policy(&self, request: CimdPolicyRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        state
            .platform
            .cimd_policies
            .remove(&request.cimd_policy_id)
            .ok_or_else(|| policy_not_found(&request.cimd_policy_id))?;
        Ok(Empty {})
    }

    pub fn list_cimd_policies(
        &self,
        request: ListCimdRequest,
    ) -> ServiceResult<ListCimdPoliciesAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let policies: Vec<&CimdPolicy> = state.platform.cimd_policies.values().collect();
        let (page, next_token) = page(
            policies,
            |policy| policy.id.clone(),
            request.next_token.as_deref(),
            request.max_results.unwrap_or(MAX_PAGE),
        );
        let cimd_policies = page
            .into_iter()
            .map(|policy| CimdPolicySummaryType {
                cimd_policy_id: policy.id.clone(),
                client_id: live_client(&state, policy),
                policy_name: policy.name.clone(),
                cache_duration: policy.cache_duration,
                creation_date: epoch_seconds(policy.created),
                last_modified_date: epoch_seconds(policy.modified),
            })
            .collect();
        Ok(ListCimdPoliciesAnswer {
            cimd_policies,
            next_token,
        })
    }

    /// The policy's cached metadata document URLs: none, as nothing is ever fetched.
    pub fn list_client_metadata_urls(
        &self,
        request: ListCimdRequest,
    ) -> ServiceResult<ListClientMetadataUrlsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let policy_id = request
            .cimd_policy_id
            .as_deref()
            .ok_or_else(|| ServiceError::missing_parameter("CIMDPolicyId"))?;
        find_policy(&state, policy_id)?;
        Ok(ListClientMetadataUrlsAnswer {
            client_metadata_urls: Vec::new(),
        })
    }

    /// Refreshing or invalidating needs a cached document, and there never is one.
    pub fn update_client_metadata_url_state(
        &self,
        request: UpdateClientMetadataUrlStateRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        require_paid_tier(&state.settings, "Client ID metadata documents")?;
        find_policy(&state, &request.cimd_policy_id)?;
        Err(ServiceError::new(
            "CachedCIMDURLDoesNotExistException",
            format!(
                "No client metadata document from {} is cached for CIMD policy {}.",
                request.url, request.cimd_policy_id
            ),
        ))
    }
}

fn find_policy<'a>(state: &'a PoolState, policy_id: &str) -> ServiceResult<&'a CimdPolicy> {
    state
        .platform
        .cimd_policies
        .get(policy_id)
        .ok_or_else(|| policy_not_found(policy_id))
}

fn policy_not_found(policy_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!("CIMD policy {policy_id} does not exist."))
}

/// The policy's app client, left out once the client is deleted.
fn live_client(state: &PoolState, policy: &CimdPolicy) -> Option<String> {
    state
        .clients
        .contains_key(&policy.client_id)
        .then(|| policy.client_id.clone())
}

/// What the model cannot say of the patterns: each names a host, and none is repeated.
fn check_url_patterns(patterns: &[String]) -> ServiceResult<()> {
    for (n, pattern) in patterns.iter().enumerate() {
        let host = pattern
            .strip_prefix("https://")
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .unwrap_or_default();
        if host.is_empty() || host.starts_with('.') || host.ends_with('.') {
            return Err(ServiceError::invalid_parameter(format!(
                "The URL pattern {pattern} names no host."
            )));
        }
        if patterns[..n].contains(pattern) {
            return Err(ServiceError::invalid_parameter(format!(
                "The URL pattern {pattern} is given more than once."
            )));
        }
    }
    Ok(())
}

fn policy_type(state: &PoolState, policy: &CimdPolicy) -> CimdPolicyType {
    CimdPolicyType {
        user_pool_id: state.settings.id.clone(),
        cimd_policy_id: policy.id.clone(),
        client_id: live_client(state, policy),
        policy_name: policy.name.clone(),
        cache_duration: policy.cache_duration,
        url_patterns: policy.url_patterns.clone(),
        creation_date: epoch_seconds(policy.created),
        last_modified_date: epoch_seconds(policy.modified),
    }
}
