// SPDX-License-Identifier: Apache-2.0
//! Authentication events and their feedback, risk configuration, log delivery, and token
//! sessions with the session configurations, on a Plus pool of their own with threat
//! protection on.

use serde_json::json;

use super::super::answered;
use crate::common::{Harness, PASSWORD, Pool};

pub async fn operations(harness: &Harness) {
    let created = json!({
        "PoolName": "security", "UserPoolTier": "PLUS", "AutoVerifiedAttributes": ["email"],
        "UserPoolAddOns": { "AdvancedSecurityMode": "AUDIT" },
    });
    let pool_id = answered(harness, "CreateUserPool", created).await["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = json!({
        "UserPoolId": pool_id, "ClientName": "security",
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    let client_id =
        answered(harness, "CreateUserPoolClient", client).await["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
    let pool = Pool {
        id: pool_id,
        client_id,
    };
    let tracking = json!({
        "UserPoolId": pool.id, "UserSessionTracking": "ENABLED",
        "TokenSession": { "MaxPerUser": 10 },
    });
    answered(harness, "SetUserPoolSessionConfiguration", tracking).await;
    harness.confirmed_user(&pool, "sam").await;
    let first = harness.access_token(&pool, "sam", PASSWORD).await;
    harness.access_token(&pool, "sam", PASSWORD).await;
    events(harness, &pool).await;
    sessions(harness, &pool, &first).await;
    settings(harness, &pool).await;
}

async fn events(harness: &Harness, pool: &Pool) {
    let user = json!({ "UserPoolId": pool.id, "Username": "sam" });
    let listed = answered(harness, "AdminListUserAuthEvents", user).await;
    let event_id = listed["AuthEvents"][0]["EventId"]
        .as_str()
        .unwrap()
        .to_owned();
    let feedback = json!({
        "UserPoolId": pool.id, "Username": "sam", "EventId": event_id, "FeedbackValue": "Valid",
    });
    answered(harness, "AdminUpdateAuthEventFeedback", feedback).await;
    let token = cognito_emulator::testing::service(&harness.emulator)
        .auth_event_feedback_token(&pool.id, "sam", &event_id)
        .unwrap();
    let by_user = json!({
        "UserPoolId": pool.id, "Username": "sam", "EventId": event_id,
        "FeedbackToken": token, "FeedbackValue": "Invalid",
    });
    answered(harness, "UpdateAuthEventFeedback", by_user).await;
    // Now with EventFeedback.
    let paged = json!({ "UserPoolId": pool.id, "Username": "sam", "MaxResults": 1 });
    answered(harness, "AdminListUserAuthEvents", paged).await;
}

async fn sessions(harness: &Harness, pool: &Pool, access_token: &str) {
    let user = json!({ "UserPoolId": pool.id, "Username": "sam" });
    let listed = answered(harness, "AdminListUserSessions", user).await;
    let other = listed["Sessions"][1]["SessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let current = listed["Sessions"][0]["SessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    answered(
        harness,
        "ListUserSessions",
        json!({ "AccessToken": access_token }),
    )
    .await;
    let own = json!({ "AccessToken": access_token, "SessionId": other });
    answered(harness, "RevokeUserSession", own).await;
    let by_admin = json!({ "UserPoolId": pool.id, "Username": "sam", "SessionId": current });
    answered(harness, "AdminRevokeUserSession", by_admin).await;
}

async fn settings(harness: &Harness, pool: &Pool) {
    let risk = json!({
        "UserPoolId": pool.id,
        "CompromisedCredentialsRiskConfiguration": {
            "EventFilter": ["SIGN_IN"], "Actions": { "EventAction": "BLOCK" },
        },
        "AccountTakeoverRiskConfiguration": {
            "Actions": { "HighAction": { "Notify": true, "EventAction": "BLOCK" } },
            "NotifyConfiguration": {
                "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                "BlockEmail": { "Subject": "Blocked", "TextBody": "A sign-in was blocked." },
            },
        },
        "RiskExceptionConfiguration": { "SkippedIPRangeList": ["10.0.0.0/8"] },
    });
    answered(harness, "SetRiskConfiguration", risk).await;
    let described = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    answered(harness, "DescribeRiskConfiguration", described).await;
    let logs = json!({
        "UserPoolId": pool.id,
        "LogConfigurations": [{
            "EventSource": "userAuthEvents", "LogLevel": "INFO",
            "FirehoseConfiguration": {
                "StreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/auth",
            },
        }],
    });
    answered(harness, "SetLogDeliveryConfiguration", logs).await;
    let pool_id = json!({ "UserPoolId": pool.id });
    answered(harness, "GetLogDeliveryConfiguration", pool_id.clone()).await;
    answered(harness, "GetUserPoolSessionConfiguration", pool_id).await;
    let client = json!({
        "UserPoolId": pool.id, "ClientId": pool.client_id,
        "SSOSession": { "MaxValidityMinutes": 120 },
    });
    answered(harness, "SetUserPoolClientSessionConfiguration", client).await;
    let client = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    answered(harness, "GetUserPoolClientSessionConfiguration", client).await;
}
