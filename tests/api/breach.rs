//! Breach notices (issue 17): one administrator prepares, another confirms, and only then
//! is anything queued — once, however many confirm at the same moment — and each resident is
//! reached once per address, whatever the number of their applications.

use crate::fixtures::{application, staff};
use crate::helpers::{TestApp, spawn_app};
use axum::http::StatusCode;
use layan::domain::workflow::{Role, Status};
use layan::server::notify::deliver_due;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
const NOTICE: &str = "Pada 28 November 2026 sebuah laptop petugas berisi data permohonan hilang. Kami sudah melapor ke polisi dan mengganti semua kata sandi.";

/// What the files gateways hold: the recipients of every email and every text.
fn sent(app: &TestApp) -> (Vec<String>, Vec<(String, String)>) {
    let mut emails = Vec::new();
    for body in mails(app) {
        emails.push(body.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or_default().to_string());
    }
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(app.state.config.sms_files_dir().unwrap()).into_iter().flatten().flatten() {
        let body = std::fs::read_to_string(entry.path()).unwrap();
        if let Some((to, text)) = body.split_once("\n\n") {
            texts.push((to.to_string(), text.trim().to_string()));
        }
    }
    emails.sort();
    texts.sort();
    (emails, texts)
}

/// Every email written, as its file holds it.
fn mails(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.state.config.mail_files_dir().unwrap())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

async fn contact(app: &TestApp, id: i64, email: Option<&str>, phone: &str) {
    sqlx::query("UPDATE applications SET email = $1, phone = $2 WHERE id = $3").bind(email).bind(phone).bind(id).execute(app.state.db.pool()).await.unwrap();
}

#[tokio::test]
async fn a_breach_notice_needs_a_second_administrator_and_reaches_each_resident_once() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    // Three applications in Beji (327601), two of them the same person's (one address
    // written in capitals); one elsewhere; one whose data was erased.
    let (other_village,): (String,) =
        sqlx::query_as("SELECT code FROM villages WHERE code LIKE '3276%' AND code NOT LIKE '327601%' ORDER BY code LIMIT 1").fetch_one(pool).await.unwrap();
    let beji = [
        application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await,
        application(&app, 2, "3276011006", Status::Rejected, "2026-11-21T01:00:00Z", "2027-01-05").await,
        application(&app, 3, "3276011006", Status::Submitted, "2026-11-22T01:00:00Z", "2027-01-05").await,
    ];
    contact(&app, beji[0], Some("siti@example.com"), "+6281200000001").await;
    contact(&app, beji[1], Some("SITI@example.com"), "+6281200000001").await;
    contact(&app, beji[2], Some("budi@example.com"), "+6281200000003").await;
    let elsewhere = application(&app, 4, &other_village, Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    contact(&app, elsewhere, Some("jauh@example.com"), "+6281200000004").await;
    let erased = application(&app, 5, "3276011006", Status::Rejected, "2019-11-20T01:00:00Z", "2019-12-05").await;
    sqlx::query("UPDATE applications SET erased_at = '2025-01-01T00:00:00Z', email = NULL, phone = '' WHERE id = $1").bind(erased).execute(pool).await.unwrap();
    // Budi's phone asked for no texts.
    layan::server::db::outbox::choose(pool, "+6281200000003", true).await.unwrap();

    let (_, first) = staff(&app, "admin.satu", &[Role::Administrator]).await;
    let mut others = Vec::new();
    for n in 0..3 {
        others.push(staff(&app, &format!("admin.lain{n}"), &[Role::Administrator]).await.1);
    }
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;

    // A notice too short, or for an area that is not the office's, changes nothing.
    let refused = app.post_form("/petugas/admin/pemberitahuan", "wilayah=3171&pesan=Bocor", &[("cookie", &first), ORIGIN]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("paling sedikit 40 karakter") && refused.body.contains("Pilih wilayah dari daftar"), "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM breach_notices").await, 0);
    // Nor can someone who is not an administrator prepare one.
    let body = format!("wilayah=327601&pesan={}", urlencoding(NOTICE));
    assert_ne!(app.post_form("/petugas/admin/pemberitahuan", &body, &[("cookie", &verifier), ORIGIN]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM breach_notices").await, 0);

    let prepared = app.post_form("/petugas/admin/pemberitahuan", &body, &[("cookie", &first), ORIGIN]).await;
    assert_eq!((prepared.status, prepared.header("location")), (StatusCode::SEE_OTHER, "/petugas/admin/pemberitahuan"));
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM breach_notices").fetch_one(pool).await.unwrap();
    let page = app.get_with("/petugas/admin/pemberitahuan", &[("cookie", &first)]).await;
    assert!(page.body.contains("Menunggu konfirmasi. Saat ini mencakup 3 permohonan: 2 alamat email dan 2 nomor HP"), "{}", page.body);
    assert!(page.body.contains("Anda yang menyiapkannya") && !page.body.contains("/konfirmasi"), "no confirm button for its author");
    assert!(app.get_with("/petugas/admin/pemberitahuan", &[("cookie", &others[0])]).await.body.contains(&format!("/petugas/admin/pemberitahuan/{id}/konfirmasi")));

    // Its author cannot confirm it, nor can a verifier: nothing is queued.
    let own = app.post_form(&format!("/petugas/admin/pemberitahuan/{id}/konfirmasi"), "", &[("cookie", &first), ORIGIN]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(own.body.contains("administrator lain yang harus mengonfirmasinya"));
    assert_ne!(app.post_form(&format!("/petugas/admin/pemberitahuan/{id}/konfirmasi"), "", &[("cookie", &verifier), ORIGIN]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'breach'").await, 0);

    // Three other administrators press "confirm" four times each, all at once.
    let posts = others.iter().cycle().take(12).map(|cookie| (format!("/petugas/admin/pemberitahuan/{id}/konfirmasi"), cookie.clone(), String::new())).collect();
    let statuses = app.post_forms_at_once(posts).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM breach_notices WHERE confirmed_at IS NOT NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM admin_history WHERE subject = 'pemberitahuan' AND action = 'dikonfirmasi dan dikirim'").await, 1);
    let recorded: Vec<(i64,)> = sqlx::query_as("SELECT application_id FROM breach_recipients WHERE notice_id = $1 ORDER BY 1").bind(id).fetch_all(pool).await.unwrap();
    assert_eq!(recorded.into_iter().map(|(a,)| a).collect::<Vec<_>>(), beji, "every application it went to is recorded");

    // The residents' "Data saya" lists it; the application elsewhere has none.
    let listed = layan::server::db::breach::for_application(pool, beji[1]).await.unwrap();
    assert_eq!(listed.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>(), [NOTICE]);
    assert!(layan::server::db::breach::for_application(pool, elsewhere).await.unwrap().is_empty());

    deliver_due(&app.state).await.unwrap();
    deliver_due(&app.state).await.unwrap();
    let (emails, texts) = sent(&app);
    assert_eq!(emails, ["budi@example.com", "siti@example.com"], "one email per address");
    assert_eq!(texts.len(), 1, "one text per phone, none to a phone that sent BERHENTI: {texts:?}");
    assert_eq!(texts[0].0, "+6281200000001");
    assert!(texts[0].1.starts_with("Dinsos: PEMBERITAHUAN DATA PRIBADI. Pada 28 November 2026"), "{}", texts[0].1);
    let mail = mails(&app).concat();
    assert!(mail.contains("TEST00001") || mail.contains("TEST00002"), "the email names an application of theirs");

    let page = app.get_with("/petugas/admin/pemberitahuan", &[("cookie", &first)]).await;
    assert!(page.body.contains("3 permohonan, 2 email dan 1 SMS diantrekan"), "{}", page.body);

    // A notice cancelled before it is confirmed is never sent.
    let again = app.post_form("/petugas/admin/pemberitahuan", &body, &[("cookie", &first), ORIGIN]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let (second,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM breach_notices").fetch_one(pool).await.unwrap();
    app.post_form(&format!("/petugas/admin/pemberitahuan/{second}/batal"), "", &[("cookie", &first), ORIGIN]).await;
    app.post_form(&format!("/petugas/admin/pemberitahuan/{second}/konfirmasi"), "", &[("cookie", &others[1]), ORIGIN]).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM breach_recipients WHERE notice_id = {second}")).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'breach'").await, 3);
}

/// Form encoding of plain text (letters, digits, spaces and punctuation).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b' ' => "+".to_string(),
            b if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
