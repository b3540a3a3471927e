//! The guessing limits of `domain::guessing`, kept in `guess_attempts`
//! (`migrations/0016_guess_attempts.sql`) so every instance sees the same counts.
//!
//! A try is written before its secret is checked, then counted together with every try
//! written before it: whichever of N simultaneous tries is written last sees all N, so at most
//! the limit are judged — on PostgreSQL as on SQLite, without a lock. The caller settles a
//! judged try as failed or succeeded; one that never settles (a crash) stays counted.

use super::db::{now_utc, unix_seconds, utc_in};
use crate::domain::guessing::{Counts, DAY_SECONDS, SecretKind, Verdict, WINDOW_SECONDS, WRITE_WINDOW_SECONDS, Write, verdict};
use sqlx::AnyPool;

const PENDING: &str = "pending";
const COUNTED: &str = "counted";
const SUCCEEDED: &str = "succeeded";
const REFUSED: &str = "refused";

/// A try that may be judged; settle it with [`settle`].
#[derive(Debug)]
#[must_use = "a judged try is settled as failed or succeeded"]
pub struct Try {
    id: i64,
}

#[derive(Debug)]
pub enum Reserved {
    Judge(Try),
    /// Over a limit: not judged. Try again after this many seconds at the earliest.
    Refused { retry_after: i64 },
}

/// Records a try at `subject` (a registration number, a username, an email's hash) from `ip`,
/// and says whether it may be judged.
pub async fn reserve(pool: &AnyPool, kind: SecretKind, subject: &str, ip: &str) -> Result<Reserved, sqlx::Error> {
    let now = now_utc();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO guess_attempts (kind, family, subject, ip, at, outcome) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.slug())
    .bind(kind.family().slug())
    .bind(subject)
    .bind(ip)
    .bind(&now)
    .bind(PENDING)
    .fetch_one(pool)
    .await?;
    let counts = count(pool, kind, subject, ip, id, &now).await?;
    match verdict(&kind.limits(), &counts) {
        Verdict::Judge => Ok(Reserved::Judge(Try { id })),
        Verdict::Refuse { retry_after } => {
            set_outcome(pool, id, REFUSED).await?;
            Ok(Reserved::Refused { retry_after })
        }
    }
}

/// Settles a judged try: a failure keeps counting, a success does not.
pub async fn settle(pool: &AnyPool, judged: Try, succeeded: bool) -> Result<(), sqlx::Error> {
    set_outcome(pool, judged.id, if succeeded { SUCCEEDED } else { COUNTED }).await
}

/// Takes back a try that could not be judged after all (the server was too busy): it
/// counts against no one.
pub async fn withdraw(pool: &AnyPool, unjudged: Try) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM guess_attempts WHERE id = $1").bind(unjudged.id).execute(pool).await.map(|_| ())
}

async fn set_outcome(pool: &AnyPool, id: i64, outcome: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE guess_attempts SET outcome = $1 WHERE id = $2").bind(outcome).bind(id).execute(pool).await.map(|_| ())
}

async fn count(pool: &AnyPool, kind: SecretKind, subject: &str, ip: &str, id: i64, now: &str) -> Result<Counts, sqlx::Error> {
    // The address's own budgets count its refused tries too (hammering keeps it out for
    // the window); the subject's budget does not, so the owner is not shut out by others.
    let row: (i64, i64, i64, i64, i64, i64, Option<String>) = sqlx::query_as(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN kind = $1 AND subject = $2 AND ip = $3 AND at > $5 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN kind = $1 AND subject = $2 AND ip = $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN family = $4 AND ip = $3 AND at > $5 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN family = $4 AND ip = $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN kind = $1 AND subject = $2 AND at > $5 AND outcome <> $10 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN kind = $1 AND subject = $2 AND outcome <> $10 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           MAX(CASE WHEN kind = $1 AND subject = $2 AND id <> $7 AND outcome <> $10 THEN at END) \
         FROM guess_attempts \
         WHERE at > $6 AND outcome IN ($8, $9, $10) AND ((kind = $1 AND subject = $2) OR (family = $4 AND ip = $3))",
    )
    .bind(kind.slug())
    .bind(subject)
    .bind(ip)
    .bind(kind.family().slug())
    .bind(utc_in(-WINDOW_SECONDS))
    .bind(utc_in(-DAY_SECONDS))
    .bind(id)
    .bind(PENDING)
    .bind(COUNTED)
    .bind(REFUSED)
    .fetch_one(pool)
    .await?;
    let (pair_window, pair_day, address_window, address_day, subject_window, subject_day, previous) = row;
    let since_subject_previous = match (previous.as_deref().and_then(unix_seconds), unix_seconds(now)) {
        (Some(then), Some(now)) => Some((now - then).max(0)),
        _ => None,
    };
    Ok(Counts { pair_window, pair_day, address_window, address_day, subject_window, subject_day, since_subject_previous })
}

/// Removes tries older than the longest window (the hourly tidy-up): the addresses in them
/// are personal data, kept no longer than the limits need them.
pub async fn purge(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM guess_attempts WHERE at <= $1").bind(utc_in(-DAY_SECONDS)).execute(pool).await?;
    let writes = sqlx::query("DELETE FROM address_writes WHERE at <= $1").bind(utc_in(-WRITE_WINDOW_SECONDS)).execute(pool).await?;
    Ok(done.rows_affected() + writes.rows_affected())
}

/// Counts an anonymous write from `ip` against its hourly budget: written first, then
/// counted with every write recorded before it, so parallel requests cannot all slip under
/// the limit. `Some(seconds)`: refused, try again then. A request without a
/// peer address ("unknown": the tests' in-process router) is not counted.
pub async fn take(pool: &AnyPool, write: Write, ip: &str) -> Result<Option<i64>, sqlx::Error> {
    if ip == "unknown" {
        return Ok(None);
    }
    let now = now_utc();
    let since = utc_in(-WRITE_WINDOW_SECONDS);
    let (id,): (i64,) = sqlx::query_as("INSERT INTO address_writes (kind, ip, at) VALUES ($1, $2, $3) RETURNING id")
        .bind(write.slug())
        .bind(ip)
        .bind(&now)
        .fetch_one(pool)
        .await?;
    // Counted with the writes before it (by id), so of a burst the first ones within the
    // budget go ahead rather than all being refused.
    let (count, oldest): (i64, Option<String>) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), MIN(at) FROM address_writes WHERE kind = $1 AND ip = $2 AND at > $3 AND id <= $4",
    )
    .bind(write.slug())
    .bind(ip)
    .bind(&since)
    .bind(id)
    .fetch_one(pool)
    .await?;
    let oldest_age = oldest.as_deref().and_then(unix_seconds).map(|t| unix_seconds(&now).unwrap_or(t) - t).unwrap_or(0);
    Ok(write.refused(count, oldest_age))
}

/// What an email address is counted under: its SHA-256, so the table holds no address.
pub fn email_subject(email: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
