//! What a resident may fix online when staff ask for a correction, and how each fix is
//! parsed. Documents are replaced; of the answers, the parts that need no proof are fixed
//! here (contact details, the street and RT/RW within the same village, the description of
//! the need). A change of identity, household, village or program needs the original papers
//! and is recorded at a service point.

use super::apply::{FieldProblem, Problem, Step, address_fields, clean_text, field, need_fields, rt_rw};
use super::program::DocumentKind;
use super::person::{EmailAddress, PersonField, PhoneNumber};
use serde::{Deserialize, Serialize};

/// The parts of a correction a resident can do from tracking.
pub const ONLINE: [Step; 4] = [Step::Person, Step::Address, Step::Need, Step::Documents];

/// Whether every part asked for can be fixed online (otherwise: at a service point).
pub fn fixable_online(items: &[Step]) -> bool {
    !items.is_empty() && items.iter().all(|s| ONLINE.contains(s))
}

/// The documents a resident may replace under a correction that named `documents`, of those
/// the application `holds`: the named ones, or (a correction asked before documents were
/// named) all of them when the documents part was asked for.
pub fn replaceable(items: &[Step], documents: &[DocumentKind], holds: &[DocumentKind]) -> Vec<DocumentKind> {
    if !items.contains(&Step::Documents) {
        return Vec::new();
    }
    holds.iter().copied().filter(|d| documents.is_empty() || documents.contains(d)).collect()
}

/// A fixed answer, ready to be written over the application's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerFix {
    Contact { phone: String, email: Option<String> },
    Street { street: String, rt: String, rw: String },
    Description { description: String },
}

impl AnswerFix {
    /// The form fields of each part, in order (also the names of its inputs).
    pub fn fields(step: Step) -> &'static [&'static str] {
        const CONTACT: &[&str] = &[PersonField::Phone.name(), PersonField::Email.name()];
        match step {
            Step::Person => CONTACT,
            Step::Address => &[address_fields::STREET, address_fields::RT, address_fields::RW],
            Step::Need => &[need_fields::DESCRIPTION],
            _ => &[],
        }
    }

    /// Parses the fix of one part; `None` for a part that is not fixed online.
    pub fn parse(step: Step, pairs: &[(String, String)]) -> Option<Result<AnswerFix, Vec<FieldProblem>>> {
        Some(match step {
            Step::Person => {
                let mut problems = Vec::new();
                let phone = PhoneNumber::parse(field(pairs, PersonField::Phone.name()))
                    .map_err(|e| problems.push(FieldProblem::new(PersonField::Phone.name(), Problem::ApplicantPhone(e))))
                    .ok();
                let typed = field(pairs, PersonField::Email.name()).trim();
                let email = if typed.is_empty() {
                    Some(None)
                } else {
                    EmailAddress::parse(typed)
                        .map(|e| Some(e.as_str().to_string()))
                        .map_err(|_| problems.push(FieldProblem::new(PersonField::Email.name(), Problem::EmailInvalid)))
                        .ok()
                };
                match (phone, email) {
                    (Some(phone), Some(email)) => Ok(AnswerFix::Contact { phone: phone.as_str().to_string(), email }),
                    _ => Err(problems),
                }
            }
            Step::Address => {
                use address_fields::*;
                let mut problems = Vec::new();
                let street = match clean_text(field(pairs, STREET)) {
                    Ok(s) if s.is_empty() => Err(Problem::StreetMissing),
                    Ok(s) if s.chars().count() > 200 => Err(Problem::StreetTooLong),
                    Ok(s) => Ok(s.replace('\n', " ")),
                    Err(p) => Err(p),
                }
                .map_err(|p| problems.push(FieldProblem::new(STREET, p)))
                .ok();
                let rt = rt_rw(field(pairs, RT));
                if rt.is_none() {
                    problems.push(FieldProblem::new(RT, Problem::RtRw));
                }
                let rw = rt_rw(field(pairs, RW));
                if rw.is_none() {
                    problems.push(FieldProblem::new(RW, Problem::RtRw));
                }
                match (street, rt, rw) {
                    (Some(street), Some(rt), Some(rw)) => Ok(AnswerFix::Street { street, rt, rw }),
                    _ => Err(problems),
                }
            }
            Step::Need => {
                use super::apply::Need;
                let name = need_fields::DESCRIPTION;
                match clean_text(field(pairs, name)) {
                    Ok(d) if d.chars().count() < Need::DESCRIPTION_MIN => Err(vec![FieldProblem::new(name, Problem::DescriptionTooShort)]),
                    Ok(d) if d.chars().count() > Need::DESCRIPTION_MAX => Err(vec![FieldProblem::new(name, Problem::DescriptionTooLong)]),
                    Ok(description) => Ok(AnswerFix::Description { description }),
                    Err(p) => Err(vec![FieldProblem::new(name, p)]),
                }
            }
            _ => return None,
        })
    }

    pub const fn step(&self) -> Step {
        match self {
            AnswerFix::Contact { .. } => Step::Person,
            AnswerFix::Street { .. } => Step::Address,
            AnswerFix::Description { .. } => Step::Need,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_documents_named_may_be_replaced() {
        use super::super::program::DocumentKind::{Kk, Ktp, Sktm};
        let holds = [Ktp, Kk, Sktm];
        assert_eq!(replaceable(&[Step::Documents], &[Kk], &holds), [Kk]);
        assert_eq!(replaceable(&[Step::Documents], &[], &holds), holds, "asked before documents were named: all");
        assert_eq!(replaceable(&[Step::Address], &[], &holds), []);
        assert_eq!(replaceable(&[Step::Documents], &[Ktp], &[Kk]), [], "only what the application holds");
    }

    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn only_parts_that_need_no_papers_are_fixed_online() {
        assert!(fixable_online(&[Step::Documents, Step::Address]));
        assert!(!fixable_online(&[Step::Documents, Step::Household]), "a household needs the KK at the counter");
        assert!(!fixable_online(&[Step::Who]));
        assert!(!fixable_online(&[]));
        assert!(AnswerFix::parse(Step::Household, &[]).is_none());
    }

    #[test]
    fn each_fix_is_parsed_like_the_journey() {
        let contact = AnswerFix::parse(Step::Person, &pairs(&[("telepon", "0812-3456-7890"), ("email", "")])).unwrap().unwrap();
        assert!(matches!(contact, AnswerFix::Contact { email: None, .. }));
        let bad = AnswerFix::parse(Step::Person, &pairs(&[("telepon", "12"), ("email", "siti@")])).unwrap().unwrap_err();
        assert_eq!(bad.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["telepon", "email"]);
        let street = AnswerFix::parse(Step::Address, &pairs(&[("jalan", "Jl. Melati No. 4"), ("rt", "5"), ("rw", "12")])).unwrap().unwrap();
        assert_eq!(street, AnswerFix::Street { street: "Jl. Melati No. 4".into(), rt: "005".into(), rw: "012".into() });
        let short = AnswerFix::parse(Step::Need, &pairs(&[("uraian", "bocor")])).unwrap().unwrap_err();
        assert_eq!(short[0].problem, Problem::DescriptionTooShort);
    }
}
