//! The one way a handler says no: `-> Result<Response, Refusal>`, with `?`.
//!
//! A refusal is one of a few kinds (sign in, not yours, no such thing, a form that does not
//! read, our own failure with its log reference). It becomes a response here; the words are
//! put in by [`word_refusals`], the layer that knows the reader's language, so a handler or an
//! extractor can refuse without having looked the language up. Refusals a person can fix on a
//! form (what was typed, what is wrong) are not these: they are the page shown again at 422.

use crate::error::{AppError, Refused, StaffError};
use crate::i18n::Lang;
use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No live staff session: to the sign-in page.
    SignIn,
    /// Not open here (no tracking session, nothing waiting for this form): to the page that
    /// says where things stand (303).
    SeeOther(&'static str),
    /// Signed in, but not for this role or area (403).
    Forbidden,
    /// No such thing — or one the caller may not know exists (404).
    NotFound,
    /// A request whose form does not read (400).
    BadForm,
    /// The resident's draft was changed by another request since this one read it (409):
    /// nothing was changed by this one.
    DraftChanged,
    /// Something on our side failed; the cause is in the log under this reference (500).
    Internal { reference: String },
}

impl Refusal {
    /// Logs an unexpected failure with its cause chain (see [`AppError::internal`]).
    pub fn internal(error: &(dyn std::error::Error + 'static), doing: &str) -> Self {
        Refusal::Internal { reference: AppError::internal(error, doing).reference().to_string() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::SignIn | Refusal::SeeOther(_) => StatusCode::SEE_OTHER,
            Refusal::Forbidden => StatusCode::FORBIDDEN,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::BadForm => StatusCode::BAD_REQUEST,
            Refusal::DraftChanged => StatusCode::CONFLICT,
            Refusal::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the reader is told, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        match self {
            Refusal::SignIn | Refusal::SeeOther(_) => String::new(),
            Refusal::Forbidden => lang.staff().forbidden.to_string(),
            Refusal::NotFound => t.not_found_title.to_string(),
            Refusal::BadForm => t.request_incomplete.to_string(),
            Refusal::DraftChanged => t.apply.draft_changed.to_string(),
            Refusal::Internal { reference } => (t.load_failed)(reference),
        }
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        match e {
            AppError::DraftChanged => Refusal::DraftChanged,
            // `AppError::internal` has logged it already.
            other => Refusal::Internal { reference: other.reference().to_string() },
        }
    }
}

/// The response carries the refusal until [`word_refusals`] writes it out.
#[derive(Clone)]
struct Unworded(Refusal);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::SignIn => return Redirect::to("/petugas/masuk").into_response(),
            Refusal::SeeOther(page) => return Redirect::to(page).into_response(),
            _ => {}
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Unworded(self));
        response
    }
}

/// The layer that puts a refusal into words, in the language of the request it answers.
pub async fn word_refusals(request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<Unworded>() {
        Some(Unworded(refusal)) => super::http::plain_text(refusal.status(), refusal.message(lang)),
        None => response,
    }
}

impl Refusal {
    /// The same refusal as a staff server function's error, its status set on the answer.
    pub fn into_staff_error<P>(self) -> StaffError<P> {
        set_status(match &self {
            Refusal::SignIn | Refusal::SeeOther(_) => StatusCode::UNAUTHORIZED,
            other => other.status(),
        });
        match self {
            Refusal::SignIn | Refusal::SeeOther(_) => StaffError::SignIn,
            Refusal::Forbidden => StaffError::Forbidden,
            Refusal::NotFound => StaffError::NotFound,
            Refusal::BadForm | Refusal::DraftChanged => StaffError::BadRequest,
            Refusal::Internal { reference } => StaffError::Internal { reference },
        }
    }
}

/// The status of a server function's answer (Leptos applies it after the function returns).
fn set_status(status: StatusCode) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(status);
    }
}

/// An operation that was not done: its form refused (shown again with the status: 422 for
/// what was typed, 409 for a conflict, 403 for a role), or refused outright.
#[derive(Debug)]
pub enum Declined<P> {
    Form(Refused<P>, StatusCode),
    Refusal(Refusal),
}

impl<P> From<Refusal> for Declined<P> {
    fn from(r: Refusal) -> Self {
        Declined::Refusal(r)
    }
}

impl<P> Declined<P> {
    /// As a staff server function's error (the JSON side of the operation).
    pub fn into_staff_error(self) -> StaffError<P> {
        match self {
            Declined::Form(refused, status) => {
                set_status(status);
                StaffError::Refused(refused)
            }
            Declined::Refusal(r) => r.into_staff_error(),
        }
    }
}

/// `.context("what we were doing")?`: an unexpected failure becomes a logged [`Refusal`].
pub trait Context<T> {
    fn context(self, doing: &str) -> Result<T, Refusal>;
}

impl<T, E: std::error::Error + 'static> Context<T> for Result<T, E> {
    fn context(self, doing: &str) -> Result<T, Refusal> {
        self.map_err(|e| Refusal::internal(&e, doing))
    }
}

/// The reader's language (cookie, then `Accept-Language`), as a handler argument.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_headers(&parts.headers))
    }
}

/// A form body, or [`Refusal::BadForm`] when it does not read.
pub struct FormPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormPairs {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Refusal> {
        match axum::Form::<Vec<(String, String)>>::from_request(request, state).await {
            Ok(axum::Form(pairs)) => Ok(FormPairs(pairs)),
            Err(_) => Err(Refusal::BadForm),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_status_and_words() {
        assert_eq!(Refusal::Forbidden.status(), StatusCode::FORBIDDEN);
        assert_eq!(Refusal::SignIn.into_response().headers()["location"], "/petugas/masuk");
        let internal = Refusal::Internal { reference: "abcd1234".into() };
        assert!(internal.message(Lang::Id).contains("abcd1234"));
        assert_ne!(Refusal::NotFound.message(Lang::Id), Refusal::NotFound.message(Lang::En));
    }
}
