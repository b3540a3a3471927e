//! The staff side's entry: sign-in and sign-out (plain form posts), the start page, the
//! queues and claiming an item in them.

use super::auth::{self, SignIn, StaffMember};
use super::refusal::{Context as _, Refusal};
use super::state::AppState;
use crate::api::casework::{ClaimForm, Claimed};
use crate::api::staff::{FilterChoices, QUEUE_PAGE_SIZE, QueueLine, QueuePageData, SignInRefused, StaffHomeData};
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::{Claim, Queue, QueueFilter, Role};
use crate::error::AppError;
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
#[tracing::instrument(name = "claim", skip_all, fields(staff = me.id, application = form.id, claim))]
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

/// The staff start page: who they are and the work in their areas.
pub async fn home(state: &AppState, me: StaffMember) -> Result<StaffHomeData, AppError> {
    let doing = "counting the work in a staff member's areas";
    let failed = |e: sqlx::Error| AppError::internal(&e, doing);
    let pool = state.db.pool();
    let mut areas = Vec::new();
    for code in &me.areas {
        areas.extend(super::db::regions::name(pool, code).await.map_err(failed)?);
    }
    let today = super::db::office_today(state.config.utc_offset_hours);
    let counts = super::db::queues::counts(pool, &me.areas, &QueueFilter::default(), today).await.map_err(failed)?;
    let counters = if me.has(Role::FrontDesk) { super::db::service_points::of_staff(pool, me.id).await.map_err(failed)? } else { Vec::new() };
    let handles_complaints = crate::domain::complaint::ComplaintKind::ALL.iter().any(|k| k.handled_by(&me.roles));
    let open_complaints = match handles_complaints {
        true => Some(super::complaints::open_count(state, &me).await.map_err(failed)?),
        false => None,
    };
    Ok(StaffHomeData { full_name: me.full_name, roles: me.roles, areas, counts, counters, open_complaints })
}

/// A page of one of `me`'s queues, in their areas only: counts, filter choices, lines (NIK
/// masked, claims judged live or lapsed, dates on the office's day).
pub async fn queue_page(
    state: &AppState,
    me: &StaffMember,
    queue: &str,
    after: Option<&str>,
    filter: QueueFilter,
    lang: Lang,
) -> Result<QueuePageData, AppError> {
    use super::db::queues::{self, Cursor};
    let doing = "reading a queue";
    let failed = |e: sqlx::Error| AppError::internal(&e, doing);
    let queue = Queue::from_slug(queue).unwrap_or(Queue::ToVerify);
    let cursor = after.and_then(Cursor::decode);
    let offset = state.config.utc_offset_hours;
    let today = super::db::office_today(offset);
    let pool = state.db.pool();
    let counts = queues::counts(pool, &me.areas, &filter, today).await.map_err(failed)?;
    let mut rows = queues::page(pool, &me.areas, queue, &filter, today, cursor.as_ref(), QUEUE_PAGE_SIZE + 1).await.map_err(failed)?;
    let more = rows.len() as i64 > QUEUE_PAGE_SIZE;
    rows.truncate(QUEUE_PAGE_SIZE as usize);
    let next = if more { rows.last().map(|r| Cursor { key: r.sort_key.clone(), id: r.id }.encode()) } else { None };
    let found = queues::filter_choices(pool, &me.areas).await.map_err(failed)?;
    let choices = FilterChoices {
        programs: found.programs.into_iter().map(|(code, id, en)| (code, lang.pick(id, en))).collect(),
        categories: found.categories.into_iter().map(|(code, id, en)| (code.to_string(), lang.pick(id, en))).collect(),
        districts: found.districts,
        service_points: found.service_points.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
    };
    let today_text = today.to_string();
    let now = super::db::now_utc();
    let lines = rows
        .into_iter()
        .map(|r| {
            let claim = Claim::live(r.claim, &now);
            QueueLine {
                overdue: r.status.is_undecided() && r.decision_due < today_text,
                mine: claim.as_ref().is_some_and(|c| c.is_mine(me.id, &now)),
                id: r.id,
                number: RegistrationNumber::display_stored(r.registration_number),
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
    Ok(QueuePageData { queue, filter, choices, counts, lines, next })
}
