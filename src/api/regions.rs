//! The official region list, one level at a time: what the address step's
//! province → regency/city → district → village lists are filled from.

use crate::domain::RegionOption;
use crate::error::AppError;
use leptos::prelude::*;

/// The regions directly inside `parent` (the provinces when there is none), by name.
/// Public reference data; a code that is malformed or has nothing inside it gives an empty
/// list.
#[server(endpoint = "wilayah")]
pub async fn child_regions(parent: Option<String>) -> Result<Vec<RegionOption>, AppError> {
    let parent = match parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => match crate::domain::RegionCode::parse(text) {
            Ok(code) => Some(code),
            Err(_) => return Ok(Vec::new()),
        },
    };
    let state = crate::server::state::app_state()?;
    crate::server::db::regions::children(state.db.pool(), parent.as_ref())
        .await
        .map_err(|e| AppError::internal(&e, "listing regions"))
}
