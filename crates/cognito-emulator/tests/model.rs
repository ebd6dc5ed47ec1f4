// SPDX-License-Identifier: Apache-2.0
//! What the service model decides: which operations exist (those the emulator does not answer
//! say so by name), and the constraints on every member of an emulated operation's input.

mod common;

use common::{Harness, error_code};

#[tokio::test]
async fn a_modelled_operation_that_is_not_emulated_says_so_by_name() {
    let harness = Harness::start().await;
    let result = harness
        .client
        .list_web_authn_credentials()
        .access_token("not-looked-at")
        .send()
        .await;
    assert_eq!(
        error_code(result),
        (
            "NotImplementedException".to_owned(),
            "ListWebAuthnCredentials is not emulated by cognito-emulator yet.".to_owned()
        )
    );

    let (status, body) = harness.call("ListWebAuthnCredentials", "{}").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (501, Some("NotImplementedException"))
    );
}

#[tokio::test]
async fn a_name_the_model_lacks_is_an_unknown_operation() {
    let harness = Harness::start().await;
    let (status, body) = harness.call("CreateGroups", "{}").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    assert_eq!(
        body["message"],
        "Unknown operation AWSCognitoIdentityProviderService.CreateGroups"
    );
}

#[tokio::test]
async fn constraints_come_from_the_model_for_every_member() {
    let harness = Harness::start().await;
    // Neither member was checked before the model was: the SMS message must hold the code's
    // placeholder, and add-ons must say which advanced security mode they set.
    let (status, body) = harness.call(
        "CreateUserPool",
        r#"{"PoolName": "p", "SmsVerificationMessage": "Your code is ready", "UserPoolAddOns": {}}"#,
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(
        message.contains(r"Value 'Your code is ready' at 'smsVerificationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\{####\}.*"),
        "{message}"
    );
    assert!(
        message.contains("Value null at 'userPoolAddOns.advancedSecurityMode' failed to satisfy constraint: Member must not be null"),
        "{message}"
    );

    let (status, _) = harness
        .call(
            "CreateUserPool",
            r#"{"PoolName": "p", "SmsVerificationMessage": "Your code is {####}"}"#,
        )
        .await;
    assert_eq!(status, 200);
}
