//! Drafts that survive a refresh, a lost connection or coming back tomorrow: whatever a
//! resident has completed is saved on the server under a random token in their cookie.
//!
//! The cookie holds the token; the table holds only its SHA-256, so a copy of the table
//! cannot be turned into someone's cookie. A draft lives [`LIFETIME_SECONDS`] after its last
//! save, less once it holds a NIK ([`PERSONAL_LIFETIME_SECONDS`]: the next person on a shared
//! phone should not find it), and a counter registration ends with the officer's session.
//!
//! Every save names the [`Version`] it read and bumps it, so of two saves that read the same
//! draft one wins and the other changes nothing ([`DraftError::Changed`]).

use super::{now_utc, utc_in};
use crate::server::token::SecretToken;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::AnyPool;

pub const DRAFT_COOKIE: &str = "layan_draf";
/// A draft that holds nothing personal yet (the program chosen, who it is for).
pub const LIFETIME_SECONDS: i64 = 30 * 24 * 60 * 60;
/// A draft with a NIK: long enough to come back after the weekend with a missing document.
pub const PERSONAL_LIFETIME_SECONDS: i64 = 3 * 24 * 60 * 60;
/// A counter registration: the working day at most (and it ends at sign-out).
pub const WALK_IN_LIFETIME_SECONDS: i64 = 10 * 60 * 60;

/// The key to one draft: 256 random bits in the cookie, their SHA-256 in the table.
pub type DraftToken = SecretToken;

/// The version of a draft as it was read: `None` for one not saved yet.
pub type Version = Option<i64>;

/// The `Set-Cookie` value that hands a draft's token to the browser for `lifetime` seconds.
pub fn set_cookie(token: &DraftToken, lifetime: i64) -> String {
    format!("{DRAFT_COOKIE}={}; Path=/; Max-Age={lifetime}; SameSite=Lax; HttpOnly", token.as_str())
}

/// The `Set-Cookie` value that makes the browser forget its draft.
pub fn clear_cookie() -> String {
    format!("{DRAFT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly")
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// The stored draft no longer reads as the current draft type (e.g. after an upgrade).
    /// Only where it failed is kept: serde's message can quote the draft's content, which
    /// is personal data and must not reach a log line.
    #[error("stored draft does not parse (line {line}, column {column})")]
    Corrupt { line: usize, column: usize },
    /// Saved (or submitted, or discarded) by another request since it was read.
    #[error("the draft changed since it was read")]
    Changed,
}

impl From<serde_json::Error> for DraftError {
    fn from(e: serde_json::Error) -> Self {
        DraftError::Corrupt { line: e.line(), column: e.column() }
    }
}

/// The draft behind `token` and its version, if there is one that has not expired.
pub async fn load<T: DeserializeOwned>(pool: &AnyPool, token: &DraftToken) -> Result<Option<(T, i64)>, DraftError> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT data, version FROM drafts WHERE token_hash = $1 AND expires_at > $2")
        .bind(token.hash())
        .bind(now_utc())
        .fetch_optional(pool)
        .await?;
    row.map(|(data, version)| Ok((serde_json::from_str(&data)?, version))).transpose()
}

/// Saves the draft read at `version` for another `lifetime` seconds; returns its new version.
/// A draft saved by someone else since (or gone) is not overwritten: [`DraftError::Changed`].
/// `walk_in_session` ties a new draft to a front-desk officer's session.
pub async fn save<T: Serialize>(
    pool: &AnyPool,
    token: &DraftToken,
    draft: &T,
    version: Version,
    lifetime: i64,
    walk_in_session: Option<&str>,
) -> Result<i64, DraftError> {
    let now = now_utc();
    let data = serde_json::to_string(draft)?;
    let done = match version {
        None => {
            sqlx::query(
                "INSERT INTO drafts (token_hash, data, created_at, updated_at, expires_at, version, walk_in_session) \
                 VALUES ($1, $2, $3, $3, $4, 1, $5) ON CONFLICT (token_hash) DO NOTHING",
            )
            .bind(token.hash())
            .bind(&data)
            .bind(&now)
            .bind(utc_in(lifetime))
            .bind(walk_in_session)
            .execute(pool)
            .await?
        }
        Some(read) => {
            sqlx::query(
                "UPDATE drafts SET data = $1, updated_at = $2, expires_at = $3, version = version + 1 \
                 WHERE token_hash = $4 AND version = $5",
            )
            .bind(&data)
            .bind(&now)
            .bind(utc_in(lifetime))
            .bind(token.hash())
            .bind(read)
            .execute(pool)
            .await?
        }
    };
    if done.rows_affected() == 1 { Ok(version.unwrap_or(0) + 1) } else { Err(DraftError::Changed) }
}

/// Inside a transaction that writes for a draft (an upload, the submission): takes the
/// draft's row lock first and checks it is still at `version`. `bump` makes the write
/// count as a change (the submission does; an upload does not, so a resident can send
/// several files at once); `renew` moves its expiry. `false`: the draft changed or is gone,
/// and nothing should be written.
pub async fn hold(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    token_hash: &str,
    version: i64,
    bump: bool,
    renew: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE drafts SET version = version + $1, expires_at = COALESCE($2, expires_at) WHERE token_hash = $3 AND version = $4",
    )
    .bind(if bump { 1_i64 } else { 0 })
    .bind(renew.map(utc_in))
    .bind(token_hash)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets a draft with its files' rows, in one step; returns the file ids to remove from
/// storage. "Discard this application", and the end of a counter registration.
pub async fn discard(pool: &AnyPool, token: &DraftToken) -> Result<Vec<String>, DraftError> {
    let mut tx = pool.begin().await?;
    // The draft first: a simultaneous upload holds it (see `hold`) and then finds it gone.
    sqlx::query("DELETE FROM drafts WHERE token_hash = $1").bind(token.hash()).execute(&mut *tx).await?;
    let files: Vec<(String,)> = sqlx::query_as("DELETE FROM uploads WHERE draft_hash = $1 AND application_id IS NULL RETURNING id")
        .bind(token.hash())
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(files.into_iter().map(|(id,)| id).collect())
}

/// Ends the counter registrations begun under a staff session (at sign-out); their files
/// go with the next orphan sweep. Returns how many.
pub async fn end_walk_ins(pool: &AnyPool, session_hash: &str) -> Result<u64, DraftError> {
    let done = sqlx::query("DELETE FROM drafts WHERE walk_in_session = $1").bind(session_hash).execute(pool).await?;
    Ok(done.rows_affected())
}

/// Removes every expired draft, and counter registrations whose officer's session has
/// ended without a sign-out; returns how many. Run at start-up and hourly.
pub async fn purge_expired(pool: &AnyPool) -> Result<u64, DraftError> {
    let now = now_utc();
    let expired = sqlx::query("DELETE FROM drafts WHERE expires_at <= $1").bind(&now).execute(pool).await?;
    let orphaned = sqlx::query(
        "DELETE FROM drafts WHERE walk_in_session IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM staff_sessions s WHERE s.token_hash = drafts.walk_in_session AND s.expires_at > $1)",
    )
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(expired.rows_affected() + orphaned.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_draft_error_never_quotes_the_draft() {
        let err: DraftError = serde_json::from_str::<u32>(r#""3276015505870003""#).unwrap_err().into();
        assert!(!err.to_string().contains("3276015505870003"), "{err}");
    }

    #[test]
    fn the_cookie_lasts_as_long_as_the_draft_and_stays_out_of_scripts() {
        let cookie = set_cookie(&DraftToken::generate(), LIFETIME_SECONDS);
        assert!(cookie.starts_with("layan_draf="));
        assert!(cookie.contains("Max-Age=2592000") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }
}
