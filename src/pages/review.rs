//! `/petugas/permohonan/{id}`: one application as staff review it, and the one action form
//! chosen (`?langkah=…`), so each form is alone on the page and its fields keep plain ids.

use crate::api::review::{Actor, CaseDocument, HistoryLine, RelatedApplication, ReviewData, ReviewOutcome, review_page};
use crate::components::staff_islands::{StaffForm, StaffOp};
use crate::domain::decision::MoveProblem;
use crate::error::Refused;
use crate::components::form::{Choice, ChoiceQuestion, ErrorSummary, SelectField, TextArea, TextField};
use crate::domain::apply::{Consent, Who, field};
use crate::domain::decision::{Action, CORRECTABLE, Recommendation, RejectReason, fields, format_rupiah};
use crate::domain::DocumentKind;
use crate::domain::workflow::Move;
use crate::i18n::{use_case_texts, use_staff_texts, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ReviewPage() -> impl IntoView {
    let t = use_texts();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new(|| (), move |_| async move {
        match id {
            Some(id) => review_page(id).await,
            None => Ok(ReviewOutcome::NotYours),
        }
    });
    // Outside the Suspense: the head is written before the data arrives.
    view! {
        <Title text=format!("{} · {}", use_case_texts().page_title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ReviewOutcome::Found(review)) => view! { <Review review=*review/> }.into_any(),
                    Ok(ReviewOutcome::NotYours) => view! {
                        <h1>{use_case_texts().not_yours}</h1>
                        <p><a href="/petugas/antrean">{use_case_texts().back_to_queues}</a></p>
                    }.into_any(),
                    Ok(ReviewOutcome::SignedOut) => view! { <p><a class="button" href="/petugas/masuk">{use_staff_texts().sign_in_button}</a></p> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Review(review: ReviewData) -> impl IntoView {
    let t = use_texts();
    let c = use_case_texts();
    let query = use_query_map();
    let done = query.with_untracked(|q| q.get("berhasil")).and_then(|m| Move::from_slug(&m));
    let refused = use_context::<Refused<MoveProblem>>();
    // The form to show: the one refused, else the one asked for, else the only one there is.
    let chosen = refused
        .as_ref()
        .and_then(|r| Move::from_slug(field(&r.values, fields::MOVE)))
        .or_else(|| query.with_untracked(|q| q.get("langkah")).and_then(|m| Move::from_slug(&m)))
        .filter(|m| review.moves.contains(m))
        .or_else(|| (review.moves.len() == 1).then(|| review.moves[0]));
    let title = (c.review_title)(&review.number);
    view! {
        <p><a href="/petugas/antrean">{c.back_to_queues}</a></p>
        <h1>{title}</h1>
        {done.map(|m| view! { <div class="notice" role="status"><p>{(c.move_done)(m)}</p></div> })}
        <dl class="summary-list">
            <div><dt>{c.status_label}</dt><dd>
                <strong>{(use_staff_texts().status)(review.status)}</strong>
                {review.overdue.then(|| view! { " "<strong class="flag">{use_staff_texts().overdue}</strong> })}
            </dd></div>
            <div><dt>{c.dates_label}</dt><dd>{(c.dates)(&review.submitted_on, &review.decision_due)}</dd></div>
            <div><dt>{c.channel_label}</dt><dd>{match &review.walk_in {
                None => c.channel_online.to_string(),
                Some(w) => (c.channel_walk_in)(w.officer.as_deref(), w.service_point.as_deref()),
            }}</dd></div>
        </dl>
        {review.duplicate_of.clone().map(|n| view! { <div class="notice notice-warning" role="note"><p>{(c.duplicate_notice)(&n)}</p></div> })}
        {review.erased_on.clone().map(|d| view! { <div class="notice" role="note"><p>{(c.erased_notice)(&d)}</p></div> })}
        {(!review.letters.is_empty()).then(|| view! {
            <ul class="plain-list" data-testid="letters">
                {review.letters.iter().map(|k| view! {
                    <li><a class="button button-secondary" href=format!("/petugas/permohonan/{}/surat/{}", review.id, k.slug())>{(c.print_letter)(crate::i18n::letters::title(*k))}</a></li>
                }).collect_view()}
            </ul>
        })}
        <Actions review=review.clone() chosen refused/>
        <h2>{c.person_heading}</h2>
        <dl class="summary-list">
            <div><dt>{c.name_label}</dt><dd>{review.name.clone()}</dd></div>
            <div><dt>{c.nik_label}</dt><dd class="mono">{review.nik.clone()}</dd></div>
            <div><dt>{c.kk_label}</dt><dd class="mono">{review.kk.clone()}</dd></div>
            <div><dt>{c.birth_date_label}</dt><dd>{review.birth_date.clone()}</dd></div>
            <div><dt>{c.sex_label}</dt><dd>{(c.sex)(&review.sex)}</dd></div>
            <div><dt>{c.phone_label}</dt><dd>{review.phone.clone()}</dd></div>
            <div><dt>{c.sms_label}</dt><dd data-testid="sms-note">{sms_text(&review.sms)}</dd></div>
            {review.email.clone().map(|e| view! { <div><dt>{c.email_label}</dt><dd>{e}</dd></div> })}
            <div><dt>{c.address_label}</dt><dd>{review.address.join(", ")}</dd></div>
            <div><dt>{c.applicant_label}</dt><dd>{applicant_text(review.applicant.as_ref())}</dd></div>
        </dl>
        <h3>{c.identity_heading}</h3>
        {if review.identity_notes.is_empty() {
            view! { <p>{c.identity_ok}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {review.identity_notes.iter().map(|n| view! { <li><strong class="flag">{(c.identity_note)(*n)}</strong></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{c.need_heading}</h2>
        <dl class="summary-list">
            <div><dt>{c.program_label}</dt><dd>{review.program.clone()}</dd></div>
            <div><dt>{c.category_label}</dt><dd>{review.category.clone()}</dd></div>
            <div><dt>{c.description_label}</dt><dd class="prewrap">{review.description.clone()}</dd></div>
        </dl>
        <h2>{c.household_heading}</h2>
        {if review.household.is_empty() {
            view! { <p>{c.household_none}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {review.household.iter().map(|m| view! {
                        <li>{m.name.clone()}" · "<span class="mono">{m.nik.clone()}</span>
                            {m.role.map(|r| format!(" · {}", (t.apply.family_role)(r)))}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Documents documents=review.documents.clone()/>
        <Related related=review.related.clone() elsewhere=review.related_elsewhere/>
        <History lines=review.history.clone()/>
    }
}

fn applicant_text(who: Option<&Who>) -> String {
    let t = use_texts();
    match who {
        None | Some(Who::Myself) => use_case_texts().applicant_myself.to_string(),
        Some(Who::SomeoneElse { applicant_name, relation, applicant_phone, consent }) => {
            let consent = match consent {
                Consent::Given => use_case_texts().consent_given.to_string(),
                Consent::CannotConsent(why) => (use_case_texts().consent_impossible)(why),
            };
            format!(
                "{} ({}), {}; {consent}",
                applicant_name.as_str(),
                (t.apply.relation)(*relation),
                applicant_phone.as_str()
            )
        }
    }
}

/// Who is working it, claim/release, and the chosen action's form.
#[component]
fn Actions(review: ReviewData, chosen: Option<Move>, refused: Option<Refused<MoveProblem>>) -> impl IntoView {
    let c = use_case_texts();
    let id = review.id;
    let claim_text = match (&review.claimed_by, review.mine) {
        (_, true) => c.claimed_by_you.to_string(),
        (Some(name), false) => (c.claimed_by_other)(name),
        (None, _) => c.not_claimed.to_string(),
    };
    let can_claim = review.claimed_by.is_none() && !review.moves.is_empty();
    let claim_form = (can_claim || review.mine).then(|| {
        let (op, action, label) =
            if review.mine { (StaffOp::Release, "/petugas/antrean/lepas", c.release) } else { (StaffOp::Claim, "/petugas/antrean/ambil", c.claim) };
        view! {
            <StaffForm op action=action.to_string() class="inline-form".to_string()>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="kembali" value="permohonan"/>
                <button type="submit" class="button button-secondary">{label}</button>
            </StaffForm>
        }
    });
    let choices = (review.moves.len() > 1).then(|| {
        view! {
            <ul class="action-list">
                {review.moves.iter().map(|m| {
                    let current = Some(*m) == chosen;
                    view! {
                        <li><a class="button button-secondary" class:button-current=current aria-current=current.then_some("true")
                            href=format!("/petugas/permohonan/{id}?langkah={}#tindakan", m.slug())>{(c.move_title)(*m)}</a></li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    // A refusal that is not about a field (status changed, role, claim) heads the section:
    // the form it came from may no longer be offered.
    let general = refused
        .as_ref()
        .and_then(|r| r.problems.iter().find(|(f, _)| f == fields::MOVE))
        .map(|(_, p)| (c.problem)(*p));
    view! {
        <section id="tindakan" aria-labelledby="tindakan-judul">
            <h2 id="tindakan-judul">{c.actions_heading}</h2>
            {general.map(|g| view! { <p class="error-text" role="alert">{g}</p> })}
            <p>{claim_text}</p>
            {claim_form}
            {if review.moves.is_empty() {
                (review.claimed_by.is_none() || review.mine).then(|| view! { <p>{c.no_moves}</p> }).into_any()
            } else {
                view! {
                    {choices}
                    {chosen.map(|m| view! { <MoveForm id m refused=refused.clone() flagged=review.duplicate_of.is_some()
                        documents=review.documents.iter().filter(|d| d.replaced_on.is_none()).filter_map(|d| d.kind).collect()/> })}
                }.into_any()
            }}
        </section>
    }
}

/// The form of one move, with its problems if it was refused.
#[component]
fn MoveForm(
    id: i64,
    m: Move,
    refused: Option<Refused<MoveProblem>>,
    /// A possible duplicate: "documents in order" asks whether it was compared.
    flagged: bool,
    /// The application's current documents (a correction names those to replace).
    documents: Vec<DocumentKind>,
) -> impl IntoView {
    let t = use_texts();
    let c = use_case_texts();
    let values = refused.as_ref().map(|r| r.values.clone()).unwrap_or_default();
    let problems: Vec<(String, &'static str)> =
        refused.as_ref().map(|r| r.problems.iter().map(|(f, p)| (f.clone(), (c.problem)(*p))).collect()).unwrap_or_default();
    let error = |name: &str| problems.iter().find(|(f, _)| f == name).map(|(_, m)| *m);
    let value = |name: &str| field(&values, name).to_string();
    let selected_items: Vec<String> = values.iter().filter(|(k, _)| k == fields::ITEMS).map(|(_, v)| v.clone()).collect();
    let note = |label: &'static str| view! { <TextArea name=fields::NOTE label value=value(fields::NOTE) hint=None error=error(fields::NOTE)/> };
    let recommended = value(fields::RECOMMENDATION);
    let not_duplicate = value(fields::NOT_DUPLICATE) == "ya";
    let selected_documents: Vec<String> = values.iter().filter(|(k, _)| k == fields::DOCUMENTS).map(|(_, v)| v.clone()).collect();
    let body = match m {
        Move::RequestCorrection => view! {
            <ChoiceQuestion name=fields::ITEMS legend=c.items_label hint=None error=error(fields::ITEMS)>
                {CORRECTABLE.iter().map(move |s| view! {
                    <Choice name=fields::ITEMS value=s.slug() label=(t.apply.step_title)(*s) checked=selected_items.iter().any(|v| v == s.slug()) checkbox=true/>
                }).collect_view()}
            </ChoiceQuestion>
            <ChoiceQuestion name=fields::DOCUMENTS legend=c.documents_to_replace_label hint=Some(c.documents_to_replace_hint) error=error(fields::DOCUMENTS)>
                {documents.iter().map(|d| view! {
                    <Choice name=fields::DOCUMENTS value=d.slug() label=(t.document)(*d) checked=selected_documents.iter().any(|v| v == d.slug()) checkbox=true/>
                }).collect_view()}
            </ChoiceQuestion>
            {note(c.note_to_resident_label)}
        }.into_any(),
        Move::RecordAssessment => view! {
            <TextField name=fields::VISIT_DATE label=c.visit_date_label value=value(fields::VISIT_DATE) hint=None error=error(fields::VISIT_DATE) input_type="date"/>
            <TextArea name=fields::FINDINGS label=c.findings_label value=value(fields::FINDINGS) hint=None error=error(fields::FINDINGS)/>
            <ChoiceQuestion name=fields::RECOMMENDATION legend=c.recommendation_label hint=None error=error(fields::RECOMMENDATION)>
                {Recommendation::ALL.iter().map(move |r| view! {
                    <Choice name=fields::RECOMMENDATION value=r.slug() label=(c.recommendation)(*r) checked=recommended == r.slug()/>
                }).collect_view()}
            </ChoiceQuestion>
        }.into_any(),
        Move::Approve => view! {
            <TextField name=fields::SERVICE label=c.service_label value=value(fields::SERVICE) hint=Some(c.service_hint) error=error(fields::SERVICE)/>
            <TextField name=fields::AMOUNT label=c.amount_label value=value(fields::AMOUNT) hint=Some(c.amount_hint) error=error(fields::AMOUNT) inputmode="numeric"/>
            {note(c.note_optional_label)}
        }.into_any(),
        Move::DocumentsOk if flagged => view! {
            <ChoiceQuestion name=fields::NOT_DUPLICATE legend=c.not_duplicate_legend hint=None error=error(fields::NOT_DUPLICATE)>
                <Choice name=fields::NOT_DUPLICATE value="ya" label=c.not_duplicate_label checked=not_duplicate checkbox=true/>
            </ChoiceQuestion>
            {note(c.note_optional_label)}
        }.into_any(),
        Move::Reject => view! {
            <SelectField
                name=fields::REASON
                label=c.reason_label.to_string()
                options=RejectReason::ALL.iter().map(|r| (r.slug().to_string(), (c.reason)(*r).to_string())).collect()
                selected=value(fields::REASON)
                placeholder=c.choose
                hint=None
                error=error(fields::REASON)
            />
            {note(c.decision_note_label)}
        }.into_any(),
        Move::Refer => view! {
            <TextField name=fields::REFER_TO label=c.refer_to_label value=value(fields::REFER_TO) hint=Some(c.refer_to_hint) error=error(fields::REFER_TO)/>
            {note(c.decision_note_optional_label)}
        }.into_any(),
        Move::Resubmit => note(c.note_resubmit_label).into_any(),
        Move::DocumentsOk | Move::MarkServed | Move::Withdraw => note(c.note_optional_label).into_any(),
    };
    let summary: Vec<(String, &'static str)> = problems.iter().filter(|(f, _)| f != fields::MOVE).cloned().collect();
    view! {
        <h3>{(c.move_title)(m)}</h3>
        <ErrorSummary errors=summary/>
        <StaffForm op=StaffOp::Move { id } action=format!("/petugas/permohonan/{id}/langkah")>
            <input type="hidden" name=fields::MOVE value=m.slug()/>
            {body}
            <button type="submit" class="button">{(c.move_button)(m)}</button>
        </StaffForm>
    }
}

#[component]
fn Documents(documents: Vec<CaseDocument>) -> impl IntoView {
    let t = use_texts();
    let c = use_case_texts();
    view! {
        <h2>{c.documents_heading}</h2>
        {if documents.is_empty() {
            view! { <p>{c.documents_none}</p> }.into_any()
        } else {
            documents.into_iter().map(|d| {
                let kind = d.kind.map(t.document).unwrap_or("?");
                let href = format!("/petugas/berkas/{}", d.id);
                view! {
                    <figure class="case-document">
                        {if d.is_image {
                            view! { <img src=href.clone() alt=kind loading="lazy"/> }.into_any()
                        } else {
                            view! { <iframe src=href.clone() title=kind.to_string() class="case-pdf"></iframe> }.into_any()
                        }}
                        <figcaption>
                            {d.replaced_on.as_deref().map(|on| view! { <strong class="flag">{(c.replaced_original)(on)}</strong>" · " })}
                            {d.replacement.then(|| view! { <strong>{c.replacement}</strong>" · " })}
                            {kind}" · "{d.size}" · "
                            <a href=href target="_blank" rel="noopener">{(c.open_document)(kind)}</a>
                        </figcaption>
                    </figure>
                }
            }).collect_view().into_any()
        }}
    }
}

#[component]
fn Related(related: Vec<RelatedApplication>, elsewhere: usize) -> impl IntoView {
    let c = use_case_texts();
    view! {
        <h2>{c.related_heading}</h2>
        {if related.is_empty() {
            view! { <p>{c.related_none}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {related.into_iter().map(|r| view! {
                        <li>
                            <a href=format!("/petugas/permohonan/{}", r.id) class="mono">{r.number}</a>
                            " · "{if r.same_person { c.same_person } else { c.same_family }}
                            {r.possible_duplicate.then(|| view! { " · "<strong class="flag">{c.possible_duplicate}</strong> })}
                            " · "{r.name}" ("<span class="mono">{r.masked_nik}</span>")"
                            " · "{r.program}" · "{(use_staff_texts().status)(r.status)}" · "{r.submitted_on}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(elsewhere > 0).then(|| view! { <p>{(c.related_elsewhere)(elsewhere)}</p> })}
    }
}

#[component]
fn History(lines: Vec<HistoryLine>) -> impl IntoView {
    let c = use_case_texts();
    view! {
        <h2>{c.history_heading}</h2>
        <ol class="timeline">
            {lines.into_iter().map(|h| {
                let who = match &h.by {
                    Actor::Online => c.by_online.to_string(),
                    Actor::ServicePoint => c.by_service_point.to_string(),
                    Actor::Resident => c.by_resident.to_string(),
                    Actor::Staff { name, role } => match role {
                        Some(r) => format!("{name} ({})", (use_staff_texts().role)(*r)),
                        None => name.clone(),
                    },
                };
                view! {
                    <li>
                        <p><strong>{(use_staff_texts().status)(h.to)}</strong>" · "{h.at}" · "{who}</p>
                        {h.action.as_ref().map(action_details)}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// What a move carried, in a sentence or two.
fn action_details(action: &Action) -> impl IntoView + use<> {
    let t = use_texts();
    let c = use_case_texts();
    let mut parts: Vec<String> = Vec::new();
    match action {
        Action::RequestCorrection { items, .. } => {
            parts.push(format!("{}: {}", c.items_label, items.iter().map(|s| (t.apply.step_title)(*s)).collect::<Vec<_>>().join(", ")));
        }
        Action::RecordAssessment { visit_date, recommendation, .. } => {
            parts.push(format!("{}: {visit_date}", c.visit_date_label));
            parts.push(format!("{}: {}", c.recommendation_label, (c.recommendation)(*recommendation)));
        }
        Action::Approve { service, amount_rupiah, .. } => {
            let amount = amount_rupiah.map(|a| format!(" ({})", format_rupiah(a))).unwrap_or_default();
            parts.push(format!("{}: {service}{amount}", c.service_label));
        }
        Action::Reject { reason, .. } => parts.push(format!("{}: {}", c.reason_label, (c.reason)(*reason))),
        Action::Refer { to, .. } => parts.push(format!("{}: {to}", c.refer_to_label)),
        Action::DocumentsOk { not_duplicate: true, .. } => parts.push(c.checked_not_duplicate.to_string()),
        Action::DocumentsOk { .. } | Action::MarkServed { .. } | Action::Withdraw { .. } | Action::Resubmit { .. } => {}
    }
    let note = action.note().map(str::to_string);
    view! {
        {parts.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        {note.map(|n| view! { <p class="prewrap">{n}</p> })}
    }
}

/// The last text message's fate, and the phone's BERHENTI if it holds.
fn sms_text(note: &crate::api::review::SmsNote) -> String {
    use crate::api::review::SmsDelivery;
    let c = use_case_texts();
    let mut text = match &note.last {
        None => c.sms_none.to_string(),
        Some((delivery, at)) => {
            let state = match delivery {
                SmsDelivery::Waiting => c.sms_waiting,
                SmsDelivery::Sent => c.sms_sent,
                SmsDelivery::Delivered => c.sms_delivered,
                SmsDelivery::Failed => c.sms_failed,
            };
            format!("{state} ({at})")
        }
    };
    if let Some(since) = &note.stopped_since {
        text = format!("{} {since}. {text}", c.sms_stopped);
    }
    text
}
