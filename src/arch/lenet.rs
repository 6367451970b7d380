//! LeNet (d2l §6.6), beside the book's
//!
//! ```python
//! net = nn.Sequential(
//!     nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2),
//!     nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2),
//!     nn.Flatten(),
//!     nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
//!     nn.Linear(120, 84), nn.Sigmoid(),
//!     nn.Linear(84, 10))
//! ```
//!
//! with what the book's exercises change named in [`LeNetConfig`]: the
//! activation, the pooling, the channels, the kernel size, the dense widths.

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeNetConfig {
    /// `nn.Sigmoid()` in the book; the exercise tries `nn.ReLU()`.
    pub activation: Activation,
    /// `nn.AvgPool2d` in the book; the exercise tries `nn.MaxPool2d`.
    pub pooling: Pooling,
    /// Output channels of the two convolutions.
    pub channels: Vec<usize>,
    /// Kernel side of every convolution.
    pub kernel: usize,
    /// Padding of the first convolution (2 keeps 28×28 at 5×5).
    pub padding: usize,
    /// Widths of the dense layers before the last (10-way) one.
    pub dense: Vec<usize>,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for LeNetConfig {
    fn default() -> Self {
        Self {
            activation: Activation::Sigmoid,
            pooling: Pooling::Avg,
            channels: vec![6, 16],
            kernel: 5,
            padding: 2,
            dense: vec![120, 84],
            io: NetIo::default(),
        }
    }
}

pub fn lenet(config: &LeNetConfig) -> Vec<Layer> {
    let LeNetConfig { activation: act, pooling, kernel, padding, .. } = *config;
    let mut net = vec![];
    for (i, &channels) in config.channels.iter().enumerate() {
        let padding = if i == 0 { padding } else { 0 };
        net.extend([
            conv(channels, kernel).padding(padding), activation(act),
            pool(pooling, 2, 2),
        ]);
    }
    net.push(flatten());
    for &width in &config.dense {
        net.extend([linear(width), activation(act)]);
    }
    net.push(linear(config.io.classes));
    net
}
