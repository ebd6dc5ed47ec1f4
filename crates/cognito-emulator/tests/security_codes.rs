// SPDX-License-Identifier: Apache-2.0
//! Confirmation codes cannot be guessed by resending them, and a client with
//! PreventUserExistenceErrors ENABLED does not tell who has signed up: through the AWS SDK for
//! Rust, with the emulator's clock moved by hand.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::http::HttpResponse;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::operation::resend_confirmation_code::{
    ResendConfirmationCodeError, ResendConfirmationCodeOutput,
};
use aws_sdk_cognitoidentityprovider::types::{DeliveryMediumType, SchemaAttributeType};
use common::{Harness, PASSWORD, Pool, attribute, error_code};
use serde_json::{Value, json};

const ATTEMPT_LIMIT: (&str, &str) = (
    "LimitExceededException",
    "Attempt limit exceeded, please try after some time.",
);
const CODE_MISMATCH: (&str, &str) = (
    "CodeMismatchException",
    "Invalid verification code provided, please try again.",
);
const UNKNOWN_USER: (&str, &str) = (
    "UserNotFoundException",
    "Username/client id combination not found.",
);
const MINUTE: Duration = Duration::from_secs(60);

fn expected((code, message): (&str, &str)) -> (String, String) {
    (code.to_owned(), message.to_owned())
}

/// The harness's client, but taking every answer as it comes: the SDK retries
/// LimitExceededException as throttling, which would hide the answer and take seconds.
fn without_retries(harness: &Harness) -> Client {
    let config = harness.client.config().to_builder();
    Client::from_conf(config.retry_config(RetryConfig::disabled()).build())
}

async fn resend(
    harness: &Harness,
    client_id: &str,
    username: &str,
) -> Result<ResendConfirmationCodeOutput, SdkError<ResendConfirmationCodeError, HttpResponse>> {
    without_retries(harness)
        .resend_confirmation_code()
        .client_id(client_id)
        .username(username)
        .send()
        .await
}

/// ConfirmSignUp's answer: `None` when the user was confirmed, else (exception, message).
async fn confirm(
    harness: &Harness,
    client_id: &str,
    username: &str,
    code: &str,
) -> Option<(String, String)> {
    let result = without_retries(harness)
        .confirm_sign_up()
        .client_id(client_id)
        .username(username)
        .confirmation_code(code)
        .send()
        .await;
    result.is_err().then(|| error_code(result))
}

/// A six-digit code that is none of the codes ever sent to the user, so it can only mismatch.
fn wrong_code(harness: &Harness, username: &str) -> String {
    let issued: BTreeSet<String> = harness
        .emulator
        .messages(Some(username))
        .into_iter()
        .map(|message| message.code)
        .collect();
    (0..)
        .map(|n| format!("{n:06}"))
        .find(|guess| !issued.contains(guess))
        .expect("a free code")
}

fn messages_to(harness: &Harness, username: &str) -> usize {
    harness.emulator.messages(Some(username)).len()
}
/// `x***@y***.tld`, as a masked email address shows.
fn looks_masked(destination: &str) -> bool {
    let Some((local, domain)) = destination.split_once('@') else {
        return false;
    };
    let masked_part = |part: &str| part.chars().count() == 4 && part.ends_with("***");
    let Some((host, tld)) = domain.split_once('.') else {
        return false;
    };
    masked_part(local) && masked_part(host) && !tld.is_empty()
}

#[tokio::test]
async fn resends_beyond_five_codes_an_hour_are_refused_until_the_oldest_is_an_hour_old() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.sign_up(&pool, "ana").await;
    harness.clock.advance(10 * MINUTE);
    // The sign-up's code and four resends: five codes within the hour.
    for _ in 0..4 {
        resend(&harness, &pool.client_id, "ana")
            .await
            .expect("a resend within the limit");
    }
    let refused = resend(&harness, &pool.client_id, "ana").await;
    assert_eq!(error_code(refused), expected(ATTEMPT_LIMIT));
    assert_eq!(
        messages_to(&harness, "ana"),
        5,
        "a refused resend sends nothing"
    );

    // The window slides: an hour after the sign-up's code, one more may go, then not again
    // until the resends of minute 10 are an hour old.
    harness.clock.advance(50 * MINUTE + Duration::from_secs(1));
    resend(&harness, &pool.client_id, "ana")
        .await
        .expect("the sign-up's code has left the window");
    let refused = resend(&harness, &pool.client_id, "ana").await;
    assert_eq!(error_code(refused), expected(ATTEMPT_LIMIT));
    harness.clock.advance(10 * MINUTE);
    resend(&harness, &pool.client_id, "ana")
        .await
        .expect("the resends of minute 10 have left the window");
    assert_eq!(messages_to(&harness, "ana"), 7);

    // The newest code still confirms.
    let code = harness.latest_code("ana");
    assert_eq!(confirm(&harness, &pool.client_id, "ana", &code).await, None);
}

#[tokio::test]
async fn wrong_codes_count_across_resends_and_lock_confirming_for_a_growing_while() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client_id = pool.client_id.as_str();
    harness.sign_up(&pool, "bo").await;
    let mut wrong = 0;
    // Five wrong codes spread over three codes: a resend does not forgive the earlier ones.
    for guesses_before_resend in [1, 2, 2] {
        for _ in 0..guesses_before_resend {
            let guess = wrong_code(&harness, "bo");
            let answer = confirm(&harness, client_id, "bo", &guess).await;
            assert_eq!(answer, Some(expected(CODE_MISMATCH)));
            wrong += 1;
        }
        if wrong < 5 {
            resend(&harness, client_id, "bo").await.expect("a resend");
        }
    }
    let right = harness.latest_code("bo");
    let answer = confirm(&harness, client_id, "bo", &right).await;
    assert_eq!(
        answer,
        Some(expected(ATTEMPT_LIMIT)),
        "locked, right code or not"
    );

    // Nor does a resend while locked lift the lock.
    resend(&harness, client_id, "bo").await.expect("a resend");
    let right = harness.latest_code("bo");
    let answer = confirm(&harness, client_id, "bo", &right).await;
    assert_eq!(answer, Some(expected(ATTEMPT_LIMIT)));

    // After the lock (1 s from the fifth wrong code), one guess; a wrong one locks for 2 s.
    harness.clock.advance(Duration::from_secs(1));
    let guess = wrong_code(&harness, "bo");
    let answer = confirm(&harness, client_id, "bo", &guess).await;
    assert_eq!(answer, Some(expected(CODE_MISMATCH)));
    harness.clock.advance(Duration::from_secs(1));
    let answer = confirm(&harness, client_id, "bo", &right).await;
    assert_eq!(answer, Some(expected(ATTEMPT_LIMIT)), "the lock doubled");
    harness.clock.advance(Duration::from_secs(1));
    assert_eq!(confirm(&harness, client_id, "bo", &right).await, None);
}

/// An attacker who resends a code every minute, as many times as allowed, and guesses each
/// minute until refused, for an hour. (The exact figure, for an attacker who comes back every
/// second, is worked out in the unit tests of `users.rs`; over HTTP that takes too long.)
#[tokio::test]
async fn guesses_per_hour_are_bounded_however_often_codes_are_resent() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client_id = pool.client_id.as_str();
    harness.sign_up(&pool, "victim").await;
    let mut guesses = 0;
    let mut resends = 0;
    for _minute in 0..60 {
        if resend(&harness, client_id, "victim").await.is_ok() {
            resends += 1;
        }
        loop {
            let guess = wrong_code(&harness, "victim");
            match confirm(&harness, client_id, "victim", &guess).await {
                Some(answer) if answer == expected(CODE_MISMATCH) => guesses += 1,
                Some(answer) if answer == expected(ATTEMPT_LIMIT) => break,
                other => panic!("unexpected answer to a guess: {other:?}"),
            }
            assert!(guesses <= 17, "more than 17 guesses within the hour");
        }
        harness.clock.advance(MINUTE);
    }
    assert!(resends >= 4, "codes were resent ({resends})");
    assert!(
        guesses >= 5,
        "the first five guesses are allowed ({guesses})"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_resend_window_and_the_lock_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    harness.sign_up(&pool, "cy").await;
    for _ in 0..4 {
        resend(&harness, &pool.client_id, "cy")
            .await
            .expect("a resend");
    }
    for _ in 0..5 {
        let guess = wrong_code(&harness, "cy");
        let answer = confirm(&harness, &pool.client_id, "cy", &guess).await;
        assert_eq!(answer, Some(expected(CODE_MISMATCH)));
    }
    let right = harness.latest_code("cy");

    let harness = harness.restart().await;
    let refused = resend(&harness, &pool.client_id, "cy").await;
    assert_eq!(error_code(refused), expected(ATTEMPT_LIMIT));
    let answer = confirm(&harness, &pool.client_id, "cy", &right).await;
    assert_eq!(answer, Some(expected(ATTEMPT_LIMIT)));
    harness.clock.advance(Duration::from_secs(1));
    assert_eq!(confirm(&harness, &pool.client_id, "cy", &right).await, None);
}

#[tokio::test]
async fn with_existence_errors_prevented_an_unknown_user_answers_like_a_known_one() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let hiding = harness.client_hiding_users(&pool).await.client_id;
    harness.sign_up(&pool, "known").await;

    // ResendConfirmationCode: the same shape, a masked address that stays the same, no message.
    let known = resend(&harness, &hiding, "known").await.expect("a resend");
    let ghost = resend(&harness, &hiding, "ghost")
        .await
        .expect("a simulated resend");
    let again = resend(&harness, &hiding, "GHOST")
        .await
        .expect("a simulated resend");
    for answer in [&known, &ghost] {
        let details = answer.code_delivery_details.as_ref().expect("details");
        assert_eq!(details.delivery_medium, Some(DeliveryMediumType::Email));
        assert_eq!(details.attribute_name.as_deref(), Some("email"));
        let destination = details.destination.as_deref().unwrap_or_default();
        assert!(looks_masked(destination), "{destination}");
    }
    assert_eq!(ghost.code_delivery_details, again.code_delivery_details);
    assert!(harness.emulator.messages(Some("ghost")).is_empty());
    let email_name = resend(&harness, &hiding, "ghost@example.org")
        .await
        .unwrap();
    let details = email_name.code_delivery_details.unwrap();
    assert_eq!(details.destination.as_deref(), Some("g***@e***.org"));

    // The whole JSON answers have the same fields.
    let body = |username: &str| json!({ "ClientId": hiding, "Username": username });
    let (known_status, known_raw) = harness
        .call("ResendConfirmationCode", &body("known").to_string())
        .await;
    let (ghost_status, ghost_raw) = harness
        .call("ResendConfirmationCode", &body("ghost").to_string())
        .await;
    assert_eq!((known_status, ghost_status), (200, 200));
    let fields = |answer: &Value| -> Vec<String> {
        let details = &answer["CodeDeliveryDetails"];
        let mut names: Vec<String> = answer.as_object().unwrap().keys().cloned().collect();
        names.extend(details.as_object().unwrap().keys().cloned());
        names
    };
    assert_eq!(fields(&known_raw), fields(&ghost_raw));

    // ConfirmSignUp: a wrong code for a known user and any code for an unknown one.
    let known_wrong = wrong_code(&harness, "known");
    let known = confirm(&harness, &hiding, "known", &known_wrong).await;
    let ghost = confirm(&harness, &hiding, "ghost", "123456").await;
    assert_eq!(known, Some(expected(CODE_MISMATCH)));
    assert_eq!(ghost, known);
    let confirm_body = |username: &str| json!({ "ClientId": hiding, "Username": username, "ConfirmationCode": "654321" });
    let known_wrong = wrong_code(&harness, "known");
    let mut known_body = confirm_body("known");
    known_body["ConfirmationCode"] = json!(known_wrong);
    let known_raw = harness.call("ConfirmSignUp", &known_body.to_string()).await;
    let ghost_raw = harness
        .call("ConfirmSignUp", &confirm_body("ghost").to_string())
        .await;
    assert_eq!(known_raw, ghost_raw);
}

#[tokio::test]
async fn with_existence_errors_prevented_a_pool_without_email_verification_refuses_alike() {
    let harness = Harness::start().await;
    let pool_id = harness
        .client
        .create_user_pool()
        .pool_name("unverified")
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|pool| pool.id)
        .expect("a pool id");
    let pool = Pool {
        id: pool_id,
        client_id: String::new(),
    };
    let hiding = harness.client_hiding_users(&pool).await.client_id;
    harness
        .client
        .sign_up()
        .client_id(&hiding)
        .username("known")
        .password(PASSWORD)
        .user_attributes(attribute("email", "known@example.com"))
        .send()
        .await
        .expect("SignUp");
    let known = error_code(resend(&harness, &hiding, "known").await);
    let ghost = error_code(resend(&harness, &hiding, "ghost").await);
    assert_eq!(known.0, "InvalidParameterException");
    assert_eq!(ghost, known);
}

#[tokio::test]
async fn without_existence_errors_prevented_an_unknown_user_is_not_found() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let resent = resend(&harness, &pool.client_id, "ghost").await;
    assert_eq!(error_code(resent), expected(UNKNOWN_USER));
    let answer = confirm(&harness, &pool.client_id, "ghost", "123456").await;
    assert_eq!(answer, Some(expected(UNKNOWN_USER)));
}
