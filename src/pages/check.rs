//! `/cek-bantuan`: six plain questions; `/cek-bantuan/hasil`: the programs that may fit,
//! each with why. The form posts to `POST /cek-bantuan` (server/http.rs) as plain HTML.

use crate::api::check::{CheckFormState, CheckOutcome, ServicePoint, check_form, check_results};
use crate::components::form::{Choice, ChoiceQuestion, ErrorSummary, SelectField};
use crate::components::program_card::ProgramCard;
use crate::domain::eligibility::{AgeGroup, Disaster, ForWhom, Housing, Income, NO_NEEDS, Need, Question};
use crate::domain::region::PROVINCES;
use crate::i18n::{use_lang, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CheckPage() -> impl IntoView {
    let t = use_texts();
    let form = Resource::new(|| (), |_| check_form());
    view! {
        <Title text=format!("{} · {}", t.check_title, t.site_name)/>
        <h1>{t.check_title}</h1>
        <p>{t.check_intro}</p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                // If the saved answers cannot be read, an empty form is still a working one.
                view! { <CheckQuestions state=form.await.unwrap_or_default()/> }
            })}
        </Suspense>
    }
}

#[component]
fn CheckQuestions(state: CheckFormState) -> impl IntoView {
    let t = use_texts();
    let a = state.answers;
    let error = |q: Question| state.missing.contains(&q).then(|| (t.check_missing)(q));
    let errors = state.missing.iter().map(|q| (q.slug().to_string(), (t.check_missing)(*q))).collect::<Vec<_>>();
    let question = |q: Question| (q.slug(), (t.check_question)(q), (t.check_hint)(q));

    let (for_whom, for_whom_legend, for_whom_hint) = question(Question::ForWhom);
    let (province, province_label, province_hint) = question(Question::Province);
    let (age, age_legend, age_hint) = question(Question::Age);
    let (disability, disability_legend, disability_hint) = question(Question::Disability);
    let (disaster, disaster_legend, disaster_hint) = question(Question::Disaster);
    let (housing, housing_legend, housing_hint) = question(Question::Housing);
    let (income, income_legend, income_hint) = question(Question::Income);
    let (needs, needs_legend, needs_hint) = question(Question::Needs);

    view! {
        <ErrorSummary errors/>
        <form method="post" action="/cek-bantuan" novalidate>
            <ChoiceQuestion name=for_whom legend=for_whom_legend hint=for_whom_hint error=error(Question::ForWhom)>
                {ForWhom::ALL.map(|v| view! { <Choice name=for_whom value=v.slug() label=(t.for_whom)(v) checked=a.for_whom == Some(v)/> }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=age legend=age_legend hint=age_hint error=error(Question::Age)>
                {AgeGroup::ALL.map(|v| view! { <Choice name=age value=v.slug() label=(t.age_group)(v) checked=a.age == Some(v)/> }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=disability legend=disability_legend hint=disability_hint error=error(Question::Disability)>
                <Choice name=disability value="ya" label=t.yes checked=a.disability == Some(true)/>
                <Choice name=disability value="tidak" label=t.no checked=a.disability == Some(false)/>
            </ChoiceQuestion>
            <ChoiceQuestion name=disaster legend=disaster_legend hint=disaster_hint error=error(Question::Disaster)>
                {Disaster::ALL.map(|v| view! { <Choice name=disaster value=v.slug() label=(t.disaster)(v) checked=a.disaster == Some(v)/> }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=housing legend=housing_legend hint=housing_hint error=error(Question::Housing)>
                {Housing::ALL.map(|v| view! { <Choice name=housing value=v.slug() label=(t.housing)(v) checked=a.housing == Some(v)/> }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=income legend=income_legend hint=income_hint error=error(Question::Income)>
                {Income::ALL.map(|v| view! { <Choice name=income value=v.slug() label=(t.income)(v) checked=a.income == Some(v)/> }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=needs legend=needs_legend hint=needs_hint error=error(Question::Needs)>
                {Need::ALL
                    .map(|v| view! { <Choice name=needs value=v.slug() label=(t.need)(v) checked=a.needs.contains(&v) checkbox=true/> })
                    .collect_view()}
                <p class="choice-divider">{t.or}</p>
                <Choice name=needs value=NO_NEEDS label=t.none_of_these checked=a.no_needs checkbox=true/>
            </ChoiceQuestion>
            <SelectField
                name=province
                label=province_label.to_string()
                options=PROVINCES.iter().map(|(code, name)| (code.to_string(), name.to_string())).collect()
                selected=a.province.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default()
                placeholder=t.apply.choose
                hint=province_hint
                error=error(Question::Province)
            />
            <button type="submit" class="button">{t.check_submit}</button>
        </form>
    }
}

#[component]
pub fn CheckResultsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let results = Resource::new(move || lang, check_results);
    view! {
        <Title text=format!("{} · {}", t.results_title, t.site_name)/>
        <h1>{t.results_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(CheckOutcome::NotAnswered) => view! {
                        <p>{t.results_not_answered}</p>
                        <p><a class="button" href="/cek-bantuan">{t.check_title}</a></p>
                    }.into_any(),
                    Ok(CheckOutcome::Answered { matches, service_points }) if matches.is_empty() => view! {
                        <p>{t.results_none}</p>
                        <ServicePoints points=service_points/>
                        <p><a href="/cek-bantuan">{t.results_change}</a></p>
                    }.into_any(),
                    Ok(CheckOutcome::Answered { matches, service_points }) => view! {
                        <p>{t.results_intro}</p>
                        <h2>{(t.results_count)(matches.len())}</h2>
                        <ul class="programs">
                            {matches
                                .into_iter()
                                .map(|m| {
                                    let why = m.reasons.iter().map(|r| (t.reason)(*r)).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <li>
                                            <ProgramCard program=m.program>
                                                <p class="why"><strong>{t.results_why}": "</strong>{why}</p>
                                            </ProgramCard>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <ServicePoints points=service_points/>
                        <p><a href="/cek-bantuan">{t.results_change}</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Where to be served in person in the chosen province: for those who would rather apply
/// at a counter, or cannot finish online.
#[component]
fn ServicePoints(points: Vec<ServicePoint>) -> impl IntoView {
    let t = use_texts();
    view! {
        <h2>{t.results_service_points_heading}</h2>
        {if points.is_empty() {
            view! { <p>{t.results_service_points_none}</p> }.into_any()
        } else {
            view! {
                <ul class="service-points">
                    {points
                        .into_iter()
                        .map(|p| view! {
                            <li>
                                <strong>{p.name}</strong>
                                <br/>
                                {p.address}", "{p.place}
                                {p.opening_hours.map(|h| view! { <br/>{h} })}
                                {p.phone.map(|ph| view! { <br/><a href=format!("tel:{ph}")>{ph.clone()}</a> })}
                            </li>
                        })
                        .collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
