// SPDX-License-Identifier: Apache-2.0
//! Every wrong input the scenario's users can make, through the AWS SDK for Rust: each gets the
//! service's own exception and message, and the way on (retry, resend, sign in again) works.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
};
use cognito_srp::secret_hash;
use cognito_srp::{Identity, SrpClient};
use common::{Harness, PASSWORD, attribute, challenge, error_code};

#[tokio::test]
async fn confirmation_codes_are_checked_and_only_the_newest_counts() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    harness.sign_up(&pool, "ana").await;
    let confirm = |code: String| {
        client
            .confirm_sign_up()
            .client_id(&pool.client_id)
            .username("ana")
            .confirmation_code(code)
            .send()
    };

    let issued = harness.latest_code("ana");
    let wrong = if issued == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        error_code(confirm(wrong.to_owned()).await),
        (
            "CodeMismatchException".into(),
            "Invalid verification code provided, please try again.".into()
        )
    );

    client
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("ana")
        .send()
        .await
        .unwrap();
    let newest = harness.latest_code("ana");
    if newest != issued {
        assert_eq!(
            error_code(confirm(issued.clone()).await),
            (
                "ExpiredCodeException".into(),
                "Invalid code provided, please request a code again.".into()
            )
        );
    }
    confirm(newest.clone()).await.unwrap();
    let (code, message) = error_code(confirm(newest).await);
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        message,
        "User cannot be confirmed. Current status is CONFIRMED"
    );
    let (code, message) = error_code(
        client
            .resend_confirmation_code()
            .client_id(&pool.client_id)
            .username("ana")
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "User is already confirmed.")
    );
}

#[tokio::test]
async fn codes_expire_after_a_day_and_guessing_is_cut_off() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let confirm = |user: &'static str, code: String| {
        client
            .confirm_sign_up()
            .client_id(&pool.client_id)
            .username(user)
            .confirmation_code(code)
            .send()
    };

    harness.sign_up(&pool, "late").await;
    let code = harness.latest_code("late");
    harness.clock.advance(Duration::from_secs(24 * 3600 + 1));
    assert_eq!(
        error_code(confirm("late", code).await).0,
        "ExpiredCodeException"
    );

    harness.sign_up(&pool, "guesser").await;
    let real = harness.latest_code("guesser");
    let wrong = if real == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(
            error_code(confirm("guesser", wrong.into()).await).0,
            "CodeMismatchException"
        );
    }
    // Even the right code is refused while locked, and a new code does not lift the lock:
    // wrong codes count across codes. It lifts on its own (after 1 s for a fifth wrong code).
    assert_eq!(
        error_code(confirm("guesser", real).await).0,
        "LimitExceededException"
    );
    client
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("guesser")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(confirm("guesser", harness.latest_code("guesser")).await).0,
        "LimitExceededException"
    );
    harness.clock.advance(Duration::from_secs(1));
    confirm("guesser", harness.latest_code("guesser"))
        .await
        .unwrap();
}

#[tokio::test]
async fn usernames_are_case_insensitive_when_the_pool_says_so_and_taken_even_unconfirmed() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.sign_up(&pool, "Alice").await;
    let (code, message) = error_code(
        harness
            .client
            .sign_up()
            .client_id(&pool.client_id)
            .username("ALICE")
            .password(PASSWORD)
            .user_attributes(attribute("email", "other@example.com"))
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UsernameExistsException", "User already exists")
    );

    // A pool created without UsernameConfiguration is case-sensitive, as the API's default.
    let sensitive = harness
        .client
        .create_user_pool()
        .pool_name("sensitive")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let id = sensitive.id.unwrap();
    for name in ["Bob", "bob"] {
        harness
            .client
            .admin_create_user()
            .user_pool_id(&id)
            .username(name)
            .send()
            .await
            .unwrap();
    }
    let users = harness
        .client
        .list_users()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .users
        .unwrap();
    assert_eq!(users.len(), 2);
}

#[tokio::test]
async fn weak_passwords_are_refused_with_the_rule_broken() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let (code, message) = error_code(
        harness
            .client
            .sign_up()
            .client_id(&pool.client_id)
            .username("weak")
            .password("password")
            .user_attributes(attribute("email", "weak@example.com"))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidPasswordException");
    assert_eq!(
        message,
        "Password did not conform with policy: Password must have uppercase characters"
    );
    // Nothing was created: the same name can sign up with a good password.
    harness.sign_up(&pool, "weak").await;
}

#[tokio::test]
// Long: the tries share one session, whose state each step depends on.
async fn totp_codes_are_checked_retried_on_the_same_session_and_used_once() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    harness.confirmed_user(&pool, "tom").await;

    let setup = harness.admin_password_sign_in(&pool, "tom").await;
    let associated = client
        .associate_software_token()
        .session(setup.session.unwrap())
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code.unwrap();
    let session = associated.session.unwrap();
    let good = harness.totp(&secret, 0);
    let bad = if good == "123456" { "654321" } else { "123456" };
    let (code, message) = error_code(
        client
            .verify_software_token()
            .session(&session)
            .user_code(bad)
            .send()
            .await,
    );
    assert_eq!(code, "EnableSoftwareTokenMFAException");
    assert_eq!(message, "Code mismatch and fail enable Software Token MFA");
    let verified = client
        .verify_software_token()
        .session(&session)
        .user_code(&good)
        .send()
        .await
        .unwrap();

    // The first MFA_SETUP session cannot finish the setup; VerifySoftwareToken's can.
    let finish = |session: String| {
        client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::MfaSetup)
            .session(session)
            .challenge_responses("USERNAME", "tom")
            .send()
    };
    let (code, message) = error_code(finish(session.clone()).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );
    finish(verified.session.unwrap()).await.unwrap();

    // SOFTWARE_TOKEN_MFA: a wrong code, then the right one on the same session.
    let challenge = harness.admin_password_sign_in(&pool, "tom").await;
    let session = challenge.session.unwrap();
    let answer = |session: &str, code: &str| {
        client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", "tom")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };
    let next = harness.totp(&secret, 1);
    let wrong = if next == "000000" { "999999" } else { "000000" };
    assert_eq!(
        error_code(answer(&session, wrong).await).0,
        "CodeMismatchException"
    );
    // The code VerifySoftwareToken used is spent.
    let (code, message) = error_code(answer(&session, &good).await);
    assert_eq!(code, "ExpiredCodeException");
    assert_eq!(message, "Your software token has already been used once.");
    answer(&session, &next).await.unwrap();
    // A session answered successfully is used up.
    assert_eq!(
        error_code(answer(&session, &next).await),
        (
            "NotAuthorizedException".into(),
            "Invalid session for the user.".into()
        )
    );

    // Too many wrong answers void the session.
    harness.clock.advance(Duration::from_secs(60));
    let challenge = harness.admin_password_sign_in(&pool, "tom").await;
    let session = challenge.session.unwrap();
    let current = harness.totp(&secret, 0);
    let wrong = if current == "000000" {
        "999999"
    } else {
        "000000"
    };
    for _ in 0..5 {
        assert_eq!(
            error_code(answer(&session, wrong).await).0,
            "CodeMismatchException"
        );
    }
    assert_eq!(
        error_code(answer(&session, &current).await).0,
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn sessions_expire_and_made_up_or_missing_ones_are_refused() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let secret = harness.user_with_totp(&pool, "sam").await;
    let answer = |session: Option<String>, code: String| {
        client
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .set_session(session)
            .challenge_responses("USERNAME", "sam")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };

    let challenge = harness.admin_password_sign_in(&pool, "sam").await;
    harness.clock.advance(Duration::from_secs(181));
    let (code, message) = error_code(answer(challenge.session, harness.totp(&secret, 0)).await);
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(message, "Invalid session for the user, session is expired.");

    let made_up = "AYABeEXAMPLEsessionTHATwasNEVERissued0123456789".to_owned();
    assert_eq!(
        error_code(answer(Some(made_up), harness.totp(&secret, 0)).await),
        (
            "NotAuthorizedException".into(),
            "Invalid session for the user.".into()
        )
    );
    let (code, message) = error_code(answer(None, harness.totp(&secret, 0)).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "Missing required parameter Session"
        )
    );

    // The way on: start the sign-in again.
    let challenge = harness.admin_password_sign_in(&pool, "sam").await;
    answer(challenge.session, harness.totp(&secret, 0))
        .await
        .unwrap();
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_locked_out_for_a_while() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.confirmed_user(&pool, "pat").await;
    for _ in 0..5 {
        assert_eq!(
            error_code(
                harness
                    .password_sign_in(&pool, "pat", "Wrong-passw0rd")
                    .await
            ),
            (
                "NotAuthorizedException".into(),
                "Incorrect username or password.".into()
            )
        );
    }
    assert_eq!(
        error_code(harness.password_sign_in(&pool, "pat", PASSWORD).await),
        (
            "NotAuthorizedException".into(),
            "Password attempts exceeded".into()
        )
    );
    harness.clock.advance(Duration::from_secs(2));
    let challenge = harness
        .password_sign_in(&pool, "pat", PASSWORD)
        .await
        .unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeNameType::MfaSetup));

    // Unknown users, and unconfirmed ones with the right password.
    let (code, message) = error_code(harness.password_sign_in(&pool, "nobody", PASSWORD).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UserNotFoundException", "User does not exist.")
    );
    harness.sign_up(&pool, "fresh").await;
    let (code, _) = error_code(harness.password_sign_in(&pool, "fresh", PASSWORD).await);
    assert_eq!(code, "UserNotConfirmedException");
}

#[tokio::test]
async fn wrong_srp_claims_are_refused() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.confirmed_user(&pool, "sid").await;
    let srp = SrpClient::new().unwrap();
    let started = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "sid")
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    let parameters = started.challenge_parameters.unwrap();
    let claim = srp
        .password_claim(
            &Identity::user(&pool.id, "sid").unwrap(),
            "Not-the-passw0rd",
            &challenge(&parameters),
        )
        .unwrap();
    let (code, message) = error_code(
        harness
            .client
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .session(started.session.unwrap())
            .challenge_responses("USERNAME", "sid")
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
            .challenge_responses("TIMESTAMP", &claim.timestamp)
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    let (code, _) = error_code(
        harness
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "sid")
            .auth_parameters("SRP_A", "0")
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
// Long: each refusal needs the device state the one before left.
async fn forgotten_and_unknown_devices_do_not_exist_and_wrong_device_secrets_fail() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let (key, group, _secret, refresh) = harness.remembered_device(&pool, "dev").await;
    let start = |device_key: &str| {
        client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "dev")
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("DEVICE_KEY", device_key)
            .send()
    };

    // A device password that is not the device's: DEVICE_PASSWORD_VERIFIER fails.
    let started = start(&key).await.unwrap();
    let srp = SrpClient::new().unwrap();
    let device_challenge = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", "dev")
        .challenge_responses("DEVICE_KEY", &key)
        .challenge_responses("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    let parameters = device_challenge.challenge_parameters.unwrap();
    let claim = srp
        .password_claim(
            &Identity::device(&group, &key).unwrap(),
            "bm90IHRoZSBkZXZpY2UgcGFzc3dvcmQ=",
            &challenge(&parameters),
        )
        .unwrap();
    let (code, message) = error_code(
        client
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::DevicePasswordVerifier)
            .session(device_challenge.session.unwrap())
            .challenge_responses("USERNAME", "dev")
            .challenge_responses("DEVICE_KEY", &key)
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
            .challenge_responses("TIMESTAMP", &claim.timestamp)
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    // An unknown key, and the device once forgotten.
    let unknown = "us-east-1_00000000-0000-4000-8000-000000000000";
    assert_eq!(
        error_code(start(unknown).await),
        (
            "ResourceNotFoundException".into(),
            "Device does not exist.".into()
        )
    );
    let access = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    client
        .forget_device()
        .access_token(&access)
        .device_key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(start(&key).await),
        (
            "ResourceNotFoundException".into(),
            "Device does not exist.".into()
        )
    );
    // Its refresh token went with it.
    let (code, _) = error_code(
        client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    // Without the key, the sign-in goes on with MFA.
    let again = harness
        .password_sign_in(&pool, "dev", PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        again.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
}

#[tokio::test]
async fn explicit_auth_flows_are_enforced() {
    let harness = Harness::start().await;
    let pool = harness
        .pool_with(
            |_| {
                vec![
                    ExplicitAuthFlowsType::AllowUserSrpAuth,
                    ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                ]
            },
            None,
        )
        .await;
    harness.confirmed_user(&pool, "flo").await;
    let (code, message) = error_code(harness.password_sign_in(&pool, "flo", PASSWORD).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client"
        )
    );
    let (code, message) = error_code(
        harness
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", "flo")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "Initiate Auth method not supported."
        )
    );
}

#[tokio::test]
async fn a_client_secret_requires_secret_hash_everywhere() {
    let harness = Harness::start().await;
    let pool = harness.pool_with(|flows| flows, Some(true)).await;
    let client = &harness.client;
    let secret = client
        .describe_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_secret
        .unwrap();
    let hash = |user: &str| secret_hash::compute(&secret, user, &pool.client_id);
    let sign_up = |secret_hash: Option<String>| {
        client
            .sign_up()
            .client_id(&pool.client_id)
            .set_secret_hash(secret_hash)
            .username("sec")
            .password(PASSWORD)
            .user_attributes(attribute("email", "sec@example.com"))
            .send()
    };
    let expected = (
        "NotAuthorizedException".to_owned(),
        format!("Unable to verify secret hash for client {}", pool.client_id),
    );
    assert_eq!(error_code(sign_up(None).await), expected);
    assert_eq!(error_code(sign_up(Some(hash("other"))).await), expected);
    sign_up(Some(hash("sec"))).await.unwrap();
    assert_eq!(
        error_code(
            client
                .confirm_sign_up()
                .client_id(&pool.client_id)
                .username("sec")
                .confirmation_code(harness.latest_code("sec"))
                .send()
                .await
        ),
        expected
    );
    client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username("sec")
        .secret_hash(hash("sec"))
        .confirmation_code(harness.latest_code("sec"))
        .send()
        .await
        .unwrap();
    let start = |with_hash: bool| {
        let mut request = client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "sec")
            .auth_parameters("PASSWORD", PASSWORD);
        if with_hash {
            request = request.auth_parameters("SECRET_HASH", hash("sec"));
        }
        request.send()
    };
    assert_eq!(error_code(start(false).await), expected);
    let challenge = start(true).await.unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeNameType::MfaSetup));
}

#[tokio::test]
async fn deleted_users_lose_their_tokens() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let (_key, _group, _secret, refresh) = harness.remembered_device(&pool, "gone").await;
    let access = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let user = harness
        .client
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(user.username, "gone");
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("gone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(harness.client.get_user().access_token(&access).send().await).0,
        "NotAuthorizedException"
    );
    assert_eq!(
        error_code(
            harness
                .client
                .initiate_auth()
                .client_id(&pool.client_id)
                .auth_flow(AuthFlowType::RefreshTokenAuth)
                .auth_parameters("REFRESH_TOKEN", &refresh)
                .send()
                .await
        )
        .0,
        "NotAuthorizedException"
    );
    assert_eq!(
        error_code(
            harness
                .client
                .admin_get_user()
                .user_pool_id(&pool.id)
                .username("gone")
                .send()
                .await
        )
        .0,
        "UserNotFoundException"
    );
}

#[tokio::test]
async fn wrong_totp_codes_lock_mfa_across_sessions() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "target").await;
    let answer = |session: String, code: String| {
        harness
            .client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", "target")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };
    let wrong = |right: &str| {
        if right == "000000" {
            "999999"
        } else {
            "000000"
        }
        .to_owned()
    };
    // One wrong guess per fresh sign-in: the password is right every time.
    for _ in 0..5 {
        let session = harness
            .admin_password_sign_in(&pool, "target")
            .await
            .session
            .unwrap();
        let (code, _) = error_code(answer(session, wrong(&harness.totp(&secret, 1))).await);
        assert_eq!(code, "CodeMismatchException");
    }
    let session = harness
        .admin_password_sign_in(&pool, "target")
        .await
        .session
        .unwrap();
    let (code, message) = error_code(answer(session.clone(), harness.totp(&secret, 1)).await);
    assert_eq!(code, "NotAuthorizedException");
    assert!(
        message.starts_with("Too many invalid credentials attempts"),
        "{message}"
    );
    // The lock lifts after a while; a right code then works.
    harness.clock.advance(Duration::from_secs(2));
    answer(session, harness.totp(&secret, 1)).await.unwrap();
}
