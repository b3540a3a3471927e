use crate::helpers::spawn_app;

/// A page with islands: every script carries this response's nonce, new for each response.
#[tokio::test]
async fn pages_carry_a_content_security_policy_with_the_nonce_of_their_scripts() {
    let app = spawn_app().await;
    let mut resident = crate::journey::Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;

    let page = resident.get("/ajukan/data-diri").await;

    let csp = page.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {csp:?}"));
    assert!(nonce.len() >= 16);
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("object-src 'none'"));
    assert!(page.body.contains(&format!(r#"nonce="{nonce}""#)), "scripts carry the nonce");
    // Every script element in the page carries it.
    for script in page.body.split("<script").skip(1) {
        assert!(script.starts_with(&format!(r#" nonce="{nonce}""#)) || script.contains(&format!(r#"nonce="{nonce}""#)[..]), "script without nonce: <script{}", &script[..script.len().min(80)]);
    }
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("x-frame-options"), "DENY");
    assert_eq!(page.header("referrer-policy"), "strict-origin-when-cross-origin");

    let second = resident.get("/ajukan/data-diri").await;
    assert_ne!(second.header("content-security-policy"), csp, "a new nonce per response");
}

/// A page without islands allows one script, the service worker's registration, by its hash:
/// no nonce, so every reader gets the same page (and the edge may keep it a second).
#[tokio::test]
async fn pages_without_islands_allow_only_the_registration_by_its_hash() {
    use base64::Engine;
    use sha2::Digest;
    let app = spawn_app().await;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(layan::app::SERVICE_WORKER_REGISTRATION.as_bytes()));

    let page = app.get("/").await;

    let csp = page.header("content-security-policy");
    assert!(csp.contains(&format!("script-src 'sha256-{hash}';")), "{csp}");
    assert!(!csp.contains("nonce") && !csp.contains("strict-dynamic") && !csp.contains("wasm-unsafe-eval"), "{csp}");
    assert!(!page.body.contains("nonce="));
    assert!(page.body.contains(&format!("<script>{}</script>", layan::app::SERVICE_WORKER_REGISTRATION)));
    assert_eq!(app.get("/").await.header("content-security-policy"), csp);
}

/// Public pages are copied for a second, but only for readers they are the same for: a
/// cookie of a draft or session gets its own page, and a change made here shows at once.
#[tokio::test]
async fn public_pages_are_copied_only_for_readers_they_are_the_same_for() {
    let app = spawn_app().await;
    let first = app.get("/").await;
    assert!(first.body.contains("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"));
    sqlx::query("UPDATE programs SET name_id = 'Bedah Rumah (RS-RTLH)' WHERE code = 'rs-rtlh'").execute(app.state.db.pool()).await.unwrap();
    // A reader with a draft never gets a copy; nor does one in English get the Indonesian one.
    let english = app.get_with("/", &[("cookie", "layan_lang=en")]).await;
    assert!(english.body.contains(r#"<html lang="en""#));
    // The catalogue is read again within a second, the copy is renewed within a second.
    let mut renamed = false;
    for _ in 0..50 {
        if app.get("/").await.body.contains("Bedah Rumah (RS-RTLH)") {
            renamed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(renamed, "a change made on the database shows within seconds");
    // A change made through this instance drops the copies at once.
    app.state.page_copies.forget();
    let copy = app.get("/").await;
    assert_eq!(app.get("/").await.body, copy.body, "within the second, the same bytes");
    // The aid check's answers live in a cookie: that reader gets the form with them, never
    // the copy of the blank form.
    let blank = app.get("/cek-bantuan").await;
    assert!(!blank.body.contains("checked"));
    let answered = app
        .post_form("/cek-bantuan", "untuk=sendiri&usia=lansia&disabilitas=tidak&bencana=tidak&rumah=tidak-layak&penghasilan=kurang&kebutuhan=dtsen&provinsi=32", &[("sec-fetch-site", "same-origin")])
        .await;
    let cookie = answered.header("set-cookie").split(';').next().unwrap().to_string();
    let mine = app.get_with("/cek-bantuan", &[("cookie", &format!("{cookie}; layan_lang=id"))]).await;
    assert!(mine.body.contains("checked"), "the reader's own answers");
    assert!(!app.get("/cek-bantuan").await.body.contains("checked"), "and the copy stays blank for others");
}

#[tokio::test]
async fn non_page_responses_may_run_nothing() {
    let app = spawn_app().await;

    let health = app.get("/healthz").await;

    assert_eq!(health.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(health.header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;

    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
    ] {
        let response = app.post_form("/bahasa", "lang=en&kembali=%2F", &headers).await;
        assert_eq!(response.status, 403, "{headers:?}");
        assert!(response.body.contains("dikirim dari situs lain"));
        assert!(response.headers.get("set-cookie").is_none(), "{headers:?}");
    }
    let server_fn = app.post_form("/api/programs/active", "lang=En", &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(server_fn.status, 403);

    let in_english = app
        .post_form("/bahasa", "lang=id", &[("sec-fetch-site", "cross-site"), ("cookie", "layan_lang=en")])
        .await;
    assert_eq!(in_english.status, 403);
    assert!(in_english.body.starts_with("Request refused"), "{}", in_english.body);

    let same_origin = app.post_form("/bahasa", "lang=en&kembali=%2F", &[("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(same_origin.status, 303);
}

#[tokio::test]
async fn an_oversized_server_function_body_gets_413_with_or_without_a_length() {
    let app = spawn_app().await;
    let huge = format!("lang=Id&x={}", "a".repeat(3 * 1024 * 1024));
    let declared = app.post_form("/api/programs/active", &huge, &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(declared.status, 413);
    assert!(declared.body.contains("terlalu besar"), "{}", declared.body);
    // Streamed in chunks, no Content-Length: the same answer, not a 500.
    let chunks = futures_util::stream::iter((0..64).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'a'; 64 * 1024]))));
    let request = axum::http::Request::post("/api/programs/active")
        .header("host", "127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from_stream(chunks))
        .unwrap();
    assert_eq!(app.request(request).await.status, 413);
    // A normal call still works.
    let normal = app.post_form("/api/programs/active", "lang=Id", &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(normal.status, 200, "{}", normal.body);
}

#[tokio::test]
async fn the_request_log_holds_no_query_strings_or_numbers() {
    let app = spawn_app().await;
    let log = crate::helpers::LogCapture::start();

    app.get("/?nik=3276011505870003").await;
    app.get("/lacak/3276011505870003").await;
    app.post_form("/bahasa", "lang=en&kembali=%2F%3Fnama%3DSiti", &[]).await;

    let log = log.text();
    assert!(log.contains("GET / 200"), "{log}");
    assert!(log.contains("GET /lacak/# 404"), "{log}");
    assert!(log.contains("POST /bahasa 303"), "{log}");
    for secret in ["3276011505870003", "nik=", "Siti", "nama"] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
}

#[tokio::test]
async fn pages_with_personal_data_are_never_kept_by_the_browser() {
    use layan::domain::workflow::{Role, Status};
    let app = spawn_app().await;
    let mut resident = crate::journey::Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let review = resident.get("/ajukan/periksa").await;
    assert!(review.body.contains("3276015505870003"), "the review shows the NIK");
    assert_eq!(review.header("cache-control"), "no-store");
    resident.submit().await;
    let receipt = resident.get("/ajukan/selesai").await;
    assert!(receipt.body.contains("id=\"pin\""), "the receipt shows the PIN");
    assert_eq!(receipt.header("cache-control"), "no-store");

    let (id,): (i64,) = sqlx::query_as("SELECT id FROM applications").fetch_one(app.state.db.pool()).await.unwrap();
    let (_, cookie) = crate::fixtures::staff(&app, "vera", &[Role::Verifier]).await;
    let case = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &cookie)]).await;
    assert_eq!(case.status, 200);
    assert_eq!(case.header("cache-control"), "no-store");
    let (_, number) = crate::fixtures::tracked(&app, 2, Status::Submitted).await;
    let opened = app.post_form("/lacak", &format!("nomor={number}&pin={}", crate::fixtures::PIN), &[("origin", "http://127.0.0.1:3000")]).await;
    let tracking_cookie = opened.header("set-cookie").split(';').next().unwrap().to_string();
    let tracking = app.get_with("/lacak/permohonan", &[("cookie", &tracking_cookie)]).await;
    assert_eq!(tracking.status, 200);
    assert_eq!(tracking.header("cache-control"), "no-store");
    // A refused form shown again carries what was typed: not kept either.
    let refused = app.post_form("/lacak", "nomor=X&pin=1", &[("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(refused.header("cache-control"), "no-store");

    // Public pages may be kept (and are asked for again); plain http gets no HSTS.
    let home = app.get("/").await;
    assert_eq!(home.header("cache-control"), "no-cache");
    assert_eq!(home.header("strict-transport-security"), "");
}

#[tokio::test]
async fn behind_https_browsers_are_told_to_use_nothing_else() {
    let app = crate::helpers::spawn_app_with(&[("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id")]).await;
    assert_eq!(app.get("/").await.header("strict-transport-security"), "max-age=31536000");
}
