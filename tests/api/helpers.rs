//! `spawn_app()` and request helpers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use layan::server::config::Config;
use layan::server::state::AppState;
use layan::server::{http, prepare};
use std::collections::HashMap;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// The folder holding the SQLite file, uploads and outbox; removed on drop.
    pub _dir: TempDir,
    /// What `Config::from_lookup` was given, to start a second instance on the same data.
    pub env: HashMap<String, String>,
    /// When set, requests go over HTTP to this address (nginx in front of several `layan`
    /// processes) instead of into `router`; `state` is then one more instance on the data.
    pub remote: Option<Remote>,
}

/// A loopback port free now, for a server a test starts (another may take it before it binds:
/// the harnesses that start one retry or fail by name).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port()
}

/// Waits until something listens on loopback `port`; panics naming `what` (and `log`, what
/// it said) after `within`.
pub fn wait_for_port(port: u16, what: &str, within: std::time::Duration, log: impl Fn() -> String) {
    let deadline = std::time::Instant::now() + within;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "{what} did not listen on {port}: {}", log());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A real HTTP client and the address it sends to.
pub struct Remote {
    pub client: reqwest::Client,
    pub base: String,
    /// Which upstream answered each request, in order, when a proxy says so
    /// (`X-Layan-Upstream`, set by the tests' nginx).
    pub upstreams: std::sync::Mutex<Vec<String>>,
}

impl Remote {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        Self { client, base: base.trim_end_matches('/').to_string(), upstreams: Default::default() }
    }

    pub async fn send(&self, request: Request<Body>) -> Result<TestResponse, String> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024).await.map_err(|e| e.to_string())?;
        let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let mut headers = parts.headers;
        // The peer address a test sets is what a phone behind the proxy would be.
        if let Some(axum::extract::ConnectInfo(peer)) = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
            headers.insert("x-forwarded-for", peer.ip().to_string().parse().unwrap());
        }
        let response = self.client.request(parts.method, format!("{}{path}", self.base)).headers(headers).body(bytes).send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(upstream) = headers.get("x-layan-upstream").and_then(|v| v.to_str().ok()) {
            self.upstreams.lock().unwrap().push(upstream.to_string());
        }
        let body = response.text().await.map_err(|e| e.to_string())?;
        Ok(TestResponse { status, headers, body })
    }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub fn backend() -> TestBackend {
    match std::env::var("LAYAN_TEST_BACKEND").as_deref() {
        Ok("postgres") => TestBackend::Postgres,
        Ok("sqlite") | Err(_) => TestBackend::Sqlite,
        Ok(other) => panic!("LAYAN_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

/// A fresh database for one test, already migrated and holding the reference data.
///
/// Loading the ~91,600 regions takes seconds in a debug build, so it happens once per
/// test process, into a template; each test gets a copy (a file copy on SQLite,
/// `CREATE DATABASE … TEMPLATE` on PostgreSQL) and then starts normally on it.
pub async fn fresh_database_url(dir: &TempDir) -> String {
    let template = TEMPLATE.get_or_init(make_template).await;
    match template {
        Template::Sqlite(file) => {
            let target = dir.path().join("layan.db");
            std::fs::copy(file, &target).expect("copy the template database");
            format!("sqlite://{}", target.display())
        }
        Template::Postgres { admin_url, name } => {
            let new_name = format!("layan_test_{:016x}", rand_u64());
            let mut conn = admin_connection(admin_url).await;
            // Copying refuses to start while another copy of the same template runs.
            let mut attempts = 0;
            loop {
                let created = sqlx::query(&format!("CREATE DATABASE {new_name} TEMPLATE {name}")).execute(&mut conn).await;
                match created {
                    Ok(_) => break,
                    Err(_) if attempts < 100 => {
                        attempts += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Err(e) => panic!("create test database: {e}"),
                }
            }
            database_url(admin_url, &new_name)
        }
    }
}

/// An empty PostgreSQL database (no migrations, no data), for start-up tests.
pub async fn empty_postgres_database_url() -> String {
    let admin_url = std::env::var("LAYAN_TEST_POSTGRES_URL").expect("LAYAN_TEST_POSTGRES_URL");
    let name = format!("layan_test_{:016x}", rand_u64());
    let mut conn = admin_connection(&admin_url).await;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    database_url(&admin_url, &name)
}

enum Template {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

static TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();

async fn make_template() -> Template {
    let (template, url) = match backend() {
        TestBackend::Sqlite => {
            let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("layan-template");
            // Templates of earlier runs are stale (the migrations may have changed).
            let _ = std::fs::remove_dir_all(&folder);
            std::fs::create_dir_all(&folder).unwrap();
            let file = folder.join(format!("{}.db", std::process::id()));
            let url = format!("sqlite://{}", file.display());
            (Template::Sqlite(file), url)
        }
        TestBackend::Postgres => {
            let admin_url = std::env::var("LAYAN_TEST_POSTGRES_URL")
                .expect("LAYAN_TEST_BACKEND=postgres needs LAYAN_TEST_POSTGRES_URL");
            let name = format!("layan_template_{:016x}", rand_u64());
            let mut conn = admin_connection(&admin_url).await;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create template database");
            let url = database_url(&admin_url, &name);
            (Template::Postgres { admin_url, name }, url)
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let mut env = HashMap::new();
    env.insert("DATABASE_URL".to_string(), url);
    env.insert("LAYAN_UPLOAD_DIR".to_string(), dir.path().join("uploads").display().to_string());
    env.insert("LAYAN_OUTBOX_DIR".to_string(), dir.path().join("outbox").display().to_string());
    env.insert("LAYAN_SECRET_KEY_FILE".to_string(), dir.path().join("secret.key").display().to_string());
    let state = start(&env).await;
    // Closing the last connection checkpoints SQLite's WAL into the file, and frees the
    // PostgreSQL template for copying.
    state.db.close().await;
    template
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    h.finish()
}

async fn admin_connection(admin_url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url).await.expect("connect to PostgreSQL")
}

/// The admin URL with its database name replaced.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    format!("{base}/{name}{query}")
}

/// Boots the application as `layan serve` would, minus the socket.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert("DATABASE_URL".into(), fresh_database_url(&dir).await);
    env.insert("LAYAN_UPLOAD_DIR".into(), dir.path().join("uploads").display().to_string());
    env.insert("LAYAN_OUTBOX_DIR".into(), dir.path().join("outbox").display().to_string());
    env.insert("LAYAN_SECRET_KEY_FILE".into(), dir.path().join("secret.key").display().to_string());
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let state = start(&env).await;
    let router = http::router(state.clone());
    TestApp { state, router, _dir: dir, env, remote: None }
}

/// Prepares an application state from a configuration map (a second instance, say).
pub async fn start(env: &HashMap<String, String>) -> AppState {
    let config = Config::from_lookup(|key| env.get(key).cloned()).expect("test configuration");
    prepare(config).await.expect("application starts")
}

impl TestApp {
    /// A second instance on this one's database and files, as another process behind a
    /// balancer would be.
    pub async fn same_database(first: &TestApp) -> TestApp {
        let state = start(&first.env).await;
        let router = http::router(state.clone());
        TestApp { state, router, _dir: tempfile::tempdir().expect("scratch folder"), env: first.env.clone(), remote: None }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let what = format!("{} {}", request.method(), request.uri());
        if let Some(remote) = &self.remote {
            return remote.send(request).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        }
        let answer = async {
            let response = self.router.clone().oneshot(request).await.expect("router answers");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("body");
            TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
        };
        // A request that never answers fails its test by name instead of hanging the run.
        match tokio::time::timeout(std::time::Duration::from_secs(30), answer).await {
            Ok(response) => response,
            Err(_) => panic!("{what} did not answer within 30 s"),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::get(path).header("host", "127.0.0.1:3000").header("accept", "text/html");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.request(builder.body(Body::empty()).unwrap()).await
    }

    /// A form post as a browser sends it from one of our pages.
    pub async fn post_form(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::post(path)
            .header("host", "127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.request(builder.body(Body::from(body.to_string())).unwrap()).await
    }

    /// Form posts from our pages sent all at once, each `(path, cookie, body)` a task of its
    /// own on the router — what a burst of simultaneous requests does; their statuses in order.
    pub async fn post_forms_at_once(&self, posts: Vec<(String, String, String)>) -> Vec<StatusCode> {
        let tasks = posts.into_iter().map(|(path, cookie, body)| {
            let router = self.router.clone();
            tokio::spawn(async move {
                let request = Request::post(path)
                    .header("host", "127.0.0.1:3000")
                    .header("origin", "http://127.0.0.1:3000")
                    .header("cookie", cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap();
                router.oneshot(request).await.expect("router answers").status()
            })
        });
        futures_util::future::join_all(tasks).await.into_iter().map(|r| r.expect("the task ran")).collect()
    }

    /// A form post from one of our pages, made from the client address `ip` (as the socket
    /// of a real connection would give it).
    pub async fn post_form_from(&self, ip: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::post(path)
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let mut request = builder.body(Body::from(body.to_string())).unwrap();
        let peer: std::net::SocketAddr = format!("{ip}:40000").parse().expect("an IPv4 address");
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        self.request(request).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(self.state.db.pool()).await.expect(sql);
        n
    }
}

/// Everything the app logs on this thread while it lives: each test runs on its own thread
/// with a single-threaded runtime, so that is everything its app logged.
///
/// One process-wide subscriber routes each line to the capture of the thread that logged it.
/// (Per-test scoped subscribers raced with tracing's per-callsite interest cache when tests ran
/// in parallel, and a capture could come back empty.)
pub struct LogCapture {
    buffer: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<std::sync::Arc<std::sync::Mutex<Vec<u8>>>>> = const { std::cell::RefCell::new(None) };
}

struct ThreadCapture;

impl std::io::Write for ThreadCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| {
            if let Some(buffer) = c.borrow().as_ref() {
                buffer.lock().unwrap().extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    pub fn start() -> Self {
        static GLOBAL: std::sync::Once = std::sync::Once::new();
        GLOBAL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_writer(|| ThreadCapture)
                .with_ansi(false)
                .with_max_level(tracing::Level::DEBUG)
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("one log subscriber for the tests");
        });
        let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        CAPTURE.with(|c| *c.borrow_mut() = Some(buffer.clone()));
        Self { buffer }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        CAPTURE.with(|c| *c.borrow_mut() = None);
    }
}

/// A staff account with no roles, areas or usable password (tests add what they need).
/// A submitted application's document as the journey would have left it: the file in
/// storage under `id` and its row.
pub async fn stored_document(app: &TestApp, id: &str, application_id: i64, kind: &str, mime: &str, bytes: &[u8], created_at: &str) {
    std::fs::create_dir_all(app.state.storage.dir()).unwrap();
    std::fs::write(app.state.storage.dir().join(id), bytes).unwrap();
    sqlx::query("INSERT INTO uploads (id, application_id, document_kind, file_type, byte_size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, 'x', $6)")
        .bind(id)
        .bind(application_id)
        .bind(kind)
        .bind(mime)
        .bind(bytes.len() as i64)
        .bind(created_at)
        .execute(app.state.db.pool())
        .await
        .unwrap();
}

pub async fn insert_staff(app: &TestApp, username: &str, full_name: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO staff (username, full_name, password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, 'not a hash', TRUE, '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z') RETURNING id",
    )
    .bind(username)
    .bind(full_name)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    id
}

/// Every non-zero report tally (daily, then monthly), in key order: to compare the tallies
/// kept change by change with a recount.
pub type Tallies = (Vec<(String, String, String, i64, String, i64)>, Vec<(String, String, i64, String, String, i64)>);

pub async fn tallies(pool: &sqlx::AnyPool) -> Tallies {
    let daily = sqlx::query_as("SELECT measure, day, village_code, service_point_id, key, n FROM report_daily WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5")
        .fetch_all(pool)
        .await
        .unwrap();
    let monthly = sqlx::query_as("SELECT month, village_code, service_point_id, measure, key, n FROM report_monthly WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5")
        .fetch_all(pool)
        .await
        .unwrap();
    (daily, monthly)
}

/// The contents of every `<script>` on a page (an island-free page holds one: the service
/// worker's registration, `app::SERVICE_WORKER_REGISTRATION`).
pub fn scripts(html: &str) -> Vec<&str> {
    html.split("<script").skip(1).map(|rest| rest.split_once('>').map_or("", |(_, body)| body.split("</script>").next().unwrap_or(""))).collect()
}
