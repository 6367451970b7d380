//! Our kernels with their tiles spread for a real GPU (`GPU_INVOCATIONS`:
//! smaller tiles and channel blocks, so that a launch exposes enough
//! invocations) agree with Burn's on the CPU as the software tiles do
//! (tests/kernels.rs), within 1e-4 of the sums. lavapipe runs them here:
//! the adapter is declared a GPU for this whole test binary, so that every
//! test in it runs the spread shapes.
#![cfg(not(target_arch = "wasm32"))]

use burn::tensor::Device;
use cnn_playground::backend;
use cnn_playground::kernels;
use common::layers::{Case, differences, linear_differences};

mod common;

const TOLERANCE: f32 = 1e-4;

fn wgpu_as_a_gpu() -> Device {
    kernels::set_software_adapter(false);
    backend::wgpu().unwrap_or_else(|e| panic!("{e}: install a Vulkan driver (Debian: mesa-vulkan-drivers)"))
}

fn case(
    in_channels: usize,
    out_channels: usize,
    side: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
) -> Case {
    Case {
        in_channels,
        out_channels,
        height: side,
        width: side,
        kernel,
        stride,
        padding,
    }
}

#[test]
fn spread_convolutions_agree_with_burns_on_the_cpu() {
    let gpu = wgpu_as_a_gpu();
    let mut failures = vec![];
    for (case, batch) in [
        // LeNet's conv2 at the book's batch: 5,120 invocations unspread.
        (case(6, 16, 14, 5, 1, 0), 64),
        // ResNet-18's last stage at 96 px (3×3 maps), stride 2 and 1, and
        // its 1×1 shortcut; an odd size with partial blocks.
        (case(256, 512, 6, 3, 2, 1), 2),
        (case(512, 512, 3, 3, 1, 1), 2),
        (case(256, 512, 6, 1, 2, 0), 2),
        (
            Case {
                width: 7,
                ..case(19, 21, 9, 3, 2, 1)
            },
            3,
        ),
        // NiN's last 1×1 layers (10 → 10 channels on 5×5): a weight
        // gradient of 1,280 invocations unspread.
        (case(10, 10, 5, 1, 1, 0), 64),
        // AlexNet's 11×11 stride-4 first layer on a small input.
        (case(1, 96, 31, 11, 4, 1), 2),
    ] {
        failures.extend(differences(case, batch, &gpu, TOLERANCE));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spread_matrix_products_agree_with_burns_on_the_cpu() {
    let gpu = wgpu_as_a_gpu();
    let mut failures = vec![];
    // LeNet's dense layers (tiles of 1 and 2), AlexNet's widest, a ragged one.
    for shape in [(256, 400, 120), (256, 84, 10), (2, 6400, 4096), (13, 7, 9)] {
        failures.extend(linear_differences(shape, &gpu, TOLERANCE));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A batch norm in training on `device` (ours on wgpu, Burn's on the CPU):
/// its output and input gradient of `sum(output × weighting)`.
fn batch_norm(shape: [usize; 2], device: &Device) -> [Vec<f32>; 2] {
    use burn::nn::BatchNormConfig;
    use burn::tensor::Tensor;
    use common::numeric::{random, values};
    let device = device.clone().autodiff();
    let bn = BatchNormConfig::new(shape[1]).init(&device);
    let x = (Tensor::<2>::from_data(random(shape, 31), &device) * 2.0 + 5.0).require_grad();
    let y = kernels::batch_norm(&bn, x.clone());
    let weighting = Tensor::<2>::from_data(random(shape, 32), &device);
    let grads = (y.clone() * weighting).sum().backward();
    [
        values(y.detach()),
        values(x.grad(&grads).expect("an input gradient")),
    ]
}

#[test]
fn spread_batch_norm_agrees_with_burns_on_the_cpu() {
    use common::numeric::Difference;
    let gpu = wgpu_as_a_gpu();
    // BN-LeNet's BatchNorm1d layers at the book's batch: one value per
    // invocation when spread, four on a software adapter.
    for shape in [[256, 120], [256, 84], [3, 5]] {
        let [cpu_out, cpu_grad] = batch_norm(shape, &backend::cpu());
        let [gpu_out, gpu_grad] = batch_norm(shape, &gpu);
        for (what, expected, actual) in [
            ("output", cpu_out, gpu_out),
            ("input gradient", cpu_grad, gpu_grad),
        ] {
            let difference = Difference::relative(&expected, &actual);
            assert!(
                !difference.exceeds(TOLERANCE),
                "{shape:?}: {what} differs by {difference}"
            );
        }
    }
}
