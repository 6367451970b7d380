//! Our convolution kernels (src/kernels) on wgpu agree with Burn's
//! convolution on the CPU backend: output, input gradient, weight gradient
//! and bias gradient, within 1e-4 relative to the size of the sum (the sum
//! of the absolute values of its terms: two f32 sums of thousands of terms
//! in different orders differ by more than 1e-4 of their result when the
//! terms cancel), on every
//! convolution of the eight nets at the sizes they train at, and on each
//! of their settings at an odd, non-square size. Batch 1 everywhere; a
//! large batch (256 where it costs little, less for the big layers) too.
//!
//! Natively wgpu needs a Vulkan driver (lavapipe without a GPU; the test
//! scripts install it).
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use burn::module::Param;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::tensor::{Device, Tensor};
use cnn_playground::backend;
use cnn_playground::kernels;
use common::numeric::{Difference, random, values};

mod common;

const TOLERANCE: f32 = 1e-4;

/// Multiply-adds one case may cost (per pass), so that the whole file runs
/// in a minute or two on a software Vulkan driver.
const MAX_MACS: u64 = 150_000_000;

fn wgpu() -> Device {
    backend::wgpu().unwrap_or_else(|e| panic!("{e}: install a Vulkan driver (Debian: mesa-vulkan-drivers)"))
}

type Case = cnn_playground::shape::ConvCase;

fn macs(case: Case) -> u64 {
    let (k, s, p) = (case.kernel, case.stride, case.padding);
    let out = |size: usize| ((size + 2 * p - k) / s + 1) as u64;
    (case.in_channels * case.out_channels * k * k) as u64 * out(case.height) * out(case.width)
}

/// What one convolution gives on `device`: output, input/weight/bias
/// gradients of `sum(output × weighting)`.
struct Results {
    output: Vec<f32>,
    input_grad: Vec<f32>,
    weight_grad: Vec<f32>,
    bias_grad: Vec<f32>,
}

/// `absolute`: every input, weight and output weighting made positive, so
/// that each result is the sum of the absolute values of its terms.
fn run(case: Case, batch: usize, device: &Device, seed: u64, absolute: bool) -> Results {
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
    let y = kernels::conv2d(&conv, x.clone());
    let weighting = fold(Tensor::<4>::from_data(random(y.dims(), seed + 3), &device));
    let grads = (y.clone() * weighting).sum().backward();
    Results {
        output: values(y.detach()),
        input_grad: values(x.grad(&grads).expect("an input gradient")),
        weight_grad: values(conv.weight.val().grad(&grads).expect("a weight gradient")),
        bias_grad: values(
            conv.bias
                .as_ref()
                .unwrap()
                .val()
                .grad(&grads)
                .expect("a bias gradient"),
        ),
    }
}

fn check(case: Case, batch: usize, failures: &mut Vec<String>) {
    let seed = 7 + batch as u64;
    let cpu = run(case, batch, &backend::cpu(), seed, false);
    let gpu = run(case, batch, &wgpu(), seed, false);
    let scale = run(case, batch, &backend::cpu(), seed, true);
    for (what, expected, actual, scale) in [
        ("output", &cpu.output, &gpu.output, &scale.output),
        (
            "input gradient",
            &cpu.input_grad,
            &gpu.input_grad,
            &scale.input_grad,
        ),
        (
            "weight gradient",
            &cpu.weight_grad,
            &gpu.weight_grad,
            &scale.weight_grad,
        ),
        ("bias gradient", &cpu.bias_grad, &gpu.bias_grad, &scale.bias_grad),
    ] {
        let difference = Difference::relative_to_sums(expected, actual, scale);
        if difference.exceeds(TOLERANCE) {
            failures.push(format!("{case:?} batch {batch}: {what} differs by {difference}"));
        }
    }
}

/// The largest batch up to 256 that keeps a case within [`MAX_MACS`].
fn large_batch(case: Case) -> usize {
    [256, 64, 16, 4, 2]
        .into_iter()
        .find(|&n| n as u64 * macs(case) <= MAX_MACS)
        .unwrap_or(1)
}

#[test]
fn every_book_convolution_agrees_with_burns_on_the_cpu() {
    let mut failures = Vec::new();
    let cases = cnn_playground::shape::book_convolutions();
    for &case in &cases {
        check(case, 1, &mut failures);
        let batch = large_batch(case);
        if batch > 1 {
            check(case, batch, &mut failures);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_setting_agrees_at_odd_non_square_sizes() {
    // Odd, unequal sides a few pixels past the kernel: windows that do
    // not tile the input, padding on every border.
    let cases: BTreeSet<Case> = cnn_playground::shape::book_convolutions()
        .into_iter()
        .map(|case| Case {
            height: case.kernel + 4,
            width: case.kernel + 6,
            ..case
        })
        .collect();
    let mut failures = Vec::new();
    for case in cases {
        check(case, 3, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lenet_at_batch_256_agrees() {
    // LeNet's two convolutions at the batch the book trains with.
    let mut failures = Vec::new();
    let conv1 = Case {
        in_channels: 1,
        out_channels: 6,
        height: 28,
        width: 28,
        kernel: 5,
        stride: 1,
        padding: 2,
    };
    let conv2 = Case {
        in_channels: 6,
        out_channels: 16,
        height: 14,
        width: 14,
        kernel: 5,
        stride: 1,
        padding: 0,
    };
    check(conv1, 256, &mut failures);
    check(conv2, 256, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn channel_counts_that_are_not_a_block_multiple_agree() {
    // Blocks of MAX_CHANNEL_BLOCK channels with a partial last block, on
    // both the output side (forward, weight gradient) and the input side
    // (input gradient); strides 2 and 4 with padding.
    let block = kernels::MAX_CHANNEL_BLOCK;
    let mut failures = Vec::new();
    let partial = Case {
        in_channels: block + 3,
        out_channels: 2 * block + 1,
        height: 9,
        width: 11,
        kernel: 3,
        stride: 2,
        padding: 1,
    };
    check(partial, 2, &mut failures);
    // Wide layers' blocks of 16, with a partial last block.
    let wide = Case {
        in_channels: kernels::WIDE_LAYER + 5,
        out_channels: kernels::WIDE_LAYER + 9,
        height: 7,
        width: 5,
        kernel: 3,
        stride: 1,
        padding: 1,
    };
    check(wide, 2, &mut failures);
    let strided = Case {
        in_channels: 3,
        out_channels: 5,
        height: 21,
        width: 19,
        kernel: 11,
        stride: 4,
        padding: 2,
    };
    check(strided, 2, &mut failures);
    let one_by_one = Case {
        in_channels: block + 1,
        out_channels: 7,
        height: 6,
        width: 5,
        kernel: 1,
        stride: 1,
        padding: 0,
    };
    check(one_by_one, 2, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Average pooling: output and input gradient of our kernels on wgpu
/// against Burn's pooling on the CPU, for LeNet's and DenseNet's 2×2
/// windows on even and odd sizes, and an overlapping 3×3 window.
#[test]
fn average_pooling_agrees_with_burns_on_the_cpu() {
    use burn::nn::pool::AvgPool2dConfig;
    let mut failures = Vec::new();
    for (shape, kernel, stride) in [
        ([256, 6, 28, 28], 2, 2),
        ([3, 5, 11, 9], 2, 2),
        ([2, 3, 12, 7], 3, 2),
    ] {
        let run = |device: &Device, absolute: bool| {
            let device = device.clone().autodiff();
            let pool = AvgPool2dConfig::new([kernel, kernel])
                .with_strides([stride, stride])
                .init();
            let fold = |t: Tensor<4>| if absolute { t.abs() } else { t };
            let x = fold(Tensor::<4>::from_data(random(shape, 11), &device))
                .detach()
                .require_grad();
            let y = kernels::avg_pool2d(&pool, x.clone());
            let weighting = fold(Tensor::<4>::from_data(random(y.dims(), 12), &device));
            let grads = (y.clone() * weighting).sum().backward();
            (
                values(y.detach()),
                values(x.grad(&grads).expect("an input gradient")),
            )
        };
        let (cpu_out, cpu_grad) = run(&backend::cpu(), false);
        let (gpu_out, gpu_grad) = run(&wgpu(), false);
        let (scale_out, scale_grad) = run(&backend::cpu(), true);
        for (what, e, a, s) in [
            ("output", &cpu_out, &gpu_out, &scale_out),
            ("input gradient", &cpu_grad, &gpu_grad, &scale_grad),
        ] {
            let difference = Difference::relative_to_sums(e, a, s);
            if difference.exceeds(TOLERANCE) {
                failures.push(format!(
                    "{shape:?} k{kernel} s{stride}: {what} differs by {difference}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Fully connected layers: output, input, weight and bias gradients of our
/// kernels on wgpu against Burn's `Linear` on the CPU, for LeNet's three at
/// batch 256, a batch of 1, and sizes that are no multiple of the tile.
#[test]
fn linear_layers_agree_with_burns_on_the_cpu() {
    use burn::nn::{Linear, LinearConfig};
    let mut failures = Vec::new();
    for (batch, inputs, outputs) in [
        (256, 400, 120),
        (256, 120, 84),
        (256, 84, 10),
        (1, 6400, 4096),
        (13, 7, 9),
    ] {
        let run = |device: &Device, absolute: bool| {
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
            let y = kernels::linear(&linear, x.clone());
            let weighting = fold(Tensor::<4>::from_data(
                random([1, 1, batch, outputs], 24),
                &device,
            ))
            .reshape([batch, outputs]);
            let grads = (y.clone() * weighting).sum().backward();
            [
                values(y.detach()),
                values(x.grad(&grads).unwrap()),
                values(linear.weight.val().grad(&grads).unwrap()),
                values(linear.bias.as_ref().unwrap().val().grad(&grads).unwrap()),
            ]
        };
        let cpu = run(&backend::cpu(), false);
        let gpu = run(&wgpu(), false);
        let scale = run(&backend::cpu(), true);
        for (i, what) in ["output", "input gradient", "weight gradient", "bias gradient"]
            .iter()
            .enumerate()
        {
            let difference = Difference::relative_to_sums(&cpu[i], &gpu[i], &scale[i]);
            if difference.exceeds(TOLERANCE) {
                failures.push(format!(
                    "{batch}×{inputs}→{outputs}: {what} differs by {difference}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
