//! The registration number a resident leaves with, and the PIN that goes with it.
//!
//! A number is 8 random symbols and a check symbol, `K7QM-3XH9-P`: short enough to read
//! over the phone, in an alphabet without look-alikes (Crockford's base 32: no I, L, O, U),
//! random so one number says nothing about another, and checked (Luhn mod 32) so a mistyped
//! symbol or two swapped neighbours are caught before any lookup.

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn value_of(symbol: char) -> Option<u32> {
    // What people mistype or misread maps to what was meant.
    let symbol = match symbol.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET.iter().position(|&b| b as char == symbol).map(|p| p as u32)
}

/// Luhn mod N over the symbols' values: the symbol that makes the weighted sum a multiple of 32.
fn check_symbol(values: &[u32]) -> u32 {
    let n = 32;
    let mut factor = 2;
    let mut sum = 0;
    for &v in values.iter().rev() {
        let addend = factor * v;
        sum += addend / n + addend % n;
        factor = if factor == 2 { 1 } else { 2 };
    }
    (n - sum % n) % n
}

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RegistrationNumberError {
    #[error("a registration number has 9 letters and digits")]
    Length,
    #[error("a registration number has a character that is not in it")]
    Character,
    /// The check symbol does not match: a typo.
    #[error("the registration number has a typo")]
    Check,
}

impl RegistrationNumber {
    pub const RANDOM_BYTES: usize = 5;

    /// The number made from 40 random bits (the caller brings the randomness).
    pub fn from_random(bytes: [u8; Self::RANDOM_BYTES]) -> Self {
        let mut bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64);
        let mut values = [0u32; 8];
        for v in values.iter_mut().rev() {
            *v = (bits & 31) as u32;
            bits >>= 5;
        }
        let check = check_symbol(&values);
        Self(values.iter().chain(std::iter::once(&check)).map(|v| ALPHABET[*v as usize] as char).collect())
    }

    /// Accepts any case, spaces and dashes, and O/I/L for 0/1.
    pub fn parse(input: &str) -> Result<Self, RegistrationNumberError> {
        let symbols: Vec<char> = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).collect();
        if symbols.len() != 9 {
            return Err(RegistrationNumberError::Length);
        }
        let values = symbols.iter().map(|c| value_of(*c)).collect::<Option<Vec<u32>>>().ok_or(RegistrationNumberError::Character)?;
        if check_symbol(&values[..8]) != values[8] {
            return Err(RegistrationNumberError::Check);
        }
        Ok(Self(values.iter().map(|v| ALPHABET[*v as usize] as char).collect()))
    }

    /// The stored form: nine symbols, no dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed and read out: `K7QM-3XH9-P`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }

    /// A stored number as printed; one that does not parse (test or legacy data) as stored.
    pub fn display_stored(stored: String) -> String {
        Self::parse(&stored).map(|n| n.display()).unwrap_or(stored)
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl fmt::Debug for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistrationNumber({})", self.display())
    }
}

string_conversions!(RegistrationNumber: RegistrationNumberError);

/// The six-digit PIN that, with the number, opens tracking. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct TrackingPin(String);

impl TrackingPin {
    /// From a random number (the caller brings the randomness); uniform enough for 10^6.
    pub fn from_random(random: u32) -> Self {
        Self(format!("{:06}", random % 1_000_000))
    }

    pub fn parse(input: &str) -> Option<Self> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TrackingPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingPin(••••••)")
    }
}

/// The tracking forms' field names (the look-up, and the withdrawal's confirmation).
pub mod tracking_fields {
    pub const NUMBER: &str = "nomor";
    pub const PIN: &str = "pin";
    /// "Yes, withdraw it" (`ya`).
    pub const CONFIRM: &str = "yakin";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_in_any_spelling_and_keep_their_check() {
        let n = RegistrationNumber::from_random([0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert_eq!(n.as_str().len(), 9);
        assert_eq!(RegistrationNumber::parse(&n.display()), Ok(n.clone()));
        assert_eq!(RegistrationNumber::parse(&n.display().to_lowercase()), Ok(n.clone()));
        assert_eq!(RegistrationNumber::parse(&format!(" {} ", n.as_str())), Ok(n.clone()));
        assert_eq!(RegistrationNumber::parse("ABCD-EFGH"), Err(RegistrationNumberError::Length));
        assert_eq!(RegistrationNumber::parse("ABCD-EFGH-*"), Err(RegistrationNumberError::Character));
        assert_eq!(RegistrationNumber::parse("0O1I-L000-0").map(|n| n.0), RegistrationNumber::parse("0011-1000-0").map(|n| n.0));
    }

    #[test]
    fn every_single_typo_and_most_swaps_are_caught() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut swaps_caught = 0;
        let mut swaps = 0;
        for _ in 0..200 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let bytes = seed.to_be_bytes();
            let n = RegistrationNumber::from_random([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]]);
            let symbols: Vec<u8> = n.as_str().bytes().collect();
            for i in 0..9 {
                for &other in ALPHABET.iter().filter(|&&b| b != symbols[i]) {
                    let mut typo = symbols.clone();
                    typo[i] = other;
                    let text = String::from_utf8(typo).unwrap();
                    assert_eq!(RegistrationNumber::parse(&text), Err(RegistrationNumberError::Check), "{text}");
                }
                if i < 8 && symbols[i] != symbols[i + 1] {
                    let mut swapped = symbols.clone();
                    swapped.swap(i, i + 1);
                    swaps += 1;
                    if RegistrationNumber::parse(std::str::from_utf8(&swapped).unwrap()).is_err() {
                        swaps_caught += 1;
                    }
                }
            }
        }
        // Luhn mod N misses only swaps of two symbols whose values differ by N/2.
        assert!(swaps_caught * 100 / swaps >= 95, "{swaps_caught}/{swaps}");
    }

    #[test]
    fn pins_are_six_digits_and_never_printed_by_debug() {
        assert_eq!(TrackingPin::from_random(42).as_str(), "000042");
        assert_eq!(TrackingPin::from_random(4_294_967_295).as_str(), "967295");
        assert_eq!(TrackingPin::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert!(TrackingPin::parse("12345").is_none() && TrackingPin::parse("12345a").is_none());
        assert_eq!(format!("{:?}", TrackingPin::from_random(123456)), "TrackingPin(••••••)");
    }
}
