//! Complaints and disputes: the public form (bad input changes nothing; a double tap makes
//! one), following one by number and PIN, staff answering within their roles and areas (every
//! opening logged), the reply reaching the sender on the page and by email; disputes within
//! 14 days of a decision; the email sign-in link; the staff's overdue digest.

use crate::fixtures::{FilePart, PIN, application, application_with_number, multipart, staff};
use crate::helpers::{LogCapture, TestApp, TestResponse, spawn_app};
use crate::notify::{SmtpServer, app_with_smtp};
use axum::http::StatusCode;
use layan::domain::decision::{Action, RejectReason};
use layan::domain::registration::RegistrationNumber;
use layan::domain::workflow::{Role, Status};
use layan::server::notify::deliver_due;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];

async fn post_multipart(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> TestResponse {
    // The photo input is always sent, empty when no file was chosen (as a browser does).
    let (file_name, content) = file.unwrap_or(("", &[]));
    let (content_type, body) = multipart(fields, Some(FilePart { field: "foto", file_name, mime: "application/octet-stream", content }));
    let mut request = axum::http::Request::post(path)
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("content-type", content_type);
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    app.request(request.body(axum::body::Body::from(body)).unwrap()).await
}

fn cookie_of(response: &TestResponse) -> String {
    response.header("set-cookie").split(';').next().unwrap_or_default().to_string()
}

/// Sends a complaint from the public form; returns (number as shown, PIN) from the receipt.
pub(crate) async fn complain(app: &TestApp, fields: &[(&str, &str)]) -> (String, String) {
    let sent = post_multipart(app, "/pengaduan", "", fields, None).await;
    assert_eq!((sent.status, sent.header("location")), (StatusCode::SEE_OTHER, "/pengaduan/terkirim"), "{}", sent.body);
    let receipt = app.get_with("/pengaduan/terkirim", &[("cookie", &cookie_of(&sent))]).await;
    let grab = |id: &str| {
        let at = receipt.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id} in {}", receipt.body));
        let start = at + receipt.body[at..].find('>').unwrap() + 1;
        receipt.body[start..].split('<').next().unwrap().to_string()
    };
    (grab("nomor-pengaduan"), grab("pin-pengaduan"))
}

async fn look_up(app: &TestApp, number: &str, pin: &str) -> TestResponse {
    app.post_form("/lacak", &format!("nomor={number}&pin={pin}"), &[ORIGIN]).await
}

#[tokio::test]
async fn a_bad_complaint_is_refused_in_indonesian_and_writes_nothing() {
    let app = spawn_app().await;
    let (_, number) = application_with_number(&app, 1, Status::Submitted, None).await;
    let cases: Vec<(Vec<(&str, &str)>, Option<(&str, &[u8])>, StatusCode, &str)> = vec![
        (vec![], None, StatusCode::UNPROCESSABLE_ENTITY, "Pilih jenis pesan"),
        (vec![("jenis", "pengaduan"), ("tentang", "permohonan"), ("pesan", "Belum ada kabar sama sekali.")], None, StatusCode::UNPROCESSABLE_ENTITY, "Tulis nomor pendaftaran"),
        (vec![("jenis", "pengaduan"), ("tentang", "permohonan"), ("nomor", "K7QM-3XH9-Q"), ("pesan", "Belum ada kabar sama sekali.")], None, StatusCode::UNPROCESSABLE_ENTITY, "Nomor pendaftaran tidak benar"),
        (vec![("jenis", "sanggah"), ("tentang", "umum"), ("pesan", "Belum ada kabar sama sekali.")], None, StatusCode::UNPROCESSABLE_ENTITY, "Pilih jenis pesan"),
        (vec![("jenis", "saran"), ("tentang", "loket"), ("loket", "999999"), ("pesan", "Mohon buka hari Sabtu.")], None, StatusCode::UNPROCESSABLE_ENTITY, "Pilih loket layanan"),
        (vec![("jenis", "saran"), ("tentang", "umum"), ("pesan", "pendek")], None, StatusCode::UNPROCESSABLE_ENTITY, "paling sedikit 10 huruf"),
        (vec![("jenis", "saran"), ("tentang", "umum"), ("pesan", "Mohon buka hari Sabtu."), ("email", "siti@@x")], None, StatusCode::UNPROCESSABLE_ENTITY, "Tulis email dengan benar"),
        (vec![("jenis", "saran"), ("tentang", "umum"), ("pesan", "Mohon buka hari Sabtu.")], Some(("virus.exe", b"MZ\x90\x00 not an image at all")), StatusCode::UNSUPPORTED_MEDIA_TYPE, "JPEG"),
    ];
    for (fields, file, status, message) in cases {
        let refused = post_multipart(&app, "/pengaduan", "", &fields, file).await;
        assert_eq!(refused.status, status, "{fields:?}");
        assert!(refused.body.contains(message), "{fields:?}: {message}: {}", refused.body.split("ringkasan-galat-judul").nth(2).unwrap_or_default().chars().take(900).collect::<String>());
        assert!(refused.body.contains("ringkasan-galat"), "an error summary");
    }
    // The typed message is shown again; the valid number kept.
    let again = post_multipart(&app, "/pengaduan", "", &[("jenis", "pengaduan"), ("tentang", "permohonan"), ("nomor", &number), ("pesan", "tolong")], None).await;
    assert!(again.body.contains(&format!("value=\"{number}\"")) && again.body.contains(">tolong</textarea>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_files").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages").await, 0);
    let stored = std::fs::read_dir(&app.state.config.upload_dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "a refused photo is not kept");

    // From another site: refused before it is read.
    let (content_type, body) = multipart(
        &[("jenis", "saran"), ("tentang", "umum"), ("pesan", "Mohon buka hari Sabtu.")],
        Some(FilePart { field: "foto", file_name: "", mime: "application/octet-stream", content: &[] }),
    );
    let request = axum::http::Request::post("/pengaduan")
        .header("host", "127.0.0.1:3000")
        .header("origin", "https://evil.example")
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, 0);
}

#[tokio::test]
async fn a_complaint_gets_a_number_and_pin_and_a_double_tap_makes_one() {
    let app = spawn_app().await;
    let (application_id, number) = application_with_number(&app, 1, Status::Submitted, None).await;
    let form = [
        ("kunci", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ("jenis", "pengaduan"),
        ("tentang", "permohonan"),
        ("nomor", &number.to_lowercase()),
        ("pesan", "Sudah dua bulan belum ada kabar."),
        ("nama", "Siti Aminah"),
    ];
    let first = post_multipart(&app, "/pengaduan", "", &form, Some(("atap.jpg", JPEG))).await;
    let second = post_multipart(&app, "/pengaduan", "", &form, Some(("atap.jpg", JPEG))).await;
    for sent in [&first, &second] {
        assert_eq!(sent.header("location"), "/pengaduan/terkirim");
        assert!(sent.header("set-cookie").contains("HttpOnly") && sent.header("set-cookie").contains("Path=/pengaduan"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, 1, "a double tap makes one complaint");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_files").await, 1);
    let stored = std::fs::read_dir(&app.state.config.upload_dir).unwrap().count();
    assert_eq!(stored, 1, "the second tap's photo is not kept");
    let row: (String, String, Option<i64>, Option<String>, String) =
        sqlx::query_as("SELECT kind, status, application_id, district_code, due FROM complaints").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!((row.0.as_str(), row.1.as_str(), row.2, row.3.as_deref()), ("pengaduan", "diterima", Some(application_id), Some("327601")));
    assert!(row.4 > layan::server::db::office_today(7).to_string(), "due in ten working days");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_history WHERE to_status = 'diterima' AND actor = 'resident'").await, 1);

    let receipt = app.get_with("/pengaduan/terkirim", &[("cookie", &cookie_of(&first))]).await;
    assert!(receipt.body.contains("Pesan Anda sudah diterima") && receipt.body.contains("id=\"pin-pengaduan\""));
    // Without the cookie (another browser), no PIN.
    let elsewhere = app.get("/pengaduan/terkirim").await;
    assert!(!elsewhere.body.contains("id=\"pin-pengaduan\""));
}

#[tokio::test]
async fn a_complaint_about_a_number_no_one_has_gets_the_same_answer_and_staff_see_it_is_unknown() {
    let app = spawn_app().await;
    let (_, known) = application_with_number(&app, 1, Status::Submitted, None).await;
    let unknown = RegistrationNumber::from_random([9, 9, 9, 9, 9]).as_str().to_string();
    let about = |number: &str| -> Vec<(&'static str, String)> {
        vec![("jenis", "pengaduan".into()), ("tentang", "permohonan".into()), ("nomor", number.into()), ("pesan", "Belum ada kabar sama sekali.".into())]
    };
    let mut answers = Vec::new();
    for number in [&known, &unknown] {
        let fields = about(number);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let sent = post_multipart(&app, "/pengaduan", "", &fields, None).await;
        let receipt = app.get_with("/pengaduan/terkirim", &[("cookie", &cookie_of(&sent))]).await;
        answers.push((sent.status, sent.header("location").to_string(), receipt.status, receipt.body.contains("id=\"pin-pengaduan\"")));
    }
    assert_eq!(answers[0], answers[1], "a number that exists and one that does not get the same answer");
    assert_eq!(answers[0].0, StatusCode::SEE_OTHER);
    let row: (Option<i64>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT application_id, stated_number, district_code FROM complaints WHERE stated_number IS NOT NULL")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(row, (None, Some(unknown.clone()), None), "kept as a general complaint with the number as typed");
    let id = app.count("SELECT id FROM complaints WHERE stated_number IS NOT NULL").await;
    let (_, cookie) = staff(&app, "vera", &[Role::Verifier]).await;
    let shown = app.get_with(&format!("/petugas/pengaduan/{id}"), &[("cookie", &cookie)]).await;
    assert!(shown.body.contains("tidak ada permohonan dengan nomor ini"), "{}", shown.body);
    assert!(shown.body.contains(&RegistrationNumber::display_stored(unknown)));
}

#[tokio::test]
async fn staff_answer_within_their_roles_and_areas_and_the_sender_reads_the_reply_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    let app = app_with_smtp(&smtp).await;
    let logs = LogCapture::start();
    let (_, app_number) = application_with_number(&app, 1, Status::Submitted, None).await;
    let (number, pin) = complain(&app, &[
        ("jenis", "pengaduan"),
        ("tentang", "permohonan"),
        ("nomor", &app_number),
        ("pesan", "Petugas meminta uang untuk mempercepat."),
        ("email", "siti@example.com"),
        ("telepon", "0812 3456 7890"),
    ])
    .await;
    let id: (i64,) = sqlx::query_as("SELECT id FROM complaints").fetch_one(app.state.db.pool()).await.unwrap();
    let id = id.0;
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1, "received: one message");

    // Who may see and answer it: a verifier of Kota Depok yes; an assessor, or a verifier of
    // another city, no — and their refusals change nothing.
    let (_, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    let (_, ani) = staff(&app, "ani", &[Role::FieldAssessor]).await;
    let (jaya_id, jaya) = staff(&app, "jaya", &[Role::Verifier]).await;
    sqlx::query("UPDATE staff_areas SET region_code = '9171' WHERE staff_id = $1").bind(jaya_id).execute(app.state.db.pool()).await.unwrap();
    let page = format!("/petugas/pengaduan/{id}");
    let reply = format!("{page}/jawab");
    for cookie in [&ani, &jaya] {
        let shown = app.get_with(&page, &[("cookie", cookie)]).await;
        assert!(shown.body.contains("bukan di wilayah atau peran Anda") && !shown.body.contains("0812"));
        let refused = app.post_form(&reply, "jawaban=Sudah+kami+periksa", &[("cookie", cookie), ORIGIN]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let list = app.get_with("/petugas/pengaduan", &[("cookie", &jaya)]).await;
    assert!(!list.body.contains(&number));
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_access_log").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_history").await, 1);

    let list = app.get_with("/petugas/pengaduan", &[("cookie", &vera)]).await;
    assert!(list.body.contains(&number) && !list.body.contains("0812"), "the list names no one");
    let shown = app.get_with(&page, &[("cookie", &vera)]).await;
    assert!(shown.body.contains("Petugas meminta uang") && shown.body.contains("siti@example.com"));
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_access_log").await, 1, "the opening is logged");

    let empty = app.post_form(&reply, "jawaban=+", &[("cookie", &vera), ORIGIN]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Tulis jawaban"));
    let answered = app
        .post_form(&reply, "jawaban=Terima+kasih.+Petugas+itu+sudah+kami+panggil.&tutup=ya", &[("cookie", &vera), ORIGIN])
        .await;
    assert_eq!((answered.status, answered.header("location")), (StatusCode::SEE_OTHER, page.as_str()));
    let late = app.post_form(&reply, "jawaban=Tambahan", &[("cookie", &vera), ORIGIN]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "closed: no more replies");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_history").await, 2);

    // The sender reads it in tracking (staff by role, never by name) and by email.
    let opened = look_up(&app, &number, &pin).await;
    assert_eq!(opened.header("location"), "/lacak/pengaduan");
    let tracked = app.get_with("/lacak/pengaduan", &[("cookie", &cookie_of(&opened))]).await;
    for text in ["Selesai", "Petugas itu sudah kami panggil.", "Verifikator", "Petugas meminta uang"] {
        assert!(tracked.body.contains(text), "{text}");
    }
    assert!(!tracked.body.contains("Petugas vera"));
    assert_eq!(deliver_due(&app.state).await.unwrap(), 2, "the reply: one email, one text message");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND recipient = '+6281234567890' AND sent_at IS NOT NULL").await, 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2);
    let reply_mail = messages.iter().find(|m| m.contains("Petugas itu sudah kami panggil.")).expect("the reply by email");
    assert!(reply_mail.contains("X-RcptTo: siti@example.com") && reply_mail.contains("Selesai"));
    assert!(!logs.text().contains("siti@example.com") && !logs.text().contains(&pin));
}

#[tokio::test]
async fn a_decision_is_disputed_once_within_fourteen_days_and_the_supervisor_answers() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (id, number) = application_with_number(&app, 1, Status::AwaitingDecision, Some("siti@example.com")).await;
    let (boss_id, boss) = staff(&app, "kasi", &[Role::Supervisor]).await;
    let (_, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    let reject = Action::Reject { reason: RejectReason::AlreadyReceiving, note: None };
    layan::server::db::casework::apply_move(pool, id, Status::AwaitingDecision, Status::Rejected, boss_id, Role::Supervisor, &reject, 7)
        .await
        .unwrap();

    let opened = look_up(&app, &number, PIN).await;
    let cookie = cookie_of(&opened);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Tidak setuju dengan keputusan?") && page.body.contains("action=\"/lacak/sanggah\""));

    let short = post_multipart(&app, "/lacak/sanggah", &cookie, &[("alasan", "salah")], None).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("paling sedikit 10 huruf"));
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, 0);

    let reason = [("alasan", "Bantuan yang disebut sudah saya terima itu atas nama orang lain.")];
    let sent = post_multipart(&app, "/lacak/sanggah", &cookie, &reason, Some(("ktp.jpg", JPEG))).await;
    assert_eq!(sent.header("location"), "/lacak/permohonan#sanggah");
    let again = post_multipart(&app, "/lacak/sanggah", &cookie, &reason, None).await;
    assert_eq!(again.header("location"), "/lacak/permohonan#sanggah");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints WHERE kind = 'sanggah'").await, 1, "one dispute per decision");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_files").await, 1);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Sanggahan nomor") && !page.body.contains("action=\"/lacak/sanggah\""));

    // Disputes are the supervisor's: a verifier does not see it.
    let (dispute_id,): (i64,) = sqlx::query_as("SELECT id FROM complaints").fetch_one(pool).await.unwrap();
    let verifier_list = app.get_with("/petugas/pengaduan", &[("cookie", &vera)]).await;
    assert!(verifier_list.body.contains("Tidak ada pengaduan di sini."));
    let refused = app.post_form(&format!("/petugas/pengaduan/{dispute_id}/jawab"), "jawaban=Ditolak", &[("cookie", &vera), ORIGIN]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let answered = app
        .post_form(&format!("/petugas/pengaduan/{dispute_id}/jawab"), "jawaban=Kami+periksa+ulang+data+DTSEN.", &[("cookie", &boss), ORIGIN])
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Kami periksa ulang data DTSEN.") && page.body.contains("Dijawab"));
    // The dispute's own number opens it with the application's PIN.
    let (dispute_number,): (String,) = sqlx::query_as("SELECT number FROM complaints").fetch_one(pool).await.unwrap();
    assert_eq!(look_up(&app, &dispute_number, PIN).await.header("location"), "/lacak/pengaduan");
}

#[tokio::test]
async fn no_dispute_before_a_decision_or_after_fourteen_days() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (_, open_number) = application_with_number(&app, 1, Status::Submitted, None).await;
    let (old, old_number) = application_with_number(&app, 2, Status::Rejected, None).await;
    // Rejected fifteen days ago.
    let long_ago = layan::server::db::utc_in(-15 * 86_400);
    sqlx::query("INSERT INTO application_history (application_id, at, from_status, to_status, actor) VALUES ($1, $2, 'menunggu-keputusan', 'ditolak', 'staff')")
        .bind(old)
        .bind(&long_ago)
        .execute(pool)
        .await
        .unwrap();
    for number in [open_number, old_number] {
        let cookie = cookie_of(&look_up(&app, &number, PIN).await);
        let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
        assert!(!page.body.contains("action=\"/lacak/sanggah\""), "{number}");
        let forced = post_multipart(&app, "/lacak/sanggah", &cookie, &[("alasan", "Saya tidak setuju dengan keputusan ini.")], None).await;
        assert_eq!(forced.status, StatusCode::SEE_OTHER);
    }
    let no_session = post_multipart(&app, "/lacak/sanggah", "", &[("alasan", "Saya tidak setuju dengan keputusan ini.")], None).await;
    assert_eq!(no_session.header("location"), "/lacak");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, 0);
}

#[tokio::test]
async fn an_email_link_opens_every_application_of_that_address_once() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    let app = app_with_smtp(&smtp).await;
    let logs = LogCapture::start();
    let (_, mine) = application_with_number(&app, 1, Status::Submitted, Some("Siti@Example.com")).await;
    let (_, mothers) = application_with_number(&app, 2, Status::FieldAssessment, Some("siti@example.com")).await;
    let (other_id, someone_elses) = application_with_number(&app, 3, Status::Submitted, Some("budi@example.com")).await;

    let unknown = app.post_form("/lacak/email", "email=nobody%40example.com", &[ORIGIN]).await;
    let known = app.post_form("/lacak/email", "email=SITI%40example.com", &[ORIGIN]).await;
    assert_eq!(unknown.status, known.status);
    assert!(unknown.body.contains("Jika email itu terdaftar") && known.body.contains("Jika email itu terdaftar"), "the same answer");
    let bad = app.post_form("/lacak/email", "email=siti", &[ORIGIN]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'sign_in'").await, 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'sign_in' AND details IS NULL").await, 1, "the token is not kept");
    let mail = smtp.messages().pop().unwrap();
    assert!(mail.contains("X-RcptTo: siti@example.com"));
    let token = mail.split("/lacak/email/masuk?token=").nth(1).unwrap().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect::<String>();

    // The link's page asks for a press of a button (a scanner's visit uses nothing).
    let page = app.get(&format!("/lacak/email/masuk?token={token}")).await;
    assert!(page.body.contains(&format!("value=\"{token}\"")));
    let used = app.post_form("/lacak/email/masuk", &format!("token={token}"), &[ORIGIN]).await;
    assert_eq!(used.header("location"), "/lacak/daftar");
    let cookie = cookie_of(&used);
    let again = app.post_form("/lacak/email/masuk", &format!("token={token}"), &[ORIGIN]).await;
    assert_eq!(again.header("location"), "/lacak/email?kedaluwarsa=1", "single use");

    let list = app.get_with("/lacak/daftar", &[("cookie", &cookie)]).await;
    for number in [&mine, &mothers] {
        assert!(list.body.contains(&RegistrationNumber::parse(number).unwrap().display()), "{number}");
    }
    assert!(!list.body.contains(&RegistrationNumber::parse(&someone_elses).unwrap().display()));
    // Someone else's application cannot be opened from this list.
    let forced = app.post_form("/lacak/buka", &format!("permohonan={other_id}"), &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(forced.header("location"), "/lacak/daftar");
    let (mothers_id,): (i64,) =
        sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&mothers).fetch_one(app.state.db.pool()).await.unwrap();
    let opened = app.post_form("/lacak/buka", &format!("permohonan={mothers_id}"), &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(opened.header("location"), "/lacak/permohonan");
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Menunggu kunjungan rumah") && page.body.contains("href=\"/lacak/daftar\""));

    // A few links per address per window, then a pause.
    for _ in 0..3 {
        app.post_form("/lacak/email", "email=siti%40example.com", &[ORIGIN]).await;
    }
    let throttled = app.post_form("/lacak/email", "email=siti%40example.com", &[ORIGIN]).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.body.contains("Terlalu banyak permintaan"));
    assert!(!logs.text().contains(&token) && !logs.text().to_lowercase().contains("siti@example.com"));
}

#[tokio::test]
async fn staff_get_one_digest_a_day_of_their_overdue_items() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (vera_id, _) = staff(&app, "vera", &[Role::Verifier]).await;
    let (ani_id, _) = staff(&app, "ani", &[Role::FieldAssessor]).await;
    sqlx::query("UPDATE staff SET email = 'petugas@dinsos.example' WHERE id IN ($1, $2)").bind(vera_id).bind(ani_id).execute(pool).await.unwrap();
    let late = application(&app, 1, "3276011006", Status::Submitted, "2026-10-01T01:00:00Z", "2026-10-20").await;
    application(&app, 2, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2099-01-05").await;
    let day = layan::domain::Date::new(2026, 11, 23).unwrap();
    assert_eq!(layan::server::notify::queue_digests(&app.state, day).await.unwrap(), 1, "the assessor has nothing overdue of theirs");
    assert_eq!(layan::server::notify::queue_digests(&app.state, day).await.unwrap(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'digest'").await, 1, "once a day");
    let (details,): (String,) = sqlx::query_as("SELECT details FROM outbox_messages WHERE kind = 'digest'").fetch_one(pool).await.unwrap();
    let items: Vec<(String, i64, i64)> = serde_json::from_str(&details).unwrap();
    assert_eq!(items, vec![("TEST00001".to_string(), late, 34)]);
    let email = layan::server::notify::digest_email("2026-11-23", &items, "https://layan.example");
    assert!(email.subject.contains("1 permohonan lewat tenggat"));
    assert!(email.text.contains("lewat 34 hari") && email.text.contains(&format!("https://layan.example/petugas/permohonan/{late}")));
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
}
