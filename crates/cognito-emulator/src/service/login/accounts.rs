// SPDX-License-Identifier: Apache-2.0
//! Sign-up, its confirmation and forgotten passwords on the hosted pages: SignUp,
//! ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword themselves,
//! called for the page's app client.
//!
//! A browser that signs up goes on signing in once the code is confirmed, as on the service:
//! its password waits in memory for the confirmation (a quarter of an hour at most), under an
//! id the confirm form carries, and is dropped when used.

use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use super::page_secret_hash;
use crate::crypto::random;
use crate::service::users::{
    ConfirmForgotPasswordRequest, ConfirmSignUpRequest, ForgotPasswordRequest,
    ResendConfirmationCodeRequest, SignUpRequest, UserOfClient,
};
use crate::service::{AttributeType, Service, ServiceResult};

/// How long a sign-up's password waits for its confirmation.
const PENDING_SIGN_UP_LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Debug)]
pub(super) struct PendingSignUp {
    username: String,
    password: Zeroizing<String>,
    expires: SystemTime,
}

/// A sign-up done: whether a code was sent, and where to.
#[derive(Debug)]
pub struct SignedUp {
    pub confirmed: bool,
    /// The masked address the code went to.
    pub destination: Option<String>,
    /// The id under which the password waits for the confirmation.
    pub pending: Option<String>,
}

impl Service {
    /// The page's client, if it is one of the domain's pool; and the user as the API's
    /// requests name it, with the client's SECRET_HASH.
    fn page_user(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
    ) -> ServiceResult<UserOfClient> {
        let pool = self.login_pool(domain)?;
        let state = pool.lock();
        state.client(client_id)?;
        Ok(UserOfClient {
            client_id: client_id.to_owned(),
            secret_hash: page_secret_hash(&state, client_id, username),
            username: username.to_owned(),
        })
    }

    pub fn login_sign_up(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        email: Option<&str>,
        password: &str,
    ) -> ServiceResult<SignedUp> {
        let user = self.page_user(domain, client_id, username)?;
        let attributes = email.filter(|e| !e.is_empty()).map(|email| {
            vec![AttributeType {
                name: "email".to_owned(),
                value: email.to_owned(),
            }]
        });
        let answer = self.sign_up(SignUpRequest {
            client_id: user.client_id,
            secret_hash: user.secret_hash,
            username: user.username,
            password: Some(Zeroizing::new(password.to_owned())),
            user_attributes: attributes,
        })?;
        let pending = (!answer.user_confirmed)
            .then(|| self.keep_pending_sign_up(domain, username, password))
            .flatten();
        Ok(SignedUp {
            confirmed: answer.user_confirmed,
            destination: answer.code_delivery_details.map(|d| d.destination),
            pending,
        })
    }

    pub fn login_confirm_sign_up(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        code: &str,
    ) -> ServiceResult<()> {
        let user = self.page_user(domain, client_id, username)?;
        self.confirm_sign_up(ConfirmSignUpRequest {
            user,
            confirmation_code: Zeroizing::new(code.to_owned()),
        })?;
        Ok(())
    }

    /// A new confirmation code; the masked address it went to.
    pub fn login_resend_code(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
    ) -> ServiceResult<Option<String>> {
        let user = self.page_user(domain, client_id, username)?;
        let answer = self.resend_confirmation_code(ResendConfirmationCodeRequest { user })?;
        Ok(answer.code_delivery_details.map(|d| d.destination))
    }

    /// A reset code to the user's verified address; the masked address.
    pub fn login_forgot_password(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
    ) -> ServiceResult<String> {
        let user = self.page_user(domain, client_id, username)?;
        let answer = self.forgot_password(ForgotPasswordRequest { user })?;
        Ok(answer.code_delivery_details.destination)
    }

    pub fn login_confirm_forgot_password(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        code: &str,
        password: &str,
    ) -> ServiceResult<()> {
        let user = self.page_user(domain, client_id, username)?;
        self.confirm_forgot_password(ConfirmForgotPasswordRequest {
            user,
            confirmation_code: Zeroizing::new(code.to_owned()),
            password: Zeroizing::new(password.to_owned()),
        })?;
        Ok(())
    }

    /// The password of a sign-up waiting under `id` for this user, taken: it is used once.
    pub fn take_pending_sign_up(
        &self,
        domain: &str,
        id: &str,
        username: &str,
    ) -> Option<Zeroizing<String>> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let mut state = pool.lock();
        let pending = state.login.pending_sign_ups.remove(id)?;
        (pending.expires > now && pending.username == username).then_some(pending.password)
    }

    fn keep_pending_sign_up(&self, domain: &str, username: &str, password: &str) -> Option<String> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let id = random::opaque::<32>();
        let mut state = pool.lock();
        let waiting = &mut state.login.pending_sign_ups;
        waiting.retain(|_, pending| pending.expires > now);
        waiting.insert(
            id.clone(),
            PendingSignUp {
                username: username.to_owned(),
                password: Zeroizing::new(password.to_owned()),
                expires: now + PENDING_SIGN_UP_LIFETIME,
            },
        );
        Some(id)
    }
}
