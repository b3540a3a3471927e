//! `/petugas/masuk` (sign-in) and `/petugas` (the staff start page).

use crate::api::staff::{FilterChoices, QueuePageData, SignInRefused, queue_page, staff_home};
use crate::domain::eligibility::AgeGroup;
use crate::domain::workflow::{Channel, Queue, QueueFilter, filter_fields};
use crate::components::form::{ErrorSummary, SelectField, TextField};
use crate::components::staff_islands::{StaffForm, StaffOp};
use crate::i18n::{use_staff_texts, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_texts();
    let s = use_staff_texts();
    let refused = use_context::<SignInRefused>();
    let message = refused.as_ref().map(|r| if r.throttled { s.throttled } else { s.refused });
    let errors = message.map(|m| vec![("nama_pengguna".to_string(), m)]).unwrap_or_default();
    // After setting a password through an emailed link.
    let password_set = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("sandi").is_some());
    view! {
        <Title text=format!("{} · {}", s.sign_in_title, t.site_name)/>
        <h1>{s.sign_in_title}</h1>
        {password_set.then(|| view! { <p class="notice" role="status">{crate::i18n::use_admin_texts().password_done}</p> })}
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
    let s = use_staff_texts();
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
                        {if home.counts.iter().all(|(_, n)| *n == 0) {
                            view! { <p>{s.no_work}</p> }.into_any()
                        } else {
                            view! {
                                <table class="counts">
                                    <tbody>
                                        {home.counts.into_iter().map(|(queue, n)| view! {
                                            <tr>
                                                <th scope="row"><a href=format!("/petugas/antrean?daftar={}", queue.slug())>{(s.queue)(queue)}</a></th>
                                                <td>{count_text(n)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <WalkInStart counters=home.counters/>
                        <p><a class="button" href="/petugas/antrean">{s.open_queues}</a></p>
                        {home.open_complaints.map(|n| view! {
                            <p><a class="button button-secondary" href="/petugas/pengaduan">{(crate::i18n::use_complaint_texts().staff_link)(n)}</a></p>
                        })}
                        {home.roles.contains(&crate::domain::workflow::Role::Administrator).then(|| view! {
                            <p><a class="button button-secondary" href="/petugas/admin">{crate::i18n::use_admin_texts().title}</a></p>
                        })}
                        {crate::domain::report::may_read(&home.roles).then(|| view! {
                            <p><a class="button button-secondary" href="/petugas/laporan">{crate::i18n::use_report_texts().title}</a></p>
                        })}
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

/// A front-desk officer's way into the application journey for the resident at the counter.
#[component]
fn WalkInStart(counters: Vec<(i64, String)>) -> impl IntoView {
    let s = use_staff_texts();
    (!counters.is_empty()).then(|| {
        let choose = (counters.len() > 1).then(|| {
            let options = counters.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
            view! {
                <SelectField name="loket" label=s.walk_in_point_label.to_string() options selected=String::new() placeholder=s.walk_in_choose hint=None error=None/>
            }
        });
        let only = (counters.len() == 1).then(|| view! { <input type="hidden" name="loket" value=counters[0].0.to_string()/> });
        view! {
            <h2>{s.walk_in_heading}</h2>
            <p>{s.walk_in_intro}</p>
            <form method="post" action="/petugas/loket/mulai">
                {choose}
                {only}
                <button type="submit" class="button">{s.walk_in_start}</button>
            </form>
        }
    })
}

/// "1000+" past the cap: counting further would read the whole queue.
fn count_text(n: i64) -> String {
    if n > Queue::COUNT_CAP { format!("{}+", Queue::COUNT_CAP) } else { n.to_string() }
}

/// The filter form above a queue: a GET form, so a filtered queue is a link like any other.
#[component]
fn QueueFilterForm(queue: Queue, filter: QueueFilter, choices: FilterChoices) -> impl IntoView {
    let t = use_texts();
    let s = use_staff_texts();
    let pick = |v: Option<String>| v.unwrap_or_default();
    let channels = Channel::ALL.iter().map(|c| (c.slug().to_string(), (s.channel)(*c).to_string())).collect::<Vec<_>>();
    let ages = AgeGroup::ALL.iter().map(|a| (a.slug().to_string(), (t.age_group)(*a).to_string())).collect::<Vec<_>>();
    let district = filter.region.as_ref().and_then(|r| r.at_level(crate::domain::RegionLevel::District)).map(|d| d.as_str().to_string());
    view! {
        <details class="queue-filter" open=!filter.is_empty()>
            <summary>{s.filter_heading}</summary>
            <form method="get" action="/petugas/antrean">
                <input type="hidden" name="daftar" value=queue.slug()/>
                <SelectField name=filter_fields::PROGRAM label=s.filter_program.to_string() options=choices.programs selected=pick(filter.program.as_ref().map(|p| p.as_str().to_string())) placeholder=s.filter_all hint=None error=None/>
                <SelectField name=filter_fields::CATEGORY label=s.filter_category.to_string() options=choices.categories selected=pick(filter.category.map(|c| c.to_string())) placeholder=s.filter_all hint=None error=None/>
                <SelectField name=filter_fields::REGION label=s.filter_district.to_string() options=choices.districts selected=pick(district) placeholder=s.filter_all hint=None error=None/>
                <SelectField name=filter_fields::SERVICE_POINT label=s.filter_service_point.to_string() options=choices.service_points selected=pick(filter.service_point.map(|p| p.to_string())) placeholder=s.filter_all hint=None error=None/>
                <SelectField name=filter_fields::CHANNEL label=s.filter_channel.to_string() options=channels selected=pick(filter.channel.map(|c| c.slug().to_string())) placeholder=s.filter_all hint=None error=None/>
                <SelectField name=filter_fields::AGE label=s.filter_age.to_string() options=ages selected=pick(filter.age.map(|a| a.slug().to_string())) placeholder=s.filter_all hint=None error=None/>
                <button type="submit" class="button">{s.filter_apply}</button>
                " "
                <a class="button button-secondary" href=format!("/petugas/antrean?daftar={}", queue.slug())>{s.filter_clear}</a>
            </form>
        </details>
    }
}

/// `/petugas/antrean?daftar=…&setelah=…`: one queue, a page at a time, with a tab per queue.
#[component]
pub fn QueuePage() -> impl IntoView {
    let t = use_texts();
    let s = use_staff_texts();
    let query = leptos_router::hooks::use_query_map();
    let (queue, after, filter) = query.with_untracked(|q| {
        let pairs: Vec<(String, String)> = q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        (q.get("daftar").unwrap_or_default(), q.get("setelah"), QueueFilter::from_pairs(&pairs))
    });
    let data = Resource::new(|| (), move |_| queue_page(queue.clone(), after.clone(), filter.clone()));
    view! {
        <Title text=format!("{} · {}", s.queues_title, t.site_name)/>
        <h1>{s.queues_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <QueueContent page/> }.into_any(),
                    Err(crate::error::StaffError::SignIn) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueContent(page: QueuePageData) -> impl IntoView {
    let s = use_staff_texts();
    let current = page.queue;
    let suffix = page.filter.query_suffix();
    let tabs = page
        .counts
        .iter()
        .map(|(queue, n)| {
            let here = *queue == current;
            view! {
                <li class:tab-current=here>
                    <a href=format!("/petugas/antrean?daftar={}{suffix}", queue.slug()) aria-current=here.then_some("page")>
                        {(s.queue)(*queue)}" "<span class="count">{count_text(*n)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let lines = page.lines;
    view! {
        <QueueFilterForm queue=current filter=page.filter.clone() choices=page.choices.clone()/>
        <nav aria-label=s.queues_label><ul class="tabs">{tabs}</ul></nav>
        <h2>{(s.queue)(current)}</h2>
        {if lines.is_empty() {
            view! { <p>{s.queue_empty}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="queue">
                        <thead>
                            <tr>
                                <th scope="col">{s.column_number}</th>
                                <th scope="col">{s.column_person}</th>
                                <th scope="col">{s.column_program}</th>
                                <th scope="col">{s.column_dates}</th>
                                <th scope="col">{s.column_worker}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {lines
                                .into_iter()
                                .map(|line| {
                                    let (op, action) = if line.mine {
                                        (StaffOp::Release, "/petugas/antrean/lepas")
                                    } else {
                                        (StaffOp::Claim, "/petugas/antrean/ambil")
                                    };
                                    let label = if line.mine { s.release } else { s.claim };
                                    let free_or_mine = line.claimed_by.is_none() || line.mine;
                                    view! {
                                        <tr class:overdue=line.overdue>
                                            <td class="mono"><a href=format!("/petugas/permohonan/{}", line.id)>{line.number.clone()}</a></td>
                                            <td>{line.name.clone()}<br/><span class="mono">{line.masked_nik}</span></td>
                                            <td>{line.program}<br/>{line.village}</td>
                                            <td>
                                                {line.submitted_on}" / "{line.decision_due}
                                                {line.overdue.then(|| view! { " "<strong class="flag">{s.overdue}</strong> })}
                                            </td>
                                            <td>
                                                {line.claimed_by.clone().unwrap_or_else(|| s.nobody.to_string())}
                                                {free_or_mine.then(|| view! {
                                                    <StaffForm op action=action.to_string()>
                                                        <input type="hidden" name="id" value=line.id.to_string()/>
                                                        <input type="hidden" name="daftar" value=current.slug()/>
                                                        <button type="submit" class="button button-secondary button-small">
                                                            {label}<span class="visually-hidden">" "{line.number.clone()}</span>
                                                        </button>
                                                    </StaffForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {page.next.map(|next| view! {
            <p><a class="button button-secondary" href=format!("/petugas/antrean?daftar={}&setelah={}{}", current.slug(), next, page.filter.query_suffix())>{s.next_page}</a></p>
        })}
    }
}
