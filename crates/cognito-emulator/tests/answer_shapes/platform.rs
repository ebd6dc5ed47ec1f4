// SPDX-License-Identifier: Apache-2.0
//! Replicas, point-in-time recovery, CIMD policies, provisioned limits, client and derived
//! tokens, on pools of their own.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::answered;
use crate::common::{Harness, PASSWORD};

/// Operations every answer of which is a documented error, since the state they act on never
/// exists in the emulator: a cached metadata document (UpdateClientMetadataURLState). They are
/// called below and must refuse.
pub const ALWAYS_REFUSED: &[&str] = &["UpdateClientMetadataURLState"];

pub async fn operations(harness: &Harness) {
    let created = answered(
        harness,
        "CreateUserPool",
        json!({ "PoolName": "platform-shapes", "UserPoolTier": "PLUS" }),
    )
    .await;
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    replicas(harness, &pool_id).await;
    recovery(harness, &pool_id).await;
    cimd(harness, &pool_id).await;
    limits(harness).await;
    tokens(harness, &pool_id).await;
}

async fn replicas(harness: &Harness, pool_id: &str) {
    let replica = json!({ "UserPoolId": pool_id, "RegionName": "eu-west-1" });
    let mut tagged = replica.clone();
    tagged["UserPoolTags"] = json!({ "team": "identity" });
    answered(harness, "CreateUserPoolReplica", tagged).await;
    let mut status = replica.clone();
    status["Status"] = json!("INACTIVE");
    answered(harness, "UpdateUserPoolReplica", status).await;
    answered(
        harness,
        "ListUserPoolReplicas",
        json!({ "UserPoolId": pool_id }),
    )
    .await;
    answered(harness, "DeleteUserPoolReplica", replica).await;
}

async fn recovery(harness: &Harness, pool_id: &str) {
    harness.clock.advance(Duration::from_secs(3600));
    let now = cognito_emulator::Clock::now(&*harness.clock);
    let point = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        - 1800.0;
    let initiate = json!({ "UserPoolId": pool_id, "RestoreTimestamp": point });
    let started = answered(harness, "InitiatePointInTimeRecovery", initiate).await;
    let one = json!({
        "UserPoolId": pool_id, "RestoreId": started["Restoration"]["RestoreId"],
    });
    answered(harness, "DescribePointInTimeRecovery", one.clone()).await;
    let list = json!({ "UserPoolId": pool_id, "MaxResults": 1 });
    answered(harness, "ListPointInTimeRecoveries", list).await;
    answered(harness, "CancelPointInTimeRecovery", one.clone()).await;
    assert_refused(
        harness,
        "StartPointInTimeRecovery",
        one,
        "InvalidParameterException",
    )
    .await;
    let initiate = json!({ "UserPoolId": pool_id, "RestoreTimestamp": point });
    let started = answered(harness, "InitiatePointInTimeRecovery", initiate).await;
    let another = json!({
        "UserPoolId": pool_id, "RestoreId": started["Restoration"]["RestoreId"],
    });
    answered(harness, "StartPointInTimeRecovery", another).await;
}

async fn cimd(harness: &Harness, pool_id: &str) {
    let client = answered(
        harness,
        "CreateUserPoolClient",
        json!({ "UserPoolId": pool_id, "ClientName": "cimd" }),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"].clone();
    let policy = json!({
        "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": "agents",
        "URLPatterns": ["https://agents.example.com/*"], "CacheDuration": 86_400,
    });
    let created = answered(harness, "CreateCIMDPolicy", policy.clone()).await;
    let id = created["CIMDPolicy"]["CIMDPolicyId"].clone();
    let one = json!({ "UserPoolId": pool_id, "CIMDPolicyId": id });
    answered(harness, "DescribeCIMDPolicy", one.clone()).await;
    let mut update = policy;
    update["CIMDPolicyId"] = id.clone();
    answered(harness, "UpdateCIMDPolicy", update).await;
    answered(
        harness,
        "ListCIMDPolicies",
        json!({ "UserPoolId": pool_id, "MaxResults": 1 }),
    )
    .await;
    answered(harness, "ListClientMetadataURLs", one.clone()).await;
    let state = json!({
        "UserPoolId": pool_id, "CIMDPolicyId": id, "Action": "REFRESH",
        "URL": "https://agents.example.com/client.json",
    });
    let not_cached = "CachedCIMDURLDoesNotExistException";
    assert_refused(harness, "UpdateClientMetadataURLState", state, not_cached).await;
    answered(harness, "DeleteCIMDPolicy", one).await;
}

async fn limits(harness: &Harness) {
    let definition =
        json!({ "LimitClass": "API_CATEGORY", "Attributes": { "Category": "UserToken" } });
    let get = json!({ "LimitDefinition": definition });
    answered(harness, "GetProvisionedLimit", get).await;
    let update = json!({ "LimitDefinition": definition, "RequestedLimitValue": 120 });
    answered(harness, "UpdateProvisionedLimit", update).await;
}

async fn tokens(harness: &Harness, pool_id: &str) {
    let server = json!({
        "UserPoolId": pool_id, "Identifier": "orders", "Name": "Orders",
        "Scopes": [{ "ScopeName": "read", "ScopeDescription": "read" }],
    });
    answered(harness, "CreateResourceServer", server).await;
    let machine = answered(
        harness,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "machine", "GenerateSecret": true,
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["orders/read"],
        }),
    )
    .await;
    let machine = &machine["UserPoolClient"];
    let grant = json!({ "ClientId": machine["ClientId"], "Secret": machine["ClientSecret"] });
    answered(harness, "GetClientToken", grant).await;

    let exchanger = answered(
        harness,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "exchanger",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"],
        }),
    )
    .await;
    let exchanger_id = exchanger["UserPoolClient"]["ClientId"].clone();
    let user = json!({
        "UserPoolId": pool_id, "Username": "dana", "TemporaryPassword": PASSWORD,
        "MessageAction": "SUPPRESS",
    });
    answered(harness, "AdminCreateUser", user).await;
    let password = json!({
        "UserPoolId": pool_id, "Username": "dana", "Password": PASSWORD, "Permanent": true,
    });
    answered(harness, "AdminSetUserPassword", password).await;
    let sign_in = json!({
        "ClientId": exchanger_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": { "USERNAME": "dana", "PASSWORD": PASSWORD },
    });
    let tokens = answered(harness, "InitiateAuth", sign_in).await;
    let exchange = json!({
        "ClientId": exchanger_id, "SubjectTokenType": "ACCESS_TOKEN",
        "SubjectToken": tokens["AuthenticationResult"]["AccessToken"],
        "Audiences": ["payments"],
    });
    answered(harness, "GetDerivedToken", exchange).await;
}

async fn assert_refused(harness: &Harness, operation: &str, body: Value, code: &str) {
    let (status, answer) = harness.call(operation, &body.to_string()).await;
    assert_eq!(status, 400, "{operation}: {answer}");
    assert_eq!(answer["__type"], code, "{operation}: {answer}");
}
