// SPDX-License-Identifier: Apache-2.0
//! The features a pool's feature plan (UserPoolTier) must include, through the AWS SDK for
//! Rust: Lite pools are refused email MFA, passwordless first factors, access-token
//! customization, password history and managed login (version 2) with
//! FeatureUnavailableInTierException, and a pool with one of them on cannot move to Lite.

mod common;

use aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, EmailConfigurationType, EmailMfaConfigType, EmailSendingAccountType,
    LambdaConfigType, PasswordPolicyType, PreTokenGenerationLambdaVersionType,
    PreTokenGenerationVersionConfigType, SignInPolicyType, UserPoolPolicyType, UserPoolTierType,
};
use common::{Harness, outcome};

const REFUSED: &str = "FeatureUnavailableInTierException";

/// CreateUserPool of the plan with what `configure` sets: the pool id, or the error's code.
async fn create_pool(
    harness: &Harness,
    tier: UserPoolTierType,
    configure: impl FnOnce(CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder,
) -> Result<String, String> {
    let create = harness
        .client
        .create_user_pool()
        .pool_name("plans")
        .user_pool_tier(tier);
    outcome(configure(create).send().await)
        .map(|answer| answer.user_pool.unwrap().id.unwrap())
        .map_err(|(code, _)| code)
}

/// UpdateUserPool to another plan, keeping what `configure` sets.
async fn move_pool(
    harness: &Harness,
    pool_id: &str,
    tier: UserPoolTierType,
    policies: Option<UserPoolPolicyType>,
    lambda: Option<LambdaConfigType>,
) -> Result<(), String> {
    let answer = harness
        .client
        .update_user_pool()
        .user_pool_id(pool_id)
        .user_pool_tier(tier)
        .set_policies(policies)
        .set_lambda_config(lambda)
        .send()
        .await;
    outcome(answer).map(|_| ()).map_err(|(code, _)| code)
}

fn passwordless_policy() -> UserPoolPolicyType {
    let sign_in = SignInPolicyType::builder()
        .allowed_first_auth_factors(AuthFactorType::Password)
        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
        .build();
    UserPoolPolicyType::builder()
        .sign_in_policy(sign_in)
        .build()
}

fn pre_token_trigger(version: PreTokenGenerationLambdaVersionType) -> LambdaConfigType {
    let trigger = PreTokenGenerationVersionConfigType::builder()
        .lambda_version(version)
        .lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:tokens")
        .build()
        .unwrap();
    LambdaConfigType::builder()
        .pre_token_generation_config(trigger)
        .build()
}

#[tokio::test]
async fn passwordless_first_factors_need_essentials() {
    let harness = Harness::start().await;
    let lite = create_pool(&harness, UserPoolTierType::Lite, |create| {
        create.policies(passwordless_policy())
    })
    .await;
    assert_eq!(lite.unwrap_err(), REFUSED);
    let essentials = create_pool(&harness, UserPoolTierType::Essentials, |create| {
        create.policies(passwordless_policy())
    })
    .await
    .expect("Essentials allows EMAIL_OTP");
    let moved = move_pool(
        &harness,
        &essentials,
        UserPoolTierType::Lite,
        Some(passwordless_policy()),
        None,
    )
    .await;
    assert_eq!(moved.unwrap_err(), REFUSED, "not to Lite while it is on");
}

#[tokio::test]
async fn access_token_customization_needs_essentials() {
    let harness = Harness::start().await;
    for version in [
        PreTokenGenerationLambdaVersionType::V20,
        PreTokenGenerationLambdaVersionType::V30,
    ] {
        let lite = create_pool(&harness, UserPoolTierType::Lite, |create| {
            create.lambda_config(pre_token_trigger(version.clone()))
        })
        .await;
        assert_eq!(lite.unwrap_err(), REFUSED, "{version:?}");
    }
    let lite = create_pool(&harness, UserPoolTierType::Lite, |create| {
        create.lambda_config(pre_token_trigger(PreTokenGenerationLambdaVersionType::V10))
    })
    .await
    .expect("ID-token customization (V1_0) is in every plan");
    let moved = move_pool(
        &harness,
        &lite,
        UserPoolTierType::Lite,
        None,
        Some(pre_token_trigger(PreTokenGenerationLambdaVersionType::V20)),
    )
    .await;
    assert_eq!(moved.unwrap_err(), REFUSED);
    create_pool(&harness, UserPoolTierType::Essentials, |create| {
        create.lambda_config(pre_token_trigger(PreTokenGenerationLambdaVersionType::V20))
    })
    .await
    .expect("Essentials customizes access tokens");
}

#[tokio::test]
async fn password_history_needs_essentials() {
    let harness = Harness::start().await;
    let history = || {
        let password = PasswordPolicyType::builder()
            .minimum_length(8)
            .password_history_size(5)
            .build();
        UserPoolPolicyType::builder()
            .password_policy(password)
            .build()
    };
    let lite = create_pool(&harness, UserPoolTierType::Lite, |create| {
        create.policies(history())
    })
    .await;
    assert_eq!(lite.unwrap_err(), REFUSED);
    create_pool(&harness, UserPoolTierType::Plus, |create| {
        create.policies(history())
    })
    .await
    .expect("Plus keeps password history");
}

#[tokio::test]
async fn email_mfa_needs_essentials() {
    let harness = Harness::start().await;
    let own_sender = || {
        EmailConfigurationType::builder()
            .email_sending_account(EmailSendingAccountType::Developer)
            .source_arn("arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com")
            .build()
    };
    let email_mfa = EmailMfaConfigType::builder()
        .subject("Your code")
        .message("Your code is {####}")
        .build();
    for (tier, allowed) in [
        (UserPoolTierType::Lite, false),
        (UserPoolTierType::Essentials, true),
    ] {
        let pool_id = create_pool(&harness, tier.clone(), |create| {
            create.email_configuration(own_sender())
        })
        .await
        .expect("CreateUserPool");
        let answer = harness
            .client
            .set_user_pool_mfa_config()
            .user_pool_id(&pool_id)
            .email_mfa_configuration(email_mfa.clone())
            .send()
            .await;
        match outcome(answer) {
            Ok(_) => assert!(allowed, "{tier:?} allowed email MFA"),
            Err((code, message)) => {
                assert!(!allowed, "{tier:?}: {code} {message}");
                assert_eq!(code, REFUSED);
                assert!(message.contains("LITE"), "{message}");
            }
        }
    }
}

#[tokio::test]
async fn managed_login_needs_essentials() {
    let harness = Harness::start().await;
    let lite = create_pool(&harness, UserPoolTierType::Lite, |create| create)
        .await
        .unwrap();
    let domain = |version: i32| {
        let client = harness.client.clone();
        let pool_id = lite.clone();
        async move {
            let answer = client
                .create_user_pool_domain()
                .user_pool_id(pool_id)
                .domain("plans-lite")
                .managed_login_version(version)
                .send()
                .await;
            outcome(answer).map(|_| ()).map_err(|(code, _)| code)
        }
    };
    assert_eq!(domain(2).await.unwrap_err(), REFUSED);
    domain(1)
        .await
        .expect("the classic hosted UI is in every plan");
    let updated = harness
        .client
        .update_user_pool_domain()
        .user_pool_id(&lite)
        .domain("plans-lite")
        .managed_login_version(2)
        .send()
        .await;
    assert_eq!(outcome(updated).unwrap_err().0, REFUSED);
}
