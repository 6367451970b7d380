//! ResNet-18 (d2l §7.6), beside the book's
//!
//! ```python
//! class Residual(nn.Module):
//!     def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
//!         self.conv1 = nn.Conv2d(input_channels, num_channels,
//!                                kernel_size=3, padding=1, stride=strides)
//!         self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
//!         if use_1x1conv:
//!             self.conv3 = nn.Conv2d(input_channels, num_channels,
//!                                    kernel_size=1, stride=strides)
//!         else:
//!             self.conv3 = None
//!         self.bn1 = nn.BatchNorm2d(num_channels)
//!         self.bn2 = nn.BatchNorm2d(num_channels)
//!
//!     def forward(self, X):
//!         Y = F.relu(self.bn1(self.conv1(X)))
//!         Y = self.bn2(self.conv2(Y))
//!         if self.conv3:
//!             X = self.conv3(X)
//!         Y += X
//!         return F.relu(Y)
//!
//! b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3),
//!                    nn.BatchNorm2d(64), nn.ReLU(),
//!                    nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
//!
//! def resnet_block(input_channels, num_channels, num_residuals, first_block=False):
//!     blk = []
//!     for i in range(num_residuals):
//!         if i == 0 and not first_block:
//!             blk.append(Residual(input_channels, num_channels,
//!                                 use_1x1conv=True, strides=2))
//!         else:
//!             blk.append(Residual(num_channels, num_channels))
//!     return blk
//!
//! b2 = nn.Sequential(*resnet_block(64, 64, 2, first_block=True))
//! b3 = nn.Sequential(*resnet_block(64, 128, 2))
//! b4 = nn.Sequential(*resnet_block(128, 256, 2))
//! b5 = nn.Sequential(*resnet_block(256, 512, 2))
//!
//! net = nn.Sequential(b1, b2, b3, b4, b5,
//!                     nn.AdaptiveAvgPool2d((1,1)),
//!                     nn.Flatten(), nn.Linear(512, 10))
//! ```
//!
//! with the stages, b1's width, the shortcut (off: a "plain" net of the same
//! depth) and batch norm in [`ResNetConfig`].

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResNetConfig {
    /// `(num_channels, num_residuals)` of b2, b3, ...; every stage but the
    /// first halves the height and width.
    pub stages: Vec<(usize, usize)>,
    /// Channels out of b1: 64 in the book.
    pub b1_channels: usize,
    /// `Y += X`: off, each block is `relu(body(x))`, a plain net.
    pub shortcut: bool,
    /// The `nn.BatchNorm2d` layers: off, none of them.
    pub batch_norm: bool,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for ResNetConfig {
    fn default() -> Self {
        Self {
            stages: vec![(64, 2), (128, 2), (256, 2), (512, 2)],
            b1_channels: 64,
            shortcut: true,
            batch_norm: true,
            io: NetIo::default(),
        }
    }
}

fn residual(config: &ResNetConfig, num_channels: usize, use_1x1conv: bool, strides: usize) -> Layer {
    let bn = || config.batch_norm.then(batch_norm);
    let mut body = vec![conv(num_channels, 3).padding(1).stride(strides)];
    body.extend(bn());
    body.push(relu());
    body.push(conv(num_channels, 3).padding(1));
    body.extend(bn());
    if !config.shortcut {
        // A plain block: the same layers, nothing added back.
        body.push(relu());
        return sequential("plain", body);
    }
    let shortcut = match use_1x1conv {
        true => vec![conv(num_channels, 1).stride(strides)],
        false => vec![],
    };
    Layer::Residual { body, shortcut }
}

fn resnet_block(config: &ResNetConfig, input_channels: usize, num_channels: usize, num_residuals: usize, first_block: bool) -> Vec<Layer> {
    let mut blk = vec![];
    for i in 0..num_residuals {
        if i == 0 && !first_block {
            blk.push(residual(config, num_channels, true, 2));
        } else if i == 0 && input_channels != num_channels {
            // Not in the book, whose b2 keeps b1's 64 channels: an edited
            // first stage that changes the width needs the 1x1 shortcut too.
            blk.push(residual(config, num_channels, true, 1));
        } else {
            blk.push(residual(config, num_channels, false, 1));
        }
    }
    blk
}

pub fn resnet(config: &ResNetConfig) -> Vec<Layer> {
    let mut b1 = vec![conv(config.b1_channels, 7).stride(2).padding(3)];
    b1.extend(config.batch_norm.then(batch_norm));
    b1.extend([relu(), max_pool(3, 2).padding(1)]);
    let mut net = vec![sequential("b1", b1)];
    let mut input_channels = config.b1_channels;
    for (i, &(num_channels, num_residuals)) in config.stages.iter().enumerate() {
        let blk = resnet_block(config, input_channels, num_channels, num_residuals, i == 0);
        net.push(sequential(format!("b{}", i + 2), blk));
        input_channels = num_channels;
    }
    net.extend([global_avg_pool(), flatten(), linear(config.io.classes)]);
    net
}
