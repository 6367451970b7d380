//! The `#[cube]` kernels of a batch norm. Tensors are `[N, C, plane]`
//! (contiguous NCHW, `plane = H·W`), read as vectors of `N` floats that
//! never straddle two planes; every workgroup works on one channel
//! (`CUBE_POS_Y`), so its per-channel values are uniform loads.
//!
//! Vector `k` of channel `c` (counted over the whole batch) is vector
//! `(n·C + c)·P + s` of the tensor, where `n, s = k / P, k % P` and `P` is
//! the vectors in a plane.

use cubecl::prelude::*;
use cubecl::std::FastDivmod;

/// The sizes every batch-norm kernel reads at run time.
#[derive(CubeLaunch, CubeType)]
pub(super) struct NormShape {
    channels: usize,
    /// Vectors in one plane (`P`).
    plane_vectors: usize,
    /// Vectors in a channel, over the whole batch.
    vectors: usize,
    /// Chunks each channel's sums were taken in (`partial`'s first axis).
    chunks: usize,
    /// `1 / M`: the values in a channel, as the mean divides by them.
    inv_count: f32,
}

/// Where vector `k` of `channel` lies in the tensor: `(n·C + c)·P + s`,
/// i.e. `k` moved past the other channels of the `n` planes before it.
#[cube]
fn vector_index(k: usize, channel: usize, shape: &NormShape, plane: &FastDivmod<usize>) -> usize {
    let n = plane.div(k);
    k + (n * (shape.channels - 1) + channel) * shape.plane_vectors
}

/// The sum of a vector's lanes.
#[cube]
fn lane_sum<N: Size>(v: Vector<f32, N>) -> f32 {
    let mut sum = 0.0f32;
    #[unroll]
    for i in 0..N::value() {
        sum += v.extract(i);
    }
    sum
}

/// The sums of one channel: each chunk's two partial sums added up.
#[cube]
fn channel_sums(partial: &Tensor<f32>, channel: usize, shape: &NormShape) -> (f32, f32) {
    let mut first = 0.0f32;
    let mut second = 0.0f32;
    for chunk in 0..shape.chunks {
        let at = (chunk * shape.channels + channel) * 2;
        first += partial[at];
        second += partial[at + 1];
    }
    (first, second)
}

/// Two sums per chunk of a channel, `partial[chunk, c, 0..2]`; one
/// workgroup per chunk (`CUBE_POS_X`) and channel, its lanes interleaved
/// over the chunk's vectors, then added up in shared memory.
///
/// Forward (`backward` false), about a shift `K` (the channel's first value):
/// `Σ(x − K)` and `Σ(x − K)²`, from which the mean and the (biased)
/// variance follow without the cancellation of `Σx²/M − mean²` when the
/// mean is large against the spread. Backward: `Σ dy` and `Σ dy·(x − mean)`,
/// with the mean from `stats[0, c]`.
#[cube(launch_unchecked)]
pub(super) fn batch_norm_sums_kernel<N: Size>(
    x: &Tensor<Vector<f32, N>>,
    output_grad: &Tensor<Vector<f32, N>>,
    stats: &Tensor<f32>,
    partial: &mut Tensor<f32>,
    shape: NormShape,
    plane: FastDivmod<usize>,
    per_chunk: usize,
    #[comptime] lanes: usize,
    #[comptime] backward: bool,
) {
    let channel = CUBE_POS_Y as usize;
    let chunk = CUBE_POS_X as usize;
    let lane = UNIT_POS_X as usize;
    let shift = if comptime!(backward) {
        stats[channel]
    } else {
        x[vector_index(0, channel, &shape, &plane)].extract(0usize)
    };
    let shift_v = Vector::<f32, N>::broadcast(shift);

    let mut first = Vector::<f32, N>::broadcast(0.0);
    let mut second = Vector::<f32, N>::broadcast(0.0);
    let start = chunk * per_chunk;
    let end = clamp_max(start + per_chunk, shape.vectors);
    let mut k = start + lane;
    while k < end {
        let index = vector_index(k, channel, &shape, &plane);
        let centred = x[index] - shift_v;
        if comptime!(backward) {
            let grad = output_grad[index];
            first += grad;
            second += grad * centred;
        } else {
            first += centred;
            second += centred * centred;
        }
        k += lanes;
    }

    let mut sums = Shared::<[f32]>::new_slice(comptime!(2 * lanes));
    sums[lane] = lane_sum::<N>(first);
    sums[lane + lanes] = lane_sum::<N>(second);
    sync_cube();
    // A tree over the workgroup: 64 → 32 → … → 1.
    #[unroll]
    for step in 0..comptime!(lanes.trailing_zeros() as usize) {
        let active = comptime!(lanes >> (step + 1));
        if lane < active {
            let a = sums[lane + active];
            let b = sums[lane + active + lanes];
            sums[lane] += a;
            sums[lane + lanes] += b;
        }
        sync_cube();
    }
    if lane == 0 {
        let at = (chunk * shape.channels + channel) * 2;
        partial[at] = sums[0];
        partial[at + 1] = sums[lanes];
    }
}

/// Normalises one channel per workgroup row: `y = (x − mean)·a + β` with
/// `a = γ / √(var + ε)`. In training (`train`) the mean and variance come
/// from the sums of `batch_norm_sums_kernel` (about the shift `K`, the
/// channel's first value), and the first workgroup of each channel writes
/// `stats[0..4, c]`: the batch mean, its biased variance, and the running
/// mean and variance moved towards them by `momentum` (Burn's and
/// PyTorch's convention: the weight of the new batch; `keep = 1 − momentum`,
/// worked out in f64 on the host as Burn does). In evaluation the
/// running statistics are used as they are.
#[cube(launch_unchecked)]
pub(super) fn batch_norm_normalize_kernel<N: Size>(
    x: &Tensor<Vector<f32, N>>,
    gamma: &Tensor<f32>,
    beta: &Tensor<f32>,
    running_mean: &Tensor<f32>,
    running_var: &Tensor<f32>,
    partial: &Tensor<f32>,
    output: &mut Tensor<Vector<f32, N>>,
    stats: &mut Tensor<f32>,
    shape: NormShape,
    plane: FastDivmod<usize>,
    per_lane: usize,
    epsilon: f32,
    momentum: f32,
    keep: f32,
    #[comptime] train: bool,
) {
    let channel = CUBE_POS_Y as usize;
    let mut mean = running_mean[channel];
    let mut var = running_var[channel];
    if comptime!(train) {
        let shift = x[vector_index(0, channel, &shape, &plane)].extract(0usize);
        let (first, second) = channel_sums(partial, channel, &shape);
        let shifted_mean = first * shape.inv_count;
        mean = shift + shifted_mean;
        var = clamp_min(second * shape.inv_count - shifted_mean * shifted_mean, 0.0);
        if CUBE_POS_X == 0 && UNIT_POS_X == 0 {
            let c = shape.channels;
            stats[channel] = mean;
            stats[c + channel] = var;
            stats[2 * c + channel] = running_mean[channel] * keep + mean * momentum;
            stats[3 * c + channel] = running_var[channel] * keep + var * momentum;
        }
    }
    let scale = gamma[channel] / (var + epsilon).sqrt();
    let scale_v = Vector::<f32, N>::broadcast(scale);
    let mean_v = Vector::<f32, N>::broadcast(mean);
    let beta_v = Vector::<f32, N>::broadcast(beta[channel]);

    let lanes = CUBE_DIM_X as usize;
    let first_k = CUBE_POS_X as usize * lanes * per_lane + UNIT_POS_X as usize;
    for i in 0..per_lane {
        let k = first_k + i * lanes;
        if k < shape.vectors {
            let index = vector_index(k, channel, &shape, &plane);
            output[index] = (x[index] - mean_v) * scale_v + beta_v;
        }
    }
}

/// The input gradient of a training batch norm, from the sums `Σ dy` and
/// `Σ dy·(x − mean)` of `batch_norm_sums_kernel`:
/// `dx = a·(dy − Σdy/M) − (x − mean)·a·(Σ dy·x̂)/M·(1/σ)`, with
/// `σ = √(var + ε)`, `a = γ/σ` and `x̂ = (x − mean)/σ`. The first workgroup
/// of each channel writes its γ and β gradients, `grads[0, c] = Σ dy·x̂`
/// and `grads[1, c] = Σ dy`.
#[cube(launch_unchecked)]
pub(super) fn batch_norm_input_grad_kernel<N: Size>(
    x: &Tensor<Vector<f32, N>>,
    output_grad: &Tensor<Vector<f32, N>>,
    gamma: &Tensor<f32>,
    stats: &Tensor<f32>,
    partial: &Tensor<f32>,
    input_grad: &mut Tensor<Vector<f32, N>>,
    grads: &mut Tensor<f32>,
    shape: NormShape,
    plane: FastDivmod<usize>,
    per_lane: usize,
    epsilon: f32,
) {
    let channel = CUBE_POS_Y as usize;
    let mean = stats[channel];
    let inv_std = 1.0 / (stats[shape.channels + channel] + epsilon).sqrt();
    let (grad_sum, centred_sum) = channel_sums(partial, channel, &shape);
    let normalized_sum = centred_sum * inv_std;
    if CUBE_POS_X == 0 && UNIT_POS_X == 0 {
        grads[channel] = normalized_sum;
        grads[shape.channels + channel] = grad_sum;
    }
    let scale = gamma[channel] * inv_std;
    let scale_v = Vector::<f32, N>::broadcast(scale);
    let offset_v = Vector::<f32, N>::broadcast(scale * grad_sum * shape.inv_count);
    let slope_v = Vector::<f32, N>::broadcast(scale * inv_std * normalized_sum * shape.inv_count);
    let mean_v = Vector::<f32, N>::broadcast(mean);

    let lanes = CUBE_DIM_X as usize;
    let first_k = CUBE_POS_X as usize * lanes * per_lane + UNIT_POS_X as usize;
    for i in 0..per_lane {
        let k = first_k + i * lanes;
        if k < shape.vectors {
            let index = vector_index(k, channel, &shape, &plane);
            input_grad[index] = output_grad[index] * scale_v - offset_v - (x[index] - mean_v) * slope_v;
        }
    }
}
