//! Complaints and disputes: writing one with its first history line and email in one
//! transaction, the staff's list, replies (guarded like application moves), and the files
//! and access log around them.

use super::now_utc;
use crate::domain::complaint::{ComplaintKind, ComplaintStatus};
use crate::domain::report::Measure;
use crate::domain::workflow::Role;
use sqlx::{AnyPool, FromRow};

/// What the public form or a dispute writes, already parsed by the domain core.
#[derive(Debug)]
pub struct NewComplaintRow {
    pub number: String,
    pub pin_hash: String,
    pub kind: ComplaintKind,
    pub application_id: Option<i64>,
    /// A well-formed registration number the resident named that no application has.
    pub stated_number: Option<String>,
    pub service_point_id: Option<i64>,
    pub regency_code: Option<String>,
    pub district_code: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub due: String,
    /// The public form's key (hash) and the PIN to show its receipt, for an hour.
    pub receipt: Option<(String, String, String)>,
    pub files: Vec<crate::server::storage::StoredFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    /// An open dispute of this application exists already.
    #[error("a dispute is already open")]
    DisputeOpen,
    /// The form was sent before (a double tap): the complaint it made.
    #[error("already received")]
    AlreadyReceived(i64),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl super::Transient for InsertError {
    fn is_transient(&self) -> bool {
        matches!(self, InsertError::Db(e) if super::is_transient(e))
    }
}

/// Writes the complaint, its files, the "received" history line and the email, at once.
pub async fn insert(pool: &AnyPool, new: &NewComplaintRow, utc_offset_hours: i64) -> Result<i64, InsertError> {
    super::retrying(|| insert_once(pool, new, utc_offset_hours)).await
}

async fn insert_once(pool: &AnyPool, new: &NewComplaintRow, utc_offset_hours: i64) -> Result<i64, InsertError> {
    let now = now_utc();
    // The insert is the transaction's first statement: on SQLite a read first would take a
    // snapshot that a simultaneous complaint makes stale (SQLITE_BUSY_SNAPSHOT at the
    // write). A double tap shows up as the receipt key's unique violation below.
    let mut tx = pool.begin().await?;
    let (receipt_key, receipt_pin, receipt_until) = match &new.receipt {
        Some((k, p, u)) => (Some(k.as_str()), Some(p.as_str()), Some(u.as_str())),
        None => (None, None, None),
    };
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO complaints (number, pin_hash, kind, status, application_id, service_point_id, regency_code, district_code, \
         name, email, phone, message, received_at, due, updated_at, receipt_key_hash, receipt_pin, receipt_until, stated_number) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $15, $16, $17, $18) RETURNING id",
    )
    .bind(&new.number)
    .bind(&new.pin_hash)
    .bind(new.kind.slug())
    .bind(ComplaintStatus::Received.slug())
    .bind(new.application_id)
    .bind(new.service_point_id)
    .bind(&new.regency_code)
    .bind(&new.district_code)
    .bind(&new.name)
    .bind(&new.email)
    .bind(&new.phone)
    .bind(&new.message)
    .bind(&now)
    .bind(&new.due)
    .bind(receipt_key)
    .bind(receipt_pin)
    .bind(receipt_until)
    .bind(&new.stated_number)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() && new.kind == ComplaintKind::Dispute => {
            let _ = tx.rollback().await;
            // The number clashing is the other unique key; 40 random bits make that a
            // once-in-a-lifetime event, left to the caller's retry.
            return match open_dispute(pool, new.application_id.unwrap_or_default()).await? {
                Some(_) => Err(InsertError::DisputeOpen),
                None => Err(InsertError::Db(sqlx::Error::Database(d))),
            };
        }
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() && new.receipt.is_some() => {
            let _ = tx.rollback().await;
            let key = new.receipt.as_ref().map(|(k, _, _)| k.as_str()).unwrap_or_default();
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM complaints WHERE receipt_key_hash = $1").bind(key).fetch_optional(pool).await?;
            return match found {
                Some((id,)) => Err(InsertError::AlreadyReceived(id)),
                None => Err(InsertError::Db(sqlx::Error::Database(d))),
            };
        }
        Err(e) => return Err(e.into()),
    };
    for file in &new.files {
        sqlx::query(
            "INSERT INTO complaint_files (id, complaint_id, file_type, byte_size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&file.id)
        .bind(id)
        .bind(file.file_type.mime())
        .bind(file.byte_size as i64)
        .bind(&file.sha256)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let history = append_history(&mut tx, id, None, ComplaintStatus::Received, None, None).await?;
    super::outbox::enqueue_complaint(&mut tx, id, history, ComplaintStatus::Received.slug()).await?;
    super::reports::record_complaint(&mut tx, id, Measure::ComplaintReceived, utc_offset_hours).await?;
    tx.commit().await?;
    Ok(id)
}

async fn append_history(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    complaint_id: i64,
    from: Option<ComplaintStatus>,
    to: ComplaintStatus,
    staff: Option<(i64, Role)>,
    message: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO complaint_history (complaint_id, at, from_status, to_status, actor, staff_id, actor_role, message) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(complaint_id)
    .bind(now_utc())
    .bind(from.map(|s| s.slug()))
    .bind(to.slug())
    .bind(if staff.is_some() { "staff" } else { "resident" })
    .bind(staff.map(|(id, _)| id))
    .bind(staff.map(|(_, role)| role.slug()))
    .bind(message)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// What a dispute of an application takes from it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DisputeTarget {
    pub status: String,
    pub regency_code: String,
    pub district_code: String,
    pub email: Option<String>,
    /// The application's PIN opens its dispute too.
    pub pin_hash: String,
}

pub async fn dispute_target(pool: &AnyPool, application_id: i64) -> Result<Option<DisputeTarget>, sqlx::Error> {
    sqlx::query_as("SELECT status, regency_code, district_code, email, pin_hash FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(pool)
        .await
}

/// The open dispute of an application: (id, number).
pub async fn open_dispute(pool: &AnyPool, application_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, number FROM complaints WHERE application_id = $1 AND kind = 'sanggah' AND status <> 'selesai'")
        .bind(application_id)
        .fetch_optional(pool)
        .await
}

/// The disputes of an application, newest first: (id, number, status).
pub async fn disputes_of(pool: &AnyPool, application_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, number, status FROM complaints WHERE application_id = $1 AND kind = 'sanggah' ORDER BY id DESC")
        .bind(application_id)
        .fetch_all(pool)
        .await
}

/// When the application was decided (the last move to approved, rejected or referred).
pub async fn decided_at(pool: &AnyPool, application_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT MAX(at) FROM application_history WHERE application_id = $1 AND to_status IN ('disetujui', 'ditolak', 'dirujuk')",
    )
    .bind(application_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(at,)| at))
}

/// An application a complaint names, by number: (id, regency, district).
pub async fn application_area(pool: &AnyPool, number: &str) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, regency_code, district_code FROM applications WHERE registration_number = $1")
        .bind(number)
        .fetch_optional(pool)
        .await
}

/// An open service point a complaint names: (regency, district).
pub async fn service_point_area(pool: &AnyPool, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.regency_code, d.code FROM service_points s JOIN villages v ON v.code = s.village_code \
         JOIN districts d ON d.code = v.district_code WHERE s.id = $1 AND s.active = TRUE",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The open service points to choose from: (id, name, district name), by district and name.
pub async fn service_points(pool: &AnyPool) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name, d.name FROM service_points s JOIN villages v ON v.code = s.village_code \
         JOIN districts d ON d.code = v.district_code WHERE s.active = TRUE ORDER BY d.name, s.name",
    )
    .fetch_all(pool)
    .await
}

/// The complaint a receipt key made, while its receipt may still show the PIN:
/// (number, PIN, kind, due).
pub async fn receipt(pool: &AnyPool, key_hash: &str) -> Result<Option<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT number, receipt_pin, kind, due FROM complaints WHERE receipt_key_hash = $1 AND receipt_until > $2 AND receipt_pin IS NOT NULL",
    )
    .bind(key_hash)
    .bind(now_utc())
    .fetch_optional(pool)
    .await
}

/// Forgets receipts' PINs after their hour (the hourly tidy-up).
pub async fn forget_receipt_pins(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE complaints SET receipt_pin = NULL WHERE receipt_pin IS NOT NULL AND receipt_until <= $1")
        .bind(now_utc())
        .execute(pool)
        .await
        .map(|_| ())
}

/// A complaint with this number and its PIN's hash.
pub async fn by_number(pool: &AnyPool, number: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, pin_hash FROM complaints WHERE number = $1").bind(number).fetch_optional(pool).await
}

#[derive(Clone, Debug, FromRow)]
pub struct ComplaintRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub application_id: Option<i64>,
    pub application_number: Option<String>,
    pub service_point_name: Option<String>,
    pub regency_code: Option<String>,
    pub district_code: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub received_at: String,
    pub due: String,
}

pub async fn find(pool: &AnyPool, id: i64) -> Result<Option<ComplaintRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.number, c.kind, c.status, c.application_id, COALESCE(a.registration_number, c.stated_number) AS application_number, \
         s.name AS service_point_name, c.regency_code, c.district_code, c.name, c.email, c.phone, c.message, c.received_at, c.due \
         FROM complaints c LEFT JOIN applications a ON a.id = c.application_id LEFT JOIN service_points s ON s.id = c.service_point_id \
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

#[derive(Clone, Debug, FromRow)]
pub struct ComplaintLine {
    pub at: String,
    pub to_status: String,
    pub actor: String,
    pub actor_role: Option<String>,
    pub staff_name: Option<String>,
    pub message: Option<String>,
}

pub async fn history(pool: &AnyPool, id: i64) -> Result<Vec<ComplaintLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT h.at, h.to_status, h.actor, h.actor_role, s.full_name AS staff_name, h.message FROM complaint_history h \
         LEFT JOIN staff s ON s.id = h.staff_id WHERE h.complaint_id = $1 ORDER BY h.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// The files sent with a complaint: (id, MIME type, size).
pub async fn files(pool: &AnyPool, id: i64) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, file_type, byte_size FROM complaint_files WHERE complaint_id = $1 ORDER BY created_at, id")
        .bind(id)
        .fetch_all(pool)
        .await
}

/// One file: (complaint id, MIME type).
pub async fn file(pool: &AnyPool, file_id: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT complaint_id, file_type FROM complaint_files WHERE id = $1").bind(file_id).fetch_optional(pool).await
}

pub async fn record_access(pool: &AnyPool, staff_id: i64, complaint_id: i64, what: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO complaint_access_log (staff_id, complaint_id, at, what) VALUES ($1, $2, $3, $4)")
        .bind(staff_id)
        .bind(complaint_id)
        .bind(now_utc())
        .bind(what)
        .execute(pool)
        .await
        .map(|_| ())
}

/// A row of the staff's complaint list (no names, no message: the list is seen over a
/// shoulder at a counter).
#[derive(Clone, Debug, FromRow)]
pub struct ListRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub application_number: Option<String>,
    pub service_point_name: Option<String>,
    pub received_at: String,
    pub due: String,
}

/// Which complaints a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListScope {
    Open,
    Overdue,
    Closed,
}

/// The complaints a staff member may handle: of the kinds their roles answer, in their
/// areas or about the office in general; open ones by due date, closed ones newest first.
pub async fn list(
    pool: &AnyPool,
    areas: &[String],
    kinds: &[ComplaintKind],
    scope: ListScope,
    today: &str,
    limit: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT c.id, c.number, c.kind, c.status, COALESCE(a.registration_number, c.stated_number) AS application_number, s.name AS service_point_name, \
         c.received_at, c.due FROM complaints c LEFT JOIN applications a ON a.id = c.application_id \
         LEFT JOIN service_points s ON s.id = c.service_point_id WHERE ",
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let kinds_sql = kinds.iter().map(|_| next()).collect::<Vec<_>>().join(", ");
    let areas_sql = areas.iter().map(|_| next()).collect::<Vec<_>>().join(", ");
    sql.push_str(&format!("c.kind IN ({kinds_sql}) AND (c.regency_code IS NULL"));
    if !areas.is_empty() {
        sql.push_str(&format!(" OR c.regency_code IN ({areas_sql}) OR c.district_code IN ({areas_sql})"));
    }
    sql.push(')');
    let today_param = (scope == ListScope::Overdue).then(&mut next);
    let limit_param = next();
    sql.push_str(&match (scope, &today_param) {
        (ListScope::Overdue, Some(today)) => format!(" AND c.status <> 'selesai' AND c.due < {today} ORDER BY c.due, c.id"),
        (ListScope::Closed, _) => " AND c.status = 'selesai' ORDER BY c.updated_at DESC, c.id DESC".to_string(),
        _ => " AND c.status <> 'selesai' ORDER BY c.due, c.id".to_string(),
    });
    sql.push_str(&format!(" LIMIT {limit_param}"));
    let mut query = sqlx::query_as::<_, ListRow>(&sql);
    for kind in kinds {
        query = query.bind(kind.slug());
    }
    for area in areas {
        query = query.bind(area.as_str());
    }
    if today_param.is_some() {
        query = query.bind(today);
    }
    query.bind(limit).fetch_all(pool).await
}

/// Why a reply the core allowed was still not written.
#[derive(Debug, thiserror::Error)]
pub enum ReplyConflict {
    /// Someone answered or closed it first.
    #[error("the complaint moved on")]
    StatusChanged,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl super::Transient for ReplyConflict {
    fn is_transient(&self) -> bool {
        matches!(self, ReplyConflict::Db(e) if super::is_transient(e))
    }
}

/// Writes a reply: the status (only if still `from`), the history line with the message,
/// and the email, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn reply(
    pool: &AnyPool,
    id: i64,
    from: ComplaintStatus,
    to: ComplaintStatus,
    staff_id: i64,
    role: Role,
    message: &str,
    utc_offset_hours: i64,
) -> Result<(), ReplyConflict> {
    // The whole transaction is tried again on a transient failure (`db::retrying`).
    super::retrying(|| async {
        let mut tx = pool.begin().await?;
        let moved = sqlx::query("UPDATE complaints SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.slug())
            .bind(now_utc())
            .bind(id)
            .bind(from.slug())
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(ReplyConflict::StatusChanged);
        }
        let history = append_history(&mut tx, id, Some(from), to, Some((staff_id, role)), Some(message)).await?;
        super::outbox::enqueue_complaint(&mut tx, id, history, to.slug()).await?;
        if to == ComplaintStatus::Closed {
            super::reports::record_complaint(&mut tx, id, Measure::ComplaintClosed, utc_offset_hours).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
