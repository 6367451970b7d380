//! The launches: `impl BatchNormKernels for CubeBackend`, which makes the
//! tensors contiguous, works out the geometry (`geometry.rs`) and launches
//! the kernels (`kernels.rs`) with it.

use burn::tensor::DType;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;

use super::geometry::{BatchNormGeometry, LANES};
use super::kernels::{
    NormShapeLaunch, batch_norm_input_grad_kernel, batch_norm_normalize_kernel, batch_norm_sums_kernel,
};
use super::{BatchNormKernels, STAT_ROWS};
use crate::kernels::dispatch::{Launch, empty, on_real_gpu};

/// `workgroups` per channel of [`LANES`] invocations, channels along y;
/// each invocation reads `values`, and the launch writes `outputs`.
fn per_channel(
    kernel: &'static str,
    [workgroups, channels]: [usize; 2],
    values: usize,
    outputs: usize,
) -> (CubeCount, CubeDim) {
    let launch = Launch {
        kernel,
        workgroups: workgroups * channels,
        workgroup_size: LANES,
        active: workgroups * channels * LANES,
        work: values,
        outputs,
    };
    launch.noted((
        CubeCount::Static(workgroups as u32, channels as u32, 1),
        CubeDim::new_1d(LANES as u32),
    ))
}

impl BatchNormGeometry {
    /// The sizes the kernels read at run time, for sums taken in `chunks`.
    fn launch_shape(&self, chunks: usize) -> NormShapeLaunch {
        NormShapeLaunch::new(
            self.channels,
            self.vectors_per_plane(),
            self.vectors_per_channel(),
            chunks,
            1.0 / self.per_channel() as f32,
        )
    }
}

/// The geometry of `x`, checked: f32 and `[N, C, ...]` with `C` the size of
/// each per-channel tensor.
fn geometry(x: &CubeTensor, per_channel: &[&CubeTensor]) -> BatchNormGeometry {
    assert_eq!(x.dtype, DType::F32, "our batch-norm kernels take f32 inputs");
    let geometry = BatchNormGeometry::new(x.meta.shape()).spread(on_real_gpu(x));
    for tensor in per_channel {
        assert_eq!(
            tensor.meta.shape().num_elements(),
            geometry.channels,
            "a per-channel tensor of batch norm over {:?}",
            x.meta.shape()
        );
    }
    geometry
}

/// The two sums per chunk and channel (`batch_norm_sums_kernel`): of
/// `x − K` and its square, or with `backward` of `dy` and `dy·(x − mean)`.
fn sums(
    geometry: &BatchNormGeometry,
    x: &CubeTensor,
    output_grad: &CubeTensor,
    stats: &CubeTensor,
    backward: bool,
) -> (CubeTensor, usize) {
    let (chunks, per_chunk) = geometry.chunks();
    let partial = empty(x, vec![chunks, geometry.channels, 2]);
    let values = per_chunk.div_ceil(LANES) * geometry.vector;
    let launch = [chunks, geometry.channels];
    let (count, dim) = per_channel(
        "batch_norm_sums_kernel",
        launch,
        values,
        chunks * geometry.channels * 2,
    );
    unsafe {
        batch_norm_sums_kernel::launch_unchecked(
            &x.client,
            count,
            dim,
            geometry.vector,
            x.clone().into_tensor_arg(),
            output_grad.clone().into_tensor_arg(),
            stats.clone().into_tensor_arg(),
            partial.clone().into_tensor_arg(),
            geometry.launch_shape(chunks),
            geometry.vectors_per_plane(),
            per_chunk,
            LANES,
            backward,
        )
    };
    (partial, chunks)
}

/// Normalises `x`, from the sums `partial` (training) or the running
/// statistics (evaluation); returns the output and, in training, the
/// statistics.
#[allow(clippy::too_many_arguments)]
fn normalize(
    geometry: &BatchNormGeometry,
    x: &CubeTensor,
    gamma: CubeTensor,
    beta: CubeTensor,
    running_mean: CubeTensor,
    running_var: CubeTensor,
    partial: Option<(CubeTensor, usize)>,
    epsilon: f64,
    momentum: f64,
) -> (CubeTensor, CubeTensor) {
    let output = empty(x, x.meta.shape().to_vec());
    let stats = empty(x, vec![STAT_ROWS, geometry.channels]);
    let train = partial.is_some();
    // In evaluation no sums are read: γ stands in for them.
    let (partial, chunks) = partial.unwrap_or_else(|| (gamma.clone(), 1));
    let (groups, per_lane) = geometry.apply_groups();
    let outputs = geometry.channels * geometry.per_channel();
    let launch = [groups, geometry.channels];
    let values = per_lane * geometry.vector;
    let (count, dim) = per_channel("batch_norm_normalize_kernel", launch, values, outputs);
    unsafe {
        batch_norm_normalize_kernel::launch_unchecked(
            &x.client,
            count,
            dim,
            geometry.vector,
            x.clone().into_tensor_arg(),
            gamma.into_tensor_arg(),
            beta.into_tensor_arg(),
            running_mean.into_tensor_arg(),
            running_var.into_tensor_arg(),
            partial.into_tensor_arg(),
            output.clone().into_tensor_arg(),
            stats.clone().into_tensor_arg(),
            geometry.launch_shape(chunks),
            geometry.vectors_per_plane(),
            per_lane,
            epsilon as f32,
            momentum as f32,
            // The weight of the old statistics, in f64 as Burn computes it.
            (1.0 - momentum) as f32,
            train,
        )
    };
    (output, stats)
}

impl BatchNormKernels for CubeBackend {
    fn batch_norm_forward_train(
        x: CubeTensor,
        gamma: CubeTensor,
        beta: CubeTensor,
        running_mean: CubeTensor,
        running_var: CubeTensor,
        epsilon: f64,
        momentum: f64,
    ) -> (CubeTensor, CubeTensor) {
        let x = into_contiguous(x);
        let [gamma, beta, running_mean, running_var] =
            [gamma, beta, running_mean, running_var].map(into_contiguous);
        let geometry = geometry(&x, &[&gamma, &beta, &running_mean, &running_var]);
        let partial = sums(&geometry, &x, &x, &gamma, false);
        normalize(
            &geometry,
            &x,
            gamma,
            beta,
            running_mean,
            running_var,
            Some(partial),
            epsilon,
            momentum,
        )
    }

    fn batch_norm_forward_eval(
        x: CubeTensor,
        gamma: CubeTensor,
        beta: CubeTensor,
        running_mean: CubeTensor,
        running_var: CubeTensor,
        epsilon: f64,
    ) -> CubeTensor {
        let x = into_contiguous(x);
        let [gamma, beta, running_mean, running_var] =
            [gamma, beta, running_mean, running_var].map(into_contiguous);
        let geometry = geometry(&x, &[&gamma, &beta, &running_mean, &running_var]);
        normalize(
            &geometry,
            &x,
            gamma,
            beta,
            running_mean,
            running_var,
            None,
            epsilon,
            0.0,
        )
        .0
    }

    fn batch_norm_backward(
        x: CubeTensor,
        gamma: CubeTensor,
        stats: CubeTensor,
        output_grad: CubeTensor,
        epsilon: f64,
    ) -> (CubeTensor, CubeTensor) {
        let x = into_contiguous(x);
        let output_grad = into_contiguous(output_grad);
        let gamma = into_contiguous(gamma);
        let stats = into_contiguous(stats);
        let geometry = geometry(&x, &[&gamma]);
        assert_eq!(
            x.meta.shape(),
            output_grad.meta.shape(),
            "a batch norm's output gradient has its input's shape"
        );
        let (partial, chunks) = sums(&geometry, &x, &output_grad, &stats, true);
        let input_grad = empty(&x, x.meta.shape().to_vec());
        let grads = empty(&x, vec![2, geometry.channels]);
        let (groups, per_lane) = geometry.apply_groups();
        let outputs = geometry.channels * geometry.per_channel();
        let launch = [groups, geometry.channels];
        let values = per_lane * geometry.vector;
        let (count, dim) = per_channel("batch_norm_input_grad_kernel", launch, values, outputs);
        unsafe {
            batch_norm_input_grad_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                geometry.vector,
                x.clone().into_tensor_arg(),
                output_grad.into_tensor_arg(),
                gamma.into_tensor_arg(),
                stats.into_tensor_arg(),
                partial.into_tensor_arg(),
                input_grad.clone().into_tensor_arg(),
                grads.clone().into_tensor_arg(),
                geometry.launch_shape(chunks),
                geometry.vectors_per_plane(),
                per_lane,
                epsilon as f32,
            )
        };
        (input_grad, grads)
    }
}
