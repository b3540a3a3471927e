//! The database: one set of queries for SQLite (embedded) and PostgreSQL (scale-out).
//!
//! Queries go through sqlx's `Any` driver and use `$1`-style placeholders, which both
//! databases accept. Migrations are written once in `migrations/` in the SQL both share;
//! the few words that differ (an auto-numbered key, a byte column) are written as
//! `{{…}}` markers that [`migrate`] fills in per backend.

pub mod admin;
pub mod applications;
pub mod breach;
pub mod casework;
pub mod complaints;
pub mod drafts;
pub mod jobs;
pub mod letters;
pub mod migrate;
pub mod outbox;
pub mod programs;
pub mod queues;
pub mod regions;
pub mod reports;
pub mod retention;
pub mod service_points;
pub mod staff;
pub mod tracking;

use super::config::DatabaseUrl;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection pool and the backend behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// A pool of at most `max_connections`. A request waits up to 10 s for a connection:
    /// long enough to ride out a burst (transactions here take milliseconds), short enough
    /// that a database that stopped answering turns into an error page, not a hung phone.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> Result<Self, sqlx::Error> {
        install_default_drivers();
        let backend = match url {
            DatabaseUrl::Sqlite { .. } => Backend::Sqlite,
            DatabaseUrl::Postgres { .. } => Backend::Postgres,
        };
        let mut options = AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Postgres {
            // A transaction left open (a bug, a stuck task) would hold its row locks and its
            // connection for ever; PostgreSQL ends it after a minute instead.
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("SET idle_in_transaction_session_timeout = '60s'").await?;
                    Ok(())
                })
            });
        }
        if backend == Backend::Sqlite {
            // WAL lets readers run beside the one writer; synchronous=FULL makes every
            // committed transaction survive a power cut; busy_timeout waits for the writer
            // instead of failing.
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url.as_str()).await?;
        Ok(Db { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round-trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        migrate::run(self).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Lets one instance at a time through start-up (migrations, reference data, demo
    /// records, report tallies), so instances started together do not seed twice. On
    /// PostgreSQL a session advisory lock on a connection of its own, outside the pool: if
    /// the process dies, the session ends and the lock with it. SQLite has one writer anyway.
    pub async fn start_up_lock(&self) -> Result<StartUpLock, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(StartUpLock(None));
        }
        let mut conn = self.pool.acquire().await?.detach();
        conn.execute(format!("SELECT pg_advisory_lock({START_UP_LOCK})").as_str()).await?;
        Ok(StartUpLock(Some(conn)))
    }
}

/// The advisory lock's key: "layan" in ASCII, out of the way of sqlx's migration lock.
const START_UP_LOCK: i64 = 0x6c6179616e;

/// Held while an instance starts up ([`Db::start_up_lock`]).
pub struct StartUpLock(Option<sqlx::AnyConnection>);

impl StartUpLock {
    pub async fn release(mut self) {
        if let Some(mut conn) = self.0.take() {
            let _ = conn.execute(format!("SELECT pg_advisory_unlock({START_UP_LOCK})").as_str()).await;
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

/// Whether a failed transaction may simply be run again: PostgreSQL chose it as a deadlock's
/// victim (40P01) or could not serialize it (40001); SQLite found the database busy or its
/// snapshot stale (SQLITE_BUSY and its extended codes, SQLITE_LOCKED). Nothing of it was
/// written.
pub fn is_transient(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(d) = e else { return false };
    match d.code().as_deref() {
        Some("40001" | "40P01") => true,
        // SQLite's primary result code is the low byte of the extended one.
        Some(code) => code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
        None => false,
    }
}

/// An error that may say "try the transaction again" (see [`is_transient`]).
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for sqlx::Error {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

/// Tries a transaction again, up to five times with a short random wait, while it fails
/// with a transient error; any other outcome is returned as it is. The transaction must be
/// whole inside `attempt` (begin to commit), so a failed try leaves nothing behind.
pub async fn retrying<T, E: Transient, F: FnMut() -> Fut, Fut: std::future::Future<Output = Result<T, E>>>(mut attempt: F) -> Result<T, E> {
    let mut tries = 0u32;
    loop {
        match attempt().await {
            Err(e) if e.is_transient() && tries < 5 => {
                tries += 1;
                // 5-10 ms, then doubling: the other transaction usually needs only that long.
                let base = 5u64 << tries.min(6);
                let wait = base + rand::random::<u64>() % base;
                tracing::debug!(tries, "transaction retried after a transient failure");
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
            other => return other,
        }
    }
}

/// Turns a value read from the database into a domain type, or a decode error that names
/// the column (a bad row is a bug or tampering, not user input).
pub(crate) fn parse_column<T, E: std::fmt::Display>(column: &str, parsed: Result<T, E>) -> Result<T, sqlx::Error> {
    parsed.map_err(|e| sqlx::Error::ColumnDecode { index: column.to_string(), source: e.to_string().into() })
}

/// `($1, $2, $3), ($4, $5, $6), …` for a multi-row insert of `rows` rows of `columns` values.
pub(crate) fn values_placeholders(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..columns {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + col + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Today in the office's time zone (WIB, UTC+7 by default): the day an application is
/// received and the first day its deadline counts from.
pub fn office_today(utc_offset_hours: i64) -> crate::domain::Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    crate::domain::Date::from_unix_days((secs + utc_offset_hours * 3600).div_euclid(86_400))
}


/// Now, as the ISO-8601 UTC text every timestamp column holds (it sorts as it reads).
pub fn now_utc() -> String {
    utc_in(0)
}

/// `seconds` from now (negative: ago), as ISO-8601 UTC text.
pub fn utc_in(seconds: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + seconds;
    let date = crate::domain::Date::from_unix_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

pub use crate::domain::date::unix_seconds;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_back_as_unix_seconds() {
        assert_eq!(unix_seconds("1970-01-02T00:00:01Z"), Some(86_401));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        assert!((unix_seconds(&now_utc()).unwrap() - now).abs() <= 1);
        assert_eq!(unix_seconds("2026-11-01"), None);
    }

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(values_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_placeholders(1, 1), "($1)");
    }

    #[test]
    fn timestamps_are_iso_utc_and_sort_in_time_order() {
        let now = now_utc();
        assert_eq!(now.len(), 20);
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T');
        assert!(utc_in(-1) < utc_in(60) && utc_in(60) < utc_in(30 * 86_400));
    }
}
