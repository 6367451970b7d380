//! One convolution or fully connected layer run twice, Burn's on the CPU
//! backend and ours on a device, compared value by value: output, input
//! gradient, weight gradient and bias gradient, relative to the size of
//! each sum (the sum of the
//! absolute values of its terms: two f32 sums of thousands of terms in
//! different orders differ by more than 1e-4 of their result when the terms
//! cancel).

use burn::module::Param;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Tensor};
use cnn_playground::backend;
use cnn_playground::kernels;

use super::numeric::{Difference, random, values};

pub type Case = cnn_playground::shape::ConvCase;

/// Multiply-adds one case may cost (per pass), so that a whole file of
/// them runs in a minute or two on a software Vulkan driver.
const MAX_MACS: u64 = 150_000_000;

/// Multiply-adds of one pass of `case` for one example.
pub fn macs(case: Case) -> u64 {
    let (k, s, p) = (case.kernel, case.stride, case.padding);
    let out = |size: usize| ((size + 2 * p - k) / s + 1) as u64;
    (case.in_channels * case.out_channels * k * k) as u64 * out(case.height) * out(case.width)
}

/// What one convolution gives: output, input/weight/bias gradients of
/// `sum(output × weighting)`.
struct Results {
    output: Vec<f32>,
    input_grad: Vec<f32>,
    weight_grad: Vec<f32>,
    bias_grad: Vec<f32>,
}

/// Whose convolution runs.
#[derive(Clone, Copy, PartialEq)]
enum Whose {
    /// Burn's `Conv2d::forward` and autodiff's backward.
    Burns,
    /// `kernels::conv2d`: ours on the cube backend and on the CPU.
    Ours,
}

/// `absolute`: every input, weight and output weighting made positive, so
/// that each result is the sum of the absolute values of its terms.
fn run(case: Case, batch: usize, device: &Device, seed: u64, absolute: bool, whose: Whose) -> Results {
    let fold = |t: Tensor<4>| if absolute { t.abs() } else { t };
    let Case {
        in_channels: ci,
        out_channels: co,
        height: h,
        width: w,
        kernel: k,
        stride: s,
        padding: p,
    } = case;
    let device = device.clone().autodiff();
    let mut conv: Conv2d = Conv2dConfig::new([ci, co], [k, k])
        .with_stride([s, s])
        .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
        .init(&device);
    // The same weights and bias on both devices, from the host.
    let weight = fold(Tensor::<4>::from_data(random([co, ci, k, k], seed + 1), &device))
        .detach()
        .require_grad();
    let bias = fold(Tensor::<4>::from_data(random([1, 1, 1, co], seed + 2), &device))
        .reshape([co])
        .detach()
        .require_grad();
    conv.weight = Param::from_tensor(weight);
    conv.bias = Some(Param::from_tensor(bias));
    let x = fold(Tensor::<4>::from_data(random([batch, ci, h, w], seed), &device))
        .detach()
        .require_grad();
    let y = match whose {
        Whose::Burns => conv.forward(x.clone()),
        Whose::Ours => kernels::conv2d(&conv, x.clone()),
    };
    let weighting = fold(Tensor::<4>::from_data(random(y.dims(), seed + 3), &device));
    let grads = (y.clone() * weighting).sum().backward();
    let bias = conv.bias.as_ref().expect("a bias").val();
    Results {
        output: values(y.detach()),
        input_grad: values(x.grad(&grads).expect("an input gradient")),
        weight_grad: values(conv.weight.val().grad(&grads).expect("a weight gradient")),
        bias_grad: values(bias.grad(&grads).expect("a bias gradient")),
    }
}

/// Where our convolution on `device` differs from Burn's on the CPU by
/// more than `tolerance` of the sums: one line per result that does.
pub fn differences(case: Case, batch: usize, device: &Device, tolerance: f32) -> Vec<String> {
    let seed = 7 + batch as u64;
    let cpu = backend::cpu();
    let burns = run(case, batch, &cpu, seed, false, Whose::Burns);
    let ours = run(case, batch, device, seed, false, Whose::Ours);
    let scale = run(case, batch, &cpu, seed, true, Whose::Burns);
    compare(&burns, &ours, &scale, tolerance)
        .into_iter()
        .map(|problem| format!("{case:?} batch {batch}: {problem}"))
        .collect()
}

/// Each result of `ours` that differs from `burns` by more than
/// `tolerance` of `scale`, the sums of absolute values.
fn compare(burns: &Results, ours: &Results, scale: &Results, tolerance: f32) -> Vec<String> {
    [
        ("output", &burns.output, &ours.output, &scale.output),
        (
            "input gradient",
            &burns.input_grad,
            &ours.input_grad,
            &scale.input_grad,
        ),
        (
            "weight gradient",
            &burns.weight_grad,
            &ours.weight_grad,
            &scale.weight_grad,
        ),
        (
            "bias gradient",
            &burns.bias_grad,
            &ours.bias_grad,
            &scale.bias_grad,
        ),
    ]
    .into_iter()
    .filter_map(|(what, expected, actual, scale)| {
        let difference = Difference::relative_to_sums(expected, actual, scale);
        difference
            .exceeds(tolerance)
            .then(|| format!("{what} differs by {difference}"))
    })
    .collect()
}

/// The largest batch up to 256 that keeps a case within [`MAX_MACS`].
pub fn large_batch(case: Case) -> usize {
    [256, 64, 16, 4, 2]
        .into_iter()
        .find(|&n| n as u64 * macs(case) <= MAX_MACS)
        .unwrap_or(1)
}

/// A fully connected layer `inputs → outputs` on a batch: output, input,
/// weight and bias gradients of `sum(output × weighting)`.
fn run_linear(
    (batch, inputs, outputs): (usize, usize, usize),
    device: &Device,
    absolute: bool,
    whose: Whose,
) -> Results {
    let device = device.clone().autodiff();
    let fold = |t: Tensor<4>| if absolute { t.abs() } else { t };
    let mut linear: Linear = LinearConfig::new(inputs, outputs).init(&device);
    let weight = fold(Tensor::<4>::from_data(
        random([1, 1, inputs, outputs], 21),
        &device,
    ))
    .reshape([inputs, outputs])
    .detach()
    .require_grad();
    let bias = fold(Tensor::<4>::from_data(random([1, 1, 1, outputs], 22), &device))
        .reshape([outputs])
        .detach()
        .require_grad();
    linear.weight = Param::from_tensor(weight);
    linear.bias = Some(Param::from_tensor(bias));
    let x = fold(Tensor::<4>::from_data(random([1, 1, batch, inputs], 23), &device))
        .reshape([batch, inputs])
        .detach()
        .require_grad();
    let y = match whose {
        Whose::Burns => linear.forward(x.clone()),
        Whose::Ours => kernels::linear(&linear, x.clone()),
    };
    let weighting = fold(Tensor::<4>::from_data(
        random([1, 1, batch, outputs], 24),
        &device,
    ))
    .reshape([batch, outputs]);
    let grads = (y.clone() * weighting).sum().backward();
    let bias = linear.bias.as_ref().expect("a bias").val();
    Results {
        output: values(y.detach()),
        input_grad: values(x.grad(&grads).expect("an input gradient")),
        weight_grad: values(linear.weight.val().grad(&grads).expect("a weight gradient")),
        bias_grad: values(bias.grad(&grads).expect("a bias gradient")),
    }
}

/// Where our fully connected layer `(batch, inputs, outputs)` on `device`
/// differs from Burn's on the CPU by more than `tolerance` of the sums.
pub fn linear_differences(shape: (usize, usize, usize), device: &Device, tolerance: f32) -> Vec<String> {
    let cpu = backend::cpu();
    let burns = run_linear(shape, &cpu, false, Whose::Burns);
    let ours = run_linear(shape, device, false, Whose::Ours);
    let scale = run_linear(shape, &cpu, true, Whose::Burns);
    let (batch, inputs, outputs) = shape;
    compare(&burns, &ours, &scale, tolerance)
        .into_iter()
        .map(|problem| format!("{batch}×{inputs}→{outputs}: {problem}"))
        .collect()
}
