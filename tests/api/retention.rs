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
