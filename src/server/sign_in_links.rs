//! Tracking without the number or PIN: a resident who gave an email address asks for a
//! sign-in link, or one who gave a mobile number asks for a code by SMS; used once, it opens
//! the list of that address's (or phone's open) applications and complaints; from the list
//! they open one, in the same tracking session as a number and PIN would, and may give it a
//! new PIN.

use super::db::tracking as db;
use super::limits::Reserved;
use super::refusal::{Context as _, FormPairs, Refusal};
use super::state::AppState;
use super::token::SecretToken;
use super::tracking::{Tracked, session_cookie, session_from};
use crate::domain::apply::field;
use crate::domain::date::office_date_text;
use crate::domain::guessing::SecretKind;
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::Status;
use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /lacak/email`: a sign-in link for every application and complaint of an email
/// address. The answer is the same whether or not the address is known, so the form cannot
/// be used to learn who applied.
pub async fn ask_link(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    use crate::domain::complaint::ComplaintProblem;
    let typed = field(&pairs, "email").trim().chars().take(254).collect::<String>();
    let answer = |problem: Option<ComplaintProblem>, throttled: bool, status: StatusCode| {
        let asked = crate::api::complaints::LinkAsked { email: typed.clone(), problem, throttled };
        let (state, headers) = (state.clone(), headers.clone());
        async move { super::http::render_page(&state, &headers, "/lacak/email", asked, status).await }
    };
    let email = match crate::domain::person::EmailAddress::parse(&typed) {
        Ok(e) if super::mail::deliverable(e.as_str()) => e.as_str().to_lowercase(),
        _ => return Ok(answer(Some(ComplaintProblem::EmailInvalid), false, StatusCode::UNPROCESSABLE_ENTITY).await),
    };
    let address = super::http::client_address(&state, connection, &headers);
    let pool = state.db.pool();
    // Each request counts against the address's budget, so one machine cannot send links to
    // a thousand inboxes, and against the inbox's, known or not, so the answer (429 on the
    // fourth request) never tells whether anyone applied with that address.
    let subject = super::limits::email_subject(&email);
    match super::limits::reserve(pool, SecretKind::Link, &subject, &address).await.context("counting sign-in links")? {
        Reserved::Judge(request) => super::limits::settle(pool, request, false).await.context("recording a sign-in link request")?,
        Reserved::Refused { retry_after } => {
            tracing::warn!("sign-in link requests throttled");
            return Ok(super::http::with_retry_after(answer(None, true, StatusCode::TOO_MANY_REQUESTS).await, retry_after));
        }
    }
    if db::email_known(pool, &email).await.context("looking up an email address")? {
        let token = db::create_link(pool, &email).await.context("queueing a sign-in link")?;
        let message = super::db::outbox::NewMessage {
            key: format!("sign_in:{}", token.hash()),
            kind: super::db::outbox::Kind::SignIn,
            channel: super::db::outbox::Channel::Email,
            application_id: None,
            complaint_id: None,
            recipient: &email,
            event: "sign_in",
            details: Some(token.as_str()),
        };
        super::db::outbox::put(pool, &message).await.context("queueing a sign-in link")?;
        tracing::info!("sign-in link queued");
    }
    Ok(answer(None, false, StatusCode::OK).await)
}

/// `POST /lacak/email/masuk`: uses a sign-in link (once) and opens the list of that address.
/// The link itself opens a page with this button, so a mail scanner that fetches links
/// does not use it up.
pub async fn use_link(State(state): State<AppState>, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let email = match SecretToken::parse(field(&pairs, "token")) {
        Some(token) => db::use_link(pool, &token).await.context("using a sign-in link")?,
        None => None,
    };
    let email = email.ok_or(Refusal::SeeOther("/lacak/email?kedaluwarsa=1"))?;
    let token = db::open_session(pool, &db::Opened { email: Some(email), ..Default::default() }).await.context("opening a tracking session")?;
    Ok(super::http::redirect_with_cookie("/lacak/daftar", &session_cookie(&token)))
}

/// `POST /lacak/buka`: from the list of an email session, open one application or complaint
/// of that address.
pub async fn open_item(State(state): State<AppState>, tracked: Tracked, FormPairs(pairs): FormPairs) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let holder = tracked.opened.holder().ok_or(Refusal::SeeOther("/lacak"))?;
    let application = field(&pairs, "permohonan").parse::<i64>().ok();
    let complaint = field(&pairs, "pengaduan").parse::<i64>().ok();
    let doing = "checking a list session's items";
    let target = match (application, complaint) {
        (Some(id), _) => db::applications_of(pool, holder).await.context(doing)?.iter().any(|a| a.0 == id).then_some((Some(id), None)),
        (None, Some(id)) => db::complaints_of(pool, holder).await.context(doing)?.iter().any(|c| c.0 == id).then_some((None, Some(id))),
        (None, None) => None,
    };
    // Not this address's: back to its own list.
    let target = target.ok_or(Refusal::SeeOther("/lacak/daftar"))?;
    db::focus(pool, &tracked.token, target.0, target.1).await.context("opening an item of an email session")?;
    Ok(Redirect::to(if target.0.is_some() { "/lacak/permohonan" } else { "/lacak/pengaduan" }).into_response())
}

/// The list an email session opens.
pub async fn email_list(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<crate::api::complaints::EmailListOutcome, AppError> {
    use crate::api::complaints::*;
    use crate::domain::complaint::{ComplaintKind, ComplaintStatus};
    let pool = state.db.pool();
    let failed = |e: sqlx::Error| AppError::internal(&e, "listing an email's applications");
    let Some(token) = session_from(headers) else { return Ok(EmailListOutcome::NotOpen) };
    let Some(opened) = db::session(pool, &token).await.map_err(failed)? else { return Ok(EmailListOutcome::NotOpen) };
    let Some(holder) = opened.holder() else { return Ok(EmailListOutcome::NotOpen) };
    let offset = state.config.utc_offset_hours;
    let day = |at: &str| office_date_text(at, offset);
    let applications = db::applications_of(pool, holder)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|(id, number, status, name_id, name_en, submitted)| {
            Some(ListedApplication {
                id,
                number: RegistrationNumber::display_stored(number),
                status: Status::from_slug(&status)?,
                program: lang.pick(name_id, name_en),
                submitted_on: day(&submitted),
            })
        })
        .collect();
    let complaints = db::complaints_of(pool, holder)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|(id, number, kind, status, received)| {
            Some(ListedComplaint {
                id,
                number: RegistrationNumber::display_stored(number),
                kind: ComplaintKind::from_slug(&kind)?,
                status: ComplaintStatus::from_slug(&status)?,
                received_on: day(&received),
            })
        })
        .collect();
    Ok(EmailListOutcome::Found(EmailList { applications, complaints }))
}

/// `POST /lacak/telepon`: a code by SMS to a mobile number that is on an open application or
/// complaint. The page and the work are the same whether or not it is (a code is made and
/// kept either way; only the message depends on it), so the form cannot be used to learn
/// who applied; each phone gets at most three codes per 15 minutes from anyone.
pub async fn ask_code(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    use crate::api::complaints::CodeStage;
    let typed = field(&pairs, "telepon").trim().chars().take(32).collect::<String>();
    let answer = |stage: CodeStage, status: StatusCode| code_page(&state, &headers, &typed, stage, status);
    let Ok(phone) = crate::domain::person::PhoneNumber::parse(&typed) else {
        return Ok(answer(CodeStage::PhoneInvalid, StatusCode::UNPROCESSABLE_ENTITY).await);
    };
    let address = super::http::client_address(&state, connection, &headers);
    let pool = state.db.pool();
    let subject = phone_subject(phone.as_str());
    match super::limits::reserve(pool, SecretKind::Link, &subject, &address).await.context("counting phone codes")? {
        Reserved::Judge(request) => super::limits::settle(pool, request, false).await.context("recording a phone code request")?,
        Reserved::Refused { retry_after } => {
            tracing::warn!("phone code requests throttled");
            return Ok(super::http::with_retry_after(answer(CodeStage::Throttled, StatusCode::TOO_MANY_REQUESTS).await, retry_after));
        }
    }
    let holder = db::Holder::Phone(phone.as_str());
    let doing = "sending a code by SMS";
    let numbers: Vec<String> = db::applications_of(pool, holder)
        .await
        .context(doing)?
        .into_iter()
        .map(|a| a.1)
        .chain(db::complaints_of(pool, holder).await.context(doing)?.into_iter().map(|c| c.1))
        .map(RegistrationNumber::display_stored)
        .collect();
    let code = crate::domain::registration::TrackingPin::from_random(rand::random());
    db::create_code(pool, phone.as_str(), &code_hash(&state, phone.as_str(), code.as_str())).await.context(doing)?;
    if !numbers.is_empty() {
        let text = crate::i18n::sms::code(code.as_str(), &numbers, crate::i18n::sms::site(&state.config.public_url));
        let key = format!("phone_code:{}", SecretToken::generate().hash());
        let message = super::db::outbox::NewMessage {
            key,
            kind: super::db::outbox::Kind::PhoneCode,
            channel: super::db::outbox::Channel::Sms,
            application_id: None,
            complaint_id: None,
            recipient: phone.as_str(),
            event: "kode",
            details: Some(&text),
        };
        super::db::outbox::put(pool, &message).await.context(doing)?;
        tracing::info!("phone code queued");
    }
    Ok(answer(CodeStage::Sent, StatusCode::OK).await)
}

/// `POST /lacak/telepon/masuk`: the code from the SMS opens the phone's list (once). Wrong
/// codes count against the phone and the address like wrong PINs.
pub async fn use_code(
    State(state): State<AppState>,
    connection: super::http::Peer,
    headers: HeaderMap,
    FormPairs(pairs): FormPairs,
) -> Result<Response, Refusal> {
    use crate::api::complaints::CodeStage;
    let typed = field(&pairs, "telepon").trim().chars().take(32).collect::<String>();
    let answer = |stage: CodeStage, status: StatusCode| code_page(&state, &headers, &typed, stage, status);
    let Ok(phone) = crate::domain::person::PhoneNumber::parse(&typed) else {
        return Ok(answer(CodeStage::PhoneInvalid, StatusCode::UNPROCESSABLE_ENTITY).await);
    };
    let Some(code) = crate::domain::registration::TrackingPin::parse(field(&pairs, "kode")) else {
        return Ok(answer(CodeStage::CodeWrong, StatusCode::UNPROCESSABLE_ENTITY).await);
    };
    let address = super::http::client_address(&state, connection, &headers);
    let pool = state.db.pool();
    let judged = match super::limits::reserve(pool, SecretKind::Code, &phone_subject(phone.as_str()), &address).await.context("counting phone codes")? {
        Reserved::Judge(judged) => judged,
        Reserved::Refused { retry_after } => {
            tracing::warn!("phone code tries throttled");
            return Ok(super::http::with_retry_after(answer(CodeStage::Throttled, StatusCode::TOO_MANY_REQUESTS).await, retry_after));
        }
    };
    let used = db::use_code(pool, phone.as_str(), &code_hash(&state, phone.as_str(), code.as_str())).await.context("using a phone code")?;
    super::limits::settle(pool, judged, used).await.context("recording a phone code try")?;
    if !used {
        return Ok(answer(CodeStage::CodeWrong, StatusCode::UNAUTHORIZED).await);
    }
    let opened = db::Opened { phone: Some(phone.as_str().to_string()), ..Default::default() };
    let token = db::open_session(pool, &opened).await.context("opening a tracking session")?;
    Ok(super::http::redirect_with_cookie("/lacak/daftar", &session_cookie(&token)))
}

/// `POST /lacak/pin`: a new PIN for the application open in a list session (the resident
/// proved the email or phone); shown once on the page this answers with, the old one no
/// longer works. A session opened by number and PIN does not need one.
pub async fn new_pin(State(state): State<AppState>, headers: HeaderMap, tracked: Tracked) -> Result<Response, Refusal> {
    let id = tracked.application()?;
    if tracked.opened.holder().is_none() {
        return Ok(Redirect::to("/lacak/permohonan").into_response());
    }
    let pool = state.db.pool();
    let row = super::db::casework::find(pool, id).await.context("reading an application for a new PIN")?.ok_or(Refusal::SeeOther("/lacak"))?;
    let pin = crate::domain::registration::TrackingPin::from_random(rand::random());
    db::set_pin(pool, id, &state.pin_key.seal(pin.as_str())).await.context("setting a new PIN")?;
    tracing::info!(application = id, "new tracking PIN set by the resident");
    let shown = crate::api::tracking::NewPin { number: RegistrationNumber::display_stored(row.registration_number), pin: pin.as_str().to_string() };
    Ok(super::http::render_page(&state, &headers, "/lacak/pin", shown, StatusCode::OK).await)
}

/// The code page in answer to a post: where asking for a code stands, for the phone typed.
async fn code_page(state: &AppState, headers: &HeaderMap, phone: &str, stage: crate::api::complaints::CodeStage, status: StatusCode) -> Response {
    let asked = crate::api::complaints::CodeAsked { phone: phone.to_string(), stage };
    super::http::render_page(state, headers, "/lacak/telepon", asked, status).await
}

/// What a phone is counted under in the limits: its SHA-256, so the table holds no number.
fn phone_subject(phone: &str) -> String {
    super::limits::email_subject(&format!("phone:{phone}"))
}

/// A code as kept: keyed with the server's PIN key, so the table alone cannot be searched
/// for it.
fn code_hash(state: &AppState, phone: &str, code: &str) -> String {
    state.pin_key.seal(&format!("code:{phone}:{code}"))
}
