//! A single-node Garage (an S3-compatible object store for self-hosted deployments) on
//! loopback in a scratch folder: the real object store the storage tests and an app on
//! `LAYAN_STORAGE_URL=s3://…` run against. The test command builds Garage once per machine
//! and names it in `LAYAN_TEST_GARAGE`; without it these tests say so and check the folder
//! only.

use crate::helpers::free_port;
use layan::server::storage::S3Settings;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Garage {
    child: Child,
    _dir: tempfile::TempDir,
    pub settings: S3Settings,
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(binary: &Path, config: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(binary).arg("-c").arg(config).args(args).output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() { Ok(text) } else { Err(format!("garage {}: {text}", args.join(" "))) }
}

impl Garage {
    /// The Garage binary the test command built, if any.
    pub fn binary() -> Option<PathBuf> {
        std::env::var_os("LAYAN_TEST_GARAGE").map(PathBuf::from).filter(|p| p.exists())
    }

    /// A fresh single node with a bucket `layan` and a key that may read and write it.
    pub fn start() -> Option<Garage> {
        let Some(binary) = Self::binary() else {
            eprintln!("LAYAN_TEST_GARAGE is not set: the object-store half of this test is skipped (the test command sets it)");
            return None;
        };
        // Ports are picked free, then bound by Garage: another test's node may take one in
        // between, so a node that does not come up is tried again on fresh ports.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(&binary) {
                Ok(garage) => return Some(garage),
                Err(e) => last = e,
            }
        }
        panic!("garage did not start: {last}");
    }

    fn try_start(binary: &Path) -> Result<Garage, String> {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let (s3, rpc) = (free_port(), free_port());
        let secret: String = (0..32).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
        let config = dir.path().join("garage.toml");
        std::fs::write(
            &config,
            format!(
                "metadata_dir = \"{meta}\"\ndata_dir = \"{data}\"\ndb_engine = \"sqlite\"\nreplication_factor = 1\n\
                 rpc_bind_addr = \"127.0.0.1:{rpc}\"\nrpc_public_addr = \"127.0.0.1:{rpc}\"\nrpc_secret = \"{secret}\"\n\
                 [s3_api]\ns3_region = \"garage\"\napi_bind_addr = \"127.0.0.1:{s3}\"\nroot_domain = \".s3.garage.localhost\"\n",
                meta = dir.path().join("meta").display(),
                data = dir.path().join("data").display(),
            ),
        )
        .expect("garage.toml");
        let log = std::fs::File::create(dir.path().join("garage.log")).expect("a log file");
        let child = Command::new(binary)
            .arg("-c")
            .arg(&config)
            .arg("server")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut garage = Garage {
            child,
            _dir: dir,
            settings: S3Settings {
                bucket: "layan".into(),
                endpoint: format!("http://127.0.0.1:{s3}"),
                region: "garage".into(),
                access_key_id: String::new(),
                secret_access_key: String::new(),
            },
        };
        // `status` goes through the node's RPC port: it answers once the server listens.
        let started = Instant::now();
        loop {
            if let Ok(Some(exit)) = garage.child.try_wait() {
                return Err(format!("the server exited ({exit})"));
            }
            match cli(binary, &config, &["status"]) {
                Ok(_) => break,
                Err(e) if started.elapsed() > Duration::from_secs(30) => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
        let node = cli(binary, &config, &["node", "id", "-q"])?.trim().split('@').next().unwrap_or_default().to_string();
        let run = |args: &[&str]| cli(binary, &config, args);
        run(&["layout", "assign", "-z", "dc1", "-c", "1G", &node])?;
        run(&["layout", "apply", "--version", "1"])?;
        run(&["bucket", "create", "layan"])?;
        let key = run(&["key", "create", "layan-key"])?;
        let field = |label: &str| key.lines().find_map(|l| l.trim().strip_prefix(label)).map(|v| v.trim().to_string()).ok_or(format!("{label} in {key}"));
        garage.settings.access_key_id = field("Key ID:")?;
        garage.settings.secret_access_key = field("Secret key:")?;
        run(&["bucket", "allow", "--read", "--write", "--owner", "layan", "--key", "layan-key"])?;
        Ok(garage)
    }

    /// The environment that puts an app's documents in this store.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LAYAN_STORAGE_URL", format!("s3://{}", self.settings.bucket)),
            ("LAYAN_S3_ENDPOINT", self.settings.endpoint.clone()),
            ("LAYAN_S3_REGION", self.settings.region.clone()),
            ("LAYAN_S3_ACCESS_KEY_ID", self.settings.access_key_id.clone()),
            ("LAYAN_S3_SECRET_ACCESS_KEY", self.settings.secret_access_key.clone()),
        ]
    }
}
