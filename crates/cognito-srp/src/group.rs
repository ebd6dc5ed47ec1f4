// SPDX-License-Identifier: Apache-2.0
//! The 3072-bit group Cognito uses (RFC 5054 / RFC 3526), its multiplier `k`, the Java-style
//! integer encoding that every hash input goes through, and exponentiation.
//!
//! All arithmetic is constant-time Montgomery arithmetic: exponentiation and the fixed-base table
//! use the word-level multiplication and squaring of [`crate::montgomery`], everything else
//! `crypto-bigint`'s `FixedMontyForm` (same Montgomery form). Only the lengths of exponents
//! (public) and of encodings (public on the wire anyway) affect timing.

use std::sync::OnceLock;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U256, U3072, Uint};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::SrpError;
use crate::montgomery::{self, Limbs, Modulus, Scratch};

/// An integer below 2^3072: a group element, or a value that is about to be reduced into one.
pub(crate) type Element = U3072;
pub(crate) type Monty = FixedMontyForm<{ U3072::LIMBS }>;

/// Byte length of N.
pub(crate) const ELEMENT_BYTES: usize = 384;

const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator. Being 2, the fixed-base table below is all that exponentiations of g need.
const G: u8 = 2;

/// Window width of the fixed-base table for g: 256 windows of 16 entries cover exponents of up
/// to 1024 bits (1.5 MiB, built once in ~15 ms) and turn g^e into one multiplication per window
/// instead of one squaring per bit.
const WINDOW_BITS: u32 = 4;
const WINDOW_ENTRIES: usize = 1 << WINDOW_BITS;
/// The largest exponent `pow_g` takes, in bits: the client's `a` and the server's `b` are at most
/// 128 bytes, `x` is a 32-byte hash.
pub(crate) const MAX_G_EXPONENT_BITS: u32 = 1024;
const WINDOWS: usize = (MAX_G_EXPONENT_BITS / WINDOW_BITS) as usize;

pub(crate) struct Group {
    params: FixedMontyParams<{ U3072::LIMBS }>,
    /// N again, as words, for the exponentiations.
    modulus: Modulus,
    /// k = H(PAD(N) || PAD(g)), in Montgomery form.
    k: Monty,
    /// `g_table[w][d]` = g^(d * 16^w), in Montgomery form.
    g_table: Vec<[Limbs; WINDOW_ENTRIES]>,
}

pub(crate) fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(Group::new)
}

impl Group {
    fn new() -> Self {
        let modulus: Odd<U3072> = Odd::from_be_hex(N_HEX);
        let params = FixedMontyParams::new_vartime(modulus);
        let k_hash = Sha256::new()
            .chain_update(pad(&modulus.get().to_be_bytes()))
            .chain_update(pad(&[G]))
            .finalize();
        let k = Monty::new(&uint_from_hash(&k_hash).resize(), &params);

        let modulus_words = Modulus::new(modulus.as_ref());
        let mut scratch = [[0; montgomery::LIMBS]; 2];
        let mut base = Monty::new(&Element::from_u8(G), &params)
            .as_montgomery()
            .to_words();
        let mut g_table = Vec::with_capacity(WINDOWS);
        for _ in 0..WINDOWS {
            let mut row = [*modulus_words.one(); WINDOW_ENTRIES];
            for d in 1..WINDOW_ENTRIES {
                row[d] = modulus_words.mul(&row[d - 1], &base, &mut scratch);
            }
            // The next window's base is this one's raised to 16.
            base = modulus_words.mul(&row[WINDOW_ENTRIES - 1], &base, &mut scratch);
            g_table.push(row);
        }
        Self {
            params,
            modulus: modulus_words,
            k,
            g_table,
        }
    }

    #[cfg(test)]
    pub(crate) fn modulus(&self) -> &Element {
        self.params.modulus().as_ref()
    }

    pub(crate) fn k(&self) -> &Monty {
        &self.k
    }

    pub(crate) fn to_monty(&self, value: &Element) -> Monty {
        Monty::new(value, &self.params)
    }

    /// g^exponent mod N over the low `bits` bits of the exponent (`bits` is public; the exponent
    /// is not): one multiplication per window, each by an entry read from the whole table row.
    pub(crate) fn pow_g<const LIMBS: usize>(&self, exponent: &Uint<LIMBS>, bits: u32) -> Monty {
        debug_assert!(bits <= MAX_G_EXPONENT_BITS && bits <= Uint::<LIMBS>::BITS);
        let bits = bits as usize;
        let window_bits = WINDOW_BITS as usize;
        let words = exponent.as_words();
        let mut scratch: Zeroizing<Scratch> = Zeroizing::new([[0; montgomery::LIMBS]; 2]);
        let mut result = Zeroizing::new(*self.modulus.one());
        let mut entry = Zeroizing::new([0; montgomery::LIMBS]);
        for (window, row) in self
            .g_table
            .iter()
            .take(bits.div_ceil(window_bits))
            .enumerate()
        {
            let start = window * window_bits;
            let width = window_bits.min(bits - start);
            *entry = montgomery::lookup(row, montgomery::digit(words, start, width));
            *result = self.modulus.mul(&result, &entry, &mut scratch);
        }
        self.monty_from_words(&result)
    }

    /// base^exponent mod N over the low `bits` bits of the exponent (`bits` is public; the
    /// exponent is not); the constant-time counterpart of `pow_bounded_exp`, faster.
    pub(crate) fn pow<const LIMBS: usize>(
        &self,
        base: &Monty,
        exponent: &Uint<LIMBS>,
        bits: u32,
    ) -> Monty {
        let base = Zeroizing::new(base.as_montgomery().to_words());
        let result = Zeroizing::new(self.modulus.pow(&base, exponent, bits));
        self.monty_from_words(&result)
    }

    fn monty_from_words(&self, words: &Limbs) -> Monty {
        Monty::from_montgomery(Element::from_words(*words), &self.params)
    }
}

/// A SHA-256 output read as a big-endian integer (the u, x and k of SRP).
pub(crate) fn uint_from_hash(hash: &[u8]) -> U256 {
    U256::from_be_slice(hash)
}

/// The encoding every SRP hash input uses, as Java's `BigInteger.toByteArray` and the JavaScript
/// library's `padHex` produce it: the minimal big-endian bytes of a non-negative integer, with one
/// 0x00 in front when the top bit is set. Not fixed-width. Leading zero bytes of the input are
/// dropped first, since the input is read as a number.
pub(crate) fn pad(be_bytes: &[u8]) -> Vec<u8> {
    let significant = strip_leading_zeros(be_bytes);
    let mut out = Vec::with_capacity(significant.len() + 1);
    if significant.first().is_none_or(|byte| byte & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(significant);
    out
}

pub(crate) fn strip_leading_zeros(be_bytes: &[u8]) -> &[u8] {
    let start = be_bytes
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(be_bytes.len());
    &be_bytes[start..]
}

/// Reads a non-negative integer below 2^3072 from big-endian bytes of any length.
pub(crate) fn element_from_bytes(
    field: &'static str,
    be_bytes: &[u8],
) -> Result<Element, SrpError> {
    let significant = strip_leading_zeros(be_bytes);
    if significant.len() > ELEMENT_BYTES {
        return Err(SrpError::TooLarge { field });
    }
    let mut buffer = [0u8; ELEMENT_BYTES];
    buffer[ELEMENT_BYTES - significant.len()..].copy_from_slice(significant);
    Ok(Element::from_be_slice(&buffer))
}

pub(crate) fn element_bytes(value: &Element) -> [u8; ELEMENT_BYTES] {
    let mut out = [0u8; ELEMENT_BYTES];
    out.copy_from_slice(value.to_be_bytes().as_ref());
    out
}

/// A group element reduced mod N, with the check every SRP party makes on the other's public
/// value: a multiple of N would force the shared secret to a known value.
pub(crate) fn public_element(field: &'static str, value: &Element) -> Result<Monty, SrpError> {
    let reduced = group().to_monty(value);
    if reduced.retrieve().is_zero_vartime() {
        return Err(SrpError::PublicValueZero { field });
    }
    Ok(reduced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_follows_java_big_integer_encoding() {
        assert_eq!(pad(&[0x7f, 0x01]), vec![0x7f, 0x01]);
        assert_eq!(pad(&[0x80, 0x01]), vec![0x00, 0x80, 0x01]);
        assert_eq!(pad(&[0x00, 0x00, 0x12]), vec![0x12]);
        assert_eq!(pad(&[0x00, 0x9a]), vec![0x00, 0x9a]);
        assert_eq!(pad(&[]), vec![0x00]);
        assert_eq!(pad(&[0, 0]), vec![0x00]);
    }

    #[test]
    fn fixed_base_table_agrees_with_plain_exponentiation() {
        let group = group();
        let g = group.to_monty(&Element::from_u8(G));
        for exponent in [
            U256::ZERO,
            U256::ONE,
            U256::from_u64(0xdead_beef_1234_5678),
            U256::MAX,
        ] {
            assert_eq!(
                group.pow_g(&exponent, 256).retrieve(),
                g.pow(&exponent).retrieve()
            );
        }
        let wide = crypto_bigint::U1024::MAX.wrapping_sub(&crypto_bigint::U1024::from_u64(12345));
        assert_eq!(group.pow_g(&wide, 1024).retrieve(), g.pow(&wide).retrieve());
    }

    #[test]
    fn exponentiations_ignore_exponent_bits_above_the_bound() {
        let group = group();
        let g = group.to_monty(&Element::from_u8(G));
        let exponent =
            crypto_bigint::U1024::MAX.wrapping_sub(&crypto_bigint::U1024::from_u64(0x1234_5678));
        for bits in [0, 1, 6, 254, 255, 1021, 1024] {
            let expected = g.pow_bounded_exp(&exponent, bits).retrieve();
            assert_eq!(group.pow_g(&exponent, bits).retrieve(), expected, "{bits}");
            assert_eq!(
                group.pow(&g, &exponent, bits).retrieve(),
                expected,
                "{bits}"
            );
        }
    }

    #[test]
    fn elements_longer_than_n_are_refused_and_leading_zeros_ignored() {
        let mut long = vec![0u8; 3];
        long.extend_from_slice(&[0xff; ELEMENT_BYTES]);
        assert!(element_from_bytes("SRP_B", &long).is_ok());
        assert_eq!(
            element_from_bytes("SRP_B", &[1u8; ELEMENT_BYTES + 1]),
            Err(SrpError::TooLarge { field: "SRP_B" })
        );
    }

    #[test]
    fn multiples_of_n_are_refused_as_public_values() {
        let n = *group().modulus();
        assert_eq!(
            public_element("SRP_A", &n).err(),
            Some(SrpError::PublicValueZero { field: "SRP_A" })
        );
        assert_eq!(
            public_element("SRP_A", &Element::ZERO).err(),
            Some(SrpError::PublicValueZero { field: "SRP_A" })
        );
        assert!(public_element("SRP_A", &Element::ONE).is_ok());
    }
}
