//! `cnnp features`, as a student runs it beside the book.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn cnnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cnnp"))
        .args(args)
        .output()
        .expect("cnnp runs")
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
