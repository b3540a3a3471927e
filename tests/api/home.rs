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

/// Whether a page pulls the hydration script or the WebAssembly in any way. (Leptos's two
/// inline bookkeeping lines of the streamed page, about 170 bytes, are still on every page.)
fn ships_script(html: &str) -> bool {
    html.contains("/pkg/layan.js") || html.contains("/pkg/layan.wasm") || html.contains("modulepreload") || html.contains("type=\"module\"")
}

/// Every page ships the hydration script and the WebAssembly exactly when it holds an island
/// (`app::has_islands`): the public pages, each journey step, the receipt, and the staff pages.
#[tokio::test]
async fn a_page_ships_script_only_when_it_holds_an_island() {
    use crate::fixtures::{PIN, staff, tracked};
    use layan::domain::workflow::{Role, Status};
    let app = crate::helpers::spawn_app().await;
    let check = |path: &str, html: &str| {
        let islands = html.contains("<leptos-island");
        assert_eq!(ships_script(html), islands, "{path}: islands {islands}");
        assert_eq!(layan::app::has_islands(path), islands, "{path}: has_islands disagrees with the page");
    };
    for path in ["/", "/cek", "/lacak", "/lacak/telepon", "/pengaduan", "/statistik", "/verifikasi", "/tidak-ada", "/petugas/masuk", "/ajukan"] {
        let page = app.get(path).await;
        check(path, &page.body);
        assert!(!ships_script(&page.body), "{path} is a public page without islands");
        assert!(!page.body.contains("__RESOLVED_RESOURCES[0]"), "{path}: no resource data travels with a page nothing hydrates");
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
