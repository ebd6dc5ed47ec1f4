// SPDX-License-Identifier: Apache-2.0
//! Time-based one-time passwords as authenticator apps make them (RFC 6238): HMAC-SHA1, six
//! digits, 30-second steps, secrets in base32.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use zeroize::Zeroizing;

use super::random;

pub const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;
/// 20 bytes, the RFC 4226 recommendation: 32 base32 characters.
const SECRET_BYTES: usize = 20;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh secret, base32 without padding (what AssociateSoftwareToken returns as SecretCode).
pub fn generate_secret() -> Zeroizing<String> {
    Zeroizing::new(base32_encode(&random::bytes::<SECRET_BYTES>()))
}

/// The time step a moment falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code for one time step, or `None` when the secret is not base32.
pub fn code_for_step(secret_base32: &str, step: i64) -> Option<String> {
    let key = Zeroizing::new(base32_decode(secret_base32)?);
    let mut mac =
        <Hmac<Sha1> as KeyInit>::new_from_slice(&key).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let truncated = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!("{:06}", truncated % 10u32.pow(DIGITS)))
}

/// The step, within one step either side of `unix_seconds`, whose code is `code`.
pub fn matching_step(secret_base32: &str, code: &str, unix_seconds: i64) -> Option<i64> {
    let now = step_at(unix_seconds);
    let mut found = None;
    // Every candidate is computed and compared in constant time, so timing says nothing.
    for step in [now - 1, now, now + 1] {
        let expected = code_for_step(secret_base32, step)?;
        if bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            code.as_bytes(),
        )) {
            found = Some(step);
        }
    }
    found
}

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32 the way authenticator apps read a typed secret: either case, spaces and
/// padding ignored.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for symbol in text.bytes().filter(|b| *b != b' ' && *b != b'=') {
        let value = BASE32
            .iter()
            .position(|c| *c == symbol.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 key "12345678901234567890", last six digits of each code.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = base32_encode(b"12345678901234567890");
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(
                code_for_step(&secret, step_at(time)).unwrap(),
                code,
                "t={time}"
            );
        }
    }

    #[test]
    fn accepts_one_step_either_side_and_no_further() {
        let secret = generate_secret();
        let now = 1_700_000_000;
        for offset in [-1, 0, 1] {
            let code = code_for_step(&secret, step_at(now) + offset).unwrap();
            assert_eq!(
                matching_step(&secret, &code, now),
                Some(step_at(now) + offset)
            );
        }
        for offset in [-2, 2] {
            let code = code_for_step(&secret, step_at(now) + offset).unwrap();
            assert_eq!(matching_step(&secret, &code, now), None);
        }
    }

    #[test]
    fn base32_round_trips_and_refuses_other_alphabets() {
        let bytes = random::bytes::<20>();
        let text = base32_encode(&bytes);
        assert_eq!(text.len(), 32);
        assert_eq!(base32_decode(&text).unwrap(), bytes);
        assert_eq!(base32_decode(&text.to_lowercase()).unwrap(), bytes);
        assert_eq!(base32_decode("ABC1"), None);
        assert_eq!(base32_decode(""), None);
    }
}
