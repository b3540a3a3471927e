//! Administration: an administrator adds and changes a program (its check rules, documents,
//! deadline) and the public holidays; each change is in the append-only history; anyone else,
//! a bad form or another site changes nothing.

use crate::fixtures::staff;
use crate::helpers::{TestApp, spawn_app};
use axum::http::StatusCode;
use layan::domain::workflow::Role;

const SAME_SITE: (&str, &str) = ("origin", "http://127.0.0.1:3000");

const FOOD_PARCELS: &str = "kode=bantuan-sembako&nama=Bantuan+Sembako+Darurat&nama_en=Emergency+food+parcels\
&ringkasan=Paket+sembako+untuk+keluarga+yang+kehilangan+penghasilan.&ringkasan_en=Food+parcels+for+families+who+lost+their+income.\
&kategori=24&dokumen=ktp&dokumen=sktm&tenggat=5&aktif=ya&aturan1_penghasilan=tidak-ada&aturan1_bencana=alam";

async fn history_lines(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM admin_history").await
}

#[tokio::test]
async fn an_administrator_adds_a_program_that_residents_then_find_in_the_check_and_the_application() {
    let app = spawn_app().await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let form = app.get_with("/petugas/admin/program-baru", &[("cookie", &admin)]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Kode program") && form.body.contains("Aturan 3"));

    let saved = app.post_form("/petugas/admin/program", FOOD_PARCELS, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!((saved.status, saved.header("location")), (StatusCode::SEE_OTHER, "/petugas/admin/program?disimpan=1"));
    let (deadline, eligibility): (i64, String) =
        sqlx::query_as("SELECT deadline_working_days, eligibility FROM programs WHERE code = 'bantuan-sembako'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(deadline, 5);
    assert_eq!(eligibility, r#"[[{"Disaster":["Natural"]},{"Income":["None"]}]]"#);
    assert_eq!(app.count("SELECT COUNT(*) FROM program_documents d JOIN programs p ON p.id = d.program_id WHERE p.code = 'bantuan-sembako'").await, 2);
    assert_eq!(history_lines(&app).await, 1);

    // Residents: the home page, the check (a flood victim with no income), the need step's list.
    assert!(app.get("/").await.body.contains("Bantuan Sembako Darurat"));
    let answers = "untuk=sendiri&usia=dewasa&disabilitas=tidak&bencana=alam&rumah=layak&penghasilan=tidak-ada&kebutuhan=tidak-ada&provinsi=32";
    let posted = app.post_form("/cek-bantuan", answers, &[("sec-fetch-site", "same-origin")]).await;
    let cookie = posted.header("set-cookie").split(';').next().unwrap().to_string();
    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;
    assert!(results.body.contains("Bantuan Sembako Darurat"), "the new program fits");
    let choices = layan::server::db::programs::choices(app.state.db.pool()).await.unwrap();
    assert!(choices.iter().any(|c| c.code == "bantuan-sembako" && c.categories == vec![24]));
    let (documents, due) = layan::server::db::programs::requirements(app.state.db.pool(), "bantuan-sembako").await.unwrap().unwrap();
    assert_eq!((documents.len(), due.get()), (2, 5));

    // Changed: closed. It leaves the home page and the application; the history has both.
    let closed = FOOD_PARCELS.replace("&aktif=ya", "").replace("kode=bantuan-sembako&", "");
    let saved = app.post_form("/petugas/admin/program/bantuan-sembako", &closed, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(!app.get("/").await.body.contains("Bantuan Sembako Darurat"));
    assert!(layan::server::db::programs::requirements(app.state.db.pool(), "bantuan-sembako").await.unwrap().is_none());
    let history = app.get_with("/petugas/admin/riwayat", &[("cookie", &admin)]).await;
    assert!(history.body.contains("update program bantuan-sembako") && history.body.contains("create program bantuan-sembako"));
    // The history is append-only, even for a query of ours.
    assert!(sqlx::query("DELETE FROM admin_history").execute(app.state.db.pool()).await.is_err());
}

#[tokio::test]
async fn a_bad_program_form_is_shown_again_with_messages_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let programs = app.count("SELECT COUNT(*) FROM programs").await;
    let bad = "kode=Bantuan+Sembako&nama=B&nama_en=Food&ringkasan=pendek&ringkasan_en=Food+parcels+for+families.&tenggat=120";
    let page = app.post_form("/petugas/admin/program", bad, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Tulis kode dengan huruf kecil, angka, dan tanda hubung (2–40 karakter).",
        "Tulis nama (paling sedikit 3 karakter).",
        "Tulis ringkasan (paling sedikit 10 karakter).",
        "Pilih paling sedikit satu kategori PPKS.",
        "Pilih paling sedikit satu dokumen.",
        "Tulis tenggat 1 sampai 90 hari kerja.",
    ] {
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    assert!(page.body.contains("ringkasan-galat") && page.body.contains(r#"value="Bantuan Sembako""#), "what was typed is kept");
    // A code that is taken.
    let taken = FOOD_PARCELS.replace("bantuan-sembako", "rs-rtlh");
    let page = app.post_form("/petugas/admin/program", &taken, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("Kode ini sudah dipakai program lain."));
    assert_eq!(app.count("SELECT COUNT(*) FROM programs").await, programs);
    assert_eq!(history_lines(&app).await, 0);
    // Editing a program that does not exist.
    let missing = app.post_form("/petugas/admin/program/tidak-ada", FOOD_PARCELS, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_administrators_change_settings_and_never_from_another_site() {
    let app = spawn_app().await;
    let (_, boss) = staff(&app, "kasi.uji", &[Role::Supervisor]).await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let refused = app.post_form("/petugas/admin/program", FOOD_PARCELS, &[("cookie", &boss), SAME_SITE]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = app.get_with("/petugas/admin/program", &[("cookie", &boss)]).await;
    assert!(page.body.contains("Halaman ini hanya untuk administrator.") && !page.body.contains("rs-rtlh"));
    let holiday = app.post_form("/petugas/admin/libur", "tanggal=2026-12-24&nama_libur=Cuti+bersama", &[("cookie", &boss), SAME_SITE]).await;
    assert_eq!(holiday.status, StatusCode::FORBIDDEN);
    let signed_out = app.post_form("/petugas/admin/program", FOOD_PARCELS, &[SAME_SITE]).await;
    assert_eq!((signed_out.status, signed_out.header("location")), (StatusCode::SEE_OTHER, "/petugas/masuk"));
    let cross_site = app.post_form("/petugas/admin/program", FOOD_PARCELS, &[("cookie", &admin), ("origin", "https://evil.example")]).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM programs WHERE code = 'bantuan-sembako'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM public_holidays").await, 0);
    assert_eq!(history_lines(&app).await, 0);
}

#[tokio::test]
async fn holidays_are_added_and_removed_with_their_history() {
    let app = spawn_app().await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let added = app.post_form("/petugas/admin/libur", "tanggal=2026-12-24&nama_libur=Cuti+bersama+Natal", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!((added.status, added.header("location")), (StatusCode::SEE_OTHER, "/petugas/admin/libur"));
    let page = app.get_with("/petugas/admin/libur", &[("cookie", &admin)]).await;
    assert!(page.body.contains("Cuti bersama Natal"));
    // Deadlines now skip it: a day's work from Wednesday the 23rd is due Friday the 25th.
    let holidays = layan::server::db::admin::holiday_days(app.state.db.pool()).await.unwrap();
    let wednesday = layan::domain::Date::new(2026, 12, 23).unwrap();
    assert_eq!(layan::domain::WorkingDays::new(1).unwrap().after(wednesday, &holidays).to_string(), "2026-12-25");

    let weekend = app.post_form("/petugas/admin/libur", "tanggal=2026-12-26&nama_libur=Sabtu", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(weekend.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weekend.body.contains("Tanggal itu hari Sabtu atau Minggu"));
    let twice = app.post_form("/petugas/admin/libur", "tanggal=2026-12-24&nama_libur=Lagi", &[("cookie", &admin), SAME_SITE]).await;
    assert!(twice.body.contains("Tanggal itu sudah menjadi hari libur."));
    assert_eq!(app.count("SELECT COUNT(*) FROM public_holidays").await, 1);

    let removed = app.post_form("/petugas/admin/libur/hapus", "tanggal=2026-12-24", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM public_holidays").await, 0);
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT subject, action FROM admin_history ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    assert_eq!(actions, vec![("holiday".into(), "create".into()), ("holiday".into(), "delete".into())]);
}

#[tokio::test]
async fn categories_and_service_points_are_added_and_changed_with_their_history() {
    let app = spawn_app().await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let pool = app.state.db.pool();

    // A local category, then renamed; a number that exists is refused.
    let added = app.post_form("/petugas/admin/kategori", "kode_kategori=27&nama=Korban+Pinjaman+Daring&nama_en=Victims+of+online+loans&aktif=ya", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!((added.status, added.header("location")), (StatusCode::SEE_OTHER, "/petugas/admin/kategori?disimpan=1"));
    let taken = app.post_form("/petugas/admin/kategori", "kode_kategori=24&nama=Lain&nama_en=Other&aktif=ya", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("Kode ini sudah dipakai"));
    let renamed = app.post_form("/petugas/admin/kategori/27", "nama=Korban+Pinjol&nama_en=Victims+of+online+loans", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let (name, open): (String, i64) =
        sqlx::query_as("SELECT name_id, CASE WHEN active THEN 1 ELSE 0 END FROM ppks_categories WHERE code = 27").fetch_one(pool).await.unwrap();
    assert_eq!((name.as_str(), open), ("Korban Pinjol", 0), "renamed and closed");
    assert!(app.get_with("/petugas/admin/kategori", &[("cookie", &admin)]).await.body.contains("Korban Pinjol"));

    // A service point in Beji (Depok); a village that does not exist is refused at its field.
    let point = "kode=depok-puskesos-beji&nama=Puskesos+Kecamatan+Beji&jenis=puskesos&alamat=Kantor+Kecamatan+Beji&kode_desa=3276031001&aktif=ya";
    let nowhere = point.replace("3276031001", "3276999999");
    let refused = app.post_form("/petugas/admin/titik-layanan", &nowhere, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Tulis kode kelurahan/desa yang ada (10 angka).") && refused.body.contains(r#"value="3276999999""#));
    let empty = app.post_form("/petugas/admin/titik-layanan", "kode=", &[("cookie", &admin), SAME_SITE]).await;
    assert!(empty.body.contains("Pilih jenis titik layanan.") && empty.body.contains("Tulis alamat (5–200 karakter)."));
    assert_eq!(app.count("SELECT COUNT(*) FROM service_points").await, 0);
    let saved = app.post_form("/petugas/admin/titik-layanan", point, &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let edit = app.get_with("/petugas/admin/titik-layanan/depok-puskesos-beji", &[("cookie", &admin)]).await;
    assert!(edit.body.contains("Ubah titik layanan: Puskesos Kecamatan Beji"));
    let moved = "nama=Puskesos+Beji&jenis=slrt&alamat=Jl.+Bojongsari+1&kode_desa=3276031001&telepon=(021)+777-1234&aktif=ya";
    assert_eq!(app.post_form("/petugas/admin/titik-layanan/depok-puskesos-beji", moved, &[("cookie", &admin), SAME_SITE]).await.status, StatusCode::SEE_OTHER);
    let (name, kind, phone): (String, String, Option<String>) =
        sqlx::query_as("SELECT name, kind, phone FROM service_points WHERE code = 'depok-puskesos-beji'").fetch_one(pool).await.unwrap();
    assert_eq!((name.as_str(), kind.as_str(), phone.as_deref()), ("Puskesos Beji", "slrt", Some("(021) 777-1234")));
    // The aid check's list of service points for West Java has it at once (this instance's
    // copy of the catalogue went with the change).
    let west_java = layan::domain::RegionCode::parse("32").unwrap();
    assert!(layan::server::catalogue::service_points(&app.state, &west_java).await.unwrap().iter().any(|p| p.name == "Puskesos Beji"));

    let subjects: Vec<(String, String, String)> =
        sqlx::query_as("SELECT subject, subject_key, action FROM admin_history ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(
        subjects,
        vec![
            ("category".into(), "27".into(), "create".into()),
            ("category".into(), "27".into(), "update".into()),
            ("service_point".into(), "depok-puskesos-beji".into(), "create".into()),
            ("service_point".into(), "depok-puskesos-beji".into(), "update".into()),
        ]
    );
}

/// The token of the newest password link queued for `email` (the outbox holds it until sent).
async fn password_token(app: &TestApp, email: &str) -> String {
    let (token,): (String,) = sqlx::query_as("SELECT details FROM outbox_messages WHERE kind = 'password_link' AND recipient = $1 ORDER BY id DESC LIMIT 1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    token
}

#[tokio::test]
async fn an_administrator_makes_an_account_whose_owner_sets_the_password_then_deactivates_it() {
    let app = spawn_app().await;
    let (admin_id, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    sqlx::query("INSERT INTO service_points (code, name, kind, address, village_code, created_at) VALUES ('uji', 'Puskesos Uji', 'puskesos', 'Jl. Uji', '3276011006', '2026-01-01T00:00:00Z')")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let form = app.get_with("/petugas/admin/petugas-baru", &[("cookie", &admin)]).await;
    assert!(form.body.contains("Wilayah kerja") && form.body.contains("Pancoran Mas"), "the office's districts are offered");

    // Refused: no role, no area, a bad email — nothing written.
    let bad = app.post_form("/petugas/admin/petugas", "nama_pengguna=siti.v&nama_lengkap=Siti+Aminah&email=siti%40", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Tulis alamat email yang benar", "Pilih paling sedikit satu peran.", "Pilih paling sedikit satu wilayah kerja."] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM staff WHERE username = 'siti.v'").await, 0);

    let made = app
        .post_form("/petugas/admin/petugas", "nama_pengguna=Siti.V&nama_lengkap=Siti+Aminah&email=siti%40dinsos.example.id&peran=verifikator&wilayah=327601", &[("cookie", &admin), SAME_SITE])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let (id, hash): (i64, String) = sqlx::query_as("SELECT id, password_hash FROM staff WHERE username = 'siti.v'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(hash, "!", "no password until its owner sets one");
    let taken = app
        .post_form("/petugas/admin/petugas", "nama_pengguna=siti.v&nama_lengkap=Siti+Lain&email=lain%40dinsos.example.id&peran=verifikator&wilayah=327601", &[("cookie", &admin), SAME_SITE])
        .await;
    assert!(taken.body.contains("Nama pengguna ini sudah dipakai."));

    // The owner opens the emailed link, sets a password, and signs in with it.
    let token = password_token(&app, "siti@dinsos.example.id").await;
    let page = app.get(&format!("/petugas/sandi?token={token}")).await;
    assert!(page.body.contains("Kata sandi baru untuk akun siti.v."), "{}", page.body);
    let short = app.post_form("/petugas/sandi", &format!("token={token}&kata_sandi=pendek&kata_sandi_ulang=pendek"), &[SAME_SITE]).await;
    assert!(short.body.contains("Kata sandi paling sedikit 12 karakter."));
    let mismatch = app.post_form("/petugas/sandi", &format!("token={token}&kata_sandi=kopi-tubruk-pagi&kata_sandi_ulang=kopi-tubruk-sore"), &[SAME_SITE]).await;
    assert!(mismatch.body.contains("Kedua kata sandi tidak sama."));
    let set = app.post_form("/petugas/sandi", &format!("token={token}&kata_sandi=kopi-tubruk-pagi&kata_sandi_ulang=kopi-tubruk-pagi"), &[SAME_SITE]).await;
    assert_eq!((set.status, set.header("location")), (StatusCode::SEE_OTHER, "/petugas/masuk?sandi=1"));
    let again = app.post_form("/petugas/sandi", &format!("token={token}&kata_sandi=teh-manis-siang&kata_sandi_ulang=teh-manis-siang"), &[SAME_SITE]).await;
    assert_eq!(again.status, StatusCode::GONE, "a link works once");
    let signed_in = app.post_form("/petugas/masuk", "nama_pengguna=siti.v&kata_sandi=kopi-tubruk-pagi", &[SAME_SITE]).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let session = signed_in.header("set-cookie").split(';').next().unwrap().to_string();
    assert_eq!(app.get_with("/petugas", &[("cookie", &session)]).await.status, StatusCode::OK);

    // The administrator never sees a password: not on the page, not in the history.
    let edit = app.get_with(&format!("/petugas/admin/petugas/{id}"), &[("cookie", &admin)]).await;
    assert!(!edit.body.contains("kopi-tubruk") && !edit.body.contains("argon2"));
    let details: Vec<(String,)> = sqlx::query_as("SELECT COALESCE(details, '') FROM admin_history").fetch_all(app.state.db.pool()).await.unwrap();
    assert!(details.iter().all(|(d,)| !d.contains("kopi") && !d.contains("siti@")), "{details:?}");

    // Roles changed; then deactivated: the session ends at once and sign-in is refused.
    let changed = app
        .post_form(&format!("/petugas/admin/petugas/{id}"), "nama_lengkap=Siti+Aminah&email=siti%40dinsos.example.id&peran=kepala-seksi&wilayah=3276", &[("cookie", &admin), SAME_SITE])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM staff_roles WHERE staff_id = {id} AND role = 'kepala-seksi'")).await, 1);
    let off = app.post_form(&format!("/petugas/admin/petugas/{id}/status"), "aktif=tidak", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM staff_sessions WHERE staff_id = {id}")).await, 0);
    assert_eq!(app.get_with("/petugas", &[("cookie", &session)]).await.status, StatusCode::SEE_OTHER, "the open session is gone");
    let refused = app.post_form("/petugas/masuk", "nama_pengguna=siti.v&kata_sandi=kopi-tubruk-pagi", &[SAME_SITE]).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    // No link for an inactive account; an administrator cannot deactivate themselves.
    let no_link = app.post_form(&format!("/petugas/admin/petugas/{id}/tautan"), "", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(no_link.status, StatusCode::CONFLICT);
    let own = app.post_form(&format!("/petugas/admin/petugas/{admin_id}/status"), "aktif=tidak", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    // Back on, a reset link for someone who forgot.
    app.post_form(&format!("/petugas/admin/petugas/{id}/status"), "aktif=ya", &[("cookie", &admin), SAME_SITE]).await;
    let link = app.post_form(&format!("/petugas/admin/petugas/{id}/tautan"), "", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(link.status, StatusCode::SEE_OTHER);
    assert_ne!(password_token(&app, "siti@dinsos.example.id").await, token);

    let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM admin_history WHERE subject = 'staff' ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(actions, vec!["create", "password_set", "update", "deactivate", "activate", "password_link"]);
}

#[tokio::test]
async fn a_new_link_a_password_set_or_an_email_change_ends_every_other_link() {
    let app = spawn_app().await;
    let (_, admin) = staff(&app, "admin.uji", &[Role::Administrator]).await;
    let made = app
        .post_form("/petugas/admin/petugas", "nama_pengguna=siti.v&nama_lengkap=Siti+Aminah&email=siti%40dinsos.example.id&peran=verifikator&wilayah=327601", &[("cookie", &admin), SAME_SITE])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let id = app.count("SELECT id FROM staff WHERE username = 'siti.v'").await;
    let opens = |token: String| {
        let app = &app;
        async move { app.get(&format!("/petugas/sandi?token={token}")).await.body.contains("Kata sandi baru untuk akun siti.v.") }
    };
    let first = password_token(&app, "siti@dinsos.example.id").await;
    assert!(opens(first.clone()).await);

    // A second link ends the first.
    app.post_form(&format!("/petugas/admin/petugas/{id}/tautan"), "", &[("cookie", &admin), SAME_SITE]).await;
    let second = password_token(&app, "siti@dinsos.example.id").await;
    assert!(!opens(first.clone()).await, "the older link no longer works");
    assert!(opens(second.clone()).await);

    // An email change ends the link sent to the old address, and is in the history.
    let changed = app
        .post_form(&format!("/petugas/admin/petugas/{id}"), "nama_lengkap=Siti+Aminah&email=siti.baru%40dinsos.example.id&peran=verifikator&wilayah=327601", &[("cookie", &admin), SAME_SITE])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert!(!opens(second).await, "a link in the old inbox no longer works");
    let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM admin_history WHERE subject = 'staff' ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    assert_eq!(actions.iter().map(|(a,)| a.as_str()).collect::<Vec<_>>(), ["create", "password_link", "update", "email_change"]);
    // The same address again is no change.
    app.post_form(&format!("/petugas/admin/petugas/{id}"), "nama_lengkap=Siti+A&email=Siti.Baru%40dinsos.example.id&peran=verifikator&wilayah=327601", &[("cookie", &admin), SAME_SITE]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM admin_history WHERE action = 'email_change'").await, 1);

    // Two links to the new address; the password set with one ends the other.
    for _ in 0..2 {
        app.post_form(&format!("/petugas/admin/petugas/{id}/tautan"), "", &[("cookie", &admin), SAME_SITE]).await;
    }
    let latest = password_token(&app, "Siti.Baru@dinsos.example.id").await;
    // The link before it was already ended by the newest; make one more live beside it.
    sqlx::query("INSERT INTO staff_password_links (token_hash, staff_id, created_at, expires_at) VALUES ('spare', $1, '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')")
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let set = app.post_form("/petugas/sandi", &format!("token={latest}&kata_sandi=kopi-tubruk-pagi&kata_sandi_ulang=kopi-tubruk-pagi"), &[SAME_SITE]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM staff_password_links WHERE staff_id = {id} AND used_at IS NULL")).await, 0);
}

#[tokio::test]
async fn only_administrators_manage_accounts_and_a_bad_link_opens_nothing() {
    let app = spawn_app().await;
    let (boss_id, boss) = staff(&app, "kasi.uji", &[Role::Supervisor]).await;
    let create = app
        .post_form("/petugas/admin/petugas", "nama_pengguna=baru&nama_lengkap=Baru+Sekali&email=b%40c.id&peran=administrator", &[("cookie", &boss), SAME_SITE])
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    let promote = app
        .post_form(&format!("/petugas/admin/petugas/{boss_id}"), "nama_lengkap=Kasi&email=k%40c.id&peran=administrator", &[("cookie", &boss), SAME_SITE])
        .await;
    assert_eq!(promote.status, StatusCode::FORBIDDEN, "no one makes themselves an administrator");
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_roles WHERE role = 'administrator'").await, 0);
    let page = app.get("/petugas/sandi?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert!(page.body.contains("Tautan ini sudah dipakai atau sudah tidak berlaku."));
    let post = app.post_form("/petugas/sandi", "token=nonsense&kata_sandi=kopi-tubruk-pagi&kata_sandi_ulang=kopi-tubruk-pagi", &[SAME_SITE]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
}
