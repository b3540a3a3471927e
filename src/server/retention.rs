//! The daily erasure at the end of retention (`LAYAN_RETENTION_YEARS`, README "What is kept"):
//! closed applications and complaints lose their personal data in batches, each batch one
//! transaction, so a run cut off anywhere leaves whole rows erased or untouched and the next
//! run goes on from there. The documents' files go after their rows (a file left by a crash
//! in between is removed by the daily sweep of files no row names).

use super::db::{self, Db, retention::Erased};
use super::storage::Storage;

/// Rows of each kind erased per transaction: short enough not to hold the tables up.
pub const BATCH: i64 = 100;

/// Erases everything closed before the cut-off for `years` (`domain::retention::cutoff` of
/// today), batch after batch until none is due; what it did, in counts.
pub async fn erase_expired(db: &Db, storage: &Storage, years: u32, utc_offset_hours: i64, batch: i64) -> Result<Erased, sqlx::Error> {
    let cutoff = crate::domain::retention::cutoff(db::office_today(utc_offset_hours), years).to_string();
    let mut total = Erased::default();
    loop {
        let erased = db::retrying(|| db::retention::erase_batch(db.pool(), &cutoff, batch, utc_offset_hours)).await?;
        for id in &erased.files {
            storage.remove(id).await;
        }
        let done = erased.applications == 0 && erased.complaints == 0;
        total.applications += erased.applications;
        total.complaints += erased.complaints;
        total.files.extend(erased.files);
        if done {
            return Ok(total);
        }
    }
}

/// What a run did, for the job's record and the log.
pub fn summary(erased: &Erased, years: u32) -> String {
    format!(
        "erased the personal data of {} applications and {} complaints closed more than {years} years ago ({} stored files removed)",
        erased.applications,
        erased.complaints,
        erased.files.len()
    )
}
