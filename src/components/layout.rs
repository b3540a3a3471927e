//! The frame around every page: skip link, header with the language switch, footer.

use crate::i18n::{Lang, use_lang, use_texts};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#isi">{use_texts().skip_to_content}</a> }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let t = use_texts();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">{t.site_name}</span>
                <span class="brand-tagline">{t.site_tagline}</span>
            </a>
            <LanguageSwitch/>
        </header>
    }
}

/// A plain form posting to `/bahasa`: it works before, and without, JavaScript. It offers
/// the other language only, written in that language, so the header stays one short row
/// on a 360 px phone.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_lang();
    let t = use_texts();
    let location = use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    let other = Lang::ALL.into_iter().find(|l| *l != current).unwrap_or_default();
    view! {
        <form class="lang-switch" method="post" action="/bahasa" aria-label=t.language_switch_label>
            <input type="hidden" name="kembali" value=here/>
            <button type="submit" name="lang" value=other.code() lang=other.code()>
                {other.endonym()}
            </button>
        </form>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <p>{t.footer_office}</p>
            // Words from outside `Texts`: the footer is no island, so they add no bytes to the wasm.
            <p>
                <a href="/lacak">{crate::i18n::use_tracking_texts().lookup_title}</a>" · "
                <a href="/pengaduan">{crate::i18n::use_complaint_texts().complain_link}</a>" · "
                <a href="/statistik">{crate::i18n::use_report_texts().public_link}</a>
            </p>
            <p>
                <a href="https://github.com/fityannugroho/idn-area-data">{t.footer_region_data}</a>
            </p>
            <p>{t.footer_source}</p>
        </footer>
    }
}
