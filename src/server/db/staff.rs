//! Queries on staff accounts that several features share.

use crate::domain::workflow::Role;
use sqlx::AnyPool;

/// A staff member's roles and areas (regency or district codes), each sorted: one query.
pub async fn roles_and_areas(pool: &AnyPool, staff_id: i64) -> Result<(Vec<Role>, Vec<String>), sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'role', role FROM staff_roles WHERE staff_id = $1 UNION ALL SELECT 'area', region_code FROM staff_areas WHERE staff_id = $1",
    )
    .bind(staff_id)
    .fetch_all(pool)
    .await?;
    let mut roles: Vec<Role> = rows.iter().filter(|(k, _)| k == "role").filter_map(|(_, r)| Role::from_slug(r)).collect();
    let mut areas: Vec<String> = rows.into_iter().filter(|(k, _)| k == "area").map(|(_, a)| a).collect();
    roles.sort_by_key(|r| r.slug());
    roles.dedup();
    areas.sort();
    areas.dedup();
    Ok((roles, areas))
}
