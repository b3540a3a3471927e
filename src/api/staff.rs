//! The staff side's server functions. Each one finds the caller's session first: without a
//! live session there is no answer but "sign in".

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A sign-in that was not accepted: the username as typed, and whether it was the guessing
/// limit. Provided as context by the handler that renders the page in answer to the post.
#[derive(Clone, Debug)]
pub struct SignInRefused {
    pub username: String,
    pub throttled: bool,
}

/// What the staff start page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHomeData {
    pub full_name: String,
    pub roles: Vec<crate::domain::workflow::Role>,
    /// Area names ("Kota Depok", "Pancoran Mas").
    pub areas: Vec<String>,
    /// Applications in the caller's areas, by status (only statuses that have some).
    pub counts: Vec<(crate::domain::workflow::Status, i64)>,
}

/// The signed-in staff member, or a redirect to the sign-in page.
#[cfg(feature = "ssr")]
pub async fn signed_in() -> Result<Option<crate::server::auth::StaffMember>, AppError> {
    let state = crate::server::state::app_state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
    let Some(token) = crate::server::auth::session_from(&headers) else { return Ok(None) };
    crate::server::auth::current(state.db.pool(), &token).await.map_err(|e| AppError::internal(&e, "reading a session"))
}

/// The start page of the signed-in staff member: who they are and the work in their areas.
#[server(endpoint = "petugas/beranda")]
pub async fn staff_home() -> Result<Option<StaffHomeData>, AppError> {
    let Some(me) = signed_in().await? else {
        leptos_axum::redirect("/petugas/masuk");
        return Ok(None);
    };
    let state = crate::server::state::app_state()?;
    let doing = "counting the work in a staff member's areas";
    let pool = state.db.pool();
    let mut areas = Vec::new();
    let mut counts: std::collections::BTreeMap<crate::domain::workflow::Status, i64> = Default::default();
    for code in &me.areas {
        let name: Option<(String,)> = sqlx::query_as(
            "SELECT name FROM regencies WHERE code = $1 UNION ALL SELECT name FROM districts WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(pool)
        .await
        .map_err(|e| AppError::internal(&e, doing))?;
        areas.extend(name.map(|(n,)| n));
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM applications WHERE regency_code = $1 OR district_code = $1 GROUP BY status",
        )
        .bind(code)
        .fetch_all(pool)
        .await
        .map_err(|e| AppError::internal(&e, doing))?;
        for (status, n) in rows {
            if let Some(status) = crate::domain::workflow::Status::from_slug(&status) {
                *counts.entry(status).or_default() += n;
            }
        }
    }
    Ok(Some(StaffHomeData { full_name: me.full_name, roles: me.roles, areas, counts: counts.into_iter().collect() }))
}
