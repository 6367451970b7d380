//! The eight classic CNNs of *Dive into Deep Learning*, each described once,
//! in its own short file, as data.
//!
//! A description ([`NetConfig`]) turns into a list of [`Layer`]s; the shape
//! table (`crate::shape`) and the Burn module (`crate::model`) are both built
//! from that list, so they cannot disagree.

pub mod edit;
pub mod layer;

// Laid out as the book lays out its Python, line for line; rustfmt would
// put one layer per line.
#[rustfmt::skip]
mod alexnet;
#[rustfmt::skip]
mod bn_lenet;
#[rustfmt::skip]
mod densenet;
#[rustfmt::skip]
mod googlenet;
#[rustfmt::skip]
mod lenet;
#[rustfmt::skip]
mod nin;
#[rustfmt::skip]
mod resnet;
#[rustfmt::skip]
mod vgg;

use serde::{Deserialize, Serialize};

pub use alexnet::AlexNetConfig;
pub use bn_lenet::BnLeNetConfig;
pub use densenet::DenseNetConfig;
pub use googlenet::{GoogLeNetConfig, InceptionWidths};
pub use layer::{Activation, Layer, Pooling};
pub use lenet::LeNetConfig;
pub use nin::NiNConfig;
pub use resnet::ResNetConfig;
pub use vgg::VggConfig;

/// Fashion-MNIST images are grey: one input channel.
pub const INPUT_CHANNELS: usize = 1;
/// Fashion-MNIST has ten classes.
pub const NUM_CLASSES: usize = 10;
/// The largest input side anything here builds a net for (`cnnp
/// --resize`, a weights file's): 16 times ImageNet's 224-ish.
pub const MAX_INPUT_SIDE: usize = 4096;

/// Which of the eight nets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arch {
    #[serde(rename = "lenet")]
    LeNet,
    #[serde(rename = "alexnet")]
    AlexNet,
    Vgg,
    #[serde(rename = "nin")]
    NiN,
    #[serde(rename = "googlenet")]
    GoogLeNet,
    #[serde(rename = "bn-lenet")]
    BnLeNet,
    #[serde(rename = "resnet")]
    ResNet,
    #[serde(rename = "densenet")]
    DenseNet,
}

/// The book's training settings for a net (`train_ch6`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookSettings {
    pub lr: f64,
    pub batch_size: usize,
    /// Side of the (square) input the images are resized to.
    pub resize: usize,
    pub epochs: usize,
}

impl Arch {
    /// In the order the book introduces them (BN-LeNet comes with batch norm,
    /// after NiN and GoogLeNet).
    pub const ALL: [Arch; 8] = [
        Arch::LeNet,
        Arch::AlexNet,
        Arch::Vgg,
        Arch::NiN,
        Arch::GoogLeNet,
        Arch::BnLeNet,
        Arch::ResNet,
        Arch::DenseNet,
    ];

    /// The name used on the command line and in URLs.
    pub fn id(self) -> &'static str {
        match self {
            Arch::LeNet => "lenet",
            Arch::AlexNet => "alexnet",
            Arch::Vgg => "vgg",
            Arch::NiN => "nin",
            Arch::GoogLeNet => "googlenet",
            Arch::BnLeNet => "bn-lenet",
            Arch::ResNet => "resnet",
            Arch::DenseNet => "densenet",
        }
    }

    pub fn from_id(id: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|arch| arch.id() == id)
    }

    /// Every id, for messages that list what is accepted.
    pub fn ids() -> String {
        Arch::ALL.map(Arch::id).join("|")
    }

    pub fn title(self) -> &'static str {
        match self {
            Arch::LeNet => "LeNet",
            Arch::AlexNet => "AlexNet",
            Arch::Vgg => "VGG-11",
            Arch::NiN => "NiN",
            Arch::GoogLeNet => "GoogLeNet",
            Arch::BnLeNet => "LeNet + BatchNorm",
            Arch::ResNet => "ResNet-18",
            Arch::DenseNet => "DenseNet",
        }
    }

    /// One line for a student choosing a net.
    pub fn summary(self) -> &'static str {
        match self {
            Arch::LeNet => "1998: two sigmoid convolutions with average pooling, then three dense layers.",
            Arch::AlexNet => "2012: deeper and wider, ReLU, max pooling and dropout; won ImageNet.",
            Arch::Vgg => "2014: repeated blocks of 3×3 convolutions; VGG-11, slimmed by a width ratio.",
            Arch::NiN => {
                "2013: 1×1 convolutions as per-pixel MLPs, global average pooling instead of dense layers."
            }
            Arch::GoogLeNet => "2014: Inception blocks run 1×1, 3×3, 5×5 and pooling paths side by side.",
            Arch::BnLeNet => "2015: LeNet with batch normalisation after every convolution and dense layer.",
            Arch::ResNet => "2015: residual blocks add their input back, so very deep nets still train.",
            Arch::DenseNet => "2017: each layer sees the concatenated outputs of all layers before it.",
        }
    }

    /// The section of *Dive into Deep Learning* that builds it, numbered as in
    /// the PyTorch edition whose code we follow (d2l 0.17, the Chinese 2nd
    /// edition; the newest English edition adds one to the chapter).
    pub fn book_section(self) -> &'static str {
        match self {
            Arch::LeNet => "6.6",
            Arch::AlexNet => "7.1",
            Arch::Vgg => "7.2",
            Arch::NiN => "7.3",
            Arch::GoogLeNet => "7.4",
            Arch::BnLeNet => "7.5",
            Arch::ResNet => "7.6",
            Arch::DenseNet => "7.7",
        }
    }

    /// The book's hyper-parameters for training the net on Fashion-MNIST.
    pub fn book_settings(self) -> BookSettings {
        let (lr, batch_size, resize) = match self {
            Arch::LeNet => (0.9, 256, 28),
            Arch::AlexNet => (0.01, 128, 224),
            Arch::Vgg => (0.05, 128, 224),
            Arch::NiN => (0.1, 128, 224),
            Arch::GoogLeNet => (0.1, 128, 96),
            Arch::BnLeNet => (1.0, 256, 28),
            Arch::ResNet => (0.05, 256, 96),
            Arch::DenseNet => (0.1, 256, 96),
        };
        BookSettings {
            lr,
            batch_size,
            resize,
            epochs: 10,
        }
    }

    /// The net as the book prints its shape table, and at which input side:
    /// VGG at full width (ratio 1), ResNet at 224 though it trains at 96.
    pub fn book_table(self) -> (NetConfig, usize) {
        match self {
            Arch::Vgg => (
                NetConfig::Vgg(VggConfig {
                    ratio: 1,
                    ..VggConfig::default()
                }),
                224,
            ),
            Arch::ResNet => (NetConfig::default_for(self), 224),
            _ => (NetConfig::default_for(self), self.book_settings().resize),
        }
    }
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}

/// A net's description: which net, and the settings of it the book's text
/// and exercises change. Each net's defaults are the book's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "arch", rename_all = "kebab-case")]
pub enum NetConfig {
    #[serde(rename = "lenet")]
    LeNet(LeNetConfig),
    #[serde(rename = "alexnet")]
    AlexNet(AlexNetConfig),
    Vgg(VggConfig),
    #[serde(rename = "nin")]
    NiN(NiNConfig),
    #[serde(rename = "googlenet")]
    GoogLeNet(GoogLeNetConfig),
    #[serde(rename = "bn-lenet")]
    BnLeNet(BnLeNetConfig),
    #[serde(rename = "resnet")]
    ResNet(ResNetConfig),
    #[serde(rename = "densenet")]
    DenseNet(DenseNetConfig),
}

impl NetConfig {
    /// The net as the book trains it.
    pub fn default_for(arch: Arch) -> NetConfig {
        match arch {
            Arch::LeNet => NetConfig::LeNet(LeNetConfig::default()),
            Arch::AlexNet => NetConfig::AlexNet(AlexNetConfig::default()),
            Arch::Vgg => NetConfig::Vgg(VggConfig::default()),
            Arch::NiN => NetConfig::NiN(NiNConfig::default()),
            Arch::GoogLeNet => NetConfig::GoogLeNet(GoogLeNetConfig::default()),
            Arch::BnLeNet => NetConfig::BnLeNet(BnLeNetConfig::default()),
            Arch::ResNet => NetConfig::ResNet(ResNetConfig::default()),
            Arch::DenseNet => NetConfig::DenseNet(DenseNetConfig::default()),
        }
    }

    pub fn arch(&self) -> Arch {
        match self {
            NetConfig::LeNet(_) => Arch::LeNet,
            NetConfig::AlexNet(_) => Arch::AlexNet,
            NetConfig::Vgg(_) => Arch::Vgg,
            NetConfig::NiN(_) => Arch::NiN,
            NetConfig::GoogLeNet(_) => Arch::GoogLeNet,
            NetConfig::BnLeNet(_) => Arch::BnLeNet,
            NetConfig::ResNet(_) => Arch::ResNet,
            NetConfig::DenseNet(_) => Arch::DenseNet,
        }
    }

    /// The net's top-level elements: the rows of the book's shape table.
    pub fn layers(&self) -> Vec<Layer> {
        match self {
            NetConfig::LeNet(config) => lenet::lenet(config),
            NetConfig::AlexNet(config) => alexnet::alexnet(config),
            NetConfig::Vgg(config) => vgg::vgg(config),
            NetConfig::NiN(config) => nin::nin(config),
            NetConfig::GoogLeNet(config) => googlenet::googlenet(config),
            NetConfig::BnLeNet(config) => bn_lenet::bn_lenet(config),
            NetConfig::ResNet(config) => resnet::resnet(config),
            NetConfig::DenseNet(config) => densenet::densenet(config),
        }
    }

    /// VGG's width ratio, where the net has one.
    pub fn with_vgg_ratio(self, ratio: usize) -> NetConfig {
        match self {
            NetConfig::Vgg(config) => NetConfig::Vgg(VggConfig { ratio, ..config }),
            other => other,
        }
    }

    /// What to call this net: the book's name when it is the book's net,
    /// the depth-named variant for VGG and ResNet (VGG-16, ResNet-34, a
    /// plain 34-layer net), else the net's name with "(edited)".
    pub fn title(&self) -> String {
        let arch = self.arch();
        match self {
            NetConfig::Vgg(config) => {
                let convs: usize = config.conv_arch.iter().map(|&(n, _)| n).sum();
                format!("VGG-{}", convs + 3)
            }
            NetConfig::ResNet(config) => {
                // b1's convolution, two per residual block, the dense layer.
                let depth = 2 + 2 * config.stages.iter().map(|&(_, n)| n).sum::<usize>();
                let mut title = match config.shortcut {
                    true => format!("ResNet-{depth}"),
                    false => format!("plain {depth}-layer net"),
                };
                if !config.batch_norm {
                    title += " without batch norm";
                }
                let book = ResNetConfig::default();
                let widths = |c: &ResNetConfig| {
                    let mut widths = vec![c.b1_channels];
                    widths.extend(c.stages.iter().map(|&(channels, _)| channels));
                    widths
                };
                let (ours, books) = (widths(config), widths(&book));
                if ours.iter().zip(&books).all(|(a, b)| a <= b) && ours.iter().zip(&books).any(|(a, b)| a < b)
                {
                    title += " (narrow)";
                } else if ours.iter().zip(&books).any(|(a, b)| a != b) {
                    title += " (other widths)";
                }
                title
            }
            _ if *self == NetConfig::default_for(arch) => arch.title().to_string(),
            _ => format!("{} (edited)", arch.title()),
        }
    }

    /// VGG's width ratio.
    pub fn vgg_ratio(&self) -> Option<usize> {
        match self {
            NetConfig::Vgg(config) => Some(config.ratio),
            _ => None,
        }
    }
}
