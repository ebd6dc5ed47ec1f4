// SPDX-License-Identifier: Apache-2.0
//! A pool's MFA: SetUserPoolMfaConfig and GetUserPoolMfaConfig. The emulator asks for TOTP
//! codes; the SMS, email and WebAuthn configurations are kept and described, and no text
//! message, email code or passkey is ever asked for.

use serde::{Deserialize, Serialize};

use super::config::{EmailMfaConfigType, SmsMfaConfigType, WebAuthnConfigurationType};
use super::pool::UserPoolIdRequest;
use super::pool_settings::check_feature_plan;
use crate::service::model::{MfaConfiguration, PoolSettings};
use crate::service::{Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    pub mfa_configuration: Option<MfaConfiguration>,
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfigType>,
    pub sms_mfa_configuration: Option<SmsMfaConfigType>,
    pub email_mfa_configuration: Option<EmailMfaConfigType>,
    pub web_authn_configuration: Option<WebAuthnConfigurationType>,
}

/// The answer of SetUserPoolMfaConfig and of GetUserPoolMfaConfig: the pool's MFA as it is now.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMfaConfigAnswer {
    pub mfa_configuration: MfaConfiguration,
    pub software_token_mfa_configuration: SoftwareTokenMfaConfigType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfigurationType>,
}

/// `SoftwareTokenMfaConfigType`, as SetUserPoolMfaConfig is given it and answers it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfigType {
    #[serde(default)]
    pub enabled: bool,
}

impl Service {
    /// What is left out stays as it was.
    pub fn set_user_pool_mfa_config(
        &self,
        request: SetUserPoolMfaConfigRequest,
    ) -> ServiceResult<UserPoolMfaConfigAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let mut next = (*state.settings).clone();
        if let Some(totp) = &request.software_token_mfa_configuration {
            next.software_token_mfa = totp.enabled;
        }
        if let Some(sms) = request.sms_mfa_configuration {
            next.config.sms_mfa = Some(sms);
        }
        if let Some(email) = request.email_mfa_configuration {
            check_email_mfa_sender(&next)?;
            next.config.email_mfa = Some(email);
        }
        if let Some(web_authn) = request.web_authn_configuration {
            next.config.web_authn = Some(web_authn);
        }
        next.mfa = request.mfa_configuration.unwrap_or(next.mfa);
        let has_method = next.software_token_mfa
            || next.config.sms_mfa.is_some()
            || next.config.email_mfa.is_some();
        if next.mfa != MfaConfiguration::Off && !has_method {
            return Err(ServiceError::invalid_parameter(
                "At least one MFA method must be enabled when MFA is required or optional.",
            ));
        }
        check_feature_plan(&next)?;
        next.modified = self.now();
        let answer = mfa_config(&next);
        *state.settings.edit() = next;
        Ok(answer)
    }

    pub fn get_user_pool_mfa_config(
        &self,
        request: UserPoolIdRequest,
    ) -> ServiceResult<UserPoolMfaConfigAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        Ok(mfa_config(&state.settings))
    }
}

/// Email codes are sent with the pool's own Amazon SES identity, never Cognito's default one.
fn check_email_mfa_sender(settings: &PoolSettings) -> ServiceResult<()> {
    let developer = settings
        .config
        .email_configuration
        .as_ref()
        .is_some_and(|email| email.email_sending_account.as_deref() == Some("DEVELOPER"));
    if developer {
        Ok(())
    } else {
        Err(ServiceError::invalid_parameter(
            "Email MFA requires an EmailConfiguration with EmailSendingAccount DEVELOPER.",
        ))
    }
}

fn mfa_config(settings: &PoolSettings) -> UserPoolMfaConfigAnswer {
    UserPoolMfaConfigAnswer {
        mfa_configuration: settings.mfa,
        software_token_mfa_configuration: SoftwareTokenMfaConfigType {
            enabled: settings.software_token_mfa,
        },
        sms_mfa_configuration: settings.config.sms_mfa.clone(),
        email_mfa_configuration: settings.config.email_mfa.clone(),
        web_authn_configuration: settings.config.web_authn.clone(),
    }
}
