use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_lists_the_active_programs_in_indonesian() {
    let app = spawn_app().await;

    let page = app.get("/").await;

    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.body.contains(r#"<html lang="id""#));
    assert!(page.body.contains("Bantuan sosial, tanpa harus antre"));
    assert!(page.body.contains("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"));
    assert!(page.body.contains("paling lama 30 hari kerja"));
    assert!(page.body.contains("Foto rumah tampak depan"));
    assert!(page.body.contains("Lanjut Usia Terlantar"));
    // Ended programs are not offered.
    assert!(!page.body.contains("Bantuan Sosial Tunai (BST) Pandemi"));
    // Credit for the region data (ODbL).
    assert!(page.body.contains("idn-area-data"));
}

#[tokio::test]
async fn the_program_list_comes_from_the_database() {
    let app = spawn_app().await;
    sqlx::query("UPDATE programs SET active = FALSE WHERE code = $1")
        .bind("rs-rtlh")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO programs (code, name_id, name_en, summary_id, summary_en, deadline_working_days, active, position, created_at, updated_at) \
         VALUES ('uji-coba', 'Program Uji Coba Kota', 'City Pilot Program', 'Ringkasan uji', 'Test summary', 5, TRUE, 99, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .execute(app.state.db.pool())
    .await
    .unwrap();

    let page = app.get("/").await;

    assert!(page.body.contains("Program Uji Coba Kota"));
    assert!(page.body.contains("paling lama 5 hari kerja"));
    assert!(!page.body.contains("RS-RTLH"));
}

#[tokio::test]
async fn the_language_cookie_turns_the_page_english() {
    let app = spawn_app().await;

    let page = app.get_with("/", &[("cookie", "other=1; layan_lang=en")]).await;

    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="en""#));
    assert!(page.body.contains("Social aid, without the queue"));
    assert!(page.body.contains("Repair of uninhabitable homes (RS-RTLH)"));
    assert!(page.body.contains("within 30 working days"));
    assert!(page.body.contains("Neglected older people"));
    assert!(!page.body.contains("Bantuan sosial, tanpa harus antre"));
}

#[tokio::test]
async fn the_language_switch_sets_the_cookie_and_returns_to_the_page() {
    let app = spawn_app().await;

    let response = app.post_form("/bahasa", "lang=en&kembali=%2F%3Fx%3D1", &[("sec-fetch-site", "same-origin")]).await;

    assert_eq!(response.status, 303);
    assert_eq!(response.header("location"), "/?x=1");
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("layan_lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn the_language_switch_refuses_unknown_languages_and_foreign_return_addresses() {
    let app = spawn_app().await;

    let unknown = app.post_form("/bahasa", "lang=fr&kembali=%2F", &[]).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.body, "Bahasa tidak dikenal.");
    assert!(unknown.headers.get("set-cookie").is_none());

    let missing = app.post_form("/bahasa", "kembali=%2F", &[]).await;
    assert_eq!(missing.status, 400);

    for target in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
        let response = app.post_form("/bahasa", &format!("lang=id&kembali={target}"), &[]).await;
        assert_eq!(response.status, 303);
        assert_eq!(response.header("location"), "/", "{target}");
    }
}

#[tokio::test]
async fn the_programs_server_function_answers_json_in_the_chosen_language() {
    let app = spawn_app().await;

    let response = app
        .post_form("/api/programs/active", "lang=En", &[("accept", "application/json"), ("sec-fetch-site", "same-origin")])
        .await;

    assert_eq!(response.status, 200, "{}", response.body);
    let programs: Vec<serde_json::Value> = serde_json::from_str(&response.body).unwrap();
    assert_eq!(programs.len(), 12);
    let rtlh = programs.iter().find(|p| p["code"] == "rs-rtlh").unwrap();
    assert_eq!(rtlh["name"], "Repair of uninhabitable homes (RS-RTLH)");
    assert_eq!(rtlh["deadline"], 30);
    assert_eq!(rtlh["documents"], serde_json::json!(["Ktp", "Kk", "Sktm", "HousePhoto"]));
    assert_eq!(rtlh["serves"], serde_json::json!(["People living in poverty"]));
}

#[tokio::test]
async fn an_unknown_address_gets_a_404_page_in_indonesian() {
    let app = spawn_app().await;

    let page = app.get("/tidak-ada").await;

    assert_eq!(page.status, 404);
    assert!(page.body.contains("Halaman tidak ditemukan"));
    assert!(page.body.contains(r#"href="/""#));
}

/// Whether a page pulls the hydration script or the WebAssembly in any way.
fn ships_script(html: &str) -> bool {
    html.contains("/pkg/layan.js") || html.contains("/pkg/layan.wasm") || html.contains("modulepreload") || html.contains("type=\"module\"")
}

use crate::helpers::scripts;

/// The public pages, as a resident opens them.
const PUBLIC_PAGES: [&str; 13] = [
    "/", "/cek-bantuan", "/ajukan", "/lacak", "/lacak/email", "/lacak/telepon", "/pengaduan", "/statistik", "/verifikasi", "/luring",
    "/petugas/masuk", "/tidak-ada", "/luring?keadaan=tersimpan",
];

/// The budgets residents pay in bytes (issue 18): a public page's HTML at most 20 KB as the
/// server sends it (brotli at its on-the-fly quality), the style sheet at most 6 KB, and a page
/// without islands carries no script but the service worker's registration (under 1 KB).
#[tokio::test]
async fn public_pages_keep_to_their_budgets() {
    let app = spawn_app().await;
    let brotli = |bytes: &[u8], quality: i32| {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality, ..Default::default() };
        brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compresses");
        out.len()
    };
    assert!(layan::app::SERVICE_WORKER_REGISTRATION.len() < 1024);
    let mut sizes = Vec::new();
    for path in PUBLIC_PAGES {
        let page = app.get(path).await;
        let compressed = brotli(page.body.as_bytes(), 4);
        sizes.push(format!("{path} {} B ({compressed} B brotli)", page.body.len()));
        assert!(compressed <= 20 * 1024, "{path}: {compressed} bytes of brotli HTML, over 20 KB");
        assert!(!ships_script(&page.body), "{path} references the hydration script or the wasm");
        assert_eq!(scripts(&page.body), [layan::app::SERVICE_WORKER_REGISTRATION], "{path}: the only script is the worker's registration");
        assert!(page.body.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#), "{path} names the manifest");
        assert!(page.headers.get(layan::server::http::NO_ISLANDS).is_none(), "{path}: the shell's note to the edge stays inside");
    }
    let css = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/style/main.css")).expect("style sheet");
    let compressed = brotli(&css, 4);
    println!("{}\nstyle/main.css {} B ({compressed} B brotli)", sizes.join("\n"), css.len());
    assert!(compressed <= 6 * 1024, "the style sheet is {compressed} bytes of brotli, over 6 KB");
}

/// The offline page renders the state the query names (the service worker shows the others
/// from its copy), and the worker's two posts lead back to it without the worker.
#[tokio::test]
async fn the_offline_page_shows_the_state_asked_for_and_its_posts_lead_back() {
    let app = spawn_app().await;
    let page = app.get("/luring?keadaan=belum-diajukan").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<section id="keadaan-belum-diajukan" class="note">"#), "{}", page.body);
    assert!(page.body.contains(r#"<section id="keadaan-tersimpan" hidden"#));
    assert!(page.body.contains("Permohonan BELUM diajukan"));
    assert!(page.body.contains(r#"<ul id="tersimpan" class="kept-list"></ul>"#), "the worker fills this list");
    assert!(page.body.contains(r#"<li data-awalan="/ajukan/">Langkah permohonan"#), "the worker names kept posts from these");
    // An unknown state is the default one.
    let page = app.get("/luring?keadaan=%3Cscript%3E").await;
    assert!(page.body.contains(r#"<section id="keadaan-putus" class="note">"#));
    for post in ["/luring/kirim", "/luring/buang"] {
        let answer = app.post_form(post, "", &[("origin", "http://127.0.0.1:3000")]).await;
        assert_eq!(answer.status, 303, "{post}");
        assert_eq!(answer.header("location"), "/luring");
    }
}

/// Every page ships the hydration script and the WebAssembly exactly when it holds an island
/// (`app::has_islands`), and holds just the islands `app::islands_on` names for it (their
/// chunks are what the shell preloads): the public pages, each journey step, the receipt, and
/// the staff pages.
#[tokio::test]
async fn a_page_ships_script_only_when_it_holds_an_island() {
    use crate::fixtures::{PIN, staff, tracked};
    use layan::domain::workflow::{Role, Status};
    let app = crate::helpers::spawn_app().await;
    let check = |path: &str, html: &str| {
        let islands = html.contains("<leptos-island");
        assert_eq!(ships_script(html), islands, "{path}: islands {islands}");
        if !islands {
            assert_eq!(scripts(html), [layan::app::SERVICE_WORKER_REGISTRATION], "{path}: only the worker's registration");
        }
        assert_eq!(layan::app::has_islands(path), islands, "{path}: has_islands disagrees with the page");
        // The shell preloads the chunks of the islands it expects; the page must hold just those.
        let mut held: Vec<&str> = html
            .split("data-component=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.rsplit_once('_').map(|(name, _hash)| name))
            .collect();
        held.dedup();
        assert_eq!(held, layan::app::islands_on(path), "{path}: islands_on disagrees with the page");
    };
    for path in PUBLIC_PAGES {
        let page = app.get(path).await;
        check(path.split('?').next().unwrap_or(path), &page.body);
        assert!(!page.body.contains("__RESOLVED_RESOURCES"), "{path}: no hydration bookkeeping on a page nothing hydrates");
    }
    // The journey, step by step, and its receipt.
    let mut resident = crate::journey::Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    for step in ["siapa", "data-diri", "alamat", "keluarga", "kebutuhan", "dokumen", "periksa"] {
        let path = format!("/ajukan/{step}");
        check(&path, &resident.get(&path).await.body);
    }
    assert_eq!(resident.submit().await.status, axum::http::StatusCode::SEE_OTHER);
    check("/ajukan/selesai", &resident.get("/ajukan/selesai").await.body);
    // Tracking, with a session.
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    let opened = app.post_form("/lacak", &format!("nomor={number}&pin={PIN}"), &[("origin", "http://127.0.0.1:3000")]).await;
    let cookie = opened.header("set-cookie").split(';').next().unwrap().to_string();
    for path in ["/lacak/permohonan", "/lacak/data"] {
        check(path, &app.get_with(path, &[("cookie", &cookie)]).await.body);
    }
    // Staff pages.
    let (_, officer) = staff(&app, "serba", &[Role::Verifier, Role::Supervisor, Role::Administrator]).await;
    for path in [
        "/petugas".to_string(),
        "/petugas/antrean".to_string(),
        format!("/petugas/permohonan/{id}"),
        "/petugas/laporan".to_string(),
        "/petugas/admin".to_string(),
        "/petugas/admin/pemberitahuan".to_string(),
    ] {
        check(&path, &app.get_with(&path, &[("cookie", &officer)]).await.body);
    }
}

/// The catalogue each instance keeps in memory: a change made on the database (by another
/// instance, or by hand) counts `catalogue_version` up and shows on this instance's pages
/// without a restart (each instance asks at most once a second).
#[tokio::test]
async fn a_change_to_the_catalogue_made_elsewhere_reaches_every_instance() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let second = crate::helpers::TestApp::same_database(&app).await;
    let version = || async { sqlx::query_as::<_, (i64,)>("SELECT version FROM catalogue_version").fetch_one(pool).await.unwrap().0 };
    for instance in [&app, &second] {
        assert!(instance.get("/").await.body.contains("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"));
    }
    let province = layan::domain::RegionCode::parse("32").unwrap();
    let listed = |instance: &crate::helpers::TestApp| {
        let state = instance.state.clone();
        let province = province.clone();
        async move { layan::server::catalogue::service_points(&state, &province).await.unwrap().iter().any(|p| p.name == "Puskesos Uji") }
    };
    assert!(!listed(&second).await);
    let before = version().await;
    sqlx::query("UPDATE programs SET name_id = 'Bedah Rumah (RS-RTLH)' WHERE code = 'rs-rtlh'").execute(pool).await.unwrap();
    sqlx::query(
        "INSERT INTO service_points (code, name, kind, address, village_code, created_at) \
         VALUES ('uji', 'Puskesos Uji', 'slrt', 'Jl. Uji 1', '3276011006', '2026-12-01T00:00:00Z')",
    )
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(version().await, before + 2, "each change counts the version up");
    for instance in [&app, &second] {
        let mut shown = false;
        for _ in 0..50 {
            if instance.get("/").await.body.contains("Bedah Rumah (RS-RTLH)") {
                shown = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(shown, "the renamed program shows on every instance");
        assert!(listed(instance).await, "the new service point is listed");
    }
}
