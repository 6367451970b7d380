//! A button that copies text to the clipboard and says whether it could.

use leptos::prelude::*;

/// Copies `text()` (read when clicked) and shows `done`, or `blocked` when
/// the browser refuses the clipboard, for a moment in place of `label`.
#[component]
pub fn CopyButton(
    text: Callback<(), String>,
    label: &'static str,
    done: &'static str,
    blocked: &'static str,
    name: &'static str,
    #[prop(optional)] title: &'static str,
) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    let on_click = move |_| {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        let text = text.run(());
        leptos::task::spawn_local(async move {
            let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .is_ok();
            said.set(Some(if copied { done } else { blocked }));
            gloo_timers::future::TimeoutFuture::new(2500).await;
            said.set(None);
        });
    };
    view! {
        <button type="button" name=name class=name title=title on:click=on_click>
            {move || said.get().unwrap_or(label)}
        </button>
    }
}
