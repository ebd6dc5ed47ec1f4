// SPDX-License-Identifier: Apache-2.0
//! How the scenario gets its answers: from a person at a terminal ([`Terminal`]) or worked out on
//! the spot for a straight-through run ([`Automatic`]). The scenario sees only [`Prompter`].

mod automatic;
mod terminal;
pub mod totp;

use std::future::Future;
use std::io;

use zeroize::Zeroizing;

pub use automatic::{Automatic, generate_password};
pub use terminal::Terminal;

/// What to do about the confirmation code Cognito emailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// The code, as typed.
    Code(String),
    /// Send a new code.
    Resend,
    /// No person reads the mail: take the code from the emulator's outbox, or confirm the user
    /// as an administrator.
    Automatic,
}

/// Which TOTP code the service can take next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextCode {
    /// The code the authenticator shows now.
    Current,
    /// The last code was used (each works once): one from a later 30-second step.
    AfterUsed,
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
    /// A TOTP code of the authenticator holding `secret`.
    fn totp_code(
        &mut self,
        secret: &str,
        next: NextCode,
    ) -> impl Future<Output = io::Result<String>>;
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

    fn totp_code(
        &mut self,
        secret: &str,
        next: NextCode,
    ) -> impl Future<Output = io::Result<String>> {
        (**self).totp_code(secret, next)
    }
}
