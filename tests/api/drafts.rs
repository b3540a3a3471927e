//! Drafts on the server under a token from the resident's cookie: versions that keep a late
//! save from overwriting a newer one (or the submission), discarding on a shared phone, a
//! shorter life once a NIK is in, counter registrations that end with the officer's
//! sign-out, and the cookie policy behind https.

use crate::helpers::{spawn_app, spawn_app_with};
use crate::journey::{JPEG, Resident};
use axum::http::StatusCode;
use layan::server::db::drafts::{self, DraftError, DraftToken, LIFETIME_SECONDS, PERSONAL_LIFETIME_SECONDS};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Draft {
    step: String,
    name: String,
}

fn draft(step: &str) -> Draft {
    Draft { step: step.into(), name: "Siti Nurhaliza".into() }
}

const NIK: &str = "3276015505870003";

#[tokio::test]
async fn a_saved_draft_comes_back_with_its_token_and_only_with_it() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let token = DraftToken::generate();

    let v1 = drafts::save(pool, &token, &draft("orang"), None, LIFETIME_SECONDS, None).await.unwrap();
    let v2 = drafts::save(pool, &token, &draft("alamat"), Some(v1), LIFETIME_SECONDS, None).await.unwrap();

    assert_eq!(drafts::load::<Draft>(pool, &token).await.unwrap(), Some((draft("alamat"), v2)));
    assert_eq!(drafts::load::<Draft>(pool, &DraftToken::generate()).await.unwrap(), None);
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM drafts").fetch_one(pool).await.unwrap();
    assert_ne!(stored, token.as_str(), "the table holds a hash of the token");
    assert_eq!(stored.len(), 64);
}

#[tokio::test]
async fn of_two_saves_that_read_the_same_version_one_wins_and_the_other_changes_nothing() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let token = DraftToken::generate();
    let read = drafts::save(pool, &token, &draft("orang"), None, LIFETIME_SECONDS, None).await.unwrap();

    let saves = (0..12).map(|i| {
        let token = &token;
        async move { drafts::save(pool, token, &draft(&format!("langkah-{i}")), Some(read), LIFETIME_SECONDS, None).await }
    });
    let results = futures_util::future::join_all(saves).await;
    let won: Vec<usize> = results.iter().enumerate().filter(|(_, r)| r.is_ok()).map(|(i, _)| i).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(DraftError::Changed))));
    let (stored, _) = drafts::load::<Draft>(pool, &token).await.unwrap().unwrap();
    assert_eq!(stored, draft(&format!("langkah-{}", won[0])));
    // A new draft under a token that exists already is not written over it either.
    assert!(matches!(drafts::save(pool, &token, &draft("x"), None, LIFETIME_SECONDS, None).await, Err(DraftError::Changed)));
}

#[tokio::test]
async fn expired_drafts_are_not_loaded_and_are_purged() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (old, fresh) = (DraftToken::generate(), DraftToken::generate());
    drafts::save(pool, &old, &draft("orang"), None, LIFETIME_SECONDS, None).await.unwrap();
    sqlx::query("UPDATE drafts SET expires_at = '2020-01-01T00:00:00Z'").execute(pool).await.unwrap();
    drafts::save(pool, &fresh, &draft("alamat"), None, LIFETIME_SECONDS, None).await.unwrap();

    assert_eq!(drafts::load::<Draft>(pool, &old).await.unwrap(), None);
    assert_eq!(drafts::purge_expired(pool).await.unwrap(), 1);
    assert!(drafts::load::<Draft>(pool, &fresh).await.unwrap().is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
}

/// Whether the draft expires `seconds` from now, give or take a minute.
async fn expires_in(app: &crate::helpers::TestApp, seconds: i64) -> bool {
    let (expires,): (String,) = sqlx::query_as("SELECT expires_at FROM drafts").fetch_one(app.state.db.pool()).await.unwrap();
    let (early, late) = (layan::server::db::utc_in(seconds - 60), layan::server::db::utc_in(seconds + 60));
    early <= expires && expires <= late
}

#[tokio::test]
async fn a_draft_lives_thirty_days_until_it_holds_a_nik_then_three() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    let started = resident.post("/ajukan/mulai", "program=rs-rtlh").await;
    assert!(started.header("set-cookie").contains(&format!("Max-Age={LIFETIME_SECONDS}")));
    assert!(expires_in(&app, LIFETIME_SECONDS).await);
    resident.post("/ajukan/siapa", "untuk=sendiri").await;
    let person = resident
        .post("/ajukan/data-diri", &format!("nik={NIK}&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=0812+3456+7890&email="))
        .await;
    assert_eq!(person.status, StatusCode::SEE_OTHER);
    assert!(person.header("set-cookie").contains(&format!("Max-Age={PERSONAL_LIFETIME_SECONDS}")), "{}", person.header("set-cookie"));
    assert!(expires_in(&app, PERSONAL_LIFETIME_SECONDS).await);
}

#[tokio::test]
async fn steps_and_uploads_sent_around_the_submission_never_overwrite_it() {
    let app = Arc::new(spawn_app().await);
    let mut resident = Resident::new(&app);
    resident.fill_in(NIK, "1987-05-15", "P", "3276010101090001").await;
    let key = resident.key().await;
    let headers = resident.headers();
    let cookie = resident.cookie.clone().unwrap();

    // The same browser's late posts (a slow upload, a second tab's step) race the submission.
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (app, headers, key, cookie) = (app.clone(), headers.clone(), key.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            match i % 3 {
                0 => ("kirim", app.post_form("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya"), &refs).await.status),
                1 => {
                    let body = "kategori=24&program=rs-rtlh&uraian=Atap+rumah+bocor+dan+dinding+retak+sekali.";
                    ("langkah", app.post_form("/ajukan/kebutuhan", body, &refs).await.status)
                }
                _ => {
                    let mut late = Resident::new(&app);
                    late.cookie = Some(cookie);
                    ("unggah", late.upload("foto-rumah", "rumah.jpg", JPEG).await.status)
                }
            }
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    for (what, status) in &answers {
        assert!([StatusCode::SEE_OTHER, StatusCode::CONFLICT].contains(status), "{what}: {status}");
    }
    // A submission checked before a step was saved is refused (409) and changes nothing;
    // if every one lost that way, the resident sends it again.
    if app.count("SELECT COUNT(*) FROM applications").await == 0 {
        assert!(answers.iter().any(|(what, status)| *what == "kirim" && *status == StatusCode::CONFLICT));
        assert_eq!(resident.submit().await.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 1);
    // The submission stands: the receipt with its PIN, no answers to resume, every file of
    // the application its own, and none left on a draft.
    let receipt = resident.get("/ajukan/selesai").await;
    assert!(receipt.body.contains("id=\"pin\""), "{}", receipt.body);
    let review = resident.get("/ajukan/periksa").await;
    assert!(!review.body.contains(NIK), "the submitted draft's answers do not come back");
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE application_id IS NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads").await, 4);
    let files = std::fs::read_dir(&app.state.config.upload_dir).unwrap().filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".part")).count();
    assert_eq!(files, 4, "a refused late upload's file is not kept");
}

#[tokio::test]
async fn a_resident_discards_the_application_on_a_shared_phone_and_nothing_of_it_stays() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in(NIK, "1987-05-15", "P", "3276010101090001").await;
    let review = resident.get("/ajukan/periksa").await;
    assert!(review.body.contains(NIK) && review.body.contains("action=\"/ajukan/buang\""));
    let cookie = resident.cookie.clone().unwrap();

    let discarded = resident.post("/ajukan/buang", "").await;
    assert_eq!((discarded.status, discarded.header("location")), (StatusCode::SEE_OTHER, "/ajukan?dihapus=ya"));
    assert!(discarded.header("set-cookie").starts_with("layan_draf=;") && discarded.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads").await, 0);
    assert_eq!(std::fs::read_dir(&app.state.config.upload_dir).unwrap().count(), 0, "the files are gone");
    // Even with the old cookie kept (Back, a copied cookie), nothing comes back.
    resident.cookie = Some(cookie);
    let again = resident.get("/ajukan/periksa").await;
    assert!(!again.body.contains(NIK));
    let start = resident.get("/ajukan?dihapus=ya").await;
    assert!(start.body.contains("Sudah dihapus dari HP ini"));

    // After submission: the receipt (with its PIN) is forgotten on the phone; the
    // application stays.
    let mut resident = Resident::new(&app);
    resident.fill_in(NIK, "1987-05-15", "P", "3276010101090001").await;
    resident.submit().await;
    assert!(resident.get("/ajukan/selesai").await.body.contains("id=\"pin\""));
    let forgot = resident.post("/ajukan/buang", "").await;
    assert_eq!(forgot.status, StatusCode::SEE_OTHER);
    let receipt = resident.get("/ajukan/selesai").await;
    assert!(!receipt.body.contains("id=\"pin\"") && !receipt.body.contains(NIK));
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE application_id IS NOT NULL").await, 4);
}

#[tokio::test]
async fn a_counter_registration_ends_with_the_officers_sign_out() {
    let app = spawn_app().await;
    let (officer, session, point, _) = crate::apply::front_desk_officer(&app).await;
    let mut counter = Resident::new(&app);
    counter.officer = Some(session.clone());
    let started = counter.post("/petugas/loket/mulai", &format!("loket={point}")).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    counter.fill_in(NIK, "1987-05-15", "P", "3276010101090001").await;
    assert!(counter.get("/ajukan/periksa").await.body.contains(NIK));
    // A resident's own draft in another browser is not touched.
    let mut other = Resident::new(&app);
    other.post("/ajukan/mulai", "program=rs-rtlh").await;

    let signed_out = counter.post("/petugas/keluar", "").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    let cleared: Vec<&str> = signed_out.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("layan_draf=;")), "{cleared:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1, "only the other resident's draft is left");
    // The next person at the counter PC, even with the old cookie, finds nothing.
    counter.officer = None;
    assert!(!counter.get("/ajukan/periksa").await.body.contains(NIK));
    layan::server::tidy_up(&app.state.db, &app.state.storage, None).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads").await, 0, "its files go with the hourly sweep");

    // A session that simply expires takes its counter drafts with it at the next tidy-up.
    let mut counter = Resident::new(&app);
    let fresh = layan::server::auth::open_session(app.state.db.pool(), officer).await.unwrap();
    counter.officer = Some(format!("layan_petugas={}", fresh.as_str()));
    counter.post("/petugas/loket/mulai", &format!("loket={point}")).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 2);
    sqlx::query("UPDATE staff_sessions SET expires_at = '2020-01-01T00:00:00Z'").execute(app.state.db.pool()).await.unwrap();
    layan::server::tidy_up(&app.state.db, &app.state.storage, None).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
}

#[tokio::test]
async fn behind_https_cookies_are_secure_whole_site_ones_host_only_and_unprefixed_ones_not_believed() {
    let app = spawn_app_with(&[("LAYAN_PUBLIC_URL", "https://layanan.dinsos.example")]).await;
    let https = [("sec-fetch-site", "same-origin")];
    let started = app.post_form("/ajukan/mulai", "program=rs-rtlh", &https).await;
    let set = started.header("set-cookie").to_string();
    assert!(set.starts_with("__Host-layan_draf=") && set.contains("; Secure") && set.contains("Path=/;"), "{set}");

    // The prefixed session cookie is believed; the same token under the plain name (planted
    // by a neighbouring site or over http) is not.
    let staff_id = crate::helpers::insert_staff(&app, "agus", "Agus").await;
    let session = layan::server::auth::open_session(app.state.db.pool(), staff_id).await.unwrap();
    let page = |cookie: String| {
        let app = &app;
        async move { app.get_with("/petugas", &[("cookie", cookie.as_str())]).await }
    };
    let prefixed = page(format!("__Host-layan_petugas={}", session.as_str())).await;
    assert_eq!(prefixed.status, StatusCode::OK, "{}", prefixed.header("location"));
    let planted = page(format!("layan_petugas={}", session.as_str())).await;
    assert_eq!((planted.status, planted.header("location")), (StatusCode::SEE_OTHER, "/petugas/masuk"));
    // A path-scoped cookie keeps its name and gets Secure.
    let signed_out = app.post_form("/lacak/keluar", "", &https).await;
    let set = signed_out.header("set-cookie");
    assert!(set.starts_with("layan_lacak=") && set.contains("; Secure"), "{set}");
}
