//! Our convolution under autodiff: the forward kernel records a node whose
//! backward runs our input-gradient and weight-gradient kernels (the bias
//! gradient comes out of the weight-gradient kernel as its last column).

use burn::backend::TensorMetadata;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;
use burn::tensor::{Shape, Slice};

use super::ConvKernels;

#[derive(Debug)]
struct Conv2dBackward;

impl<B: ConvKernels> Backward<B, 3> for Conv2dBackward {
    /// The input's and weight's nodes, the stride and the padding.
    type State = (NodeId, NodeId, usize, usize);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, checkpointer: &mut Checkpointer) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, weight_state, stride, padding) = ops.state;
        let x: FloatTensor<B> = checkpointer.retrieve_node_output(x_state);
        let weight: FloatTensor<B> = checkpointer.retrieve_node_output(weight_state);
        let [_, _, height, width] = x.shape().dims();
        let [out_channels, in_channels, kernel, _] = weight.shape().dims();

        if let Some(node) = node_x {
            let x_grad = B::conv2d_input_grad(weight, grad.clone(), height, width, stride, padding);
            grads.register::<B>(node.id, x_grad);
        }
        if node_weight.is_none() && node_bias.is_none() {
            return;
        }
        let both = B::conv2d_weight_bias_grad(x, grad, kernel, stride, padding);
        let columns = in_channels * kernel * kernel;
        if let Some(node) = node_weight {
            let weight_grad = B::float_slice(
                both.clone(),
                &[Slice::from(0..out_channels), Slice::from(0..columns)],
            );
            let weight_grad = B::float_reshape(
                weight_grad,
                Shape::new([out_channels, in_channels, kernel, kernel]),
            );
            grads.register::<B>(node.id, weight_grad);
        }
        if let Some(node) = node_bias {
            let bias_grad = B::float_slice(
                both,
                &[Slice::from(0..out_channels), Slice::from(columns..columns + 1)],
            );
            grads.register::<B>(node.id, B::float_reshape(bias_grad, Shape::new([out_channels])));
        }
    }
}

impl<B: ConvKernels, C: CheckpointStrategy> ConvKernels for Autodiff<B, C> {
    fn conv2d_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        match Conv2dBackward
            .prepare::<C>([x.node(), weight.node(), bias.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let weight_state = prep.checkpoint(&weight);
                let output = B::conv2d_forward(
                    x.into_primitive(),
                    weight.into_primitive(),
                    bias.into_primitive(),
                    stride,
                    padding,
                );
                prep.finish((x_state, weight_state, stride, padding), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::conv2d_forward(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
                stride,
                padding,
            )),
        }
    }

    // The gradients themselves are not differentiated again: they are
    // computed on the inner backend and handed back as constants.

    fn conv2d_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::conv2d_input_grad(
            weight.into_primitive(),
            output_grad.into_primitive(),
            height,
            width,
            stride,
            padding,
        ))
    }

    fn conv2d_weight_bias_grad(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::conv2d_weight_bias_grad(
            x.into_primitive(),
            output_grad.into_primitive(),
            kernel,
            stride,
            padding,
        ))
    }
}
