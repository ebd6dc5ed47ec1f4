// SPDX-License-Identifier: Apache-2.0
//! Many clients at once, each running the whole scenario: zero failed flows, no crossed users
//! (every token names its own user and device), and memory that does not grow from one round
//! to the next. `bench/` has a longer version.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, SdkError};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceSecretVerifierConfigType,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_emulator::testing;
use cognito_srp::{DeviceSecret, Identity, SrpClient};
use common::{Harness, PASSWORD, Pool, attribute, challenge};
use serde_json::Value;

/// Concurrent clients and rounds: 200 and 2 in CI; `bench/soak.sh` raises them.
fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn claims(token: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// Describes a failed call of one flow.
fn failed<E, R>(username: &str, step: &'static str) -> impl FnOnce(SdkError<E, R>) -> String
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let username = username.to_owned();
    move |error| format!("{username}: {step}: {}", DisplayErrorContext(error))
}

/// The whole scenario for one user, ending with the user deleted or `kept`; any failure is
/// returned as text.
// Long: one client's whole flow, in the order a real client sends it.
async fn flow(
    harness: Arc<Harness>,
    pool: Arc<Pool>,
    username: String,
    kept: bool,
) -> Result<(), String> {
    let client = &harness.client;
    client
        .sign_up()
        .client_id(&pool.client_id)
        .username(&username)
        .password(PASSWORD)
        .user_attributes(attribute("email", &format!("{username}@example.com")))
        .send()
        .await
        .map_err(failed(&username, "SignUp"))?;
    let code = harness.latest_code(&username);
    client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username(&username)
        .confirmation_code(code)
        .send()
        .await
        .map_err(failed(&username, "ConfirmSignUp"))?;
    let admin_sign_in = || {
        client
            .admin_initiate_auth()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", &username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
    };
    let setup = admin_sign_in()
        .await
        .map_err(failed(&username, "AdminInitiateAuth"))?;
    let associated = client
        .associate_software_token()
        .session(setup.session.unwrap_or_default())
        .send()
        .await
        .map_err(failed(&username, "AssociateSoftwareToken"))?;
    let secret = associated.secret_code.unwrap_or_default();
    let verified = client
        .verify_software_token()
        .session(associated.session.unwrap_or_default())
        .user_code(harness.totp(&secret, 0))
        .send()
        .await
        .map_err(failed(&username, "VerifySoftwareToken"))?;
    let answer = |challenge: ChallengeNameType, session: Option<String>, code: Option<String>| {
        let mut request = client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(challenge)
            .set_session(session)
            .challenge_responses("USERNAME", &username);
        if let Some(code) = code {
            request = request.challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code);
        }
        request.send()
    };
    answer(ChallengeNameType::MfaSetup, verified.session, None)
        .await
        .map_err(failed(&username, "MFA_SETUP"))?;
    let mfa = admin_sign_in()
        .await
        .map_err(failed(&username, "AdminInitiateAuth"))?;
    let tokens = answer(
        ChallengeNameType::SoftwareTokenMfa,
        mfa.session,
        Some(harness.totp(&secret, 1)),
    )
    .await
    .map_err(failed(&username, "SOFTWARE_TOKEN_MFA"))?
    .authentication_result
    .ok_or("no tokens")?;
    let access = tokens.access_token.unwrap_or_default();
    if claims(&access)["username"] != username.as_str() {
        return Err(format!(
            "{username}: got someone else's token: {}",
            claims(&access)["username"]
        ));
    }
    let device = tokens.new_device_metadata.ok_or("no device")?;
    let (key, group) = (
        device.device_key.unwrap_or_default(),
        device.device_group_key.unwrap_or_default(),
    );
    let identity = Identity::device(&group, &key).map_err(|e| e.to_string())?;
    let device_secret = DeviceSecret::generate(&identity).map_err(|e| e.to_string())?;
    client
        .confirm_device()
        .access_token(&access)
        .device_key(&key)
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(device_secret.verifier().verifier_base64())
                .salt(device_secret.verifier().salt_base64())
                .build(),
        )
        .send()
        .await
        .map_err(failed(&username, "ConfirmDevice"))?;
    let started = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", &username)
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("DEVICE_KEY", &key)
        .send()
        .await
        .map_err(failed(&username, "InitiateAuth"))?;
    let srp = SrpClient::new().map_err(|e| e.to_string())?;
    let verifier = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .set_session(started.session)
        .challenge_responses("USERNAME", &username)
        .challenge_responses("DEVICE_KEY", &key)
        .challenge_responses("SRP_A", srp.srp_a())
        .send()
        .await
        .map_err(failed(&username, "DEVICE_SRP_AUTH"))?;
    let parameters = verifier.challenge_parameters.unwrap_or_default();
    let claim = srp
        .password_claim(
            &identity,
            device_secret.device_password(),
            &challenge(&parameters),
        )
        .map_err(|e| e.to_string())?;
    let signed_in = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .set_session(verifier.session)
        .challenge_responses("USERNAME", &username)
        .challenge_responses("DEVICE_KEY", &key)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block)
        .challenge_responses("TIMESTAMP", claim.timestamp)
        .send()
        .await
        .map_err(failed(&username, "DEVICE_PASSWORD_VERIFIER"))?
        .authentication_result
        .ok_or("no tokens after the device sign-in")?;
    let device_access = claims(&signed_in.access_token.unwrap_or_default());
    if device_access["username"] != username.as_str() || device_access["device_key"] != key.as_str()
    {
        return Err(format!(
            "{username}: the device sign-in's token is not this user's: {device_access}"
        ));
    }
    if kept {
        return Ok(());
    }
    client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username(&username)
        .send()
        .await
        .map_err(failed(&username, "AdminDeleteUser"))?;
    Ok(())
}

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn round(
    harness: &Arc<Harness>,
    pool: &Arc<Pool>,
    round: usize,
    clients: usize,
    kept: bool,
) -> Duration {
    let started = Instant::now();
    let flows: Vec<_> = (0..clients)
        .map(|i| {
            tokio::spawn(flow(
                harness.clone(),
                pool.clone(),
                format!("load-{round}-{i}"),
                kept,
            ))
        })
        .collect();
    let mut failures = Vec::new();
    for flow in flows {
        if let Err(error) = flow.await.expect("a flow task panicked") {
            failures.push(error);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {clients} flows failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_run_the_whole_flow_at_once() {
    let (clients, rounds) = (
        setting("LOAD_CLIENTS", 200),
        setting("LOAD_ROUNDS", 2).max(2),
    );
    let harness = Arc::new(Harness::start().await);
    let pool = Arc::new(harness.scenario_pool().await);
    let mut after_first = 0;
    for number in 1..=rounds {
        let took = round(&harness, &pool, number, clients, false).await;
        let resident = resident_kib();
        let held = {
            let pool = testing::service(&harness.emulator).pool(&pool.id).unwrap();
            let state = pool.lock();
            (
                state.users.len(),
                state.sessions.len(),
                state.devices.len(),
                state.refresh_grants.len(),
                state.subs.len(),
            )
        };
        let outbox = harness.emulator.messages(None).len();
        eprintln!(
            "round {number}: {clients} concurrent flows in {took:.2?}, RSS {resident} KiB, outbox {outbox}"
        );
        // Each flow deleted its user: nothing of it may stay behind, whatever the allocator does.
        assert_eq!(
            held,
            (0, 0, 0, 0, 0),
            "(users, sessions, devices, refresh grants, subs) left after round {number}"
        );
        assert!(outbox <= 10_000, "the outbox is capped at 10,000 messages");
        if number == 1 {
            after_first = resident;
        } else {
            // Every user was deleted at the end of its flow: later rounds leave nothing behind.
            assert!(
                resident < after_first + setting("LOAD_MAX_RSS_GROWTH_KIB", 16 * 1024) as u64,
                "memory grew from {after_first} KiB after round 1 to {resident} KiB after round {number}"
            );
        }
    }
    let left = harness
        .client
        .list_users()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert!(left.users().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_concurrent_flows_a_restart_brings_back_exactly_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Arc::new(Harness::start_in(dir.path()).await);
    let pool = Arc::new(harness.scenario_pool().await);
    round(&harness, &pool, 1, 100, true).await;
    let before = testing::service(&harness.emulator).stored_form();
    let kinds: Vec<&str> = before
        .iter()
        .map(|line| {
            line.split("\"kind\":\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    // Per user: the user; the devices of the MFA-setup and the TOTP sign-ins (the second
    // confirmed); a refresh grant from each of the three sign-ins that returned tokens.
    assert_eq!(
        ["pool", "client", "user", "device", "refreshgrant"].map(count),
        [1, 1, 100, 200, 300]
    );

    let harness = Arc::into_inner(harness).unwrap().restart().await;
    let after = testing::service(&harness.emulator).stored_form();
    assert_eq!(after.len(), before.len());
    for (after, before) in after.iter().zip(&before) {
        assert_eq!(after, before);
    }
}
