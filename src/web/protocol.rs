//! What the page and its training worker say to each other, as JSON.
//!
//! Training runs in a Web Worker: the page stays responsive whatever the
//! backend does, and should a WebGPU kernel panic (which traps the wasm),
//! only the worker dies; the page keeps its table, chart and history and
//! starts a CPU worker.

use serde::{Deserialize, Serialize};

use crate::training::{BenchReport, Calibration, Event, LayerTime, TrainConfig};
use crate::web::webgpu::{Backend, BackendChoice};

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Pick the backend later runs use.
    ChooseBackend {
        choice: BackendChoice,
    },
    /// Fetch (or take from the cache) the four files under `data_url`.
    LoadData {
        data_url: String,
    },
    /// Use the four files the user picked, posted along with this command
    /// as ArrayBuffers in the order of `web::fetch::FILES`.
    UseFiles,
    Train {
        config: TrainConfig,
    },
    /// Get a run of `config` ready before it is asked for
    /// (`training::prepare`): compile its kernels (WebGPU) and measure what
    /// an example costs, only while nothing runs. A `Train` that arrives
    /// meanwhile waits for it.
    Prepare {
        config: TrainConfig,
    },
    /// Time `steps` training steps after a warm-up one (`training::bench`),
    /// reading the loss back every `readback_every` steps.
    Bench {
        config: TrainConfig,
        steps: usize,
        readback_every: usize,
    },
    /// Time each layer of the net on its own, `reps` times
    /// (`training::profile_layers`).
    Profile {
        config: TrainConfig,
        reps: usize,
    },
    /// Time every kernel WebGPU runs from now on (the benchmark page's
    /// kernel profile): before `ChooseBackend`. A `Bench` then also reports
    /// `Trace`.
    Trace,
    Pause,
    Resume,
    Stop,
    /// The page's watchdog asks whether the worker still answers; it
    /// answers `Pong` as soon as it is between two steps.
    Ping,
    /// For the tests: the worker fails as a bug in it would, to show that
    /// the page survives it.
    FailOnPurpose {
        how: Failure,
    },
}

/// How `Command::FailOnPurpose` fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// A Rust panic (which then traps the wasm).
    Panic,
    /// A WebAssembly trap without a panic, as running out of memory ends.
    Trap,
    /// Never answers again: a loop that does not yield.
    Hang,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Report {
    /// The worker's wasm is running and listening.
    Ready,
    Backend {
        backend: Backend,
    },
    Download {
        file: String,
        loaded: u64,
        total: Option<u64>,
    },
    DataReady {
        train: usize,
        test: usize,
        from_cache: bool,
    },
    DataFailed {
        message: String,
    },
    /// Training is about to start; the first steps compile the kernels.
    Preparing,
    /// A `Prepare` is done.
    Prepared {
        calibration: Calibration,
    },
    Training {
        event: Event,
    },
    Bench {
        report: BenchReport,
    },
    Profile {
        layers: Vec<LayerTime>,
    },
    /// What the dispatch trace measured over the timed steps of a `Bench`:
    /// JSON, one `{kernel, launches, ms}` per kernel.
    Trace {
        kernels: String,
    },
    Paused,
    Resumed,
    /// Training ended; `message` says why when it did not simply finish.
    Finished {
        message: Option<String>,
        diverged: bool,
    },
    /// Training could not start or broke off.
    Failed {
        message: String,
    },
    /// The worker's wasm panicked; it is dead after this.
    Panicked {
        message: String,
    },
    /// The answer to `Ping`.
    Pong,
    /// The worker's wasm memory, after each epoch (`epoch`) and at the end
    /// of a run (`None`): wasm memory grows and never shrinks, so a leak
    /// shows as growth from one epoch or run to the next.
    Memory {
        epoch: Option<usize>,
        wasm_bytes: u64,
        /// On WebGPU, the bytes Burn holds on the GPU (its memory pools,
        /// reserved): a leak of tensors shows here, not in `wasm_bytes`.
        #[serde(default)]
        device_bytes: Option<u64>,
    },
    /// The browser took the GPU device away (posted by `shims/device_lost.js`).
    DeviceLost {
        message: String,
    },
}

impl Command {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("commands serialise")
    }
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("reports serialise")
    }
}
