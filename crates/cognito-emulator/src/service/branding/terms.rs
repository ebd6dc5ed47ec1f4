// SPDX-License-Identifier: Apache-2.0
//! Terms documents of an app client: CreateTerms, DescribeTerms, DescribeTermsByClient,
//! ListTerms, UpdateTerms, DeleteTerms. A client has at most one `terms-of-use` and one
//! `privacy-policy`, each a link per language (`cognito:<language>`, `cognito:default` the
//! fallback), which the managed-login sign-up page shows once both exist.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::federation::page;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// ListTerms' MaxResults at most, and when not given.
const MAX_PAGE: usize = 60;

/// A stored terms document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Terms {
    pub id: String,
    pub client_id: String,
    /// `terms-of-use` or `privacy-policy`.
    pub name: String,
    pub source: String,
    pub enforcement: String,
    /// `cognito:<language>` -> URL.
    pub links: BTreeMap<String, String>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTermsRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub terms_name: String,
    pub terms_source: String,
    pub enforcement: String,
    pub links: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTermsRequest {
    pub user_pool_id: String,
    pub terms_id: String,
    pub terms_name: Option<String>,
    pub terms_source: Option<String>,
    pub enforcement: Option<String>,
    pub links: Option<BTreeMap<String, String>>,
}

/// DescribeTerms and DeleteTerms.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TermsIdRequest {
    pub user_pool_id: String,
    pub terms_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTermsByClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub terms_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTermsRequest {
    pub user_pool_id: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TermsAnswer {
    pub terms: TermsType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TermsType {
    pub terms_id: String,
    pub user_pool_id: String,
    pub client_id: String,
    pub terms_name: String,
    pub terms_source: String,
    pub enforcement: String,
    pub links: BTreeMap<String, String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTermsAnswer {
    pub terms: Vec<TermsDescriptionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TermsDescriptionType {
    pub terms_id: String,
    pub terms_name: String,
    pub enforcement: String,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

impl Service {
    pub fn create_terms(&self, request: CreateTermsRequest) -> ServiceResult<TermsAnswer> {
        let links = request
            .links
            .ok_or_else(|| ServiceError::missing_parameter("Links"))?;
        check_links(&links)?;
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        state.client(&request.client_id)?;
        refuse_second(&state, &request.client_id, &request.terms_name, None)?;
        let terms = Terms {
            id: random::uuid(),
            client_id: request.client_id,
            name: request.terms_name,
            source: request.terms_source,
            enforcement: request.enforcement,
            links,
            created: now,
            modified: now,
        };
        let answer = terms_answer(&pool.id, &terms);
        state.branding.terms.insert(terms.id.clone(), terms);
        Ok(answer)
    }

    pub fn describe_terms(&self, request: TermsIdRequest) -> ServiceResult<TermsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let terms = existing(&state, &request.terms_id)?;
        Ok(terms_answer(&pool.id, terms))
    }

    pub fn describe_terms_by_client(
        &self,
        request: DescribeTermsByClientRequest,
    ) -> ServiceResult<TermsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        state.client(&request.client_id)?;
        let terms = state
            .branding
            .terms_of_client(&request.client_id, &request.terms_name)
            .ok_or_else(|| {
                ServiceError::resource_not_found(format!(
                    "App client {} has no {} document: create it with CreateTerms.",
                    request.client_id, request.terms_name
                ))
            })?;
        Ok(terms_answer(&pool.id, terms))
    }

    pub fn list_terms(&self, request: ListTermsRequest) -> ServiceResult<ListTermsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let limit = request.max_results.unwrap_or(MAX_PAGE);
        let (terms, next_token) =
            page(&state.branding.terms, limit, request.next_token.as_deref())?;
        Ok(ListTermsAnswer {
            terms: terms
                .into_iter()
                .map(|terms| TermsDescriptionType {
                    terms_id: terms.id.clone(),
                    terms_name: terms.name.clone(),
                    enforcement: terms.enforcement.clone(),
                    creation_date: epoch_seconds(terms.created),
                    last_modified_date: epoch_seconds(terms.modified),
                })
                .collect(),
            next_token,
        })
    }

    pub fn update_terms(&self, request: UpdateTermsRequest) -> ServiceResult<TermsAnswer> {
        if let Some(links) = &request.links {
            check_links(links)?;
        }
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let client_id = existing(&state, &request.terms_id)?.client_id.clone();
        if let Some(name) = &request.terms_name {
            refuse_second(&state, &client_id, name, Some(&request.terms_id))?;
        }
        let Some(terms) = state.branding.terms.get_mut(&request.terms_id) else {
            return Err(terms_not_found(&request.terms_id));
        };
        if let Some(name) = request.terms_name {
            terms.name = name;
        }
        if let Some(source) = request.terms_source {
            terms.source = source;
        }
        if let Some(enforcement) = request.enforcement {
            terms.enforcement = enforcement;
        }
        if let Some(links) = request.links {
            terms.links = links;
        }
        terms.modified = now;
        Ok(terms_answer(&pool.id, terms))
    }

    pub fn delete_terms(&self, request: TermsIdRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if state.branding.terms.remove(&request.terms_id).is_none() {
            return Err(terms_not_found(&request.terms_id));
        }
        Ok(Empty {})
    }
}

/// A client has one document of each name: `TermsExistsException` for a second (`updating`
/// is the document being renamed, which may keep its own name).
fn refuse_second(
    state: &PoolState,
    client_id: &str,
    name: &str,
    updating: Option<&str>,
) -> ServiceResult<()> {
    match state.branding.terms_of_client(client_id, name) {
        Some(other) if Some(other.id.as_str()) != updating => Err(ServiceError::new(
            "TermsExistsException",
            format!(
                "App client {client_id} already has a {name} document ({}): update it with \
                 UpdateTerms.",
                other.id
            ),
        )),
        _ => Ok(()),
    }
}

/// The pages link to these, so each must be a web address (no `javascript:` or `data:`).
fn check_links(links: &BTreeMap<String, String>) -> ServiceResult<()> {
    for (language, url) in links {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(ServiceError::invalid_parameter(format!(
                "The link for {language} must be an http or https URL."
            )));
        }
    }
    Ok(())
}

fn existing<'a>(state: &'a PoolState, terms_id: &str) -> ServiceResult<&'a Terms> {
    state
        .branding
        .terms
        .get(terms_id)
        .ok_or_else(|| terms_not_found(terms_id))
}

fn terms_not_found(terms_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!("Terms {terms_id} do not exist in this user pool."))
}

fn terms_answer(pool_id: &str, terms: &Terms) -> TermsAnswer {
    TermsAnswer {
        terms: TermsType {
            terms_id: terms.id.clone(),
            user_pool_id: pool_id.to_owned(),
            client_id: terms.client_id.clone(),
            terms_name: terms.name.clone(),
            terms_source: terms.source.clone(),
            enforcement: terms.enforcement.clone(),
            links: terms.links.clone(),
            creation_date: epoch_seconds(terms.created),
            last_modified_date: epoch_seconds(terms.modified),
        },
    }
}
