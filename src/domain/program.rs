//! Aid programs and the documents they ask for.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A document a program may require. Stored by [`DocumentKind::slug`]; shown through the
/// translation module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentKind {
    /// Photo of the KTP (identity card).
    Ktp,
    /// Photo of the Kartu Keluarga (family card).
    Kk,
    /// Surat Keterangan Tidak Mampu, the kelurahan's letter of low income.
    Sktm,
    /// Photo of the front of the house.
    HousePhoto,
    /// A doctor's letter on health or disability.
    MedicalLetter,
    /// The village's statement that the household was hit by a disaster.
    DisasterStatement,
    /// The death certificate (surat keterangan kematian).
    DeathCertificate,
    /// Birth certificate (akta kelahiran) of a child.
    BirthCertificate,
    /// The school's letter that a child is enrolled.
    SchoolLetter,
    /// A short plan for a small business (usaha ekonomi produktif).
    BusinessPlan,
    /// A police or village letter for someone stranded while travelling.
    StrandedStatement,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 11] = [
        DocumentKind::Ktp,
        DocumentKind::Kk,
        DocumentKind::Sktm,
        DocumentKind::HousePhoto,
        DocumentKind::MedicalLetter,
        DocumentKind::DisasterStatement,
        DocumentKind::DeathCertificate,
        DocumentKind::BirthCertificate,
        DocumentKind::SchoolLetter,
        DocumentKind::BusinessPlan,
        DocumentKind::StrandedStatement,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            DocumentKind::Ktp => "ktp",
            DocumentKind::Kk => "kk",
            DocumentKind::Sktm => "sktm",
            DocumentKind::HousePhoto => "foto-rumah",
            DocumentKind::MedicalLetter => "surat-dokter",
            DocumentKind::DisasterStatement => "surat-bencana",
            DocumentKind::DeathCertificate => "surat-kematian",
            DocumentKind::BirthCertificate => "akta-kelahiran",
            DocumentKind::SchoolLetter => "surat-sekolah",
            DocumentKind::BusinessPlan => "rencana-usaha",
            DocumentKind::StrandedStatement => "surat-terlantar",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// A program's stable short name, used in links (`/ajukan?program=rs-rtlh`): lowercase
/// letters, digits and dashes, 2 to 40 long.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProgramCode(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a program code is 2-40 lowercase letters, digits and dashes")]
pub struct ProgramCodeError;

impl ProgramCode {
    pub fn parse(input: &str) -> Result<Self, ProgramCodeError> {
        let ok = (2..=40).contains(&input.len())
            && input.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !input.starts_with('-')
            && !input.ends_with('-');
        if ok { Ok(Self(input.to_string())) } else { Err(ProgramCodeError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProgramCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long the office has to decide, in working days (weekends and public holidays do
/// not count). Between 1 and 90: a longer promise is no promise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct WorkingDays(u8);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a deadline is 1 to 90 working days")]
pub struct WorkingDaysError;

impl WorkingDays {
    pub const MAX: u8 = 90;

    pub fn new(days: i64) -> Result<Self, WorkingDaysError> {
        if (1..=Self::MAX as i64).contains(&days) { Ok(Self(days as u8)) } else { Err(WorkingDaysError) }
    }

    pub const fn get(self) -> u8 {
        self.0
    }

    /// The date this many working days after `start` (the day of submission does not
    /// count): Saturdays, Sundays and the given public holidays are skipped.
    pub fn after(self, start: super::Date, holidays: &[super::Date]) -> super::Date {
        let mut date = start;
        let mut left = self.0;
        while left > 0 {
            date = date.add_days(1);
            if date.weekday_from_monday() < 5 && !holidays.contains(&date) {
                left -= 1;
            }
        }
        date
    }
}

impl From<WorkingDays> for i64 {
    fn from(d: WorkingDays) -> i64 {
        d.0 as i64
    }
}

impl TryFrom<i64> for WorkingDays {
    type Error = WorkingDaysError;
    fn try_from(d: i64) -> Result<Self, WorkingDaysError> {
        WorkingDays::new(d)
    }
}

string_conversions!(ProgramCode: ProgramCodeError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_kind_round_trips_through_its_slug() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_slug(kind.slug()), Some(kind));
        }
        assert_eq!(DocumentKind::from_slug("passport"), None);
        let mut slugs: Vec<_> = DocumentKind::ALL.iter().map(|k| k.slug()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), DocumentKind::ALL.len());
    }

    #[test]
    fn program_codes_are_url_safe() {
        assert!(ProgramCode::parse("rs-rtlh").is_ok());
        assert!(ProgramCode::parse("pbi-jk-2026").is_ok());
        for bad in ["", "a", "RS-RTLH", "rs rtlh", "-rs", "rs-", "rs/rtlh", &"a".repeat(41)] {
            assert!(ProgramCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deadlines_stay_within_ninety_working_days() {
        assert_eq!(WorkingDays::new(14).unwrap().get(), 14);
        assert!(WorkingDays::new(0).is_err());
        assert!(WorkingDays::new(91).is_err());
        assert!(WorkingDays::new(-3).is_err());
    }

    #[test]
    fn decision_dates_skip_weekends_and_holidays() {
        use crate::domain::Date;
        let monday = Date::new(2026, 11, 23).unwrap();
        assert_eq!(WorkingDays::new(5).unwrap().after(monday, &[]), Date::new(2026, 11, 30).unwrap());
        let friday = Date::new(2026, 11, 27).unwrap();
        assert_eq!(WorkingDays::new(1).unwrap().after(friday, &[]), Date::new(2026, 11, 30).unwrap());
        // Christmas Day 2026 is a Friday.
        let christmas = Date::new(2026, 12, 25).unwrap();
        let thursday = Date::new(2026, 12, 24).unwrap();
        assert_eq!(WorkingDays::new(1).unwrap().after(thursday, &[christmas]), Date::new(2026, 12, 28).unwrap());
    }
}
