// SPDX-License-Identifier: Apache-2.0
//! An emulator in-process on 127.0.0.1 with a random port, the AWS SDK for Rust pointed at it,
//! and the scenario's user pool.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use aws_sdk_cognitoidentityprovider::config::http::HttpResponse;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::{
    InitiateAuthError, InitiateAuthOutput,
};
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    DeviceConfigurationType, DeviceSecretVerifierConfigType, ExplicitAuthFlowsType,
    PreventUserExistenceErrorTypes, SchemaAttributeType, SoftwareTokenMfaConfigType,
    UserPoolMfaType, UsernameConfigurationType, VerificationMessageTemplateType,
};
use aws_sdk_cognitoidentityprovider::{Client, Config};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_emulator::{Clock, Emulator, EmulatorConfig, ManualClock};
use cognito_srp::{DeviceSecret, Identity, PasswordVerifierChallenge, SrpClient};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const PASSWORD: &str = "Corr3ct-Horse!";

pub struct Harness {
    pub emulator: Emulator,
    pub clock: Arc<ManualClock>,
    pub client: Client,
    data_dir: Option<PathBuf>,
}

pub struct Pool {
    pub id: String,
    pub client_id: String,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(Arc::new(ManualClock::new()), None, 0).await
    }

    /// An emulator that keeps its data in `data_dir`.
    pub async fn start_in(data_dir: &Path) -> Self {
        Self::start_with(Arc::new(ManualClock::new()), Some(data_dir.to_owned()), 0).await
    }

    /// An emulator with a manual clock and what `configure` sets.
    pub async fn start_configured(configure: impl FnOnce(&mut EmulatorConfig)) -> Self {
        let clock = Arc::new(ManualClock::new());
        let mut config = EmulatorConfig {
            clock: clock.clone(),
            ..EmulatorConfig::default()
        };
        configure(&mut config);
        Self::start_from(clock, config).await
    }

    async fn start_with(clock: Arc<ManualClock>, data_dir: Option<PathBuf>, port: u16) -> Self {
        let config = EmulatorConfig {
            clock: clock.clone(),
            data_dir,
            port,
            ..EmulatorConfig::default()
        };
        Self::start_from(clock, config).await
    }

    async fn start_from(clock: Arc<ManualClock>, config: EmulatorConfig) -> Self {
        let data_dir = config.data_dir.clone();
        let emulator = Emulator::start(config)
            .await
            .expect("the emulator starts on a loopback port");
        let client = sdk_client(emulator.url());
        Self {
            emulator,
            clock,
            client,
            data_dir,
        }
    }

    /// Stops the emulator and starts a new one on the same port, data directory and clock.
    pub async fn restart(self) -> Self {
        self.restart_after(|_| {}).await
    }

    /// [`Harness::restart`], with `edit` given the data directory (if any) while no emulator
    /// runs.
    pub async fn restart_after(self, edit: impl FnOnce(&Path)) -> Self {
        let port = self
            .emulator
            .url()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        self.emulator.stop().await.expect("the emulator stops");
        if let Some(dir) = &self.data_dir {
            edit(dir);
        }
        Self::start_with(self.clock, self.data_dir, port).await
    }

    /// Stops the emulator and starts a new one on another port, with the same data directory
    /// and clock: as a restart with `--port 0` would.
    pub async fn restart_on_another_port(self) -> Self {
        let old_address = self.emulator.url().trim_start_matches("http://").to_owned();
        self.emulator.stop().await.expect("the emulator stops");
        // Holding the old port keeps the system from handing it out again.
        let _old_port = std::net::TcpListener::bind(&old_address).ok();
        let harness = Self::start_with(self.clock, self.data_dir, 0).await;
        assert_ne!(harness.emulator.url(), format!("http://{old_address}"));
        harness
    }

    /// The scenario's pool: self sign-up, email verified and required, case-insensitive names,
    /// TOTP required, devices tracked and remembered without asking.
    pub async fn scenario_pool(&self) -> Pool {
        self.pool_with(|flows| flows, None).await
    }

    pub async fn pool_with(
        &self,
        flows: impl FnOnce(Vec<ExplicitAuthFlowsType>) -> Vec<ExplicitAuthFlowsType>,
        secret: Option<bool>,
    ) -> Pool {
        let pool = self
            .client
            .create_user_pool()
            .pool_name("mfa-scenario")
            .auto_verified_attributes("email".into())
            .schema(
                SchemaAttributeType::builder()
                    .name("email")
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
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
                    .email_message("Your code is {####}")
                    .build(),
            )
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .unwrap();
        let id = pool.id.unwrap();
        self.client
            .set_user_pool_mfa_config()
            .user_pool_id(&id)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
        let flows = flows(vec![
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
        ]);
        let app = self
            .client
            .create_user_pool_client()
            .user_pool_id(&id)
            .client_name("scenario")
            .set_explicit_auth_flows(Some(flows))
            .set_generate_secret(secret)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        Pool {
            id,
            client_id: app.client_id.unwrap(),
        }
    }

    /// Another app client of the pool, one that hides which users exist
    /// (PreventUserExistenceErrors ENABLED), with the password and SRP flows.
    pub async fn client_hiding_users(&self, pool: &Pool) -> Pool {
        let client = self
            .client
            .create_user_pool_client()
            .user_pool_id(&pool.id)
            .client_name("hides-users")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        Pool {
            id: pool.id.clone(),
            client_id: client.client_id.unwrap(),
        }
    }

    /// GetUser with an access token: Ok, or the error's code and message.
    pub async fn get_user(&self, access_token: &str) -> Result<(), (String, String)> {
        let answer = self
            .client
            .get_user()
            .access_token(access_token)
            .send()
            .await;
        outcome(answer).map(|_| ())
    }

    /// REFRESH_TOKEN_AUTH: the tokens, or the error's code and message.
    pub async fn refresh(
        &self,
        pool: &Pool,
        refresh_token: &str,
    ) -> Result<AuthenticationResultType, (String, String)> {
        let answer = self
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token)
            .send()
            .await;
        outcome(answer).map(|answer| answer.authentication_result.expect("tokens"))
    }

    /// The newest code the outbox holds for a user.
    pub fn latest_code(&self, username: &str) -> String {
        self.emulator
            .messages(Some(username))
            .last()
            .unwrap_or_else(|| panic!("no message for {username}"))
            .code
            .clone()
    }

    pub async fn sign_up(&self, pool: &Pool, username: &str) {
        self.client
            .sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .password(PASSWORD)
            .user_attributes(attribute("email", &format!("{username}@example.com")))
            .send()
            .await
            .expect("SignUp");
    }

    pub async fn confirmed_user(&self, pool: &Pool, username: &str) {
        self.sign_up(pool, username).await;
        self.client
            .confirm_sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .confirmation_code(self.latest_code(username))
            .send()
            .await
            .expect("ConfirmSignUp");
    }

    /// A confirmed user with a verified TOTP secret; returns the secret.
    pub async fn user_with_totp(&self, pool: &Pool, username: &str) -> String {
        self.confirmed_user(pool, username).await;
        let challenge = self.admin_password_sign_in(pool, username).await;
        let associated = self
            .client
            .associate_software_token()
            .session(challenge.session.unwrap())
            .send()
            .await
            .expect("AssociateSoftwareToken");
        let secret = associated.secret_code.unwrap();
        let verified = self
            .client
            .verify_software_token()
            .session(associated.session.unwrap())
            .user_code(self.totp(&secret, 0))
            .send()
            .await
            .expect("VerifySoftwareToken");
        self.client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name("MFA_SETUP".into())
            .session(verified.session.unwrap())
            .challenge_responses("USERNAME", username)
            .send()
            .await
            .expect("MFA_SETUP answered");
        secret
    }

    pub async fn admin_password_sign_in(
        &self,
        pool: &Pool,
        username: &str,
    ) -> aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput
    {
        self.client
            .admin_initiate_auth()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .expect("AdminInitiateAuth")
    }

    /// A user with TOTP and a remembered device: (device key, group key, device secret, refresh token).
    pub async fn remembered_device(
        &self,
        pool: &Pool,
        username: &str,
    ) -> (String, String, DeviceSecret, String) {
        let secret = self.user_with_totp(pool, username).await;
        self.clock.advance(Duration::from_secs(30));
        let challenge = self.admin_password_sign_in(pool, username).await;
        let tokens = self
            .client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(challenge.session.unwrap())
            .challenge_responses("USERNAME", username)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", self.totp(&secret, 0))
            .send()
            .await
            .unwrap()
            .authentication_result
            .unwrap();
        let device = tokens.new_device_metadata.unwrap();
        let (key, group) = (device.device_key.unwrap(), device.device_group_key.unwrap());
        let device_secret =
            DeviceSecret::generate(&Identity::device(&group, &key).unwrap()).unwrap();
        let confirm = || {
            self.client
                .confirm_device()
                .access_token(tokens.access_token.as_deref().unwrap())
                .device_key(&key)
                .device_secret_verifier_config(
                    DeviceSecretVerifierConfigType::builder()
                        .password_verifier(device_secret.verifier().verifier_base64())
                        .salt(device_secret.verifier().salt_base64())
                        .build(),
                )
                .send()
        };
        confirm().await.unwrap();
        assert_eq!(error_code(confirm().await).0, "DeviceKeyExistsException");
        (key, group, device_secret, tokens.refresh_token.unwrap())
    }

    /// Password, then the remembered device's SRP proof, and no TOTP code: the tokens.
    pub async fn device_sign_in(
        &self,
        pool: &Pool,
        username: &str,
        (device_key, group_key, device_secret): (&str, &str, &DeviceSecret),
    ) -> AuthenticationResultType {
        let started = self
            .client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("DEVICE_KEY", device_key)
            .send()
            .await
            .expect("password sign-in with a device key");
        assert_eq!(
            started.challenge_name,
            Some(ChallengeNameType::DeviceSrpAuth)
        );
        let srp = SrpClient::new().unwrap();
        let device_challenge = self
            .client
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::DeviceSrpAuth)
            .session(started.session.unwrap())
            .challenge_responses("USERNAME", username)
            .challenge_responses("DEVICE_KEY", device_key)
            .challenge_responses("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("DEVICE_SRP_AUTH");
        let parameters = device_challenge.challenge_parameters.unwrap();
        let claim = srp
            .password_claim(
                &Identity::device(group_key, device_key).unwrap(),
                device_secret.device_password(),
                &challenge(&parameters),
            )
            .unwrap();
        self.client
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(ChallengeNameType::DevicePasswordVerifier)
            .session(device_challenge.session.unwrap())
            .challenge_responses("USERNAME", username)
            .challenge_responses("DEVICE_KEY", device_key)
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
            .challenge_responses("TIMESTAMP", &claim.timestamp)
            .send()
            .await
            .expect("DEVICE_PASSWORD_VERIFIER")
            .authentication_result
            .expect("tokens")
    }

    /// The TOTP code of the emulator's current step, or of a neighbouring one, as an
    /// authenticator app computes it: with totp-rs, not the emulator's own code. Its defaults
    /// are Cognito's: HMAC-SHA1, six digits, 30-second steps.
    pub fn totp(&self, secret: &str, step_offset: i64) -> String {
        let app = totp_rs::Builder::new()
            .with_secret(totp_rs::Secret::try_from_base32(secret).expect("a base32 secret"))
            .build()
            .expect("a usable TOTP secret");
        let now = self.clock.now().duration_since(UNIX_EPOCH).unwrap();
        let moment = now.as_secs().saturating_add_signed(step_offset * 30);
        app.generate(moment).to_string()
    }

    /// InitiateAuth with USER_PASSWORD_AUTH: the public password sign-in.
    pub async fn password_sign_in(
        &self,
        pool: &Pool,
        username: &str,
        password: &str,
    ) -> Result<InitiateAuthOutput, SdkError<InitiateAuthError, HttpResponse>> {
        self.client
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
    }

    /// POSTs a raw JSON body to an operation, as a client without the SDK would: (status, the
    /// answer as JSON, or as a string when it is not JSON).
    pub async fn call(&self, operation: &str, body: &str) -> (u16, Value) {
        let target = format!("AWSCognitoIdentityProviderService.{operation}");
        let (status, text) = http(
            self.emulator.url(),
            "POST",
            "/",
            &[
                ("X-Amz-Target", &target),
                ("Content-Type", "application/x-amz-json-1.1"),
            ],
            body,
        )
        .await;
        let answer = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, answer)
    }

    /// GETs a path of the emulator: (status, body).
    pub async fn http_get(&self, path: &str) -> (u16, String) {
        http(self.emulator.url(), "GET", path, &[], "").await
    }

    /// A pool without MFA that verifies email (with whatever else `configure` sets), and an
    /// app client of it with the password flows, that hides users or not.
    pub async fn pool_without_mfa(
        &self,
        configure: impl FnOnce(
            aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
        ) -> aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
        hides_users: bool,
    ) -> Pool {
        let create = self
            .client
            .create_user_pool()
            .pool_name("no-mfa")
            .auto_verified_attributes("email".into());
        let id = configure(create)
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let prevent = if hides_users {
            PreventUserExistenceErrorTypes::Enabled
        } else {
            PreventUserExistenceErrorTypes::Legacy
        };
        let client = self
            .client
            .create_user_pool_client()
            .user_pool_id(&id)
            .client_name("no-mfa")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .prevent_user_existence_errors(prevent)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        Pool {
            id,
            client_id: client.client_id.unwrap(),
        }
    }

    /// The secret of a pool's app client that has one.
    pub async fn client_secret(&self, pool: &Pool) -> String {
        self.client
            .describe_user_pool_client()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .send()
            .await
            .expect("DescribeUserPoolClient")
            .user_pool_client
            .unwrap()
            .client_secret
            .expect("a client with a secret")
    }

    /// The access token of a password sign-in that needs no second factor.
    pub async fn access_token(&self, pool: &Pool, username: &str, password: &str) -> String {
        self.password_sign_in(pool, username, password)
            .await
            .expect("InitiateAuth")
            .authentication_result
            .expect("tokens, with no challenge")
            .access_token
            .unwrap()
    }
}

pub fn sdk_client(url: &str) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(
            "AKIDEMULATORTEST",
            "emulator-test-secret",
            None,
            None,
            "tests",
        ))
        .build();
    Client::from_conf(config)
}

pub fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// The SRP challenge in a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER's parameters.
pub fn challenge(
    parameters: &std::collections::HashMap<String, String>,
) -> PasswordVerifierChallenge<'_> {
    PasswordVerifierChallenge {
        srp_b: &parameters["SRP_B"],
        salt: &parameters["SALT"],
        secret_block: &parameters["SECRET_BLOCK"],
    }
}

/// The service's error code of a failed SDK call.
pub fn error_code<T, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> (String, String) {
    match result {
        Ok(_) => panic!("the call succeeded; an error was expected"),
        Err(error) => outcome::<(), E>(Err(error)).unwrap_err(),
    }
}

/// A call's answer, or its error's code and message: for asserting either.
pub fn outcome<T, E: ProvideErrorMetadata>(result: Result<T, E>) -> Result<T, (String, String)> {
    result.map_err(|error| {
        (
            error.code().unwrap_or("<no code>").to_owned(),
            error.message().unwrap_or_default().to_owned(),
        )
    })
}

/// A raw HTTP/1.1 request to the emulator: for what the SDK will not send.
pub async fn http(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let answer = http_answer(url, method, path, headers, body).await;
    (answer.status, answer.body)
}

/// An HTTP answer with its headers (names in lower case).
#[derive(Debug)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpAnswer {
    /// The value of a header, if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(found, _)| found.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One HTTP/1.1 request on its own connection, written by hand so that tests control every byte.
pub async fn http_answer(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpAnswer {
    let address = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    // A test may name another host (a user-pool domain's, say); else the emulator's address.
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        request.push_str(&format!("Host: {address}\r\n"));
    }
    request.push_str(&format!(
        "Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    ));
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    HttpAnswer {
        status,
        headers,
        body: dechunk(body),
    }
}

fn dechunk(body: &str) -> String {
    // Small JSON bodies come with Content-Length; handle chunked ones too.
    let mut out = String::new();
    let mut rest = body;
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return body.to_owned();
        };
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if size == 0 {
            return out;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
}

/// Checks a token's RS256 signature against the pool's JWKS and returns its claims.
pub async fn verified_claims(
    harness: &Harness,
    pool_id: &str,
    token: &str,
) -> serde_json::Map<String, Value> {
    verified_claims_at(harness.emulator.url(), pool_id, token).await
}

/// Checks a token's RS256 signature against the JWKS an emulator at `url` serves for the pool.
pub async fn verified_claims_at(
    url: &str,
    pool_id: &str,
    token: &str,
) -> serde_json::Map<String, Value> {
    let path = format!("/{pool_id}/.well-known/jwks.json");
    let (status, body) = http(url, "GET", &path, &[], "").await;
    assert_eq!(status, 200);
    let jwks: Value = serde_json::from_str(&body).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == header["kid"])
        .expect("the token's kid is in the pool's JWKS");
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            format!("{}.{}", parts[0], parts[1]).as_bytes(),
            &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
        )
        .expect("the signature verifies against the JWKS");
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap() {
        Value::Object(claims) => claims,
        _ => panic!("claims are an object"),
    }
}
