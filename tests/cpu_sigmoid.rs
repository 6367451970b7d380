//! Our sigmoid on the CPU backend (src/kernels/cpu.rs) agrees with Burn's:
//! outputs and gradients within 1e-6 over inputs from -100 to 100 (the
//! polynomial exponential against the library's), in a net's layout and
//! after a view (a transposed tensor), and a sigmoid deep in autodiff's
//! graph gives the gradient Burn's gives.
#![cfg(not(target_arch = "wasm32"))]

use burn::nn::Sigmoid;
use burn::tensor::activation;
use burn::tensor::{Tensor, TensorData};
use cnn_playground::backend;
use cnn_playground::kernels;
use common::numeric::{assert_close, values, weighting};

mod common;

/// Sigmoids and their gradients are within ±1, where `assert_close`'s
/// difference is the absolute one.
const TOLERANCE: f32 = 1e-6;

/// Inputs from -100 to 100, dense near 0 where the sigmoid bends, with the
/// extremes where the exponential over- and underflows.
fn inputs() -> Vec<f32> {
    let mut x: Vec<f32> = (0..40_000).map(|i| (i as f32 - 20_000.0) / 2_000.0).collect();
    x.extend((0..2_000).map(|i| (i as f32 - 1_000.0) / 10.0));
    x.extend([
        -100.0,
        -88.8,
        -87.4,
        -30.0,
        0.0,
        -0.0,
        17.0,
        88.4,
        88.8,
        100.0,
        f32::MIN_POSITIVE,
    ]);
    x
}

/// Runs `sigmoid` on `input` (shape `[n / 8, 8]`) with autodiff, weighting
/// each output by its own factor; returns the output and input gradient.
fn run(input: &[f32], transposed: bool, sigmoid: impl Fn(Tensor<2>) -> Tensor<2>) -> (Vec<f32>, Vec<f32>) {
    let device = backend::cpu().autodiff();
    let x =
        Tensor::<2>::from_data(TensorData::new(input.to_vec(), [input.len() / 8, 8]), &device).require_grad();
    let viewed = if transposed {
        x.clone().transpose()
    } else {
        x.clone()
    };
    let y = sigmoid(viewed);
    let weighting = Tensor::<2>::from_data(TensorData::new(weighting(input.len()), y.dims()), &device);
    let grads = (y.clone() * weighting).sum().backward();
    (values(y.detach()), values(x.grad(&grads).expect("a gradient")))
}

#[test]
fn our_cpu_sigmoid_and_its_gradient_agree_with_burns() {
    let mut input = inputs();
    input.truncate(input.len() / 8 * 8);
    for transposed in [false, true] {
        let (ours, ours_grad) = run(&input, transposed, |x| kernels::sigmoid(&Sigmoid::new(), x));
        let (burns, burns_grad) = run(&input, transposed, activation::sigmoid);
        let layout = if transposed { "transposed" } else { "contiguous" };
        // Burn's is the expected result, ours the actual one.
        assert_close(&format!("{layout}: output"), &burns, &ours, TOLERANCE);
        assert_close(
            &format!("{layout}: input gradient"),
            &burns_grad,
            &ours_grad,
            TOLERANCE,
        );
    }
}

#[test]
fn our_cpu_sigmoid_in_a_chain_gives_burns_gradient() {
    // x → sigmoid → ×3 → sigmoid → sum: the first sigmoid's output is shared
    // with the multiplication's graph, and the gradient flows through both.
    let device = backend::cpu().autodiff();
    let data = TensorData::new(
        (0..4096).map(|i| (i as f32 - 2048.0) / 300.0).collect::<Vec<_>>(),
        [8, 8, 8, 8],
    );
    let chain = |ours: bool| {
        let x = Tensor::<4>::from_data(data.clone(), &device).require_grad();
        let sigmoid = |t: Tensor<4>| {
            if ours {
                kernels::sigmoid(&Sigmoid::new(), t)
            } else {
                activation::sigmoid(t)
            }
        };
        let s = sigmoid(x.clone());
        let y = sigmoid(s.clone() * 3.0) + s;
        let grads = y.sum().backward();
        values(x.grad(&grads).expect("a gradient"))
    };
    assert_close("chain: input gradient", &chain(false), &chain(true), TOLERANCE);
}
