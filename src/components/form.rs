//! Form pieces in the GOV.UK pattern: an error summary at the top linking to each
//! question, the message again at the question, big radio buttons and checkboxes.

use crate::i18n::use_texts;
use leptos::prelude::*;

/// The list of problems at the top of a form. Each entry links to the question it is about
/// (`#id`); the summary itself is `#ringkasan-galat`, where a failed submission lands.
#[component]
pub fn ErrorSummary(errors: Vec<(String, &'static str)>) -> impl IntoView {
    let t = use_texts();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" id="ringkasan-galat" role="alert" tabindex="-1" aria-labelledby="ringkasan-galat-judul">
                <h2 id="ringkasan-galat-judul">{t.error_summary_title}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|(id, message)| view! { <li><a href=format!("#{id}")>{message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// One question of radio buttons or checkboxes: a fieldset whose legend is the question,
/// with an optional hint and error, both tied to it for screen readers.
#[component]
pub fn ChoiceQuestion(
    /// Also the form field name and the anchor the error summary links to.
    name: &'static str,
    legend: &'static str,
    hint: Option<&'static str>,
    error: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{name}-petunjuk");
    let error_id = format!("{name}-galat");
    let described_by = [hint.map(|_| hint_id.clone()), error.map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="question" class:question-error=error.is_some() id=name>
            <fieldset aria-describedby=(!described_by.is_empty()).then_some(described_by)>
                <legend>{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                <div class="choices">{children()}</div>
            </fieldset>
        </div>
    }
}

/// One radio button or checkbox with its label; the whole row is the touch target.
#[component]
pub fn Choice(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    checked: bool,
    #[prop(optional)] checkbox: bool,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="choice">
            <input type=if checkbox { "checkbox" } else { "radio" } id=id.clone() name=name value=value checked=checked/>
            <label for=id>{label}</label>
        </div>
    }
}

/// The hint and error ids of a field, joined for `aria-describedby`.
fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids = [hint.then(|| format!("{name}-petunjuk")), error.then(|| format!("{name}-galat"))];
    let joined = ids.into_iter().flatten().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// The label, hint and error above a single input; `children` is the input itself, which
/// must use `id=name` and [`field_aria`] for its description.
#[component]
pub fn Field(name: String, label: String, hint: Option<&'static str>, error: Option<&'static str>, children: Children) -> impl IntoView {
    let hint_id = format!("{name}-petunjuk");
    let error_id = format!("{name}-galat");
    view! {
        <div class="question" class:question-error=error.is_some()>
            <label class="label" for=name.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
            {children()}
        </div>
    }
}

/// `aria-describedby` for the input inside a [`Field`].
pub fn field_aria(name: &str, hint: Option<&'static str>, error: Option<&'static str>) -> Option<String> {
    described_by(name, hint.is_some(), error.is_some())
}

/// A one-line text input with its label, hint and error.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: String,
    hint: Option<&'static str>,
    error: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(default = "input")] class: &'static str,
) -> impl IntoView {
    view! {
        <Field name=name.to_string() label=label.to_string() hint error>
            <input
                class=class
                class:input-error=error.is_some()
                type=input_type
                id=name
                name=name
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                aria-describedby=field_aria(name, hint, error)
                aria-invalid=error.map(|_| "true")
            />
        </Field>
    }
}

/// A multi-line text input.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    value: String,
    hint: Option<&'static str>,
    error: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Field name=name.to_string() label=label.to_string() hint error>
            <textarea
                class="input"
                class:input-error=error.is_some()
                id=name
                name=name
                rows="5"
                aria-describedby=field_aria(name, hint, error)
                aria-invalid=error.map(|_| "true")
            >
                {value}
            </textarea>
        </Field>
    }
}

/// A drop-down list: `(value, label)` options after a "choose" placeholder.
#[component]
pub fn SelectField(
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    selected: String,
    placeholder: &'static str,
    hint: Option<&'static str>,
    error: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Field name=name.to_string() label hint error>
            <select
                class="input"
                class:input-error=error.is_some()
                id=name
                name=name
                aria-describedby=field_aria(name, hint, error)
                aria-invalid=error.map(|_| "true")
            >
                <option value="" selected=selected.is_empty()>{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </Field>
    }
}
