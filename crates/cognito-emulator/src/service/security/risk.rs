// SPDX-License-Identifier: Apache-2.0
//! SetRiskConfiguration and DescribeRiskConfiguration: what threat protection does at each risk
//! level, for the pool or for one app client (a client's own configuration replaces the pool's
//! for that client). Stored, checked and returned: the emulator judges no risk and sees no IP
//! address, so neither the actions nor the IP range lists act on anything.

use std::net::IpAddr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::require_threat_protection;
use super::stored::{SecuritySetting, risk_key};
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Service, ServiceError, ServiceResult};

/// What DescribeRiskConfiguration names as the client of the pool's own configuration.
const EVERY_CLIENT: &str = "ALL";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompromisedCredentialsRisk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_filter: Option<Vec<String>>,
    pub actions: CompromisedCredentialsActions,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompromisedCredentialsActions {
    pub event_action: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverRisk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_configuration: Option<NotifyConfiguration>,
    pub actions: AccountTakeoverActions,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverActions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_action: Option<AccountTakeoverAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium_action: Option<AccountTakeoverAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_action: Option<AccountTakeoverAction>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverAction {
    pub notify: bool,
    pub event_action: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotifyConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    pub source_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_email: Option<NotifyEmail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_action_email: Option<NotifyEmail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_email: Option<NotifyEmail>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotifyEmail {
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_body: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskException {
    #[serde(
        default,
        rename = "BlockedIPRangeList",
        skip_serializing_if = "Option::is_none"
    )]
    pub blocked_ip_range_list: Option<Vec<String>>,
    #[serde(
        default,
        rename = "SkippedIPRangeList",
        skip_serializing_if = "Option::is_none"
    )]
    pub skipped_ip_range_list: Option<Vec<String>>,
}

/// The three parts of a risk configuration, as given and as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskParts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compromised_credentials_risk_configuration: Option<CompromisedCredentialsRisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_takeover_risk_configuration: Option<AccountTakeoverRisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskException>,
}

impl RiskParts {
    fn is_empty(&self) -> bool {
        self.compromised_credentials_risk_configuration.is_none()
            && self.account_takeover_risk_configuration.is_none()
            && self.risk_exception_configuration.is_none()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRisk {
    pub parts: RiskParts,
    pub modified: SystemTime,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetRiskConfigurationRequest {
    pub user_pool_id: String,
    pub client_id: Option<String>,
    #[serde(flatten)]
    pub parts: RiskParts,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeRiskConfigurationRequest {
    pub user_pool_id: String,
    pub client_id: Option<String>,
}

/// The answer of both.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskConfigurationAnswer {
    pub risk_configuration: RiskConfiguration,
}

/// `RiskConfigurationType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskConfiguration {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(flatten)]
    pub parts: RiskParts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
}

impl Service {
    /// Sets the configuration of the pool or of one client; all three parts left out (or null)
    /// deletes it, and the client falls back to the pool's again.
    pub fn set_risk_configuration(
        &self,
        request: SetRiskConfigurationRequest,
    ) -> ServiceResult<RiskConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        if let Some(client_id) = &request.client_id {
            state.client(client_id)?;
        }
        let key = risk_key(request.client_id.as_deref());
        let parts = request.parts;
        if parts.is_empty() {
            state.security_settings.remove(&key);
        } else {
            require_threat_protection(&state.settings)?;
            check_parts(&parts)?;
            let stored = StoredRisk {
                parts: parts.clone(),
                modified: now,
            };
            state
                .security_settings
                .insert(key, SecuritySetting::Risk(Box::new(stored)));
        }
        let client_id = request.client_id;
        let answer = risk_configuration(&state, &request.user_pool_id, client_id.as_deref());
        Ok(answer)
    }

    pub fn describe_risk_configuration(
        &self,
        request: DescribeRiskConfigurationRequest,
    ) -> ServiceResult<RiskConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        if let Some(client_id) = &request.client_id {
            state.client(client_id)?;
        }
        let client_id = request.client_id.as_deref();
        Ok(risk_configuration(&state, &request.user_pool_id, client_id))
    }
}

/// The configuration in force for a client (its own, else the pool's) or for the pool.
fn risk_configuration(
    state: &PoolState,
    pool_id: &str,
    client_id: Option<&str>,
) -> RiskConfigurationAnswer {
    let stored = |key: &str| match state.security_settings.get(key) {
        Some(SecuritySetting::Risk(risk)) => Some(risk),
        _ => None,
    };
    let own = client_id.and_then(|id| Some((id, stored(&risk_key(Some(id)))?)));
    let in_force = own.or_else(|| Some((EVERY_CLIENT, stored(&risk_key(None))?)));
    let risk_configuration = match in_force {
        Some((client, risk)) => RiskConfiguration {
            user_pool_id: pool_id.to_owned(),
            client_id: client.to_owned(),
            parts: risk.parts.clone(),
            last_modified_date: Some(epoch_seconds(risk.modified)),
        },
        None => RiskConfiguration {
            user_pool_id: pool_id.to_owned(),
            client_id: client_id.unwrap_or(EVERY_CLIENT).to_owned(),
            parts: RiskParts::default(),
            last_modified_date: None,
        },
    };
    RiskConfigurationAnswer { risk_configuration }
}

/// What the model cannot say: a notifying action needs the notification's sender, the sender
/// must be an Amazon SES identity, and the IP ranges must be CIDR blocks.
fn check_parts(parts: &RiskParts) -> ServiceResult<()> {
    if let Some(takeover) = &parts.account_takeover_risk_configuration {
        let actions = &takeover.actions;
        let notifies = [
            &actions.low_action,
            &actions.medium_action,
            &actions.high_action,
        ]
        .into_iter()
        .flatten()
        .any(|action| action.notify);
        match &takeover.notify_configuration {
            None if notifies => {
                return Err(ServiceError::invalid_parameter(
                    "AccountTakeoverRiskConfiguration.NotifyConfiguration is required when an action notifies the user.",
                ));
            }
            Some(notify) if notify.source_arn.split(':').nth(2) != Some("ses") => {
                return Err(ServiceError::invalid_parameter(
                    "NotifyConfiguration.SourceArn must be the ARN of an Amazon SES identity.",
                ));
            }
            _ => {}
        }
    }
    if let Some(exceptions) = &parts.risk_exception_configuration {
        let ranges = [
            &exceptions.blocked_ip_range_list,
            &exceptions.skipped_ip_range_list,
        ];
        for range in ranges.into_iter().flatten().flatten() {
            if !is_cidr_block(range) {
                return Err(ServiceError::invalid_parameter(format!(
                    "{range} is not an IP address range in CIDR notation."
                )));
            }
        }
    }
    Ok(())
}

/// An IPv4 or IPv6 address, a slash and a prefix length the address family allows.
fn is_cidr_block(range: &str) -> bool {
    let Some((address, prefix)) = range.split_once('/') else {
        return false;
    };
    let (Ok(address), Ok(prefix)) = (address.parse::<IpAddr>(), prefix.parse::<u8>()) else {
        return false;
    };
    let longest = if address.is_ipv4() { 32 } else { 128 };
    prefix <= longest && !range.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::is_cidr_block;

    #[test]
    fn cidr_blocks_need_an_address_and_a_prefix_its_family_allows() {
        for good in ["192.0.2.0/24", "10.0.0.1/32", "2001:db8::/32", "::/0"] {
            assert!(is_cidr_block(good), "{good}");
        }
        for bad in [
            "192.0.2.0",
            "192.0.2.0/33",
            "2001:db8::/129",
            "example/8",
            "1.2.3/8",
        ] {
            assert!(!is_cidr_block(bad), "{bad}");
        }
    }
}
