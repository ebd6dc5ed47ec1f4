// SPDX-License-Identifier: Apache-2.0
//! Checking the tokens a sign-in returns as an API behind Cognito would: the RS256 signature
//! against the pool's published keys (JWKS), then issuer, audience, use and expiry.

use std::fmt;

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::http::{FetchError, JsonClient};

/// The claims of a verified token.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims(pub Map<String, Value>);

impl Claims {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    pub fn number(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Value::as_i64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedTokens {
    pub id: Claims,
    pub access: Claims,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Malformed(&'static str),
    UnknownKey(&'static str),
    BadSignature(&'static str),
    Claim {
        token: &'static str,
        claim: &'static str,
        expected: String,
        found: String,
    },
    Expired(&'static str),
    Keys(FetchError),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(token) => write!(f, "the {token} token is not a JWT"),
            Self::UnknownKey(token) => {
                write!(f, "the {token} token's key is not in the pool's JWKS")
            }
            Self::BadSignature(token) => write!(f, "the {token} token's signature does not verify"),
            Self::Claim {
                token,
                claim,
                expected,
                found,
            } => {
                write!(
                    f,
                    "the {token} token's {claim} is {found:?}, expected {expected:?}"
                )
            }
            Self::Expired(token) => write!(f, "the {token} token has expired"),
            Self::Keys(error) => write!(f, "cannot read the pool's JWKS: {error}"),
        }
    }
}

impl std::error::Error for TokenError {}

/// Where a pool's tokens come from: `https://cognito-idp.<region>.amazonaws.com/<pool id>` on
/// AWS, `<endpoint>/<pool id>` on the emulator. Its JWKS is at `<issuer>/.well-known/jwks.json`.
pub fn issuer(endpoint: Option<&str>, region: &str, user_pool_id: &str) -> String {
    match endpoint {
        Some(endpoint) => format!("{}/{user_pool_id}", endpoint.trim_end_matches('/')),
        None => format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"),
    }
}

/// Verifies an ID token and an access token of one sign-in.
pub async fn verify(
    http: &JsonClient,
    issuer: &str,
    client_id: &str,
    id_token: &str,
    access_token: &str,
    now_unix_seconds: i64,
) -> Result<VerifiedTokens, TokenError> {
    let jwks = http
        .get(&format!("{issuer}/.well-known/jwks.json"))
        .await
        .map_err(TokenError::Keys)?;
    let id = verify_one(&jwks, "ID", id_token)?;
    let access = verify_one(&jwks, "access", access_token)?;
    for (token, claims, expected_use) in [("ID", &id, "id"), ("access", &access, "access")] {
        expect(token, claims, "iss", issuer)?;
        expect(token, claims, "token_use", expected_use)?;
        if claims
            .number("exp")
            .is_none_or(|exp| exp <= now_unix_seconds)
        {
            return Err(TokenError::Expired(token));
        }
    }
    expect("ID", &id, "aud", client_id)?;
    expect("access", &access, "client_id", client_id)?;
    Ok(VerifiedTokens { id, access })
}

fn expect(
    token: &'static str,
    claims: &Claims,
    claim: &'static str,
    expected: &str,
) -> Result<(), TokenError> {
    let found = claims.text(claim).unwrap_or_default();
    if found == expected {
        Ok(())
    } else {
        Err(TokenError::Claim {
            token,
            claim,
            expected: expected.to_owned(),
            found: found.to_owned(),
        })
    }
}

fn decode_part(token_kind: &'static str, part: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed(token_kind))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TokenError::Malformed(token_kind)),
    }
}

fn verify_one(jwks: &Value, kind: &'static str, token: &str) -> Result<Claims, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(TokenError::Malformed(kind));
    };
    let header = decode_part(kind, header)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(TokenError::BadSignature(kind));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let key = jwks
        .get("keys")
        .and_then(Value::as_array)
        .and_then(|keys| {
            keys.iter()
                .find(|key| key.get("kid").and_then(Value::as_str) == kid)
        })
        .ok_or(TokenError::UnknownKey(kind))?;
    let component = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
            .ok_or(TokenError::UnknownKey(kind))
    };
    let (n, e) = (component("n")?, component("e")?);
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed(kind))?;
    let signed = &token[..token.len() - parts[2].len() - 1];
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .map_err(|_| TokenError::BadSignature(kind))?;
    Ok(Claims(decode_part(kind, payload)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_follow_where_the_pool_lives() {
        assert_eq!(
            issuer(None, "eu-west-1", "eu-west-1_AbC123xyZ"),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ"
        );
        assert_eq!(
            issuer(Some("http://127.0.0.1:9229/"), "us-east-1", "us-east-1_X"),
            "http://127.0.0.1:9229/us-east-1_X"
        );
    }

    #[test]
    fn refuses_what_is_not_a_signed_jwt() {
        let jwks = serde_json::json!({ "keys": [] });
        assert_eq!(
            verify_one(&jwks, "ID", "abc"),
            Err(TokenError::Malformed("ID"))
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#)
        );
        assert_eq!(
            verify_one(&jwks, "ID", &none),
            Err(TokenError::BadSignature("ID"))
        );
        let unknown = format!(
            "{}.{}.AAAA",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#)
        );
        assert_eq!(
            verify_one(&jwks, "ID", &unknown),
            Err(TokenError::UnknownKey("ID"))
        );
    }
}
