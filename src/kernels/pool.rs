//! Average pooling without padding (LeNet's and DenseNet's 2×2, stride 2),
//! forward and backward, one launch each.
//!
//! Why: Burn's autodiff turns the pooling a reshape and two means make
//! (the fastest Burn path on wgpu) into eight launches backward — two
//! `ones`, two scalings, two sums over a single element and two broadcast
//! products — and its general pooling kernel is slower still. Here one
//! invocation averages one window forward and gathers the windows that
//! cover one input pixel backward.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, TensorMetadata, backend_extension};
use burn::tensor::DType;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;
use cubecl::std::FastDivmod;

use super::dispatch::{Launch, empty, invocation_index};

/// Average pooling of square windows without padding.
#[backend_extension(Autodiff, Cube, Fusion)]
pub trait PoolKernels: Backend {
    /// `[N, C, H, W]` → `[N, C, (H-k)/s+1, (W-k)/s+1]`, each the mean of its
    /// `kernel × kernel` window.
    #[fusion(dtype = x, shape = super::shapes::pool_output(x, *kernel, *stride))]
    fn mean_pool2d_forward(x: FloatTensor<Self>, kernel: usize, stride: usize) -> FloatTensor<Self>;

    /// The gradient of [`mean_pool2d_forward`](PoolKernels::mean_pool2d_forward)'s
    /// input `[N, C, height, width]`, from its output's.
    #[fusion(dtype = output_grad, shape = super::shapes::pool_input(output_grad, *height, *width))]
    fn mean_pool2d_input_grad(
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
    ) -> FloatTensor<Self>;
}

#[cube(launch_unchecked)]
fn avg_pool2d_forward_kernel(
    input: &Tensor<f32>,
    output: &mut Tensor<f32>,
    out_area: FastDivmod<usize>,
    out_width: FastDivmod<usize>,
    in_height: usize,
    in_width: usize,
    num_outputs: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
) {
    let index = invocation_index();
    let active = index < num_outputs;
    let (plane, spatial) = out_area.div_mod(clamp_max(index, num_outputs - 1));
    let (oh, ow) = out_width.div_mod(spatial);
    let base = plane * in_height * in_width + oh * stride * in_width + ow * stride;
    let mut sum = 0.0f32;
    #[unroll]
    for i in 0..kernel {
        #[unroll]
        for j in 0..kernel {
            sum += input[base + i * in_width + j];
        }
    }
    if active {
        output[index] = sum / comptime!((kernel * kernel) as f32);
    }
}

#[cube(launch_unchecked)]
fn avg_pool2d_backward_kernel(
    output_grad: &Tensor<f32>,
    input_grad: &mut Tensor<f32>,
    in_area: FastDivmod<usize>,
    in_width: FastDivmod<usize>,
    out_height: usize,
    out_width: usize,
    num_inputs: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
) {
    let index = invocation_index();
    let active = index < num_inputs;
    let (plane, spatial) = in_area.div_mod(clamp_max(index, num_inputs - 1));
    let (ih, iw) = in_width.div_mod(spatial);
    let base = plane * out_height * out_width;
    let mut sum = 0.0f32;
    if comptime!(stride == kernel) {
        // Windows that tile the input: one window covers each pixel (none
        // for the rows and columns past the last window).
        let row = ih / kernel;
        let col = iw / kernel;
        let inside = row < out_height && col < out_width;
        let grad_index = select(inside, base + row * out_width + col, 0);
        sum = select(inside, output_grad[grad_index], 0.0);
    } else {
        // Window row `oh` covers this pixel when `oh·s ≤ ih < oh·s + k`.
        #[unroll]
        for i in 0..kernel {
            #[unroll]
            for j in 0..kernel {
                let row = (ih - i) / stride;
                let col = (iw - j) / stride;
                let inside = ih >= i
                    && iw >= j
                    && (ih - i) % stride == 0
                    && (iw - j) % stride == 0
                    && row < out_height
                    && col < out_width;
                let grad_index = select(inside, base + row * out_width + col, 0);
                sum += select(inside, output_grad[grad_index], 0.0);
            }
        }
    }
    if active {
        input_grad[index] = sum / comptime!((kernel * kernel) as f32);
    }
}

impl PoolKernels for CubeBackend {
    fn mean_pool2d_forward(x: CubeTensor, kernel: usize, stride: usize) -> CubeTensor {
        assert_eq!(x.dtype, DType::F32, "our pooling kernels take f32 inputs");
        let x = into_contiguous(x);
        let [n, c, h, w] = x.meta.shape().dims();
        assert!(
            h >= kernel && w >= kernel,
            "a {kernel}×{kernel} window does not fit a {h}×{w} input"
        );
        let (oh, ow) = ((h - kernel) / stride + 1, (w - kernel) / stride + 1);
        let output = empty(&x, [n, c, oh, ow]);
        let outputs = n * c * oh * ow;
        let (count, dim) = Launch::elementwise("avg_pool2d_forward_kernel", outputs, kernel * kernel);
        unsafe {
            avg_pool2d_forward_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                x.clone().into_tensor_arg(),
                output.clone().into_tensor_arg(),
                oh * ow,
                ow,
                h,
                w,
                outputs,
                kernel,
                stride,
            )
        };
        output
    }

    fn mean_pool2d_input_grad(
        output_grad: CubeTensor,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
    ) -> CubeTensor {
        let output_grad = into_contiguous(output_grad);
        let [n, c, oh, ow] = output_grad.meta.shape().dims();
        let input_grad = empty(&output_grad, [n, c, height, width]);
        let inputs = n * c * height * width;
        let windows = kernel.div_ceil(stride).pow(2);
        let (count, dim) = Launch::elementwise("avg_pool2d_backward_kernel", inputs, windows);
        unsafe {
            avg_pool2d_backward_kernel::launch_unchecked(
                &output_grad.client,
                count,
                dim,
                output_grad.clone().into_tensor_arg(),
                input_grad.clone().into_tensor_arg(),
                height * width,
                width,
                oh,
                ow,
                inputs,
                kernel,
                stride,
            )
        };
        input_grad
    }
}

#[derive(Debug)]
struct AvgPoolBackward;

impl<B: PoolKernels> Backward<B, 1> for AvgPoolBackward {
    /// The input's height and width, the window and the stride.
    type State = (usize, usize, usize, usize);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [node] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (height, width, kernel, stride) = ops.state;
        if let Some(node) = node {
            grads.register::<B>(
                node.id,
                B::mean_pool2d_input_grad(grad, height, width, kernel, stride),
            );
        }
    }
}

impl<B: PoolKernels, C: CheckpointStrategy> PoolKernels for Autodiff<B, C> {
    fn mean_pool2d_forward(x: FloatTensor<Self>, kernel: usize, stride: usize) -> FloatTensor<Self> {
        let [_, _, height, width] = x.primitive().shape().dims();
        match AvgPoolBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => prep.finish(
                (height, width, kernel, stride),
                B::mean_pool2d_forward(x.into_primitive(), kernel, stride),
            ),
            OpsKind::UnTracked(prep) => {
                prep.finish(B::mean_pool2d_forward(x.into_primitive(), kernel, stride))
            }
        }
    }

    fn mean_pool2d_input_grad(
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::mean_pool2d_input_grad(
            output_grad.into_primitive(),
            height,
            width,
            kernel,
            stride,
        ))
    }
}
