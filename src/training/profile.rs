//! Where a training step's time goes, layer by layer: each top-level row of
//! the table run on its own, forward and forward + backward, on the real
//! device, reading back one value (so that little but the layer is timed;
//! a layer on its own fuses less with its neighbours than in a whole step). For the benchmark page (`mode=profile`) and `cnnp bench
//! --profile`; on WebGPU in a browser there is no kernel profiler, and this
//! is what tells which layers a software renderer struggles with.

use burn::tensor::{Device, Distribution, Tensor};

use super::run::{init_model, read};
use super::{LayerTime, TrainConfig, TrainError};
use crate::model::Features;

/// Times every top-level layer of `config`'s net on random inputs of the
/// configured batch: `reps` runs of each after one that compiles.
pub async fn profile_layers(
    config: &TrainConfig,
    device: &Device,
    reps: usize,
    now_ms: impl Fn() -> f64,
) -> Result<Vec<LayerTime>, TrainError> {
    let backend = format!("{device:?}");
    let device = device.clone().inner().autodiff();
    let model = init_model(config, &device).map_err(TrainError::Net)?;
    let input = config.net.input_shape(config.batch_size, config.resize);
    let table = config.shape_table(config.batch_size).map_err(TrainError::Net)?;
    let reps = reps.max(1);
    let mut x = Features::Map(Tensor::<4>::random(input, Distribution::Default, &device));
    let mut times = Vec::with_capacity(model.layers.len());
    for (index, (layer, row)) in model.layers.iter().zip(&table.rows).enumerate() {
        // The images need no gradient in training; every later input does.
        let input = x.clone().detached(index > 0);
        let forward_backward = || {
            let grads = layer.forward(input.clone()).first().backward();
            // One value that depends on the whole backward pass.
            match &input {
                Features::Map(x) => x.grad(&grads).map(|g| Features::Map(g).first()),
                Features::Flat(x) => x.grad(&grads).map(|g| Features::Flat(g).first()),
            }
            .unwrap_or_else(|| Tensor::<1>::zeros([1], &device))
        };
        read(forward_backward(), &backend).await?;

        let start = now_ms();
        let mut last = None;
        for _ in 0..reps {
            last = Some(layer.forward(input.clone()).first());
        }
        read(last.expect("one repetition"), &backend).await?;
        let forward_ms = (now_ms() - start) / reps as f64;

        let start = now_ms();
        let mut last = None;
        for _ in 0..reps {
            last = Some(forward_backward());
        }
        read(last.expect("one repetition"), &backend).await?;
        let both_ms = (now_ms() - start) / reps as f64;

        times.push(LayerTime {
            layer: format!("{} {}", row.name, row.settings).trim().to_string(),
            forward_ms,
            backward_ms: (both_ms - forward_ms).max(0.0),
        });
        x = layer.forward(x.detached(false));
    }
    Ok(times)
}
