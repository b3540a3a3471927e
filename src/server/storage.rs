//! Uploaded files: on disk under `LAYAN_UPLOAD_DIR` (outside anything served publicly), or in
//! an S3-compatible object store (`LAYAN_STORAGE_URL=s3://bucket`) that every instance sees.
//! Either way they are served only through Layan (area, role, access log), never by a URL of
//! the store's own.
//!
//! A file arrives as a stream and is counted while it is written: past the limit the
//! write stops and the partial file is removed, so a 50 MB upload never sits in memory or
//! on disk. What kind of file it is comes from its first bytes; a file whose first bytes are
//! not JPEG, PNG, WebP or PDF is refused before the rest is read. The name on disk is a
//! random id: nothing the client sends becomes part of a path.
//!
//! The forms that carry a file — the journey's documents, a replacement asked for in a
//! correction, a complaint's photo — are read here, one way for all three: the file streams
//! into the store, and what went wrong is one [`Problem`] with its status.

use crate::domain::DocumentKind;
use crate::domain::apply::Problem;
use crate::domain::document::{FileType, MAX_UPLOAD_BYTES};
use axum::extract::Multipart;
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

#[derive(Clone)]
pub struct Storage {
    /// The folder the files live in, or — with an object store — where an upload is staged
    /// while it is counted, sniffed and hashed, before it is put.
    dir: PathBuf,
    remote: Option<std::sync::Arc<dyn object_store::ObjectStore>>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage").field("dir", &self.dir).field("object_store", &self.remote.as_ref().map(|r| r.to_string())).finish()
    }
}

/// Where an object store is, and the keys to it.
#[derive(Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// `http://127.0.0.1:3900` (Garage, MinIO) or a cloud's S3 endpoint.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log line.
        f.debug_struct("S3Settings").field("bucket", &self.bucket).field("endpoint", &self.endpoint).field("region", &self.region).finish()
    }
}

fn io_error(e: object_store::Error) -> std::io::Error {
    match e {
        object_store::Error::NotFound { .. } => std::io::Error::new(std::io::ErrorKind::NotFound, "no such object"),
        other => std::io::Error::other(other),
    }
}

/// A file that was written completely.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub id: String,
    pub file_type: FileType,
    pub byte_size: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than the limit")]
    TooLarge,
    #[error("the file is not a JPEG, PNG, WebP or PDF")]
    NotAllowed,
    #[error("no file was chosen")]
    Empty,
    /// The connection broke or the body was malformed mid-file.
    #[error("the upload did not arrive whole: {0}")]
    Interrupted(String),
    #[error("writing the upload: {0}")]
    Io(#[from] std::io::Error),
}

impl UploadError {
    /// What the person is told, and the status it comes with; an I/O failure is ours, not
    /// theirs.
    pub fn problem(self) -> Result<(StatusCode, Problem), std::io::Error> {
        Ok(match self {
            UploadError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, Problem::FileTooLarge),
            UploadError::NotAllowed => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Problem::FileType),
            UploadError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, Problem::FileMissing),
            UploadError::Interrupted(_) => (StatusCode::BAD_REQUEST, Problem::FileMissing),
            UploadError::Io(e) => return Err(e),
        })
    }
}

/// A multipart body that broke before the file (too large, or malformed).
fn broken(e: &axum::extract::multipart::MultipartError) -> (StatusCode, Problem) {
    let problem = if e.status() == StatusCode::PAYLOAD_TOO_LARGE { Problem::FileTooLarge } else { Problem::FileMissing };
    (e.status(), problem)
}

/// What a document upload form carried.
pub enum Received {
    File(DocumentKind, StoredFile),
    /// Nothing stored: the status to answer, the problem, and the field it is about.
    Refused { status: StatusCode, problem: Problem, field: String },
}

/// A form of text fields with at most one photo.
pub struct WithPhoto {
    pub pairs: Vec<(String, String)>,
    pub photo: Option<StoredFile>,
    pub photo_problem: Option<(StatusCode, Problem)>,
}

/// An id is 128 random bits in base64url: 22 characters, safe as a file name.
pub fn valid_id(id: &str) -> bool {
    id.len() == 22 && URL_SAFE_NO_PAD.decode(id).is_ok_and(|b| b.len() == 16)
}

impl Storage {
    /// Files in a folder on this machine (the embedded default).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), remote: None }
    }

    /// Files in an S3-compatible object store; uploads are staged in `staging` first.
    pub fn s3(staging: impl Into<PathBuf>, settings: &S3Settings) -> Result<Self, object_store::Error> {
        let store = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_endpoint(&settings.endpoint)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_allow_http(settings.endpoint.starts_with("http://"))
            // Path-style addresses: `endpoint/bucket/key`, as self-hosted stores expect.
            .with_virtual_hosted_style_request(false)
            .build()?;
        Ok(Self { dir: staging.into(), remote: Some(std::sync::Arc::new(store)) })
    }

    /// Whether the store answers (`/healthz`, every few seconds per instance): the folder
    /// exists, or the bucket answers one HEAD (of a key no upload has: "not found" is up).
    pub async fn ping(&self) -> std::io::Result<()> {
        match &self.remote {
            None => tokio::fs::create_dir_all(&self.dir).await,
            Some(store) => match store.head(&object_store::path::Path::from("healthz")).await {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(io_error(e)),
            },
        }
    }

    /// `folder` or `object store`, for `/healthz`.
    pub fn kind(&self) -> &'static str {
        if self.remote.is_some() { "object store" } else { "folder" }
    }

    /// Reads a document upload form (`jenis`, then `berkas`), storing the file as it streams,
    /// counted and judged by its first bytes. `allowed` are the kinds this form may carry.
    pub async fn receive_document(&self, multipart: &mut Multipart, allowed: &[DocumentKind]) -> Result<Received, std::io::Error> {
        let mut field = "berkas".to_string();
        let mut kind: Option<DocumentKind> = None;
        loop {
            let part = match multipart.next_field().await {
                Ok(Some(part)) => part,
                Ok(None) => break,
                Err(e) => {
                    let (status, problem) = broken(&e);
                    return Ok(Received::Refused { status, problem, field });
                }
            };
            match part.name() {
                Some("jenis") => {
                    let text = part.text().await.unwrap_or_default();
                    kind = DocumentKind::from_slug(text.trim()).filter(|k| allowed.contains(k));
                    if let Some(k) = kind {
                        field = format!("berkas-{}", k.slug());
                    }
                }
                Some("berkas") => {
                    let Some(kind) = kind else {
                        return Ok(Received::Refused { status: StatusCode::UNPROCESSABLE_ENTITY, problem: Problem::DocumentMissing, field });
                    };
                    return match self.save(part, MAX_UPLOAD_BYTES).await {
                        Ok(stored) => Ok(Received::File(kind, stored)),
                        Err(e) => {
                            let (status, problem) = e.problem()?;
                            // A file refused by its first bytes: read the rest of the request
                            // (the route caps it) so the browser's connection stays usable.
                            // Answering early makes the server close it, and the browser's
                            // next upload over that connection fails.
                            if problem != Problem::FileTooLarge {
                                while let Ok(Some(_)) = multipart.next_field().await {}
                            }
                            Ok(Received::Refused { status, problem, field })
                        }
                    };
                }
                _ => {}
            }
        }
        Ok(Received::Refused { status: StatusCode::UNPROCESSABLE_ENTITY, problem: Problem::FileMissing, field })
    }

    /// Reads a form of text fields and at most one photo (the field `photo_field`), storing
    /// the photo as it streams with the same limits as documents. An empty file input is no
    /// photo.
    pub async fn receive_with_photo(&self, multipart: &mut Multipart, photo_field: &str) -> Result<WithPhoto, std::io::Error> {
        let mut received = WithPhoto { pairs: Vec::new(), photo: None, photo_problem: None };
        loop {
            let part = match multipart.next_field().await {
                Ok(Some(part)) => part,
                Ok(None) => break,
                Err(e) => {
                    received.photo_problem = Some(broken(&e));
                    break;
                }
            };
            let Some(name) = part.name().map(str::to_string) else { continue };
            if name == photo_field {
                if received.photo.is_some() || received.photo_problem.is_some() {
                    continue;
                }
                match self.save(part, MAX_UPLOAD_BYTES).await {
                    Ok(stored) => received.photo = Some(stored),
                    Err(UploadError::Empty) => {}
                    Err(e) => {
                        let (status, problem) = e.problem()?;
                        received.photo_problem = Some((status, problem));
                        if problem == Problem::FileTooLarge {
                            break;
                        }
                    }
                }
            } else if received.pairs.len() < 32 {
                // Text fields are short; a field that will not read as text is simply empty.
                let text = part.text().await.unwrap_or_default();
                received.pairs.push((name, text.chars().take(4000).collect()));
            }
        }
        Ok(received)
    }

    fn path_of(&self, id: &str) -> Option<PathBuf> {
        valid_id(id).then(|| self.dir.join(id))
    }

    /// Writes the chunks of one file, counting and sniffing as they come.
    pub async fn save<S, E>(&self, mut chunks: S, limit: u64) -> Result<StoredFile, UploadError>
    where
        S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: Into<UploadError>,
    {
        use futures_util::StreamExt as _;
        let id = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let final_path = self.dir.join(&id);
        let partial = self.dir.join(format!("{id}.part"));
        let result: Result<StoredFile, UploadError> = async {
            tokio::fs::create_dir_all(&self.dir).await?;
            let mut file = tokio::fs::File::create(&partial).await?;
            let mut head: Vec<u8> = Vec::with_capacity(FileType::SNIFF_BYTES);
            let mut file_type = None;
            let mut size = 0u64;
            let mut hasher = Sha256::new();
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(Into::into)?;
                size += chunk.len() as u64;
                if size > limit {
                    return Err(UploadError::TooLarge);
                }
                if file_type.is_none() {
                    let want = FileType::SNIFF_BYTES - head.len();
                    head.extend_from_slice(&chunk[..want.min(chunk.len())]);
                    if head.len() == FileType::SNIFF_BYTES {
                        file_type = Some(FileType::sniff(&head).ok_or(UploadError::NotAllowed)?);
                    }
                }
                hasher.update(&chunk);
                file.write_all(&chunk).await?;
            }
            if size == 0 {
                return Err(UploadError::Empty);
            }
            let file_type = match file_type {
                Some(t) => t,
                None => FileType::sniff(&head).ok_or(UploadError::NotAllowed)?,
            };
            file.sync_all().await?;
            drop(file);
            match &self.remote {
                None => {
                    tokio::fs::rename(&partial, &final_path).await?;
                    // The rename is in the folder's entry list: without this a power cut can
                    // lose a file whose row the database has already committed.
                    sync_dir(&self.dir).await?;
                }
                // The object is put before the caller writes its row; an object whose row
                // never came is removed by the sweep (`unreferenced`).
                Some(store) => {
                    let bytes = tokio::fs::read(&partial).await?;
                    store.put(&object_store::path::Path::from(id.as_str()), bytes.into()).await.map_err(io_error)?;
                    tokio::fs::remove_file(&partial).await?;
                }
            }
            let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
            Ok(StoredFile { id: id.clone(), file_type, byte_size: size, sha256 })
        }
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        result
    }

    pub async fn read(&self, id: &str) -> std::io::Result<Vec<u8>> {
        let Some(path) = self.path_of(id) else { return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not an upload id")) };
        match &self.remote {
            None => tokio::fs::read(path).await,
            Some(store) => {
                let found = store.get(&object_store::path::Path::from(id)).await.map_err(io_error)?;
                Ok(found.bytes().await.map_err(io_error)?.to_vec())
            }
        }
    }

    /// Removes a file; one that is already gone is fine.
    pub async fn remove(&self, id: &str) {
        let Some(path) = self.path_of(id) else { return };
        let removed = match &self.remote {
            None => tokio::fs::remove_file(&path).await,
            Some(store) => store.delete(&object_store::path::Path::from(id)).await.map_err(io_error),
        };
        if let Err(e) = removed {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!("removing an upload: {e}");
            }
        }
    }

    /// The ids of stored files older than `min_age_seconds` (a file being written and its row
    /// are younger), for the sweep of files without a row.
    pub async fn older_than(&self, min_age_seconds: u64) -> std::io::Result<Vec<String>> {
        let mut ids = Vec::new();
        match &self.remote {
            None => {
                let mut entries = match tokio::fs::read_dir(&self.dir).await {
                    Ok(entries) => entries,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ids),
                    Err(e) => return Err(e),
                };
                while let Some(entry) = entries.next_entry().await? {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let old = entry.metadata().await?.modified()?.elapsed().is_ok_and(|age| age.as_secs() >= min_age_seconds);
                    if old && valid_id(&name) {
                        ids.push(name);
                    }
                }
            }
            Some(store) => {
                use futures_util::StreamExt as _;
                let cutoff = chrono_cutoff(min_age_seconds);
                let mut listing = store.list(None);
                while let Some(meta) = listing.next().await {
                    let meta = meta.map_err(io_error)?;
                    let name = meta.location.to_string();
                    if meta.last_modified.timestamp() <= cutoff && valid_id(&name) {
                        ids.push(name);
                    }
                }
            }
        }
        Ok(ids)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Removes `.part` files older than `min_age_seconds`: uploads cut off by a crash (a
    /// live upload's `.part` is younger). Run at start-up and hourly; returns how many.
    pub async fn sweep_partial(&self, min_age_seconds: u64) -> std::io::Result<usize> {
        let mut removed = 0;
        let mut entries = match tokio::fs::read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        while let Some(entry) = entries.next_entry().await? {
            let old = entry.metadata().await?.modified()?.elapsed().is_ok_and(|age| age.as_secs() >= min_age_seconds);
            if entry.file_name().to_string_lossy().ends_with(".part") && old {
                tokio::fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The Unix time `seconds` ago.
fn chrono_cutoff(seconds: u64) -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    now - seconds as i64
}

/// Flushes a folder's entries (a rename, a new file) to disk.
pub async fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(&dir)?.sync_all()).await.map_err(std::io::Error::other)?
}

/// Removes the files in `dir` whose name ends with `suffix` and that are older than
/// `max_age_days` (the `.eml` files of the embedded mail outbox); returns how many.
pub async fn purge_older(dir: &Path, suffix: &str, max_age_days: u64) -> std::io::Result<usize> {
    let mut removed = 0;
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        let old = entry.metadata().await?.modified()?.elapsed().is_ok_and(|age| age.as_secs() >= max_age_days * 86_400);
        if entry.file_name().to_string_lossy().ends_with(suffix) && old {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A multipart body that broke off or went past the request's size limit.
impl From<axum::extract::multipart::MultipartError> for UploadError {
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { UploadError::TooLarge } else { UploadError::Interrupted(e.body_text()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn chunks(parts: Vec<Vec<u8>>) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Unpin {
        stream::iter(parts.into_iter().map(|p| Ok(bytes::Bytes::from(p))))
    }

    #[tokio::test]
    async fn a_file_is_known_by_its_content_even_when_its_head_arrives_in_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::new(dir.path());
        let pdf = storage.save(chunks(vec![b"%P".to_vec(), b"DF-1.4\n".to_vec(), b"rest of it".to_vec()]), 1000).await.unwrap();
        assert_eq!(pdf.file_type, FileType::Pdf);
        assert_eq!(pdf.byte_size, 19);
        assert!(valid_id(&pdf.id));
        assert_eq!(storage.read(&pdf.id).await.unwrap(), b"%PDF-1.4\nrest of it");
    }

    #[tokio::test]
    async fn too_large_lying_or_empty_files_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::new(dir.path());
        let big = vec![vec![0xFF, 0xD8, 0xFF, 0xE0]; 1].into_iter().chain(std::iter::repeat_n(vec![0u8; 64 * 1024], 20)).collect();
        assert!(matches!(storage.save(chunks(big), 1024 * 1024).await, Err(UploadError::TooLarge)));
        let exe = vec![b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec()];
        assert!(matches!(storage.save(chunks(exe), 1000).await, Err(UploadError::NotAllowed)));
        assert!(matches!(storage.save(chunks(vec![]), 1000).await, Err(UploadError::Empty)));
        assert!(matches!(storage.save(chunks(vec![b"%PDF".to_vec()]), 1000).await, Err(UploadError::NotAllowed)));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn only_ids_we_made_are_paths() {
        let storage = Storage::new("/nonexistent");
        assert!(storage.read("../../etc/passwd").await.is_err());
        assert!(!valid_id("../../../../etc/passwd"));
        assert!(!valid_id("AAAAAAAAAAAAAAAAAAAAA/"));
    }
}
