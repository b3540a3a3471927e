//! Administration's form posts (programs, holidays) and the data of its pages. Every post
//! checks the caller is an administrator, parses the form in the domain core, and writes the
//! change with its history line in one transaction; a refused form is shown again with what
//! was typed and what is wrong, and changes nothing.

use super::auth::{self, StaffMember};
use super::db::admin::{self as db, SaveError};
use super::http::{internal_error as internal, plain_text as plain, render_page};
use super::state::AppState;
use crate::api::admin::{AdminRefused, PasswordRefused, ProgramFormData, ProgramListLine};
use crate::domain::admin::{AdminProblem, CategoryDraft, Holiday, ProgramDraft, ServicePointDraft, fields};
use crate::domain::workflow::Role;
use crate::domain::{Date, ProgramCode};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

type FormPost = Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>;

/// The caller, if an administrator; otherwise the answer to give.
async fn administrator(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<StaffMember, Response> {
    match auth::member_from(state.db.pool(), headers).await {
        Ok(Some(me)) if me.has(Role::Administrator) => Ok(me),
        Ok(Some(me)) => {
            tracing::warn!(staff = me.id, "refused an administrative change by someone who is not an administrator");
            Err(plain(StatusCode::FORBIDDEN, lang.staff().forbidden))
        }
        Ok(None) => Err(Redirect::to("/petugas/masuk").into_response()),
        Err(e) => Err(internal(&e, "checking a staff session", lang)),
    }
}

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
    let categories = super::catalogue::categories(pool, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let (values, name) = match code {
        None => (vec![(fields::ACTIVE.to_string(), "ya".to_string())], String::new()),
        Some(code) => match db::program(pool, code).await.map_err(|e| AppError::internal(&e, doing))? {
            Some(p) => (p.to_pairs(), lang.pick(&p.name_id, &p.name_en).clone()),
            None => return Ok(None),
        },
    };
    Ok(Some(ProgramFormData { code: code.map(str::to_string), name, categories, values }))
}

async fn save(state: AppState, headers: HeaderMap, code: Option<String>, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let pool = state.db.pool();
    let existing = match &code {
        None => None,
        Some(c) => match ProgramCode::parse(c) {
            Ok(c) => Some(c),
            Err(_) => return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        },
    };
    let page = match &existing {
        None => "/petugas/admin/program-baru".to_string(),
        Some(c) => format!("/petugas/admin/program/{c}"),
    };
    let categories = match db::category_codes(pool).await {
        Ok(c) => c,
        Err(e) => return internal(&e, "reading categories", lang),
    };
    let draft = match ProgramDraft::parse(&pairs, &categories, existing.as_ref()) {
        Ok(draft) => draft,
        Err(problems) => return refuse(&state, &headers, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match db::save_program(pool, me.id, &draft, existing.is_none()).await {
        Ok(()) => {
            tracing::info!(staff = me.id, program = draft.code.as_str(), "program saved");
            Redirect::to("/petugas/admin/program?disimpan=1").into_response()
        }
        Err(SaveError::CodeTaken) => refuse(&state, &headers, &page, pairs, vec![(fields::CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await,
        Err(SaveError::NotFound) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(SaveError::Db(e)) => internal(&e, "saving a program", lang),
    }
}

/// `POST /petugas/admin/program`: a new program.
pub async fn create_program(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    save(state, headers, None, form).await
}

/// `POST /petugas/admin/program/{code}`: changes to a program (its code stays).
pub async fn update_program(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    save(state, headers, Some(code), form).await
}

/// `POST /petugas/admin/libur`: a public holiday.
pub async fn add_holiday(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let pool = state.db.pool();
    let existing = match db::holiday_days(pool).await {
        Ok(days) => days,
        Err(e) => return internal(&e, "reading holidays", lang),
    };
    match Holiday::parse(&pairs, &existing) {
        Ok(holiday) => match db::add_holiday(pool, me.id, &holiday).await {
            Ok(()) => Redirect::to("/petugas/admin/libur").into_response(),
            Err(e) => internal(&e, "adding a holiday", lang),
        },
        Err(problems) => refuse(&state, &headers, "/petugas/admin/libur", pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// `POST /petugas/admin/libur/hapus`: removes a holiday (deadlines set before keep their date).
pub async fn remove_holiday(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let day = pairs.iter().find(|(k, _)| k == fields::HOLIDAY_DAY).and_then(|(_, v)| Date::parse_iso(v.trim()).ok());
    let Some(day) = day else { return plain(StatusCode::UNPROCESSABLE_ENTITY, (lang.admin().problem)(AdminProblem::DateInvalid)) };
    match db::remove_holiday(state.db.pool(), me.id, day).await {
        Ok(_) => Redirect::to("/petugas/admin/libur").into_response(),
        Err(e) => internal(&e, "removing a holiday", lang),
    }
}

/// A form post's common start: the administrator and the form, or the answer to give.
async fn admin_form(state: &AppState, headers: &HeaderMap, form: FormPost) -> Result<(StaffMember, Vec<(String, String)>, Lang), Response> {
    let lang = Lang::from_headers(headers);
    let me = administrator(state, headers, lang).await?;
    let Ok(Form(pairs)) = form else { return Err(plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete)) };
    Ok((me, pairs, lang))
}

async fn refuse(state: &AppState, headers: &HeaderMap, page: &str, values: Vec<(String, String)>, problems: Vec<(&'static str, AdminProblem)>, status: StatusCode) -> Response {
    render_page(state, headers, page, AdminRefused { values, problems }, status).await
}

async fn save_category(state: AppState, headers: HeaderMap, code: Option<String>, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let existing = match code.as_deref().map(str::parse::<i64>) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
    };
    let page = existing.map(|c| format!("/petugas/admin/kategori/{c}")).unwrap_or_else(|| "/petugas/admin/kategori-baru".to_string());
    let draft = match CategoryDraft::parse(&pairs, existing) {
        Ok(draft) => draft,
        Err(problems) => return refuse(&state, &headers, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match db::save_category(state.db.pool(), me.id, &draft, existing.is_none()).await {
        Ok(()) => Redirect::to("/petugas/admin/kategori?disimpan=1").into_response(),
        Err(SaveError::CodeTaken) => {
            refuse(&state, &headers, &page, pairs, vec![(fields::CATEGORY_CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await
        }
        Err(SaveError::NotFound) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(SaveError::Db(e)) => internal(&e, "saving a category", lang),
    }
}

/// `POST /petugas/admin/kategori`: a new PPKS category.
pub async fn create_category(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    save_category(state, headers, None, form).await
}

/// `POST /petugas/admin/kategori/{code}`: a category's names, open or not.
pub async fn update_category(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    save_category(state, headers, Some(code), form).await
}

async fn save_point(state: AppState, headers: HeaderMap, code: Option<String>, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let existing = match code.as_deref().map(ProgramCode::parse) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
    };
    let page = existing.as_ref().map(|c| format!("/petugas/admin/titik-layanan/{c}")).unwrap_or_else(|| "/petugas/admin/titik-layanan-baru".to_string());
    let draft = match ServicePointDraft::parse(&pairs, existing.as_ref()) {
        Ok(draft) => draft,
        Err(problems) => return refuse(&state, &headers, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match db::village_exists(state.db.pool(), draft.village.as_str()).await {
        Ok(true) => {}
        Ok(false) => {
            return refuse(&state, &headers, &page, pairs, vec![(fields::POINT_VILLAGE, AdminProblem::VillageInvalid)], StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return internal(&e, "checking a village", lang),
    }
    match db::save_service_point(state.db.pool(), me.id, &draft, existing.is_none()).await {
        Ok(()) => Redirect::to("/petugas/admin/titik-layanan?disimpan=1").into_response(),
        Err(SaveError::CodeTaken) => refuse(&state, &headers, &page, pairs, vec![(fields::CODE, AdminProblem::CodeTaken)], StatusCode::CONFLICT).await,
        Err(SaveError::NotFound) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(SaveError::Db(e)) => internal(&e, "saving a service point", lang),
    }
}

/// `POST /petugas/admin/titik-layanan`: a new service point.
pub async fn create_service_point(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    save_point(state, headers, None, form).await
}

/// `POST /petugas/admin/titik-layanan/{code}`: changes to a service point.
pub async fn update_service_point(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    save_point(state, headers, Some(code), form).await
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
pub async fn create_staff(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let page = "/petugas/admin/petugas-baru";
    let draft = match parse_staff(&state, &pairs, None).await {
        Ok(Ok(draft)) => draft,
        Ok(Err(problems)) => return refuse(&state, &headers, page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => return internal(&e, "reading the staff form's choices", lang),
    };
    match db::create_staff(state.db.pool(), me.id, &draft).await {
        Ok(id) => {
            tracing::info!(staff = me.id, account = id, "staff account created");
            Redirect::to(&format!("/petugas/admin/petugas/{id}?tautan=1")).into_response()
        }
        Err(SaveError::CodeTaken) => refuse(&state, &headers, page, pairs, vec![(fields::USERNAME, AdminProblem::UsernameTaken)], StatusCode::CONFLICT).await,
        Err(SaveError::NotFound) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(SaveError::Db(e)) => internal(&e, "creating a staff account", lang),
    }
}

/// `POST /petugas/admin/petugas/{id}`: an account's name, email, roles, areas, service points.
pub async fn update_staff(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Ok(id) = id.parse::<i64>() else { return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title) };
    let pool = state.db.pool();
    let account = match db::staff_account(pool, id).await {
        Ok(Some(account)) => account,
        Ok(None) => return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(e) => return internal(&e, "reading a staff account", lang),
    };
    let Ok(username) = crate::domain::staff::Username::parse(&account.username) else {
        return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title);
    };
    let page = format!("/petugas/admin/petugas/{id}");
    let draft = match parse_staff(&state, &pairs, Some(&username)).await {
        Ok(Ok(draft)) => draft,
        Ok(Err(problems)) => return refuse(&state, &headers, &page, pairs, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => return internal(&e, "reading the staff form's choices", lang),
    };
    match db::update_staff(pool, me.id, id, &draft).await {
        Ok(()) => Redirect::to(&format!("{page}?disimpan=1")).into_response(),
        Err(SaveError::NotFound | SaveError::CodeTaken) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(SaveError::Db(e)) => internal(&e, "changing a staff account", lang),
    }
}

/// `POST /petugas/admin/petugas/{id}/status` (`aktif=ya|tidak`): deactivating ends the
/// account's sessions at once; no administrator can lock themselves out this way.
pub async fn set_staff_active(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, pairs, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Ok(id) = id.parse::<i64>() else { return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title) };
    let active = pairs.iter().any(|(k, v)| k == fields::ACTIVE && v == "ya");
    if !active && id == me.id {
        return plain(StatusCode::CONFLICT, (lang.admin().problem)(AdminProblem::OwnAccount));
    }
    match db::set_staff_active(state.db.pool(), Some(me.id), id, active).await {
        Ok(true) => {
            tracing::info!(staff = me.id, account = id, active, "staff account status changed");
            Redirect::to(&format!("/petugas/admin/petugas/{id}")).into_response()
        }
        Ok(false) => plain(StatusCode::NOT_FOUND, lang.texts().not_found_title),
        Err(e) => internal(&e, "changing a staff account's status", lang),
    }
}

/// `POST /petugas/admin/petugas/{id}/tautan`: emails the account a link to set its password.
pub async fn send_password_link(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, form: FormPost) -> Response {
    let (me, _, lang) = match admin_form(&state, &headers, form).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Ok(id) = id.parse::<i64>() else { return plain(StatusCode::NOT_FOUND, lang.texts().not_found_title) };
    match db::send_password_link(state.db.pool(), me.id, id).await {
        Ok(true) => Redirect::to(&format!("/petugas/admin/petugas/{id}?tautan=1")).into_response(),
        Ok(false) => plain(StatusCode::CONFLICT, (lang.admin().problem)(AdminProblem::EmailInvalid)),
        Err(e) => internal(&e, "sending a password link", lang),
    }
}

/// `POST /petugas/sandi`: a staff member sets their own password with the emailed link's
/// token. The token is spent, every session of the account ends, and the history says so.
pub async fn set_password(State(state): State<AppState>, headers: HeaderMap, form: FormPost) -> Response {
    let lang = Lang::from_headers(&headers);
    let a = lang.admin();
    let Ok(Form(pairs)) = form else { return plain(StatusCode::BAD_REQUEST, lang.texts().request_incomplete) };
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let Some(token) = super::token::SecretToken::parse(get("token")) else { return plain(StatusCode::NOT_FOUND, a.password_link_gone) };
    let pool = state.db.pool();
    let (staff_id, username) = match db::password_link_owner(pool, &token.hash()).await {
        Ok(Some(owner)) => owner,
        Ok(None) => return plain(StatusCode::GONE, a.password_link_gone),
        Err(e) => return internal(&e, "reading a password link", lang),
    };
    let page = format!("/petugas/sandi?token={}", token.as_str());
    let refuse = |message: &'static str| {
        let (state, headers, page) = (state.clone(), headers.clone(), page.clone());
        async move { render_page(&state, &headers, &page, PasswordRefused(message), StatusCode::UNPROCESSABLE_ENTITY).await }
    };
    let Ok(name) = crate::domain::staff::Username::parse(&username) else { return plain(StatusCode::GONE, a.password_link_gone) };
    let password = match crate::domain::staff::NewPassword::parse(get("kata_sandi"), &name) {
        Ok(p) => p,
        Err(e) => return refuse((a.password_problem)(e)).await,
    };
    if get("kata_sandi_ulang") != password.expose() {
        return refuse(a.password_mismatch).await;
    }
    let hash = match super::secrets::hash_password(password.expose()).await {
        Ok(hash) => hash,
        Err(super::secrets::HashError::Busy(_)) => return super::http::busy(lang),
        Err(e) => return internal(&e, "hashing a password", lang),
    };
    match db::set_password(pool, &token.hash(), staff_id, &username, &hash).await {
        Ok(true) => {
            tracing::info!(staff = staff_id, "password set through a link");
            Redirect::to("/petugas/masuk?sandi=1").into_response()
        }
        Ok(false) => plain(StatusCode::GONE, a.password_link_gone),
        Err(e) => internal(&e, "setting a password", lang),
    }
}
