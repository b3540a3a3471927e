//! Tracking for residents: the number and PIN from the receipt open a one-hour view of that
//! one application; a wrong pair gets one answer that does not say which half was wrong, and
//! guessing is limited per number and per address.
//!
//! - here: the look-up, the tracked page's data, sign-out and withdrawal, and [`Tracked`],
//!   the extractor for the browser's tracking session;
//! - `correction`: the resident's answers to a correction request (answers, documents, resubmit);
//! - `server::sign_in_links`: the same session opened by an emailed link instead of a PIN.

mod correction;
mod data;

pub use correction::{fix_answer, replace_document, resubmit};
pub use data::{data_json, document, my_data, share, withdraw_consent};

use super::db::casework::{self, MoveConflict};
use super::db::tracking as db;
use super::limits::Reserved;
use super::refusal::{Context as _, FormPairs, Refusal};
use super::state::AppState;
use super::token::SecretToken;
use crate::api::tracking::*;
use crate::domain::apply::field;
use crate::domain::date::{office_date_text, office_time};
use crate::domain::decision::Action;
use crate::domain::disclosure::{Opening, Part, Viewer};
use crate::domain::guessing::SecretKind;
use crate::domain::registration::{RegistrationNumber, tracking_fields};
use crate::domain::workflow::{Move, Role, Status};
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub const TRACKING_COOKIE: &str = "layan_lacak";

pub(crate) fn session_from(headers: &HeaderMap) -> Option<SecretToken> {
    crate::cookies::headers(headers).find_map(|h| crate::cookies::find(h, TRACKING_COOKIE)).and_then(SecretToken::parse)
}

/// The browser's live tracking session and what it opens. Without one, the answer is the
/// tracking page's form (`/lacak`).
pub struct Tracked {
    pub token: SecretToken,
    pub opened: db::Opened,
}

impl Tracked {
    /// The application it opens, or back to `/lacak`.
    pub fn application(&self) -> Result<i64, Refusal> {
        self.opened.application_id.ok_or(Refusal::SeeOther("/lacak"))
    }
}

impl FromRequestParts<AppState> for Tracked {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let token = session_from(&parts.headers).ok_or(Refusal::SeeOther("/lacak"))?;
        let opened = db::session(state.db.pool(), &token).await.context("reading a tracking session")?.ok_or(Refusal::SeeOther("/lacak"))?;
        Ok(Tracked { token, opened })
    }
}

/// Behind https the middleware adds `Secure` (the path keeps it from being `__Host-`).
pub(crate) fn session_cookie(token: &SecretToken) -> String {
    format!("{TRACKING_COOKIE}={}; Path=/lacak; Max-Age={}; SameSite=Strict; HttpOnly", token.as_str(), db::SESSION_SECONDS)
}

/// `POST /lacak`: the number and PIN from the receipt.
pub async fn look_up(
    State(state): State<AppState>,
    connection: super::http::Peer,
    lang: Lang,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    let address = super::http::client_address(&state, connection, &headers);
    let typed = field(&pairs, tracking_fields::NUMBER).trim().chars().take(32).collect::<String>();
    let pin = field(&pairs, tracking_fields::PIN).trim().to_string();
    let number = number_as_stored(&typed);
    let refuse = |throttled: bool, status: StatusCode| {
        let refused = LookupRefused { number: typed.clone(), throttled };
        let (state, headers) = (state.clone(), headers.clone());
        async move { super::http::render_page(&state, &headers, "/lacak", refused, status).await }
    };
    match check_pair(&state, &number, &pin, &address).await? {
        Pair::Opened(opened) => {
            let page = if opened.application_id.is_some() { "/lacak/permohonan" } else { "/lacak/pengaduan" };
            let token = db::open_session(state.db.pool(), &opened).await.context("opening a tracking session")?;
            Ok(super::http::redirect_with_cookie(page, &session_cookie(&token)))
        }
        Pair::Wrong => Ok(refuse(false, StatusCode::UNAUTHORIZED).await),
        Pair::Throttled { retry_after } => {
            tracing::warn!("tracking lookup throttled");
            Ok(super::http::with_retry_after(refuse(true, StatusCode::TOO_MANY_REQUESTS).await, retry_after))
        }
        Pair::Busy => Ok(super::http::busy(lang)),
    }
}

/// A typed registration number as stored; one that does not even read is counted under
/// what was typed, like any miss.
pub(crate) fn number_as_stored(typed: &str) -> String {
    RegistrationNumber::parse(typed).map(|n| n.as_str().to_string()).unwrap_or_else(|_| typed.to_uppercase())
}

/// What a number and PIN open.
pub(crate) enum Pair {
    /// The application or complaint of that number.
    Opened(db::Opened),
    /// Not a pair (whichever half was wrong).
    Wrong,
    /// Past the guessing limits: not checked.
    Throttled { retry_after: i64 },
    /// Too many PINs being checked at once; not counted.
    Busy,
}

/// Checks a number (as stored) and PIN tried from `address` (an IP address, or `sms:` and a
/// phone for a text): counted before it is checked, so simultaneous tries cannot all slip
/// under the limit; the same work whether or not the number exists. The tracking page and
/// `CEK` by SMS share it, and so the limits.
pub(crate) async fn check_pair(state: &AppState, number: &str, pin: &str, address: &str) -> Result<Pair, Refusal> {
    let pool = state.db.pool();
    let judged = match super::limits::reserve(pool, SecretKind::Pin, number, address).await.context("counting tracking lookups")? {
        Reserved::Judge(judged) => judged,
        Reserved::Refused { retry_after } => return Ok(Pair::Throttled { retry_after }),
    };
    let found = db::by_number(pool, number).await.context("looking up an application to track")?;
    // A PIN kept as an argon2 hash (from before PINs were sealed) may find the server busy.
    let key = &state.pin_key;
    let mut opened = None;
    let mut busy = false;
    if let Some((id, hash)) = &found {
        match key.matches(pin, hash).await {
            Ok(true) => opened = Some(db::Opened { application_id: Some(*id), ..Default::default() }),
            Ok(false) => {}
            Err(_) => busy = true,
        }
    }
    // Complaints and disputes share the numbers' space and the form.
    if opened.is_none() && !busy {
        match super::db::complaints::by_number(pool, number).await.context("looking up a complaint to track")? {
            Some((id, hash)) => match key.matches(pin, &hash).await {
                Ok(true) => opened = Some(db::Opened { complaint_id: Some(id), ..Default::default() }),
                Ok(false) => {}
                Err(_) => busy = true,
            },
            // Nothing by that number: the same work as a wrong PIN, so timing tells nothing.
            None if found.is_none() => {
                let _ = key.matches(pin, &key.seal("decoy")).await;
            }
            None => {}
        }
    }
    if busy {
        super::limits::withdraw(pool, judged).await.context("recording a tracking lookup")?;
        return Ok(Pair::Busy);
    }
    super::limits::settle(pool, judged, opened.is_some()).await.context("recording a tracking lookup")?;
    Ok(opened.map_or(Pair::Wrong, Pair::Opened))
}

/// `POST /lacak/keluar`: this browser forgets the application (a shared phone).
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_from(&headers) {
        if let Err(e) = db::end_session(state.db.pool(), &token).await {
            AppError::internal(&e, "ending a tracking session");
        }
    }
    super::http::redirect_with_cookie("/lacak", &format!("{TRACKING_COOKIE}=; Path=/lacak; Max-Age=0; SameSite=Strict; HttpOnly"))
}

/// `POST /lacak/cabut`: the resident withdraws their open application, after confirming.
pub async fn withdraw(State(state): State<AppState>, tracked: Tracked, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    if field(&pairs, tracking_fields::CONFIRM) != "ya" {
        return Ok(Redirect::to("/lacak/cabut").into_response());
    }
    let pool = state.db.pool();
    let scope = casework::scope(pool, id).await.context("reading an application to withdraw")?.ok_or(Refusal::SeeOther("/lacak"))?;
    let from = super::db::parse_column("status", Status::from_slug(&scope.status).ok_or("unknown status")).context("withdrawing")?;
    let Ok(to) = from.after(Move::Withdraw, Role::Resident) else {
        // Already decided or withdrawn (another tab, the office): show where it stands.
        return Ok(Redirect::to("/lacak/permohonan").into_response());
    };
    let today = super::db::office_today(state.config.utc_offset_hours);
    let action = match Action::parse(Move::Withdraw, &pairs, today, today) {
        Ok(action) => action,
        // Only a note that cannot be kept can fail here; withdraw without it.
        Err(_) => Action::Withdraw { note: None },
    };
    match casework::resident_move(pool, id, from, to, &action, state.config.utc_offset_hours).await {
        Ok(()) | Err(MoveConflict::StatusChanged) | Err(MoveConflict::ClaimedByOther) => {
            tracing::info!(application = id, "application withdrawn by the resident");
            Ok(Redirect::to("/lacak/permohonan").into_response())
        }
        Err(MoveConflict::Db(e)) => Err(Refusal::internal(&e, "withdrawing an application")),
    }
}

/// What the tracking pages show for the session in `headers`.
pub async fn page_data(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<TrackingOutcome, AppError> {
    let pool = state.db.pool();
    let doing = "showing a tracked application";
    let failed = |e: sqlx::Error| AppError::internal(&e, doing);
    let Some(token) = session_from(headers) else { return Ok(TrackingOutcome::NotOpen) };
    let Some(opened) = db::session(pool, &token).await.map_err(failed)? else { return Ok(TrackingOutcome::NotOpen) };
    let Some(id) = opened.application_id else { return Ok(TrackingOutcome::NotOpen) };
    let Some(Looking { row, viewer, shared }) = looking(pool, &opened, id).await.map_err(failed)? else { return Ok(TrackingOutcome::NotOpen) };
    let status = super::db::parse_column("status", Status::from_slug(&row.status).ok_or("unknown status")).map_err(failed)?;
    let offset = state.config.utc_offset_hours;
    let applied_by = applied_by(&row.applicant);
    let details = viewer.sees(Part::Details);
    let lines: Vec<TrackingLine> = casework::history(pool, id)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|h| {
            let by = match h.actor.as_str() {
                "online" => TrackedActor::Online,
                "service_point" => TrackedActor::Counter,
                "resident" => TrackedActor::Resident,
                _ => TrackedActor::Office(h.actor_role.as_deref().and_then(Role::from_slug)),
            };
            let action = h.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok()).map(|a| match a {
                // The visit's findings are the assessor's working notes, not a message.
                Action::RecordAssessment { visit_date, recommendation, .. } => {
                    Action::RecordAssessment { visit_date, findings: String::new(), recommendation }
                }
                other => other,
            });
            // Without the details (who applied for someone else): the visit is not shown at
            // all, and of what a step carried only what is asked of them.
            if !details && matches!(action, Some(Action::RecordAssessment { .. })) {
                return None;
            }
            let action = action.filter(|a| details || matches!(a, Action::RequestCorrection { .. }));
            Some(TrackingLine { at: office_time(&h.at, offset), status: Status::from_slug(&h.to_status)?, by, action })
        })
        .collect();
    let asked = if status == Status::NeedsCorrection {
        lines.iter().rev().find_map(|l| match &l.action {
            Some(Action::RequestCorrection { items, note, documents }) => Some((items.clone(), note.clone(), documents.clone())),
            _ => None,
        })
    } else {
        None
    };
    let correction = asked.as_ref().map(|(items, note, _)| (items.clone(), note.clone()));
    // Only the documents the verifier named may be replaced.
    let mut documents_to_replace = Vec::new();
    if let Some((items, _, named)) = &asked {
        let since = db::correction_asked_at(pool, id).await.map_err(failed)?.unwrap_or_default();
        let held: Vec<(crate::domain::DocumentKind, bool)> = db::documents(pool, id, &since)
            .await
            .map_err(failed)?
            .into_iter()
            .filter_map(|(kind, replaced)| Some((crate::domain::DocumentKind::from_slug(&kind)?, replaced)))
            .collect();
        let kinds: Vec<_> = held.iter().map(|(k, _)| *k).collect();
        let replaceable = crate::domain::correction::replaceable(items, named, &kinds);
        documents_to_replace = held.into_iter().filter(|(k, _)| replaceable.contains(k)).collect();
    }
    let fixable_here = correction.as_ref().is_some_and(|(items, _)| crate::domain::correction::fixable_online(items));
    let mut answers_to_fix = Vec::new();
    if let (Some((items, _)), true) = (&correction, fixable_here) {
        let since = db::correction_asked_at(pool, id).await.map_err(failed)?.unwrap_or_default();
        let fixed = db::answers_fixed_since(pool, id, &since).await.map_err(failed)?;
        for step in items.iter().filter(|s| **s != crate::domain::apply::Step::Documents) {
            let values: Vec<(String, String)> = crate::domain::correction::AnswerFix::fields(*step)
                .iter()
                .map(|name| {
                    use crate::domain::apply::{address_fields, need_fields};
                    use crate::domain::person::PersonField;
                    let value = match *name {
                        n if n == PersonField::Phone.name() => row.phone.clone(),
                        n if n == PersonField::Email.name() => row.email.clone().unwrap_or_default(),
                        address_fields::STREET => row.street.clone(),
                        address_fields::RT => row.rt.clone(),
                        address_fields::RW => row.rw.clone(),
                        need_fields::DESCRIPTION => row.description.clone(),
                        _ => String::new(),
                    };
                    (name.to_string(), value)
                })
                .collect();
            answers_to_fix.push((*step, fixed.iter().any(|f| f == step.slug()), values));
        }
    }
    let dispute = super::complaints::dispute_view(state, id).await.map_err(failed)?;
    Ok(TrackingOutcome::Found(Box::new(TrackingData {
        number: RegistrationNumber::display_stored(row.registration_number),
        status,
        program: lang.pick(row.program_name_id, row.program_name_en),
        submitted_on: office_date_text(&row.submitted_at, state.config.utc_offset_hours),
        decision_due: row.decision_due,
        lines,
        correction,
        documents_to_replace,
        answers_to_fix,
        fixable_here,
        can_withdraw: status.after(Move::Withdraw, Role::Resident).is_ok(),
        dispute_until: match &dispute {
            Some(_) => None,
            None => super::complaints::dispute_until(state, id, status).await.map_err(failed)?.map(|d| d.to_string()),
        },
        dispute,
        from_list: opened.holder().is_some(),
        viewer,
        applied_by: applied_by.filter(|_| viewer.sees(Part::PersonalData)),
        shared_with_applicant: shared,
        restricted_since: db::restricted_since(pool, id).await.map_err(failed)?.map(|at| office_date_text(&at, offset)),
        consent_withdrawn: db::consent_withdrawn(pool, id).await.map_err(failed)?,
        letters: if viewer.sees(Part::Details) { crate::server::letters::kinds(pool, id).await.map_err(failed)? } else { Vec::new() },
    })))
}

/// Who applied for the person, if someone else did (the application's `applicant` JSON).
pub(crate) fn applied_by(applicant: &str) -> Option<String> {
    match serde_json::from_str::<crate::domain::apply::Who>(applicant) {
        Ok(crate::domain::apply::Who::SomeoneElse { applicant_name, .. }) => Some(applicant_name.as_str().to_string()),
        _ => None,
    }
}

/// The tracked application and who is looking at it.
pub(crate) struct Looking {
    pub row: casework::CaseRow,
    pub viewer: Viewer,
    /// Whether the person lets the one who applied for them see the details.
    pub shared: bool,
}

/// Who is looking (`domain::disclosure`): a list session was opened by the person's own
/// email or phone; a number and PIN by whoever holds the receipt. `None` when the
/// application is gone.
pub(crate) async fn looking(pool: &sqlx::AnyPool, opened: &db::Opened, id: i64) -> Result<Option<Looking>, sqlx::Error> {
    let Some(row) = casework::find(pool, id).await? else { return Ok(None) };
    let shared = db::shared_with_applicant(pool, id).await?;
    let opening = if opened.holder().is_some() { Opening::OwnContact } else { Opening::NumberAndPin };
    let viewer = Viewer::of(applied_by(&row.applicant).is_some(), opening, shared);
    Ok(Some(Looking { row, viewer, shared }))
}

