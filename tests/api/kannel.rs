//! Kannel on loopback in a scratch folder: bearerbox, smsbox, and fakesmsc playing the
//! operator's SMSC (it prints every message it receives, sends the delivery reports, and
//! sends residents' texts in). The real SMS gateway the SMS tests send through and are
//! called back by (delivery reports, incoming texts); the test command installs Debian's `kannel` and `kannel-extras` and names
//! bearerbox in `LAYAN_TEST_KANNEL`. Without it these tests say so and return.

use crate::helpers::free_port;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Kannel {
    bin: PathBuf,
    dir: tempfile::TempDir,
    bearerbox: Option<Child>,
    smsbox: Option<Child>,
    fakesmsc: Option<Child>,
    pub sendsms_port: u16,
    smsc_port: u16,
}

/// Waits for one of the boxes to listen.
fn wait_for_port(port: u16, what: &str) {
    crate::helpers::wait_for_port(port, what, Duration::from_secs(15), String::new);
}

fn stop(child: &mut Option<Child>) {
    if let Some(mut c) = child.take() {
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Kannel {
    /// A fresh gateway; `None` (having said why) when Kannel is not installed.
    pub fn start() -> Option<Kannel> {
        Self::start_calling(None)
    }

    /// A fresh gateway that passes residents' texts on to Layan at `callback` (its address
    /// and `LAYAN_SMS_SECRET`), as an office's `sms-service` does.
    pub fn start_calling(callback: Option<(&str, &str)>) -> Option<Kannel> {
        let Some(bearerbox) = std::env::var_os("LAYAN_TEST_KANNEL").map(PathBuf::from).filter(|p| p.exists()) else {
            eprintln!("LAYAN_TEST_KANNEL is not set: the SMS gateway test is skipped (the test command sets it)");
            return None;
        };
        let bin = bearerbox.parent().expect("bearerbox's folder").to_path_buf();
        let dir = tempfile::tempdir().unwrap();
        let (admin, boxes, smsc, sendsms) = (free_port(), free_port(), free_port(), free_port());
        // Without a callback, texts sent in go to a port nobody listens on (the discard port).
        let (callback, secret) = callback.unwrap_or(("http://127.0.0.1:9", "none"));
        let conf = include_str!("../kannel/kannel.conf")
            .replace("@DIR@", &dir.path().display().to_string())
            .replace("@ADMIN_PORT@", &admin.to_string())
            .replace("@BOX_PORT@", &boxes.to_string())
            .replace("@SMSC_PORT@", &smsc.to_string())
            .replace("@SENDSMS_PORT@", &sendsms.to_string())
            .replace("@CALLBACK@", callback)
            .replace("@SECRET@", secret);
        std::fs::write(dir.path().join("kannel.conf"), conf).unwrap();
        let mut kannel = Kannel { bin, dir, bearerbox: None, smsbox: None, fakesmsc: None, sendsms_port: sendsms, smsc_port: smsc };
        kannel.boot();
        Some(kannel)
    }

    /// bearerbox, then smsbox, then the fake SMSC, as the system service starts them.
    fn boot(&mut self) {
        self.bearerbox = Some(self.spawn(&self.bin.join("bearerbox"), &[], "bearerbox.out"));
        wait_for_port(self.smsc_port, "bearerbox");
        self.smsbox = Some(self.spawn(&self.bin.join("smsbox"), &[], "smsbox.out"));
        wait_for_port(self.sendsms_port, "smsbox");
        self.connect_fakesmsc();
    }

    /// (Re)connects the fake SMSC to bearerbox and waits until bearerbox has it.
    fn connect_fakesmsc(&mut self) {
        self.connect_fakesmsc_sending(None);
    }

    /// A resident's phone `from` texts `text` to the office's number: the fake SMSC is
    /// started again to send it in (it keeps printing what it receives, into the same file).
    pub fn send_in(&mut self, from: &str, text: &str) {
        self.connect_fakesmsc_sending(Some(&format!("{from} DINSOS text {text}")));
    }

    fn connect_fakesmsc_sending(&mut self, message: Option<&str>) {
        stop(&mut self.fakesmsc);
        let connected = || std::fs::read_to_string(self.dir.path().join("bearerbox.log")).unwrap_or_default().matches("Fakesmsc client connected").count();
        let before = connected();
        let port = self.smsc_port.to_string();
        let (count, message) = match message {
            Some(m) => ("1", m),
            None => ("0", "x"),
        };
        self.fakesmsc = Some(self.spawn(Path::new("/usr/lib/kannel/test/fakesmsc"), &["-H", "127.0.0.1", "-r", &port, "-i", "1", "-m", count, message], "fakesmsc.out"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while connected() <= before {
            assert!(Instant::now() < deadline, "fakesmsc did not connect to bearerbox");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn spawn(&self, binary: &Path, args: &[&str], out: &str) -> Child {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join(out)).unwrap();
        let mut command = Command::new(binary);
        command.args(args);
        if !binary.ends_with("fakesmsc") {
            command.arg(self.dir.path().join("kannel.conf"));
        }
        command.stdout(log.try_clone().unwrap()).stderr(log).stdin(Stdio::null()).spawn().unwrap_or_else(|e| panic!("{}: {e}", binary.display()))
    }

    /// The environment that sends an app's text messages through this gateway.
    pub fn sms_url(&self) -> String {
        format!("kannel://layan:rahasia@127.0.0.1:{}?from=DINSOS", self.sendsms_port)
    }

    /// Every message the fake SMSC received: (from, to, text).
    pub fn received(&self) -> Vec<(String, String, String)> {
        let out = std::fs::read_to_string(self.dir.path().join("fakesmsc.out")).unwrap_or_default();
        out.lines()
            .filter_map(|l| l.split_once("Got message ").map(|(_, m)| m))
            .filter_map(|m| m.split_once(": <").map(|(_, m)| m.trim_end_matches('>')))
            .filter_map(|m| {
                let mut parts = m.splitn(4, ' ');
                let (from, to, _kind, text) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
                Some((from.to_string(), to.to_string(), text.to_string()))
            })
            .collect()
    }

    /// Waits until the fake SMSC has received `n` messages; what it received.
    pub async fn wait_for(&self, n: usize) -> Vec<(String, String, String)> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The gateway goes down: bearerbox (the core that talks to the SMSC) is stopped, and
    /// tells smsbox to end with it; the fake SMSC loses its connection.
    pub fn stop_bearerbox(&mut self) {
        if let Some(bearerbox) = &self.bearerbox {
            let _ = Command::new("kill").args(["-TERM", &bearerbox.id().to_string()]).status();
        }
        for child in [&mut self.bearerbox, &mut self.smsbox, &mut self.fakesmsc] {
            if let Some(c) = child.as_mut() {
                let deadline = Instant::now() + Duration::from_secs(10);
                while matches!(c.try_wait(), Ok(None)) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            stop(child);
        }
    }

    /// The gateway back: its boxes started again, the fake SMSC connected.
    pub fn start_bearerbox(&mut self) {
        self.boot();
    }
}

impl Drop for Kannel {
    fn drop(&mut self) {
        stop(&mut self.fakesmsc);
        stop(&mut self.smsbox);
        stop(&mut self.bearerbox);
    }
}
