//! Steps on their own, timed: `prepare` (before a run, for the page's
//! time estimate) and `bench`.

use burn::tensor::{Device, Int, Tensor};

use super::super::{BenchReport, Calibration, TrainConfig};
use super::{
    TrainError, batch_tensors, check, fresh_model, optimizer, read, train_step, train_step_measured,
};
use crate::data::{Batch, Dataset, Resize, epoch_order};

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
            images: vec![0.0; n * config.net.in_channels() * side * side],
            channels: config.net.in_channels(),
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

/// The distinct batches `bench` uses in turn: the warm-up's, then one per
/// step up to four; on `device` before any timing.
fn bench_batches(
    config: &TrainConfig,
    train: &Dataset,
    device: &Device,
    steps: usize,
) -> Vec<(Tensor<4>, Tensor<1, Int>)> {
    let resize = Resize::to(config.resize);
    let order = epoch_order(train.len(), config.seed, 1);
    order
        .chunks(config.batch_size)
        .take(steps.clamp(1, 4) + 1)
        .map(|chunk| batch_tensors(&train.batch(chunk, &resize), device))
        .collect()
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
    // A few distinct batches, uploaded before timing, used in turn.
    let batches = bench_batches(config, train, &device, steps);
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
