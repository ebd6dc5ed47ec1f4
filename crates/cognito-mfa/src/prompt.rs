// SPDX-License-Identifier: Apache-2.0
//! How the scenario gets its answers: from a person at a terminal ([`Terminal`]) or worked out on
//! the spot for a straight-through run ([`Automatic`]). The scenario sees only [`Prompter`].

use std::future::Future;
use std::io::{self, BufRead, Write};

use cognito_emulator::crypto::{random, totp};
use cognito_srp::Timestamp;
use zeroize::Zeroizing;

/// What to do about the confirmation code Cognito emailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// The code, as typed.
    Code(String),
    /// Send a new code.
    Resend,
    /// No person reads the mail: take the code from the emulator's outbox, or on AWS confirm
    /// the user as an administrator.
    Automatic,
}

pub trait Prompter {
    /// Whether a person is answering: only then are the TOTP secret and its QR code shown.
    fn is_interactive(&self) -> bool;
    fn username(&mut self) -> impl Future<Output = io::Result<String>>;
    fn email(&mut self, username: &str) -> impl Future<Output = io::Result<String>>;
    /// The password for the new user; `policy` describes the pool's rules.
    fn password(&mut self, policy: &str) -> impl Future<Output = io::Result<Zeroizing<String>>>;
    /// The password of an existing user, asked again after "Incorrect username or password".
    fn existing_password(
        &mut self,
        username: &str,
    ) -> impl Future<Output = io::Result<Zeroizing<String>>>;
    fn confirmation(&mut self, destination: &str)
    -> impl Future<Output = io::Result<Confirmation>>;
    /// Whether to go on with an existing, unconfirmed user of that name.
    fn continue_unconfirmed(&mut self, username: &str) -> impl Future<Output = io::Result<bool>>;
    /// A current TOTP code for the authenticator holding `secret`.
    fn totp_code(&mut self, secret: &str) -> impl Future<Output = io::Result<String>>;
    /// The service said the last code was already used: the next one must come from a new
    /// 30-second window.
    fn code_was_used(&mut self) -> impl Future<Output = io::Result<()>>;
}

/// A borrowed prompter answers as the prompter does (lets a caller keep it after the run).
impl<T: Prompter> Prompter for &mut T {
    fn is_interactive(&self) -> bool {
        (**self).is_interactive()
    }

    fn username(&mut self) -> impl Future<Output = io::Result<String>> {
        (**self).username()
    }

    fn email(&mut self, username: &str) -> impl Future<Output = io::Result<String>> {
        (**self).email(username)
    }

    fn password(&mut self, policy: &str) -> impl Future<Output = io::Result<Zeroizing<String>>> {
        (**self).password(policy)
    }

    fn existing_password(
        &mut self,
        username: &str,
    ) -> impl Future<Output = io::Result<Zeroizing<String>>> {
        (**self).existing_password(username)
    }

    fn confirmation(
        &mut self,
        destination: &str,
    ) -> impl Future<Output = io::Result<Confirmation>> {
        (**self).confirmation(destination)
    }

    fn continue_unconfirmed(&mut self, username: &str) -> impl Future<Output = io::Result<bool>> {
        (**self).continue_unconfirmed(username)
    }

    fn totp_code(&mut self, secret: &str) -> impl Future<Output = io::Result<String>> {
        (**self).totp_code(secret)
    }

    fn code_was_used(&mut self) -> impl Future<Output = io::Result<()>> {
        (**self).code_was_used()
    }
}

/// Questions and answers on the terminal.
#[derive(Debug, Default)]
pub struct Terminal;

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

/// Asks until the answer passes `check`, which explains what is wrong.
async fn ask(question: &str, check: impl Fn(&str) -> Result<(), String>) -> io::Result<String> {
    loop {
        let answer = read_line(question.to_owned()).await?;
        match check(&answer) {
            Ok(()) => return Ok(answer),
            Err(why) => println!("  {why}"),
        }
    }
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
        ask("Username for the new user: ", check_username).await
    }

    async fn email(&mut self, username: &str) -> io::Result<String> {
        ask(
            &format!("Email address for {username} (the confirmation code goes there): "),
            check_email,
        )
        .await
    }

    async fn password(&mut self, policy: &str) -> io::Result<Zeroizing<String>> {
        loop {
            let password = read_secret(format!("Password ({policy}): ")).await?;
            let again = read_secret("Password again: ".to_owned()).await?;
            if *password != *again {
                println!("  The two passwords differ; once more.");
            } else if password.is_empty() || password.chars().any(char::is_whitespace) {
                println!("  A password cannot be empty or contain spaces.");
            } else {
                return Ok(password);
            }
        }
    }

    async fn existing_password(&mut self, username: &str) -> io::Result<Zeroizing<String>> {
        read_secret(format!("Password of {username}: ")).await
    }

    async fn confirmation(&mut self, destination: &str) -> io::Result<Confirmation> {
        let question = format!("Code sent to {destination} (6 digits), or r to send a new one: ");
        let answer = ask(&question, |text| {
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
        let answer = ask(
            &format!("{username} is signed up but not confirmed. Send it a new code and go on with it? [y/n]: "),
            |text| match text.to_ascii_lowercase().as_str() {
                "y" | "yes" | "n" | "no" => Ok(()),
                _ => Err("Please answer y or n.".to_owned()),
            },
        )
        .await?;
        Ok(answer.to_ascii_lowercase().starts_with('y'))
    }

    async fn totp_code(&mut self, _secret: &str) -> io::Result<String> {
        ask("Code your authenticator app shows now: ", check_code).await
    }

    async fn code_was_used(&mut self) -> io::Result<()> {
        println!("  Each code works once: wait until your app shows a new one (up to 30 seconds).");
        Ok(())
    }
}

/// Answers for a run with nobody at the keyboard: given values, or generated ones.
#[derive(Debug, Default)]
pub struct Automatic {
    username: Option<String>,
    email: Option<String>,
    password: Option<Zeroizing<String>>,
    /// The newest TOTP step handed out, so no code is given twice.
    last_step: Option<i64>,
    /// A given password was refused: straight through, nobody can pick another.
    password_refused: bool,
}

impl Automatic {
    pub fn new(
        username: Option<String>,
        email: Option<String>,
        password: Option<Zeroizing<String>>,
    ) -> Self {
        Self {
            username,
            email,
            password,
            ..Self::default()
        }
    }
}

/// A password that satisfies any Cognito policy: 24 characters of every class.
pub fn generate_password() -> Zeroizing<String> {
    Zeroizing::new(random::password(24))
}

impl Prompter for Automatic {
    fn is_interactive(&self) -> bool {
        false
    }

    async fn username(&mut self) -> io::Result<String> {
        // A given name is used once; if it is taken, a generated one follows.
        Ok(self.username.take().unwrap_or_else(|| {
            format!(
                "user-{}",
                random::from_alphabet(random::LOWER_ALPHANUMERIC, 10)
            )
        }))
    }

    async fn email(&mut self, username: &str) -> io::Result<String> {
        Ok(self
            .email
            .clone()
            .unwrap_or_else(|| format!("{username}@example.com")))
    }

    async fn password(&mut self, policy: &str) -> io::Result<Zeroizing<String>> {
        if self.password_refused {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the password given does not meet the pool's policy ({policy}); give another with --password, or none to have one generated"
                ),
            ));
        }
        match &self.password {
            Some(given) => {
                self.password_refused = true;
                Ok(given.clone())
            }
            None => {
                let generated = generate_password();
                self.password = Some(generated.clone());
                Ok(generated)
            }
        }
    }

    async fn existing_password(&mut self, username: &str) -> io::Result<Zeroizing<String>> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "the password for {username} was not accepted, and nobody is here to type another"
            ),
        ))
    }

    async fn confirmation(&mut self, _destination: &str) -> io::Result<Confirmation> {
        Ok(Confirmation::Automatic)
    }

    async fn continue_unconfirmed(&mut self, _username: &str) -> io::Result<bool> {
        Ok(false)
    }

    async fn totp_code(&mut self, secret: &str) -> io::Result<String> {
        let now = totp::step_at(Timestamp::now().unix_seconds());
        // The service's window reaches one step ahead, so a fresh code never means waiting.
        let step = self.last_step.map_or(now, |last| now.max(last + 1));
        self.last_step = Some(step);
        totp::code_for_step(secret, step).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "the TOTP secret is not base32")
        })
    }

    async fn code_was_used(&mut self) -> io::Result<()> {
        let now = totp::step_at(Timestamp::now().unix_seconds());
        self.last_step = Some(self.last_step.map_or(now, |last| last.max(now)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn automatic_answers_never_repeat_a_totp_step() {
        let mut prompt = Automatic::default();
        let secret = totp::base32_encode(b"12345678901234567890");
        let first = prompt.totp_code(&secret).await.unwrap();
        let second = prompt.totp_code(&secret).await.unwrap();
        assert_ne!(first, second);
        let now = totp::step_at(Timestamp::now().unix_seconds());
        assert_eq!(second, totp::code_for_step(&secret, now + 1).unwrap());
    }

    #[tokio::test]
    async fn a_given_password_is_offered_once() {
        let mut prompt = Automatic::new(None, None, Some(Zeroizing::new("short".to_owned())));
        assert_eq!(
            prompt.password("8 characters").await.unwrap().as_str(),
            "short"
        );
        let error = prompt.password("8 characters").await.unwrap_err();
        assert!(error.to_string().contains("--password"));
    }

    #[test]
    fn generated_passwords_have_every_class() {
        let password = generate_password();
        assert_eq!(password.len(), 24);
        assert!(password.chars().any(|c| c.is_ascii_uppercase()));
        assert!(password.chars().any(|c| c.is_ascii_lowercase()));
        assert!(password.chars().any(|c| c.is_ascii_digit()));
        assert!(password.chars().any(|c| "!#%+-=.^_".contains(c)));
    }

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
