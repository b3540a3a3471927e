//! Telling residents by email: the message for each event (Bahasa Indonesia, the registration
//! number, never a NIK), and the worker that sends what the outbox holds.

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
    let shown = RegistrationNumber::parse(number).map(|n| n.display()).unwrap_or_else(|_| number.to_string());
    let label = (k.status)(status);
    let mut paragraphs = vec![k.email_greeting.to_string(), (k.email_intro)(&shown, program, label), (k.explain)(status).to_string()];
    match details {
        Some(Action::RequestCorrection { items, note }) => {
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
    if status.is_open() && status != Status::Approved {
        paragraphs.push((k.email_due)(decision_due));
    }
    let link = format!("{public_url}/lacak?nomor={number}");
    let text = format!("{}\n\n{}\n{link}\n\n-- \n{}\n", paragraphs.join("\n\n"), k.email_track, k.email_footer);
    let html = format!(
        "<!DOCTYPE html><html lang=\"id\"><body>{}<p>{}<br><a href=\"{link}\">{link}</a></p><p><small>{}</small></p></body></html>",
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape(p))).collect::<String>(),
        escape(k.email_track),
        escape(k.email_footer)
    );
    Email { subject: (k.email_subject)(&shown, label), text, html }
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

/// Sends what is due now; returns how many were sent. Failures wait their backoff; a row
/// another worker took is left to it.
pub async fn deliver_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let pool = state.db.pool();
    let mut sent = 0;
    for row in outbox::due(pool, 50).await? {
        if !outbox::lease(pool, &row).await? {
            continue;
        }
        match send_one(state, &row).await {
            Ok(()) => {
                outbox::mark_sent(pool, row.id).await?;
                sent += 1;
            }
            Err(e) => {
                // An SMTP refusal often quotes the recipient: the address stays out of the log.
                tracing::warn!(outbox = row.id, attempts = row.attempts + 1, "email not sent yet: {}", without_addresses(&e));
                outbox::mark_failed(pool, &row, &e).await?;
            }
        }
    }
    Ok(sent)
}

async fn send_one(state: &AppState, row: &Pending) -> Result<(), String> {
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
    let email = compose(&number, &program, status, details.as_ref(), &due, &state.config.public_url);
    let to = row.recipient.parse().map_err(|e: lettre::address::AddressError| e.to_string())?;
    let message = state.mailer.compose(to, &email.subject, email.text, email.html).map_err(|e| e.to_string())?;
    state.mailer.send(message).await.map_err(|e| e.to_string())
}

/// `error` with every word that holds an `@` (an email address) replaced.
fn without_addresses(error: &str) -> String {
    error.split(' ').map(|word| if word.contains('@') { "<alamat>" } else { word }).collect::<Vec<_>>().join(" ")
}

/// The worker: every few seconds, what is due.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&state).await {
                tracing::warn!("reading the outbox: {e}");
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
        let action = Action::RequestCorrection { items: vec![Step::Documents], note: "Foto KK <buram> & terpotong".into() };
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
