//! What a training run reports as it goes, and how its host answers.

use serde::{Deserialize, Serialize};

use super::Problem;
use crate::shape::ShapeError;

/// A layer with weights as the gradient view labels it: its row of the
/// shape table (`3.1`) and what it is; `Display` writes it in English
/// (`3.1 conv 6→16 k5`), `i18n` in the reader's language. It travels as
/// that English text, so `cnnp train --json`'s lines stay as they were.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct LayerLabel {
    /// The row path as the table writes it.
    pub row: String,
    pub kind: WeightedKind,
}

/// A convolution (`k`×`k` kernel) or a fully connected layer, with its
/// channels or features in and out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeightedKind {
    Conv { input: usize, out: usize, k: usize },
    Linear { input: usize, out: usize },
}

impl From<LayerLabel> for String {
    fn from(label: LayerLabel) -> String {
        label.to_string()
    }
}

impl TryFrom<String> for LayerLabel {
    type Error = String;

    /// Reads back what `Display` wrote.
    fn try_from(text: String) -> Result<LayerLabel, String> {
        let bad = || format!("not a layer label: {text:?}");
        let words: Vec<&str> = text.split(' ').collect();
        let (input, out) = words.get(2).and_then(|w| w.split_once('→')).ok_or_else(bad)?;
        let number = |w: &str| w.parse::<usize>().map_err(|_| bad());
        let (input, out) = (number(input)?, number(out)?);
        let kind = match (words.get(1), words.get(3)) {
            (Some(&"conv"), Some(k)) if words.len() == 4 => {
                let k = k.strip_prefix('k').ok_or_else(bad)?;
                WeightedKind::Conv {
                    input,
                    out,
                    k: number(k)?,
                }
            }
            (Some(&"linear"), None) => WeightedKind::Linear { input, out },
            _ => return Err(bad()),
        };
        Ok(LayerLabel {
            row: words[0].to_string(),
            kind,
        })
    }
}

/// One epoch's figures, as the book prints them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// Counted from 1.
    pub epoch: usize,
    /// Mean cross-entropy over the epoch's training examples.
    pub loss: f64,
    pub train_acc: f64,
    pub test_acc: f64,
    /// Training examples per second, training time only (not the run's
    /// first step, which compiles the kernels).
    pub examples_per_s: f64,
    pub backend: String,
    /// Wall time of the epoch, evaluation included.
    pub seconds: f64,
    /// The test images by true and predicted class; its diagonal over its
    /// total is `test_acc`.
    #[serde(default)]
    pub confusion: Confusion,
}

/// Counts of evaluated images: `counts[true class][predicted class]`, a
/// row and a column per class in label order (Fashion-MNIST's ten:
/// `data::CLASS_NAMES`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub counts: Vec<Vec<u32>>,
}

impl Confusion {
    /// From each image's true label and predicted class, for `classes`
    /// classes; labels or predictions past the last class are not counted.
    pub fn new(
        classes: usize,
        labels: impl IntoIterator<Item = usize>,
        predicted: impl IntoIterator<Item = usize>,
    ) -> Confusion {
        let mut counts = vec![vec![0u32; classes]; classes];
        for (label, prediction) in labels.into_iter().zip(predicted) {
            if let Some(cell) = counts.get_mut(label).and_then(|row| row.get_mut(prediction)) {
                *cell += 1;
            }
        }
        Confusion { counts }
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }

    /// The diagonal: images classified right.
    pub fn correct(&self) -> u32 {
        self.counts
            .iter()
            .enumerate()
            .filter_map(|(i, row)| row.get(i))
            .sum()
    }

    pub fn accuracy(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            total => self.correct() as f64 / total as f64,
        }
    }

    /// Of the images of `class`, the share classified as it (`None`
    /// without any).
    pub fn class_accuracy(&self, class: usize) -> Option<f64> {
        let row = self.counts.get(class)?;
        let total: u32 = row.iter().sum();
        (total > 0).then(|| row.get(class).copied().unwrap_or(0) as f64 / total as f64)
    }
}

impl EpochReport {
    /// `epoch 3: loss 0.612, train acc 0.771, test acc 0.760, 5123.4 examples/sec on cpu`
    pub fn book_line(&self) -> String {
        format!(
            "epoch {}: loss {:.3}, train acc {:.3}, test acc {:.3}, {:.1} examples/sec on {}",
            self.epoch, self.loss, self.train_acc, self.test_acc, self.examples_per_s, self.backend
        )
    }
}

/// What the loop tells its host as it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Before the first step.
    Started {
        batches_per_epoch: usize,
        train_examples: usize,
        test_examples: usize,
        /// With `grad_norms`: the weighted layers in depth order, named as
        /// the shape table numbers them; what `Gradients` measures.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        weighted_layers: Vec<LayerLabel>,
    },
    /// The run's first step is done: it compiled the kernels, and took `ms`.
    WarmedUp {
        ms: f64,
    },
    /// A training step is done; `loss` and `train_acc` are the epoch's means so far.
    Batch {
        epoch: usize,
        batch: usize,
        batches: usize,
        loss: f64,
        train_acc: f64,
        examples_per_s: f64,
        /// Milliseconds the step took, readback included.
        step_ms: f64,
    },
    /// With `grad_norms`, after each step: the L2 norm of each weighted
    /// layer's weight gradient, and the root mean square of its output (of
    /// the step's forward pass), in `Started`'s `weighted_layers` order.
    Gradients {
        epoch: usize,
        batch: usize,
        norms: Vec<f64>,
        #[serde(default)]
        outputs: Vec<f64>,
    },
    /// A point of the book's live plot: five times an epoch, at `x` epochs.
    Point {
        x: f64,
        loss: f64,
        train_acc: f64,
    },
    /// The test set is being evaluated.
    Evaluating {
        epoch: usize,
    },
    Epoch {
        report: EpochReport,
    },
}

/// The host's answer to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// Finish here, keeping the model and the history so far.
    Stop,
}

/// Where the loop runs: a terminal, a browser tab, a test.
#[cfg(feature = "train")]
#[allow(async_fn_in_trait)] // The loop runs on one thread; no Send bound is wanted.
pub trait Host {
    /// Milliseconds from any fixed origin.
    fn now_ms(&self) -> f64;
    fn event(&mut self, event: Event) -> Control;
    /// Called between steps with the model as it is: a page yields to the
    /// browser here, shows what the model makes of a picture when asked,
    /// and waits while the user has paused.
    async fn between_steps(&mut self, _model: &crate::model::Net) {}
    /// After each epoch's evaluation: the class predicted for every test
    /// image, in order.
    fn evaluated(&mut self, _epoch: usize, _predicted: &[u8]) {}
}

/// Why training ended (said in both languages: `crate::i18n::training`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ending", rename_all = "snake_case")]
pub enum Ending {
    Finished,
    /// The host said stop.
    Stopped {
        epoch: usize,
        batch: usize,
    },
    /// The loss became NaN or infinite; the weights are the last ones whose
    /// loss was finite.
    Diverged {
        epoch: usize,
        batch: usize,
        lr: f64,
    },
}

impl Ending {
    /// The ending as a sentence for the user (it says itself), or `None`
    /// when training simply finished.
    pub fn message(&self) -> Option<&Ending> {
        match self {
            Ending::Finished => None,
            ending => Some(ending),
        }
    }
}

/// Why a run could not start or broke off (said in both languages:
/// `crate::i18n::training`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Adjacently tagged: an internally tagged enum cannot carry a newtype
// variant of a string, a list or another enum tagged "error".
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum TrainError {
    /// Settings a run cannot start with.
    Config(Vec<Problem>),
    /// The net cannot be built at the run's input size.
    Net(ShapeError),
    /// A look inside asked for a row (`[2, 0]`: the first layer in the
    /// third row) the net does not have.
    NoRow {
        row: Vec<usize>,
    },
    NoData,
    /// The device's own reason (English).
    Device {
        backend: String,
        reason: String,
    },
}

/// What `prepare` measured before a run: how long the GPU kernels took to
/// compile (on WebGPU) and what a training example costs on this device.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub kernels_s: Option<f64>,
    /// Seconds per training example, from one timed step (forward,
    /// backward, update) after a warm-up one, on a blank batch.
    pub seconds_per_example: f64,
}

impl Calibration {
    /// Seconds an epoch of `train` training and `test` test examples will
    /// take at this rate: a test example costs the forward pass, about a
    /// third of a training step.
    pub fn epoch_seconds(&self, train: usize, test: usize) -> f64 {
        self.seconds_per_example * (train as f64 + test as f64 / 3.0)
    }
}

/// What `bench` measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// The first step alone: kernel compilation (and autotuning) included.
    pub warmup_s: f64,
    /// Over the steps after the first.
    pub examples_per_s: f64,
    /// The first step's loss: the freshly initialised net's forward pass.
    pub warmup_loss: f64,
    pub final_loss: f64,
    /// Milliseconds per step spent building the step (recording and
    /// enqueueing its operations), not waiting for the device: on a GPU
    /// that runs asynchronously, what the host costs.
    pub host_ms_per_step: f64,
}

/// One row of the table and what it costs per training step
/// (`training::profile_layers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerTime {
    /// The table's name and settings, e.g. `Conv2d 1→6, k5, p2`.
    pub layer: String,
    pub forward_ms: f64,
    /// The backward pass alone (forward + backward, less the forward).
    pub backward_ms: f64,
}
