//! Looking inside a net (the book's `predict_ch3`, CNN Explainer's maps):
//! what one row of the shape table outputs for one image, the class
//! probabilities, and a convolution's filters, read back in one wait.

use burn::module::Module;
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor};

use super::TrainError;
use super::run::read;
use crate::model::{Features, LayerModule, Net};

/// Of a deeper convolution's filters, the kernels over this many of its
/// first input channels are shown (every kernel of the first one, which
/// has a single input channel).
pub const FILTER_INPUTS_SHOWN: usize = 8;

/// What a net makes of one image.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    /// The row path (`ShapeTable::row_at`); empty when no row was asked for.
    pub layer: Vec<usize>,
    /// That row's output shape for the one image (`[1, C, H, W]` or
    /// `[1, F]`), empty when no row was asked for.
    pub shape: Vec<usize>,
    /// The output itself, row-major.
    pub values: Vec<f32>,
    /// The ten class probabilities (softmax of the logits).
    pub probabilities: Vec<f32>,
    /// For a convolution's row: its weights.
    pub filters: Option<Filters>,
}

/// A convolution's weights, `[out channels, inputs shown, k, k]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    pub shape: [usize; 4],
    /// How many input channels the convolution has (`shape[1]` of them are shown).
    pub in_channels: usize,
    pub values: Vec<f32>,
}

/// One channel's range and mean (a flat layer counts as one channel).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelStats {
    pub min: f32,
    pub max: f32,
    pub mean: f32,
}

impl Look {
    /// Per channel of a feature map; the whole output for a flat layer.
    pub fn channel_stats(&self) -> Vec<ChannelStats> {
        let per_channel = match self.shape[..] {
            [_, _, h, w] => h * w,
            _ => self.values.len(),
        };
        self.values
            .chunks(per_channel.max(1))
            .map(|channel| {
                let (min, max, sum) = channel
                    .iter()
                    .fold((f32::INFINITY, f32::NEG_INFINITY, 0.0f64), |(lo, hi, sum), &v| {
                        (lo.min(v), hi.max(v), sum + v as f64)
                    });
                ChannelStats {
                    min,
                    max,
                    mean: (sum / channel.len() as f64) as f32,
                }
            })
            .collect()
    }

    /// The most probable class.
    pub fn predicted(&self) -> usize {
        self.probabilities
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(class, _)| class)
    }
}

/// Runs `model` in eval mode on one image (`[1, 1, S, S]` on `device`)
/// and reads back the output of the row at `layer` (none when empty), the
/// probabilities and, for a convolution, its filters.
pub async fn look_inside(
    model: &Net,
    image: Tensor<4>,
    layer: &[usize],
    backend: &str,
) -> Result<Look, TrainError> {
    let model = model.valid();
    let mut output: Option<Features> = None;
    let logits = model.forward_watched(image, &mut |path, features| {
        if path == layer {
            output = Some(features.clone());
        }
    });
    let classes = logits.dims()[1];
    let probabilities = softmax(logits, 1).flatten::<1>(0, 1);
    let (shape, values) = match output {
        Some(Features::Map(x)) => (x.dims().to_vec(), Some(x.flatten::<1>(0, 3))),
        Some(Features::Flat(x)) => (x.dims().to_vec(), Some(x.flatten::<1>(0, 1))),
        None if layer.is_empty() => (vec![], None),
        None => return Err(TrainError::NoRow { row: layer.to_vec() }),
    };
    let filters = match model.at(layer) {
        Some(LayerModule::Conv2d(conv)) if !layer.is_empty() => {
            let weight = conv.weight.val();
            let [out, in_channels, kh, kw] = weight.dims();
            let shown = in_channels.min(FILTER_INPUTS_SHOWN);
            let weight = weight.narrow(1, 0, shown).flatten::<1>(0, 3);
            Some(([out, shown, kh, kw], in_channels, weight))
        }
        _ => None,
    };
    // One readback for all three: on WebGPU each is a wait.
    let mut parts = vec![probabilities];
    parts.extend(values);
    parts.extend(filters.as_ref().map(|(_, _, weight)| weight.clone()));
    let all = read(Tensor::cat(parts, 0), backend).await?;
    let (probabilities, rest) = all.split_at(classes);
    let numel: usize = match shape.is_empty() {
        true => 0,
        false => shape.iter().product(),
    };
    let (values, weights) = rest.split_at(numel);
    Ok(Look {
        layer: layer.to_vec(),
        shape,
        values: values.to_vec(),
        probabilities: probabilities.to_vec(),
        filters: filters.map(|(shape, in_channels, _)| Filters {
            shape,
            in_channels,
            values: weights.to_vec(),
        }),
    })
}

/// The image tensor `[1, 1, S, S]` for `look_inside`, from a batch of one.
pub fn image_tensor(batch: &crate::data::Batch, device: &Device) -> Tensor<4> {
    super::run::batch_tensors(batch, &device.clone().inner()).0
}
