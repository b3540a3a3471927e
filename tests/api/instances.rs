//! Three `layan serve` processes on one PostgreSQL and one Garage behind nginx (round robin,
//! no stickiness): a whole journey whose consecutive requests land on different instances,
//! documents seen from every instance, a claim race across instances, every message sent
//! once and the shared jobs run once; and rolling restarts under a burst of submissions
//! that lose nothing.

use crate::burst::{journey, person};
use crate::cluster::Cluster;
use crate::fixtures::{application, multipart, FilePart, staff};
use crate::helpers::{TestApp, TestResponse};
use crate::journey::{JPEG, Resident};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use layan::domain::workflow::{Role, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");

async fn get(app: &TestApp, path: &str, cookie: &str) -> TestResponse {
    app.get_with(path, &[("cookie", cookie)]).await
}

/// The receipt's PIN (shown once, right after submission).
async fn receipt_pin(resident: &Resident<'_>) -> String {
    let page = resident.get("/ajukan/selesai").await;
    let at = page.body.find("id=\"pin\"").expect("the receipt shows the PIN");
    page.body[at..].chars().skip_while(|c| *c != '>').skip(1).take(6).collect()
}

async fn claim(app: &TestApp, cookie: &str, id: i64) -> TestResponse {
    let request = Request::post("/api/petugas/ambil")
        .header("host", "127.0.0.1:3000")
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("cookie", cookie)
        .body(Body::from(serde_json::json!({ "form": { "id": id } }).to_string()))
        .unwrap();
    app.request(request).await
}

/// Log lines of a job's runs, by period, across the instances' logs.
fn runs_by_period(logs: &[String], job: &str) -> BTreeMap<String, usize> {
    let mut runs = BTreeMap::new();
    for log in logs {
        for line in log.lines().filter(|l| l.contains(&format!("job=\"{job}\""))) {
            if let Some(at) = line.find("period=\"") {
                let period: String = line[at + 8..].chars().take_while(|c| *c != '"').collect();
                *runs.entry(period).or_insert(0) += 1;
            }
        }
    }
    runs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_behind_nginx_serve_one_journey_and_do_shared_work_once() {
    let Some(mut cluster) = Cluster::new(&[("LAYAN_TIDY_SECONDS", "2"), ("LAYAN_DIGEST_HOUR", "0")]).await else { return };
    // What the instances find when they start: an overdue application and a verifier with
    // an email address, so today's digest has something to say.
    let (dina_id, _) = staff(&cluster.app, "dina", &[Role::Verifier]).await;
    let pool = cluster.app.state.db.pool().clone();
    sqlx::query("UPDATE staff SET email = 'dina@dinsos.example' WHERE id = $1").bind(dina_id).execute(&pool).await.unwrap();
    application(&cluster.app, 1, "3276011006", Status::Submitted, "2026-10-01T01:00:00Z", "2026-10-20").await;
    let started = Instant::now();
    cluster.start(3).await;
    let app = cluster.app.clone();

    // Apply with documents, through the balancer.
    let mut resident = Resident::new(&app);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let sent = resident.submit().await;
    assert_eq!((sent.status, sent.header("location")), (StatusCode::SEE_OTHER, "/ajukan/selesai"), "{}", sent.body);
    let number = resident.receipt_number().await.expect("a receipt");
    let pin = receipt_pin(&resident).await;
    let upstreams = app.remote.as_ref().unwrap().upstreams.lock().unwrap().clone();
    let answered: Vec<usize> = upstreams.iter().filter_map(|u| cluster.answered_by(u)).collect();
    assert_eq!(answered.len(), upstreams.len(), "every answer names an instance: {upstreams:?}");
    assert_eq!(answered.iter().collect::<BTreeSet<_>>().len(), 3, "all three served the journey: {answered:?}");
    assert!(answered.windows(2).all(|w| w[0] != w[1]), "consecutive requests went to different instances: {answered:?}");
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM applications WHERE registration_number = $1").bind(&number).fetch_one(&pool).await.unwrap();
    sqlx::query("UPDATE applications SET email = 'siti@warga.example' WHERE id = $1").bind(id).execute(&pool).await.unwrap();

    // Every instance shows every document (they are in the bucket, not on a disk).
    let (_, vera) = staff(&app, "vera", &[Role::Verifier]).await;
    let (_, vina) = staff(&app, "vina", &[Role::Verifier]).await;
    let documents: Vec<(String,)> = sqlx::query_as("SELECT id FROM uploads WHERE application_id = $1 ORDER BY id").bind(id).fetch_all(&pool).await.unwrap();
    assert_eq!(documents.len(), 4);
    for i in 0..3 {
        let direct = cluster.direct(i);
        for (document,) in &documents {
            let shown = get(&direct, &format!("/petugas/berkas/{document}"), &vera).await;
            assert_eq!(shown.status, StatusCode::OK, "instance {i}, document {document}");
        }
    }

    // The resident tracks it.
    let tracked = app.post_form("/lacak", &format!("nomor={number}&pin={pin}"), &[ORIGIN]).await;
    assert_eq!(tracked.status, StatusCode::SEE_OTHER, "{}", tracked.body);
    let tracking = tracked.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.contains("layan_lacak=")).expect("a tracking session").split(';').next().unwrap().to_string();
    let page = get(&app, "/lacak/permohonan", &tracking).await;
    assert!(page.body.contains("Menunggu verifikasi") || page.body.contains("Diajukan"), "{}", page.body);

    // Two verifiers claim it at the same moment on two instances: exactly one holds it.
    let (on_0, on_1) = (cluster.direct(0), cluster.direct(1));
    let (first, second) = tokio::join!(claim(&on_0, &vera, id), claim(&on_1, &vina, id));
    assert_eq!((first.status, second.status), (StatusCode::OK, StatusCode::OK), "{} {}", first.body, second.body);
    let mine: Vec<bool> = [&first, &second].iter().map(|r| serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["mine"].as_bool().unwrap()).collect();
    assert_eq!(mine.iter().filter(|m| **m).count(), 1, "exactly one wins: {mine:?}");
    let winner = if mine[0] { &vera } else { &vina };

    // The winner asks for a clearer KTP; the resident replaces it and sends it back.
    let asked = app
        .post_form(
            &format!("/petugas/permohonan/{id}/langkah"),
            "langkah=minta-perbaikan&bagian=dokumen&dokumen_diganti=ktp&catatan=Foto+KTP+buram",
            &[("cookie", winner), ORIGIN],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let (content_type, body) = multipart(&[("jenis", "ktp")], Some(FilePart { field: "berkas", file_name: "ktp.jpg", mime: "image/jpeg", content: JPEG }));
    let replace = Request::post("/lacak/dokumen")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("cookie", &tracking)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let replaced = app.request(replace).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    let back = app.post_form("/lacak/ajukan-ulang", "", &[("cookie", &tracking), ORIGIN]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let current: Vec<(String,)> = sqlx::query_as("SELECT id FROM uploads WHERE application_id = $1 AND document_kind = 'ktp'").bind(id).fetch_all(&pool).await.unwrap();
    for (document,) in current.iter().filter(|d| !documents.contains(d)) {
        for i in 0..3 {
            assert_eq!(get(&cluster.direct(i), &format!("/petugas/berkas/{document}"), winner).await.status, StatusCode::OK, "the replacement, from instance {i}");
        }
    }
    assert!(current.iter().any(|d| !documents.contains(d)), "a new KTP is stored: {current:?}");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM applications WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
    assert_eq!(status, "diajukan-ulang", "back with the verifier");

    // Every message is sent, and each once: the three workers lease rows from one outbox.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let waiting = cluster.app.count("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL").await;
        if waiting == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{waiting} messages still unsent");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let sent = cluster.app.count("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NOT NULL AND channel = 'email'").await;
    let received = cluster.smtp.messages();
    assert!(sent >= 2, "the correction request and the digest at least: {sent}");
    assert_eq!(received.len() as i64, sent, "each email arrived once");
    let texts = cluster.app.count("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NOT NULL AND channel = 'sms'").await;
    assert!(texts >= 2, "received and the correction request: {texts}");
    assert_eq!(cluster.sms_files() as i64, texts, "each text message written once");
    let digests = received.iter().filter(|m| m.contains("dina@dinsos.example")).count();
    assert_eq!(digests, 1, "one digest for Dina, however many instances");

    // The shared jobs ran once per period across the three.
    while started.elapsed() < Duration::from_secs(8) {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let logs = cluster.logs();
    let tidy = runs_by_period(&logs, "tidy");
    assert!(tidy.len() >= 3, "the tidy-up ran every 2 s: {tidy:?}");
    assert!(tidy.values().all(|n| *n == 1), "each period once across the instances: {tidy:?}");
    let digest_runs = runs_by_period(&logs, "digests");
    assert_eq!(digest_runs.len(), 1, "{digest_runs:?}");
    assert!(digest_runs.values().all(|n| *n == 1), "{digest_runs:?}");
    let by: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT instance FROM job_runs WHERE job = 'tidy'").fetch_all(&pool).await.unwrap();
    assert!(!by.is_empty());
    for log in &logs {
        assert!(!log.contains("panicked") && !log.contains(" ERROR "), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rolling_restart_under_a_burst_of_submissions_loses_nothing() {
    let Some(mut cluster) = Cluster::new(&[]).await else { return };
    cluster.start(3).await;
    let app = cluster.app.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Twelve residents at a time, each applying again and again until the restarts are done.
    let workers: Vec<_> = (0..12)
        .map(|_| {
            let (app, stop, next) = (app.clone(), stop.clone(), next.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    done.push((i, journey(&app, i).await));
                }
                done
            })
        })
        .collect();
    // Each instance in turn: SIGTERM, drained and exited, started again, ready.
    let began = Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    for instance in cluster.instances.iter_mut() {
        instance.restart().await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = BTreeSet::new();
    let mut failures = Vec::new();
    for worker in workers {
        for (i, outcome) in worker.await.expect("a resident's task") {
            match outcome {
                Ok(number) => assert!(acknowledged.insert(number), "journey {i}: a number given twice"),
                Err(e) => failures.push(format!("journey {i} ({}): {e}", person(i).0)),
            }
        }
    }
    assert!(failures.is_empty(), "requests cut off or refused during the restarts:\n{}\nnginx:\n{}", failures.join("\n"), cluster.nginx.as_ref().unwrap().error_log());
    assert!(acknowledged.len() >= 12, "the burst ran through the restarts: {}", acknowledged.len());
    eprintln!("{} submissions acknowledged through nginx in {:.1} s while 3 instances restarted one by one", acknowledged.len(), began.elapsed().as_secs_f64());
    // Each acknowledged number is stored once, and nothing else of the burst is stored.
    let tried: BTreeSet<String> = (0..next.load(std::sync::atomic::Ordering::Relaxed)).map(|i| person(i).0).collect();
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT registration_number, nik FROM applications").fetch_all(cluster.app.state.db.pool()).await.unwrap();
    let of_burst: Vec<&String> = stored.iter().filter(|(_, nik)| tried.contains(nik)).map(|(number, _)| number).collect();
    assert_eq!(of_burst.len(), acknowledged.len(), "one application per acknowledged submission");
    assert!(of_burst.iter().all(|n| acknowledged.contains(*n)));
    for (i, instance) in cluster.instances.iter().enumerate() {
        assert_eq!(instance.starts, 2, "instance {i} was restarted");
        let log = instance.log_text();
        assert!(log.contains("no longer accepting connections") && log.contains("stopped"), "instance {i} drained:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_draining_instance_says_so_and_finishes_the_request_in_flight() {
    let Some(mut cluster) = Cluster::new(&[("LAYAN_DRAIN_SECONDS", "6")]).await else { return };
    cluster.start(1).await;
    let direct = cluster.direct(0);
    let mut resident = Resident::new(&direct);
    resident.fill_in("3276015505870003", "1987-05-15", "P", "3276010101090001").await;
    let key = resident.key().await;

    // The submission's body arrives slowly, over eight seconds; SIGTERM comes in the middle
    // (the margins are wide for a machine busy with other tests).
    let body = format!("kunci={key}&pernyataan=ya").into_bytes();
    let chunks: Vec<Vec<u8>> = body.chunks(4).map(<[u8]>::to_vec).collect();
    let stream = futures_util::stream::unfold(chunks.into_iter(), |mut rest| async move {
        let chunk = rest.next()?;
        tokio::time::sleep(Duration::from_millis(8000 / 12)).await;
        Some((Ok::<_, std::io::Error>(chunk), rest))
    });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookie = resident.cookie.clone().unwrap();
    let slow = tokio::spawn(
        client
            .post(format!("{}/ajukan/kirim", cluster.instances[0].base()))
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("content-length", body.len().to_string())
            .body(reqwest::Body::wrap_stream(stream))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(700)).await;
    cluster.instances[0].terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Draining: /healthz says so (the balancer moves on) while requests are still served.
    let health = reqwest::get(format!("{}/healthz", cluster.instances[0].base())).await.expect("still serving while draining");
    assert_eq!(health.status(), 503);
    assert!(health.text().await.unwrap().contains("\"draining\""));

    let answered = slow.await.unwrap().expect("the request in flight is answered, not cut off");
    assert_eq!(answered.status(), 303);
    assert_eq!(answered.headers()["location"], "/ajukan/selesai");
    let status = cluster.instances[0].wait_exit(Duration::from_secs(30)).await;
    assert!(status.success(), "{status}");
    assert!(reqwest::get(format!("{}/healthz", cluster.instances[0].base())).await.is_err(), "gone once drained");
    assert_eq!(cluster.app.count("SELECT COUNT(*) FROM applications WHERE nik = '3276015505870003'").await, 1, "the submission is stored");
}
