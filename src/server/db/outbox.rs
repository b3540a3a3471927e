//! The email outbox: rows queued inside the transaction of the change they report, taken by
//! the worker under a lease, marked sent or moved on with backoff.

use super::{now_utc, utc_in};
use sqlx::{Any, AnyPool, FromRow, Transaction};

/// How long a worker holds a row it took before another may take it (a send that hangs).
pub const LEASE_SECONDS: i64 = 5 * 60;

/// What a message is about, which decides how the worker writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A change of an application (the event is the status it reached).
    Application,
    /// A complaint received, answered or closed (details: the history line's id).
    Complaint,
    /// A sign-in link (details: the link's token, removed once sent).
    SignIn,
    /// A link for a staff member to set their password (details: the token, removed once sent).
    PasswordLink,
    /// A staff member's daily list of overdue items (details: the list, JSON).
    Digest,
}

impl Kind {
    pub const fn slug(self) -> &'static str {
        match self {
            Kind::Application => "application",
            Kind::Complaint => "complaint",
            Kind::SignIn => "sign_in",
            Kind::PasswordLink => "password_link",
            Kind::Digest => "digest",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Kind::Application, Kind::Complaint, Kind::SignIn, Kind::PasswordLink, Kind::Digest].into_iter().find(|k| k.slug() == slug)
    }
}

/// One message to queue. `key` names the event: queueing the same key again does nothing,
/// so one event never makes two messages.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    pub key: String,
    pub kind: Kind,
    pub channel: Channel,
    pub application_id: Option<i64>,
    pub complaint_id: Option<i64>,
    pub recipient: &'a str,
    pub event: &'a str,
    pub details: Option<&'a str>,
}

/// How a message travels: the recipient is an email address or a phone number (`+62…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const fn slug(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// Queues a message, inside the caller's transaction (or straight on the pool).
pub async fn put<'e, E: sqlx::Executor<'e, Database = Any>>(executor: E, message: &NewMessage<'_>) -> Result<(), sqlx::Error> {
    let now = now_utc();
    sqlx::query(
        "INSERT INTO outbox_messages (event_key, kind, channel, application_id, complaint_id, recipient, event, details, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (event_key) DO NOTHING",
    )
    .bind(&message.key)
    .bind(message.kind.slug())
    .bind(message.channel.slug())
    .bind(message.application_id)
    .bind(message.complaint_id)
    .bind(message.recipient)
    .bind(message.event)
    .bind(message.details)
    .bind(&now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Queues the messages for one event of an application: an email if it has an address, a
/// text message if it has a mobile number (a row each, sent and retried on their own).
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    application_id: i64,
    history_id: i64,
    event: &str,
    details: Option<&str>,
) -> Result<(), sqlx::Error> {
    let contact: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT email, phone FROM applications WHERE id = $1").bind(application_id).fetch_optional(&mut **tx).await?;
    let Some((email, phone)) = contact else { return Ok(()) };
    let announced = crate::domain::workflow::Status::from_slug(event).is_some_and(crate::domain::sms::announces);
    let mobile = phone.filter(|_| announced).and_then(|p| crate::domain::person::PhoneNumber::parse(&p).ok());
    let email = email.filter(|e| !e.is_empty());
    let channels = [
        (Channel::Email, format!("{application_id}:{history_id}"), email.as_deref()),
        (Channel::Sms, format!("sms:{application_id}:{history_id}"), mobile.as_ref().map(|m| m.as_str())),
    ];
    for (channel, key, recipient) in channels {
        let Some(recipient) = recipient else { continue };
        let message = NewMessage { key, kind: Kind::Application, channel, application_id: Some(application_id), complaint_id: None, recipient, event, details };
        put(&mut **tx, &message).await?;
    }
    Ok(())
}

/// Queues the message for one event of a complaint, if the sender left an email address.
pub async fn enqueue_complaint(tx: &mut Transaction<'_, Any>, complaint_id: i64, history_id: i64, event: &str) -> Result<(), sqlx::Error> {
    let email: Option<(Option<String>,)> =
        sqlx::query_as("SELECT email FROM complaints WHERE id = $1").bind(complaint_id).fetch_optional(&mut **tx).await?;
    let Some(recipient) = email.and_then(|(e,)| e).filter(|e| !e.is_empty()) else { return Ok(()) };
    let history = history_id.to_string();
    let message = NewMessage {
        key: format!("complaint:{complaint_id}:{history_id}"),
        kind: Kind::Complaint,
        channel: Channel::Email,
        application_id: None,
        complaint_id: Some(complaint_id),
        recipient: &recipient,
        event,
        details: Some(&history),
    };
    put(&mut **tx, &message).await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pending {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub application_id: Option<i64>,
    pub complaint_id: Option<i64>,
    pub recipient: String,
    pub event: String,
    pub details: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: String,
}

/// Rows due now, oldest first.
pub async fn due(pool: &AnyPool, limit: i64) -> Result<Vec<Pending>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, channel, application_id, complaint_id, recipient, event, details, attempts, next_attempt_at FROM outbox_messages \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now_utc())
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Takes a row for sending: moves its next attempt past the lease, only if no one else did
/// since it was read. Returns whether this worker has it.
pub async fn lease(pool: &AnyPool, row: &Pending) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE outbox_messages SET next_attempt_at = $1 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at = $3")
        .bind(utc_in(LEASE_SECONDS))
        .bind(row.id)
        .bind(&row.next_attempt_at)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_sent(pool: &AnyPool, id: i64) -> Result<(), sqlx::Error> {
    // A sign-in link's token is of no use to anyone once it is in the resident's inbox.
    sqlx::query(
        "UPDATE outbox_messages SET sent_at = $1, attempts = attempts + 1, last_error = NULL, \
         details = CASE WHEN kind IN ('sign_in', 'password_link') THEN NULL ELSE details END WHERE id = $2",
    )
        .bind(now_utc())
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Backoff after the `attempts`-th failure: 30 s, 1 min, 2 min … capped at an hour, so an
/// SMTP server down for an hour is retried within the hour after it returns.
pub fn backoff_seconds(attempts: i64) -> i64 {
    (30_i64 << attempts.clamp(0, 7)).min(3600)
}

/// Failures before a message is given up on: with the backoff, about a day of trying.
pub const MAX_ATTEMPTS: i64 = 30;

/// Records a failed try: another after the backoff, or none (`failed_at`) when the server
/// refused for good or the tries are used up.
pub async fn mark_failed(pool: &AnyPool, row: &Pending, error: &str, permanent: bool) -> Result<bool, sqlx::Error> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    sqlx::query("UPDATE outbox_messages SET attempts = $1, next_attempt_at = $2, last_error = $3, failed_at = $4 WHERE id = $5")
        .bind(attempts)
        .bind(utc_in(backoff_seconds(attempts - 1)))
        .bind(error.chars().take(500).collect::<String>())
        .bind(give_up.then(now_utc))
        .bind(row.id)
        .execute(pool)
        .await?;
    Ok(give_up)
}

/// A message given up on, for administrators: what it was, when, and why (the error with
/// addresses removed by the caller).
#[derive(Clone, Debug, FromRow)]
pub struct Failed {
    pub id: i64,
    pub kind: String,
    pub event: String,
    pub recipient: String,
    pub created_at: String,
    pub failed_at: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn failed(pool: &AnyPool, limit: i64) -> Result<Vec<Failed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, event, recipient, created_at, failed_at, attempts, last_error FROM outbox_messages \
         WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How long sent and given-up messages are kept: their recipient and contents are personal
/// data, and after this they serve no one.
pub const SENT_KEEP_DAYS: i64 = 30;
pub const FAILED_KEEP_DAYS: i64 = 90;

/// Removes sent messages after [`SENT_KEEP_DAYS`] and given-up ones after
/// [`FAILED_KEEP_DAYS`]; returns how many.
pub async fn purge(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let sent = sqlx::query("DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(utc_in(-SENT_KEEP_DAYS * 86_400))
        .execute(pool)
        .await?;
    let failed = sqlx::query("DELETE FROM outbox_messages WHERE failed_at IS NOT NULL AND failed_at < $1")
        .bind(utc_in(-FAILED_KEEP_DAYS * 86_400))
        .execute(pool)
        .await?;
    Ok(sent.rows_affected() + failed.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_at_most_an_hour() {
        assert_eq!(backoff_seconds(0), 30);
        assert_eq!(backoff_seconds(1), 60);
        assert_eq!(backoff_seconds(5), 960);
        assert_eq!(backoff_seconds(7), 3600);
        assert_eq!(backoff_seconds(50), 3600);
    }
}
