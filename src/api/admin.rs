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

/// A refused administration form, for the page rendered in answer to its post: what was
/// typed and what is wrong, field by field.
#[derive(Clone, Debug)]
pub struct AdminRefused {
    pub values: Vec<(String, String)>,
    pub problems: Vec<(&'static str, AdminProblem)>,
}

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

pub async fn admin_programs() -> Result<AdminOutcome<Vec<ProgramListLine>>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move { crate::server::admin::program_list(&state, lang).await }).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::server_only())
    }
}

pub async fn admin_program(code: Option<String>) -> Result<AdminOutcome<Option<ProgramFormData>>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let lang = crate::i18n::detect_lang();
        for_administrator(|state| async move { crate::server::admin::program_form(&state, code.as_deref(), lang).await }).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = code;
        Err(AppError::server_only())
    }
}

pub async fn admin_holidays() -> Result<AdminOutcome<Vec<(String, String)>>, AppError> {
    #[cfg(feature = "ssr")]
    {
        for_administrator(|state| async move {
            crate::server::db::admin::holidays(state.db.pool()).await.map_err(|e| AppError::internal(&e, "reading holidays"))
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::server_only())
    }
}

pub async fn admin_history() -> Result<AdminOutcome<Vec<HistoryLine>>, AppError> {
    #[cfg(feature = "ssr")]
    {
        for_administrator(|state| async move {
            let lines = crate::server::db::admin::history(state.db.pool(), 200).await.map_err(|e| AppError::internal(&e, "reading the history"))?;
            Ok(lines
                .into_iter()
                .map(|l| HistoryLine { at: l.at, who: l.who.unwrap_or_default(), subject: l.subject, key: l.subject_key, action: l.action })
                .collect())
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::server_only())
    }
}
