//! What the run is doing now, and the book's line for each epoch.

use leptos::prelude::*;

use crate::i18n::page_train::{
    DataNotLoaded, Doing, Downloading, EpochMemory, FirstStep, KernelsReady, Progress, TrainText,
};
use crate::i18n::{Lang, Say};
use crate::protocol::AppCopy;
use crate::ui::ClientHandle;
use crate::ui::client::Client;
use crate::ui::lang::{lang, tr};
use crate::ui::run::{Phase, Run, Waiting};
use crate::web::service;
use crate::web::webgpu::Backend;

/// A progress bar, `done` of `total`, with its label.
fn progress_bar(done: f64, total: f64, label: String) -> impl IntoView {
    let percent = if total > 0.0 {
        (done / total * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    let name = label.clone();
    view! {
        <div class="progress" role="progressbar" aria-label=name aria-valuenow=format!("{percent:.0}") aria-valuemin="0" aria-valuemax="100">
            <div class="bar" style=format!("width: {percent:.1}%")></div>
            <span class="progress-label">{label}</span>
        </div>
    }
}

/// What the run is doing now.
#[component]
pub fn Status() -> impl IntoView {
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let lang = lang();
    view! {
        <div class="status" data-worker-memory=move || run.worker_memory.get().map(|b| b.to_string())>
            // The app's copy here: a newer build to switch to.
            {move || run.app_copy.get().map(|copy| view! {
                <div class="app-update" role="status">
                    {move || lang.get().t(copy)} " "
                    <button name="reload" on:click=|_| service::apply_update()>{move || lang.get().t(AppCopy::Reload)}</button>
                </div>
            })}
            {move || run.offline.get().map(|offline| view! {
                <p class="offline-note">{move || offline.say(lang.get())}</p>
            })}
            {move || run.download.get().map(|(file, loaded, total)| {
                let label = Downloading { file, loaded, total }.say(lang.get());
                progress_bar(loaded as f64, total.unwrap_or(0) as f64, label)
            })}
            {move || run.data_error.get().map(|reason| {
                view! {
                    <div class="error" role="alert">
                        <p>{move || DataNotLoaded { reason: reason.clone() }.say(lang.get())}</p>
                        <button name="retry" on:click=move |_| client.with_value(Client::retry_data)>{tr(TrainText::Retry)}</button>
                        {tr(TrainText::OrPickFiles)}
                    </div>
                }
            })}
            {move || phase_view(run, lang.get())}
            {move || run.calibration.get().and_then(|c| c.kernels_s).filter(|_| !run.phase.get().is_running()).map(|seconds| view! {
                <p class="kernels-ready">{move || KernelsReady { seconds }.say(lang.get())}</p>
            })}
            // The first step's wait: shader compilation on WebGPU; on the CPU
            // nothing compiles, so it is only the first step.
            {move || run.prepare_ms.get().map(|ms| {
                let gpu = matches!(run.backend.get(), Some(Backend::WebGpu(_)));
                view! { <p class="prepared">{move || FirstStep { gpu, seconds: ms / 1000.0 }.say(lang.get())}</p> }
            })}
            {move || run.book_line().map(|line| view! { <p class="book-line">{line}</p> })}
        </div>
    }
}

/// The run's phase, in `lang`: what Train waits for, the progress, how it
/// ended.
fn phase_view(run: Run, lang: Lang) -> AnyView {
    match run.phase.get() {
        phase if !phase.is_running() && run.queued.get().is_some() => {
            let what = match run.queued.get() {
                Some(Waiting::Worker) => TrainText::WaitingForWorker,
                                Some(Waiting::Backend) => TrainText::WaitingForBackend,
                Some(Waiting::Start) => TrainText::StartingRun,
                _ => TrainText::LoadingData,
            };
            view! { <p class="phase queued">{lang.t(what)}</p> }.into_any()
        }
        // What the worker said of the data, as it comes.
                Phase::Idle => view! { <p class="phase">{run.data_ready.get().map_or_else(|| lang.t(TrainText::Ready).to_string(), |ready| ready.say(lang))}</p> }.into_any(),
        Phase::Preparing => {
            let what = match run.backend.get() {
                Some(Backend::WebGpu(_)) if run.calibration.get().and_then(|c| c.kernels_s).is_none() => TrainText::CompilingKernels,
                Some(Backend::WebGpu(_)) => TrainText::FirstBatchGpu,
                _ => TrainText::FirstBatchCpu,
            };
            view! { <p class="phase preparing">{lang.t(what)}</p> }.into_any()
        }
        phase @ (Phase::Training | Phase::Paused | Phase::Evaluating) => {
            let (epoch, batch, batches) = run.progress.get();
            let doing = match phase {
                Phase::Paused => Doing::Paused,
                Phase::Evaluating => Doing::Evaluating,
                _ => Doing::Training(run.examples_per_s.get()),
            };
            let label = Progress { epoch, epochs: run.epochs.get(), batch, batches, doing }.say(lang);
            progress_bar(batch as f64, batches as f64, label).into_any()
        }
        // The worker's messages, as they come.
        Phase::Done(message) => view! {
                        <p class="phase done">{message.map_or_else(|| lang.t(TrainText::Done).to_string(), |ending| ending.say(lang))}</p>
        }.into_any(),
                Phase::Failed(failure) => view! { <p class="phase failed" role="alert">{failure.say(lang)}</p> }.into_any(),
    }
}

/// One book line per finished epoch.
#[component]
pub fn EpochLines() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = lang();
    view! {
        <details class="epochs" open=move || !run.history.get().is_empty()>
            <summary>{tr(TrainText::EpochsSummary)}</summary>
            <ol>
                {move || run.history.get().into_iter().map(|r| {
                    // The worker's memory after the epoch: for the curious
                    // (a tooltip) and the long-run tests.
                    let memory = run.epoch_memory.with(|m| m.iter().find(|m| m.epoch == r.epoch).copied());
                    let title = move || memory.map(|m| EpochMemory { wasm_bytes: m.wasm_bytes, device_bytes: m.device_bytes }.say(lang.get()));
                    view! {
                        <li
                            data-loss=r.loss.to_string()
                            data-worker-memory=memory.map(|m| m.wasm_bytes.to_string())
                            data-device-memory=memory.and_then(|m| m.device_bytes).map(|b| b.to_string())
                            title=title
                        >
                            {r.book_line()}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}
