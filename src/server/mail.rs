//! Sending email through lettre: SMTP when `SMTP_URL` is set, otherwise `.eml` files under
//! `data/outbox/` (so a demo or a test machine sends nothing anywhere).

use super::config::{MailConfig, MailTransport};
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(_) => "files",
        };
        f.debug_struct("Mailer").field("transport", &kind).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing to the outbox folder: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The server's full check of an email address, on top of the domain core's (which is what
/// a browser can do without `validator`): the one rule for every address Layan will write
/// to — the journey, tracking, complaints, sign-in links, staff accounts.
pub fn deliverable(address: &str) -> bool {
    use validator::ValidateEmail;
    address.validate_email()
}

impl MailError {
    /// The server refused for good (a 5xx: no such mailbox, a rejected sender): retrying
    /// will not help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Smtp(e) if e.is_permanent())
    }
}

impl Mailer {
    /// Builds the transport. The SMTP URL was validated when the configuration was read.
    pub fn new(config: &MailConfig) -> Result<Self, MailError> {
        let transport = match &config.transport {
            MailTransport::Smtp { url } => Transport::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()),
            MailTransport::Files { dir } => Transport::Files(AsyncFileTransport::new(dir)),
        };
        Ok(Self { transport, from: config.from.clone() })
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// A message from Layan's address with a plain-text and an HTML body.
    pub fn compose(&self, to: Mailbox, subject: &str, text: String, html: String) -> Result<Message, MailError> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(lettre::message::MultiPart::alternative_plain_html(text, html))?)
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ())?,
            Transport::Files(t) => t.send(message).await.map(|_| ())?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_check_refuses_what_the_core_lets_through() {
        use crate::domain::person::EmailAddress;
        for address in ["siti@-contoh.com", "(siti)@contoh.com"] {
            assert!(EmailAddress::parse(address).is_ok(), "{address}: the core's check lets it through");
            assert!(!deliverable(address), "{address}");
        }
        assert!(deliverable("siti.aminah@dinsos.depok.go.id"));
    }

    #[tokio::test]
    async fn without_smtp_messages_land_as_files_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(&MailConfig {
            transport: MailTransport::Files { dir: dir.path().to_path_buf() },
            from: "Layan <layan@localhost>".parse().unwrap(),
        })
        .unwrap();
        let message = mailer
            .compose(
                "Warga <warga@example.com>".parse().unwrap(),
                "Permohonan diterima",
                "Nomor registrasi: LY-TEST".into(),
                "<p>Nomor registrasi: LY-TEST</p>".into(),
            )
            .unwrap();
        mailer.send(message).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains("Subject: Permohonan diterima"));
        assert!(eml.contains("To: Warga <warga@example.com>"));
        assert!(eml.contains("text/html"));
    }
}
