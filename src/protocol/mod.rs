//! What the page and its training worker say to each other. How it crosses
//! (JSON, bulk data in named slots) is `web::channel`'s; each variant's
//! slots are listed in its `Message::slots`.
//!
//! Training runs in a Web Worker: the page stays responsive whatever the
//! backend does, and should a WebGPU kernel panic (which traps the wasm),
//! only the worker dies; the page keeps its table, chart and history and
//! starts a CPU worker.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod delivery;
mod images;
mod says;

pub use delivery::*;
pub use images::*;
pub use says::*;

use crate::arch::NetConfig;
use crate::data::ImageFormat;
pub use crate::data::own::{OwnAbout, OwnSource, OwnSourceKind};
use crate::device::Backend;
use crate::training::BackendChoice;
use crate::training::explain::{ExplainError, ExplainMode, Explanation, Position};
use crate::training::{BenchReport, Calibration, Ending, Event, LayerTime, TrainConfig};

/// A named place for one buffer of bulk data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// A row's output for one picture (f32, row-major).
    Values,
    /// A convolution's filters (f32; empty for a row without).
    Filters,
    /// 28×28 grey levels (u8): one picture, or several one after another.
    Pixels,
    /// The class predicted for each evaluated test image (u8 each).
    Predicted,
    /// The label of each of those images (u8 each).
    Labels,
    /// A residual block's f(x), shortcut and their sum for the channel of
    /// the value explained (f32, H×W each, one after another; empty for
    /// any other row).
    ResidualMaps,
    /// A weights file (safetensors) as it is on disk.
    WeightsFile,
    /// Fashion-MNIST's four files as picked from disk (gzip).
    TrainImagesFile,
    TrainLabelsFile,
    TestImagesFile,
    TestLabelsFile,
    /// Images of one's own as picked (`Command::UseOwnData`): a zip as it
    /// is on disk, or a folder's image files one after another.
    OwnFiles,
    /// Where each of a folder's files ends in `OwnFiles` (u32 each, little
    /// endian); empty for a zip.
    OwnFileEnds,
}

impl Slot {
    pub const ALL: [Slot; 13] = [
        Slot::Values,
        Slot::Filters,
        Slot::Pixels,
        Slot::Predicted,
        Slot::Labels,
        Slot::ResidualMaps,
        Slot::WeightsFile,
        Slot::TrainImagesFile,
        Slot::TrainLabelsFile,
        Slot::TestImagesFile,
        Slot::TestLabelsFile,
        Slot::OwnFiles,
        Slot::OwnFileEnds,
    ];

    /// The slot's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Values => "values",
            Slot::Filters => "filters",
            Slot::Pixels => "pixels",
            Slot::Predicted => "predicted",
            Slot::Labels => "labels",
            Slot::ResidualMaps => "residual_maps",
            Slot::WeightsFile => "weights_file",
            Slot::TrainImagesFile => "train_images_file",
            Slot::TrainLabelsFile => "train_labels_file",
            Slot::TestImagesFile => "test_images_file",
            Slot::TestLabelsFile => "test_labels_file",
            Slot::OwnFiles => "own_files",
            Slot::OwnFileEnds => "own_file_ends",
        }
    }

    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|slot| slot.name() == name)
    }
}

/// What crosses the boundary: JSON, and the slots its bulk data fills.
pub trait Message: Serialize + DeserializeOwned + std::fmt::Debug {
    /// The slots a message of this kind always fills.
    fn slots(&self) -> &'static [Slot];
    /// Its kind, as its JSON's `type` says it: for messages about it.
    fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|json| json.get("type")?.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Pick the backend later runs use.
    ChooseBackend {
        choice: BackendChoice,
    },
    /// Fetch (or take from the cache) at least `images` of Fashion-MNIST
    /// (all of it without), from the shards under `data_url` (the four
    /// canonical files where the site has no shards). Asked again with
    /// more, the worker fetches only the shards it lacks.
    LoadData {
        data_url: String,
        #[serde(default)]
        images: Option<Images>,
    },
    /// Use the four Fashion-MNIST files the user picked (slots
    /// `*_file`).
    UseFiles,
    /// Use images of one's own instead of Fashion-MNIST (slots `own_files`
    /// and `own_file_ends`): the worker decodes them with the browser's
    /// decoders and reports `DataReady` with what it made of them, or
    /// `DataFailed` keeping what it held.
    UseOwnData {
        source: OwnSource,
    },
    Train {
        config: TrainConfig,
        /// Start from the weights the worker holds for this net (loaded
        /// from a file, or the last run's) instead of fresh ones.
        #[serde(default)]
        from_weights: bool,
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
        how: FailureMode,
    },
    /// What the net `net` at input side `resize` makes of `picture`: the
    /// output of the row at `layer` (a row path, `ShapeTable::row_at`;
    /// empty for none) and the class probabilities. The running model when
    /// a run of that net holds one (answered between its steps), else the
    /// last one trained, else a fresh one (random filters). An `Own`
    /// picture's 28×28 grey levels come in slot `pixels`.
    LookInside {
        net: NetConfig,
        resize: usize,
        picture: PictureRef,
        layer: Vec<usize>,
        /// And how the row computes one of its values (`Report::Inside`'s
        /// `explained`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explain: Option<ExplainAsk>,
    },
    /// The 28×28 grey levels and labels of these test images.
    TestImages {
        indices: Vec<usize>,
    },
    /// The weights the worker holds (the running model's, between two
    /// steps, or the last one's), as a weights file (`crate::weights`).
    SaveWeights,
    /// A weights file (slot `weights_file`) for `net` at `resize`:
    /// checked whole before anything changes, then evaluated on the first
    /// `test_limit` test images (and shown in the gallery).
    LoadWeights {
        net: NetConfig,
        resize: usize,
        name: String,
        test_limit: Option<usize>,
        batch_size: usize,
    },
}

/// Which value of a row to explain, and with batch norm and dropout as
/// evaluation or a training step has them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainAsk {
    pub at: Position,
    pub mode: ExplainMode,
}

/// A picture to look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PictureRef {
    /// Test image `index` (from 0).
    Test { index: usize },
    /// The user's own, made into a Fashion-MNIST image on the page.
    Own,
}

/// A convolution's filters in an `Inside` report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiltersShape {
    /// `[out channels, inputs shown, k, k]`.
    pub shape: [usize; 4],
    pub in_channels: usize,
}

/// How `Command::FailOnPurpose` fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureMode {
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
    /// The worker holds the first `train` and `test` images (`all`: every
    /// image there is: the whole set, or the files a user picked).
    DataReady {
        train: usize,
        test: usize,
        from_cache: bool,
        #[serde(default)]
        all: bool,
        /// Images of one's own: what they are (`None`: Fashion-MNIST).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        own: Option<OwnAbout>,
    },
    DataFailed {
        error: DataLoadError,
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
    /// Training ended: finished, stopped, or diverged (with its numbers).
    Finished {
        ending: Ending,
    },
    /// Training (or a job like it) could not start or broke off.
    Failed {
        error: WorkerError,
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
    /// The answer to `LookInside`. Slots: `values`, the row's output
    /// (`shape`); `filters` (`filters.shape`; empty without); `pixels`, the
    /// picture's 28×28 grey levels; `residual_maps` when a residual
    /// block's value is explained.
    Inside {
        picture: PictureRef,
        /// The test image's label (none for one's own picture).
        label: Option<u8>,
        layer: Vec<usize>,
        shape: Vec<usize>,
        probabilities: Vec<f32>,
        filters: Option<FiltersShape>,
        /// Which weights: untrained, during a run, after one.
        weights: InsideWeights,
        /// The picture's channels and size (slot `pixels`, channel after
        /// channel).
        #[serde(default = "fashion_format")]
        format: ImageFormat,
        /// The arithmetic behind the value asked for (`explain`), or why
        /// there is none; the same picture and weights as the rest.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explained: Option<Result<Box<Explanation>, ExplainError>>,
    },
    InsideFailed {
        error: InsideError,
    },
    /// The answer to `TestImages`: the images found, in order. Slot
    /// `pixels`: their 28×28 grey levels, image after image.
    TestImages {
        indices: Vec<usize>,
        labels: Vec<u8>,
        /// Each image's channels and size.
        #[serde(default = "fashion_format")]
        format: ImageFormat,
    },
    /// The answer to `SaveWeights`. Slot `weights_file`.
    WeightsFile {
        file_name: String,
    },
    /// A `LoadWeights` took: what the file says of itself, and the test
    /// accuracy it gives here.
    WeightsLoaded {
        name: String,
        /// What a file of ours says of itself, in its own (English) words.
        description: Option<String>,
        /// How many epochs the weights were trained, where the file says.
        trained_epochs: Option<usize>,
        /// The net the weights are for, at this input size: the file's
        /// own when it says (the page switches to it), else the form's.
        net: NetConfig,
        resize: usize,
        test_acc: f64,
        test_images: usize,
    },
    /// Saving or loading weights failed; nothing changed.
    WeightsFailed {
        failure: WeightsFailure,
    },
    /// After each epoch's evaluation, and when a run pauses or stops
    /// within an epoch (the test set evaluated then). Slots `predicted`
    /// and `labels`, in test-set order.
    Predictions {
        /// When: after epoch 2, when paused at epoch 3, step 40 of 235.
        when: PredictionsWhen,
    },
}

fn fashion_format() -> ImageFormat {
    ImageFormat::FASHION
}

impl Message for Command {
    fn slots(&self) -> &'static [Slot] {
        match self {
            Command::UseFiles => &[
                Slot::TrainImagesFile,
                Slot::TrainLabelsFile,
                Slot::TestImagesFile,
                Slot::TestLabelsFile,
            ],
            Command::LookInside {
                picture: PictureRef::Own,
                ..
            } => &[Slot::Pixels],
            Command::LoadWeights { .. } => &[Slot::WeightsFile],
            Command::UseOwnData { .. } => &[Slot::OwnFiles, Slot::OwnFileEnds],
            _ => &[],
        }
    }
}

impl Message for Report {
    fn slots(&self) -> &'static [Slot] {
        match self {
            Report::Inside { .. } => &[Slot::Values, Slot::Filters, Slot::Pixels, Slot::ResidualMaps],
            Report::TestImages { .. } => &[Slot::Pixels],
            Report::WeightsFile { .. } => &[Slot::WeightsFile],
            Report::Predictions { .. } => &[Slot::Predicted, Slot::Labels],
            _ => &[],
        }
    }
}
