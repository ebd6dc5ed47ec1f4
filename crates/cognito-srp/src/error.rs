// SPDX-License-Identifier: Apache-2.0
use std::fmt;

/// Why an SRP computation was refused. Each variant names the input at fault so a caller can map
/// it onto the service's own error (the emulator) or a clear message (the scenario).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A value that should be hexadecimal (SRP_A, SRP_B, SALT) is empty or has other characters.
    InvalidHex { field: &'static str },
    /// A value that should be standard base64 (SECRET_BLOCK, a signature, a verifier) is not.
    InvalidBase64 { field: &'static str },
    /// A number is wider than the 3072-bit group, or a private key wider than 1024 bits.
    TooLarge { field: &'static str },
    /// SRP_A or SRP_B is a multiple of N (0 mod N): it would force the shared secret.
    PublicValueZero { field: &'static str },
    /// The scrambling parameter u = H(A, B) is zero: the exchange must be restarted.
    ScramblerZero,
    /// A private key is zero.
    PrivateKeyZero,
    /// A part of the identity (user id, device key, device group key, pool name) is empty.
    EmptyIdentity { field: &'static str },
    /// A user pool id without the `region_` prefix that the SRP pool name is cut from.
    InvalidPoolId,
    /// A TIMESTAMP that is not exactly in the form `Tue Jan 2 03:04:05 UTC 2024`.
    InvalidTimestamp,
    /// The password claim does not match: wrong password, device secret, or altered data.
    SignatureMismatch,
    /// The operating system's random number generator failed.
    RandomSource,
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidHex { field } => write!(f, "{field} is not a hexadecimal number"),
            Self::InvalidBase64 { field } => write!(f, "{field} is not valid base64"),
            Self::TooLarge { field } => write!(f, "{field} is larger than the SRP group allows"),
            Self::PublicValueZero { field } => write!(f, "{field} mod N is zero"),
            Self::ScramblerZero => f.write_str("the SRP scrambling parameter u is zero"),
            Self::PrivateKeyZero => f.write_str("the SRP private key is zero"),
            Self::EmptyIdentity { field } => write!(f, "{field} is empty"),
            Self::InvalidPoolId => {
                f.write_str("the user pool id has no '_' (expected e.g. us-east-1_AbC123xyZ)")
            }
            Self::InvalidTimestamp => {
                f.write_str("TIMESTAMP is not of the form 'Tue Jan 2 03:04:05 UTC 2024'")
            }
            Self::SignatureMismatch => f.write_str("the password claim signature does not match"),
            Self::RandomSource => f.write_str("the operating system's random source failed"),
        }
    }
}

impl std::error::Error for SrpError {}
