//! Email to residents through a real SMTP server on loopback (aiosmtpd, which the test
//! command installs): one message per event, to the right person, with the right words;
//! nothing lost while the server is down, nothing sent twice.

use crate::helpers::{TestApp, spawn_app_with};
use crate::fixtures::application;
use layan::domain::apply::Step;
use layan::domain::decision::Action;
use layan::domain::workflow::{Role, Status};
use layan::server::db::casework;
use layan::server::notify::deliver_due;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// aiosmtpd on 127.0.0.1, storing what it receives in a maildir.
pub(crate) struct SmtpServer {
    child: Option<Child>,
    pub(crate) port: u16,
    maildir: PathBuf,
    /// The handler class, and the folder holding its module when it is ours.
    handler: (&'static str, Option<PathBuf>),
}

/// A mailbox that refuses for good (550, as a real server does for a mailbox that does not
/// exist) every recipient whose address starts with "tolak".
const REFUSING_HANDLER: &str = r#"
from aiosmtpd.handlers import Mailbox

class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("tolak"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
"#;

impl SmtpServer {
    pub(crate) fn start(dir: &Path) -> Self {
        Self::with_handler(dir, ("aiosmtpd.handlers.Mailbox", None))
    }

    /// One that refuses addresses starting with "tolak" with a permanent error.
    pub(crate) fn start_refusing(dir: &Path) -> Self {
        std::fs::write(dir.join("layan_refusing.py"), REFUSING_HANDLER).unwrap();
        Self::with_handler(dir, ("layan_refusing.Refusing", Some(dir.to_path_buf())))
    }

    fn with_handler(dir: &Path, handler: (&'static str, Option<PathBuf>)) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut server = SmtpServer { child: None, port, maildir: dir.join("maildir"), handler };
        server.restart();
        server
    }

    fn restart(&mut self) {
        let python = std::env::var("LAYAN_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut command = Command::new(&python);
        if let Some(path) = &self.handler.1 {
            command.env("PYTHONPATH", path);
        }
        let child = command
            .args(["-m", "aiosmtpd", "-n", "-c", self.handler.0])
            .arg(&self.maildir)
            .args(["-l", &format!("127.0.0.1:{}", self.port)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting aiosmtpd with {python}: {e} (scripts/test.sh installs it)"));
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("aiosmtpd did not listen on {} (is it installed for {python}? scripts/test.sh installs it)", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, with quoted-printable bodies decoded.
    pub(crate) fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.map(|e| quoted_printable(&std::fs::read_to_string(e.unwrap().path()).unwrap())).collect()
    }
}

/// Undoes quoted-printable (soft line breaks, `=XX`), enough to read the text as written.
fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

pub(crate) async fn app_with_smtp(smtp: &SmtpServer) -> TestApp {
    spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port)), ("LAYAN_PUBLIC_URL", "https://layan.example")]).await
}

/// An application of a resident with an email address and no mobile number: these tests
/// are about the email channel (text messages: tests/api/sms.rs).
async fn with_email(app: &TestApp, n: i64, status: Status, email: Option<&str>) -> i64 {
    let id = application(app, n, "3276011006", status, "2026-11-20T01:00:00Z", "2027-01-05").await;
    sqlx::query("UPDATE applications SET email = $1, phone = '' WHERE id = $2").bind(email).bind(id).execute(app.state.db.pool()).await.unwrap();
    id
}

async fn verifier(app: &TestApp) -> i64 {
    crate::helpers::insert_staff(app, "vera", "Vera").await
}

fn correction() -> Action {
    Action::RequestCorrection { items: vec![Step::Documents], note: "Foto KK terpotong.".into(), documents: Vec::new() }
}

#[tokio::test]
async fn a_correction_request_reaches_the_resident_once_with_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    let app = app_with_smtp(&smtp).await;
    let pool = app.state.db.pool();
    let staff = verifier(&app).await;
    let id = with_email(&app, 1, Status::Submitted, Some("siti@example.com")).await;
    let quiet = with_email(&app, 2, Status::Submitted, None).await;
    for application in [id, quiet] {
        casework::apply_move(pool, application, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &correction(), 7).await.unwrap();
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages").await, 1, "no address, no message");

    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "sent once");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(message.contains("X-RcptTo: siti@example.com"), "{message}");
    assert!(message.contains("Subject: Permohonan TEST00001: Perlu perbaikan"), "{message}");
    assert!(message.contains("Foto KK terpotong."));
    assert!(message.contains("https://layan.example/lacak?nomor=TEST00001"));
    assert!(!message.contains("3276015505870001"), "no NIK in email");
    let (sent_at,): (Option<String>,) = sqlx::query_as("SELECT sent_at FROM outbox_messages").fetch_one(pool).await.unwrap();
    assert!(sent_at.is_some());
}

#[tokio::test]
async fn messages_wait_out_an_smtp_outage_and_arrive_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut smtp = SmtpServer::start(dir.path());
    let app = app_with_smtp(&smtp).await;
    let pool = app.state.db.pool();
    let staff = verifier(&app).await;
    smtp.stop();

    // Three events while the server is down: a correction, an approval, a rejection.
    let a = with_email(&app, 1, Status::Submitted, Some("a@example.com")).await;
    let b = with_email(&app, 2, Status::AwaitingDecision, Some("b@example.com")).await;
    let c = with_email(&app, 3, Status::AwaitingDecision, Some("c@example.com")).await;
    casework::apply_move(pool, a, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &correction(), 7).await.unwrap();
    let approve = Action::Approve { service: "Bedah rumah".into(), amount_rupiah: Some(20_000_000), note: None };
    casework::apply_move(pool, b, Status::AwaitingDecision, Status::Approved, staff, Role::Supervisor, &approve, 7).await.unwrap();
    let reject = Action::Reject { reason: layan::domain::decision::RejectReason::AlreadyReceiving, note: None };
    casework::apply_move(pool, c, Status::AwaitingDecision, Status::Rejected, staff, Role::Supervisor, &reject, 7).await.unwrap();

    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE attempts = 1 AND sent_at IS NULL AND last_error IS NOT NULL").await, 3);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "waiting out the backoff, not hammering");

    // Later (the backoff has passed), the server is back.
    smtp.restart();
    sqlx::query("UPDATE outbox_messages SET next_attempt_at = '2000-01-01T00:00:00Z'").execute(pool).await.unwrap();
    assert_eq!(deliver_due(&app.state).await.unwrap(), 3);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 3);
    for (to, words) in [("a@example.com", "Perlu perbaikan"), ("b@example.com", "Bedah rumah (Rp20.000.000)"), ("c@example.com", "Sudah menerima bantuan sejenis")] {
        let found: Vec<_> = messages.iter().filter(|m| m.contains(&format!("X-RcptTo: {to}"))).collect();
        assert_eq!(found.len(), 1, "{to}");
        assert!(found[0].contains(words), "{to}: {words}");
    }
}

#[tokio::test]
async fn a_row_another_worker_took_is_not_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    let app = app_with_smtp(&smtp).await;
    let pool = app.state.db.pool();
    let staff = verifier(&app).await;
    let id = with_email(&app, 1, Status::Submitted, Some("siti@example.com")).await;
    casework::apply_move(pool, id, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &correction(), 7).await.unwrap();

    // A worker (another instance, or this one before a restart) took the row and vanished.
    let row = layan::server::db::outbox::due(pool, 10).await.unwrap().remove(0);
    assert!(layan::server::db::outbox::lease(pool, &row).await.unwrap());
    assert!(!layan::server::db::outbox::lease(pool, &row).await.unwrap(), "a row is taken once");
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "leased: left alone");
    // Its lease runs out: sent, once.
    sqlx::query("UPDATE outbox_messages SET next_attempt_at = '2000-01-01T00:00:00Z'").execute(pool).await.unwrap();
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn a_permanent_refusal_is_not_retried_and_administrators_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut smtp = SmtpServer::start_refusing(dir.path());
    let app = app_with_smtp(&smtp).await;
    let refused = with_email(&app, 1, Status::Submitted, Some("tolak.siti@example.com")).await;
    let fine = with_email(&app, 2, Status::Submitted, Some("budi@example.com")).await;
    let staff = verifier(&app).await;
    for id in [refused, fine] {
        casework::apply_move(app.state.db.pool(), id, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &correction(), 7).await.unwrap();
    }
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1, "one sent, one refused");
    // Refused for good: given up after one try, never tried again, even when due.
    sqlx::query("UPDATE outbox_messages SET next_attempt_at = '2020-01-01T00:00:00Z'").execute(app.state.db.pool()).await.unwrap();
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    let (attempts, failed): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, failed_at FROM outbox_messages WHERE recipient = 'tolak.siti@example.com'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!((attempts, failed.is_some()), (1, true));

    // A server that is down is tried again, but not for ever: after a day of tries, given up.
    smtp.stop();
    let third = with_email(&app, 3, Status::Submitted, Some("ani@example.com")).await;
    casework::apply_move(app.state.db.pool(), third, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &correction(), 7).await.unwrap();
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE failed_at IS NOT NULL").await, 1, "a connection refused is worth another try");
    sqlx::query("UPDATE outbox_messages SET attempts = 29, next_attempt_at = '2020-01-01T00:00:00Z' WHERE recipient = 'ani@example.com'").execute(app.state.db.pool()).await.unwrap();
    deliver_due(&app.state).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE failed_at IS NOT NULL").await, 2);

    let (_, admin) = crate::fixtures::staff(&app, "admin.surat", &[Role::Administrator]).await;
    let page = app.get_with("/petugas/admin/pesan-gagal", &[("cookie", &admin)]).await;
    assert!(page.body.contains("t***@example.com") && page.body.contains("550"), "{}", page.body);
    assert!(!page.body.contains("tolak.siti@"), "the address is masked, in the table and in the error");
    let (_, verifier_cookie) = crate::fixtures::staff(&app, "vera.surat", &[Role::Verifier]).await;
    let refused_page = app.get_with("/petugas/admin/pesan-gagal", &[("cookie", &verifier_cookie)]).await;
    assert!(!refused_page.body.contains("t***@example.com") && refused_page.body.contains("hanya untuk administrator"));
}
