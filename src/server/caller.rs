//! Who is calling. The staff session is looked up once per request, by [`find_staff`] (a
//! layer on every route), and kept in the request's extensions; handlers take the caller as
//! an argument — [`StaffMember`], or a narrower [`Administrator`], [`CaseWorker`] — and a
//! page's loader reads the same value ([`signed_in`]). Without a session the answer is the
//! sign-in page; with one but the wrong role, 403.

use super::auth::{self, StaffMember};
use super::refusal::Refusal;
use super::state::AppState;
use crate::domain::workflow::Role;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What [`find_staff`] found for this request: the member, nobody, or a failure to look
/// (its log reference).
#[derive(Clone, Debug)]
pub struct Caller(Result<Option<StaffMember>, String>);

impl Caller {
    pub fn staff(&self) -> Result<Option<&StaffMember>, Refusal> {
        self.0.as_ref().map(Option::as_ref).map_err(|reference| Refusal::Internal { reference: reference.clone() })
    }

    /// For a page rendered in answer to a post: the member the post was made by.
    pub fn of(member: &StaffMember) -> Self {
        Caller(Ok(Some(member.clone())))
    }
}

/// Staff pages (`/petugas/…` but sign-in and the password link) that need a live session.
fn is_staff_page(method: &Method, path: &str) -> bool {
    method == Method::GET && (path == "/petugas" || path.starts_with("/petugas/")) && path != "/petugas/masuk" && path != "/petugas/sandi"
}

/// The layer: looks the session up (when the request carries one) and keeps what it found;
/// a staff page without a live session goes to sign-in before anything is rendered.
pub async fn find_staff(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // The wasm, scripts and styles a staff browser fetches need no session (and cost none).
    if super::http::is_static_file(request.uri().path()) {
        return next.run(request).await;
    }
    let found = match auth::session_from(request.headers()) {
        None => Ok(None),
        Some(token) => auth::current(state.db.pool(), &token)
            .await
            .map_err(|e| crate::error::AppError::internal(&e, "checking a staff session").reference().to_string()),
    };
    let found = Caller(found);
    if is_staff_page(request.method(), request.uri().path()) {
        match found.staff() {
            Ok(Some(_)) => {}
            Ok(None) => return Refusal::SignIn.into_response(),
            Err(refusal) => return refusal.into_response(),
        }
    }
    let staff_browser = matches!(found.staff(), Ok(Some(_)));
    request.extensions_mut().insert(found);
    let mut response = next.run(request).await;
    // A signed-in browser is a counter's: the journey pages it shows are walk-in residents',
    // and its service worker keeps no copy of them (public/sw.js).
    if staff_browser {
        response.headers_mut().insert(super::http::STAFF_BROWSER, axum::http::HeaderValue::from_static("1"));
    }
    response
}

/// The caller as [`find_staff`] left it; looked up here only for a router without that layer.
async fn caller(parts: &Parts, state: &AppState) -> Result<StaffMember, Refusal> {
    if let Some(found) = parts.extensions.get::<Caller>() {
        return found.staff()?.cloned().ok_or(Refusal::SignIn);
    }
    auth::member_from(state.db.pool(), &parts.headers).await.map_err(|e| Refusal::internal(&e, "checking a staff session"))?.ok_or(Refusal::SignIn)
}

impl FromRequestParts<AppState> for StaffMember {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        caller(parts, state).await
    }
}

/// `Option<StaffMember>`: a resident-side handler that also serves an officer (the counter).
impl axum::extract::OptionalFromRequestParts<AppState> for StaffMember {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Refusal> {
        match caller(parts, state).await {
            Ok(me) => Ok(Some(me)),
            Err(Refusal::SignIn) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// A signed-in administrator.
pub struct Administrator(pub StaffMember);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let me = caller(parts, state).await?;
        if !me.has(Role::Administrator) {
            tracing::warn!(staff = me.id, "refused an administrative request by someone who is not an administrator");
            return Err(Refusal::Forbidden);
        }
        Ok(Administrator(me))
    }
}

/// A signed-in staff member who works applications (front desk, verifier, assessor,
/// supervisor): the areas still decide which.
pub struct CaseWorker(pub StaffMember);

impl FromRequestParts<AppState> for CaseWorker {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let me = caller(parts, state).await?;
        if !me.works_cases() {
            tracing::warn!(staff = me.id, "refused casework by someone whose roles do not work applications");
            return Err(Refusal::Forbidden);
        }
        Ok(CaseWorker(me))
    }
}

/// The signed-in staff member of the page being rendered or the server function being
/// called: Leptos puts the request's parts in their context, and with them what
/// [`find_staff`] found. (Looked up here only when no layer did.)
pub async fn signed_in() -> Result<Option<StaffMember>, crate::error::AppError> {
    use crate::error::AppError;
    let parts = leptos::prelude::use_context::<Parts>();
    match parts.as_ref().map(|p| (p.extensions.get::<Caller>(), &p.headers)) {
        Some((Some(Caller(found)), _)) => found.clone().map_err(|reference| AppError::Internal { reference }),
        Some((None, headers)) => {
            let state = super::state::app_state()?;
            auth::member_from(state.db.pool(), headers).await.map_err(|e| AppError::internal(&e, "checking a staff session"))
        }
        None => Ok(None),
    }
}
