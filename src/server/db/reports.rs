//! The report tallies (`migrations/0013_reports.sql`): every change they count appends its
//! deltas in its own transaction (`migrations/0015_report_deltas.sql`), `fold` moves them
//! into the tallies, and a report adds the tallies up. `rebuild` recomputes them from the
//! applications and complaints (after a bulk load, or to check them).

use super::{parse_column, values_placeholders};
use crate::domain::date::office_day;
use crate::domain::complaint::{ComplaintKind, ComplaintStatus};
use crate::domain::report::{CaseFacts, Delta, Measure, OUTCOMES, Period, TallyRow, TrendRow, working_days_between};
use crate::domain::workflow::{Channel, Status};
use crate::domain::{Date, Sex};
use sqlx::{Any, AnyConnection, AnyPool, FromRow, Transaction};
use std::collections::{BTreeMap, HashMap};

/// Where an application's or complaint's counts go: its village (a complaint's district, or
/// nothing for one about the office in general) and service point (0: online).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    pub village_code: String,
    pub service_point_id: i64,
}

/// One tally cell: measure, day, village, service point, key.
type Cell = (Measure, Date, String, i64, String);

/// Adds `deltas` at `place`: appended to `report_deltas` inside the caller's transaction.
/// No other transaction writes these rows, so simultaneous submissions never wait on each
/// other here; [`fold`] moves them into the tallies.
pub async fn record(tx: &mut Transaction<'_, Any>, place: &Place, deltas: &[Delta]) -> Result<(), sqlx::Error> {
    let rows: Vec<&Delta> = deltas.iter().filter(|d| d.n != 0).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO report_deltas (measure, day, village_code, service_point_id, key, n) VALUES {}",
            values_placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q.bind(d.measure.slug()).bind(d.day.to_string()).bind(&place.village_code).bind(place.service_point_id).bind(&d.key).bind(d.n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Rows per statement: 6 values each, well under both backends' limits on bound values.
const ROWS_PER_STATEMENT: usize = 500;

/// Deltas moved into the tallies per transaction.
const FOLD_BATCH: i64 = 5_000;

/// The PostgreSQL advisory lock that lets one fold (or rebuild) write the tallies at a time,
/// whichever instance runs it. (SQLite has one writer anyway.)
const TALLY_LOCK: i64 = 0x4c61_7961_6e52_7074; // "LayanRpt"

/// Takes the tally lock for the rest of the transaction (PostgreSQL; SQLite's write lock is
/// taken by the transaction's first write).
async fn lock_tallies(tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_advisory_xact_lock($1)) AS locked").bind(TALLY_LOCK).fetch_one(&mut **tx).await?;
    }
    Ok(())
}

/// Moves every pending delta into the daily and monthly tallies, a batch per transaction,
/// and returns how many it moved. Run in the background every few seconds and before a
/// report reads the tallies. Deltas leave `report_deltas` in the transaction that adds them
/// to the tallies, so each is counted exactly once whenever the fold is interrupted.
pub async fn fold(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let mut moved = 0u64;
    loop {
        // Nothing pending (the usual case before a report): no transaction, no lock.
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM report_deltas LIMIT 1) t").fetch_one(pool).await?;
        if pending == 0 {
            return Ok(moved);
        }
        let mut tx = pool.begin().await?;
        lock_tallies(&mut tx).await?;
        let rows: Vec<(String, String, String, i64, String, i64)> = sqlx::query_as(
            "DELETE FROM report_deltas WHERE id IN (SELECT id FROM report_deltas ORDER BY id LIMIT $1) \
             RETURNING measure, day, village_code, service_point_id, key, n",
        )
        .bind(FOLD_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let mut cells: BTreeMap<Cell, i64> = BTreeMap::new();
        for (measure, day, village, point, key, n) in &rows {
            let measure = parse_column("measure", Measure::from_slug(measure).ok_or("unknown measure"))?;
            let day = parse_column("day", Date::parse_iso(day))?;
            *cells.entry((measure, day, village.clone(), *point, key.clone())).or_default() += n;
        }
        write(&mut tx, cells).await?;
        tx.commit().await?;
        moved += rows.len() as u64;
        if (rows.len() as i64) < FOLD_BATCH {
            return Ok(moved);
        }
    }
}

/// How often the background fold runs: reports fold what is pending themselves, so this
/// only keeps the backlog short.
const FOLD_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Folds pending deltas every few seconds for as long as the server runs.
pub fn spawn_folder(db: super::Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(FOLD_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            // A failed round leaves the deltas where they are for the next one.
            if let Err(e) = fold(db.pool()).await {
                tracing::warn!("could not fold report deltas yet: {e}");
            }
        }
    })
}

/// Adds `cells` to the daily and monthly tallies. Rows are written in key order, so two
/// writers can never hold each other's rows (the deadlock of adding in arbitrary order).
async fn write(conn: &mut AnyConnection, cells: BTreeMap<Cell, i64>) -> Result<(), sqlx::Error> {
    // Months are summed separately: one statement must not upsert the same row twice.
    let mut months: BTreeMap<(String, String, i64, Measure, String), i64> = BTreeMap::new();
    let mut days = Vec::with_capacity(cells.len());
    for ((measure, day, village, point, key), n) in cells {
        if n == 0 {
            continue;
        }
        let month = format!("{:04}-{:02}", day.year(), day.month());
        *months.entry((month, village.clone(), point, measure, key.clone())).or_default() += n;
        days.push((measure.slug(), day.to_string(), village, point, key, n));
    }
    for chunk in days.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO report_daily (measure, day, village_code, service_point_id, key, n) VALUES {} \
             ON CONFLICT (measure, day, village_code, service_point_id, key) DO UPDATE SET n = report_daily.n + excluded.n",
            values_placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for (measure, day, village, point, key, n) in chunk {
            q = q.bind(*measure).bind(day).bind(village).bind(*point).bind(key).bind(*n);
        }
        q.execute(&mut *conn).await?;
    }
    let months: Vec<_> = months.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in months.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO report_monthly (month, village_code, service_point_id, measure, key, n) VALUES {} \
             ON CONFLICT (month, village_code, service_point_id, measure, key) DO UPDATE SET n = report_monthly.n + excluded.n",
            values_placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for ((month, village, point, measure, key), n) in chunk {
            q = q.bind(month).bind(village).bind(*point).bind(measure.slug()).bind(key).bind(*n);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(FromRow)]
struct FactsRow {
    submitted_at: String,
    program_id: i64,
    ppks_code: i64,
    channel: String,
    sex: String,
    birth_date: String,
    decision_due: String,
    village_code: String,
    service_point_id: Option<i64>,
}

const FACTS_COLUMNS: &str =
    "submitted_at, program_id, ppks_code, channel, sex, birth_date, decision_due, village_code, service_point_id";

fn facts_of(row: &FactsRow, utc_offset_hours: i64) -> Result<(CaseFacts, Place), sqlx::Error> {
    let received_on = parse_column("submitted_at", office_day(&row.submitted_at, utc_offset_hours).ok_or("not a timestamp"))?;
    let born = parse_column("birth_date", Date::parse_iso(&row.birth_date))?;
    let facts = CaseFacts {
        received_on,
        program_id: row.program_id,
        category: row.ppks_code,
        channel: parse_column("channel", Channel::from_stored(&row.channel).ok_or("unknown channel"))?,
        sex: parse_column("sex", Sex::from_letter(&row.sex).ok_or("unknown sex"))?,
        age: CaseFacts::age_on(born, received_on),
        due: parse_column("decision_due", Date::parse_iso(&row.decision_due))?,
    };
    Ok((facts, Place { village_code: row.village_code.clone(), service_point_id: row.service_point_id.unwrap_or(0) }))
}

/// Counts a newly received application (read back inside the submission's transaction).
pub async fn record_received(tx: &mut Transaction<'_, Any>, application_id: i64, utc_offset_hours: i64) -> Result<(), sqlx::Error> {
    let row: FactsRow = sqlx::query_as(&format!("SELECT {FACTS_COLUMNS} FROM applications WHERE id = $1"))
        .bind(application_id)
        .fetch_one(&mut **tx)
        .await?;
    let (facts, place) = facts_of(&row, utc_offset_hours)?;
    record(tx, &place, &facts.received()).await
}

/// Counts a move from `from` to `to` made today (inside the move's transaction): a decision
/// with the working days it took since the application was received.
pub async fn record_move(
    tx: &mut Transaction<'_, Any>,
    application_id: i64,
    from: Status,
    to: Status,
    utc_offset_hours: i64,
) -> Result<(), sqlx::Error> {
    let row: FactsRow = sqlx::query_as(&format!("SELECT {FACTS_COLUMNS} FROM applications WHERE id = $1"))
        .bind(application_id)
        .fetch_one(&mut **tx)
        .await?;
    let (facts, place) = facts_of(&row, utc_offset_hours)?;
    let today = super::office_today(utc_offset_hours);
    let took = if OUTCOMES.contains(&to) {
        let holidays = holidays_between(&mut **tx, facts.received_on, today).await?;
        working_days_between(facts.received_on, today, &holidays)
    } else {
        0
    };
    record(tx, &place, &facts.moved(from, to, today, took)).await
}

async fn holidays_between(conn: &mut AnyConnection, from: Date, to: Date) -> Result<Vec<Date>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT day FROM public_holidays WHERE day > $1 AND day <= $2")
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().filter_map(|(d,)| Date::parse_iso(d).ok()).collect())
}

/// Where a complaint is counted: the district of its application or service point.
async fn complaint_place(conn: &mut AnyConnection, complaint_id: i64) -> Result<(Place, String), sqlx::Error> {
    let (village, point, kind): (String, i64, String) = sqlx::query_as(
        "SELECT COALESCE(district_code, regency_code, ''), COALESCE(service_point_id, 0), kind FROM complaints WHERE id = $1",
    )
    .bind(complaint_id)
    .fetch_one(conn)
    .await?;
    Ok((Place { village_code: village, service_point_id: point }, kind))
}

/// Counts a complaint received or closed today (inside the transaction that wrote it).
pub async fn record_complaint(tx: &mut Transaction<'_, Any>, complaint_id: i64, measure: Measure, utc_offset_hours: i64) -> Result<(), sqlx::Error> {
    let (place, kind) = complaint_place(&mut **tx, complaint_id).await?;
    let today = super::office_today(utc_offset_hours);
    record(tx, &place, &[Delta { day: today, measure, key: kind, n: 1 }]).await
}

/// Applications read per round while rebuilding.
const REBUILD_BATCH: i64 = 20_000;

#[derive(FromRow)]
struct RebuildRow {
    id: i64,
    #[sqlx(flatten)]
    facts: FactsRow,
    status: String,
    updated_at: String,
    decided_at: Option<String>,
    served_at: Option<String>,
}

/// Recomputes every tally from the applications and complaints, replacing what was there;
/// returns how many applications were counted. A decision without a history line (bulk-loaded
/// data) counts on the day the application last changed. Meant for a quiet database (at start,
/// after a bulk load): a change written while it reads is not in what it writes.
pub async fn rebuild(pool: &AnyPool, utc_offset_hours: i64) -> Result<u64, sqlx::Error> {
    let holidays: Vec<Date> = sqlx::query_as::<_, (String,)>("SELECT day FROM public_holidays")
        .fetch_all(pool)
        .await?
        .iter()
        .filter_map(|(d,)| Date::parse_iso(d).ok())
        .collect();
    let outcomes = OUTCOMES.iter().map(|s| format!("'{}'", s.slug())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT a.id, {columns}, a.status, a.updated_at, \
         (SELECT MAX(h.at) FROM application_history h WHERE h.application_id = a.id AND h.to_status IN ({outcomes})) AS decided_at, \
         (SELECT MAX(h.at) FROM application_history h WHERE h.application_id = a.id AND h.to_status = '{served}') AS served_at \
         FROM applications a WHERE a.id > $1 ORDER BY a.id LIMIT {REBUILD_BATCH}",
        columns = FACTS_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", "),
        served = Status::Served.slug(),
    );
    let mut cells: BTreeMap<Cell, i64> = BTreeMap::new();
    let mut add = |place: &Place, deltas: Vec<Delta>| {
        for d in deltas {
            *cells.entry((d.measure, d.day, place.village_code.clone(), place.service_point_id, d.key)).or_default() += d.n;
        }
    };
    let mut counted = 0u64;
    let mut after = 0i64;
    loop {
        let rows: Vec<RebuildRow> = sqlx::query_as(&sql).bind(after).fetch_all(pool).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            let (facts, place) = facts_of(&row.facts, utc_offset_hours)?;
            let status = parse_column("status", Status::from_slug(&row.status).ok_or("unknown status"))?;
            let day_of = |at: &Option<String>| {
                at.as_deref().and_then(|t| office_day(t, utc_offset_hours)).or_else(|| office_day(&row.updated_at, utc_offset_hours))
            };
            add(&place, facts.received());
            if status != Status::Submitted {
                // Straight from submitted to where it is now: the tallies only keep the
                // current status, the decision and the delivery, each on its own day.
                let outcome = if status == Status::Served { Status::Approved } else { status };
                let decided_on = day_of(&row.decided_at).unwrap_or(facts.received_on);
                let took = working_days_between(facts.received_on, decided_on, &holidays);
                let mut deltas = facts.moved(Status::Submitted, outcome, decided_on, took);
                if status == Status::Served {
                    let served_on = day_of(&row.served_at).unwrap_or(decided_on);
                    deltas.extend(facts.moved(Status::Approved, Status::Served, served_on, 0));
                }
                add(&place, deltas);
            }
            counted += 1;
        }
    }
    let complaints: Vec<(String, String, i64, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT c.received_at, COALESCE(c.district_code, c.regency_code, ''), COALESCE(c.service_point_id, 0), c.kind, \
         (SELECT MAX(h.at) FROM complaint_history h WHERE h.complaint_id = c.id AND h.to_status = '{closed}') \
         FROM complaints c",
        closed = ComplaintStatus::Closed.slug(),
    ))
    .fetch_all(pool)
    .await?;
    for (received_at, village, point, kind, closed_at) in complaints {
        let place = Place { village_code: village, service_point_id: point };
        let kind = parse_column("kind", ComplaintKind::from_slug(&kind).ok_or("unknown kind"))?.slug().to_string();
        if let Some(day) = office_day(&received_at, utc_offset_hours) {
            add(&place, vec![Delta { day, measure: Measure::ComplaintReceived, key: kind.clone(), n: 1 }]);
        }
        if let Some(day) = closed_at.as_deref().and_then(|t| office_day(t, utc_offset_hours)) {
            add(&place, vec![Delta { day, measure: Measure::ComplaintClosed, key: kind, n: 1 }]);
        }
    }
    let mut tx = pool.begin().await?;
    lock_tallies(&mut tx).await?;
    // Pending deltas are already counted in what was just read from the applications.
    sqlx::query("DELETE FROM report_deltas").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM report_daily").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM report_monthly").execute(&mut *tx).await?;
    write(&mut tx, cells).await?;
    tx.commit().await?;
    Ok(counted)
}

/// Whether the tallies are empty while there are applications to count (a database from
/// before reports, or bulk-loaded rows): then they are rebuilt at start.
pub async fn need_rebuild(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (tallies,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM report_monthly LIMIT 1) t").fetch_one(pool).await?;
    let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM report_deltas LIMIT 1) t").fetch_one(pool).await?;
    let (applications,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM applications LIMIT 1) t").fetch_one(pool).await?;
    Ok(tallies == 0 && pending == 0 && applications > 0)
}

/// Which tallies a report adds up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub period: Period,
    /// Region code prefixes (a regency, district or village); empty: everywhere.
    pub areas: Vec<String>,
    /// Also count complaints about the office in general (the report is for all the
    /// caller's areas, not a part of them).
    pub general: bool,
    /// One service point only (0: online applications only).
    pub service_point: Option<i64>,
}

/// The first code after every code starting with `prefix` (codes are digits).
fn after_prefix(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// The filter on place, from `$first` on: its SQL and the values to bind, in order.
fn place_filter(scope: &Scope, first: usize) -> (String, Vec<String>) {
    let mut binds = Vec::new();
    let mut clauses = Vec::new();
    for area in &scope.areas {
        let n = first + binds.len();
        clauses.push(format!("(village_code >= ${} AND village_code < ${})", n, n + 1));
        binds.push(area.clone());
        binds.push(after_prefix(area));
    }
    if scope.general && !scope.areas.is_empty() {
        clauses.push("village_code = ''".to_string());
    }
    let mut sql = if clauses.is_empty() { "1 = 1".to_string() } else { format!("({})", clauses.join(" OR ")) };
    if let Some(point) = scope.service_point {
        // A number of our own making, not the caller's text.
        sql.push_str(&format!(" AND service_point_id = {point}"));
    }
    (sql, binds)
}

fn all_measures() -> String {
    Measure::ALL.iter().map(|m| format!("'{}'", m.slug())).collect::<Vec<_>>().join(", ")
}

/// A report's tallies over its period (whole months from the monthly table, the rest from
/// the daily one), optionally per district, summed by measure and key.
async fn sums(pool: &AnyPool, scope: &Scope, by_district: bool) -> Result<Vec<(String, TallyRow)>, sqlx::Error> {
    let parts = scope.period.parts();
    let (place, place_binds) = place_filter(scope, 3);
    // PostgreSQL refuses a constant in GROUP BY: group by the district only when asked.
    let (district, group) = if by_district {
        ("substr(village_code, 1, 6)", "substr(village_code, 1, 6), measure, key")
    } else {
        ("CAST('' AS TEXT)", "measure, key")
    };
    let mut raw: Vec<(String, String, String, i64)> = Vec::new();
    if let Some((first, last)) = &parts.months {
        let sql = format!(
            "SELECT {district}, measure, key, CAST(SUM(n) AS BIGINT) FROM report_monthly \
             WHERE month >= $1 AND month <= $2 AND {place} GROUP BY {group}"
        );
        let mut q = sqlx::query_as(&sql).bind(first).bind(last);
        for b in &place_binds {
            q = q.bind(b);
        }
        raw.extend(q.fetch_all(pool).await?);
    }
    for (from, to) in &parts.days {
        let sql = format!(
            "SELECT {district}, measure, key, CAST(SUM(n) AS BIGINT) FROM report_daily \
             WHERE measure IN ({measures}) AND day >= $1 AND day <= $2 AND {place} GROUP BY {group}",
            measures = all_measures()
        );
        let mut q = sqlx::query_as(&sql).bind(from.to_string()).bind(to.to_string());
        for b in &place_binds {
            q = q.bind(b);
        }
        raw.extend(q.fetch_all(pool).await?);
    }
    let mut summed: HashMap<(String, Measure, String), i64> = HashMap::new();
    for (district, measure, key, n) in raw {
        if let Some(measure) = Measure::from_slug(&measure) {
            *summed.entry((district, measure, key)).or_default() += n;
        }
    }
    let mut out: Vec<(String, TallyRow)> =
        summed.into_iter().map(|((district, measure, key), n)| (district, TallyRow { measure, key, n })).collect();
    out.sort_by(|a, b| (&a.0, a.1.measure, &a.1.key).cmp(&(&b.0, b.1.measure, &b.1.key)));
    Ok(out)
}

/// The tallies of a report, summed over its period.
pub async fn tallies(pool: &AnyPool, scope: &Scope) -> Result<Vec<TallyRow>, sqlx::Error> {
    Ok(sums(pool, scope, false).await?.into_iter().map(|(_, row)| row).collect())
}

/// The tallies of a report per district (the first six digits of the place).
pub async fn tallies_by_district(pool: &AnyPool, scope: &Scope) -> Result<Vec<(String, TallyRow)>, sqlx::Error> {
    sums(pool, scope, true).await
}

/// Applications received and decisions made per day of the period: the weekly trend.
pub async fn trend(pool: &AnyPool, scope: &Scope) -> Result<Vec<TrendRow>, sqlx::Error> {
    let (place, place_binds) = place_filter(scope, 3);
    let sql = format!(
        "SELECT day, measure, CAST(SUM(n) AS BIGINT) FROM report_daily \
         WHERE measure IN ('{received}', '{decisions}') AND day >= $1 AND day <= $2 AND {place} GROUP BY day, measure",
        received = Measure::Received.slug(),
        decisions = Measure::Decisions.slug(),
    );
    let mut q = sqlx::query_as(&sql).bind(scope.period.from().to_string()).bind(scope.period.to().to_string());
    for b in &place_binds {
        q = q.bind(b);
    }
    let rows: Vec<(String, String, i64)> = q.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, measure, n)| Some(TrendRow { day: Date::parse_iso(&day).ok()?, measure: Measure::from_slug(&measure)?, n }))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_range_covers_exactly_its_codes() {
        assert_eq!(after_prefix("3276"), "3277");
        assert_eq!(after_prefix("327609"), "32760:");
        let range = |code: &str, p: &str| code >= p && code < after_prefix(p).as_str();
        assert!(range("3276011006", "3276"));
        assert!(range("327601", "327601"));
        assert!(!range("3277011001", "3276"));
        assert!(!range("3275999999", "3276"));
    }
}
