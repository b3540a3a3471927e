//! Calendar dates without a time zone, as printed on Indonesian identity documents.
//!
//! A tiny civil-date type instead of a date crate: the domain core is compiled into the
//! browser bundle, and this is all the calendar arithmetic it needs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid proleptic-Gregorian date. It can only be built through [`Date::new`], so a
/// `Date` never holds the 31st of April.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("month {0} does not exist")]
    Month(u8),
    #[error("day {day} does not exist in month {month} of {year}")]
    Day { year: i32, month: u8, day: u8 },
    #[error("not a date in the form YYYY-MM-DD")]
    Format,
}

pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Day { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    pub const fn year(self) -> i32 {
        self.year
    }
    pub const fn month(self) -> u8 {
        self.month
    }
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub const fn to_unix_days(self) -> i64 {
        let y = if self.month <= 2 { self.year as i64 - 1 } else { self.year as i64 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_unix_days`] (`civil_from_days`).
    pub const fn from_unix_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Self { year, month, day }
    }

    /// Monday = 0 … Sunday = 6.
    pub const fn weekday_from_monday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        (self.to_unix_days() + 3).rem_euclid(7) as u8
    }

    pub const fn add_days(self, days: i64) -> Self {
        Self::from_unix_days(self.to_unix_days() + days)
    }

    /// Whole years from `self` to `on` (an age when `self` is a birth date).
    pub fn years_until(self, on: Date) -> i32 {
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// Parses `YYYY-MM-DD`, the value of an HTML `<input type="date">`.
    pub fn parse_iso(input: &str) -> Result<Self, DateError> {
        let bytes = input.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(DateError::Format);
        }
        let num = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &input[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError::Format);
            }
            part.parse().map_err(|_| DateError::Format)
        };
        Date::new(num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8)
    }
}

/// The office's day of a stored UTC timestamp (`2026-10-31T17:30:00Z` is 1 November in WIB,
/// `utc_offset_hours` = 7). Every date a person is shown — received on, decided on, the day a
/// deadline or a dispute window counts from — is this day, never the UTC date.
pub fn office_day(utc: &str, utc_offset_hours: i64) -> Option<Date> {
    let date = Date::parse_iso(utc.get(..10)?).ok()?;
    let hours: i64 = utc.get(11..13)?.parse().ok()?;
    let minutes: i64 = utc.get(14..16)?.parse().ok()?;
    let minute_of_day = hours * 60 + minutes + utc_offset_hours * 60;
    Some(date.add_days(minute_of_day.div_euclid(24 * 60)))
}

/// When an office day begins, as a stored UTC timestamp: for comparing timestamp columns
/// with days people chose (`2026-11-01` in WIB begins at `2026-10-31T17:00:00Z`).
pub fn office_day_start(day: Date, utc_offset_hours: i64) -> String {
    let minutes = day.to_unix_days() * 1440 - utc_offset_hours * 60;
    let start = Date::from_unix_days(minutes.div_euclid(1440));
    let rest = minutes.rem_euclid(1440);
    format!("{start}T{:02}:{:02}:00Z", rest / 60, rest % 60)
}

/// The Unix time of a stored UTC timestamp (`2026-11-23T08:00:00Z`, as every timestamp column
/// holds it).
pub fn unix_seconds(utc: &str) -> Option<i64> {
    let date = Date::parse_iso(utc.get(..10)?).ok()?;
    let field = |range: std::ops::Range<usize>| utc.get(range)?.parse::<i64>().ok();
    let (hours, minutes, seconds) = (field(11..13)?, field(14..16)?, field(17..19)?);
    Some(date.to_unix_days() * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// [`office_day`] as `YYYY-MM-DD` text, or nothing for a value that is not a timestamp.
pub fn office_date_text(utc: &str, utc_offset_hours: i64) -> String {
    office_day(utc, utc_offset_hours).map(|d| d.to_string()).unwrap_or_default()
}

/// Office-local `YYYY-MM-DD HH:MM` of a stored UTC timestamp (the value itself if it is not one).
pub fn office_time(utc: &str, utc_offset_hours: i64) -> String {
    let (Some(date), Some(h), Some(m)) = (utc.get(..10), utc.get(11..13), utc.get(14..16)) else { return utc.to_string() };
    let (Ok(date), Ok(h), Ok(m)) = (Date::parse_iso(date), h.parse::<i64>(), m.parse::<i64>()) else {
        return utc.to_string();
    };
    let minutes = date.to_unix_days() * 1440 + h * 60 + m + utc_offset_hours * 60;
    let day = Date::from_unix_days(minutes.div_euclid(1440));
    let rest = minutes.rem_euclid(1440);
    format!("{day} {:02}:{:02}", rest / 60, rest % 60)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, DateError> {
        Date::parse_iso(&s)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn office_days_and_times_follow_the_office_clock() {
        let day = |s: &str, offset| office_day(s, offset).map(|d| d.to_string());
        assert_eq!(day("2026-10-31T16:59:59Z", 7).as_deref(), Some("2026-10-31"));
        assert_eq!(day("2026-10-31T17:00:00Z", 7).as_deref(), Some("2026-11-01"));
        let nov1 = Date::parse_iso("2026-11-01").unwrap();
        assert_eq!(office_day_start(nov1, 7), "2026-10-31T17:00:00Z");
        assert_eq!(office_day(&office_day_start(nov1, 9), 9), Some(nov1));
        assert_eq!(day("2026-11-01T02:00:00Z", -5).as_deref(), Some("2026-10-31"));
        assert_eq!(day("2026-11-01", 7), None);
        // 00:30 WIB on 2 December is 17:30 UTC on 1 December: the office's day is the 2nd.
        assert_eq!(office_date_text("2026-12-01T17:30:00Z", 7), "2026-12-02");
        assert_eq!(office_time("2026-11-23T20:30:00Z", 7), "2026-11-24 03:30");
        assert_eq!(office_time("2026-11-23T01:05:00Z", 7), "2026-11-23 08:05");
        assert_eq!(office_time("nonsense", 7), "nonsense");
    }
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert!(!is_leap_year(2100));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(Date::new(2023, 2, 29), Err(DateError::Day { year: 2023, month: 2, day: 29 }));
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2024, 4, 31).is_err());
        assert!(Date::new(2024, 13, 1).is_err());
        assert!(Date::new(2024, 0, 1).is_err());
        assert!(Date::new(2024, 1, 0).is_err());
    }

    #[test]
    fn unix_days_round_trip_over_three_centuries() {
        for days in (-80_000..80_000).step_by(7) {
            let date = Date::from_unix_days(days);
            assert!(Date::new(date.year(), date.month(), date.day()).is_ok());
            assert_eq!(date.to_unix_days(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_unix_days(), 0);
        assert_eq!(Date::new(2026, 11, 23).unwrap().to_unix_days(), 20_780);
    }

    #[test]
    fn weekdays_are_right() {
        // 2026-11-23 is a Monday; 2024-02-29 was a Thursday.
        assert_eq!(Date::new(2026, 11, 23).unwrap().weekday_from_monday(), 0);
        assert_eq!(Date::new(2024, 2, 29).unwrap().weekday_from_monday(), 3);
        assert_eq!(Date::new(1969, 12, 31).unwrap().weekday_from_monday(), 2);
    }

    #[test]
    fn ages_count_whole_years() {
        let born = Date::new(2000, 2, 29).unwrap();
        assert_eq!(born.years_until(Date::new(2026, 2, 28).unwrap()), 25);
        assert_eq!(born.years_until(Date::new(2026, 3, 1).unwrap()), 26);
    }

    #[test]
    fn iso_dates_parse_and_print() {
        let d = Date::parse_iso("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        for bad in ["2023-02-29", "2024-2-29", "24-02-29x", "", "2024/02/29", "+024-02-29"] {
            assert!(Date::parse_iso(bad).is_err(), "{bad}");
        }
    }
}
