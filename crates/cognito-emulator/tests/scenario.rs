// SPDX-License-Identifier: Apache-2.0
//! The whole "sign up a user with MFA" scenario through the AWS SDK for Rust, as the example
//! runs it: sign-up, confirmation, MFA setup, TOTP sign-in, a remembered device, and a device
//! sign-in with real SRP and no TOTP code.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceSecretVerifierConfigType, UserStatusType,
};
use cognito_srp::{DeviceSecret, Identity, SrpClient};
use common::{Harness, PASSWORD, attribute, challenge, verified_claims};

#[tokio::test]
// Long: the whole scenario in order, as the example runs it; a step needs the answers of the ones before.
async fn sign_up_with_mfa_then_sign_in_with_a_remembered_device() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;

    // Pool ids look like the real ones.
    let (region, suffix) = pool.id.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(suffix.len(), 9);
    assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));

    // SignUp
    let signed_up = client
        .sign_up()
        .client_id(&pool.client_id)
        .username("Jane")
        .password(PASSWORD)
        .user_attributes(attribute("email", "jane@example.com"))
        .send()
        .await
        .unwrap();
    assert!(!signed_up.user_confirmed);
    let delivery = signed_up.code_delivery_details.unwrap();
    assert_eq!(delivery.destination.as_deref(), Some("j***@e***.com"));
    assert_eq!(delivery.attribute_name.as_deref(), Some("email"));

    // AdminGetUser: unconfirmed.
    let user = client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("jane")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status, Some(UserStatusType::Unconfirmed));
    assert_eq!(user.username, "Jane");

    // ConfirmSignUp with the emailed code (the outbox), after a resend.
    let first = harness.latest_code("Jane");
    client
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("jane")
        .send()
        .await
        .unwrap();
    let second = harness.latest_code("Jane");
    assert_eq!(harness.emulator.messages(Some("Jane")).len(), 2);
    assert_eq!(second.len(), 6);
    if first != second {
        let (code, _) = common::error_code(
            client
                .confirm_sign_up()
                .client_id(&pool.client_id)
                .username("Jane")
                .confirmation_code(&first)
                .send()
                .await,
        );
        assert_eq!(code, "ExpiredCodeException");
    }
    client
        .confirm_sign_up()
        .client_id(&pool.client_id)
        .username("Jane")
        .confirmation_code(&second)
        .send()
        .await
        .unwrap();

    // ListUsers shows the user, confirmed, with a verified email.
    let listed = client
        .list_users()
        .user_pool_id(&pool.id)
        .filter("email = \"JANE@example.com\"")
        .send()
        .await
        .unwrap();
    let users = listed.users.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user_status, Some(UserStatusType::Confirmed));
    let attributes = users[0].attributes.clone().unwrap();
    assert!(
        attributes
            .iter()
            .any(|a| a.name == "email_verified" && a.value.as_deref() == Some("true"))
    );

    // AdminInitiateAuth meets MFA_SETUP, with MFAS_CAN_SETUP as a JSON string.
    let setup = harness.admin_password_sign_in(&pool, "jane").await;
    assert_eq!(setup.challenge_name, Some(ChallengeNameType::MfaSetup));
    let parameters = setup.challenge_parameters.unwrap();
    assert_eq!(parameters["MFAS_CAN_SETUP"], "[\"SOFTWARE_TOKEN_MFA\"]");

    // AssociateSoftwareToken with the challenge's session: a fresh base32 secret.
    let associated = client
        .associate_software_token()
        .session(setup.session.unwrap())
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code.unwrap();
    assert_eq!(secret.len(), 32);
    assert!(
        secret
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
    );

    // VerifySoftwareToken with a code from the secret.
    let verified = client
        .verify_software_token()
        .session(associated.session.unwrap())
        .user_code(harness.totp(&secret, 0))
        .friendly_device_name("phone")
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status.unwrap().as_str(), "SUCCESS");

    // MFA_SETUP is finished with VerifySoftwareToken's session and only USERNAME.
    let enrolled = client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::MfaSetup)
        .session(verified.session.unwrap())
        .challenge_responses("USERNAME", "Jane")
        .send()
        .await
        .unwrap();
    assert!(
        enrolled
            .authentication_result
            .unwrap()
            .access_token
            .is_some()
    );

    // AdminGetUser now lists the TOTP factor.
    let user = client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("Jane")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.user_mfa_setting_list.unwrap(),
        vec!["SOFTWARE_TOKEN_MFA"]
    );

    // Sign in again: SOFTWARE_TOKEN_MFA, answered with the next step's code (this step's is spent).
    let mfa = harness.admin_password_sign_in(&pool, "Jane").await;
    assert_eq!(
        mfa.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let signed_in = client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(mfa.session.unwrap())
        .challenge_responses("USERNAME", "Jane")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(&secret, 1))
        .send()
        .await
        .unwrap();
    let tokens = signed_in.authentication_result.unwrap();
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
    assert_eq!(tokens.expires_in, 3600);
    assert!(tokens.refresh_token.is_some());
    let device = tokens
        .new_device_metadata
        .expect("a tracked pool offers the new device");
    let (device_key, group_key) = (device.device_key.unwrap(), device.device_group_key.unwrap());
    assert!(device_key.starts_with("us-east-1_"));
    assert!(group_key.starts_with('-'));

    // The tokens verify against the pool's JWKS and carry the documented claims.
    let access_token = tokens.access_token.unwrap();
    let id = verified_claims(&harness, &pool.id, tokens.id_token.as_deref().unwrap()).await;
    let access = verified_claims(&harness, &pool.id, &access_token).await;
    let issuer = format!("{}/{}", harness.emulator.url(), pool.id);
    assert_eq!(id["iss"], issuer.as_str());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], pool.client_id.as_str());
    assert_eq!(id["cognito:username"], "Jane");
    assert_eq!(id["email"], "jane@example.com");
    assert_eq!(id["email_verified"], serde_json::Value::Bool(true));
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], pool.client_id.as_str());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["username"], "Jane");
    assert_eq!(access["device_key"], device_key.as_str());
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert_eq!(id["sub"], access["sub"]);
    // ID and access tokens are signed with different keys.
    let header = |token: &str| token.split('.').next().unwrap().to_owned();
    assert_ne!(
        header(tokens.id_token.as_deref().unwrap()),
        header(&access_token)
    );

    // ConfirmDevice with a verifier from cognito-srp: remembered at once.
    let identity = Identity::device(&group_key, &device_key).unwrap();
    let device_secret = DeviceSecret::generate(&identity).unwrap();
    let confirmed = client
        .confirm_device()
        .access_token(&access_token)
        .device_key(&device_key)
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(device_secret.verifier().verifier_base64())
                .salt(device_secret.verifier().salt_base64())
                .build(),
        )
        .device_name("laptop")
        .send()
        .await
        .unwrap();
    assert!(!confirmed.user_confirmation_necessary);
    let devices = client
        .list_devices()
        .access_token(&access_token)
        .send()
        .await
        .unwrap()
        .devices
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].device_key.as_deref(), Some(device_key.as_str()));

    // InitiateAuth with the device key: DEVICE_SRP_AUTH instead of a TOTP code.
    let started = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "jane")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("DEVICE_KEY", &device_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name,
        Some(ChallengeNameType::DeviceSrpAuth)
    );

    let srp = SrpClient::new().unwrap();
    let srp_a = srp.srp_a();
    let device_challenge = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", "Jane")
        .challenge_responses("DEVICE_KEY", &device_key)
        .challenge_responses("SRP_A", &srp_a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        device_challenge.challenge_name,
        Some(ChallengeNameType::DevicePasswordVerifier)
    );
    let parameters = device_challenge.challenge_parameters.unwrap();
    let claim = srp
        .password_claim(
            &identity,
            device_secret.device_password(),
            &challenge(&parameters),
        )
        .unwrap();
    let device_signed_in = client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .session(device_challenge.session.unwrap())
        .challenge_responses("USERNAME", "Jane")
        .challenge_responses("DEVICE_KEY", &device_key)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await
        .unwrap();
    let device_tokens = device_signed_in.authentication_result.unwrap();
    assert!(device_tokens.new_device_metadata.is_none());
    let access = verified_claims(
        &harness,
        &pool.id,
        device_tokens.access_token.as_deref().unwrap(),
    )
    .await;
    assert_eq!(access["device_key"], device_key.as_str());

    // Refresh keeps origin_jti and auth_time, and issues no new refresh token.
    let refreshed = client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters(
            "REFRESH_TOKEN",
            device_tokens.refresh_token.as_deref().unwrap(),
        )
        .auth_parameters("DEVICE_KEY", &device_key)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(refreshed.refresh_token.is_none());
    let again = verified_claims(
        &harness,
        &pool.id,
        refreshed.access_token.as_deref().unwrap(),
    )
    .await;
    assert_eq!(again["origin_jti"], access["origin_jti"]);
    assert_eq!(again["auth_time"], access["auth_time"]);

    // Clean up as the scenario does.
    client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("Jane")
        .send()
        .await
        .unwrap();
    client
        .delete_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    harness.emulator.stop().await.unwrap();
}

#[tokio::test]
async fn user_srp_sign_in_uses_the_internal_username() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "Mixed.Case").await;

    let srp = SrpClient::new().unwrap();
    let started = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "mixed.case")
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name,
        Some(ChallengeNameType::PasswordVerifier)
    );
    let parameters = started.challenge_parameters.unwrap();
    let user_id = &parameters["USER_ID_FOR_SRP"];
    assert_eq!(user_id, "Mixed.Case");
    let claim = srp
        .password_claim(
            &Identity::user(&pool.id, user_id).unwrap(),
            PASSWORD,
            &challenge(&parameters),
        )
        .unwrap();
    // Answered without a Session, as some clients do: the SECRET_BLOCK finds the sign-in.
    let answered = harness
        .client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", user_id)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await
        .unwrap();
    assert_eq!(
        answered.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let tokens = harness
        .client
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(answered.session.unwrap())
        .challenge_responses("USERNAME", user_id)
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(&secret, 1))
        .send()
        .await
        .unwrap();
    assert!(tokens.authentication_result.unwrap().id_token.is_some());
}
