//! Letters and their verification: the A4 letter (staff print it from the review page,
//! residents open theirs from tracking), the page a letter's QR code opens, and the page
//! publishing the office's public key. Letters are in Bahasa Indonesia (`i18n::letters`).

use crate::api::letters::{LetterOutcome, LetterView, Verification, public_key, resident_letter, staff_letter, verify_letter};
use crate::domain::letter::LetterKind;
use crate::i18n::letters as w;
use crate::i18n::{use_staff_texts, use_texts, use_tracking_texts, use_verify_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/petugas/permohonan/{id}/surat/{kind}`.
#[component]
pub fn StaffLetterPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let kind = params.with_untracked(|p| p.get("kind")).unwrap_or_default();
    let back = id.map(|id| format!("/petugas/permohonan/{id}")).unwrap_or_else(|| "/petugas/antrean".into());
    let data = Resource::new(|| (), move |_| {
        let kind = kind.clone();
        async move {
            match id {
                Some(id) => staff_letter(id, kind).await,
                None => Ok(LetterOutcome::NotFound),
            }
        }
    });
    view! { <LetterPage data back staff=true/> }
}

/// `/lacak/surat/{kind}`.
#[component]
pub fn TrackingLetterPage() -> impl IntoView {
    let kind = use_params_map().with_untracked(|p| p.get("kind")).unwrap_or_default();
    let data = Resource::new(|| (), move |_| resident_letter(kind.clone()));
    view! { <LetterPage data back="/lacak/permohonan".to_string() staff=false/> }
}

#[component]
fn LetterPage(data: Resource<Result<LetterOutcome, crate::error::AppError>>, back: String, staff: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=format!("{} · {}", w::PAGE_TITLE, t.site_name)/>
        <p class="no-print"><a class="back-link" href=back>{w::BACK}</a></p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(LetterOutcome::Ready(letter)) => view! { <Letter letter=*letter/> }.into_any(),
                    Ok(LetterOutcome::SignedOut) if staff => {
                        view! { <p><a class="button" href="/petugas/masuk">{use_staff_texts().sign_in_button}</a></p> }.into_any()
                    }
                    Ok(LetterOutcome::SignedOut) => view! { <crate::pages::tracking::AskForNumberAndPin/> }.into_any(),
                    Ok(LetterOutcome::NotFound) => view! { <h1>{t.not_found_title}</h1> }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One letter on one A4 page: letterhead, number and date, addressee, the decision, the
/// signature block with the QR code.
#[component]
fn Letter(letter: LetterView) -> impl IntoView {
    if letter.erased {
        return view! { <p class="notice">{w::ERASED}</p> }.into_any();
    }
    let site = crate::i18n::sms::site(letter.verify_url.split("/verifikasi/").next().unwrap_or_default()).to_string();
    let referral = letter.kind == LetterKind::Referral;
    let details = match letter.kind {
        LetterKind::Approved => view! {
            <dl class="letter-facts">
                {letter.service.clone().map(|s| view! { <div><dt>{w::SERVICE}</dt><dd>{s}</dd></div> })}
                {letter.amount.clone().map(|a| view! { <div><dt>{w::AMOUNT}</dt><dd>{a}</dd></div> })}
            </dl>
        }.into_any(),
        LetterKind::Rejected => view! {
            <dl class="letter-facts">
                {letter.reason.clone().map(|r| view! { <div><dt>{w::REASON}</dt><dd>{r}</dd></div> })}
            </dl>
            {letter.dispute_until.clone().map(|until| view! { <p>{w::dispute(&until, &site)}</p> })}
        }.into_any(),
        LetterKind::Referred => view! {
            <dl class="letter-facts">
                {letter.referred_to.clone().map(|r| view! { <div><dt>{w::REFERRED_TO}</dt><dd>{r}</dd></div> })}
            </dl>
        }.into_any(),
        LetterKind::Referral => view! {
            <dl class="letter-facts">
                <div><dt>{w::PERSON}</dt><dd>{letter.name.clone()}</dd></div>
                {letter.nik.clone().map(|n| view! { <div><dt>{w::NIK}</dt><dd class="mono">{n}</dd></div> })}
                <div><dt>{w::ADDRESS}</dt><dd>{letter.address.join(", ")}</dd></div>
            </dl>
        }.into_any(),
    };
    view! {
        <h1 class="no-print">{w::title(letter.kind)}</h1>
        <p class="no-print hint">{w::PRINT_HINT}</p>
        <article class="letter" data-testid="letter">
            <header class="letterhead">
                {letter.logo.clone().map(|src| view! { <img class="letter-logo" src=src alt="" width="64" height="64"/> })}
                <div>
                    <p class="letter-office">{letter.office_name.clone()}</p>
                    {(!letter.office_address.is_empty()).then(|| view! { <p class="letter-office-address">{letter.office_address.clone()}</p> })}
                </div>
            </header>
            <div class="letter-meta">
                <p>{w::NUMBER}": "<span class="mono">{letter.letter_number.clone()}</span></p>
                <p>{letter.issued_on.clone()}</p>
            </div>
            <p>{w::SUBJECT}": "<strong>{w::subject(letter.kind)}</strong></p>
            {if referral {
                view! { <p>{w::TO_AGENCY}" "{letter.referred_to.clone().unwrap_or_default()}</p> }.into_any()
            } else {
                view! { <p>{w::TO}<br/>{letter.name.clone()}<br/>{letter.address.join(", ")}</p> }.into_any()
            }}
            <p>{w::OPENING}</p>
            <p>{w::body(letter.kind, &letter.application_number, &letter.program, &letter.submitted_on)}</p>
            {details}
            {letter.note.clone().map(|n| view! { <p>{w::NOTE}": "{n}</p> })}
            <footer class="letter-sign">
                <div class="qr-code letter-qr" role="img" aria-label=w::check(&site) inner_html=letter.qr_svg.clone()></div>
                <div>
                    <p>{letter.office_name.clone()}</p>
                    <p><strong>{w::signer(letter.signer_role)}</strong></p>
                    <p>{w::SIGNED}</p>
                    <p class="letter-check">{w::check(&site)}</p>
                    <p class="letter-check letter-code mono">{letter.verify_url.clone()}</p>
                </div>
            </footer>
        </article>
    }.into_any()
}

/// `/verifikasi/{code}`: genuine or not, and what the office holds of it — never more of the
/// person than their initials.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let t = use_texts();
    let k = use_tracking_texts();
    let v = use_verify_texts();
    let code = use_params_map().with_untracked(|p| p.get("code")).unwrap_or_default();
    let data = Resource::new(|| (), move |_| verify_letter(code.clone()));
    view! {
        <Title text=format!("{} · {}", v.title, t.site_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Verification::Genuine(l)) => view! {
                        <div class="confirmation-banner" data-testid="verification">
                            <h1>{v.genuine}</h1>
                            <p>{(v.issued_by)(&l.office)}</p>
                        </div>
                        <dl class="summary-list">
                            <div><dt>{v.kind}</dt><dd>{w::title(l.kind)}</dd></div>
                            <div><dt>{v.number}</dt><dd class="mono">{l.letter_number}</dd></div>
                            <div><dt>{v.date}</dt><dd>{l.issued_on}</dd></div>
                            <div><dt>{v.office}</dt><dd>{l.office}</dd></div>
                            <div><dt>{v.status_today}</dt><dd>{(k.status)(l.status_today)}</dd></div>
                            <div><dt>{v.initials}</dt><dd>{l.initials}</dd></div>
                        </dl>
                        <p>{v.compare}</p>
                    }.into_any(),
                    Ok(Verification::NotGenuine) => view! {
                        <div class="notice notice-warning" role="alert" data-testid="verification">
                            <h1>{v.not_genuine}</h1>
                            <p>{v.not_genuine_explain}</p>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
            <p><a href="/verifikasi">{v.offline_link}</a></p>
        </Suspense>
    }
}

/// `/verifikasi`: how letters are checked, and the office's public key.
#[component]
pub fn PublicKeyPage() -> impl IntoView {
    let t = use_texts();
    let v = use_verify_texts();
    let data = Resource::new(|| (), |_| public_key());
    view! {
        <Title text=format!("{} · {}", v.title, t.site_name)/>
        <h1>{v.title}</h1>
        <p>{v.intro}</p>
        <h2>{v.offline_heading}</h2>
        <p>{v.offline_explain}</p>
        <pre class="prewrap mono">{v.command}</pre>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(key) => view! {
                        <dl class="summary-list">
                            <div><dt>{v.office}</dt><dd>{key.office}</dd></div>
                            <div><dt>{v.public_key}</dt><dd class="mono" data-testid="public-key">{key.hex}</dd></div>
                        </dl>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{(t.load_failed)(e.reference())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
