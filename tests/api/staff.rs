//! Staff sign-in: sessions in the database, guessing limits, sign-out, the start page.

use crate::fixtures::{PASSWORD, verifier};
use crate::helpers::{TestApp, TestResponse, spawn_app, spawn_app_with};
use axum::http::StatusCode;
use layan::domain::staff::{NewPassword, Username};
use layan::domain::workflow::Role;
use layan::server::auth;

async fn sign_in(app: &TestApp, username: &str, password: &str) -> TestResponse {
    let body = format!("nama_pengguna={username}&kata_sandi={password}");
    app.post_form("/petugas/masuk", &body, &[("origin", "http://127.0.0.1:3000")]).await
}

fn session_cookie(response: &TestResponse) -> String {
    let set = response.header("set-cookie");
    assert!(set.starts_with("layan_petugas="), "{set}");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn a_staff_member_signs_in_sees_their_area_and_signs_out() {
    let app = spawn_app().await;
    verifier(&app).await;

    let signed_in = sign_in(&app, "Agus", PASSWORD).await;
    assert_eq!((signed_in.status, signed_in.header("location")), (StatusCode::SEE_OTHER, "/petugas"));
    let cookie = session_cookie(&signed_in);
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM staff_sessions").fetch_one(app.state.db.pool()).await.unwrap();
    assert!(!cookie.contains(&stored), "only the token's hash is stored");

    let home = app.get_with("/petugas", &[("cookie", &cookie)]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Selamat bekerja, Agus Hermawan."));
    assert!(home.body.contains("Verifikator"));
    assert!(home.body.contains("Kota Depok"));

    let out = app.post_form("/petugas/keluar", "", &[("cookie", &cookie), ("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(out.header("location"), "/petugas/masuk");
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 0);
    let after = app.get_with("/petugas", &[("cookie", &cookie)]).await;
    assert_eq!((after.status.as_u16(), after.header("location")), (303, "/petugas/masuk"), "the old cookie opens nothing");
}

#[tokio::test]
async fn without_a_session_the_staff_pages_send_you_to_sign_in() {
    let app = spawn_app().await;
    for cookie in ["", "layan_petugas=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "layan_petugas=../../etc"] {
        let page = app.get_with("/petugas", &[("cookie", cookie)]).await;
        assert_eq!((page.status.as_u16(), page.header("location")), (303, "/petugas/masuk"), "{cookie}");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer_and_no_session() {
    let app = spawn_app().await;
    verifier(&app).await;

    let wrong = sign_in(&app, "agus", "bukan-kata-sandinya").await;
    let unknown = sign_in(&app, "siapa", PASSWORD).await;
    for refused in [&wrong, &unknown] {
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.body.contains("Nama pengguna atau kata sandi salah"));
        assert!(refused.header("set-cookie").is_empty());
        assert!(!refused.body.contains("bukan-kata-sandinya"), "the password is never echoed");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 0);
}

#[tokio::test]
async fn guessing_is_stopped_per_account_even_with_the_right_password_at_the_end() {
    let app = spawn_app().await;
    verifier(&app).await;
    for _ in 0..layan::domain::guessing::SecretKind::Password.limits().pair_window {
        assert_eq!(sign_in(&app, "agus", "tebakan-yang-salah").await.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = sign_in(&app, "agus", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.body.contains("Terlalu banyak percobaan yang gagal"));
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 0);
}

#[tokio::test]
async fn a_deactivated_account_loses_its_session_at_once() {
    let app = spawn_app().await;
    let id = verifier(&app).await;
    let cookie = session_cookie(&sign_in(&app, "agus", PASSWORD).await);
    sqlx::query("UPDATE staff SET active = FALSE WHERE id = $1").bind(id).execute(app.state.db.pool()).await.unwrap();
    let page = app.get_with("/petugas", &[("cookie", &cookie)]).await;
    assert_eq!(page.header("location"), "/petugas/masuk");
    assert_eq!(sign_in(&app, "agus", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app().await;
    verifier(&app).await;
    let cookie = session_cookie(&sign_in(&app, "agus", PASSWORD).await);
    sqlx::query("UPDATE staff_sessions SET expires_at = $1").bind(layan::server::db::utc_in(-1)).execute(app.state.db.pool()).await.unwrap();
    assert_eq!(app.get_with("/petugas", &[("cookie", &cookie)]).await.header("location"), "/petugas/masuk");
}

#[tokio::test]
async fn demo_accounts_exist_only_in_demo_mode() {
    let plain = spawn_app().await;
    assert_eq!(plain.count("SELECT COUNT(*) FROM staff").await, 0);
    let demo = spawn_app_with(&[("LAYAN_DEMO", "1")]).await;
    assert_eq!(demo.count("SELECT COUNT(*) FROM staff").await, 5);
    let signed_in = sign_in(&demo, "kasi.depok", layan::server::seed::demo::DEMO_PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_queue_page_lists_the_area_masked_and_claims_stay_inside_role_and_area() {
    use layan::domain::workflow::Status;
    let app = spawn_app().await;
    verifier(&app).await;
    let depok = crate::fixtures::application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-01").await;
    let jayapura = crate::fixtures::application(&app, 2, "9171021005", Status::Submitted, "2026-11-20T02:00:00Z", "2027-01-01").await;
    let cookie = session_cookie(&sign_in(&app, "agus", PASSWORD).await);
    let headers = [("cookie", cookie.as_str()), ("origin", "http://127.0.0.1:3000")];

    let page = app.get_with("/petugas/antrean?daftar=verifikasi", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Warga 1") && !page.body.contains("Warga 2"), "only the staff member's area");
    assert!(page.body.contains("3276••••••••0001") && !page.body.contains("3276015505870001"), "the NIK is masked in lists");

    let claimed = app.post_form("/petugas/antrean/ambil", &format!("id={depok}&daftar=verifikasi"), &headers).await;
    assert_eq!(claimed.header("location"), "/petugas/antrean?daftar=verifikasi");
    assert!(app.get_with("/petugas/antrean", &[("cookie", &cookie)]).await.body.contains("Lepas"));
    let outside = app.post_form("/petugas/antrean/ambil", &format!("id={jayapura}&daftar=verifikasi"), &headers).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    let (holder,): (Option<i64>,) =
        sqlx::query_as("SELECT claimed_by FROM applications WHERE id = $1").bind(jayapura).fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(holder, None, "a refused claim changes nothing");

    // An administrator (no queue role, no area) cannot claim; nobody can without a session.
    let admin = Username::parse("admin").unwrap();
    let password = NewPassword::parse(PASSWORD, &admin).unwrap();
    auth::create_staff(app.state.db.pool(), &admin, "Admin", &password, &[Role::Administrator], &["3276"]).await.unwrap();
    let admin_cookie = session_cookie(&sign_in(&app, "admin", PASSWORD).await);
    let by_admin = app
        .post_form("/petugas/antrean/lepas", &format!("id={depok}"), &[("cookie", &admin_cookie), ("origin", "http://127.0.0.1:3000")])
        .await;
    assert_eq!(by_admin.status, StatusCode::FORBIDDEN);
    let anonymous = app.post_form("/petugas/antrean/ambil", &format!("id={depok}"), &[("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(anonymous.header("location"), "/petugas/masuk");
    // The queue's data has no endpoint at all (the page renders on the server).
    let api = app.post_form("/api/petugas/antrean", "queue=verifikasi", &[("origin", "http://127.0.0.1:3000")]).await;
    assert!(!api.body.contains("Warga 1"), "{}", api.body);
}

#[tokio::test]
async fn demo_accounts_stop_working_when_demo_mode_ends_and_return_with_it() {
    let demo = spawn_app_with(&[("LAYAN_DEMO", "1")]).await;
    let cookie = session_cookie(&sign_in(&demo, "admin.demo", layan::server::seed::demo::DEMO_PASSWORD).await);
    // A real account that happens to have a demo name keeps working.
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE username = 'kasi.depok'")
        .bind(layan::server::secrets::hash_password(PASSWORD).await.unwrap())
        .execute(demo.state.db.pool())
        .await
        .unwrap();

    // The same data, started again without LAYAN_DEMO.
    let mut env = demo.env.clone();
    env.remove("LAYAN_DEMO");
    let logs = crate::helpers::LogCapture::start();
    let state = crate::helpers::start(&env).await;
    assert!(logs.text().contains("4 demo staff accounts"), "{}", logs.text());
    let plain = TestApp { router: layan::server::http::router(state.clone()), state, _dir: tempfile::tempdir().unwrap(), env: env.clone(), remote: None };
    let refused = sign_in(&plain, "admin.demo", layan::server::seed::demo::DEMO_PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(plain.get_with("/petugas", &[("cookie", &cookie)]).await.header("location"), "/petugas/masuk", "its session ended");
    assert_eq!(sign_in(&plain, "kasi.depok", PASSWORD).await.status, StatusCode::SEE_OTHER);

    // Back in demo mode, the demo accounts work again.
    env.insert("LAYAN_DEMO".into(), "1".into());
    let state = crate::helpers::start(&env).await;
    let again = TestApp { router: layan::server::http::router(state.clone()), state, _dir: tempfile::tempdir().unwrap(), env, remote: None };
    assert_eq!(sign_in(&again, "admin.demo", layan::server::seed::demo::DEMO_PASSWORD).await.status, StatusCode::SEE_OTHER);
}
