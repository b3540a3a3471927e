//! Queries on the region directory.

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
