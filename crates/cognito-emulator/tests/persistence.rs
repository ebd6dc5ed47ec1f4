// SPDX-License-Identifier: Apache-2.0
//! `--data-dir`: an emulator restarted on the same directory serves the same pools, users,
//! TOTP secrets, devices, refresh tokens and signing keys, and forgets what was deleted.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType, UserPoolMfaType};
use common::{Harness, error_code, verified_claims};

#[tokio::test(flavor = "multi_thread")]
// Long: what is made before the restart and checked after it has to be side by side.
async fn a_restart_keeps_users_totp_secrets_devices_tokens_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let (device_key, group_key, device_secret, refresh_token) =
        harness.remembered_device(&pool, "alice").await;
    let device = (device_key.as_str(), group_key.as_str(), &device_secret);
    let alice = harness.device_sign_in(&pool, "alice", device).await;
    let bob_secret = harness.user_with_totp(&pool, "bob").await;
    let bob_spent_code = harness.totp(&bob_secret, 0);
    harness.sign_up(&pool, "carol").await;
    let carol_code = harness.latest_code("carol");
    harness.confirmed_user(&pool, "dave").await;
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("dave")
        .send()
        .await
        .unwrap();
    let deleted_pool = harness.scenario_pool().await;
    harness
        .client
        .delete_user_pool()
        .user_pool_id(&deleted_pool.id)
        .send()
        .await
        .unwrap();
    let jwks_path = format!("/{}/.well-known/jwks.json", pool.id);
    let jwks_before = harness.http_get(&jwks_path).await;

    let harness = harness.restart().await;
    let client = &harness.client;

    // The pool, its settings, its client and its keys.
    let pools = client
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = pools.user_pools().iter().filter_map(|p| p.id()).collect();
    assert_eq!(ids, [pool.id.as_str()]);
    let described = client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(described.mfa_configuration, Some(UserPoolMfaType::On));
    assert_eq!(described.estimated_number_of_users, 3);
    client
        .describe_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(harness.http_get(&jwks_path).await, jwks_before);

    // The users, and not the deleted one.
    let users = client
        .list_users()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = users.users().iter().filter_map(|u| u.username()).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);
    let (code, _) = error_code(
        client
            .admin_get_user()
            .user_pool_id(&pool.id)
            .username("dave")
            .send()
            .await,
    );
    assert_eq!(code, "UserNotFoundException");

    // Tokens issued before the restart: signatures, access token, refresh token.
    let id_claims = verified_claims(&harness, &pool.id, alice.id_token().unwrap()).await;
    assert_eq!(id_claims["cognito:username"], "alice");
    verified_claims(&harness, &pool.id, alice.access_token().unwrap()).await;
    let me = client
        .get_user()
        .access_token(alice.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username, "alice");
    let refreshed = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh_token)
        .auth_parameters("DEVICE_KEY", &device_key)
        .send()
        .await
        .expect("the refresh token from before the restart still works")
        .authentication_result
        .unwrap();
    verified_claims(&harness, &pool.id, refreshed.access_token().unwrap()).await;

    // The remembered device still signs in without a TOTP code.
    let again = harness.device_sign_in(&pool, "alice", device).await;
    assert!(again.access_token().is_some());

    // The TOTP secret is kept, and so is the last step used: that code stays spent.
    let challenge = harness.admin_password_sign_in(&pool, "bob").await;
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let answer = |code: String| {
        client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(challenge.session().unwrap())
            .challenge_responses("USERNAME", "bob")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };
    assert_eq!(
        error_code(answer(bob_spent_code).await).0,
        "ExpiredCodeException"
    );
    harness.clock.advance(Duration::from_secs(30));
    let bob = answer(harness.totp(&bob_secret, 0)).await.unwrap();
    assert!(bob.authentication_result.is_some());

    // The code emailed before the restart confirms the sign-up after it.
    client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username("carol")
        .confirmation_code(carol_code)
        .send()
        .await
        .expect("a code sent before the restart");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_data_dir_nothing_is_written_and_a_restart_starts_empty() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.confirmed_user(&pool, "erin").await;
    let harness = harness.restart().await;
    let pools = harness
        .client
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert!(pools.user_pools().is_empty());
}
