//! Blocks that join what their layers make: a concatenation on channels
//! (Inception, dense block), a residual sum, and a sequence whose output
//! is its last layer's.

use serde::{Deserialize, Serialize};

use super::Explanation;

/// Which block concatenates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcatKind {
    /// GoogLeNet's: its paths' outputs.
    Inception,
    /// DenseNet's: the block's input, then each conv block's output.
    DenseBlock,
}

/// What feeds a range of a concatenation's channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum ConcatSource {
    /// The dense block's own input.
    BlockInput,
    /// An Inception path (from 0).
    Path { index: usize },
    /// A dense block's conv block (from 0).
    ConvBlock { index: usize },
}

/// Channels `first .. first + count` of the concatenation, and what makes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcatPart {
    pub source: ConcatSource,
    /// The part's row path (none for the block's input).
    pub row: Option<Vec<usize>>,
    pub first: usize,
    pub count: usize,
}

/// A concatenation's value: which part feeds the channel, and its value there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Concatenation {
    pub kind: ConcatKind,
    pub parts: Vec<ConcatPart>,
    /// Which of `parts` feeds the asked channel, and which of its channels it is.
    pub part: usize,
    pub channel_in_part: usize,
    /// That part's value at the position.
    pub result: f32,
}

impl Concatenation {
    /// Parts of `counts` channels each, in order: their channel ranges.
    pub(crate) fn ranges(sources: Vec<(ConcatSource, Option<Vec<usize>>, usize)>) -> Vec<ConcatPart> {
        let mut first = 0;
        sources
            .into_iter()
            .map(|(source, row, count)| {
                let part = ConcatPart {
                    source,
                    row,
                    first,
                    count,
                };
                first += count;
                part
            })
            .collect()
    }

    /// The part holding `channel`, and which of its channels it is.
    pub(crate) fn part_of(parts: &[ConcatPart], channel: usize) -> Option<(usize, usize)> {
        parts
            .iter()
            .position(|part| (part.first..part.first + part.count).contains(&channel))
            .map(|i| (i, channel - parts[i].first))
    }
}

/// The size (root mean square) of a residual block's three map sets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapsRms {
    pub body: f32,
    pub shortcut: f32,
    pub sum: f32,
}

impl MapsRms {
    pub(crate) fn of(body: &[f32], shortcut: &[f32], sum: &[f32]) -> MapsRms {
        let rms = |values: &[f32]| {
            let squares: f64 = values.iter().map(|&v| (v as f64).powi(2)).sum();
            (squares / values.len().max(1) as f64).sqrt() as f32
        };
        MapsRms {
            body: rms(body),
            shortcut: rms(shortcut),
            sum: rms(sum),
        }
    }
}

/// The gradient that reaches a residual block's input x from one
/// picture's loss, split by the path it took: through the body f, through
/// the shortcut, and both (the block's own: their sum).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathGradients {
    /// The class the cross-entropy is taken against: the picture's label,
    /// or the predicted class for a picture of one's own.
    pub class: usize,
    pub loss: f32,
    /// L2 norms of ∂loss/∂x through each path, and of their sum.
    pub body: f32,
    pub shortcut: f32,
    pub total: f32,
}

/// A residual block's value: relu(f(x) + x), where x may be projected by
/// the shortcut's 1×1 convolution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidualSum {
    /// The shortcut is a 1×1 convolution (else the identity).
    pub projection: bool,
    /// f(x) at the position.
    pub body: f32,
    /// x (or its projection) at the position.
    pub shortcut: f32,
    pub sum: f32,
    /// relu(sum).
    pub result: f32,
    /// The three map sets' sizes, over all channels.
    pub rms: MapsRms,
    /// From a backward pass on the one picture (for a block whose rest of
    /// the net runs layer after layer, as every ResNet's does).
    pub gradient: Option<PathGradients>,
}

impl ResidualSum {
    pub(crate) fn compute(
        projection: bool,
        body: f32,
        shortcut: f32,
        rms: MapsRms,
        gradient: Option<PathGradients>,
    ) -> ResidualSum {
        let sum = body as f64 + shortcut as f64;
        ResidualSum {
            projection,
            body,
            shortcut,
            sum: sum as f32,
            result: sum.max(0.0) as f32,
            rms,
            gradient,
        }
    }
}

/// Which block runs its layers one after another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum SequenceKind {
    /// An `nn.Sequential` (the book's blocks: `b1`, `vgg_block`, a transition).
    Block,
    /// An Inception path (from 0).
    Path { index: usize },
    /// A dense block's conv block (from 0).
    ConvBlock { index: usize },
}

/// One layer of a sequence, with what goes in and out (how a transition
/// layer's 1×1 convolution and pooling change channels and size).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerLayer {
    pub row: Vec<usize>,
    pub input: Vec<usize>,
    pub output: Vec<usize>,
}

/// A sequence's value is its last layer's, explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub kind: SequenceKind,
    pub layers: Vec<InnerLayer>,
    pub last: Box<Explanation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_concatenation_says_which_part_feeds_which_channels() {
        // GoogLeNet's first Inception: 64 + 128 + 32 + 32 = 256 channels.
        let sources = [64, 128, 32, 32]
            .iter()
            .enumerate()
            .map(|(i, &count)| (ConcatSource::Path { index: i }, Some(vec![2, 0, i]), count))
            .collect();
        let parts = Concatenation::ranges(sources);
        assert_eq!(
            parts.iter().map(|p| (p.first, p.count)).collect::<Vec<_>>(),
            [(0, 64), (64, 128), (192, 32), (224, 32)]
        );
        assert_eq!(Concatenation::part_of(&parts, 0), Some((0, 0)));
        assert_eq!(Concatenation::part_of(&parts, 64), Some((1, 0)));
        assert_eq!(Concatenation::part_of(&parts, 223), Some((2, 31)));
        assert_eq!(Concatenation::part_of(&parts, 255), Some((3, 31)));
        assert_eq!(Concatenation::part_of(&parts, 256), None);
    }

    #[test]
    fn a_residual_sum_adds_then_clips_at_zero() {
        let rms = MapsRms::of(&[3.0, 4.0], &[0.0, 0.0], &[1.0, -1.0]);
        assert_eq!(
            (rms.body, rms.shortcut, rms.sum),
            ((12.5f64).sqrt() as f32, 0.0, 1.0)
        );
        let kept = ResidualSum::compute(false, 0.25, 0.5, rms, None);
        assert_eq!((kept.sum, kept.result), (0.75, 0.75));
        let clipped = ResidualSum::compute(true, -0.25, 0.125, rms, None);
        assert_eq!((clipped.sum, clipped.result), (-0.125, 0.0));
    }
}
