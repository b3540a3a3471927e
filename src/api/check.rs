//! "Which aid fits me". The answers travel in a cookie, never in a URL (a disability is
//! health data), and are read back by the form (to show them again) and by the results.
//! The rules are data on each program, evaluated by `domain::eligibility`.

use crate::api::programs::ProgramSummary;
use crate::domain::eligibility::{CheckAnswers, Question, Reason};
use crate::error::AppError;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The cookie holding the answers for an hour.
pub const CHECK_COOKIE: &str = "layan_cek";

/// What the cookie holds: the answers, and whether the last submission left some out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredCheck {
    pub answers: CheckAnswers,
    pub incomplete: bool,
}

impl StoredCheck {
    /// The cookie value; a leading `!` marks an incomplete submission.
    pub fn to_cookie_value(&self) -> String {
        format!("{}{}", if self.incomplete { "!" } else { "" }, self.answers.encode())
    }

    pub fn from_cookie_value(value: &str) -> Self {
        match value.strip_prefix('!') {
            Some(rest) => StoredCheck { answers: CheckAnswers::decode(rest), incomplete: true },
            None => StoredCheck { answers: CheckAnswers::decode(value), incomplete: false },
        }
    }

    /// Finds the check cookie in a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        crate::cookies::find(header, CHECK_COOKIE).map(Self::from_cookie_value)
    }
}

/// The form as it should be shown again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFormState {
    pub answers: CheckAnswers,
    /// Questions to flag: set only after an incomplete submission.
    pub missing: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramMatch {
    pub program: ProgramSummary,
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckOutcome {
    /// No complete answers yet: send the resident to the questions.
    NotAnswered,
    Answered { matches: Vec<ProgramMatch>, service_points: Vec<ServicePoint> },
}

/// A place to be served in person (Puskesos, SLRT point, the office).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePoint {
    pub name: String,
    pub address: String,
    /// Village, district and regency names.
    pub place: String,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
}

#[cfg(feature = "ssr")]
async fn stored_check() -> Result<Option<StoredCheck>, AppError> {
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
    Ok(crate::cookies::headers(&headers).find_map(StoredCheck::from_cookie_header))
}

crate::api::loader! {
    /// The answers given so far, and what is missing after an incomplete submission.
    /// It only reads back the caller's own cookie.
    pub async fn check_form() -> Result<CheckFormState, AppError> {
        let Some(stored) = stored_check().await? else { return Ok(CheckFormState::default()) };
        let missing = if stored.incomplete { stored.answers.complete().err().unwrap_or_default() } else { Vec::new() };
        Ok(CheckFormState { answers: stored.answers, missing })
    }
}

crate::api::loader! {
    /// The open programs that may fit the caller's answers, each with why.
    pub async fn check_results(lang: Lang) -> Result<CheckOutcome, AppError> {
        let situation = match stored_check().await? {
            Some(stored) if !stored.incomplete => match stored.answers.complete() {
                Ok(situation) => situation,
                Err(_) => return Ok(CheckOutcome::NotAnswered),
            },
            _ => return Ok(CheckOutcome::NotAnswered),
        };
        let state = crate::server::state::app_state()?;
        let doing = "matching programs to the check's answers";
        let rules = crate::server::catalogue::eligibility_rules(&state).await.map_err(|e| AppError::internal(&e, doing))?;
        let programs = crate::server::catalogue::active(&state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
        let matches = programs
            .into_iter()
            .filter_map(|program| {
                let reasons = rules.get(&program.code)?.check(&situation)?;
                Some(ProgramMatch { program, reasons })
            })
            .collect();
        let service_points = crate::server::catalogue::service_points(&state, &situation.province)
            .await
            .map_err(|e| AppError::internal(&e, "listing service points"))?;
        Ok(CheckOutcome::Answered { matches, service_points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::eligibility::AgeGroup;

    #[test]
    fn the_cookie_value_keeps_answers_and_the_incomplete_mark() {
        let stored = StoredCheck {
            answers: CheckAnswers { age: Some(AgeGroup::Child), ..Default::default() },
            incomplete: true,
        };
        let value = stored.to_cookie_value();
        assert_eq!(value, "!usia:anak");
        assert_eq!(StoredCheck::from_cookie_header(&format!("layan_lang=en; {CHECK_COOKIE}={value}")), Some(stored));
        assert_eq!(StoredCheck::from_cookie_header("layan_lang=en"), None);
    }
}
