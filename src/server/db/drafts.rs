//! Drafts that survive a refresh, a lost connection or coming back tomorrow: whatever a
//! resident has completed is saved on the server under a random token in their cookie.
//!
//! The cookie holds the token; the table holds only its SHA-256, so a copy of the table
//! cannot be turned into someone's cookie. A draft lives 30 days after its last save.

use super::{now_utc, utc_in};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

pub const DRAFT_COOKIE: &str = "layan_draf";
pub const LIFETIME_SECONDS: i64 = 30 * 24 * 60 * 60;

/// 256 random bits, base64url: the key to one draft. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct DraftToken(String);

impl std::fmt::Debug for DraftToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DraftToken(…)")
    }
}

impl DraftToken {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A cookie value that has the shape of a token; anything else is no token at all.
    pub fn parse(value: &str) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(value).ok()?;
        (decoded.len() == 32).then(|| Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The `Set-Cookie` value that hands this token to the browser for the draft's lifetime.
    pub fn set_cookie(&self) -> String {
        format!("{DRAFT_COOKIE}={}; Path=/; Max-Age={LIFETIME_SECONDS}; SameSite=Lax; HttpOnly", self.0)
    }
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
    fn tokens_are_random_and_only_well_formed_values_parse() {
        let a = DraftToken::generate();
        let b = DraftToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(DraftToken::parse(a.as_str()), Some(a.clone()));
        for bad in ["", "abc", "../../etc/passwd", &"A".repeat(44), &format!("{}=", a.as_str())] {
            assert_eq!(DraftToken::parse(bad), None, "{bad}");
        }
        assert_eq!(format!("{a:?}"), "DraftToken(…)");
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
    }

    #[test]
    fn a_corrupt_draft_error_never_quotes_the_draft() {
        let err: DraftError = serde_json::from_str::<u32>(r#""3276015505870003""#).unwrap_err().into();
        assert!(!err.to_string().contains("3276015505870003"), "{err}");
    }

    #[test]
    fn the_cookie_lasts_thirty_days_and_stays_out_of_scripts() {
        let cookie = DraftToken::generate().set_cookie();
        assert!(cookie.starts_with("layan_draf="));
        assert!(cookie.contains("Max-Age=2592000") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }
}
