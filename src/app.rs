//! The document shell and the route table.

use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::i18n::detect_lang;
use crate::pages::admin::{
    AdminCategoriesPage, AdminCategoryPage, AdminFailedMessagesPage, AdminHistoryPage, AdminRestrictedPage, AdminBreachPage, AdminSmsPage, AdminHolidaysPage, AdminHomePage, AdminProgramPage, AdminProgramsPage,
    AdminServicePointPage, AdminServicePointsPage, AdminStaffListPage, AdminStaffPage, PasswordPage,
};
use crate::pages::apply::{ApplyStartPage, ApplyStepPage, ConfirmationPage};
use crate::pages::check::{CheckPage, CheckResultsPage};
use crate::pages::complaints::{
    ComplaintFormPage, ComplaintReceiptPage, EmailLinkOpenPage, EmailLinkPage, EmailListPage, PhoneCodePage, StaffComplaintPage, StaffComplaintsPage,
    TrackedComplaintPage,
};
use crate::pages::reports::{PublicStatsPage, ReportPage, ReportPrintPage};
use crate::pages::review::ReviewPage;
use crate::pages::tracking::{ConsentPage, MyDataPage, NewPinPage, TrackLookupPage, TrackedPage, WithdrawPage};
use crate::pages::staff::{QueuePage, SignInPage, StaffHomePage};
use crate::pages::{home::HomePage, not_found::NotFound};
use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The islands the page at `path` may hold, by component name: the journey's steps with an
/// instant check (person: the NIK, address: the regions, documents: the uploader, review:
/// the single submit), the receipt's print button, and the staff's queue, review and
/// complaint pages (forms that answer in place). Every other page ships no script at all —
/// residents pay for every byte. The lazy islands come in WebAssembly chunks of their own:
/// the shell preloads just those of the islands named here (`server::islands`).
/// `tests/api/home.rs` holds this to what each page renders.
pub fn islands_on(path: &str) -> &'static [&'static str] {
    let path = path.trim_end_matches('/');
    let one_segment_after = |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    match path {
        "/ajukan/data-diri" => &["NikInput"],
        "/ajukan/alamat" => &["RegionPicker"],
        "/ajukan/dokumen" => &["DocumentUploader"],
        "/ajukan/periksa" => &["SubmitOnce"],
        "/ajukan/selesai" => &["PrintButton"],
        "/petugas/antrean" => &["StaffForm"],
        _ if one_segment_after("/petugas/permohonan/") || one_segment_after("/petugas/pengaduan/") => &["StaffForm"],
        _ => &[],
    }
}

/// Whether the page at `path` needs the hydration script and the WebAssembly at all.
pub fn has_islands(path: &str) -> bool {
    !islands_on(path).is_empty()
}

/// The one script every page carries, islands or not: it registers the service worker
/// (`public/sw.js`) once the page has loaded, so the worker's own downloads never compete
/// with the page's. `tests/api/home.rs` keeps it the only script of an island-free page.
pub const SERVICE_WORKER_REGISTRATION: &str =
    r#"if("serviceWorker"in navigator)addEventListener("load",function(){navigator.serviceWorker.register("/sw.js")})"#;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    #[cfg(feature = "ssr")]
    let path = use_context::<axum::http::request::Parts>().map(|parts| parts.uri.path().to_string());
    #[cfg(feature = "ssr")]
    let islands = path.as_deref().is_none_or(has_islands);
    #[cfg(not(feature = "ssr"))]
    let islands = true;
    // The chunks of this page's islands start downloading with the main module, not after it.
    #[cfg(feature = "ssr")]
    let chunks = path.as_deref().and_then(|path| crate::server::islands::chunks(&options, islands_on(path)));
    #[cfg(not(feature = "ssr"))]
    let chunks: Option<(String, Vec<String>)> = None;
    let chunk_links = chunks.map(|(loader, wasm)| {
        view! {
            <link rel="modulepreload" href=loader/>
            {wasm
                .into_iter()
                .map(|href| view! { <link rel="preload" href=href r#as="fetch" r#type="application/wasm" crossorigin=""/> })
                .collect_view()}
        }
    });
    #[cfg(feature = "ssr")]
    send_content_security_policy(islands);
    // A page with islands puts the response's nonce on its scripts; one without carries only
    // the registration, allowed by its hash, so the page is the same for every reader and
    // the edge may keep it (`server::http::public_page_copies`).
    let nonce = islands.then(|| leptos::nonce::use_nonce().map(|n| n.to_string())).flatten();
    // Nothing on the page will hydrate: its resources' data need not travel with it, and
    // the HTTP edge drops Leptos's empty bookkeeping scripts (`server::http::NO_ISLANDS`).
    if !islands {
        if let Some(shared) = Owner::current_shared_context() {
            shared.set_is_hydrating(false);
        }
        #[cfg(feature = "ssr")]
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::HeaderName::from_static(crate::server::http::NO_ISLANDS),
                axum::http::HeaderValue::from_static("1"),
            );
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5d57"/>
                <AutoReload options=options.clone()/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icon-192.png"/>
                <script nonce=nonce inner_html=SERVICE_WORKER_REGISTRATION></script>
                // The style sheet (in the meta tags) is asked for before the script and its
                // chunks: on HTTP/1.1's six connections it would otherwise queue behind them,
                // and the page is usable with HTML and CSS alone.
                <MetaTags/>
                {islands.then(|| view! { <HydrationScripts options=options.clone() islands=true/> })}
                {chunk_links}
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sends this response's CSP: around the nonce Leptos puts on its scripts where islands are,
/// around the registration's hash elsewhere.
#[cfg(feature = "ssr")]
fn send_content_security_policy(islands: bool) {
    use axum::http::{HeaderValue, header};
    use crate::server::http::{ScriptSource, content_security_policy};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let policy = if islands {
        let Some(nonce) = leptos::nonce::use_nonce() else { return };
        content_security_policy(ScriptSource::Nonce(&nonce.to_string()))
    } else {
        content_security_policy(ScriptSource::Registration)
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());

    view! {
        <Stylesheet id="leptos" href="/pkg/layan.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Router>
            <SkipLink/>
            <SiteHeader/>
            <main id="isi" tabindex="-1">
                // Resident pages render in order, so they are complete without JavaScript.
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("cek-bantuan") view=CheckPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("cek-bantuan"), StaticSegment("hasil"))
                        view=CheckResultsPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=StaticSegment("ajukan") view=ApplyStartPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("ajukan"), StaticSegment("selesai"))
                        view=ConfirmationPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("ajukan"), ParamSegment("step")) view=ApplyStepPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("lacak") view=TrackLookupPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("permohonan")) view=TrackedPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("cabut")) view=WithdrawPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("pengaduan")) view=TrackedComplaintPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("email")) view=EmailLinkPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("lacak"), StaticSegment("email"), StaticSegment("masuk"))
                        view=EmailLinkOpenPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("lacak"), StaticSegment("daftar")) view=EmailListPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("telepon")) view=PhoneCodePage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("pin")) view=NewPinPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("data")) view=MyDataPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("surat"), ParamSegment("kind")) view=crate::pages::letters::TrackingLetterPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("verifikasi") view=crate::pages::letters::PublicKeyPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("verifikasi"), ParamSegment("code")) view=crate::pages::letters::VerifyPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("lacak"), StaticSegment("persetujuan")) view=ConsentPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("pengaduan") view=ComplaintFormPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("pengaduan"), StaticSegment("terkirim")) view=ComplaintReceiptPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("petugas") view=StaffHomePage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("pengaduan")) view=StaffComplaintsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("laporan")) view=ReportPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("laporan"), StaticSegment("cetak")) view=ReportPrintPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("statistik") view=PublicStatsPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("luring") view=crate::pages::offline::OfflinePage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin")) view=AdminHomePage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("program")) view=AdminProgramsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("program-baru")) view=AdminProgramPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("program"), ParamSegment("code"))
                        view=AdminProgramPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("kategori")) view=AdminCategoriesPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("kategori-baru")) view=AdminCategoryPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("kategori"), ParamSegment("code"))
                        view=AdminCategoryPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("titik-layanan")) view=AdminServicePointsPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("titik-layanan-baru"))
                        view=AdminServicePointPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("titik-layanan"), ParamSegment("code"))
                        view=AdminServicePointPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("petugas")) view=AdminStaffListPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("petugas-baru")) view=AdminStaffPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("petugas"), ParamSegment("id"))
                        view=AdminStaffPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("petugas"), StaticSegment("sandi")) view=PasswordPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("libur")) view=AdminHolidaysPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("riwayat")) view=AdminHistoryPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("pesan-gagal")) view=AdminFailedMessagesPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("sms")) view=AdminSmsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("pembatasan")) view=AdminRestrictedPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("admin"), StaticSegment("pemberitahuan")) view=AdminBreachPage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("pengaduan"), ParamSegment("id"))
                        view=StaffComplaintPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=(StaticSegment("petugas"), StaticSegment("masuk")) view=SignInPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("petugas"), StaticSegment("antrean")) view=QueuePage ssr=SsrMode::InOrder/>
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("permohonan"), ParamSegment("id"))
                        view=ReviewPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=(StaticSegment("petugas"), StaticSegment("permohonan"), ParamSegment("id"), StaticSegment("surat"), ParamSegment("kind"))
                        view=crate::pages::letters::StaffLetterPage
                        ssr=SsrMode::InOrder
                    />
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
