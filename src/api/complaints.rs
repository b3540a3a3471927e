//! What the complaint pages show: the public form (`/pengaduan`), its receipt, a complaint
//! followed from tracking, the list behind an email sign-in link, and the staff's list and
//! case page. All loaded on the server while the page renders (no endpoint of their own).

use crate::domain::complaint::{ComplaintKind, ComplaintProblem, ComplaintStatus, ComplaintTab};
use crate::domain::workflow::{Role, Status};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The public form: the service points to choose from, and the form's one-time key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFormData {
    /// (id, name, district)
    pub service_points: Vec<(i64, String, String)>,
    pub key: String,
}

/// A complaint or dispute form that was not accepted: what was typed and what is wrong.
#[derive(Clone, Debug)]
pub struct ComplaintRefused {
    pub values: Vec<(String, String)>,
    pub problems: Vec<(String, ComplaintProblem)>,
    /// A problem with the photo, in the journey's words.
    pub photo: Option<crate::domain::apply::Problem>,
}

/// The receipt after sending: the number and PIN (for an hour, in this browser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptOutcome {
    Shown { number: String, pin: String, kind: ComplaintKind, due: String },
    Gone,
}

/// One line of a complaint's life as the resident reads it: staff by role, never by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintLineView {
    pub at: String,
    pub status: ComplaintStatus,
    /// `None`: the resident.
    pub by: Option<Option<Role>>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedComplaint {
    pub number: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub received_on: String,
    pub due: String,
    /// The application it is about (its number), if any.
    pub application: Option<String>,
    pub service_point: Option<String>,
    pub message: String,
    /// Oldest first.
    pub lines: Vec<ComplaintLineView>,
    /// Opened from an email sign-in list (offer the way back to it).
    pub from_list: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintTrackingOutcome {
    NotOpen,
    Found(Box<TrackedComplaint>),
}

/// A dispute shown on its application's tracking page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeView {
    pub number: String,
    pub status: ComplaintStatus,
    pub due: String,
    pub lines: Vec<ComplaintLineView>,
}

/// What an email sign-in link opens: every application and complaint of that address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailList {
    pub applications: Vec<ListedApplication>,
    pub complaints: Vec<ListedComplaint>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedApplication {
    pub id: i64,
    pub number: String,
    pub status: Status,
    pub program: String,
    pub submitted_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedComplaint {
    pub id: i64,
    pub number: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub received_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailListOutcome {
    /// No email session in this browser.
    NotOpen,
    Found(EmailList),
}

/// The answer to asking for a sign-in link (the same whether or not the address is known).
#[derive(Clone, Debug)]
pub struct LinkAsked {
    pub email: String,
    pub problem: Option<ComplaintProblem>,
    pub throttled: bool,
}

/// Where asking for a code by SMS stands, for the page rendered in answer to a post.
#[derive(Clone, Debug)]
pub struct CodeAsked {
    pub phone: String,
    pub stage: CodeStage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeStage {
    /// Not a mobile number.
    PhoneInvalid,
    /// Too many requests or tries for this phone or from this address.
    Throttled,
    /// Asked (known or not): type the code.
    Sent,
    /// A code that is wrong, used or expired.
    CodeWrong,
}

// ---- staff ----

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintListItem {
    pub id: i64,
    pub number: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    /// "Permohonan K7QM-…" / a service point's name / nothing (the office).
    pub application: Option<String>,
    pub service_point: Option<String>,
    pub received_on: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintListOutcome {
    SignedOut,
    /// The staff member's roles answer no complaints.
    NotForYou,
    Found { tab: ComplaintTab, items: Vec<ComplaintListItem> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffComplaintLine {
    pub at: String,
    pub status: ComplaintStatus,
    /// `None`: the sender. Otherwise the staff member's name and role.
    pub by: Option<(String, Option<Role>)>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintCase {
    pub id: i64,
    pub number: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    /// The application's id (when the caller may open it) and number.
    pub application: Option<(Option<i64>, String)>,
    /// The number the resident named matches no application (the complaint was kept as a
    /// general one, so the form never tells whether a number exists).
    pub number_unknown: bool,
    pub service_point: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub received_on: String,
    pub due: String,
    pub overdue: bool,
    /// (file id, is an image, size)
    pub files: Vec<(String, bool, String)>,
    pub lines: Vec<StaffComplaintLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintCaseOutcome {
    SignedOut,
    /// Not the caller's kind or area, or no such complaint (one answer for all).
    NotYours,
    Found(Box<ComplaintCase>),
}

pub use crate::domain::complaint::ReplyProblem;

#[cfg(feature = "ssr")]
async fn headers() -> Result<axum::http::HeaderMap, AppError> {
    leptos_axum::extract().await.map_err(AppError::Transport)
}

crate::api::loader! {
    pub async fn complaint_form() -> Result<ComplaintFormData, AppError> {
        let state = crate::server::state::app_state()?;
        crate::server::complaints::form_data(&state).await
    }
}

crate::api::loader! {
    pub async fn complaint_receipt() -> Result<ReceiptOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        crate::server::complaints::receipt(&state, &headers().await?).await
    }
}

crate::api::loader! {
    pub async fn tracked_complaint() -> Result<ComplaintTrackingOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        crate::server::complaints::tracked(&state, &headers().await?).await
    }
}

crate::api::loader! {
    pub async fn email_list() -> Result<EmailListOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        let lang = crate::i18n::detect_lang();
        crate::server::sign_in_links::email_list(&state, &headers().await?, lang).await
    }
}

crate::api::loader! {
    pub async fn complaint_list(tab: ComplaintTab) -> Result<ComplaintListOutcome, AppError> {
        let Some(me) = crate::api::staff::signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(ComplaintListOutcome::SignedOut);
        };
        let state = crate::server::state::app_state()?;
        crate::server::complaints::list(&state, &me, tab).await
    }
}

crate::api::loader! {
    pub async fn complaint_case(id: i64) -> Result<ComplaintCaseOutcome, AppError> {
        let Some(me) = crate::api::staff::signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(ComplaintCaseOutcome::SignedOut);
        };
        let state = crate::server::state::app_state()?;
        crate::server::complaints::case(&state, &me, id).await
    }
}
