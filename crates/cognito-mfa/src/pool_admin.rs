// SPDX-License-Identifier: Apache-2.0
//! Setting up and tearing down the scenario's user pool: not part of the scenario itself, but
//! what `--create-pool` and the built-in emulator need.

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    DeviceConfigurationType, ExplicitAuthFlowsType, SchemaAttributeType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, UsernameConfigurationType,
    VerificationMessageTemplateType, VerifiedAttributeType,
};

use crate::actions::{ActionError, PoolClient};

/// Creates and deletes the scenario's pool.
#[derive(Clone, Debug)]
pub struct PoolAdmin {
    client: Client,
}

impl PoolAdmin {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates a pool with the scenario's settings (those of the CloudFormation template) and
    /// an app client without a secret.
    // Long because it is two builder chains read side by side with the template, one setting
    // a line; split up, they would no longer read like it.
    pub async fn create_scenario_pool(&self, name: &str) -> Result<PoolClient, ActionError> {
        let built = |action: &'static str| {
            move |e: aws_sdk_cognitoidentityprovider::error::BuildError| {
                ActionError::invalid_input(action, e.to_string())
            }
        };
        let pool = self
            .client
            .create_user_pool()
            .pool_name(name)
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .schema(
                SchemaAttributeType::builder()
                    .name("email")
                    .attribute_data_type("String".into())
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .map_err(built("CreateUserPool"))?,
            )
            .device_configuration(
                DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(true)
                    .device_only_remembered_on_user_prompt(false)
                    .build(),
            )
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .email_subject("Verify your new account")
                    .email_message("Your verification code is {####}.")
                    .build(),
            )
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("CreateUserPool", e))?;
        let user_pool_id = pool.user_pool.and_then(|pool| pool.id).ok_or_else(|| {
            ActionError::invalid_input("CreateUserPool", "the answer has no pool id")
        })?;
        // TOTP can only be turned on once the pool exists.
        let configured = self
            .client
            .set_user_pool_mfa_config()
            .user_pool_id(&user_pool_id)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("SetUserPoolMfaConfig", e));
        let client = match configured {
            Ok(_) => self
                .client
                .create_user_pool_client()
                .user_pool_id(&user_pool_id)
                .client_name(format!("{name}-client"))
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .send()
                .await
                .map_err(|e| ActionError::from_sdk("CreateUserPoolClient", e)),
            Err(error) => Err(error),
        };
        match client.map(|c| c.user_pool_client.and_then(|c| c.client_id)) {
            Ok(Some(client_id)) => Ok(PoolClient {
                user_pool_id,
                client_id,
                client_secret: None,
            }),
            failed => {
                // Leave nothing half made behind.
                let _ = self.delete_user_pool(&user_pool_id).await;
                Err(failed.err().unwrap_or_else(|| {
                    ActionError::invalid_input(
                        "CreateUserPoolClient",
                        "the answer has no client id",
                    )
                }))
            }
        }
    }

    pub async fn delete_user_pool(&self, user_pool_id: &str) -> Result<(), ActionError> {
        self.client
            .delete_user_pool()
            .user_pool_id(user_pool_id)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ActionError::from_sdk("DeleteUserPool", e))
    }
}
