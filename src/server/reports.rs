//! Reports: the dashboard's data (who may see which area), its CSV files, and the public
//! statistics. Everything is added up from the tallies in `db::reports`; nothing here reads
//! an application, so no personal data can reach a report.

use super::auth::StaffMember;
use super::refusal::Refusal;
use super::db::reports::{self as tallies, Scope};
use super::state::AppState;
use crate::api::reports::{
    PublicStats, ReportData, ReportOutcome, ReportQuery, ReportTable, TableRow, Value, fields, report_tables,
};
use crate::domain::report::{Measure, Period, PublicCell, Summary, TallyRow, protect};
use crate::domain::workflow::{Role, Status};
use crate::domain::{RegionCode, RegionLevel, WorkingDays};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sqlx::AnyPool;
use std::collections::BTreeMap;

/// Whether the caller's reports cover every area (an administrator without areas).
fn everywhere(me: &StaffMember) -> bool {
    me.areas.is_empty() && me.has(Role::Administrator)
}

/// The regencies the office serves: those with an active service point.
pub(crate) async fn office_regencies(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT substr(village_code, 1, 4) FROM service_points WHERE active = TRUE ORDER BY 1").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// `(code, name)` of these areas, each regency followed by its districts.
pub(crate) async fn area_choices(pool: &AnyPool, tops: Vec<String>) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for top in tops {
        let name = super::db::regions::name(pool, &top).await?.unwrap_or_else(|| top.clone());
        out.push((top.clone(), name));
        if top.len() == 4 {
            let districts: Vec<(String, String)> =
                sqlx::query_as("SELECT code, name FROM districts WHERE regency_code = $1 ORDER BY name").bind(&top).fetch_all(pool).await?;
            out.extend(districts.into_iter().map(|(code, name)| (code, format!("— {name}"))));
        }
    }
    Ok(out)
}

/// The dashboard for `me`, as asked by `query`: an area outside the caller's is refused
/// (and the report made for all of theirs), a bad period is explained (and this month shown).
pub async fn report(state: &AppState, me: &StaffMember, query: &ReportQuery, lang: Lang) -> Result<ReportOutcome, AppError> {
    if !crate::domain::report::may_read(&me.roles) {
        return Ok(ReportOutcome::NotForYou);
    }
    let doing = "making a report";
    let fail = |e: sqlx::Error| AppError::internal(&e, doing);
    let pool = state.db.pool();
    let r = lang.reports();
    let offset = state.config.utc_offset_hours;
    let today = super::db::office_today(offset);
    let (period, period_problem) = match (&query.from, &query.to) {
        (None, None) => (Period::month_of(today), None),
        (from, to) => match Period::parse(from.as_deref().unwrap_or(""), to.as_deref().unwrap_or("")) {
            Ok(p) => (p, None),
            Err(e) => (Period::month_of(today), Some(e)),
        },
    };

    let tops = if everywhere(me) { office_regencies(pool).await.map_err(fail)? } else { me.areas.clone() };
    let areas = area_choices(pool, tops).await.map_err(fail)?;
    let inside = |code: &str| everywhere(me) || me.areas.iter().any(|a| code.starts_with(a.as_str()));
    let mut area_refused = false;
    let area = match query.area.as_deref().map(RegionCode::parse) {
        None => None,
        Some(Ok(code)) if matches!(code.level(), RegionLevel::Regency | RegionLevel::District) && inside(code.as_str()) => Some(code),
        Some(_) => {
            area_refused = true;
            None
        }
    };
    let village = match (query.village.as_deref().map(RegionCode::parse), &area) {
        (Some(Ok(v)), Some(district))
            if v.level() == RegionLevel::Village && district.level() == RegionLevel::District && v.as_str().starts_with(district.as_str()) =>
        {
            Some(v)
        }
        (None, _) => None,
        _ => {
            area_refused = true;
            None
        }
    };
    let villages: Vec<(String, String)> = match &area {
        Some(d) if d.level() == RegionLevel::District => {
            sqlx::query_as("SELECT code, name FROM villages WHERE district_code = $1 ORDER BY name").bind(d.as_str()).fetch_all(pool).await.map_err(fail)?
        }
        _ => Vec::new(),
    };
    let scope_areas: Vec<String> = match (&village, &area) {
        (Some(v), _) => vec![v.as_str().to_string()],
        (None, Some(a)) => vec![a.as_str().to_string()],
        (None, None) if everywhere(me) => Vec::new(),
        (None, None) => me.areas.clone(),
    };

    let mut point_rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, village_code FROM service_points WHERE active = TRUE ORDER BY name").fetch_all(pool).await.map_err(fail)?;
    point_rows.retain(|(_, _, village)| inside(village));
    let mut service_points = vec![(fields::ONLINE.to_string(), r.online_only.to_string())];
    service_points.extend(point_rows.iter().map(|(id, name, _)| (id.to_string(), name.clone())));
    let (service_point, service_point_value) = match query.service_point.as_deref() {
        Some(v) if v == fields::ONLINE => (Some(0), v.to_string()),
        Some(v) => match v.parse::<i64>().ok().filter(|id| point_rows.iter().any(|(p, _, _)| p == id)) {
            Some(id) => (Some(id), id.to_string()),
            None => (None, String::new()),
        },
        None => (None, String::new()),
    };

    let scope = Scope { period, areas: scope_areas, general: area.is_none(), service_point };
    // Exact: what was recorded up to now is in the tallies before they are read.
    tallies::fold(pool).await.map_err(fail)?;
    let rows = tallies::tallies(pool, &scope).await.map_err(fail)?;
    let trend = tallies::trend(pool, &scope).await.map_err(fail)?;
    let programs: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, name_id, name_en, deadline_working_days FROM programs ORDER BY id").fetch_all(pool).await.map_err(fail)?;
    let deadlines: BTreeMap<i64, WorkingDays> =
        programs.iter().filter_map(|(id, _, _, days)| Some((*id, WorkingDays::new(*days).ok()?))).collect();
    let summary = Summary::build(&rows, &trend, period, today, &deadlines);
    let program_names = programs.into_iter().map(|(id, name_id, name_en, _)| (id, lang.pick(name_id, name_en))).collect();
    let categories: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT code, name_id, name_en FROM ppks_categories ORDER BY code").fetch_all(pool).await.map_err(fail)?;
    let category_names = categories.into_iter().map(|(code, id, en)| (code, lang.pick(id, en))).collect();

    let area_name = match (&village, &area) {
        (Some(code), _) | (None, Some(code)) => super::db::regions::name(pool, code.as_str()).await.map_err(fail)?.unwrap_or_else(|| code.as_str().to_string()),
        // All the caller's areas, by name ("Kota Depok"); everywhere for an administrator without any.
        (None, None) if everywhere(me) => r.area_everywhere.to_string(),
        (None, None) => areas.iter().filter(|(code, _)| me.areas.contains(code)).map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", "),
    };
    let service_point_name = service_points
        .iter()
        .find(|(v, _)| *v == service_point_value)
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| r.service_point_all.to_string());
    let now = super::db::utc_in(offset * 3600);
    let mut data = ReportData {
        from: period.from().to_string(),
        to: period.to().to_string(),
        period_problem,
        area_refused,
        areas,
        area: area.map(|a| a.as_str().to_string()).unwrap_or_default(),
        villages,
        village: village.map(|v| v.as_str().to_string()).unwrap_or_default(),
        service_points,
        service_point: service_point_value,
        area_name,
        service_point_name,
        summary,
        program_names,
        category_names,
        shortcuts: crate::api::reports::shortcuts(today, lang),
        query: String::new(),
        made_at: format!("{} {}", &now[..10], &now[11..16]),
    };
    data.query = data.link_query(&data.from, &data.to);
    Ok(ReportOutcome::Ready(Box::new(data)))
}

/// `GET /petugas/laporan/unduh?tabel=…&…`: one table of the dashboard as a CSV file, for the
/// same period, area and service point, with the same authorization.
pub async fn csv(
    State(state): State<AppState>,
    me: StaffMember,
    lang: Lang,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, Refusal> {
    let query = ReportQuery::from_pairs(&pairs);
    let data = match report(&state, &me, &query, lang).await? {
        ReportOutcome::Ready(data) => data,
        _ => return Ok(super::http::plain_text(StatusCode::FORBIDDEN, lang.reports().not_for_you)),
    };
    let slug = pairs.iter().find(|(k, _)| k == fields::TABLE).map(|(_, v)| v.as_str()).unwrap_or("");
    let table = report_tables(&data, lang).into_iter().find(|t| t.slug == slug).ok_or(Refusal::NotFound)?;
    let file_name = format!("laporan-{}-{}-{}.csv", table.slug, data.from, data.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        table.csv(),
    )
        .into_response())
}

/// One measure's rows as (district, key, count).
fn sum_keys<'a>(rows: &'a [(String, TallyRow)], measure: Measure) -> impl Iterator<Item = (&'a str, &'a str, u64)> {
    rows.iter().filter(move |(_, r)| r.measure == measure).map(|(d, r)| (d.as_str(), r.key.as_str(), r.n.max(0) as u64))
}

/// A public table: a row per label with one protected column per measure, and a total row.
fn public_table(slug: &'static str, title: &str, header: Vec<String>, rows: Vec<(String, Vec<u64>)>, total_label: &str) -> ReportTable {
    let columns = header.len() - 1;
    let mut cells: Vec<Vec<Value>> = vec![Vec::new(); rows.len()];
    let mut totals = Vec::new();
    for c in 0..columns {
        let column: Vec<u64> = rows.iter().map(|(_, v)| v[c]).collect();
        for (i, cell) in protect(&column).into_iter().enumerate() {
            cells[i].push(Value::Public(cell));
        }
        totals.push(Value::Public(PublicCell::total(column.iter().sum())));
    }
    let mut table_rows: Vec<TableRow> = rows.into_iter().zip(cells).map(|((label, _), values)| TableRow { label, values }).collect();
    table_rows.push(TableRow { label: total_label.to_string(), values: totals });
    ReportTable { slug: slug.to_string(), title: title.to_string(), header, rows: table_rows, chart: crate::api::reports::Chart::None, note: None }
}

/// How long a made `/statistik` is served before it is made again.
pub const PUBLIC_STATS_FRESH: std::time::Duration = std::time::Duration::from_secs(300);

/// The public statistics as last made, per year and language (in `AppState`). Anyone can
/// reload `/statistik`; making it scans a year of tallies (≈ 120 ms at a million
/// applications), so it is made at most once per [`PUBLIC_STATS_FRESH`] and otherwise
/// served from here: figures at most five minutes old, which a public page may be.
#[derive(Debug, Default)]
pub struct PublicSnapshots {
    made: std::sync::RwLock<std::collections::HashMap<(i32, Lang), (std::time::Instant, std::sync::Arc<PublicStats>)>>,
    /// One request makes a due snapshot; the others wait for it instead of making it too.
    making: tokio::sync::Mutex<()>,
}

impl PublicSnapshots {
    fn fresh(&self, key: &(i32, Lang)) -> Option<std::sync::Arc<PublicStats>> {
        let made = self.made.read().ok()?;
        let (at, stats) = made.get(key)?;
        (at.elapsed() < PUBLIC_STATS_FRESH).then(|| stats.clone())
    }
}

/// `/statistik` for `year` (this year when absent or not a year that can have figures).
pub async fn public_stats(state: &AppState, year: Option<&str>, lang: Lang) -> Result<PublicStats, AppError> {
    let this_year = super::db::office_today(state.config.utc_offset_hours).year();
    // Only years that can exist are keys, so no query string makes the map grow.
    let asked = year.and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..=this_year).contains(y)).unwrap_or(this_year);
    let key = (asked, lang);
    let snapshots = &state.public_stats;
    if let Some(stats) = snapshots.fresh(&key) {
        return Ok((*stats).clone());
    }
    let _making = snapshots.making.lock().await;
    if let Some(stats) = snapshots.fresh(&key) {
        return Ok((*stats).clone());
    }
    let stats = make_public_stats(state, asked, lang).await?;
    if let Ok(mut made) = snapshots.made.write() {
        made.insert(key, (std::time::Instant::now(), std::sync::Arc::new(stats.clone())));
    }
    Ok(stats)
}

/// Makes `/statistik`: a year's applications by program, category and district, and
/// approvals by program and district, every figure under five shown as "<5".
async fn make_public_stats(state: &AppState, year: i32, lang: Lang) -> Result<PublicStats, AppError> {
    let doing = "making the public statistics";
    let fail = |e: sqlx::Error| AppError::internal(&e, doing);
    let pool = state.db.pool();
    let r = lang.reports();
    let this_year = super::db::office_today(state.config.utc_offset_hours).year();
    tallies::fold(pool).await.map_err(fail)?;
    let (first,): (Option<String>,) = sqlx::query_as("SELECT MIN(month) FROM report_monthly").fetch_one(pool).await.map_err(fail)?;
    let first_year = first.and_then(|m| m.get(..4)?.parse::<i32>().ok()).unwrap_or(this_year).min(this_year);
    let years: Vec<i32> = (first_year..=this_year).rev().collect();
    let year = Some(year).filter(|y| years.contains(y)).unwrap_or(this_year);
    let scope = Scope { period: Period::year(year), areas: Vec::new(), general: true, service_point: None };
    let rows = tallies::tallies_by_district(pool, &scope).await.map_err(fail)?;
    let approved_key = format!("{}:", Status::Approved.slug());

    let mut program_received: BTreeMap<i64, u64> = BTreeMap::new();
    let mut program_approved: BTreeMap<i64, u64> = BTreeMap::new();
    let mut district_received: BTreeMap<String, u64> = BTreeMap::new();
    let mut district_approved: BTreeMap<String, u64> = BTreeMap::new();
    let mut category_received: BTreeMap<i64, u64> = BTreeMap::new();
    for (_, key, n) in sum_keys(&rows, Measure::Program) {
        if let Ok(id) = key.parse() {
            *program_received.entry(id).or_default() += n;
        }
    }
    for (district, key, n) in sum_keys(&rows, Measure::Decided) {
        if let Some(Ok(id)) = key.strip_prefix(approved_key.as_str()).map(str::parse::<i64>) {
            *program_approved.entry(id).or_default() += n;
            *district_approved.entry(district.to_string()).or_default() += n;
        }
    }
    for (district, _, n) in sum_keys(&rows, Measure::Received) {
        *district_received.entry(district.to_string()).or_default() += n;
    }
    for (_, key, n) in sum_keys(&rows, Measure::Category) {
        if let Ok(code) = key.parse() {
            *category_received.entry(code).or_default() += n;
        }
    }

    let programs: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, name_id, name_en FROM programs ORDER BY position, id").fetch_all(pool).await.map_err(fail)?;
    let program_rows: Vec<(String, Vec<u64>)> = programs
        .into_iter()
        .filter(|(id, _, _)| program_received.contains_key(id) || program_approved.contains_key(id))
        .map(|(id, name_id, name_en)| {
            (lang.pick(name_id, name_en), vec![program_received.get(&id).copied().unwrap_or(0), program_approved.get(&id).copied().unwrap_or(0)])
        })
        .collect();
    let categories: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT code, name_id, name_en FROM ppks_categories ORDER BY code").fetch_all(pool).await.map_err(fail)?;
    let category_rows: Vec<(String, Vec<u64>)> = categories
        .into_iter()
        .filter_map(|(code, id, en)| Some((lang.pick(id, en), vec![*category_received.get(&code)?])))
        .collect();
    let mut district_rows = Vec::new();
    let mut district_codes: Vec<&String> = district_received.keys().chain(district_approved.keys()).filter(|d| d.len() == 6).collect();
    district_codes.sort();
    district_codes.dedup();
    // Their names in one query, not one per district.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    if !district_codes.is_empty() {
        let list = (1..=district_codes.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT code, name FROM districts WHERE code IN ({list})");
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for code in &district_codes {
            q = q.bind(code.as_str());
        }
        names.extend(q.fetch_all(pool).await.map_err(fail)?);
    }
    for code in district_codes {
        let name = names.get(code).cloned().unwrap_or_else(|| code.clone());
        district_rows.push((name, vec![district_received.get(code).copied().unwrap_or(0), district_approved.get(code).copied().unwrap_or(0)]));
    }

    let received_total: u64 = district_received.values().sum();
    let approved_total: u64 = district_approved.values().sum();
    let tables = vec![
        public_table(
            "program",
            r.program_title,
            vec![r.program_column.to_string(), r.received.to_string(), r.approved_in_year.to_string()],
            program_rows,
            r.total_row,
        ),
        public_table("kategori", r.category_title, vec![r.category_column.to_string(), r.received.to_string()], category_rows, r.total_row),
        public_table(
            "kecamatan",
            r.district_title,
            vec![r.district_column.to_string(), r.received.to_string(), r.approved_in_year.to_string()],
            district_rows,
            r.total_row,
        ),
    ];
    Ok(PublicStats { year, years, received: PublicCell::total(received_total), approved: PublicCell::total(approved_total), tables })
}
