//! `/petugas/masuk` (sign-in) and `/petugas` (the staff start page).

use crate::api::staff::{SignInRefused, staff_home};
use crate::components::form::{ErrorSummary, TextField};
use crate::i18n::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let refused = use_context::<SignInRefused>();
    let message = refused.as_ref().map(|r| if r.throttled { s.throttled } else { s.refused });
    let errors = message.map(|m| vec![("nama_pengguna".to_string(), m)]).unwrap_or_default();
    view! {
        <Title text=format!("{} · {}", s.sign_in_title, t.site_name)/>
        <h1>{s.sign_in_title}</h1>
        <p>{s.sign_in_intro}</p>
        <ErrorSummary errors/>
        <form method="post" action="/petugas/masuk" novalidate>
            <TextField
                name="nama_pengguna"
                label=s.username_label
                value=refused.map(|r| r.username).unwrap_or_default()
                hint=None
                error=message
                autocomplete="username"
            />
            <TextField name="kata_sandi" label=s.password_label value=String::new() hint=None error=None input_type="password" autocomplete="current-password"/>
            <button type="submit" class="button">{s.sign_in_button}</button>
        </form>
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let home = Resource::new(|| (), |_| staff_home());
    view! {
        <Title text=format!("{} · {}", s.home_title, t.site_name)/>
        <h1>{s.home_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(home)) => view! {
                        <p>{(s.greeting)(&home.full_name)}</p>
                        <dl class="summary-list">
                            <div>
                                <dt>{s.roles_label}</dt>
                                <dd>{home.roles.iter().map(|r| (s.role)(*r)).collect::<Vec<_>>().join(", ")}</dd>
                            </div>
                            <div>
                                <dt>{s.areas_label}</dt>
                                <dd>{if home.areas.is_empty() { s.no_areas.to_string() } else { home.areas.join(", ") }}</dd>
                            </div>
                        </dl>
                        <h2>{s.work_heading}</h2>
                        {if home.counts.is_empty() {
                            view! { <p>{s.no_work}</p> }.into_any()
                        } else {
                            view! {
                                <table class="counts">
                                    <tbody>
                                        {home.counts.into_iter().map(|(status, n)| view! {
                                            <tr><th scope="row">{(s.status)(status)}</th><td>{n}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <form method="post" action="/petugas/keluar">
                            <button type="submit" class="button button-secondary">{s.sign_out}</button>
                        </form>
                    }.into_any(),
                    // Not signed in: the server function already answered with a redirect.
                    Ok(None) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
