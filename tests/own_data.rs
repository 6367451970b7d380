//! Data of one's own, natively: a generated ImageFolder fixture (three
//! colour classes of simple shapes, 32×32) as a folder and as a zip, a
//! synthetic 26-class IDX set, and each kind of bad input.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::Path;

use cnn_playground::arch::{Arch, NetConfig, NetIo};
use cnn_playground::backend;
use cnn_playground::data::folder::{self, Assembly, Decoded};
use cnn_playground::data::own::{self, ArchiveProblem, OwnDataError, SkipReason, SplitOrigin, Splits};
use cnn_playground::data::{ImageFormat, archive, native};
use cnn_playground::shape::ShapeTable;
use cnn_playground::training::{self, OptimizerKind, TrainConfig};

mod common;

use common::own_data::{
    CLASSES, PER_CLASS, fixture, idx, letters, scratch, shape_image, shape_image_png, zip_of,
};

fn read(path: &Path) -> Result<Splits, OwnDataError> {
    native::read_data(path, Assembly::default())
}

#[test]
fn a_folder_of_class_folders_reads_as_imagefolder_with_a_stratified_split() {
    let root = scratch("folder").join("shapes");
    fixture(&root);
    let data = read(&root).unwrap();
    assert_eq!(data.name, "shapes");
    assert_eq!(data.classes, CLASSES);
    assert_eq!(
        data.format(),
        ImageFormat {
            channels: 3,
            height: 32,
            width: 32
        }
    );
    assert_eq!(
        data.io(),
        NetIo {
            in_channels: 3,
            classes: 3
        }
    );
    // 80/20 of each class, drawn with seed 0.
    assert_eq!(data.counts(), vec![(48, 12); 3]);
    assert_eq!(
        data.split,
        SplitOrigin::Drawn {
            seed: 0,
            test_share: 0.2
        }
    );
    assert_eq!(data.skipped.len(), 1);
    assert!(data.skipped[0].path.ends_with("notes.txt"));
    assert_eq!(data.skipped[0].why, SkipReason::NotAnImage);
    assert_eq!(
        cnn_playground::i18n::own_data::summary(
            180,
            3,
            &data.skipped,
            data.skipped.len(),
            cnn_playground::i18n::Lang::En
        ),
        "180 images in 3 classes; 1 file skipped: blue-triangle/notes.txt"
    );
    // The same folder reads the same; a zip of it too.
    assert_eq!(read(&root).unwrap().content_hash(), data.content_hash());
    let zip = root.with_file_name("shapes.zip");
    zip_of(&root, &zip);
    let zipped = read(&zip).unwrap();
    assert_eq!(zipped.classes, CLASSES);
    assert_eq!(zipped.content_hash(), data.content_hash());
    // Grey when asked: one channel, PIL's luma.
    let grey = native::read_data(
        &root,
        Assembly {
            keep_colour: false,
            ..Assembly::default()
        },
    )
    .unwrap();
    assert_eq!(grey.format().channels, 1);
}

#[test]
fn a_train_and_test_split_at_the_top_is_honoured() {
    let root = scratch("split");
    for (split, count) in [("train", 4), ("test", 2)] {
        for (class, name) in CLASSES.iter().enumerate().take(2) {
            let dir = root.join(split).join(name);
            std::fs::create_dir_all(&dir).unwrap();
            for i in 0..count {
                shape_image(class, i).save(dir.join(format!("{i}.png"))).unwrap();
            }
        }
    }
    let data = read(&root).unwrap();
    assert_eq!(data.split, SplitOrigin::Given);
    assert_eq!(data.classes, &CLASSES[..2]);
    assert_eq!(data.counts(), vec![(4, 2), (4, 2)]);
}

#[test]
fn the_nets_take_the_datas_channels_and_classes() {
    let io = NetIo {
        in_channels: 3,
        classes: 3,
    };
    for arch in Arch::ALL {
        let net = NetConfig::default_for(arch).with_io(io);
        let side = TrainConfig::quick(arch).resize;
        let table = ShapeTable::of(&net, 1, side).unwrap_or_else(|e| panic!("{arch}: {e}"));
        assert_eq!(table.input, [1, 3, side, side], "{arch}");
        assert_eq!(table.rows.last().unwrap().output, [1, 3], "{arch}");
        // The description carries both, as plain fields.
        let json = serde_json::to_value(&net).unwrap();
        assert_eq!(
            (json["in_channels"].as_u64(), json["classes"].as_u64()),
            (Some(3), Some(3)),
            "{arch}"
        );
        let back: NetConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, net);
    }
    // A description from before the fields reads as Fashion-MNIST's.
    let old: NetConfig = serde_json::from_str(r#"{"arch": "lenet"}"#).unwrap();
    assert_eq!(old.io(), NetIo::default());
}

/// Trains `config` on `data`, on the CPU backend; its matrix has a row per
/// class.
fn train_on(data: &Splits, config: &TrainConfig) -> training::Outcome {
    let outcome = pollster::block_on(training::train(
        config,
        &data.train,
        &data.test,
        &backend::cpu(),
        "cpu",
        &mut common::Recorder::new(|_| false),
    ))
    .unwrap();
    let last = outcome.history.last().unwrap();
    assert_eq!(last.confusion.counts.len(), data.classes.len());
    outcome
}

/// The last epoch's test accuracy.
fn accuracy(outcome: &training::Outcome) -> f64 {
    outcome.history.last().unwrap().test_acc
}

#[test]
fn lenet_and_resnet_learn_the_shapes_well_above_chance() {
    let root = scratch("learn").join("shapes");
    fixture(&root);
    let data = read(&root).unwrap();
    let mut lenet = TrainConfig::quick(Arch::LeNet);
    lenet.net = lenet.net.with_io(data.io());
    (lenet.optimizer, lenet.lr, lenet.batch_size, lenet.epochs) = (OptimizerKind::Adam, 0.003, 16, 8);
    let lenet_acc = accuracy(&train_on(&data, &lenet));
    assert!(lenet_acc > 0.8, "LeNet: test acc {lenet_acc} (chance 0.33)");
    let mut resnet = TrainConfig::quick(Arch::ResNet);
    resnet.net = resnet.net.with_io(data.io());
    (resnet.batch_size, resnet.epochs) = (16, 3);
    let resnet_acc = accuracy(&train_on(&data, &resnet));
    assert!(resnet_acc > 0.6, "ResNet: test acc {resnet_acc} (chance 0.33)");
    eprintln!("test acc on the shapes: LeNet {lenet_acc:.3}, ResNet {resnet_acc:.3}");
}

#[test]
fn a_26_class_idx_set_loads_trains_and_its_weights_reload() {
    let dir = scratch("letters");
    letters(&dir, 6, true);
    let data = read(&dir).unwrap();
    assert_eq!(data.classes.len(), 26);
    assert_eq!(data.classes[25], "z");
    assert_eq!(data.split, SplitOrigin::Given);
    assert_eq!((data.train.len(), data.test.len()), (156, 52));
    let mut config = TrainConfig::quick(Arch::LeNet);
    config.net = config.net.with_io(data.io());
    (config.optimizer, config.lr, config.batch_size, config.epochs) = (OptimizerKind::Adam, 0.01, 26, 2);
    let outcome = train_on(&data, &config);
    let about = cnn_playground::weights::About::of_run(&config, None, cnn_playground::weights::trained(2))
        .with_class_names(&data.classes);
    let bytes = cnn_playground::weights::to_bytes(&outcome.model, &about).unwrap();
    let (_, read_about) =
        cnn_playground::weights::from_bytes(&bytes, &config.net, config.resize, &backend::cpu()).unwrap();
    let read_about = read_about.unwrap();
    assert_eq!(read_about.net.classes(), 26);
    assert_eq!(read_about.class_names, data.classes);
    // Into a ten-class net it does not go.
    let fashion = TrainConfig::quick(Arch::LeNet).net;
    assert!(cnn_playground::weights::from_bytes(&bytes, &fashion, 28, &backend::cpu()).is_err());
    // Without a class list, the classes are the labels' numbers.
    let unnamed = scratch("letters-unnamed");
    letters(&unnamed, 1, false);
    assert_eq!(read(&unnamed).unwrap().classes[25], "25");
}

#[test]
fn bad_folders_are_refused_with_what_is_wrong() {
    let paths = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert!(matches!(
        folder::plan(&paths(&["shapes/cat/1.png", "shapes/cat/2.png"])),
        Err(OwnDataError::OneClass { class }) if class == "cat"
    ));
    assert!(matches!(
        folder::plan(&paths(&["a/1.png", "b/notes.txt"])),
        Err(OwnDataError::EmptyClass { class }) if class == "b"
    ));
    assert!(matches!(
        folder::plan(&paths(&["notes.txt", "readme.md"])),
        Err(OwnDataError::NoImages { skipped: 2 })
    ));
    assert!(matches!(
        folder::plan(&paths(&["train/a/1.png", "train/b/1.png", "test/c/1.png"])),
        Err(OwnDataError::ClassNotInTrain { class }) if class == "c"
    ));
    let many: Vec<String> = (0..101).map(|i| format!("c{i:03}/1.png")).collect();
    assert!(matches!(
        folder::plan(&many),
        Err(OwnDataError::TooManyClasses {
            found: 101,
            limit: 100
        })
    ));
    // Hidden files and a zip's __MACOSX are dropped without a word.
    let plan = folder::plan(&paths(&[
        "r/a/1.png",
        "r/b/2.PNG",
        "r/a/.DS_Store",
        "__MACOSX/r/a/._1.png",
    ]))
    .unwrap();
    assert_eq!(
        (plan.classes.len(), plan.images.len(), plan.skipped.len()),
        (2, 2, 0)
    );
    assert_eq!(plan.root.as_deref(), Some("r"));
    // More than the memory allows is refused before decoding, with what fits.
    let format = ImageFormat {
        channels: 3,
        height: 512,
        width: 512,
    };
    assert!(matches!(
        folder::check_budget(format, 10_000, 1 << 30),
        Err(OwnDataError::TooMuchData { fits: 1365, .. })
    ));
    // A neither-nor folder says so.
    let empty = scratch("neither");
    std::fs::write(empty.join("notes.txt"), "x").unwrap();
    assert!(matches!(read(&empty), Err(OwnDataError::NotData { .. })));
}

#[test]
fn undecodable_and_huge_images_are_skipped_and_counted() {
    let root = scratch("skips");
    fixture(&root);
    std::fs::write(
        root.join(CLASSES[1]).join("broken.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    // A header that promises 5000×5000 pixels: refused before decoding.
    let mut header = b"BM".to_vec();
    for field in [54u32, 0, 54, 40, 5000, 5000] {
        header.extend(field.to_le_bytes());
    }
    header.extend(1u16.to_le_bytes());
    header.extend(24u16.to_le_bytes());
    header.extend([0u8; 24]);
    std::fs::write(root.join(CLASSES[2]).join("huge.bmp"), &header).unwrap();
    let data = read(&root).unwrap();
    let reasons: Vec<&SkipReason> = data.skipped.iter().map(|s| &s.why).collect();
    assert_eq!(data.skipped.len(), 3, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, SkipReason::Undecodable { .. }))
    );
    assert!(reasons.iter().any(|r| matches!(
        r,
        SkipReason::TooLarge {
            width: 5000,
            height: 5000
        }
    )));
    assert_eq!(data.train.len() + data.test.len(), 3 * PER_CLASS);
}

#[test]
fn a_corrupt_zip_and_a_zip_bomb_are_refused() {
    let root = scratch("zips").join("shapes");
    fixture(&root);
    let zip = root.with_file_name("shapes.zip");
    zip_of(&root, &zip);
    let bytes = std::fs::read(&zip).unwrap();
    let cut = root.with_file_name("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        read(&cut),
        Err(OwnDataError::Archive {
            problem: ArchiveProblem::Unreadable { .. }
        })
    ));
    // 64 MB of zeros in a few kilobytes, read with a 1 MB allowance.
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    bomb.start_file("r/a/zeros.png", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    let names = archive::names(&bomb).unwrap();
    assert!(matches!(
        archive::unpack(&bomb, &names, 1 << 20),
        Err(OwnDataError::Archive {
            problem: ArchiveProblem::TooLarge { limit: 1048576 }
        })
    ));
}

/// Mutated zips and IDX files: each reads or is refused with a typed
/// error; none panics.
#[test]
fn hostile_zips_and_idx_files_end_in_an_error_never_a_panic() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for name in ["r/a/1.png", "r/b/2.png"] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&shape_image_png()).unwrap();
    }
    let zip = zip.finish().unwrap().into_inner();
    let images = idx(2051, &[2, 3, 4], &[7; 24]);
    let labels = idx(2049, &[2], &[0, 1]);
    let mut refused = [0; 3];
    for case in 0..common::fuzz_cases(3000) {
        let outcome = std::panic::catch_unwind(|| match case % 3 {
            0 => {
                let bytes = mutator_bytes(case, &zip);
                archive::names(&bytes)
                    .and_then(|names| archive::unpack(&bytes, &names, 1 << 20))
                    .map(|_| ())
            }
            1 => cnn_playground::data::idx::images("i", &mutator_bytes(case, &images))
                .map(|_| ())
                .map_err(Into::into),
            _ => cnn_playground::data::idx::labels("l", &mutator_bytes(case, &labels))
                .map(|_| ())
                .map_err(Into::into),
        });
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) => refused[case % 3] += 1,
            Err(_) => panic!("case {case} panicked"),
        }
    }
    assert!(
        refused.iter().all(|&n| n > 0),
        "some mutations of each kind are refused: {refused:?}"
    );
}

/// Case `case`'s mutation of `bytes` (a mutator of its own, so a case
/// repeats alone).
fn mutator_bytes(case: usize, bytes: &[u8]) -> Vec<u8> {
    common::Mutator(0x2157_F00D ^ (case as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)).mutate(bytes)
}

#[test]
fn a_drawn_split_is_stratified_and_repeats_with_its_seed() {
    let labels: Vec<u8> = (0..100).map(|i| (i % 4) as u8).collect();
    let (train, test) = own::stratified_split(&labels, 3, 0.2);
    assert_eq!((train.len(), test.len()), (80, 20));
    for class in 0..4 {
        assert_eq!(test.iter().filter(|&&i| labels[i] == class).count(), 5);
    }
    assert_eq!(own::stratified_split(&labels, 3, 0.2), (train, test.clone()));
    assert_ne!(own::stratified_split(&labels, 4, 0.2).1, test);
    // Decoded images of other sizes are resized to the size most have.
    let plan = folder::plan(&["r/a/1.png", "r/a/2.png", "r/b/3.png", "r/b/4.png"].map(String::from)).unwrap();
    let image = |w: usize, h: usize| {
        Ok(Decoded {
            width: w,
            height: h,
            rgb: vec![200; 3 * w * h],
        })
    };
    let data = folder::assemble(
        "r",
        plan,
        vec![image(8, 8), image(8, 8), image(16, 4), image(8, 8)],
        Assembly::default(),
    )
    .unwrap();
    assert_eq!(
        data.format(),
        ImageFormat {
            channels: 1,
            height: 8,
            width: 8
        }
    );
    assert!(
        data.train
            .image(0)
            .iter()
            .chain(data.test.image(0))
            .all(|&level| level == 200)
    );
}

fn cnnp(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cnnp"))
        .args(args)
        .output()
        .expect("cnnp runs")
}

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn cnnp_trains_and_evaluates_on_a_folder_and_says_what_the_data_is() {
    let root = scratch("cli").join("shapes");
    fixture(&root);
    let data = root.to_str().unwrap();
    let table = stdout(&cnnp(&[
        "shapes", "--arch", "resnet", "--resize", "32", "--data", data, "--json",
    ]));
    let table: serde_json::Value = serde_json::from_str(table.trim()).unwrap();
    assert_eq!(table["input"], serde_json::json!([1, 3, 32, 32]));
    assert_eq!(table["classes"], 3);
    assert_eq!(table["class_names"], serde_json::json!(CLASSES));
    assert_eq!(
        table["layers"].as_array().unwrap().last().unwrap()["output"],
        serde_json::json!([1, 3])
    );

    let file = root.with_file_name("shapes.safetensors");
    let file = file.to_str().unwrap();
    let run = [
        "--arch",
        "lenet",
        "--data",
        data,
        "--optimizer",
        "adam",
        "--lr",
        "0.003",
        "--batch",
        "16",
    ];
    let text = stdout(&cnnp(
        &[&["train"], &run[..], &["--epochs", "2", "--save", file]].concat(),
    ));
    assert!(
        text.starts_with(
            "shapes: 180 images in 3 classes; 1 file skipped: blue-triangle/notes.txt; 3×32×32; \
             20 % of each class kept for testing (seed 0)\n"
        ),
        "{text}"
    );
    for class in CLASSES {
        assert!(
            text.contains(&format!("{class:>11.11}")),
            "the matrix names {class}: {text}"
        );
    }
    let last_line = text.lines().find(|line| line.starts_with("epoch 2:")).unwrap();
    let eval = stdout(&cnnp(&[
        "eval",
        "--arch",
        "lenet",
        "--weights",
        file,
        "--data",
        data,
        "--json",
    ]));
    let eval: serde_json::Value = serde_json::from_str(eval.trim()).unwrap();
    // The same 36 test images, drawn the same way: the same accuracy.
    assert_eq!(eval["images"], 36);
    let acc = format!("test acc {:.3}", eval["test_acc"].as_f64().unwrap());
    assert!(last_line.contains(&acc), "{last_line} vs eval's {acc}");
    assert_eq!(eval["about"]["class_names"], serde_json::json!(CLASSES));

    // Neither IDX files nor class folders: said, exit code 1.
    let empty = scratch("cli-neither");
    std::fs::write(empty.join("notes.txt"), "x").unwrap();
    let out = cnnp(&["train", "--arch", "lenet", "--data", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds neither IDX files"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The page's drawn classes travel as a folder of grey PNGs it writes
/// itself (`picture::png_grey`): read natively, each drawing comes back
/// level for level, grey, under its class.
#[test]
fn drawn_classes_as_png_files_read_back_exactly() {
    let root = scratch("drawn").join("drawings");
    let drawing = |class: usize, i: usize| -> Vec<u8> {
        (0..28 * 28)
            .map(|p| ((p * (class + 2) + i * 7) % 256) as u8)
            .collect()
    };
    for (class, name) in ["bar", "cross"].iter().enumerate() {
        std::fs::create_dir_all(root.join(name)).unwrap();
        for i in 0..5 {
            let png = cnn_playground::picture::png_grey(28, 28, &drawing(class, i));
            std::fs::write(root.join(name).join(format!("{:03}.png", i + 1)), png).unwrap();
        }
    }
    let data = read(&root).unwrap();
    assert_eq!(data.classes, ["bar", "cross"]);
    assert_eq!(data.format(), ImageFormat::FASHION);
    assert_eq!((data.train.len(), data.test.len()), (8, 2));
    let mut seen = 0;
    for set in [&data.train, &data.test] {
        for index in 0..set.len() {
            let class = set.label(index) as usize;
            let found = (0..5).find(|&i| set.image(index) == drawing(class, i).as_slice());
            assert!(found.is_some(), "image {index} is one of its class's drawings");
            seen += 1;
        }
    }
    assert_eq!(seen, 10);
}
