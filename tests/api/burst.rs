//! A burst of residents applying at the same moment, as in a quarterly update window: on
//! SQLite and on PostgreSQL, no error, every acknowledged application stored exactly once,
//! and the report tallies equal to a recount.

use crate::helpers::{TestApp, backend, spawn_app, tallies};
use crate::journey::Resident;
use axum::http::StatusCode;
use std::collections::BTreeSet;
use std::sync::Arc;

const JOURNEYS: usize = 500;
const AT_ONCE: usize = 64;

/// A distinct, valid woman's NIK, birth date and family card for journey `i`.
pub(crate) fn person(i: usize) -> (String, String, String) {
    let (day, month, year) = (1 + i % 28, 1 + i / 28 % 12, 50 + i % 45);
    let nik = format!("327601{:02}{month:02}{year:02}{:04}", day + 40, i + 1);
    let born = format!("19{year:02}-{month:02}-{day:02}");
    let kk = format!("327601010109{:04}", i + 1);
    (nik, born, kk)
}

/// One resident's whole journey through the plain forms: the registration number on the
/// receipt, or what went wrong.
pub(crate) async fn journey(app: &TestApp, i: usize) -> Result<String, String> {
    let (nik, born, kk) = person(i);
    let mut resident = Resident::new(app);
    // Each from a phone of its own, when a proxy is in between.
    resident.from = Some(format!("10.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256));
    resident.try_fill_in(&nik, &born, "P", &kk).await?;
    let sent = resident.submit().await;
    if (sent.status, sent.header("location")) != (StatusCode::SEE_OTHER, "/ajukan/selesai") {
        return Err(format!("/ajukan/kirim: {} {}", sent.status, sent.body));
    }
    resident.receipt_number().await.ok_or_else(|| "the receipt shows no number".to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_residents_applying_sixty_four_at_a_time_each_get_one_application() {
    let app = Arc::new(spawn_app().await);
    let gate = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let started = std::time::Instant::now();
    let runs: Vec<_> = (0..JOURNEYS)
        .map(|i| {
            let (app, gate) = (app.clone(), gate.clone());
            tokio::spawn(async move {
                let _turn = gate.acquire_owned().await.expect("the gate stays open");
                journey(&app, i).await
            })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    let mut failures = Vec::new();
    for run in runs {
        match run.await {
            Ok(Ok(number)) => {
                numbers.insert(number);
            }
            Ok(Err(problem)) => failures.push(problem),
            Err(panic) => failures.push(format!("panicked: {panic}")),
        }
    }
    let took = started.elapsed().as_secs_f64();
    eprintln!(
        "burst on {:?}: {JOURNEYS} whole journeys, {AT_ONCE} at a time, in {took:.1} s ({:.1} applications per second), {} failed",
        backend(),
        JOURNEYS as f64 / took,
        failures.len()
    );
    assert!(failures.is_empty(), "{} of {JOURNEYS} journeys failed; the first: {}", failures.len(), failures[0].chars().take(400).collect::<String>());

    // Every acknowledged application is stored, once, and nothing else is.
    assert_eq!(numbers.len(), JOURNEYS, "each receipt shows its own number");
    let stored: Vec<(String,)> = sqlx::query_as("SELECT registration_number FROM applications").fetch_all(app.state.db.pool()).await.unwrap();
    let stored: Vec<String> = stored.into_iter().map(|(n,)| n).collect();
    assert_eq!(stored.len(), JOURNEYS);
    assert_eq!(stored.into_iter().collect::<BTreeSet<_>>(), numbers);
    assert_eq!(app.count("SELECT COUNT(*) FROM application_history").await, JOURNEYS as i64);
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE application_id IS NOT NULL").await, 4 * JOURNEYS as i64);

    // The tallies, once the deltas are folded in, are what a recount from the applications gives.
    layan::server::db::reports::fold(app.state.db.pool()).await.unwrap();
    let counted = tallies(app.state.db.pool()).await;
    let received: i64 = counted.0.iter().filter(|r| r.0 == "diterima").map(|r| r.5).sum();
    assert_eq!(received, JOURNEYS as i64);
    layan::server::db::reports::rebuild(app.state.db.pool(), app.state.config.utc_offset_hours).await.unwrap();
    assert_eq!(tallies(app.state.db.pool()).await, counted);
}
