//! What is left of an application when its retention period ends: the personal data law
//! (UU 27/2022) has it destroyed then, and the office's reports still need what it was (which
//! program, where, when, how it ended). One rule for the daily erasure job and its tests.

use super::Date;
use super::decision::Action;

/// Years an application is kept after it is closed, unless `LAYAN_RETENTION_YEARS` says
/// otherwise. Five: a claim against state finances lapses after five years (UU 1/2004
/// Perbendaharaan Negara, art. 65), so an audit of aid paid (BPK, the inspectorate) can ask
/// for the file that long; the office's own retention schedule (JRA) may set more.
pub const DEFAULT_YEARS: u32 = 5;

/// The longest retention an office may set: beyond it the setting is a mistake, not a rule.
pub const MAX_YEARS: u32 = 30;

/// Applications closed before this day are erased on `today` (a day on the cut-off is kept
/// one more day). The 29th of February falls back to the 28th.
pub fn cutoff(today: Date, years: u32) -> Date {
    let year = today.year() - years as i32;
    Date::new(year, today.month(), today.day())
        .or_else(|_| Date::new(year, today.month(), today.day() - 1))
        .unwrap_or(today)
}

/// The birth date kept in place of the real one: the day of receipt, as many years earlier as
/// the person was old then. The age group the reports count stays exactly what it was
/// (`CaseFacts::age_on`), and nothing more of the birth date is left.
pub fn kept_birth_date(born: Date, received_on: Date) -> Date {
    let age = born.years_until(received_on).max(0);
    cutoff(received_on, age as u32)
}

/// A move's record with what staff wrote about the person removed (notes, visit findings):
/// the kind of move, the visit's date, the reason code, the aid and where it was referred
/// stay, so the history keeps its shape.
pub fn erased_action(action: &Action) -> Action {
    let gone = |note: &Option<String>| note.as_ref().map(|_| String::new());
    match action {
        Action::DocumentsOk { note, not_duplicate } => Action::DocumentsOk { note: gone(note), not_duplicate: *not_duplicate },
        Action::RequestCorrection { items, documents, .. } => {
            Action::RequestCorrection { items: items.clone(), note: String::new(), documents: documents.clone() }
        }
        Action::RecordAssessment { visit_date, recommendation, .. } => {
            Action::RecordAssessment { visit_date: *visit_date, findings: String::new(), recommendation: *recommendation }
        }
        Action::Approve { service, amount_rupiah, note } => {
            Action::Approve { service: service.clone(), amount_rupiah: *amount_rupiah, note: gone(note) }
        }
        Action::Reject { reason, note } => Action::Reject { reason: *reason, note: gone(note) },
        Action::Refer { to, note } => Action::Refer { to: to.clone(), note: gone(note) },
        Action::MarkServed { note } => Action::MarkServed { note: gone(note) },
        Action::Withdraw { note } => Action::Withdraw { note: gone(note) },
        Action::Resubmit { .. } => Action::Resubmit { note: String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::decision::{Recommendation, RejectReason};
    use crate::domain::report::CaseFacts;

    fn day(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn the_cutoff_is_the_same_day_so_many_years_before() {
        assert_eq!(cutoff(day("2026-12-01"), 5), day("2021-12-01"));
        assert_eq!(cutoff(day("2028-02-29"), 1), day("2027-02-28"));
        assert_eq!(cutoff(day("2028-02-29"), 4), day("2024-02-29"));
    }

    #[test]
    fn the_kept_birth_date_keeps_the_age_at_receipt_and_nothing_else() {
        for (born, received) in [
            ("1987-05-15", "2026-11-20"),
            ("1987-11-21", "2026-11-20"),
            ("1987-11-20", "2026-11-20"),
            ("1960-02-29", "2025-03-01"),
            ("2000-03-01", "2024-02-29"),
            ("2026-11-20", "2026-11-20"),
        ] {
            let (born, received) = (day(born), day(received));
            let kept = kept_birth_date(born, received);
            assert_eq!(kept.years_until(received), born.years_until(received), "{born} on {received}");
            assert_eq!(CaseFacts::age_on(kept, received), CaseFacts::age_on(born, received));
            assert_eq!(kept.month(), received.month(), "the day of receipt, not of birth");
        }
    }

    #[test]
    fn an_erased_action_keeps_its_shape_without_the_words_about_the_person() {
        let visit = Action::RecordAssessment {
            visit_date: day("2026-11-25"),
            findings: "Ibu tinggal sendiri, lumpuh sejak stroke".into(),
            recommendation: Recommendation::Eligible,
        };
        assert_eq!(
            erased_action(&visit),
            Action::RecordAssessment { visit_date: day("2026-11-25"), findings: String::new(), recommendation: Recommendation::Eligible }
        );
        let reject = Action::Reject { reason: RejectReason::ALL[0], note: Some("Anaknya bekerja di luar negeri".into()) };
        assert_eq!(erased_action(&reject), Action::Reject { reason: RejectReason::ALL[0], note: Some(String::new()) });
        let served = Action::MarkServed { note: None };
        assert_eq!(erased_action(&served), served, "nothing written, nothing to remove");
        let approve = Action::Approve { service: "Bedah rumah".into(), amount_rupiah: Some(20_000_000), note: Some("Sudah cek".into()) };
        assert!(matches!(erased_action(&approve), Action::Approve { amount_rupiah: Some(20_000_000), .. }));
    }
}
