// SPDX-License-Identifier: Apache-2.0
//! The client half: SRP_A for USER_SRP_AUTH / DEVICE_SRP_AUTH, then the password claim that
//! answers PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER.

use std::fmt;

use crypto_bigint::{U256, U1024, Uint};
use hmac::Mac;
use zeroize::Zeroizing;

use crate::encoding::{bytes_from_base64, bytes_from_hex, number_to_hex, random_bytes, to_base64};
use crate::group::{Element, element_bytes, element_from_bytes, group, pad, public_element};
use crate::proof::{Identity, claim_mac, private_x, scrambler, session_key};
use crate::{SrpError, Timestamp};

/// Bytes of the private value `a`, as the AWS libraries draw it.
pub(crate) const PRIVATE_KEY_BYTES: usize = 128;
/// a + u·x: 1024 bits plus a 512-bit product, so at most 1025 bits.
type Exponent = Uint<{ U1024::LIMBS + 1 }>;
const EXPONENT_BITS: u32 = 1025;

/// What the service sends with PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER, as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordVerifierChallenge<'a> {
    /// `SRP_B`, hexadecimal.
    pub srp_b: &'a str,
    /// `SALT`, hexadecimal.
    pub salt: &'a str,
    /// `SECRET_BLOCK`, base64; echoed back unchanged.
    pub secret_block: &'a str,
}

/// The answer to a password-verifier challenge: the three `ChallengeResponses` entries besides
/// the username or device key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    /// `PASSWORD_CLAIM_SIGNATURE`
    pub signature: String,
    /// `PASSWORD_CLAIM_SECRET_BLOCK`
    pub secret_block: String,
    /// `TIMESTAMP`
    pub timestamp: String,
}

/// One SRP sign-in attempt on the client side. Create one per USER_SRP_AUTH or DEVICE_SRP_AUTH,
/// send [`srp_a`](Self::srp_a), and spend it on the challenge that comes back.
pub struct SrpClient {
    a: Zeroizing<U1024>,
    public_a: Element,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("srp_a", &self.srp_a())
            .finish_non_exhaustive()
    }
}

/// The values behind a claim, kept apart so the known-answer tests can check each one.
#[cfg_attr(
    not(test),
    allow(
        dead_code,
        reason = "only the known-answer tests read u, x, S and the key"
    )
)]
pub(crate) struct ClaimParts {
    pub(crate) u: U256,
    pub(crate) x: Zeroizing<U256>,
    pub(crate) premaster: Zeroizing<Element>,
    pub(crate) key: Zeroizing<[u8; 16]>,
    pub(crate) claim: PasswordClaim,
}

impl SrpClient {
    /// A fresh private value from the operating system's random source.
    pub fn new() -> Result<Self, SrpError> {
        Self::from_private_key(random_bytes::<PRIVATE_KEY_BYTES>()?.as_slice())
    }

    /// A client with a given private value `a` (big-endian, at most 128 bytes): for tests and
    /// known-answer vectors. Never reuse one across sign-ins.
    pub fn from_private_key(a: &[u8]) -> Result<Self, SrpError> {
        if a.len() > PRIVATE_KEY_BYTES {
            return Err(SrpError::TooLarge { field: "a" });
        }
        let mut padded = Zeroizing::new([0u8; PRIVATE_KEY_BYTES]);
        padded[PRIVATE_KEY_BYTES - a.len()..].copy_from_slice(a);
        let a = Zeroizing::new(U1024::from_be_slice(padded.as_slice()));
        if a.is_zero_vartime() {
            return Err(SrpError::PrivateKeyZero);
        }
        let public_a = group().pow_g(&*a, U1024::BITS).retrieve();
        Ok(Self { a, public_a })
    }

    /// `SRP_A` for the AuthParameters: lowercase hex without leading zeros.
    pub fn srp_a(&self) -> String {
        number_to_hex(&element_bytes(&self.public_a))
    }

    /// Answers the challenge with the system clock's time.
    pub fn password_claim(
        self,
        identity: &Identity,
        password: &str,
        challenge: &PasswordVerifierChallenge,
    ) -> Result<PasswordClaim, SrpError> {
        self.password_claim_at(identity, password, challenge, Timestamp::now())
    }

    /// Answers the challenge as of `timestamp`.
    pub fn password_claim_at(
        self,
        identity: &Identity,
        password: &str,
        challenge: &PasswordVerifierChallenge,
        timestamp: Timestamp,
    ) -> Result<PasswordClaim, SrpError> {
        Ok(self
            .claim_parts(identity, password, challenge, timestamp)?
            .claim)
    }

    pub(crate) fn claim_parts(
        &self,
        identity: &Identity,
        password: &str,
        challenge: &PasswordVerifierChallenge,
        timestamp: Timestamp,
    ) -> Result<ClaimParts, SrpError> {
        let group = group();
        let public_b = element_from_bytes("SRP_B", &bytes_from_hex("SRP_B", challenge.srp_b)?)?;
        let b_mod_n = public_element("SRP_B", &public_b)?;
        // Read as a number, as the JavaScript library does: a leading 0x00 byte does not count.
        let salt = pad(&bytes_from_hex("SALT", challenge.salt)?);
        let secret_block = bytes_from_base64("SECRET_BLOCK", challenge.secret_block)?;

        let u = scrambler(&self.public_a, &public_b)?;
        let x = private_x(&salt, identity, password);
        let verifier = group.pow_g(&*x, U256::BITS);
        let base = b_mod_n.sub(&group.k().mul(&verifier));
        let (ux_low, ux_high) = u.widening_mul(&*x);
        let ux = Zeroizing::new(ux_low.concat(&ux_high));
        let exponent: Zeroizing<Exponent> =
            Zeroizing::new(self.a.resize().wrapping_add(&ux.resize()));
        let premaster = Zeroizing::new(group.pow(&base, &*exponent, EXPONENT_BITS).retrieve());
        let key = session_key(&premaster, &u);

        let timestamp = timestamp.to_string();
        let signature = claim_mac(&key, identity, &secret_block, &timestamp)
            .finalize()
            .into_bytes();
        let claim = PasswordClaim {
            signature: to_base64(&signature),
            secret_block: challenge.secret_block.to_owned(),
            timestamp,
        };
        Ok(ClaimParts {
            u,
            x,
            premaster,
            key,
            claim,
        })
    }
}
