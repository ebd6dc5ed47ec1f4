// SPDX-License-Identifier: Apache-2.0
//! Generated passwords and name suffixes, from the operating system's secure random source
//! (through aws-lc-rs). Every character is drawn uniformly from its set.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Capitals without I and O, which are easily read as 1 and 0.
const CAPITALS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Small letters without l and o, for the same reason.
const SMALL: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
/// Digits without 0 and 1.
const NUMERALS: &[u8] = b"23456789";
/// Some of the symbols Cognito counts as special characters: no quotes, backslashes, spaces,
/// glob or history characters.
const MARKS: &[u8] = b"%+-.:=@^_";
/// What generated names are made of: lower-case letters and digits.
const NAME_CHARACTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// The shortest and longest passwords [`password`] makes: Cognito takes 6 to 256 characters, and
/// at least two of each of the four kinds need eight.
const PASSWORD_LENGTHS: (usize, usize) = (8, 256);

/// A password that any Cognito password policy accepts: upper- and lower-case letters, digits
/// and symbols, at least two of each, in random order; `length` characters (8 to 256).
pub fn password(length: usize) -> Zeroizing<String> {
    let length = length.clamp(PASSWORD_LENGTHS.0, PASSWORD_LENGTHS.1);
    let every_kind = [CAPITALS, SMALL, NUMERALS, MARKS].concat();
    let mut draw = Draw::new();
    // The capacity is reserved up front so that no copy of the password is left behind in a
    // freed buffer when it grows.
    let mut chosen = Zeroizing::new(Vec::with_capacity(length));
    for kind in [CAPITALS, SMALL, NUMERALS, MARKS] {
        chosen.extend([draw.pick(kind), draw.pick(kind)]);
    }
    while chosen.len() < length {
        chosen.push(draw.pick(&every_kind));
    }
    // Fisher-Yates, so the guaranteed characters are not always the first eight.
    for last in (1..chosen.len()).rev() {
        chosen.swap(last, draw.below(last + 1));
    }
    let text = String::from_utf8(std::mem::take(&mut *chosen)).expect("ASCII characters");
    Zeroizing::new(text)
}

/// `length` lower-case letters and digits: a suffix that makes a user or pool name unique.
pub fn name_suffix(length: usize) -> String {
    let mut draw = Draw::new();
    (0..length)
        .map(|_| char::from(draw.pick(NAME_CHARACTERS)))
        .collect()
}

/// Unbiased choices made from random bytes, fetched a block at a time.
struct Draw {
    source: SystemRandom,
    block: [u8; 64],
    used: usize,
}

impl Draw {
    fn new() -> Self {
        Self {
            source: SystemRandom::new(),
            block: [0; 64],
            used: 64,
        }
    }

    fn byte(&mut self) -> u8 {
        if self.used == self.block.len() {
            self.source
                .fill(&mut self.block)
                .expect("the operating system's random source failed");
            self.used = 0;
        }
        self.used += 1;
        self.block[self.used - 1]
    }

    /// A number in `0..count` (`count` from 1 to 256), each as likely as the others: a byte
    /// from the last, incomplete run of `count` values would favour the small numbers, so it
    /// is thrown away and another one drawn.
    fn below(&mut self, count: usize) -> usize {
        assert!((1..=256).contains(&count), "cannot choose among {count}");
        let fair_bytes = 256 - 256 % count;
        loop {
            let byte = usize::from(self.byte());
            if byte < fair_bytes {
                return byte % count;
            }
        }
    }

    fn pick(&mut self, set: &[u8]) -> u8 {
        set[self.below(set.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_of(text: &str, set: &[u8]) -> usize {
        text.bytes().filter(|byte| set.contains(byte)).count()
    }

    #[test]
    fn passwords_have_two_of_each_kind_and_nothing_ambiguous() {
        for (asked, made) in [(0, 8), (8, 8), (24, 24), (100, 100), (300, 256)] {
            let password = password(asked);
            assert_eq!(password.len(), made, "{asked} asked for");
            for kind in [CAPITALS, SMALL, NUMERALS, MARKS] {
                assert!(count_of(&password, kind) >= 2, "{password:?}");
            }
            assert!(
                password.bytes().all(|byte| !b"0O1lI".contains(&byte)),
                "{password:?}"
            );
            assert_eq!(
                count_of(&password, &[CAPITALS, SMALL, NUMERALS, MARKS].concat()),
                made
            );
        }
    }

    #[test]
    fn passwords_are_shuffled_and_differ() {
        let passwords: Vec<_> = (0..40).map(|_| password(24)).collect();
        // Unshuffled, every password would start with a capital.
        assert!(
            passwords
                .iter()
                .any(|password| !CAPITALS.contains(&password.as_bytes()[0]))
        );
        assert_ne!(passwords[0], passwords[1]);
    }

    #[test]
    fn name_suffixes_are_lower_case_letters_and_digits() {
        for length in [0, 6, 10] {
            let suffix = name_suffix(length);
            assert_eq!(suffix.len(), length);
            assert!(
                suffix
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
            );
        }
        assert_ne!(name_suffix(10), name_suffix(10));
    }

    #[test]
    fn bytes_past_the_last_whole_run_are_drawn_again() {
        // 256 = 7 * 36 + 4: bytes 252 to 255 would make 0 to 3 likelier than the rest.
        let mut draw = Draw::new();
        draw.block[..4].copy_from_slice(&[255, 252, 251, 40]);
        draw.used = 0;
        assert_eq!(draw.below(36), 251 % 36);
        assert_eq!(draw.below(36), 40 % 36);
        assert_eq!(draw.used, 4);
        draw.block[4] = 255;
        assert_eq!(draw.below(256), 255);
        assert_eq!(draw.below(1), 0);
    }

    #[test]
    fn every_name_character_is_about_as_likely() {
        let mut seen = [0usize; 256];
        for byte in name_suffix(36 * 1000).bytes() {
            seen[usize::from(byte)] += 1;
        }
        // 1000 expected of each, with a standard deviation of about 31.
        for &byte in NAME_CHARACTERS {
            let count = seen[usize::from(byte)];
            assert!(
                (800..=1200).contains(&count),
                "{}: {count}",
                char::from(byte)
            );
        }
    }
}
