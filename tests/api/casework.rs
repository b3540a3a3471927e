//! Working one application: the review page (full NIK only there, every opening logged),
//! moves through the workflow with their history, and the authorization matrix — each role
//! × each move × own area / other area, and a resident — where a refused call changes nothing.

use crate::helpers::{LogCapture, TestApp, spawn_app};
use crate::fixtures::{application, staff};
use axum::http::StatusCode;
use layan::domain::workflow::{Move, Role, Status};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
/// Kota Depok (the staff's area) and Kota Jayapura (someone else's).
const DEPOK_VILLAGE: &str = "3276011006";
const JAYAPURA_VILLAGE: &str = "9171021005";

/// A form that each move accepts.
pub(crate) fn valid_form(m: Move) -> String {
    let body = match m {
        Move::DocumentsOk => "",
        Move::RequestCorrection => "&bagian=dokumen&dokumen_diganti=kk&catatan=Foto+KK+buram",
        Move::RecordAssessment => "&tanggal_kunjungan=TODAY&temuan=Rumah+berdinding+bambu&rekomendasi=layak",
        Move::Approve => "&layanan=Bedah+rumah&nominal=20.000.000",
        Move::Reject => "&alasan=sudah-menerima",
        Move::Refer => "&tujuan_rujukan=BAZNAS+Kota+Depok",
        Move::MarkServed => "&catatan=Diserahkan",
        Move::Withdraw => "&catatan=Atas+permintaan+warga",
        Move::Resubmit => "&catatan=KK+asli+diperlihatkan+di+loket",
    };
    let today = layan::server::db::office_today(7).to_string();
    format!("langkah={}{}", m.slug(), body.replace("TODAY", &today))
}

/// A status from which `m` is an edge.
pub(crate) fn from_status(m: Move) -> Status {
    match m {
        Move::DocumentsOk | Move::RequestCorrection | Move::Withdraw => Status::Submitted,
        Move::Resubmit => Status::NeedsCorrection,
        Move::RecordAssessment => Status::FieldAssessment,
        Move::Approve | Move::Reject | Move::Refer => Status::AwaitingDecision,
        Move::MarkServed => Status::Approved,
    }
}

/// Everything a move could change about an application: its row and its history.
async fn snapshot(app: &TestApp, id: i64) -> (String, Option<i64>, String, i64) {
    let (status, claimed_by, updated_at): (String, Option<i64>, String) =
        sqlx::query_as("SELECT status, claimed_by, updated_at FROM applications WHERE id = $1").bind(id).fetch_one(app.state.db.pool()).await.unwrap();
    let history = app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await;
    (status, claimed_by, updated_at, history)
}

fn yesterday() -> String {
    "2026-11-20T01:00:00Z".into()
}

#[tokio::test]
async fn the_review_page_shows_the_full_record_to_staff_of_the_area_and_logs_each_opening() {
    let app = spawn_app().await;
    let logs = LogCapture::start();
    let mine = application(&app, 1, DEPOK_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    // The same family card, another program's application: on the household panel.
    let sibling = application(&app, 2, DEPOK_VILLAGE, Status::FieldAssessment, "2026-11-19T01:00:00Z", "2027-01-01").await;
    let elsewhere = application(&app, 3, JAYAPURA_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let (verifier, cookie) = staff(&app, "vera", &[Role::Verifier]).await;

    let page = app.get_with(&format!("/petugas/permohonan/{mine}"), &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("3276015505870001"), "the full NIK, here only");
    assert!(page.body.contains("3276010101090001"), "the full KK");
    assert!(page.body.contains("saling sesuai"), "the NIK, KK, birth date and address agree");
    assert!(page.body.contains("Warga 1") && page.body.contains("Atap bocor"));
    assert!(page.body.contains(&format!("/petugas/permohonan/{sibling}")), "the family's other application is linked");
    assert!(page.body.contains("3276••••••••0002"), "and masked there");
    assert!(page.body.contains("1 permohonan lain ada di luar wilayah Anda"), "Jayapura's is counted, not shown");
    assert!(!page.body.contains("Warga 3"));
    assert!(page.body.contains("Lanjut ke asesmen") || page.body.contains("Data dan dokumen lengkap"), "the verifier's moves");

    let logged: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT staff_id, application_id, what FROM access_log ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    // The sibling shown in the household panel is a view of it too; Jayapura's, not shown, is not.
    assert_eq!(logged, [(verifier, mine, "review".to_string()), (verifier, sibling, "household".to_string())]);

    // Another area's application: the same answer as one that does not exist, and no log line.
    for id in [elsewhere.to_string(), "999999".to_string(), "abc".to_string()] {
        let refused = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &cookie)]).await;
        assert!(refused.body.contains("tidak ada, atau di luar wilayah"), "{id}");
        assert!(!refused.body.contains("Warga 3") && !refused.body.contains("9171"), "{id}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, 2, "refusals log nothing");
    assert!(!logs.text().contains("3276015505870001"), "no NIK in the log");

    // The access log and the history cannot be rewritten, even by a query of ours.
    sqlx::query("INSERT INTO application_history (application_id, at, from_status, to_status, actor) VALUES ($1, $2, NULL, 'diajukan', 'online')")
        .bind(mine)
        .bind(yesterday())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert!(sqlx::query("DELETE FROM access_log").execute(app.state.db.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM application_history").execute(app.state.db.pool()).await.is_err());
    assert!(sqlx::query("UPDATE application_history SET note = 'x'").execute(app.state.db.pool()).await.is_err());
}

#[tokio::test]
async fn an_application_moves_from_verification_to_service_with_one_history_line_per_move() {
    let app = spawn_app().await;
    let id = application(&app, 1, DEPOK_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let (assessor_id, assessor) = staff(&app, "asep", &[Role::FieldAssessor]).await;
    let (_, supervisor) = staff(&app, "sari", &[Role::Supervisor]).await;
    let (_, front_desk) = staff(&app, "fajar", &[Role::FrontDesk]).await;
    let path = format!("/petugas/permohonan/{id}/langkah");

    // A correction without saying what: refused at its fields, nothing written.
    let before = snapshot(&app, id).await;
    let refused = app.post_form(&path, "langkah=minta-perbaikan&catatan=", &[("cookie", &verifier), ORIGIN]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Pilih paling sedikit satu bagian") && refused.body.contains("Tulis catatan"));
    assert_eq!(snapshot(&app, id).await, before);

    let steps = [
        (&verifier, Move::DocumentsOk, Status::FieldAssessment, "verifikator"),
        (&assessor, Move::RecordAssessment, Status::AwaitingDecision, "pendamping"),
        (&supervisor, Move::Approve, Status::Approved, "kepala-seksi"),
        (&front_desk, Move::MarkServed, Status::Served, "petugas-layanan"),
    ];
    for (n, (cookie, m, to, role)) in steps.into_iter().enumerate() {
        let done = app.post_form(&path, &valid_form(m), &[("cookie", cookie), ORIGIN]).await;
        assert_eq!((done.status, done.header("location")), (StatusCode::SEE_OTHER, format!("/petugas/permohonan/{id}?berhasil={}", m.slug()).as_str()), "{m:?}: {}", done.body);
        let (status, _, _, history) = snapshot(&app, id).await;
        assert_eq!((status.as_str(), history), (to.slug(), n as i64 + 1), "{m:?}");
        let (action, actor_role, from): (String, String, String) = sqlx::query_as(
            "SELECT action, actor_role, from_status FROM application_history WHERE application_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!((action.as_str(), actor_role.as_str()), (m.slug(), role));
        assert_ne!(from, to.slug());
    }
    let (details,): (String,) = sqlx::query_as("SELECT details FROM application_history WHERE action = 'setujui'").fetch_one(app.state.db.pool()).await.unwrap();
    assert!(details.contains("Bedah rumah") && details.contains("20000000"), "{details}");
    let (visit_by,): (i64,) = sqlx::query_as("SELECT staff_id FROM application_history WHERE action = 'catat-asesmen'").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(visit_by, assessor_id);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM applications WHERE id = {id} AND open = TRUE")).await, 0, "served is closed");

    // The timeline shows every step; a served application offers no more moves.
    let page = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &supervisor)]).await;
    for text in ["Asesmen lapangan", "Menunggu keputusan", "Disetujui", "Sudah dilayani", "Bedah rumah (Rp20.000.000)", "Petugas asep (Pendamping / pekerja sosial)"] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(page.body.contains("Tidak ada tindakan untuk peran Anda"));
}

#[tokio::test]
async fn each_role_makes_only_its_moves_and_only_in_its_area() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for role in [Role::FrontDesk, Role::Verifier, Role::FieldAssessor, Role::Supervisor, Role::Administrator] {
        people.push((role, staff(&app, role.slug(), &[role]).await.1));
    }
    let staff_moves = Move::ALL;
    let mut n = 0;
    let mut checked = 0;
    for (role, cookie) in &people {
        for m in staff_moves.iter().copied() {
            for own_area in [true, false] {
                n += 1;
                let village = if own_area { DEPOK_VILLAGE } else { JAYAPURA_VILLAGE };
                let id = application(&app, n, village, from_status(m), &yesterday(), "2027-01-01").await;
                let before = snapshot(&app, id).await;
                let response = app.post_form(&format!("/petugas/permohonan/{id}/langkah"), &valid_form(m), &[("cookie", cookie), ORIGIN]).await;
                let may = own_area && *role != Role::Administrator && m.allowed_for(*role);
                if may {
                    assert_eq!(response.status, StatusCode::SEE_OTHER, "{role:?} {m:?} own area: {}", response.body);
                    assert_ne!(snapshot(&app, id).await.0, before.0);
                } else {
                    assert_eq!(response.status, StatusCode::FORBIDDEN, "{role:?} {m:?} own area {own_area}");
                    assert_eq!(snapshot(&app, id).await, before, "{role:?} {m:?} own area {own_area}: nothing changes");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * 9 * 2);

    // A resident (a draft cookie, no staff session) and a stranger (no cookie): sent to sign
    // in; a forged or other site's post: refused before any handler. Nothing changes.
    let id = application(&app, 999, DEPOK_VILLAGE, Status::AwaitingDecision, &yesterday(), "2027-01-01").await;
    let before = snapshot(&app, id).await;
    let views = app.count("SELECT COUNT(*) FROM access_log").await;
    let path = format!("/petugas/permohonan/{id}/langkah");
    let resident = app.post_form(&path, &valid_form(Move::Approve), &[("cookie", "layan_draf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ORIGIN]).await;
    assert_eq!((resident.status, resident.header("location")), (StatusCode::SEE_OTHER, "/petugas/masuk"));
    let stranger = app.post_form(&path, &valid_form(Move::Approve), &[ORIGIN]).await;
    assert_eq!(stranger.header("location"), "/petugas/masuk");
    let supervisor = &people[3].1;
    let cross_site = app.post_form(&path, &valid_form(Move::Approve), &[("cookie", supervisor), ("origin", "https://evil.example")]).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let page = app.get(&format!("/petugas/permohonan/{id}")).await;
    assert_eq!(page.header("location"), "/petugas/masuk");
    assert_eq!(snapshot(&app, id).await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, views, "no one saw anything");
}

#[tokio::test]
async fn a_move_off_the_map_a_stale_page_or_someone_elses_claim_changes_nothing() {
    let app = spawn_app().await;
    let id = application(&app, 1, DEPOK_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let (_, supervisor) = staff(&app, "sari", &[Role::Supervisor, Role::Verifier]).await;
    let (other, _) = staff(&app, "vera", &[Role::Verifier]).await;
    let path = format!("/petugas/permohonan/{id}/langkah");
    let before = snapshot(&app, id).await;

    let off_map = app.post_form(&path, &valid_form(Move::Approve), &[("cookie", &supervisor), ORIGIN]).await;
    assert_eq!(off_map.status, StatusCode::CONFLICT);
    assert!(off_map.body.contains("Status permohonan sudah berubah"));
    for bad in ["langkah=terbang", "langkah=ajukan-ulang&catatan=x", "langkah=setujui&layanan=%00"] {
        let refused = app.post_form(&path, bad, &[("cookie", &supervisor), ORIGIN]).await;
        assert!(refused.status.is_client_error(), "{bad}: {}", refused.status);
    }
    let junk = app.post_form("/petugas/antrean/ambil", "id=abc", &[("cookie", &supervisor), ORIGIN]).await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert!(junk.body.contains("Permintaan tidak lengkap"), "{}", junk.body);
    assert_eq!(snapshot(&app, id).await, before);

    // Someone else holds it: the move waits for the release.
    assert!(layan::server::db::queues::claim(app.state.db.pool(), id, other).await.unwrap());
    let held = snapshot(&app, id).await;
    let refused = app.post_form(&path, &valid_form(Move::DocumentsOk), &[("cookie", &supervisor), ORIGIN]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("sedang dikerjakan petugas lain"));
    assert_eq!(snapshot(&app, id).await, held);
}

#[tokio::test]
async fn of_simultaneous_moves_of_one_item_exactly_one_is_written() {
    let app = spawn_app().await;
    let id = application(&app, 1, DEPOK_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let mut cookies = Vec::new();
    for n in 0..8 {
        cookies.push(staff(&app, &format!("verifikator{n}"), &[Role::Verifier]).await.1);
    }
    // Half send it on, half ask for a correction: one of them wins, whichever.
    let posts = cookies
        .into_iter()
        .enumerate()
        .map(|(n, cookie)| {
            let body = valid_form(if n % 2 == 0 { Move::DocumentsOk } else { Move::RequestCorrection });
            (format!("/petugas/permohonan/{id}/langkah"), cookie, body)
        })
        .collect();
    let statuses = app.post_forms_at_once(posts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM application_history WHERE application_id = {id}")).await, 1);
}

#[tokio::test]
async fn documents_open_only_for_staff_of_the_area_and_each_view_is_logged() {
    let app = spawn_app().await;
    let mine = application(&app, 1, DEPOK_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let theirs = application(&app, 2, JAYAPURA_VILLAGE, Status::Submitted, &yesterday(), "2027-01-01").await;
    let jpeg: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 a photo of a card";
    let pdf: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let mut ids = Vec::new();
    for (n, (application, kind, mime, bytes)) in [(mine, "ktp", "image/jpeg", jpeg), (mine, "sktm", "application/pdf", pdf), (theirs, "ktp", "image/jpeg", jpeg)].into_iter().enumerate() {
        let id = format!("AAAAAAAAAAAAAAAAAAAAA{}", ["A", "Q", "g"][n]);
        crate::helpers::stored_document(&app, &id, application, kind, mime, bytes, &yesterday()).await;
        ids.push(id);
    }
    let (verifier, cookie) = staff(&app, "vera", &[Role::Verifier]).await;
    let page = app.get_with(&format!("/petugas/permohonan/{mine}"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains(&format!("<img src=\"/petugas/berkas/{}\"", ids[0])), "the photo inline");
    assert!(page.body.contains(&format!("<iframe src=\"/petugas/berkas/{}\"", ids[1])), "the PDF inline");

    let photo = app.get_with(&format!("/petugas/berkas/{}", ids[0]), &[("cookie", &cookie)]).await;
    assert_eq!((photo.status, photo.header("content-type")), (StatusCode::OK, "image/jpeg"));
    assert!(photo.header("content-security-policy").contains("sandbox") && photo.header("content-security-policy").contains("frame-ancestors 'self'"));
    let document = app.get_with(&format!("/petugas/berkas/{}", ids[1]), &[("cookie", &cookie)]).await;
    assert_eq!((document.status, document.header("content-type")), (StatusCode::OK, "application/pdf"));
    assert_eq!(document.header("x-frame-options"), "SAMEORIGIN");
    let views: Vec<(i64, i64, String)> = sqlx::query_as("SELECT staff_id, application_id, what FROM access_log ORDER BY id").fetch_all(app.state.db.pool()).await.unwrap();
    assert_eq!(views, [(verifier, mine, "review".into()), (verifier, mine, "document".into()), (verifier, mine, "document".into())]);

    // Another area's document, a made-up id, a path trick, no session: nothing served.
    for path in [format!("/petugas/berkas/{}", ids[2]), "/petugas/berkas/BBBBBBBBBBBBBBBBBBBBBA".into(), "/petugas/berkas/..%2F..%2Fetc%2Fpasswd".into()] {
        let refused = app.get_with(&path, &[("cookie", &cookie)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
    }
    let stranger = app.get(&format!("/petugas/berkas/{}", ids[0])).await;
    assert_eq!(stranger.header("location"), "/petugas/masuk");
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, 3);
}
