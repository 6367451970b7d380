//! Batch norm on Burn's cube backend, forward and backward, in as few
//! passes over the values as the arithmetic allows.
//!
//! Why: Burn 0.22 composes a training batch norm from tensor operations —
//! a transpose and copy to put each channel's values in a row, a mean, the
//! centred squares and a second mean, then the normalisation, each its own
//! kernel — about ten launches forward and more backward, plus two or four
//! for the running statistics. Here:
//!
//! - training forward: one pass that sums each channel (in chunks, one
//!   workgroup each, added up in shared memory), then one that normalises
//!   every value; the first workgroup of each channel also writes the
//!   batch's mean and variance (kept for the backward pass) and the
//!   running statistics moved towards them;
//! - evaluation: one pass, normalising with the running statistics;
//! - backward: one pass for `Σ dy` and `Σ dy·(x − mean)` per channel, one
//!   for the input gradient, whose first workgroups also write γ's and β's
//!   gradients.
//!
//! `geometry.rs` holds the host arithmetic (vectors, chunks, workgroups;
//! unit tested), `kernels.rs` the `#[cube]` code, `launch.rs` the launches
//! and `autodiff.rs` the backward wiring.

mod autodiff;
mod geometry;
mod kernels;
mod launch;

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};

pub use geometry::BatchNormGeometry;

/// The rows of the statistics a training batch norm returns beside its
/// output (`[4, C]`): the batch's mean and biased variance, then the new
/// running mean and running variance.
pub const STAT_ROWS: usize = 4;

/// Batch norm over `[N, C, ...]`, statistics per channel `c`.
#[backend_extension(Autodiff, Cube, Fusion)]
pub trait BatchNormKernels: Backend {
    /// Training: the output, normalised with the batch's own statistics and
    /// scaled by `gamma`, shifted by `beta`; and the statistics `[4, C]`
    /// (see [`STAT_ROWS`]), where the running ones are
    /// `running·(1 − momentum) + batch·momentum`.
    #[fusion(meta = |x, _gamma, _beta, _mean, _var, _epsilon, _momentum| (
        x.clone(),
        burn::backend::fusion::custom::TensorSpec::new(
            burn::tensor::Shape::new([STAT_ROWS, x.shape[1]]),
            x.dtype,
        ),
    ))]
    fn batch_norm_forward_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        running_mean: FloatTensor<Self>,
        running_var: FloatTensor<Self>,
        epsilon: f64,
        momentum: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);

    /// Evaluation: the output normalised with the running statistics. Not
    /// differentiated (`kernels::batch_norm` sends a batch norm in
    /// evaluation mode on an autodiff device to Burn's).
    #[fusion(dtype = x, shape = x)]
    fn batch_norm_forward_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        running_mean: FloatTensor<Self>,
        running_var: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self>;

    /// The backward pass of [`batch_norm_forward_train`](BatchNormKernels::batch_norm_forward_train),
    /// from its `stats` and the output's gradient: the input's gradient and
    /// `[2, C]`, γ's gradient then β's.
    #[fusion(meta = |x, _gamma, _stats, _output_grad, _epsilon| (
        x.clone(),
        burn::backend::fusion::custom::TensorSpec::new(
            burn::tensor::Shape::new([2, x.shape[1]]),
            x.dtype,
        ),
    ))]
    fn batch_norm_backward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);
}
