//! Administration's queries: programs and holidays as administrators set them, each change
//! written with its line in the append-only `admin_history` in one transaction.

use super::{now_utc, parse_column};
use crate::domain::admin::{CategoryDraft, Holiday, ProgramDraft, ServicePointDraft};
use crate::domain::eligibility::Eligibility;
use crate::domain::{Date, DocumentKind, ProgramCode, WorkingDays};
use sqlx::{Any, AnyPool, FromRow, Transaction};

/// A line of the program list.
#[derive(Clone, Debug, FromRow)]
pub struct ProgramLine {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub deadline_working_days: i64,
    pub in_check: i64,
    pub active_flag: i64,
}

/// Every program, open or not, in display order.
pub async fn programs(pool: &AnyPool) -> Result<Vec<ProgramLine>, sqlx::Error> {
    // Booleans are read as numbers: the Any driver cannot decode SQLite's BOOLEAN.
    sqlx::query_as(
        "SELECT code, name_id, name_en, deadline_working_days, \
         CASE WHEN eligibility IS NULL THEN 0 ELSE 1 END AS in_check, CASE WHEN active THEN 1 ELSE 0 END AS active_flag \
         FROM programs ORDER BY position, id",
    )
    .fetch_all(pool)
    .await
}

#[derive(FromRow)]
struct ProgramRow {
    id: i64,
    code: String,
    name_id: String,
    name_en: String,
    summary_id: String,
    summary_en: String,
    deadline_working_days: i64,
    active_flag: i64,
    eligibility: Option<String>,
}

/// One program as its edit form shows it.
pub async fn program(pool: &AnyPool, code: &str) -> Result<Option<ProgramDraft>, sqlx::Error> {
    let row: Option<ProgramRow> = sqlx::query_as(
        "SELECT id, code, name_id, name_en, summary_id, summary_en, deadline_working_days, \
         CASE WHEN active THEN 1 ELSE 0 END AS active_flag, eligibility FROM programs WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let categories: Vec<(i64,)> =
        sqlx::query_as("SELECT ppks_code FROM program_ppks WHERE program_id = $1 ORDER BY ppks_code").bind(row.id).fetch_all(pool).await?;
    let documents: Vec<(String,)> =
        sqlx::query_as("SELECT document_kind FROM program_documents WHERE program_id = $1 ORDER BY position").bind(row.id).fetch_all(pool).await?;
    let eligibility = match &row.eligibility {
        Some(json) => Some(parse_column("eligibility", serde_json::from_str::<Eligibility>(json))?),
        None => None,
    };
    Ok(Some(ProgramDraft {
        code: parse_column("code", ProgramCode::parse(&row.code))?,
        name_id: row.name_id,
        name_en: row.name_en,
        summary_id: row.summary_id,
        summary_en: row.summary_en,
        categories: categories.into_iter().map(|(c,)| c).collect(),
        documents: documents.iter().filter_map(|(d,)| DocumentKind::from_slug(d)).collect(),
        deadline: parse_column("deadline_working_days", WorkingDays::new(row.deadline_working_days))?,
        active: row.active_flag != 0,
        eligibility,
    }))
}

/// The PPKS category codes that exist.
pub async fn category_codes(pool: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT code FROM ppks_categories ORDER BY code").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Appends a line to the administrative history (inside the change's transaction).
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    staff_id: i64,
    subject: &str,
    key: &str,
    action: &str,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO admin_history (at, staff_id, subject, subject_key, action, details) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now_utc())
        .bind(staff_id)
        .bind(subject)
        .bind(key)
        .bind(action)
        .bind(details)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// A new program's code is another's.
    #[error("the code is taken")]
    CodeTaken,
    /// The program to change does not exist.
    #[error("no such program")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates (`new`) or changes a program with its categories and documents, and records it.
pub async fn save_program(pool: &AnyPool, staff_id: i64, draft: &ProgramDraft, new: bool) -> Result<(), SaveError> {
    let now = now_utc();
    let eligibility = draft.eligibility.as_ref().map(serde_json::to_string).transpose().map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = pool.begin().await?;
    let id: i64 = if new {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM programs WHERE code = $1").bind(draft.code.as_str()).fetch_optional(&mut *tx).await?;
        if taken.is_some() {
            return Err(SaveError::CodeTaken);
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO programs (code, name_id, name_en, summary_id, summary_en, deadline_working_days, active, position, created_at, updated_at, eligibility) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(position), 0) + 1 FROM programs), $8, $8, $9) RETURNING id",
        )
        .bind(draft.code.as_str())
        .bind(&draft.name_id)
        .bind(&draft.name_en)
        .bind(&draft.summary_id)
        .bind(&draft.summary_en)
        .bind(i64::from(draft.deadline))
        .bind(draft.active)
        .bind(&now)
        .bind(&eligibility)
        .fetch_one(&mut *tx)
        .await?;
        id
    } else {
        let found: Option<(i64,)> = sqlx::query_as(
            "UPDATE programs SET name_id = $1, name_en = $2, summary_id = $3, summary_en = $4, deadline_working_days = $5, \
             active = $6, eligibility = $7, updated_at = $8 WHERE code = $9 RETURNING id",
        )
        .bind(&draft.name_id)
        .bind(&draft.name_en)
        .bind(&draft.summary_id)
        .bind(&draft.summary_en)
        .bind(i64::from(draft.deadline))
        .bind(draft.active)
        .bind(&eligibility)
        .bind(&now)
        .bind(draft.code.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = found else { return Err(SaveError::NotFound) };
        sqlx::query("DELETE FROM program_ppks WHERE program_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM program_documents WHERE program_id = $1").bind(id).execute(&mut *tx).await?;
        id
    };
    for code in &draft.categories {
        sqlx::query("INSERT INTO program_ppks (program_id, ppks_code) VALUES ($1, $2)").bind(id).bind(code).execute(&mut *tx).await?;
    }
    for (position, kind) in draft.documents.iter().enumerate() {
        sqlx::query("INSERT INTO program_documents (program_id, document_kind, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(kind.slug())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    let details = serde_json::to_string(draft).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    record(&mut tx, staff_id, "program", draft.code.as_str(), if new { "create" } else { "update" }, &details).await?;
    tx.commit().await?;
    Ok(())
}

/// The public holidays from a year ago on, by date.
pub async fn holidays(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT day, name FROM public_holidays ORDER BY day").fetch_all(pool).await
}

pub async fn holiday_days(pool: &AnyPool) -> Result<Vec<Date>, sqlx::Error> {
    Ok(holidays(pool).await?.iter().filter_map(|(d, _)| Date::parse_iso(d).ok()).collect())
}

pub async fn add_holiday(pool: &AnyPool, staff_id: i64, holiday: &Holiday) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO public_holidays (day, name) VALUES ($1, $2)")
        .bind(holiday.day.to_string())
        .bind(&holiday.name)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "name": holiday.name }).to_string();
    record(&mut tx, staff_id, "holiday", &holiday.day.to_string(), "create", &details).await?;
    tx.commit().await
}

/// Removes a holiday; `false` if there was none that day.
pub async fn remove_holiday(pool: &AnyPool, staff_id: i64, day: Date) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let gone = sqlx::query("DELETE FROM public_holidays WHERE day = $1").bind(day.to_string()).execute(&mut *tx).await?;
    if gone.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    record(&mut tx, staff_id, "holiday", &day.to_string(), "delete", "{}").await?;
    tx.commit().await?;
    Ok(true)
}

/// A line of the administrative history.
#[derive(Clone, Debug, FromRow)]
pub struct HistoryLine {
    pub at: String,
    pub who: Option<String>,
    pub subject: String,
    pub subject_key: String,
    pub action: String,
}

/// The latest administrative changes, newest first.
pub async fn history(pool: &AnyPool, limit: i64) -> Result<Vec<HistoryLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT h.at, s.full_name AS who, h.subject, h.subject_key, h.action FROM admin_history h \
         LEFT JOIN staff s ON s.id = h.staff_id ORDER BY h.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Every PPKS category, `(code, name_id, name_en, active)`.
pub async fn categories(pool: &AnyPool) -> Result<Vec<(i64, String, String, bool)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT code, name_id, name_en, CASE WHEN active THEN 1 ELSE 0 END FROM ppks_categories ORDER BY code").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(c, i, e, a)| (c, i, e, a != 0)).collect())
}

pub async fn category(pool: &AnyPool, code: i64) -> Result<Option<CategoryDraft>, sqlx::Error> {
    Ok(categories(pool).await?.into_iter().find(|(c, ..)| *c == code).map(|(code, name_id, name_en, active)| CategoryDraft {
        code,
        name_id,
        name_en,
        active,
    }))
}

/// Creates (`new`) or changes a PPKS category, and records it.
pub async fn save_category(pool: &AnyPool, staff_id: i64, draft: &CategoryDraft, new: bool) -> Result<(), SaveError> {
    let mut tx = pool.begin().await?;
    let written = if new {
        sqlx::query("INSERT INTO ppks_categories (code, name_id, name_en, active) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
    } else {
        sqlx::query("UPDATE ppks_categories SET name_id = $2, name_en = $3, active = $4 WHERE code = $1")
    }
    .bind(draft.code)
    .bind(&draft.name_id)
    .bind(&draft.name_en)
    .bind(draft.active)
    .execute(&mut *tx)
    .await?;
    if written.rows_affected() != 1 {
        return Err(if new { SaveError::CodeTaken } else { SaveError::NotFound });
    }
    let details = serde_json::to_string(draft).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    record(&mut tx, staff_id, "category", &draft.code.to_string(), if new { "create" } else { "update" }, &details).await?;
    tx.commit().await?;
    Ok(())
}

/// A line of the service point list: code, name, village name, active.
pub async fn service_points(pool: &AnyPool) -> Result<Vec<(String, String, String, bool)>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT s.code, s.name, v.name, CASE WHEN s.active THEN 1 ELSE 0 END FROM service_points s \
         LEFT JOIN villages v ON v.code = s.village_code ORDER BY s.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(c, n, v, a)| (c, n, v.unwrap_or_default(), a != 0)).collect())
}

pub async fn service_point(pool: &AnyPool, code: &str) -> Result<Option<ServicePointDraft>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT code, name, kind, address, village_code, phone, opening_hours, CASE WHEN active THEN 1 ELSE 0 END FROM service_points WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    let Some((code, name, kind, address, village, phone, opening_hours, active)) = row else { return Ok(None) };
    Ok(Some(ServicePointDraft {
        code: parse_column("code", ProgramCode::parse(&code))?,
        name,
        kind,
        address,
        village: parse_column("village_code", crate::domain::RegionCode::parse(&village))?,
        phone,
        opening_hours,
        active: active != 0,
    }))
}

/// Whether a village code is in the official list.
pub async fn village_exists(pool: &AnyPool, code: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as("SELECT code FROM villages WHERE code = $1").bind(code).fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// Creates (`new`) or changes a service point, and records it.
pub async fn save_service_point(pool: &AnyPool, staff_id: i64, draft: &ServicePointDraft, new: bool) -> Result<(), SaveError> {
    let mut tx = pool.begin().await?;
    let written = if new {
        sqlx::query(
            "INSERT INTO service_points (code, name, kind, address, village_code, phone, opening_hours, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING",
        )
    } else {
        sqlx::query(
            "UPDATE service_points SET name = $2, kind = $3, address = $4, village_code = $5, phone = $6, opening_hours = $7, active = $8 \
             WHERE code = $1 AND $9 = $9",
        )
    }
    .bind(draft.code.as_str())
    .bind(&draft.name)
    .bind(&draft.kind)
    .bind(&draft.address)
    .bind(draft.village.as_str())
    .bind(&draft.phone)
    .bind(&draft.opening_hours)
    .bind(draft.active)
    .bind(now_utc())
    .execute(&mut *tx)
    .await?;
    if written.rows_affected() != 1 {
        return Err(if new { SaveError::CodeTaken } else { SaveError::NotFound });
    }
    let details = serde_json::to_string(draft).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    record(&mut tx, staff_id, "service_point", draft.code.as_str(), if new { "create" } else { "update" }, &details).await?;
    tx.commit().await?;
    Ok(())
}
