//! The page's frame: its header and footer, the embed bar, the link's
//! notices, and the backend badge.

use leptos::prelude::*;

use crate::i18n::page_train::TrainText;
use crate::i18n::{Lang, Say};
use crate::link::{Link, Notice};
use crate::ui::lang::{LanguageSwitch, Reader, lang, say, tr};
use crate::ui::run::Run;
use crate::web::webgpu::Backend;

/// The book's site in the reader's language.
fn book_site(lang: Lang) -> &'static str {
    lang.pick("https://d2l.ai", "https://zh.d2l.ai")
}

#[component]
pub fn Header() -> impl IntoView {
    let lang = lang();
    view! {
        <header class="site-header">
            <div>
                <h1>{tr(TrainText::Heading)}</h1>
                <p class="tagline">
                    {tr(TrainText::TaglineBefore)}
                    <a href=move || book_site(lang.get()) target="_blank" rel="noopener">{tr(TrainText::BookName)}</a>
                    {tr(TrainText::TaglineAfter)}
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
    let lang = lang();
    view! {
        <footer class="foot">
            {tr(TrainText::FooterBuilt)}
            <a href=move || format!("www/embed.html?lang={}", lang.get().id())>{tr(TrainText::FooterEmbed)}</a>
        </footer>
    }
}

#[component]
pub fn EmbedBar() -> impl IntoView {
    let reader = expect_context::<Reader>();
    // The page's own link, not embedded, in the reader's language (named
    // as the page's URL names it: when the link did, or when it is not the
    // browser's).
    let full = move || {
        let lang = reader.lang.get();
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| Link::parse(&q))
            .map(|mut link| {
                link.embed = false;
                link.hide.clear();
                link.autostart = false;
                link.lang = (link.lang.is_some() || lang != reader.browser).then_some(lang);
                link.to_query()
            })
            .unwrap_or_default();
        format!("./{query}")
    };
    view! {
        <div class="embed-bar">
            <BackendBadge />
            <LanguageSwitch />
            <a class="open-full" href=full target="_blank" rel="noopener">{tr(TrainText::OpenFull)}</a>
        </div>
    }
}

/// What the link asked for that the page could not do (the link's own
/// notices).
#[component]
pub fn Notices(notices: Vec<Notice>) -> impl IntoView {
    let open = RwSignal::new(true);
    view! {
        <Show when=move || open.get()>
            <div class="notice" role="status">
                <strong>{tr(TrainText::NoticesHead)}</strong>
                <ul>{notices.iter().map(|n| view! { <li>{say(n.clone())}</li> }).collect_view()}</ul>
                <button class="dismiss" on:click=move |_| open.set(false) aria-label=tr(TrainText::Dismiss)>"×"</button>
            </div>
        </Show>
    }
}

/// "WebGPU — adapter" or "CPU, 2 threads — WebGPU unavailable: reason".
#[component]
pub fn BackendBadge() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = lang();
    let text = move || match run.backend.get() {
        Some(backend) => backend.say(lang.get()),
        None => lang.get().t(TrainText::CheckingWebGpu).to_string(),
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
                        {move || run.backend_note.get().map(|note| view! { <span class="badge-note">{note.say(lang.get())}</span> })}
            {move || run.backend.get().and_then(|b| b.threads_note()).map(|note| view! {
                <span class="badge-note threads-note">{note.say(lang.get())}</span>
            })}
            {move || matches!(run.backend.get(), Some(Backend::WebGpu(adapter)) if adapter.is_software).then(|| view! {
                <span class="badge-note">{tr(TrainText::SoftwareRenderer)}</span>
            })}
        </div>
    }
}
