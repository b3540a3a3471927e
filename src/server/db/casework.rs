//! One application as staff work it: its full record, documents, history and household,
//! the access log of every opening, and status moves written with their history line in
//! one transaction.

use super::now_utc;
use super::queues::CLAIM_SECONDS;
use crate::domain::decision::Action;
use crate::domain::workflow::{Role, Status};
use sqlx::{AnyPool, FromRow};

/// The whole record, as the review page needs it.
#[derive(Clone, Debug, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub registration_number: String,
    pub status: String,
    pub channel: String,
    pub program_name_id: String,
    pub program_name_en: String,
    pub ppks_name_id: String,
    pub ppks_name_en: String,
    pub nik: String,
    pub kk: String,
    pub name: String,
    pub birth_date: String,
    pub sex: String,
    pub phone: String,
    pub email: Option<String>,
    pub village_code: String,
    pub district_code: String,
    pub regency_code: String,
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub description: String,
    pub applicant: String,
    pub household: String,
    pub submitted_at: String,
    pub decision_due: String,
    pub claimed_by: Option<i64>,
    pub claimed_by_name: Option<String>,
    pub claimed_at: Option<String>,
    pub registered_by_name: Option<String>,
    pub service_point_name: Option<String>,
    pub duplicate_of: Option<i64>,
    pub duplicate_of_number: Option<String>,
    pub erased_at: Option<String>,
}

pub async fn find(pool: &AnyPool, id: i64) -> Result<Option<CaseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.registration_number, a.status, a.channel, p.name_id AS program_name_id, p.name_en AS program_name_en, \
         c.name_id AS ppks_name_id, c.name_en AS ppks_name_en, a.nik, a.kk, a.name, a.birth_date, a.sex, a.phone, a.email, \
         a.village_code, a.district_code, a.regency_code, a.street, a.rt, a.rw, a.description, a.applicant, a.household, \
         a.submitted_at, a.decision_due, a.claimed_by, s.full_name AS claimed_by_name, a.claimed_at, \
         r.full_name AS registered_by_name, sp.name AS service_point_name, a.duplicate_of, d.registration_number AS duplicate_of_number, a.erased_at \
         FROM applications a JOIN programs p ON p.id = a.program_id JOIN ppks_categories c ON c.code = a.ppks_code \
         LEFT JOIN staff s ON s.id = a.claimed_by LEFT JOIN staff r ON r.id = a.registered_by \
         LEFT JOIN service_points sp ON sp.id = a.service_point_id LEFT JOIN applications d ON d.id = a.duplicate_of WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Where an application lies and where it stands: enough to decide whether a staff member
/// may see or move it, without reading any personal data.
#[derive(Clone, Debug, FromRow)]
pub struct CaseScope {
    pub status: String,
    pub regency_code: String,
    pub district_code: String,
    pub submitted_at: String,
    /// Flagged as a possible duplicate of this application, not yet cleared.
    pub duplicate_of: Option<i64>,
    /// 1 when the person withdrew consent after the decision: the personal data is
    /// restricted (administrators only).
    pub restricted: i64,
}

pub async fn scope(pool: &AnyPool, id: i64) -> Result<Option<CaseScope>, sqlx::Error> {
    sqlx::query_as(
        "SELECT status, regency_code, district_code, submitted_at, duplicate_of, CASE WHEN restricted_at IS NULL THEN 0 ELSE 1 END AS restricted \
         FROM applications WHERE id = $1",
    )
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A submitted application's upload, with the scope of its application.
#[derive(Clone, Debug, FromRow)]
pub struct CaseUpload {
    pub application_id: i64,
    /// As [`CaseScope::restricted`].
    pub restricted: i64,
    pub document_kind: String,
    pub file_type: String,
    pub regency_code: String,
    pub district_code: String,
}

pub async fn upload(pool: &AnyPool, upload_id: &str) -> Result<Option<CaseUpload>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.application_id, CASE WHEN a.restricted_at IS NULL THEN 0 ELSE 1 END AS restricted, u.document_kind, u.file_type, a.regency_code, a.district_code FROM uploads u \
         JOIN applications a ON a.id = u.application_id WHERE u.id = $1",
    )
    .bind(upload_id)
    .fetch_optional(pool)
    .await
}

/// One of an application's documents as staff see it: current, a replacement the resident
/// sent, or the original it replaced (kept until the decision).
#[derive(Clone, Debug, FromRow)]
pub struct CaseDocumentRow {
    pub id: String,
    pub document_kind: String,
    pub file_type: String,
    pub byte_size: i64,
    pub replaced_at: Option<String>,
    /// 1 for a replacement (an integer: the Any driver reads no booleans from SQLite).
    pub replacement: i64,
}

pub async fn uploads(pool: &AnyPool, id: i64) -> Result<Vec<CaseDocumentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, document_kind, file_type, byte_size, replaced_at, CASE WHEN replacement THEN 1 ELSE 0 END AS replacement \
         FROM uploads WHERE application_id = $1 \
         ORDER BY document_kind, replaced_at IS NULL, created_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

#[derive(Clone, Debug, FromRow)]
pub struct HistoryRow {
    pub at: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// The channel for a submission ('online', 'service_point'), 'staff' for a staff move.
    pub actor: String,
    pub staff_name: Option<String>,
    pub actor_role: Option<String>,
    pub details: Option<String>,
}

pub async fn history(pool: &AnyPool, id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT h.at, h.from_status, h.to_status, h.actor, s.full_name AS staff_name, h.actor_role, h.details \
         FROM application_history h LEFT JOIN staff s ON s.id = h.staff_id WHERE h.application_id = $1 ORDER BY h.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Another application of the same person (NIK) or family (KK).
#[derive(Clone, Debug, FromRow)]
pub struct RelatedRow {
    pub id: i64,
    pub registration_number: String,
    pub status: String,
    pub program_name_id: String,
    pub program_name_en: String,
    pub nik: String,
    pub name: String,
    pub regency_code: String,
    pub district_code: String,
    pub submitted_at: String,
}

/// Every other application with this NIK or this KK, any status, newest first (capped:
/// a family with more than 50 applications is a case for a report, not a panel).
pub async fn related(pool: &AnyPool, id: i64, nik: &str, kk: &str) -> Result<Vec<RelatedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.registration_number, a.status, p.name_id AS program_name_id, p.name_en AS program_name_en, a.nik, a.name, \
         a.regency_code, a.district_code, a.submitted_at FROM applications a JOIN programs p ON p.id = a.program_id \
         WHERE a.id <> $1 AND (a.nik = $2 OR a.kk = $3) AND a.restricted_at IS NULL AND a.erased_at IS NULL ORDER BY a.submitted_at DESC, a.id DESC LIMIT 50",
    )
    .bind(id)
    .bind(nik)
    .bind(kk)
    .fetch_all(pool)
    .await
}

/// What a staff member opened: the review page, one document, or another application as it
/// is shown (name, masked NIK, program, status) in the household panel of the one opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access<'a> {
    Review,
    Document { kind: &'a str, upload: &'a str },
    InHousehold { of: i64 },
    /// A letter of it, shown to print (its kind).
    Letter { kind: &'a str },
}

impl Access<'_> {
    pub const fn slug(self) -> &'static str {
        match self {
            Access::Review => "review",
            Access::Document { .. } => "document",
            Access::InHousehold { .. } => "household",
            Access::Letter { .. } => "letter",
        }
    }

    /// Which document (its kind and upload), or which application's panel.
    fn detail(self) -> Option<String> {
        match self {
            Access::Review => None,
            Access::Document { kind, upload } => Some(format!("{kind} {upload}")),
            Access::InHousehold { of } => Some(of.to_string()),
            Access::Letter { kind } => Some(kind.to_string()),
        }
    }
}

/// Appends to the access log. Called before any personal data leaves the server, so a
/// view that cannot be logged is not shown.
pub async fn record_access(pool: &AnyPool, staff_id: i64, application_id: i64, what: Access<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO access_log (staff_id, application_id, at, what, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(staff_id)
        .bind(application_id)
        .bind(now_utc())
        .bind(what.slug())
        .bind(what.detail())
        .execute(pool)
        .await
        .map(|_| ())
}

/// Why a move that the core allowed was still not written.
#[derive(Debug, thiserror::Error)]
pub enum MoveConflict {
    /// Someone moved it first: it is no longer in the status the move was made from.
    #[error("the application moved on")]
    StatusChanged,
    /// Someone else is working it (a live claim).
    #[error("claimed by someone else")]
    ClaimedByOther,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl super::Transient for MoveConflict {
    fn is_transient(&self) -> bool {
        matches!(self, MoveConflict::Db(e) if super::is_transient(e))
    }
}

/// Moves an application from `from` to `to` and appends the history line, in one
/// transaction. The update holds only while the status is still `from` and no one else has
/// a live claim, so of two simultaneous moves one wins and the other changes nothing. The
/// claim ends with the move: the next step is someone else's queue.
pub async fn apply_move(
    pool: &AnyPool,
    application_id: i64,
    from: Status,
    to: Status,
    staff_id: i64,
    role: Role,
    action: &Action,
    utc_offset_hours: i64,
) -> Result<(), MoveConflict> {
    super::retrying(|| write_move(pool, application_id, from, to, Some(staff_id), role, action, utc_offset_hours)).await
}

/// A move by the resident themselves (through tracking): no staff member, and a claim by
/// staff does not stop it (it is the resident's application).
pub async fn resident_move(
    pool: &AnyPool,
    application_id: i64,
    from: Status,
    to: Status,
    action: &Action,
    utc_offset_hours: i64,
) -> Result<(), MoveConflict> {
    super::retrying(|| write_move(pool, application_id, from, to, None, Role::Resident, action, utc_offset_hours)).await
}

async fn write_move(
    pool: &AnyPool,
    application_id: i64,
    from: Status,
    to: Status,
    staff_id: Option<i64>,
    role: Role,
    action: &Action,
    utc_offset_hours: i64,
) -> Result<(), MoveConflict> {
    let now = now_utc();
    let stale = super::utc_in(-CLAIM_SECONDS);
    let details = serde_json::to_string(action).map_err(|e| MoveConflict::Db(sqlx::Error::Encode(Box::new(e))))?;
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE applications SET status = $1, open = $2, claimed_by = NULL, claimed_at = NULL, updated_at = $3, \
         closed_at = CASE WHEN $2 THEN NULL ELSE $3 END, duplicate_of = CASE WHEN $8 THEN NULL ELSE duplicate_of END \
         WHERE id = $4 AND status = $5 AND ($6 IS NULL OR claimed_by IS NULL OR claimed_by = $6 OR claimed_at < $7)",
    )
    .bind(to.slug())
    .bind(to.is_open())
    .bind(&now)
    .bind(application_id)
    .bind(from.slug())
    .bind(staff_id)
    .bind(&stale)
    .bind(matches!(action, Action::DocumentsOk { not_duplicate: true, .. }))
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        tx.rollback().await?;
        let (status,): (String,) =
            sqlx::query_as("SELECT status FROM applications WHERE id = $1").bind(application_id).fetch_one(pool).await?;
        return Err(if status == from.slug() { MoveConflict::ClaimedByOther } else { MoveConflict::StatusChanged });
    }
    let (history_id,): (i64,) = sqlx::query_as(
        "INSERT INTO application_history (application_id, at, from_status, to_status, actor, note, staff_id, actor_role, action, details) \
         VALUES ($1, $2, $3, $4, $10, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(application_id)
    .bind(&now)
    .bind(from.slug())
    .bind(to.slug())
    .bind(action.note())
    .bind(staff_id)
    .bind(role.slug())
    .bind(action.kind().slug())
    .bind(&details)
    .bind(if staff_id.is_some() { "staff" } else { "resident" })
    .fetch_one(&mut *tx)
    .await?;
    if to.tells_resident() {
        super::outbox::enqueue(&mut tx, application_id, history_id, to.slug(), Some(&details)).await?;
    }
    super::reports::record_move(&mut tx, application_id, from, to, utc_offset_hours).await?;
    super::letters::issue(&mut tx, application_id, history_id, to, role, &now, utc_offset_hours).await?;
    tx.commit().await?;
    Ok(())
}
