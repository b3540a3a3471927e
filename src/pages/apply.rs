//! `/ajukan`: the application, one small group of questions per page, in the GOV.UK
//! pattern: a step indicator, an error summary, the message at the field, "check your
//! answers", and a confirmation with what happens next. Every form is a plain HTML form
//! (see `server/apply/`); the islands in `components/apply_islands.rs` add instant checks,
//! live region lists and photo downscaling when JavaScript runs.
//!
//! Longer than 500 lines: the seven steps' forms share the step frame, its error summary and the island props; one component per step.

use crate::api::apply::{
    StepPageData, StartPageData, ConfirmationData, Issue, IssueAt, StepLists, apply_page, apply_start, confirmation,
};
use crate::components::apply_islands::{DocumentUploader, NikInput, NikWords, PrintButton, RegionPicker, RegionWords, SubmitOnce, UploadWords};
use crate::components::form::{Choice, ChoiceQuestion, ErrorSummary, SelectField, TextArea, TextField};
use crate::domain::apply::{
    FamilyRole, Relation, Step, address_fields as af, field, household_fields as hf, need_fields as nf, step_fields, who_fields as wf,
};
use crate::domain::document::{MAX_UPLOAD_BYTES, human_size};
use crate::i18n::{Texts, use_lang, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn message(t: &'static Texts, issue: &Issue) -> &'static str {
    match issue {
        Issue::Field(p) => (t.apply.problem)(*p),
        Issue::Person(e) => (t.person_error)(*e),
    }
}

/// The first problem at `name`, as text.
fn error_at(t: &'static Texts, issues: &[IssueAt], name: &str) -> Option<&'static str> {
    issues.iter().find(|i| i.field == name).map(|i| message(t, &i.issue))
}

#[component]
pub fn ApplyStartPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let program = query.with_untracked(|q| q.get("program"));
    let discarded = query.with_untracked(|q| q.get("dihapus").is_some());
    let start = Resource::new(move || (), move |_| apply_start(program.clone(), lang));
    view! {
        <Title text=format!("{} · {}", t.apply.start_title, t.site_name)/>
        {discarded.then(|| view! { <div class="notice" role="status"><p>{t.apply.discarded}</p></div> })}
        <h1>{t.apply.start_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(start) => view! { <StartContent start/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StartContent(start: StartPageData) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let code = start.program.as_ref().map(|p| p.code.clone()).unwrap_or_default();
    view! {
        {start.program.map(|p| view! {
            <div class="panel">
                <p class="panel-label">{a.start_program_label}</p>
                <h2>{p.name}</h2>
                <p>{p.summary}</p>
            </div>
        })}
        <p>{a.start_lead}</p>
        <h2>{a.start_prepare_heading}</h2>
        <ul class="list">{a.start_prepare_items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ul>
        <h2>{a.start_steps_heading}</h2>
        <ol class="list">{Step::ALL.map(|s| view! { <li>{(a.step_title)(s)}</li> }).collect_view()}</ol>
        <p class="hint">{a.start_privacy}</p>
        {start.resume.map(|step| view! {
            <p><a class="button" href=step.path()>{a.resume}</a></p>
        })}
        <form method="post" action="/ajukan/mulai">
            <input type="hidden" name="program" value=code/>
            <button type="submit" class="button" class:button-secondary=start.resume.is_some()>{a.start_button}</button>
        </form>
    }
}

/// Which steps are done, and where the resident is.
#[component]
fn StepIndicator(current: Step, completed: Vec<Step>) -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="steps" aria-label=t.apply.steps_label>
            <p class="steps-count">{(t.apply.step_of)(current.number(), Step::ALL.len())}</p>
            <ol>
                {Step::ALL
                    .map(|s| {
                        let done = completed.contains(&s);
                        let here = s == current;
                        view! {
                            <li class:step-done=done class:step-current=here aria-current=here.then_some("step")>
                                <a href=s.path()>
                                    <span class="step-number" aria-hidden="true">{if done { "✓".to_string() } else { s.number().to_string() }}</span>
                                    <span class="step-name">{(t.apply.step_title)(s)}</span>
                                    {done.then(|| view! { <span class="visually-hidden">{t.apply.step_done}</span> })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
pub fn ApplyStepPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let step = params.with_untracked(|p| p.get("step").and_then(|s| Step::from_slug(&s)));
    let back_to_review = query.with_untracked(|q| q.get("kembali").as_deref() == Some(Step::Review.slug()));
    let Some(step) = step else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let page = Resource::new(move || (), move |_| apply_page(step, lang));
    view! {
        <Title text=format!("{} · {}", (t.apply.step_title)(step), t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) if page.submitted => view! {
                        <h1>{t.apply.already_submitted}</h1>
                        <p><a class="button" href="/ajukan/selesai">{t.apply.see_confirmation}</a></p>
                    }.into_any(),
                    Ok(page) => view! { <StepContent page back_to_review/> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn StepContent(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let step = page.step;
    let summary = page.issues.iter().map(|i| (i.field.clone(), message(t, &i.issue))).collect::<Vec<_>>();
    let back = step.previous().map(|s| view! { <a class="back-link" href=s.path()>{t.apply.back}</a> });
    let body = match step {
        Step::Who => view! { <WhoForm page=page.clone() back_to_review/> }.into_any(),
        Step::Person => view! { <PersonForm page=page.clone() back_to_review/> }.into_any(),
        Step::Address => view! { <AddressForm page=page.clone() back_to_review/> }.into_any(),
        Step::Household => view! { <HouseholdForm page=page.clone() back_to_review/> }.into_any(),
        Step::Need => view! { <NeedForm page=page.clone() back_to_review/> }.into_any(),
        Step::Documents => view! { <DocumentsForm page=page.clone()/> }.into_any(),
        Step::Review => view! { <ReviewForm page=page.clone()/> }.into_any(),
    };
    let counter = page.walk_in.clone().map(|(point, officer)| view! {
        <p class="notice counter-banner">{(t.apply.walk_in_banner)(&point, &officer)}</p>
    });
    view! {
        {back}
        {counter}
        <StepIndicator current=step completed=page.completed.clone()/>
        <h1>{(t.apply.step_title)(step)}</h1>
        <ErrorSummary errors=summary/>
        {body}
        <Discard summary=t.apply.discard_summary text=t.apply.discard_text button=t.apply.discard_button/>
    }
}

/// "Delete from this phone": a plain form behind a disclosure, so it works without script
/// and is not pressed by accident.
#[component]
fn Discard(summary: &'static str, text: &'static str, button: &'static str) -> impl IntoView {
    view! {
        <details class="discard no-print">
            <summary>{summary}</summary>
            <p>{text}</p>
            <form method="post" action="/ajukan/buang">
                <button type="submit" class="button button-secondary">{button}</button>
            </form>
        </details>
    }
}

/// The hidden field that brings the resident back to "check your answers" after a change.
fn return_field(back_to_review: bool) -> impl IntoView {
    back_to_review.then(|| view! { <input type="hidden" name=step_fields::BACK_TO value=Step::Review.slug()/> })
}

fn continue_button(t: &'static Texts) -> impl IntoView {
    view! { <button type="submit" class="button" name=step_fields::ACTION value="lanjut">{t.apply.save_and_continue}</button> }
}

#[component]
fn WhoForm(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let v = |name: &str| field(&page.values, name).to_string();
    let e = |name: &str| error_at(t, &page.issues, name);
    let for_whom = v(wf::FOR_WHOM);
    let consent = v(wf::CONSENT);
    view! {
        <form method="post" action=Step::Who.path() novalidate>
            {return_field(back_to_review)}
            <ChoiceQuestion name=wf::FOR_WHOM legend=a.for_whom_legend hint=None error=e(wf::FOR_WHOM)>
                <Choice name=wf::FOR_WHOM value=wf::MYSELF label=a.for_myself checked=for_whom == wf::MYSELF/>
                <Choice name=wf::FOR_WHOM value=wf::SOMEONE_ELSE label=a.for_someone_else checked=for_whom == wf::SOMEONE_ELSE/>
            </ChoiceQuestion>
            <fieldset class="group">
                <legend>{a.someone_else_legend}</legend>
                <p class="hint">{a.someone_else_hint}</p>
                <TextField name=wf::APPLICANT_NAME label=a.applicant_name_label value=v(wf::APPLICANT_NAME) hint=None error=e(wf::APPLICANT_NAME) autocomplete="name"/>
                <SelectField
                    name=wf::RELATION
                    label=a.relation_label.to_string()
                    options=Relation::ALL.iter().map(|r| (r.slug().to_string(), (a.relation)(*r).to_string())).collect()
                    selected=v(wf::RELATION)
                    placeholder=a.choose
                    hint=None
                    error=e(wf::RELATION)
                />
                <TextField name=wf::APPLICANT_PHONE label=a.applicant_phone_label value=v(wf::APPLICANT_PHONE) hint=Some(a.phone_hint) error=e(wf::APPLICANT_PHONE) input_type="tel" autocomplete="tel" inputmode="tel"/>
                <ChoiceQuestion name=wf::CONSENT legend=a.consent_legend hint=Some(a.consent_hint) error=e(wf::CONSENT)>
                    <Choice name=wf::CONSENT value=wf::CONSENT_GIVEN label=a.consent_given checked=consent == wf::CONSENT_GIVEN/>
                    <Choice name=wf::CONSENT value=wf::CONSENT_IMPOSSIBLE label=a.consent_impossible checked=consent == wf::CONSENT_IMPOSSIBLE/>
                </ChoiceQuestion>
                <TextArea name=wf::CONSENT_REASON label=a.consent_reason_label value=v(wf::CONSENT_REASON) hint=None error=e(wf::CONSENT_REASON)/>
            </fieldset>
            {continue_button(t)}
        </form>
    }
}

#[component]
fn PersonForm(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let lang = use_lang();
    let v = |name: &str| field(&page.values, name).to_string();
    let e = |name: &str| error_at(t, &page.issues, name);
    let sex = v("jenis_kelamin");
    view! {
        <p>{a.person_intro}</p>
        <form method="post" action=Step::Person.path() novalidate>
            {return_field(back_to_review)}
            <NikInput name="nik".to_string() label=a.nik_label.to_string() value=v("nik") error=e("nik").map(str::to_string) words=NikWords::new(lang)/>
            <TextField name="nama" label=a.name_label value=v("nama") hint=Some(a.name_hint) error=e("nama") autocomplete="name"/>
            <TextField name="tanggal_lahir" label=a.birth_date_label value=v("tanggal_lahir") hint=Some(a.birth_date_hint) error=e("tanggal_lahir") input_type="date" autocomplete="bday"/>
            <ChoiceQuestion name="jenis_kelamin" legend=a.sex_legend hint=None error=e("jenis_kelamin")>
                <Choice name="jenis_kelamin" value="L" label=a.male checked=sex == "L"/>
                <Choice name="jenis_kelamin" value="P" label=a.female checked=sex == "P"/>
            </ChoiceQuestion>
            <TextField name="telepon" label=a.phone_label value=v("telepon") hint=Some(a.phone_hint) error=e("telepon") input_type="tel" autocomplete="tel" inputmode="tel"/>
            <TextField name="email" label=a.email_label value=v("email") hint=Some(a.email_hint) error=e("email") input_type="email" autocomplete="email" inputmode="email"/>
            {continue_button(t)}
        </form>
    }
}

#[component]
fn AddressForm(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let lang = use_lang();
    let v = |name: &str| field(&page.values, name).to_string();
    let e = |name: &str| error_at(t, &page.issues, name);
    let StepLists::Regions(lists) = page.lists.clone() else { return ().into_any() };
    let selected = af::REGIONS.map(|(name, _)| v(name));
    let errors = af::REGIONS.map(|(name, _)| e(name).map(str::to_string));
    view! {
        <form method="post" action=Step::Address.path() novalidate>
            {return_field(back_to_review)}
            <RegionPicker lists selected errors words=RegionWords::new(lang)/>
            <TextField name=af::STREET label=a.street_label value=v(af::STREET) hint=Some(a.street_hint) error=e(af::STREET) autocomplete="street-address"/>
            <div class="inline-fields">
                <TextField name=af::RT label="RT" value=v(af::RT) hint=None error=e(af::RT) inputmode="numeric" class="input input-short"/>
                <TextField name=af::RW label="RW" value=v(af::RW) hint=None error=e(af::RW) inputmode="numeric" class="input input-short"/>
            </div>
            {continue_button(t)}
        </form>
    }
    .into_any()
}

#[component]
fn HouseholdForm(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let v = |name: &str| field(&page.values, name).to_string();
    let e = |name: &str| error_at(t, &page.issues, name);
    let StepLists::Household(members) = page.lists.clone() else { return ().into_any() };
    view! {
        <p>{a.household_intro}</p>
        <h2 id="anggota">{a.members_heading}</h2>
        {if members.is_empty() {
            view! { <p class="hint">{a.no_members}</p> }.into_any()
        } else {
            view! {
                <ul class="members">
                    {members
                        .into_iter()
                        .enumerate()
                        .map(|(i, m)| view! {
                            <li>
                                <span><strong>{m.name.clone()}</strong>" · "{m.role}" · "{m.nik}</span>
                                <form method="post" action=Step::Household.path()>
                                    <input type="hidden" name=hf::MEMBER_INDEX value=i.to_string()/>
                                    <button type="submit" class="button button-secondary button-small" name=step_fields::ACTION value="hapus">
                                        {a.remove}<span class="visually-hidden">" "{m.name}</span>
                                    </button>
                                </form>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }.into_any()
        }}
        <form method="post" action=Step::Household.path() novalidate>
            {return_field(back_to_review)}
            <TextField name=hf::KK label=a.kk_label value=v(hf::KK) hint=Some(a.kk_hint) error=e(hf::KK) inputmode="numeric"/>
            <fieldset class="group">
                <legend>{a.add_member_legend}</legend>
                <p class="hint">{a.add_member_hint}</p>
                <TextField name=hf::MEMBER_NIK label=a.member_nik_label value=v(hf::MEMBER_NIK) hint=None error=e(hf::MEMBER_NIK) inputmode="numeric"/>
                <TextField name=hf::MEMBER_NAME label=a.member_name_label value=v(hf::MEMBER_NAME) hint=None error=e(hf::MEMBER_NAME)/>
                <SelectField
                    name=hf::MEMBER_ROLE
                    label=a.member_role_label.to_string()
                    options=FamilyRole::ALL.iter().map(|r| (r.slug().to_string(), (a.family_role)(*r).to_string())).collect()
                    selected=v(hf::MEMBER_ROLE)
                    placeholder=a.choose
                    hint=None
                    error=e(hf::MEMBER_ROLE)
                />
                <button type="submit" class="button button-secondary" name=step_fields::ACTION value="tambah">{a.add_member}</button>
            </fieldset>
            {continue_button(t)}
        </form>
    }
    .into_any()
}

#[component]
fn NeedForm(page: StepPageData, back_to_review: bool) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let v = |name: &str| field(&page.values, name).to_string();
    let e = |name: &str| error_at(t, &page.issues, name);
    let StepLists::Need { categories, programs } = page.lists.clone() else { return ().into_any() };
    let category = v(nf::CATEGORY).parse::<i64>().ok();
    let chosen = v(nf::PROGRAM);
    // Only programs that serve the chosen category (all of them until one is chosen).
    let fitting: Vec<_> = programs.into_iter().filter(|p| category.is_none_or(|c| p.categories.contains(&c))).collect();
    let program_error = e(nf::PROGRAM);
    view! {
        <form method="post" action=Step::Need.path() novalidate>
            {return_field(back_to_review)}
            <SelectField
                name=nf::CATEGORY
                label=a.category_label.to_string()
                options=categories.into_iter().map(|c| (c.value, c.label)).collect()
                selected=v(nf::CATEGORY)
                placeholder=a.choose
                hint=Some(a.category_hint)
                error=e(nf::CATEGORY)
            />
            <button type="submit" class="button button-secondary" name=step_fields::ACTION value="program" formnovalidate>{a.show_programs}</button>
            <div class="question" class:question-error=program_error.is_some() id=nf::PROGRAM>
                <fieldset aria-describedby=program_error.map(|_| format!("{}-galat", nf::PROGRAM))>
                    <legend>{a.program_legend}</legend>
                    {program_error.map(|m| view! { <p class="field-error" id=format!("{}-galat", nf::PROGRAM)>{m}</p> })}
                    {fitting.is_empty().then(|| view! { <p class="hint">{a.no_program_fits}</p> })}
                    <div class="choices">
                        {fitting
                            .into_iter()
                            .map(|p| {
                                let id = format!("program-{}", p.code);
                                let checked = p.code == chosen;
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=id.clone() name=nf::PROGRAM value=p.code checked=checked/>
                                        <label for=id>{p.name}<span class="choice-hint">{p.summary}</span></label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <TextArea name=nf::DESCRIPTION label=a.description_label value=v(nf::DESCRIPTION) hint=Some(a.description_hint) error=e(nf::DESCRIPTION)/>
            {continue_button(t)}
        </form>
    }
    .into_any()
}

#[component]
fn DocumentsForm(page: StepPageData) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let lang = use_lang();
    let StepLists::Documents { program, documents } = page.lists.clone() else { return ().into_any() };
    let error = error_at(t, &page.issues, "berkas");
    let issues = page.issues.clone();
    let Some(program) = program else {
        return view! {
            <p>{a.documents_need_program}</p>
            <p><a class="button" href=Step::Need.path()>{(a.step_title)(Step::Need)}</a></p>
        }
        .into_any();
    };
    view! {
        <p>{(a.documents_intro)(&program)}</p>
        <div class="panel" id="tips">
            <h2>{a.photo_tips_heading}</h2>
            <ul class="list">{a.photo_tips.iter().map(|tip| view! { <li>{*tip}</li> }).collect_view()}</ul>
            <p>{(a.file_rules)(&human_size(MAX_UPLOAD_BYTES))}</p>
        </div>
        {error.map(|m| view! { <p class="field-error" id="berkas" role="alert">{m}</p> })}
        <ul class="documents" id="dokumen">
            {documents
                .into_iter()
                .map(|d| {
                    let slug = d.kind.slug();
                    let name = (t.document)(d.kind);
                    let error = error_at(t, &issues, &format!("berkas-{slug}")).map(str::to_string);
                    view! {
                        <li class="document">
                            <h2 class="document-name">{name}</h2>
                            {match d.uploaded.clone() {
                                Some(label) => view! {
                                    <p class="document-status document-done">
                                        "✓ "{a.uploaded}" ("{label}") · "
                                        <a href=format!("/ajukan/dokumen/{slug}") target="_blank">{a.view_file}</a>
                                    </p>
                                    <form method="post" action="/ajukan/dokumen/hapus">
                                        <input type="hidden" name="jenis" value=slug/>
                                        <button type="submit" class="button button-secondary button-small">
                                            {a.remove}<span class="visually-hidden">" "{name}</span>
                                        </button>
                                    </form>
                                }.into_any(),
                                None => view! { <p class="document-status">{a.document_not_uploaded}</p> }.into_any(),
                            }}
                            <DocumentUploader
                                kind=slug.to_string()
                                label=if d.uploaded.is_some() { (a.replace_file)(name) } else { (a.choose_file)(name) }
                                error
                                words=UploadWords::new(lang)
                            />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <p><a class="button" href=Step::Review.path()>{a.save_and_continue}</a></p>
    }
    .into_any()
}

#[component]
fn ReviewForm(page: StepPageData) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    let StepLists::Review { rows, missing, key } = page.lists.clone() else { return ().into_any() };
    let declaration_error = error_at(t, &page.issues, "pernyataan");
    let groups = Step::ALL[..6]
        .iter()
        .map(|step| {
            let step = *step;
            let rows: Vec<_> = rows.iter().filter(|r| r.step == step).cloned().collect();
            let change = format!("{}?kembali={}", step.path(), Step::Review.slug());
            view! {
                <section class="review-group" aria-labelledby=format!("periksa-{}", step.slug())>
                    <div class="review-heading">
                        <h2 id=format!("periksa-{}", step.slug())>{(a.step_title)(step)}</h2>
                        <a href=change>{a.change}<span class="visually-hidden">" "{(a.step_title)(step)}</span></a>
                    </div>
                    {missing.contains(&step).then(|| view! { <p class="field-error">{a.step_incomplete}</p> })}
                    <dl class="summary-list">
                        {rows
                            .into_iter()
                            .filter(|r| !r.value.is_empty())
                            .map(|r| view! { <div><dt>{r.label}</dt><dd>{r.value}</dd></div> })
                            .collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view();
    view! {
        <p>{a.review_intro}</p>
        {groups}
        <form method="post" action="/ajukan/kirim" novalidate id="kirim">
            <input type="hidden" name=step_fields::KEY value=key/>
            <h2>{a.declaration_heading}</h2>
            <div class="question" class:question-error=declaration_error.is_some() id="pernyataan">
                {declaration_error.map(|m| view! { <p class="field-error" id="pernyataan-galat">{m}</p> })}
                <div class="choice">
                    <input type="checkbox" id="pernyataan-ya" name=step_fields::DECLARATION value="ya" aria-describedby=declaration_error.map(|_| "pernyataan-galat")/>
                    <label for="pernyataan-ya">{if page.walk_in.is_some() { a.counter_declaration } else { a.declaration }}</label>
                </div>
            </div>
            <SubmitOnce label=a.submit.to_string() busy=a.submitting.to_string()/>
        </form>
    }
    .into_any()
}

#[component]
pub fn ConfirmationPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let done = Resource::new(move || (), move |_| confirmation(lang));
    view! {
        <Title text=format!("{} · {}", t.apply.confirmation_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match done.await {
                    Ok(Some(c)) => view! { <Receipt c/> }.into_any(),
                    Ok(None) => view! {
                        <h1>{t.apply.confirmation_title}</h1>
                        <p>{t.apply.no_confirmation}</p>
                        <p><a class="button" href="/ajukan">{t.apply.start_title}</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Receipt(c: ConfirmationData) -> impl IntoView {
    let t = use_texts();
    let a = &t.apply;
    view! {
        <div class="confirmation-banner">
            <h1>{a.confirmation_title}</h1>
            <p>{a.your_number}</p>
            <p class="registration-number" id="nomor-registrasi">{c.number.clone()}</p>
        </div>
        <section class="receipt" aria-labelledby="tanda-terima">
            <h2 id="tanda-terima">{a.receipt_heading}</h2>
            <div class="receipt-body">
                <dl class="summary-list">
                    <div><dt>{a.number_label}</dt><dd class="receipt-number">{c.number.clone()}</dd></div>
                    {c.pin.clone().map(|pin| view! { <div><dt>{a.pin_label}</dt><dd class="receipt-pin" id="pin">{pin}</dd></div> })}
                    <div><dt>{a.program_legend}</dt><dd>{c.program.clone()}</dd></div>
                    <div><dt>{a.submitted_on}</dt><dd>{c.submitted_on.clone()}</dd></div>
                    <div><dt>{a.decision_by}</dt><dd id="tanggal-keputusan">{c.decision_due.clone()}</dd></div>
                </dl>
                <figure class="qr">
                    <div class="qr-code" role="img" aria-label=a.qr_label inner_html=c.qr_svg.clone()></div>
                    <figcaption>{a.qr_caption}</figcaption>
                </figure>
            </div>
            {match c.pin.is_some() {
                true => view! { <p class="pin-warning"><strong>{a.pin_once}</strong></p> }.into_any(),
                false => view! { <p class="hint">{a.pin_hidden}</p> }.into_any(),
            }}
        </section>
        <div class="no-print">
            <PrintButton label=a.print.to_string()/>
            <p class="hint">{a.print_hint}</p>
            <h2>{a.next_heading}</h2>
            <ol class="list">{a.next_items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ol>
            <p><a href=c.tracking_url.clone()>{a.track_link}</a></p>
            <Discard summary=a.forget_summary text=a.forget_text button=a.forget_button/>
            {if c.walk_in {
                view! {
                    <form method="post" action="/petugas/loket/mulai">
                        <button type="submit" class="button button-secondary">{a.next_resident}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <form method="post" action="/ajukan/mulai">
                        <button type="submit" class="button button-secondary">{a.another}</button>
                    </form>
                }.into_any()
            }}
        </div>
    }
}
