// SPDX-License-Identifier: Apache-2.0
//! The cost of each SRP step a client or the emulator performs, on the known-answer inputs.
//! Run with `cargo bench -p cognito-srp --bench srp`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use cognito_srp::{
    DeviceSecret, Identity, PasswordVerifier, PasswordVerifierChallenge, SrpClient, SrpServer,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn challenge<'a>(case: &common::Case<'a>) -> PasswordVerifierChallenge<'a> {
    PasswordVerifierChallenge {
        srp_b: case.input("srp_b_hex"),
        salt: case.input("salt_hex"),
        secret_block: case.input("secret_block_b64"),
    }
}

fn srp(c: &mut Criterion) {
    let vectors = common::vectors();

    // One whole DEVICE_PASSWORD_VERIFIER answer: a fresh a, A, u, x, S, the key and the signature.
    let device = vectors.case("device_srp", "dev-1-basic-day-lt-10");
    let device_identity =
        Identity::device(device.input("device_group_key"), device.input("device_key")).unwrap();
    c.bench_function("device_password_verifier", |b| {
        b.iter(|| {
            let client = SrpClient::new().unwrap();
            black_box(client.srp_a());
            client
                .password_claim(
                    &device_identity,
                    device.input("device_password"),
                    &challenge(&device),
                )
                .unwrap()
        })
    });

    let user = vectors.case("user_srp", "user-1-basic-day-lt-10");
    let user_identity =
        Identity::user(user.input("pool_id"), user.input("user_id_for_srp")).unwrap();
    c.bench_function("user_password_verifier", |b| {
        b.iter(|| {
            let client = SrpClient::new().unwrap();
            black_box(client.srp_a());
            client
                .password_claim(&user_identity, user.input("password"), &challenge(&user))
                .unwrap()
        })
    });

    c.bench_function("confirm_device_verifier", |b| {
        b.iter(|| {
            let secret = DeviceSecret::generate(&device_identity).unwrap();
            black_box(secret.verifier().verifier_base64())
        })
    });

    // The emulator's side of a device sign-in: B for the challenge, then the claim checked.
    let stored = PasswordVerifier::derive(
        &device_identity,
        device.input("device_password"),
        &device.input_hex("salt_hex"),
    );
    let client = SrpClient::new().unwrap();
    let srp_a = client.srp_a();
    let fixed_server = SrpServer::new(&stored).unwrap();
    let srp_b = fixed_server.srp_b();
    let salt = stored.salt_hex();
    let claim = client
        .password_claim(
            &device_identity,
            device.input("device_password"),
            &PasswordVerifierChallenge {
                srp_b: &srp_b,
                salt: &salt,
                secret_block: device.input("secret_block_b64"),
            },
        )
        .unwrap();
    c.bench_function("server_device_challenge", |b| {
        b.iter(|| SrpServer::new(&stored).unwrap().srp_b())
    });
    c.bench_function("server_verify_claim", |b| {
        b.iter(|| {
            fixed_server
                .verify_claim(
                    &device_identity,
                    &srp_a,
                    &claim.secret_block,
                    &claim.timestamp,
                    &claim.signature,
                )
                .unwrap()
        })
    });
}

criterion_group!(benches, srp);
criterion_main!(benches);
