// SPDX-License-Identifier: Apache-2.0
//! The `client_credentials` grant: a confidential app client's own access token, for
//! machine-to-machine calls, scoped to its resource-server scopes. No user, no ID token, no
//! refresh token.

use std::sync::Arc;

use serde_json::{Value, json};

use super::OAuthError;
use super::client_auth::AuthenticatedClient;
use super::scopes::client_credentials_scopes;
use super::token::{CLIENT_CREDENTIALS_FLOW, TokenAnswer};
use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::{Pool, Service};

impl Service {
    pub(super) fn client_credentials_grant(
        &self,
        pool: &Arc<Pool>,
        authenticated: &AuthenticatedClient,
        scope: Option<&str>,
    ) -> Result<TokenAnswer, OAuthError> {
        let client = &authenticated.client;
        if authenticated.secret.is_none() {
            return Err(OAuthError::unauthorized_client(format!(
                "App client {} has no secret: the client credentials grant needs a confidential client.",
                client.id
            )));
        }
        let allowed = client.oauth.enabled
            && client
                .oauth
                .flows
                .iter()
                .any(|f| f == CLIENT_CREDENTIALS_FLOW);
        if !allowed {
            return Err(OAuthError::unauthorized_client(format!(
                "App client {} does not allow the client credentials grant: set AllowedOAuthFlows client_credentials and AllowedOAuthFlowsUserPoolClient.",
                client.id
            )));
        }
        let (claims, expires_in) = {
            let state = pool.lock();
            let scopes = client_credentials_scopes(&state, client, scope)?;
            let validity =
                client.access_token_validity.0 * client.access_token_validity.1.seconds();
            let claims = machine_claims(
                &state.settings.issuer,
                &client.id,
                &scopes,
                self.now(),
                validity,
            );
            (claims, validity)
        };
        Ok(TokenAnswer {
            id_token: None,
            access_token: pool.keys.access.sign(&claims),
            refresh_token: None,
            expires_in,
            token_type: "Bearer",
        })
    }
}

/// A client's access token: its `sub` is the client, and it has no `username`, so no API
/// operation takes it for a user's.
fn machine_claims(
    issuer: &str,
    client_id: &str,
    scopes: &[String],
    now: std::time::SystemTime,
    validity: u64,
) -> Value {
    let iat = unix_seconds(now);
    json!({
        "sub": client_id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": iat,
        "iss": issuer,
        "exp": iat + validity as i64,
        "iat": iat,
        "version": 2,
        "jti": random::uuid(),
        "client_id": client_id,
    })
}
