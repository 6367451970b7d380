//! Training on Burn: one step, the book's `train_ch6` (the loop itself in
//! `epochs`), `evaluate`, and timed steps (`timing`: `prepare`, `bench`).

mod epochs;
mod timing;

pub use timing::{bench, calibration_batch, prepare};

use burn::module::Module;
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::{Confusion, Ending, EpochReport, Host, OptimizerKind, TrainConfig, TrainError};
use crate::data::{Batch, Dataset, Resize};
use crate::model::Net;
use crate::shape::ShapeError;

/// A finished (or stopped) run: the model, one report per completed epoch.
pub struct Outcome {
    pub model: Net,
    pub history: Vec<EpochReport>,
    pub ending: Ending,
}

/// Sends one batch to `device`: images `[N, C, S, S]`, labels `[N]`.
pub fn batch_tensors(batch: &Batch, device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
    let n = batch.len();
    let images = Tensor::<4>::from_data(
        TensorData::new(batch.images.clone(), [n, batch.channels, batch.side, batch.side]),
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
    init_model(config, device).map_err(TrainError::Net)
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
    let mut classes = 0;
    for chunk in indices.chunks(batch_size) {
        let (images, labels) = batch_tensors(&data.batch(chunk, resize), &device);
        let logits = model.forward(images);
        classes = logits.dims()[1];
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
        classes,
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
    epochs::train_model(model, config, &train, &test, &device, backend, host).await
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
