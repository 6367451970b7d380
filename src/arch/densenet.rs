//! DenseNet (d2l §7.7), beside the book's
//!
//! ```python
//! def conv_block(input_channels, num_channels):
//!     return nn.Sequential(
//!         nn.BatchNorm2d(input_channels), nn.ReLU(),
//!         nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1))
//!
//! class DenseBlock(nn.Module):
//!     def __init__(self, num_convs, input_channels, num_channels):
//!         layer = []
//!         for i in range(num_convs):
//!             layer.append(conv_block(num_channels * i + input_channels, num_channels))
//!         self.net = nn.Sequential(*layer)
//!
//!     def forward(self, X):
//!         for blk in self.net:
//!             Y = blk(X)
//!             # Concatenate the input and output of each block on the channel dimension
//!             X = torch.cat((X, Y), dim=1)
//!         return X
//!
//! def transition_block(input_channels, num_channels):
//!     return nn.Sequential(
//!         nn.BatchNorm2d(input_channels), nn.ReLU(),
//!         nn.Conv2d(input_channels, num_channels, kernel_size=1),
//!         nn.AvgPool2d(kernel_size=2, stride=2))
//!
//! b1 = nn.Sequential(...)  # as ResNet's
//!
//! # `num_channels`: the current number of channels
//! num_channels, growth_rate = 64, 32
//! num_convs_in_dense_blocks = [4, 4, 4, 4]
//! blks = []
//! for i, num_convs in enumerate(num_convs_in_dense_blocks):
//!     blks.append(DenseBlock(num_convs, num_channels, growth_rate))
//!     # This is the number of output channels in the previous dense block
//!     num_channels += num_convs * growth_rate
//!     # A transition layer that halves the number of channels is added between
//!     # the dense blocks
//!     if i != len(num_convs_in_dense_blocks) - 1:
//!         blks.append(transition_block(num_channels, num_channels // 2))
//!         num_channels = num_channels // 2
//!
//! net = nn.Sequential(
//!     b1, *blks,
//!     nn.BatchNorm2d(num_channels), nn.ReLU(),
//!     nn.AdaptiveAvgPool2d((1, 1)),
//!     nn.Flatten(),
//!     nn.Linear(num_channels, 10))
//! ```

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DenseNetConfig {
    /// Channels out of b1, into the first dense block.
    pub num_channels: usize,
    /// Channels each conv block adds.
    pub growth_rate: usize,
    pub num_convs_in_dense_blocks: Vec<usize>,
    /// Each transition block divides the channels by this: 2 in the book.
    pub transition_divisor: usize,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for DenseNetConfig {
    fn default() -> Self {
        Self {
            num_channels: 64,
            growth_rate: 32,
            num_convs_in_dense_blocks: vec![4, 4, 4, 4],
            transition_divisor: 2,
            io: NetIo::default(),
        }
    }
}

fn conv_block(num_channels: usize) -> Vec<Layer> {
    vec![batch_norm(), relu(), conv(num_channels, 3).padding(1)]
}

fn dense_block(num_convs: usize, num_channels: usize) -> Layer {
    Layer::DenseBlock {
        conv_blocks: (0..num_convs).map(|_| conv_block(num_channels)).collect(),
    }
}

fn transition_block(num_channels: usize) -> Layer {
    sequential("transition_block", vec![
        batch_norm(), relu(),
        conv(num_channels, 1),
        avg_pool(2, 2),
    ])
}

pub fn densenet(config: &DenseNetConfig) -> Vec<Layer> {
    let mut num_channels = config.num_channels;
    let b1 = sequential("b1", vec![
        conv(num_channels, 7).stride(2).padding(3),
        batch_norm(), relu(),
        max_pool(3, 2).padding(1),
    ]);
    let growth_rate = config.growth_rate;
    let blocks = &config.num_convs_in_dense_blocks;
    let mut net = vec![b1];
    for (i, &num_convs) in blocks.iter().enumerate() {
        net.push(dense_block(num_convs, growth_rate));
        // This is the number of output channels in the previous dense block
        num_channels += num_convs * growth_rate;
        // A transition layer that halves the number of channels is added
        // between the dense blocks
        if i != blocks.len() - 1 {
            let divisor = config.transition_divisor.max(1);
            net.push(transition_block(num_channels / divisor));
            num_channels /= divisor;
        }
    }
    net.extend([
        batch_norm(), relu(),
        global_avg_pool(),
        flatten(),
        linear(config.io.classes),
    ]);
    net
}
