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
    /// The application this browser may follow right now (server-side only, like every
    /// resident page's data that needs no browser round trip).
    pub async fn tracking_page() -> Result<TrackingOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
        let lang = crate::i18n::detect_lang();
        crate::server::tracking::page_data(&state, &headers, lang).await
    }
}
