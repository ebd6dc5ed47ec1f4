// SPDX-License-Identifier: Apache-2.0
//! `POST /oauth2/token`: an authorization code, a refresh token or the client's own
//! credentials exchanged for tokens.

use std::sync::Arc;

use serde::Serialize;
use zeroize::Zeroizing;

use super::client_auth::{AuthenticatedClient, ClientCredentials, authenticate_client};
use super::digests::pkce_matches;
use super::scopes::OPENID;
use super::{AuthorizationGrant, OAuthError};
use crate::service::clock::unix_seconds;
use crate::service::tokens::{AuthenticationResult, SignedIn};
use crate::service::{Pool, Service, ServiceError, security};

/// The flows of AllowedOAuthFlows this endpoint serves.
const CODE_FLOW: &str = "code";
pub(super) const CLIENT_CREDENTIALS_FLOW: &str = "client_credentials";

/// The body of a token request, and the client's credentials.
#[derive(Debug, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<Zeroizing<String>>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<Zeroizing<String>>,
    pub refresh_token: Option<Zeroizing<String>>,
    pub scope: Option<String>,
    pub credentials: ClientCredentials,
}

/// The token endpoint's answer (RFC 6749 5.1). Like the service, it has no `scope`.
#[derive(Debug, Serialize)]
pub struct TokenAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub expires_in: u64,
    pub token_type: &'static str,
}

impl TokenAnswer {
    /// A user's tokens; the ID token only where `openid` was granted.
    fn of_user(result: AuthenticationResult, openid: bool) -> Self {
        Self {
            id_token: openid.then_some(result.id_token),
            access_token: result.access_token,
            refresh_token: result.refresh_token,
            expires_in: result.expires_in,
            token_type: result.token_type,
        }
    }
}

impl Service {
    /// The token endpoint of `domain`.
    pub fn oauth_token(
        &self,
        domain: &str,
        request: TokenRequest,
    ) -> Result<TokenAnswer, OAuthError> {
        let pool = self
            .pool_of_domain(domain)
            .ok_or_else(|| OAuthError::domain_gone(domain))?;
        let grant_type = request.grant_type.as_deref().unwrap_or_default();
        if grant_type.is_empty() {
            return Err(OAuthError::missing("grant_type"));
        }
        if !matches!(
            grant_type,
            "authorization_code" | "refresh_token" | CLIENT_CREDENTIALS_FLOW
        ) {
            return Err(OAuthError::new(
                super::OAuthErrorKind::UnsupportedGrantType,
                format!(
                    "grant_type {grant_type:?} is not supported: use authorization_code, refresh_token or client_credentials."
                ),
            ));
        }
        let client = authenticate_client(&pool.lock(), &request.credentials)?;
        match grant_type {
            "authorization_code" => self.exchange_code(domain, &pool, &client, request),
            "refresh_token" => self.refresh_grant(&pool, &client, request),
            _ => self.client_credentials_grant(&pool, &client, request.scope.as_deref()),
        }
    }

    /// `authorization_code`: the code is taken first, so that whatever is wrong with the
    /// request, it cannot be tried again (RFC 6749 4.1.2).
    fn exchange_code(
        &self,
        domain: &str,
        pool: &Arc<Pool>,
        authenticated: &AuthenticatedClient,
        request: TokenRequest,
    ) -> Result<TokenAnswer, OAuthError> {
        let client = &authenticated.client;
        if !(client.oauth.enabled && client.oauth.flows.iter().any(|f| f == CODE_FLOW)) {
            return Err(OAuthError::unauthorized_client(format!(
                "App client {} does not allow the authorization code grant: set AllowedOAuthFlows code and AllowedOAuthFlowsUserPoolClient.",
                client.id
            )));
        }
        let code = request
            .code
            .filter(|code| !code.is_empty())
            .ok_or_else(|| OAuthError::missing("code"))?;
        let grant = self
            .take_authorization_code(domain, &code)
            .ok_or_else(|| {
                OAuthError::invalid_grant(
                    "The authorization code is unknown, used or expired: sign in again at /oauth2/authorize.",
                )
            })?;
        check_code_request(
            &grant,
            &client.id,
            request.redirect_uri.as_deref(),
            request.code_verifier.as_deref().map(|v| v.as_str()),
        )?;
        let openid = grant.scopes.iter().any(|scope| scope == OPENID);
        let result = self.sign_in_by_code(pool, grant)?;
        Ok(TokenAnswer::of_user(result, openid))
    }

    /// The tokens of a code's sign-in, for its user as now: a user deleted, replaced or
    /// disabled since is refused.
    fn sign_in_by_code(
        &self,
        pool: &Arc<Pool>,
        grant: AuthorizationGrant,
    ) -> Result<AuthenticationResult, OAuthError> {
        let now = self.now();
        let mut state = pool.lock();
        let user_key = state
            .subs
            .get(&grant.sub)
            .filter(|key| **key == grant.user_key)
            .cloned()
            .ok_or_else(|| {
                OAuthError::invalid_grant("The user of this authorization code is gone.")
            })?;
        if !state.users.get(&user_key).is_some_and(|user| user.enabled) {
            return Err(OAuthError::invalid_grant("User is disabled."));
        }
        let signed = self
            .grant_tokens(
                &mut state,
                SignedIn {
                    user_key: &user_key,
                    client_id: &grant.client_id,
                    device_key: grant.device_key,
                    auth_time: unix_seconds(grant.authenticated_at),
                    origin_jti: None,
                    issue_refresh_token: true,
                    offer_new_device: false,
                    scopes: Some(grant.scopes),
                    nonce: grant.nonce,
                },
                now,
            )
            .map_err(|error| OAuthError::invalid_grant(error.message))?;
        // The sign-in earns its tokens here, not on the pages: its event and token session.
        security::signed_in(&mut state, &grant.sub, &signed, now);
        drop(state);
        Ok(Self::sign_tokens(pool, signed))
    }

    /// `refresh_token`: new ID and access tokens with the scopes of the grant's sign-in.
    fn refresh_grant(
        &self,
        pool: &Arc<Pool>,
        authenticated: &AuthenticatedClient,
        request: TokenRequest,
    ) -> Result<TokenAnswer, OAuthError> {
        let token = request
            .refresh_token
            .filter(|token| !token.is_empty())
            .ok_or_else(|| OAuthError::missing("refresh_token"))?;
        let openid = {
            let state = pool.lock();
            state
                .refresh_grants
                .get(token.as_str())
                .is_none_or(|grant| {
                    grant
                        .scopes
                        .as_ref()
                        .is_none_or(|scopes| scopes.iter().any(|scope| scope == OPENID))
                })
        };
        let result = self
            .refresh_at_token_endpoint(pool, &authenticated.client.id, &token)
            .map_err(refresh_refusal)?;
        Ok(TokenAnswer::of_user(result, openid))
    }
}

/// What the exchange must repeat of the authorize request: the client, the redirect URI and,
/// where a challenge was sent, its verifier.
fn check_code_request(
    grant: &AuthorizationGrant,
    client_id: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> Result<(), OAuthError> {
    if grant.client_id != client_id {
        return Err(OAuthError::invalid_grant(
            "The authorization code was issued to another app client.",
        ));
    }
    let redirect_uri = redirect_uri
        .filter(|uri| !uri.is_empty())
        .ok_or_else(|| OAuthError::missing("redirect_uri"))?;
    if redirect_uri != grant.redirect_uri {
        return Err(OAuthError::invalid_grant(
            "redirect_uri is not the one the authorization code was requested with.",
        ));
    }
    let Some(challenge) = &grant.pkce else {
        return Ok(());
    };
    let verifier = code_verifier
        .filter(|verifier| !verifier.is_empty())
        .ok_or_else(|| {
            OAuthError::invalid_request(
                "The authorization code was requested with a code_challenge: send its code_verifier.",
            )
        })?;
    if !pkce_matches(challenge, verifier) {
        return Err(OAuthError::invalid_grant(
            "code_verifier does not match the code_challenge of the authorization request.",
        ));
    }
    Ok(())
}

/// A refresh the service refuses: the token is no good (`invalid_grant`), whatever the reason
/// the API would give.
fn refresh_refusal(error: ServiceError) -> OAuthError {
    if error.is_internal() {
        return OAuthError::new(super::OAuthErrorKind::ServerError, error.message);
    }
    OAuthError::invalid_grant(error.message)
}
