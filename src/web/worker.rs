//! The training worker: holds the data and the device, runs the book's loop
//! and reports to the page. One run at a time; pause, resume and stop
//! arrive while a run awaits between steps.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::tensor::Device;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::data::Dataset;
use crate::model::Net;
use crate::training::{self, Control, Ending, Event, Host, TrainConfig};
use crate::web::fetch::{self, Source};
use crate::web::inspector::{self, Inspector, Request};
use crate::web::protocol::{Command, Failure, PictureRef, Report};
use crate::web::webgpu::{self, Adapter, Backend, BackendChoice};
use crate::weights::{About, Results};

#[derive(Default)]
struct Worker {
    data: RefCell<Option<Rc<(Dataset, Dataset)>>>,
    /// The device runs use, and the WebGPU one once made: Burn's wgpu
    /// runtime opens once per worker, so it is kept for later runs.
    device: RefCell<Option<(Device, Backend)>>,
    webgpu: RefCell<Option<(Device, Adapter)>>,
    paused: Cell<bool>,
    stop: Cell<bool>,
    busy: Cell<bool>,
    /// A `Prepare` is compiling kernels; a run waits for it.
    preparing: Cell<bool>,
    /// The latest `Prepare` that came while one was compiling.
    next_prepare: RefCell<Option<TrainConfig>>,
    /// The run going on, whose model answers `Inspect`s for its net.
    running: RefCell<Option<TrainConfig>>,
    inspector: Inspector,
}

thread_local! {
    static WORKER: Rc<Worker> = Rc::new(Worker::default());
}

pub(crate) fn post(report: &Report) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Posting only fails for values that cannot be cloned; a string can.
    let _ = scope.post_message(&JsValue::from_str(&report.to_json()));
}

/// Posts `report` with its bulk data, the buffers handed over (not copied).
pub(crate) fn post_with(report: &Report, buffers: &[JsValue]) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let message = Array::of1(&JsValue::from_str(&report.to_json()));
    let transfer = Array::new();
    for buffer in buffers {
        message.push(buffer);
        transfer.push(buffer);
    }
    if let Err(e) = scope.post_message_with_transfer(&message, &transfer) {
        post(&Report::Failed {
            message: format!("the worker could not send its answer: {e:?}"),
        });
    }
}

fn now_ms() -> f64 {
    let performance =
        Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).unwrap_or(JsValue::NULL);
    performance.unchecked_into::<web_sys::Performance>().now()
}

/// Starts listening to the page. Called once, from the worker's `main`.
pub fn start() {
    // A panic traps the wasm: say what it was first, so the page can show
    // it and fall back to the CPU.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&Report::Panicked {
            message: info.to_string(),
        });
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        WORKER.with(|worker| receive(worker.clone(), event.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // The page waits for `Ready` before it sends anything, so no step runs
    // before the CPU backend's threads (where this build has them) do.
    wasm_bindgen_futures::spawn_local(async {
        crate::web::threads::start().await;
        post(&Report::Ready);
    });
}

fn receive(worker: Rc<Worker>, data: JsValue) {
    // A command is a JSON string, or an array of one and its ArrayBuffers.
    let (text, buffers) = match data.dyn_ref::<Array>() {
        Some(array) => (array.get(0).as_string(), array.slice(1, array.length())),
        None => (data.as_string(), Array::new()),
    };
    let command = match text.as_deref().map(serde_json::from_str::<Command>) {
        Some(Ok(command)) => command,
        _ => {
            post(&Report::Failed {
                message: format!("the worker got a message it does not understand: {data:?}"),
            });
            return;
        }
    };
    match command {
        Command::Pause => {
            worker.paused.set(true);
            post(&Report::Paused);
        }
        Command::Resume => {
            worker.paused.set(false);
            post(&Report::Resumed);
        }
        Command::Stop => {
            worker.stop.set(true);
            worker.paused.set(false);
        }
        Command::Ping => post(&Report::Pong),
        Command::FailOnPurpose { how } => fail_on_purpose(how),
        Command::ChooseBackend { choice } => wasm_bindgen_futures::spawn_local(choose(worker, choice)),
        Command::LoadData { data_url } => wasm_bindgen_futures::spawn_local(load(worker, data_url)),
        Command::UseFiles => use_files(&worker, &buffers),
        Command::Train { config, from_weights } => exclusive(worker, move |worker| async move {
            run(&worker, &config, from_weights).await
        }),
        Command::SaveWeights => {
            let running = worker.running.borrow().is_some();
            match running {
                true => worker.inspector.save_waiting.set(true),
                false => wasm_bindgen_futures::spawn_local(async move { worker.inspector.save().await }),
            }
        }
        Command::LoadWeights {
            net,
            resize,
            name,
            test_limit,
            batch_size,
        } => {
            let bytes = match buffers.length() {
                1 => Uint8Array::new(&buffers.get(0)).to_vec(),
                _ => Vec::new(),
            };
            let config = TrainConfig {
                net,
                resize,
                test_limit,
                batch_size,
                ..TrainConfig::book(crate::arch::Arch::LeNet)
            };
            exclusive(worker, move |worker| async move {
                let Some((device, backend)) = worker.device.borrow().clone() else {
                    return post(&Report::WeightsFailed {
                        message: "no backend chosen yet".to_string(),
                    });
                };
                let data = worker.data.borrow().clone();
                let test = data.as_ref().map(|data| &data.1);
                inspector::load(
                    &worker.inspector,
                    &bytes,
                    &name,
                    &config,
                    test,
                    &device,
                    backend.short_name(),
                )
                .await;
            });
        }
        Command::Prepare { config } => prepare(worker, config),
        Command::Bench {
            config,
            steps,
            readback_every,
        } => exclusive(worker, move |worker| async move {
            bench(&worker, &config, steps, readback_every).await
        }),
        Command::Trace => {
            if let Err(message) = crate::web::webgpu::install_dispatch_trace() {
                post(&Report::Failed { message });
            }
        }
        Command::Profile { config, reps } => exclusive(worker, move |worker| async move {
            profile(&worker, &config, reps).await
        }),
        Command::Inspect {
            net,
            resize,
            picture,
            layer,
        } => {
            let own = (picture == PictureRef::Own && buffers.length() == 1)
                .then(|| Uint8Array::new(&buffers.get(0)).to_vec());
            inspect(
                worker,
                Request {
                    net,
                    resize,
                    picture,
                    own,
                    layer,
                },
            );
        }
        Command::TestImages { indices } => match worker.data.borrow().as_ref() {
            Some(data) => inspector::test_images(&data.1, &indices),
            None => post(&Report::InspectFailed {
                message: "the test images are not loaded yet".to_string(),
            }),
        },
    }
}

/// Answers an `Inspect`: between the steps of the run that holds its net's
/// model, or now.
fn inspect(worker: Rc<Worker>, request: Request) {
    let running = worker.running.borrow().clone();
    let Some(request) = worker.inspector.wait_for_run(request, running.as_ref()) else {
        return;
    };
    let Some((device, backend)) = worker.device.borrow().clone() else {
        return post(&Report::InspectFailed {
            message: "no backend chosen yet".to_string(),
        });
    };
    wasm_bindgen_futures::spawn_local(async move {
        let data = worker.data.borrow().clone();
        let test = data.as_ref().map(|data| &data.1);
        worker
            .inspector
            .answer_idle(request, test, &device, backend.short_name())
            .await;
    });
}

fn fail_on_purpose(how: Failure) {
    match how {
        Failure::Panic => panic!("failing on purpose, as the test asked"),
        Failure::Trap => core::arch::wasm32::unreachable(),
        Failure::Hang => loop {
            std::hint::spin_loop();
        },
    }
}

/// Runs `job` unless another run is going: one at a time.
fn exclusive<F: std::future::Future<Output = ()> + 'static>(
    worker: Rc<Worker>,
    job: impl FnOnce(Rc<Worker>) -> F,
) {
    if worker.busy.replace(true) {
        post(&Report::Failed {
            message: "a run is already going; stop it first".to_string(),
        });
        return;
    }
    let future = job(worker.clone());
    wasm_bindgen_futures::spawn_local(async move {
        future.await;
        worker.busy.set(false);
    });
}

async fn choose(worker: Rc<Worker>, choice: BackendChoice) {
    let kept = worker.webgpu.borrow().clone();
    let chosen = webgpu::choose(choice, kept).await;
    if let (device, Backend::WebGpu(adapter)) = &chosen {
        *worker.webgpu.borrow_mut() = Some((device.clone(), adapter.clone()));
    }
    post(&Report::Backend {
        backend: chosen.1.clone(),
    });
    *worker.device.borrow_mut() = Some(chosen);
}

async fn load(worker: Rc<Worker>, data_url: String) {
    let mut last_percent = u64::MAX;
    let progress = |file: &str, loaded: u64, total: Option<u64>| {
        // A report per percent, not per network chunk.
        let percent = total.map_or(loaded >> 20, |total| loaded * 100 / total.max(1));
        if percent != last_percent || Some(loaded) == total {
            last_percent = percent;
            post(&Report::Download {
                file: file.to_string(),
                loaded,
                total,
            });
        }
    };
    match fetch::load(&data_url, progress).await {
        Ok((train, test, source)) => {
            post(&Report::DataReady {
                train: train.len(),
                test: test.len(),
                from_cache: source == Source::Cache,
            });
            *worker.data.borrow_mut() = Some(Rc::new((train, test)));
        }
        Err(message) => post(&Report::DataFailed { message }),
    }
}

fn use_files(worker: &Worker, buffers: &Array) {
    if buffers.length() != 4 {
        post(&Report::DataFailed {
            message: format!(
                "pick the four Fashion-MNIST .gz files ({} given)",
                buffers.length()
            ),
        });
        return;
    }
    let files: Vec<Vec<u8>> = buffers
        .iter()
        .map(|buffer| Uint8Array::new(&buffer.unchecked_into::<ArrayBuffer>()).to_vec())
        .collect();
    match fetch::decode(&files) {
        Ok((train, test)) => {
            post(&Report::DataReady {
                train: train.len(),
                test: test.len(),
                from_cache: false,
            });
            *worker.data.borrow_mut() = Some(Rc::new((train, test)));
        }
        Err(e) => post(&Report::DataFailed {
            message: e.to_string(),
        }),
    }
}

/// Reports the loop's events to the page; stops and pauses on its word.
struct PageHost<'a> {
    worker: &'a Worker,
    config: &'a TrainConfig,
    device: &'a Device,
    backend: &'static str,
    test: &'a Dataset,
    /// `(epoch, batch, batches)` of the last step, to say which weights an
    /// inspection saw.
    progress: (usize, usize, usize),
    /// The last epoch's figures, for a weights file saved during the run.
    results: Option<crate::weights::Results>,
}

/// Where a run is, as the page says it: "epoch 2, step 40 of 235".
fn position((epoch, batch, batches): (usize, usize, usize)) -> String {
    format!("epoch {epoch}, step {batch} of {batches}")
}

impl PageHost<'_> {
    /// Answers the inspection waiting for this run, with its model as it is.
    async fn answer_waiting(&self, model: &Net) {
        if let Some(request) = self.worker.inspector.take_waiting() {
            let (epoch, batch, _) = self.progress;
            let weights = match batch {
                0 if epoch <= 1 => "training: before its first step".to_string(),
                0 => format!("training: after epoch {}", epoch - 1),
                _ => format!("training: {}", position(self.progress)),
            };
            inspector::answer(
                &request,
                model,
                &weights,
                Some(self.test),
                self.device,
                self.backend,
            )
            .await;
        }
    }
}

impl Host for PageHost<'_> {
    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn event(&mut self, event: Event) -> Control {
        let epoch = match event {
            Event::Epoch { ref report } => Some(report.epoch),
            _ => None,
        };
        match event {
            Event::Batch {
                epoch,
                batch,
                batches,
                ..
            } => self.progress = (epoch, batch, batches),
            Event::Epoch { ref report } => {
                self.progress = (report.epoch + 1, 0, self.progress.2);
                self.results = Some(Results::of(report));
            }
            _ => {}
        }
        post(&Report::Training { event });
        if epoch.is_some() {
            post_memory(epoch, self.device);
        }
        match self.worker.stop.get() {
            true => Control::Stop,
            false => Control::Continue,
        }
    }

    async fn between_steps(&mut self, model: &Net) {
        // Lets the page's messages (pause, stop, inspect) in, even on the
        // CPU backend whose steps never wait.
        TimeoutFuture::new(0).await;
        self.answer_waiting(model).await;
        if self.worker.inspector.save_waiting.replace(false) {
            let state = format!("during training ({})", position(self.progress));
            inspector::post_weights(model, &About::of_run(self.config, self.results.clone(), &state)).await;
        }
        if self.worker.paused.get() && self.progress.1 > 0 && !self.worker.stop.get() {
            // The gallery shows what the weights of the pause predict.
            let when = format!("when paused at {}", position(self.progress));
            inspector::evaluate_now(model, self.config, self.test, self.device, self.backend, when).await;
        }
        while self.worker.paused.get() && !self.worker.stop.get() {
            TimeoutFuture::new(50).await;
            self.answer_waiting(model).await;
        }
    }

    fn evaluated(&mut self, epoch: usize, predicted: &[u8]) {
        let test = self.test.truncated(predicted.len());
        inspector::post_predictions(format!("after epoch {epoch}"), predicted, &test);
    }
}

/// What a run needs: the train and test sets, the device and its backend.
type RunInputs = (Rc<(Dataset, Dataset)>, Device, Backend);

/// The data, the device, and a check that the run fits the device; or a
/// `Failed` report saying what is missing.
fn ready(worker: &Worker, config: &TrainConfig) -> Option<RunInputs> {
    let failed = |message: String| {
        post(&Report::Failed { message });
        None
    };
    let Some(data) = worker.data.borrow().clone() else {
        return failed("the data is not loaded yet".to_string());
    };
    let Some((device, backend)) = worker.device.borrow().clone() else {
        return failed("no backend chosen yet".to_string());
    };
    if let Err(message) = backend.check_fits(config) {
        return failed(message);
    }
    Some((data, device, backend))
}

/// Gets a run ready ahead of it (`Command::Prepare`) when nothing else
/// runs: its kernels compiled on WebGPU (nothing to compile on the CPU),
/// its cost per example measured. One at a time: the latest one asked for
/// meanwhile follows.
fn prepare(worker: Rc<Worker>, config: TrainConfig) {
    if worker.busy.get() {
        return;
    }
    if worker.preparing.replace(true) {
        *worker.next_prepare.borrow_mut() = Some(config);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut next = Some(config);
        while let Some(config) = next {
            let device = match &*worker.device.borrow() {
                Some((device, backend)) => backend
                    .check_fits(&config)
                    .is_ok()
                    .then(|| (device.clone(), matches!(backend, Backend::WebGpu(_)))),
                None => None,
            };
            if let Some((device, compile)) = device
                && !worker.busy.get()
            {
                match training::prepare(&config, &device, compile, now_ms).await {
                    Ok(calibration) => post(&Report::Prepared { calibration }),
                    // The run itself meets the same problem and says so.
                    Err(e) => web_sys::console::warn_1(&format!("preparing kernels failed: {e}").into()),
                }
            }
            next = worker.next_prepare.borrow_mut().take();
        }
        worker.preparing.set(false);
    });
}

async fn bench(worker: &Worker, config: &TrainConfig, steps: usize, readback_every: usize) {
    let Some((data, device, _)) = ready(worker, config) else {
        return;
    };
    // The warm-up step's dispatches are left out of the trace.
    let forget_warmup =
        || wasm_bindgen_futures::spawn_local(async { drop(crate::web::webgpu::take_dispatch_trace().await) });
    match training::bench(
        config,
        &data.0,
        &device,
        steps,
        readback_every,
        now_ms,
        forget_warmup,
    )
    .await
    {
        Ok(report) => {
            if let Some(kernels) = crate::web::webgpu::take_dispatch_trace().await {
                post(&Report::Trace { kernels });
            }
            post(&Report::Bench { report })
        }
        Err(e) => post(&Report::Failed {
            message: e.to_string(),
        }),
    }
}

async fn profile(worker: &Worker, config: &TrainConfig, reps: usize) {
    let Some((_, device, _)) = ready(worker, config) else {
        return;
    };
    match training::profile_layers(config, &device, reps, now_ms).await {
        Ok(layers) => post(&Report::Profile { layers }),
        Err(e) => post(&Report::Failed {
            message: e.to_string(),
        }),
    }
}

async fn run(worker: &Worker, config: &TrainConfig, from_weights: bool) {
    worker.stop.set(false);
    worker.paused.set(false);
    // The kernels being compiled are this run's too (or most of them).
    while worker.preparing.get() {
        TimeoutFuture::new(20).await;
    }
    let Some((data, device, backend)) = ready(worker, config) else {
        return;
    };
    post(&Report::Preparing);
    let (train, test) = &*data;
    // The run makes its own model, or starts from the one kept; either
    // way the kept one goes.
    let start = match from_weights {
        true => match worker.inspector.kept_for(&config.net, config.resize) {
            Some(model) => Some(model),
            None => {
                return post(&Report::Failed {
                    message: "there are no weights of this net at this input size to continue from"
                        .to_string(),
                });
            }
        },
        false => None,
    };
    worker.inspector.forget();
    // On WebGPU the gradient view measures every few steps (its kernels
    // would cost each step ~15 %); on the CPU, every step.
    let mut config = config.clone();
    if matches!(backend, Backend::WebGpu(_)) {
        config.grad_norms_every = training::GPU_GRAD_NORMS_EVERY;
    }
    let config = &config;
    *worker.running.borrow_mut() = Some(config.clone());
    let mut host = PageHost {
        worker,
        config,
        device: &device,
        backend: backend.short_name(),
        test,
        progress: (1, 0, 0),
        results: None,
    };
    let result = match start {
        Some(model) => {
            training::train_from(
                model,
                config,
                train,
                test,
                &device,
                backend.short_name(),
                &mut host,
            )
            .await
        }
        None => training::train(config, train, test, &device, backend.short_name(), &mut host).await,
    };
    worker.running.borrow_mut().take();
    // An inspection asked for as the run ended is answered after it.
    let waiting = worker.inspector.take_waiting();
    match result {
        Ok(outcome) => {
            post(&Report::Finished {
                message: outcome.ending.message(),
                diverged: matches!(outcome.ending, Ending::Diverged { .. }),
            });
            // Stopped within an epoch (or diverged): the gallery shows what
            // the weights kept predict, not the last epoch's.
            if let Ending::Stopped { batch, .. } | Ending::Diverged { batch, .. } = outcome.ending
                && batch < host.progress.2
            {
                let when = format!("when stopped at {}", position(host.progress));
                let backend = backend.short_name();
                inspector::evaluate_now(&outcome.model, config, test, &device, backend, when).await;
            }
            let weights = match outcome.history.len() {
                0 => "stopped before its first epoch ended".to_string(),
                n => crate::weights::trained(n),
            };
            let results = outcome.history.last().map(Results::of);
            let about = About::of_run(config, results, &weights);
            worker.inspector.keep(outcome.model, about, weights);
        }
        Err(e) => post(&Report::Failed {
            message: e.to_string(),
        }),
    }
    if let Some(request) = waiting {
        worker
            .inspector
            .answer_idle(request, Some(test), &device, backend.short_name())
            .await;
    }
    post_memory(None, &device);
}

/// Reports the size of this worker's wasm memory and, on WebGPU, what Burn
/// holds on the GPU.
fn post_memory(epoch: Option<usize>, device: &Device) {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let wasm_bytes = memory.buffer().unchecked_into::<ArrayBuffer>().byte_length() as u64;
    let device_bytes = webgpu::device_bytes(device);
    post(&Report::Memory {
        epoch,
        wasm_bytes,
        device_bytes,
    });
}
