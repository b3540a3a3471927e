//! What administrators set: a program (its names, the PPKS categories it serves, the rules
//! of the "which aid fits me" check, the documents it asks for, its deadline) and the public
//! holidays that deadlines skip. Parsed here from the form's fields, so a program that
//! cannot work (no category, no document, a rule that fits everyone) never reaches the
//! database.
//!
//! Longer than 500 lines: the administration's form parsers share one problem type; their tests are the last fifth.

use super::eligibility::{AgeGroup, Condition, Disaster, Eligibility, Housing, Income, Need};
use super::{Date, DocumentKind, ProgramCode, WorkingDays};
use serde::{Deserialize, Serialize};

/// The form's field names.
pub mod fields {
    pub const CODE: &str = "kode";
    pub const NAME_ID: &str = "nama";
    pub const NAME_EN: &str = "nama_en";
    pub const SUMMARY_ID: &str = "ringkasan";
    pub const SUMMARY_EN: &str = "ringkasan_en";
    pub const CATEGORY: &str = "kategori";
    pub const DOCUMENT: &str = "dokumen";
    pub const DEADLINE: &str = "tenggat";
    pub const ACTIVE: &str = "aktif";
    pub const CATEGORY_CODE: &str = "kode_kategori";
    pub const POINT_KIND: &str = "jenis";
    pub const POINT_ADDRESS: &str = "alamat";
    pub const POINT_VILLAGE: &str = "kode_desa";
    pub const POINT_PHONE: &str = "telepon";
    pub const POINT_HOURS: &str = "jam_layanan";
    pub const USERNAME: &str = "nama_pengguna";
    pub const FULL_NAME: &str = "nama_lengkap";
    pub const EMAIL: &str = "email";
    pub const ROLE: &str = "peran";
    pub const AREA: &str = "wilayah";
    pub const SERVICE_POINT: &str = "titik_layanan";
    pub const HOLIDAY_DAY: &str = "tanggal";
    pub const HOLIDAY_NAME: &str = "nama_libur";

    /// The field of one part of rule `n` (1-based): `aturan1_usia`, `aturan2_kebutuhan`, …
    pub fn rule(n: usize, part: RulePart) -> String {
        format!("aturan{n}_{}", part.slug())
    }

    /// The parts of a rule, each a set of boxes ("one of these"; needs: "all of these").
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum RulePart {
        Age,
        Disability,
        Disaster,
        Housing,
        Income,
        Needs,
    }

    impl RulePart {
        pub const ALL: [RulePart; 6] =
            [RulePart::Age, RulePart::Disability, RulePart::Disaster, RulePart::Housing, RulePart::Income, RulePart::Needs];

        pub const fn slug(self) -> &'static str {
            match self {
                RulePart::Age => "usia",
                RulePart::Disability => "disabilitas",
                RulePart::Disaster => "bencana",
                RulePart::Housing => "rumah",
                RulePart::Income => "penghasilan",
                RulePart::Needs => "kebutuhan",
            }
        }
    }
}

use fields::RulePart;

/// How many alternative rules the form offers ("fits when rule 1 holds, or rule 2, or 3").
pub const RULES: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AdminProblem {
    #[error("the code is not 2-40 lowercase letters, digits and dashes")]
    CodeInvalid,
    #[error("the code is taken")]
    CodeTaken,
    #[error("the name is missing")]
    NameMissing,
    #[error("the name is too long")]
    NameTooLong,
    #[error("the summary is missing or too short")]
    SummaryMissing,
    #[error("the summary is too long")]
    SummaryTooLong,
    #[error("characters that cannot be kept")]
    Characters,
    #[error("no PPKS category chosen")]
    CategoriesMissing,
    #[error("no document chosen")]
    DocumentsMissing,
    #[error("the deadline is not 1-90 working days")]
    DeadlineInvalid,
    #[error("the date is not a date")]
    DateInvalid,
    #[error("that day is a weekend")]
    DateWeekend,
    #[error("that day is already a holiday")]
    DateTaken,
    #[error("the category number is not 1-999")]
    CategoryCodeInvalid,
    #[error("choose the kind of service point")]
    KindMissing,
    #[error("the address is missing")]
    AddressMissing,
    #[error("not a village code")]
    VillageInvalid,
    #[error("the phone number is not a number")]
    PhoneInvalid,
    #[error("the opening hours are too long")]
    HoursTooLong,
    #[error("not a username")]
    UsernameInvalid,
    #[error("the username is taken")]
    UsernameTaken,
    #[error("not an email address")]
    EmailInvalid,
    #[error("no role chosen")]
    RolesMissing,
    #[error("no area chosen")]
    AreasMissing,
    #[error("an administrator cannot deactivate their own account")]
    OwnAccount,
    #[error("not a regency or district code")]
    AreaInvalid,
    #[error("the range ends before it starts")]
    DateRangeReversed,
    #[error("the notice's text is missing or too short")]
    NoticeMissing,
    #[error("the notice's text is too long")]
    NoticeTooLong,
    #[error("not a service point of the office")]
    ServicePointInvalid,
    #[error("an administrator cannot confirm their own notice")]
    OwnNotice,
}

/// A program as an administrator set it, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramDraft {
    pub code: ProgramCode,
    pub name_id: String,
    pub name_en: String,
    pub summary_id: String,
    pub summary_en: String,
    pub categories: Vec<i64>,
    pub documents: Vec<DocumentKind>,
    pub deadline: WorkingDays,
    pub active: bool,
    /// `None`: not offered by the check (it can still be applied for directly).
    pub eligibility: Option<Eligibility>,
}

fn values<'a>(pairs: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}

/// A line of text between `min` and `max` characters, with no control characters.
fn text(input: &str, min: usize, max: usize, missing: AdminProblem, too_long: AdminProblem) -> Result<String, AdminProblem> {
    let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().any(char::is_control) {
        return Err(AdminProblem::Characters);
    }
    match t.chars().count() {
        n if n < min => Err(missing),
        n if n > max => Err(too_long),
        _ => Ok(t),
    }
}

/// One rule's conditions from its boxes; empty when nothing was ticked.
fn rule(pairs: &[(String, String)], n: usize) -> Vec<Condition> {
    let ticked = |part: RulePart| -> Vec<&str> {
        let name = fields::rule(n, part);
        pairs.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect()
    };
    let mut conditions = Vec::new();
    let ages: Vec<AgeGroup> = ticked(RulePart::Age).into_iter().filter_map(AgeGroup::from_slug).collect();
    if !ages.is_empty() {
        conditions.push(Condition::Age(dedup(ages)));
    }
    if ticked(RulePart::Disability).contains(&"ya") {
        conditions.push(Condition::Disability);
    }
    let disasters: Vec<Disaster> = ticked(RulePart::Disaster).into_iter().filter_map(Disaster::from_slug).collect();
    if !disasters.is_empty() {
        conditions.push(Condition::Disaster(dedup(disasters)));
    }
    let housing: Vec<Housing> = ticked(RulePart::Housing).into_iter().filter_map(Housing::from_slug).collect();
    if !housing.is_empty() {
        conditions.push(Condition::Housing(dedup(housing)));
    }
    let income: Vec<Income> = ticked(RulePart::Income).into_iter().filter_map(Income::from_slug).collect();
    if !income.is_empty() {
        conditions.push(Condition::Income(dedup(income)));
    }
    for need in dedup(ticked(RulePart::Needs).into_iter().filter_map(Need::from_slug).collect()) {
        conditions.push(Condition::Need(need));
    }
    conditions
}

fn dedup<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

impl ProgramDraft {
    /// Reads the program form. `categories` are the PPKS codes that exist; `code` is the
    /// program's when it is being edited (the code is not changed: links carry it).
    pub fn parse(pairs: &[(String, String)], categories: &[i64], code: Option<&ProgramCode>) -> Result<Self, Vec<(&'static str, AdminProblem)>> {
        let mut problems = Vec::new();
        let code = match code {
            Some(c) => Some(c.clone()),
            None => ProgramCode::parse(value(pairs, fields::CODE)).map_err(|_| problems.push((fields::CODE, AdminProblem::CodeInvalid))).ok(),
        };
        let mut line = |field: &'static str, min, max, missing, too_long| {
            text(value(pairs, field), min, max, missing, too_long).map_err(|p| problems.push((field, p))).ok()
        };
        let name_id = line(fields::NAME_ID, 3, 120, AdminProblem::NameMissing, AdminProblem::NameTooLong);
        let name_en = line(fields::NAME_EN, 3, 120, AdminProblem::NameMissing, AdminProblem::NameTooLong);
        let summary_id = line(fields::SUMMARY_ID, 10, 600, AdminProblem::SummaryMissing, AdminProblem::SummaryTooLong);
        let summary_en = line(fields::SUMMARY_EN, 10, 600, AdminProblem::SummaryMissing, AdminProblem::SummaryTooLong);
        let chosen: Vec<i64> = dedup(values(pairs, fields::CATEGORY).filter_map(|v| v.parse().ok()).filter(|c| categories.contains(c)).collect());
        if chosen.is_empty() {
            problems.push((fields::CATEGORY, AdminProblem::CategoriesMissing));
        }
        // Asked for in the catalogue's order of kinds (identity first), whatever the order ticked.
        let documents: Vec<DocumentKind> = dedup(values(pairs, fields::DOCUMENT).filter_map(DocumentKind::from_slug).collect());
        if documents.is_empty() {
            problems.push((fields::DOCUMENT, AdminProblem::DocumentsMissing));
        }
        let deadline = value(pairs, fields::DEADLINE).parse::<i64>().ok().and_then(|d| WorkingDays::new(d).ok());
        if deadline.is_none() {
            problems.push((fields::DEADLINE, AdminProblem::DeadlineInvalid));
        }
        let rules: Vec<Vec<Condition>> = (1..=RULES).map(|n| rule(pairs, n)).filter(|r| !r.is_empty()).collect();
        // Every rule left is non-empty and every list in it has a member: `new` cannot fail
        // unless there are no rules, which means "not in the check".
        let eligibility = Eligibility::new(rules).ok();
        match (code, name_id, name_en, summary_id, summary_en, deadline) {
            (Some(code), Some(name_id), Some(name_en), Some(summary_id), Some(summary_en), Some(deadline)) if problems.is_empty() => {
                Ok(ProgramDraft {
                    code,
                    name_id,
                    name_en,
                    summary_id,
                    summary_en,
                    categories: chosen,
                    documents,
                    deadline,
                    active: values(pairs, fields::ACTIVE).any(|v| v == "ya"),
                    eligibility,
                })
            }
            _ => Err(problems),
        }
    }

    /// The form's fields for this program (to fill the edit form), the inverse of `parse`.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (fields::CODE.to_string(), self.code.as_str().to_string()),
            (fields::NAME_ID.to_string(), self.name_id.clone()),
            (fields::NAME_EN.to_string(), self.name_en.clone()),
            (fields::SUMMARY_ID.to_string(), self.summary_id.clone()),
            (fields::SUMMARY_EN.to_string(), self.summary_en.clone()),
            (fields::DEADLINE.to_string(), self.deadline.get().to_string()),
        ];
        out.extend(self.categories.iter().map(|c| (fields::CATEGORY.to_string(), c.to_string())));
        out.extend(self.documents.iter().map(|d| (fields::DOCUMENT.to_string(), d.slug().to_string())));
        if self.active {
            out.push((fields::ACTIVE.to_string(), "ya".to_string()));
        }
        for (i, rule) in self.eligibility.iter().flat_map(|e| e.rules()).enumerate().take(RULES) {
            let n = i + 1;
            for condition in rule {
                let mut push = |part: RulePart, v: &str| out.push((fields::rule(n, part), v.to_string()));
                match condition {
                    Condition::Age(v) => v.iter().for_each(|a| push(RulePart::Age, a.slug())),
                    Condition::Disability => push(RulePart::Disability, "ya"),
                    Condition::Disaster(v) => v.iter().for_each(|d| push(RulePart::Disaster, d.slug())),
                    Condition::Housing(v) => v.iter().for_each(|h| push(RulePart::Housing, h.slug())),
                    Condition::Income(v) => v.iter().for_each(|x| push(RulePart::Income, x.slug())),
                    Condition::Need(need) => push(RulePart::Needs, need.slug()),
                }
            }
        }
        out
    }
}

/// A PPKS category as an administrator sets it (the ministry's list changes rarely; offices
/// add local ones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDraft {
    pub code: i64,
    pub name_id: String,
    pub name_en: String,
    pub active: bool,
}

impl CategoryDraft {
    /// `code` is the category's when it is being edited (its number is not changed).
    pub fn parse(pairs: &[(String, String)], code: Option<i64>) -> Result<Self, Vec<(&'static str, AdminProblem)>> {
        let mut problems = Vec::new();
        let code = code.or_else(|| {
            let parsed = value(pairs, fields::CATEGORY_CODE).parse::<i64>().ok().filter(|c| (1..=999).contains(c));
            if parsed.is_none() {
                problems.push((fields::CATEGORY_CODE, AdminProblem::CategoryCodeInvalid));
            }
            parsed
        });
        let mut line = |field: &'static str| text(value(pairs, field), 3, 120, AdminProblem::NameMissing, AdminProblem::NameTooLong).map_err(|p| problems.push((field, p))).ok();
        let name_id = line(fields::NAME_ID);
        let name_en = line(fields::NAME_EN);
        match (code, name_id, name_en) {
            (Some(code), Some(name_id), Some(name_en)) if problems.is_empty() => {
                Ok(CategoryDraft { code, name_id, name_en, active: values(pairs, fields::ACTIVE).any(|v| v == "ya") })
            }
            _ => Err(problems),
        }
    }

    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (fields::CATEGORY_CODE.to_string(), self.code.to_string()),
            (fields::NAME_ID.to_string(), self.name_id.clone()),
            (fields::NAME_EN.to_string(), self.name_en.clone()),
        ];
        if self.active {
            out.push((fields::ACTIVE.to_string(), "ya".to_string()));
        }
        out
    }
}

/// The kinds of service point: a village's Puskesos, an SLRT point, the office itself.
pub const POINT_KINDS: [&str; 3] = ["puskesos", "slrt", "dinas"];

/// A service point as an administrator sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointDraft {
    pub code: ProgramCode,
    pub name: String,
    pub kind: String,
    pub address: String,
    /// A village code (the caller checks that the village exists).
    pub village: super::RegionCode,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
    pub active: bool,
}

impl ServicePointDraft {
    /// `code` is the point's when it is being edited. Codes have the shape of program codes.
    pub fn parse(pairs: &[(String, String)], code: Option<&ProgramCode>) -> Result<Self, Vec<(&'static str, AdminProblem)>> {
        let mut problems = Vec::new();
        let code = match code {
            Some(c) => Some(c.clone()),
            None => ProgramCode::parse(value(pairs, fields::CODE)).map_err(|_| problems.push((fields::CODE, AdminProblem::CodeInvalid))).ok(),
        };
        let name = text(value(pairs, fields::NAME_ID), 3, 120, AdminProblem::NameMissing, AdminProblem::NameTooLong)
            .map_err(|p| problems.push((fields::NAME_ID, p)))
            .ok();
        let kind = POINT_KINDS.iter().find(|k| **k == value(pairs, fields::POINT_KIND)).map(|k| k.to_string());
        if kind.is_none() {
            problems.push((fields::POINT_KIND, AdminProblem::KindMissing));
        }
        let address = text(value(pairs, fields::POINT_ADDRESS), 5, 200, AdminProblem::AddressMissing, AdminProblem::AddressMissing)
            .map_err(|p| problems.push((fields::POINT_ADDRESS, p)))
            .ok();
        let village = super::RegionCode::parse(&value(pairs, fields::POINT_VILLAGE).replace(['.', ' '], ""))
            .ok()
            .filter(|c| c.level() == super::RegionLevel::Village);
        if village.is_none() {
            problems.push((fields::POINT_VILLAGE, AdminProblem::VillageInvalid));
        }
        let phone = match value(pairs, fields::POINT_PHONE) {
            "" => None,
            p if p.len() <= 20 && p.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')')) => Some(p.to_string()),
            _ => {
                problems.push((fields::POINT_PHONE, AdminProblem::PhoneInvalid));
                None
            }
        };
        let opening_hours = match text(value(pairs, fields::POINT_HOURS), 0, 120, AdminProblem::HoursTooLong, AdminProblem::HoursTooLong) {
            Ok(h) if h.is_empty() => None,
            Ok(h) => Some(h),
            Err(p) => {
                problems.push((fields::POINT_HOURS, p));
                None
            }
        };
        match (code, name, kind, address, village) {
            (Some(code), Some(name), Some(kind), Some(address), Some(village)) if problems.is_empty() => Ok(ServicePointDraft {
                code,
                name,
                kind,
                address,
                village,
                phone,
                opening_hours,
                active: values(pairs, fields::ACTIVE).any(|v| v == "ya"),
            }),
            _ => Err(problems),
        }
    }

    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (fields::CODE.to_string(), self.code.as_str().to_string()),
            (fields::NAME_ID.to_string(), self.name.clone()),
            (fields::POINT_KIND.to_string(), self.kind.clone()),
            (fields::POINT_ADDRESS.to_string(), self.address.clone()),
            (fields::POINT_VILLAGE.to_string(), self.village.as_str().to_string()),
            (fields::POINT_PHONE.to_string(), self.phone.clone().unwrap_or_default()),
            (fields::POINT_HOURS.to_string(), self.opening_hours.clone().unwrap_or_default()),
        ];
        if self.active {
            out.push((fields::ACTIVE.to_string(), "ya".to_string()));
        }
        out
    }
}

/// A staff account as an administrator sets it: who, how to reach them (the password link
/// goes there), what they do and where. There is no password here: staff set their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDraft {
    pub username: super::staff::Username,
    pub full_name: String,
    pub email: super::person::EmailAddress,
    pub roles: Vec<super::workflow::Role>,
    /// Regency or district codes, from `areas` offered by the form.
    pub areas: Vec<String>,
    pub service_points: Vec<i64>,
}

impl StaffDraft {
    /// `username` is the account's when it is being edited (it is not changed); `areas` and
    /// `points` are what the form offers (anything else is not a choice).
    pub fn parse(
        pairs: &[(String, String)],
        username: Option<&super::staff::Username>,
        areas: &[String],
        points: &[i64],
    ) -> Result<Self, Vec<(&'static str, AdminProblem)>> {
        use super::workflow::Role;
        let mut problems = Vec::new();
        let username = match username {
            Some(u) => Some(u.clone()),
            None => super::staff::Username::parse(value(pairs, fields::USERNAME))
                .map_err(|_| problems.push((fields::USERNAME, AdminProblem::UsernameInvalid)))
                .ok(),
        };
        let full_name = text(value(pairs, fields::FULL_NAME), 3, 80, AdminProblem::NameMissing, AdminProblem::NameTooLong)
            .map_err(|p| problems.push((fields::FULL_NAME, p)))
            .ok();
        let email = super::person::EmailAddress::parse(value(pairs, fields::EMAIL))
            .map_err(|_| problems.push((fields::EMAIL, AdminProblem::EmailInvalid)))
            .ok();
        let roles: Vec<Role> =
            dedup(values(pairs, fields::ROLE).filter_map(Role::from_slug).filter(|r| *r != Role::Resident).collect());
        if roles.is_empty() {
            problems.push((fields::ROLE, AdminProblem::RolesMissing));
        }
        let chosen: Vec<String> = dedup(values(pairs, fields::AREA).filter(|a| areas.iter().any(|x| x == a)).map(str::to_string).collect());
        // Casework is done somewhere; an administrator alone may have no area (then reports
        // cover every area).
        let only_admin = !roles.is_empty() && roles.iter().all(|r| *r == Role::Administrator);
        if chosen.is_empty() && !only_admin {
            problems.push((fields::AREA, AdminProblem::AreasMissing));
        }
        let service_points = dedup(values(pairs, fields::SERVICE_POINT).filter_map(|v| v.parse().ok()).filter(|p| points.contains(p)).collect());
        match (username, full_name, email) {
            (Some(username), Some(full_name), Some(email)) if problems.is_empty() => {
                Ok(StaffDraft { username, full_name, email, roles, areas: chosen, service_points })
            }
            _ => Err(problems),
        }
    }

    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (fields::USERNAME.to_string(), self.username.as_str().to_string()),
            (fields::FULL_NAME.to_string(), self.full_name.clone()),
            (fields::EMAIL.to_string(), self.email.as_str().to_string()),
        ];
        out.extend(self.roles.iter().map(|r| (fields::ROLE.to_string(), r.slug().to_string())));
        out.extend(self.areas.iter().map(|a| (fields::AREA.to_string(), a.clone())));
        out.extend(self.service_points.iter().map(|p| (fields::SERVICE_POINT.to_string(), p.to_string())));
        out
    }
}

/// A public holiday as an administrator adds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub day: Date,
    pub name: String,
}

impl Holiday {
    /// Reads the holiday form; `existing` are the holidays already set.
    pub fn parse(pairs: &[(String, String)], existing: &[Date]) -> Result<Self, Vec<(&'static str, AdminProblem)>> {
        let mut problems = Vec::new();
        let day = match Date::parse_iso(value(pairs, fields::HOLIDAY_DAY)) {
            Err(_) => {
                problems.push((fields::HOLIDAY_DAY, AdminProblem::DateInvalid));
                None
            }
            // Weekends never count: a holiday on one changes nothing, so it is refused.
            Ok(d) if d.weekday_from_monday() >= 5 => {
                problems.push((fields::HOLIDAY_DAY, AdminProblem::DateWeekend));
                None
            }
            Ok(d) if existing.contains(&d) => {
                problems.push((fields::HOLIDAY_DAY, AdminProblem::DateTaken));
                None
            }
            Ok(d) => Some(d),
        };
        let name = text(value(pairs, fields::HOLIDAY_NAME), 3, 120, AdminProblem::NameMissing, AdminProblem::NameTooLong)
            .map_err(|p| problems.push((fields::HOLIDAY_NAME, p)))
            .ok();
        match (day, name) {
            (Some(day), Some(name)) if problems.is_empty() => Ok(Holiday { day, name }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn good() -> Vec<(String, String)> {
        pairs(&[
            ("kode", "bantuan-sembako"),
            ("nama", "Bantuan Sembako Darurat"),
            ("nama_en", "Emergency food parcels"),
            ("ringkasan", "Paket sembako untuk keluarga yang kehilangan penghasilan."),
            ("ringkasan_en", "Food parcels for families who lost their income."),
            ("kategori", "24"),
            ("kategori", "24"),
            ("dokumen", "sktm"),
            ("dokumen", "ktp"),
            ("tenggat", "5"),
            ("aktif", "ya"),
            ("aturan1_penghasilan", "tidak-ada"),
            ("aturan1_penghasilan", "kurang"),
            ("aturan2_bencana", "alam"),
            ("aturan2_kebutuhan", "dtsen"),
        ])
    }

    #[test]
    fn a_program_form_becomes_a_program_with_its_check_rules() {
        let p = ProgramDraft::parse(&good(), &[3, 24], None).unwrap();
        assert_eq!(p.code.as_str(), "bantuan-sembako");
        assert_eq!(p.categories, vec![24]);
        assert_eq!(p.documents, vec![DocumentKind::Ktp, DocumentKind::Sktm], "identity first, once each");
        assert_eq!(p.deadline.get(), 5);
        assert!(p.active);
        let rules = p.eligibility.as_ref().unwrap().rules().to_vec();
        assert_eq!(
            rules,
            vec![vec![Condition::Income(vec![Income::Low, Income::None])], vec![Condition::Disaster(vec![Disaster::Natural]), Condition::Need(Need::SocialRegister)]]
        );
        // And back to the form, unchanged.
        let again = ProgramDraft::parse(&p.to_pairs(), &[3, 24], None).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn a_program_without_rules_is_left_out_of_the_check() {
        let form: Vec<_> = good().into_iter().filter(|(k, _)| !k.starts_with("aturan")).collect();
        assert_eq!(ProgramDraft::parse(&form, &[24], None).unwrap().eligibility, None);
    }

    #[test]
    fn every_problem_is_named_at_its_field() {
        let form = pairs(&[("kode", "Bantuan Sembako"), ("nama", "x"), ("ringkasan", "pendek"), ("kategori", "999"), ("tenggat", "91")]);
        let problems = ProgramDraft::parse(&form, &[24], None).unwrap_err();
        let fields_with: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields_with, vec!["kode", "nama", "nama_en", "ringkasan", "ringkasan_en", "kategori", "dokumen", "tenggat"]);
        assert!(problems.contains(&("kategori", AdminProblem::CategoriesMissing)), "an unknown category is no category");
        // Editing keeps the program's code whatever the form says.
        let code = ProgramCode::parse("rs-rtlh").unwrap();
        let mut edit = good();
        edit.retain(|(k, _)| k != "kode");
        assert_eq!(ProgramDraft::parse(&edit, &[24], Some(&code)).unwrap().code, code);
        let mut control = good();
        control[1].1 = "Bantuan\u{7}Sembako".into();
        assert!(ProgramDraft::parse(&control, &[24], None).unwrap_err().contains(&("nama", AdminProblem::Characters)));
    }

    #[test]
    fn categories_and_service_points_are_checked_field_by_field() {
        let ok = CategoryDraft::parse(&pairs(&[("kode_kategori", "27"), ("nama", "Korban Pinjol"), ("nama_en", "Victims of online loans"), ("aktif", "ya")]), None).unwrap();
        assert_eq!((ok.code, ok.active), (27, true));
        assert_eq!(CategoryDraft::parse(&ok.to_pairs(), None).unwrap(), ok);
        let bad = CategoryDraft::parse(&pairs(&[("kode_kategori", "0"), ("nama", "K")]), None).unwrap_err();
        assert_eq!(bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["kode_kategori", "nama", "nama_en"]);
        // Editing keeps the number.
        assert_eq!(CategoryDraft::parse(&pairs(&[("nama", "Fakir Miskin"), ("nama_en", "The poor")]), Some(24)).unwrap().code, 24);

        let point = pairs(&[
            ("kode", "depok-puskesos-beji"),
            ("nama", "Puskesos Kecamatan Beji"),
            ("jenis", "puskesos"),
            ("alamat", "Kantor Kecamatan Beji, Depok"),
            ("kode_desa", "32.76.03.1001"),
            ("telepon", "(021) 777-1234"),
            ("jam_layanan", "Senin–Jumat 08.00–15.00"),
        ]);
        let p = ServicePointDraft::parse(&point, None).unwrap();
        assert_eq!((p.village.as_str(), p.active), ("3276031001", false));
        assert_eq!(ServicePointDraft::parse(&p.to_pairs(), None).unwrap(), p);
        let bad = ServicePointDraft::parse(&pairs(&[("kode", "X"), ("jenis", "kantor"), ("kode_desa", "3276"), ("telepon", "nol delapan")]), None).unwrap_err();
        assert_eq!(bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["kode", "nama", "jenis", "alamat", "kode_desa", "telepon"]);
    }

    #[test]
    fn a_staff_account_needs_a_name_an_email_a_role_and_an_area() {
        use crate::domain::workflow::Role;
        let areas = vec!["3276".to_string(), "327601".to_string()];
        let form = pairs(&[
            ("nama_pengguna", "Siti.Verif"),
            ("nama_lengkap", "Siti Aminah"),
            ("email", "siti@dinsos.example.go.id"),
            ("peran", "verifikator"),
            ("peran", "pemohon"),
            ("wilayah", "327601"),
            ("wilayah", "9171"),
            ("titik_layanan", "2"),
            ("titik_layanan", "99"),
        ]);
        let d = StaffDraft::parse(&form, None, &areas, &[1, 2]).unwrap();
        assert_eq!(d.username.as_str(), "siti.verif");
        assert_eq!(d.roles, vec![Role::Verifier], "never the resident's role");
        assert_eq!(d.areas, vec!["327601".to_string()], "only areas the form offered");
        assert_eq!(d.service_points, vec![2]);
        assert_eq!(StaffDraft::parse(&d.to_pairs(), None, &areas, &[1, 2]).unwrap(), d);
        let bad = StaffDraft::parse(&pairs(&[("nama_pengguna", "1x"), ("email", "siti@"), ("wilayah", "9171")]), None, &areas, &[]).unwrap_err();
        assert_eq!(bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["nama_pengguna", "nama_lengkap", "email", "peran", "wilayah"]);
        // An administrator alone needs no area.
        let admin = pairs(&[("nama_pengguna", "admin.dua"), ("nama_lengkap", "Admin Dua"), ("email", "a@b.id"), ("peran", "administrator")]);
        assert!(StaffDraft::parse(&admin, None, &areas, &[]).unwrap().areas.is_empty());
    }

    #[test]
    fn holidays_are_working_days_not_set_before() {
        let set = [Date::new(2026, 12, 25).unwrap()];
        let ok = Holiday::parse(&pairs(&[("tanggal", "2026-12-24"), ("nama_libur", "Cuti bersama Natal")]), &set).unwrap();
        assert_eq!(ok.day, Date::new(2026, 12, 24).unwrap());
        let weekend = Holiday::parse(&pairs(&[("tanggal", "2026-12-26"), ("nama_libur", "Sabtu")]), &set).unwrap_err();
        assert_eq!(weekend, vec![("tanggal", AdminProblem::DateWeekend)]);
        let taken = Holiday::parse(&pairs(&[("tanggal", "2026-12-25"), ("nama_libur", "Natal")]), &set).unwrap_err();
        assert_eq!(taken, vec![("tanggal", AdminProblem::DateTaken)]);
        let bad = Holiday::parse(&pairs(&[("tanggal", "besok")]), &set).unwrap_err();
        assert_eq!(bad, vec![("tanggal", AdminProblem::DateInvalid), ("nama_libur", AdminProblem::NameMissing)]);
    }
}
