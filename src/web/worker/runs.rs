//! Runs of the book's loop in the worker, and the jobs like them that hold
//! the worker while they last (a benchmark, a profile); getting a run ready
//! before it is asked for (`prepare`).

use std::future::Future;
use std::rc::Rc;

use burn::tensor::Device;
use gloo_timers::future::TimeoutFuture;
use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;

use super::{Worker, inside, now_ms};
use crate::data::Dataset;
use crate::model::Net;
use crate::protocol::{InsideWeights, PredictionsWhen, Report, RunPosition, WorkerError};
use crate::training::{self, Control, Ending, Event, Host, TrainConfig};
use crate::web::channel::post_report;
use crate::web::webgpu::{self, Backend};
use crate::weights::{About, Results, WeightsState};

/// Runs `job` unless another holds the worker: one at a time.
pub(super) fn exclusive<F: Future<Output = ()> + 'static>(
    worker: Rc<Worker>,
    job: impl FnOnce(Rc<Worker>) -> F,
) {
    if worker.control.busy.replace(true) {
        post_report(Report::Failed {
            error: WorkerError::Busy,
        });
        return;
    }
    let future = job(worker.clone());
    wasm_bindgen_futures::spawn_local(async move {
        future.await;
        worker.control.busy.set(false);
    });
}

/// Reports the loop's events to the page; stops and pauses on its word.
struct PageHost<'a> {
    worker: &'a Worker,
    config: &'a TrainConfig,
    device: &'a Device,
    backend: &'static str,
    test: &'a Dataset,
    /// `(epoch, batch, batches)` of the last step, to say which weights a
    /// look inside saw.
    progress: (usize, usize, usize),
    /// The last epoch's figures, for a weights file saved during the run.
    results: Option<Results>,
}

/// Where a run is: epoch 2, step 40 of 235.
fn position((epoch, batch, batches): (usize, usize, usize)) -> RunPosition {
    RunPosition {
        epoch,
        batch,
        batches,
    }
}

impl PageHost<'_> {
    /// Answers the look inside waiting for this run, with its model as it is.
    async fn answer_waiting(&self, model: &Net) {
        let Some(request) = self.worker.control.inside_waiting.borrow_mut().take() else {
            return;
        };
        let (epoch, batch, _) = self.progress;
        let weights = match batch {
            0 if epoch <= 1 => InsideWeights::BeforeFirstStep,
            0 => InsideWeights::AfterEpoch { epoch: epoch - 1 },
            _ => InsideWeights::Training {
                at: position(self.progress),
            },
        };
        inside::answer(
            &request,
            model,
            weights,
            Some(self.test),
            self.device,
            self.backend,
        )
        .await;
    }

    /// What the page asked for while the run went: a look inside, the
    /// weights as a file, the gallery at a pause.
    async fn answer_asks(&self, model: &Net) {
        self.answer_waiting(model).await;
        let control = &self.worker.control;
        if control.save_waiting.replace(false) {
            let (epoch, step, steps) = self.progress;
            let state = WeightsState::During { epoch, step, steps };
            let about = About::of_run(self.config, self.results.clone(), state)
                .with_class_names(&super::setup::own_class_names(self.worker));
            super::kept::post_weights(model, &about).await;
        }
        if control.paused.get() && self.progress.1 > 0 && !control.stop.get() {
            // The gallery shows what the weights of the pause predict.
            let when = PredictionsWhen::PausedAt {
                at: position(self.progress),
            };
            inside::evaluate_now(model, self.config, self.test, self.device, self.backend, when).await;
        }
    }
}

impl Host for PageHost<'_> {
    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn event(&mut self, event: Event) -> Control {
        let epoch = match event {
            Event::Batch {
                epoch,
                batch,
                batches,
                ..
            } => {
                self.progress = (epoch, batch, batches);
                None
            }
            Event::Epoch { ref report } => {
                self.progress = (report.epoch + 1, 0, self.progress.2);
                self.results = Some(Results::of(report));
                Some(report.epoch)
            }
            _ => None,
        };
        post_report(Report::Training { event });
        if epoch.is_some() {
            post_memory(epoch, self.device);
        }
        match self.worker.control.stop.get() {
            true => Control::Stop,
            false => Control::Continue,
        }
    }

    async fn between_steps(&mut self, model: &Net) {
        // Lets the page's messages (pause, stop, look inside) in, even on
        // the CPU backend whose steps never wait.
        TimeoutFuture::new(0).await;
        self.answer_asks(model).await;
        let control = &self.worker.control;
        while control.paused.get() && !control.stop.get() {
            TimeoutFuture::new(50).await;
            self.answer_waiting(model).await;
        }
    }

    fn evaluated(&mut self, epoch: usize, predicted: &[u8]) {
        let test = self.test.truncated(predicted.len());
        inside::post_predictions(PredictionsWhen::AfterEpoch { epoch }, predicted, &test);
    }
}

/// What a run needs: the train and test sets, the device and its backend.
type RunInputs = (Rc<(Dataset, Dataset)>, Device, Backend);

/// The data, the device, and a check that the run fits the device; or a
/// `Failed` report saying what is missing.
fn ready(worker: &Worker, config: &TrainConfig) -> Option<RunInputs> {
    let failed = |error: WorkerError| {
        post_report(Report::Failed { error });
        None
    };
    let Some(data) = worker.data() else {
        return failed(WorkerError::NoData);
    };
    if let Err(error) = super::setup::enough_for(worker, config) {
        return failed(error);
    }
    let Some((device, backend)) = worker.device() else {
        return failed(WorkerError::NoBackend);
    };
    if let Err(problem) = backend.check_fits(config) {
        return failed(WorkerError::DoesNotFit { problem });
    }
    Some((data, device, backend))
}

/// Gets a run ready ahead of it (`Command::Prepare`) when nothing else
/// runs: its kernels compiled on WebGPU (nothing to compile on the CPU),
/// its cost per example measured. One at a time: the latest one asked for
/// meanwhile follows.
pub(super) fn prepare(worker: Rc<Worker>, config: TrainConfig) {
    let control = &worker.control;
    if control.busy.get() {
        return;
    }
    if control.preparing.replace(true) {
        *control.next_prepare.borrow_mut() = Some(config);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut next = Some(config);
        while let Some(config) = next {
            let device = worker.device().and_then(|(device, backend)| {
                let compile = matches!(backend, Backend::WebGpu(_));
                backend.check_fits(&config).is_ok().then_some((device, compile))
            });
            if let Some((device, compile)) = device
                && !worker.control.busy.get()
            {
                match training::prepare(&config, &device, compile, now_ms).await {
                    Ok(calibration) => post_report(Report::Prepared { calibration }),
                    // The run itself meets the same problem and says so.
                    Err(e) => web_sys::console::warn_1(&format!("preparing kernels failed: {e}").into()),
                }
            }
            next = worker.control.next_prepare.borrow_mut().take();
        }
        worker.control.preparing.set(false);
    });
}

pub(super) async fn bench(worker: &Worker, config: &TrainConfig, steps: usize, readback_every: usize) {
    let Some((data, device, _)) = ready(worker, config) else {
        return;
    };
    // The warm-up step's dispatches are left out of the trace.
    let forget_warmup =
        || wasm_bindgen_futures::spawn_local(async { drop(webgpu::take_dispatch_trace().await) });
    let report = training::bench(
        config,
        &data.0,
        &device,
        steps,
        readback_every,
        now_ms,
        forget_warmup,
    )
    .await;
    match report {
        Ok(report) => {
            if let Some(kernels) = webgpu::take_dispatch_trace().await {
                post_report(Report::Trace { kernels });
            }
            post_report(Report::Bench { report })
        }
        Err(e) => post_report(Report::Failed {
            error: WorkerError::Training { problem: e },
        }),
    }
}

pub(super) async fn profile(worker: &Worker, config: &TrainConfig, reps: usize) {
    let Some((_, device, _)) = ready(worker, config) else {
        return;
    };
    match training::profile_layers(config, &device, reps, now_ms).await {
        Ok(layers) => post_report(Report::Profile { layers }),
        Err(e) => post_report(Report::Failed {
            error: WorkerError::Training { problem: e },
        }),
    }
}

/// Trains `config` (on from the kept model with `from_weights`), then
/// keeps its model.
pub(super) async fn train(worker: &Worker, config: &TrainConfig, from_weights: bool) {
    let control = &worker.control;
    control.stop.set(false);
    control.paused.set(false);
    // The kernels being compiled are this run's too (or most of them).
    while control.preparing.get() {
        TimeoutFuture::new(20).await;
    }
    let Some((data, device, backend)) = ready(worker, config) else {
        return;
    };
    // The run makes its own model, or starts from the one kept; either
    // way the kept one goes.
    let start = match from_weights {
        true => match worker.kept.model_for(&config.net, config.resize) {
            Some(model) => Some(model),
            None => {
                return post_report(Report::Failed {
                    error: WorkerError::NoWeightsToContinue,
                });
            }
        },
        false => None,
    };
    post_report(Report::Preparing);
    worker.kept.forget();
    // On WebGPU the gradient view measures every few steps (its kernels
    // would cost each step ~15 %); on the CPU, every step.
    let mut config = config.clone();
    if matches!(backend, Backend::WebGpu(_)) {
        config.grad_norms_every = training::GPU_GRAD_NORMS_EVERY;
    }
    *control.running.borrow_mut() = Some(config.clone());
    let (train, test) = &*data;
    let mut host = PageHost {
        worker,
        config: &config,
        device: &device,
        backend: backend.short_name(),
        test,
        progress: (1, 0, 0),
        results: None,
    };
    let short_name = backend.short_name();
    let result =
        training::train_or_continue(start, &config, train, test, &device, short_name, &mut host).await;
    let progress = host.progress;
    control.running.borrow_mut().take();
    // A look inside asked for as the run ended is answered after it.
    let waiting = control.inside_waiting.borrow_mut().take();
    match result {
        Ok(outcome) => finished(worker, &config, outcome, progress, test, &device, short_name).await,
        Err(e) => post_report(Report::Failed {
            error: WorkerError::Training { problem: e },
        }),
    }
    if let Some(request) = waiting {
        inside::answer_idle(worker, request, Some(test), &device, short_name).await;
    }
    post_memory(None, &device);
}

/// Says how the run ended, shows what its weights predict where the last
/// evaluation is older, and keeps its model.
async fn finished(
    worker: &Worker,
    config: &TrainConfig,
    outcome: training::Outcome,
    progress: (usize, usize, usize),
    test: &Dataset,
    device: &Device,
    backend: &'static str,
) {
    post_report(Report::Finished {
        ending: outcome.ending.clone(),
    });
    // Stopped within an epoch (or diverged): the gallery shows what the
    // weights kept predict, not the last epoch's.
    if let Ending::Stopped { batch, .. } | Ending::Diverged { batch, .. } = outcome.ending
        && batch < progress.2
    {
        let when = PredictionsWhen::StoppedAt {
            at: position(progress),
        };
        inside::evaluate_now(&outcome.model, config, test, device, backend, when).await;
    }
    let weights = match outcome.history.len() {
        0 => InsideWeights::StoppedBeforeFirstEpoch,
        epochs => InsideWeights::Trained { epochs },
    };
    let results = outcome.history.last().map(Results::of);
    let state = match weights {
        InsideWeights::Trained { epochs } => WeightsState::Trained { epochs },
        _ => WeightsState::StoppedBeforeFirstEpoch,
    };
    let about =
        About::of_run(config, results, state).with_class_names(&super::setup::own_class_names(worker));
    worker.kept.keep(outcome.model, about, weights);
}

/// Reports the size of this worker's wasm memory and, on WebGPU, what Burn
/// holds on the GPU.
fn post_memory(epoch: Option<usize>, device: &Device) {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let wasm_bytes = memory.buffer().unchecked_into::<ArrayBuffer>().byte_length() as u64;
    let device_bytes = webgpu::device_bytes(device);
    post_report(Report::Memory {
        epoch,
        wasm_bytes,
        device_bytes,
    });
}
