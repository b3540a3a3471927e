//! The reports' data: the dashboard (`/petugas/laporan`, supervisors and administrators),
//! its CSV files and printable page, and the public statistics (`/statistik`). Loaders are
//! server-side functions like the other staff pages'. Every table is built once, here, as a
//! [`ReportTable`], and the page, the print page and the CSV all render that same table.

use crate::domain::report::{PeriodError, PublicCell, Summary};
use crate::error::AppError;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The dashboard's query, as typed in the filter form (a GET form: a report is a link).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub area: Option<String>,
    pub village: Option<String>,
    pub service_point: Option<String>,
}

pub mod fields {
    pub const FROM: &str = "dari";
    pub const TO: &str = "sampai";
    pub const AREA: &str = "wilayah";
    pub const VILLAGE: &str = "kelurahan";
    pub const SERVICE_POINT: &str = "layanan";
    pub const TABLE: &str = "tabel";
    pub const YEAR: &str = "tahun";
    /// The service point value meaning "online applications only".
    pub const ONLINE: &str = "daring";
}

impl ReportQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim().to_string());
        Self {
            from: get(fields::FROM),
            to: get(fields::TO),
            area: get(fields::AREA),
            village: get(fields::VILLAGE),
            service_point: get(fields::SERVICE_POINT),
        }
    }
}

/// What the dashboard shows: the choices it was made with and the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    pub from: String,
    pub to: String,
    pub period_problem: Option<PeriodError>,
    /// The area asked for was not the caller's (the report is for all their areas).
    pub area_refused: bool,
    /// `(code, name)`: the caller's areas and their districts; "" is all of them.
    pub areas: Vec<(String, String)>,
    pub area: String,
    /// Villages of the chosen district, if one is chosen.
    pub villages: Vec<(String, String)>,
    pub village: String,
    pub service_points: Vec<(String, String)>,
    pub service_point: String,
    /// Names of what the report is for: area, service point.
    pub area_name: String,
    pub service_point_name: String,
    pub summary: Summary,
    pub program_names: BTreeMap<i64, String>,
    pub category_names: BTreeMap<i64, String>,
    /// `(label, from, to)` of the periods offered as links: this month, last month, this year.
    pub shortcuts: Vec<(String, String, String)>,
    /// The query string that made this report (for CSV and print links).
    pub query: String,
    /// When it was made (office time, `YYYY-MM-DD HH:MM`).
    pub made_at: String,
}

impl ReportData {
    /// The query string of this report's area and service point over `from`–`to`: the link
    /// of the CSV files, the print page and the period shortcuts.
    pub fn link_query(&self, from: &str, to: &str) -> String {
        let mut q = format!("{}={from}&{}={to}", fields::FROM, fields::TO);
        for (name, value) in [(fields::AREA, &self.area), (fields::VILLAGE, &self.village), (fields::SERVICE_POINT, &self.service_point)] {
            if !value.is_empty() {
                q.push_str(&format!("&{name}={value}"));
            }
        }
        q
    }

    /// "period · area · service point", the line that says what the report covers.
    pub fn scope_line(&self, lang: Lang) -> String {
        (lang.reports().showing)(&format!("{} – {}", self.from, self.to), &self.area_name, &self.service_point_name)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReportOutcome {
    SignedOut,
    NotForYou,
    Ready(Box<ReportData>),
}

/// One value in a report table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Count(u64),
    /// Working days.
    Days(u32),
    /// A share in whole percent; none when there is nothing to divide.
    Percent(Option<u64>),
    Text(String),
    /// A public figure, protected by the small-cell rule.
    Public(PublicCell),
}

impl Value {
    /// As written in a CSV file: plain digits, no grouping.
    pub fn plain(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Days(n) => n.to_string(),
            Value::Percent(Some(p)) => p.to_string(),
            Value::Percent(None) | Value::Public(PublicCell::Hidden) => String::new(),
            Value::Text(t) => t.clone(),
            Value::Public(PublicCell::Count(n)) => n.to_string(),
            Value::Public(PublicCell::Small) => "<5".to_string(),
        }
    }

    /// As shown on a page: thousands grouped the reader's way (1.234 or 1,234).
    pub fn shown(&self, lang: Lang) -> String {
        match self {
            Value::Count(n) | Value::Public(PublicCell::Count(n)) => group_thousands(*n, lang),
            Value::Percent(None) => "–".to_string(),
            Value::Public(PublicCell::Hidden) => "•".to_string(),
            other => other.plain(),
        }
    }

    /// The number a chart draws.
    pub fn magnitude(&self) -> u64 {
        match self {
            Value::Count(n) | Value::Public(PublicCell::Count(n)) => *n,
            Value::Days(n) => *n as u64,
            Value::Percent(Some(p)) => *p,
            _ => 0,
        }
    }
}

pub fn group_thousands(n: u64, lang: Lang) -> String {
    let sep = if lang == Lang::Id { '.' } else { ',' };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    pub label: String,
    pub values: Vec<Value>,
}

/// How a table is best looked at, besides read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chart {
    None,
    /// Horizontal bars of the first value column.
    Bars,
    /// A line per value column, over the rows (weeks).
    Lines,
}

/// A report table: what the page, the print page and the CSV file all show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTable {
    /// Its name in links and file names (`program`).
    pub slug: String,
    pub title: String,
    /// The first column's header, then one per value.
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
    pub chart: Chart,
    pub note: Option<String>,
}

impl ReportTable {
    /// The CSV file: UTF-8 with a byte-order mark (so spreadsheet programs read it as
    /// UTF-8), CRLF line ends, fields quoted when needed, and a text that a spreadsheet
    /// would run as a formula made inert.
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{FEFF}");
        let mut line = |cells: Vec<String>| {
            out.push_str(&cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        };
        line(self.header.clone());
        for row in &self.rows {
            let mut cells = vec![row.label.clone()];
            cells.extend(row.values.iter().map(Value::plain));
            line(cells);
        }
        out
    }
}

fn csv_field(text: &str) -> String {
    // "=1+1", "+…", "-…", "@…" would be formulas; "<5" and negative numbers never occur as
    // labels, so a leading apostrophe only ever guards a name someone typed.
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// Every table of a dashboard report, in page order.
pub fn report_tables(data: &ReportData, lang: Lang) -> Vec<ReportTable> {
    use crate::domain::workflow::Status;
    let r = lang.reports();
    let s = lang.staff();
    let t = lang.texts();
    let sum = &data.summary;
    let count_header = |first: &str| vec![first.to_string(), r.count_column.to_string()];
    let counts = |rows: Vec<(String, u64)>| -> Vec<TableRow> {
        rows.into_iter().map(|(label, n)| TableRow { label, values: vec![Value::Count(n)] }).collect()
    };
    let outcome = |status: Status| sum.decided.iter().find(|(o, _)| *o == status).map(|(_, n)| *n).unwrap_or(0);
    let program_name = |id: &i64| data.program_names.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    let mut summary_rows = counts(vec![
            (r.received.to_string(), sum.received),
            (r.decided.to_string(), sum.decided_total()),
            (r.approved.to_string(), outcome(Status::Approved)),
            (r.rejected.to_string(), outcome(Status::Rejected)),
            (r.referred.to_string(), outcome(Status::Referred)),
            (r.served.to_string(), sum.served),
            (r.overdue.to_string(), sum.overdue),
            (r.complaints_received.to_string(), sum.complaints_received),
            (r.complaints_closed.to_string(), sum.complaints_closed),
    ]);
    summary_rows.insert(2, TableRow { label: r.median_days.to_string(), values: vec![Value::Days(sum.median_days)] });
    summary_rows.insert(3, TableRow { label: r.p90_days.to_string(), values: vec![Value::Days(sum.p90_days)] });
    let summary = ReportTable {
        slug: "ringkasan".to_string(),
        title: r.summary_title.to_string(),
        header: vec![r.measure_column.to_string(), r.count_column.to_string()],
        rows: summary_rows,
        chart: Chart::None,
        note: None,
    };
    let status = ReportTable {
        slug: "status".to_string(),
        title: r.status_title.to_string(),
        header: count_header(r.status_column),
        rows: counts(sum.by_status.iter().map(|(st, n)| ((s.status)(*st).to_string(), *n)).collect()),
        chart: Chart::Bars,
        note: None,
    };
    let mut program_ids: Vec<i64> = sum.by_program.keys().chain(sum.decided_by_program.keys()).copied().collect();
    program_ids.sort_by_key(|id| (std::cmp::Reverse(sum.by_program.get(id).copied().unwrap_or(0)), *id));
    program_ids.dedup();
    let program = ReportTable {
        slug: "program".to_string(),
        title: r.program_title.to_string(),
        header: vec![
            r.program_column.to_string(),
            r.received.to_string(),
            r.approved.to_string(),
            r.rejected.to_string(),
            r.referred.to_string(),
        ],
        rows: program_ids
            .iter()
            .map(|id| {
                let decided = sum.decided_by_program.get(id);
                let of = |st: Status| decided.and_then(|d| d.get(&st)).copied().unwrap_or(0);
                TableRow {
                    label: program_name(id),
                    values: vec![
                        Value::Count(sum.by_program.get(id).copied().unwrap_or(0)),
                        Value::Count(of(Status::Approved)),
                        Value::Count(of(Status::Rejected)),
                        Value::Count(of(Status::Referred)),
                    ],
                }
            })
            .collect(),
        chart: Chart::Bars,
        note: None,
    };
    let mut categories: Vec<(i64, u64)> = sum.by_category.iter().map(|(c, n)| (*c, *n)).collect();
    categories.sort_by_key(|(c, n)| (std::cmp::Reverse(*n), *c));
    let category = ReportTable {
        slug: "kategori".to_string(),
        title: r.category_title.to_string(),
        header: count_header(r.category_column),
        rows: counts(
            categories
                .into_iter()
                .map(|(code, n)| (data.category_names.get(&code).cloned().unwrap_or_else(|| format!("#{code}")), n))
                .collect(),
        ),
        chart: Chart::Bars,
        note: None,
    };
    let channel = ReportTable {
        slug: "saluran".to_string(),
        title: r.channel_title.to_string(),
        header: count_header(r.channel_column),
        rows: counts(sum.by_channel.iter().map(|(c, n)| ((r.channel)(*c).to_string(), *n)).collect()),
        chart: Chart::Bars,
        note: None,
    };
    let sex = ReportTable {
        slug: "jenis-kelamin".to_string(),
        title: r.sex_title.to_string(),
        header: count_header(r.sex_column),
        rows: counts(sum.by_sex.iter().map(|(x, n)| ((r.sex)(*x).to_string(), *n)).collect()),
        chart: Chart::Bars,
        note: None,
    };
    let age = ReportTable {
        slug: "usia".to_string(),
        title: r.age_title.to_string(),
        header: count_header(r.age_column),
        rows: counts(sum.by_age.iter().map(|(a, n)| ((t.age_group)(*a).to_string(), *n)).collect()),
        chart: Chart::Bars,
        note: None,
    };
    let speed = ReportTable {
        slug: "lama-keputusan".to_string(),
        title: r.speed_title.to_string(),
        header: vec![
            r.program_column.to_string(),
            r.decisions_column.to_string(),
            r.median_column.to_string(),
            r.p90_column.to_string(),
            r.deadline_column.to_string(),
            r.on_time_column.to_string(),
        ],
        rows: sum
            .speed
            .iter()
            .map(|(id, sp)| TableRow {
                label: program_name(id),
                values: vec![
                    Value::Count(sp.decisions),
                    Value::Days(sp.median),
                    Value::Days(sp.p90),
                    sp.deadline.map(|d| Value::Days(d as u32)).unwrap_or(Value::Percent(None)),
                    Value::Percent(sp.deadline.and((sp.decisions > 0).then(|| sp.within_deadline * 100 / sp.decisions))),
                ],
            })
            .collect(),
        chart: Chart::None,
        note: Some(r.speed_intro.to_string()),
    };
    let trend = ReportTable {
        slug: "tren".to_string(),
        title: r.trend_title.to_string(),
        header: vec![r.week_column.to_string(), r.received.to_string(), r.decided.to_string()],
        rows: sum
            .weeks
            .iter()
            .map(|w| TableRow { label: w.starts.to_string(), values: vec![Value::Count(w.received), Value::Count(w.decided)] })
            .collect(),
        chart: Chart::Lines,
        note: None,
    };
    vec![summary, trend, status, program, speed, category, channel, sex, age]
}

/// The shortcut periods offered above the report: this month, last month, this year.
pub fn shortcuts(today: crate::domain::Date, lang: Lang) -> Vec<(String, String, String)> {
    use crate::domain::report::Period;
    let r = lang.reports();
    [(r.this_month, Period::month_of(today)), (r.last_month, Period::month_before(today)), (r.this_year, Period::year(today.year()))]
        .into_iter()
        .map(|(label, p)| (label.to_string(), p.from().to_string(), p.to().to_string()))
        .collect()
}

crate::api::loader! {
    pub async fn report(query: ReportQuery) -> Result<ReportOutcome, AppError> {
        let Some(me) = crate::api::staff::signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(ReportOutcome::SignedOut);
        };
        let state = crate::server::state::app_state()?;
        crate::server::reports::report(&state, &me, &query, crate::i18n::detect_lang()).await
    }
}

/// The public statistics of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStats {
    pub year: i32,
    pub years: Vec<i32>,
    pub received: PublicCell,
    pub approved: PublicCell,
    pub tables: Vec<ReportTable>,
}

crate::api::loader! {
    pub async fn public_stats(year: Option<String>) -> Result<PublicStats, AppError> {
        let state = crate::server::state::app_state()?;
        crate::server::reports::public_stats(&state, year.as_deref(), crate::i18n::detect_lang()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_open_in_spreadsheets_as_written() {
        let table = ReportTable {
            slug: "program".to_string(),
            title: "Menurut program".into(),
            header: vec!["Program".into(), "Jumlah".into()],
            rows: vec![
                TableRow { label: "Rehabilitasi, rumah \"RTLH\"".into(), values: vec![Value::Count(1234)] },
                TableRow { label: "=HYPERLINK(\"x\")".into(), values: vec![Value::Public(PublicCell::Small)] },
            ],
            chart: Chart::Bars,
            note: None,
        };
        assert_eq!(
            table.csv(),
            "\u{FEFF}Program,Jumlah\r\n\"Rehabilitasi, rumah \"\"RTLH\"\"\",1234\r\n\"'=HYPERLINK(\"\"x\"\")\",<5\r\n"
        );
    }

    #[test]
    fn thousands_are_grouped_the_readers_way() {
        assert_eq!(group_thousands(1_234_567, Lang::Id), "1.234.567");
        assert_eq!(group_thousands(1_234_567, Lang::En), "1,234,567");
        assert_eq!(group_thousands(999, Lang::Id), "999");
        assert_eq!(group_thousands(0, Lang::Id), "0");
    }
}
