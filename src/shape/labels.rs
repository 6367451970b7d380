//! What the table says of a row beyond its numbers, as typed values: its
//! settings (code, or a block's words such as `4 paths, concatenated`) and
//! which tensor is the largest. The words are in `crate::i18n::shape`.

use serde::{Deserialize, Serialize, Serializer};

/// What the table's settings column says of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settings {
    /// A layer's settings or the book's name of a block, as code:
    /// `1→6, k5, p2`, `b3`, `vgg_block(2, 256)`; empty for none.
    Code(String),
    /// An Inception block: `4 paths, concatenated`.
    Paths(usize),
    /// One of its paths: `path 2` (from 1).
    Path(usize),
    /// A residual block: `identity shortcut`, or `1×1 conv shortcut`
    /// (`projection`).
    Residual { projection: bool },
    /// A layer on a residual block's shortcut: `shortcut: 64→128, k1, s2`.
    OnShortcut(String),
    /// The ReLU after a residual block's sum: `after the sum`.
    AfterSum,
    /// One of a dense block's conv blocks (from 1), with the channels the
    /// concatenation has after it: `conv_block 2, concatenated to 128 channels`.
    ConvBlock { index: usize, channels: usize },
    /// A dense block: `4 conv blocks`.
    ConvBlocks(usize),
}

impl Settings {
    /// Whether there is nothing to say (a layer without settings).
    pub fn is_empty(&self) -> bool {
        matches!(self, Settings::Code(code) if code.is_empty())
    }
}

/// Settings in the table's JSON (`cnnp shapes --json`): the command
/// line's English.
pub(super) fn in_english<S: Serializer>(settings: &Settings, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(settings)
}

/// What makes a tensor of the net: its input, or a row's layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Producer {
    Input,
    /// A row, by its class and settings: `Conv2d (1→6, k5, p2)`.
    Row {
        name: String,
        settings: Settings,
    },
}
