//! The book's exercises as presets, each a net the editor could make
//! (and the deep pair the gradient view compares).

use super::{PresetQuestion, PresetTitle};
use crate::arch::{
    Activation, AlexNetConfig, Arch, BnLeNetConfig, DenseNetConfig, GoogLeNetConfig, InceptionWidths,
    LeNetConfig, NetConfig, NetIo, NiNConfig, Pooling, ResNetConfig, VggConfig,
};

/// One of the book's exercises, set up in one click.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: PresetTitle,
    /// The exercise's question: d2l-zh's own wording where the book asks
    /// it, ours otherwise.
    pub question: PresetQuestion,
    pub net: NetConfig,
    /// An input side the exercise needs, when not the book's.
    pub resize: Option<usize>,
}

const VGG_13: [(usize, usize); 5] = [(2, 64), (2, 128), (2, 256), (2, 512), (2, 512)];
const VGG_16: [(usize, usize); 5] = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)];
const VGG_19: [(usize, usize); 5] = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)];
const RESNET_34: [(usize, usize); 4] = [(64, 3), (128, 4), (256, 6), (512, 3)];

/// The deep pair for the gradient view: ResNet-34's layout at a sixteenth
/// of its widths, without batch norm, on 28×28 images: a few seconds a
/// step on a laptop's CPU.
pub fn deep_pair(shortcut: bool) -> NetConfig {
    NetConfig::ResNet(ResNetConfig {
        stages: vec![(16, 3), (32, 4), (64, 6), (128, 3)],
        b1_channels: 16,
        shortcut,
        batch_norm: false,
        io: NetIo::default(),
    })
}

/// The input side of the deep pair.
pub const DEEP_PAIR_SIDE: usize = 28;

/// The book's exercises for `arch`, as presets.
pub fn presets(arch: Arch) -> Vec<Preset> {
    let vgg = |id, title, question, conv_arch: [(usize, usize); 5]| Preset {
        id,
        title,
        question,
        net: NetConfig::Vgg(VggConfig {
            conv_arch: conv_arch.to_vec(),
            ..VggConfig::default()
        }),
        resize: None,
    };
    let resnet = |shortcut| {
        NetConfig::ResNet(ResNetConfig {
            stages: RESNET_34.to_vec(),
            shortcut,
            ..ResNetConfig::default()
        })
    };
    match arch {
        Arch::LeNet => vec![Preset {
            id: "lenet-relu-max",
            title: PresetTitle::LeNetReluMax,
            question: PresetQuestion::LeNetReluMax,
            net: NetConfig::LeNet(LeNetConfig {
                activation: Activation::Relu,
                pooling: Pooling::Max,
                ..LeNetConfig::default()
            }),
            resize: None,
        }],
        Arch::AlexNet => vec![Preset {
            id: "alexnet-28",
            title: PresetTitle::AlexNet28,
            question: PresetQuestion::AlexNet28,
            net: NetConfig::AlexNet(AlexNetConfig {
                first_conv: (3, 1, 1),
                ..AlexNetConfig::default()
            }),
            resize: Some(28),
        }],
        Arch::Vgg => vec![
            vgg("vgg-13", PresetTitle::Vgg13, PresetQuestion::Vgg13, VGG_13),
            vgg("vgg-16", PresetTitle::Vgg16, PresetQuestion::Vgg16, VGG_16),
            vgg("vgg-19", PresetTitle::Vgg19, PresetQuestion::Vgg19, VGG_19),
        ],
        Arch::NiN => vec![Preset {
            id: "nin-one",
            title: PresetTitle::NiNOne,
            question: PresetQuestion::NiNOne,
            net: NetConfig::NiN(NiNConfig {
                one_by_one: 1,
                ..NiNConfig::default()
            }),
            resize: None,
        }],
        Arch::GoogLeNet => vec![Preset {
            id: "googlenet-half",
            title: PresetTitle::GoogLeNetHalf,
            question: PresetQuestion::GoogLeNetHalf,
            net: {
                let half = |rows: &[InceptionWidths]| -> Vec<InceptionWidths> {
                    rows.iter()
                        .map(|&(a, b, c, d, e, f)| (a / 2, b / 2, c / 2, d / 2, e / 2, f / 2))
                        .collect()
                };
                let book = GoogLeNetConfig::default();
                NetConfig::GoogLeNet(GoogLeNetConfig {
                    b3: half(&book.b3),
                    b4: half(&book.b4),
                    b5: half(&book.b5),
                    io: book.io,
                })
            },
            resize: None,
        }],
        Arch::BnLeNet => vec![
            Preset {
                id: "bn-after",
                title: PresetTitle::BnAfter,
                question: PresetQuestion::BnAfter,
                net: NetConfig::BnLeNet(BnLeNetConfig {
                    before_activation: false,
                    ..BnLeNetConfig::default()
                }),
                resize: None,
            },
            Preset {
                id: "bn-convs-only",
                title: PresetTitle::BnConvsOnly,
                question: PresetQuestion::BnConvsOnly,
                net: NetConfig::BnLeNet(BnLeNetConfig {
                    places: vec![true, true, false, false],
                    ..BnLeNetConfig::default()
                }),
                resize: None,
            },
        ],
        Arch::ResNet => vec![
            Preset {
                id: "resnet-34",
                title: PresetTitle::ResNet34,
                question: PresetQuestion::ResNet34,
                net: resnet(true),
                resize: None,
            },
            Preset {
                id: "plain-34",
                title: PresetTitle::Plain34,
                question: PresetQuestion::Plain34,
                net: resnet(false),
                resize: None,
            },
            Preset {
                id: "deep-plain",
                title: PresetTitle::DeepPlain,
                question: PresetQuestion::DeepPlain,
                net: deep_pair(false),
                resize: Some(DEEP_PAIR_SIDE),
            },
            Preset {
                id: "deep-residual",
                title: PresetTitle::DeepResidual,
                question: PresetQuestion::DeepResidual,
                net: deep_pair(true),
                resize: Some(DEEP_PAIR_SIDE),
            },
        ],
        Arch::DenseNet => vec![Preset {
            id: "densenet-growth-16",
            title: PresetTitle::DenseNetGrowth16,
            question: PresetQuestion::DenseNetGrowth16,
            net: NetConfig::DenseNet(DenseNetConfig {
                growth_rate: 16,
                ..DenseNetConfig::default()
            }),
            resize: None,
        }],
    }
}

/// The preset with this id, for any net.
pub fn preset(id: &str) -> Option<Preset> {
    Arch::ALL
        .into_iter()
        .flat_map(presets)
        .find(|preset| preset.id == id)
}
