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
