//! Staff sign-in: argon2id password hashes, sessions stored in the database (so every Layan
//! instance knows them), and limits on guessing.

use super::db::{now_utc, utc_in};
use super::token::SecretToken;
use crate::domain::staff::Username;
use crate::domain::workflow::Role;
use sqlx::AnyPool;

pub const SESSION_COOKIE: &str = "layan_petugas";
/// A session ends after 30 minutes without a request…
pub const IDLE_SECONDS: i64 = 30 * 60;
/// …and after 12 hours whatever happens (one working day).
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// The signed-in staff member behind a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// Regency or district codes.
    pub areas: Vec<String>,
}

impl StaffMember {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether an application at this address lies in one of the staff member's areas.
    pub fn covers(&self, regency_code: &str, district_code: &str) -> bool {
        self.areas.iter().any(|a| a == regency_code || a == district_code)
    }

    /// Whether the staff member works applications at all (administrators run the office's
    /// settings, not its cases).
    pub fn works_cases(&self) -> bool {
        [Role::FrontDesk, Role::Verifier, Role::FieldAssessor, Role::Supervisor].iter().any(|r| self.has(*r))
    }

    /// Whether the staff member may open an application at this address: a case-working
    /// role, and the address in their areas. The one home of this rule.
    pub fn may_open(&self, regency_code: &str, district_code: &str) -> bool {
        self.works_cases() && self.covers(regency_code, district_code)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    Ok { staff_id: i64, token: SecretToken },
    /// Wrong username or password (never which), or an inactive account.
    Refused,
    /// Over a guessing limit (`domain::guessing`): not checked at all; try again after this
    /// many seconds.
    Throttled { retry_after: i64 },
    /// Too many passwords being checked at this moment (`secrets::Busy`): try again shortly.
    Busy,
}

/// Checks the credentials, within the guessing limits, and opens a session.
pub async fn sign_in(pool: &AnyPool, username: &str, password: &str, address: &str) -> Result<SignIn, sqlx::Error> {
    use super::limits::{self, Reserved};
    let name = Username::parse(username).map(|u| u.as_str().to_string()).unwrap_or_else(|_| username.trim().chars().take(64).collect());
    // The try is counted before the password is checked, so simultaneous tries cannot all
    // slip under the limit.
    let judged = match limits::reserve(pool, crate::domain::guessing::SecretKind::Password, &name, address).await? {
        Reserved::Judge(judged) => judged,
        Reserved::Refused { retry_after } => return Ok(SignIn::Throttled { retry_after }),
    };
    // A deactivated account is treated as no account (same answer, same time).
    let account: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM staff WHERE username = $1 AND active = TRUE")
        .bind(&name)
        .fetch_optional(pool)
        .await?;
    let hash = account.as_ref().map(|(_, h)| h.as_str()).unwrap_or(super::secrets::DECOY_HASH);
    let Ok(matches) = super::secrets::verify_password(password, hash).await else {
        limits::withdraw(pool, judged).await?;
        return Ok(SignIn::Busy);
    };
    let staff_id = account.filter(|_| matches).map(|(id, _)| id);
    limits::settle(pool, judged, staff_id.is_some()).await?;
    let Some(staff_id) = staff_id else { return Ok(SignIn::Refused) };
    let token = open_session(pool, staff_id).await?;
    Ok(SignIn::Ok { staff_id, token })
}

/// Opens a session for a staff member whose credentials were checked.
pub async fn open_session(pool: &AnyPool, staff_id: i64) -> Result<SecretToken, sqlx::Error> {
    let token = SecretToken::generate();
    let now = now_utc();
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at, absolute_expiry) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token.hash())
    .bind(staff_id)
    .bind(&now)
    .bind(utc_in(IDLE_SECONDS))
    .bind(utc_in(ABSOLUTE_SECONDS))
    .execute(pool)
    .await?;
    Ok(token)
}

/// The staff member behind a live session, moving its idle expiry on. An ended, expired or
/// deactivated account's session is no session.
pub async fn current(pool: &AnyPool, token: &SecretToken) -> Result<Option<StaffMember>, sqlx::Error> {
    let now = now_utc();
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.username, s.full_name, ss.absolute_expiry FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id \
         WHERE ss.token_hash = $1 AND ss.expires_at > $2 AND s.active = TRUE",
    )
    .bind(token.hash())
    .bind(&now)
    .fetch_optional(pool)
    .await?;
    let Some((id, username, full_name, absolute)) = row else { return Ok(None) };
    let idle = utc_in(IDLE_SECONDS);
    sqlx::query("UPDATE staff_sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
        .bind(&now)
        .bind(if idle < absolute { idle } else { absolute })
        .bind(token.hash())
        .execute(pool)
        .await?;
    Ok(Some(member(pool, id, username, full_name).await?))
}

async fn member(pool: &AnyPool, id: i64, username: String, full_name: String) -> Result<StaffMember, sqlx::Error> {
    let (roles, areas) = super::db::staff::roles_and_areas(pool, id).await?;
    Ok(StaffMember { id, username, full_name, roles: roles.into_iter().filter(|r| *r != Role::Resident).collect(), areas })
}

pub async fn sign_out(pool: &AnyPool, token: &SecretToken) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1").bind(token.hash()).execute(pool).await?;
    Ok(())
}

/// Removes sessions past their expiry (signed out by idleness or age): the hourly tidy-up.
pub async fn purge_expired_sessions(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1").bind(super::db::now_utc()).execute(pool).await.map(|_| ())
}

/// A new staff account. The password is hashed here; the caller checked it against the rule.
pub async fn create_staff(
    pool: &AnyPool,
    username: &Username,
    full_name: &str,
    password: &crate::domain::staff::NewPassword,
    roles: &[Role],
    areas: &[&str],
) -> Result<i64, CreateStaffError> {
    let hash = super::secrets::hash_password(password.expose()).await?;
    let now = now_utc();
    let mut tx = pool.begin().await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO staff (username, full_name, password_hash, active, created_at, updated_at) VALUES ($1, $2, $3, TRUE, $4, $4) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username.as_str())
    .bind(full_name)
    .bind(&hash)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id,)) = inserted else { return Err(CreateStaffError::Taken) };
    for role in roles {
        sqlx::query("INSERT INTO staff_roles (staff_id, role) VALUES ($1, $2)").bind(id).bind(role.slug()).execute(&mut *tx).await?;
    }
    for area in areas {
        sqlx::query("INSERT INTO staff_areas (staff_id, region_code) VALUES ($1, $2)").bind(id).bind(*area).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("the username is taken")]
    Taken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] super::secrets::HashError),
}

/// The `Set-Cookie` value of a new session: script-proof, same-site only (behind https the
/// middleware adds `Secure` and the `__Host-` name).
pub fn session_cookie(token: &SecretToken) -> String {
    format!("{SESSION_COOKIE}={}; Path=/; Max-Age={ABSOLUTE_SECONDS}; SameSite=Strict; HttpOnly", token.as_str())
}

/// The staff member signed in on the request carrying `headers`, if any.
pub async fn member_from(pool: &AnyPool, headers: &axum::http::HeaderMap) -> Result<Option<StaffMember>, sqlx::Error> {
    match session_from(headers) {
        Some(token) => current(pool, &token).await,
        None => Ok(None),
    }
}

pub fn session_from(headers: &axum::http::HeaderMap) -> Option<SecretToken> {
    crate::cookies::headers(headers).find_map(|h| crate::cookies::find(h, SESSION_COOKIE)).and_then(SecretToken::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_strict_and_out_of_scripts() {
        let cookie = session_cookie(&SecretToken::generate());
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/;"));
    }
}
