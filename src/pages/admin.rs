//! `/petugas/admin`: programs (with the aid check's rules, documents and deadline), public
//! holidays, and the history of every administrative change. Plain forms, server-rendered.
//!
//! Longer than 500 lines: the administration's pages share one shell and form pieces; one component per page.

use crate::api::admin::{
    AdminOutcome, AdminRefused, EditFormData, FailedMessage, HistoryLine, admin_failed_messages, ProgramFormData, ProgramListLine, admin_categories, admin_category, admin_history,
    admin_holidays, admin_program, admin_programs, admin_service_point, admin_service_points, admin_staff, admin_staff_list, password_link,
    PasswordRefused, StaffFormData, StaffListLine,
};
use crate::components::form::{ErrorSummary, SelectField, TextArea, TextField};
use crate::domain::DocumentKind;
use crate::domain::admin::fields::{self, RulePart};
use crate::domain::admin::{AdminProblem, POINT_KINDS, RULES};
use crate::domain::eligibility::{AgeGroup, Disaster, Housing, Income, Need};
use crate::i18n::{use_admin_texts, use_staff_texts, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The common answers of an administration loader, around the page's own content.
fn outcome_view<T: 'static>(outcome: Result<AdminOutcome<T>, crate::error::AppError>, ready: impl FnOnce(T) -> AnyView) -> AnyView {
    let t = use_texts();
    let a = use_admin_texts();
    let s = use_staff_texts();
    match outcome {
        Ok(AdminOutcome::Ready(data)) => ready(data),
        Ok(AdminOutcome::NotForYou) => view! { <p>{a.not_for_you}</p> }.into_any(),
        Ok(AdminOutcome::SignedOut) => view! { <p><a class="button" href="/petugas/masuk">{s.sign_in_button}</a></p> }.into_any(),
        Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
    }
}

/// [`outcome_view`] for a form whose subject may not exist: "not found" then.
fn form_view<T: 'static>(outcome: Result<AdminOutcome<Option<T>>, crate::error::AppError>, ready: impl FnOnce(T) -> AnyView) -> AnyView {
    outcome_view(outcome, |found| match found {
        Some(form) => ready(form),
        None => view! { <h1>{use_texts().not_found_title}</h1> }.into_any(),
    })
}

#[component]
fn BackToAdmin() -> impl IntoView {
    view! { <p><a href="/petugas/admin">{use_admin_texts().back_to_admin}</a></p> }
}

/// `/petugas/admin`
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let s = use_staff_texts();
    view! {
        <Title text=format!("{} · {}", a.title, t.site_name)/>
        <p><a href="/petugas">{s.home_title}</a></p>
        <h1>{a.title}</h1>
        <p>{a.intro}</p>
        <ul class="admin-links">
            <li><a class="button button-secondary" href="/petugas/admin/program">{a.programs_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/kategori">{a.categories_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/titik-layanan">{a.points_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/libur">{a.holidays_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/petugas">{a.staff_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/riwayat">{a.history_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/pesan-gagal">{a.failed_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/sms">{a.sms_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/pembatasan">{a.restricted_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/admin/pemberitahuan">{a.breach_title}</a></li>
            <li><a class="button button-secondary" href="/petugas/laporan">{crate::i18n::use_report_texts().title}</a></li>
        </ul>
    }
}

/// `/petugas/admin/program`
#[component]
pub fn AdminProgramsPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let saved = use_query_map().with_untracked(|q| q.get("disimpan").is_some());
    let data = Resource::new(|| (), |_| admin_programs());
    view! {
        <Title text=format!("{} · {}", a.programs_title, t.site_name)/>
        <BackToAdmin/>
        <h1>{a.programs_title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">{a.saved}</p> })}
        <p>{a.programs_intro}</p>
        <p><a class="button" href="/petugas/admin/program-baru">{a.add_program}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move { outcome_view(data.await, |lines| view! { <ProgramTable lines/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ProgramTable(lines: Vec<ProgramListLine>) -> impl IntoView {
    let a = use_admin_texts();
    let yes_no = move |b: bool| if b { a.yes } else { a.no };
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <thead>
                    <tr>
                        <th scope="col">{a.column_program}</th>
                        <th scope="col">{a.column_code}</th>
                        <th scope="col">{a.column_deadline}</th>
                        <th scope="col">{a.column_check}</th>
                        <th scope="col">{a.column_active}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row"><a href=format!("/petugas/admin/program/{}", l.code)>{l.name}</a></th>
                            <td>{l.code.clone()}</td>
                            <td class="number">{l.deadline}</td>
                            <td>{yes_no(l.in_check)}</td>
                            <td>{yes_no(l.active)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/petugas/admin/program-baru` and `/petugas/admin/program/{code}`
#[component]
pub fn AdminProgramPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let code = use_params_map().with_untracked(|p| p.get("code"));
    let refused = use_context::<AdminRefused>();
    let title = if code.is_some() { a.programs_title } else { a.new_program_title };
    let data = Resource::new(|| (), move |_| admin_program(code.clone()));
    view! {
        <Title text=format!("{} · {}", title, t.site_name)/>
        <p><a href="/petugas/admin/program">{a.programs_title}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let refused = refused.clone();
                Suspend::new(async move {
                    form_view(data.await, move |form| view! { <ProgramForm form refused/> }.into_any())
                })
            }}
        </Suspense>
    }
}

/// What an administration form shows: the values just refused with their problems, or the
/// stored ones.
struct FormState {
    values: Vec<(String, String)>,
    problems: Vec<(String, AdminProblem)>,
}

impl FormState {
    fn new(refused: Option<AdminRefused>, stored: Vec<(String, String)>) -> Self {
        match refused {
            Some(r) => Self { values: r.values, problems: r.problems },
            None => Self { values: stored, problems: Vec::new() },
        }
    }

    /// The message at `field`, if it has a problem.
    fn error(&self, field: &str) -> Option<&'static str> {
        let a = use_admin_texts();
        self.problems.iter().find(|(f, _)| f == field).map(|(_, p)| (a.problem)(*p))
    }

    /// The error summary's lines.
    fn summary(&self) -> Vec<(String, &'static str)> {
        let a = use_admin_texts();
        self.problems.iter().map(|(f, p)| (f.clone(), (a.problem)(*p))).collect()
    }

    fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn has(&self, name: &str, v: &str) -> bool {
        self.values.iter().any(|(k, x)| k == name && x == v)
    }

    /// A choice for a [`ChoiceGroup`]: `(name, value, label, checked)`.
    fn choice(&self, name: &str, v: &str, label: &str) -> (String, String, String, bool) {
        (name.to_string(), v.to_string(), label.to_string(), self.has(name, v))
    }
}

/// The "open / active" box of a form.
#[component]
fn ActiveBox(label: &'static str, checked: bool) -> impl IntoView {
    view! {
        <div class="choice">
            <input type="checkbox" id="aktif" name=fields::ACTIVE value="ya" checked=checked/>
            <label for="aktif">{label}</label>
        </div>
    }
}

/// Checkboxes (or, with `radio`, radio buttons) under a legend, with the hint and error tied
/// to it; each row is the touch target.
#[component]
fn ChoiceGroup(
    id: String,
    legend: String,
    hint: Option<&'static str>,
    error: Option<&'static str>,
    ticks: Vec<(String, String, String, bool)>,
    #[prop(optional)] radio: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-petunjuk");
    let error_id = format!("{id}-galat");
    let described = [hint.map(|_| hint_id.clone()), error.map(|_| error_id.clone())].into_iter().flatten().collect::<Vec<_>>().join(" ");
    view! {
        <div class="question" class:question-error=error.is_some() id=id>
            <fieldset aria-describedby=(!described.is_empty()).then_some(described)>
                <legend>{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                <div class="choices">
                    {ticks.into_iter().map(|(name, value, label, checked)| {
                        let input_id = format!("{name}-{value}");
                        view! {
                            <div class="choice">
                                <input type=if radio { "radio" } else { "checkbox" } id=input_id.clone() name=name value=value checked=checked/>
                                <label for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

#[component]
fn ProgramForm(form: ProgramFormData, refused: Option<AdminRefused>) -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let f = FormState::new(refused, form.values);
    let tick = |name: &str, v: &str, label: &str| f.choice(name, v, label);
    let action = match &form.code {
        Some(code) => format!("/petugas/admin/program/{code}"),
        None => "/petugas/admin/program".to_string(),
    };
    let heading = match &form.code {
        Some(_) => (a.edit_program_title)(&form.name),
        None => a.new_program_title.to_string(),
    };
    let categories: Vec<_> = form.categories.iter().map(|(code, name)| tick(fields::CATEGORY, &code.to_string(), name)).collect();
    let documents: Vec<_> = DocumentKind::ALL.iter().map(|d| tick(fields::DOCUMENT, d.slug(), (t.document)(*d))).collect();
    let rules = (1..=RULES)
        .map(|n| {
            let part = |p: RulePart| fields::rule(n, p);
            let groups: Vec<(RulePart, Vec<(String, String, String, bool)>)> = vec![
                (RulePart::Age, AgeGroup::ALL.iter().map(|x| tick(&part(RulePart::Age), x.slug(), (t.age_group)(*x))).collect()),
                (RulePart::Disability, vec![tick(&part(RulePart::Disability), "ya", a.disability_required)]),
                (RulePart::Disaster, Disaster::ALL.iter().map(|x| tick(&part(RulePart::Disaster), x.slug(), (t.disaster)(*x))).collect()),
                (RulePart::Housing, Housing::ALL.iter().map(|x| tick(&part(RulePart::Housing), x.slug(), (t.housing)(*x))).collect()),
                (RulePart::Income, Income::ALL.iter().map(|x| tick(&part(RulePart::Income), x.slug(), (t.income)(*x))).collect()),
                (RulePart::Needs, Need::ALL.iter().map(|x| tick(&part(RulePart::Needs), x.slug(), (t.need)(*x))).collect()),
            ];
            view! {
                <fieldset class="admin-rule">
                    <legend>{(a.rule_legend)(n)}</legend>
                    {groups.into_iter().map(|(p, ticks)| view! {
                        <ChoiceGroup id=part(p) legend=(a.rule_part)(p).to_string() hint=None error=None ticks/>
                    }).collect_view()}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <h1>{heading}</h1>
        <ErrorSummary errors=f.summary()/>
        <form method="post" action=action novalidate>
            {form.code.is_none().then(|| view! {
                <TextField name=fields::CODE label=a.code_label value=f.value(fields::CODE) hint=Some(a.code_hint) error=f.error(fields::CODE)/>
            })}
            <TextField name=fields::NAME_ID label=a.name_id_label value=f.value(fields::NAME_ID) hint=None error=f.error(fields::NAME_ID)/>
            <TextField name=fields::NAME_EN label=a.name_en_label value=f.value(fields::NAME_EN) hint=None error=f.error(fields::NAME_EN)/>
            <TextArea name=fields::SUMMARY_ID label=a.summary_id_label value=f.value(fields::SUMMARY_ID) hint=None error=f.error(fields::SUMMARY_ID)/>
            <TextArea name=fields::SUMMARY_EN label=a.summary_en_label value=f.value(fields::SUMMARY_EN) hint=None error=f.error(fields::SUMMARY_EN)/>
            <ChoiceGroup id=fields::CATEGORY.to_string() legend=a.categories_legend.to_string() hint=Some(a.categories_hint) error=f.error(fields::CATEGORY) ticks=categories/>
            <ChoiceGroup id=fields::DOCUMENT.to_string() legend=a.documents_legend.to_string() hint=Some(a.documents_hint) error=f.error(fields::DOCUMENT) ticks=documents/>
            <TextField name=fields::DEADLINE label=a.deadline_label value=f.value(fields::DEADLINE) hint=Some(a.deadline_hint) error=f.error(fields::DEADLINE) inputmode="numeric" class="input input-short"/>
            <ActiveBox label=a.active_label checked=f.has(fields::ACTIVE, "ya")/>
            <h2>{a.rules_heading}</h2>
            <p class="hint">{a.rules_intro}</p>
            {rules}
            <button type="submit" class="button">{a.save_button}</button>
        </form>
    }
}

/// `/petugas/admin/libur`
#[component]
pub fn AdminHolidaysPage() -> impl IntoView {
    let a = use_admin_texts();
    admin_page(a.holidays_title, a.holidays_intro, Resource::new(|| (), |_| admin_holidays()), |days, refused| {
        view! { <HolidayList days refused/> }.into_any()
    })
}

#[component]
fn HolidayList(days: Vec<(String, String)>, refused: Option<AdminRefused>) -> impl IntoView {
    let a = use_admin_texts();
    let f = FormState::new(refused, Vec::new());
    view! {
        <ErrorSummary errors=f.summary()/>
        {if days.is_empty() {
            view! { <p>{a.no_holidays}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="report-table">
                        <thead><tr><th scope="col">{a.column_day}</th><th scope="col">{a.column_name}</th><th scope="col"><span class="visually-hidden">{a.column_what}</span></th></tr></thead>
                        <tbody>
                            {days.into_iter().map(|(day, name)| view! {
                                <tr>
                                    <th scope="row">{day.clone()}</th>
                                    <td>{name}</td>
                                    <td>
                                        <form method="post" action="/petugas/admin/libur/hapus">
                                            <input type="hidden" name=fields::HOLIDAY_DAY value=day.clone()/>
                                            <button type="submit" class="button button-secondary">{(a.remove_holiday)(&day)}</button>
                                        </form>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>{a.add_holiday}</h2>
        <form method="post" action="/petugas/admin/libur" novalidate>
            <TextField name=fields::HOLIDAY_DAY label=a.holiday_day_label value=f.value(fields::HOLIDAY_DAY) hint=None error=f.error(fields::HOLIDAY_DAY) input_type="date"/>
            <TextField name=fields::HOLIDAY_NAME label=a.holiday_name_label value=f.value(fields::HOLIDAY_NAME) hint=None error=f.error(fields::HOLIDAY_NAME)/>
            <button type="submit" class="button">{a.add_holiday}</button>
        </form>
    }
}

/// `/petugas/admin/riwayat`
#[component]
pub fn AdminHistoryPage() -> impl IntoView {
    let a = use_admin_texts();
    read_only_page(a.history_title, a.history_intro, Resource::new(|| (), |_| admin_history()), |lines| view! { <HistoryTable lines/> }.into_any())
}

/// An administration page: back link, title, intro, then `list` of what `data` loaded (or
/// why it cannot be shown), given the refused form of a post answered with this page, if any.
fn admin_page<T, F>(title: &'static str, intro: &'static str, data: Resource<Result<AdminOutcome<T>, crate::error::AppError>>, list: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T, Option<AdminRefused>) -> AnyView + Copy + Send + Sync + 'static,
{
    let t = use_texts();
    let refused = use_context::<AdminRefused>();
    view! {
        <Title text=format!("{} · {}", title, t.site_name)/>
        <BackToAdmin/>
        <h1>{title}</h1>
        <p>{intro}</p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let refused = refused.clone();
                Suspend::new(async move { outcome_view(data.await, move |loaded| list(loaded, refused)) })
            }}
        </Suspense>
    }
}

/// [`admin_page`] that only shows something.
fn read_only_page<T>(
    title: &'static str,
    intro: &'static str,
    data: Resource<Result<AdminOutcome<T>, crate::error::AppError>>,
    list: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    admin_page(title, intro, data, move |loaded, _| list(loaded))
}

#[component]
fn HistoryTable(lines: Vec<HistoryLine>) -> impl IntoView {
    let a = use_admin_texts();
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <thead><tr><th scope="col">{a.column_when}</th><th scope="col">{a.column_who}</th><th scope="col">{a.column_what}</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.at.replace('T', " ").trim_end_matches('Z').to_string()}</th>
                            <td>{l.who}</td>
                            <td>{(a.history_line)(&l.action, &l.subject, &l.key)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/petugas/admin/pesan-gagal`: emails Layan gave up sending, so someone can reach those
/// residents another way (a call, the counter).
#[component]
pub fn AdminFailedMessagesPage() -> impl IntoView {
    let a = use_admin_texts();
    read_only_page(a.failed_title, a.failed_intro, Resource::new(|| (), |_| admin_failed_messages()), |lines| view! { <FailedTable lines/> }.into_any())
}

#[component]
fn FailedTable(lines: Vec<FailedMessage>) -> impl IntoView {
    let a = use_admin_texts();
    if lines.is_empty() {
        return view! { <p>{a.failed_none}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <thead>
                    <tr>
                        <th scope="col">{a.column_when}</th>
                        <th scope="col">{a.failed_column_message}</th>
                        <th scope="col">{a.failed_column_to}</th>
                        <th scope="col">{a.failed_column_error}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.failed_at}</th>
                            <td>{format!("{} · {}", l.kind, l.event)}<br/><span class="hint">{(a.failed_sent_on)(&l.created_at, l.attempts)}</span></td>
                            <td class="mono">{l.recipient}</td>
                            <td>{l.error}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

/// `/petugas/admin/pemberitahuan`: breach notices — the form to prepare one, and the notices
/// with what each reached or reaches; a second administrator confirms.
#[component]
pub fn AdminBreachPage() -> impl IntoView {
    let a = use_admin_texts();
    admin_page(a.breach_title, a.breach_intro, Resource::new(|| (), |_| crate::api::admin::admin_breach()), |page, refused| {
        view! { <BreachNotices page refused/> }.into_any()
    })
}

#[component]
fn BreachNotices(page: crate::api::admin::BreachPage, refused: Option<AdminRefused>) -> impl IntoView {
    use crate::api::admin::BreachState;
    use crate::domain::breach::fields as bf;
    let a = use_admin_texts();
    let f = FormState::new(refused, Vec::new());
    let areas = page.areas.clone();
    let points: Vec<(String, String)> = page.service_points.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    view! {
        {if page.notices.is_empty() {
            view! { <p>{a.breach_none}</p> }.into_any()
        } else {
            view! {
                <ul class="item-list">
                    {page.notices.into_iter().map(|n| {
                        let id = n.id;
                        let state = match n.state {
                            BreachState::Waiting { applications, emails, phones, sms_parts, mine } => view! {
                                <p><strong>{(a.breach_waiting)(applications, emails, phones, sms_parts)}</strong></p>
                                {if mine {
                                    view! { <p>{a.breach_own}</p> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=format!("/petugas/admin/pemberitahuan/{id}/konfirmasi")>
                                            <button type="submit" class="button">{a.breach_confirm}</button>
                                        </form>
                                    }.into_any()
                                }}
                                <form method="post" action=format!("/petugas/admin/pemberitahuan/{id}/batal")>
                                    <button type="submit" class="button button-secondary">{a.breach_cancel}</button>
                                </form>
                            }.into_any(),
                            BreachState::Sent { at, by, applications, emails, texts } => {
                                view! { <p><strong>{(a.breach_sent)(&at, &by, applications, emails, texts)}</strong></p> }.into_any()
                            }
                            BreachState::Cancelled { at } => view! { <p>{(a.breach_cancelled)(&at)}</p> }.into_any(),
                        };
                        view! {
                            <li>
                                <p>{n.prepared}" · "{n.selection}</p>
                                <p class="prewrap">{n.message}</p>
                                {state}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{a.breach_new}</h2>
        <ErrorSummary errors=f.summary()/>
        <form method="post" action="/petugas/admin/pemberitahuan" novalidate>
            <SelectField name=bf::AREA label=a.breach_area_label.to_string() options=areas selected=f.value(bf::AREA) placeholder=a.breach_area_all hint=None error=f.error(bf::AREA)/>
            <TextField name=bf::FROM label=a.breach_from_label value=f.value(bf::FROM) hint=Some(a.breach_dates_hint) error=f.error(bf::FROM) input_type="date"/>
            <TextField name=bf::TO label=a.breach_to_label value=f.value(bf::TO) hint=None error=f.error(bf::TO) input_type="date"/>
            <SelectField name=bf::SERVICE_POINT label=a.breach_point_label.to_string() options=points selected=f.value(bf::SERVICE_POINT) placeholder=a.breach_point_all hint=None error=f.error(bf::SERVICE_POINT)/>
            <TextArea name=bf::MESSAGE label=a.breach_message_label value=f.value(bf::MESSAGE) hint=Some(a.breach_message_hint) error=f.error(bf::MESSAGE)/>
            <button type="submit" class="button">{a.breach_prepare}</button>
        </form>
    }
}

/// `/petugas/admin/pembatasan`: applications whose personal data is restricted, and the
/// form to lift a restriction with a reason.
#[component]
pub fn AdminRestrictedPage() -> impl IntoView {
    let a = use_admin_texts();
    read_only_page(a.restricted_title, a.restricted_intro, Resource::new(|| (), |_| crate::api::admin::admin_restricted()), |lines| {
        view! { <RestrictedList lines/> }.into_any()
    })
}

#[component]
fn RestrictedList(lines: Vec<crate::api::admin::RestrictedLine>) -> impl IntoView {
    let a = use_admin_texts();
    if lines.is_empty() {
        return view! { <p>{a.restricted_none}</p> }.into_any();
    }
    view! {
        <ul class="item-list">
            {lines.into_iter().map(|l| {
                let field = format!("alasan-{}", l.id);
                view! {
                    <li>
                        <p><strong class="mono">{l.number.clone()}</strong>" · "{l.since}" · "{l.whose}</p>
                        <form method="post" action=format!("/petugas/admin/pembatasan/{}", l.id)>
                            <label class="label" for=field.clone()>{a.restricted_reason_label}</label>
                            <textarea class="input" id=field name="alasan" rows="2" required minlength="10" maxlength="500"></textarea>
                            <button type="submit" class="button button-secondary">{a.restricted_lift}<span class="visually-hidden">" "{l.number}</span></button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// `/petugas/admin/sms`: text messages per month and kind, with the segments billed.
#[component]
pub fn AdminSmsPage() -> impl IntoView {
    let a = use_admin_texts();
    read_only_page(a.sms_title, a.sms_intro, Resource::new(|| (), |_| crate::api::admin::admin_sms_usage()), |lines| view! { <SmsUsageTable lines/> }.into_any())
}

#[component]
fn SmsUsageTable(lines: Vec<crate::api::admin::SmsUsageLine>) -> impl IntoView {
    let a = use_admin_texts();
    if lines.is_empty() {
        return view! { <p>{a.sms_none}</p> }.into_any();
    }
    // Each month's lines, then its total.
    let mut months: Vec<(String, Vec<crate::api::admin::SmsUsageLine>)> = Vec::new();
    for line in lines {
        match months.last_mut() {
            Some((month, group)) if *month == line.month => group.push(line),
            _ => months.push((line.month.clone(), vec![line])),
        }
    }
    view! {
        <div class="table-scroll">
            <table class="report-table" data-testid="sms-usage">
                <thead>
                    <tr>
                        <th scope="col">{a.sms_column_month}</th>
                        <th scope="col">{a.sms_column_event}</th>
                        <th scope="col">{a.sms_column_sent}</th>
                        <th scope="col">{a.sms_column_segments}</th>
                        <th scope="col">{a.sms_column_delivered}</th>
                        <th scope="col">{a.sms_column_failed}</th>
                    </tr>
                </thead>
                <tbody>
                    {months.into_iter().map(|(month, group)| {
                        let sum = |f: fn(&crate::api::admin::SmsUsageLine) -> i64| group.iter().map(f).sum::<i64>();
                        let total = (sum(|l| l.sent), sum(|l| l.segments), sum(|l| l.delivered), sum(|l| l.failed));
                        view! {
                            {group.into_iter().map(|l| view! {
                                <tr>
                                    <th scope="row">{l.month}</th>
                                    <td>{(a.sms_event)(&l.event)}</td>
                                    <td>{l.sent}</td><td>{l.segments}</td><td>{l.delivered}</td><td>{l.failed}</td>
                                </tr>
                            }).collect_view()}
                            <tr class="total-row">
                                <th scope="row">{month}</th>
                                <td><strong>{a.sms_total}</strong></td>
                                <td><strong>{total.0}</strong></td><td><strong>{total.1}</strong></td>
                                <td><strong>{total.2}</strong></td><td><strong>{total.3}</strong></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

/// `/petugas/admin/kategori`
#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let saved = use_query_map().with_untracked(|q| q.get("disimpan").is_some());
    let data = Resource::new(|| (), |_| admin_categories());
    view! {
        <Title text=format!("{} · {}", a.categories_title, t.site_name)/>
        <BackToAdmin/>
        <h1>{a.categories_title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">{a.saved}</p> })}
        <p>{a.categories_intro}</p>
        <p><a class="button" href="/petugas/admin/kategori-baru">{a.add_category}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                outcome_view(data.await, move |rows| view! {
                    <div class="table-scroll">
                        <table class="report-table">
                            <thead><tr><th scope="col">{a.column_number}</th><th scope="col">{a.column_name}</th><th scope="col">{a.column_active}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(code, name, active)| view! {
                                    <tr>
                                        <td class="number">{code}</td>
                                        <th scope="row"><a href=format!("/petugas/admin/kategori/{code}")>{name}</a></th>
                                        <td>{if active { a.yes } else { a.no }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any())
            })}
        </Suspense>
    }
}

/// `/petugas/admin/kategori-baru` and `/petugas/admin/kategori/{code}`
#[component]
pub fn AdminCategoryPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let code = use_params_map().with_untracked(|p| p.get("code"));
    let refused = use_context::<AdminRefused>();
    let data = Resource::new(|| (), move |_| admin_category(code.clone()));
    view! {
        <Title text=format!("{} · {}", a.categories_title, t.site_name)/>
        <p><a href="/petugas/admin/kategori">{a.categories_title}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let refused = refused.clone();
                Suspend::new(async move {
                    form_view(data.await, move |form| view! { <CategoryForm form refused/> }.into_any())
                })
            }}
        </Suspense>
    }
}

#[component]
fn CategoryForm(form: EditFormData, refused: Option<AdminRefused>) -> impl IntoView {
    let a = use_admin_texts();
    let f = FormState::new(refused, form.values);
    let (heading, action) = match &form.code {
        Some(code) => ((a.edit_category_title)(&form.name), format!("/petugas/admin/kategori/{code}")),
        None => (a.new_category_title.to_string(), "/petugas/admin/kategori".to_string()),
    };
    view! {
        <h1>{heading}</h1>
        <ErrorSummary errors=f.summary()/>
        <form method="post" action=action novalidate>
            {form.code.is_none().then(|| view! {
                <TextField name=fields::CATEGORY_CODE label=a.category_code_label value=f.value(fields::CATEGORY_CODE) hint=Some(a.category_code_hint) error=f.error(fields::CATEGORY_CODE) inputmode="numeric" class="input input-short"/>
            })}
            <TextField name=fields::NAME_ID label=a.name_id_label value=f.value(fields::NAME_ID) hint=None error=f.error(fields::NAME_ID)/>
            <TextField name=fields::NAME_EN label=a.name_en_label value=f.value(fields::NAME_EN) hint=None error=f.error(fields::NAME_EN)/>
            <ActiveBox label=a.column_active checked=f.has(fields::ACTIVE, "ya")/>
            <button type="submit" class="button">{a.save_button}</button>
        </form>
    }
}

/// `/petugas/admin/titik-layanan`
#[component]
pub fn AdminServicePointsPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let saved = use_query_map().with_untracked(|q| q.get("disimpan").is_some());
    let data = Resource::new(|| (), |_| admin_service_points());
    view! {
        <Title text=format!("{} · {}", a.points_title, t.site_name)/>
        <BackToAdmin/>
        <h1>{a.points_title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">{a.saved}</p> })}
        <p>{a.points_intro}</p>
        <p><a class="button" href="/petugas/admin/titik-layanan-baru">{a.add_point}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                outcome_view(data.await, move |rows| view! {
                    <div class="table-scroll">
                        <table class="report-table">
                            <thead><tr><th scope="col">{a.column_name}</th><th scope="col">{a.column_village}</th><th scope="col">{a.column_active}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(code, name, village, active)| view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/petugas/admin/titik-layanan/{code}")>{name}</a></th>
                                        <td>{village}</td>
                                        <td>{if active { a.yes } else { a.no }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any())
            })}
        </Suspense>
    }
}

/// `/petugas/admin/titik-layanan-baru` and `/petugas/admin/titik-layanan/{code}`
#[component]
pub fn AdminServicePointPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let code = use_params_map().with_untracked(|p| p.get("code"));
    let refused = use_context::<AdminRefused>();
    let data = Resource::new(|| (), move |_| admin_service_point(code.clone()));
    view! {
        <Title text=format!("{} · {}", a.points_title, t.site_name)/>
        <p><a href="/petugas/admin/titik-layanan">{a.points_title}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let refused = refused.clone();
                Suspend::new(async move {
                    form_view(data.await, move |form| view! { <ServicePointForm form refused/> }.into_any())
                })
            }}
        </Suspense>
    }
}

#[component]
fn ServicePointForm(form: EditFormData, refused: Option<AdminRefused>) -> impl IntoView {
    let a = use_admin_texts();
    let f = FormState::new(refused, form.values);

    let (heading, action) = match &form.code {
        Some(code) => ((a.edit_point_title)(&form.name), format!("/petugas/admin/titik-layanan/{code}")),
        None => (a.new_point_title.to_string(), "/petugas/admin/titik-layanan".to_string()),
    };
    let kinds = POINT_KINDS.iter().map(|k| f.choice(fields::POINT_KIND, k, (a.point_kind)(k))).collect::<Vec<_>>();
    view! {
        <h1>{heading}</h1>
        <ErrorSummary errors=f.summary()/>
        <form method="post" action=action novalidate>
            {form.code.is_none().then(|| view! {
                <TextField name=fields::CODE label=a.column_code value=f.value(fields::CODE) hint=Some(a.point_code_hint) error=f.error(fields::CODE)/>
            })}
            <TextField name=fields::NAME_ID label=a.point_name_label value=f.value(fields::NAME_ID) hint=None error=f.error(fields::NAME_ID)/>
            <ChoiceGroup id=fields::POINT_KIND.to_string() legend=a.point_kind_legend.to_string() hint=None error=f.error(fields::POINT_KIND) ticks=kinds radio=true/>
            <TextField name=fields::POINT_ADDRESS label=a.point_address_label value=f.value(fields::POINT_ADDRESS) hint=None error=f.error(fields::POINT_ADDRESS)/>
            <TextField name=fields::POINT_VILLAGE label=a.point_village_label value=f.value(fields::POINT_VILLAGE) hint=Some(a.point_village_hint) error=f.error(fields::POINT_VILLAGE) inputmode="numeric"/>
            <TextField name=fields::POINT_PHONE label=a.point_phone_label value=f.value(fields::POINT_PHONE) hint=None error=f.error(fields::POINT_PHONE) input_type="tel"/>
            <TextField name=fields::POINT_HOURS label=a.point_hours_label value=f.value(fields::POINT_HOURS) hint=None error=f.error(fields::POINT_HOURS)/>
            <ActiveBox label=a.column_active checked=f.has(fields::ACTIVE, "ya")/>
            <button type="submit" class="button">{a.save_button}</button>
        </form>
    }
}

/// `/petugas/admin/petugas`
#[component]
pub fn AdminStaffListPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let data = Resource::new(|| (), |_| admin_staff_list());
    view! {
        <Title text=format!("{} · {}", a.staff_title, t.site_name)/>
        <BackToAdmin/>
        <h1>{a.staff_title}</h1>
        <p>{a.staff_intro}</p>
        <p><a class="button" href="/petugas/admin/petugas-baru">{a.add_staff}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move { outcome_view(data.await, |lines| view! { <StaffTable lines/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn StaffTable(lines: Vec<StaffListLine>) -> impl IntoView {
    let a = use_admin_texts();
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <thead><tr><th scope="col">{a.full_name_label}</th><th scope="col">{a.username_label}</th><th scope="col">{a.column_roles}</th><th scope="col">{a.column_active}</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row"><a href=format!("/petugas/admin/petugas/{}", l.id)>{l.full_name}</a></th>
                            <td>{l.username}</td>
                            <td>{l.roles.iter().map(|r| (a.role)(*r)).collect::<Vec<_>>().join(", ")}</td>
                            <td>{if l.active { a.yes } else { a.no }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/petugas/admin/petugas-baru` and `/petugas/admin/petugas/{id}`
#[component]
pub fn AdminStaffPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let (saved, link_sent) = use_query_map().with_untracked(|q| (q.get("disimpan").is_some(), q.get("tautan").is_some()));
    let refused = use_context::<AdminRefused>();
    let data = Resource::new(|| (), move |_| admin_staff(id.clone()));
    view! {
        <Title text=format!("{} · {}", a.staff_title, t.site_name)/>
        <p><a href="/petugas/admin/petugas">{a.staff_title}</a></p>
        {saved.then(|| view! { <p class="notice" role="status">{a.saved}</p> })}
        {link_sent.then(|| view! { <p class="notice" role="status">{a.link_sent}</p> })}
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let refused = refused.clone();
                Suspend::new(async move {
                    form_view(data.await, move |form| view! { <StaffForm form refused/> }.into_any())
                })
            }}
        </Suspense>
    }
}

#[component]
fn StaffForm(form: StaffFormData, refused: Option<AdminRefused>) -> impl IntoView {
    use crate::domain::workflow::Role;
    let a = use_admin_texts();
    let f = FormState::new(refused, form.values.clone());
    let roles: Vec<_> = [Role::FrontDesk, Role::Verifier, Role::FieldAssessor, Role::Supervisor, Role::Administrator]
        .iter()
        .map(|r| f.choice(fields::ROLE, r.slug(), (a.role)(*r)))
        .collect();
    let areas: Vec<_> = form.areas.iter().map(|(code, name)| f.choice(fields::AREA, code, name)).collect();
    let points: Vec<_> = form
        .service_points
        .iter()
        .map(|(id, name)| f.choice(fields::SERVICE_POINT, &id.to_string(), name))
        .collect();
    let (heading, action) = match form.id {
        Some(id) => ((a.edit_staff_title)(&form.full_name), format!("/petugas/admin/petugas/{id}")),
        None => (a.new_staff_title.to_string(), "/petugas/admin/petugas".to_string()),
    };
    let actions = form.id.map(|id| {
        let (next, button) = if form.active { ("tidak", a.deactivate_button) } else { ("ya", a.activate_button) };
        view! {
            <p class="notice">{if form.active { a.account_active } else { a.account_inactive }}</p>
            <form method="post" action=format!("/petugas/admin/petugas/{id}/status") class="inline-form">
                <input type="hidden" name=fields::ACTIVE value=next/>
                <p class="hint">{a.deactivate_hint}</p>
                <button type="submit" class="button button-secondary">{button}</button>
            </form>
            <form method="post" action=format!("/petugas/admin/petugas/{id}/tautan") class="inline-form">
                <p class="hint">{a.send_link_hint}</p>
                <button type="submit" class="button button-secondary">{a.send_link_button}</button>
            </form>
        }
    });
    view! {
        <h1>{heading}</h1>
        <ErrorSummary errors=f.summary()/>
        {actions}
        <form method="post" action=action novalidate>
            {form.id.is_none().then(|| view! {
                <TextField name=fields::USERNAME label=a.username_label value=f.value(fields::USERNAME) hint=Some(a.username_hint) error=f.error(fields::USERNAME) autocomplete="off"/>
            })}
            <TextField name=fields::FULL_NAME label=a.full_name_label value=f.value(fields::FULL_NAME) hint=None error=f.error(fields::FULL_NAME)/>
            <TextField name=fields::EMAIL label=a.email_label value=f.value(fields::EMAIL) hint=Some(a.email_hint) error=f.error(fields::EMAIL) input_type="email" inputmode="email"/>
            <ChoiceGroup id=fields::ROLE.to_string() legend=a.roles_legend.to_string() hint=None error=f.error(fields::ROLE) ticks=roles/>
            <ChoiceGroup id=fields::AREA.to_string() legend=a.areas_legend.to_string() hint=Some(a.areas_hint) error=f.error(fields::AREA) ticks=areas/>
            <ChoiceGroup id=fields::SERVICE_POINT.to_string() legend=a.points_legend.to_string() hint=None error=None ticks=points/>
            <button type="submit" class="button">{a.save_button}</button>
        </form>
    }
}

/// `/petugas/sandi?token=…`: a staff member sets their own password (no session needed:
/// the emailed link is the proof).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let token = use_query_map().with_untracked(|q| q.get("token"));
    let refused = use_context::<PasswordRefused>();
    let shown_token = token.clone().unwrap_or_default();
    let data = Resource::new(|| (), move |_| password_link(token.clone()));
    view! {
        <Title text=format!("{} · {}", a.password_title, t.site_name)/>
        <h1>{a.password_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let (refused, token) = (refused.clone(), shown_token.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(username)) => {
                            let error = refused.map(|r| r.0);
                            let summary = error.map(|e| vec![("kata_sandi".to_string(), e)]).unwrap_or_default();
                            view! {
                                <ErrorSummary errors=summary/>
                                <p>{(a.password_intro)(&username)}</p>
                                <form method="post" action="/petugas/sandi" novalidate>
                                    <input type="hidden" name="token" value=token/>
                                    <TextField name="kata_sandi" label=a.password_label value=String::new() hint=Some(a.password_hint) error=error input_type="password" autocomplete="new-password"/>
                                    <TextField name="kata_sandi_ulang" label=a.password_again_label value=String::new() hint=None error=None input_type="password" autocomplete="new-password"/>
                                    <button type="submit" class="button">{a.password_button}</button>
                                </form>
                            }.into_any()
                        }
                        Ok(None) => view! { <p>{a.password_link_gone}</p> }.into_any(),
                        Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
