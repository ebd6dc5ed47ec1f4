// SPDX-License-Identifier: Apache-2.0
//! Authentication events (AdminListUserAuthEvents) as threat protection records them: sign-ins
//! that pass or fail at the password or the MFA code, sign-ups, password resets and changes,
//! resent codes; their paging and cap; and the feedback given on them
//! (AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback).

mod common;
mod security_support;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, EventResponseType, FeedbackValueType, RiskDecisionType,
};
use cognito_emulator::testing;
use common::{Harness, PASSWORD, Pool, outcome};
use security_support::{code_of, events, summary, threat_pool};

const WRONG: &str = "Wr0ng-Horse!";

/// Signs in with the password (wrong, then right), a second apart.
async fn wrong_then_right(harness: &Harness, pool: &Pool, username: &str) {
    harness.clock.advance(Duration::from_secs(1));
    let refused = harness.password_sign_in(pool, username, WRONG).await;
    assert_eq!(code_of(refused), "NotAuthorizedException");
    harness.clock.advance(Duration::from_secs(1));
    harness.access_token(pool, username, PASSWORD).await;
}

#[tokio::test]
async fn sign_ups_and_wrong_and_right_passwords_are_listed_newest_first() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    wrong_then_right(&harness, &pool, "alice").await;

    let listed = events(&harness, &pool, "alice").await;
    let summaries: Vec<String> = listed.iter().map(summary).collect();
    assert_eq!(
        summaries,
        [
            "SignIn Pass [Password:Success]",
            "SignIn Fail [Password:Failure]",
            "SignUp Pass []",
        ]
    );
    let dates: Vec<f64> = listed
        .iter()
        .map(|event| event.creation_date().unwrap().as_secs_f64())
        .collect();
    assert!(dates.windows(2).all(|pair| pair[0] > pair[1]), "{dates:?}");
    for event in &listed {
        let risk = event.event_risk().expect("EventRisk");
        assert_eq!(risk.risk_decision(), Some(&RiskDecisionType::NoRisk));
        assert_eq!(risk.compromised_credentials_detected(), Some(false));
        assert!(event.event_id().is_some_and(|id| !id.is_empty()));
        assert!(event.event_feedback().is_none());
    }
    // By the user's sub too, as every operation that names a user.
    let sub = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .unwrap()
        .user_attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value().map(str::to_owned))
        .unwrap();
    assert_eq!(events(&harness, &pool, &sub).await.len(), 3);
}

#[tokio::test]
async fn a_wrong_and_a_right_mfa_code_are_judged_after_the_password() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, true).await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    harness.clock.advance(Duration::from_secs(60));
    let respond = |session: String, code: String| {
        harness
            .client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };
    let challenge = harness.admin_password_sign_in(&pool, "alice").await;
    let session = challenge.session.unwrap();
    let refused = respond(session.clone(), "000000".to_owned()).await;
    assert_eq!(code_of(refused), "CodeMismatchException");
    respond(session, harness.totp(&secret, 0))
        .await
        .expect("the right code");

    let summaries: Vec<String> = events(&harness, &pool, "alice")
        .await
        .iter()
        .map(summary)
        .collect();
    assert_eq!(
        summaries[..3],
        [
            "SignIn Pass [Password:Success Mfa:Success]",
            "SignIn Fail [Password:Success Mfa:Failure]",
            // The sign-in that set up TOTP answered MFA_SETUP.
            "SignIn Pass [Password:Success Mfa:Success]",
        ]
    );
}

#[tokio::test]
async fn password_resets_changes_and_resent_codes_are_events_too() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    harness
        .client
        .forgot_password()
        .client_id(&pool.client_id)
        .username("alice")
        .send()
        .await
        .expect("ForgotPassword");
    let token = harness.access_token(&pool, "alice", PASSWORD).await;
    harness
        .client
        .change_password()
        .access_token(token)
        .previous_password(PASSWORD)
        .proposed_password("N3w-Horse-Battery!")
        .send()
        .await
        .expect("ChangePassword");
    harness.sign_up(&pool, "bob").await;
    harness
        .client
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("bob")
        .send()
        .await
        .expect("ResendConfirmationCode");

    let kinds = |listed: Vec<aws_sdk_cognitoidentityprovider::types::AuthEventType>| {
        listed
            .iter()
            .map(|e| e.event_type().unwrap().as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(events(&harness, &pool, "alice").await),
        ["PasswordChange", "SignIn", "ForgotPassword", "SignUp"]
    );
    assert_eq!(
        kinds(events(&harness, &pool, "bob").await),
        ["ResendCode", "SignUp"]
    );
}

#[tokio::test]
async fn events_page_by_max_results_and_next_token() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    wrong_then_right(&harness, &pool, "alice").await;
    wrong_then_right(&harness, &pool, "alice").await;
    let every = events(&harness, &pool, "alice").await;
    assert_eq!(every.len(), 5);

    let mut paged = Vec::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = harness
            .client
            .admin_list_user_auth_events()
            .user_pool_id(&pool.id)
            .username("alice")
            .max_results(2)
            .set_next_token(next_token)
            .send()
            .await
            .expect("a page");
        pages += 1;
        paged.extend(page.auth_events.unwrap_or_default());
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let ids = |events: &[aws_sdk_cognitoidentityprovider::types::AuthEventType]| {
        events
            .iter()
            .map(|e| e.event_id().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&paged), ids(&every));

    let bogus = harness
        .client
        .admin_list_user_auth_events()
        .user_pool_id(&pool.id)
        .username("alice")
        .next_token("not-a-token-of-ours")
        .send()
        .await;
    assert_eq!(code_of(bogus), "InvalidParameterException");
}

#[tokio::test]
async fn fifty_events_are_kept_per_user() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    let mut newest = String::new();
    for _ in 0..52 {
        harness.clock.advance(Duration::from_secs(1));
        newest = harness.access_token(&pool, "alice", PASSWORD).await;
    }
    assert!(!newest.is_empty());
    let listed = events(&harness, &pool, "alice").await;
    assert_eq!(listed.len(), 50);
    assert!(
        listed
            .iter()
            .all(|e| summary(e) == "SignIn Pass [Password:Success]")
    );
}

#[tokio::test]
async fn without_threat_protection_the_operations_are_refused_and_nothing_is_recorded() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "alice").await;
    harness.access_token(&pool, "alice", PASSWORD).await;
    let listed = harness
        .client
        .admin_list_user_auth_events()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await;
    assert_eq!(code_of(listed), "UserPoolAddOnNotEnabledException");
    let feedback = harness
        .client
        .admin_update_auth_event_feedback()
        .user_pool_id(&pool.id)
        .username("alice")
        .event_id("some-event")
        .feedback_value(FeedbackValueType::Valid)
        .send()
        .await;
    assert_eq!(code_of(feedback), "UserPoolAddOnNotEnabledException");
    let service = testing::service(&harness.emulator);
    let stored = service.stored_form();
    assert!(
        !stored.iter().any(|line| line.contains("useractivity")),
        "no events are kept: {stored:?}"
    );
}

#[tokio::test]
async fn unknown_pools_users_and_events_are_errors() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    let list = |pool_id: &str, username: &str| {
        harness
            .client
            .admin_list_user_auth_events()
            .user_pool_id(pool_id)
            .username(username)
            .send()
    };
    assert_eq!(
        code_of(list("us-east-1_Nope12345", "alice").await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(list(&pool.id, "nobody").await),
        "UserNotFoundException"
    );
    let feedback = harness
        .client
        .admin_update_auth_event_feedback()
        .user_pool_id(&pool.id)
        .username("alice")
        .event_id("no-such-event")
        .feedback_value(FeedbackValueType::Invalid)
        .send()
        .await;
    assert_eq!(code_of(feedback), "ResourceNotFoundException");
}

#[tokio::test]
async fn feedback_from_an_administrator_and_from_the_user_is_listed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    wrong_then_right(&harness, &pool, "alice").await;
    let listed = events(&harness, &pool, "alice").await;
    let passed = listed[0].event_id().unwrap().to_owned();
    let failed = listed[1].event_id().unwrap().to_owned();

    harness.clock.advance(Duration::from_secs(5));
    harness
        .client
        .admin_update_auth_event_feedback()
        .user_pool_id(&pool.id)
        .username("alice")
        .event_id(&passed)
        .feedback_value(FeedbackValueType::Valid)
        .send()
        .await
        .expect("AdminUpdateAuthEventFeedback");

    let token = testing::service(&harness.emulator)
        .auth_event_feedback_token(&pool.id, "alice", &failed)
        .expect("a feedback token");
    let by_user = |token: String| {
        harness
            .client
            .update_auth_event_feedback()
            .user_pool_id(&pool.id)
            .username("alice")
            .event_id(&failed)
            .feedback_token(token)
            .feedback_value(FeedbackValueType::Invalid)
            .send()
    };
    let forged = by_user(format!("{token}x")).await;
    assert_eq!(code_of(forged), "NotAuthorizedException");
    outcome(by_user(token).await).expect("UpdateAuthEventFeedback");

    let harness = harness.restart().await;
    let listed = events(&harness, &pool, "alice").await;
    assert_eq!(listed.len(), 3, "the events survive a restart");
    let feedback = |n: usize| {
        let given = listed[n].event_feedback().expect("EventFeedback");
        (
            given.feedback_value().as_str().to_owned(),
            given.provider().to_owned(),
            given.feedback_date().is_some(),
        )
    };
    assert_eq!(feedback(0), ("Valid".to_owned(), "Admin".to_owned(), true));
    assert_eq!(feedback(1), ("Invalid".to_owned(), "User".to_owned(), true));
    assert_eq!(listed[0].event_response(), Some(&EventResponseType::Pass));
    assert!(listed[2].event_feedback().is_none());
}

#[tokio::test]
async fn a_sign_in_event_has_the_id_its_tokens_carry_as_event_id() {
    let harness = Harness::start().await;
    let pool = threat_pool(&harness, false).await;
    harness.confirmed_user(&pool, "alice").await;
    let token = harness.access_token(&pool, "alice", PASSWORD).await;
    let claims = common::verified_claims(&harness, &pool.id, &token).await;
    let newest = events(&harness, &pool, "alice").await.remove(0);
    assert_eq!(
        newest.event_id(),
        claims["event_id"].as_str(),
        "{}",
        summary(&newest)
    );
}
