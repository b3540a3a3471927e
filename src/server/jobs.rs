//! Background work that must happen once however many instances share the database: the
//! tidy-up, the daily sweep of stored files without a row, the daily erasure at the end of
//! retention, the staff digests. Each run is
//! taken by inserting its row in `job_runs` (`db::jobs::claim`); the instance that inserts
//! it does the work and the others skip that period. What each instance keeps on its own
//! disk (partial uploads, mail files) it tidies itself.

use super::db::{self, Db};
use super::state::AppState;
use std::future::Future;
use std::sync::OnceLock;

/// This process, in the job records, `/healthz` and the log line that says it listens: four
/// random bytes, new at each start (a process id would repeat across hosts, and says more
/// than a public health check should).
pub fn instance() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| format!("{:08x}", rand::random::<u32>()))
}

/// How a turn at a job went for this instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Turn {
    /// This instance ran it; what it did.
    Ran(String),
    /// Some instance already finished it for this period.
    Done,
    /// Another instance holds it now (or a failed run's lease has not run out).
    Busy,
    /// This instance took it and the work failed; whoever asks after the lease takes it again.
    Failed,
}

/// Runs `work` for `job` and `period` unless an instance has (or holds it, with `lease`
/// seconds to finish). The outcome it returns is recorded with the run.
pub async fn once<F, Fut>(db: &Db, job: &str, period: &str, lease_seconds: i64, work: F) -> Result<Turn, sqlx::Error>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    if !db::jobs::claim(db.pool(), job, period, instance(), lease_seconds).await? {
        return Ok(if db::jobs::finished(db.pool(), job, period).await? { Turn::Done } else { Turn::Busy });
    }
    match work().await {
        Ok(outcome) => {
            db::jobs::finish(db.pool(), job, period, instance(), &outcome).await?;
            tracing::info!(job, period, "{outcome}");
            Ok(Turn::Ran(outcome))
        }
        Err(e) => {
            tracing::warn!(job, period, "failed, to be taken again in {lease_seconds} s: {e}");
            Ok(Turn::Failed)
        }
    }
}

/// Seconds since the epoch.
fn now_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The tidy-up's period for `now`: which `every`-second slot it falls in.
pub fn tidy_period(now: u64, every: u64) -> String {
    format!("{}s:{}", every, now / every.max(1))
}

/// The shared tidy-up for this period, once across instances; this instance's own files
/// every time. Also run at start-up, so a restart after a long stop catches up.
pub async fn tidy(state: &AppState) {
    super::tidy_local(&state.storage, state.config.mail_files_dir(), state.config.sms_files_dir()).await;
    let period = tidy_period(now_seconds(), state.config.tidy_seconds);
    let lease = state.config.tidy_seconds.clamp(60, 3600) as i64;
    let (db, storage) = (&state.db, &state.storage);
    if let Err(e) = once(db, "tidy", &period, lease, || async { Ok(super::tidy_shared(db, storage).await) }).await {
        tracing::warn!("could not take the tidy-up's turn: {e}");
    }
}

/// A file stored but whose row never came (a crash between the two, the order being file
/// first) is no upload in flight a day later. Listing every stored file is the costly part,
/// so once an office day, on the first round of the schedule (never at start-up).
async fn sweep_files(state: &AppState) {
    let day = db::office_today(state.config.utc_offset_hours).to_string();
    let (db, storage) = (&state.db, &state.storage);
    let run = once(db, "sweep-files", &day, 3600, || async {
        match super::sweep_unreferenced(db, storage, 24 * 60 * 60).await {
            Ok(n) => Ok(format!("removed {n} stored files that no row names")),
            Err(e) => Err(format!("sweeping stored files without a row: {e}")),
        }
    });
    if let Err(e) = run.await {
        tracing::warn!("could not take the file sweep's turn: {e}");
    }
}

/// Personal data at the end of its retention, once an office day (after the file sweep's
/// first round, never at start-up). A run killed half-way leaves its lease; whoever asks after
/// it runs out goes on where it stopped.
async fn erase_expired(state: &AppState) {
    let day = db::office_today(state.config.utc_offset_hours).to_string();
    let (db, storage, years) = (&state.db, &state.storage, state.config.retention_years);
    let run = once(db, "erase-expired", &day, 3600, || async {
        match super::retention::erase_expired(db, storage, years, state.config.utc_offset_hours, super::retention::BATCH).await {
            Ok(erased) => Ok(super::retention::summary(&erased, years)),
            Err(e) => Err(format!("erasing personal data at the end of retention: {e}")),
        }
    });
    if let Err(e) = run.await {
        tracing::warn!("could not take the erasure's turn: {e}");
    }
}

/// The schedule: at every `LAYAN_TIDY_SECONDS` boundary the tidy-up, and once a day the
/// file sweep and the erasure at the end of retention. Ends when the instance starts draining (after the round it is in).
pub fn spawn_schedule(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = state.config.tidy_seconds.max(1);
        loop {
            // Wake at the boundary, so every instance asks for the same period together.
            let wait = every - now_seconds() % every;
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(wait)) => {}
                _ = state.lifecycle.stopping() => break,
            }
            tidy(&state).await;
            sweep_files(&state).await;
            erase_expired(&state).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_share_a_period_within_a_slot_and_not_across() {
        assert_eq!(tidy_period(7200, 3600), tidy_period(10_799, 3600));
        assert_ne!(tidy_period(10_799, 3600), tidy_period(10_800, 3600));
        assert_ne!(tidy_period(7200, 3600), tidy_period(7200, 60), "a changed interval is a new series");
    }
}
