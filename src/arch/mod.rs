//! The eight classic CNNs of *Dive into Deep Learning*, each described once,
//! in its own short file, as data.
//!
//! A description ([`NetConfig`]) turns into a list of [`Layer`]s; the shape
//! table (`crate::shape`) and the Burn module (`crate::model`) are both built
//! from that list, so they cannot disagree.

pub mod edit;
pub mod layer;
mod title;

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
pub use title::{NetTitle, Widths};
pub use vgg::VggConfig;

pub use crate::i18n::nets::{ArchSummary, SectionTitle};

/// Fashion-MNIST images are grey: one input channel.
pub const INPUT_CHANNELS: usize = 1;
/// Fashion-MNIST has ten classes.
pub const NUM_CLASSES: usize = 10;
/// The most classes a net here is built for: EMNIST's 62 (by class) fit,
/// and a label is one byte.
pub const MAX_CLASSES: usize = 100;
/// The largest input side anything here builds a net for (`cnnp
/// --resize`, a weights file's): 16 times ImageNet's 224-ish.
pub const MAX_INPUT_SIDE: usize = 4096;

/// What the data asks of every net: the channels of its images (1 grey, 3
/// colour) and its number of classes (the last layer's outputs). In a
/// description (and so in links, weights files and `cnnp config`) as two
/// plain fields, `in_channels` and `classes`; Fashion-MNIST's by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct NetIo {
    pub in_channels: usize,
    pub classes: usize,
}

impl Default for NetIo {
    fn default() -> Self {
        NetIo {
            in_channels: INPUT_CHANNELS,
            classes: NUM_CLASSES,
        }
    }
}

impl NetIo {
    /// Grey (1) or colour (3) channels, 2 to `MAX_CLASSES` classes.
    pub fn is_supported(self) -> bool {
        matches!(self.in_channels, 1 | 3) && (2..=MAX_CLASSES).contains(&self.classes)
    }
}

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

    /// The net's name as the command line writes it (`LeNet`, `VGG-11`,
    /// `LeNet + BatchNorm`); in the reader's language through `Say`.
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
    pub fn summary(self) -> ArchSummary {
        match self {
            Arch::LeNet => ArchSummary::LeNet,
            Arch::AlexNet => ArchSummary::AlexNet,
            Arch::Vgg => ArchSummary::Vgg,
            Arch::NiN => ArchSummary::NiN,
            Arch::GoogLeNet => ArchSummary::GoogLeNet,
            Arch::BnLeNet => ArchSummary::BnLeNet,
            Arch::ResNet => ArchSummary::ResNet,
            Arch::DenseNet => ArchSummary::DenseNet,
        }
    }

    /// The title of the book's section that builds it (d2l-zh's in Chinese:
    /// 卷积神经网络（LeNet）).
    pub fn section(self) -> SectionTitle {
        match self {
            Arch::LeNet => SectionTitle::LeNet,
            Arch::AlexNet => SectionTitle::AlexNet,
            Arch::Vgg => SectionTitle::Vgg,
            Arch::NiN => SectionTitle::NiN,
            Arch::GoogLeNet => SectionTitle::GoogLeNet,
            Arch::BnLeNet => SectionTitle::BnLeNet,
            Arch::ResNet => SectionTitle::ResNet,
            Arch::DenseNet => SectionTitle::DenseNet,
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

    /// The input's channels and the classes.
    pub fn io(&self) -> NetIo {
        match self {
            NetConfig::LeNet(config) => config.io,
            NetConfig::AlexNet(config) => config.io,
            NetConfig::Vgg(config) => config.io,
            NetConfig::NiN(config) => config.io,
            NetConfig::GoogLeNet(config) => config.io,
            NetConfig::BnLeNet(config) => config.io,
            NetConfig::ResNet(config) => config.io,
            NetConfig::DenseNet(config) => config.io,
        }
    }

    pub fn classes(&self) -> usize {
        self.io().classes
    }

    pub fn in_channels(&self) -> usize {
        self.io().in_channels
    }

    /// The shape of a batch of `batch` inputs of side `side`: `[N, C, H, W]`.
    pub fn input_shape(&self, batch: usize, side: usize) -> [usize; 4] {
        [batch, self.in_channels(), side, side]
    }

    /// The net for data with `io`'s channels and classes. NiN has no dense
    /// layer: its last block's channels are the classes, as the book's
    /// `nin_block(384, 10, …)` writes them.
    pub fn with_io(mut self, io: NetIo) -> NetConfig {
        match &mut self {
            NetConfig::LeNet(config) => config.io = io,
            NetConfig::AlexNet(config) => config.io = io,
            NetConfig::Vgg(config) => config.io = io,
            NetConfig::NiN(config) => {
                config.io = io;
                if let Some(last) = config.blocks.last_mut() {
                    last.0 = io.classes;
                }
            }
            NetConfig::GoogLeNet(config) => config.io = io,
            NetConfig::BnLeNet(config) => config.io = io,
            NetConfig::ResNet(config) => config.io = io,
            NetConfig::DenseNet(config) => config.io = io,
        }
        self
    }

    /// VGG's width ratio, where the net has one.
    pub fn with_vgg_ratio(self, ratio: usize) -> NetConfig {
        match self {
            NetConfig::Vgg(config) => NetConfig::Vgg(VggConfig { ratio, ..config }),
            other => other,
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
