//! The back office's queues: what is waiting in a staff member's areas, a page at a time,
//! and who is working which item (claims).
//!
//! Pages are read by key (after the last row seen), not by offset, so the thousandth page
//! costs what the first does; indexes on (area, status, submitted_at, id) and (area, status,
//! decision_due, id) serve every queue as a few index ranges, so a queue of a million rows
//! answers as fast as one of a thousand.

use super::now_utc;
use crate::domain::workflow::{Claim, Queue, QueueFilter, Status};
use crate::domain::{Date, Nik, RegionLevel};
use sqlx::AnyPool;

/// A claim not touched for this long is free again ([`Claim::LIFETIME_SECONDS`]).
pub const CLAIM_SECONDS: i64 = Claim::LIFETIME_SECONDS;

/// Where a page of a queue starts: after this item, by the queue's sort key (the submission
/// time, or for the overdue queue the decision date) and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    /// `2026-11-23T08:00:00Z.42` or `2026-12-01.42`, as it travels in the page's "next" link
    /// (no personal data).
    pub fn encode(&self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (key, id) = text.rsplit_once('.')?;
        let timestamp = key.len() == 20 && key.ends_with('Z');
        let date = key.len() == 10 && crate::domain::Date::parse_iso(key).is_ok();
        let well_formed = (timestamp || date) && key.bytes().all(|b| b.is_ascii_digit() || b"-:TZ".contains(&b));
        well_formed.then_some(())?;
        Some(Self { key: key.to_string(), id: id.parse().ok()? })
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
    /// What the queue is ordered by (for the next page's cursor).
    pub sort_key: String,
    pub submitted_at: String,
    pub decision_due: String,
    /// Who claimed it, live or lapsed: the caller judges with [`Claim::is_live`].
    pub claim: Option<Claim>,
}

const COUNT_CAP: i64 = Queue::COUNT_CAP;

/// SQL under construction: its text and the values to bind, numbered as they are added.
#[derive(Default)]
struct Sql {
    text: String,
    binds: Vec<Value>,
}

enum Value {
    Text(String),
    Int(i64),
}

impl Sql {
    fn text(&mut self, v: impl Into<String>) -> String {
        self.binds.push(Value::Text(v.into()));
        format!("${}", self.binds.len())
    }

    fn int(&mut self, v: i64) -> String {
        self.binds.push(Value::Int(v));
        format!("${}", self.binds.len())
    }

    fn query_as<'q, T>(&'q self) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as::<_, T>(&self.text);
        for value in &self.binds {
            query = match value {
                Value::Text(t) => query.bind(t.as_str()),
                Value::Int(i) => query.bind(*i),
            };
        }
        query
    }
}

/// The index ranges a queue is read from: one per area (`regency_code` or `district_code`
/// equal to it), narrowed to the filter's district when it lies in the areas. A district
/// inside a regency also listed is read with the regency, not twice.
fn ranges(areas: &[String], filter: &QueueFilter) -> Vec<(&'static str, String)> {
    let column = |code: &str| if code.len() == 4 { "regency_code" } else { "district_code" };
    if let Some(region) = &filter.region {
        let district = region.at_level(RegionLevel::District).map(|d| d.as_str().to_string()).unwrap_or_default();
        return if areas.iter().any(|a| district.starts_with(a.as_str())) { vec![("district_code", district)] } else { Vec::new() };
    }
    areas
        .iter()
        .filter(|a| !areas.iter().any(|b| b != *a && a.starts_with(b.as_str())))
        .map(|a| (column(a), a.clone()))
        .collect()
}

/// `AND …` for the filter's other conditions (the region is in the ranges, but a village).
fn filter_conditions(sql: &mut Sql, filter: &QueueFilter, today: Date) -> String {
    let mut out = String::new();
    if let Some(program) = &filter.program {
        out.push_str(&format!(" AND program_id = (SELECT id FROM programs WHERE code = {})", sql.text(program.as_str())));
    }
    if let Some(category) = filter.category {
        out.push_str(&format!(" AND ppks_code = {}", sql.int(category)));
    }
    if let Some(region) = filter.region.as_ref().filter(|r| r.level() == RegionLevel::Village) {
        out.push_str(&format!(" AND village_code = {}", sql.text(region.as_str())));
    }
    if let Some(point) = filter.service_point {
        out.push_str(&format!(" AND service_point_id = {}", sql.int(point)));
    }
    if let Some(channel) = filter.channel {
        out.push_str(&format!(" AND channel = {}", sql.text(channel.stored())));
    }
    if let Some(age) = filter.age {
        let (after, until) = age.born_between(today);
        if let Some(after) = after {
            out.push_str(&format!(" AND birth_date > {}", sql.text(after.to_string())));
        }
        if let Some(until) = until {
            out.push_str(&format!(" AND birth_date <= {}", sql.text(until.to_string())));
        }
    }
    out
}

/// A page of `queue` in `areas`, after `cursor`: oldest first, or for the overdue queue the
/// longest overdue first.
///
/// Each (area, status) pair is its own index range, read in order and cut at `limit`; the
/// pieces are merged and cut again. So a page reads at most `limit` index entries per pair,
/// whatever the queue's length.
pub async fn page(
    pool: &AnyPool,
    areas: &[String],
    queue: Queue,
    filter: &QueueFilter,
    today: Date,
    cursor: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let ranges = ranges(areas, filter);
    if ranges.is_empty() {
        return Ok(Vec::new());
    }
    let sort = if queue.overdue_only() { "decision_due" } else { "submitted_at" };
    let mut sql = Sql::default();
    let mut pieces = Vec::new();
    for (column, code) in &ranges {
        for status in queue.statuses() {
            let mut piece = format!(
                "SELECT * FROM (SELECT id, {sort} AS sort_key FROM applications WHERE {column} = {} AND status = {}",
                sql.text(code.as_str()),
                sql.text(status.slug())
            );
            if queue.overdue_only() {
                piece.push_str(&format!(" AND decision_due < {}", sql.text(today.to_string())));
            }
            piece.push_str(unrestricted(status));
            piece.push_str(&filter_conditions(&mut sql, filter, today));
            if let Some(c) = cursor {
                piece.push_str(&format!(" AND ({sort}, id) > ({}, {})", sql.text(c.key.as_str()), sql.int(c.id)));
            }
            piece.push_str(&format!(" ORDER BY {sort}, id LIMIT {}) AS q{}", sql.int(limit), pieces.len()));
            pieces.push(piece);
        }
    }
    sql.text = format!(
        "SELECT a.id, a.registration_number, a.nik, a.name, p.name_id, v.name, a.status, k.sort_key, a.submitted_at, a.decision_due, \
         a.claimed_by, s.full_name, a.claimed_at \
         FROM ({}) AS k JOIN applications a ON a.id = k.id JOIN programs p ON p.id = a.program_id \
         JOIN villages v ON v.code = a.village_code LEFT JOIN staff s ON s.id = a.claimed_by \
         ORDER BY k.sort_key, k.id LIMIT {}",
        pieces.join(" UNION ALL "),
        sql.int(limit)
    );
    type Row = (i64, String, String, String, String, String, String, String, String, String, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = sql.query_as::<Row>().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, number, nik, name, program, village, status, sort_key, submitted_at, decision_due, by, by_name, at)| {
            Some(QueueRow {
                id,
                registration_number: number,
                masked_nik: Nik::parse(&nik).map(|n| n.masked()).unwrap_or_else(|_| "•".repeat(16)),
                name,
                program,
                village,
                status: Status::from_slug(&status)?,
                sort_key,
                submitted_at,
                decision_due,
                claim: Claim::from_columns(by, by_name, at),
            })
        })
        .collect())
}

/// How many items each queue holds in `areas` under `filter`, each counted up to just past
/// [`COUNT_CAP`] (one statement; every part reads at most that many index entries).
pub async fn counts(pool: &AnyPool, areas: &[String], filter: &QueueFilter, today: Date) -> Result<Vec<(Queue, i64)>, sqlx::Error> {
    let ranges = ranges(areas, filter);
    if ranges.is_empty() {
        return Ok(Queue::ALL.iter().map(|q| (*q, 0)).collect());
    }
    let mut sql = Sql::default();
    let mut columns = Vec::new();
    for queue in Queue::ALL {
        let mut parts = Vec::new();
        for (column, code) in &ranges {
            for status in queue.statuses() {
                let mut part = format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 AS one FROM applications WHERE {column} = {} AND status = {}",
                    sql.text(code.as_str()),
                    sql.text(status.slug())
                );
                if queue.overdue_only() {
                    part.push_str(&format!(" AND decision_due < {}", sql.text(today.to_string())));
                }
                part.push_str(unrestricted(status));
                part.push_str(&filter_conditions(&mut sql, filter, today));
                part.push_str(&format!(" LIMIT {}) AS c)", sql.int(COUNT_CAP + 1)));
                parts.push(part);
            }
        }
        columns.push(parts.join(" + "));
    }
    sql.text = format!("SELECT {}", columns.join(", "));
    let mut query = sqlx::query(&sql.text);
    for value in &sql.binds {
        query = match value {
            Value::Text(t) => query.bind(t.as_str()),
            Value::Int(i) => query.bind(*i),
        };
    }
    let row = query.fetch_one(pool).await?;
    use sqlx::Row as _;
    let mut out = Vec::new();
    for (i, queue) in Queue::ALL.iter().enumerate() {
        let n: i64 = row.try_get(i)?;
        out.push((*queue, n.min(COUNT_CAP + 1)));
    }
    Ok(out)
}

/// What the filter form offers a staff member, both names of each bilingual column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterRows {
    /// (code, Indonesian name, English name)
    pub programs: Vec<(String, String, String)>,
    pub categories: Vec<(i64, String, String)>,
    /// (code, name) of the districts in the areas.
    pub districts: Vec<(String, String)>,
    /// (id, name) of the active service points in the areas.
    pub service_points: Vec<(i64, String)>,
}

/// What the filter form offers a staff member: the programs (all, closed ones too: their
/// applications are still worked), categories, the districts and service points of their areas.
pub async fn filter_choices(pool: &AnyPool, areas: &[String]) -> Result<FilterRows, sqlx::Error> {
    let programs = sqlx::query_as("SELECT code, name_id, name_en FROM programs ORDER BY position, id").fetch_all(pool).await?;
    let categories = super::programs::categories(pool).await?;
    let mut districts = Vec::new();
    let mut service_points = Vec::new();
    for area in areas {
        let prefix = format!("{area}%");
        let found: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM districts WHERE code LIKE $1 ORDER BY name").bind(&prefix).fetch_all(pool).await?;
        districts.extend(found);
        let points: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM service_points WHERE village_code LIKE $1 AND active = TRUE ORDER BY name")
                .bind(&prefix)
                .fetch_all(pool)
                .await?;
        service_points.extend(points);
    }
    districts.sort_by(|a, b| a.1.cmp(&b.1));
    districts.dedup();
    service_points.dedup();
    Ok(FilterRows { programs, categories, districts, service_points })
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

/// Who holds an item's live claim, if anyone.
pub async fn holder(pool: &AnyPool, application_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT claimed_by, claimed_at FROM applications WHERE id = $1").bind(application_id).fetch_optional(pool).await?;
    let now = now_utc();
    Ok(row.and_then(|(by, at)| Claim::live(Claim::from_columns(by, None, at), &now)).map(|c| c.by))
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
        for c in [Cursor { key: "2026-11-23T08:00:00Z".into(), id: 42 }, Cursor { key: "2026-12-01".into(), id: 7 }] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for bad in ["", "x.1", "2026-11-23T08:00:00Z.", "2026-11-23T08:00:00Z.abc", "2026-11-23T08:00:00Z'--.1", "2026-13-45.1"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_area_is_read_once_and_a_region_filter_narrows_to_its_district() {
        let areas = vec!["3276".to_string(), "327601".to_string(), "917102".to_string()];
        assert_eq!(ranges(&areas, &QueueFilter::default()), [("regency_code", "3276".to_string()), ("district_code", "917102".to_string())]);
        let village = QueueFilter { region: crate::domain::RegionCode::parse("3276011006").ok(), ..Default::default() };
        assert_eq!(ranges(&areas, &village), [("district_code", "327601".to_string())]);
        let outside = QueueFilter { region: crate::domain::RegionCode::parse("327101").ok(), ..Default::default() };
        assert!(ranges(&areas, &outside).is_empty(), "a district outside the areas shows nothing");
    }
}

/// The condition that leaves out applications whose personal data is restricted (consent
/// withdrawn after the decision): only at statuses where a restriction can be, so the
/// queues of open work keep their index-only scans.
fn unrestricted(status: crate::domain::workflow::Status) -> &'static str {
    use crate::domain::disclosure::ConsentWithdrawal;
    match ConsentWithdrawal::at(status) {
        ConsentWithdrawal::Restrict => " AND restricted_at IS NULL",
        ConsentWithdrawal::Withdraw => "",
    }
}
