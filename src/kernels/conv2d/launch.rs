//! The launches: `impl ConvKernels for CubeBackend`, which makes the
//! tensors contiguous, works out the geometry (`geometry.rs`) and launches
//! the kernels (`kernels.rs`) with it.

use burn::backend::ops::FloatTensorOps;
use burn::tensor::{DType, Shape};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::geometry::{Conv2dGeometry, vector_width};
use super::kernels::{
    ConvShapeLaunch, PhaseShapeLaunch, conv2d_forward_kernel, conv2d_input_grad_kernel,
    conv2d_weight_grad_kernel, pack_weights_kernel,
};
use crate::kernels::ConvKernels;
use crate::kernels::dispatch::{Launch, empty, on_real_gpu};

/// `weight` (contiguous, viewed as `[groups, channels, taps]`) with its
/// channel axis moved innermost and padded with zeros to `padded`:
/// `[groups·taps, padded]`, see `pack_weights_kernel`.
fn pack_weights(weight: &CubeTensor, [groups, channels, taps]: [usize; 3], padded: usize) -> CubeTensor {
    let packed = empty(weight, vec![groups * taps, padded]);
    let total = groups * taps * padded;
    let (count, dim) = Launch::elementwise("pack_weights_kernel", total, 1);
    unsafe {
        pack_weights_kernel::launch_unchecked(
            &weight.client,
            count,
            dim,
            weight.clone().into_tensor_arg(),
            packed.clone().into_tensor_arg(),
            padded,
            taps,
            taps,
            channels,
            total,
        )
    };
    packed
}

fn expect_f32(tensor: &CubeTensor, what: &str) {
    assert_eq!(
        tensor.dtype,
        DType::F32,
        "our convolution kernels take f32 {what}s"
    );
}

fn dims4(tensor: &CubeTensor) -> [usize; 4] {
    tensor.meta.shape().dims()
}

impl Conv2dGeometry {
    /// The sizes the kernels read at run time (`ConvShape`).
    fn launch_shape(&self) -> ConvShapeLaunch {
        ConvShapeLaunch::new(
            self.in_channels,
            self.out_channels,
            self.in_size[0],
            self.in_size[1],
            self.out_size[0],
            self.out_size[1],
            self.padding,
        )
    }
}

impl ConvKernels for CubeBackend {
    fn conv2d_forward(
        x: CubeTensor,
        weight: CubeTensor,
        bias: CubeTensor,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&x, "input");
        let x = into_contiguous(x);
        let weight = into_contiguous(weight);
        let bias = into_contiguous(bias);
        let [out_channels, _, kernel, _] = dims4(&weight);
        let geometry =
            Conv2dGeometry::new(dims4(&x), out_channels, kernel, stride, padding).spread(on_real_gpu(&x));
        let [out_h, out_w] = geometry.out_size;
        let output = empty(&x, vec![geometry.batch, out_channels, out_h, out_w]);
        let (cols, block) = geometry.forward_tile();
        let blocks = out_channels.div_ceil(block);
        let in_taps = geometry.in_channels * kernel * kernel;
        let packed = pack_weights(&weight, [1, out_channels, in_taps], blocks * block);
        let tiles_per_row = out_w.div_ceil(cols);
        let tiles = geometry.batch * out_h * tiles_per_row;
        let outputs = geometry.batch * out_channels * out_h * out_w;
        let macs = cols * block * in_taps;
        let (count, dim) = Launch::grid("conv2d_forward_kernel", [tiles, blocks], macs, outputs);
        unsafe {
            conv2d_forward_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                vector_width(block),
                x.clone().into_tensor_arg(),
                packed.into_tensor_arg(),
                bias.into_tensor_arg(),
                output.clone().into_tensor_arg(),
                geometry.launch_shape(),
                tiles_per_row,
                out_h,
                tiles,
                kernel,
                stride,
                cols,
                block,
            )
        };
        output
    }

    fn conv2d_input_grad(
        weight: CubeTensor,
        output_grad: CubeTensor,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&output_grad, "gradient");
        let weight = into_contiguous(weight);
        let output_grad = into_contiguous(output_grad);
        let [out_channels, in_channels, kernel, _] = dims4(&weight);
        let batch = dims4(&output_grad)[0];
        let geometry = Conv2dGeometry::new(
            [batch, in_channels, height, width],
            out_channels,
            kernel,
            stride,
            padding,
        )
        .spread(on_real_gpu(&output_grad));
        assert_eq!(
            dims4(&output_grad)[2..],
            geometry.out_size,
            "the output gradient does not match a {height}×{width} input"
        );
        let input_grad = empty(&output_grad, vec![batch, in_channels, height, width]);
        let block = geometry.input_grad_block();
        let blocks = in_channels.div_ceil(block);
        let packed = pack_weights(
            &weight,
            [out_channels, in_channels, kernel * kernel],
            blocks * block,
        );
        let client = output_grad.client.clone();
        for row_phase in 0..stride {
            for col_phase in 0..stride {
                let Some(phase) = geometry.input_grad_phase(row_phase, col_phase) else {
                    continue;
                };
                let tiles_per_row = phase.cols.div_ceil(phase.tile_cols);
                let tiles = batch * phase.rows * tiles_per_row;
                // The taps of this phase: about (kernel / stride)² of them.
                let taps = kernel.div_ceil(stride).pow(2);
                let macs = phase.tile_cols * block * out_channels * taps;
                let outputs = batch * in_channels * phase.rows * phase.cols;
                let launch = [tiles, blocks];
                let (count, dim) = Launch::grid("conv2d_input_grad_kernel", launch, macs, outputs);
                unsafe {
                    conv2d_input_grad_kernel::launch_unchecked(
                        &client,
                        count,
                        dim,
                        vector_width(block),
                        output_grad.clone().into_tensor_arg(),
                        packed.clone().into_tensor_arg(),
                        input_grad.clone().into_tensor_arg(),
                        geometry.launch_shape(),
                        PhaseShapeLaunch::new(
                            phase.first_row,
                            phase.first_col,
                            phase.cols,
                            phase.out_row,
                            phase.out_col,
                        ),
                        tiles_per_row,
                        phase.rows,
                        tiles,
                        kernel,
                        stride,
                        row_phase,
                        col_phase,
                        phase.tile_cols,
                        block,
                    )
                };
            }
        }
        input_grad
    }

    fn conv2d_weight_bias_grad(
        x: CubeTensor,
        output_grad: CubeTensor,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> CubeTensor {
        expect_f32(&x, "input");
        let x = into_contiguous(x);
        let output_grad = into_contiguous(output_grad);
        let out_channels = dims4(&output_grad)[1];
        let geometry =
            Conv2dGeometry::new(dims4(&x), out_channels, kernel, stride, padding).spread(on_real_gpu(&x));
        assert_eq!(
            dims4(&output_grad)[2..],
            geometry.out_size,
            "the output gradient does not match the input"
        );
        let columns = geometry.in_channels * kernel * kernel + 1;
        let (in_block, block) = geometry.weight_grad_tile();
        let (chunks, rows_per_chunk) = geometry.weight_grad_chunks();
        let lanes_per_chunk = geometry.in_channels.div_ceil(in_block) * kernel;
        let partial = empty(&x, vec![chunks, out_channels, columns]);
        let macs = in_block * kernel * block * rows_per_chunk * geometry.out_size[1];
        let launch = [chunks * lanes_per_chunk, out_channels.div_ceil(block)];
        let outputs = chunks * out_channels * columns;
        let (count, dim) = Launch::grid("conv2d_weight_grad_kernel", launch, macs, outputs);
        let width = geometry.weight_grad_vector_width();
        unsafe {
            conv2d_weight_grad_kernel::launch_unchecked(
                &x.client,
                count,
                dim,
                width,
                x.clone().into_tensor_arg(),
                output_grad.into_tensor_arg(),
                partial.clone().into_tensor_arg(),
                geometry.launch_shape(),
                lanes_per_chunk,
                geometry.out_size[0],
                chunks,
                rows_per_chunk,
                kernel,
                stride,
                in_block,
                block,
            )
        };
        let summed = match chunks {
            1 => partial,
            _ => CubeBackend::float_sum_dim(partial, 0),
        };
        CubeBackend::float_reshape(summed, Shape::new([out_channels, columns]))
    }
}
