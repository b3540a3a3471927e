//! Staff sign-in and sign-out: plain form posts, like every other form in Layan.

use super::auth::{self, SignIn, StaffMember};
use super::refusal::{Context as _, Refusal};
use super::state::AppState;
use crate::api::casework::{ClaimForm, Claimed};
use crate::api::staff::SignInRefused;
use crate::i18n::Lang;
use axum::extract::State;
use axum::Form;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /petugas/masuk`. The address (for the limits on guessing) is the connection's, or
/// behind a trusted proxy the one it forwards (`http::client_address`).
pub async fn sign_in(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let address = super::http::client_address(&state, connection, &headers);
    let t = Lang::from_headers(&headers).texts();
    let Ok(Form(pairs)) = form else {
        return (StatusCode::BAD_REQUEST, t.request_incomplete).into_response();
    };
    let field = |name: &str| crate::domain::apply::field(&pairs, name).to_string();
    let (username, password) = (field("nama_pengguna"), field("kata_sandi"));
    let outcome = match auth::sign_in(state.db.pool(), &username, &password, &address).await {
        Ok(outcome) => outcome,
        Err(e) => {
            let e = crate::error::AppError::internal(&e, "signing in");
            return (StatusCode::INTERNAL_SERVER_ERROR, (t.load_failed)(e.reference())).into_response();
        }
    };
    match outcome {
        SignIn::Ok { token, .. } => {
            super::http::redirect_with_cookie("/petugas", &auth::session_cookie(&token))
        }
        SignIn::Refused => {
            let refused = SignInRefused { username, throttled: false };
            super::http::render_page(&state, &headers, "/petugas/masuk", refused, StatusCode::UNAUTHORIZED).await
        }
        SignIn::Busy => super::http::busy(Lang::from_headers(&headers)),
        SignIn::Throttled { retry_after } => {
            tracing::warn!("sign-in throttled");
            let refused = SignInRefused { username, throttled: true };
            let page = super::http::render_page(&state, &headers, "/petugas/masuk", refused, StatusCode::TOO_MANY_REQUESTS).await;
            super::http::with_retry_after(page, retry_after)
        }
    }
}

/// `POST /petugas/keluar`: ends the session here and now.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = auth::session_from(&headers) {
        if let Err(e) = auth::sign_out(state.db.pool(), &token).await {
            crate::error::AppError::internal(&e, "signing out");
        }
        // A counter registration begun under this session ends with it: the next person at
        // the counter PC must not find the last resident's NIK. Its files go with the sweep.
        match super::db::drafts::end_walk_ins(state.db.pool(), &token.hash()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(drafts = n, "counter registrations ended at sign-out"),
            Err(e) => {
                crate::error::AppError::internal(&e, "ending counter registrations at sign-out");
            }
        }
    }
    let mut response =
        super::http::redirect_with_cookie("/petugas/masuk", &format!("{}=; Path=/; Max-Age=0; SameSite=Strict; HttpOnly", auth::SESSION_COOKIE));
    if let Ok(value) = HeaderValue::from_str(&super::db::drafts::clear_cookie()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A claim form, or [`Refusal::BadForm`] (no id, a word for a number).
pub struct ClaimPost(ClaimForm);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ClaimPost {
    type Rejection = Refusal;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Refusal> {
        Form::<ClaimForm>::from_request(request, state).await.map(|Form(f)| ClaimPost(f)).map_err(|_| Refusal::BadForm)
    }
}

/// Claims or releases an item: the one implementation behind the queue's and the review
/// page's buttons and the `claim_item` / `release_item` server functions.
pub async fn claim_or_release(state: &AppState, me: &StaffMember, form: &ClaimForm, claim: bool) -> Result<Claimed, Refusal> {
    let pool = state.db.pool();
    super::casework::open_case(pool, me, form.id, "claim").await?;
    if claim {
        super::db::queues::claim(pool, form.id, me.id).await.context("claiming a queue item")?;
    } else {
        super::db::queues::release(pool, form.id, me.id).await.context("releasing a queue item")?;
    }
    let mine = super::db::queues::holder(pool, form.id).await.context("reading a claim")? == Some(me.id);
    let page = if form.kembali.as_deref() == Some("permohonan") {
        format!("/petugas/permohonan/{}", form.id)
    } else {
        let queue = form.daftar.as_deref().and_then(crate::domain::workflow::Queue::from_slug).unwrap_or(crate::domain::workflow::Queue::ToVerify);
        format!("/petugas/antrean?daftar={}", queue.slug())
    };
    Ok(Claimed { mine, page })
}

/// `POST /petugas/antrean/ambil`: the claim button without JavaScript.
pub async fn claim(State(state): State<AppState>, me: StaffMember, ClaimPost(form): ClaimPost) -> Result<Response, Refusal> {
    Ok(Redirect::to(&claim_or_release(&state, &me, &form, true).await?.page).into_response())
}

/// `POST /petugas/antrean/lepas`: the release button without JavaScript.
pub async fn release(State(state): State<AppState>, me: StaffMember, ClaimPost(form): ClaimPost) -> Result<Response, Refusal> {
    Ok(Redirect::to(&claim_or_release(&state, &me, &form, false).await?.page).into_response())
}
