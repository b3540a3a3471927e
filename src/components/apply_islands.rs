//! The interactive parts of the application pages (islands: the only components compiled
//! to WebAssembly; the three with code of their own are lazy, in chunks that only the pages
//! holding them fetch, `server::islands`). Each renders as a working plain-HTML piece on the
//! server first; when the script runs, it adds what a resident on a slow phone benefits from:
//!
//! - [`NikInput`]: the NIK checked while typing, by the same domain code as the server;
//! - [`RegionPicker`]: region lists that narrow at once, without a page round-trip;
//! - [`DocumentUploader`]: photos downscaled on the phone before upload, with progress;
//! - [`SubmitOnce`], [`PrintButton`]: a submit button that ignores a second tap, printing.
//!
//! An island takes the words it shows as a prop ([`NikWords`], [`RegionWords`],
//! [`UploadWords`]), made on the server in the reader's language: reaching for `Lang::texts()`
//! in an island would put every resident page's words, in both languages, into the
//! WebAssembly every phone downloads.

use crate::api::regions::child_regions;
use crate::components::island_live;
use crate::domain::RegionOption;
use crate::domain::apply::address_fields;
#[cfg(feature = "hydrate")]
use crate::domain::document::{FileType, PHOTO_LONGEST_SIDE};
use crate::domain::identity::{IdentityError, Nik, Sex};
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What [`NikInput`] says, in the reader's language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NikWords {
    hint: String,
    /// "NIK terbaca: lahir {tanggal}, {jenis}": the reading, with its two blanks.
    reads_as: String,
    male: String,
    female: String,
    /// One sentence per kind of mistake, in the order of [`NIK_MISTAKES`].
    mistakes: Vec<String>,
}

/// Every kind of mistake a typed NIK can have (the length's payload aside).
const NIK_MISTAKES: [IdentityError; 6] = [
    IdentityError::Empty,
    IdentityError::NotDigits,
    IdentityError::WrongLength(0),
    IdentityError::NoRegion,
    IdentityError::ImpossibleDate,
    IdentityError::ZeroSerial,
];

impl NikWords {
    pub fn new(lang: Lang) -> Self {
        let t = lang.texts();
        NikWords {
            hint: t.apply.nik_hint.to_string(),
            reads_as: (t.apply.nik_reads_as)("{tanggal}", "{jenis}"),
            male: t.apply.male.to_string(),
            female: t.apply.female.to_string(),
            mistakes: NIK_MISTAKES.iter().map(|e| (t.person_error)(crate::domain::person::PersonError::Nik(*e)).to_string()).collect(),
        }
    }

    fn mistake(&self, error: IdentityError) -> String {
        let at = NIK_MISTAKES.iter().position(|known| std::mem::discriminant(known) == std::mem::discriminant(&error));
        at.and_then(|i| self.mistakes.get(i)).cloned().unwrap_or_default()
    }
}

/// What [`RegionPicker`] says, in the reader's language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegionWords {
    /// Province, regency, district, village.
    labels: [String; 4],
    choose: String,
    legend: String,
    hint: String,
    show_regions: String,
}

impl RegionWords {
    pub fn new(lang: Lang) -> Self {
        let a = lang.texts().apply;
        RegionWords {
            labels: [a.province_label, a.regency_label, a.district_label, a.village_label].map(str::to_string),
            choose: a.choose.to_string(),
            legend: a.region_legend.to_string(),
            hint: a.region_hint.to_string(),
            show_regions: a.show_regions.to_string(),
        }
    }
}

/// What [`DocumentUploader`] says, in the reader's language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UploadWords {
    upload: String,
    uploading: String,
    failed: String,
}

impl UploadWords {
    pub fn new(lang: Lang) -> Self {
        let a = lang.texts().apply;
        UploadWords { upload: a.upload.to_string(), uploading: a.uploading.to_string(), failed: a.upload_failed.to_string() }
    }
}

#[island(lazy)]
pub fn NikInput(name: String, label: String, value: String, error: Option<String>, words: NikWords) -> impl IntoView {
    let words = StoredValue::new(words);
    let _ = island_live();
    let (typed, set_typed) = signal(value.clone());
    // What the browser can tell while typing; the server's error (if any) shows until then.
    let live = Memo::new(move |_| {
        let text = typed.get();
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits < 16 {
            return None;
        }
        Some(words.with_value(|w| match Nik::parse(&text) {
            Ok(nik) => {
                let born = nik.birth_date();
                let sex = match nik.sex() {
                    Sex::Male => &w.male,
                    Sex::Female => &w.female,
                };
                let date = format!("{:02}-{:02}-’{:02}", born.day, born.month, born.year_of_century);
                Ok(w.reads_as.replace("{tanggal}", &date).replace("{jenis}", sex))
            }
            Err(e) => Err(w.mistake(e)),
        }))
    });
    let (touched, set_touched) = signal(false);
    let shown_error = Memo::new(move |_| match (touched.get(), live.get()) {
        (true, Some(Err(e))) => Some(e),
        (true, _) => None,
        (false, _) => error.clone(),
    });
    // What was typed before the script arrived (slow phones take seconds) is checked too.
    let input_ref = NodeRef::<leptos::html::Input>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(input) = input_ref.get() {
            let now = input.value();
            if now != typed.get_untracked() {
                set_typed.set(now);
                set_touched.set(true);
            }
        }
    });
    let error_id = format!("{name}-galat");
    let hint_id = format!("{name}-petunjuk");
    let status_id = format!("{name}-status");
    let described = format!("{hint_id} {error_id} {status_id}");
    view! {
        <div class="question" class:question-error=move || shown_error.get().is_some()>
            <label class="label" for=name.clone()>{label}</label>
            <p class="hint" id=hint_id>{words.with_value(|w| w.hint.clone())}</p>
            <p class="field-error" id=error_id hidden=move || shown_error.get().is_none()>{move || shown_error.get()}</p>
            <input
                node_ref=input_ref
                class="input"
                class:input-error=move || shown_error.get().is_some()
                type="text"
                id=name.clone()
                name=name.clone()
                value=value
                inputmode="numeric"
                autocomplete="off"
                maxlength="24"
                aria-describedby=described
                aria-invalid=move || shown_error.get().map(|_| "true")
                on:input=move |ev| {
                    set_typed.set(event_target_value(&ev));
                    set_touched.set(true);
                }
            />
            <p class="field-ok" id=status_id aria-live="polite">
                {move || match live.get() {
                    Some(Ok(reading)) if touched.get() => reading,
                    _ => String::new(),
                }}
            </p>
        </div>
    }
}

#[island(lazy)]
pub fn RegionPicker(lists: [Vec<RegionOption>; 4], selected: [String; 4], errors: [Option<String>; 4], words: RegionWords) -> impl IntoView {
    let live = island_live();
    let lists = lists.map(RwSignal::new);
    let selected = selected.map(RwSignal::new);
    let RegionWords { labels, choose: choose_label, legend, hint, show_regions } = words;
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let choose = move |level: usize, code: String| {
        selected[level].set(code.clone());
        for below in level + 1..4 {
            selected[below].set(String::new());
            lists[below].set(Vec::new());
        }
        if level < 3 && !code.is_empty() {
            leptos::task::spawn_local(async move {
                if let Ok(children) = child_regions(Some(code.clone())).await {
                    // Only if the choice did not change while the list was on its way.
                    if selected[level].get_untracked() == code {
                        lists[level + 1].set(children);
                    }
                }
            });
        }
    };
    // A choice made before the script arrived (the lists are plain selects until then) is
    // taken over: the first level whose select differs from what the server rendered is
    // chosen again, so the levels below fill as if it had been picked now.
    let refs: [NodeRef<leptos::html::Select>; 4] = std::array::from_fn(|_| NodeRef::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        for level in 0..4 {
            let Some(select) = refs[level].get() else { return };
            let now = select.value();
            if now != selected[level].get_untracked() {
                choose(level, now);
                return;
            }
        }
    });
    let fields = (0..4)
        .map(|level| {
            let (name, _) = address_fields::REGIONS[level];
            let error = errors[level].clone();
            let error_id = format!("{name}-galat");
            view! {
                <div class="question" class:question-error=error.is_some()>
                    <label class="label" for=name>{labels[level].clone()}</label>
                    {error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                    <select
                        node_ref=refs[level]
                        class="input"
                        id=name
                        name=name
                        aria-describedby=error.as_ref().map(|_| error_id.clone())
                        aria-invalid=error.as_ref().map(|_| "true")
                        disabled={move || level > 0 && lists[level].with(Vec::is_empty)}
                        on:change=move |ev| choose(level, event_target_value(&ev))
                    >
                        <option value="" selected=move || selected[level].with(String::is_empty)>{choose_label.clone()}</option>
                        {move || {
                            lists[level]
                                .get()
                                .into_iter()
                                .map(|r| {
                                    let code = r.code.as_str().to_string();
                                    let is_selected = selected[level].with_untracked(|s| *s == code);
                                    view! { <option value=code selected=is_selected>{r.name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="group region-picker">
            <legend>{legend}</legend>
            <p class="hint">{hint}</p>
            {fields}
            // Without JavaScript, the lists narrow on a round-trip through this button.
            <button type="submit" class="button button-secondary" name=crate::domain::apply::step_fields::ACTION value="wilayah" formnovalidate hidden=move || live.get()>
                {show_regions}
            </button>
        </fieldset>
    }
}

/// Reads a file the resident chose, downscaling photos to the longest side the office needs.
#[cfg(feature = "hydrate")]
async fn prepare_upload(file: web_sys::File) -> Result<web_sys::Blob, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let is_photo = FileType::from_mime(&file.type_()).is_some_and(FileType::is_image);
    if !is_photo {
        return Ok(file.into());
    }
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window().create_image_bitmap_with_blob(&file)?).await?.dyn_into()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let longest = w.max(h);
    if longest <= PHOTO_LONGEST_SIDE && file.size() < 1_000_000.0 {
        return Ok(file.into());
    }
    let scale = (PHOTO_LONGEST_SIDE as f64 / longest as f64).min(1.0);
    let (nw, nh) = (((w as f64) * scale).round().max(1.0) as u32, ((h as f64) * scale).round().max(1.0) as u32);
    let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas")?.dyn_into()?;
    canvas.set_width(nw);
    canvas.set_height(nh);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or_else(|| wasm_bindgen::JsValue::from_str("no 2d context"))?.dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw as f64, nh as f64)?;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(callback.unchecked_ref(), "image/jpeg", &wasm_bindgen::JsValue::from_f64(0.85));
    });
    let blob = JsFuture::from(promise).await?;
    if blob.is_null() {
        return Ok(file.into());
    }
    blob.dyn_into()
}

#[island(lazy)]
pub fn DocumentUploader(kind: String, label: String, error: Option<String>, words: UploadWords) -> impl IntoView {
    let UploadWords { upload, uploading, failed } = words;
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let failed = StoredValue::new(failed);
    let _ = island_live();
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let (progress, set_progress) = signal(None::<f64>);
    // The server's verdict on the last upload without JavaScript, until the next try.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let (problem, set_problem) = signal(error);
    let input_id = format!("berkas-{kind}");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let on_submit = {
        let kind = kind.clone();
        move |ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                use wasm_bindgen::closure::Closure;
                let Some(input) = input_ref.get() else { return };
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                ev.prevent_default();
                set_problem.set(None);
                set_progress.set(Some(0.0));
                let kind = kind.clone();
                leptos::task::spawn_local(async move {
                    let fail = move |message: &str| {
                        set_progress.set(None);
                        set_problem.set(Some(message.to_string()));
                    };
                    // A file the browser cannot read as a photo goes as it is; the server judges it.
                    let blob: web_sys::Blob = match prepare_upload(file.clone()).await {
                        Ok(blob) => blob,
                        Err(_) => file.clone().into(),
                    };
                    let Ok(form) = web_sys::FormData::new() else { return fail(&failed.get_value()) };
                    let name = if blob.type_() == "image/jpeg" && file.type_() != "image/jpeg" { "foto.jpg".to_string() } else { file.name() };
                    let _ = form.append_with_str("jenis", &kind);
                    let _ = form.append_with_blob_and_filename("berkas", &blob, &name);
                    let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return fail(&failed.get_value()) };
                    let _ = xhr.open_with_async("POST", "/ajukan/dokumen/unggah", true);
                    let _ = xhr.set_request_header("x-layan-unggah", "1");
                    if let Ok(upload) = xhr.upload() {
                        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                            if e.length_computable() && e.total() > 0.0 {
                                set_progress.set(Some((e.loaded() / e.total() * 100.0).floor()));
                            }
                        });
                        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
                        on_progress.forget();
                    }
                    let done_xhr = xhr.clone();
                    let on_load = Closure::<dyn FnMut()>::new(move || {
                        let status = done_xhr.status().unwrap_or(0);
                        if status == 200 {
                            let _ = window().location().reload();
                            return;
                        }
                        // No signal: the service worker kept the (downscaled) file on the phone.
                        if status == 202 {
                            let _ = window().location().assign("/luring?keadaan=tersimpan");
                            return;
                        }
                        let text = done_xhr.response_text().ok().flatten().unwrap_or_default();
                        let message = leptos::serde_json::from_str::<leptos::serde_json::Value>(&text)
                            .ok()
                            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
                            .unwrap_or_else(|| failed.get_value());
                        set_progress.set(None);
                        set_problem.set(Some(message));
                    });
                    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
                    on_load.forget();
                    let on_error = Closure::<dyn FnMut()>::new(move || {
                        set_progress.set(None);
                        set_problem.set(Some(failed.get_value()));
                    });
                    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                    on_error.forget();
                    if xhr.send_with_opt_form_data(Some(&form)).is_err() {
                        fail(&failed.get_value());
                    }
                });
            }
        }
    };
    view! {
        <form class="upload" method="post" action="/ajukan/dokumen/unggah" enctype="multipart/form-data" on:submit=on_submit>
            <input type="hidden" name="jenis" value=kind.clone()/>
            <label class="label" for=input_id.clone()>{label}</label>
            <input
                node_ref=input_ref
                class="file-input"
                type="file"
                id=input_id
                name="berkas"
                aria-describedby=format!("berkas-{kind}-galat")
                accept="image/jpeg,image/png,image/webp,application/pdf"
            />
            <p class="field-error" id=format!("berkas-{kind}-galat") role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get()}
            </p>
            <div class="upload-progress" hidden=move || progress.with(Option::is_none)>
                <label>
                    {uploading}
                    <progress max="100" value=move || progress.get().unwrap_or(0.0)>{move || format!("{}%", progress.get().unwrap_or(0.0))}</progress>
                </label>
            </div>
            <button type="submit" class="button button-secondary button-small" disabled=move || progress.with(Option::is_some)>
                {upload}
            </button>
        </form>
    }
}

#[island]
pub fn SubmitOnce(label: String, busy: String) -> impl IntoView {
    let _ = island_live();
    let (sent, set_sent) = signal(false);
    view! {
        <button
            type="submit"
            class="button"
            aria-disabled=move || sent.get().then_some("true")
            on:click=move |ev| {
                // The first tap submits; later ones (a double tap, an impatient retry) do not.
                if sent.get_untracked() {
                    ev.prevent_default();
                } else {
                    set_sent.set(true);
                }
            }
        >
            {move || if sent.get() { busy.clone() } else { label.clone() }}
        </button>
    }
}

#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let live = island_live();
    view! {
        <button type="button" class="button" hidden=move || !live.get() on:click=move |_| {
            let _ = window().print();
        }>
            {label}
        </button>
    }
}
