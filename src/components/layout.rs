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

/// A plain form posting to `/bahasa`: it works before, and without, JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_lang();
    let t = use_texts();
    let location = use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <form class="lang-switch" method="post" action="/bahasa">
            <input type="hidden" name="kembali" value=here/>
            <span class="visually-hidden">{t.language_switch_label}": "</span>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    let is_current = lang == current;
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=lang.code()
                            lang=lang.code()
                            aria-pressed=if is_current { "true" } else { "false" }
                        >
                            {lang.endonym()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <p>{t.footer_office}</p>
            <p>
                <a href="https://github.com/fityannugroho/idn-area-data">{t.footer_region_data}</a>
            </p>
            <p>{t.footer_source}</p>
        </footer>
    }
}
