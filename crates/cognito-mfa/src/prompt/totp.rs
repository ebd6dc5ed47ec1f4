// SPDX-License-Identifier: Apache-2.0
//! TOTP codes as an authenticator app computes them, with totp-rs, for straight-through runs.

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm, Builder, Secret};

/// Cognito's TOTP (RFC 6238) is HMAC-SHA1 with six digits, a new code every 30 seconds.
pub const STEP_SECONDS: u64 = 30;

/// The code an authenticator app holding `secret` (base32, as AssociateSoftwareToken's
/// SecretCode gives it) shows during one 30-second step.
pub fn code_for_step(secret: &str, step: u64) -> io::Result<String> {
    let unusable = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
    let secret = Secret::try_from_base32(secret)
        .map_err(|_| unusable("the TOTP secret is not base32".to_owned()))?;
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .build()
        .map_err(|e| unusable(format!("the TOTP secret cannot be used: {e}")))?;
    Ok(totp.generate(step * STEP_SECONDS).to_string())
}

/// Seconds since 1970 by the system clock.
pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 key, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_rfc_6238() {
        // Appendix B's SHA-1 codes, last six digits; 1111111109 and 1111111111 are adjacent steps.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                code_for_step(RFC_SECRET, time / STEP_SECONDS).unwrap(),
                code,
                "t={time}"
            );
        }
    }

    #[test]
    fn takes_cognito_secrets_and_refuses_others() {
        // The emulator's secrets have 32 base32 characters (160 bits), AWS Cognito's 52 (260).
        // Here 20 and 32 bytes of 0x07; the codes for step 1234 were worked out with Python's
        // hmac module (HMAC-SHA1, RFC 4226 truncation).
        for (secret, code) in [
            ("A4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYH", "874787"),
            (
                "A4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQ",
                "090171",
            ),
        ] {
            assert_eq!(
                code_for_step(secret, 1234).unwrap(),
                code,
                "{} characters",
                secret.len()
            );
        }
        let error = code_for_step("NOT BASE32!", 1).unwrap_err();
        assert!(error.to_string().contains("not base32"), "{error}");
        let error = code_for_step("GEZDGNBV", 1).unwrap_err();
        assert!(error.to_string().contains("cannot be used"), "{error}");
    }
}
