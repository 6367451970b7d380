//! In a real browser (headless Chromium, WebGPU on SwiftShader): WebGPU
//! agrees with the CPU backend on conv2d (our kernels, on every convolution
//! of the eight nets), max and average pooling and batch norm, forward and
//! backward; LeNet trains on WebGPU and on the CPU fallback; the page's
//! components render the right table rows; every message crosses the
//! page↔worker channel intact. One file per subject under `tests/web/`.
//!
//! Run by `scripts/test.sh` (`wasm-pack test`, flags in
//! `webdriver.json`). SwiftShader is slow: tiny batches only.
#![cfg(target_arch = "wasm32")]

use burn::tensor::{Device, Tensor, TensorData};
use cnn_playground::backend;
use cnn_playground::web::webgpu::{self, Backend, BackendChoice};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOLERANCE: f32 = 1e-4;

/// The WebGPU device, made once per test binary.
async fn webgpu() -> Device {
    thread_local! {
        static DEVICE: std::cell::RefCell<Option<Device>> = const { std::cell::RefCell::new(None) };
    }
    if let Some(device) = DEVICE.with(|d| d.borrow().clone()) {
        return device;
    }
    let (device, backend) = webgpu::choose(BackendChoice::WebGpu, None).await;
    match &backend {
        Backend::WebGpu(adapter) => web_sys::console::log_1(&format!("WebGPU adapter: {adapter:?}").into()),
        Backend::Cpu { reason, .. } => {
            panic!("expected WebGPU (Chromium with --enable-unsafe-webgpu): {reason:?}")
        }
    }
    DEVICE.with(|d| *d.borrow_mut() = Some(device.clone()));
    device
}

async fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data_async()
        .await
        .unwrap()
        .try_to_vec::<f32>()
        .unwrap()
}

fn assert_close(what: &str, cpu: &[f32], gpu: &[f32]) {
    assert_eq!(cpu.len(), gpu.len(), "{what}: lengths");
    let worst = cpu
        .iter()
        .zip(gpu)
        .map(|(a, b)| (a - b).abs() / a.abs().max(1.0))
        .fold(0.0f32, f32::max);
    assert!(worst <= TOLERANCE, "{what}: differs by {worst:e}");
    assert!(gpu.iter().any(|v| *v != 0.0), "{what}: all zeros on WebGPU");
}

/// Deterministic values in [-1, 1), the same on every backend.
fn input(shape: [usize; 4], seed: usize) -> TensorData {
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|i| (((i * 7919 + seed * 104_729) % 2003) as f32 / 1001.5) - 1.0)
        .collect();
    TensorData::new(values, shape)
}

/// The output of `op` on `x`, and the gradient of a weighted sum of the
/// output with respect to `x`, on `device` with autodiff.
async fn run(device: &Device, x: &TensorData, op: &impl Fn(Tensor<4>) -> Tensor<4>) -> (Vec<f32>, Vec<f32>) {
    let device = device.clone().autodiff();
    let x = Tensor::<4>::from_data(x.clone(), &device).require_grad();
    let y = op(x.clone());
    let weights = input(y.dims(), 3);
    let loss = (y.clone() * Tensor::<4>::from_data(weights, &device)).sum();
    let grads = loss.backward();
    let grad = x.grad(&grads).expect("an input gradient");
    (values(y.detach()).await, values(grad).await)
}

/// `ours` on WebGPU against `burns` on the CPU backend: outputs and input
/// gradients.
async fn compare(
    what: &str,
    x: TensorData,
    burns: impl Fn(Tensor<4>) -> Tensor<4>,
    ours: impl Fn(Tensor<4>) -> Tensor<4>,
) {
    let (cpu_out, cpu_grad) = run(&backend::cpu(), &x, &burns).await;
    let (gpu_out, gpu_grad) = run(&webgpu().await, &x, &ours).await;
    assert_close(&format!("{what}: output"), &cpu_out, &gpu_out);
    assert_close(&format!("{what}: input gradient"), &cpu_grad, &gpu_grad);
}

#[path = "web/channel.rs"]
mod channel;
#[path = "web/components.rs"]
mod components;
#[path = "web/explain.rs"]
mod explain;
#[path = "web/parity.rs"]
mod parity;
#[path = "web/training.rs"]
mod training;
