// SPDX-License-Identifier: Apache-2.0
//! Identifiers, codes and secrets drawn from the operating system's random source.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `LEN` random bytes. The OS source failing is not something a request can recover from.
pub fn bytes<const LEN: usize>() -> [u8; LEN] {
    let mut out = [0u8; LEN];
    getrandom::fill(&mut out).expect("the operating system's random source failed");
    out
}

/// An opaque token (sessions, refresh tokens): `LEN` random bytes, base64url.
pub fn opaque<const LEN: usize>() -> String {
    URL_SAFE_NO_PAD.encode(bytes::<LEN>())
}

/// A string of `len` characters drawn uniformly from `alphabet` (at most 256 symbols).
pub fn from_alphabet(alphabet: &[u8], len: usize) -> String {
    // Rejection sampling keeps every symbol equally likely.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in bytes::<32>() {
            if usize::from(byte) < limit && out.len() < len {
                out.push(char::from(alphabet[usize::from(byte) % alphabet.len()]));
            }
        }
    }
    out
}

pub const DIGITS: &[u8] = b"0123456789";
pub const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A password that meets any Cognito password policy: at least two characters of each class
/// (upper, lower, digit, symbol), the rest letters and digits; `length` characters, at least 8.
pub fn password(length: usize) -> String {
    let mut password = from_alphabet(b"ABCDEFGHJKLMNPQRSTUVWXYZ", 2);
    password.push_str(&from_alphabet(b"abcdefghijkmnopqrstuvwxyz", 2));
    password.push_str(&from_alphabet(b"23456789", 2));
    password.push_str(&from_alphabet(b"!#%+-=.^_", 2));
    password.push_str(&from_alphabet(ALPHANUMERIC, length.max(8) - 8));
    password
}

/// A random version-4 UUID in its usual text form.
pub fn uuid() -> String {
    uuid::Builder::from_random_bytes(bytes::<16>())
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_strings_have_the_length_and_symbols_asked_for() {
        let code = from_alphabet(DIGITS, 6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(
            from_alphabet(ALPHANUMERIC, 32),
            from_alphabet(ALPHANUMERIC, 32)
        );
    }

    #[test]
    fn passwords_have_every_class_and_the_length_asked_for() {
        for length in [0, 8, 24, 99] {
            let password = password(length);
            assert_eq!(password.len(), length.max(8));
            assert!(password.chars().filter(char::is_ascii_uppercase).count() >= 2);
            assert!(password.chars().filter(char::is_ascii_lowercase).count() >= 2);
            assert!(password.chars().filter(char::is_ascii_digit).count() >= 2);
            assert!(
                password
                    .chars()
                    .filter(|c| "!#%+-=.^_".contains(*c))
                    .count()
                    >= 2
            );
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
