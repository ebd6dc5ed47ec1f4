// SPDX-License-Identifier: Apache-2.0
//! The signed-in user's own account, and the administrator's hold on it, through the AWS SDK for
//! Rust: ChangePassword (inside the sign-in's lockout), DeleteUser, AdminDisableUser and
//! AdminEnableUser, DeleteUserAttributes and AdminDeleteUserAttributes, and all of it kept
//! across a `--data-dir` restart.

mod common;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AliasAttributeType, ExplicitAuthFlowsType, MessageActionType, SchemaAttributeType,
    UserPoolMfaType, VerifiedAttributeType,
};
use common::{Harness, PASSWORD, Pool, attribute, error_code};

const NEW_PASSWORD: &str = "N3w-Battery-Staple!";

fn not_authorized(message: &str) -> (String, String) {
    ("NotAuthorizedException".to_owned(), message.to_owned())
}

/// The scenario's pool with MFA off: a password sign-in brings tokens at once.
async fn pool_without_mfa(harness: &Harness) -> Pool {
    let pool = harness.scenario_pool().await;
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::Off)
        .send()
        .await
        .expect("SetUserPoolMfaConfig OFF");
    pool
}

/// A password sign-in's (access token, refresh token).
async fn tokens(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    password: &str,
) -> (String, String) {
    let result = harness
        .password_sign_in(pool, username, password)
        .await
        .expect("password sign-in")
        .authentication_result
        .expect("tokens");
    (result.access_token.unwrap(), result.refresh_token.unwrap())
}

async fn change_password(
    harness: &Harness,
    access_token: &str,
    previous: &str,
    proposed: &str,
) -> Result<(), (String, String)> {
    let changed = harness
        .client
        .change_password()
        .access_token(access_token)
        .previous_password(previous)
        .proposed_password(proposed)
        .send()
        .await;
    changed
        .map(|_| ())
        .map_err(|error| error_code::<(), _>(Err(error)))
}

async fn sign_in_error(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    password: &str,
) -> (String, String) {
    error_code(harness.password_sign_in(pool, username, password).await)
}

#[tokio::test]
async fn a_changed_password_signs_in_and_the_old_one_no_longer_does() {
    let harness = Harness::start().await;
    let pool = pool_without_mfa(&harness).await;
    harness.confirmed_user(&pool, "alice").await;
    let (access, _) = tokens(&harness, &pool, "alice", PASSWORD).await;

    assert_eq!(
        change_password(&harness, &access, "Wr0ng-guess!", NEW_PASSWORD).await,
        Err(not_authorized("Incorrect username or password."))
    );
    let weak = change_password(&harness, &access, PASSWORD, "short")
        .await
        .unwrap_err();
    assert_eq!(weak.0, "InvalidPasswordException", "{weak:?}");
    let no_previous = harness
        .client
        .change_password()
        .access_token(&access)
        .proposed_password(NEW_PASSWORD)
        .send()
        .await;
    assert_eq!(error_code(no_previous).0, "InvalidParameterException");
    assert_eq!(
        error_code(
            harness
                .client
                .change_password()
                .access_token("not.a.token")
                .previous_password(PASSWORD)
                .proposed_password(NEW_PASSWORD)
                .send()
                .await
        ),
        not_authorized("Invalid Access Token")
    );
    // Refused attempts changed nothing.
    tokens(&harness, &pool, "alice", PASSWORD).await;

    change_password(&harness, &access, PASSWORD, NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        sign_in_error(&harness, &pool, "alice", PASSWORD).await,
        not_authorized("Incorrect username or password.")
    );
    tokens(&harness, &pool, "alice", NEW_PASSWORD).await;
    // The token that changed it still works; the old password is now the wrong one.
    assert_eq!(
        change_password(&harness, &access, PASSWORD, "An0ther-one!").await,
        Err(not_authorized("Incorrect username or password."))
    );
    harness.get_user(&access).await.unwrap();
}

#[tokio::test]
async fn wrong_previous_passwords_count_toward_the_sign_in_lockout() {
    let harness = Harness::start().await;
    let pool = pool_without_mfa(&harness).await;
    harness.confirmed_user(&pool, "alice").await;
    let (access, _) = tokens(&harness, &pool, "alice", PASSWORD).await;
    // Two wrong sign-ins and three wrong previous passwords: five in a row.
    for _ in 0..2 {
        sign_in_error(&harness, &pool, "alice", "Wr0ng-guess!").await;
    }
    for _ in 0..3 {
        assert_eq!(
            change_password(&harness, &access, "Wr0ng-guess!", NEW_PASSWORD).await,
            Err(not_authorized("Incorrect username or password."))
        );
    }
    let exceeded = not_authorized("Password attempts exceeded");
    assert_eq!(
        sign_in_error(&harness, &pool, "alice", PASSWORD).await,
        exceeded
    );
    assert_eq!(
        change_password(&harness, &access, PASSWORD, NEW_PASSWORD).await,
        Err(exceeded.clone())
    );
    // Once the lock has passed, the right previous password changes it, and a right one
    // clears the count.
    harness.clock.advance(Duration::from_secs(2));
    change_password(&harness, &access, PASSWORD, NEW_PASSWORD)
        .await
        .unwrap();
    for _ in 0..4 {
        sign_in_error(&harness, &pool, "alice", "Wr0ng-guess!").await;
    }
    tokens(&harness, &pool, "alice", NEW_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_previous_passwords_sent_at_once_are_judged_no_more_than_the_lockout_allows() {
    let harness = Arc::new(Harness::start().await);
    let pool = pool_without_mfa(&harness).await;
    harness.confirmed_user(&pool, "alice").await;
    let (access, _) = tokens(&harness, &pool, "alice", PASSWORD).await;
    let mut guesses = Vec::new();
    for n in 0..20 {
        let (harness, access) = (harness.clone(), access.clone());
        guesses.push(tokio::spawn(async move {
            let guess = format!("Wr0ng-guess-{n}!");
            change_password(&harness, &access, &guess, NEW_PASSWORD).await
        }));
    }
    let mut judged = 0;
    for guess in guesses {
        let refused = guess.await.unwrap().unwrap_err();
        if refused == not_authorized("Incorrect username or password.") {
            judged += 1;
        } else {
            assert_eq!(refused, not_authorized("Password attempts exceeded"));
        }
    }
    assert_eq!(judged, 5, "wrong previous passwords judged");
}

#[tokio::test]
async fn a_disabled_user_is_refused_everywhere_until_enabled_again() {
    let harness = Harness::start().await;
    let pool = pool_without_mfa(&harness).await;
    harness.confirmed_user(&pool, "alice").await;
    let (access, refresh_token) = tokens(&harness, &pool, "alice", PASSWORD).await;
    let client = &harness.client;
    let enabled = || async {
        client
            .admin_get_user()
            .user_pool_id(&pool.id)
            .username("alice")
            .send()
            .await
            .unwrap()
            .enabled
    };
    assert!(enabled().await);

    client
        .admin_disable_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(!enabled().await);
    let disabled = not_authorized("User is disabled.");
    assert_eq!(
        sign_in_error(&harness, &pool, "alice", PASSWORD).await,
        disabled
    );
    assert_eq!(harness.get_user(&access).await, Err(disabled.clone()));
    assert_eq!(
        harness.refresh(&pool, &refresh_token).await,
        Err(disabled.clone())
    );
    assert_eq!(
        change_password(&harness, &access, PASSWORD, NEW_PASSWORD).await,
        Err(disabled)
    );

    client
        .admin_enable_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(enabled().await);
    tokens(&harness, &pool, "alice", PASSWORD).await;
    harness.get_user(&access).await.unwrap();
    harness.refresh(&pool, &refresh_token).await.unwrap();

    let unknown_user = client
        .admin_disable_user()
        .user_pool_id(&pool.id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(error_code(unknown_user).0, "UserNotFoundException");
    let unknown_pool = client
        .admin_enable_user()
        .user_pool_id("us-east-1_Nope12345")
        .username("alice")
        .send()
        .await;
    assert_eq!(error_code(unknown_pool).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn delete_user_deletes_the_signed_in_user_and_refuses_its_tokens() {
    let harness = Harness::start().await;
    let pool = pool_without_mfa(&harness).await;
    harness.confirmed_user(&pool, "alice").await;
    harness.confirmed_user(&pool, "bob").await;
    let (access, refresh_token) = tokens(&harness, &pool, "alice", PASSWORD).await;
    let client = &harness.client;

    client
        .delete_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let revoked = not_authorized("Access Token has been revoked");
    assert_eq!(harness.get_user(&access).await, Err(revoked.clone()));
    assert_eq!(
        error_code(client.delete_user().access_token(&access).send().await),
        revoked
    );
    assert_eq!(
        harness.refresh(&pool, &refresh_token).await.unwrap_err().0,
        "NotAuthorizedException"
    );
    assert_eq!(
        sign_in_error(&harness, &pool, "alice", PASSWORD).await.0,
        "UserNotFoundException"
    );
    let gone = client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await;
    assert_eq!(error_code(gone).0, "UserNotFoundException");
    // Only alice: bob signs in, and the name can be taken again, by someone the old token
    // does not speak for.
    tokens(&harness, &pool, "bob", PASSWORD).await;
    harness.confirmed_user(&pool, "alice").await;
    assert_eq!(harness.get_user(&access).await, Err(revoked));
    tokens(&harness, &pool, "alice", PASSWORD).await;
}

/// A pool where a verified email is an alias and not required, with a custom attribute and an
/// immutable one; and a client for password sign-in.
async fn alias_pool(harness: &Harness) -> Pool {
    let client = &harness.client;
    let id = client
        .create_user_pool()
        .pool_name("aliases")
        .alias_attributes(AliasAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("team")
                .mutable(true)
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("badge")
                .mutable(false)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    Pool {
        id,
        client_id: app.client_id.unwrap(),
    }
}

/// A confirmed user of [`alias_pool`] with a verified email (which signs in) and both custom
/// attributes.
async fn alias_user(harness: &Harness, pool: &Pool, username: &str) {
    let client = &harness.client;
    client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("email", &format!("{username}@example.com")))
        .user_attributes(attribute("email_verified", "true"))
        .user_attributes(attribute("custom:team", "blue"))
        .user_attributes(attribute("custom:badge", "42"))
        .send()
        .await
        .expect("AdminCreateUser");
    client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
}

async fn attribute_names(harness: &Harness, pool: &Pool, username: &str) -> Vec<String> {
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .unwrap();
    user.user_attributes()
        .iter()
        .map(|a| a.name().to_owned())
        .collect()
}

#[tokio::test]
async fn deleting_the_email_takes_its_verification_and_its_sign_in_with_it() {
    let harness = Harness::start().await;
    let pool = alias_pool(&harness).await;
    alias_user(&harness, &pool, "alice").await;
    let (access, _) = tokens(&harness, &pool, "alice@example.com", PASSWORD).await;
    let delete = |names: &[&str]| {
        let mut call = harness
            .client
            .delete_user_attributes()
            .access_token(&access);
        for name in names {
            call = call.user_attribute_names(*name);
        }
        call.send()
    };

    for refused in [&["sub"][..], &["custom:badge"], &["custom:team", "sub"]] {
        assert_eq!(
            error_code(delete(refused).await).0,
            "InvalidParameterException",
            "{refused:?}"
        );
    }
    assert_eq!(
        attribute_names(&harness, &pool, "alice").await,
        [
            "sub",
            "email",
            "email_verified",
            "custom:team",
            "custom:badge"
        ],
        "a refused request deletes nothing"
    );
    // Attributes the user does not have are no error.
    delete(&["custom:team", "phone_number", "given_name"])
        .await
        .unwrap();
    delete(&["email"]).await.unwrap();
    assert_eq!(
        attribute_names(&harness, &pool, "alice").await,
        ["sub", "custom:badge"]
    );
    assert_eq!(
        sign_in_error(&harness, &pool, "alice@example.com", PASSWORD)
            .await
            .0,
        "UserNotFoundException"
    );
    tokens(&harness, &pool, "alice", PASSWORD).await;
}

#[tokio::test]
async fn admin_delete_user_attributes_keeps_required_ones() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.confirmed_user(&pool, "alice").await;
    let client = &harness.client;
    let delete = |username: &str, name: &str| {
        client
            .admin_delete_user_attributes()
            .user_pool_id(&pool.id)
            .username(username)
            .user_attribute_names(name)
            .send()
    };
    // The scenario's pool requires an email.
    assert_eq!(
        error_code(delete("alice", "email").await).0,
        "InvalidParameterException"
    );
    assert_eq!(
        error_code(delete("alice", "sub").await).0,
        "InvalidParameterException"
    );
    assert_eq!(
        error_code(delete("nobody", "email_verified").await).0,
        "UserNotFoundException"
    );
    delete("alice", "email_verified").await.unwrap();
    assert_eq!(
        attribute_names(&harness, &pool, "alice").await,
        ["sub", "email"]
    );

    let alias = alias_pool(&harness).await;
    alias_user(&harness, &alias, "bob").await;
    let delete = |name: &str| {
        client
            .admin_delete_user_attributes()
            .user_pool_id(&alias.id)
            .username("bob@example.com")
            .user_attribute_names(name)
            .send()
    };
    delete("email").await.unwrap();
    assert_eq!(
        attribute_names(&harness, &alias, "bob").await,
        ["sub", "custom:team", "custom:badge"]
    );
    // The email no longer names bob, for the administrator either.
    assert_eq!(
        error_code(delete("custom:team").await).0,
        "UserNotFoundException"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn account_changes_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_without_mfa(&harness).await;
    let alias = alias_pool(&harness).await;
    for name in ["alice", "bob", "carol"] {
        harness.confirmed_user(&pool, name).await;
    }
    alias_user(&harness, &alias, "dave").await;
    let (alice, _) = tokens(&harness, &pool, "alice", PASSWORD).await;
    change_password(&harness, &alice, PASSWORD, NEW_PASSWORD)
        .await
        .unwrap();
    let client = &harness.client;
    client
        .admin_disable_user()
        .user_pool_id(&pool.id)
        .username("bob")
        .send()
        .await
        .unwrap();
    let (carol, _) = tokens(&harness, &pool, "carol", PASSWORD).await;
    client
        .delete_user()
        .access_token(&carol)
        .send()
        .await
        .unwrap();
    client
        .admin_delete_user_attributes()
        .user_pool_id(&alias.id)
        .username("dave")
        .user_attribute_names("email")
        .send()
        .await
        .unwrap();

    let harness = harness.restart().await;
    assert_eq!(
        sign_in_error(&harness, &pool, "alice", PASSWORD).await,
        not_authorized("Incorrect username or password.")
    );
    tokens(&harness, &pool, "alice", NEW_PASSWORD).await;
    assert_eq!(
        sign_in_error(&harness, &pool, "bob", PASSWORD).await,
        not_authorized("User is disabled.")
    );
    assert_eq!(
        sign_in_error(&harness, &pool, "carol", PASSWORD).await.0,
        "UserNotFoundException"
    );
    assert_eq!(
        harness.get_user(&carol).await.unwrap_err().0,
        "NotAuthorizedException"
    );
    assert_eq!(
        attribute_names(&harness, &alias, "dave").await,
        ["sub", "custom:team", "custom:badge"]
    );
    assert_eq!(
        sign_in_error(&harness, &alias, "dave@example.com", PASSWORD)
            .await
            .0,
        "UserNotFoundException"
    );
}
