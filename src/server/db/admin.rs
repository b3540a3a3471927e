//! Administration's queries: programs and holidays as administrators set them, each change
//! written with its line in the append-only `admin_history` in one transaction.
//!
//! Longer than 500 lines: every administrative write is here with its history line, one function per kind of change.

use super::{now_utc, parse_column};
use crate::domain::admin::{CategoryDraft, Holiday, ProgramDraft, ServicePointDraft, StaffDraft};
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
/// `staff_id` is who made the change; `None`: Layan itself (at start-up).
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    staff_id: impl Into<Option<i64>>,
    subject: &str,
    key: &str,
    action: &str,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO admin_history (at, staff_id, subject, subject_key, action, details) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now_utc())
        .bind(staff_id.into())
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

/// Every public holiday, `(YYYY-MM-DD, name)`, by date.
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

/// A line of the staff list.
#[derive(Clone, Debug, FromRow)]
pub struct StaffLine {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Option<String>,
    pub active_flag: i64,
}

/// Every staff account, by name, with its roles (comma-separated slugs).
pub async fn staff_list(pool: &AnyPool) -> Result<Vec<StaffLine>, sqlx::Error> {
    let mut lines: Vec<StaffLine> = sqlx::query_as(
        "SELECT s.id, s.username, s.full_name, NULL AS roles, CASE WHEN s.active THEN 1 ELSE 0 END AS active_flag FROM staff s ORDER BY s.full_name",
    )
    .fetch_all(pool)
    .await?;
    let roles: Vec<(i64, String)> = sqlx::query_as("SELECT staff_id, role FROM staff_roles ORDER BY staff_id, role").fetch_all(pool).await?;
    for line in &mut lines {
        let mine: Vec<&str> = roles.iter().filter(|(id, _)| *id == line.id).map(|(_, r)| r.as_str()).collect();
        line.roles = Some(mine.join(","));
    }
    Ok(lines)
}

/// One account as stored (its email may be missing: accounts made before email was
/// required, like the demo's or `create-admin`'s).
#[derive(Clone, Debug)]
pub struct StaffAccount {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub areas: Vec<String>,
    pub service_points: Vec<i64>,
    pub active: bool,
}

impl StaffAccount {
    /// As the edit form's fields.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        use crate::domain::admin::fields;
        let mut out = vec![
            (fields::USERNAME.to_string(), self.username.clone()),
            (fields::FULL_NAME.to_string(), self.full_name.clone()),
            (fields::EMAIL.to_string(), self.email.clone().unwrap_or_default()),
        ];
        out.extend(self.roles.iter().map(|r| (fields::ROLE.to_string(), r.clone())));
        out.extend(self.areas.iter().map(|a| (fields::AREA.to_string(), a.clone())));
        out.extend(self.service_points.iter().map(|p| (fields::SERVICE_POINT.to_string(), p.to_string())));
        out
    }
}

pub async fn staff_account(pool: &AnyPool, id: i64) -> Result<Option<StaffAccount>, sqlx::Error> {
    let row: Option<(String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT username, full_name, email, CASE WHEN active THEN 1 ELSE 0 END FROM staff WHERE id = $1").bind(id).fetch_optional(pool).await?;
    let Some((username, full_name, email, active)) = row else { return Ok(None) };
    let (roles, areas) = super::staff::roles_and_areas(pool, id).await?;
    let points: Vec<(i64,)> =
        sqlx::query_as("SELECT service_point_id FROM staff_service_points WHERE staff_id = $1 ORDER BY service_point_id").bind(id).fetch_all(pool).await?;
    Ok(Some(StaffAccount {
        username,
        full_name,
        email,
        roles: roles.into_iter().map(|r| r.slug().to_string()).collect(),
        areas,
        service_points: points.into_iter().map(|(p,)| p).collect(),
        active: active != 0,
    }))
}

async fn write_assignments(tx: &mut Transaction<'_, Any>, id: i64, draft: &StaffDraft) -> Result<(), sqlx::Error> {
    for table in ["staff_roles", "staff_areas", "staff_service_points"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE staff_id = $1")).bind(id).execute(&mut **tx).await?;
    }
    for role in &draft.roles {
        sqlx::query("INSERT INTO staff_roles (staff_id, role) VALUES ($1, $2)").bind(id).bind(role.slug()).execute(&mut **tx).await?;
    }
    for area in &draft.areas {
        sqlx::query("INSERT INTO staff_areas (staff_id, region_code) VALUES ($1, $2)").bind(id).bind(area).execute(&mut **tx).await?;
    }
    for point in &draft.service_points {
        sqlx::query("INSERT INTO staff_service_points (staff_id, service_point_id) VALUES ($1, $2)").bind(id).bind(point).execute(&mut **tx).await?;
    }
    Ok(())
}

/// What the history keeps of an account: no email, no password.
fn staff_details(draft: &StaffDraft) -> String {
    serde_json::json!({
        "full_name": draft.full_name,
        "roles": draft.roles.iter().map(|r| r.slug()).collect::<Vec<_>>(),
        "areas": draft.areas,
        "service_points": draft.service_points,
    })
    .to_string()
}

/// How long a password link works.
const PASSWORD_LINK_SECONDS: i64 = 24 * 3600;

/// Ends every unused password link of `staff_id` (but `keep`): a new link, a password set
/// or an email change leaves no older link working in someone's inbox.
async fn revoke_password_links(tx: &mut Transaction<'_, Any>, staff_id: i64, keep: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_password_links WHERE staff_id = $1 AND used_at IS NULL AND token_hash <> COALESCE($2, '')")
        .bind(staff_id)
        .bind(keep)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Makes a password link for `staff_id` (ending any older one) and queues its email to
/// `email`, in `tx`.
async fn queue_password_link(tx: &mut Transaction<'_, Any>, staff_id: i64, email: &str) -> Result<(), sqlx::Error> {
    revoke_password_links(tx, staff_id, None).await?;
    let token = crate::server::token::SecretToken::generate();
    sqlx::query("INSERT INTO staff_password_links (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token.hash())
        .bind(staff_id)
        .bind(now_utc())
        .bind(super::utc_in(PASSWORD_LINK_SECONDS))
        .execute(&mut **tx)
        .await?;
    let message = super::outbox::NewMessage {
        key: format!("password_link:{}", token.hash()),
        kind: super::outbox::Kind::PasswordLink,
        channel: super::outbox::Channel::Email,
        application_id: None,
        complaint_id: None,
        recipient: email,
        event: "password_link",
        details: Some(token.as_str()),
    };
    super::outbox::put(&mut **tx, &message).await
}

/// A new account, with no usable password: its owner sets one through the emailed link.
pub async fn create_staff(pool: &AnyPool, by: i64, draft: &StaffDraft) -> Result<i64, SaveError> {
    let now = now_utc();
    let mut tx = pool.begin().await?;
    // "!" is no argon2 hash: no password verifies against it until the owner sets one.
    let made: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO staff (username, full_name, email, password_hash, active, created_at, updated_at) VALUES ($1, $2, $3, '!', TRUE, $4, $4) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(draft.username.as_str())
    .bind(&draft.full_name)
    .bind(draft.email.as_str())
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id,)) = made else { return Err(SaveError::CodeTaken) };
    write_assignments(&mut tx, id, draft).await?;
    queue_password_link(&mut tx, id, draft.email.as_str()).await?;
    record(&mut tx, by, "staff", draft.username.as_str(), "create", &staff_details(draft)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an account's name, email, roles, areas and service points.
pub async fn update_staff(pool: &AnyPool, by: i64, id: i64, draft: &StaffDraft) -> Result<(), SaveError> {
    let mut tx = pool.begin().await?;
    // The first statement writes (SQLite's lock before the read) and gives the old address.
    let before: Option<(Option<String>,)> =
        sqlx::query_as("UPDATE staff SET updated_at = $1 WHERE id = $2 RETURNING email").bind(now_utc()).bind(id).fetch_optional(&mut *tx).await?;
    let Some((old_email,)) = before else { return Err(SaveError::NotFound) };
    sqlx::query("UPDATE staff SET full_name = $1, email = $2 WHERE id = $3")
        .bind(&draft.full_name)
        .bind(draft.email.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_assignments(&mut tx, id, draft).await?;
    record(&mut tx, by, "staff", draft.username.as_str(), "update", &staff_details(draft)).await?;
    // A new address: links sent to the old one stop working, and the history says so (the
    // history keeps no address itself).
    if old_email.as_deref().map(str::to_lowercase) != Some(draft.email.as_str().to_lowercase()) {
        revoke_password_links(&mut tx, id, None).await?;
        record(&mut tx, by, "staff", draft.username.as_str(), "email_change", "{}").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Activates or deactivates an account; deactivating ends its sessions at once. `false` if
/// there is no such account.
/// Activates or deactivates an account (ending its sessions at once), with its history line.
/// `by`: the administrator, or `None` for Layan itself (demo accounts at start-up).
pub async fn set_staff_active(pool: &AnyPool, by: Option<i64>, id: i64, active: bool) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let found: Option<(String,)> = sqlx::query_as("UPDATE staff SET active = $1, updated_at = $2 WHERE id = $3 RETURNING username")
        .bind(active)
        .bind(now_utc())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((username,)) = found else { return Ok(false) };
    if !active {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(id).execute(&mut *tx).await?;
    }
    record(&mut tx, by, "staff", &username, if active { "activate" } else { "deactivate" }, "{}").await?;
    tx.commit().await?;
    Ok(true)
}

/// Emails an active account a new password link; `false` if it has no email or is inactive.
pub async fn send_password_link(pool: &AnyPool, by: i64, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The first statement writes, so SQLite takes its lock before the read.
    let found: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE staff SET updated_at = $1 WHERE id = $2 AND active = TRUE RETURNING username, email",
    )
    .bind(now_utc())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((username, Some(email))) = found else { return Ok(false) };
    queue_password_link(&mut tx, id, &email).await?;
    record(&mut tx, by, "staff", &username, "password_link", "{}").await?;
    tx.commit().await?;
    Ok(true)
}

/// The username of the active account a live, unused password link belongs to.
pub async fn password_link_owner(pool: &AnyPool, token_hash: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.username FROM staff_password_links l JOIN staff s ON s.id = l.staff_id \
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND s.active = TRUE",
    )
    .bind(token_hash)
    .bind(now_utc())
    .fetch_optional(pool)
    .await
}

/// Uses a password link: the new hash, the link spent, every session of the account ended.
/// `false` if the link was used or expired meanwhile.
pub async fn set_password(pool: &AnyPool, token_hash: &str, staff_id: i64, username: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
    let now = now_utc();
    let mut tx = pool.begin().await?;
    let spent = sqlx::query("UPDATE staff_password_links SET used_at = $1 WHERE token_hash = $2 AND staff_id = $3 AND used_at IS NULL AND expires_at > $1")
        .bind(&now)
        .bind(token_hash)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    if spent.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("UPDATE staff SET password_hash = $1, updated_at = $2 WHERE id = $3").bind(password_hash).bind(&now).bind(staff_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    revoke_password_links(&mut tx, staff_id, Some(token_hash)).await?;
    record(&mut tx, staff_id, "staff", username, "password_set", "{}").await?;
    tx.commit().await?;
    Ok(true)
}
