//! The staff side's data. Staff pages render on the server only, so their loaders are plain
//! server-side functions, not endpoints: there is no URL to ask them from (one public door
//! fewer, and no client code for them in the residents' WebAssembly). Each still finds the
//! caller's session first: without a live session there is no answer but "sign in".

use crate::error::AppError;
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

/// The start page of the signed-in staff member: who they are and the work in their areas.
pub async fn staff_home() -> Result<Option<StaffHomeData>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let Some(me) = signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(None);
        };
        let state = crate::server::state::app_state()?;
        let doing = "counting the work in a staff member's areas";
        let pool = state.db.pool();
        let mut areas = Vec::new();
        for code in &me.areas {
            areas.extend(crate::server::db::regions::name(pool, code).await.map_err(|e| AppError::internal(&e, doing))?);
        }
        let today = crate::server::db::office_today(state.config.utc_offset_hours);
        let filter = crate::domain::workflow::QueueFilter::default();
        let counts = crate::server::db::queues::counts(pool, &me.areas, &filter, today).await.map_err(|e| AppError::internal(&e, doing))?;
        let counters = if me.has(crate::domain::workflow::Role::FrontDesk) {
            crate::server::db::service_points::of_staff(pool, me.id).await.map_err(|e| AppError::internal(&e, doing))?
        } else {
            Vec::new()
        };
        let handles_complaints = crate::domain::complaint::ComplaintKind::ALL.iter().any(|k| k.handled_by(&me.roles));
        let open_complaints = match handles_complaints {
            true => Some(crate::server::complaints::open_count(&state, &me).await.map_err(|e| AppError::internal(&e, doing))?),
            false => None,
        };
        Ok(Some(StaffHomeData { full_name: me.full_name, roles: me.roles, areas, counts, counters, open_complaints }))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::server_only())
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

/// A page of one of the caller's queues (in their areas only).
pub async fn queue_page(
    queue: String,
    after: Option<String>,
    filter: crate::domain::workflow::QueueFilter,
) -> Result<Option<QueuePageData>, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::workflow::Queue;
        use crate::server::db::queues::{self, Cursor};
        let Some(me) = signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(None);
        };
        let state = crate::server::state::app_state()?;
        let queue = Queue::from_slug(&queue).unwrap_or(Queue::ToVerify);
        let cursor = after.as_deref().and_then(Cursor::decode);
        let today = crate::server::db::office_today(state.config.utc_offset_hours);
        let pool = state.db.pool();
        let doing = "reading a queue";
        let counts = queues::counts(pool, &me.areas, &filter, today).await.map_err(|e| AppError::internal(&e, doing))?;
        let mut rows = queues::page(pool, &me.areas, queue, &filter, today, cursor.as_ref(), QUEUE_PAGE_SIZE + 1)
            .await
            .map_err(|e| AppError::internal(&e, doing))?;
        let more = rows.len() as i64 > QUEUE_PAGE_SIZE;
        rows.truncate(QUEUE_PAGE_SIZE as usize);
        let next = if more { rows.last().map(|r| Cursor { key: r.sort_key.clone(), id: r.id }.encode()) } else { None };
        let lang = crate::i18n::detect_lang();
        let found = crate::server::db::queues::filter_choices(pool, &me.areas).await.map_err(|e| AppError::internal(&e, doing))?;
        let choices = FilterChoices {
            programs: found.programs.into_iter().map(|(code, id, en)| (code, lang.pick(id, en))).collect(),
            categories: found.categories.into_iter().map(|(code, id, en)| (code.to_string(), lang.pick(id, en))).collect(),
            districts: found.districts,
            service_points: found.service_points.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        };
        let today_text = today.to_string();
        let now = crate::server::db::now_utc();
        let offset = state.config.utc_offset_hours;
        let lines = rows
            .into_iter()
            .map(|r| {
                let claim = crate::domain::workflow::Claim::live(r.claim, &now);
                QueueLine {
                    overdue: r.status.is_undecided() && r.decision_due < today_text,
                    mine: claim.as_ref().is_some_and(|c| c.is_mine(me.id, &now)),
                    id: r.id,
                    number: crate::domain::registration::RegistrationNumber::display_stored(r.registration_number),
                    masked_nik: r.masked_nik,
                    name: r.name,
                    program: r.program,
                    village: r.village,
                    status: r.status,
                    submitted_on: crate::domain::date::office_date_text(&r.submitted_at, offset),
                    decision_due: r.decision_due,
                    claimed_by: claim.map(|c| c.name),
                }
            })
            .collect();
        Ok(Some(QueuePageData { queue, filter, choices, counts, lines, next }))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (queue, after, filter);
        Err(AppError::server_only())
    }
}
