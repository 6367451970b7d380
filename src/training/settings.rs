//! What a training run is asked to do: the net, the book's settings or the
//! user's, and whether the run fits a device. Plain data, shared by the page
//! (which never touches a tensor) and the loop.

use serde::{Deserialize, Serialize};

use crate::arch::{Arch, NetConfig};
use crate::bounds::Bounds;
use crate::shape::{Producer, ShapeError, ShapeTable};

/// What a person may ask for, in the page's form and in a link.
pub const RESIZE: Bounds<usize> = Bounds::new(1, 512);
pub const BATCH: Bounds<usize> = Bounds::new(1, 4096);
pub const EPOCHS: Bounds<usize> = Bounds::new(1, 200);
pub const LR: Bounds<f64> = Bounds::new(1e-6, 10.0);
pub const TRAIN_EXAMPLES: Bounds<usize> = Bounds::new(1, 60_000);
pub const TEST_EXAMPLES: Bounds<usize> = Bounds::new(1, 10_000);

/// How the weights move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain SGD, as the book trains every net.
    Sgd,
    /// SGD with momentum 0.9 (PyTorch's: no dampening).
    Momentum,
    Adam,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 3] = [OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam];

    pub fn id(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Adam => "adam",
        }
    }

    pub fn from_id(id: &str) -> Option<OptimizerKind> {
        OptimizerKind::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// Adam wants a far smaller step than the book's SGD rates (up to 1.0).
    pub fn default_lr(self, arch: Arch) -> f64 {
        match self {
            OptimizerKind::Adam => 0.001,
            _ => arch.book_settings().lr,
        }
    }
}

/// Everything a training run needs to know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub net: NetConfig,
    pub epochs: usize,
    pub lr: f64,
    pub batch_size: usize,
    /// Side of the square images the net sees (28 is the data's own).
    pub resize: usize,
    pub optimizer: OptimizerKind,
    pub weight_decay: f64,
    pub seed: u64,
    /// Train on the first N training examples only.
    pub train_limit: Option<usize>,
    /// Evaluate on the first N test examples only.
    pub test_limit: Option<usize>,
    /// Measure every weighted layer's gradient norm and output size
    /// (`Event::Gradients`) ...
    #[serde(default)]
    pub grad_norms: bool,
    /// ... at every this many steps (0 and 1: every step). On a GPU the
    /// extra kernels cost a step ~15 % (BENCHMARKS.md, "Gradient norms"),
    /// so the page measures every `GPU_GRAD_NORMS_EVERY` steps there.
    #[serde(default)]
    pub grad_norms_every: usize,
}

/// A setting a run cannot start with (`TrainConfig::problems`), naming it
/// (in both languages: `crate::i18n::training`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    NoEpochs,
    LearningRate {
        lr: f64,
    },
    NoBatch,
    WeightDecay {
        weight_decay: f64,
    },
    /// A limit of 0 training or test examples.
    NoData,
    /// The net does not fit the input size.
    InputSize {
        resize: usize,
        error: ShapeError,
    },
}

/// Why a run does not fit a device (`check_fits`, `check_memory`), with
/// what it needs, what there is, and the batch that would fit (0: none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FitError {
    /// The net does not fit the input size.
    Shape(ShapeError),
    /// A weight tensor larger than the GPU's largest buffer.
    Weight { bytes: u64, limit: u64 },
    /// An activation larger than the GPU's largest buffer.
    Activation {
        batch: usize,
        tensor: Producer,
        bytes: u64,
        limit: u64,
        fits: u64,
    },
    /// A training step larger than the CPU memory a tab has.
    Memory {
        batch: usize,
        bytes: u64,
        limit: u64,
        fits: u64,
    },
}

/// How often the page measures the gradient view on WebGPU: every 5th step
/// keeps its cost to ~3 % of training.
pub const GPU_GRAD_NORMS_EVERY: usize = 5;

impl TrainConfig {
    /// The book's settings for `arch`.
    pub fn book(arch: Arch) -> TrainConfig {
        let book = arch.book_settings();
        TrainConfig {
            net: NetConfig::default_for(arch),
            epochs: book.epochs,
            lr: book.lr,
            batch_size: book.batch_size,
            resize: book.resize,
            optimizer: OptimizerKind::Sgd,
            weight_decay: 0.0,
            seed: 0,
            train_limit: None,
            test_limit: None,
            grad_norms: false,
            grad_norms_every: 1,
        }
    }

    /// A setting that trains an epoch in about two minutes on the CPU path
    /// in a browser tab while the net still visibly learns (measured in the
    /// worker's wasm: README, "Quick settings"): a subset of the images, the
    /// smallest input the net's pooling allows or a little more, and a batch
    /// small enough that progress shows within seconds. LeNet and LeNet +
    /// BatchNorm need none of that: their quick setting is the book's.
    pub fn quick(arch: Arch) -> TrainConfig {
        use OptimizerKind::{Adam, Sgd};
        let book = TrainConfig::book(arch);
        // (optimizer, lr, batch, resize, epochs, training images, test images)
        let (optimizer, lr, batch_size, resize, epochs, train, test) = match arch {
            Arch::LeNet | Arch::BnLeNet => {
                return TrainConfig {
                    train_limit: Some(60_000),
                    test_limit: Some(10_000),
                    ..book
                };
            }
            // With 125 steps an epoch instead of the book's 469, a larger
            // step: at 0.01 the loss had not left 2.30 after three epochs.
            Arch::AlexNet => (Sgd, 0.1, 32, 67, 3, 4_000, 1_000),
            Arch::Vgg => (Sgd, 0.05, 64, 32, 3, 10_000, 1_000),
            // NiN's SGD sits on its plateau (loss 2.302) through three epochs
            // of a subset at every rate tried (0.05 to 0.2, 67 and 96 px,
            // momentum); Adam leaves it in the first.
            Arch::NiN => (Adam, 0.001, 64, 67, 3, 5_000, 1_000),
            // GoogLeNet's SGD (0.1, batch 64 or 32) reached a test accuracy of
            // 0.18-0.28 in three epochs of the subset, Adam 0.61.
            Arch::GoogLeNet => (Adam, 0.001, 64, 32, 3, 5_000, 1_000),
            Arch::ResNet => (Sgd, 0.05, 64, 32, 3, 5_000, 1_000),
            Arch::DenseNet => (Sgd, 0.1, 64, 32, 3, 12_000, 1_000),
        };
        TrainConfig {
            optimizer,
            lr,
            batch_size,
            resize,
            epochs,
            train_limit: Some(train),
            test_limit: Some(test),
            ..book
        }
    }

    /// Whether the run's `step`th step (counted from 0 over the whole run)
    /// measures the gradient view: the first, then every
    /// `grad_norms_every`th.
    pub fn measures_step(&self, step: usize) -> bool {
        self.grad_norms && step.is_multiple_of(self.grad_norms_every.max(1))
    }

    /// Every problem with the settings, each naming the setting; empty when
    /// the run can start. Includes whether the net fits the input size.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = vec![];
        if self.epochs == 0 {
            problems.push(Problem::NoEpochs);
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            problems.push(Problem::LearningRate { lr: self.lr });
        }
        if self.batch_size == 0 {
            problems.push(Problem::NoBatch);
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            problems.push(Problem::WeightDecay {
                weight_decay: self.weight_decay,
            });
        }
        if self.train_limit == Some(0) || self.test_limit == Some(0) {
            problems.push(Problem::NoData);
        }
        if let Err(error) = self.shape_table(1) {
            problems.push(Problem::InputSize {
                resize: self.resize,
                error,
            });
        }
        problems
    }

    /// The net's shape table at this run's input size and batch `batch`.
    pub fn shape_table(&self, batch: usize) -> Result<ShapeTable, ShapeError> {
        ShapeTable::of(&self.net, batch, self.resize)
    }
}

/// Whether this run's tensors fit a device whose largest buffer is `limit`
/// bytes (WebGPU's `maxStorageBufferBindingSize`); if not, says which tensor
/// is too big and which batch size would fit.
pub fn check_fits(config: &TrainConfig, limit: u64) -> Result<(), FitError> {
    let table = config.shape_table(config.batch_size).map_err(FitError::Shape)?;
    let ((activation, tensor), weight) = table.largest_tensors();
    if weight > limit {
        return Err(FitError::Weight { bytes: weight, limit });
    }
    if activation > limit {
        let per_example = activation.div_ceil(config.batch_size as u64);
        return Err(FitError::Activation {
            batch: config.batch_size,
            tensor,
            bytes: activation,
            limit,
            fits: limit / per_example.max(1),
        });
    }
    Ok(())
}

/// What the CPU backend in a browser tab can address: wasm32's 4 GiB of
/// linear memory, which never shrinks and cannot grow past this.
pub const WASM32_MEMORY_BYTES: u64 = 4 << 30;

/// Bytes outside the net that the worker holds: its code, Fashion-MNIST
/// (55 MB as bytes), the batch being resized, the allocator's slack.
const WORKER_BASE_BYTES: u64 = 256 << 20;

/// Roughly the most memory a training step of `config` holds at once on the
/// CPU backend, as `(fixed, per_example)`: every layer's output at the batch
/// size (the table's activations), kept for the backward pass, with a tenth
/// more for the gradients and scratch in flight, and four copies of the
/// weights (weights, gradients, Adam's two moments). Measured in the
/// worker's wasm (Node): GoogLeNet at 224 px, batch 64 and 96 (2.3 and 3.5
/// GB of activations) peaked at 2.7 and 3.9 GB and ran; batch 128 (4.7 GB)
/// ran out of memory. BENCHMARKS.md, "Memory on the CPU".
pub fn training_bytes(config: &TrainConfig) -> Result<(u64, u64), ShapeError> {
    let table = config.shape_table(1)?;
    let weights = table.total_params * 4;
    let per_example = table.total_activation_bytes * 11 / 10;
    Ok((WORKER_BASE_BYTES + 4 * weights, per_example))
}

/// Whether a run of `config` fits in `budget` bytes of CPU memory (a tab's
/// wasm32 memory); if not, says how much it needs and which batch fits.
pub fn check_memory(config: &TrainConfig, budget: u64) -> Result<(), FitError> {
    let (fixed, per_example) = training_bytes(config).map_err(FitError::Shape)?;
    let needed = fixed + per_example * config.batch_size as u64;
    if needed <= budget {
        return Ok(());
    }
    Err(FitError::Memory {
        batch: config.batch_size,
        bytes: needed,
        limit: budget,
        fits: budget.saturating_sub(fixed) / per_example.max(1),
    })
}

/// Which backend the user asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendChoice {
    /// WebGPU on a GPU; the CPU backend where WebGPU is missing, cannot run
    /// Burn's kernels, or is a software renderer (slower than the CPU
    /// backend: LeNet trained about 13 times faster on it under SwiftShader).
    #[default]
    Auto,
    /// WebGPU whenever it can run Burn's kernels, software or not.
    WebGpu,
    Cpu,
}

impl BackendChoice {
    pub const ALL: [BackendChoice; 3] = [BackendChoice::Auto, BackendChoice::WebGpu, BackendChoice::Cpu];

    pub fn id(self) -> &'static str {
        match self {
            BackendChoice::Auto => "auto",
            BackendChoice::WebGpu => "webgpu",
            BackendChoice::Cpu => "cpu",
        }
    }

    pub fn from_id(id: &str) -> Option<BackendChoice> {
        BackendChoice::ALL.into_iter().find(|choice| choice.id() == id)
    }
}
