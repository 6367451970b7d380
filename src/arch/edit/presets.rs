//! The book's exercises as presets, each a net the editor could make
//! (and the deep pair the gradient view compares).

use crate::arch::{
    Activation, AlexNetConfig, Arch, BnLeNetConfig, DenseNetConfig, GoogLeNetConfig, InceptionWidths,
    LeNetConfig, NetConfig, NiNConfig, Pooling, ResNetConfig, VggConfig,
};

/// One of the book's exercises, set up in one click.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// The exercise's question, in our words.
    pub question: &'static str,
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
            title: "ReLU and max pooling",
            question: "LeNet was built with sigmoids and average pooling. Swap in ReLU and max pooling, as the nets \
                       after it do: does it learn faster, and does the book's learning rate of 0.9 still suit it?",
            net: NetConfig::LeNet(LeNetConfig {
                activation: Activation::Relu,
                pooling: Pooling::Max,
                ..LeNetConfig::default()
            }),
            resize: None,
        }],
        Arch::AlexNet => vec![Preset {
            id: "alexnet-28",
            title: "28×28 without resizing",
            question: "The book blows Fashion-MNIST up to 224×224 for AlexNet. At 28×28 its first 11×11 window with \
                       stride 4 shrinks the image to nothing by the third pooling. A 3×3 first convolution with stride \
                       1 keeps it: which other layers would you change, and what does it cost in time?",
            net: NetConfig::AlexNet(AlexNetConfig {
                first_conv: (3, 1, 1),
                ..AlexNetConfig::default()
            }),
            resize: Some(28),
        }],
        Arch::Vgg => vec![
            vgg(
                "vgg-13",
                "VGG-13",
                "VGG-13 doubles the convolutions of the first two blocks. Compare its table with VGG-11's: where do \
                 the parameters and the multiply-adds go?",
                VGG_13,
            ),
            vgg(
                "vgg-16",
                "VGG-16",
                "VGG-16 has three convolutions in each of the last three blocks. How much slower is a step, and does \
                 it reach a better accuracy on Fashion-MNIST?",
                VGG_16,
            ),
            vgg(
                "vgg-19",
                "VGG-19",
                "VGG-19 has four. Past which depth does adding 3×3 layers stop paying off here?",
                VGG_19,
            ),
        ],
        Arch::NiN => vec![Preset {
            id: "nin-one",
            title: "one 1×1 convolution per block",
            question: "Why does each NiN block have two 1×1 convolutions? Keep one and compare the accuracy and the \
                       parameter count.",
            net: NetConfig::NiN(NiNConfig {
                one_by_one: 1,
                ..NiNConfig::default()
            }),
            resize: None,
        }],
        Arch::GoogLeNet => vec![Preset {
            id: "googlenet-half",
            title: "half-width Inception blocks",
            question: "GoogLeNet was designed for ImageNet. Halve every path of every Inception block: how much of \
                       the accuracy on Fashion-MNIST does it keep, for how much less computation?",
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
                })
            },
            resize: None,
        }],
        Arch::BnLeNet => vec![
            Preset {
                id: "bn-after",
                title: "batch norm after the activation",
                question: "The book puts batch norm between each layer and its activation. Put it after the \
                           activation instead: does it train as fast?",
                net: NetConfig::BnLeNet(BnLeNetConfig {
                    before_activation: false,
                    ..BnLeNetConfig::default()
                }),
                resize: None,
            },
            Preset {
                id: "bn-convs-only",
                title: "batch norm after the convolutions only",
                question: "Do we need batch norm after every layer? Keep it after the two convolutions only and \
                           compare.",
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
                title: "ResNet-34",
                question: "ResNet-34 has 3, 4, 6 and 3 residual blocks per stage. How do its table and its time per \
                           step compare with ResNet-18's?",
                net: resnet(true),
                resize: None,
            },
            Preset {
                id: "plain-34",
                title: "plain 34-layer net",
                question: "The same 34 layers without the shortcuts. He et al. found such plain nets train worse than \
                           shallower ones. Does it here?",
                net: resnet(false),
                resize: None,
            },
            Preset {
                id: "deep-plain",
                title: "deep and narrow: plain",
                question: "A 34-layer net without shortcuts or batch norm, narrow enough to train in a tab. Train it \
                           and watch the gradient view: how large are the first layers' gradients next to the \
                           last ones'? Then train its residual twin.",
                net: deep_pair(false),
                resize: Some(DEEP_PAIR_SIDE),
            },
            Preset {
                id: "deep-residual",
                title: "deep and narrow: residual",
                question: "The same net with its shortcuts. Adding x back gives the gradient a path around every \
                           block: compare the first layers' gradients with the plain twin's.",
                net: deep_pair(true),
                resize: Some(DEEP_PAIR_SIDE),
            },
        ],
        Arch::DenseNet => vec![Preset {
            id: "densenet-growth-16",
            title: "growth rate 16",
            question: "Each convolution in a dense block adds growth-rate channels. Halve it: what happens to the \
                       parameters, the memory and the accuracy?",
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
