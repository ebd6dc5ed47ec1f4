// SPDX-License-Identifier: Apache-2.0
//! GetDerivedToken: OAuth 2.0 token exchange (RFC 8693). A client allowed token exchange
//! trades a token of the pool's (its subject) for a new access or ID token, no wider in scope
//! than the subject and the client allow, bound to one audience or resource server when asked,
//! and carrying an `act` claim naming the intermediary when an actor token is given. The
//! subject and actor tokens are checked with the pool's keys, as the pool's own operations
//! check them; tokens of other identity providers (SAML2, a provider name) are refused, since
//! the emulator cannot check them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::exchange::{Exchange, IssuedKind, TokenKind, derived_claims, verified_token};
use crate::service::model::AppClient;
use crate::service::{Service, ServiceError, ServiceResult};

const IMPERSONATION: &str = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION";
const DELEGATION: &str = "ALLOW_TOKEN_EXCHANGE_DELEGATION";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDerivedTokenRequest {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub subject_token: String,
    pub subject_token_type: TokenKind,
    pub subject_token_provider_name: Option<String>,
    pub actor_token: Option<String>,
    pub actor_token_type: Option<TokenKind>,
    pub actor_token_provider_name: Option<String>,
    pub scopes: Option<Vec<String>>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    pub requested_token_type: Option<IssuedKind>,
}

impl std::fmt::Debug for GetDerivedTokenRequest {
    // Tokens and the secret stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetDerivedTokenRequest")
            .field("client_id", &self.client_id)
            .field("subject_token_type", &self.subject_token_type)
            .field("requested_token_type", &self.requested_token_type)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDerivedTokenAnswer {
    pub issued_token: String,
    pub issued_token_type: IssuedKind,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub scopes: Vec<String>,
}

impl Service {
    pub fn get_derived_token(
        &self,
        request: GetDerivedTokenRequest,
    ) -> ServiceResult<GetDerivedTokenAnswer> {
        check_request_shape(&request)?;
        let pool = self.pool_of_client(&request.client_id)?;
        let now = self.now();
        let subject = verified_token(
            &pool,
            &request.subject_token,
            request.subject_token_type,
            now,
        )?;
        let actor = match (&request.actor_token, request.actor_token_type) {
            (Some(token), Some(kind)) => Some(verified_token(&pool, token, kind, now)?),
            _ => None,
        };
        let issued_kind = request
            .requested_token_type
            .unwrap_or(IssuedKind::AccessToken);
        let (claims, expires_in, scopes) = {
            let state = pool.lock();
            if state.settings.tier == "LITE" {
                return Err(ServiceError::new(
                    "OperationNotEnabledException",
                    "Token exchange is not available in the LITE feature plan.",
                ));
            }
            let client = state.client(&request.client_id)?;
            check_exchange_client(client, request.client_secret.as_deref(), actor.is_some())?;
            let exchange = Exchange {
                subject: &subject,
                actor: actor.as_ref(),
                requested_scopes: request.scopes.as_deref(),
                audience: request.audiences.first().or(request.resources.first()),
                issued_kind,
            };
            derived_claims(&state, client, &exchange, now)?
        };
        // Signing is RSA work: done with the pool's lock released.
        let key = match issued_kind {
            IssuedKind::AccessToken => &pool.keys.access,
            IssuedKind::IdToken => &pool.keys.id,
        };
        Ok(GetDerivedTokenAnswer {
            issued_token: key.sign(&Value::Object(claims)),
            issued_token_type: issued_kind,
            token_type: "Bearer",
            expires_in,
            scopes,
        })
    }
}

/// What the model cannot say of the request: pairs that go together, and the tokens the
/// emulator can check.
fn check_request_shape(request: &GetDerivedTokenRequest) -> ServiceResult<()> {
    let invalid = |message: &str| Err(ServiceError::invalid_parameter(message));
    if request.actor_token.is_some() != request.actor_token_type.is_some() {
        return invalid("ActorToken and ActorTokenType go together: give both or neither.");
    }
    if !request.audiences.is_empty() && !request.resources.is_empty() {
        return invalid("A token exchange can request Audiences or Resources, not both.");
    }
    let foreign = request.subject_token_provider_name.is_some()
        || request.actor_token_provider_name.is_some()
        || request.subject_token_type == TokenKind::Saml2
        || request.actor_token_type == Some(TokenKind::Saml2);
    if foreign {
        return invalid(
            "Only the user pool's own ID and access tokens can be exchanged here: tokens of third-party identity providers cannot be checked.",
        );
    }
    Ok(())
}

/// The client proves its secret, if it has one, and is allowed the kind of exchange asked
/// for: impersonation without an actor token, delegation with one.
fn check_exchange_client(
    client: &AppClient,
    secret: Option<&str>,
    delegation: bool,
) -> ServiceResult<()> {
    if !client.secret_matches(secret) {
        return Err(ServiceError::not_authorized(format!(
            "The client secret is not a secret of client {}.",
            client.id
        )));
    }
    let flow = if delegation {
        DELEGATION
    } else {
        IMPERSONATION
    };
    if !client.explicit_auth_flows.iter().any(|f| f == flow) {
        return Err(ServiceError::not_authorized(format!(
            "Client {} is not allowed {flow}.",
            client.id
        )));
    }
    Ok(())
}
