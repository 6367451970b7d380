//! The training loop on the CPU backend: it learns, every net takes a step,
//! divergence and stop are clean endings, and the events come in order.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use burn::module::Module;
use burn::tensor::Tensor;
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig, VggConfig};
use cnn_playground::backend;
use cnn_playground::data::Resize;
use cnn_playground::model::{LayerModule, Net};
use cnn_playground::shape::ShapeTable;
use cnn_playground::training::{
    self, Confusion, Ending, Event, OptimizerKind, TrainConfig, batch_tensors, init_model, train_step,
};
use common::Recorder;

mod common;

#[test]
fn bn_lenet_learns_on_a_subset() {
    let config = TrainConfig {
        epochs: 3,
        train_limit: Some(3_000),
        test_limit: Some(1_000),
        ..TrainConfig::book(Arch::BnLeNet)
    };
    let mut host = Recorder::new(|_| false);
    let outcome = common::train(&config, &mut host).unwrap();
    assert_eq!(outcome.ending, Ending::Finished);
    let history = &outcome.history;
    assert_eq!(history.len(), 3);
    for report in history {
        println!("{}", report.book_line());
        assert!(report.examples_per_s > 0.0 && report.seconds > 0.0);
        assert_eq!(report.backend, "cpu");
    }
    assert!(history[2].loss < history[0].loss, "the loss falls");
    assert!(
        history[2].train_acc > history[0].train_acc,
        "train accuracy rises"
    );
    assert!(
        history[2].test_acc > 0.6,
        "well above chance (0.1): {}",
        history[2].test_acc
    );
    // The confusion matrix counts every test image once, by its true class
    // (the test set's own label counts), and its diagonal is the accuracy.
    let test = common::test_set();
    for report in history {
        let confusion = &report.confusion;
        assert_eq!(confusion.total(), 1_000);
        assert_eq!(confusion.accuracy(), report.test_acc);
        for (class, row) in confusion.counts.iter().enumerate() {
            let images = (0..1_000).filter(|&i| test.label(i) as usize == class).count();
            assert_eq!(row.iter().sum::<u32>() as usize, images, "row {class}");
        }
    }
    // The host gets every test image's class, which the matrix counts.
    assert_eq!(host.predictions.len(), 3);
    for ((epoch, predicted), report) in host.predictions.iter().zip(history) {
        assert_eq!(*epoch, report.epoch);
        let labels = (0..1_000).map(|i| test.label(i) as usize);
        let again = training::Confusion::new(10, labels, predicted.iter().map(|&c| c as usize));
        assert_eq!(again, report.confusion);
    }
    let best = (0..10)
        .filter_map(|c| history[2].confusion.class_accuracy(c))
        .fold(0.0, f64::max);
    assert!(best > history[2].test_acc, "some class beats the mean");
}

#[test]
fn a_confusion_matrix_counts_by_true_and_predicted_class() {
    let confusion = Confusion::new(10, [0, 0, 1, 9, 9, 9, 12], [0, 1, 1, 9, 3, 9, 0]);
    assert_eq!(
        confusion.total(),
        6,
        "a label past the tenth class is not counted"
    );
    assert_eq!(confusion.correct(), 4);
    assert_eq!(confusion.accuracy(), 4.0 / 6.0);
    assert_eq!(confusion.counts[0][1], 1);
    assert_eq!(confusion.counts[9][3], 1);
    assert_eq!(confusion.class_accuracy(9), Some(2.0 / 3.0));
    assert_eq!(confusion.class_accuracy(2), None, "no image of class 2");
    assert_eq!(Confusion::default().accuracy(), 0.0);
}

#[test]
fn events_come_in_the_books_order() {
    let config = TrainConfig {
        epochs: 2,
        batch_size: 100,
        train_limit: Some(1_000),
        test_limit: Some(200),
        ..TrainConfig::book(Arch::LeNet)
    };
    let mut host = Recorder::new(|_| false);
    let outcome = common::train(&config, &mut host).unwrap();
    let events = &host.events;
    assert_eq!(
        events[0],
        Event::Started {
            batches_per_epoch: 10,
            train_examples: 1_000,
            test_examples: 200,
            weighted_layers: vec![],
        }
    );
    let batches = events.iter().filter(|e| matches!(e, Event::Batch { .. })).count();
    assert_eq!(batches, 20);
    // The book's plot: five points an epoch, at 0.2, 0.4, ... epochs.
    let xs: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            Event::Point { x, .. } => Some(*x),
            _ => None,
        })
        .collect();
    assert_eq!(xs.len(), 10);
    assert!((xs[0] - 0.2).abs() < 1e-9 && (xs[9] - 2.0).abs() < 1e-9, "{xs:?}");
    let epochs: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::Epoch { report } => Some(report.epoch),
            _ => None,
        })
        .collect();
    assert_eq!(epochs, [1, 2]);
    assert_eq!(outcome.history.len(), 2);
    assert!(
        outcome.history[0].book_line().starts_with("epoch 1: loss "),
        "{}",
        outcome.history[0].book_line()
    );
}

#[test]
fn stop_keeps_the_model_and_the_history() {
    let config = TrainConfig {
        epochs: 5,
        batch_size: 100,
        train_limit: Some(500),
        test_limit: Some(100),
        ..TrainConfig::book(Arch::LeNet)
    };
    // Stop in the middle of the second epoch.
    let mut host = Recorder::new(|e| {
        matches!(
            e,
            Event::Batch {
                epoch: 2,
                batch: 3,
                ..
            }
        )
    });
    let outcome = common::train(&config, &mut host).unwrap();
    assert_eq!(outcome.ending, Ending::Stopped { epoch: 2, batch: 3 });
    assert_eq!(outcome.history.len(), 1);
    assert!(outcome.ending.message().unwrap().to_string().contains("kept"));
    // The model is there and usable.
    let images = Tensor::<4>::zeros([1, 1, 28, 28], &backend::cpu());
    assert_eq!(outcome.model.valid().forward(images).dims(), [1, 10]);
}

#[test]
fn divergence_stops_with_a_message_and_finite_weights() {
    // A slim VGG: ReLUs and no batch norm let a huge step overflow to
    // infinity, and infinity minus infinity is NaN. (LeNet's sigmoids keep
    // even absurd weights' losses finite.)
    let config = TrainConfig {
        net: NetConfig::Vgg(VggConfig {
            ratio: 32,
            ..VggConfig::default()
        }),
        lr: 1e30,
        epochs: 1,
        batch_size: 16,
        resize: 32,
        train_limit: Some(160),
        test_limit: Some(16),
        ..TrainConfig::book(Arch::Vgg)
    };
    let mut host = Recorder::new(|_| false);
    let outcome = common::train(&config, &mut host).unwrap();
    let Ending::Diverged { epoch, batch, lr } = outcome.ending else {
        panic!("expected divergence, got {:?}", outcome.ending)
    };
    assert_eq!((epoch, lr), (1, 1e30));
    let message = outcome.ending.message().unwrap().to_string();
    assert!(message.contains(&format!("epoch 1, batch {batch}")), "{message}");
    assert!(message.contains("smaller learning rate"), "{message}");
    // The weights kept are the last that gave a finite loss.
    let train = common::train_set();
    let device = backend::cpu();
    let (images, _) = batch_tensors(&train.batch(&[0, 1, 2, 3], &Resize::to(32)), &device);
    let logits = outcome
        .model
        .valid()
        .forward(images)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    assert!(logits.iter().all(|v| v.is_finite()), "{logits:?}");
}

#[test]
fn bad_settings_are_refused_before_training() {
    let mut config = TrainConfig::book(Arch::AlexNet);
    config.resize = 28;
    config.lr = -1.0;
    config.batch_size = 0;
    let problems: Vec<String> = config.problems().iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("learning rate")));
    assert!(problems.iter().any(|p| p.contains("batch size")));
    assert!(problems.iter().any(|p| p.contains("MaxPool2d")));
    let result = common::train(&config, &mut Recorder::new(|_| false));
    assert!(matches!(result, Err(training::TrainError::Config(_))));
}

/// The smallest square input the net takes, from its shape table.
fn smallest_side(config: &NetConfig) -> usize {
    (1..=256)
        .find(|&side| ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).is_ok())
        .expect("some size fits")
}

#[test]
fn every_net_takes_a_training_step() {
    let train = common::train_set();
    let device = backend::cpu().autodiff();
    for arch in Arch::ALL {
        for optimizer in OptimizerKind::ALL {
            let mut config = TrainConfig::book(arch);
            config.resize = smallest_side(&config.net).max(16);
            config.optimizer = optimizer;
            config.lr = optimizer.default_lr(arch);
            let model = init_model(&config, &device).unwrap();
            let before: Vec<f32> = weights(&model);
            let mut optim = training::optimizer(&config);
            let (images, labels) =
                batch_tensors(&train.batch(&[0, 1, 2, 3], &Resize::to(config.resize)), &device);
            let (model, figures) = train_step(model, &mut optim, config.lr, images, labels);
            let figures = figures.into_data().try_to_vec::<f32>().unwrap();
            assert!(
                figures[0].is_finite() && figures[0] > 0.0,
                "{arch}: loss {}",
                figures[0]
            );
            assert!(
                (0.0..=4.0).contains(&figures[1]),
                "{arch}: correct {}",
                figures[1]
            );
            assert_ne!(
                before,
                weights(&model),
                "{arch} with {optimizer:?}: the weights moved"
            );
        }
    }
}

/// The first convolution's weights, flattened: every net starts with one.
fn weights(model: &Net) -> Vec<f32> {
    fn find(layers: &[LayerModule]) -> Option<Vec<f32>> {
        layers.iter().find_map(|layer| match layer {
            LayerModule::Conv2d(conv) => Some(conv.weight.val().into_data().try_to_vec::<f32>().unwrap()),
            LayerModule::Sequential(block) => find(&block.layers),
            _ => None,
        })
    }
    find(&model.layers).expect("a convolution")
}

#[test]
fn evaluation_uses_running_statistics() {
    // A batch-norm net in eval mode gives each image the same logits whatever
    // else is in its batch; in training mode it would not.
    let test = common::test_set();
    let device = backend::cpu();
    let config = TrainConfig::book(Arch::BnLeNet);
    let model = init_model(&config, &device.clone().autodiff()).unwrap().valid();
    let resize = Resize::to(28);
    let alone = model.forward(batch_tensors(&test.batch(&[0], &resize), &device).0);
    let together = model.forward(batch_tensors(&test.batch(&[0, 1, 2, 3], &resize), &device).0);
    let alone = alone.into_data().try_to_vec::<f32>().unwrap();
    let together = together.into_data().try_to_vec::<f32>().unwrap();
    for (a, b) in alone.iter().zip(&together[..10]) {
        assert!((a - b).abs() < 1e-5, "{alone:?} vs {together:?}");
    }
}

#[test]
fn inspecting_a_row_reads_its_output_the_probabilities_and_the_filters() {
    use cnn_playground::data::Resize;
    let config = TrainConfig::book(Arch::LeNet);
    let device = backend::cpu();
    let model = training::init_model(&config, &device.clone().autodiff()).unwrap();
    let test = common::test_set();
    let image = || training::image_tensor(&test.batch(&[0], &Resize::to(28)), &device);
    let inspect = |layer: &[usize]| pollster::block_on(training::look_inside(&model, image(), layer, "cpu"));

    let conv = inspect(&[0]).unwrap();
    assert_eq!(conv.shape, [1, 6, 28, 28]);
    assert_eq!(conv.values.len(), 6 * 28 * 28);
    assert_eq!(conv.channel_stats().len(), 6);
    let filters = conv.filters.as_ref().expect("a convolution shows its filters");
    assert_eq!((filters.shape, filters.in_channels), ([6, 1, 5, 5], 1));
    let LayerModule::Conv2d(layer) = &model.layers[0] else {
        panic!("row 1 is a convolution")
    };
    assert_eq!(
        filters.values,
        layer.weight.val().into_data().try_to_vec::<f32>().unwrap()
    );
    let sum: f32 = conv.probabilities.iter().sum();
    assert_eq!(conv.probabilities.len(), 10);
    assert!((sum - 1.0).abs() < 1e-5, "{sum}");

    // The last row is the logits: their softmax is the probabilities.
    let logits = inspect(&[11]).unwrap();
    assert_eq!(logits.shape, [1, 10]);
    assert!(logits.filters.is_none());
    let top = logits.values.iter().cloned().fold(f32::MIN, f32::max);
    let exp: Vec<f32> = logits.values.iter().map(|v| (v - top).exp()).collect();
    let total: f32 = exp.iter().sum();
    for (e, p) in exp.iter().zip(&logits.probabilities) {
        assert!((e / total - p).abs() < 1e-5);
    }
    assert_eq!(logits.predicted(), conv.predicted());

    // A deeper convolution shows the kernels over its first inputs.
    assert_eq!(inspect(&[3]).unwrap().filters.unwrap().shape, [16, 6, 5, 5]);
    // No row: only the probabilities; a row the net lacks: an error.
    let none = inspect(&[]).unwrap();
    assert!(none.shape.is_empty() && none.values.is_empty());
    assert_eq!(none.probabilities, conv.probabilities);
    assert!(inspect(&[40]).is_err());
    assert!(inspect(&[0, 1]).is_err());
}
