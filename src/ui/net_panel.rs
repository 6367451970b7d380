//! The net: the cards to pick one, its title and description, the input
//! size, the editor, the shape table and the look inside it.

use leptos::prelude::*;

use crate::arch::Arch;
use crate::i18n::Say;
use crate::i18n::page_train::{BookSection, FormField, InputDoesNotFit, TrainText};
use crate::ui::editor::NetEditor;
use crate::ui::field::Field;
use crate::ui::inside::InsidePanel;
use crate::ui::lang::{lang, say, tr};
use crate::ui::run::Run;
use crate::ui::state::{Settings, TableProblem};
use crate::ui::table::LayerTable;

#[component]
pub fn NetPicker() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    view! {
        <nav class="picker" aria-label=tr(TrainText::NetsNav)>
            {Arch::ALL
                .into_iter()
                .map(|arch| {
                    view! {
                        <button
                            class="net-card"
                            class:selected=move || settings.arch.get() == arch
                            aria-pressed=move || (settings.arch.get() == arch).to_string()
                            data-arch=arch.id()
                            disabled=move || run.busy()
                            on:click=move |_| settings.reset_to_book(arch)
                        >
                            <span class="net-title">{say(arch)}</span>
                            <span class="net-summary">{tr(arch.summary())}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn NetPanel(hidden: Vec<String>) -> impl IntoView {
    use crate::ui::state::{BATCH, RESIZE, parse};
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let lang = lang();
    let table = Memo::new(move |_| settings.table());
    let table_ok = Memo::new(move |_| table.get().ok());
    let batch = Memo::new(move |_| parse(&settings.batch.get(), BATCH, FormField::BatchSize).ok());
    let arch = settings.arch;
    let running = Signal::derive(move || run.busy());
    let resize_error = Signal::derive(move || {
        parse(&settings.resize.get(), RESIZE, FormField::InputSize)
            .err()
            .map(|problem| problem.say(lang.get()))
    });
    let show = |control: &str| !hidden.iter().any(|h| h == control);
    let show_resize = show("resize");
    let show_editor = show("editor");
    // The net's name as edited: VGG-16, ResNet-34, "LeNet (edited)".
    let title = move || {
        let lang = lang.get();
        settings
            .net()
            .map_or_else(|_| lang.say(&arch.get()), |net| lang.say(&net.title()))
    };
    view! {
        <section class="net panel" aria-labelledby="net-title">
            <div class="net-head">
                <h2 id="net-title">
                    {title}
                    <small class="section">{move || BookSection(arch.get().book_section()).say(lang.get())}</small>
                </h2>
                <p class="net-blurb">{move || lang.get().t(arch.get().summary())}</p>
                {move || changed_from_book(&settings, lang.get()).map(|changes| view! {
                    <p class="net-changes">{tr(TrainText::ChangedFromBook)} {changes}</p>
                })}
            </div>
            <div class="net-controls">
                {show_resize.then(|| view! {
                    <Field label=tr(TrainText::InputSizeLabel) name="resize" value=settings.resize error=resize_error disabled=running />
                })}
            </div>
            {show_editor.then(|| view! { <NetEditor hidden=hidden.clone() /> })}
            {move || match table.get() {
                Ok(table) => view! { <LayerTable table=table batch=batch.get() /> }.into_any(),
                Err(TableProblem::Shape(e)) => view! {
                    <div class="table-error" role="alert">
                        <strong>{move || InputDoesNotFit { side: settings.resize.get(), net: title() }.say(lang.get())}</strong>
                        <span class="where">{lang.get().say(&e.layer)}</span>
                        ": " {lang.get().say(&e.reason)}
                    </div>
                }.into_any(),
                Err(TableProblem::Resize(problem)) => view! {
                    <div class="table-error" role="alert">{move || problem.say(lang.get())}</div>
                }.into_any(),
                                Err(TableProblem::Net(e)) => view! { <div class="table-error" role="alert">{lang.get().say(&e)}</div> }.into_any(),
            }}
            <InsidePanel table=table_ok />
        </section>
    }
}

/// What the form's net changes from the book's ("activation sigmoid →
/// relu; pooling avg → max"): the blurb above describes the book's.
fn changed_from_book(settings: &Settings, lang: crate::i18n::Lang) -> Option<String> {
    let changes = crate::arch::edit::changes(&settings.net().ok()?);
    (!changes.is_empty()).then(|| {
        changes
            .iter()
            .map(|change| lang.say(change))
            .collect::<Vec<_>>()
            .join("; ")
    })
}
