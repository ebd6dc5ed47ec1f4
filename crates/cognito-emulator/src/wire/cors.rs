// SPDX-License-Identifier: Apache-2.0
//! Cross-origin requests, so that a web app served from another origin (AWS Amplify, the AWS
//! SDK for JavaScript in a browser) can call every route: its preflight is answered, and every
//! answer names the origin and lets the page read the request id and error headers, as the
//! service's own endpoint does.

use std::time::Duration;

use axum::http::{HeaderName, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// What AWS SDKs and Amplify send with their requests.
const REQUEST_HEADERS: [&str; 10] = [
    "content-type",
    "x-amz-target",
    "x-amz-user-agent",
    "cache-control",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];
/// What a page may read of an answer: the request id, and an error's type and message.
const ANSWER_HEADERS: [&str; 3] = [
    "x-amzn-requestid",
    "x-amzn-errortype",
    "x-amzn-errormessage",
];
/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Any origin may call (the emulator is local and has no cookies to protect); the answer names
/// the request's own origin, which also suits pages that send credentials.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(REQUEST_HEADERS.map(HeaderName::from_static))
        .expose_headers(ANSWER_HEADERS.map(HeaderName::from_static))
        .max_age(PREFLIGHT_MAX_AGE)
        // Chrome asks before a public page may reach a loopback address.
        .allow_private_network(true)
}
