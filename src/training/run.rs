//! The loop itself, on Burn: the book's `train_ch6`, `evaluate` and `bench`.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::{
    BenchReport, Calibration, Confusion, Control, Ending, EpochReport, Event, Host, OptimizerKind,
    TrainConfig,
};
use crate::arch::INPUT_CHANNELS;
use crate::data::{Batch, Dataset, Resize, epoch_order};
use crate::model::Net;
use crate::shape::ShapeError;

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
    // Summed as floats: an integer sum is one more shader to compile (~0.4 s
    // of the first step on SwiftShader) and counts up to a batch are exact.
    logits.argmax(1).reshape([n]).equal(labels).float().sum()
}

/// Reads a small tensor back, without blocking.
pub(super) async fn read(tensor: Tensor<1>, backend: &str) -> Result<Vec<f32>, TrainError> {
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

/// `init_model`, its error as a training error.
fn fresh_model(config: &TrainConfig, device: &Device) -> Result<Net, TrainError> {
    init_model(config, device).map_err(|e| TrainError::Config(vec![e.to_string()]))
}

/// Refuses settings a run cannot start with, saying each problem.
fn check(config: &TrainConfig) -> Result<(), TrainError> {
    let problems = config.problems();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(TrainError::Config(problems)),
    }
}

/// The optimiser `config` asks for, with fresh state. Burn's optimisers
/// decay as PyTorch's do: `penalty × weight` added to the gradient.
pub fn optimizer(config: &TrainConfig) -> ModuleOptimizer {
    let decay = (config.weight_decay > 0.0).then(|| WeightDecayConfig::new(config.weight_decay as f32));
    match config.optimizer {
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
    train_step_measured(model, optimizer, lr, images, labels, false)
}

/// `train_step`; with `grad_norms`, `[loss, correct]` is followed in the
/// same tensor by the squared norm of each weighted layer's weight gradient
/// (`gradients::squared_norms`), then the mean square of each one's output
/// (`gradients::OutputSquares`), so the step is still read back once.
pub fn train_step_measured(
    model: Net,
    optimizer: &mut ModuleOptimizer,
    lr: f64,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
    grad_norms: bool,
) -> (Net, Tensor<1>) {
    let device = images.device();
    let (logits, outputs) = match grad_norms {
        true => {
            let mut outputs = super::OutputSquares::new(&model);
            let logits = model.forward_watched(images, &mut |path, x| outputs.see(path, x));
            (logits, Some(outputs))
        }
        false => (model.forward(images), None),
    };
    let loss = CrossEntropyLoss::new(None, &device).forward(logits.clone(), labels.clone());
    let figures = Tensor::cat(vec![loss.clone().detach(), correct(logits.detach(), labels)], 0);
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    let norms = grad_norms.then(|| super::squared_norms(&model, &grads));
    let model = optimizer.step(lr, model, grads);
    // Joined after the update: a copy queued between the norms and the
    // update split the update's fused kernels on wgpu (BENCHMARKS.md,
    // "Gradient norms").
    match (norms, outputs) {
        (Some(norms), Some(outputs)) => (model, Tensor::cat(vec![figures, norms, outputs.joined()], 0)),
        _ => (model, figures),
    }
}

/// Examples per second, or 0 before anything was timed.
fn per_second(examples: usize, ms: f64) -> f64 {
    match ms > 0.0 {
        true => examples as f64 / (ms / 1000.0),
        false => 0.0,
    }
}

/// What a net makes of a data set (`evaluate`).
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Its accuracy is the test accuracy.
    pub confusion: Confusion,
    /// The class predicted for every image, in order.
    pub predicted: Vec<u8>,
    /// The mean cross-entropy.
    pub loss: f64,
}

/// What `model` predicts for `data`, in eval mode (dropout off, batch norm
/// on its running statistics): the class of every image, the confusion
/// matrix and the mean loss.
pub async fn evaluate(
    model: &Net,
    data: &Dataset,
    resize: &Resize,
    batch_size: usize,
    device: &Device,
    backend: &str,
) -> Result<Evaluation, TrainError> {
    if data.is_empty() {
        return Err(TrainError::NoData);
    }
    let model = model.valid();
    let device = device.clone().inner();
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut predicted: Vec<Tensor<1>> = vec![];
    let mut loss_sum: Option<Tensor<1>> = None;
    for chunk in indices.chunks(batch_size) {
        let (images, labels) = batch_tensors(&data.batch(chunk, resize), &device);
        let logits = model.forward(images);
        // Summed over the batch: batches may differ in size.
        let loss = CrossEntropyLoss::new(None, &device).forward(logits.clone(), labels) * chunk.len() as f32;
        loss_sum = Some(match loss_sum {
            Some(sum) => sum + loss,
            None => loss,
        });
        // Classes as floats (exact up to 2^24): the readback reads floats.
        predicted.push(logits.argmax(1).reshape([chunk.len()]).float());
    }
    // Joined on the device and read once: one wait per evaluation.
    predicted.extend(loss_sum);
    let mut figures = read(Tensor::cat(predicted, 0), backend).await?;
    let loss = figures.pop().unwrap_or(f32::NAN) as f64 / data.len() as f64;
    let predicted: Vec<u8> = figures.iter().map(|&class| class as u8).collect();
    let confusion = Confusion::new(
        (0..data.len()).map(|i| data.label(i) as usize),
        predicted.iter().map(|&class| class as usize),
    );
    Ok(Evaluation {
        confusion,
        predicted,
        loss,
    })
}

/// Trains as `train_ch6` does: per epoch, a shuffled pass over `train`,
/// then the test accuracy. From the weights of `start` when there is one
/// (on `device` with autodiff, as `weights::from_bytes` makes it there),
/// else from a fresh net (`init_model`). `device` is where the tensors live
/// (the loop adds autodiff); `backend` names it in reports.
pub async fn train_or_continue(
    start: Option<Net>,
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    check(config)?;
    let device = device.clone().inner().autodiff();
    let model = match start {
        Some(model) => model,
        None => fresh_model(config, &device)?,
    };
    let train = train.truncated(config.train_limit.unwrap_or(usize::MAX));
    let test = test.truncated(config.test_limit.unwrap_or(usize::MAX));
    if train.is_empty() || test.is_empty() {
        return Err(TrainError::NoData);
    }
    train_model(model, config, &train, &test, &device, backend, host).await
}

/// `train_or_continue` from a fresh net.
pub async fn train(
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    train_or_continue(None, config, train, test, device, backend, host).await
}

/// `train_or_continue` from the weights of `model`.
pub async fn train_from(
    model: Net,
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    train_or_continue(Some(model), config, train, test, device, backend, host).await
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

    let weighted_layers = match config.grad_norms {
        true => super::weighted_layers(&model)
            .into_iter()
            .map(|layer| layer.name)
            .collect(),
        false => vec![],
    };
    host.event(Event::Started {
        batches_per_epoch: batches,
        train_examples: train.len(),
        test_examples: test.len(),
        weighted_layers,
    });
    for epoch in 1..=config.epochs {
        let epoch_start = host.now_ms();
        let order = epoch_order(train.len(), config.seed, epoch);
        let (mut loss_sum, mut hits, mut seen) = (0.0, 0.0, 0usize);
        // Examples and milliseconds counted for examples/sec.
        let (mut timed, mut train_ms) = (0usize, 0.0);
        for (i, chunk) in order.chunks(config.batch_size).enumerate() {
            host.between_steps(&model).await;
            // As the book's timer, this leaves out preparing the batch on the
            // CPU and counts sending it to the device.
            let batch = train.batch(chunk, &resize);
            let step_start = host.now_ms();
            let (images, labels) = batch_tensors(&batch, device);
            // Cloning a module shares its tensors; it copies no weights.
            let before = model.clone();
            let measured = config.measures_step((epoch - 1) * batches + i);
            let (next, figures) =
                train_step_measured(model, &mut optimizer, config.lr, images, labels, measured);
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
            if measured {
                let root = |squares: &[f32]| squares.iter().map(|&square| (square as f64).sqrt()).collect();
                let layers = (figures.len() - 2) / 2;
                host.event(Event::Gradients {
                    epoch,
                    batch: i + 1,
                    norms: root(&figures[2..2 + layers]),
                    outputs: root(&figures[2 + layers..]),
                });
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
        let Evaluation {
            confusion, predicted, ..
        } = evaluate(&model, test, &resize, config.batch_size, device, backend).await?;
        host.evaluated(epoch, &predicted);
        let report = EpochReport {
            epoch,
            loss: loss_sum / seen as f64,
            train_acc: hits / seen as f64,
            test_acc: confusion.accuracy(),
            confusion,
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

/// Multiply-adds a calibration step may cost (a training step is ~3× the
/// forward pass): about a second on the browser's CPU path.
const CALIBRATION_MACS: u64 = 2_000_000_000;

/// The batch a calibration step uses: `config`'s, or fewer examples where a
/// step of it would take long (ResNet-18 at 96 px: 2 of 256).
pub fn calibration_batch(config: &TrainConfig) -> usize {
    let per_example = config
        .shape_table(1)
        .map(|table| table.total_macs)
        .unwrap_or(0)
        .max(1)
        * 3;
    ((CALIBRATION_MACS / per_example) as usize).clamp(1, config.batch_size.max(1))
}

/// Gets a run of `config` ready before it is asked for, on blank batches:
/// with `compile` (WebGPU), one throwaway step at the config's batch size
/// compiles its kernels, which stay in the device's pipeline cache, so the
/// run's own first step is a plain step (SwiftShader: ~0.6 s instead of
/// ~4 s for LeNet); then one warm-up and one timed step of
/// `calibration_batch` examples measure what an example costs here, for the
/// page's time estimate (the warm-up one is left out when the compiling step
/// had the same size).
pub async fn prepare(
    config: &TrainConfig,
    device: &Device,
    compile: bool,
    now_ms: impl Fn() -> f64,
) -> Result<Calibration, TrainError> {
    check(config)?;
    let backend = format!("{device:?}");
    let device = device.clone().inner().autodiff();
    let mut model = fresh_model(config, &device)?;
    let mut optimizer = optimizer(config);
    let blank = |n: usize| {
        let side = config.resize;
        let batch = Batch {
            images: vec![0.0; n * INPUT_CHANNELS * side * side],
            labels: vec![0; n],
            side,
        };
        batch_tensors(&batch, &device)
    };
    let mut kernels_s = None;
    if compile {
        let start = now_ms();
        let (images, labels) = blank(config.batch_size);
        let (next, figures) = train_step(model, &mut optimizer, config.lr, images, labels);
        model = next;
        read(figures, &backend).await?;
        kernels_s = Some((now_ms() - start) / 1000.0);
    }
    let n = calibration_batch(config);
    // The compiling step already warmed a batch of this size up.
    let warmed = compile && n == config.batch_size;
    let mut seconds = 0.0;
    let steps: &[bool] = if warmed { &[true] } else { &[false, true] };
    for &timed in steps {
        let (images, labels) = blank(n);
        let start = now_ms();
        let (next, figures) = train_step(model, &mut optimizer, config.lr, images, labels);
        model = next;
        read(figures, &backend).await?;
        if timed {
            seconds = (now_ms() - start) / 1000.0;
        }
    }
    Ok(Calibration {
        kernels_s,
        seconds_per_example: seconds / n as f64,
    })
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
    after_warmup: impl FnOnce(),
) -> Result<BenchReport, TrainError> {
    check(config)?;
    if train.is_empty() {
        return Err(TrainError::NoData);
    }
    let backend = format!("{device:?}");
    let device = device.clone().inner().autodiff();
    let mut model = fresh_model(config, &device)?;
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
    let (next, figures) = train_step_measured(
        model,
        &mut optimizer,
        config.lr,
        images,
        labels,
        config.measures_step(0),
    );
    model = next;
    let warmup_loss = read(figures, &backend).await?[0] as f64;
    let warmup_s = (now_ms() - start) / 1000.0;
    after_warmup();

    let start = now_ms();
    let mut final_loss = f64::NAN;
    let mut host_ms = 0.0;
    for step in 0..steps {
        let (images, labels) = batches[(step + 1) % batches.len()].clone();
        let building = now_ms();
        // The warm-up was step 0.
        let measured = config.measures_step(step + 1);
        let (next, figures) = train_step_measured(model, &mut optimizer, config.lr, images, labels, measured);
        host_ms += now_ms() - building;
        model = next;
        if (step + 1) % readback_every == 0 || step + 1 == steps {
            final_loss = read(figures, &backend).await?[0] as f64;
        }
    }
    let seconds = (now_ms() - start) / 1000.0;
    Ok(BenchReport {
        warmup_s,
        examples_per_s: (steps * examples) as f64 / seconds,
        warmup_loss,
        final_loss,
        host_ms_per_step: host_ms / steps as f64,
    })
}
