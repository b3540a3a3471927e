//! Demo records, loaded only when `LAYAN_DEMO` is set: service points in Kota Depok and
//! Kota Jayapura so every page has something to show. Addresses are illustrative.

use crate::domain::staff::{NewPassword, Username};
use crate::domain::workflow::Role;
use crate::server::db::{Db, now_utc};

/// `(code, name, kind, address, village code)`.
pub const SERVICE_POINTS: [(&str, &str, &str, &str, &str); 5] = [
    ("depok-dinsos", "Layanan SLRT Dinas Sosial Kota Depok", "dinas", "Jl. Margonda Raya, Pancoran Mas, Depok", "3276011008"),
    ("depok-puskesos-depok", "Puskesos Kelurahan Depok", "puskesos", "Kantor Kelurahan Depok, Pancoran Mas", "3276011006"),
    ("depok-puskesos-cimanggis", "Puskesos Kecamatan Cimanggis", "slrt", "Kantor Kecamatan Cimanggis, Tugu, Depok", "3276021009"),
    ("jayapura-dinsos", "Layanan SLRT Dinas Sosial Kota Jayapura", "dinas", "Entrop, Jayapura Selatan, Kota Jayapura", "9171021005"),
    ("jayapura-puskesos-abepura", "Puskesos Distrik Abepura", "puskesos", "Kota Baru, Abepura, Kota Jayapura", "9171031012"),
];

/// Demo staff, all with the password [`DEMO_PASSWORD`] (listed in the README): one per role,
/// working Kota Depok. `(username, full name, role)`.
pub const STAFF: [(&str, &str, Role); 5] = [
    ("petugas.depok", "Rina Puspitasari", Role::FrontDesk),
    ("verifikator.depok", "Agus Hermawan", Role::Verifier),
    ("pendamping.depok", "Dewi Lestari", Role::FieldAssessor),
    ("kasi.depok", "Bambang Sutrisno", Role::Supervisor),
    ("admin.demo", "Admin Demo", Role::Administrator),
];
pub const DEMO_PASSWORD: &str = "layan-demo-2026";

/// The demo staff accounts; existing ones are left as they are.
pub async fn seed_staff(db: &Db) -> Result<(), crate::server::auth::CreateStaffError> {
    for (username, full_name, role) in STAFF {
        let username = Username::parse(username).expect("demo usernames are valid");
        let password = NewPassword::parse(DEMO_PASSWORD, &username).expect("the demo password follows the rule");
        let areas: &[&str] = if role == Role::Administrator { &[] } else { &["3276"] };
        match crate::server::auth::create_staff(db.pool(), &username, full_name, &password, &[role], areas).await {
            Ok(id) if role != Role::Administrator => {
                // Depok's staff work at Depok's service points.
                sqlx::query("INSERT INTO staff_service_points (staff_id, service_point_id) SELECT $1, id FROM service_points WHERE code LIKE 'depok-%'")
                    .bind(id)
                    .execute(db.pool())
                    .await?;
            }
            Ok(_) => {}
            // Deactivated by a start outside demo mode: back in demo mode, it works again.
            Err(crate::server::auth::CreateStaffError::Taken) => {
                if let Some((id, false)) = demo_account(db, username.as_str()).await? {
                    crate::server::db::admin::set_staff_active(db.pool(), None, id, true).await?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The id and active flag of `username`, if it is a demo account: the demo name *and* the
/// published demo password. A real account that happens to have a demo name keeps its own.
async fn demo_account(db: &Db, username: &str) -> Result<Option<(i64, bool)>, sqlx::Error> {
    // The flag is read as a number: the Any driver cannot decode SQLite's BOOLEAN.
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, password_hash, CASE WHEN active THEN 1 ELSE 0 END FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(db.pool())
            .await?;
    let Some((id, hash, active)) = row else { return Ok(None) };
    let is_demo = crate::server::secrets::verify_password(DEMO_PASSWORD, &hash).await == Ok(true);
    Ok(is_demo.then_some((id, active != 0)))
}

/// Outside demo mode: the demo accounts (whose password is printed in the README) are
/// deactivated and their sessions ended. Returns how many were.
pub async fn retire_staff(db: &Db) -> Result<usize, sqlx::Error> {
    let mut retired = 0;
    for (username, _, _) in STAFF {
        if let Some((id, true)) = demo_account(db, username).await? {
            crate::server::db::admin::set_staff_active(db.pool(), None, id, false).await?;
            retired += 1;
        }
    }
    Ok(retired)
}

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let now = now_utc();
    let mut tx = db.pool().begin().await?;
    for (code, name, kind, address, village) in SERVICE_POINTS {
        sqlx::query(
            "INSERT INTO service_points (code, name, kind, address, village_code, opening_hours, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(name)
        .bind(kind)
        .bind(address)
        .bind(village)
        .bind("Senin–Jumat 08.00–15.00")
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
