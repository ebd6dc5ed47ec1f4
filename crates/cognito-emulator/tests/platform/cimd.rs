// SPDX-License-Identifier: Apache-2.0
//! CreateCIMDPolicy, DescribeCIMDPolicy, UpdateCIMDPolicy, DeleteCIMDPolicy, ListCIMDPolicies,
//! ListClientMetadataURLs, UpdateClientMetadataURLState (raw: SDK 1.144 lacks them).

use aws_sdk_cognitoidentityprovider::types::UserPoolTierType;
use serde_json::{Value, json};

use super::support::{pool_in_tier, raw, raw_error};
use crate::common::{Harness, Pool};

const AGENTS: &str = "https://agents.example.com/*";
const TOOLS: &str = "https://tools.example.org/clients/*.json";

async fn create(
    harness: &Harness,
    pool: &Pool,
    patterns: &[&str],
) -> Result<Value, (String, String)> {
    let body = json!({
        "UserPoolId": pool.id, "ClientId": pool.client_id, "PolicyName": "partners",
        "URLPatterns": patterns,
    });
    raw(harness, "CreateCIMDPolicy", body).await
}

fn policy_id(answer: &Value) -> String {
    answer["CIMDPolicy"]["CIMDPolicyId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_policy_is_created_described_updated_and_deleted() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let created = create(&harness, &pool, &[AGENTS])
        .await
        .expect("CreateCIMDPolicy");
    let policy = &created["CIMDPolicy"];
    assert_eq!(policy["CacheDuration"], 86_400, "a day unless set");
    assert_eq!(policy["ClientId"], json!(pool.client_id));
    assert_eq!(policy["URLPatterns"], json!([AGENTS]));
    let id = policy_id(&created);
    let one = json!({ "UserPoolId": pool.id, "CIMDPolicyId": id });
    let described = raw(&harness, "DescribeCIMDPolicy", one.clone())
        .await
        .unwrap();
    assert_eq!(described, created);

    let update = json!({
        "UserPoolId": pool.id, "CIMDPolicyId": id, "ClientId": pool.client_id,
        "URLPatterns": [AGENTS, TOOLS], "CacheDuration": 172_800,
    });
    let updated = raw(&harness, "UpdateCIMDPolicy", update)
        .await
        .expect("UpdateCIMDPolicy");
    assert_eq!(
        updated["CIMDPolicy"]["PolicyName"], "partners",
        "a name left out is kept"
    );
    assert_eq!(updated["CIMDPolicy"]["CacheDuration"], 172_800);
    let keep_cache = json!({
        "UserPoolId": pool.id, "CIMDPolicyId": id, "ClientId": pool.client_id,
        "URLPatterns": [TOOLS], "PolicyName": "tools",
    });
    let renamed = raw(&harness, "UpdateCIMDPolicy", keep_cache).await.unwrap();
    assert_eq!(
        renamed["CIMDPolicy"]["CacheDuration"], 172_800,
        "a duration left out is kept"
    );
    assert_eq!(renamed["CIMDPolicy"]["URLPatterns"], json!([TOOLS]));

    raw(&harness, "DeleteCIMDPolicy", one.clone())
        .await
        .expect("DeleteCIMDPolicy");
    for operation in [
        "DescribeCIMDPolicy",
        "DeleteCIMDPolicy",
        "ListClientMetadataURLs",
    ] {
        let code = raw_error(&harness, operation, one.clone()).await;
        assert_eq!(code, "ResourceNotFoundException", "{operation}");
    }
}

#[tokio::test]
async fn policies_are_checked_against_the_pool_and_their_patterns() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    let code = |result: Result<Value, (String, String)>| result.unwrap_err().0;
    assert_eq!(
        code(create(&harness, &pool, &[AGENTS, AGENTS]).await),
        "InvalidParameterException"
    );
    assert_eq!(
        code(create(&harness, &pool, &["https:///clients/x"]).await),
        "InvalidParameterException"
    );
    assert_eq!(
        code(create(&harness, &pool, &["http://agents.example.com/"]).await),
        "InvalidParameterException"
    );
    let too_short = json!({
        "UserPoolId": pool.id, "ClientId": pool.client_id, "PolicyName": "p",
        "URLPatterns": [AGENTS], "CacheDuration": 3600,
    });
    assert_eq!(
        raw_error(&harness, "CreateCIMDPolicy", too_short).await,
        "InvalidParameterException"
    );
    let stranger = json!({
        "UserPoolId": pool.id, "ClientId": "nosuchclient123", "PolicyName": "p",
        "URLPatterns": [AGENTS],
    });
    assert_eq!(
        raw_error(&harness, "CreateCIMDPolicy", stranger).await,
        "ResourceNotFoundException"
    );
    let lite = pool_in_tier(&harness, UserPoolTierType::Lite).await;
    assert_eq!(
        code(create(&harness, &lite, &[AGENTS]).await),
        "FeatureUnavailableInTierException"
    );
}

#[tokio::test]
async fn nothing_is_cached_so_no_url_is_listed_or_refreshed() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let id = policy_id(&create(&harness, &pool, &[AGENTS]).await.unwrap());
    let one = json!({ "UserPoolId": pool.id, "CIMDPolicyId": id });
    let urls = raw(&harness, "ListClientMetadataURLs", one).await.unwrap();
    assert_eq!(urls, json!({ "ClientMetadataURLs": [] }));
    for action in ["REFRESH", "INVALIDATE"] {
        let state = json!({
            "UserPoolId": pool.id, "CIMDPolicyId": id, "Action": action,
            "URL": "https://agents.example.com/client.json",
        });
        let code = raw_error(&harness, "UpdateClientMetadataURLState", state).await;
        assert_eq!(code, "CachedCIMDURLDoesNotExistException", "{action}");
    }
    let unknown_policy = json!({
        "UserPoolId": pool.id, "CIMDPolicyId": "nosuchpolicy", "Action": "REFRESH",
        "URL": "https://agents.example.com/client.json",
    });
    let code = raw_error(&harness, "UpdateClientMetadataURLState", unknown_policy).await;
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn policies_are_listed_in_pages_lose_a_deleted_client_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let mut ids: Vec<String> = Vec::new();
    for pattern in [AGENTS, TOOLS, "https://third.example.net/*"] {
        ids.push(policy_id(
            &create(&harness, &pool, &[pattern]).await.unwrap(),
        ));
    }
    harness
        .client
        .delete_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .expect("DeleteUserPoolClient");
    let harness = harness.restart().await;
    let mut listed = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "UserPoolId": pool.id, "MaxResults": 2 });
        if let Some(token) = &token {
            body["NextToken"] = json!(token);
        }
        let page = raw(&harness, "ListCIMDPolicies", body).await.unwrap();
        for summary in page["CIMDPolicies"].as_array().unwrap() {
            assert!(
                summary.get("ClientId").is_none(),
                "the client is gone: {summary}"
            );
            listed.push(summary["CIMDPolicyId"].as_str().unwrap().to_owned());
        }
        match page["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    ids.sort();
    assert_eq!(listed, ids);
}
