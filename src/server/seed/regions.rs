//! Loads the official region list (npm `idn-area-data`, ODbL) into the database.
//!
//! The CSV files are compiled into the binary. Rows go in with multi-row inserts inside
//! one transaction, which takes about 2 seconds for all 91,599 regions; re-running is
//! harmless (existing codes are updated, so a newer dataset renames regions in place).

use crate::server::db::{Db, now_utc, values_placeholders};
use sqlx::{Any, Transaction};
use std::time::{Duration, Instant};

pub const IDN_AREA_DATA_VERSION: &str = "4.0.1";
const DATASET: &str = "idn-area-data";

const PROVINCES: &str = include_str!("../../../reference/idn-area-data/provinces.csv");
const REGENCIES: &str = include_str!("../../../reference/idn-area-data/regencies.csv");
const DISTRICTS: &str = include_str!("../../../reference/idn-area-data/districts.csv");
const VILLAGES: &str = include_str!("../../../reference/idn-area-data/villages.csv");

/// Rows per INSERT: 3 values each keeps a statement well under both databases' limits on
/// bound parameters (SQLite 32,766; PostgreSQL 65,535).
const BATCH: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file} line {line}: {problem}")]
    Csv { file: &'static str, line: usize, problem: &'static str },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// One CSV row: `code,parent_code,name` (provinces have no parent).
#[derive(Debug, PartialEq, Eq)]
pub struct RegionRow {
    pub code: String,
    pub parent: Option<String>,
    pub name: String,
}

/// Splits one CSV line (RFC 4180 quoting: `"Ra""as"`, `"Lubuk Pakam I,II"`).
fn split_csv_line(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

/// Parses one of the embedded files; `digits` is the code length of its level.
pub fn parse_file(file: &'static str, text: &str, digits: usize) -> Result<Vec<RegionRow>, ImportError> {
    let err = |line: usize, problem| ImportError::Csv { file, line, problem };
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        let line_no = index + 1;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields = split_csv_line(line).ok_or_else(|| err(line_no, "unclosed quote"))?;
        let (code, parent, name) = match (digits, fields.as_slice()) {
            (2, [code, name]) => (code, None, name),
            (_, [code, parent, name]) if digits > 2 => (code, Some(parent), name),
            _ => return Err(err(line_no, "wrong number of fields")),
        };
        let code: String = code.chars().filter(|c| *c != '.').collect();
        if code.len() != digits || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(line_no, "malformed code"));
        }
        let parent = parent.map(|p| p.chars().filter(|c| *c != '.').collect::<String>());
        if let Some(p) = &parent {
            if !code.starts_with(p.as_str()) {
                return Err(err(line_no, "code does not start with its parent's"));
            }
        }
        if name.trim().is_empty() {
            return Err(err(line_no, "empty name"));
        }
        rows.push(RegionRow { code, parent, name: name.trim().to_string() });
    }
    Ok(rows)
}

async fn insert(tx: &mut Transaction<'static, Any>, table: &str, parent_column: Option<&str>, rows: &[RegionRow]) -> Result<(), sqlx::Error> {
    let columns = if parent_column.is_some() { 3 } else { 2 };
    let column_list = match parent_column {
        Some(parent) => format!("code, {parent}, name"),
        None => "code, name".to_string(),
    };
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO {table} ({column_list}) VALUES {} \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            values_placeholders(chunk.len(), columns)
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query.bind(row.code.as_str());
            if parent_column.is_some() {
                query = query.bind(row.parent.as_deref().unwrap_or_default());
            }
            query = query.bind(row.name.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[derive(Debug)]
pub struct RegionImport {
    pub rows: usize,
    pub took: Duration,
    /// False when this dataset version was already loaded and nothing was done.
    pub imported: bool,
}

/// Loads the embedded dataset unless this version is already in the database.
pub async fn import(db: &Db) -> Result<RegionImport, ImportError> {
    let started = Instant::now();
    let loaded: Option<(String,)> = sqlx::query_as("SELECT version FROM reference_imports WHERE dataset = $1")
        .bind(DATASET)
        .fetch_optional(db.pool())
        .await?;
    if loaded.is_some_and(|(v,)| v == IDN_AREA_DATA_VERSION) {
        return Ok(RegionImport { rows: 0, took: started.elapsed(), imported: false });
    }

    let provinces = parse_file("provinces.csv", PROVINCES, 2)?;
    let regencies = parse_file("regencies.csv", REGENCIES, 4)?;
    let districts = parse_file("districts.csv", DISTRICTS, 6)?;
    let villages = parse_file("villages.csv", VILLAGES, 10)?;
    let rows = provinces.len() + regencies.len() + districts.len() + villages.len();

    let mut tx = db.pool().begin().await?;
    insert(&mut tx, "provinces", None, &provinces).await?;
    insert(&mut tx, "regencies", Some("province_code"), &regencies).await?;
    insert(&mut tx, "districts", Some("regency_code"), &districts).await?;
    insert(&mut tx, "villages", Some("district_code"), &villages).await?;
    sqlx::query(
        "INSERT INTO reference_imports (dataset, version, row_count, imported_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (dataset) DO UPDATE SET version = excluded.version, row_count = excluded.row_count, \
         imported_at = excluded.imported_at",
    )
    .bind(DATASET)
    .bind(IDN_AREA_DATA_VERSION)
    .bind(rows as i64)
    .bind(now_utc())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RegionImport { rows, took: started.elapsed(), imported: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_and_doubled_quotes() {
        assert_eq!(split_csv_line(r#"35.29.22,35.29,"Ra""as""#).unwrap(), ["35.29.22", "35.29", "Ra\"as"]);
        assert_eq!(split_csv_line(r#"1,2,"Lubuk Pakam I,II""#).unwrap(), ["1", "2", "Lubuk Pakam I,II"]);
        assert_eq!(split_csv_line("a,,c").unwrap(), ["a", "", "c"]);
        assert!(split_csv_line(r#"1,"open"#).is_none());
    }

    #[test]
    fn the_embedded_files_hold_every_region_of_indonesia() {
        assert_eq!(parse_file("provinces.csv", PROVINCES, 2).unwrap().len(), 38);
        assert_eq!(parse_file("regencies.csv", REGENCIES, 4).unwrap().len(), 514);
        assert_eq!(parse_file("districts.csv", DISTRICTS, 6).unwrap().len(), 7_285);
        let villages = parse_file("villages.csv", VILLAGES, 10).unwrap();
        assert_eq!(villages.len(), 83_762);
        assert!(villages.iter().any(|v| v.code == "3276011006" && v.name == "Depok"));
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let err = parse_file("x.csv", "code,parent,name\n32.76,32,Kota Depok\n32.7x,32,Bad\n", 4).unwrap_err();
        assert_eq!(err.to_string(), "x.csv line 3: malformed code");
        let err = parse_file("x.csv", "code,parent,name\n33.76,32,Wrong parent\n", 4).unwrap_err();
        assert!(err.to_string().contains("parent"));
        let err = parse_file("x.csv", "code,name\n32\n", 2).unwrap_err();
        assert!(err.to_string().contains("fields"));
    }
}
