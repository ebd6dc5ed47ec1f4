// SPDX-License-Identifier: Apache-2.0
//! Questions and answers at a terminal: lines wrapped to its width, passwords not echoed,
//! every refusal shown as the scenario shows problems.

use std::io::{self, BufRead, Write};

use zeroize::Zeroizing;

use super::totp::{self, STEP_SECONDS};
use super::{Confirmation, NextCode, Prompter};
use crate::report;

#[derive(Debug, Default)]
pub struct Terminal {
    width: Option<usize>,
    /// The 30-second step in which the person last typed a TOTP code.
    last_code_step: Option<u64>,
}

impl Terminal {
    /// Questions for the terminal on standard output, wrapped to its width.
    pub fn new() -> Self {
        Self {
            width: report::terminal_size().map(|(columns, _)| columns),
            last_code_step: None,
        }
    }

    /// A question as its own lines, wrapped, ending where the answer is typed.
    fn question(&self, text: &str) -> String {
        format!("{} ", report::wrap("", "", text, self.width))
    }

    fn say(&self, text: &str) {
        println!("{}", report::wrap("   ", "   ", text, self.width));
    }

    fn problem(&self, text: &str) {
        println!("{}", report::problem(text, self.width));
    }

    /// Asks until the answer passes `check`, which explains what is wrong.
    async fn ask(
        &self,
        question: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> io::Result<String> {
        let question = self.question(question);
        loop {
            let answer = read_line(question.clone()).await?;
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(why) => self.problem(&why),
            }
        }
    }
}

/// Reads one line off the async workers, so Ctrl-C is still noticed while a person thinks.
async fn read_line(question: String) -> io::Result<String> {
    tokio::task::spawn_blocking(move || {
        let mut stdout = io::stdout();
        write!(stdout, "{question}")?;
        stdout.flush()?;
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the input ended",
            ));
        }
        Ok(line.trim().to_owned())
    })
    .await
    .map_err(io::Error::other)?
}

async fn read_secret(question: String) -> io::Result<Zeroizing<String>> {
    tokio::task::spawn_blocking(move || rpassword::prompt_password(question).map(Zeroizing::new))
        .await
        .map_err(io::Error::other)?
}

fn check_username(text: &str) -> Result<(), String> {
    if text.is_empty() || text.chars().count() > 128 {
        Err("A username has 1 to 128 characters.".to_owned())
    } else if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("A username cannot contain spaces.".to_owned())
    } else {
        Ok(())
    }
}

fn check_email(text: &str) -> Result<(), String> {
    match text.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !text.contains(' ') =>
        {
            Ok(())
        }
        _ => Err("That does not look like an email address (name@example.com).".to_owned()),
    }
}

fn check_code(text: &str) -> Result<(), String> {
    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("A code is 6 digits.".to_owned())
    }
}

impl Prompter for Terminal {
    fn is_interactive(&self) -> bool {
        true
    }

    async fn username(&mut self) -> io::Result<String> {
        self.ask("Username for the new user:", check_username).await
    }

    async fn email(&mut self, username: &str) -> io::Result<String> {
        self.ask(
            &format!("Email address for {username} (the confirmation code goes there):"),
            check_email,
        )
        .await
    }

    async fn password(&mut self, policy: &str) -> io::Result<Zeroizing<String>> {
        self.say(&format!("The password needs {policy}."));
        loop {
            let password = read_secret(self.question("Password (not shown as you type):")).await?;
            let again = read_secret(self.question("Password again:")).await?;
            if *password != *again {
                self.problem("The two passwords differ; once more.");
            } else if password.is_empty() || password.chars().any(char::is_whitespace) {
                self.problem("A password cannot be empty or contain spaces.");
            } else {
                return Ok(password);
            }
        }
    }

    async fn existing_password(&mut self, username: &str) -> io::Result<Zeroizing<String>> {
        read_secret(self.question(&format!("Password of {username} (not shown as you type):")))
            .await
    }

    async fn confirmation(&mut self, destination: &str) -> io::Result<Confirmation> {
        let question = format!("Code sent to {destination} (6 digits), or r to send a new one:");
        let answer = self
            .ask(&question, |text| {
                if text.eq_ignore_ascii_case("r") {
                    Ok(())
                } else {
                    check_code(text)
                }
            })
            .await?;
        Ok(if answer.eq_ignore_ascii_case("r") {
            Confirmation::Resend
        } else {
            Confirmation::Code(answer)
        })
    }

    async fn continue_unconfirmed(&mut self, username: &str) -> io::Result<bool> {
        let answer = self
            .ask(
                &format!(
                    "{username} is signed up but not confirmed. Send it a new code and go on \
                     with it? [y/n]:"
                ),
                |text| match text.to_ascii_lowercase().as_str() {
                    "y" | "yes" | "n" | "no" => Ok(()),
                    _ => Err("Please answer y or n.".to_owned()),
                },
            )
            .await?;
        Ok(answer.to_ascii_lowercase().starts_with('y'))
    }

    async fn totp_code(&mut self, _secret: &str, next: NextCode) -> io::Result<String> {
        let now = totp::unix_now();
        let question = match next {
            NextCode::Current => "Code your authenticator app shows now:",
            NextCode::AfterUsed => {
                if self.last_code_step == Some(now / STEP_SECONDS) {
                    let left = STEP_SECONDS - now % STEP_SECONDS;
                    self.say(&format!(
                        "Each code works once, and your app still shows the one just used: the \
                         next one comes in {left} s."
                    ));
                } else {
                    self.say("Your app shows a new code since the last one you typed.");
                }
                "Next code from your app:"
            }
        };
        let code = self.ask(question, check_code).await?;
        self.last_code_step = Some(totp::unix_now() / STEP_SECONDS);
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_checks_explain_what_is_wrong() {
        assert!(check_username("jane").is_ok());
        assert!(check_username("jane doe").unwrap_err().contains("spaces"));
        assert!(check_email("jane@example.com").is_ok());
        assert!(check_email("jane").is_err());
        assert!(check_code("123456").is_ok());
        assert!(check_code("12345").is_err());
        assert!(check_code("12345a").is_err());
    }
}
