//! The book's training loop (`train_ch6`), written once for the command line
//! and the browser.
//!
//! It is `async` and never reads a tensor synchronously: on the browser's
//! WebGPU a synchronous read panics, so every read goes through
//! `into_data_async`. What it reports goes through a [`Host`]: events for a
//! progress bar or a chart, the clock, and a point between steps where a
//! page yields to the browser (and waits while paused). Burn's `burn-train`
//! learner does not run in wasm, hence this loop.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::arch::{Arch, INPUT_CHANNELS, NetConfig};
use crate::data::{Batch, Dataset, Resize, epoch_order};
use crate::model::Net;
use crate::shape::{ShapeError, ShapeTable};

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

    fn init(self, weight_decay: f64) -> ModuleOptimizer {
        // Burn's optimisers decay as PyTorch's do: `penalty × weight` added
        // to the gradient.
        let decay = (weight_decay > 0.0).then(|| WeightDecayConfig::new(weight_decay as f32));
        match self {
            OptimizerKind::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
            OptimizerKind::Momentum => SgdConfig::new()
                .with_weight_decay(decay)
                .with_momentum(Some(MomentumConfig::new().with_momentum(0.9).with_dampening(0.0)))
                .init(),
            // PyTorch's defaults.
            OptimizerKind::Adam => AdamConfig::new()
                .with_epsilon(1e-8)
                .with_weight_decay(decay)
                .init(),
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
}

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
        }
    }

    /// Every problem with the settings, each naming the setting; empty when
    /// the run can start. Includes whether the net fits the input size.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = vec![];
        if self.epochs == 0 {
            problems.push("epochs must be at least 1".to_string());
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            problems.push(format!(
                "learning rate must be a positive number, not {}",
                self.lr
            ));
        }
        if self.batch_size == 0 {
            problems.push("batch size must be at least 1".to_string());
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            problems.push(format!(
                "weight decay must be zero or positive, not {}",
                self.weight_decay
            ));
        }
        if self.train_limit == Some(0) || self.test_limit == Some(0) {
            problems.push("a data limit must be at least 1".to_string());
        }
        if let Err(e) = self.shape_table(1) {
            problems.push(format!("resize {}: {e}", self.resize));
        }
        problems
    }

    /// The net's shape table at this run's input size and batch `batch`.
    pub fn shape_table(&self, batch: usize) -> Result<ShapeTable, ShapeError> {
        ShapeTable::compute(
            &self.net.layers(),
            &[batch, INPUT_CHANNELS, self.resize, self.resize],
        )
    }
}

/// Whether this run's tensors fit a device whose largest buffer is `limit`
/// bytes (WebGPU's `maxStorageBufferBindingSize`); if not, says which tensor
/// is too big and which batch size would fit.
pub fn check_fits(config: &TrainConfig, limit: u64) -> Result<(), String> {
    use crate::format::bytes;
    let table = config.shape_table(config.batch_size).map_err(|e| e.to_string())?;
    let ((activation, row), weight) = table.largest_tensors();
    if weight > limit {
        return Err(format!(
            "a weight of this net takes {}, more than this GPU's largest buffer ({}); use a smaller net or the CPU",
            bytes(weight),
            bytes(limit)
        ));
    }
    if activation > limit {
        let per_example = activation.div_ceil(config.batch_size as u64);
        let fits = limit / per_example.max(1);
        let advice = match fits {
            0 => "even one example does not fit: use a smaller input size or the CPU".to_string(),
            n => format!("a batch of at most {n} fits"),
        };
        return Err(format!(
            "batch {} does not fit: the output of {row} takes {}, more than this GPU's largest buffer ({}); {advice}",
            config.batch_size,
            bytes(activation),
            bytes(limit)
        ));
    }
    Ok(())
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
#[allow(async_fn_in_trait)] // The loop runs on one thread; no Send bound is wanted.
pub trait Host {
    /// Milliseconds from any fixed origin.
    fn now_ms(&self) -> f64;
    fn event(&mut self, event: Event) -> Control;
    /// Called between steps: a page yields to the browser here, and waits
    /// while the user has paused.
    async fn between_steps(&mut self) {}
}

/// Why training ended.
#[derive(Clone, Debug, PartialEq)]
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
    /// A sentence for the user, or `None` when training simply finished.
    pub fn message(&self) -> Option<String> {
        match self {
            Ending::Finished => None,
            Ending::Stopped { epoch, batch } => Some(format!(
                "stopped in epoch {epoch} after batch {batch}; the model and the history so far are kept"
            )),
            Ending::Diverged { epoch, batch, lr } => Some(format!(
                "the loss became NaN in epoch {epoch}, batch {batch}: training diverged at learning rate {lr}. \
                 Try a smaller learning rate (e.g. {}). The weights from before the bad step are kept.",
                lr / 10.0
            )),
        }
    }
}

/// A finished (or stopped) run: the model, one report per completed epoch.
pub struct Outcome {
    pub model: Net,
    pub history: Vec<EpochReport>,
    pub ending: Ending,
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("cannot train: {}", .0.join("; "))]
    Config(Vec<String>),
    #[error("the data set is empty")]
    NoData,
    #[error("the {backend} device failed: {reason}")]
    Device { backend: String, reason: String },
}

/// Sends one batch to `device`: images `[N, 1, S, S]`, labels `[N]`.
pub fn batch_tensors(batch: &Batch, device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
    let n = batch.len();
    let images = Tensor::<4>::from_data(
        TensorData::new(batch.images.clone(), [n, INPUT_CHANNELS, batch.side, batch.side]),
        device,
    );
    let labels = Tensor::<1, Int>::from_data(TensorData::new(batch.labels.clone(), [n]), device);
    (images, labels)
}

/// How many of `labels` the logits get right, as a one-element tensor.
fn correct(logits: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    let n = labels.dims()[0];
    logits.argmax(1).reshape([n]).equal(labels).int().sum().float()
}

/// Reads a small tensor back, without blocking.
async fn read(tensor: Tensor<1>, backend: &str) -> Result<Vec<f32>, TrainError> {
    let fail = |reason: String| TrainError::Device {
        backend: backend.to_string(),
        reason,
    };
    let data = tensor
        .into_data_async()
        .await
        .map_err(|e| fail(format!("{e:?}")))?;
    data.try_to_vec::<f32>().map_err(|e| fail(format!("{e:?}")))
}

/// A fresh net for `config`, with the book's initialisation, on `device`
/// (an autodiff device to train it).
pub fn init_model(config: &TrainConfig, device: &Device) -> Result<Net, ShapeError> {
    device.seed(config.seed);
    Net::init(&config.net, config.resize, device)
}

/// The optimiser `config` asks for, with fresh state.
pub fn optimizer(config: &TrainConfig) -> ModuleOptimizer {
    config.optimizer.init(config.weight_decay)
}

/// One SGD step: forward, loss, backward, update. Returns the new model and
/// `[loss, correct]` still on the device, so that the caller decides when to
/// wait for it.
pub fn train_step(
    model: Net,
    optimizer: &mut ModuleOptimizer,
    lr: f64,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
) -> (Net, Tensor<1>) {
    let device = images.device();
    let logits = model.forward(images);
    let loss = CrossEntropyLoss::new(None, &device).forward(logits.clone(), labels.clone());
    let figures = Tensor::cat(vec![loss.clone().detach(), correct(logits.detach(), labels)], 0);
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    (optimizer.step(lr, model, grads), figures)
}

/// Examples per second, or 0 before anything was timed.
fn per_second(examples: usize, ms: f64) -> f64 {
    match ms > 0.0 {
        true => examples as f64 / (ms / 1000.0),
        false => 0.0,
    }
}

/// Accuracy of `model` on `data`, in eval mode (dropout off, batch norm on
/// its running statistics).
pub async fn evaluate(
    model: &Net,
    data: &Dataset,
    resize: &Resize,
    batch_size: usize,
    device: &Device,
    backend: &str,
) -> Result<f64, TrainError> {
    if data.is_empty() {
        return Err(TrainError::NoData);
    }
    let model = model.valid();
    let device = device.clone().inner();
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut total: Option<Tensor<1>> = None;
    for chunk in indices.chunks(batch_size) {
        let (images, labels) = batch_tensors(&data.batch(chunk, resize), &device);
        let hits = correct(model.forward(images), labels);
        // Summed on the device and read once: one wait per evaluation.
        total = Some(match total {
            Some(total) => total + hits,
            None => hits,
        });
    }
    let hits = read(total.expect("at least one batch"), backend).await?[0];
    Ok(hits as f64 / data.len() as f64)
}

/// Trains a fresh net as `train_ch6` does: per epoch, a shuffled pass over
/// `train`, then the test accuracy. `device` is where the tensors live (the
/// loop adds autodiff); `backend` names it in reports.
pub async fn train(
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(TrainError::Config(problems));
    }
    let train = train.truncated(config.train_limit.unwrap_or(usize::MAX));
    let test = test.truncated(config.test_limit.unwrap_or(usize::MAX));
    if train.is_empty() || test.is_empty() {
        return Err(TrainError::NoData);
    }
    let device = device.clone().inner().autodiff();
    let model = init_model(config, &device).map_err(|e| TrainError::Config(vec![e.to_string()]))?;
    train_model(model, config, &train, &test, &device, backend, host).await
}

/// The loop itself, on a model already made.
async fn train_model(
    mut model: Net,
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    let resize = Resize::to(config.resize);
    let mut optimizer = optimizer(config);
    let batches = train.len().div_ceil(config.batch_size);
    // The book's plot: `if (i + 1) % (num_batches // 5) == 0 or i == num_batches - 1`.
    let plot_every = (batches / 5).max(1);
    let mut history = vec![];
    let mut last_good: Option<Net> = None;
    let stop = |history, model, ending| {
        Ok(Outcome {
            model,
            history,
            ending,
        })
    };

    host.event(Event::Started {
        batches_per_epoch: batches,
        train_examples: train.len(),
        test_examples: test.len(),
    });
    for epoch in 1..=config.epochs {
        let epoch_start = host.now_ms();
        let order = epoch_order(train.len(), config.seed, epoch);
        let (mut loss_sum, mut hits, mut seen) = (0.0, 0.0, 0usize);
        // Examples and milliseconds counted for examples/sec.
        let (mut timed, mut train_ms) = (0usize, 0.0);
        for (i, chunk) in order.chunks(config.batch_size).enumerate() {
            host.between_steps().await;
            // As the book's timer, this leaves out preparing the batch on the
            // CPU and counts sending it to the device.
            let batch = train.batch(chunk, &resize);
            let step_start = host.now_ms();
            let (images, labels) = batch_tensors(&batch, device);
            // Cloning a module shares its tensors; it copies no weights.
            let before = model.clone();
            let (next, figures) = train_step(model, &mut optimizer, config.lr, images, labels);
            let figures = read(figures, backend).await?;
            let step_ms = host.now_ms() - step_start;
            let (loss, correct) = (figures[0] as f64, figures[1] as f64);
            if !loss.is_finite() {
                let ending = Ending::Diverged {
                    epoch,
                    batch: i + 1,
                    lr: config.lr,
                };
                // The weights that gave this loss may already be infinite:
                // keep the last ones whose loss was finite.
                return stop(history, last_good.unwrap_or(before), ending);
            }
            last_good = Some(before);
            model = next;
            // The run's first step compiles the kernels (and on some
            // backends tunes them): it is reported apart, as warm-up, and
            // left out of examples/sec unless it is the only step.
            let warm_up = epoch == 1 && i == 0 && batches * config.epochs > 1;
            if warm_up {
                host.event(Event::WarmedUp { ms: step_ms });
            } else {
                timed += chunk.len();
                train_ms += step_ms;
            }
            loss_sum += loss * chunk.len() as f64;
            hits += correct;
            seen += chunk.len();
            let (mean_loss, train_acc) = (loss_sum / seen as f64, hits / seen as f64);
            let mut control = host.event(Event::Batch {
                epoch,
                batch: i + 1,
                batches,
                loss: mean_loss,
                train_acc,
                examples_per_s: per_second(timed, train_ms),
                step_ms,
            });
            if (i + 1) % plot_every == 0 || i + 1 == batches {
                let x = epoch as f64 - 1.0 + (i + 1) as f64 / batches as f64;
                let answer = host.event(Event::Point {
                    x,
                    loss: mean_loss,
                    train_acc,
                });
                if answer == Control::Stop {
                    control = Control::Stop;
                }
            }
            if control == Control::Stop {
                return stop(history, model, Ending::Stopped { epoch, batch: i + 1 });
            }
        }
        host.event(Event::Evaluating { epoch });
        let test_acc = evaluate(&model, test, &resize, config.batch_size, device, backend).await?;
        let report = EpochReport {
            epoch,
            loss: loss_sum / seen as f64,
            train_acc: hits / seen as f64,
            test_acc,
            examples_per_s: per_second(timed, train_ms),
            backend: backend.to_string(),
            seconds: (host.now_ms() - epoch_start) / 1000.0,
        };
        history.push(report.clone());
        if host.event(Event::Epoch { report }) == Control::Stop && epoch < config.epochs {
            return stop(
                history,
                model,
                Ending::Stopped {
                    epoch,
                    batch: batches,
                },
            );
        }
    }
    stop(history, model, Ending::Finished)
}

/// What `bench` measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// The first step alone: kernel compilation (and autotuning) included.
    pub warmup_s: f64,
    /// Over the steps after the first.
    pub examples_per_s: f64,
    pub final_loss: f64,
}

/// Times `steps` training steps of a fresh net at `config`'s batch size,
/// after one warm-up step, reading the loss back every `readback_every`
/// steps (a live chart reads every step). Batches are on the device before
/// the clock starts; `now_ms` is the clock.
pub async fn bench(
    config: &TrainConfig,
    train: &Dataset,
    device: &Device,
    steps: usize,
    readback_every: usize,
    now_ms: impl Fn() -> f64,
) -> Result<BenchReport, TrainError> {
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(TrainError::Config(problems));
    }
    if train.is_empty() {
        return Err(TrainError::NoData);
    }
    let backend = format!("{device:?}");
    let device = device.clone().inner().autodiff();
    let mut model = init_model(config, &device).map_err(|e| TrainError::Config(vec![e.to_string()]))?;
    let mut optimizer = optimizer(config);
    let resize = Resize::to(config.resize);
    let order = epoch_order(train.len(), config.seed, 1);
    // A few distinct batches, uploaded before timing, used in turn.
    let batches: Vec<_> = order
        .chunks(config.batch_size)
        .take(steps.clamp(1, 4) + 1)
        .map(|chunk| batch_tensors(&train.batch(chunk, &resize), &device))
        .collect();
    let examples = batches[0].1.dims()[0];

    let start = now_ms();
    let (images, labels) = batches[0].clone();
    let (next, figures) = train_step(model, &mut optimizer, config.lr, images, labels);
    model = next;
    read(figures, &backend).await?;
    let warmup_s = (now_ms() - start) / 1000.0;

    let start = now_ms();
    let mut final_loss = f64::NAN;
    for step in 0..steps {
        let (images, labels) = batches[(step + 1) % batches.len()].clone();
        let (next, figures) = train_step(model, &mut optimizer, config.lr, images, labels);
        model = next;
        if (step + 1) % readback_every == 0 || step + 1 == steps {
            final_loss = read(figures, &backend).await?[0] as f64;
        }
    }
    let seconds = (now_ms() - start) / 1000.0;
    Ok(BenchReport {
        warmup_s,
        examples_per_s: (steps * examples) as f64 / seconds,
        final_loss,
    })
}
