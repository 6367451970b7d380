//! The shape tables: the book's printed rows, PyTorch's parameter counts,
//! and clear errors for inputs a net cannot take.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use cnn_playground::arch::{Arch, DenseNetConfig, INPUT_CHANNELS, NetConfig, ResNetConfig, VggConfig};
use cnn_playground::shape::ShapeTable;

fn book_table(arch: Arch) -> ShapeTable {
    let (config, side) = arch.book_table();
    ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).expect("the book's table")
}

/// `(name, output)` per top-level row.
fn rows(table: &ShapeTable) -> Vec<(String, Vec<usize>)> {
    table
        .rows
        .iter()
        .map(|row| (row.name.clone(), row.output.clone()))
        .collect()
}

fn expect(table: &ShapeTable, expected: &[(&str, &[usize])]) {
    let expected: Vec<(String, Vec<usize>)> = expected
        .iter()
        .map(|(name, shape)| (name.to_string(), shape.to_vec()))
        .collect();
    assert_eq!(rows(table), expected);
}

#[test]
fn lenet_prints_the_books_table() {
    expect(
        &book_table(Arch::LeNet),
        &[
            ("Conv2d", &[1, 6, 28, 28]),
            ("Sigmoid", &[1, 6, 28, 28]),
            ("AvgPool2d", &[1, 6, 14, 14]),
            ("Conv2d", &[1, 16, 10, 10]),
            ("Sigmoid", &[1, 16, 10, 10]),
            ("AvgPool2d", &[1, 16, 5, 5]),
            ("Flatten", &[1, 400]),
            ("Linear", &[1, 120]),
            ("Sigmoid", &[1, 120]),
            ("Linear", &[1, 84]),
            ("Sigmoid", &[1, 84]),
            ("Linear", &[1, 10]),
        ],
    );
}

#[test]
fn alexnet_prints_the_books_table() {
    expect(
        &book_table(Arch::AlexNet),
        &[
            ("Conv2d", &[1, 96, 54, 54]),
            ("ReLU", &[1, 96, 54, 54]),
            ("MaxPool2d", &[1, 96, 26, 26]),
            ("Conv2d", &[1, 256, 26, 26]),
            ("ReLU", &[1, 256, 26, 26]),
            ("MaxPool2d", &[1, 256, 12, 12]),
            ("Conv2d", &[1, 384, 12, 12]),
            ("ReLU", &[1, 384, 12, 12]),
            ("Conv2d", &[1, 384, 12, 12]),
            ("ReLU", &[1, 384, 12, 12]),
            ("Conv2d", &[1, 256, 12, 12]),
            ("ReLU", &[1, 256, 12, 12]),
            ("MaxPool2d", &[1, 256, 5, 5]),
            ("Flatten", &[1, 6400]),
            ("Linear", &[1, 4096]),
            ("ReLU", &[1, 4096]),
            ("Dropout", &[1, 4096]),
            ("Linear", &[1, 4096]),
            ("ReLU", &[1, 4096]),
            ("Dropout", &[1, 4096]),
            ("Linear", &[1, 10]),
        ],
    );
}

#[test]
fn vgg_prints_the_books_table_at_full_width() {
    expect(
        &book_table(Arch::Vgg),
        &[
            ("Sequential", &[1, 64, 112, 112]),
            ("Sequential", &[1, 128, 56, 56]),
            ("Sequential", &[1, 256, 28, 28]),
            ("Sequential", &[1, 512, 14, 14]),
            ("Sequential", &[1, 512, 7, 7]),
            ("Flatten", &[1, 25088]),
            ("Linear", &[1, 4096]),
            ("ReLU", &[1, 4096]),
            ("Dropout", &[1, 4096]),
            ("Linear", &[1, 4096]),
            ("ReLU", &[1, 4096]),
            ("Dropout", &[1, 4096]),
            ("Linear", &[1, 10]),
        ],
    );
}

#[test]
fn nin_prints_the_books_table() {
    expect(
        &book_table(Arch::NiN),
        &[
            ("Sequential", &[1, 96, 54, 54]),
            ("MaxPool2d", &[1, 96, 26, 26]),
            ("Sequential", &[1, 256, 26, 26]),
            ("MaxPool2d", &[1, 256, 12, 12]),
            ("Sequential", &[1, 384, 12, 12]),
            ("MaxPool2d", &[1, 384, 5, 5]),
            ("Dropout", &[1, 384, 5, 5]),
            ("Sequential", &[1, 10, 5, 5]),
            ("AdaptiveAvgPool2d", &[1, 10, 1, 1]),
            ("Flatten", &[1, 10]),
        ],
    );
}

#[test]
fn googlenet_prints_the_books_table() {
    expect(
        &book_table(Arch::GoogLeNet),
        &[
            ("Sequential", &[1, 64, 24, 24]),
            ("Sequential", &[1, 192, 12, 12]),
            ("Sequential", &[1, 480, 6, 6]),
            ("Sequential", &[1, 832, 3, 3]),
            ("Sequential", &[1, 1024]),
            ("Linear", &[1, 10]),
        ],
    );
}

#[test]
fn bn_lenet_names_its_batch_norms_by_rank() {
    let table = book_table(Arch::BnLeNet);
    let names: Vec<&str> = table.rows.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "BatchNorm2d").count(), 2);
    assert_eq!(names.iter().filter(|n| **n == "BatchNorm1d").count(), 2);
    assert_eq!(table.rows[8].output, vec![1, 256]); // Flatten: 16 × 4 × 4
    assert_eq!(table.output(), &[1, 10]);
}

#[test]
fn resnet_prints_the_books_table_at_224() {
    expect(
        &book_table(Arch::ResNet),
        &[
            ("Sequential", &[1, 64, 56, 56]),
            ("Sequential", &[1, 64, 56, 56]),
            ("Sequential", &[1, 128, 28, 28]),
            ("Sequential", &[1, 256, 14, 14]),
            ("Sequential", &[1, 512, 7, 7]),
            ("AdaptiveAvgPool2d", &[1, 512, 1, 1]),
            ("Flatten", &[1, 512]),
            ("Linear", &[1, 10]),
        ],
    );
}

#[test]
fn densenet_grows_and_halves_its_channels() {
    let table = book_table(Arch::DenseNet);
    let outputs: Vec<Vec<usize>> = table.rows.iter().map(|row| row.output.clone()).collect();
    assert_eq!(
        outputs[..8],
        [
            vec![1, 64, 24, 24],
            vec![1, 192, 24, 24], // 64 + 4 × 32
            vec![1, 96, 12, 12],  // halved, then pooled
            vec![1, 224, 12, 12],
            vec![1, 112, 6, 6],
            vec![1, 240, 6, 6],
            vec![1, 120, 3, 3],
            vec![1, 248, 3, 3],
        ]
    );
    assert_eq!(table.output(), &[1, 10]);
}

/// Totals of `sum(p.numel() for p in net.parameters())` for the book's nets
/// (1 input channel, 10 classes); BN-LeNet and DenseNet worked out by hand
/// layer by layer in the comments of `bn_lenet_and_densenet_by_hand`.
#[test]
fn parameter_counts_equal_pytorchs() {
    let expected = [
        (Arch::LeNet, 61_706),
        (Arch::AlexNet, 46_764_746),
        (Arch::Vgg, 128_806_154), // the book's table, full width
        (Arch::NiN, 1_992_166),
        (Arch::GoogLeNet, 5_977_530),
        (Arch::BnLeNet, 44_878),
        (Arch::ResNet, 11_178_378),
        (Arch::DenseNet, 758_226),
    ];
    for (arch, total) in expected {
        assert_eq!(book_table(arch).total_params, total, "{arch}");
    }
}

#[test]
fn bn_lenet_and_densenet_by_hand() {
    // BN-LeNet: conv 1·6·25+6, BN 2·6, conv 6·16·25+16, BN 2·16,
    // linear 256·120+120, BN 2·120, linear 120·84+84, BN 2·84, linear 84·10+10.
    let bn_lenet = 156 + 12 + 2416 + 32 + 30_840 + 240 + 10_164 + 168 + 850;
    assert_eq!(book_table(Arch::BnLeNet).total_params, bn_lenet);
    // DenseNet's first dense block: four (BN(c) + conv c→32, k3) for c = 64, 96, 128, 160.
    let block: u64 = [64u64, 96, 128, 160]
        .iter()
        .map(|c| 2 * c + c * 32 * 9 + 32)
        .sum();
    assert_eq!(book_table(Arch::DenseNet).rows[1].params, block);
}

#[test]
fn batch_norm_running_statistics_are_not_parameters() {
    // ResNet's b1: conv 1→64 k7 (3,136 + 64) and BN(64): scale and shift only.
    let table = book_table(Arch::ResNet);
    assert_eq!(table.rows[0].children[1].name, "BatchNorm2d");
    assert_eq!(table.rows[0].children[1].params, 128);
    assert_eq!(table.rows[0].params, 3_136 + 64 + 128);
}

#[test]
fn vgg_ratio_slims_the_convolutions_as_the_book_does() {
    let slim = NetConfig::Vgg(VggConfig::default());
    let table = ShapeTable::compute(&slim.layers(), &[1, 1, 224, 224]).unwrap();
    assert_eq!(table.rows[4].output, vec![1, 128, 7, 7]);
    assert_eq!(table.rows[6].output, vec![1, 4096]); // dense layers keep their width
}

#[test]
fn block_rows_expand_into_their_inner_layers() {
    let table = book_table(Arch::GoogLeNet);
    let b3 = &table.rows[2];
    assert_eq!(b3.settings.to_string(), "b3");
    let names: Vec<&str> = b3.children.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, ["Inception", "Inception", "MaxPool2d"]);
    let inception = &b3.children[0];
    assert_eq!(inception.output, vec![1, 256, 12, 12]); // 64 + 128 + 32 + 32
    assert_eq!(inception.children.len(), 4);
    assert_eq!(
        inception.children[1].children[2].settings.to_string(),
        "96→128, k3, p1"
    );
    // A block's figures are its children's.
    let sum: u64 = b3.children.iter().map(|row| row.params).sum();
    assert_eq!(b3.params, sum);
}

#[test]
fn macs_and_memory_add_up() {
    let table = book_table(Arch::LeNet);
    // Conv2d 1→6, k5 on 28×28: 6·28·28 outputs, 25 multiply-adds each.
    assert_eq!(table.rows[0].macs, 6 * 28 * 28 * 25);
    assert_eq!(table.rows[0].activation_bytes, 6 * 28 * 28 * 4);
    assert_eq!(
        table.total_macs,
        table.rows.iter().map(|row| row.macs).sum::<u64>()
    );
    // Memory scales with the batch; parameters do not.
    let (config, side) = Arch::LeNet.book_table();
    let batch = ShapeTable::compute(&config.layers(), &[256, 1, side, side]).unwrap();
    assert_eq!(batch.total_activation_bytes, 256 * table.total_activation_bytes);
    assert_eq!(batch.total_params, table.total_params);
}

#[test]
fn too_small_an_input_names_the_layer() {
    let error =
        ShapeTable::compute(&NetConfig::default_for(Arch::AlexNet).layers(), &[1, 1, 28, 28]).unwrap_err();
    assert!(
        error.layer.to_string().starts_with("row 6 › MaxPool2d"),
        "{error}"
    );
    assert!(error.reason.to_string().contains("below 1"), "{error}");
    let error = ShapeTable::compute(&NetConfig::default_for(Arch::DenseNet).layers(), &[1, 1, 8, 8])
        .expect_err("DenseNet at 8");
    assert_eq!(
        error.layer.to_string(),
        "row 5 › Sequential (transition_block) › AvgPool2d (k2, s2)"
    );
}

#[test]
fn every_net_at_every_small_size_gives_a_table_or_an_error() {
    // No panics, and errors only below a net's smallest input.
    for arch in Arch::ALL {
        let layers = NetConfig::default_for(arch).layers();
        let mut fitted = false;
        for side in 1..=128 {
            match ShapeTable::compute(&layers, &[1, 1, side, side]) {
                Ok(table) => {
                    fitted = true;
                    assert_eq!(table.output(), &[1, 10], "{arch} at {side}");
                }
                Err(error) => assert!(
                    !fitted,
                    "{arch} fits some size below {side} but not {side}: {error}"
                ),
            }
        }
        assert!(fitted, "{arch} fits no size up to 128");
    }
}

#[test]
fn descriptions_are_editable_data() {
    let resnet = NetConfig::ResNet(ResNetConfig {
        stages: vec![(32, 1), (64, 1)],
        ..ResNetConfig::default()
    });
    let table = ShapeTable::compute(&resnet.layers(), &[1, 1, 64, 64]).unwrap();
    assert_eq!(table.rows.len(), 1 + 2 + 3);
    assert_eq!(table.rows[2].output, vec![1, 64, 8, 8]);
    let densenet = NetConfig::DenseNet(DenseNetConfig {
        num_channels: 32,
        growth_rate: 16,
        num_convs_in_dense_blocks: vec![2, 3],
        ..DenseNetConfig::default()
    });
    let table = ShapeTable::compute(&densenet.layers(), &[1, 1, 96, 96]).unwrap();
    assert_eq!(table.rows[1].output, vec![1, 64, 24, 24]); // 32 + 2 × 16
    assert_eq!(table.rows[3].output, vec![1, 80, 12, 12]); // 32 + 3 × 16
    // And they round-trip through JSON, for the page and for links.
    let json = serde_json::to_string(&densenet).unwrap();
    assert_eq!(serde_json::from_str::<NetConfig>(&json).unwrap(), densenet);
}

/// Multiply-accumulates of one epoch's forward passes over the training images.
fn epoch_macs(config: &cnn_playground::training::TrainConfig) -> u64 {
    let table = config.shape_table(1).expect("the setting fits the net");
    table.total_macs * config.train_limit.unwrap_or(60_000) as u64
}

#[test]
fn every_quick_setting_is_valid_and_far_cheaper_than_a_slow_book_setting() {
    use cnn_playground::training::TrainConfig;
    let lenet = epoch_macs(&TrainConfig::book(Arch::LeNet));
    for arch in Arch::ALL {
        let (book, quick) = (TrainConfig::book(arch), TrainConfig::quick(arch));
        assert_eq!(quick.problems(), [], "{arch}'s quick setting");
        assert_eq!(quick.net, book.net, "{arch}: the same net");
        // Only NiN and GoogLeNet need another optimizer to learn in minutes.
        let adam = [Arch::NiN, Arch::GoogLeNet].contains(&arch);
        assert_eq!(quick.optimizer == book.optimizer, !adam, "{arch}");
        let (book_macs, quick_macs) = (epoch_macs(&book), epoch_macs(&quick));
        if book_macs <= 4 * lenet {
            // LeNet and LeNet + BatchNorm already train in minutes.
            assert_eq!(quick.train_limit, Some(60_000), "{arch}");
            assert_eq!(
                (quick.lr, quick.batch_size, quick.resize, quick.epochs),
                (book.lr, book.batch_size, book.resize, book.epochs),
                "{arch}"
            );
        } else {
            assert!(
                quick_macs * 20 <= book_macs,
                "{arch}: {quick_macs} MACs an epoch against the book's {book_macs}"
            );
            // Enough images, and enough steps, for the curves to move.
            let train = quick.train_limit.expect("a subset");
            assert!(
                train >= 4_000 && train / quick.batch_size >= 50,
                "{arch}: {train} images at batch {}",
                quick.batch_size
            );
            assert!(quick.test_limit.expect("a subset") >= 1_000, "{arch}");
        }
    }
}

#[test]
fn a_run_too_big_for_a_tabs_memory_is_refused_with_a_batch_that_fits() {
    use cnn_playground::training::{TrainConfig, WASM32_MEMORY_BYTES, check_memory};
    // Every net's book settings and quick setting run on the CPU in a tab.
    for arch in Arch::ALL {
        for config in [TrainConfig::book(arch), TrainConfig::quick(arch)] {
            assert_eq!(
                check_memory(&config, WASM32_MEMORY_BYTES),
                Ok(()),
                "{arch} at {}",
                config.resize
            );
        }
    }
    // GoogLeNet at 224, batch 128: 4.7 GB of activations. The worker's wasm
    // ran out of memory on it (BENCHMARKS.md, "Memory on the CPU"); batch 64
    // ran.
    let mut config = TrainConfig::book(Arch::GoogLeNet);
    config.resize = 224;
    config.batch_size = 128;
    let message = check_memory(&config, WASM32_MEMORY_BYTES)
        .expect_err("too big")
        .to_string();
    assert!(
        message.starts_with("batch 128 does not fit: a training step needs about "),
        "{message}"
    );
    let fits: usize = message
        .rsplit("a batch of at most ")
        .next()
        .and_then(|tail| tail.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no batch that fits in: {message}"));
    config.batch_size = fits;
    assert_eq!(check_memory(&config, WASM32_MEMORY_BYTES), Ok(()));
    config.batch_size = fits + 1;
    assert!(check_memory(&config, WASM32_MEMORY_BYTES).is_err());
    assert!((64..128).contains(&fits), "{fits}");
    // An input so large that no batch fits says so.
    config.resize = 4096;
    config.batch_size = 1;
    let message = check_memory(&config, WASM32_MEMORY_BYTES)
        .expect_err("too big")
        .to_string();
    assert!(
        message.ends_with("even one example does not fit: use a smaller input size"),
        "{message}"
    );
}
