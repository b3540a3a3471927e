//! Applications and their uploads: submitting exactly once, refusing a second open
//! application of one person for one program, and noting the family's other open ones.

use super::{Db, now_utc};
use crate::domain::registration::RegistrationNumber;
use crate::domain::{DocumentKind, Date};
use sqlx::{AnyPool, FromRow};

/// The status of a freshly submitted application.
pub const SUBMITTED: &str = crate::domain::workflow::Status::Submitted.slug();

#[derive(Clone, Debug, FromRow)]
pub struct UploadRow {
    pub id: String,
    pub document_kind: String,
    pub file_type: String,
    pub byte_size: i64,
}

impl UploadRow {
    pub fn kind(&self) -> Option<DocumentKind> {
        DocumentKind::from_slug(&self.document_kind)
    }
}

/// The uploads of a draft, oldest first.
pub async fn draft_uploads(pool: &AnyPool, draft_hash: &str) -> Result<Vec<UploadRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, document_kind, file_type, byte_size FROM uploads WHERE draft_hash = $1 ORDER BY created_at, id")
        .bind(draft_hash)
        .fetch_all(pool)
        .await
}

/// Records an upload for a draft, replacing the draft's earlier file of the same kind.
/// Returns the ids of replaced files (to remove from disk once committed).
pub async fn put_draft_upload(
    pool: &AnyPool,
    draft: (&str, i64),
    kind: DocumentKind,
    file: &crate::server::storage::StoredFile,
    renew: i64,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    super::retrying(|| put_draft_upload_once(pool, draft, kind, file, renew)).await
}

async fn put_draft_upload_once(
    pool: &AnyPool,
    (draft_hash, version): (&str, i64),
    kind: DocumentKind,
    file: &crate::server::storage::StoredFile,
    renew: i64,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Lock the draft first: uploads to one draft then take turns (on SQLite the transaction
    // holds the write lock from its first statement instead of failing to upgrade a read; on
    // PostgreSQL a second upload waits and then sees the first one's row to replace). A
    // draft submitted or discarded since the upload began takes no file.
    if !super::drafts::hold(&mut tx, draft_hash, version, false, Some(renew)).await? {
        tx.rollback().await?;
        return Ok(None);
    }
    let old: Vec<(String,)> = sqlx::query_as("DELETE FROM uploads WHERE draft_hash = $1 AND document_kind = $2 RETURNING id")
        .bind(draft_hash)
        .bind(kind.slug())
        .fetch_all(&mut *tx)
        .await?;
    insert_upload(&mut tx, Some(draft_hash), None, kind, file).await?;
    tx.commit().await?;
    Ok(Some(old.into_iter().map(|(id,)| id).collect()))
}

/// Records a stored file as a draft's or an application's document.
pub(crate) async fn insert_upload(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    draft_hash: Option<&str>,
    application_id: Option<i64>,
    kind: DocumentKind,
    file: &crate::server::storage::StoredFile,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO uploads (id, draft_hash, application_id, document_kind, file_type, byte_size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&file.id)
    .bind(draft_hash)
    .bind(application_id)
    .bind(kind.slug())
    .bind(file.file_type.mime())
    .bind(file.byte_size as i64)
    .bind(&file.sha256)
    .bind(now_utc())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Removes a draft's file of one kind; returns its id (to remove from disk), or `None` when
/// the draft changed (was submitted) since it was read.
pub async fn remove_draft_upload(pool: &AnyPool, (draft_hash, version): (&str, i64), kind: DocumentKind) -> Result<Option<Vec<String>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !super::drafts::hold(&mut tx, draft_hash, version, false, None).await? {
        tx.rollback().await?;
        return Ok(None);
    }
    let old: Vec<(String,)> = sqlx::query_as("DELETE FROM uploads WHERE draft_hash = $1 AND document_kind = $2 RETURNING id")
        .bind(draft_hash)
        .bind(kind.slug())
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(old.into_iter().map(|(id,)| id).collect()))
}

/// Removes the uploads of drafts that no longer exist (expired or abandoned); returns the
/// file ids to remove from disk.
/// Of these file ids, those a row still names (an upload of a draft or an application, or a
/// complaint's photo): the rest are files whose row never came or is gone.
pub async fn referenced_files(pool: &AnyPool, ids: &[String]) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let mut found = std::collections::HashSet::new();
    for batch in ids.chunks(500) {
        let list = (1..=batch.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT id FROM uploads WHERE id IN ({list}) UNION SELECT id FROM complaint_files WHERE id IN ({list})");
        let mut query = sqlx::query_as::<_, (String,)>(&sql);
        for id in batch {
            query = query.bind(id);
        }
        found.extend(query.fetch_all(pool).await?.into_iter().map(|(id,)| id));
    }
    Ok(found)
}

pub async fn purge_orphan_uploads(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    let gone: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM uploads WHERE application_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.token_hash = uploads.draft_hash) RETURNING id",
    )
    .fetch_all(pool)
    .await?;
    Ok(gone.into_iter().map(|(id,)| id).collect())
}

/// Everything a submission writes, already parsed and checked by the domain core.
#[derive(Debug)]
pub struct NewApplication {
    pub idempotency_key: String,
    pub number: RegistrationNumber,
    pub pin_hash: String,
    pub channel: &'static str,
    /// The front-desk officer and service point of a counter registration.
    pub registered_by: Option<i64>,
    pub service_point_id: Option<i64>,
    pub program_code: String,
    pub ppks_code: i64,
    pub nik: String,
    pub kk: String,
    pub name: String,
    pub birth_date: Date,
    pub sex: &'static str,
    pub phone: String,
    pub email: Option<String>,
    pub village_code: String,
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub description: String,
    pub applicant_json: String,
    pub household_json: String,
    pub decision_due: Date,
    /// The draft the uploads belong to until now, the version it was checked at, and what
    /// the draft becomes.
    pub draft_hash: String,
    pub draft_version: i64,
    pub submitted_draft_json: String,
    /// When the submitted draft (and the PIN in it) expires.
    pub pin_visible_until: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Submitted {
    /// A new application.
    Created { id: i64, number: String, linked_in_family: usize, possible_duplicate: bool },
    /// This draft was already submitted (a double tap, a retry): its number.
    AlreadySubmitted { number: String },
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The draft was saved by another request since it was checked: check it again.
    #[error("the draft changed since it was checked")]
    DraftChanged,
    /// The program closed (or vanished) between the need step and submission.
    #[error("the program is not open")]
    ProgramClosed,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl super::Transient for SubmitError {
    fn is_transient(&self) -> bool {
        matches!(self, SubmitError::Db(e) if super::is_transient(e))
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The registration number of the application this draft key made, if it made one.
pub async fn number_for_key(pool: &AnyPool, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT registration_number FROM applications WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// Submits in one transaction: the application, its first history line, links to the
/// family's other open applications, its uploads, and the draft marked as submitted.
/// Safe to call twice with the same draft, at the same moment or later.
/// `utc_offset_hours` places the submission on its office day in the report tallies.
pub async fn submit(db: &Db, new: &NewApplication, utc_offset_hours: i64) -> Result<Submitted, SubmitError> {
    let pool = db.pool();
    if let Some(number) = number_for_key(pool, &new.idempotency_key).await? {
        return Ok(Submitted::AlreadySubmitted { number });
    }
    match super::retrying(|| insert(db, new, utc_offset_hours)).await {
        Ok(Some(created)) => Ok(created),
        // Someone (the same resident's other tap) committed first with this key.
        Ok(None) => match number_for_key(pool, &new.idempotency_key).await? {
            Some(number) => Ok(Submitted::AlreadySubmitted { number }),
            None => Err(SubmitError::Db(sqlx::Error::RowNotFound)),
        },
        Err(SubmitError::Db(e)) if is_unique_violation(&e) => match number_for_key(pool, &new.idempotency_key).await? {
            Some(number) => Ok(Submitted::AlreadySubmitted { number }),
            // Not our key: the registration number clashed; the caller draws another.
            None => Err(SubmitError::Db(e)),
        },
        Err(e) => Err(e),
    }
}

async fn insert(db: &Db, new: &NewApplication, utc_offset_hours: i64) -> Result<Option<Submitted>, SubmitError> {
    let now = now_utc();
    let mut tx = db.pool().begin().await?;
    // Lock the draft first (on SQLite: the database's write lock), at the version that was
    // checked, and move it on: two submissions of one draft queue here, and a step post or
    // upload that read the draft before this commits cannot save over the submitted one.
    let held = super::drafts::hold(&mut tx, &new.draft_hash, new.draft_version, true, None).await?;
    // Inside the lock: a simultaneous submission of this same draft may have just committed.
    let made: Option<(i64,)> = sqlx::query_as("SELECT id FROM applications WHERE idempotency_key = $1")
        .bind(&new.idempotency_key)
        .fetch_optional(&mut *tx)
        .await?;
    if made.is_some() {
        return Ok(None);
    }
    if !held {
        return Err(SubmitError::DraftChanged);
    }
    let program: Option<(i64,)> = sqlx::query_as("SELECT id FROM programs WHERE code = $1 AND active = TRUE")
        .bind(&new.program_code)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((program_id,)) = program else { return Err(SubmitError::ProgramClosed) };
    // Another open application of this person for this program is not a reason to refuse
    // (that would let a stranger's fake one block the real one, and tell anyone with a NIK
    // that this person applied): it is flagged for the verifier, who decides.
    let earlier: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM applications WHERE nik = $1 AND program_id = $2 AND open = TRUE ORDER BY id LIMIT 1")
            .bind(&new.nik)
            .bind(program_id)
            .fetch_optional(&mut *tx)
            .await?;
    let duplicate_of = earlier.map(|(id,)| id);
    let village = crate::domain::RegionCode::parse(&new.village_code).map_err(|_| SubmitError::Db(sqlx::Error::RowNotFound))?;
    let district = village.parent().map(|c| c.as_str().to_string()).unwrap_or_default();
    let regency = village.at_level(crate::domain::RegionLevel::Regency).map(|c| c.as_str().to_string()).unwrap_or_default();
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO applications (registration_number, pin_hash, idempotency_key, status, open, channel, program_id, ppks_code, \
         nik, kk, name, birth_date, sex, phone, email, village_code, district_code, regency_code, street, rt, rw, description, \
         applicant, household, submitted_at, decision_due, updated_at, registered_by, service_point_id, duplicate_of) \
         VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $24, $26, $27, $28) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(new.number.as_str())
    .bind(&new.pin_hash)
    .bind(&new.idempotency_key)
    .bind(SUBMITTED)
    .bind(new.channel)
    .bind(program_id)
    .bind(new.ppks_code)
    .bind(&new.nik)
    .bind(&new.kk)
    .bind(&new.name)
    .bind(new.birth_date.to_string())
    .bind(new.sex)
    .bind(&new.phone)
    .bind(new.email.as_deref())
    .bind(&new.village_code)
    .bind(district)
    .bind(regency)
    .bind(&new.street)
    .bind(&new.rt)
    .bind(&new.rw)
    .bind(&new.description)
    .bind(&new.applicant_json)
    .bind(&new.household_json)
    .bind(&now)
    .bind(new.decision_due.to_string())
    .bind(new.registered_by)
    .bind(new.service_point_id)
    .bind(duplicate_of)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id,)) = inserted else { return Ok(None) };

    let (history_id,): (i64,) = sqlx::query_as(
        "INSERT INTO application_history (application_id, at, from_status, to_status, actor, note) VALUES ($1, $2, NULL, $3, $4, NULL) RETURNING id",
    )
    .bind(id)
    .bind(&now)
    .bind(SUBMITTED)
    .bind(new.channel)
    .fetch_one(&mut *tx)
    .await?;
    // "Received", by email when there is an address: committed with the application or not at all.
    super::outbox::enqueue(&mut tx, id, history_id, SUBMITTED, None).await?;
    super::reports::record_received(&mut tx, id, utc_offset_hours).await?;
    let family: Vec<(i64,)> = sqlx::query_as("SELECT id FROM applications WHERE kk = $1 AND open = TRUE AND id <> $2 ORDER BY id")
        .bind(&new.kk)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    for (other,) in &family {
        sqlx::query("INSERT INTO application_links (application_id, other_application_id, reason) VALUES ($1, $2, 'same_kk')")
            .bind(id)
            .bind(other)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE uploads SET application_id = $1, draft_hash = NULL WHERE draft_hash = $2")
        .bind(id)
        .bind(&new.draft_hash)
        .execute(&mut *tx)
        .await?;
    // The submitted draft holds the PIN in clear for the confirmation page, so it lives only
    // as long as the PIN may be shown; the hourly tidy-up removes it after that.
    sqlx::query("UPDATE drafts SET data = $1, updated_at = $2, expires_at = $3 WHERE token_hash = $4")
        .bind(&new.submitted_draft_json)
        .bind(&now)
        .bind(&new.pin_visible_until)
        .bind(&new.draft_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(Submitted::Created { id, number: new.number.as_str().to_string(), linked_in_family: family.len(), possible_duplicate: duplicate_of.is_some() }))
}

/// Public holidays from `from` on (deadlines skip them).
pub async fn holidays_from(pool: &AnyPool, from: Date) -> Result<Vec<Date>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT day FROM public_holidays WHERE day >= $1 ORDER BY day").bind(from.to_string()).fetch_all(pool).await?;
    Ok(rows.into_iter().filter_map(|(d,)| Date::parse_iso(&d).ok()).collect())
}

/// What the confirmation page shows about a submitted application.
#[derive(Clone, Debug, FromRow)]
pub struct Receipt {
    pub registration_number: String,
    pub program_name_id: String,
    pub program_name_en: String,
    pub submitted_at: String,
    pub decision_due: String,
    pub channel: String,
}

pub async fn receipt(pool: &AnyPool, number: &str) -> Result<Option<Receipt>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.registration_number, p.name_id AS program_name_id, p.name_en AS program_name_en, a.submitted_at, \
         a.decision_due, a.channel FROM applications a JOIN programs p ON p.id = a.program_id WHERE a.registration_number = $1",
    )
    .bind(number)
    .fetch_optional(pool)
    .await
}
