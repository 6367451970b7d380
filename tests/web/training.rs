//! LeNet trains in the browser, on WebGPU and on the CPU fallback.

use burn::tensor::Device;
use cnn_playground::arch::Arch;
use cnn_playground::backend;
use cnn_playground::data::{Dataset, Resize, TEST_IMAGES, TEST_LABELS};
use cnn_playground::training::{TrainConfig, batch_tensors, init_model, optimizer, train_step};
use cnn_playground::web::webgpu::{self, Backend, BackendChoice};
use wasm_bindgen_test::*;

use super::*;

fn test_set() -> Dataset {
    Dataset::from_gz(
        TEST_IMAGES,
        include_bytes!("../../assets/fashion-mnist/t10k-images-idx3-ubyte.gz"),
        TEST_LABELS,
        include_bytes!("../../assets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
    )
    .unwrap()
}

/// Twenty steps of `arch` on one small batch; returns the losses.
async fn twenty_steps(arch: Arch, device: &Device) -> Vec<f32> {
    let data = test_set();
    let device = device.clone().autodiff();
    let config = TrainConfig {
        batch_size: 16,
        ..TrainConfig::book(arch)
    };
    let mut model = init_model(&config, &device).unwrap();
    let mut optim = optimizer(&config);
    let indices: Vec<usize> = (0..16).collect();
    let batch = data.batch(&indices, &Resize::to(28));
    let mut losses = vec![];
    for _ in 0..20 {
        let (images, labels) = batch_tensors(&batch, &device);
        let (next, figures) = train_step(model, &mut optim, config.lr, images, labels);
        model = next;
        losses.push(values(figures).await[0]);
    }
    losses
}

#[wasm_bindgen_test]
async fn lenet_trains_on_webgpu() {
    let losses = twenty_steps(Arch::BnLeNet, &webgpu().await).await;
    web_sys::console::log_1(&format!("BN-LeNet on WebGPU: {losses:?}").into());
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    assert!(losses[19] < 0.5 * losses[0], "the loss falls: {losses:?}");
}

#[wasm_bindgen_test]
async fn lenet_trains_on_the_cpu_fallback() {
    let (_, backend) = webgpu::choose(BackendChoice::Cpu, None).await;
    assert!(matches!(backend, Backend::Cpu { .. }));
    let losses = twenty_steps(Arch::BnLeNet, &backend::cpu()).await;
    assert!(losses[19] < 0.5 * losses[0], "the loss falls: {losses:?}");
}
