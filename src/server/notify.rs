//! Telling residents by email and SMS: the message for each event (Bahasa Indonesia, the
//! registration number, never a NIK), and the worker that sends what the outbox holds,
//! each row by its channel.

use super::db::outbox::{self, Pending};
use super::state::AppState;
use crate::domain::decision::{Action, format_rupiah};
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::Status;
use crate::i18n::Lang;

/// One email: subject, plain text, HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the message says about the event: its status, what the move carried.
pub fn compose(number: &str, program: &str, status: Status, details: Option<&Action>, decision_due: &str, public_url: &str) -> Email {
    let k = Lang::Id.tracking();
    let c = Lang::Id.case();
    let t = Lang::Id.texts();
    let shown = RegistrationNumber::display_stored(number.to_string());
    let label = (k.status)(status);
    let mut paragraphs = vec![k.email_greeting.to_string(), (k.email_intro)(&shown, program, label), (k.explain)(status).to_string()];
    match details {
        Some(Action::RequestCorrection { items, note, .. }) => {
            let parts = items.iter().map(|s| (t.apply.step_title)(*s)).collect::<Vec<_>>().join(", ");
            paragraphs.push(format!("{}: {parts}", k.correction_parts));
            paragraphs.push(format!("{}: {note}", k.correction_note));
            paragraphs.push(k.correction_how.to_string());
        }
        Some(Action::Approve { service, amount_rupiah, .. }) => {
            let amount = amount_rupiah.map(|a| format!(" ({})", format_rupiah(a))).unwrap_or_default();
            paragraphs.push(format!("{}: {service}{amount}", c.service_label));
        }
        Some(Action::Reject { reason, note }) => {
            paragraphs.push(format!("{}: {}", c.reason_label, (c.reason)(*reason)));
            if let Some(note) = note {
                paragraphs.push(note.clone());
            }
        }
        Some(Action::Refer { to, note }) => {
            paragraphs.push(format!("{}: {to}", c.refer_to_label));
            if let Some(note) = note {
                paragraphs.push(note.clone());
            }
        }
        _ => {}
    }
    if status.is_undecided() {
        paragraphs.push((k.email_due)(decision_due));
    }
    let link = format!("{public_url}/lacak?nomor={number}");
    finish((k.email_subject)(&shown, label), paragraphs, k.email_track, &link)
}

/// Text into HTML: staff notes are free text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// How many rows the worker reads at a time.
pub const BATCH: usize = 50;

/// Sends what is due now (one batch); returns how many were sent. Failures wait their
/// backoff; a row another worker took is left to it.
pub async fn deliver_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let pool = state.db.pool();
    let mut sent = 0;
    for row in outbox::due(pool, BATCH as i64).await? {
        if !outbox::lease(pool, &row).await? {
            continue;
        }
        let offset = state.config.utc_offset_hours;
        match send_one(state, &row).await {
            Ok(Sent::Message { segments }) => {
                outbox::mark_sent(pool, &row, segments, offset).await?;
                sent += 1;
            }
            Ok(Sent::Withheld) => {
                outbox::withhold(pool, &row, "not sent: the resident sent BERHENTI (no text messages)").await?;
                tracing::info!(outbox = row.id, "text message withheld: the phone asked for none");
            }
            Err((e, permanent)) => {
                // An SMTP refusal often quotes the recipient: the address stays out of the log
                // (and out of what administrators see).
                let e = without_addresses(&e);
                if outbox::mark_failed(pool, &row, &e, permanent, offset).await? {
                    tracing::error!(outbox = row.id, channel = %row.channel, attempts = row.attempts + 1, permanent, "message given up: {e}");
                } else {
                    tracing::warn!(outbox = row.id, channel = %row.channel, attempts = row.attempts + 1, "message not sent yet: {e}");
                }
            }
        }
    }
    Ok(sent)
}

/// The messages given up on, newest first, as administrators see them.
pub async fn failed_messages(state: &AppState, limit: i64) -> Result<Vec<crate::api::admin::FailedMessage>, sqlx::Error> {
    let offset = state.config.utc_offset_hours;
    Ok(outbox::failed(state.db.pool(), limit)
        .await?
        .into_iter()
        .map(|f| crate::api::admin::FailedMessage {
            created_at: crate::domain::date::office_time(&f.created_at, offset),
            failed_at: crate::domain::date::office_time(&f.failed_at, offset),
            kind: format!("{} ({})", f.kind, f.channel),
            event: f.event,
            recipient: match crate::domain::person::PhoneNumber::parse(&f.recipient) {
                Ok(phone) if f.channel == outbox::Channel::Sms.slug() => phone.masked(),
                _ => mask_address(&f.recipient),
            },
            attempts: f.attempts,
            error: without_addresses(f.last_error.as_deref().unwrap_or_default()),
        })
        .collect())
}

/// `s***@example.com`: enough for an administrator to recognise an address they know.
fn mask_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// What became of a row the worker took.
enum Sent {
    /// It left; a text message counts its billed parts.
    Message { segments: Option<i64> },
    /// A text message to a phone that has since asked for none.
    Withheld,
}

/// Sends one message; an error says whether retrying could help.
async fn send_one(state: &AppState, row: &Pending) -> Result<Sent, (String, bool)> {
    if row.is_sms() {
        // The answer to BERHENTI itself still goes; nothing else to a stopped phone.
        let reply = outbox::Kind::from_slug(&row.kind) == Some(outbox::Kind::Reply);
        if !reply && outbox::stopped(state.db.pool(), &row.recipient).await.map_err(|e| (e.to_string(), false))? {
            return Ok(Sent::Withheld);
        }
        let text = sms_text(state, row).await.map_err(|e| (e, false))?;
        let sms = super::sms::Sms { to: &row.recipient, text: &text, outbox_id: row.id };
        state.sms.send(&sms).await.map_err(|e| (e.message, e.permanent))?;
        return Ok(Sent::Message { segments: Some(crate::domain::sms::segments(&text)) });
    }
    let email = compose_one(state, row).await.map_err(|e| (e, false))?;
    let to = row.recipient.parse().map_err(|e: lettre::address::AddressError| (e.to_string(), true))?;
    let message = state.mailer.compose(to, &email.subject, email.text, email.html).map_err(|e| (e.to_string(), true))?;
    state.mailer.send(message).await.map_err(|e| (e.to_string(), e.is_permanent()))?;
    Ok(Sent::Message { segments: None })
}

async fn compose_one(state: &AppState, row: &Pending) -> Result<Email, String> {
    let public_url = &state.config.public_url;
    let email = match outbox::Kind::from_slug(&row.kind) {
        Some(outbox::Kind::Application) => application_email(state, row).await?,
        Some(outbox::Kind::Complaint) => complaint_email(state, row).await?,
        Some(outbox::Kind::SignIn) => sign_in_email(row.details.as_deref().ok_or("the link is gone")?, public_url),
        Some(outbox::Kind::PasswordLink) => password_link_email(row.details.as_deref().ok_or("the link is gone")?, public_url),
        Some(outbox::Kind::Digest) => {
            let items: Vec<(String, i64, i64)> =
                serde_json::from_str(row.details.as_deref().unwrap_or("[]")).map_err(|e| e.to_string())?;
            digest_email(&row.event, &items, public_url)
        }
        Some(outbox::Kind::Reply | outbox::Kind::PhoneCode) => return Err("a text message, not an email".into()),
        Some(outbox::Kind::Breach) => {
            let (number, message) = breach_parts(state, row).await?;
            let k = Lang::Id.tracking();
            finish(k.breach_subject.to_string(), vec![(k.breach_intro)(&number), message, k.breach_outro.to_string()], "", &format!("{public_url}/pengaduan"))
        }
        None => return Err("unknown kind of message".into()),
    };
    Ok(email)
}

/// The text message of an outbox row: an application's or a complaint's event, or a text
/// written when it was queued (a reply, a code).
async fn sms_text(state: &AppState, row: &Pending) -> Result<String, String> {
    let site = crate::i18n::sms::site(&state.config.public_url);
    match outbox::Kind::from_slug(&row.kind) {
        Some(outbox::Kind::Application) => {}
        Some(outbox::Kind::Complaint) => {
            let complaint = super::db::complaints::find(state.db.pool(), row.complaint_id.ok_or("no complaint")?).await.map_err(|e| e.to_string())?;
            let complaint = complaint.ok_or("the complaint is gone")?;
            return Ok(crate::i18n::sms::complaint_answered(&RegistrationNumber::display_stored(complaint.number), site));
        }
        Some(outbox::Kind::Reply | outbox::Kind::PhoneCode) => return row.details.clone().ok_or_else(|| "the text is gone".to_string()),
        Some(outbox::Kind::Breach) => return Ok(crate::i18n::sms::breach(&breach_parts(state, row).await?.1, site)),
        _ => return Err("no text message for this kind".into()),
    }
    let info: Option<(String, String)> = sqlx::query_as("SELECT registration_number, decision_due FROM applications WHERE id = $1")
        .bind(row.application_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(|e| e.to_string())?;
    let (number, due) = info.ok_or("the application is gone")?;
    let status = Status::from_slug(&row.event).ok_or("unknown event")?;
    let shown = RegistrationNumber::display_stored(number);
    crate::i18n::sms::application(status, &shown, &due, site).ok_or_else(|| "no text message for this event".to_string())
}

/// A breach notice's row: the number of the application it was sent for, and the office's words.
async fn breach_parts(state: &AppState, row: &Pending) -> Result<(String, String), String> {
    let pool = state.db.pool();
    let id: i64 = row.details.as_deref().and_then(|d| d.parse().ok()).ok_or("no notice")?;
    let message = super::db::breach::message(pool, id).await.map_err(|e| e.to_string())?.ok_or("the notice is gone")?;
    let number: Option<(String,)> = sqlx::query_as("SELECT registration_number FROM applications WHERE id = $1")
        .bind(row.application_id)
        .fetch_optional(pool)
        .await
        .map_err(|e| e.to_string())?;
    let number = number.ok_or("the application is gone")?.0;
    Ok((RegistrationNumber::display_stored(number), message))
}

async fn application_email(state: &AppState, row: &Pending) -> Result<Email, String> {
    let info: Option<(String, String, String)> = sqlx::query_as(
        "SELECT a.registration_number, p.name_id, a.decision_due FROM applications a JOIN programs p ON p.id = a.program_id WHERE a.id = $1",
    )
    .bind(row.application_id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let (number, program, due) = info.ok_or("the application is gone")?;
    let status = Status::from_slug(&row.event).ok_or("unknown event")?;
    let details = row.details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok());
    Ok(compose(&number, &program, status, details.as_ref(), &due, &state.config.public_url))
}

async fn complaint_email(state: &AppState, row: &Pending) -> Result<Email, String> {
    use crate::domain::complaint::{ComplaintKind, ComplaintStatus};
    let pool = state.db.pool();
    let complaint = super::db::complaints::find(pool, row.complaint_id.ok_or("no complaint")?).await.map_err(|e| e.to_string())?;
    let complaint = complaint.ok_or("the complaint is gone")?;
    let history_id: i64 = row.details.as_deref().and_then(|d| d.parse().ok()).ok_or("no history line")?;
    let reply: Option<(Option<String>,)> = sqlx::query_as("SELECT message FROM complaint_history WHERE id = $1 AND actor = 'staff'")
        .bind(history_id)
        .fetch_optional(pool)
        .await
        .map_err(|e| e.to_string())?;
    let kind = ComplaintKind::from_slug(&complaint.kind).ok_or("unknown kind")?;
    let status = ComplaintStatus::from_slug(&row.event).ok_or("unknown event")?;
    let reply = reply.and_then(|(m,)| m);
    Ok(compose_complaint(&complaint.number, kind, status, reply.as_deref(), &complaint.due, &state.config.public_url))
}

/// A message about a complaint: its status, the reply if this event is one.
pub fn compose_complaint(
    number: &str,
    kind: crate::domain::complaint::ComplaintKind,
    status: crate::domain::complaint::ComplaintStatus,
    reply: Option<&str>,
    due: &str,
    public_url: &str,
) -> Email {
    let q = Lang::Id.complaints();
    let k = Lang::Id.tracking();
    let shown = RegistrationNumber::display_stored(number.to_string());
    let label = (q.status)(status);
    let mut paragraphs = vec![k.email_greeting.to_string(), (q.email_intro)(kind, &shown, label), (q.explain)(status).to_string()];
    if let Some(reply) = reply {
        paragraphs.push(format!("{}:\n{reply}", q.email_reply));
    }
    if status.is_open() {
        paragraphs.push((q.email_due)(due));
    }
    let link = format!("{public_url}/lacak?nomor={number}");
    finish((q.email_subject)(kind, &shown, label), paragraphs, q.email_track, &link)
}

/// The sign-in link: the token is the only secret in it, and the page it opens asks for a
/// press of a button before using it.
pub fn sign_in_email(token: &str, public_url: &str) -> Email {
    let q = Lang::Id.complaints();
    let k = Lang::Id.tracking();
    let link = format!("{public_url}/lacak/email/masuk?token={token}");
    let paragraphs = vec![k.email_greeting.to_string(), q.sign_in_body.to_string()];
    let mut email = finish(q.sign_in_subject.to_string(), paragraphs, "", &link);
    email.text.push_str(&format!("\n{}\n", q.sign_in_ignore));
    email.html = email.html.replace("</body>", &format!("<p>{}</p></body>", escape(q.sign_in_ignore)));
    email
}

/// A staff member's link to set their own password (a new account, or a reset).
pub fn password_link_email(token: &str, public_url: &str) -> Email {
    let a = Lang::Id.admin();
    let link = format!("{public_url}/petugas/sandi?token={token}");
    let mut email = finish(a.password_email_subject.to_string(), vec![a.password_email_body.to_string()], "", &link);
    email.text.push_str(&format!("\n{}\n", a.password_email_ignore));
    email.html = email.html.replace("</body>", &format!("<p>{}</p></body>", escape(a.password_email_ignore)));
    email
}

/// A staff member's morning list: each overdue application's number, days overdue and
/// the link to its review page (numbers and ids only, never names).
pub fn digest_email(day: &str, items: &[(String, i64, i64)], public_url: &str) -> Email {
    let q = Lang::Id.complaints();
    let lines = items
        .iter()
        .map(|(number, id, days)| {
            let shown = RegistrationNumber::display_stored(number.to_string());
            format!("{}\n{public_url}/petugas/permohonan/{id}", (q.digest_line)(&shown, *days))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let paragraphs = vec![(q.digest_intro)(items.len(), day), lines];
    finish((q.digest_subject)(items.len()), paragraphs, "", &format!("{public_url}/petugas/antrean?daftar=terlambat"))
}

/// Subject, paragraphs, then a link under its label, then the footer, as text and HTML.
fn finish(subject: String, paragraphs: Vec<String>, link_label: &str, link: &str) -> Email {
    let k = Lang::Id.tracking();
    let text = format!("{}\n\n{link_label}\n{link}\n\n-- \n{}\n", paragraphs.join("\n\n"), k.email_footer);
    let html = format!(
        "<!DOCTYPE html><html lang=\"id\"><body>{}<p>{}<br><a href=\"{link}\">{link}</a></p><p><small>{}</small></p></body></html>",
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape(p))).collect::<String>(),
        escape(link_label),
        escape(k.email_footer)
    );
    Email { subject, text, html }
}

/// `error` with every word that holds an `@` (an email address) replaced.
fn without_addresses(error: &str) -> String {
    error.split(' ').map(|word| if word.contains('@') { "<alamat>" } else { word }).collect::<Vec<_>>().join(" ")
}

/// Queues each staff member's list of overdue applications for `day`: the ones in their
/// areas whose next step is theirs (supervisors, who watch deadlines, get every one). One
/// message per person per day, however many instances or restarts queue it; none for an
/// empty list or a person without an email address.
pub async fn queue_digests(state: &AppState, day: crate::domain::Date) -> Result<usize, sqlx::Error> {
    use crate::domain::workflow::{Move, Queue, QueueFilter, Role};
    let pool = state.db.pool();
    let staff: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, email FROM staff WHERE active = TRUE AND email IS NOT NULL AND email <> '' ORDER BY id").fetch_all(pool).await?;
    let mut queued = 0;
    for (staff_id, email) in staff {
        let (roles, areas) = super::db::staff::roles_and_areas(pool, staff_id).await?;
        if areas.is_empty() || roles.iter().all(|r| *r == Role::Administrator) {
            continue;
        }
        let rows = super::db::queues::page(pool, &areas, Queue::Overdue, &QueueFilter::default(), day, None, 200).await?;
        let items: Vec<(String, i64, i64)> = rows
            .into_iter()
            .filter(|r| roles.contains(&Role::Supervisor) || r.status.moves_for_any(&roles).iter().any(|m| *m != Move::Withdraw))
            .filter_map(|r| {
                let due = crate::domain::Date::parse_iso(&r.decision_due).ok()?;
                Some((r.registration_number, r.id, day.to_unix_days() - due.to_unix_days()))
            })
            .take(50)
            .collect();
        if items.is_empty() {
            continue;
        }
        let details = serde_json::to_string(&items).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let day_text = day.to_string();
        let message = outbox::NewMessage {
            key: format!("digest:{staff_id}:{day}"),
            kind: outbox::Kind::Digest,
            channel: outbox::Channel::Email,
            application_id: None,
            complaint_id: None,
            recipient: &email,
            event: &day_text,
            details: Some(&details),
        };
        outbox::put(pool, &message).await?;
        queued += 1;
    }
    Ok(queued)
}

/// The office-local hour now.
fn office_hour(utc_offset_hours: i64) -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    (secs + utc_offset_hours * 3600).rem_euclid(86_400) / 3600
}

/// The worker: every few seconds, what is due (batch after batch while there is a
/// backlog); once a day from `LAYAN_DIGEST_HOUR`, the
/// digests (queued by one instance of however many, `jobs::once`). Ends when the instance
/// drains, after the round it is in, so a message it sent is marked sent.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        let mut digests_for: Option<crate::domain::Date> = None;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = state.lifecycle.stopping() => break,
            }
            let offset = state.config.utc_offset_hours;
            let today = super::db::office_today(offset);
            if digests_for != Some(today) && office_hour(offset) >= state.config.digest_hour {
                let period = today.to_string();
                let queue = super::jobs::once(&state.db, "digests", &period, 300, || async {
                    queue_digests(&state, today).await.map(|n| format!("queued {n} overdue digests")).map_err(|e| e.to_string())
                });
                match queue.await {
                    // Queued here or by another instance: done for today. Busy or failed:
                    // asked again next round, and taken once the holder's lease is out.
                    Ok(super::jobs::Turn::Ran(_) | super::jobs::Turn::Done) => digests_for = Some(today),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("queueing overdue digests: {e}"),
                }
            }
            // A full batch means more are due (a day of decisions can queue thousands of
            // texts): the next batch at once, not after the tick, until one comes back short.
            loop {
                match deliver_due(&state).await {
                    Ok(sent) if sent >= BATCH && !state.lifecycle.is_draining() => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!("reading the outbox: {e}");
                        break;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::apply::Step;

    #[test]
    fn a_correction_email_says_what_to_fix_and_escapes_the_note() {
        let action = Action::RequestCorrection { items: vec![Step::Documents], note: "Foto KK <buram> & terpotong".into(), documents: Vec::new() };
        let email = compose("K7QM3XH9P", "RS-RTLH", Status::NeedsCorrection, Some(&action), "2027-01-05", "https://layan.example");
        assert!(email.subject.contains("Perlu perbaikan"));
        assert!(email.text.contains("Bagian: Dokumen") && email.text.contains("Foto KK <buram> & terpotong"));
        assert!(email.html.contains("Foto KK &lt;buram&gt; &amp; terpotong") && !email.html.contains("<buram>"));
        assert!(email.text.contains("https://layan.example/lacak?nomor=K7QM3XH9P"));
        assert!(email.text.contains("2027-01-05"));
    }

    #[test]
    fn an_smtp_refusal_is_logged_without_the_address() {
        let refusal = "permanent error (550): 5.1.1 <siti@example.com>: Recipient address rejected";
        assert_eq!(without_addresses(refusal), "permanent error (550): 5.1.1 <alamat> Recipient address rejected");
    }

    #[test]
    fn a_decision_email_names_the_aid_or_the_reason_and_no_deadline() {
        let approve = Action::Approve { service: "Bedah rumah".into(), amount_rupiah: Some(20_000_000), note: None };
        let email = compose("K7QM3XH9P", "RS-RTLH", Status::Approved, Some(&approve), "2027-01-05", "https://layan.example");
        assert!(email.text.contains("Bedah rumah (Rp20.000.000)"));
        assert!(!email.text.contains("2027-01-05"), "decided: no deadline");
    }
}
