//! Copies of the public pages, each kept one second: when many read `/` or `/statistik` at
//! once (a link shared in a group chat, a script reloading), all readers in that second get
//! the same compressed bytes and the page is rendered once, nearly as cheap as a file.
//!
//! Only what is the same for every reader is copied: a GET of a page without islands (their
//! CSP allows the registration script by its hash, no per-response nonce), from a browser
//! carrying no cookie but the language's (a draft, a tracking session, a staff session or
//! the aid check's answers change what the page shows), answered 200 without setting a
//! cookie. A change made on this instance drops every copy at once ([`PageCopies::forget`]);
//! made elsewhere, it shows after the catalogue's own check (`catalogue`) and a second here.

use crate::i18n::Lang;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long a copy is served.
pub const FRESH: Duration = Duration::from_secs(1);
/// At most this many copies (query strings and encodings are the reader's to vary).
const MOST: usize = 256;
/// The public pages without islands that may be copied, and whether their query counts.
const COPYABLE: &[(&str, bool)] = &[
    ("/", false),
    ("/cek-bantuan", false),
    ("/lacak", false),
    ("/lacak/email", false),
    ("/pengaduan", false),
    ("/statistik", true),
    ("/verifikasi", false),
    ("/luring", true),
    ("/petugas/masuk", false),
];

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    path: &'static str,
    query: String,
    lang: Lang,
    encoding: String,
}

#[derive(Debug)]
struct Copy {
    made: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// This instance's copies, in `AppState`.
#[derive(Debug, Default)]
pub struct PageCopies {
    copies: RwLock<HashMap<Key, Copy>>,
}

impl PageCopies {
    /// Drops every copy, after a change made here.
    pub fn forget(&self) {
        if let Ok(mut copies) = self.copies.write() {
            copies.clear();
        }
    }

    fn fresh(&self, key: &Key) -> Option<Response> {
        let copies = self.copies.read().ok()?;
        let copy = copies.get(key).filter(|c| c.made.elapsed() < FRESH)?;
        let mut response = Response::new(Body::from(copy.body.clone()));
        *response.headers_mut() = copy.headers.clone();
        Some(response)
    }

    fn keep(&self, key: Key, headers: HeaderMap, body: Bytes) {
        let Ok(mut copies) = self.copies.write() else { return };
        if copies.len() >= MOST {
            copies.retain(|_, c| c.made.elapsed() < FRESH);
            if copies.len() >= MOST {
                copies.clear();
            }
        }
        copies.insert(key, Copy { made: Instant::now(), headers, body });
    }
}

/// Which copy `request` may be answered with, if any.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != axum::http::Method::GET {
        return None;
    }
    let uri = request.uri();
    let &(path, with_query) = COPYABLE.iter().find(|(p, _)| *p == uri.path())?;
    let query = uri.query().unwrap_or_default();
    if !with_query && !query.is_empty() {
        return None;
    }
    let only_language = crate::cookies::headers(request.headers()).all(|h| {
        h.split(';').map(|c| c.trim()).filter(|c| !c.is_empty()).all(|c| {
            let name = c.split('=').next().unwrap_or_default();
            name == Lang::COOKIE || name.strip_prefix("__Host-") == Some(Lang::COOKIE)
        })
    });
    if !only_language {
        return None;
    }
    let encoding = request.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    Some(Key { path, query: query.to_string(), lang: Lang::from_headers(request.headers()), encoding: encoding.to_string() })
}

/// The layer: a fresh copy when there is one, else the page, kept if it may be.
pub async fn serve(State(state): State<super::state::AppState>, request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else { return next.run(request).await };
    if let Some(copy) = state.page_copies.fresh(&key) {
        return copy;
    }
    let response = next.run(request).await;
    let islands = response.headers().get(header::CONTENT_SECURITY_POLICY).is_some_and(|v| v.as_bytes().windows(7).any(|w| w == b"'nonce-"));
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) || islands {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, 1024 * 1024).await {
        Ok(bytes) => {
            state.page_copies.keep(key, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::warn!(error = %e, "a public page's body could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
