// SPDX-License-Identifier: Apache-2.0
//! The two SHA-256 digests of OAuth 2.0 and OpenID Connect: PKCE's S256 challenge
//! (RFC 7636 4.6) and the ID token's `at_hash` (OpenID Connect Core 3.3.2.11).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::PkceChallenge;

/// `at_hash`: the left half of the access token's SHA-256 (RS256 tokens), base64url.
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2])
}

/// Whether a `code_verifier` answers the challenge of the authorize request. A verifier
/// RFC 7636 does not allow (43 to 128 unreserved characters) answers nothing. Compared in
/// constant time.
pub(crate) fn pkce_matches(challenge: &PkceChallenge, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !well_formed {
        return false;
    }
    let (expected, derived) = match challenge {
        PkceChallenge::S256(expected) => (
            expected,
            URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        ),
        PkceChallenge::Plain(expected) => (expected, verifier.to_owned()),
    };
    aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), derived.as_bytes())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_of_rfc_7636_appendix_b_is_answered_by_its_verifier() {
        let challenge = PkceChallenge::S256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into());
        assert!(pkce_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!pkce_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj"
        ));
    }

    #[test]
    fn a_plain_challenge_is_its_verifier_and_short_verifiers_answer_nothing() {
        let verifier = "a".repeat(43);
        assert!(pkce_matches(
            &PkceChallenge::Plain(verifier.clone()),
            &verifier
        ));
        assert!(!pkce_matches(
            &PkceChallenge::Plain("short".into()),
            "short"
        ));
    }

    #[test]
    fn at_hash_is_that_of_openid_connect_core_appendix_a() {
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }
}
