//! "Data saya": everything Layan holds on an application, for the person it is about — the
//! answers, the household, the documents (viewable), the history and every staff view (role
//! and office, never the name) — as a page and as a JSON file; and the person's choice to let
//! the one who applied for them see the details. Only the person (`domain::disclosure`):
//! someone who applied for another holds the receipt, not the person's rights.

use super::{Looking, Tracked, looking};
use crate::api::tracking::*;
use crate::domain::apply::{Consent, Who, field};
use crate::domain::date::office_time;
use crate::domain::decision::Action;
use crate::domain::disclosure::Part;
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::{Role, Status};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server::db::casework;
use crate::server::db::tracking as db;
use crate::server::refusal::{Context as _, FormPairs, Refusal};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

/// What "Data saya" holds for the session in `headers`.
pub async fn my_data(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<MyDataOutcome, AppError> {
    let failed = |e: sqlx::Error| AppError::internal(&e, "gathering a resident's data");
    let pool = state.db.pool();
    let Some(token) = super::session_from(headers) else { return Ok(MyDataOutcome::NotOpen) };
    let Some(opened) = db::session(pool, &token).await.map_err(failed)? else { return Ok(MyDataOutcome::NotOpen) };
    let Some(id) = opened.application_id else { return Ok(MyDataOutcome::NotOpen) };
    gather(state, &opened, id, lang).await.map_err(failed)
}

async fn gather(state: &AppState, opened: &db::Opened, id: i64, lang: Lang) -> Result<MyDataOutcome, sqlx::Error> {
    let pool = state.db.pool();
    let offset = state.config.utc_offset_hours;
    let Some(Looking { row, viewer, shared }) = looking(pool, opened, id).await? else { return Ok(MyDataOutcome::NotOpen) };
    if !viewer.sees(Part::PersonalData) {
        return Ok(MyDataOutcome::NotYours);
    }
    let status = crate::server::db::parse_column("status", Status::from_slug(&row.status).ok_or("unknown status"))?;
    let region = match crate::domain::RegionCode::parse(&row.village_code) {
        Ok(village) => crate::server::db::regions::path_names(pool, &village).await?,
        Err(_) => Vec::new(),
    };
    let applied_by = match serde_json::from_str::<Who>(&row.applicant) {
        Ok(Who::SomeoneElse { applicant_name, relation, applicant_phone, consent }) => Some(MyApplicant {
            name: applicant_name.as_str().to_string(),
            relation: relation.slug().to_string(),
            phone: applicant_phone.as_str().to_string(),
            consent: match consent {
                Consent::Given => "setuju".into(),
                Consent::CannotConsent(why) => format!("tidak-dapat: {why}"),
            },
        }),
        _ => None,
    };
    let household = serde_json::from_str::<Vec<(String, String, String)>>(&row.household)
        .unwrap_or_default()
        .into_iter()
        .map(|(nik, name, role)| MyHouseholdMember { name, nik, role })
        .collect();
    let uploaded: Vec<(String, String, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, document_kind, file_type, byte_size, created_at, replaced_at FROM uploads WHERE application_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let documents = uploaded
        .into_iter()
        .map(|(id, kind, file_type, bytes, at, replaced)| MyDocument {
            id,
            kind,
            file_type,
            bytes,
            uploaded_at: office_time(&at, offset),
            replaced_at: replaced.as_deref().map(|r| office_time(r, offset)),
        })
        .collect();
    let history = casework::history(pool, id)
        .await?
        .into_iter()
        .filter_map(|h| {
            Some(MyHistoryLine {
                at: office_time(&h.at, offset),
                status: Status::from_slug(&h.to_status)?,
                by: match h.actor.as_str() {
                    "online" => TrackedActor::Online,
                    "service_point" => TrackedActor::Counter,
                    "resident" => TrackedActor::Resident,
                    _ => TrackedActor::Office(h.actor_role.as_deref().and_then(Role::from_slug)),
                },
                action: h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()),
            })
        })
        .collect();
    let staff_views = db::staff_views(pool, id)
        .await?
        .into_iter()
        .map(|v| MyStaffView {
            at: office_time(&v.at, offset),
            roles: v.roles.unwrap_or_default().split(',').filter_map(Role::from_slug).collect(),
            service_points: v.service_points.map(|p| p.split(',').map(str::to_string).collect()).unwrap_or_default(),
            opened: match v.what.as_str() {
                "document" => Opened::Document(v.detail.unwrap_or_default().split(' ').next().unwrap_or_default().to_string()),
                "household" => Opened::InHousehold,
                "letter" => Opened::Letter,
                _ => Opened::Application,
            },
        })
        .collect();
    Ok(MyDataOutcome::Found(Box::new(MyData {
        number: RegistrationNumber::display_stored(row.registration_number),
        program: lang.pick(row.program_name_id, row.program_name_en),
        category: lang.pick(row.ppks_name_id, row.ppks_name_en),
        status,
        submitted_at: office_time(&row.submitted_at, offset),
        decision_due: row.decision_due,
        person: MyPerson { name: row.name, nik: row.nik, kk: row.kk, birth_date: row.birth_date, sex: row.sex, phone: row.phone, email: row.email },
        address: MyAddress { street: row.street, rt: row.rt, rw: row.rw, village_code: row.village_code, region },
        description: row.description,
        applied_by,
        household,
        documents,
        history,
        staff_views,
        breach_notices: crate::server::db::breach::for_application(pool, id)
            .await?
            .into_iter()
            .map(|(at, message)| (office_time(&at, offset), message))
            .collect(),
        shared_with_applicant: shared,
    })))
}

/// `GET /lacak/data.json`: the same, as a file to keep (never cached).
pub async fn data_json(State(state): State<AppState>, tracked: Tracked, lang: Lang) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    let outcome = gather(&state, &tracked.opened, id, lang).await.context("gathering a resident's data")?;
    let MyDataOutcome::Found(data) = outcome else { return Err(Refusal::SeeOther("/lacak/data")) };
    let json = serde_json::to_string_pretty(&data).map_err(|e| Refusal::internal(&e, "writing a resident's data"))?;
    let name = format!("attachment; filename=\"data-saya-{}.json\"", data.number);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        json,
    )
        .into_response())
}

/// `GET /lacak/dokumen/{id}`: one of the application's documents, for its person.
pub async fn document(State(state): State<AppState>, tracked: Tracked, Path(upload_id): Path<String>) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    if !crate::server::storage::valid_id(&upload_id) {
        return Err(Refusal::NotFound);
    }
    let pool = state.db.pool();
    let Looking { viewer, .. } = looking(pool, &tracked.opened, id).await.context("reading an application")?.ok_or(Refusal::NotFound)?;
    if !viewer.sees(Part::PersonalData) {
        return Err(Refusal::NotFound);
    }
    let upload = casework::upload(pool, &upload_id).await.context("reading a document")?.filter(|u| u.application_id == id).ok_or(Refusal::NotFound)?;
    let file_type = crate::domain::document::FileType::from_mime(&upload.file_type).ok_or(Refusal::NotFound)?;
    Ok(crate::server::casework::send_file(&state, &upload_id, file_type).await)
}

/// `POST /lacak/berbagi`: the person lets the one who applied for them see the details
/// (`izinkan=ya`), or no longer (`izinkan=tidak`).
pub async fn share(State(state): State<AppState>, tracked: Tracked, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    let pool = state.db.pool();
    let Looking { row, viewer, .. } = looking(pool, &tracked.opened, id).await.context("reading an application")?.ok_or(Refusal::SeeOther("/lacak"))?;
    // Sharing is the person's choice over their data, and only where someone else applied.
    if !viewer.sees(Part::PersonalData) || super::applied_by(&row.applicant).is_none() {
        return Ok(Redirect::to("/lacak/permohonan").into_response());
    }
    let share = match field(&pairs, "izinkan") {
        "ya" => true,
        "tidak" => false,
        _ => return Err(Refusal::BadForm),
    };
    db::set_shared_with_applicant(pool, id, share).await.context("recording a resident's choice")?;
    tracing::info!(application = id, shared = share, "the person changed what the applicant may see");
    Ok(Redirect::to("/lacak/permohonan").into_response())
}

/// `POST /lacak/persetujuan`: the person withdraws their consent, after the page that says
/// what follows (`yakin=ya`): an open application is withdrawn, a decided one has its personal
/// data restricted at once.
pub async fn withdraw_consent(State(state): State<AppState>, tracked: Tracked, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    use crate::domain::disclosure::ConsentWithdrawal;
    let id = tracked.application()?;
    if field(&pairs, crate::domain::registration::tracking_fields::CONFIRM) != "ya" {
        return Ok(Redirect::to("/lacak/persetujuan").into_response());
    }
    let pool = state.db.pool();
    let Looking { row, viewer, .. } = looking(pool, &tracked.opened, id).await.context("reading an application")?.ok_or(Refusal::SeeOther("/lacak"))?;
    if !viewer.sees(Part::PersonalData) {
        return Ok(Redirect::to("/lacak/permohonan").into_response());
    }
    // Whose consent it was: the person's own, or (applied for by someone else because the
    // person could not consent) consent the applicant answered for.
    let whose = match serde_json::from_str::<Who>(&row.applicant) {
        Ok(Who::SomeoneElse { consent: Consent::CannotConsent(_), .. }) => "on_behalf",
        _ => "person",
    };
    let from = crate::server::db::parse_column("status", Status::from_slug(&row.status).ok_or("unknown status")).context("withdrawing consent")?;
    match ConsentWithdrawal::at(from) {
        ConsentWithdrawal::Withdraw => {
            let to = from.after(crate::domain::workflow::Move::Withdraw, Role::Resident).map_err(|_| Refusal::SeeOther("/lacak/permohonan"))?;
            let action = Action::Withdraw { note: Some(Lang::Id.tracking().consent_withdrawn_note.to_string()) };
            match casework::resident_move(pool, id, from, to, &action, state.config.utc_offset_hours).await {
                Ok(()) | Err(casework::MoveConflict::StatusChanged) | Err(casework::MoveConflict::ClaimedByOther) => {}
                Err(casework::MoveConflict::Db(e)) => return Err(Refusal::internal(&e, "withdrawing an application")),
            }
            db::withdraw_consent(pool, id, whose, false).await.context("recording a consent withdrawal")?;
        }
        ConsentWithdrawal::Restrict => db::withdraw_consent(pool, id, whose, true).await.context("recording a consent withdrawal")?,
    }
    tracing::info!(application = id, "consent withdrawn by the person");
    Ok(Redirect::to("/lacak/permohonan").into_response())
}
