// SPDX-License-Identifier: Apache-2.0
//! The scenario: sign up a user, confirm it with the emailed code, enrol a TOTP authenticator
//! when the pool asks for MFA, sign in with a TOTP code, remember the device, and sign in again
//! from it with device SRP and no code. Each step prints the API action it called and what came
//! back; each mistake a person can make gets a message and another try.
//!
//! One file per part: [`sign_up`] (steps 1-4), [`mfa`] (5-8), [`check_tokens`] (9 and 12),
//! [`device`] (10 and 11); [`outbox`] reads the emulator's mail.

mod check_tokens;
mod device;
mod mfa;
mod outbox;
mod sign_up;

use std::fmt;
use std::io;
use std::path::PathBuf;

use aws_sdk_cognitoidentityprovider::types::{AuthenticationResultType, ChallengeNameType};
use cognito_srp::SrpError;
use zeroize::Zeroizing;

use crate::actions::{ActionError, CognitoActions, Exception};
use crate::http::JsonClient;
use crate::prompt::Prompter;
use crate::report::Report;
use crate::tokens::TokenError;

/// How many times a step starts its sign-in again after the session ended.
const RESTARTS: u32 = 3;

/// Where the confirmation email goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    /// An emulator, which may keep its mail in an outbox at `<url>/_emulator/messages` (ours
    /// does; others may not, and then the code must come another way).
    Outbox { url: String },
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
    /// Where to save the TOTP secret's QR code as an image (.svg or .png), if anywhere.
    pub qr_file: Option<PathBuf>,
}

#[derive(Debug)]
pub enum ScenarioError {
    Action(ActionError),
    Tokens(TokenError),
    Srp(SrpError),
    Input(io::Error),
    /// The service answered `action` with something the scenario cannot go on from.
    Answer {
        action: &'static str,
        what: String,
    },
    /// The scenario cannot go on, for a reason of its own.
    Unexpected(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Action(error) => write!(f, "{error}"),
            Self::Tokens(error) => write!(f, "token check failed: {error}"),
            Self::Srp(error) => write!(f, "SRP: {error}"),
            Self::Input(error) => write!(f, "no answer: {error}"),
            Self::Answer { action, what } => write!(f, "{action}: {what}"),
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

pub struct Scenario<P: Prompter> {
    actions: CognitoActions,
    prompt: P,
    out: Report,
    http: JsonClient,
    config: ScenarioConfig,
    user: Option<User>,
    /// Set once the endpoint turned out to have no outbox to read codes from.
    no_outbox: bool,
}

impl<P: Prompter> fmt::Debug for Scenario<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scenario")
            .field("pool", self.actions.pool())
            .finish_non_exhaustive()
    }
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
            no_outbox: false,
        }
    }

    // snippet-start:[cognitoidentityprovider.rust.scenario_run]
    /// Runs every step. Whatever happens, call [`Scenario::clean_up`] afterwards.
    pub async fn run(&mut self) -> Result<(), ScenarioError> {
        self.sign_up().await?;
        self.show_user_status().await?;
        self.confirm_sign_up().await?;
        self.list_users().await?;
        let secret = self.set_up_mfa().await?;
        let signed_in = self.sign_in_with_totp(&secret).await?;
        self.check_tokens(
            9,
            "Check the tokens against the pool's published keys",
            &signed_in,
        )
        .await?;
        let Some(device) = self.remember_device(&signed_in).await? else {
            self.out
                .line("The pool does not track devices, so there is no device to remember.");
            return Ok(());
        };
        let device_signed_in = self.sign_in_with_device(&device).await?;
        self.check_tokens(12, "Check the device sign-in's tokens", &device_signed_in)
            .await?;
        self.out.heading(
            "\nDone: signed up, confirmed, enrolled TOTP, signed in with it, and again from a \
             remembered device without it.",
        );
        Ok(())
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_run]

    fn user(&self) -> Result<&User, ScenarioError> {
        self.user
            .as_ref()
            .ok_or_else(|| ScenarioError::Unexpected("no user has signed up".to_owned()))
    }

    /// The user's name and password, owned, so that later calls may borrow `self` mutably.
    fn credentials(&self) -> Result<(String, Zeroizing<String>), ScenarioError> {
        let user = self.user()?;
        Ok((user.username.clone(), user.password.clone()))
    }

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
            Err(error) if error.is(Exception::UserNotFound) => Ok(()),
            Err(error) => {
                self.out
                    .problem(&format!("Could not delete {}: {error}", user.username));
                Err(error.into())
            }
        }
    }
}

/// How one attempt at a sign-in step ended when it did not finish.
enum Interrupted {
    /// The session was refused (expired, used, or out of tries): start the sign-in again.
    SessionEnded(ActionError),
    Failed(ScenarioError),
}

impl From<ScenarioError> for Interrupted {
    fn from(error: ScenarioError) -> Self {
        Self::Failed(error)
    }
}

impl From<io::Error> for Interrupted {
    fn from(error: io::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// Within a challenge step, NotAuthorized is the session refused; anything else ends the step.
fn session_or_failure(error: ActionError) -> Interrupted {
    if error.is(Exception::NotAuthorized) {
        Interrupted::SessionEnded(error)
    } else {
        Interrupted::Failed(error.into())
    }
}

/// The tokens of a finished sign-in, or why there are none.
fn signed_in(
    action: &'static str,
    result: Option<AuthenticationResultType>,
) -> Result<SignedIn, ScenarioError> {
    let no_tokens = |what: &str| ScenarioError::Answer {
        action,
        what: what.to_owned(),
    };
    let result = result.ok_or_else(|| no_tokens("the answer has no tokens"))?;
    let (Some(id_token), Some(access_token)) = (result.id_token, result.access_token) else {
        return Err(no_tokens("the answer has no ID or access token"));
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

fn challenge_name(challenge: Option<&ChallengeNameType>) -> &str {
    challenge.map_or("none (tokens)", ChallengeNameType::as_str)
}

/// A service message as a sentence: some of Cognito's lack the full stop.
fn sentence(message: &str) -> String {
    let message = message.trim();
    if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    }
}
