// SPDX-License-Identifier: Apache-2.0
//! Amazon Cognito's variant of SRP-6a (Secure Remote Password), both halves, with no I/O.
//!
//! Cognito signs users in with SRP (`USER_SRP_AUTH`, then `PASSWORD_VERIFIER`) and remembered
//! devices the same way (`DEVICE_SRP_AUTH`, then `DEVICE_PASSWORD_VERIFIER`). This crate computes
//! what a client sends at each step ([`SrpClient`]), the verifier a client registers with
//! `ConfirmDevice` ([`DeviceSecret`]), and the server's side of the exchange ([`SrpServer`],
//! [`PasswordVerifier`]), byte for byte as the AWS JavaScript library and pycognito do.
//!
//! The group is the 3072-bit prime of RFC 5054 with g = 2 and H = SHA-256. Numbers are hashed in
//! Java's `BigInteger` encoding (minimal bytes, plus a 0x00 when the top bit is set), TIMESTAMP is
//! `Tue Jan 2 03:04:05 UTC 2024` with the day not padded, and a pool's SRP name is the part of its
//! id after `_`. Arithmetic is constant-time; private values are wiped from memory when dropped.
//!
//! # A remembered device, end to end
//!
//! ```
//! use cognito_srp::{DeviceSecret, Identity, PasswordVerifierChallenge, SrpClient, SrpServer};
//!
//! # fn main() -> Result<(), cognito_srp::SrpError> {
//! // NewDeviceMetadata from a sign-in result names the device.
//! let device = Identity::device("-abcDEF12", "us-east-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789")?;
//!
//! // ConfirmDevice: keep the password, send the verifier and salt.
//! let secret = DeviceSecret::generate(&device)?;
//! let config = secret.verifier();
//! let (salt, password_verifier) = (config.salt_base64(), config.verifier_base64());
//!
//! // Later, InitiateAuth with DEVICE_KEY meets DEVICE_SRP_AUTH; answer with SRP_A.
//! let client = SrpClient::new()?;
//! let srp_a = client.srp_a();
//!
//! // The service picks b and answers DEVICE_PASSWORD_VERIFIER with SRP_B, SALT, SECRET_BLOCK.
//! let stored = cognito_srp::PasswordVerifier::from_base64(&salt, &password_verifier)?;
//! let server = SrpServer::new(&stored)?;
//! let srp_b = server.srp_b();
//! let challenge = PasswordVerifierChallenge {
//!     srp_b: &srp_b,
//!     salt: &stored.salt_hex(),
//!     secret_block: "c2VjcmV0IGJsb2Nr",
//! };
//!
//! // The device proves it knows its password without sending it.
//! let claim = client.password_claim(&device, secret.device_password(), &challenge)?;
//! server.verify_claim(
//!     &device,
//!     &srp_a,
//!     &claim.secret_block,
//!     &claim.timestamp,
//!     &claim.signature,
//! )?;
//! # Ok(())
//! # }
//! ```

mod client;
mod encoding;
mod error;
mod group;
mod montgomery;
mod proof;
pub mod secret_hash;
mod server;
mod timestamp;
mod verifier;

pub use client::{PasswordClaim, PasswordVerifierChallenge, SrpClient};
pub use error::SrpError;
pub use proof::Identity;
pub use server::SrpServer;
pub use timestamp::Timestamp;
pub use verifier::{DeviceSecret, PasswordVerifier};

// Lets the shared test helpers in tests/common name this crate the way integration tests do.
#[cfg(test)]
extern crate self as cognito_srp;
#[cfg(test)]
mod known_answers;
