//! Weights files: the book's PyTorch names for all eight nets, PyTorch's
//! own files loading here with PyTorch's logits, save → load giving the
//! same predictions, and every bad file a message naming what is wrong.
//! The fixtures under tests/fixtures/pytorch/ were written by
//! `scripts/pytorch_weights.py` (names, fixture) with the book's nets.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use cnn_playground::arch::{Arch, NetConfig, edit};
use cnn_playground::backend;
use cnn_playground::data::Resize;
use cnn_playground::model::Net;
use cnn_playground::training::{self, TrainConfig};
use cnn_playground::weights::{self, About, WeightsError};
use safetensors::{Dtype, SafeTensors, tensor::TensorView};

mod common;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/pytorch/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn about(net: &NetConfig, resize: usize) -> About {
    About {
        net: net.clone(),
        resize,
        description: "a test".to_string(),
        training: None,
        results: None,
    }
}

/// Eval-mode logits of the first `n` test images.
fn logits(model: &Net, n: usize, side: usize, device: &Device) -> Vec<f32> {
    let indices: Vec<usize> = (0..n).collect();
    let (images, _) = training::batch_tensors(&common::test_set().batch(&indices, &Resize::to(side)), device);
    let logits: Tensor<2> = model.valid().forward(images);
    logits.into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn every_net_saves_the_books_pytorch_names_and_shapes() {
    let expected: BTreeMap<String, BTreeMap<String, Vec<usize>>> =
        serde_json::from_slice(&fixture("state_dict_names.json")).unwrap();
    let device = backend::cpu();
    for arch in Arch::ALL {
        let config = NetConfig::default_for(arch);
        let side = arch.book_settings().resize;
        let net = Net::init(&config, side, &device).unwrap();
        let bytes = weights::to_bytes(&net, &about(&config, side)).unwrap();
        let file = SafeTensors::deserialize(&bytes).unwrap();
        let got: BTreeMap<String, Vec<usize>> = file
            .tensors()
            .into_iter()
            .map(|(name, view)| (name, view.shape().to_vec()))
            .collect();
        assert_eq!(&got, &expected[arch.id()], "{arch}");
        assert_eq!(weights::read_about(&bytes).unwrap(), Some(about(&config, side)));
    }
}

#[test]
fn pytorchs_own_files_load_and_give_its_logits() {
    #[derive(serde::Deserialize)]
    struct Expected {
        images: usize,
        logits: BTreeMap<String, Vec<Vec<f32>>>,
    }
    let expected: Expected = serde_json::from_slice(&fixture("logits.json")).unwrap();
    let device = backend::cpu();
    for arch in [Arch::LeNet, Arch::BnLeNet] {
        let bytes = fixture(&format!("{}.safetensors", arch.id()));
        let (model, about) = weights::from_bytes(&bytes, &NetConfig::default_for(arch), 28, &device).unwrap();
        assert_eq!(about, None, "PyTorch's file has none of our metadata");
        let got = logits(&model, expected.images, 28, &device);
        let want: Vec<f32> = expected.logits[arch.id()].iter().flatten().copied().collect();
        assert_eq!(got.len(), want.len());
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-4, "{arch}: logits differ by up to {worst}");
    }
}

#[test]
fn save_then_load_predicts_the_same_bit_for_bit() {
    let device = backend::cpu();
    let autodiff = device.clone().autodiff();
    for arch in [Arch::BnLeNet, Arch::ResNet] {
        let config = TrainConfig {
            resize: 32,
            ..TrainConfig::book(arch)
        };
        let model = training::init_model(&config, &autodiff).unwrap();
        // A few steps, so that batch norm's running statistics are not the defaults.
        let mut optimizer = training::optimizer(&config);
        let mut model = model;
        let train = common::test_set();
        for start in [0, 64] {
            let indices: Vec<usize> = (start..start + 64).collect();
            let (images, labels) =
                training::batch_tensors(&train.batch(&indices, &Resize::to(32)), &autodiff);
            model = training::train_step(model, &mut optimizer, config.lr, images, labels).0;
        }
        let bytes = weights::to_bytes(&model, &about(&config.net, 32)).unwrap();
        let (loaded, _) = weights::from_bytes(&bytes, &config.net, 32, &autodiff).unwrap();
        assert_eq!(
            logits(&model, 16, 32, &device),
            logits(&loaded, 16, 32, &device),
            "{arch}"
        );
        // And saved again, the same tensors (the metadata's order may differ).
        let again = weights::to_bytes(&loaded, &about(&config.net, 32)).unwrap();
        let tensors = |bytes: &[u8]| -> Vec<(String, Vec<usize>, Vec<u8>)> {
            let mut all: Vec<_> = SafeTensors::deserialize(bytes)
                .unwrap()
                .tensors()
                .into_iter()
                .map(|(name, view)| (name, view.shape().to_vec(), view.data().to_vec()))
                .collect();
            all.sort();
            all
        };
        assert!(
            tensors(&again) == tensors(&bytes),
            "{arch}: saved again, the same tensors"
        );
    }
}

/// A tensor as safetensors stores it: its dtype, shape and bytes.
type Stored = (Dtype, Vec<usize>, Vec<u8>);

/// The LeNet fixture with its tensors changed by `change` (name → None drops it).
fn altered(change: impl Fn(&str, TensorView) -> Option<Stored>) -> Vec<u8> {
    let bytes = fixture("lenet.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let tensors: Vec<(String, Stored)> = file
        .tensors()
        .into_iter()
        .filter_map(|(name, view)| change(&name, view).map(|t| (name, t)))
        .collect();
    let views: Vec<(String, TensorView)> = tensors
        .iter()
        .map(|(name, (dtype, shape, data))| {
            (
                name.clone(),
                TensorView::new(*dtype, shape.clone(), data).unwrap(),
            )
        })
        .collect();
    safetensors::serialize(views, None).unwrap()
}

#[test]
fn bad_files_say_what_is_wrong_and_load_nothing() {
    let device = backend::cpu();
    let lenet = NetConfig::default_for(Arch::LeNet);
    let load = |bytes: &[u8], net: &NetConfig, side: usize| {
        weights::from_bytes(bytes, net, side, &device).map(|_| ())
    };
    let keep = |_: &str, view: TensorView| Some((view.dtype(), view.shape().to_vec(), view.data().to_vec()));

    assert!(matches!(
        load(b"hello", &lenet, 28),
        Err(WeightsError::NotSafetensors(_))
    ));
    let good = fixture("lenet.safetensors");
    assert!(matches!(
        load(&good[..good.len() / 2], &lenet, 28),
        Err(WeightsError::NotSafetensors(_))
    ));
    assert!(matches!(
        load(&[], &lenet, 28),
        Err(WeightsError::NotSafetensors(_))
    ));

    // Another net: by its metadata, or by a tensor it lacks.
    let vgg = Net::init(&NetConfig::default_for(Arch::Vgg), 32, &device).unwrap();
    let vgg_file = weights::to_bytes(&vgg, &about(&NetConfig::default_for(Arch::Vgg), 32)).unwrap();
    let error = load(&vgg_file, &lenet, 28).unwrap_err();
    assert_eq!(
        error.to_string(),
        "this file holds VGG-11 at width ratio 4, not LeNet"
    );
    // Edits that keep every tensor's shape are another net all the same.
    let relu_max = edit::apply_query(lenet.clone(), "act-relu~pool-max").0;
    let lenet_model = Net::init(&lenet, 28, &device).unwrap();
    let lenet_file = weights::to_bytes(&lenet_model, &about(&lenet, 28)).unwrap();
    assert_eq!(
        load(&lenet_file, &relu_max, 28).unwrap_err().to_string(),
        "this file holds LeNet, not LeNet (edited), edit=act-relu~pool-max"
    );
    assert!(load(&lenet_file, &lenet, 28).is_ok());
    let error = load(&good, &NetConfig::default_for(Arch::BnLeNet), 28).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tensor 1.weight is missing: the file is not of this net (LeNet + BatchNorm)"
    );
    let dropped = altered(|name, view| (name != "9.bias").then(|| keep(name, view)).flatten());
    assert!(
        load(&dropped, &lenet, 28)
            .unwrap_err()
            .to_string()
            .starts_with("tensor 9.bias is missing")
    );

    // A net built for another input size: its first dense layer differs.
    let error = load(&good, &lenet, 32).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tensor 7.weight is [120, 400], but this net's is [120, 576]"
    );

    // Half precision is not read.
    let half = altered(|name, view| {
        let (dtype, shape, data) = keep(name, view)?;
        match name {
            "0.weight" => Some((Dtype::F16, shape, data[..data.len() / 2].to_vec())),
            _ => Some((dtype, shape, data)),
        }
    });
    let error = load(&half, &lenet, 28).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tensor 0.weight is stored as F16; only 32-bit floats (F32) are read"
    );

    // Newer metadata than we read.
    let mut metadata = std::collections::HashMap::new();
    metadata.insert("cnnp.format_version".to_string(), "99".to_string());
    metadata.insert("cnnp.about".to_string(), "{}".to_string());
    let file = SafeTensors::deserialize(&good).unwrap();
    let newer = safetensors::serialize(file.tensors(), Some(metadata)).unwrap();
    assert!(matches!(
        weights::read_about(&newer),
        Err(WeightsError::Metadata(_))
    ));

    // Every prefix of a good file ends in an error or a net, never a panic.
    for len in (0..good.len()).step_by(997) {
        let _ = load(&good[..len], &lenet, 28);
    }
}

#[test]
fn torch_names_follow_the_books_classes() {
    use cnn_playground::weights::torch_name;
    assert_eq!(torch_name("layers.0.weight"), "0.weight");
    assert_eq!(torch_name("layers.1.gamma"), "1.weight");
    assert_eq!(
        torch_name("layers.2.layers.0.paths.1.layers.2.bias"),
        "2.0.p2_2.bias"
    );
    assert_eq!(
        torch_name("layers.1.layers.0.body.layers.4.running_var"),
        "1.0.bn2.running_var"
    );
    assert_eq!(
        torch_name("layers.2.layers.0.shortcut.layers.0.weight"),
        "2.0.conv3.weight"
    );
    assert_eq!(
        torch_name("layers.1.conv_blocks.3.layers.2.weight"),
        "1.net.3.2.weight"
    );
}

#[test]
fn a_pytorch_file_trains_on_here() {
    // `cnnp train --weights`: the loop starts from the file's weights.
    let device = backend::cpu();
    let autodiff = device.clone().autodiff();
    let (model, _) = weights::from_bytes(
        &fixture("bn-lenet.safetensors"),
        &NetConfig::default_for(Arch::BnLeNet),
        28,
        &autodiff,
    )
    .unwrap();
    let before = logits(&model, 4, 28, &device);
    let config = TrainConfig {
        epochs: 1,
        train_limit: Some(256),
        test_limit: Some(64),
        ..TrainConfig::book(Arch::BnLeNet)
    };
    struct Quiet;
    impl training::Host for Quiet {
        fn now_ms(&self) -> f64 {
            0.0
        }
        fn event(&mut self, _: training::Event) -> training::Control {
            training::Control::Continue
        }
    }
    let test = common::test_set();
    let outcome = pollster::block_on(training::train_from(
        model, &config, &test, &test, &device, "cpu", &mut Quiet,
    ))
    .unwrap();
    assert_eq!(outcome.history.len(), 1);
    assert_ne!(
        logits(&outcome.model, 4, 28, &device),
        before,
        "the weights moved"
    );
}

#[test]
fn a_cpu_copy_read_without_blocking_saves_the_same_file() {
    // What the page does on WebGPU, whose tensors cannot be read synchronously.
    let device = backend::cpu();
    let config = NetConfig::default_for(Arch::GoogLeNet);
    let net = Net::init(&config, 40, &device.clone().autodiff()).unwrap();
    let copy = pollster::block_on(weights::to_cpu(&net, &config, 40)).unwrap();
    assert_eq!(logits(&net, 2, 40, &device), logits(&copy, 2, 40, &device));
    let tensors = |bytes: Vec<u8>| -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = SafeTensors::deserialize(&bytes)
            .unwrap()
            .tensors()
            .into_iter()
            .map(|(name, view)| (name, view.data().to_vec()))
            .collect();
        all.sort();
        all
    };
    let about = about(&config, 40);
    assert!(
        tensors(weights::to_bytes(&net, &about).unwrap())
            == tensors(weights::to_bytes(&copy, &about).unwrap())
    );
}
