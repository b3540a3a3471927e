//! Layan: the self-service portal of a Dinas Sosial.
//!
//! - `domain`: the rules (NIK, KK, regions, programs), plain Rust shared with the browser;
//! - `i18n`: every word on screen, Bahasa Indonesia and English;
//! - `api`: server functions, the endpoints pages call;
//! - `pages`, `components`: what people see;
//! - `server`: configuration, database, seeding, mail, HTTP (server only).

pub mod api;
pub mod app;
pub mod components;
pub mod cookies;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands, each in its own chunk, say when the page is live (`components::island_live`).
}
