//! Weights files (save, load, the book's trained LeNet, train on from
//! them) and Fashion-MNIST's files from disk.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::arch::Arch;
use crate::export::{self, DataChoice, Format};
use crate::i18n::Say;
use crate::i18n::page_train::{BookWeights, PickedFiles, TrainText};
use crate::i18n::run::{WeightsNote, WeightsProblem};
use crate::training::TrainConfig;
use crate::ui::ClientHandle;
use crate::ui::client::Client;
use crate::ui::lang::{lang, tr};
use crate::ui::run::Run;
use crate::ui::state::{FormProblem, Settings};

/// Fetches the weights file at `path` (this site) and loads it for the
/// form's net; what fails is said beside the weights buttons.
pub async fn load_weights_from(
    client: ClientHandle,
    run: Run,
    path: &str,
    config: Result<TrainConfig, Vec<FormProblem>>,
) {
    let config = match config {
        Ok(config) => config,
        Err(_) => return run.weights_problem.set(Some(WeightsProblem::FixSettingsFirst)),
    };
    run.weights_note.set(Some(WeightsNote::Fetching {
        path: path.to_string(),
    }));
    match crate::ui::files::fetch_bytes(path).await {
        Ok(bytes) => {
            let name = path.rsplit('/').next().unwrap_or(path).to_string();
            client.with_value(|client| client.load_weights(name, bytes, &config));
        }
        Err(e) => {
            run.weights_note.set(None);
            run.weights_problem.set(Some(WeightsProblem::NotFetched(e)));
        }
    }
}

/// The form's run as the book's PyTorch code (`export`, as `cnnp export`
/// writes it), offered as a download the way saved weights are.
fn export_run(run: Run, config: Result<TrainConfig, Vec<FormProblem>>, format: Format) {
    run.weights_problem.set(None);
    if let Some(io) = config.as_ref().ok().and_then(export::other_data) {
        return run.weights_problem.set(Some(WeightsProblem::ExportFashionOnly {
            channels: io.in_channels,
            classes: io.classes,
        }));
    }
    let exported = config.ok().and_then(|config| {
        Some((
            export::file_name(&config, format),
            export::export(&config, &DataChoice::default(), format).ok()?,
        ))
    });
    let Some((name, text)) = exported else {
        return run.weights_problem.set(Some(WeightsProblem::ExportNeedsSettings));
    };
    let buffer = js_sys::Uint8Array::from(text.as_bytes()).buffer();
    if let Err(detail) = crate::ui::files::download(&name, &buffer.into()) {
        run.weights_problem
            .set(Some(WeightsProblem::DownloadFailed { detail }));
    }
}

/// Save the net's weights, load a file (ours or one saved from the book's
/// PyTorch net), start from the book's trained LeNet, and train on from
/// loaded weights; export the net and run as the book's PyTorch code.
#[component]
pub fn WeightsBar(config: Memo<Result<TrainConfig, Vec<FormProblem>>>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let lang = lang();
    let running = Signal::derive(move || run.busy());
    let on_save = move |_| client.with_value(Client::save_weights);
    let load_file = move |file: web_sys::File| {
        let Ok(config) = config.get_untracked() else {
            run.weights_problem.set(Some(WeightsProblem::FixSettingsFirst));
            return;
        };
        leptos::task::spawn_local(async move {
            let name = file.name();
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(bytes) => {
                    client.with_value(|client| client.load_weights(name, bytes.unchecked_into(), &config))
                }
                Err(e) => run.weights_problem.set(Some(WeightsProblem::Unreadable {
                    name,
                    detail: format!("{e:?}"),
                })),
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        load_file(file);
    };
    // A weights file dropped on the bar loads as a picked one does.
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            load_file(file);
        }
    };
    let book_trained = move || {
        let arch = settings.arch.get();
        matches!(arch, Arch::LeNet | Arch::BnLeNet).then(|| {
            let start = move |_| {
                let path = format!("assets/weights/{}.safetensors", arch.id());
                let config = config.get_untracked();
                leptos::task::spawn_local(async move { load_weights_from(client, run, &path, config).await });
            };
            view! {
                <button name="book-weights" on:click=start disabled=move || running.get()>
                    {move || BookWeights { net: arch.title().to_string() }.say(lang.get())}
                </button>
            }
        })
    };
    view! {
        <div class="weights-bar" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <button name="save-weights" on:click=on_save title=tr(TrainText::SaveWeightsTitle)>
                {tr(TrainText::SaveWeights)}
            </button>
            <span class="export" role="group" aria-label=tr(TrainText::ExportPyTorch) title=tr(TrainText::ExportPyTorchTitle)>
                {tr(TrainText::ExportPyTorch)}
                <button name="export-py" on:click=move |_| export_run(run, config.get_untracked(), Format::Script)>
                    {tr(TrainText::ExportScript)}
                </button>
                <button name="export-ipynb" on:click=move |_| export_run(run, config.get_untracked(), Format::Notebook)>
                    {tr(TrainText::ExportNotebook)}
                </button>
            </span>
            <label class="button" class:disabled=move || running.get() title=tr(TrainText::LoadWeightsTitle)>
                {tr(TrainText::LoadWeights)}
                <input type="file" name="load-weights" accept=".safetensors" on:change=on_pick disabled=move || running.get() />
            </label>
            {book_trained}
            {move || run.can_continue.get().then(|| view! {
                <label class="continue">
                    <input
                        type="checkbox"
                        name="from-weights"
                        prop:checked=move || run.from_weights.get()
                        on:change=move |ev| run.from_weights.set(event_target_checked(&ev))
                        disabled=move || running.get()
                    />
                    {tr(TrainText::TrainOnFromWeights)}
                </label>
            })}
        </div>
                {move || run.weights_note.get().map(|note| view! { <p class="weights-note">{note.say(lang.get())}</p> })}
        {move || run.weights_problem.get().map(|problem| view! { <p class="weights-problem" role="alert">{problem.say(lang.get())}</p> })}
    }
}

/// Fashion-MNIST from the user's disk instead of the server.
#[component]
pub fn DataFiles() -> impl IntoView {
    let client = expect_context::<ClientHandle>();
    let lang = lang();
    let message = RwSignal::new(None::<PickedFiles>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        leptos::task::spawn_local(async move {
            match crate::ui::files::read_picked(files).await {
                Ok(buffers) => {
                    message.set(Some(PickedFiles::Using));
                    client.with_value(|client| client.use_files(buffers));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    view! {
        <details class="files">
            <summary>{tr(TrainText::DataFilesSummary)}</summary>
            <p>{tr(TrainText::PickFilesBefore)} <code>".gz"</code> {tr(TrainText::PickFilesAfter)}</p>
            <input type="file" multiple accept=".gz" aria-label=tr(TrainText::PickFilesLabel) on:change=on_change />
            {move || message.get().map(|m| view! { <p class="files-message">{m.say(lang.get())}</p> })}
        </details>
    }
}
