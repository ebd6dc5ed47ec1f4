// SPDX-License-Identifier: Apache-2.0
//! Risk configuration (SetRiskConfiguration, DescribeRiskConfiguration) for a pool and for its
//! app clients, and log delivery (Get/SetLogDeliveryConfiguration): stored, checked as the
//! service documents, returned, and kept across a restart.

mod common;
mod security_support;

use aws_sdk_cognitoidentityprovider::types::{
    AccountTakeoverActionType, AccountTakeoverActionsType, AccountTakeoverEventActionType,
    AccountTakeoverRiskConfigurationType, CloudWatchLogsConfigurationType,
    CompromisedCredentialsActionsType, CompromisedCredentialsEventActionType,
    CompromisedCredentialsRiskConfigurationType, EventFilterType, EventSourceName,
    LogConfigurationType, LogLevel, NotifyConfigurationType, NotifyEmailType,
    RiskExceptionConfigurationType, S3ConfigurationType,
};
use common::Harness;
use security_support::{app_client, code_of, threat_pool};

const SES_ARN: &str = "arn:aws:ses:us-east-1:123456789012:identity/security@example.com";
const LOG_GROUP_ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:cognito-auth";
const BUCKET_ARN: &str = "arn:aws:s3:::cognito-auth-logs";

fn compromised_credentials() -> CompromisedCredentialsRiskConfigurationType {
    CompromisedCredentialsRiskConfigurationType::builder()
        .event_filter(EventFilterType::SignIn)
        .event_filter(EventFilterType::PasswordChange)
        .actions(
            CompromisedCredentialsActionsType::builder()
                .event_action(CompromisedCredentialsEventActionType::Block)
                .build()
                .unwrap(),
        )
        .build()
}

fn action(notify: bool, event_action: AccountTakeoverEventActionType) -> AccountTakeoverActionType {
    AccountTakeoverActionType::builder()
        .notify(notify)
        .event_action(event_action)
        .build()
        .unwrap()
}

fn account_takeover(
    notify: Option<NotifyConfigurationType>,
) -> AccountTakeoverRiskConfigurationType {
    AccountTakeoverRiskConfigurationType::builder()
        .actions(
            AccountTakeoverActionsType::builder()
                .low_action(action(false, AccountTakeoverEventActionType::NoAction))
                .medium_action(action(
                    true,
                    AccountTakeoverEventActionType::MfaIfConfigured,
                ))
                .high_action(action(true, AccountTakeoverEventActionType::Block))
                .build(),
        )
        .set_notify_configuration(notify)
        .build()
}

fn notify_from(source_arn: &str) -> NotifyConfigurationType {
    NotifyConfigurationType::builder()
        .source_arn(source_arn)
        .from("security@example.com")
        .block_email(
            NotifyEmailType::builder()
                .subject("Sign-in blocked")
                .text_body("We blocked a sign-in to your account.")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn ranges(blocked: &[&str]) -> RiskExceptionConfigurationType {
    RiskExceptionConfigurationType::builder()
        .set_blocked_ip_range_list(Some(blocked.iter().map(|r| (*r).to_owned()).collect()))
        .skipped_ip_range_list("10.0.0.0/8")
        .build()
}

#[tokio::test]
async fn a_pool_risk_configuration_round_trips_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = threat_pool(&harness, false).await;
    let set = harness
        .client
        .set_risk_configuration()
        .user_pool_id(&pool.id)
        .compromised_credentials_risk_configuration(compromised_credentials())
        .account_takeover_risk_configuration(account_takeover(Some(notify_from(SES_ARN))))
        .risk_exception_configuration(ranges(&["192.0.2.0/24", "2001:db8::/32"]))
        .send()
        .await
        .expect("SetRiskConfiguration")
        .risk_configuration
        .unwrap();
    assert_eq!(set.client_id(), Some("ALL"));
    assert!(set.last_modified_date().is_some());

    let harness = harness.restart().await;
    let described = harness
        .client
        .describe_risk_configuration()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("DescribeRiskConfiguration")
        .risk_configuration
        .unwrap();
    assert_eq!(described, set);
    assert_eq!(described.user_pool_id(), Some(pool.id.as_str()));
    let takeover = described.account_takeover_risk_configuration().unwrap();
    let high = takeover.actions().unwrap().high_action().unwrap();
    assert_eq!(high.event_action(), &AccountTakeoverEventActionType::Block);
    assert_eq!(
        takeover.notify_configuration().unwrap().source_arn(),
        SES_ARN
    );
    let exceptions = described.risk_exception_configuration().unwrap();
    assert_eq!(
        exceptions.blocked_ip_range_list(),
        ["192.0.2.0/24", "2001:db8::/32"]
    );
    let filters = described
        .compromised_credentials_risk_configuration()
        .unwrap()
        .event_filter();
    assert_eq!(
        filters,
        [EventFilterType::SignIn, EventFilterType::PasswordChange]
    );
}

#[tokio::test]
async fn a_client_configuration_replaces_the_pools_for_that_client_until_deleted() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    let other_client = app_client(&harness, &pool.id).await;
    let describe = |client_id: &str| {
        harness
            .client
            .describe_risk_configuration()
            .user_pool_id(&pool.id)
            .client_id(client_id)
            .send()
    };
    let nothing = describe(&pool.client_id)
        .await
        .unwrap()
        .risk_configuration
        .unwrap();
    assert_eq!(nothing.client_id(), Some(pool.client_id.as_str()));
    assert!(
        nothing
            .compromised_credentials_risk_configuration()
            .is_none()
    );
    assert!(nothing.last_modified_date().is_none());

    harness
        .client
        .set_risk_configuration()
        .user_pool_id(&pool.id)
        .risk_exception_configuration(ranges(&["198.51.100.0/24"]))
        .send()
        .await
        .expect("the pool's");
    harness
        .client
        .set_risk_configuration()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .compromised_credentials_risk_configuration(compromised_credentials())
        .send()
        .await
        .expect("the client's");

    let own = describe(&pool.client_id)
        .await
        .unwrap()
        .risk_configuration
        .unwrap();
    assert_eq!(own.client_id(), Some(pool.client_id.as_str()));
    assert!(own.compromised_credentials_risk_configuration().is_some());
    assert!(
        own.risk_exception_configuration().is_none(),
        "no falling back part by part"
    );
    let fallback = describe(&other_client)
        .await
        .unwrap()
        .risk_configuration
        .unwrap();
    assert_eq!(fallback.client_id(), Some("ALL"));
    assert!(fallback.risk_exception_configuration().is_some());

    // Nothing given deletes the client's own: it falls back to the pool's again.
    harness
        .client
        .set_risk_configuration()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .expect("deleting the client's");
    let again = describe(&pool.client_id)
        .await
        .unwrap()
        .risk_configuration
        .unwrap();
    assert_eq!(again.client_id(), Some("ALL"));

    // A deleted client's configuration goes with it.
    harness
        .client
        .set_risk_configuration()
        .user_pool_id(&pool.id)
        .client_id(&other_client)
        .compromised_credentials_risk_configuration(compromised_credentials())
        .send()
        .await
        .unwrap();
    harness
        .client
        .delete_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&other_client)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(describe(&other_client).await),
        "ResourceNotFoundException"
    );
    let stored = cognito_emulator::testing::service(&harness.emulator).stored_form();
    assert!(
        !stored.iter().any(|line| line.contains(&other_client)),
        "{stored:?}"
    );
}

#[tokio::test]
async fn risk_configurations_are_checked_as_the_service_documents() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    let set = || {
        harness
            .client
            .set_risk_configuration()
            .user_pool_id(&pool.id)
    };

    let no_sender = set()
        .account_takeover_risk_configuration(account_takeover(None))
        .send()
        .await;
    assert_eq!(code_of(no_sender), "InvalidParameterException");
    let not_ses = set()
        .account_takeover_risk_configuration(account_takeover(Some(notify_from(
            "arn:aws:sns:us-east-1:123456789012:security-topic",
        ))))
        .send()
        .await;
    assert_eq!(code_of(not_ses), "InvalidParameterException");
    for bad in ["192.0.2.0", "192.0.2.0/33", "not-an-address/8"] {
        let answer = set()
            .risk_exception_configuration(ranges(&[bad]))
            .send()
            .await;
        assert_eq!(code_of(answer), "InvalidParameterException", "{bad}");
    }
    let too_many: Vec<String> = (0..201)
        .map(|n| format!("10.{}.{}.0/24", n / 256, n % 256))
        .collect();
    let refs: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let answer = set()
        .risk_exception_configuration(ranges(&refs))
        .send()
        .await;
    assert_eq!(
        code_of(answer),
        "InvalidParameterException",
        "at most 200 ranges"
    );
    let unknown_client = set()
        .client_id("nosuchclient")
        .compromised_credentials_risk_configuration(compromised_credentials())
        .send()
        .await;
    assert_eq!(code_of(unknown_client), "ResourceNotFoundException");

    let plain = harness.pool_without_mfa(|create| create, false).await;
    let without_threat_protection = harness
        .client
        .set_risk_configuration()
        .user_pool_id(&plain.id)
        .compromised_credentials_risk_configuration(compromised_credentials())
        .send()
        .await;
    assert_eq!(
        code_of(without_threat_protection),
        "UserPoolAddOnNotEnabledException"
    );
    let unknown_pool = harness
        .client
        .describe_risk_configuration()
        .user_pool_id("us-east-1_Nope12345")
        .send()
        .await;
    assert_eq!(code_of(unknown_pool), "ResourceNotFoundException");
}

fn auth_events_to_s3() -> LogConfigurationType {
    LogConfigurationType::builder()
        .event_source(EventSourceName::UserAuthEvents)
        .log_level(LogLevel::Info)
        .s3_configuration(
            S3ConfigurationType::builder()
                .bucket_arn(BUCKET_ARN)
                .build(),
        )
        .build()
        .unwrap()
}

fn notification_errors_to_cloudwatch() -> LogConfigurationType {
    LogConfigurationType::builder()
        .event_source(EventSourceName::UserNotification)
        .log_level(LogLevel::Error)
        .cloud_watch_logs_configuration(
            CloudWatchLogsConfigurationType::builder()
                .log_group_arn(LOG_GROUP_ARN)
                .build(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn log_delivery_round_trips_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = threat_pool(&harness, false).await;
    let get = || {
        harness
            .client
            .get_log_delivery_configuration()
            .user_pool_id(&pool.id)
            .send()
    };
    let none = get().await.unwrap().log_delivery_configuration.unwrap();
    assert!(none.log_configurations().is_empty());
    let set = harness
        .client
        .set_log_delivery_configuration()
        .user_pool_id(&pool.id)
        .log_configurations(notification_errors_to_cloudwatch())
        .log_configurations(auth_events_to_s3())
        .send()
        .await
        .expect("SetLogDeliveryConfiguration")
        .log_delivery_configuration
        .unwrap();
    assert_eq!(set.log_configurations().len(), 2);

    let harness = harness.restart().await;
    let get = || {
        harness
            .client
            .get_log_delivery_configuration()
            .user_pool_id(&pool.id)
            .send()
    };
    let kept = get().await.unwrap().log_delivery_configuration.unwrap();
    assert_eq!(kept, set);
    assert_eq!(kept.user_pool_id(), pool.id);

    // An empty list turns delivery off.
    harness
        .client
        .set_log_delivery_configuration()
        .user_pool_id(&pool.id)
        .set_log_configurations(Some(Vec::new()))
        .send()
        .await
        .unwrap();
    let off = get().await.unwrap().log_delivery_configuration.unwrap();
    assert!(off.log_configurations().is_empty());
}

#[tokio::test]
async fn log_configurations_are_checked_as_the_service_documents() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    let set = |configurations: Vec<LogConfigurationType>| {
        harness
            .client
            .set_log_delivery_configuration()
            .user_pool_id(&pool.id)
            .set_log_configurations(Some(configurations))
            .send()
    };
    let twice = set(vec![auth_events_to_s3(), auth_events_to_s3()]).await;
    assert_eq!(code_of(twice), "InvalidParameterException");
    let two_destinations = LogConfigurationType::builder()
        .event_source(EventSourceName::UserAuthEvents)
        .log_level(LogLevel::Info)
        .s3_configuration(
            S3ConfigurationType::builder()
                .bucket_arn(BUCKET_ARN)
                .build(),
        )
        .cloud_watch_logs_configuration(
            CloudWatchLogsConfigurationType::builder()
                .log_group_arn(LOG_GROUP_ARN)
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        code_of(set(vec![two_destinations]).await),
        "InvalidParameterException"
    );
    let notifications_to_s3 = LogConfigurationType::builder()
        .event_source(EventSourceName::UserNotification)
        .log_level(LogLevel::Error)
        .s3_configuration(
            S3ConfigurationType::builder()
                .bucket_arn(BUCKET_ARN)
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        code_of(set(vec![notifications_to_s3]).await),
        "InvalidParameterException"
    );
    let wrong_level = LogConfigurationType::builder()
        .event_source(EventSourceName::UserAuthEvents)
        .log_level(LogLevel::Error)
        .s3_configuration(
            S3ConfigurationType::builder()
                .bucket_arn(BUCKET_ARN)
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        code_of(set(vec![wrong_level]).await),
        "InvalidParameterException"
    );
    let bucket_as_log_group = LogConfigurationType::builder()
        .event_source(EventSourceName::UserNotification)
        .log_level(LogLevel::Error)
        .cloud_watch_logs_configuration(
            CloudWatchLogsConfigurationType::builder()
                .log_group_arn("arn:aws:s3:us-east-1:123456789012:cognito-auth-logs")
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        code_of(set(vec![bucket_as_log_group]).await),
        "InvalidParameterException"
    );

    let essentials = harness.pool_without_mfa(|create| create, false).await;
    let auth_events = harness
        .client
        .set_log_delivery_configuration()
        .user_pool_id(&essentials.id)
        .log_configurations(auth_events_to_s3())
        .send()
        .await;
    assert_eq!(code_of(auth_events), "FeatureUnavailableInTierException");
    harness
        .client
        .set_log_delivery_configuration()
        .user_pool_id(&essentials.id)
        .log_configurations(notification_errors_to_cloudwatch())
        .send()
        .await
        .expect("notification errors need no Plus plan");
}
