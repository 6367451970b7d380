//! `cnnp features`, as a student runs it beside the book.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn cnnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cnnp"))
        .args(args)
        .output()
        .expect("cnnp runs")
}

/// A fresh folder for one test's files.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cnnp-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `cnnp args`, which must succeed, and reads the last line it
/// printed as JSON.
fn last_json(args: &[&str]) -> serde_json::Value {
    let out = cnnp(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap()
}

#[test]
fn features_prints_a_rows_shape_and_each_channels_range() {
    let out = cnnp(&[
        "features", "--arch", "lenet", "--image", "0", "--layer", "1", "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["shape"], serde_json::json!([1, 6, 28, 28]));
    assert_eq!(json["row"]["name"], "Conv2d");
    assert_eq!(json["class"], "ankle boot", "test image 0");
    let channels = json["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 6);
    for c in channels {
        let (min, mean, max) = (
            c["min"].as_f64().unwrap(),
            c["mean"].as_f64().unwrap(),
            c["max"].as_f64().unwrap(),
        );
        assert!(min <= mean && mean <= max, "{c}");
    }
    let sum: f64 = json["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-4, "{sum}");

    // A layer inside a block, by its dotted row number.
    let out = cnnp(&[
        "features",
        "--arch",
        "googlenet",
        "--image",
        "3",
        "--layer",
        "3.1.2",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["shape"], serde_json::json!([1, 128, 12, 12]));
    assert_eq!(json["channels"].as_array().unwrap().len(), 128);
}

#[test]
fn features_refuses_rows_and_images_that_do_not_exist() {
    for (args, says) in [
        (vec!["--layer", "13", "--image", "0"], "has no row 13"),
        (vec!["--layer", "1.1", "--image", "0"], "has no row 1.1"),
        (vec!["--layer", "x", "--image", "0"], "is not a row"),
        (
            vec!["--layer", "1", "--image", "10000"],
            "the test set has 10000 images",
        ),
        (vec!["--layer", "1"], "--image I"),
    ] {
        let mut all = vec!["features", "--arch", "lenet"];
        all.extend(args);
        let out = cnnp(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{all:?}: {stderr}");
    }
}

/// An explanation's value (the net's) and its arithmetic agree.
fn assert_close(json: &serde_json::Value) {
    let value = json["explanation"]["value"].as_f64().unwrap();
    let computed = json["computed"].as_f64().unwrap();
    assert!((value - computed).abs() <= 1e-4 * value.abs().max(1.0), "{json}");
}

#[test]
fn explain_shows_the_arithmetic_behind_a_value() {
    let conv = last_json(&[
        "explain", "--arch", "lenet", "--image", "0", "--layer", "1", "--at", "2,0,13", "--json",
    ]);
    let how = &conv["explanation"]["how"];
    assert_eq!(how["op"], "conv");
    assert_eq!(
        (how["kernel"].as_u64(), how["padding"].as_u64()),
        (Some(5), Some(2))
    );
    // At the top edge the window's first two rows are the padding.
    assert_eq!(how["padding_cells"], 10);
    assert_eq!(how["detail"][0]["products"].as_array().unwrap().len(), 25);
    assert_close(&conv);

    // NiN's 1×1 convolution, a pooling, a dense layer: each as what it is.
    for (arch, layer, at, kind) in [
        ("nin", "1.3", "5,10,10", "conv"),
        ("lenet", "3", "1,4,4", "pool"),
        ("lenet", "8", "42", "dense"),
        ("resnet", "4.1", "3,2,2", "residual"),
    ] {
        let json = last_json(&[
            "explain", "--arch", arch, "--image", "1", "--layer", layer, "--at", at, "--json",
        ]);
        assert_eq!(json["explanation"]["how"]["op"], kind, "{arch} {layer}");
        assert_close(&json);
    }

    // The text: the sum, the bias, the grids and the check.
    let out = cnnp(&[
        "explain", "--arch", "lenet", "--image", "0", "--layer", "1", "--at", "0,14,14",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for says in [
        "cross-correlation, kernel 5×5",
        "⌊(28 + 2×2 − 5) / 1⌋ + 1 = 28",
        "+ bias",
        "kernel\n",
        "the net's output there",
    ] {
        assert!(text.contains(says), "{says}: {text}");
    }
}

#[test]
fn explain_refuses_positions_outside_the_row() {
    for (at, code, says) in [
        (
            "6,0,0",
            1,
            "channel 6, row 0, column 0 is not in the row's output [1, 6, 28, 28]",
        ),
        ("0,28,0", 1, "is not in the row's output"),
        ("1,2", 2, "--at 1,2: give C,Y,X"),
    ] {
        let out = cnnp(&[
            "explain", "--arch", "lenet", "--image", "0", "--layer", "1", "--at", at,
        ]);
        assert_eq!(out.status.code(), Some(code), "{at}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{at}: {stderr}");
    }
    let out = cnnp(&["explain", "--arch", "lenet", "--image", "0", "--layer", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at"));
}

#[test]
fn train_saves_weights_that_eval_scores_the_same() {
    let dir = scratch("cli");
    let file = dir.join("bn.safetensors");
    let file = file.to_str().unwrap();
    let limits = ["--train-limit", "1024", "--test-limit", "300"];
    let mut train = vec![
        "train", "--arch", "bn-lenet", "--epochs", "1", "--json", "--save", file,
    ];
    train.extend(limits);
    let last = last_json(&train);
    let eval = last_json(&[
        "eval",
        "--arch",
        "bn-lenet",
        "--weights",
        file,
        "--test-limit",
        "300",
        "--json",
    ]);
    assert_eq!(
        eval["test_acc"], last["test_acc"],
        "the file scores what the run ended with"
    );
    assert_eq!(eval["images"], 300);
    assert_eq!(eval["about"]["results"]["epochs"], 1);
    assert!(eval["test_loss"].as_f64().unwrap() > 0.0);
    // Its batch norm explained, from the trained running statistics.
    for mode in ["eval", "train"] {
        let explained = last_json(&[
            "explain",
            "--arch",
            "bn-lenet",
            "--weights",
            file,
            "--image",
            "0",
            "--layer",
            "2",
            "--at",
            "1,3,4",
            "--mode",
            mode,
            "--json",
        ]);
        let norm = &explained["explanation"]["how"];
        assert_eq!(norm["op"], "batch_norm", "{mode}");
        assert_ne!(
            norm["running_var"].as_f64().unwrap(),
            1.0,
            "trained running statistics"
        );
        assert_close(&explained);
    }
    // Trained on from the file.
    let mut again = vec!["train", "--arch", "bn-lenet", "--epochs", "1", "--weights", file];
    again.extend(limits);
    assert!(cnnp(&again).status.success());
    // A file of another net, and one that is not a weights file.
    let out = cnnp(&["eval", "--arch", "lenet", "--weights", file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this file holds LeNet + BatchNorm, not LeNet"));
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();
    let out = cnnp(&[
        "eval",
        "--arch",
        "lenet",
        "--weights",
        dir.join("notes.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a safetensors weights file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_edited_nets_file_is_read_as_that_net_unless_told_another() {
    let dir = scratch("cli-edited");
    let file = dir.join("relu.safetensors");
    let file = file.to_str().unwrap();
    let limits = ["--train-limit", "512", "--test-limit", "200"];
    let mut train = vec![
        "train",
        "--arch",
        "lenet",
        "--edit",
        "act-relu~pool-max",
        "--lr",
        "0.1",
        "--epochs",
        "1",
        "--json",
        "--save",
        file,
    ];
    train.extend(limits);
    let last = last_json(&train);
    // `--arch lenet` alone: the file's ReLU and max pooling, so the file
    // scores what the run ended with (LeNet's shapes would also take the
    // weights, into sigmoids and averages).
    let eval = last_json(&[
        "eval",
        "--arch",
        "lenet",
        "--weights",
        file,
        "--test-limit",
        "200",
        "--json",
    ]);
    assert_eq!(eval["test_acc"], last["test_acc"]);
    assert_eq!(eval["about"]["net"]["activation"], "relu");
    let features = last_json(&[
        "features",
        "--arch",
        "lenet",
        "--weights",
        file,
        "--image",
        "0",
        "--layer",
        "2",
        "--json",
    ]);
    assert_eq!(features["row"]["name"], "ReLU");
    let mut again = vec!["train", "--arch", "lenet", "--epochs", "1", "--weights", file];
    again.extend(limits);
    assert!(cnnp(&again).status.success());
    // Told another net: refused, naming both.
    let out = cnnp(&["eval", "--arch", "lenet", "--edit", "pool-max", "--weights", file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "this file holds LeNet (edited), edit=act-relu~pool-max, not LeNet (edited), edit=pool-max"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_shipped_trained_lenets_score_what_their_files_say() {
    for arch in ["lenet", "bn-lenet"] {
        let file = format!("{}/assets/weights/{arch}.safetensors", env!("CARGO_MANIFEST_DIR"));
        let out = cnnp(&["eval", "--arch", arch, "--weights", &file, "--json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let eval: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(eval["images"], 10_000);
        assert_eq!(
            eval["about"]["results"]["epochs"], 10,
            "{arch}: the book's ten epochs"
        );
        let said = eval["about"]["results"]["test_acc"].as_f64().unwrap();
        assert!((eval["test_acc"].as_f64().unwrap() - said).abs() < 1e-9, "{arch}");
        assert!(said > 0.75, "{arch}: {said}");
    }
}

#[test]
fn a_net_description_from_cnnp_config_edited_runs_as_config() {
    let out = cnnp(&["config", "--arch", "vgg"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut vgg: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(vgg["arch"], "vgg");
    assert_eq!(
        vgg["conv_arch"],
        serde_json::json!([[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]])
    );
    // VGG-16: three convolutions in the last three blocks.
    vgg["conv_arch"] = serde_json::json!([[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]]);
    let dir = scratch("config");
    let file = dir.join("vgg16.json");
    std::fs::write(&file, vgg.to_string()).unwrap();
    let file = file.to_str().unwrap();
    let out = cnnp(&["shapes", "--arch", "vgg", "--config", file, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let convs: usize = table["layers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["children"].as_array().cloned().unwrap_or_default())
        .filter(|row| row["name"] == "Conv2d")
        .count();
    assert_eq!(convs, 13, "VGG-16 has 13 convolutions");
    // The same description trains (a few images) and names what is wrong.
    let out = cnnp(&[
        "train",
        "--arch",
        "vgg",
        "--config",
        file,
        "--resize",
        "32",
        "--epochs",
        "1",
        "--batch",
        "16",
        "--train-limit",
        "32",
        "--test-limit",
        "16",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (args, says) in [
        (
            vec!["shapes", "--arch", "lenet", "--config", file],
            "describes a vgg net, not a lenet one",
        ),
        (
            vec!["shapes", "--arch", "vgg", "--config", "/nonexistent.json"],
            "cannot read /nonexistent.json",
        ),
    ] {
        let out = cnnp(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::write(dir.join("bad.json"), "{\"arch\": \"vgg\", \"conv_arch\": 3}").unwrap();
    let out = cnnp(&[
        "shapes",
        "--arch",
        "vgg",
        "--config",
        dir.join("bad.json").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a net description"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn presets_and_edits_run_natively_and_grad_norms_adds_json_lines() {
    // The page's edits and the book's exercises, on the command line.
    let out = cnnp(&["shapes", "--arch", "resnet", "--preset", "plain-34"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("plain 34-layer net (d2l §7.6) on an input of [1, 1, 224, 224]"),
        "{text}"
    );
    let out = cnnp(&[
        "shapes",
        "--arch",
        "lenet",
        "--edit",
        "ch-8_16~act-relu",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["layers"][0]["output"], serde_json::json!([1, 8, 28, 28]));
    assert_eq!(json["layers"][1]["name"], "ReLU");
    let out = cnnp(&["config", "--arch", "bn-lenet", "--preset", "bn-after"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["before_activation"], false);
    // Bad edits and presets are usage errors that say what is accepted.
    let out = cnnp(&["shapes", "--arch", "lenet", "--edit", "k-0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--edit k-0: kernel size: a whole number from 1 to 11")
    );
    let out = cnnp(&["shapes", "--arch", "lenet", "--preset", "vgg-16"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no preset 'vgg-16' for lenet; accepted: lenet-relu-max")
    );

    // --grad-norms: a started line naming the layers, a line per step.
    let out = cnnp(&[
        "train",
        "--arch",
        "lenet",
        "--epochs",
        "1",
        "--train-limit",
        "512",
        "--test-limit",
        "128",
        "--grad-norms",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // First what the data is, then the run.
    assert_eq!(lines[0]["event"], "data");
    assert_eq!(lines[0]["name"], "fashion-mnist");
    assert_eq!(lines[0]["classes"][9], "ankle boot");
    assert_eq!(lines[1]["event"], "started");
    let layers = lines[1]["weighted_layers"].as_array().unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "1 conv 1→6 k5",
            "4 conv 6→16 k5",
            "8 linear 400→120",
            "10 linear 120→84",
            "12 linear 84→10"
        ]
    );
    let steps: Vec<&serde_json::Value> = lines.iter().filter(|l| l["event"] == "gradients").collect();
    assert_eq!(steps.len(), 2, "512 images in batches of 256");
    assert_eq!(steps[0]["norms"].as_array().unwrap().len(), 5);
    assert_eq!(
        steps[0]["outputs"].as_array().unwrap().len(),
        5,
        "each layer's output too"
    );
    assert_eq!(lines.last().unwrap()["epoch"], 1, "the epoch's report last");
}

#[test]
fn help_lists_each_commands_flags_and_usage_errors_say_what_is_accepted() {
    let out = cnnp(&["help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    // Each command's line is written from the flag table.
    assert!(
        help.contains("\n  cnnp eval --arch A --weights FILE [--resize N]"),
        "{help}"
    );
    assert!(help.contains(
        "\n  cnnp config --arch A [--ratio R] [--config FILE] [--preset P] [--edit E] [--presets]\n"
    ));
    assert!(
        help.contains("\n  cnnp export --arch A --format py|ipynb "),
        "{help}"
    );
    assert!(help.contains("\n      --grad-norms-every N  with --grad-norms: measure every Nth step (1)\n"));

    for (args, says) in [
        (
            vec![],
            "usage: cnnp shapes|train|eval|bench|features|explain|config|export --arch A [options]; cnnp help",
        ),
        (
            vec!["fit"],
            "unknown command 'fit'; accepted: shapes|train|eval|bench|features|explain|config|export|help",
        ),
        (
            vec!["config", "--arch", "vgg", "--json"],
            "unknown flag '--json'; accepted: --arch, --ratio, --config, --preset, --edit, --presets",
        ),
        (vec!["shapes", "--arch"], "--arch needs a value"),
        (
            vec!["shapes", "lenet"],
            "unexpected argument 'lenet'; usage: cnnp shapes|",
        ),
        (
            vec!["bench", "--arch", "lenet"],
            "--backend is required; accepted: cpu|wgpu",
        ),
    ] {
        let out = cnnp(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(&format!("cnnp: {says}")), "{args:?}: {stderr}");
    }
}
