// SPDX-License-Identifier: Apache-2.0
//! RS256 JSON Web Tokens and the JWKS that publishes their keys.

use std::fmt;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

use super::random;

/// An RSA-2048 key that signs one kind of token (ID or access) for one pool.
pub struct SigningKey {
    kid: String,
    key_pair: KeyPair,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Why a token was not accepted. The service turns each into the message the real one gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts of JSON, or not an object.
    Malformed,
    /// Signed with another key (another pool, or the other kind of token), or `alg` is not RS256.
    WrongKey,
    /// The signature does not match the header and payload.
    BadSignature,
}

impl SigningKey {
    pub fn generate() -> Self {
        let key_pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA-2048 key generation");
        Self {
            kid: STANDARD.encode(random::bytes::<32>()),
            key_pair,
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half as one entry of a JWKS.
    pub fn jwk(&self) -> Value {
        let public = self.key_pair.public_key();
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "use": "sig",
        })
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let mut token = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        self.key_pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .expect("RS256 signing with a valid key");
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        token
    }

    /// A value only the holder of this key can compute, the same for the same `label` every
    /// time and across restarts (PKCS#1 v1.5 signatures are deterministic): stable secrets,
    /// such as the salt shown for a user who does not exist, without storing anything more.
    pub fn derive(&self, label: &str) -> [u8; 32] {
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        self.key_pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                label.as_bytes(),
                &mut signature,
            )
            .expect("RS256 signing with a valid key");
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &signature);
        let mut derived = [0u8; 32];
        derived.copy_from_slice(digest.as_ref());
        derived
    }

    /// The claims of a token this key signed.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header = decode_object(header)?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256")
            || header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str())
        {
            return Err(TokenError::WrongKey);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        let signed_len = token.len() - token.rsplit('.').next().map_or(0, str::len) - 1;
        UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            self.key_pair.public_key().as_ref(),
        )
        .verify(&token.as_bytes()[..signed_len], &signature)
        .map_err(|_| TokenError::BadSignature)?;
        decode_object(payload)
    }
}

/// A key as the data directory keeps it: its id and its PKCS#8 DER, in base64.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    kid: String,
    pkcs8: Zeroizing<String>,
}

impl Serialize for SigningKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let der: Pkcs8V1Der<'static> = self
            .key_pair
            .as_der()
            .map_err(|_| serde::ser::Error::custom("the RSA key cannot be encoded"))?;
        StoredKey {
            kid: self.kid.clone(),
            pkcs8: Zeroizing::new(STANDARD.encode(der.as_ref())),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SigningKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredKey::deserialize(deserializer)?;
        let der = Zeroizing::new(
            STANDARD
                .decode(stored.pkcs8.as_bytes())
                .map_err(serde::de::Error::custom)?,
        );
        let key_pair = KeyPair::from_pkcs8(&der)
            .map_err(|e| serde::de::Error::custom(format!("not an RSA key: {e}")))?;
        Ok(Self {
            kid: stored.kid,
            key_pair,
        })
    }
}

fn decode_object(part: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(TokenError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tamper_payload(token: &str, claims: &Value) -> String {
        let parts: Vec<&str> = token.split('.').collect();
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            parts[2]
        )
    }

    #[test]
    fn verifies_its_own_tokens_and_refuses_forgeries() {
        let key = SigningKey::generate();
        let other = SigningKey::generate();
        let claims = json!({ "sub": "abc", "token_use": "access" });
        let token = key.sign(&claims);
        assert_eq!(Value::Object(key.verify(&token).unwrap()), claims);

        assert_eq!(other.verify(&token), Err(TokenError::WrongKey));
        let forged = tamper_payload(&token, &json!({ "sub": "mallory", "token_use": "access" }));
        assert_eq!(key.verify(&forged), Err(TokenError::BadSignature));

        let none_header =
            URL_SAFE_NO_PAD.encode(json!({ "alg": "none", "kid": key.kid() }).to_string());
        let unsigned = format!(
            "{none_header}.{}.",
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        assert_eq!(key.verify(&unsigned), Err(TokenError::WrongKey));
        assert_eq!(key.verify("a.b"), Err(TokenError::Malformed));
        assert_eq!(key.verify("!!.!!.!!"), Err(TokenError::Malformed));
    }

    #[test]
    fn a_stored_key_signs_and_verifies_as_the_original() {
        let key = SigningKey::generate();
        let stored = serde_json::to_string(&key).unwrap();
        let restored: SigningKey = serde_json::from_str(&stored).unwrap();
        assert_eq!(restored.jwk(), key.jwk());
        let claims = json!({ "sub": "abc" });
        assert_eq!(
            Value::Object(key.verify(&restored.sign(&claims)).unwrap()),
            claims
        );
        assert_eq!(
            Value::Object(restored.verify(&key.sign(&claims)).unwrap()),
            claims
        );
        assert!(serde_json::from_str::<SigningKey>(r#"{"kid":"k","pkcs8":"AAAA"}"#).is_err());
    }

    #[test]
    fn derived_values_are_stable_per_key_and_label() {
        let key = SigningKey::generate();
        assert_eq!(key.derive("a"), key.derive("a"));
        assert_ne!(key.derive("a"), key.derive("b"));
        assert_ne!(key.derive("a"), SigningKey::generate().derive("a"));
        let stored: SigningKey =
            serde_json::from_value(serde_json::to_value(&key).unwrap()).unwrap();
        assert_eq!(stored.derive("a"), key.derive("a"), "survives a restart");
    }

    #[test]
    fn jwk_publishes_the_rsa_public_key() {
        let key = SigningKey::generate();
        let jwk = key.jwk();
        assert_eq!(jwk["kid"], key.kid());
        assert_eq!(jwk["e"], "AQAB");
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(jwk["n"].as_str().unwrap())
                .unwrap()
                .len(),
            256
        );
    }
}
