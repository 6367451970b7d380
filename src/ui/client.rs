//! The page's side of the training worker: starts it, sends it commands,
//! turns its reports into state, and replaces it with a CPU worker should
//! WebGPU crash it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::training::{Event, TrainConfig};
use crate::ui::history::{History, RunRecord};
use crate::ui::inside_state::{Inside, Predictions, Seen};
use crate::ui::state::{EpochMemory, GradientRecord, Phase, Point, Run, Settings};
use crate::web::protocol::{Command, Report};
use crate::web::webgpu::{Backend, BackendChoice};

/// Trunk builds the worker binary with a loader of this name.
const WORKER_URL: &str = "./worker_loader.js";
/// The CPU backend's worker on a cross-origin isolated page: the threaded
/// build where it was built, the one above otherwise (www/).
const THREADS_WORKER_URL: &str = "./worker_threads_loader.js";

/// Fashion-MNIST, served with the app.
pub fn data_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    // The page may sit in a sub-folder (www/embed.html embeds ../index.html);
    // the data sits beside index.html.
    let root = base.rsplit_once('/').map_or("", |(dir, _)| dir);
    format!("{root}/assets/fashion-mnist/")
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

struct Inner {
    worker: Option<Worker>,
    /// The worker's listeners, kept alive as long as it is.
    listeners: Vec<Closure<dyn FnMut(JsValue)>>,
    /// A run asked for before the data (or the backend) was ready.
    pending: Option<TrainConfig>,
    /// The worker said `Ready`: its wasm listens. What is posted before
    /// that is lost (the worker's script sets its message handler only once
    /// its wasm has loaded), so it waits in `queued`.
    listening: bool,
    queued: Vec<JsValue>,
    data_loaded: bool,
    backend_known: bool,
    /// Files picked from disk, to hand a new worker again.
    picked: Option<Vec<ArrayBuffer>>,
    /// What the last `Prepare` asked for (net, batch, input size), so that
    /// a change of the learning rate asks for nothing.
    prepared: Option<String>,
    /// Counts the workers started, so that a report still queued from one
    /// that was replaced (a crash often says so twice) is ignored.
    generation: u64,
    /// When the worker last said anything (`now_ms`), for the watchdog.
    last_heard: f64,
    /// The longest a step of this run took, or is expected to take from the
    /// calibration, in ms: a worker silent for much longer is hung.
    longest_step_ms: f64,
    /// What the worker's panic hook said, for the crash that follows.
    panic: Option<String>,
    /// The current worker is the CPU one that may have threads.
    threaded: bool,
    /// The data was asked for: a worker that replaces this one asks again.
    data_requested: bool,
    /// An `Inspect` is with the worker; the latest one asked meanwhile
    /// (with its picture's pixels) waits here, as one that came before the
    /// data and the backend were ready does.
    inspecting: bool,
    next_inspect: Option<(Command, Option<Vec<u8>>)>,
    /// A `LoadWeights` (and its file) asked for before the data was ready.
    pending_weights: Option<(Command, ArrayBuffer)>,
    /// The run going on, as the history keeps it.
    recording: Option<RunRecord>,
}

impl Inner {
    /// The worker holds the data and knows its backend: what runs,
    /// inspections and weights wait for.
    fn ready(&self) -> bool {
        self.data_loaded && self.backend_known
    }
}

/// How often the watchdog pings the worker.
const PING_MS: u32 = 5_000;
/// The least silence the watchdog takes for a hung worker: more than the
/// slowest first step seen here (shader compilation on a software GPU).
const MIN_SILENCE_MS: f64 = 120_000.0;
/// A gap between two of the watchdog's ticks longer than this means the
/// page itself was not running.
const ASLEEP_MS: f64 = 3.0 * PING_MS as f64;

/// A handle on the worker; cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Rc<RefCell<Inner>>,
    run: Run,
    inside: Inside,
    history: History,
    /// The page's settings: the backend asked for (the form and the URL
    /// show it when a crash switches to the CPU) and the net (a weights
    /// file of another net switches it).
    settings: Settings,
}

impl Client {
    pub fn new(run: Run, inside: Inside, history: History, settings: Settings) -> Client {
        let client = Client {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                listeners: vec![],
                pending: None,
                listening: false,
                queued: vec![],
                data_loaded: false,
                backend_known: false,
                picked: None,
                prepared: None,
                generation: 0,
                last_heard: now_ms(),
                longest_step_ms: 0.0,
                panic: None,
                threaded: false,
                data_requested: false,
                inspecting: false,
                next_inspect: None,
                pending_weights: None,
                recording: None,
            })),
            run,
            inside,
            history,
            settings,
        };
        client.spawn();
        client.watch();
        client
    }

    /// Pings the worker every few seconds; one silent for far longer than
    /// its slowest step is hung (a loop that never yields, a wedged GPU
    /// call): it is replaced, as after a crash, and what the page shows
    /// stays.
    fn watch(&self) {
        let client = self.clone();
        let last_tick = std::cell::Cell::new(now_ms());
        let ping = gloo_timers::callback::Interval::new(PING_MS, move || {
            let now = now_ms();
            // A tick long after the last one: the page was asleep (a frozen
            // or suspended tab, a machine put to sleep, a background tab's
            // timers held back), and its worker with it or unheard by it.
            // That time is not the worker's silence: count afresh.
            if now - last_tick.replace(now) > ASLEEP_MS {
                client.inner.borrow_mut().last_heard = now;
            }
            let (listening, silent_ms, longest_step_ms) = {
                let inner = client.inner.borrow();
                (
                    inner.listening && inner.worker.is_some(),
                    now - inner.last_heard,
                    inner.longest_step_ms,
                )
            };
            if !listening {
                return;
            }
            let limit = watchdog_override_ms().unwrap_or(MIN_SILENCE_MS.max(3.0 * longest_step_ms));
            if silent_ms > limit {
                client.crashed(format!(
                    "the training worker stopped answering for {:.0} s",
                    silent_ms / 1000.0
                ));
            } else {
                client.send(&Command::Ping);
            }
        });
        // The page's client lives as long as the page.
        ping.forget();
    }

    /// Starts the worker the backend choice asks for: the CPU choice on an
    /// isolated page gets the threaded one.
    fn spawn(&self) {
        self.spawn_worker(wants_threads(self.settings.backend.get_untracked()));
    }

    fn spawn_worker(&self, threaded: bool) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        self.inner.borrow_mut().threaded = threaded;
        let url = if threaded { THREADS_WORKER_URL } else { WORKER_URL };
        let worker = match Worker::new_with_options(url, &options) {
            Ok(worker) => worker,
            Err(e) => {
                self.run.phase.set(Phase::Failed(format!(
                    "the training worker could not start: {e:?}"
                )));
                return;
            }
        };
        let generation = {
            let mut inner = self.inner.borrow_mut();
            inner.generation += 1;
            inner.generation
        };
        let on_message = {
            let client = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if !client.is_current(generation) {
                    return;
                }
                client.inner.borrow_mut().last_heard = now_ms();
                let data = MessageEvent::from(event).data();
                // A report is a JSON string, or an array of one and its buffers.
                let (text, buffers) = match data.dyn_ref::<Array>() {
                    Some(array) => (array.get(0).as_string(), array.slice(1, array.length())),
                    None => (data.as_string(), Array::new()),
                };
                match text.map(|text| serde_json::from_str::<Report>(&text)) {
                    Some(Ok(report)) => client.receive(report, &buffers),
                    _ => web_sys::console::warn_1(&"the worker sent something unreadable".into()),
                }
            })
        };
        let on_error = {
            let client = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if !client.is_current(generation) {
                    return;
                }
                let message = event
                    .dyn_ref::<ErrorEvent>()
                    .map(|e| e.message())
                    .unwrap_or_else(|| "the training worker stopped".to_string());
                client.crashed(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner.listeners = vec![on_message, on_error];
        inner.data_loaded = false;
        inner.backend_known = false;
        inner.prepared = None;
        inner.listening = false;
        inner.queued.clear();
        inner.last_heard = now_ms();
        inner.panic = None;
        inner.inspecting = false;
        drop(inner);
        self.inside.data_loaded.set(false);
    }

    fn is_current(&self, generation: u64) -> bool {
        self.inner.borrow().generation == generation
    }

    fn send(&self, command: &Command) {
        self.post(JsValue::from_str(&command.to_json()));
    }

    /// Posts `message` to the worker, or keeps it until the worker listens.
    fn post(&self, message: JsValue) {
        self.post_transferring(message, &Array::new());
    }

    /// `post`, handing over the buffers in `transfer` rather than copying
    /// them (a message kept until the worker listens is copied then).
    fn post_transferring(&self, message: JsValue, transfer: &Array) {
        let mut inner = self.inner.borrow_mut();
        if !inner.listening {
            inner.queued.push(message);
        } else if let Some(worker) = &inner.worker {
            let _ = worker.post_message_with_transfer(&message, transfer);
        }
    }

    /// Starts a run: loads the data first if the worker has none.
    pub fn train(&self, config: TrainConfig) {
        self.run.reset(config.epochs);
        // The gallery's classes are the last run's until this one's first epoch.
        self.inside.predictions.set(None);
        self.inside.cell.set(None);
        self.run.data_error.set(None);
        let (ready, backend_known) = {
            let inner = self.inner.borrow();
            (inner.data_loaded, inner.backend_known)
        };
        if ready && backend_known {
            self.start(config);
        } else {
            self.run.phase.set(Phase::Loading);
            self.inner.borrow_mut().pending = Some(config);
            if !ready {
                self.load_data();
            }
        }
    }

    /// Has the worker get a run of `config` ready while the user is still
    /// reading: compile its kernels (WebGPU) and measure its speed.
    pub fn prepare(&self, config: TrainConfig) {
        if self.run.backend.get_untracked().is_none() {
            return;
        }
        let key = serde_json::json!([config.net, config.batch_size, config.resize]).to_string();
        if self.inner.borrow().prepared.as_ref() == Some(&key) {
            return;
        }
        self.inner.borrow_mut().prepared = Some(key);
        self.run.calibration.set(None);
        self.send(&Command::Prepare { config });
    }

    fn start(&self, config: TrainConfig) {
        let expected_step_ms = self
            .run
            .calibration
            .get_untracked()
            .map_or(0.0, |c| c.seconds_per_example * config.batch_size as f64 * 1000.0);
        self.inner.borrow_mut().longest_step_ms = expected_step_ms;
        self.run.phase.set(Phase::Preparing);
        self.run.prepare_started.set(Some(now_ms()));
        let from_weights = self.run.can_continue.get_untracked() && self.run.from_weights.get_untracked();
        self.begin_record(&config, from_weights);
        self.send(&Command::Train { config, from_weights });
    }

    fn load_data(&self) {
        self.inner.borrow_mut().data_requested = true;
        let picked = self.inner.borrow().picked.clone();
        match picked {
            Some(buffers) => self.post_files(buffers),
            None => self.send(&Command::LoadData { data_url: data_url() }),
        }
    }

    /// Hands the worker four files the user picked (as ArrayBuffers, in the
    /// order of `web::fetch::FILES`); they replace the served ones.
    pub fn use_files(&self, buffers: Vec<ArrayBuffer>) {
        self.inner.borrow_mut().picked = Some(buffers.clone());
        self.run.data_error.set(None);
        self.post_files(buffers);
    }

    fn post_files(&self, buffers: Vec<ArrayBuffer>) {
        let message = Array::new();
        message.push(&JsValue::from_str(&Command::UseFiles.to_json()));
        for buffer in &buffers {
            // Copies, so that the page keeps its own for a new worker.
            message.push(&buffer.slice(0));
        }
        self.post(message.into());
    }

    /// Asks what the net makes of a picture (`Command::Inspect`; `own`: the
    /// user's picture's pixels). One at a time: the latest asked meanwhile
    /// follows. The data loads first if it has not.
    pub fn inspect(&self, command: Command, own: Option<Vec<u8>>) {
        self.inner.borrow_mut().next_inspect = Some((command, own));
        if !self.inner.borrow().data_requested {
            self.load_data();
        }
        self.send_inspect();
    }

    fn send_inspect(&self) {
        let next = {
            let mut inner = self.inner.borrow_mut();
            if inner.inspecting || !inner.ready() {
                return;
            }
            inner.next_inspect.take()
        };
        let Some((command, own)) = next else { return };
        self.inner.borrow_mut().inspecting = true;
        let message = Array::of1(&JsValue::from_str(&command.to_json()));
        let transfer = Array::new();
        if let Some(pixels) = own {
            let buffer = js_sys::Uint8Array::from(pixels.as_slice()).buffer();
            message.push(&buffer);
            transfer.push(&buffer);
        }
        self.post_transferring(message.into(), &transfer);
    }

    /// Asks the worker for its weights as a file (a download follows).
    pub fn save_weights(&self) {
        self.run.weights_problem.set(None);
        self.send(&Command::SaveWeights);
    }

    /// Hands the worker a weights file for `config`'s net; it is checked
    /// whole, then evaluated on `config`'s test images.
    pub fn load_weights(&self, name: String, file: ArrayBuffer, config: &TrainConfig) {
        self.run.weights_problem.set(None);
        self.run.weights_note.set(Some(format!("loading {name}…")));
        let command = Command::LoadWeights {
            net: config.net.clone(),
            resize: config.resize,
            name,
            test_limit: config.test_limit,
            batch_size: config.batch_size,
        };
        self.inner.borrow_mut().pending_weights = Some((command, file));
        if !self.inner.borrow().data_requested {
            self.load_data();
        }
        self.send_pending_weights();
    }

    fn send_pending_weights(&self) {
        let pending = {
            let mut inner = self.inner.borrow_mut();
            if !inner.ready() {
                return;
            }
            inner.pending_weights.take()
        };
        if let Some((command, file)) = pending {
            let message = Array::of2(&JsValue::from_str(&command.to_json()), &file);
            self.post_transferring(message.into(), &Array::of1(&file));
        }
    }

    /// Fetches the grey levels of test images the gallery shows.
    pub fn test_images(&self, indices: Vec<usize>) {
        if self.inner.borrow().data_loaded {
            self.send(&Command::TestImages { indices });
        }
    }

    /// Whether the worker holds the data.
    pub fn has_data(&self) -> bool {
        self.inner.borrow().data_loaded
    }

    /// Retries loading the data after a failure.
    pub fn retry_data(&self) {
        self.run.data_error.set(None);
        self.run.phase.set(Phase::Loading);
        self.load_data();
    }

    pub fn pause(&self) {
        self.send(&Command::Pause);
    }

    pub fn resume(&self) {
        self.send(&Command::Resume);
    }

    pub fn stop(&self) {
        self.send(&Command::Stop);
    }

    /// Switches the backend later runs use.
    pub fn set_backend(&self, choice: BackendChoice) {
        if self.settings.backend.get_untracked() == choice {
            return;
        }
        self.settings.backend.set(choice);
        self.inner.borrow_mut().backend_known = false;
        self.inner.borrow_mut().prepared = None;
        // The threaded worker has no WebGPU, the other no threads: a switch
        // between WebGPU and the CPU on an isolated page changes worker.
        let threaded = self.inner.borrow().threaded;
        if threaded != wants_threads(choice) && !holds_worker(&self.run.phase.get_untracked()) {
            self.replace_worker(wants_threads(choice));
        } else {
            self.send(&Command::ChooseBackend { choice });
        }
    }

    /// Starts another worker in place of this idle one (`threaded`: the
    /// CPU one); what was asked of the old one is asked again.
    fn replace_worker(&self, threaded: bool) {
        if let Some(worker) = self.inner.borrow_mut().worker.take() {
            worker.terminate();
        }
        self.spawn_worker(threaded);
        if self.inner.borrow().data_requested {
            self.load_data();
        }
    }

    fn crashed(&self, message: String) {
        // The error event of a trap says only "unreachable": the panic
        // message before it, or the likely cause, says more.
        let message = match self.inner.borrow_mut().panic.take() {
            Some(panic) => format!("the training worker crashed: {}", panic.replace('\n', " ")),
            None if message.contains("unreachable") => format!(
                "the training worker crashed ({message}: a WebAssembly trap, as when it runs out of memory)"
            ),
            None => message,
        };
        // The run so far stays in the history.
        self.update_record(Some(format!("crashed: {message}")));
        let was_webgpu = matches!(self.run.backend.get_untracked(), Some(Backend::WebGpu(_)));
        if let Some(worker) = self.inner.borrow_mut().worker.take() {
            worker.terminate();
        }
        self.inner.borrow_mut().pending = None;
        // What was shown stays: table, chart and history.
        let advice = match was_webgpu {
            true => {
                self.settings.backend.set(BackendChoice::Cpu);
                self.run.backend_note.set(Some(format!(
                    "WebGPU failed ({message}); switched to the CPU backend"
                )));
                "the CPU backend takes over: press Train to go on"
            }
            false => "press Train to try again",
        };
        self.run
            .phase
            .set(Phase::Failed(format!("training stopped: {message}; {advice}")));
        self.spawn();
    }

    fn receive(&self, report: Report, buffers: &Array) {
        let run = self.run;
        let inside = self.inside;
        let bytes = |i: u32| js_sys::Uint8Array::new(&buffers.get(i)).to_vec();
        let floats = |i: u32| js_sys::Float32Array::new(&buffers.get(i)).to_vec();
        match report {
            Report::Ready => {
                self.inner.borrow_mut().listening = true;
                let choice = self.settings.backend.get_untracked();
                self.send(&Command::ChooseBackend { choice });
                // What was asked for before (Train clicked at once: the data).
                let queued = std::mem::take(&mut self.inner.borrow_mut().queued);
                for message in queued {
                    self.post(message);
                }
            }
            Report::Backend { backend } => {
                // Auto (or WebGPU) ended on the CPU in the WebGPU worker: on an
                // isolated page the threaded one runs the CPU faster.
                let swap = matches!(backend, Backend::Cpu { .. })
                    && !self.inner.borrow().threaded
                    && crate::web::threads::cross_origin_isolated()
                    && !holds_worker(&run.phase.get_untracked());
                if swap {
                    self.replace_worker(true);
                    return;
                }
                run.backend.set(Some(backend));
                self.inner.borrow_mut().backend_known = true;
                self.start_pending();
                self.send_pending_weights();
                self.send_inspect();
            }
            Report::Download { file, loaded, total } => run.download.set(Some((file, loaded, total))),
            Report::DataReady {
                train,
                test,
                from_cache,
            } => {
                run.download.set(None);
                let source = if from_cache {
                    " (from this browser's cache)"
                } else {
                    ""
                };
                run.data_ready.set(Some(format!(
                    "Fashion-MNIST: {train} training and {test} test images{source}"
                )));
                self.inner.borrow_mut().data_loaded = true;
                inside.data_loaded.set(true);
                self.start_pending();
                self.send_pending_weights();
                self.send_inspect();
            }
            Report::DataFailed { message } => {
                run.download.set(None);
                run.data_error.set(Some(message));
                self.inner.borrow_mut().pending = None;
                if run.phase.get_untracked() == Phase::Loading {
                    run.phase.set(Phase::Idle);
                }
            }
            Report::Preparing => run.phase.set(Phase::Preparing),
            Report::Prepared { calibration } => run.calibration.set(Some(calibration)),
            Report::Training { event } => self.training_event(event),
            // The benchmark page (www/bench.html) asks for these, not this page.
            Report::Bench { .. } | Report::Profile { .. } | Report::Trace { .. } => {}
            Report::Paused => run.phase.set(Phase::Paused),
            Report::Resumed => run.phase.set(Phase::Training),
            Report::Finished { message, .. } => {
                self.update_record(Some(message.clone().unwrap_or_else(|| "finished".to_string())));
                run.phase.set(Phase::Done(message));
                run.can_continue.set(true);
            }
            Report::Failed { message } => {
                self.update_record(Some(format!("failed: {message}")));
                run.phase.set(Phase::Failed(message));
            }
            Report::Inspection {
                picture,
                label,
                layer,
                shape,
                probabilities,
                filters,
                weights,
            } if buffers.length() == 3 => {
                inside.problem.set(None);
                inside.seen.set(Some(Seen {
                    picture,
                    label,
                    layer,
                    shape,
                    values: floats(0),
                    probabilities,
                    filters: filters.map(|shape| (shape, floats(1))),
                    pixels: bytes(2),
                    weights,
                }));
                self.inspected();
            }
            Report::Inspection { .. } => {
                inside
                    .problem
                    .set(Some("the worker's answer came without its data".to_string()));
                self.inspected();
            }
            Report::InspectFailed { message } => {
                inside.problem.set(Some(message));
                self.inspected();
            }
            Report::TestImages { indices, labels } if buffers.length() == 1 => {
                let pixels = bytes(0);
                inside.images.update(|images| {
                    for ((index, label), image) in indices.iter().zip(labels).zip(pixels.chunks_exact(784)) {
                        images.insert(*index, (label, image.to_vec()));
                    }
                });
            }
            Report::Predictions { when } if buffers.length() == 2 => {
                inside.predictions.set(Some(Predictions {
                    when,
                    predicted: bytes(0),
                    labels: bytes(1),
                }));
            }
            Report::WeightsFile { file_name } if buffers.length() == 1 => {
                match crate::ui::files::download(&file_name, &buffers.get(0)) {
                    Ok(()) => run.weights_note.set(Some(format!("saved {file_name}"))),
                    Err(e) => run.weights_problem.set(Some(format!("the download failed: {e}"))),
                }
            }
            Report::WeightsLoaded {
                name,
                description,
                net,
                resize,
                test_acc,
                test_images,
            } => {
                let what = description.map_or(String::new(), |d| format!(" ({d})"));
                let switched = self
                    .settings
                    .show_net(&net, resize)
                    .map_or(String::new(), |switch| format!("; {switch}"));
                run.weights_note.set(Some(format!(
                    "loaded {name}{what}: test acc {test_acc:.3} on {test_images} test images{switched}"
                )));
                run.can_continue.set(true);
                // The loaded weights answer what the page shows inside.
                inside.active.set(true);
            }
            Report::WeightsFailed { message } => {
                run.weights_note.set(None);
                run.weights_problem.set(Some(message));
            }
            Report::TestImages { .. } | Report::Predictions { .. } | Report::WeightsFile { .. } => {
                web_sys::console::warn_1(&"a report came without its data".into())
            }
            // The error event that follows restarts the worker.
            Report::Panicked { message } => {
                web_sys::console::error_1(&message.clone().into());
                self.inner.borrow_mut().panic = Some(message);
            }
            Report::Pong => {}
            Report::Memory {
                epoch,
                wasm_bytes,
                device_bytes,
            } => match epoch {
                Some(epoch) => run.epoch_memory.update(|memory| {
                    memory.push(EpochMemory {
                        epoch,
                        wasm_bytes,
                        device_bytes,
                    })
                }),
                None => run.worker_memory.set(Some(wasm_bytes)),
            },
            // Whatever ran on that device is gone with it: the worker is
            // replaced by a CPU one, as after a crash.
            Report::DeviceLost { message } => match run.backend.get_untracked() {
                Some(Backend::WebGpu(_)) => self.crashed(format!(
                    "the GPU device was lost: {}",
                    message.trim_end_matches('.')
                )),
                _ => web_sys::console::warn_1(
                    &format!("a WebGPU device not in use was lost: {message}").into(),
                ),
            },
        }
    }

    /// Starts the history's record of a run of `config`.
    fn begin_record(&self, config: &TrainConfig, from_weights: bool) {
        // Named as the editor names the net: "VGG-16 #2".
        let title = config.net.title();
        let number = self
            .history
            .runs
            .with_untracked(|runs| runs.iter().filter(|r| r.config.net.title() == title).count() + 1);
        let backend = self
            .run
            .backend
            .get_untracked()
            .map_or("?".to_string(), |b| b.label());
        let record = RunRecord {
            id: js_sys::Date::now(),
            name: format!(
                "{title} #{number}{}",
                if from_weights { " (on from weights)" } else { "" }
            ),
            config: config.clone(),
            backend,
            epochs: vec![],
            points: vec![],
            ending: crate::ui::history::RUNNING.to_string(),
            seconds: 0.0,
        };
        self.inner.borrow_mut().recording = Some(record.clone());
        self.history.record(record);
    }

    /// Brings the history's record of this run up to date; `ending` ends it.
    fn update_record(&self, ending: Option<String>) {
        let record = {
            let mut inner = self.inner.borrow_mut();
            let Some(record) = inner.recording.as_mut() else {
                return;
            };
            record.epochs = self.run.history.get_untracked();
            record.points = self
                .run
                .points
                .with_untracked(|points| points.iter().map(|p| [p.x, p.loss, p.train_acc]).collect());
            record.seconds = (js_sys::Date::now() - record.id) / 1000.0;
            if let Some(ending) = ending {
                record.ending = ending;
            }
            let record = record.clone();
            if record.ending != "running" {
                inner.recording = None;
            }
            record
        };
        self.history.record(record);
    }

    /// The worker answered an `Inspect`: the next one may go.
    fn inspected(&self) {
        self.inner.borrow_mut().inspecting = false;
        self.send_inspect();
    }

    fn start_pending(&self) {
        let ready = {
            let inner = self.inner.borrow();
            inner.ready() && inner.pending.is_some()
        };
        if ready {
            let config = self.inner.borrow_mut().pending.take().expect("checked");
            self.start(config);
        }
    }

    fn training_event(&self, event: Event) {
        let run = self.run;
        match event {
            Event::Started {
                batches_per_epoch,
                weighted_layers,
                ..
            } => {
                run.progress.set((1, 0, batches_per_epoch));
                if !weighted_layers.is_empty() {
                    // The last run that measured gradients stays beside it.
                    if let Some(last) = run.gradients.get_untracked().filter(|g| !g.steps.is_empty()) {
                        run.previous_gradients.set(Some(last));
                    }
                    // The run's record (`begin_record`) holds its net.
                    let title = self
                        .inner
                        .borrow()
                        .recording
                        .as_ref()
                        .map_or_else(String::new, |record| record.config.net.title());
                    run.gradients.set(Some(GradientRecord {
                        title,
                        layers: weighted_layers,
                        steps: vec![],
                        outputs: vec![],
                    }));
                }
            }
            Event::Gradients { norms, outputs, .. } => run.gradients.update(|record| {
                if let Some(record) = record {
                    record.steps.push(norms.into_iter().map(|n| n as f32).collect());
                    record
                        .outputs
                        .push(outputs.into_iter().map(|n| n as f32).collect());
                }
            }),
            Event::WarmedUp { .. } => {
                if let Some(start) = run.prepare_started.get_untracked() {
                    run.prepare_ms.set(Some(now_ms() - start));
                }
            }
            Event::Batch {
                epoch,
                batch,
                batches,
                examples_per_s,
                step_ms,
                ..
            } => {
                let mut inner = self.inner.borrow_mut();
                inner.longest_step_ms = inner.longest_step_ms.max(step_ms);
                drop(inner);
                if run.phase.get_untracked() == Phase::Preparing {
                    run.phase.set(Phase::Training);
                }
                if run.phase.get_untracked() == Phase::Evaluating {
                    run.phase.set(Phase::Training);
                }
                run.progress.set((epoch, batch, batches));
                run.examples_per_s
                    .set((examples_per_s > 0.0).then_some(examples_per_s));
            }
            Event::Point { x, loss, train_acc } => run
                .points
                .update(|points| points.push(Point { x, loss, train_acc })),
            Event::Evaluating { .. } => run.phase.set(Phase::Evaluating),
            Event::Epoch { report } => {
                run.history.update(|history| history.push(report));
                self.update_record(None);
                if run.phase.get_untracked() == Phase::Evaluating {
                    run.phase.set(Phase::Training);
                }
            }
        }
    }
}

/// Whether `choice` runs in the threaded CPU worker: the CPU asked for on
/// a cross-origin isolated page.
fn wants_threads(choice: BackendChoice) -> bool {
    choice == BackendChoice::Cpu && crate::web::threads::cross_origin_isolated()
}

/// A run holds the worker: it is not replaced under it. (A run still
/// loading only waits for a worker: it follows the new one.)
fn holds_worker(phase: &Phase) -> bool {
    phase.is_running() && *phase != Phase::Loading
}

/// For the tests: `window.__cnnpWatchdogMs` shortens the watchdog's patience.
fn watchdog_override_ms() -> Option<f64> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str("__cnnpWatchdogMs"))
        .ok()?
        .as_f64()
}
