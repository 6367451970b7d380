//! The page's URL follows its settings (without reloading), and an embedded
//! page tells its parent how tall it is.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::i18n::page_train::FormField;
use crate::link::{AskedData, Link};
use crate::ui::lang::Reader;
use crate::ui::run::Run;
use crate::ui::state::parse;
use crate::ui::state::{BATCH, EPOCHS, LR, RESIZE, Settings, Setup, TEST_EXAMPLES, TRAIN_EXAMPLES};

/// The link for the current settings; embed options are kept from `base`.
/// It names the reader's language when the link did, or when it is not the
/// one the browser asks for, and the images of one's own (`data`) the run
/// is on, never carrying them.
pub fn current_link(settings: &Settings, base: &Link, reader: Reader, data: Option<AskedData>) -> Link {
    let lang = reader.lang.get();
    // The quick setting, changed or not, is the shorter base for the query.
    let quick = settings
        .train_config()
        .is_ok_and(|config| Setup::Quick.matches(&config) && !Setup::Book.matches(&config));
    Link {
        arch: Some(settings.arch.get()),
        quick,
        resize: parse(&settings.resize.get(), RESIZE, FormField::InputSize).ok(),
        ratio: None,
        net: settings.net().ok(),
        lr: parse(&settings.lr.get(), LR, FormField::LearningRate).ok(),
        batch: parse(&settings.batch.get(), BATCH, FormField::BatchSize).ok(),
        epochs: parse(&settings.epochs.get(), EPOCHS, FormField::Epochs).ok(),
        optimizer: Some(settings.optimizer.get()),
        train: parse(
            &settings.train_limit.get(),
            TRAIN_EXAMPLES,
            FormField::TrainImages,
        )
        .ok(),
        test: parse(&settings.test_limit.get(), TEST_EXAMPLES, FormField::TestImages).ok(),
        backend: settings.backend.get(),
        embed: base.embed,
        hide: base.hide.clone(),
        autostart: base.autostart,
        weights: base.weights.clone(),
        lang: (base.lang.is_some() || lang != reader.browser).then_some(lang),
        data,
        notices: vec![],
    }
}

/// Rewrites the query string whenever a setting or the data changes (no
/// reload, no new history entry per keystroke). The data is the images of
/// one's own held, else those the link asked for and not yet picked.
pub fn keep_url_in_step(settings: Settings, base: Link, reader: Reader, run: Run) {
    Effect::new(move |_| {
        let data = run
            .own_data
            .with(|own| own.as_ref().map(AskedData::from))
            .or_else(|| run.asked_data.get().map(|request| request.data));
        let query = current_link(&settings, &base, reader, data).to_query();
        let Some(window) = web_sys::window() else { return };
        let Ok(history) = window.history() else { return };
        let path = window.location().pathname().unwrap_or_default();
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{query}")));
    });
}

/// The full URL of the current page, to share.
pub fn share_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Posts `{type: "cnnp-height", height}` to the parent page whenever the
/// page's height changes, so an `<iframe>` can fit it.
pub fn report_height_to_parent() {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    let last = std::rc::Rc::new(std::cell::Cell::new(0.0));
    let tick = Closure::<dyn FnMut()>::new(move || {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let height = body.scroll_height() as f64;
        if (height - last.get()).abs() >= 1.0 {
            last.set(height);
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"cnnp-height".into());
            let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
            let _ = parent.post_message(&message, "*");
        }
    });
    // A cheap poll: covers rows expanding, charts growing, fonts loading.
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 250);
    tick.forget();
}
