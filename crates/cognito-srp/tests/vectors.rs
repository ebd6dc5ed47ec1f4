// SPDX-License-Identifier: Apache-2.0
//! Every known-answer vector, through the public API: what goes on the wire must match what the
//! AWS JavaScript library and pycognito send, byte for byte.

mod common;

use cognito_srp::{
    DeviceSecret, Identity, PasswordVerifier, PasswordVerifierChallenge, SrpClient, SrpError,
    SrpServer,
};
use common::{Case, vectors};

fn user_identity<'a>(case: &Case<'a>) -> Identity<'a> {
    Identity::user(case.input("pool_id"), case.input("user_id_for_srp")).unwrap()
}

fn device_identity<'a>(case: &Case<'a>) -> Identity<'a> {
    Identity::device(case.input("device_group_key"), case.input("device_key")).unwrap()
}

fn challenge<'a>(case: &Case<'a>) -> PasswordVerifierChallenge<'a> {
    PasswordVerifierChallenge {
        srp_b: case.input("srp_b_hex"),
        salt: case.input("salt_hex"),
        secret_block: case.input("secret_block_b64"),
    }
}

#[test]
fn user_password_verifier_responses() {
    for case in vectors().cases("user_srp") {
        let client = SrpClient::from_private_key(&case.input_hex("a_hex")).unwrap();
        assert_eq!(client.srp_a(), case.output("A_hex"), "{}", case.id());
        let claim = client
            .password_claim_at(
                &user_identity(&case),
                case.input("password"),
                &challenge(&case),
                case.timestamp(),
            )
            .unwrap();
        assert_eq!(claim.timestamp, case.output("timestamp"), "{}", case.id());
        assert_eq!(
            claim.signature,
            case.output("signature_b64"),
            "{}",
            case.id()
        );
        assert_eq!(
            claim.secret_block,
            case.input("secret_block_b64"),
            "{}",
            case.id()
        );
    }
}

#[test]
fn device_password_verifier_responses() {
    for case in vectors().cases("device_srp") {
        let client = SrpClient::from_private_key(&case.input_hex("a_hex")).unwrap();
        assert_eq!(client.srp_a(), case.output("A_hex"), "{}", case.id());
        let claim = client
            .password_claim_at(
                &device_identity(&case),
                case.input("device_password"),
                &challenge(&case),
                case.timestamp(),
            )
            .unwrap();
        assert_eq!(claim.timestamp, case.output("timestamp"), "{}", case.id());
        assert_eq!(
            claim.signature,
            case.output("signature_b64"),
            "{}",
            case.id()
        );
    }
}

#[test]
fn confirm_device_verifiers() {
    for case in vectors().cases("device_verifier") {
        let password_bytes: [u8; 40] = case
            .input_hex("random_password_bytes_hex")
            .try_into()
            .unwrap();
        let salt_bytes: [u8; 16] = case.input_hex("salt_random_bytes_hex").try_into().unwrap();
        let secret =
            DeviceSecret::from_random_bytes(&device_identity(&case), &password_bytes, &salt_bytes);
        let id = case.id();
        assert_eq!(
            secret.device_password(),
            case.output("device_password"),
            "{id}"
        );
        let verifier = secret.verifier();
        assert_eq!(
            verifier.verifier_base64(),
            case.output("password_verifier_b64"),
            "{id}"
        );
        assert_eq!(verifier.salt_base64(), case.output("salt_b64"), "{id}");
        assert_eq!(
            common::base64_len(&verifier.verifier_base64()),
            case.output_number("password_verifier_len"),
            "{id}"
        );
        assert_eq!(
            common::base64_len(&verifier.salt_base64()),
            case.output_number("salt_len"),
            "{id}"
        );
        // What the service reads back from ConfirmDevice is the same verifier.
        let stored =
            PasswordVerifier::from_base64(&verifier.salt_base64(), &verifier.verifier_base64())
                .unwrap();
        assert_eq!(&stored, verifier, "{id}");
    }
}

#[test]
fn server_exchanges_agree_with_the_clients() {
    for case in vectors().cases("server_exchange") {
        let id = case.id();
        let (identity, password) = if case.get("kind") == Some("device") {
            (device_identity(&case), case.input("device_password"))
        } else {
            (
                Identity::user(case.input("pool_id"), case.input("username")).unwrap(),
                case.input("password"),
            )
        };
        let verifier = PasswordVerifier::derive(&identity, password, &case.input_hex("salt_hex"));
        assert_eq!(
            verifier.verifier_base64(),
            case.section("server", "verifier_b64"),
            "{id}"
        );

        let server =
            SrpServer::from_private_key(&verifier, &case.section_hex("server", "b_hex")).unwrap();
        assert_eq!(server.srp_b(), case.section("server", "srp_b_hex"), "{id}");
        assert_eq!(server.srp_b(), case.input("srp_b_hex"), "{id}");

        let client = SrpClient::from_private_key(&case.input_hex("a_hex")).unwrap();
        let srp_a = client.srp_a();
        assert_eq!(srp_a, case.section("client_outputs", "A_hex"), "{id}");
        let claim = client
            .password_claim_at(&identity, password, &challenge(&case), case.timestamp())
            .unwrap();
        assert_eq!(
            claim.signature,
            case.section("server", "expected_signature_b64"),
            "{id}"
        );
        let claimed_at = server
            .verify_claim(
                &identity,
                &srp_a,
                &claim.secret_block,
                &claim.timestamp,
                &claim.signature,
            )
            .unwrap();
        assert_eq!(claimed_at, case.timestamp(), "{id}");
    }
}

/// Where pycognito and the JavaScript library disagree, the JavaScript library (the AWS SDK) wins.
#[test]
fn divergences_follow_the_javascript_library() {
    let vectors = vectors();
    let base = vectors.case("user_srp", "user-1-basic-day-lt-10");
    let identity = user_identity(&base);
    let claim_with = |srp_b: &str, salt: &str| {
        SrpClient::from_private_key(&base.input_hex("a_hex"))
            .unwrap()
            .password_claim_at(
                &identity,
                base.input("password"),
                &PasswordVerifierChallenge {
                    srp_b,
                    salt,
                    secret_block: base.input("secret_block_b64"),
                },
                base.timestamp(),
            )
    };

    // A SALT with a leading zero byte is read as a number: the zero byte does not count.
    let leading_zero = vectors.case("divergences", "salt-hex-with-leading-zero-byte");
    let expected = leading_zero.section("amazon_cognito_identity_js", "signature_b64");
    let claim = claim_with(
        leading_zero.input("srp_b_hex"),
        leading_zero.input("salt_hex"),
    )
    .unwrap();
    assert_eq!(claim.signature, expected);
    assert_ne!(
        claim.signature,
        leading_zero.section("pycognito", "signature_b64")
    );

    // B mod N == 0 is refused, for B = N and for B = 0.
    let refused = vectors.case("divergences", "B-mod-N-zero");
    assert!(
        refused
            .get_in("amazon_cognito_identity_js", "error")
            .is_some()
    );
    let n_hex = vectors.constant("N_hex");
    for srp_b in [n_hex, "0", "000"] {
        assert_eq!(
            claim_with(srp_b, base.input("salt_hex")).err(),
            Some(SrpError::PublicValueZero { field: "SRP_B" }),
            "SRP_B = {srp_b}"
        );
    }

    // Upper-case hex and leading zeros in SRP_B change nothing (both libraries agree).
    let same = base.output("signature_b64");
    for (id, srp_b, salt) in [
        (
            "div-salt-uppercase",
            base.input("srp_b_hex").to_owned(),
            base.input("salt_hex").to_uppercase(),
        ),
        (
            "div-B-leading-00",
            format!("00{}", base.input("srp_b_hex")),
            base.input("salt_hex").to_owned(),
        ),
    ] {
        let case = vectors.case("divergences", id);
        assert_eq!(
            case.section("amazon_cognito_identity_js", "signature_b64"),
            same
        );
        assert_eq!(claim_with(&srp_b, &salt).unwrap().signature, same, "{id}");
    }
}

#[test]
fn malformed_challenges_are_typed_errors() {
    let vectors = vectors();
    let base = vectors.case("user_srp", "user-1-basic-day-lt-10");
    let identity = user_identity(&base);
    let answer = |srp_b: &str, salt: &str, secret_block: &str| {
        SrpClient::from_private_key(&base.input_hex("a_hex"))
            .unwrap()
            .password_claim_at(
                &identity,
                base.input("password"),
                &PasswordVerifierChallenge {
                    srp_b,
                    salt,
                    secret_block,
                },
                base.timestamp(),
            )
            .err()
    };
    let (b, salt, block) = (
        base.input("srp_b_hex"),
        base.input("salt_hex"),
        base.input("secret_block_b64"),
    );
    assert_eq!(
        answer("xyz", salt, block),
        Some(SrpError::InvalidHex { field: "SRP_B" })
    );
    assert_eq!(
        answer("", salt, block),
        Some(SrpError::InvalidHex { field: "SRP_B" })
    );
    assert_eq!(
        answer(b, "12 34", block),
        Some(SrpError::InvalidHex { field: "SALT" })
    );
    assert_eq!(
        answer(b, salt, "not base64!"),
        Some(SrpError::InvalidBase64 {
            field: "SECRET_BLOCK"
        })
    );
    assert_eq!(
        answer(&"f".repeat(770), salt, block),
        Some(SrpError::TooLarge { field: "SRP_B" })
    );
    assert_eq!(
        SrpClient::from_private_key(&[0; 16]).err(),
        Some(SrpError::PrivateKeyZero)
    );
    assert_eq!(
        SrpClient::from_private_key(&[1; 129]).err(),
        Some(SrpError::TooLarge { field: "a" })
    );
}

#[test]
fn the_server_refuses_a_public_a_that_is_a_multiple_of_n() {
    let vectors = vectors();
    let case = vectors.case("server_exchange", "sx-1-device");
    let identity = device_identity(&case);
    let verifier = PasswordVerifier::derive(
        &identity,
        case.input("device_password"),
        &case.input_hex("salt_hex"),
    );
    let server =
        SrpServer::from_private_key(&verifier, &case.section_hex("server", "b_hex")).unwrap();
    let stamp = case.section("client_outputs", "timestamp");
    let signature = case.section("client_outputs", "signature_b64");
    let block = case.input("secret_block_b64");
    for srp_a in [vectors.constant("N_hex"), "0"] {
        assert_eq!(
            SrpServer::check_srp_a(srp_a),
            Err(SrpError::PublicValueZero { field: "SRP_A" })
        );
        assert_eq!(
            server.verify_claim(&identity, srp_a, block, stamp, signature),
            Err(SrpError::PublicValueZero { field: "SRP_A" })
        );
    }
    let srp_a = case.section("client_outputs", "A_hex");
    assert_eq!(SrpServer::check_srp_a(srp_a), Ok(()));
    assert_eq!(
        SrpServer::check_srp_a("xyz"),
        Err(SrpError::InvalidHex { field: "SRP_A" })
    );
    assert_eq!(
        server.verify_claim(
            &identity,
            srp_a,
            block,
            "Thu Jul 04 16:20:00 UTC 2024",
            signature
        ),
        Err(SrpError::InvalidTimestamp)
    );
    assert_eq!(
        server.verify_claim(&identity, srp_a, block, stamp, "%%%"),
        Err(SrpError::InvalidBase64 {
            field: "PASSWORD_CLAIM_SIGNATURE"
        })
    );
    assert_eq!(
        PasswordVerifier::from_base64("AAAA", "AA==").err(),
        Some(SrpError::PublicValueZero {
            field: "PasswordVerifier"
        })
    );
    assert_eq!(
        PasswordVerifier::from_base64("", "AQ==").err(),
        Some(SrpError::InvalidBase64 { field: "Salt" })
    );
}
