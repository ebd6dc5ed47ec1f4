// SPDX-License-Identifier: Apache-2.0
//! User-pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
//! DeleteUserPoolDomain. A pool has at most one prefix domain and one custom domain; a domain
//! belongs to one pool in the whole emulator ([`Service`]'s `domains`, domain -> pool id).
//!
//! Locks are taken in one order: the pool's, then the domain index, then the pool map (only to
//! see whether the pool a domain was indexed under still exists: deleting a pool frees its
//! domains without touching the index).

use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::utc_date_time;
use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::model::{ACCOUNT_ID, PoolSettings, PoolState};
use crate::service::pools::unavailable_in_tier;
use crate::service::{Empty, Pool, Service, ServiceError, ServiceResult};

/// A domain of a pool, with what its hosted pages need: which pool, which login pages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolDomain {
    pub domain: String,
    /// Custom domains have a certificate; prefix domains have none.
    pub custom: Option<CustomDomainConfig>,
    /// 1: the classic hosted UI; 2: managed login.
    pub managed_login_version: i32,
    /// The CloudFront distribution the service would serve the domain from.
    pub cloudfront_distribution: String,
    pub created: SystemTime,
    pub modified: SystemTime,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomDomainConfig {
    pub certificate_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_policy: Option<String>,
}

/// CreateUserPoolDomain and UpdateUserPoolDomain.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainRequest {
    pub user_pool_id: String,
    pub domain: String,
    pub custom_domain_config: Option<CustomDomainConfig>,
    pub managed_login_version: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserPoolDomainRequest {
    pub user_pool_id: String,
    pub domain: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainRequest {
    pub domain: String,
}

/// CreateUserPoolDomain's and UpdateUserPoolDomain's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_domain: Option<String>,
    pub managed_login_version: i32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainAnswer {
    /// Empty for a domain no pool has, as on the service.
    pub domain_description: DomainDescription,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescription {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(rename = "AWSAccountId", skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_bucket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_distribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i32>,
}

/// Words the service keeps out of prefix domains.
const RESERVED_WORDS: &[&str] = &["aws", "amazon", "cognito"];

impl Service {
    pub fn create_user_pool_domain(
        &self,
        request: UserPoolDomainRequest,
    ) -> ServiceResult<UserPoolDomainAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let version = managed_login_version(request.managed_login_version)?;
        match &request.custom_domain_config {
            Some(config) => check_certificate(config)?,
            None => check_prefix(&request.domain)?,
        }
        let now = self.now();
        let mut state = pool.lock();
        check_version_in_plan(version, &state.settings)?;
        let custom = request.custom_domain_config.is_some();
        if state
            .federation
            .domains
            .values()
            .any(|d| d.custom.is_some() == custom)
        {
            return Err(ServiceError::invalid_parameter(if custom {
                "User pool already has a custom domain configured."
            } else {
                "User pool already has a domain configured."
            }));
        }
        self.claim_domain(&request.domain, &pool.id)?;
        let domain = PoolDomain {
            domain: request.domain.clone(),
            custom: request.custom_domain_config,
            managed_login_version: version,
            cloudfront_distribution: format!(
                "d{}.cloudfront.net",
                random::from_alphabet(random::LOWER_ALPHANUMERIC, 13)
            ),
            created: now,
            modified: now,
        };
        let answer = domain_answer(&domain);
        state.federation.domains.insert(request.domain, domain);
        Ok(answer)
    }

    pub fn describe_user_pool_domain(
        &self,
        request: DescribeUserPoolDomainRequest,
    ) -> ServiceResult<DescribeUserPoolDomainAnswer> {
        let description = self
            .pool_of_domain(&request.domain)
            .and_then(|pool| {
                let state = pool.lock();
                let domain = state.federation.domains.get(&request.domain)?;
                Some(domain_description(&pool.id, &state, domain))
            })
            .unwrap_or_default();
        Ok(DescribeUserPoolDomainAnswer {
            domain_description: description,
        })
    }

    pub fn update_user_pool_domain(
        &self,
        request: UserPoolDomainRequest,
    ) -> ServiceResult<UserPoolDomainAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let domain = state
            .federation
            .domains
            .get(&request.domain)
            .ok_or_else(|| domain_not_in_pool(&request.domain, &pool.id))?;
        let mut updated = domain.clone();
        if let Some(config) = request.custom_domain_config {
            if updated.custom.is_none() {
                return Err(ServiceError::invalid_parameter(
                    "A prefix domain has no certificate: CustomDomainConfig is for custom domains.",
                ));
            }
            check_certificate(&config)?;
            updated.custom = Some(config);
        }
        if let Some(version) = request.managed_login_version {
            updated.managed_login_version = managed_login_version(Some(version))?;
            check_version_in_plan(updated.managed_login_version, &state.settings)?;
        }
        updated.modified = now;
        let answer = domain_answer(&updated);
        state.federation.domains.insert(request.domain, updated);
        Ok(answer)
    }

    pub fn delete_user_pool_domain(
        &self,
        request: DeleteUserPoolDomainRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if state.federation.domains.remove(&request.domain).is_none() {
            return Err(domain_not_in_pool(&request.domain, &pool.id));
        }
        let mut index = self.domains.write().unwrap_or_else(|p| p.into_inner());
        if index.get(&request.domain) == Some(&pool.id) {
            index.remove(&request.domain);
        }
        Ok(Empty {})
    }

    /// The pool a domain belongs to, for its hosted pages (`http://<domain>.auth.localhost:<port>`
    /// serves the pool this finds, with the domain's `managed_login_version`).
    pub fn pool_of_domain(&self, domain: &str) -> Option<Arc<Pool>> {
        let pool_id = self
            .domains
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(domain)
            .cloned()?;
        self.pool(&pool_id).ok()
    }

    /// Records the domain as the pool's in the emulator-wide index, unless another pool that
    /// still exists has it.
    fn claim_domain(&self, domain: &str, pool_id: &str) -> ServiceResult<()> {
        let mut index = self.domains.write().unwrap_or_else(|p| p.into_inner());
        if let Some(owner) = index.get(domain)
            && self.pool(owner).is_ok()
        {
            return Err(ServiceError::invalid_parameter(
                "Domain already associated with another user pool.",
            ));
        }
        index.insert(domain.to_owned(), pool_id.to_owned());
        Ok(())
    }

    /// Indexes the domains of a pool just loaded from the data directory.
    pub(in crate::service) fn index_domains(&self, pool: &Pool) {
        let state = pool.lock();
        let mut index = self.domains.write().unwrap_or_else(|p| p.into_inner());
        for domain in state.federation.domains.keys() {
            index.insert(domain.clone(), pool.id.clone());
        }
    }
}

fn managed_login_version(given: Option<i32>) -> ServiceResult<i32> {
    match given.unwrap_or(1) {
        version @ (1 | 2) => Ok(version),
        other => Err(ServiceError::invalid_parameter(format!(
            "ManagedLoginVersion must be 1 (the classic hosted UI) or 2 (managed login), not {other}."
        ))),
    }
}

/// Managed login (version 2) is a feature of the Essentials and Plus plans; Lite pools have
/// the classic hosted UI.
fn check_version_in_plan(version: i32, settings: &PoolSettings) -> ServiceResult<()> {
    if version == 2 && settings.tier == "LITE" {
        return Err(unavailable_in_tier(
            "Managed login (ManagedLoginVersion 2)",
            "ESSENTIALS or PLUS",
            settings,
        ));
    }
    Ok(())
}

fn check_prefix(domain: &str) -> ServiceResult<()> {
    if domain.contains('.') {
        return Err(ServiceError::invalid_parameter(
            "A domain prefix is one label (letters, digits and hyphens); a full domain name needs a CustomDomainConfig.",
        ));
    }
    match RESERVED_WORDS.iter().find(|word| domain.contains(*word)) {
        Some(word) => Err(ServiceError::invalid_parameter(format!(
            "The domain prefix may not contain the reserved word {word}."
        ))),
        None => Ok(()),
    }
}

/// A custom domain's certificate must be one of ACM's in US East (N. Virginia), where
/// CloudFront takes them from.
fn check_certificate(config: &CustomDomainConfig) -> ServiceResult<()> {
    let mut parts = config.certificate_arn.split(':');
    let (service, region) = (parts.nth(2), parts.next());
    if service != Some("acm") || region != Some("us-east-1") {
        return Err(ServiceError::invalid_parameter(
            "The certificate of a custom domain must be an ACM certificate in us-east-1.",
        ));
    }
    Ok(())
}

fn domain_not_in_pool(domain: &str, pool_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!(
        "The domain {domain} does not exist in user pool {pool_id}."
    ))
}

fn domain_answer(domain: &PoolDomain) -> UserPoolDomainAnswer {
    UserPoolDomainAnswer {
        cloud_front_domain: domain
            .custom
            .as_ref()
            .map(|_| domain.cloudfront_distribution.clone()),
        managed_login_version: domain.managed_login_version,
    }
}

/// The host a domain's pages answer at, where the service names its CloudFront distribution:
/// `<prefix>.auth.localhost` (which browsers send to loopback) for a prefix domain; a custom
/// domain answers at its own name once that resolves to the emulator, and keeps a distribution
/// name for its DNS record, as on the service.
fn served_host(domain: &PoolDomain) -> String {
    match domain.custom {
        None => format!("{}.auth.localhost", domain.domain),
        Some(_) => domain.cloudfront_distribution.clone(),
    }
}

fn domain_description(pool_id: &str, state: &PoolState, domain: &PoolDomain) -> DomainDescription {
    let (year, month, day, hour, minute, second) = utc_date_time(unix_seconds(domain.modified));
    DomainDescription {
        user_pool_id: Some(pool_id.to_owned()),
        aws_account_id: Some(ACCOUNT_ID.to_owned()),
        domain: Some(domain.domain.clone()),
        s3_bucket: Some(format!("aws-cognito-prod-{}-assets", state.settings.region)),
        cloud_front_distribution: Some(served_host(domain)),
        version: Some(format!(
            "{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}"
        )),
        status: Some("ACTIVE"),
        custom_domain_config: domain.custom.clone(),
        managed_login_version: Some(domain.managed_login_version),
    }
}
