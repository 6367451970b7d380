//! The Burn modules built from the descriptions agree with the shape tables:
//! a real forward pass gives every row's shape, and the parameters count the
//! same, for all eight nets at their default sizes and at others.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use burn::tensor::{Distribution, Tensor};
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig, VggConfig};
use cnn_playground::backend;
use cnn_playground::model::{Features, LayerModule, Net};
use cnn_playground::shape::{Row, ShapeTable};

const BATCH: usize = 2;

/// Runs `layers` one by one, comparing each output with its row, and
/// descending into `nn.Sequential` blocks, whose rows are their layers.
fn check_rows(layers: &[LayerModule], rows: &[Row], mut x: Features, path: &str) -> Features {
    assert_eq!(layers.len(), rows.len(), "{path}: modules and rows");
    for (i, (layer, row)) in layers.iter().zip(rows).enumerate() {
        let here = format!("{path} › {} {} ({})", i + 1, row.name, row.settings);
        assert_eq!(x.dims(), row.input, "{here}: input");
        x = match layer {
            LayerModule::Sequential(block) => check_rows(&block.layers, &row.children, x, &here),
            other => other.forward(x),
        };
        assert_eq!(x.dims(), row.output, "{here}: output");
    }
    x
}

fn check(config: &NetConfig, side: usize) {
    let arch = config.arch();
    let device = backend::cpu();
    let input = [BATCH, INPUT_CHANNELS, side, side];
    let table =
        ShapeTable::compute(&config.layers(), &input).unwrap_or_else(|e| panic!("{arch} at {side}: {e}"));
    let net = Net::init(config, side, &device).unwrap();
    assert_eq!(
        net.num_trainable_params() as u64,
        table.total_params,
        "{arch} at {side}: parameters"
    );
    let images = Tensor::<4>::random(input, Distribution::Uniform(0.0, 1.0), &device);
    let path = format!("{arch} at {side}");
    check_rows(&net.layers, &table.rows, Features::Map(images.clone()), &path);
    // And the whole net, as training calls it.
    assert_eq!(net.forward(images).dims(), [BATCH, 10], "{path}");
}

#[test]
fn lenets_match_their_tables() {
    for config in [
        NetConfig::default_for(Arch::LeNet),
        NetConfig::default_for(Arch::BnLeNet),
    ] {
        for side in [28, 32, 45] {
            check(&config, side);
        }
    }
}

#[test]
fn alexnet_matches_its_table() {
    check(&NetConfig::default_for(Arch::AlexNet), 224);
    check(&NetConfig::default_for(Arch::AlexNet), 99);
}

#[test]
fn vgg_matches_its_table() {
    check(&Arch::Vgg.book_table().0, 224); // full width, as the book prints it
    check(&NetConfig::default_for(Arch::Vgg), 224); // ratio 4, as it trains
    check(
        &NetConfig::Vgg(VggConfig {
            ratio: 8,
            ..VggConfig::default()
        }),
        64,
    );
}

#[test]
fn nin_matches_its_table() {
    check(&NetConfig::default_for(Arch::NiN), 224);
    check(&NetConfig::default_for(Arch::NiN), 80);
}

#[test]
fn googlenet_matches_its_table() {
    check(&NetConfig::default_for(Arch::GoogLeNet), 96);
    check(&NetConfig::default_for(Arch::GoogLeNet), 40);
}

#[test]
fn resnet_matches_its_table() {
    let resnet = NetConfig::default_for(Arch::ResNet);
    check(&resnet, 96);
    check(&resnet, 224);
    check(&resnet, 33);
}

#[test]
fn densenet_matches_its_table() {
    let densenet = NetConfig::default_for(Arch::DenseNet);
    check(&densenet, 96);
    check(&densenet, 50);
}

#[test]
fn an_input_too_small_is_an_error_not_a_panic() {
    let device = backend::cpu();
    let error = Net::init(&NetConfig::default_for(Arch::AlexNet), 28, &device).unwrap_err();
    assert!(error.layer.to_string().contains("MaxPool2d"), "{error}");
}

#[test]
fn weights_are_xavier_uniform_and_biases_zero() {
    let device = backend::cpu();
    let net = Net::init(&NetConfig::default_for(Arch::LeNet), 28, &device).unwrap();
    let LayerModule::Linear(linear) = &net.layers[7] else {
        panic!("row 8 is the first Linear")
    };
    // Xavier-uniform's bound for 400 → 120 is sqrt(6 / 520).
    let bound = (6.0f32 / 520.0).sqrt();
    let weights = linear.weight.val().into_data().try_to_vec::<f32>().unwrap();
    assert_eq!(weights.len(), 400 * 120);
    assert!(weights.iter().all(|w| w.abs() <= bound));
    assert!(
        weights.iter().any(|w| w.abs() > 0.9 * bound),
        "spread over the whole range"
    );
    let biases = linear
        .bias
        .as_ref()
        .unwrap()
        .val()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    assert!(biases.iter().all(|&b| b == 0.0));
}

#[test]
fn tiled_average_pooling_equals_burns_pooling() {
    // The model pools non-overlapping windows with a reshape and a mean.
    use burn::nn::pool::AvgPool2dConfig;
    let device = backend::cpu();
    for (side, kernel) in [(28, 2), (13, 2), (9, 3)] {
        let pool = AvgPool2dConfig::new([kernel, kernel])
            .with_strides([kernel, kernel])
            .init();
        let x = Tensor::<4>::random([2, 3, side, side], Distribution::Uniform(-1.0, 1.0), &device);
        let expected = pool.forward(x.clone()).into_data().try_to_vec::<f32>().unwrap();
        let Features::Map(got) = LayerModule::AvgPool2d(pool).forward(Features::Map(x)) else {
            panic!()
        };
        assert_eq!(got.dims(), [2, 3, side / kernel, side / kernel]);
        let got = got.into_data().try_to_vec::<f32>().unwrap();
        for (a, b) in expected.iter().zip(&got) {
            assert!((a - b).abs() < 1e-6, "{side}/{kernel}: {a} vs {b}");
        }
    }
}

/// Every row path of `rows` under `prefix`, with its output shape.
fn row_shapes(rows: &[Row], prefix: &[usize], out: &mut Vec<(Vec<usize>, Vec<usize>)>) {
    for (i, row) in rows.iter().enumerate() {
        let mut path = prefix.to_vec();
        path.push(i);
        out.push((path.clone(), row.output.clone()));
        row_shapes(&row.children, &path, out);
    }
}

#[test]
fn every_row_path_shows_its_rows_output_for_all_eight_nets() {
    use std::collections::BTreeMap;
    let device = backend::cpu();
    for arch in Arch::ALL {
        let side = arch.book_settings().resize;
        let config = NetConfig::default_for(arch);
        let table = ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).unwrap();
        let net = Net::init(&config, side, &device).unwrap();
        let images = Tensor::<4>::random(
            [1, INPUT_CHANNELS, side, side],
            Distribution::Uniform(0.0, 1.0),
            &device,
        );
        let mut seen = BTreeMap::new();
        let logits = net.forward_watched(images, &mut |path, activation| {
            assert!(
                seen.insert(path.to_vec(), activation.dims()).is_none(),
                "{arch}: {path:?} shown twice"
            );
        });
        assert_eq!(logits.dims(), [1, 10]);
        let mut expected = vec![];
        row_shapes(&table.rows, &[], &mut expected);
        assert_eq!(seen.len(), expected.len(), "{arch}: every row once, no other");
        for (path, shape) in expected {
            assert_eq!(seen.get(&path), Some(&shape), "{arch}: row {path:?}");
            assert_eq!(table.row_at(&path).map(|row| &row.output), Some(&shape));
        }
    }
}

#[test]
fn row_paths_read_and_write_as_people_number_rows() {
    use cnn_playground::shape::{parse_row_path, row_path_text};
    assert_eq!(parse_row_path("3.2"), Ok(vec![2, 1]));
    assert_eq!(row_path_text(&[2, 1]), "3.2");
    for bad in ["", "0", "1..2", "a", "-1", "1.0"] {
        assert!(parse_row_path(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_preset_matches_its_table() {
    // The book's exercises, each at the size it trains at: the table the
    // page draws is what a real forward pass gives.
    for arch in Arch::ALL {
        for preset in cnn_playground::arch::edit::presets(arch) {
            let side = preset.resize.unwrap_or(arch.book_settings().resize);
            println!("{} at {side}", preset.id);
            check(&preset.net, side);
        }
    }
}
