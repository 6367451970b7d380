//! Single layers: each kind's output shape, parameters and
//! multiply-accumulates, or why it cannot take its input.

use super::walk::At;
use super::window::{Window, feature_map};
use super::{Row, ShapeError, ShapeProblem, numel};

/// `nn.Conv2d`: a window per output channel over every input channel.
pub(super) fn conv(at: At, input: &[usize], out_channels: usize, window: Window) -> Result<Row, ShapeError> {
    if out_channels == 0 {
        return Err(at.error(ShapeProblem::NoOutputChannels));
    }
    let output = window.output(input, &at.path, Some(out_channels))?;
    let (c_in, c_out, k) = (input[1] as u64, out_channels as u64, window.kernel as u64);
    let params = c_out * c_in * k * k + c_out;
    let macs = numel(&output) * c_in * k * k;
    Ok(at.leaf(input, output, params, macs))
}

/// `nn.Linear` on a flat `[N, F]` input.
pub(super) fn linear(at: At, input: &[usize], out_features: usize) -> Result<Row, ShapeError> {
    let &[n, features] = input else {
        return Err(at.error(ShapeProblem::NotFlat {
            input: input.to_vec(),
        }));
    };
    if out_features == 0 {
        return Err(at.error(ShapeProblem::NoOutputFeatures));
    }
    let output = vec![n, out_features];
    let (f_in, f_out) = (features as u64, out_features as u64);
    Ok(at.leaf(input, output, f_in * f_out + f_out, n as u64 * f_in * f_out))
}

/// `nn.BatchNorm1d` or `nn.BatchNorm2d`: a scale and a shift per channel.
pub(super) fn batch_norm(at: At, input: &[usize], eps: f64, momentum: f64) -> Result<Row, ShapeError> {
    if !(eps.is_finite() && eps > 0.0 && eps <= 1.0) {
        return Err(at.error(ShapeProblem::BadEps { eps }));
    }
    if !(0.0..=1.0).contains(&momentum) {
        return Err(at.error(ShapeProblem::BadMomentum { momentum }));
    }
    if input.len() != 2 && input.len() != 4 {
        return Err(at.error(ShapeProblem::NotBatchNormInput {
            input: input.to_vec(),
        }));
    }
    let params = 2 * input[1] as u64;
    Ok(at.leaf(input, input.to_vec(), params, numel(input)))
}

/// `nn.Dropout`: the shape as it came, for a probability from 0 to below 1.
pub(super) fn dropout(at: At, input: &[usize], prob: f64) -> Result<Row, ShapeError> {
    if !(0.0..1.0).contains(&prob) {
        return Err(at.error(ShapeProblem::BadDropout { prob }));
    }
    Ok(elementwise(at, input))
}

/// An activation (or dropout): the shape as it came, no weights.
pub(super) fn elementwise(at: At, input: &[usize]) -> Row {
    at.leaf(input, input.to_vec(), 0, 0)
}

/// `nn.MaxPool2d`.
pub(super) fn max_pool(at: At, input: &[usize], window: Window) -> Result<Row, ShapeError> {
    if 2 * window.padding > window.kernel {
        return Err(at.error(ShapeProblem::PoolPadding));
    }
    let output = window.output(input, &at.path, None)?;
    Ok(at.leaf(input, output, 0, 0))
}

/// `nn.AvgPool2d`.
pub(super) fn avg_pool(at: At, input: &[usize], window: Window) -> Result<Row, ShapeError> {
    let output = window.output(input, &at.path, None)?;
    Ok(at.leaf(input, output, 0, 0))
}

/// `nn.AdaptiveAvgPool2d((1, 1))`: one value per channel.
pub(super) fn global_avg_pool(at: At, input: &[usize]) -> Result<Row, ShapeError> {
    let [n, c, _, _] = feature_map(input, &at.path)?;
    Ok(at.leaf(input, vec![n, c, 1, 1], 0, 0))
}

/// `nn.Flatten`: everything after the batch axis in one.
pub(super) fn flatten(at: At, input: &[usize]) -> Result<Row, ShapeError> {
    if input.len() < 2 {
        return Err(at.error(ShapeProblem::NoAxisToFlatten {
            input: input.to_vec(),
        }));
    }
    let output = vec![input[0], input[1..].iter().product()];
    Ok(at.leaf(input, output, 0, 0))
}
