//! Each layer's weight-gradient norm, as the gradient view and
//! `cnnp train --grad-norms` show it: it matches autodiff's own gradients
//! and, for the last layer, the formula; and on the deep pair the plain
//! net's first layers get far smaller gradients than the residual twin's.
#![cfg(not(target_arch = "wasm32"))]

use burn::nn::loss::CrossEntropyLoss;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use burn::tensor::activation::softmax;
use cnn_playground::arch::{Arch, NetConfig, edit};
use cnn_playground::backend;
use cnn_playground::data::Resize;
use cnn_playground::model::{Features, LayerModule};
use cnn_playground::training::{
    self, Event, TrainConfig, batch_tensors, init_model, squared_norms, train_step_measured, weighted_layers,
};

mod common;

fn floats<const D: usize>(tensor: Tensor<D>) -> Vec<f64> {
    tensor
        .into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .unwrap()
        .into_iter()
        .map(f64::from)
        .collect()
}

/// A tiny LeNet: one 2-channel convolution, then the 10-way linear layer.
fn tiny() -> NetConfig {
    let net = edit::set(&NetConfig::default_for(Arch::LeNet), "ch", "2").unwrap();
    edit::set(&net, "dense", "").unwrap()
}

#[test]
fn norms_match_autodiff_and_the_last_layers_formula() {
    let device = backend::cpu().autodiff();
    let config = TrainConfig {
        net: tiny(),
        ..TrainConfig::book(Arch::LeNet)
    };
    let model = init_model(&config, &device).unwrap();
    let layers = weighted_layers(&model);
    let names: Vec<String> = layers.iter().map(|layer| layer.name.to_string()).collect();
    assert_eq!(names, ["1 conv 1→2 k5", "5 linear 392→10"]);

    let data = common::train_set();
    let indices: Vec<usize> = (0..16).collect();
    let (images, labels) = batch_tensors(&data.batch(&indices, &Resize::to(28)), &device);
    // The step's own measurement.
    let mut optimizer = training::optimizer(&config);
    let (_, figures) = train_step_measured(
        model.clone(),
        &mut optimizer,
        config.lr,
        images.clone(),
        labels.clone(),
        true,
    );
    let measured = floats(figures);
    assert_eq!(
        measured.len(),
        2 + 2 * layers.len(),
        "the norms, then the outputs"
    );

    // Autodiff's gradients, read back and summed here.
    let mut inputs_to_last = None;
    let logits = model.forward_watched(images, &mut |path, x| {
        if path == [3] {
            // The flattened maps: the last layer's input.
            if let Features::Flat(x) = x {
                inputs_to_last = Some(x.clone().detach().inner());
            }
        }
    });
    let logits_for_outputs = logits.clone().detach();
    let loss = CrossEntropyLoss::new(None, &device).forward(logits.clone(), labels.clone());
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    let (LayerModule::Conv2d(conv), LayerModule::Linear(linear)) = (&model.layers[0], &model.layers[4])
    else {
        panic!("a convolution and a linear layer");
    };
    let conv_grad = floats(grads.get::<4>(conv.weight.id).unwrap());
    let linear_grad = floats(grads.get::<2>(linear.weight.id).unwrap());
    let sum_of_squares = |values: &[f64]| values.iter().map(|v| v * v).sum::<f64>();
    let close = |a: f64, b: f64, what: &str| {
        assert!((a - b).abs() <= 1e-5 * b.abs().max(1e-12), "{what}: {a} vs {b}");
    };
    close(measured[2], sum_of_squares(&conv_grad), "conv");
    close(measured[3], sum_of_squares(&linear_grad), "linear");
    // And the same on the device, outside a step.
    let again = floats(squared_norms(&model, &grads));
    close(again[0], measured[2], "conv, again");

    // The last layer by the formula: dL/dW = xᵀ (softmax(z) − onehot(y)) / N.
    let x = inputs_to_last.expect("the flattened input was seen");
    let n = x.dims()[0];
    let z = logits.detach().inner();
    let onehot = labels.inner().one_hot(10).float();
    let delta = (softmax(z, 1) - onehot) / n as f32;
    let formula = floats(x.transpose().matmul(delta));
    assert_eq!(formula.len(), linear_grad.len());
    for (a, b) in formula.iter().zip(&linear_grad) {
        assert!((a - b).abs() <= 1e-5, "formula {a} vs autodiff {b}");
    }
    close(sum_of_squares(&formula), measured[3], "linear by the formula");

    // The outputs' mean squares (over the batch's first images): the last
    // layer's output is the logits.
    let z = floats(logits_for_outputs.narrow(0, 0, training::OUTPUT_SAMPLE));
    let mean_square = sum_of_squares(&z) / z.len() as f64;
    close(measured[5], mean_square, "the logits' mean square");
}

/// Each weighted layer's gradient norm and output root mean square, after
/// one step of the deep pair's net on a fixed batch, and the layers' names.
fn first_and_last_norms(residual: bool) -> (Vec<f64>, Vec<f64>, Vec<String>) {
    let device = backend::cpu().autodiff();
    let config = TrainConfig {
        net: edit::deep_pair(residual),
        resize: edit::DEEP_PAIR_SIDE,
        batch_size: 64,
        seed: 0,
        ..TrainConfig::book(Arch::ResNet)
    };
    let model = init_model(&config, &device).unwrap();
    let names = weighted_layers(&model)
        .into_iter()
        .map(|layer| layer.name.to_string())
        .collect();
    let data = common::train_set();
    let indices: Vec<usize> = (0..64).collect();
    let (images, labels) = batch_tensors(&data.batch(&indices, &Resize::to(config.resize)), &device);
    let mut optimizer = training::optimizer(&config);
    let (_, figures) = train_step_measured(model, &mut optimizer, config.lr, images, labels, true);
    let roots: Vec<f64> = floats(figures)[2..].iter().map(|square| square.sqrt()).collect();
    let (norms, outputs) = roots.split_at(roots.len() / 2);
    (norms.to_vec(), outputs.to_vec(), names)
}

#[test]
fn the_plain_nets_first_layers_get_far_smaller_gradients_than_the_residual_twins() {
    let (plain, plain_outputs, names) = first_and_last_norms(false);
    let (residual, residual_outputs, residual_names) = first_and_last_norms(true);
    assert_eq!(plain.len(), 34);
    assert_eq!(residual.len(), 34 + 3, "three 1×1 shortcut convolutions");
    assert_eq!(names[0], residual_names[0]);
    let ratio = residual[0] / plain[0];
    println!(
        "first layer ({}): plain {:.3e}, residual {:.3e}, ratio {ratio:.3e}; last layer: plain {:.3e}, residual {:.3e}",
        names[0], plain[0], residual[0], plain[33], residual[36]
    );
    for (i, (p, r)) in plain.iter().zip(&residual).take(2).enumerate() {
        assert!(
            p * 1e3 < *r,
            "layer {}: plain {p:.3e}, residual {r:.3e}",
            names[i]
        );
    }
    // With the book's Xavier initialisation and no batch norm, ReLU halves
    // the signal's variance at each plain layer: after 33 of them neither
    // the activations nor the gradients are left, at any depth. The
    // residual blocks add their input back and keep both.
    println!("plain: {plain:.1?}\nresidual: {residual:.1?}");
    assert!(plain.iter().all(|&n| n < 1e-6), "plain: {plain:?}");
    assert!(
        residual.iter().all(|&n| (1e-3..10.0).contains(&n)),
        "residual: {residual:?}"
    );
    // The outputs show the same: the plain net's signal fades layer by
    // layer, the residual net's does not.
    println!(
        "output rms, first and last layer: plain {:.2e} {:.2e}, residual {:.2e} {:.2e}",
        plain_outputs[0], plain_outputs[33], residual_outputs[0], residual_outputs[36]
    );
    assert!(
        plain_outputs[33] * 1e3 < plain_outputs[0],
        "plain: {plain_outputs:?}"
    );
    assert!(
        residual_outputs[36] > residual_outputs[0] * 1e-2,
        "residual: {residual_outputs:?}"
    );
}

/// Every event of a run of `config`.
fn events_of(config: &TrainConfig) -> Vec<Event> {
    let mut host = common::Recorder::new(|_| false);
    common::train(config, &mut host).unwrap();
    host.events
}

#[test]
fn a_run_with_grad_norms_reports_every_step() {
    let config = TrainConfig {
        net: tiny(),
        epochs: 1,
        batch_size: 32,
        train_limit: Some(96),
        test_limit: Some(32),
        grad_norms: true,
        ..TrainConfig::book(Arch::LeNet)
    };
    let events = events_of(&config);
    let Event::Started { weighted_layers, .. } = &events[0] else {
        panic!("started first");
    };
    assert_eq!(weighted_layers.len(), 2);
    let steps: Vec<&Vec<f64>> = events
        .iter()
        .filter_map(|event| match event {
            Event::Gradients { norms, .. } => Some(norms),
            _ => None,
        })
        .collect();
    assert_eq!(steps.len(), 3);
    let positive = |norms: &&Vec<f64>| norms.len() == 2 && norms.iter().all(|n| n.is_finite() && *n > 0.0);
    assert!(steps.iter().all(positive));
    // Every second step: the first and the third.
    let every_second = TrainConfig {
        grad_norms_every: 2,
        ..config.clone()
    };
    let measured: Vec<usize> = events_of(&every_second)
        .iter()
        .filter_map(|event| match event {
            Event::Gradients { batch, .. } => Some(*batch),
            _ => None,
        })
        .collect();
    assert_eq!(measured, [1, 3]);
    // Off, nothing is measured.
    let off = TrainConfig {
        grad_norms: false,
        ..config
    };
    assert!(
        !events_of(&off)
            .iter()
            .any(|event| matches!(event, Event::Gradients { .. }))
    );
}
