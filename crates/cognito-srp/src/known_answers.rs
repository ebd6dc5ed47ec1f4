// SPDX-License-Identifier: Apache-2.0
//! The intermediate values of every vector (u, x, S, the HKDF key), which the public API keeps
//! private; `tests/vectors.rs` checks what goes on the wire.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Case, vectors};

use crate::encoding::number_to_hex;
use crate::group::{element_bytes, group, pad};
use crate::proof::private_x;
use crate::{Identity, PasswordVerifier, PasswordVerifierChallenge, SrpClient, SrpServer};

fn check_client_case(case: &Case, identity: &Identity, password: &str, outputs: &str) {
    let id = case.id();
    let client = SrpClient::from_private_key(&case.input_hex("a_hex")).unwrap();
    assert_eq!(client.srp_a(), case.section(outputs, "A_hex"), "{id}: A");
    let challenge = PasswordVerifierChallenge {
        srp_b: case.input("srp_b_hex"),
        salt: case.input("salt_hex"),
        secret_block: case.input("secret_block_b64"),
    };
    let parts = client
        .claim_parts(identity, password, &challenge, case.timestamp())
        .unwrap();
    let u = parts.u.to_be_bytes();
    assert_eq!(number_to_hex(&u), case.section(outputs, "u_hex"), "{id}: u");
    assert_eq!(
        pad(&u),
        case.section_hex(outputs, "u_padded_hex"),
        "{id}: PAD(u)"
    );
    let x = parts.x.to_be_bytes();
    assert_eq!(number_to_hex(&x), case.section(outputs, "x_hex"), "{id}: x");
    let premaster = element_bytes(&parts.premaster);
    assert_eq!(
        number_to_hex(&premaster),
        case.section(outputs, "S_hex"),
        "{id}: S"
    );
    assert_eq!(
        pad(&premaster),
        case.section_hex(outputs, "S_padded_hex"),
        "{id}: PAD(S)"
    );
    assert_eq!(
        parts.key.to_vec(),
        case.section_hex(outputs, "hkdf_key_hex"),
        "{id}: key"
    );
    assert_eq!(
        parts.claim.timestamp,
        case.section(outputs, "timestamp"),
        "{id}: TIMESTAMP"
    );
    assert_eq!(
        parts.claim.signature,
        case.section(outputs, "signature_b64"),
        "{id}: signature"
    );
}

#[test]
fn group_constants() {
    let vectors = vectors();
    assert_eq!(
        number_to_hex(&element_bytes(group().modulus())),
        vectors.constant("N_hex")
    );
    assert_eq!(
        number_to_hex(&element_bytes(&group().k().retrieve())),
        vectors.constant("k_hex")
    );
}

#[test]
fn user_flow_intermediate_values() {
    for case in vectors().cases("user_srp") {
        let identity =
            Identity::user(case.input("pool_id"), case.input("user_id_for_srp")).unwrap();
        assert_eq!(identity.realm(), case.input("pool_name"), "{}", case.id());
        check_client_case(&case, &identity, case.input("password"), "outputs");
    }
}

#[test]
fn device_flow_intermediate_values() {
    for case in vectors().cases("device_srp") {
        let identity =
            Identity::device(case.input("device_group_key"), case.input("device_key")).unwrap();
        check_client_case(&case, &identity, case.input("device_password"), "outputs");
    }
}

#[test]
fn confirm_device_intermediate_values() {
    for case in vectors().cases("device_verifier") {
        let id = case.id();
        let identity =
            Identity::device(case.input("device_group_key"), case.input("device_key")).unwrap();
        let salt = pad(&case.input_hex("salt_random_bytes_hex"));
        assert_eq!(salt, case.output_hex("salt_padded_hex"), "{id}: salt");
        let x = private_x(&salt, &identity, case.output("device_password"));
        assert_eq!(
            number_to_hex(&x.to_be_bytes()),
            case.output("x_hex"),
            "{id}: x"
        );
        let verifier = PasswordVerifier::derive(&identity, case.output("device_password"), &salt);
        assert_eq!(
            pad(&element_bytes(verifier.verifier())),
            case.output_hex("password_verifier_hex"),
            "{id}: v"
        );
    }
}

#[test]
fn server_exchange_intermediate_values() {
    for case in vectors().cases("server_exchange") {
        let id = case.id();
        let (identity, password) = if case.get("kind") == Some("device") {
            let device =
                Identity::device(case.input("device_group_key"), case.input("device_key")).unwrap();
            (device, case.input("device_password"))
        } else {
            let user = Identity::user(case.input("pool_id"), case.input("username")).unwrap();
            (user, case.input("password"))
        };
        check_client_case(&case, &identity, password, "client_outputs");

        let verifier = PasswordVerifier::derive(&identity, password, &case.input_hex("salt_hex"));
        assert_eq!(
            pad(&element_bytes(verifier.verifier())),
            case.section_hex("server", "verifier_padded_hex"),
            "{id}: v"
        );
        let server =
            SrpServer::from_private_key(&verifier, &case.section_hex("server", "b_hex")).unwrap();
        assert_eq!(
            server.srp_b(),
            case.section("server", "srp_b_hex"),
            "{id}: B"
        );
        let premaster = server
            .premaster_for_test(case.section("client_outputs", "A_hex"))
            .unwrap();
        assert_eq!(
            number_to_hex(&element_bytes(&premaster)),
            case.section("server", "S_server_hex"),
            "{id}: server S"
        );
    }
}
