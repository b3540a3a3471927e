//! The outbox of emails and text messages: rows queued inside the transaction of the change
//! they report, taken by the worker under a lease, marked sent or moved on with backoff; for
//! text messages also the gateway's delivery report, the phones that asked for none, and
//! what they cost per month.

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
    /// The answer to a resident's text (details: the text; event: the command).
    Reply,
    /// A one-time code for a phone (details: the text, removed once sent).
    PhoneCode,
    /// A breach notice (details: the notice's id; the application: one of the recipient's).
    Breach,
}

impl Kind {
    pub const fn slug(self) -> &'static str {
        match self {
            Kind::Application => "application",
            Kind::Complaint => "complaint",
            Kind::SignIn => "sign_in",
            Kind::PasswordLink => "password_link",
            Kind::Digest => "digest",
            Kind::Reply => "reply",
            Kind::PhoneCode => "phone_code",
            Kind::Breach => "breach",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Kind::Application, Kind::Complaint, Kind::SignIn, Kind::PasswordLink, Kind::Digest, Kind::Reply, Kind::PhoneCode, Kind::Breach]
            .into_iter()
            .find(|k| k.slug() == slug)
    }

    /// Whether the row's details are a secret that serves no one once delivered.
    const fn secret_details(self) -> bool {
        matches!(self, Kind::SignIn | Kind::PasswordLink | Kind::PhoneCode)
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

/// Queues the messages for one event of an application (one the resident is told of,
/// `Status::tells_resident`): an email if it has an address, a text message if it has a
/// mobile number whose owner did not send BERHENTI (a row each, sent and retried on their own).
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
    let mut mobile = phone.and_then(|p| crate::domain::person::PhoneNumber::parse(&p).ok());
    if let Some(m) = &mobile {
        if stopped(&mut **tx, m.as_str()).await? {
            mobile = None;
        }
    }
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

/// Queues the messages for one event of a complaint: an email if the sender left an
/// address, and a text message for an answer if they left a mobile number.
pub async fn enqueue_complaint(tx: &mut Transaction<'_, Any>, complaint_id: i64, history_id: i64, event: &str) -> Result<(), sqlx::Error> {
    let contact: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT email, phone FROM complaints WHERE id = $1").bind(complaint_id).fetch_optional(&mut **tx).await?;
    let Some((email, phone)) = contact else { return Ok(()) };
    let answered = crate::domain::complaint::ComplaintStatus::from_slug(event).is_some_and(|s| s != crate::domain::complaint::ComplaintStatus::Received);
    let mut mobile = phone.filter(|_| answered).and_then(|p| crate::domain::person::PhoneNumber::parse(&p).ok());
    if let Some(m) = &mobile {
        if stopped(&mut **tx, m.as_str()).await? {
            mobile = None;
        }
    }
    let email = email.filter(|e| !e.is_empty());
    let history = history_id.to_string();
    let channels = [
        (Channel::Email, format!("complaint:{complaint_id}:{history_id}"), email.as_deref()),
        (Channel::Sms, format!("sms:complaint:{complaint_id}:{history_id}"), mobile.as_ref().map(|m| m.as_str())),
    ];
    for (channel, key, recipient) in channels {
        let Some(recipient) = recipient else { continue };
        let message =
            NewMessage { key, kind: Kind::Complaint, channel, application_id: None, complaint_id: Some(complaint_id), recipient, event, details: Some(&history) };
        put(&mut **tx, &message).await?;
    }
    Ok(())
}

/// Whether `phone` (+62…) asked for no text messages (`BERHENTI`).
pub async fn stopped<'e, E: sqlx::Executor<'e, Database = Any>>(executor: E, phone: &str) -> Result<bool, sqlx::Error> {
    Ok(stopped_since(executor, phone).await?.is_some())
}

/// Since when `phone` asked for no text messages, if it did.
pub async fn stopped_since<'e, E: sqlx::Executor<'e, Database = Any>>(executor: E, phone: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT changed_at FROM sms_choices WHERE phone = $1 AND stopped = TRUE").bind(phone).fetch_optional(executor).await?;
    Ok(row.map(|(at,)| at))
}

/// Records a phone's choice (`BERHENTI`: stopped, `MULAI`: not).
pub async fn choose(pool: &AnyPool, phone: &str, stop: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sms_choices (phone, stopped, changed_at) VALUES ($1, $2, $3)          ON CONFLICT (phone) DO UPDATE SET stopped = excluded.stopped, changed_at = excluded.changed_at",
    )
    .bind(phone)
    .bind(stop)
    .bind(now_utc())
    .execute(pool)
    .await
    .map(|_| ())
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
    pub created_at: String,
}

/// What a text message is counted under in the office's costs: the status an application
/// reached, the command answered, or the kind.
fn cost_event(kind: &str, event: &str) -> String {
    match Kind::from_slug(kind) {
        Some(Kind::Application | Kind::Reply) => event.to_string(),
        Some(Kind::Complaint) => "pengaduan".into(),
        Some(Kind::PhoneCode) => "kode".into(),
        _ => kind.to_string(),
    }
}

impl Pending {
    pub fn cost_event(&self) -> String {
        cost_event(&self.kind, &self.event)
    }

    pub fn is_sms(&self) -> bool {
        self.channel == Channel::Sms.slug()
    }
}

/// Rows due now, oldest first.
pub async fn due(pool: &AnyPool, limit: i64) -> Result<Vec<Pending>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, channel, application_id, complaint_id, recipient, event, details, attempts, next_attempt_at, created_at FROM outbox_messages \
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

/// Marks a row sent; a text message's `segments` are counted in the month's costs, in the
/// same transaction.
pub async fn mark_sent(pool: &AnyPool, row: &Pending, segments: Option<i64>, utc_offset_hours: i64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // A sign-in link's token is of no use to anyone once it is in the resident's inbox.
    let secret = Kind::from_slug(&row.kind).is_some_and(Kind::secret_details);
    sqlx::query(
        "UPDATE outbox_messages SET sent_at = $1, attempts = attempts + 1, last_error = NULL, segments = $2, \
         details = CASE WHEN $3 THEN NULL ELSE details END WHERE id = $4",
    )
    .bind(now_utc())
    .bind(segments)
    .bind(secret)
    .bind(row.id)
    .execute(&mut *tx)
    .await?;
    if let Some(segments) = segments {
        count_usage(&mut tx, &row.created_at, &row.cost_event(), Tally { sent: 1, segments, ..Tally::default() }, utc_offset_hours).await?;
    }
    tx.commit().await
}

/// A month's counts of one event's text messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: i64,
    pub segments: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// Adds to the costs of the office month a message was queued in (so a message and its
/// delivery report count in the same month).
async fn count_usage(tx: &mut Transaction<'_, Any>, created_at: &str, event: &str, t: Tally, utc_offset_hours: i64) -> Result<(), sqlx::Error> {
    let month: String = crate::domain::date::office_time(created_at, utc_offset_hours).chars().take(7).collect();
    sqlx::query(
        "INSERT INTO sms_usage (month, event, sent, segments, delivered, failed) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (month, event) DO UPDATE SET sent = sms_usage.sent + excluded.sent, segments = sms_usage.segments + excluded.segments, \
         delivered = sms_usage.delivered + excluded.delivered, failed = sms_usage.failed + excluded.failed",
    )
    .bind(month)
    .bind(event)
    .bind(t.sent)
    .bind(t.segments)
    .bind(t.delivered)
    .bind(t.failed)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records the gateway's delivery report for text message `id`, once (a repeated report
/// changes nothing); returns whether it was recorded. It may come before the worker has
/// marked the row sent: the gateway answers the phone's network faster than the worker
/// writes.
pub async fn report(pool: &AnyPool, id: i64, delivery: crate::domain::sms::Delivery, utc_offset_hours: i64) -> Result<bool, sqlx::Error> {
    use crate::domain::sms::Delivery;
    let mut tx = pool.begin().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE outbox_messages SET delivery = $1, reported_at = $2 WHERE id = $3 AND channel = 'sms' AND delivery IS NULL \
         RETURNING kind, event, created_at",
    )
    .bind(delivery.slug())
    .bind(now_utc())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((kind, event, created_at)) = row else { return Ok(false) };
    let tally = match delivery {
        Delivery::Delivered => Tally { delivered: 1, ..Tally::default() },
        Delivery::Failed => Tally { failed: 1, ..Tally::default() },
    };
    count_usage(&mut tx, &created_at, &cost_event(&kind, &event), tally, utc_offset_hours).await?;
    tx.commit().await?;
    Ok(true)
}

/// The latest text message to an application's phone, as staff see it: when it was
/// queued, when sent, and the delivery report (`delivered`, `failed`) if one came.
#[derive(Clone, Debug, FromRow)]
pub struct LastSms {
    pub event: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub failed_at: Option<String>,
    pub delivery: Option<String>,
    pub reported_at: Option<String>,
}

pub async fn last_sms(pool: &AnyPool, application_id: i64) -> Result<Option<LastSms>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event, created_at, sent_at, failed_at, delivery, reported_at FROM outbox_messages \
         WHERE application_id = $1 AND channel = 'sms' ORDER BY id DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_optional(pool)
    .await
}

/// One row of the office's SMS costs.
#[derive(Clone, Debug, FromRow)]
pub struct Usage {
    pub month: String,
    pub event: String,
    pub sent: i64,
    pub segments: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// The costs of the latest `months` months that had any, newest first.
pub async fn usage(pool: &AnyPool, months: i64) -> Result<Vec<Usage>, sqlx::Error> {
    sqlx::query_as(
        "SELECT month, event, sent, segments, delivered, failed FROM sms_usage \
         WHERE month IN (SELECT DISTINCT month FROM sms_usage ORDER BY month DESC LIMIT $1) ORDER BY month DESC, event",
    )
    .bind(months)
    .fetch_all(pool)
    .await
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
pub async fn mark_failed(pool: &AnyPool, row: &Pending, error: &str, permanent: bool, utc_offset_hours: i64) -> Result<bool, sqlx::Error> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE outbox_messages SET attempts = $1, next_attempt_at = $2, last_error = $3, failed_at = $4 WHERE id = $5")
        .bind(attempts)
        .bind(utc_in(backoff_seconds(attempts - 1)))
        .bind(error.chars().take(500).collect::<String>())
        .bind(give_up.then(now_utc))
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    if give_up && row.is_sms() {
        count_usage(&mut tx, &row.created_at, &row.cost_event(), Tally { failed: 1, ..Tally::default() }, utc_offset_hours).await?;
    }
    tx.commit().await?;
    Ok(give_up)
}

/// Closes a text message that must not go after all (the phone sent `BERHENTI` after it was
/// queued): kept among the given-up ones with why, not counted as a cost.
pub async fn withhold(pool: &AnyPool, row: &Pending, why: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox_messages SET failed_at = $1, last_error = $2 WHERE id = $3")
        .bind(now_utc())
        .bind(why)
        .bind(row.id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// A message given up on, for administrators: what it was, when, and why (the error with
/// addresses removed by the caller).
#[derive(Clone, Debug, FromRow)]
pub struct Failed {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub event: String,
    pub recipient: String,
    pub created_at: String,
    pub failed_at: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn failed(pool: &AnyPool, limit: i64) -> Result<Vec<Failed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, channel, event, recipient, created_at, failed_at, attempts, last_error FROM outbox_messages \
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
