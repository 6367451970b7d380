//! The reader's language on the page: from the link (`lang=`), else the
//! browser's languages; changed by the switch in the header without losing
//! anything (a run going on goes on); kept in the URL; `<html lang>`
//! follows it.

use leptos::prelude::*;

use crate::i18n::{Catalogue, Lang, Say, Text};

/// The reader's language, for every view.
#[derive(Clone, Copy)]
pub struct Reader {
    pub lang: RwSignal<Lang>,
    /// What the browser asks for: the language a link without `lang=`
    /// opens in (so the URL names it only when it differs).
    pub browser: Lang,
}

/// The browser's languages, most wanted first.
fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return vec![];
    };
    let listed: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|language| language.as_string())
        .collect();
    match listed.is_empty() {
        true => navigator.language().into_iter().collect(),
        false => listed,
    }
}

/// Chooses the language (`asked`: the link's) and keeps `<html lang>` in
/// step with it.
pub fn provide(asked: Option<Lang>) -> Reader {
    let browser = Lang::from_browser(browser_languages().iter().map(String::as_str));
    let reader = Reader {
        lang: RwSignal::new(asked.unwrap_or(browser)),
        browser,
    };
    provide_context(reader);
    Effect::new(move |_| {
        let lang = reader.lang.get();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });
    reader
}

/// The reader's language (a signal: views follow a switch).
pub fn lang() -> RwSignal<Lang> {
    expect_context::<Reader>().lang
}

/// A static string that follows the reader's language.
pub fn tr(text: impl Catalogue + Send + Sync) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = lang();
    move || text.get(lang.get())
}

/// A typed message that follows the reader's language.
pub fn say<M: Say + Send + Sync + 'static>(message: M) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = lang();
    move || message.say(lang.get())
}

/// English | 中文, in the header.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = lang();
    view! {
        <div class="language" role="group" aria-label=tr(Text::LanguageSwitch)>
            {Lang::ALL.map(|option| view! {
                <button
                    class="lang-option"
                    lang=option.tag()
                    name=format!("lang-{}", option.id())
                    aria-pressed=move || (lang.get() == option).to_string()
                    on:click=move |_| lang.set(option)
                >
                    {option.name()}
                </button>
            }).collect_view()}
        </div>
    }
}
