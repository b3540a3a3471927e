//! The state every handler and server function shares.

use super::config::Config;
use super::db::Db;
use super::db::regions::KnownRegions;
use super::mail::Mailer;
use super::storage::Storage;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub mailer: Mailer,
    /// Where text messages go (`sms`): Kannel, or files.
    pub sms: Arc<dyn super::sms::SmsGateway>,
    pub storage: Storage,
    /// Province, regency and district codes, for checking a NIK's region without a query.
    pub regions: Arc<KnownRegions>,
    pub config: Arc<Config>,
    /// The key tracking PINs are sealed under (`secrets`).
    pub pin_key: Arc<super::secrets::PinKey>,
    /// The office's letter-signing key and letterhead (`letters`).
    pub letters: Arc<super::letters::Letters>,
    /// What residents are offered, kept in memory (`catalogue`).
    pub catalogue: Arc<super::catalogue::Catalogue>,
    /// The public pages as last rendered, for a second (`page_copies`).
    pub page_copies: Arc<super::page_copies::PageCopies>,
    /// `/statistik` as last made (`reports::PublicSnapshots`).
    pub public_stats: Arc<super::reports::PublicSnapshots>,
    /// Serving or draining (`lifecycle`): `/healthz` and the workers read it.
    pub lifecycle: super::lifecycle::Lifecycle,
}

#[derive(Debug, thiserror::Error)]
#[error("AppState is not in the reactive context")]
struct NoState;

/// The state, inside a server function or a page rendered on the server.
///
/// `leptos_routes` puts the router's state into the reactive context of every page render
/// and server-function call; that is why `use_context` finds it here.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal(&NoState, "reading the app state"))
}
