// SPDX-License-Identifier: Apache-2.0
//! Forged and stale tokens: every operation that takes an access token refuses a token whose
//! payload was changed, one signed with another pool's key, an unsigned (`alg: none`) one, an
//! expired one, and an ID token.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Harness, Pool, error_code};
use serde_json::Value;

/// A signed-in user's tokens.
async fn tokens(harness: &Harness, pool: &Pool, username: &str) -> (String, String) {
    let secret = harness.user_with_totp(pool, username).await;
    harness.clock.advance(Duration::from_secs(30));
    let challenge = harness.admin_password_sign_in(pool, username).await;
    let result = harness
        .client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session.unwrap())
        .challenge_responses("USERNAME", username)
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(&secret, 0))
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    (result.access_token.unwrap(), result.id_token.unwrap())
}

fn parts(token: &str) -> (Value, Value, String) {
    let pieces: Vec<&str> = token.split('.').collect();
    let decode =
        |part: &str| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap();
    (decode(pieces[0]), decode(pieces[1]), pieces[2].to_owned())
}

fn assemble(header: &Value, payload: &Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

/// Calls every operation that takes an access token; returns each one's error code.
async fn every_token_operation(harness: &Harness, token: &str) -> Vec<(&'static str, String)> {
    let client = &harness.client;
    let device = "us-east-1_00000000-0000-4000-8000-000000000000";
    vec![
        ("GetUser", error_code(client.get_user().access_token(token).send().await).0),
        ("ListDevices", error_code(client.list_devices().access_token(token).send().await).0),
        (
            "ForgetDevice",
            error_code(client.forget_device().access_token(token).device_key(device).send().await).0,
        ),
        (
            "UpdateDeviceStatus",
            error_code(
                client
                    .update_device_status()
                    .access_token(token)
                    .device_key(device)
                    .device_remembered_status("remembered".into())
                    .send()
                    .await,
            )
            .0,
        ),
        (
            "ConfirmDevice",
            error_code(
                client
                    .confirm_device()
                    .access_token(token)
                    .device_key(device)
                    .device_secret_verifier_config(
                        aws_sdk_cognitoidentityprovider::types::DeviceSecretVerifierConfigType::builder()
                            .password_verifier("AQ==")
                            .salt("AQ==")
                            .build(),
                    )
                    .send()
                    .await,
            )
            .0,
        ),
        (
            "AssociateSoftwareToken",
            error_code(client.associate_software_token().access_token(token).send().await).0,
        ),
        (
            "VerifySoftwareToken",
            error_code(
                client.verify_software_token().access_token(token).user_code("123456").send().await,
            )
            .0,
        ),
    ]
}

fn assert_all_refused(results: Vec<(&'static str, String)>, what: &str) {
    for (operation, code) in results {
        assert_eq!(
            code, "NotAuthorizedException",
            "{operation} accepted {what}"
        );
    }
}

#[tokio::test]
async fn forged_and_stale_tokens_are_refused_everywhere() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let other_pool = harness.scenario_pool().await;
    let (access, id) = tokens(&harness, &pool, "victim").await;
    let (foreign, _) = tokens(&harness, &other_pool, "mallory").await;
    // The genuine token works.
    harness
        .client
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();

    let (header, payload, signature) = parts(&access);

    let mut changed = payload.clone();
    changed["username"] = "someone-else".into();
    assert_all_refused(
        every_token_operation(&harness, &assemble(&header, &changed, &signature)).await,
        "a changed payload",
    );

    let mut longer = payload.clone();
    longer["exp"] = (payload["exp"].as_i64().unwrap() + 86_400).into();
    assert_all_refused(
        every_token_operation(&harness, &assemble(&header, &longer, &signature)).await,
        "an extended expiry",
    );

    // Another pool's token, with its issuer rewritten to this pool: the key gives it away.
    let (foreign_header, mut foreign_payload, foreign_signature) = parts(&foreign);
    foreign_payload["iss"] = payload["iss"].clone();
    assert_all_refused(
        every_token_operation(
            &harness,
            &assemble(&foreign_header, &foreign_payload, &foreign_signature),
        )
        .await,
        "another pool's key",
    );
    // (The other pool's token as it is, unaltered, is valid: for its own pool and user.)

    let mut none = header.clone();
    none["alg"] = "none".into();
    assert_all_refused(
        every_token_operation(&harness, &assemble(&none, &payload, "")).await,
        "alg none",
    );
    assert_all_refused(
        every_token_operation(&harness, &assemble(&none, &payload, &signature)).await,
        "alg none with a signature",
    );

    assert_all_refused(every_token_operation(&harness, &id).await, "an ID token");
    assert_all_refused(
        every_token_operation(&harness, "not.a.token").await,
        "garbage",
    );

    harness.clock.advance(Duration::from_secs(3601));
    assert_all_refused(
        every_token_operation(&harness, &access).await,
        "an expired token",
    );
}

#[tokio::test]
async fn a_refresh_token_works_only_for_its_client_and_only_while_the_user_exists() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let (_key, _group, _secret, refresh) = harness.remembered_device(&pool, "ref").await;
    let other_client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("other")
        .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let refresh_with = |client_id: String| {
        harness
            .client
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .send()
    };
    let (code, message) = error_code(refresh_with(other_client).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token.")
    );
    refresh_with(pool.client_id.clone()).await.unwrap();
    let (code, _) = error_code(
        harness
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", "made-up-refresh-token")
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
}
