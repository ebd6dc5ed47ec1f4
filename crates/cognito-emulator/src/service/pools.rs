// SPDX-License-Identifier: Apache-2.0
//! User pools and app clients: CreateUserPool, DescribeUserPool, ListUserPools, DeleteUserPool,
//! SetUserPoolMfaConfig, CreateUserPoolClient, DescribeUserPoolClient, DeleteUserPoolClient.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::clock::epoch_seconds;
use super::model::{
    AppClient, DeviceConfiguration, MfaConfiguration, PasswordPolicy, PoolKeys, PoolSettings,
    SchemaAttribute, TokenUnit,
};
use super::{Service, ServiceError, ServiceResult};
use crate::crypto::random;
use crate::crypto::tokens::SigningKey;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    pub policies: Option<PoliciesInput>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub alias_attributes: Option<Vec<String>>,
    pub username_attributes: Option<Vec<String>>,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub device_configuration: Option<DeviceConfiguration>,
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    pub schema: Option<Vec<SchemaAttribute>>,
    pub username_configuration: Option<UsernameConfiguration>,
    pub email_verification_subject: Option<String>,
    pub email_verification_message: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplate>,
    pub deletion_protection: Option<String>,
    pub user_pool_tier: Option<String>,
    pub sms_configuration: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoliciesInput {
    pub password_policy: Option<PasswordPolicyInput>,
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    pub allow_admin_create_user_only: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    pub email_message: Option<String>,
    pub email_subject: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsRequest {
    pub max_results: usize,
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub software_token_mfa_configuration: Option<EnabledFlag>,
    pub sms_mfa_configuration: Option<Value>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EnabledFlag {
    #[serde(default)]
    pub enabled: bool,
}

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
    pub token_validity_units: Option<TokenValidityUnits>,
    pub explicit_auth_flows: Option<Vec<String>>,
    pub prevent_user_existence_errors: Option<String>,
    pub enable_token_revocation: Option<bool>,
    pub auth_session_validity: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    pub access_token: Option<String>,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

/// The standard attributes every pool has; `custom:` ones come from the pool's schema.
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

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
    /// `region` is the one the request was signed for, when it was signed.
    pub fn create_user_pool(
        &self,
        request: CreateUserPoolRequest,
        region: Option<&str>,
    ) -> ServiceResult<Value> {
        let mfa = request.mfa_configuration.unwrap_or(MfaConfiguration::Off);
        if mfa != MfaConfiguration::Off && request.sms_configuration.is_none() {
            return Err(ServiceError::invalid_parameter(
                "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
            ));
        }
        let password_policy = password_policy(request.policies.and_then(|p| p.password_policy))?;
        let schema = schema(request.schema.unwrap_or_default())?;
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
            auto_verified_attributes: request.auto_verified_attributes.unwrap_or_default(),
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
            issuer: self.new_pool_issuer(&id),
        };
        // RSA key generation is the slow part; no lock is held while it runs.
        let keys = PoolKeys {
            id: SigningKey::generate(),
            access: SigningKey::generate(),
        };
        let description = describe_pool(&settings, 0);
        let pool = self.new_pool(settings, keys);
        self.pools
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, pool);
        Ok(json!({ "UserPool": description }))
    }

    pub fn describe_user_pool(&self, request: UserPoolIdRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        Ok(json!({ "UserPool": describe_pool(&state.settings, state.users.len()) }))
    }

    pub fn delete_user_pool(&self, request: UserPoolIdRequest) -> ServiceResult<Value> {
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
        Ok(json!({}))
    }

    pub fn list_user_pools(&self, request: ListUserPoolsRequest) -> ServiceResult<Value> {
        let pools = self.all_pools();
        let mut summaries: Vec<(String, Value)> = pools
            .iter()
            .map(|pool| {
                let state = pool.lock();
                let s = &state.settings;
                (
                    s.id.clone(),
                    json!({
                        "Id": s.id,
                        "Name": s.name,
                        "LambdaConfig": {},
                        "CreationDate": epoch_seconds(s.created),
                        "LastModifiedDate": epoch_seconds(s.modified),
                    }),
                )
            })
            .collect();
        summaries.sort_by(|a, b| a.0.cmp(&b.0));
        let start = match &request.next_token {
            Some(token) => summaries
                .iter()
                .position(|(id, _)| id > token)
                .unwrap_or(summaries.len()),
            None => 0,
        };
        let page: Vec<&(String, Value)> = summaries
            .iter()
            .skip(start)
            .take(request.max_results)
            .collect();
        let more = start + page.len() < summaries.len();
        let mut response = json!({ "UserPools": page.iter().map(|(_, v)| v).collect::<Vec<_>>() });
        if let (true, Some((last, _))) = (more, page.last()) {
            response["NextToken"] = json!(last);
        }
        Ok(response)
    }

    pub fn set_user_pool_mfa_config(
        &self,
        request: SetUserPoolMfaConfigRequest,
    ) -> ServiceResult<Value> {
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
        Ok(json!({
            "MfaConfiguration": mfa,
            "SoftwareTokenMfaConfiguration": { "Enabled": software_token },
        }))
    }

    pub fn create_user_pool_client(
        &self,
        request: CreateUserPoolClientRequest,
    ) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let flows = request
            .explicit_auth_flows
            .unwrap_or_else(|| DEFAULT_AUTH_FLOWS.iter().map(|f| (*f).to_owned()).collect());
        let legacy = flows
            .iter()
            .any(|f| LEGACY_AUTH_FLOWS.contains(&f.as_str()));
        if legacy && flows.iter().any(|f| f.starts_with("ALLOW_")) {
            return Err(ServiceError::invalid_parameter(
                "The combination of legacy explicit auth flows and ALLOW_ prefixed explicit auth flows is not allowed.",
            ));
        }
        let secret = match (
            request.generate_secret.unwrap_or(false),
            request.client_secret,
        ) {
            (true, Some(_)) => {
                return Err(ServiceError::invalid_parameter(
                    "Cannot both generate a client secret and provide one.",
                ));
            }
            (true, None) => Some(Zeroizing::new(random::from_alphabet(
                random::LOWER_ALPHANUMERIC,
                51,
            ))),
            (false, given) => given.map(Zeroizing::new),
        };
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
            created: now,
            modified: now,
        };
        let description = describe_client(&pool.id, &client);
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(client.id.clone(), pool.id.clone());
        pool.lock().clients.insert(client.id.clone(), client);
        Ok(json!({ "UserPoolClient": description }))
    }

    pub fn describe_user_pool_client(
        &self,
        request: UserPoolClientRequest,
    ) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let client = state.client(&request.client_id)?;
        Ok(json!({ "UserPoolClient": describe_client(&pool.id, client) }))
    }

    pub fn delete_user_pool_client(&self, request: UserPoolClientRequest) -> ServiceResult<Value> {
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
        Ok(json!({}))
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

fn describe_pool(settings: &PoolSettings, users: usize) -> Value {
    let mut pool = json!({
        "Id": settings.id,
        "Name": settings.name,
        "Arn": settings.arn(),
        "Policies": { "PasswordPolicy": settings.password_policy },
        "DeletionProtection": if settings.deletion_protection { "ACTIVE" } else { "INACTIVE" },
        "LambdaConfig": {},
        "LastModifiedDate": epoch_seconds(settings.modified),
        "CreationDate": epoch_seconds(settings.created),
        "SchemaAttributes": settings.schema,
        "AutoVerifiedAttributes": settings.auto_verified_attributes,
        "MfaConfiguration": settings.mfa,
        "EstimatedNumberOfUsers": users,
        "UsernameConfiguration": { "CaseSensitive": settings.username_case_sensitive },
        "AdminCreateUserConfig": { "AllowAdminCreateUserOnly": settings.admin_create_user_only },
        "UserPoolTier": settings.tier,
        "VerificationMessageTemplate": {
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
        },
    });
    if !settings.username_attributes.is_empty() {
        pool["UsernameAttributes"] = json!(settings.username_attributes);
    }
    if !settings.alias_attributes.is_empty() {
        pool["AliasAttributes"] = json!(settings.alias_attributes);
    }
    if let Some(devices) = &settings.devices {
        pool["DeviceConfiguration"] = json!(devices);
    }
    if let Some(subject) = &settings.email_subject {
        pool["EmailVerificationSubject"] = json!(subject);
        pool["VerificationMessageTemplate"]["EmailSubject"] = json!(subject);
    }
    if let Some(message) = &settings.email_message {
        pool["EmailVerificationMessage"] = json!(message);
        pool["VerificationMessageTemplate"]["EmailMessage"] = json!(message);
    }
    pool
}

fn describe_client(pool_id: &str, client: &AppClient) -> Value {
    let mut description = json!({
        "UserPoolId": pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "LastModifiedDate": epoch_seconds(client.modified),
        "CreationDate": epoch_seconds(client.created),
        "RefreshTokenValidity": client.refresh_token_validity.0,
        "AccessTokenValidity": client.access_token_validity.0,
        "IdTokenValidity": client.id_token_validity.0,
        "TokenValidityUnits": {
            "AccessToken": client.access_token_validity.1.name(),
            "IdToken": client.id_token_validity.1.name(),
            "RefreshToken": client.refresh_token_validity.1.name(),
        },
        "ExplicitAuthFlows": client.explicit_auth_flows,
        "AllowedOAuthFlowsUserPoolClient": false,
        "PreventUserExistenceErrors": if client.prevent_user_existence_errors { "ENABLED" } else { "LEGACY" },
        "EnableTokenRevocation": client.enable_token_revocation,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": client.auth_session_validity_minutes,
    });
    if let Some(secret) = &client.secret {
        description["ClientSecret"] = json!(secret.as_str());
    }
    description
}
