//! The page: pick a net, see its table, train it. Each panel is a
//! component of its own room; this one puts them together as the link
//! asks (embedded, controls hidden, a run started at once).

use leptos::prelude::*;

use crate::arch::Arch;
use crate::i18n::page_train::TrainText;
use crate::link::{AskedBy, DataRequest, Link};
use crate::ui::ClientHandle;
use crate::ui::client::Client;
use crate::ui::header::{EmbedBar, Footer, Header, Notices};
use crate::ui::history::{History, RunHistory};
use crate::ui::inside_state::Inside;
use crate::ui::net_panel::{NetPanel, NetPicker};
use crate::ui::run::Run;
use crate::ui::state::Settings;
use crate::ui::train_panel::TrainPanel;
use crate::ui::weights_bar::load_weights_from;

/// The whole playground; `link` is what the page's URL asked for.
#[component]
pub fn App(link: Link) -> impl IntoView {
    let reader = crate::ui::lang::provide(link.lang);
    // The tab's title follows the reader's language, as `<html lang>` does.
    Effect::new(move |_| {
        let title = reader.lang.get().t(TrainText::PageTitle);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(title);
        }
    });
    let settings = Settings::new(link.arch.unwrap_or(Arch::LeNet));
    apply_link(&settings, &link);
    let run = Run::new();
    let inside = Inside::new();
    let history = History::new();
    let client = Client::new(run, inside, history, settings);
    provide_context(history);
    provide_context(settings);
    provide_context(run);
    provide_context(inside);
    let client: ClientHandle = StoredValue::new_local(client);
    provide_context(client);
    let embed = link.embed;
    let hide = link.hide.clone();
    let notices = link.notices.clone();
    if let Some(data) = link.data.clone() {
        client.with_value(|client| {
            client.ask_for_data(DataRequest {
                by: AskedBy::Link,
                data,
                held_before: None,
            })
        });
    }
    crate::ui::url::keep_url_in_step(settings, link.clone(), reader, run);
    if embed {
        crate::ui::url::report_height_to_parent();
    }
    if let Some(path) = link.weights.clone() {
        let run_config = settings.train_config();
        leptos::task::spawn_local(async move {
            load_weights_from(client, run, &path, run_config).await;
        });
    }
    // A run on images the link only names waits for them.
    if link.autostart && link.data.is_none() {
        // A small subset, unless the link says how many.
        if link.train.is_none() {
            settings.train_limit.set("2000".to_string());
        }
        if link.test.is_none() {
            settings.test_limit.set("500".to_string());
        }
        if let Ok(config) = settings.train_config() {
            client.with_value(|client| client.train(config));
        }
    }
    let hidden = move |control: &str| hide.iter().any(|h| h == control);
    let show_picker = !hidden("arch");
    view! {
        <div class="app" class:embed=embed>
            // The first stop for a keyboard, and on a phone a shortcut past
            // the net's table to Train.
            <a class="skip-link" href="#training">{crate::ui::lang::tr(TrainText::SkipToTraining)}</a>
            {(!embed).then(|| view! { <Header /> })}
            {(!notices.is_empty()).then(|| view! { <Notices notices=notices.clone() /> })}
            {embed.then(|| view! { <EmbedBar /> })}
            <main class="layout" class:with-picker=show_picker>
                {show_picker.then(|| view! { <NetPicker /> })}
                <NetPanel hidden=link.hide.clone() />
                <TrainPanel hidden=link.hide.clone() />
            </main>
            {(!embed).then(|| view! { <RunHistory /> })}
            {(!embed).then(|| view! { <Footer /> })}
        </div>
    }
}

fn apply_link(settings: &Settings, link: &Link) {
    let arch = settings.arch.get_untracked();
    match link.quick {
        true => settings.use_quick(arch),
        false => settings.reset_to_book(arch),
    }
    if let Some(optimizer) = link
        .optimizer
        .filter(|&kind| kind != settings.optimizer.get_untracked())
    {
        settings.optimizer.set(optimizer);
        settings.lr.set(optimizer.default_lr(arch).to_string());
    }
    let set = |signal: RwSignal<String>, value: Option<String>| {
        if let Some(value) = value {
            signal.set(value);
        }
    };
    set(settings.resize, link.resize.map(|n| n.to_string()));
    if let Some(net) = &link.net {
        settings.set_net(net);
    }
    set(settings.lr, link.lr.map(|x| x.to_string()));
    set(settings.batch, link.batch.map(|n| n.to_string()));
    set(settings.epochs, link.epochs.map(|n| n.to_string()));
    set(settings.train_limit, link.train.map(|n| n.to_string()));
    set(settings.test_limit, link.test.map(|n| n.to_string()));
    settings.backend.set(link.backend);
}
