use crate::helpers::{spawn_app, spawn_app_with, start};
use layan::domain::{Nik, RegionCheck, RegionLevel};
use layan::server::db::regions::{KnownRegions, counts};

#[tokio::test]
async fn a_fresh_database_holds_every_region_of_indonesia() {
    let app = spawn_app().await;

    let regions = counts(app.state.db.pool()).await.unwrap();

    assert_eq!(regions.provinces, 38);
    assert_eq!(regions.regencies, 514);
    assert_eq!(regions.districts, 7_285);
    assert_eq!(regions.villages, 83_762);
    let (name,): (String,) = sqlx::query_as("SELECT name FROM regencies WHERE code = $1")
        .bind("9171")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(name, "Kota Jayapura");
    let (quoted,): (String,) = sqlx::query_as("SELECT name FROM districts WHERE code = '352922'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(quoted, "Ra\"as");
}

#[tokio::test]
async fn restarting_on_the_same_database_duplicates_nothing() {
    let app = spawn_app_with(&[("LAYAN_DEMO", "1")]).await;
    let programs = app.count("SELECT COUNT(*) FROM programs").await;
    let documents = app.count("SELECT COUNT(*) FROM program_documents").await;

    let again = start(&app.env).await;

    assert_eq!(counts(again.db.pool()).await.unwrap().total(), 38 + 514 + 7_285 + 83_762);
    assert_eq!(app.count("SELECT COUNT(*) FROM programs").await, programs);
    assert_eq!(app.count("SELECT COUNT(*) FROM program_documents").await, documents);
    assert_eq!(app.count("SELECT COUNT(*) FROM ppks_categories").await, 26);
    assert_eq!(app.count("SELECT COUNT(*) FROM service_points").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM reference_imports").await, 1);
}

#[tokio::test]
async fn the_catalogue_has_the_26_ppks_categories_and_at_least_8_open_programs() {
    let app = spawn_app().await;

    assert_eq!(app.count("SELECT COUNT(*) FROM ppks_categories").await, 26);
    assert!(app.count("SELECT COUNT(*) FROM programs WHERE active = TRUE").await >= 8);
    // Every program serves at least one category and asks for at least one document.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programs p WHERE NOT EXISTS (SELECT 1 FROM program_ppks x WHERE x.program_id = p.id)").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programs p WHERE NOT EXISTS (SELECT 1 FROM program_documents x WHERE x.program_id = p.id)").await,
        0
    );
}

#[tokio::test]
async fn demo_service_points_exist_only_in_demo_mode() {
    let plain = spawn_app().await;
    assert_eq!(plain.count("SELECT COUNT(*) FROM service_points").await, 0);

    let demo = spawn_app_with(&[("LAYAN_DEMO", "1")]).await;
    assert_eq!(demo.count("SELECT COUNT(*) FROM service_points s JOIN villages v ON v.code = s.village_code WHERE v.district_code LIKE '3276%'").await, 3);
    assert_eq!(demo.count("SELECT COUNT(*) FROM service_points s JOIN villages v ON v.code = s.village_code WHERE v.district_code LIKE '9171%'").await, 2);
}

#[tokio::test]
async fn nik_regions_are_checked_against_the_imported_directory() {
    let app = spawn_app().await;
    let known = KnownRegions::load(app.state.db.pool()).await.unwrap();
    assert_eq!(known.len(), 38 + 514 + 7_285);

    let depok = Nik::parse("3276011505870003").unwrap();
    assert_eq!(depok.region_check(&known), RegionCheck::Known(RegionLevel::District));
    // Jayapura's Abepura district.
    let abepura = Nik::parse("9171035505870003").unwrap();
    assert_eq!(abepura.region_check(&known), RegionCheck::Known(RegionLevel::District));
    // A district that does not exist (any more): a warning, the NIK itself is valid.
    let unknown = Nik::parse("3276991505870003").unwrap();
    assert_eq!(unknown.region_check(&known), RegionCheck::Unknown(RegionLevel::District));
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_durable_commits() {
    if crate::helpers::backend() != crate::helpers::TestBackend::Sqlite {
        return; // PostgreSQL is durable by its own configuration.
    }
    let app = spawn_app().await;
    let mut conn = app.state.db.pool().acquire().await.unwrap();

    let (journal,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut *conn).await.unwrap();
    let (synchronous,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(&mut *conn).await.unwrap();
    let (foreign_keys,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(&mut *conn).await.unwrap();

    assert_eq!(journal, "wal");
    assert_eq!(synchronous, 2, "FULL");
    assert_eq!(foreign_keys, 1);
}

/// The scale-out path: several instances behind a load balancer start against one empty
/// PostgreSQL database at the same moment. Each migrates and seeds or finds it done.
#[tokio::test]
async fn instances_starting_together_on_an_empty_postgres_database_all_come_up() {
    if crate::helpers::backend() != crate::helpers::TestBackend::Postgres {
        return; // An embedded SQLite file has one instance by design.
    }
    let url = crate::helpers::empty_postgres_database_url().await;
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let envs: Vec<std::collections::HashMap<String, String>> = dirs
        .iter()
        .map(|dir| {
            [
                ("DATABASE_URL".to_string(), url.clone()),
                ("LAYAN_DEMO".to_string(), "1".to_string()),
                ("LAYAN_UPLOAD_DIR".to_string(), dir.path().join("u").display().to_string()),
                ("LAYAN_OUTBOX_DIR".to_string(), dir.path().join("o").display().to_string()),
            ]
            .into_iter()
            .collect()
        })
        .collect();

    let (a, b, c) = tokio::join!(start(&envs[0]), start(&envs[1]), start(&envs[2]));

    for state in [&a, &b, &c] {
        assert_eq!(counts(state.db.pool()).await.unwrap().total(), 38 + 514 + 7_285 + 83_762);
    }
    let programs: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM programs").fetch_one(a.db.pool()).await.unwrap();
    assert_eq!(programs.0, layan::server::seed::catalogue::PROGRAMS.len() as i64);
    let points: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM service_points").fetch_one(a.db.pool()).await.unwrap();
    assert_eq!(points.0, 5);
}

#[tokio::test]
async fn regions_are_listed_one_level_at_a_time_by_name() {
    let app = spawn_app().await;
    let list = |parent: &'static str| {
        let app = &app;
        async move {
            let response = app
                .post_form("/api/wilayah", &format!("parent={parent}"), &[("accept", "application/json"), ("sec-fetch-site", "same-origin")])
                .await;
            assert_eq!(response.status, 200, "{}", response.body);
            serde_json::from_str::<Vec<serde_json::Value>>(&response.body).unwrap()
        }
    };

    let provinces = list("").await;
    assert_eq!(provinces.len(), 38);
    assert_eq!(provinces[0]["name"], "Aceh");
    let depok = list("3276").await;
    assert_eq!(depok.len(), 11);
    assert!(depok.iter().any(|d| d["code"] == "327601" && d["name"] == "Pancoran Mas"));
    let names: Vec<&str> = depok.iter().map(|d| d["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(list("32.76.01").await.iter().any(|v| v["code"] == "3276011006" && v["name"] == "Depok"));
    // Nothing below a village, and nothing for a code that is not one.
    assert!(list("3276011006").await.is_empty());
    assert!(list("32%27%20OR%201%3D1").await.is_empty());
    assert!(list("99").await.is_empty());
}
