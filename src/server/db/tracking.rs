//! Tracking by number and PIN: the guessing limits, and the short sessions a correct pair
//! opens.

use super::{now_utc, utc_in};
use crate::server::token::SecretToken;
use sqlx::AnyPool;

/// How long a correct number and PIN keep the application open in this browser.
pub const SESSION_SECONDS: i64 = 60 * 60;

/// The application with this number and its PIN's hash.
pub async fn by_number(pool: &AnyPool, number: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, pin_hash FROM applications WHERE registration_number = $1").bind(number).fetch_optional(pool).await
}

/// What a tracking session opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Opened {
    pub application_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// Set by a sign-in link: every application and complaint of this (lower-cased) address.
    pub email: Option<String>,
    /// Set by a code texted to a phone: every open application and complaint of this
    /// number (+62…).
    pub phone: Option<String>,
}

impl Opened {
    /// Whom a list session opens, if it is one.
    pub fn holder(&self) -> Option<Holder<'_>> {
        match (&self.email, &self.phone) {
            (Some(email), _) => Some(Holder::Email(email)),
            (None, Some(phone)) => Some(Holder::Phone(phone)),
            (None, None) => None,
        }
    }
}

/// Whose applications a list session shows: an email address's (all of them), or a phone's
/// (the open ones: a code by SMS is for following what is still going on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder<'a> {
    Email(&'a str),
    Phone(&'a str),
}

impl<'a> Holder<'a> {
    fn applications_where(self) -> &'static str {
        match self {
            Holder::Email(_) => "LOWER(a.email) = $1",
            Holder::Phone(_) => "a.phone = $1 AND a.open = TRUE",
        }
    }

    fn complaints_where(self) -> &'static str {
        match self {
            Holder::Email(_) => "LOWER(email) = $1",
            Holder::Phone(_) => "phone = $1 AND status <> 'selesai'",
        }
    }

    fn value(self) -> &'a str {
        match self {
            Holder::Email(v) | Holder::Phone(v) => v,
        }
    }
}

pub async fn open_session(pool: &AnyPool, opened: &Opened) -> Result<SecretToken, sqlx::Error> {
    let token = SecretToken::generate();
    sqlx::query(
        "INSERT INTO tracking_sessions (token_hash, application_id, complaint_id, email, phone, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.hash())
    .bind(opened.application_id)
    .bind(opened.complaint_id)
    .bind(&opened.email)
    .bind(&opened.phone)
    .bind(now_utc())
    .bind(utc_in(SESSION_SECONDS))
    .execute(pool)
    .await?;
    Ok(token)
}

/// What a live tracking session opens.
pub async fn session(pool: &AnyPool, token: &SecretToken) -> Result<Option<Opened>, sqlx::Error> {
    sqlx::query_as("SELECT application_id, complaint_id, email, phone FROM tracking_sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token.hash())
        .bind(now_utc())
        .fetch_optional(pool)
        .await
}

/// The application a live tracking session opens.
pub async fn session_application(pool: &AnyPool, token: &SecretToken) -> Result<Option<i64>, sqlx::Error> {
    Ok(session(pool, token).await?.and_then(|o| o.application_id))
}

/// An email session turns to one of its applications or complaints (the caller checked it
/// belongs to the address).
pub async fn focus(pool: &AnyPool, token: &SecretToken, application_id: Option<i64>, complaint_id: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tracking_sessions SET application_id = $1, complaint_id = $2 WHERE token_hash = $3")
        .bind(application_id)
        .bind(complaint_id)
        .bind(token.hash())
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn end_session(pool: &AnyPool, token: &SecretToken) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tracking_sessions WHERE token_hash = $1").bind(token.hash()).execute(pool).await.map(|_| ())
}

/// Removes expired sessions and old attempts (the hourly tidy-up).
pub async fn tidy(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tracking_sessions WHERE expires_at <= $1").bind(now_utc()).execute(pool).await?;
    sqlx::query("DELETE FROM email_links WHERE expires_at <= $1").bind(now_utc()).execute(pool).await?;
    sqlx::query("DELETE FROM phone_codes WHERE expires_at <= $1").bind(now_utc()).execute(pool).await?;
    super::complaints::forget_receipt_pins(pool).await?;
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
        sqlx::query_as("SELECT document_kind, created_at FROM uploads WHERE application_id = $1 AND replaced_at IS NULL ORDER BY document_kind")
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
    super::retrying(|| replace_document_once(pool, application_id, kind, file)).await
}

async fn replace_document_once(
    pool: &AnyPool,
    application_id: i64,
    kind: crate::domain::DocumentKind,
    file: &crate::server::storage::StoredFile,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Lock the application first, so replacements take turns (see `put_draft_upload`).
    sqlx::query("UPDATE applications SET updated_at = updated_at WHERE id = $1").bind(application_id).execute(&mut *tx).await?;
    // A replacement replaced again is of no use to anyone: it goes. The original is kept,
    // marked, for staff to compare until the decision (the hourly tidy-up removes it then).
    let old: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM uploads WHERE application_id = $1 AND document_kind = $2 AND replaced_at IS NULL AND replacement = TRUE RETURNING id",
    )
    .bind(application_id)
    .bind(kind.slug())
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("UPDATE uploads SET replaced_at = $1 WHERE application_id = $2 AND document_kind = $3 AND replaced_at IS NULL")
        .bind(now_utc())
        .bind(application_id)
        .bind(kind.slug())
        .execute(&mut *tx)
        .await?;
    super::applications::insert_upload(&mut tx, None, Some(application_id), kind, file).await?;
    sqlx::query("UPDATE uploads SET replacement = TRUE WHERE id = $1").bind(&file.id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(old.into_iter().map(|(id,)| id).collect())
}

/// Originals kept beside their replacements until the decision: those of decided (closed)
/// applications are removed; returns the file ids to remove from storage.
pub async fn purge_replaced_originals(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    let gone: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM uploads WHERE replaced_at IS NOT NULL \
         AND application_id IN (SELECT id FROM applications WHERE open = FALSE) RETURNING id",
    )
    .fetch_all(pool)
    .await?;
    Ok(gone.into_iter().map(|(id,)| id).collect())
}

/// How long a sign-in link works (once).
pub const LINK_SECONDS: i64 = 15 * 60;

/// A new sign-in link for `email` (lower-cased by the caller); the token goes into the
/// message only.
pub async fn create_link(pool: &AnyPool, email: &str) -> Result<SecretToken, sqlx::Error> {
    let token = SecretToken::generate();
    sqlx::query("INSERT INTO email_links (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token.hash())
        .bind(email)
        .bind(now_utc())
        .bind(utc_in(LINK_SECONDS))
        .execute(pool)
        .await?;
    Ok(token)
}

/// Uses a link: its address, if it is live and unused (and from now on it is used). Of two
/// simultaneous uses one wins.
pub async fn use_link(pool: &AnyPool, token: &SecretToken) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE email_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING email",
    )
    .bind(now_utc())
    .bind(token.hash())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(e,)| e))
}

/// Whether any application or complaint gave this (lower-cased) address.
pub async fn email_known(pool: &AnyPool, email: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM applications WHERE LOWER(email) = $1) + (SELECT COUNT(*) FROM complaints WHERE LOWER(email) = $1)",
    )
    .bind(email)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// The applications of an address or a phone, newest first: (id, number, status, program
/// (id), program (en), submitted).
pub async fn applications_of(pool: &AnyPool, holder: Holder<'_>) -> Result<Vec<(i64, String, String, String, String, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, a.registration_number, a.status, p.name_id, p.name_en, a.submitted_at FROM applications a \
         JOIN programs p ON p.id = a.program_id WHERE {} ORDER BY a.submitted_at DESC, a.id DESC LIMIT 100",
        holder.applications_where()
    );
    sqlx::query_as(&sql).bind(holder.value()).fetch_all(pool).await
}

/// The complaints of an address or a phone, newest first: (id, number, kind, status, received).
pub async fn complaints_of(pool: &AnyPool, holder: Holder<'_>) -> Result<Vec<(i64, String, String, String, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT id, number, kind, status, received_at FROM complaints WHERE {} ORDER BY received_at DESC, id DESC LIMIT 100",
        holder.complaints_where()
    );
    sqlx::query_as(&sql).bind(holder.value()).fetch_all(pool).await
}

/// How long a code texted to a phone works.
pub const CODE_SECONDS: i64 = 15 * 60;

/// Keeps a new code for `phone` (its keyed hash), in place of any it had: only the latest
/// code works.
pub async fn create_code(pool: &AnyPool, phone: &str, code_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO phone_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, \
         expires_at = excluded.expires_at, used_at = NULL",
    )
    .bind(phone)
    .bind(code_hash)
    .bind(now_utc())
    .bind(utc_in(CODE_SECONDS))
    .execute(pool)
    .await
    .map(|_| ())
}

/// Uses a code: whether it is live and unused for this phone (and from now on it is used).
/// Of two simultaneous uses one wins.
pub async fn use_code(pool: &AnyPool, phone: &str, code_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE phone_codes SET used_at = $1 WHERE phone = $2 AND code_hash = $3 AND used_at IS NULL AND expires_at > $1")
        .bind(now_utc())
        .bind(phone)
        .bind(code_hash)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives an application a new PIN (its sealed form); the old one stops working.
pub async fn set_pin(pool: &AnyPool, application_id: i64, pin_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET pin_hash = $1 WHERE id = $2").bind(pin_hash).bind(application_id).execute(pool).await.map(|_| ())
}

/// Writes a resident's fixed answer over the application's, keeping what it said before,
/// while the application still waits for its correction. Returns whether it was written.
pub async fn fix_answer(pool: &AnyPool, application_id: i64, fix: &crate::domain::correction::AnswerFix) -> Result<bool, sqlx::Error> {
    super::retrying(|| fix_answer_once(pool, application_id, fix)).await
}

async fn fix_answer_once(pool: &AnyPool, application_id: i64, fix: &crate::domain::correction::AnswerFix) -> Result<bool, sqlx::Error> {
    use crate::domain::correction::AnswerFix;
    let now = now_utc();
    let mut tx = pool.begin().await?;
    // Lock the row first (SQLite: write before reading; see `replace_document`).
    let waiting = sqlx::query("UPDATE applications SET updated_at = $1 WHERE id = $2 AND status = 'perlu-perbaikan'")
        .bind(&now)
        .bind(application_id)
        .execute(&mut *tx)
        .await?;
    if waiting.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let encode = |v: serde_json::Value| v.to_string();
    let (before, after) = match fix {
        AnswerFix::Contact { phone, email } => {
            let (old_phone, old_email): (String, Option<String>) =
                sqlx::query_as("SELECT phone, email FROM applications WHERE id = $1").bind(application_id).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE applications SET phone = $1, email = $2 WHERE id = $3")
                .bind(phone)
                .bind(email)
                .bind(application_id)
                .execute(&mut *tx)
                .await?;
            (serde_json::json!({"phone": old_phone, "email": old_email}), serde_json::json!({"phone": phone, "email": email}))
        }
        AnswerFix::Street { street, rt, rw } => {
            let (old_street, old_rt, old_rw): (String, String, String) =
                sqlx::query_as("SELECT street, rt, rw FROM applications WHERE id = $1").bind(application_id).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE applications SET street = $1, rt = $2, rw = $3 WHERE id = $4")
                .bind(street)
                .bind(rt)
                .bind(rw)
                .bind(application_id)
                .execute(&mut *tx)
                .await?;
            (serde_json::json!({"street": old_street, "rt": old_rt, "rw": old_rw}), serde_json::json!({"street": street, "rt": rt, "rw": rw}))
        }
        AnswerFix::Description { description } => {
            let (old,): (String,) =
                sqlx::query_as("SELECT description FROM applications WHERE id = $1").bind(application_id).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE applications SET description = $1 WHERE id = $2").bind(description).bind(application_id).execute(&mut *tx).await?;
            (serde_json::json!({"description": old}), serde_json::json!({"description": description}))
        }
    };
    sqlx::query("INSERT INTO answer_fixes (application_id, step, before_value, after_value, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(application_id)
        .bind(fix.step().slug())
        .bind(encode(before))
        .bind(encode(after))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The parts whose answers were fixed since `since` (step slugs).
pub async fn answers_fixed_since(pool: &AnyPool, application_id: i64, since: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT step FROM answer_fixes WHERE application_id = $1 AND at >= $2")
        .bind(application_id)
        .bind(since)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// Whether the person lets the one who applied for them see the details.
pub async fn shared_with_applicant(pool: &AnyPool, application_id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT CASE WHEN shared_with_applicant THEN 1 ELSE 0 END FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some_and(|(s,)| s == 1))
}

pub async fn set_shared_with_applicant(pool: &AnyPool, application_id: i64, shared: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET shared_with_applicant = $1 WHERE id = $2").bind(shared).bind(application_id).execute(pool).await.map(|_| ())
}

/// One staff view of an application, as the person is shown it: when, what was opened, and
/// the viewer's roles and service points now (never their name).
#[derive(Clone, Debug)]
pub struct StaffView {
    pub at: String,
    pub what: String,
    pub detail: Option<String>,
    pub roles: Option<String>,
    pub service_points: Option<String>,
}

/// Every staff view of the application, oldest first.
pub async fn staff_views(pool: &AnyPool, application_id: i64) -> Result<Vec<StaffView>, sqlx::Error> {
    // The roles and service points, comma-joined in a sub-select each, so the query reads the
    // same on SQLite and PostgreSQL without string_agg / group_concat.
    let views: Vec<(String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT at, what, detail, staff_id FROM access_log WHERE application_id = $1 ORDER BY at, id")
            .bind(application_id)
            .fetch_all(pool)
            .await?;
    let mut out = Vec::with_capacity(views.len());
    let mut known: std::collections::HashMap<i64, (String, String)> = std::collections::HashMap::new();
    for (at, what, detail, staff_id) in views {
        if !known.contains_key(&staff_id) {
            let roles: Vec<(String,)> = sqlx::query_as("SELECT role FROM staff_roles WHERE staff_id = $1 ORDER BY role").bind(staff_id).fetch_all(pool).await?;
            let points: Vec<(String,)> = sqlx::query_as(
                "SELECT sp.name FROM staff_service_points ssp JOIN service_points sp ON sp.id = ssp.service_point_id WHERE ssp.staff_id = $1 ORDER BY sp.name",
            )
            .bind(staff_id)
            .fetch_all(pool)
            .await?;
            let join = |v: Vec<(String,)>| v.into_iter().map(|(s,)| s).collect::<Vec<_>>().join(",");
            known.insert(staff_id, (join(roles), join(points)));
        }
        let (roles, points) = known[&staff_id].clone();
        out.push(StaffView { at, what, detail, roles: Some(roles), service_points: Some(points).filter(|p| !p.is_empty()) });
    }
    Ok(out)
}

/// Records a withdrawal of consent (`outcome`: `withdrawn`, or `restricted` with the
/// application's personal data restricted from now on), once: a second one changes nothing.
pub async fn withdraw_consent(pool: &AnyPool, application_id: i64, whose: &str, restrict: bool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The application's row first, as every write to an application (one order of locks).
    sqlx::query("UPDATE applications SET updated_at = updated_at WHERE id = $1").bind(application_id).execute(&mut *tx).await?;
    let (open,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM consent_withdrawals WHERE application_id = $1 AND lifted_at IS NULL").bind(application_id).fetch_one(&mut *tx).await?;
    if open == 0 {
        let now = now_utc();
        if restrict {
            sqlx::query("UPDATE applications SET restricted_at = $1 WHERE id = $2").bind(&now).bind(application_id).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO consent_withdrawals (application_id, at, whose, outcome) VALUES ($1, $2, $3, $4)")
            .bind(application_id)
            .bind(&now)
            .bind(whose)
            .bind(if restrict { "restricted" } else { "withdrawn" })
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Whether the person withdrew their consent (and no administrator lifted what followed).
pub async fn consent_withdrawn(pool: &AnyPool, application_id: i64) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM consent_withdrawals WHERE application_id = $1 AND lifted_at IS NULL")
        .bind(application_id)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// When the application's personal data was restricted, if it is.
pub async fn restricted_since(pool: &AnyPool, application_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT restricted_at FROM applications WHERE id = $1").bind(application_id).fetch_optional(pool).await?;
    Ok(row.and_then(|(r,)| r))
}

/// The restricted applications, newest first: (id, number, since, whose).
pub async fn restricted(pool: &AnyPool) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.registration_number, a.restricted_at, w.whose FROM applications a \
         JOIN consent_withdrawals w ON w.application_id = a.id AND w.lifted_at IS NULL AND w.outcome = 'restricted' \
         WHERE a.restricted_at IS NOT NULL ORDER BY a.restricted_at DESC, a.id DESC LIMIT 500",
    )
    .fetch_all(pool)
    .await
}

/// An administrator lifts a restriction, with the reason, in the administrative history
/// too; returns whether there was one to lift.
pub async fn lift_restriction(pool: &AnyPool, application_id: i64, staff_id: i64, reason: &str) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let lifted = sqlx::query("UPDATE applications SET restricted_at = NULL WHERE id = $1 AND restricted_at IS NOT NULL")
        .bind(application_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if lifted {
        sqlx::query("UPDATE consent_withdrawals SET lifted_at = $1, lifted_by = $2, lift_reason = $3 WHERE application_id = $4 AND lifted_at IS NULL")
            .bind(now_utc())
            .bind(staff_id)
            .bind(reason)
            .bind(application_id)
            .execute(&mut *tx)
            .await?;
        super::admin::record(&mut tx, staff_id, "pembatasan", &application_id.to_string(), "dicabut", reason).await?;
    }
    tx.commit().await?;
    Ok(lifted)
}
