//! What residents are offered — programs, PPKS categories, service points — in the reader's
//! language: the catalogue's rows (both names of each bilingual column) turned into the
//! page types. The one place the language is picked for them.

use crate::api::apply::ProgramChoice;
use crate::api::check::ServicePoint;
use crate::api::programs::ProgramSummary;
use crate::domain::RegionCode;
use crate::i18n::Lang;
use sqlx::AnyPool;

/// Open programs in display order, with what they serve and ask for.
pub async fn active(pool: &AnyPool, lang: Lang) -> Result<Vec<ProgramSummary>, sqlx::Error> {
    Ok(super::db::programs::active(pool)
        .await?
        .into_iter()
        .map(|p| ProgramSummary {
            code: p.code,
            name: lang.pick(p.name_id, p.name_en),
            summary: lang.pick(p.summary_id, p.summary_en),
            serves: p.serves.into_iter().map(|(id, en)| lang.pick(id, en)).collect(),
            documents: p.documents,
            deadline: p.deadline,
        })
        .collect())
}

/// What the need step offers: open programs with the categories each serves.
pub async fn choices(pool: &AnyPool, lang: Lang) -> Result<Vec<ProgramChoice>, sqlx::Error> {
    Ok(super::db::programs::choices(pool)
        .await?
        .into_iter()
        .map(|p| ProgramChoice {
            code: p.code,
            name: lang.pick(p.name_id, p.name_en),
            summary: lang.pick(p.summary_id, p.summary_en),
            categories: p.categories,
        })
        .collect())
}

/// The active PPKS categories: (code, name).
pub async fn categories(pool: &AnyPool, lang: Lang) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(super::db::programs::categories(pool).await?.into_iter().map(|(code, id, en)| (code, lang.pick(id, en))).collect())
}

/// The open service points in a province, by regency, district and name.
pub async fn service_points(pool: &AnyPool, province: &RegionCode) -> Result<Vec<ServicePoint>, sqlx::Error> {
    Ok(super::db::service_points::in_province(pool, province)
        .await?
        .into_iter()
        .map(|s| ServicePoint {
            place: format!("{}, {}, {}", s.village, s.district, s.regency),
            name: s.name,
            address: s.address,
            phone: s.phone,
            opening_hours: s.opening_hours,
        })
        .collect())
}
