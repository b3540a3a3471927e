//! The end of retention in the database: which closed applications and complaints are due,
//! and erasing one batch of them in one transaction (what is removed and what stays is
//! `domain::retention`; the README's "What is kept" says it for people).

use super::now_utc;
use crate::domain::complaint::ComplaintStatus;
use crate::domain::date::office_day;
use crate::domain::decision::Action;
use crate::domain::retention::{erased_action, kept_birth_date};
use crate::domain::Date;
use sqlx::{Any, AnyPool, Transaction};

/// What one batch erased; `files` are the stored documents and complaint files whose rows
/// went, for the caller to remove from storage once the batch is committed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub applications: u64,
    pub complaints: u64,
    pub files: Vec<String>,
}

/// Erases up to `limit` applications and `limit` complaints closed before `cutoff`
/// (`YYYY-MM-DD`), oldest first. An application restricted after its consent was withdrawn
/// counts from the restriction if it never closed; one with a complaint or dispute still open
/// waits for it. Rows are taken in id order, each only if no other run took it first, so two
/// instances running at once erase each row once.
pub async fn erase_batch(pool: &AnyPool, cutoff: &str, limit: i64, utc_offset_hours: i64) -> Result<Erased, sqlx::Error> {
    let closed = ComplaintStatus::Closed.slug();
    let waiting = format!(
        "AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.application_id = a.id AND c.status <> '{closed}') \
         ORDER BY 1 LIMIT {limit}"
    );
    let mut due: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT a.id FROM applications a WHERE a.erased_at IS NULL AND a.closed_at < $1 {waiting}"
    ))
    .bind(cutoff)
    .fetch_all(pool)
    .await?;
    let restricted: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT a.id FROM applications a WHERE a.erased_at IS NULL AND a.closed_at IS NULL AND a.restricted_at < $1 {waiting}"
    ))
    .bind(cutoff)
    .fetch_all(pool)
    .await?;
    due.extend(restricted);
    // One order for every writer: applications by id, then what belongs to each.
    due.sort_unstable();
    due.dedup();
    let complaints: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM complaints WHERE erased_at IS NULL AND status = $1 AND updated_at < $2 ORDER BY id LIMIT {limit}"
    ))
    .bind(closed)
    .bind(cutoff)
    .fetch_all(pool)
    .await?;

    let mut erased = Erased::default();
    let mut tx = pool.begin().await?;
    let now = now_utc();
    for (id,) in due {
        if erase_application(&mut tx, id, &now, utc_offset_hours, &mut erased.files).await? {
            erased.applications += 1;
        }
    }
    for (id,) in complaints {
        if erase_complaint(&mut tx, id, &now, &mut erased.files).await? {
            erased.complaints += 1;
        }
    }
    tx.commit().await?;
    Ok(erased)
}

/// Replaces one application's personal fields, blanks the words of its history and its fixed
/// answers, and deletes its documents' rows. False when another run erased it first.
async fn erase_application(tx: &mut Transaction<'_, Any>, id: i64, now: &str, utc_offset_hours: i64, files: &mut Vec<String>) -> Result<bool, sqlx::Error> {
    // Locks the row first (PostgreSQL): a run that comes second waits here, then finds it erased.
    let taken = sqlx::query("UPDATE applications SET erased_at = $1 WHERE id = $2 AND erased_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if taken.rows_affected() != 1 {
        return Ok(false);
    }
    let (birth_date, submitted_at): (String, String) =
        sqlx::query_as("SELECT birth_date, submitted_at FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    let received_on = office_day(&submitted_at, utc_offset_hours);
    let kept = match (Date::parse_iso(&birth_date), received_on) {
        (Ok(born), Some(on)) => kept_birth_date(born, on).to_string(),
        // Nothing the reports could read: keep nothing either.
        _ => received_on.map(|d| d.to_string()).unwrap_or(birth_date),
    };
    // The PIN goes too: nothing personal is left to track, and the number on a letter still
    // shows the status on its verification page. A restricted one that never closed is
    // closed now: nobody can serve aid to a person no longer named (and an empty NIK must
    // not count as the person's one open application).
    sqlx::query(
        "UPDATE applications SET nik = '', kk = '', name = '', birth_date = $1, phone = '', email = NULL, street = '', rt = '', rw = '', \
         description = '', applicant = 'null', household = '[]', pin_hash = '', claimed_by = NULL, claimed_at = NULL, \
         open = FALSE, closed_at = COALESCE(closed_at, $3) WHERE id = $2",
    )
    .bind(&kept)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let history: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, details FROM application_history WHERE application_id = $1 AND (note IS NOT NULL OR details IS NOT NULL) ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    for (line, details) in history {
        let details = details
            .as_deref()
            .and_then(|d| serde_json::from_str::<Action>(d).ok())
            .and_then(|a| serde_json::to_string(&erased_action(&a)).ok());
        sqlx::query("UPDATE application_history SET note = NULL, details = $1 WHERE id = $2")
            .bind(details)
            .bind(line)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE answer_fixes SET before_value = '', after_value = '' WHERE application_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let uploads: Vec<(String,)> =
        sqlx::query_as("DELETE FROM uploads WHERE application_id = $1 RETURNING id").bind(id).fetch_all(&mut **tx).await?;
    files.extend(uploads.into_iter().map(|(u,)| u));
    sqlx::query("DELETE FROM tracking_sessions WHERE application_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(true)
}

/// The same for a closed complaint: who sent it, the message, the replies' words, the files.
async fn erase_complaint(tx: &mut Transaction<'_, Any>, id: i64, now: &str, files: &mut Vec<String>) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE complaints SET erased_at = $1, name = NULL, email = NULL, phone = NULL, message = '', pin_hash = '', \
         receipt_pin = NULL, stated_number = NULL WHERE id = $2 AND erased_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE complaint_history SET message = NULL WHERE complaint_id = $1 AND message IS NOT NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let stored: Vec<(String,)> =
        sqlx::query_as("DELETE FROM complaint_files WHERE complaint_id = $1 RETURNING id").bind(id).fetch_all(&mut **tx).await?;
    files.extend(stored.into_iter().map(|(f,)| f));
    sqlx::query("DELETE FROM tracking_sessions WHERE complaint_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(true)
}
