// SPDX-License-Identifier: Apache-2.0
//! What a pool and an app client were configured with beyond what the emulator acts on, kept
//! as given and described back: each type is the API's shape of the same name, read from
//! CreateUserPool/UpdateUserPool (or the client operations) and written into their answers.
//! They are stored on `PoolSettings::config` and `AppClient`, so each field defaults when read
//! from a data directory written before it existed.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The parts of a pool's configuration the emulator keeps and describes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PoolConfig {
    #[serde(default)]
    pub email_configuration: Option<EmailConfigurationType>,
    #[serde(default)]
    pub sms_configuration: Option<SmsConfigurationType>,
    #[serde(default)]
    pub lambda_config: LambdaConfigType,
    #[serde(default)]
    pub account_recovery_setting: Option<AccountRecoverySettingType>,
    /// Policies.SignInPolicy; `None` describes as password sign-in only.
    #[serde(default)]
    pub sign_in_policy: Option<SignInPolicyType>,
    #[serde(default)]
    pub password_history_size: Option<u32>,
    #[serde(default)]
    pub sms_authentication_message: Option<String>,
    #[serde(default)]
    pub sms_verification_message: Option<String>,
    /// VerificationMessageTemplate, less the email code message and subject (kept on
    /// `PoolSettings`, where sign-up reads them).
    #[serde(default)]
    pub verification: VerificationExtras,
    /// AdminCreateUserConfig.InviteMessageTemplate.
    #[serde(default)]
    pub invite_message_template: Option<MessageTemplateType>,
    /// UserPoolAddOns.AdvancedSecurityAdditionalFlows.
    #[serde(default)]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlowsType>,
    /// UserPoolTags, and what TagResource/UntagResource did since.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// SetUserPoolMfaConfig's SmsMfaConfiguration: stored, no SMS is sent.
    #[serde(default)]
    pub sms_mfa: Option<SmsMfaConfigType>,
    /// SetUserPoolMfaConfig's EmailMfaConfiguration: stored, the emulator asks no email code.
    #[serde(default)]
    pub email_mfa: Option<EmailMfaConfigType>,
    /// SetUserPoolMfaConfig's WebAuthnConfiguration: stored, no passkeys are emulated.
    #[serde(default)]
    pub web_authn: Option<WebAuthnConfigurationType>,
}

/// VerificationMessageTemplate's members besides EmailMessage and EmailSubject.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct VerificationExtras {
    #[serde(default)]
    pub default_email_option: Option<String>,
    #[serde(default)]
    pub email_message_by_link: Option<String>,
    #[serde(default)]
    pub email_subject_by_link: Option<String>,
    #[serde(default)]
    pub sms_message: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfigurationType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    /// `COGNITO_DEFAULT` or `DEVELOPER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SmsConfigurationType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_caller_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eums_sms: Option<EumsSmsConfigurationType>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct EumsSmsConfigurationType {
    pub caller_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_entity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_template_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origination_identity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// `LambdaConfigType`: the triggers, kept and described; the emulator invokes none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaConfigType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_auth_challenge_response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation_config: Option<LambdaVersionConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "CustomSMSSender")]
    pub custom_sms_sender: Option<LambdaVersionConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<LambdaVersionConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "KMSKeyID")]
    pub kms_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_federation: Option<LambdaVersionConfig>,
}

/// A versioned trigger (`PreTokenGenerationVersionConfigType`, `CustomSMSLambdaVersionConfigType`,
/// ...): they all have these two members.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaVersionConfig {
    pub lambda_version: String,
    pub lambda_arn: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRecoverySettingType {
    #[serde(default)]
    pub recovery_mechanisms: Vec<RecoveryOptionType>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryOptionType {
    pub priority: u32,
    /// `verified_email`, `verified_phone_number` or `admin_only`.
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicyType {
    #[serde(default)]
    pub allowed_first_auth_factors: Vec<String>,
}

/// `MessageTemplateType`: the invitation AdminCreateUser sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct MessageTemplateType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "SMSMessage")]
    pub sms_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedSecurityAdditionalFlowsType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfigType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfigurationType>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfigType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnConfigurationType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_configuration: Option<String>,
}

/// An app client's OAuth 2.0 settings (for the hosted pages and the token endpoint).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ClientOAuth {
    #[serde(default)]
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub logout_urls: Vec<String>,
    #[serde(default)]
    pub default_redirect_uri: Option<String>,
    /// `code`, `implicit`, `client_credentials`.
    #[serde(default)]
    pub flows: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// AllowedOAuthFlowsUserPoolClient: whether the flows may be used at all.
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub identity_providers: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AnalyticsConfigurationType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data_shared: Option<bool>,
}

/// One of an app client's secrets: any live one signs SECRET_HASH and authenticates the
/// client, so a secret can be rotated without downtime.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientSecret {
    pub id: String,
    pub value: Zeroizing<String>,
    pub created: SystemTime,
}
