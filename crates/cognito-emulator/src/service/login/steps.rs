// SPDX-License-Identifier: Apache-2.0
//! A sign-in on the hosted pages, step by step. Each step hands the page's input to the same
//! sign-in code InitiateAuth and RespondToAuthChallenge run, with the purpose
//! [`SignInPurpose::ManagedLogin`]: the last step then says who signed in instead of issuing
//! tokens. The page keeps the challenge's session id in its form, as an app keeps `Session`.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::devices::DeviceCookie;
use super::{SignedInUser, page_secret_hash};
use crate::service::mfa::{AssociateSoftwareTokenRequest, VerifySoftwareTokenRequest};
use crate::service::model::{Challenge, SignInPurpose};
use crate::service::sign_in::{ChallengeName, RespondToAuthChallengeRequest, SignInAnswer};
use crate::service::{Service, ServiceError, ServiceResult};

/// Where a page's sign-in stands after a step.
#[derive(Debug)]
pub enum LoginStep {
    /// Every factor is proven.
    SignedIn(SignedInUser),
    /// A temporary password was used: a new one is due.
    NewPasswordRequired { session: String },
    /// The pool asks for MFA and the user has none yet: this secret, then its first code.
    MfaSetup {
        session: String,
        secret: Zeroizing<String>,
    },
    /// The user's authenticator code.
    SoftwareTokenMfa { session: String },
}

impl Service {
    /// The sign-in form: username and password, and the browser's remembered device if its
    /// cookie proves one of the user's.
    pub fn login_with_password(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        password: &str,
        device: Option<&DeviceCookie>,
    ) -> ServiceResult<LoginStep> {
        let pool = self.login_pool(domain)?;
        let mut params = HashMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PASSWORD".to_owned(), password.to_owned()),
        ]);
        {
            let state = pool.lock();
            state.client(client_id)?;
            if let Some(hash) = page_secret_hash(&state, client_id, username) {
                params.insert("SECRET_HASH".to_owned(), hash);
            }
        }
        if let Some(device) = device
            && self.device_cookie_proves(&pool, username, device)
        {
            params.insert("DEVICE_KEY".to_owned(), device.key.clone());
        }
        let answer =
            self.password_sign_in(&pool, client_id, &params, SignInPurpose::ManagedLogin)?;
        self.login_step(domain, answer)
    }

    /// The new-password form, after a temporary password.
    pub fn login_new_password(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        session: &str,
        new_password: &str,
    ) -> ServiceResult<LoginStep> {
        let responses = [("NEW_PASSWORD", new_password)];
        let answer = self.login_answer(
            domain,
            client_id,
            username,
            session,
            ChallengeName::NewPasswordRequired,
            &responses,
        )?;
        self.login_step(domain, answer)
    }

    /// The authenticator-code form.
    pub fn login_totp(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        session: &str,
        code: &str,
    ) -> ServiceResult<LoginStep> {
        let responses = [("SOFTWARE_TOKEN_MFA_CODE", code)];
        let answer = self.login_answer(
            domain,
            client_id,
            username,
            session,
            ChallengeName::SoftwareTokenMfa,
            &responses,
        )?;
        self.login_step(domain, answer)
    }

    /// The MFA-setup form: the first code of the secret shown (VerifySoftwareToken), then
    /// MFA_SETUP answered.
    pub fn login_mfa_setup(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        session: &str,
        code: &str,
    ) -> ServiceResult<LoginStep> {
        self.login_pool(domain)?;
        let verified = self.verify_software_token(VerifySoftwareTokenRequest {
            access_token: None,
            session: Some(session.to_owned()),
            user_code: Zeroizing::new(code.to_owned()),
            friendly_device_name: None,
        })?;
        let session = verified.session.ok_or_else(ServiceError::invalid_session)?;
        let answer = self.login_answer(
            domain,
            client_id,
            username,
            &session,
            ChallengeName::MfaSetup,
            &[],
        )?;
        self.login_step(domain, answer)
    }

    /// The secret an MFA-setup session waits to see confirmed, to show it again after a wrong
    /// code; `None` once the session is gone.
    pub fn login_mfa_setup_secret(&self, domain: &str, session: &str) -> Option<Zeroizing<String>> {
        let pool = self.pool_of_domain(domain)?;
        let state = pool.lock();
        let waiting = state.sessions.get(session)?;
        if !matches!(waiting.challenge, Challenge::MfaSetupAssociated) {
            return None;
        }
        let user = state.user_by_sub(&waiting.sub)?;
        user.software_token.pending_secret.clone()
    }

    /// Answers a challenge as RespondToAuthChallenge would, for the domain's pool.
    fn login_answer(
        &self,
        domain: &str,
        client_id: &str,
        username: &str,
        session: &str,
        challenge_name: ChallengeName,
        responses: &[(&str, &str)],
    ) -> ServiceResult<SignInAnswer> {
        let pool = self.login_pool(domain)?;
        let mut challenge_responses: HashMap<String, String> = responses
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        challenge_responses.insert("USERNAME".to_owned(), username.to_owned());
        if let Some(hash) = page_secret_hash(&pool.lock(), client_id, username) {
            challenge_responses.insert("SECRET_HASH".to_owned(), hash);
        }
        self.respond_to_auth_challenge(RespondToAuthChallengeRequest {
            user_pool_id: Some(pool.id.clone()),
            client_id: client_id.to_owned(),
            challenge_name,
            session: Some(session.to_owned()),
            challenge_responses: Some(challenge_responses),
        })
    }

    /// What a sign-in answer means for the page; MFA_SETUP is answered with the secret to set
    /// up at once (AssociateSoftwareToken), as the page shows it.
    fn login_step(&self, domain: &str, answer: SignInAnswer) -> ServiceResult<LoginStep> {
        if let Some(user) = answer.signed_in {
            return Ok(LoginStep::SignedIn(user));
        }
        let session = answer.session.ok_or_else(ServiceError::invalid_session)?;
        match answer.challenge_name {
            Some(ChallengeName::NewPasswordRequired) => {
                Ok(LoginStep::NewPasswordRequired { session })
            }
            Some(ChallengeName::SoftwareTokenMfa) => Ok(LoginStep::SoftwareTokenMfa { session }),
            Some(ChallengeName::MfaSetup) => {
                self.login_pool(domain)?;
                let associated = self.associate_software_token(AssociateSoftwareTokenRequest {
                    access_token: None,
                    session: Some(session),
                })?;
                Ok(LoginStep::MfaSetup {
                    session: associated
                        .session
                        .ok_or_else(ServiceError::invalid_session)?,
                    secret: associated.secret_code,
                })
            }
            _ => Err(ServiceError::new(
                "InternalErrorException",
                "The sign-in asked for a step the hosted pages do not offer.",
            )),
        }
    }
}
