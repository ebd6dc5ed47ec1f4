// SPDX-License-Identifier: Apache-2.0
//! Token sessions: the pool's session configuration (Get/SetUserPoolSessionConfiguration), the
//! sessions a user's sign-ins open (AdminListUserSessions, ListUserSessions), ending them
//! (AdminRevokeUserSession, RevokeUserSession) and what that does to their tokens, the
//! MaxPerUser limit, and the clients' SSO session configuration. The AWS SDK for Rust this
//! project builds with predates these operations, so they go as raw requests.

mod common;
mod security_support;

use std::time::Duration;

use serde_json::{Value, json};

use common::{Harness, PASSWORD, Pool};
use security_support::code_of;

/// Calls an operation that must succeed and returns its answer.
async fn ok(harness: &Harness, operation: &str, body: Value) -> Value {
    let (status, answer) = harness.call(operation, &body.to_string()).await;
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// Calls an operation that must fail and returns its error code.
async fn refused(harness: &Harness, operation: &str, body: Value) -> String {
    let (status, answer) = harness.call(operation, &body.to_string()).await;
    assert_eq!(status, 400, "{operation}: {answer}");
    let code = answer["__type"].as_str().unwrap_or_default();
    code.rsplit('#').next().unwrap_or_default().to_owned()
}

async fn track_sessions(harness: &Harness, pool: &Pool, max_per_user: u32) {
    let body = json!({
        "UserPoolId": pool.id,
        "UserSessionTracking": "ENABLED",
        "TokenSession": { "MaxPerUser": max_per_user },
    });
    ok(harness, "SetUserPoolSessionConfiguration", body).await;
}

/// A password sign-in: (access token, refresh token).
async fn sign_in(harness: &Harness, pool: &Pool) -> (String, String) {
    harness.clock.advance(Duration::from_secs(1));
    let tokens = harness
        .password_sign_in(pool, "alice", PASSWORD)
        .await
        .expect("InitiateAuth")
        .authentication_result
        .unwrap();
    (tokens.access_token.unwrap(), tokens.refresh_token.unwrap())
}

async fn admin_sessions(harness: &Harness, pool: &Pool) -> Vec<Value> {
    let body = json!({ "UserPoolId": pool.id, "Username": "alice" });
    let answer = ok(harness, "AdminListUserSessions", body).await;
    assert!(answer.get("NextToken").is_none());
    answer["Sessions"].as_array().cloned().unwrap_or_default()
}

fn ids(sessions: &[Value]) -> Vec<String> {
    sessions
        .iter()
        .map(|s| s["SessionId"].as_str().unwrap().to_owned())
        .collect()
}

async fn refresh(harness: &Harness, pool: &Pool, refresh_token: &str) -> Result<(), String> {
    let answer = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh_token)
        .send()
        .await;
    answer.map(|_| ()).map_err(|e| code_of::<(), _>(Err(e)))
}

#[tokio::test]
async fn the_pool_configuration_has_the_service_defaults_until_set_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let get = json!({ "UserPoolId": pool.id });
    let defaults = ok(&harness, "GetUserPoolSessionConfiguration", get.clone()).await;
    assert_eq!(defaults["UserSessionTracking"], "DISABLED");
    assert_eq!(defaults["TokenSession"]["MaxPerUser"], 20);
    assert_eq!(defaults["UserPoolId"], pool.id.as_str());
    track_sessions(&harness, &pool, 7).await;

    let harness = harness.restart().await;
    let kept = ok(&harness, "GetUserPoolSessionConfiguration", get).await;
    assert_eq!(kept["UserSessionTracking"], "ENABLED");
    assert_eq!(kept["TokenSession"]["MaxPerUser"], 7);

    let lite = harness
        .pool_without_mfa(
            |create| {
                create
                    .user_pool_tier(aws_sdk_cognitoidentityprovider::types::UserPoolTierType::Lite)
            },
            false,
        )
        .await;
    let body = json!({
        "UserPoolId": lite.id,
        "UserSessionTracking": "ENABLED",
        "TokenSession": { "MaxPerUser": 5 },
    });
    assert_eq!(
        refused(&harness, "SetUserPoolSessionConfiguration", body).await,
        "FeatureUnavailableInTierException"
    );
    let unknown = json!({ "UserPoolId": "us-east-1_Nope12345" });
    assert_eq!(
        refused(&harness, "GetUserPoolSessionConfiguration", unknown).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn a_pool_that_does_not_track_sessions_lists_none() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "alice").await;
    let (access_token, _) = sign_in(&harness, &pool).await;
    assert!(admin_sessions(&harness, &pool).await.is_empty());
    let own = ok(
        &harness,
        "ListUserSessions",
        json!({ "AccessToken": access_token }),
    )
    .await;
    assert_eq!(own["Sessions"], json!([]));
    let revoke = json!({
        "UserPoolId": pool.id,
        "Username": "alice",
        "SessionId": "tkn0000000000000000000000000",
    });
    assert_eq!(
        refused(&harness, "AdminRevokeUserSession", revoke).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn each_sign_in_opens_a_session_that_its_user_sees_as_current() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    track_sessions(&harness, &pool, 20).await;
    harness.confirmed_user(&pool, "alice").await;
    let (first_access, _) = sign_in(&harness, &pool).await;
    let (second_access, _) = sign_in(&harness, &pool).await;

    let listed = admin_sessions(&harness, &pool).await;
    assert_eq!(listed.len(), 2);
    for session in &listed {
        let id = session["SessionId"].as_str().unwrap();
        assert!(id.len() == 28 && id.starts_with("tkn"), "{id}");
        assert_eq!(session["SessionType"], "TOKEN");
        assert_eq!(session["ClientId"], pool.client_id.as_str());
        assert!(session["CreateDate"].as_f64().is_some());
        assert!(session.get("IsCurrentSession").is_none());
    }
    let own = ok(
        &harness,
        "ListUserSessions",
        json!({ "AccessToken": first_access }),
    )
    .await;
    let current: Vec<bool> = own["Sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["IsCurrentSession"].as_bool().unwrap())
        .collect();
    assert_eq!(
        current,
        [true, false],
        "the first sign-in's token is the first session"
    );

    let harness = harness.restart().await;
    assert_eq!(ids(&admin_sessions(&harness, &pool).await), ids(&listed));
    let own = ok(
        &harness,
        "ListUserSessions",
        json!({ "AccessToken": second_access }),
    )
    .await;
    assert_eq!(own["Sessions"][1]["IsCurrentSession"], true);
    let paged = json!({ "AccessToken": second_access, "NextToken": "more" });
    assert_eq!(
        refused(&harness, "ListUserSessions", paged).await,
        "InvalidParameterException"
    );
}

#[tokio::test]
async fn revoking_a_session_refuses_its_tokens_but_not_the_others() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    track_sessions(&harness, &pool, 20).await;
    harness.confirmed_user(&pool, "alice").await;
    let (first_access, first_refresh) = sign_in(&harness, &pool).await;
    let (second_access, second_refresh) = sign_in(&harness, &pool).await;
    let listed = ids(&admin_sessions(&harness, &pool).await);

    let own_session = json!({ "AccessToken": first_access, "SessionId": listed[0] });
    assert_eq!(
        refused(&harness, "RevokeUserSession", own_session).await,
        "InvalidParameterException",
        "the calling token's own session"
    );
    let other = json!({ "AccessToken": first_access, "SessionId": listed[1] });
    ok(&harness, "RevokeUserSession", other.clone()).await;
    assert_eq!(
        refresh(&harness, &pool, &second_refresh).await,
        Err("NotAuthorizedException".to_owned())
    );
    assert!(harness.get_user(&second_access).await.is_err());
    assert_eq!(refresh(&harness, &pool, &first_refresh).await, Ok(()));
    assert!(harness.get_user(&first_access).await.is_ok());
    assert_eq!(ids(&admin_sessions(&harness, &pool).await), listed[..1]);
    assert_eq!(
        refused(&harness, "RevokeUserSession", other).await,
        "ResourceNotFoundException",
        "a session already ended"
    );

    let by_admin = json!({
        "UserPoolId": pool.id,
        "Username": "alice",
        "SessionId": listed[0],
        "RevokeAssociatedSessions": "LINKED",
    });
    ok(&harness, "AdminRevokeUserSession", by_admin).await;
    assert!(harness.get_user(&first_access).await.is_err());
    assert!(admin_sessions(&harness, &pool).await.is_empty());
    let nobody = json!({
        "UserPoolId": pool.id,
        "Username": "nobody",
        "SessionId": listed[0],
    });
    assert_eq!(
        refused(&harness, "AdminRevokeUserSession", nobody).await,
        "UserNotFoundException"
    );
}

#[tokio::test]
async fn revoke_token_and_a_global_sign_out_end_sessions_too() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    track_sessions(&harness, &pool, 20).await;
    harness.confirmed_user(&pool, "alice").await;
    let (_, first_refresh) = sign_in(&harness, &pool).await;
    sign_in(&harness, &pool).await;
    let (_, third_refresh) = sign_in(&harness, &pool).await;
    let opened = ids(&admin_sessions(&harness, &pool).await);
    let revoke = |token: String| {
        harness
            .client
            .revoke_token()
            .client_id(&pool.client_id)
            .token(token)
            .send()
    };
    revoke(first_refresh).await.expect("RevokeToken");
    assert_eq!(ids(&admin_sessions(&harness, &pool).await), opened[1..]);
    // A day on, the first sign-in's access tokens have expired and the user forgets it was
    // revoked; its session stays ended all the same.
    harness.clock.advance(Duration::from_secs(25 * 3600));
    revoke(third_refresh).await.expect("RevokeToken");
    assert_eq!(ids(&admin_sessions(&harness, &pool).await), opened[1..2]);
    harness
        .client
        .admin_user_global_sign_out()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminUserGlobalSignOut");
    assert!(admin_sessions(&harness, &pool).await.is_empty());
}

#[tokio::test]
async fn past_max_per_user_a_sign_in_ends_the_least_recently_used_session() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    track_sessions(&harness, &pool, 2).await;
    harness.confirmed_user(&pool, "alice").await;
    let (_, oldest_refresh) = sign_in(&harness, &pool).await;
    let (_, second_refresh) = sign_in(&harness, &pool).await;
    // Refreshing makes the oldest session the most recently used.
    harness.clock.advance(Duration::from_secs(1));
    assert_eq!(refresh(&harness, &pool, &oldest_refresh).await, Ok(()));
    let before = admin_sessions(&harness, &pool).await;
    assert!(before[0]["LastActiveDate"].as_f64() > before[0]["CreateDate"].as_f64());

    sign_in(&harness, &pool).await;
    let after = admin_sessions(&harness, &pool).await;
    assert_eq!(after.len(), 2);
    assert_eq!(after[0]["SessionId"], before[0]["SessionId"]);
    assert_ne!(after[1]["SessionId"], before[1]["SessionId"]);
    assert_eq!(
        refresh(&harness, &pool, &second_refresh).await,
        Err("NotAuthorizedException".to_owned()),
        "the evicted session's refresh token is revoked"
    );
    assert_eq!(refresh(&harness, &pool, &oldest_refresh).await, Ok(()));
}

#[tokio::test]
async fn a_client_session_configuration_needs_tracking_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let get = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    let defaults = ok(
        &harness,
        "GetUserPoolClientSessionConfiguration",
        get.clone(),
    )
    .await;
    assert_eq!(defaults["SSOSession"]["MaxValidityMinutes"], 60);
    assert_eq!(defaults["ClientId"], pool.client_id.as_str());
    let set = json!({
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "SSOSession": { "MaxValidityMinutes": 43200 },
    });
    assert_eq!(
        refused(
            &harness,
            "SetUserPoolClientSessionConfiguration",
            set.clone()
        )
        .await,
        "InvalidParameterException",
        "session tracking is off"
    );
    track_sessions(&harness, &pool, 20).await;
    let answer = ok(&harness, "SetUserPoolClientSessionConfiguration", set).await;
    assert_eq!(answer["SSOSession"]["MaxValidityMinutes"], 43200);

    let harness = harness.restart().await;
    let kept = ok(&harness, "GetUserPoolClientSessionConfiguration", get).await;
    assert_eq!(kept["SSOSession"]["MaxValidityMinutes"], 43200);
    let unknown = json!({ "UserPoolId": pool.id, "ClientId": "nosuchclient" });
    assert_eq!(
        refused(&harness, "GetUserPoolClientSessionConfiguration", unknown).await,
        "ResourceNotFoundException"
    );
}
