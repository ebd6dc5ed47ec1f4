// SPDX-License-Identifier: Apache-2.0
//! SECRET_HASH: what an app client with a secret sends with SignUp, ConfirmSignUp,
//! ResendConfirmationCode, InitiateAuth and every challenge response:
//! base64(HMAC-SHA256(key = client secret, message = username + client id)).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn mac(client_secret: &str, username: &str, client_id: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    mac
}

/// The SECRET_HASH for `username` (the internal username in challenge responses).
pub fn compute(client_secret: &str, username: &str, client_id: &str) -> String {
    STANDARD.encode(
        mac(client_secret, username, client_id)
            .finalize()
            .into_bytes(),
    )
}

/// Constant-time check of a SECRET_HASH a client sent.
pub fn matches(client_secret: &str, username: &str, client_id: &str, sent: &str) -> bool {
    STANDARD.decode(sent).is_ok_and(|sent| {
        mac(client_secret, username, client_id)
            .verify_slice(&sent)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_what_it_computes_and_nothing_else() {
        let hash = compute("s3cr3t", "alice", "client1");
        assert!(matches("s3cr3t", "alice", "client1", &hash));
        assert!(!matches("s3cr3t", "Alice", "client1", &hash));
        assert!(!matches("other", "alice", "client1", &hash));
        assert!(!matches("s3cr3t", "alice", "client1", "not base64!"));
    }
}
