//! Queries on the region directory.

use super::parse_column;
use crate::domain::RegionOption;
use crate::domain::{RegionCode, RegionDirectory, RegionLevel};
use sqlx::AnyPool;
use std::collections::HashSet;

/// How many regions of each level the database holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegionCounts {
    pub provinces: i64,
    pub regencies: i64,
    pub districts: i64,
    pub villages: i64,
}

impl RegionCounts {
    pub fn total(&self) -> i64 {
        self.provinces + self.regencies + self.districts + self.villages
    }
}

pub async fn counts(pool: &AnyPool) -> Result<RegionCounts, sqlx::Error> {
    let (provinces, regencies, districts, villages): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM provinces), (SELECT COUNT(*) FROM regencies), \
                (SELECT COUNT(*) FROM districts), (SELECT COUNT(*) FROM villages)",
    )
    .fetch_one(pool)
    .await?;
    Ok(RegionCounts { provinces, regencies, districts, villages })
}

/// The regions one level below `parent` (provinces for `None`), ordered by name.
pub async fn children(pool: &AnyPool, parent: Option<&RegionCode>) -> Result<Vec<RegionOption>, sqlx::Error> {
    // Table and column names come from this match only, never from input.
    let (sql, bind) = match parent.map(RegionCode::level) {
        None => ("SELECT code, name FROM provinces ORDER BY name", None),
        Some(RegionLevel::Province) => ("SELECT code, name FROM regencies WHERE province_code = $1 ORDER BY name", parent),
        Some(RegionLevel::Regency) => ("SELECT code, name FROM districts WHERE regency_code = $1 ORDER BY name", parent),
        Some(RegionLevel::District) => ("SELECT code, name FROM villages WHERE district_code = $1 ORDER BY name", parent),
        Some(RegionLevel::Village) => return Ok(Vec::new()),
    };
    let mut query = sqlx::query_as::<_, (String, String)>(sql);
    if let Some(code) = bind {
        query = query.bind(code.as_str());
    }
    query
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(code, name)| Ok(RegionOption { code: parse_column("code", RegionCode::parse(&code))?, name }))
        .collect()
}

/// Every province, regency and district code (≈7,800 short strings), held in memory so a
/// NIK's region is checked without a query.
#[derive(Clone, Debug, Default)]
pub struct KnownRegions {
    codes: HashSet<String>,
}

impl KnownRegions {
    pub async fn load(pool: &AnyPool) -> Result<Self, sqlx::Error> {
        let codes: Vec<(String,)> = sqlx::query_as(
            "SELECT code FROM provinces UNION ALL SELECT code FROM regencies UNION ALL SELECT code FROM districts",
        )
        .fetch_all(pool)
        .await?;
        Ok(Self { codes: codes.into_iter().map(|(c,)| c).collect() })
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

impl RegionDirectory for KnownRegions {
    fn knows(&self, code: &RegionCode) -> Option<bool> {
        match code.level() {
            RegionLevel::Village => None,
            _ => Some(self.codes.contains(code.as_str())),
        }
    }
}

/// The name of a regency, district or village, by its code (a staff member's area, a
/// report's drill-down).
pub async fn name(pool: &AnyPool, code: &str) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM regencies WHERE code = $1 UNION ALL SELECT name FROM districts WHERE code = $1 \
         UNION ALL SELECT name FROM villages WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|(n,)| n))
}

/// Whether a village code is in the official list (the address step, a service point).
pub async fn village_exists(pool: &AnyPool, code: &RegionCode) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as("SELECT code FROM villages WHERE code = $1").bind(code.as_str()).fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// The names of a village and the regions around it, village first.
pub async fn path_names(pool: &AnyPool, village: &RegionCode) -> Result<Vec<String>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT v.name, d.name, r.name, p.name FROM villages v JOIN districts d ON d.code = v.district_code \
         JOIN regencies r ON r.code = d.regency_code JOIN provinces p ON p.code = r.province_code WHERE v.code = $1",
    )
    .bind(village.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(v, d, r, p)| vec![v, d, r, p]).unwrap_or_default())
}
