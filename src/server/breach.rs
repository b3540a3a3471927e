//! Breach notices from the administration pages (`/petugas/admin/pemberitahuan`): one
//! administrator prepares (which applications, the office's words), another confirms, and
//! only then is anything queued; either may cancel before. Every step is in the
//! administrative history and the log.

use super::caller::Administrator;
use super::db::breach::{self as db, ConfirmError};
use super::http::plain_text as plain;
use super::refusal::{Context as _, FormPairs, Refusal};
use super::state::AppState;
use crate::api::admin::{BreachLine, BreachPage, BreachState};
use crate::domain::admin::AdminProblem;
use crate::domain::breach::{BreachDraft, Selection};
use crate::domain::date::office_time;
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

const PAGE: &str = "/petugas/admin/pemberitahuan";

/// The page's data: the areas and service points to choose from, and the last notices with
/// whom a waiting one reaches now.
pub async fn page(state: &AppState, me: &super::auth::StaffMember, lang: Lang) -> Result<BreachPage, AppError> {
    let failed = |e: sqlx::Error| AppError::internal(&e, "reading breach notices");
    let a = lang.admin();
    let pool = state.db.pool();
    let offset = state.config.utc_offset_hours;
    let (areas, service_points) = super::admin::staff_choices(state).await.map_err(failed)?;
    let mut notices = Vec::new();
    for row in db::list(pool, 50).await.map_err(failed)? {
        let selection: Selection = serde_json::from_str(&row.selection).unwrap_or_default();
        let area = selection.area.as_ref().map(|code| areas.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_else(|| code.clone()));
        let point = selection.service_point.map(|id| service_points.iter().find(|(p, _)| *p == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string()));
        let described = if selection == Selection::default() {
            a.breach_selection_all.to_string()
        } else {
            let (from, to) = (selection.from.map(|d| d.to_string()), selection.to.map(|d| d.to_string()));
            (a.breach_selection)(area.as_deref(), from.as_deref(), to.as_deref(), point.as_deref())
        };
        let state = match (&row.confirmed_at, &row.cancelled_at) {
            (Some(at), _) => BreachState::Sent {
                at: office_time(at, offset),
                by: row.confirmed_by_name.clone().unwrap_or_default(),
                applications: row.applications.unwrap_or(0),
                emails: row.emails.unwrap_or(0),
                texts: row.texts.unwrap_or(0),
            },
            (None, Some(at)) => BreachState::Cancelled { at: office_time(at, offset) },
            (None, None) => {
                let reach = db::reach(pool, &selection, offset).await.map_err(failed)?;
                let text = crate::i18n::sms::breach(&row.message, crate::i18n::sms::site(&state.config.public_url));
                BreachState::Waiting {
                    applications: reach.applications,
                    emails: reach.emails,
                    phones: reach.phones,
                    sms_parts: crate::domain::sms::segments(&text),
                    mine: row.proposed_by == me.id,
                }
            }
        };
        notices.push(BreachLine {
            id: row.id,
            selection: described,
            message: row.message,
            prepared: (a.breach_prepared)(&office_time(&row.proposed_at, offset), &row.proposed_by_name),
            state,
        });
    }
    Ok(BreachPage { areas, service_points, notices })
}

/// `POST /petugas/admin/pemberitahuan`: prepares a notice (nothing is sent).
pub async fn propose(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let (areas, points) = super::admin::staff_choices(&state).await.context("reading areas and service points")?;
    let areas: Vec<String> = areas.into_iter().map(|(c, _)| c).collect();
    let points: Vec<i64> = points.into_iter().map(|(id, _)| id).collect();
    match BreachDraft::parse(&pairs, &areas, &points) {
        Ok(draft) => {
            let id = db::propose(state.db.pool(), me.id, &draft).await.context("preparing a breach notice")?;
            tracing::warn!(staff = me.id, notice = id, "breach notice prepared, waiting for a second administrator");
            Ok(Redirect::to(PAGE).into_response())
        }
        Err(problems) => Ok(super::admin::refuse(&state, &headers, &me, PAGE, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    }
}

/// `POST /petugas/admin/pemberitahuan/{id}/konfirmasi`: a second administrator sends it.
pub async fn confirm(State(state): State<AppState>, Administrator(me): Administrator, lang: Lang, Path(id): Path<i64>) -> Result<Response, Refusal> {
    match db::confirm(state.db.pool(), id, me.id, state.config.utc_offset_hours).await {
        Ok(reach) => {
            tracing::warn!(staff = me.id, notice = id, applications = reach.applications, emails = reach.emails, texts = reach.phones, "breach notice confirmed and queued");
            Ok(Redirect::to(PAGE).into_response())
        }
        Err(ConfirmError::Own) => Ok(plain(StatusCode::FORBIDDEN, (lang.admin().problem)(AdminProblem::OwnNotice))),
        // Confirmed by someone else a moment ago (or cancelled): the page shows which.
        Err(ConfirmError::Settled) => Ok(Redirect::to(PAGE).into_response()),
        Err(ConfirmError::NotFound) => Err(Refusal::NotFound),
        Err(ConfirmError::Db(e)) => Err(Refusal::internal(&e, "confirming a breach notice")),
    }
}

/// `POST /petugas/admin/pemberitahuan/{id}/batal`: cancels one not yet confirmed.
pub async fn cancel(State(state): State<AppState>, Administrator(me): Administrator, Path(id): Path<i64>) -> Result<Response, Refusal> {
    if db::cancel(state.db.pool(), id, me.id).await.context("cancelling a breach notice")? {
        tracing::info!(staff = me.id, notice = id, "breach notice cancelled");
    }
    Ok(Redirect::to(PAGE).into_response())
}
