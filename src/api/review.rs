//! The review page of one application (`/petugas/permohonan/{id}`): the only place staff see
//! a full NIK and KK, so every opening is written to the access log before anything is sent.

use crate::domain::DocumentKind;
use crate::domain::apply::{FamilyRole, Who};
use crate::domain::decision::Action;
use crate::domain::workflow::{Move, Role, Status};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewOutcome {
    SignedOut,
    /// Not in the caller's areas or roles, or no such application (the same answer, so ids
    /// cannot be probed).
    NotYours,
    Found(Box<ReviewData>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewData {
    pub id: i64,
    pub number: String,
    pub status: Status,
    /// Submitted online, or registered at a service point (by whom, where).
    pub walk_in: Option<WalkIn>,
    pub program: String,
    pub category: String,
    pub nik: String,
    pub kk: String,
    /// What does not agree between the numbers, the person and the address.
    pub identity_notes: Vec<crate::domain::identity::IdentityNote>,
    pub name: String,
    pub birth_date: String,
    pub sex: String,
    pub phone: String,
    /// Whether the last text message reached that phone, and whether it asked for none.
    pub sms: SmsNote,
    pub email: Option<String>,
    /// Street, RT/RW, village, district, regency, province.
    pub address: Vec<String>,
    pub description: String,
    pub applicant: Option<Who>,
    pub household: Vec<HouseholdMember>,
    pub submitted_on: String,
    pub decision_due: String,
    pub overdue: bool,
    pub documents: Vec<CaseDocument>,
    pub history: Vec<HistoryLine>,
    pub related: Vec<RelatedApplication>,
    /// The earlier open application of the same person and program (its number), until a
    /// verifier records that this one is not a duplicate.
    pub duplicate_of: Option<String>,
    /// Applications of this NIK or KK outside the caller's areas: counted, not shown.
    pub related_elsewhere: usize,
    pub claimed_by: Option<String>,
    /// The day its personal data was erased at the end of retention, if it was.
    pub erased_on: Option<String>,
    /// The letters its decision made, to print.
    pub letters: Vec<crate::domain::letter::LetterKind>,
    pub mine: bool,
    /// What the caller may do from here, given their roles.
    pub moves: Vec<Move>,
    /// Bounds of the visit date field.
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkIn {
    pub officer: Option<String>,
    pub service_point: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub nik: String,
    pub name: String,
    pub role: Option<FamilyRole>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDocument {
    /// The upload's random id: the document's address is `/petugas/berkas/{id}`.
    pub id: String,
    pub kind: Option<DocumentKind>,
    pub is_image: bool,
    pub size: String,
    /// The original, replaced by the resident on this day (kept until the decision).
    pub replaced_on: Option<String>,
    /// Sent by the resident in answer to a correction.
    pub replacement: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// Office-local date and time, `2026-11-23 14:05`.
    pub at: String,
    pub from: Option<Status>,
    pub to: Status,
    pub by: Actor,
    pub action: Option<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Online,
    ServicePoint,
    Staff { name: String, role: Option<Role> },
    Resident,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedApplication {
    pub id: i64,
    pub number: String,
    pub same_person: bool,
    /// The application this one was flagged as a possible duplicate of.
    pub possible_duplicate: bool,
    pub name: String,
    pub masked_nik: String,
    pub program: String,
    pub status: Status,
    pub submitted_on: String,
}

crate::api::loader! {
    pub async fn review_page(id: i64) -> Result<ReviewOutcome, AppError> {
        let Some(me) = crate::api::staff::signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(ReviewOutcome::SignedOut);
        };
        let state = crate::server::state::app_state()?;
        let lang = crate::i18n::detect_lang();
        crate::server::casework::review(&state, &me, id, lang).await
    }
}

/// What staff see of the text messages to an application's phone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsNote {
    /// The office-local time the phone sent `BERHENTI`, while it holds.
    pub stopped_since: Option<String>,
    /// The latest message: how far it got, and when (office-local).
    pub last: Option<(SmsDelivery, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsDelivery {
    Waiting,
    Sent,
    Delivered,
    Failed,
}
