// SPDX-License-Identifier: Apache-2.0
//! Steps 5-8: the first sign-in meets MFA_SETUP, an authenticator app is enrolled with
//! AssociateSoftwareToken and VerifySoftwareToken, and the next sign-in answers
//! SOFTWARE_TOKEN_MFA with a TOTP code.

use aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;
use zeroize::Zeroizing;

use super::{
    Interrupted, RESTARTS, Scenario, ScenarioError, SignedIn, challenge_name, sentence,
    session_or_failure, signed_in,
};
use crate::actions::{ChallengeParameters, Exception, describe_mfa};
use crate::prompt::{NextCode, Prompter};
use crate::qr;

impl<P: Prompter> Scenario<P> {
    /// AdminInitiateAuth with the user's password, asking for it again if it is refused.
    async fn admin_sign_in(&mut self) -> Result<AdminInitiateAuthOutput, ScenarioError> {
        loop {
            let (username, password) = self.credentials()?;
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
                Err(error) if error.is(Exception::NotAuthorized) => {
                    self.out.problem(&format!(
                        "Cognito does not accept that password for this user: {}",
                        sentence(&error.message)
                    ));
                    let password = self.prompt.existing_password(&username).await?;
                    if let Some(user) = self.user.as_mut() {
                        user.password = password;
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    // snippet-start:[cognitoidentityprovider.rust.scenario_set_up_mfa]
    /// 5-7. The pool requires MFA and the user has none: MFA_SETUP, AssociateSoftwareToken,
    /// VerifySoftwareToken, then the MFA_SETUP answer. Returns the TOTP secret.
    pub(super) async fn set_up_mfa(&mut self) -> Result<Zeroizing<String>, ScenarioError> {
        self.out.step(
            5,
            "Sign in: the pool requires MFA and the user has none yet",
        );
        let mut ended = None;
        for _ in 0..RESTARTS {
            let started = self.admin_sign_in().await?;
            match started.challenge_name {
                Some(ChallengeNameType::MfaSetup) => {}
                Some(ChallengeNameType::SoftwareTokenMfa) => {
                    return Err(ScenarioError::Answer {
                        action: "AdminInitiateAuth",
                        what: "this user already has an authenticator; the scenario needs a user \
                               it enrols itself"
                            .to_owned(),
                    });
                }
                other => {
                    return Err(ScenarioError::Answer {
                        action: "AdminInitiateAuth",
                        what: format!(
                            "expected the MFA_SETUP challenge but got {}. Is MFA required in \
                             this pool (see resources/cloudformation)?",
                            challenge_name(other.as_ref())
                        ),
                    });
                }
            }
            let choices = ChallengeParameters::new(started.challenge_parameters.as_ref())
                .mfas_can_set_up()
                .iter()
                .map(|mfa| describe_mfa(mfa).to_owned())
                .collect::<Vec<_>>();
            self.out.line(&format!(
                "MFA_SETUP: the user must set up a second factor; this pool offers {}.",
                if choices.is_empty() {
                    "no choice it names".to_owned()
                } else {
                    choices.join(" or ")
                }
            ));
            let session = started.session.unwrap_or_default();
            match self.enrol_authenticator(&session).await {
                Ok(secret) => return Ok(secret),
                Err(Interrupted::SessionEnded(error)) => {
                    self.out.problem(&format!(
                        "The sign-in session ended ({}) Each step has 3 minutes. Starting the \
                         sign-in again.",
                        sentence(&error.message)
                    ));
                    ended = Some(error);
                }
                Err(Interrupted::Failed(error)) => return Err(error),
            }
        }
        Err(ended.map_or_else(
            || ScenarioError::Unexpected("MFA setup did not finish".to_owned()),
            ScenarioError::from,
        ))
    }

    /// Steps 6 and 7 within one sign-in session.
    async fn enrol_authenticator(
        &mut self,
        session: &str,
    ) -> Result<Zeroizing<String>, Interrupted> {
        self.out.step(6, "Set up an authenticator app");
        let associated = self
            .actions
            .associate_software_token(session)
            .await
            .map_err(session_or_failure)?;
        let secret = Zeroizing::new(associated.secret_code.clone().unwrap_or_default());
        self.out
            .call("AssociateSoftwareToken", "a new TOTP secret for this user");
        self.show_secret(&secret);

        self.out
            .step(7, "Verify the authenticator with its first code");
        let session = associated.session.unwrap_or_default();
        let verified = loop {
            let code = self.prompt.totp_code(&secret, NextCode::Current).await?;
            match self.actions.verify_software_token(&session, &code).await {
                Ok(verified) => break verified,
                Err(error)
                    if error.is(Exception::EnableSoftwareTokenMfa)
                        || error.is(Exception::CodeMismatch) =>
                {
                    self.out.problem(
                        "That code does not match. Check the app shows this account, and that \
                         the device's clock is right; then try the current code.",
                    );
                }
                Err(error) => return Err(session_or_failure(error)),
            }
        };
        let status = verified.status.as_ref().map_or("?", |s| s.as_str());
        self.out
            .call("VerifySoftwareToken", &format!("status {status}"));

        let username = self.user()?.username.clone();
        let answered = self
            .actions
            .admin_respond_to_mfa_setup(verified.session.as_deref().unwrap_or_default(), &username)
            .await
            .map_err(session_or_failure)?;
        signed_in(
            "AdminRespondToAuthChallenge",
            answered.authentication_result,
        )?;
        self.out.call(
            "AdminRespondToAuthChallenge",
            "MFA_SETUP answered: TOTP is now this user's second factor, and Cognito returned \
             tokens",
        );
        Ok(secret)
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_set_up_mfa]

    /// Shows a person the secret as a QR code and as text, and saves it as an image if asked.
    fn show_secret(&mut self, secret: &str) {
        let account = self
            .user
            .as_ref()
            .map_or("user", |user| user.username.as_str());
        let uri = qr::otpauth_uri(qr::ISSUER, account, secret);
        if let Some(path) = self.config.qr_file.clone() {
            match qr::save(&uri, &path) {
                Ok(()) => self.out.line(&format!(
                    "Saved the QR code to {}: open it and scan it, then delete it (it holds \
                     the secret).",
                    path.display()
                )),
                Err(error) => self
                    .out
                    .problem(&format!("Could not save the QR code: {error}.")),
            }
        }
        if !self.prompt.is_interactive() {
            self.out.line(
                "(Straight-through run: the secret and its QR code are not shown; the codes are \
                 computed from it.)",
            );
            return;
        }
        match qr::TerminalQr::new(&uri) {
            Ok(code) => self.draw_qr(&code),
            Err(error) => self.out.problem(&format!(
                "Cannot draw the QR code ({error}); type the key instead."
            )),
        }
        self.out.line(&format!("Key: {secret}"));
    }

    /// The code, if the terminal has room for it and the lines down to the next prompt.
    fn draw_qr(&mut self, code: &qr::TerminalQr) {
        // The line above, then the key, a blank line, step 7's heading and its prompt.
        const AROUND: usize = 5;
        match self.out.size() {
            Some((columns, rows)) if !code.fits(columns, rows.saturating_sub(AROUND)) => {
                self.out.problem(&format!(
                    "This terminal is {columns}x{rows}; the QR code needs {}x{}. Enlarge the \
                     window and run again, or run with --qr-file PATH (.svg or .png), or type \
                     the key below into the app.",
                    code.columns(),
                    code.rows() + AROUND
                ));
            }
            _ => {
                self.out
                    .line("Scan this QR code with an authenticator app, or type the key below it:");
                self.out.block(&code.to_ansi());
            }
        }
    }

    // snippet-start:[cognitoidentityprovider.rust.scenario_sign_in_with_totp]
    /// 8. Sign in again: now SOFTWARE_TOKEN_MFA, answered with a TOTP code.
    pub(super) async fn sign_in_with_totp(
        &mut self,
        secret: &str,
    ) -> Result<SignedIn, ScenarioError> {
        self.out.step(8, "Sign in again, now with a TOTP code");
        let mut ended = None;
        for _ in 0..RESTARTS {
            let started = self.admin_sign_in().await?;
            if started.challenge_name != Some(ChallengeNameType::SoftwareTokenMfa) {
                return Err(ScenarioError::Answer {
                    action: "AdminInitiateAuth",
                    what: format!(
                        "expected the SOFTWARE_TOKEN_MFA challenge but got {}",
                        challenge_name(started.challenge_name.as_ref())
                    ),
                });
            }
            let username =
                match ChallengeParameters::new(started.challenge_parameters.as_ref()).username() {
                    Some(internal) => internal.to_owned(),
                    None => self.user()?.username.clone(),
                };
            let session = started.session.unwrap_or_default();
            match self.answer_totp(&session, &username, secret).await {
                Ok(signed_in) => return Ok(signed_in),
                Err(Interrupted::SessionEnded(error)) => {
                    self.out.problem(&format!(
                        "The sign-in session ended ({}) Starting the sign-in again.",
                        sentence(&error.message)
                    ));
                    ended = Some(error);
                }
                Err(Interrupted::Failed(error)) => return Err(error),
            }
        }
        Err(ended.map_or_else(
            || ScenarioError::Unexpected("the TOTP sign-in did not finish".to_owned()),
            ScenarioError::from,
        ))
    }

    /// SOFTWARE_TOKEN_MFA on one session: a wrong or used code is asked for again.
    async fn answer_totp(
        &mut self,
        session: &str,
        username: &str,
        secret: &str,
    ) -> Result<SignedIn, Interrupted> {
        // Step 7 has just used the code the app shows, seconds ago.
        let mut next = NextCode::AfterUsed;
        loop {
            let code = self.prompt.totp_code(secret, next).await?;
            let error = match self
                .actions
                .admin_respond_to_software_token_mfa(session, username, &code)
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
                Err(error) => error,
            };
            if error.is(Exception::CodeMismatch) {
                self.out
                    .problem("That code does not match; try the one the app shows now.");
                next = NextCode::Current;
            } else if error.is(Exception::ExpiredCode) {
                self.out.problem(&sentence(&error.message));
                next = NextCode::AfterUsed;
            } else {
                return Err(session_or_failure(error));
            }
        }
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_sign_in_with_totp]
}
