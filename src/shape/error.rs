//! Why a net cannot take an input, as typed values: where (the path to the
//! layer, its steps) and what went wrong (with its numbers). The words are
//! in `crate::i18n::shape`, in English and Chinese; the layer names and
//! settings in a path are code (`Conv2d (96→128, k3, p1)`) and stay so.

use serde::{Deserialize, Serialize};

use super::Shape;

/// Why a net cannot take an input: where, and what went wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapeError {
    /// The path to the layer, e.g. `row 3 › Sequential (b3) › Inception › path 2 › Conv2d (96→128, k3, p1)`.
    pub layer: LayerPath,
    pub reason: ShapeProblem,
}

/// Where a layer sits: its steps from the net's top, joined by ` › `.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerPath(pub Vec<Step>);

/// One step of a [`LayerPath`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// `row 3`: a row of the table, counted from 1.
    Row(usize),
    /// `net`: the net itself, for a layer looked at on its own.
    Net,
    /// A layer as the table names it, its class and settings being code:
    /// `Conv2d (96→128, k3, p1)`, `Flatten` (no settings).
    Layer { name: String, settings: String },
    /// `path 2`: one of an Inception block's paths, counted from 1.
    Path(usize),
    /// A residual block's main branch.
    Body,
    /// A residual block's shortcut.
    Shortcut,
    /// `conv_block 2`: one of a dense block's conv blocks (the book's
    /// `conv_block`), counted from 1.
    ConvBlock(usize),
    /// The table's last row, where the loss takes the net's output, by
    /// number and class: `row 12 Linear`.
    LastRow { row: usize, name: String },
}

/// Which side of a feature map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Height,
    Width,
}

/// What went wrong at a layer, with its numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ShapeProblem {
    /// A convolution with 0 output channels.
    NoOutputChannels,
    /// A linear layer on an input that is not `[N, F]`.
    NotFlat { input: Shape },
    /// A linear layer with 0 outputs.
    NoOutputFeatures,
    /// Batch norm's `eps` outside (0, 1].
    BadEps { eps: f64 },
    /// Batch norm's `momentum` outside [0, 1].
    BadMomentum { momentum: f64 },
    /// Batch norm on an input that is neither `[N, C]` nor `[N, C, H, W]`.
    NotBatchNormInput { input: Shape },
    /// A dropout probability outside [0, 1).
    BadDropout { prob: f64 },
    /// Max pooling padded by more than half its window (PyTorch refuses it).
    PoolPadding,
    /// Flatten on an input without anything after the batch axis.
    NoAxisToFlatten { input: Shape },
    /// A window (convolution or pooling) of side or stride 0.
    ZeroWindow,
    /// A window larger than the (padded) side it slides over.
    TooSmall {
        axis: Axis,
        kernel: usize,
        side: usize,
        padding: usize,
    },
    /// A layer that needs `[N, C, H, W]` gets another shape.
    NotFeatureMap { input: Shape },
    /// An Inception block without paths.
    NoPaths,
    /// A path or conv block whose output cannot join the others on the
    /// channel axis.
    CannotConcatenate { part: Step, output: Shape, with: Shape },
    /// A residual block whose body and shortcut differ.
    CannotAdd { body: Shape, shortcut: Shape },
    /// The net's output is not one score per class.
    NotClassScores { output: Shape, classes: usize },
}

impl LayerPath {
    /// `row n` (from 1), where a table's row starts.
    pub fn row(n: usize) -> LayerPath {
        LayerPath(vec![Step::Row(n)])
    }

    /// The net itself: where a layer looked at on its own starts.
    pub fn net() -> LayerPath {
        LayerPath(vec![Step::Net])
    }

    /// This path, one step further.
    pub fn then(&self, step: Step) -> LayerPath {
        let mut steps = self.0.clone();
        steps.push(step);
        LayerPath(steps)
    }
}

impl ShapeError {
    pub fn new(layer: &LayerPath, reason: ShapeProblem) -> ShapeError {
        ShapeError {
            layer: layer.clone(),
            reason,
        }
    }
}
