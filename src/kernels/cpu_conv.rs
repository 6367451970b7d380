//! Convolutions on Burn's CPU backend (flex): Burn's forward pass, our
//! backward pass.
//!
//! Why: flex splits a convolution's forward pass over the batch on rayon's
//! pool, but Burn computes the backward pass from other operations — the
//! input gradient as a transposed convolution, the weight gradient as a
//! convolution with batch and channels swapped, whose "batch" is then the
//! layer's input channels (1 for LeNet's first layer). On two threads
//! LeNet's conv1 backward took longer than on one (BENCHMARKS.md, "The CPU
//! backend on threads"). Here both gradients are per-sample matrix
//! products over the sample's unfolded windows (im2col), on `gemm`, the
//! crate flex multiplies with, and the batch is split over the pool: each
//! thread sums the weight gradient of its share of the samples, and writes
//! the input gradient of its own samples.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::{Flex, FlexTensor};
use burn::backend::ops::{ConvOptions, ModuleOps};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, DType, TensorMetadata, backend_extension};
use burn::tensor::TensorData;

use cnnp_cpu_loops::conv::{self, Geometry};

use super::cpu::contiguous;

/// A convolution whose backward pass is ours on the CPU backend.
#[backend_extension(Autodiff, Flex)]
pub trait CpuConv: Backend {
    /// `x` `[N, Cin, H, W]` convolved with `weight` `[Cout, Cin, K, K]`
    /// (square kernel, the same stride and zero padding on both axes), plus
    /// `bias` `[Cout]`.
    fn cpu_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;

    /// The gradient of the loss with respect to the input `[N, Cin, height,
    /// width]`, from the gradient of the output.
    fn cpu_conv2d_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;

    /// The gradients of the weight `[Cout, Cin, K, K]` and the bias `[Cout]`.
    fn cpu_conv2d_weight_bias_grad(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);
}

/// The values of an f32 tensor (`kernels::conv2d` sends only those here).
fn f32s(x: &FlexTensor) -> &[f32] {
    assert_eq!(x.dtype(), DType::F32, "our CPU convolution takes f32 tensors");
    &x.storage::<f32>()[..x.layout().num_elements()]
}

fn tensor(values: Vec<f32>, shape: Vec<usize>) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, shape))
}

fn options(stride: usize, padding: usize) -> ConvOptions<2> {
    ConvOptions::new([stride, stride], [padding, padding], [1, 1], 1)
}

impl CpuConv for Flex {
    fn cpu_conv2d(
        x: FlexTensor,
        weight: FlexTensor,
        bias: FlexTensor,
        stride: usize,
        padding: usize,
    ) -> FlexTensor {
        Flex::conv2d(x, weight, Some(bias), options(stride, padding))
    }

    fn cpu_conv2d_input_grad(
        weight: FlexTensor,
        output_grad: FlexTensor,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> FlexTensor {
        let [batch, out_channels, _, _] = output_grad.shape().dims();
        let [_, in_channels, kernel, _] = weight.shape().dims();
        let g = Geometry::new(
            [batch, in_channels, height, width],
            out_channels,
            kernel,
            stride,
            padding,
        );
        let (weight, grad) = (contiguous(weight), contiguous(output_grad));
        let dx = conv::input_grad(&g, f32s(&weight), f32s(&grad));
        tensor(dx, vec![batch, in_channels, height, width])
    }

    fn cpu_conv2d_weight_bias_grad(
        x: FlexTensor,
        output_grad: FlexTensor,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> (FlexTensor, FlexTensor) {
        let input = x.shape().dims::<4>();
        let out_channels = output_grad.shape().dims::<4>()[1];
        let g = Geometry::new(input, out_channels, kernel, stride, padding);
        let (x, grad) = (contiguous(x), contiguous(output_grad));
        let (weight, bias) = conv::weight_bias_grad(&g, f32s(&x), f32s(&grad));
        (
            tensor(weight, vec![out_channels, input[1], kernel, kernel]),
            tensor(bias, vec![out_channels]),
        )
    }
}

#[derive(Debug)]
struct CpuConvBackward;

impl<B: CpuConv> Backward<B, 3> for CpuConvBackward {
    /// The input, the weight, the stride and the padding.
    type State = (FloatTensor<B>, FloatTensor<B>, usize, usize);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x, weight, stride, padding) = ops.state;
        let [_, _, height, width] = x.shape().dims();
        let kernel = weight.shape().dims::<4>()[2];
        if node_weight.is_some() || node_bias.is_some() {
            let (weight_grad, bias_grad) =
                B::cpu_conv2d_weight_bias_grad(x, grad.clone(), kernel, stride, padding);
            if let Some(node) = node_weight {
                grads.register::<B>(node.id, weight_grad);
            }
            if let Some(node) = node_bias {
                grads.register::<B>(node.id, bias_grad);
            }
        }
        if let Some(node) = node_x {
            let x_grad = B::cpu_conv2d_input_grad(weight, grad, height, width, stride, padding);
            grads.register::<B>(node.id, x_grad);
        }
    }
}

impl<B: CpuConv, C: CheckpointStrategy> CpuConv for Autodiff<B, C> {
    fn cpu_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        let nodes = [x.node(), weight.node(), bias.node()];
        let (x, weight, bias) = (x.into_primitive(), weight.into_primitive(), bias.into_primitive());
        match CpuConvBackward.prepare::<C>(nodes).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let output = B::cpu_conv2d(x.clone(), weight.clone(), bias, stride, padding);
                prep.finish((x, weight, stride, padding), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::cpu_conv2d(x, weight, bias, stride, padding)),
        }
    }

    // The gradients are not differentiated again.

    fn cpu_conv2d_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::cpu_conv2d_input_grad(
            weight.into_primitive(),
            output_grad.into_primitive(),
            height,
            width,
            stride,
            padding,
        ))
    }

    fn cpu_conv2d_weight_bias_grad(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        let (weight, bias) = B::cpu_conv2d_weight_bias_grad(
            x.into_primitive(),
            output_grad.into_primitive(),
            kernel,
            stride,
            padding,
        );
        (FloatTensor::<Self>::new(weight), FloatTensor::<Self>::new(bias))
    }
}
