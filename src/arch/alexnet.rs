//! AlexNet (d2l §7.1), beside the book's
//!
//! ```python
//! net = nn.Sequential(
//!     nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Flatten(),
//!     nn.Linear(6400, 4096), nn.ReLU(),
//!     nn.Dropout(p=0.5),
//!     nn.Linear(4096, 4096), nn.ReLU(),
//!     nn.Dropout(p=0.5),
//!     nn.Linear(4096, 10))
//! ```
//!
//! with its widths, the first convolution's window (what must change to
//! take 28×28 images without resizing) and dropout in [`AlexNetConfig`].

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlexNetConfig {
    /// Output channels of the five convolutions.
    pub channels: Vec<usize>,
    /// The first convolution's kernel, stride and padding: (11, 4, 1).
    pub first_conv: (usize, usize, usize),
    /// Width of the two hidden dense layers.
    pub dense: usize,
    pub dropout: f64,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for AlexNetConfig {
    fn default() -> Self {
        Self {
            channels: vec![96, 256, 384, 384, 256],
            first_conv: (11, 4, 1),
            dense: 4096,
            dropout: 0.5,
            io: NetIo::default(),
        }
    }
}

pub fn alexnet(config: &AlexNetConfig) -> Vec<Layer> {
    let c = |i: usize| config.channels.get(i).copied().unwrap_or(0);
    let (kernel, stride, padding) = config.first_conv;
    let (dense, p) = (config.dense, config.dropout);
    vec![
        conv(c(0), kernel).stride(stride).padding(padding), relu(),
        max_pool(3, 2),
        conv(c(1), 5).padding(2), relu(),
        max_pool(3, 2),
        conv(c(2), 3).padding(1), relu(),
        conv(c(3), 3).padding(1), relu(),
        conv(c(4), 3).padding(1), relu(),
        max_pool(3, 2),
        flatten(),
        linear(dense), relu(),
        dropout(p),
        linear(dense), relu(),
        dropout(p),
        linear(config.io.classes),
    ]
}
