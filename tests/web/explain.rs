//! "How this row computes" in the browser, on WebGPU: for one net per row
//! kind (BN-LeNet: convolution, batch norm in both modes, sigmoid, average
//! pooling, flatten, dense; GoogLeNet: 1×1 convolutions, max pooling,
//! Inception's concatenation, global pooling; ResNet: the residual sum;
//! DenseNet: the dense block), the arithmetic equals the value the net
//! computed at the middle of every row's output. (Natively, every row of
//! every net at several positions: tests/explain.rs.)

use burn::tensor::{Distribution, Tensor};
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig};
use cnn_playground::model::Net;
use cnn_playground::shape::{Row, ShapeTable};
use cnn_playground::training::explain::{ExplainMode, Explainer, Position};
use wasm_bindgen_test::*;

use super::webgpu;

/// Every row path under `prefix`, with its output shape.
fn outputs(rows: &[Row], prefix: &[usize], out: &mut Vec<(Vec<usize>, Vec<usize>)>) {
    for (i, row) in rows.iter().enumerate() {
        let mut path = prefix.to_vec();
        path.push(i);
        out.push((path.clone(), row.output.clone()));
        outputs(&row.children, &path, out);
    }
}

fn middle(shape: &[usize]) -> Position {
    match *shape {
        [1, c, h, w] => Position::new(c / 2, h / 2, w / 2),
        [1, f] => Position::new(f / 2, 0, 0),
        _ => panic!("unexpected shape {shape:?}"),
    }
}

async fn check(arch: Arch, side: usize, modes: &[ExplainMode]) {
    let device = webgpu().await.autodiff();
    let config = NetConfig::default_for(arch);
    let net = Net::init(&config, side, &device).unwrap();
    let table = ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).unwrap();
    let mut rows = vec![];
    outputs(&table.rows, &[], &mut rows);
    let image = Tensor::<4>::random(
        [1, INPUT_CHANNELS, side, side],
        Distribution::Uniform(0.0, 1.0),
        &device,
    );
    for &mode in modes {
        let explainer = Explainer::new(&net, image.clone(), mode, Some(1));
        for (path, shape) in &rows {
            let at = middle(shape);
            let explained = explainer
                .explain(path, at, "webgpu")
                .await
                .unwrap_or_else(|e| panic!("{arch} row {path:?}: {e:?}"));
            let (value, computed) = (explained.explanation.value, explained.explanation.computed());
            assert!(
                (value - computed).abs() <= 1e-4 * value.abs().max(1.0),
                "{arch} {mode:?} row {path:?} at {at:?}: the net gave {value}, its arithmetic {computed}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn every_row_kind_explains_the_value_it_computed_on_webgpu() {
    check(Arch::BnLeNet, 28, &ExplainMode::ALL).await;
    check(Arch::GoogLeNet, 40, &[ExplainMode::Eval]).await;
    check(Arch::ResNet, 32, &[ExplainMode::Eval]).await;
    check(Arch::DenseNet, 32, &[ExplainMode::Eval]).await;
}
