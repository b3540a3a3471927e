//! What Layan keeps no longer than it must (README, "What is kept, and for how long"): the
//! hourly tidy-up removes old sent messages and mail files, expired staff sessions and the
//! `.part` files of uploads a crash cut off; and what staff opened is logged to the document.

use crate::helpers::spawn_app;
use layan::domain::workflow::{Role, Status};
use std::time::{Duration, SystemTime};

fn age(path: &std::path::Path, days: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(days * 86_400)).unwrap();
}

#[tokio::test]
async fn the_tidy_up_removes_what_is_kept_no_longer() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let old = layan::server::db::utc_in(-31 * 86_400);
    let recent = layan::server::db::utc_in(-86_400);
    let very_old = layan::server::db::utc_in(-91 * 86_400);
    for (key, sent, failed) in [("a", Some(&old), None), ("b", Some(&recent), None), ("c", None, Some(&old)), ("d", None, Some(&very_old)), ("e", None, None)] {
        sqlx::query(
            "INSERT INTO outbox_messages (event_key, kind, recipient, event, created_at, next_attempt_at, sent_at, failed_at) \
             VALUES ($1, 'sign_in', 'siti@example.com', 'sign_in', $2, $2, $3, $4)",
        )
        .bind(key)
        .bind(&very_old)
        .bind(sent)
        .bind(failed)
        .execute(pool)
        .await
        .unwrap();
    }
    let staff = crate::helpers::insert_staff(&app, "agus", "Agus").await;
    let live = layan::server::auth::open_session(pool, staff).await.unwrap();
    layan::server::auth::open_session(pool, staff).await.unwrap();
    sqlx::query("UPDATE staff_sessions SET expires_at = '2020-01-01T00:00:00Z' WHERE token_hash <> $1").bind(live.hash()).execute(pool).await.unwrap();
    let mail = tempfile::tempdir().unwrap();
    for (name, days) in [("old.eml", 31), ("new.eml", 1), ("keep.txt", 40)] {
        std::fs::write(mail.path().join(name), b"x").unwrap();
        age(&mail.path().join(name), days);
    }
    let uploads = app.state.storage.dir().to_path_buf();
    std::fs::create_dir_all(&uploads).unwrap();
    std::fs::write(uploads.join("crashed.part"), b"half a photo").unwrap();
    age(&uploads.join("crashed.part"), 1);
    std::fs::write(uploads.join("live.part"), b"arriving now").unwrap();

    layan::server::tidy_up(&app.state.db, &app.state.storage, Some(mail.path())).await;

    let left: Vec<(String,)> = sqlx::query_as("SELECT event_key FROM outbox_messages ORDER BY event_key").fetch_all(pool).await.unwrap();
    assert_eq!(left.iter().map(|(k,)| k.as_str()).collect::<Vec<_>>(), ["b", "c", "e"], "sent after 30 days, given up after 90; pending kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 1, "only the live session");
    let mut files: Vec<String> = std::fs::read_dir(mail.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["keep.txt", "new.eml"]);
    assert!(!uploads.join("crashed.part").exists() && uploads.join("live.part").exists(), "a live upload's .part is left alone");
}

#[tokio::test]
async fn the_access_log_names_the_document_and_every_application_the_household_panel_showed() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let opened = crate::fixtures::application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let sibling = crate::fixtures::application(&app, 2, "3276011006", Status::Submitted, "2026-11-21T01:00:00Z", "2027-01-05").await;
    let (kk,): (String,) = sqlx::query_as("SELECT kk FROM applications WHERE id = $1").bind(opened).fetch_one(pool).await.unwrap();
    sqlx::query("UPDATE applications SET kk = $1 WHERE id = $2").bind(&kk).bind(sibling).execute(pool).await.unwrap();
    let upload = "AAAAAAAAAAAAAAAAAAAAAA";
    crate::helpers::stored_document(&app, upload, opened, "ktp", "image/jpeg", b"\xff\xd8\xff\xe0 photo", "2026-11-20T01:00:00Z").await;
    let (me, cookie) = crate::fixtures::staff(&app, "vera", &[Role::Verifier]).await;
    let page = app.get_with(&format!("/petugas/permohonan/{opened}"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains(&format!("/petugas/permohonan/{sibling}")), "the sibling is in the household panel");
    assert_eq!(app.get_with(&format!("/petugas/berkas/{upload}"), &[("cookie", &cookie)]).await.status, axum::http::StatusCode::OK);

    let log: Vec<(i64, i64, String, Option<String>)> =
        sqlx::query_as("SELECT staff_id, application_id, what, detail FROM access_log ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(
        log,
        [
            (me, opened, "review".to_string(), None),
            (me, sibling, "household".to_string(), Some(opened.to_string())),
            (me, opened, "document".to_string(), Some(format!("ktp {upload}"))),
        ]
    );
}

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
const LONG_AGO: &str = "2019-06-01T03:00:00Z";

/// An application tracked with the fixtures' PIN, visited (findings) and rejected with a note
/// by staff through the review page, with a document, a fixed answer and a staff view; (id, number).
async fn visited_and_rejected(app: &crate::helpers::TestApp, n: i64, officer: &str) -> (i64, String) {
    use crate::casework::valid_form;
    use layan::domain::workflow::Move;
    let (id, number) = crate::fixtures::tracked(app, n, Status::FieldAssessment).await;
    for form in [valid_form(Move::RecordAssessment), valid_form(Move::Reject) + "&catatan=Tinggal+bersama+anaknya"] {
        let moved = app.post_form(&format!("/petugas/permohonan/{id}/langkah"), &form, &[("cookie", officer), ORIGIN]).await;
        assert_eq!(moved.status, axum::http::StatusCode::SEE_OTHER, "{}", moved.body);
    }
    let upload = format!("DOC{n:018}A");
    crate::helpers::stored_document(app, &upload, id, "ktp", "image/jpeg", b"\xff\xd8\xff\xe0 KTP photo", "2026-11-20T01:00:00Z").await;
    sqlx::query("INSERT INTO answer_fixes (application_id, step, before_value, after_value, at) VALUES ($1, 'orang', $2, $3, '2026-11-21T01:00:00Z')")
        .bind(id)
        .bind(r#"{"nama":"Warga Lama"}"#)
        .bind(r#"{"nama":"Warga Baru"}"#)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", officer)]).await.status, axum::http::StatusCode::OK);
    (id, number)
}

async fn close_long_ago(app: &crate::helpers::TestApp, id: i64) {
    sqlx::query("UPDATE applications SET closed_at = $1 WHERE id = $2").bind(LONG_AGO).bind(id).execute(app.state.db.pool()).await.unwrap();
}

#[tokio::test]
async fn at_the_end_of_retention_the_personal_data_goes_and_what_reports_need_stays() {
    let app = crate::helpers::spawn_app().await;
    let pool = app.state.db.pool();
    let (_, officer) = crate::fixtures::staff(&app, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor]).await;
    let (old, old_number) = visited_and_rejected(&app, 1, &officer).await;
    close_long_ago(&app, old).await;
    let (recent, _) = visited_and_rejected(&app, 2, &officer).await;
    let open = crate::fixtures::application(&app, 3, "3276011006", Status::Submitted, LONG_AGO, "2019-07-01").await;
    let (disputed, _) = visited_and_rejected(&app, 4, &officer).await;
    close_long_ago(&app, disputed).await;
    sqlx::query(
        "INSERT INTO complaints (number, pin_hash, kind, status, application_id, regency_code, district_code, name, message, received_at, due, updated_at) \
         VALUES ('SANGGAH01', 'x', 'sanggah', 'diterima', $1, '3276', '327601', 'Warga 4', 'Saya tidak terima', $2, '2019-07-01', $2)",
    )
    .bind(disputed)
    .bind(LONG_AGO)
    .execute(pool)
    .await
    .unwrap();
    // Approved, then consent withdrawn long ago: restricted, never closed.
    // Two of them, in one program: once erased, neither is anyone's open application.
    let restricted = crate::fixtures::application(&app, 5, "3276011006", Status::Approved, LONG_AGO, "2019-07-01").await;
    let restricted_too = crate::fixtures::application(&app, 6, "3276011006", Status::Approved, LONG_AGO, "2019-07-01").await;
    for id in [restricted, restricted_too] {
        sqlx::query("UPDATE applications SET restricted_at = $1 WHERE id = $2").bind(LONG_AGO).bind(id).execute(pool).await.unwrap();
    }
    let (complaint,): (i64,) = sqlx::query_as(
        "INSERT INTO complaints (number, pin_hash, kind, status, regency_code, district_code, name, email, phone, message, received_at, due, updated_at) \
         VALUES ('ADUAN0001', 'x', 'pengaduan', 'selesai', '3276', '327601', 'Siti', 'siti@example.com', '+6281200001111', 'Petugas tidak datang', $1, '2019-07-01', $1) RETURNING id",
    )
    .bind(LONG_AGO)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO complaint_history (complaint_id, at, to_status, actor, message) VALUES ($1, $2, 'selesai', 'staff', 'Sudah kami tegur')")
        .bind(complaint)
        .bind(LONG_AGO)
        .execute(pool)
        .await
        .unwrap();
    std::fs::write(app.state.storage.dir().join("COMPLAINTFILE00000000A"), b"%PDF-1.4 surat").unwrap();
    sqlx::query("INSERT INTO complaint_files (id, complaint_id, file_type, byte_size, sha256, created_at) VALUES ('COMPLAINTFILE00000000A', $1, 'application/pdf', 14, 'x', $2)")
        .bind(complaint)
        .bind(LONG_AGO)
        .execute(pool)
        .await
        .unwrap();

    // The reports as kept, and as a recount from the rows would make them.
    layan::server::db::reports::rebuild(pool, 7).await.unwrap();
    let before = crate::helpers::tallies(pool).await;
    let (born, received): (String, String) =
        sqlx::query_as("SELECT birth_date, submitted_at FROM applications WHERE id = $1").bind(old).fetch_one(pool).await.unwrap();
    let history_before = app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {old}")).await;
    let views_before = app.count(&format!("SELECT COUNT(*) FROM access_log WHERE application_id = {old}")).await;

    // A batch of two at a time: the run goes on until nothing is due.
    let erased = layan::server::retention::erase_expired(&app.state.db, &app.state.storage, 5, 7, 2).await.unwrap();
    assert_eq!((erased.applications, erased.complaints, erased.files.len()), (3, 1, 2), "{erased:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications WHERE erased_at IS NOT NULL AND open = TRUE").await, 0);

    let row: (String, String, String, String, String, String, Option<String>, String, String, String, String, String, String, String, Option<String>) = sqlx::query_as(
        "SELECT nik, kk, name, birth_date, sex, phone, email, street, rt, rw, description, applicant, household, pin_hash, erased_at FROM applications WHERE id = $1",
    )
    .bind(old)
    .fetch_one(pool)
    .await
    .unwrap();
    let (nik, kk, name, kept_birth, sex, phone, email, street, rt, rw, description, applicant, household, pin, erased_at) = row;
    assert_eq!([&nik, &kk, &name, &phone, &street, &rt, &rw, &description, &pin], [""; 9].map(String::from).each_ref());
    assert_eq!((email, applicant.as_str(), household.as_str(), sex.as_str()), (None, "null", "[]", "P"));
    assert!(erased_at.is_some());
    let on = layan::domain::date::office_day(&received, 7).unwrap();
    let (born, kept_birth) = (layan::domain::Date::parse_iso(&born).unwrap(), layan::domain::Date::parse_iso(&kept_birth).unwrap());
    assert_ne!(kept_birth, born, "not the birth date");
    assert_eq!(kept_birth.years_until(on), born.years_until(on), "the age at receipt, for the reports");
    let (status, program, village): (String, i64, String) =
        sqlx::query_as("SELECT status, program_id, village_code FROM applications WHERE id = $1").bind(old).fetch_one(pool).await.unwrap();
    assert_eq!((status.as_str(), program > 0, village.as_str()), ("ditolak", true, "3276011006"));

    // The history and the access log keep every line, without the words about the person.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {old}")).await, history_before);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM access_log WHERE application_id = {old}")).await, views_before);
    let lines: Vec<(Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT note, details, to_status FROM application_history WHERE application_id = $1 ORDER BY id").bind(old).fetch_all(pool).await.unwrap();
    for (note, details, _) in &lines {
        assert_eq!(note, &None);
        for words in ["bambu", "anaknya", "Tinggal"] {
            assert!(!details.as_deref().unwrap_or("").contains(words), "{details:?}");
        }
    }
    assert!(lines.iter().any(|(_, d, to)| to == "ditolak" && d.as_deref().is_some_and(|d| d.contains("sudah-menerima") || d.contains("Reject"))), "{lines:?}");
    let fixes: Vec<(String, String, String)> =
        sqlx::query_as("SELECT step, before_value, after_value FROM answer_fixes WHERE application_id = $1").bind(old).fetch_all(pool).await.unwrap();
    assert_eq!(fixes, [("orang".to_string(), String::new(), String::new())]);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM uploads WHERE application_id = {old}")).await, 0);
    assert!(!app.state.storage.dir().join("DOC000000000000000001A").exists(), "the document's file is gone");
    assert!(app.state.storage.dir().join("DOC000000000000000002A").exists(), "a recent one's stays");

    // Closed recently, still open, or with a dispute still open: untouched. Restricted long
    // ago: erased although it never closed.
    for (id, kept) in [(recent, true), (open, true), (disputed, true), (restricted, false), (restricted_too, false)] {
        let (name,): (String,) = sqlx::query_as("SELECT name FROM applications WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
        assert_eq!(!name.is_empty(), kept, "application {id}: {name:?}");
    }
    let (cname, cmessage): (Option<String>, String) =
        sqlx::query_as("SELECT name, message FROM complaints WHERE id = $1").bind(complaint).fetch_one(pool).await.unwrap();
    assert_eq!((cname, cmessage.as_str()), (None, ""));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM complaint_history WHERE complaint_id = {complaint} AND message IS NOT NULL")).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM complaint_files").await, 0);
    assert!(!app.state.storage.dir().join("COMPLAINTFILE00000000A").exists());
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints WHERE number = 'SANGGAH01' AND name = 'Warga 4'").await, 1, "an open dispute waits");

    // The tallies are what they were, and a recount from what is left gives the same.
    assert_eq!(crate::helpers::tallies(pool).await, before);
    layan::server::db::reports::rebuild(pool, 7).await.unwrap();
    assert_eq!(crate::helpers::tallies(pool).await, before, "what reports count survives the erasure");

    // Staff see what is left and why; the number and PIN open nothing any more.
    let page = app.get_with(&format!("/petugas/permohonan/{old}"), &[("cookie", &officer)]).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("telah dihapus pada") && !page.body.contains("Warga 1") && !page.body.contains("3276015505870001"));
    let tracked = app.post_form("/lacak", &format!("nomor={old_number}&pin={}", crate::fixtures::PIN), &[ORIGIN]).await;
    assert_ne!(tracked.status, axum::http::StatusCode::SEE_OTHER);

    // Again: nothing more is due.
    let again = layan::server::retention::erase_expired(&app.state.db, &app.state.storage, 5, 7, 2).await.unwrap();
    assert_eq!((again.applications, again.complaints), (0, 0));
}

#[tokio::test]
async fn the_audit_trails_stay_append_only_but_for_the_words_of_an_erased_application() {
    let app = crate::helpers::spawn_app().await;
    let pool = app.state.db.pool();
    let (_, officer) = crate::fixtures::staff(&app, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor]).await;
    let (kept, _) = visited_and_rejected(&app, 1, &officer).await;
    let (old, _) = visited_and_rejected(&app, 2, &officer).await;
    close_long_ago(&app, old).await;
    layan::server::retention::erase_expired(&app.state.db, &app.state.storage, 5, 7, 100).await.unwrap();
    for (sql, id) in [
        ("UPDATE application_history SET note = NULL WHERE application_id = $1", kept),
        ("UPDATE answer_fixes SET before_value = '' WHERE application_id = $1", kept),
        ("UPDATE application_history SET to_status = 'disetujui' WHERE application_id = $1", old),
        ("UPDATE application_history SET at = '2020-01-01T00:00:00Z' WHERE application_id = $1", old),
        ("UPDATE answer_fixes SET step = 'alamat' WHERE application_id = $1", old),
        ("DELETE FROM application_history WHERE application_id = $1", old),
        ("DELETE FROM access_log WHERE application_id = $1", old),
        ("UPDATE access_log SET what = 'x' WHERE application_id = $1", old),
    ] {
        let refused = sqlx::query(sql).bind(id).execute(pool).await;
        assert!(refused.is_err(), "{sql} on {id} went through");
    }
    assert!(sqlx::query("UPDATE application_history SET note = NULL WHERE application_id = $1").bind(old).execute(pool).await.is_ok());

    // Every column of an erasable table is named in its marker, as kept or erasable: a
    // column added later without a marker would otherwise be changeable on SQLite.
    for marker in layan::server::db::migrate::Erasable::all() {
        let sql = match app.state.db.backend() {
            layan::server::db::Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{}') ORDER BY name", marker.table),
            layan::server::db::Backend::Postgres => format!(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = '{}' AND table_schema = current_schema() ORDER BY 1",
                marker.table
            ),
        };
        let columns: Vec<(String,)> = sqlx::query_as(&sql).fetch_all(pool).await.unwrap();
        let mut named: Vec<String> = marker.keep.iter().chain(&marker.erasable).cloned().collect();
        named.sort();
        assert_eq!(columns.into_iter().map(|(c,)| c).collect::<Vec<_>>(), named, "{}", marker.table);
    }
}

#[tokio::test]
async fn two_runs_at_once_erase_each_application_once_and_a_cut_off_run_goes_on() {
    let app = crate::helpers::spawn_app().await;
    let pool = app.state.db.pool();
    for n in 1..=30 {
        let id = crate::fixtures::application(&app, n, "3276011006", Status::Rejected, "2019-01-10T01:00:00Z", "2019-02-10").await;
        close_long_ago(&app, id).await;
    }
    // A run cut off after its first batch…
    let first = layan::server::db::retention::erase_batch(pool, "2021-01-01", 4, 7).await.unwrap();
    assert_eq!(first.applications, 4);
    // …and two instances taking up the rest together.
    let (db, storage) = (&app.state.db, &app.state.storage);
    let (a, b) = tokio::join!(
        layan::server::retention::erase_expired(db, storage, 5, 7, 5),
        layan::server::retention::erase_expired(db, storage, 5, 7, 5),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.applications + b.applications, 26, "each once: {a:?} {b:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications WHERE erased_at IS NULL OR name <> ''").await, 0);
}
