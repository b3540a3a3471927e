//! Synthetic applications for measuring the back office at scale (`layan generate-applications N`,
//! demo mode only): valid NIKs and numbers, spread over Kota Depok's villages, the programs,
//! every status and a year of submission dates. Written in batches of one multi-row insert.

use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::Status;
use crate::server::db::{Db, values_placeholders};

const COLUMNS: usize = 26;
/// SQLite allows 32,766 values per statement.
const BATCH: usize = 1000;

/// Inserts `count` applications; returns how many were written.
pub async fn applications(db: &Db, count: usize) -> Result<usize, sqlx::Error> {
    let pool = db.pool();
    let villages: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM villages WHERE code LIKE '3276%' ORDER BY code").fetch_all(pool).await?;
    let programs: Vec<(i64,)> = sqlx::query_as("SELECT id FROM programs WHERE active = TRUE ORDER BY id").fetch_all(pool).await?;
    let (start,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications").fetch_one(pool).await?;
    if villages.is_empty() || programs.is_empty() {
        return Ok(0);
    }
    let statuses = Status::ALL;
    let mut written = 0;
    while written < count {
        let rows = BATCH.min(count - written);
        let sql = format!(
            "INSERT INTO applications (registration_number, pin_hash, idempotency_key, status, open, channel, program_id, \
             ppks_code, nik, kk, name, birth_date, sex, phone, village_code, district_code, regency_code, submitted_at, \
             decision_due, updated_at, street, rt, rw, description, applicant, household) VALUES {}",
            values_placeholders(rows, COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for i in 0..rows {
            let n = start as usize + written + i;
            let status = statuses[n % statuses.len()];
            let village = &villages[n % villages.len()].0;
            let day = (n * 7919) % 365;
            let submitted = crate::domain::Date::new(2026, 1, 1).expect("a real date").add_days(day as i64);
            let bytes = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes();
            query = query
                .bind(RegistrationNumber::from_random([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]]).as_str().to_string())
                .bind("-")
                .bind(format!("generated-{n}"))
                .bind(status.slug())
                .bind(status.is_open())
                .bind(if n % 3 == 0 { "service_point" } else { "online" })
                .bind(programs[n % programs.len()].0)
                .bind(24_i64)
                // Unique per row up to 28 million (serial × day × year), so the
                // one-open-application-per-person index holds.
                .bind(format!("{}{:02}01{:02}{:04}", &village[..6], 1 + (n / 9999) % 28, (n / (9999 * 28)) % 100, 1 + n % 9999))
                .bind(format!("{}{:02}01{:02}{:04}", &village[..6], 1 + (n / 9999) % 28, (n / (9999 * 28)) % 100, 1 + n % 9999))
                .bind(format!("Warga Contoh {n}"))
                .bind("1990-01-01")
                .bind("L")
                .bind("+6281234567890")
                .bind(village.clone())
                .bind(village[..6].to_string())
                .bind(village[..4].to_string())
                .bind(format!("{submitted}T08:00:00Z"))
                .bind(submitted.add_days(30).to_string())
                .bind(format!("{submitted}T08:00:00Z"))
                .bind("Jl. Contoh")
                .bind("001")
                .bind("001")
                .bind("Data uji")
                .bind("\"Myself\"")
                .bind("[]");
        }
        query.execute(pool).await?;
        written += rows;
    }
    Ok(written)
}
