// SPDX-License-Identifier: Apache-2.0
//! The hash-based steps both sides share: the identity, x, u, the session key and the claim MAC.

use crypto_bigint::U256;
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::SrpError;
use crate::group::{Element, element_bytes, pad, uint_from_hash};

const KEY_INFO: &[u8] = b"Caldera Derived Key";
const KEY_BYTES: usize = 16;

/// Who proves knowledge of a password: a user of a pool, or a remembered device.
///
/// Cognito's SRP mixes two names into every hash: for a user, the pool name (the part of the pool
/// id after `_`) and `USER_ID_FOR_SRP`; for a device, the device group key and the device key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity<'a> {
    realm: &'a str,
    name: &'a str,
}

impl<'a> Identity<'a> {
    /// A user: `pool_id` as `us-east-1_AbC123xyZ`, and the `USER_ID_FOR_SRP` of the challenge
    /// (the internal username, which is not always what the user typed).
    pub fn user(pool_id: &'a str, user_id_for_srp: &'a str) -> Result<Self, SrpError> {
        // The JavaScript library takes `split('_')[1]`; pool ids have exactly one '_'.
        let pool_name = pool_id.split('_').nth(1).ok_or(SrpError::InvalidPoolId)?;
        Self::new(pool_name, "pool name", user_id_for_srp, "USER_ID_FOR_SRP")
    }

    /// A remembered device: its `DeviceGroupKey` and `DeviceKey` from `NewDeviceMetadata`.
    pub fn device(device_group_key: &'a str, device_key: &'a str) -> Result<Self, SrpError> {
        Self::new(device_group_key, "DeviceGroupKey", device_key, "DeviceKey")
    }

    fn new(
        realm: &'a str,
        realm_field: &'static str,
        name: &'a str,
        name_field: &'static str,
    ) -> Result<Self, SrpError> {
        if realm.is_empty() {
            return Err(SrpError::EmptyIdentity { field: realm_field });
        }
        if name.is_empty() {
            return Err(SrpError::EmptyIdentity { field: name_field });
        }
        Ok(Self { realm, name })
    }

    /// The pool name or device group key.
    pub fn realm(&self) -> &'a str {
        self.realm
    }

    /// The user id for SRP or device key.
    pub fn name(&self) -> &'a str {
        self.name
    }
}

/// x = H(PAD(salt) || H(realm || name || ":" || password)): the exponent of the verifier.
pub(crate) fn private_x(
    padded_salt: &[u8],
    identity: &Identity,
    password: &str,
) -> Zeroizing<U256> {
    let mut inner = Zeroizing::new([0u8; 32]);
    Sha256::new()
        .chain_update(identity.realm)
        .chain_update(identity.name)
        .chain_update(":")
        .chain_update(password)
        .finalize_into((&mut *inner).into());
    let mut outer = Zeroizing::new([0u8; 32]);
    Sha256::new()
        .chain_update(padded_salt)
        .chain_update(inner.as_slice())
        .finalize_into((&mut *outer).into());
    Zeroizing::new(uint_from_hash(outer.as_slice()))
}

/// u = H(PAD(A) || PAD(B)). Both sides refuse u = 0, which would let the password drop out of S.
pub(crate) fn scrambler(public_a: &Element, public_b: &Element) -> Result<U256, SrpError> {
    let hash = Sha256::new()
        .chain_update(pad(&element_bytes(public_a)))
        .chain_update(pad(&element_bytes(public_b)))
        .finalize();
    let u = uint_from_hash(&hash);
    if u.is_zero_vartime() {
        return Err(SrpError::ScramblerZero);
    }
    Ok(u)
}

/// The 16-byte key: the first block of HKDF-SHA256 with ikm = PAD(S) and salt = PAD(u).
pub(crate) fn session_key(premaster: &Element, u: &U256) -> Zeroizing<[u8; KEY_BYTES]> {
    let ikm = Zeroizing::new(pad(&element_bytes(premaster)));
    let salt = pad(&u.to_be_bytes());
    let mut key = Zeroizing::new([0u8; KEY_BYTES]);
    Hkdf::<Sha256>::new(Some(&salt), &ikm)
        .expand(KEY_INFO, key.as_mut_slice())
        .expect("16 bytes is far below HKDF-SHA256's output limit");
    key
}

/// HMAC(key, realm || name || SECRET_BLOCK bytes || TIMESTAMP): PASSWORD_CLAIM_SIGNATURE before
/// base64. The client finalises it; the server verifies in constant time.
pub(crate) fn claim_mac(
    key: &[u8; KEY_BYTES],
    identity: &Identity,
    secret_block: &[u8],
    timestamp: &str,
) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(identity.realm.as_bytes());
    mac.update(identity.name.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_name_is_the_part_after_the_underscore() {
        let user = Identity::user("us-east-1_AbC123xyZ", "alice").unwrap();
        assert_eq!((user.realm(), user.name()), ("AbC123xyZ", "alice"));
        assert_eq!(
            Identity::user("AbC123xyZ", "alice"),
            Err(SrpError::InvalidPoolId)
        );
        assert_eq!(
            Identity::user("us-east-1_", "alice"),
            Err(SrpError::EmptyIdentity { field: "pool name" })
        );
        assert_eq!(
            Identity::user("us-east-1_AbC", ""),
            Err(SrpError::EmptyIdentity {
                field: "USER_ID_FOR_SRP"
            })
        );
        assert_eq!(
            Identity::device("", "key"),
            Err(SrpError::EmptyIdentity {
                field: "DeviceGroupKey"
            })
        );
        assert_eq!(
            Identity::device("group", ""),
            Err(SrpError::EmptyIdentity { field: "DeviceKey" })
        );
    }
}
