//! Where documents are kept — a folder on this machine, or an S3-compatible object store
//! (a real Garage on loopback) — behind one interface: a file is streamed, counted and
//! sniffed as it arrives, read back only through Layan, removed, and a file whose row never
//! came is swept a day later. The same checks run on both; a whole journey runs with its
//! documents in Garage.

use crate::fixtures::{application, staff};
use crate::garage::Garage;
use crate::helpers::{spawn_app, spawn_app_with};
use crate::journey::{JPEG, PDF, Resident};
use axum::http::StatusCode;
use layan::domain::workflow::{Role, Status};
use layan::server::storage::{Storage, UploadError};

fn chunks(parts: &[&[u8]]) -> futures_util::stream::Iter<std::vec::IntoIter<Result<bytes::Bytes, std::io::Error>>> {
    futures_util::stream::iter(parts.iter().map(|p| Ok(bytes::Bytes::copy_from_slice(p))).collect::<Vec<_>>())
}

/// The checks every store must pass.
async fn a_store_keeps_reads_and_removes_files(storage: &Storage) {
    storage.ping().await.expect("the store answers");
    // Arrives in pieces, as a request body does; the type comes from the first bytes.
    let stored = storage.save(chunks(&[&JPEG[..4], &JPEG[4..]]), 1024).await.expect("stored");
    assert_eq!(stored.byte_size, JPEG.len() as u64);
    assert_eq!(stored.file_type, layan::domain::document::FileType::Jpeg);
    assert_eq!(storage.read(&stored.id).await.expect("read back"), JPEG);
    assert!(storage.older_than(0).await.unwrap().contains(&stored.id), "listed for the sweep");
    assert!(!storage.older_than(3600).await.unwrap().contains(&stored.id), "a new file is not old");

    // Refused files are not kept: past the limit, not a document, nothing at all.
    let before = storage.older_than(0).await.unwrap().len();
    assert!(matches!(storage.save(chunks(&[PDF, PDF]), PDF.len() as u64).await, Err(UploadError::TooLarge)));
    assert!(matches!(storage.save(chunks(&[b"MZ\x90\x00 not a document at all, a program"]), 1024).await, Err(UploadError::NotAllowed)));
    assert!(matches!(storage.save(chunks(&[]), 1024).await, Err(UploadError::Empty)));
    assert_eq!(storage.older_than(0).await.unwrap().len(), before, "nothing refused was kept");

    storage.remove(&stored.id).await;
    assert_eq!(storage.read(&stored.id).await.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    storage.remove(&stored.id).await; // gone already: fine
    // An id is ours or nothing: no path or key the client could write.
    assert_eq!(storage.read("../../etc/passwd").await.unwrap_err().kind(), std::io::ErrorKind::NotFound);
}

#[tokio::test]
async fn the_folder_keeps_reads_and_removes_files() {
    let dir = tempfile::tempdir().unwrap();
    a_store_keeps_reads_and_removes_files(&Storage::new(dir.path())).await;
}

#[tokio::test]
async fn garage_keeps_reads_and_removes_files() {
    let Some(garage) = Garage::start() else { return };
    let staging = tempfile::tempdir().unwrap();
    let storage = Storage::s3(staging.path(), &garage.settings).expect("an S3 client");
    a_store_keeps_reads_and_removes_files(&storage).await;
    assert_eq!(std::fs::read_dir(staging.path()).map(|d| d.count()).unwrap_or(0), 0, "nothing is left in the staging folder");
}

#[tokio::test]
async fn a_file_whose_row_never_came_is_swept_and_one_with_a_row_is_kept() {
    let garage = Garage::start();
    let app = match &garage {
        Some(g) => {
            let env = g.env();
            spawn_app_with(&env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await
        }
        None => spawn_app().await,
    };
    let storage = &app.state.storage;
    let id = application(&app, 1, "3276011006", Status::Submitted, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let kept = storage.save(chunks(&[JPEG]), 1024).await.unwrap();
    sqlx::query(
        "INSERT INTO uploads (id, application_id, document_kind, file_type, byte_size, sha256, created_at) VALUES ($1, $2, 'ktp', 'image/jpeg', $3, $4, '2026-11-20T01:00:00Z')",
    )
    .bind(&kept.id)
    .bind(id)
    .bind(kept.byte_size as i64)
    .bind(&kept.sha256)
    .execute(app.state.db.pool())
    .await
    .unwrap();
    // Stored, then the process died before the row was written.
    let stray = storage.save(chunks(&[PDF]), 1024).await.unwrap();

    assert_eq!(layan::server::sweep_unreferenced(&app.state.db, storage, 3600).await.unwrap(), 0, "a fresh file may still get its row");
    assert_eq!(layan::server::sweep_unreferenced(&app.state.db, storage, 0).await.unwrap(), 1);
    assert_eq!(storage.read(&stray.id).await.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    assert_eq!(storage.read(&kept.id).await.unwrap(), JPEG, "a file a row names stays");
}

#[tokio::test]
async fn a_journey_keeps_its_documents_in_garage_and_staff_see_them_through_layan() {
    let Some(garage) = Garage::start() else { return };
    let env = garage.env();
    let app = spawn_app_with(&env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
    assert!(health.body.contains("\"object store\""), "{}", health.body);

    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    resident.submit().await;
    let number = resident.receipt_number().await.expect("a receipt");
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&number).fetch_one(app.state.db.pool()).await.unwrap();
    let (upload,): (String,) = sqlx::query_as("SELECT id FROM uploads WHERE application_id = $1 AND document_kind = 'ktp'")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    // Nothing on this instance's disk: the file is in the bucket.
    let uploads = std::path::Path::new(&app.env["LAYAN_UPLOAD_DIR"]);
    assert!(!uploads.join(&upload).exists());

    let (_, verifier) = staff(&app, "vera", &[Role::Verifier]).await;
    let shown = app.get_with(&format!("/petugas/berkas/{upload}"), &[("cookie", &verifier)]).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.header("content-type"), "image/jpeg");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM access_log WHERE application_id = {id}")).await, 1, "the view is logged");
    let (_, outsider) = staff(&app, "jaya", &[Role::FieldAssessor]).await;
    sqlx::query("UPDATE staff_areas SET region_code = '9171' WHERE staff_id = (SELECT id FROM staff WHERE username = 'jaya')").execute(app.state.db.pool()).await.unwrap();
    assert_eq!(app.get_with(&format!("/petugas/berkas/{upload}"), &[("cookie", &outsider)]).await.status, StatusCode::NOT_FOUND);
}
