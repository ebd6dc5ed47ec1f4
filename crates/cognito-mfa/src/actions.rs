// SPDX-License-Identifier: Apache-2.0
//! The Amazon Cognito actions of the scenario: a wrapper that owns the SDK client and knows the
//! pool, with one short method per API action. Each method sends one request and returns the
//! SDK's output, or an [`ActionError`] that keeps the service's error code and message.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput;
use aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::admin_respond_to_auth_challenge::AdminRespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::operation::associate_software_token::AssociateSoftwareTokenOutput;
use aws_sdk_cognitoidentityprovider::operation::confirm_device::ConfirmDeviceOutput;
use aws_sdk_cognitoidentityprovider::operation::confirm_sign_up::ConfirmSignUpOutput;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::list_users::ListUsersOutput;
use aws_sdk_cognitoidentityprovider::operation::resend_confirmation_code::ResendConfirmationCodeOutput;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::operation::sign_up::SignUpOutput;
use aws_sdk_cognitoidentityprovider::operation::verify_software_token::VerifySoftwareTokenOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ChallengeNameType, DeviceConfigurationType,
    DeviceSecretVerifierConfigType, ExplicitAuthFlowsType, SchemaAttributeType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, UsernameConfigurationType,
    VerificationMessageTemplateType, VerifiedAttributeType,
};
use cognito_srp::secret_hash;

/// What went wrong with one action: the service's own error code and message when the service
/// answered, or why it could not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// The API action, e.g. `SignUp`.
    pub action: &'static str,
    /// The service's error code, e.g. `CodeMismatchException`; `None` when there was no answer.
    pub code: Option<String>,
    pub message: String,
    pub kind: FailureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The service answered with an error.
    Service,
    /// The endpoint could not be reached (down, wrong URL, no network).
    Unreachable,
    /// No AWS credentials could be found.
    Credentials,
    Other,
}

impl ActionError {
    pub fn is(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }

    /// The error Cognito gives for a session that expired, was used, or never existed.
    pub fn is_invalid_session(&self) -> bool {
        self.is("NotAuthorizedException") && self.message.starts_with("Invalid session")
    }

    fn from_sdk<E, R>(action: &'static str, error: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: fmt::Debug,
    {
        if let SdkError::ServiceError(service) = &error {
            let inner = service.err();
            return Self {
                action,
                code: inner.code().map(str::to_owned),
                message: inner.message().unwrap_or("no message").to_owned(),
                kind: FailureKind::Service,
            };
        }
        let unreachable = match &error {
            SdkError::DispatchFailure(failure) => failure.is_io() || failure.is_timeout(),
            SdkError::TimeoutError(_) => true,
            _ => false,
        };
        let chain = DisplayErrorContext(&error).to_string();
        let kind = if chain.to_lowercase().contains("credential") {
            FailureKind::Credentials
        } else if unreachable {
            FailureKind::Unreachable
        } else {
            FailureKind::Other
        };
        Self {
            action,
            code: None,
            message: chain,
            kind,
        }
    }

    fn invalid_input(action: &'static str, message: impl Into<String>) -> Self {
        Self {
            action,
            code: None,
            message: message.into(),
            kind: FailureKind::Other,
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} failed: {code}: {}", self.action, self.message),
            None => write!(f, "{} failed: {}", self.action, self.message),
        }
    }
}

impl std::error::Error for ActionError {}

/// The pool the actions work in, and the app client they sign in through.
#[derive(Clone, PartialEq, Eq)]
pub struct PoolClient {
    pub user_pool_id: String,
    pub client_id: String,
    /// Set for app clients that have a secret: every action that needs it gets a SECRET_HASH.
    pub client_secret: Option<String>,
}

impl fmt::Debug for PoolClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolClient")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "(hidden)"),
            )
            .finish()
    }
}

// snippet-start:[cognitoidentityprovider.rust.actions_wrapper]
/// Wraps the Amazon Cognito Identity Provider client for one user pool and app client.
#[derive(Clone, Debug)]
pub struct CognitoActions {
    client: Client,
    pool: PoolClient,
}
// snippet-end:[cognitoidentityprovider.rust.actions_wrapper]

impl CognitoActions {
    pub fn new(client: Client, pool: PoolClient) -> Self {
        Self { client, pool }
    }

    pub fn pool(&self) -> &PoolClient {
        &self.pool
    }

    /// SECRET_HASH for `username`, when the app client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        self.pool
            .client_secret
            .as_deref()
            .map(|secret| secret_hash::compute(secret, username, &self.pool.client_id))
    }

    /// Auth parameters or challenge responses, with SECRET_HASH for their USERNAME when the
    /// client needs it.
    fn with_secret_hash(&self, mut responses: HashMap<String, String>) -> HashMap<String, String> {
        if let Some(hash) = responses
            .get("USERNAME")
            .and_then(|user| self.secret_hash(user))
        {
            responses.insert("SECRET_HASH".to_owned(), hash);
        }
        responses
    }

    // snippet-start:[cognitoidentityprovider.rust.sign_up]
    /// Signs up a user with a password and an email address; Cognito emails a confirmation code.
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        email: &str,
    ) -> Result<SignUpOutput, ActionError> {
        let email = AttributeType::builder()
            .name("email")
            .value(email)
            .build()
            .map_err(|e| ActionError::invalid_input("SignUp", e.to_string()))?;
        self.client
            .sign_up()
            .client_id(&self.pool.client_id)
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .password(password)
            .user_attributes(email)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("SignUp", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.sign_up]

    // snippet-start:[cognitoidentityprovider.rust.admin_get_user]
    /// Gets a user's status and attributes, as an administrator.
    pub async fn admin_get_user(&self, username: &str) -> Result<AdminGetUserOutput, ActionError> {
        self.client
            .admin_get_user()
            .user_pool_id(&self.pool.user_pool_id)
            .username(username)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("AdminGetUser", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.admin_get_user]

    // snippet-start:[cognitoidentityprovider.rust.resend_confirmation_code]
    /// Sends a new confirmation code; only the newest code confirms the user.
    pub async fn resend_confirmation_code(
        &self,
        username: &str,
    ) -> Result<ResendConfirmationCodeOutput, ActionError> {
        self.client
            .resend_confirmation_code()
            .client_id(&self.pool.client_id)
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("ResendConfirmationCode", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.resend_confirmation_code]

    // snippet-start:[cognitoidentityprovider.rust.confirm_sign_up]
    /// Confirms a user with the code Cognito emailed.
    pub async fn confirm_sign_up(
        &self,
        username: &str,
        code: &str,
    ) -> Result<ConfirmSignUpOutput, ActionError> {
        self.client
            .confirm_sign_up()
            .client_id(&self.pool.client_id)
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .confirmation_code(code)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("ConfirmSignUp", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.confirm_sign_up]

    // snippet-start:[cognitoidentityprovider.rust.list_users]
    /// Lists the pool's users, optionally filtered, e.g. `username = "jane"`.
    pub async fn list_users(&self, filter: Option<&str>) -> Result<ListUsersOutput, ActionError> {
        self.client
            .list_users()
            .user_pool_id(&self.pool.user_pool_id)
            .set_filter(filter.map(str::to_owned))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("ListUsers", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.list_users]

    // snippet-start:[cognitoidentityprovider.rust.admin_initiate_auth]
    /// Starts a sign-in with a username and password, as an administrator. In a pool that
    /// requires MFA the answer is a challenge (MFA_SETUP or SOFTWARE_TOKEN_MFA), not tokens.
    pub async fn admin_initiate_auth(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AdminInitiateAuthOutput, ActionError> {
        let parameters = HashMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PASSWORD".to_owned(), password.to_owned()),
        ]);
        self.client
            .admin_initiate_auth()
            .user_pool_id(&self.pool.user_pool_id)
            .client_id(&self.pool.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .set_auth_parameters(Some(self.with_secret_hash(parameters)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("AdminInitiateAuth", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.admin_initiate_auth]

    // snippet-start:[cognitoidentityprovider.rust.associate_software_token]
    /// Starts TOTP enrolment during the MFA_SETUP challenge: returns the secret for an
    /// authenticator app, and the session for VerifySoftwareToken.
    pub async fn associate_software_token(
        &self,
        session: &str,
    ) -> Result<AssociateSoftwareTokenOutput, ActionError> {
        self.client
            .associate_software_token()
            .session(session)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("AssociateSoftwareToken", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.associate_software_token]

    // snippet-start:[cognitoidentityprovider.rust.verify_software_token]
    /// Finishes TOTP enrolment with a code from the authenticator app; the session it returns
    /// answers the MFA_SETUP challenge.
    pub async fn verify_software_token(
        &self,
        session: &str,
        user_code: &str,
    ) -> Result<VerifySoftwareTokenOutput, ActionError> {
        self.client
            .verify_software_token()
            .session(session)
            .user_code(user_code)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("VerifySoftwareToken", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.verify_software_token]

    // snippet-start:[cognitoidentityprovider.rust.admin_respond_to_auth_challenge]
    /// Answers a sign-in challenge as an administrator: MFA_SETUP with USERNAME, or
    /// SOFTWARE_TOKEN_MFA with USERNAME and SOFTWARE_TOKEN_MFA_CODE.
    pub async fn admin_respond_to_auth_challenge(
        &self,
        challenge: ChallengeNameType,
        session: &str,
        responses: HashMap<String, String>,
    ) -> Result<AdminRespondToAuthChallengeOutput, ActionError> {
        self.client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&self.pool.user_pool_id)
            .client_id(&self.pool.client_id)
            .challenge_name(challenge)
            .session(session)
            .set_challenge_responses(Some(self.with_secret_hash(responses)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("AdminRespondToAuthChallenge", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.admin_respond_to_auth_challenge]

    // snippet-start:[cognitoidentityprovider.rust.confirm_device]
    /// Remembers the device a sign-in returned as NewDeviceMetadata, registering the SRP
    /// verifier of its secret device password.
    pub async fn confirm_device(
        &self,
        access_token: &str,
        device_key: &str,
        password_verifier: &str,
        salt: &str,
        device_name: &str,
    ) -> Result<ConfirmDeviceOutput, ActionError> {
        self.client
            .confirm_device()
            .access_token(access_token)
            .device_key(device_key)
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .password_verifier(password_verifier)
                    .salt(salt)
                    .build(),
            )
            .device_name(device_name)
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("ConfirmDevice", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.confirm_device]

    // snippet-start:[cognitoidentityprovider.rust.initiate_auth]
    /// Starts a sign-in as the user's app would (no AWS credentials needed), presenting a
    /// remembered device: Cognito answers DEVICE_SRP_AUTH instead of asking for MFA.
    pub async fn initiate_auth(
        &self,
        username: &str,
        password: &str,
        device_key: Option<&str>,
    ) -> Result<InitiateAuthOutput, ActionError> {
        let mut parameters = HashMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PASSWORD".to_owned(), password.to_owned()),
        ]);
        if let Some(device_key) = device_key {
            parameters.insert("DEVICE_KEY".to_owned(), device_key.to_owned());
        }
        self.client
            .initiate_auth()
            .client_id(&self.pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(self.with_secret_hash(parameters)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("InitiateAuth", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.initiate_auth]

    // snippet-start:[cognitoidentityprovider.rust.respond_to_auth_challenge]
    /// Answers a sign-in challenge as the user's app would: DEVICE_SRP_AUTH with the device's
    /// SRP_A, then DEVICE_PASSWORD_VERIFIER with its password claim.
    pub async fn respond_to_auth_challenge(
        &self,
        challenge: ChallengeNameType,
        session: &str,
        responses: HashMap<String, String>,
    ) -> Result<RespondToAuthChallengeOutput, ActionError> {
        self.client
            .respond_to_auth_challenge()
            .client_id(&self.pool.client_id)
            .challenge_name(challenge)
            .session(session)
            .set_challenge_responses(Some(self.with_secret_hash(responses)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("RespondToAuthChallenge", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.respond_to_auth_challenge]

    /// Confirms a user without a code: what the scenario does on AWS when nobody can read the
    /// email (straight-through runs).
    pub async fn admin_confirm_sign_up(&self, username: &str) -> Result<(), ActionError> {
        self.client
            .admin_confirm_sign_up()
            .user_pool_id(&self.pool.user_pool_id)
            .username(username)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ActionError::from_sdk("AdminConfirmSignUp", e))
    }

    pub async fn admin_delete_user(&self, username: &str) -> Result<(), ActionError> {
        self.client
            .admin_delete_user()
            .user_pool_id(&self.pool.user_pool_id)
            .username(username)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ActionError::from_sdk("AdminDeleteUser", e))
    }
}

/// Setting up and tearing down the scenario's pool; not part of the scenario itself.
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
