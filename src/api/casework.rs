//! The staff's operations as server functions: claim and release a queue item, each move of
//! the workflow with what it carries, a reply to a complaint. Each is the one way into its
//! operation for every client — the staff pages' forms (through the `StaffForm` island when
//! JavaScript runs), and any other client posting JSON (a field assessor's app, later) — and
//! each checks its caller itself: a live session (looked up once per request by
//! `server::caller`), the role, the area.
//!
//! Without JavaScript the same forms post to plain routes (`server::casework::act`,
//! `server::staff::claim`, `server::complaints::reply`), thin adapters over the same
//! implementations that show a refused form again at 422 with what was typed.
//!
//! Errors are [`StaffError`]: sign in (401), not yours (403), no such item (404), a refused
//! form with its problems by field (422, or 409 when someone moved first), ours (500).

use crate::domain::complaint::{ReplyForm, ReplyProblem};
use crate::domain::decision::{MoveForm, MoveProblem};
use crate::domain::workflow::Status;
use crate::error::StaffError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What a move did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// The status the application is in now.
    pub status: Status,
    /// The page to show next (the review page, saying what was done).
    pub page: String,
}

/// What a claim or release did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claimed {
    /// Whether the caller holds the item now.
    pub mine: bool,
    /// The page to show next.
    pub page: String,
}

/// Where a claim form returns to: the queue it came from, or the item's review page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimForm {
    pub id: i64,
    /// The queue's slug (`daftar`).
    pub daftar: Option<String>,
    /// `permohonan`: back to the item's review page.
    pub kembali: Option<String>,
}

impl ClaimForm {
    /// From the queue's or the review page's claim form.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let one = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        ClaimForm { id: one("id").and_then(|v| v.parse().ok()).unwrap_or_default(), daftar: one("daftar"), kembali: one("kembali") }
    }
}

/// Claims an item for the caller (exactly one of many simultaneous claims wins).
#[server(endpoint = "petugas/ambil", input = Json)]
pub async fn claim_item(form: ClaimForm) -> Result<Claimed, StaffError<()>> {
    let (state, me) = caller().await?;
    crate::server::staff::claim_or_release(&state, &me, &form, true).await.map_err(|r| r.into_staff_error())
}

/// Releases an item the caller holds.
#[server(endpoint = "petugas/lepas", input = Json)]
pub async fn release_item(form: ClaimForm) -> Result<Claimed, StaffError<()>> {
    let (state, me) = caller().await?;
    crate::server::staff::claim_or_release(&state, &me, &form, false).await.map_err(|r| r.into_staff_error())
}

/// One move of an application, with what it carries.
#[server(endpoint = "petugas/langkah", input = Json)]
pub async fn make_move(id: i64, form: MoveForm) -> Result<Moved, StaffError<MoveProblem>> {
    let (state, me) = caller().await?;
    crate::server::casework::make_move(&state, &me, id, form).await.map_err(|d| d.into_staff_error())
}

/// What a reply did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replied {
    pub status: crate::domain::complaint::ComplaintStatus,
    pub page: String,
}

/// A reply to a complaint, perhaps closing it.
#[server(endpoint = "petugas/jawab", input = Json)]
pub async fn answer_complaint(id: i64, form: ReplyForm) -> Result<Replied, StaffError<ReplyProblem>> {
    let (state, me) = caller().await?;
    crate::server::complaints::answer(&state, &me, id, form).await.map_err(|d| d.into_staff_error())
}

/// The app's state and the signed-in staff member, or "sign in" (401).
#[cfg(feature = "ssr")]
async fn caller<P>() -> Result<(crate::server::state::AppState, crate::server::auth::StaffMember), StaffError<P>> {
    let state = crate::server::state::app_state()?;
    match crate::server::caller::signed_in().await? {
        Some(me) => Ok((state, me)),
        None => Err(crate::server::refusal::Refusal::SignIn.into_staff_error()),
    }
}
