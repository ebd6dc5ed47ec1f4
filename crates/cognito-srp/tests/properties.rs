// SPDX-License-Identifier: Apache-2.0
//! For random identities, passwords and salts: the client's claim convinces the server, and any
//! change to what was proven (password, device key, secret block, time) makes it fail.

use cognito_srp::{
    DeviceSecret, Identity, PasswordClaim, PasswordVerifier, PasswordVerifierChallenge, SrpClient,
    SrpError, SrpServer, Timestamp,
};
use proptest::prelude::*;

const SECRET_BLOCK: &str = "c2VjcmV0IGJsb2NrIGZyb20gdGhlIHNlcnZpY2U=";

struct Exchange {
    srp_a: String,
    server: SrpServer,
}

/// One full exchange: the server holds `verifier`; the client proves `password` for `prover`.
fn exchange(
    verifier: &PasswordVerifier,
    prover: &Identity,
    password: &str,
    at: Timestamp,
) -> (Exchange, PasswordClaim) {
    let server = SrpServer::new(verifier).unwrap();
    let client = SrpClient::new().unwrap();
    let srp_a = client.srp_a();
    let srp_b = server.srp_b();
    let challenge = PasswordVerifierChallenge {
        srp_b: &srp_b,
        salt: &verifier.salt_hex(),
        secret_block: SECRET_BLOCK,
    };
    let claim = client
        .password_claim_at(prover, password, &challenge, at)
        .unwrap();
    (Exchange { srp_a, server }, claim)
}

fn verify(
    exchange: &Exchange,
    identity: &Identity,
    claim: &PasswordClaim,
) -> Result<Timestamp, SrpError> {
    exchange.server.verify_claim(
        identity,
        &exchange.srp_a,
        &claim.secret_block,
        &claim.timestamp,
        &claim.signature,
    )
}

fn pool_id() -> impl Strategy<Value = String> {
    ("[a-z]{2}-[a-z]{4,9}-[1-9]", "[A-Za-z0-9]{9}")
        .prop_map(|(region, name)| format!("{region}_{name}"))
}

/// Any non-empty text, including non-ASCII.
fn name() -> impl Strategy<Value = String> {
    "\\PC{1,40}"
}

/// Up to year 9999.
fn moment() -> impl Strategy<Value = Timestamp> {
    (0i64..253_402_300_800).prop_map(Timestamp::from_unix_seconds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn users_prove_their_password_and_only_their_password(
        pool_id in pool_id(),
        user_id in name(),
        password in "\\PC{0,64}",
        other_password in "\\PC{0,64}",
        salt in proptest::collection::vec(any::<u8>(), 1..32),
        at in moment(),
    ) {
        prop_assume!(password != other_password);
        let user = Identity::user(&pool_id, &user_id).unwrap();
        let verifier = PasswordVerifier::derive(&user, &password, &salt);

        let (good, claim) = exchange(&verifier, &user, &password, at);
        prop_assert_eq!(verify(&good, &user, &claim), Ok(at));

        let (bad, claim) = exchange(&verifier, &user, &other_password, at);
        prop_assert_eq!(verify(&bad, &user, &claim), Err(SrpError::SignatureMismatch));
    }

    #[test]
    fn devices_prove_their_secret_and_only_their_secret(
        group_key in name(),
        device_key in name(),
        other_device_key in name(),
        password_bytes in any::<[u8; 40]>(),
        salt_bytes in any::<[u8; 16]>(),
        at in moment(),
    ) {
        prop_assume!(device_key != other_device_key);
        let device = Identity::device(&group_key, &device_key).unwrap();
        let secret = DeviceSecret::from_random_bytes(&device, &password_bytes, &salt_bytes);
        // What the service keeps is what ConfirmDevice sent.
        let stored = PasswordVerifier::from_base64(
            &secret.verifier().salt_base64(),
            &secret.verifier().verifier_base64(),
        ).unwrap();

        let (good, claim) = exchange(&stored, &device, secret.device_password(), at);
        prop_assert_eq!(verify(&good, &device, &claim), Ok(at));

        // The right password under another device key proves nothing.
        let impostor = Identity::device(&group_key, &other_device_key).unwrap();
        let (bad, claim) = exchange(&stored, &impostor, secret.device_password(), at);
        prop_assert_eq!(verify(&bad, &impostor, &claim), Err(SrpError::SignatureMismatch));
    }

    #[test]
    fn an_altered_secret_block_or_timestamp_fails(
        pool_id in pool_id(),
        user_id in name(),
        password in "\\PC{1,32}",
        at in moment(),
        other_time in moment(),
        flip in 0usize..29,
    ) {
        prop_assume!(at != other_time);
        let user = Identity::user(&pool_id, &user_id).unwrap();
        let verifier = PasswordVerifier::generate(&user, &password).unwrap();
        let (exchange, claim) = exchange(&verifier, &user, &password, at);

        let mut block = base64_decode(&claim.secret_block);
        block[flip] ^= 0x01;
        let altered_block = PasswordClaim { secret_block: base64_encode(&block), ..claim.clone() };
        prop_assert_eq!(verify(&exchange, &user, &altered_block), Err(SrpError::SignatureMismatch));

        let altered_time = PasswordClaim { timestamp: other_time.to_string(), ..claim.clone() };
        prop_assert_eq!(verify(&exchange, &user, &altered_time), Err(SrpError::SignatureMismatch));

        prop_assert_eq!(verify(&exchange, &user, &claim), Ok(at));
    }

    #[test]
    fn timestamps_read_back_what_they_print(at in moment()) {
        prop_assert_eq!(Timestamp::parse(&at.to_string()), Ok(at));
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_stored_verifier_recognises_its_password_only(
        pool_id in pool_id(),
        user_id in name(),
        password in "\\PC{0,64}",
        other in "\\PC{0,64}",
    ) {
        prop_assume!(password != other);
        let user = Identity::user(&pool_id, &user_id).unwrap();
        let verifier = PasswordVerifier::generate(&user, &password).unwrap();
        prop_assert!(verifier.matches(&user, &password));
        prop_assert!(!verifier.matches(&user, &other));
    }
}
