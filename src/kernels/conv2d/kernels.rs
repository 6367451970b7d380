//! The `#[cube]` kernels of a convolution: the forward pass, the input
//! gradient (one launch per phase of the stride), the weight and bias
//! gradients, and the weight packing the first two read.

use cubecl::prelude::*;
use cubecl::std::FastDivmod;

use crate::kernels::dispatch::invocation_index;

/// The sizes a convolution kernel needs at run time.
#[derive(CubeLaunch, CubeType)]
pub(super) struct ConvShape {
    in_channels: usize,
    out_channels: usize,
    in_height: usize,
    in_width: usize,
    out_height: usize,
    out_width: usize,
    padding: usize,
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
pub(super) fn conv2d_forward_kernel<N: Size>(
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
pub(super) struct PhaseShape {
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
pub(super) fn conv2d_input_grad_kernel<N: Size>(
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
pub(super) fn pack_weights_kernel(
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
pub(super) fn conv2d_weight_grad_kernel<N: Size>(
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
