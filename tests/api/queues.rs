//! The back office's queues: scoped to the staff member's areas, read a page at a time by
//! key, and claimed by exactly one person at a time.

use crate::fixtures::application;
use crate::helpers::{TestApp, spawn_app};
use layan::domain::Date;
use layan::domain::workflow::{Queue, QueueFilter, Status};
use layan::server::db::queues::{self, Cursor};

async fn staff(app: &TestApp, n: usize) -> i64 {
    crate::helpers::insert_staff(app, &format!("petugas{n}"), &format!("Petugas {n}")).await
}

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

#[tokio::test]
async fn a_queue_holds_only_its_statuses_in_the_staff_members_areas_with_nik_masked() {
    let app = spawn_app().await;
    application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-01").await;
    application(&app, 2, "3276011006", Status::Resubmitted, "2026-11-20T02:00:00Z", "2027-01-01").await;
    application(&app, 3, "3276011006", Status::FieldAssessment, "2026-11-20T03:00:00Z", "2026-11-01").await;
    // Kota Jayapura: someone else's area.
    application(&app, 4, "9171021005", Status::Submitted, "2026-11-20T04:00:00Z", "2027-01-01").await;
    let depok = vec!["3276".to_string()];

    let to_verify = queues::page(app.state.db.pool(), &depok, Queue::ToVerify, &QueueFilter::default(), today(), None, 25).await.unwrap();
    assert_eq!(to_verify.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Warga 1", "Warga 2"]);
    assert_eq!(to_verify[0].masked_nik, "3276••••••••0001");
    assert_eq!(to_verify[0].village, "Depok");

    let overdue = queues::page(app.state.db.pool(), &depok, Queue::Overdue, &QueueFilter::default(), today(), None, 25).await.unwrap();
    assert_eq!(overdue.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Warga 3"]);

    // A district area sees its district only; no area sees nothing.
    let pancoran_mas = vec!["327601".to_string()];
    assert_eq!(queues::page(app.state.db.pool(), &pancoran_mas, Queue::ToVerify, &QueueFilter::default(), today(), None, 25).await.unwrap().len(), 2);
    assert!(queues::page(app.state.db.pool(), &[], Queue::ToVerify, &QueueFilter::default(), today(), None, 25).await.unwrap().is_empty());

    let counts = queues::counts(app.state.db.pool(), &depok, &QueueFilter::default(), today()).await.unwrap();
    assert!(counts.contains(&(Queue::ToVerify, 2)) && counts.contains(&(Queue::FieldAssessment, 1)) && counts.contains(&(Queue::Overdue, 1)));
}

#[tokio::test]
async fn pages_follow_each_other_by_key_without_gaps_or_repeats() {
    let app = spawn_app().await;
    // Two share a timestamp: the id breaks the tie.
    for (n, at) in [(1, "01"), (2, "02"), (3, "02"), (4, "03"), (5, "04"), (6, "05"), (7, "06")] {
        application(&app, n, "3276011006", Status::Submitted, &format!("2026-11-20T{at}:00:00Z"), "2027-01-01").await;
    }
    let depok = vec!["3276".to_string()];
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let rows = queues::page(app.state.db.pool(), &depok, Queue::ToVerify, &QueueFilter::default(), today(), cursor.as_ref(), 3).await.unwrap();
        let Some(last) = rows.last() else { break };
        cursor = Cursor::decode(&Cursor { key: last.sort_key.clone(), id: last.id }.encode());
        seen.extend(rows.into_iter().map(|r| r.name));
    }
    assert_eq!(seen, (1..=7).map(|n| format!("Warga {n}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn of_many_simultaneous_claims_exactly_one_wins() {
    let app = spawn_app().await;
    let item = application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-01").await;
    let mut people = Vec::new();
    for n in 0..16 {
        people.push(staff(&app, n).await);
    }
    let pool = app.state.db.pool().clone();
    let claims = people.iter().map(|who| {
        let pool = pool.clone();
        let who = *who;
        tokio::spawn(async move { (who, queues::claim(&pool, item, who).await.unwrap()) })
    });
    let results: Vec<(i64, bool)> = futures_util::future::join_all(claims).await.into_iter().map(|r| r.unwrap()).collect();
    let winners: Vec<i64> = results.iter().filter(|(_, won)| *won).map(|(who, _)| *who).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let (holder,): (i64,) = sqlx::query_as("SELECT claimed_by FROM applications WHERE id = $1").bind(item).fetch_one(&pool).await.unwrap();
    assert_eq!(holder, winners[0]);

    // Someone else cannot release it; the holder can, and then another may claim it.
    let other = *people.iter().find(|p| **p != holder).unwrap();
    assert!(!queues::release(&pool, item, other).await.unwrap());
    assert!(queues::release(&pool, item, holder).await.unwrap());
    assert!(queues::claim(&pool, item, other).await.unwrap());
}

#[tokio::test]
async fn filters_narrow_a_queue_and_its_counts() {
    use layan::domain::eligibility::AgeGroup;
    use layan::domain::workflow::Channel;
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-01").await;
    // Tugu, in Cimanggis: another district of the same city.
    application(&app, 2, "3276021009", Status::Submitted, "2026-11-20T02:00:00Z", "2027-01-01").await;
    let counter = application(&app, 3, "3276011006", Status::Submitted, "2026-11-20T03:00:00Z", "2027-01-01").await;
    sqlx::query("UPDATE applications SET channel = 'service_point', birth_date = '1950-01-01' WHERE id = $1").bind(counter).execute(pool).await.unwrap();
    let depok = vec!["3276".to_string()];
    let names = |filter: QueueFilter| {
        let depok = depok.clone();
        async move {
            queues::page(pool, &depok, Queue::ToVerify, &filter, today(), None, 25).await.unwrap().into_iter().map(|r| r.name).collect::<Vec<_>>()
        }
    };
    let region = |code: &str| QueueFilter { region: layan::domain::RegionCode::parse(code).ok(), ..Default::default() };
    assert_eq!(names(region("327601")).await, ["Warga 1", "Warga 3"]);
    assert_eq!(names(region("3276021009")).await, ["Warga 2"]);
    assert!(names(region("917102")).await.is_empty(), "a district outside the staff member's areas shows nothing");
    assert_eq!(names(QueueFilter { channel: Some(Channel::ServicePoint), ..Default::default() }).await, ["Warga 3"]);
    assert_eq!(names(QueueFilter { age: Some(AgeGroup::Elderly), ..Default::default() }).await, ["Warga 3"]);
    assert_eq!(names(QueueFilter { age: Some(AgeGroup::Adult), ..Default::default() }).await, ["Warga 1", "Warga 2"]);
    let program = |code: &str| QueueFilter { program: layan::domain::ProgramCode::parse(code).ok(), ..Default::default() };
    assert_eq!(names(program("rs-rtlh")).await.len(), 3);
    assert!(names(program("tidak-ada")).await.is_empty());
    assert!(names(QueueFilter { category: Some(1), ..Default::default() }).await.is_empty());

    let counts = queues::counts(pool, &depok, &QueueFilter { channel: Some(Channel::ServicePoint), ..Default::default() }, today()).await.unwrap();
    assert!(counts.contains(&(Queue::ToVerify, 1)), "{counts:?}");
}

#[tokio::test]
async fn the_overdue_queue_lists_the_longest_overdue_first() {
    let app = spawn_app().await;
    application(&app, 1, "3276011006", Status::Submitted, "2026-10-01T01:00:00Z", "2026-11-10").await;
    application(&app, 2, "3276011006", Status::FieldAssessment, "2026-10-02T01:00:00Z", "2026-11-01").await;
    application(&app, 3, "3276011006", Status::AwaitingDecision, "2026-10-03T01:00:00Z", "2026-11-05").await;
    application(&app, 4, "3276011006", Status::Approved, "2026-10-04T01:00:00Z", "2026-10-20").await;
    let depok = vec!["3276".to_string()];
    let first = queues::page(app.state.db.pool(), &depok, Queue::Overdue, &QueueFilter::default(), today(), None, 2).await.unwrap();
    assert_eq!(first.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Warga 2", "Warga 3"]);
    let cursor = Cursor { key: first[1].sort_key.clone(), id: first[1].id };
    let rest = queues::page(app.state.db.pool(), &depok, Queue::Overdue, &QueueFilter::default(), today(), Some(&cursor), 2).await.unwrap();
    assert_eq!(rest.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Warga 1"], "approved items wait to be served, not decided");
}

#[tokio::test]
async fn the_generator_writes_rows_of_the_right_shape_on_either_database() {
    let app = spawn_app().await;
    let db = &app.state.db;
    assert_eq!(layan::server::seed::generate::applications(db, 250).await.unwrap(), 250);
    // A second run continues the numbering: no clash with the first.
    assert_eq!(layan::server::seed::generate::applications(db, 10).await.unwrap(), 10);
    assert_eq!(app.count("SELECT COUNT(*) FROM applications").await, 260);
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT nik, birth_date, status FROM applications ORDER BY id").fetch_all(db.pool()).await.unwrap();
    for (nik, born, status) in &rows {
        let nik = layan::domain::Nik::parse(nik).unwrap_or_else(|e| panic!("{nik}: {e}"));
        assert_eq!(nik.birth_date().resolve(today()).to_string(), *born);
        assert!(Status::from_slug(status).is_some());
    }
    let depok = vec!["3276".to_string()];
    let page = queues::page(db.pool(), &depok, Queue::ToVerify, &QueueFilter::default(), today(), None, 25).await.unwrap();
    assert_eq!(page.len(), 25);
}
