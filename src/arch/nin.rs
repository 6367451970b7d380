//! Network in Network (d2l §7.3), beside the book's
//!
//! ```python
//! def nin_block(in_channels, out_channels, kernel_size, strides, padding):
//!     return nn.Sequential(
//!         nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding),
//!         nn.ReLU(),
//!         nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
//!         nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU())
//!
//! net = nn.Sequential(
//!     nin_block(1, 96, kernel_size=11, strides=4, padding=0),
//!     nn.MaxPool2d(3, stride=2),
//!     nin_block(96, 256, kernel_size=5, strides=1, padding=2),
//!     nn.MaxPool2d(3, stride=2),
//!     nin_block(256, 384, kernel_size=3, strides=1, padding=1),
//!     nn.MaxPool2d(3, stride=2),
//!     nn.Dropout(0.5),
//!     nin_block(384, 10, kernel_size=3, strides=1, padding=1),
//!     nn.AdaptiveAvgPool2d((1, 1)),
//!     nn.Flatten())
//! ```
//!
//! with the blocks, the number of 1×1 convolutions in each (the exercise
//! tries one) and dropout in [`NiNConfig`].

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NiNConfig {
    /// `(out_channels, kernel_size, strides, padding)` of each nin_block; a
    /// max pooling follows every one but the last, whose channels are the
    /// classes.
    pub blocks: Vec<(usize, usize, usize, usize)>,
    /// 1×1 convolutions per block: 2 in the book.
    pub one_by_one: usize,
    pub dropout: f64,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for NiNConfig {
    fn default() -> Self {
        Self {
            blocks: vec![(96, 11, 4, 0), (256, 5, 1, 2), (384, 3, 1, 1), (10, 3, 1, 1)],
            one_by_one: 2,
            dropout: 0.5,
            io: NetIo::default(),
        }
    }
}

fn nin_block(out_channels: usize, kernel_size: usize, strides: usize, padding: usize, one_by_one: usize) -> Layer {
    let mut layers = vec![
        conv(out_channels, kernel_size).stride(strides).padding(padding),
        relu(),
    ];
    for _ in 0..one_by_one {
        layers.extend([conv(out_channels, 1), relu()]);
    }
    sequential(format!("nin_block({out_channels}, {kernel_size}, {strides}, {padding})"), layers)
}

pub fn nin(config: &NiNConfig) -> Vec<Layer> {
    let mut net = vec![];
    let last = config.blocks.len().saturating_sub(1);
    for (i, &(channels, kernel, strides, padding)) in config.blocks.iter().enumerate() {
        if i == last {
            net.push(dropout(config.dropout));
        }
        net.push(nin_block(channels, kernel, strides, padding, config.one_by_one));
        if i < last {
            net.push(max_pool(3, 2));
        }
    }
    net.extend([global_avg_pool(), flatten()]);
    net
}
