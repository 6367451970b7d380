//! What each single layer's explanation reads, and how it is put together
//! once read: a convolution's windows and kernels, a pooling window, a
//! batch norm channel and its statistics, a dense layer's inputs and
//! weights, one value for an activation or a flattening.

use burn::nn::conv::Conv2d;
use burn::nn::{BatchNorm, Linear, PaddingConfig2d};
use burn::tensor::Tensor;

use super::explainer::{Build, plain, select};
use super::fetch::{Fetch, Handle};
use super::values::NormFrame;
use super::windows::{ConvFrame, Placement, PoolFrame};
use super::{ConvSum, DenseSum, ElementKind, Elementwise, ExplainMode, Flattened, How, Normalised};
use super::{PoolKind, PoolWindow, Position};
use crate::model::Features;

/// The zero padding on each side (our layers pad all sides alike).
pub(super) fn padding_of(padding: &PaddingConfig2d) -> usize {
    match padding {
        PaddingConfig2d::Explicit(top, ..) => *top,
        _ => 0,
    }
}

/// The rows and columns of `input` a window covers, every channel in
/// `channels`: what its windows are made from.
fn region(
    input: Tensor<4>,
    channels: std::ops::Range<usize>,
    place: &Placement,
    fetch: &mut Fetch,
) -> Handle {
    let (rows, cols) = (place.rows(), place.cols());
    fetch.add(input.slice([0..1, channels, rows, cols]))
}

/// The output's height and width.
fn out_side(out: &[usize]) -> [usize; 2] {
    [out[2], out[3]]
}

pub(super) fn conv(conv: &Conv2d, input: Tensor<4>, out: &[usize], at: Position, fetch: &mut Fetch) -> Build {
    let [_, in_channels, h, w] = input.dims();
    let [out_channels, _, kh, kw] = conv.weight.dims();
    let (stride, padding) = (conv.stride[0], padding_of(&conv.padding));
    let place = Placement::new(at.y, at.x, stride, padding, [kh, kw], [h, w]);
    let windows = region(input, 0..in_channels, &place, fetch);
    let kernels = fetch.add(conv.weight.val().narrow(0, at.channel, 1));
    let bias = conv
        .bias
        .as_ref()
        .map(|bias| fetch.add(bias.val().narrow(0, at.channel, 1)));
    let frame = ConvFrame {
        out_channel: at.channel,
        out_channels,
        stride,
        padding,
        place,
        out: out_side(out),
    };
    plain(move |f| {
        let windows = place.windows(f.get(windows), in_channels);
        let bias = bias.map_or(0.0, |bias| f.one(bias));
        How::Conv(ConvSum::compute(frame, &windows, f.get(kernels), bias))
    })
}

/// A pooling layer's window: its kind, size, stride and padding.
pub(super) struct PoolSpec {
    pub kind: PoolKind,
    pub kernel: [usize; 2],
    pub stride: usize,
    pub padding: usize,
}

pub(super) fn pool(
    spec: PoolSpec,
    input: Tensor<4>,
    out: &[usize],
    at: Position,
    fetch: &mut Fetch,
) -> Build {
    let [_, _, h, w] = input.dims();
    let (kernel, stride, padding) = match spec.kind {
        PoolKind::GlobalAvg => ([h, w], 1, 0),
        _ => (spec.kernel, spec.stride, spec.padding),
    };
    let place = Placement::new(at.y, at.x, stride, padding, kernel, [h, w]);
    let window = region(input, at.channel..at.channel + 1, &place, fetch);
    let frame = PoolFrame {
        kind: spec.kind,
        channel: at.channel,
        stride,
        padding,
        place,
        out: out_side(out),
    };
    plain(move |f| {
        let (window, padding) = place.windows(f.get(window), 1).remove(0);
        How::Pool(PoolWindow::compute(frame, window, padding))
    })
}

pub(super) fn batch_norm(
    bn: &BatchNorm,
    input: Features,
    at: Position,
    mode: ExplainMode,
    fetch: &mut Fetch,
) -> Build {
    let c = at.channel;
    let flat = matches!(input, Features::Flat(_));
    let x = fetch.add(select(input.clone(), at));
    let channel = match input {
        Features::Map(map) => fetch.add(map.narrow(1, c, 1)),
        Features::Flat(flat) => fetch.add(flat.narrow(1, c, 1)),
    };
    let one = |tensor: Tensor<1>, fetch: &mut Fetch| fetch.add(tensor.narrow(0, c, 1));
    let gamma = one(bn.gamma.val(), fetch);
    let beta = one(bn.beta.val(), fetch);
    // The statistics before this pass's step (in training mode the pass
    // has one pending, which `value` does not show yet).
    let running_mean = one(bn.running_mean.value(), fetch);
    let running_var = one(bn.running_var.value(), fetch);
    let (eps, momentum) = (bn.epsilon, bn.momentum);
    plain(move |f| {
        let frame = NormFrame {
            channel: c,
            flat,
            gamma: f.one(gamma),
            beta: f.one(beta),
            running_mean: f.one(running_mean),
            running_var: f.one(running_var),
            eps,
            momentum,
            mode,
        };
        How::BatchNorm(Normalised::compute(frame, f.get(channel), f.one(x)))
    })
}

pub(super) fn dense(linear: &Linear, input: Tensor<2>, at: Position, fetch: &mut Fetch) -> Build {
    let inputs = fetch.add(input);
    // Burn's layout: `[inputs, outputs]`.
    let weights = fetch.add(linear.weight.val().narrow(1, at.channel, 1));
    let bias = linear
        .bias
        .as_ref()
        .map(|bias| fetch.add(bias.val().narrow(0, at.channel, 1)));
    plain(move |f| {
        let bias = bias.map_or(0.0, |bias| f.one(bias));
        How::Dense(DenseSum::compute(at.channel, f.get(inputs), f.get(weights), bias))
    })
}

pub(super) fn elementwise(
    kind: ElementKind,
    input: Features,
    value: Handle,
    at: Position,
    mode: ExplainMode,
    fetch: &mut Fetch,
) -> Build {
    let input = fetch.add(select(input, at));
    plain(move |f| How::Elementwise(Elementwise::compute(kind, f.one(input), mode, f.one(value))))
}

pub(super) fn flatten(input: Features, at: Position, fetch: &mut Fetch) -> Build {
    let from = Flattened::source(at.channel, &input.dims());
    let input = fetch.add(select(input, from));
    plain(move |f| {
        How::Flatten(Flattened {
            index: at.channel,
            from,
            input: f.one(input),
        })
    })
}
