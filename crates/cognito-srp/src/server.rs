// SPDX-License-Identifier: Apache-2.0
//! The server half: SRP_B from a stored verifier, then the check of the client's password claim.

use std::fmt;

use crypto_bigint::U1024;
use hmac::Mac;
use zeroize::Zeroizing;

use crate::encoding::{bytes_from_base64, bytes_from_hex, number_to_hex, random_bytes};
use crate::group::{Element, element_bytes, element_from_bytes, group, public_element};
use crate::proof::{Identity, claim_mac, scrambler, session_key};
use crate::{PasswordVerifier, SrpError, Timestamp};

/// Bytes of the server's private value `b`: 512 bits, above the 260-400 bits RFC 3526 asks of
/// exponents in this group, and half the cost of a 1024-bit one.
const SERVER_KEY_BYTES: usize = 64;
/// The most a caller may give to [`SrpServer::from_private_key`].
const MAX_SERVER_KEY_BYTES: usize = 128;

/// One SRP sign-in attempt on the server side, for one stored verifier.
pub struct SrpServer {
    b: Zeroizing<U1024>,
    b_bits: u32,
    verifier: Element,
    public_b: Element,
}

impl fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpServer")
            .field("srp_b", &self.srp_b())
            .finish_non_exhaustive()
    }
}

impl SrpServer {
    /// Picks a fresh private value from the operating system's random source.
    pub fn new(verifier: &PasswordVerifier) -> Result<Self, SrpError> {
        Self::from_private_key(verifier, random_bytes::<SERVER_KEY_BYTES>()?.as_slice())
    }

    /// A server with a given private value `b` (big-endian, at most 128 bytes): for tests and
    /// known-answer vectors.
    pub fn from_private_key(verifier: &PasswordVerifier, b: &[u8]) -> Result<Self, SrpError> {
        if b.len() > MAX_SERVER_KEY_BYTES {
            return Err(SrpError::TooLarge { field: "b" });
        }
        let mut padded = Zeroizing::new([0u8; MAX_SERVER_KEY_BYTES]);
        padded[MAX_SERVER_KEY_BYTES - b.len()..].copy_from_slice(b);
        let b_value = Zeroizing::new(U1024::from_be_slice(padded.as_slice()));
        if b_value.is_zero_vartime() {
            return Err(SrpError::PrivateKeyZero);
        }
        let group = group();
        let b_bits = 8 * b.len() as u32;
        let v = group.to_monty(verifier.verifier());
        let public_b = group
            .k()
            .mul(&v)
            .add(&group.pow_g(&*b_value, b_bits))
            .retrieve();
        public_element("SRP_B", &public_b)?;
        Ok(Self {
            b: b_value,
            b_bits,
            verifier: *verifier.verifier(),
            public_b,
        })
    }

    /// Checks a client's `SRP_A` on arrival: hexadecimal, within the group, not 0 mod N.
    pub fn check_srp_a(srp_a: &str) -> Result<(), SrpError> {
        let public_a = element_from_bytes("SRP_A", &bytes_from_hex("SRP_A", srp_a)?)?;
        public_element("SRP_A", &public_a).map(|_| ())
    }

    /// `SRP_B` for the challenge parameters: lowercase hex without leading zeros.
    pub fn srp_b(&self) -> String {
        number_to_hex(&element_bytes(&self.public_b))
    }

    /// Checks a password claim against this exchange: `srp_a` from the client's first request,
    /// the rest from its challenge response. The signature is compared in constant time. Returns
    /// the claim's time, for the caller's own clock-skew policy.
    pub fn verify_claim(
        &self,
        identity: &Identity,
        srp_a: &str,
        secret_block: &str,
        timestamp: &str,
        signature: &str,
    ) -> Result<Timestamp, SrpError> {
        let claimed_at = Timestamp::parse(timestamp)?;
        let signature = bytes_from_base64("PASSWORD_CLAIM_SIGNATURE", signature)?;
        let secret_block = bytes_from_base64("PASSWORD_CLAIM_SECRET_BLOCK", secret_block)?;
        let premaster = self.premaster_secret(srp_a)?;
        claim_mac(&premaster.1, identity, &secret_block, timestamp)
            .verify_slice(&signature)
            .map_err(|_| SrpError::SignatureMismatch)?;
        Ok(claimed_at)
    }

    /// S = (A · v^u)^b mod N and the key derived from it.
    fn premaster_secret(
        &self,
        srp_a: &str,
    ) -> Result<(Zeroizing<Element>, Zeroizing<[u8; 16]>), SrpError> {
        let group = group();
        let public_a = element_from_bytes("SRP_A", &bytes_from_hex("SRP_A", srp_a)?)?;
        let a_mod_n = public_element("SRP_A", &public_a)?;
        let u = scrambler(&public_a, &self.public_b)?;
        let v = group.to_monty(&self.verifier);
        let base = a_mod_n.mul(&group.pow(&v, &u, u.bits_vartime()));
        let premaster = Zeroizing::new(group.pow(&base, &*self.b, self.b_bits).retrieve());
        let key = session_key(&premaster, &u);
        Ok((premaster, key))
    }

    #[cfg(test)]
    pub(crate) fn premaster_for_test(&self, srp_a: &str) -> Result<Element, SrpError> {
        Ok(*self.premaster_secret(srp_a)?.0)
    }
}
