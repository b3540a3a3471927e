//! A program as residents see it: what it is, who it is for, what to prepare, how long.

use crate::api::programs::ProgramSummary;
use crate::i18n::use_texts;
use leptos::prelude::*;

#[component]
pub fn ProgramCard(program: ProgramSummary, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let t = use_texts();
    let heading_id = format!("program-{}", program.code);
    let labelled_by = heading_id.clone();
    let apply = format!("/ajukan?program={}", program.code);
    view! {
        <article class="program" aria-labelledby=labelled_by>
            <h3 id=heading_id>{program.name.clone()}</h3>
            <p>{program.summary}</p>
            {children.map(|c| c())}
            <dl>
                <dt>{t.program_for}</dt>
                <dd>{program.serves.join(", ")}</dd>
                <dt>{t.program_documents}</dt>
                <dd>
                    <ul>
                        {program.documents.into_iter().map(|d| view! { <li>{(t.document)(d)}</li> }).collect_view()}
                    </ul>
                </dd>
                <dt>{t.program_decision}</dt>
                <dd>{(t.working_days)(program.deadline.get())}</dd>
            </dl>
            <p>
                <a class="button" href=apply>
                    {t.apply.apply_for_program}<span class="visually-hidden">": "{program.name.clone()}</span>
                </a>
            </p>
        </article>
    }
}
