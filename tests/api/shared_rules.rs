//! Rules that have one home and read the same on every page: whose claim an item is (by id,
//! and only while it is live), and the office's day of a timestamp. Before, the queue and the
//! review page judged claims differently, and receipts, tracking, review and queues showed
//! the UTC date.

use crate::fixtures::staff;
use crate::helpers::spawn_app;
use crate::journey::Resident;
use crate::fixtures::application;
use layan::domain::workflow::{Role, Status};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

#[tokio::test]
async fn a_lapsed_claim_is_shown_free_in_the_queue_as_on_the_review_page() {
    let app = spawn_app().await;
    let id = application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let (holder, _) = staff(&app, "hana", &[Role::Verifier]).await;
    let (_, cookie) = staff(&app, "vera", &[Role::Verifier]).await;
    // Claimed three hours ago and not touched since: lapsed (a claim lives two hours).
    let three_hours_ago = layan::server::db::utc_in(-3 * 60 * 60);
    sqlx::query("UPDATE applications SET claimed_by = $1, claimed_at = $2 WHERE id = $3")
        .bind(holder)
        .bind(&three_hours_ago)
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let queue = app.get_with("/petugas/antrean?daftar=verifikasi", &[("cookie", &cookie)]).await;
    assert!(queue.body.contains("Warga 1"), "the item is in the queue");
    assert!(!queue.body.contains("Petugas hana"), "a lapsed claim names no one in the queue");
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &cookie)]).await;
    assert!(!review.body.contains("Petugas hana"), "nor on the review page");

    // A live claim by someone else is named in both; "mine" goes by id, not by name.
    let now = layan::server::db::now_utc();
    sqlx::query("UPDATE applications SET claimed_at = $1 WHERE id = $2").bind(&now).bind(id).execute(app.state.db.pool()).await.unwrap();
    let queue = app.get_with("/petugas/antrean?daftar=verifikasi", &[("cookie", &cookie)]).await;
    assert!(queue.body.contains("Petugas hana"), "a live claim is named");
    sqlx::query("UPDATE staff SET full_name = 'Petugas hana' WHERE username = 'vera'").execute(app.state.db.pool()).await.unwrap();
    let same_name = app.get_with("/petugas/antrean?daftar=verifikasi", &[("cookie", &cookie)]).await;
    assert!(same_name.body.contains("Petugas hana"), "still named");
    assert!(!same_name.body.contains("action=\"/petugas/antrean/lepas\""), "someone of the same name is not offered its release");
}

#[tokio::test]
async fn a_submission_at_half_past_midnight_wib_is_dated_that_day_everywhere() {
    let app = spawn_app().await;
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    resident.submit().await;
    let number = resident.receipt_number().await.expect("a receipt");
    // 00:30 WIB on 1 December 2026 is 17:30 UTC on 30 November.
    sqlx::query("UPDATE applications SET submitted_at = '2026-11-30T17:30:00Z', decision_due = '2027-01-05' WHERE registration_number = $1")
        .bind(&number)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&number).fetch_one(app.state.db.pool()).await.unwrap();
    sqlx::query("UPDATE applications SET pin_hash = $1 WHERE id = $2")
        .bind(app.state.pin_key.seal("482913"))
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let receipt = resident.get("/ajukan/selesai").await;
    let opened = app.post_form("/lacak", &format!("nomor={number}&pin=482913"), &[ORIGIN]).await;
    let tracking_cookie = opened.header("set-cookie").split(';').next().unwrap().to_string();
    let tracking = app.get_with("/lacak/permohonan", &[("cookie", &tracking_cookie)]).await;
    let (_, cookie) = staff(&app, "vera", &[Role::Verifier]).await;
    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &cookie)]).await;
    let queue = app.get_with("/petugas/antrean?daftar=verifikasi", &[("cookie", &cookie)]).await;
    for (page, body) in [("receipt", &receipt.body), ("tracking", &tracking.body), ("review", &review.body), ("queue", &queue.body)] {
        assert!(body.contains("2026-12-01"), "the {page} dates it 1 December");
        assert!(!body.contains("2026-11-30"), "the {page} shows no UTC date");
    }
}
