//! Queries on the program catalogue.

use super::parse_column;
use crate::api::programs::ProgramSummary;
use crate::domain::eligibility::Eligibility;
use crate::domain::{DocumentKind, ProgramCode, WorkingDays};
use crate::i18n::Lang;
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

fn pick(lang: Lang, id: String, en: String) -> String {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// Active programs in display order, with what they serve and ask for: three queries,
/// whatever the number of programs.
pub async fn active(pool: &AnyPool, lang: Lang) -> Result<Vec<ProgramSummary>, sqlx::Error> {
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
    let mut serves_by_program: HashMap<i64, Vec<String>> = HashMap::new();
    for row in serves {
        serves_by_program.entry(row.program_id).or_default().push(pick(lang, row.name_id, row.name_en));
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
            Ok(ProgramSummary {
                code: parse_column("code", ProgramCode::parse(&row.code))?,
                deadline: parse_column("deadline_working_days", WorkingDays::new(row.deadline_working_days))?,
                name: pick(lang, row.name_id, row.name_en),
                summary: pick(lang, row.summary_id, row.summary_en),
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
