//! Fully connected layers: `x · W + b` and its two gradients, as one
//! register-tiled matrix product kernel.
//!
//! Why: without autotune Burn's matmul on WebGPU is a plain kernel that on
//! SwiftShader took 117 ms for LeNet's `400→120` layer at batch 256 (12 M
//! multiply-adds) and 225 ms for its backward pass, more than all of
//! LeNet's convolutions together. Here an invocation computes a tile of up
//! to 8 × 8 outputs: per step along the shared axis it loads 8 + 8 values
//! and does 64 multiply-adds with them.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, TensorMetadata, backend_extension};
use burn::tensor::{DType, Shape};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::ops::numeric::empty_device_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;
use cubecl::std::FastDivmod;

use super::dispatch::{Launch, invocation_index, on_real_gpu};

/// The tile of outputs one invocation computes, per side, on a software
/// adapter.
const TILE: usize = 8;

/// The tile's side for an `[m, n]` output: [`TILE`], or on a real GPU the
/// largest of 8, 4, 2, 1 that still gives [`GPU_INVOCATIONS`] tiles (1 when
/// none does).
///
/// [`GPU_INVOCATIONS`]: super::GPU_INVOCATIONS
fn tile_side(m: usize, n: usize, gpu: bool) -> usize {
    if !gpu {
        return TILE;
    }
    [8, 4, 2]
        .into_iter()
        .find(|t| m.div_ceil(*t) * n.div_ceil(*t) >= super::GPU_INVOCATIONS)
        .unwrap_or(1)
}

/// Matrix products for fully connected layers.
#[backend_extension(Autodiff, Cube, Fusion)]
pub trait LinearKernels: Backend {
    /// `x [N, in] · weight [in, out] + bias [out]` (Burn's `Linear` layout).
    #[fusion(dtype = x, shape = super::shapes::linear_output(x, weight))]
    fn linear_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self>;

    /// `op(a) · op(b)` for 2-D `a` and `b`, where `op` transposes the
    /// operand when its flag says so.
    #[fusion(dtype = a, shape = super::shapes::matmul_output(a, b, *transpose_a, *transpose_b))]
    fn matmul_2d(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        transpose_a: bool,
        transpose_b: bool,
    ) -> FloatTensor<Self>;
}

/// Sizes and element strides of `out [m, n] = A [m, k] · B [k, n]`.
#[derive(CubeLaunch, CubeType)]
struct MatmulShape {
    m: usize,
    n: usize,
    k: usize,
    a_row: usize,
    a_col: usize,
    b_row: usize,
    b_col: usize,
}

#[cube(launch_unchecked)]
fn matmul_kernel(
    a: &Tensor<f32>,
    b: &Tensor<f32>,
    bias: &Tensor<f32>,
    out: &mut Tensor<f32>,
    shape: MatmulShape,
    tiles_per_row: FastDivmod<usize>,
    num_tiles: usize,
    with_bias: u32,
    #[comptime] rows: usize,
    #[comptime] cols: usize,
) {
    let tile = invocation_index();
    let active = tile < num_tiles;
    // Neighbouring lanes take neighbouring column tiles: their loads of `b`
    // are neighbours in a row-major `b`.
    let (tile_row, tile_col) = tiles_per_row.div_mod(clamp_max(tile, num_tiles - 1));
    let first_row = tile_row * rows;
    let first_col = tile_col * cols;

    let mut a_offset = Array::<usize>::new(rows);
    #[unroll]
    for r in 0..rows {
        a_offset[r] = clamp_max(first_row + r, shape.m - 1) * shape.a_row;
    }
    let mut b_offset = Array::<usize>::new(cols);
    let mut acc = Array::<f32>::new(comptime!(rows * cols));
    #[unroll]
    for c in 0..cols {
        let col = clamp_max(first_col + c, shape.n - 1);
        b_offset[c] = col * shape.b_col;
        let mut start = 0.0f32;
        if with_bias == 1 {
            start = bias[col];
        }
        #[unroll]
        for r in 0..rows {
            acc[comptime!(r * cols + c)] = start;
        }
    }

    let mut a_values = Array::<f32>::new(rows);
    let mut b_values = Array::<f32>::new(cols);
    let mut a_step = 0;
    let mut b_step = 0;
    for _ in 0..shape.k {
        #[unroll]
        for r in 0..rows {
            a_values[r] = a[a_offset[r] + a_step];
        }
        #[unroll]
        for c in 0..cols {
            b_values[c] = b[b_offset[c] + b_step];
        }
        #[unroll]
        for r in 0..rows {
            let value = a_values[r];
            #[unroll]
            for c in 0..cols {
                acc[comptime!(r * cols + c)] += value * b_values[c];
            }
        }
        a_step += shape.a_col;
        b_step += shape.b_row;
    }

    #[unroll]
    for r in 0..rows {
        let row = first_row + r;
        #[unroll]
        for c in 0..cols {
            let col = first_col + c;
            if active && row < shape.m && col < shape.n {
                out[row * shape.n + col] = acc[comptime!(r * cols + c)];
            }
        }
    }
}

/// `op(a) · op(b) (+ bias)` on the cube backend.
fn matmul(
    a: CubeTensor,
    b: CubeTensor,
    transpose_a: bool,
    transpose_b: bool,
    bias: Option<CubeTensor>,
) -> CubeTensor {
    assert_eq!(a.dtype, DType::F32, "our matrix kernels take f32 inputs");
    let a = into_contiguous(a);
    let b = into_contiguous(b);
    let [a0, a1] = a.meta.shape().dims();
    let [b0, b1] = b.meta.shape().dims();
    // Row-major storage: element (i, j) of `a` is at i·a1 + j.
    let (m, k, a_row, a_col) = if transpose_a {
        (a1, a0, 1, a1)
    } else {
        (a0, a1, a1, 1)
    };
    let (k2, n, b_row, b_col) = if transpose_b {
        (b1, b0, 1, b1)
    } else {
        (b0, b1, b1, 1)
    };
    assert_eq!(k, k2, "matrix product of [{m}, {k}] by [{k2}, {n}]");
    let out = empty_device_dtype(a.client.clone(), a.device.clone(), Shape::new([m, n]), DType::F32);
    let side = tile_side(m, n, on_real_gpu(&a));
    let (rows, cols) = (side, side);
    let tiles_per_row = n.div_ceil(cols);
    let tiles = m.div_ceil(rows) * tiles_per_row;
    let (count, dim) = Launch::grid("matmul_kernel", [tiles, 1], rows * cols * k, m * n);
    let with_bias = bias.is_some();
    // Without a bias the kernel reads none; any tensor stands in for it.
    let bias = into_contiguous(bias.unwrap_or_else(|| b.clone()));
    unsafe {
        matmul_kernel::launch_unchecked(
            &a.client,
            count,
            dim,
            a.clone().into_tensor_arg(),
            b.into_tensor_arg(),
            bias.into_tensor_arg(),
            out.clone().into_tensor_arg(),
            MatmulShapeLaunch::new(m, n, k, a_row, a_col, b_row, b_col),
            tiles_per_row,
            tiles,
            with_bias as u32,
            rows,
            cols,
        )
    };
    out
}

impl LinearKernels for CubeBackend {
    fn linear_forward(x: CubeTensor, weight: CubeTensor, bias: CubeTensor) -> CubeTensor {
        matmul(x, weight, false, false, Some(bias))
    }

    fn matmul_2d(a: CubeTensor, b: CubeTensor, transpose_a: bool, transpose_b: bool) -> CubeTensor {
        matmul(a, b, transpose_a, transpose_b, None)
    }
}

#[derive(Debug)]
struct LinearBackward;

impl<B: LinearKernels> Backward<B, 3> for LinearBackward {
    /// The input's and weight's nodes.
    type State = (NodeId, NodeId);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, checkpointer: &mut Checkpointer) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, weight_state) = ops.state;
        let x: FloatTensor<B> = checkpointer.retrieve_node_output(x_state);
        let weight: FloatTensor<B> = checkpointer.retrieve_node_output(weight_state);
        if let Some(node) = node_x {
            // dx = dy · Wᵀ
            grads.register::<B>(node.id, B::matmul_2d(grad.clone(), weight, false, true));
        }
        if let Some(node) = node_weight {
            // dW = xᵀ · dy
            grads.register::<B>(node.id, B::matmul_2d(x, grad.clone(), true, false));
        }
        if let Some(node) = node_bias {
            let [_, out] = grad.shape().dims();
            let summed = B::float_sum_dim(grad, 0);
            grads.register::<B>(node.id, B::float_reshape(summed, Shape::new([out])));
        }
    }
}

impl<B: LinearKernels, C: CheckpointStrategy> LinearKernels for Autodiff<B, C> {
    fn linear_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        match LinearBackward
            .prepare::<C>([x.node(), weight.node(), bias.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let weight_state = prep.checkpoint(&weight);
                let output =
                    B::linear_forward(x.into_primitive(), weight.into_primitive(), bias.into_primitive());
                prep.finish((x_state, weight_state), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::linear_forward(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
            )),
        }
    }

    // Products made for gradients are not differentiated again.
    fn matmul_2d(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        transpose_a: bool,
        transpose_b: bool,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::matmul_2d(
            a.into_primitive(),
            b.into_primitive(),
            transpose_a,
            transpose_b,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_spread_on_a_gpu_until_there_are_enough() {
        assert_eq!(tile_side(256, 120, false), TILE);
        // LeNet's first dense layer: 30 720 outputs, tiles of 1.
        assert_eq!(tile_side(256, 120, true), 1);
        // AlexNet's widest at batch 128: 524 288 outputs, tiles of 8.
        assert_eq!(tile_side(128, 4096, true), 8);
        assert_eq!(tile_side(256, 4096, true), 8);
        // 64 × 1 024 outputs: tiles of 2 give 16 384.
        assert_eq!(tile_side(64, 1024, true), 2);
        // Too few outputs for any tile to reach it: one output each.
        assert_eq!(tile_side(10, 84, true), 1);
    }
}
