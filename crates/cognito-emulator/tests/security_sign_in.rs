// SPDX-License-Identifier: Apache-2.0
//! Sign-in under attack, through the AWS SDK for Rust: users deleted and signed up again while
//! their sign-ins are judged, wrong SRP claims sent all at once, and a client that hides which
//! users exist (PreventUserExistenceErrors ENABLED).

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use cognito_srp::{Identity, SrpClient};
use common::{Harness, PASSWORD, Pool, challenge, error_code};

/// USER_SRP_AUTH: the SRP client, and the PASSWORD_VERIFIER's session and parameters.
async fn start_srp(
    harness: &Harness,
    pool: &Pool,
    username: &str,
) -> Result<(SrpClient, String, HashMap<String, String>), (String, String)> {
    let srp = SrpClient::new().unwrap();
    let started = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await;
    match started {
        Ok(started) => Ok((
            srp,
            started.session.unwrap(),
            started.challenge_parameters.unwrap(),
        )),
        Err(error) => Err(error_code::<(), _>(Err(error))),
    }
}

/// Answers PASSWORD_VERIFIER with a claim for `password`: Ok when it brought tokens.
async fn answer_srp(
    harness: &Harness,
    pool: &Pool,
    (srp, session, parameters): (SrpClient, String, HashMap<String, String>),
    password: &str,
) -> Result<(), (String, String)> {
    let internal = &parameters["USER_ID_FOR_SRP"];
    let identity = Identity::user(&pool.id, internal).unwrap();
    let claim = srp
        .password_claim(&identity, password, &challenge(&parameters))
        .unwrap();
    let answered = harness
        .client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(session)
        .challenge_responses("USERNAME", internal)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await;
    match answered {
        Ok(_) => Ok(()),
        Err(error) => Err(error_code::<(), _>(Err(error))),
    }
}

fn incorrect() -> (String, String) {
    (
        "NotAuthorizedException".to_owned(),
        "Incorrect username or password.".to_owned(),
    )
}

fn attempts_exceeded() -> (String, String) {
    (
        "NotAuthorizedException".to_owned(),
        "Password attempts exceeded".to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_user_deleted_and_signed_up_again_mid_sign_in_never_breaks_the_service() {
    let harness = Arc::new(Harness::start().await);
    let pool = Arc::new(harness.scenario_pool().await);
    harness.confirmed_user(&pool, "racer").await;
    let signing_in = Arc::new(AtomicBool::new(true));
    let churn = {
        let (harness, pool, signing_in) = (harness.clone(), pool.clone(), signing_in.clone());
        tokio::spawn(async move {
            while signing_in.load(Ordering::Relaxed) {
                let _ = harness
                    .client
                    .admin_delete_user()
                    .user_pool_id(&pool.id)
                    .username("racer")
                    .send()
                    .await;
                harness.confirmed_user(&pool, "racer").await;
            }
        })
    };
    let mut signers = Vec::new();
    for _ in 0..8 {
        let (harness, pool) = (harness.clone(), pool.clone());
        signers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for _ in 0..100 {
                // The SRP step and the password check both run with the pool's lock released.
                if let Err(refused) = start_srp(&harness, &pool, "racer").await {
                    failures.push(refused);
                }
                if let Err(error) = harness.password_sign_in(&pool, "racer", PASSWORD).await {
                    failures.push(error_code::<(), _>(Err(error)));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for signer in signers {
        failures.extend(signer.await.unwrap());
    }
    signing_in.store(false, Ordering::Relaxed);
    churn.await.unwrap();
    let internal: Vec<_> = failures
        .iter()
        .filter(|(code, _)| code == "InternalErrorException")
        .collect();
    assert!(
        internal.is_empty(),
        "{} of 1600 requests failed inside: {:?}",
        internal.len(),
        internal.first()
    );
    // Only what Cognito answers for a user who is gone, or one not confirmed yet.
    for (code, message) in &failures {
        assert!(
            matches!(
                code.as_str(),
                "UserNotFoundException" | "NotAuthorizedException" | "UserNotConfirmedException"
            ),
            "{code}: {message}"
        );
    }
}

#[tokio::test]
async fn a_sign_in_started_for_one_user_does_not_finish_for_another_of_the_same_name() {
    let harness = Harness::start().await;
    let pool = harness.pool_with(|flows| flows, None).await;
    // MFA off, so a right claim would bring tokens at once.
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Off)
        .send()
        .await
        .unwrap();
    harness.confirmed_user(&pool, "twin").await;
    let started = start_srp(&harness, &pool, "twin").await.unwrap();
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("twin")
        .send()
        .await
        .unwrap();
    harness.confirmed_user(&pool, "twin").await;
    // The old session, with the password both happen to have, proves nothing about the new one.
    let refused = answer_srp(&harness, &pool, started, PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(refused.0, "NotAuthorizedException", "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_srp_claims_sent_at_once_are_judged_no_more_than_the_lockout_allows() {
    let harness = Arc::new(Harness::start().await);
    let pool = Arc::new(harness.scenario_pool().await);
    harness.confirmed_user(&pool, "target").await;
    // 40 sessions opened before any failure, then 40 wrong claims at once.
    let mut sessions = Vec::new();
    for _ in 0..41 {
        sessions.push(start_srp(&harness, &pool, "target").await.unwrap());
    }
    let last = sessions.pop().unwrap();
    let mut guesses = Vec::new();
    for started in sessions {
        let (harness, pool) = (harness.clone(), pool.clone());
        guesses.push(tokio::spawn(async move {
            answer_srp(&harness, &pool, started, "Wr0ng-guess!").await
        }));
    }
    let mut judged = 0;
    for guess in guesses {
        let refused = guess.await.unwrap().unwrap_err();
        if refused == incorrect() {
            judged += 1;
        } else {
            assert_eq!(refused, attempts_exceeded());
        }
    }
    assert_eq!(judged, 5, "wrong claims judged");
    // Locked: even the right claim is refused, as USER_PASSWORD_AUTH is.
    assert_eq!(
        answer_srp(&harness, &pool, last, PASSWORD).await,
        Err(attempts_exceeded())
    );
    let (code, message) = error_code(harness.password_sign_in(&pool, "target", PASSWORD).await);
    assert_eq!((code, message), attempts_exceeded());
    // Once the lock has passed, the right password signs in.
    harness.clock.advance(Duration::from_secs(2));
    let started = start_srp(&harness, &pool, "target").await.unwrap();
    assert_eq!(answer_srp(&harness, &pool, started, PASSWORD).await, Ok(()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_sent_at_once_are_judged_no_more_than_the_lockout_allows() {
    let harness = Arc::new(Harness::start().await);
    let pool = Arc::new(harness.scenario_pool().await);
    harness.confirmed_user(&pool, "target").await;
    let mut guesses = Vec::new();
    for n in 0..30 {
        let (harness, pool) = (harness.clone(), pool.clone());
        guesses.push(tokio::spawn(async move {
            let guess = format!("Wr0ng-guess-{n}!");
            error_code(harness.password_sign_in(&pool, "target", &guess).await)
        }));
    }
    let mut judged = 0;
    for guess in guesses {
        let refused = guess.await.unwrap();
        if refused == incorrect() {
            judged += 1;
        } else {
            assert_eq!(refused, attempts_exceeded());
        }
    }
    assert_eq!(judged, 5, "wrong passwords judged");
}

/// A remembered device's sign-in up to DEVICE_PASSWORD_VERIFIER: the SRP client, the session
/// and the challenge's parameters.
async fn device_verifier_challenge(
    harness: &Harness,
    pool: &Pool,
    key: &str,
) -> (SrpClient, String, HashMap<String, String>) {
    let started = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "dev")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("DEVICE_KEY", key)
        .send()
        .await
        .unwrap();
    let srp = SrpClient::new().unwrap();
    let device = harness
        .client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", "dev")
        .challenge_responses("DEVICE_KEY", key)
        .challenge_responses("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    (
        srp,
        device.session.unwrap(),
        device.challenge_parameters.unwrap(),
    )
}

/// Answers DEVICE_PASSWORD_VERIFIER with a claim for `device_password`.
async fn answer_device(
    harness: &Harness,
    pool: &Pool,
    (key, group): (&str, &str),
    (srp, session, parameters): (SrpClient, String, HashMap<String, String>),
    device_password: &str,
) -> Result<(), (String, String)> {
    let claim = srp
        .password_claim(
            &Identity::device(group, key).unwrap(),
            device_password,
            &challenge(&parameters),
        )
        .unwrap();
    let answered = harness
        .client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .session(session)
        .challenge_responses("USERNAME", "dev")
        .challenge_responses("DEVICE_KEY", key)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await;
    answered
        .map(|_| ())
        .map_err(|error| error_code::<(), _>(Err(error)))
}

#[tokio::test]
async fn device_claims_count_toward_the_lockout_and_are_refused_while_it_lasts() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let (key, group, secret, _refresh) = harness.remembered_device(&pool, "dev").await;
    let device = (key.as_str(), group.as_str());
    let first = device_verifier_challenge(&harness, &pool, &key).await;
    let second = device_verifier_challenge(&harness, &pool, &key).await;
    for n in 0..4 {
        let guess = format!("Wr0ng-guess-{n}!");
        let refused = error_code(harness.password_sign_in(&pool, "dev", &guess).await);
        assert_eq!(refused, incorrect());
    }
    // A wrong device password is the fifth failure in a row: the user is locked.
    assert_eq!(
        answer_device(
            &harness,
            &pool,
            device,
            first,
            "bm90IHRoZSBkZXZpY2UgcGFzc3dvcmQ="
        )
        .await,
        Err(incorrect())
    );
    // Judged while locked, even the device's own password is refused.
    assert_eq!(
        answer_device(&harness, &pool, device, second, secret.device_password()).await,
        Err(attempts_exceeded())
    );
    let refused = error_code(harness.password_sign_in(&pool, "dev", PASSWORD).await);
    assert_eq!(refused, attempts_exceeded());
    harness.clock.advance(Duration::from_secs(2));
    let third = device_verifier_challenge(&harness, &pool, &key).await;
    assert_eq!(
        answer_device(&harness, &pool, device, third, secret.device_password()).await,
        Ok(())
    );
}

#[tokio::test]
async fn an_unknown_user_gets_a_password_verifier_challenge_like_a_real_one() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let conceals = harness.client_hiding_users(&pool).await;
    harness.confirmed_user(&pool, "real").await;

    let real = start_srp(&harness, &conceals, "real").await.unwrap();
    let made_up = start_srp(&harness, &conceals, "nobody").await.unwrap();
    let again = start_srp(&harness, &conceals, "nobody").await.unwrap();
    let names = |parameters: &HashMap<String, String>| {
        let mut names: Vec<_> = parameters.keys().cloned().collect();
        names.sort();
        names
    };
    assert_eq!(names(&real.2), names(&made_up.2));
    assert_eq!(made_up.2["USER_ID_FOR_SRP"], "nobody");
    // The same salt every time, as a real user's; a fresh B each time, as a real user's.
    assert_eq!(made_up.2["SALT"], again.2["SALT"]);
    assert_ne!(made_up.2["SRP_B"], again.2["SRP_B"]);
    assert_ne!(made_up.2["SALT"], real.2["SALT"]);
    assert_eq!(made_up.1.len(), real.1.len());
    assert!(made_up.2["SRP_B"].len().abs_diff(real.2["SRP_B"].len()) <= 2);
    // Whatever the password, the answer is the one a wrong password gets.
    assert_eq!(
        answer_srp(&harness, &conceals, made_up, PASSWORD).await,
        Err(incorrect())
    );
    assert_eq!(
        answer_srp(&harness, &conceals, real, "Wr0ng-guess!").await,
        Err(incorrect())
    );
    // Without the setting, the unknown user is named as such.
    assert_eq!(
        start_srp(&harness, &pool, "nobody").await.err().unwrap().0,
        "UserNotFoundException"
    );
}

#[tokio::test]
async fn a_made_up_session_for_an_unknown_user_is_an_invalid_session_where_users_are_hidden() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let conceals = harness.client_hiding_users(&pool).await;
    harness.confirmed_user(&pool, "real").await;
    let answer = |client_id: String, username: &'static str| {
        harness
            .client
            .respond_to_auth_challenge()
            .client_id(client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session("a".repeat(64))
            .challenge_responses("USERNAME", username)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", "123456")
            .send()
    };
    let known = error_code(answer(conceals.client_id.clone(), "real").await);
    let unknown = error_code(answer(conceals.client_id.clone(), "nobody").await);
    assert_eq!(known.0, "NotAuthorizedException", "{known:?}");
    assert_eq!(unknown, known);
    let legacy = error_code(answer(pool.client_id.clone(), "nobody").await);
    assert_eq!(legacy.0, "UserNotFoundException");
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer_where_users_are_hidden() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let conceals = harness.client_hiding_users(&pool).await;
    harness.confirmed_user(&pool, "real").await;
    let wrong = error_code(harness.password_sign_in(&conceals, "real", "Wr0ng!").await);
    let unknown = error_code(
        harness
            .password_sign_in(&conceals, "nobody", "Wr0ng!")
            .await,
    );
    assert_eq!(wrong, incorrect());
    assert_eq!(unknown, incorrect());
}
