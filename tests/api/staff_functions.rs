//! The staff's operations as server functions, called as JSON the way another client (a
//! field assessor's app) would: each one authorized, refused (the caller's role or area, no
//! session) and given bad input, with the status saying which, and a refusal changing
//! nothing.

use crate::fixtures::{application, application_with_number, staff};
use crate::helpers::{TestApp, TestResponse, spawn_app};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use layan::domain::workflow::{Role, Status};

async fn call(app: &TestApp, function: &str, cookie: Option<&str>, body: serde_json::Value) -> TestResponse {
    let mut request = Request::post(format!("/api/petugas/{function}"))
        .header("host", "127.0.0.1:3000")
        .header("content-type", "application/json")
        .header("accept", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.request(request.body(Body::from(body.to_string())).unwrap()).await
}

fn json(response: &TestResponse) -> serde_json::Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

async fn status_of(app: &TestApp, id: i64) -> (String, i64) {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM applications WHERE id = $1").bind(id).fetch_one(app.state.db.pool()).await.unwrap();
    (status, app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await)
}

#[tokio::test]
async fn a_move_is_made_as_json_by_staff_of_the_area_and_refused_to_anyone_else() {
    let app = spawn_app().await;
    let id = application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let elsewhere = application(&app, 2, "9171021005", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let (_, assessor) = staff(&app, "ani", &[Role::FieldAssessor]).await;
    let before = status_of(&app, id).await;

    // No session, the wrong role, another city's application: nothing changes.
    let body = serde_json::json!({ "id": id, "form": { "langkah": "dokumen-lengkap" } });
    let anonymous = call(&app, "langkah", None, body.clone()).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    assert_eq!(json(&anonymous), serde_json::json!("SignIn"));
    let wrong_role = call(&app, "langkah", Some(&assessor), body.clone()).await;
    assert_eq!(wrong_role.status, StatusCode::FORBIDDEN, "{}", wrong_role.body);
    assert!(wrong_role.body.contains("NotForRole"), "the refusal says why: {}", wrong_role.body);
    let other_city = call(&app, "langkah", Some(&verifier), serde_json::json!({ "id": elsewhere, "form": { "langkah": "dokumen-lengkap" } })).await;
    assert_eq!((other_city.status, json(&other_city)), (StatusCode::FORBIDDEN, serde_json::json!("Forbidden")));
    assert_eq!(status_of(&app, id).await, before);

    // Bad input: a correction that names nothing; a move that is not one; a body that is not
    // the function's arguments.
    let empty = call(&app, "langkah", Some(&verifier), serde_json::json!({ "id": id, "form": { "langkah": "minta-perbaikan" } })).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    let refused = &json(&empty)["Refused"];
    assert!(refused["problems"].as_array().is_some_and(|p| p.iter().any(|p| p[0] == "bagian")), "problems by field: {refused}");
    assert!(refused["values"].as_array().is_some_and(|v| v.iter().any(|v| v[1] == "minta-perbaikan")), "values as sent: {refused}");
    let unknown = call(&app, "langkah", Some(&verifier), serde_json::json!({ "id": id, "form": { "langkah": "terbang" } })).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let garbled = call(&app, "langkah", Some(&verifier), serde_json::json!({ "nomor": "satu" })).await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "arguments that do not read are the caller's mistake: {}", garbled.body);
    assert_eq!(status_of(&app, id).await, before, "no refusal changed anything");

    // Authorized: the move is made, with its history line, and says where it went.
    let done = call(&app, "langkah", Some(&verifier), body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let moved = json(&done);
    assert_eq!(moved["page"], format!("/petugas/permohonan/{id}?berhasil=dokumen-lengkap"));
    let after = status_of(&app, id).await;
    assert_eq!((after.0.as_str(), after.1), ("asesmen-lapangan", before.1 + 1));
    // The same move again is no longer an edge: a conflict, and still one history line.
    let again = call(&app, "langkah", Some(&verifier), serde_json::json!({ "id": id, "form": { "langkah": "dokumen-lengkap" } })).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(status_of(&app, id).await, after);
}

#[tokio::test]
async fn claims_are_taken_and_released_as_json_and_only_one_of_two_wins() {
    let app = spawn_app().await;
    let id = application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let elsewhere = application(&app, 2, "9171021005", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let (vera_id, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    let (_, vina) = staff(&app, "vina", &[Role::Verifier]).await;
    let holder = || async {
        let (by,): (Option<i64>,) = sqlx::query_as("SELECT claimed_by FROM applications WHERE id = $1").bind(id).fetch_one(app.state.db.pool()).await.unwrap();
        by
    };

    assert_eq!(call(&app, "ambil", None, serde_json::json!({ "form": { "id": id } })).await.status, StatusCode::UNAUTHORIZED);
    let outside = call(&app, "ambil", Some(&vera), serde_json::json!({ "form": { "id": elsewhere } })).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, "ambil", Some(&vera), serde_json::json!({ "form": "x" })).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(holder().await, None);

    let (first, second) = tokio::join!(
        call(&app, "ambil", Some(&vera), serde_json::json!({ "form": { "id": id, "daftar": "verifikasi" } })),
        call(&app, "ambil", Some(&vina), serde_json::json!({ "form": { "id": id, "daftar": "verifikasi" } })),
    );
    assert_eq!((first.status, second.status), (StatusCode::OK, StatusCode::OK));
    let mine = [json(&first)["mine"].as_bool(), json(&second)["mine"].as_bool()];
    assert_eq!(mine.iter().filter(|m| **m == Some(true)).count(), 1, "exactly one holds it: {mine:?}");
    assert_eq!(json(&first)["page"], "/petugas/antrean?daftar=verifikasi");

    // Vera holds it (or takes it now that she is the one who won); releasing frees it.
    if holder().await == Some(vera_id) {
        let released = call(&app, "lepas", Some(&vera), serde_json::json!({ "form": { "id": id, "kembali": "permohonan" } })).await;
        assert_eq!((released.status, json(&released)["mine"].as_bool()), (StatusCode::OK, Some(false)));
        assert_eq!(json(&released)["page"], format!("/petugas/permohonan/{id}"));
        assert_eq!(holder().await, None);
    } else {
        // Vina won: Vera's release leaves Vina's claim alone.
        let released = call(&app, "lepas", Some(&vera), serde_json::json!({ "form": { "id": id } })).await;
        assert_eq!(released.status, StatusCode::OK);
        assert!(holder().await.is_some());
    }
}

#[tokio::test]
async fn a_complaint_is_answered_as_json_within_the_callers_roles() {
    let app = spawn_app().await;
    let (application_id, _) = application_with_number(&app, 1, Status::Submitted, None).await;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO complaints (number, pin_hash, kind, status, application_id, regency_code, district_code, message, due, received_at, updated_at) \
         VALUES ('K7QMAAAAA', 'x', 'pengaduan', 'diterima', $1, '3276', '327601', 'Petugas tidak datang.', '2027-01-05', '2026-11-20T01:00:00Z', '2026-11-20T01:00:00Z') RETURNING id",
    )
    .bind(application_id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let (_, assessor) = staff(&app, "ani", &[Role::FieldAssessor]).await;
    let count = format!("SELECT COUNT(*) FROM complaint_history WHERE complaint_id = {id}");
    let lines = || app.count(&count);
    let before = lines().await;

    let not_theirs = call(&app, "jawab", Some(&assessor), serde_json::json!({ "id": id, "form": { "jawaban": "Baik." } })).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN, "{}", not_theirs.body);
    let empty = call(&app, "jawab", Some(&verifier), serde_json::json!({ "id": id, "form": { "jawaban": "   " } })).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body.contains("jawaban"), "{}", empty.body);
    assert_eq!(lines().await, before);

    let answered = call(&app, "jawab", Some(&verifier), serde_json::json!({ "id": id, "form": { "jawaban": "Sudah kami tindak lanjuti.", "tutup": "ya" } })).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(json(&answered)["page"], format!("/petugas/pengaduan/{id}"));
    assert_eq!(lines().await, before + 1);
    let closed = call(&app, "jawab", Some(&verifier), serde_json::json!({ "id": id, "form": { "jawaban": "Lagi." } })).await;
    assert_eq!(closed.status, StatusCode::CONFLICT, "a closed complaint takes no reply: {}", closed.body);
}


#[tokio::test]
async fn the_queue_pages_data_is_a_server_function_scoped_to_the_callers_areas() {
    let app = spawn_app().await;
    application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    application(&app, 2, "9171021005", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let body = serde_json::json!({ "queue": "verifikasi", "after": null, "filter": {} });

    assert_eq!(call(&app, "antrean", None, body.clone()).await.status, StatusCode::UNAUTHORIZED);
    let page = call(&app, "antrean", Some(&verifier), body).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let lines = json(&page)["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 1, "only Kota Depok's: {lines:?}");
    assert_eq!(lines[0]["masked_nik"], "3276••••••••0001", "the NIK is masked in a list");
    let garbled = call(&app, "antrean", Some(&verifier), serde_json::json!({ "queue": 7 })).await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
}
