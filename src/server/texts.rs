//! Kannel's calls to Layan: the delivery report of a message that left (`dlr-url`), and a
//! resident's text to the office's number (an `sms-service` with `post-url`), answered
//! through the outbox like every other message:
//! - `CEK <nomor> <PIN>`: where the application stands, checked like the tracking page's
//!   pair and under the same limits (per number, and per phone instead of per address);
//! - `BERHENTI` / `MULAI`: the phone's choice to stop text messages, or have them again;
//! - anything else: a one-line help.
//!
//! Both calls carry `LAYAN_SMS_SECRET` (`kunci`), so only the gateway can make them; a call
//! without it is told there is nothing here. Neither ever logs the phone or the text.

use super::db::outbox::{self, Channel, Kind, NewMessage};
use super::refusal::{Context as _, Refusal};
use super::sms::{KannelSettings, SmsTransport};
use super::state::AppState;
use super::tracking::{Pair, check_pair, number_as_stored};
use crate::domain::guessing::Write;
use crate::domain::person::PhoneNumber;
use crate::domain::registration::RegistrationNumber;
use crate::domain::sms::{Command, Delivery};
use crate::domain::workflow::Status;
use crate::i18n::sms as words;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The largest text Kannel passes on (a long message joined from parts is at most a few
/// hundred characters); anything bigger is not from a phone.
pub const BODY_LIMIT: usize = 2048;

/// The gateway's settings if the call carries its secret.
fn gateway<'a>(state: &'a AppState, pairs: &[(String, String)]) -> Option<&'a KannelSettings> {
    let SmsTransport::Kannel(kannel) = &state.config.sms else { return None };
    let given = pairs.iter().find(|(k, _)| k == "kunci").map(|(_, v)| v.as_str())?;
    kannel.is_secret(given).then_some(kannel)
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or_default()
}

/// `GET /sms/laporan?kunci=…&pesan=<outbox id>&status=<Kannel's %d>`.
pub async fn delivery_report(State(state): State<AppState>, Query(pairs): Query<Vec<(String, String)>>) -> Result<Response, Refusal> {
    if gateway(&state, &pairs).is_none() {
        return Err(Refusal::NotFound);
    }
    let (Ok(id), Some(delivery)) = (value(&pairs, "pesan").parse::<i64>(), Delivery::from_kannel(value(&pairs, "status"))) else {
        // A report on the way (queued, with the operator) or one that does not read: nothing
        // to record, and nothing Kannel should try again.
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let recorded = outbox::report(state.db.pool(), id, delivery, state.config.utc_offset_hours).await.context("recording a delivery report")?;
    if recorded {
        tracing::info!(outbox = id, delivery = delivery.slug(), "delivery report");
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /sms/masuk?kunci=…`: the text in the body, the sender in `X-Kannel-From`. Answered
/// 202 once the reply is queued (or there is none to send), so a text Kannel was told was
/// taken is never lost; the same text from the same phone at the same time (Kannel trying
/// again) is answered once.
pub async fn incoming(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Refusal> {
    if gateway(&state, &pairs).is_none() {
        return Err(Refusal::NotFound);
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let Ok(phone) = PhoneNumber::parse(&header("x-kannel-from")) else {
        // Not an Indonesian mobile (an operator's service number, a name): nobody to answer.
        tracing::info!("text from a sender that is not a mobile number: ignored");
        return Ok(StatusCode::ACCEPTED.into_response());
    };
    let text = String::from_utf8_lossy(&body);
    let command = Command::parse(&text);
    tracing::info!(command = command.slug(), "text received");
    let pool = state.db.pool();
    // Kannel's time of the text, or ours: with the sender and the words, what makes a text
    // one event.
    let key = {
        use sha2::Digest;
        let when = header("x-kannel-time");
        let digest = sha2::Sha256::digest(format!("{}\n{when}\n{text}", phone.as_str()).as_bytes());
        format!("reply:{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
    };
    let seen: Option<(i64,)> = sqlx::query_as("SELECT id FROM outbox_messages WHERE event_key = $1")
        .bind(&key)
        .fetch_optional(pool)
        .await
        .context("reading the outbox")?;
    if seen.is_some() {
        return Ok(StatusCode::ACCEPTED.into_response());
    }
    // Every answer is an SMS the office pays for: a phone gets a few per hour.
    if super::limits::take(pool, Write::Text, &format!("sms:{}", phone.as_str())).await.context("counting texts")?.is_some() {
        tracing::warn!("texts from one phone throttled: not answered");
        return Ok(StatusCode::ACCEPTED.into_response());
    }
    let site = words::site(&state.config.public_url);
    let reply = match &command {
        Command::Check { number, pin } => check(&state, number, pin, &phone).await?,
        Command::Stop => {
            outbox::choose(pool, phone.as_str(), true).await.context("recording BERHENTI")?;
            words::stopped(site)
        }
        Command::Start => {
            outbox::choose(pool, phone.as_str(), false).await.context("recording MULAI")?;
            words::STARTED.to_string()
        }
        Command::Help => words::HELP.to_string(),
    };
    let message = NewMessage {
        key,
        kind: Kind::Reply,
        channel: Channel::Sms,
        application_id: None,
        complaint_id: None,
        recipient: phone.as_str(),
        event: command.slug(),
        details: Some(&reply),
    };
    outbox::put(pool, &message).await.context("queueing a reply")?;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// The answer to `CEK`: the pair is tried from the phone (`sms:+62…` in place of an
/// address), so a phone guessing runs out as an address would.
async fn check(state: &AppState, typed: &str, pin: &str, phone: &PhoneNumber) -> Result<String, Refusal> {
    let site = words::site(&state.config.public_url);
    let number = number_as_stored(typed);
    match check_pair(state, &number, pin, &format!("sms:{}", phone.as_str())).await? {
        Pair::Opened(opened) => {
            let pool = state.db.pool();
            if let Some(id) = opened.application_id {
                let row: Option<(String, String, String)> =
                    sqlx::query_as("SELECT registration_number, status, decision_due FROM applications WHERE id = $1")
                        .bind(id)
                        .fetch_optional(pool)
                        .await
                        .context("reading an application's status")?;
                let (number, status, due) = row.ok_or(Refusal::NotFound)?;
                let status = super::db::parse_column("status", Status::from_slug(&status).ok_or("unknown status")).context("reading a status")?;
                return Ok(words::status_reply(status, &RegistrationNumber::display_stored(number), &due, site));
            }
            let complaint = match opened.complaint_id {
                Some(id) => super::db::complaints::find(pool, id).await.context("reading a complaint's status")?,
                None => None,
            };
            let complaint = complaint.ok_or(Refusal::NotFound)?;
            let shown = RegistrationNumber::display_stored(complaint.number.clone());
            Ok(if complaint.status == crate::domain::complaint::ComplaintStatus::Received.slug() {
                words::complaint_received(&shown, &complaint.due, site)
            } else {
                words::complaint_answered(&shown, site)
            })
        }
        Pair::Wrong => Ok(words::wrong_pair(site)),
        Pair::Throttled { .. } => Ok(words::THROTTLED.to_string()),
        // Not judged, not counted: the resident may simply send it again.
        Pair::Busy => Ok(words::BUSY.to_string()),
    }
}
