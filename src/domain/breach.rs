//! A notice to residents whose data a breach may have touched (UU 27/2022 art. 46: tell the
//! people affected within 3 × 24 hours): which applications it goes to, and the office's
//! words. Checked here for the administrator's form and again by the server.

use super::Date;
use super::admin::AdminProblem;
use super::apply::{clean_text, field};
use serde::{Deserialize, Serialize};

pub mod fields {
    pub const AREA: &str = "wilayah";
    pub const FROM: &str = "dari";
    pub const TO: &str = "sampai";
    pub const SERVICE_POINT: &str = "loket";
    pub const MESSAGE: &str = "pesan";
}

/// The notice's text: long enough to say what happened, short enough for a few SMS parts.
pub const MESSAGE_CHARS: std::ops::RangeInclusive<usize> = 40..=600;

/// Which applications a notice goes to: all of these that are given (none given: every
/// application whose data is still held).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// A regency (4 digits) or district (6 digits) code of the office: applications there.
    pub area: Option<String>,
    /// Received on or after / on or before these office days.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Registered at this service point.
    pub service_point: Option<i64>,
}

/// A notice as an administrator prepared it, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachDraft {
    pub selection: Selection,
    pub message: String,
}

impl BreachDraft {
    /// `areas` and `service_points`: the codes and ids an administrator may choose from.
    pub fn parse(pairs: &[(String, String)], areas: &[String], service_points: &[i64]) -> Result<BreachDraft, Vec<(&'static str, AdminProblem)>> {
        use fields::*;
        let mut problems = Vec::new();
        let area = field(pairs, AREA).trim();
        let area = if area.is_empty() {
            None
        } else if areas.iter().any(|a| a == area) {
            Some(area.to_string())
        } else {
            problems.push((AREA, AdminProblem::AreaInvalid));
            None
        };
        let mut date = |name: &'static str| {
            let text = field(pairs, name).trim();
            if text.is_empty() {
                return None;
            }
            Date::parse_iso(text).map_err(|_| problems.push((name, AdminProblem::DateInvalid))).ok()
        };
        let (from, to) = (date(FROM), date(TO));
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                problems.push((TO, AdminProblem::DateRangeReversed));
            }
        }
        let point = field(pairs, SERVICE_POINT).trim();
        let service_point = match point {
            "" => None,
            _ => match point.parse::<i64>() {
                Ok(id) if service_points.contains(&id) => Some(id),
                _ => {
                    problems.push((SERVICE_POINT, AdminProblem::ServicePointInvalid));
                    None
                }
            },
        };
        let message = match clean_text(field(pairs, MESSAGE)) {
            Err(_) => {
                problems.push((MESSAGE, AdminProblem::Characters));
                String::new()
            }
            Ok(m) if m.chars().count() < *MESSAGE_CHARS.start() => {
                problems.push((MESSAGE, AdminProblem::NoticeMissing));
                m
            }
            Ok(m) if m.chars().count() > *MESSAGE_CHARS.end() => {
                problems.push((MESSAGE, AdminProblem::NoticeTooLong));
                m
            }
            Ok(m) => m,
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(BreachDraft { selection: Selection { area, from, to, service_point }, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const TEXT: &str = "Pada 28 November 2026 laptop petugas yang berisi data permohonan hilang. Kami sudah melapor ke polisi.";

    #[test]
    fn a_notice_narrowed_by_area_dates_and_service_point() {
        let draft = BreachDraft::parse(
            &pairs(&[("wilayah", "327601"), ("dari", "2026-11-01"), ("sampai", "2026-11-30"), ("loket", "3"), ("pesan", TEXT)]),
            &["3276".into(), "327601".into()],
            &[3],
        )
        .unwrap();
        assert_eq!(draft.selection.area.as_deref(), Some("327601"));
        assert_eq!(draft.selection.service_point, Some(3));
        assert_eq!(draft.message, TEXT);
        assert_eq!(BreachDraft::parse(&pairs(&[("pesan", TEXT)]), &[], &[]).unwrap().selection, Selection::default(), "every application");
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let problems = BreachDraft::parse(
            &pairs(&[("wilayah", "3171"), ("dari", "2026-11-30"), ("sampai", "2026-11-01"), ("loket", "9"), ("pesan", "Bocor")]),
            &["3276".into()],
            &[3],
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                ("wilayah", AdminProblem::AreaInvalid),
                ("sampai", AdminProblem::DateRangeReversed),
                ("loket", AdminProblem::ServicePointInvalid),
                ("pesan", AdminProblem::NoticeMissing),
            ]
        );
        let long = "a".repeat(601);
        assert_eq!(BreachDraft::parse(&pairs(&[("pesan", &long)]), &[], &[]).unwrap_err(), [("pesan", AdminProblem::NoticeTooLong)]);
        assert_eq!(BreachDraft::parse(&pairs(&[("dari", "kemarin"), ("pesan", TEXT)]), &[], &[]).unwrap_err(), [("dari", AdminProblem::DateInvalid)]);
    }
}
