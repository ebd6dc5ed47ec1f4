// SPDX-License-Identifier: Apache-2.0
//! What CreateUserPool and UpdateUserPool are both given: the settings a pool can change after
//! it is made. UpdateUserPool replaces all of them, as the service documents: a member left out
//! goes back to its default. Both check the same rules between members here.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::config::{
    AccountRecoverySettingType, AdvancedSecurityAdditionalFlowsType, EmailConfigurationType,
    LambdaConfigType, MessageTemplateType, SignInPolicyType, SmsConfigurationType,
    VerificationExtras,
};
use super::tags::check_tag_count;
use crate::service::model::{DeviceConfiguration, MfaConfiguration, PasswordPolicy, PoolSettings};
use crate::service::{ServiceError, ServiceResult};

/// The members of CreateUserPool and UpdateUserPool that configure what a pool may change.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeablePoolSettings {
    pub policies: Option<PoliciesInput>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettingsInput>,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub device_configuration: Option<DeviceConfiguration>,
    pub admin_create_user_config: Option<AdminCreateUserConfigInput>,
    pub email_verification_subject: Option<String>,
    pub email_verification_message: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplateInput>,
    pub sms_authentication_message: Option<String>,
    pub sms_verification_message: Option<String>,
    pub deletion_protection: Option<String>,
    pub user_pool_tier: Option<String>,
    pub email_configuration: Option<EmailConfigurationType>,
    pub sms_configuration: Option<SmsConfigurationType>,
    pub lambda_config: Option<LambdaConfigType>,
    pub user_pool_add_ons: Option<UserPoolAddOnsInput>,
    pub account_recovery_setting: Option<AccountRecoverySettingType>,
    pub user_pool_tags: Option<BTreeMap<String, String>>,
}

/// `UserPoolPolicyType` as a request gives it: every member may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoliciesInput {
    pub password_policy: Option<PasswordPolicyInput>,
    pub sign_in_policy: Option<SignInPolicyType>,
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
    pub password_history_size: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeUpdateSettingsInput {
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfigInput {
    pub allow_admin_create_user_only: Option<bool>,
    pub unused_account_validity_days: Option<u32>,
    pub invite_message_template: Option<MessageTemplateType>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplateInput {
    pub default_email_option: Option<String>,
    pub email_message: Option<String>,
    pub email_subject: Option<String>,
    pub email_message_by_link: Option<String>,
    pub email_subject_by_link: Option<String>,
    pub sms_message: Option<String>,
}

/// `UserPoolAddOnsType`: threat protection's mode.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolAddOnsInput {
    pub advanced_security_mode: String,
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlowsType>,
}

impl ChangeablePoolSettings {
    /// Sets every changeable setting of `settings` from the request, defaults where members
    /// are left out. Tags, the tier and what SetUserPoolMfaConfig set stay as they are unless
    /// given; nothing is changed when a rule is broken.
    pub fn apply_to(self, settings: &mut PoolSettings) -> ServiceResult<()> {
        let mut next = settings.clone();
        let policies = self.policies.unwrap_or_default();
        let days = policies
            .password_policy
            .as_ref()
            .and_then(|p| p.temporary_password_validity_days);
        let (password_policy, history) = password_policy(policies.password_policy)?;
        next.password_policy = password_policy;
        next.config.password_history_size = history;
        next.config.sign_in_policy = sign_in_policy(policies.sign_in_policy)?;
        next.auto_verified_attributes = self.auto_verified_attributes.unwrap_or_default();
        next.attributes_require_verification_before_update =
            verify_before_update(self.user_attribute_update_settings, &next)?;
        next.devices = self.device_configuration;
        let admin = self.admin_create_user_config.unwrap_or_default();
        next.admin_create_user_only = admin.allow_admin_create_user_only.unwrap_or(false);
        // The AWS SDKs send UnusedAccountValidityDays as 0 whenever it is left unset.
        let unused = admin.unused_account_validity_days.filter(|days| *days != 0);
        next.password_policy.temporary_password_validity_days =
            temporary_password_days(days, unused)?;
        next.config.invite_message_template = invite_template(admin.invite_message_template)?;
        let template = self.verification_message_template.unwrap_or_default();
        next.email_subject = template.email_subject.or(self.email_verification_subject);
        next.email_message = template.email_message.or(self.email_verification_message);
        next.config.verification = verification_extras(
            template.default_email_option,
            template.email_message_by_link,
            template.email_subject_by_link,
            template.sms_message.clone(),
        )?;
        next.config.sms_verification_message =
            self.sms_verification_message.or(template.sms_message);
        next.config.sms_authentication_message = self.sms_authentication_message;
        next.deletion_protection = self.deletion_protection.as_deref() == Some("ACTIVE");
        if let Some(tier) = self.user_pool_tier {
            next.tier = tier;
        }
        next.config.email_configuration = email_configuration(self.email_configuration)?;
        next.config.sms_configuration = self.sms_configuration;
        next.config.lambda_config = self.lambda_config.unwrap_or_default();
        let add_ons = self.user_pool_add_ons;
        next.advanced_security_mode = add_ons
            .as_ref()
            .map_or_else(|| "OFF".to_owned(), |a| a.advanced_security_mode.clone());
        next.config.advanced_security_additional_flows =
            add_ons.and_then(|a| a.advanced_security_additional_flows);
        next.config.account_recovery_setting = recovery(self.account_recovery_setting)?;
        if let Some(tags) = self.user_pool_tags {
            check_tag_count(tags.len())?;
            next.config.tags = tags;
        }
        next.mfa = self.mfa_configuration.unwrap_or(MfaConfiguration::Off);
        check_mfa_methods(&next)?;
        check_feature_plan(&next)?;
        *settings = next;
        Ok(())
    }
}

/// The features of a pool's settings that its feature plan must include, as the service
/// checks them whenever they or the plan change: threat protection needs Plus; email MFA,
/// passwordless first factors, access-token customization (a pre token generation trigger
/// of event version 2 or 3) and password history need Essentials or Plus. A pool cannot move
/// to a plan that lacks a feature it has on.
pub(crate) fn check_feature_plan(settings: &PoolSettings) -> ServiceResult<()> {
    if settings.advanced_security_mode != "OFF" && settings.tier != "PLUS" {
        return Err(unavailable_in_tier(
            "Threat protection (UserPoolAddOns)",
            "PLUS",
            settings,
        ));
    }
    if settings.tier != "LITE" {
        return Ok(());
    }
    let config = &settings.config;
    if config.email_mfa.is_some() {
        return Err(unavailable_in_tier(
            "Email MFA (EmailMfaConfiguration)",
            "ESSENTIALS or PLUS",
            settings,
        ));
    }
    let passwordless = config.sign_in_policy.as_ref().and_then(|policy| {
        policy
            .allowed_first_auth_factors
            .iter()
            .find(|factor| *factor != "PASSWORD")
    });
    if let Some(factor) = passwordless {
        let feature = format!("The first factor {factor} (SignInPolicy.AllowedFirstAuthFactors)");
        return Err(unavailable_in_tier(
            &feature,
            "ESSENTIALS or PLUS",
            settings,
        ));
    }
    let trigger_version = config
        .lambda_config
        .pre_token_generation_config
        .as_ref()
        .map(|trigger| trigger.lambda_version.as_str());
    if let Some(version @ ("V2_0" | "V3_0")) = trigger_version {
        let feature = format!(
            "Access token customization (PreTokenGenerationConfig LambdaVersion {version})"
        );
        return Err(unavailable_in_tier(
            &feature,
            "ESSENTIALS or PLUS",
            settings,
        ));
    }
    if config.password_history_size.is_some_and(|size| size > 0) {
        return Err(unavailable_in_tier(
            "Password history (PasswordHistorySize)",
            "ESSENTIALS or PLUS",
            settings,
        ));
    }
    Ok(())
}

/// The service's refusal of a feature the pool's plan lacks.
pub(crate) fn unavailable_in_tier(
    feature: &str,
    needs: &str,
    settings: &PoolSettings,
) -> ServiceError {
    ServiceError::new(
        "FeatureUnavailableInTierException",
        format!(
            "{feature} needs the {needs} feature plan; the UserPoolTier of user pool {} is {}.",
            settings.id, settings.tier
        ),
    )
}

/// TemporaryPasswordValidityDays replaced AdminCreateUserConfig.UnusedAccountValidityDays:
/// either sets how long a temporary password lasts, and they cannot disagree.
fn temporary_password_days(policy: Option<u32>, unused: Option<u32>) -> ServiceResult<u32> {
    match (policy, unused) {
        (Some(policy), Some(unused)) if policy != unused => Err(ServiceError::invalid_parameter(
            "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays",
        )),
        (Some(days), _) | (None, Some(days)) => Ok(days),
        (None, None) => Ok(PasswordPolicy::default().temporary_password_validity_days),
    }
}

fn password_policy(
    input: Option<PasswordPolicyInput>,
) -> ServiceResult<(PasswordPolicy, Option<u32>)> {
    let defaults = PasswordPolicy::default();
    let Some(input) = input else {
        return Ok((defaults, None));
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
    Ok((policy, input.password_history_size))
}

/// Policies.SignInPolicy: the first factors users may choose; a password always remains one.
fn sign_in_policy(policy: Option<SignInPolicyType>) -> ServiceResult<Option<SignInPolicyType>> {
    if let Some(policy) = &policy
        && !policy
            .allowed_first_auth_factors
            .iter()
            .any(|f| f == "PASSWORD")
    {
        return Err(ServiceError::invalid_parameter(
            "AllowedFirstAuthFactors must include PASSWORD.",
        ));
    }
    Ok(policy)
}

/// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: only attributes the
/// pool verifies can wait for verification.
fn verify_before_update(
    settings: Option<UserAttributeUpdateSettingsInput>,
    pool: &PoolSettings,
) -> ServiceResult<Vec<String>> {
    let attributes = settings
        .map(|s| s.attributes_require_verification_before_update)
        .unwrap_or_default();
    if let Some(unverified) = attributes
        .iter()
        .find(|a| !pool.auto_verified_attributes.contains(a))
    {
        return Err(ServiceError::invalid_parameter(format!(
            "The attribute {unverified} in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes."
        )));
    }
    Ok(attributes)
}

/// The invitation must tell the user both their username and their temporary password.
fn invite_template(
    template: Option<MessageTemplateType>,
) -> ServiceResult<Option<MessageTemplateType>> {
    let Some(template) = template else {
        return Ok(None);
    };
    for (member, message) in [
        ("EmailMessage", &template.email_message),
        ("SMSMessage", &template.sms_message),
    ] {
        if let Some(message) = message
            && !(message.contains("{username}") && message.contains("{####}"))
        {
            return Err(ServiceError::invalid_parameter(format!(
                "InviteMessageTemplate.{member} must contain the placeholders {{username}} and {{####}}."
            )));
        }
    }
    Ok(Some(template))
}

fn verification_extras(
    default_email_option: Option<String>,
    email_message_by_link: Option<String>,
    email_subject_by_link: Option<String>,
    sms_message: Option<String>,
) -> ServiceResult<VerificationExtras> {
    if default_email_option.as_deref() == Some("CONFIRM_WITH_LINK")
        && email_message_by_link.is_none()
    {
        return Err(ServiceError::invalid_parameter(
            "EmailMessageByLink is required when DefaultEmailOption is CONFIRM_WITH_LINK.",
        ));
    }
    Ok(VerificationExtras {
        default_email_option,
        email_message_by_link,
        email_subject_by_link,
        sms_message,
    })
}

/// Sending with the pool's own SES identity (DEVELOPER) needs that identity.
fn email_configuration(
    configuration: Option<EmailConfigurationType>,
) -> ServiceResult<Option<EmailConfigurationType>> {
    if let Some(email) = &configuration
        && email.email_sending_account.as_deref() == Some("DEVELOPER")
        && email.source_arn.is_none()
    {
        return Err(ServiceError::invalid_parameter(
            "SourceArn is required when EmailSendingAccount is DEVELOPER.",
        ));
    }
    Ok(configuration)
}

/// AccountRecoverySetting: distinct priorities and mechanisms; `admin_only` stands alone.
fn recovery(
    setting: Option<AccountRecoverySettingType>,
) -> ServiceResult<Option<AccountRecoverySettingType>> {
    let Some(setting) = setting else {
        return Ok(None);
    };
    let mechanisms = &setting.recovery_mechanisms;
    let distinct = |key: fn(&super::config::RecoveryOptionType) -> String| {
        let mut keys: Vec<String> = mechanisms.iter().map(key).collect();
        keys.sort();
        keys.dedup();
        keys.len() == mechanisms.len()
    };
    if !distinct(|m| m.priority.to_string()) || !distinct(|m| m.name.clone()) {
        return Err(ServiceError::invalid_parameter(
            "RecoveryMechanisms must have distinct names and priorities.",
        ));
    }
    if mechanisms.len() > 1 && mechanisms.iter().any(|m| m.name == "admin_only") {
        return Err(ServiceError::invalid_parameter(
            "admin_only cannot be combined with other recovery mechanisms.",
        ));
    }
    Ok(Some(setting))
}

/// MFA ON or OPTIONAL needs a way to send or check a second factor.
fn check_mfa_methods(settings: &PoolSettings) -> ServiceResult<()> {
    let has_method = settings.software_token_mfa
        || settings.config.sms_configuration.is_some()
        || settings.config.sms_mfa.is_some()
        || settings.config.email_mfa.is_some();
    if settings.mfa != MfaConfiguration::Off && !has_method {
        return Err(ServiceError::invalid_parameter(
            "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
        ));
    }
    Ok(())
}
