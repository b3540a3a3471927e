//! Drafts that survive a refresh, a lost connection or coming back tomorrow: whatever a
//! resident has completed is saved on the server under a random token in their cookie.
//!
//! The cookie holds the token; the table holds only its SHA-256, so a copy of the table
//! cannot be turned into someone's cookie. A draft lives 30 days after its last save.

use super::{now_utc, utc_in};
use crate::server::token::SecretToken;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::AnyPool;

pub const DRAFT_COOKIE: &str = "layan_draf";
pub const LIFETIME_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The key to one draft: 256 random bits in the cookie, their SHA-256 in the table.
pub type DraftToken = SecretToken;

/// The `Set-Cookie` value that hands a draft's token to the browser for the draft's lifetime.
pub fn set_cookie(token: &DraftToken) -> String {
    format!("{DRAFT_COOKIE}={}; Path=/; Max-Age={LIFETIME_SECONDS}; SameSite=Lax; HttpOnly", token.as_str())
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
}

impl From<serde_json::Error> for DraftError {
    fn from(e: serde_json::Error) -> Self {
        DraftError::Corrupt { line: e.line(), column: e.column() }
    }
}

/// The draft behind `token`, if there is one that has not expired.
pub async fn load<T: DeserializeOwned>(pool: &AnyPool, token: &DraftToken) -> Result<Option<T>, DraftError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT data FROM drafts WHERE token_hash = $1 AND expires_at > $2")
        .bind(token.hash())
        .bind(now_utc())
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(data,)| serde_json::from_str(&data)).transpose()?)
}

/// Saves the draft and gives it another 30 days.
pub async fn save<T: Serialize>(pool: &AnyPool, token: &DraftToken, draft: &T) -> Result<(), DraftError> {
    let now = now_utc();
    sqlx::query(
        "INSERT INTO drafts (token_hash, data, created_at, updated_at, expires_at) VALUES ($1, $2, $3, $3, $4) \
         ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, \
         expires_at = excluded.expires_at",
    )
    .bind(token.hash())
    .bind(serde_json::to_string(draft)?)
    .bind(&now)
    .bind(utc_in(LIFETIME_SECONDS))
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets a draft (after it was submitted, or when the resident starts over).
pub async fn delete(pool: &AnyPool, token: &DraftToken) -> Result<(), DraftError> {
    sqlx::query("DELETE FROM drafts WHERE token_hash = $1").bind(token.hash()).execute(pool).await?;
    Ok(())
}

/// Removes every expired draft; returns how many. Run at start-up.
pub async fn purge_expired(pool: &AnyPool) -> Result<u64, DraftError> {
    let done = sqlx::query("DELETE FROM drafts WHERE expires_at <= $1").bind(now_utc()).execute(pool).await?;
    Ok(done.rows_affected())
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
    fn the_cookie_lasts_thirty_days_and_stays_out_of_scripts() {
        let cookie = set_cookie(&DraftToken::generate());
        assert!(cookie.starts_with("layan_draf="));
        assert!(cookie.contains("Max-Age=2592000") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }
}
