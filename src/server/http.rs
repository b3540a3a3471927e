//! The HTTP edge: routes that are not pages, and the layers every response passes through
//! (request log, security headers, refusal of cross-site form posts, compression).
//!
//! Longer than 500 lines: the router's route table and the layers every response passes through belong together; their tests are at the end.

use super::state::AppState;
use crate::app::{App, shell};
use crate::i18n::Lang;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::time::{Duration, Instant};
use tower_http::compression::CompressionLayer;

/// The whole application: pages, server functions, static files, `/healthz`.
pub fn router(state: AppState) -> Router {
    // Listed once per process: while Leptos lists routes it holds back every page's data
    // loading process-wide (leptos-rs/leptos#4773), so listing again while pages render
    // (several routers in one process, as in the tests) could stall those pages for good.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    Router::new()
        .route("/healthz", get(healthz))
        // With the service worker these two never reach the server (public/sw.js answers
        // them on the phone); without it nothing is kept on the phone, so both lead back.
        .route("/luring/kirim", post(|| async { Redirect::to("/luring") }))
        .route("/luring/buang", post(|| async { Redirect::to("/luring") }))
        .route("/bahasa", post(set_language))
        .route("/cek-bantuan", post(submit_check))
        .route("/ajukan/mulai", post(super::apply::start))
        .route("/ajukan/kirim", post(super::apply::submit))
        .route("/ajukan/buang", post(super::apply::discard))
        .route("/ajukan/{step}", post(super::apply::post_step))
        .route(
            "/ajukan/dokumen/unggah",
            post(super::apply::upload).layer(upload_limit()),
        )
        .route("/ajukan/dokumen/hapus", post(super::apply::remove_upload))
        .route("/ajukan/dokumen/{kind}", get(super::apply::view_upload))
        .route("/lacak", post(super::tracking::look_up))
        .route("/lacak/keluar", post(super::tracking::sign_out))
        .route("/lacak/cabut", post(super::tracking::withdraw))
        .route("/lacak/ajukan-ulang", post(super::tracking::resubmit))
        .route("/lacak/jawaban", post(super::tracking::fix_answer))
        .route(
            "/lacak/dokumen",
            post(super::tracking::replace_document).layer(upload_limit()),
        )
        .route("/lacak/sanggah", post(super::complaints::dispute).layer(upload_limit()))
        .route("/lacak/email", post(super::sign_in_links::ask_link))
        .route("/lacak/email/masuk", post(super::sign_in_links::use_link))
        .route("/lacak/buka", post(super::sign_in_links::open_item))
        .route("/lacak/telepon", post(super::sign_in_links::ask_code))
        .route("/lacak/telepon/masuk", post(super::sign_in_links::use_code))
        .route("/lacak/pin", post(super::sign_in_links::new_pin))
        .route("/lacak/data.json", get(super::tracking::data_json))
        .route("/lacak/dokumen/{id}", get(super::tracking::document))
        .route("/lacak/berbagi", post(super::tracking::share))
        .route("/lacak/persetujuan", post(super::tracking::withdraw_consent))
        .route("/petugas/admin/pembatasan/{id}", post(super::admin::lift_restriction))
        .route("/petugas/admin/pemberitahuan", post(super::breach::propose))
        .route("/petugas/admin/pemberitahuan/{id}/konfirmasi", post(super::breach::confirm))
        .route("/petugas/admin/pemberitahuan/{id}/batal", post(super::breach::cancel))
        .route("/sms/laporan", get(super::texts::delivery_report))
        .route("/sms/masuk", post(super::texts::incoming).layer(axum::extract::DefaultBodyLimit::max(super::texts::BODY_LIMIT)))
        .route("/pengaduan", post(super::complaints::submit).layer(upload_limit()))
        .route("/petugas/pengaduan/{id}/jawab", post(super::complaints::reply))
        .route("/petugas/pengaduan/berkas/{id}", get(super::complaints::file))
        .route("/petugas/masuk", post(super::staff::sign_in))
        .route("/petugas/keluar", post(super::staff::sign_out))
        .route("/petugas/antrean/ambil", post(super::staff::claim))
        .route("/petugas/antrean/lepas", post(super::staff::release))
        .route("/petugas/loket/mulai", post(super::apply::start_walk_in))
        .route("/petugas/permohonan/{id}/langkah", post(super::casework::act))
        .route("/petugas/berkas/{id}", get(super::casework::document))
        .route("/petugas/laporan/unduh", get(super::reports::csv))
        .route("/petugas/admin/program", post(super::admin::create_program))
        .route("/petugas/admin/program/{code}", post(super::admin::update_program))
        .route("/petugas/admin/kategori", post(super::admin::create_category))
        .route("/petugas/admin/kategori/{code}", post(super::admin::update_category))
        .route("/petugas/admin/titik-layanan", post(super::admin::create_service_point))
        .route("/petugas/admin/titik-layanan/{code}", post(super::admin::update_service_point))
        .route("/petugas/admin/petugas", post(super::admin::create_staff))
        .route("/petugas/admin/petugas/{id}", post(super::admin::update_staff))
        .route("/petugas/admin/petugas/{id}/status", post(super::admin::set_staff_active))
        .route("/petugas/admin/petugas/{id}/tautan", post(super::admin::send_password_link))
        .route("/petugas/sandi", post(super::admin::set_password))
        .route("/petugas/admin/libur", post(super::admin::add_holiday))
        .route("/petugas/admin/libur/hapus", post(super::admin::remove_holiday))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Who is calling, once per request; then any refusal put into the reader's words.
        .layer(middleware::from_fn_with_state(state.clone(), super::caller::find_staff))
        .layer(middleware::from_fn(super::refusal::word_refusals))
        .layer(middleware::from_fn(limit_server_fn_bodies))
        .layer(middleware::from_fn(drop_hydration_bookkeeping))
        // Listed innermost first: the log sees the final status of everything.
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(state.clone(), super::page_copies::serve))
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// On every response to a browser with a live staff session: a Puskesos counter, where the
/// journey is filled in for walk-in residents. The service worker keeps no copy of such a
/// browser's journey pages and drops those it kept (`public/sw.js`), so one resident's
/// details do not wait on the counter's disk for the next.
pub const STAFF_BROWSER: &str = "x-layan-petugas";

/// The header the shell sets on a page without islands (`app::shell`); it never leaves the
/// server.
pub const NO_ISLANDS: &str = "x-layan-no-islands";

/// Leptos ends every streamed page with inline scripts for hydration's bookkeeping
/// (`__RESOLVED_RESOURCES=[];…`, `__INCOMPLETE_CHUNKS=[];`). On a page nothing hydrates they
/// are bytes and a script for nothing, so they are taken out of the stream here, before
/// compression sees it.
async fn drop_hydration_bookkeeping(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.headers_mut().remove(NO_ISLANDS).is_none() {
        return response;
    }
    use futures_util::TryStreamExt;
    let (parts, body) = response.into_parts();
    let body = body.into_data_stream().map_ok(|chunk| match std::str::from_utf8(&chunk).ok().and_then(without_bookkeeping) {
        Some(kept) => bytes::Bytes::from(kept),
        None => chunk,
    });
    Response::from_parts(parts, axum::body::Body::from_stream(body))
}

/// `html` without Leptos's bookkeeping scripts, or `None` when it holds none. A script is
/// one chunk of Leptos's stream, never split across two.
fn without_bookkeeping(html: &str) -> Option<String> {
    const MARKS: [&str; 2] = ["__RESOLVED_RESOURCES=", "__INCOMPLETE_CHUNKS="];
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    let mut found = false;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let bookkeeping = after.find('>').map(|open| &after[open + 1..]).filter(|body| MARKS.iter().any(|m| body.starts_with(m)));
        let end = after.find("</script>").map(|end| end + "</script>".len());
        match (bookkeeping, end) {
            (Some(_), Some(end)) => {
                kept.push_str(&rest[..start]);
                rest = &after[end..];
                found = true;
            }
            _ => {
                let next = start + "<script".len();
                kept.push_str(&rest[..next]);
                rest = &rest[next..];
            }
        }
    }
    kept.push_str(rest);
    found.then_some(kept)
}

/// Forms that carry a file: the file is counted while it streams; this caps the whole
/// request just above it.
fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(crate::domain::document::MAX_UPLOAD_BYTES as usize + 64 * 1024)
}

/// The most a server function's arguments may take: they are a few form fields.
pub const SERVER_FN_BODY_LIMIT: usize = 64 * 1024;

/// Server functions (`/api/…`) read their whole body: one past the limit gets 413 here, with
/// or without a `Content-Length`, instead of failing inside the function as a 500.
async fn limit_server_fn_bodies(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let lang = Lang::from_headers(request.headers());
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > SERVER_FN_BODY_LIMIT) {
        return plain_text(StatusCode::PAYLOAD_TOO_LARGE, lang.texts().request_too_large);
    }
    let (parts, body) = request.into_parts();
    let response = match axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT).await {
        Ok(bytes) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Err(_) => return plain_text(StatusCode::PAYLOAD_TOO_LARGE, lang.texts().request_too_large),
    };
    arguments_that_do_not_read_are_400(response).await
}

/// Leptos answers a server function whose arguments do not deserialize with 500 (the
/// error's `Transport` variant, `Args` or `Deserialization`); that is the caller's mistake,
/// not ours, so it becomes 400 with the same body.
async fn arguments_that_do_not_read_are_400(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT).await else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let transport = serde_json::from_slice::<serde_json::Value>(&bytes).ok().and_then(|v| v.get("Transport").cloned());
    if transport.is_some_and(|t| t.get("Args").is_some() || t.get("Deserialization").is_some()) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// `GET /healthz`: 200 when the database and the document store answer, 503 when one does
/// not or the instance is draining (shutting down: a balancer should send elsewhere).
async fn healthz(State(state): State<AppState>) -> Response {
    let started = Instant::now();
    let ping = tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await;
    let up = matches!(ping, Ok(Ok(())));
    let database_ms = started.elapsed().as_secs_f64() * 1000.0;
    if !up {
        tracing::warn!("health check: database did not answer");
    }
    let started = Instant::now();
    let stored = tokio::time::timeout(Duration::from_secs(2), state.storage.ping()).await;
    let store_up = matches!(stored, Ok(Ok(())));
    if !store_up {
        tracing::warn!("health check: the document store did not answer");
    }
    let round = |ms: f64| (ms * 10.0).round() / 10.0;
    let draining = state.lifecycle.is_draining();
    let healthy = up && store_up && !draining;
    let body = serde_json::json!({
        "status": if draining { "draining" } else if healthy { "ok" } else { "unavailable" },
        "instance": super::jobs::instance(),
        "database": {
            "backend": state.db.backend().name(),
            "status": if up { "up" } else { "down" },
            "latency_ms": round(database_ms),
        },
        "storage": {
            "backend": state.storage.kind(),
            "status": if store_up { "up" } else { "down" },
            "latency_ms": round(started.elapsed().as_secs_f64() * 1000.0),
        },
        "version": env!("CARGO_PKG_VERSION"),
    });
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize)]
struct LanguageChoice {
    lang: String,
    /// The page to return to.
    kembali: Option<String>,
}

/// `POST /bahasa`: remembers the language in a cookie and returns to the page. A plain
/// form post, so it works the same with or without JavaScript.
async fn set_language(
    headers: HeaderMap,
    form: Result<Form<LanguageChoice>, axum::extract::rejection::FormRejection>,
) -> Response {
    let t = Lang::from_headers(&headers).texts();
    let Ok(Form(choice)) = form else {
        return plain_text(StatusCode::BAD_REQUEST, t.request_incomplete);
    };
    let Some(lang) = Lang::parse(&choice.lang) else {
        return plain_text(StatusCode::BAD_REQUEST, t.language_unknown);
    };
    let back = choice.kembali.as_deref().filter(|p| is_local_path(p)).unwrap_or("/");
    redirect_with_cookie(back, &format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", Lang::COOKIE, lang.code()))
}

/// `POST /cek-bantuan`: keeps the answers of "which aid fits me" in a cookie for an hour,
/// then shows the results, or the questions again with what is
/// missing. A plain form post: the same with or without JavaScript.
async fn submit_check(
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    use crate::api::check::{CHECK_COOKIE, StoredCheck};
    use crate::domain::eligibility::CheckAnswers;
    let Ok(Form(pairs)) = form else {
        return plain_text(StatusCode::BAD_REQUEST, Lang::from_headers(&headers).texts().request_incomplete);
    };
    let answers = CheckAnswers::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let incomplete = answers.complete().is_err();
    let stored = StoredCheck { answers, incomplete };
    let back = if incomplete { "/cek-bantuan#ringkasan-galat" } else { "/cek-bantuan/hasil" };
    // An hour is plenty for a two-minute check, and on a shared phone the answers (one may
    // be about a disability) do not outlive the visit.
    redirect_with_cookie(back, &format!("{CHECK_COOKIE}={}; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly", stored.to_cookie_value()))
}

/// Renders the page at `path` in answer to a post (a refused form, shown again), with
/// `context` for the page to read: what was typed and what is wrong.
pub async fn render_page<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    context: T,
    status: StatusCode,
) -> Response {
    render(state, headers, None, path, context, status).await
}

/// [`render_page`] for a staff page, as the member who posted (the session is not looked up
/// a second time).
pub async fn render_staff_page<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    me: &super::auth::StaffMember,
    path: &str,
    context: T,
    status: StatusCode,
) -> Response {
    render(state, headers, Some(super::caller::Caller::of(me)), path, context, status).await
}

/// The answer of a staff form posted without JavaScript, over the operation its server
/// function also runs: done → 303 to the page it names; refused → the form's page again
/// with what was typed and the problems, at the refusal's status; anything else → the refusal.
pub async fn staff_form_answer<P: Clone + Send + Sync + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    me: &super::auth::StaffMember,
    form_page: &str,
    outcome: Result<String, super::refusal::Declined<P>>,
) -> Result<Response, super::refusal::Refusal> {
    use super::refusal::Declined;
    match outcome {
        Ok(next) => Ok(Redirect::to(&next).into_response()),
        Err(Declined::Form(refused, status)) => Ok(render_staff_page(state, headers, me, form_page, refused, status).await),
        Err(Declined::Refusal(r)) => Err(r),
    }
}

async fn render<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<super::caller::Caller>,
    path: &str,
    context: T,
    status: StatusCode,
) -> Response {
    use axum::body::Body;
    let mut request = Request::new(Body::empty());
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    *request.method_mut() = Method::GET;
    *request.uri_mut() = path.parse().unwrap_or_default();
    *request.headers_mut() = headers.clone();
    request.headers_mut().remove(header::CONTENT_TYPE);
    request.headers_mut().remove(header::CONTENT_LENGTH);
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_in_order_with_context(
        move || {
            leptos::prelude::provide_context(context_state.clone());
            leptos::prelude::provide_context(context_state.leptos_options.clone());
            leptos::prelude::provide_context(context.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = handler(request).await;
    *response.status_mut() = status;
    response
}

/// The peer of a connection, as handlers take it (absent in the tests' in-process router).
pub type Peer = Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>;

/// The caller's IP address, for the guessing limits ("unknown" when the server was not
/// started with connection info, as in the tests' router). Behind reverse proxies listed in
/// `LAYAN_TRUSTED_PROXIES`, the right-most address in `X-Forwarded-For` that is not one of
/// them: what a client writes there itself sits further left and is never believed.
pub fn client_address(state: &AppState, connection: Peer, headers: &HeaderMap) -> String {
    let Some(peer) = connection.map(|c| c.0.0.ip()) else { return "unknown".into() };
    forwarded_client(peer, headers, &state.config.trusted_proxies).to_string()
}

fn forwarded_client(peer: std::net::IpAddr, headers: &HeaderMap, trusted: &[super::config::IpNet]) -> std::net::IpAddr {
    let is_trusted = |ip: std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().parse::<std::net::IpAddr>().ok())
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop {
            // A hop that is not an address: nothing left of it can be trusted.
            None => break,
            Some(ip) if is_trusted(ip) => client = ip,
            Some(ip) => return ip,
        }
    }
    client
}

/// 503 with `Retry-After`: too many passwords are being checked at once (`secrets::Busy`).
pub fn busy(lang: Lang) -> Response {
    with_retry_after(plain_text(StatusCode::SERVICE_UNAVAILABLE, lang.texts().busy), super::secrets::BUSY_RETRY_SECONDS)
}

/// 429 for an address past its hourly budget of anonymous writes (`limits::take`).
pub fn too_many_writes(lang: Lang, retry_after: i64) -> Response {
    let minutes = (retry_after + 59) / 60;
    with_retry_after(plain_text(StatusCode::TOO_MANY_REQUESTS, (lang.texts().too_many_writes)(minutes)), retry_after)
}

/// Adds `Retry-After` (seconds) to a refusal: a script is told when, a person reads the page.
pub fn with_retry_after(mut response: Response, seconds: i64) -> Response {
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

/// 303 See Other to a page of ours, setting one cookie.
pub fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A path on this site, so the language switch cannot be used to redirect elsewhere.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 512
        && path.chars().all(|c| !c.is_control())
}

/// The Content-Security-Policy of every HTML page: scripts only with this response's nonce
/// (Leptos adds it to its own) on pages with islands, only the service worker's registration
/// (by its hash) on the others; styles and everything else from this site only.
pub fn content_security_policy(scripts: ScriptSource) -> String {
    let scripts = match scripts {
        ScriptSource::Nonce(nonce) => format!("'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        ScriptSource::Registration => format!("'{}'", registration_hash()),
    };
    format!(
        "default-src 'self'; script-src {scripts}; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// What a page's scripts are allowed by.
pub enum ScriptSource<'a> {
    /// The response's nonce (pages with islands: Leptos's scripts and what they load).
    Nonce(&'a str),
    /// Only the service worker's registration, by its hash (every other page).
    Registration,
}

/// `sha256-…` of `app::SERVICE_WORKER_REGISTRATION`, as CSP names an inline script.
fn registration_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(crate::app::SERVICE_WORKER_REGISTRATION.as_bytes());
        format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest))
    })
}

/// Pages that show nothing about anyone and may be kept by a browser. Every other answer
/// not marked otherwise is `no-store`: on a shared phone or a counter PC, Back after
/// sign-out must not bring a receipt, a NIK or a case page out of the cache. A new page is
/// personal until it is listed here.
const PUBLIC_PAGES: &[&str] = &["/", "/statistik", "/pengaduan", "/lacak/email", "/petugas/masuk", "/luring"];

/// Static files (the wasm, scripts, styles, icons): neither personal nor ours to restrict.
pub(super) fn is_static_file(path: &str) -> bool {
    const ASSETS: &[&str] = &[".css", ".js", ".wasm", ".ico", ".png", ".svg", ".webmanifest", ".txt"];
    path.starts_with("/pkg/") || (path.matches('/').count() == 1 && ASSETS.iter().any(|ext| path.ends_with(ext)))
}

/// The policy of `public/sw.js`: it may fetch this site (pages, kept posts, files), nothing
/// else, and loads no other script.
pub const SERVICE_WORKER_POLICY: &str = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'";

/// The `Cache-Control` of an answer that set none itself. Only a public page fetched with
/// GET may be kept: the answer to a post (a refused form shown again holds what was typed,
/// even on a public page's path) is never kept.
pub fn cache_policy(method: &Method, path: &str) -> Option<&'static str> {
    let read = matches!(*method, Method::GET | Method::HEAD);
    if read && is_static_file(path) {
        None
    } else if read && PUBLIC_PAGES.contains(&path) {
        // Kept, but asked again each time: the language and the nonce are per response.
        Some("no-cache")
    } else {
        Some("no-store")
    }
}

/// The cookies Layan sets with `Path=/`: behind https they carry the `__Host-` prefix, and
/// one sent without it is not believed (`cookies::from_host_cookies`).
const HOST_COOKIES: &[&str] =
    &[super::db::drafts::DRAFT_COOKIE, super::auth::SESSION_COOKIE, crate::api::check::CHECK_COOKIE, Lang::COOKIE];

async fn security_headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let cache = cache_policy(request.method(), request.uri().path());
    let worker = request.uri().path() == "/sw.js";
    let https = state.config.public_url.starts_with("https://");
    if https {
        let joined = crate::cookies::headers(request.headers())
            .map(|h| crate::cookies::from_host_cookies(h, HOST_COOKIES))
            .filter(|h| !h.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let headers = request.headers_mut();
        headers.remove(header::COOKIE);
        if let Ok(value) = HeaderValue::from_str(&joined) {
            if !joined.is_empty() {
                headers.insert(header::COOKIE, value);
            }
        }
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(policy) = cache {
        headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(policy));
    }
    // Only behind https (LAYAN_PUBLIC_URL): browsers then refuse plain http for a year, and
    // every cookie is `Secure` (whole-site ones also `__Host-`).
    if https {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static("max-age=31536000"));
        let set: Vec<String> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(crate::cookies::secure_set_cookie)
            .collect();
        headers.remove(header::SET_COOKIE);
        for cookie in set {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.append(header::SET_COOKIE, value);
            }
        }
    }
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    // Not `no-referrer`: forms posted without JavaScript are sent back via the Referer.
    set(headers, header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(headers, header::HeaderName::from_static("permissions-policy"), "camera=(self), geolocation=(), microphone=()");
    set(headers, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    // Pages set their own policy with the nonce; everything else may not run anything but
    // the service worker, which lives under its script's policy and fetches this site only.
    let policy = if worker { SERVICE_WORKER_POLICY } else { "default-src 'none'; frame-ancestors 'none'" };
    set(headers, header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// Refuses state-changing requests sent by another site (CSRF). Browsers say where a
/// request comes from in `Sec-Fetch-Site`, older ones in `Origin`; a request with neither
/// is not from a browser page and carries no one's cookies by surprise.
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), "refused a cross-site request");
        plain_text(StatusCode::FORBIDDEN, Lang::from_headers(request.headers()).texts().cross_site_refused)
    }
}

/// 500 with the reference of the log line that holds the cause (logged here).
pub fn internal_error(e: &(dyn std::error::Error + 'static), doing: &str, lang: Lang) -> Response {
    let e = crate::error::AppError::internal(e, doing);
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], (lang.texts().load_failed)(e.reference()))
        .into_response()
}

/// A short answer in plain text (a refusal that is not a page).
pub fn plain_text(status: StatusCode, message: impl Into<String>) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message.into()).into_response()
}

pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), headers.get(header::HOST).map(|h| h.to_str())) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(scheme, authority)| matches!(scheme, "http" | "https") && authority.eq_ignore_ascii_case(host))
}

/// One line per request: method, route, status, time. Never the query string, the body
/// or a path segment that could be someone's number.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_string(),
        None => redact_digits(request.uri().path()),
    };
    let response = next.run(request).await;
    tracing::info!(
        target: "layan::request",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Replaces every run of 6 or more digits (a NIK, a KK, a phone number) with `#`.
pub fn redact_digits(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 6 {
            out.push('#');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in path.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bookkeeping_scripts_go_and_every_other_script_stays() {
        use super::without_bookkeeping;
        let page = r#"<p>a</p><script nonce="n1">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];</script><script nonce="n1">kept()</script><script>__INCOMPLETE_CHUNKS=[];</script>"#;
        assert_eq!(without_bookkeeping(page).as_deref(), Some(r#"<p>a</p><script nonce="n1">kept()</script>"#));
        assert_eq!(without_bookkeeping("<p>no script</p>"), None);
        assert_eq!(without_bookkeeping("<script>x=1</script>"), None);
        // A script cut by the chunk's end is left as it is.
        assert_eq!(without_bookkeeping("<script>__INCOMPLETE_CHUNKS=["), None);
    }

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_is_judged_by_fetch_metadata_then_origin() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!is_same_origin(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
        assert!(is_same_origin(&headers(&[])));
    }

    #[test]
    fn only_public_pages_may_be_kept_by_a_browser() {
        let get = |path| cache_policy(&Method::GET, path);
        assert_eq!(get("/"), Some("no-cache"));
        assert_eq!(get("/statistik"), Some("no-cache"));
        for personal in ["/ajukan/selesai", "/ajukan/periksa", "/lacak/permohonan", "/petugas/permohonan/7", "/petugas", "/cek-bantuan/hasil", "/unknown"] {
            assert_eq!(get(personal), Some("no-store"), "{personal}");
        }
        assert_eq!(get("/pkg/layan.wasm"), None);
        assert_eq!(get("/favicon.ico"), None);
        // A refused form on a public page's path holds what was typed.
        assert_eq!(cache_policy(&Method::POST, "/pengaduan"), Some("no-store"));
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        use super::super::config::IpNet;
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let trusted = [IpNet::parse("127.0.0.1").unwrap(), IpNet::parse("10.0.0.0/8").unwrap()];
        let xff = |v: &'static str| headers(&[("x-forwarded-for", v)]);
        // No proxy trusted: the socket's address, whatever the header says.
        assert_eq!(forwarded_client(ip("127.0.0.1"), &xff("203.0.113.9"), &[]), ip("127.0.0.1"));
        // From a trusted proxy: the right-most untrusted hop.
        assert_eq!(forwarded_client(ip("127.0.0.1"), &xff("203.0.113.9"), &trusted), ip("203.0.113.9"));
        assert_eq!(forwarded_client(ip("127.0.0.1"), &xff("6.6.6.6, 203.0.113.9, 10.1.1.1"), &trusted), ip("203.0.113.9"));
        // A client cannot pass itself off by sending the header to Layan directly.
        assert_eq!(forwarded_client(ip("198.51.100.4"), &xff("203.0.113.9"), &trusted), ip("198.51.100.4"));
        assert_eq!(forwarded_client(ip("127.0.0.1"), &xff("junk, 10.0.0.2"), &trusted), ip("10.0.0.2"));
        assert_eq!(forwarded_client(ip("127.0.0.1"), &headers(&[]), &trusted), ip("127.0.0.1"));
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/ajukan?program=rs-rtlh"));
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "", "/a\nb"] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn long_digit_runs_never_reach_the_log() {
        assert_eq!(redact_digits("/lacak/3276011505870003"), "/lacak/#");
        assert_eq!(redact_digits("/pkg/layan_bg.wasm"), "/pkg/layan_bg.wasm");
        assert_eq!(redact_digits("/a/12345/b/081234567890"), "/a/12345/b/#");
    }
}
