// SPDX-License-Identifier: Apache-2.0
//! Checking the tokens a sign-in returns as an API behind Cognito would: the RS256 signature
//! against the pool's published keys (JWKS), then issuer, audience, use and expiry.

use std::fmt;

use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
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

/// Why a token was refused; `token` is "ID" or "access".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Malformed(&'static str),
    NotRs256(&'static str),
    UnknownKey(&'static str),
    BadSignature(&'static str),
    MissingClaim {
        token: &'static str,
        claim: String,
    },
    WrongClaim {
        token: &'static str,
        claim: &'static str,
        expected: String,
    },
    Expired(&'static str),
    Keys(FetchError),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(token) => write!(f, "the {token} token is not a signed JWT"),
            Self::NotRs256(token) => write!(f, "the {token} token is not signed with RS256"),
            Self::UnknownKey(token) => {
                write!(
                    f,
                    "the {token} token's kid names no usable key in the pool's JWKS"
                )
            }
            Self::BadSignature(token) => write!(f, "the {token} token's signature does not verify"),
            Self::MissingClaim { token, claim } => {
                write!(f, "the {token} token has no {claim} claim")
            }
            Self::WrongClaim {
                token,
                claim,
                expected,
            } => write!(f, "the {token} token's {claim} is not {expected:?}"),
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
    let jwks: JwkSet = serde_json::from_value(jwks)
        .map_err(|e| TokenError::Keys(FetchError(format!("it is not a JWKS ({e})"))))?;
    let expected = Expected {
        issuer,
        client_id,
        now_unix_seconds,
    };
    Ok(VerifiedTokens {
        id: expected.check(&jwks, TokenUse::Id, id_token)?,
        access: expected.check(&jwks, TokenUse::Access, access_token)?,
    })
}

/// The two kinds of token a sign-in returns; their `token_use` claim says which is which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    fn name(self) -> &'static str {
        match self {
            Self::Id => "ID",
            Self::Access => "access",
        }
    }

    fn claim(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

/// What every token of one sign-in must say.
struct Expected<'a> {
    issuer: &'a str,
    client_id: &'a str,
    now_unix_seconds: i64,
}

impl Expected<'_> {
    fn check(&self, jwks: &JwkSet, kind: TokenUse, token: &str) -> Result<Claims, TokenError> {
        let name = kind.name();
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed(name))?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| jwks.find(kid))
            .and_then(|jwk| DecodingKey::from_jwk(jwk).ok())
            .ok_or(TokenError::UnknownKey(name))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[self.issuer]);
        // The caller's clock decides expiry (below), so that tests can fix the time.
        validation.validate_exp = false;
        match kind {
            TokenUse::Id => {
                validation.set_audience(&[self.client_id]);
                validation.set_required_spec_claims(&["exp", "iss", "aud"]);
            }
            // An access token names the app client in `client_id`, and has no `aud`.
            TokenUse::Access => {
                validation.validate_aud = false;
                validation.set_required_spec_claims(&["exp", "iss"]);
            }
        }
        let claims = jsonwebtoken::decode(token, &key, &validation)
            .map(|data| Claims(data.claims))
            .map_err(|error| self.refusal(name, &error))?;
        expect(name, &claims, "token_use", kind.claim())?;
        if kind == TokenUse::Access {
            expect(name, &claims, "client_id", self.client_id)?;
        }
        if claims
            .number("exp")
            .is_none_or(|exp| exp <= self.now_unix_seconds)
        {
            return Err(TokenError::Expired(name));
        }
        Ok(claims)
    }

    fn refusal(&self, token: &'static str, error: &JwtError) -> TokenError {
        let wrong = |claim, expected: &str| TokenError::WrongClaim {
            token,
            claim,
            expected: expected.to_owned(),
        };
        match error.kind() {
            ErrorKind::InvalidAlgorithm => TokenError::NotRs256(token),
            ErrorKind::InvalidSignature => TokenError::BadSignature(token),
            ErrorKind::InvalidIssuer => wrong("iss", self.issuer),
            ErrorKind::InvalidAudience => wrong("aud", self.client_id),
            ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim {
                token,
                claim: claim.clone(),
            },
            _ => TokenError::Malformed(token),
        }
    }
}

fn expect(
    token: &'static str,
    claims: &Claims,
    claim: &'static str,
    expected: &str,
) -> Result<(), TokenError> {
    if claims.text(claim) == Some(expected) {
        Ok(())
    } else {
        Err(TokenError::WrongClaim {
            token,
            claim,
            expected: expected.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    use super::*;

    /// An RSA-2048 key that signs RS256 tokens naming it by `kid`, as a pool's keys do.
    struct SigningKey {
        kid: String,
        private: EncodingKey,
    }

    impl SigningKey {
        fn generate() -> Self {
            let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
            let pkcs8: Pkcs8V1Der<'static> = pair.as_der().unwrap();
            Self {
                kid: format!("test-{}", crate::random::name_suffix(12)),
                private: EncodingKey::from_rsa_der(rsa_private_key(pkcs8.as_ref())),
            }
        }

        fn kid(&self) -> &str {
            &self.kid
        }

        /// The public half, as the pool's JWKS lists it.
        fn jwk(&self) -> Jwk {
            let mut jwk = Jwk::from_encoding_key(&self.private, Algorithm::RS256).unwrap();
            jwk.common.key_id = Some(self.kid.clone());
            jwk.common.public_key_use = Some(PublicKeyUse::Signature);
            jwk
        }

        fn sign(&self, claims: &Value) -> String {
            let header = Header {
                kid: Some(self.kid.clone()),
                ..Header::new(Algorithm::RS256)
            };
            jsonwebtoken::encode(&header, claims, &self.private).unwrap()
        }
    }

    /// The PKCS #1 RSAPrivateKey that jsonwebtoken signs with, taken out of the PKCS #8
    /// PrivateKeyInfo aws-lc-rs exports: SEQUENCE { INTEGER version, SEQUENCE algorithm,
    /// OCTET STRING { RSAPrivateKey } }.
    fn rsa_private_key(pkcs8: &[u8]) -> &[u8] {
        // The tag of the DER element `der` starts with, and where its contents start and end.
        fn element(der: &[u8]) -> (u8, usize, usize) {
            let (tag, short_length) = (der[0], der[1]);
            if short_length < 0x80 {
                return (tag, 2, 2 + usize::from(short_length));
            }
            let octets = usize::from(short_length & 0x7f);
            let length = der[2..2 + octets]
                .iter()
                .fold(0, |length, &octet| length << 8 | usize::from(octet));
            (tag, 2 + octets, 2 + octets + length)
        }
        let (tag, start, _) = element(pkcs8);
        assert_eq!(tag, 0x30, "PrivateKeyInfo is a SEQUENCE");
        let mut rest = &pkcs8[start..];
        for skipped in [0x02, 0x30] {
            let (tag, _, end) = element(rest);
            assert_eq!(tag, skipped);
            rest = &rest[end..];
        }
        let (tag, start, end) = element(rest);
        assert_eq!(tag, 0x04, "the private key is an OCTET STRING");
        &rest[start..end]
    }

    const ISSUER: &str = "http://127.0.0.1:9229/us-east-1_Test";
    const CLIENT_ID: &str = "the-app-client";
    const NOW: i64 = 1_700_000_000;

    const EXPECTED: Expected<'static> = Expected {
        issuer: ISSUER,
        client_id: CLIENT_ID,
        now_unix_seconds: NOW,
    };

    fn jwks(keys: &[&SigningKey]) -> JwkSet {
        JwkSet {
            keys: keys.iter().map(|key| key.jwk()).collect(),
        }
    }

    fn id_claims() -> Value {
        json!({ "iss": ISSUER, "aud": CLIENT_ID, "token_use": "id", "exp": NOW + 3600, "sub": "abc" })
    }

    fn access_claims() -> Value {
        json!({ "iss": ISSUER, "client_id": CLIENT_ID, "token_use": "access", "exp": NOW + 3600 })
    }

    fn with(mut claims: Value, name: &str, value: Value) -> Value {
        claims[name] = value;
        claims
    }

    fn base64_json(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

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
    fn tokens_signed_with_a_key_of_the_jwks_verify() {
        let (key, other) = (SigningKey::generate(), SigningKey::generate());
        let jwks = jwks(&[&other, &key]);
        let id = EXPECTED.check(&jwks, TokenUse::Id, &key.sign(&id_claims()));
        assert_eq!(id.unwrap().text("sub"), Some("abc"));
        let access = EXPECTED.check(&jwks, TokenUse::Access, &key.sign(&access_claims()));
        assert_eq!(access.unwrap().number("exp"), Some(NOW + 3600));
    }

    #[test]
    fn claims_for_another_client_pool_or_use_or_time_are_refused() {
        let key = SigningKey::generate();
        let jwks = jwks(&[&key]);
        let check = |kind, claims: Value| EXPECTED.check(&jwks, kind, &key.sign(&claims));
        let wrong = |token, claim, expected: &str| {
            Err(TokenError::WrongClaim {
                token,
                claim,
                expected: expected.to_owned(),
            })
        };
        let id = |name, value| check(TokenUse::Id, with(id_claims(), name, value));
        let access = |name, value| check(TokenUse::Access, with(access_claims(), name, value));
        assert_eq!(
            id("aud", json!("another-client")),
            wrong("ID", "aud", CLIENT_ID)
        );
        assert_eq!(
            access("client_id", json!("another-client")),
            wrong("access", "client_id", CLIENT_ID)
        );
        assert_eq!(
            id("iss", json!("https://elsewhere")),
            wrong("ID", "iss", ISSUER)
        );
        assert_eq!(
            id("token_use", json!("access")),
            wrong("ID", "token_use", "id")
        );
        assert_eq!(id("exp", json!(NOW)), Err(TokenError::Expired("ID")));
        assert_eq!(
            access("exp", json!(NOW - 1)),
            Err(TokenError::Expired("access"))
        );
        assert!(id("exp", json!(NOW + 1)).is_ok());
        // An access token has no `aud`: it cannot pass for an ID token.
        assert_eq!(
            check(TokenUse::Id, access_claims()),
            Err(TokenError::MissingClaim {
                token: "ID",
                claim: "aud".to_owned()
            })
        );
    }

    #[test]
    fn refuses_what_is_not_a_jwt_signed_by_the_pool() {
        let key = SigningKey::generate();
        let jwks = jwks(&[&key]);
        let check = |token: &str| EXPECTED.check(&jwks, TokenUse::Id, token);
        assert_eq!(check("abc"), Err(TokenError::Malformed("ID")));
        let claims = base64_json(&id_claims());
        // jsonwebtoken does not know `none` at all: such a header does not even parse.
        let none = base64_json(&json!({ "alg": "none", "kid": key.kid() }));
        assert_eq!(
            check(&format!("{none}.{claims}.")),
            Err(TokenError::Malformed("ID"))
        );
        let hs256 = base64_json(&json!({ "alg": "HS256", "kid": key.kid() }));
        assert_eq!(
            check(&format!("{hs256}.{claims}.AAAA")),
            Err(TokenError::NotRs256("ID"))
        );
        let unknown = SigningKey::generate().sign(&id_claims());
        assert_eq!(check(&unknown), Err(TokenError::UnknownKey("ID")));
        let signed = key.sign(&id_claims());
        let parts: Vec<&str> = signed.split('.').collect();
        let forged = base64_json(&with(id_claims(), "sub", json!("mallory")));
        assert_eq!(
            check(&format!("{}.{forged}.{}", parts[0], parts[2])),
            Err(TokenError::BadSignature("ID"))
        );
    }
}
