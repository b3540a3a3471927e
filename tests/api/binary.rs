//! The `layan` binary itself: how it reports bad configuration.

use std::process::Command;

fn run_layan(env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_layan"));
    command.current_dir(dir.path()).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("layan runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn bad_configuration_stops_start_up_with_one_clear_line() {
    for (key, value) in [
        ("DATABASE_URL", "mysql://root@localhost/layan"),
        ("LEPTOS_SITE_ADDR", "port 3000"),
        ("SMTP_URL", "mail.example.go.id"),
        ("LAYAN_DEMO", "perhaps"),
    ] {
        let (code, stderr) = run_layan(&[(key, value)]);
        assert_eq!(code, Some(2), "{key}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{key}: {stderr}");
        assert!(stderr.starts_with(&format!("layan: configuration error: {key} ")), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_unreachable_database_is_one_line_without_its_password() {
    let (code, stderr) = run_layan(&[("DATABASE_URL", "postgres://layan:rahasia@127.0.0.1:9/layan")]);
    assert_eq!(code, Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("layan: cannot open the database"), "{stderr}");
    assert!(!stderr.contains("rahasia"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_commands_are_refused() {
    let (code, stderr) = run_layan_args(&["frobnicate"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown command"));
}

fn run_layan_args(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_layan")).args(args).output().expect("layan runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}
