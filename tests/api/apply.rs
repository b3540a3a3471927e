//! The application journey over HTTP, as a browser without JavaScript drives it: plain form
//! posts, a draft cookie, multipart uploads, one submission.

use crate::helpers::{TestApp, spawn_app};
use crate::journey::{EXE, JPEG, Resident};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn a_resident_applies_without_javascript_and_gets_a_number_pin_and_decision_date() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;

    let sent = resident.submit().await;
    assert_eq!((sent.status, sent.header("location")), (StatusCode::SEE_OTHER, "/ajukan/selesai"));
    // Recorded for the reports in the same transaction, on today's office day (a delta, in
    // the tallies once folded).
    assert!(app.count("SELECT COUNT(*) FROM report_deltas WHERE measure = 'diterima'").await == 1);
    layan::server::db::reports::fold(app.state.db.pool()).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM report_deltas").await, 0);
    let counted = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM report_daily WHERE measure = 'diterima'";
    assert_eq!(app.count(counted).await, 1);
    assert_eq!(app.count("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM report_monthly WHERE measure = 'usia' AND key = 'dewasa'").await, 1);

    let page = resident.get("/ajukan/selesai").await;
    assert_eq!(page.status, StatusCode::OK);
    let (number, pin_hash, due, status): (String, String, String, String) =
        sqlx::query_as("SELECT registration_number, pin_hash, decision_due, status FROM applications")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let shown = layan::domain::registration::RegistrationNumber::parse(&number).unwrap().display();
    assert!(page.body.contains(&shown), "the confirmation shows {shown}");
    assert!(page.body.contains(&format!("/lacak?nomor={number}")), "the QR and link open tracking by number only");
    assert!(page.body.contains("<svg"), "a QR code is drawn");
    assert!(page.body.contains(&due), "the decision date is shown");
    assert_eq!(status, "diajukan");
    // Only the PIN's HMAC under the server's key is stored; the page shows the PIN, which
    // matches it.
    assert!(pin_hash.starts_with("hmac-sha256:"));
    let at = page.body.find("id=\"pin\"").expect("the PIN is shown");
    let pin: String = page.body[at..].chars().skip_while(|c| *c != '>').skip(1).take(6).collect();
    assert_eq!(app.state.pin_key.matches(&pin, &pin_hash).await, Ok(true), "PIN {pin} matches what is stored");
    assert!(!pin_hash.contains(&pin));

    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE application_id IS NOT NULL").await, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE draft_hash IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM application_history").await, 1);
    // The decision date: 30 working days of RS-RTLH after today.
    let (deadline,): (i64,) = sqlx::query_as("SELECT deadline_working_days FROM programs WHERE code = 'rs-rtlh'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let expected = layan::domain::WorkingDays::new(deadline).unwrap().after(layan::server::db::office_today(app.state.config.utc_offset_hours), &[]);
    assert_eq!(due, expected.to_string());
}

#[tokio::test]
async fn many_simultaneous_submissions_of_one_draft_make_one_application() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let key = resident.key().await;
    let headers = resident.headers();

    let tries = (0..8).map(|_| {
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = format!("kunci={key}&pernyataan=ya");
        let app = &app;
        async move { app.post_form("/ajukan/kirim", &body, &refs).await }
    });
    let answers = futures_util::future::join_all(tries).await;
    for answer in &answers {
        assert_eq!((answer.status, answer.header("location")), (StatusCode::SEE_OTHER, "/ajukan/selesai"), "{}", answer.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM application_history").await, 1);
    // And later, the same post again (a retry after a timeout) finds the same one.
    let again = resident.post("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya")).await;
    assert_eq!(again.header("location"), "/ajukan/selesai");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 1);
}

#[tokio::test]
async fn a_second_open_application_for_the_same_person_and_program_is_accepted_and_flagged_for_the_verifier() {
    use layan::domain::workflow::Role;
    let app = spawn_app().await;
    let mut first = Resident::new(&app);
    first.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    assert_eq!(first.submit().await.status, StatusCode::SEE_OTHER);
    let first_receipt = first.get("/ajukan/selesai").await;

    // The same NIK, from another phone (the person again, or a stranger who knows the NIK):
    // accepted like any other, with nothing that tells an application exists already.
    let mut second = Resident::new(&app);
    second.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let sent = second.submit().await;
    assert_eq!((sent.status, sent.header("location")), (StatusCode::SEE_OTHER, "/ajukan/selesai"), "{}", sent.body);
    let receipt = second.get("/ajukan/selesai").await;
    assert_eq!(receipt.status, StatusCode::OK);
    let strip = |body: &str| body.lines().filter(|l| !l.contains("mono") && !l.contains("nonce")).count();
    assert_eq!(strip(&receipt.body), strip(&first_receipt.body), "the second receipt looks like the first");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 2);
    let (first_id, second_id): (i64, i64) = (
        app.count("SELECT MIN(id) FROM applications").await,
        app.count("SELECT MAX(id) FROM applications").await,
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {second_id} AND duplicate_of = {first_id}")).await, 1);

    // The verifier sees the flag and the two side by side, and must say they compared them.
    let (_, cookie) = crate::fixtures::staff(&app, "verifikator.ganda", &[Role::Verifier]).await;
    let page = app.get_with(&format!("/petugas/permohonan/{second_id}?langkah=dokumen-lengkap"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Kemungkinan permohonan ganda"), "{}", page.body);
    assert!(page.body.contains("kemungkinan ganda"));
    assert!(page.body.contains("bukan_ganda"));
    let headers = [("cookie", cookie.as_str()), ("origin", "http://127.0.0.1:3000")];
    let path = format!("/petugas/permohonan/{second_id}/langkah");
    let unchecked = app.post_form(&path, "langkah=dokumen-lengkap", &headers).await;
    assert_eq!(unchecked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unchecked.body.contains("bukan permohonan ganda"), "{}", unchecked.body);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {second_id}")).await, 1, "refused: nothing written");
    let checked = app.post_form(&path, "langkah=dokumen-lengkap&bukan_ganda=ya", &headers).await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER, "{}", checked.body);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {second_id} AND duplicate_of IS NULL")).await, 1);
    let page = app.get_with(&format!("/petugas/permohonan/{second_id}"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains("Diperiksa: bukan permohonan ganda"), "the history says what was decided");
    assert!(!page.body.contains("Kemungkinan permohonan ganda"));

    // A third is a duplicate: rejected as one, with its reason in the history.
    let mut third = Resident::new(&app);
    third.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    assert_eq!(third.submit().await.status, StatusCode::SEE_OTHER);
    let third_id = app.count("SELECT MAX(id) FROM applications").await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {third_id} AND duplicate_of = {first_id}")).await, 1);
    sqlx::query("UPDATE applications SET status = 'menunggu-keputusan' WHERE id = $1").bind(third_id).execute(app.state.db.pool()).await.unwrap();
    let (_, supervisor) = crate::fixtures::staff(&app, "kepala.ganda", &[Role::Supervisor]).await;
    let rejected = app
        .post_form(&format!("/petugas/permohonan/{third_id}/langkah"), "langkah=tolak&alasan=ganda", &[("cookie", &supervisor), ("origin", "http://127.0.0.1:3000")])
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{}", rejected.body);
    let page = app.get_with(&format!("/petugas/permohonan/{third_id}"), &[("cookie", &supervisor)]).await;
    assert!(page.body.contains("Permohonan ganda (orang dan program yang sama sudah diajukan)"), "{}", page.body);
}

#[tokio::test]
async fn another_open_application_in_the_same_family_card_is_recorded_for_staff() {
    let app = spawn_app().await;
    let mut mother = Resident::new(&app);
    mother.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    assert_eq!(mother.submit().await.status, StatusCode::SEE_OTHER);
    let mut father = Resident::new(&app);
    father.fill_in("3276011203800004", "1980-03-12", "L", "3276010101090001").await;
    assert_eq!(father.submit().await.status, StatusCode::SEE_OTHER);

    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM application_links WHERE reason = 'same_kk'").await, 1);
}

#[tokio::test]
async fn bad_answers_come_back_with_messages_and_change_nothing() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.post("/ajukan/mulai", "program=rs-rtlh").await;
    let before = app.state.db.pool();
    let draft_before: (String,) = sqlx::query_as("SELECT data FROM drafts").fetch_one(before).await.unwrap();

    let cases = [
        ("/ajukan/data-diri", "nik=3276015505870000&nama=Siti&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=0812", "4 angka terakhir tidak mungkin 0000"),
        ("/ajukan/data-diri", "nik=3276015505870003&nama=Siti&tanggal_lahir=1987-05-16&jenis_kelamin=L&telepon=081234567890", "Tanggal lahir tidak sama dengan yang tertulis di NIK"),
        ("/ajukan/data-diri", "nik=3276015505870003&nama=%3Cscript%3Ealert(1)%3C%2Fscript%3E&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890", "Nama hanya berisi huruf"),
        ("/ajukan/data-diri", "nik=3276015505870003&nama=Siti&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890&email=siti%40-contoh.com", "Tulis email dengan benar"),
        ("/ajukan/alamat", "provinsi=32&kabupaten=3276&kecamatan=327102&desa=3271021001&jalan=x&rt=1&rw=1", "tidak berada di wilayah di atasnya"),
        ("/ajukan/kebutuhan", "kategori=24&program=bst-pandemi&uraian=Atap+rumah+bocor+sekali.", "sudah ditutup"),
        ("/ajukan/kebutuhan", "kategori=24&program=..%2F..%2Fetc&uraian=Atap+rumah+bocor+sekali.", "Pilih program dari daftar"),
        ("/ajukan/keluarga", "no_kk=12&aksi=lanjut", "Nomor KK harus 16 angka"),
    ];
    for (path, body, message) in cases {
        let response = resident.post(path, body).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}");
        assert!(response.body.contains("ringkasan-galat"), "an error summary for {body}");
        assert!(response.body.contains(message), "{message:?} for {body}");
        // What was typed comes back escaped, never as markup.
        assert!(!response.body.contains("<script>alert(1)"), "{body}");
    }
    let draft_after: (String,) = sqlx::query_as("SELECT data FROM drafts").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(draft_before, draft_after, "a refused answer is not saved");

    // A submission with steps missing is refused too.
    let key = resident.key().await;
    let refused = resident.post("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Masih ada langkah yang belum lengkap"));
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 0);
}

#[tokio::test]
async fn a_missing_document_stops_the_submission() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    assert_eq!(resident.post("/ajukan/dokumen/hapus", "jenis=sktm").await.status, StatusCode::SEE_OTHER);
    let refused = resident.submit().await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 0);
    assert_eq!(std::fs::read_dir(app.state.storage.dir()).unwrap().count(), 3, "the removed file is gone from disk");
}

#[tokio::test]
async fn files_are_judged_by_content_and_stored_under_our_own_names() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;

    let exe = resident.upload("ktp", "foto.jpg", EXE).await;
    assert_eq!(exe.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(exe.body.contains("Berkas harus foto (JPEG, PNG, atau WebP) atau PDF"));
    let html = resident.upload("ktp", "../../../public/x.html", b"<html><script>alert(1)</script>").await;
    assert_eq!(html.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unknown_kind = resident.upload("../../etc/passwd", "a.jpg", JPEG).await;
    assert_eq!(unknown_kind.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Four files from fill_in; nothing from the refused ones; names are ours.
    let names: Vec<String> =
        std::fs::read_dir(app.state.storage.dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().all(|n| layan::server::storage::valid_id(n)), "{names:?}");

    // Replacing a document keeps one file for it.
    assert_eq!(resident.upload("ktp", "baru.jpg", JPEG).await.status, StatusCode::SEE_OTHER);
    assert_eq!(std::fs::read_dir(app.state.storage.dir()).unwrap().count(), 4);

    // Only the draft's holder can look at its files.
    let own = resident.get("/ajukan/dokumen/ktp").await;
    assert_eq!((own.status, own.header("content-type")), (StatusCode::OK, "image/jpeg"));
    assert!(own.header("content-security-policy").contains("sandbox"));
    let stranger = app.get("/ajukan/dokumen/ktp").await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let forged = app.get_with("/ajukan/dokumen/ktp", &[("cookie", "layan_draf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_fifty_megabyte_upload_is_refused_while_it_streams() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;

    // 50 MB, produced lazily; the counter says how much the server actually pulled.
    let pulled = Arc::new(AtomicUsize::new(0));
    let (content_type, head) = crate::journey::document_form("ktp", "besar.jpg", b"\xff\xd8\xff\xe0");
    let head = head[..head.len() - "\r\n------layantestboundary7MA4YWxkTrZu0gW--\r\n".len()].to_vec();
    let counter = pulled.clone();
    let chunks = futures_util::stream::iter((0..800).map(move |i| {
        let chunk = if i == 0 { head.clone() } else { vec![0u8; 64 * 1024] };
        counter.fetch_add(chunk.len(), Ordering::SeqCst);
        Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))
    }));
    let mut builder = Request::post("/ajukan/dokumen/unggah")
        .header("host", "127.0.0.1:3000")
        .header("content-type", content_type)
        .header("content-length", (50 * 1024 * 1024).to_string());
    for (k, v) in resident.headers() {
        builder = builder.header(k, v);
    }
    let response = app.request(builder.body(Body::from_stream(chunks)).unwrap()).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.body.contains("Berkas lebih dari 5 MB"), "{}", response.body);
    let read = pulled.load(Ordering::SeqCst);
    assert!(read < 6 * 1024 * 1024, "the server read {read} bytes of a 50 MB upload");
    assert_eq!(std::fs::read_dir(app.state.storage.dir()).unwrap().count(), 4, "no partial file is left");
}

#[tokio::test]
async fn another_site_cannot_post_into_a_residents_application() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let key = resident.key().await;
    let cookie = resident.cookie.clone().unwrap();
    for (path, body) in [("/ajukan/kirim", format!("kunci={key}&pernyataan=ya")), ("/ajukan/siapa", "untuk=sendiri".into())] {
        let response = app.post_form(path, &body, &[("cookie", &cookie), ("sec-fetch-site", "cross-site")]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 0);
}

#[tokio::test]
async fn a_draft_resumes_where_the_resident_stopped_and_nothing_personal_is_in_a_url() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.post("/ajukan/mulai", "program=rs-rtlh").await;
    resident.post("/ajukan/siapa", "untuk=sendiri").await;
    let saved = resident
        .post("/ajukan/data-diri", "nik=3276015505870003&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890")
        .await;
    assert_eq!(saved.header("location"), "/ajukan/alamat");
    assert!(!saved.header("location").contains("3276"));

    // Tomorrow, on the same phone: the start page offers to continue at the address step,
    // and the person step shows what was saved.
    let start = resident.get("/ajukan").await;
    assert!(start.body.contains("href=\"/ajukan/alamat\""), "resume link");
    let person = resident.get("/ajukan/data-diri").await;
    assert!(person.body.contains("value=\"3276015505870003\""));
    // Someone else's phone sees an empty form.
    let stranger = app.get("/ajukan/data-diri").await;
    assert!(!stranger.body.contains("3276015505870003"));
}

#[tokio::test]
async fn the_pin_in_clear_lives_only_as_long_as_it_may_be_shown() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    resident.submit().await;
    assert!(resident.get("/ajukan/selesai").await.body.contains("id=\"pin\""));

    // An hour later, the hourly tidy-up removes the submitted draft and the PIN with it.
    let (expires,): (String,) = sqlx::query_as("SELECT expires_at FROM drafts").fetch_one(app.state.db.pool()).await.unwrap();
    assert!(expires <= layan::server::db::utc_in(3601), "{expires}");
    sqlx::query("UPDATE drafts SET expires_at = $1").bind(layan::server::db::utc_in(-1)).execute(app.state.db.pool()).await.unwrap();
    layan::server::tidy_up(&app.state.db, &app.state.storage, None).await;

    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    let later = resident.get("/ajukan/selesai").await;
    assert!(!later.body.contains("id=\"pin\""));
    assert!(later.body.contains("Tidak ada permohonan yang baru dikirim dari HP ini"));
    // The application and its documents stay.
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(std::fs::read_dir(app.state.storage.dir()).unwrap().count(), 4);
}

#[tokio::test]
async fn the_journey_speaks_english_to_english_readers() {
    let app = spawn_app().await;
    let page = app.get_with("/ajukan/data-diri", &[("cookie", "layan_lang=en")]).await;
    assert!(page.body.contains("Step 2 of 7"));
    assert!(page.body.contains("NIK (national identity number)"));
    let refused = app
        .post_form(
            "/ajukan/data-diri",
            "nik=3276015505870003&nama=Siti&tanggal_lahir=1987-05-16&jenis_kelamin=P&telepon=081234567890",
            &[("cookie", "layan_lang=en"), ("origin", "http://127.0.0.1:3000")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("lang=\"en\""));
    assert!(refused.body.contains("There is a problem"));
    assert!(refused.body.contains("The date of birth is not the one in the NIK"));
}

#[tokio::test]
async fn the_whole_journey_logs_no_personal_data() {
    let app = spawn_app().await;
    let log = crate::helpers::LogCapture::start();
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    // A refused answer and a refused file too: their messages must not carry what was typed.
    resident.post("/ajukan/data-diri", "nik=3276015505870003&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-16&telepon=0812").await;
    resident.upload("ktp", "KTP Siti Nurhaliza.jpg", EXE).await;
    resident.submit().await;
    resident.get("/ajukan/selesai").await;

    let log = log.text();
    assert!(log.contains("POST /ajukan/kirim 303"), "{log}");
    for secret in ["3276015505870003", "3276010101090001", "Siti", "Nurhaliza", "Melati", "081234567890", "+6281234567890", "1987-05-15"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[tokio::test]
async fn members_can_be_removed_and_a_change_returns_to_check_your_answers() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let add = "no_kk=3276010101090001&nik_anggota=3276011203100002&nama_anggota=Rina+Lestari&hubungan_anggota=anak&aksi=tambah";
    assert_eq!(resident.post("/ajukan/keluarga", add).await.header("location"), "/ajukan/keluarga#anggota");
    assert!(resident.get("/ajukan/keluarga").await.body.contains("Rina Lestari"));
    // The same NIK twice is refused; the person's own NIK too.
    let again = resident.post("/ajukan/keluarga", add).await;
    assert!(again.body.contains("NIK ini sudah ada di daftar keluarga"));
    let own = add.replace("3276011203100002", "3276015505870003");
    assert!(resident.post("/ajukan/keluarga", &own).await.body.contains("NIK ini sudah ada di daftar keluarga"));

    resident.post("/ajukan/keluarga", "anggota=0&aksi=hapus").await;
    assert!(!resident.get("/ajukan/keluarga").await.body.contains("Rina Lestari"));

    let changed = resident.post("/ajukan/siapa", "untuk=sendiri&kembali=periksa").await;
    assert_eq!(changed.header("location"), "/ajukan/periksa");
    let review = resident.get("/ajukan/periksa").await;
    assert!(review.body.contains("href=\"/ajukan/alamat?kembali=periksa\""), "every answer has a change link");
}

/// A front-desk officer of Kota Depok at one service point, signed in: (id, session cookie,
/// their service point, another one).
pub(crate) async fn front_desk_officer(app: &TestApp) -> (i64, String, i64, i64) {
    use layan::domain::workflow::Role;
    let pool = app.state.db.pool();
    let username = layan::domain::staff::Username::parse("rina").unwrap();
    let password = layan::domain::staff::NewPassword::parse("kuda-lari-di-pantai", &username).unwrap();
    let officer = layan::server::auth::create_staff(pool, &username, "Rina Puspitasari", &password, &[Role::FrontDesk], &["3276"]).await.unwrap();
    let mut points = Vec::new();
    for (code, name) in [("depok-1", "Puskesos Kelurahan Depok"), ("bogor-1", "Puskesos Bogor Tengah")] {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO service_points (code, name, kind, address, village_code, created_at) \
             VALUES ($1, $2, 'puskesos', 'Kantor kelurahan', '3276011006', '2026-11-01T00:00:00Z') RETURNING id",
        )
        .bind(code)
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap();
        points.push(id);
    }
    sqlx::query("INSERT INTO staff_service_points (staff_id, service_point_id) VALUES ($1, $2)").bind(officer).bind(points[0]).execute(pool).await.unwrap();
    let session = format!("layan_petugas={}", layan::server::auth::open_session(pool, officer).await.unwrap().as_str());
    (officer, session, points[0], points[1])
}

#[tokio::test]
async fn a_front_desk_officer_registers_a_walk_in_resident_with_their_consent() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (officer, session, point, other_point) = front_desk_officer(&app).await;
    let point_name = "Puskesos Kelurahan Depok";

    let mut counter = Resident::new(&app);
    counter.officer = Some(session.clone());
    // Not at a service point of theirs: refused, no draft.
    let elsewhere = counter.post("/petugas/loket/mulai", &format!("loket={other_point}")).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    assert!(counter.cookie.is_none());
    let started = counter.post("/petugas/loket/mulai", &format!("loket={point}")).await;
    assert_eq!((started.status, started.header("location")), (StatusCode::SEE_OTHER, "/ajukan/siapa"));
    let step = counter.get("/ajukan/siapa").await;
    assert!(step.body.contains(&format!("Pendaftaran di loket: {point_name}, oleh Rina Puspitasari.")));
    // The counter's browser is told apart, so its service worker keeps no copy of the walk-in's pages.
    assert_eq!(step.header(layan::server::http::STAFF_BROWSER), "1");
    let resident_step = Resident::new(&app).get("/ajukan").await;
    assert_eq!(resident_step.header(layan::server::http::STAFF_BROWSER), "", "a resident's own browser keeps its pages");

    counter.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let review = counter.get("/ajukan/periksa").await;
    assert!(review.body.contains("Warga hadir di loket"), "the counter's consent replaces the resident's declaration");
    let key = counter.key().await;
    let unticked = counter.post("/ajukan/kirim", &format!("kunci={key}")).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 0);

    // Submitting needs the officer still signed in: without the session, back to sign-in.
    counter.officer = None;
    let signed_out = counter.post("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya")).await;
    assert_eq!(signed_out.header("location"), "/petugas/masuk");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 0);
    counter.officer = Some(session);
    let sent = counter.post("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya")).await;
    assert_eq!(sent.header("location"), "/ajukan/selesai");

    let (channel, registered_by, at_point, actor): (String, i64, i64, String) = sqlx::query_as(
        "SELECT a.channel, a.registered_by, a.service_point_id, h.actor FROM applications a JOIN application_history h ON h.application_id = a.id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((channel.as_str(), registered_by, at_point, actor.as_str()), ("service_point", officer, point, "service_point"));
    let receipt = counter.get("/ajukan/selesai").await;
    assert!(receipt.body.contains("id=\"pin\"") && receipt.body.contains("<svg"), "the receipt to print, with PIN and QR");
    assert!(receipt.body.contains("Daftarkan warga berikutnya"));
}

#[tokio::test]
async fn simultaneous_uploads_of_one_document_all_succeed_and_leave_one_file() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let cookie = resident.cookie.clone().unwrap();
    let uploads = (0..8).map(|n| {
        let router = app.router.clone();
        let cookie = cookie.clone();
        tokio::spawn(async move {
            use tower::ServiceExt;
            let (content_type, body) = crate::journey::document_form("ktp", "ktp.jpg", &[JPEG, format!(" take {n}").as_bytes()].concat());
            let request = Request::post("/ajukan/dokumen/unggah")
                .header("host", "127.0.0.1:3000")
                .header("origin", "http://127.0.0.1:3000")
                .header("cookie", cookie)
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap();
            router.oneshot(request).await.unwrap().status()
        })
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(uploads).await.into_iter().map(|r| r.unwrap()).collect();
    // A phone retrying on a bad connection: every try answered, none an error page.
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE document_kind = 'ktp'").await, 1);
    let stored = std::fs::read_dir(app.state.storage.dir()).unwrap().count();
    assert_eq!(stored, 4, "the four documents, no leftovers of the replaced tries");
}
