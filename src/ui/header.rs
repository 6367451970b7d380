//! The page's frame: its header and footer, the embed bar, the link's
//! notices, and the backend badge.

use leptos::prelude::*;

use crate::link::{Link, Notice};
use crate::ui::lang::{LanguageSwitch, say};
use crate::ui::run::Run;
use crate::web::webgpu::Backend;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div>
                <h1>"CNN playground"</h1>
                <p class="tagline">
                    "The classic convolutional nets of "
                    <a href="https://d2l.ai" target="_blank" rel="noopener">"Dive into Deep Learning"</a>
                    ": see every layer's shape, then train the net on Fashion-MNIST right here in the tab."
                </p>
            </div>
            <div class="header-side">
                <LanguageSwitch />
                <BackendBadge />
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="foot">
            "Built with Rust, Burn and Leptos. Fashion-MNIST © 2017 Zalando SE (MIT). "
            <a href="www/embed.html">"Embed it in course notes"</a>
        </footer>
    }
}

#[component]
pub fn EmbedBar() -> impl IntoView {
    let full = move || {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| Link::parse(&q))
            .map(|mut link| {
                link.embed = false;
                link.hide.clear();
                link.autostart = false;
                link.to_query()
            })
            .unwrap_or_default();
        format!("./{query}")
    };
    view! {
        <div class="embed-bar">
            <BackendBadge />
            <LanguageSwitch />
            <a class="open-full" href=full target="_blank" rel="noopener">"open full playground ↗"</a>
        </div>
    }
}

#[component]
pub fn Notices(notices: Vec<Notice>) -> impl IntoView {
    let open = RwSignal::new(true);
    view! {
        <Show when=move || open.get()>
            <div class="notice" role="status">
                <strong>"Some link settings were ignored: "</strong>
                <ul>{notices.iter().map(|n| view! { <li>{say(n.clone())}</li> }).collect_view()}</ul>
                <button class="dismiss" on:click=move |_| open.set(false) aria-label="dismiss">"×"</button>
            </div>
        </Show>
    }
}

/// "WebGPU — adapter" or "CPU, 2 threads — WebGPU unavailable: reason".
#[component]
pub fn BackendBadge() -> impl IntoView {
    let run = expect_context::<Run>();
    let text = move || match run.backend.get() {
        Some(backend) => backend.badge(),
        None => "checking for WebGPU…".to_string(),
    };
    let class = move || match run.backend.get() {
        Some(Backend::WebGpu(_)) => "badge webgpu",
        Some(_) => "badge cpu",
        None => "badge pending",
    };
    view! {
        <div class="badge-wrap">
            <span
                class=class
                data-backend=move || run.backend.get().map(|b| b.short_name()).unwrap_or("")
                data-threads=move || match run.backend.get() {
                    Some(Backend::Cpu { threads, .. }) => threads.to_string(),
                    _ => String::new(),
                }
            >
                {text}
            </span>
            {move || run.backend_note.get().map(|note| view! { <span class="badge-note">{note}</span> })}
            {move || run.backend.get().and_then(|b| b.threads_note()).map(|note| view! {
                <span class="badge-note threads-note">{note}</span>
            })}
            {move || matches!(run.backend.get(), Some(Backend::WebGpu(adapter)) if adapter.is_software).then(|| view! {
                <span class="badge-note">"a software renderer: the CPU backend is faster here (backend: auto or CPU)"</span>
            })}
        </div>
    }
}
