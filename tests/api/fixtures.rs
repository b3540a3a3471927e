//! What tests start from, in one place: applications in the staff's areas, staff members
//! signed in, applications that can be tracked, and multipart bodies. A test file that needs
//! one of these takes it from here, not from another test file.

use crate::helpers::TestApp;
use layan::domain::registration::RegistrationNumber;
use layan::domain::staff::{NewPassword, Username};
use layan::domain::workflow::{Role, Status};
use layan::server::auth;

/// The PIN of every application made by [`tracked`] and [`application_with_number`].
pub const PIN: &str = "480213";
/// The password of the staff account made by [`verifier`].
pub const PASSWORD: &str = "kuda-lari-di-pantai";

/// An application row as submission would write it, with the status and dates given.
pub async fn application(app: &TestApp, n: i64, village: &str, status: Status, submitted_at: &str, due: &str) -> i64 {
    let (program,): (i64,) = sqlx::query_as("SELECT id FROM programs WHERE code = 'rs-rtlh'").fetch_one(app.state.db.pool()).await.unwrap();
    let nik = format!("327601550587{n:04}");
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO applications (registration_number, pin_hash, idempotency_key, status, open, channel, program_id, ppks_code, \
         nik, kk, name, birth_date, sex, phone, village_code, district_code, regency_code, street, rt, rw, description, \
         applicant, household, submitted_at, decision_due, updated_at) \
         VALUES ($1, 'x', $2, $3, $4, 'online', $5, 24, $6, '3276010101090001', $7, '1987-05-15', 'P', '+6281234567890', $8, $9, $10, \
         'Jl. Melati', '001', '002', 'Atap bocor', '\"Myself\"', '[]', $11, $12, $11) RETURNING id",
    )
    .bind(format!("TEST{n:05}"))
    .bind(format!("key-{n}"))
    .bind(status.slug())
    .bind(status.is_open())
    .bind(program)
    .bind(&nik)
    .bind(format!("Warga {n}"))
    .bind(village)
    .bind(&village[..6])
    .bind(&village[..4])
    .bind(submitted_at)
    .bind(due)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    id
}

/// A staff member with these roles in Kota Depok, signed in; returns (id, cookie).
pub async fn staff(app: &TestApp, username: &str, roles: &[Role]) -> (i64, String) {
    let pool = app.state.db.pool();
    let id = crate::helpers::insert_staff(app, username, &format!("Petugas {username}")).await;
    for role in roles {
        sqlx::query("INSERT INTO staff_roles (staff_id, role) VALUES ($1, $2)").bind(id).bind(role.slug()).execute(pool).await.unwrap();
    }
    sqlx::query("INSERT INTO staff_areas (staff_id, region_code) VALUES ($1, '3276')").bind(id).execute(pool).await.unwrap();
    let token = auth::open_session(pool, id).await.unwrap();
    // Behind an https public URL the browser holds it under its `__Host-` name.
    let prefix = if app.state.config.public_url.starts_with("https://") { layan::cookies::HOST_PREFIX } else { "" };
    (id, format!("{prefix}{}={}", auth::SESSION_COOKIE, token.as_str()))
}

/// An application with a real PIN hash; returns (id, registration number).
pub async fn tracked(app: &TestApp, n: i64, status: Status) -> (i64, String) {
    let id = application(app, n, "3276011006", status, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let hash = app.state.pin_key.seal(PIN);
    sqlx::query("UPDATE applications SET pin_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(app.state.db.pool()).await.unwrap();
    (id, format!("TEST{n:05}"))
}

/// An application in Kota Depok with a valid registration number, a PIN and an email;
/// returns (id, number as stored).
pub async fn application_with_number(app: &TestApp, n: i64, status: Status, email: Option<&str>) -> (i64, String) {
    let id = application(app, n, "3276011006", status, "2026-11-20T01:00:00Z", "2027-01-05").await;
    let number = RegistrationNumber::from_random([n as u8, 7, 7, 7, 7]).as_str().to_string();
    // An argon2 hash, as PINs were kept before they were sealed: those still open.
    let hash = layan::server::secrets::hash_password(PIN).await.unwrap();
    sqlx::query("UPDATE applications SET registration_number = $1, pin_hash = $2, email = $3 WHERE id = $4")
        .bind(&number)
        .bind(hash)
        .bind(email)
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    (id, number)
}

/// Agus, a verifier of Kota Depok with a real password ([`PASSWORD`]).
pub async fn verifier(app: &TestApp) -> i64 {
    let username = Username::parse("agus").unwrap();
    let password = NewPassword::parse(PASSWORD, &username).unwrap();
    auth::create_staff(app.state.db.pool(), &username, "Agus Hermawan", &password, &[Role::Verifier], &["3276"]).await.unwrap()
}

/// A file part of a multipart body.
pub struct FilePart<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub mime: &'a str,
    pub content: &'a [u8],
}

/// A multipart body of text fields and perhaps one file (after them, as the forms send it):
/// (content type, body).
pub fn multipart(fields: &[(&str, &str)], file: Option<FilePart>) -> (String, Vec<u8>) {
    let boundary = "----layantestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some(file) = file {
        let FilePart { field, file_name, mime, content } = file;
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
