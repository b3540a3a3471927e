//! Residents' rights over their data (issue 17): what someone who applied for another person
//! sees in tracking and what the person sees; "Data saya" with every staff view (role and
//! time, never the name); the JSON export holding exactly the application's data.

use crate::fixtures::{PIN, staff, tracked};
use crate::helpers::{TestApp, spawn_app};
use crate::phone_recovery::open_by_phone;
use axum::http::StatusCode;
use layan::domain::apply::{Consent, Relation, Who};
use layan::domain::person::{PersonName, PhoneNumber};
use layan::domain::workflow::{Move, Role, Status};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

/// An application a neighbour made for the person (phone +6281234567890), taken through a
/// home visit and approved with an amount; (id, number).
async fn approved_for_someone_else(app: &TestApp, n: i64) -> (i64, String) {
    use crate::casework::valid_form;
    let (id, number) = tracked(app, n, Status::FieldAssessment).await;
    let who = Who::SomeoneElse {
        applicant_name: PersonName::parse("Budi Tetangga").unwrap(),
        relation: Relation::Neighbour,
        applicant_phone: PhoneNumber::parse("081399990000").unwrap(),
        consent: Consent::Given,
    };
    sqlx::query("UPDATE applications SET applicant = $1 WHERE id = $2").bind(serde_json::to_string(&who).unwrap()).bind(id).execute(app.state.db.pool()).await.unwrap();
    let (_, officer) = staff(app, &format!("serba{n}"), &[Role::FieldAssessor, Role::Supervisor]).await;
    for m in [Move::RecordAssessment, Move::Approve] {
        let moved = app.post_form(&format!("/petugas/permohonan/{id}/langkah"), &valid_form(m), &[("cookie", &officer), ORIGIN]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{m:?}: {}", moved.body);
    }
    (id, number)
}

fn cookie(response: &crate::helpers::TestResponse) -> String {
    response.header("set-cookie").split(';').next().unwrap().to_string()
}

async fn by_pin(app: &TestApp, number: &str) -> String {
    let opened = app.post_form("/lacak", &format!("nomor={number}&pin={PIN}"), &[ORIGIN]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    cookie(&opened)
}

#[tokio::test]
async fn who_applied_for_someone_else_follows_it_without_the_aid_or_the_visit_and_the_person_sees_all() {
    let app = spawn_app().await;
    let (id, number) = approved_for_someone_else(&app, 1).await;
    let neighbour = by_pin(&app, &number).await;
    let page = app.get_with("/lacak/permohonan", &[("cookie", &neighbour)]).await;
    assert!(page.body.contains("Disetujui"), "decided, and how");
    assert!(page.body.contains("Anda mengajukan permohonan ini untuk orang lain"));
    for detail in ["Bedah rumah", "Rp20.000.000", "Kunjungan", "/lacak/data"] {
        assert!(!page.body.contains(detail), "the applicant does not see {detail}");
    }
    let data = app.get_with("/lacak/data", &[("cookie", &neighbour)]).await;
    assert!(data.body.contains("hanya dapat dilihat oleh orang yang bersangkutan") && !data.body.contains("3276015505870001"));
    assert_eq!(app.get_with("/lacak/data.json", &[("cookie", &neighbour)]).await.status, StatusCode::SEE_OTHER);
    let share = app.post_form("/lacak/berbagi", "izinkan=ya", &[("cookie", &neighbour), ORIGIN]).await;
    assert_eq!(share.header("location"), "/lacak/permohonan");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND shared_with_applicant = TRUE")).await, 0, "only the person may share");

    // The person, by a code to their own phone: everything, and the choice to share.
    let person = open_by_phone(&app, "081234567890", "+6281234567890").await;
    app.post_form("/lacak/buka", &format!("permohonan={id}"), &[("cookie", &person), ORIGIN]).await;
    let page = app.get_with("/lacak/permohonan", &[("cookie", &person)]).await;
    for detail in ["Bedah rumah", "Rp20.000.000", "Kunjungan", "/lacak/data", "Budi Tetangga mengajukan permohonan ini untuk Anda"] {
        assert!(page.body.contains(detail), "the person sees {detail}");
    }
    let share = app.post_form("/lacak/berbagi", "izinkan=ya", &[("cookie", &person), ORIGIN]).await;
    assert_eq!(share.header("location"), "/lacak/permohonan");
    let page = app.get_with("/lacak/permohonan", &[("cookie", &neighbour)]).await;
    assert!(page.body.contains("Bedah rumah") && page.body.contains("Rp20.000.000"), "shared: the applicant sees the details");
    assert!(!page.body.contains("/lacak/data"), "but not the person's data");
    app.post_form("/lacak/berbagi", "izinkan=tidak", &[("cookie", &person), ORIGIN]).await;
    assert!(!app.get_with("/lacak/permohonan", &[("cookie", &neighbour)]).await.body.contains("Bedah rumah"), "and no longer");
    let odd = app.post_form("/lacak/berbagi", "izinkan=mungkin", &[("cookie", &person), ORIGIN]).await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_staff_view_is_in_data_saya_with_role_and_time_and_never_the_name() {
    let app = spawn_app().await;
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    let jpeg: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 a photo of a card";
    let upload = "AAAAAAAAAAAAAAAAAAAAAA";
    crate::helpers::stored_document(&app, upload, id, "ktp", "image/jpeg", jpeg, "2026-11-20T01:00:00Z").await;
    let (_, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    assert_eq!(app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &vera)]).await.status, StatusCode::OK);
    assert_eq!(app.get_with(&format!("/petugas/berkas/{upload}"), &[("cookie", &vera)]).await.status, StatusCode::OK);

    // Applied for themselves: the number and PIN open their own data.
    let me = by_pin(&app, &number).await;
    let page = app.get_with("/lacak/data", &[("cookie", &me)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    let views = &page.body[page.body.find("data-testid=\"staff-views\"").expect("the views table")..];
    assert!(views.contains("Verifikator") && views.contains("Halaman permohonan") && views.contains("Dokumen: Foto KTP"), "{views}");
    assert!(!page.body.contains("Petugas vera") && !page.body.contains(">vera<"), "never the staff member's name");
    assert!(page.body.contains("3276015505870001"), "their own NIK, on their own page");
    // Their documents open for them, and no one else's.
    let own = app.get_with(&format!("/lacak/dokumen/{upload}"), &[("cookie", &me)]).await;
    assert_eq!((own.status, own.header("content-type")), (StatusCode::OK, "image/jpeg"));
    let (other, _) = tracked(&app, 2, Status::Submitted).await;
    crate::helpers::stored_document(&app, "AAAAAAAAAAAAAAAAAAAAAQ", other, "ktp", "image/jpeg", jpeg, "2026-11-20T01:00:00Z").await;
    assert_eq!(app.get_with("/lacak/dokumen/AAAAAAAAAAAAAAAAAAAAAQ", &[("cookie", &me)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/lacak/dokumen/AAAAAAAAAAAAAAAAAAAAAA").await.status, StatusCode::SEE_OTHER, "no session, no document");
}

#[tokio::test]
async fn the_json_export_holds_exactly_the_applications_data() {
    let app = spawn_app().await;
    let (id, number) = tracked(&app, 1, Status::Submitted).await;
    tracked(&app, 2, Status::Submitted).await;
    let (_, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &vera)]).await;
    let me = by_pin(&app, &number).await;
    let file = app.get_with("/lacak/data.json", &[("cookie", &me)]).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-disposition").starts_with("attachment; filename=\"data-saya-"));
    assert_eq!(file.header("cache-control"), "private, no-store");
    let json: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["address", "applied_by", "breach_notices", "category", "decision_due", "description", "documents", "history", "household", "number", "person", "program", "shared_with_applicant", "staff_views", "status", "submitted_at"]
    );
    let row: (String, String, String, String, String, String, String, String) = sqlx::query_as(
        "SELECT nik, kk, name, birth_date, sex, phone, street, description FROM applications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let person = &json["person"];
    assert_eq!(
        (person["nik"].as_str().unwrap(), person["kk"].as_str().unwrap(), person["name"].as_str().unwrap(), person["birth_date"].as_str().unwrap(), person["sex"].as_str().unwrap(), person["phone"].as_str().unwrap()),
        (row.0.as_str(), row.1.as_str(), row.2.as_str(), row.3.as_str(), row.4.as_str(), row.5.as_str())
    );
    assert_eq!(json["address"]["street"], row.6);
    assert_eq!(json["description"], row.7);
    assert_eq!(json["staff_views"].as_array().unwrap().len(), 1);
    assert_eq!(json["staff_views"][0]["roles"], serde_json::json!(["Verifier"]));
    assert!(!file.body.contains("vera"), "no staff name");
    let history = app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await;
    assert_eq!(json["history"].as_array().unwrap().len() as i64, history);
    assert!(!file.body.contains("3276015505870002"), "nothing of the other application");
}

#[tokio::test]
async fn withdrawing_consent_withdraws_an_open_application_and_restricts_a_decided_one_until_an_administrator_lifts_it() {
    let app = spawn_app().await;
    let pool = app.state.db.pool().clone();
    // Open: withdrawn, recorded as the person's own consent.
    let (open, open_number) = tracked(&app, 1, Status::Submitted).await;
    let me = by_pin(&app, &open_number).await;
    let confirm = app.get_with("/lacak/persetujuan", &[("cookie", &me)]).await;
    assert!(confirm.body.contains("permohonan dicabut dan tidak diproses lagi"), "the page says what follows");
    let unconfirmed = app.post_form("/lacak/persetujuan", "", &[("cookie", &me), ORIGIN]).await;
    assert_eq!(unconfirmed.header("location"), "/lacak/persetujuan");
    assert_eq!(app.count("SELECT COUNT(*) FROM consent_withdrawals").await, 0);
    let done = app.post_form("/lacak/persetujuan", "yakin=ya", &[("cookie", &me), ORIGIN]).await;
    assert_eq!(done.header("location"), "/lacak/permohonan");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM applications WHERE id = $1").bind(open).fetch_one(&pool).await.unwrap();
    assert_eq!(status, "dicabut");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM consent_withdrawals WHERE application_id = {open} AND whose = 'person' AND outcome = 'withdrawn'")).await, 1);
    assert!(!app.get_with("/lacak/permohonan", &[("cookie", &me)]).await.body.contains("/lacak/persetujuan"), "nothing more to withdraw");

    // Decided (for a neighbour who could consent): the neighbour cannot withdraw the person's
    // consent; the person can, and the data is restricted at once.
    let (decided, number) = approved_for_someone_else(&app, 2).await;
    let before = crate::helpers::tallies(&pool).await;
    let neighbour = by_pin(&app, &number).await;
    app.post_form("/lacak/persetujuan", "yakin=ya", &[("cookie", &neighbour), ORIGIN]).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM consent_withdrawals WHERE application_id = {decided}")).await, 0, "not the applicant's to withdraw");
    let (_, front_desk) = staff(&app, "desi", &[Role::FrontDesk]).await;
    let queue = app.get_with("/petugas/antrean?daftar=dilayani", &[("cookie", &front_desk)]).await;
    let shown = layan::domain::registration::RegistrationNumber::display_stored(number.clone());
    assert!(queue.body.contains(&shown), "approved, waiting to be served");
    let person = open_by_phone(&app, "081234567890", "+6281234567890").await;
    app.post_form("/lacak/buka", &format!("permohonan={decided}"), &[("cookie", &person), ORIGIN]).await;
    let confirm = app.get_with("/lacak/persetujuan", &[("cookie", &person)]).await;
    assert!(confirm.body.contains("data pribadi Anda langsung dibatasi"));
    app.post_form("/lacak/persetujuan", "yakin=ya", &[("cookie", &person), ORIGIN]).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {decided} AND restricted_at IS NOT NULL")).await, 1);
    assert!(app.get_with("/lacak/permohonan", &[("cookie", &person)]).await.body.contains("dibatasi sejak"));
    let queue = app.get_with("/petugas/antrean?daftar=dilayani", &[("cookie", &front_desk)]).await;
    assert!(!queue.body.contains(&shown), "hidden from the queue");
    let review = app.get_with(&format!("/petugas/permohonan/{decided}"), &[("cookie", &front_desk)]).await;
    assert!(!review.body.contains("3276015505870002"), "and from the review page");
    let served = app.post_form(&format!("/petugas/permohonan/{decided}/langkah"), &crate::casework::valid_form(Move::MarkServed), &[("cookie", &front_desk), ORIGIN]).await;
    assert_eq!(served.status, StatusCode::FORBIDDEN, "no move on restricted data");
    assert_eq!(crate::helpers::tallies(&pool).await, before, "what reports count stays");

    // An administrator sees it (number only) and lifts it with a reason, recorded.
    let (_, admin) = staff(&app, "ani", &[Role::Administrator]).await;
    let list = app.get_with("/petugas/admin/pembatasan", &[("cookie", &admin)]).await;
    assert!(list.body.contains(&shown) && !list.body.contains("3276015505870002"), "{}", list.body);
    let not_admin = app.post_form(&format!("/petugas/admin/pembatasan/{decided}"), "alasan=Perintah+pengadilan+nomor+12", &[("cookie", &front_desk), ORIGIN]).await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let no_reason = app.post_form(&format!("/petugas/admin/pembatasan/{decided}"), "alasan=ya", &[("cookie", &admin), ORIGIN]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM applications WHERE restricted_at IS NOT NULL").await, 1);
    let lifted = app.post_form(&format!("/petugas/admin/pembatasan/{decided}"), "alasan=Perintah+pengadilan+nomor+12", &[("cookie", &admin), ORIGIN]).await;
    assert_eq!(lifted.header("location"), "/petugas/admin/pembatasan");
    assert_eq!(app.count("SELECT COUNT(*) FROM applications WHERE restricted_at IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM admin_history WHERE subject = 'pembatasan' AND details = 'Perintah pengadilan nomor 12'").await, 1);
    assert!(app.get_with("/petugas/antrean?daftar=dilayani", &[("cookie", &front_desk)]).await.body.contains(&shown), "back in the queue");
}
