//! The host arithmetic of a convolution: its output size, how its work is
//! cut into tiles and channel blocks for each kernel, and the phases of a
//! strided input gradient. Pure arithmetic: what the launches in
//! `launch.rs` pass to the kernels in `kernels.rs`.

/// The most channels one invocation accumulates per pixel of its tile, for
/// layers of at least [`WIDE_LAYER`] channels; narrower layers take blocks
/// of at most 8. Measured on SwiftShader: ResNet-18's wide layers run 7 %
/// faster with 16 than with 8, while LeNet's narrow ones gain nothing and
/// their kernels take longer to compile.
pub const MAX_CHANNEL_BLOCK: usize = 16;

/// Channels from which a layer is wide (see [`MAX_CHANNEL_BLOCK`]).
pub const WIDE_LAYER: usize = 64;

/// The channel block for `channels`: as even as possible, at most 16 for a
/// wide layer and 8 otherwise.
fn channel_block(channels: usize) -> usize {
    let max = if channels >= WIDE_LAYER {
        MAX_CHANNEL_BLOCK
    } else {
        8
    };
    balanced(channels, max)
}

/// The weight gradient's block of output channels: its accumulators (taps ×
/// block, at most 88) stay under the 100 elements SPIR-V optimisers
/// (SwiftShader's included) keep in registers.
const WEIGHT_GRAD_BLOCK: usize = 8;

/// The most neighbouring pixels of a row one invocation computes.
pub const MAX_TILE_COLUMNS: usize = 16;

/// About how many kernel taps (input channels × kernel columns) one
/// weight-gradient invocation accumulates for each output channel.
const WEIGHT_GRAD_TAPS: usize = 8;

/// Enough invocations for the weight gradient to keep a GPU busy; the
/// batch is cut into as many chunks as it takes to reach this.
const WEIGHT_GRAD_INVOCATIONS: usize = 16_384;

/// The sizes of one convolution, as the launches work them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2dGeometry {
    pub batch: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    pub in_size: [usize; 2],
    pub out_size: [usize; 2],
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// One phase of a strided input gradient: where its pixels are (see
/// `PhaseShape`) and how many columns an invocation takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputGradPhase {
    pub first_row: usize,
    pub first_col: usize,
    pub rows: usize,
    pub cols: usize,
    pub out_row: usize,
    pub out_col: usize,
    pub tile_cols: usize,
}

/// `n` cut into as few parts of at most `max` as possible, as even as
/// possible: the size of a part (a tile of 28 columns is 7, not 8 + 8 + 8 + 4).
fn balanced(n: usize, max: usize) -> usize {
    let n = n.max(1);
    n.div_ceil(n.div_ceil(max))
}

/// The widest vector (4, 2 or 1 floats) a block of `block` channels is
/// made of.
pub(super) fn vector_width(block: usize) -> usize {
    [4, 2, 1]
        .into_iter()
        .find(|w| block.is_multiple_of(*w))
        .unwrap_or(1)
}

impl Conv2dGeometry {
    /// The geometry of a convolution of `[N, Cin, H, W]` by `Cout` square
    /// kernels; panics on a kernel larger than the padded input, which the
    /// shape table rejects before a net is built.
    pub fn new(input: [usize; 4], out_channels: usize, kernel: usize, stride: usize, padding: usize) -> Self {
        let [batch, in_channels, height, width] = input;
        let out = |size: usize| {
            assert!(
                size + 2 * padding >= kernel,
                "a {kernel}×{kernel} kernel does not fit a {size}-pixel input"
            );
            (size + 2 * padding - kernel) / stride + 1
        };
        Conv2dGeometry {
            batch,
            in_channels,
            out_channels,
            in_size: [height, width],
            out_size: [out(height), out(width)],
            kernel,
            stride,
            padding,
        }
    }

    /// The forward tile: `(columns, output channels)` per invocation.
    pub fn forward_tile(&self) -> (usize, usize) {
        (
            balanced(self.out_size[1], MAX_TILE_COLUMNS),
            channel_block(self.out_channels),
        )
    }

    /// The input gradient's block of input channels per invocation.
    pub fn input_grad_block(&self) -> usize {
        channel_block(self.in_channels)
    }

    /// The input pixels of one phase of the input gradient (see
    /// `conv2d_input_grad_kernel`), or `None` when none has that phase.
    pub fn input_grad_phase(&self, row_phase: usize, col_phase: usize) -> Option<InputGradPhase> {
        let (s, p) = (self.stride, self.padding);
        // The first pixel whose padded index is `phase` modulo the stride.
        let first = |phase: usize| (phase + s - p % s) % s;
        let (first_row, first_col) = (first(row_phase), first(col_phase));
        let [height, width] = self.in_size;
        if first_row >= height || first_col >= width {
            return None;
        }
        let cols = (width - first_col).div_ceil(s);
        Some(InputGradPhase {
            first_row,
            first_col,
            rows: (height - first_row).div_ceil(s),
            cols,
            out_row: (first_row + p - row_phase) / s,
            out_col: (first_col + p - col_phase) / s,
            tile_cols: balanced(cols, MAX_TILE_COLUMNS),
        })
    }

    /// The weight-gradient tile: `(input channels, output channels)` per
    /// invocation, each for one kernel row and all its columns.
    pub fn weight_grad_tile(&self) -> (usize, usize) {
        let in_block = balanced(self.in_channels, WEIGHT_GRAD_TAPS.div_ceil(self.kernel));
        (in_block, balanced(self.out_channels, WEIGHT_GRAD_BLOCK))
    }

    /// How many neighbouring output columns the weight gradient reads as
    /// one vector: the widest of 4, 2, 1 that divides the output width (so
    /// that every row starts on a whole vector).
    pub fn weight_grad_vector_width(&self) -> usize {
        [4, 2, 1]
            .into_iter()
            .find(|w| self.out_size[1].is_multiple_of(*w))
            .unwrap_or(1)
    }

    /// How the weight gradient cuts the `batch × output rows` it sums over:
    /// `(chunks, rows per chunk)`.
    pub fn weight_grad_chunks(&self) -> (usize, usize) {
        let rows = self.batch * self.out_size[0];
        let (in_block, block) = self.weight_grad_tile();
        let per_chunk = self.in_channels.div_ceil(in_block) * self.kernel * self.out_channels.div_ceil(block);
        let wanted = WEIGHT_GRAD_INVOCATIONS.div_ceil(per_chunk).clamp(1, rows);
        let rows_per_chunk = rows.div_ceil(wanted);
        (rows.div_ceil(rows_per_chunk), rows_per_chunk)
    }
}

