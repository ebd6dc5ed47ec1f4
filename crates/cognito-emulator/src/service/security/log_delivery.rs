// SPDX-License-Identifier: Apache-2.0
//! GetLogDeliveryConfiguration and SetLogDeliveryConfiguration: where a pool would export its
//! message-delivery errors (`userNotification`) and its threat-protection activity
//! (`userAuthEvents`). Stored, checked and returned: the emulator delivers no logs anywhere.

use serde::{Deserialize, Serialize};

use super::stored::{LOG_DELIVERY_KEY, SecuritySetting};
use crate::service::model::PoolState;
use crate::service::{Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogConfiguration {
    pub event_source: String,
    pub log_level: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_configuration: Option<CloudWatchLogs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firehose_configuration: Option<Firehose>,
    #[serde(
        default,
        rename = "S3Configuration",
        skip_serializing_if = "Option::is_none"
    )]
    pub s3_configuration: Option<S3>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchLogs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_arn: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Firehose {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_arn: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_arn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetLogDeliveryConfigurationRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetLogDeliveryConfigurationRequest {
    pub user_pool_id: String,
    pub log_configurations: Vec<LogConfiguration>,
}

/// The answer of both.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogDeliveryConfigurationAnswer {
    pub log_delivery_configuration: LogDeliveryConfiguration,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogDeliveryConfiguration {
    pub user_pool_id: String,
    pub log_configurations: Vec<LogConfiguration>,
}

impl Service {
    pub fn get_log_delivery_configuration(
        &self,
        request: GetLogDeliveryConfigurationRequest,
    ) -> ServiceResult<LogDeliveryConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let log_configurations = match pool.lock().security_settings.get(LOG_DELIVERY_KEY) {
            Some(SecuritySetting::LogDelivery(configurations)) => configurations.clone(),
            _ => Vec::new(),
        };
        Ok(answer(request.user_pool_id, log_configurations))
    }

    /// Replaces the pool's log configurations; an empty list turns log delivery off.
    pub fn set_log_delivery_configuration(
        &self,
        request: SetLogDeliveryConfigurationRequest,
    ) -> ServiceResult<LogDeliveryConfigurationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let configurations = request.log_configurations;
        for (n, configuration) in configurations.iter().enumerate() {
            if configurations[..n]
                .iter()
                .any(|earlier| earlier.event_source == configuration.event_source)
            {
                return Err(ServiceError::invalid_parameter(format!(
                    "There can be only one log configuration for the event source {}.",
                    configuration.event_source
                )));
            }
            check_configuration(&state, configuration)?;
        }
        if configurations.is_empty() {
            state.security_settings.remove(LOG_DELIVERY_KEY);
        } else {
            let setting = SecuritySetting::LogDelivery(configurations.clone());
            state
                .security_settings
                .insert(LOG_DELIVERY_KEY.to_owned(), setting);
        }
        Ok(answer(request.user_pool_id, configurations))
    }
}

fn answer(
    user_pool_id: String,
    log_configurations: Vec<LogConfiguration>,
) -> LogDeliveryConfigurationAnswer {
    LogDeliveryConfigurationAnswer {
        log_delivery_configuration: LogDeliveryConfiguration {
            user_pool_id,
            log_configurations,
        },
    }
}

/// One destination, of a kind the event source can go to, at the level it is logged at:
/// `userNotification` errors to CloudWatch Logs; `userAuthEvents` (Plus plan only) at `INFO`
/// to CloudWatch Logs, Amazon S3 or Amazon Data Firehose.
fn check_configuration(state: &PoolState, configuration: &LogConfiguration) -> ServiceResult<()> {
    let destinations = [
        configuration
            .cloud_watch_logs_configuration
            .as_ref()
            .map(|c| ("logs", c.log_group_arn.as_deref())),
        configuration
            .firehose_configuration
            .as_ref()
            .map(|c| ("firehose", c.stream_arn.as_deref())),
        configuration
            .s3_configuration
            .as_ref()
            .map(|c| ("s3", c.bucket_arn.as_deref())),
    ];
    let mut given = destinations.into_iter().flatten();
    let (Some((service, arn)), None) = (given.next(), given.next()) else {
        return Err(ServiceError::invalid_parameter(
            "A log configuration needs exactly one destination: CloudWatchLogsConfiguration, FirehoseConfiguration or S3Configuration.",
        ));
    };
    let Some(arn) = arn else {
        return Err(ServiceError::invalid_parameter(
            "The log destination needs the ARN of its resource.",
        ));
    };
    if arn.split(':').nth(2) != Some(service) {
        return Err(ServiceError::invalid_parameter(format!(
            "{arn} is not the ARN of a {service} resource."
        )));
    }
    match configuration.event_source.as_str() {
        "userNotification" if configuration.log_level != "ERROR" || service != "logs" => {
            Err(ServiceError::invalid_parameter(
                "userNotification logs are delivered at the ERROR level to CloudWatch Logs only.",
            ))
        }
        "userAuthEvents" if configuration.log_level != "INFO" => Err(
            ServiceError::invalid_parameter("userAuthEvents logs are delivered at the INFO level."),
        ),
        "userAuthEvents" if state.settings.tier != "PLUS" => Err(ServiceError::new(
            "FeatureUnavailableInTierException",
            "Exporting user activity logs is available only in the Plus feature plan.",
        )),
        _ => Ok(()),
    }
}
