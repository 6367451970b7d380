//! The modules of a net, from its description: widths from the shape
//! pass, weights initialised as the book's `train_ch6` does.

use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AdaptiveAvgPool2dConfig, AvgPool2dConfig, MaxPool2dConfig};
use burn::nn::{BatchNormConfig, DropoutConfig, Initializer, LinearConfig, PaddingConfig2d, Relu, Sigmoid};
use burn::tensor::Device;

use super::{DenseBlock, Flatten, Inception, LayerModule, Residual, Sequential};
use crate::arch::Layer;
use crate::shape::{Shape, ShapeError, layer_output};

const XAVIER_UNIFORM: Initializer = Initializer::XavierUniform { gain: 1.0 };

fn padding(p: usize) -> PaddingConfig2d {
    PaddingConfig2d::Explicit(p, p, p, p)
}

impl LayerModule {
    /// The module for `layer` on inputs of shape `input`, and its output shape.
    pub fn init(layer: &Layer, input: &[usize], device: &Device) -> Result<(LayerModule, Shape), ShapeError> {
        let output = layer_output(layer, input)?;
        let module = match layer {
            Layer::Conv2d {
                out_channels,
                kernel,
                stride,
                padding: p,
            } => {
                let mut conv = Conv2dConfig::new([input[1], *out_channels], [*kernel, *kernel])
                    .with_stride([*stride, *stride])
                    .with_padding(padding(*p))
                    .with_initializer(XAVIER_UNIFORM)
                    .init(device);
                conv.bias = Some(Initializer::Zeros.init([*out_channels], device));
                LayerModule::Conv2d(conv)
            }
            Layer::Linear { out_features } => {
                let mut linear = LinearConfig::new(input[1], *out_features)
                    .with_initializer(XAVIER_UNIFORM)
                    .init(device);
                linear.bias = Some(Initializer::Zeros.init([*out_features], device));
                LayerModule::Linear(linear)
            }
            // Burn's momentum is PyTorch's: the weight of the newest batch.
            Layer::BatchNorm { eps, momentum } => LayerModule::BatchNorm(
                BatchNormConfig::new(input[1])
                    .with_epsilon(*eps)
                    .with_momentum(*momentum)
                    .init(device),
            ),
            Layer::Relu => LayerModule::Relu(Relu::new()),
            Layer::Sigmoid => LayerModule::Sigmoid(Sigmoid::new()),
            Layer::MaxPool2d {
                kernel,
                stride,
                padding: p,
            } => LayerModule::MaxPool2d(
                MaxPool2dConfig::new([*kernel, *kernel])
                    .with_strides([*stride, *stride])
                    .with_padding(padding(*p))
                    .init(),
            ),
            Layer::AvgPool2d { kernel, stride } => LayerModule::AvgPool2d(
                AvgPool2dConfig::new([*kernel, *kernel])
                    .with_strides([*stride, *stride])
                    .init(),
            ),
            Layer::GlobalAvgPool2d => {
                LayerModule::GlobalAvgPool2d(AdaptiveAvgPool2dConfig::new([1, 1]).init())
            }
            Layer::Flatten => LayerModule::Flatten(Flatten),
            Layer::Dropout { prob } => LayerModule::Dropout(DropoutConfig::new(*prob).init()),
            Layer::Sequential { layers, .. } => {
                LayerModule::Sequential(Sequential::init(layers, input, device)?.0)
            }
            Layer::Inception { paths } => LayerModule::Inception(Inception {
                paths: paths
                    .iter()
                    .map(|path| Ok(Sequential::init(path, input, device)?.0))
                    .collect::<Result<_, ShapeError>>()?,
            }),
            Layer::Residual { body, shortcut } => LayerModule::Residual(Residual {
                body: Sequential::init(body, input, device)?.0,
                shortcut: Sequential::init(shortcut, input, device)?.0,
            }),
            Layer::DenseBlock { conv_blocks } => {
                let mut shape = input.to_vec();
                let mut blocks = Vec::with_capacity(conv_blocks.len());
                for layers in conv_blocks {
                    let (block, block_output) = Sequential::init(layers, &shape, device)?;
                    shape[1] += block_output[1];
                    blocks.push(block);
                }
                LayerModule::DenseBlock(DenseBlock { conv_blocks: blocks })
            }
        };
        Ok((module, output))
    }
}

impl Sequential {
    /// The modules for `layers` on inputs of shape `input`, and their output shape.
    pub(super) fn init(
        layers: &[Layer],
        input: &[usize],
        device: &Device,
    ) -> Result<(Sequential, Shape), ShapeError> {
        let mut shape = input.to_vec();
        let mut modules = Vec::with_capacity(layers.len());
        for layer in layers {
            let (module, output) = LayerModule::init(layer, &shape, device)?;
            modules.push(module);
            shape = output;
        }
        Ok((Sequential { layers: modules }, shape))
    }
}
