//! The one place that owns a run's state on the page: its phase and its
//! figures change here, and only in answer to what the worker reports
//! (`Run::on_report`, `Run::on_event`) or to the loss of the worker itself
//! (`Run::on_worker_lost`). Views read it; nothing else writes the phase.

use leptos::prelude::*;

use crate::data::own::{OwnAbout, OwnDataError};
use crate::i18n::run::{DataReady, RunLost, WebGpuFailed, WeightsNote, WeightsProblem};
use crate::i18n::{Lang, Say};
use crate::link::DataRequest;
use crate::protocol::{AppCopy, DataLoadError, Offline, Report, WorkerError};
use crate::training::{Calibration, Ending, EpochReport, Event, LayerLabel, TrainConfig};
use crate::web::webgpu::Backend;

/// Where a training run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    /// The first steps compile (and on some backends tune) the kernels.
    Preparing,
    Training,
    Paused,
    Evaluating,
    /// Ended: how, when it did not simply finish.
    Done(Option<Ending>),
    Failed(RunFailure),
}

impl Phase {
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            Phase::Preparing | Phase::Training | Phase::Paused | Phase::Evaluating
        )
    }
}

/// Why a run failed: the worker refused or broke it off, or the worker
/// itself was lost.
#[derive(Clone, Debug, PartialEq)]
pub enum RunFailure {
    Refused(WorkerError),
    Lost(RunLost),
}

impl Say for RunFailure {
    fn say(&self, lang: Lang) -> String {
        match self {
            RunFailure::Refused(error) => error.say(lang),
            RunFailure::Lost(lost) => lost.say(lang),
        }
    }
}

/// What a run asked for (Train pressed) waits for before the worker can
/// start it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// The training worker's wasm is still loading.
    Worker,
    /// The worker is choosing its backend (WebGPU or the CPU).
    Backend,
    /// The data is downloading or being decoded.
    Data,
    /// It went to the worker, which is about to start it.
    Start,
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

/// Each weighted layer's weight-gradient norm at each step of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GradientRecord {
    /// The net, as `NetConfig::title` names it.
    pub title: String,
    /// The weighted layers in depth order.
    pub layers: Vec<LayerLabel>,
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

/// What the worker has reported about the current (or last) run.
#[derive(Clone, Copy)]
pub struct Run {
    pub phase: ReadSignal<Phase>,
    set_phase: WriteSignal<Phase>,
    /// A run asked for and not started yet, and what it waits for.
    pub queued: ReadSignal<Option<Waiting>>,
    set_queued: WriteSignal<Option<Waiting>>,
    pub backend: RwSignal<Option<Backend>>,
    /// A note on the backend: why it changed.
    pub backend_note: RwSignal<Option<WebGpuFailed>>,
    /// `(file, loaded, total)` of the download under way.
    pub download: RwSignal<Option<(String, u64, Option<u64>)>>,
    pub data_ready: RwSignal<Option<DataReady>>,
    pub data_error: RwSignal<Option<DataLoadError>>,
    /// The images of one's own the worker holds (`None`: Fashion-MNIST).
    pub own_data: RwSignal<Option<OwnAbout>>,
    /// The images of one's own the page's link or a run to run again
    /// named (they are never in a link), until the reader goes back to
    /// Fashion-MNIST.
    pub asked_data: RwSignal<Option<DataRequest>>,
    /// Why the images of one's own last picked cannot be used.
    pub own_problem: RwSignal<Option<OwnDataError>>,
    /// Without a connection: the images this browser keeps.
    pub offline: RwSignal<Option<Offline>>,
    /// The app's copy here: a newer build is ready.
    pub app_copy: RwSignal<Option<AppCopy>>,
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
    pub weights_note: RwSignal<Option<WeightsNote>>,
    pub weights_problem: RwSignal<Option<WeightsProblem>>,
    /// The worker holds weights a run may start from (a finished run's, a
    /// loaded file's), and whether the user wants that.
    pub can_continue: RwSignal<bool>,
    pub from_weights: RwSignal<bool>,
    /// The gradient view: this run's norms, and the run before it's, to
    /// compare (`None` until a run measured them).
    pub gradients: RwSignal<Option<GradientRecord>>,
    pub previous_gradients: RwSignal<Option<GradientRecord>>,
    /// The last run's figures while a run asked for has not started: put
    /// back if it never does (its data could not be had).
    kept: StoredValue<Option<Figures>>,
}

/// A run's figures on the page: what [`Run::asked`] clears.
#[derive(Clone)]
struct Figures {
    progress: (usize, usize, usize),
    epochs: usize,
    examples_per_s: Option<f64>,
    points: Vec<Point>,
    history: Vec<EpochReport>,
    epoch_memory: Vec<EpochMemory>,
    prepare_ms: Option<f64>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Run {
    pub fn new() -> Run {
        let (phase, set_phase) = signal(Phase::Idle);
        let (queued, set_queued) = signal(None);
        Run {
            phase,
            set_phase,
            queued,
            set_queued,
            backend: RwSignal::new(None),
            backend_note: RwSignal::new(None),
            download: RwSignal::new(None),
            data_ready: RwSignal::new(None),
            data_error: RwSignal::new(None),
            own_data: RwSignal::new(None),
            own_problem: RwSignal::new(None),
            asked_data: RwSignal::new(None),
            offline: RwSignal::new(None),
            app_copy: RwSignal::new(None),
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
            kept: StoredValue::new(None),
        }
    }

    /// A run is going, or asked for and waiting: what changes the net or
    /// the data waits too.
    pub fn busy(&self) -> bool {
        self.phase.get().is_running() || self.queued.get().is_some()
    }

    /// `busy`, outside a reactive context.
    pub fn busy_untracked(&self) -> bool {
        self.phase.get_untracked().is_running() || self.queued.get_untracked().is_some()
    }

    /// Says what the run asked for waits for (`None`: nothing is asked for,
    /// or it went to the worker). The client's queue keeps this up to date.
    pub(crate) fn set_queued(&self, waiting: Option<Waiting>) {
        if self.queued.get_untracked() != waiting {
            self.set_queued.set(waiting);
        }
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

    /// A run of `config` was asked for: the last run's figures go at once
    /// (the chart, the epochs), though its phase is the worker's to change.
    pub fn asked(&self, config: &TrainConfig) {
        if self.kept.with_value(Option::is_none) {
            self.kept.set_value(Some(self.figures()));
        }
        self.clear_figures(config);
    }

    /// The run asked for will not start: the last run's figures come back.
    pub fn not_started(&self) {
        let Some(figures) = self.kept.try_update_value(Option::take).flatten() else {
            return;
        };
        self.progress.set(figures.progress);
        self.epochs.set(figures.epochs);
        self.examples_per_s.set(figures.examples_per_s);
        self.points.set(figures.points);
        self.history.set(figures.history);
        self.epoch_memory.set(figures.epoch_memory);
        self.prepare_ms.set(figures.prepare_ms);
    }

    /// The worker started the run of `config`.
    fn started(&self, config: &TrainConfig) {
        self.kept.set_value(None);
        self.set_phase.set(Phase::Preparing);
        self.prepare_started.set(Some(now_ms()));
        self.clear_figures(config);
    }

    fn figures(&self) -> Figures {
        Figures {
            progress: self.progress.get_untracked(),
            epochs: self.epochs.get_untracked(),
            examples_per_s: self.examples_per_s.get_untracked(),
            points: self.points.get_untracked(),
            history: self.history.get_untracked(),
            epoch_memory: self.epoch_memory.get_untracked(),
            prepare_ms: self.prepare_ms.get_untracked(),
        }
    }

    fn clear_figures(&self, config: &TrainConfig) {
        self.progress.set((0, 0, 0));
        self.epochs.set(config.epochs);
        self.examples_per_s.set(None);
        self.points.set(vec![]);
        self.history.set(vec![]);
        self.epoch_memory.set(vec![]);
        self.prepare_ms.set(None);
    }

    /// What a report from the worker changes of the run; `started` is the
    /// run the page asked for, when the report says it started.
    pub fn on_report(&self, report: &Report, started: Option<&TrainConfig>) {
        match report {
            Report::Preparing => match started {
                Some(config) => self.started(config),
                None => self.set_phase.set(Phase::Preparing),
            },
            Report::Prepared { calibration } => self.calibration.set(Some(*calibration)),
            Report::Paused => self.set_phase.set(Phase::Paused),
            Report::Resumed => self.set_phase.set(Phase::Training),
            Report::Finished { ending } => {
                self.set_phase.set(Phase::Done(ending.message().cloned()));
                self.can_continue.set(true);
            }
            Report::Failed { error } => self
                .set_phase
                .set(Phase::Failed(RunFailure::Refused(error.clone()))),
            Report::Download { file, loaded, total } => {
                self.download.set(Some((file.clone(), *loaded, *total)))
            }
            Report::DataReady {
                train,
                test,
                from_cache,
                ..
            } => {
                self.download.set(None);
                self.data_ready.set(Some(DataReady {
                    train: *train,
                    test: *test,
                    from_cache: *from_cache,
                }));
            }
            Report::DataFailed { error } => {
                self.download.set(None);
                self.data_error.set(Some(error.clone()));
            }
            Report::Memory {
                epoch: Some(epoch),
                wasm_bytes,
                device_bytes,
            } => self.epoch_memory.update(|memory| {
                memory.push(EpochMemory {
                    epoch: *epoch,
                    wasm_bytes: *wasm_bytes,
                    device_bytes: *device_bytes,
                })
            }),
            Report::Memory {
                epoch: None,
                wasm_bytes,
                ..
            } => self.worker_memory.set(Some(*wasm_bytes)),
            _ => {}
        }
    }

    /// The worker is gone (crashed, hung, its GPU lost): the run stops
    /// here, and what was shown stays.
    pub fn on_worker_lost(&self, lost: RunLost) {
        self.set_phase.set(Phase::Failed(RunFailure::Lost(lost)));
    }

    /// What a training event changes; `title` names the run's net (for the
    /// gradient view).
    pub fn on_event(&self, event: Event, title: impl FnOnce() -> String) {
        match event {
            Event::Started {
                batches_per_epoch,
                weighted_layers,
                ..
            } => {
                self.progress.set((1, 0, batches_per_epoch));
                if !weighted_layers.is_empty() {
                    // The last run that measured gradients stays beside it.
                    if let Some(last) = self.gradients.get_untracked().filter(|g| !g.steps.is_empty()) {
                        self.previous_gradients.set(Some(last));
                    }
                    self.gradients.set(Some(GradientRecord {
                        title: title(),
                        layers: weighted_layers,
                        steps: vec![],
                        outputs: vec![],
                    }));
                }
            }
            Event::Gradients { norms, outputs, .. } => self.gradients.update(|record| {
                if let Some(record) = record {
                    record.steps.push(norms.into_iter().map(|n| n as f32).collect());
                    record
                        .outputs
                        .push(outputs.into_iter().map(|n| n as f32).collect());
                }
            }),
            Event::WarmedUp { .. } => {
                if let Some(start) = self.prepare_started.get_untracked() {
                    self.prepare_ms.set(Some(now_ms() - start));
                }
            }
            Event::Batch {
                epoch,
                batch,
                batches,
                examples_per_s,
                ..
            } => {
                if matches!(self.phase.get_untracked(), Phase::Preparing | Phase::Evaluating) {
                    self.set_phase.set(Phase::Training);
                }
                self.progress.set((epoch, batch, batches));
                self.examples_per_s
                    .set((examples_per_s > 0.0).then_some(examples_per_s));
            }
            Event::Point { x, loss, train_acc } => self
                .points
                .update(|points| points.push(Point { x, loss, train_acc })),
            Event::Evaluating { .. } => self.set_phase.set(Phase::Evaluating),
            Event::Epoch { report } => {
                self.history.update(|history| history.push(report));
                if self.phase.get_untracked() == Phase::Evaluating {
                    self.set_phase.set(Phase::Training);
                }
            }
        }
    }
}

impl Default for Run {
    fn default() -> Self {
        Run::new()
    }
}
