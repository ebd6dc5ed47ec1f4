// SPDX-License-Identifier: Apache-2.0
//! Text forms on the wire: hexadecimal numbers (SRP_A, SRP_B, SALT) and base64 blobs.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::SrpError;

/// Big-endian bytes of a hexadecimal number. Either case, any leading zeros and an odd number of
/// digits are accepted, as the reference clients accept them.
pub(crate) fn bytes_from_hex(field: &'static str, hex: &str) -> Result<Vec<u8>, SrpError> {
    let digits = hex.as_bytes();
    if digits.is_empty() {
        return Err(SrpError::InvalidHex { field });
    }
    let nibble = |digit: u8| match digit {
        b'0'..=b'9' => Ok(digit - b'0'),
        b'a'..=b'f' => Ok(digit - b'a' + 10),
        b'A'..=b'F' => Ok(digit - b'A' + 10),
        _ => Err(SrpError::InvalidHex { field }),
    };
    let (head, rest) = digits.split_at(digits.len() % 2);
    let mut out = Vec::with_capacity(digits.len() / 2 + 1);
    if let [digit] = head {
        out.push(nibble(*digit)?);
    }
    for pair in rest.chunks_exact(2) {
        out.push(nibble(pair[0])? << 4 | nibble(pair[1])?);
    }
    Ok(out)
}

/// Lowercase hex of a number, without leading zeros ("0" for zero), as SRP_A and SRP_B are sent.
pub(crate) fn number_to_hex(be_bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(be_bytes.len() * 2);
    for byte in be_bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    let trimmed = out.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

pub(crate) fn bytes_from_base64(field: &'static str, text: &str) -> Result<Vec<u8>, SrpError> {
    STANDARD
        .decode(text)
        .map_err(|_| SrpError::InvalidBase64 { field })
}

pub(crate) fn to_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn random_bytes<const LEN: usize>() -> Result<zeroize::Zeroizing<[u8; LEN]>, SrpError> {
    let mut bytes = zeroize::Zeroizing::new([0u8; LEN]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|_| SrpError::RandomSource)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_reads_odd_lengths_either_case_and_leading_zeros() {
        assert_eq!(bytes_from_hex("SALT", "abc").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(
            bytes_from_hex("SALT", "00ABcd").unwrap(),
            vec![0, 0xab, 0xcd]
        );
        assert_eq!(
            bytes_from_hex("SALT", ""),
            Err(SrpError::InvalidHex { field: "SALT" })
        );
        assert_eq!(
            bytes_from_hex("SRP_B", "12g4"),
            Err(SrpError::InvalidHex { field: "SRP_B" })
        );
        assert_eq!(
            bytes_from_hex("SRP_B", "-12"),
            Err(SrpError::InvalidHex { field: "SRP_B" })
        );
    }

    #[test]
    fn numbers_print_without_leading_zeros() {
        assert_eq!(number_to_hex(&[0, 0x0a, 0xbc]), "abc");
        assert_eq!(number_to_hex(&[0, 0]), "0");
        assert_eq!(number_to_hex(&[0xff]), "ff");
    }
}
