//! Complaints and disputes, for residents and for staff:
//! `/pengaduan` (the form) and `/pengaduan/terkirim` (its receipt), `/lacak/pengaduan` (one
//! complaint followed), `/lacak/email`, `/lacak/email/masuk` and `/lacak/daftar` (sign-in by
//! email and its list), `/petugas/pengaduan` and `/petugas/pengaduan/{id}` (staff).
//! Plain pages and forms: none needs JavaScript.
//!
//! Longer than 500 lines: the resident's and the staff's complaint pages share the status and history views.

use crate::api::complaints::*;
use crate::domain::complaint::ComplaintTab;
use crate::components::staff_islands::{StaffForm, StaffOp};
use crate::components::form::{Choice, ChoiceQuestion, ErrorSummary, Field, SelectField, TextArea, TextField, field_aria};
use crate::domain::apply::field;
use crate::domain::complaint::{ComplaintKind, ComplaintStatus, fields};
use crate::i18n::{use_complaint_texts, use_staff_texts, use_texts, use_tracking_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page's load error, in the resident's words with a reference for staff.
fn load_failed(e: crate::error::AppError) -> AnyView {
    let t = use_texts();
    view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any()
}

/// An optional photo input (`foto`) with its label, hint and error.
#[component]
fn PhotoField(label: &'static str, error: Option<&'static str>) -> impl IntoView {
    let q = use_complaint_texts();
    let name = fields::PHOTO;
    view! {
        <Field name=name.to_string() label=label.to_string() hint=Some(q.photo_hint) error>
            <input class="file-input" type="file" id=name name=name accept="image/jpeg,image/png,image/webp,application/pdf"
                aria-describedby=field_aria(name, Some(q.photo_hint), error)/>
        </Field>
    }
}

/// What a refused form said, by field, and the photo's problem in the journey's words.
fn refused_errors(refused: &Option<ComplaintRefused>) -> Vec<(String, &'static str)> {
    let q = use_complaint_texts();
    let t = use_texts();
    let mut errors: Vec<(String, &'static str)> =
        refused.iter().flat_map(|r| r.problems.iter().map(|(f, p)| (f.clone(), (q.problem)(*p)))).collect();
    if let Some(p) = refused.as_ref().and_then(|r| r.photo) {
        errors.push((fields::PHOTO.to_string(), (t.apply.problem)(p)));
    }
    errors
}

fn error_at(errors: &[(String, &'static str)], name: &str) -> Option<&'static str> {
    errors.iter().find(|(f, _)| f == name).map(|(_, m)| *m)
}

#[component]
pub fn ComplaintFormPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let data = Resource::new(|| (), |_| complaint_form());
    view! {
        <Title text=format!("{} · {}", q.form_title, t.site_name)/>
        <h1>{q.form_title}</h1>
        <p>{q.form_intro}</p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(form) => view! { <ComplaintForm form/> }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComplaintForm(form: ComplaintFormData) -> impl IntoView {
    let q = use_complaint_texts();
    let refused = use_context::<ComplaintRefused>();
    let errors = refused_errors(&refused);
    let values = refused.as_ref().map(|r| r.values.clone()).unwrap_or_default();
    let value = |name: &str| field(&values, name).to_string();
    // A number from a receipt's link (`?nomor=`) starts the form about that application.
    let from_link = use_query_map().with_untracked(|q| q.get("nomor")).unwrap_or_default();
    let number = if refused.is_some() { value(fields::NUMBER) } else { from_link.clone() };
    let about = if refused.is_some() { value(fields::ABOUT) } else if from_link.is_empty() { String::new() } else { "permohonan".into() };
    let kind = value(fields::KIND);
    let options = form.service_points.iter().map(|(id, name, district)| (id.to_string(), format!("{name} ({district})"))).collect();
    let about_labels = [q.about_application, q.about_service_point, q.about_general];
    view! {
        <ErrorSummary errors=errors.clone()/>
        <form method="post" action="/pengaduan" enctype="multipart/form-data" novalidate>
            <input type="hidden" name="kunci" value=form.key/>
            <ChoiceQuestion name=fields::KIND legend=q.kind_legend hint=None error=error_at(&errors, fields::KIND)>
                {ComplaintKind::PUBLIC.into_iter().map(|k| view! {
                    <Choice name=fields::KIND value=k.slug() label=(q.kind)(k) checked=kind == k.slug()/>
                    <p class="hint choice-hint">{(q.kind_hint)(k)}</p>
                }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=fields::ABOUT legend=q.about_legend hint=None error=error_at(&errors, fields::ABOUT)>
                {crate::domain::complaint::About::SLUGS.into_iter().zip(about_labels).map(|(slug, label)| view! {
                    <Choice name=fields::ABOUT value=slug label checked=about == slug/>
                }).collect_view()}
            </ChoiceQuestion>
            <TextField name=fields::NUMBER label=q.number_label value=number hint=Some(q.number_hint) error=error_at(&errors, fields::NUMBER) class="input input-medium"/>
            <SelectField name=fields::SERVICE_POINT label=q.service_point_label.to_string() options selected=value(fields::SERVICE_POINT)
                placeholder=q.service_point_choose hint=None error=error_at(&errors, fields::SERVICE_POINT)/>
            <TextArea name=fields::MESSAGE label=q.message_label value=value(fields::MESSAGE) hint=Some(q.message_hint) error=error_at(&errors, fields::MESSAGE)/>
            <h2>{q.contact_heading}</h2>
            <p>{q.contact_intro}</p>
            <TextField name=fields::NAME label=q.name_label value=value(fields::NAME) hint=None error=error_at(&errors, fields::NAME) autocomplete="name"/>
            <TextField name=fields::EMAIL label=q.email_label value=value(fields::EMAIL) hint=Some(q.email_hint) error=error_at(&errors, fields::EMAIL)
                input_type="email" autocomplete="email" inputmode="email"/>
            <TextField name=fields::PHONE label=q.phone_label value=value(fields::PHONE) hint=None error=error_at(&errors, fields::PHONE)
                input_type="tel" autocomplete="tel" inputmode="tel"/>
            <PhotoField label=q.photo_label error=error_at(&errors, fields::PHOTO)/>
            <button type="submit" class="button">{q.send_button}</button>
        </form>
    }
}

#[component]
pub fn ComplaintReceiptPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| complaint_receipt());
    view! {
        <Title text=format!("{} · {}", q.receipt_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ReceiptOutcome::Shown { number, pin, kind, due }) => view! {
                        <div class="panel panel-success" role="status">
                            <h1>{q.receipt_title}</h1>
                            <p>{(q.receipt_intro)(kind)}</p>
                        </div>
                        <dl class="summary-list receipt">
                            <div><dt>{q.receipt_number}</dt><dd class="mono big" id="nomor-pengaduan">{number}</dd></div>
                            <div><dt>{q.receipt_pin}</dt><dd class="mono big" id="pin-pengaduan">{pin}</dd></div>
                            <div><dt>{q.due_label}</dt><dd>{due}</dd></div>
                        </dl>
                        <p><strong>{q.receipt_keep}</strong></p>
                        <p><a class="button" href="/lacak">{q.track_link}</a></p>
                    }.into_any(),
                    Ok(ReceiptOutcome::Gone) => view! {
                        <h1>{q.receipt_title}</h1>
                        <p>{q.receipt_gone}</p>
                        <p><a class="button" href="/lacak">{k.open_button}</a></p>
                    }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

/// Who wrote a line of a complaint's life, as the resident reads it.
fn line_author(by: &Option<Option<crate::domain::workflow::Role>>) -> &'static str {
    let q = use_complaint_texts();
    let k = use_tracking_texts();
    match by {
        None => q.by_you,
        Some(role) => (k.by_office)(*role),
    }
}

/// A complaint's replies and steps, newest first.
#[component]
pub fn ComplaintTimeline(lines: Vec<ComplaintLineView>) -> impl IntoView {
    let q = use_complaint_texts();
    let has_reply = lines.iter().any(|l| l.message.is_some());
    view! {
        {(!has_reply).then(|| view! { <p>{q.no_replies}</p> })}
        <ol class="timeline">
            {lines.into_iter().rev().map(|line| view! {
                <li>
                    <p><strong>{(q.status)(line.status)}</strong>" · "{line.at.clone()}" · "{line_author(&line.by)}</p>
                    {line.message.map(|m| view! { <p class="prewrap reply">{m}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn TrackedComplaintPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| tracked_complaint());
    view! {
        <Title text=format!("{} · {}", k.lookup_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ComplaintTrackingOutcome::Found(c)) => {
                        let about = match (&c.application, &c.service_point) {
                            (Some(n), _) => (q.about_application_value)(n),
                            (None, Some(point)) => point.clone(),
                            (None, None) => q.about_general_value.to_string(),
                        };
                        view! {
                            {c.from_list.then(|| view! { <p><a href="/lacak/daftar">{q.back_to_list}</a></p> })}
                            <h1>{(q.tracked_title)(c.kind, &c.number)}</h1>
                            <dl class="summary-list">
                                <div><dt>{k.status_label}</dt><dd><strong>{(q.status)(c.status)}</strong></dd></div>
                                <div><dt>{q.about_label}</dt><dd>{about}</dd></div>
                                <div><dt>{q.received_label}</dt><dd>{c.received_on.clone()}</dd></div>
                                <div><dt>{q.due_label}</dt><dd>{c.due.clone()}</dd></div>
                            </dl>
                            <p>{(q.explain)(c.status)}</p>
                            <h2>{q.your_message}</h2>
                            <p class="prewrap">{c.message.clone()}</p>
                            <h2>{q.replies_heading}</h2>
                            <ComplaintTimeline lines=c.lines.clone()/>
                            <form method="post" action="/lacak/keluar">
                                <button type="submit" class="button button-secondary">{k.done_button}</button>
                            </form>
                        }.into_any()
                    }
                    Ok(ComplaintTrackingOutcome::NotOpen) => view! {
                        <h1>{k.lookup_title}</h1>
                        <p>{k.not_open}</p>
                        <p><a class="button" href="/lacak">{k.open_button}</a></p>
                    }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

/// On an application's tracking page: its dispute, or the form to send one while the
/// decision may still be disputed.
#[component]
pub fn DisputeSection(dispute: Option<DisputeView>, until: Option<String>) -> impl IntoView {
    let q = use_complaint_texts();
    let refused = use_context::<ComplaintRefused>();
    let errors = refused_errors(&refused);
    let typed = refused.as_ref().map(|r| field(&r.values, fields::REASON).to_string()).unwrap_or_default();
    match (dispute, until) {
        (Some(d), _) => Some(view! {
            <section class="notice" id="sanggah" aria-labelledby="sanggah-judul">
                <h2 id="sanggah-judul">{(q.dispute_sent)(&d.number)}</h2>
                <p><strong>{(q.status)(d.status)}</strong>" · "{q.due_label}": "{d.due.clone()}</p>
                <p>{q.dispute_same_pin}</p>
                <ComplaintTimeline lines=d.lines/>
            </section>
        }.into_any()),
        (None, Some(until)) => Some(view! {
            <section id="sanggah" aria-labelledby="sanggah-judul">
                <h2 id="sanggah-judul">{q.dispute_heading}</h2>
                <p>{(q.dispute_intro)(&until)}</p>
                <ErrorSummary errors=errors.clone()/>
                <form method="post" action="/lacak/sanggah" enctype="multipart/form-data" novalidate>
                    <TextArea name=fields::REASON label=q.dispute_reason_label value=typed hint=Some(q.dispute_reason_hint) error=error_at(&errors, fields::REASON)/>
                    <PhotoField label=q.dispute_photo_label error=error_at(&errors, fields::PHOTO)/>
                    <button type="submit" class="button">{q.dispute_button}</button>
                </form>
            </section>
        }.into_any()),
        (None, None) => None,
    }
}

#[component]
pub fn EmailLinkPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let asked = use_context::<LinkAsked>();
    let expired = use_query_map().with_untracked(|p| p.get("kedaluwarsa").is_some());
    let error = asked.as_ref().and_then(|a| a.problem.map(q.problem).or(a.throttled.then_some(q.link_throttled)));
    let sent = asked.as_ref().is_some_and(|a| a.problem.is_none() && !a.throttled);
    let errors = error.map(|m| vec![("email".to_string(), m)]).unwrap_or_default();
    view! {
        <Title text=format!("{} · {}", q.link_title, t.site_name)/>
        <h1>{q.link_title}</h1>
        {expired.then(|| view! { <p class="notice" role="status">{q.link_expired}</p> })}
        {if sent {
            view! { <div class="panel panel-success" role="status"><p>{q.link_sent}</p></div> }.into_any()
        } else {
            view! {
                <p>{q.link_intro}</p>
                <ErrorSummary errors/>
                <form method="post" action="/lacak/email" novalidate>
                    <TextField name="email" label=q.email_label value=asked.map(|a| a.email).unwrap_or_default() hint=Some(q.link_email_hint)
                        error input_type="email" autocomplete="email" inputmode="email"/>
                    <button type="submit" class="button">{q.link_button}</button>
                </form>
            }.into_any()
        }}
    }
}

/// `/lacak/telepon`: a code by SMS, then the code typed here opens the phone's list.
#[component]
pub fn PhoneCodePage() -> impl IntoView {
    use crate::api::complaints::{CodeAsked, CodeStage};
    let t = use_texts();
    let q = use_complaint_texts();
    let asked = use_context::<CodeAsked>();
    let stage = asked.as_ref().map(|a| a.stage);
    let phone = asked.map(|a| a.phone).unwrap_or_default();
    let ask_error = match stage {
        Some(CodeStage::PhoneInvalid) => Some(q.phone_invalid),
        Some(CodeStage::Throttled) => Some(q.code_throttled),
        _ => None,
    };
    let code_error = (stage == Some(CodeStage::CodeWrong)).then_some(q.code_wrong);
    let typing_code = matches!(stage, Some(CodeStage::Sent | CodeStage::CodeWrong));
    view! {
        <Title text=format!("{} · {}", q.code_title, t.site_name)/>
        <h1>{q.code_title}</h1>
        {if typing_code {
            let errors = code_error.map(|m| vec![("kode".to_string(), m)]).unwrap_or_default();
            view! {
                {(stage == Some(CodeStage::Sent)).then(|| view! { <div class="panel panel-success" role="status"><p>{q.code_sent}</p></div> })}
                <ErrorSummary errors/>
                <form method="post" action="/lacak/telepon/masuk" novalidate>
                    <input type="hidden" name="telepon" value=phone/>
                    <TextField name="kode" label=q.code_label value=String::new() hint=Some(q.code_hint) error=code_error
                        inputmode="numeric" autocomplete="one-time-code"/>
                    <button type="submit" class="button">{q.code_open_button}</button>
                </form>
                <p><a href="/lacak/telepon">{q.code_again}</a></p>
            }.into_any()
        } else {
            let errors = ask_error.map(|m| vec![("telepon".to_string(), m)]).unwrap_or_default();
            view! {
                <p>{q.code_intro}</p>
                <ErrorSummary errors/>
                <form method="post" action="/lacak/telepon" novalidate>
                    <TextField name="telepon" label=q.phone_label value=phone hint=Some(q.phone_hint) error=ask_error
                        input_type="tel" autocomplete="tel" inputmode="tel"/>
                    <button type="submit" class="button">{q.code_button}</button>
                </form>
                <p><a href="/lacak/email">{q.or_by_email}</a></p>
            }.into_any()
        }}
    }
}

/// The page a sign-in link opens: one button, so a mail scanner's visit uses nothing up.
#[component]
pub fn EmailLinkOpenPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let token = use_query_map().with_untracked(|p| p.get("token")).unwrap_or_default();
    view! {
        <Title text=format!("{} · {}", q.link_open_title, t.site_name)/>
        <h1>{q.link_open_title}</h1>
        <p>{q.link_open_intro}</p>
        <form method="post" action="/lacak/email/masuk">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">{q.link_open_button}</button>
        </form>
    }
}

#[component]
pub fn EmailListPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| email_list());
    view! {
        <Title text=format!("{} · {}", q.list_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(EmailListOutcome::Found(list)) => view! {
                        <h1>{q.list_title}</h1>
                        <p>{q.list_intro}</p>
                        <h2>{q.list_applications}</h2>
                        {if list.applications.is_empty() { Some(view! { <p>{q.list_empty}</p> }) } else { None }}
                        <ul class="item-list">
                            {list.applications.into_iter().map(|a| view! {
                                <li>
                                    <p><strong class="mono">{a.number.clone()}</strong>" · "{a.program}</p>
                                    <p>{(k.status)(a.status)}" · "{a.submitted_on}</p>
                                    <form method="post" action="/lacak/buka">
                                        <input type="hidden" name="permohonan" value=a.id.to_string()/>
                                        <button type="submit" class="button button-secondary button-small">
                                            {q.open_button}<span class="visually-hidden">" "{a.number}</span>
                                        </button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{q.list_complaints}</h2>
                        {if list.complaints.is_empty() { Some(view! { <p>{q.list_empty}</p> }) } else { None }}
                        <ul class="item-list">
                            {list.complaints.into_iter().map(|c| view! {
                                <li>
                                    <p><strong class="mono">{c.number.clone()}</strong>" · "{(q.kind)(c.kind)}</p>
                                    <p>{(q.status)(c.status)}" · "{c.received_on}</p>
                                    <form method="post" action="/lacak/buka">
                                        <input type="hidden" name="pengaduan" value=c.id.to_string()/>
                                        <button type="submit" class="button button-secondary button-small">
                                            {q.open_button}<span class="visually-hidden">" "{c.number}</span>
                                        </button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                        <form method="post" action="/lacak/keluar">
                            <button type="submit" class="button button-secondary">{k.done_button}</button>
                        </form>
                    }.into_any(),
                    Ok(EmailListOutcome::NotOpen) => view! {
                        <h1>{q.list_title}</h1>
                        <p><a class="button" href="/lacak/email">{q.link_button}</a></p>
                    }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

// ---- staff ----

#[component]
pub fn StaffComplaintsPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let s = use_staff_texts();
    let tab = ComplaintTab::from_slug(&use_query_map().with_untracked(|p| p.get("daftar")).unwrap_or_default());
    let data = Resource::new(|| (), move |_| complaint_list(tab));
    view! {
        <Title text=format!("{} · {}", q.staff_title, t.site_name)/>
        <p><a href="/petugas">{s.home_title}</a></p>
        <h1>{q.staff_title}</h1>
        <nav aria-label=q.staff_tabs_label>
            <ul class="tabs">
                {ComplaintTab::ALL.into_iter().map(|each| {
                    let here = each == tab;
                    view! {
                        <li class:tab-current=here>
                            <a href=format!("/petugas/pengaduan?daftar={}", each.slug()) aria-current=here.then_some("page")>{(q.tab)(each)}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ComplaintListOutcome::Found { items, .. }) if items.is_empty() => view! { <p>{q.staff_empty}</p> }.into_any(),
                    Ok(ComplaintListOutcome::Found { items, .. }) => view! { <ComplaintTable items/> }.into_any(),
                    Ok(ComplaintListOutcome::NotForYou) => view! { <p>{q.staff_not_for_you}</p> }.into_any(),
                    Ok(ComplaintListOutcome::SignedOut) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

/// What a complaint is about, in a few words.
fn about_text(application: Option<&str>, service_point: Option<&str>) -> String {
    let q = use_complaint_texts();
    match (application, service_point) {
        (Some(n), _) => (q.about_application_value)(n),
        (None, Some(p)) => p.to_string(),
        (None, None) => q.about_general_value.to_string(),
    }
}

#[component]
fn ComplaintTable(items: Vec<ComplaintListItem>) -> impl IntoView {
    let q = use_complaint_texts();
    view! {
        <div class="table-scroll">
            <table class="queue">
                <thead>
                    <tr>
                        <th scope="col">{q.column_number}</th>
                        <th scope="col">{q.column_kind}</th>
                        <th scope="col">{q.column_about}</th>
                        <th scope="col">{q.column_dates}</th>
                        <th scope="col">{q.column_status}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|c| view! {
                        <tr class:overdue=c.overdue>
                            <td class="mono"><a href=format!("/petugas/pengaduan/{}", c.id)>{c.number.clone()}</a></td>
                            <td>{(q.kind)(c.kind)}</td>
                            <td>{about_text(c.application.as_deref(), c.service_point.as_deref())}</td>
                            <td>
                                {c.received_on.clone()}" / "{c.due.clone()}
                                {c.overdue.then(|| view! { " "<strong class="flag">{q.overdue}</strong> })}
                            </td>
                            <td>{(q.status)(c.status)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn StaffComplaintPage() -> impl IntoView {
    let t = use_texts();
    let q = use_complaint_texts();
    let s = use_staff_texts();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new(|| (), move |_| async move {
        match id {
            Some(id) => complaint_case(id).await,
            None => Ok(ComplaintCaseOutcome::NotYours),
        }
    });
    view! {
        <Title text=format!("{} · {}", q.staff_title, t.site_name)/>
        <p><a href="/petugas/pengaduan">{q.back_to_staff_list}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ComplaintCaseOutcome::Found(case)) => view! { <ComplaintCaseView case=*case/> }.into_any(),
                    Ok(ComplaintCaseOutcome::NotYours) => view! { <h1>{q.not_yours}</h1> }.into_any(),
                    Ok(ComplaintCaseOutcome::SignedOut) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComplaintCaseView(case: ComplaintCase) -> impl IntoView {
    let q = use_complaint_texts();
    let k = use_tracking_texts();
    let s = use_staff_texts();
    let refused = use_context::<crate::error::Refused<ReplyProblem>>();
    let error = refused.as_ref().and_then(|r| r.problem(fields::REPLY)).map(|p| match p {
        ReplyProblem::Form(p) => (q.problem)(p),
        ReplyProblem::Closed => q.reply_closed,
    });
    let errors = error.map(|m| vec![(fields::REPLY.to_string(), m)]).unwrap_or_default();
    let about = match &case.application {
        Some((Some(id), number)) => view! { <a href=format!("/petugas/permohonan/{id}")>{(q.about_application_value)(number)}</a> }.into_any(),
        Some((None, number)) if case.number_unknown => {
            view! { <span>{(q.about_application_value)(number)}" · "<strong class="flag">{q.number_unknown}</strong></span> }.into_any()
        }
        Some((None, number)) => view! { <span>{(q.about_application_value)(number)}</span> }.into_any(),
        None => view! { <span>{about_text(None, case.service_point.as_deref())}</span> }.into_any(),
    };
    let open = case.status != ComplaintStatus::Closed;
    let action = format!("/petugas/pengaduan/{}/jawab", case.id);
    view! {
        <h1>{(q.tracked_title)(case.kind, &case.number)}</h1>
        <dl class="summary-list">
            <div><dt>{k.status_label}</dt><dd><strong>{(q.status)(case.status)}</strong></dd></div>
            <div><dt>{q.about_label}</dt><dd>{about}</dd></div>
            <div>
                <dt>{q.column_dates}</dt>
                <dd>{case.received_on.clone()}" / "{case.due.clone()}{case.overdue.then(|| view! { " "<strong class="flag">{q.overdue}</strong> })}</dd>
            </div>
        </dl>
        <h2>{q.sender_heading}</h2>
        <dl class="summary-list">
            <div><dt>{q.name_label}</dt><dd>{case.name.clone().unwrap_or_else(|| q.anonymous.to_string())}</dd></div>
            {case.email.clone().map(|e| view! { <div><dt>{q.email_label}</dt><dd>{e}</dd></div> })}
            {case.phone.clone().map(|p| view! { <div><dt>{q.phone_label}</dt><dd>{p}</dd></div> })}
        </dl>
        <h2>{q.message_label}</h2>
        <p class="prewrap">{case.message.clone()}</p>
        {(!case.files.is_empty()).then(|| view! {
            <h2>{q.files_heading}</h2>
            <ul>
                {case.files.iter().map(|(id, _, size)| view! {
                    <li><a href=format!("/petugas/pengaduan/berkas/{id}")>{(q.file_link)(size)}</a></li>
                }).collect_view()}
            </ul>
        })}
        <h2>{q.history_heading}</h2>
        <ol class="timeline">
            {case.lines.iter().rev().map(|line| {
                let who = match &line.by {
                    None => q.by_sender.to_string(),
                    Some((name, role)) => format!("{name} ({})", role.map(|r| (s.role)(r)).unwrap_or_default()),
                };
                view! {
                    <li>
                        <p><strong>{(q.status)(line.status)}</strong>" · "{line.at.clone()}" · "{who}</p>
                        {line.message.clone().map(|m| view! { <p class="prewrap">{m}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
        {if open {
            view! {
                <h2>{q.reply_heading}</h2>
                <ErrorSummary errors/>
                <StaffForm op=StaffOp::Reply { id: case.id } action>
                    <TextArea name=fields::REPLY label=q.reply_label value=refused.map(|r| field(&r.values, fields::REPLY).to_string()).unwrap_or_default() hint=Some(q.reply_hint) error/>
                    <div class="choice">
                        <input type="checkbox" id="tutup" name=fields::CLOSE value="ya"/>
                        <label for="tutup">{q.close_label}</label>
                    </div>
                    <button type="submit" class="button">{q.reply_button}</button>
                </StaffForm>
            }.into_any()
        } else {
            view! { <p>{q.closed_note}</p> }.into_any()
        }}
    }
}
