//! A lost number or PIN recovered by phone: a code texted to a mobile number that is on an
//! open application opens its list; the same page whether or not the number is known;
//! codes single use, kept hashed, limited per phone and per address; a new PIN from the
//! list replaces the old one. Texts go to files here (no gateway configured): the file is
//! what the phone would have received.

use crate::fixtures::{PIN, tracked};
use crate::helpers::{TestApp, TestResponse, spawn_app};
use axum::http::StatusCode;
use layan::domain::workflow::Status;
use layan::server::notify::deliver_due;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

fn cookie(response: &TestResponse) -> String {
    let set = response.header("set-cookie");
    assert!(set.starts_with("layan_lacak="), "{set}");
    set.split(';').next().unwrap().to_string()
}

/// The texts sent so far to `phone`, as the files gateway wrote them.
async fn texts_to(app: &TestApp, phone: &str) -> Vec<String> {
    deliver_due(&app.state).await.unwrap();
    let dir = app.state.config.sms_files_dir().expect("texts go to files").to_path_buf();
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let body = std::fs::read_to_string(entry.path()).unwrap();
        if let Some((to, text)) = body.split_once("\n\n") {
            if to == phone {
                texts.push(text.trim().to_string());
            }
        }
    }
    texts
}

/// Opens the list session of `phone` (as typed, e.g. `081234567890`, stored `mobile`) with a
/// code texted to it, as the resident would; the session's cookie.
pub(crate) async fn open_by_phone(app: &TestApp, phone: &str, mobile: &str) -> String {
    let before = texts_to(app, mobile).await.len();
    assert_eq!(app.post_form_from("10.77.0.1", "/lacak/telepon", &format!("telepon={phone}"), &[ORIGIN]).await.status, StatusCode::OK);
    let texts = texts_to(app, mobile).await;
    assert_eq!(texts.len(), before + 1, "one code texted");
    let code = code_in(texts.iter().find(|t| t.contains("Kode ") && !texts[..before].contains(t)).expect("the new code"));
    let opened = app.post_form_from("10.77.0.1", "/lacak/telepon/masuk", &format!("telepon={phone}&kode={code}"), &[ORIGIN]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    cookie(&opened)
}

fn code_in(text: &str) -> String {
    let at = text.find("Kode ").expect("a code") + "Kode ".len();
    text[at..at + 6].to_string()
}

#[tokio::test]
async fn a_code_texted_to_the_phone_opens_its_applications_once_and_lets_the_resident_set_a_new_pin() {
    let app = spawn_app().await;
    let (id, number) = tracked(&app, 1, Status::NeedsCorrection).await;
    // A closed application of the same phone is not listed (nor texted).
    let (_, closed) = tracked(&app, 2, Status::Rejected).await;
    sqlx::query("UPDATE applications SET open = FALSE WHERE registration_number = $1").bind(&closed).execute(app.state.db.pool()).await.unwrap();

    let known = app.post_form("/lacak/telepon", "telepon=0812-3456-7890", &[ORIGIN]).await;
    let unknown = app.post_form("/lacak/telepon", "telepon=0813 9999 0000", &[ORIGIN]).await;
    assert_eq!((known.status, unknown.status), (StatusCode::OK, StatusCode::OK));
    // The page's main part (the head carries a nonce of its own each time).
    let page = |r: &TestResponse| {
        let main = &r.body[r.body.find("<main").unwrap()..r.body.find("</main>").unwrap()];
        main.replace("0812-3456-7890", "N").replace("0813 9999 0000", "N")
    };
    assert_eq!(page(&known), page(&unknown), "the same page whether or not the phone is known");
    assert!(known.body.contains("name=\"kode\""));
    assert!(texts_to(&app, "+6281399990000").await.is_empty(), "nothing texted to an unknown phone");
    let texts = texts_to(&app, "+6281234567890").await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains(&layan::domain::registration::RegistrationNumber::display_stored(number.clone())) || texts[0].contains(&number), "{}", texts[0]);
    assert!(!texts[0].contains(&closed), "closed applications are not listed");
    assert!(layan::domain::sms::fits_one_segment(&texts[0]), "{}", texts[0]);
    let code = code_in(&texts[0]);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM phone_codes WHERE code_hash LIKE '%{code}%'")).await, 0, "kept hashed");

    // A wrong code: refused, counted; the right one opens the list, once.
    let wrong = app.post_form("/lacak/telepon/masuk", &format!("telepon=081234567890&kode={}", if code == "000000" { "111111" } else { "000000" }), &[ORIGIN]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Kode salah"));
    let opened = app.post_form("/lacak/telepon/masuk", &format!("telepon=081234567890&kode={code}"), &[ORIGIN]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(opened.header("location"), "/lacak/daftar");
    let session = cookie(&opened);
    let again = app.post_form("/lacak/telepon/masuk", &format!("telepon=081234567890&kode={code}"), &[ORIGIN]).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "single use");
    let list = app.get_with("/lacak/daftar", &[("cookie", &session)]).await;
    assert!(list.body.contains(&format!("name=\"permohonan\" value=\"{id}\"")), "the open application is listed");
    let (closed_id,): (i64,) = sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&closed).fetch_one(app.state.db.pool()).await.unwrap();
    assert!(!list.body.contains(&format!("value=\"{closed_id}\"")));
    // Another phone's application cannot be opened from this list.
    let foreign = app.post_form("/lacak/buka", &format!("permohonan={closed_id}"), &[("cookie", &session), ORIGIN]).await;
    assert_eq!(foreign.header("location"), "/lacak/daftar");
    let open = app.post_form("/lacak/buka", &format!("permohonan={id}"), &[("cookie", &session), ORIGIN]).await;
    assert_eq!(open.header("location"), "/lacak/permohonan");
    let tracked_page = app.get_with("/lacak/permohonan", &[("cookie", &session)]).await;
    assert!(tracked_page.body.contains("action=\"/lacak/pin\""), "a list session may make a new PIN");

    // A new PIN: shown once, the old one no longer opens the application, the new one does.
    let made = app.post_form("/lacak/pin", "", &[("cookie", &session), ORIGIN]).await;
    assert_eq!(made.status, StatusCode::OK);
    assert_eq!(made.header("cache-control"), "no-store");
    let at = made.body.find("data-testid=\"new-pin\"").expect("the new PIN shown");
    let pin: String = made.body[at..].split_once('>').unwrap().1.chars().take(6).collect();
    assert!(pin.chars().all(|c| c.is_ascii_digit()), "{pin}");
    let old = app.post_form("/lacak", &format!("nomor={number}&pin={PIN}"), &[ORIGIN]).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app.post_form("/lacak", &format!("nomor={number}&pin={pin}"), &[ORIGIN]).await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    // A session opened by number and PIN is not offered one (it knows the PIN).
    let by_pin = app.get_with("/lacak/permohonan", &[("cookie", &cookie(&new))]).await;
    assert!(!by_pin.body.contains("action=\"/lacak/pin\""));
    let refused = app.post_form("/lacak/pin", "", &[("cookie", &cookie(&new)), ORIGIN]).await;
    assert_eq!(refused.header("location"), "/lacak/permohonan");
}

#[tokio::test]
async fn codes_are_limited_per_phone_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    tracked(&app, 1, Status::Submitted).await;
    let bad = app.post_form("/lacak/telepon", "telepon=bukan+nomor", &[ORIGIN]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Tulis nomor HP Indonesia"));
    let bad_code = app.post_form("/lacak/telepon/masuk", "telepon=081234567890&kode=12ab", &[ORIGIN]).await;
    assert_eq!(bad_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM phone_codes").await, 0);
    // Three codes per phone per 15 minutes, from anyone; the fourth is refused, known or not.
    for from in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        assert_eq!(app.post_form_from(from, "/lacak/telepon", "telepon=081234567890", &[ORIGIN]).await.status, StatusCode::OK);
    }
    let fourth = app.post_form_from("10.0.0.4", "/lacak/telepon", "telepon=081234567890", &[ORIGIN]).await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fourth.header("retry-after").parse::<i64>().unwrap() > 0);
    // Only the latest code works, and one address gets five tries at it.
    assert_eq!(app.count("SELECT COUNT(*) FROM phone_codes").await, 1);
    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses.push(app.post_form_from("10.0.0.9", "/lacak/telepon/masuk", &format!("telepon=081234567890&kode=00000{n}"), &[ORIGIN]).await.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 1, "{statuses:?}");
}

#[tokio::test]
async fn thirty_simultaneous_requests_leave_one_live_code_and_it_opens_one_session() {
    let app = spawn_app().await;
    tracked(&app, 1, Status::Submitted).await;
    // Thirty requests for a code at once, each from its own address: at most three are
    // made (the phone's limit; each request is counted with every one written before its
    // count, so a burst may get none), the others refused; one code is live whichever wrote
    // last.
    let asks = (0..30).map(|n| {
        let app = &app;
        async move { app.post_form_from(&format!("10.1.0.{n}"), "/lacak/telepon", "telepon=081234567890", &[ORIGIN]).await.status }
    });
    let statuses = futures_util::future::join_all(asks).await;
    let made = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert!(made <= 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 30 - made);
    if made < 3 {
        // The refused ones do not use up the phone's budget: the owner still gets a code.
        assert_eq!(app.post_form_from("10.9.9.9", "/lacak/telepon", "telepon=081234567890", &[ORIGIN]).await.status, StatusCode::OK);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM phone_codes").await, 1);
    let texts = texts_to(&app, "+6281234567890").await;
    assert_eq!(texts.len(), if made < 3 { made + 1 } else { 3 });
    // The live code is one of the three texted (the one whose keyed hash is kept); tried at
    // once from thirty addresses, it opens exactly one session.
    let (kept,): (String,) = sqlx::query_as("SELECT code_hash FROM phone_codes").fetch_one(app.state.db.pool()).await.unwrap();
    let live = texts.iter().map(|t| code_in(t)).find(|c| app.state.pin_key.seal(&format!("code:+6281234567890:{c}")) == kept).expect("a texted code is live");
    let tries = (0..30).map(|n| {
        let (app, code) = (&app, live.clone());
        async move { app.post_form_from(&format!("10.2.0.{n}"), "/lacak/telepon/masuk", &format!("telepon=081234567890&kode={code}"), &[ORIGIN]).await.status }
    });
    let statuses = futures_util::future::join_all(tries).await;
    let opened = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert!(opened <= 1, "single use, whatever the race: {statuses:?}");
    let again = app.post_form_from("10.9.9.8", "/lacak/telepon/masuk", &format!("telepon=081234567890&kode={live}"), &[ORIGIN]).await.status;
    // Used in the burst: refused now. All refused in the burst (each counted with the others
    // before it was judged): still unused, it opens now.
    assert_eq!(again, if opened == 1 { StatusCode::UNAUTHORIZED } else { StatusCode::SEE_OTHER }, "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM tracking_sessions WHERE phone IS NOT NULL").await, 1);
}
