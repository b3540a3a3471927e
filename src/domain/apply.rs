//! The application journey's rules: its steps, and each step's answers parsed from what the
//! resident typed. The same parsing runs in the browser (instant checks) and on the server
//! (the answer that counts), so a step saved in a draft is one the core accepted.
//!
//! Forms travel as `(name, value)` pairs, the shape of an HTML form post, so a rejected
//! submission can be shown again exactly as typed.
//!
//! Longer than 500 lines: the journey's parsers share one field model; their unit tests are the last sixth.

use super::identity::{IdentityError, Nik, NomorKk};
use super::person::{NameError, PersonName, PhoneError, PhoneNumber};
use super::program::ProgramCode;
use super::region::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};

/// The steps, in the order the resident meets them. `Review` is "check your answers".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    Who,
    Person,
    Address,
    Household,
    Need,
    Documents,
    Review,
}

impl Step {
    pub const ALL: [Step; 7] = [Step::Who, Step::Person, Step::Address, Step::Household, Step::Need, Step::Documents, Step::Review];

    /// The last path segment of the step's page (`/ajukan/data-diri`).
    pub const fn slug(self) -> &'static str {
        match self {
            Step::Who => "siapa",
            Step::Person => "data-diri",
            Step::Address => "alamat",
            Step::Household => "keluarga",
            Step::Need => "kebutuhan",
            Step::Documents => "dokumen",
            Step::Review => "periksa",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// 1-based, for "Langkah 2 dari 7".
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn next(self) -> Option<Step> {
        Self::ALL.get(self as usize + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        (self as usize).checked_sub(1).map(|i| Self::ALL[i])
    }

    pub fn path(self) -> String {
        format!("/ajukan/{}", self.slug())
    }
}

/// One problem with one field: the field's `name` (also the error summary's anchor) and
/// what is wrong, shown through the translation module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self { field: field.into(), problem }
    }
}

/// Everything that can be wrong with an answer in the journey, apart from the person step
/// (which has its own [`super::person::PersonError`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    ForWhomMissing,
    ApplicantName(NameError),
    RelationMissing,
    ApplicantPhone(PhoneError),
    ConsentMissing,
    ConsentReasonMissing,
    ConsentReasonTooLong,
    ProvinceMissing,
    RegencyMissing,
    DistrictMissing,
    VillageMissing,
    /// A region that is not inside the one chosen above it (or not in the list at all).
    RegionNotInParent,
    StreetMissing,
    StreetTooLong,
    RtRw,
    Kk(IdentityError),
    MemberNik(IdentityError),
    MemberName(NameError),
    MemberRelationMissing,
    /// The same NIK twice in the household (or the person's own NIK as another member).
    MemberDuplicate,
    TooManyMembers,
    CategoryMissing,
    ProgramMissing,
    /// The program is closed, unknown, or does not serve the chosen category.
    ProgramNotForCategory,
    DescriptionTooShort,
    DescriptionTooLong,
    DocumentMissing,
    /// A file over [`super::document::MAX_UPLOAD_BYTES`].
    FileTooLarge,
    /// Not a JPEG, PNG, WebP or PDF by its content (whatever its name says).
    FileType,
    /// The upload form was sent without a file.
    FileMissing,
    DeclarationMissing,
    /// Submission with a step not (or no longer) complete.
    StepIncomplete,
    Characters,
    /// An email address that is not one (fixing contact details from tracking).
    EmailInvalid,
}

/// Free text from a form: trimmed, runs of blank lines collapsed, control characters other
/// than line breaks refused (they have no place in a letter to the office).
pub(crate) fn clean_text(input: &str) -> Result<String, Problem> {
    let text = input.trim().replace("\r\n", "\n");
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Problem::Characters);
    }
    Ok(text)
}

/// Reads a field out of form pairs (the last value wins, as with a repeated field).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

// ---- Step 1: who is applying -------------------------------------------------------

/// How the applicant is related to the person who needs help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Relation {
    Family,
    Neighbour,
    CommunityLeader,
    SocialWorker,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 5] =
        [Relation::Family, Relation::Neighbour, Relation::CommunityLeader, Relation::SocialWorker, Relation::Other];

    pub const fn slug(self) -> &'static str {
        match self {
            Relation::Family => "keluarga",
            Relation::Neighbour => "tetangga",
            Relation::CommunityLeader => "rt-rw",
            Relation::SocialWorker => "pendamping",
            Relation::Other => "lainnya",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// Whether the person who needs help agreed to this application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Consent {
    Given,
    /// They cannot consent (e.g. too ill, a child, living with dementia): why, in a sentence.
    CannotConsent(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    Myself,
    SomeoneElse { applicant_name: PersonName, relation: Relation, applicant_phone: PhoneNumber, consent: Consent },
}

pub mod who_fields {
    pub const FOR_WHOM: &str = "untuk";
    pub const APPLICANT_NAME: &str = "nama_pengaju";
    pub const RELATION: &str = "hubungan";
    pub const APPLICANT_PHONE: &str = "telepon_pengaju";
    pub const CONSENT: &str = "persetujuan";
    pub const CONSENT_REASON: &str = "alasan_persetujuan";
    pub const MYSELF: &str = "sendiri";
    pub const SOMEONE_ELSE: &str = "orang-lain";
    pub const CONSENT_GIVEN: &str = "setuju";
    pub const CONSENT_IMPOSSIBLE: &str = "tidak-dapat";
}

impl Who {
    pub fn parse(pairs: &[(String, String)]) -> Result<Who, Vec<FieldProblem>> {
        use who_fields::*;
        match field(pairs, FOR_WHOM) {
            MYSELF => Ok(Who::Myself),
            SOMEONE_ELSE => {
                let mut problems = Vec::new();
                let name = PersonName::parse(field(pairs, APPLICANT_NAME))
                    .map_err(|e| problems.push(FieldProblem::new(APPLICANT_NAME, Problem::ApplicantName(e))))
                    .ok();
                let relation = Relation::from_slug(field(pairs, RELATION));
                if relation.is_none() {
                    problems.push(FieldProblem::new(RELATION, Problem::RelationMissing));
                }
                let phone = PhoneNumber::parse(field(pairs, APPLICANT_PHONE))
                    .map_err(|e| problems.push(FieldProblem::new(APPLICANT_PHONE, Problem::ApplicantPhone(e))))
                    .ok();
                let consent = match field(pairs, CONSENT) {
                    CONSENT_GIVEN => Some(Consent::Given),
                    CONSENT_IMPOSSIBLE => match clean_text(field(pairs, CONSENT_REASON)) {
                        Ok(reason) if reason.chars().count() < 5 => {
                            problems.push(FieldProblem::new(CONSENT_REASON, Problem::ConsentReasonMissing));
                            None
                        }
                        Ok(reason) if reason.chars().count() > 500 => {
                            problems.push(FieldProblem::new(CONSENT_REASON, Problem::ConsentReasonTooLong));
                            None
                        }
                        Ok(reason) => Some(Consent::CannotConsent(reason)),
                        Err(p) => {
                            problems.push(FieldProblem::new(CONSENT_REASON, p));
                            None
                        }
                    },
                    _ => {
                        problems.push(FieldProblem::new(CONSENT, Problem::ConsentMissing));
                        None
                    }
                };
                match (name, relation, phone, consent) {
                    (Some(applicant_name), Some(relation), Some(applicant_phone), Some(consent)) => {
                        Ok(Who::SomeoneElse { applicant_name, relation, applicant_phone, consent })
                    }
                    _ => Err(problems),
                }
            }
            _ => Err(vec![FieldProblem::new(FOR_WHOM, Problem::ForWhomMissing)]),
        }
    }
}

// ---- Step 3: address ---------------------------------------------------------------

pub mod address_fields {
    pub const PROVINCE: &str = "provinsi";
    pub const REGENCY: &str = "kabupaten";
    pub const DISTRICT: &str = "kecamatan";
    pub const VILLAGE: &str = "desa";
    pub const STREET: &str = "jalan";
    pub const RT: &str = "rt";
    pub const RW: &str = "rw";
    /// The region fields from the widest down, with the level each holds.
    pub const REGIONS: [(&str, super::RegionLevel); 4] = [
        (PROVINCE, super::RegionLevel::Province),
        (REGENCY, super::RegionLevel::Regency),
        (DISTRICT, super::RegionLevel::District),
        (VILLAGE, super::RegionLevel::Village),
    ];
}

/// The region choices as far as they go consistently: each code is at its level and inside
/// the one above. Used to fill the narrowing lists, with or without JavaScript.
pub fn region_chain(pairs: &[(String, String)]) -> Vec<RegionCode> {
    let mut chain: Vec<RegionCode> = Vec::new();
    for (name, level) in address_fields::REGIONS {
        let Ok(code) = RegionCode::parse(field(pairs, name)) else { break };
        let inside = match chain.last() {
            None => true,
            Some(parent) => code.parent().as_ref() == Some(parent),
        };
        if code.level() != level || !inside {
            break;
        }
        chain.push(code);
    }
    chain
}

/// RT or RW: 1 to 3 digits, not zero; kept as three digits (`005`).
pub(crate) fn rt_rw(input: &str) -> Option<String> {
    let t = input.trim();
    let ok = (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) && t.bytes().any(|b| b != b'0');
    ok.then(|| format!("{:0>3}", t))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// The village (desa/kelurahan), which implies district, regency and province.
    pub village: RegionCode,
    pub street: String,
    pub rt: String,
    pub rw: String,
}

impl Address {
    /// Parses the address. That the village exists is for the caller to check against the
    /// region list (`villages_exist`), which the core does not hold.
    pub fn parse(pairs: &[(String, String)]) -> Result<Address, Vec<FieldProblem>> {
        use address_fields::*;
        let mut problems = Vec::new();
        let chain = region_chain(pairs);
        let missing = [Problem::ProvinceMissing, Problem::RegencyMissing, Problem::DistrictMissing, Problem::VillageMissing];
        if chain.len() < 4 {
            let (name, _) = REGIONS[chain.len()];
            let problem = if field(pairs, name).trim().is_empty() { missing[chain.len()] } else { Problem::RegionNotInParent };
            problems.push(FieldProblem::new(name, problem));
        }
        let street = match clean_text(field(pairs, STREET)) {
            Ok(s) if s.is_empty() => {
                problems.push(FieldProblem::new(STREET, Problem::StreetMissing));
                None
            }
            Ok(s) if s.chars().count() > 200 => {
                problems.push(FieldProblem::new(STREET, Problem::StreetTooLong));
                None
            }
            Ok(s) => Some(s.replace('\n', " ")),
            Err(p) => {
                problems.push(FieldProblem::new(STREET, p));
                None
            }
        };
        let rt = rt_rw(field(pairs, RT));
        if rt.is_none() {
            problems.push(FieldProblem::new(RT, Problem::RtRw));
        }
        let rw = rt_rw(field(pairs, RW));
        if rw.is_none() {
            problems.push(FieldProblem::new(RW, Problem::RtRw));
        }
        match (chain.get(3), street, rt, rw) {
            (Some(village), Some(street), Some(rt), Some(rw)) if problems.is_empty() => {
                Ok(Address { village: village.clone(), street, rt, rw })
            }
            _ => Err(problems),
        }
    }
}

// ---- Step 4: household (from the KK) -----------------------------------------------

/// A member's place in the family, as the KK's "status hubungan dalam keluarga" has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FamilyRole {
    Head,
    Spouse,
    Child,
    Parent,
    InLaw,
    Grandchild,
    OtherRelative,
    Other,
}

impl FamilyRole {
    pub const ALL: [FamilyRole; 8] = [
        FamilyRole::Head,
        FamilyRole::Spouse,
        FamilyRole::Child,
        FamilyRole::Parent,
        FamilyRole::InLaw,
        FamilyRole::Grandchild,
        FamilyRole::OtherRelative,
        FamilyRole::Other,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            FamilyRole::Head => "kepala-keluarga",
            FamilyRole::Spouse => "suami-istri",
            FamilyRole::Child => "anak",
            FamilyRole::Parent => "orang-tua",
            FamilyRole::InLaw => "menantu-mertua",
            FamilyRole::Grandchild => "cucu",
            FamilyRole::OtherRelative => "famili-lain",
            FamilyRole::Other => "lainnya",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub nik: Nik,
    pub name: PersonName,
    pub role: FamilyRole,
}

/// Field names every step's form shares: which button was pressed, and the way back to
/// "check your answers".
pub mod step_fields {
    /// The pressed button's value (`lanjut`, `tambah`, `hapus`, `program`, `wilayah`).
    pub const ACTION: &str = "aksi";
    /// `periksa`: after saving, back to the review step.
    pub const BACK_TO: &str = "kembali";
    /// The one-time submission key on "check your answers".
    pub const KEY: &str = "kunci";
    /// The declaration's box (`ya`).
    pub const DECLARATION: &str = "pernyataan";
}

pub mod household_fields {
    pub const KK: &str = "no_kk";
    /// Which member a "remove" button removes (their index).
    pub const MEMBER_INDEX: &str = "anggota";
    pub const MEMBER_NIK: &str = "nik_anggota";
    pub const MEMBER_NAME: &str = "nama_anggota";
    pub const MEMBER_ROLE: &str = "hubungan_anggota";
}

/// A KK lists at most a few dozen people; more is a typing loop, not a family.
pub const MAX_MEMBERS: usize = 20;

impl Member {
    /// Parses one member to add, refusing a NIK already in the household.
    pub fn parse(pairs: &[(String, String)], already: &[Nik]) -> Result<Member, Vec<FieldProblem>> {
        use household_fields::*;
        let mut problems = Vec::new();
        if already.len() >= MAX_MEMBERS {
            return Err(vec![FieldProblem::new(MEMBER_NIK, Problem::TooManyMembers)]);
        }
        let nik = match Nik::parse(field(pairs, MEMBER_NIK)) {
            Ok(nik) if already.contains(&nik) => {
                problems.push(FieldProblem::new(MEMBER_NIK, Problem::MemberDuplicate));
                None
            }
            Ok(nik) => Some(nik),
            Err(e) => {
                problems.push(FieldProblem::new(MEMBER_NIK, Problem::MemberNik(e)));
                None
            }
        };
        let name =
            PersonName::parse(field(pairs, MEMBER_NAME)).map_err(|e| problems.push(FieldProblem::new(MEMBER_NAME, Problem::MemberName(e)))).ok();
        let role = FamilyRole::from_slug(field(pairs, MEMBER_ROLE));
        if role.is_none() {
            problems.push(FieldProblem::new(MEMBER_ROLE, Problem::MemberRelationMissing));
        }
        match (nik, name, role) {
            (Some(nik), Some(name), Some(role)) => Ok(Member { nik, name, role }),
            _ => Err(problems),
        }
    }
}

/// The KK number; the members are added one at a time.
pub fn parse_kk(pairs: &[(String, String)]) -> Result<NomorKk, Vec<FieldProblem>> {
    NomorKk::parse(field(pairs, household_fields::KK)).map_err(|e| vec![FieldProblem::new(household_fields::KK, Problem::Kk(e))])
}

// ---- Step 5: the need --------------------------------------------------------------

pub mod need_fields {
    pub const CATEGORY: &str = "kategori";
    pub const PROGRAM: &str = "program";
    pub const DESCRIPTION: &str = "uraian";
}

/// An open program and the PPKS categories it serves: what the need step may choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramFit {
    pub code: ProgramCode,
    pub categories: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub category: i64,
    pub program: ProgramCode,
    pub description: String,
}

impl Need {
    pub const DESCRIPTION_MIN: usize = 10;
    pub const DESCRIPTION_MAX: usize = 2000;

    /// Parses the need against the open programs: the program must be one of them and
    /// serve the category. A forged program code is refused like a wrong one.
    pub fn parse(pairs: &[(String, String)], open: &[ProgramFit], categories: &[i64]) -> Result<Need, Vec<FieldProblem>> {
        use need_fields::*;
        let mut problems = Vec::new();
        let category = field(pairs, CATEGORY).trim().parse::<i64>().ok().filter(|c| categories.contains(c));
        if category.is_none() {
            problems.push(FieldProblem::new(CATEGORY, Problem::CategoryMissing));
        }
        let program = match field(pairs, PROGRAM).trim() {
            "" => {
                problems.push(FieldProblem::new(PROGRAM, Problem::ProgramMissing));
                None
            }
            text => {
                let fit = open.iter().find(|p| p.code.as_str() == text);
                match (fit, category) {
                    (Some(fit), Some(c)) if fit.categories.contains(&c) => Some(fit.code.clone()),
                    (Some(_), None) => None,
                    _ => {
                        problems.push(FieldProblem::new(PROGRAM, Problem::ProgramNotForCategory));
                        None
                    }
                }
            }
        };
        let description = match clean_text(field(pairs, DESCRIPTION)) {
            Ok(d) if d.chars().count() < Self::DESCRIPTION_MIN => {
                problems.push(FieldProblem::new(DESCRIPTION, Problem::DescriptionTooShort));
                None
            }
            Ok(d) if d.chars().count() > Self::DESCRIPTION_MAX => {
                problems.push(FieldProblem::new(DESCRIPTION, Problem::DescriptionTooLong));
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                problems.push(FieldProblem::new(DESCRIPTION, p));
                None
            }
        };
        match (category, program, description) {
            (Some(category), Some(program), Some(description)) if problems.is_empty() => Ok(Need { category, program, description }),
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

    fn problems(result: Result<impl std::fmt::Debug, Vec<FieldProblem>>) -> Vec<(String, Problem)> {
        result.unwrap_err().into_iter().map(|p| (p.field, p.problem)).collect()
    }

    #[test]
    fn steps_run_in_order_and_round_trip_their_slugs() {
        assert_eq!(Step::Who.next(), Some(Step::Person));
        assert_eq!(Step::Review.next(), None);
        assert_eq!(Step::Who.previous(), None);
        assert_eq!(Step::Documents.previous(), Some(Step::Need));
        for step in Step::ALL {
            assert_eq!(Step::from_slug(step.slug()), Some(step));
        }
        assert_eq!(Step::Review.number(), 7);
        assert_eq!(Step::from_slug("../etc"), None);
    }

    #[test]
    fn someone_else_needs_the_applicant_relation_and_consent() {
        assert_eq!(Who::parse(&pairs(&[("untuk", "sendiri")])), Ok(Who::Myself));
        assert_eq!(problems(Who::parse(&pairs(&[]))), [("untuk".to_string(), Problem::ForWhomMissing)]);
        let found = problems(Who::parse(&pairs(&[("untuk", "orang-lain"), ("persetujuan", "tidak-dapat")])));
        let fields: Vec<_> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["nama_pengaju", "hubungan", "telepon_pengaju", "alasan_persetujuan"]);
        let who = Who::parse(&pairs(&[
            ("untuk", "orang-lain"),
            ("nama_pengaju", "Budi Santoso"),
            ("hubungan", "tetangga"),
            ("telepon_pengaju", "0812 3456 7890"),
            ("persetujuan", "tidak-dapat"),
            ("alasan_persetujuan", "  Beliau sakit stroke dan tidak dapat berbicara. "),
        ]))
        .unwrap();
        let Who::SomeoneElse { relation, consent, .. } = who else { panic!("expected someone else") };
        assert_eq!(relation, Relation::Neighbour);
        assert_eq!(consent, Consent::CannotConsent("Beliau sakit stroke dan tidak dapat berbicara.".into()));
    }

    #[test]
    fn an_address_is_a_consistent_chain_of_regions_plus_street_and_rt_rw() {
        let good = pairs(&[
            ("provinsi", "32"),
            ("kabupaten", "3276"),
            ("kecamatan", "327601"),
            ("desa", "3276011001"),
            ("jalan", "Jl. Margonda Raya No. 5"),
            ("rt", "5"),
            ("rw", "012"),
        ]);
        let address = Address::parse(&good).unwrap();
        assert_eq!((address.village.as_str(), address.rt.as_str(), address.rw.as_str()), ("3276011001", "005", "012"));

        let mut wrong_parent = good.clone();
        wrong_parent[2].1 = "327102".into();
        assert_eq!(region_chain(&wrong_parent).len(), 2);
        assert_eq!(problems(Address::parse(&wrong_parent)), [("kecamatan".to_string(), Problem::RegionNotInParent)]);

        let empty = problems(Address::parse(&pairs(&[("rt", "000"), ("rw", "1234")])));
        assert_eq!(
            empty,
            [
                ("provinsi".to_string(), Problem::ProvinceMissing),
                ("jalan".to_string(), Problem::StreetMissing),
                ("rt".to_string(), Problem::RtRw),
                ("rw".to_string(), Problem::RtRw)
            ]
        );
    }

    #[test]
    fn members_are_parsed_one_at_a_time_without_repeats() {
        let siti = Nik::parse("3276015505870003").unwrap();
        let add = pairs(&[("nik_anggota", "3276011203100002"), ("nama_anggota", "Rina"), ("hubungan_anggota", "anak")]);
        let member = Member::parse(&add, std::slice::from_ref(&siti)).unwrap();
        assert_eq!(member.role, FamilyRole::Child);
        assert_eq!(problems(Member::parse(&add, &[member.nik.clone()])), [("nik_anggota".to_string(), Problem::MemberDuplicate)]);
        let full = vec![siti; MAX_MEMBERS];
        assert_eq!(problems(Member::parse(&add, &full)), [("nik_anggota".to_string(), Problem::TooManyMembers)]);
        let bad = pairs(&[("nik_anggota", "123"), ("nama_anggota", "<b>"), ("hubungan_anggota", "raja")]);
        assert_eq!(problems(Member::parse(&bad, &[])).len(), 3);
    }

    #[test]
    fn a_need_names_an_open_program_that_serves_the_category() {
        let open = vec![
            ProgramFit { code: ProgramCode::parse("rs-rtlh").unwrap(), categories: vec![1, 9] },
            ProgramFit { code: ProgramCode::parse("atensi-disabilitas").unwrap(), categories: vec![8] },
        ];
        let categories = [1, 8, 9];
        let ask = |c: &str, p: &str| pairs(&[("kategori", c), ("program", p), ("uraian", "Atap rumah bocor dan dinding retak.")]);
        assert_eq!(Need::parse(&ask("9", "rs-rtlh"), &open, &categories).unwrap().program.as_str(), "rs-rtlh");
        assert_eq!(problems(Need::parse(&ask("8", "rs-rtlh"), &open, &categories)), [("program".to_string(), Problem::ProgramNotForCategory)]);
        assert_eq!(problems(Need::parse(&ask("9", "bst-pandemi"), &open, &categories)), [("program".to_string(), Problem::ProgramNotForCategory)]);
        assert_eq!(problems(Need::parse(&ask("99", "rs-rtlh"), &open, &categories)), [("kategori".to_string(), Problem::CategoryMissing)]);
        let short = pairs(&[("kategori", "9"), ("program", "rs-rtlh"), ("uraian", "bocor")]);
        assert_eq!(problems(Need::parse(&short, &open, &categories)), [("uraian".to_string(), Problem::DescriptionTooShort)]);
        let control = pairs(&[("kategori", "9"), ("program", "rs-rtlh"), ("uraian", "Atap bocor\u{0}\u{7} sekali")]);
        assert_eq!(problems(Need::parse(&control, &open, &categories)), [("uraian".to_string(), Problem::Characters)]);
    }
}
