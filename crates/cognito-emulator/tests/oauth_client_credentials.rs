// SPDX-License-Identifier: Apache-2.0
//! The client credentials grant of `POST /oauth2/token`: a confidential client's own access
//! token, scoped to the resource-server scopes it is allowed.

mod common;
mod oauth_common;

use common::Harness;
use oauth_common::*;

#[tokio::test]
async fn a_machine_client_gets_an_access_token_for_a_custom_scope() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let (client_id, secret) = machine_client(&harness, &pool, true).await;
    let (status, answer) = token_request(
        &harness,
        Some(&basic(&client_id, &secret)),
        &[("grant_type", "client_credentials"), ("scope", "api/read")],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("id_token").is_none() && answer.get("refresh_token").is_none());
    let claims = checked_claims(
        &harness,
        &pool,
        answer["access_token"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(claims["scope"], "api/read");
    assert_eq!(claims["sub"], client_id.as_str());
    assert_eq!(claims["client_id"], client_id.as_str());
    assert_eq!(claims["token_use"], "access");
    assert!(claims.get("username").is_none());
}

#[tokio::test]
async fn without_a_scope_the_token_has_every_scope_the_client_is_allowed() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let (client_id, secret) = machine_client(&harness, &pool, true).await;
    let (status, answer) = token_request(
        &harness,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        claims_of(answer["access_token"].as_str().unwrap())["scope"],
        "api/read api/write"
    );
}

#[tokio::test]
async fn a_scope_the_client_is_not_allowed_or_that_does_not_exist_is_invalid_scope() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let (client_id, secret) = machine_client(&harness, &pool, false).await;
    for scope in ["api/write", "api/delete", "openid"] {
        let (status, answer) = token_request(
            &harness,
            Some(&basic(&client_id, &secret)),
            &[("grant_type", "client_credentials"), ("scope", scope)],
        )
        .await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_scope")),
            "{scope}"
        );
    }
}

#[tokio::test]
async fn a_client_without_the_flow_is_unauthorized_whether_public_or_confidential() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    machine_client(&harness, &pool, false).await;
    let (status, answer) = token_request(
        &harness,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &pool.client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (client_id, secret) = code_client_with_secret(&harness, &pool).await;
    let (status, answer) = token_request(
        &harness,
        Some(&basic(&client_id, &secret)),
        &[("grant_type", "client_credentials"), ("scope", "api/read")],
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

/// A confidential client of the code grant only.
async fn code_client_with_secret(harness: &Harness, pool: &OAuthPool) -> (String, String) {
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("web-confidential")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(CALLBACK)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    (client.client_id.unwrap(), client.client_secret.unwrap())
}
