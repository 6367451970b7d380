//! Our layers on the CPU backend agree with Burn's:
//! - the convolution (src/kernels/cpu_conv.rs: Burn's forward pass, our
//!   input, weight and bias gradients) within 1e-5 of the sums, on every
//!   convolution of the eight nets at the sizes they train at, at batch 1
//!   and a large batch, and on each of their settings at an odd,
//!   non-square size;
//! - average pooling (src/kernels/cpu_pool.rs), output and input gradient
//!   within 1e-6, on even and odd sizes.
//!
//! Natively the work is split over rayon's pool where the build has the
//! `threads` feature, as the threaded browser worker does.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use burn::nn::pool::AvgPool2dConfig;
use burn::tensor::Tensor;
use cnn_playground::backend;
use cnn_playground::kernels;
use common::layers::{Case, differences, large_batch};
use common::numeric::{Difference, random, values, weighting};

mod common;

const TOLERANCE: f32 = 1e-5;

fn check(cases: impl IntoIterator<Item = (Case, usize)>) {
    let cpu = backend::cpu();
    let failures: Vec<String> = cases
        .into_iter()
        .flat_map(|(case, batch)| differences(case, batch, &cpu, TOLERANCE))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_book_convolution_agrees_with_burns() {
    let cases = cnn_playground::shape::book_convolutions();
    check(cases.into_iter().flat_map(|case| {
        let batch = large_batch(case);
        [(case, 1)]
            .into_iter()
            .chain((batch > 1).then_some((case, batch)))
    }));
}

#[test]
fn every_setting_agrees_at_odd_non_square_sizes() {
    let cases: BTreeSet<Case> = cnn_playground::shape::book_convolutions()
        .into_iter()
        .map(|case| Case {
            height: case.kernel + 4,
            width: case.kernel + 6,
            ..case
        })
        .collect();
    check(cases.into_iter().map(|case| (case, 3)));
}

#[test]
fn strides_with_padding_past_the_kernel_reach_agree() {
    // Padding as wide as the kernel allows, strides that skip pixels, and
    // a batch that does not split evenly over threads.
    check([
        (
            Case {
                in_channels: 3,
                out_channels: 5,
                height: 21,
                width: 19,
                kernel: 11,
                stride: 4,
                padding: 2,
            },
            5,
        ),
        (
            Case {
                in_channels: 2,
                out_channels: 3,
                height: 4,
                width: 9,
                kernel: 5,
                stride: 3,
                padding: 2,
            },
            7,
        ),
        (
            Case {
                in_channels: 4,
                out_channels: 2,
                height: 8,
                width: 8,
                kernel: 1,
                stride: 2,
                padding: 0,
            },
            3,
        ),
    ]);
}

/// Average pooling's output and input gradient (of `sum(output ×
/// weighting)`) on the CPU, ours or Burn's.
fn pool(shape: [usize; 4], kernel: usize, ours: bool) -> (Vec<f32>, Vec<f32>) {
    let device = backend::cpu().autodiff();
    let x = Tensor::<4>::from_data(random(shape, 5), &device).require_grad();
    let pool = AvgPool2dConfig::new([kernel, kernel])
        .with_strides([kernel, kernel])
        .init();
    let y = if ours {
        kernels::avg_pool2d(&pool, x.clone())
    } else {
        pool.forward(x.clone())
    };
    let dims = y.dims();
    let weighting = Tensor::<4>::from_data(
        burn::tensor::TensorData::new(weighting(dims.iter().product()), dims),
        &device,
    );
    let grads = (y.clone() * weighting).sum().backward();
    (
        values(y.detach()),
        values(x.grad(&grads).expect("an input gradient")),
    )
}

#[test]
fn average_pooling_agrees_with_burns() {
    // LeNet's two poolings at the book's batch; DenseNet's transitions;
    // odd sides whose last row and column no window covers; a 3×3 window.
    let mut failures = vec![];
    for (shape, kernel) in [
        ([256, 6, 28, 28], 2),
        ([256, 16, 10, 10], 2),
        ([4, 96, 12, 12], 2),
        ([3, 5, 7, 9], 2),
        ([2, 3, 10, 11], 3),
    ] {
        let (burns, burns_grad) = pool(shape, kernel, false);
        let (ours, ours_grad) = pool(shape, kernel, true);
        for (what, expected, actual) in [("output", burns, ours), ("input gradient", burns_grad, ours_grad)] {
            let difference = Difference::relative(&expected, &actual);
            if difference.exceeds(1e-6) {
                failures.push(format!("{shape:?} k{kernel}: {what} differs by {difference}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
