//! Administration's data (`/petugas/admin`, administrators only). Loaders are server-side
//! functions like the other staff pages'; the form posts are handled in `server::admin`.

use crate::domain::admin::AdminProblem;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// What an administration page shows, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminOutcome<T> {
    SignedOut,
    NotForYou,
    Ready(T),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramListLine {
    pub code: String,
    pub name: String,
    pub deadline: i64,
    pub in_check: bool,
    pub active: bool,
}

/// The program form: the PPKS categories to choose from and the program's current values
/// as form fields (empty for a new one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramFormData {
    /// `None` for a new program.
    pub code: Option<String>,
    pub name: String,
    pub categories: Vec<(i64, String)>,
    pub values: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub who: String,
    pub subject: String,
    pub key: String,
    pub action: String,
}

/// A message Layan gave up sending (refused for good, or failing for a day), for
/// administrators: the recipient masked, the error without addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMessage {
    pub created_at: String,
    pub failed_at: String,
    pub kind: String,
    pub event: String,
    pub recipient: String,
    pub attempts: i64,
    pub error: String,
}

/// One month's text messages of one kind, for administrators (what the office pays for).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsUsageLine {
    pub month: String,
    pub event: String,
    pub sent: i64,
    pub segments: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// An application whose personal data is restricted (consent withdrawn): the number only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictedLine {
    pub id: i64,
    pub number: String,
    pub since: String,
    pub whose: String,
}

/// The breach notice page: what can be chosen, and the notices so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachPage {
    pub areas: Vec<(String, String)>,
    pub service_points: Vec<(i64, String)>,
    pub notices: Vec<BreachLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachLine {
    pub id: i64,
    pub selection: String,
    pub message: String,
    pub prepared: String,
    pub state: BreachState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BreachState {
    /// Not yet confirmed: whom it reaches now; `mine`: prepared by the caller, who cannot confirm it.
    Waiting { applications: i64, emails: i64, phones: i64, sms_parts: i64, mine: bool },
    Sent { at: String, by: String, applications: i64, emails: i64, texts: i64 },
    Cancelled { at: String },
}

/// A refused administration form, for the page rendered in answer to its post: what was
/// typed and what is wrong, field by field.
pub type AdminRefused = crate::error::Refused<AdminProblem>;

#[cfg(feature = "ssr")]
async fn administrator() -> Result<Option<Result<crate::server::auth::StaffMember, ()>>, AppError> {
    let Some(me) = crate::api::staff::signed_in().await? else {
        leptos_axum::redirect("/petugas/masuk");
        return Ok(None);
    };
    Ok(Some(if me.has(crate::domain::workflow::Role::Administrator) { Ok(me) } else { Err(()) }))
}

/// Runs `load` for a signed-in administrator.
#[cfg(feature = "ssr")]
async fn for_administrator<T, F, Fut>(load: F) -> Result<AdminOutcome<T>, AppError>
where
    F: FnOnce(crate::server::state::AppState) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    match administrator().await? {
        None => Ok(AdminOutcome::SignedOut),
        Some(Err(())) => Ok(AdminOutcome::NotForYou),
        Some(Ok(_)) => Ok(AdminOutcome::Ready(load(crate::server::state::app_state()?).await?)),
    }
}

crate::api::loader! {
    pub async fn admin_programs() -> Result<AdminOutcome<Vec<ProgramListLine>>, AppError> {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move { crate::server::admin::program_list(&state, lang).await }).await
    }
}

crate::api::loader! {
    pub async fn admin_program(code: Option<String>) -> Result<AdminOutcome<Option<ProgramFormData>>, AppError> {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move { crate::server::admin::program_form(&state, code.as_deref(), lang).await }).await
    }
}

crate::api::loader! {
    pub async fn admin_failed_messages() -> Result<AdminOutcome<Vec<FailedMessage>>, AppError> {
        for_administrator(|state| async move {
            crate::server::notify::failed_messages(&state, 200).await.map_err(|e| AppError::internal(&e, "reading failed messages"))
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_sms_usage() -> Result<AdminOutcome<Vec<SmsUsageLine>>, AppError> {
        for_administrator(|state| async move {
            let rows = crate::server::db::outbox::usage(state.db.pool(), 24).await.map_err(|e| AppError::internal(&e, "reading SMS costs"))?;
            Ok(rows
                .into_iter()
                .map(|u| SmsUsageLine { month: u.month, event: u.event, sent: u.sent, segments: u.segments, delivered: u.delivered, failed: u.failed })
                .collect())
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_restricted() -> Result<AdminOutcome<Vec<RestrictedLine>>, AppError> {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move { crate::server::admin::restricted_list(&state, lang).await }).await
    }
}

crate::api::loader! {
    pub async fn admin_breach() -> Result<AdminOutcome<BreachPage>, AppError> {
        let lang = crate::i18n::detect_lang();
        match administrator().await? {
            None => Ok(AdminOutcome::SignedOut),
            Some(Err(())) => Ok(AdminOutcome::NotForYou),
            Some(Ok(me)) => Ok(AdminOutcome::Ready(crate::server::breach::page(&crate::server::state::app_state()?, &me, lang).await?)),
        }
    }
}

crate::api::loader! {
    pub async fn admin_holidays() -> Result<AdminOutcome<Vec<(String, String)>>, AppError> {
        for_administrator(|state| async move {
            crate::server::db::admin::holidays(state.db.pool()).await.map_err(|e| AppError::internal(&e, "reading holidays"))
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_history() -> Result<AdminOutcome<Vec<HistoryLine>>, AppError> {
        for_administrator(|state| async move {
            let lines = crate::server::db::admin::history(state.db.pool(), 200).await.map_err(|e| AppError::internal(&e, "reading the history"))?;
            Ok(lines
                .into_iter()
                .map(|l| HistoryLine { at: l.at, who: l.who.unwrap_or_default(), subject: l.subject, key: l.subject_key, action: l.action })
                .collect())
        })
        .await
    }
}

/// A category's or service point's form: its code when editing, its name, its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditFormData {
    pub code: Option<String>,
    pub name: String,
    pub values: Vec<(String, String)>,
}

crate::api::loader! {
    /// `(code, name, active)` of every PPKS category.
    pub async fn admin_categories() -> Result<AdminOutcome<Vec<(i64, String, bool)>>, AppError> {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move {
            let rows = crate::server::db::admin::categories(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing categories"))?;
            Ok(rows.into_iter().map(|(code, id, en, active)| (code, lang.pick(id, en), active)).collect())
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_category(code: Option<String>) -> Result<AdminOutcome<Option<EditFormData>>, AppError> {
        for_administrator(|state| async move {
            let Some(code) = code else {
                return Ok(Some(EditFormData { code: None, name: String::new(), values: vec![("aktif".into(), "ya".into())] }));
            };
            let Ok(number) = code.parse::<i64>() else { return Ok(None) };
            let found = crate::server::db::admin::category(state.db.pool(), number).await.map_err(|e| AppError::internal(&e, "reading a category"))?;
            Ok(found.map(|c| EditFormData { code: Some(code), name: c.name_id.clone(), values: c.to_pairs() }))
        })
        .await
    }
}

crate::api::loader! {
    /// `(code, name, village, active)` of every service point.
    pub async fn admin_service_points() -> Result<AdminOutcome<Vec<(String, String, String, bool)>>, AppError> {
        for_administrator(|state| async move {
            crate::server::db::admin::service_points(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing service points"))
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_service_point(code: Option<String>) -> Result<AdminOutcome<Option<EditFormData>>, AppError> {
        for_administrator(|state| async move {
            let Some(code) = code else {
                return Ok(Some(EditFormData { code: None, name: String::new(), values: vec![("aktif".into(), "ya".into())] }));
            };
            let found = crate::server::db::admin::service_point(state.db.pool(), &code).await.map_err(|e| AppError::internal(&e, "reading a service point"))?;
            Ok(found.map(|p| EditFormData { code: Some(code), name: p.name.clone(), values: p.to_pairs() }))
        })
        .await
    }
}

/// A refused new password, for the page rendered in answer to its post.
#[derive(Clone, Debug)]
pub struct PasswordRefused(pub &'static str);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffListLine {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<crate::domain::workflow::Role>,
    pub active: bool,
}

/// The staff form: what it offers and the account's values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFormData {
    /// `None` for a new account.
    pub id: Option<i64>,
    pub full_name: String,
    pub active: bool,
    pub areas: Vec<(String, String)>,
    pub service_points: Vec<(i64, String)>,
    pub values: Vec<(String, String)>,
}

crate::api::loader! {
    pub async fn admin_staff_list() -> Result<AdminOutcome<Vec<StaffListLine>>, AppError> {
        for_administrator(|state| async move {
            let lines = crate::server::db::admin::staff_list(state.db.pool()).await.map_err(|e| AppError::internal(&e, "listing staff"))?;
            Ok(lines
                .into_iter()
                .map(|l| StaffListLine {
                    id: l.id,
                    username: l.username,
                    full_name: l.full_name,
                    roles: l.roles.unwrap_or_default().split(',').filter_map(crate::domain::workflow::Role::from_slug).collect(),
                    active: l.active_flag != 0,
                })
                .collect())
        })
        .await
    }
}

crate::api::loader! {
    pub async fn admin_staff(id: Option<String>) -> Result<AdminOutcome<Option<StaffFormData>>, AppError> {
        for_administrator(|state| async move {
            let doing = "reading a staff account";
            let (areas, service_points) = crate::server::admin::staff_choices(&state).await.map_err(|e| AppError::internal(&e, doing))?;
            let Some(id) = id else {
                return Ok(Some(StaffFormData { id: None, full_name: String::new(), active: true, areas, service_points, values: Vec::new() }));
            };
            let Ok(id) = id.parse::<i64>() else { return Ok(None) };
            let found = crate::server::db::admin::staff_account(state.db.pool(), id).await.map_err(|e| AppError::internal(&e, doing))?;
            Ok(found.map(|account| StaffFormData {
                id: Some(id),
                full_name: account.full_name.clone(),
                active: account.active,
                areas,
                service_points,
                values: account.to_pairs(),
            }))
        })
        .await
    }
}

crate::api::loader! {
    /// The username a password link is for, if the link is live (anyone holding it may ask).
    pub async fn password_link(token: Option<String>) -> Result<Option<String>, AppError> {
        let Some(token) = token.as_deref().and_then(crate::server::token::SecretToken::parse) else { return Ok(None) };
        let state = crate::server::state::app_state()?;
        let owner = crate::server::db::admin::password_link_owner(state.db.pool(), &token.hash())
            .await
            .map_err(|e| AppError::internal(&e, "reading a password link"))?;
        Ok(owner.map(|(_, username)| username))
    }
}
