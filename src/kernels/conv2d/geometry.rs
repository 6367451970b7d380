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

/// Invocations a real GPU needs in flight: a launch of fewer (with more
/// values to write) leaves most of one idle. Software adapters
/// (SwiftShader, lavapipe) run a few large invocations best, so the tiles
/// above are tuned there; on a GPU they are [spread](Conv2dGeometry::spread)
/// until a launch exposes this many.
pub const GPU_INVOCATIONS: usize = 8_192;

/// `(columns, channels)` per invocation (or any two sides of a tile),
/// halved in turn (the larger first) until `units(columns, channels)`
/// reaches [`GPU_INVOCATIONS`] or both are 1; `columns` of `width`,
/// `channels` of `channels_total`, each kept as even as [`balanced`] makes
/// it.
fn spread_tile(
    (width, channels_total): (usize, usize),
    (mut cols, mut block): (usize, usize),
    units: impl Fn(usize, usize) -> usize,
) -> (usize, usize) {
    while units(cols, block) < GPU_INVOCATIONS && (cols > 1 || block > 1) {
        if cols > 1 && cols >= block {
            cols = balanced(width, cols / 2);
        } else {
            block = balanced(channels_total, block / 2);
        }
    }
    (cols, block)
}

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
    /// Tiles spread for a real GPU (see [`GPU_INVOCATIONS`]).
    pub spread: bool,
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
            spread: false,
        }
    }

    /// The same convolution with its tiles spread for a real GPU, where
    /// `gpu` (see [`GPU_INVOCATIONS`]).
    pub fn spread(self, gpu: bool) -> Self {
        Conv2dGeometry { spread: gpu, ..self }
    }

    /// The forward tile: `(columns, output channels)` per invocation.
    pub fn forward_tile(&self) -> (usize, usize) {
        let [out_h, out_w] = self.out_size;
        let tile = (
            balanced(out_w, MAX_TILE_COLUMNS),
            channel_block(self.out_channels),
        );
        if !self.spread {
            return tile;
        }
        let units = |cols: usize, block: usize| {
            self.batch * out_h * out_w.div_ceil(cols) * self.out_channels.div_ceil(block)
        };
        spread_tile((out_w, self.out_channels), tile, units)
    }

    /// The input gradient's tile: `(the most columns, input channels)` per
    /// invocation; each phase's columns are cut into tiles of at most that.
    fn input_grad_tile(&self) -> (usize, usize) {
        let tile = (MAX_TILE_COLUMNS, channel_block(self.in_channels));
        if !self.spread {
            return tile;
        }
        // The pixels of one phase: about 1 / stride² of the input.
        let [rows, cols] = self.in_size.map(|side| side.div_ceil(self.stride));
        let units = |tile_cols: usize, block: usize| {
            self.batch * rows * cols.div_ceil(tile_cols) * self.in_channels.div_ceil(block)
        };
        spread_tile((cols, self.in_channels), (balanced(cols, tile.0), tile.1), units)
    }

    /// The input gradient's block of input channels per invocation.
    pub fn input_grad_block(&self) -> usize {
        self.input_grad_tile().1
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
            tile_cols: balanced(cols, self.input_grad_tile().0),
        })
    }

    /// The weight-gradient tile: `(input channels, output channels)` per
    /// invocation, each for one kernel row and all its columns.
    pub fn weight_grad_tile(&self) -> (usize, usize) {
        let in_block = balanced(self.in_channels, WEIGHT_GRAD_TAPS.div_ceil(self.kernel));
        let tile = (in_block, balanced(self.out_channels, WEIGHT_GRAD_BLOCK));
        if !self.spread {
            return tile;
        }
        // As many chunks as `weight_grad_chunks` cuts: at most one per row.
        let rows = self.batch * self.out_size[0];
        let units = |in_block: usize, block: usize| {
            let per_chunk =
                self.in_channels.div_ceil(in_block) * self.kernel * self.out_channels.div_ceil(block);
            per_chunk * WEIGHT_GRAD_INVOCATIONS.div_ceil(per_chunk).clamp(1, rows)
        };
        spread_tile((self.in_channels, self.out_channels), tile, units)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// LeNet's first convolution at the book's batch: 1 → 6 channels,
    /// 5×5, padding 2, on 28×28.
    fn lenet_conv1() -> Conv2dGeometry {
        Conv2dGeometry::new([256, 1, 28, 28], 6, 5, 1, 2)
    }

    /// ResNet's first 3×3 stride-2 convolution (b3, 64 → 128 channels, on
    /// b2's 24×24 at the book's 96-pixel input), batch 256.
    fn resnet_strided() -> Conv2dGeometry {
        Conv2dGeometry::new([256, 64, 24, 24], 128, 3, 2, 1)
    }

    /// The 1×1 stride-2 shortcut beside it.
    fn resnet_shortcut() -> Conv2dGeometry {
        Conv2dGeometry::new([256, 64, 24, 24], 128, 1, 2, 0)
    }

    #[test]
    fn balanced_parts_are_as_few_and_as_even_as_possible() {
        assert_eq!(balanced(28, 16), 14);
        assert_eq!(balanced(28, 8), 7);
        assert_eq!(balanced(12, 16), 12);
        assert_eq!(balanced(17, 16), 9);
        assert_eq!(balanced(128, 16), 16);
        assert_eq!(balanced(64, 3), 3);
        assert_eq!(balanced(0, 8), 1);
    }

    #[test]
    fn blocks_are_made_of_the_widest_vectors_that_fit() {
        assert_eq!(vector_width(16), 4);
        assert_eq!(vector_width(6), 2);
        assert_eq!(vector_width(9), 1);
        assert_eq!(vector_width(1), 1);
    }

    #[test]
    fn output_sizes() {
        assert_eq!(lenet_conv1().out_size, [28, 28]);
        assert_eq!(resnet_strided().out_size, [12, 12]);
        assert_eq!(resnet_shortcut().out_size, [12, 12]);
        // AlexNet's first layer: (224 + 2 − 11) / 4 + 1.
        assert_eq!(
            Conv2dGeometry::new([1, 1, 224, 224], 96, 11, 4, 1).out_size,
            [54, 54]
        );
        // LeNet's second: no padding.
        assert_eq!(
            Conv2dGeometry::new([1, 6, 14, 14], 16, 5, 1, 0).out_size,
            [10, 10]
        );
    }

    #[test]
    #[should_panic(expected = "does not fit")]
    fn a_kernel_larger_than_the_padded_input_is_refused() {
        Conv2dGeometry::new([1, 1, 4, 4], 1, 7, 1, 1);
    }

    #[test]
    fn lenet_conv1_tiles() {
        let g = lenet_conv1();
        // Rows of 28 in two tiles of 14; the 6 channels in one block of
        // 2-wide vectors.
        assert_eq!(g.forward_tile(), (14, 6));
        assert_eq!(vector_width(g.forward_tile().1), 2);
        assert_eq!(g.input_grad_block(), 1);
        // Stride 1 is the one phase, shifted by the padding.
        let phase = InputGradPhase {
            first_row: 0,
            first_col: 0,
            rows: 28,
            cols: 28,
            out_row: 2,
            out_col: 2,
            tile_cols: 14,
        };
        assert_eq!(g.input_grad_phase(0, 0), Some(phase));
        // 8 taps ÷ 5 columns → 2 input channels at most; it has 1.
        assert_eq!(g.weight_grad_tile(), (1, 6));
        assert_eq!(g.weight_grad_vector_width(), 4);
        // 5 invocations per chunk (1 input block × 5 kernel rows × 1
        // output block) want 3 277 chunks of the 7 168 rows: 3 rows each.
        assert_eq!(g.weight_grad_chunks(), (2390, 3));
    }

    #[test]
    fn resnet_strided_tiles() {
        let g = resnet_strided();
        // A wide layer: blocks of 16 channels, 4-wide vectors.
        assert_eq!(g.forward_tile(), (12, 16));
        assert_eq!(g.input_grad_block(), 16);
        // Padding 1, stride 2: padded row `i + 1` is in phase `(i + 1) % 2`,
        // so phase 0 starts at input row 1 and meets kernel row 0 at output
        // row 1; phase 1 starts at row 0 and meets kernel row 1 at output
        // row 0.
        let phase = |first_row, first_col, out_row, out_col| InputGradPhase {
            first_row,
            first_col,
            rows: 12,
            cols: 12,
            out_row,
            out_col,
            tile_cols: 12,
        };
        assert_eq!(g.input_grad_phase(0, 0), Some(phase(1, 1, 1, 1)));
        assert_eq!(g.input_grad_phase(0, 1), Some(phase(1, 0, 1, 0)));
        assert_eq!(g.input_grad_phase(1, 0), Some(phase(0, 1, 0, 1)));
        assert_eq!(g.input_grad_phase(1, 1), Some(phase(0, 0, 0, 0)));
        // 8 taps ÷ 3 columns → 3 input channels (64 in 22 blocks), 8 output
        // channels (128 in 16 blocks).
        assert_eq!(g.weight_grad_tile(), (3, 8));
        assert_eq!(g.weight_grad_vector_width(), 4);
        // 22 × 3 × 16 = 1 056 invocations per chunk: 16 chunks of the
        // 3 072 rows.
        assert_eq!(g.weight_grad_chunks(), (16, 192));
    }

    #[test]
    fn resnet_shortcut_tiles() {
        let g = resnet_shortcut();
        assert_eq!(g.forward_tile(), (12, 16));
        assert_eq!(g.input_grad_block(), 16);
        // No padding: phase `p` starts at pixel `p`. The odd rows and
        // columns meet no tap of a 1×1 kernel at stride 2, but they are
        // phases all the same (their gradient is written, as zeros).
        let phase = |first_row, first_col| InputGradPhase {
            first_row,
            first_col,
            rows: 12,
            cols: 12,
            out_row: 0,
            out_col: 0,
            tile_cols: 12,
        };
        assert_eq!(g.input_grad_phase(0, 0), Some(phase(0, 0)));
        assert_eq!(g.input_grad_phase(1, 0), Some(phase(1, 0)));
        assert_eq!(g.input_grad_phase(1, 1), Some(phase(1, 1)));
        // 8 taps of one column: 8 input channels.
        assert_eq!(g.weight_grad_tile(), (8, 8));
        // 8 × 1 × 16 = 128 invocations per chunk: 128 chunks of 24 rows.
        assert_eq!(g.weight_grad_chunks(), (128, 24));
    }

    #[test]
    fn weight_grad_vectors_divide_the_output_width() {
        let width = |w| Conv2dGeometry::new([1, 1, 1, w], 1, 1, 1, 0).weight_grad_vector_width();
        assert_eq!(width(28), 4);
        assert_eq!(width(54), 2);
        assert_eq!(width(10), 2);
        assert_eq!(width(7), 1);
    }

    /// Every geometry of kernels 1–7 and 11, strides 1–4, paddings up to
    /// half the kernel, on inputs up to 20 pixels a side, with channel
    /// counts narrow and wide, partial blocks included.
    fn sweep() -> impl Iterator<Item = Conv2dGeometry> {
        let channels = [1, 3, 6, 16, 17, 64, 65, 128];
        (1..=7usize).chain([11]).flat_map(move |kernel| {
            (1..=4).flat_map(move |stride| {
                (0..=kernel / 2).flat_map(move |padding| {
                    let smallest = kernel.saturating_sub(2 * padding).max(1);
                    (smallest..=20).flat_map(move |height| {
                        let width = (height * 7) % 20 + smallest;
                        let c = channels[(height + kernel) % channels.len()];
                        let co = channels[(height + stride + padding) % channels.len()];
                        [2, 3].map(|batch| {
                            Conv2dGeometry::new([batch, c, height, width], co, kernel, stride, padding)
                        })
                    })
                })
            })
        })
    }

    #[test]
    fn spread_tiles_expose_enough_invocations_or_are_single_pixels() {
        let book = [
            Conv2dGeometry::new([256, 6, 14, 14], 16, 5, 1, 0),
            Conv2dGeometry::new([16, 256, 6, 6], 512, 3, 2, 1),
            Conv2dGeometry::new([16, 512, 3, 3], 512, 3, 1, 1),
        ];
        for g in sweep().chain(book) {
            let spread = g.spread(true);
            let [out_h, out_w] = g.out_size;
            let ((cols, block), (wide_cols, wide_block)) = (spread.forward_tile(), g.forward_tile());
            assert!(cols <= wide_cols && block <= wide_block, "{g:?}");
            let units = g.batch * out_h * out_w.div_ceil(cols) * g.out_channels.div_ceil(block);
            assert!(
                units >= GPU_INVOCATIONS || (cols, block) == (1, 1),
                "{g:?}: {units}"
            );
            let (tile, in_block) = spread.input_grad_tile();
            let [rows, phase_cols] = g.in_size.map(|side| side.div_ceil(g.stride));
            let units = g.batch * rows * phase_cols.div_ceil(tile) * g.in_channels.div_ceil(in_block);
            assert!(
                units >= GPU_INVOCATIONS || (tile, in_block) == (1, 1),
                "{g:?}: {units}"
            );
            assert!(in_block <= g.input_grad_block(), "{g:?}");
            let (in_block, block) = spread.weight_grad_tile();
            let (chunks, _) = spread.weight_grad_chunks();
            let units = chunks * g.in_channels.div_ceil(in_block) * g.kernel * g.out_channels.div_ceil(block);
            assert!(
                units >= GPU_INVOCATIONS || (in_block, block) == (1, 1),
                "{g:?}: {units}"
            );
        }
        // LeNet's conv2 at the book's batch: 5 120 invocations of 10
        // columns × 8 channels; spread, 10 240 of 5 × 8.
        let lenet_conv2 = book[0];
        assert_eq!(lenet_conv2.forward_tile(), (10, 8));
        assert_eq!(lenet_conv2.spread(true).forward_tile(), (5, 8));
    }

    #[test]
    fn forward_tiles_cover_the_output_in_as_few_tiles_as_possible() {
        for g in sweep() {
            let (cols, block) = g.forward_tile();
            let width = g.out_size[1];
            let tiles = width.div_ceil(MAX_TILE_COLUMNS);
            assert!(0 < cols && cols <= MAX_TILE_COLUMNS, "{g:?}");
            // The launch's `width.div_ceil(cols)` tiles: no more than the
            // fewest tiles of MAX_TILE_COLUMNS, and together the whole row.
            assert_eq!(width.div_ceil(cols), tiles, "{g:?}");
            assert!(cols * tiles >= width, "{g:?}");
            let most = if g.out_channels >= WIDE_LAYER {
                MAX_CHANNEL_BLOCK
            } else {
                8
            };
            assert!(0 < block && block <= most, "{g:?}");
            assert_eq!(
                g.out_channels.div_ceil(block),
                g.out_channels.div_ceil(most),
                "{g:?}"
            );
            assert!(block.is_multiple_of(vector_width(block)));
        }
    }

    #[test]
    fn input_grad_phases_cover_every_input_pixel_once() {
        for g in sweep().flat_map(|g| [g, g.spread(true)]) {
            let (s, p) = (g.stride, g.padding);
            let [height, width] = g.in_size;
            let mut seen = vec![0u8; height * width];
            for row_phase in 0..s {
                for col_phase in 0..s {
                    let Some(phase) = g.input_grad_phase(row_phase, col_phase) else {
                        continue;
                    };
                    assert!(0 < phase.tile_cols && phase.tile_cols <= MAX_TILE_COLUMNS);
                    assert!(phase.cols.div_ceil(phase.tile_cols) * phase.tile_cols >= phase.cols);
                    for a in 0..phase.rows {
                        let ih = phase.first_row + a * s;
                        // In its phase, and where the kernel looks for it:
                        // the phase's kernel rows `row_phase + m·s` meet it
                        // at output rows `out_row + a − m`.
                        assert_eq!((ih + p) % s, row_phase, "{g:?}");
                        for kh in (row_phase..g.kernel).step_by(s) {
                            let m = (kh - row_phase) / s;
                            let out_row = (phase.out_row + a) as isize - m as isize;
                            assert_eq!((ih + p) as isize - kh as isize, out_row * s as isize, "{g:?}");
                        }
                        for b in 0..phase.cols {
                            let iw = phase.first_col + b * s;
                            assert_eq!((iw + p) % s, col_phase, "{g:?}");
                            for kw in (col_phase..g.kernel).step_by(s) {
                                let m = (kw - col_phase) / s;
                                let out_col = (phase.out_col + b) as isize - m as isize;
                                assert_eq!((iw + p) as isize - kw as isize, out_col * s as isize, "{g:?}");
                            }
                            seen[ih * width + iw] += 1;
                        }
                    }
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{g:?}: pixels seen {seen:?}");
        }
    }

    #[test]
    fn weight_grad_chunks_cover_every_row_once() {
        for g in sweep() {
            let (in_block, block) = g.weight_grad_tile();
            assert!(
                0 < in_block && in_block <= WEIGHT_GRAD_TAPS.div_ceil(g.kernel),
                "{g:?}"
            );
            assert!(0 < block && block <= WEIGHT_GRAD_BLOCK, "{g:?}");
            let rows = g.batch * g.out_size[0];
            let (chunks, per_chunk) = g.weight_grad_chunks();
            assert!(chunks * per_chunk >= rows, "{g:?}");
            assert!((chunks - 1) * per_chunk < rows, "{g:?}: an empty chunk");
            assert!(g.out_size[1].is_multiple_of(g.weight_grad_vector_width()));
        }
    }
}
