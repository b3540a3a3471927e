//! Service points (Puskesos, SLRT points, the office) residents can visit.

use sqlx::AnyPool;

/// An open service point and the names of the regions it lies in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedPoint {
    pub name: String,
    pub address: String,
    pub village: String,
    pub district: String,
    pub regency: String,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
}

/// Every open service point with the province it lies in, by province, regency, district
/// and name (a city or province has tens to a few hundred: the catalogue keeps them all).
pub async fn open_points(pool: &AnyPool) -> Result<Vec<(String, ListedPoint)>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT r.province_code, s.name, s.address, v.name, d.name, r.name, s.phone, s.opening_hours FROM service_points s \
         JOIN villages v ON v.code = s.village_code JOIN districts d ON d.code = v.district_code \
         JOIN regencies r ON r.code = d.regency_code \
         WHERE s.active = TRUE ORDER BY r.province_code, r.name, d.name, s.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(province, name, address, village, district, regency, phone, opening_hours)| {
            (province, ListedPoint { name, address, village, district, regency, phone, opening_hours })
        })
        .collect())
}

/// The open service points a staff member works at: (id, name), by name.
pub async fn of_staff(pool: &AnyPool, staff_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name FROM staff_service_points ss JOIN service_points s ON s.id = ss.service_point_id \
         WHERE ss.staff_id = $1 AND s.active = TRUE ORDER BY s.name",
    )
    .bind(staff_id)
    .fetch_all(pool)
    .await
}
