//! What the run is doing now, and the book's line for each epoch.

use leptos::prelude::*;

use crate::format::bytes;
use crate::i18n::Say;
use crate::ui::ClientHandle;
use crate::ui::client::Client;
use crate::ui::run::{Phase, Run, Waiting};
use crate::web::webgpu::Backend;

/// What the run is doing now.
#[component]
pub fn Status() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = crate::ui::lang::lang();
    let client = expect_context::<ClientHandle>();
    let progress_bar = move |done: f64, total: f64, label: String| {
        let percent = if total > 0.0 {
            (done / total * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        view! {
            <div class="progress" role="progressbar" aria-valuenow=format!("{percent:.0}") aria-valuemin="0" aria-valuemax="100">
                <div class="bar" style=format!("width: {percent:.1}%")></div>
                <span class="progress-label">{label}</span>
            </div>
        }
    };
    view! {
        <div class="status" aria-live="polite" data-worker-memory=move || run.worker_memory.get().map(|b| b.to_string())>
            {move || run.download.get().map(|(file, loaded, total)| {
                let label = match total {
                    Some(total) => format!("downloading {file}: {} of {}", bytes(loaded), bytes(total)),
                    None => format!("downloading {file}: {}", bytes(loaded)),
                };
                progress_bar(loaded as f64, total.unwrap_or(0) as f64, label)
            })}
                        {move || run.data_error.get().map(|error| {
                view! {
                    <div class="error" role="alert">
                        <p>{format!("The data could not be loaded: {}", error.say(lang.get()))}</p>
                        <button name="retry" on:click=move |_| client.with_value(Client::retry_data)>"Retry"</button>
                        " or pick the four files below."
                    </div>
                }
            })}
            {move || match run.phase.get() {
                phase if !phase.is_running() && run.queued.get().is_some() => {
                    let what = match run.queued.get() {
                        Some(Waiting::Worker) => "Train pressed: waiting for the training worker to start…",
                        Some(Waiting::Backend) => "Train pressed: waiting for the worker to choose WebGPU or the CPU…",
                        _ => "Loading Fashion-MNIST…",
                    };
                    view! { <p class="phase queued">{what}</p> }.into_any()
                }
                Phase::Idle => view! { <p class="phase">{run.data_ready.get().map_or_else(|| "Ready when you are.".to_string(), |ready| ready.say(lang.get()))}</p> }.into_any(),
                Phase::Preparing => {
                    let what = match run.backend.get() {
                        Some(Backend::WebGpu(_)) if run.calibration.get().and_then(|c| c.kernels_s).is_none() => "Preparing kernels: the first step compiles the GPU shaders…",
                        Some(Backend::WebGpu(_)) => "Starting: the first batch on the GPU…",
                        _ => "Starting: the first batch on the CPU…",
                    };
                    view! { <p class="phase preparing">{what}</p> }.into_any()
                }
                Phase::Training | Phase::Paused | Phase::Evaluating => {
                    let (epoch, batch, batches) = run.progress.get();
                    let what = match run.phase.get() {
                        Phase::Paused => "paused".to_string(),
                        Phase::Evaluating => "evaluating on the test set".to_string(),
                        _ => run.examples_per_s.get().map(|x| format!("{x:.1} examples/sec")).unwrap_or_default(),
                    };
                    let label = format!("epoch {epoch} of {}: batch {batch} of {batches} · {what}", run.epochs.get());
                    progress_bar(batch as f64, batches as f64, label).into_any()
                }
                Phase::Done(message) => view! {
                    <p class="phase done">{message.unwrap_or_else(|| "Done.".to_string())}</p>
                }.into_any(),
                                Phase::Failed(failure) => view! { <p class="phase failed" role="alert">{failure.say(lang.get())}</p> }.into_any(),
            }}
            {move || run.calibration.get().and_then(|c| c.kernels_s).filter(|_| !run.phase.get().is_running()).map(|s| view! {
                <p class="kernels-ready">{format!("GPU kernels for this net compiled in advance ({s:.1} s): training starts without that wait.")}</p>
            })}
            // The first step's wait: shader compilation on WebGPU; on the CPU
            // nothing compiles, so it is only the first step.
            {move || run.prepare_ms.get().map(|ms| {
                let text = match run.backend.get() {
                    Some(Backend::WebGpu(_)) => format!("kernels ready in {:.1} s", ms / 1000.0),
                    _ => format!("first step in {:.1} s", ms / 1000.0),
                };
                view! { <p class="prepared">{text}</p> }
            })}
            {move || run.book_line().map(|line| view! { <p class="book-line">{line}</p> })}
        </div>
    }
}

/// One book line per finished epoch.
#[component]
pub fn EpochLines() -> impl IntoView {
    let run = expect_context::<Run>();
    view! {
        <details class="epochs" open=move || !run.history.get().is_empty()>
            <summary>"epochs"</summary>
            <ol>
                {move || run.history.get().into_iter().map(|r| {
                    // The worker's memory after the epoch: for the curious
                    // (a tooltip) and the long-run tests.
                    let memory = run.epoch_memory.with(|m| m.iter().find(|m| m.epoch == r.epoch).copied());
                    let title = memory.map(|m| {
                        let gpu = m.device_bytes.map(|d| format!("; on the GPU: {}", bytes(d))).unwrap_or_default();
                        format!("worker memory after this epoch: {}{gpu}", bytes(m.wasm_bytes))
                    });
                    view! {
                        <li
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
