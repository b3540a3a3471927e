//! The person an application is for: name, NIK, birth date, sex, phone and email, each
//! parsed on its own and then checked against the NIK (which encodes birth date and sex).
//!
//! The same code runs in the browser while the resident types and on the server when the
//! form arrives; the server's answer is the one that counts.

use super::date::Date;
use super::identity::{IdentityError, Nik, RegionCheck, Sex};
use super::region::RegionDirectory;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A person's name as written on the KTP: letters (any script), spaces, and the marks
/// Indonesian names use (`'` `.` `,` `-`). 2 to 100 characters.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum NameError {
    #[error("empty")]
    Empty,
    #[error("shorter than 2 characters")]
    TooShort,
    #[error("longer than 100 characters")]
    TooLong,
    #[error("contains characters that are not part of a name")]
    Characters,
}

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    /// Trims and collapses runs of spaces, then checks what is left.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = name.chars().count();
        if chars == 0 {
            return Err(NameError::Empty);
        }
        if chars < 2 {
            return Err(NameError::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(NameError::TooLong);
        }
        if !name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '.' | ',' | '-' | '’')) {
            return Err(NameError::Characters);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Names are personal data: `Debug` shows only the length.
impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({} chars)", self.0.chars().count())
    }
}

/// An Indonesian mobile number, kept as `+628…`. Accepts `0812…`, `62812…`, `+62 812-…`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PhoneError {
    #[error("empty")]
    Empty,
    #[error("not an Indonesian mobile number")]
    NotMobile,
}

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !trimmed.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.')) {
            return Err(PhoneError::NotMobile);
        }
        let plus = trimmed.starts_with('+');
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0').filter(|_| !plus) {
            rest
        } else {
            return Err(PhoneError::NotMobile);
        };
        // Mobile numbers are 8xx followed by 7 to 10 more digits (10 to 13 digits with the 0).
        if !national.starts_with('8') || !(9..=12).contains(&national.len()) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Self(format!("+62{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `0812••••5678`, for lists.
    pub fn masked(&self) -> String {
        let national = &self.0[3..];
        format!("0{}••••{}", &national[..3], &national[national.len() - 4..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

/// An email address in the plain `local@domain.tld` shape. The server additionally runs
/// `validator`'s full check; this is the part the browser can do without regexes.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("not an email address")]
pub struct EmailError;

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim();
        let (local, domain) = email.split_once('@').ok_or(EmailError)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok =
            !local.is_empty() && local.len() <= 64 && !local.chars().any(|c| c.is_whitespace() || matches!(c, '@' | '<' | '>' | '"'));
        if !domain_ok || !local_ok || email.len() > 254 {
            return Err(EmailError);
        }
        Ok(Self(email.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(…)")
    }
}

/// The fields of the person step, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub nik: String,
    pub name: String,
    /// `YYYY-MM-DD`, from `<input type="date">`.
    pub birth_date: String,
    /// `L` (laki-laki) or `P` (perempuan), as on the KTP.
    pub sex: String,
    pub phone: String,
    /// Optional.
    pub email: String,
}

/// Which field a problem is about (also the field's `name` and the error summary anchor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PersonField {
    Nik,
    Name,
    BirthDate,
    Sex,
    Phone,
    Email,
}

impl PersonField {
    pub const fn name(self) -> &'static str {
        match self {
            PersonField::Nik => "nik",
            PersonField::Name => "nama",
            PersonField::BirthDate => "tanggal_lahir",
            PersonField::Sex => "jenis_kelamin",
            PersonField::Phone => "telepon",
            PersonField::Email => "email",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonError {
    Nik(IdentityError),
    Name(NameError),
    BirthDateMissing,
    BirthDateInvalid,
    BirthDateInFuture,
    /// The birth date does not match the one the NIK encodes.
    BirthDateNotNik,
    SexMissing,
    /// The sex does not match the one the NIK encodes.
    SexNotNik,
    Phone(PhoneError),
    Email,
}

/// The person step, parsed and cross-checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub nik: Nik,
    pub name: PersonName,
    pub birth_date: Date,
    pub sex: Sex,
    pub phone: PhoneNumber,
    pub email: Option<EmailAddress>,
    /// A warning, not an error: the NIK's region is not (or no longer) in the directory.
    pub region: RegionCheck,
}

impl Person {
    /// Parses every field and reports every problem at once, in form order, so the
    /// resident fixes them in one go. Cross-checks with the NIK run only when both sides
    /// parsed (a bad NIK is reported once, not three times).
    pub fn parse(
        form: &PersonForm,
        today: Date,
        directory: &impl RegionDirectory,
    ) -> Result<Person, Vec<(PersonField, PersonError)>> {
        let mut errors = Vec::new();
        let nik = Nik::parse(&form.nik).map_err(|e| errors.push((PersonField::Nik, PersonError::Nik(e)))).ok();
        let name = PersonName::parse(&form.name).map_err(|e| errors.push((PersonField::Name, PersonError::Name(e)))).ok();

        let birth_date = match form.birth_date.trim() {
            "" => {
                errors.push((PersonField::BirthDate, PersonError::BirthDateMissing));
                None
            }
            text => match Date::parse_iso(text) {
                Err(_) => {
                    errors.push((PersonField::BirthDate, PersonError::BirthDateInvalid));
                    None
                }
                Ok(d) if d > today => {
                    errors.push((PersonField::BirthDate, PersonError::BirthDateInFuture));
                    None
                }
                Ok(d) => {
                    if nik.as_ref().is_some_and(|n| !n.birth_date().matches(d)) {
                        errors.push((PersonField::BirthDate, PersonError::BirthDateNotNik));
                    }
                    Some(d)
                }
            },
        };

        let sex = match form.sex.trim() {
            "L" => Some(Sex::Male),
            "P" => Some(Sex::Female),
            _ => {
                errors.push((PersonField::Sex, PersonError::SexMissing));
                None
            }
        };
        if let (Some(n), Some(s)) = (&nik, sex) {
            if n.sex() != s {
                errors.push((PersonField::Sex, PersonError::SexNotNik));
            }
        }

        let phone = PhoneNumber::parse(&form.phone).map_err(|e| errors.push((PersonField::Phone, PersonError::Phone(e)))).ok();
        let email = match form.email.trim() {
            "" => None,
            text => EmailAddress::parse(text).map_err(|_| errors.push((PersonField::Email, PersonError::Email))).ok(),
        };

        match (nik, name, birth_date, sex, phone) {
            (Some(nik), Some(name), Some(birth_date), Some(sex), Some(phone)) if errors.is_empty() => {
                let region = nik.region_check(directory);
                Ok(Person { nik, name, birth_date, sex, phone, email, region })
            }
            _ => Err(errors),
        }
    }
}

string_conversions!(PersonName: NameError, PhoneNumber: PhoneError, EmailAddress: EmailError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::region::{ProvincesOnly, RegionLevel};

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    fn siti() -> PersonForm {
        PersonForm {
            nik: "3276 0155 0587 0003".into(),
            name: "  Siti   Nurhaliza ".into(),
            birth_date: "1987-05-15".into(),
            sex: "P".into(),
            phone: "0812-3456-7890".into(),
            email: "".into(),
        }
    }

    #[test]
    fn a_complete_form_parses_and_normalises() {
        let person = Person::parse(&siti(), today(), &ProvincesOnly).unwrap();
        assert_eq!(person.nik.as_str(), "3276015505870003");
        assert_eq!(person.name.as_str(), "Siti Nurhaliza");
        assert_eq!(person.birth_date, Date::new(1987, 5, 15).unwrap());
        assert_eq!(person.sex, Sex::Female);
        assert_eq!(person.phone.as_str(), "+6281234567890");
        assert_eq!(person.email, None);
        assert_eq!(person.region, RegionCheck::Known(RegionLevel::Province));
    }

    #[test]
    fn a_birth_date_or_sex_that_contradicts_the_nik_is_reported_at_its_field() {
        let mut form = siti();
        form.birth_date = "1987-05-16".into();
        form.sex = "L".into();
        assert_eq!(
            Person::parse(&form, today(), &ProvincesOnly),
            Err(vec![(PersonField::BirthDate, PersonError::BirthDateNotNik), (PersonField::Sex, PersonError::SexNotNik)])
        );
    }

    #[test]
    fn a_bad_nik_is_reported_once_and_not_as_mismatches() {
        let mut form = siti();
        form.nik = "3276015505870000".into();
        assert_eq!(
            Person::parse(&form, today(), &ProvincesOnly),
            Err(vec![(PersonField::Nik, PersonError::Nik(IdentityError::ZeroSerial))])
        );
    }

    #[test]
    fn every_problem_is_reported_in_form_order() {
        let form = PersonForm { email: "siti@".into(), birth_date: "2027-01-01".into(), ..Default::default() };
        let errors = Person::parse(&form, today(), &ProvincesOnly).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [PersonField::Nik, PersonField::Name, PersonField::BirthDate, PersonField::Sex, PersonField::Phone, PersonField::Email]
        );
        assert!(errors.contains(&(PersonField::BirthDate, PersonError::BirthDateInFuture)));
    }

    #[test]
    fn names_keep_letters_and_name_marks_and_refuse_markup() {
        assert_eq!(PersonName::parse("Ni Luh Putu Ayu").unwrap().as_str(), "Ni Luh Putu Ayu");
        assert!(PersonName::parse("Drs. H. Ma'ruf, S.H.").is_ok());
        assert!(PersonName::parse("Yohanes Kambu-Wenda").is_ok());
        assert_eq!(PersonName::parse("<script>alert(1)</script>"), Err(NameError::Characters));
        assert_eq!(PersonName::parse("Budi 2"), Err(NameError::Characters));
        assert_eq!(PersonName::parse("   "), Err(NameError::Empty));
        assert_eq!(PersonName::parse("A"), Err(NameError::TooShort));
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(NameError::TooLong));
        assert_eq!(format!("{:?}", PersonName::parse("Siti").unwrap()), "PersonName(4 chars)");
    }

    #[test]
    fn phone_numbers_in_every_common_spelling_become_one_form() {
        for spelling in ["081234567890", "0812 3456 7890", "+62 812-3456-7890", "6281234567890", "(0812) 3456.7890"] {
            assert_eq!(PhoneNumber::parse(spelling).unwrap().as_str(), "+6281234567890", "{spelling}");
        }
        assert_eq!(PhoneNumber::parse("0812345678").unwrap().as_str(), "+62812345678");
        for bad in ["0212345678", "08123", "0812345678901234", "+1 812 345 6789", "0812abc4567", "+0812345678"] {
            assert_eq!(PhoneNumber::parse(bad), Err(PhoneError::NotMobile), "{bad}");
        }
        assert_eq!(PhoneNumber::parse(" "), Err(PhoneError::Empty));
        assert_eq!(PhoneNumber::parse("081234567890").unwrap().masked(), "0812••••7890");
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(EmailAddress::parse("siti@example.co.id").is_ok());
        assert!(EmailAddress::parse(" budi.s+layan@mail.example.com ").is_ok());
        for bad in ["siti", "siti@", "@example.com", "siti@example", "siti@.example.com", "si ti@example.com", "<a>@x.id", "a@b..id"] {
            assert_eq!(EmailAddress::parse(bad), Err(EmailError), "{bad}");
        }
    }
}
