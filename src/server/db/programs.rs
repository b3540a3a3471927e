//! Queries on the program catalogue.

use super::parse_column;
use crate::domain::eligibility::Eligibility;
use crate::domain::{DocumentKind, ProgramCode, WorkingDays};
use sqlx::{AnyPool, FromRow};
use std::collections::HashMap;

#[derive(FromRow)]
struct ProgramRow {
    id: i64,
    code: String,
    name_id: String,
    name_en: String,
    summary_id: String,
    summary_en: String,
    deadline_working_days: i64,
}

#[derive(FromRow)]
struct ServesRow {
    program_id: i64,
    name_id: String,
    name_en: String,
}

#[derive(FromRow)]
struct DocumentRow {
    program_id: i64,
    document_kind: String,
}

/// An open program with both names of everything bilingual (the feature picks the reader's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveProgram {
    pub code: ProgramCode,
    pub name_id: String,
    pub name_en: String,
    pub summary_id: String,
    pub summary_en: String,
    /// The PPKS categories it serves: (Indonesian name, English name).
    pub serves: Vec<(String, String)>,
    pub documents: Vec<DocumentKind>,
    pub deadline: WorkingDays,
}

/// Active programs in display order, with what they serve and ask for: three queries,
/// whatever the number of programs.
pub async fn active(pool: &AnyPool) -> Result<Vec<ActiveProgram>, sqlx::Error> {
    let programs: Vec<ProgramRow> = sqlx::query_as(
        "SELECT id, code, name_id, name_en, summary_id, summary_en, deadline_working_days \
         FROM programs WHERE active = TRUE ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;

    let serves: Vec<ServesRow> = sqlx::query_as(
        "SELECT pp.program_id, c.name_id, c.name_en \
         FROM program_ppks pp \
         JOIN ppks_categories c ON c.code = pp.ppks_code \
         JOIN programs p ON p.id = pp.program_id \
         WHERE p.active = TRUE ORDER BY pp.program_id, c.code",
    )
    .fetch_all(pool)
    .await?;
    let mut serves_by_program: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for row in serves {
        serves_by_program.entry(row.program_id).or_default().push((row.name_id, row.name_en));
    }

    let documents: Vec<DocumentRow> = sqlx::query_as(
        "SELECT pd.program_id, pd.document_kind \
         FROM program_documents pd JOIN programs p ON p.id = pd.program_id \
         WHERE p.active = TRUE ORDER BY pd.program_id, pd.position",
    )
    .fetch_all(pool)
    .await?;
    let mut documents_by_program: HashMap<i64, Vec<DocumentKind>> = HashMap::new();
    for row in documents {
        let kind = parse_column("document_kind", DocumentKind::from_slug(&row.document_kind).ok_or("unknown document kind"))?;
        documents_by_program.entry(row.program_id).or_default().push(kind);
    }

    programs
        .into_iter()
        .map(|row| {
            Ok(ActiveProgram {
                code: parse_column("code", ProgramCode::parse(&row.code))?,
                deadline: parse_column("deadline_working_days", WorkingDays::new(row.deadline_working_days))?,
                name_id: row.name_id,
                name_en: row.name_en,
                summary_id: row.summary_id,
                summary_en: row.summary_en,
                serves: serves_by_program.remove(&row.id).unwrap_or_default(),
                documents: documents_by_program.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The check's rules of every active program that has them.
pub async fn eligibility_rules(pool: &AnyPool) -> Result<HashMap<ProgramCode, Eligibility>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT code, eligibility FROM programs WHERE active = TRUE AND eligibility IS NOT NULL")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(code, json)| {
            Ok((
                parse_column("code", ProgramCode::parse(&code))?,
                parse_column("eligibility", serde_json::from_str::<Eligibility>(&json))?,
            ))
        })
        .collect()
}

/// An open program as the need step offers it, with the PPKS category codes it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramOffer {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub summary_id: String,
    pub summary_en: String,
    pub categories: Vec<i64>,
}

/// Open programs with the PPKS categories each serves: what the need step offers.
pub async fn choices(pool: &AnyPool) -> Result<Vec<ProgramOffer>, sqlx::Error> {
    let programs: Vec<ProgramRow> = sqlx::query_as(
        "SELECT id, code, name_id, name_en, summary_id, summary_en, deadline_working_days \
         FROM programs WHERE active = TRUE ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    let serves: Vec<(i64, i64)> = sqlx::query_as("SELECT program_id, ppks_code FROM program_ppks ORDER BY program_id, ppks_code")
        .fetch_all(pool)
        .await?;
    Ok(programs
        .into_iter()
        .map(|p| ProgramOffer {
            categories: serves.iter().filter(|(id, _)| *id == p.id).map(|(_, c)| *c).collect(),
            code: p.code,
            name_id: p.name_id,
            name_en: p.name_en,
            summary_id: p.summary_id,
            summary_en: p.summary_en,
        })
        .collect())
}

/// The catalogue's version (`catalogue_version`): every change to what residents are offered
/// counts it up.
pub async fn catalogue_version(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM catalogue_version WHERE id = 1").fetch_one(pool).await?;
    Ok(version)
}

/// The active PPKS categories, by code: (code, Indonesian name, English name).
pub async fn categories(pool: &AnyPool) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT code, name_id, name_en FROM ppks_categories WHERE active = TRUE ORDER BY code").fetch_all(pool).await
}

/// What an open program asks for, in order, and its deadline; `None` if it is not open.
pub async fn requirements(pool: &AnyPool, code: &str) -> Result<Option<(Vec<DocumentKind>, WorkingDays)>, sqlx::Error> {
    let program: Option<(i64, i64)> = sqlx::query_as("SELECT id, deadline_working_days FROM programs WHERE code = $1 AND active = TRUE")
        .bind(code)
        .fetch_optional(pool)
        .await?;
    let Some((id, deadline)) = program else { return Ok(None) };
    let kinds: Vec<(String,)> = sqlx::query_as("SELECT document_kind FROM program_documents WHERE program_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(pool)
        .await?;
    let deadline = parse_column("deadline_working_days", WorkingDays::new(deadline))?;
    Ok(Some((kinds.into_iter().filter_map(|(k,)| DocumentKind::from_slug(&k)).collect(), deadline)))
}
