//! Max pooling of square windows with zero-free padding (the padded
//! positions never win), forward and backward, one launch each.
//!
//! Why: Burn's max pooling on wgpu keeps the winner's index as an integer
//! tensor and its backward scatters into a zeroed gradient: two or three
//! launches, the scatter atomic. Here the forward pass keeps each
//! window's winner as its position in the input plane (a float: exact up
//! to 2^24, planes here are at most 224 × 224), and the backward pass
//! gathers: one invocation per input pixel adds the gradients of the
//! windows that cover it and that it won (at most ⌈k/s⌉² of them), so
//! overlapping windows (3×3, stride 2) need no atomics.
//!
//! The winner is the first largest value in the window, row by row, as
//! Burn's CPU pooling and PyTorch's take it; a NaN in a window is not
//! carried forward as theirs is.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, TensorMetadata, backend_extension};
use burn::tensor::{DType, Shape};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;
use cubecl::std::FastDivmod;

use super::dispatch::{Launch, empty, invocation_index};
use super::shapes::padded_pool_output;

/// Max pooling of square windows, `kernel × kernel` at `stride`, the input
/// padded by `padding` on every side.
#[backend_extension(Autodiff, Cube, Fusion)]
pub trait MaxPoolKernels: Backend {
    /// The pooled output `[N, C, OH, OW]` and, with `keep_argmax`, where
    /// each window's winner is in its input plane (`ih·W + iw`, as a float;
    /// without, a one-element placeholder).
    #[fusion(meta = |x, kernel, stride, padding, keep_argmax| {
        let output = burn::backend::fusion::custom::TensorSpec::new(
            padded_pool_output(&x.shape, *kernel, *stride, *padding),
            x.dtype,
        );
        let argmax = match keep_argmax {
            true => output.clone(),
            false => burn::backend::fusion::custom::TensorSpec::new(Shape::new([1]), x.dtype),
        };
        (output, argmax)
    })]
    fn max_pool2d_forward(
        x: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
        keep_argmax: bool,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);

    /// The gradient of the input `[N, C, height, width]` from the output's
    /// and the winners `argmax` of [`max_pool2d_forward`](MaxPoolKernels::max_pool2d_forward).
    #[fusion(dtype = output_grad, shape = super::shapes::pool_input(output_grad, *height, *width))]
    #[allow(clippy::too_many_arguments)]
    fn max_pool2d_input_grad(
        argmax: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;
}

/// One invocation per output: the window's largest value and, with
/// `keep_argmax`, where it is.
#[cube(launch_unchecked)]
fn max_pool2d_forward_kernel(
    input: &Tensor<f32>,
    output: &mut Tensor<f32>,
    argmax: &mut Tensor<f32>,
    out_area: FastDivmod<usize>,
    out_width: FastDivmod<usize>,
    in_height: usize,
    in_width: usize,
    num_outputs: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
    #[comptime] padding: usize,
    #[comptime] keep_argmax: bool,
) {
    let index = invocation_index();
    let active = index < num_outputs;
    let (plane, spatial) = out_area.div_mod(clamp_max(index, num_outputs - 1));
    let (oh, ow) = out_width.div_mod(spatial);
    let base = plane * in_height * in_width;
    let mut best = 0.0f32;
    let mut best_at = 0.0f32;
    // The first value inside the input always wins.
    let mut found = false;
    #[unroll]
    for i in 0..kernel {
        // Rows and columns counted in the padded input.
        let row = oh * stride + i;
        let row_inside = row >= padding && row < in_height + padding;
        let ih = select(row_inside, row - padding, 0);
        #[unroll]
        for j in 0..kernel {
            let col = ow * stride + j;
            let inside = row_inside && col >= padding && col < in_width + padding;
            let at = ih * in_width + select(inside, col - padding, 0);
            let value = input[base + at];
            let take = inside && (value > best || !found);
            best = select(take, value, best);
            best_at = select(take, f32::cast_from(at), best_at);
            found = found || inside;
        }
    }
    if active {
        output[index] = best;
        if comptime!(keep_argmax) {
            argmax[index] = best_at;
        }
    }
}

/// One invocation per input pixel: the sum of the output gradients of the
/// windows that cover it and that it won. Pixel (padded) row `r` is in the
/// windows `oh` with `oh·s ≤ r < oh·s + k`: `oh = ⌊r/s⌋ − m` for
/// `m < ⌈k/s⌉`, where that is a window and reaches `r`.
#[cube(launch_unchecked)]
fn max_pool2d_backward_kernel(
    argmax: &Tensor<f32>,
    output_grad: &Tensor<f32>,
    input_grad: &mut Tensor<f32>,
    in_area: FastDivmod<usize>,
    in_width: FastDivmod<usize>,
    out_height: usize,
    out_width: usize,
    num_inputs: usize,
    #[comptime] kernel: usize,
    #[comptime] stride: usize,
    #[comptime] padding: usize,
) {
    let index = invocation_index();
    let active = index < num_inputs;
    let (plane, spatial) = in_area.div_mod(clamp_max(index, num_inputs - 1));
    let (ih, iw) = in_width.div_mod(spatial);
    let here = f32::cast_from(spatial);
    let (row, col) = (ih + padding, iw + padding);
    let (last_row, last_col) = (row / stride, col / stride);
    let base = plane * out_height * out_width;
    let reach = comptime!(kernel.div_ceil(stride));
    let mut sum = 0.0f32;
    #[unroll]
    for m in 0..reach {
        let oh = last_row - m;
        let row_ok = last_row >= m && oh < out_height && row < oh * stride + kernel;
        #[unroll]
        for n in 0..reach {
            let ow = last_col - n;
            let covers = row_ok && last_col >= n && ow < out_width && col < ow * stride + kernel;
            let at = select(covers, base + oh * out_width + ow, 0);
            let won = covers && argmax[at] == here;
            sum += select(won, output_grad[at], 0.0);
        }
    }
    if active {
        input_grad[index] = sum;
    }
}

impl MaxPoolKernels for CubeBackend {
    fn max_pool2d_forward(
        x: CubeTensor,
        kernel: usize,
        stride: usize,
        padding: usize,
        keep_argmax: bool,
    ) -> (CubeTensor, CubeTensor) {
        assert_eq!(x.dtype, DType::F32, "our pooling kernels take f32 inputs");
        let x = into_contiguous(x);
        let shape = padded_pool_output(x.meta.shape(), kernel, stride, padding);
        let [_, _, h, w] = x.meta.shape().dims();
        let [_, _, oh, ow] = shape.dims();
        let outputs = shape.num_elements();
        let output = empty(&x, shape.clone());
        let argmax = empty(&x, if keep_argmax { shape } else { Shape::new([1]) });
        let (count, dim) = Launch::elementwise("max_pool2d_forward_kernel", outputs, kernel * kernel);
        unsafe {
            max_pool2d_forward_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                x.clone().into_tensor_arg(),
                output.clone().into_tensor_arg(),
                argmax.clone().into_tensor_arg(),
                oh * ow,
                ow,
                h,
                w,
                outputs,
                kernel,
                stride,
                padding,
                keep_argmax,
            )
        };
        (output, argmax)
    }

    fn max_pool2d_input_grad(
        argmax: CubeTensor,
        output_grad: CubeTensor,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        let argmax = into_contiguous(argmax);
        let output_grad = into_contiguous(output_grad);
        let [n, c, oh, ow] = output_grad.meta.shape().dims();
        assert_eq!(
            argmax.meta.shape(),
            output_grad.meta.shape(),
            "one winner per output"
        );
        let input_grad = empty(&output_grad, Shape::new([n, c, height, width]));
        let inputs = n * c * height * width;
        let windows = kernel.div_ceil(stride).pow(2);
        let (count, dim) = Launch::elementwise("max_pool2d_backward_kernel", inputs, windows);
        unsafe {
            max_pool2d_backward_kernel::launch_unchecked(
                &output_grad.client,
                count,
                dim,
                argmax.into_tensor_arg(),
                output_grad.clone().into_tensor_arg(),
                input_grad.clone().into_tensor_arg(),
                height * width,
                width,
                oh,
                ow,
                inputs,
                kernel,
                stride,
                padding,
            )
        };
        input_grad
    }
}

#[derive(Debug)]
struct MaxPoolBackward;

impl<B: MaxPoolKernels> Backward<B, 1> for MaxPoolBackward {
    /// The winners, the input's height and width, the window, the stride
    /// and the padding.
    type State = (FloatTensor<B>, [usize; 5]);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [node] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (argmax, [height, width, kernel, stride, padding]) = ops.state;
        if let Some(node) = node {
            grads.register::<B>(
                node.id,
                B::max_pool2d_input_grad(argmax, grad, height, width, kernel, stride, padding),
            );
        }
    }
}

impl<B: MaxPoolKernels, C: CheckpointStrategy> MaxPoolKernels for Autodiff<B, C> {
    fn max_pool2d_forward(
        x: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
        keep_argmax: bool,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        let [_, _, height, width] = x.primitive().shape().dims();
        match MaxPoolBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let (output, argmax) =
                    B::max_pool2d_forward(x.into_primitive(), kernel, stride, padding, true);
                let state = (argmax.clone(), [height, width, kernel, stride, padding]);
                (prep.finish(state, output), FloatTensor::<Self>::new(argmax))
            }
            OpsKind::UnTracked(prep) => {
                let (output, argmax) =
                    B::max_pool2d_forward(x.into_primitive(), kernel, stride, padding, keep_argmax);
                (prep.finish(output), FloatTensor::<Self>::new(argmax))
            }
        }
    }

    // The gradient is not differentiated again.
    fn max_pool2d_input_grad(
        argmax: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::max_pool2d_input_grad(
            argmax.into_primitive(),
            output_grad.into_primitive(),
            height,
            width,
            kernel,
            stride,
            padding,
        ))
    }
}
