// SPDX-License-Identifier: Apache-2.0
//! `/oauth2/authorize`: what a request asks for, checked against its app client, and the code
//! a signed-in user's browser is sent back with.
//!
//! Refusals come in two kinds, as OAuth 2.0 has them: while the client or its redirect URI is
//! in doubt nothing may be sent there, so the page says what is wrong; once both are known,
//! the error goes back to the redirect URI (`error=invalid_scope` and the like).

use serde::Deserialize;

use super::SignedInUser;
use crate::service::Service;
use crate::service::clock::unix_seconds;
use crate::service::federation::custom_scope_exists;
use crate::service::model::AppClient;
use crate::service::oauth::{AuthorizationGrant, PkceChallenge};
use crate::service::tokens::SignedIn;

/// The scopes a client may be granted without a resource server.
const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The query of `/oauth2/authorize`, carried unchanged through every page of the sign-in.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeRequest {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub identity_provider: Option<String>,
    /// The page language: only English is offered, so any value is accepted and ignored.
    pub lang: Option<String>,
}

/// What the browser gets back once the user is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// `code`: an authorization code in the query.
    Code,
    /// `token`: the implicit grant, tokens in the fragment.
    Token,
}

/// A checked authorize request.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: ResponseType,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub pkce: Option<PkceChallenge>,
}

/// Why an authorize request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeRefusal {
    /// Shown on an error page: the client or the redirect URI cannot be trusted.
    Page(String),
    /// Sent back to the (checked) redirect URI.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
}

impl Service {
    /// Checks an authorize request against the domain's pool and the client it names.
    pub fn check_authorize(
        &self,
        domain: &str,
        request: &AuthorizeRequest,
    ) -> Result<Authorization, AuthorizeRefusal> {
        let page = |message: &str| AuthorizeRefusal::Page(message.to_owned());
        let pool = self
            .pool_of_domain(domain)
            .ok_or_else(|| page("No user pool has this domain any more."))?;
        let client_id = request
            .client_id
            .as_deref()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| page("The request names no client_id: add the app client's id."))?;
        let state = pool.lock();
        let client = state.clients.get(client_id).ok_or_else(|| {
            AuthorizeRefusal::Page(format!(
                "This user pool has no app client {client_id:?}: check client_id."
            ))
        })?;
        let redirect_uri = checked_redirect_uri(client, request.redirect_uri.as_deref())?;
        if let Some(provider) = request.identity_provider.as_deref()
            && provider != "COGNITO"
        {
            return Err(AuthorizeRefusal::Page(format!(
                "Sign-in with the identity provider {provider:?} is not emulated: federation \
                 needs the provider itself. Use identity_provider=COGNITO, or leave it out."
            )));
        }
        // The client's identity providers are what its login page offers: without COGNITO
        // it offers no user-pool sign-in, and the emulator signs in through no other.
        if !client
            .oauth
            .identity_providers
            .iter()
            .any(|p| p == "COGNITO")
        {
            return Err(page(
                "This app client offers no sign-in with the user pool's own accounts: add \
                 COGNITO to its SupportedIdentityProviders (UpdateUserPoolClient). Sign-in \
                 through external identity providers is not emulated.",
            ));
        }
        let refuse = |error: &'static str, description: String| AuthorizeRefusal::Redirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description,
            state: request.state.clone(),
        };
        let response_type =
            checked_response_type(client, request).map_err(|(e, d)| refuse(e, d))?;
        let scopes = granted_scopes(&state, client, request.scope.as_deref()).map_err(|scope| {
            refuse(
                "invalid_scope",
                format!("The scope {scope} is not allowed to this client."),
            )
        })?;
        let pkce = checked_pkce(request).map_err(|d| refuse("invalid_request", d))?;
        Ok(Authorization {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.clone(),
            response_type,
            scopes,
            state: request.state.clone(),
            nonce: request.nonce.clone(),
            pkce,
        })
    }

    /// A code for a signed-in user, for the client the request was checked for; `None` if the
    /// domain is gone.
    pub fn authorization_code(
        &self,
        domain: &str,
        authorization: &Authorization,
        user: &SignedInUser,
    ) -> Option<String> {
        let grant = AuthorizationGrant {
            client_id: authorization.client_id.clone(),
            user_key: user.user_key.clone(),
            sub: user.sub.clone(),
            redirect_uri: authorization.redirect_uri.clone(),
            scopes: authorization.scopes.clone(),
            nonce: authorization.nonce.clone(),
            pkce: authorization.pkce.clone(),
            authenticated_at: user.authenticated_at,
            device_key: user.device_key.clone(),
        };
        self.issue_authorization_code(domain, grant)
    }
}

/// The implicit grant's tokens, for the redirect URI's fragment.
#[derive(Debug)]
pub struct ImplicitTokens {
    pub access_token: String,
    /// Only where `openid` was granted.
    pub id_token: Option<String>,
    pub expires_in: u64,
    pub token_type: &'static str,
}

impl Service {
    /// Tokens for a signed-in user at once (`response_type=token`): no refresh token, as the
    /// implicit grant has none. `None` if the domain or the user is gone, or disabled.
    pub fn implicit_tokens(
        &self,
        domain: &str,
        authorization: &Authorization,
        user: &SignedInUser,
    ) -> Option<ImplicitTokens> {
        let pool = self.pool_of_domain(domain)?;
        let now = self.now();
        let mut state = pool.lock();
        let user_key = state
            .subs
            .get(&user.sub)
            .filter(|key| **key == user.user_key)?
            .clone();
        if !state
            .users
            .get(&user_key)
            .is_some_and(|found| found.enabled)
        {
            return None;
        }
        let signed_in = SignedIn {
            user_key: &user_key,
            client_id: &authorization.client_id,
            device_key: user.device_key.clone(),
            auth_time: unix_seconds(user.authenticated_at),
            origin_jti: None,
            issue_refresh_token: false,
            offer_new_device: false,
            scopes: Some(authorization.scopes.clone()),
            nonce: authorization.nonce.clone(),
        };
        let grant = self.grant_tokens(&mut state, signed_in, now).ok()?;
        drop(state);
        let result = Self::sign_tokens(&pool, grant);
        let openid = authorization.scopes.iter().any(|scope| scope == "openid");
        Some(ImplicitTokens {
            access_token: result.access_token,
            id_token: openid.then_some(result.id_token),
            expires_in: result.expires_in,
            token_type: result.token_type,
        })
    }
}

/// The redirect URI, if it is exactly one of the client's callback URLs.
fn checked_redirect_uri(
    client: &AppClient,
    sent: Option<&str>,
) -> Result<String, AuthorizeRefusal> {
    let Some(sent) = sent.filter(|uri| !uri.is_empty()) else {
        return Err(AuthorizeRefusal::Page(
            "The request names no redirect_uri: add one of the app client's callback URLs."
                .to_owned(),
        ));
    };
    if !client.oauth.callback_urls.iter().any(|url| url == sent) {
        return Err(AuthorizeRefusal::Page(format!(
            "redirect_mismatch: {sent:?} is not one of the app client's callback URLs \
             (CallbackURLs); it must match one exactly."
        )));
    }
    Ok(sent.to_owned())
}

/// `response_type`, which the client must allow; as (error, description) if not.
fn checked_response_type(
    client: &AppClient,
    request: &AuthorizeRequest,
) -> Result<ResponseType, (&'static str, String)> {
    if !client.oauth.enabled {
        return Err((
            "unauthorized_client",
            "The app client does not use OAuth 2.0 (AllowedOAuthFlowsUserPoolClient is off)."
                .to_owned(),
        ));
    }
    let (response_type, flow) = match request.response_type.as_deref() {
        None | Some("") => {
            return Err(("invalid_request", "response_type is required.".to_owned()));
        }
        Some("code") => (ResponseType::Code, "code"),
        Some("token") => (ResponseType::Token, "implicit"),
        Some(other) => {
            return Err((
                "unsupported_response_type",
                format!("response_type {other:?} is not supported: use code or token."),
            ));
        }
    };
    if !client.oauth.flows.iter().any(|allowed| allowed == flow) {
        return Err((
            "unauthorized_client",
            format!("The app client does not allow the {flow} grant (AllowedOAuthFlows)."),
        ));
    }
    Ok(response_type)
}

/// The scopes asked for, each allowed to the client; none asked for is all it has. The first
/// refused scope is the error.
fn granted_scopes(
    state: &crate::service::model::PoolState,
    client: &AppClient,
    asked: Option<&str>,
) -> Result<Vec<String>, String> {
    let asked: Vec<&str> = asked.unwrap_or_default().split_whitespace().collect();
    if asked.is_empty() {
        return Ok(client.oauth.scopes.clone());
    }
    let mut granted = Vec::new();
    for scope in asked {
        let known = STANDARD_SCOPES.contains(&scope) || custom_scope_exists(state, scope);
        if !known || !client.oauth.scopes.iter().any(|allowed| allowed == scope) {
            return Err(scope.to_owned());
        }
        if !granted.iter().any(|g: &String| g == scope) {
            granted.push(scope.to_owned());
        }
    }
    Ok(granted)
}

/// PKCE (RFC 7636): a challenge with `S256` or `plain` (the default).
fn checked_pkce(request: &AuthorizeRequest) -> Result<Option<PkceChallenge>, String> {
    let method = request.code_challenge_method.as_deref();
    let Some(challenge) = request.code_challenge.clone().filter(|c| !c.is_empty()) else {
        return match method {
            Some(_) => Err("code_challenge_method was sent without a code_challenge.".to_owned()),
            None => Ok(None),
        };
    };
    match method {
        Some("S256") => Ok(Some(PkceChallenge::S256(challenge))),
        None | Some("plain") => Ok(Some(PkceChallenge::Plain(challenge))),
        Some(other) => Err(format!(
            "code_challenge_method {other:?} is not supported: use S256 or plain."
        )),
    }
}
