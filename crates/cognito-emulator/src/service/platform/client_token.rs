// SPDX-License-Identifier: Apache-2.0
//! GetClientToken: the API's form of the OAuth 2.0 client-credentials grant. A confidential app
//! client proves its secret and gets an access token for itself (no user), carrying the custom
//! scopes it asked for, or all of those it is allowed, signed with the pool's access-token key
//! like the pool's other access tokens.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::crypto::random;
use crate::service::clock::unix_seconds;
use crate::service::model::AppClient;
use crate::service::{Service, ServiceError, ServiceResult};

/// The OAuth flow that stands for client credentials in AllowedOAuthFlows.
const CLIENT_CREDENTIALS: &str = "client_credentials";
/// The explicit auth flow that allows GetClientToken, where the model knows it.
const ALLOW_CLIENT_TOKEN_AUTH: &str = "ALLOW_CLIENT_TOKEN_AUTH";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetClientTokenRequest {
    pub client_id: String,
    pub secret: String,
    pub scopes: Option<Vec<String>>,
}

impl std::fmt::Debug for GetClientTokenRequest {
    // The secret stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetClientTokenRequest")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// `ClientAuthenticationResultType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientAuthenticationResult {
    pub access_token: String,
    pub expires_in: u64,
    pub token_type: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetClientTokenAnswer {
    pub client_authentication_result: ClientAuthenticationResult,
}

impl Service {
    pub fn get_client_token(
        &self,
        request: GetClientTokenRequest,
    ) -> ServiceResult<GetClientTokenAnswer> {
        let pool = self.pool_of_client(&request.client_id)?;
        let (claims, expires_in) = {
            let state = pool.lock();
            let client = state.client(&request.client_id)?;
            check_client_credentials(client, &request.secret)?;
            let scopes = granted_scopes(client, request.scopes.as_deref())?;
            let validity =
                client.access_token_validity.0 * client.access_token_validity.1.seconds();
            let claims = client_access_claims(
                &state.settings.issuer,
                client,
                &scopes,
                self.now(),
                validity,
            );
            (claims, validity)
        };
        // Signing is RSA work: done with the pool's lock released.
        Ok(GetClientTokenAnswer {
            client_authentication_result: ClientAuthenticationResult {
                access_token: pool.keys.access.sign(&claims),
                expires_in,
                token_type: "Bearer",
            },
        })
    }
}

/// A confidential client allowed the grant, presenting one of its live secrets.
fn check_client_credentials(client: &AppClient, secret: &str) -> ServiceResult<()> {
    if !client.has_secret() {
        return Err(ServiceError::not_authorized(format!(
            "Client {} has no client secret: only a confidential client can get a client token.",
            client.id
        )));
    }
    if !client.secret_matches(Some(secret)) {
        return Err(ServiceError::not_authorized(format!(
            "The secret is not a secret of client {}.",
            client.id
        )));
    }
    let allowed = (client.oauth.enabled
        && client.oauth.flows.iter().any(|f| f == CLIENT_CREDENTIALS))
        || client
            .explicit_auth_flows
            .iter()
            .any(|f| f == ALLOW_CLIENT_TOKEN_AUTH);
    if !allowed {
        return Err(ServiceError::not_authorized(format!(
            "Client {} is not allowed the client_credentials grant.",
            client.id
        )));
    }
    Ok(())
}

/// The scopes asked for, each one the client is allowed; none asked for, every custom scope
/// (`resource-server/scope`) the client is allowed. Client tokens carry custom scopes only.
fn granted_scopes(client: &AppClient, requested: Option<&[String]>) -> ServiceResult<Vec<String>> {
    let allowed: Vec<&String> = client
        .oauth
        .scopes
        .iter()
        .filter(|scope| scope.contains('/'))
        .collect();
    let scopes: Vec<String> = match requested {
        None => allowed.into_iter().cloned().collect(),
        Some(requested) => {
            if let Some(refused) = requested.iter().find(|scope| !allowed.contains(scope)) {
                return Err(ServiceError::invalid_parameter(format!(
                    "The scope {refused} is not a custom scope that client {} is allowed.",
                    client.id
                )));
            }
            let mut scopes: Vec<String> = Vec::new();
            for scope in requested {
                if !scopes.contains(scope) {
                    scopes.push(scope.clone());
                }
            }
            scopes
        }
    };
    if scopes.is_empty() {
        return Err(ServiceError::invalid_parameter(format!(
            "Client {} is allowed no custom scopes to put in a client token.",
            client.id
        )));
    }
    Ok(scopes)
}

/// The claims of a client's own access token: the client is its subject, and there is no user.
fn client_access_claims(
    issuer: &str,
    client: &AppClient,
    scopes: &[String],
    now: SystemTime,
    validity: u64,
) -> Value {
    let now = unix_seconds(now);
    json!({
        "sub": client.id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": now,
        "iss": issuer,
        "exp": now + validity as i64,
        "iat": now,
        "version": 2,
        "jti": random::uuid(),
        "client_id": client.id,
    })
}
