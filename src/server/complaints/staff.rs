//! Complaints, the staff's side: the list and case page of those the caller's roles answer
//! in their areas (every opening logged), replies, and the files sent with a complaint.

use crate::server::auth::StaffMember;
use crate::server::db::complaints::{self as db, ListScope, ReplyConflict};
use crate::server::refusal::{Context as _, Declined, FormPairs, Refusal};
use crate::api::casework::Replied;
use crate::domain::complaint::{ReplyForm, ReplyProblem};
use crate::error::Refused;
use crate::server::state::AppState;
use crate::api::complaints::*;
use crate::domain::date::{office_date_text, office_time};
use crate::domain::complaint::{self as core, ComplaintKind, ComplaintProblem, ComplaintStatus, ComplaintTab};
use crate::domain::document::{FileType, human_size};
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::Role;
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;



/// Whether `me` may see and answer this complaint: a role that answers its kind, and its
/// area (a complaint about the office in general is every handler's).
fn may_handle(me: &StaffMember, kind: ComplaintKind, regency: Option<&str>, district: Option<&str>) -> bool {
    kind.handled_by(&me.roles)
        && match regency {
            None => true,
            Some(regency) => me.covers(regency, district.unwrap_or_default()),
        }
}

fn kinds_for(me: &StaffMember) -> Vec<ComplaintKind> {
    ComplaintKind::ALL.into_iter().filter(|k| k.handled_by(&me.roles)).collect()
}

/// How many open complaints `me` may answer (for the staff start page), capped.
pub async fn open_count(state: &AppState, me: &StaffMember) -> Result<usize, sqlx::Error> {
    let today = super::today(state).to_string();
    Ok(db::list(state.db.pool(), &me.areas, &kinds_for(me), ListScope::Open, &today, 100).await?.len())
}

pub async fn list(state: &AppState, me: &StaffMember, tab: ComplaintTab) -> Result<ComplaintListOutcome, AppError> {
    let kinds = kinds_for(me);
    if kinds.is_empty() {
        return Ok(ComplaintListOutcome::NotForYou);
    }
    let today = super::today(state).to_string();
    let scope = match tab {
        ComplaintTab::Open => ListScope::Open,
        ComplaintTab::Overdue => ListScope::Overdue,
        ComplaintTab::Closed => ListScope::Closed,
    };
    let offset = state.config.utc_offset_hours;
    let rows = db::list(state.db.pool(), &me.areas, &kinds, scope, &today, 100)
        .await
        .map_err(|e| AppError::internal(&e, "listing complaints"))?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let status = ComplaintStatus::from_slug(&r.status)?;
            Some(ComplaintListItem {
                id: r.id,
                number: RegistrationNumber::display_stored(r.number),
                kind: ComplaintKind::from_slug(&r.kind)?,
                status,
                application: r.application_number.map(|n| RegistrationNumber::display_stored(n)),
                service_point: r.service_point_name,
                received_on: office_date_text(&r.received_at, offset),
                overdue: status.is_open() && r.due < today,
                due: r.due,
            })
        })
        .collect();
    Ok(ComplaintListOutcome::Found { tab, items })
}

/// The case page's data; the opening is logged before anything is read for it.
pub async fn case(state: &AppState, me: &StaffMember, id: i64) -> Result<ComplaintCaseOutcome, AppError> {
    let pool = state.db.pool();
    let failed = |e: sqlx::Error| AppError::internal(&e, "opening a complaint");
    let Some(row) = db::find(pool, id).await.map_err(failed)? else { return Ok(ComplaintCaseOutcome::NotYours) };
    let Some(kind) = ComplaintKind::from_slug(&row.kind) else { return Ok(ComplaintCaseOutcome::NotYours) };
    if !may_handle(me, kind, row.regency_code.as_deref(), row.district_code.as_deref()) {
        tracing::warn!(staff = me.id, complaint = id, "refused a complaint outside the staff member's roles or areas");
        return Ok(ComplaintCaseOutcome::NotYours);
    }
    db::record_access(pool, me.id, id, "complaint").await.map_err(failed)?;
    let offset = state.config.utc_offset_hours;
    let today = super::today(state).to_string();
    let status = ComplaintStatus::from_slug(&row.status).unwrap_or(ComplaintStatus::Received);
    let files = db::files(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|(file_id, mime, size)| (file_id, FileType::from_mime(&mime).is_some_and(FileType::is_image), human_size(size.max(0) as u64)))
        .collect();
    let lines = db::history(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|l| {
            Some(StaffComplaintLine {
                at: office_time(&l.at, offset),
                status: ComplaintStatus::from_slug(&l.to_status)?,
                by: (l.actor == "staff").then(|| (l.staff_name.unwrap_or_default(), l.actor_role.as_deref().and_then(Role::from_slug))),
                message: l.message,
            })
        })
        .collect();
    // The application's page is linked only for those who may open it.
    let number_unknown = row.application_id.is_none() && row.application_number.is_some();
    let application = match (row.application_id, row.application_number) {
        (Some(app), Some(number)) => {
            let scope = crate::server::db::casework::scope(pool, app).await.map_err(failed)?;
            let open = scope.filter(|s| me.may_open(&s.regency_code, &s.district_code)).map(|_| app);
            Some((open, RegistrationNumber::display_stored(number)))
        }
        (None, Some(number)) => Some((None, RegistrationNumber::display_stored(number))),
        _ => None,
    };
    Ok(ComplaintCaseOutcome::Found(Box::new(ComplaintCase {
        number_unknown,
        id,
        number: RegistrationNumber::display_stored(row.number),
        kind,
        status,
        application,
        service_point: row.service_point_name,
        name: row.name,
        email: row.email,
        phone: row.phone,
        message: row.message,
        received_on: office_date_text(&row.received_at, offset),
        overdue: status.is_open() && row.due < today,
        due: row.due,
        files,
        lines,
    })))
}

/// A reply, perhaps closing the complaint: the one implementation behind the case page's
/// form and the `answer_complaint` server function.
#[tracing::instrument(name = "reply", skip_all, fields(staff = me.id, complaint = id))]
pub async fn answer(state: &AppState, me: &StaffMember, id: i64, form: ReplyForm) -> Result<Replied, Declined<ReplyProblem>> {
    let pool = state.db.pool();
    let row = db::find(pool, id).await.context("reading a complaint")?;
    let allowed = row.filter(|r| {
        ComplaintKind::from_slug(&r.kind).is_some_and(|k| may_handle(me, k, r.regency_code.as_deref(), r.district_code.as_deref()))
    });
    let Some(row) = allowed else {
        tracing::warn!(staff = me.id, complaint = id, "refused a reply outside the staff member's roles or areas");
        return Err(Refusal::Forbidden.into());
    };
    let kind = ComplaintKind::from_slug(&row.kind).unwrap_or(ComplaintKind::Complaint);
    let values = form.to_pairs();
    let refuse = |problem: ReplyProblem, status: StatusCode| {
        Err(Declined::Form(Refused { values: values.clone(), problems: vec![(core::fields::REPLY.to_string(), problem)] }, status))
    };
    let (message, m) = match core::parse_reply(&values) {
        Ok(parsed) => parsed,
        Err(problems) => {
            let problem = problems.first().map(|(_, p)| *p).unwrap_or(ComplaintProblem::ReplyMissing);
            return refuse(ReplyProblem::Form(problem), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let from = crate::server::db::parse_column("status", ComplaintStatus::from_slug(&row.status).ok_or("unknown complaint status"))
        .context("replying to a complaint")?;
    let Ok(to) = from.after(m) else { return refuse(ReplyProblem::Closed, StatusCode::CONFLICT) };
    // The role the reply is written as: the first of the caller's that answers this kind.
    let role = me.roles.iter().copied().find(|r| kind.handled_by(&[*r])).unwrap_or(Role::Supervisor);
    match db::reply(pool, id, from, to, me.id, role, message.as_str(), state.config.utc_offset_hours).await {
        Ok(()) => {
            tracing::info!(staff = me.id, complaint = id, to = to.slug(), "complaint answered");
            Ok(Replied { status: to, page: format!("/petugas/pengaduan/{id}") })
        }
        Err(ReplyConflict::StatusChanged) => refuse(ReplyProblem::Closed, StatusCode::CONFLICT),
        Err(ReplyConflict::Db(e)) => Err(Refusal::internal(&e, "replying to a complaint").into()),
    }
}

/// `POST /petugas/pengaduan/{id}/jawab`: the case page's reply form without JavaScript.
pub async fn reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: StaffMember,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    let outcome = answer(&state, &me, id, ReplyForm::from_pairs(&pairs)).await.map(|replied| replied.page);
    crate::server::http::staff_form_answer(&state, &headers, &me, &format!("/petugas/pengaduan/{id}"), outcome).await
}

/// `GET /petugas/pengaduan/berkas/{id}`: a photo sent with a complaint, for its handlers.
/// Anything else is "not found", so ids cannot be probed.
pub async fn file(State(state): State<AppState>, Path(file_id): Path<String>, me: StaffMember) -> Result<Response, Refusal> {
    if !crate::server::storage::valid_id(&file_id) {
        return Err(Refusal::NotFound);
    }
    let pool = state.db.pool();
    let (complaint_id, mime) = db::file(pool, &file_id).await.context("reading a complaint's file")?.ok_or(Refusal::NotFound)?;
    let row = db::find(pool, complaint_id).await.context("reading a complaint")?.ok_or(Refusal::NotFound)?;
    let kind = ComplaintKind::from_slug(&row.kind).unwrap_or(ComplaintKind::Complaint);
    if !may_handle(&me, kind, row.regency_code.as_deref(), row.district_code.as_deref()) {
        tracing::warn!(staff = me.id, complaint = complaint_id, "refused a complaint's file outside the staff member's roles or areas");
        return Err(Refusal::NotFound);
    }
    let file_type = FileType::from_mime(&mime).ok_or(Refusal::NotFound)?;
    db::record_access(pool, me.id, complaint_id, "file").await.context("logging a complaint file view")?;
    Ok(crate::server::casework::send_file(&state, &file_id, file_type).await)
}
