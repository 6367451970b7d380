//! "Your own images": a folder or a zip picked or dropped, read
//! (`ui::own_files`) and handed to the worker; what it made of them (the
//! classes with their counts, the format, the split, the files skipped)
//! before Train; and the way back to Fashion-MNIST.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::own::{OwnAbout, OwnDataError};
use crate::i18n::Say;
use crate::i18n::own_data::summary;
use crate::i18n::page_own::{AskedLine, OwnLine, OwnText};
use crate::link::DataRequest;
use crate::ui::ClientHandle;
use crate::ui::draw_classes::DrawClasses;
use crate::ui::lang::{lang, tr};
use crate::ui::own_files::{self, PathedFile};
use crate::ui::run::Run;

/// What is being read from disk (the client's `Picked` is what it
/// keeps once read).
enum FromDisk {
    Folder(Vec<PathedFile>),
    Zip(web_sys::File),
}

#[component]
pub fn OwnData() -> impl IntoView {
    let client = expect_context::<ClientHandle>();
    let run = expect_context::<Run>();
    let running = Signal::derive(move || run.busy());
    // Images of one's own held or asked for: the panel stays open, and
    // offers the way back to Fashion-MNIST.
    let off_fashion =
        Signal::derive(move || run.own_data.with(Option::is_some) || run.asked_data.with(Option::is_some));
    let keep_colour = RwSignal::new(true);
    let reading = RwSignal::new(false);
    let use_picked = move |picked: FromDisk| {
        if run.busy_untracked() {
            return;
        }
        reading.set(true);
        run.own_problem.set(None);
        let colour = keep_colour.get_untracked();
        leptos::task::spawn_local(async move {
            let read = match picked {
                FromDisk::Folder(files) => own_files::read_folder(files, colour).await,
                FromDisk::Zip(file) => own_files::read_zip(&file, colour).await,
            };
            match read {
                Ok(own) => client.with_value(|client| client.use_own(own)),
                Err(error) => {
                    reading.set(false);
                    run.own_problem.set(Some(error));
                }
            }
        });
    };
    // The worker's answer (data or a problem) ends the reading.
    Effect::new(move |_| {
        run.own_data.track();
        run.own_problem.track();
        reading.set(false);
    });
    let on_folder = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(list) = input.files() else { return };
        let files = own_files::picked_folder(&list);
        input.set_value("");
        use_picked(FromDisk::Folder(files));
    };
    let on_zip = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        use_picked(FromDisk::Zip(file));
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(transfer) = ev.data_transfer() else {
            return;
        };
        // A folder comes as an entry to walk; a zip as a file.
        let items = js_sys::Reflect::get(&transfer, &"items".into()).unwrap_or_default();
        let entry = js_sys::Reflect::get_u32(&items, 0)
            .ok()
            .filter(|item| item.is_object())
            .and_then(|item| {
                let get = js_sys::Reflect::get(&item, &"webkitGetAsEntry".into()).ok()?;
                get.dyn_into::<js_sys::Function>().ok()?.call0(&item).ok()
            })
            .filter(|entry| !entry.is_null() && !entry.is_undefined());
        let directory = entry.as_ref().is_some_and(|entry| {
            js_sys::Reflect::get(entry, &"isDirectory".into())
                .ok()
                .and_then(|d| d.as_bool())
                == Some(true)
        });
        match (entry, directory) {
            (Some(entry), true) => leptos::task::spawn_local(async move {
                match own_files::dropped_folder(entry).await {
                    Ok(files) => use_picked(FromDisk::Folder(files)),
                    Err(error) => run.own_problem.set(Some(error)),
                }
            }),
            _ => {
                if let Some(file) = transfer.files().and_then(|files| files.get(0)) {
                    use_picked(FromDisk::Zip(file));
                }
            }
        }
    };
    let back = move |_| client.with_value(|client| client.use_fashion());
    // Leptos knows no `webkitdirectory`: set on the element itself.
    let folder_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder_input.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    view! {
        <details class="own-data" open=off_fashion>
            <summary>{tr(OwnText::Summary)}</summary>
            <p>{tr(OwnText::Intro)}</p>
            // A link's request comes first: it is what the reader came for.
            <AskedForData />
            <div class="own-pick" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                <label class="button" class:disabled=move || running.get()>
                    {tr(OwnText::PickFolder)}
                    <input type="file" name="own-folder" node_ref=folder_input multiple on:change=on_folder disabled=move || running.get() />
                </label>
                <label class="button" class:disabled=move || running.get()>
                    {tr(OwnText::PickZip)}
                    <input type="file" name="own-zip" accept=".zip,application/zip" on:change=on_zip disabled=move || running.get() />
                </label>
                <span class="drop-hint">{tr(OwnText::DropHere)}</span>
                <label class="keep-colour">
                    <input type="checkbox" name="own-colour" prop:checked=move || keep_colour.get()
                        on:change=move |ev| keep_colour.set(event_target_checked(&ev)) />
                    {tr(OwnText::KeepColour)}
                </label>
            </div>
            <DrawClasses on_files=Callback::new(move |files| use_picked(FromDisk::Folder(files))) running />
            {move || running.get().then(|| view! { <p class="own-busy">{tr(OwnText::Busy)}</p> })}
            <p class="own-reading" role="status">{move || reading.get().then(tr(OwnText::Reading))}</p>
            {move || run.own_problem.get().map(|problem| view! { <OwnProblem problem /> })}
            {move || run.own_data.get().map(|about| view! {
                <OwnSummary about />
                <p class="own-link-note">{tr(OwnText::NotInLink)}</p>
            })}
            {move || off_fashion.get().then(|| view! {
                <button name="use-fashion" on:click=back disabled=move || running.get()>{tr(OwnText::BackToFashion)}</button>
            })}
        </details>
    }
}

/// What the page's link, or a run to run again, said of the images of
/// one's own it was made with: until they are picked, a request for them;
/// once picked, whether they are the same images (their content hash).
#[component]
fn AskedForData() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = lang();
    move || {
        let DataRequest {
            by,
            data: asked,
            held_before,
        } = run.asked_data.get()?;
        // Images held before the request are no answer to it.
        let answer = run
            .own_data
            .get()
            .filter(|own| held_before.as_ref() != Some(&own.hash));
        let line = match answer {
            None => AskedLine::Pick { by, asked },
            Some(own) => match asked.hash.as_ref() {
                Some(hash) if *hash != own.hash => AskedLine::Differ {
                    by,
                    asked,
                    held: own.hash,
                },
                _ => return None,
            },
        };
        Some(view! { <p class="own-asked" role="status">{move || line.say(lang.get())}</p> })
    }
}

#[component]
fn OwnProblem(problem: OwnDataError) -> impl IntoView {
    let lang = lang();
    view! { <p class="own-problem" role="alert">{move || problem.say(lang.get())}</p> }
}

/// What the worker made of the images: the summary line, the format and
/// split, and each class with its training and test images.
#[component]
fn OwnSummary(about: OwnAbout) -> impl IntoView {
    let lang = lang();
    let line = {
        let about = about.clone();
        move || {
            let lang = lang.get();
            let images = about.train_images() + about.test_images();
            let first = summary(
                images,
                about.classes.len(),
                &about.skipped,
                about.skipped_count,
                lang,
            );
            format!(
                "{first}{}{}",
                lang.pick(". ", "。"),
                OwnLine(about.clone()).say(lang)
            )
        }
    };
    let rows = about
        .classes
        .iter()
        .zip(&about.counts)
        .map(|(class, (train, test))| {
            view! { <tr><th scope="row">{class.clone()}</th><td>{*train}</td><td>{*test}</td></tr> }
        })
        .collect_view();
    view! {
        <p class="own-summary" role="status">{line}</p>
        <table class="own-classes">
            <thead><tr>
                <th scope="col">{tr(OwnText::Class)}</th>
                <th scope="col">{tr(OwnText::TrainImages)}</th>
                <th scope="col">{tr(OwnText::TestImages)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
