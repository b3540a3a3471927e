//! Reports against hand-counted fixtures: thirteen applications, three complaints, three
//! districts in two cities, a decision made in November of an application received in
//! September, and submissions a minute either side of midnight (office time) on the last
//! day of October. Every figure below was counted by hand from the table in `fixture`.

use crate::fixtures::staff;
use crate::helpers::{TestApp, spawn_app};
use axum::http::StatusCode;
use layan::api::reports::{ReportData, ReportOutcome, ReportQuery, Value, report_tables};
use layan::domain::report::PublicCell;
use layan::domain::workflow::{Role, Status};
use layan::i18n::Lang;
use layan::server::auth::StaffMember;
use layan::server::db::reports;

/// Pancoran Mas (327601) and Cimanggis (327602) in Kota Depok; Jayapura Selatan in Kota Jayapura.
const V1: &str = "3276011006";
const V2: &str = "3276021009";
const V3: &str = "9171021005";

struct Row {
    village: &'static str,
    submitted_at: &'static str,
    program: &'static str,
    ppks: i64,
    service_point: bool,
    sex: &'static str,
    born: &'static str,
    status: Status,
    due: &'static str,
    /// (status, at) history lines after submission.
    history: &'static [(Status, &'static str)],
}

/// Program A is rs-rtlh (category 24), B is atensi-lansia (category 3).
const A: &str = "rs-rtlh";
const B: &str = "atensi-lansia";
const FAR: &str = "2099-01-01";

fn fixture() -> Vec<Row> {
    let row = |village, submitted_at, program, ppks, sex, born, status, due, history| Row {
        village,
        submitted_at,
        program,
        ppks,
        service_point: false,
        sex,
        born,
        status,
        due,
        history,
    };
    let mut rows = vec![
        // 1: 23:59 WIB on 31 October: October's.
        row(V1, "2026-10-31T16:59:00Z", A, 24, "P", "1950-01-01", Status::Submitted, FAR, &[]),
        // 2: 00:00 WIB on 1 November: November's. Approved Tuesday 10 November (7 working days).
        row(V1, "2026-10-31T17:00:00Z", A, 24, "L", "1990-05-05", Status::Approved, FAR, &[(Status::Approved, "2026-11-10T03:00:00Z")]),
        // 3: at the counter; rejected Thursday 5 November (3 working days).
        row(V1, "2026-11-02T01:00:00Z", B, 3, "P", "2015-01-01", Status::Rejected, FAR, &[(Status::Rejected, "2026-11-05T03:00:00Z")]),
        // 4: approved Monday 16 November (9 working days), delivered 20 November.
        row(
            V2,
            "2026-11-03T01:00:00Z",
            A,
            24,
            "P",
            "1940-02-02",
            Status::Served,
            FAR,
            &[(Status::Approved, "2026-11-16T03:00:00Z"), (Status::Served, "2026-11-20T03:00:00Z")],
        ),
        // 5: still in field assessment, past its decision date.
        row(V2, "2026-11-04T01:00:00Z", B, 3, "L", "1985-03-03", Status::FieldAssessment, "2026-11-18", &[]),
        // 6: 00:30 WIB on 1 December: December's.
        row(V2, "2026-11-30T17:30:00Z", A, 24, "L", "1970-04-04", Status::Submitted, FAR, &[]),
        // 7: Kota Jayapura, approved 12 November: never in Depok's reports.
        row(V3, "2026-11-05T01:00:00Z", A, 24, "P", "1960-06-06", Status::Approved, FAR, &[(Status::Approved, "2026-11-12T03:00:00Z")]),
        // 8: received 15 September, referred Monday 2 November (34 working days).
        row(V1, "2026-09-15T01:00:00Z", A, 24, "L", "1955-07-07", Status::Referred, FAR, &[(Status::Referred, "2026-11-02T03:00:00Z")]),
    ];
    rows[2].service_point = true;
    // 9-13: five in Cimanggis in March, waiting.
    for _ in 0..5 {
        rows.push(row(V2, "2026-03-10T01:00:00Z", A, 24, "P", "1980-08-08", Status::Submitted, FAR, &[]));
    }
    rows
}

async fn load_fixture(app: &TestApp) -> i64 {
    let pool = app.state.db.pool();
    let (point,): (i64,) = sqlx::query_as(
        "INSERT INTO service_points (code, name, kind, address, village_code, created_at) \
         VALUES ('uji-loket', 'Puskesos Uji', 'puskesos', 'Jl. Uji', $1, '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(V1)
    .fetch_one(pool)
    .await
    .unwrap();
    for (i, r) in fixture().iter().enumerate() {
        let (program,): (i64,) = sqlx::query_as("SELECT id FROM programs WHERE code = $1").bind(r.program).fetch_one(pool).await.unwrap();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO applications (registration_number, pin_hash, idempotency_key, status, open, channel, program_id, ppks_code, \
             nik, kk, name, birth_date, sex, phone, village_code, district_code, regency_code, street, rt, rw, description, \
             applicant, household, submitted_at, decision_due, updated_at, service_point_id) \
             VALUES ($1, 'x', $2, $3, $4, $5, $6, $7, $8, '3276010101090001', 'Warga', $9, $10, '+6281234567890', $11, $12, $13, \
             'Jl. Melati', '001', '002', 'Perlu bantuan', '\"Myself\"', '[]', $14, $15, $14, $16) RETURNING id",
        )
        .bind(format!("R{i:08}"))
        .bind(format!("fixture-{i}"))
        .bind(r.status.slug())
        .bind(r.status.is_open())
        .bind(if r.service_point { "service_point" } else { "online" })
        .bind(program)
        .bind(r.ppks)
        .bind(format!("32760155058{i:05}"))
        .bind(r.born)
        .bind(r.sex)
        .bind(r.village)
        .bind(&r.village[..6])
        .bind(&r.village[..4])
        .bind(r.submitted_at)
        .bind(r.due)
        .bind(r.service_point.then_some(point))
        .fetch_one(pool)
        .await
        .unwrap();
        for (to, at) in r.history {
            sqlx::query("INSERT INTO application_history (application_id, at, from_status, to_status, actor) VALUES ($1, $2, NULL, $3, 'staff')")
                .bind(id)
                .bind(*at)
                .bind(to.slug())
                .execute(pool)
                .await
                .unwrap();
        }
    }
    // Complaints: Pancoran Mas (received 3 November, closed 6 November), the office in
    // general (4 November), Kota Jayapura (4 November).
    for (i, (regency, district, received, closed)) in [
        (Some("3276"), Some("327601"), "2026-11-03T02:00:00Z", Some("2026-11-06T02:00:00Z")),
        (None, None, "2026-11-04T02:00:00Z", None),
        (Some("9171"), Some("917102"), "2026-11-04T02:00:00Z", None),
    ]
    .into_iter()
    .enumerate()
    {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO complaints (number, pin_hash, kind, status, regency_code, district_code, message, received_at, due, updated_at) \
             VALUES ($1, 'x', 'pengaduan', $2, $3, $4, 'Pelayanan lambat sekali', $5, '2026-11-20', $5) RETURNING id",
        )
        .bind(format!("C{i:08}"))
        .bind(if closed.is_some() { "selesai" } else { "diterima" })
        .bind(regency)
        .bind(district)
        .bind(received)
        .fetch_one(pool)
        .await
        .unwrap();
        if let Some(at) = closed {
            sqlx::query("INSERT INTO complaint_history (complaint_id, at, from_status, to_status, actor) VALUES ($1, $2, 'diterima', 'selesai', 'staff')")
                .bind(id)
                .bind(at)
                .execute(pool)
                .await
                .unwrap();
        }
    }
    assert_eq!(reports::rebuild(pool, 7).await.unwrap(), 13);
    point
}

fn supervisor(areas: &[&str]) -> StaffMember {
    StaffMember {
        id: 1,
        username: "kasi".into(),
        full_name: "Kepala Seksi".into(),
        roles: vec![Role::Supervisor],
        areas: areas.iter().map(|a| a.to_string()).collect(),
    }
}

async fn report_for(app: &TestApp, me: &StaffMember, pairs: &[(&str, &str)]) -> ReportData {
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    match layan::server::reports::report(&app.state, me, &ReportQuery::from_pairs(&pairs), Lang::Id).await.unwrap() {
        ReportOutcome::Ready(data) => *data,
        other => panic!("no report: {other:?}"),
    }
}

fn november() -> Vec<(&'static str, &'static str)> {
    vec![("dari", "2026-11-01"), ("sampai", "2026-11-30")]
}

fn with<'a>(mut pairs: Vec<(&'a str, &'a str)>, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    pairs.extend_from_slice(extra);
    pairs
}

/// A table's rows as (label, values as in the CSV).
fn table(data: &ReportData, slug: &str) -> Vec<(String, Vec<String>)> {
    report_tables(data, Lang::Id)
        .into_iter()
        .find(|t| t.slug == slug)
        .unwrap_or_else(|| panic!("no table {slug}"))
        .rows
        .into_iter()
        .map(|r| (r.label, r.values.iter().map(Value::plain).collect()))
        .collect()
}

fn value(data: &ReportData, slug: &str, label: &str) -> String {
    table(data, slug).into_iter().find(|(l, _)| l == label).map(|(_, v)| v.join("|")).unwrap_or_else(|| panic!("no row {label} in {slug}"))
}

#[tokio::test]
async fn the_dashboard_adds_up_to_the_hand_counted_fixture() {
    let app = spawn_app().await;
    load_fixture(&app).await;
    let depok = supervisor(&["3276"]);
    let s = report_for(&app, &depok, &november()).await.summary;
    // Received in November (office days): 2, 3, 4, 5.
    assert_eq!(s.received, 4);
    let status: Vec<_> = s.by_status.iter().filter(|(_, n)| *n > 0).map(|(st, n)| (*st, *n)).collect();
    assert_eq!(status, vec![(Status::FieldAssessment, 1), (Status::Approved, 1), (Status::Rejected, 1), (Status::Served, 1)]);
    // Decided in November: 2 (approved), 3 (rejected), 4 (approved), 8 (referred); not 7 (Jayapura).
    assert_eq!(s.decided, vec![(Status::Approved, 2), (Status::Rejected, 1), (Status::Referred, 1)]);
    assert_eq!(s.served, 1);
    assert_eq!(s.overdue, 1, "5 is past its date; 1 is October's");
    assert_eq!((s.complaints_received, s.complaints_closed), (2, 1), "Pancoran Mas and the office in general");
    // Working days: A took 7, 9 and 34; B took 3.
    assert_eq!((s.median_days, s.p90_days), (7, 34));

    let data = report_for(&app, &depok, &november()).await;
    assert_eq!(value(&data, "program", "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"), "2|2|0|1");
    assert_eq!(value(&data, "program", "Asistensi Rehabilitasi Sosial (ATENSI) Lanjut Usia"), "2|0|1|0");
    // Decisions, median, p90, deadline (from the catalogue), on time.
    let speed_a = value(&data, "lama-keputusan", "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)");
    assert!(speed_a.starts_with("3|9|34|"), "{speed_a}");
    assert_eq!(value(&data, "saluran", "Daring"), "3");
    assert_eq!(value(&data, "saluran", "Loket layanan"), "1");
    assert_eq!(value(&data, "jenis-kelamin", "Laki-laki"), "2");
    assert_eq!(value(&data, "jenis-kelamin", "Perempuan"), "2");
    let ages: Vec<String> = table(&data, "usia").into_iter().map(|(_, v)| v.join("")).collect();
    assert_eq!(ages, vec!["0", "1", "2", "1"], "toddler, child, adult, elderly on the day received");
    assert_eq!(value(&data, "ringkasan", "Permohonan diterima"), "4");
    let weeks = table(&data, "tren");
    assert_eq!(weeks.first().map(|(w, _)| w.as_str()), Some("2026-10-26"));
    let total = |col: usize| weeks.iter().map(|(_, v)| v[col].parse::<u64>().unwrap()).sum::<u64>();
    assert_eq!((total(0), total(1)), (4, 4), "received and decided per week add up to the month");
    assert_eq!(value(&data, "tren", "2026-11-09"), "0|1", "2 was decided on 10 November; 7 (12 November) is Jayapura's");
}

#[tokio::test]
async fn areas_service_points_and_period_boundaries_filter_the_counts() {
    let app = spawn_app().await;
    let point = load_fixture(&app).await;
    let depok = supervisor(&["3276"]);
    // A district: Pancoran Mas received 2 and 3, decided 2, 3 and 8, and had one complaint.
    let pm = report_for(&app, &depok, &with(november(), &[("wilayah", "327601")])).await;
    assert_eq!((pm.summary.received, pm.summary.decided_total(), pm.summary.overdue), (2, 3, 0));
    assert_eq!((pm.summary.complaints_received, pm.summary.complaints_closed), (1, 1), "not the general one");
    assert!(!pm.villages.is_empty(), "a district offers its villages");
    // Cimanggis: 4 and 5 received, 4 decided, 5 overdue.
    let cm = report_for(&app, &depok, &with(november(), &[("wilayah", "327602")])).await;
    assert_eq!((cm.summary.received, cm.summary.decided_total(), cm.summary.overdue), (2, 1, 1));
    // A village inside the district.
    let v = report_for(&app, &depok, &with(november(), &[("wilayah", "327601"), ("kelurahan", V1)])).await;
    assert_eq!((v.summary.received, v.summary.decided_total()), (2, 3));
    // Service points: the counter registration only, and online only.
    let id = point.to_string();
    let counter = report_for(&app, &depok, &with(november(), &[("layanan", id.as_str())])).await;
    assert_eq!(counter.summary.received, 1);
    let online = report_for(&app, &depok, &with(november(), &[("layanan", "daring")])).await;
    assert_eq!(online.summary.received, 3);

    // Midnight WIB on 31 October: 1 is October's, 2 is November's.
    let october = report_for(&app, &depok, &[("dari", "2026-10-01"), ("sampai", "2026-10-31")]).await;
    assert_eq!(october.summary.received, 1);
    let first_day = report_for(&app, &depok, &[("dari", "2026-11-01"), ("sampai", "2026-11-01")]).await;
    assert_eq!(first_day.summary.received, 1);
    // Across month ends (days of October and December around a whole November): 1 to 6.
    let around = report_for(&app, &depok, &[("dari", "2026-10-31"), ("sampai", "2026-12-01")]).await;
    assert_eq!(around.summary.received, 6);
    let december = report_for(&app, &depok, &[("dari", "2026-12-01"), ("sampai", "2026-12-31")]).await;
    assert_eq!(december.summary.received, 1);

    // Jayapura is not Depok's supervisor's: refused, and the report is for Depok.
    let refused = report_for(&app, &depok, &with(november(), &[("wilayah", "9171")])).await;
    assert!(refused.area_refused);
    assert_eq!(refused.summary.received, 4);
    let village_elsewhere = report_for(&app, &depok, &with(november(), &[("wilayah", "327601"), ("kelurahan", "9171021005")])).await;
    assert!(village_elsewhere.area_refused);
    // An administrator without areas sees both cities.
    let admin = StaffMember { roles: vec![Role::Administrator], areas: vec![], ..supervisor(&[]) };
    let all = report_for(&app, &admin, &november()).await;
    assert_eq!((all.summary.received, all.summary.decided_total(), all.summary.complaints_received), (5, 5, 3));
    // A bad period is explained and this month shown instead.
    let bad = report_for(&app, &depok, &[("dari", "2026-11-30"), ("sampai", "2026-11-01")]).await;
    assert_eq!(bad.period_problem, Some(layan::domain::report::PeriodError::Reversed));
}

#[tokio::test]
async fn only_supervisors_and_administrators_read_reports_and_csv_files_hold_no_names() {
    let app = spawn_app().await;
    load_fixture(&app).await;
    let (_, boss) = staff(&app, "kasi.uji", &[Role::Supervisor]).await;
    let (_, verifier) = staff(&app, "verifikator.uji", &[Role::Verifier]).await;

    let page = app.get_with("/petugas/laporan?dari=2026-11-01&sampai=2026-11-30", &[("cookie", &boss)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Permohonan diterima"));
    assert!(page.body.contains("<svg"), "charts are drawn on the server");
    assert!(!page.body.contains("Warga"), "no names");

    let csv = app.get_with("/petugas/laporan/unduh?tabel=program&dari=2026-11-01&sampai=2026-11-30", &[("cookie", &boss)]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(csv.header("content-disposition"), "attachment; filename=\"laporan-program-2026-11-01-2026-11-30.csv\"");
    assert!(csv.body.starts_with("\u{FEFF}Program,Permohonan diterima,Disetujui,Ditolak,Dirujuk\r\n"), "{}", csv.body);
    assert!(csv.body.contains("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH),2,2,0,1\r\n"));
    assert!(!csv.body.contains("3276015505"), "no NIK");

    let district = app.get_with("/petugas/laporan/unduh?tabel=ringkasan&dari=2026-11-01&sampai=2026-11-30&wilayah=327602", &[("cookie", &boss)]).await;
    assert!(district.body.contains("Permohonan diterima,2\r\n"), "{}", district.body);
    assert!(district.body.contains("Belum diputus dan lewat tenggat,1\r\n"));

    let unknown = app.get_with("/petugas/laporan/unduh?tabel=nik&dari=2026-11-01&sampai=2026-11-30", &[("cookie", &boss)]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let refused = app.get_with("/petugas/laporan/unduh?tabel=program", &[("cookie", &verifier)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = app.get_with("/petugas/laporan", &[("cookie", &verifier)]).await;
    assert!(page.body.contains("Laporan hanya untuk kepala seksi dan administrator."));
    assert!(!page.body.contains("Permohonan diterima"));
    let signed_out = app.get("/petugas/laporan/unduh?tabel=program").await;
    assert_eq!((signed_out.status, signed_out.header("location")), (StatusCode::SEE_OTHER, "/petugas/masuk"));

    let print = app.get_with("/petugas/laporan/cetak?dari=2026-11-01&sampai=2026-11-30", &[("cookie", &boss)]).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("Laporan bulanan layanan sosial"));
}

#[tokio::test]
async fn public_statistics_hide_every_figure_under_five() {
    let app = spawn_app().await;
    load_fixture(&app).await;
    let stats = layan::server::reports::public_stats(&app.state, Some("2026"), Lang::Id).await.unwrap();
    // 2026: all thirteen; approvals: 2, 4 and 7.
    assert_eq!((stats.received, stats.approved), (PublicCell::Count(13), PublicCell::Small));
    let cells = |slug: &str| -> Vec<(String, Vec<Value>)> {
        stats.tables.iter().find(|t| t.slug == slug).unwrap().rows.iter().map(|r| (r.label.clone(), r.values.clone())).collect()
    };
    use PublicCell::*;
    use Value::Public as P;
    // Districts: Pancoran Mas 1, 2, 3, 8 (4); Cimanggis 4, 5, 6, 9-13 (8); Jayapura Selatan 7 (1).
    assert_eq!(
        cells("kecamatan"),
        vec![
            ("Pancoran Mas".to_string(), vec![P(Small), P(Small)]),
            ("Cimanggis".to_string(), vec![P(Count(8)), P(Small)]),
            ("Jayapura Selatan".to_string(), vec![P(Small), P(Small)]),
            ("Jumlah".to_string(), vec![P(Count(13)), P(Small)]),
        ]
    );
    // Programs: A 11, B 2: B is small, so A is hidden too (13 − A would give B away).
    let programs = cells("program");
    let received = |name: &str| programs.iter().find(|(l, _)| l == name).map(|(_, v)| v[0].clone());
    assert_eq!(received("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)"), Some(P(Hidden)));
    assert_eq!(received("Asistensi Rehabilitasi Sosial (ATENSI) Lanjut Usia"), Some(P(Small)));
    // The page shows "<5" and "•", never the small numbers themselves.
    let page = app.get("/statistik?tahun=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;5") && page.body.contains("•"));
    // A year outside the data is read as this one, not as an error.
    assert_eq!(app.get("/statistik?tahun=abc").await.status, StatusCode::OK);
}

#[tokio::test]
async fn tallies_written_with_each_move_match_a_rebuild() {
    let app = spawn_app().await;
    load_fixture(&app).await;
    let pool = app.state.db.pool();
    let (staff_id, _) = staff(&app, "kasi.uji", &[Role::Supervisor]).await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM applications WHERE status = $1").bind(Status::FieldAssessment.slug()).fetch_one(pool).await.unwrap();
    use layan::domain::decision::Action;
    let visit = Action::RecordAssessment {
        visit_date: layan::domain::Date::new(2026, 11, 9).unwrap(),
        findings: "Rumah layak huni".into(),
        recommendation: layan::domain::decision::Recommendation::NotEligible,
    };
    layan::server::db::casework::apply_move(pool, id, Status::FieldAssessment, Status::AwaitingDecision, staff_id, Role::Supervisor, &visit, 7)
        .await
        .unwrap();
    let reject = Action::Reject { reason: layan::domain::decision::RejectReason::NotEligible, note: None };
    layan::server::db::casework::apply_move(pool, id, Status::AwaitingDecision, Status::Rejected, staff_id, Role::Supervisor, &reject, 7)
        .await
        .unwrap();
    reports::fold(pool).await.unwrap();
    let incremental = crate::helpers::tallies(pool).await;
    assert!(incremental.0.iter().any(|r| r.0 == "diputus" && r.4.starts_with("ditolak:")));
    reports::rebuild(pool, 7).await.unwrap();
    assert_eq!(crate::helpers::tallies(pool).await, incremental);
}
