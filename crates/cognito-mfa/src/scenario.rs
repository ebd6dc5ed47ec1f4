// SPDX-License-Identifier: Apache-2.0
//! The scenario: sign up a user, confirm it with the emailed code, enrol a TOTP authenticator
//! when the pool asks for MFA, sign in with a TOTP code, remember the device, and sign in again
//! from it with device SRP and no code. Each step prints the API action it called and the
//! challenge it met; each mistake a person can make gets a message and another try.

use std::collections::HashMap;
use std::fmt;
use std::io;

use aws_sdk_cognitoidentityprovider::types::{
    AuthenticationResultType, ChallengeNameType, UserStatusType,
};
use cognito_srp::{
    DeviceSecret, Identity, PasswordVerifierChallenge, SrpClient, SrpError, Timestamp,
};
use zeroize::Zeroizing;

use crate::actions::{ActionError, CognitoActions};
use crate::http::{JsonClient, percent_encode};
use crate::prompt::{Confirmation, Prompter};
use crate::qr;
use crate::report::Report;
use crate::tokens::{self, TokenError, VerifiedTokens};

/// How many times a step starts its sign-in again after the session expired.
const RESTARTS: u32 = 3;

/// Where the confirmation email goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    /// The emulator keeps it in its outbox, readable at `<url>/_emulator/messages`.
    EmulatorOutbox { url: String },
    /// A real inbox, on AWS.
    Email,
}

#[derive(Debug, Clone)]
pub struct ScenarioConfig {
    /// The `iss` of the pool's tokens, where its JWKS is published.
    pub issuer: String,
    pub mailbox: Mailbox,
    /// The pool's password rules, in words, for the prompts.
    pub password_policy: String,
}

#[derive(Debug)]
pub enum ScenarioError {
    Action(ActionError),
    Tokens(TokenError),
    Srp(SrpError),
    Input(io::Error),
    /// The service answered something the scenario cannot go on from.
    Unexpected(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Action(error) => write!(f, "{error}"),
            Self::Tokens(error) => write!(f, "token check failed: {error}"),
            Self::Srp(error) => write!(f, "SRP: {error}"),
            Self::Input(error) => write!(f, "no answer: {error}"),
            Self::Unexpected(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl From<ActionError> for ScenarioError {
    fn from(error: ActionError) -> Self {
        Self::Action(error)
    }
}

impl From<TokenError> for ScenarioError {
    fn from(error: TokenError) -> Self {
        Self::Tokens(error)
    }
}

impl From<SrpError> for ScenarioError {
    fn from(error: SrpError) -> Self {
        Self::Srp(error)
    }
}

impl From<io::Error> for ScenarioError {
    fn from(error: io::Error) -> Self {
        Self::Input(error)
    }
}

/// The user the scenario works with; deleted when it ends.
struct User {
    username: String,
    password: Zeroizing<String>,
    /// Where its codes go, as Cognito shows it (`j***@e***.com`).
    destination: String,
}

/// What a finished sign-in returned.
struct SignedIn {
    id_token: Zeroizing<String>,
    access_token: Zeroizing<String>,
    /// The device key and device group key Cognito offers to remember.
    new_device: Option<(String, String)>,
}

/// A device the user chose to remember, with the secret only it knows.
struct RememberedDevice {
    key: String,
    group_key: String,
    secret: DeviceSecret,
}

pub struct Scenario<P: Prompter> {
    actions: CognitoActions,
    prompt: P,
    out: Report,
    http: JsonClient,
    config: ScenarioConfig,
    user: Option<User>,
}

impl<P: Prompter> fmt::Debug for Scenario<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scenario")
            .field("pool", self.actions.pool())
            .finish_non_exhaustive()
    }
}

fn signed_in(
    action: &str,
    result: Option<AuthenticationResultType>,
) -> Result<SignedIn, ScenarioError> {
    let result =
        result.ok_or_else(|| ScenarioError::Unexpected(format!("{action} returned no tokens")))?;
    let (Some(id_token), Some(access_token)) = (result.id_token, result.access_token) else {
        return Err(ScenarioError::Unexpected(format!(
            "{action} returned no ID or access token"
        )));
    };
    let new_device = result
        .new_device_metadata
        .and_then(|device| Some((device.device_key?, device.device_group_key?)));
    Ok(SignedIn {
        id_token: Zeroizing::new(id_token),
        access_token: Zeroizing::new(access_token),
        new_device,
    })
}

fn responses(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn challenge_name(challenge: Option<&ChallengeNameType>) -> &str {
    challenge.map_or("none (tokens)", ChallengeNameType::as_str)
}

impl<P: Prompter> Scenario<P> {
    pub fn new(
        actions: CognitoActions,
        prompt: P,
        out: Report,
        http: JsonClient,
        config: ScenarioConfig,
    ) -> Self {
        Self {
            actions,
            prompt,
            out,
            http,
            config,
            user: None,
        }
    }

    // snippet-start:[cognitoidentityprovider.rust.scenario_sign_up_user_with_mfa]
    /// Runs every step. Whatever happens, call [`Scenario::clean_up`] afterwards.
    pub async fn run(&mut self) -> Result<(), ScenarioError> {
        self.sign_up().await?;
        self.show_user_status().await?;
        self.confirm_sign_up().await?;
        self.list_users().await?;
        let secret = self.set_up_mfa().await?;
        let signed_in = self.sign_in_with_totp(&secret).await?;
        self.show_tokens(
            9,
            "Check the tokens against the pool's published keys",
            &signed_in,
        )
        .await?;
        match self.remember_device(&signed_in).await? {
            Some(device) => {
                let device_signed_in = self.sign_in_with_device(&device).await?;
                self.show_tokens(12, "Check the device sign-in's tokens", &device_signed_in)
                    .await?;
            }
            None => self
                .out
                .line("The pool does not track devices, so there is no device to remember."),
        }
        self.out.heading("\nDone: signed up, confirmed, enrolled TOTP, signed in with it, and again from a remembered device without it.");
        Ok(())
    }

    /// 1. SignUp, asking again for whatever the service refuses.
    async fn sign_up(&mut self) -> Result<(), ScenarioError> {
        self.out.step(1, "Sign up a new user");
        let (mut username, mut email, mut password) =
            (None::<String>, None::<String>, None::<Zeroizing<String>>);
        loop {
            let name = match username.take() {
                Some(name) => name,
                None => self.prompt.username().await?,
            };
            let mail = match email.take() {
                Some(mail) => mail,
                None => self.prompt.email(&name).await?,
            };
            let secret = match password.take() {
                Some(secret) => secret,
                None => self.prompt.password(&self.config.password_policy).await?,
            };
            match self.actions.sign_up(&name, &secret, &mail).await {
                Ok(output) => {
                    self.out.call(
                        "SignUp",
                        &format!(
                            "{name} signed up; confirmed: {}; sub {}",
                            output.user_confirmed, output.user_sub
                        ),
                    );
                    let destination = output
                        .code_delivery_details
                        .and_then(|details| details.destination)
                        .unwrap_or(mail);
                    self.out.line(&format!(
                        "Cognito sent a confirmation code to {destination}."
                    ));
                    self.user = Some(User {
                        username: name,
                        password: secret,
                        destination,
                    });
                    return Ok(());
                }
                Err(error) if error.is("InvalidPasswordException") => {
                    self.out.problem(&format!(
                        "{} The pool asks for {}.",
                        error.message, self.config.password_policy
                    ));
                    (username, email) = (Some(name), Some(mail));
                }
                Err(error) if error.is("UsernameExistsException") => {
                    self.out
                        .problem(&format!("{name} is taken ({}).", error.message));
                    if self.adopt_unconfirmed(&name, &secret).await? {
                        return Ok(());
                    }
                    (email, password) = (Some(mail), Some(secret));
                }
                Err(error) if error.is("InvalidParameterException") => {
                    self.out.problem(&error.message);
                    let about_email = error.message.to_lowercase().contains("email");
                    if about_email {
                        (username, password) = (Some(name), Some(secret));
                    } else {
                        (email, password) = (Some(mail), Some(secret));
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// A taken name: shows its status, and offers to go on with it if it was never confirmed.
    async fn adopt_unconfirmed(
        &mut self,
        name: &str,
        password: &Zeroizing<String>,
    ) -> Result<bool, ScenarioError> {
        let existing = self.actions.admin_get_user(name).await?;
        let status = existing
            .user_status
            .as_ref()
            .map_or("unknown", UserStatusType::as_str)
            .to_owned();
        self.out.call(
            "AdminGetUser",
            &format!("{name} exists with status {status}"),
        );
        if existing.user_status != Some(UserStatusType::Unconfirmed)
            || !self.prompt.continue_unconfirmed(name).await?
        {
            self.out.line("Choose another username.");
            return Ok(false);
        }
        let resent = self.actions.resend_confirmation_code(name).await?;
        let destination = resent
            .code_delivery_details
            .and_then(|details| details.destination)
            .unwrap_or_else(|| "its email address".to_owned());
        self.out.call(
            "ResendConfirmationCode",
            &format!("a new code went to {destination}"),
        );
        self.user = Some(User {
            username: name.to_owned(),
            password: password.clone(),
            destination,
        });
        Ok(true)
    }

    fn user(&self) -> Result<&User, ScenarioError> {
        self.user
            .as_ref()
            .ok_or_else(|| ScenarioError::Unexpected("no user has signed up".to_owned()))
    }

    /// 2. AdminGetUser: the new user waits for confirmation.
    async fn show_user_status(&mut self) -> Result<(), ScenarioError> {
        self.out.step(2, "Look the user up as an administrator");
        let username = self.user()?.username.clone();
        let user = self.actions.admin_get_user(&username).await?;
        let status = user
            .user_status
            .as_ref()
            .map_or("unknown", UserStatusType::as_str);
        self.out.call(
            "AdminGetUser",
            &format!("{} is {status}, enabled: {}", user.username, user.enabled),
        );
        Ok(())
    }

    /// 3. ConfirmSignUp with the emailed code; ResendConfirmationCode when asked or needed.
    async fn confirm_sign_up(&mut self) -> Result<(), ScenarioError> {
        self.out
            .step(3, "Confirm the sign-up with the code from the email");
        let (username, destination) = {
            let user = self.user()?;
            (user.username.clone(), user.destination.clone())
        };
        loop {
            if self.prompt.is_interactive() {
                self.show_outbox(&username).await;
            }
            let code = match self.prompt.confirmation(&destination).await? {
                Confirmation::Code(code) => code,
                Confirmation::Resend => {
                    self.resend_code(&username).await?;
                    continue;
                }
                Confirmation::Automatic => match &self.config.mailbox {
                    Mailbox::EmulatorOutbox { url } => {
                        let code = self.newest_outbox_code(url, &username).await?;
                        self.out.line("Read the code from the emulator's outbox.");
                        code
                    }
                    Mailbox::Email => {
                        self.actions.admin_confirm_sign_up(&username).await?;
                        self.out.call(
                            "AdminConfirmSignUp",
                            &format!("{username} confirmed by an administrator: nobody reads the email in a straight-through run"),
                        );
                        return Ok(());
                    }
                },
            };
            match self.actions.confirm_sign_up(&username, &code).await {
                Ok(_) => {
                    self.out
                        .call("ConfirmSignUp", &format!("{username} is confirmed"));
                    return Ok(());
                }
                Err(error) if error.is("CodeMismatchException") => {
                    self.out
                        .problem("That code does not match. Type it again, or ask for a new one.");
                }
                Err(error)
                    if error.is("ExpiredCodeException") || error.is("LimitExceededException") =>
                {
                    self.out
                        .problem(&format!("{} Sending a new code.", error.message));
                    self.resend_code(&username).await?;
                }
                Err(error)
                    if error.is("NotAuthorizedException")
                        && error.message.contains("CONFIRMED") =>
                {
                    self.out.call(
                        "ConfirmSignUp",
                        &format!("{username} was already confirmed"),
                    );
                    return Ok(());
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    async fn resend_code(&mut self, username: &str) -> Result<(), ScenarioError> {
        let resent = self.actions.resend_confirmation_code(username).await?;
        let destination = resent
            .code_delivery_details
            .and_then(|details| details.destination)
            .unwrap_or_default();
        self.out.call(
            "ResendConfirmationCode",
            &format!("a new code went to {destination}; only it counts now"),
        );
        Ok(())
    }

    /// With the emulator there is no inbox to open: show the person what the email says.
    async fn show_outbox(&mut self, username: &str) {
        if let Mailbox::EmulatorOutbox { url } = &self.config.mailbox {
            let url = url.clone();
            match self.newest_outbox_code(&url, username).await {
                Ok(code) => self.out.line(&format!("(The emulator's outbox: the newest email to {username} says the code is {code}.)")),
                Err(error) => self.out.problem(&format!("Could not read the emulator's outbox: {error}")),
            }
        }
    }

    async fn newest_outbox_code(&self, url: &str, username: &str) -> Result<String, ScenarioError> {
        let outbox = self
            .http
            .get(&format!(
                "{}/_emulator/messages?username={}",
                url.trim_end_matches('/'),
                percent_encode(username)
            ))
            .await
            .map_err(|e| ScenarioError::Unexpected(e.to_string()))?;
        outbox["Messages"]
            .as_array()
            .and_then(|messages| messages.last())
            .and_then(|message| message["Code"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| {
                ScenarioError::Unexpected(format!(
                    "the emulator's outbox has no message for {username}"
                ))
            })
    }

    /// 4. ListUsers finds the user.
    async fn list_users(&mut self) -> Result<(), ScenarioError> {
        self.out.step(4, "List the pool's users");
        let username = self.user()?.username.clone();
        let filter = format!(
            "username = \"{}\"",
            username.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let listed = self.actions.list_users(Some(&filter)).await?;
        for user in listed.users() {
            let status = user
                .user_status
                .as_ref()
                .map_or("unknown", UserStatusType::as_str);
            let email = user
                .attributes()
                .iter()
                .find(|a| a.name == "email")
                .and_then(|a| a.value.as_deref())
                .unwrap_or("-");
            self.out.call(
                "ListUsers",
                &format!(
                    "{} ({email}), {status}",
                    user.username.as_deref().unwrap_or("?")
                ),
            );
        }
        if listed.users().is_empty() {
            return Err(ScenarioError::Unexpected(format!(
                "ListUsers did not find {username}"
            )));
        }
        Ok(())
    }

    /// AdminInitiateAuth with the user's password, asking for it again if it is refused.
    async fn admin_sign_in(
        &mut self,
    ) -> Result<
        aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput,
        ScenarioError,
    > {
        loop {
            let (username, password) = {
                let user = self.user()?;
                (user.username.clone(), user.password.clone())
            };
            match self.actions.admin_initiate_auth(&username, &password).await {
                Ok(started) => {
                    self.out.call(
                        "AdminInitiateAuth",
                        &format!(
                            "challenge {}",
                            challenge_name(started.challenge_name.as_ref())
                        ),
                    );
                    return Ok(started);
                }
                Err(error)
                    if error.is("NotAuthorizedException")
                        && error.message.contains("Incorrect") =>
                {
                    self.out
                        .problem("Cognito does not accept that password for this user.");
                    let password = self.prompt.existing_password(&username).await?;
                    if let Some(user) = self.user.as_mut() {
                        user.password = password;
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// 5-7. The pool requires MFA and the user has none: MFA_SETUP, AssociateSoftwareToken,
    /// VerifySoftwareToken, then the MFA_SETUP answer. Returns the TOTP secret.
    async fn set_up_mfa(&mut self) -> Result<Zeroizing<String>, ScenarioError> {
        self.out.step(
            5,
            "Sign in: the pool requires MFA and the user has none yet",
        );
        for _ in 0..RESTARTS {
            let started = self.admin_sign_in().await?;
            match started.challenge_name {
                Some(ChallengeNameType::MfaSetup) => {}
                Some(ChallengeNameType::SoftwareTokenMfa) => {
                    return Err(ScenarioError::Unexpected(
                        "this user already has an authenticator; the scenario needs a user it enrols itself".to_owned(),
                    ));
                }
                other => {
                    return Err(ScenarioError::Unexpected(format!(
                        "expected the MFA_SETUP challenge but got {}: is MFA required in this pool (see resources/cloudformation)?",
                        challenge_name(other.as_ref())
                    )));
                }
            }
            let can_set_up = started
                .challenge_parameters
                .as_ref()
                .and_then(|parameters| parameters.get("MFAS_CAN_SETUP").cloned())
                .unwrap_or_default();
            self.out
                .line(&format!("MFA_SETUP: the user can set up {can_set_up}"));
            let session = started.session.unwrap_or_default();
            if let Some(secret) = self.enrol_authenticator(&session).await? {
                return Ok(secret);
            }
            self.out.problem("The sign-in session expired (each step has 3 minutes). Starting the sign-in again.");
        }
        Err(ScenarioError::Unexpected(
            "MFA setup did not finish after several tries".to_owned(),
        ))
    }

    /// Steps 6 and 7 within one sign-in; `None` when its session ran out.
    async fn enrol_authenticator(
        &mut self,
        session: &str,
    ) -> Result<Option<Zeroizing<String>>, ScenarioError> {
        self.out.step(6, "Set up an authenticator app");
        let associated = match self.actions.associate_software_token(session).await {
            Ok(associated) => associated,
            Err(error) if error.is_invalid_session() => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let secret = Zeroizing::new(associated.secret_code.clone().unwrap_or_default());
        self.out
            .call("AssociateSoftwareToken", "a new TOTP secret for this user");
        self.show_secret(&secret);

        self.out
            .step(7, "Verify the authenticator with its first code");
        let mut session = associated.session.unwrap_or_default();
        let verified = loop {
            let code = self.prompt.totp_code(&secret).await?;
            match self.actions.verify_software_token(&session, &code).await {
                Ok(verified) => break verified,
                Err(error)
                    if error.is("EnableSoftwareTokenMFAException")
                        || error.is("CodeMismatchException") =>
                {
                    self.out.problem("That code does not match. Check the app shows this account, and that the device's clock is right; then try the current code.");
                }
                Err(error) if error.is_invalid_session() => return Ok(None),
                Err(error) => return Err(error.into()),
            }
        };
        let status = verified.status.as_ref().map_or("?", |s| s.as_str());
        self.out
            .call("VerifySoftwareToken", &format!("status {status}"));
        session = verified.session.unwrap_or_default();

        let username = self.user()?.username.clone();
        let answered = match self
            .actions
            .admin_respond_to_auth_challenge(
                ChallengeNameType::MfaSetup,
                &session,
                responses(&[("USERNAME", &username)]),
            )
            .await
        {
            Ok(answered) => answered,
            Err(error) if error.is_invalid_session() => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        signed_in(
            "AdminRespondToAuthChallenge",
            answered.authentication_result,
        )?;
        self.out.call(
            "AdminRespondToAuthChallenge",
            "MFA_SETUP answered: TOTP is now this user's second factor, and Cognito returned tokens",
        );
        Ok(Some(secret))
    }

    fn show_secret(&mut self, secret: &str) {
        if !self.prompt.is_interactive() {
            self.out.line("(Straight-through run: the secret and its QR code are not shown; the codes are computed from it.)");
            return;
        }
        let account = self
            .user
            .as_ref()
            .map_or("user", |user| user.username.as_str());
        let uri = qr::otpauth_uri("Cognito MFA example", account, secret);
        match qr::render(&uri) {
            Ok(code) => {
                self.out.line("Scan this QR code with an authenticator app (Google Authenticator, Authy, 1Password, ...):");
                self.out.block(&code);
            }
            Err(error) => self.out.problem(&format!(
                "Cannot draw the QR code ({error}); type the key instead."
            )),
        }
        self.out
            .line(&format!("Or enter this key by hand: {secret}"));
    }

    /// 8. Sign in again: now SOFTWARE_TOKEN_MFA, answered with a TOTP code.
    async fn sign_in_with_totp(&mut self, secret: &str) -> Result<SignedIn, ScenarioError> {
        self.out.step(8, "Sign in again, now with a TOTP code");
        for _ in 0..RESTARTS {
            let started = self.admin_sign_in().await?;
            if started.challenge_name != Some(ChallengeNameType::SoftwareTokenMfa) {
                return Err(ScenarioError::Unexpected(format!(
                    "expected the SOFTWARE_TOKEN_MFA challenge but got {}",
                    challenge_name(started.challenge_name.as_ref())
                )));
            }
            let session = started.session.unwrap_or_default();
            let username = started
                .challenge_parameters
                .as_ref()
                .and_then(|p| p.get("USER_ID_FOR_SRP").cloned())
                .unwrap_or(self.user()?.username.clone());
            loop {
                let code = self.prompt.totp_code(secret).await?;
                let answer =
                    responses(&[("USERNAME", &username), ("SOFTWARE_TOKEN_MFA_CODE", &code)]);
                match self
                    .actions
                    .admin_respond_to_auth_challenge(
                        ChallengeNameType::SoftwareTokenMfa,
                        &session,
                        answer,
                    )
                    .await
                {
                    Ok(answered) => {
                        let signed_in = signed_in(
                            "AdminRespondToAuthChallenge",
                            answered.authentication_result,
                        )?;
                        self.out.call(
                            "AdminRespondToAuthChallenge",
                            &format!(
                                "SOFTWARE_TOKEN_MFA answered: tokens issued{}",
                                if signed_in.new_device.is_some() {
                                    ", with a new device to remember"
                                } else {
                                    ""
                                }
                            ),
                        );
                        return Ok(signed_in);
                    }
                    Err(error) if error.is("CodeMismatchException") => {
                        self.out
                            .problem("That code does not match; try the one the app shows now.");
                    }
                    Err(error) if error.is("ExpiredCodeException") => {
                        self.out.problem(&error.message);
                        self.prompt.code_was_used().await?;
                    }
                    Err(error) if error.is_invalid_session() => {
                        self.out.problem("The sign-in session expired or ran out of tries. Starting the sign-in again.");
                        break;
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        }
        Err(ScenarioError::Unexpected(
            "the TOTP sign-in did not finish after several tries".to_owned(),
        ))
    }

    /// 9 and 12. Verifies both tokens against the pool's JWKS and shows some claims; the tokens
    /// themselves are never printed.
    async fn show_tokens(
        &mut self,
        number: u32,
        title: &str,
        signed_in: &SignedIn,
    ) -> Result<VerifiedTokens, ScenarioError> {
        self.out.step(number, title);
        let verified = tokens::verify(
            &self.http,
            &self.config.issuer,
            &self.actions.pool().client_id,
            &signed_in.id_token,
            &signed_in.access_token,
            Timestamp::now().unix_seconds(),
        )
        .await?;
        self.out.line(&format!(
            "Both signatures verify against {}/.well-known/jwks.json",
            self.config.issuer
        ));
        let (id, access) = (&verified.id, &verified.access);
        self.out.line(&format!(
            "ID token: cognito:username {}, email {} (verified: {}), sub {}",
            id.text("cognito:username").unwrap_or("-"),
            id.text("email").unwrap_or("-"),
            id.0.get("email_verified")
                .map_or("-".to_owned(), ToString::to_string),
            id.text("sub").unwrap_or("-"),
        ));
        let minutes = access
            .number("exp")
            .map_or(0, |exp| (exp - Timestamp::now().unix_seconds()) / 60);
        self.out.line(&format!(
            "Access token: username {}, scope {}, device_key {}, expires in {minutes} min",
            access.text("username").unwrap_or("-"),
            access.text("scope").unwrap_or("-"),
            access.text("device_key").unwrap_or("-"),
        ));
        Ok(verified)
    }

    /// Step 10, ConfirmDevice: remember the device this sign-in came from, with an SRP verifier
    /// of a device password that never leaves it.
    async fn remember_device(
        &mut self,
        signed_in: &SignedIn,
    ) -> Result<Option<RememberedDevice>, ScenarioError> {
        self.out.step(10, "Remember this device");
        let Some((key, group_key)) = signed_in.new_device.clone() else {
            return Ok(None);
        };
        let identity = Identity::device(&group_key, &key)?;
        let secret = DeviceSecret::generate(&identity)?;
        let confirmed = self
            .actions
            .confirm_device(
                &signed_in.access_token,
                &key,
                &secret.verifier().verifier_base64(),
                &secret.verifier().salt_base64(),
                "cognito-mfa example",
            )
            .await?;
        self.out.call(
            "ConfirmDevice",
            &format!(
                "device {key} remembered; UserConfirmationNecessary: {}",
                confirmed.user_confirmation_necessary
            ),
        );
        Ok(Some(RememberedDevice {
            key,
            group_key,
            secret,
        }))
    }

    /// Step 11, sign in from the remembered device: DEVICE_SRP_AUTH and
    /// DEVICE_PASSWORD_VERIFIER replace the TOTP code.
    async fn sign_in_with_device(
        &mut self,
        device: &RememberedDevice,
    ) -> Result<SignedIn, ScenarioError> {
        self.out
            .step(11, "Sign in from the remembered device: no TOTP code");
        let (username, password) = {
            let user = self.user()?;
            (user.username.clone(), user.password.clone())
        };
        for _ in 0..RESTARTS {
            let started = self
                .actions
                .initiate_auth(&username, &password, Some(&device.key))
                .await?;
            self.out.call(
                "InitiateAuth",
                &format!(
                    "with DEVICE_KEY: challenge {}",
                    challenge_name(started.challenge_name.as_ref())
                ),
            );
            if started.challenge_name != Some(ChallengeNameType::DeviceSrpAuth) {
                return Err(ScenarioError::Unexpected(format!(
                    "expected DEVICE_SRP_AUTH but got {}: is the device remembered?",
                    challenge_name(started.challenge_name.as_ref())
                )));
            }
            let internal = started
                .challenge_parameters
                .as_ref()
                .and_then(|p| p.get("USERNAME").cloned())
                .unwrap_or(username.clone());
            let srp = SrpClient::new()?;
            let srp_a = srp.srp_a();
            let answer = responses(&[
                ("USERNAME", &internal),
                ("DEVICE_KEY", &device.key),
                ("SRP_A", &srp_a),
            ]);
            let verifier = match self
                .actions
                .respond_to_auth_challenge(
                    ChallengeNameType::DeviceSrpAuth,
                    started.session.as_deref().unwrap_or_default(),
                    answer,
                )
                .await
            {
                Ok(verifier) => verifier,
                Err(error) if error.is_invalid_session() => continue,
                Err(error) => return Err(error.into()),
            };
            self.out.call(
                "RespondToAuthChallenge",
                &format!(
                    "DEVICE_SRP_AUTH answered with SRP_A: challenge {}",
                    challenge_name(verifier.challenge_name.as_ref())
                ),
            );
            let parameters = verifier.challenge_parameters.unwrap_or_default();
            let parameter = |name: &str| {
                parameters.get(name).map(String::as_str).ok_or_else(|| {
                    ScenarioError::Unexpected(format!("DEVICE_PASSWORD_VERIFIER has no {name}"))
                })
            };
            let claim = srp.password_claim(
                &Identity::device(&device.group_key, &device.key)?,
                device.secret.device_password(),
                &PasswordVerifierChallenge {
                    srp_b: parameter("SRP_B")?,
                    salt: parameter("SALT")?,
                    secret_block: parameter("SECRET_BLOCK")?,
                },
            )?;
            let answer = responses(&[
                ("USERNAME", &internal),
                ("DEVICE_KEY", &device.key),
                ("PASSWORD_CLAIM_SIGNATURE", &claim.signature),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block),
                ("TIMESTAMP", &claim.timestamp),
            ]);
            let answered = match self
                .actions
                .respond_to_auth_challenge(
                    ChallengeNameType::DevicePasswordVerifier,
                    verifier.session.as_deref().unwrap_or_default(),
                    answer,
                )
                .await
            {
                Ok(answered) => answered,
                Err(error) if error.is_invalid_session() => continue,
                Err(error) => return Err(error.into()),
            };
            let signed_in = signed_in("RespondToAuthChallenge", answered.authentication_result)?;
            self.out.call(
                "RespondToAuthChallenge",
                "DEVICE_PASSWORD_VERIFIER answered with the SRP password claim: tokens issued, no TOTP code asked",
            );
            return Ok(signed_in);
        }
        Err(ScenarioError::Unexpected(
            "the device sign-in did not finish after several tries".to_owned(),
        ))
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_sign_up_user_with_mfa]

    /// Deletes the user the scenario signed up, if any. Safe to call after any failure.
    pub async fn clean_up(&mut self) -> Result<(), ScenarioError> {
        let Some(user) = self.user.take() else {
            return Ok(());
        };
        self.out.heading("\nClean up");
        match self.actions.admin_delete_user(&user.username).await {
            Ok(()) => {
                self.out
                    .call("AdminDeleteUser", &format!("{} deleted", user.username));
                Ok(())
            }
            Err(error) if error.is("UserNotFoundException") => Ok(()),
            Err(error) => {
                self.out
                    .problem(&format!("Could not delete {}: {error}", user.username));
                Err(error.into())
            }
        }
    }
}
