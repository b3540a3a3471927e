//! Runs of the jobs that must happen once across every instance sharing the database: a
//! row per job and period, taken by inserting it (`job_runs`, migration 0022).

use super::{now_utc, utc_in};
use sqlx::AnyPool;

/// Takes `job` for `period` on behalf of `instance`: true when this instance is to run it
/// — no one has, or whoever took it died without finishing and its lease ran out. One
/// statement, so of many instances asking at once exactly one gets true.
pub async fn claim(pool: &AnyPool, job: &str, period: &str, instance: &str, lease_seconds: i64) -> Result<bool, sqlx::Error> {
    let now = now_utc();
    let taken = sqlx::query(
        "INSERT INTO job_runs (job, period, instance, started_at, lease_until) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (job, period) DO UPDATE SET instance = excluded.instance, started_at = excluded.started_at, \
         lease_until = excluded.lease_until \
         WHERE job_runs.finished_at IS NULL AND job_runs.lease_until < excluded.started_at",
    )
    .bind(job)
    .bind(period)
    .bind(instance)
    .bind(&now)
    .bind(utc_in(lease_seconds))
    .execute(pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Records that `instance` finished its run of `job` for `period`, with a short outcome.
pub async fn finish(pool: &AnyPool, job: &str, period: &str, instance: &str, outcome: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE job_runs SET finished_at = $1, outcome = $2 WHERE job = $3 AND period = $4 AND instance = $5")
        .bind(now_utc())
        .bind(outcome)
        .bind(job)
        .bind(period)
        .bind(instance)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Whether some instance finished `job` for `period`.
pub async fn finished(pool: &AnyPool, job: &str, period: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT finished_at FROM job_runs WHERE job = $1 AND period = $2")
        .bind(job)
        .bind(period)
        .fetch_optional(pool)
        .await?;
    Ok(matches!(row, Some((Some(_),))))
}

/// How long the record of runs is kept: enough to see what ran last month.
pub const KEEP_DAYS: i64 = 35;

/// Removes runs older than [`KEEP_DAYS`]; returns how many.
pub async fn purge(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM job_runs WHERE started_at < $1")
        .bind(utc_in(-KEEP_DAYS * 86_400))
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
}
