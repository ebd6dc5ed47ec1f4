// SPDX-License-Identifier: Apache-2.0
//! The errors of the OAuth 2.0 endpoints: RFC 6749's codes (5.2), RFC 6750's `invalid_token`
//! and RFC 7009's `unsupported_token_type`, each with a description that says what to do.

/// Which error: the wire picks the status from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorKind {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    UnsupportedTokenType,
    InvalidToken,
    /// Not the caller's fault: the change could not be saved.
    ServerError,
}

impl OAuthErrorKind {
    /// The `error` value on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::InvalidToken => "invalid_token",
            Self::ServerError => "server_error",
        }
    }
}

/// An error of the token, userInfo or revoke endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub kind: OAuthErrorKind,
    /// `error_description`: printable ASCII, as RFC 6749 allows, and never a secret.
    pub description: String,
}

impl OAuthError {
    pub fn new(kind: OAuthErrorKind, description: impl Into<String>) -> Self {
        Self {
            kind,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::InvalidRequest, description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::InvalidClient, description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::InvalidGrant, description)
    }

    pub fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::UnauthorizedClient, description)
    }

    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::InvalidScope, description)
    }

    pub fn invalid_token(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::InvalidToken, description)
    }

    /// A required parameter that is missing or empty.
    pub fn missing(name: &str) -> Self {
        Self::invalid_request(format!("The request has no {name} parameter."))
    }

    /// The domain's pool was deleted while the request was under way.
    pub fn domain_gone(domain: &str) -> Self {
        Self::invalid_request(format!(
            "No user pool has the domain {domain}: create it with CreateUserPoolDomain."
        ))
    }
}
