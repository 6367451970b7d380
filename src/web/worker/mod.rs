//! The training worker: holds the data and the device, runs the book's loop
//! and reports to the page. One run at a time; pause, resume and stop
//! arrive while a run awaits between steps.
//!
//! Its rooms: `setup` (the backend and the data), `runs` (training,
//! preparing, benchmarks), `own_data` (images of one's own), `inside` (what the net makes of a picture),
//! `kept` (the model kept between runs: saved, loaded, trained on). What
//! it says crosses to the page through `web::channel`.

mod inside;
mod kept;
mod own_data;
mod runs;
mod setup;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::tensor::Device;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local as spawn;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::data::Dataset;
use crate::protocol::{Command, FailureMode, Report, WorkerError};
use crate::training::TrainConfig;
use crate::web::channel::{Envelope, post_report};
use crate::web::webgpu::{Adapter, Backend};

use inside::InsideRequest;
use kept::Kept;

#[derive(Default)]
struct Worker {
    /// The training and test sets.
    data: RefCell<Option<Rc<(Dataset, Dataset)>>>,
    /// The device runs use, and the WebGPU one once made: Burn's wgpu
    /// runtime opens once per worker, so it is kept for later runs.
    device: RefCell<Option<(Device, Backend)>>,
    webgpu: RefCell<Option<(Device, Adapter)>>,
    /// What it holds of the shards, and the load under way.
    data_state: setup::DataState,
    control: RunControl,
    kept: Kept,
}

/// What a run (or a job like it) holds, and what it is told between steps.
#[derive(Default)]
struct RunControl {
    paused: Cell<bool>,
    stop: Cell<bool>,
    /// A run, a benchmark, a profile or a weights load holds the worker.
    busy: Cell<bool>,
    /// A `Prepare` is compiling kernels; a run waits for it.
    preparing: Cell<bool>,
    /// The latest `Prepare` that came while one was compiling.
    next_prepare: RefCell<Option<TrainConfig>>,
    /// The run going on, whose model answers look-insides for its net.
    running: RefCell<Option<TrainConfig>>,
    /// The latest look inside the running net: answered between two steps.
    inside_waiting: RefCell<Option<InsideRequest>>,
    /// A `SaveWeights` made during the run, answered between two steps.
    save_waiting: Cell<bool>,
}

thread_local! {
    static WORKER: Rc<Worker> = Rc::new(Worker::default());
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
        post_report(Report::Panicked {
            message: info.to_string(),
        });
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        match Envelope::<Command>::decode(&data) {
            Ok(command) => WORKER.with(|worker| receive(worker.clone(), command)),
            Err(e) => post_report(Report::Failed {
                error: WorkerError::NotUnderstood {
                    detail: e.to_string(),
                },
            }),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // The page waits for `Ready` before it sends anything, so no step runs
    // before the CPU backend's threads (where this build has them) do.
    wasm_bindgen_futures::spawn_local(async {
        crate::web::threads::start().await;
        post_report(Report::Ready);
    });
}

fn receive(worker: Rc<Worker>, command: Envelope<Command>) {
    match command.message {
        Command::Pause => {
            worker.control.paused.set(true);
            post_report(Report::Paused);
        }
        Command::Resume => {
            worker.control.paused.set(false);
            post_report(Report::Resumed);
        }
        Command::Stop => {
            worker.control.stop.set(true);
            worker.control.paused.set(false);
        }
        Command::Ping => post_report(Report::Pong),
        Command::FailOnPurpose { how } => fail_on_purpose(how),
        Command::ChooseBackend { choice } => spawn(setup::choose(worker, choice)),
        Command::LoadData { data_url, images } => setup::load(worker, data_url, images),
        Command::UseFiles => setup::use_files(&worker, &command),
        Command::UseOwnData { .. } => own_data::use_own(worker, command),
        Command::Train { config, from_weights } => runs::exclusive(worker, move |worker| async move {
            runs::train(&worker, &config, from_weights).await
        }),
        Command::Prepare { config } => runs::prepare(worker, config),
        Command::Bench {
            config,
            steps,
            readback_every,
        } => runs::exclusive(worker, move |worker| async move {
            runs::bench(&worker, &config, steps, readback_every).await
        }),
        Command::Profile { config, reps } => runs::exclusive(worker, move |worker| async move {
            runs::profile(&worker, &config, reps).await
        }),
        Command::Trace => {
            if let Err(detail) = crate::web::webgpu::install_dispatch_trace() {
                post_report(Report::Failed {
                    error: WorkerError::Trace { detail },
                });
            }
        }
        Command::SaveWeights => kept::save_when_free(worker),
        Command::LoadWeights { .. } => kept::load(worker, command),
        Command::LookInside { .. } => inside::look(worker, InsideRequest::from(command)),
        Command::TestImages { ref indices } => inside::test_images(&worker, indices),
    }
}

fn fail_on_purpose(how: FailureMode) {
    match how {
        FailureMode::Panic => panic!("failing on purpose, as the test asked"),
        FailureMode::Trap => core::arch::wasm32::unreachable(),
        FailureMode::Hang => loop {
            std::hint::spin_loop();
        },
    }
}

impl Worker {
    /// The device and its backend, once chosen.
    fn device(&self) -> Option<(Device, Backend)> {
        self.device.borrow().clone()
    }

    /// The training and test sets, once loaded.
    fn data(&self) -> Option<Rc<(Dataset, Dataset)>> {
        self.data.borrow().clone()
    }
}
