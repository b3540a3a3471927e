//! The `layan` server's memory under simultaneous requests that check secrets: 200 tracking
//! lookups and 200 staff sign-ins at the same moment, each from its own address (behind a
//! trusted proxy), so every one is judged. Peak memory is read from the kernel (VmHWM).

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AT_ONCE: usize = 200;
/// What the server may hold at its peak. Measured in a debug build: about 51 MiB after
/// start-up, 61 MiB after the lookups (PINs are an HMAC: no argon2), about 290 MiB after the
/// sign-ins — two argon2 threads, but the allocator keeps freed 19 MiB blocks scattered over
/// its arenas (169 MiB with MALLOC_ARENA_MAX=2). 512 MiB bounds that with room to spare,
/// while 200 unbounded argon2 hashes (19 MiB each) would pass 3.8 GiB.
const PEAK_LIMIT_KIB: u64 = 512 * 1024;

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_layan"))
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LAYAN_TRUSTED_PROXIES", "127.0.0.1")
        .env("LAYAN_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("layan starts");
    let server = Server { child, port, _dir: dir };
    let started = Instant::now();
    while request(server.port, "GET", "/healthz", "", "127.0.0.1").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(120), "layan did not answer /healthz");
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

/// One HTTP/1.1 request on its own connection: (status, body).
fn request(port: u16, method: &str, path: &str, body: &str, client: &str) -> (u16, String) {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nAccept: text/html\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nX-Forwarded-For: {client}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

/// Sends `AT_ONCE` posts released at the same instant; returns their statuses.
fn burst(port: u16, path: &str, body: impl Fn(usize) -> String) -> Vec<u16> {
    let gate = std::sync::Arc::new(std::sync::Barrier::new(AT_ONCE));
    let threads: Vec<_> = (0..AT_ONCE)
        .map(|i| {
            let (gate, path, body) = (gate.clone(), path.to_string(), body(i));
            std::thread::spawn(move || {
                gate.wait();
                request(port, "POST", &path, &body, &format!("10.{}.{}.{}", i / 65_536, i / 256 % 256, i % 256 + 1)).0
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn peak_kib(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("the server's /proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn two_hundred_simultaneous_lookups_and_sign_ins_keep_memory_bounded() {
    let server = start();
    let at_start = peak_kib(&server);

    let lookups = burst(server.port, "/lacak", |i| format!("nomor=ZZ{i:06}Z&pin=123456"));
    assert!(lookups.iter().all(|s| *s == 401 || *s == 429), "every lookup answered: {lookups:?}");
    let after_lookups = peak_kib(&server);

    // Staff passwords are argon2 (19 MiB a hash): at most one per core runs, a short queue
    // waits, and the rest are told to come back (503) instead of growing the server.
    let sign_ins = burst(server.port, "/petugas/masuk", |i| format!("nama_pengguna=petugas{i}&kata_sandi=tebakan-{i}"));
    assert!(sign_ins.iter().all(|s| [401, 429, 503].contains(s)), "every sign-in answered: {sign_ins:?}");
    let after_sign_ins = peak_kib(&server);

    eprintln!(
        "memory: {} MiB after start, peak {} MiB after {AT_ONCE} simultaneous lookups, {} MiB after {AT_ONCE} simultaneous sign-ins \
         ({} judged, {} told to come back)",
        at_start / 1024,
        after_lookups / 1024,
        after_sign_ins / 1024,
        sign_ins.iter().filter(|s| **s == 401).count(),
        sign_ins.iter().filter(|s| **s == 503).count()
    );
    assert!(after_sign_ins < PEAK_LIMIT_KIB, "peak {after_sign_ins} KiB");
    // The server is still up and answering.
    assert_eq!(request(server.port, "GET", "/healthz", "", "127.0.0.1").0, 200);
}
