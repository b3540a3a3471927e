//! Tracking for residents: the number and PIN from the receipt open a one-hour view of that
//! one application; a wrong pair gets one answer that does not say which half was wrong, and
//! guessing is limited per number and per address.

use super::db::casework::{self, MoveConflict};
use super::db::tracking as db;
use super::state::AppState;
use super::token::SecretToken;
use crate::domain::date::{office_date_text, office_time};
use crate::api::tracking::*;
use crate::domain::apply::field;
use crate::domain::decision::Action;
use crate::domain::guessing::SecretKind;
use super::limits::Reserved;
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::{Move, Role, Status};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

pub const TRACKING_COOKIE: &str = "layan_lacak";


pub(crate) fn session_from(headers: &HeaderMap) -> Option<SecretToken> {
    crate::cookies::headers(headers).find_map(|h| crate::cookies::find(h, TRACKING_COOKIE)).and_then(SecretToken::parse)
}

use super::http::{internal_error as internal, plain_text as plain};

/// `POST /lacak`: the number and PIN from the receipt.
pub async fn look_up(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let address = super::http::client_address(&state, connection, &headers);
    let typed = field(&pairs, "nomor").trim().chars().take(32).collect::<String>();
    let pin = field(&pairs, "pin").trim().to_string();
    // A number that does not even read is counted under what was typed, like any miss.
    let number = RegistrationNumber::parse(&typed).map(|n| n.as_str().to_string()).unwrap_or_else(|_| typed.to_uppercase());
    let pool = state.db.pool();
    let refuse = |throttled: bool, status: StatusCode| {
        let refused = LookupRefused { number: typed.clone(), throttled };
        let (state, headers) = (state.clone(), headers.clone());
        async move { super::http::render_page(&state, &headers, "/lacak", refused, status).await }
    };
    // Counted before the PIN is checked, so simultaneous tries cannot all slip under the limit.
    let judged = match super::limits::reserve(pool, SecretKind::Pin, &number, &address).await {
        Ok(Reserved::Judge(judged)) => judged,
        Ok(Reserved::Refused { retry_after }) => {
            tracing::warn!("tracking lookup throttled");
            return super::http::with_retry_after(refuse(true, StatusCode::TOO_MANY_REQUESTS).await, retry_after);
        }
        Err(e) => return internal(&e, "counting tracking lookups", lang),
    };
    let found = match db::by_number(pool, &number).await {
        Ok(found) => found,
        Err(e) => return internal(&e, "looking up an application to track", lang),
    };
    // A PIN kept as an argon2 hash (from before PINs were sealed) may find the server busy.
    let key = &state.pin_key;
    let mut opened = None;
    let mut busy = false;
    if let Some((id, hash)) = &found {
        match key.matches(&pin, hash).await {
            Ok(true) => opened = Some((db::Opened { application_id: Some(*id), ..Default::default() }, "/lacak/permohonan")),
            Ok(false) => {}
            Err(_) => busy = true,
        }
    }
    // Complaints and disputes share the numbers' space and the form.
    if opened.is_none() && !busy {
        match super::db::complaints::by_number(pool, &number).await {
            Ok(Some((id, hash))) => match key.matches(&pin, &hash).await {
                Ok(true) => opened = Some((db::Opened { complaint_id: Some(id), ..Default::default() }, "/lacak/pengaduan")),
                Ok(false) => {}
                Err(_) => busy = true,
            },
            // Nothing by that number: the same work as a wrong PIN, so timing tells nothing.
            Ok(None) if found.is_none() => {
                let _ = key.matches(&pin, &key.seal("decoy")).await;
            }
            Ok(None) => {}
            Err(e) => return internal(&e, "looking up a complaint to track", lang),
        }
    }
    if busy {
        if let Err(e) = super::limits::withdraw(pool, judged).await {
            return internal(&e, "recording a tracking lookup", lang);
        }
        return super::http::busy(lang);
    }
    if let Err(e) = super::limits::settle(pool, judged, opened.is_some()).await {
        return internal(&e, "recording a tracking lookup", lang);
    }
    let Some((opened, page)) = opened else { return refuse(false, StatusCode::UNAUTHORIZED).await };
    match db::open_session(pool, &opened).await {
        Ok(token) => super::http::redirect_with_cookie(page, &session_cookie(&token)),
        Err(e) => internal(&e, "opening a tracking session", lang),
    }
}

/// Behind https the middleware adds `Secure` (the path keeps it from being `__Host-`).
fn session_cookie(token: &SecretToken) -> String {
    format!("{TRACKING_COOKIE}={}; Path=/lacak; Max-Age={}; SameSite=Strict; HttpOnly", token.as_str(), db::SESSION_SECONDS)
}

/// `POST /lacak/keluar`: this browser forgets the application (a shared phone).
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_from(&headers) {
        if let Err(e) = db::end_session(state.db.pool(), &token).await {
            AppError::internal(&e, "ending a tracking session");
        }
    }
    super::http::redirect_with_cookie("/lacak", &format!("{TRACKING_COOKIE}=; Path=/lacak; Max-Age=0; SameSite=Strict; HttpOnly"))
}

/// `POST /lacak/cabut`: the resident withdraws their open application, after confirming.
pub async fn withdraw(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let pool = state.db.pool();
    let application = match session_from(&headers) {
        Some(token) => match db::session_application(pool, &token).await {
            Ok(found) => found,
            Err(e) => return internal(&e, "reading a tracking session", lang),
        },
        None => None,
    };
    let Some(id) = application else { return Redirect::to("/lacak").into_response() };
    if field(&pairs, "yakin") != "ya" {
        return Redirect::to("/lacak/cabut").into_response();
    }
    let scope = match casework::scope(pool, id).await {
        Ok(Some(scope)) => scope,
        Ok(None) => return Redirect::to("/lacak").into_response(),
        Err(e) => return internal(&e, "reading an application to withdraw", lang),
    };
    let Some(from) = Status::from_slug(&scope.status) else {
        return internal(&std::io::Error::other("unknown status in the database"), "withdrawing", lang);
    };
    let Ok(to) = from.after(Move::Withdraw, Role::Resident) else {
        // Already decided or withdrawn (another tab, the office): show where it stands.
        return Redirect::to("/lacak/permohonan").into_response();
    };
    let today = super::db::office_today(state.config.utc_offset_hours);
    let action = match Action::parse(Move::Withdraw, &pairs, today, today) {
        Ok(action) => action,
        // Only a note that cannot be kept can fail here; withdraw without it.
        Err(_) => Action::Withdraw { note: None },
    };
    match casework::resident_move(pool, id, from, to, &action, state.config.utc_offset_hours).await {
        Ok(()) | Err(MoveConflict::StatusChanged) | Err(MoveConflict::ClaimedByOther) => {
            tracing::info!(application = id, "application withdrawn by the resident");
            Redirect::to("/lacak/permohonan").into_response()
        }
        Err(MoveConflict::Db(e)) => internal(&e, "withdrawing an application", lang),
    }
}

/// What the tracking pages show for the session in `headers`.
pub async fn page_data(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<TrackingOutcome, AppError> {
    let pool = state.db.pool();
    let doing = "showing a tracked application";
    let failed = |e: sqlx::Error| AppError::internal(&e, doing);
    let Some(token) = session_from(headers) else { return Ok(TrackingOutcome::NotOpen) };
    let Some(opened) = db::session(pool, &token).await.map_err(failed)? else { return Ok(TrackingOutcome::NotOpen) };
    let Some(id) = opened.application_id else { return Ok(TrackingOutcome::NotOpen) };
    let Some(row) = casework::find(pool, id).await.map_err(failed)? else { return Ok(TrackingOutcome::NotOpen) };
    let status = super::db::parse_column("status", Status::from_slug(&row.status).ok_or("unknown status")).map_err(failed)?;
    let offset = state.config.utc_offset_hours;
    let lines: Vec<TrackingLine> = casework::history(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|h| {
            let by = match h.actor.as_str() {
                "online" => TrackedActor::Online,
                "service_point" => TrackedActor::Counter,
                "resident" => TrackedActor::Resident,
                _ => TrackedActor::Office(h.actor_role.as_deref().and_then(Role::from_slug)),
            };
            let action = h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()).map(|a| match a {
                // The visit's findings are the assessor's working notes, not a message.
                Action::RecordAssessment { visit_date, recommendation, .. } => {
                    Action::RecordAssessment { visit_date, findings: String::new(), recommendation }
                }
                other => other,
            });
            Some(TrackingLine { at: office_time(&h.at, offset), status: Status::from_slug(&h.to_status)?, by, action })
        })
        .collect();
    let asked = if status == Status::NeedsCorrection {
        lines.iter().rev().find_map(|l| match &l.action {
            Some(Action::RequestCorrection { items, note, documents }) => Some((items.clone(), note.clone(), documents.clone())),
            _ => None,
        })
    } else {
        None
    };
    let correction = asked.as_ref().map(|(items, note, _)| (items.clone(), note.clone()));
    // Only the documents the verifier named may be replaced.
    let mut documents_to_replace = Vec::new();
    if let Some((items, _, named)) = &asked {
        let since = db::correction_asked_at(pool, id).await.map_err(failed)?.unwrap_or_default();
        let held: Vec<(crate::domain::DocumentKind, bool)> = db::documents(pool, id, &since)
            .await
            .map_err(failed)?
            .into_iter()
            .filter_map(|(kind, replaced)| Some((crate::domain::DocumentKind::from_slug(&kind)?, replaced)))
            .collect();
        let kinds: Vec<_> = held.iter().map(|(k, _)| *k).collect();
        let replaceable = crate::domain::correction::replaceable(items, named, &kinds);
        documents_to_replace = held.into_iter().filter(|(k, _)| replaceable.contains(k)).collect();
    }
    let fixable_here = correction.as_ref().is_some_and(|(items, _)| crate::domain::correction::fixable_online(items));
    let mut answers_to_fix = Vec::new();
    if let (Some((items, _)), true) = (&correction, fixable_here) {
        let since = db::correction_asked_at(pool, id).await.map_err(failed)?.unwrap_or_default();
        let fixed = db::answers_fixed_since(pool, id, &since).await.map_err(failed)?;
        for step in items.iter().filter(|s| **s != crate::domain::apply::Step::Documents) {
            let values: Vec<(String, String)> = crate::domain::correction::AnswerFix::fields(*step)
                .iter()
                .map(|name| {
                    let value = match *name {
                        "telepon" => row.phone.clone(),
                        "email" => row.email.clone().unwrap_or_default(),
                        "jalan" => row.street.clone(),
                        "rt" => row.rt.clone(),
                        "rw" => row.rw.clone(),
                        "uraian" => row.description.clone(),
                        _ => String::new(),
                    };
                    (name.to_string(), value)
                })
                .collect();
            answers_to_fix.push((*step, fixed.iter().any(|f| f == step.slug()), values));
        }
    }
    let dispute = super::complaints::dispute_view(state, id).await.map_err(failed)?;
    Ok(TrackingOutcome::Found(Box::new(TrackingData {
        number: RegistrationNumber::display_stored(row.registration_number),
        status,
        program: lang.pick(row.program_name_id, row.program_name_en),
        submitted_on: office_date_text(&row.submitted_at, state.config.utc_offset_hours),
        decision_due: row.decision_due,
        lines,
        correction,
        documents_to_replace,
        answers_to_fix,
        fixable_here,
        can_withdraw: status.after(Move::Withdraw, Role::Resident).is_ok(),
        dispute_until: match &dispute {
            Some(_) => None,
            None => super::complaints::dispute_until(state, id, status).await.map_err(failed)?.map(|d| d.to_string()),
        },
        dispute,
        from_list: opened.email.is_some(),
    })))
}

/// The application this request's tracking session opens, if it is waiting for the
/// resident's correction.
async fn awaiting_correction(state: &AppState, headers: &HeaderMap) -> Result<Option<i64>, sqlx::Error> {
    let pool = state.db.pool();
    let Some(token) = session_from(headers) else { return Ok(None) };
    let Some(id) = db::session_application(pool, &token).await? else { return Ok(None) };
    let scope = casework::scope(pool, id).await?;
    Ok(scope.filter(|s| s.status == Status::NeedsCorrection.slug()).map(|_| id))
}

fn refused_correction(state: &AppState, headers: &HeaderMap, field: String, problem: crate::domain::apply::Problem, status: StatusCode) -> impl Future<Output = Response> {
    refused_answers(state, headers, vec![(field, problem)], Vec::new(), status)
}

fn refused_answers(
    state: &AppState,
    headers: &HeaderMap,
    problems: Vec<(String, crate::domain::apply::Problem)>,
    values: Vec<(String, String)>,
    status: StatusCode,
) -> impl Future<Output = Response> {
    let (state, headers) = (state.clone(), headers.clone());
    async move { super::http::render_page(&state, &headers, "/lacak/permohonan", CorrectionRefused { problems, values }, status).await }
}

/// The parts the office's latest correction request asks for.
async fn asked_parts(pool: &sqlx::AnyPool, application_id: i64) -> Result<Vec<crate::domain::apply::Step>, sqlx::Error> {
    Ok(asked(pool, application_id).await?.0)
}

/// What the last correction request asked for: its parts and the documents it named.
async fn asked(
    pool: &sqlx::AnyPool,
    application_id: i64,
) -> Result<(Vec<crate::domain::apply::Step>, Vec<crate::domain::DocumentKind>), sqlx::Error> {
    Ok(casework::history(pool, application_id)
        .await?
        .into_iter()
        .rev()
        .find_map(|h| match h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()) {
            Some(Action::RequestCorrection { items, documents, .. }) => Some((items, documents)),
            _ => None,
        })
        .unwrap_or_default())
}

/// `POST /lacak/jawaban`: the fixed answers of one part the office asked to correct.
pub async fn fix_answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    use crate::domain::apply::Step;
    use crate::domain::correction::{AnswerFix, fixable_online};
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let id = match awaiting_correction(&state, &headers).await {
        Ok(Some(id)) => id,
        Ok(None) => return Redirect::to("/lacak/permohonan").into_response(),
        Err(e) => return internal(&e, "reading a tracking session", lang),
    };
    let pool = state.db.pool();
    // Only a part the office asked for, and only when the whole correction is online.
    let asked = match asked_parts(pool, id).await {
        Ok(asked) => asked,
        Err(e) => return internal(&e, "reading a correction request", lang),
    };
    let Some(step) = Step::from_slug(field(&pairs, "bagian")) else { return Redirect::to("/lacak/permohonan").into_response() };
    if !asked.contains(&step) || !fixable_online(&asked) {
        return Redirect::to("/lacak/permohonan").into_response();
    }
    let fix = match AnswerFix::parse(step, &pairs) {
        Some(Ok(fix)) => fix,
        Some(Err(problems)) => {
            let problems = problems.into_iter().map(|p| (p.field, p.problem)).collect();
            return refused_answers(&state, &headers, problems, pairs.clone(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        None => return Redirect::to("/lacak/permohonan").into_response(),
    };
    // The core's address check is what a browser can do; the server adds the full one.
    if let AnswerFix::Contact { email: Some(email), .. } = &fix {
        if !super::mail::deliverable(email) {
            let problems = vec![("email".to_string(), crate::domain::apply::Problem::EmailInvalid)];
            return refused_answers(&state, &headers, problems, pairs.clone(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    match db::fix_answer(pool, id, &fix).await {
        Ok(_) => {
            tracing::info!(application = id, part = step.slug(), "answers fixed by the resident");
            Redirect::to(&format!("/lacak/permohonan#perbaikan-{}", step.slug())).into_response()
        }
        Err(e) => internal(&e, "fixing an application's answers", lang),
    }
}

/// `POST /lacak/dokumen`: a replacement for one of the application's documents, while a
/// correction is asked for. The same checks as the application's uploads.
pub async fn replace_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use super::apply::{Received, receive_document};
    let lang = Lang::from_headers(&headers);
    let id = match awaiting_correction(&state, &headers).await {
        Ok(Some(id)) => id,
        Ok(None) => return Redirect::to("/lacak/permohonan").into_response(),
        Err(e) => return internal(&e, "reading a tracking session", lang),
    };
    let pool = state.db.pool();
    // Only what the verifier asked to replace, of what the application holds.
    let held: Vec<crate::domain::DocumentKind> = match db::documents(pool, id, "").await {
        Ok(found) => found.into_iter().filter_map(|(k, _)| crate::domain::DocumentKind::from_slug(&k)).collect(),
        Err(e) => return internal(&e, "reading an application's documents", lang),
    };
    let allowed = match asked(pool, id).await {
        Ok((items, named)) => crate::domain::correction::replaceable(&items, &named, &held),
        Err(e) => return internal(&e, "reading a correction request", lang),
    };
    let Ok(mut multipart) = multipart else {
        return refused_correction(&state, &headers, "berkas".into(), crate::domain::apply::Problem::FileMissing, StatusCode::BAD_REQUEST).await;
    };
    match receive_document(&state, &mut multipart, &allowed).await {
        Err(e) => internal(&e, "receiving a replacement document", lang),
        Ok(Received::Refused { status, problem, field }) => refused_correction(&state, &headers, field, problem, status).await,
        Ok(Received::File(kind, stored)) => match db::replace_document(pool, id, kind, &stored).await {
            Ok(superseded) => {
                // An earlier replacement of this correction; the original stays until the decision.
                for old in superseded {
                    state.storage.remove(&old).await;
                }
                tracing::info!(application = id, document = kind.slug(), "document replaced by the resident");
                Redirect::to("/lacak/permohonan#perbaikan").into_response()
            }
            Err(e) => {
                state.storage.remove(&stored.id).await;
                internal(&e, "recording a replacement document", lang)
            }
        },
    }
}

/// `POST /lacak/ajukan-ulang`: the corrected application goes back to the verifiers.
pub async fn resubmit(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let pool = state.db.pool();
    let id = match awaiting_correction(&state, &headers).await {
        Ok(Some(id)) => id,
        Ok(None) => return Redirect::to("/lacak/permohonan").into_response(),
        Err(e) => return internal(&e, "reading a tracking session", lang),
    };
    let since = match db::correction_asked_at(pool, id).await {
        Ok(at) => at.unwrap_or_default(),
        Err(e) => return internal(&e, "reading a correction request", lang),
    };
    let asked = match asked_parts(pool, id).await {
        Ok(asked) => asked,
        Err(e) => return internal(&e, "reading a correction request", lang),
    };
    if !crate::domain::correction::fixable_online(&asked) {
        return Redirect::to("/lacak/permohonan").into_response();
    }
    let replaced: Vec<String> = match db::documents(pool, id, &since).await {
        Ok(found) => found.into_iter().filter(|(_, r)| *r).map(|(k, _)| k).collect(),
        Err(e) => return internal(&e, "reading an application's documents", lang),
    };
    let fixed = match db::answers_fixed_since(pool, id, &since).await {
        Ok(fixed) => fixed,
        Err(e) => return internal(&e, "reading an application's fixed answers", lang),
    };
    // Every part asked for is done: a document replaced, each part's answers saved.
    let documents_done = !asked.contains(&crate::domain::apply::Step::Documents) || !replaced.is_empty();
    let answers_done = asked
        .iter()
        .filter(|s| **s != crate::domain::apply::Step::Documents)
        .all(|s| fixed.iter().any(|f| f == s.slug()));
    if !documents_done || !answers_done {
        return refused_correction(&state, &headers, "kirim-perbaikan".into(), crate::domain::apply::Problem::StepIncomplete, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let k = Lang::Id.tracking();
    let t = Lang::Id.texts();
    let mut notes = Vec::new();
    if !replaced.is_empty() {
        let names = replaced.iter().filter_map(|k| crate::domain::DocumentKind::from_slug(k)).map(|k| (t.document)(k)).collect::<Vec<_>>().join(", ");
        notes.push(format!("{}: {names}", k.replaced_note));
    }
    let answers: Vec<&str> = asked
        .iter()
        .filter(|s| **s != crate::domain::apply::Step::Documents)
        .map(|s| (t.apply.step_title)(*s))
        .collect();
    if !answers.is_empty() {
        notes.push(format!("{}: {}", k.answers_fixed_note, answers.join(", ")));
    }
    let action = Action::Resubmit { note: notes.join(". ") };
    let Ok(to) = Status::NeedsCorrection.after(Move::Resubmit, Role::Resident) else {
        return Redirect::to("/lacak/permohonan").into_response();
    };
    match casework::resident_move(pool, id, Status::NeedsCorrection, to, &action, state.config.utc_offset_hours).await {
        Ok(()) | Err(MoveConflict::StatusChanged) | Err(MoveConflict::ClaimedByOther) => {
            tracing::info!(application = id, "correction sent back by the resident");
            Redirect::to("/lacak/permohonan").into_response()
        }
        Err(MoveConflict::Db(e)) => internal(&e, "resubmitting a corrected application", lang),
    }
}

/// `POST /lacak/email`: a sign-in link for every application and complaint of an email
/// address. The answer is the same whether or not the address is known, so the form cannot
/// be used to learn who applied.
pub async fn ask_link(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    use crate::domain::complaint::ComplaintProblem;
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let typed = field(&pairs, "email").trim().chars().take(254).collect::<String>();
    let answer = |problem: Option<ComplaintProblem>, throttled: bool, status: StatusCode| {
        let asked = crate::api::complaints::LinkAsked { email: typed.clone(), problem, throttled };
        let (state, headers) = (state.clone(), headers.clone());
        async move { super::http::render_page(&state, &headers, "/lacak/email", asked, status).await }
    };
    let email = match crate::domain::person::EmailAddress::parse(&typed) {
        Ok(e) if super::mail::deliverable(e.as_str()) => e.as_str().to_lowercase(),
        _ => return answer(Some(ComplaintProblem::EmailInvalid), false, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let address = super::http::client_address(&state, connection, &headers);
    let pool = state.db.pool();
    // Each request counts against the address's budget, so one machine cannot send links to
    // a thousand inboxes, and against the inbox's, known or not, so the answer (429 on the
    // fourth request) never tells whether anyone applied with that address.
    match super::limits::reserve(pool, SecretKind::Link, &super::limits::email_subject(&email), &address).await {
        Ok(Reserved::Judge(request)) => {
            if let Err(e) = super::limits::settle(pool, request, false).await {
                return internal(&e, "recording a sign-in link request", lang);
            }
        }
        Ok(Reserved::Refused { retry_after }) => {
            tracing::warn!("sign-in link requests throttled");
            return super::http::with_retry_after(answer(None, true, StatusCode::TOO_MANY_REQUESTS).await, retry_after);
        }
        Err(e) => return internal(&e, "counting sign-in links", lang),
    }
    match db::email_known(pool, &email).await {
        Ok(true) => {
            let queued = async {
                let token = db::create_link(pool, &email).await?;
                let message = super::db::outbox::NewMessage {
                    key: format!("sign_in:{}", token.hash()),
                    kind: super::db::outbox::Kind::SignIn,
                    application_id: None,
                    complaint_id: None,
                    recipient: &email,
                    event: "sign_in",
                    details: Some(token.as_str()),
                };
                super::db::outbox::put(pool, &message).await
            };
            if let Err(e) = queued.await {
                return internal(&e, "queueing a sign-in link", lang);
            }
            tracing::info!("sign-in link queued");
        }
        Ok(false) => {}
        Err(e) => return internal(&e, "looking up an email address", lang),
    }
    answer(None, false, StatusCode::OK).await
}

/// `POST /lacak/email/masuk`: uses a sign-in link (once) and opens the list of that address.
/// The link itself opens a page with this button, so a mail scanner that fetches links
/// does not use it up.
pub async fn use_link(State(state): State<AppState>, headers: HeaderMap, form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>) -> Response {
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let pool = state.db.pool();
    let email = match SecretToken::parse(field(&pairs, "token")) {
        Some(token) => match db::use_link(pool, &token).await {
            Ok(found) => found,
            Err(e) => return internal(&e, "using a sign-in link", lang),
        },
        None => None,
    };
    let Some(email) = email else { return Redirect::to("/lacak/email?kedaluwarsa=1").into_response() };
    match db::open_session(pool, &db::Opened { email: Some(email), ..Default::default() }).await {
        Ok(token) => super::http::redirect_with_cookie("/lacak/daftar", &session_cookie(&token)),
        Err(e) => internal(&e, "opening a tracking session", lang),
    }
}

/// `POST /lacak/buka`: from the list of an email session, open one application or complaint
/// of that address.
pub async fn open_item(State(state): State<AppState>, headers: HeaderMap, form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>) -> Response {
    let lang = Lang::from_headers(&headers);
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let pool = state.db.pool();
    let Some(token) = session_from(&headers) else { return Redirect::to("/lacak").into_response() };
    let email = match db::session(pool, &token).await {
        Ok(found) => found.and_then(|o| o.email),
        Err(e) => return internal(&e, "reading a tracking session", lang),
    };
    let Some(email) = email else { return Redirect::to("/lacak").into_response() };
    let application = field(&pairs, "permohonan").parse::<i64>().ok();
    let complaint = field(&pairs, "pengaduan").parse::<i64>().ok();
    let owned = match (application, complaint) {
        (Some(id), _) => db::applications_of(pool, &email).await.map(|list| list.iter().any(|a| a.0 == id).then_some((Some(id), None))),
        (None, Some(id)) => db::complaints_of(pool, &email).await.map(|list| list.iter().any(|c| c.0 == id).then_some((None, Some(id)))),
        (None, None) => Ok(None),
    };
    let target = match owned {
        Ok(Some(target)) => target,
        // Not this address's: back to its own list.
        Ok(None) => return Redirect::to("/lacak/daftar").into_response(),
        Err(e) => return internal(&e, "checking an email session's list", lang),
    };
    if let Err(e) = db::focus(pool, &token, target.0, target.1).await {
        return internal(&e, "opening an item of an email session", lang);
    }
    Redirect::to(if target.0.is_some() { "/lacak/permohonan" } else { "/lacak/pengaduan" }).into_response()
}

/// The list an email session opens.
pub async fn email_list(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<crate::api::complaints::EmailListOutcome, AppError> {
    use crate::api::complaints::*;
    use crate::domain::complaint::{ComplaintKind, ComplaintStatus};
    let pool = state.db.pool();
    let failed = |e: sqlx::Error| AppError::internal(&e, "listing an email's applications");
    let Some(token) = session_from(headers) else { return Ok(EmailListOutcome::NotOpen) };
    let Some(email) = db::session(pool, &token).await.map_err(failed)?.and_then(|o| o.email) else {
        return Ok(EmailListOutcome::NotOpen);
    };
    let offset = state.config.utc_offset_hours;
    let day = |at: &str| office_date_text(at, offset);
    let applications = db::applications_of(pool, &email)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|(id, number, status, name_id, name_en, submitted)| {
            Some(ListedApplication {
                id,
                number: RegistrationNumber::display_stored(number),
                status: Status::from_slug(&status)?,
                program: lang.pick(name_id, name_en),
                submitted_on: day(&submitted),
            })
        })
        .collect();
    let complaints = db::complaints_of(pool, &email)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|(id, number, kind, status, received)| {
            Some(ListedComplaint {
                id,
                number: RegistrationNumber::display_stored(number),
                kind: ComplaintKind::from_slug(&kind)?,
                status: ComplaintStatus::from_slug(&status)?,
                received_on: day(&received),
            })
        })
        .collect();
    Ok(EmailListOutcome::Found(EmailList { applications, complaints }))
}
