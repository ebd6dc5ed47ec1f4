// SPDX-License-Identifier: Apache-2.0
//! Attribute changes through the AWS SDK: UpdateUserAttributes, AdminUpdateUserAttributes,
//! GetUserAttributeVerificationCode and VerifyUserAttribute; the schema's limits, a new email's
//! verification (at once or, with UserAttributeUpdateSettings, before it replaces the old), the
//! email alias following it, codes of one purpose refused for another, and a restart.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    SchemaAttributeType, UserAttributeUpdateSettingsType, VerifiedAttributeType,
};
use common::{Harness, PASSWORD, Pool, attribute, error_code};

/// A pool without MFA, email an alias, a `custom:tier` nobody may change, and, with `before`,
/// a new email verified before it replaces the old one; with one confirmed user.
async fn pool_with_user(harness: &Harness, before: bool, username: &str) -> Pool {
    let pool = harness
        .pool_without_mfa(
            |create| {
                let settings = UserAttributeUpdateSettingsType::builder()
                    .set_attributes_require_verification_before_update(
                        before.then(|| vec![VerifiedAttributeType::Email]),
                    )
                    .build();
                create
                    .alias_attributes("email".into())
                    .schema(
                        SchemaAttributeType::builder()
                            .name("tier")
                            .attribute_data_type("String".into())
                            .mutable(false)
                            .build(),
                    )
                    .user_attribute_update_settings(settings)
            },
            false,
        )
        .await;
    harness.confirmed_user(&pool, username).await;
    pool
}

/// The user's attributes as GetUser answers them.
async fn attributes(harness: &Harness, token: &str) -> Vec<(String, String)> {
    let user = harness
        .client
        .get_user()
        .access_token(token)
        .send()
        .await
        .unwrap();
    user.user_attributes()
        .iter()
        .map(|a| {
            (
                a.name().to_owned(),
                a.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn value<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

async fn update(harness: &Harness, token: &str, name: &str, value: &str) -> Result<usize, String> {
    let result = harness
        .client
        .update_user_attributes()
        .access_token(token)
        .user_attributes(attribute(name, value))
        .send()
        .await;
    match result {
        Ok(answer) => Ok(answer.code_delivery_details_list().len()),
        failed => Err(error_code(failed).0),
    }
}

async fn verify(harness: &Harness, token: &str, code: &str) -> Result<(), String> {
    let result = harness
        .client
        .verify_user_attribute()
        .access_token(token)
        .attribute_name("email")
        .code(code)
        .send()
        .await;
    result
        .map(|_| ())
        .map_err(|e| error_code(Err::<(), _>(e)).0)
}

/// Whether a password sign-in with this name (username or email alias) succeeds.
async fn signs_in(harness: &Harness, pool: &Pool, name: &str) -> bool {
    harness.password_sign_in(pool, name, PASSWORD).await.is_ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_email_is_unverified_until_its_code_and_the_alias_follows_it() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "amy").await;
    let token = harness.access_token(&pool, "amy", PASSWORD).await;
    let answer = harness
        .client
        .update_user_attributes()
        .access_token(&token)
        .user_attributes(attribute("nickname", "ames"))
        .user_attributes(attribute("email", "amy@new.example.org"))
        .send()
        .await
        .expect("UpdateUserAttributes");
    let delivery = &answer.code_delivery_details_list()[0];
    assert_eq!(delivery.destination(), Some("a***@n***.org"));
    assert_eq!(delivery.attribute_name(), Some("email"));
    let message = harness.emulator.messages(Some("amy")).pop().unwrap();
    assert_eq!(message.kind, "UpdateUserAttributes");
    assert_eq!(message.destination, "amy@new.example.org");
    let now = attributes(&harness, &token).await;
    assert_eq!(value(&now, "nickname"), Some("ames"));
    assert_eq!(value(&now, "email"), Some("amy@new.example.org"));
    assert_eq!(value(&now, "email_verified"), Some("false"));
    assert!(
        !signs_in(&harness, &pool, "amy@example.com").await,
        "the old email is replaced"
    );
    assert!(
        !signs_in(&harness, &pool, "amy@new.example.org").await,
        "not verified yet"
    );

    let wrong = if message.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        verify(&harness, &token, wrong).await,
        Err("CodeMismatchException".into())
    );
    verify(&harness, &token, &message.code)
        .await
        .expect("VerifyUserAttribute");
    let now = attributes(&harness, &token).await;
    assert_eq!(value(&now, "email_verified"), Some("true"));
    assert!(signs_in(&harness, &pool, "amy@new.example.org").await);
    assert!(!signs_in(&harness, &pool, "amy@example.com").await);
    // Setting the same email again changes nothing and sends nothing.
    assert_eq!(
        update(&harness, &token, "email", "amy@new.example.org").await,
        Ok(0)
    );
    assert_eq!(
        value(&attributes(&harness, &token).await, "email_verified"),
        Some("true")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_schema_and_the_caller_limit_what_changes() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "ben").await;
    let token = harness.access_token(&pool, "ben", PASSWORD).await;
    for (name, value) in [
        ("favourite_colour", "blue"),
        ("sub", "mine"),
        ("custom:tier", "gold"),
        ("email_verified", "true"),
        ("email", "not-an-email"),
    ] {
        let refused = harness
            .client
            .update_user_attributes()
            .access_token(&token)
            .user_attributes(attribute("nickname", "benny"))
            .user_attributes(attribute(name, value))
            .send()
            .await;
        assert_eq!(error_code(refused).0, "InvalidParameterException", "{name}");
    }
    let now = attributes(&harness, &token).await;
    assert_eq!(
        value(&now, "nickname"),
        None,
        "a refused update changes nothing"
    );
    assert_eq!(value(&now, "email"), Some("ben@example.com"));

    let unknown = harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("nobody")
        .user_attributes(attribute("nickname", "x"))
        .send()
        .await;
    assert_eq!(error_code(unknown).0, "UserNotFoundException");
    let bad_token = update(&harness, "not-a-token", "nickname", "x").await;
    assert_eq!(bad_token, Err("NotAuthorizedException".into()));
    let immutable = harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("ben")
        .user_attributes(attribute("custom:tier", "gold"))
        .send()
        .await;
    assert_eq!(error_code(immutable).0, "InvalidParameterException");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_number_is_a_plus_and_digits_however_it_is_written() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "cat").await;
    let token = harness.access_token(&pool, "cat", PASSWORD).await;
    for written in [
        "5555550100",
        "+1 555 555 0100",
        "+1(555)5550100",
        "+",
        "+1-555",
    ] {
        let refused = harness
            .client
            .update_user_attributes()
            .access_token(&token)
            .user_attributes(attribute("phone_number", written))
            .send()
            .await;
        assert_eq!(
            error_code(refused),
            (
                "InvalidParameterException".to_owned(),
                "Invalid phone number format.".to_owned()
            ),
            "{written}"
        );
        let created = harness
            .client
            .admin_create_user()
            .user_pool_id(&pool.id)
            .username("dan")
            .user_attributes(attribute("phone_number", written))
            .send()
            .await;
        assert_eq!(error_code(created).1, "Invalid phone number format.");
    }
    assert_eq!(
        update(&harness, &token, "phone_number", "+15555550100").await,
        Ok(0)
    );
    let now = attributes(&harness, &token).await;
    assert_eq!(value(&now, "phone_number"), Some("+15555550100"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_verification_before_update_the_old_email_stays_until_the_new_one_is_verified() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, true, "cat").await;
    let described = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let settings = described.user_attribute_update_settings.unwrap();
    assert_eq!(
        settings.attributes_require_verification_before_update(),
        [VerifiedAttributeType::Email]
    );
    let token = harness.access_token(&pool, "cat", PASSWORD).await;
    assert_eq!(
        update(&harness, &token, "email", "cat@new.example.org").await,
        Ok(1)
    );
    let now = attributes(&harness, &token).await;
    assert_eq!(value(&now, "email"), Some("cat@example.com"));
    assert_eq!(value(&now, "email_verified"), Some("true"));
    assert!(
        signs_in(&harness, &pool, "cat@example.com").await,
        "still in force"
    );
    assert!(!signs_in(&harness, &pool, "cat@new.example.org").await);

    verify(&harness, &token, &harness.latest_code("cat"))
        .await
        .unwrap();
    let now = attributes(&harness, &token).await;
    assert_eq!(value(&now, "email"), Some("cat@new.example.org"));
    assert_eq!(value(&now, "email_verified"), Some("true"));
    assert!(signs_in(&harness, &pool, "cat@new.example.org").await);
    assert!(!signs_in(&harness, &pool, "cat@example.com").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_may_mark_an_email_verified_but_not_take_another_users() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, true, "dee").await;
    harness.confirmed_user(&pool, "eli").await;
    let admin = |attributes: Vec<(&str, &str)>| {
        let mut call = harness
            .client
            .admin_update_user_attributes()
            .user_pool_id(&pool.id)
            .username("dee");
        for (name, value) in attributes {
            call = call.user_attributes(attribute(name, value));
        }
        call.send()
    };
    let sent_before = harness.emulator.messages(Some("dee")).len();
    admin(vec![
        ("email", "dee@new.example.org"),
        ("email_verified", "true"),
    ])
    .await
    .expect("AdminUpdateUserAttributes");
    assert_eq!(
        harness.emulator.messages(Some("dee")).len(),
        sent_before,
        "no code"
    );
    assert!(signs_in(&harness, &pool, "dee@new.example.org").await);
    assert!(!signs_in(&harness, &pool, "dee@example.com").await);

    let taken = admin(vec![
        ("email", "eli@example.com"),
        ("email_verified", "true"),
    ])
    .await;
    assert_eq!(error_code(taken).0, "AliasExistsException");
    assert!(
        signs_in(&harness, &pool, "eli@example.com").await,
        "still eli's"
    );

    // Without the flag, a new email waits for its code, which the administrator sends.
    admin(vec![("email", "dee@third.example.org")])
        .await
        .unwrap();
    let message = harness.emulator.messages(Some("dee")).pop().unwrap();
    assert_eq!(message.kind, "AdminUpdateUserAttributes");
    assert_eq!(message.destination, "dee@third.example.org");
    // Marking it verified promotes the pending email.
    admin(vec![("email_verified", "true")]).await.unwrap();
    assert!(signs_in(&harness, &pool, "dee@third.example.org").await);
    let token = harness.access_token(&pool, "dee", PASSWORD).await;
    let outdated = verify(&harness, &token, &message.code).await;
    assert_eq!(outdated, Err("ExpiredCodeException".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_codes_are_their_own_and_lock_out_after_wrong_ones() {
    let harness = Harness::start().await;
    let pool = pool_with_user(&harness, false, "fin").await;
    let token = harness.access_token(&pool, "fin", PASSWORD).await;
    let code_for = |name: &'static str| {
        harness
            .client
            .get_user_attribute_verification_code()
            .access_token(&token)
            .attribute_name(name)
            .send()
    };
    let phone = code_for("phone_number").await;
    assert_eq!(error_code(phone).0, "InvalidParameterException");
    let answer = code_for("email")
        .await
        .expect("GetUserAttributeVerificationCode");
    assert_eq!(
        answer.code_delivery_details.unwrap().destination(),
        Some("f***@e***.com")
    );
    let verification_code = harness.latest_code("fin");
    harness
        .client
        .forgot_password()
        .client_id(&pool.client_id)
        .username("fin")
        .send()
        .await
        .unwrap();
    let reset_code = harness.latest_code("fin");

    let mut wrong_guesses = 5;
    if reset_code != verification_code {
        wrong_guesses -= 2;
        let swapped = verify(&harness, &token, &reset_code).await;
        assert_eq!(swapped, Err("CodeMismatchException".into()));
        let swapped = harness
            .client
            .confirm_forgot_password()
            .client_id(&pool.client_id)
            .username("fin")
            .confirmation_code(&verification_code)
            .password("N3w-Passw0rd!")
            .send()
            .await;
        assert_eq!(error_code(swapped).0, "CodeMismatchException");
    }
    let wrong = if verification_code == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..wrong_guesses {
        assert_eq!(
            verify(&harness, &token, wrong).await,
            Err("CodeMismatchException".into())
        );
    }
    let locked = verify(&harness, &token, &verification_code).await;
    assert_eq!(
        locked,
        Err("LimitExceededException".into()),
        "5 wrong codes of any purpose"
    );
    harness.clock.advance(Duration::from_secs(2));
    verify(&harness, &token, &verification_code)
        .await
        .expect("the lock lifts");

    code_for("email").await.unwrap();
    let late = harness.latest_code("fin");
    harness.clock.advance(Duration::from_secs(25 * 3600));
    let token = harness.access_token(&pool, "fin", PASSWORD).await;
    assert_eq!(
        verify(&harness, &token, &late).await,
        Err("ExpiredCodeException".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_email_and_the_alias_index_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_with_user(&harness, true, "gil").await;
    harness.confirmed_user(&pool, "hana").await;
    let token = harness.access_token(&pool, "gil", PASSWORD).await;
    update(&harness, &token, "email", "gil@new.example.org")
        .await
        .unwrap();
    let gil_code = harness.latest_code("gil");
    let hana = harness.access_token(&pool, "hana", PASSWORD).await;
    update(&harness, &hana, "email", "hana@new.example.org")
        .await
        .unwrap();
    verify(&harness, &hana, &harness.latest_code("hana"))
        .await
        .unwrap();

    let harness = harness.restart().await;
    assert!(
        signs_in(&harness, &pool, "gil@example.com").await,
        "pending: the old one signs in"
    );
    assert!(!signs_in(&harness, &pool, "gil@new.example.org").await);
    assert!(signs_in(&harness, &pool, "hana@new.example.org").await);
    assert!(!signs_in(&harness, &pool, "hana@example.com").await);
    verify(&harness, &token, &gil_code)
        .await
        .expect("the code is kept");

    let harness = harness.restart().await;
    assert!(signs_in(&harness, &pool, "gil@new.example.org").await);
    assert!(!signs_in(&harness, &pool, "gil@example.com").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_verified_attributes_can_wait_for_verification() {
    let harness = Harness::start().await;
    let refused = harness
        .client
        .create_user_pool()
        .pool_name("unverified")
        .user_attribute_update_settings(
            UserAttributeUpdateSettingsType::builder()
                .attributes_require_verification_before_update(VerifiedAttributeType::Email)
                .build(),
        )
        .send()
        .await;
    assert_eq!(error_code(refused).0, "InvalidParameterException");
}
