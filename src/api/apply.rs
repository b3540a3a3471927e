//! What the application pages show: the resident's own draft (found through their draft
//! cookie, never through anything in the URL), the lists each step chooses from, and the
//! problems of a rejected submission. The forms themselves post to plain handlers
//! (`server/apply/`), so every step works without JavaScript.

use crate::domain::RegionOption;
use crate::domain::DocumentKind;
use crate::domain::apply::{FieldProblem, Problem, Step};
use crate::domain::person::PersonError;
use crate::error::AppError;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// A problem to show at a field: the journey's own, or the person step's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Issue {
    Field(Problem),
    Person(PersonError),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueAt {
    pub field: String,
    pub issue: Issue,
}

impl From<FieldProblem> for IssueAt {
    fn from(p: FieldProblem) -> Self {
        IssueAt { field: p.field, issue: Issue::Field(p.problem) }
    }
}

/// A submission that was not accepted: shown again as typed, with its problems.
/// Provided as context by the handler that renders the page in answer to the post.
#[derive(Clone, Debug, Default)]
pub struct Rejected {
    pub values: Vec<(String, String)>,
    pub issues: Vec<IssueAt>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub nik: String,
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub kind: DocumentKind,
    /// "JPEG, 412 KB" when a file was uploaded.
    pub uploaded: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramChoice {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub categories: Vec<i64>,
}

/// One answer on "check your answers".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub step: Step,
    pub label: String,
    pub value: String,
}

/// Per step, what the page chooses from or lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepLists {
    None,
    /// Provinces, then the regencies, districts and villages inside what is chosen.
    Regions([Vec<RegionOption>; 4]),
    Household(Vec<MemberRow>),
    Need { categories: Vec<Choice>, programs: Vec<ProgramChoice> },
    Documents { program: Option<String>, documents: Vec<DocumentRow> },
    Review { rows: Vec<ReviewRow>, missing: Vec<Step>, key: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepPageData {
    pub step: Step,
    /// The answers to show: the rejected submission's, or the draft's.
    pub values: Vec<(String, String)>,
    pub issues: Vec<IssueAt>,
    pub completed: Vec<Step>,
    pub lists: StepLists,
    /// The draft was submitted already: the page sends the resident to the confirmation.
    pub submitted: bool,
    /// A counter registration: (service point, officer).
    pub walk_in: Option<(String, String)>,
}

/// What `/ajukan` shows before the first step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartPageData {
    /// The program asked for in the link, if it is open.
    pub program: Option<ProgramChoice>,
    /// A draft in progress: where to continue.
    pub resume: Option<Step>,
}

/// The confirmation: the number, the PIN while it may still be shown, what happens next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationData {
    pub number: String,
    pub pin: Option<String>,
    pub program: String,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
    pub decision_due: String,
    /// The QR code (SVG) of the tracking link.
    pub qr_svg: String,
    pub tracking_url: String,
    /// Registered at a counter: the officer may start the next resident's.
    pub walk_in: bool,
}

crate::api::loader! {
    /// The page for one step of the caller's own draft.
    pub async fn apply_page(step: Step, lang: Lang) -> Result<StepPageData, AppError> {
        crate::server::apply::page(step, lang).await
    }
}

crate::api::loader! {
    /// What `/ajukan` shows: the program from the link, and whether a draft can be continued.
    pub async fn apply_start(program: Option<String>, lang: Lang) -> Result<StartPageData, AppError> {
        crate::server::apply::start_page(program, lang).await
    }
}

crate::api::loader! {
    /// The confirmation of the caller's submitted draft, if there is one.
    pub async fn confirmation(lang: Lang) -> Result<Option<ConfirmationData>, AppError> {
        crate::server::apply::confirmation(lang).await
    }
}
