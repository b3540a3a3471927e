//! What a fresh database is filled with at start-up: reference data always, demo records
//! only in demo mode. Every step is idempotent, so a restart (or a second instance starting
//! at the same time) changes nothing.

pub mod catalogue;
pub mod demo;
pub mod generate;
pub mod regions;

use super::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("loading the region list: {0}")]
    Regions(#[from] regions::ImportError),
    #[error("loading the program catalogue: {0}")]
    Catalogue(#[source] sqlx::Error),
    #[error("loading demo records: {0}")]
    Demo(#[source] sqlx::Error),
    #[error("creating the demo staff accounts: {0}")]
    DemoStaff(#[from] crate::server::auth::CreateStaffError),
}

pub async fn reference(db: &Db) -> Result<regions::RegionImport, SeedError> {
    let import = regions::import(db).await?;
    catalogue::seed(db).await.map_err(SeedError::Catalogue)?;
    Ok(import)
}

pub async fn demo(db: &Db) -> Result<(), SeedError> {
    demo::seed(db).await.map_err(SeedError::Demo)?;
    demo::seed_staff(db).await?;
    Ok(())
}
