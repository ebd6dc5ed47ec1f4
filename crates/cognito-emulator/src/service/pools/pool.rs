// SPDX-License-Identifier: Apache-2.0
//! User pools: CreateUserPool, DescribeUserPool, DeleteUserPool, ListUserPools,
//! SetUserPoolMfaConfig.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::STANDARD_ATTRIBUTES;
use crate::crypto::random;
use crate::crypto::tokens::SigningKey;
use crate::service::clock::epoch_seconds;
use crate::service::model::{
    DeviceConfiguration, MfaConfiguration, PasswordPolicy, PoolKeys, PoolSettings, SchemaAttribute,
};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    pub policies: Option<PoliciesInput>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettingsType>,
    pub alias_attributes: Option<Vec<String>>,
    pub username_attributes: Option<Vec<String>>,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub device_configuration: Option<DeviceConfiguration>,
    pub admin_create_user_config: Option<AdminCreateUserConfigType>,
    pub schema: Option<Vec<SchemaAttribute>>,
    pub username_configuration: Option<UsernameConfigurationType>,
    pub email_verification_subject: Option<String>,
    pub email_verification_message: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplateType>,
    pub deletion_protection: Option<String>,
    pub user_pool_tier: Option<String>,
    pub sms_configuration: Option<Value>,
    pub user_pool_add_ons: Option<UserPoolAddOnsType>,
}

/// `UserPoolAddOnsType`: threat protection's mode.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolAddOnsType {
    pub advanced_security_mode: String,
}

/// `UserPoolPolicyType` as a request gives it: every member may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoliciesInput {
    pub password_policy: Option<PasswordPolicyInput>,
}

/// `PasswordPolicyType` as a request gives it; what is left out gets the defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyInput {
    pub minimum_length: Option<u32>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
    pub temporary_password_validity_days: Option<u32>,
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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfigType>,
    pub sms_mfa_configuration: Option<Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigAnswer {
    pub mfa_configuration: MfaConfiguration,
    pub software_token_mfa_configuration: SoftwareTokenMfaConfigType,
}

/// `SoftwareTokenMfaConfigType`, as SetUserPoolMfaConfig is given it and answers it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfigType {
    #[serde(default)]
    pub enabled: bool,
}

/// `UserAttributeUpdateSettingsType`, as CreateUserPool is given it and the pool describes it
/// (always with its list, empty when nothing waits for verification).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeUpdateSettingsType {
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
}

/// `UserPoolType`: a pool as CreateUserPool and DescribeUserPool describe it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub policies: UserPoolPolicyType,
    /// `ACTIVE` or `INACTIVE`.
    pub deletion_protection: &'static str,
    pub lambda_config: LambdaConfigType,
    /// Seconds since the epoch, as every date of the API.
    pub last_modified_date: f64,
    pub creation_date: f64,
    pub schema_attributes: Vec<SchemaAttribute>,
    pub auto_verified_attributes: Vec<String>,
    pub user_attribute_update_settings: UserAttributeUpdateSettingsType,
    pub mfa_configuration: MfaConfiguration,
    pub estimated_number_of_users: usize,
    pub username_configuration: UsernameConfigurationType,
    pub admin_create_user_config: AdminCreateUserConfigType,
    pub user_pool_tier: String,
    pub verification_message_template: VerificationMessageTemplateType,
    /// Left out when the pool has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    /// Left out when the pool has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
}

/// `UserPoolPolicyType`: the pool's password policy.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolPolicyType {
    pub password_policy: PasswordPolicy,
}

/// `LambdaConfigType`: the emulator runs no triggers, so it is always `{}`.
#[derive(Debug, Default, Serialize)]
pub struct LambdaConfigType {}

/// `UsernameConfigurationType`, as CreateUserPool is given it and the pool describes it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationType {
    pub case_sensitive: bool,
}

/// `AdminCreateUserConfigType`, as CreateUserPool is given it and the pool describes it (always
/// with its member).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfigType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_admin_create_user_only: Option<bool>,
}

/// `VerificationMessageTemplateType`, as CreateUserPool is given it (its DefaultEmailOption is
/// not read) and the pool describes it (always `CONFIRM_WITH_CODE`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplateType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

/// `UserPoolDescriptionType`: a pool as ListUserPools lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescriptionType {
    pub id: String,
    pub name: String,
    pub lambda_config: LambdaConfigType,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

impl Service {
    /// `region` is the one the request was signed for, when it was signed.
    pub fn create_user_pool(
        &self,
        request: CreateUserPoolRequest,
        region: Option<&str>,
    ) -> ServiceResult<CreateUserPoolAnswer> {
        let mfa = request.mfa_configuration.unwrap_or(MfaConfiguration::Off);
        if mfa != MfaConfiguration::Off && request.sms_configuration.is_none() {
            return Err(ServiceError::invalid_parameter(
                "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
            ));
        }
        let password_policy = password_policy(request.policies.and_then(|p| p.password_policy))?;
        let schema = schema(request.schema.unwrap_or_default())?;
        let auto_verified_attributes = request.auto_verified_attributes.unwrap_or_default();
        let verify_before_update = verify_before_update(
            request.user_attribute_update_settings,
            &auto_verified_attributes,
        )?;
        let region = region.unwrap_or(&self.default_region).to_owned();
        let id = format!(
            "{region}_{}",
            random::from_alphabet(random::ALPHANUMERIC, 9)
        );
        let template = request.verification_message_template.unwrap_or_default();
        let now = self.now();
        let settings = PoolSettings {
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
            auto_verified_attributes,
            attributes_require_verification_before_update: verify_before_update,
            schema,
            password_policy,
            mfa,
            software_token_mfa: false,
            devices: request.device_configuration,
            admin_create_user_only: request
                .admin_create_user_config
                .and_then(|c| c.allow_admin_create_user_only)
                .unwrap_or(false),
            deletion_protection: request.deletion_protection.as_deref() == Some("ACTIVE"),
            email_subject: template
                .email_subject
                .or(request.email_verification_subject),
            email_message: template
                .email_message
                .or(request.email_verification_message),
            tier: request
                .user_pool_tier
                .unwrap_or_else(|| "ESSENTIALS".to_owned()),
            advanced_security_mode: request.user_pool_add_ons.map_or_else(
                || "OFF".to_owned(),
                |add_ons| add_ons.advanced_security_mode,
            ),
            issuer: self.new_pool_issuer(&id),
        };
        // RSA key generation is the slow part; no lock is held while it runs.
        let keys = PoolKeys {
            id: SigningKey::generate(),
            access: SigningKey::generate(),
        };
        let user_pool = user_pool_type(&settings, 0);
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
            user_pool: user_pool_type(&state.settings, state.users.len()),
        })
    }

    pub fn delete_user_pool(&self, request: UserPoolIdRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
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

    pub fn set_user_pool_mfa_config(
        &self,
        request: SetUserPoolMfaConfigRequest,
    ) -> ServiceResult<SetUserPoolMfaConfigAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let software_token = request
            .software_token_mfa_configuration
            .as_ref()
            .map_or(state.settings.software_token_mfa, |c| c.enabled);
        let sms = request.sms_mfa_configuration.is_some();
        let mfa = request.mfa_configuration.unwrap_or(state.settings.mfa);
        if mfa != MfaConfiguration::Off && !software_token && !sms {
            return Err(ServiceError::invalid_parameter(
                "At least one MFA method must be enabled when MFA is required or optional.",
            ));
        }
        let settings = state.settings.edit();
        settings.software_token_mfa = software_token;
        settings.mfa = mfa;
        settings.modified = self.now();
        Ok(SetUserPoolMfaConfigAnswer {
            mfa_configuration: mfa,
            software_token_mfa_configuration: SoftwareTokenMfaConfigType {
                enabled: software_token,
            },
        })
    }
}

fn password_policy(input: Option<PasswordPolicyInput>) -> ServiceResult<PasswordPolicy> {
    let defaults = PasswordPolicy::default();
    let Some(input) = input else {
        return Ok(defaults);
    };
    let policy = PasswordPolicy {
        minimum_length: input.minimum_length.unwrap_or(defaults.minimum_length),
        require_uppercase: input.require_uppercase.unwrap_or(false),
        require_lowercase: input.require_lowercase.unwrap_or(false),
        require_numbers: input.require_numbers.unwrap_or(false),
        require_symbols: input.require_symbols.unwrap_or(false),
        temporary_password_validity_days: input
            .temporary_password_validity_days
            .unwrap_or(defaults.temporary_password_validity_days),
    };
    if !(6..=99).contains(&policy.minimum_length) {
        return Err(ServiceError::invalid_parameter(
            "1 validation error detected: Value at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value between 6 and 99",
        ));
    }
    Ok(policy)
}

/// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: only attributes the
/// pool verifies can wait for verification.
fn verify_before_update(
    settings: Option<UserAttributeUpdateSettingsType>,
    auto_verified: &[String],
) -> ServiceResult<Vec<String>> {
    let attributes = settings
        .map(|s| s.attributes_require_verification_before_update)
        .unwrap_or_default();
    if let Some(unverified) = attributes.iter().find(|a| !auto_verified.contains(a)) {
        return Err(ServiceError::invalid_parameter(format!(
            "The attribute {unverified} in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes."
        )));
    }
    Ok(attributes)
}

/// The pool's schema: every standard attribute, with the request's settings applied, then its
/// custom attributes (which must be called `custom:<name>` on the wire, and are given without).
fn schema(requested: Vec<SchemaAttribute>) -> ServiceResult<Vec<SchemaAttribute>> {
    let mut schema: Vec<SchemaAttribute> = STANDARD_ATTRIBUTES
        .iter()
        .map(|name| SchemaAttribute {
            name: (*name).to_owned(),
            attribute_data_type: if name.ends_with("_verified") {
                "Boolean"
            } else if *name == "updated_at" {
                "Number"
            } else {
                "String"
            }
            .to_owned(),
            developer_only_attribute: false,
            mutable: *name != "sub",
            required: *name == "sub",
        })
        .collect();
    for attribute in requested {
        if let Some(standard) = schema.iter_mut().find(|a| a.name == attribute.name) {
            standard.required = attribute.required;
            standard.mutable = attribute.mutable;
        } else {
            if attribute.required {
                return Err(ServiceError::invalid_parameter(format!(
                    "Required custom attributes are not supported currently: {}",
                    attribute.name
                )));
            }
            let name = attribute
                .name
                .strip_prefix("custom:")
                .unwrap_or(&attribute.name);
            schema.push(SchemaAttribute {
                name: format!("custom:{name}"),
                ..attribute
            });
        }
    }
    Ok(schema)
}

fn user_pool_type(settings: &PoolSettings, users: usize) -> UserPoolType {
    UserPoolType {
        id: settings.id.clone(),
        name: settings.name.clone(),
        arn: settings.arn(),
        policies: UserPoolPolicyType {
            password_policy: settings.password_policy.clone(),
        },
        deletion_protection: if settings.deletion_protection {
            "ACTIVE"
        } else {
            "INACTIVE"
        },
        lambda_config: LambdaConfigType {},
        last_modified_date: epoch_seconds(settings.modified),
        creation_date: epoch_seconds(settings.created),
        schema_attributes: settings.schema.clone(),
        auto_verified_attributes: settings.auto_verified_attributes.clone(),
        user_attribute_update_settings: UserAttributeUpdateSettingsType {
            attributes_require_verification_before_update: settings
                .attributes_require_verification_before_update
                .clone(),
        },
        mfa_configuration: settings.mfa,
        estimated_number_of_users: users,
        username_configuration: UsernameConfigurationType {
            case_sensitive: settings.username_case_sensitive,
        },
        admin_create_user_config: AdminCreateUserConfigType {
            allow_admin_create_user_only: Some(settings.admin_create_user_only),
        },
        user_pool_tier: settings.tier.clone(),
        verification_message_template: VerificationMessageTemplateType {
            default_email_option: Some("CONFIRM_WITH_CODE".to_owned()),
            email_message: settings.email_message.clone(),
            email_subject: settings.email_subject.clone(),
        },
        username_attributes: non_empty(&settings.username_attributes),
        alias_attributes: non_empty(&settings.alias_attributes),
        device_configuration: settings.devices.clone(),
        email_verification_subject: settings.email_subject.clone(),
        email_verification_message: settings.email_message.clone(),
    }
}

fn user_pool_description_type(settings: &PoolSettings) -> UserPoolDescriptionType {
    UserPoolDescriptionType {
        id: settings.id.clone(),
        name: settings.name.clone(),
        lambda_config: LambdaConfigType {},
        creation_date: epoch_seconds(settings.created),
        last_modified_date: epoch_seconds(settings.modified),
    }
}

fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}
