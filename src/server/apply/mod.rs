//! The application journey on the server: the draft behind the resident's cookie, the
//! plain form posts of every step, uploads, and submitting exactly once.
//!
//! Each post is parsed by the domain core. Accepted: saved in the draft, then 303 to the
//! next step. Rejected: nothing is saved; the same page is rendered in answer to the post
//! with the answers as typed and the problems (422), so it works without JavaScript and
//! without putting anything in the URL.
//!
//! - here: the draft behind the cookie (what it holds, loading, saving, answering);
//! - `steps`: the step posts; `upload`: the documents step; `submit`: submitting once;
//! - `walk_in`: counter registration; `page`: what the pages show.

mod page;
mod steps;
mod submit;
mod upload;
mod walk_in;

pub use page::{confirmation, page, start_page};
pub use steps::{post_step, start};
pub use submit::submit;
pub use upload::{discard, remove_upload, upload, view_upload};
pub use walk_in::start_walk_in;
use submit::*;
use walk_in::*;

use super::storage::Received;
use super::db::applications::{self as apps, NewApplication, SubmitError, Submitted};
use super::db::drafts::{self, DRAFT_COOKIE, DraftToken};
use super::auth::StaffMember;
use super::refusal::{Context as _, Refusal};
use super::state::{AppState, app_state};
use crate::api::apply::*;
use crate::domain::RegionOption;
use crate::domain::apply::{
    self as core, Address, FieldProblem, Member, Need, Problem, ProgramFit, Step, Who, address_fields, field, household_fields,
    need_fields,
};
use crate::domain::document::{FileType, human_size};
use crate::domain::person::{Person, PersonField, PersonForm};
use crate::domain::registration::{RegistrationNumber, TrackingPin};
use crate::domain::{DocumentKind, Nik, RegionCode};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long the PIN stays visible on the confirmation after submitting.
const PIN_VISIBLE_SECONDS: i64 = 60 * 60;

/// What the draft table holds for one resident's application in progress.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ApplicationDraft {
    /// Random, made with the draft: the submission's idempotency key.
    pub key: String,
    /// The program chosen from a link (`/ajukan?program=…`) before the need step.
    #[serde(default)]
    pub program: Option<String>,
    /// Accepted answers of each form step, as posted.
    #[serde(default)]
    pub answers: BTreeMap<Step, Vec<(String, String)>>,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub submitted: Option<SubmittedDraft>,
    /// Filled in at a service point's counter by a front-desk officer for the resident.
    #[serde(default)]
    pub walk_in: Option<WalkInDraft>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WalkInDraft {
    pub staff_id: i64,
    pub officer: String,
    pub service_point_id: i64,
    pub service_point: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubmittedDraft {
    pub number: String,
    pub pin: String,
    pub pin_visible_until: String,
}

impl ApplicationDraft {
    fn new() -> Self {
        use base64::Engine as _;
        let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        Self { key, ..Default::default() }
    }

    fn answers(&self, step: Step) -> &[(String, String)] {
        self.answers.get(&step).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The program the documents are for: the need step's, or the one from the link.
    fn program(&self) -> Option<String> {
        match field(self.answers(Step::Need), need_fields::PROGRAM) {
            "" => self.program.clone(),
            code => Some(code.to_string()),
        }
    }
}

// ---- finding the caller's draft ----------------------------------------------------

fn token_from(headers: &HeaderMap) -> Option<DraftToken> {
    crate::cookies::headers(headers).find_map(|h| crate::cookies::find(h, DRAFT_COOKIE)).and_then(DraftToken::parse)
}

/// The caller's draft with the version it was read at (the next save must name it).
pub struct Held {
    token: DraftToken,
    draft: ApplicationDraft,
    version: drafts::Version,
}

impl Held {
    fn fresh(draft: ApplicationDraft) -> Self {
        Held { token: DraftToken::generate(), draft, version: None }
    }
}

/// The draft behind this request's cookie, read at its version, as a handler argument:
/// `None` when there is none (or one from an older version that no longer reads).
pub struct Draft(Option<Held>);

impl axum::extract::FromRequestParts<AppState> for Draft {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Refusal> {
        Ok(Draft(load_held(state, &parts.headers).await?))
    }
}

async fn load_held(state: &AppState, headers: &HeaderMap) -> Result<Option<Held>, AppError> {
    let Some(token) = token_from(headers) else { return Ok(None) };
    match drafts::load::<ApplicationDraft>(state.db.pool(), &token).await {
        Ok(Some((draft, version))) => Ok(Some(Held { token, draft, version: Some(version) })),
        Ok(None) => Ok(None),
        // A draft from an older version that no longer reads: start afresh rather than fail.
        Err(e @ drafts::DraftError::Corrupt { .. }) => {
            tracing::warn!("discarding a draft: {e}");
            Ok(None)
        }
        Err(e) => Err(AppError::internal(&e, "loading a draft")),
    }
}

async fn load(state: &AppState, headers: &HeaderMap) -> Result<Option<(DraftToken, ApplicationDraft)>, AppError> {
    Ok(load_held(state, headers).await?.map(|h| (h.token, h.draft)))
}

async fn load_in_server_fn() -> Result<(AppState, Option<(DraftToken, ApplicationDraft)>), AppError> {
    let (state, draft, _) = load_with_headers().await?;
    Ok((state, draft))
}

async fn load_with_headers() -> Result<(AppState, Option<(DraftToken, ApplicationDraft)>, HeaderMap), AppError> {
    let state = app_state()?;
    let headers: HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
    let draft = load(&state, &headers).await?;
    Ok((state, draft, headers))
}

/// Answers the resident already gave in "which aid fits me" (within the hour its cookie
/// lives), offered as the starting values of the matching steps.
fn from_check(headers: &HeaderMap, step: Step) -> Vec<(String, String)> {
    use crate::domain::eligibility::ForWhom;
    let Some(check) = crate::cookies::headers(headers).find_map(crate::api::check::StoredCheck::from_cookie_header) else {
        return Vec::new();
    };
    match step {
        Step::Who => check
            .answers
            .for_whom
            .map(|w| {
                let value = match w {
                    ForWhom::Myself => core::who_fields::MYSELF,
                    ForWhom::SomeoneElse => core::who_fields::SOMEONE_ELSE,
                };
                vec![(core::who_fields::FOR_WHOM.to_string(), value.to_string())]
            })
            .unwrap_or_default(),
        Step::Address => {
            check.answers.province.map(|p| vec![(address_fields::PROVINCE.to_string(), p.as_str().to_string())]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

impl ApplicationDraft {
    /// How long the draft (and its cookie) lives after this save: shorter once it holds a
    /// NIK, shortest at the counter.
    fn lifetime(&self) -> i64 {
        if self.walk_in.is_some() {
            drafts::WALK_IN_LIFETIME_SECONDS
        } else if self.answers.contains_key(&Step::Person) || !self.members.is_empty() {
            drafts::PERSONAL_LIFETIME_SECONDS
        } else {
            drafts::LIFETIME_SECONDS
        }
    }
}

fn draft_failed(e: drafts::DraftError) -> AppError {
    match e {
        drafts::DraftError::Changed => AppError::DraftChanged,
        e => AppError::internal(&e, "saving a draft"),
    }
}

/// Saves the held draft (refused if another request saved it since it was read).
async fn save(state: &AppState, held: &Held) -> Result<(), AppError> {
    let lifetime = held.draft.lifetime();
    drafts::save(state.db.pool(), &held.token, &held.draft, held.version, lifetime, None).await.map(|_| ()).map_err(draft_failed)
}

/// 303 to `to`, renewing the draft cookie for the draft's lifetime.
fn go(to: &str, held: &Held) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(&drafts::set_cookie(&held.token, held.draft.lifetime())) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Renders the page at `path` in answer to a post, with the rejected submission.
async fn render(state: &AppState, headers: &HeaderMap, path: &str, rejected: Rejected, status: StatusCode) -> Response {
    super::http::render_page(state, headers, path, rejected, status).await
}

fn issues(problems: Vec<FieldProblem>) -> Vec<IssueAt> {
    problems.into_iter().map(IssueAt::from).collect()
}

fn person_issues(problems: Vec<(PersonField, crate::domain::person::PersonError)>) -> Vec<IssueAt> {
    problems.into_iter().map(|(f, e)| IssueAt { field: f.name().to_string(), issue: Issue::Person(e) }).collect()
}

fn person_form(pairs: &[(String, String)]) -> PersonForm {
    PersonForm {
        nik: field(pairs, PersonField::Nik.name()).into(),
        name: field(pairs, PersonField::Name.name()).into(),
        birth_date: field(pairs, PersonField::BirthDate.name()).into(),
        sex: field(pairs, PersonField::Sex.name()).into(),
        phone: field(pairs, PersonField::Phone.name()).into(),
        email: field(pairs, PersonField::Email.name()).into(),
    }
}

/// Today at the office (its time zone decides the day of a receipt and a decision date).
fn today(state: &AppState) -> crate::domain::Date {
    super::db::office_today(state.config.utc_offset_hours)
}

/// Only the fields a step owns are kept (a forged extra field is dropped, not stored).
fn keep(pairs: Vec<(String, String)>, names: &[&str]) -> Vec<(String, String)> {
    pairs.into_iter().filter(|(k, _)| names.contains(&k.as_str())).map(|(k, v)| (k, v.chars().take(4000).collect())).collect()
}

const WHO_FIELDS: &[&str] = &[
    core::who_fields::FOR_WHOM,
    core::who_fields::APPLICANT_NAME,
    core::who_fields::RELATION,
    core::who_fields::APPLICANT_PHONE,
    core::who_fields::CONSENT,
    core::who_fields::CONSENT_REASON,
];
const PERSON_FIELDS: &[&str] = &[
    PersonField::Nik.name(),
    PersonField::Name.name(),
    PersonField::BirthDate.name(),
    PersonField::Sex.name(),
    PersonField::Phone.name(),
    PersonField::Email.name(),
];
const ADDRESS_FIELDS: &[&str] = &[
    address_fields::PROVINCE,
    address_fields::REGENCY,
    address_fields::DISTRICT,
    address_fields::VILLAGE,
    address_fields::STREET,
    address_fields::RT,
    address_fields::RW,
];
const NEED_FIELDS: &[&str] = &[need_fields::CATEGORY, need_fields::PROGRAM, need_fields::DESCRIPTION];

async fn village_exists(state: &AppState, code: &RegionCode) -> Result<bool, AppError> {
    super::db::regions::village_exists(state.db.pool(), code).await.map_err(|e| AppError::internal(&e, "checking a village"))
}

async fn open_fits(state: &AppState) -> Result<(Vec<ProgramFit>, Vec<i64>), AppError> {
    let pool = state.db.pool();
    let doing = "listing programs for the need step";
    let programs = super::db::programs::choices(pool).await.map_err(|e| AppError::internal(&e, doing))?;
    let categories = super::db::programs::categories(pool).await.map_err(|e| AppError::internal(&e, doing))?;
    let fits = programs
        .into_iter()
        .filter_map(|p| Some(ProgramFit { code: crate::domain::ProgramCode::parse(&p.code).ok()?, categories: p.categories }))
        .collect();
    Ok((fits, categories.into_iter().map(|(c, ..)| c).collect()))
}

