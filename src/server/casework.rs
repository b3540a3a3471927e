//! Staff working one application: the review page's data (access logged first), the
//! documents served to staff, and the moves posted from the review page's forms.
//!
//! Every entry point checks the session, the roles and the areas itself; the core decides
//! whether the move is an edge and what it must carry; the database write holds only while
//! the status is unchanged and nobody else holds the item.

use super::auth::StaffMember;
use super::refusal::{Context as _, Declined, FormPairs, Refusal};
use super::db::casework::{self, Access, MoveConflict};
use super::state::AppState;
use crate::api::review::*;
use crate::domain::apply::{FamilyRole, Who};
use crate::domain::decision::{Action, ActionProblem, MoveForm, MoveProblem, fields};
use crate::error::Refused;
use crate::domain::document::{FileType, human_size};
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::{Channel, Claim, MoveError, Status};
use crate::domain::date::{office_date_text, office_time};
use crate::domain::{Date, DocumentKind, Nik, RegionCode};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The scope of an application `me` may open, or [`Refusal::Forbidden`] — also for one that
/// does not exist, so ids cannot be probed. `doing` names the refused act in the log.
pub async fn open_case(pool: &sqlx::AnyPool, me: &StaffMember, id: i64, doing: &str) -> Result<casework::CaseScope, Refusal> {
    match casework::scope(pool, id).await.context("reading an application's scope")? {
        Some(scope) if may_open(me, &scope.regency_code, &scope.district_code, scope.restricted) => Ok(scope),
        _ => {
            tracing::warn!(staff = me.id, application = id, "refused a {doing} outside the staff member's roles or areas");
            Err(Refusal::Forbidden)
        }
    }
}

/// Whether `me` may open an application in this area: staff of the area, and for one whose
/// personal data is restricted (consent withdrawn) administrators only.
pub(crate) fn may_open(me: &StaffMember, regency: &str, district: &str, restricted: i64) -> bool {
    me.may_open(regency, district) && (restricted == 0 || me.has(crate::domain::workflow::Role::Administrator))
}

/// The review page's data. The access log line is written before anything is read that
/// the page would show, so an opening that cannot be logged shows nothing.
pub async fn review(state: &AppState, me: &StaffMember, id: i64, lang: Lang) -> Result<ReviewOutcome, AppError> {
    let pool = state.db.pool();
    let doing = "opening an application for review";
    let failed = |e: sqlx::Error| AppError::internal(&e, doing);
    let Some(scope) = casework::scope(pool, id).await.map_err(failed)? else { return Ok(ReviewOutcome::NotYours) };
    if !may_open(me, &scope.regency_code, &scope.district_code, scope.restricted) {
        tracing::warn!(staff = me.id, application = id, "refused a review outside the staff member's roles or areas, or of restricted data");
        return Ok(ReviewOutcome::NotYours);
    }
    casework::record_access(pool, me.id, id, Access::Review).await.map_err(failed)?;
    let Some(row) = casework::find(pool, id).await.map_err(failed)? else { return Ok(ReviewOutcome::NotYours) };
    let status = super::db::parse_column("status", Status::from_slug(&row.status).ok_or("unknown status")).map_err(failed)?;
    let offset = state.config.utc_offset_hours;
    let today = super::db::office_today(offset);

    let mut address = vec![format!("{}, RT {} / RW {}", row.street, row.rt, row.rw)];
    if let Ok(village) = RegionCode::parse(&row.village_code) {
        address.extend(super::db::regions::path_names(pool, &village).await.map_err(failed)?);
    }
    let household = serde_json::from_str::<Vec<(String, String, String)>>(&row.household)
        .unwrap_or_default()
        .into_iter()
        .map(|(nik, name, role)| HouseholdMember { nik, name, role: FamilyRole::from_slug(&role) })
        .collect();
    let documents = casework::uploads(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|u| CaseDocument {
            kind: DocumentKind::from_slug(&u.document_kind),
            is_image: FileType::from_mime(&u.file_type).is_some_and(|f| f != FileType::Pdf),
            size: human_size(u.byte_size.max(0) as u64),
            replaced_on: u.replaced_at.as_deref().map(|at| office_date_text(at, offset)),
            replacement: u.replacement != 0,
            id: u.id,
        })
        .collect();
    let history = casework::history(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|h| {
            let by = match h.actor.as_str() {
                "online" => Actor::Online,
                "service_point" => Actor::ServicePoint,
                "resident" => Actor::Resident,
                _ => Actor::Staff {
                    name: h.staff_name.unwrap_or_default(),
                    role: h.actor_role.as_deref().and_then(crate::domain::workflow::Role::from_slug),
                },
            };
            Some(HistoryLine {
                at: office_time(&h.at, offset),
                from: h.from_status.as_deref().and_then(Status::from_slug),
                to: Status::from_slug(&h.to_status)?,
                by,
                action: h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()),
            })
        })
        .collect();
    let mut related = Vec::new();
    let mut related_elsewhere = 0;
    for r in casework::related(pool, id, &row.nik, &row.kk).await.map_err(failed)? {
        if !me.covers(&r.regency_code, &r.district_code) {
            related_elsewhere += 1;
            continue;
        }
        let Some(status) = Status::from_slug(&r.status) else { continue };
        related.push(RelatedApplication {
            id: r.id,
            number: RegistrationNumber::display_stored(r.registration_number.clone()),
            same_person: r.nik == row.nik,
            possible_duplicate: row.duplicate_of == Some(r.id),
            name: r.name,
            masked_nik: Nik::parse(&r.nik).map(|n| n.masked()).unwrap_or_else(|_| "•".repeat(16)),
            program: lang.pick(r.program_name_id, r.program_name_en),
            status,
            submitted_on: office_date_text(&r.submitted_at, offset),
        });
    }
    // What the household panel shows of other applications is a view of them too.
    for r in &related {
        casework::record_access(pool, me.id, r.id, Access::InHousehold { of: id }).await.map_err(failed)?;
    }
    let now = super::db::now_utc();
    let claim = Claim::live(Claim::from_columns(row.claimed_by, row.claimed_by_name.clone(), row.claimed_at.clone()), &now);
    let mine = claim.as_ref().is_some_and(|c| c.is_mine(me.id, &now));
    let held_by_other = claim.is_some() && !mine;
    let claimed_by = claim.map(|c| c.name);
    let moves = if held_by_other { Vec::new() } else { status.moves_for_any(&me.roles) };
    let walk_in = (Channel::from_stored(&row.channel) == Some(Channel::ServicePoint))
        .then(|| WalkIn { officer: row.registered_by_name.clone(), service_point: row.service_point_name.clone() });
    let identity_notes = match (Date::parse_iso(&row.birth_date), RegionCode::parse(&row.district_code)) {
        // Nothing left to compare.
        _ if row.erased_at.is_some() => Vec::new(),
        (Ok(born), Ok(district)) => {
            let sex = crate::domain::Sex::from_letter(&row.sex).unwrap_or(crate::domain::Sex::Female);
            crate::domain::identity::identity_notes(&row.nik, &row.kk, born, sex, &district, state.regions.as_ref())
        }
        _ => vec![crate::domain::identity::IdentityNote::NikUnreadable],
    };
    let sms = sms_note(state, id, &row.phone).await.map_err(failed)?;
    let data = ReviewData {
        id,
        number: RegistrationNumber::display_stored(row.registration_number.clone()),
        status,
        walk_in,
        program: lang.pick(row.program_name_id, row.program_name_en),
        category: lang.pick(row.ppks_name_id, row.ppks_name_en),
        nik: row.nik,
        kk: row.kk,
        identity_notes,
        name: row.name,
        birth_date: row.birth_date,
        sex: row.sex,
        phone: row.phone,
        sms,
        email: row.email,
        address,
        description: row.description,
        applicant: serde_json::from_str::<Who>(&row.applicant).ok(),
        household,
        overdue: status.is_undecided() && row.decision_due < today.to_string(),
        submitted_on: office_date_text(&row.submitted_at, offset),
        decision_due: row.decision_due,
        documents,
        history,
        related,
        duplicate_of: row.duplicate_of_number.clone().map(RegistrationNumber::display_stored),
        related_elsewhere,
        claimed_by,
        erased_on: row.erased_at.as_deref().map(|at| office_date_text(at, offset)),
        letters: if row.erased_at.is_some() { Vec::new() } else { super::letters::kinds(pool, id).await.map_err(failed)? },
        mine,
        moves,
        today: today.to_string(),
    };
    Ok(ReviewOutcome::Found(Box::new(data)))
}

/// Whether the last text message to the application's phone got there, and whether the
/// phone asked for none.
async fn sms_note(state: &AppState, id: i64, phone: &str) -> Result<crate::api::review::SmsNote, sqlx::Error> {
    use crate::api::review::{SmsDelivery, SmsNote};
    use crate::domain::sms::Delivery;
    let pool = state.db.pool();
    let offset = state.config.utc_offset_hours;
    let stopped_since = match crate::domain::person::PhoneNumber::parse(phone) {
        Ok(mobile) => super::db::outbox::stopped_since(pool, mobile.as_str()).await?.map(|at| office_time(&at, offset)),
        Err(_) => None,
    };
    let last = super::db::outbox::last_sms(pool, id).await?.map(|m| {
        let at = |t: &Option<String>| office_time(t.as_deref().unwrap_or(&m.created_at), offset);
        match (m.delivery.as_deref().and_then(Delivery::from_slug), &m.sent_at, &m.failed_at) {
            (Some(Delivery::Delivered), _, _) => (SmsDelivery::Delivered, at(&m.reported_at)),
            (Some(Delivery::Failed), _, _) => (SmsDelivery::Failed, at(&m.reported_at)),
            (None, Some(_), _) => (SmsDelivery::Sent, at(&m.sent_at)),
            (None, None, Some(_)) => (SmsDelivery::Failed, at(&m.failed_at)),
            (None, None, None) => (SmsDelivery::Waiting, at(&None)),
        }
    });
    Ok(SmsNote { stopped_since, last })
}

/// What a move did: the status it reached and the page to show next.
pub use crate::api::casework::Moved;

/// One move, with what it carries: the one implementation behind the review page's form and
/// the `make_move` server function. Whether the caller may open the application, whether
/// the move is an edge for their roles, what it must carry (the core judges), and the write
/// only while the status is unchanged and nobody else holds the item.
#[tracing::instrument(name = "move", skip_all, fields(staff = me.id, application = id))]
pub async fn make_move(state: &AppState, me: &StaffMember, id: i64, form: MoveForm) -> Result<Moved, Declined<MoveProblem>> {
    let pool = state.db.pool();
    let scope = open_case(pool, me, id, "move").await?;
    let values = form.to_pairs();
    let refuse = |problems: Vec<(String, MoveProblem)>, status: StatusCode| Err(Declined::Form(Refused { values: values.clone(), problems }, status));
    let Some(m) = form.chosen() else {
        return refuse(vec![(fields::MOVE.into(), MoveProblem::Form(ActionProblem::MoveUnknown))], StatusCode::UNPROCESSABLE_ENTITY);
    };
    let from = super::db::parse_column("status", Status::from_slug(&scope.status).ok_or("unknown status")).context("moving an application")?;
    let (to, role) = match from.after_as(m, &me.roles) {
        Ok(found) => found,
        Err(MoveError::NotFromHere(..)) => return refuse(vec![(fields::MOVE.into(), MoveProblem::NotFromHere)], StatusCode::CONFLICT),
        Err(MoveError::NotForRole(..)) => {
            tracing::warn!(staff = me.id, application = id, action = m.slug(), "refused a move outside the staff member's roles");
            return refuse(vec![(fields::MOVE.into(), MoveProblem::NotForRole)], StatusCode::FORBIDDEN);
        }
    };
    let offset = state.config.utc_offset_hours;
    let today = super::db::office_today(offset);
    let submitted_on = crate::domain::date::office_day(&scope.submitted_at, offset).unwrap_or(today);
    let action = match Action::parse(m, &values, today, submitted_on) {
        // A possible duplicate goes on only once the verifier says they compared the two.
        Ok(Action::DocumentsOk { not_duplicate: false, .. }) if scope.duplicate_of.is_some() => {
            let problem = MoveProblem::Form(ActionProblem::DuplicateUnchecked);
            return refuse(vec![(fields::NOT_DUPLICATE.into(), problem)], StatusCode::UNPROCESSABLE_ENTITY);
        }
        Ok(action) => action,
        Err(problems) => {
            let problems = problems.into_iter().map(|(f, p)| (f.to_string(), MoveProblem::Form(p))).collect();
            return refuse(problems, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match casework::apply_move(pool, id, from, to, me.id, role, &action, offset).await {
        Ok(()) => {
            tracing::info!(staff = me.id, application = id, action = m.slug(), to = to.slug(), "application moved");
            Ok(Moved { status: to, page: format!("/petugas/permohonan/{id}?berhasil={}", m.slug()) })
        }
        Err(MoveConflict::StatusChanged) => refuse(vec![(fields::MOVE.into(), MoveProblem::NotFromHere)], StatusCode::CONFLICT),
        Err(MoveConflict::ClaimedByOther) => refuse(vec![(fields::MOVE.into(), MoveProblem::ClaimedByOther)], StatusCode::CONFLICT),
        Err(MoveConflict::Db(e)) => Err(Refusal::internal(&e, "moving an application").into()),
    }
}

/// `POST /petugas/permohonan/{id}/langkah`: the review page's move form without JavaScript —
/// [`make_move`], then the review page, or the page again with what was typed and what is
/// wrong.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: StaffMember,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    let outcome = make_move(&state, &me, id, MoveForm::from_pairs(&pairs)).await.map(|moved| moved.page);
    super::http::staff_form_answer(&state, &headers, &me, &format!("/petugas/permohonan/{id}"), outcome).await
}

/// `GET /petugas/berkas/{id}`: one document of a submitted application, to staff who may
/// open the application; logged like the review page. Images are sandboxed; PDFs may be
/// framed by our own review page only. Anything else is "not found", so ids cannot be probed.
pub async fn document(State(state): State<AppState>, Path(upload_id): Path<String>, me: StaffMember) -> Result<Response, Refusal> {
    if !super::storage::valid_id(&upload_id) {
        return Err(Refusal::NotFound);
    }
    let pool = state.db.pool();
    let upload = casework::upload(pool, &upload_id).await.context("reading a document's application")?.ok_or(Refusal::NotFound)?;
    if !may_open(&me, &upload.regency_code, &upload.district_code, upload.restricted) {
        tracing::warn!(staff = me.id, application = upload.application_id, "refused a document outside the staff member's areas");
        return Err(Refusal::NotFound);
    }
    let file_type = FileType::from_mime(&upload.file_type).ok_or(Refusal::NotFound)?;
    let access = Access::Document { kind: &upload.document_kind, upload: &upload_id };
    casework::record_access(pool, me.id, upload.application_id, access).await.context("logging a document view")?;
    Ok(send_file(&state, &upload_id, file_type).await)
}

/// An uploaded file, shown inline to staff: never cached, images sandboxed, PDFs framed only
/// by our own pages.
pub(crate) async fn send_file(state: &AppState, file_id: &str, file_type: FileType) -> Response {
    let policy = if file_type == FileType::Pdf {
        "default-src 'none'; frame-ancestors 'self'"
    } else {
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
    };
    match state.storage.read(file_id).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, file_type.mime()),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::CONTENT_DISPOSITION, "inline"),
                (header::CONTENT_SECURITY_POLICY, policy),
                (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
