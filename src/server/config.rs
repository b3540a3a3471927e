//! Configuration from environment variables, with defaults that make `layan` run on an
//! embedded SQLite file with nothing else set up.
//!
//! Parsed once at start-up into typed values; a bad value stops start-up with one line
//! that names the variable (and never echoes a secret it may hold).
//!
//! Longer than 500 lines: one typed value per environment variable, each with its check; a quarter is tests.

use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Where the data lives. `Debug` leaves out credentials.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// A file (created if missing) or `:memory:`.
    Sqlite { url: String, path: Option<PathBuf> },
    Postgres { url: String },
}

impl DatabaseUrl {
    pub const DEFAULT: &'static str = "sqlite://data/layan.db";

    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        if let Some(rest) = raw.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let (path_part, query) = match rest.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (rest, None),
            };
            if path_part.is_empty() {
                return Err(ConfigError::new("DATABASE_URL", "names no SQLite file"));
            }
            let memory = path_part == ":memory:";
            // Create the file on first start unless the operator chose a mode.
            let mut url = format!("sqlite://{path_part}");
            match query {
                Some(q) if q.split('&').any(|kv| kv.starts_with("mode=")) => url.push_str(&format!("?{q}")),
                Some(q) => url.push_str(&format!("?{q}&mode=rwc")),
                None if memory => {}
                None => url.push_str("?mode=rwc"),
            }
            let path = (!memory).then(|| PathBuf::from(path_part));
            Ok(DatabaseUrl::Sqlite { url, path })
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres { url: raw.to_string() })
        } else {
            Err(ConfigError::new(
                "DATABASE_URL",
                "must start with sqlite: (embedded file) or postgres:// (PostgreSQL)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite { url, .. } | DatabaseUrl::Postgres { url } => url,
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite { path, .. } => write!(f, "Sqlite({path:?})"),
            DatabaseUrl::Postgres { .. } => f.write_str("Postgres(…)"),
        }
    }
}

/// How email leaves Layan.
#[derive(Clone)]
pub enum MailTransport {
    /// `SMTP_URL`, e.g. `smtps://user:pass@smtp.example.go.id` or `smtp://127.0.0.1:2525`.
    Smtp { url: String },
    /// No `SMTP_URL`: each message is written as an `.eml` file into this folder.
    Files { dir: PathBuf },
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::Smtp { .. } => f.write_str("Smtp(…)"),
            MailTransport::Files { dir } => write!(f, "Files({dir:?})"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// The From: address, `LAYAN_MAIL_FROM`.
    pub from: lettre::message::Mailbox,
}

/// An address or a network (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: std::net::IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<std::net::IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.trim().parse::<std::net::IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        fn bits(ip: std::net::IpAddr) -> (u128, u32) {
            match ip {
                std::net::IpAddr::V4(v4) => (u32::from(v4) as u128, 32),
                std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => (u32::from(v4) as u128, 32),
                    None => (u128::from(v6), 128),
                },
            }
        }
        let ((net, width), (other, other_width)) = (bits(self.addr), bits(ip));
        if width != other_width {
            return false;
        }
        let shift = width - self.prefix as u32;
        shift >= width || (net >> shift) == (other >> shift)
    }
}

/// Where the key that seals tracking PINs comes from (`server::secrets`).
#[derive(Clone, Debug)]
pub enum SecretKeySource {
    /// `LAYAN_SECRET_KEY`: 64 hexadecimal digits.
    Value(super::secrets::PinKey),
    /// Not set, outside production: a key made on first start and kept in this file
    /// (`LAYAN_SECRET_KEY_FILE`, by default beside the embedded database), not in the database.
    File(PathBuf),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database: DatabaseUrl,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    pub site_pkg_dir: String,
    pub leptos_env: Env,
    pub mail: MailConfig,
    /// `SMS_URL`: how text messages leave (`kannel://user:pass@host:port?from=DINSOS`), or
    /// unset: written to files beside the email outbox.
    pub sms: super::sms::SmsTransport,
    pub upload_dir: PathBuf,
    /// `LAYAN_STORAGE_URL=s3://bucket` with `LAYAN_S3_ENDPOINT`, `LAYAN_S3_REGION`,
    /// `LAYAN_S3_ACCESS_KEY_ID`, `LAYAN_S3_SECRET_ACCESS_KEY`: documents in an object store
    /// every instance sees (`upload_dir` then only stages uploads). Unset: the folder.
    pub object_store: Option<super::storage::S3Settings>,
    /// `LAYAN_PUBLIC_URL`: the address residents reach Layan at (`https://layan.dinsos.example.go.id`),
    /// printed in receipts' QR codes. Defaults to `http://` + the listening address.
    pub public_url: String,
    /// `LAYAN_UTC_OFFSET`: the office's time zone in hours from UTC (7 WIB, 8 WITA, 9 WIT):
    /// which day it is for receipts and decision dates.
    pub utc_offset_hours: i64,
    /// `LAYAN_DEMO`: load demo records and demo staff accounts.
    pub demo: bool,
    /// `LAYAN_LOG`: a tracing filter such as `info` or `layan=debug,sqlx=warn`.
    pub log_filter: String,
    /// `LAYAN_DB_POOL`: database connections this instance keeps at most.
    pub db_pool: u32,
    pub secret_key: SecretKeySource,
    /// `LAYAN_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` is believed (none
    /// by default: the connection's own address is the caller's).
    pub trusted_proxies: Vec<IpNet>,
    /// `LAYAN_DRAIN_SECONDS`: after SIGTERM, how long `/healthz` answers 503 while requests
    /// are still served, so a balancer that polls it stops sending first (0 by default).
    pub drain_seconds: u64,
    /// `LAYAN_SHUTDOWN_SECONDS`: then, how long requests in flight may take to finish.
    pub shutdown_seconds: u64,
    /// `LAYAN_TIDY_SECONDS`: how often the tidy-up runs (once across all instances).
    pub tidy_seconds: u64,
    /// `LAYAN_DIGEST_HOUR`: the office-local hour from which staff get the day's digest.
    pub digest_hour: i64,
    /// The office on its letters, and how they are numbered and signed.
    pub office: OfficeConfig,
    /// `LAYAN_RETENTION_YEARS`: how long after it closed an application (or a complaint) keeps
    /// its personal data (`domain::retention::DEFAULT_YEARS` by default).
    pub retention_years: u32,
}

/// The letterhead and the letters' numbering and signature.
#[derive(Clone, Debug)]
pub struct OfficeConfig {
    /// `LAYAN_OFFICE_NAME`: the office as its letterhead names it.
    pub name: String,
    /// `LAYAN_OFFICE_ADDRESS`: its address and contact line on the letterhead.
    pub address: String,
    /// `LAYAN_OFFICE_LOGO`: a PNG, JPEG or SVG file (at most 200 KB) for the letterhead.
    pub logo: Option<PathBuf>,
    /// `LAYAN_LETTER_NUMBER`: the pattern of letter numbers (`domain::letter::number`).
    pub letter_number: String,
    /// `LAYAN_SIGNING_KEY`: the Ed25519 seed letters are signed with (64 hexadecimal digits);
    /// unset, one derived from the PIN key (`server::letters`).
    pub signing_key: Option<super::secrets::SigningSeed>,
}

/// A configuration mistake, named by the variable that holds it.
#[derive(Debug, thiserror::Error)]
#[error("{variable} {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self { variable, problem: problem.into() }
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());

        let database = DatabaseUrl::parse(&get("DATABASE_URL").unwrap_or_else(|| DatabaseUrl::DEFAULT.into()))?;

        let site_addr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| ConfigError::new("LEPTOS_SITE_ADDR", "must be an address and port such as 127.0.0.1:3000"))?;

        let site_root = PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let site_pkg_dir = get("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into());
        let leptos_env = match get("LEPTOS_ENV").as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("dev") | Some("development") => Env::DEV,
            Some("prod") | Some("production") => Env::PROD,
            Some(_) => return Err(ConfigError::new("LEPTOS_ENV", "must be DEV or PROD")),
        };

        let transport = match get("SMTP_URL") {
            Some(url) => {
                lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url).map_err(|_| {
                    ConfigError::new("SMTP_URL", "is not a valid smtp:// or smtps:// URL")
                })?;
                // Plain smtp:// sends residents' names, numbers and sign-in links unencrypted
                // unless the server upgrades it (`?tls=required`): in production only by choice.
                let plain = url.starts_with("smtp://") && !url.contains("tls=required");
                let insecure_ok = matches!(get("LAYAN_SMTP_INSECURE").as_deref(), Some("1") | Some("true") | Some("yes"));
                if plain && leptos_env == Env::PROD && !insecure_ok {
                    return Err(ConfigError::new(
                        "SMTP_URL",
                        "is plain smtp:// in production: use smtps://, or smtp://…?tls=required, or set LAYAN_SMTP_INSECURE=1 for a relay on this machine",
                    ));
                }
                MailTransport::Smtp { url }
            }
            None => MailTransport::Files {
                dir: PathBuf::from(get("LAYAN_OUTBOX_DIR").unwrap_or_else(|| "data/outbox".into())),
            },
        };
        let from_raw = get("LAYAN_MAIL_FROM").unwrap_or_else(|| "Layan Dinas Sosial <layan@localhost>".into());
        let from: lettre::message::Mailbox = from_raw
            .parse()
            .ok()
            .filter(|m: &lettre::message::Mailbox| {
                use validator::ValidateEmail;
                m.email.to_string().validate_email() || m.email.domain() == "localhost"
            })
            .ok_or_else(|| ConfigError::new("LAYAN_MAIL_FROM", "must be an address such as \"Dinas Sosial <layan@dinsos.example.go.id>\""))?;

        let mut sms = match get("SMS_URL") {
            Some(url) => super::sms::SmsTransport::Kannel(super::sms::KannelSettings::parse(&url).ok_or_else(|| {
                ConfigError::new("SMS_URL", "must be kannel://user:password@host:port?from=SENDER (Kannel's sendsms interface)")
            })?),
            None => super::sms::SmsTransport::Files {
                dir: PathBuf::from(get("LAYAN_OUTBOX_DIR").unwrap_or_else(|| "data/outbox".into())).join("sms"),
            },
        };

        let upload_dir = PathBuf::from(get("LAYAN_UPLOAD_DIR").unwrap_or_else(|| "data/uploads".into()));
        if is_inside(&upload_dir, &site_root) || is_inside(&upload_dir, Path::new("public")) {
            return Err(ConfigError::new(
                "LAYAN_UPLOAD_DIR",
                "must be outside the public site folders, or residents' documents would be served to anyone",
            ));
        }

        let object_store = match get("LAYAN_STORAGE_URL") {
            None => None,
            Some(url) if url.starts_with("file://") || url.starts_with('/') => None,
            Some(url) => {
                let bucket = url
                    .strip_prefix("s3://")
                    .map(|b| b.trim_end_matches('/'))
                    .filter(|b| !b.is_empty() && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                    .ok_or_else(|| ConfigError::new("LAYAN_STORAGE_URL", "must be s3://bucket-name (or unset, for the folder LAYAN_UPLOAD_DIR)"))?;
                let need = |key: &'static str| get(key).ok_or_else(|| ConfigError::new(key, "is needed with LAYAN_STORAGE_URL=s3://…"));
                let endpoint = need("LAYAN_S3_ENDPOINT")?;
                if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                    return Err(ConfigError::new("LAYAN_S3_ENDPOINT", "must be an http:// or https:// address"));
                }
                Some(super::storage::S3Settings {
                    bucket: bucket.to_string(),
                    endpoint,
                    region: get("LAYAN_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                    access_key_id: need("LAYAN_S3_ACCESS_KEY_ID")?,
                    secret_access_key: need("LAYAN_S3_SECRET_ACCESS_KEY")?,
                })
            }
        };

        let public_url = match get("LAYAN_PUBLIC_URL") {
            None => format!("http://{site_addr}"),
            Some(url) => {
                let url = url.trim_end_matches('/').to_string();
                let ok = (url.starts_with("https://") || url.starts_with("http://"))
                    && url.len() > 8
                    && !url.contains(|c: char| c.is_whitespace() || c == '?' || c == '#');
                if !ok {
                    return Err(ConfigError::new("LAYAN_PUBLIC_URL", "must be an http(s) address without query, e.g. https://layan.dinsos.example.go.id"));
                }
                url
            }
        };
        // In production residents reach Layan over https: without it cookies lack `Secure`,
        // there is no HSTS, and QR codes and emailed links point at a loopback address.
        if let super::sms::SmsTransport::Kannel(kannel) = &mut sms {
            kannel.secret = get("LAYAN_SMS_SECRET").filter(|s| s.len() >= super::sms::SECRET_MIN_LEN && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')).ok_or_else(|| {
                ConfigError::new("LAYAN_SMS_SECRET", "must be set with SMS_URL: at least 16 letters, digits, '-' or '_' (Kannel's calls to Layan carry it)")
            })?;
            kannel.callback_url = match get("LAYAN_SMS_CALLBACK_URL") {
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => url.trim_end_matches('/').to_string(),
                Some(_) => return Err(ConfigError::new("LAYAN_SMS_CALLBACK_URL", "must be the http(s) address Kannel reaches Layan at")),
                None => public_url.clone(),
            };
        }
        if leptos_env == Env::PROD && !public_url.starts_with("https://") {
            return Err(ConfigError::new(
                "LAYAN_PUBLIC_URL",
                "must be the https address residents use in production, e.g. https://layan.dinsos.example.go.id",
            ));
        }

        let utc_offset_hours = match get("LAYAN_UTC_OFFSET").as_deref().map(str::trim) {
            None => 7,
            Some("7") => 7,
            Some("8") => 8,
            Some("9") => 9,
            Some(_) => return Err(ConfigError::new("LAYAN_UTC_OFFSET", "must be 7 (WIB), 8 (WITA) or 9 (WIT)")),
        };

        let demo = match get("LAYAN_DEMO").as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("0") | Some("false") | Some("no") | Some("off") => false,
            Some("1") | Some("true") | Some("yes") | Some("on") => true,
            Some(_) => return Err(ConfigError::new("LAYAN_DEMO", "must be 1 or 0")),
        };

        // SQLite has one writer whatever the pool; PostgreSQL's default of 100 connections
        // leaves room for four instances of 20 plus the administrators' own.
        let db_pool = match get("LAYAN_DB_POOL") {
            None => match database {
                DatabaseUrl::Sqlite { .. } => 8,
                DatabaseUrl::Postgres { .. } => 20,
            },
            Some(n) => n
                .parse::<u32>()
                .ok()
                .filter(|n| (2..=500).contains(n))
                .ok_or_else(|| ConfigError::new("LAYAN_DB_POOL", "must be a number of connections from 2 to 500"))?,
        };

        let secret_key = match get("LAYAN_SECRET_KEY") {
            Some(hex) => SecretKeySource::Value(
                super::secrets::PinKey::from_hex(&hex)
                    .ok_or_else(|| ConfigError::new("LAYAN_SECRET_KEY", "must be 64 hexadecimal digits (make one with: openssl rand -hex 32)"))?,
            ),
            None if leptos_env == Env::PROD => {
                return Err(ConfigError::new(
                    "LAYAN_SECRET_KEY",
                    "must be set in production: 64 hexadecimal digits (openssl rand -hex 32), the same on every instance, kept outside the database",
                ));
            }
            None => SecretKeySource::File(PathBuf::from(get("LAYAN_SECRET_KEY_FILE").unwrap_or_else(|| "data/secret.key".into()))),
        };

        let trusted_proxies = match get("LAYAN_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .filter(|part| !part.trim().is_empty())
                .map(|part| IpNet::parse(part).ok_or_else(|| ConfigError::new("LAYAN_TRUSTED_PROXIES", "must be addresses or networks separated by commas, e.g. 127.0.0.1,10.0.0.0/8")))
                .collect::<Result<_, _>>()?,
        };

        let seconds = |key: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| -> Result<u64, ConfigError> {
            match get(key) {
                None => Ok(default),
                Some(n) => n.trim().parse::<u64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
                    ConfigError::new(key, format!("must be a number of seconds from {} to {}", range.start(), range.end()))
                }),
            }
        };
        let drain_seconds = seconds("LAYAN_DRAIN_SECONDS", 0, 0..=300)?;
        let shutdown_seconds = seconds("LAYAN_SHUTDOWN_SECONDS", 30, 1..=600)?;
        let tidy_seconds = seconds("LAYAN_TIDY_SECONDS", 3600, 1..=86_400)?;
        let digest_hour = match get("LAYAN_DIGEST_HOUR") {
            None => 7,
            Some(h) => h
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|h| (0..=23).contains(h))
                .ok_or_else(|| ConfigError::new("LAYAN_DIGEST_HOUR", "must be an hour of the day from 0 to 23"))?,
        };

        let retention_years = match get("LAYAN_RETENTION_YEARS") {
            None => crate::domain::retention::DEFAULT_YEARS,
            Some(n) => n.trim().parse::<u32>().ok().filter(|n| (1..=crate::domain::retention::MAX_YEARS).contains(n)).ok_or_else(|| {
                ConfigError::new("LAYAN_RETENTION_YEARS", format!("must be a number of years from 1 to {}", crate::domain::retention::MAX_YEARS))
            })?,
        };

        let office = OfficeConfig {
            name: match get("LAYAN_OFFICE_NAME").map(|n| n.trim().to_string()) {
                None => "Dinas Sosial".to_string(),
                Some(n) if (3..=120).contains(&n.chars().count()) => n,
                Some(_) => return Err(ConfigError::new("LAYAN_OFFICE_NAME", "must be 3 to 120 characters, e.g. Dinas Sosial Kota Depok")),
            },
            address: match get("LAYAN_OFFICE_ADDRESS").map(|a| a.trim().to_string()) {
                None => String::new(),
                Some(a) if a.chars().count() <= 200 => a,
                Some(_) => return Err(ConfigError::new("LAYAN_OFFICE_ADDRESS", "must be at most 200 characters")),
            },
            logo: get("LAYAN_OFFICE_LOGO").filter(|p| !p.trim().is_empty()).map(PathBuf::from),
            letter_number: match get("LAYAN_LETTER_NUMBER") {
                None => "460/{nomor}/DINSOS/{bulan}/{tahun}".to_string(),
                Some(p) if p.contains("{nomor}") && p.chars().count() <= 60 => p.trim().to_string(),
                Some(_) => {
                    return Err(ConfigError::new("LAYAN_LETTER_NUMBER", "must hold {nomor} (and may hold {bulan}, {tahun}), at most 60 characters, e.g. 460/{nomor}/DINSOS/{bulan}/{tahun}"));
                }
            },
            signing_key: match get("LAYAN_SIGNING_KEY") {
                None => None,
                Some(hex) => Some(super::secrets::SigningSeed(super::secrets::hex32(&hex).ok_or_else(|| {
                    ConfigError::new("LAYAN_SIGNING_KEY", "must be 64 hexadecimal digits (make one with: openssl rand -hex 32)")
                })?)),
            },
        };

        Ok(Config {
            database,
            site_addr,
            site_root,
            site_pkg_dir,
            leptos_env,
            mail: MailConfig { transport, from },
            sms,
            upload_dir,
            object_store,
            public_url,
            utc_offset_hours,
            demo,
            log_filter: get("LAYAN_LOG").unwrap_or_else(|| "info".into()),
            db_pool,
            secret_key,
            trusted_proxies,
            drain_seconds,
            shutdown_seconds,
            tidy_seconds,
            digest_hour,
            office,
            retention_years,
        })
    }

    /// The PIN key: the configured one, or the embedded default's file, made on first start
    /// (readable by this user only).
    /// Where documents are kept: the object store if one is set, else the folder.
    pub fn storage(&self) -> Result<super::storage::Storage, object_store::Error> {
        match &self.object_store {
            None => Ok(super::storage::Storage::new(&self.upload_dir)),
            Some(s3) => super::storage::Storage::s3(&self.upload_dir, s3),
        }
    }

    pub fn load_secret_key(&self) -> Result<super::secrets::PinKey, ConfigError> {
        use super::secrets::PinKey;
        let file = match &self.secret_key {
            SecretKeySource::Value(key) => return Ok(key.clone()),
            SecretKeySource::File(file) => file,
        };
        let unreadable = |e: std::io::Error| ConfigError::new("LAYAN_SECRET_KEY_FILE", format!("{} cannot be read or made: {e}", file.display()));
        match std::fs::read_to_string(file) {
            Ok(text) => PinKey::from_hex(&text)
                .ok_or_else(|| ConfigError::new("LAYAN_SECRET_KEY_FILE", format!("{} does not hold 64 hexadecimal digits", file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use std::io::Write;
                // Written whole under a name of its own, then linked into place: a second
                // process starting at the same moment never reads a half-written key, and
                // of two new keys exactly one is kept.
                let key = PinKey::generate();
                let partial = file.with_extension(format!("{}.part", rand::random::<u64>()));
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let written = options.open(&partial).and_then(|mut f| f.write_all(key.to_hex().as_bytes()).and_then(|_| f.sync_all()));
                let linked = written.and_then(|_| std::fs::hard_link(&partial, file));
                let _ = std::fs::remove_file(&partial);
                match linked {
                    Ok(()) => Ok(key),
                    // Another process made it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.load_secret_key(),
                    Err(e) => Err(unreadable(e)),
                }
            }
            Err(e) => Err(unreadable(e)),
        }
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(env!("CARGO_PKG_NAME"))
            .site_root(self.site_root.to_string_lossy().to_string())
            .site_pkg_dir(self.site_pkg_dir.clone())
            .site_addr(self.site_addr)
            .env(self.leptos_env.clone())
            .build()
    }

    /// The folder mail is written to when there is no SMTP server.
    /// The folder text messages are written to when no SMS gateway is configured.
    pub fn sms_files_dir(&self) -> Option<&Path> {
        match &self.sms {
            super::sms::SmsTransport::Files { dir } => Some(dir),
            super::sms::SmsTransport::Kannel(_) => None,
        }
    }

    pub fn mail_files_dir(&self) -> Option<&Path> {
        match &self.mail.transport {
            MailTransport::Files { dir } => Some(dir),
            MailTransport::Smtp { .. } => None,
        }
    }

    /// Creates the folders Layan writes into, so a fresh checkout runs as is.
    pub fn create_data_dirs(&self) -> Result<(), ConfigError> {
        let make = |variable: &'static str, dir: &Path| {
            std::fs::create_dir_all(dir)
                .map_err(|e| ConfigError::new(variable, format!("folder {} cannot be created: {e}", dir.display())))
        };
        if let DatabaseUrl::Sqlite { path: Some(path), .. } = &self.database {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                make("DATABASE_URL", parent)?;
            }
        }
        make("LAYAN_UPLOAD_DIR", &self.upload_dir)?;
        if let SecretKeySource::File(file) = &self.secret_key {
            if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                make("LAYAN_SECRET_KEY_FILE", parent)?;
            }
        }
        if let MailTransport::Files { dir } = &self.mail.transport {
            make("LAYAN_OUTBOX_DIR", dir)?;
        }
        Ok(())
    }
}

/// Whether `inner` is `outer` or below it, comparing absolute, normalised paths.
fn is_inside(inner: &Path, outer: &Path) -> bool {
    fn absolute(p: &Path) -> PathBuf {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for part in joined.components() {
            match part {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    }
    absolute(inner).starts_with(absolute(outer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|key| env.get(key).cloned())
    }

    #[test]
    fn nothing_set_means_an_embedded_sqlite_file_and_files_for_mail() {
        let c = config(&[]).unwrap();
        match &c.database {
            DatabaseUrl::Sqlite { url, path } => {
                assert_eq!(url, "sqlite://data/layan.db?mode=rwc");
                assert_eq!(path.as_deref(), Some(Path::new("data/layan.db")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(c.site_addr, "127.0.0.1:3000".parse().unwrap());
        assert!(matches!(&c.mail.transport, MailTransport::Files { dir } if dir == Path::new("data/outbox")));
        assert_eq!(c.upload_dir, PathBuf::from("data/uploads"));
        assert!(!c.demo);
    }

    #[test]
    fn postgres_urls_select_postgres_and_never_show_their_password() {
        let c = config(&[("DATABASE_URL", "postgres://layan:rahasia@db:5432/layan")]).unwrap();
        assert!(matches!(c.database, DatabaseUrl::Postgres { .. }));
        assert!(!format!("{c:?}").contains("rahasia"));
    }

    #[test]
    fn an_object_store_needs_its_endpoint_and_keys_and_never_shows_the_secret() {
        assert!(config(&[]).unwrap().object_store.is_none(), "the folder by default");
        let s3 = [
            ("LAYAN_STORAGE_URL", "s3://layan-docs"),
            ("LAYAN_S3_ENDPOINT", "http://127.0.0.1:3900"),
            ("LAYAN_S3_ACCESS_KEY_ID", "GK0123"),
            ("LAYAN_S3_SECRET_ACCESS_KEY", "rahasia-sekali"),
        ];
        let c = config(&s3).unwrap();
        let store = c.object_store.as_ref().unwrap();
        assert_eq!((store.bucket.as_str(), store.region.as_str()), ("layan-docs", "us-east-1"));
        assert!(!format!("{c:?}").contains("rahasia"), "the secret is not in Debug");
        for (key, bad) in [("LAYAN_STORAGE_URL", "s3://"), ("LAYAN_STORAGE_URL", "ftp://x"), ("LAYAN_S3_ENDPOINT", "127.0.0.1:3900")] {
            let mut env = s3.to_vec();
            env.retain(|(k, _)| *k != key);
            env.push((key, bad));
            assert_eq!(config(&env).unwrap_err().variable, key, "{key}={bad}");
        }
        let missing = config(&s3[..3]).unwrap_err();
        assert_eq!(missing.variable, "LAYAN_S3_SECRET_ACCESS_KEY");
    }

    #[test]
    fn sqlite_urls_keep_an_explicit_mode() {
        let c = config(&[("DATABASE_URL", "sqlite:/tmp/x.db?mode=ro")]).unwrap();
        assert_eq!(c.database.as_str(), "sqlite:///tmp/x.db?mode=ro");
        let c = config(&[("DATABASE_URL", "sqlite::memory:")]).unwrap();
        assert_eq!(c.database.as_str(), "sqlite://:memory:");
    }

    #[test]
    fn each_bad_value_is_named_in_one_line() {
        let cases = [
            (("DATABASE_URL", "mysql://x"), "DATABASE_URL"),
            (("DATABASE_URL", "sqlite:"), "DATABASE_URL"),
            (("LEPTOS_SITE_ADDR", "localhost"), "LEPTOS_SITE_ADDR"),
            (("SMTP_URL", "http://mail.example.com"), "SMTP_URL"),
            (("LAYAN_MAIL_FROM", "not an address"), "LAYAN_MAIL_FROM"),
            (("LAYAN_DEMO", "maybe"), "LAYAN_DEMO"),
            (("LAYAN_UPLOAD_DIR", "public/uploads"), "LAYAN_UPLOAD_DIR"),
            (("LAYAN_UPLOAD_DIR", "target/site/../site/x"), "LAYAN_UPLOAD_DIR"),
            (("LEPTOS_ENV", "staging"), "LEPTOS_ENV"),
            (("LAYAN_DB_POOL", "1"), "LAYAN_DB_POOL"),
            (("LAYAN_SECRET_KEY", "rahasia"), "LAYAN_SECRET_KEY"),
            (("LAYAN_TRUSTED_PROXIES", "the proxy"), "LAYAN_TRUSTED_PROXIES"),
            (("LAYAN_TRUSTED_PROXIES", "10.0.0.0/33"), "LAYAN_TRUSTED_PROXIES"),
            (("LAYAN_DRAIN_SECONDS", "-1"), "LAYAN_DRAIN_SECONDS"),
            (("LAYAN_SHUTDOWN_SECONDS", "0"), "LAYAN_SHUTDOWN_SECONDS"),
            (("LAYAN_TIDY_SECONDS", "an hour"), "LAYAN_TIDY_SECONDS"),
            (("LAYAN_DIGEST_HOUR", "24"), "LAYAN_DIGEST_HOUR"),
            (("SMS_URL", "http://127.0.0.1:13013"), "SMS_URL"),
            (("SMS_URL", "kannel://127.0.0.1:13013"), "SMS_URL"),
            (("SMS_URL", "kannel://layan:rahasia@127.0.0.1:13013"), "LAYAN_SMS_SECRET"),
        ];
        for ((key, value), expected) in cases {
            let err = config(&[(key, value)]).expect_err(value);
            assert_eq!(err.variable, expected);
            let line = err.to_string();
            assert!(!line.contains('\n'), "{line}");
            assert!(line.starts_with(expected), "{line}");
        }
    }

    #[test]
    fn smtp_errors_do_not_echo_the_url() {
        let err = config(&[("SMTP_URL", "ftp://user:rahasia@x")]).unwrap_err();
        assert!(!err.to_string().contains("rahasia"));
        let ok = config(&[("SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap();
        assert!(matches!(ok.mail.transport, MailTransport::Smtp { .. }));
    }

    #[test]
    fn production_needs_a_secret_key_and_never_shows_it() {
        let https = ("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id");
        let err = config(&[("LEPTOS_ENV", "PROD"), https]).unwrap_err();
        assert_eq!(err.variable, "LAYAN_SECRET_KEY");
        let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let c = config(&[("LEPTOS_ENV", "PROD"), ("LAYAN_SECRET_KEY", key), https]).unwrap();
        assert!(matches!(c.secret_key, SecretKeySource::Value(_)));
        assert!(!format!("{c:?}").contains("00112233"));
        assert!(matches!(config(&[]).unwrap().secret_key, SecretKeySource::File(_)));
    }

    #[test]
    fn production_needs_https_and_encrypted_mail() {
        let key = ("LAYAN_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        let prod = ("LEPTOS_ENV", "PROD");
        let https = ("LAYAN_PUBLIC_URL", "https://layan.dinsos.example.go.id");
        assert_eq!(config(&[prod, key]).unwrap_err().variable, "LAYAN_PUBLIC_URL", "no public URL: it would be http://127.0.0.1");
        assert_eq!(config(&[prod, key, ("LAYAN_PUBLIC_URL", "http://layan.example")]).unwrap_err().variable, "LAYAN_PUBLIC_URL");
        assert_eq!(config(&[prod, key, https, ("SMTP_URL", "smtp://relay.example:25")]).unwrap_err().variable, "SMTP_URL");
        assert!(config(&[prod, key, https, ("SMTP_URL", "smtp://relay.example:587?tls=required")]).is_ok());
        assert!(config(&[prod, key, https, ("SMTP_URL", "smtps://relay.example")]).is_ok());
        assert!(config(&[prod, key, https, ("SMTP_URL", "smtp://127.0.0.1:25"), ("LAYAN_SMTP_INSECURE", "1")]).is_ok());
        // Outside production, plain smtp:// and http are fine (tests, a laptop).
        assert!(config(&[("SMTP_URL", "smtp://127.0.0.1:25")]).is_ok());
    }

    #[test]
    fn the_embedded_key_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.key");
        let c = config(&[("LAYAN_SECRET_KEY_FILE", file.to_str().unwrap())]).unwrap();
        let first = c.load_secret_key().unwrap();
        assert_eq!(c.load_secret_key().unwrap().to_hex(), first.to_hex());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), first.to_hex());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file left");
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let nets = config(&[("LAYAN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,2001:db8::/32")]).unwrap().trusted_proxies;
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert!(nets[0].contains(ip("127.0.0.1")) && !nets[0].contains(ip("127.0.0.2")));
        assert!(nets[1].contains(ip("10.200.3.4")) && !nets[1].contains(ip("11.0.0.1")));
        assert!(nets[1].contains(ip("::ffff:10.1.2.3")), "IPv4-mapped IPv6");
        assert!(nets[2].contains(ip("2001:db8:1::5")) && !nets[2].contains(ip("2001:db9::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn demo_mode_is_opt_in() {
        assert!(config(&[("LAYAN_DEMO", "1")]).unwrap().demo);
        assert!(!config(&[("LAYAN_DEMO", "0")]).unwrap().demo);
    }
}
