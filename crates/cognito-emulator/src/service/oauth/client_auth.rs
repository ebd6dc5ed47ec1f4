// SPDX-License-Identifier: Apache-2.0
//! How the token and revoke endpoints know the app client: HTTP Basic (`client_secret_basic`),
//! the body's `client_id` and `client_secret` (`client_secret_post`), or, for a client without
//! a secret, `client_id` alone. Any live secret of the client will do (see pools/secrets.rs).

use std::fmt;

use zeroize::Zeroizing;

use super::OAuthError;
use crate::service::model::{AppClient, PoolState};

/// The halves of an `Authorization: Basic` header, form-decoded as RFC 6749 2.3.1 has them
/// encoded.
pub struct BasicCredentials {
    pub client_id: String,
    pub secret: Zeroizing<String>,
    /// The secret as sent, before form-decoding: most clients do not encode it, and a `+` of
    /// a secret sent as is would otherwise be read as a space.
    pub secret_as_sent: Zeroizing<String>,
}

/// Everything a request says about its client.
#[derive(Default)]
pub struct ClientCredentials {
    pub basic: Option<BasicCredentials>,
    pub body_client_id: Option<String>,
    pub body_secret: Option<Zeroizing<String>>,
}

// Written by hand so that no secret ever reaches a log.
impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("basic", &self.basic)
            .field("body_client_id", &self.body_client_id)
            .field(
                "body_secret",
                &self.body_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl ClientCredentials {
    /// Whether the client authenticated with the Authorization header: its refusal is a 401
    /// that names the Basic scheme.
    pub fn used_basic(&self) -> bool {
        self.basic.is_some()
    }
}

/// A client the request proved it is, and the secret it proved it with (none for a public
/// client).
#[derive(Debug, Clone)]
pub(crate) struct AuthenticatedClient {
    pub client: AppClient,
    pub secret: Option<Zeroizing<String>>,
}

/// The app client of the pool the credentials prove. Unknown clients, clients of other pools,
/// missing or wrong secrets are `invalid_client`.
pub(crate) fn authenticate_client(
    state: &PoolState,
    credentials: &ClientCredentials,
) -> Result<AuthenticatedClient, OAuthError> {
    if credentials.basic.is_some() && credentials.body_secret.is_some() {
        return Err(OAuthError::invalid_request(
            "The client secret was sent twice: send it in the Authorization header or as client_secret, not both.",
        ));
    }
    let client_id = match (&credentials.basic, &credentials.body_client_id) {
        (Some(basic), Some(body)) if *body != basic.client_id => {
            return Err(OAuthError::invalid_client(
                "The client_id of the body is not the one of the Authorization header.",
            ));
        }
        (Some(basic), _) => basic.client_id.as_str(),
        (None, Some(body)) => body.as_str(),
        (None, None) => {
            return Err(OAuthError::invalid_client(
                "No client: send client_id, and the client secret if the app client has one (HTTP Basic or client_secret).",
            ));
        }
    };
    let client = state.clients.get(client_id).ok_or_else(|| {
        OAuthError::invalid_client(format!(
            "The user pool of this domain has no app client {client_id}."
        ))
    })?;
    let sent: Vec<&Zeroizing<String>> = match (&credentials.basic, &credentials.body_secret) {
        (Some(basic), _) => vec![&basic.secret, &basic.secret_as_sent],
        (None, Some(secret)) => vec![secret],
        (None, None) => Vec::new(),
    };
    if !client.has_secret() {
        if !sent.is_empty() {
            return Err(OAuthError::invalid_client(format!(
                "App client {client_id} has no secret: send client_id alone."
            )));
        }
        return Ok(AuthenticatedClient {
            client: client.clone(),
            secret: None,
        });
    }
    if sent.is_empty() {
        return Err(OAuthError::invalid_client(format!(
            "App client {client_id} has a secret: send it with HTTP Basic (client_id:client_secret) or as client_secret."
        )));
    }
    let matched = sent
        .into_iter()
        .find(|secret| client.secret_matches(Some(secret.as_str())));
    match matched {
        Some(secret) => Ok(AuthenticatedClient {
            client: client.clone(),
            secret: Some(secret.clone()),
        }),
        None => Err(OAuthError::invalid_client(format!(
            "The client secret is not one of app client {client_id}'s."
        ))),
    }
}
