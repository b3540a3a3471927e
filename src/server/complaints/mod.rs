//! Complaints and disputes, the residents' side: the public form and its receipt, a dispute
//! from tracking, following a complaint by number and PIN. The staff's side (list, case
//! page, replies, files) is in `staff`.
//!
//! Like application moves, each entry point checks who is calling itself; the core parses
//! what was sent; the write holds only while the complaint's status is unchanged.

mod staff;

pub use staff::{answer, case, file, list, open_count, reply};

use super::db::complaints::{self as db, InsertError, NewComplaintRow};
use super::tracking::Tracked;
use super::refusal::{Context as _, Refusal};
use super::state::AppState;
use super::storage::WithPhoto as Received;
use super::token::SecretToken;
use crate::api::complaints::*;
use crate::domain::date::{office_date_text, office_time};
use crate::domain::Date;
use crate::domain::apply::{Problem, field};
use crate::domain::complaint::{self as core, About, ComplaintKind, ComplaintProblem, ComplaintStatus, NewComplaint};
use crate::domain::registration::{RegistrationNumber, TrackingPin};
use crate::domain::workflow::{Role, Status};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// Holds the public form's one-time key after sending, so the receipt (with the PIN) can be
/// shown again on a refresh for an hour, in this browser only.
pub const RECEIPT_COOKIE: &str = "layan_pengaduan";
const RECEIPT_SECONDS: i64 = 60 * 60;

fn today(state: &AppState) -> Date {
    super::db::office_today(state.config.utc_offset_hours)
}

async fn due_date(state: &AppState, kind: ComplaintKind) -> Result<String, sqlx::Error> {
    let today = today(state);
    let holidays = super::db::applications::holidays_from(state.db.pool(), today).await?;
    Ok(kind.answer_within().after(today, &holidays).to_string())
}

/// What the public form page needs.
pub async fn form_data(state: &AppState) -> Result<ComplaintFormData, AppError> {
    let service_points = db::service_points(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing service points"))?;
    Ok(ComplaintFormData { service_points, key: SecretToken::generate().as_str().to_string() })
}

/// What became of a form with a photo: the photo is kept only when the row naming it was
/// written; every other answer (a refusal, a double tap, a failure) lets it go.
enum Filed {
    Kept(Response),
    Dropped(Response),
}

/// Runs `file` on the received form and removes the photo unless it was kept.
async fn keeping_photo_only_if_filed(state: &AppState, received: Received, file: impl AsyncFnOnce(Received) -> Result<Filed, Refusal>) -> Result<Response, Refusal> {
    let photo = received.photo.as_ref().map(|p| p.id.clone());
    let filed = file(received).await;
    if !matches!(filed, Ok(Filed::Kept(_))) {
        if let Some(id) = photo {
            state.storage.remove(&id).await;
        }
    }
    filed.map(|(Filed::Kept(r) | Filed::Dropped(r))| r)
}

/// `POST /pengaduan`: a question, suggestion or complaint from anyone.
pub async fn submit(
    State(state): State<AppState>,
    connection: super::http::Peer,
    lang: Lang,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Refusal> {
    let mut multipart = multipart.map_err(|_| Refusal::BadForm)?;
    // Counted before the photo is read: a flood from one address stores nothing.
    let address = super::http::client_address(&state, connection, &headers);
    if let Some(retry_after) = super::limits::take(state.db.pool(), crate::domain::guessing::Write::Complaint, &address).await.context("counting complaints")? {
        tracing::warn!("complaints throttled for an address");
        return Ok(super::http::too_many_writes(lang, retry_after));
    }
    let received = state.storage.receive_with_photo(&mut multipart, core::fields::PHOTO).await.context("storing a complaint's photo")?;
    keeping_photo_only_if_filed(&state, received, async |received| file_complaint(&state, &headers, received).await).await
}

async fn file_complaint(state: &AppState, headers: &HeaderMap, received: Received) -> Result<Filed, Refusal> {
    let Received { pairs, photo, photo_problem } = received;
    let pool = state.db.pool();
    let refuse = |problems: Vec<(String, ComplaintProblem)>, photo_problem: Option<(StatusCode, Problem)>| {
        let status = photo_problem.map(|(s, _)| s).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        let refused = ComplaintRefused { values: pairs.clone(), problems, photo: photo_problem.map(|(_, p)| p) };
        async move { Ok(Filed::Dropped(super::http::render_page(state, headers, "/pengaduan", refused, status).await)) }
    };
    let parsed = NewComplaint::parse(&pairs);
    let mut problems: Vec<(String, ComplaintProblem)> = match &parsed {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(|(f, p)| (f.to_string(), *p)).collect(),
    };
    // The core's address check is what a browser can do; the server adds the full one.
    if let Ok(complaint) = &parsed {
        if complaint.email.as_ref().is_some_and(|e| !super::mail::deliverable(e.as_str())) {
            problems.push((core::fields::EMAIL.into(), ComplaintProblem::EmailInvalid));
        }
    }
    let mut scope: (Option<i64>, Option<i64>, Option<String>, Option<String>) = (None, None, None, None);
    let mut stated_number = None;
    if let (Ok(complaint), true) = (&parsed, problems.is_empty()) {
        match &complaint.about {
            About::Application(number) => {
                match db::application_area(pool, number.as_str()).await.context("finding the application a complaint is about")? {
                    Some((id, regency, district)) => scope = (Some(id), None, Some(regency), Some(district)),
                    // Kept as a general complaint with the number as typed: refusing it would
                    // tell anyone whether a number exists. Staff see that no application has it.
                    None => stated_number = Some(number.as_str().to_string()),
                }
            }
            About::ServicePoint(id) => {
                match db::service_point_area(pool, *id).await.context("finding the service point a complaint is about")? {
                    Some((regency, district)) => scope = (None, Some(*id), Some(regency), Some(district)),
                    None => problems.push((core::fields::SERVICE_POINT.into(), ComplaintProblem::ServicePointMissing)),
                }
            }
            About::General => {}
        }
    }
    let complaint = match parsed {
        Ok(c) if problems.is_empty() && photo_problem.is_none() => c,
        _ => return refuse(problems, photo_problem).await,
    };
    // The form's key makes a double tap find the complaint it made; a missing or forged key
    // gets a fresh one (no double-tap guard, nothing worse).
    let key = SecretToken::parse(field(&pairs, "kunci")).unwrap_or_else(SecretToken::generate);
    let due = due_date(state, complaint.kind).await.context("reading holidays")?;
    let pin = TrackingPin::from_random(rand::random());
    let pin_hash = state.pin_key.seal(pin.as_str());
    let (application_id, service_point_id, regency_code, district_code) = scope;
    let mut row = NewComplaintRow {
        number: String::new(),
        pin_hash,
        kind: complaint.kind,
        application_id,
        stated_number,
        service_point_id,
        regency_code,
        district_code,
        name: complaint.name.map(|n| n.as_str().to_string()),
        email: complaint.email.map(|e| e.as_str().to_string()),
        phone: complaint.phone.map(|p| p.as_str().to_string()),
        message: complaint.message.as_str().to_string(),
        due,
        receipt: Some((key.hash(), pin.as_str().to_string(), super::db::utc_in(RECEIPT_SECONDS))),
        files: photo.iter().cloned().collect(),
    };
    let cookie = format!("{RECEIPT_COOKIE}={}; Path=/pengaduan; Max-Age={RECEIPT_SECONDS}; SameSite=Strict; HttpOnly", key.as_str());
    let receipt = || super::http::redirect_with_cookie("/pengaduan/terkirim", &cookie);
    for _ in 0..3 {
        row.number = fresh_number();
        match db::insert(pool, &row, state.config.utc_offset_hours).await {
            Ok(_) => {
                tracing::info!(kind = row.kind.slug(), "complaint received");
                return Ok(Filed::Kept(receipt()));
            }
            Err(InsertError::AlreadyReceived(_)) => return Ok(Filed::Dropped(receipt())),
            Err(InsertError::Db(sqlx::Error::Database(d))) if d.is_unique_violation() => continue,
            Err(InsertError::Db(e)) => return Err(Refusal::internal(&e, "recording a complaint")),
            Err(InsertError::DisputeOpen) => break,
        }
    }
    Err(Refusal::internal(&std::io::Error::other("three complaint numbers clashed"), "recording a complaint"))
}

/// A number from the same space as registration numbers: a resident types either into
/// the one tracking form.
fn fresh_number() -> String {
    RegistrationNumber::from_random(rand::random()).as_str().to_string()
}

/// The receipt page's data: the complaint this browser just sent, while its PIN may show.
pub async fn receipt(state: &AppState, headers: &HeaderMap) -> Result<ReceiptOutcome, AppError> {
    let key = crate::cookies::headers(headers).find_map(|h| crate::cookies::find(h, RECEIPT_COOKIE)).and_then(SecretToken::parse);
    let Some(key) = key else { return Ok(ReceiptOutcome::Gone) };
    match db::receipt(state.db.pool(), &key.hash()).await.map_err(|e| AppError::internal(&e, "showing a complaint's receipt"))? {
        Some((number, pin, kind, due)) => Ok(ReceiptOutcome::Shown {
            number: RegistrationNumber::display_stored(number),
            pin,
            kind: ComplaintKind::from_slug(&kind).unwrap_or(ComplaintKind::Complaint),
            due,
        }),
        None => Ok(ReceiptOutcome::Gone),
    }
}

/// A complaint's lines as the resident reads them: staff by role only.
fn resident_lines(lines: Vec<db::ComplaintLine>, offset: i64) -> Vec<ComplaintLineView> {
    lines
        .into_iter()
        .filter_map(|l| {
            Some(ComplaintLineView {
                at: office_time(&l.at, offset),
                status: ComplaintStatus::from_slug(&l.to_status)?,
                by: (l.actor == "staff").then(|| l.actor_role.as_deref().and_then(Role::from_slug)),
                // The resident's own first message is shown above the timeline.
                message: if l.actor == "staff" { l.message } else { None },
            })
        })
        .collect()
}

/// The complaint this browser's tracking session opens.
pub async fn tracked(state: &AppState, headers: &HeaderMap) -> Result<ComplaintTrackingOutcome, AppError> {
    let pool = state.db.pool();
    let failed = |e: sqlx::Error| AppError::internal(&e, "showing a tracked complaint");
    let Some(token) = super::tracking::session_from(headers) else { return Ok(ComplaintTrackingOutcome::NotOpen) };
    let Some(opened) = super::db::tracking::session(pool, &token).await.map_err(failed)? else { return Ok(ComplaintTrackingOutcome::NotOpen) };
    let Some(id) = opened.complaint_id else { return Ok(ComplaintTrackingOutcome::NotOpen) };
    let Some(row) = db::find(pool, id).await.map_err(failed)? else { return Ok(ComplaintTrackingOutcome::NotOpen) };
    let offset = state.config.utc_offset_hours;
    let lines = resident_lines(db::history(pool, id).await.map_err(failed)?, offset);
    Ok(ComplaintTrackingOutcome::Found(Box::new(TrackedComplaint {
        number: RegistrationNumber::display_stored(row.number),
        kind: ComplaintKind::from_slug(&row.kind).unwrap_or(ComplaintKind::Complaint),
        status: ComplaintStatus::from_slug(&row.status).unwrap_or(ComplaintStatus::Received),
        received_on: office_date_text(&row.received_at, offset),
        due: row.due,
        application: row.application_number.map(|n| RegistrationNumber::display_stored(n)),
        service_point: row.service_point_name,
        message: row.message,
        lines,
        from_list: opened.email.is_some(),
    })))
}

/// The dispute of an application, as its tracking page shows it: the open one, or else
/// the latest.
pub async fn dispute_view(state: &AppState, application_id: i64) -> Result<Option<DisputeView>, sqlx::Error> {
    let pool = state.db.pool();
    let Some((id, _, _)) = db::disputes_of(pool, application_id).await?.into_iter().next() else { return Ok(None) };
    let Some(row) = db::find(pool, id).await? else { return Ok(None) };
    let lines = resident_lines(db::history(pool, id).await?, state.config.utc_offset_hours);
    Ok(Some(DisputeView {
        number: RegistrationNumber::display_stored(row.number),
        status: ComplaintStatus::from_slug(&row.status).unwrap_or(ComplaintStatus::Received),
        due: row.due,
        lines,
    }))
}

/// The last day the application's decision may be disputed, if it is decided, disputable
/// and that day has not passed.
pub async fn dispute_until(state: &AppState, application_id: i64, status: Status) -> Result<Option<Date>, sqlx::Error> {
    if !core::disputable(status) {
        return Ok(None);
    }
    let Some(at) = db::decided_at(state.db.pool(), application_id).await? else { return Ok(None) };
    let Some(decided_on) = crate::domain::date::office_day(&at, state.config.utc_offset_hours) else { return Ok(None) };
    let until = core::dispute_until(decided_on);
    Ok((today(state) <= until).then_some(until))
}

/// `POST /lacak/sanggah`: the resident disputes the decision, within 14 days, with a reason
/// and perhaps a photo. The dispute takes the application's PIN and email.
pub async fn dispute(
    State(state): State<AppState>,
    tracked: Tracked,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    let mut multipart = multipart.map_err(|_| Refusal::BadForm)?;
    let received = state.storage.receive_with_photo(&mut multipart, core::fields::PHOTO).await.context("storing a complaint's photo")?;
    keeping_photo_only_if_filed(&state, received, async |received| file_dispute(&state, &headers, id, received).await).await
}

async fn file_dispute(state: &AppState, headers: &HeaderMap, id: i64, received: Received) -> Result<Filed, Refusal> {
    let Received { pairs, photo, photo_problem } = received;
    let pool = state.db.pool();
    let Some(target) = db::dispute_target(pool, id).await.context("reading an application to dispute")? else {
        return Ok(Filed::Dropped(Redirect::to("/lacak").into_response()));
    };
    let where_it_stands = || Ok(Filed::Dropped(Redirect::to("/lacak/permohonan#sanggah").into_response()));
    // One dispute per decision, within its window.
    let earlier = db::disputes_of(pool, id).await.context("checking whether a decision may be disputed")?;
    let open = match Status::from_slug(&target.status) {
        Some(status) if earlier.is_empty() => {
            dispute_until(state, id, status).await.context("checking whether a decision may be disputed")?.is_some()
        }
        _ => false,
    };
    // Past the window, not decided, or already disputed: the page says where it stands.
    if !open {
        return where_it_stands();
    }
    let reason = match core::parse_dispute(&pairs) {
        Ok(reason) if photo_problem.is_none() => reason,
        reason => {
            let problems = reason.err().unwrap_or_default().into_iter().map(|(f, p)| (f.to_string(), p)).collect();
            let status = photo_problem.map(|(s, _)| s).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let refused = ComplaintRefused { values: pairs.clone(), problems, photo: photo_problem.map(|(_, p)| p) };
            return Ok(Filed::Dropped(super::http::render_page(state, headers, "/lacak/permohonan", refused, status).await));
        }
    };
    let due = due_date(state, ComplaintKind::Dispute).await.context("reading holidays")?;
    let mut row = NewComplaintRow {
        number: String::new(),
        pin_hash: target.pin_hash,
        kind: ComplaintKind::Dispute,
        application_id: Some(id),
        stated_number: None,
        service_point_id: None,
        regency_code: Some(target.regency_code),
        district_code: Some(target.district_code),
        name: None,
        email: target.email,
        phone: None,
        message: reason.as_str().to_string(),
        due,
        receipt: None,
        files: photo.iter().cloned().collect(),
    };
    for _ in 0..3 {
        row.number = fresh_number();
        match db::insert(pool, &row, state.config.utc_offset_hours).await {
            Ok(_) => {
                tracing::info!(application = id, "decision disputed by the resident");
                return Ok(Filed::Kept(Redirect::to("/lacak/permohonan#sanggah").into_response()));
            }
            // A second tap, or another tab: the first dispute stands.
            Err(InsertError::DisputeOpen) | Err(InsertError::AlreadyReceived(_)) => return where_it_stands(),
            Err(InsertError::Db(sqlx::Error::Database(d))) if d.is_unique_violation() => continue,
            Err(InsertError::Db(e)) => return Err(Refusal::internal(&e, "recording a dispute")),
        }
    }
    Err(Refusal::internal(&std::io::Error::other("three complaint numbers clashed"), "recording a dispute"))
}

