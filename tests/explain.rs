//! "How this row computes": for every row of every net at its book size,
//! the arithmetic an explanation shows gives the value the forward pass
//! computed at that position, in evaluation and in training mode.
#![cfg(not(target_arch = "wasm32"))]

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Distribution, Tensor};
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig};
use cnn_playground::backend;
use cnn_playground::model::Net;
use cnn_playground::shape::{Row, ShapeTable};
use cnn_playground::training::explain::{ExplainError, ExplainMode, Explainer, How, Position};

/// Adds noise to every weight and bias, so that no bias is zero and no
/// scale one: an explanation that left one out would then be wrong.
struct Jitter;

impl ModuleMapper for Jitter {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|tensor| {
            let noise = Tensor::random(tensor.shape(), Distribution::Uniform(-0.1, 0.1), &tensor.device());
            tensor + noise
        })
    }
}

/// A net of `arch` at its book size, its weights jittered and its batch
/// norms' running statistics moved off 0 and 1 by two training passes.
fn net(arch: Arch) -> (Net, usize) {
    let side = arch.book_settings().resize;
    let device = backend::cpu().autodiff();
    device.seed(7);
    let net = Net::init(&NetConfig::default_for(arch), side, &device)
        .unwrap()
        .map(&mut Jitter);
    for _ in 0..2 {
        let batch = Tensor::<4>::random(
            [2, INPUT_CHANNELS, side, side],
            Distribution::Uniform(0.0, 1.0),
            &device,
        );
        let _ = net.forward(batch);
    }
    (net, side)
}

/// Every row path under `prefix`, with its row.
fn rows<'a>(rows: &'a [Row], prefix: &[usize], out: &mut Vec<(Vec<usize>, &'a Row)>) {
    for (i, row) in rows.iter().enumerate() {
        let mut path = prefix.to_vec();
        path.push(i);
        out.push((path.clone(), row));
        self::rows(&row.children, &path, out);
    }
}

/// Positions to explain in an output of `shape`: corners, the middle and
/// a border cell (where padding is read).
fn positions(shape: &[usize]) -> Vec<Position> {
    match *shape {
        [1, c, h, w] => vec![
            Position::new(0, 0, 0),
            Position::new(c / 2, h / 2, w / 2),
            Position::new(c - 1, h - 1, w - 1),
            Position::new(c / 3, 0, w - 1),
        ],
        [1, f] => vec![
            Position::new(0, 0, 0),
            Position::new(f / 2, 0, 0),
            Position::new(f - 1, 0, 0),
        ],
        _ => panic!("unexpected shape {shape:?}"),
    }
}

/// The name of a `How`, to count which kinds the test reached.
fn kind(how: &How) -> &'static str {
    match how {
        How::Conv(conv) if conv.is_one_by_one() => "conv 1×1",
        How::Conv(_) => "conv",
        How::Pool(_) => "pool",
        How::BatchNorm(_) => "batch norm",
        How::Dense(_) => "dense",
        How::Elementwise(_) => "elementwise",
        How::Flatten(_) => "flatten",
        How::Concat(_) => "concat",
        How::Residual(_) => "residual",
        How::Sequence(_) => "sequence",
    }
}

fn check(arch: Arch, mode: ExplainMode, kinds: &mut std::collections::BTreeSet<&'static str>) {
    let (net, side) = net(arch);
    let config = NetConfig::default_for(arch);
    let table = ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).unwrap();
    let device = backend::cpu().autodiff();
    let image = Tensor::<4>::random(
        [1, INPUT_CHANNELS, side, side],
        Distribution::Uniform(0.0, 1.0),
        &device,
    );
    let explainer = Explainer::new(&net, image, mode, Some(3));
    let mut all = vec![];
    rows(&table.rows, &[], &mut all);
    for (path, row) in all {
        for at in positions(&row.output) {
            let explained = pollster::block_on(explainer.explain(&path, at, "cpu"))
                .unwrap_or_else(|e| panic!("{arch} {mode:?} row {path:?} at {at:?}: {e:?}"));
            let explanation = explained.explanation;
            assert_eq!(explanation.output, row.output, "{arch} row {path:?}");
            assert_eq!(explanation.input, row.input, "{arch} row {path:?}");
            let (value, computed) = (explanation.value, explanation.computed());
            let tolerance = 1e-4 * value.abs().max(1.0);
            assert!(
                (value - computed).abs() <= tolerance,
                "{arch} {mode:?} row {path:?} ({}) at {at:?}: the net gave {value}, its arithmetic {computed}",
                row.name,
            );
            kinds.insert(kind(&explanation.how));
        }
    }
}

#[test]
fn every_row_of_every_net_explains_the_value_it_computed() {
    let mut kinds = std::collections::BTreeSet::new();
    for arch in Arch::ALL {
        for mode in ExplainMode::ALL {
            check(arch, mode, &mut kinds);
        }
    }
    let expected = [
        "batch norm",
        "concat",
        "conv",
        "conv 1×1",
        "dense",
        "elementwise",
        "flatten",
        "pool",
        "residual",
        "sequence",
    ];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn a_position_outside_the_row_or_a_row_not_in_the_net_is_an_error() {
    let (net, side) = net(Arch::LeNet);
    let device = backend::cpu().autodiff();
    let image = Tensor::<4>::random(
        [1, INPUT_CHANNELS, side, side],
        Distribution::Uniform(0.0, 1.0),
        &device,
    );
    let explainer = Explainer::new(&net, image, ExplainMode::Eval, None);
    let outside = pollster::block_on(explainer.explain(&[0], Position::new(6, 0, 0), "cpu"));
    assert_eq!(
        outside.unwrap_err(),
        ExplainError::Outside {
            at: Position::new(6, 0, 0),
            shape: vec![1, 6, 28, 28]
        }
    );
    let no_row = pollster::block_on(explainer.explain(&[40], Position::default(), "cpu"));
    assert_eq!(no_row.unwrap_err(), ExplainError::NoRow { row: vec![40] });
}
