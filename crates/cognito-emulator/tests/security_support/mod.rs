// SPDX-License-Identifier: Apache-2.0
//! Pools for the security family's tests: with threat protection on (and MFA, if asked), and
//! helpers to read authentication events.
#![allow(dead_code)]

use aws_sdk_cognitoidentityprovider::types::{
    AdvancedSecurityModeType, AuthEventType, ExplicitAuthFlowsType, SchemaAttributeType,
    SoftwareTokenMfaConfigType, UserPoolAddOnsType, UserPoolMfaType, UserPoolTierType,
};

use crate::common::{Harness, Pool};

/// A Plus pool with threat protection in audit mode (MFA on with TOTP if `mfa`), and an app
/// client with the administrator's and the public password flows and refresh.
pub async fn threat_pool(harness: &Harness, mfa: bool) -> Pool {
    let id = harness
        .client
        .create_user_pool()
        .pool_name("threat-protection")
        .auto_verified_attributes("email".into())
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .required(true)
                .mutable(true)
                .build(),
        )
        .user_pool_tier(UserPoolTierType::Plus)
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::Audit)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    if mfa {
        harness
            .client
            .set_user_pool_mfa_config()
            .user_pool_id(&id)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
    }
    let client_id = app_client(harness, &id).await;
    Pool { id, client_id }
}

/// Another app client of the pool, with the password flows and refresh.
pub async fn app_client(harness: &Harness, pool_id: &str) -> String {
    harness
        .client
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("security")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap()
}

/// Every recorded event of a user, newest first (one page of 60).
pub async fn events(harness: &Harness, pool: &Pool, username: &str) -> Vec<AuthEventType> {
    harness
        .client
        .admin_list_user_auth_events()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminListUserAuthEvents")
        .auth_events
        .unwrap_or_default()
}

/// An event's type and response and its challenge responses, as text: what a test compares.
pub fn summary(event: &AuthEventType) -> String {
    let challenges: Vec<String> = event
        .challenge_responses()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c.challenge_name().map_or("?", |n| n.as_str()),
                c.challenge_response().map_or("?", |r| r.as_str())
            )
        })
        .collect();
    format!(
        "{} {} [{}]",
        event.event_type().map_or("?", |t| t.as_str()),
        event.event_response().map_or("?", |r| r.as_str()),
        challenges.join(" ")
    )
}

/// The service's error code of a call that must fail.
pub fn code_of<T, E>(result: Result<T, E>) -> String
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata + std::fmt::Debug,
{
    crate::common::error_code(result).0
}
