//! `cnnp export`: every net, as a script and a notebook, with the flags as
//! the script's defaults; and `cnnp eval --logits`, which the PyTorch check
//! (scripts/check_export.py) holds the exported net's logits against.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

use cnn_playground::arch::Arch;
use cnn_playground::training::TrainConfig;

fn cnnp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cnnp"))
        .args(args)
        .output()
        .expect("cnnp runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn every_net_exports_as_a_script_and_a_notebook() {
    for arch in Arch::ALL {
        let book = TrainConfig::book(arch);
        let script = stdout(&cnnp(&["export", "--arch", arch.id(), "--format", "py"]));
        assert!(script.starts_with("\"\"\""), "{arch:?}: a docstring first");
        assert!(script.contains("\nnet = "), "{arch:?}");
        assert!(script.contains(&format!("\nLR = {:?}\n", book.lr)), "{arch:?}");
        assert!(
            script.contains(&format!("\nRESIZE = {}  #", book.resize)),
            "{arch:?}"
        );
        assert!(
            script.ends_with("\nif __name__ == \"__main__\":\n    main()\n"),
            "{arch:?}"
        );
        let notebook = stdout(&cnnp(&["export", "--arch", arch.id(), "--format", "ipynb"]));
        let notebook: serde_json::Value = serde_json::from_str(&notebook).expect("the notebook is JSON");
        assert_eq!(notebook["nbformat"], 4, "{arch:?}");
        assert!(notebook["cells"].as_array().unwrap().len() > 10, "{arch:?}");
    }
}

#[test]
fn the_flags_are_the_scripts_defaults_and_presets_its_net() {
    let script = stdout(&cnnp(&[
        "export",
        "--arch",
        "lenet",
        "--format",
        "py",
        "--epochs",
        "3",
        "--lr",
        "0.5",
        "--batch",
        "64",
        "--train-limit",
        "100",
        "--test-limit",
        "50",
        "--seed",
        "7",
        "--data",
        "/data/fm",
        "--edit",
        "act-relu~pool-max",
    ]));
    for line in [
        "\nEPOCHS = 3\n",
        "\nLR = 0.5\n",
        "\nBATCH_SIZE = 64  #",
        "\nTRAIN_LIMIT = 100\n",
        "\nTEST_LIMIT = 50\n",
        "\nSEED = 7\n",
        "\nDATA_DIR = \"/data/fm\"  #",
        "nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),",
        "nn.MaxPool2d(kernel_size=2, stride=2),",
    ] {
        assert!(script.contains(line), "no {line:?}");
    }
    let plain = stdout(&cnnp(&[
        "export", "--arch", "resnet", "--preset", "plain-34", "--format", "py",
    ]));
    assert!(plain.contains("def plain_block(") && !plain.contains("class Residual"));
}

#[test]
fn out_writes_the_file_and_a_bad_format_is_refused() {
    let path = std::env::temp_dir().join(format!("cnnp-export-{}.py", std::process::id()));
    let out = cnnp(&[
        "export",
        "--arch",
        "nin",
        "--format",
        "py",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("def nin_block("));
    std::fs::remove_file(&path).unwrap();

    let missing = cnnp(&["export", "--arch", "nin"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--format"));
    let unknown = cnnp(&["export", "--arch", "nin", "--format", "pdf"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("py|ipynb"));
    let refused = cnnp(&["export", "--arch", "nin", "--format", "py", "--epochs", "0"]);
    assert!(!refused.status.success());
}

#[test]
fn eval_prints_the_logits_of_the_first_test_images() {
    let path = std::env::temp_dir().join(format!("cnnp-export-logits-{}.safetensors", std::process::id()));
    let path = path.to_str().unwrap();
    let trained = cnnp(&[
        "train",
        "--arch",
        "lenet",
        "--epochs",
        "1",
        "--batch",
        "8",
        "--train-limit",
        "8",
        "--test-limit",
        "8",
        "--backend",
        "cpu",
        "--save",
        path,
    ]);
    assert!(
        trained.status.success(),
        "{}",
        String::from_utf8_lossy(&trained.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&cnnp(&[
        "eval",
        "--arch",
        "lenet",
        "--weights",
        path,
        "--backend",
        "cpu",
        "--logits",
        "3",
    ])))
    .unwrap();
    std::fs::remove_file(path).unwrap();
    assert_eq!(json["arch"], "lenet");
    assert_eq!(json["resize"], 28);
    let logits = json["logits"].as_array().unwrap();
    assert_eq!(logits.len(), 3);
    assert!(logits.iter().all(|row| row.as_array().unwrap().len() == 10));
}
