// SPDX-License-Identifier: Apache-2.0
//! The scenario straight through with every log at trace level, the SDK's and the embedded
//! emulator's included: no password, TOTP secret, device password, SRP private value or token
//! appears in what it prints. (The emulator's outbox codes appear on purpose.)

use std::process::{Command, Stdio};

const PASSWORD: &str = "Never-Printed-Passw0rd!";

/// Maximal runs of characters that `keep` accepts.
fn runs(text: &str, keep: impl Fn(char) -> bool) -> Vec<&str> {
    text.split(|c: char| !keep(c))
        .filter(|run| !run.is_empty())
        .collect()
}

#[test]
fn trace_logs_and_output_hold_no_secret() {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-mfa"))
        .stdin(Stdio::null())
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("RUST_LOG", "trace")
        .env("COGNITO_MFA_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stderr.len() > 100_000,
        "trace logging was not on: {} bytes",
        stderr.len()
    );
    assert!(
        stdout.contains("DEVICE_PASSWORD_VERIFIER answered"),
        "{stdout}"
    );

    for (name, text) in [("stdout", &*stdout), ("stderr", &*stderr)] {
        assert!(!text.contains(PASSWORD), "the password is in {name}");
        // JWTs start with a base64url JSON header.
        assert!(!text.contains("eyJ"), "a token is in {name}");
        // A TOTP secret: 32 base32 characters.
        let base32 = runs(text, |c| c.is_ascii_uppercase() || ('2'..='7').contains(&c));
        assert!(
            base32.iter().all(|run| run.len() < 32),
            "a TOTP secret is in {name}"
        );
        // A device password: base64 of 40 random bytes, 56 characters ending in one '='.
        let base64 = runs(text, |c| c.is_ascii_alphanumeric() || "+/=".contains(c));
        assert!(
            !base64
                .iter()
                .any(|run| run.len() == 56 && run.ends_with('=') && !run.ends_with("==")),
            "a device password is in {name}"
        );
        // The SRP private value a: 128 bytes, 256 hex digits (the public A and B are 768).
        let hex = runs(text, |c| c.is_ascii_hexdigit());
        assert!(
            hex.iter().all(|run| !(200..=260).contains(&run.len())),
            "an SRP private value is in {name}"
        );
    }
    // The sensitive members the SDK itself would log are redacted.
    assert!(stderr.contains("*** Sensitive Data Redacted ***"));
}
