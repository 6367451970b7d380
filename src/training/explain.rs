//! How a row computes one value of its output: the arithmetic behind it,
//! with the real numbers (CNN Explainer's click on a neuron; the book's
//! `corr2d`, `pool2d`, `batch_norm` and residual sum, for this picture and
//! these weights).
//!
//! Every number comes from the same forward pass that made the value:
//! `Net::forward_watched` shows each row's output, a row's input is the
//! output before it (or the concatenation or sum a block makes), and the
//! weights are read from the row's module. The arithmetic is then done
//! again here, on the host, so an explanation carries both the value the
//! net computed (`value`) and the one its arithmetic gives (`computed`):
//! they agree (tests/explain.rs), which is the point of showing it.
//!
//! The explanation is plain data, which the page shows without Burn; the
//! computing (`Explainer`, `explain`) needs the `train` feature. The words
//! are in `crate::i18n::explain`.

// Their arithmetic runs where the tensors are (`train`); the page only
// shows what it made.
#[cfg_attr(not(feature = "train"), allow(dead_code))]
mod joins;
#[cfg_attr(not(feature = "train"), allow(dead_code))]
mod values;
#[cfg_attr(not(feature = "train"), allow(dead_code))]
mod windows;

#[cfg(feature = "train")]
mod explainer;
#[cfg(feature = "train")]
mod fetch;
#[cfg(feature = "train")]
mod read_blocks;
#[cfg(feature = "train")]
mod read_layers;
#[cfg(feature = "train")]
mod rows;

use serde::{Deserialize, Serialize};

use super::TrainError;

#[cfg(feature = "train")]
pub use explainer::{Explainer, explain};
pub use joins::{
    ConcatKind, ConcatPart, ConcatSource, Concatenation, InnerLayer, MapsRms, PathGradients, ResidualSum,
    Sequence, SequenceKind,
};
pub use values::{
    Contribution, DenseSum, ElementKind, Elementwise, Flattened, LARGEST_CONTRIBUTIONS, Normalised,
};
pub use windows::{ChannelWindow, ConvSum, DETAIL_CHANNELS, OutputSide, PoolKind, PoolWindow};

/// Which value of a row's output: channel, row and column of a feature
/// map; of a flat row, feature `channel` (and `y` = `x` = 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub channel: usize,
    pub y: usize,
    pub x: usize,
}

impl Position {
    pub fn new(channel: usize, y: usize, x: usize) -> Position {
        Position { channel, y, x }
    }

    /// Where it is in the row-major values of one image's output of
    /// `shape` (`[1, C, H, W]` or `[1, F]`); `None` when outside.
    pub fn index(self, shape: &[usize]) -> Option<usize> {
        let Position { channel, y, x } = self;
        match *shape {
            [1, c, h, w] if channel < c && y < h && x < w => Some((channel * h + y) * w + x),
            [1, f] if channel < f && y == 0 && x == 0 => Some(channel),
            _ => None,
        }
    }

    /// `C,Y,X` (or `F` for a flat row), as the command line takes it.
    pub fn parse(text: &str) -> Option<Position> {
        let parts: Option<Vec<usize>> = text.split(',').map(|part| part.trim().parse().ok()).collect();
        match parts?[..] {
            [channel] => Some(Position::new(channel, 0, 0)),
            [channel, y, x] => Some(Position::new(channel, y, x)),
            _ => None,
        }
    }
}

/// Which statistics batch norm uses, and whether dropout drops: the
/// book's 训练模式 and 预测模式.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExplainMode {
    /// As the test accuracy is measured (and the maps are drawn): batch
    /// norm with its running statistics, no dropout.
    #[default]
    Eval,
    /// As a training step computes: batch norm with the batch's own
    /// statistics (the picture is a batch of one), dropout dropping.
    Train,
}

impl ExplainMode {
    pub const ALL: [ExplainMode; 2] = [ExplainMode::Eval, ExplainMode::Train];

    pub fn id(self) -> &'static str {
        match self {
            ExplainMode::Eval => "eval",
            ExplainMode::Train => "train",
        }
    }

    pub fn from_id(id: &str) -> Option<ExplainMode> {
        ExplainMode::ALL.into_iter().find(|mode| mode.id() == id)
    }
}

/// The arithmetic behind one value of one row's output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The row path (`ShapeTable::row_at`).
    pub layer: Vec<usize>,
    pub at: Position,
    pub mode: ExplainMode,
    /// The row's input and output shapes for the one image.
    pub input: Vec<usize>,
    pub output: Vec<usize>,
    /// The value the forward pass computed at `at`.
    pub value: f32,
    pub how: How,
}

impl Explanation {
    /// The value the arithmetic gives, computed here from the row's input
    /// and weights: `value`, up to rounding.
    pub fn computed(&self) -> f32 {
        self.how.result()
    }
}

/// What a row does to make the value, by kind of row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum How {
    Conv(ConvSum),
    Pool(PoolWindow),
    BatchNorm(Normalised),
    Dense(DenseSum),
    Elementwise(Elementwise),
    Flatten(Flattened),
    /// An Inception block or a dense block: channels from several parts.
    Concat(Concatenation),
    /// A residual block, or the ReLU after its sum.
    Residual(ResidualSum),
    /// A block of layers one after another: its output is the last one's.
    Sequence(Sequence),
}

impl How {
    /// The value this arithmetic gives.
    pub fn result(&self) -> f32 {
        match self {
            How::Conv(conv) => conv.total,
            How::Pool(pool) => pool.result,
            How::BatchNorm(norm) => norm.result(),
            How::Dense(dense) => dense.total,
            How::Elementwise(element) => element.result,
            How::Flatten(flat) => flat.input,
            How::Concat(concat) => concat.result,
            How::Residual(residual) => residual.result,
            How::Sequence(sequence) => sequence.last.computed(),
        }
    }
}

/// An explanation and the bulk data a residual block's adds: its three
/// map sets, f(x), x (or its projection) and their sum.
#[derive(Clone, Debug, PartialEq)]
pub struct Explained {
    pub explanation: Explanation,
    pub maps: Option<ResidualMaps>,
}

/// A residual block's body output f(x), shortcut output and their sum
/// (before the ReLU), each `[1, C, H, W]` row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct ResidualMaps {
    pub shape: Vec<usize>,
    pub body: Vec<f32>,
    pub shortcut: Vec<f32>,
    pub sum: Vec<f32>,
}

impl ResidualMaps {
    /// Channel `channel` of f(x), of the shortcut and of their sum, one
    /// map after another (empty when there is no such channel).
    pub fn channel(&self, channel: usize) -> Vec<f32> {
        let [_, channels, h, w] = self.shape[..] else {
            return vec![];
        };
        if channel >= channels {
            return vec![];
        }
        let cells = channel * h * w..(channel + 1) * h * w;
        [&self.body, &self.shortcut, &self.sum]
            .iter()
            .flat_map(|maps| maps[cells.clone()].iter().copied())
            .collect()
    }
}

/// Why a value could not be explained (said in both languages:
/// `crate::i18n::explain`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ExplainError {
    /// The net has no row at this path.
    NoRow { row: Vec<usize> },
    /// The position is not in the row's output.
    Outside { at: Position, shape: Vec<usize> },
    /// The device failed (reading the numbers back).
    Device { problem: TrainError },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_found_in_a_map_or_a_flat_row_and_nowhere_else() {
        let map = [1, 6, 28, 28];
        assert_eq!(Position::new(0, 0, 0).index(&map), Some(0));
        assert_eq!(Position::new(1, 2, 3).index(&map), Some(28 * 28 + 2 * 28 + 3));
        assert_eq!(Position::new(5, 27, 27).index(&map), Some(6 * 28 * 28 - 1));
        assert_eq!(Position::new(6, 0, 0).index(&map), None);
        assert_eq!(Position::new(0, 28, 0).index(&map), None);
        assert_eq!(Position::new(9, 0, 0).index(&[1, 10]), Some(9));
        assert_eq!(Position::new(10, 0, 0).index(&[1, 10]), None);
        assert_eq!(Position::new(0, 1, 0).index(&[1, 10]), None);
        // A batch of more than one image is not what an explanation reads.
        assert_eq!(Position::new(0, 0, 0).index(&[2, 10]), None);
    }

    #[test]
    fn positions_and_modes_read_as_the_command_line_writes_them() {
        assert_eq!(Position::parse("2,0,27"), Some(Position::new(2, 0, 27)));
        assert_eq!(Position::parse(" 3 , 4,5"), Some(Position::new(3, 4, 5)));
        assert_eq!(Position::parse("7"), Some(Position::new(7, 0, 0)));
        for bad in ["", "1,2", "1,2,3,4", "a,1,2", "-1,0,0"] {
            assert_eq!(Position::parse(bad), None, "{bad}");
        }
        for mode in ExplainMode::ALL {
            assert_eq!(ExplainMode::from_id(mode.id()), Some(mode));
        }
        assert_eq!(ExplainMode::from_id("training"), None);
    }
}
