//! Configuration from environment variables, with defaults that make `layan` run on an
//! embedded SQLite file with nothing else set up.
//!
//! Parsed once at start-up into typed values; a bad value stops start-up with one line
//! that names the variable (and never echoes a secret it may hold).

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

#[derive(Clone, Debug)]
pub struct Config {
    pub database: DatabaseUrl,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    pub site_pkg_dir: String,
    pub leptos_env: Env,
    pub mail: MailConfig,
    pub upload_dir: PathBuf,
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

        let upload_dir = PathBuf::from(get("LAYAN_UPLOAD_DIR").unwrap_or_else(|| "data/uploads".into()));
        if is_inside(&upload_dir, &site_root) || is_inside(&upload_dir, Path::new("public")) {
            return Err(ConfigError::new(
                "LAYAN_UPLOAD_DIR",
                "must be outside the public site folders, or residents' documents would be served to anyone",
            ));
        }

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

        Ok(Config {
            database,
            site_addr,
            site_root,
            site_pkg_dir,
            leptos_env,
            mail: MailConfig { transport, from },
            upload_dir,
            public_url,
            utc_offset_hours,
            demo,
            log_filter: get("LAYAN_LOG").unwrap_or_else(|| "info".into()),
            db_pool,
        })
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
    fn demo_mode_is_opt_in() {
        assert!(config(&[("LAYAN_DEMO", "1")]).unwrap().demo);
        assert!(!config(&[("LAYAN_DEMO", "0")]).unwrap().demo);
    }
}
