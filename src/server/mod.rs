//! Everything that runs only on the server: configuration, database, seeding, mail, HTTP.
//! Compiled with the `ssr` feature only, so none of it reaches the browser bundle.

pub mod admin;
pub mod apply;
pub mod auth;
pub mod breach;
pub mod caller;
pub mod casework;
pub mod catalogue;
pub mod complaints;
pub mod config;
pub mod db;
pub mod http;
pub mod islands;
pub mod jobs;
pub mod letters;
pub mod lifecycle;
pub mod limits;
pub mod mail;
pub mod notify;
pub mod page_copies;
pub mod refusal;
pub mod reports;
pub mod retention;
pub mod secrets;
pub mod seed;
pub mod sign_in_links;
pub mod sms;
pub mod staff;
pub mod state;
pub mod storage;
pub mod texts;
pub mod token;
pub mod tracking;

use config::Config;
use db::Db;
use mail::Mailer;
use state::AppState;
use std::process::ExitCode;
use std::sync::Arc;

/// Why start-up stopped. Printed as one line; never carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration error: {0}")]
    Config(#[from] config::ConfigError),
    #[error("cannot open the database: {0}")]
    Database(#[source] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot set up email: {0}")]
    Mail(#[from] mail::MailError),
    #[error("cannot reach the object store: {0}")]
    Storage(#[from] object_store::Error),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
}

/// Connects, migrates and seeds: everything between reading the configuration and serving.
pub async fn prepare(config: Config) -> Result<AppState, StartError> {
    config.create_data_dirs()?;
    let pin_key = config.load_secret_key()?;
    let letters = letters::Letters::load(&config.office, &pin_key)?;
    let db = Db::connect(&config.database, config.db_pool).await.map_err(StartError::Database)?;
    let start_up = db.start_up_lock().await.map_err(StartError::Database)?;
    db.migrate().await?;
    let import = seed::reference(&db).await?;
    if import.imported {
        tracing::info!("loaded {} regions (idn-area-data) in {:.2} s", import.rows, import.took.as_secs_f64());
    }
    let storage = config.storage()?;
    if config.demo {
        seed::demo(&db).await?;
        tracing::info!("demo mode: demo records are loaded");
    } else {
        match seed::demo::retire_staff(&db).await.map_err(StartError::Database)? {
            0 => {}
            n => tracing::warn!("LAYAN_DEMO is not set: {n} demo staff accounts (with the README's password) were deactivated"),
        }
    }
    // Deltas an earlier run recorded but had not folded yet (a kill -9, say).
    db::reports::fold(db.pool()).await.map_err(StartError::Database)?;
    if db::reports::need_rebuild(db.pool()).await.map_err(StartError::Database)? {
        let started = std::time::Instant::now();
        let counted = db::reports::rebuild(db.pool(), config.utc_offset_hours).await.map_err(StartError::Database)?;
        tracing::info!("counted {counted} applications into the report tallies in {:.1} s", started.elapsed().as_secs_f64());
    }
    start_up.release().await;
    let regions = db::regions::KnownRegions::load(db.pool()).await.map_err(StartError::Database)?;
    let mailer = Mailer::new(&config.mail)?;
    let state = AppState {
        leptos_options: config.leptos_options(),
        db,
        mailer,
        sms: sms::gateway(&config.sms),
        storage,
        regions: Arc::new(regions),
        config: Arc::new(config),
        pin_key: Arc::new(pin_key),
        letters: Arc::new(letters),
        catalogue: Arc::default(),
        page_copies: Arc::default(),
        public_stats: Arc::default(),
        lifecycle: lifecycle::Lifecycle::default(),
    };
    jobs::tidy(&state).await;
    Ok(state)
}

/// The `layan` command.
pub async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("create-admin") => return create_admin(&args[1..]).await,
        Some("generate-applications") => return generate_applications(&args[1..]).await,
        Some("rebuild-reports") => return rebuild_reports().await,
        Some("verify-letter") => return verify_letter(&args[1..]),
        Some("erase-expired") => return erase_expired().await,
        Some("-h") | Some("--help") | Some("help") => {
            println!(
                "usage: layan [serve]\n       layan create-admin <username> <full name>   (reads the password from standard input)\n       \
                 layan rebuild-reports                        (recounts the report tallies from the applications)\n       \
                 layan verify-letter <code or address> [--public-key <hex>]   (checks a letter offline)\n       \
                 layan erase-expired                          (erases now what retention no longer allows; the daily job does it too)\n\n\
                 Configuration is read from environment variables; see README.md."
            );
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("layan: unknown command {other:?}; try `layan --help`");
            return ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("layan: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config.log_filter);
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("layan: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `layan verify-letter <code or verification address> [--public-key <64 hex>]`: checks a
/// letter's code with the office's public key alone — no database, no network. Without
/// `--public-key`, the key this configuration signs with. Exit status 0 genuine, 1 not.
fn verify_letter(args: &[String]) -> ExitCode {
    let fail = |message: &str| {
        eprintln!("layan: {message}");
        ExitCode::from(2)
    };
    let mut code = None;
    let mut public = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--public-key" => match rest.next().and_then(|k| secrets::hex32(k)) {
                Some(key) => public = Some(key),
                None => return fail("--public-key needs the office's public key: 64 hexadecimal digits (from its /verifikasi page)"),
            },
            other if code.is_none() => code = Some(other.to_string()),
            _ => return fail("usage: layan verify-letter <code or address> [--public-key <hex>]"),
        }
    }
    let Some(code) = code else { return fail("usage: layan verify-letter <code or address> [--public-key <hex>]") };
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&format!("configuration error: {e}")),
    };
    let public = match public {
        Some(key) => key,
        None => match config.load_secret_key().and_then(|pin| letters::Letters::load(&config.office, &pin)) {
            Ok(letters) => *letters.public_key(),
            Err(e) => return fail(&format!("configuration error: {e}")),
        },
    };
    match letters::read(&public, &code) {
        Some(facts) => {
            let l = |d| crate::i18n::letters::long_date(d);
            println!("ASLI: ditandatangani dengan kunci {}", letters::hex(&public));
            println!("Surat:       {}", crate::i18n::letters::title(facts.kind));
            println!("Nomor surat: {}", crate::domain::letter::number(&config.office.letter_number, facts.sequence, facts.issued_on));
            println!("Tanggal:     {}", l(facts.issued_on));
            println!("Permohonan:  {}", crate::domain::registration::RegistrationNumber::display_stored(facts.application));
            println!("Inisial:     {}", facts.initials);
            ExitCode::SUCCESS
        }
        None => {
            println!("TIDAK ASLI: kode ini tidak ditandatangani dengan kunci {} atau sudah diubah.", letters::hex(&public));
            ExitCode::FAILURE
        }
    }
}

/// A prepared state for a one-off command (`init_tracing(log)` first), or the exit status
/// that says why not: 2 for the configuration (or `accept` refusing it), 1 for start-up.
async fn command_state(log: &str, accept: impl FnOnce(&Config) -> Result<(), String>) -> Result<AppState, ExitCode> {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("layan: configuration error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    if let Err(why) = accept(&config) {
        eprintln!("layan: {why}");
        return Err(ExitCode::from(2));
    }
    init_tracing(log);
    prepare(config).await.map_err(|e| {
        eprintln!("layan: {e}");
        ExitCode::FAILURE
    })
}

/// `layan create-admin <username> <full name>`: the first administrator (there is no
/// built-in password). The password is read from standard input, so it stays out of the
/// shell history and the process list.
async fn create_admin(args: &[String]) -> ExitCode {
    use crate::domain::staff::{NewPassword, Username};
    let fail = |message: &str| {
        eprintln!("layan: {message}");
        ExitCode::from(2)
    };
    let (Some(username), full_name) = (args.first(), args[1.min(args.len())..].join(" ")) else {
        return fail("usage: layan create-admin <username> <full name>");
    };
    let Ok(username) = Username::parse(username) else {
        return fail("the username must be 3-32 lowercase letters, digits, '.', '_' or '-', starting with a letter");
    };
    let full_name = full_name.trim().to_string();
    if crate::domain::person::PersonName::parse(&full_name).is_err() {
        return fail("give the administrator's full name after the username");
    }
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        return fail("could not read the password from standard input");
    }
    let password = match NewPassword::parse(line.trim_end_matches(['\r', '\n']), &username) {
        Ok(p) => p,
        Err(e) => return fail(&format!("password refused: {e}")),
    };
    let state = match command_state("warn", |_| Ok(())).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    let roles = [crate::domain::workflow::Role::Administrator];
    match auth::create_staff(state.db.pool(), &username, &full_name, &password, &roles, &[]).await {
        Ok(_) => {
            println!("layan: administrator {} created", username.as_str());
            ExitCode::SUCCESS
        }
        Err(auth::CreateStaffError::Taken) => fail(&format!("the username {} is taken", username.as_str())),
        Err(e) => {
            eprintln!("layan: could not create the administrator: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `layan generate-applications <count>`: synthetic applications for benchmarks, refused
/// outside demo mode so it can never fill a real office's database.
async fn generate_applications(args: &[String]) -> ExitCode {
    let Some(count) = args.first().and_then(|n| n.parse::<usize>().ok()).filter(|n| *n <= 10_000_000) else {
        eprintln!("layan: usage: layan generate-applications <count up to 10000000>");
        return ExitCode::from(2);
    };
    // Batches of a thousand rows trip sqlx's slow-statement warning, which would print each one.
    let demo_only = |c: &Config| if c.demo { Ok(()) } else { Err("generate-applications runs only with LAYAN_DEMO=1".to_string()) };
    let state = match command_state("error", demo_only).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let n = match seed::generate::applications(&state.db, count).await {
        Ok(n) => n,
        Err(e) => {
            eprintln!("layan: generating applications: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("layan: {n} applications generated in {:.1} s", started.elapsed().as_secs_f64());
    // The rows were written in bulk, past the tallies: count them in.
    rebuild_tallies(&state).await
}

/// `layan rebuild-reports`: recounts the report tallies from the applications and complaints
/// (after loading or repairing data by hand). Run it while Layan is stopped: the tallies are
/// replaced in one transaction, but a change made while it reads would not be counted.
async fn rebuild_reports() -> ExitCode {
    match command_state("error", |_| Ok(())).await {
        Ok(state) => rebuild_tallies(&state).await,
        Err(code) => code,
    }
}

/// `layan erase-expired`: the daily erasure at the end of retention, now (after lowering
/// `LAYAN_RETENTION_YEARS`, or to measure it); prints what it did and how long it took.
async fn erase_expired() -> ExitCode {
    let state = match command_state("error", |_| Ok(())).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let years = state.config.retention_years;
    match retention::erase_expired(&state.db, &state.storage, years, state.config.utc_offset_hours, retention::BATCH).await {
        Ok(erased) => {
            println!("layan: {} in {:.1} s", retention::summary(&erased, years), started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("layan: erasing at the end of retention: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn rebuild_tallies(state: &AppState) -> ExitCode {
    let started = std::time::Instant::now();
    match db::reports::rebuild(state.db.pool(), state.config.utc_offset_hours).await {
        Ok(n) => {
            println!("layan: report tallies rebuilt from {n} applications in {:.1} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("layan: rebuilding the report tallies: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Removes stored files older than `min_age_seconds` that no row names; returns how many.
pub async fn sweep_unreferenced(db: &Db, storage: &storage::Storage, min_age_seconds: u64) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let old = storage.older_than(min_age_seconds).await?;
    let named = db::applications::referenced_files(db.pool(), &old).await?;
    let mut removed = 0;
    for id in old.iter().filter(|id| !named.contains(*id)) {
        storage.remove(id).await;
        removed += 1;
    }
    Ok(removed)
}

/// The whole tidy-up at once, shared and local parts (the tests call it; the schedule in
/// `jobs` runs the shared part once across instances).
pub async fn tidy_up(db: &Db, storage: &storage::Storage, mail_files: Option<&std::path::Path>) {
    tidy_shared(db, storage).await;
    tidy_local(storage, mail_files, None).await;
}

/// The tidy-up of what lives in the database and the document store: what Layan keeps no
/// longer than it must (the schedule is in the README, "What is kept, and for how long").
/// Each part logs and goes on if it fails: what waits for the next round harms no one.
/// Returns what it did, in counts.
pub async fn tidy_shared(db: &Db, storage: &storage::Storage) -> String {
    let mut done = Vec::new();
    match db::drafts::purge_expired(db.pool()).await {
        Ok(n) => done.push(format!("{n} expired drafts")),
        Err(e) => tracing::warn!("could not remove expired drafts: {e}"),
    }
    let orphans = db::applications::purge_orphan_uploads(db.pool()).await;
    let originals = db::tracking::purge_replaced_originals(db.pool()).await;
    for (ids, what) in [(orphans, "uploads of expired drafts"), (originals, "replaced documents of decided applications")] {
        match ids {
            Ok(ids) => {
                for id in &ids {
                    storage.remove(id).await;
                }
                done.push(format!("{} {what}", ids.len()));
            }
            Err(e) => tracing::warn!("could not remove {what}: {e}"),
        }
    }
    if let Err(e) = db::tracking::tidy(db.pool()).await {
        tracing::warn!("could not remove expired tracking sessions: {e}");
    }
    if let Err(e) = limits::purge(db.pool()).await {
        tracing::warn!("could not remove old guessing tries: {e}");
    }
    if let Err(e) = auth::purge_expired_sessions(db.pool()).await {
        tracing::warn!("could not remove expired staff sessions: {e}");
    }
    match db::outbox::purge(db.pool()).await {
        Ok(n) => done.push(format!("{n} old sent or given-up messages")),
        Err(e) => tracing::warn!("could not remove old messages: {e}"),
    }
    if let Err(e) = db::jobs::purge(db.pool()).await {
        tracing::warn!("could not remove old job records: {e}");
    }
    format!("tidy-up removed {}", done.join(", "))
}

/// What this instance keeps on its own disk: partial uploads in its staging folder, and the
/// `.eml` and SMS `.txt` files when messages are written to files (`mail_files`, `sms_files`).
pub async fn tidy_local(storage: &storage::Storage, mail_files: Option<&std::path::Path>, sms_files: Option<&std::path::Path>) {
    // An upload cut off by a crash leaves its `.part`; one an hour old is no live upload.
    match storage.sweep_partial(3600).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("removed {n} partial uploads left by an interrupted run"),
        Err(e) => tracing::warn!("could not remove partial uploads: {e}"),
    }
    for (dir, extension, what) in [(mail_files, ".eml", "mail files"), (sms_files, ".txt", "text message files")] {
        let Some(dir) = dir else { continue };
        match storage::purge_older(dir, extension, db::outbox::SENT_KEEP_DAYS as u64).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} old {what}"),
            Err(e) => tracing::warn!("could not remove old {what}: {e}"),
        }
    }
}

async fn serve(config: Config) -> Result<(), StartError> {
    use axum::serve::ListenerExt;
    use std::time::Duration;
    let addr = config.site_addr;
    let state = prepare(config).await?;
    let (lifecycle, config, db) = (state.lifecycle.clone(), state.config.clone(), state.db.clone());
    let schedule = jobs::spawn_schedule(state.clone());
    let mail_worker = notify::spawn_worker(state.clone());
    let folder = db::reports::spawn_folder(state.db.clone());
    let app = http::router(state);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Listen { addr, source })?;
    let (listener, closer, closed) = lifecycle::DrainingListener::new(listener);
    // Without TCP_NODELAY, small responses wait ~40 ms on delayed ACKs (TOOLCHAIN.md).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!(instance = jobs::instance(), "Layan is listening on http://{addr}");
    // The peer address feeds the per-address limit on sign-in guesses.
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(closed);
    let mut serving = std::pin::pin!(server.into_future());
    let ended = tokio::select! {
        ended = &mut serving => Some(ended),
        _ = lifecycle::signal() => None,
    };
    if ended.is_none() {
        lifecycle.start_draining();
        let mut finished = false;
        if config.drain_seconds > 0 {
            tracing::info!("draining: /healthz answers 503; still serving for {} s", config.drain_seconds);
            finished = tokio::time::timeout(Duration::from_secs(config.drain_seconds), &mut serving).await.is_ok();
        }
        closer.close();
        tracing::info!("no longer accepting connections; finishing the requests in flight (at most {} s)", config.shutdown_seconds);
        if !finished && tokio::time::timeout(Duration::from_secs(config.shutdown_seconds), &mut serving).await.is_err() {
            tracing::warn!("{} s passed with requests still in flight: they are cut off", config.shutdown_seconds);
        }
    } else if let Some(Err(source)) = ended {
        return Err(StartError::Listen { addr, source });
    }
    // The workers end after the round they are in: a message being sent is marked sent.
    lifecycle.start_draining();
    let _ = tokio::time::timeout(Duration::from_secs(config.shutdown_seconds), async {
        let _ = mail_worker.await;
        let _ = schedule.await;
    })
    .await;
    folder.abort();
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn init_tracing(filter: &str) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let targets: Targets = filter.parse().unwrap_or_else(|_| {
        eprintln!("layan: LAYAN_LOG {filter:?} is not a valid filter; using \"info\"");
        Targets::new().with_default(tracing::Level::INFO)
    });
    // Colours only for a person at a terminal: a log file or journald gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_ansi(ansi).with_filter(targets)).init();
}
