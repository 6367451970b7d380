//! What several native test files share: the bundled Fashion-MNIST files,
//! and a host that records a training run's events.
// Each test binary uses its own part of this.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Instant;

use cnn_playground::backend;
use cnn_playground::data::{Dataset, TEST_IMAGES, TEST_LABELS, TRAIN_IMAGES, TRAIN_LABELS};
use cnn_playground::training::{self, Control, Event, Host, TrainConfig};

/// One of the files in `assets/fashion-mnist/`.
pub fn asset(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/fashion-mnist")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The 60 000 training images.
pub fn train_set() -> Dataset {
    Dataset::from_gz(
        TRAIN_IMAGES,
        &asset(TRAIN_IMAGES),
        TRAIN_LABELS,
        &asset(TRAIN_LABELS),
    )
    .unwrap()
}

/// The 10 000 test images.
pub fn test_set() -> Dataset {
    Dataset::from_gz(TEST_IMAGES, &asset(TEST_IMAGES), TEST_LABELS, &asset(TEST_LABELS)).unwrap()
}

/// Records every event; answers `Stop` to the event `stop_at` picks.
pub struct Recorder {
    pub start: Instant,
    pub events: Vec<Event>,
    pub stop_at: fn(&Event) -> bool,
    /// Each epoch's predicted classes (`Host::evaluated`).
    pub predictions: Vec<(usize, Vec<u8>)>,
}

impl Recorder {
    pub fn new(stop_at: fn(&Event) -> bool) -> Self {
        Recorder {
            start: Instant::now(),
            events: vec![],
            stop_at,
            predictions: vec![],
        }
    }
}

impl Host for Recorder {
    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn event(&mut self, event: Event) -> Control {
        let stop = (self.stop_at)(&event);
        self.events.push(event);
        match stop {
            true => Control::Stop,
            false => Control::Continue,
        }
    }

    fn evaluated(&mut self, epoch: usize, predicted: &[u8]) {
        self.predictions.push((epoch, predicted.to_vec()));
    }
}

/// A run of `config` on the CPU backend over the training set, evaluated
/// on the test set, reported to `host`.
pub fn train(config: &TrainConfig, host: &mut Recorder) -> Result<training::Outcome, training::TrainError> {
    pollster::block_on(training::train(
        config,
        &train_set(),
        &test_set(),
        &backend::cpu(),
        "cpu",
        host,
    ))
}
