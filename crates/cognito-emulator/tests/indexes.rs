// SPDX-License-Identifier: Apache-2.0
//! Who a name finds: the same users while the emulator runs and after a `--data-dir` restart,
//! because both keep the look-ups (username, email alias, sub) by one rule.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AliasAttributeType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
};
use common::{Harness, Pool, attribute, error_code};

const NEW_PASSWORD: &str = "N3w-Passw0rd!";

/// A pool where a verified email signs in as well as the username, with no MFA.
async fn alias_pool(harness: &Harness) -> Pool {
    let id = harness
        .client
        .create_user_pool()
        .pool_name("aliases")
        .alias_attributes(AliasAttributeType::Email)
        .auto_verified_attributes("email".into())
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client_id = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("aliases")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    Pool { id, client_id }
}

/// What signing in as `name` with `password` answers: the challenge, or the error code.
async fn sign_in_as(harness: &Harness, pool: &Pool, name: &str, password: &str) -> String {
    let answer = harness
        .client
        .admin_initiate_auth()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", name)
        .auth_parameters("PASSWORD", password)
        .send()
        .await;
    match answer {
        Ok(started) => started
            .challenge_name
            .map_or("tokens".to_owned(), |name| name.as_str().to_owned()),
        Err(error) => error_code::<(), _>(Err(error)).0,
    }
}

/// What each name finds: (a sign-in with the new password, AdminGetUser's username).
async fn who_is_found(harness: &Harness, pool: &Pool) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for name in ["ann", "ann@example.com", "bo", "bo@example.com"] {
        let user = harness
            .client
            .admin_get_user()
            .user_pool_id(&pool.id)
            .username(name)
            .send()
            .await
            .map_or_else(
                |error| error_code::<(), _>(Err(error)).0,
                |user| user.username,
            );
        found.push((sign_in_as(harness, pool, name, NEW_PASSWORD).await, user));
    }
    found
}

#[tokio::test]
async fn a_restart_finds_the_same_users_by_username_and_email() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = alias_pool(&harness).await;
    // Ann is invited with a verified email and sets her password at the first sign-in.
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("ann")
        .temporary_password("Temp-Passw0rd!")
        .user_attributes(attribute("email", "ann@example.com"))
        .user_attributes(attribute("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let started = harness
        .client
        .admin_initiate_auth()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ann")
        .auth_parameters("PASSWORD", "Temp-Passw0rd!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    harness
        .client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", "ann")
        .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
        .send()
        .await
        .unwrap();
    // Bo signs up and confirms with the emailed code: the code verifies the email.
    harness
        .client
        .sign_up()
        .client_id(&pool.client_id)
        .username("bo")
        .password(NEW_PASSWORD)
        .user_attributes(attribute("email", "bo@example.com"))
        .send()
        .await
        .unwrap();
    harness
        .client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username("bo")
        .confirmation_code(harness.latest_code("bo"))
        .send()
        .await
        .unwrap();

    let live = who_is_found(&harness, &pool).await;
    let expected = [
        ("tokens", "ann"),
        ("tokens", "ann"),
        ("tokens", "bo"),
        ("tokens", "bo"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(answer, user)| ((*answer).to_owned(), (*user).to_owned()))
        .collect();
    assert_eq!(live, expected, "while running");
    let harness = harness.restart().await;
    assert_eq!(who_is_found(&harness, &pool).await, live, "after a restart");
}
