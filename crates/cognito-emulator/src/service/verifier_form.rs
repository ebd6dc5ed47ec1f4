// SPDX-License-Identifier: Apache-2.0
//! How a password verifier is kept in the data directory: its salt and value in base64, never
//! the password. Used by the model's `#[serde(with = ...)]` attributes.

use cognito_srp::PasswordVerifier;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A password verifier as its salt and value in base64, the form ConfirmDevice sends.
#[derive(Serialize, Deserialize)]
struct StoredVerifier {
    salt: String,
    verifier: String,
}

impl From<&PasswordVerifier> for StoredVerifier {
    fn from(verifier: &PasswordVerifier) -> Self {
        Self {
            salt: verifier.salt_base64(),
            verifier: verifier.verifier_base64(),
        }
    }
}

impl StoredVerifier {
    fn restore<E: serde::de::Error>(self) -> Result<PasswordVerifier, E> {
        PasswordVerifier::from_base64(&self.salt, &self.verifier).map_err(E::custom)
    }
}

/// `#[serde(with = "verifier")]`
pub mod verifier {
    use super::*;

    pub fn serialize<S: Serializer>(
        verifier: &PasswordVerifier,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        StoredVerifier::from(verifier).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<PasswordVerifier, D::Error> {
        StoredVerifier::deserialize(deserializer)?.restore()
    }
}

/// `#[serde(with = "optional_verifier")]`
pub mod optional_verifier {
    use super::*;

    pub fn serialize<S: Serializer>(
        verifier: &Option<PasswordVerifier>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        verifier
            .as_ref()
            .map(StoredVerifier::from)
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<PasswordVerifier>, D::Error> {
        Option::<StoredVerifier>::deserialize(deserializer)?
            .map(StoredVerifier::restore)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use crate::service::model::User;
    use cognito_srp::Identity;

    #[test]
    fn a_stored_user_keeps_the_password_it_was_made_with() {
        let identity = Identity::user("us-east-1_Test12345", "alice").unwrap();
        for salt in [[0x00u8; 16], [0xffu8; 16], [0x5au8; 16]] {
            let mut user = User::for_test("alice", &[("email", "a@example.com")]);
            user.verifier = cognito_srp::PasswordVerifier::derive(&identity, "Pa55word!", &salt);
            let stored = serde_json::to_string(&user).unwrap();
            assert!(!stored.contains("Pa55word!"));
            let restored: User = serde_json::from_str(&stored).unwrap();
            assert!(restored.verifier.matches(&identity, "Pa55word!"));
            assert!(!restored.verifier.matches(&identity, "Pa55word?"));
            assert_eq!(restored.verifier.salt_hex(), user.verifier.salt_hex());
            assert_eq!(restored.attributes, user.attributes);
        }
    }
}
