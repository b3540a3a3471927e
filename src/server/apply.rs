//! The application journey on the server: the draft behind the resident's cookie, the
//! plain form posts of every step, uploads, and submitting exactly once.
//!
//! Each post is parsed by the domain core. Accepted: saved in the draft, then 303 to the
//! next step. Rejected: nothing is saved; the same page is rendered in answer to the post
//! with the answers as typed and the problems (422), so it works without JavaScript and
//! without putting anything in the URL.

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
use crate::domain::document::{FileType, MAX_UPLOAD_BYTES, human_size};
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
struct Held {
    token: DraftToken,
    draft: ApplicationDraft,
    version: drafts::Version,
}

impl Held {
    fn fresh(draft: ApplicationDraft) -> Self {
        Held { token: DraftToken::generate(), draft, version: None }
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

fn failure(e: AppError, headers: &HeaderMap) -> Response {
    let refusal = Refusal::from(e);
    super::http::plain_text(refusal.status(), refusal.message(Lang::from_headers(headers)))
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
const PERSON_FIELDS: &[&str] = &["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon", "email"];
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

// ---- the posts ---------------------------------------------------------------------

#[derive(Deserialize)]
pub struct StartForm {
    program: Option<String>,
}

/// A new draft for a resident, within their address's hourly budget of new drafts; past it,
/// the 429 to answer.
async fn new_draft(state: &AppState, connection: super::http::Peer, headers: &HeaderMap) -> Result<Held, Response> {
    let address = super::http::client_address(state, connection, headers);
    match super::limits::take(state.db.pool(), crate::domain::guessing::Write::Draft, &address).await {
        Ok(None) => Ok(Held::fresh(ApplicationDraft::new())),
        Ok(Some(retry_after)) => {
            tracing::warn!("new drafts throttled for an address");
            Err(super::http::too_many_writes(Lang::from_headers(headers), retry_after))
        }
        Err(e) => Err(failure(AppError::internal(&e, "counting new drafts"), headers)),
    }
}

/// `POST /ajukan/mulai`: starts a draft (or a new one after a submitted one).
pub async fn start(State(state): State<AppState>, connection: super::http::Peer, headers: HeaderMap, Form(form): Form<StartForm>) -> Response {
    let existing = match load_held(&state, &headers).await {
        Ok(found) => found.filter(|h| h.draft.submitted.is_none()),
        Err(e) => return failure(e, &headers),
    };
    let mut held = match existing {
        Some(held) => held,
        None => match new_draft(&state, connection, &headers).await {
            Ok(held) => held,
            Err(refused) => return refused,
        },
    };
    if let Some(code) = form.program.as_deref().and_then(|p| crate::domain::ProgramCode::parse(p.trim()).ok()) {
        held.draft.program = Some(code.as_str().to_string());
    }
    match save(&state, &held).await {
        Ok(()) => go(&Step::Who.path(), &held),
        Err(e) => failure(e, &headers),
    }
}

/// `POST /ajukan/{step}`: one step's answers.
pub async fn post_step(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    connection: super::http::Peer,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let t = Lang::from_headers(&headers).texts();
    let Some(step) = Step::from_slug(&slug).filter(|s| !matches!(s, Step::Documents | Step::Review)) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], t.not_found_title).into_response();
    };
    let Ok(Form(pairs)) = form else {
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], t.request_incomplete).into_response();
    };
    match handle_step(&state, connection, &headers, step, pairs).await {
        Ok(response) => response,
        Err(e) => failure(e, &headers),
    }
}

async fn handle_step(
    state: &AppState,
    connection: super::http::Peer,
    headers: &HeaderMap,
    step: Step,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut held = match load_held(state, headers).await? {
        Some(h) if h.draft.submitted.is_some() => return Ok(Redirect::to("/ajukan/selesai").into_response()),
        Some(found) => found,
        None => match new_draft(state, connection, headers).await {
            Ok(held) => held,
            Err(refused) => return Ok(refused),
        },
    };
    let draft = &mut held.draft;
    let action = field(&pairs, "aksi").to_string();
    let back_to_review = field(&pairs, "kembali") == Step::Review.slug();
    let path = step.path();
    let reject = |issues: Vec<IssueAt>, values: Vec<(String, String)>| async move {
        let status = if issues.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        render(state, headers, &path, Rejected { values, issues }, status).await
    };

    match step {
        Step::Who => match Who::parse(&pairs) {
            Ok(_) => {
                draft.answers.insert(step, keep(pairs, WHO_FIELDS));
            }
            Err(problems) => return Ok(reject(issues(problems), pairs).await),
        },
        Step::Person => match Person::parse(&person_form(&pairs), today(state), state.regions.as_ref()) {
            // The core's address check is what a browser can do; the server adds the full one.
            Ok(person) if !email_deliverable(&person) => {
                let problem = FieldProblem::new(PersonField::Email.name(), Problem::EmailInvalid);
                return Ok(reject(issues(vec![problem]), pairs).await);
            }
            Ok(_) => {
                draft.answers.insert(step, keep(pairs, PERSON_FIELDS));
            }
            Err(problems) => return Ok(reject(person_issues(problems), pairs).await),
        },
        Step::Address => {
            // "Show the choices": narrow the lists below what changed; nothing is saved.
            if action == "wilayah" {
                return Ok(reject(Vec::new(), pairs).await);
            }
            match Address::parse(&pairs) {
                Ok(address) if village_exists(state, &address.village).await? => {
                    draft.answers.insert(step, keep(pairs, ADDRESS_FIELDS));
                }
                Ok(_) => {
                    let problem = FieldProblem::new(address_fields::VILLAGE, Problem::RegionNotInParent);
                    return Ok(reject(issues(vec![problem]), pairs).await);
                }
                Err(problems) => return Ok(reject(issues(problems), pairs).await),
            }
        }
        Step::Household => {
            let kk_value = field(&pairs, household_fields::KK).to_string();
            match action.as_str() {
                "tambah" => {
                    let mut taken: Vec<Nik> = draft.members.iter().map(|m| m.nik.clone()).collect();
                    if let Ok(own) = Nik::parse(field(draft.answers(Step::Person), PersonField::Nik.name())) {
                        taken.push(own);
                    }
                    match Member::parse(&pairs, &taken) {
                        Ok(member) => draft.members.push(member),
                        Err(problems) => return Ok(reject(issues(problems), pairs).await),
                    }
                    // The KK typed so far is kept if it is valid; it is checked on "continue".
                    if core::parse_kk(&pairs).is_ok() {
                        draft.answers.insert(step, vec![(household_fields::KK.to_string(), kk_value)]);
                    }
                    save(state, &held).await?;
                    return Ok(go(&format!("{}#anggota", step.path()), &held));
                }
                "hapus" => {
                    if let Some(i) = field(&pairs, "anggota").parse::<usize>().ok().filter(|i| *i < draft.members.len()) {
                        draft.members.remove(i);
                    }
                    save(state, &held).await?;
                    return Ok(go(&format!("{}#anggota", step.path()), &held));
                }
                _ => match core::parse_kk(&pairs) {
                    Ok(_) => {
                        draft.answers.insert(step, vec![(household_fields::KK.to_string(), kk_value)]);
                    }
                    Err(problems) => return Ok(reject(issues(problems), pairs).await),
                },
            }
        }
        Step::Need => {
            if action == "program" {
                return Ok(reject(Vec::new(), pairs).await);
            }
            let (fits, categories) = open_fits(state).await?;
            match Need::parse(&pairs, &fits, &categories) {
                Ok(need) => {
                    draft.program = Some(need.program.as_str().to_string());
                    draft.answers.insert(step, keep(pairs, NEED_FIELDS));
                }
                Err(problems) => return Ok(reject(issues(problems), pairs).await),
            }
        }
        Step::Documents | Step::Review => unreachable!("filtered out by post_step"),
    }
    save(state, &held).await?;
    let next = if back_to_review { Step::Review } else { step.next().unwrap_or(Step::Review) };
    Ok(go(&next.path(), &held))
}

// ---- documents ---------------------------------------------------------------------

/// The answer to an upload made by the page's script (which asks for JSON).
#[derive(Serialize)]
struct UploadAnswer {
    ok: bool,
    message: Option<&'static str>,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-layan-unggah").is_some()
}

/// `POST /ajukan/dokumen/unggah` (multipart: `jenis`, then `berkas`). The body limit is
/// set on the route; here the file is counted and sniffed while it streams to disk.
pub async fn upload(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let t = Lang::from_headers(&headers).texts();
    let json = wants_json(&headers);
    // Which document the post was for, once known: its problem is shown at that document.
    let mut field_name = "berkas".to_string();
    let answer = |status: StatusCode, problem: Option<Problem>, state: AppState, headers: HeaderMap, field: String| async move {
        if json {
            let message = problem.map(|p| (t.apply.problem)(p));
            return (status, Json(UploadAnswer { ok: problem.is_none(), message })).into_response();
        }
        match problem {
            None => Redirect::to("/ajukan/dokumen#dokumen").into_response(),
            Some(p) => {
                let rejected = Rejected { values: Vec::new(), issues: vec![IssueAt { field, issue: Issue::Field(p) }] };
                render(&state, &headers, &Step::Documents.path(), rejected, status).await
            }
        }
    };
    let found = match load_held(&state, &headers).await {
        Ok(found) => found,
        Err(e) => return failure(e, &headers),
    };
    let Some(Held { token, draft, version: Some(version) }) = found.filter(|h| h.draft.submitted.is_none()) else {
        return Redirect::to("/ajukan").into_response();
    };
    // A counter registration is the officer's work, not an anonymous write.
    if draft.walk_in.is_none() {
        let address = super::http::client_address(&state, connection, &headers);
        match super::limits::take(state.db.pool(), crate::domain::guessing::Write::Upload, &address).await {
            Ok(None) => {}
            Ok(Some(retry_after)) => {
                tracing::warn!("uploads throttled for an address");
                return super::http::too_many_writes(Lang::from_headers(&headers), retry_after);
            }
            Err(e) => return failure(AppError::internal(&e, "counting uploads"), &headers),
        }
    }
    let Ok(mut multipart) = multipart else {
        return answer(StatusCode::BAD_REQUEST, Some(Problem::FileMissing), state.clone(), headers.clone(), field_name.clone()).await;
    };
    let required = match draft.program() {
        Some(code) => match super::db::programs::requirements(state.db.pool(), &code).await {
            Ok(found) => found.map(|(kinds, _)| kinds).unwrap_or_default(),
            Err(e) => return failure(AppError::internal(&e, "reading a program's documents"), &headers),
        },
        None => Vec::new(),
    };
    match receive_document(&state, &mut multipart, &required).await {
        Err(e) => failure(e, &headers),
        Ok(Received::Refused { status, problem, field }) => answer(status, Some(problem), state.clone(), headers.clone(), field).await,
        Ok(Received::File(kind, stored)) => {
            field_name = format!("berkas-{}", kind.slug());
            let put = apps::put_draft_upload(state.db.pool(), (&token.hash(), version), kind, &stored, draft.lifetime()).await;
            let replaced = match put {
                Ok(Some(replaced)) => replaced,
                // Submitted or discarded while the file was on its way: it is not kept.
                Ok(None) => {
                    state.storage.remove(&stored.id).await;
                    return failure(AppError::DraftChanged, &headers);
                }
                Err(e) => {
                    state.storage.remove(&stored.id).await;
                    return failure(AppError::internal(&e, "recording an upload"), &headers);
                }
            };
            for id in replaced {
                state.storage.remove(&id).await;
            }
            answer(StatusCode::OK, None, state.clone(), headers.clone(), field_name).await
        }
    }
}

/// What an upload form carried.
pub(crate) enum Received {
    File(DocumentKind, super::storage::StoredFile),
    /// Nothing stored: the status to answer, the problem, and the field it is about.
    Refused { status: StatusCode, problem: Problem, field: String },
}

/// Reads an upload form (`jenis`, then `berkas`), storing the file as it streams, counted and
/// judged by its first bytes. `allowed` are the document kinds this form may carry.
pub(crate) async fn receive_document(state: &AppState, multipart: &mut Multipart, allowed: &[DocumentKind]) -> Result<Received, AppError> {
    let mut field = "berkas".to_string();
    let mut kind: Option<DocumentKind> = None;
    loop {
        let next = match multipart.next_field().await {
            Ok(next) => next,
            Err(e) => {
                let problem = if e.status() == StatusCode::PAYLOAD_TOO_LARGE { Problem::FileTooLarge } else { Problem::FileMissing };
                return Ok(Received::Refused { status: e.status(), problem, field });
            }
        };
        let Some(part) = next else { break };
        match part.name() {
            Some("jenis") => {
                let text = part.text().await.unwrap_or_default();
                kind = DocumentKind::from_slug(text.trim()).filter(|k| allowed.contains(k));
                if let Some(k) = kind {
                    field = format!("berkas-{}", k.slug());
                }
            }
            Some("berkas") => {
                let Some(kind) = kind else {
                    return Ok(Received::Refused { status: StatusCode::UNPROCESSABLE_ENTITY, problem: Problem::DocumentMissing, field });
                };
                return match state.storage.save(part, MAX_UPLOAD_BYTES).await {
                    Ok(stored) => Ok(Received::File(kind, stored)),
                    Err(e) => {
                        let (status, problem) = match e {
                            super::storage::UploadError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, Problem::FileTooLarge),
                            super::storage::UploadError::NotAllowed => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Problem::FileType),
                            super::storage::UploadError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, Problem::FileMissing),
                            super::storage::UploadError::Interrupted(_) => (StatusCode::BAD_REQUEST, Problem::FileMissing),
                            super::storage::UploadError::Io(e) => return Err(AppError::internal(&e, "storing an upload")),
                        };
                        // A file refused by its first bytes: read the rest of the request (the
                        // route caps it) so the browser's connection stays usable. Answering
                        // early makes the server close it, and the browser's next upload over
                        // that connection fails.
                        if problem != Problem::FileTooLarge {
                            while let Ok(Some(_)) = multipart.next_field().await {}
                        }
                        Ok(Received::Refused { status, problem, field })
                    }
                };
            }
            _ => {}
        }
    }
    Ok(Received::Refused { status: StatusCode::UNPROCESSABLE_ENTITY, problem: Problem::FileMissing, field })
}

#[derive(Deserialize)]
pub struct RemoveForm {
    jenis: String,
}

/// `POST /ajukan/dokumen/hapus`: forgets the draft's file of one kind.
pub async fn remove_upload(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<RemoveForm>) -> Response {
    let Ok(Some(Held { token, version: Some(version), .. })) = load_held(&state, &headers).await else {
        return Redirect::to("/ajukan").into_response();
    };
    if let Some(kind) = DocumentKind::from_slug(&form.jenis) {
        match apps::remove_draft_upload(state.db.pool(), (&token.hash(), version), kind).await {
            Ok(None) => return failure(AppError::DraftChanged, &headers),
            Ok(Some(ids)) => {
                for id in ids {
                    state.storage.remove(&id).await;
                }
            }
            Err(e) => return failure(AppError::internal(&e, "removing an upload"), &headers),
        }
    }
    Redirect::to("/ajukan/dokumen#dokumen").into_response()
}

/// `POST /ajukan/buang`: "discard this application" on a shared phone. The draft (or the
/// submitted one that still shows the receipt's PIN), its files and the cookie go; a
/// submitted application stays.
pub async fn discard(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token_from(&headers) {
        match drafts::discard(state.db.pool(), &token).await {
            Ok(files) => {
                for id in &files {
                    state.storage.remove(id).await;
                }
                tracing::info!(files = files.len(), "draft discarded");
            }
            Err(e) => return failure(AppError::internal(&e, "discarding a draft"), &headers),
        }
    }
    super::http::redirect_with_cookie("/ajukan?dihapus=ya", &drafts::clear_cookie())
}

/// `GET /ajukan/dokumen/{kind}`: the caller's own uploaded file, to look at again. Only the
/// draft's holder can reach it; it is sent as the type it was recognised as, never run.
pub async fn view_upload(State(state): State<AppState>, Path(kind): Path<String>, headers: HeaderMap) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Ok(Some((token, _))) = load(&state, &headers).await else { return not_found() };
    let Some(kind) = DocumentKind::from_slug(&kind) else { return not_found() };
    let Ok(rows) = apps::draft_uploads(state.db.pool(), &token.hash()).await else { return not_found() };
    let Some(row) = rows.into_iter().rev().find(|r| r.kind() == Some(kind)) else { return not_found() };
    let Some(file_type) = FileType::from_mime(&row.file_type) else { return not_found() };
    match state.storage.read(&row.id).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, file_type.mime()),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::CONTENT_DISPOSITION, "inline"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

// ---- submission --------------------------------------------------------------------

/// Everything the draft says, parsed again as on the day it is submitted.
struct Checked {
    who: Who,
    person: Person,
    address: Address,
    kk: crate::domain::NomorKk,
    need: Need,
    documents: Vec<DocumentKind>,
    deadline: crate::domain::WorkingDays,
}

/// The server's full check of the resident's email, when they gave one (as everywhere).
fn email_deliverable(person: &Person) -> bool {
    person.email.as_ref().is_none_or(|e| super::mail::deliverable(e.as_str()))
}

/// Re-checks every step; the steps that fail are returned (their pages say why).
async fn check_all(state: &AppState, token: &DraftToken, draft: &ApplicationDraft) -> Result<Result<Checked, Vec<Step>>, AppError> {
    let mut missing = Vec::new();
    let who = Who::parse(draft.answers(Step::Who)).map_err(|_| missing.push(Step::Who)).ok();
    let person = Person::parse(&person_form(draft.answers(Step::Person)), today(state), state.regions.as_ref())
        .ok()
        .filter(email_deliverable);
    if person.is_none() {
        missing.push(Step::Person);
    }
    let address = match Address::parse(draft.answers(Step::Address)) {
        Ok(a) if village_exists(state, &a.village).await? => Some(a),
        _ => {
            missing.push(Step::Address);
            None
        }
    };
    let kk = core::parse_kk(draft.answers(Step::Household)).map_err(|_| missing.push(Step::Household)).ok();
    let (fits, categories) = open_fits(state).await?;
    let need = Need::parse(draft.answers(Step::Need), &fits, &categories).map_err(|_| missing.push(Step::Need)).ok();
    let requirements = match &need {
        Some(n) => super::db::programs::requirements(state.db.pool(), n.program.as_str())
            .await
            .map_err(|e| AppError::internal(&e, "reading a program's documents"))?,
        None => None,
    };
    let uploads = apps::draft_uploads(state.db.pool(), &token.hash()).await.map_err(|e| AppError::internal(&e, "listing uploads"))?;
    let documents: Vec<DocumentKind> = uploads.iter().filter_map(|u| u.kind()).collect();
    if let Some((required, _)) = &requirements {
        if required.iter().any(|k| !documents.contains(k)) {
            missing.push(Step::Documents);
        }
    }
    match (who, person, address, kk, need, requirements) {
        (Some(who), Some(person), Some(address), Some(kk), Some(need), Some((_, deadline))) if missing.is_empty() => {
            Ok(Ok(Checked { who, person, address, kk, need, documents, deadline }))
        }
        _ => Ok(Err(missing)),
    }
}

/// `POST /ajukan/kirim`: the declaration, then exactly one application per draft.
pub async fn submit(
    State(state): State<AppState>,
    officer: Option<StaffMember>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    match handle_submit(&state, &headers, officer.as_ref(), pairs).await {
        Ok(response) => response,
        Err(e) => failure(e, &headers),
    }
}

async fn handle_submit(state: &AppState, headers: &HeaderMap, officer: Option<&StaffMember>, pairs: Vec<(String, String)>) -> Result<Response, AppError> {
    let Some(held) = load_held(state, headers).await? else { return Ok(Redirect::to("/ajukan").into_response()) };
    if held.draft.submitted.is_some() {
        return Ok(go("/ajukan/selesai", &held));
    }
    let (token, draft) = (&held.token, &held.draft);
    let review = Step::Review.path();
    let reject = |issues: Vec<IssueAt>| async move {
        render(state, headers, &review, Rejected { values: Vec::new(), issues }, StatusCode::UNPROCESSABLE_ENTITY).await
    };
    if field(&pairs, "kunci") != draft.key {
        // A form from another (older) draft: show this draft's answers to check instead.
        return Ok(go(&Step::Review.path(), &held));
    }
    let checked = match check_all(state, &token, &draft).await? {
        Ok(checked) => checked,
        Err(_) => {
            // A simultaneous tap may have just submitted this draft (its files moved to the
            // application): that is success, not an incomplete step.
            let made = apps::number_for_key(state.db.pool(), &draft.key).await.map_err(|e| AppError::internal(&e, "submitting"))?;
            if made.is_some() {
                return Ok(go("/ajukan/selesai", &held));
            }
            return Ok(reject(issues(vec![FieldProblem::new("periksa", Problem::StepIncomplete)])).await);
        }
    };
    if field(&pairs, "pernyataan") != "ya" {
        return Ok(reject(issues(vec![FieldProblem::new("pernyataan", Problem::DeclarationMissing)])).await);
    }
    // A counter registration is the officer's act: it needs the officer still signed in,
    // still at the front desk of that service point.
    let counter = match &draft.walk_in {
        None => None,
        Some(walk_in) => match officer_at_counter(state, officer, walk_in).await? {
            true => Some(walk_in.clone()),
            false => return Ok(Redirect::to("/petugas/masuk").into_response()),
        },
    };

    let today = today(state);
    let holidays = apps::holidays_from(state.db.pool(), today).await.map_err(|e| AppError::internal(&e, "reading holidays"))?;
    let decision_due = checked.deadline.after(today, &holidays);
    let pin = TrackingPin::from_random(rand::random());
    let pin_hash = state.pin_key.seal(pin.as_str());
    let household: Vec<_> = draft.members.iter().map(|m| (m.nik.as_str(), m.name.as_str(), m.role.slug())).collect();
    let doing = "submitting an application";
    // A clash of random numbers is astronomically rare; a fresh number is simply tried.
    for _ in 0..3 {
        let number = RegistrationNumber::from_random(rand::random());
        let pin_visible_until = super::db::utc_in(PIN_VISIBLE_SECONDS);
        let submitted_draft = ApplicationDraft {
            submitted: Some(SubmittedDraft {
                number: number.as_str().to_string(),
                pin: pin.as_str().to_string(),
                pin_visible_until: pin_visible_until.clone(),
            }),
            walk_in: draft.walk_in.clone(),
            ..ApplicationDraft { key: draft.key.clone(), ..Default::default() }
        };
        let new = NewApplication {
            idempotency_key: draft.key.clone(),
            number,
            pin_hash: pin_hash.clone(),
            channel: if counter.is_some() { "service_point" } else { "online" },
            registered_by: counter.as_ref().map(|w| w.staff_id),
            service_point_id: counter.as_ref().map(|w| w.service_point_id),
            program_code: checked.need.program.as_str().to_string(),
            ppks_code: checked.need.category,
            nik: checked.person.nik.as_str().to_string(),
            kk: checked.kk.as_str().to_string(),
            name: checked.person.name.as_str().to_string(),
            birth_date: checked.person.birth_date,
            sex: checked.person.sex.letter(),
            phone: checked.person.phone.as_str().to_string(),
            email: checked.person.email.as_ref().map(|e| e.as_str().to_string()),
            village_code: checked.address.village.as_str().to_string(),
            street: checked.address.street.clone(),
            rt: checked.address.rt.clone(),
            rw: checked.address.rw.clone(),
            description: checked.need.description.clone(),
            applicant_json: serde_json::to_string(&checked.who).map_err(|e| AppError::internal(&e, doing))?,
            household_json: serde_json::to_string(&household).map_err(|e| AppError::internal(&e, doing))?,
            decision_due,
            draft_hash: token.hash(),
            draft_version: held.version.unwrap_or_default(),
            submitted_draft_json: serde_json::to_string(&submitted_draft).map_err(|e| AppError::internal(&e, doing))?,
            pin_visible_until,
        };
        match apps::submit(&state.db, &new, state.config.utc_offset_hours).await {
            Ok(Submitted::Created { linked_in_family, possible_duplicate, .. }) => {
                tracing::info!(documents = checked.documents.len(), linked_in_family, possible_duplicate, "application submitted");
                return Ok(go("/ajukan/selesai", &held));
            }
            Ok(Submitted::AlreadySubmitted { .. }) => return Ok(go("/ajukan/selesai", &held)),
            Err(SubmitError::DraftChanged) => return Err(AppError::DraftChanged),
            Err(SubmitError::ProgramClosed) => {
                return Ok(reject(issues(vec![FieldProblem::new("periksa", Problem::StepIncomplete)])).await);
            }
            Err(SubmitError::Db(e)) if matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()) => continue,
            Err(SubmitError::Db(e)) => return Err(AppError::internal(&e, doing)),
        }
    }
    Err(AppError::internal(&std::io::Error::other("three registration numbers clashed"), doing))
}

/// Whether the request comes from the officer who began this counter registration, still a
/// front-desk officer of its service point.
async fn officer_at_counter(state: &AppState, officer: Option<&StaffMember>, walk_in: &WalkInDraft) -> Result<bool, AppError> {
    let pool = state.db.pool();
    let doing = "checking the officer of a counter registration";
    let Some(me) = officer else { return Ok(false) };
    if me.id != walk_in.staff_id || !me.has(crate::domain::workflow::Role::FrontDesk) {
        return Ok(false);
    }
    let points = super::db::service_points::of_staff(pool, me.id).await.map_err(|e| AppError::internal(&e, doing))?;
    Ok(points.iter().any(|(id, _)| *id == walk_in.service_point_id))
}

#[derive(Deserialize)]
pub struct WalkInForm {
    loket: Option<i64>,
}

/// `POST /petugas/loket/mulai`: a front-desk officer starts a registration for the resident
/// at the counter. Always a fresh draft on this browser (the previous resident's is left).
pub async fn start_walk_in(
    State(state): State<AppState>,
    me: StaffMember,
    headers: HeaderMap,
    form: Result<Form<WalkInForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let points = super::db::service_points::of_staff(pool, me.id).await.context("starting a counter registration")?;
    let wanted = form.ok().and_then(|Form(f)| f.loket);
    let point = match wanted {
        Some(id) => points.into_iter().find(|(p, _)| *p == id),
        // Without a choice, the officer's only service point.
        None if points.len() == 1 => points.into_iter().next(),
        None => None,
    };
    let (true, Some((service_point_id, service_point))) = (me.has(crate::domain::workflow::Role::FrontDesk), point) else {
        tracing::warn!(staff = me.id, "refused a counter registration outside the officer's role or service points");
        return Err(Refusal::Forbidden);
    };
    let held = Held::fresh(ApplicationDraft {
        walk_in: Some(WalkInDraft { staff_id: me.id, officer: me.full_name, service_point_id, service_point }),
        ..ApplicationDraft::new()
    });
    // Tied to this session: the officer's sign-out (or its expiry) ends it, so the counter
    // browser does not keep the resident's NIK for the next person.
    let session = super::auth::session_from(&headers).map(|t| t.hash());
    drafts::save(pool, &held.token, &held.draft, None, held.draft.lifetime(), session.as_deref()).await.map_err(draft_failed)?;
    Ok(go(&Step::Who.path(), &held))
}

// ---- what the pages show -------------------------------------------------------------

fn completed(draft: &ApplicationDraft, documents_done: bool) -> Vec<Step> {
    let mut done: Vec<Step> = draft.answers.keys().copied().collect();
    if documents_done {
        done.push(Step::Documents);
    }
    done.sort();
    done
}

async fn region_lists(state: &AppState, values: &[(String, String)]) -> Result<[Vec<RegionOption>; 4], AppError> {
    let chain = core::region_chain(values);
    let pool = state.db.pool();
    let doing = "listing regions for the address step";
    let mut lists: [Vec<RegionOption>; 4] = Default::default();
    lists[0] = super::db::regions::children(pool, None).await.map_err(|e| AppError::internal(&e, doing))?;
    for (i, parent) in chain.iter().take(3).enumerate() {
        lists[i + 1] = super::db::regions::children(pool, Some(parent)).await.map_err(|e| AppError::internal(&e, doing))?;
    }
    Ok(lists)
}

async fn documents_state(state: &AppState, token: Option<&DraftToken>, program: Option<&str>) -> Result<(Vec<DocumentRow>, bool), AppError> {
    let required = match program {
        Some(code) => super::db::programs::requirements(state.db.pool(), code)
            .await
            .map_err(|e| AppError::internal(&e, "reading a program's documents"))?
            .map(|(kinds, _)| kinds)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let uploads = match token {
        Some(token) => apps::draft_uploads(state.db.pool(), &token.hash()).await.map_err(|e| AppError::internal(&e, "listing uploads"))?,
        None => Vec::new(),
    };
    let rows: Vec<DocumentRow> = required
        .into_iter()
        .map(|kind| DocumentRow {
            kind,
            uploaded: uploads.iter().rev().find(|u| u.kind() == Some(kind)).map(|u| {
                let label = FileType::from_mime(&u.file_type).map(FileType::label).unwrap_or("?");
                format!("{label}, {}", human_size(u.byte_size.max(0) as u64))
            }),
        })
        .collect();
    let done = program.is_some() && rows.iter().all(|r| r.uploaded.is_some());
    Ok((rows, done))
}

pub async fn page(step: Step, lang: Lang) -> Result<StepPageData, AppError> {
    let (state, found, headers) = load_with_headers().await?;
    let rejected = leptos::prelude::use_context::<Rejected>();
    let submitted = found.as_ref().is_some_and(|(_, d)| d.submitted.is_some());
    let (token, draft) = match found {
        Some((token, draft)) => (Some(token), draft),
        None => (None, ApplicationDraft::default()),
    };
    let mut values = match &rejected {
        Some(r) => r.values.clone(),
        None if !draft.answers.contains_key(&step) => from_check(&headers, step),
        None => draft.answers(step).to_vec(),
    };
    if step == Step::Need && field(&values, need_fields::PROGRAM).is_empty() {
        if let Some(program) = &draft.program {
            values.push((need_fields::PROGRAM.to_string(), program.clone()));
        }
    }
    let program = draft.program();
    let (documents, documents_done) = documents_state(&state, token.as_ref(), program.as_deref()).await?;
    let lists = match step {
        Step::Address => StepLists::Regions(region_lists(&state, &values).await?),
        Step::Household => StepLists::Household(
            draft
                .members
                .iter()
                .map(|m| MemberRow {
                    nik: m.nik.as_str().to_string(),
                    name: m.name.as_str().to_string(),
                    role: (lang.texts().apply.family_role)(m.role).to_string(),
                })
                .collect(),
        ),
        Step::Need => {
            let pool = state.db.pool();
            let doing = "listing programs for the need step";
            let categories = super::catalogue::categories(pool, lang).await.map_err(|e| AppError::internal(&e, doing))?;
            let programs = super::catalogue::choices(pool, lang).await.map_err(|e| AppError::internal(&e, doing))?;
            StepLists::Need {
                categories: categories.into_iter().map(|(code, label)| Choice { value: code.to_string(), label }).collect(),
                programs,
            }
        }
        Step::Documents => {
            let name = match &program {
                Some(code) => super::catalogue::choices(state.db.pool(), lang)
                    .await
                    .map_err(|e| AppError::internal(&e, "naming the program"))?
                    .into_iter()
                    .find(|p| &p.code == code)
                    .map(|p| p.name),
                None => None,
            };
            StepLists::Documents { program: name, documents: documents.clone() }
        }
        Step::Review => {
            let missing = match &token {
                Some(token) => check_all(&state, token, &draft).await?.err().unwrap_or_default(),
                None => Step::ALL[..6].to_vec(),
            };
            let rows = review_rows(&state, &draft, lang, &documents).await?;
            StepLists::Review { rows, missing, key: draft.key.clone() }
        }
        Step::Who | Step::Person => StepLists::None,
    };
    Ok(StepPageData {
        step,
        values,
        issues: rejected.map(|r| r.issues).unwrap_or_default(),
        completed: completed(&draft, documents_done),
        lists,
        submitted,
        walk_in: draft.walk_in.as_ref().map(|w| (w.service_point.clone(), w.officer.clone())),
    })
}

async fn review_rows(state: &AppState, draft: &ApplicationDraft, lang: Lang, documents: &[DocumentRow]) -> Result<Vec<ReviewRow>, AppError> {
    let t = lang.texts();
    let a = &t.apply;
    let mut rows = Vec::new();
    let mut row = |step: Step, label: &str, value: String| rows.push(ReviewRow { step, label: label.to_string(), value });

    let who = draft.answers(Step::Who);
    match Who::parse(who) {
        Ok(Who::Myself) => row(Step::Who, a.review_for_whom, a.for_myself.to_string()),
        Ok(Who::SomeoneElse { applicant_name, relation, applicant_phone, consent }) => {
            row(Step::Who, a.review_for_whom, a.for_someone_else.to_string());
            row(Step::Who, a.applicant_name_label, applicant_name.as_str().to_string());
            row(Step::Who, a.relation_label, (a.relation)(relation).to_string());
            row(Step::Who, a.applicant_phone_label, applicant_phone.as_str().to_string());
            let consent = match consent {
                core::Consent::Given => a.consent_given.to_string(),
                core::Consent::CannotConsent(why) => format!("{}: {why}", a.consent_impossible),
            };
            row(Step::Who, a.consent_legend, consent);
        }
        Err(_) => row(Step::Who, a.review_for_whom, a.review_not_answered.to_string()),
    }
    let p = draft.answers(Step::Person);
    row(Step::Person, a.nik_label, field(p, "nik").to_string());
    row(Step::Person, a.name_label, field(p, "nama").to_string());
    row(Step::Person, a.birth_date_label, field(p, "tanggal_lahir").to_string());
    row(Step::Person, a.sex_legend, match field(p, "jenis_kelamin") { "L" => a.male, "P" => a.female, _ => "" }.to_string());
    row(Step::Person, a.phone_label, field(p, "telepon").to_string());
    row(Step::Person, a.email_label, field(p, "email").to_string());

    let address = draft.answers(Step::Address);
    let place = match RegionCode::parse(field(address, address_fields::VILLAGE)) {
        Ok(village) => super::db::regions::path_names(state.db.pool(), &village)
            .await
            .map_err(|e| AppError::internal(&e, "naming an address's regions"))?
            .join(", "),
        Err(_) => String::new(),
    };
    // As it will be recorded (RT/RW as three digits), not as typed.
    let line = match Address::parse(address) {
        Ok(parsed) => format!("{}, RT {} / RW {}, {place}", parsed.street, parsed.rt, parsed.rw),
        Err(_) => String::new(),
    };
    row(Step::Address, a.address_title, line);

    row(Step::Household, a.kk_label, field(draft.answers(Step::Household), household_fields::KK).to_string());
    let members = draft.members.iter().map(|m| format!("{} ({})", m.name.as_str(), (a.family_role)(m.role))).collect::<Vec<_>>();
    row(Step::Household, a.members_heading, if members.is_empty() { a.no_members.to_string() } else { members.join("; ") });

    let need = draft.answers(Step::Need);
    let pool = state.db.pool();
    let doing = "naming the need's program and category";
    let programs = super::catalogue::choices(pool, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let categories = super::catalogue::categories(pool, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let category = field(need, need_fields::CATEGORY).parse::<i64>().ok();
    row(Step::Need, a.category_label, categories.into_iter().find(|(c, _)| Some(*c) == category).map(|(_, n)| n).unwrap_or_default());
    let code = field(need, need_fields::PROGRAM);
    row(Step::Need, a.program_legend, programs.into_iter().find(|p| p.code == code).map(|p| p.name).unwrap_or_default());
    row(Step::Need, a.description_label, field(need, need_fields::DESCRIPTION).to_string());
    for d in documents {
        row(Step::Documents, (t.document)(d.kind), d.uploaded.clone().unwrap_or_else(|| a.document_not_uploaded.to_string()));
    }
    Ok(rows)
}

pub async fn start_page(program: Option<String>, lang: Lang) -> Result<StartPageData, AppError> {
    let (state, found) = load_in_server_fn().await?;
    let program = match program.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(code) => super::catalogue::choices(state.db.pool(), lang)
            .await
            .map_err(|e| AppError::internal(&e, "reading the linked program"))?
            .into_iter()
            .find(|p| p.code == code),
        None => None,
    };
    let resume = match found {
        Some((_, draft)) if draft.submitted.is_none() && !draft.answers.is_empty() => {
            Some(Step::ALL.into_iter().find(|s| !draft.answers.contains_key(s) && *s != Step::Documents).unwrap_or(Step::Review))
        }
        _ => None,
    };
    Ok(StartPageData { program, resume })
}

pub async fn confirmation(lang: Lang) -> Result<Option<ConfirmationData>, AppError> {
    let (state, found) = load_in_server_fn().await?;
    let Some((submitted, walk_in)) = found.and_then(|(_, d)| Some((d.submitted?, d.walk_in.is_some()))) else { return Ok(None) };
    let Some(receipt) =
        apps::receipt(state.db.pool(), &submitted.number).await.map_err(|e| AppError::internal(&e, "reading a receipt"))?
    else {
        return Ok(None);
    };
    let number = RegistrationNumber::parse(&receipt.registration_number)
        .map_err(|e| AppError::internal(&std::io::Error::other(e.to_string()), "reading a receipt"))?;
    let tracking_url = format!("{}/lacak?nomor={}", state.config.public_url, number.as_str());
    let qr_svg = qrcode::QrCode::with_error_correction_level(tracking_url.as_bytes(), qrcode::EcLevel::M)
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
        .map_err(|e| AppError::internal(&std::io::Error::other(e.to_string()), "drawing a QR code"))?;
    let pin = (submitted.pin_visible_until > super::db::now_utc()).then_some(submitted.pin);
    Ok(Some(ConfirmationData {
        number: number.display(),
        pin,
        program: lang.pick(receipt.program_name_id, receipt.program_name_en),
        submitted_on: crate::domain::date::office_date_text(&receipt.submitted_at, state.config.utc_offset_hours),
        decision_due: receipt.decision_due,
        qr_svg,
        tracking_url,
        walk_in,
    }))
}
