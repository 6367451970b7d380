//! What to call a net, typed: the book's name, the depth-named variant
//! for VGG and ResNet, or the net's name marked as edited. The words are
//! in `crate::i18n::nets`, in English and Chinese.

use serde::{Deserialize, Serialize};

use super::{Arch, NetConfig, ResNetConfig};

/// What to call a net (`NetConfig::title`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Adjacently tagged: an internally tagged enum cannot carry a newtype
// variant of a string.
#[serde(tag = "title", content = "detail", rename_all = "snake_case")]
pub enum NetTitle {
    /// The book's net: `LeNet`.
    Book(Arch),
    /// Another net of this kind: `LeNet (edited)`.
    Edited(Arch),
    /// VGG by its layers with weights: `VGG-16`.
    Vgg { layers: usize },
    /// ResNet by its depth: `ResNet-34`, `plain 34-layer net without batch
    /// norm (narrow)`.
    ResNet {
        depth: usize,
        shortcut: bool,
        batch_norm: bool,
        widths: Widths,
    },
}

/// A ResNet's widths next to the book's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Widths {
    Book,
    /// None wider than the book's, some narrower.
    Narrow,
    Other,
}

impl NetConfig {
    /// What to call this net: the book's name when it is the book's net,
    /// the depth-named variant for VGG and ResNet (VGG-16, ResNet-34, a
    /// plain 34-layer net), else the net's name with "(edited)".
    pub fn title(&self) -> NetTitle {
        let arch = self.arch();
        match self {
            NetConfig::Vgg(config) => {
                let convs: usize = config.conv_arch.iter().map(|&(n, _)| n).sum();
                NetTitle::Vgg { layers: convs + 3 }
            }
            NetConfig::ResNet(config) => {
                // b1's convolution, two per residual block, the dense layer.
                let depth = 2 + 2 * config.stages.iter().map(|&(_, n)| n).sum::<usize>();
                let book = ResNetConfig::default();
                let widths = |c: &ResNetConfig| {
                    let mut widths = vec![c.b1_channels];
                    widths.extend(c.stages.iter().map(|&(channels, _)| channels));
                    widths
                };
                let (ours, books) = (widths(config), widths(&book));
                let widths = if ours.iter().zip(&books).all(|(a, b)| a <= b)
                    && ours.iter().zip(&books).any(|(a, b)| a < b)
                {
                    Widths::Narrow
                } else if ours.iter().zip(&books).any(|(a, b)| a != b) {
                    Widths::Other
                } else {
                    Widths::Book
                };
                NetTitle::ResNet {
                    depth,
                    shortcut: config.shortcut,
                    batch_norm: config.batch_norm,
                    widths,
                }
            }
            // The data's channels and classes are no edit of the book's net.
            _ if *self == NetConfig::default_for(arch).with_io(self.io()) => NetTitle::Book(arch),
            _ => NetTitle::Edited(arch),
        }
    }
}
