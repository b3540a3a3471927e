//! Tracking by number and PIN: one answer for any wrong pair, guessing limited per number and
//! per address, a one-hour view of the one application, withdrawal after a confirmation.

use crate::helpers::{LogCapture, TestApp, TestResponse, spawn_app};
use crate::fixtures::{FilePart, PIN, multipart, tracked};
use axum::http::StatusCode;
use layan::domain::decision::Action;
use layan::domain::apply::Step;
use layan::domain::workflow::{Role, Status};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

async fn look_up(app: &TestApp, number: &str, pin: &str) -> TestResponse {
    app.post_form("/lacak", &format!("nomor={number}&pin={pin}"), &[ORIGIN]).await
}

fn session_cookie(response: &TestResponse) -> String {
    let set = response.header("set-cookie");
    assert!(set.starts_with("layan_lacak=") && set.contains("HttpOnly") && set.contains("Path=/lacak"), "{set}");
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn the_number_and_pin_open_the_application_and_its_timeline() {
    let app = spawn_app().await;
    let logs = LogCapture::start();
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    // A correction requested by a verifier, after a visit note that is not for the resident.
    let action = Action::RequestCorrection { items: vec![Step::Documents], note: "Foto KK terpotong.".into(), documents: Vec::new() };
    let staff = crate::helpers::insert_staff(&app, "vera", "Vera Verifikator").await;
    layan::server::db::casework::apply_move(app.state.db.pool(), id, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &action, 7)
        .await
        .unwrap();

    // The receipt's QR link fills in the number.
    let link = app.get(&format!("/lacak?nomor={number}")).await;
    assert!(link.body.contains(&format!("value=\"{number}\"")));

    let opened = look_up(&app, &number.to_lowercase(), PIN).await;
    assert_eq!((opened.status, opened.header("location")), (StatusCode::SEE_OTHER, "/lacak/permohonan"));
    let cookie = session_cookie(&opened);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["Perlu perbaikan", "Dokumen", "Foto KK terpotong.", "Verifikator", "2027-01-05", "Cabut permohonan"] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(!page.body.contains("Vera"), "staff are named by role, not by name");
    assert!(!page.body.contains("3276015505870001"), "no NIK on tracking");
    assert!(!logs.text().contains(PIN), "no PIN in the log");

    // Done on a shared phone: the session ends.
    let done = app.post_form("/lacak/keluar", "", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(done.header("location"), "/lacak");
    let after = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(after.body.contains("Masukkan nomor pendaftaran dan PIN"));
}

#[tokio::test]
async fn a_wrong_pin_and_an_unknown_number_get_the_same_answer() {
    let app = spawn_app().await;
    let (_, number) = tracked(&app, 1, Status::Submitted).await;
    let wrong = look_up(&app, &number, "000000").await;
    let unknown = look_up(&app, "ZZZZ-ZZZZ-Z", PIN).await;
    let junk = look_up(&app, "%3Cscript%3E", "x").await;
    for refused in [&wrong, &unknown, &junk] {
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.body.contains("Nomor pendaftaran atau PIN tidak cocok"));
        assert!(refused.header("set-cookie").is_empty());
        assert_eq!(crate::helpers::scripts(&refused.body), [layan::app::SERVICE_WORKER_REGISTRATION], "no script but the worker's registration");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM tracking_sessions").await, 0);
    let cross_site = app.post_form("/lacak", &format!("nomor={number}&pin={PIN}"), &[("origin", "https://evil.example")]).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn guessing_a_pin_is_stopped_and_never_reveals_the_application() {
    let app = spawn_app().await;
    let (_, number) = tracked(&app, 1, Status::Approved).await;
    for guess in 0..5 {
        let refused = look_up(&app, &number, &format!("{guess:06}")).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right PIN now: throttled, no session, nothing about the application.
    let blocked = look_up(&app, &number, PIN).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Terlalu banyak percobaan"));
    assert!(blocked.header("set-cookie").is_empty());
    assert!(!blocked.body.contains("Disetujui") && !blocked.body.contains("Warga 1"));
    // Another number from elsewhere is not blocked by this one's limit… (the tests have no
    // socket address, so all requests share one "address": 20 failures across numbers stop it)
    let (_, other) = tracked(&app, 2, Status::Submitted).await;
    assert_eq!(look_up(&app, &other, PIN).await.status, StatusCode::SEE_OTHER);
    for n in 0..15 {
        look_up(&app, &format!("ZZZZ{n:04}Z"), "000000").await;
    }
    assert_eq!(look_up(&app, &other, PIN).await.status, StatusCode::TOO_MANY_REQUESTS, "20 failures from one address");
}

#[tokio::test]
async fn a_resident_withdraws_after_confirming_and_only_while_it_is_open() {
    let app = spawn_app().await;
    let (id, number) = tracked(&app, 1, Status::FieldAssessment).await;
    let cookie = session_cookie(&look_up(&app, &number, PIN).await);
    let confirm = app.get_with("/lacak/cabut", &[("cookie", &cookie)]).await;
    assert!(confirm.body.contains("Ya, cabut permohonan"));
    // Without the confirmation field: back to the question, nothing changes.
    let unconfirmed = app.post_form("/lacak/cabut", "catatan=", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(unconfirmed.header("location"), "/lacak/cabut");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND status = 'asesmen-lapangan'")).await, 1);

    let done = app.post_form("/lacak/cabut", "yakin=ya&catatan=Sudah+dibantu+keluarga", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(done.header("location"), "/lacak/permohonan");
    let (status, actor, role, note): (String, String, String, String) = sqlx::query_as(
        "SELECT a.status, h.actor, h.actor_role, h.note FROM applications a JOIN application_history h ON h.application_id = a.id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), actor.as_str(), role.as_str(), note.as_str()), ("dicabut", "resident", "pemohon", "Sudah dibantu keluarga"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND open = TRUE")).await, 0);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Dicabut") && !page.body.contains("href=\"/lacak/cabut\""));
    // Again: nothing more happens.
    app.post_form("/lacak/cabut", "yakin=ya", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await, 1);

    // Approved aid is served, not withdrawn; without a session nothing is withdrawn at all.
    let (approved, approved_number) = tracked(&app, 2, Status::Approved).await;
    let approved_cookie = session_cookie(&look_up(&app, &approved_number, PIN).await);
    app.post_form("/lacak/cabut", "yakin=ya", &[("cookie", &approved_cookie), ORIGIN]).await;
    let (other, _) = tracked(&app, 3, Status::Submitted).await;
    let stranger = app.post_form("/lacak/cabut", "yakin=ya", &[ORIGIN]).await;
    assert_eq!(stranger.header("location"), "/lacak");
    for (id, status) in [(approved, "disetujui"), (other, "diajukan")] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND status = '{status}'")).await, 1);
    }
}

async fn upload(app: &TestApp, cookie: &str, kind: &str, content: &[u8]) -> TestResponse {
    let (content_type, body) = multipart(&[("jenis", kind)], Some(FilePart { field: "berkas", file_name: "foto.jpg", mime: "image/jpeg", content }));
    let request = axum::http::Request::post("/lacak/dokumen")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    app.request(request).await
}

#[tokio::test]
async fn a_resident_replaces_the_documents_asked_for_and_sends_the_application_back() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    let old_id = "AAAAAAAAAAAAAAAAAAAAAA";
    crate::helpers::stored_document(&app, old_id, id, "ktp", "image/jpeg", b"\xff\xd8\xff\xe0 blurry", "2026-11-20T01:00:00Z").await;
    let staff = crate::helpers::insert_staff(&app, "vera", "Vera").await;
    let kk_id = "kk-of-the-application-000000000";
    crate::helpers::stored_document(&app, kk_id, id, "kk", "application/pdf", b"%PDF-1.4\n%%EOF\n", "2026-11-20T01:00:00Z").await;
    // Only the KTP is asked for: the KK may not be replaced.
    let asked = Action::RequestCorrection { items: vec![Step::Documents], note: "Foto KTP buram.".into(), documents: vec![layan::domain::DocumentKind::Ktp] };
    layan::server::db::casework::apply_move(pool, id, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &asked, 7).await.unwrap();
    let cookie = session_cookie(&look_up(&app, &number, PIN).await);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Unggah Foto KTP") && page.body.contains("Belum diganti"));
    assert!(!page.body.contains("Unggah Foto KK"), "only the document asked for is offered");

    // Sending it back before replacing anything: refused, nothing changes.
    let early = app.post_form("/lacak/ajukan-ulang", "", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("Selesaikan dulu semua yang diminta"));
    // A program renamed .jpg, and a document the application never had: refused, nothing replaced.
    let exe = upload(&app, &cookie, "ktp", b"MZ\x90\x00\x03\x00\x00\x00 this program").await;
    assert_eq!(exe.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(exe.body.contains("Berkas harus foto"), "{}", exe.body);
    let stranger_kind = upload(&app, &cookie, "sktm", b"%PDF-1.4\n%%EOF\n").await;
    assert_eq!(stranger_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_asked = upload(&app, &cookie, "kk", b"%PDF-1.4\n%%EOF\n").await;
    assert_eq!(not_asked.status, StatusCode::UNPROCESSABLE_ENTITY, "a document the verifier did not ask for");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE application_id = {id}")).await, 2);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE id = '{old_id}'")).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM application_history").await, 1);

    let replaced = upload(&app, &cookie, "ktp", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a sharp photo").await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    // The original stays beside the replacement until the decision; a second replacement
    // takes the first one's place.
    let again = upload(&app, &cookie, "ktp", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a sharper photo").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE application_id = {id}")).await, 3);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE id = '{old_id}' AND replaced_at IS NOT NULL")).await, 1);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE application_id = {id} AND replacement = TRUE")).await, 1);
    assert!(app.state.storage.dir().join(old_id).exists(), "the original is kept");
    assert!(app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await.body.contains("Sudah diganti"));
    let (_, verifier) = crate::fixtures::staff(&app, "vina", &[Role::Verifier]).await;
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &verifier)]).await;
    assert!(review.body.contains("Asli, diganti pemohon pada") && review.body.contains("Pengganti dari pemohon"), "staff see both");
    assert_eq!(review.body.matches("/petugas/berkas/").count() / 2, 3, "three documents: the original, its replacement, the KK");

    let sent = app.post_form("/lacak/ajukan-ulang", "", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(sent.header("location"), "/lacak/permohonan");
    let (status, actor, note): (String, String, String) = sqlx::query_as(
        "SELECT a.status, h.actor, h.note FROM applications a JOIN application_history h ON h.application_id = a.id \
         WHERE a.id = $1 ORDER BY h.id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), actor.as_str()), ("diajukan-ulang", "resident"));
    assert!(note.contains("Foto KTP"), "{note}");
    // Back in the verifiers' queue; and no more replacing now.
    let queue = layan::server::db::queues::page(
        pool,
        &["3276".to_string()],
        layan::domain::workflow::Queue::ToVerify,
        &layan::domain::workflow::QueueFilter::default(),
        layan::domain::Date::new(2026, 11, 23).unwrap(),
        None,
        25,
    )
    .await
    .unwrap();
    assert_eq!(queue.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
    let late = upload(&app, &cookie, "ktp", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 another").await;
    assert_eq!(late.header("location"), "/lacak/permohonan");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await, 2);
    // Decided: the original goes with the next tidy-up, the replacement stays.
    layan::server::tidy_up(&app.state.db, &app.state.storage, None).await;
    assert!(app.state.storage.dir().join(old_id).exists(), "kept while undecided");
    sqlx::query("UPDATE applications SET status = 'ditolak', open = FALSE WHERE id = $1").bind(id).execute(pool).await.unwrap();
    layan::server::tidy_up(&app.state.db, &app.state.storage, None).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE id = '{old_id}'")).await, 0);
    assert!(!app.state.storage.dir().join(old_id).exists());
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE application_id = {id}")).await, 2);
}

#[tokio::test]
async fn a_resident_fixes_the_answers_asked_for_and_staff_see_what_changed() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    let staff = crate::helpers::insert_staff(&app, "vera", "Vera").await;
    let asked = Action::RequestCorrection { items: vec![Step::Person, Step::Address], note: "Nomor HP tidak aktif; RT salah.".into(), documents: Vec::new() };
    layan::server::db::casework::apply_move(pool, id, Status::Submitted, Status::NeedsCorrection, staff, Role::Verifier, &asked, 7).await.unwrap();
    let cookie = session_cookie(&look_up(&app, &number, PIN).await);
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    for text in ["action=\"/lacak/jawaban\"", "value=\"+6281234567890\"", "value=\"Jl. Melati\"", "Belum diperbaiki"] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(!page.body.contains("name=\"uraian\""), "only the parts asked for");
    let post = |body: String| {
        let cookie = cookie.clone();
        let app = &app;
        async move { app.post_form("/lacak/jawaban", &body, &[("cookie", &cookie), ORIGIN]).await }
    };

    // Not yet fixed: the correction cannot be sent. A bad phone: refused at its field.
    let early = app.post_form("/lacak/ajukan-ulang", "", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = post("bagian=data-diri&telepon=12&email=siti%40".into()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("nomor HP") && bad.body.contains("Tulis email dengan benar") && bad.body.contains("value=\"12\""));
    // A part not asked for, or one fixed only at the counter: nothing changes.
    for body in ["bagian=kebutuhan&uraian=Atap+bocor+parah+sekali", "bagian=keluarga&kk=3276010101090001"] {
        assert_eq!(post(body.into()).await.header("location"), "/lacak/permohonan");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_fixes").await, 0);

    let contact = post("bagian=data-diri&telepon=0813-1111-2222&email=siti%40example.com".into()).await;
    assert_eq!(contact.header("location"), "/lacak/permohonan#perbaikan-data-diri");
    let street = post("bagian=alamat&jalan=Jl.+Melati+No.+4&rt=7&rw=2".into()).await;
    assert_eq!(street.status, StatusCode::SEE_OTHER);
    let row: (String, Option<String>, String, String, String) =
        sqlx::query_as("SELECT phone, email, street, rt, rw FROM applications WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
    assert_eq!(row, ("+6281311112222".into(), Some("siti@example.com".into()), "Jl. Melati No. 4".into(), "007".into(), "002".into()));
    let (before,): (String,) = sqlx::query_as("SELECT before_value FROM answer_fixes WHERE step = 'alamat'").fetch_one(pool).await.unwrap();
    assert!(before.contains("\"rt\":\"001\""), "what it said before is kept: {before}");

    let sent = app.post_form("/lacak/ajukan-ulang", "", &[("cookie", &cookie), ORIGIN]).await;
    assert_eq!(sent.header("location"), "/lacak/permohonan");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND status = 'diajukan-ulang'")).await, 1);
    let (note,): (String,) = sqlx::query_as("SELECT note FROM application_history WHERE application_id = $1 AND to_status = 'diajukan-ulang'")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(note.starts_with("Jawaban diperbaiki oleh warga: Data orang") && note.contains("Alamat tempat tinggal"), "{note}");
    // Sent back: no more fixing.
    assert_eq!(post("bagian=alamat&jalan=Jl.+Mawar&rt=1&rw=1".into()).await.header("location"), "/lacak/permohonan");
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_fixes").await, 2);
}
