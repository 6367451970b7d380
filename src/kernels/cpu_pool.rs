//! Average pooling over non-overlapping windows on Burn's CPU backend
//! (flex), forward and backward, our own.
//!
//! Why: on the CPU such a pooling was a reshape and two means, whose
//! backward autodiff builds from several broadcasts; none of it splits over
//! threads. In LeNet it was the largest part of a step left on one thread
//! once the convolutions' backward passes were split (4.2 ms of 37 on two
//! threads natively, BENCHMARKS.md). Here each pass is one loop over the
//! channel planes (in `cnnp-cpu-loops`, `crates/cpu_loops`), split over
//! rayon's pool where the build has threads.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::{Flex, FlexTensor};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, DType, TensorMetadata, backend_extension};
use burn::tensor::TensorData;

use cnnp_cpu_loops::pool;

use super::cpu::contiguous;

/// Average pooling over `kernel × kernel` windows with stride `kernel` and
/// no padding; rows and columns past the last whole window are left out,
/// as Burn's pooling leaves them.
#[backend_extension(Autodiff, Flex)]
pub trait CpuAvgPool: Backend {
    /// `[N, C, H, W]` → `[N, C, H / kernel, W / kernel]`.
    fn cpu_avg_pool2d(x: FloatTensor<Self>, kernel: usize) -> FloatTensor<Self>;

    /// The input gradient `[N, C, height, width]` from the output's.
    fn cpu_avg_pool2d_backward(
        output_grad: FloatTensor<Self>,
        kernel: usize,
        height: usize,
        width: usize,
    ) -> FloatTensor<Self>;
}

fn f32s(x: &FlexTensor) -> &[f32] {
    assert_eq!(x.dtype(), DType::F32, "our CPU pooling takes f32 tensors");
    &x.storage::<f32>()[..x.layout().num_elements()]
}

impl CpuAvgPool for Flex {
    fn cpu_avg_pool2d(x: FlexTensor, kernel: usize) -> FlexTensor {
        let shape = x.shape().dims::<4>();
        let [n, c, h, w] = shape;
        let out = pool::avg_pool2d(f32s(&contiguous(x)), shape, kernel);
        FlexTensor::from_data(TensorData::new(out, [n, c, h / kernel, w / kernel]))
    }

    fn cpu_avg_pool2d_backward(
        output_grad: FlexTensor,
        kernel: usize,
        height: usize,
        width: usize,
    ) -> FlexTensor {
        let shape = output_grad.shape().dims::<4>();
        let dx = pool::avg_pool2d_backward(f32s(&contiguous(output_grad)), shape, kernel, [height, width]);
        FlexTensor::from_data(TensorData::new(dx, [shape[0], shape[1], height, width]))
    }
}

#[derive(Debug)]
struct AvgPoolBackward;

impl<B: CpuAvgPool> Backward<B, 1> for AvgPoolBackward {
    /// The window, and the input's height and width.
    type State = (usize, usize, usize);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (kernel, height, width) = ops.state;
        if let Some(node) = parent {
            grads.register::<B>(node.id, B::cpu_avg_pool2d_backward(grad, kernel, height, width));
        }
    }
}

impl<B: CpuAvgPool, C: CheckpointStrategy> CpuAvgPool for Autodiff<B, C> {
    fn cpu_avg_pool2d(x: FloatTensor<Self>, kernel: usize) -> FloatTensor<Self> {
        let [_, _, height, width] = x.shape().dims();
        match AvgPoolBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => prep.finish(
                (kernel, height, width),
                B::cpu_avg_pool2d(x.into_primitive(), kernel),
            ),
            OpsKind::UnTracked(prep) => prep.finish(B::cpu_avg_pool2d(x.into_primitive(), kernel)),
        }
    }

    // The gradient is not differentiated again.
    fn cpu_avg_pool2d_backward(
        output_grad: FloatTensor<Self>,
        kernel: usize,
        height: usize,
        width: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::cpu_avg_pool2d_backward(
            output_grad.into_primitive(),
            kernel,
            height,
            width,
        ))
    }
}
