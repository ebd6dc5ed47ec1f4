// SPDX-License-Identifier: Apache-2.0
//! The awsJson1_1 contract over raw HTTP, and robustness: whatever arrives, the answer is a
//! service error (never a 500, never a dropped connection) and the next request is served.

mod common;

use common::{Harness, http};
use serde_json::{Value, json};

const TARGET: &str = "AWSCognitoIdentityProviderService.";

async fn raw_response(harness: &Harness, headers: &[(&str, &str)], body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = harness.emulator.url().trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn errors_have_the_service_shape_and_headers() {
    let harness = Harness::start().await;
    let response = raw_response(
        &harness,
        &[(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.DescribeUserPool",
        )],
        r#"{"UserPoolId":"us-east-1_Nope12345"}"#,
    )
    .await;
    let lower = response.to_lowercase();
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(lower.contains("x-amzn-requestid: "), "{response}");
    assert!(
        lower.contains("x-amzn-errortype: resourcenotfoundexception:"),
        "{response}"
    );
    assert!(
        lower.contains("content-type: application/x-amz-json-1.1"),
        "{response}"
    );
    assert!(response.contains(r#"{"__type":"ResourceNotFoundException","message":"User pool us-east-1_Nope12345 does not exist."}"#));

    let ok = raw_response(
        &harness,
        &[(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.ListUserPools",
        )],
        r#"{"MaxResults":10}"#,
    )
    .await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.to_lowercase().contains("x-amzn-requestid: "));
}

#[tokio::test]
async fn unknown_operations_bad_json_wrong_types_and_broken_constraints() {
    let harness = Harness::start().await;
    let (status, body) = harness.call("DoSomethingElse", "{}").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let (status, body) = http(harness.emulator.url(), "POST", "/", &[], "{}").await;
    assert_eq!(status, 400);
    assert!(body.contains("UnknownOperationException"));

    let (status, body) = harness.call("SignUp", "{not json").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let (status, body) = harness.call("SignUp", "[1, 2]").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let (status, body) = harness
        .call("SignUp", r#"{"ClientId": "abc", "Username": 5}"#)
        .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );

    let (status, body) = harness
        .call(
            "SignUp",
            r#"{"ClientId": "abc", "Username": "two words", "Password": "x"}"#,
        )
        .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("1 validation error detected: "),
        "{message}"
    );
    assert!(message.contains("'username'"), "{message}");
    assert!(
        !message.contains("two words"),
        "the sensitive value is not echoed: {message}"
    );

    let (status, body) = harness
        .call(
            "ListUsers",
            r#"{"UserPoolId": "us-east-1_AbC123456", "Limit": 100}"#,
        )
        .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Value '100' at 'limit'")
    );

    let (status, body) = harness
        .call("AdminGetUser", r#"{"UserPoolId": "not-a-pool-id"}"#)
        .await;
    assert_eq!(status, 400);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 validation errors detected"),
        "{message}"
    );
    assert!(message.contains("Value null at 'username'"), "{message}");
}

#[tokio::test]
async fn unsigned_requests_work_and_signed_ones_set_the_region() {
    let harness = Harness::start().await;
    let (status, body) = harness
        .call("CreateUserPool", r#"{"PoolName": "unsigned"}"#)
        .await;
    assert_eq!(status, 200);
    assert!(
        body["UserPool"]["Id"]
            .as_str()
            .unwrap()
            .starts_with("us-east-1_")
    );

    let target = format!("{TARGET}CreateUserPool");
    let (status, text) = http(
        harness.emulator.url(),
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-central-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123"),
        ],
        r#"{"PoolName": "signed"}"#,
    )
    .await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&text).unwrap();
    let id = body["UserPool"]["Id"].as_str().unwrap();
    assert!(id.starts_with("eu-central-1_"), "{id}");
    assert_eq!(
        body["UserPool"]["Arn"],
        format!("arn:aws:cognito-idp:eu-central-1:000000000000:userpool/{id}")
    );
}

#[tokio::test]
async fn the_outbox_lists_messages_as_json() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    harness.sign_up(&pool, "olga").await;
    let (status, text) = harness.http_get("/_emulator/messages?username=olga").await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&text).unwrap();
    let messages = body["Messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message["UserPoolId"], pool.id.as_str());
    assert_eq!(message["Username"], "olga");
    assert_eq!(message["Destination"], "olga@example.com");
    assert_eq!(message["Kind"], "SignUp");
    assert_eq!(message["Code"].as_str().unwrap().len(), 6);
    assert!(message["SentAt"].as_f64().unwrap() > 1.6e9);
    let (_, text) = harness
        .http_get("/_emulator/messages?username=nobody")
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({ "Messages": [] })
    );
}

/// A small deterministic generator, so a failure can be replayed from its seed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn text(&mut self) -> String {
        let pieces = [
            "",
            "a",
            "us-east-1_AbC123456",
            "-",
            "💥",
            " ",
            "\"",
            "\\",
            "0",
            "ÿ",
            "\u{0}",
            "%",
            "__proto__",
        ];
        let length = self.below(6);
        (0..length)
            .map(|_| pieces[self.below(pieces.len() as u64) as usize])
            .collect()
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.below(if depth > 2 { 6 } else { 8 }) {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => json!(self.next() as i64),
            3 => json!(self.below(100) as f64 / 3.0),
            4 | 5 => json!(self.text()),
            6 => Value::Array((0..self.below(4)).map(|_| self.value(depth + 1)).collect()),
            _ => {
                let names = [
                    "UserPoolId",
                    "ClientId",
                    "Username",
                    "Password",
                    "AuthFlow",
                    "AuthParameters",
                    "Session",
                    "ChallengeResponses",
                    "AccessToken",
                    "UserCode",
                    "DeviceKey",
                    "Limit",
                    "Filter",
                    "x",
                ];
                Value::Object(
                    (0..self.below(6))
                        .map(|_| {
                            (
                                names[self.below(names.len() as u64) as usize].to_owned(),
                                self.value(depth + 1),
                            )
                        })
                        .collect(),
                )
            }
        }
    }
}

#[tokio::test]
// Long: each kind of bad body is sent to the same running server, which must answer the next one.
async fn random_truncated_and_oversized_bodies_never_break_the_server() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let operations = [
        "CreateUserPool",
        "DescribeUserPool",
        "DeleteUserPool",
        "ListUserPools",
        "SetUserPoolMfaConfig",
        "CreateUserPoolClient",
        "DeleteUserPoolClient",
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "AdminConfirmSignUp",
        "AdminCreateUser",
        "AdminSetUserPassword",
        "AdminGetUser",
        "ListUsers",
        "AdminDeleteUser",
        "GetUser",
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "ConfirmDevice",
        "ListDevices",
        "ForgetDevice",
    ];
    let valid = json!({
        "ClientId": pool.client_id, "UserPoolId": pool.id, "Username": "fuzz", "Password": common::PASSWORD,
        "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": { "USERNAME": "fuzz", "PASSWORD": "x", "SRP_A": "0" },
        "ChallengeName": "SOFTWARE_TOKEN_MFA", "ChallengeResponses": { "USERNAME": "fuzz" },
        "Session": "s".repeat(40), "AccessToken": "a.b.c", "UserCode": "123456", "DeviceKey": "us-east-1_abc",
        "MaxResults": 5, "PoolName": "fuzzed", "ClientName": "fuzzed", "ConfirmationCode": "123456",
    })
    .to_string();
    let mut noise = Noise(0x5eed_cafe_f00d_beef);
    let mut answered = 0;
    for round in 0..400 {
        let operation = operations[round % operations.len()];
        let body = match round % 4 {
            0 => noise.value(0).to_string(),
            1 => valid[..noise.below(valid.len() as u64) as usize].to_owned(),
            2 => {
                let mut object = serde_json::from_str::<Value>(&valid).unwrap();
                let keys: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
                let key = &keys[noise.below(keys.len() as u64) as usize];
                object[key] = noise.value(1);
                object.to_string()
            }
            _ => valid.clone(),
        };
        let (status, reply) = harness.call(operation, &body).await;
        assert!(
            status == 200 || status == 400,
            "{operation} {body} -> {status} {reply}"
        );
        if status == 400 {
            assert!(reply["__type"].is_string(), "{operation} {body} -> {reply}");
        }
        answered += 1;
    }
    assert_eq!(answered, 400);

    let huge = format!(
        r#"{{"ClientId": "{}", "Username": "{}"}}"#,
        pool.client_id,
        "x".repeat(2 << 20)
    );
    let (status, reply) = harness.call("SignUp", &huge).await;
    assert_eq!(
        (status, reply["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let long_field = format!(
        r#"{{"ClientId": "{}", "Username": "{}"}}"#,
        pool.client_id,
        "x".repeat(100_000)
    );
    let (status, reply) = harness.call("SignUp", &long_field).await;
    assert_eq!(
        (status, reply["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );

    // Still serving (the valid bodies above may have deleted that pool, so a new one).
    let fresh = harness.scenario_pool().await;
    harness.sign_up(&fresh, "after-the-storm").await;
}
