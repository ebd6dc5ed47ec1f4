// SPDX-License-Identifier: Apache-2.0
//! The operations besides the scenario's: administration of users, pools and clients, as the
//! AWS SDK for Rust sees them.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, MessageActionType, SoftwareTokenMfaConfigType,
    UserPoolMfaType, UserStatusType, UsernameAttributeType,
};
use common::{Harness, PASSWORD, attribute, error_code};

#[tokio::test]
// Long: the invitation, the challenge and the sign-in after it are one story.
async fn admin_created_users_set_a_new_password_at_first_sign_in() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let created = client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("newbie")
        .temporary_password("Temp-Passw0rd!")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("email", "newbie@example.com"))
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(
        created.user_status,
        Some(UserStatusType::ForceChangePassword)
    );
    assert!(
        harness.emulator.messages(Some("newbie")).is_empty(),
        "SUPPRESS sends nothing"
    );

    let challenge = client
        .admin_initiate_auth()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "newbie")
        .auth_parameters("PASSWORD", "Temp-Passw0rd!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    let parameters = challenge.challenge_parameters.unwrap();
    let attributes: serde_json::Value =
        serde_json::from_str(&parameters["userAttributes"]).unwrap();
    assert_eq!(attributes["email"], "newbie@example.com");
    assert_eq!(parameters["requiredAttributes"], "[]");

    let respond = |password: &str| {
        client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(challenge.session.clone().unwrap())
            .challenge_responses("USERNAME", "newbie")
            .challenge_responses("NEW_PASSWORD", password)
            .send()
    };
    assert_eq!(
        error_code(respond("short").await).0,
        "InvalidPasswordException"
    );
    let next = respond(PASSWORD).await.unwrap();
    assert_eq!(next.challenge_name, Some(ChallengeNameType::MfaSetup));
    let user = client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("newbie")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status, Some(UserStatusType::Confirmed));

    // Without SUPPRESS the invitation goes to the outbox.
    client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("invited")
        .user_attributes(attribute("email", "invited@example.com"))
        .send()
        .await
        .unwrap();
    let invitation = harness.emulator.messages(Some("invited"));
    assert_eq!(invitation.len(), 1);
    assert_eq!(invitation[0].kind, "AdminCreateUser");
    assert_eq!(
        error_code(
            client
                .admin_create_user()
                .user_pool_id(&pool.id)
                .username("invited")
                .user_attributes(attribute("email", "again@example.com"))
                .send()
                .await
        )
        .0,
        "UsernameExistsException"
    );
}

#[tokio::test]
async fn admin_set_user_password_and_confirm_sign_up() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    harness.sign_up(&pool, "una").await;
    client
        .admin_confirm_sign_up()
        .user_pool_id(&pool.id)
        .username("una")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(
            client
                .admin_confirm_sign_up()
                .user_pool_id(&pool.id)
                .username("una")
                .send()
                .await
        )
        .0,
        "NotAuthorizedException"
    );
    client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username("una")
        .password("An0ther-Passw0rd")
        .permanent(true)
        .send()
        .await
        .unwrap();
    let challenge = client
        .admin_initiate_auth()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "una")
        .auth_parameters("PASSWORD", "An0ther-Passw0rd")
        .send()
        .await
        .unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeNameType::MfaSetup));
    assert_eq!(
        error_code(
            client
                .admin_set_user_password()
                .user_pool_id(&pool.id)
                .username("una")
                .password("weak")
                .send()
                .await
        )
        .0,
        "InvalidPasswordException"
    );
}

#[tokio::test]
// Long: the cases read one pool, seeded once.
async fn list_users_pages_filters_and_projects() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    for index in 0..7 {
        client
            .admin_create_user()
            .user_pool_id(&pool.id)
            .username(format!("user{index}"))
            .user_attributes(attribute("email", &format!("user{index}@example.com")))
            .user_attributes(attribute(
                "name",
                if index % 2 == 0 { "Even" } else { "Odd" },
            ))
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = client
            .list_users()
            .user_pool_id(&pool.id)
            .limit(3)
            .set_pagination_token(token)
            .attributes_to_get("email")
            .send()
            .await
            .unwrap();
        pages += 1;
        for user in page.users.unwrap() {
            let attributes = user.attributes.unwrap();
            assert_eq!(attributes.len(), 1, "only the attributes asked for");
            assert_eq!(attributes[0].name, "email");
            seen.push(user.username.unwrap());
        }
        token = page.pagination_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    assert_eq!(seen, (0..7).map(|i| format!("user{i}")).collect::<Vec<_>>());

    let filtered = |filter: &str| {
        client
            .list_users()
            .user_pool_id(&pool.id)
            .filter(filter)
            .send()
    };
    assert_eq!(
        filtered("name = \"even\"")
            .await
            .unwrap()
            .users
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        filtered("username ^= \"user1\"")
            .await
            .unwrap()
            .users
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        filtered("cognito:user_status = \"FORCE_CHANGE_PASSWORD\"")
            .await
            .unwrap()
            .users
            .unwrap()
            .len(),
        7
    );
    assert_eq!(
        filtered("status = \"Enabled\"")
            .await
            .unwrap()
            .users
            .unwrap()
            .len(),
        7
    );
    assert_eq!(
        error_code(filtered("name = even").await).0,
        "InvalidParameterException"
    );
    let (code, message) = error_code(filtered("custom:team = \"x\"").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "Invalid search attribute: custom:team"
        )
    );
    let (code, message) = error_code(
        client
            .list_users()
            .user_pool_id(&pool.id)
            .limit(61)
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("'limit'"), "{message}");
}

#[tokio::test]
// Long: a pool's and a client's life, from creation to deletion, in order.
async fn pools_and_clients_are_described_listed_and_deleted() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let client = &harness.client;
    let described = client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(described.mfa_configuration, Some(UserPoolMfaType::On));
    let devices = described.device_configuration.unwrap();
    assert!(devices.challenge_required_on_new_device);
    assert!(!devices.device_only_remembered_on_user_prompt);
    assert!(!described.username_configuration.unwrap().case_sensitive);
    let policy = described.policies.unwrap().password_policy.unwrap();
    assert_eq!(policy.minimum_length, Some(8));
    assert_eq!(described.auto_verified_attributes.unwrap().len(), 1);

    let second = harness.scenario_pool().await;
    let listed = client
        .list_user_pools()
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.user_pools.unwrap().len(), 1);
    let rest = client
        .list_user_pools()
        .max_results(60)
        .next_token(listed.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.user_pools.unwrap().len(), 1);
    assert!(rest.next_token.is_none());

    client
        .delete_user_pool_client()
        .user_pool_id(&second.id)
        .client_id(&second.client_id)
        .send()
        .await
        .unwrap();
    let (code, _) = error_code(
        client
            .initiate_auth()
            .client_id(&second.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "x")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
    client
        .delete_user_pool()
        .user_pool_id(&second.id)
        .send()
        .await
        .unwrap();
    let (code, message) = error_code(
        client
            .describe_user_pool()
            .user_pool_id(&second.id)
            .send()
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(message, format!("User pool {} does not exist.", second.id));
    let (status, _) = harness
        .http_get(&format!("/{}/.well-known/jwks.json", second.id))
        .await;
    assert_eq!(status, 404);

    // MFA cannot be required with no factor to set up.
    let (code, _) = error_code(
        client
            .set_user_pool_mfa_config()
            .user_pool_id(&pool.id)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(false).build(),
            )
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = error_code(
        client
            .create_user_pool()
            .pool_name("sms-less")
            .mfa_configuration(UserPoolMfaType::On)
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
// Long: sign-up to sign-in in one pool kind, each step using the last one's answer.
async fn email_as_username_pools_use_the_sub_as_internal_username() {
    let harness = Harness::start().await;
    let client = &harness.client;
    let pool = client
        .create_user_pool()
        .pool_name("email-names")
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes("email".into())
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .explicit_auth_flows("ALLOW_USER_PASSWORD_AUTH".into())
        .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let (code, message) = error_code(
        client
            .sign_up()
            .client_id(&app)
            .username("not-an-email")
            .password(PASSWORD)
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Username should be an email.")
    );
    let sub = client
        .sign_up()
        .client_id(&app)
        .username("Eve@Example.com")
        .password(PASSWORD)
        .send()
        .await
        .unwrap()
        .user_sub;
    let user = client
        .admin_get_user()
        .user_pool_id(&pool)
        .username("eve@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username, sub);
    let (code, _) = error_code(
        client
            .sign_up()
            .client_id(&app)
            .username("eve@example.com")
            .password(PASSWORD)
            .send()
            .await,
    );
    assert_eq!(code, "UsernameExistsException");
    let code = harness.latest_code(&sub);
    client
        .confirm_sign_up()
        .client_id(&app)
        .username("eve@example.com")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();
    let tokens = client
        .initiate_auth()
        .client_id(&app)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "EVE@example.com")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .expect("MFA is off in this pool: tokens at once");
    let access = tokens.access_token.unwrap();
    let me = client
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.username, sub);
}

#[tokio::test]
async fn access_tokens_expire() {
    let harness = Harness::start().await;
    let client = &harness.client;
    let pool = client
        .create_user_pool()
        .pool_name("plain")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .explicit_auth_flows("ALLOW_ADMIN_USER_PASSWORD_AUTH".into())
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    client
        .admin_create_user()
        .user_pool_id(&pool)
        .username("ivy")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    client
        .admin_set_user_password()
        .user_pool_id(&pool)
        .username("ivy")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let access = client
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&app)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ivy")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    client
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    harness.clock.advance(Duration::from_secs(3601));
    let (code, message) = error_code(client.get_user().access_token(&access).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Access Token has expired")
    );
}
