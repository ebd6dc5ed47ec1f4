// SPDX-License-Identifier: Apache-2.0
//! The Amazon Cognito actions of the scenario: a wrapper that owns the SDK client and knows the
//! pool, with one short method per API action. Each method sends one request and returns the
//! SDK's output, or an [`ActionError`] that keeps the service's error code and message. The
//! challenge answers are built here too, so wire names such as `SOFTWARE_TOKEN_MFA_CODE` stay in
//! this module.

mod challenge;
mod error;

use std::collections::HashMap;
use std::fmt;

use aws_sdk_cognitoidentityprovider::Client;
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
    AttributeType, AuthFlowType, ChallengeNameType, DeviceSecretVerifierConfigType,
};
use cognito_srp::{PasswordClaim, secret_hash};

pub use challenge::{ChallengeParameters, describe_mfa};
pub use error::{ActionError, Exception, FailureKind};

// snippet-start:[cognitoidentityprovider.rust.actions_wrapper]
/// The user pool the actions work in, and the app client they sign in through.
#[derive(Clone, PartialEq, Eq)]
pub struct PoolClient {
    pub user_pool_id: String,
    pub client_id: String,
    /// Set for app clients that have a secret: every action that needs it sends a SECRET_HASH.
    pub client_secret: Option<String>,
}

/// Wraps the Amazon Cognito Identity Provider client for one user pool and app client. Each
/// method makes one API call and returns the SDK's output.
#[derive(Clone, Debug)]
pub struct CognitoActions {
    client: Client,
    pool: PoolClient,
}

impl CognitoActions {
    pub fn new(client: Client, pool: PoolClient) -> Self {
        Self { client, pool }
    }

    /// SECRET_HASH for `username`, when the app client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = self.pool.client_secret.as_deref()?;
        Some(secret_hash::compute(secret, username, &self.pool.client_id))
    }

    /// Auth parameters or challenge responses from name-value pairs, with a SECRET_HASH of
    /// their USERNAME when the app client has a secret.
    fn parameters(&self, pairs: &[(&str, &str)]) -> HashMap<String, String> {
        let mut parameters: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        if let Some(hash) = parameters
            .get("USERNAME")
            .and_then(|user| self.secret_hash(user))
        {
            parameters.insert("SECRET_HASH".to_owned(), hash);
        }
        parameters
    }
}
// snippet-end:[cognitoidentityprovider.rust.actions_wrapper]

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

impl CognitoActions {
    pub fn pool(&self) -> &PoolClient {
        &self.pool
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
        let parameters = self.parameters(&[("USERNAME", username), ("PASSWORD", password)]);
        self.client
            .admin_initiate_auth()
            .user_pool_id(&self.pool.user_pool_id)
            .client_id(&self.pool.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .set_auth_parameters(Some(parameters))
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
    /// Answers a sign-in challenge as an administrator, with the challenge's responses as
    /// name-value pairs.
    pub async fn admin_respond_to_auth_challenge(
        &self,
        challenge: ChallengeNameType,
        session: &str,
        responses: &[(&str, &str)],
    ) -> Result<AdminRespondToAuthChallengeOutput, ActionError> {
        self.client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&self.pool.user_pool_id)
            .client_id(&self.pool.client_id)
            .challenge_name(challenge)
            .session(session)
            .set_challenge_responses(Some(self.parameters(responses)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("AdminRespondToAuthChallenge", e))
    }

    /// Finishes MFA_SETUP with the session VerifySoftwareToken returned.
    pub async fn admin_respond_to_mfa_setup(
        &self,
        session: &str,
        username: &str,
    ) -> Result<AdminRespondToAuthChallengeOutput, ActionError> {
        let responses = [("USERNAME", username)];
        self.admin_respond_to_auth_challenge(ChallengeNameType::MfaSetup, session, &responses)
            .await
    }

    /// Answers SOFTWARE_TOKEN_MFA with the code the authenticator app shows.
    pub async fn admin_respond_to_software_token_mfa(
        &self,
        session: &str,
        username: &str,
        code: &str,
    ) -> Result<AdminRespondToAuthChallengeOutput, ActionError> {
        let responses = [("USERNAME", username), ("SOFTWARE_TOKEN_MFA_CODE", code)];
        self.admin_respond_to_auth_challenge(
            ChallengeNameType::SoftwareTokenMfa,
            session,
            &responses,
        )
        .await
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
        let mut pairs = vec![("USERNAME", username), ("PASSWORD", password)];
        if let Some(device_key) = device_key {
            pairs.push(("DEVICE_KEY", device_key));
        }
        self.client
            .initiate_auth()
            .client_id(&self.pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(self.parameters(&pairs)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("InitiateAuth", e))
    }
    // snippet-end:[cognitoidentityprovider.rust.initiate_auth]

    // snippet-start:[cognitoidentityprovider.rust.respond_to_auth_challenge]
    /// Answers a sign-in challenge as the user's app would, with the challenge's responses as
    /// name-value pairs.
    pub async fn respond_to_auth_challenge(
        &self,
        challenge: ChallengeNameType,
        session: &str,
        responses: &[(&str, &str)],
    ) -> Result<RespondToAuthChallengeOutput, ActionError> {
        self.client
            .respond_to_auth_challenge()
            .client_id(&self.pool.client_id)
            .challenge_name(challenge)
            .session(session)
            .set_challenge_responses(Some(self.parameters(responses)))
            .send()
            .await
            .map_err(|e| ActionError::from_sdk("RespondToAuthChallenge", e))
    }

    /// Answers DEVICE_SRP_AUTH with the device's SRP_A; Cognito answers
    /// DEVICE_PASSWORD_VERIFIER.
    pub async fn respond_to_device_srp_auth(
        &self,
        session: &str,
        username: &str,
        device_key: &str,
        srp_a: &str,
    ) -> Result<RespondToAuthChallengeOutput, ActionError> {
        let responses = [
            ("USERNAME", username),
            ("DEVICE_KEY", device_key),
            ("SRP_A", srp_a),
        ];
        self.respond_to_auth_challenge(ChallengeNameType::DeviceSrpAuth, session, &responses)
            .await
    }

    /// Answers DEVICE_PASSWORD_VERIFIER with the device's password claim: the proof that it
    /// knows the device password, which never leaves it.
    pub async fn respond_to_device_password_verifier(
        &self,
        session: &str,
        username: &str,
        device_key: &str,
        claim: &PasswordClaim,
    ) -> Result<RespondToAuthChallengeOutput, ActionError> {
        let responses = [
            ("USERNAME", username),
            ("DEVICE_KEY", device_key),
            ("PASSWORD_CLAIM_SIGNATURE", &claim.signature),
            ("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block),
            ("TIMESTAMP", &claim.timestamp),
        ];
        self.respond_to_auth_challenge(
            ChallengeNameType::DevicePasswordVerifier,
            session,
            &responses,
        )
        .await
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
