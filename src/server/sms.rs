//! Text messages out: the SMS gateway behind one small trait, so the outbox does not care
//! whether Kannel, an aggregator's HTTP API or a folder of files takes the message.
//! Kannel's `sendsms` interface is what Indonesian offices reach operators' SMSCs through
//! (`SMS_URL=kannel://user:pass@host:port?from=DINSOS`); unset, messages are written to files
//! beside the email outbox, so the embedded default needs nothing installed.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

/// Where text messages go (`SMS_URL`).
#[derive(Clone, Debug)]
pub enum SmsTransport {
    Files { dir: PathBuf },
    Kannel(KannelSettings),
}

/// Kannel's smsbox: its `sendsms` address, a `sendsms-user`, and the sender shown on phones.
#[derive(Clone, PartialEq, Eq)]
pub struct KannelSettings {
    /// `http://host:port/cgi-bin/sendsms`.
    pub sendsms_url: String,
    pub username: String,
    pub password: String,
    pub from: String,
    /// `LAYAN_SMS_SECRET`: what Kannel's calls to Layan (delivery reports, incoming
    /// messages) carry, so no one else can make them.
    pub secret: String,
    /// `LAYAN_SMS_CALLBACK_URL` (default `LAYAN_PUBLIC_URL`): where Kannel reaches Layan.
    pub callback_url: String,
}

impl std::fmt::Debug for KannelSettings {
    // The password and the secret stay out of every log line and error.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KannelSettings")
            .field("sendsms_url", &self.sendsms_url)
            .field("username", &self.username)
            .field("from", &self.from)
            .field("callback_url", &self.callback_url)
            .finish()
    }
}

/// The shortest `LAYAN_SMS_SECRET` accepted.
pub const SECRET_MIN_LEN: usize = 16;

impl KannelSettings {
    /// Whether a call to Layan carries the secret (compared as digests, so the time taken
    /// tells nothing about how much of it was right).
    pub fn is_secret(&self, given: &str) -> bool {
        use sha2::Digest;
        !self.secret.is_empty() && sha2::Sha256::digest(given.as_bytes()) == sha2::Sha256::digest(self.secret.as_bytes())
    }

    /// The `dlr-url` Kannel calls with the outcome of message `outbox_id` (`%d`: see
    /// `domain::sms::Delivery::from_kannel`).
    pub fn report_url(&self, outbox_id: i64) -> String {
        format!("{}/sms/laporan?kunci={}&pesan={outbox_id}&status=%d", self.callback_url.trim_end_matches('/'), self.secret)
    }
}

impl KannelSettings {
    /// `kannel://user:password@host:port?from=SENDER` (`from` optional: `DINSOS`).
    pub fn parse(url: &str) -> Option<Self> {
        let rest = url.strip_prefix("kannel://")?;
        let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (user, host) = address.rsplit_once('@')?;
        let (username, password) = user.split_once(':')?;
        let (name, port) = host.trim_end_matches('/').rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        if username.is_empty() || name.is_empty() {
            return None;
        }
        let from = query.split('&').find_map(|pair| pair.strip_prefix("from=")).filter(|f| !f.is_empty()).unwrap_or("DINSOS");
        Some(Self {
            sendsms_url: format!("http://{name}:{port}/cgi-bin/sendsms"),
            username: username.to_string(),
            password: password.to_string(),
            from: from.to_string(),
            secret: String::new(),
            callback_url: String::new(),
        })
    }
}

/// Why a message did not leave; `permanent` when trying again would not help (the gateway
/// refused the credentials or the number).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SmsError {
    pub message: String,
    pub permanent: bool,
}

impl SmsError {
    fn transient(message: impl Into<String>) -> Self {
        Self { message: message.into(), permanent: false }
    }
}

/// One message: to whom (`+62…`), what, and the outbox row it comes from (for delivery
/// reports).
#[derive(Clone, Debug)]
pub struct Sms<'a> {
    pub to: &'a str,
    pub text: &'a str,
    pub outbox_id: i64,
}

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// What sends a text message. A new gateway (an aggregator's HTTP API) is one more of these.
pub trait SmsGateway: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> Sending<'a>;
}

/// The gateway for the configured transport.
pub fn gateway(transport: &SmsTransport) -> Arc<dyn SmsGateway> {
    match transport {
        SmsTransport::Files { dir } => Arc::new(Files { dir: dir.clone() }),
        SmsTransport::Kannel(settings) => Arc::new(Kannel {
            settings: settings.clone(),
            client: reqwest::Client::builder().timeout(std::time::Duration::from_secs(15)).build().unwrap_or_default(),
        }),
    }
}

/// Messages as files (`<outbox id>.txt`: the number, a blank line, the text).
#[derive(Debug)]
struct Files {
    dir: PathBuf,
}

impl SmsGateway for Files {
    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> Sending<'a> {
        Box::pin(async move {
            tokio::fs::create_dir_all(&self.dir).await.map_err(|e| SmsError::transient(format!("creating the SMS folder: {e}")))?;
            let path = self.dir.join(format!("{}.txt", sms.outbox_id));
            tokio::fs::write(&path, format!("{}\n\n{}\n", sms.to, sms.text)).await.map_err(|e| SmsError::transient(format!("writing an SMS file: {e}")))
        })
    }
}

/// Kannel's HTTP `sendsms`: "0: Accepted for delivery" (or "3: Queued for later delivery")
/// means Kannel has it and will retry the SMSC itself.
#[derive(Debug)]
struct Kannel {
    settings: KannelSettings,
    client: reqwest::Client,
}

impl SmsGateway for Kannel {
    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> Sending<'a> {
        Box::pin(async move {
            let s = &self.settings;
            let report = s.report_url(sms.outbox_id);
            // Reports for the final outcomes only: delivered (1), not delivered (2), refused
            // by the operator (16).
            let query = [
                ("username", s.username.as_str()),
                ("password", s.password.as_str()),
                ("from", s.from.as_str()),
                ("to", sms.to),
                ("text", sms.text),
                ("charset", "UTF-8"),
                ("coding", "0"),
                ("dlr-mask", "19"),
                ("dlr-url", report.as_str()),
            ];
            let response = self
                .client
                .get(&s.sendsms_url)
                .query(&query)
                .send()
                .await
                // The error names the URL, whose query holds the password: say what failed only.
                .map_err(|e| SmsError::transient(if e.is_timeout() { "the SMS gateway did not answer in time" } else { "the SMS gateway could not be reached" }))?;
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            let body = body.trim().chars().take(200).collect::<String>();
            match status.as_u16() {
                200..=299 => Ok(()),
                // Kannel answers 403 for a wrong user or password, 400 for a number or text it
                // will not take: the same message will not fare better later.
                400..=499 => Err(SmsError { message: format!("the SMS gateway refused the message ({status}): {body}"), permanent: true }),
                _ => Err(SmsError::transient(format!("the SMS gateway failed ({status}): {body}"))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kannel_address_names_its_sendsms_user_and_sender_and_never_shows_the_password() {
        let k = KannelSettings::parse("kannel://layan:rahasia@127.0.0.1:13013?from=DINSOSDPK").unwrap();
        assert_eq!(k.sendsms_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
        assert_eq!((k.username.as_str(), k.password.as_str(), k.from.as_str()), ("layan", "rahasia", "DINSOSDPK"));
        assert!(!format!("{k:?}").contains("rahasia"));
        let k = KannelSettings { secret: "s3cr3t-s3cr3t-s3cr3t".into(), callback_url: "http://10.0.0.5:3000/".into(), ..k };
        assert_eq!(k.report_url(42), "http://10.0.0.5:3000/sms/laporan?kunci=s3cr3t-s3cr3t-s3cr3t&pesan=42&status=%d");
        assert!(k.is_secret("s3cr3t-s3cr3t-s3cr3t") && !k.is_secret("s3cr3t") && !k.is_secret(""));
        assert!(!format!("{k:?}").contains("s3cr3t"));
        assert_eq!(KannelSettings::parse("kannel://layan:rahasia@sms.internal:13013").unwrap().from, "DINSOS");
        for bad in ["kannel://127.0.0.1:13013", "http://layan:x@127.0.0.1:13013", "kannel://layan:x@127.0.0.1", "kannel://:x@h:1"] {
            assert_eq!(KannelSettings::parse(bad), None, "{bad}");
        }
    }
}
