//! Breach notices in the database: prepared, confirmed by a second administrator (which
//! queues every message in the same transaction), or cancelled; and which applications a
//! selection holds.

use super::now_utc;
use crate::domain::breach::{BreachDraft, Selection};
use crate::domain::date::office_day_start;
use sqlx::{Any, AnyPool, FromRow, Transaction};

/// The applications a selection holds, as a condition on `applications a` with its four
/// values bound from `$first` on (always all four; an absent part is NULL and matches all).
/// Applications whose data was erased have no one left to tell.
fn condition(first: usize) -> String {
    let [area, from, to, point] = [first, first + 1, first + 2, first + 3];
    format!(
        "a.erased_at IS NULL AND (${area} IS NULL OR a.village_code LIKE ${area} || '%') \
         AND (${from} IS NULL OR a.submitted_at >= ${from}) AND (${to} IS NULL OR a.submitted_at < ${to}) \
         AND (${point} IS NULL OR a.service_point_id = ${point})"
    )
}

/// The four values of [`condition`]: the area, and the office days as UTC bounds.
fn values(selection: &Selection, utc_offset_hours: i64) -> (Option<String>, Option<String>, Option<String>, Option<i64>) {
    (
        selection.area.clone(),
        selection.from.map(|d| office_day_start(d, utc_offset_hours)),
        selection.to.map(|d| office_day_start(d.add_days(1), utc_offset_hours)),
        selection.service_point,
    )
}

/// How many a selection reaches now: applications, distinct email addresses, distinct phones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromRow)]
pub struct Reach {
    pub applications: i64,
    pub emails: i64,
    pub phones: i64,
}

pub async fn reach(pool: &AnyPool, selection: &Selection, utc_offset_hours: i64) -> Result<Reach, sqlx::Error> {
    let (area, from, to, point) = values(selection, utc_offset_hours);
    sqlx::query_as(&format!(
        "SELECT COUNT(*) AS applications, \
         COUNT(DISTINCT CASE WHEN a.email IS NOT NULL AND a.email <> '' THEN LOWER(a.email) END) AS emails, \
         COUNT(DISTINCT CASE WHEN a.phone LIKE '+628%' THEN a.phone END) AS phones \
         FROM applications a WHERE {}",
        condition(1)
    ))
    .bind(area)
    .bind(from)
    .bind(to)
    .bind(point)
    .fetch_one(pool)
    .await
}

/// Records a prepared notice (nothing is sent yet); its id.
pub async fn propose(pool: &AnyPool, staff_id: i64, draft: &BreachDraft) -> Result<i64, sqlx::Error> {
    let selection = serde_json::to_string(&draft.selection).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO breach_notices (selection, message, proposed_by, proposed_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&selection)
    .bind(&draft.message)
    .bind(staff_id)
    .bind(now_utc())
    .fetch_one(&mut *tx)
    .await?;
    super::admin::record(&mut tx, staff_id, "pemberitahuan", &id.to_string(), "disiapkan", &selection).await?;
    tx.commit().await?;
    Ok(id)
}

/// Why a confirmation changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    #[error("no such notice")]
    NotFound,
    /// The administrator who prepared it.
    #[error("prepared by the same administrator")]
    Own,
    /// Already confirmed or cancelled (a second click, or another administrator first).
    #[error("already confirmed or cancelled")]
    Settled,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A second administrator confirms: in one transaction the notice is marked confirmed (only
/// once, however many confirm at the same moment), every application it reaches is recorded,
/// and one email per address and one text per phone (not to phones that sent BERHENTI) are
/// queued. What was queued, counted.
pub async fn confirm(pool: &AnyPool, id: i64, staff_id: i64, utc_offset_hours: i64) -> Result<Reach, ConfirmError> {
    let now = now_utc();
    let mut tx = pool.begin().await?;
    let taken = sqlx::query(
        "UPDATE breach_notices SET confirmed_by = $1, confirmed_at = $2 \
         WHERE id = $3 AND proposed_by <> $1 AND confirmed_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(staff_id)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(why_not(pool, id, staff_id).await?);
    }
    let (selection,): (String,) = sqlx::query_as("SELECT selection FROM breach_notices WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    let selection: Selection = super::parse_column("selection", serde_json::from_str(&selection))?;
    let reached = queue(&mut tx, id, &selection, &now, utc_offset_hours).await?;
    sqlx::query("UPDATE breach_notices SET applications = $1, emails = $2, texts = $3 WHERE id = $4")
        .bind(reached.applications)
        .bind(reached.emails)
        .bind(reached.phones)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let counts = format!("{} permohonan, {} email, {} SMS", reached.applications, reached.emails, reached.phones);
    super::admin::record(&mut tx, staff_id, "pemberitahuan", &id.to_string(), "dikonfirmasi dan dikirim", &counts).await?;
    tx.commit().await?;
    Ok(reached)
}

/// The recipients' rows and the messages, inside the confirmation.
async fn queue(tx: &mut Transaction<'_, Any>, id: i64, selection: &Selection, now: &str, utc_offset_hours: i64) -> Result<Reach, sqlx::Error> {
    let (area, from, to, point) = values(selection, utc_offset_hours);
    let notice = id.to_string();
    let recorded = sqlx::query(&format!(
        "INSERT INTO breach_recipients (notice_id, application_id) SELECT $5, a.id FROM applications a WHERE {}",
        condition(1)
    ))
    .bind(&area)
    .bind(&from)
    .bind(&to)
    .bind(point)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    // One message per address: the key names the notice and the address, and GROUP BY
    // makes one row of each however many applications share it.
    let channels = [
        ("email", "LOWER(a.email)", "a.email IS NOT NULL AND a.email <> ''"),
        (
            "sms",
            "a.phone",
            "a.phone LIKE '+628%' AND NOT EXISTS (SELECT 1 FROM sms_choices c WHERE c.phone = a.phone AND c.stopped = TRUE)",
        ),
    ];
    let mut queued = [0i64; 2];
    for (n, (channel, address, usable)) in channels.into_iter().enumerate() {
        let done = sqlx::query(&format!(
            "INSERT INTO outbox_messages (event_key, kind, channel, application_id, recipient, event, details, created_at, next_attempt_at) \
             SELECT 'breach:' || $5 || ':{channel}:' || {address}, 'breach', '{channel}', MIN(a.id), {address}, 'breach', $5, $6, $6 \
             FROM applications a WHERE {} AND {usable} GROUP BY {address} ON CONFLICT (event_key) DO NOTHING",
            condition(1)
        ))
        .bind(&area)
        .bind(&from)
        .bind(&to)
        .bind(point)
        .bind(&notice)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        queued[n] = done.rows_affected() as i64;
    }
    Ok(Reach { applications: recorded.rows_affected() as i64, emails: queued[0], phones: queued[1] })
}

async fn why_not(pool: &AnyPool, id: i64, staff_id: i64) -> Result<ConfirmError, sqlx::Error> {
    let row: Option<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT proposed_by, confirmed_at, cancelled_at FROM breach_notices WHERE id = $1").bind(id).fetch_optional(pool).await?;
    Ok(match row {
        None => ConfirmError::NotFound,
        Some((_, Some(_), _)) | Some((_, _, Some(_))) => ConfirmError::Settled,
        Some((by, None, None)) if by == staff_id => ConfirmError::Own,
        Some(_) => ConfirmError::Settled,
    })
}

/// Cancels a notice not yet confirmed (any administrator); false if it was settled already.
pub async fn cancel(pool: &AnyPool, id: i64, staff_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE breach_notices SET cancelled_by = $1, cancelled_at = $2 WHERE id = $3 AND confirmed_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(staff_id)
    .bind(now_utc())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        super::admin::record(&mut tx, staff_id, "pemberitahuan", &id.to_string(), "dibatalkan", "").await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// A notice as the administration page lists it.
#[derive(Clone, Debug, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub selection: String,
    pub message: String,
    pub proposed_by: i64,
    pub proposed_by_name: String,
    pub proposed_at: String,
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub applications: Option<i64>,
    pub emails: Option<i64>,
    pub texts: Option<i64>,
}

/// The latest notices, newest first.
pub async fn list(pool: &AnyPool, limit: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.selection, n.message, n.proposed_by, p.full_name AS proposed_by_name, n.proposed_at, \
         c.full_name AS confirmed_by_name, n.confirmed_at, n.cancelled_at, n.applications, n.emails, n.texts \
         FROM breach_notices n JOIN staff p ON p.id = n.proposed_by LEFT JOIN staff c ON c.id = n.confirmed_by \
         ORDER BY n.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A notice's words, for the worker composing its messages.
pub async fn message(pool: &AnyPool, id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT message FROM breach_notices WHERE id = $1 AND confirmed_at IS NOT NULL")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(m,)| m))
}

/// The notices that went to an application (for the resident's "Data saya"): when, and the words.
pub async fn for_application(pool: &AnyPool, application_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.confirmed_at, n.message FROM breach_recipients r JOIN breach_notices n ON n.id = r.notice_id \
         WHERE r.application_id = $1 ORDER BY n.confirmed_at",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await
}
