//! What a staff member records with each move of an application (the correction asked for,
//! the home visit, the decision), parsed from the action forms of the review page.
//!
//! [`super::workflow`] says whether a move may happen; this module says what it must carry.
//! Both run before anything is written, and the parsed [`Action`] is what the history keeps.
//!
//! Longer than 500 lines: each move's parser and its unit tests sit together.

use super::apply::{Step, clean_text, field};
use super::date::Date;
use super::program::DocumentKind;
use super::workflow::Move;
use serde::{Deserialize, Serialize};

/// Notes to the resident and findings: long enough for a visit report, short enough to read.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The largest amount a decision may name (Rp 1 billion): a typo guard, not a policy.
pub const MAX_AMOUNT_RUPIAH: u64 = 1_000_000_000;

/// Form field names of the action forms.
pub mod fields {
    pub const MOVE: &str = "langkah";
    pub const NOTE: &str = "catatan";
    pub const ITEMS: &str = "bagian";
    pub const VISIT_DATE: &str = "tanggal_kunjungan";
    pub const FINDINGS: &str = "temuan";
    pub const RECOMMENDATION: &str = "rekomendasi";
    pub const SERVICE: &str = "layanan";
    pub const AMOUNT: &str = "nominal";
    pub const REASON: &str = "alasan";
    pub const REFER_TO: &str = "tujuan_rujukan";
    /// The verifier's "compared, not a duplicate" box on a flagged application.
    pub const NOT_DUPLICATE: &str = "bukan_ganda";
    /// Which documents a correction asks to replace (checkboxes of document kinds).
    pub const DOCUMENTS: &str = "dokumen_diganti";
}

/// Why an application is rejected: a fixed list, so reports can count reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RejectReason {
    NotEligible,
    OutsideArea,
    AlreadyReceiving,
    DataNotMatching,
    CorrectionNotMade,
    /// The same person already applied for the same program (see `NOT_DUPLICATE`).
    Duplicate,
    /// Anything else; the note then says what.
    Other,
}

/// What the field assessor recommends after the visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recommendation {
    Eligible,
    NotEligible,
    Refer,
}

impl RejectReason {
    pub const ALL: &'static [RejectReason] = &[
        RejectReason::NotEligible,
        RejectReason::OutsideArea,
        RejectReason::AlreadyReceiving,
        RejectReason::DataNotMatching,
        RejectReason::CorrectionNotMade,
        RejectReason::Duplicate,
        RejectReason::Other,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            RejectReason::NotEligible => "tidak-memenuhi-kriteria",
            RejectReason::OutsideArea => "di-luar-wilayah",
            RejectReason::AlreadyReceiving => "sudah-menerima",
            RejectReason::DataNotMatching => "data-tidak-sesuai",
            RejectReason::CorrectionNotMade => "tidak-diperbaiki",
            RejectReason::Duplicate => "ganda",
            RejectReason::Other => "lainnya",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.slug() == slug)
    }
}

impl Recommendation {
    pub const ALL: &'static [Recommendation] = &[Recommendation::Eligible, Recommendation::NotEligible, Recommendation::Refer];

    pub const fn slug(self) -> &'static str {
        match self {
            Recommendation::Eligible => "layak",
            Recommendation::NotEligible => "tidak-layak",
            Recommendation::Refer => "rujuk",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.slug() == slug)
    }
}

/// The parts of the application a resident can be asked to fix: the journey's steps
/// (so tracking can send them straight there), never "check your answers".
pub const CORRECTABLE: [Step; 6] = [Step::Who, Step::Person, Step::Address, Step::Household, Step::Need, Step::Documents];

/// A move with everything it carries. Only [`Action::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// `not_duplicate`: the verifier compared a flagged application with the earlier one of
    /// the same person and program and found it is not a duplicate.
    DocumentsOk {
        note: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        not_duplicate: bool,
    },
    /// `documents`: which of the application's documents are to be replaced (only those
    /// may be); empty in corrections asked before documents were named, meaning all.
    RequestCorrection {
        items: Vec<Step>,
        note: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        documents: Vec<DocumentKind>,
    },
    RecordAssessment { visit_date: Date, findings: String, recommendation: Recommendation },
    Approve { service: String, amount_rupiah: Option<u64>, note: Option<String> },
    Reject { reason: RejectReason, note: Option<String> },
    Refer { to: String, note: Option<String> },
    MarkServed { note: Option<String> },
    Withdraw { note: Option<String> },
    /// At the counter: the resident brought what was asked for; the note says what.
    Resubmit { note: String },
}

/// What is wrong with an action form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ActionProblem {
    #[error("unknown move")]
    MoveUnknown,
    #[error("a note is needed")]
    NoteMissing,
    #[error("the note is too long")]
    NoteTooLong,
    #[error("characters that cannot be kept")]
    Characters,
    #[error("choose what to fix")]
    ItemsMissing,
    #[error("the visit date is not a date")]
    VisitDateInvalid,
    #[error("the visit date is in the future")]
    VisitDateInFuture,
    #[error("the visit date is before the application")]
    VisitDateBeforeSubmission,
    #[error("the findings are missing")]
    FindingsMissing,
    #[error("choose a recommendation")]
    RecommendationMissing,
    #[error("name the service")]
    ServiceMissing,
    #[error("the amount is not a whole number of rupiah in range")]
    AmountInvalid,
    #[error("choose a reason")]
    ReasonMissing,
    #[error("say where it is referred")]
    ReferralMissing,
    /// The documents part of a correction without naming which documents.
    #[error("choose the documents to replace")]
    DocumentsMissing,
    /// Documents in order on a possible duplicate without saying it was compared.
    #[error("say whether it is a duplicate")]
    DuplicateUnchecked,
}

/// A problem at one field of the form (the field is also the error summary's anchor).
pub type ActionProblems = Vec<(&'static str, ActionProblem)>;

impl Action {
    /// Parses the form of `m`. `today` and `submitted_on` bound the visit date.
    pub fn parse(m: Move, pairs: &[(String, String)], today: Date, submitted_on: Date) -> Result<Action, ActionProblems> {
        use fields::*;
        let mut problems: ActionProblems = Vec::new();
        let text = |name: &'static str, required: Option<ActionProblem>, problems: &mut ActionProblems| -> Option<String> {
            match clean_text(field(pairs, name)) {
                Err(_) => problems.push((name, ActionProblem::Characters)),
                Ok(t) if t.is_empty() => {
                    if let Some(p) = required {
                        problems.push((name, p));
                    }
                }
                Ok(t) if t.chars().count() > MAX_NOTE_CHARS => problems.push((name, ActionProblem::NoteTooLong)),
                Ok(t) => return Some(t),
            }
            None
        };
        let action = match m {
            Move::DocumentsOk => {
                Action::DocumentsOk { note: text(NOTE, None, &mut problems), not_duplicate: field(pairs, NOT_DUPLICATE) == "ya" }
            }
            Move::RequestCorrection => {
                let mut items: Vec<Step> = pairs
                    .iter()
                    .filter(|(k, _)| k == ITEMS)
                    .filter_map(|(_, v)| Step::from_slug(v).filter(|s| CORRECTABLE.contains(s)))
                    .collect();
                let mut documents: Vec<DocumentKind> =
                    pairs.iter().filter(|(k, _)| k == DOCUMENTS).filter_map(|(_, v)| DocumentKind::from_slug(v)).collect();
                documents.sort_by_key(|d| d.slug());
                documents.dedup();
                // Naming a document is asking for the documents part.
                if !documents.is_empty() {
                    items.push(Step::Documents);
                }
                items.sort();
                items.dedup();
                if items.is_empty() {
                    problems.push((ITEMS, ActionProblem::ItemsMissing));
                } else if items.contains(&Step::Documents) && documents.is_empty() {
                    problems.push((DOCUMENTS, ActionProblem::DocumentsMissing));
                }
                let note = text(NOTE, Some(ActionProblem::NoteMissing), &mut problems);
                Action::RequestCorrection { items, note: note.unwrap_or_default(), documents }
            }
            Move::RecordAssessment => {
                let visit_date = match Date::parse_iso(field(pairs, VISIT_DATE).trim()) {
                    Err(_) => {
                        problems.push((VISIT_DATE, ActionProblem::VisitDateInvalid));
                        None
                    }
                    Ok(d) if d > today => {
                        problems.push((VISIT_DATE, ActionProblem::VisitDateInFuture));
                        None
                    }
                    Ok(d) if d < submitted_on => {
                        problems.push((VISIT_DATE, ActionProblem::VisitDateBeforeSubmission));
                        None
                    }
                    Ok(d) => Some(d),
                };
                let findings = text(FINDINGS, Some(ActionProblem::FindingsMissing), &mut problems);
                let recommendation = Recommendation::from_slug(field(pairs, RECOMMENDATION));
                if recommendation.is_none() {
                    problems.push((RECOMMENDATION, ActionProblem::RecommendationMissing));
                }
                match (visit_date, findings, recommendation) {
                    (Some(visit_date), Some(findings), Some(recommendation)) => {
                        Action::RecordAssessment { visit_date, findings, recommendation }
                    }
                    _ => return Err(problems),
                }
            }
            Move::Approve => {
                let service = text(SERVICE, Some(ActionProblem::ServiceMissing), &mut problems);
                let amount = match parse_rupiah(field(pairs, AMOUNT)) {
                    Ok(a) => a,
                    Err(p) => {
                        problems.push((AMOUNT, p));
                        None
                    }
                };
                let note = text(NOTE, None, &mut problems);
                Action::Approve { service: service.unwrap_or_default(), amount_rupiah: amount, note }
            }
            Move::Reject => {
                let reason = RejectReason::from_slug(field(pairs, REASON));
                if reason.is_none() {
                    problems.push((REASON, ActionProblem::ReasonMissing));
                }
                // "Other" says nothing by itself: its note is the reason.
                let note_needed = (reason == Some(RejectReason::Other)).then_some(ActionProblem::NoteMissing);
                let note = text(NOTE, note_needed, &mut problems);
                Action::Reject { reason: reason.unwrap_or(RejectReason::Other), note }
            }
            Move::Refer => {
                let to = text(REFER_TO, Some(ActionProblem::ReferralMissing), &mut problems);
                let note = text(NOTE, None, &mut problems);
                Action::Refer { to: to.unwrap_or_default(), note }
            }
            Move::MarkServed => Action::MarkServed { note: text(NOTE, None, &mut problems) },
            Move::Withdraw => Action::Withdraw { note: text(NOTE, None, &mut problems) },
            Move::Resubmit => Action::Resubmit { note: text(NOTE, Some(ActionProblem::NoteMissing), &mut problems).unwrap_or_default() },
        };
        if problems.is_empty() { Ok(action) } else { Err(problems) }
    }

    pub const fn kind(&self) -> Move {
        match self {
            Action::DocumentsOk { .. } => Move::DocumentsOk,
            Action::RequestCorrection { .. } => Move::RequestCorrection,
            Action::RecordAssessment { .. } => Move::RecordAssessment,
            Action::Approve { .. } => Move::Approve,
            Action::Reject { .. } => Move::Reject,
            Action::Refer { .. } => Move::Refer,
            Action::MarkServed { .. } => Move::MarkServed,
            Action::Withdraw { .. } => Move::Withdraw,
            Action::Resubmit { .. } => Move::Resubmit,
        }
    }

    /// The free-text note written to the history line (the findings, for a visit).
    pub fn note(&self) -> Option<&str> {
        match self {
            Action::RequestCorrection { note, .. } | Action::Resubmit { note } => Some(note),
            Action::RecordAssessment { findings, .. } => Some(findings),
            Action::DocumentsOk { note, .. }
            | Action::Approve { note, .. }
            | Action::Reject { note, .. }
            | Action::Refer { note, .. }
            | Action::MarkServed { note }
            | Action::Withdraw { note } => note.as_deref(),
        }
    }
}

/// `2.500.000`, `2500000`, `Rp 2.500.000` → 2 500 000; empty → none. Rupiah have no
/// subunit in practice, so a decimal comma is refused rather than guessed at.
pub fn parse_rupiah(input: &str) -> Result<Option<u64>, ActionProblem> {
    let text = input.trim();
    let text = text.strip_prefix("Rp").or_else(|| text.strip_prefix("rp")).unwrap_or(text).trim().trim_start_matches('.');
    if text.is_empty() {
        return Ok(None);
    }
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b' ') {
        return Err(ActionProblem::AmountInvalid);
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<u64>() {
        Ok(n) if n > 0 && n <= MAX_AMOUNT_RUPIAH => Ok(Some(n)),
        _ => Err(ActionProblem::AmountInvalid),
    }
}

/// `2500000` → `Rp2.500.000`, as Indonesians write it.
pub fn format_rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::from("Rp");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Why a staff move was not made: the form (what it carries), or the move itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveProblem {
    Form(ActionProblem),
    /// Not a move from the current status (someone moved it first, or a stale page).
    NotFromHere,
    NotForRole,
    ClaimedByOther,
}

/// A move as sent — by the review page's form or by another client as JSON: the move's
/// slug and what it carries, each under its form field's name, as typed. [`Action::parse`]
/// judges it; nothing here is trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub langkah: String,
    pub catatan: Option<String>,
    pub bagian: Vec<String>,
    pub dokumen_diganti: Vec<String>,
    pub tanggal_kunjungan: Option<String>,
    pub temuan: Option<String>,
    pub rekomendasi: Option<String>,
    pub layanan: Option<String>,
    pub nominal: Option<String>,
    pub alasan: Option<String>,
    pub tujuan_rujukan: Option<String>,
    pub bukan_ganda: Option<String>,
}

impl MoveForm {
    /// From a posted form's fields (repeated names for the checkboxes).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        use fields::*;
        let one = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let all = |name: &str| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect();
        MoveForm {
            langkah: field(pairs, MOVE).to_string(),
            catatan: one(NOTE),
            bagian: all(ITEMS),
            dokumen_diganti: all(DOCUMENTS),
            tanggal_kunjungan: one(VISIT_DATE),
            temuan: one(FINDINGS),
            rekomendasi: one(RECOMMENDATION),
            layanan: one(SERVICE),
            nominal: one(AMOUNT),
            alasan: one(REASON),
            tujuan_rujukan: one(REFER_TO),
            bukan_ganda: one(NOT_DUPLICATE),
        }
    }

    /// The fields again, as a form would post them (what [`Action::parse`] reads, and what a
    /// refused form is shown again with).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        use fields::*;
        let mut pairs = vec![(MOVE.to_string(), self.langkah.clone())];
        let singles = [
            (NOTE, &self.catatan),
            (VISIT_DATE, &self.tanggal_kunjungan),
            (FINDINGS, &self.temuan),
            (RECOMMENDATION, &self.rekomendasi),
            (SERVICE, &self.layanan),
            (AMOUNT, &self.nominal),
            (REASON, &self.alasan),
            (REFER_TO, &self.tujuan_rujukan),
            (NOT_DUPLICATE, &self.bukan_ganda),
        ];
        pairs.extend(singles.into_iter().filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone()))));
        pairs.extend(self.bagian.iter().map(|v| (ITEMS.to_string(), v.clone())));
        pairs.extend(self.dokumen_diganti.iter().map(|v| (DOCUMENTS.to_string(), v.clone())));
        pairs
    }

    pub fn chosen(&self) -> Option<Move> {
        Move::from_slug(&self.langkah)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_move_form_reads_back_the_fields_it_was_made_from() {
        let posted = pairs(&[("langkah", "minta-perbaikan"), ("bagian", "dokumen"), ("dokumen_diganti", "kk"), ("dokumen_diganti", "ktp"), ("catatan", "Foto buram")]);
        let form = MoveForm::from_pairs(&posted);
        assert_eq!(form.chosen(), Some(Move::RequestCorrection));
        assert_eq!(form.dokumen_diganti, ["kk", "ktp"]);
        let again = form.to_pairs();
        let today = Date::new(2026, 12, 1).unwrap();
        assert_eq!(Action::parse(Move::RequestCorrection, &again, today, today), Action::parse(Move::RequestCorrection, &posted, today, today));
    }

    fn day(d: u8) -> Date {
        Date::new(2026, 11, d).unwrap()
    }

    fn problems(result: Result<Action, ActionProblems>) -> Vec<ActionProblem> {
        result.unwrap_err().into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn a_correction_names_the_parts_to_fix_and_says_why() {
        let form = pairs(&[("bagian", "dokumen"), ("bagian", "alamat"), ("bagian", "dokumen"), ("dokumen_diganti", "kk"), ("catatan", " Foto KK buram ")]);
        let action = Action::parse(Move::RequestCorrection, &form, day(23), day(20)).unwrap();
        let documents = vec![DocumentKind::Kk];
        assert_eq!(action, Action::RequestCorrection { items: vec![Step::Address, Step::Documents], note: "Foto KK buram".into(), documents });
        // Documents without saying which: refused; naming one is enough.
        let unnamed = pairs(&[("bagian", "dokumen"), ("catatan", "Foto buram")]);
        assert_eq!(problems(Action::parse(Move::RequestCorrection, &unnamed, day(23), day(20))), [ActionProblem::DocumentsMissing]);
        let named = pairs(&[("dokumen_diganti", "ktp"), ("dokumen_diganti", "bukan-dokumen"), ("catatan", "Foto buram")]);
        let action = Action::parse(Move::RequestCorrection, &named, day(23), day(20)).unwrap();
        assert_eq!(action, Action::RequestCorrection { items: vec![Step::Documents], note: "Foto buram".into(), documents: vec![DocumentKind::Ktp] });
        assert_eq!(problems(Action::parse(Move::RequestCorrection, &pairs(&[("bagian", "periksa")]), day(23), day(20))), [
            ActionProblem::ItemsMissing,
            ActionProblem::NoteMissing
        ]);
    }

    #[test]
    fn a_visit_is_dated_between_submission_and_today() {
        let visit = |date: &str| {
            let form = pairs(&[("tanggal_kunjungan", date), ("temuan", "Rumah berdinding bambu"), ("rekomendasi", "layak")]);
            Action::parse(Move::RecordAssessment, &form, day(23), day(20))
        };
        assert!(matches!(visit("2026-11-21"), Ok(Action::RecordAssessment { recommendation: Recommendation::Eligible, .. })));
        assert_eq!(problems(visit("2026-11-24")), [ActionProblem::VisitDateInFuture]);
        assert_eq!(problems(visit("2026-11-19")), [ActionProblem::VisitDateBeforeSubmission]);
        assert_eq!(problems(visit("21/11/2026")), [ActionProblem::VisitDateInvalid]);
        assert_eq!(problems(Action::parse(Move::RecordAssessment, &[], day(23), day(20))), [
            ActionProblem::VisitDateInvalid,
            ActionProblem::FindingsMissing,
            ActionProblem::RecommendationMissing
        ]);
    }

    #[test]
    fn a_decision_carries_what_it_decides() {
        let approve = Action::parse(Move::Approve, &pairs(&[("layanan", "Bedah rumah"), ("nominal", "Rp 20.000.000")]), day(23), day(20));
        assert_eq!(approve.unwrap(), Action::Approve { service: "Bedah rumah".into(), amount_rupiah: Some(20_000_000), note: None });
        assert_eq!(problems(Action::parse(Move::Approve, &pairs(&[("nominal", "2,5 juta")]), day(23), day(20))), [
            ActionProblem::ServiceMissing,
            ActionProblem::AmountInvalid
        ]);
        assert_eq!(problems(Action::parse(Move::Reject, &pairs(&[("alasan", "lainnya")]), day(23), day(20))), [ActionProblem::NoteMissing]);
        assert_eq!(problems(Action::parse(Move::Reject, &pairs(&[("alasan", "bosan")]), day(23), day(20))), [ActionProblem::ReasonMissing]);
        let reject = Action::parse(Move::Reject, &pairs(&[("alasan", "sudah-menerima")]), day(23), day(20)).unwrap();
        assert_eq!(reject, Action::Reject { reason: RejectReason::AlreadyReceiving, note: None });
        assert_eq!(problems(Action::parse(Move::Refer, &[], day(23), day(20))), [ActionProblem::ReferralMissing]);
        assert_eq!(problems(Action::parse(Move::Resubmit, &[], day(23), day(20))), [ActionProblem::NoteMissing]);
    }

    #[test]
    fn notes_are_bounded_and_plain() {
        let long = "a".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(problems(Action::parse(Move::DocumentsOk, &pairs(&[("catatan", &long)]), day(23), day(20))), [ActionProblem::NoteTooLong]);
        assert_eq!(problems(Action::parse(Move::MarkServed, &pairs(&[("catatan", "ok\u{0}")]), day(23), day(20))), [ActionProblem::Characters]);
        assert_eq!(Action::parse(Move::Withdraw, &[], day(23), day(20)).unwrap().note(), None);
    }

    #[test]
    fn rupiah_read_and_write_the_indonesian_way() {
        assert_eq!(parse_rupiah(""), Ok(None));
        assert_eq!(parse_rupiah("2.500.000"), Ok(Some(2_500_000)));
        assert_eq!(parse_rupiah("Rp300000"), Ok(Some(300_000)));
        for bad in ["-5", "0", "1e6", "2,5", "99999999999"] {
            assert_eq!(parse_rupiah(bad), Err(ActionProblem::AmountInvalid), "{bad}");
        }
        assert_eq!(format_rupiah(2_500_000), "Rp2.500.000");
        assert_eq!(format_rupiah(300), "Rp300");
        assert_eq!(format_rupiah(1_000), "Rp1.000");
    }

    #[test]
    fn every_reason_and_recommendation_round_trips() {
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::from_slug(r.slug()), Some(*r));
        }
        for r in Recommendation::ALL {
            assert_eq!(Recommendation::from_slug(r.slug()), Some(*r));
        }
    }
}
