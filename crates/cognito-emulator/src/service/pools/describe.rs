// SPDX-License-Identifier: Apache-2.0
//! `UserPoolType`: a pool as CreateUserPool and DescribeUserPool describe it, with every member
//! it was configured with.

use std::collections::BTreeMap;

use serde::Serialize;

use super::config::{
    AccountRecoverySettingType, AdvancedSecurityAdditionalFlowsType, EmailConfigurationType,
    LambdaConfigType, MessageTemplateType, SignInPolicyType, SmsConfigurationType,
};
use crate::service::clock::epoch_seconds;
use crate::service::model::{
    DeviceConfiguration, MfaConfiguration, PasswordPolicy, PoolSettings, SchemaAttribute,
};

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
    pub email_configuration: EmailConfigurationType,
    pub user_pool_add_ons: UserPoolAddOnsType,
    pub user_pool_tags: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySettingType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain: Option<String>,
}

/// `UserPoolPolicyType`: the password policy and the sign-in policy.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolPolicyType {
    pub password_policy: PasswordPolicyType,
    pub sign_in_policy: SignInPolicyType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyType {
    #[serde(flatten)]
    pub policy: PasswordPolicy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<u32>,
}

/// `UserAttributeUpdateSettingsType`, always with its list (empty when nothing waits for
/// verification).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeUpdateSettingsType {
    pub attributes_require_verification_before_update: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationType {
    pub case_sensitive: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfigType {
    pub allow_admin_create_user_only: bool,
    /// The legacy name of the temporary password's validity, described with the same value.
    pub unused_account_validity_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplateType>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplateType {
    pub default_email_option: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolAddOnsType {
    pub advanced_security_mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlowsType>,
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

/// `domains` are the pool's prefix domain and custom domain, when it has them.
pub fn user_pool_type(
    settings: &PoolSettings,
    users: usize,
    domains: (Option<&str>, Option<&str>),
) -> UserPoolType {
    let config = &settings.config;
    UserPoolType {
        id: settings.id.clone(),
        name: settings.name.clone(),
        arn: settings.arn(),
        policies: UserPoolPolicyType {
            password_policy: PasswordPolicyType {
                policy: settings.password_policy.clone(),
                password_history_size: config.password_history_size,
            },
            sign_in_policy: config.sign_in_policy.clone().unwrap_or(SignInPolicyType {
                allowed_first_auth_factors: vec!["PASSWORD".to_owned()],
            }),
        },
        deletion_protection: if settings.deletion_protection {
            "ACTIVE"
        } else {
            "INACTIVE"
        },
        lambda_config: config.lambda_config.clone(),
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
            allow_admin_create_user_only: settings.admin_create_user_only,
            unused_account_validity_days: settings.password_policy.temporary_password_validity_days,
            invite_message_template: config.invite_message_template.clone(),
        },
        user_pool_tier: settings.tier.clone(),
        verification_message_template: verification_message_template(settings),
        // Left out, a pool sends with Cognito's own address.
        email_configuration: config
            .email_configuration
            .clone()
            .unwrap_or(EmailConfigurationType {
                email_sending_account: Some("COGNITO_DEFAULT".to_owned()),
                ..EmailConfigurationType::default()
            }),
        user_pool_add_ons: UserPoolAddOnsType {
            advanced_security_mode: settings.advanced_security_mode.clone(),
            advanced_security_additional_flows: config.advanced_security_additional_flows.clone(),
        },
        user_pool_tags: config.tags.clone(),
        username_attributes: non_empty(&settings.username_attributes),
        alias_attributes: non_empty(&settings.alias_attributes),
        device_configuration: settings.devices.clone(),
        email_verification_subject: settings.email_subject.clone(),
        email_verification_message: settings.email_message.clone(),
        sms_configuration: config.sms_configuration.clone(),
        sms_authentication_message: config.sms_authentication_message.clone(),
        sms_verification_message: config.sms_verification_message.clone(),
        account_recovery_setting: config.account_recovery_setting.clone(),
        domain: domains.0.map(str::to_owned),
        custom_domain: domains.1.map(str::to_owned),
    }
}

fn verification_message_template(settings: &PoolSettings) -> VerificationMessageTemplateType {
    let extras = &settings.config.verification;
    VerificationMessageTemplateType {
        default_email_option: extras
            .default_email_option
            .clone()
            .unwrap_or_else(|| "CONFIRM_WITH_CODE".to_owned()),
        email_message: settings.email_message.clone(),
        email_subject: settings.email_subject.clone(),
        email_message_by_link: extras.email_message_by_link.clone(),
        email_subject_by_link: extras.email_subject_by_link.clone(),
        sms_message: extras
            .sms_message
            .clone()
            .or_else(|| settings.config.sms_verification_message.clone()),
    }
}

pub fn user_pool_description_type(settings: &PoolSettings) -> UserPoolDescriptionType {
    UserPoolDescriptionType {
        id: settings.id.clone(),
        name: settings.name.clone(),
        lambda_config: settings.config.lambda_config.clone(),
        creation_date: epoch_seconds(settings.created),
        last_modified_date: epoch_seconds(settings.modified),
    }
}

fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}
