//! wgpu agrees with the CPU backend: convolution, max and average pooling
//! and batch norm (train mode) give the same outputs and gradients within
//! 1e-4 (relative, for values past ±1) on seeded inputs; and LeNet trains
//! on wgpu.
//!
//! Natively wgpu needs a Vulkan (or Metal, DX12) driver. On a machine
//! without a GPU, Debian's `mesa-vulkan-drivers` (lavapipe) is one; the test
//! scripts install it. Without any adapter these tests fail, saying so.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use burn::module::Module;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AvgPool2dConfig, MaxPool2dConfig};
use burn::nn::{BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData};
use cnn_playground::arch::Arch;
use cnn_playground::backend;
use cnn_playground::data::Resize;
use cnn_playground::training::{TrainConfig, batch_tensors, init_model, optimizer, train_step};
use common::numeric::{assert_close, random, values, weighting};

mod common;

const TOLERANCE: f32 = 1e-4;

fn wgpu() -> Device {
    backend::wgpu().unwrap_or_else(|e| panic!("{e}: install a Vulkan driver (Debian: mesa-vulkan-drivers)"))
}

/// Runs `op` on both backends with autodiff on the same input and a random
/// weighting of the output (so every output element gets its own
/// gradient); compares the outputs and the input's gradients, and returns
/// the module pairs for the caller to compare parameter gradients.
fn compare(what: &str, input: TensorData, op: impl Fn(Tensor<4>) -> Tensor<4>) {
    let run = |device: &Device| {
        let device = device.clone().autodiff();
        let x = Tensor::<4>::from_data(input.clone(), &device).require_grad();
        let y = op(x.clone());
        let weighting = Tensor::<4>::from_data(
            TensorData::new(weighting(y.shape().num_elements()), y.dims()),
            &device,
        );
        let grads = (y.clone() * weighting).sum().backward();
        (
            values(y.detach()),
            values(x.grad(&grads).expect("a gradient for the input")),
        )
    };
    let (cpu_out, cpu_grad) = run(&backend::cpu());
    let (gpu_out, gpu_grad) = run(&wgpu());
    assert_close(&format!("{what}: output"), &cpu_out, &gpu_out, TOLERANCE);
    assert_close(
        &format!("{what}: input gradient"),
        &cpu_grad,
        &gpu_grad,
        TOLERANCE,
    );
}

#[test]
fn conv2d_agrees_with_the_cpu() {
    // Weights made on the CPU and copied, so both start equal; the weight
    // gradient is checked through a second pass with the roles swapped.
    let cpu = backend::cpu();
    for (seed, (kernel, stride, padding)) in (0u64..).zip([(5, 1, 2), (3, 2, 1), (11, 4, 1), (1, 1, 0)]) {
        let conv = Conv2dConfig::new([3, 8], [kernel, kernel])
            .with_stride([stride, stride])
            .with_padding(PaddingConfig2d::Explicit(padding, padding, padding, padding))
            .init(&cpu);
        let record = conv.clone();
        compare(
            &format!("conv k{kernel} s{stride} p{padding}"),
            random([2, 3, 23, 23], 2 * seed),
            move |x| record.clone().fork(&x.device()).forward(x),
        );
        // The weight's gradient: the weight as the differentiated input.
        let input = random([2, 3, 23, 23], 2 * seed + 1);
        let weight = conv.weight.val().into_data();
        let weight_grad = |device: &Device| {
            let device = device.clone().autodiff();
            let x = Tensor::<4>::from_data(input.clone(), &device);
            let w = Tensor::<4>::from_data(weight.clone(), &device).require_grad();
            let options =
                burn::tensor::ops::ConvOptions::new([stride, stride], [padding, padding], [1, 1], 1);
            let y = burn::tensor::module::conv2d(x, w.clone(), None, options);
            let grads = (y.clone() * y).sum().backward();
            values(w.grad(&grads).unwrap())
        };
        assert_close(
            &format!("conv k{kernel} s{stride} p{padding}: weight gradient"),
            &weight_grad(&cpu),
            &weight_grad(&wgpu()),
            TOLERANCE,
        );
    }
}

#[test]
fn max_pooling_agrees_with_the_cpu() {
    for (seed, (kernel, stride, padding)) in (10u64..).zip([(3, 2, 0), (3, 2, 1), (2, 2, 0), (3, 1, 1)]) {
        let pool = MaxPool2dConfig::new([kernel, kernel])
            .with_strides([stride, stride])
            .with_padding(PaddingConfig2d::Explicit(padding, padding, padding, padding))
            .init();
        compare(
            &format!("max pool k{kernel} s{stride} p{padding}"),
            random([2, 4, 17, 17], seed),
            |x| pool.forward(x),
        );
    }
}

#[test]
fn average_pooling_agrees_with_the_cpu() {
    for (seed, (kernel, stride)) in (20u64..).zip([(2, 2), (3, 1)]) {
        let pool = AvgPool2dConfig::new([kernel, kernel])
            .with_strides([stride, stride])
            .init();
        compare(
            &format!("avg pool k{kernel} s{stride}"),
            random([2, 4, 16, 16], seed),
            |x| pool.forward(x),
        );
    }
}

#[test]
fn batch_norm_in_train_mode_agrees_with_the_cpu() {
    // On an autodiff device a batch norm normalises with the batch's own
    // statistics: train mode. (It starts as scale 1, shift 0 everywhere.)
    compare("batch norm (train)", random([4, 6, 9, 9], 30), |x| {
        BatchNormConfig::new(6).init(&x.device()).forward(x)
    });
    // Its scale and shift get the same gradients too.
    let input = random([4, 6, 9, 9], 31);
    let grads = |device: &Device| {
        let device = device.clone().autodiff();
        let bn = BatchNormConfig::new(6).init(&device);
        let x = Tensor::<4>::from_data(input.clone(), &device).require_grad();
        let y = bn.forward(x);
        let grads = (y.clone() * y.clone() * y).sum().backward();
        let gamma = values(bn.gamma.val().grad(&grads).unwrap());
        let beta = values(bn.beta.val().grad(&grads).unwrap());
        (gamma, beta)
    };
    let (cpu_gamma, cpu_beta) = grads(&backend::cpu());
    let (gpu_gamma, gpu_beta) = grads(&wgpu());
    assert_close("batch norm: scale gradient", &cpu_gamma, &gpu_gamma, TOLERANCE);
    assert_close("batch norm: shift gradient", &cpu_beta, &gpu_beta, TOLERANCE);
}

#[test]
fn lenet_trains_on_wgpu() {
    let train = common::train_set();
    let device = wgpu().autodiff();
    let config = TrainConfig {
        batch_size: 64,
        ..TrainConfig::book(Arch::BnLeNet)
    };
    let mut model = init_model(&config, &device).unwrap();
    let mut optim = optimizer(&config);
    let resize = Resize::to(28);
    let batch: Vec<usize> = (0..64).collect();
    let mut losses = vec![];
    // The same batch, twenty times: the loss must fall.
    for _ in 0..20 {
        let (images, labels) = batch_tensors(&train.batch(&batch, &resize), &device);
        let (next, figures) = train_step(model, &mut optim, config.lr, images, labels);
        model = next;
        losses.push(values(figures.unsqueeze::<4>())[0]);
    }
    println!("BN-LeNet on wgpu, losses: {losses:?}");
    assert!(losses.iter().all(|l| l.is_finite()));
    assert!(losses[19] < 0.5 * losses[0], "{losses:?}");
}
