// SPDX-License-Identifier: Apache-2.0
//! What the platform tests share: raw calls for the operations the SDK lacks, and pools of a
//! given feature plan.

use aws_sdk_cognitoidentityprovider::types::UserPoolTierType;
use serde_json::Value;

use crate::common::{Harness, Pool};

/// A raw call's answer, or its error's `__type` and message.
pub async fn raw(
    harness: &Harness,
    operation: &str,
    body: Value,
) -> Result<Value, (String, String)> {
    let (status, answer) = harness.call(operation, &body.to_string()).await;
    if status == 200 {
        return Ok(answer);
    }
    let text = |name: &str| answer[name].as_str().unwrap_or_default().to_owned();
    Err((text("__type"), text("message")))
}

/// The error code of a raw call that must fail.
pub async fn raw_error(harness: &Harness, operation: &str, body: Value) -> String {
    match raw(harness, operation, body).await {
        Ok(answer) => panic!("{operation} succeeded: {answer}"),
        Err((code, _)) => code,
    }
}

/// A pool of the feature plan, with a password-flow app client.
pub async fn pool_in_tier(harness: &Harness, tier: UserPoolTierType) -> Pool {
    harness
        .pool_without_mfa(|create| create.user_pool_tier(tier), false)
        .await
}
