// SPDX-License-Identifier: Apache-2.0
//! A remembered device signing in, both halves in one process: the verifier ConfirmDevice
//! registers, then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER as the service and the device
//! compute them. Secrets (the device password, a, b, S, the key) are never printed.
//!
//! `cargo run --release -p cognito-srp --example device_sign_in`

use std::process::ExitCode;
use std::time::Instant;

use cognito_srp::{
    DeviceSecret, Identity, PasswordVerifier, PasswordVerifierChallenge, SrpClient, SrpError,
    SrpServer,
};

const DEVICE_GROUP_KEY: &str = "-kQ8bMzRd";
const DEVICE_KEY: &str = "us-east-1_5b0d2c71-3a94-4e0f-9a3c-1f8e2d6b7a90";
const SECRET_BLOCK: &str = "ZXhhbXBsZSBzZWNyZXQgYmxvY2sgZnJvbSB0aGUgc2VydmljZQ==";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("device sign-in failed: {error}");
            ExitCode::FAILURE
        }
    }
}

// Long: the example shows the device flow top to bottom, as a reader follows it.
fn run() -> Result<(), SrpError> {
    let device = Identity::device(DEVICE_GROUP_KEY, DEVICE_KEY)?;
    println!("Device {DEVICE_KEY} in group {DEVICE_GROUP_KEY}");

    let started = Instant::now();
    let secret = DeviceSecret::generate(&device)?;
    let config = secret.verifier();
    println!(
        "1. ConfirmDevice sends DeviceSecretVerifierConfig: Salt {} ({} base64 chars), \
         PasswordVerifier of {} base64 chars [{:.2?}]",
        config.salt_base64(),
        config.salt_base64().len(),
        config.verifier_base64().len(),
        started.elapsed()
    );

    let started = Instant::now();
    let client = SrpClient::new()?;
    let srp_a = client.srp_a();
    println!(
        "2. InitiateAuth meets DEVICE_SRP_AUTH; the device answers SRP_A ({} hex digits) [{:.2?}]",
        srp_a.len(),
        started.elapsed()
    );

    let started = Instant::now();
    let stored = PasswordVerifier::from_base64(&config.salt_base64(), &config.verifier_base64())?;
    let server = SrpServer::new(&stored)?;
    let (srp_b, salt) = (server.srp_b(), stored.salt_hex());
    println!(
        "3. The service answers DEVICE_PASSWORD_VERIFIER with SRP_B ({} hex digits), SALT {salt} \
         [{:.2?}]",
        srp_b.len(),
        started.elapsed()
    );

    let started = Instant::now();
    let challenge = PasswordVerifierChallenge {
        srp_b: &srp_b,
        salt: &salt,
        secret_block: SECRET_BLOCK,
    };
    let claim = client.password_claim(&device, secret.device_password(), &challenge)?;
    println!(
        "4. The device proves its password: TIMESTAMP \"{}\", PASSWORD_CLAIM_SIGNATURE of {} \
         chars [{:.2?}]",
        claim.timestamp,
        claim.signature.len(),
        started.elapsed()
    );

    let started = Instant::now();
    server.verify_claim(
        &device,
        &srp_a,
        &claim.secret_block,
        &claim.timestamp,
        &claim.signature,
    )?;
    println!(
        "5. The service checks the claim: signature valid, tokens would follow [{:.2?}]",
        started.elapsed()
    );

    let impostor = SrpClient::new()?;
    let impostor_a = impostor.srp_a();
    let wrong = impostor.password_claim(&device, "not the device password", &challenge)?;
    let refused = server.verify_claim(
        &device,
        &impostor_a,
        &wrong.secret_block,
        &wrong.timestamp,
        &wrong.signature,
    );
    println!(
        "6. A claim made with the wrong password: {}",
        match refused {
            Err(error) => format!("refused ({error})"),
            Ok(_) => "accepted (this would be a bug)".to_owned(),
        }
    );
    Ok(())
}
