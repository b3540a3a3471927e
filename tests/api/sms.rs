//! Text messages to residents through a real SMS gateway (Kannel, with fakesmsc playing the
//! operator): one per event, to the number on the application, in words that fit one SMS;
//! a gateway outage delays them and loses none; delivery reports come back and staff see
//! them; residents' texts (`CEK`, `BERHENTI`, `MULAI`) come in through Kannel and are
//! answered; two instances sending at once send each message once.

use crate::fixtures::{PIN, staff, tracked};
use crate::helpers::{TestApp, free_port, spawn_app_with};
use crate::journey::Resident;
use crate::kannel::Kannel;
use axum::http::StatusCode;
use layan::domain::sms::fits_one_segment;
use layan::domain::workflow::Role;
use layan::server::notify::deliver_due;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

const SECRET: &str = "kannel-calls-layan-2026";
const PHONE: &str = "+6281234567890";

async fn app_with(kannel: &Kannel) -> TestApp {
    spawn_app_with(&[("SMS_URL", &kannel.sms_url()), ("LAYAN_SMS_SECRET", SECRET), ("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id")]).await
}

/// Kannel configured both ways, and the app listening on a loopback port for its calls
/// (delivery reports, residents' texts).
async fn app_called_back() -> Option<(Kannel, TestApp)> {
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}");
    let kannel = Kannel::start_calling(Some((&callback, SECRET)))?;
    let app = spawn_app_with(&[
        ("SMS_URL", &kannel.sms_url()),
        ("LAYAN_SMS_SECRET", SECRET),
        ("LAYAN_SMS_CALLBACK_URL", &callback),
        ("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id"),
    ])
    .await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Some((kannel, app))
}

/// Sends what is due (as the worker would) until `sql` counts `n`; panics after 30 s.
async fn until_count(app: &TestApp, sql: &str, n: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let _ = deliver_due(&app.state).await.unwrap();
        let got = app.count(sql).await;
        if got >= n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{sql}: {got}, waited for {n}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The texts the fake SMSC received for `to`, waiting until there are `n`.
async fn texts_to(kannel: &Kannel, to: &str, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let got: Vec<String> = kannel.received().into_iter().filter(|(_, t, _)| t == to).map(|(_, _, text)| text).collect();
        if got.len() >= n || std::time::Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
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

#[tokio::test]
async fn a_delivery_report_marks_the_text_delivered_for_staff_and_counts_it_for_administrators() {
    let Some((kannel, app)) = app_called_back().await else { return };
    let (id, shown) = apply(&app).await;
    // The fake SMSC reports delivery at once; Kannel calls the dlr-url Layan gave it.
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND delivery = 'delivered'", 1).await;
    assert!(texts_to(&kannel, PHONE, 1).await[0].contains(&shown));
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &verifier)]).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("Sampai di HP"), "staff see the last SMS reached the phone");
    let usage: (i64, i64, i64, i64) =
        sqlx::query_as("SELECT sent, segments, delivered, failed FROM sms_usage WHERE event = 'diajukan'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(usage, (1, 1, 1, 0));
    let (_, admin) = staff(&app, "ani", &[Role::Administrator]).await;
    let costs = app.get_with("/petugas/admin/sms", &[("cookie", &admin)]).await;
    assert_eq!(costs.status, StatusCode::OK);
    assert!(costs.body.contains("data-testid=\"sms-usage\"") && costs.body.contains("Permohonan: "), "{}", costs.body);
    let not_admin = app.get_with("/petugas/admin/sms", &[("cookie", &verifier)]).await;
    assert!(!not_admin.body.contains("sms-usage"), "only administrators see the costs");

    // A report without the secret is not Kannel's: nothing here, nothing changed. A report
    // repeated (or contradicted) changes nothing either.
    let (row,): (i64,) = sqlx::query_as("SELECT id FROM outbox_messages WHERE channel = 'sms'").fetch_one(app.state.db.pool()).await.unwrap();
    let forged = app.get(&format!("/sms/laporan?kunci=tebakan-tebakan-tebakan&pesan={row}&status=2")).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    let again = app.get(&format!("/sms/laporan?kunci={SECRET}&pesan={row}&status=2")).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE delivery = 'delivered'").await, 1);
    let usage_after: (i64, i64, i64, i64) =
        sqlx::query_as("SELECT sent, segments, delivered, failed FROM sms_usage WHERE event = 'diajukan'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(usage_after, usage);
}

#[tokio::test]
async fn cek_berhenti_and_mulai_sent_through_kannel_get_their_answers_and_effects() {
    let Some((mut kannel, app)) = app_called_back().await else { return };
    let (id, number) = tracked(&app, 1, layan::domain::workflow::Status::Submitted).await;
    // The right pair: the status and what comes next, to the phone that asked.
    kannel.send_in(PHONE, &format!("cek {number} {PIN}"));
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply' AND sent_at IS NOT NULL", 1).await;
    let got = texts_to(&kannel, PHONE, 1).await;
    assert!(got[0].contains("DITERIMA") && got[0].contains(&number), "{got:?}");
    assert!(!got[0].contains(PIN), "never the PIN: {got:?}");

    // A wrong PIN: the one answer for any wrong pair, counted against the number and the phone.
    kannel.send_in(PHONE, &format!("CEK {number} 000000"));
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply' AND sent_at IS NOT NULL", 2).await;
    let got = texts_to(&kannel, PHONE, 2).await;
    assert!(got[1].contains("tidak cocok") && !got[1].contains("DITERIMA"), "{got:?}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM guess_attempts WHERE kind = 'pin' AND subject = '{number}' AND ip = 'sms:{PHONE}' AND outcome = 'counted'")).await, 1);

    // Anything else: the one-line help.
    kannel.send_in(PHONE, "halo pak, bantuan saya kapan cair?");
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply' AND sent_at IS NOT NULL", 3).await;
    assert!(texts_to(&kannel, PHONE, 3).await[2].contains("CEK <nomor> <PIN>"));

    // BERHENTI: answered once, recorded, shown to staff; the next move texts nobody.
    kannel.send_in(PHONE, "BERHENTI");
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply' AND sent_at IS NOT NULL", 4).await;
    assert!(texts_to(&kannel, PHONE, 4).await[3].contains("MULAI"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sms_choices WHERE phone = '{PHONE}' AND stopped = TRUE")).await, 1);
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &verifier)]).await;
    assert!(review.body.contains("BERHENTI"), "staff see the resident's choice: {}", review.body);
    let asked = app
        .post_form(&format!("/petugas/permohonan/{id}/langkah"), "langkah=minta-perbaikan&bagian=dokumen&dokumen_diganti=ktp&catatan=Foto+buram", &[("cookie", &verifier), ORIGIN])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let _ = deliver_due(&app.state).await.unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox_messages WHERE application_id = {id} AND channel = 'sms'")).await, 0, "nothing queued for a stopped phone");

    // MULAI: texts again from the next event on.
    kannel.send_in(PHONE, "mulai");
    until_count(&app, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply' AND sent_at IS NOT NULL", 5).await;
    assert!(texts_to(&kannel, PHONE, 5).await[4].contains("aktif lagi"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sms_choices WHERE phone = '{PHONE}' AND stopped = FALSE")).await, 1);
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &verifier)]).await;
    assert!(!review.body.contains("BERHENTI"));
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(texts_to(&kannel, PHONE, 5).await.len(), 5, "one answer per text");
}

#[tokio::test]
async fn only_kannel_may_call_and_only_with_a_text_a_phone_could_send() {
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    let from = [("x-kannel-from", PHONE)];
    let without = app.post_form("/sms/masuk", "BERHENTI", &from).await;
    assert_eq!(without.status, StatusCode::NOT_FOUND, "no secret, nothing here");
    let wrong = app.post_form("/sms/masuk?kunci=bukan-rahasia-kannel", "BERHENTI", &from).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let huge = app.post_form(&format!("/sms/masuk?kunci={SECRET}"), &"CEK ".repeat(1000), &from).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("SELECT COUNT(*) FROM sms_choices").await + app.count("SELECT COUNT(*) FROM outbox_messages").await, 0, "nothing changed");
    // From a sender that is no mobile number (an operator's service): taken, not answered.
    let operator = app.post_form(&format!("/sms/masuk?kunci={SECRET}"), "Pulsa Anda hampir habis", &[("x-kannel-from", "TELKOMSEL")]).await;
    assert_eq!(operator.status, StatusCode::ACCEPTED);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages").await, 0);
    // The same text again (Kannel retrying) is answered once.
    let headers = [("x-kannel-from", PHONE), ("x-kannel-time", "2026-12-01 10:00:00")];
    for _ in 0..3 {
        assert_eq!(app.post_form(&format!("/sms/masuk?kunci={SECRET}"), "MULAI", &headers).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reply'").await, 1);
}

#[tokio::test]
async fn two_instances_sending_at_once_send_each_text_once() {
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    let second = crate::helpers::start(&app.env).await;
    let count = 24;
    for n in 0..count {
        tracked(&app, 100 + n, layan::domain::workflow::Status::Submitted).await;
    }
    // Each row's SMS, as submission queues it.
    sqlx::query(
        "INSERT INTO outbox_messages (event_key, kind, channel, application_id, recipient, event, created_at, next_attempt_at) \
         SELECT 'sms:' || id || ':0', 'application', 'sms', id, phone, 'diajukan', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z' FROM applications",
    )
    .execute(app.state.db.pool())
    .await
    .unwrap();
    let (a, b) = tokio::join!(
        async {
            let mut sent = 0;
            for _ in 0..5 { sent += deliver_due(&app.state).await.unwrap(); }
            sent
        },
        async {
            let mut sent = 0;
            for _ in 0..5 { sent += deliver_due(&second).await.unwrap(); }
            sent
        }
    );
    assert_eq!(a + b, count as usize, "every row sent by one of the two: {a} + {b}");
    let got = kannel.wait_for(count as usize).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let got_after = kannel.received();
    assert_eq!(got_after.len(), got.len(), "nothing more arrives");
    let mut texts: Vec<String> = got_after.into_iter().map(|(_, _, text)| text).collect();
    assert_eq!(texts.len(), count as usize);
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), count as usize, "no text twice");
}

#[tokio::test]
async fn each_move_texts_the_resident_once_in_the_words_of_its_step() {
    use crate::casework::{from_status, valid_form};
    use layan::domain::workflow::{Move, Status};
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    let (_, officer) = staff(&app, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor, Role::FrontDesk]).await;
    let mut expected = 0;
    for (n, m) in Move::ALL.iter().enumerate() {
        let (id, number) = tracked(&app, 10 + n as i64, from_status(*m)).await;
        let moved = app.post_form(&format!("/petugas/permohonan/{id}/langkah"), &valid_form(*m), &[("cookie", &officer), ORIGIN]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{m:?}: {}", moved.body);
        let reached = from_status(*m).after_as(*m, &[Role::Verifier, Role::FieldAssessor, Role::Supervisor, Role::FrontDesk]).unwrap().0;
        let words = match reached {
            Status::NeedsCorrection => "PERLU PERBAIKAN",
            Status::FieldAssessment => "MENGUNJUNGI",
            Status::AwaitingDecision | Status::Resubmitted => {
                // The quiet step between the visit and the decision, and a fix recorded at the
                // counter (the resident is standing there): no text.
                let _ = deliver_due(&app.state).await.unwrap();
                assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox_messages WHERE application_id = {id} AND channel = 'sms'")).await, 0);
                continue;
            }
            Status::Approved => "DISETUJUI",
            Status::Rejected => "TIDAK DISETUJUI",
            Status::Referred => "DITERUSKAN",
            Status::Served => "DIBERIKAN",
            Status::Withdrawn => "DICABUT",
            Status::Submitted => unreachable!("no move leads back to submitted"),
        };
        assert_eq!(deliver_due(&app.state).await.unwrap(), 1, "{m:?}: one message");
        expected += 1;
        let got = texts_to(&kannel, PHONE, expected).await;
        assert_eq!(got.len(), expected, "{m:?}: {got:?}");
        let text = got.last().unwrap();
        let shown = layan::domain::registration::RegistrationNumber::display_stored(number.clone());
        assert!(text.contains(words) && (text.contains(&shown) || text.contains(&number)), "{m:?}: {text}");
        assert!(fits_one_segment(text), "{m:?}: {text}");
        for private in ["Bedah rumah", "20.000.000", "bambu", "BAZNAS", "buram", "3276015505870001"] {
            assert!(!text.contains(private), "{m:?}: the details stay on the tracking page: {text}");
        }
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(texts_to(&kannel, PHONE, expected).await.len(), expected, "one each");
}

#[tokio::test]
async fn an_answered_complaint_is_texted_to_the_phone_it_left() {
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    crate::complaints::complain(&app, &[("jenis", "pertanyaan"), ("tentang", "umum"), ("pesan", "Kapan bantuan PKH cair bulan ini?"), ("telepon", "0812-3456-7890")]).await;
    let (id, number): (i64, String) = sqlx::query_as("SELECT id, number FROM complaints").fetch_one(app.state.db.pool()).await.unwrap();
    let _ = deliver_due(&app.state).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms'").await, 0, "receiving it is not texted");
    let (_, officer) = staff(&app, "vera", &[Role::Verifier]).await;
    let replied = app.post_form(&format!("/petugas/pengaduan/{id}/jawab"), "jawaban=Bulan+depan+tanggal+5", &[("cookie", &officer), ORIGIN]).await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    let got = texts_to(&kannel, PHONE, 1).await;
    let shown = layan::domain::registration::RegistrationNumber::display_stored(number);
    assert!(got.len() == 1 && got[0].contains("DIJAWAB") && got[0].contains(&shown), "{got:?}");
    assert!(!got[0].contains("tanggal 5"), "the answer itself is read on the page: {got:?}");
}

#[tokio::test]
async fn thirty_delivery_reports_at_once_are_each_counted_once() {
    let Some(kannel) = Kannel::start() else { return };
    let app = app_with(&kannel).await;
    for n in 0..10 {
        tracked(&app, 200 + n, layan::domain::workflow::Status::Submitted).await;
    }
    sqlx::query(
        "INSERT INTO outbox_messages (event_key, kind, channel, application_id, recipient, event, created_at, next_attempt_at, sent_at, segments) \
         SELECT 'sms:' || id || ':0', 'application', 'sms', id, phone, 'diajukan', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:01Z', 1 FROM applications",
    )
    .execute(app.state.db.pool())
    .await
    .unwrap();
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM outbox_messages ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    // Each of ten messages reported three times at once (Kannel's retries, a repeated
    // report): delivered for the first five, not delivered for the others.
    let reports = ids.iter().flat_map(|(id,)| std::iter::repeat_n(*id, 3)).map(|id| {
        let app = &app;
        let status = if id <= ids[4].0 { 1 } else { 2 };
        async move { app.get(&format!("/sms/laporan?kunci={SECRET}&pesan={id}&status={status}")).await.status }
    });
    let statuses = futures_util::future::join_all(reports).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::NO_CONTENT), "{statuses:?}");
    let usage: (i64, i64) = sqlx::query_as("SELECT delivered, failed FROM sms_usage WHERE event = 'diajukan'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(usage, (5, 5));
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE delivery = 'delivered'").await, 5);
}
