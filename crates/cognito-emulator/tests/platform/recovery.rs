// SPDX-License-Identifier: Apache-2.0
//! InitiatePointInTimeRecovery, StartPointInTimeRecovery, CancelPointInTimeRecovery,
//! DescribePointInTimeRecovery, ListPointInTimeRecoveries (raw: SDK 1.144 lacks them): their
//! checks, and a real preview and restore of users and groups across restarts.

mod restore;

use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::types::UserPoolTierType;
use cognito_emulator::Clock;
use serde_json::{Value, json};

use super::support::{pool_in_tier, raw, raw_error};
use crate::common::Harness;

pub(super) const MINUTE: u64 = 60;
pub(super) const DAY: u64 = 86_400;

/// The emulator's time, `ago` seconds back, as the wire writes timestamps.
pub(super) fn seconds_ago(harness: &Harness, ago: u64) -> f64 {
    let now = harness.clock.now().duration_since(UNIX_EPOCH).unwrap();
    now.as_secs_f64() - ago as f64
}

pub(super) async fn initiate(
    harness: &Harness,
    pool_id: &str,
    ago: u64,
) -> Result<Value, (String, String)> {
    let body = json!({ "UserPoolId": pool_id, "RestoreTimestamp": seconds_ago(harness, ago) });
    raw(harness, "InitiatePointInTimeRecovery", body).await
}

#[tokio::test]
async fn the_recovery_point_must_lie_in_the_plans_window() {
    let harness = Harness::start().await;
    let essentials = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let plus = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    let lite = pool_in_tier(&harness, UserPoolTierType::Lite).await;
    harness.clock.advance(Duration::from_secs(20 * MINUTE));
    let code = |result: Result<Value, (String, String)>| result.unwrap_err().0;
    assert_eq!(
        code(initiate(&harness, &essentials.id, 30 * MINUTE).await),
        "InvalidParameterException",
        "before the pool was created"
    );
    harness.clock.advance(Duration::from_secs(15 * DAY));
    assert_eq!(
        code(initiate(&harness, &essentials.id, 10 * MINUTE).await),
        "InvalidParameterException",
        "less than 15 minutes ago"
    );
    assert_eq!(
        code(initiate(&harness, &essentials.id, 2 * DAY).await),
        "InvalidParameterException",
        "Essentials reaches back a day"
    );
    initiate(&harness, &essentials.id, DAY - MINUTE)
        .await
        .expect("within a day");
    initiate(&harness, &plus.id, 13 * DAY)
        .await
        .expect("Plus reaches back 14 days");
    assert_eq!(
        code(initiate(&harness, &plus.id, 14 * DAY + MINUTE).await),
        "InvalidParameterException"
    );
    assert_eq!(
        code(initiate(&harness, &lite.id, 20 * MINUTE).await),
        "FeatureUnavailableInTierException"
    );
    let listed = json!({ "UserPoolId": lite.id });
    let refused = raw_error(&harness, "ListPointInTimeRecoveries", listed).await;
    assert_eq!(refused, "FeatureUnavailableInTierException");
}

#[tokio::test]
async fn a_pool_gets_three_recovery_previews_a_day() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    harness.clock.advance(Duration::from_secs(DAY));
    for _ in 0..3 {
        initiate(&harness, &pool.id, 20 * MINUTE)
            .await
            .expect("Initiate");
    }
    let (code, _) = initiate(&harness, &pool.id, 20 * MINUTE).await.unwrap_err();
    assert_eq!(code, "LimitExceededException");
    harness.clock.advance(Duration::from_secs(DAY));
    initiate(&harness, &pool.id, 20 * MINUTE)
        .await
        .expect("a day later");
}

#[tokio::test]
async fn recoveries_are_listed_newest_first_in_pages_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    harness.clock.advance(Duration::from_secs(DAY));
    let mut ids = Vec::new();
    for _ in 0..3 {
        let started = initiate(&harness, &pool.id, 30 * MINUTE).await.unwrap();
        ids.push(
            started["Restoration"]["RestoreId"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        harness.clock.advance(Duration::from_secs(MINUTE));
    }
    let harness = harness.restart().await;
    let mut listed = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "UserPoolId": pool.id, "MaxResults": 2 });
        if let Some(token) = &token {
            body["NextToken"] = json!(token);
        }
        let page = raw(&harness, "ListPointInTimeRecoveries", body)
            .await
            .unwrap();
        for restoration in page["Restorations"].as_array().unwrap() {
            assert_eq!(restoration["RestoreStatus"], "PREVIEW_GENERATED");
            listed.push(restoration["RestoreId"].as_str().unwrap().to_owned());
        }
        match page["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(listed, ids, "newest first, each once");
    let one = json!({ "UserPoolId": pool.id, "RestoreId": ids[0] });
    raw(&harness, "DescribePointInTimeRecovery", one)
        .await
        .expect("kept");
}
