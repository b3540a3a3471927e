//! Several `layan serve` processes on one PostgreSQL and one Garage, behind Debian's nginx
//! as a round-robin balancer on loopback — the deployment the README's production section
//! describes, started in a scratch folder and stopped on drop. Needs PostgreSQL
//! (`LAYAN_TEST_BACKEND=postgres`), Garage (`LAYAN_TEST_GARAGE`) and nginx
//! (`LAYAN_TEST_NGINX`); the test command provides all three. Without them the cluster
//! tests say so and return.

use crate::garage::Garage;
use crate::helpers::{Remote, TestApp, TestBackend, backend, free_port, fresh_database_url, start, wait_for_port};
use crate::notify::SmtpServer;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The tracking PIN key every instance shares (as production's LAYAN_SECRET_KEY must be).
const SECRET_KEY: &str = "5d2f0e9c7b1a4386a0c4e1f27d9b3c5e8a6f0d1b2c3e4f5061728394a5b6c7d8";

/// One `layan serve` process.
pub struct Instance {
    child: Option<Child>,
    pub port: u16,
    env: HashMap<String, String>,
    log: PathBuf,
    /// How many times it was started: each start appends to the same log.
    pub starts: usize,
}

impl Instance {
    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("the instance's log");
        let child = Command::new(env!("CARGO_BIN_EXE_layan"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(&self.env)
            .stdout(log.try_clone().expect("the log, twice"))
            .stderr(log)
            .spawn()
            .expect("layan starts");
        self.child = Some(child);
        self.starts += 1;
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until `/healthz` answers 200 (start-up done).
    pub async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("instance on {} exited at start-up ({status}):\n{}", self.port, self.log_text());
                }
            }
            if let Ok(r) = client.get(format!("{}/healthz", self.base())).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("instance on {} was not ready within 120 s:\n{}", self.port, self.log_text());
    }

    /// SIGTERM, as an orchestrator stops an instance.
    pub fn terminate(&self) {
        let pid = self.child.as_ref().expect("running").id();
        let status = Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to end; its exit status.
    pub async fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        let child = self.child.as_mut().expect("running");
        loop {
            if let Some(status) = child.try_wait().expect("waiting for layan") {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                panic!("instance on {} did not exit within {within:?}:\n{}", self.port, self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it (SIGTERM, then waits) and starts it again on the same port.
    pub async fn restart(&mut self) {
        self.terminate();
        let status = self.wait_exit(Duration::from_secs(60)).await;
        assert!(status.success(), "a drained instance exits cleanly: {status}\n{}", self.log_text());
        self.spawn();
        self.wait_ready().await;
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Debian's nginx as a round-robin balancer (no stickiness) in front of `upstreams`.
pub struct Nginx {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Nginx {
    pub fn binary() -> Option<PathBuf> {
        std::env::var_os("LAYAN_TEST_NGINX").map(PathBuf::from).filter(|p| p.exists())
    }

    fn start(binary: &Path, dir: &Path, upstreams: &[u16]) -> Nginx {
        let dir = dir.join("nginx");
        for sub in ["", "body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        // Workers run as nobody when nginx starts as root: they write large request bodies
        // here, and must reach it through the scratch folder.
        let _ = Command::new("chmod").args(["-R", "a+rwX"]).arg(&dir).status();
        if let Some(scratch) = dir.parent() {
            let _ = Command::new("chmod").arg("a+x").arg(scratch).status();
        }
        let port = free_port();
        let servers: String = upstreams.iter().map(|p| format!("        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n")).collect();
        let d = dir.display();
        // The settings the README's production section gives, plus a header naming the
        // instance that answered, so the tests can see requests spread.
        let conf = format!(
            "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n\
                 access_log {d}/access.log;\n\
                 client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;\n\
                 uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
                 client_max_body_size 30m;\n\
                 upstream layan {{\n{servers}    }}\n\
                 server {{\n\
                     listen 127.0.0.1:{port};\n\
                     location / {{\n\
                         proxy_pass http://layan;\n\
                         proxy_set_header Host $http_host;\n\
                         proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
                         proxy_set_header X-Forwarded-Proto $scheme;\n\
                         proxy_next_upstream error timeout;\n\
                         proxy_next_upstream_tries 3;\n\
                         proxy_read_timeout 60s;\n\
                         add_header X-Layan-Upstream $upstream_addr always;\n\
                     }}\n\
                 }}\n\
             }}\n"
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = Command::new(binary)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts");
        wait_for_port(port, "nginx", Duration::from_secs(10), || std::fs::read_to_string(dir.join("error.log")).unwrap_or_default());
        Nginx { child, port, dir }
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The instances, the balancer, the object store, a real SMTP server, and `app`: the tests'
/// view, whose requests go through nginx once the instances run and whose `state` reads
/// the database.
pub struct Cluster {
    pub app: std::sync::Arc<TestApp>,
    pub instances: Vec<Instance>,
    pub nginx: Option<Nginx>,
    pub smtp: SmtpServer,
    env: HashMap<String, String>,
    nginx_binary: PathBuf,
    _garage: Garage,
    _dir: tempfile::TempDir,
}

impl Cluster {
    /// A fresh database, the object store and the mail server, no instance yet (what their
    /// first minutes should find can be put in the database first). `None`, having said
    /// why, when PostgreSQL, Garage or nginx is missing.
    pub async fn new(extra: &[(&str, &str)]) -> Option<Cluster> {
        if backend() != TestBackend::Postgres {
            eprintln!("several instances share PostgreSQL: this test runs with LAYAN_TEST_BACKEND=postgres (the test command does)");
            return None;
        }
        let Some(nginx_binary) = Nginx::binary() else {
            eprintln!("LAYAN_TEST_NGINX is not set: the cluster test is skipped (the test command sets it)");
            return None;
        };
        let garage = Garage::start()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("mail")).unwrap();
        let smtp = SmtpServer::start(&dir.path().join("mail"));
        let mut env: HashMap<String, String> = garage.env().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        for (k, v) in [
            ("DATABASE_URL", fresh_database_url(&dir).await),
            ("LAYAN_SECRET_KEY", SECRET_KEY.to_string()),
            ("SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port)),
            ("LAYAN_DEMO", "1".into()),
            ("LAYAN_TRUSTED_PROXIES", "127.0.0.1".into()),
            ("LAYAN_LOG", "info,sqlx=warn".into()),
            ("LAYAN_SHUTDOWN_SECONDS", "20".into()),
            // Text messages go to files here (no SMS gateway in these tests), one folder
            // for all the instances.
            ("LAYAN_OUTBOX_DIR", dir.path().join("outbox").display().to_string()),
        ] {
            env.insert(k.into(), v);
        }
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        // The tests' own instance (no socket, no workers): it reads the database and makes
        // fixtures.
        let mut own = env.clone();
        own.insert("LAYAN_UPLOAD_DIR".into(), dir.path().join("own/uploads").display().to_string());
        let state = start(&own).await;
        let app = TestApp { router: layan::server::http::router(state.clone()), state, _dir: tempfile::tempdir().unwrap(), env: own, remote: None };
        Some(Cluster { app: std::sync::Arc::new(app), instances: Vec::new(), nginx: None, smtp, env, nginx_binary, _garage: garage, _dir: dir })
    }

    /// Starts `n` instances together, as an orchestrator would (start-up takes its turn by
    /// a lock), waits until each is ready, and puts nginx in front of them.
    pub async fn start(&mut self, n: usize) {
        let dir = self._dir.path().to_path_buf();
        for i in 0..n {
            let port = free_port();
            let mut env = self.env.clone();
            env.insert("LEPTOS_SITE_ADDR".into(), format!("127.0.0.1:{port}"));
            // Each instance's own staging folder: uploads pass through it into the bucket.
            env.insert("LAYAN_UPLOAD_DIR".into(), dir.join(format!("instance-{i}/uploads")).display().to_string());
            self.instances.push(Instance { child: None, port, env, log: dir.join(format!("instance-{i}.log")), starts: 0 });
        }
        for instance in &mut self.instances {
            instance.spawn();
        }
        for instance in &mut self.instances {
            instance.wait_ready().await;
        }
        let ports: Vec<u16> = self.instances.iter().map(|i| i.port).collect();
        let nginx = Nginx::start(&self.nginx_binary, &dir, &ports);
        let through = self.through(&format!("http://127.0.0.1:{}", nginx.port));
        self.app = std::sync::Arc::new(through);
        self.nginx = Some(nginx);
    }

    /// The tests' app, sending its requests to `base`.
    fn through(&self, base: &str) -> TestApp {
        let state = self.app.state.clone();
        TestApp {
            router: layan::server::http::router(state.clone()),
            state,
            _dir: tempfile::tempdir().unwrap(),
            env: self.app.env.clone(),
            remote: Some(Remote::new(base)),
        }
    }

    /// The same app, sending straight to instance `i` rather than through nginx.
    pub fn direct(&self, i: usize) -> TestApp {
        self.through(&self.instances[i].base())
    }

    /// Which instance (by index) answered a response that came through nginx.
    pub fn answered_by(&self, upstream: &str) -> Option<usize> {
        let last = upstream.rsplit(',').next()?.trim();
        let port: u16 = last.rsplit(':').next()?.parse().ok()?;
        self.instances.iter().position(|i| i.port == port)
    }

    /// The text messages the instances wrote (no gateway configured): one file per message.
    pub fn sms_files(&self) -> usize {
        std::fs::read_dir(self._dir.path().join("outbox/sms")).map(|d| d.count()).unwrap_or(0)
    }

    pub fn logs(&self) -> Vec<String> {
        self.instances.iter().map(Instance::log_text).collect()
    }
}
