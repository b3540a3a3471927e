//! `/lacak` (the number and PIN), `/lacak/permohonan` (where the application stands) and
//! `/lacak/cabut` (withdrawing, after a confirmation). Plain pages and forms: no JavaScript.

use crate::domain::registration::tracking_fields;
use crate::api::tracking::{CorrectionRefused, LookupRefused, TrackedActor, TrackingData, TrackingOutcome, tracking_page};
use crate::components::form::{ErrorSummary, TextArea, TextField};
use crate::domain::decision::{Action, format_rupiah};
use crate::i18n::{use_case_texts, use_texts, use_tracking_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TrackLookupPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let q = crate::i18n::use_complaint_texts();
    let refused = use_context::<LookupRefused>();
    // The receipt's QR code opens this page with the number (which names no one).
    let from_link = use_query_map().with_untracked(|q| q.get("nomor")).unwrap_or_default();
    let number = refused.as_ref().map(|r| r.number.clone()).unwrap_or(from_link);
    let message = refused.as_ref().map(|r| if r.throttled { k.throttled } else { k.refused });
    let errors = message.map(|m| vec![("nomor".to_string(), m)]).unwrap_or_default();
    view! {
        <Title text=format!("{} · {}", k.lookup_title, t.site_name)/>
        <h1>{k.lookup_title}</h1>
        <p>{k.lookup_intro}</p>
        <ErrorSummary errors/>
        <form method="post" action="/lacak" novalidate>
            <TextField name=tracking_fields::NUMBER label=k.number_label value=number hint=Some(k.number_hint) error=message autocomplete="off"/>
            <TextField name=tracking_fields::PIN label=k.pin_label value=String::new() hint=Some(k.pin_hint) error=None input_type="password" inputmode="numeric" autocomplete="off"/>
            <button type="submit" class="button">{k.open_button}</button>
        </form>
        <h2>{q.forgot_title}</h2>
        <p><a href="/lacak/telepon">{q.or_by_phone}</a></p>
        <p><a href="/lacak/email">{q.or_by_email}</a></p>
        <p><a href="/pengaduan">{q.complain_link}</a></p>
    }
}

/// No tracking session in this browser (or it ran out): the way back to the lookup.
#[component]
pub(crate) fn AskForNumberAndPin() -> impl IntoView {
    let k = use_tracking_texts();
    view! {
        <h1>{k.lookup_title}</h1>
        <p>{k.not_open}</p>
        <p><a class="button" href="/lacak">{k.open_button}</a></p>
    }
}

#[component]
pub fn TrackedPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| tracking_page());
    view! {
        <Title text=format!("{} · {}", k.lookup_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(TrackingOutcome::Found(found)) => view! { <Tracked data=*found/> }.into_any(),
                    Ok(TrackingOutcome::NotOpen) => view! { <AskForNumberAndPin/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tracked(data: TrackingData) -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let c = use_case_texts();
    let refused = use_context::<CorrectionRefused>();
    let fixable_here = data.fixable_here;
    let documents = data.documents_to_replace.clone();
    let answers_to_fix = data.answers_to_fix.clone();
    let correction = data.correction.clone().map(|(items, note)| {
        let parts = items.iter().map(|s| (t.apply.step_title)(*s)).collect::<Vec<_>>().join(", ");
        let errors: Vec<(String, &'static str)> = refused
            .iter()
            .flat_map(|r| r.problems.iter())
            .map(|(field, problem)| (field.clone(), if field == "kirim-perbaikan" { k.resubmit_needs_documents } else { (t.apply.problem)(*problem) }))
            .collect();
        let typed = refused.as_ref().map(|r| r.values.clone()).unwrap_or_default();
        let answers = answers_to_fix.clone();
        let error_at = move |field: &str| errors.iter().find(|(f, _)| f == field).map(|(_, m)| *m);
        view! {
            <section class="notice" id="perbaikan" aria-labelledby="perbaikan-judul">
                <h2 id="perbaikan-judul">{k.correction_heading}</h2>
                <p><strong>{k.correction_parts}": "</strong>{parts}</p>
                <p><strong>{k.correction_note}": "</strong><span class="prewrap">{note}</span></p>
                {if fixable_here {
                    let resubmit_error = error_at("kirim-perbaikan");
                    let answer_forms = (!answers.is_empty()).then(|| view! {
                        <p>{k.answers_intro}</p>
                        {answers.into_iter().map(|(step, fixed, current)| {
                            let title = (t.apply.step_title)(step);
                            // What was typed in a refused save, else the answers as they stand.
                            let refused_here = crate::domain::apply::field(&typed, "bagian") == step.slug();
                            let value = |name: &str| {
                                if refused_here { crate::domain::apply::field(&typed, name).to_string() } else { crate::domain::apply::field(&current, name).to_string() }
                            };
                            let fields = crate::domain::correction::AnswerFix::fields(step).iter().map(|name| {
                                let error = error_at(name);
                                let (label, hint): (&'static str, Option<&'static str>) = match *name {
                                    "telepon" => (t.apply.phone_label, Some(t.apply.phone_hint)),
                                    "email" => (t.apply.email_label, Some(t.apply.email_hint)),
                                    "jalan" => (t.apply.street_label, Some(t.apply.street_hint)),
                                    "rt" => ("RT", None),
                                    "rw" => ("RW", None),
                                    _ => (t.apply.description_label, Some(t.apply.description_hint)),
                                };
                                if *name == "uraian" {
                                    view! { <TextArea name label value=value(name) hint error/> }.into_any()
                                } else {
                                    let (input_type, inputmode) = match *name {
                                        "telepon" => ("tel", "tel"),
                                        "email" => ("email", "email"),
                                        "rt" | "rw" => ("text", "numeric"),
                                        _ => ("text", "text"),
                                    };
                                    view! { <TextField name label value=value(name) hint error input_type inputmode/> }.into_any()
                                }
                            }).collect_view();
                            view! {
                                <section class="answer-fix" id=format!("perbaikan-{}", step.slug())>
                                    <h3>{title}</h3>
                                    <p>{if fixed { k.fixed } else { k.not_fixed }}</p>
                                    <form method="post" action="/lacak/jawaban" novalidate>
                                        <input type="hidden" name="bagian" value=step.slug()/>
                                        {fields}
                                        <button type="submit" class="button button-secondary">{(k.save_answers)(title)}</button>
                                    </form>
                                </section>
                            }
                        }).collect_view()}
                    });
                    view! {
                        {answer_forms}
                        {(!documents.is_empty()).then(|| view! { <p>{k.fix_intro}</p> })}
                        <ul class="document-list">
                            {documents.iter().map(|(kind, replaced)| {
                                let label = (t.document)(*kind);
                                let field = format!("berkas-{}", kind.slug());
                                let error = error_at(&field);
                                view! {
                                    <li>
                                        <h3>{label}</h3>
                                        <p>{if *replaced { k.replaced } else { k.not_replaced }}</p>
                                        <form class="upload" method="post" action="/lacak/dokumen" enctype="multipart/form-data" id=field.clone()>
                                            <input type="hidden" name="jenis" value=kind.slug()/>
                                            {error.map(|e| view! { <p class="field-error" id=format!("{field}-galat")>{e}</p> })}
                                            <label class="label" for=format!("{field}-pilih")>{(k.choose_file)(label)}</label>
                                            <input class="file-input" type="file" id=format!("{field}-pilih") name="berkas"
                                                accept="image/jpeg,image/png,image/webp,application/pdf"
                                                aria-describedby=error.map(|_| format!("{field}-galat"))/>
                                            <button type="submit" class="button button-secondary">{(k.upload_button)(label)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <form method="post" action="/lacak/ajukan-ulang" id="kirim-perbaikan">
                            {resubmit_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                            <button type="submit" class="button">{k.resubmit_button}</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <p>{k.correction_how}</p> }.into_any()
                }}
            </section>
        }
    });
    let lines = data.lines.iter().rev().map(|line| {
        let who = match &line.by {
            TrackedActor::Online => k.by_online,
            TrackedActor::Counter => k.by_counter,
            TrackedActor::Resident => k.by_you,
            TrackedActor::Office(role) => (k.by_office)(*role),
        };
        let detail: Option<String> = match &line.action {
            Some(Action::RequestCorrection { items, note, .. }) => Some(format!(
                "{}. {note}",
                items.iter().map(|s| (t.apply.step_title)(*s)).collect::<Vec<_>>().join(", ")
            )),
            Some(Action::RecordAssessment { visit_date, .. }) => Some((k.visit_on)(&visit_date.to_string())),
            Some(Action::Approve { service, amount_rupiah, .. }) => {
                Some(format!("{service}{}", amount_rupiah.map(|a| format!(" ({})", format_rupiah(a))).unwrap_or_default()))
            }
            Some(Action::Reject { reason, note }) => {
                Some(format!("{}{}", (c.reason)(*reason), note.as_deref().map(|n| format!(". {n}")).unwrap_or_default()))
            }
            Some(Action::Refer { to, note }) => Some(format!("{to}{}", note.as_deref().map(|n| format!(". {n}")).unwrap_or_default())),
            Some(Action::Resubmit { note }) => Some(note.clone()),
            _ => None,
        };
        view! {
            <li>
                <p><strong>{(k.status)(line.status)}</strong>" · "{line.at.clone()}" · "{who}</p>
                {detail.map(|d| view! { <p class="prewrap">{d}</p> })}
            </li>
        }
    }).collect_view();
    let back = data.from_list.then(|| view! { <p><a href="/lacak/daftar">{crate::i18n::use_complaint_texts().back_to_list}</a></p> });
    let dispute = data.dispute.clone();
    let dispute_until = data.dispute_until.clone();
    let applicant_note = matches!(data.viewer, crate::domain::disclosure::Viewer::Applicant { shared: false })
        .then(|| view! { <p class="notice" role="note">{k.applicant_note}</p> });
    let restricted = data.restricted_since.clone().map(|since| view! { <p class="notice" role="status">{k.restricted_notice}" "{since}"."</p> });
    view! {
        {back}
        <h1>{(k.title)(&data.number)}</h1>
        {applicant_note}
        {restricted}
        <dl class="summary-list">
            <div><dt>{k.status_label}</dt><dd><strong>{(k.status)(data.status)}</strong></dd></div>
            <div><dt>{k.program_label}</dt><dd>{data.program.clone()}</dd></div>
            <div><dt>{k.dates_label}</dt><dd>{(k.dates)(&data.submitted_on, &data.decision_due)}</dd></div>
        </dl>
        <h2>{k.now_heading}</h2>
        <p>{(k.explain)(data.status)}</p>
        {correction}
        <h2>{k.steps_heading}</h2>
        <ol class="timeline">{lines}</ol>
        {(!data.letters.is_empty()).then(|| view! {
            <h2>{k.letters_heading}</h2>
            <ul class="plain-list">
                {data.letters.iter().map(|l| view! {
                    <li><a class="button button-secondary" href=format!("/lacak/surat/{}", l.slug())>{crate::i18n::letters::title(*l)}</a></li>
                }).collect_view()}
            </ul>
        })}
        <crate::pages::complaints::DisputeSection dispute until=dispute_until/>
        {data.can_withdraw.then(|| view! { <p><a class="button button-secondary" href="/lacak/cabut">{k.withdraw_link}</a></p> })}
        {data.viewer.sees(crate::domain::disclosure::Part::PersonalData).then(|| view! {
            <p><a class="button button-secondary" href="/lacak/data">{k.data_link}</a></p>
        })}
        {(data.viewer.sees(crate::domain::disclosure::Part::PersonalData) && !data.consent_withdrawn).then(|| view! {
            <p><a href="/lacak/persetujuan">{k.consent_link}</a></p>
        })}
        {data.applied_by.clone().map(|name| {
            let shared = data.shared_with_applicant;
            view! {
                <section aria-labelledby="pengaju">
                    <h2 id="pengaju">{k.share_title}</h2>
                    <p>{(k.share_intro)(&name, shared)}</p>
                    <form method="post" action="/lacak/berbagi">
                        <input type="hidden" name="izinkan" value=if shared { "tidak" } else { "ya" }/>
                        <button type="submit" class="button button-secondary">{if shared { k.unshare_button } else { k.share_button }}</button>
                    </form>
                </section>
            }
        })}
        {data.from_list.then(|| view! {
            <section aria-labelledby="pin-baru">
                <h2 id="pin-baru">{k.new_pin_title}</h2>
                <p>{k.new_pin_intro}</p>
                <form method="post" action="/lacak/pin">
                    <button type="submit" class="button button-secondary">{k.new_pin_button}</button>
                </form>
            </section>
        })}
        <form method="post" action="/lacak/keluar">
            <button type="submit" class="button button-secondary">{k.done_button}</button>
        </form>
    }
}

/// `/lacak/data`: "Data saya", everything held on the application, for its person.
#[component]
pub fn MyDataPage() -> impl IntoView {
    use crate::api::tracking::{MyDataOutcome, my_data_page};
    let t = use_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| my_data_page());
    view! {
        <Title text=format!("{} · {}", k.data_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(MyDataOutcome::Found(data)) => view! { <MyDataView data=*data/> }.into_any(),
                    Ok(MyDataOutcome::NotYours) => view! {
                        <h1>{k.data_title}</h1>
                        <p>{k.data_not_yours}</p>
                        <p><a class="button button-secondary" href="/lacak/permohonan">{k.new_pin_back}</a></p>
                    }.into_any(),
                    Ok(MyDataOutcome::NotOpen) => view! { <AskForNumberAndPin/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyDataView(data: crate::api::tracking::MyData) -> impl IntoView {
    use crate::api::tracking::Opened;
    let t = use_texts();
    let k = use_tracking_texts();
    let c = use_case_texts();
    let s = crate::i18n::use_staff_texts();
    let p = &data.person;
    let kind_label = |slug: &str| crate::domain::DocumentKind::from_slug(slug).map(t.document).unwrap_or("?").to_string();
    let views = data.staff_views.iter().rev().map(|v| {
        let roles = v.roles.iter().map(|r| (s.role)(*r)).collect::<Vec<_>>().join(", ");
        let office = if v.service_points.is_empty() { k.data_the_office.to_string() } else { v.service_points.join(", ") };
        let what = match &v.opened {
            Opened::Application => k.data_opened_application.to_string(),
            Opened::Document(kind) => (k.data_opened_document)(&kind_label(kind)),
            Opened::InHousehold => k.data_opened_household.to_string(),
            Opened::Letter => k.data_opened_letter.to_string(),
        };
        view! { <tr><th scope="row">{v.at.clone()}</th><td>{roles}</td><td>{office}</td><td>{what}</td></tr> }
    }).collect_view();
    let documents = data.documents.iter().map(|d| {
        let label = kind_label(&d.kind);
        let replaced = d.replaced_at.as_ref().map(|at| format!(" · {} {at}", k.data_document_replaced));
        view! {
            <li>
                <a href=format!("/lacak/dokumen/{}", d.id) target="_blank" rel="noopener">{label.clone()}</a>
                " · "{crate::domain::document::human_size(d.bytes.max(0) as u64)}" · "{d.uploaded_at.clone()}{replaced}
            </li>
        }
    }).collect_view();
    view! {
        <p><a href="/lacak/permohonan">{k.new_pin_back}</a></p>
        <h1>{k.data_title}</h1>
        <p>{k.data_intro}</p>
        <p><a class="button" href="/lacak/data.json" download>{k.data_download}</a></p>
        <p class="hint">{k.data_print_hint}</p>
        <h2>{(k.title)(&data.number)}</h2>
        <dl class="summary-list">
            <div><dt>{k.status_label}</dt><dd>{(k.status)(data.status)}</dd></div>
            <div><dt>{k.program_label}</dt><dd>{data.program.clone()}" · "{data.category.clone()}</dd></div>
            <div><dt>{k.dates_label}</dt><dd>{(k.dates)(&data.submitted_at, &data.decision_due)}</dd></div>
        </dl>
        <h2>{k.data_answers}</h2>
        <dl class="summary-list">
            <div><dt>{c.name_label}</dt><dd>{p.name.clone()}</dd></div>
            <div><dt>{c.nik_label}</dt><dd class="mono">{p.nik.clone()}</dd></div>
            <div><dt>{c.kk_label}</dt><dd class="mono">{p.kk.clone()}</dd></div>
            <div><dt>{c.birth_date_label}</dt><dd>{p.birth_date.clone()}</dd></div>
            <div><dt>{c.sex_label}</dt><dd>{(c.sex)(&p.sex)}</dd></div>
            <div><dt>{c.phone_label}</dt><dd>{p.phone.clone()}</dd></div>
            {p.email.clone().map(|e| view! { <div><dt>{c.email_label}</dt><dd>{e}</dd></div> })}
            <div><dt>{c.address_label}</dt><dd>{format!("{}, RT {} / RW {}", data.address.street, data.address.rt, data.address.rw)}{data.address.region.iter().map(|r| format!(", {r}")).collect::<String>()}</dd></div>
            <div><dt>{k.data_description}</dt><dd>{data.description.clone()}</dd></div>
            {data.applied_by.clone().map(|a| view! { <div><dt>{k.data_applied_by}</dt><dd>{a.name}" · "{a.phone}</dd></div> })}
        </dl>
        <h2>{k.data_household}</h2>
        <ul>{data.household.iter().map(|m| view! { <li>{m.name.clone()}" · "<span class="mono">{m.nik.clone()}</span></li> }).collect_view()}</ul>
        <h2>{k.data_documents}</h2>
        {if data.documents.is_empty() { Some(view! { <p>{k.data_documents_none}</p> }) } else { None }}
        <ul>{documents}</ul>
        <h2>{k.data_history}</h2>
        <ol class="timeline">
            {data.history.iter().rev().map(|h| view! { <li><strong>{(k.status)(h.status)}</strong>" · "{h.at.clone()}</li> }).collect_view()}
        </ol>
        <h2>{k.data_views}</h2>
        {if data.staff_views.is_empty() {
            view! { <p>{k.data_views_none}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="report-table" data-testid="staff-views">
                        <thead><tr>
                            <th scope="col">{k.data_view_when}</th><th scope="col">{k.data_view_role}</th>
                            <th scope="col">{k.data_view_office}</th><th scope="col">{k.data_view_what}</th>
                        </tr></thead>
                        <tbody>{views}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(!data.breach_notices.is_empty()).then(|| view! {
            <h2>{k.data_breach_notices}</h2>
            <ul class="item-list">
                {data.breach_notices.iter().map(|(at, message)| view! { <li><p><strong>{at.clone()}</strong></p><p class="prewrap">{message.clone()}</p></li> }).collect_view()}
            </ul>
        })}
    }
}

/// `/lacak/persetujuan`: what withdrawing consent does to this application, and the button.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| tracking_page());
    view! {
        <Title text=format!("{} · {}", k.consent_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(TrackingOutcome::Found(found)) if found.viewer.sees(crate::domain::disclosure::Part::PersonalData) => view! {
                        <h1>{k.consent_title}</h1>
                        <p>{(k.title)(&found.number)}</p>
                        <p>{if found.can_withdraw { k.consent_open } else { k.consent_decided }}</p>
                        <form method="post" action="/lacak/persetujuan">
                            <input type="hidden" name=tracking_fields::CONFIRM value="ya"/>
                            <button type="submit" class="button button-warning">{k.consent_confirm}</button>
                        </form>
                        <p><a class="button button-secondary" href="/lacak/permohonan">{k.new_pin_back}</a></p>
                    }.into_any(),
                    Ok(TrackingOutcome::Found(_)) => view! {
                        <h1>{k.consent_title}</h1>
                        <p>{k.data_not_yours}</p>
                    }.into_any(),
                    Ok(TrackingOutcome::NotOpen) => view! { <AskForNumberAndPin/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/lacak/pin`: the new PIN, shown once in answer to the post that made it.
#[component]
pub fn NewPinPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let made = use_context::<crate::api::tracking::NewPin>();
    view! {
        <Title text=format!("{} · {}", k.new_pin_title, t.site_name)/>
        <h1>{k.new_pin_title}</h1>
        {match made {
            Some(made) => view! {
                <div class="panel panel-success" role="status">
                    <p>{k.new_pin_shown}" "<strong class="mono">{made.number}</strong></p>
                    <p class="receipt-number mono" data-testid="new-pin">{made.pin}</p>
                </div>
                <p>{k.new_pin_keep}</p>
                <p><a class="button" href="/lacak/permohonan">{k.new_pin_back}</a></p>
            }.into_any(),
            None => view! {
                <p>{k.new_pin_none}</p>
                <p><a class="button" href="/lacak">{k.lookup_title}</a></p>
            }.into_any(),
        }}
    }
}

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let data = Resource::new(|| (), |_| tracking_page());
    view! {
        <Title text=format!("{} · {}", k.withdraw_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(TrackingOutcome::Found(found)) if found.can_withdraw => view! {
                        <h1>{k.withdraw_title}</h1>
                        <p>{(k.withdraw_question)(&found.number)}</p>
                        <form method="post" action="/lacak/cabut" novalidate>
                            <input type="hidden" name=tracking_fields::CONFIRM value="ya"/>
                            <TextArea name="catatan" label=k.withdraw_reason_label value=String::new() hint=None error=None/>
                            <button type="submit" class="button button-warning">{k.withdraw_confirm}</button>
                        </form>
                        <p><a class="button button-secondary" href="/lacak/permohonan">{k.withdraw_cancel}</a></p>
                    }.into_any(),
                    // Decided or withdrawn meanwhile: say where it stands instead.
                    Ok(TrackingOutcome::Found(found)) => view! {
                        <h1>{(k.title)(&found.number)}</h1>
                        <p>{(k.explain)(found.status)}</p>
                        <p><a class="button button-secondary" href="/lacak/permohonan">{k.withdraw_cancel}</a></p>
                    }.into_any(),
                    Ok(TrackingOutcome::NotOpen) => view! { <AskForNumberAndPin/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
