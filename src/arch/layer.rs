//! The vocabulary every net is written in.
//!
//! A [`Layer`] is one element of a PyTorch `nn.Sequential`, with the input
//! width left out, as `nn.LazyConv2d` and `nn.LazyLinear` do: the shape pass
//! (`crate::shape`) infers it from the layer before. That is what lets one
//! description serve any input size, and lets the same description build
//! both the shape table and the Burn module.

use serde::{Deserialize, Serialize};

/// One element of a net, or a block of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Layer {
    /// `nn.Conv2d(in, out_channels, kernel, stride, padding)`, with a bias.
    Conv2d {
        out_channels: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
    },
    /// `nn.Linear(in, out_features)`, with a bias.
    Linear {
        out_features: usize,
    },
    /// `nn.BatchNorm2d` after a convolution, `nn.BatchNorm1d` after a linear
    /// layer; the width is the input's channel count. `eps` is added to the
    /// variance; `momentum` is PyTorch's (the weight of the newest batch in
    /// the running statistics, 0.1 by default: "0.9" in the book's own
    /// `batch_norm` is the weight of the old ones).
    BatchNorm {
        #[serde(default = "default_eps")]
        eps: f64,
        #[serde(default = "default_momentum")]
        momentum: f64,
    },
    Relu,
    Sigmoid,
    MaxPool2d {
        kernel: usize,
        stride: usize,
        padding: usize,
    },
    AvgPool2d {
        kernel: usize,
        stride: usize,
    },
    /// `nn.AdaptiveAvgPool2d((1, 1))`.
    GlobalAvgPool2d,
    Flatten,
    Dropout {
        prob: f64,
    },
    /// `nn.Sequential(...)`; `title` is what the book calls it (`b1`, ...).
    Sequential {
        title: String,
        layers: Vec<Layer>,
    },
    /// GoogLeNet's block: the paths run on the same input and their outputs
    /// are concatenated on the channel axis.
    Inception {
        paths: Vec<Vec<Layer>>,
    },
    /// ResNet's block: `relu(body(x) + shortcut(x))`, the shortcut being the
    /// identity when empty.
    Residual {
        body: Vec<Layer>,
        shortcut: Vec<Layer>,
    },
    /// DenseNet's block: each conv block sees the concatenation of the block's
    /// input and every earlier conv block's output.
    DenseBlock {
        conv_blocks: Vec<Vec<Layer>>,
    },
}

impl Layer {
    /// Sets the stride of a convolution or a pooling layer.
    pub fn stride(mut self, value: usize) -> Self {
        match &mut self {
            Layer::Conv2d { stride, .. }
            | Layer::MaxPool2d { stride, .. }
            | Layer::AvgPool2d { stride, .. } => *stride = value,
            other => debug_assert!(false, "{other:?} has no stride"),
        }
        self
    }

    /// Sets the zero padding of a convolution or of a max pooling layer.
    pub fn padding(mut self, value: usize) -> Self {
        match &mut self {
            Layer::Conv2d { padding, .. } | Layer::MaxPool2d { padding, .. } => *padding = value,
            other => debug_assert!(false, "{other:?} has no padding"),
        }
        self
    }

    /// PyTorch's class name for this layer, as the book's tables print it.
    /// Batch norm's name depends on its input's rank, so it takes that.
    pub fn class_name(&self, input_rank: usize) -> &'static str {
        match self {
            Layer::Conv2d { .. } => "Conv2d",
            Layer::Linear { .. } => "Linear",
            Layer::BatchNorm { .. } if input_rank == 2 => "BatchNorm1d",
            Layer::BatchNorm { .. } => "BatchNorm2d",
            Layer::Relu => "ReLU",
            Layer::Sigmoid => "Sigmoid",
            Layer::MaxPool2d { .. } => "MaxPool2d",
            Layer::AvgPool2d { .. } => "AvgPool2d",
            Layer::GlobalAvgPool2d => "AdaptiveAvgPool2d",
            Layer::Flatten => "Flatten",
            Layer::Dropout { .. } => "Dropout",
            Layer::Sequential { .. } => "Sequential",
            Layer::Inception { .. } => "Inception",
            Layer::Residual { .. } => "Residual",
            Layer::DenseBlock { .. } => "DenseBlock",
        }
    }
}

/// `nn.Conv2d(_, out_channels, kernel_size=kernel)`; add `.stride(s)` and
/// `.padding(p)` as the book does.
pub fn conv(out_channels: usize, kernel: usize) -> Layer {
    Layer::Conv2d {
        out_channels,
        kernel,
        stride: 1,
        padding: 0,
    }
}

pub fn linear(out_features: usize) -> Layer {
    Layer::Linear { out_features }
}

/// PyTorch's defaults, which the book keeps.
pub const BN_EPS: f64 = 1e-5;
pub const BN_MOMENTUM: f64 = 0.1;

fn default_eps() -> f64 {
    BN_EPS
}

fn default_momentum() -> f64 {
    BN_MOMENTUM
}

/// `nn.BatchNorm2d(c)` / `nn.BatchNorm1d(c)` with PyTorch's defaults.
pub fn batch_norm() -> Layer {
    batch_norm_with(BN_EPS, BN_MOMENTUM)
}

/// `nn.BatchNorm2d(c, eps=eps, momentum=momentum)`.
pub fn batch_norm_with(eps: f64, momentum: f64) -> Layer {
    Layer::BatchNorm { eps, momentum }
}

/// `act()` for an activation chosen in a net's description.
pub fn activation(kind: Activation) -> Layer {
    match kind {
        Activation::Sigmoid => sigmoid(),
        Activation::Relu => relu(),
    }
}

/// `nn.AvgPool2d` or `nn.MaxPool2d`, as a description chooses.
pub fn pool(kind: Pooling, kernel: usize, stride: usize) -> Layer {
    match kind {
        Pooling::Avg => avg_pool(kernel, stride),
        Pooling::Max => max_pool(kernel, stride),
    }
}

/// The activation functions a description may choose between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Sigmoid,
    Relu,
}

/// The pooling a description may choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pooling {
    Avg,
    Max,
}

pub fn relu() -> Layer {
    Layer::Relu
}

pub fn sigmoid() -> Layer {
    Layer::Sigmoid
}

/// `nn.MaxPool2d(kernel_size=kernel, stride=stride)`; add `.padding(p)`.
pub fn max_pool(kernel: usize, stride: usize) -> Layer {
    Layer::MaxPool2d {
        kernel,
        stride,
        padding: 0,
    }
}

pub fn avg_pool(kernel: usize, stride: usize) -> Layer {
    Layer::AvgPool2d { kernel, stride }
}

/// `nn.AdaptiveAvgPool2d((1, 1))`.
pub fn global_avg_pool() -> Layer {
    Layer::GlobalAvgPool2d
}

pub fn flatten() -> Layer {
    Layer::Flatten
}

pub fn dropout(prob: f64) -> Layer {
    Layer::Dropout { prob }
}

/// `nn.Sequential(*layers)`, shown in the table under `title`.
pub fn sequential(title: impl Into<String>, layers: Vec<Layer>) -> Layer {
    Layer::Sequential {
        title: title.into(),
        layers,
    }
}
