// SPDX-License-Identifier: Apache-2.0
//! User pools: CreateUserPool, DescribeUserPool, DeleteUserPool, ListUserPools.

use serde::{Deserialize, Serialize};

use super::config::PoolConfig;
use super::describe::{
    UserPoolDescriptionType, UserPoolType, user_pool_description_type, user_pool_type,
};
use super::pool_settings::ChangeablePoolSettings;
use crate::crypto::random;
use crate::crypto::tokens::SigningKey;
use crate::service::model::{
    MfaConfiguration, PasswordPolicy, PoolKeys, PoolSettings, SchemaAttribute,
};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    pub alias_attributes: Option<Vec<String>>,
    pub username_attributes: Option<Vec<String>>,
    pub schema: Option<Vec<SchemaAttribute>>,
    pub username_configuration: Option<UsernameConfigurationInput>,
    #[serde(flatten)]
    pub changeable: ChangeablePoolSettings,
}

/// `UsernameConfigurationType` as CreateUserPool is given it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationInput {
    pub case_sensitive: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolAnswer {
    pub user_pool: UserPoolType,
}

/// The request of DescribeUserPool and of DeleteUserPool, which are given the same: the pool.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolAnswer {
    pub user_pool: UserPoolType,
}

// DeleteUserPool answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsRequest {
    pub max_results: usize,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsAnswer {
    pub user_pools: Vec<UserPoolDescriptionType>,
    /// The id of the page's last pool, when more pools follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Service {
    /// `region` is the one the request was signed for, when it was signed.
    pub fn create_user_pool(
        &self,
        request: CreateUserPoolRequest,
        region: Option<&str>,
    ) -> ServiceResult<CreateUserPoolAnswer> {
        let schema = crate::service::schema::pool_schema(request.schema.unwrap_or_default())?;
        let region = region.unwrap_or(&self.default_region).to_owned();
        let id = format!(
            "{region}_{}",
            random::from_alphabet(random::ALPHANUMERIC, 9)
        );
        let now = self.now();
        let mut settings = PoolSettings {
            id: id.clone(),
            name: request.pool_name,
            region,
            created: now,
            modified: now,
            // The API's default, when UsernameConfiguration is left out, is case-sensitive.
            username_case_sensitive: request
                .username_configuration
                .is_none_or(|c| c.case_sensitive),
            username_attributes: request.username_attributes.unwrap_or_default(),
            alias_attributes: request.alias_attributes.unwrap_or_default(),
            auto_verified_attributes: Vec::new(),
            attributes_require_verification_before_update: Vec::new(),
            schema,
            password_policy: PasswordPolicy::default(),
            mfa: MfaConfiguration::Off,
            software_token_mfa: false,
            devices: None,
            admin_create_user_only: false,
            deletion_protection: false,
            email_subject: None,
            email_message: None,
            tier: "ESSENTIALS".to_owned(),
            advanced_security_mode: "OFF".to_owned(),
            issuer: self.new_pool_issuer(&id),
            config: PoolConfig::default(),
        };
        request.changeable.apply_to(&mut settings)?;
        // RSA key generation is the slow part; no lock is held while it runs.
        let keys = PoolKeys {
            id: SigningKey::generate(),
            access: SigningKey::generate(),
        };
        let user_pool = user_pool_type(&settings, 0, (None, None));
        let pool = self.new_pool(settings, keys);
        self.pools
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, pool);
        Ok(CreateUserPoolAnswer { user_pool })
    }

    pub fn describe_user_pool(
        &self,
        request: UserPoolIdRequest,
    ) -> ServiceResult<DescribeUserPoolAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        Ok(DescribeUserPoolAnswer {
            user_pool: user_pool_type(&state.settings, state.users.len(), state.domain_names()),
        })
    }

    pub fn delete_user_pool(&self, request: UserPoolIdRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        crate::service::import::check_no_import_running(&pool.lock())?;
        if pool.lock().settings.deletion_protection {
            return Err(ServiceError::invalid_parameter(
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
            ));
        }
        let removed = self
            .pools
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&pool.id);
        if removed.is_some() {
            self.forget_pool(&pool.id);
        }
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, owner| *owner != pool.id);
        Ok(Empty {})
    }

    pub fn list_user_pools(
        &self,
        request: ListUserPoolsRequest,
    ) -> ServiceResult<ListUserPoolsAnswer> {
        let mut summaries: Vec<UserPoolDescriptionType> = self
            .all_pools()
            .iter()
            .map(|pool| user_pool_description_type(&pool.lock().settings))
            .collect();
        summaries.sort_by(|a, b| a.id.cmp(&b.id));
        let start = match &request.next_token {
            Some(token) => summaries
                .iter()
                .position(|summary| summary.id > *token)
                .unwrap_or(summaries.len()),
            None => 0,
        };
        let total = summaries.len();
        let page: Vec<UserPoolDescriptionType> = summaries
            .into_iter()
            .skip(start)
            .take(request.max_results)
            .collect();
        let more = start + page.len() < total;
        let next_token = page.last().filter(|_| more).map(|last| last.id.clone());
        Ok(ListUserPoolsAnswer {
            user_pools: page,
            next_token,
        })
    }
}
