// SPDX-License-Identifier: Apache-2.0
//! Answers for a run with nobody at the keyboard: given values, or generated ones.

use std::io;

use zeroize::Zeroizing;

use super::totp::{self, STEP_SECONDS};
use super::{Confirmation, NextCode, Prompter};
use crate::random;

#[derive(Debug, Default)]
pub struct Automatic {
    username: Option<String>,
    email: Option<String>,
    password: Option<Zeroizing<String>>,
    /// The newest TOTP step handed out, so no code is given twice.
    last_step: Option<u64>,
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

    /// A code for the moment `now_unix_seconds`, from a 30-second step not handed out before.
    /// The service's window reaches one step ahead, so a fresh code never means waiting.
    fn totp_code_at(
        &mut self,
        secret: &str,
        next: NextCode,
        now_unix_seconds: u64,
    ) -> io::Result<String> {
        let now = now_unix_seconds / STEP_SECONDS;
        let step = match (self.last_step, next) {
            (Some(last), _) => now.max(last + 1),
            (None, NextCode::Current) => now,
            (None, NextCode::AfterUsed) => now + 1,
        };
        self.last_step = Some(step);
        totp::code_for_step(secret, step)
    }
}

/// A password that satisfies any Cognito policy: 24 characters of every class.
pub fn generate_password() -> Zeroizing<String> {
    random::password(24)
}

impl Prompter for Automatic {
    fn is_interactive(&self) -> bool {
        false
    }

    async fn username(&mut self) -> io::Result<String> {
        // A given name is used once; if it is taken, a generated one follows.
        Ok(self
            .username
            .take()
            .unwrap_or_else(|| format!("user-{}", random::name_suffix(10))))
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
                    "the password given does not meet the pool's policy ({policy}); give another \
                     with --password, or none to have one generated"
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

    async fn totp_code(&mut self, secret: &str, next: NextCode) -> io::Result<String> {
        self.totp_code_at(secret, next, totp::unix_now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 key, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn automatic_answers_never_repeat_a_totp_step() {
        let mut prompt = Automatic::default();
        let code_of = |step| totp::code_for_step(RFC_SECRET, step).unwrap();
        let mut code_at =
            |next, unix_seconds| prompt.totp_code_at(RFC_SECRET, next, unix_seconds).unwrap();
        // The clock is fixed, so the step cannot change between two readings.
        let now = 1_111_111_109;
        let step = now / STEP_SECONDS;
        assert_eq!(code_at(NextCode::Current, now), "081804");
        // Asked again within the step: the next step's code, which the service accepts too.
        assert_eq!(code_at(NextCode::Current, now), "050471");
        assert_eq!(code_at(NextCode::AfterUsed, now), code_of(step + 2));
        // Once the clock has moved on, codes follow it.
        let later = now + 10 * STEP_SECONDS;
        assert_eq!(code_at(NextCode::AfterUsed, later), code_of(step + 10));
    }

    #[test]
    fn a_first_code_after_a_used_one_is_from_the_next_step() {
        let mut prompt = Automatic::default();
        let now = 1_111_111_109;
        let code = prompt
            .totp_code_at(RFC_SECRET, NextCode::AfterUsed, now)
            .unwrap();
        assert_eq!(code, "050471");
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
}
