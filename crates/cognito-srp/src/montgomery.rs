// SPDX-License-Identifier: Apache-2.0
//! Montgomery multiplication, squaring and exponentiation modulo the 3072-bit group prime, on
//! plain word arrays in the same Montgomery form as `crypto-bigint`'s `FixedMontyForm` (R = 2^3072),
//! so values pass between the two without conversion.
//!
//! `crypto-bigint` squares through its general multiplication. Exponentiation is ~80% squarings,
//! so this module has a dedicated squaring: each cross product `a[i] * a[j]` (i < j) is computed
//! once and doubled, then the diagonal is added (n(n+1)/2 word products instead of n^2), with the
//! Montgomery reduction interleaved. Both multiplication and squaring scan products column by
//! column into a three-word accumulator, with the second operand and the modulus stored in
//! reverse so both operands of a column are read in the same direction; that is what lets the
//! compiler keep the accumulator in registers.
//!
//! Everything here is constant time with respect to the values: loop bounds and memory
//! addresses depend only on the (public) sizes, the final subtraction of the modulus is chosen by
//! a mask rather than a branch, and table lookups read every entry. Exponentiation uses fixed
//! windows over a public bit length: the number of squarings and multiplications depends on that
//! length only. Scratch space holding secret-derived words is zeroized by the caller's
//! [`Zeroizing`] wrapper.

use crypto_bigint::ctutils::Choice;
use crypto_bigint::{U3072, Uint, WideWord, Word};
use zeroize::Zeroizing;

/// Words in a residue.
pub(crate) const LIMBS: usize = U3072::LIMBS;
/// A residue mod N in Montgomery form, fully reduced, least significant word first.
pub(crate) type Limbs = [Word; LIMBS];
/// Working space of one multiplication: the reduction's quotient words and a reversed operand.
pub(crate) type Scratch = [Limbs; 2];

/// The largest window exponentiation uses, and so the size of its table.
const MAX_WINDOW_BITS: usize = 5;

/// An odd modulus of `LIMBS` words with the constants Montgomery arithmetic needs.
pub(crate) struct Modulus {
    words: Limbs,
    /// `words`, most significant first.
    reversed: Limbs,
    /// -N^-1 mod 2^Word::BITS.
    neg_inverse: Word,
    /// R mod N: 1 in Montgomery form.
    one: Limbs,
}

impl Modulus {
    pub(crate) fn new(modulus: &U3072) -> Self {
        let words = modulus.to_words();
        assert!(
            words[0] & 1 == 1,
            "Montgomery arithmetic needs an odd modulus"
        );
        // Newton's iteration doubles the number of correct low bits each time, from 1.
        let (mut inverse, two): (Word, Word) = (1, 2);
        let mut correct_bits = 1;
        while correct_bits < Word::BITS {
            inverse = inverse.wrapping_mul(two.wrapping_sub(words[0].wrapping_mul(inverse)));
            correct_bits *= 2;
        }
        let mut reversed = words;
        reversed.reverse();
        // R mod N = 2^3072 - N when N > 2^3071, which holds for every modulus this is built for;
        // checked so a different one cannot silently get a wrong constant.
        assert!(
            words[LIMBS - 1] >> (Word::BITS - 1) == 1,
            "modulus must have its top bit set"
        );
        let one = Uint::<LIMBS>::ZERO.wrapping_sub(modulus).to_words();
        Self {
            words,
            reversed,
            neg_inverse: inverse.wrapping_neg(),
            one,
        }
    }

    /// 1 in Montgomery form.
    pub(crate) fn one(&self) -> &Limbs {
        &self.one
    }

    /// a * b / R mod N, for a and b below N.
    pub(crate) fn mul(&self, a: &Limbs, b: &Limbs, scratch: &mut Scratch) -> Limbs {
        let [quotient, b_reversed] = scratch;
        *b_reversed = *b;
        b_reversed.reverse();
        let mut out = [0; LIMBS];
        let mut acc = Accumulator::default();
        for k in 0..LIMBS {
            // Column k: a[i] * b[k - i] for i <= k, and quotient[i] * N[k - i] for i < k.
            let r = LIMBS - 1 - k;
            acc.add(dot(a, &b_reversed[r..], k + 1));
            acc.add(dot(&quotient[..], &self.reversed[r..], k));
            self.reduce_column(&mut acc, quotient, k);
        }
        for k in LIMBS..2 * LIMBS - 1 {
            let s = k + 1 - LIMBS;
            acc.add(dot(&a[s..], &b_reversed[..], LIMBS - s));
            acc.add(dot(&quotient[s..], &self.reversed, LIMBS - s));
            out[k - LIMBS] = acc.shift();
        }
        self.finish(out, acc, quotient)
    }

    /// a^2 / R mod N, for a below N.
    pub(crate) fn square(&self, a: &Limbs, scratch: &mut Scratch) -> Limbs {
        let [quotient, a_reversed] = scratch;
        *a_reversed = *a;
        a_reversed.reverse();
        let mut out = [0; LIMBS];
        let mut acc = Accumulator::default();
        for k in 0..2 * LIMBS - 1 {
            let s = (k + 1).saturating_sub(LIMBS);
            // The cross products a[i] * a[k - i] with i < k - i, once each, then doubled.
            let half = k.div_ceil(2);
            let mut column = dot(&a[s..], &a_reversed[LIMBS - 1 + s - k..], half - s);
            column.double();
            if k % 2 == 0 {
                column.mac(a[k / 2], a[k / 2]);
            }
            acc.add(column);
            if k < LIMBS {
                acc.add(dot(&quotient[..], &self.reversed[LIMBS - 1 - k..], k));
                self.reduce_column(&mut acc, quotient, k);
            } else {
                acc.add(dot(&quotient[s..], &self.reversed, LIMBS - s));
                out[k - LIMBS] = acc.shift();
            }
        }
        self.finish(out, acc, quotient)
    }

    /// Picks the quotient word that clears column k (< LIMBS) and moves on to the next column.
    #[inline(always)]
    fn reduce_column(&self, acc: &mut Accumulator, quotient: &mut Limbs, k: usize) {
        let q = acc.low_word().wrapping_mul(self.neg_inverse);
        quotient[k] = q;
        acc.mac(q, self.words[0]);
        acc.shift();
    }

    /// The last word of a product below 2N, then one subtraction of N, chosen by mask. `spare`
    /// (scratch space) takes the difference.
    #[inline(always)]
    fn finish(&self, mut out: Limbs, mut acc: Accumulator, spare: &mut Limbs) -> Limbs {
        out[LIMBS - 1] = acc.shift();
        let overflow = acc.low_word();
        let mut borrow: Word = 0;
        for ((difference, value), modulus) in spare.iter_mut().zip(&out).zip(&self.words) {
            let (d, b1) = value.overflowing_sub(*modulus);
            let (d, b2) = d.overflowing_sub(borrow);
            *difference = d;
            borrow = Word::from(b1 | b2);
        }
        // The value is overflow * 2^3072 + out. Keep `out` only when it is below N: no overflow
        // word, and the subtraction borrowed.
        let keep = Choice::from_u8_lsb((borrow & !overflow) as u8);
        let keep_mask = Word::from(keep.to_u8()).wrapping_neg();
        for (value, difference) in out.iter_mut().zip(spare.iter()) {
            *value = (*value & keep_mask) | (*difference & !keep_mask);
        }
        out
    }

    /// base^exponent (Montgomery form in and out) over the low `bits` bits of `exponent`; higher
    /// bits are ignored. `bits` is public: it alone fixes the sequence of operations.
    pub(crate) fn pow<const EXPONENT_LIMBS: usize>(
        &self,
        base: &Limbs,
        exponent: &Uint<EXPONENT_LIMBS>,
        bits: u32,
    ) -> Limbs {
        let bits = bits.min(Uint::<EXPONENT_LIMBS>::BITS) as usize;
        if bits == 0 {
            return self.one;
        }
        // Squarings cost the same for any window; a wider window saves multiplications but
        // costs 2^(w-1) multiplications and squarings to build its table. 5 is the better trade
        // from ~320 bits (the client's 1025-bit and the server's 512-bit exponents), 4 below it.
        if bits > 320 {
            self.pow_windowed::<5, EXPONENT_LIMBS>(base, exponent, bits)
        } else {
            self.pow_windowed::<4, EXPONENT_LIMBS>(base, exponent, bits)
        }
    }

    fn pow_windowed<const WINDOW: usize, const EXPONENT_LIMBS: usize>(
        &self,
        base: &Limbs,
        exponent: &Uint<EXPONENT_LIMBS>,
        bits: usize,
    ) -> Limbs {
        debug_assert!(WINDOW <= MAX_WINDOW_BITS && bits > 0);
        let mut scratch: Zeroizing<Scratch> = Zeroizing::new([[0; LIMBS]; 2]);
        // table[d] = base^d.
        let mut table: Zeroizing<[Limbs; 1 << MAX_WINDOW_BITS]> =
            Zeroizing::new([[0; LIMBS]; 1 << MAX_WINDOW_BITS]);
        let entries = 1 << WINDOW;
        table[0] = self.one;
        table[1] = *base;
        for d in 2..entries {
            table[d] = if d % 2 == 0 {
                self.square(&table[d / 2], &mut scratch)
            } else {
                self.mul(&table[d - 1], base, &mut scratch)
            };
        }
        let table = &table[..entries];
        let words = exponent.as_words();
        let windows = bits.div_ceil(WINDOW);
        let top = windows - 1;
        let mut acc = Zeroizing::new(lookup(
            table,
            digit(words, top * WINDOW, bits - top * WINDOW),
        ));
        let mut entry = Zeroizing::new([0; LIMBS]);
        for window in (0..top).rev() {
            for _ in 0..WINDOW {
                *acc = self.square(&acc, &mut scratch);
            }
            *entry = lookup(table, digit(words, window * WINDOW, WINDOW));
            *acc = self.mul(&acc, &entry, &mut scratch);
        }
        *acc
    }
}

/// The `width` (at most 8) bits of `words` from bit `bit` up, as a number. Which words are read
/// depends only on the position.
pub(crate) fn digit(words: &[Word], bit: usize, width: usize) -> u32 {
    debug_assert!(width <= 8);
    let word_bits = Word::BITS as usize;
    let index = bit / word_bits;
    let offset = bit % word_bits;
    let mut value = words[index] >> offset;
    if offset + width > word_bits && index + 1 < words.len() {
        value |= words[index + 1] << (word_bits - offset);
    }
    (value as u32) & ((1 << width) - 1)
}

/// `table[index]`, reading every entry and selecting by mask.
pub(crate) fn lookup(table: &[Limbs], index: u32) -> Limbs {
    let mut out = [0; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let mask = Word::from(Choice::from_u32_eq(i as u32, index).to_u8()).wrapping_neg();
        for (word, candidate) in out.iter_mut().zip(entry) {
            *word |= candidate & mask;
        }
    }
    out
}

/// A sum of word products: `low` holds two words and `high` counts what carries out of them.
#[derive(Clone, Copy, Default)]
struct Accumulator {
    low: WideWord,
    high: Word,
}

impl Accumulator {
    #[inline(always)]
    fn mac(&mut self, x: Word, y: Word) {
        let (sum, carry) = self
            .low
            .overflowing_add(WideWord::from(x) * WideWord::from(y));
        self.low = sum;
        self.high = self.high.wrapping_add(Word::from(carry));
    }

    #[inline(always)]
    fn add(&mut self, other: Accumulator) {
        let (sum, carry) = self.low.overflowing_add(other.low);
        self.low = sum;
        self.high = self
            .high
            .wrapping_add(other.high)
            .wrapping_add(Word::from(carry));
    }

    #[inline(always)]
    fn low_word(&self) -> Word {
        self.low as Word
    }

    /// Returns the lowest word and shifts the rest down by one word.
    #[inline(always)]
    fn shift(&mut self) -> Word {
        let word = self.low_word();
        self.low = (self.low >> Word::BITS) | (WideWord::from(self.high) << Word::BITS);
        self.high = 0;
        word
    }

    #[inline(always)]
    fn double(&mut self) {
        self.high = (self.high << 1) | (self.low >> (2 * Word::BITS - 1)) as Word;
        self.low <<= 1;
    }
}

/// The sum of x[i] * y[i] for i < len. Two accumulators take alternate products, which keeps
/// the compiler from reassociating the carries into extra instructions.
#[inline(always)]
fn dot(x: &[Word], y: &[Word], len: usize) -> Accumulator {
    let x = &x[..len];
    let y = &y[..len];
    let mut even = Accumulator::default();
    let mut odd = Accumulator::default();
    let x_pairs = x.chunks_exact(2);
    let y_pairs = y.chunks_exact(2);
    let (x_rest, y_rest) = (x_pairs.remainder(), y_pairs.remainder());
    for (xs, ys) in x_pairs.zip(y_pairs) {
        even.mac(xs[0], ys[0]);
        odd.mac(xs[1], ys[1]);
    }
    for (x, y) in x_rest.iter().zip(y_rest) {
        even.mac(*x, *y);
    }
    even.add(odd);
    even
}

#[cfg(test)]
mod tests {
    use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
    use crypto_bigint::{Odd, U1024, U3072, Uint, Word};

    use super::{LIMBS, Limbs, Modulus, Scratch, digit, lookup};
    use crate::group::{Element, group};

    type Monty = FixedMontyForm<LIMBS>;

    /// xorshift64*, so the tests are reproducible without another dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn uint<const L: usize>(&mut self) -> Uint<L> {
            let mut bytes = vec![0u8; Uint::<L>::BYTES];
            for chunk in bytes.chunks_mut(8) {
                chunk.copy_from_slice(&self.next().to_le_bytes()[..chunk.len()]);
            }
            Uint::from_le_slice(&bytes)
        }
    }

    struct Setup {
        params: FixedMontyParams<LIMBS>,
        modulus: Modulus,
    }

    impl Setup {
        fn new(n: &U3072) -> Self {
            Self {
                params: FixedMontyParams::new_vartime(Odd::new(*n).unwrap()),
                modulus: Modulus::new(n),
            }
        }

        /// The group's N, whose low word makes -N^-1 mod 2^64 equal 1.
        fn group() -> Self {
            Self::new(group().modulus())
        }

        /// A random odd modulus with its top bit set, to exercise a general -N^-1.
        fn random(rng: &mut Rng) -> Self {
            let n: U3072 = rng.uint::<LIMBS>() | U3072::ONE | (U3072::ONE << 3071);
            Self::new(&n)
        }

        fn monty(&self, montgomery_form: &U3072) -> Monty {
            Monty::from_montgomery(*montgomery_form, &self.params)
        }

        /// Montgomery forms worth testing: 0, 1, 2, R mod N (i.e. one), N - 1, N - 2, values with
        /// the top bit set, words all ones, then random values below N.
        fn values(&self, rng: &mut Rng, random: usize) -> Vec<U3072> {
            let n = self.params.modulus().get();
            let mut values = vec![
                U3072::ZERO,
                U3072::ONE,
                U3072::from_u8(2),
                *Monty::one(&self.params).as_montgomery(),
                n.wrapping_sub(&U3072::ONE),
                n.wrapping_sub(&U3072::from_u8(2)),
                U3072::ONE << 3071,
                (U3072::ONE << 3071) | U3072::ONE,
                n.wrapping_sub(&(U3072::ONE << 64)),
                U3072::from_words([Word::MAX; LIMBS]) >> 1,
            ];
            values.extend(
                (0..random)
                    .map(|_| *Monty::new(&rng.uint::<LIMBS>(), &self.params).as_montgomery()),
            );
            values
        }
    }

    fn words(value: &U3072) -> Limbs {
        value.to_words()
    }

    fn scratch() -> Scratch {
        [[0; LIMBS]; 2]
    }

    #[test]
    fn multiplication_and_squaring_agree_with_crypto_bigint() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for setup in [
            Setup::group(),
            Setup::random(&mut rng),
            Setup::random(&mut rng),
        ] {
            let values = setup.values(&mut rng, 12);
            let mut scratch = scratch();
            for a in &values {
                let expected = setup.monty(a).square();
                assert_eq!(
                    setup.modulus.square(&words(a), &mut scratch),
                    words(expected.as_montgomery()),
                    "{a:x}^2"
                );
                for b in &values {
                    let expected = setup.monty(a).mul(&setup.monty(b));
                    assert_eq!(
                        setup.modulus.mul(&words(a), &words(b), &mut scratch),
                        words(expected.as_montgomery()),
                        "{a:x} * {b:x}"
                    );
                }
            }
        }
    }

    #[test]
    fn random_products_agree_with_crypto_bigint() {
        let mut rng = Rng(0xfeed_face_cafe_beef);
        let setup = Setup::group();
        let mut scratch = scratch();
        for _ in 0..500 {
            let a = *Monty::new(&rng.uint::<LIMBS>(), &setup.params).as_montgomery();
            let b = *Monty::new(&rng.uint::<LIMBS>(), &setup.params).as_montgomery();
            let product = setup.monty(&a).mul(&setup.monty(&b));
            assert_eq!(
                setup.modulus.mul(&words(&a), &words(&b), &mut scratch),
                words(product.as_montgomery())
            );
            assert_eq!(
                setup.modulus.square(&words(&a), &mut scratch),
                words(setup.monty(&a).square().as_montgomery())
            );
        }
    }

    #[test]
    fn one_is_r_mod_n() {
        let mut rng = Rng(7);
        for setup in [Setup::group(), Setup::random(&mut rng)] {
            assert_eq!(
                setup.modulus.one(),
                &words(Monty::one(&setup.params).as_montgomery())
            );
        }
    }

    #[test]
    fn exponentiation_agrees_with_crypto_bigint() {
        let mut rng = Rng(0x5eed);
        type Exponent = Uint<{ U1024::LIMBS + 1 }>;
        let all_ones = Exponent::MAX;
        let random: Exponent = rng.uint();
        let exponents = [
            Exponent::ZERO,
            Exponent::ONE,
            Exponent::from_u8(2),
            Exponent::from_u8(31),
            Exponent::from_u8(32),
            all_ones,
            random,
        ];
        // Window boundaries of both window sizes, the sizes the protocol uses, and bounds below
        // the exponent's length (its higher bits must be ignored).
        let bounds = [
            0, 1, 3, 4, 5, 6, 9, 63, 64, 65, 255, 256, 320, 321, 512, 513, 1024, 1025,
        ];
        for setup in [Setup::group(), Setup::random(&mut rng)] {
            let values = setup.values(&mut rng, 2);
            for base in [
                &values[0],
                &values[1],
                &values[3],
                &values[4],
                &values[6],
                &values[10],
            ] {
                for exponent in &exponents {
                    for bits in bounds {
                        let expected = setup.monty(base).pow_bounded_exp(exponent, bits);
                        assert_eq!(
                            setup.modulus.pow(&words(base), exponent, bits),
                            words(expected.as_montgomery()),
                            "{base:x}^{exponent:x} over {bits} bits"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn exponentiation_with_narrow_exponents() {
        let mut rng = Rng(99);
        let setup = Setup::group();
        let base = *Monty::new(&rng.uint::<LIMBS>(), &setup.params).as_montgomery();
        for _ in 0..8 {
            let exponent: crypto_bigint::U256 = rng.uint();
            for bits in [1, 17, 200, 256] {
                assert_eq!(
                    setup.modulus.pow(&words(&base), &exponent, bits),
                    words(
                        setup
                            .monty(&base)
                            .pow_bounded_exp(&exponent, bits)
                            .as_montgomery()
                    )
                );
            }
        }
        let narrow = crypto_bigint::U64::from_u64(0xdead_beef_0bad_f00d);
        assert_eq!(
            setup.modulus.pow(&words(&base), &narrow, 64),
            words(setup.monty(&base).pow(&narrow).as_montgomery())
        );
        // A bound above the exponent's width is clamped to it.
        assert_eq!(
            setup.modulus.pow(&words(&base), &narrow, 1000),
            words(setup.monty(&base).pow(&narrow).as_montgomery())
        );
    }

    #[test]
    fn digits_straddle_words() {
        let value = crypto_bigint::U128::from_be_hex("0000000000000005f000000000000001");
        let words = value.as_words();
        assert_eq!(digit(words, 0, 5), 1);
        assert_eq!(digit(words, 60, 5), 0b1_1111);
        assert_eq!(digit(words, 62, 5), 0b1_0111);
        assert_eq!(digit(words, 126, 5), 0);
        assert_eq!(digit(words, 64, 4), 5);
    }

    #[test]
    fn lookup_returns_the_indexed_entry() {
        let table: Vec<Limbs> = (0..32u8)
            .map(|i| words(&Element::from_u8(i).wrapping_mul(&Element::MAX)))
            .collect();
        for (index, entry) in table.iter().enumerate() {
            assert_eq!(&lookup(&table, index as u32), entry);
        }
    }
}
