//! "Which aid fits me": a resident's situation in a few plain answers, the rules each
//! program states as data, and the check that matches one against the other.
//!
//! A program's rules are alternatives, each a list of conditions that must all hold:
//! "an older person who has no one to care for them, OR an older person with low income".
//! The check says not only whether a program may fit but why, so the resident can see
//! which of their answers led there. It decides nothing: staff verify every application.
//!
//! Longer than 500 lines: the check's rules and their tests sit together (a third is tests).

use super::region::{PROVINCES, RegionCode, RegionLevel, province_name};
use super::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Gives an answer enum the short Indonesian names used as form values and in the
/// check's cookie, so the browser's form and the server read answers the same way.
macro_rules! slugs {
    ($ty:ident { $($variant:ident => $slug:literal),+ $(,)? }) => {
        impl $ty {
            pub const fn slug(self) -> &'static str {
                match self { $($ty::$variant => $slug),+ }
            }
            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}

slugs!(ForWhom { Myself => "sendiri", SomeoneElse => "orang-lain" });
slugs!(AgeGroup { Toddler => "balita", Child => "anak", Adult => "dewasa", Elderly => "lansia" });
slugs!(Disaster { None => "tidak", Natural => "alam", Social => "sosial" });
slugs!(Housing { Adequate => "layak", Uninhabitable => "tidak-layak", Homeless => "tanpa-rumah", Stranded => "terlantar" });
slugs!(Income { Enough => "cukup", Low => "kurang", None => "tidak-ada" });
slugs!(Need {
    Care => "perawatan",
    HealthInsurance => "jaminan-kesehatan",
    SchoolCosts => "biaya-sekolah",
    BusinessCapital => "modal-usaha",
    FuneralCosts => "biaya-pemakaman",
    DrugRecovery => "pemulihan-napza",
    SocialRegister => "dtsen",
});

/// Who needs the help: the resident, or someone they are asking for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ForWhom {
    Myself,
    SomeoneElse,
}

impl ForWhom {
    pub const ALL: [ForWhom; 2] = [ForWhom::Myself, ForWhom::SomeoneElse];
}

/// Age of the person who needs help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeGroup {
    /// 0–5 years (balita).
    Toddler,
    /// 6–17 years.
    Child,
    /// 18–59 years.
    Adult,
    /// 60 years and over (lanjut usia).
    Elderly,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 4] = [AgeGroup::Toddler, AgeGroup::Child, AgeGroup::Adult, AgeGroup::Elderly];

    /// Birth dates of this group on `today`: born after the first date (if any) and on or
    /// before the second (if any), for filtering stored birth dates.
    pub fn born_between(self, today: Date) -> (Option<Date>, Option<Date>) {
        let ago = |years: i32| Date::new(today.year() - years, today.month(), today.day())
            .or_else(|_| Date::new(today.year() - years, today.month(), 28))
            .unwrap_or(today);
        match self {
            AgeGroup::Toddler => (Some(ago(6)), None),
            AgeGroup::Child => (Some(ago(18)), Some(ago(6))),
            AgeGroup::Adult => (Some(ago(60)), Some(ago(18))),
            AgeGroup::Elderly => (None, Some(ago(60))),
        }
    }

    pub fn of_age(years: i32) -> Self {
        match years {
            ..=5 => AgeGroup::Toddler,
            6..=17 => AgeGroup::Child,
            18..=59 => AgeGroup::Adult,
            _ => AgeGroup::Elderly,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Disaster {
    None,
    /// Flood, landslide, earthquake, fire.
    Natural,
    /// Social conflict.
    Social,
}

impl Disaster {
    pub const ALL: [Disaster; 3] = [Disaster::None, Disaster::Natural, Disaster::Social];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Housing {
    Adequate,
    /// Damaged roof, floor or walls (rumah tidak layak huni).
    Uninhabitable,
    /// No home: sleeping in the street or in public places.
    Homeless,
    /// Away from home and out of means to return (terlantar dalam perjalanan).
    Stranded,
}

impl Housing {
    pub const ALL: [Housing; 4] = [Housing::Adequate, Housing::Uninhabitable, Housing::Homeless, Housing::Stranded];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Income {
    /// Enough for daily needs.
    Enough,
    /// Not enough for daily needs (kurang mampu).
    Low,
    /// No income at all.
    None,
}

impl Income {
    pub const ALL: [Income; 3] = [Income::Enough, Income::Low, Income::None];
}

/// Something specific the person needs; several may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Need {
    /// Nobody takes care of them.
    Care,
    HealthInsurance,
    SchoolCosts,
    BusinessCapital,
    FuneralCosts,
    DrugRecovery,
    /// To be listed in the national social-economic register (DTSEN).
    SocialRegister,
}

impl Need {
    pub const ALL: [Need; 7] = [
        Need::Care,
        Need::HealthInsurance,
        Need::SchoolCosts,
        Need::BusinessCapital,
        Need::FuneralCosts,
        Need::DrugRecovery,
        Need::SocialRegister,
    ];
}

/// The answers to the check's questions, about the person who needs help.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    pub for_whom: ForWhom,
    /// The province the person lives in (where to be served).
    pub province: RegionCode,
    pub age: AgeGroup,
    pub disability: bool,
    pub disaster: Disaster,
    pub housing: Housing,
    pub income: Income,
    pub needs: BTreeSet<Need>,
}

/// The check's questions, in the order they are asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Question {
    ForWhom,
    Age,
    Disability,
    Disaster,
    Housing,
    Income,
    Needs,
    Province,
}

impl Question {
    pub const ALL: [Question; 8] = [
        Question::ForWhom,
        Question::Age,
        Question::Disability,
        Question::Disaster,
        Question::Housing,
        Question::Income,
        Question::Needs,
        Question::Province,
    ];
}

slugs!(Question {
    ForWhom => "untuk",
    Province => "provinsi",
    Age => "usia",
    Disability => "disabilitas",
    Disaster => "bencana",
    Housing => "rumah",
    Income => "penghasilan",
    Needs => "kebutuhan",
});

/// Answers as given, possibly incomplete: what a form sends and what the page shows back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckAnswers {
    pub for_whom: Option<ForWhom>,
    /// A province code from [`PROVINCES`].
    pub province: Option<RegionCode>,
    pub age: Option<AgeGroup>,
    pub disability: Option<bool>,
    pub disaster: Option<Disaster>,
    pub housing: Option<Housing>,
    pub income: Option<Income>,
    pub needs: BTreeSet<Need>,
    /// The resident ticked "none of these" for the needs.
    pub no_needs: bool,
}

/// The value of the "none of these" box beside the needs.
pub const NO_NEEDS: &str = "tidak-ada";

impl CheckAnswers {
    /// Reads form fields (`usia=lansia`, `kebutuhan=dtsen`, …, repeated for each ticked
    /// need). Unknown names and values are ignored: they cannot come from our form.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut a = CheckAnswers::default();
        for (name, value) in pairs {
            match Question::from_slug(name) {
                Some(Question::ForWhom) => a.for_whom = ForWhom::from_slug(value),
                Some(Question::Province) => {
                    a.province = RegionCode::parse(value)
                        .ok()
                        .filter(|c| c.level() == RegionLevel::Province && province_name(c.as_str()).is_some())
                }
                Some(Question::Age) => a.age = AgeGroup::from_slug(value),
                Some(Question::Disability) => {
                    a.disability = match value {
                        "ya" => Some(true),
                        "tidak" => Some(false),
                        _ => None,
                    }
                }
                Some(Question::Disaster) => a.disaster = Disaster::from_slug(value),
                Some(Question::Housing) => a.housing = Housing::from_slug(value),
                Some(Question::Income) => a.income = Income::from_slug(value),
                Some(Question::Needs) if value == NO_NEEDS => a.no_needs = true,
                Some(Question::Needs) => a.needs.extend(Need::from_slug(value)),
                None => {}
            }
        }
        a
    }

    /// The same answers as form fields, the inverse of [`CheckAnswers::from_pairs`].
    pub fn to_pairs(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if let Some(v) = self.for_whom {
            out.push((Question::ForWhom.slug(), v.slug()));
        }
        // Province codes are the table's own &'static strs, so answers stay borrow-free.
        if let Some(code) = self.province.as_ref().and_then(|c| PROVINCES.iter().find(|(p, _)| *p == c.as_str())) {
            out.push((Question::Province.slug(), code.0));
        }
        if let Some(v) = self.age {
            out.push((Question::Age.slug(), v.slug()));
        }
        if let Some(v) = self.disability {
            out.push((Question::Disability.slug(), if v { "ya" } else { "tidak" }));
        }
        if let Some(v) = self.disaster {
            out.push((Question::Disaster.slug(), v.slug()));
        }
        if let Some(v) = self.housing {
            out.push((Question::Housing.slug(), v.slug()));
        }
        if let Some(v) = self.income {
            out.push((Question::Income.slug(), v.slug()));
        }
        for need in &self.needs {
            out.push((Question::Needs.slug(), need.slug()));
        }
        if self.no_needs {
            out.push((Question::Needs.slug(), NO_NEEDS));
        }
        out
    }

    /// A compact form for a cookie: `usia:lansia~kebutuhan:dtsen~…` (only characters
    /// cookies allow, no personal identifier).
    pub fn encode(&self) -> String {
        self.to_pairs().iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join("~")
    }

    pub fn decode(text: &str) -> Self {
        Self::from_pairs(text.split('~').filter_map(|pair| pair.split_once(':')))
    }

    /// The questions still unanswered (in order), or the complete situation.
    pub fn complete(&self) -> Result<Situation, Vec<Question>> {
        let mut missing = Vec::new();
        if self.for_whom.is_none() {
            missing.push(Question::ForWhom);
        }
        if self.age.is_none() {
            missing.push(Question::Age);
        }
        if self.disability.is_none() {
            missing.push(Question::Disability);
        }
        if self.disaster.is_none() {
            missing.push(Question::Disaster);
        }
        if self.housing.is_none() {
            missing.push(Question::Housing);
        }
        if self.income.is_none() {
            missing.push(Question::Income);
        }
        // Needs are answered by ticking some or by ticking "none of these": not neither,
        // and not both (a contradiction is asked again).
        if !self.needs.is_empty() == self.no_needs {
            missing.push(Question::Needs);
        }
        if self.province.is_none() {
            missing.push(Question::Province);
        }
        match (self.for_whom, &self.province, self.age, self.disability, self.disaster, self.housing, self.income) {
            (Some(for_whom), Some(province), Some(age), Some(disability), Some(disaster), Some(housing), Some(income))
                if missing.is_empty() =>
            {
                Ok(Situation {
                    for_whom,
                    province: province.clone(),
                    age,
                    disability,
                    disaster,
                    housing,
                    income,
                    needs: self.needs.clone(),
                })
            }
            _ => Err(missing),
        }
    }
}

/// One condition a program sets. Lists mean "one of these".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    Age(Vec<AgeGroup>),
    Disability,
    Disaster(Vec<Disaster>),
    Housing(Vec<Housing>),
    Income(Vec<Income>),
    Need(Need),
}

/// Which answer satisfied a condition: the "why" shown beside a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reason {
    Age(AgeGroup),
    Disability,
    Disaster(Disaster),
    Housing(Housing),
    Income(Income),
    Need(Need),
}

impl Condition {
    fn reason(&self, s: &Situation) -> Option<Reason> {
        match self {
            Condition::Age(groups) => groups.contains(&s.age).then_some(Reason::Age(s.age)),
            Condition::Disability => s.disability.then_some(Reason::Disability),
            Condition::Disaster(kinds) => kinds.contains(&s.disaster).then_some(Reason::Disaster(s.disaster)),
            Condition::Housing(kinds) => kinds.contains(&s.housing).then_some(Reason::Housing(s.housing)),
            Condition::Income(levels) => levels.contains(&s.income).then_some(Reason::Income(s.income)),
            Condition::Need(need) => s.needs.contains(need).then_some(Reason::Need(*need)),
        }
    }

    fn is_satisfiable(&self) -> bool {
        match self {
            Condition::Age(v) => !v.is_empty(),
            Condition::Disaster(v) => !v.is_empty(),
            Condition::Housing(v) => !v.is_empty(),
            Condition::Income(v) => !v.is_empty(),
            Condition::Disability | Condition::Need(_) => true,
        }
    }
}

/// A program's rules: it may fit when all conditions of at least one rule hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Vec<Condition>>", into = "Vec<Vec<Condition>>")]
pub struct Eligibility(Vec<Vec<Condition>>);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EligibilityError {
    #[error("a program needs at least one rule")]
    NoRules,
    #[error("rule {0} has no conditions: it would fit everyone")]
    EmptyRule(usize),
    #[error("rule {0} has a condition with an empty list: it could never hold")]
    EmptyList(usize),
}

impl Eligibility {
    pub fn new(rules: Vec<Vec<Condition>>) -> Result<Self, EligibilityError> {
        if rules.is_empty() {
            return Err(EligibilityError::NoRules);
        }
        for (i, rule) in rules.iter().enumerate() {
            if rule.is_empty() {
                return Err(EligibilityError::EmptyRule(i + 1));
            }
            if !rule.iter().all(Condition::is_satisfiable) {
                return Err(EligibilityError::EmptyList(i + 1));
            }
        }
        Ok(Self(rules))
    }

    pub fn rules(&self) -> &[Vec<Condition>] {
        &self.0
    }

    /// The answers that make the program fit, from the first rule that holds; `None`
    /// when no rule holds.
    pub fn check(&self, situation: &Situation) -> Option<Vec<Reason>> {
        self.0.iter().find_map(|rule| rule.iter().map(|c| c.reason(situation)).collect::<Option<Vec<_>>>())
    }
}

impl From<Eligibility> for Vec<Vec<Condition>> {
    fn from(e: Eligibility) -> Self {
        e.0
    }
}

impl TryFrom<Vec<Vec<Condition>>> for Eligibility {
    type Error = EligibilityError;
    fn try_from(rules: Vec<Vec<Condition>>) -> Result<Self, EligibilityError> {
        Eligibility::new(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_groups_bound_birth_dates_to_the_day() {
        let today = Date::new(2026, 11, 23).unwrap();
        for (born, group) in [("2026-01-01", AgeGroup::Toddler), ("2020-11-24", AgeGroup::Toddler), ("2020-11-23", AgeGroup::Child), ("2008-11-23", AgeGroup::Adult), ("1966-11-23", AgeGroup::Elderly), ("1966-11-24", AgeGroup::Adult)] {
            let born = Date::parse_iso(born).unwrap();
            assert_eq!(AgeGroup::of_age(born.years_until(today)), group, "{born}");
            let (after, until) = group.born_between(today);
            assert!(after.is_none_or(|a| born > a) && until.is_none_or(|u| born <= u), "{born} {group:?}");
        }
    }

    fn situation() -> Situation {
        Situation {
            for_whom: ForWhom::Myself,
            province: RegionCode::parse("32").unwrap(),
            age: AgeGroup::Adult,
            disability: false,
            disaster: Disaster::None,
            housing: Housing::Adequate,
            income: Income::Enough,
            needs: BTreeSet::new(),
        }
    }

    fn elderly_care() -> Eligibility {
        Eligibility::new(vec![
            vec![Condition::Age(vec![AgeGroup::Elderly]), Condition::Need(Need::Care)],
            vec![Condition::Age(vec![AgeGroup::Elderly]), Condition::Income(vec![Income::Low, Income::None])],
        ])
        .unwrap()
    }

    #[test]
    fn a_program_fits_when_every_condition_of_one_rule_holds() {
        let mut s = situation();
        s.age = AgeGroup::Elderly;
        s.income = Income::None;
        assert_eq!(elderly_care().check(&s), Some(vec![Reason::Age(AgeGroup::Elderly), Reason::Income(Income::None)]));
    }

    #[test]
    fn the_first_rule_that_holds_gives_the_reasons() {
        let mut s = situation();
        s.age = AgeGroup::Elderly;
        s.income = Income::Low;
        s.needs.insert(Need::Care);
        assert_eq!(elderly_care().check(&s), Some(vec![Reason::Age(AgeGroup::Elderly), Reason::Need(Need::Care)]));
    }

    #[test]
    fn one_missing_condition_is_enough_to_not_fit() {
        let mut s = situation();
        s.age = AgeGroup::Elderly;
        assert_eq!(elderly_care().check(&s), None, "older, but income enough and cared for");
        s.age = AgeGroup::Adult;
        s.income = Income::None;
        s.needs.insert(Need::Care);
        assert_eq!(elderly_care().check(&s), None, "in need, but not older");
    }

    #[test]
    fn each_condition_kind_matches_its_answer() {
        let mut s = situation();
        s.disability = true;
        s.disaster = Disaster::Social;
        s.housing = Housing::Stranded;
        s.needs.insert(Need::FuneralCosts);
        let rule = Eligibility::new(vec![vec![
            Condition::Disability,
            Condition::Disaster(vec![Disaster::Natural, Disaster::Social]),
            Condition::Housing(vec![Housing::Stranded]),
            Condition::Need(Need::FuneralCosts),
            Condition::Age(AgeGroup::ALL.to_vec()),
        ]])
        .unwrap();
        assert_eq!(
            rule.check(&s),
            Some(vec![
                Reason::Disability,
                Reason::Disaster(Disaster::Social),
                Reason::Housing(Housing::Stranded),
                Reason::Need(Need::FuneralCosts),
                Reason::Age(AgeGroup::Adult),
            ])
        );
    }

    #[test]
    fn rules_that_fit_everyone_or_no_one_are_refused() {
        assert_eq!(Eligibility::new(vec![]), Err(EligibilityError::NoRules));
        assert_eq!(Eligibility::new(vec![vec![Condition::Disability], vec![]]), Err(EligibilityError::EmptyRule(2)));
        assert_eq!(Eligibility::new(vec![vec![Condition::Income(vec![])]]), Err(EligibilityError::EmptyList(1)));
    }

    #[test]
    fn answers_round_trip_through_form_fields_and_the_cookie() {
        let answers = CheckAnswers {
            for_whom: Some(ForWhom::SomeoneElse),
            province: Some(RegionCode::parse("91").unwrap()),
            age: Some(AgeGroup::Elderly),
            disability: Some(true),
            disaster: Some(Disaster::Natural),
            housing: Some(Housing::Uninhabitable),
            income: Some(Income::Low),
            needs: [Need::Care, Need::SocialRegister].into_iter().collect(),
            no_needs: false,
        };
        assert_eq!(CheckAnswers::from_pairs(answers.to_pairs()), answers);
        let cookie = answers.encode();
        assert!(cookie.bytes().all(|b| b.is_ascii_graphic() && !b"\",;\\".contains(&b)), "{cookie}");
        assert_eq!(CheckAnswers::decode(&cookie), answers);
        assert_eq!(answers.complete().unwrap().needs.len(), 2);
    }

    #[test]
    fn missing_and_contradictory_answers_are_named_in_order() {
        let partial = CheckAnswers::from_pairs([("usia", "anak"), ("penghasilan", "kurang")]);
        assert_eq!(
            partial.complete(),
            Err(vec![
                Question::ForWhom,
                Question::Disability,
                Question::Disaster,
                Question::Housing,
                Question::Needs,
                Question::Province
            ])
        );
        let contradictory = CheckAnswers::from_pairs([
            ("untuk", "sendiri"),
            ("provinsi", "32"),
            ("usia", "anak"),
            ("disabilitas", "tidak"),
            ("bencana", "tidak"),
            ("rumah", "layak"),
            ("penghasilan", "kurang"),
            ("kebutuhan", "dtsen"),
            ("kebutuhan", "tidak-ada"),
        ]);
        assert_eq!(contradictory.complete(), Err(vec![Question::Needs]));
    }

    #[test]
    fn forged_names_and_values_are_ignored() {
        let a = CheckAnswers::from_pairs([
            ("usia", "<script>"),
            ("admin", "1"),
            ("kebutuhan", "emas"),
            ("disabilitas", "mungkin"),
            // Not a province, a regency (not a province level code), and an unknown code.
            ("provinsi", "../32"),
            ("provinsi", "3276"),
        ]);
        assert_eq!(a, CheckAnswers::default());
        assert_eq!(CheckAnswers::from_pairs([("provinsi", "99")]), CheckAnswers::default());
        assert_eq!(a, CheckAnswers::default());
        assert_eq!(CheckAnswers::decode("usia:lansia~~rusak~:~penghasilan:"), CheckAnswers { age: Some(AgeGroup::Elderly), ..Default::default() });
    }

    #[test]
    fn every_slug_is_distinct_and_round_trips() {
        for v in AgeGroup::ALL {
            assert_eq!(AgeGroup::from_slug(v.slug()), Some(v));
        }
        for v in Disaster::ALL {
            assert_eq!(Disaster::from_slug(v.slug()), Some(v));
        }
        for v in Housing::ALL {
            assert_eq!(Housing::from_slug(v.slug()), Some(v));
        }
        for v in Income::ALL {
            assert_eq!(Income::from_slug(v.slug()), Some(v));
        }
        for v in Need::ALL {
            assert_eq!(Need::from_slug(v.slug()), Some(v));
            assert_ne!(v.slug(), NO_NEEDS);
        }
        for q in Question::ALL {
            assert_eq!(Question::from_slug(q.slug()), Some(q));
        }
    }

    #[test]
    fn ages_fall_into_groups_at_the_right_birthdays() {
        assert_eq!(AgeGroup::of_age(0), AgeGroup::Toddler);
        assert_eq!(AgeGroup::of_age(5), AgeGroup::Toddler);
        assert_eq!(AgeGroup::of_age(6), AgeGroup::Child);
        assert_eq!(AgeGroup::of_age(17), AgeGroup::Child);
        assert_eq!(AgeGroup::of_age(18), AgeGroup::Adult);
        assert_eq!(AgeGroup::of_age(59), AgeGroup::Adult);
        assert_eq!(AgeGroup::of_age(60), AgeGroup::Elderly);
    }
}
