//! The convolution kernels (CubeCL, compiled to WGSL for WebGPU and to
//! SPIR-V for Vulkan) and their launches on Burn's cube backend.
//!
//! All three kernels share one shape: an invocation owns one pixel (or one
//! weight column) and a block of up to [`MAX_CHANNEL_BLOCK`] channels, kept
//! in registers. Lanes of a workgroup differ in their pixel and share their
//! channel block, so the operand that only depends on the channel (the
//! weight, or the output gradient in the weight gradient) is one uniform
//! load for the whole subgroup, and the operand that depends on the pixel
//! is loaded once and used `block` times. The kernel window is unrolled at
//! compile time, and what depends only on the window position (which rows
//! and columns fall into the padding) is worked out once, outside the loop
//! over channels. On the software renderers we measure on (SwiftShader,
//! lavapipe) a divergent load is a per-lane gather and a uniform one a
//! single load, which is what this layout is for; on a GPU the uniform
//! weight reads are broadcasts and neighbouring lanes read neighbouring
//! pixels.
//!
//! Tensors are NCHW and made contiguous first; only `f32` is supported
//! (Burn's default float, the only one the playground uses).

use burn::backend::ops::FloatTensorOps;
use burn::tensor::{DType, Shape};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::ops::numeric::empty_device_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;
use cubecl::std::FastDivmod;

use super::ConvKernels;

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

/// Invocations per workgroup.
const WORKGROUP_SIZE: u32 = 64;

/// WebGPU's limit on workgroups along one axis of a dispatch.
const MAX_GROUPS_PER_AXIS: usize = 65_535;

/// The most neighbouring pixels of a row one invocation computes.
pub const MAX_TILE_COLUMNS: usize = 16;

/// About how many kernel taps (input channels × kernel columns) one
/// weight-gradient invocation accumulates for each output channel.
const WEIGHT_GRAD_TAPS: usize = 8;

/// Enough invocations for the weight gradient to keep a GPU busy; the
/// batch is cut into as many chunks as it takes to reach this.
const WEIGHT_GRAD_INVOCATIONS: usize = 16_384;

/// The sizes a convolution kernel needs at run time.
#[derive(CubeLaunch, CubeType)]
struct ConvShape {
    in_channels: usize,
    out_channels: usize,
    in_height: usize,
    in_width: usize,
    out_height: usize,
    out_width: usize,
    padding: usize,
}

/// The linear index of this invocation in a dispatch of [`grid`].
#[cube]
pub(super) fn invocation_index() -> usize {
    let group = CUBE_POS_Y as usize * CUBE_COUNT_X as usize + CUBE_POS_X as usize;
    group * CUBE_DIM_X as usize + UNIT_POS_X as usize
}

// A note on control flow, which every kernel here follows: no early
// `terminate!()` and no `&&` over loads. An invocation past the end works on
// a clamped index and only its writes are skipped; the validity of a tap is
// a `select`, not a branch. On a software renderer a load inside divergent
// control flow is a masked per-lane loop, and on a GPU it is a divergent
// warp; both cost more than computing a few values that are thrown away.

/// `output = conv(input, weight) + bias`: one invocation computes `cols`
/// neighbouring output pixels of one row for `block` output channels. Per
/// input channel and kernel row it loads the `span` input values those
/// pixels' windows cover once, and per kernel column the `block` weights
/// once: `cols × block` multiply-adds per weight, `kernel × block` per
/// input value.
#[cube(launch_unchecked)]
fn conv2d_forward_kernel<N: Size>(
    input: &Tensor<f32>,
    weight: &Tensor<Vector<f32, N>>,
    bias: &Tensor<f32>,
    output: &mut Tensor<f32>,
    shape: ConvShape,
    tiles_per_row: FastDivmod<usize>,
    out_height: FastDivmod<usize>,
    num_tiles: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
    #[comptime] cols: usize,
    #[comptime] block: usize,
) {
    let tile_index = invocation_index();
    let active = tile_index < num_tiles;
    let (row, tile) = tiles_per_row.div_mod(clamp_max(tile_index, num_tiles - 1));
    let (n, oh) = out_height.div_mod(row);
    let first_col = tile * cols;
    let channel_start = CUBE_POS_Z as usize * block;
    let span = comptime!((cols - 1) * stride + kernel);
    let padding = shape.padding;

    // The input columns the tile's windows cover, and which of them fall
    // into the zero padding: the same for every channel and kernel row.
    let mut span_col = Array::<usize>::new(span);
    let mut span_inside = Array::<bool>::new(span);
    #[unroll]
    for q in 0..span {
        let col = first_col * stride + q;
        let inside = col >= padding && col < shape.in_width + padding;
        span_inside[q] = inside;
        span_col[q] = select(inside, col - padding, 0);
    }

    // The weights come packed `[Cin·K·K, Cout padded to whole blocks]`
    // (`pack_weights`), so a block's weights for one tap are `block / N`
    // vector loads. Channels past the last one (a partial block) have zero
    // weights and are not written.
    let width = weight.vector_size();
    let vectors = comptime!(block / width);
    let padded_channels = weight.shape(1);
    let mut acc = Array::<Vector<f32, N>>::new(comptime!(cols * vectors));
    #[unroll]
    for v in 0..vectors {
        let mut start = Vector::<f32, N>::broadcast(0.0);
        #[unroll]
        for i in 0..width {
            start.insert(
                i,
                bias[clamp_max(channel_start + v * width + i, shape.out_channels - 1)],
            );
        }
        #[unroll]
        for j in 0..cols {
            acc[comptime!(j * vectors + v)] = start;
        }
    }

    let in_area = shape.in_height * shape.in_width;
    let mut values = Array::<f32>::new(span);
    let mut weights = Array::<Vector<f32, N>>::new(vectors);
    let mut tap = 0;
    for ci in 0..shape.in_channels {
        let channel_base = (n * shape.in_channels + ci) * in_area;
        for kh in 0..kernel {
            let in_row = oh * stride + kh;
            let row_inside = in_row >= padding && in_row < shape.in_height + padding;
            let row_base = channel_base + select(row_inside, in_row - padding, 0) * shape.in_width;
            #[unroll]
            for q in 0..span {
                let col_inside = span_inside[q];
                let inside = row_inside && col_inside;
                let index = select(inside, row_base + span_col[q], 0);
                values[q] = select(inside, input[index], 0.0);
            }
            #[unroll]
            for kw in 0..kernel {
                let weight_base = ((tap + kw) * padded_channels + channel_start) / width;
                #[unroll]
                for v in 0..vectors {
                    weights[v] = weight[weight_base + v];
                }
                #[unroll]
                for j in 0..cols {
                    let value = Vector::<f32, N>::broadcast(values[comptime!(j * stride + kw)]);
                    #[unroll]
                    for v in 0..vectors {
                        acc[comptime!(j * vectors + v)] += value * weights[v];
                    }
                }
            }
            tap += kernel;
        }
    }

    let out_area = shape.out_height * shape.out_width;
    let out_base = n * shape.out_channels * out_area + oh * shape.out_width;
    #[unroll]
    for j in 0..cols {
        let ow = first_col + j;
        #[unroll]
        for v in 0..vectors {
            let sums = acc[comptime!(j * vectors + v)];
            #[unroll]
            for i in 0..width {
                let channel = channel_start + v * width + i;
                if active && ow < shape.out_width && channel < shape.out_channels {
                    output[out_base + channel * out_area + ow] = sums.extract(i);
                }
            }
        }
    }
}

/// Where one phase of a strided convolution's input gradient lies (see
/// `conv2d_input_grad_kernel`): its first input row and column, how many
/// columns it has, and the output row and column its first pixel
/// meets with the phase's first kernel row and column.
#[derive(CubeLaunch, CubeType)]
struct PhaseShape {
    first_row: usize,
    first_col: usize,
    cols: usize,
    out_row: usize,
    out_col: usize,
}

/// The input gradient: a convolution of the output gradient with the
/// kernels flipped, tiled as the forward pass is (`cols` input pixels ×
/// `block` input channels per invocation).
///
/// With stride `s`, input pixel `i` (padded: `i + padding`) meets kernel
/// row `k` only when `s` divides `i + padding - k`. So the pixels are
/// taken one phase at a time — those whose padded row is `row_phase` and
/// padded column `col_phase` modulo `s`, one launch each — and each phase
/// is a stride-1 problem on its own grid with the sub-kernel of rows
/// `row_phase + m·s` and columns `col_phase + m·s`: no tap is computed that
/// the stride rules out. Stride 1 is the one phase (0, 0).
#[cube(launch_unchecked)]
fn conv2d_input_grad_kernel<N: Size>(
    output_grad: &Tensor<f32>,
    weight: &Tensor<Vector<f32, N>>,
    input_grad: &mut Tensor<f32>,
    shape: ConvShape,
    phase: PhaseShape,
    tiles_per_row: FastDivmod<usize>,
    phase_rows: FastDivmod<usize>,
    num_tiles: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
    #[comptime] row_phase: usize,
    #[comptime] col_phase: usize,
    #[comptime] cols: usize,
    #[comptime] block: usize,
) {
    let tile_index = invocation_index();
    let active = tile_index < num_tiles;
    let (row, tile) = tiles_per_row.div_mod(clamp_max(tile_index, num_tiles - 1));
    let (n, a) = phase_rows.div_mod(row);
    let ih = phase.first_row + a * stride;
    let first_b = tile * cols;
    // The sub-kernel: kernel rows and columns `phase + m·stride`.
    let taps_h = comptime!((kernel - row_phase.min(kernel)).div_ceil(stride));
    let taps_w = comptime!((kernel - col_phase.min(kernel)).div_ceil(stride));
    let reach = comptime!(taps_w.max(1) - 1);
    let span = comptime!(cols + reach);

    // Pixel `j` meets sub-kernel column `m` at output column
    // `out_col + first_b + j - m`, i.e. span position `j + reach - m`.
    let mut span_col = Array::<usize>::new(span);
    let mut span_inside = Array::<bool>::new(span);
    #[unroll]
    for q in 0..span {
        let shifted = phase.out_col + first_b + q;
        let inside = shifted >= reach && shifted < shape.out_width + reach;
        span_inside[q] = inside;
        span_col[q] = select(inside, shifted - reach, 0);
    }

    // Weights packed `[Cout·K·K, Cin padded to whole blocks]`.
    let width = weight.vector_size();
    let vectors = comptime!(block / width);
    let padded_channels = weight.shape(1);
    let channel_start = CUBE_POS_Z as usize * block;
    let mut acc = Array::<Vector<f32, N>>::new(comptime!(cols * vectors));
    #[unroll]
    for t in 0..comptime!(cols * vectors) {
        acc[t] = Vector::<f32, N>::broadcast(0.0);
    }

    let out_area = shape.out_height * shape.out_width;
    let reach_row = phase.out_row + a;
    let mut values = Array::<f32>::new(span);
    let mut weights = Array::<Vector<f32, N>>::new(vectors);
    for co in 0..shape.out_channels {
        let channel_base = (n * shape.out_channels + co) * out_area;
        for mh in 0..taps_h {
            // Sub-kernel row `mh` reaches this row from output row `reach_row - mh`.
            let row_inside = reach_row >= mh && reach_row < shape.out_height + mh;
            let row_base = channel_base + select(row_inside, reach_row - mh, 0) * shape.out_width;
            #[unroll]
            for q in 0..span {
                let col_inside = span_inside[q];
                let inside = row_inside && col_inside;
                let index = select(inside, row_base + span_col[q], 0);
                values[q] = select(inside, output_grad[index], 0.0);
            }
            let kh = row_phase + mh * stride;
            let tap_row = (co * kernel + kh) * kernel;
            #[unroll]
            for m in 0..taps_w {
                let kw = comptime!(col_phase + m * stride);
                let weight_base = ((tap_row + kw) * padded_channels + channel_start) / width;
                #[unroll]
                for v in 0..vectors {
                    weights[v] = weight[weight_base + v];
                }
                #[unroll]
                for j in 0..cols {
                    let value = Vector::<f32, N>::broadcast(values[comptime!(j + reach - m)]);
                    #[unroll]
                    for v in 0..vectors {
                        acc[comptime!(j * vectors + v)] += value * weights[v];
                    }
                }
            }
        }
    }

    let in_area = shape.in_height * shape.in_width;
    let in_base = n * shape.in_channels * in_area + ih * shape.in_width;
    #[unroll]
    for j in 0..cols {
        let b = first_b + j;
        let iw = phase.first_col + b * stride;
        #[unroll]
        for v in 0..vectors {
            let sums = acc[comptime!(j * vectors + v)];
            #[unroll]
            for i in 0..width {
                let channel = channel_start + v * width + i;
                if active && b < phase.cols && channel < shape.in_channels {
                    input_grad[in_base + channel * in_area + iw] = sums.extract(i);
                }
            }
        }
    }
}

/// `packed[(a·taps + t)·padded + b] = weight[(a·channels + b)·taps + t]`,
/// zero for `b ≥ channels`: a weight `[A, channels, taps]` with the
/// channel axis moved innermost and padded to whole blocks, so that a
/// block of channels for one tap is one run of memory. `[1, Cout, Cin·K·K]`
/// gives the forward pass's packing, `[Cout, Cin, K·K]` the input gradient's.
#[cube(launch_unchecked)]
fn pack_weights_kernel(
    weight: &Tensor<f32>,
    packed: &mut Tensor<f32>,
    padded: FastDivmod<usize>,
    taps: FastDivmod<usize>,
    num_taps: usize,
    channels: usize,
    num_packed: usize,
) {
    let index = invocation_index();
    let (row, channel) = padded.div_mod(clamp_max(index, num_packed - 1));
    let (group, tap) = taps.div_mod(row);
    let inside = channel < channels;
    let source = select(inside, (group * channels + channel) * num_taps + tap, 0);
    let value = select(inside, weight[source], 0.0);
    if index < num_packed {
        packed[index] = value;
    }
}

/// Partial sums of the weight and bias gradients over one chunk of
/// `rows_per_chunk` rows of the batch × output rows. An invocation owns one
/// kernel row of `in_block` input channels (all kernel columns) for
/// `block` output channels. It walks the row `N` output columns at a time:
/// per output channel one `N`-wide vector load of the output gradient, and
/// a window of input values that slides along the row (only the new ones
/// are loaded) — `N × in_block × kernel × block` multiply-adds per
/// `block` vector loads and a few scalar ones. The bias gradient (the
/// plain sum of the output gradient) rides along and is written by the
/// invocations of the first input block and kernel row.
/// `partial[chunk, out_channel, Cin·K·K + 1]`.
#[cube(launch_unchecked)]
fn conv2d_weight_grad_kernel<N: Size>(
    input: &Tensor<f32>,
    output_grad: &Tensor<Vector<f32, N>>,
    partial: &mut Tensor<f32>,
    shape: ConvShape,
    lanes_per_chunk: FastDivmod<usize>,
    out_height: FastDivmod<usize>,
    num_chunks: usize,
    rows_per_chunk: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
    #[comptime] in_block: usize,
    #[comptime] block: usize,
) {
    let (chunk, lane) = lanes_per_chunk.div_mod(invocation_index());
    let active = chunk < num_chunks;
    let in_block_index = lane / kernel;
    let kh = lane % kernel;
    let in_start = in_block_index * in_block;
    let channel_start = CUBE_POS_Z as usize * block;
    let width = output_grad.vector_size();
    let window = comptime!(kernel * kernel);
    let taps = comptime!(in_block * kernel);
    // The input columns `width` neighbouring output columns reach, per input channel.
    let span = comptime!((width - 1) * stride + kernel);
    let advance = comptime!(width * stride);
    let padding = shape.padding;
    let out_area = shape.out_height * shape.out_width;
    let in_area = shape.in_height * shape.in_width;

    let mut grad_offset = Array::<usize>::new(block);
    let mut bias_acc = Array::<f32>::new(block);
    let mut acc = Array::<f32>::new(comptime!(taps * block));
    #[unroll]
    for c in 0..block {
        grad_offset[c] = clamp_max(channel_start + c, shape.out_channels - 1) * out_area;
        bias_acc[c] = 0.0;
        #[unroll]
        for t in 0..taps {
            acc[comptime!(t * block + c)] = 0.0;
        }
    }
    let mut in_offset = Array::<usize>::new(in_block);
    #[unroll]
    for r in 0..in_block {
        in_offset[r] = clamp_max(in_start + r, shape.in_channels - 1) * in_area;
    }

    let total_rows = input.shape(0) * shape.out_height;
    let first = clamp_max(chunk, num_chunks - 1) * rows_per_chunk;
    let last = clamp_max(first + rows_per_chunk, total_rows);
    let groups = shape.out_width / width;
    let mut values = Array::<f32>::new(comptime!(in_block * span));
    let mut grads = Array::<Vector<f32, N>>::new(block);
    for row in first..last {
        let (n, oh) = out_height.div_mod(row);
        let in_row = oh * stride + kh;
        let row_inside = in_row >= padding && in_row < shape.in_height + padding;
        let row_base =
            n * shape.in_channels * in_area + select(row_inside, in_row - padding, 0) * shape.in_width;
        let grad_base = n * shape.out_channels * out_area + oh * shape.out_width;

        // The span of the first group of output columns: input columns
        // 0..span (padded).
        #[unroll]
        for q in 0..span {
            let col = q;
            let inside = row_inside && col >= padding && col < shape.in_width + padding;
            let col_index = select(inside, col - padding, 0);
            #[unroll]
            for r in 0..in_block {
                let index = select(inside, row_base + in_offset[r] + col_index, 0);
                values[comptime!(r * span + q)] = select(inside, input[index], 0.0);
            }
        }
        let mut first_col = 0;
        for _ in 0..groups {
            #[unroll]
            for c in 0..block {
                let grad = output_grad[(grad_base + grad_offset[c] + first_col) / width];
                grads[c] = grad;
                #[unroll]
                for j in 0..width {
                    bias_acc[c] += grad.extract(j);
                }
            }
            #[unroll]
            for r in 0..in_block {
                #[unroll]
                for kw in 0..kernel {
                    #[unroll]
                    for j in 0..width {
                        let value = values[comptime!(r * span + j * stride + kw)];
                        #[unroll]
                        for c in 0..block {
                            acc[comptime!((r * kernel + kw) * block + c)] += value * grads[c].extract(j);
                        }
                    }
                }
            }
            // Slide the span to the next group.
            first_col += width;
            #[unroll]
            for q in 0..span {
                if comptime!(q + advance < span) {
                    #[unroll]
                    for r in 0..in_block {
                        values[comptime!(r * span + q)] = values[comptime!(r * span + q + advance)];
                    }
                } else {
                    let col = first_col * stride + q;
                    let inside = row_inside && col >= padding && col < shape.in_width + padding;
                    let col_index = select(inside, col - padding, 0);
                    #[unroll]
                    for r in 0..in_block {
                        let index = select(inside, row_base + in_offset[r] + col_index, 0);
                        values[comptime!(r * span + q)] = select(inside, input[index], 0.0);
                    }
                }
            }
        }
    }

    let weight_columns = shape.in_channels * window;
    let all_columns = weight_columns + 1;
    let writes_bias = in_block_index == 0 && kh == 0;
    #[unroll]
    for c in 0..block {
        let channel = channel_start + c;
        let row_base = (chunk * shape.out_channels + channel) * all_columns;
        let channel_ok = active && channel < shape.out_channels;
        #[unroll]
        for r in 0..in_block {
            let in_channel = in_start + r;
            if channel_ok && in_channel < shape.in_channels {
                #[unroll]
                for kw in 0..kernel {
                    let column = in_channel * window + kh * kernel + kw;
                    partial[row_base + column] = acc[comptime!((r * kernel + kw) * block + c)];
                }
            }
        }
        if channel_ok && writes_bias {
            partial[row_base + weight_columns] = bias_acc[c];
        }
    }
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
pub(super) fn balanced(n: usize, max: usize) -> usize {
    let n = n.max(1);
    n.div_ceil(n.div_ceil(max))
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

    fn launch_shape(&self) -> ConvShapeLaunch {
        ConvShapeLaunch::new(
            self.in_channels,
            self.out_channels,
            self.in_size[0],
            self.in_size[1],
            self.out_size[0],
            self.out_size[1],
            self.padding,
        )
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

/// `units` invocations in workgroups of [`WORKGROUP_SIZE`], spread over x
/// and y to stay under the per-axis limit, times `blocks` along z.
fn grid(units: usize, blocks: usize) -> (CubeCount, CubeDim) {
    let groups = units.div_ceil(WORKGROUP_SIZE as usize).max(1);
    let x = groups.min(MAX_GROUPS_PER_AXIS);
    let y = groups.div_ceil(x);
    assert!(
        y <= MAX_GROUPS_PER_AXIS && blocks <= MAX_GROUPS_PER_AXIS,
        "a convolution of {units} tiles × {blocks} channel blocks is too large to dispatch"
    );
    (
        CubeCount::Static(x as u32, y as u32, blocks as u32),
        CubeDim::new_1d(WORKGROUP_SIZE),
    )
}

/// A dispatch of `units` invocations, for kernels with one invocation per element.
pub(super) fn elementwise_grid(units: usize) -> (CubeCount, CubeDim) {
    grid(units, 1)
}

/// The widest vector (4, 2 or 1 floats) a block of `block` channels is
/// made of.
fn vector_width(block: usize) -> usize {
    [4, 2, 1]
        .into_iter()
        .find(|w| block.is_multiple_of(*w))
        .unwrap_or(1)
}

/// `weight` (contiguous, viewed as `[groups, channels, taps]`) with its
/// channel axis moved innermost and padded with zeros to `padded`:
/// `[groups·taps, padded]`, see `pack_weights_kernel`.
fn pack_weights(weight: &CubeTensor, [groups, channels, taps]: [usize; 3], padded: usize) -> CubeTensor {
    let packed = empty(weight, vec![groups * taps, padded]);
    let total = groups * taps * padded;
    let (count, dim) = elementwise_grid(total);
    unsafe {
        pack_weights_kernel::launch_unchecked(
            &weight.client,
            count,
            dim,
            weight.clone().into_tensor_arg(),
            packed.clone().into_tensor_arg(),
            padded,
            taps,
            taps,
            channels,
            total,
        )
    };
    packed
}

fn expect_f32(tensor: &CubeTensor, what: &str) {
    assert_eq!(
        tensor.dtype,
        DType::F32,
        "our convolution kernels take f32 {what}s"
    );
}

fn dims4(tensor: &CubeTensor) -> [usize; 4] {
    tensor.meta.shape().dims()
}

fn empty(like: &CubeTensor, shape: Vec<usize>) -> CubeTensor {
    empty_device_dtype(
        like.client.clone(),
        like.device.clone(),
        Shape::from(shape),
        DType::F32,
    )
}

impl ConvKernels for CubeBackend {
    fn conv2d_forward(
        x: CubeTensor,
        weight: CubeTensor,
        bias: CubeTensor,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&x, "input");
        let x = into_contiguous(x);
        let weight = into_contiguous(weight);
        let bias = into_contiguous(bias);
        let [out_channels, _, kernel, _] = dims4(&weight);
        let geometry = Conv2dGeometry::new(dims4(&x), out_channels, kernel, stride, padding);
        let [out_h, out_w] = geometry.out_size;
        let output = empty(&x, vec![geometry.batch, out_channels, out_h, out_w]);
        let (cols, block) = geometry.forward_tile();
        let blocks = out_channels.div_ceil(block);
        let in_taps = geometry.in_channels * kernel * kernel;
        let packed = pack_weights(&weight, [1, out_channels, in_taps], blocks * block);
        let tiles_per_row = out_w.div_ceil(cols);
        let tiles = geometry.batch * out_h * tiles_per_row;
        let (count, dim) = grid(tiles, blocks);
        unsafe {
            conv2d_forward_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                vector_width(block),
                x.clone().into_tensor_arg(),
                packed.into_tensor_arg(),
                bias.into_tensor_arg(),
                output.clone().into_tensor_arg(),
                geometry.launch_shape(),
                tiles_per_row,
                out_h,
                tiles,
                kernel,
                stride,
                cols,
                block,
            )
        };
        output
    }

    fn conv2d_input_grad(
        weight: CubeTensor,
        output_grad: CubeTensor,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&output_grad, "gradient");
        let weight = into_contiguous(weight);
        let output_grad = into_contiguous(output_grad);
        let [out_channels, in_channels, kernel, _] = dims4(&weight);
        let batch = dims4(&output_grad)[0];
        let geometry = Conv2dGeometry::new(
            [batch, in_channels, height, width],
            out_channels,
            kernel,
            stride,
            padding,
        );
        assert_eq!(
            dims4(&output_grad)[2..],
            geometry.out_size,
            "the output gradient does not match a {height}×{width} input"
        );
        let input_grad = empty(&output_grad, vec![batch, in_channels, height, width]);
        let block = geometry.input_grad_block();
        let blocks = in_channels.div_ceil(block);
        let packed = pack_weights(
            &weight,
            [out_channels, in_channels, kernel * kernel],
            blocks * block,
        );
        let client = output_grad.client.clone();
        for row_phase in 0..stride {
            for col_phase in 0..stride {
                let Some(phase) = geometry.input_grad_phase(row_phase, col_phase) else {
                    continue;
                };
                let tiles_per_row = phase.cols.div_ceil(phase.tile_cols);
                let tiles = batch * phase.rows * tiles_per_row;
                let (count, dim) = grid(tiles, blocks);
                unsafe {
                    conv2d_input_grad_kernel::launch_unchecked(
                        &client,
                        count,
                        dim,
                        vector_width(block),
                        output_grad.clone().into_tensor_arg(),
                        packed.clone().into_tensor_arg(),
                        input_grad.clone().into_tensor_arg(),
                        geometry.launch_shape(),
                        PhaseShapeLaunch::new(
                            phase.first_row,
                            phase.first_col,
                            phase.cols,
                            phase.out_row,
                            phase.out_col,
                        ),
                        tiles_per_row,
                        phase.rows,
                        tiles,
                        kernel,
                        stride,
                        row_phase,
                        col_phase,
                        phase.tile_cols,
                        block,
                    )
                };
            }
        }
        input_grad
    }

    fn conv2d_weight_bias_grad(
        x: CubeTensor,
        output_grad: CubeTensor,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&x, "input");
        let x = into_contiguous(x);
        let output_grad = into_contiguous(output_grad);
        let out_channels = dims4(&output_grad)[1];
        let geometry = Conv2dGeometry::new(dims4(&x), out_channels, kernel, stride, padding);
        assert_eq!(
            dims4(&output_grad)[2..],
            geometry.out_size,
            "the output gradient does not match the input"
        );
        let columns = geometry.in_channels * kernel * kernel + 1;
        let (in_block, block) = geometry.weight_grad_tile();
        let (chunks, rows_per_chunk) = geometry.weight_grad_chunks();
        let lanes_per_chunk = geometry.in_channels.div_ceil(in_block) * kernel;
        let partial = empty(&x, vec![chunks, out_channels, columns]);
        let (count, dim) = grid(chunks * lanes_per_chunk, out_channels.div_ceil(block));
        let width = geometry.weight_grad_vector_width();
        unsafe {
            conv2d_weight_grad_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                width,
                x.clone().into_tensor_arg(),
                output_grad.into_tensor_arg(),
                partial.clone().into_tensor_arg(),
                geometry.launch_shape(),
                lanes_per_chunk,
                geometry.out_size[0],
                chunks,
                rows_per_chunk,
                kernel,
                stride,
                in_block,
                block,
            )
        };
        let summed = match chunks {
            1 => partial,
            _ => CubeBackend::float_sum_dim(partial, 0),
        };
        CubeBackend::float_reshape(summed, Shape::new([out_channels, columns]))
    }
}
