//! Letters (issue 17): a decision makes its letters, numbered in the office's year without
//! gaps even when decisions arrive together; staff print them (logged), the person opens
//! theirs from tracking; the QR code's page says genuine only for the office's own unchanged
//! code, and `layan verify-letter` says the same offline with the public key alone.

use crate::casework::valid_form;
use crate::fixtures::{PIN, staff, tracked};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use axum::http::StatusCode;
use layan::domain::workflow::{Move, Role, Status};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

/// Visits and decides application `n` with `decision`; (id, number).
async fn decided(app: &TestApp, n: i64, officer: &str, decision: Move) -> (i64, String) {
    let (id, number) = tracked(app, n, Status::FieldAssessment).await;
    for form in [valid_form(Move::RecordAssessment), valid_form(decision) + "&catatan=Silakan+datang+ke+kantor"] {
        let moved = app.post_form(&format!("/petugas/permohonan/{id}/langkah"), &form, &[("cookie", officer), ORIGIN]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    }
    (id, number)
}

/// The verification address printed under the letter's QR code.
fn verify_url(letter: &str) -> String {
    let start = letter.find("/verifikasi/").expect("the verification address is on the letter");
    let start = letter[..start].rfind("http").unwrap();
    letter[start..].split(['"', '<', ' ']).next().unwrap().to_string()
}

fn code_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

/// `code` with the character at `at` replaced by another of the base64url alphabet.
fn changed(code: &str, at: usize) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

fn public_key(app: &TestApp) -> String {
    layan::server::letters::hex(app.state.letters.public_key())
}

#[tokio::test]
async fn a_rejection_letter_is_printed_verified_and_a_changed_code_fails_online_and_offline() {
    let app = spawn_app().await;
    let (_, officer) = staff(&app, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor]).await;
    let (id, number) = decided(&app, 1, &officer, Move::Reject).await;

    let review = app.get_with(&format!("/petugas/permohonan/{id}"), &[("cookie", &officer)]).await;
    let link = format!("/petugas/permohonan/{id}/surat/keputusan-ditolak");
    assert!(review.body.contains(&link), "the review page offers the letter");
    let letter = app.get_with(&link, &[("cookie", &officer)]).await;
    assert_eq!(letter.status, StatusCode::OK);
    assert_eq!(letter.header("cache-control"), "no-store", "personal data is never cached");
    let year = layan::server::db::office_today(7).year();
    for text in [
        format!("460/0001/DINSOS/XII/{year}").as_str(),
        "Warga 1",
        "TIDAK DISETUJUI",
        "Sudah menerima bantuan sejenis",
        "mengajukan sanggahan paling lambat",
        "Silakan datang ke kantor",
        "Kepala Seksi Pelayanan Sosial",
        "<svg",
    ] {
        assert!(letter.body.contains(text), "{text} in the letter");
    }
    assert!(!letter.body.contains("Petugas serba"), "the signer's role, not their name");
    let logged = app.count(&format!("SELECT COUNT(*) FROM access_log WHERE application_id = {id} AND what = 'letter' AND detail = 'keputusan-ditolak'")).await;
    assert_eq!(logged, 1, "printing a letter is a staff view");

    // The QR code's page: genuine, with the initials only.
    let url = verify_url(&letter.body);
    let code = code_of(&url);
    let page = app.get(&format!("/verifikasi/{code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Surat ini ASLI") && page.body.contains("W.") && page.body.contains("Tidak disetujui"), "{}", page.body);
    assert!(!page.body.contains("Warga 1") && !page.body.contains(&number), "nothing more of the person than the initials");

    // One changed character, anywhere: not genuine, online and offline.
    let key = app.state.letters.public_key();
    assert!(layan::server::letters::read(key, &url).is_some(), "offline, the address as scanned");
    for at in [0, 3, 10, 20, code.len() / 2, code.len() - 30, code.len() - 2] {
        let forged = changed(&code, at);
        assert!(layan::server::letters::read(key, &forged).is_none(), "changed at {at}");
        let page = app.get(&format!("/verifikasi/{forged}")).await;
        assert!(page.body.contains("Surat ini TIDAK ASLI"), "changed at {at}");
    }
    for made_up in ["abc", "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        assert!(app.get(&format!("/verifikasi/{made_up}")).await.body.contains("TIDAK ASLI") || made_up.is_empty());
    }

    // The public key page, and the command a hospital or school would run with it.
    let keys = app.get("/verifikasi").await;
    assert!(keys.body.contains(&public_key(&app)));
    let run = |code: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_layan"))
            .args(["verify-letter", code, "--public-key", &public_key(&app)])
            .env_clear()
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (status, said) = run(&url);
    assert_eq!(status, Some(0), "{said}");
    assert!(said.starts_with("ASLI") && said.contains(&format!("460/0001/DINSOS/XII/{year}")) && said.contains("Inisial:     W."), "{said}");
    let (status, said) = run(&changed(&code, 12));
    assert_eq!(status, Some(1), "{said}");
    assert!(said.starts_with("TIDAK ASLI"), "{said}");
}

#[tokio::test]
async fn another_offices_key_is_not_genuine_here() {
    let app = spawn_app().await;
    let other = spawn_app_with(&[("LAYAN_SIGNING_KEY", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90")]).await;
    assert_ne!(public_key(&app), public_key(&other));
    let (_, officer) = staff(&other, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor]).await;
    let (id, _) = decided(&other, 1, &officer, Move::Approve).await;
    let letter = other.get_with(&format!("/petugas/permohonan/{id}/surat/keputusan-disetujui"), &[("cookie", &officer)]).await;
    assert!(letter.body.contains("Rp20.000.000") && letter.body.contains("DISETUJUI"));
    let code = code_of(&verify_url(&letter.body));
    assert!(other.get(&format!("/verifikasi/{code}")).await.body.contains("Surat ini ASLI"));
    assert!(app.get(&format!("/verifikasi/{code}")).await.body.contains("Surat ini TIDAK ASLI"), "signed by another key");
}

#[tokio::test]
async fn a_referral_makes_two_letters_the_person_opens_them_and_outsiders_get_nothing() {
    let app = spawn_app().await;
    let (_, officer) = staff(&app, "serba", &[Role::Verifier, Role::FieldAssessor, Role::Supervisor]).await;
    let (id, number) = decided(&app, 1, &officer, Move::Refer).await;
    let letters: Vec<(String, i64)> = sqlx::query_as("SELECT kind, sequence FROM letters WHERE application_id = $1 ORDER BY sequence")
        .bind(id)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(letters, [("keputusan-dirujuk".to_string(), 1), ("rujukan".to_string(), 2)]);

    // Staff of another area: nothing, and nothing logged.
    let (outsider, outside) = staff(&app, "luar", &[Role::Supervisor]).await;
    sqlx::query("UPDATE staff_areas SET region_code = '3171' WHERE staff_id = $1").bind(outsider).execute(app.state.db.pool()).await.unwrap();
    let refused = app.get_with(&format!("/petugas/permohonan/{id}/surat/rujukan"), &[("cookie", &outside)]).await;
    assert!(!refused.body.contains("Warga 1") && !refused.body.contains("data-testid=\"letter\""));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM access_log WHERE staff_id = {outsider}")).await, 0);

    // The person, by number and PIN: both letters from tracking; the referral names the NIK.
    let opened = app.post_form("/lacak", &format!("nomor={number}&pin={PIN}"), &[ORIGIN]).await;
    let cookie = opened.header("set-cookie").split(';').next().unwrap().to_string();
    let page = app.get_with("/lacak/permohonan", &[("cookie", &cookie)]).await;
    assert!(page.body.contains("/lacak/surat/keputusan-dirujuk") && page.body.contains("/lacak/surat/rujukan"));
    let referral = app.get_with("/lacak/surat/rujukan", &[("cookie", &cookie)]).await;
    assert!(referral.body.contains("BAZNAS Kota Depok") && referral.body.contains("3276015505870001"), "{}", referral.body);
    assert!(app.get("/lacak/surat/rujukan").await.body.contains("/lacak"), "no session: back to the lookup");
    let none = app.get_with("/lacak/surat/keputusan-disetujui", &[("cookie", &cookie)]).await;
    assert!(!none.body.contains("data-testid=\"letter\""), "no such letter");
}

#[tokio::test]
async fn decisions_made_together_get_consecutive_numbers() {
    let app = spawn_app().await;
    let mut cookies = Vec::new();
    let mut ids = Vec::new();
    for n in 1..=16 {
        let (_, cookie) = staff(&app, &format!("kasi{n}"), &[Role::Supervisor]).await;
        let (id, _) = tracked(&app, n, Status::AwaitingDecision).await;
        cookies.push(cookie);
        ids.push(id);
    }
    let posts = ids
        .iter()
        .zip(cookies)
        .map(|(id, cookie)| (format!("/petugas/permohonan/{id}/langkah"), cookie, valid_form(if id % 2 == 0 { Move::Approve } else { Move::Reject })))
        .collect();
    let statuses = app.post_forms_at_once(posts).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "{statuses:?}");
    let numbers: Vec<(i64,)> = sqlx::query_as("SELECT sequence FROM letters ORDER BY sequence").fetch_all(app.state.db.pool()).await.unwrap();
    assert_eq!(numbers.into_iter().map(|(n,)| n).collect::<Vec<_>>(), (1..=16).collect::<Vec<_>>(), "one number each, no gaps");
}
