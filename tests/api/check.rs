//! "Which aid fits me": the questions, the cookie that holds the answers, the results.

use crate::helpers::{TestApp, spawn_app};

const OLDER_PERSON_IN_A_BAD_HOUSE: &str = "untuk=orang-lain&usia=lansia&disabilitas=tidak&bencana=tidak&rumah=tidak-layak\
&penghasilan=kurang&kebutuhan=dtsen&provinsi=32";

/// Posts the check form as our own page does and returns the cookie it set.
async fn answer(app: &TestApp, body: &str) -> (String, String) {
    let response = app.post_form("/cek-bantuan", body, &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(response.status, 303, "{}", response.body);
    let set_cookie = response.header("set-cookie");
    assert!(set_cookie.contains("Max-Age=3600") && set_cookie.contains("HttpOnly"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    (response.header("location").to_string(), cookie)
}

#[tokio::test]
async fn the_questions_render_as_a_plain_form_with_nothing_chosen() {
    let app = spawn_app().await;

    let page = app.get("/cek-bantuan").await;

    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<form method="post" action="/cek-bantuan""#));
    assert_eq!(page.body.matches("<fieldset").count(), 7);
    assert!(page.body.contains(r#"<select id="provinsi" name="provinsi""#), "the province is a list to choose from");
    assert!(page.body.contains("Berapa usia orang yang membutuhkan bantuan?"));
    assert!(!page.body.contains("checked"));
    assert!(!page.body.contains("ringkasan-galat"));
}

#[tokio::test]
async fn complete_answers_lead_to_the_programs_that_fit_and_why() {
    let app = spawn_app().await;

    let (location, cookie) = answer(&app, OLDER_PERSON_IN_A_BAD_HOUSE).await;
    let results = app.get_with(&location, &[("cookie", &cookie)]).await;

    assert_eq!(location, "/cek-bantuan/hasil", "answers never go into the address");
    assert!(cookie.starts_with("layan_cek=untuk:orang-lain~provinsi:32~usia:lansia~"), "{cookie}");
    assert_eq!(results.status, 200);
    for fits in [
        "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)",
        "Asistensi Rehabilitasi Sosial (ATENSI) Lanjut Usia",
        "Usulan Masuk Data Tunggal Sosial dan Ekonomi Nasional (DTSEN)",
    ] {
        assert!(results.body.contains(fits), "{fits} should fit");
    }
    for does_not in ["Bantuan Sosial Korban Bencana", "Bantuan Alat Bantu Penyandang Disabilitas", "ATENSI) Anak"] {
        assert!(!results.body.contains(does_not), "{does_not} should not fit");
    }
    assert!(results.body.contains("rumah tidak layak huni, penghasilan tidak cukup"));
    assert!(results.body.contains("lanjut usia, penghasilan tidak cukup"));
}

#[tokio::test]
async fn missing_answers_come_back_with_an_error_summary_and_the_rest_kept() {
    let app = spawn_app().await;

    let (location, cookie) = answer(&app, "usia=anak&rumah=tanpa-rumah").await;
    let form = app.get_with("/cek-bantuan", &[("cookie", &cookie)]).await;

    assert_eq!(location, "/cek-bantuan#ringkasan-galat");
    assert!(form.body.contains(r#"id="ringkasan-galat""#));
    for message in [
        "Pilih apakah ia penyandang disabilitas",
        "Pilih apakah ia baru saja terkena bencana",
        "Pilih keadaan penghasilan keluarganya",
        "Pilih kebutuhannya",
        "Pilih siapa yang membutuhkan bantuan",
        "Pilih provinsi tempat tinggalnya",
    ] {
        assert_eq!(form.body.matches(message).count(), 2, "{message}: in the summary and at the question");
    }
    assert!(!form.body.contains("Pilih usia orang"), "answered questions are not flagged");
    assert!(form.body.contains(r##"href="#disabilitas""##));
    assert!(form.body.contains(r#"value="anak" checked>"#));
    assert_eq!(form.body.matches("checked").count(), 2, "the two answers given are kept");

    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;
    assert!(results.body.contains("Jawab dulu pertanyaan singkat"));
}

#[tokio::test]
async fn a_need_and_none_of_these_together_are_asked_again() {
    let app = spawn_app().await;

    let (location, cookie) = answer(
        &app,
        "untuk=sendiri&usia=dewasa&disabilitas=tidak&bencana=tidak&rumah=layak&penghasilan=cukup&kebutuhan=dtsen&kebutuhan=tidak-ada&provinsi=32",
    )
    .await;
    let form = app.get_with("/cek-bantuan", &[("cookie", &cookie)]).await;

    assert_eq!(location, "/cek-bantuan#ringkasan-galat");
    assert!(form.body.contains("Pilih kebutuhannya"));
}

#[tokio::test]
async fn forged_values_are_ignored_and_never_echoed() {
    let app = spawn_app().await;

    let (_, cookie) = answer(&app, "usia=%3Cscript%3Ealert(1)%3C%2Fscript%3E&program=1%27%20OR%201%3D1&kebutuhan=emas").await;
    let form = app.get_with("/cek-bantuan", &[("cookie", &cookie)]).await;

    assert!(!cookie.contains("script") && !cookie.contains("emas"), "{cookie}");
    assert!(!form.body.contains("<script>alert"));
    assert!(form.body.contains("Pilih usia orang yang membutuhkan bantuan"));
}

#[tokio::test]
async fn a_forged_cookie_is_read_as_no_answers() {
    let app = spawn_app().await;

    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", "layan_cek=usia:%3Cscript%3E~~x")]).await;

    assert_eq!(results.status, 200);
    assert!(results.body.contains("Jawab dulu pertanyaan singkat"));
    assert_eq!(crate::helpers::scripts(&results.body), [layan::app::SERVICE_WORKER_REGISTRATION], "no script but the worker's registration");
}

#[tokio::test]
async fn the_rules_are_data_an_administrator_can_change() {
    let app = spawn_app().await;
    // Make RS-RTLH open to anyone with an uninhabitable home, whatever their income.
    sqlx::query("UPDATE programs SET eligibility = $1 WHERE code = 'rs-rtlh'")
        .bind(r#"[[{"Housing":["Uninhabitable"]}]]"#)
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let (_, cookie) = answer(
        &app,
        "untuk=sendiri&usia=dewasa&disabilitas=tidak&bencana=tidak&rumah=tidak-layak&penghasilan=cukup&kebutuhan=tidak-ada&provinsi=32",
    )
    .await;
    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;

    assert!(results.body.contains("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"));
    assert!(!results.body.contains("ATENSI"));
}

#[tokio::test]
async fn nobody_fits_gets_a_pointer_to_the_service_point() {
    let app = spawn_app().await;

    let (_, cookie) =
        answer(&app, "untuk=sendiri&usia=dewasa&disabilitas=tidak&bencana=tidak&rumah=layak&penghasilan=cukup&kebutuhan=tidak-ada&provinsi=32").await;
    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;

    assert!(results.body.contains("Belum ada program yang sesuai"));
}

#[tokio::test]
async fn results_speak_english_to_english_readers() {
    let app = spawn_app().await;

    let (_, cookie) = answer(&app, OLDER_PERSON_IN_A_BAD_HOUSE).await;
    let results = app.get_with("/cek-bantuan/hasil", &[("cookie", &format!("{cookie}; layan_lang=en"))]).await;

    assert!(results.body.contains("Aid that may fit"));
    assert!(results.body.contains("Repair of uninhabitable homes (RS-RTLH)"));
    assert!(results.body.contains("an uninhabitable home, not enough income"));
}

#[tokio::test]
async fn results_list_the_service_points_of_the_chosen_province() {
    let app = crate::helpers::spawn_app_with(&[("LAYAN_DEMO", "1")]).await;

    let (_, cookie) = answer(&app, OLDER_PERSON_IN_A_BAD_HOUSE).await;
    let west_java = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;
    assert!(west_java.body.contains("Puskesos Kelurahan Depok"));
    assert!(!west_java.body.contains("Jayapura"));

    let (_, cookie) = answer(&app, &OLDER_PERSON_IN_A_BAD_HOUSE.replace("provinsi=32", "provinsi=11")).await;
    let aceh = app.get_with("/cek-bantuan/hasil", &[("cookie", &cookie)]).await;
    assert!(aceh.body.contains("Belum ada tempat layanan Layan yang tercatat di provinsi ini"));
}

#[tokio::test]
async fn the_application_starts_from_the_checks_answers() {
    let app = spawn_app().await;
    let (_, cookie) = answer(&app, OLDER_PERSON_IN_A_BAD_HOUSE).await;

    let who = app.get_with("/ajukan/siapa", &[("cookie", &cookie)]).await;
    assert!(who.body.contains(r#"value="orang-lain" checked"#), "someone else is preselected");
    let address = app.get_with("/ajukan/alamat", &[("cookie", &cookie)]).await;
    assert!(address.body.contains(r#"<option value="32" selected"#), "West Java is preselected");
    assert!(address.body.contains("Kota Depok"), "and its regencies listed");
}
