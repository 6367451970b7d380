//! The Fashion-MNIST loader: the real files, every way a file can be wrong,
//! PIL's resize, and the shuffles.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;

use cnn_playground::data::{
    self, DataError, Dataset, IdxKind, Resize, TEST_IMAGES, TEST_LABELS, TRAIN_IMAGES, TRAIN_LABELS,
    decode_images, decode_labels, epoch_order,
};
use common::asset;
use flate2::Compression;
use flate2::write::GzEncoder;

mod common;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// An IDX image file of `count` images of `rows`×`cols`, with `extra` bytes
/// more (or fewer, when negative) than the header promises.
fn images_idx(magic: u32, count: u32, rows: u32, cols: u32, extra: isize) -> Vec<u8> {
    let mut bytes = vec![];
    for n in [magic, count, rows, cols] {
        bytes.extend(n.to_be_bytes());
    }
    let body = (count * rows * cols) as isize + extra;
    bytes.extend((0..body.max(0)).map(|i| (i % 256) as u8));
    bytes
}

fn labels_idx(magic: u32, labels: &[u8]) -> Vec<u8> {
    let mut bytes = vec![];
    bytes.extend(magic.to_be_bytes());
    bytes.extend((labels.len() as u32).to_be_bytes());
    bytes.extend(labels);
    bytes
}

#[test]
fn the_committed_files_decode() {
    let train = Dataset::from_gz(
        TRAIN_IMAGES,
        &asset(TRAIN_IMAGES),
        TRAIN_LABELS,
        &asset(TRAIN_LABELS),
    )
    .unwrap();
    let test = Dataset::from_gz(TEST_IMAGES, &asset(TEST_IMAGES), TEST_LABELS, &asset(TEST_LABELS)).unwrap();
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
    // Exactly 6,000 and 1,000 of each class, as published.
    for (set, per_class) in [(&train, 6_000), (&test, 1_000)] {
        let mut counts = [0; 10];
        for i in 0..set.len() {
            counts[set.label(i) as usize] += 1;
        }
        assert_eq!(counts, [per_class; 10]);
    }
    // The first training image is an ankle boot (label 9).
    assert_eq!(train.label(0), 9);
    assert_eq!(data::CLASS_NAMES[9], "ankle boot");
}

#[test]
fn a_file_that_is_not_gzip_is_refused() {
    let error = decode_images("x.gz", b"this is not gzip at all").unwrap_err();
    assert!(matches!(error, DataError::Gzip { .. }), "{error}");
    assert!(
        error.to_string().starts_with("x.gz: not a readable gzip file"),
        "{error}"
    );
}

#[test]
fn a_cut_download_is_refused() {
    let gz = asset(TEST_LABELS);
    let error = decode_labels(TEST_LABELS, &gz[..gz.len() / 2]).unwrap_err();
    assert!(matches!(error, DataError::Gzip { .. }), "{error}");
    assert!(error.to_string().contains("ends early"), "{error}");
}

#[test]
fn a_corrupt_gzip_body_is_refused() {
    let mut gz = asset(TEST_LABELS);
    let middle = gz.len() / 2;
    gz[middle] ^= 0xFF;
    gz[middle + 1] ^= 0xFF;
    assert!(matches!(
        decode_labels(TEST_LABELS, &gz),
        Err(DataError::Gzip { .. })
    ));
}

#[test]
fn magic_numbers_are_checked() {
    let error = decode_images("i", &gzip(&images_idx(2049, 1, 28, 28, 0))).unwrap_err();
    assert_eq!(
        error,
        DataError::BadMagic {
            file: "i".into(),
            found: 2049,
            expected: 2051,
            kind: IdxKind::Images
        }
    );
    // A label file given where images are expected, and the other way round.
    let error = decode_labels("l", &gzip(&images_idx(2051, 1, 28, 28, 0))).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::BadMagic {
                expected: 2049,
                found: 2051,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn dimensions_are_checked() {
    let error = decode_images("i", &gzip(&images_idx(2051, 2, 32, 28, 0))).unwrap_err();
    assert_eq!(error.to_string(), "i: images are 32×28, expected 28×28");
}

#[test]
fn truncated_and_padded_bodies_are_refused() {
    let error = decode_images("i", &gzip(&images_idx(2051, 3, 28, 28, -1))).unwrap_err();
    assert_eq!(
        error,
        DataError::Truncated {
            file: "i".into(),
            expected: 16 + 3 * 784,
            found: 16 + 3 * 784 - 1
        }
    );
    let error = decode_images("i", &gzip(&images_idx(2051, 3, 28, 28, 5))).unwrap_err();
    assert!(matches!(error, DataError::TrailingData { .. }), "{error}");
    // Too short even for a header.
    let error = decode_labels("l", &gzip(&[0, 0, 8])).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::Truncated {
                expected: 8,
                found: 3,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn empty_files_are_refused() {
    let error = decode_labels("l", &gzip(&labels_idx(2049, &[]))).unwrap_err();
    assert_eq!(error, DataError::Empty { file: "l".into() });
}

#[test]
fn labels_must_be_digits() {
    let error = decode_labels("l", &gzip(&labels_idx(2049, &[3, 9, 10, 1]))).unwrap_err();
    assert_eq!(
        error,
        DataError::BadLabel {
            file: "l".into(),
            index: 2,
            value: 10
        }
    );
}

#[test]
fn image_and_label_counts_must_agree() {
    let error = Dataset::from_gz(
        "i",
        &gzip(&images_idx(2051, 3, 28, 28, 0)),
        "l",
        &gzip(&labels_idx(2049, &[1, 2])),
    )
    .unwrap_err();
    assert_eq!(error, DataError::CountMismatch { count: 3, labels: 2 });
    assert!(error.to_string().contains("do not belong together"));
}

#[test]
fn a_decompression_bomb_is_refused() {
    // 100 MB of zeros compress to about 100 kB.
    let bomb = gzip(&vec![0u8; 100 << 20]);
    assert!(matches!(
        decode_images("bomb", &bomb),
        Err(DataError::TooLarge { .. })
    ));
}

#[test]
fn pixels_scale_to_unit_range() {
    let test = common::test_set();
    let batch = test.batch(&[0, 1, 2], &Resize::to(28));
    assert_eq!((batch.len(), batch.side, batch.images.len()), (3, 28, 3 * 784));
    assert_eq!(batch.images[100], test.image(0)[100] as f32 / 255.0);
    assert!(batch.images.iter().all(|p| (0.0..=1.0).contains(p)));
    assert!(batch.images.contains(&1.0));
    assert_eq!(
        batch.labels,
        vec![test.label(0) as i64, test.label(1) as i64, test.label(2) as i64]
    );
}

/// Sums of the resized grey levels, and of each level times its index mod
/// 251, from Pillow 11.0's `Image.resize((s, s), Image.BILINEAR)` on the
/// first two training images, which is what torchvision's `Resize` does.
#[test]
fn resize_equals_pillows_bilinear() {
    let train = common::train_set();
    let pillow = [
        (0, 96, 895_957u64, 112_011_962u64),
        (0, 224, 4_881_392, 609_450_826),
        (1, 96, 994_571, 124_164_718),
        (1, 224, 5_415_560, 677_218_705),
    ];
    for (index, side, sum, weighted) in pillow {
        let batch = train.batch(&[index], &Resize::to(side));
        let levels: Vec<u64> = batch.images.iter().map(|p| (p * 255.0).round() as u64).collect();
        assert_eq!(levels.len(), side * side);
        assert_eq!(levels.iter().sum::<u64>(), sum, "image {index} at {side}");
        let weighted_sum: u64 = levels.iter().enumerate().map(|(i, p)| p * (i as u64 % 251)).sum();
        assert_eq!(weighted_sum, weighted, "image {index} at {side}");
    }
}

#[test]
fn every_epoch_is_a_different_permutation_and_repeats_by_seed() {
    let first = epoch_order(1000, 7, 1);
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
    assert_ne!(first, (0..1000).collect::<Vec<_>>());
    assert_ne!(first, epoch_order(1000, 7, 2));
    assert_ne!(first, epoch_order(1000, 8, 1));
    assert_eq!(first, epoch_order(1000, 7, 1));
}

#[test]
fn truncated_sets_keep_the_first_examples() {
    let test = common::test_set();
    let small = test.truncated(50);
    assert_eq!(small.len(), 50);
    assert_eq!(small.image(49), test.image(49));
    assert_eq!(test.truncated(1_000_000).len(), 10_000);
}

/// Mutated IDX files, gzipped and not, and mutated gzip streams: every one
/// decodes or is refused with a typed error; none panics (a panic in the
/// worker is a lost run).
#[test]
fn hostile_data_files_end_in_an_error_never_a_panic() {
    let images = images_idx(2051, 3, 28, 28, 0);
    let labels = labels_idx(2049, &[1, 2, 3]);
    let mut mutator = common::Mutator(0x5EED_F00D);
    let mut refused = 0;
    for case in 0..common::fuzz_cases(3000) {
        let (raw, images_file) = match case % 2 {
            0 => (&images, true),
            _ => (&labels, false),
        };
        // Half the cases mutate the file before gzip (the decoder sees a
        // bad IDX), half the gzip stream itself.
        let gz = match case % 4 < 2 {
            true => gzip(&mutator.mutate(raw)),
            false => mutator.mutate(&gzip(raw)),
        };
        let outcome = std::panic::catch_unwind(|| match images_file {
            true => decode_images("x.gz", &gz).map(|_| ()),
            false => decode_labels("x.gz", &gz).map(|_| ()),
        });
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                assert!(error.to_string().starts_with("x.gz"), "case {case}: {error}");
                refused += 1;
            }
            Err(_) => panic!("case {case} panicked on {} bytes: {gz:02x?}", gz.len()),
        }
    }
    assert!(refused > 0, "the mutations never produced a bad file");
}
