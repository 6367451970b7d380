//! What several native test files share: the bundled Fashion-MNIST files,
//! and a host that records a training run's events.
// Each test binary uses its own part of this.
#![allow(dead_code)]

pub mod layers;
pub mod numeric;
#[cfg(not(target_arch = "wasm32"))]
pub mod own_data;

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

/// How many mutated inputs a hostile-input test tries: `in_ci` (a few
/// thousand), or `CNNP_FUZZ_CASES` (`CNNP_FUZZ_CASES=300000 cargo test
/// --release --test data --test link --test weights hostile` for a long run).
pub fn fuzz_cases(in_ci: usize) -> usize {
    std::env::var("CNNP_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(in_ci)
}

/// xorshift64*: the same mutations on every run.
pub struct Mutator(pub u64);

impl Mutator {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `bytes` with one to four random edits: bits flipped, a cut, bytes
    /// inserted, a header field overwritten with an extreme number.
    pub fn mutate(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for _ in 0..1 + self.below(4) {
            match self.below(5) {
                0 if !out.is_empty() => {
                    let at = self.below(out.len());
                    out[at] ^= 1 << self.below(8);
                }
                1 => out.truncate(self.below(out.len() + 1)),
                2 => {
                    let at = self.below(out.len() + 1);
                    let extra: Vec<u8> = (0..1 + self.below(16)).map(|_| self.next() as u8).collect();
                    out.splice(at..at, extra);
                }
                3 if out.len() >= 16 => {
                    let field = 4 * self.below(4);
                    let value = [0, 1, u32::MAX, 0x7FFF_FFFF, self.next() as u32][self.below(5)];
                    out[field..field + 4].copy_from_slice(&value.to_be_bytes());
                }
                _ => out = (0..self.below(64)).map(|_| self.next() as u8).collect(),
            }
        }
        out
    }
}
