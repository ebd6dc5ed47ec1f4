// SPDX-License-Identifier: Apache-2.0
//! The token lifecycle: GetTokensFromRefreshToken (with and without refresh-token rotation),
//! RevokeToken, GlobalSignOut and AdminUserGlobalSignOut. A revoked sign-in's refresh token and
//! access tokens are refused; other sign-ins are not; all of it survives a restart.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthenticationResultType, ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType,
};
use common::{Harness, PASSWORD, Pool, error_code, outcome};

/// A pool without MFA, a user `alice` with a permanent password, and a client for password
/// sign-ins configured by `client`.
async fn pool_and_user(
    harness: &Harness,
    client: impl FnOnce(
        aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder,
    ) -> aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder,
) -> Pool {
    let sdk = &harness.client;
    let pool = sdk
        .create_user_pool()
        .pool_name("tokens")
        .send()
        .await
        .unwrap();
    let id = pool.user_pool.unwrap().id.unwrap();
    let builder = sdk
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth);
    let app = client(builder)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    sdk.admin_create_user()
        .user_pool_id(&id)
        .username("alice")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&id)
        .username("alice")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    Pool {
        id,
        client_id: app.client_id.unwrap(),
    }
}

async fn sign_in(harness: &Harness, pool: &Pool) -> AuthenticationResultType {
    harness
        .password_sign_in(pool, "alice", PASSWORD)
        .await
        .expect("password sign-in")
        .authentication_result
        .expect("tokens")
}

/// What GetUser says of the access token of `tokens`.
async fn get_user(
    harness: &Harness,
    tokens: &AuthenticationResultType,
) -> Result<(), (String, String)> {
    harness
        .get_user(tokens.access_token.as_deref().unwrap())
        .await
}

async fn get_tokens(
    harness: &Harness,
    pool: &Pool,
    refresh_token: &str,
) -> Result<AuthenticationResultType, (String, String)> {
    let answer = harness
        .client
        .get_tokens_from_refresh_token()
        .client_id(&pool.client_id)
        .refresh_token(refresh_token)
        .send()
        .await;
    outcome(answer).map(|answer| answer.authentication_result.unwrap())
}

fn revoked_access() -> Result<(), (String, String)> {
    Err((
        "NotAuthorizedException".to_owned(),
        "Access Token has been revoked".to_owned(),
    ))
}

fn refused_refresh<T>(result: Result<T, (String, String)>) -> String {
    match result {
        Ok(_) => panic!("the refresh token still works"),
        Err((code, message)) => {
            assert_eq!(code, "NotAuthorizedException");
            message
        }
    }
}

#[tokio::test]
async fn a_revoked_refresh_token_takes_its_access_tokens_with_it_and_no_other() {
    let harness = Harness::start().await;
    let pool = pool_and_user(&harness, |client| client).await;
    let first = sign_in(&harness, &pool).await;
    let second = sign_in(&harness, &pool).await;
    let first_refresh = first.refresh_token.clone().unwrap();
    let refreshed = get_tokens(&harness, &pool, &first_refresh).await.unwrap();
    assert!(
        refreshed.refresh_token.is_none(),
        "no rotation: no new refresh token"
    );
    assert_eq!(get_user(&harness, &refreshed).await, Ok(()));

    harness
        .client
        .revoke_token()
        .client_id(&pool.client_id)
        .token(&first_refresh)
        .send()
        .await
        .expect("RevokeToken");
    assert_eq!(get_user(&harness, &first).await, revoked_access());
    assert_eq!(get_user(&harness, &refreshed).await, revoked_access());
    let message = refused_refresh(harness.refresh(&pool, &first_refresh).await);
    assert_eq!(message, "Refresh Token has been revoked");
    refused_refresh(get_tokens(&harness, &pool, &first_refresh).await);
    // The other sign-in goes on.
    assert_eq!(get_user(&harness, &second).await, Ok(()));
    harness
        .refresh(&pool, second.refresh_token.as_deref().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn revoke_token_refuses_other_tokens_clients_and_clients_without_revocation() {
    let harness = Harness::start().await;
    let pool = pool_and_user(&harness, |client| client).await;
    let tokens = sign_in(&harness, &pool).await;
    let revoke = |client_id: String, token: String| {
        let request = harness
            .client
            .revoke_token()
            .client_id(client_id)
            .token(token);
        async move { request.send().await }
    };
    let access = tokens.access_token.clone().unwrap();
    assert_eq!(
        error_code(revoke(pool.client_id.clone(), access).await).0,
        "UnsupportedTokenTypeException"
    );
    // Another client of the same pool.
    let other = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("other")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let refresh_token = tokens.refresh_token.clone().unwrap();
    assert_eq!(
        error_code(revoke(other, refresh_token.clone()).await).0,
        "UnauthorizedException"
    );
    let no_revocation =
        pool_and_user(&harness, |client| client.enable_token_revocation(false)).await;
    let kept = sign_in(&harness, &no_revocation).await;
    let kept_refresh = kept.refresh_token.clone().unwrap();
    assert_eq!(
        error_code(revoke(no_revocation.client_id.clone(), kept_refresh).await).0,
        "UnsupportedOperationException"
    );
    // Nothing above revoked anything.
    assert_eq!(get_user(&harness, &tokens).await, Ok(()));
    harness.refresh(&pool, &refresh_token).await.unwrap();
    assert_eq!(get_user(&harness, &kept).await, Ok(()));
}

#[tokio::test]
async fn global_sign_out_ends_every_sign_in_but_not_the_next() {
    let harness = Harness::start().await;
    let pool = pool_and_user(&harness, |client| client).await;
    let first = sign_in(&harness, &pool).await;
    let second = sign_in(&harness, &pool).await;
    harness
        .client
        .global_sign_out()
        .access_token(first.access_token.as_deref().unwrap())
        .send()
        .await
        .expect("GlobalSignOut");
    for tokens in [&first, &second] {
        assert_eq!(get_user(&harness, tokens).await, revoked_access());
        refused_refresh(
            harness
                .refresh(&pool, tokens.refresh_token.as_deref().unwrap())
                .await,
        );
    }
    let after = sign_in(&harness, &pool).await;
    assert_eq!(get_user(&harness, &after).await, Ok(()));

    harness.clock.advance(Duration::from_secs(5));
    harness
        .client
        .admin_user_global_sign_out()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminUserGlobalSignOut");
    assert_eq!(get_user(&harness, &after).await, revoked_access());
    refused_refresh(
        harness
            .refresh(&pool, after.refresh_token.as_deref().unwrap())
            .await,
    );
    let unknown = harness
        .client
        .admin_user_global_sign_out()
        .user_pool_id(&pool.id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(error_code(unknown).0, "UserNotFoundException");
    assert_eq!(
        get_user(&harness, &sign_in(&harness, &pool).await).await,
        Ok(())
    );
}

#[tokio::test]
async fn rotation_issues_a_new_refresh_token_and_retires_the_old_after_the_grace_period() {
    let harness = Harness::start().await;
    let rotation = |grace: i32| {
        move |client: aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder| {
            client.refresh_token_rotation(
                RefreshTokenRotationType::builder()
                    .feature(FeatureType::Enabled)
                    .retry_grace_period_seconds(grace)
                    .build()
                    .unwrap(),
            )
        }
    };
    let pool = pool_and_user(&harness, rotation(10)).await;
    let described = harness
        .client
        .describe_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .refresh_token_rotation
        .unwrap();
    assert_eq!(described.feature, FeatureType::Enabled);
    assert_eq!(described.retry_grace_period_seconds, Some(10));

    let old = sign_in(&harness, &pool).await.refresh_token.unwrap();
    let rotated = get_tokens(&harness, &pool, &old).await.unwrap();
    let new = rotated
        .refresh_token
        .clone()
        .expect("a rotated refresh token");
    assert_ne!(new, old);
    assert_eq!(get_user(&harness, &rotated).await, Ok(()));
    // A client's retry within the grace period still works.
    get_tokens(&harness, &pool, &old).await.unwrap();
    harness.clock.advance(Duration::from_secs(11));
    refused_refresh(get_tokens(&harness, &pool, &old).await);
    let again = get_tokens(&harness, &pool, &new).await.unwrap();
    assert!(again.refresh_token.is_some());

    let strict = pool_and_user(&harness, rotation(0)).await;
    let old = sign_in(&harness, &strict).await.refresh_token.unwrap();
    get_tokens(&harness, &strict, &old).await.unwrap();
    refused_refresh(get_tokens(&harness, &strict, &old).await);
}

#[tokio::test]
async fn revocations_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_and_user(&harness, |client| client).await;
    let revoked = sign_in(&harness, &pool).await;
    let kept = sign_in(&harness, &pool).await;
    harness
        .client
        .revoke_token()
        .client_id(&pool.client_id)
        .token(revoked.refresh_token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    assert_eq!(get_user(&harness, &revoked).await, revoked_access());
    let message = refused_refresh(
        harness
            .refresh(&pool, revoked.refresh_token.as_deref().unwrap())
            .await,
    );
    assert_eq!(message, "Refresh Token has been revoked");
    assert_eq!(get_user(&harness, &kept).await, Ok(()));

    harness
        .client
        .global_sign_out()
        .access_token(kept.access_token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    assert_eq!(get_user(&harness, &kept).await, revoked_access());
    refused_refresh(
        harness
            .refresh(&pool, kept.refresh_token.as_deref().unwrap())
            .await,
    );
}
