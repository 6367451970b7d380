//! A labelled text field of the page's forms.

use leptos::prelude::*;

/// A labelled text field bound to `value`, with its validation message;
/// the label and the message follow the reader's language (closures).
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] disabled: Option<Signal<bool>>,
    #[prop(default = "numeric")] inputmode: &'static str,
) -> impl IntoView {
    let disabled = disabled.unwrap_or_else(|| Signal::derive(|| false));
    view! {
        <label class="field" class:invalid=move || error.get().is_some()>
            <span class="field-label">{label}</span>
            <input
                name=name
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                disabled=move || disabled.get()
                aria-invalid=move || error.get().is_some().to_string()
            />
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </label>
    }
}
