// SPDX-License-Identifier: Apache-2.0
//! `POST /oauth2/revoke`: RevokeToken behind the domain, with the client authenticated as at
//! the token endpoint.

use zeroize::Zeroizing;

use super::client_auth::{ClientCredentials, authenticate_client};
use super::{OAuthError, OAuthErrorKind};
use crate::service::sign_out::RevokeTokenRequest;
use crate::service::{Service, ServiceError};

impl Service {
    /// Revokes a refresh token of the client, with every token issued from its sign-in. A
    /// token that names nothing is revoked already, as RFC 7009 answers it.
    pub fn oauth_revoke(
        &self,
        domain: &str,
        credentials: &ClientCredentials,
        token: Option<Zeroizing<String>>,
    ) -> Result<(), OAuthError> {
        let pool = self
            .pool_of_domain(domain)
            .ok_or_else(|| OAuthError::domain_gone(domain))?;
        let token = token
            .filter(|token| !token.is_empty())
            .ok_or_else(|| OAuthError::missing("token"))?;
        let authenticated = authenticate_client(&pool.lock(), credentials)?;
        let request = RevokeTokenRequest {
            token,
            client_id: authenticated.client.id.clone(),
            client_secret: authenticated.secret,
        };
        self.revoke_token(request)
            .map(|_| ())
            .map_err(revoke_refusal)
    }
}

fn revoke_refusal(error: ServiceError) -> OAuthError {
    let kind = match error.code {
        "UnsupportedTokenTypeException" => OAuthErrorKind::UnsupportedTokenType,
        _ if error.is_internal() => OAuthErrorKind::ServerError,
        // Revocation turned off for the client, or a token of another client.
        _ => OAuthErrorKind::InvalidRequest,
    };
    let description = match error.code {
        "UnsupportedOperationException" => format!(
            "{} Turn it on with UpdateUserPoolClient EnableTokenRevocation.",
            error.message
        ),
        _ => error.message,
    };
    OAuthError::new(kind, description)
}
