//! A training batch norm under autodiff: the forward kernels record a node
//! whose backward runs our backward kernels; the statistics come out as a
//! constant (the running ones are not trained).

use burn::backend::TensorMetadata;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;
use burn::tensor::{Shape, Slice};

use super::BatchNormKernels;

#[derive(Debug)]
struct BatchNormBackward;

/// Row `row` of `[2, C]` as a `[C]` tensor.
fn row<B: BatchNormKernels>(both: FloatTensor<B>, row: usize) -> FloatTensor<B> {
    let [_, channels] = both.shape().dims();
    let sliced = B::float_slice(both, &[Slice::from(row..row + 1), Slice::from(0..channels)]);
    B::float_reshape(sliced, Shape::new([channels]))
}

impl<B: BatchNormKernels> Backward<B, 3> for BatchNormBackward {
    /// The input's and γ's nodes, the batch statistics and ε.
    type State = (NodeId, NodeId, FloatTensor<B>, f64);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, checkpointer: &mut Checkpointer) {
        let [node_x, node_gamma, node_beta] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, gamma_state, stats, epsilon) = ops.state;
        let x: FloatTensor<B> = checkpointer.retrieve_node_output(x_state);
        let gamma: FloatTensor<B> = checkpointer.retrieve_node_output(gamma_state);
        let (x_grad, both) = B::batch_norm_backward(x, gamma, stats, grad, epsilon);
        if let Some(node) = node_x {
            grads.register::<B>(node.id, x_grad);
        }
        if let Some(node) = node_gamma {
            grads.register::<B>(node.id, row::<B>(both.clone(), 0));
        }
        if let Some(node) = node_beta {
            grads.register::<B>(node.id, row::<B>(both, 1));
        }
    }
}

impl<B: BatchNormKernels, C: CheckpointStrategy> BatchNormKernels for Autodiff<B, C> {
    fn batch_norm_forward_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        running_mean: FloatTensor<Self>,
        running_var: FloatTensor<Self>,
        epsilon: f64,
        momentum: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        let forward = |x, gamma, beta| {
            B::batch_norm_forward_train(
                x,
                gamma,
                beta,
                running_mean.into_primitive(),
                running_var.into_primitive(),
                epsilon,
                momentum,
            )
        };
        match BatchNormBackward
            .prepare::<C>([x.node(), gamma.node(), beta.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let gamma_state = prep.checkpoint(&gamma);
                let (output, stats) =
                    forward(x.into_primitive(), gamma.into_primitive(), beta.into_primitive());
                let output = prep.finish((x_state, gamma_state, stats.clone(), epsilon), output);
                (output, FloatTensor::<Self>::new(stats))
            }
            OpsKind::UnTracked(prep) => {
                let (output, stats) =
                    forward(x.into_primitive(), gamma.into_primitive(), beta.into_primitive());
                (prep.finish(output), FloatTensor::<Self>::new(stats))
            }
        }
    }

    // Evaluation and the gradients are not differentiated: they run on the
    // inner backend and come back as constants.

    fn batch_norm_forward_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        running_mean: FloatTensor<Self>,
        running_var: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::batch_norm_forward_eval(
            x.into_primitive(),
            gamma.into_primitive(),
            beta.into_primitive(),
            running_mean.into_primitive(),
            running_var.into_primitive(),
            epsilon,
        ))
    }

    fn batch_norm_backward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        let (x_grad, both) = B::batch_norm_backward(
            x.into_primitive(),
            gamma.into_primitive(),
            stats.into_primitive(),
            output_grad.into_primitive(),
            epsilon,
        );
        (FloatTensor::<Self>::new(x_grad), FloatTensor::<Self>::new(both))
    }
}
