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
        ("LAYAN_UTC_OFFSET", "Asia/Jakarta"),
        ("LAYAN_PUBLIC_URL", "layan.example.go.id"),
        ("LAYAN_RETENTION_YEARS", "0"),
        ("LAYAN_SIGNING_KEY", "not-a-key"),
        ("LAYAN_LETTER_NUMBER", "460/DINSOS/2026"),
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

#[test]
fn the_first_administrator_is_created_by_a_command_with_the_password_on_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], password: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_layan"));
        command
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LAYAN_LOG", "warn")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("layan runs");
        child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
    };

    let (code, _, stderr) = run(&["create-admin", "siti", "Siti Aminah"], "pendek\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("password refused"), "{stderr}");

    let (code, stdout, stderr) = run(&["create-admin", "siti", "Siti Aminah"], "kuda-lari-di-pantai\n");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.trim(), "layan: administrator siti created");
    assert!(!stdout.contains("kuda") && !stderr.contains("kuda"), "the password is never printed");

    let (code, _, stderr) = run(&["create-admin", "siti", "Siti Aminah"], "kuda-lari-di-pantai\n");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("taken"), "{stderr}");
}

#[test]
fn generated_applications_are_refused_outside_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_layan"))
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .args(["generate-applications", "10"])
        .output()
        .expect("layan runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("only with LAYAN_DEMO=1"));
}
