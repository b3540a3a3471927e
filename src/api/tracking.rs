//! What tracking (`/lacak`) shows a resident: their one application, found through the short
//! session a correct number and PIN opened (never through anything in the URL but the
//! number itself, which names no one).

use crate::domain::apply::Step;
use crate::domain::decision::Action;
use crate::domain::workflow::{Role, Status};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackingOutcome {
    /// No live tracking session in this browser: ask for the number and PIN.
    NotOpen,
    Found(Box<TrackingData>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingData {
    pub number: String,
    pub status: Status,
    pub program: String,
    pub submitted_on: String,
    pub decision_due: String,
    /// Oldest first.
    pub lines: Vec<TrackingLine>,
    /// When a correction is asked for: which parts, and the office's note.
    pub correction: Option<(Vec<Step>, String)>,
    /// When documents are to be replaced: each document and whether it was since.
    pub documents_to_replace: Vec<(crate::domain::DocumentKind, bool)>,
    /// When answers are to be fixed: each part asked for, whether it was fixed since, and
    /// its current answers (field, value) to start from.
    pub answers_to_fix: Vec<(Step, bool, Vec<(String, String)>)>,
    /// Whether the whole correction can be done here (see `domain::correction`); otherwise
    /// at a service point.
    pub fixable_here: bool,
    pub can_withdraw: bool,
    /// The dispute of the decision (the open one, or the latest).
    pub dispute: Option<crate::api::complaints::DisputeView>,
    /// The last day the decision may still be disputed, when it may.
    pub dispute_until: Option<String>,
    /// Opened from an email sign-in list (offer the way back to it).
    pub from_list: bool,
    /// Who is looking (`domain::disclosure`): what this data holds was cut to it already.
    pub viewer: crate::domain::disclosure::Viewer,
    /// Made by someone else for the person: their name, for the person's choice to share.
    pub applied_by: Option<String>,
    /// Whether the person lets them see the details.
    pub shared_with_applicant: bool,
    /// Since when the person's data is restricted (consent withdrawn after the decision).
    pub restricted_since: Option<String>,
    /// The person withdrew their consent already (nothing more to withdraw).
    pub consent_withdrawn: bool,
    /// The decision's letters, for a viewer who sees the details.
    pub letters: Vec<crate::domain::letter::LetterKind>,
}

/// "Data saya": everything Layan holds on one application, for the person it is about —
/// shown as a page and downloaded as JSON (this structure, as it is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyData {
    pub number: String,
    pub program: String,
    pub category: String,
    pub status: Status,
    /// Office-local date and time.
    pub submitted_at: String,
    pub decision_due: String,
    pub person: MyPerson,
    pub address: MyAddress,
    pub description: String,
    /// Who applied for the person, if someone else did.
    pub applied_by: Option<MyApplicant>,
    pub household: Vec<MyHouseholdMember>,
    pub documents: Vec<MyDocument>,
    pub history: Vec<MyHistoryLine>,
    /// Every time staff opened the application or one of its documents.
    pub staff_views: Vec<MyStaffView>,
    /// Breach notices sent about this application's data: when (office-local), and the words.
    pub breach_notices: Vec<(String, String)>,
    /// Whether the one who applied for the person may see the details.
    pub shared_with_applicant: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPerson {
    pub name: String,
    pub nik: String,
    pub kk: String,
    pub birth_date: String,
    /// `L` or `P`.
    pub sex: String,
    pub phone: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAddress {
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub village_code: String,
    /// Village, district, regency, province.
    pub region: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplicant {
    pub name: String,
    pub relation: String,
    pub phone: String,
    /// `setuju`: the person agreed; `tidak-dapat`: they could not be asked (and why).
    pub consent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyHouseholdMember {
    pub name: String,
    pub nik: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDocument {
    pub id: String,
    pub kind: String,
    pub file_type: String,
    pub bytes: i64,
    pub uploaded_at: String,
    /// When a newer file replaced it (kept for staff to compare until the decision).
    pub replaced_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyHistoryLine {
    pub at: String,
    pub status: Status,
    pub by: TrackedActor,
    pub action: Option<Action>,
}

/// A staff view: when, their roles and service points (never their name), what was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyStaffView {
    pub at: String,
    pub roles: Vec<Role>,
    /// Empty: the office itself (not a service point).
    pub service_points: Vec<String>,
    pub opened: Opened,
}

/// What a staff view opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opened {
    /// The review page (the answers, the household, the list of documents).
    Application,
    /// One document (its kind).
    Document(String),
    /// Shown beside another application of the same family, on its review page.
    InHousehold,
    /// A letter of it, shown to be printed.
    Letter,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MyDataOutcome {
    NotOpen,
    /// Opened by someone who applied for the person: the person's data is theirs.
    NotYours,
    Found(Box<MyData>),
}

/// A replacement document, a fixed answer or a resubmission that was not accepted: what
/// was typed, and each field with why.
pub type CorrectionRefused = crate::error::Refused<crate::domain::apply::Problem>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingLine {
    /// Office-local date and time.
    pub at: String,
    pub status: Status,
    pub by: TrackedActor,
    /// What the step carried that the resident should read (a visit's findings are the
    /// office's working notes and are not included).
    pub action: Option<Action>,
}

/// Who made a step, as the resident is told: staff by their role, never their name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackedActor {
    Online,
    Counter,
    Office(Option<Role>),
    Resident,
}

/// A lookup that was not accepted, for the page rendered in answer to its post.
#[derive(Clone, Debug)]
pub struct LookupRefused {
    pub number: String,
    pub throttled: bool,
}

/// A new PIN, shown once on the page that answers the request for it.
#[derive(Clone, Debug)]
pub struct NewPin {
    pub number: String,
    pub pin: String,
}

crate::api::loader! {
    /// "Data saya" for the application open in this browser, if the viewer is its person.
    pub async fn my_data_page() -> Result<MyDataOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
        let lang = crate::i18n::detect_lang();
        crate::server::tracking::my_data(&state, &headers, lang).await
    }
}

crate::api::loader! {
    /// The application this browser may follow right now (server-side only, like every
    /// resident page's data that needs no browser round trip).
    pub async fn tracking_page() -> Result<TrackingOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
        let lang = crate::i18n::detect_lang();
        crate::server::tracking::page_data(&state, &headers, lang).await
    }
}
