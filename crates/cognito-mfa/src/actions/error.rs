// SPDX-License-Identifier: Apache-2.0
//! [`ActionError`]: what went wrong with one action, keeping the service's own error code and
//! message, and [`Exception`], the error codes the scenario tells apart.

use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cognitoidentityprovider::config::http::HttpResponse;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};

/// The Amazon Cognito errors the scenario answers differently; each is the exception's name on
/// the wire without a trailing `Exception`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exception {
    AccessDenied,
    CodeMismatch,
    DeviceKeyExists,
    EnableSoftwareTokenMfa,
    ExpiredCode,
    InvalidParameter,
    InvalidPassword,
    LimitExceeded,
    NotAuthorized,
    ResourceNotFound,
    UnrecognizedClient,
    UserNotFound,
    UsernameExists,
}

impl Exception {
    /// The error code as the service sends it.
    pub fn code(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDeniedException",
            Self::CodeMismatch => "CodeMismatchException",
            Self::DeviceKeyExists => "DeviceKeyExistsException",
            Self::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            Self::ExpiredCode => "ExpiredCodeException",
            Self::InvalidParameter => "InvalidParameterException",
            Self::InvalidPassword => "InvalidPasswordException",
            Self::LimitExceeded => "LimitExceededException",
            Self::NotAuthorized => "NotAuthorizedException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::UnrecognizedClient => "UnrecognizedClientException",
            Self::UserNotFound => "UserNotFoundException",
            Self::UsernameExists => "UsernameExistsException",
        }
    }
}

/// What went wrong with one action: the service's own error code and message when the service
/// answered, or why it could not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// The API action, e.g. `SignUp`.
    pub action: &'static str,
    /// The service's error code, e.g. `CodeMismatchException`; `None` when there was no answer.
    pub code: Option<String>,
    pub message: String,
    pub kind: FailureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The service answered with an error.
    Service,
    /// The endpoint could not be reached (down, wrong URL, no network).
    Unreachable,
    /// No AWS credentials could be found.
    Credentials,
    /// The endpoint answered something that is not a Cognito answer, e.g. an emulator that
    /// lacks the operation and answers with an HTTP error page.
    NotUnderstood,
    Other,
}

impl ActionError {
    pub fn is(&self, exception: Exception) -> bool {
        self.code.as_deref() == Some(exception.code())
    }

    pub(crate) fn from_sdk<E>(action: &'static str, error: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        if let SdkError::ServiceError(service) = &error {
            let inner = service.err();
            if let Some(code) = inner.code() {
                return Self {
                    action,
                    code: Some(code.to_owned()),
                    message: inner.message().unwrap_or("no message").to_owned(),
                    kind: FailureKind::Service,
                };
            }
        }
        if let Some(status) = error
            .raw_response()
            .map(|response| response.status().as_u16())
        {
            // An answer, but not Cognito's JSON: typically an emulator without this action.
            return Self {
                action,
                code: None,
                message: format!("the endpoint answered HTTP {status}, not in Cognito's form"),
                kind: FailureKind::NotUnderstood,
            };
        }
        let kind = match &error {
            _ if lacks_credentials(&error) => FailureKind::Credentials,
            SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
                FailureKind::Unreachable
            }
            SdkError::TimeoutError(_) => FailureKind::Unreachable,
            _ => FailureKind::Other,
        };
        Self {
            action,
            code: None,
            message: causes(&error),
            kind,
        }
    }

    pub(crate) fn invalid_input(action: &'static str, message: impl Into<String>) -> Self {
        Self {
            action,
            code: None,
            message: message.into(),
            kind: FailureKind::Other,
        }
    }
}

/// Whether the request was never signed because no credentials could be loaded.
fn lacks_credentials(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |cause| cause.source()).any(|cause| {
        matches!(
            cause.downcast_ref(),
            Some(CredentialsError::CredentialsNotLoaded(_))
        )
    })
}

/// The error and its causes in words, `dispatch failure: io error: Connection refused`: the
/// SDK's own report (`DisplayErrorContext`) ends with a debug dump no person should read.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        let text = cause.to_string();
        if !text.is_empty() && !words.iter().any(|said| said.contains(&text)) {
            words.push(text);
        }
        next = cause.source();
    }
    words.join(": ")
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} failed: {code}: {}", self.action, self.message),
            None => write!(f, "{} failed: {}", self.action, self.message),
        }
    }
}

impl std::error::Error for ActionError {}
