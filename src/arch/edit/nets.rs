//! Each net's editable fields, in the order the editor shows them: one
//! entry per field. A new field is one more entry in its net's list.

use super::spec::FieldSpec;
use super::{Column, EditError, Field, FieldLabel};
use crate::arch::{
    Activation, AlexNetConfig, BnLeNetConfig, DenseNetConfig, GoogLeNetConfig, InceptionWidths, LeNetConfig,
    NetConfig, NiNConfig, Pooling, ResNetConfig, VggConfig,
};

const ACTIVATIONS: &[&str] = &["sigmoid", "relu"];
const CHANNELS: usize = 4096;
const INCEPTION: &[Column] = &[
    Column::OneByOne,
    Column::ThreeIn,
    Column::Three,
    Column::FiveIn,
    Column::Five,
    Column::PoolOneByOne,
];

const LENET: &[FieldSpec<LeNetConfig>] = &[
    FieldSpec::choice(
        "act",
        FieldLabel::Activation,
        ACTIVATIONS,
        |c| activation_name(c.activation),
        |c, name| c.activation = activation(name),
    ),
    FieldSpec::choice(
        "pool",
        FieldLabel::Pooling,
        &["avg", "max"],
        |c| match c.pooling {
            Pooling::Avg => "avg",
            Pooling::Max => "max",
        },
        |c, name| c.pooling = if name == "max" { Pooling::Max } else { Pooling::Avg },
    ),
    FieldSpec::list(
        "ch",
        FieldLabel::ConvChannels,
        1..=4,
        CHANNELS,
        |c| c.channels.clone(),
        |c, v| c.channels = v,
    ),
    FieldSpec::whole(
        "k",
        FieldLabel::KernelSize,
        1..=11,
        |c| c.kernel,
        |c, n| c.kernel = n,
    ),
    FieldSpec::whole(
        "pad",
        FieldLabel::FirstPadding,
        0..=5,
        |c| c.padding,
        |c, n| c.padding = n,
    ),
    FieldSpec::list(
        "dense",
        FieldLabel::HiddenDense,
        0..=4,
        CHANNELS,
        |c| c.dense.clone(),
        |c, v| c.dense = v,
    ),
];

const ALEXNET: &[FieldSpec<AlexNetConfig>] = &[
    FieldSpec::list(
        "ch",
        FieldLabel::ConvChannels,
        5..=5,
        CHANNELS,
        |c| c.channels.clone(),
        |c, v| c.channels = v,
    ),
    FieldSpec::whole(
        "k1",
        FieldLabel::FirstKernel,
        1..=11,
        |c| c.first_conv.0,
        |c, n| c.first_conv.0 = n,
    ),
    FieldSpec::whole(
        "s1",
        FieldLabel::FirstStride,
        1..=4,
        |c| c.first_conv.1,
        |c, n| c.first_conv.1 = n,
    ),
    FieldSpec::whole(
        "p1",
        FieldLabel::FirstPadding,
        0..=5,
        |c| c.first_conv.2,
        |c, n| c.first_conv.2 = n,
    ),
    FieldSpec::whole(
        "dense",
        FieldLabel::DenseWidth,
        1..=8192,
        |c| c.dense,
        |c, n| c.dense = n,
    ),
    FieldSpec::number(
        "drop",
        FieldLabel::Dropout,
        0.0..=0.95,
        |c| c.dropout,
        |c, x| c.dropout = x,
    ),
];

const VGG: &[FieldSpec<VggConfig>] = &[
    FieldSpec::rows(
        "blocks",
        FieldLabel::VggBlocks,
        &[Column::Convolutions, Column::Channels],
        1..=8,
        1..=1024,
        |c| pair_rows(&c.conv_arch),
        |c, rows| c.conv_arch = pairs(rows),
    ),
    FieldSpec::whole(
        "ratio",
        FieldLabel::WidthRatio,
        1..=64,
        |c| c.ratio,
        |c, n| c.ratio = n,
    ),
];

const NIN: &[FieldSpec<NiNConfig>] = &[
    FieldSpec::rows(
        "blocks",
        FieldLabel::NinBlocks,
        &[Column::Channels, Column::Kernel, Column::Stride, Column::Padding],
        1..=6,
        0..=1024,
        |c| c.blocks.iter().map(|&(a, b, s, p)| vec![a, b, s, p]).collect(),
        |c, rows| c.blocks = rows.into_iter().map(|r| (r[0], r[1], r[2], r[3])).collect(),
    ),
    FieldSpec::whole(
        "one",
        FieldLabel::OneByOne,
        0..=4,
        |c| c.one_by_one,
        |c, n| c.one_by_one = n,
    ),
    FieldSpec::number(
        "drop",
        FieldLabel::Dropout,
        0.0..=0.95,
        |c| c.dropout,
        |c, x| c.dropout = x,
    ),
];

const GOOGLENET: &[FieldSpec<GoogLeNetConfig>] = &[
    FieldSpec::rows(
        "b3",
        FieldLabel::B3,
        INCEPTION,
        1..=4,
        1..=1024,
        |c| inception_rows(&c.b3),
        |c, rows| c.b3 = inception_widths(rows),
    ),
    FieldSpec::rows(
        "b4",
        FieldLabel::B4,
        INCEPTION,
        1..=8,
        1..=1024,
        |c| inception_rows(&c.b4),
        |c, rows| c.b4 = inception_widths(rows),
    ),
    FieldSpec::rows(
        "b5",
        FieldLabel::B5,
        INCEPTION,
        1..=4,
        1..=1024,
        |c| inception_rows(&c.b5),
        |c, rows| c.b5 = inception_widths(rows),
    ),
];

const BN_LENET: &[FieldSpec<BnLeNetConfig>] = &[
    FieldSpec::flag(
        "bn1",
        FieldLabel::BnAfterConv1,
        |c| batch_norm_at(c, 0),
        |c, on| set_batch_norm_at(c, 0, on),
    ),
    FieldSpec::flag(
        "bn2",
        FieldLabel::BnAfterConv2,
        |c| batch_norm_at(c, 1),
        |c, on| set_batch_norm_at(c, 1, on),
    ),
    FieldSpec::flag(
        "bn3",
        FieldLabel::BnAfterDense1,
        |c| batch_norm_at(c, 2),
        |c, on| set_batch_norm_at(c, 2, on),
    ),
    FieldSpec::flag(
        "bn4",
        FieldLabel::BnAfterDense2,
        |c| batch_norm_at(c, 3),
        |c, on| set_batch_norm_at(c, 3, on),
    ),
    FieldSpec::choice(
        "order",
        FieldLabel::BnOrder,
        &["before", "after"],
        |c| if c.before_activation { "before" } else { "after" },
        |c, name| c.before_activation = name == "before",
    ),
    FieldSpec::number("eps", FieldLabel::Eps, 1e-8..=1.0, |c| c.eps, |c, x| c.eps = x),
    FieldSpec::number(
        "mom",
        FieldLabel::Momentum,
        0.0..=1.0,
        |c| c.momentum,
        |c, x| c.momentum = x,
    ),
    FieldSpec::choice(
        "act",
        FieldLabel::Activation,
        ACTIVATIONS,
        |c| activation_name(c.activation),
        |c, name| c.activation = activation(name),
    ),
];

const RESNET: &[FieldSpec<ResNetConfig>] = &[
    FieldSpec::rows(
        "stages",
        FieldLabel::Stages,
        &[Column::Channels, Column::Residuals],
        1..=6,
        1..=1024,
        |c| pair_rows(&c.stages),
        |c, rows| c.stages = pairs(rows),
    ),
    FieldSpec::whole(
        "b1",
        FieldLabel::B1Channels,
        1..=1024,
        |c| c.b1_channels,
        |c, n| c.b1_channels = n,
    ),
    FieldSpec::flag(
        "short",
        FieldLabel::Shortcut,
        |c| c.shortcut,
        |c, on| c.shortcut = on,
    ),
    FieldSpec::flag(
        "bn",
        FieldLabel::BatchNorm,
        |c| c.batch_norm,
        |c, on| c.batch_norm = on,
    ),
];

const DENSENET: &[FieldSpec<DenseNetConfig>] = &[
    FieldSpec::whole(
        "b1",
        FieldLabel::B1Channels,
        1..=1024,
        |c| c.num_channels,
        |c, n| c.num_channels = n,
    ),
    FieldSpec::whole(
        "growth",
        FieldLabel::GrowthRate,
        1..=256,
        |c| c.growth_rate,
        |c, n| c.growth_rate = n,
    ),
    FieldSpec::list(
        "convs",
        FieldLabel::DenseConvs,
        1..=6,
        32,
        |c| c.num_convs_in_dense_blocks.clone(),
        |c, v| c.num_convs_in_dense_blocks = v,
    ),
    FieldSpec::whole(
        "div",
        FieldLabel::TransitionDivisor,
        1..=8,
        |c| c.transition_divisor,
        |c, n| c.transition_divisor = n,
    ),
];

/// The net's editable fields, with their values in `config`.
pub(super) fn fields(config: &NetConfig) -> Vec<Field> {
    fn of<C>(config: &C, specs: &[FieldSpec<C>]) -> Vec<Field> {
        specs.iter().map(|spec| spec.field(config)).collect()
    }
    match config {
        NetConfig::LeNet(c) => of(c, LENET),
        NetConfig::AlexNet(c) => of(c, ALEXNET),
        NetConfig::Vgg(c) => of(c, VGG),
        NetConfig::NiN(c) => of(c, NIN),
        NetConfig::GoogLeNet(c) => of(c, GOOGLENET),
        NetConfig::BnLeNet(c) => of(c, BN_LENET),
        NetConfig::ResNet(c) => of(c, RESNET),
        NetConfig::DenseNet(c) => of(c, DENSENET),
    }
}

/// Sets field `key` of `config` from `text`, or says why not: the net has
/// no such field, or the text is not a value for it.
pub(super) fn set(config: &mut NetConfig, key: &str, text: &str) -> Result<(), EditError> {
    fn of<C>(config: &mut C, specs: &[FieldSpec<C>], key: &str, text: &str) -> Option<Result<(), EditError>> {
        let spec = specs.iter().find(|spec| spec.key == key)?;
        Some(spec.set(config, text))
    }
    let arch = config.arch();
    match config {
        NetConfig::LeNet(c) => of(c, LENET, key, text),
        NetConfig::AlexNet(c) => of(c, ALEXNET, key, text),
        NetConfig::Vgg(c) => of(c, VGG, key, text),
        NetConfig::NiN(c) => of(c, NIN, key, text),
        NetConfig::GoogLeNet(c) => of(c, GOOGLENET, key, text),
        NetConfig::BnLeNet(c) => of(c, BN_LENET, key, text),
        NetConfig::ResNet(c) => of(c, RESNET, key, text),
        NetConfig::DenseNet(c) => of(c, DENSENET, key, text),
    }
    .unwrap_or_else(|| {
        Err(EditError::NoSuchField {
            arch,
            key: key.to_string(),
        })
    })
}

fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Sigmoid => "sigmoid",
        Activation::Relu => "relu",
    }
}

fn activation(name: &str) -> Activation {
    match name {
        "relu" => Activation::Relu,
        _ => Activation::Sigmoid,
    }
}

fn pair_rows(pairs: &[(usize, usize)]) -> Vec<Vec<usize>> {
    pairs.iter().map(|&(a, b)| vec![a, b]).collect()
}

/// Rows of two cells (the field's kind says so) as pairs.
fn pairs(rows: Vec<Vec<usize>>) -> Vec<(usize, usize)> {
    rows.into_iter().map(|r| (r[0], r[1])).collect()
}

fn inception_rows(widths: &[InceptionWidths]) -> Vec<Vec<usize>> {
    widths
        .iter()
        .map(|&(a, b, c, d, e, f)| vec![a, b, c, d, e, f])
        .collect()
}

/// Rows of six cells (the field's kind says so) as an Inception block's
/// path widths.
fn inception_widths(rows: Vec<Vec<usize>>) -> Vec<InceptionWidths> {
    rows.into_iter()
        .map(|r| (r[0], r[1], r[2], r[3], r[4], r[5]))
        .collect()
}

/// Whether batch norm follows layer `place` (conv 1, conv 2, dense 1,
/// dense 2); a description with fewer places has none there.
fn batch_norm_at(config: &BnLeNetConfig, place: usize) -> bool {
    config.places.get(place).copied().unwrap_or(false)
}

fn set_batch_norm_at(config: &mut BnLeNetConfig, place: usize, on: bool) {
    config.places.resize(4, true);
    config.places[place] = on;
}
