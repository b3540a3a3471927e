//! The secrets Layan checks: staff passwords, hashed with argon2id, and six-digit tracking
//! PINs, kept as an HMAC under a server-side key.
//!
//! Why two ways. A password is chosen by a person and may be reused elsewhere: a slow,
//! memory-hard hash protects it even if the database leaks. A PIN is six random digits: a
//! leaked argon2 hash of one falls to a million guesses on any GPU whatever its cost, while
//! every public request (tracking, complaints, submissions) paid 19 MiB and tens of
//! milliseconds of CPU to make or check one. Under a key kept outside the database
//! (`LAYAN_SECRET_KEY`), a leaked PIN column is worthless without the key, and a PIN costs a
//! microsecond. PINs stored before this change (argon2 hashes) still verify.
//!
//! Argon2 work is bounded: one thread per core hashes, a short queue waits for its turn, and
//! past that the caller is told "busy" (503 with `Retry-After`) instead of the server running
//! out of memory.

use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Every argon2 verification and hash is refused for now: too many are running or waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many passwords are being checked at once")]
pub struct Busy;

/// Seconds a refused caller is asked to wait.
pub const BUSY_RETRY_SECONDS: i64 = 2;

/// How long a caller waits in the queue before being told "busy".
const QUEUE_WAIT: Duration = Duration::from_secs(5);

type Job = Box<dyn FnOnce() + Send>;

/// Argon2 runs on a few threads of its own, one per core, fed from a short queue. Its own
/// threads, not the runtime's blocking pool: the allocator keeps a freed 19 MiB block in the
/// arena of the thread that used it, so hashes spread over dozens of pool threads held
/// hundreds of MiB (measured: 406 MiB after 200 simultaneous sign-ins), while a fixed few
/// threads reuse their own.
struct Hashing {
    /// Callers allowed to wait or run at all.
    admitted: Semaphore,
    jobs: std::sync::mpsc::SyncSender<Job>,
}

static HASHING: LazyLock<Hashing> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 16);
    let queue = cores * 16;
    let (jobs, waiting) = std::sync::mpsc::sync_channel::<Job>(queue);
    let waiting = std::sync::Arc::new(std::sync::Mutex::new(waiting));
    for n in 0..cores {
        let waiting = waiting.clone();
        let spawned = std::thread::Builder::new().name(format!("layan-argon2-{n}")).spawn(move || {
            loop {
                // The lock is held only while waiting for the next job, not while running it.
                let job = waiting.lock().map_err(|_| ()).and_then(|rx| rx.recv().map_err(|_| ()));
                match job {
                    Ok(job) => job(),
                    Err(()) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!("could not start a password-hashing thread: {e}");
        }
    }
    Hashing { admitted: Semaphore::new(queue), jobs }
});

/// Runs argon2 work under the bound.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let _admitted = HASHING.admitted.try_acquire().map_err(|_| Busy)?;
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    HASHING.jobs.try_send(job).map_err(|_| Busy)?;
    tokio::time::timeout(QUEUE_WAIT, result).await.map_err(|_| Busy)?.map_err(|_| Busy)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("hashing a password: {0}")]
    Hash(String),
}

/// Hashes a staff password with argon2id.
pub async fn hash_password(password: &str) -> Result<String, HashError> {
    let password = password.to_string();
    bounded(move || {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| HashError::Hash(e.to_string()))
}

/// Whether `password` matches an argon2 `hash`. A malformed hash matches nothing.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool, Busy> {
    let (password, hash) = (password.to_string(), hash.to_string());
    bounded(move || {
        use argon2::PasswordVerifier;
        argon2::PasswordHash::new(&hash).is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
}

/// A hash that no password matches, verified against when the account does not exist, so
/// a wrong username costs the same time as a wrong password.
pub const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$GdeRCVeeKqQKPvakbfAsBZVyfR/W3Ksg8tK7mEoGRdk";

/// The key tracking PINs are sealed under: 32 random bytes from `LAYAN_SECRET_KEY` (or, in
/// the embedded default, a file beside the database). Never in the database, never logged.
#[derive(Clone)]
pub struct PinKey([u8; 32]);

impl std::fmt::Debug for PinKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinKey(…)")
    }
}

/// How a sealed PIN starts in the `pin_hash` columns (argon2 hashes start with `$argon2`).
const SEALED_PREFIX: &str = "hmac-sha256:";

/// 32 bytes from 64 hexadecimal digits (the form keys are configured in).
pub fn hex32(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

/// The seed of the office's Ed25519 letter-signing key (`LAYAN_SIGNING_KEY`), never printed.
#[derive(Clone)]
pub struct SigningSeed(pub [u8; 32]);

impl std::fmt::Debug for SigningSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSeed(…)")
    }
}

impl PinKey {
    /// A key from 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        hex32(text).map(PinKey)
    }

    /// Another key made from this one for `purpose` (HMAC-SHA256 of the label): one secret to
    /// configure where a second is not set, and no way back from the one to the other.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"layan derived key v1\0");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    pub fn generate() -> Self {
        PinKey(rand::random())
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn mac(&self, pin: &str) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"layan tracking pin v1\0");
        mac.update(pin.as_bytes());
        mac
    }

    /// What is stored for `pin`.
    pub fn seal(&self, pin: &str) -> String {
        use hmac::Mac;
        let tag = self.mac(pin).finalize().into_bytes();
        format!("{SEALED_PREFIX}{}", tag.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    /// Whether `pin` matches what is stored: a sealed PIN (compared in constant time), or an
    /// argon2 hash from before PINs were sealed.
    pub async fn matches(&self, pin: &str, stored: &str) -> Result<bool, Busy> {
        use hmac::Mac;
        match stored.strip_prefix(SEALED_PREFIX) {
            Some(hex) => {
                let Some(tag) = decode_hex(hex) else { return Ok(false) };
                Ok(self.mac(pin).verify_slice(&tag).is_ok())
            }
            None if stored.starts_with("$argon2") => verify_password(pin, stored).await,
            None => Ok(false),
        }
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("kuda-lari-di-pantai").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(verify_password("kuda-lari-di-pantai", &hash).await, Ok(true));
        assert_eq!(verify_password("kuda-lari-di-pantai!", &hash).await, Ok(false));
        assert_eq!(verify_password("anything", "not a hash").await, Ok(false));
        assert!(argon2::PasswordHash::new(DECOY_HASH).is_ok(), "the decoy costs a real verification");
        assert_eq!(verify_password("", DECOY_HASH).await, Ok(false));
    }

    #[tokio::test]
    async fn a_sealed_pin_matches_only_itself_and_only_under_its_key() {
        let key = PinKey::generate();
        let sealed = key.seal("480213");
        assert!(sealed.starts_with(SEALED_PREFIX) && !sealed.contains("480213"));
        assert_eq!(key.matches("480213", &sealed).await, Ok(true));
        assert_eq!(key.matches("480214", &sealed).await, Ok(false));
        assert_eq!(PinKey::generate().matches("480213", &sealed).await, Ok(false), "another key");
        assert_eq!(key.matches("480213", "hmac-sha256:zz").await, Ok(false));
        // A PIN hashed before sealing still opens its application.
        let legacy = hash_password("480213").await.unwrap();
        assert_eq!(key.matches("480213", &legacy).await, Ok(true));
    }

    #[test]
    fn keys_read_back_from_hex_and_never_print() {
        let key = PinKey::generate();
        assert_eq!(PinKey::from_hex(&key.to_hex()).unwrap().0, key.0);
        assert!(PinKey::from_hex("abc").is_none());
        assert!(PinKey::from_hex(&"g".repeat(64)).is_none());
        assert_eq!(format!("{key:?}"), "PinKey(…)");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_queue_callers_are_told_busy_instead_of_waiting_for_memory() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 16);
        let tries: Vec<_> = (0..cores * 16 + 40).map(|_| tokio::spawn(verify_password("x", DECOY_HASH))).collect();
        let mut busy = 0;
        for t in tries {
            if t.await.unwrap() == Err(Busy) {
                busy += 1;
            }
        }
        assert!(busy >= 1, "more callers than the queue holds: some are refused");
    }
}
