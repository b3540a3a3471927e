//! Pieces of interface shared by several pages.

pub mod apply_islands;
pub mod form;
pub mod layout;
pub mod program_card;
pub mod staff_islands;

use leptos::prelude::*;

/// Called by every island as it builds: the signal turns `true` once the island is live
/// (hydrated), to show or hide its script-only parts; and once every island on the page is,
/// the document says so (`<html data-hydrated="true">`, which tests and `bench/pages.mjs`
/// wait for). Lazy islands arrive in WebAssembly chunks of their own, after the main module
/// has started, so only the islands can tell when the page is whole.
pub fn island_live() -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    Effect::new(move |_| {
        set_live.set(true);
        #[cfg(feature = "hydrate")]
        count_live_island();
    });
    live
}

#[cfg(feature = "hydrate")]
fn count_live_island() {
    use std::cell::Cell;
    thread_local! { static LIVE: Cell<u32> = const { Cell::new(0) }; }
    let live = LIVE.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let document = document();
    let on_page = document.query_selector_all("leptos-island").map(|all| all.length()).unwrap_or(0);
    if live >= on_page {
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
    }
}
