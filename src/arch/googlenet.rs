//! GoogLeNet (d2l §7.4), beside the book's
//!
//! ```python
//! class Inception(nn.Module):
//!     # c1--c4 are the number of output channels for each path
//!     def __init__(self, in_channels, c1, c2, c3, c4, **kwargs):
//!         # Path 1 is a single 1 x 1 convolutional layer
//!         self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
//!         # Path 2 is a 1 x 1 convolutional layer followed by a 3 x 3 one
//!         self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
//!         self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
//!         # Path 3 is a 1 x 1 convolutional layer followed by a 5 x 5 one
//!         self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
//!         self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
//!         # Path 4 is a 3 x 3 max pooling layer followed by a 1 x 1 convolution
//!         self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
//!         self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)
//!
//!     def forward(self, x):
//!         p1 = F.relu(self.p1_1(x))
//!         p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
//!         p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
//!         p4 = F.relu(self.p4_2(self.p4_1(x)))
//!         return torch.cat((p1, p2, p3, p4), dim=1)
//!
//! b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3),
//!                    nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
//! b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1), nn.ReLU(),
//!                    nn.Conv2d(64, 192, kernel_size=3, padding=1), nn.ReLU(),
//!                    nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
//! b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32),
//!                    Inception(256, 128, (128, 192), (32, 96), 64),
//!                    nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
//! b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64),
//!                    Inception(512, 160, (112, 224), (24, 64), 64),
//!                    Inception(512, 128, (128, 256), (24, 64), 64),
//!                    Inception(512, 112, (144, 288), (32, 64), 64),
//!                    Inception(528, 256, (160, 320), (32, 128), 128),
//!                    nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
//! b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128),
//!                    Inception(832, 384, (192, 384), (48, 128), 128),
//!                    nn.AdaptiveAvgPool2d((1,1)),
//!                    nn.Flatten())
//! net = nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, 10))
//! ```
//!
//! with every Inception block's path widths in [`GoogLeNetConfig`].

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

/// `(c1, c2[0], c2[1], c3[0], c3[1], c4)` of one Inception block.
pub type InceptionWidths = (usize, usize, usize, usize, usize, usize);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GoogLeNetConfig {
    pub b3: Vec<InceptionWidths>,
    pub b4: Vec<InceptionWidths>,
    pub b5: Vec<InceptionWidths>,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for GoogLeNetConfig {
    fn default() -> Self {
        Self {
            b3: vec![(64, 96, 128, 16, 32, 32), (128, 128, 192, 32, 96, 64)],
            b4: vec![
                (192, 96, 208, 16, 48, 64),
                (160, 112, 224, 24, 64, 64),
                (128, 128, 256, 24, 64, 64),
                (112, 144, 288, 32, 64, 64),
                (256, 160, 320, 32, 128, 128),
            ],
            b5: vec![(256, 160, 320, 32, 128, 128), (384, 192, 384, 48, 128, 128)],
            io: NetIo::default(),
        }
    }
}

/// `c1`..`c4` are the output channels of the four paths.
fn inception(c1: usize, c2: (usize, usize), c3: (usize, usize), c4: usize) -> Layer {
    Layer::Inception {
        paths: vec![
            // Path 1 is a single 1 x 1 convolutional layer
            vec![conv(c1, 1), relu()],
            // Path 2 is a 1 x 1 convolutional layer followed by a 3 x 3 one
            vec![conv(c2.0, 1), relu(), conv(c2.1, 3).padding(1), relu()],
            // Path 3 is a 1 x 1 convolutional layer followed by a 5 x 5 one
            vec![conv(c3.0, 1), relu(), conv(c3.1, 5).padding(2), relu()],
            // Path 4 is a 3 x 3 max pooling layer followed by a 1 x 1 convolution
            vec![max_pool(3, 1).padding(1), conv(c4, 1), relu()],
        ],
    }
}

fn inceptions(widths: &[InceptionWidths]) -> Vec<Layer> {
    widths.iter().map(|&(c1, c2a, c2b, c3a, c3b, c4)| inception(c1, (c2a, c2b), (c3a, c3b), c4)).collect()
}

pub fn googlenet(config: &GoogLeNetConfig) -> Vec<Layer> {
    let b1 = sequential("b1", vec![
        conv(64, 7).stride(2).padding(3),
        relu(), max_pool(3, 2).padding(1),
    ]);
    let b2 = sequential("b2", vec![
        conv(64, 1), relu(),
        conv(192, 3).padding(1), relu(),
        max_pool(3, 2).padding(1),
    ]);
    let mut b3 = inceptions(&config.b3);
    b3.push(max_pool(3, 2).padding(1));
    let mut b4 = inceptions(&config.b4);
    b4.push(max_pool(3, 2).padding(1));
    let mut b5 = inceptions(&config.b5);
    b5.extend([global_avg_pool(), flatten()]);
    let (b3, b4, b5) = (sequential("b3", b3), sequential("b4", b4), sequential("b5", b5));
    vec![b1, b2, b3, b4, b5, linear(config.io.classes)]
}
