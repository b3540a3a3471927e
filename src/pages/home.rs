//! `/`: what Layan is, what a resident can do, and the programs open now.

use crate::api::programs::active_programs;
use crate::components::program_card::ProgramCard;
use crate::i18n::{use_lang, use_texts};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=format!("{} · {}", t.site_name, t.site_tagline)/>
        <Meta name="description" content=t.home_lead/>
        <section class="intro">
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_lead}</p>
            <p><a class="button" href="/cek-bantuan">{t.home_check_button}</a></p>
        </section>
        <section aria-labelledby="bisa">
            <h2 id="bisa">{t.home_what_heading}</h2>
            <ul class="checklist">
                {t.home_what_items.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="program">
            <h2 id="program">{t.home_programs_heading}</h2>
            <p>{t.home_programs_intro}</p>
            <OpenPrograms/>
        </section>
        <section aria-labelledby="datang" class="note">
            <h2 id="datang">{t.home_visit_heading}</h2>
            <p>{t.home_visit_body}</p>
        </section>
        <section aria-labelledby="privasi" class="note">
            <h2 id="privasi">{t.home_privacy_heading}</h2>
            <p>{t.home_privacy_body}</p>
        </section>
    }
}

/// The list of programs residents can apply to now, from the database.
#[component]
fn OpenPrograms() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let programs = Resource::new(move || lang, active_programs);
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match programs.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.home_no_programs}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="programs">
                            {list.into_iter().map(|p| view! { <li><ProgramCard program=p/></li> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
