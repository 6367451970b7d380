//! The worker's life as the page sees it: started (the threaded CPU one
//! where that is asked for and allowed), watched, and replaced after a
//! crash, a hang or a lost GPU, keeping what the page shows.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::{Client, now_ms};
use crate::i18n::run::{RunLost, WebGpuFailed, WorkerLoss};
use crate::i18n::{Lang, Say};
use crate::protocol::{Command, Report};
use crate::web::channel::{Envelope, post_command};
use crate::web::webgpu::{Backend, BackendChoice};

/// Trunk builds the worker binary with a loader of this name.
const WORKER_URL: &str = "./worker_loader.js";
/// The CPU backend's worker on a cross-origin isolated page: the threaded
/// build where it was built, the one above otherwise (www/).
const THREADS_WORKER_URL: &str = "./worker_threads_loader.js";

/// How often the watchdog pings the worker.
const PING_MS: u32 = 5_000;
/// The least silence the watchdog takes for a hung worker: more than the
/// slowest first step seen here (shader compilation on a software GPU).
const MIN_SILENCE_MS: f64 = 120_000.0;
/// A gap between two of the watchdog's ticks longer than this means the
/// page itself was not running.
const ASLEEP_MS: f64 = 3.0 * PING_MS as f64;

/// The current worker and what the page knows of its health.
#[derive(Default)]
pub(super) struct WorkerLife {
    worker: Option<Worker>,
    /// The worker's listeners, kept alive as long as it is.
    listeners: Vec<Closure<dyn FnMut(JsValue)>>,
    /// Counts the workers started, so that a report still queued from one
    /// that was replaced (a crash often says so twice) is ignored.
    generation: u64,
    /// The current worker is the CPU one that may have threads.
    pub threaded: bool,
    /// When the worker last said anything (`now_ms`), for the watchdog.
    last_heard: f64,
    /// The longest a step of this run took, or is expected to take from the
    /// calibration, in ms: a worker silent for much longer is hung.
    longest_step_ms: f64,
    /// What the worker's panic hook said, for the crash that follows.
    panic: Option<String>,
}

impl WorkerLife {
    /// Posts `command` to the current worker.
    pub fn post(&self, command: &Envelope<Command>) {
        if let Some(worker) = &self.worker
            && let Err(e) = post_command(worker, command)
        {
            web_sys::console::warn_1(&format!("could not post to the worker: {e}").into());
        }
    }

    /// A run's steps are expected to take about `ms` each.
    pub fn expect_steps_of(&mut self, ms: f64) {
        self.longest_step_ms = ms;
    }

    /// A step took `ms`.
    pub fn step_took(&mut self, ms: f64) {
        self.longest_step_ms = self.longest_step_ms.max(ms);
    }

    pub fn panicked(&mut self, message: String) {
        self.panic = Some(message);
    }

    fn terminate(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.terminate();
        }
    }
}

/// Whether `choice` runs in the threaded CPU worker: the CPU asked for on
/// a cross-origin isolated page.
pub(super) fn wants_threads(choice: BackendChoice) -> bool {
    choice == BackendChoice::Cpu && crate::web::threads::cross_origin_isolated()
}

impl Client {
    /// Pings the worker every few seconds; one silent for far longer than
    /// its slowest step is hung (a loop that never yields, a wedged GPU
    /// call): it is replaced, as after a crash, and what the page shows
    /// stays.
    pub(super) fn watch(&self) {
        let client = self.clone();
        let last_tick = Cell::new(now_ms());
        let ping = gloo_timers::callback::Interval::new(PING_MS, move || {
            let now = now_ms();
            // A tick long after the last one: the page was asleep (a frozen
            // or suspended tab, a machine put to sleep, a background tab's
            // timers held back), and its worker with it or unheard by it.
            // That time is not the worker's silence: count afresh.
            if now - last_tick.replace(now) > ASLEEP_MS {
                client.shared.life.borrow_mut().last_heard = now;
            }
            let listening = client.shared.outbox.borrow().readiness.listening;
            let (alive, silent_ms, longest_step_ms) = {
                let life = client.shared.life.borrow();
                (life.worker.is_some(), now - life.last_heard, life.longest_step_ms)
            };
            if !(listening && alive) {
                return;
            }
            let limit = watchdog_override_ms().unwrap_or(MIN_SILENCE_MS.max(3.0 * longest_step_ms));
            if silent_ms > limit {
                client.crashed(WorkerLoss::Silent {
                    seconds: (silent_ms / 1000.0).round() as u64,
                });
            } else {
                client.send(Command::Ping);
            }
        });
        // The page's client lives as long as the page.
        ping.forget();
    }

    /// Starts the worker the backend choice asks for: the CPU choice on an
    /// isolated page gets the threaded one.
    pub(super) fn spawn(&self) {
        self.spawn_worker(wants_threads(self.settings.backend.get_untracked()));
    }

    fn spawn_worker(&self, threaded: bool) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        let url = if threaded { THREADS_WORKER_URL } else { WORKER_URL };
        let worker = match Worker::new_with_options(url, &options) {
            Ok(worker) => worker,
            Err(e) => {
                return self.run.on_worker_lost(RunLost {
                    loss: WorkerLoss::CouldNotStart {
                        detail: format!("{e:?}"),
                    },
                    cpu_takes_over: false,
                });
            }
        };
        let generation = {
            let mut life = self.shared.life.borrow_mut();
            life.generation += 1;
            life.generation
        };
        let on_message = {
            let client = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if !client.is_current(generation) {
                    return;
                }
                client.shared.life.borrow_mut().last_heard = now_ms();
                match Envelope::<Report>::decode(&MessageEvent::from(event).data()) {
                    Ok(report) => client.receive(report),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("the worker sent something unreadable: {e}").into())
                    }
                }
            })
        };
        let on_error = {
            let client = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if !client.is_current(generation) {
                    return;
                }
                let detail = event
                    .dyn_ref::<ErrorEvent>()
                    .map(|e| e.message())
                    .unwrap_or_else(|| "the training worker stopped".to_string());
                client.crashed(WorkerLoss::Stopped { detail });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        {
            let mut life = self.shared.life.borrow_mut();
            life.worker = Some(worker);
            life.listeners = vec![on_message, on_error];
            life.threaded = threaded;
            life.last_heard = now_ms();
            life.panic = None;
        }
        self.shared.outbox.borrow_mut().new_worker();
        *self.shared.prepared.borrow_mut() = None;
        self.inside.data_loaded.set(false);
        self.run.set_queued(self.shared.outbox.borrow().run_waits_for());
    }

    fn is_current(&self, generation: u64) -> bool {
        self.shared.life.borrow().generation == generation
    }

    /// Starts another worker in place of this idle one (`threaded`: the
    /// CPU one); what was asked of the old one is asked again.
    pub(super) fn replace_worker(&self, threaded: bool) {
        self.shared.life.borrow_mut().terminate();
        self.spawn_worker(threaded);
        if self.shared.data.borrow().requested {
            self.load_data();
        }
    }

    /// The worker died or hung: the run stops, a new worker (the CPU's,
    /// after a WebGPU failure) takes over, and what was shown stays.
    pub(super) fn crashed(&self, loss: WorkerLoss) {
        // The error event of a trap says only "unreachable": the panic
        // message before it, or the likely cause, says more.
        let loss = match (self.shared.life.borrow_mut().panic.take(), loss) {
            (Some(panic), _) => WorkerLoss::Panicked {
                message: panic.replace('\n', " "),
            },
            (None, WorkerLoss::Stopped { detail }) if detail.contains("unreachable") => {
                WorkerLoss::Trapped { detail }
            }
            (None, loss) => loss,
        };
        // The run so far stays in the history.
        self.end_record(format!("crashed: {}", loss.say(Lang::En)));
        let was_webgpu = matches!(self.run.backend.get_untracked(), Some(Backend::WebGpu(_)));
        self.shared.life.borrow_mut().terminate();
        self.shared.outbox.borrow_mut().drop_run();
        if was_webgpu {
            self.settings.backend.set(BackendChoice::Cpu);
            self.run.backend_note.set(Some(WebGpuFailed(loss.clone())));
        }
        self.run.on_worker_lost(RunLost {
            loss,
            cpu_takes_over: was_webgpu,
        });
        self.spawn();
        if self.shared.data.borrow().requested {
            self.load_data();
        }
    }
}

/// For the tests: `window.__cnnpWatchdogMs` shortens the watchdog's patience.
fn watchdog_override_ms() -> Option<f64> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str("__cnnpWatchdogMs"))
        .ok()?
        .as_f64()
}
