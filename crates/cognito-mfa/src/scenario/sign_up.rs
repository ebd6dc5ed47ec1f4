// SPDX-License-Identifier: Apache-2.0
//! Steps 1-4: sign up, look the user up, confirm with the emailed code, list the pool's users.

use aws_sdk_cognitoidentityprovider::operation::sign_up::SignUpOutput;
use aws_sdk_cognitoidentityprovider::types::UserStatusType;
use zeroize::Zeroizing;

use super::{Mailbox, Scenario, ScenarioError, User, sentence};
use crate::actions::Exception;
use crate::prompt::{Confirmation, Prompter};

/// What a refused sign-up keeps for the next try: only what was refused is asked again.
#[derive(Default)]
struct Typed {
    username: Option<String>,
    email: Option<String>,
    password: Option<Zeroizing<String>>,
}

fn status_of(status: Option<&UserStatusType>) -> &str {
    status.map_or("unknown", UserStatusType::as_str)
}

impl<P: Prompter> Scenario<P> {
    // snippet-start:[cognitoidentityprovider.rust.scenario_sign_up]
    /// 1. SignUp, asking again for whatever the service refuses.
    pub(super) async fn sign_up(&mut self) -> Result<(), ScenarioError> {
        self.out.step(1, "Sign up a new user");
        let mut typed = Typed::default();
        loop {
            let username = match typed.username.take() {
                Some(name) => name,
                None => self.prompt.username().await?,
            };
            let email = match typed.email.take() {
                Some(email) => email,
                None => self.prompt.email(&username).await?,
            };
            let password = match typed.password.take() {
                Some(password) => password,
                None => self.prompt.password(&self.config.password_policy).await?,
            };
            match self.actions.sign_up(&username, &password, &email).await {
                Ok(output) => {
                    self.signed_up(output, username, password, email);
                    return Ok(());
                }
                Err(error) if error.is(Exception::InvalidPassword) => {
                    self.out.problem(&format!(
                        "{} The pool asks for {}.",
                        sentence(&error.message),
                        self.config.password_policy
                    ));
                    (typed.username, typed.email) = (Some(username), Some(email));
                }
                Err(error) if error.is(Exception::UsernameExists) => {
                    self.out
                        .problem(&format!("{username} is taken ({}).", error.message));
                    if self.adopt_unconfirmed(&username, &password).await? {
                        return Ok(());
                    }
                    (typed.email, typed.password) = (Some(email), Some(password));
                }
                Err(error) if error.is(Exception::InvalidParameter) => {
                    // The name or the email address: the message says which, so ask for both.
                    self.out.problem(&sentence(&error.message));
                    typed.password = Some(password);
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    fn signed_up(
        &mut self,
        output: SignUpOutput,
        username: String,
        password: Zeroizing<String>,
        email: String,
    ) {
        self.out.call(
            "SignUp",
            &format!(
                "{username} signed up; confirmed: {}; sub {}",
                output.user_confirmed, output.user_sub
            ),
        );
        let destination = output
            .code_delivery_details
            .and_then(|details| details.destination)
            .unwrap_or(email);
        self.out.line(&format!(
            "Cognito sent a confirmation code to {destination}."
        ));
        self.user = Some(User {
            username,
            password,
            destination,
        });
    }

    /// A taken name: shows its status, and offers to go on with it if it was never confirmed.
    async fn adopt_unconfirmed(
        &mut self,
        username: &str,
        password: &Zeroizing<String>,
    ) -> Result<bool, ScenarioError> {
        let existing = self.actions.admin_get_user(username).await?;
        let status = status_of(existing.user_status.as_ref()).to_owned();
        self.out.call(
            "AdminGetUser",
            &format!("{username} exists with status {status}"),
        );
        if existing.user_status != Some(UserStatusType::Unconfirmed)
            || !self.prompt.continue_unconfirmed(username).await?
        {
            self.out.line("Choose another username.");
            return Ok(false);
        }
        let destination = self.resend_code(username).await?;
        self.user = Some(User {
            username: username.to_owned(),
            password: password.clone(),
            destination,
        });
        Ok(true)
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_sign_up]

    // snippet-start:[cognitoidentityprovider.rust.scenario_admin_get_user]
    /// 2. AdminGetUser: the new user waits for confirmation.
    pub(super) async fn show_user_status(&mut self) -> Result<(), ScenarioError> {
        self.out.step(2, "Look the user up as an administrator");
        let username = self.user()?.username.clone();
        let user = self.actions.admin_get_user(&username).await?;
        self.out.call(
            "AdminGetUser",
            &format!(
                "{} is {}, enabled: {}",
                user.username,
                status_of(user.user_status.as_ref()),
                user.enabled
            ),
        );
        Ok(())
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_admin_get_user]

    // snippet-start:[cognitoidentityprovider.rust.scenario_confirm_sign_up]
    /// 3. ConfirmSignUp with the emailed code; ResendConfirmationCode when asked or needed.
    pub(super) async fn confirm_sign_up(&mut self) -> Result<(), ScenarioError> {
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
                    match self.resend_code(&username).await {
                        Err(ScenarioError::Action(error)) if error.is(Exception::LimitExceeded) => {
                            self.out.problem(&format!(
                                "{} Type the newest code you have.",
                                sentence(&error.message)
                            ));
                        }
                        other => {
                            other?;
                        }
                    }
                    continue;
                }
                Confirmation::Automatic => match self.code_nobody_reads(&username).await? {
                    Some(code) => code,
                    None => return self.confirm_as_administrator(&username).await,
                },
            };
            match self.actions.confirm_sign_up(&username, &code).await {
                Ok(_) => {
                    self.out
                        .call("ConfirmSignUp", &format!("{username} is confirmed"));
                    return Ok(());
                }
                Err(error) if error.is(Exception::CodeMismatch) => {
                    self.out
                        .problem("That code does not match. Type it again, or ask for a new one.");
                }
                Err(error) if error.is(Exception::ExpiredCode) => {
                    self.out
                        .problem(&format!("{} Sending a new code.", sentence(&error.message)));
                    self.resend_code(&username).await?;
                }
                // Too many wrong codes: only time helps, and only a person can wait and retry.
                Err(error)
                    if error.is(Exception::LimitExceeded) && self.prompt.is_interactive() =>
                {
                    self.out.problem(&format!(
                        "{} Wait a few seconds, then type the code again.",
                        sentence(&error.message)
                    ));
                }
                // Refused because there is nothing left to confirm?
                Err(error) if error.is(Exception::NotAuthorized) => {
                    return self.already_confirmed(&username, error.into()).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Sends a new code (only the newest one counts) and returns where it went.
    async fn resend_code(&mut self, username: &str) -> Result<String, ScenarioError> {
        let resent = self.actions.resend_confirmation_code(username).await?;
        let destination = resent
            .code_delivery_details
            .and_then(|details| details.destination)
            .unwrap_or_else(|| "the user's email address".to_owned());
        self.out.call(
            "ResendConfirmationCode",
            &format!("a new code went to {destination}; only it counts now"),
        );
        Ok(destination)
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_confirm_sign_up]

    /// Straight through, nobody reads the mail: the emulator's outbox has the code; elsewhere
    /// there is none (`None`).
    async fn code_nobody_reads(&mut self, username: &str) -> Result<Option<String>, ScenarioError> {
        let Mailbox::Outbox { url } = self.config.mailbox.clone() else {
            return Ok(None);
        };
        match self.newest_outbox_code(&url, username).await {
            Ok(code) => {
                self.out.line("Read the code from the emulator's outbox.");
                Ok(Some(code))
            }
            Err(why) => {
                self.out.line(&format!(
                    "{url} has no outbox to read the code from ({why})."
                ));
                Ok(None)
            }
        }
    }

    async fn confirm_as_administrator(&mut self, username: &str) -> Result<(), ScenarioError> {
        self.actions.admin_confirm_sign_up(username).await?;
        self.out.call(
            "AdminConfirmSignUp",
            &format!(
                "{username} confirmed by an administrator: nobody reads the email in a \
                 straight-through run"
            ),
        );
        Ok(())
    }

    /// ConfirmSignUp said NotAuthorized: fine if the user is confirmed already, else `refusal`.
    async fn already_confirmed(
        &mut self,
        username: &str,
        refusal: ScenarioError,
    ) -> Result<(), ScenarioError> {
        let user = self.actions.admin_get_user(username).await?;
        if user.user_status != Some(UserStatusType::Confirmed) {
            return Err(refusal);
        }
        self.out.call(
            "ConfirmSignUp",
            &format!("{username} was already confirmed"),
        );
        Ok(())
    }

    // snippet-start:[cognitoidentityprovider.rust.scenario_list_users]
    /// 4. ListUsers finds the user.
    pub(super) async fn list_users(&mut self) -> Result<(), ScenarioError> {
        self.out.step(4, "List the pool's users");
        let username = self.user()?.username.clone();
        let filter = format!(
            "username = \"{}\"",
            username.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let listed = self.actions.list_users(Some(&filter)).await?;
        for user in listed.users() {
            let email = user
                .attributes()
                .iter()
                .find(|attribute| attribute.name == "email")
                .and_then(|attribute| attribute.value.as_deref())
                .unwrap_or("-");
            self.out.call(
                "ListUsers",
                &format!(
                    "{} ({email}), {}",
                    user.username.as_deref().unwrap_or("?"),
                    status_of(user.user_status.as_ref())
                ),
            );
        }
        if listed.users().is_empty() {
            return Err(ScenarioError::Answer {
                action: "ListUsers",
                what: format!("the list does not have {username}"),
            });
        }
        Ok(())
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_list_users]
}
