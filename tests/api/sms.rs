//! Text messages to residents through a real SMS gateway (Kannel, with fakesmsc playing the
//! operator): one per event, to the number on the application, in words that fit one SMS;
//! a gateway outage delays them and loses none.

use crate::fixtures::staff;
use crate::helpers::{TestApp, spawn_app_with};
use crate::journey::Resident;
use crate::kannel::Kannel;
use axum::http::StatusCode;
use layan::domain::sms::fits_one_segment;
use layan::domain::workflow::Role;
use layan::server::notify::deliver_due;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

async fn app_with(kannel: &Kannel) -> TestApp {
    spawn_app_with(&[("SMS_URL", &kannel.sms_url()), ("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id")]).await
}

/// A resident applies through the plain forms with the phone 0812 3456 7890; the
/// application's id and the number as shown.
async fn apply(app: &TestApp) -> (i64, String) {
    let mut resident = Resident::new(app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    assert_eq!(resident.submit().await.status, StatusCode::SEE_OTHER);
    let number = resident.receipt_number().await.expect("a receipt");
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&number).fetch_one(app.state.db.pool()).await.unwrap();
    (id, layan::domain::registration::RegistrationNumber::display_stored(number))
}

#[tokio::test]
async fn a_submission_and_each_move_reach_the_residents_phone_once_through_kannel() {
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    let (id, shown) = apply(&app).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox_messages WHERE application_id = {id} AND channel = 'sms'")).await, 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "sent once");
    let got = kannel.wait_for(1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let (from, to, text) = &got[0];
    assert_eq!((from.as_str(), to.as_str()), ("DINSOS", "+6281234567890"));
    assert!(text.contains(&shown) && text.contains("DITERIMA") && text.contains("layan.dinsos.example.go.id/lacak"), "{text}");
    assert!(fits_one_segment(text), "{text}");
    assert!(!text.contains("3276015505870003") && !text.contains("Siti"), "no NIK, no name: {text}");

    // The verifier asks for a correction: one more message, saying so.
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let asked = app
        .post_form(
            &format!("/petugas/permohonan/{id}/langkah"),
            "langkah=minta-perbaikan&bagian=dokumen&dokumen_diganti=ktp&catatan=Foto+KTP+buram",
            &[("cookie", &verifier), ORIGIN],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    let got = kannel.wait_for(2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[1].2.contains(&shown) && got[1].2.contains("PERLU PERBAIKAN"), "{:?}", got[1]);
    assert!(!got[1].2.contains("buram"), "the staff's note stays on the tracking page: {:?}", got[1]);
}

#[tokio::test]
async fn a_gateway_outage_delays_text_messages_and_loses_none() {
    let Some(mut kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    let pool = app.state.db.pool().clone();
    kannel.stop_bearerbox();
    let (_, shown) = apply(&app).await;
    // The gateway cannot take it: the row waits its backoff, not sent, not given up.
    let _ = deliver_due(&app.state).await.unwrap();
    let (attempts, sent, failed): (i64, Option<String>, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at, failed_at FROM outbox_messages WHERE channel = 'sms'").fetch_one(&pool).await.unwrap();
    assert!(sent.is_none() && failed.is_none(), "kept for later");
    kannel.start_bearerbox();
    // The worker tries again after each backoff (made due at once here) until the gateway
    // takes it; then it arrives, once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.count("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND sent_at IS NOT NULL").await == 0 {
        assert!(std::time::Instant::now() < deadline, "the gateway never took the message back");
        sqlx::query("UPDATE outbox_messages SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE sent_at IS NULL").execute(&pool).await.unwrap();
        let _ = deliver_due(&app.state).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    let got = kannel.wait_for(1).await;
    assert_eq!(got.len(), 1, "{got:?} after {attempts} failed attempts");
    assert!(got[0].2.contains(&shown));
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND sent_at IS NOT NULL").await, 1);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(kannel.received().len(), 1, "delivered once");
}
