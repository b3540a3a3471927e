//! Synthetic applications for measuring the back office at scale (`layan generate-applications N`,
//! demo mode only): NIKs of the right shape, spread over Kota Depok's villages, the programs,
//! every status and a year of submission dates.
//!
//! Written set-based: one `INSERT … SELECT` per batch over a numbers series, so the database
//! makes the rows itself (a million in seconds, not the half hour row-by-row binding took).

use crate::domain::workflow::Status;
use crate::server::db::{Backend, Db};

/// Rows per statement (and transaction): bounded so SQLite's write-ahead log stays small.
const BATCH: i64 = 100_000;

/// Inserts `count` applications; returns how many were written.
pub async fn applications(db: &Db, count: usize) -> Result<usize, sqlx::Error> {
    let pool = db.pool();
    let (villages,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM villages WHERE code LIKE '3276%'").fetch_one(pool).await?;
    let (programs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM programs WHERE active = TRUE").fetch_one(pool).await?;
    let (start,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications").fetch_one(pool).await?;
    if villages == 0 || programs == 0 {
        return Ok(0);
    }
    let sql = insert_sql(db.backend());
    let end = start + count as i64;
    let mut from = start;
    while from < end {
        let to = (from + BATCH).min(end);
        sqlx::query(&sql).bind(from).bind(to - 1).bind(villages).bind(programs).execute(pool).await?;
        from = to;
    }
    Ok(count)
}

/// The statement for rows `$1..=$2`, with `$3` villages and `$4` programs to cycle through.
fn insert_sql(backend: Backend) -> String {
    type Pad = fn(&str, usize) -> String;
    type PlusDays = fn(&str, &str) -> String;
    let (pad, plus_days, series): (Pad, PlusDays, &str) = match backend {
        Backend::Sqlite => (
            |e: &str, w: usize| format!("printf('%0{w}d', {e})"),
            |d: &str, e: &str| format!("date('{d}', '+' || ({e}) || ' days')"),
            "WITH RECURSIVE seq(n) AS (SELECT CAST($1 AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < $2)",
        ),
        Backend::Postgres => (
            |e: &str, w: usize| format!("lpad(({e})::text, {w}, '0')"),
            |d: &str, e: &str| format!("to_char(date '{d}' + (({e})::int), 'YYYY-MM-DD')"),
            "WITH seq(n) AS (SELECT generate_series($1::bigint, $2::bigint))",
        ),
    };
    let statuses = Status::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| format!("({i}, '{}', {})", s.slug(), if s.is_open() { "TRUE" } else { "FALSE" }))
        .collect::<Vec<_>>()
        .join(", ");
    // Unique per row up to 19 million (day × year × serial), so the one-open-application-per-
    // person index holds; the birth date is the one the NIK spells, born 1930–1999.
    let day = "(1 + (seq.n / 9999) % 28)";
    let year = "(30 + (seq.n / (9999 * 28)) % 70)";
    let serial = "(1 + seq.n % 9999)";
    let nik = format!("substr(v.code, 1, 6) || {} || '01' || {} || {}", pad(day, 2), pad(year, 2), pad(serial, 4));
    let birth = format!("'19' || {} || '-01-' || {}", pad(year, 2), pad(day, 2));
    let submitted = plus_days("2026-01-01", "(seq.n * 7919) % 365");
    let due = plus_days("2026-01-01", "(seq.n * 7919) % 365 + 30");
    // Decided rows were last changed some days after submission: the reports' decision day.
    let updated = plus_days("2026-01-01", "(seq.n * 7919) % 365 + seq.n % 29");
    format!(
        "{series}, \
         v AS (SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS i FROM villages WHERE code LIKE '3276%'), \
         p AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS i FROM programs WHERE active = TRUE), \
         st(i, status, open) AS (VALUES {statuses}) \
         INSERT INTO applications (registration_number, pin_hash, idempotency_key, status, open, channel, program_id, \
         ppks_code, nik, kk, name, birth_date, sex, phone, village_code, district_code, regency_code, submitted_at, \
         decision_due, updated_at, closed_at, street, rt, rw, description, applicant, household) \
         SELECT 'G' || {number}, '-', 'generated-' || seq.n, st.status, st.open, \
         CASE WHEN seq.n % 3 = 0 THEN 'service_point' ELSE 'online' END, p.id, 24, {nik}, {nik}, 'Warga Contoh ' || seq.n, \
         {birth}, 'L', '+6281234567890', v.code, substr(v.code, 1, 6), substr(v.code, 1, 4), {submitted} || 'T08:00:00Z', \
         {due}, {updated} || 'T08:00:00Z', CASE WHEN st.open THEN NULL ELSE {updated} || 'T08:00:00Z' END, 'Jl. Contoh', '001', '001', 'Data uji', '\"Myself\"', '[]' \
         FROM seq JOIN v ON v.i = seq.n % $3 JOIN p ON p.i = seq.n % $4 JOIN st ON st.i = seq.n % {n_statuses}",
        number = pad("seq.n", 8),
        n_statuses = Status::ALL.len(),
    )
}
