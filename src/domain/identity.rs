//! The two 16-digit numbers every Indonesian resident carries: the NIK (personal number,
//! on the KTP) and the Nomor KK (family-card number).
//!
//! NIK: `PP RR DD ddmmyy SSSS` — the district that issued it, the birth date with 40 added
//! to the day for women, and a serial that is never 0000.
//! Nomor KK: `PP RR DD ddmmyy SSSS` — the issuing district, the date the card was issued,
//! and a serial that is never 0000.
//!
//! Both types can only be built by parsing, so holding a `Nik` means holding a well-formed
//! one. Whether its region still exists is a separate, warn-level question
//! ([`RegionCheck`]): regions split and are renumbered, and old NIKs stay valid.
//!
//! `Debug` prints these numbers masked, so one that slips into a log line leaks nothing.
//!
//! Longer than 500 lines: the NIK and KK rules and their generated-case tests sit together (a third of the file is tests).

use super::date::{Date, days_in_month};
use super::region::{RegionCode, RegionDirectory, RegionLevel};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a typed number is not a NIK / Nomor KK. The UI turns each into a plain sentence
/// (see `i18n`); nothing here is shown to people as-is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdentityError {
    #[error("empty")]
    Empty,
    #[error("contains something other than digits")]
    NotDigits,
    #[error("has {0} digits instead of 16")]
    WrongLength(usize),
    #[error("region code is zero")]
    NoRegion,
    #[error("the date in digits 7-12 does not exist")]
    ImpossibleDate,
    #[error("serial number is 0000")]
    ZeroSerial,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The letter forms and the database use: L (laki-laki) or P (perempuan).
    pub const fn letter(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }

    pub fn from_letter(letter: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.letter() == letter)
    }
}

/// The birth date as a NIK holds it: day and month exact, the year as two digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NikBirthDate {
    pub day: u8,
    pub month: u8,
    pub year_of_century: u8,
}

impl NikBirthDate {
    /// The full date, taking the century that does not put the birth after `today`.
    pub fn resolve(self, today: Date) -> Date {
        let yy = self.year_of_century as i32;
        let in_2000s = Date::new(2000 + yy, self.month, self.day);
        match in_2000s {
            Ok(d) if d <= today => d,
            // Only 29 February of '00 exists in one century and not the other, and 2000 was
            // a leap year, so the 1900s candidate is valid whenever we reach it.
            _ => Date::new(1900 + yy, self.month, self.day)
                .or(in_2000s)
                .unwrap_or(today),
        }
    }

    /// Whether `date` is a date this NIK could encode.
    pub fn matches(self, date: Date) -> bool {
        date.day() == self.day
            && date.month() == self.month
            && date.year().rem_euclid(100) as u8 == self.year_of_century
    }
}

/// The outcome of looking a number's region up in a directory. An unknown region is a
/// warning, not an error: the number may predate a split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegionCheck {
    /// Found down to this level; `District` means fully confirmed. A directory that holds
    /// only provinces (the browser) confirms at most `Province`.
    Known(RegionLevel),
    /// The first level at which the directory has no such region.
    Unknown(RegionLevel),
}

impl RegionCheck {
    pub fn is_warning(self) -> bool {
        matches!(self, RegionCheck::Unknown(_))
    }

    fn of(district: &RegionCode, directory: &impl RegionDirectory) -> Self {
        let mut known = None;
        for level in [RegionLevel::Province, RegionLevel::Regency, RegionLevel::District] {
            let code = district.at_level(level).expect("a district code has all higher levels");
            match directory.knows(&code) {
                Some(true) => known = Some(level),
                Some(false) => return RegionCheck::Unknown(level),
                None => break,
            }
        }
        match known {
            Some(level) => RegionCheck::Known(level),
            // A directory that knows nothing at all cannot warn either.
            None => RegionCheck::Known(RegionLevel::Province),
        }
    }
}

/// Sixteen ASCII digits, after removing the spaces, dots and dashes people type to group them.
fn sixteen_digits(input: &str) -> Result<[u8; 16], IdentityError> {
    let mut out = [0u8; 16];
    let mut count = 0usize;
    let mut any = false;
    for ch in input.chars() {
        if ch.is_whitespace() || ch == '.' || ch == '-' {
            continue;
        }
        any = true;
        if !ch.is_ascii_digit() {
            return Err(IdentityError::NotDigits);
        }
        if count < 16 {
            out[count] = ch as u8;
        }
        count += 1;
    }
    if !any {
        return Err(IdentityError::Empty);
    }
    if count != 16 {
        return Err(IdentityError::WrongLength(count));
    }
    Ok(out)
}

fn two(d: &[u8]) -> u8 {
    (d[0] - b'0') * 10 + (d[1] - b'0')
}

/// Shared structure: region `PPRRDD`, a `ddmmyy` date field, serial `SSSS`.
fn check_common(d: &[u8; 16]) -> Result<(), IdentityError> {
    if &d[0..2] == b"00" || &d[2..4] == b"00" {
        return Err(IdentityError::NoRegion);
    }
    if &d[12..16] == b"0000" {
        return Err(IdentityError::ZeroSerial);
    }
    Ok(())
}

/// A day/month/two-digit-year that exists in at least one century.
fn plausible_date(day: u8, month: u8, yy: u8) -> bool {
    // '00 is 2000 (leap) or 1900 (not): accept the 29th, as 2000 makes it real.
    let year = 2000 + yy as i32;
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

fn as_str(d: &[u8; 16]) -> String {
    d.iter().map(|b| *b as char).collect()
}

fn masked(s: &str) -> String {
    format!("{}••••••••{}", &s[..4], &s[12..])
}

/// A structurally valid NIK.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik(String);

impl Nik {
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let d = sixteen_digits(input)?;
        check_common(&d)?;
        let raw_day = two(&d[6..8]);
        let day = if raw_day > 40 { raw_day - 40 } else { raw_day };
        if !plausible_date(day, two(&d[8..10]), two(&d[10..12])) {
            return Err(IdentityError::ImpossibleDate);
        }
        Ok(Nik(as_str(&d)))
    }

    /// Parses and looks the region up: what a form does when a NIK is typed.
    pub fn check(input: &str, directory: &impl RegionDirectory) -> Result<(Self, RegionCheck), IdentityError> {
        let nik = Self::parse(input)?;
        let region = nik.region_check(directory);
        Ok((nik, region))
    }

    /// The full 16 digits. Call only where the full number is meant to be shown or stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `3276••••••••0003`, for lists.
    pub fn masked(&self) -> String {
        masked(&self.0)
    }

    /// The district (kecamatan) that issued this NIK.
    pub fn district(&self) -> RegionCode {
        RegionCode::parse(&self.0[..6]).expect("six digits not starting with 00")
    }

    pub fn sex(&self) -> Sex {
        if two(&self.0.as_bytes()[6..8]) > 40 { Sex::Female } else { Sex::Male }
    }

    pub fn birth_date(&self) -> NikBirthDate {
        let b = self.0.as_bytes();
        let raw_day = two(&b[6..8]);
        NikBirthDate {
            day: if raw_day > 40 { raw_day - 40 } else { raw_day },
            month: two(&b[8..10]),
            year_of_century: two(&b[10..12]),
        }
    }

    pub fn region_check(&self, directory: &impl RegionDirectory) -> RegionCheck {
        RegionCheck::of(&self.district(), directory)
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

/// A structurally valid Nomor KK (family-card number).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NomorKk(String);

impl NomorKk {
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let d = sixteen_digits(input)?;
        check_common(&d)?;
        if !plausible_date(two(&d[6..8]), two(&d[8..10]), two(&d[10..12])) {
            return Err(IdentityError::ImpossibleDate);
        }
        Ok(NomorKk(as_str(&d)))
    }

    pub fn check(input: &str, directory: &impl RegionDirectory) -> Result<(Self, RegionCheck), IdentityError> {
        let kk = Self::parse(input)?;
        let region = kk.region_check(directory);
        Ok((kk, region))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        masked(&self.0)
    }

    pub fn district(&self) -> RegionCode {
        RegionCode::parse(&self.0[..6]).expect("six digits not starting with 00")
    }

    /// The day the card was issued; the century is resolved like a NIK's birth year.
    pub fn issued_on(&self, today: Date) -> Date {
        let b = self.0.as_bytes();
        NikBirthDate { day: two(&b[6..8]), month: two(&b[8..10]), year_of_century: two(&b[10..12]) }.resolve(today)
    }

    pub fn region_check(&self, directory: &impl RegionDirectory) -> RegionCheck {
        RegionCheck::of(&self.district(), directory)
    }
}

impl fmt::Debug for NomorKk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NomorKk({})", self.masked())
    }
}

string_conversions!(Nik: IdentityError, NomorKk: IdentityError);

/// What a verifier should know about the numbers on a submitted application, found from the
/// numbers alone (no registry is consulted: Layan has no access to Dukcapil).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityNote {
    /// The stored NIK no longer reads as one (older data, or tampering).
    NikUnreadable,
    KkUnreadable,
    BirthDateDiffers,
    SexDiffers,
    /// The NIK's region is not in the region list (perhaps issued before a split).
    NikRegionUnknown,
    KkRegionUnknown,
    /// Issued in another district than the address: the resident may have moved (a
    /// domicile letter may be needed).
    NikFromOtherDistrict,
    KkFromOtherRegency,
}

/// The notes for one application; none means the numbers agree with each other and with
/// the address.
pub fn identity_notes(
    nik: &str,
    kk: &str,
    birth_date: Date,
    sex: Sex,
    address_district: &RegionCode,
    directory: &impl RegionDirectory,
) -> Vec<IdentityNote> {
    let mut notes = Vec::new();
    match Nik::parse(nik) {
        Err(_) => notes.push(IdentityNote::NikUnreadable),
        Ok(nik) => {
            if !nik.birth_date().matches(birth_date) {
                notes.push(IdentityNote::BirthDateDiffers);
            }
            if nik.sex() != sex {
                notes.push(IdentityNote::SexDiffers);
            }
            if nik.region_check(directory).is_warning() {
                notes.push(IdentityNote::NikRegionUnknown);
            } else if nik.district() != *address_district {
                notes.push(IdentityNote::NikFromOtherDistrict);
            }
        }
    }
    match NomorKk::parse(kk) {
        Err(_) => notes.push(IdentityNote::KkUnreadable),
        Ok(kk) => {
            let regency = |c: &RegionCode| c.at_level(RegionLevel::Regency);
            if kk.region_check(directory).is_warning() {
                notes.push(IdentityNote::KkRegionUnknown);
            } else if regency(&kk.district()) != regency(address_district) {
                notes.push(IdentityNote::KkFromOtherRegency);
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::region::ProvincesOnly;
    use std::collections::HashSet;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    /// A directory over a fixed set of codes, standing in for the database's.
    struct Known(HashSet<&'static str>);
    impl RegionDirectory for Known {
        fn knows(&self, code: &RegionCode) -> Option<bool> {
            Some(self.0.contains(code.as_str()))
        }
    }
    fn depok() -> Known {
        Known(["32", "3276", "327601", "91", "9171", "917101"].into_iter().collect())
    }

    #[test]
    fn a_man_s_nik_reports_region_birth_date_and_sex() {
        let nik = Nik::parse("3276011505870003").unwrap();
        assert_eq!(nik.district().as_str(), "327601");
        assert_eq!(nik.sex(), Sex::Male);
        assert_eq!(nik.birth_date(), NikBirthDate { day: 15, month: 5, year_of_century: 87 });
        assert_eq!(nik.birth_date().resolve(today()), Date::new(1987, 5, 15).unwrap());
        assert_eq!(nik.region_check(&depok()), RegionCheck::Known(RegionLevel::District));
    }

    #[test]
    fn a_woman_s_day_carries_forty_more() {
        let nik = Nik::parse("3276015505870003").unwrap();
        assert_eq!(nik.sex(), Sex::Female);
        assert_eq!(nik.birth_date().day, 15);
        // The 71st is the 31st for a woman; the 72nd does not exist.
        assert!(Nik::parse("3276017101900001").is_ok());
        assert_eq!(Nik::parse("3276017201900001"), Err(IdentityError::ImpossibleDate));
        // 32-40 are neither a man's day nor a woman's.
        for day in 32..=40 {
            assert_eq!(Nik::parse(&format!("327601{day:02}0190 0001")), Err(IdentityError::ImpossibleDate), "{day}");
        }
        assert_eq!(Nik::parse("3276014101900001").unwrap().birth_date().day, 1);
    }

    #[test]
    fn leap_days_are_valid_only_in_leap_years() {
        assert!(Nik::parse("3276012902000001").is_ok()); // 29-02-2000
        assert!(Nik::parse("3276016902040001").is_ok()); // woman, 29-02-2004
        assert_eq!(Nik::parse("3276012902010001"), Err(IdentityError::ImpossibleDate));
        assert_eq!(Nik::parse("3276016902990001"), Err(IdentityError::ImpossibleDate));
        assert_eq!(Nik::parse("3276013002040001"), Err(IdentityError::ImpossibleDate));
        let born = Nik::parse("3276012902000001").unwrap().birth_date().resolve(today());
        assert_eq!(born, Date::new(2000, 2, 29).unwrap());
    }

    #[test]
    fn impossible_days_and_months_are_refused() {
        for bad in ["3276010001900001", "3276013104900001", "3276011513900001", "3276011500900001", "3276017104900001"] {
            assert_eq!(Nik::parse(bad), Err(IdentityError::ImpossibleDate), "{bad}");
        }
    }

    #[test]
    fn length_characters_and_emptiness_are_each_reported() {
        assert_eq!(Nik::parse(""), Err(IdentityError::Empty));
        assert_eq!(Nik::parse("   "), Err(IdentityError::Empty));
        assert_eq!(Nik::parse("327601150587000"), Err(IdentityError::WrongLength(15)));
        assert_eq!(Nik::parse("32760115058700031"), Err(IdentityError::WrongLength(17)));
        assert_eq!(Nik::parse("327601150587000O"), Err(IdentityError::NotDigits));
        assert_eq!(Nik::parse("３２７６０１１５０５８７０００３"), Err(IdentityError::NotDigits));
        assert_eq!(Nik::parse("-3276011505870003"), Ok(Nik::parse("3276011505870003").unwrap()));
    }

    #[test]
    fn grouping_spaces_dots_and_dashes_are_ignored() {
        let plain = Nik::parse("3276011505870003").unwrap();
        assert_eq!(Nik::parse(" 3276 0115 0587 0003 ").unwrap(), plain);
        assert_eq!(Nik::parse("32.76.01.150587.0003").unwrap(), plain);
        assert_eq!(Nik::parse("327601-150587-0003").unwrap(), plain);
    }

    #[test]
    fn serial_0000_and_zero_regions_are_refused() {
        assert_eq!(Nik::parse("3276011505870000"), Err(IdentityError::ZeroSerial));
        assert_eq!(Nik::parse("0076011505870003"), Err(IdentityError::NoRegion));
        assert_eq!(Nik::parse("3200011505870003"), Err(IdentityError::NoRegion));
        assert_eq!(Nik::parse("3299011505870003").unwrap().region_check(&depok()), RegionCheck::Unknown(RegionLevel::Regency));
        assert_eq!(Nik::parse("3276001505870003"), Ok(Nik::parse("3276001505870003").unwrap()));
        assert_eq!(NomorKk::parse("3276010101200000"), Err(IdentityError::ZeroSerial));
        assert_eq!(NomorKk::parse("3276010101200001").unwrap().district().level(), RegionLevel::District);
        assert_eq!(NomorKk::parse("0000010101200001"), Err(IdentityError::NoRegion));
    }

    #[test]
    fn unknown_regions_warn_at_the_first_missing_level() {
        let dir = depok();
        let unknown_province = Nik::parse("9976011505870003").unwrap();
        assert_eq!(unknown_province.region_check(&dir), RegionCheck::Unknown(RegionLevel::Province));
        assert!(unknown_province.region_check(&dir).is_warning());
        let unknown_district = Nik::parse("3276991505870003").unwrap();
        assert_eq!(unknown_district.region_check(&dir), RegionCheck::Unknown(RegionLevel::District));
        // Edge regions: the first and last provinces, and Papua's 2022 splits.
        assert_eq!(Nik::parse("1101011505870003").unwrap().region_check(&ProvincesOnly), RegionCheck::Known(RegionLevel::Province));
        assert_eq!(Nik::parse("9601011505870003").unwrap().region_check(&ProvincesOnly), RegionCheck::Known(RegionLevel::Province));
        assert_eq!(Nik::parse("9171011505870003").unwrap().region_check(&dir), RegionCheck::Known(RegionLevel::District));
        assert_eq!(Nik::parse("2001011505870003").unwrap().region_check(&ProvincesOnly), RegionCheck::Unknown(RegionLevel::Province));
    }

    #[test]
    fn birth_century_never_lands_in_the_future() {
        let t = today();
        assert_eq!(Nik::parse("3276012311260001").unwrap().birth_date().resolve(t), Date::new(2026, 11, 23).unwrap());
        assert_eq!(Nik::parse("3276012411260001").unwrap().birth_date().resolve(t), Date::new(1926, 11, 24).unwrap());
        assert_eq!(Nik::parse("3276010101050001").unwrap().birth_date().resolve(t), Date::new(2005, 1, 1).unwrap());
        assert!(Nik::parse("3276010101050001").unwrap().birth_date().matches(Date::new(1905, 1, 1).unwrap()));
        assert!(!Nik::parse("3276010101050001").unwrap().birth_date().matches(Date::new(2005, 1, 2).unwrap()));
    }

    /// Every day of two centuries, for both sexes, encodes and parses back.
    #[test]
    fn every_real_date_round_trips_for_both_sexes() {
        let mut date = Date::new(1927, 1, 1).unwrap();
        let end = today();
        let mut checked = 0;
        while date <= end {
            for (offset, sex) in [(0u8, Sex::Male), (40, Sex::Female)] {
                let s = format!(
                    "917101{:02}{:02}{:02}{:04}",
                    date.day() + offset,
                    date.month(),
                    date.year() % 100,
                    1 + checked % 9999
                );
                let nik = Nik::parse(&s).unwrap_or_else(|e| panic!("{date}: {e}"));
                assert_eq!(nik.sex(), sex);
                assert_eq!(nik.birth_date().resolve(end), date);
                assert_eq!(nik.as_str(), s);
            }
            checked += 1;
            date = date.add_days(1);
        }
        assert!(checked > 36_000);
    }

    /// Every day/month pair that is not a date is refused, for both sexes.
    #[test]
    fn every_impossible_day_month_pair_is_refused() {
        for yy in [0u8, 1, 4, 99] {
            for month in 0..=13u8 {
                for day in 0..=99u8 {
                    let real_day = if day > 40 { day - 40 } else { day };
                    let valid = (1..=12).contains(&month)
                        && real_day >= 1
                        && real_day <= days_in_month(2000 + yy as i32, month);
                    let s = format!("327601{day:02}{month:02}{yy:02}0001");
                    assert_eq!(Nik::parse(&s).is_ok(), valid, "{s}");
                }
            }
        }
    }

    #[test]
    fn kk_numbers_carry_an_issue_date_without_the_forty() {
        let kk = NomorKk::parse("3276012010150007").unwrap();
        assert_eq!(kk.issued_on(today()), Date::new(2015, 10, 20).unwrap());
        assert_eq!(kk.region_check(&depok()), RegionCheck::Known(RegionLevel::District));
        assert_eq!(NomorKk::parse("3276016010150007"), Err(IdentityError::ImpossibleDate));
        assert_eq!(NomorKk::parse("3276012902010007"), Err(IdentityError::ImpossibleDate));
        assert_eq!(NomorKk::parse("327601201015000"), Err(IdentityError::WrongLength(15)));
    }

    #[test]
    fn debug_output_and_lists_show_only_masked_numbers() {
        let nik = Nik::parse("3276011505870003").unwrap();
        assert_eq!(nik.masked(), "3276••••••••0003");
        assert_eq!(format!("{nik:?}"), "Nik(3276••••••••0003)");
        let kk = NomorKk::parse("3276012010150007").unwrap();
        assert_eq!(format!("{kk:?}"), "NomorKk(3276••••••••0007)");
    }

    #[test]
    fn deserializing_parses_too() {
        let nik: Nik = serde_json_like("3276011505870003").unwrap();
        assert_eq!(nik.as_str(), "3276011505870003");
        assert!(serde_json_like::<Nik>("3276011505870000").is_err());
    }

    /// Deserializes a string through serde without a JSON dependency in the wasm build.
    fn serde_json_like<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, serde::de::value::Error> {
        use serde::de::IntoDeserializer;
        T::deserialize(s.to_string().into_deserializer())
    }

    #[test]
    fn identity_notes_flag_what_does_not_agree() {
        let pancoran_mas = RegionCode::parse("327601").unwrap();
        let born = Date::new(1987, 5, 15).unwrap();
        assert!(identity_notes("3276015505870003", "3276010101090001", born, Sex::Female, &pancoran_mas, &depok()).is_empty());
        let elsewhere = RegionCode::parse("327602").unwrap();
        assert_eq!(identity_notes("3276015505870003", "3276010101090001", born, Sex::Female, &elsewhere, &depok()), [IdentityNote::NikFromOtherDistrict]);
        assert_eq!(identity_notes("3276015505870003", "3276010101090001", Date::new(1987, 5, 16).unwrap(), Sex::Male, &pancoran_mas, &depok()), [
            IdentityNote::BirthDateDiffers,
            IdentityNote::SexDiffers
        ]);
        assert_eq!(identity_notes("12", "x", born, Sex::Female, &pancoran_mas, &depok()), [IdentityNote::NikUnreadable, IdentityNote::KkUnreadable]);
    }
}
