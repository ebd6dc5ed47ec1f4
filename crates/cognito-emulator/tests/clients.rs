// SPDX-License-Identifier: Apache-2.0
//! What real client libraries do that the service accepts: DEVICE_KEY only in a challenge
//! response, device challenges answered without a Session, slow humans between MFA-setup steps;
//! and the binary as tools start and stop it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use cognito_srp::{Identity, SrpClient};
use common::{Harness, PASSWORD, challenge, sdk_client};

#[tokio::test]
// Long: one sign-in, step by step, as a client that leaves out the Session sends it.
async fn device_key_only_in_password_verifier_and_device_steps_without_session() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let (device_key, group_key, device_secret, _) = harness.remembered_device(&pool, "lib").await;

    // USER_SRP_AUTH without DEVICE_KEY, which comes with the PASSWORD_VERIFIER answer instead.
    let srp = SrpClient::new().unwrap();
    let started = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "lib")
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    let parameters = started.challenge_parameters.unwrap();
    let claim = srp
        .password_claim(
            &Identity::user(&pool.id, "lib").unwrap(),
            PASSWORD,
            &challenge(&parameters),
        )
        .unwrap();
    let answered = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", "lib")
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .challenge_responses("DEVICE_KEY", &device_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        answered.challenge_name,
        Some(ChallengeNameType::DeviceSrpAuth)
    );

    // Both device steps without a Session: the device key and SECRET_BLOCK find the sign-in.
    let device_srp = SrpClient::new().unwrap();
    let verifier = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .challenge_responses("USERNAME", "lib")
        .challenge_responses("DEVICE_KEY", &device_key)
        .challenge_responses("SRP_A", device_srp.srp_a())
        .send()
        .await
        .unwrap();
    let parameters = verifier.challenge_parameters.unwrap();
    let claim = device_srp
        .password_claim(
            &Identity::device(&group_key, &device_key).unwrap(),
            device_secret.device_password(),
            &challenge(&parameters),
        )
        .unwrap();
    let tokens = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .challenge_responses("USERNAME", "lib")
        .challenge_responses("DEVICE_KEY", &device_key)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let access =
        common::verified_claims(&harness, &pool.id, tokens.access_token.as_deref().unwrap()).await;
    assert_eq!(access["device_key"], device_key.as_str());
}

#[tokio::test]
async fn every_mfa_setup_step_gets_a_fresh_session_lifetime() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    harness.confirmed_user(&pool, "slow").await;
    let setup = harness.admin_password_sign_in(&pool, "slow").await;
    harness.clock.advance(Duration::from_secs(150));
    let associated = client
        .associate_software_token()
        .session(setup.session.unwrap())
        .send()
        .await
        .unwrap();
    harness.clock.advance(Duration::from_secs(150));
    let secret = associated.secret_code.unwrap();
    let verified = client
        .verify_software_token()
        .session(associated.session.unwrap())
        .user_code(harness.totp(&secret, 0))
        .send()
        .await
        .unwrap();
    harness.clock.advance(Duration::from_secs(150));
    client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::MfaSetup)
        .session(verified.session.unwrap())
        .challenge_responses("USERNAME", "slow")
        .send()
        .await
        .expect("7.5 minutes in all, but under 3 per step");
}

#[tokio::test]
async fn the_binary_prints_its_url_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();

    let pools = sdk_client(&url)
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert!(pools.user_pools.unwrap().is_empty());

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "stopped cleanly: {exit:?}");
}
