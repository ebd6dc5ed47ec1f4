// SPDX-License-Identifier: Apache-2.0
//! AdminDeleteSoftwareToken, and the legacy MFA settings of AdminSetUserSettings and
//! SetUserSettings, through the SDK and across a `--data-dir` restart.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, DeliveryMediumType, MfaOptionType, SoftwareTokenMfaConfigType,
    UserPoolMfaType,
};
use common::{Harness, PASSWORD, Pool, error_code};

fn sms_option() -> MfaOptionType {
    MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Sms)
        .attribute_name("phone_number")
        .build()
}

/// AdminGetUser's (UserMFASettingList, MFAOptions).
async fn admin_mfa(
    harness: &Harness,
    pool: &Pool,
    username: &str,
) -> (Vec<String>, Vec<MfaOptionType>) {
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminGetUser");
    (
        user.user_mfa_setting_list.unwrap_or_default(),
        user.mfa_options.unwrap_or_default(),
    )
}

async fn delete_software_token(
    harness: &Harness,
    pool_id: &str,
    username: &str,
) -> Result<(), String> {
    let answer = harness
        .client
        .admin_delete_software_token()
        .user_pool_id(pool_id)
        .username(username)
        .send()
        .await;
    common::outcome(answer)
        .map(|_| ())
        .map_err(|(code, _)| code)
}

#[tokio::test]
async fn a_deleted_software_token_answers_no_code_and_mfa_is_set_up_again() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    assert_eq!(
        admin_mfa(&harness, &pool, "alice").await.0,
        ["SOFTWARE_TOKEN_MFA"]
    );
    harness.clock.advance(Duration::from_secs(30));
    let waiting = harness.admin_password_sign_in(&pool, "alice").await;
    assert_eq!(
        waiting.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );

    delete_software_token(&harness, &pool.id, "alice")
        .await
        .unwrap();
    assert_eq!(
        admin_mfa(&harness, &pool, "alice").await.0,
        Vec::<String>::new()
    );
    // The sign-in that was waiting for a code can no longer be answered with one.
    let answered = harness
        .client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(waiting.session.unwrap())
        .challenge_responses("USERNAME", "alice")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(&secret, 0))
        .send()
        .await;
    assert_eq!(error_code(answered).0, "SoftwareTokenMFANotFoundException");

    // MFA is required: the next sign-in asks to set it up again, after a restart too.
    let harness = harness.restart().await;
    let next = harness.admin_password_sign_in(&pool, "alice").await;
    assert_eq!(next.challenge_name, Some(ChallengeNameType::MfaSetup));
    // Where MFA is optional, the user now signs in with the password alone.
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .unwrap();
    let signed_in = harness.admin_password_sign_in(&pool, "alice").await;
    assert!(signed_in.authentication_result.is_some(), "{signed_in:?}");
    // Deleting again, with nothing left to delete, succeeds.
    delete_software_token(&harness, &pool.id, "alice")
        .await
        .unwrap();
}

#[tokio::test]
async fn deleting_a_software_token_refuses_missing_and_unconfirmed_users() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.sign_up(&pool, "newcomer").await;
    assert_eq!(
        delete_software_token(&harness, &pool.id, "newcomer").await,
        Err("UserNotConfirmedException".to_owned())
    );
    assert_eq!(
        delete_software_token(&harness, &pool.id, "nobody").await,
        Err("UserNotFoundException".to_owned())
    );
    assert_eq!(
        delete_software_token(&harness, "us-east-1_Nowhere1", "nobody").await,
        Err("ResourceNotFoundException".to_owned())
    );
}

#[tokio::test]
async fn legacy_sms_options_are_checked_kept_and_shown_but_ask_for_no_code() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "ann").await;
    harness
        .client
        .admin_set_user_settings()
        .user_pool_id(&pool.id)
        .username("ann")
        .mfa_options(sms_option())
        .send()
        .await
        .expect("AdminSetUserSettings");
    assert_eq!(
        admin_mfa(&harness, &pool, "ann").await,
        (Vec::new(), vec![sms_option()])
    );

    let listed = harness
        .client
        .list_users()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("ListUsers");
    assert_eq!(listed.users()[0].mfa_options(), [sms_option()]);

    let harness = harness.restart().await;
    assert_eq!(admin_mfa(&harness, &pool, "ann").await.1, [sms_option()]);
    // The emulator sends no SMS: the option asks for no code at sign-in.
    let token = harness.access_token(&pool, "ann", PASSWORD).await;
    let own = harness
        .client
        .get_user()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.mfa_options(), [sms_option()]);
    harness
        .client
        .set_user_settings()
        .access_token(&token)
        .set_mfa_options(Some(Vec::new()))
        .send()
        .await
        .expect("SetUserSettings");
    let own = harness
        .client
        .get_user()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.mfa_options(), []);
    assert_eq!(admin_mfa(&harness, &pool, "ann").await.1, []);
}

#[tokio::test]
async fn legacy_settings_refuse_anything_but_sms_to_the_phone_number() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "ann").await;
    let token = harness.access_token(&pool, "ann", PASSWORD).await;
    let email = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Email)
        .attribute_name("phone_number")
        .build();
    for refused in [email, wrong_attribute_option()] {
        let admin = harness
            .client
            .admin_set_user_settings()
            .user_pool_id(&pool.id)
            .username("ann")
            .mfa_options(refused.clone())
            .send()
            .await;
        assert_eq!(error_code(admin).0, "InvalidParameterException");
        let own = harness
            .client
            .set_user_settings()
            .access_token(&token)
            .mfa_options(refused)
            .send()
            .await;
        assert_eq!(error_code(own).0, "InvalidParameterException");
    }
    let (code, message) = error_code(
        harness
            .client
            .admin_set_user_settings()
            .user_pool_id(&pool.id)
            .username("ann")
            .mfa_options(wrong_attribute_option())
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("phone_number"), "{message}");
    let nobody = harness
        .client
        .admin_set_user_settings()
        .user_pool_id(&pool.id)
        .username("nobody")
        .mfa_options(sms_option())
        .send()
        .await;
    assert_eq!(error_code(nobody).0, "UserNotFoundException");
    let forged = harness
        .client
        .set_user_settings()
        .access_token("not.a.token")
        .mfa_options(sms_option())
        .send()
        .await;
    assert_eq!(error_code(forged).0, "NotAuthorizedException");
    assert_eq!(
        admin_mfa(&harness, &pool, "ann").await.1,
        [],
        "nothing was kept"
    );
}

fn wrong_attribute_option() -> MfaOptionType {
    MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Sms)
        .attribute_name("email")
        .build()
}
