//! The program catalogue as residents see it.

use crate::domain::{DocumentKind, ProgramCode, WorkingDays};
use crate::error::AppError;
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One open program, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSummary {
    pub code: ProgramCode,
    pub name: String,
    pub summary: String,
    /// PPKS categories the program serves, by name.
    pub serves: Vec<String>,
    pub documents: Vec<DocumentKind>,
    pub deadline: WorkingDays,
}

/// Programs open for applications. Public: the catalogue is no secret.
#[server(endpoint = "programs/active")]
pub async fn active_programs(lang: Lang) -> Result<Vec<ProgramSummary>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::catalogue::active(&state, lang)
        .await
        .map_err(|e| AppError::internal(&e, "listing active programs"))
}
