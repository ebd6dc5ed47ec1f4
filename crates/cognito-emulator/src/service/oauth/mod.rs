// SPDX-License-Identifier: Apache-2.0
//! OAuth 2.0 and OpenID Connect on a pool's domain: the authorization codes the managed login
//! hands out, and what the token, userInfo and revoke endpoints make of them.
//!
//! A code is the one thing the hosted pages ([`super::login`]) and the token endpoint share:
//! the pages issue it once every factor is proven, `/oauth2/token` takes it, once.

mod client_auth;
mod client_credentials;
mod digests;
mod discovery;
mod error;
mod revoke;
mod scopes;
mod token;
mod userinfo;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

pub use client_auth::{BasicCredentials, ClientCredentials};
pub(crate) use digests::at_hash;
pub use error::{OAuthError, OAuthErrorKind};
pub use token::TokenRequest;

use crate::crypto::random;
use crate::service::Service;

/// How long a code may wait for its exchange; the service gives five minutes.
pub const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// PKCE's `code_challenge` and its `code_challenge_method` (RFC 7636).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PkceChallenge {
    S256(String),
    Plain(String),
}

/// What a signed-in user granted a client at `/oauth2/authorize`: what the code stands for.
#[derive(Debug, Clone)]
pub struct AuthorizationGrant {
    pub client_id: String,
    /// The user's key in the pool, and its `sub`: the key may be taken by a new user of the
    /// same name before the exchange, the `sub` cannot.
    pub user_key: String,
    pub sub: String,
    /// As sent to `/oauth2/authorize`: the exchange must send it again, the same.
    pub redirect_uri: String,
    /// The scopes granted: those asked for that the client may have.
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub pkce: Option<PkceChallenge>,
    /// When the user proved the last factor of the sign-in (`auth_time`).
    pub authenticated_at: SystemTime,
    /// The remembered device the sign-in came from, if any.
    pub device_key: Option<String>,
}

#[derive(Debug)]
struct PendingCode {
    grant: AuthorizationGrant,
    expires: SystemTime,
}

/// A pool's codes awaiting exchange. Kept in memory only: a code lives five minutes, and a
/// restart in between costs a sign-in, as an expired code does.
#[derive(Debug, Default)]
pub struct OAuthState {
    codes: HashMap<String, PendingCode>,
}

impl Service {
    /// A new single-use code for `grant` in the pool of `domain`'s; `None` if the domain or its
    /// pool is gone.
    pub fn issue_authorization_code(
        &self,
        domain: &str,
        grant: AuthorizationGrant,
    ) -> Option<String> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let code = random::uuid();
        let mut state = pool.lock();
        state.oauth.codes.retain(|_, pending| pending.expires > now);
        state.oauth.codes.insert(
            code.clone(),
            PendingCode {
                grant,
                expires: now + CODE_LIFETIME,
            },
        );
        Some(code)
    }

    /// Takes a code of the pool of `domain`: whatever happens next, it is gone. `None` if it
    /// is unknown, used or expired.
    pub(crate) fn take_authorization_code(
        &self,
        domain: &str,
        code: &str,
    ) -> Option<AuthorizationGrant> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let pending = pool.lock().oauth.codes.remove(code)?;
        (pending.expires > now).then_some(pending.grant)
    }
}
