//! The resident's side of a correction request: the answers and documents the office asked
//! for, fixed from the tracking page, then the application sent back to the verifiers.

use super::Tracked;
use crate::api::tracking::CorrectionRefused;
use crate::domain::DocumentKind;
use crate::domain::apply::{Problem, Step, field};
use crate::domain::person::PersonField;
use crate::domain::correction::{AnswerFix, fixable_online, replaceable};
use crate::domain::decision::Action;
use crate::server::db::casework::{self, MoveConflict};
use crate::server::db::tracking as db;
use crate::server::refusal::{Context as _, FormPairs, Refusal};
use crate::server::state::AppState;
use crate::server::{http, mail};
use crate::domain::workflow::{Move, Role, Status};
use crate::i18n::Lang;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The tracked application, while it waits for the resident's correction; otherwise back to
/// its page, which says where it stands.
pub struct AwaitingCorrection(pub i64);

impl FromRequestParts<AppState> for AwaitingCorrection {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let back = Refusal::SeeOther("/lacak/permohonan");
        let tracked = Tracked::from_request_parts(parts, state).await.map_err(|_| back.clone())?;
        let id = tracked.opened.application_id.ok_or(back.clone())?;
        let scope = casework::scope(state.db.pool(), id).await.context("reading a tracking session")?;
        scope.filter(|s| s.status == Status::NeedsCorrection.slug()).map(|_| AwaitingCorrection(id)).ok_or(back)
    }
}

fn refused_correction(state: &AppState, headers: &HeaderMap, field: String, problem: Problem, status: StatusCode) -> impl Future<Output = Response> {
    refused_answers(state, headers, vec![(field, problem)], Vec::new(), status)
}

/// The tracking page again, with what was typed and what is wrong.
fn refused_answers(
    state: &AppState,
    headers: &HeaderMap,
    problems: Vec<(String, Problem)>,
    values: Vec<(String, String)>,
    status: StatusCode,
) -> impl Future<Output = Response> {
    let (state, headers) = (state.clone(), headers.clone());
    async move { http::render_page(&state, &headers, "/lacak/permohonan", CorrectionRefused { problems, values }, status).await }
}

/// What the last correction request asked for: its parts and the documents it named.
async fn asked(pool: &sqlx::AnyPool, application_id: i64) -> Result<(Vec<Step>, Vec<DocumentKind>), Refusal> {
    Ok(casework::history(pool, application_id)
        .await
        .context("reading a correction request")?
        .into_iter()
        .rev()
        .find_map(|h| match h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()) {
            Some(Action::RequestCorrection { items, documents, .. }) => Some((items, documents)),
            _ => None,
        })
        .unwrap_or_default())
}

fn back() -> Response {
    Redirect::to("/lacak/permohonan").into_response()
}

/// `POST /lacak/jawaban`: the fixed answers of one part the office asked to correct.
pub async fn fix_answer(
    State(state): State<AppState>,
    AwaitingCorrection(id): AwaitingCorrection,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    // Only a part the office asked for, and only when the whole correction is online.
    let (asked, _) = asked(pool, id).await?;
    let Some(step) = Step::from_slug(field(&pairs, "bagian")) else { return Ok(back()) };
    if !asked.contains(&step) || !fixable_online(&asked) {
        return Ok(back());
    }
    let fix = match AnswerFix::parse(step, &pairs) {
        Some(Ok(fix)) => fix,
        Some(Err(problems)) => {
            let problems = problems.into_iter().map(|p| (p.field, p.problem)).collect();
            return Ok(refused_answers(&state, &headers, problems, pairs.clone(), StatusCode::UNPROCESSABLE_ENTITY).await);
        }
        None => return Ok(back()),
    };
    // The core's address check is what a browser can do; the server adds the full one.
    if let AnswerFix::Contact { email: Some(email), .. } = &fix {
        if !mail::deliverable(email) {
            let problems = vec![(PersonField::Email.name().to_string(), Problem::EmailInvalid)];
            return Ok(refused_answers(&state, &headers, problems, pairs.clone(), StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    }
    db::fix_answer(pool, id, &fix).await.context("fixing an application's answers")?;
    tracing::info!(application = id, part = step.slug(), "answers fixed by the resident");
    Ok(Redirect::to(&format!("/lacak/permohonan#perbaikan-{}", step.slug())).into_response())
}

/// `POST /lacak/dokumen`: a replacement for one of the application's documents, while a
/// correction is asked for. The same checks as the application's uploads.
pub async fn replace_document(
    State(state): State<AppState>,
    AwaitingCorrection(id): AwaitingCorrection,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Refusal> {
    use crate::server::storage::Received;
    let pool = state.db.pool();
    // Only what the verifier asked to replace, of what the application holds.
    let held: Vec<DocumentKind> = db::documents(pool, id, "")
        .await
        .context("reading an application's documents")?
        .into_iter()
        .filter_map(|(k, _)| DocumentKind::from_slug(&k))
        .collect();
    let (items, named) = asked(pool, id).await?;
    let allowed = replaceable(&items, &named, &held);
    let Ok(mut multipart) = multipart else {
        return Ok(refused_correction(&state, &headers, "berkas".into(), Problem::FileMissing, StatusCode::BAD_REQUEST).await);
    };
    match state.storage.receive_document(&mut multipart, &allowed).await.context("receiving a replacement document")? {
        Received::Refused { status, problem, field } => Ok(refused_correction(&state, &headers, field, problem, status).await),
        Received::File(kind, stored) => match db::replace_document(pool, id, kind, &stored).await {
            Ok(superseded) => {
                // An earlier replacement of this correction; the original stays until the decision.
                for old in superseded {
                    state.storage.remove(&old).await;
                }
                tracing::info!(application = id, document = kind.slug(), "document replaced by the resident");
                Ok(Redirect::to("/lacak/permohonan#perbaikan").into_response())
            }
            Err(e) => {
                state.storage.remove(&stored.id).await;
                Err(Refusal::internal(&e, "recording a replacement document"))
            }
        },
    }
}

/// `POST /lacak/ajukan-ulang`: the corrected application goes back to the verifiers.
pub async fn resubmit(State(state): State<AppState>, AwaitingCorrection(id): AwaitingCorrection, headers: HeaderMap) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let since = db::correction_asked_at(pool, id).await.context("reading a correction request")?.unwrap_or_default();
    let (asked, _) = asked(pool, id).await?;
    if !fixable_online(&asked) {
        return Ok(back());
    }
    let replaced: Vec<String> = db::documents(pool, id, &since)
        .await
        .context("reading an application's documents")?
        .into_iter()
        .filter(|(_, r)| *r)
        .map(|(k, _)| k)
        .collect();
    let fixed = db::answers_fixed_since(pool, id, &since).await.context("reading an application's fixed answers")?;
    // Every part asked for is done: a document replaced, each part's answers saved.
    let documents_done = !asked.contains(&Step::Documents) || !replaced.is_empty();
    let answers_done = asked.iter().filter(|s| **s != Step::Documents).all(|s| fixed.iter().any(|f| f == s.slug()));
    if !documents_done || !answers_done {
        return Ok(refused_correction(&state, &headers, "kirim-perbaikan".into(), Problem::StepIncomplete, StatusCode::UNPROCESSABLE_ENTITY).await);
    }
    // The history line is the office's record: in the office's language.
    let k = Lang::Id.tracking();
    let t = Lang::Id.texts();
    let mut notes = Vec::new();
    if !replaced.is_empty() {
        let names = replaced.iter().filter_map(|k| DocumentKind::from_slug(k)).map(|k| (t.document)(k)).collect::<Vec<_>>().join(", ");
        notes.push(format!("{}: {names}", k.replaced_note));
    }
    let answers: Vec<&str> = asked.iter().filter(|s| **s != Step::Documents).map(|s| (t.apply.step_title)(*s)).collect();
    if !answers.is_empty() {
        notes.push(format!("{}: {}", k.answers_fixed_note, answers.join(", ")));
    }
    let action = Action::Resubmit { note: notes.join(". ") };
    let Ok(to) = Status::NeedsCorrection.after(Move::Resubmit, Role::Resident) else { return Ok(back()) };
    match casework::resident_move(pool, id, Status::NeedsCorrection, to, &action, state.config.utc_offset_hours).await {
        Ok(()) | Err(MoveConflict::StatusChanged) | Err(MoveConflict::ClaimedByOther) => {
            tracing::info!(application = id, "correction sent back by the resident");
            Ok(back())
        }
        Err(MoveConflict::Db(e)) => Err(Refusal::internal(&e, "resubmitting a corrected application")),
    }
}
