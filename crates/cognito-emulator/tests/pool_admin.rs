// SPDX-License-Identifier: Apache-2.0
//! Configuring pools and app clients after they are made, through the AWS SDK for Rust:
//! DescribeUserPool/DescribeUserPoolClient with every member configured, UpdateUserPool and
//! UpdateUserPoolClient (left-out members reset, and each change acting on later calls),
//! ListUserPoolClients, GetUserPoolMfaConfig, client secrets and their rotation, tags and the
//! hosted UI's branding; each across a restart on a data directory.

mod common;

use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AdvancedSecurityModeType, AuthFlowType,
    DeletionProtectionType, DeviceConfigurationType, EmailConfigurationType, ExplicitAuthFlowsType,
    LambdaConfigType, MessageTemplateType, OAuthFlowType, PasswordPolicyType,
    PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType,
    SoftwareTokenMfaConfigType, TimeUnitsType, TokenValidityUnitsType, UserPoolAddOnsType,
    UserPoolMfaType, UserPoolPolicyType, UserPoolTierType, WebAuthnConfigurationType,
};
use cognito_srp::secret_hash;
use common::{Harness, PASSWORD, Pool};

/// The exception name of a call that must fail.
fn code<T, E>(result: Result<T, E>) -> String
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata + std::fmt::Debug,
{
    common::error_code(result).0
}

/// A pool with no MFA and a client with the password flows (and a secret when asked).
async fn plain_pool(harness: &Harness, secret: bool) -> Pool {
    let id = harness
        .client
        .create_user_pool()
        .pool_name("admin")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("app")
        .generate_secret(secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    Pool {
        id,
        client_id: client.client_id.unwrap(),
    }
}

async fn confirmed(harness: &Harness, pool: &Pool, username: &str) {
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .temporary_password("Temp-Passw0rd!")
        .send()
        .await
        .unwrap();
    harness
        .client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn describe_user_pool_returns_what_the_pool_was_given_also_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let created = harness
        .client
        .create_user_pool()
        .pool_name("configured")
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account("DEVELOPER".into())
                .source_arn("arn:aws:ses:us-east-1:000000000000:identity/a@example.com")
                .from("a@example.com")
                .build(),
        )
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up("arn:aws:lambda:us-east-1:000000000000:function:pre")
                .build(),
        )
        .account_recovery_setting(
            AccountRecoverySettingType::builder()
                .recovery_mechanisms(
                    RecoveryOptionType::builder()
                        .name(RecoveryOptionNameType::VerifiedEmail)
                        .priority(1)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_subject("Welcome")
                        .email_message("Hi {username}, your password is {####}")
                        .build(),
                )
                .build(),
        )
        .user_pool_tags("team", "identity")
        .deletion_protection(DeletionProtectionType::Active)
        .sms_authentication_message("Your code: {####}")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let pool_id = created.id.clone().unwrap();
    let harness = harness.restart().await;
    let pool = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let email = pool.email_configuration.unwrap();
    assert_eq!(email.from.as_deref(), Some("a@example.com"));
    assert_eq!(
        pool.lambda_config.unwrap().pre_sign_up.as_deref(),
        Some("arn:aws:lambda:us-east-1:000000000000:function:pre")
    );
    let recovery = pool.account_recovery_setting.unwrap();
    assert_eq!(recovery.recovery_mechanisms.unwrap().len(), 1);
    let admin = pool.admin_create_user_config.unwrap();
    assert!(admin.allow_admin_create_user_only);
    assert_eq!(admin.unused_account_validity_days, 7);
    assert_eq!(
        admin
            .invite_message_template
            .unwrap()
            .email_subject
            .as_deref(),
        Some("Welcome")
    );
    assert_eq!(
        pool.user_pool_tags.unwrap().get("team").map(String::as_str),
        Some("identity")
    );
    assert_eq!(
        pool.deletion_protection,
        Some(DeletionProtectionType::Active)
    );
    assert_eq!(
        pool.sms_authentication_message.as_deref(),
        Some("Your code: {####}")
    );
    let policies = pool.policies.unwrap();
    assert!(policies.sign_in_policy.is_some());
    assert_eq!(pool.arn, created.arn);
    assert_eq!(pool.domain, None, "no domain was made");

    // Deletion protection: documented error, and the pool stays.
    let refused = harness
        .client
        .delete_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");
}

#[tokio::test]
async fn create_user_pool_checks_rules_between_members() {
    let harness = Harness::start().await;
    let invite_without_password = harness
        .client
        .create_user_pool()
        .pool_name("bad")
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_message("Hello {username}")
                        .build(),
                )
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(invite_without_password), "InvalidParameterException");
    let disagreeing_days = harness
        .client
        .create_user_pool()
        .pool_name("bad")
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .temporary_password_validity_days(3)
                        .build(),
                )
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .unused_account_validity_days(5)
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(disagreeing_days), "InvalidParameterException");
    let developer_without_source = harness
        .client
        .create_user_pool()
        .pool_name("bad")
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account("DEVELOPER".into())
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(developer_without_source), "InvalidParameterException");
}

#[tokio::test]
async fn update_user_pool_resets_what_is_left_out_and_later_calls_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    let client = &harness.client;
    client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .minimum_length(20)
                        .require_symbols(false)
                        .build(),
                )
                .build(),
        )
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .build(),
        )
        .auto_verified_attributes("email".into())
        .deletion_protection(DeletionProtectionType::Active)
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let client = &harness.client;

    // The new policy is what SignUp and AdminSetUserPassword check now.
    let short = client
        .sign_up()
        .client_id(&pool.client_id)
        .username("short")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(code(short), "InvalidPasswordException");
    client
        .sign_up()
        .client_id(&pool.client_id)
        .username("long")
        .password("a-long-enough-Passw0rd")
        .user_attributes(common::attribute("email", "long@example.com"))
        .send()
        .await
        .unwrap();
    // AutoVerifiedAttributes email: the sign-up sent an email code.
    assert!(!harness.latest_code("long").is_empty());

    let described = client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(
        described
            .policies
            .unwrap()
            .password_policy
            .unwrap()
            .minimum_length,
        Some(20)
    );
    assert!(described.device_configuration.is_some());
    let refused = client
        .delete_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");

    // An update with nothing but the MFA setting: the rest goes back to its defaults.
    client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::Off)
        .send()
        .await
        .unwrap();
    let described = client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(
        described
            .policies
            .unwrap()
            .password_policy
            .unwrap()
            .minimum_length,
        Some(8)
    );
    assert!(described.device_configuration.is_none());
    assert_eq!(described.auto_verified_attributes, Some(vec![]));
    assert_eq!(
        described.deletion_protection,
        Some(DeletionProtectionType::Inactive)
    );
    client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("eight")
        .temporary_password("Temp-Passw0rd!")
        .send()
        .await
        .unwrap();
    client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username("eight")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("the default policy takes 14 characters again");
    client
        .delete_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn update_user_pool_mfa_needs_a_method_and_fixed_settings_cannot_change() {
    let harness = Harness::start().await;
    let pool = plain_pool(&harness, false).await;
    let no_method = harness
        .client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await;
    assert_eq!(code(no_method), "InvalidParameterException");
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .unwrap();
    harness
        .client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap();
    confirmed(&harness, &pool, "mfa").await;
    let signed_in = harness
        .password_sign_in(&pool, "mfa", PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        signed_in.challenge_name.map(|c| c.as_str().to_owned()),
        Some("MFA_SETUP".to_owned()),
        "MFA ON from UpdateUserPool is asked at the next sign-in"
    );
    let body = format!(
        r#"{{"UserPoolId":"{}","UsernameAttributes":["email"]}}"#,
        pool.id
    );
    let (status, answer) = harness.call("UpdateUserPool", &body).await;
    assert_eq!(status, 400);
    assert_eq!(answer["__type"], "InvalidParameterException");
    let missing = harness
        .client
        .update_user_pool()
        .user_pool_id("us-east-1_nonexist")
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn update_user_pool_client_acts_on_flows_token_lifetimes_and_existence_errors() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    confirmed(&harness, &pool, "ann").await;
    harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .access_token_validity(10)
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Minutes)
                .build(),
        )
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let token = harness.access_token(&pool, "ann", PASSWORD).await;
    let claims = common::verified_claims(&harness, &pool.id, &token).await;
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 600, "AccessTokenValidity 10 minutes");
    let unknown = harness.password_sign_in(&pool, "nobody", PASSWORD).await;
    assert_eq!(
        code(unknown),
        "NotAuthorizedException",
        "PreventUserExistenceErrors hides that nobody exists"
    );
    // Left out of the next update: the flows go back to the defaults, without password auth.
    let described = harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described.client_name.as_deref(), Some("app"));
    assert_eq!(described.access_token_validity, Some(1));
    let refused = harness.password_sign_in(&pool, "ann", PASSWORD).await;
    assert_eq!(code(refused), "InvalidParameterException");
    let unknown = harness.password_sign_in(&pool, "nobody", PASSWORD).await;
    assert_eq!(code(unknown), "InvalidParameterException");
}

#[tokio::test]
async fn oauth_settings_are_kept_and_their_rules_checked() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    let update = || {
        harness
            .client
            .update_user_pool_client()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .allowed_o_auth_flows_user_pool_client(true)
    };
    let no_callback = update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .send()
        .await;
    assert_eq!(code(no_callback), "InvalidOAuthFlowException");
    let plain_http = update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls("http://example.com/cb")
        .send()
        .await;
    assert_eq!(code(plain_http), "InvalidParameterException");
    let mixed = update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("openid")
        .callback_urls("https://example.com/cb")
        .send()
        .await;
    assert_eq!(code(mixed), "InvalidOAuthFlowException");
    let unknown_scope = update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("api/read")
        .callback_urls("https://example.com/cb")
        .send()
        .await;
    assert_eq!(code(unknown_scope), "ScopeDoesNotExistException");
    let default_elsewhere = update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls("https://example.com/cb")
        .default_redirect_uri("https://example.com/other")
        .send()
        .await;
    assert_eq!(code(default_elsewhere), "InvalidParameterException");
    update()
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls("https://example.com/cb")
        .callback_urls("http://localhost:3000/cb")
        .default_redirect_uri("http://localhost:3000/cb")
        .logout_urls("https://example.com/bye")
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let client = harness
        .client
        .describe_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(client.allowed_o_auth_flows, Some(vec![OAuthFlowType::Code]));
    assert_eq!(client.callback_urls.unwrap().len(), 2);
    assert_eq!(
        client.default_redirect_uri.as_deref(),
        Some("http://localhost:3000/cb")
    );
    assert_eq!(client.logout_urls.unwrap(), vec!["https://example.com/bye"]);
    assert_eq!(
        client.supported_identity_providers.unwrap(),
        vec!["COGNITO"]
    );
    assert_eq!(client.allowed_o_auth_flows_user_pool_client, Some(true));
}

#[tokio::test]
async fn list_user_pool_clients_pages_by_max_results_and_next_token() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    for n in 0..4 {
        harness
            .client
            .create_user_pool_client()
            .user_pool_id(&pool.id)
            .client_name(format!("extra-{n}"))
            .send()
            .await
            .unwrap();
    }
    let harness = harness.restart().await;
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .client
            .list_user_pool_clients()
            .user_pool_id(&pool.id)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let clients = page.user_pool_clients.unwrap();
        assert!(clients.len() <= 2);
        seen.extend(clients.into_iter().map(|c| c.client_id.unwrap()));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "each client once, in order");
    let missing = harness
        .client
        .list_user_pool_clients()
        .user_pool_id("us-east-1_nonexist")
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn get_user_pool_mfa_config_shows_what_was_set() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    harness
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .web_authn_configuration(
            WebAuthnConfigurationType::builder()
                .relying_party_id("example.com")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let config = harness
        .client
        .get_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert_eq!(config.mfa_configuration, Some(UserPoolMfaType::Optional));
    assert!(config.software_token_mfa_configuration.unwrap().enabled);
    assert_eq!(
        config
            .web_authn_configuration
            .unwrap()
            .relying_party_id
            .as_deref(),
        Some("example.com")
    );
    assert!(config.email_mfa_configuration.is_none());
    let missing = harness
        .client
        .get_user_pool_mfa_config()
        .user_pool_id("us-east-1_nonexist")
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn client_secrets_rotate_with_either_secret_accepted_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, true).await;
    confirmed(&harness, &pool, "rot").await;
    let old_secret = harness.client_secret(&pool).await;
    let added = harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .client_secret_descriptor
        .unwrap();
    let new_secret = added.client_secret_value.unwrap();
    let third = harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .client_secret("a-third-secret-of-24-chars".replace('-', "_"))
        .send()
        .await;
    assert_eq!(code(third), "LimitExceededException");
    let harness = harness.restart().await;
    let sign_in = |secret: String| {
        let hash = secret_hash::compute(&secret, "rot", &pool.client_id);
        harness
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "rot")
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("SECRET_HASH", hash)
            .send()
    };
    sign_in(old_secret.clone()).await.expect("the old secret");
    sign_in(new_secret.clone()).await.expect("the new secret");
    let listed = harness
        .client
        .list_user_pool_client_secrets()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .client_secrets
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|s| s.client_secret_value.is_none()));
    let old_id = listed[0].client_secret_id.clone().unwrap();
    harness
        .client
        .delete_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .client_secret_id(&old_id)
        .send()
        .await
        .unwrap();
    assert_eq!(code(sign_in(old_secret).await), "NotAuthorizedException");
    sign_in(new_secret).await.expect("the new secret still");
    let last = harness
        .client
        .delete_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .client_secret_id(added.client_secret_id.unwrap())
        .send()
        .await;
    assert_eq!(code(last), "InvalidParameterException");
    let gone = harness
        .client
        .delete_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .client_secret_id(old_id)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_public_client_gets_no_secret_and_a_given_secret_is_not_shown() {
    let harness = Harness::start().await;
    let public = plain_pool(&harness, false).await;
    let refused = harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&public.id)
        .client_id(&public.client_id)
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameterException");
    let confidential = plain_pool(&harness, true).await;
    let given = harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&confidential.id)
        .client_id(&confidential.client_id)
        .client_secret("given_secret_of_more_than_24")
        .send()
        .await
        .unwrap()
        .client_secret_descriptor
        .unwrap();
    assert!(given.client_secret_value.is_none());
    let too_short = harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&confidential.id)
        .client_id(&confidential.client_id)
        .client_secret("short")
        .send()
        .await;
    assert_eq!(code(too_short), "InvalidParameterException");
}

#[tokio::test]
async fn tags_on_a_pool_arn_are_kept_limited_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    let arn = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .arn
        .unwrap();
    harness
        .client
        .tag_resource()
        .resource_arn(&arn)
        .tags("env", "test")
        .tags("owner", "me")
        .send()
        .await
        .unwrap();
    harness
        .client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("owner")
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let tags = harness
        .client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags["env"], "test");
    let mut too_many = harness.client.tag_resource().resource_arn(&arn);
    for n in 0..50 {
        too_many = too_many.tags(format!("k{n}"), "v");
    }
    assert_eq!(code(too_many.send().await), "InvalidParameterException");
    let unknown = harness
        .client
        .list_tags_for_resource()
        .resource_arn("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nonexist")
        .send()
        .await;
    assert_eq!(code(unknown), "ResourceNotFoundException");
}

#[tokio::test]
async fn ui_customization_per_pool_and_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, false).await;
    let png = b"\x89PNG\r\n\x1a\n-logo-bytes".to_vec();
    let no_domain = harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .css(".label-customizable { font-weight: 400; }")
        .send()
        .await;
    assert_eq!(code(no_domain), "InvalidParameterException");
    harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain("pool-admin-ui")
        .send()
        .await
        .unwrap();
    let all = harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .client_id("ALL")
        .css(".label-customizable { font-weight: 400; }")
        .image_file(Blob::new(png))
        .send()
        .await
        .unwrap()
        .ui_customization
        .unwrap();
    assert!(all.css_version.is_some());
    assert!(all.image_url.unwrap().starts_with("data:image/png;base64,"));
    let bad_css = harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .css("body { color: red; }")
        .send()
        .await;
    assert_eq!(code(bad_css), "InvalidParameterException");
    let harness = harness.restart().await;
    let inherited = harness
        .client
        .get_ui_customization()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .ui_customization
        .unwrap();
    assert_eq!(
        inherited.css.as_deref(),
        Some(".label-customizable { font-weight: 400; }"),
        "a client without its own falls back to ALL"
    );
    harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .css(".banner-customizable { background-color: white; }")
        .send()
        .await
        .unwrap();
    let own = harness
        .client
        .get_ui_customization()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .ui_customization
        .unwrap();
    assert_eq!(
        own.css.as_deref(),
        Some(".banner-customizable { background-color: white; }")
    );
    assert!(own.image_url.is_none(), "CSS and logo are set together");
    let unknown_client = harness
        .client
        .get_ui_customization()
        .user_pool_id(&pool.id)
        .client_id("nosuchclient")
        .send()
        .await;
    assert_eq!(code(unknown_client), "ResourceNotFoundException");
}

/// Rewrites a stopped emulator's data directory as versions before clients had several
/// secrets wrote it: a client's one secret in `secret`, and no `secrets`.
fn store_secrets_the_old_way(dir: &std::path::Path) {
    let mut rewritten_clients = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        if path
            .extension()
            .is_none_or(|extension| extension != "jsonl")
        {
            continue;
        }
        let mut rewritten = String::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let mut entry: serde_json::Value = serde_json::from_str(line).unwrap();
            if entry["kind"] == "client"
                && let Some(client) = entry["value"].as_object_mut()
                && let Some(secrets) = client.remove("secrets")
            {
                if let Some(first) = secrets.get(0) {
                    client.insert("secret".to_owned(), first["value"].clone());
                }
                rewritten_clients += 1;
            }
            rewritten.push_str(&entry.to_string());
            rewritten.push('\n');
        }
        std::fs::write(&path, rewritten).unwrap();
    }
    assert!(rewritten_clients > 0, "the directory held a client");
}

#[tokio::test]
async fn a_client_stored_with_one_secret_keeps_it_as_its_first() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = plain_pool(&harness, true).await;
    confirmed(&harness, &pool, "old").await;
    let secret = harness.client_secret(&pool).await;
    let harness = harness.restart_after(store_secrets_the_old_way).await;
    assert_eq!(harness.client_secret(&pool).await, secret);
    let listed = harness
        .client
        .list_user_pool_client_secrets()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .client_secrets
        .unwrap();
    assert_eq!(listed.len(), 1);
    // Moved for good: written back in the new form, it survives another restart.
    let harness = harness.restart().await;
    let hash = secret_hash::compute(&secret, "old", &pool.client_id);
    harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "old")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("SECRET_HASH", hash)
        .send()
        .await
        .expect("the stored secret still signs SECRET_HASH");
    let again = harness
        .client
        .list_user_pool_client_secrets()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap()
        .client_secrets
        .unwrap();
    assert_eq!(again[0].client_secret_id, listed[0].client_secret_id);
}

#[tokio::test]
async fn custom_scopes_come_from_resource_servers_and_the_domain_is_described() {
    let harness = Harness::start().await;
    let pool = plain_pool(&harness, true).await;
    let scoped = || {
        harness
            .client
            .update_user_pool_client()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes("orders/read")
            .send()
    };
    assert_eq!(code(scoped().await), "ScopeDoesNotExistException");
    harness
        .client
        .create_resource_server()
        .user_pool_id(&pool.id)
        .identifier("orders")
        .name("Orders")
        .scopes(
            aws_sdk_cognitoidentityprovider::types::ResourceServerScopeType::builder()
                .scope_name("read")
                .scope_description("Read orders")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let client = scoped().await.unwrap().user_pool_client.unwrap();
    assert_eq!(client.allowed_o_auth_scopes.unwrap(), vec!["orders/read"]);
    let standard = harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("openid")
        .send()
        .await;
    assert_eq!(code(standard), "InvalidOAuthFlowException");

    harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain("pool-admin-test")
        .send()
        .await
        .unwrap();
    let described = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(described.domain.as_deref(), Some("pool-admin-test"));
    assert_eq!(described.custom_domain, None);
}

#[tokio::test]
async fn token_revocation_turned_off_by_an_update_refuses_revoke_token() {
    let harness = Harness::start().await;
    let pool = plain_pool(&harness, false).await;
    confirmed(&harness, &pool, "rev").await;
    harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .enable_token_revocation(false)
        .send()
        .await
        .unwrap();
    let refresh = harness
        .password_sign_in(&pool, "rev", PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .refresh_token
        .unwrap();
    let revoke = || {
        harness
            .client
            .revoke_token()
            .client_id(&pool.client_id)
            .token(&refresh)
            .send()
    };
    assert_eq!(code(revoke().await), "UnsupportedOperationException");
    // Left out of the next update, revocation is on again (its default).
    harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    revoke()
        .await
        .expect("RevokeToken once revocation is enabled");
}

#[tokio::test]
async fn threat_protection_needs_the_plus_plan() {
    let harness = Harness::start().await;
    let add_ons = || {
        UserPoolAddOnsType::builder()
            .advanced_security_mode(AdvancedSecurityModeType::Audit)
            .build()
            .unwrap()
    };
    let create = |tier: UserPoolTierType| {
        harness
            .client
            .create_user_pool()
            .pool_name("threats")
            .user_pool_tier(tier)
            .user_pool_add_ons(add_ons())
            .send()
    };
    let essentials = create(UserPoolTierType::Essentials).await;
    assert_eq!(code(essentials), "FeatureUnavailableInTierException");
    let plus = create(UserPoolTierType::Plus).await.expect("a Plus pool");
    let pool_id = plus.user_pool.unwrap().id.unwrap();

    // Moving down a plan with threat protection still on is refused, and changes nothing.
    let down = harness
        .client
        .update_user_pool()
        .user_pool_id(&pool_id)
        .user_pool_tier(UserPoolTierType::Essentials)
        .user_pool_add_ons(add_ons())
        .send()
        .await;
    assert_eq!(code(down), "FeatureUnavailableInTierException");
    let pool = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(pool.user_pool_tier(), Some(&UserPoolTierType::Plus));
    let mode = pool.user_pool_add_ons().unwrap().advanced_security_mode();
    assert_eq!(mode, &AdvancedSecurityModeType::Audit);
}
