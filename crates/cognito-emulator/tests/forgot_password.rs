// SPDX-License-Identifier: Apache-2.0
//! Password recovery through the AWS SDK: ForgotPassword, ConfirmForgotPassword and
//! AdminResetUserPassword, their errors, PreventUserExistenceErrors both ways, codes of one
//! purpose refused for another, the lockout after wrong codes, and a restart in between.

mod common;

use std::time::Duration;

use cognito_srp::secret_hash;
use common::{Harness, PASSWORD, Pool, attribute, error_code};

const NEW_PASSWORD: &str = "N3w-Passw0rd!";

/// A pool without MFA, email an alias, and one confirmed user with a verified email.
async fn pool_with_user(harness: &Harness, hides_users: bool, username: &str) -> Pool {
    let pool = harness
        .pool_without_mfa(
            |create| create.alias_attributes("email".into()),
            hides_users,
        )
        .await;
    harness.confirmed_user(&pool, username).await;
    pool
}

async fn forgot(
    harness: &Harness,
    pool: &Pool,
    username: &str,
) -> Result<
    aws_sdk_cognitoidentityprovider::operation::forgot_password::ForgotPasswordOutput,
    aws_sdk_cognitoidentityprovider::error::SdkError<
        aws_sdk_cognitoidentityprovider::operation::forgot_password::ForgotPasswordError,
        aws_sdk_cognitoidentityprovider::config::http::HttpResponse,
    >,
> {
    harness
        .client
        .forgot_password()
        .client_id(&pool.client_id)
        .username(username)
        .send()
        .await
}

async fn confirm(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    code: &str,
    password: &str,
) -> Result<(), (String, String)> {
    let result = harness
        .client
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username(username)
        .confirmation_code(code)
        .password(password)
        .send()
        .await;
    match result {
        Ok(_) => Ok(()),
        failed => Err(error_code(failed)),
    }
}

fn mismatch() -> (String, String) {
    (
        "CodeMismatchException".to_owned(),
        "Invalid verification code provided, please try again.".to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_code_sets_a_new_password_and_the_old_one_stops_signing_in() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "alice").await;
    let sent = forgot(&harness, &pool, "alice")
        .await
        .expect("ForgotPassword");
    let delivery = sent.code_delivery_details.unwrap();
    assert_eq!(delivery.destination(), Some("a***@e***.com"));
    assert_eq!(delivery.delivery_medium().unwrap().as_str(), "EMAIL");
    assert_eq!(delivery.attribute_name(), Some("email"));
    let message = harness.emulator.messages(Some("alice")).pop().unwrap();
    assert_eq!(message.kind, "ForgotPassword");
    assert_eq!(message.destination, "alice@example.com");
    let code = message.code;

    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        confirm(&harness, &pool, "alice", wrong, NEW_PASSWORD).await,
        Err(mismatch())
    );
    let weak = confirm(&harness, &pool, "alice", &code, "short").await;
    assert_eq!(weak.unwrap_err().0, "InvalidPasswordException");
    confirm(&harness, &pool, "alice", &code, NEW_PASSWORD)
        .await
        .expect("ConfirmForgotPassword");

    let old = harness.password_sign_in(&pool, "alice", PASSWORD).await;
    assert_eq!(error_code(old).0, "NotAuthorizedException");
    // By username and by the verified email alias.
    harness.access_token(&pool, "alice", NEW_PASSWORD).await;
    harness
        .access_token(&pool, "alice@example.com", NEW_PASSWORD)
        .await;
    // The code is used up.
    let again = confirm(&harness, &pool, "alice", &code, "An0ther-Passw0rd!").await;
    assert_eq!(again.unwrap_err().0, "ExpiredCodeException");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_users_are_hidden_only_where_the_client_says_so() {
    let harness = Harness::start().await;
    let hiding = pool_with_user(&harness, true, "bea").await;
    let sent = forgot(&harness, &hiding, "nobody")
        .await
        .expect("simulated");
    let destination = sent.code_delivery_details.unwrap().destination.unwrap();
    assert!(destination.contains("***@"), "{destination}");
    let again = forgot(&harness, &hiding, "nobody").await.unwrap();
    assert_eq!(
        again.code_delivery_details.unwrap().destination.unwrap(),
        destination,
        "the same simulated destination every time"
    );
    assert!(harness.emulator.messages(Some("nobody")).is_empty());
    assert_eq!(
        confirm(&harness, &hiding, "nobody", "123456", NEW_PASSWORD).await,
        Err(mismatch())
    );

    let telling = pool_with_user(&harness, false, "cid").await;
    let (code, message) = error_code(forgot(&harness, &telling, "nobody").await);
    assert_eq!(code, "UserNotFoundException");
    assert_eq!(message, "Username/client id combination not found.");
    let refused = confirm(&harness, &telling, "nobody", "123456", NEW_PASSWORD).await;
    assert_eq!(refused.unwrap_err().0, "UserNotFoundException");
    // A known user who asked for no code.
    let refused = confirm(&harness, &telling, "cid", "123456", NEW_PASSWORD).await;
    assert_eq!(refused.unwrap_err().0, "ExpiredCodeException");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_without_a_verified_email_or_with_a_temporary_password_cannot_reset() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "dan").await;
    let no_email = (
        "InvalidParameterException".to_owned(),
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
            .to_owned(),
    );
    harness.sign_up(&pool, "unconfirmed").await;
    assert_eq!(
        error_code(forgot(&harness, &pool, "unconfirmed").await),
        no_email
    );

    let admin = &harness.client;
    admin
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("invited")
        .user_attributes(attribute("email", "invited@example.com"))
        .temporary_password(PASSWORD)
        .send()
        .await
        .unwrap();
    let (code, message) = error_code(forgot(&harness, &pool, "invited").await);
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        message,
        "User password cannot be reset in the current state."
    );
    admin
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username("invited")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(forgot(&harness, &pool, "invited").await),
        no_email,
        "confirmed, but the email is not verified"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_codes_do_not_reset_and_reset_codes_do_not_confirm() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "eve").await;
    harness.sign_up(&pool, "fay").await;
    let sign_up_code = harness.latest_code("fay");
    // An administrator vouches for the email of the unconfirmed user, who can then reset.
    harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("fay")
        .user_attributes(attribute("email_verified", "true"))
        .send()
        .await
        .unwrap();
    forgot(&harness, &pool, "fay")
        .await
        .expect("ForgotPassword");
    let reset_code = harness.latest_code("fay");

    assert_eq!(
        confirm(&harness, &pool, "fay", &sign_up_code, NEW_PASSWORD).await,
        Err(mismatch())
    );
    let confirmed = harness
        .client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username("fay")
        .confirmation_code(&reset_code)
        .send()
        .await;
    assert_eq!(error_code(confirmed).0, "CodeMismatchException");

    confirm(&harness, &pool, "fay", &reset_code, NEW_PASSWORD)
        .await
        .expect("ConfirmForgotPassword");
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("fay")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
    harness.access_token(&pool, "fay", NEW_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_reset_codes_lock_out_and_old_codes_expire() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "gus").await;
    forgot(&harness, &pool, "gus").await.unwrap();
    let first = harness.latest_code("gus");
    forgot(&harness, &pool, "gus").await.unwrap();
    let code = harness.latest_code("gus");
    if first != code {
        let superseded = confirm(&harness, &pool, "gus", &first, NEW_PASSWORD).await;
        assert_eq!(superseded.unwrap_err().0, "ExpiredCodeException");
    }
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(
            confirm(&harness, &pool, "gus", wrong, NEW_PASSWORD).await,
            Err(mismatch())
        );
    }
    let locked = confirm(&harness, &pool, "gus", &code, NEW_PASSWORD).await;
    assert_eq!(locked.unwrap_err().0, "LimitExceededException");
    harness.clock.advance(Duration::from_secs(2));
    confirm(&harness, &pool, "gus", &code, NEW_PASSWORD)
        .await
        .expect("the lock lifts");

    forgot(&harness, &pool, "gus").await.unwrap();
    let late = harness.latest_code("gus");
    harness.clock.advance(Duration::from_secs(25 * 3600));
    let expired = confirm(&harness, &pool, "gus", &late, PASSWORD).await;
    assert_eq!(expired.unwrap_err().0, "ExpiredCodeException");
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_codes_are_limited_to_five_an_hour() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "hal").await;
    for _ in 0..5 {
        forgot(&harness, &pool, "hal")
            .await
            .expect("within the quota");
    }
    assert_eq!(
        error_code(forgot(&harness, &pool, "hal").await).0,
        "LimitExceededException"
    );
    harness.clock.advance(Duration::from_secs(3601));
    forgot(&harness, &pool, "hal").await.expect("an hour later");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_secret_needs_the_secret_hash() {
    let harness = Harness::start().await;
    let pool = harness.pool_with(|flows| flows, Some(true)).await;
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("ida")
        // The pool requires an email, which AdminCreateUser must be given too.
        .user_attributes(common::attribute("email", "ida@example.com"))
        .send()
        .await
        .unwrap();
    let secret = harness.client_secret(&pool).await;
    let (code, message) = error_code(forgot(&harness, &pool, "ida").await);
    assert_eq!(code, "NotAuthorizedException");
    assert!(
        message.starts_with("Unable to verify secret hash"),
        "{message}"
    );
    let confirmed = harness
        .client
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("ida")
        .secret_hash(secret_hash::compute(
            &secret,
            "someone-else",
            &pool.client_id,
        ))
        .confirmation_code("123456")
        .password(NEW_PASSWORD)
        .send()
        .await;
    assert_eq!(error_code(confirmed).0, "NotAuthorizedException");
    let with_hash = harness
        .client
        .forgot_password()
        .client_id(&pool.client_id)
        .username("ida")
        .secret_hash(secret_hash::compute(&secret, "ida", &pool.client_id))
        .send()
        .await;
    // Past the hash: an invited user cannot reset.
    assert_eq!(error_code(with_hash).0, "NotAuthorizedException");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_reset_refuses_the_old_password_until_a_new_one_is_set() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "jo").await;
    let admin = &harness.client;
    let unknown = admin
        .admin_reset_user_password()
        .user_pool_id(&pool.id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(error_code(unknown).0, "UserNotFoundException");
    admin
        .admin_reset_user_password()
        .user_pool_id(&pool.id)
        .username("jo")
        .send()
        .await
        .expect("AdminResetUserPassword");
    let status = |harness: &Harness| {
        let admin = harness.client.clone();
        let pool_id = pool.id.clone();
        async move {
            let user = admin
                .admin_get_user()
                .user_pool_id(pool_id)
                .username("jo")
                .send()
                .await;
            user.unwrap().user_status.unwrap().as_str().to_owned()
        }
    };
    assert_eq!(status(&harness).await, "RESET_REQUIRED");
    let old = harness.password_sign_in(&pool, "jo", PASSWORD).await;
    assert_eq!(error_code(old).0, "PasswordResetRequiredException");
    let message = harness.emulator.messages(Some("jo")).pop().unwrap();
    assert_eq!(message.kind, "AdminResetUserPassword");

    confirm(
        &harness,
        &pool,
        "jo@example.com",
        &message.code,
        NEW_PASSWORD,
    )
    .await
    .expect("ConfirmForgotPassword by the email alias");
    assert_eq!(status(&harness).await, "CONFIRMED");
    harness.access_token(&pool, "jo", NEW_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_under_way_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_with_user(&harness, false, "kim").await;
    harness.confirmed_user(&pool, "lee").await;
    harness
        .client
        .admin_reset_user_password()
        .user_pool_id(&pool.id)
        .username("kim")
        .send()
        .await
        .unwrap();
    let kim_code = harness.latest_code("kim");
    forgot(&harness, &pool, "lee").await.unwrap();
    let lee_code = harness.latest_code("lee");

    let harness = harness.restart().await;
    let old = harness.password_sign_in(&pool, "kim", PASSWORD).await;
    assert_eq!(error_code(old).0, "PasswordResetRequiredException");
    // The email alias of a RESET_REQUIRED user is found after a restart too.
    confirm(&harness, &pool, "kim@example.com", &kim_code, NEW_PASSWORD)
        .await
        .expect("the administrator's reset code");
    confirm(&harness, &pool, "lee", &lee_code, NEW_PASSWORD)
        .await
        .expect("the user's reset code");

    let harness = harness.restart().await;
    for user in ["kim", "lee"] {
        harness.access_token(&pool, user, NEW_PASSWORD).await;
        let old = harness.password_sign_in(&pool, user, PASSWORD).await;
        assert_eq!(error_code(old).0, "NotAuthorizedException");
    }
}
