//! The staff side's data. Staff pages render on the server only, so their loaders are plain
//! server-side functions, not endpoints: there is no URL to ask them from (one public door
//! fewer, and no client code for them in the residents' WebAssembly). Each still finds the
//! caller's session first: without a live session there is no answer but "sign in".

use crate::error::{AppError, StaffError};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
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
    /// Items in each of the caller's queues (capped at [`Queue::COUNT_CAP`] + 1).
    ///
    /// [`Queue::COUNT_CAP`]: crate::domain::workflow::Queue::COUNT_CAP
    pub counts: Vec<(crate::domain::workflow::Queue, i64)>,
    /// For front-desk officers: the service points they register walk-in residents at.
    pub counters: Vec<(i64, String)>,
    /// Open complaints the caller may answer (capped at 100), if their roles answer any.
    pub open_complaints: Option<usize>,
}

/// The signed-in staff member (see `server::caller`: looked up once per request).
#[cfg(feature = "ssr")]
pub use crate::server::caller::signed_in;

crate::api::loader! {
    /// The start page of the signed-in staff member: who they are and the work in their areas.
    pub async fn staff_home() -> Result<Option<StaffHomeData>, AppError> {
        let Some(me) = signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(None);
        };
        let state = crate::server::state::app_state()?;
        crate::server::staff::home(&state, me).await.map(Some)
    }
}

/// One line of a queue as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub id: i64,
    pub number: String,
    pub masked_nik: String,
    pub name: String,
    pub program: String,
    pub village: String,
    pub status: crate::domain::workflow::Status,
    pub submitted_on: String,
    pub decision_due: String,
    pub overdue: bool,
    /// Who is working it, if anyone; `mine` when it is the caller.
    pub claimed_by: Option<String>,
    pub mine: bool,
}

/// What the filter form chooses from: (value, label).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub programs: Vec<(String, String)>,
    pub categories: Vec<(String, String)>,
    /// Districts of the caller's areas.
    pub districts: Vec<(String, String)>,
    pub service_points: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePageData {
    pub queue: crate::domain::workflow::Queue,
    pub filter: crate::domain::workflow::QueueFilter,
    pub choices: FilterChoices,
    pub counts: Vec<(crate::domain::workflow::Queue, i64)>,
    pub lines: Vec<QueueLine>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

pub const QUEUE_PAGE_SIZE: i64 = 25;

/// A page of one of the caller's queues (in their areas only): the queue page's data, and a
/// server function any staff client may call (`POST /api/petugas/antrean`, JSON).
#[server(endpoint = "petugas/antrean", input = Json)]
pub async fn queue_page(
    queue: String,
    after: Option<String>,
    filter: crate::domain::workflow::QueueFilter,
) -> Result<QueuePageData, StaffError<()>> {
    let state = crate::server::state::app_state()?;
    // A staff page without a session never renders (server::caller redirects first).
    let Some(me) = signed_in().await? else { return Err(crate::server::refusal::Refusal::SignIn.into_staff_error()) };
    let lang = crate::i18n::detect_lang();
    Ok(crate::server::staff::queue_page(&state, &me, &queue, after.as_deref(), filter, lang).await?)
}
