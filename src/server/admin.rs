//! Administration's form posts (programs, holidays) and the data of its pages. Every post
//! checks the caller is an administrator, parses the form in the domain core, and writes the
//! change with its history line in one transaction; a refused form is shown again with what
//! was typed and what is wrong, and changes nothing.

use super::auth::StaffMember;
use super::caller::Administrator;
use super::db::admin::{self as db, SaveError};
use super::http::{plain_text as plain, render_page, render_staff_page};
use super::refusal::{Context as _, FormPairs, Refusal};
use super::state::AppState;
use crate::api::admin::{AdminRefused, PasswordRefused, ProgramFormData, ProgramListLine};
use crate::domain::admin::{AdminProblem, CategoryDraft, Holiday, ProgramDraft, ServicePointDraft, fields};
use crate::domain::{Date, ProgramCode};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub async fn program_list(state: &AppState, lang: Lang) -> Result<Vec<ProgramListLine>, AppError> {
    let rows = db::programs(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing programs"))?;
    Ok(rows
        .into_iter()
        .map(|r| ProgramListLine {
            code: r.code,
            name: lang.pick(r.name_id, r.name_en),
            deadline: r.deadline_working_days,
            in_check: r.in_check != 0,
            active: r.active_flag != 0,
        })
        .collect())
}

/// The program form's data: a program's values (`Some(code)`), or an empty form; `None` when
/// there is no such program.
pub async fn program_form(state: &AppState, code: Option<&str>, lang: Lang) -> Result<Option<ProgramFormData>, AppError> {
    let doing = "reading a program";
    let pool = state.db.pool();
    let categories = super::catalogue::categories(state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let (values, name) = match code {
        None => (vec![(fields::ACTIVE.to_string(), "ya".to_string())], String::new()),
        Some(code) => match db::program(pool, code).await.map_err(|e| AppError::internal(&e, doing))? {
            Some(p) => (p.to_pairs(), lang.pick(&p.name_id, &p.name_en).clone()),
            None => return Ok(None),
        },
    };
    Ok(Some(ProgramFormData { code: code.map(str::to_string), name, categories, values }))
}

async fn save(state: AppState, headers: HeaderMap, me: StaffMember, code: Option<String>, pairs: Vec<(String, String)>) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let existing = code.as_deref().map(ProgramCode::parse).transpose().map_err(|_| Refusal::NotFound)?;
    let page = match &existing {
        None => "/petugas/admin/program-baru".to_string(),
        Some(c) => format!("/petugas/admin/program/{c}"),
    };
    let categories = db::category_codes(pool).await.context("reading categories")?;
    let draft = match ProgramDraft::parse(&pairs, &categories, existing.as_ref()) {
        Ok(draft) => draft,
        Err(problems) => return Ok(refuse(&state, &headers, &me, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    match changing_catalogue(&state, db::save_program(pool, me.id, &draft, existing.is_none())).await {
        Ok(()) => {
            tracing::info!(staff = me.id, program = draft.code.as_str(), "program saved");
            Ok(Redirect::to("/petugas/admin/program?disimpan=1").into_response())
        }
        Err(SaveError::CodeTaken) => {
            Ok(refuse(&state, &headers, &me, &page, pairs, vec![(fields::CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await)
        }
        Err(SaveError::NotFound) => Err(Refusal::NotFound),
        Err(SaveError::Db(e)) => Err(Refusal::internal(&e, "saving a program")),
    }
}

/// `POST /petugas/admin/program`: a new program.
pub async fn create_program(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    save(state, headers, me, None, pairs).await
}

/// `POST /petugas/admin/program/{code}`: changes to a program (its code stays).
pub async fn update_program(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Administrator(me): Administrator,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    save(state, headers, me, Some(code), pairs).await
}

/// `POST /petugas/admin/libur`: a public holiday.
pub async fn add_holiday(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let existing = db::holiday_days(pool).await.context("reading holidays")?;
    match Holiday::parse(&pairs, &existing) {
        Ok(holiday) => {
            db::add_holiday(pool, me.id, &holiday).await.context("adding a holiday")?;
            Ok(Redirect::to("/petugas/admin/libur").into_response())
        }
        Err(problems) => Ok(refuse(&state, &headers, &me, "/petugas/admin/libur", pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    }
}

/// `POST /petugas/admin/libur/hapus`: removes a holiday (deadlines set before keep their date).
pub async fn remove_holiday(State(state): State<AppState>, Administrator(me): Administrator, lang: Lang, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let day = pairs.iter().find(|(k, _)| k == fields::HOLIDAY_DAY).and_then(|(_, v)| Date::parse_iso(v.trim()).ok());
    let Some(day) = day else { return Ok(plain(StatusCode::UNPROCESSABLE_ENTITY, (lang.admin().problem)(AdminProblem::DateInvalid))) };
    db::remove_holiday(state.db.pool(), me.id, day).await.context("removing a holiday")?;
    Ok(Redirect::to("/petugas/admin/libur").into_response())
}

/// `POST /petugas/admin/pembatasan/{id}`: lifts the restriction of an application's personal
/// data (consent withdrawn), with the reason, recorded in the administrative history.
pub async fn lift_restriction(
    State(state): State<AppState>,
    Administrator(me): Administrator,
    lang: Lang,
    Path(id): Path<i64>,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let reason = crate::domain::apply::field(&pairs, "alasan").trim().to_string();
    if reason.chars().count() < 10 || reason.chars().count() > 500 {
        return Ok(plain(StatusCode::UNPROCESSABLE_ENTITY, lang.admin().restricted_reason_label));
    }
    let lifted = super::db::tracking::lift_restriction(state.db.pool(), id, me.id, &reason).await.context("lifting a restriction")?;
    if lifted {
        tracing::warn!(staff = me.id, application = id, "restriction of personal data lifted by an administrator");
    }
    Ok(Redirect::to("/petugas/admin/pembatasan").into_response())
}

/// The restricted applications, for administrators.
pub async fn restricted_list(state: &AppState, lang: Lang) -> Result<Vec<crate::api::admin::RestrictedLine>, AppError> {
    let a = lang.admin();
    let rows = super::db::tracking::restricted(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing restricted applications"))?;
    Ok(rows
        .into_iter()
        .map(|(id, number, since, whose)| crate::api::admin::RestrictedLine {
            id,
            number: crate::domain::registration::RegistrationNumber::display_stored(number),
            since: crate::domain::date::office_time(&since, state.config.utc_offset_hours),
            whose: if whose == "on_behalf" { a.restricted_on_behalf } else { a.restricted_by_person }.to_string(),
        })
        .collect())
}

/// A refused form, shown again with what was typed and what is wrong.
pub(super) async fn refuse(
    state: &AppState,
    headers: &HeaderMap,
    me: &StaffMember,
    page: &str,
    values: Vec<(String, String)>,
    problems: Vec<(&'static str, AdminProblem)>,
    status: StatusCode,
) -> Response {
    let problems = problems.into_iter().map(|(f, p)| (f.to_string(), p)).collect();
    render_staff_page(state, headers, me, page, AdminRefused { values, problems }, status).await
}

/// A write to what residents are offered: this instance's copy of the catalogue and of the
/// public pages go at once, so the office sees its change on the next page (other instances
/// within two seconds).
async fn changing_catalogue<T>(state: &AppState, write: impl Future<Output = T>) -> T {
    let written = write.await;
    state.catalogue.forget();
    state.page_copies.forget();
    written
}

async fn save_category(state: AppState, headers: HeaderMap, me: StaffMember, code: Option<String>, pairs: Vec<(String, String)>) -> Result<Response, Refusal> {
    let existing = code.as_deref().map(str::parse::<i64>).transpose().map_err(|_| Refusal::NotFound)?;
    let page = existing.map(|c| format!("/petugas/admin/kategori/{c}")).unwrap_or_else(|| "/petugas/admin/kategori-baru".to_string());
    let draft = match CategoryDraft::parse(&pairs, existing) {
        Ok(draft) => draft,
        Err(problems) => return Ok(refuse(&state, &headers, &me, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    match changing_catalogue(&state, db::save_category(state.db.pool(), me.id, &draft, existing.is_none())).await {
        Ok(()) => Ok(Redirect::to("/petugas/admin/kategori?disimpan=1").into_response()),
        Err(SaveError::CodeTaken) => {
            Ok(refuse(&state, &headers, &me, &page, pairs, vec![(fields::CATEGORY_CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await)
        }
        Err(SaveError::NotFound) => Err(Refusal::NotFound),
        Err(SaveError::Db(e)) => Err(Refusal::internal(&e, "saving a category")),
    }
}

/// `POST /petugas/admin/kategori`: a new PPKS category.
pub async fn create_category(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    save_category(state, headers, me, None, pairs).await
}

/// `POST /petugas/admin/kategori/{code}`: a category's names, open or not.
pub async fn update_category(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Administrator(me): Administrator,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    save_category(state, headers, me, Some(code), pairs).await
}

async fn save_point(state: AppState, headers: HeaderMap, me: StaffMember, code: Option<String>, pairs: Vec<(String, String)>) -> Result<Response, Refusal> {
    let existing = code.as_deref().map(ProgramCode::parse).transpose().map_err(|_| Refusal::NotFound)?;
    let page = existing.as_ref().map(|c| format!("/petugas/admin/titik-layanan/{c}")).unwrap_or_else(|| "/petugas/admin/titik-layanan-baru".to_string());
    let draft = match ServicePointDraft::parse(&pairs, existing.as_ref()) {
        Ok(draft) => draft,
        Err(problems) => return Ok(refuse(&state, &headers, &me, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    if !super::db::regions::village_exists(state.db.pool(), &draft.village).await.context("checking a village")? {
        let problems = vec![(fields::POINT_VILLAGE, AdminProblem::VillageInvalid)];
        return Ok(refuse(&state, &headers, &me, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await);
    }
    match changing_catalogue(&state, db::save_service_point(state.db.pool(), me.id, &draft, existing.is_none())).await {
        Ok(()) => Ok(Redirect::to("/petugas/admin/titik-layanan?disimpan=1").into_response()),
        Err(SaveError::CodeTaken) => {
            Ok(refuse(&state, &headers, &me, &page, pairs, vec![(fields::CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await)
        }
        Err(SaveError::NotFound) => Err(Refusal::NotFound),
        Err(SaveError::Db(e)) => Err(Refusal::internal(&e, "saving a service point")),
    }
}

/// `POST /petugas/admin/titik-layanan`: a new service point.
pub async fn create_service_point(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    save_point(state, headers, me, None, pairs).await
}

/// `POST /petugas/admin/titik-layanan/{code}`: changes to a service point.
pub async fn update_service_point(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Administrator(me): Administrator,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    save_point(state, headers, me, Some(code), pairs).await
}

/// What a staff form offers: the office's areas (regencies and their districts, and any area
/// an account already has) and the active service points.
pub async fn staff_choices(state: &AppState) -> Result<(Vec<(String, String)>, Vec<(i64, String)>), sqlx::Error> {
    let pool = state.db.pool();
    let mut tops = super::reports::office_regencies(pool).await?;
    let held: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT region_code FROM staff_areas ORDER BY 1").fetch_all(pool).await?;
    for (code,) in held {
        if !tops.iter().any(|t| code.starts_with(t.as_str())) {
            tops.push(code);
        }
    }
    let areas = super::reports::area_choices(pool, tops).await?;
    let points: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM service_points WHERE active = TRUE ORDER BY name").fetch_all(pool).await?;
    Ok((areas, points))
}

/// Parses a staff form against what it offers, with the server's full email check.
async fn parse_staff(state: &AppState, pairs: &[(String, String)], username: Option<&crate::domain::staff::Username>) -> Result<Result<crate::domain::admin::StaffDraft, Vec<(&'static str, AdminProblem)>>, sqlx::Error> {
    let (areas, points) = staff_choices(state).await?;
    let area_codes: Vec<String> = areas.into_iter().map(|(c, _)| c).collect();
    let point_ids: Vec<i64> = points.into_iter().map(|(id, _)| id).collect();
    Ok(match crate::domain::admin::StaffDraft::parse(pairs, username, &area_codes, &point_ids) {
        Ok(draft) if !super::mail::deliverable(draft.email.as_str()) => Err(vec![(fields::EMAIL, AdminProblem::EmailInvalid)]),
        other => other,
    })
}

/// `POST /petugas/admin/petugas`: a new account; its owner gets a link to set a password.
pub async fn create_staff(State(state): State<AppState>, Administrator(me): Administrator, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let page = "/petugas/admin/petugas-baru";
    let draft = match parse_staff(&state, &pairs, None).await.context("reading the staff form's choices")? {
        Ok(draft) => draft,
        Err(problems) => return Ok(refuse(&state, &headers, &me, page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    match db::create_staff(state.db.pool(), me.id, &draft).await {
        Ok(id) => {
            tracing::info!(staff = me.id, account = id, "staff account created");
            Ok(Redirect::to(&format!("/petugas/admin/petugas/{id}?tautan=1")).into_response())
        }
        Err(SaveError::CodeTaken) => {
            Ok(refuse(&state, &headers, &me, page, pairs, vec![(fields::USERNAME, AdminProblem::UsernameTaken)], StatusCode::CONFLICT).await)
        }
        Err(SaveError::NotFound) => Err(Refusal::NotFound),
        Err(SaveError::Db(e)) => Err(Refusal::internal(&e, "creating a staff account")),
    }
}

/// `POST /petugas/admin/petugas/{id}`: an account's name, email, roles, areas, service points.
pub async fn update_staff(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Administrator(me): Administrator,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    let pool = state.db.pool();
    let account = db::staff_account(pool, id).await.context("reading a staff account")?.ok_or(Refusal::NotFound)?;
    let username = crate::domain::staff::Username::parse(&account.username).map_err(|_| Refusal::NotFound)?;
    let page = format!("/petugas/admin/petugas/{id}");
    let draft = match parse_staff(&state, &pairs, Some(&username)).await.context("reading the staff form's choices")? {
        Ok(draft) => draft,
        Err(problems) => return Ok(refuse(&state, &headers, &me, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    match db::update_staff(pool, me.id, id, &draft).await {
        Ok(()) => Ok(Redirect::to(&format!("{page}?disimpan=1")).into_response()),
        Err(SaveError::NotFound | SaveError::CodeTaken) => Err(Refusal::NotFound),
        Err(SaveError::Db(e)) => Err(Refusal::internal(&e, "changing a staff account")),
    }
}

/// `POST /petugas/admin/petugas/{id}/status` (`aktif=ya|tidak`): deactivating ends the
/// account's sessions at once; no administrator can lock themselves out this way.
pub async fn set_staff_active(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Administrator(me): Administrator,
    lang: Lang,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    let active = pairs.iter().any(|(k, v)| k == fields::ACTIVE && v == "ya");
    if !active && id == me.id {
        return Ok(plain(StatusCode::CONFLICT, (lang.admin().problem)(AdminProblem::OwnAccount)));
    }
    if !db::set_staff_active(state.db.pool(), Some(me.id), id, active).await.context("changing a staff account's status")? {
        return Err(Refusal::NotFound);
    }
    tracing::info!(staff = me.id, account = id, active, "staff account status changed");
    Ok(Redirect::to(&format!("/petugas/admin/petugas/{id}")).into_response())
}

/// `POST /petugas/admin/petugas/{id}/tautan`: emails the account a link to set its password.
pub async fn send_password_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Administrator(me): Administrator,
    lang: Lang,
    FormPairs(_): FormPairs,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    if db::send_password_link(state.db.pool(), me.id, id).await.context("sending a password link")? {
        Ok(Redirect::to(&format!("/petugas/admin/petugas/{id}?tautan=1")).into_response())
    } else {
        Ok(plain(StatusCode::CONFLICT, (lang.admin().problem)(AdminProblem::EmailInvalid)))
    }
}

/// `POST /petugas/sandi`: a staff member sets their own password with the emailed link's
/// token. The token is spent, every session of the account ends, and the history says so.
pub async fn set_password(State(state): State<AppState>, lang: Lang, headers: HeaderMap, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let a = lang.admin();
    let gone = |status| Ok(plain(status, a.password_link_gone));
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let Some(token) = super::token::SecretToken::parse(get("token")) else { return gone(StatusCode::NOT_FOUND) };
    let pool = state.db.pool();
    let Some((staff_id, username)) = db::password_link_owner(pool, &token.hash()).await.context("reading a password link")? else {
        return gone(StatusCode::GONE);
    };
    let page = format!("/petugas/sandi?token={}", token.as_str());
    let refuse = |message: &'static str| {
        let (state, headers, page) = (state.clone(), headers.clone(), page.clone());
        async move { Ok(render_page(&state, &headers, &page, PasswordRefused(message), StatusCode::UNPROCESSABLE_ENTITY).await) }
    };
    let Ok(name) = crate::domain::staff::Username::parse(&username) else { return gone(StatusCode::GONE) };
    let password = match crate::domain::staff::NewPassword::parse(get("kata_sandi"), &name) {
        Ok(p) => p,
        Err(e) => return refuse((a.password_problem)(e)).await,
    };
    if get("kata_sandi_ulang") != password.expose() {
        return refuse(a.password_mismatch).await;
    }
    let hash = match super::secrets::hash_password(password.expose()).await {
        Ok(hash) => hash,
        Err(super::secrets::HashError::Busy(_)) => return Ok(super::http::busy(lang)),
        Err(e) => return Err(Refusal::internal(&e, "hashing a password")),
    };
    if !db::set_password(pool, &token.hash(), staff_id, &username, &hash).await.context("setting a password")? {
        return gone(StatusCode::GONE);
    }
    tracing::info!(staff = staff_id, "password set through a link");
    Ok(Redirect::to("/petugas/masuk?sandi=1").into_response())
}
