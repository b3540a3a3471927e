//! `/luring`: the page a resident sees when the signal is gone. The service worker
//! (`public/sw.js`) keeps a copy from the last visit with signal and shows it offline with
//! one of its states visible and the kept posts listed; without the worker (no JavaScript)
//! the server renders the state the query names.
//!
//! The worker reads this page by its ids: `keadaan-{state}` on each state's section (it
//! shows one, hides the others), `tersimpan` on the list it fills, `tidak-ada-tersimpan` on
//! the line it hides when something is kept, and the `data-awalan` items of the `jenis`
//! template (what a kept post is, by the start of its address).

use crate::i18n::use_offline_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page's states, as `?keadaan=` names them: a post kept on the phone, everything kept
/// sent meanwhile, the final submission refused for want of signal, a page never seen with
/// signal.
pub const STATES: [&str; 4] = ["tersimpan", "terkirim", "belum-diajukan", "putus"];

#[component]
pub fn OfflinePage() -> impl IntoView {
    let t = use_offline_texts();
    let asked = use_query_map().with_untracked(|q| q.get("keadaan"));
    let state = asked.filter(|s| STATES.contains(&s.as_str())).unwrap_or_else(|| "putus".into());
    let section = |name: &'static str, heading: &'static str, body: &'static str| {
        view! {
            <section id=format!("keadaan-{name}") class="note" hidden=state != name>
                <h1>{heading}</h1>
                <p>{body}</p>
            </section>
        }
    };
    view! {
        <Title text=t.title/>
        <div class="page narrow offline">
            {section("tersimpan", t.kept_heading, t.kept_body)}
            {section("terkirim", t.sent_heading, t.sent_body)}
            {section("belum-diajukan", t.not_sent_heading, t.not_sent_body)}
            {section("putus", t.no_signal_heading, t.no_signal_body)}
            <h2>{t.list_heading}</h2>
            <p id="tidak-ada-tersimpan">{t.nothing_kept}</p>
            <ul id="tersimpan" class="kept-list"></ul>
            <template id="jenis">
                {t.kinds.iter().map(|(prefix, label)| view! { <li data-awalan=*prefix>{*label}</li> }).collect_view()}
            </template>
            <form method="post" action="/luring/kirim">
                <button type="submit" class="button">{t.send_now}</button>
            </form>
            <p class="hint">{t.retry_hint}</p>
            <form method="post" action="/luring/buang">
                <p class="hint" id="buang-petunjuk">{t.discard_hint}</p>
                <button type="submit" class="button button-secondary" aria-describedby="buang-petunjuk">{t.discard}</button>
            </form>
            <p><a href="/">{t.back_home}</a></p>
        </div>
    }
}
