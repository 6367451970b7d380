//! A button that copies text to the clipboard and says whether it could.

use leptos::prelude::*;

/// Copies `text()` (read when clicked) and shows `done`, or `blocked` when
/// the browser refuses the clipboard, for a moment in place of `label`.
/// The words are signals (a string, or a closure of the reader's
/// language), so they follow a switch of language.
#[component]
pub fn CopyButton(
    text: Callback<(), String>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] done: Signal<String>,
    #[prop(into)] blocked: Signal<String>,
    name: &'static str,
    #[prop(optional, into)] title: Option<Signal<String>>,
) -> impl IntoView {
    // Whether the last click copied, for a moment after it.
    let copied = RwSignal::new(None::<bool>);
    let on_click = move |_| {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        let text = text.run(());
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .is_ok();
            copied.set(Some(ok));
            gloo_timers::future::TimeoutFuture::new(2500).await;
            copied.set(None);
        });
    };
    let said = move || match copied.get() {
        Some(true) => done.get(),
        Some(false) => blocked.get(),
        None => label.get(),
    };
    view! {
        <button type="button" name=name class=name title=move || title.map(|title| title.get()) on:click=on_click>
            {said}
        </button>
    }
}
