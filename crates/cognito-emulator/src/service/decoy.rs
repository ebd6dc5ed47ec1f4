// SPDX-License-Identifier: Apache-2.0
//! What an app client with PreventUserExistenceErrors shows for a user who does not exist: the
//! same work and the same shapes as for a real user who gives a wrong password, so neither the
//! answers nor their timing tell who has an account.

use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp::{Identity, PasswordVerifier, SrpServer};

use super::Pool;
use crate::crypto::random;

/// Checked against when there is no user, so a password takes as long to refuse as a real
/// user's wrong one. Nobody knows its password.
static VERIFIER: LazyLock<PasswordVerifier> = LazyLock::new(|| {
    let identity = Identity::user("us-east-1_decoy", "decoy").expect("a valid identity");
    PasswordVerifier::generate(&identity, &random::password(32)).expect("random bytes")
});

/// Judges claims that have no sign-in behind them, as much work as judging a real one; its
/// B is never shown.
static SERVER: LazyLock<SrpServer> =
    LazyLock::new(|| SrpServer::new(&VERIFIER).expect("random bytes"));

pub(super) fn verifier() -> &'static PasswordVerifier {
    &VERIFIER
}

pub(super) fn server() -> &'static SrpServer {
    &SERVER
}

/// The verifier an unknown user's PASSWORD_VERIFIER challenge is built on. Its salt is the same
/// every time for the same user key, as a real user's is, and only the pool's own key computes
/// it, so two requests (or two restarts) do not tell a made-up user from a real one.
pub(super) fn verifier_for(pool: &Pool, user_key: &str) -> PasswordVerifier {
    let derived = pool.keys.access.derive(&format!("srp-salt:{user_key}"));
    let salt = STANDARD.encode(&derived[..16]);
    PasswordVerifier::from_base64(&salt, &VERIFIER.verifier_base64())
        .unwrap_or_else(|_| VERIFIER.clone())
}
