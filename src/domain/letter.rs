//! Letters Layan prints — decisions (approved, rejected, referred) and the referral letter to
//! the program or agency — and what a letter's verification code says about it. The code is
//! these facts in a few bytes plus the office's Ed25519 signature over them (signed and
//! checked in `server::letters`), so a letter can be checked with the public key alone.

use super::Date;
use super::workflow::Status;
use serde::{Deserialize, Serialize};

/// Which letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LetterKind {
    /// The decision: approved.
    Approved,
    /// The decision: not approved, with the reason and how to dispute within 14 days.
    Rejected,
    /// The decision: passed on to another program or agency.
    Referred,
    /// To the program or agency it was referred to, carried by the person.
    Referral,
}

impl LetterKind {
    pub const ALL: [LetterKind; 4] = [LetterKind::Approved, LetterKind::Rejected, LetterKind::Referred, LetterKind::Referral];

    pub const fn slug(self) -> &'static str {
        match self {
            LetterKind::Approved => "keputusan-disetujui",
            LetterKind::Rejected => "keputusan-ditolak",
            LetterKind::Referred => "keputusan-dirujuk",
            LetterKind::Referral => "rujukan",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    const fn byte(self) -> u8 {
        match self {
            LetterKind::Approved => 1,
            LetterKind::Rejected => 2,
            LetterKind::Referred => 3,
            LetterKind::Referral => 4,
        }
    }

    /// The letters a decision makes: its decision letter, and for a referral the letter to
    /// the agency too. None for any other status.
    pub fn of_decision(to: Status) -> &'static [LetterKind] {
        match to {
            Status::Approved => &[LetterKind::Approved],
            Status::Rejected => &[LetterKind::Rejected],
            Status::Referred => &[LetterKind::Referred, LetterKind::Referral],
            _ => &[],
        }
    }
}

/// What a letter's code vouches for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterFacts {
    pub kind: LetterKind,
    /// The office day it was issued.
    pub issued_on: Date,
    /// The office's letter number: its year and place in that year's sequence.
    pub year: u16,
    pub sequence: u32,
    /// The application's registration number, as stored (9 symbols).
    pub application: String,
    /// The person's initials, nothing more of the name.
    pub initials: String,
}

/// The first byte of every code: a later format gets another.
const VERSION: u8 = 1;

impl LetterFacts {
    /// The bytes that are signed: version, kind, day, year, sequence, then the number and the
    /// initials each after its length.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![VERSION, self.kind.byte()];
        out.extend_from_slice(&(self.issued_on.to_unix_days() as u32).to_be_bytes());
        out.extend_from_slice(&self.year.to_be_bytes());
        out.extend_from_slice(&self.sequence.to_be_bytes());
        for text in [&self.application, &self.initials] {
            let bytes = &text.as_bytes()[..text.len().min(32)];
            out.push(bytes.len() as u8);
            out.extend_from_slice(bytes);
        }
        out
    }

    /// Reads [`LetterFacts::to_bytes`]; `None` for anything else (another version, cut short,
    /// a byte too many).
    pub fn from_bytes(bytes: &[u8]) -> Option<LetterFacts> {
        let (&version, rest) = bytes.split_first()?;
        if version != VERSION {
            return None;
        }
        let (&kind, rest) = rest.split_first()?;
        let kind = LetterKind::ALL.into_iter().find(|k| k.byte() == kind)?;
        let (day, rest) = rest.split_first_chunk::<4>()?;
        let (year, rest) = rest.split_first_chunk::<2>()?;
        let (sequence, rest) = rest.split_first_chunk::<4>()?;
        let mut rest = rest;
        let mut texts = Vec::new();
        for _ in 0..2 {
            let (&len, after) = rest.split_first()?;
            let (text, after) = after.split_at_checked(len as usize)?;
            texts.push(String::from_utf8(text.to_vec()).ok()?);
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
        let initials = texts.pop()?;
        let application = texts.pop()?;
        Some(LetterFacts {
            kind,
            issued_on: Date::from_unix_days(u32::from_be_bytes(*day) as i64),
            year: u16::from_be_bytes(*year),
            sequence: u32::from_be_bytes(*sequence),
            application,
            initials,
        })
    }
}

/// A name's initials, each followed by a dot: "Siti Aminah" → "S. A."; at most four.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .take(4)
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The office's letter number from its pattern (`LAYAN_LETTER_NUMBER`): `{nomor}` the
/// sequence (four digits at least), `{bulan}` the month in Roman numerals, `{tahun}` the year.
pub fn number(pattern: &str, sequence: u32, issued_on: Date) -> String {
    const ROMAN: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
    pattern
        .replace("{nomor}", &format!("{sequence:04}"))
        .replace("{bulan}", ROMAN[(issued_on.month() as usize).clamp(1, 12) - 1])
        .replace("{tahun}", &issued_on.year().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LetterFacts {
        LetterFacts {
            kind: LetterKind::Rejected,
            issued_on: Date::parse_iso("2026-12-01").unwrap(),
            year: 2026,
            sequence: 42,
            application: "K7M2QX9PA".into(),
            initials: "S. A.".into(),
        }
    }

    #[test]
    fn facts_survive_their_bytes_and_nothing_else_reads_as_facts() {
        let bytes = facts().to_bytes();
        assert_eq!(LetterFacts::from_bytes(&bytes), Some(facts()));
        assert_eq!(LetterFacts::from_bytes(&bytes[..bytes.len() - 1]), None, "cut short");
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(LetterFacts::from_bytes(&longer), None, "a byte too many");
        let mut other = bytes.clone();
        other[0] = 2;
        assert_eq!(LetterFacts::from_bytes(&other), None, "another version");
        assert_eq!(LetterFacts::from_bytes(&[]), None);
    }

    #[test]
    fn initials_keep_nothing_but_the_first_letters() {
        assert_eq!(initials("Siti Aminah"), "S. A.");
        assert_eq!(initials("  ni luh   putu ayu sari "), "N. L. P. A.");
        assert_eq!(initials("'Abdul O'Neil"), "A. O.");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn letter_numbers_follow_the_offices_pattern() {
        let day = Date::parse_iso("2026-12-01").unwrap();
        assert_eq!(number("460/{nomor}/DINSOS/{bulan}/{tahun}", 7, day), "460/0007/DINSOS/XII/2026");
        assert_eq!(number("{tahun}-{nomor}", 12345, day), "2026-12345");
    }

    #[test]
    fn a_decision_makes_its_letters() {
        assert_eq!(LetterKind::of_decision(Status::Referred), [LetterKind::Referred, LetterKind::Referral]);
        assert!(LetterKind::of_decision(Status::Served).is_empty());
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::from_slug(kind.slug()), Some(kind));
        }
    }
}
