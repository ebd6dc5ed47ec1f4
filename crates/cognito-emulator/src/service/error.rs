// SPDX-License-Identifier: Apache-2.0
use std::fmt;

/// An error as the service reports it: the exception name (`__type`) and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub code: &'static str,
    pub message: String,
}

impl ServiceError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Whether this is the service's fault (HTTP 500) rather than the caller's (400).
    pub fn is_internal(&self) -> bool {
        self.code == "InternalErrorException"
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }

    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    pub fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::resource_not_found(format!("User pool {pool_id} does not exist."))
    }

    pub fn client_not_found(client_id: &str) -> Self {
        Self::resource_not_found(format!("User pool client {client_id} does not exist."))
    }

    pub fn device_not_found() -> Self {
        Self::resource_not_found("Device does not exist.")
    }

    pub fn missing_parameter(name: &str) -> Self {
        Self::invalid_parameter(format!("Missing required parameter {name}"))
    }

    pub fn invalid_session() -> Self {
        Self::not_authorized("Invalid session for the user.")
    }

    pub fn expired_session() -> Self {
        Self::not_authorized("Invalid session for the user, session is expired.")
    }

    pub fn incorrect_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    pub fn secret_hash_mismatch(client_id: &str) -> Self {
        Self::not_authorized(format!(
            "Unable to verify secret hash for client {client_id}"
        ))
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", message)
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}

pub type ServiceResult<T> = Result<T, ServiceError>;
