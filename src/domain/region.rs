//! Indonesian administrative region codes (Kepmendagri): province `PP`, regency/city
//! `PPRR`, district `PPRRDD`, village `PPRRDDVVVV`, written here without the dots the
//! official lists use (`32.76.01` → `327601`) so they compare directly with NIK prefixes.
//!
//! The full directory (≈91,600 regions) lives in the database; only the 38 provinces are
//! compiled in, so the browser can name a NIK's province without a round-trip.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How deep a region code goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RegionLevel {
    Province,
    Regency,
    District,
    Village,
}

impl RegionLevel {
    pub const fn digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::Regency => 4,
            RegionLevel::District => 6,
            RegionLevel::Village => 10,
        }
    }

    pub fn from_digits(len: usize) -> Option<Self> {
        match len {
            2 => Some(RegionLevel::Province),
            4 => Some(RegionLevel::Regency),
            6 => Some(RegionLevel::District),
            10 => Some(RegionLevel::Village),
            _ => None,
        }
    }
}

/// A region code of any level, digits only. Valid in shape; whether it exists is a
/// question for a [`RegionDirectory`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a region code: expected 2, 4, 6 or 10 digits (dots allowed)")]
pub struct RegionCodeError;

impl RegionCode {
    /// Accepts `32.76.01` as well as `327601`.
    pub fn parse(input: &str) -> Result<Self, RegionCodeError> {
        let digits: String = input.trim().chars().filter(|c| *c != '.').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || RegionLevel::from_digits(digits.len()).is_none() {
            return Err(RegionCodeError);
        }
        if digits.starts_with("00") {
            return Err(RegionCodeError);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        RegionLevel::from_digits(self.0.len()).expect("checked at parse")
    }

    /// The enclosing region, `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        let parent_len = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::Regency => 2,
            RegionLevel::District => 4,
            RegionLevel::Village => 6,
        };
        Some(RegionCode(self.0[..parent_len].to_string()))
    }

    /// The same code truncated to a higher level (or itself).
    pub fn at_level(&self, level: RegionLevel) -> Option<RegionCode> {
        (level <= self.level()).then(|| RegionCode(self.0[..level.digits()].to_string()))
    }

    /// The dotted form of the official lists: `32.76.01.1001`.
    pub fn dotted(&self) -> String {
        let s = &self.0;
        let mut out = String::with_capacity(s.len() + 3);
        for (i, cut) in [0usize, 2, 4, 6, 10].windows(2).enumerate() {
            if cut[1] > s.len() {
                break;
            }
            if i > 0 {
                out.push('.');
            }
            out.push_str(&s[cut[0]..cut[1]]);
        }
        out
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

/// Something that knows which region codes exist: the database-backed directory on the
/// server, or just the provinces in the browser.
pub trait RegionDirectory {
    /// `Some(true)` known, `Some(false)` unknown, `None` when this directory does not
    /// hold codes of that level (the browser holds provinces only).
    fn knows(&self, code: &RegionCode) -> Option<bool>;
}

/// The 38 provinces (Kepmendagri 300.2.2-2138/2025, as shipped by `idn-area-data` 4).
pub const PROVINCES: [(&str, &str); 38] = [
    ("11", "Aceh"),
    ("12", "Sumatera Utara"),
    ("13", "Sumatera Barat"),
    ("14", "Riau"),
    ("15", "Jambi"),
    ("16", "Sumatera Selatan"),
    ("17", "Bengkulu"),
    ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"),
    ("31", "Daerah Khusus Ibukota Jakarta"),
    ("32", "Jawa Barat"),
    ("33", "Jawa Tengah"),
    ("34", "Daerah Istimewa Yogyakarta"),
    ("35", "Jawa Timur"),
    ("36", "Banten"),
    ("51", "Bali"),
    ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"),
    ("61", "Kalimantan Barat"),
    ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"),
    ("64", "Kalimantan Timur"),
    ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"),
    ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"),
    ("81", "Maluku"),
    ("82", "Maluku Utara"),
    ("91", "Papua"),
    ("92", "Papua Barat"),
    ("93", "Papua Selatan"),
    ("94", "Papua Tengah"),
    ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
];

pub fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

/// The compiled-in directory: answers for provinces, abstains below.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProvincesOnly;

impl RegionDirectory for ProvincesOnly {
    fn knows(&self, code: &RegionCode) -> Option<bool> {
        match code.level() {
            RegionLevel::Province => Some(province_name(code.as_str()).is_some()),
            _ => None,
        }
    }
}

string_conversions!(RegionCode: RegionCodeError);

/// One region in a list to choose from (the address step's province → village lists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    pub code: RegionCode,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_or_without_dots() {
        let c = RegionCode::parse("32.76.01.1001").unwrap();
        assert_eq!(c.as_str(), "3276011001");
        assert_eq!(c.level(), RegionLevel::Village);
        assert_eq!(c.dotted(), "32.76.01.1001");
        assert_eq!(c.parent().unwrap().as_str(), "327601");
        assert_eq!(c.at_level(RegionLevel::Regency).unwrap().as_str(), "3276");
        assert_eq!(RegionCode::parse("32").unwrap().parent(), None);
        assert_eq!(RegionCode::parse("3276").unwrap().dotted(), "32.76");
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "3", "327", "32760", "32.7a", "00", "3276011001x", "３２"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_province_table_is_complete_and_sorted() {
        assert_eq!(PROVINCES.len(), 38);
        assert!(PROVINCES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(province_name("91"), Some("Papua"));
        assert_eq!(province_name("20"), None);
        let dir = ProvincesOnly;
        assert_eq!(dir.knows(&RegionCode::parse("96").unwrap()), Some(true));
        assert_eq!(dir.knows(&RegionCode::parse("97").unwrap()), Some(false));
        assert_eq!(dir.knows(&RegionCode::parse("3276").unwrap()), None);
    }
}
