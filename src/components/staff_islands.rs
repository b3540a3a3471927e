//! The staff pages' one island: with JavaScript, their forms (claim, release, a move, a reply)
//! call the staff server functions (`api::casework`) instead of posting the page.
//!
//! The form is rendered on the server with its plain `action` (the no-JavaScript route) and
//! its fields as children, so it works before and without the script. Once live, a submit
//! reads the form's fields, calls the server function as JSON and, when it was done, goes to
//! the page it names. When it was not done — a refused form, a stale claim, a lapsed session
//! — nothing changed, and the form is posted the plain way: the server answers with the page
//! again, the problems at their fields in the reader's language (422), or the sign-in page.
//! So the staff's words stay on the server, out of the WebAssembly.
//!
//! Not Leptos's `ActionForm`: its `action` attribute is always the server function's URL, so
//! without JavaScript it would post there and come back with `?__err=` instead of the page
//! with what was typed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which operation a [`StaffForm`] performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffOp {
    Claim,
    Release,
    Move { id: i64 },
    Reply { id: i64 },
}

#[island(lazy)]
pub fn StaffForm(op: StaffOp, action: String, #[prop(optional)] class: Option<String>, children: Children) -> impl IntoView {
    let busy = RwSignal::new(false);
    let _ = crate::components::island_live();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        submit(op, busy, ev);
        #[cfg(not(feature = "hydrate"))]
        let _ = (op, ev);
    };
    view! {
        <form method="post" action=action class=class novalidate on:submit=on_submit aria-busy=move || busy.get().then_some("true")>
            {children()}
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn submit(op: StaffOp, busy: RwSignal<bool>, ev: leptos::ev::SubmitEvent) {
    use crate::api::casework::{ClaimForm, answer_complaint, claim_item, make_move, release_item};
    use crate::domain::complaint::ReplyForm;
    use crate::domain::decision::MoveForm;
    use wasm_bindgen::JsCast;
    ev.prevent_default();
    if busy.get_untracked() {
        return;
    }
    let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
    let Some(pairs) = web_sys::FormData::new_with_form(&form).ok().map(|data| pairs_of(&data)) else {
        let _ = form.submit();
        return;
    };
    busy.set(true);
    leptos::task::spawn_local(async move {
        let page = match op {
            StaffOp::Claim => claim_item(ClaimForm::from_pairs(&pairs)).await.map(|c| c.page).ok(),
            StaffOp::Release => release_item(ClaimForm::from_pairs(&pairs)).await.map(|c| c.page).ok(),
            StaffOp::Move { id } => make_move(id, MoveForm::from_pairs(&pairs)).await.map(|m| m.page).ok(),
            StaffOp::Reply { id } => answer_complaint(id, ReplyForm::from_pairs(&pairs)).await.map(|r| r.page).ok(),
        };
        match page {
            Some(page) => {
                let _ = window().location().assign(&page);
            }
            // Not done, nothing changed: the plain post shows why, in the reader's words.
            None => {
                let _ = form.submit();
            }
        }
    });
}

/// A form's text fields as (name, value) pairs, repeated names kept (checkboxes).
#[cfg(feature = "hydrate")]
fn pairs_of(data: &web_sys::FormData) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let mut pairs = Vec::new();
    if let Ok(Some(entries)) = js_sys::try_iter(data) {
        for entry in entries.flatten() {
            let entry: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
                pairs.push((name, value));
            }
        }
    }
    pairs
}
