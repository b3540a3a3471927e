//! Letters in the database: made with a decision (inside its transaction, numbered from the
//! year's counter), and found for the review page, tracking and the verification page.

use crate::domain::date::office_day;
use crate::domain::letter::LetterKind;
use crate::domain::workflow::{Role, Status};
use sqlx::{Any, AnyPool, FromRow, Transaction};

/// Makes the letters of a decision (`LetterKind::of_decision`), numbered in the office's
/// year. The year's counter row is locked until the decision commits, after the
/// application's row: every decision takes them in that order, and numbers have no gaps.
pub async fn issue(
    tx: &mut Transaction<'_, Any>,
    application_id: i64,
    history_id: i64,
    to: Status,
    role: Role,
    now: &str,
    utc_offset_hours: i64,
) -> Result<(), sqlx::Error> {
    let kinds = LetterKind::of_decision(to);
    let Some(today) = office_day(now, utc_offset_hours).filter(|_| !kinds.is_empty()) else { return Ok(()) };
    let year = today.year() as i64;
    for kind in kinds {
        let (sequence,): (i64,) = sqlx::query_as(
            "INSERT INTO letter_counters (year, n) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET n = letter_counters.n + 1 RETURNING n",
        )
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO letters (application_id, history_id, kind, year, sequence, issued_at, signer_role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(application_id)
        .bind(history_id)
        .bind(kind.slug())
        .bind(year)
        .bind(sequence)
        .bind(now)
        .bind(role.slug())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A letter with what it is about.
#[derive(Clone, Debug, FromRow)]
pub struct LetterRow {
    pub id: i64,
    pub application_id: i64,
    pub history_id: i64,
    pub kind: String,
    pub year: i64,
    pub sequence: i64,
    pub issued_at: String,
    pub signer_role: String,
    pub registration_number: String,
    pub name: String,
    pub status: String,
    pub erased_at: Option<String>,
}

const COLUMNS: &str = "l.id, l.application_id, l.history_id, l.kind, l.year, l.sequence, l.issued_at, l.signer_role, \
     a.registration_number, a.name, a.status, a.erased_at FROM letters l JOIN applications a ON a.id = l.application_id";

/// The application's letters, the latest of each kind (a decision made again makes new ones).
pub async fn of_application(pool: &AnyPool, application_id: i64) -> Result<Vec<LetterRow>, sqlx::Error> {
    let rows: Vec<LetterRow> = sqlx::query_as(&format!("SELECT {COLUMNS} WHERE l.application_id = $1 ORDER BY l.id DESC"))
        .bind(application_id)
        .fetch_all(pool)
        .await?;
    let mut latest: Vec<LetterRow> = Vec::new();
    for row in rows {
        if !latest.iter().any(|l| l.kind == row.kind) {
            latest.push(row);
        }
    }
    latest.reverse();
    Ok(latest)
}

/// The letter numbered `sequence` in `year`.
pub async fn by_number(pool: &AnyPool, year: i64, sequence: i64) -> Result<Option<LetterRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} WHERE l.year = $1 AND l.sequence = $2"))
        .bind(year)
        .bind(sequence)
        .fetch_optional(pool)
        .await
}
