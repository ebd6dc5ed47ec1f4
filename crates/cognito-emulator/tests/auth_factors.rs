// SPDX-License-Identifier: Apache-2.0
//! GetUserAuthFactors and AdminGetUserAuthFactors through the AWS SDK for Rust: the user's MFA
//! methods and the first factors of a USER_AUTH sign-in that the pool and the user both allow.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, ProviderUserIdentifierType, SignInPolicyType, UserPoolPolicyType,
    UserPoolTierType,
};
use common::{Harness, PASSWORD, Pool, attribute, outcome};

/// A pool on the Essentials plan whose users may sign in with a password or an emailed code.
async fn passwordless_pool(harness: &Harness) -> Pool {
    let policy = SignInPolicyType::builder()
        .allowed_first_auth_factors(AuthFactorType::Password)
        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
        .build();
    harness
        .pool_without_mfa(
            |create| {
                create
                    .user_pool_tier(UserPoolTierType::Essentials)
                    .policies(UserPoolPolicyType::builder().sign_in_policy(policy).build())
            },
            false,
        )
        .await
}

async fn admin_factors(harness: &Harness, pool: &Pool, username: &str) -> Vec<AuthFactorType> {
    harness
        .client
        .admin_get_user_auth_factors()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminGetUserAuthFactors")
        .configured_user_auth_factors
        .unwrap_or_default()
}

#[tokio::test]
async fn a_signed_in_user_sees_the_first_factors_open_to_it() {
    let harness = Harness::start().await;
    let pool = passwordless_pool(&harness).await;
    harness.confirmed_user(&pool, "ana").await;
    let token = harness.access_token(&pool, "ana", PASSWORD).await;
    let answer = harness
        .client
        .get_user_auth_factors()
        .access_token(&token)
        .send()
        .await
        .expect("GetUserAuthFactors");
    assert_eq!(answer.username, "ana");
    assert_eq!(
        answer.configured_user_auth_factors(),
        [AuthFactorType::Password, AuthFactorType::EmailOtp],
        "a password, and codes to the verified email the policy allows"
    );
    assert!(answer.user_mfa_setting_list.is_none(), "no MFA method");
    assert!(answer.preferred_mfa_setting.is_none());

    harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("ana")
        .user_attributes(attribute("email_verified", "false"))
        .send()
        .await
        .expect("AdminUpdateUserAttributes");
    assert_eq!(
        admin_factors(&harness, &pool, "ana").await,
        [AuthFactorType::Password],
        "no code goes to an unverified email"
    );
}

#[tokio::test]
async fn a_pool_without_a_sign_in_policy_offers_only_the_password() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "ben").await;
    assert_eq!(
        admin_factors(&harness, &pool, "ben").await,
        [AuthFactorType::Password]
    );
}

#[tokio::test]
async fn totp_is_the_users_mfa_method_and_preferred() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.user_with_totp(&pool, "cleo").await;
    let answer = harness
        .client
        .admin_get_user_auth_factors()
        .user_pool_id(&pool.id)
        .username("cleo")
        .send()
        .await
        .expect("AdminGetUserAuthFactors");
    assert_eq!(answer.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        answer.preferred_mfa_setting.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    assert_eq!(
        answer.configured_user_auth_factors(),
        [AuthFactorType::Password]
    );
}

#[tokio::test]
async fn a_user_whose_password_sign_in_is_off_has_no_password_factor() {
    let harness = Harness::start().await;
    let pool = passwordless_pool(&harness).await;
    harness.confirmed_user(&pool, "dara").await;
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("dara")
        .send()
        .await
        .expect("AdminGetUser");
    let sub = user
        .user_attributes()
        .iter()
        .find(|attribute| attribute.name == "sub")
        .and_then(|attribute| attribute.value.clone())
        .expect("a sub");
    let cognito_user = ProviderUserIdentifierType::builder()
        .provider_name("Cognito")
        .provider_attribute_name("Cognito_Subject")
        .provider_attribute_value(sub)
        .build();
    harness
        .client
        .admin_disable_provider_for_user()
        .user_pool_id(&pool.id)
        .user(cognito_user)
        .send()
        .await
        .expect("AdminDisableProviderForUser");
    assert_eq!(
        admin_factors(&harness, &pool, "dara").await,
        [AuthFactorType::EmailOtp]
    );
}

#[tokio::test]
async fn wrong_tokens_users_and_pools_are_refused_as_documented() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "eli").await;
    let token = harness.access_token(&pool, "eli", PASSWORD).await;
    let by_token = |token: String| {
        let client = harness.client.clone();
        async move {
            let answer = client.get_user_auth_factors().access_token(token).send();
            outcome(answer.await).map(|_| ())
        }
    };
    let (code, message) = by_token("not-a-token".to_owned()).await.unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Access Token")
    );
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("eli")
        .send()
        .await
        .expect("AdminDeleteUser");
    let (code, _) = by_token(token).await.unwrap_err();
    assert_eq!(code, "NotAuthorizedException", "a deleted user's token");

    let admin = |pool_id: String, username: &'static str| {
        let client = harness.client.clone();
        async move {
            let answer = client
                .admin_get_user_auth_factors()
                .user_pool_id(pool_id)
                .username(username)
                .send();
            outcome(answer.await).map(|_| ())
        }
    };
    let (code, _) = admin(pool.id.clone(), "eli").await.unwrap_err();
    assert_eq!(code, "UserNotFoundException");
    let (code, _) = admin("us-east-1_Missing00".to_owned(), "eli")
        .await
        .unwrap_err();
    assert_eq!(code, "ResourceNotFoundException");
}
