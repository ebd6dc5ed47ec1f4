// SPDX-License-Identifier: Apache-2.0
//! A page on another origin can call every route: preflights are answered with what AWS SDKs
//! and Amplify send, and answers name the origin and expose the request id and error headers.

mod common;

use common::{Harness, HttpAnswer, http_answer};

const ORIGIN: &str = "http://127.0.0.1:5173";
/// What the AWS SDK for JavaScript and Amplify ask for in a preflight.
const SDK_HEADERS: &str = "content-type,x-amz-target,x-amz-user-agent,cache-control,\
    amz-sdk-invocation-id,amz-sdk-request,authorization,x-amz-date,x-amz-security-token,\
    x-amz-content-sha256";
const EXPOSED: [&str; 3] = [
    "x-amzn-requestid",
    "x-amzn-errortype",
    "x-amzn-errormessage",
];

async fn preflight(harness: &Harness, path: &str, method: &str) -> HttpAnswer {
    let headers = [
        ("Origin", ORIGIN),
        ("Access-Control-Request-Method", method),
        ("Access-Control-Request-Headers", SDK_HEADERS),
    ];
    http_answer(harness.emulator.url(), "OPTIONS", path, &headers, "").await
}

fn listed(answer: &HttpAnswer, header: &str) -> Vec<String> {
    answer
        .header(header)
        .unwrap_or_else(|| panic!("no {header} in {answer:?}"))
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn every_route_answers_a_preflight_from_another_origin() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let jwks = format!("/{}/.well-known/jwks.json", pool.id);
    for (path, method) in [
        ("/", "POST"),
        ("/_emulator/messages", "GET"),
        (jwks.as_str(), "GET"),
    ] {
        let answer = preflight(&harness, path, method).await;
        assert!((200..300).contains(&answer.status), "{path}: {answer:?}");
        assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
        assert!(listed(&answer, "access-control-allow-methods").contains(&method.to_lowercase()));
        let allowed = listed(&answer, "access-control-allow-headers");
        for header in SDK_HEADERS.split(',') {
            assert!(
                allowed.contains(&header.to_owned()),
                "{path}: {header} not allowed"
            );
        }
        assert_eq!(answer.header("access-control-max-age"), Some("86400"));
    }
}

#[tokio::test]
async fn answers_name_the_origin_and_expose_the_request_id_and_errors() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let call = |target: &'static str, body: &'static str| {
        let headers = [
            ("Origin", ORIGIN),
            ("X-Amz-Target", target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ];
        let url = harness.emulator.url().to_owned();
        async move { http_answer(&url, "POST", "/", &headers, body).await }
    };
    let listed_pools = call(
        "AWSCognitoIdentityProviderService.ListUserPools",
        r#"{"MaxResults": 5}"#,
    )
    .await;
    let failed = call(
        "AWSCognitoIdentityProviderService.DescribeUserPool",
        r#"{"UserPoolId": "us-east-1_nothere00"}"#,
    )
    .await;
    assert_eq!(listed_pools.status, 200);
    assert_eq!(failed.status, 400);
    assert!(failed.header("x-amzn-errortype").is_some());
    for answer in [&listed_pools, &failed] {
        assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
        let exposed = listed(answer, "access-control-expose-headers");
        for header in EXPOSED {
            assert!(exposed.contains(&header.to_owned()), "{header} not exposed");
        }
    }
    let url = harness.emulator.url();
    let jwks = format!("/{}/.well-known/jwks.json", pool.id);
    for path in [jwks.as_str(), "/_emulator/messages"] {
        let answer = http_answer(url, "GET", path, &[("Origin", ORIGIN)], "").await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            answer.header("access-control-allow-origin"),
            Some(ORIGIN),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_public_page_may_reach_the_emulator_on_loopback() {
    let harness = Harness::start().await;
    let headers = [
        ("Origin", "https://app.example.com"),
        ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Private-Network", "true"),
    ];
    let answer = http_answer(harness.emulator.url(), "OPTIONS", "/", &headers, "").await;
    assert!((200..300).contains(&answer.status), "{answer:?}");
    assert_eq!(
        answer.header("access-control-allow-private-network"),
        Some("true")
    );
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://app.example.com")
    );
}
