//! The back office's queues: what is waiting in a staff member's areas, a page at a time,
//! and who is working which item (claims).
//!
//! Pages are read by key (`submitted_at, id` after the last row seen), not by offset, so the
//! thousandth page costs what the first does; indexes on (area, status, submitted_at, id)
//! serve it.

use super::now_utc;
use crate::domain::workflow::{Queue, Status};
use crate::domain::{Date, Nik};
use sqlx::AnyPool;

/// A claim not touched for this long is free again (someone went home without releasing).
pub const CLAIM_SECONDS: i64 = 2 * 60 * 60;

/// Where a page of a queue starts: after this item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub submitted_at: String,
    pub id: i64,
}

impl Cursor {
    /// `2026-11-23T08:00:00Z.42`, as it travels in the page's "next" link (no personal data).
    pub fn encode(&self) -> String {
        format!("{}.{}", self.submitted_at, self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (at, id) = text.rsplit_once('.')?;
        let well_formed = at.len() == 20 && at.ends_with('Z') && at.bytes().all(|b| b.is_ascii_digit() || b"-:TZ".contains(&b));
        well_formed.then_some(())?;
        Some(Self { submitted_at: at.to_string(), id: id.parse().ok()? })
    }
}

/// One line of a queue. The NIK is masked: the full number is for the review page only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    pub id: i64,
    pub registration_number: String,
    pub masked_nik: String,
    pub name: String,
    pub program: String,
    pub village: String,
    pub status: Status,
    pub submitted_at: String,
    pub decision_due: String,
    pub claimed_by: Option<String>,
}

/// `(regency_code IN (…) OR district_code IN (…)) AND status IN (…)`, numbering placeholders
/// from `first`; returns the clause and the values to bind in order.
fn scope(areas: &[String], queue: Queue, first: usize) -> (String, Vec<String>) {
    let mut binds = Vec::new();
    let mut n = first;
    let mut list = |values: Vec<String>, binds: &mut Vec<String>| {
        let marks = values
            .iter()
            .map(|_| {
                let m = format!("${n}");
                n += 1;
                m
            })
            .collect::<Vec<_>>()
            .join(", ");
        binds.extend(values);
        marks
    };
    let regencies = list(areas.to_vec(), &mut binds);
    let districts = list(areas.to_vec(), &mut binds);
    let statuses = list(queue.statuses().iter().map(|s| s.slug().to_string()).collect(), &mut binds);
    (format!("(a.regency_code IN ({regencies}) OR a.district_code IN ({districts})) AND a.status IN ({statuses})"), binds)
}

/// A page of `queue` in `areas`, oldest first, after `cursor`.
pub async fn page(
    pool: &AnyPool,
    areas: &[String],
    queue: Queue,
    today: Date,
    cursor: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    if areas.is_empty() {
        return Ok(Vec::new());
    }
    let (clause, binds) = scope(areas, queue, 1);
    let mut n = binds.len() + 1;
    let mut sql = format!(
        "SELECT a.id, a.registration_number, a.nik, a.name, p.name_id, v.name, a.status, a.submitted_at, a.decision_due, s.full_name \
         FROM applications a JOIN programs p ON p.id = a.program_id JOIN villages v ON v.code = a.village_code \
         LEFT JOIN staff s ON s.id = a.claimed_by WHERE {clause}"
    );
    if queue.overdue_only() {
        sql.push_str(&format!(" AND a.decision_due < ${n}"));
        n += 1;
    }
    if cursor.is_some() {
        sql.push_str(&format!(" AND (a.submitted_at > ${n} OR (a.submitted_at = ${n} AND a.id > ${}))", n + 1));
        n += 2;
    }
    sql.push_str(&format!(" ORDER BY a.submitted_at, a.id LIMIT ${n}"));
    let mut query = sqlx::query_as::<_, (i64, String, String, String, String, String, String, String, String, Option<String>)>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    if queue.overdue_only() {
        query = query.bind(today.to_string());
    }
    if let Some(c) = cursor {
        query = query.bind(&c.submitted_at).bind(c.id);
    }
    let rows = query.bind(limit).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, number, nik, name, program, village, status, submitted_at, decision_due, claimed_by)| {
            Some(QueueRow {
                id,
                registration_number: number,
                masked_nik: Nik::parse(&nik).map(|n| n.masked()).unwrap_or_else(|_| "•".repeat(16)),
                name,
                program,
                village,
                status: Status::from_slug(&status)?,
                submitted_at,
                decision_due,
                claimed_by,
            })
        })
        .collect())
}

/// How many items each queue holds in `areas`.
pub async fn counts(pool: &AnyPool, areas: &[String], today: Date) -> Result<Vec<(Queue, i64)>, sqlx::Error> {
    let mut out = Vec::new();
    for queue in Queue::ALL {
        if areas.is_empty() {
            out.push((*queue, 0));
            continue;
        }
        let (clause, binds) = scope(areas, *queue, 1);
        let mut sql = format!("SELECT COUNT(*) FROM applications a WHERE {clause}");
        if queue.overdue_only() {
            sql.push_str(&format!(" AND a.decision_due < ${}", binds.len() + 1));
        }
        let mut query = sqlx::query_as::<_, (i64,)>(&sql);
        for value in &binds {
            query = query.bind(value);
        }
        if queue.overdue_only() {
            query = query.bind(today.to_string());
        }
        let (n,) = query.fetch_one(pool).await?;
        out.push((*queue, n));
    }
    Ok(out)
}

/// Claims an item for `staff_id`: one statement, so of many simultaneous claims exactly one
/// wins. An item already claimed by someone else (and not stale) is not taken over.
pub async fn claim(pool: &AnyPool, application_id: i64, staff_id: i64) -> Result<bool, sqlx::Error> {
    let now = now_utc();
    let stale = super::utc_in(-CLAIM_SECONDS);
    let done = sqlx::query(
        "UPDATE applications SET claimed_by = $1, claimed_at = $2 \
         WHERE id = $3 AND (claimed_by IS NULL OR claimed_by = $1 OR claimed_at < $4)",
    )
    .bind(staff_id)
    .bind(&now)
    .bind(application_id)
    .bind(&stale)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Releases an item the caller holds; someone else's claim is left alone.
pub async fn release(pool: &AnyPool, application_id: i64, staff_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE applications SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND claimed_by = $2")
        .bind(application_id)
        .bind(staff_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let c = Cursor { submitted_at: "2026-11-23T08:00:00Z".into(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in ["", "x.1", "2026-11-23T08:00:00Z.", "2026-11-23T08:00:00Z.abc", "2026-11-23T08:00:00Z'--.1"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_scope_numbers_its_placeholders_in_order() {
        let (clause, binds) = scope(&["3276".into()], Queue::ToVerify, 1);
        assert_eq!(clause, "(a.regency_code IN ($1) OR a.district_code IN ($2)) AND a.status IN ($3, $4)");
        assert_eq!(binds, ["3276", "3276", "diajukan", "diajukan-ulang"]);
    }
}
