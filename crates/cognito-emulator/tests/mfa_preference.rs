// SPDX-License-Identifier: Apache-2.0
//! The user's MFA preference, through the AWS SDK for Rust: SetUserMFAPreference and
//! AdminSetUserMFAPreference change what AdminGetUser and GetUser say, and (where the pool's MFA
//! is optional) whether a sign-in asks for a TOTP code; kept across a `--data-dir` restart.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, EmailMfaSettingsType, SmsMfaSettingsType, SoftwareTokenMfaConfigType,
    SoftwareTokenMfaSettingsType, UserPoolMfaType,
};
use common::{Harness, Pool, error_code};

fn totp(enabled: bool, preferred: bool) -> SoftwareTokenMfaSettingsType {
    SoftwareTokenMfaSettingsType::builder()
        .enabled(enabled)
        .preferred_mfa(preferred)
        .build()
}

async fn set_pool_mfa(harness: &Harness, pool: &Pool, mfa: UserPoolMfaType) {
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(mfa)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
}

async fn admin_set(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    settings: SoftwareTokenMfaSettingsType,
) {
    harness
        .client
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.id)
        .username(username)
        .software_token_mfa_settings(settings)
        .send()
        .await
        .expect("AdminSetUserMFAPreference");
}

/// AdminGetUser's (UserMFASettingList, PreferredMfaSetting).
async fn admin_mfa(
    harness: &Harness,
    pool: &Pool,
    username: &str,
) -> (Vec<String>, Option<String>) {
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .unwrap();
    (
        user.user_mfa_setting_list.unwrap_or_default(),
        user.preferred_mfa_setting,
    )
}

/// GetUser's (UserMFASettingList, PreferredMfaSetting).
async fn own_mfa(harness: &Harness, access_token: &str) -> (Vec<String>, Option<String>) {
    let user = harness
        .client
        .get_user()
        .access_token(access_token)
        .send()
        .await
        .unwrap();
    (
        user.user_mfa_setting_list.unwrap_or_default(),
        user.preferred_mfa_setting,
    )
}

fn listed(preferred: bool) -> (Vec<String>, Option<String>) {
    (
        vec!["SOFTWARE_TOKEN_MFA".to_owned()],
        preferred.then(|| "SOFTWARE_TOKEN_MFA".to_owned()),
    )
}

/// A password sign-in, answered with a TOTP code when it asks for one: the access token, and
/// whether it asked.
async fn sign_in(harness: &Harness, pool: &Pool, username: &str, secret: &str) -> (String, bool) {
    // A code is accepted once per step: move to a fresh one.
    harness.clock.advance(Duration::from_secs(30));
    let started = harness.admin_password_sign_in(pool, username).await;
    if let Some(result) = started.authentication_result {
        return (result.access_token.unwrap(), false);
    }
    assert_eq!(
        started.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let answered = harness
        .client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", username)
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(secret, 0))
        .send()
        .await
        .expect("SOFTWARE_TOKEN_MFA");
    (
        answered
            .authentication_result
            .unwrap()
            .access_token
            .unwrap(),
        true,
    )
}

#[tokio::test]
async fn the_preference_changes_what_admin_get_user_and_get_user_say() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    let (access, _) = sign_in(&harness, &pool, "alice", &secret).await;
    // Verified during MFA_SETUP: enabled and preferred.
    assert_eq!(admin_mfa(&harness, &pool, "alice").await, listed(true));
    assert_eq!(own_mfa(&harness, &access).await, listed(true));

    admin_set(&harness, &pool, "alice", totp(true, false)).await;
    assert_eq!(admin_mfa(&harness, &pool, "alice").await, listed(false));
    assert_eq!(own_mfa(&harness, &access).await, listed(false));

    harness
        .client
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(totp(false, true))
        .send()
        .await
        .expect("SetUserMFAPreference");
    assert_eq!(admin_mfa(&harness, &pool, "alice").await, (vec![], None));
    assert_eq!(own_mfa(&harness, &access).await, (vec![], None));

    // Settings left out leave TOTP as it is.
    harness
        .client
        .set_user_mfa_preference()
        .access_token(&access)
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(false).build())
        .send()
        .await
        .expect("SetUserMFAPreference turning SMS off");
    assert_eq!(own_mfa(&harness, &access).await, (vec![], None));
    harness
        .client
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(totp(true, true))
        .send()
        .await
        .expect("SetUserMFAPreference");
    assert_eq!(own_mfa(&harness, &access).await, listed(true));
}

#[tokio::test]
async fn enabling_what_the_user_cannot_use_is_refused() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    set_pool_mfa(&harness, &pool, UserPoolMfaType::Optional).await;
    harness.confirmed_user(&pool, "bob").await;
    let client = &harness.client;
    let admin = || {
        client
            .admin_set_user_mfa_preference()
            .user_pool_id(&pool.id)
            .username("bob")
    };
    let refused = error_code(
        admin()
            .software_token_mfa_settings(totp(true, true))
            .send()
            .await,
    );
    assert_eq!(
        refused,
        (
            "InvalidParameterException".to_owned(),
            "User has not verified software token mfa".to_owned()
        )
    );
    let sms = SmsMfaSettingsType::builder()
        .enabled(true)
        .preferred_mfa(true)
        .build();
    let refused = error_code(admin().sms_mfa_settings(sms).send().await);
    assert_eq!(refused.0, "InvalidParameterException", "{refused:?}");
    let email = EmailMfaSettingsType::builder().enabled(true).build();
    let refused = error_code(admin().email_mfa_settings(email).send().await);
    assert_eq!(refused.0, "InvalidParameterException", "{refused:?}");
    // Turning off what is off is fine.
    admin()
        .software_token_mfa_settings(totp(false, false))
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(false).build())
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(false).build())
        .send()
        .await
        .expect("turning everything off");
    assert_eq!(admin_mfa(&harness, &pool, "bob").await, (vec![], None));

    let unknown = admin()
        .username("nobody")
        .software_token_mfa_settings(totp(false, false));
    assert_eq!(error_code(unknown.send().await).0, "UserNotFoundException");
    let bad_token = client
        .set_user_mfa_preference()
        .access_token("not.a.token")
        .software_token_mfa_settings(totp(false, false))
        .send()
        .await;
    assert_eq!(error_code(bad_token).0, "NotAuthorizedException");
}

#[tokio::test]
async fn optional_mfa_asks_for_totp_only_while_the_user_has_it_enabled() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    set_pool_mfa(&harness, &pool, UserPoolMfaType::Optional).await;
    let (access, asked) = sign_in(&harness, &pool, "alice", &secret).await;
    assert!(asked, "enabled TOTP is asked for");

    harness
        .client
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(totp(false, false))
        .send()
        .await
        .expect("SetUserMFAPreference");
    assert!(
        !sign_in(&harness, &pool, "alice", &secret).await.1,
        "disabled TOTP is not asked for"
    );

    // Where MFA is on, TOTP is asked for whatever the user prefers.
    set_pool_mfa(&harness, &pool, UserPoolMfaType::On).await;
    assert!(sign_in(&harness, &pool, "alice", &secret).await.1);

    set_pool_mfa(&harness, &pool, UserPoolMfaType::Optional).await;
    admin_set(&harness, &pool, "alice", totp(true, false)).await;
    assert!(
        sign_in(&harness, &pool, "alice", &secret).await.1,
        "enabled, even if not preferred"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_preference_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let alice = harness.user_with_totp(&pool, "alice").await;
    let bob = harness.user_with_totp(&pool, "bob").await;
    set_pool_mfa(&harness, &pool, UserPoolMfaType::Optional).await;
    admin_set(&harness, &pool, "alice", totp(false, false)).await;
    admin_set(&harness, &pool, "bob", totp(true, false)).await;

    let harness = harness.restart().await;
    assert_eq!(admin_mfa(&harness, &pool, "alice").await, (vec![], None));
    assert_eq!(admin_mfa(&harness, &pool, "bob").await, listed(false));
    assert!(!sign_in(&harness, &pool, "alice", &alice).await.1);
    assert!(sign_in(&harness, &pool, "bob", &bob).await.1);
}
