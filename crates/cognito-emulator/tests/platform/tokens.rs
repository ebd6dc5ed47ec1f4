// SPDX-License-Identifier: Apache-2.0
//! GetClientToken (client credentials, through the SDK) and GetDerivedToken (token exchange,
//! raw: SDK 1.144 lacks it).

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, OAuthFlowType, ResourceServerScopeType, UserPoolTierType,
};
use serde_json::{Value, json};

use super::support::{pool_in_tier, raw, raw_error};
use crate::common::{Harness, PASSWORD, Pool, error_code, verified_claims};

/// A resource server `orders` with the scopes `read` and `write`.
async fn resource_server(harness: &Harness, pool: &Pool) {
    let scope = |name: &str| {
        ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(name)
            .build()
            .unwrap()
    };
    harness
        .client
        .create_resource_server()
        .user_pool_id(&pool.id)
        .identifier("orders")
        .name("Orders")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .expect("CreateResourceServer");
}

/// A confidential client allowed client credentials with both `orders` scopes: (id, secret).
async fn machine_client(harness: &Harness, pool: &Pool) -> (String, String) {
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("machine")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("orders/read")
        .allowed_o_auth_scopes("orders/write")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    (client.client_id.unwrap(), client.client_secret.unwrap())
}

async fn client_token(
    harness: &Harness,
    client_id: &str,
    secret: &str,
    scopes: Option<Vec<String>>,
) -> Result<(String, i32), (String, String)> {
    harness
        .client
        .get_client_token()
        .client_id(client_id)
        .secret(secret)
        .set_scopes(scopes)
        .send()
        .await
        .map(|answer| {
            let result = answer.client_authentication_result.unwrap();
            assert_eq!(result.token_type.as_deref(), Some("Bearer"));
            (result.access_token.unwrap(), result.expires_in)
        })
        .map_err(|error| error_code::<(), _>(Err(error)))
}

#[tokio::test]
async fn a_machine_client_gets_a_signed_access_token_of_its_own() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    resource_server(&harness, &pool).await;
    let (id, secret) = machine_client(&harness, &pool).await;
    let (token, expires_in) = client_token(&harness, &id, &secret, None).await.unwrap();
    assert_eq!(expires_in, 3600);
    let claims = verified_claims(&harness, &pool.id, &token).await;
    assert_eq!(claims["sub"], json!(id));
    assert_eq!(claims["client_id"], json!(id));
    assert_eq!(claims["token_use"], "access");
    assert_eq!(
        claims["scope"], "orders/read orders/write",
        "every allowed scope"
    );
    assert!(claims.get("username").is_none(), "no user");
    let (narrow, _) = client_token(&harness, &id, &secret, Some(vec!["orders/read".into()]))
        .await
        .unwrap();
    assert_eq!(
        verified_claims(&harness, &pool.id, &narrow).await["scope"],
        "orders/read"
    );
    // A client's token is not a user's: the user's own operations refuse it.
    let (code, _) = harness.get_user(&token).await.unwrap_err();
    assert_eq!(code, "NotAuthorizedException");
}

#[tokio::test]
async fn client_tokens_need_the_secret_the_grant_and_allowed_scopes() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    resource_server(&harness, &pool).await;
    let (id, secret) = machine_client(&harness, &pool).await;
    let last = if secret.ends_with('x') { "y" } else { "x" };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    let code = |result: Result<(String, i32), (String, String)>| result.unwrap_err().0;
    assert_eq!(
        code(client_token(&harness, &id, &wrong, None).await),
        "NotAuthorizedException"
    );
    let unknown_scope = Some(vec!["orders/delete".to_owned()]);
    assert_eq!(
        code(client_token(&harness, &id, &secret, unknown_scope).await),
        "InvalidParameterException"
    );
    assert_eq!(
        code(client_token(&harness, "nosuchclient12345", &secret, None).await),
        "ResourceNotFoundException"
    );
    // A confidential client with only the user flows is not allowed the grant.
    let users_only = harness.pool_with(|flows| flows, Some(true)).await;
    let its_secret = harness.client_secret(&users_only).await;
    assert_eq!(
        code(client_token(&harness, &users_only.client_id, &its_secret, None).await),
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn client_tokens_are_issued_after_a_restart_and_verify_with_the_same_keys() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    resource_server(&harness, &pool).await;
    let (id, secret) = machine_client(&harness, &pool).await;
    let (before, _) = client_token(&harness, &id, &secret, None).await.unwrap();
    let harness = harness.restart().await;
    verified_claims(&harness, &pool.id, &before).await;
    let (after, _) = client_token(&harness, &id, &secret, None).await.unwrap();
    assert_eq!(
        verified_claims(&harness, &pool.id, &after).await["sub"],
        json!(id)
    );
}

/// A client of the pool allowed token exchange by `flows`, and the pool's user `alice` signed
/// in through the pool's own client: (exchanging client id, alice's access token, ID token).
/// The token with one character of its signature changed. Not the last: that one carries
/// only two bits, and putting `A` there leaves a quarter of all signatures as they were.
fn tampered_signature(token: &str) -> String {
    let at = token.len() - 10;
    let changed = if token.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    format!("{}{changed}{}", &token[..at], &token[at + 1..])
}

async fn exchange_setup(
    harness: &Harness,
    pool: &Pool,
    flows: &[ExplicitAuthFlowsType],
) -> (String, String, String) {
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("exchanger")
        .set_explicit_auth_flows(Some(flows.to_vec()))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    harness.confirmed_user(pool, "alice").await;
    let tokens = harness
        .password_sign_in(pool, "alice", PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    (
        client.client_id.unwrap(),
        tokens.access_token.unwrap(),
        tokens.id_token.unwrap(),
    )
}

/// Another user of the pool signed in through the pool's own client: its tokens as
/// [`exchange_setup`] gives them, with no exchanging client.
async fn exchange_setup_for(
    harness: &Harness,
    pool: &Pool,
    username: &str,
) -> ((), String, String) {
    harness.confirmed_user(pool, username).await;
    let tokens = harness
        .password_sign_in(pool, username, PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    ((), tokens.access_token.unwrap(), tokens.id_token.unwrap())
}

fn exchange(client_id: &str, subject: &str, kind: &str) -> Value {
    json!({ "ClientId": client_id, "SubjectToken": subject, "SubjectTokenType": kind })
}

#[tokio::test]
async fn a_users_token_is_exchanged_for_a_narrower_one_bound_to_an_audience() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let impersonation = [ExplicitAuthFlowsType::from(
        "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    )];
    let (exchanger, access, id_token) = exchange_setup(&harness, &pool, &impersonation).await;
    let mut body = exchange(&exchanger, &access, "ACCESS_TOKEN");
    body["Audiences"] = json!(["payments"]);
    let answer = raw(&harness, "GetDerivedToken", body)
        .await
        .expect("GetDerivedToken");
    assert_eq!(answer["IssuedTokenType"], "ACCESS_TOKEN");
    assert_eq!(answer["TokenType"], "Bearer");
    assert_eq!(answer["Scopes"], json!(["aws.cognito.signin.user.admin"]));
    let issued = answer["IssuedToken"].as_str().unwrap();
    let claims = verified_claims(&harness, &pool.id, issued).await;
    let original = verified_claims(&harness, &pool.id, &access).await;
    assert_eq!(claims["sub"], original["sub"]);
    assert_eq!(
        claims["origin_jti"], original["origin_jti"],
        "the same sign-in"
    );
    assert_eq!(claims["client_id"], json!(exchanger));
    assert_eq!(claims["aud"], "payments");
    assert_ne!(claims["jti"], original["jti"]);
    assert!(
        claims["exp"].as_i64() <= original["exp"].as_i64(),
        "never outlives its subject"
    );
    // The issued token is an access token of the pool like any other.
    harness.get_user(issued).await.expect("GetUser takes it");

    let mut as_id = exchange(&exchanger, &id_token, "ID_TOKEN");
    as_id["RequestedTokenType"] = json!("ID_TOKEN");
    let answer = raw(&harness, "GetDerivedToken", as_id)
        .await
        .expect("ID for ID");
    let claims = verified_claims(&harness, &pool.id, answer["IssuedToken"].as_str().unwrap()).await;
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["cognito:username"], "alice");
    assert_eq!(claims["email"], "alice@example.com");
}

#[tokio::test]
async fn only_valid_tokens_of_the_pool_are_exchanged_by_an_allowed_client() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let impersonation = [ExplicitAuthFlowsType::from(
        "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    )];
    let (exchanger, access, id_token) = exchange_setup(&harness, &pool, &impersonation).await;
    let refused = |body: Value| raw_error(&harness, "GetDerivedToken", body);
    let tampered = tampered_signature(&access);
    assert_eq!(
        refused(exchange(&exchanger, &tampered, "ACCESS_TOKEN")).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        refused(exchange(&exchanger, &id_token, "ACCESS_TOKEN")).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        refused(exchange(&exchanger, &access, "SAML2")).await,
        "InvalidParameterException"
    );
    let mut both = exchange(&exchanger, &access, "ACCESS_TOKEN");
    both["Audiences"] = json!(["a"]);
    both["Resources"] = json!(["orders"]);
    assert_eq!(refused(both).await, "InvalidParameterException");
    let mut wider = exchange(&exchanger, &access, "ACCESS_TOKEN");
    wider["Scopes"] = json!(["openid"]);
    assert_eq!(
        refused(wider).await,
        "InvalidParameterException",
        "not in the subject"
    );
    let mut delegated = exchange(&exchanger, &access, "ACCESS_TOKEN");
    delegated["ActorToken"] = json!(access);
    delegated["ActorTokenType"] = json!("ACCESS_TOKEN");
    assert_eq!(
        refused(delegated).await,
        "NotAuthorizedException",
        "delegation not allowed"
    );
    let sign_in_client = exchange(&pool.client_id, &access, "ACCESS_TOKEN");
    assert_eq!(
        refused(sign_in_client).await,
        "NotAuthorizedException",
        "no exchange flow"
    );
    assert_eq!(
        refused(exchange("nosuchclient12345", &access, "ACCESS_TOKEN")).await,
        "ResourceNotFoundException"
    );

    // A confidential exchanging client proves its secret.
    let confidential = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("confidential-exchanger")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::from(
            "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
        ))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    let confidential_id = confidential.client_id.unwrap();
    let secret = confidential.client_secret.unwrap();
    let unproven = exchange(&confidential_id, &access, "ACCESS_TOKEN");
    assert_eq!(
        refused(unproven).await,
        "NotAuthorizedException",
        "no secret"
    );
    let mut proven = exchange(&confidential_id, &access, "ACCESS_TOKEN");
    proven["ClientSecret"] = json!(secret);
    raw(&harness, "GetDerivedToken", proven)
        .await
        .expect("with its secret");

    // Signed out everywhere, the sign-in's tokens can no longer be exchanged.
    let (_, other_access, _) = exchange_setup_for(&harness, &pool, "bob").await;
    harness.clock.advance(std::time::Duration::from_secs(1));
    harness
        .client
        .admin_user_global_sign_out()
        .user_pool_id(&pool.id)
        .username("bob")
        .send()
        .await
        .expect("AdminUserGlobalSignOut");
    let signed_out = exchange(&exchanger, &other_access, "ACCESS_TOKEN");
    assert_eq!(refused(signed_out).await, "NotAuthorizedException");

    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminDeleteUser");
    assert_eq!(
        refused(exchange(&exchanger, &access, "ACCESS_TOKEN")).await,
        "UserNotFoundException"
    );
}

#[tokio::test]
async fn a_delegated_exchange_names_its_actor_and_works_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    let delegation = [ExplicitAuthFlowsType::from(
        "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    )];
    let (exchanger, access, _) = exchange_setup(&harness, &pool, &delegation).await;
    harness.confirmed_user(&pool, "agent").await;
    let agent = harness.access_token(&pool, "agent", PASSWORD).await;
    let harness = harness.restart().await;
    let mut body = exchange(&exchanger, &access, "ACCESS_TOKEN");
    body["ActorToken"] = json!(agent);
    body["ActorTokenType"] = json!("ACCESS_TOKEN");
    let answer = raw(&harness, "GetDerivedToken", body)
        .await
        .expect("GetDerivedToken");
    let claims = verified_claims(&harness, &pool.id, answer["IssuedToken"].as_str().unwrap()).await;
    let agent_sub = verified_claims(&harness, &pool.id, &agent).await["sub"].clone();
    assert_eq!(claims["act"], json!({ "sub": agent_sub }));
    assert_eq!(claims["username"], "alice");
    let without_actor = exchange(&exchanger, &access, "ACCESS_TOKEN");
    let code = raw_error(&harness, "GetDerivedToken", without_actor).await;
    assert_eq!(
        code, "NotAuthorizedException",
        "impersonation is not allowed"
    );
}
