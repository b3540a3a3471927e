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
