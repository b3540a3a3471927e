//! What residents are offered — programs, PPKS categories, service points — in the reader's
//! language: the catalogue's rows (both names of each bilingual column) turned into the
//! page types. The one place the language is picked for them.
//!
//! It changes only when an administrator changes it, and the public pages show it on every
//! request, so each instance keeps a copy in memory ([`Catalogue`]). The database's
//! `catalogue_version` (counted up by triggers on every change, migration 0029) says when to
//! read it again; an instance looks at it at most once a second, so another instance's change
//! shows here within a second, and this instance's own at once ([`Catalogue::forget`]).

use super::db::programs::{ActiveProgram, ProgramOffer};
use super::db::service_points::ListedPoint;
use super::state::AppState;
use crate::api::apply::ProgramChoice;
use crate::api::check::ServicePoint;
use crate::api::programs::ProgramSummary;
use crate::domain::{ProgramCode, RegionCode};
use crate::domain::eligibility::Eligibility;
use crate::i18n::Lang;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a copy is believed without asking the database.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The catalogue as read at one version, in both languages.
#[derive(Debug)]
struct Copy {
    version: i64,
    active: Vec<ActiveProgram>,
    offers: Vec<ProgramOffer>,
    categories: Vec<(i64, String, String)>,
    rules: HashMap<ProgramCode, Eligibility>,
    /// Open service points by province code.
    points: HashMap<String, Vec<ListedPoint>>,
}

impl Copy {
    async fn read(pool: &sqlx::AnyPool, version: i64) -> Result<Copy, sqlx::Error> {
        use super::db::{programs, service_points};
        let mut points: HashMap<String, Vec<ListedPoint>> = HashMap::new();
        for (province, point) in service_points::open_points(pool).await? {
            points.entry(province).or_default().push(point);
        }
        Ok(Copy {
            version,
            active: programs::active(pool).await?,
            offers: programs::choices(pool).await?,
            categories: programs::categories(pool).await?,
            rules: programs::eligibility_rules(pool).await?,
            points,
        })
    }
}

/// This instance's copy of the catalogue, in `AppState`.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// The copy and when its version was last compared with the database's.
    held: RwLock<Option<(Instant, Arc<Copy>)>>,
    /// One request reads the database when the copy is due; the others wait for it.
    reading: tokio::sync::Mutex<()>,
}

impl Catalogue {
    /// Drops the copy, after a change made here: the next request reads the catalogue again.
    pub fn forget(&self) {
        if let Ok(mut held) = self.held.write() {
            *held = None;
        }
    }

    fn believed(&self) -> Option<Arc<Copy>> {
        let held = self.held.read().ok()?;
        let (checked, copy) = held.as_ref()?;
        (checked.elapsed() < CHECK_EVERY).then(|| copy.clone())
    }

    async fn current(&self, pool: &sqlx::AnyPool) -> Result<Arc<Copy>, sqlx::Error> {
        if let Some(copy) = self.believed() {
            return Ok(copy);
        }
        let _reading = self.reading.lock().await;
        if let Some(copy) = self.believed() {
            return Ok(copy);
        }
        // The version first: rows read after it are at least that new, so a change made
        // meanwhile is read again at the next check rather than missed.
        let version = super::db::programs::catalogue_version(pool).await?;
        let held = self.held.read().ok().and_then(|h| h.as_ref().map(|(_, copy)| copy.clone()));
        let copy = match held {
            Some(copy) if copy.version == version => copy,
            _ => Arc::new(Copy::read(pool, version).await?),
        };
        if let Ok(mut held) = self.held.write() {
            *held = Some((Instant::now(), copy.clone()));
        }
        Ok(copy)
    }
}

async fn copy(state: &AppState) -> Result<Arc<Copy>, sqlx::Error> {
    state.catalogue.current(state.db.pool()).await
}

/// Open programs in display order, with what they serve and ask for.
pub async fn active(state: &AppState, lang: Lang) -> Result<Vec<ProgramSummary>, sqlx::Error> {
    Ok(copy(state)
        .await?
        .active
        .iter()
        .map(|p| ProgramSummary {
            code: p.code.clone(),
            name: lang.pick(&p.name_id, &p.name_en).clone(),
            summary: lang.pick(&p.summary_id, &p.summary_en).clone(),
            serves: p.serves.iter().map(|(id, en)| lang.pick(id, en).clone()).collect(),
            documents: p.documents.clone(),
            deadline: p.deadline,
        })
        .collect())
}

/// The check's rules of every active program that has them.
pub async fn eligibility_rules(state: &AppState) -> Result<HashMap<ProgramCode, Eligibility>, sqlx::Error> {
    Ok(copy(state).await?.rules.clone())
}

/// What the need step offers: open programs with the categories each serves.
pub async fn choices(state: &AppState, lang: Lang) -> Result<Vec<ProgramChoice>, sqlx::Error> {
    Ok(copy(state)
        .await?
        .offers
        .iter()
        .map(|p| ProgramChoice {
            code: p.code.clone(),
            name: lang.pick(&p.name_id, &p.name_en).clone(),
            summary: lang.pick(&p.summary_id, &p.summary_en).clone(),
            categories: p.categories.clone(),
        })
        .collect())
}

/// The active PPKS categories: (code, name).
pub async fn categories(state: &AppState, lang: Lang) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(copy(state).await?.categories.iter().map(|(code, id, en)| (*code, lang.pick(id, en).clone())).collect())
}

/// The open service points in a province, by regency, district and name.
pub async fn service_points(state: &AppState, province: &RegionCode) -> Result<Vec<ServicePoint>, sqlx::Error> {
    Ok(copy(state)
        .await?
        .points
        .get(province.as_str())
        .into_iter()
        .flatten()
        .map(|s| ServicePoint {
            place: format!("{}, {}, {}", s.village, s.district, s.regency),
            name: s.name.clone(),
            address: s.address.clone(),
            phone: s.phone.clone(),
            opening_hours: s.opening_hours.clone(),
        })
        .collect())
}
