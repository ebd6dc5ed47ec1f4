// SPDX-License-Identifier: Apache-2.0
//! Password verifiers: what ConfirmDevice sends for a new device, and what a server stores for a
//! user password. Both are v = g^x mod N with a random salt.

use std::fmt;

use crypto_bigint::U256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::SrpError;
use crate::encoding::{bytes_from_base64, number_to_hex, random_bytes, to_base64};
use crate::group::{Element, element_bytes, element_from_bytes, group, pad, public_element};
use crate::proof::{Identity, private_x};

const DEVICE_PASSWORD_BYTES: usize = 40;
const SALT_BYTES: usize = 16;

/// A salt and the verifier v = g^x mod N derived from a password: what a server keeps instead
/// of the password.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordVerifier {
    /// Already in the PAD form that goes into x.
    salt: Vec<u8>,
    verifier: Element,
}

impl fmt::Debug for PasswordVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordVerifier")
            .field("salt", &self.salt_hex())
            .finish_non_exhaustive()
    }
}

impl PasswordVerifier {
    /// Derives the verifier for `password` with a fresh 16-byte random salt.
    pub fn generate(identity: &Identity, password: &str) -> Result<Self, SrpError> {
        Ok(Self::derive(
            identity,
            password,
            random_bytes::<SALT_BYTES>()?.as_slice(),
        ))
    }

    /// Derives the verifier for `password` with the salt given (big-endian bytes, read as a number).
    pub fn derive(identity: &Identity, password: &str, salt: &[u8]) -> Self {
        let salt = pad(salt);
        let x = private_x(&salt, identity, password);
        let verifier = group().pow_g(&*x, U256::BITS).retrieve();
        Self { salt, verifier }
    }

    /// Whether `password` is the one this verifier was derived from, compared in constant time.
    /// Lets a server that keeps only verifiers check a plain password (USER_PASSWORD_AUTH).
    pub fn matches(&self, identity: &Identity, password: &str) -> bool {
        let candidate = Self::derive(identity, password, &self.salt);
        bool::from(element_bytes(&candidate.verifier).ct_eq(&element_bytes(&self.verifier)))
    }

    /// Reads the `DeviceSecretVerifierConfig` of a ConfirmDevice request (or a stored verifier).
    pub fn from_base64(salt: &str, password_verifier: &str) -> Result<Self, SrpError> {
        let salt_bytes = bytes_from_base64("Salt", salt)?;
        if salt_bytes.is_empty() {
            return Err(SrpError::InvalidBase64 { field: "Salt" });
        }
        let verifier_bytes = bytes_from_base64("PasswordVerifier", password_verifier)?;
        let verifier = element_from_bytes("PasswordVerifier", &verifier_bytes)?;
        let verifier = public_element("PasswordVerifier", &verifier)?.retrieve();
        Ok(Self {
            salt: pad(&salt_bytes),
            verifier,
        })
    }

    /// `SALT` as the challenge parameters carry it: hexadecimal.
    pub fn salt_hex(&self) -> String {
        number_to_hex(&self.salt)
    }

    /// `Salt` of a `DeviceSecretVerifierConfig`: base64 of the PAD bytes.
    pub fn salt_base64(&self) -> String {
        to_base64(&self.salt)
    }

    /// `PasswordVerifier` of a `DeviceSecretVerifierConfig`: base64 of PAD(v).
    pub fn verifier_base64(&self) -> String {
        to_base64(&pad(&element_bytes(&self.verifier)))
    }

    pub(crate) fn verifier(&self) -> &Element {
        &self.verifier
    }
}

/// A remembered device's secret: the random device password the client keeps, and the
/// `DeviceSecretVerifierConfig` that ConfirmDevice sends.
pub struct DeviceSecret {
    device_password: Zeroizing<String>,
    verifier: PasswordVerifier,
}

impl fmt::Debug for DeviceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSecret")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

impl DeviceSecret {
    /// A fresh device password (base64 of 40 random bytes) and salt (16 random bytes), as the
    /// AWS JavaScript library makes them for ConfirmDevice.
    pub fn generate(identity: &Identity) -> Result<Self, SrpError> {
        let password = random_bytes::<DEVICE_PASSWORD_BYTES>()?;
        let salt = random_bytes::<SALT_BYTES>()?;
        Ok(Self::from_random_bytes(identity, &password, &salt))
    }

    /// The same from given random bytes: for tests and known-answer vectors.
    pub fn from_random_bytes(
        identity: &Identity,
        password_bytes: &[u8; DEVICE_PASSWORD_BYTES],
        salt_bytes: &[u8; SALT_BYTES],
    ) -> Self {
        let device_password = Zeroizing::new(to_base64(password_bytes));
        let verifier = PasswordVerifier::derive(identity, &device_password, salt_bytes);
        Self {
            device_password,
            verifier,
        }
    }

    /// The device password: keep it secret with the device key; the device signs in with it.
    pub fn device_password(&self) -> &str {
        &self.device_password
    }

    /// What ConfirmDevice sends as `DeviceSecretVerifierConfig`.
    pub fn verifier(&self) -> &PasswordVerifier {
        &self.verifier
    }
}
