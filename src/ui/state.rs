//! The page's state: the chosen net and settings (what a link can carry),
//! and what the training worker last reported.

use leptos::prelude::*;

use crate::arch::{Arch, INPUT_CHANNELS, NetConfig, edit};
use crate::bounds::{Bounds, Number};
use crate::shape::{ShapeError, ShapeTable};
use crate::training::{BackendChoice, Calibration, EpochReport, OptimizerKind, TrainConfig};
use crate::web::webgpu::Backend;

/// The settings a user picks; text fields stay text until validated, so a
/// half-typed number is not lost or silently replaced.
#[derive(Clone, Copy)]
pub struct Settings {
    pub arch: RwSignal<Arch>,
    pub resize: RwSignal<String>,
    /// The text of each of the net's editable fields (`edit::fields`), by
    /// key, as typed: VGG's width ratio is one of them.
    pub edits: RwSignal<Vec<(&'static str, String)>>,
    /// The book's exercise the net was last set to, if any (its question
    /// is shown beside the editor).
    pub preset: RwSignal<Option<&'static str>>,
    pub lr: RwSignal<String>,
    pub batch: RwSignal<String>,
    pub epochs: RwSignal<String>,
    pub optimizer: RwSignal<OptimizerKind>,
    pub train_limit: RwSignal<String>,
    pub test_limit: RwSignal<String>,
    pub backend: RwSignal<BackendChoice>,
    /// Measure each layer's gradient at every step (the gradient view).
    pub grad_norms: RwSignal<bool>,
}

pub use crate::training::{BATCH, EPOCHS, LR, RESIZE, TEST_EXAMPLES, TRAIN_EXAMPLES};

/// `text` within `bounds`, or why not, naming `what` the field holds.
pub fn parse<T: Number>(text: &str, bounds: Bounds<T>, what: &str) -> Result<T, String> {
    bounds.parse(text).map_err(|e| format!("{what}: {}", e.expected))
}

impl Settings {
    /// The book's settings for `arch`.
    pub fn new(arch: Arch) -> Settings {
        let settings = Settings {
            arch: RwSignal::new(arch),
            resize: RwSignal::new(String::new()),
            edits: RwSignal::new(vec![]),
            preset: RwSignal::new(None),
            lr: RwSignal::new(String::new()),
            batch: RwSignal::new(String::new()),
            epochs: RwSignal::new(String::new()),
            optimizer: RwSignal::new(OptimizerKind::Sgd),
            train_limit: RwSignal::new(TRAIN_EXAMPLES.max.to_string()),
            test_limit: RwSignal::new(TEST_EXAMPLES.max.to_string()),
            backend: RwSignal::new(BackendChoice::Auto),
            grad_norms: RwSignal::new(false),
        };
        settings.reset_to_book(arch);
        settings
    }

    /// Picks `arch` with the book's settings for it, on all the data.
    pub fn reset_to_book(&self, arch: Arch) {
        self.use_setup(Setup::Book, arch);
    }

    /// Picks `arch` with its quick setting (`TrainConfig::quick`).
    pub fn use_quick(&self, arch: Arch) {
        self.use_setup(Setup::Quick, arch);
    }

    /// Picks `arch` with `setup`.
    pub fn use_setup(&self, setup: Setup, arch: Arch) {
        self.apply(arch, &setup.config(arch));
    }

    /// Fills the form with a run's settings ("run again").
    pub fn fill(&self, config: &TrainConfig) {
        self.apply(config.net.arch(), config);
        self.grad_norms.set(config.grad_norms);
    }

    /// Shows `net` in the editor's fields.
    pub fn set_net(&self, net: &NetConfig) {
        self.edits.set(
            edit::fields(net)
                .into_iter()
                .map(|field| (field.key, field.value))
                .collect(),
        );
    }

    /// Shows `net` at input side `resize` (a loaded weights file's) if the
    /// form shows another net or size: another kind of net comes with its
    /// book settings, as a click on its card does. Says what changed.
    pub fn show_net(&self, net: &NetConfig, resize: usize) -> Option<String> {
        let shown = self.net().ok();
        let shown_resize = parse(&self.resize.get_untracked(), RESIZE, "input size").ok();
        if shown.as_ref() == Some(net) && shown_resize == Some(resize) {
            return None;
        }
        let was = match (&shown, shown_resize) {
            (Some(shown), Some(side)) => format!("{} at {side}×{side}", shown.title()),
            _ => "settings with problems".to_string(),
        };
        if net.arch() != self.arch.get_untracked() {
            self.reset_to_book(net.arch());
        }
        self.set_net(net);
        self.resize.set(resize.to_string());
        self.preset.set(None);
        Some(format!(
            "the page now shows the file's net, {} at {resize}×{resize} (it showed {was})",
            net.title()
        ))
    }

    /// The book's net in the editor, at the book's input size.
    pub fn reset_net(&self) {
        let arch = self.arch.get_untracked();
        self.set_net(&NetConfig::default_for(arch));
        self.resize.set(Setup::Book.config(arch).resize.to_string());
        self.preset.set(None);
    }

    /// Sets the net to one of the book's exercises (and the input size it
    /// needs).
    pub fn use_preset(&self, preset: &edit::Preset) {
        self.set_net(&preset.net);
        if let Some(resize) = preset.resize {
            self.resize.set(resize.to_string());
        }
        self.preset.set(Some(preset.id));
        // The gradient view is what the deep pair is for.
        if preset.id.starts_with("deep-") {
            self.grad_norms.set(true);
        }
    }

    /// The text of field `key`.
    pub fn edit_text(&self, key: &str) -> Option<String> {
        self.edits.with(|edits| {
            edits
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, text)| text.clone())
        })
    }

    /// Changes the text of field `key`.
    pub fn set_edit(&self, key: &'static str, text: String) {
        self.edits
            .update(|edits| match edits.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = text,
                None => edits.push((key, text)),
            });
    }

    /// Why field `key`'s text is not a value for it, if it is not.
    pub fn edit_error(&self, key: &str) -> Option<String> {
        let text = self.edit_text(key)?;
        edit::set(&NetConfig::default_for(self.arch.get()), key, &text).err()
    }

    /// Fills the form from `preset`, all but the backend.
    fn apply(&self, arch: Arch, preset: &TrainConfig) {
        self.arch.set(arch);
        self.resize.set(preset.resize.to_string());
        self.optimizer.set(preset.optimizer);
        self.lr.set(preset.lr.to_string());
        self.batch.set(preset.batch_size.to_string());
        self.epochs.set(preset.epochs.to_string());
        self.set_net(&preset.net);
        self.preset.set(None);
        let limit = |limit: Option<usize>, bounds: Bounds<usize>| limit.unwrap_or(bounds.max).to_string();
        self.train_limit.set(limit(preset.train_limit, TRAIN_EXAMPLES));
        self.test_limit.set(limit(preset.test_limit, TEST_EXAMPLES));
    }

    /// The net as described by the settings.
    pub fn net(&self) -> Result<NetConfig, String> {
        let mut net = NetConfig::default_for(self.arch.get());
        for (key, text) in self.edits.get() {
            net = edit::set(&net, key, &text)?;
        }
        Ok(net)
    }

    /// The shape table at batch 1, or why there is none.
    pub fn table(&self) -> Result<ShapeTable, TableProblem> {
        let net = self.net().map_err(TableProblem::Setting)?;
        let side = parse(&self.resize.get(), RESIZE, "input size").map_err(TableProblem::Setting)?;
        ShapeTable::compute(&net.layers(), &[1, INPUT_CHANNELS, side, side]).map_err(TableProblem::Shape)
    }

    /// The training run described by the settings, or every problem with them.
    pub fn train_config(&self) -> Result<TrainConfig, Vec<String>> {
        let mut problems = vec![];
        let mut take = |result: Result<f64, String>| result.map_err(|e| problems.push(e)).unwrap_or(0.0);
        let resize = take(parse(&self.resize.get(), RESIZE, "input size").map(|n| n as f64));
        let lr = take(parse(&self.lr.get(), LR, "learning rate"));
        let batch = take(parse(&self.batch.get(), BATCH, "batch size").map(|n| n as f64));
        let epochs = take(parse(&self.epochs.get(), EPOCHS, "epochs").map(|n| n as f64));
        let train =
            take(parse(&self.train_limit.get(), TRAIN_EXAMPLES, "training examples").map(|n| n as f64));
        let test = take(parse(&self.test_limit.get(), TEST_EXAMPLES, "test examples").map(|n| n as f64));
        let net = self.net().map_err(|e| problems.push(e)).ok();
        if !problems.is_empty() {
            return Err(problems);
        }
        let config = TrainConfig {
            net: net.expect("no problems"),
            epochs: epochs as usize,
            lr,
            batch_size: batch as usize,
            resize: resize as usize,
            optimizer: self.optimizer.get(),
            weight_decay: 0.0,
            seed: 0,
            train_limit: Some(train as usize),
            test_limit: Some(test as usize),
            grad_norms: self.grad_norms.get(),
            grad_norms_every: 1,
        };
        match config.problems() {
            problems if problems.is_empty() => Ok(config),
            problems => Err(problems),
        }
    }
}

/// The two one-click setups of a net.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    Book,
    Quick,
}

impl Setup {
    pub fn config(self, arch: Arch) -> TrainConfig {
        match self {
            Setup::Book => TrainConfig::book(arch),
            Setup::Quick => TrainConfig::quick(arch),
        }
    }

    /// Whether the form's `config` is this setup: the same net, data and
    /// hyper-parameters.
    pub fn matches(self, config: &TrainConfig) -> bool {
        let preset = self.config(config.net.arch());
        let all = |limit: Option<usize>, bounds: Bounds<usize>| limit.unwrap_or(bounds.max).min(bounds.max);
        config.net == preset.net
            && config.resize == preset.resize
            && config.batch_size == preset.batch_size
            && config.epochs == preset.epochs
            && config.optimizer == preset.optimizer
            && config.lr == preset.lr
            && all(config.train_limit, TRAIN_EXAMPLES) == all(preset.train_limit, TRAIN_EXAMPLES)
            && all(config.test_limit, TEST_EXAMPLES) == all(preset.test_limit, TEST_EXAMPLES)
    }
}

/// Why the table cannot be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum TableProblem {
    /// A setting is not a valid number.
    Setting(String),
    /// The net cannot take this input.
    Shape(ShapeError),
}

/// Where a training run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    /// Fetching or decoding Fashion-MNIST.
    Loading,
    /// The first steps compile (and on some backends tune) the kernels.
    Preparing,
    Training,
    Paused,
    Evaluating,
    /// Ended; the message says why when it did not simply finish.
    Done(Option<String>),
    Failed(String),
}

impl Phase {
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            Phase::Loading | Phase::Preparing | Phase::Training | Phase::Paused | Phase::Evaluating
        )
    }
}

/// What the worker held after an epoch (`Report::Memory`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochMemory {
    pub epoch: usize,
    /// Its wasm memory.
    pub wasm_bytes: u64,
    /// On WebGPU, the bytes Burn holds on the GPU.
    pub device_bytes: Option<u64>,
}

/// A point of the book's live plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub loss: f64,
    pub train_acc: f64,
}

/// What the worker has reported about the current (or last) run.
#[derive(Clone, Copy)]
pub struct Run {
    pub phase: RwSignal<Phase>,
    pub backend: RwSignal<Option<Backend>>,
    /// A note on the backend, e.g. why it changed.
    pub backend_note: RwSignal<Option<String>>,
    /// `(file, loaded, total)` of the download under way.
    pub download: RwSignal<Option<(String, u64, Option<u64>)>>,
    pub data_ready: RwSignal<Option<String>>,
    pub data_error: RwSignal<Option<String>>,
    /// `(epoch, batch, batches)` of the last step.
    pub progress: RwSignal<(usize, usize, usize)>,
    pub epochs: RwSignal<usize>,
    pub examples_per_s: RwSignal<Option<f64>>,
    pub points: RwSignal<Vec<Point>>,
    pub history: RwSignal<Vec<EpochReport>>,
    /// When the first step started, to show how long kernels took.
    pub prepare_started: RwSignal<Option<f64>>,
    pub prepare_ms: RwSignal<Option<f64>>,
    /// What the worker measured for the form's net before training
    /// (`Command::Prepare`): kernel compilation on WebGPU, cost per example.
    pub calibration: RwSignal<Option<Calibration>>,
    /// What the worker held after each epoch of this run.
    pub epoch_memory: RwSignal<Vec<EpochMemory>>,
    /// The worker's wasm memory at the end of the last run.
    pub worker_memory: RwSignal<Option<u64>>,
    /// What the last weights saved or loaded were, and why that failed.
    pub weights_note: RwSignal<Option<String>>,
    pub weights_problem: RwSignal<Option<String>>,
    /// The worker holds weights a run may start from (a finished run's, a
    /// loaded file's), and whether the user wants that.
    pub can_continue: RwSignal<bool>,
    pub from_weights: RwSignal<bool>,
    /// The gradient view: this run's norms, and the run before it's, to
    /// compare (`None` until a run measured them).
    pub gradients: RwSignal<Option<GradientRecord>>,
    pub previous_gradients: RwSignal<Option<GradientRecord>>,
}

/// Each weighted layer's weight-gradient norm at each step of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GradientRecord {
    /// The net, as `NetConfig::title` names it.
    pub title: String,
    /// The weighted layers in depth order.
    pub layers: Vec<String>,
    /// One entry per step: each layer's weight-gradient norm.
    pub steps: Vec<Vec<f32>>,
    /// One entry per step: the root mean square of each layer's output.
    pub outputs: Vec<Vec<f32>>,
}

impl GradientRecord {
    /// What the view shows: the gradients, or the outputs.
    pub fn values(&self, outputs: bool) -> &[Vec<f32>] {
        match outputs {
            true => &self.outputs,
            false => &self.steps,
        }
    }
}

impl Run {
    pub fn new() -> Run {
        Run {
            phase: RwSignal::new(Phase::Idle),
            backend: RwSignal::new(None),
            backend_note: RwSignal::new(None),
            download: RwSignal::new(None),
            data_ready: RwSignal::new(None),
            data_error: RwSignal::new(None),
            progress: RwSignal::new((0, 0, 0)),
            epochs: RwSignal::new(0),
            examples_per_s: RwSignal::new(None),
            points: RwSignal::new(vec![]),
            history: RwSignal::new(vec![]),
            prepare_started: RwSignal::new(None),
            prepare_ms: RwSignal::new(None),
            calibration: RwSignal::new(None),
            epoch_memory: RwSignal::new(vec![]),
            worker_memory: RwSignal::new(None),
            weights_note: RwSignal::new(None),
            weights_problem: RwSignal::new(None),
            can_continue: RwSignal::new(false),
            from_weights: RwSignal::new(false),
            gradients: RwSignal::new(None),
            previous_gradients: RwSignal::new(None),
        }
    }

    /// Clears the previous run's figures for a new one.
    pub fn reset(&self, epochs: usize) {
        self.progress.set((0, 0, 0));
        self.epochs.set(epochs);
        self.examples_per_s.set(None);
        self.points.set(vec![]);
        self.history.set(vec![]);
        self.epoch_memory.set(vec![]);
        self.prepare_ms.set(None);
    }

    /// The book's closing line for the last epoch:
    /// `loss 0.469, train acc 0.823, test acc 0.779, 55297.0 examples/sec on WebGPU`.
    pub fn book_line(&self) -> Option<String> {
        self.history.with(|history| {
            history.last().map(|r| {
                format!(
                    "loss {:.3}, train acc {:.3}, test acc {:.3}, {:.1} examples/sec on {}",
                    r.loss, r.train_acc, r.test_acc, r.examples_per_s, r.backend
                )
            })
        })
    }
}

impl Default for Run {
    fn default() -> Self {
        Run::new()
    }
}
