// SPDX-License-Identifier: Apache-2.0
//! Every operation the emulator answers answers in its model's output shape: no member the
//! model lacks, the right JSON types, every required member. Debug builds check each answer
//! before it is sent (one unlike the model becomes an InternalErrorException, which fails the
//! test that got it), so every suite checks the answers it gets; this one makes sure each
//! emulated operation is among them, with the challenges and options that change its answer.

mod common;

// Each later family checks its operations in a file of its own, on pools of its own.
mod answer_shapes {
    pub mod attributes;
    pub mod branding;
    pub mod federation;
    pub mod groups;
    pub mod platform;
    pub mod pool_admin;
    pub mod security;
}

use std::collections::BTreeSet;
use std::time::Duration;

use common::{Harness, PASSWORD, Pool};
use serde_json::{Value, json};

/// Calls an operation with a raw body; its answer must be a success and well formed.
async fn answered(harness: &Harness, operation: &str, body: Value) -> Value {
    let (status, answer) = harness.call(operation, &body.to_string()).await;
    assert_eq!(status, 200, "{operation}: {answer}");
    let problems = cognito_emulator::testing::answer_problems(operation, &answer);
    assert!(problems.is_empty(), "{operation}: {problems:?}");
    answer
}

#[tokio::test]
async fn every_emulated_operation_answers_in_its_output_shape() {
    if !cfg!(debug_assertions) {
        eprintln!("answers are checked in debug builds only: nothing to test");
        return;
    }
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    // Sign-up, MFA setup, TOTP sign-in, ConfirmDevice, and the device's own sign-in.
    let (key, group, device, refresh) = harness.remembered_device(&pool, "alice").await;
    harness.clock.advance(Duration::from_secs(30));
    let tokens = harness
        .device_sign_in(&pool, "alice", (&key, &group, &device))
        .await;
    let access = tokens.access_token.unwrap();
    pool_operations(&harness, &pool).await;
    user_operations(&harness, &pool, &access).await;
    recovery_and_attribute_operations(&harness, &pool, &access).await;
    sign_in_answers(&harness, &pool, &refresh).await;
    device_operations(&harness, &pool, &access, &key).await;
    sign_out_operations(&harness, &pool).await;
    account_operations(&harness, &pool, &access).await;
    closing_operations(&harness, &pool).await;
    answer_shapes::groups::operations(&harness).await;
    answer_shapes::pool_admin::operations(&harness).await;
    answer_shapes::attributes::operations(&harness).await;
    answer_shapes::federation::operations(&harness).await;
    answer_shapes::security::operations(&harness).await;
    answer_shapes::branding::operations(&harness).await;
    answer_shapes::platform::operations(&harness).await;

    let emulated: BTreeSet<&str> = cognito_emulator::testing::emulated_operations().collect();
    let checked = cognito_emulator::testing::checked_operations();
    // Operations that never succeed in the emulator are called, and must refuse, in their
    // family's file.
    let always_refused = answer_shapes::platform::ALWAYS_REFUSED;
    let unchecked: Vec<_> = emulated
        .difference(&checked)
        .filter(|operation| !always_refused.contains(operation))
        .collect();
    assert!(unchecked.is_empty(), "answers never checked: {unchecked:?}");
}

async fn pool_operations(harness: &Harness, pool: &Pool) {
    let pool_id = json!({ "UserPoolId": pool.id });
    answered(harness, "DescribeUserPool", pool_id.clone()).await;
    answered(harness, "ListUserPools", json!({ "MaxResults": 1 })).await;
    let client = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    answered(harness, "DescribeUserPoolClient", client).await;
    let with_secret = json!({
        "UserPoolId": pool.id, "ClientName": "with-secret", "GenerateSecret": true,
        "AccessTokenValidity": 2, "TokenValidityUnits": { "AccessToken": "hours" },
    });
    let created = answered(harness, "CreateUserPoolClient", with_secret).await;
    assert!(created["UserPoolClient"]["ClientSecret"].is_string());
}

async fn user_operations(harness: &Harness, pool: &Pool, access_token: &str) {
    answered(harness, "GetUser", json!({ "AccessToken": access_token })).await;
    let own = json!({ "AccessToken": access_token });
    answered(harness, "GetUserAuthFactors", own).await;
    let alice = json!({ "UserPoolId": pool.id, "Username": "alice" });
    answered(harness, "AdminGetUserAuthFactors", alice.clone()).await;
    answered(harness, "AdminGetUser", alice).await;
    let listed = json!({ "UserPoolId": pool.id, "Limit": 1, "Filter": "username = \"alice\"" });
    answered(harness, "ListUsers", listed).await;

    harness.sign_up(pool, "bob").await;
    let bob = json!({ "ClientId": pool.client_id, "Username": "bob" });
    answered(harness, "ResendConfirmationCode", bob).await;
    let bob = json!({ "UserPoolId": pool.id, "Username": "bob" });
    answered(harness, "AdminConfirmSignUp", bob).await;

    let carol = json!({
        "UserPoolId": pool.id, "Username": "carol", "TemporaryPassword": PASSWORD,
        "UserAttributes": [{ "Name": "email", "Value": "carol@example.com" }],
        "MessageAction": "SUPPRESS",
    });
    answered(harness, "AdminCreateUser", carol).await;
}

/// The challenges whose parameters the flows above do not reach, and a refresh.
/// Password recovery (alice keeps her password) and a new email for alice, verified.
async fn recovery_and_attribute_operations(harness: &Harness, pool: &Pool, access_token: &str) {
    let alice = json!({ "ClientId": pool.client_id, "Username": "alice" });
    answered(harness, "ForgotPassword", alice.clone()).await;
    let mut reset = alice;
    reset["ConfirmationCode"] = json!(harness.latest_code("alice"));
    reset["Password"] = json!(PASSWORD);
    answered(harness, "ConfirmForgotPassword", reset).await;
    let bob = json!({ "UserPoolId": pool.id, "Username": "bob" });
    answered(harness, "AdminResetUserPassword", bob).await;
    let email = json!([{ "Name": "email", "Value": "alice@new.example.com" }]);
    let own = json!({ "AccessToken": access_token, "UserAttributes": email });
    answered(harness, "UpdateUserAttributes", own).await;
    let nickname = json!([{ "Name": "nickname", "Value": "al" }]);
    let admin = json!({ "UserPoolId": pool.id, "Username": "alice", "UserAttributes": nickname });
    answered(harness, "AdminUpdateUserAttributes", admin).await;
    let email = json!({ "AccessToken": access_token, "AttributeName": "email" });
    answered(harness, "GetUserAttributeVerificationCode", email.clone()).await;
    let mut verify = email;
    verify["Code"] = json!(harness.latest_code("alice"));
    answered(harness, "VerifyUserAttribute", verify).await;
}

async fn sign_in_answers(harness: &Harness, pool: &Pool, refresh_token: &str) {
    let sign_in = |username: &str| {
        json!({
            "UserPoolId": pool.id, "ClientId": pool.client_id,
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": username, "PASSWORD": PASSWORD },
        })
    };
    let new_password = answered(harness, "AdminInitiateAuth", sign_in("carol")).await;
    assert_eq!(new_password["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let srp = json!({
        "ClientId": pool.client_id, "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": { "USERNAME": "alice", "SRP_A": "02" },
    });
    let verifier = answered(harness, "InitiateAuth", srp).await;
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    let refresh = json!({
        "ClientId": pool.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": { "REFRESH_TOKEN": refresh_token },
    });
    let refreshed = answered(harness, "InitiateAuth", refresh).await;
    assert!(refreshed["AuthenticationResult"]["IdToken"].is_string());
    let permanent = json!({
        "UserPoolId": pool.id, "Username": "carol", "Password": PASSWORD, "Permanent": true,
    });
    answered(harness, "AdminSetUserPassword", permanent).await;
}

async fn device_operations(harness: &Harness, pool: &Pool, access_token: &str, device_key: &str) {
    let listed = json!({ "AccessToken": access_token, "Limit": 1 });
    let devices = answered(harness, "ListDevices", listed).await;
    assert_eq!(devices["Devices"][0]["DeviceKey"], device_key);
    let own = json!({ "AccessToken": access_token, "DeviceKey": device_key });
    answered(harness, "GetDevice", own.clone()).await;
    let admin = json!({ "UserPoolId": pool.id, "Username": "alice", "DeviceKey": device_key });
    answered(harness, "AdminGetDevice", admin.clone()).await;
    let listed = json!({ "UserPoolId": pool.id, "Username": "alice", "Limit": 1 });
    answered(harness, "AdminListDevices", listed).await;
    let mut status = admin.clone();
    status["DeviceRememberedStatus"] = json!("remembered");
    answered(harness, "AdminUpdateDeviceStatus", status).await;
    let mut status = own.clone();
    status["DeviceRememberedStatus"] = json!("not_remembered");
    answered(harness, "UpdateDeviceStatus", status).await;
    answered(harness, "ForgetDevice", own).await;
    // Forgotten already: AdminForgetDevice gets a device of its own.
    let (other_key, ..) = harness.remembered_device(pool, "erin").await;
    let other = json!({ "UserPoolId": pool.id, "Username": "erin", "DeviceKey": other_key });
    answered(harness, "AdminForgetDevice", other).await;
}

/// Refreshing and ending sign-ins, on a user of their own.
async fn sign_out_operations(harness: &Harness, pool: &Pool) {
    let (key, group, device, refresh) = harness.remembered_device(pool, "dave").await;
    harness.clock.advance(Duration::from_secs(30));
    let tokens = harness
        .device_sign_in(pool, "dave", (&key, &group, &device))
        .await;
    let refreshed = json!({ "ClientId": pool.client_id, "RefreshToken": refresh });
    answered(harness, "GetTokensFromRefreshToken", refreshed).await;
    let revoked = json!({ "ClientId": pool.client_id, "Token": refresh });
    answered(harness, "RevokeToken", revoked).await;
    let own = json!({ "AccessToken": tokens.access_token.unwrap() });
    answered(harness, "GlobalSignOut", own).await;
    let dave = json!({ "UserPoolId": pool.id, "Username": "dave" });
    answered(harness, "AdminUserGlobalSignOut", dave).await;
}

async fn closing_operations(harness: &Harness, pool: &Pool) {
    let bob = json!({ "UserPoolId": pool.id, "Username": "bob" });
    answered(harness, "AdminDeleteUser", bob).await;
    let client = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    answered(harness, "DeleteUserPoolClient", client).await;
    answered(harness, "DeleteUserPool", json!({ "UserPoolId": pool.id })).await;
}

/// ChangePassword, the MFA preference, attributes, disabling and DeleteUser, on alice (who is
/// gone afterwards).
async fn account_operations(harness: &Harness, pool: &Pool, access_token: &str) {
    let changed = json!({
        "AccessToken": access_token,
        "PreviousPassword": PASSWORD,
        "ProposedPassword": "N3w-Battery-Staple!",
    });
    answered(harness, "ChangePassword", changed).await;
    let totp = json!({ "Enabled": true, "PreferredMfa": true });
    let own = json!({ "AccessToken": access_token, "SoftwareTokenMfaSettings": totp });
    answered(harness, "SetUserMFAPreference", own).await;
    let alice = json!({ "UserPoolId": pool.id, "Username": "alice" });
    let mut admin = alice.clone();
    admin["SoftwareTokenMfaSettings"] = totp;
    answered(harness, "AdminSetUserMFAPreference", admin).await;
    let names = json!(["email_verified"]);
    let own = json!({ "AccessToken": access_token, "UserAttributeNames": names });
    answered(harness, "DeleteUserAttributes", own).await;
    let mut admin = alice.clone();
    admin["UserAttributeNames"] = names;
    answered(harness, "AdminDeleteUserAttributes", admin).await;
    answered(harness, "AdminDisableUser", alice.clone()).await;
    answered(harness, "AdminEnableUser", alice).await;
    let own = json!({ "AccessToken": access_token });
    answered(harness, "DeleteUser", own).await;
}
