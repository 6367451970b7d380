//! VGG-11 (d2l §7.2), beside the book's
//!
//! ```python
//! def vgg_block(num_convs, in_channels, out_channels):
//!     layers = []
//!     for _ in range(num_convs):
//!         layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
//!         layers.append(nn.ReLU())
//!         in_channels = out_channels
//!     layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
//!     return nn.Sequential(*layers)
//!
//! conv_arch = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))
//!
//! def vgg(conv_arch):
//!     conv_blks = []
//!     in_channels = 1
//!     for (num_convs, out_channels) in conv_arch:
//!         conv_blks.append(vgg_block(num_convs, in_channels, out_channels))
//!         in_channels = out_channels
//!     return nn.Sequential(
//!         *conv_blks, nn.Flatten(),
//!         nn.Linear(out_channels * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
//!         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
//!         nn.Linear(4096, 10))
//!
//! ratio = 4
//! small_conv_arch = [(pair[0], pair[1] // ratio) for pair in conv_arch]
//! net = vgg(small_conv_arch)
//! ```
//!
//! As in the book, `ratio` slims the convolutions only; the dense layers
//! keep their 4096 units.

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VggConfig {
    /// `(num_convs, out_channels)` per block, at full width.
    pub conv_arch: Vec<(usize, usize)>,
    /// Every convolution's width is divided by this: 4 trains in minutes,
    /// 1 is the net the book prints.
    pub ratio: usize,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for VggConfig {
    fn default() -> Self {
        Self {
            conv_arch: vec![(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)],
            ratio: 4,
            io: NetIo::default(),
        }
    }
}

fn vgg_block(num_convs: usize, out_channels: usize) -> Layer {
    let mut layers = vec![];
    for _ in 0..num_convs {
        layers.push(conv(out_channels, 3).padding(1));
        layers.push(relu());
    }
    layers.push(max_pool(2, 2));
    sequential(format!("vgg_block({num_convs}, {out_channels})"), layers)
}

pub fn vgg(config: &VggConfig) -> Vec<Layer> {
    let small_conv_arch = config.conv_arch.iter().map(|&(n, c)| (n, c / config.ratio.max(1)));
    let mut net: Vec<Layer> = small_conv_arch.map(|(n, c)| vgg_block(n, c)).collect();
    net.extend([
        flatten(),
        linear(4096), relu(), dropout(0.5),
        linear(4096), relu(), dropout(0.5),
        linear(config.io.classes),
    ]);
    net
}
