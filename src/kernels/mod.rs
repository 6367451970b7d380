//! Our own convolution kernels for Burn's cube backend (wgpu natively, WebGPU
//! in the browser), reached through Burn's backend-extension API.
//!
//! Why: without autotune Burn 0.22 runs a 2-D convolution on wgpu as one
//! invocation per output vector, its input gradient as a transposed
//! convolution and its weight gradient as a forward convolution with batch
//! and channels swapped — for LeNet's first layer about one workgroup for
//! the whole job (BENCHMARKS.md has the profile). The kernels here
//! (`conv2d/`) are shaped for the nets in our tables instead:
//!
//! - forward and input gradient: one invocation per pixel computes a block
//!   of channels, the kernel window unrolled at compile time, so every
//!   load of a pixel feeds a block of multiply-adds and the weights, the
//!   same for a whole workgroup, are uniform loads;
//! - weight gradient (with the bias gradient as one extra column): a
//!   parallel two-pass reduction, partial sums over chunks of batch × rows,
//!   then one sum over the chunks.
//!
//! Average pooling (`pool.rs`) has its own forward and backward kernels
//! too: one launch each, where Burn's autodiff made eight; and so do the
//! fully connected layers (`linear.rs`), one register-tiled matrix product
//! for the forward pass and each gradient.
//!
//! The CPU backend keeps most of Burn's operations: [`avg_pool2d`] and
//! [`linear`] send a tensor on any other device to Burn's modules. A build
//! without the `webgpu` feature (the threaded CPU worker) has only the CPU
//! side. Two exceptions, ours on the CPU backend: the sigmoid (`cpu.rs`),
//! where Burn's runs a scalar exponential twice per value, and the
//! convolution's backward pass (`cpu_conv.rs`), which Burn's does not
//! split over threads.

mod cpu;
mod cpu_conv;
mod cpu_pool;

#[cfg(feature = "webgpu")]
mod autodiff;
#[cfg(feature = "webgpu")]
mod batch_norm;
#[cfg(feature = "webgpu")]
mod conv2d;
#[cfg(feature = "webgpu")]
mod dispatch;
#[cfg(feature = "webgpu")]
mod linear;
#[cfg(feature = "webgpu")]
mod max_pool;
#[cfg(feature = "webgpu")]
mod pool;
#[cfg(feature = "webgpu")]
mod shapes;

use std::sync::atomic::{AtomicBool, Ordering};

#[cfg(feature = "webgpu")]
use burn::backend::tensor::FloatTensor;
#[cfg(feature = "webgpu")]
use burn::backend::{Backend, backend_extension};
use burn::backend::{Dispatch, DispatchDevice};
use burn::nn::conv::Conv2d;
use burn::nn::pool::{AvgPool2d, MaxPool2d};
use burn::nn::{BatchNorm, Sigmoid};
use burn::nn::{Linear, PaddingConfig2d};
use burn::tensor::{DType, Tensor};

#[cfg(feature = "webgpu")]
pub use batch_norm::{BatchNormGeometry, BatchNormKernels};
#[cfg(feature = "webgpu")]
pub use conv2d::{Conv2dGeometry, GPU_INVOCATIONS, MAX_CHANNEL_BLOCK, MAX_TILE_COLUMNS, WIDE_LAYER};
pub use cpu::CpuSigmoid;
pub use cpu_conv::CpuConv;
pub use cpu_pool::CpuAvgPool;
#[cfg(feature = "webgpu")]
pub use dispatch::{Launch, record_launches, recorded_launches, set_software_adapter};
#[cfg(feature = "webgpu")]
pub use linear::LinearKernels;
#[cfg(feature = "webgpu")]
pub use max_pool::MaxPoolKernels;
#[cfg(feature = "webgpu")]
pub use pool::PoolKernels;

#[cfg(feature = "webgpu")]
/// The convolution operations our kernels provide. `Cube` runs them on
/// Burn's cube backend; `Autodiff` records them with their own backward.
#[backend_extension(Autodiff, Cube, Fusion)]
pub trait ConvKernels: Backend {
    /// `x` `[N, Cin, H, W]` convolved with `weight` `[Cout, Cin, K, K]`
    /// (square kernel, the same stride and zero padding on both axes), plus
    /// `bias` `[Cout]`: `[N, Cout, OH, OW]`.
    #[fusion(dtype = x, shape = shapes::conv_output(x, weight, *stride, *padding))]
    fn conv2d_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;

    /// The gradient of the loss with respect to a convolution's input
    /// `[N, Cin, height, width]`, from the gradient of its output.
    #[fusion(dtype = output_grad, shape = shapes::conv_input(weight, output_grad, *height, *width))]
    fn conv2d_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        height: usize,
        width: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;

    /// The gradients of the weight and bias together, `[Cout, Cin·K·K + 1]`:
    /// row `o` holds the weight gradient of output channel `o` (in the
    /// weight's own order) followed by its bias gradient.
    #[fusion(dtype = x, shape = shapes::conv_weight_bias(x, output_grad, *kernel))]
    fn conv2d_weight_bias_grad(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self>;
}

/// Whether our kernels run (the default: convolutions, pooling and dense
/// layers on the cube backend, the sigmoid on the CPU) or Burn's; `cnnp
/// bench --conv burn` turns them off to compare.
static OUR_KERNELS: AtomicBool = AtomicBool::new(true);

/// Chooses between our kernels and Burn's.
pub fn use_our_kernels(on: bool) {
    OUR_KERNELS.store(on, Ordering::Relaxed);
}

/// Whether `x` lives on Burn's CPU backend (flex), with or without autodiff.
fn on_cpu<const D: usize>(x: &Tensor<D>) -> bool {
    matches!(x.device().inner().as_dispatch(), DispatchDevice::Flex(_))
}

/// Whether `x` lives on Burn's cube backend (wgpu, WebGPU), with or
/// without autodiff.
#[cfg(feature = "webgpu")]
fn on_cube_backend<const D: usize>(x: &Tensor<D>) -> bool {
    matches!(x.device().inner().as_dispatch(), DispatchDevice::Cube(_))
}

/// The square kernel, stride and symmetric padding of `conv`, if it is a
/// convolution our kernels run (all of ours are).
fn square_geometry(conv: &Conv2d) -> Option<(usize, usize, usize)> {
    let [kh, kw] = conv.kernel_size;
    let [sh, sw] = conv.stride;
    let padding = symmetric_padding(&conv.padding)?;
    let plain = kh == kw && sh == sw && conv.dilation == [1, 1] && conv.groups == 1 && conv.bias.is_some();
    plain.then_some((kh, sh, padding))
}

/// `conv.forward(x)`: on our kernels where `x` is on the cube backend; on
/// the CPU backend Burn's forward pass with our backward pass.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let geometry = square_geometry(conv).filter(|_| OUR_KERNELS.load(Ordering::Relaxed));
    let (Some((_, stride, padding)), Some(bias)) = (geometry, conv.bias.as_ref()) else {
        return conv.forward(x);
    };
    if on_cpu(&x) && x.dtype() == DType::F32 {
        return Tensor::from_dispatch(Dispatch::cpu_conv2d(
            x.into_dispatch(),
            conv.weight.val().into_dispatch(),
            bias.val().into_dispatch(),
            stride,
            padding,
        ));
    }
    #[cfg(feature = "webgpu")]
    if on_cube_backend(&x) {
        return cube_conv2d(x, conv.weight.val(), bias.val(), stride, padding);
    }
    conv.forward(x)
}

/// A convolution on our cube kernels.
#[cfg(feature = "webgpu")]
fn cube_conv2d(x: Tensor<4>, weight: Tensor<4>, bias: Tensor<1>, stride: usize, padding: usize) -> Tensor<4> {
    let output = Dispatch::conv2d_forward(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
        stride,
        padding,
    );
    Tensor::from_dispatch(output)
}

/// The input gradient as a tensor operation (for tests and benchmarks).
#[cfg(feature = "webgpu")]
pub fn conv2d_input_grad(
    weight: Tensor<4>,
    output_grad: Tensor<4>,
    input_size: [usize; 2],
    stride: usize,
    padding: usize,
) -> Tensor<4> {
    let [height, width] = input_size;
    Tensor::from_dispatch(Dispatch::conv2d_input_grad(
        weight.into_dispatch(),
        output_grad.into_dispatch(),
        height,
        width,
        stride,
        padding,
    ))
}

/// The weight and bias gradients as tensor operations (for tests and
/// benchmarks): `(weight [Cout, Cin, K, K], bias [Cout])`.
#[cfg(feature = "webgpu")]
pub fn conv2d_weight_bias_grad(
    x: Tensor<4>,
    output_grad: Tensor<4>,
    kernel: usize,
    stride: usize,
    padding: usize,
) -> (Tensor<4>, Tensor<1>) {
    let in_channels = x.dims()[1];
    let out_channels = output_grad.dims()[1];
    let both: Tensor<2> = Tensor::from_dispatch(Dispatch::conv2d_weight_bias_grad(
        x.into_dispatch(),
        output_grad.into_dispatch(),
        kernel,
        stride,
        padding,
    ));
    let columns = in_channels * kernel * kernel;
    let weight = both.clone().slice([0..out_channels, 0..columns]).reshape([
        out_channels,
        in_channels,
        kernel,
        kernel,
    ]);
    let bias = both
        .slice([0..out_channels, columns..columns + 1])
        .reshape([out_channels]);
    (weight, bias)
}

/// `pool.forward(x)` for average pooling without padding: our kernels on
/// the cube backend and, for non-overlapping windows (the only ones our
/// nets use), on the CPU; elsewhere Burn's, with non-overlapping windows as
/// a reshape and two means, which give the same values.
pub fn avg_pool2d(pool: &AvgPool2d, x: Tensor<4>) -> Tensor<4> {
    let [k, kw] = pool.kernel_size;
    let [s, sw] = pool.stride;
    let square = k == kw && s == sw && matches!(pool.padding, PaddingConfig2d::Valid);
    if !square {
        return pool.forward(x);
    }
    #[cfg(feature = "webgpu")]
    if OUR_KERNELS.load(Ordering::Relaxed) && on_cube_backend(&x) {
        return Tensor::from_dispatch(Dispatch::mean_pool2d_forward(x.into_dispatch(), k, s));
    }
    if s != k {
        return pool.forward(x);
    }
    if OUR_KERNELS.load(Ordering::Relaxed) && on_cpu(&x) && x.dtype() == DType::F32 {
        return Tensor::from_dispatch(Dispatch::cpu_avg_pool2d(x.into_dispatch(), k));
    }
    let [n, c, h, w] = x.dims();
    let (oh, ow) = (h / k, w / k);
    let x = match (h % k, w % k) {
        (0, 0) => x,
        _ => x.slice([0..n, 0..c, 0..oh * k, 0..ow * k]),
    };
    x.reshape([n * c * oh, k, ow, k])
        .mean_dim(3)
        .mean_dim(1)
        .reshape([n, c, oh, ow])
}

/// The symmetric padding of a convolution or pooling layer, if it has one
/// (`Valid` is 0).
fn symmetric_padding(padding: &PaddingConfig2d) -> Option<usize> {
    match padding {
        PaddingConfig2d::Valid => Some(0),
        PaddingConfig2d::Explicit(top, left, bottom, right) => {
            [left, bottom, right].iter().all(|p| **p == *top).then_some(*top)
        }
        _ => None,
    }
}

/// `pool.forward(x)`: our kernels on the cube backend for square windows
/// (every max pooling of our nets), Burn's elsewhere.
pub fn max_pool2d(pool: &MaxPool2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(feature = "webgpu")]
    {
        let [k, kw] = pool.kernel_size;
        let [s, sw] = pool.stride;
        let plain = k == kw && s == sw && pool.dilation == [1, 1] && !pool.ceil_mode;
        let padding = symmetric_padding(&pool.padding).filter(|p| plain && 2 * p <= k);
        if let Some(padding) = padding.filter(|_| OUR_KERNELS.load(Ordering::Relaxed) && on_cube_backend(&x))
        {
            let (output, _) = Dispatch::max_pool2d_forward(x.into_dispatch(), k, s, padding, false);
            return Tensor::from_dispatch(output);
        }
    }
    pool.forward(x)
}

/// `bn.forward(x)`: on the cube backend our kernels, in training (an
/// autodiff device, the layer not frozen: Burn's own test) and in
/// evaluation off autodiff; Burn's elsewhere. The running statistics are
/// updated as Burn's layer updates them.
pub fn batch_norm<const D: usize>(bn: &BatchNorm, x: Tensor<D>) -> Tensor<D> {
    #[cfg(feature = "webgpu")]
    if OUR_KERNELS.load(Ordering::Relaxed) && on_cube_backend(&x) {
        let device = x.device();
        let training = device.is_autodiff() && bn.training.is_enabled();
        if training {
            let running_mean = bn.running_mean.value_sync().to_device(&device);
            let running_var = bn.running_var.value_sync().to_device(&device);
            let (output, stats) = Dispatch::batch_norm_forward_train(
                x.into_dispatch(),
                bn.gamma.val().into_dispatch(),
                bn.beta.val().into_dispatch(),
                running_mean.into_dispatch(),
                running_var.into_dispatch(),
                bn.epsilon,
                bn.momentum,
            );
            let stats: Tensor<2> = Tensor::from_dispatch(stats);
            let channels = stats.dims()[1];
            let row = |r: usize| {
                stats
                    .clone()
                    .slice([r..r + 1, 0..channels])
                    .reshape([channels])
                    .detach()
            };
            bn.running_mean.update(row(2));
            bn.running_var.update(row(3));
            return Tensor::from_dispatch(output);
        }
        if !device.is_autodiff() {
            let device = x.device();
            return Tensor::from_dispatch(Dispatch::batch_norm_forward_eval(
                x.into_dispatch(),
                bn.gamma.val().into_dispatch(),
                bn.beta.val().into_dispatch(),
                bn.running_mean.value().to_device(&device).into_dispatch(),
                bn.running_var.value().to_device(&device).into_dispatch(),
                bn.epsilon,
            ));
        }
    }
    bn.forward(x)
}

/// `linear.forward(x)` for a batch of vectors, on our kernels where `x` is
/// on the cube backend.
pub fn linear(linear: &Linear, x: Tensor<2>) -> Tensor<2> {
    #[cfg(not(feature = "webgpu"))]
    return linear.forward(x);
    #[cfg(feature = "webgpu")]
    match &linear.bias {
        Some(bias) if OUR_KERNELS.load(Ordering::Relaxed) && on_cube_backend(&x) => {
            Tensor::from_dispatch(Dispatch::linear_forward(
                x.into_dispatch(),
                linear.weight.val().into_dispatch(),
                bias.val().into_dispatch(),
            ))
        }
        _ => linear.forward(x),
    }
}

/// `sigmoid.forward(x)`: our CPU sigmoid on Burn's CPU backend (see
/// `cpu.rs`), Burn's elsewhere.
pub fn sigmoid<const D: usize>(sigmoid: &Sigmoid, x: Tensor<D>) -> Tensor<D> {
    if OUR_KERNELS.load(Ordering::Relaxed) && on_cpu(&x) {
        return Tensor::from_dispatch(Dispatch::cpu_sigmoid(x.into_dispatch()));
    }
    sigmoid.forward(x)
}
