//! How large each layer's weight gradient is, step by step: the view that
//! shows why a plain deep net stops learning in its first layers and a
//! residual one does not.
//!
//! The norms are computed on the device from the step's own gradients and
//! joined to the step's loss, so a step still waits for the device once.

use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use super::{LayerLabel, WeightedKind};
use crate::model::{Features, LayerModule, Net};
use crate::shape::row_path_text;

/// A layer with weights, in depth order (the order the forward pass runs
/// them), named as the shape table numbers its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedLayer {
    /// The row path (`forward_watched`'s numbering).
    pub path: Vec<usize>,
    /// `3.1 conv 6→16 k5` or `6 linear 400→120`.
    pub name: LayerLabel,
}

/// Every convolution and linear layer of `model`, in depth order.
pub fn weighted_layers(model: &Net) -> Vec<WeightedLayer> {
    let mut layers = vec![];
    model.visit_rows(&mut |path, module| {
        if let Some(kind) = describe(module) {
            layers.push(WeightedLayer {
                path: path.to_vec(),
                name: LayerLabel {
                    row: row_path_text(path),
                    kind,
                },
            });
        }
    });
    layers
}

fn is_weighted(module: &LayerModule) -> bool {
    matches!(module, LayerModule::Conv2d(_) | LayerModule::Linear(_))
}

fn describe(module: &LayerModule) -> Option<WeightedKind> {
    match module {
        LayerModule::Conv2d(conv) => {
            let [out, input, k, _] = conv.weight.dims();
            Some(WeightedKind::Conv { input, out, k })
        }
        LayerModule::Linear(linear) => {
            let [input, out] = linear.weight.dims();
            Some(WeightedKind::Linear { input, out })
        }
        _ => None,
    }
}

/// Flattened first: with a 2-D or 4-D gradient summed whole, Burn's fusion
/// ran the optimiser's update as separate kernels on wgpu (LeNet on
/// lavapipe lost a quarter of its speed; BENCHMARKS.md, "Gradient norms").
fn sum_of_squares(g: Tensor<1>) -> Tensor<1> {
    g.square().sum()
}

/// The squared L2 norm of each weighted layer's weight gradient (biases left
/// out), in `weighted_layers` order, as one tensor on the device; a layer
/// without a gradient counts 0.
pub fn squared_norms(model: &Net, grads: &GradientsParams) -> Tensor<1> {
    let mut norms: Vec<Tensor<1>> = vec![];
    model.visit_rows(&mut |_, module| {
        let norm = match module {
            LayerModule::Conv2d(conv) => Some(
                grads
                    .get::<4>(conv.weight.id)
                    .map(|g| sum_of_squares(g.flatten(0, 3)))
                    .unwrap_or_else(|| Tensor::zeros([1], &conv.weight.device().inner())),
            ),
            LayerModule::Linear(linear) => Some(
                grads
                    .get::<2>(linear.weight.id)
                    .map(|g| sum_of_squares(g.flatten(0, 1)))
                    .unwrap_or_else(|| Tensor::zeros([1], &linear.weight.device().inner())),
            ),
            _ => None,
        };
        norms.extend(norm);
    });
    Tensor::cat(norms, 0)
}

/// Images of the batch whose outputs `OutputSquares` measures.
pub const OUTPUT_SAMPLE: usize = 8;

/// Collects, during a forward pass (`Net::forward_watched`), the mean square
/// of each weighted layer's output over the batch's first
/// `OUTPUT_SAMPLE` images, cut from the graph: how much signal reaches
/// each depth.
pub struct OutputSquares {
    /// The weighted layers' row paths, in `weighted_layers` order.
    paths: Vec<Vec<usize>>,
    seen: Vec<Option<Tensor<1>>>,
}

impl OutputSquares {
    pub fn new(model: &Net) -> OutputSquares {
        // Only the paths: this runs at every measured step, and the names
        // are `weighted_layers`'s, made once a run.
        let mut paths = vec![];
        model.visit_rows(&mut |path, module| {
            if is_weighted(module) {
                paths.push(path.to_vec());
            }
        });
        let seen = vec![None; paths.len()];
        OutputSquares { paths, seen }
    }

    /// `forward_watched`'s closure: keeps the output if `path` is a weighted layer.
    pub fn see(&mut self, path: &[usize], x: &Features) {
        if let Some(i) = self.paths.iter().position(|p| p == path) {
            // The first few images of the batch tell the size well enough,
            // and summing a whole batch's feature maps cost LeNet on
            // lavapipe 14 % of its kernel time.
            let flat = x.clone().detached(false).head(OUTPUT_SAMPLE);
            self.seen[i] = Some(flat.square().mean());
        }
    }

    /// One value per weighted layer (0 for one the pass did not reach).
    pub fn joined(self) -> Tensor<1> {
        let device = self.seen.iter().flatten().next().map(|t| t.device());
        let values: Vec<Tensor<1>> = self
            .seen
            .into_iter()
            .map(|value| {
                value.unwrap_or_else(|| {
                    Tensor::zeros([1], device.as_ref().expect("the pass saw a weighted layer"))
                })
            })
            .collect();
        Tensor::cat(values, 0)
    }
}
