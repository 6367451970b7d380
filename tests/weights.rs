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
        state: None,
        training: None,
        results: None,
        class_names: vec![],
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

    // A description no editor makes, or a net bigger than the file: the
    // net is not built (a few bytes would otherwise allocate gigabytes).
    let with_about = |about: &serde_json::Value| {
        let mut metadata = std::collections::HashMap::new();
        metadata.insert("cnnp.format_version".to_string(), "1".to_string());
        metadata.insert("cnnp.about".to_string(), about.to_string());
        let file = SafeTensors::deserialize(&good).unwrap();
        safetensors::serialize(file.tensors(), Some(metadata)).unwrap()
    };
    let mut hostile = serde_json::to_value(about(&lenet, 28)).unwrap();
    hostile["net"]["channels"] = serde_json::json!([1_000_000_000usize, 16]);
    assert_eq!(
        weights::read_about(&with_about(&hostile))
            .unwrap_err()
            .to_string(),
        "the file's metadata cannot be read: convolution channels: a whole number from 1 to 4096, not “1000000000”"
    );
    let mut hostile = serde_json::to_value(about(&lenet, 28)).unwrap();
    hostile["resize"] = serde_json::json!(1usize << 40);
    assert_eq!(
        weights::read_about(&with_about(&hostile))
            .unwrap_err()
            .to_string(),
        "the file's metadata cannot be read: input size 1099511627776; a net here takes 1 to 4096"
    );
    let wide = edit::apply_query(lenet.clone(), "ch-4096_4096~dense-4096_4096").0;
    let wide_file = with_about(&serde_json::to_value(about(&wide, 28)).unwrap());
    let about_wide = weights::read_about(&wide_file).unwrap().unwrap();
    let error = load(&wide_file, &about_wide.net, about_wide.resize).unwrap_err();
    assert!(matches!(error, WeightsError::TooSmall { .. }), "{error}");
    assert!(
        error.to_string().starts_with(&format!(
            "the file is {} bytes, but the weights of LeNet (edited), edit=ch-4096_4096~dense-4096_4096 take ",
            wide_file.len()
        )),
        "{error}"
    );

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
    let outcome = pollster::block_on(training::train_or_continue(
        Some(model),
        &config,
        &test,
        &test,
        &device,
        "cpu",
        &mut Quiet,
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

/// Mutated weights files, each read as the page's worker reads one (as the
/// net its metadata names, else as LeNet): bytes flipped, cut or inserted
/// anywhere, and the header's fields set to extremes (a tensor's shape,
/// dtype, offsets; a number in the net's description, its input size).
/// Every one loads or ends in a typed error, never a panic: a panic in the
/// worker is a lost run. `CNNP_FUZZ_CASES=300000` for a long run.
#[test]
fn hostile_weights_files_end_in_an_error_never_a_panic() {
    let device = backend::cpu();
    let lenet = NetConfig::default_for(Arch::LeNet);
    let model = Net::init(&lenet, 28, &device).unwrap();
    let good = weights::to_bytes(&model, &about(&lenet, 28)).unwrap();
    let mut mutator = common::Mutator(0xB0A7_5EED);
    let (mut loaded, mut refused) = (0, 0);
    for case in 0..common::fuzz_cases(3000) {
        let bytes = match case % 3 {
            0 => mutator.mutate(&good),
            _ => mutate_header(&mut mutator, &good),
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (net, side) = match weights::read_about(&bytes)? {
                Some(about) => (about.net, about.resize),
                None => (lenet.clone(), 28),
            };
            weights::from_bytes(&bytes, &net, side, &device).map(|_| ())
        }));
        match outcome {
            Ok(Ok(())) => loaded += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => panic!(
                "case {case} panicked; header: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(2000)])
            ),
        }
    }
    println!("{loaded} loaded, {refused} refused");
    assert!(loaded > 0 && refused > 0, "{loaded} loaded, {refused} refused");
}

/// `bytes` (a safetensors file) with one field of its JSON header set to
/// something hostile.
fn mutate_header(mutator: &mut common::Mutator, bytes: &[u8]) -> Vec<u8> {
    use serde_json::{Value, json};
    const EXTREMES: [u64; 8] = [0, 1, 3, 512, 4096, 1 << 31, 1 << 40, u64::MAX];
    let extreme = |mutator: &mut common::Mutator| json!(EXTREMES[mutator.below(EXTREMES.len())]);
    let len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut header: Value = serde_json::from_slice(&bytes[8..8 + len]).unwrap();
    let names: Vec<String> = header.as_object().unwrap().keys().cloned().collect();
    let name = names[mutator.below(names.len())].clone();
    if name == "__metadata__" {
        let text = header[&name]["cnnp.about"].as_str().unwrap().to_string();
        let mut about: Value = serde_json::from_str(&text).unwrap();
        let about = match mutator.below(3) {
            0 => {
                let mut numbers = vec![];
                number_pointers(&about, String::new(), &mut numbers);
                let at = &numbers[mutator.below(numbers.len())];
                *about.pointer_mut(at).unwrap() = extreme(mutator);
                about.to_string()
            }
            1 => {
                about["resize"] = extreme(mutator);
                about.to_string()
            }
            _ => String::from_utf8_lossy(&mutator.mutate(text.as_bytes())).into_owned(),
        };
        header[&name]["cnnp.about"] = json!(about);
    } else {
        match mutator.below(4) {
            0 => {
                header[&name]["shape"] =
                    Value::Array((0..mutator.below(5)).map(|_| extreme(mutator)).collect())
            }
            1 => {
                header[&name]["dtype"] = json!(["F16", "F64", "I32", "BOOL", "U8", "F32 "][mutator.below(6)])
            }
            2 => header[&name]["data_offsets"] = json!([extreme(mutator), extreme(mutator)]),
            _ => {
                let tensor = header.as_object_mut().unwrap().remove(&name).unwrap();
                if mutator.below(2) == 0 {
                    header[format!("{name}.x")] = tensor;
                }
            }
        }
    }
    let text = header.to_string();
    [
        &(text.len() as u64).to_le_bytes()[..],
        text.as_bytes(),
        &bytes[8 + len..],
    ]
    .concat()
}

/// JSON pointers to every number in `value`.
fn number_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Number(_) => out.push(at),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                number_pointers(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                number_pointers(item, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}
