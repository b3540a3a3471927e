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

/// A fresh, empty database URL for one test.
pub async fn fresh_database_url(dir: &TempDir) -> String {
    match backend() {
        TestBackend::Sqlite => format!("sqlite://{}/layan.db", dir.path().display()),
        TestBackend::Postgres => {
            let admin_url = std::env::var("LAYAN_TEST_POSTGRES_URL")
                .expect("LAYAN_TEST_BACKEND=postgres needs LAYAN_TEST_POSTGRES_URL");
            let name = format!("layan_test_{:016x}", rand_u64());
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let (base, query) = match admin_url.split_once('?') {
                Some((b, q)) => (b, format!("?{q}")),
                None => (admin_url.as_str(), String::new()),
            };
            let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
            format!("{base}/{name}{query}")
        }
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    h.finish()
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
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let state = start(&env).await;
    let router = http::router(state.clone());
    TestApp { state, router, _dir: dir, env }
}

/// Prepares an application state from a configuration map (a second instance, say).
pub async fn start(env: &HashMap<String, String>) -> AppState {
    let config = Config::from_lookup(|key| env.get(key).cloned()).expect("test configuration");
    prepare(config).await.expect("application starts")
}

impl TestApp {
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("body");
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
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

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(self.state.db.pool()).await.expect(sql);
        n
    }
}
