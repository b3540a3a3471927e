//! Tracking by number and PIN: the guessing limits, and the short sessions a correct pair
//! opens.

use super::{now_utc, utc_in};
use crate::server::token::SecretToken;
use sqlx::AnyPool;

/// Lookups are counted over this window…
pub const ATTEMPT_WINDOW_SECONDS: i64 = 15 * 60;
/// …and a number takes this many wrong PINs in it (a six-digit PIN then needs, on average,
/// about 57 years of guessing), an address this many failures across numbers.
pub const MAX_FAILURES_PER_NUMBER: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// How long a correct number and PIN keep the application open in this browser.
pub const SESSION_SECONDS: i64 = 60 * 60;

/// Whether the guessing limit for this number or this address is reached.
pub async fn throttled(pool: &AnyPool, number: &str, ip: &str) -> Result<bool, sqlx::Error> {
    let since = utc_in(-ATTEMPT_WINDOW_SECONDS);
    let (by_number,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tracking_attempts WHERE number = $1 AND at > $2 AND succeeded = FALSE")
            .bind(number)
            .bind(&since)
            .fetch_one(pool)
            .await?;
    let (by_address,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tracking_attempts WHERE ip = $1 AND at > $2 AND succeeded = FALSE")
        .bind(ip)
        .bind(&since)
        .fetch_one(pool)
        .await?;
    Ok(by_number >= MAX_FAILURES_PER_NUMBER || by_address >= MAX_FAILURES_PER_ADDRESS)
}

pub async fn record_attempt(pool: &AnyPool, number: &str, ip: &str, succeeded: bool) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tracking_attempts (number, ip, at, succeeded) VALUES ($1, $2, $3, $4)")
        .bind(number)
        .bind(ip)
        .bind(now_utc())
        .bind(succeeded)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The application with this number and its PIN's hash.
pub async fn by_number(pool: &AnyPool, number: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, pin_hash FROM applications WHERE registration_number = $1").bind(number).fetch_optional(pool).await
}

pub async fn open_session(pool: &AnyPool, application_id: i64) -> Result<SecretToken, sqlx::Error> {
    let token = SecretToken::generate();
    sqlx::query("INSERT INTO tracking_sessions (token_hash, application_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token.hash())
        .bind(application_id)
        .bind(now_utc())
        .bind(utc_in(SESSION_SECONDS))
        .execute(pool)
        .await?;
    Ok(token)
}

/// The application a live tracking session opens.
pub async fn session_application(pool: &AnyPool, token: &SecretToken) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT application_id FROM tracking_sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token.hash())
        .bind(now_utc())
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn end_session(pool: &AnyPool, token: &SecretToken) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tracking_sessions WHERE token_hash = $1").bind(token.hash()).execute(pool).await.map(|_| ())
}

/// Removes expired sessions and old attempts (the hourly tidy-up).
pub async fn tidy(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tracking_sessions WHERE expires_at <= $1").bind(now_utc()).execute(pool).await?;
    sqlx::query("DELETE FROM tracking_attempts WHERE at <= $1").bind(utc_in(-ATTEMPT_WINDOW_SECONDS)).execute(pool).await?;
    Ok(())
}

/// When the office last asked for a correction of this application.
pub async fn correction_asked_at(pool: &AnyPool, application_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(at) FROM application_history WHERE application_id = $1 AND to_status = 'perlu-perbaikan'")
            .bind(application_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(at,)| at))
}

/// The kinds of document the application holds, and whether each was replaced since `since`.
pub async fn documents(pool: &AnyPool, application_id: i64, since: &str) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT document_kind, created_at FROM uploads WHERE application_id = $1 ORDER BY document_kind")
            .bind(application_id)
            .fetch_all(pool)
            .await?;
    // Timestamps have whole seconds: a file stored in the second of the request counts as new.
    Ok(rows.into_iter().map(|(kind, at)| (kind, at.as_str() >= since)).collect())
}

/// Replaces the application's document of one kind with a new file; returns the ids of the
/// files it replaced (to remove from disk once committed).
pub async fn replace_document(
    pool: &AnyPool,
    application_id: i64,
    kind: crate::domain::DocumentKind,
    file: &crate::server::storage::StoredFile,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Lock the application first, so replacements take turns (see `put_draft_upload`).
    sqlx::query("UPDATE applications SET updated_at = updated_at WHERE id = $1").bind(application_id).execute(&mut *tx).await?;
    let old: Vec<(String,)> = sqlx::query_as("DELETE FROM uploads WHERE application_id = $1 AND document_kind = $2 RETURNING id")
        .bind(application_id)
        .bind(kind.slug())
        .fetch_all(&mut *tx)
        .await?;
    super::applications::insert_upload(&mut tx, None, Some(application_id), kind, file).await?;
    tx.commit().await?;
    Ok(old.into_iter().map(|(id,)| id).collect())
}
