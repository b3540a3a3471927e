//! Guessing limits under parallel requests: a script that sends many tries at the same moment
//! gets no more judged than one that sends them one by one, and the owner of the number or
//! account still gets in from their own address.

use crate::helpers::{TestApp, TestResponse, spawn_app};
use crate::fixtures::{PASSWORD, verifier};
use crate::fixtures::{PIN, tracked};
use axum::http::StatusCode;
use layan::domain::guessing::SecretKind;
use layan::domain::workflow::Status;
use std::sync::Arc;

const AT_ONCE: usize = 60;

/// Sends `AT_ONCE` posts at the same moment, from one address or from as many addresses,
/// and returns their statuses.
async fn at_once(app: &Arc<TestApp>, path: &str, body: impl Fn(usize) -> String, one_address: bool) -> Vec<StatusCode> {
    let tries: Vec<_> = (0..AT_ONCE)
        .map(|i| {
            let (app, path, body) = (app.clone(), path.to_string(), body(i));
            let ip = if one_address { "198.51.100.7".to_string() } else { format!("203.0.113.{}", i + 1) };
            tokio::spawn(async move { app.post_form_from(&ip, &path, &body, &[]).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.expect("the request task ends"));
    }
    statuses
}

fn judged(statuses: &[StatusCode]) -> usize {
    statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count()
}

/// Moves every recorded try `seconds` into the past: time passing, for the delays.
async fn age_tries(app: &TestApp, seconds: i64) {
    let tries: Vec<(i64, String)> = sqlx::query_as("SELECT id, at FROM guess_attempts").fetch_all(app.state.db.pool()).await.unwrap();
    for (id, at) in tries {
        let earlier = layan::server::db::unix_seconds(&at).unwrap() - seconds;
        let now = layan::server::db::unix_seconds(&layan::server::db::now_utc()).unwrap();
        sqlx::query("UPDATE guess_attempts SET at = $1 WHERE id = $2")
            .bind(layan::server::db::utc_in(earlier - now))
            .bind(id)
            .execute(app.state.db.pool())
            .await
            .unwrap();
    }
}

fn opened(response: &TestResponse) -> bool {
    response.status == StatusCode::SEE_OTHER && response.header("set-cookie").starts_with("layan_lacak=")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_simultaneous_pins_from_one_address_judge_five_and_the_owner_still_gets_in() {
    let app = Arc::new(spawn_app().await);
    let (_, number) = tracked(&app, 1, Status::Submitted).await;
    let statuses = at_once(&app, "/lacak", |i| format!("nomor={number}&pin={:06}", 100_000 + i), true).await;
    let limit = SecretKind::Pin.limits().pair_window as usize;
    assert!(judged(&statuses) <= limit, "{} judged of {AT_ONCE}: {statuses:?}", judged(&statuses));
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM guess_attempts WHERE outcome = 'counted'").await as usize, judged(&statuses));

    // The right PIN from the attacker's address: refused for the window, with a Retry-After.
    let from_attacker = app.post_form_from("198.51.100.7", "/lacak", &format!("nomor={number}&pin={PIN}"), &[]).await;
    assert_eq!(from_attacker.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(from_attacker.header("retry-after").parse::<i64>().unwrap() > 0);
    assert!(!opened(&from_attacker));
    // The resident on their own phone: in.
    let own_phone = app.post_form_from("192.0.2.10", "/lacak", &format!("nomor={number}&pin={PIN}"), &[]).await;
    assert!(opened(&own_phone), "{} {}", own_phone.status, own_phone.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_simultaneous_pins_from_sixty_addresses_judge_ten_and_then_wait_their_turn() {
    let app = Arc::new(spawn_app().await);
    let (_, number) = tracked(&app, 1, Status::Submitted).await;
    let statuses = at_once(&app, "/lacak", |i| format!("nomor={number}&pin={:06}", 100_000 + i), false).await;
    let free = SecretKind::Pin.limits().subject_free_day as usize;
    assert!(judged(&statuses) <= free, "{} judged of {AT_ONCE}: {statuses:?}", judged(&statuses));
    // Simultaneous tries may refuse each other; one at a time, the rest of the allowance is used up.
    for i in 0..2 * free {
        let guess = app.post_form_from(&format!("203.0.113.{}", 100 + i), "/lacak", &format!("nomor={number}&pin={:06}", 200_000 + i), &[]).await;
        if guess.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM guess_attempts WHERE outcome = 'counted'").await as usize, free);

    // Past the daily allowance the number is slowed down, not locked: the owner waits a minute.
    let at_once_after = app.post_form_from("192.0.2.10", "/lacak", &format!("nomor={number}&pin={PIN}"), &[]).await;
    assert_eq!(at_once_after.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(at_once_after.header("retry-after").parse::<i64>().unwrap() <= 60);
    age_tries(&app, 61).await;
    let a_minute_later = app.post_form_from("192.0.2.10", "/lacak", &format!("nomor={number}&pin={PIN}"), &[]).await;
    assert!(opened(&a_minute_later), "{} {}", a_minute_later.status, a_minute_later.body);
}

async fn staff_sign_in_from(app: &TestApp, ip: &str, password: &str) -> TestResponse {
    app.post_form_from(ip, "/petugas/masuk", &format!("nama_pengguna=agus&kata_sandi={password}"), &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_simultaneous_passwords_for_one_account_judge_five_and_the_officer_still_signs_in() {
    let app = Arc::new(spawn_app().await);
    verifier(&app).await;
    let statuses = at_once(&app, "/petugas/masuk", |i| format!("nama_pengguna=agus&kata_sandi=tebakan-{i}"), true).await;
    let limit = SecretKind::Password.limits().pair_window as usize;
    assert!(judged(&statuses) <= limit, "{} judged of {AT_ONCE}: {statuses:?}", judged(&statuses));

    let from_attacker = staff_sign_in_from(&app, "198.51.100.7", PASSWORD).await;
    assert_eq!(from_attacker.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(from_attacker.header("set-cookie").is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 0);
    let at_the_office = staff_sign_in_from(&app, "192.0.2.20", PASSWORD).await;
    assert_eq!((at_the_office.status, at_the_office.header("location")), (StatusCode::SEE_OTHER, "/petugas"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn residents_guessing_from_the_office_address_do_not_lock_its_officers_out() {
    let app = Arc::new(spawn_app().await);
    verifier(&app).await;
    // Thirty failed lookups from the Puskesos's one address…
    for n in 0..30 {
        app.post_form_from("192.0.2.30", "/lacak", &format!("nomor=ZZZZ{n:04}Z&pin=000000"), &[]).await;
    }
    // …leave the officer at the same address signing in.
    let officer = staff_sign_in_from(&app, "192.0.2.30", PASSWORD).await;
    assert_eq!(officer.header("location"), "/petugas");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_known_and_an_unknown_inbox_get_the_same_answers_to_link_requests() {
    let app = Arc::new(spawn_app().await);
    crate::fixtures::application_with_number(&app, 1, Status::Submitted, Some("siti@example.com")).await;
    for email in ["siti%40example.com", "tidak.ada%40example.com"] {
        let mut statuses = Vec::new();
        for i in 0..5 {
            // From different addresses: the inbox's own budget is what answers.
            let ip = format!("203.0.113.{}", 100 + i);
            statuses.push(app.post_form_from(&ip, "/lacak/email", &format!("email={email}"), &[]).await.status);
        }
        assert_eq!(statuses, [StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS, StatusCode::TOO_MANY_REQUESTS], "{email}");
    }
    // And at once: sixty requests for one inbox send at most three links.
    let statuses = at_once(&app, "/lacak/email", |_| "email=baru%40example.com".to_string(), false).await;
    assert!(statuses.iter().filter(|s| **s == StatusCode::OK).count() <= 3, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn while_a_number_is_being_guessed_a_sign_in_link_still_opens_it() {
    let app = Arc::new(spawn_app().await);
    let (id, number) = crate::fixtures::application_with_number(&app, 1, Status::Submitted, Some("siti@example.com")).await;
    at_once(&app, "/lacak", |i| format!("nomor={number}&pin={:06}", 100_000 + i), true).await;
    let asked = app.post_form_from("192.0.2.10", "/lacak/email", "email=siti%40example.com", &[]).await;
    assert_eq!(asked.status, StatusCode::OK);
    let (token,): (String,) = sqlx::query_as("SELECT details FROM outbox_messages WHERE kind = 'sign_in'").fetch_one(app.state.db.pool()).await.unwrap();
    let used = app.post_form_from("192.0.2.10", "/lacak/email/masuk", &format!("token={token}"), &[]).await;
    let cookie = used.header("set-cookie").split(';').next().unwrap().to_string();
    let opened = app.post_form_from("192.0.2.10", "/lacak/buka", &format!("permohonan={id}"), &[("cookie", &cookie)]).await;
    assert_eq!(opened.header("location"), "/lacak/permohonan");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_caller_has_its_own_budget_and_a_forged_header_buys_nothing() {
    let app = crate::helpers::spawn_app_with(&[("LAYAN_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let (_, number) = tracked(&app, 1, Status::Submitted).await;
    let via_proxy = |client: &'static str, pin: String| {
        let body = format!("nomor={number}&pin={pin}");
        let app = &app;
        async move { app.post_form_from("127.0.0.1", "/lacak", &body, &[("x-forwarded-for", client)]).await }
    };
    // An attacker behind the proxy uses up its own address's budget…
    for guess in 0..25 {
        via_proxy("203.0.113.9", format!("{:06}", 300_000 + guess)).await;
    }
    assert_eq!(via_proxy("203.0.113.9", PIN.to_string()).await.status, StatusCode::TOO_MANY_REQUESTS);
    // …and the resident behind the same proxy is not locked out with it.
    assert!(opened(&via_proxy("192.0.2.10", PIN.to_string()).await));

    // Without trusted proxies, X-Forwarded-For is the client's own words: ignored.
    let direct = spawn_app().await;
    let (_, number) = tracked(&direct, 1, Status::Submitted).await;
    for guess in 0..6 {
        let forged = format!("198.18.0.{guess}");
        direct.post_form_from("198.51.100.7", "/lacak", &format!("nomor={number}&pin={:06}", 400_000 + guess), &[("x-forwarded-for", &forged)]).await;
    }
    let still = direct.post_form_from("198.51.100.7", "/lacak", &format!("nomor={number}&pin={PIN}"), &[("x-forwarded-for", "198.18.0.99")]).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sixty_simultaneous_new_drafts_or_complaints_from_one_address_stop_at_its_budget() {
    use layan::domain::guessing::Write;
    let app = Arc::new(spawn_app().await);
    // New drafts: 70 at once from one address, each a fresh browser (no cookie).
    let starts: Vec<_> = (0..70)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.post_form_from("198.51.100.9", "/ajukan/mulai", "program=rs-rtlh", &[]).await })
        })
        .collect();
    let mut answers = Vec::new();
    for s in starts {
        answers.push(s.await.unwrap());
    }
    let made = answers.iter().filter(|r| r.status == StatusCode::SEE_OTHER).count();
    let refused: Vec<&TestResponse> = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).collect();
    assert!(made <= Write::Draft.per_hour() as usize && made + refused.len() == 70, "{made} made");
    assert!(refused[0].body.contains("Terlalu banyak kiriman dari jaringan ini") && !refused[0].header("retry-after").is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, made as i64);
    assert_eq!(app.post_form_from("198.51.100.9", "/ajukan/mulai", "program=rs-rtlh", &[]).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not held back, nor is a draft already begun.
    assert_eq!(app.post_form_from("198.51.100.10", "/ajukan/mulai", "program=rs-rtlh", &[]).await.status, StatusCode::SEE_OTHER);

    // Complaints: the same, counted before the photo is read.
    let boundary = "----layanquota";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\nsaran\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"tentang\"\r\n\r\numum\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"pesan\"\r\n\r\nMohon buka hari Sabtu.\r\n--{boundary}--\r\n"
    );
    let sends: Vec<_> = (0..25)
        .map(|_| {
            let (app, body) = (app.clone(), body.clone());
            tokio::spawn(async move {
                let mut request = axum::http::Request::post("/pengaduan")
                    .header("host", "127.0.0.1:3000")
                    .header("origin", "http://127.0.0.1:3000")
                    .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                    .body(axum::body::Body::from(body))
                    .unwrap();
                let peer: std::net::SocketAddr = "198.51.100.11:40000".parse().unwrap();
                request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                app.request(request).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for s in sends {
        statuses.push(s.await.unwrap());
    }
    let sent = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert!(sent <= Write::Complaint.per_hour() as usize && sent + statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count() == 25, "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, sent as i64);
}
