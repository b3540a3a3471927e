//! `/petugas/laporan` (the dashboard), `/petugas/laporan/cetak` (the same report on A4) and
//! `/statistik` (public figures). Server-rendered, no islands: the charts are SVG drawn on the
//! server, so they show without JavaScript and print; each sits beside the table it draws,
//! which is what screen readers read (the chart itself is hidden from them).

use crate::api::reports::{
    Chart, PublicStats, ReportData, ReportOutcome, ReportQuery, ReportTable, Value, fields, public_stats, report, report_tables,
};
use crate::components::form::{ErrorSummary, SelectField, TextField};
use crate::domain::report::PublicCell;
use crate::i18n::{use_lang, use_report_texts, use_staff_texts, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn load_failed(e: crate::error::AppError) -> AnyView {
    let t = use_texts();
    view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any()
}

/// The dashboard's and the print page's answer when there is no report to show.
fn report_view(outcome: Result<ReportOutcome, crate::error::AppError>, ready: impl FnOnce(ReportData) -> AnyView) -> AnyView {
    let r = use_report_texts();
    let s = use_staff_texts();
    match outcome {
        Ok(ReportOutcome::Ready(data)) => ready(*data),
        Ok(ReportOutcome::NotForYou) => view! { <p>{r.not_for_you}</p> }.into_any(),
        Ok(ReportOutcome::SignedOut) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
        Err(e) => load_failed(e),
    }
}

fn query_pairs() -> Vec<(String, String)> {
    use_query_map().with_untracked(|q| q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Horizontal bars of the first value column, one per row, labelled.
#[component]
fn BarChart(table: ReportTable) -> impl IntoView {
    const ROW: f64 = 30.0;
    const WIDTH: f64 = 400.0;
    let lang = use_lang();
    let max = table.rows.iter().map(|r| r.values.first().map(Value::magnitude).unwrap_or(0)).max().unwrap_or(0).max(1) as f64;
    let height = (table.rows.len() as f64 * ROW).max(ROW);
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") width="100%" aria-hidden="true" focusable="false">
            {table.rows.iter().enumerate().map(|(i, row)| {
                let value = row.values.first().cloned().unwrap_or(Value::Count(0));
                let y = i as f64 * ROW;
                let bar = value.magnitude() as f64 / max * (WIDTH - 60.0);
                view! {
                    <text class="chart-label" x="0" y=y + 11.0>{row.label.clone()}</text>
                    <rect class="chart-bar" x="0" y=y + 14.0 width=format!("{bar:.1}") height="10" rx="2"/>
                    <text class="chart-value" x=bar + 4.0 y=y + 23.0>{value.shown(lang)}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// A line per value column over the rows (weeks), with the first and last week named.
#[component]
fn LineChart(table: ReportTable) -> impl IntoView {
    const WIDTH: f64 = 400.0;
    const HEIGHT: f64 = 180.0;
    const LEFT: f64 = 36.0;
    const BOTTOM: f64 = 24.0;
    let lang = use_lang();
    let columns = table.header.len().saturating_sub(1);
    let max = table.rows.iter().flat_map(|r| r.values.iter().map(Value::magnitude)).max().unwrap_or(0).max(1);
    let step = if table.rows.len() > 1 { (WIDTH - LEFT - 8.0) / (table.rows.len() - 1) as f64 } else { 0.0 };
    let y_of = |v: u64| 8.0 + (HEIGHT - BOTTOM - 8.0) * (1.0 - v as f64 / max as f64);
    let lines = (0..columns)
        .map(|c| {
            let points = table
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{:.1},{:.1}", LEFT + i as f64 * step, y_of(r.values.get(c).map(Value::magnitude).unwrap_or(0))))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <polyline class=format!("chart-line chart-line-{c}") points=points fill="none"/> }
        })
        .collect_view();
    let first = table.rows.first().map(|r| r.label.clone()).unwrap_or_default();
    let last = table.rows.last().map(|r| r.label.clone()).unwrap_or_default();
    let legend = table.header.iter().skip(1).enumerate().map(|(c, name)| {
        let x = LEFT + c as f64 * 150.0;
        view! {
            <rect class=format!("chart-key chart-line-{c}") x=x y=HEIGHT - 8.0 width="12" height="4"/>
            <text class="chart-label" x=x + 16.0 y=HEIGHT - 3.0>{name.clone()}</text>
        }
    }).collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 4.0) width="100%" aria-hidden="true" focusable="false">
            <line class="chart-axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM/>
            <text class="chart-value" x="0" y="14">{crate::api::reports::group_thousands(max, lang)}</text>
            <text class="chart-value" x="0" y=HEIGHT - BOTTOM>"0"</text>
            {lines}
            <text class="chart-label" x=LEFT y=HEIGHT - BOTTOM + 12.0>{first}</text>
            <text class="chart-label" x=WIDTH text-anchor="end" y=HEIGHT - BOTTOM + 12.0>{last}</text>
            {legend}
        </svg>
    }
}

/// The download link of one table as a CSV file, for the report's query.
#[component]
fn CsvLink(slug: String, title: String, query: String) -> impl IntoView {
    let r = use_report_texts();
    view! {
        <p class="no-print">
            <a href=format!("/petugas/laporan/unduh?{}={slug}&{query}", fields::TABLE) download="">{(r.csv_link)(&title)}</a>
        </p>
    }
}

/// A table of a report, with its chart beside it and, on the dashboard, its CSV link.
#[component]
fn ReportSection(table: ReportTable, csv_query: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let heading = format!("tabel-{}", table.slug);
    let labelled_by = heading.clone();
    let csv = csv_query.map(|query| view! { <CsvLink slug=table.slug.clone() title=table.title.clone() query/> });
    let chart = match table.chart {
        Chart::Bars => Some(view! { <figure class="report-chart"><BarChart table=table.clone()/></figure> }.into_any()),
        Chart::Lines => Some(view! { <figure class="report-chart"><LineChart table=table.clone()/></figure> }.into_any()),
        Chart::None => None,
    };
    view! {
        <section class="report-section" aria-labelledby=labelled_by>
            <h2 id=heading>{table.title.clone()}</h2>
            {table.note.clone().map(|n| view! { <p class="hint">{n}</p> })}
            <div class="report-pair">
                {chart}
                <div class="table-scroll">
                    <table class="report-table">
                        <thead>
                            <tr>
                                {table.header.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {table.rows.iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{row.label.clone()}</th>
                                    {row.values.iter().map(|v| view! { <td class="number">{v.shown(lang)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
            {csv}
        </section>
    }
}

/// The summary as big figures, with its CSV link.
#[component]
fn ReportFigures(table: ReportTable, csv_query: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let csv = csv_query.map(|query| view! { <CsvLink slug=table.slug.clone() title=table.title.clone() query/> });
    view! {
        <section class="report-section" aria-labelledby="tabel-ringkasan">
            <h2 id="tabel-ringkasan">{table.title.clone()}</h2>
            <dl class="report-figures">
                {table.rows.iter().map(|row| view! {
                    <div>
                        <dt>{row.label.clone()}</dt>
                        <dd>{row.values.first().map(|v| v.shown(lang)).unwrap_or_default()}</dd>
                    </div>
                }).collect_view()}
            </dl>
            {csv}
        </section>
    }
}

/// The filter form: a GET form, so every report is a link (and works without JavaScript).
#[component]
fn ReportFilter(data: ReportData) -> impl IntoView {
    let r = use_report_texts();
    let shortcut_links: Vec<(String, String)> =
        data.shortcuts.iter().map(|(label, from, to)| (label.clone(), format!("/petugas/laporan?{}", data.link_query(from, to)))).collect();
    view! {
        <form method="get" action="/petugas/laporan" class="report-filter no-print" aria-label=r.filter_heading>
            <h2>{r.filter_heading}</h2>
            <div class="report-filter-dates">
                <TextField name=fields::FROM label=r.from_label value=data.from.clone() hint=Some(r.date_hint) error=None input_type="date"/>
                <TextField name=fields::TO label=r.to_label value=data.to.clone() hint=Some(r.date_hint) error=None input_type="date"/>
            </div>
            <SelectField name=fields::AREA label=r.area_label.to_string() options=data.areas.clone() selected=data.area.clone() placeholder=r.area_all hint=None error=None/>
            {(!data.villages.is_empty()).then(|| view! {
                <SelectField name=fields::VILLAGE label=r.village_label.to_string() options=data.villages.clone() selected=data.village.clone() placeholder=r.village_all hint=None error=None/>
            })}
            <SelectField name=fields::SERVICE_POINT label=r.service_point_label.to_string() options=data.service_points.clone() selected=data.service_point.clone() placeholder=r.service_point_all hint=None error=None/>
            <button type="submit" class="button">{r.show_button}</button>
            <p class="report-shortcuts">
                {shortcut_links.into_iter().map(|(label, href)| view! { <a class="button button-secondary" href=href>{label}</a>" " }).collect_view()}
            </p>
        </form>
    }
}

/// `/petugas/laporan?dari=…&sampai=…&wilayah=…&kelurahan=…&layanan=…`
#[component]
pub fn ReportPage() -> impl IntoView {
    let t = use_texts();
    let r = use_report_texts();
    let s = use_staff_texts();
    let query = ReportQuery::from_pairs(&query_pairs());
    let data = Resource::new(|| (), move |_| report(query.clone()));
    view! {
        <Title text=format!("{} · {}", r.title, t.site_name)/>
        <p class="no-print"><a href="/petugas">{s.home_title}</a></p>
        <h1>{r.title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move { report_view(data.await, |data| view! { <ReportContent data/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ReportContent(data: ReportData) -> impl IntoView {
    let r = use_report_texts();
    let lang = use_lang();
    let mut problems = Vec::new();
    if let Some(p) = data.period_problem {
        problems.push((fields::FROM.to_string(), (r.period_problem)(p)));
    }
    if data.area_refused {
        problems.push((fields::AREA.to_string(), r.area_refused));
    }
    let tables = report_tables(&data, lang);
    let showing = data.scope_line(lang);
    let query = data.query.clone();
    let empty = data.summary.received == 0 && data.summary.decided_total() == 0 && data.summary.complaints_received == 0;
    let mut tables = tables.into_iter();
    let figures = tables.next();
    view! {
        <ErrorSummary errors=problems/>
        <p>{r.intro}</p>
        <ReportFilter data=data.clone()/>
        <p class="report-scope"><strong>{showing}</strong></p>
        <p class="no-print"><a class="button button-secondary" href=format!("/petugas/laporan/cetak?{query}")>{r.print_link}</a></p>
        {empty.then(|| view! { <p>{r.no_data}</p> })}
        {figures.map(|table| view! { <ReportFigures table csv_query=Some(query.clone())/> })}
        {tables.map(|table| view! { <ReportSection table csv_query=Some(query.clone())/> }).collect_view()}
    }
}

/// `/petugas/laporan/cetak?…`: the same report laid out for A4, for the monthly report.
#[component]
pub fn ReportPrintPage() -> impl IntoView {
    let t = use_texts();
    let r = use_report_texts();
    let query = ReportQuery::from_pairs(&query_pairs());
    let data = Resource::new(|| (), move |_| report(query.clone()));
    view! {
        <Title text=format!("{} · {}", r.print_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move { report_view(data.await, |data| view! { <ReportPrintContent data/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ReportPrintContent(data: ReportData) -> impl IntoView {
    let r = use_report_texts();
    let lang = use_lang();
    let showing = data.scope_line(lang);
    view! {
        <div class="report-print">
            <p class="no-print"><a href=format!("/petugas/laporan?{}", data.query)>{r.back_to_dashboard}</a></p>
            <p class="no-print hint">{r.print_hint}</p>
            <h1>{r.print_title}</h1>
            <p class="report-scope"><strong>{showing}</strong></p>
            {report_tables(&data, lang).into_iter().map(|table| view! { <ReportSection table csv_query=None/> }).collect_view()}
            <p class="hint">{(r.print_made)(&data.made_at)}</p>
            <div class="report-signature">
                <p>{r.print_signature}</p>
            </div>
        </div>
    }
}

/// `/statistik?tahun=…`: public figures, no sign-in; every figure under five is "<5".
#[component]
pub fn PublicStatsPage() -> impl IntoView {
    let t = use_texts();
    let r = use_report_texts();
    let year = use_query_map().with_untracked(|q| q.get(fields::YEAR));
    let data = Resource::new(|| (), move |_| public_stats(year.clone()));
    view! {
        <Title text=format!("{} · {}", r.public_title, t.site_name)/>
        <h1>{r.public_title}</h1>
        <p>{r.public_intro}</p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(stats) => view! { <PublicStatsContent stats/> }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicStatsContent(stats: PublicStats) -> impl IntoView {
    let r = use_report_texts();
    let lang = use_lang();
    let years: Vec<(String, String)> = stats.years.iter().map(|y| (y.to_string(), y.to_string())).collect();
    let shown = |c: PublicCell| Value::Public(c).shown(lang);
    view! {
        <form method="get" action="/statistik" class="report-filter">
            <SelectField name=fields::YEAR label=r.year_label.to_string() options=years selected=stats.year.to_string() placeholder=r.year_label hint=None error=None/>
            <button type="submit" class="button">{r.show_button}</button>
        </form>
        <dl class="report-figures">
            <div><dt>{r.received}</dt><dd>{shown(stats.received)}</dd></div>
            <div><dt>{r.approved_in_year}</dt><dd>{shown(stats.approved)}</dd></div>
        </dl>
        {stats.tables.into_iter().map(|table| view! { <ReportSection table csv_query=None/> }).collect_view()}
        <p class="hint">{r.small_note}</p>
        <p class="hint">{r.hidden_note}</p>
    }
}
