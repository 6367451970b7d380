//! Our WebGPU kernels and Burn's against the CPU backend.

use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AvgPool2dConfig, MaxPool2dConfig};
use burn::nn::{BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData};
use cnn_playground::backend;
use cnn_playground::kernels;
use wasm_bindgen_test::*;

use super::*;

type Case = cnn_playground::shape::ConvCase;

/// What a convolution gives, through `kernels::conv2d` (what the model
/// runs: `ours`) or Burn's `Conv2d::forward`: output, and the input, weight
/// and bias gradients of a weighted sum of the output. `absolute` makes
/// every value positive, so that each result is the sum of the absolute
/// values of its terms (the scale the comparison is relative to).
async fn conv_results(
    case: Case,
    batch: usize,
    device: &Device,
    absolute: bool,
    ours: bool,
) -> [Vec<f32>; 4] {
    let Case {
        in_channels: ci,
        out_channels: co,
        height: h,
        width: w,
        kernel: k,
        stride: s,
        padding: p,
    } = case;
    let device = device.clone().autodiff();
    let fold = |data: TensorData| {
        let t = Tensor::<4>::from_data(data, &device);
        if absolute { t.abs() } else { t }
    };
    let mut conv = Conv2dConfig::new([ci, co], [k, k])
        .with_stride([s, s])
        .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
        .init(&device);
    conv.weight = burn::module::Param::from_tensor(fold(input([co, ci, k, k], 2)).detach().require_grad());
    conv.bias = Some(burn::module::Param::from_tensor(
        fold(input([1, 1, 1, co], 4))
            .reshape([co])
            .detach()
            .require_grad(),
    ));
    let x = fold(input([batch, ci, h, w], 1)).detach().require_grad();
    let y = if ours {
        kernels::conv2d(&conv, x.clone())
    } else {
        conv.forward(x.clone())
    };
    let weighting = fold(input(y.dims(), 3));
    let grads = (y.clone() * weighting).sum().backward();
    [
        values(y.detach()).await,
        values(x.grad(&grads).unwrap()).await,
        values(conv.weight.val().grad(&grads).unwrap()).await,
        values(conv.bias.as_ref().unwrap().val().grad(&grads).unwrap()).await,
    ]
}

/// Our convolution on `device` against Burn's on the CPU backend: the
/// worst difference relative to the scale of each sum past `tolerance`,
/// or none.
async fn conv_differs(case: Case, batch: usize, device: &Device, tolerance: f32) -> Option<String> {
    let cpu = conv_results(case, batch, &backend::cpu(), false, false).await;
    let gpu = conv_results(case, batch, device, false, true).await;
    let scale = conv_results(case, batch, &backend::cpu(), true, false).await;
    let names = ["output", "input gradient", "weight gradient", "bias gradient"];
    let mut problems = vec![];
    for (i, name) in names.iter().enumerate() {
        let worst = cpu[i]
            .iter()
            .zip(&gpu[i])
            .zip(&scale[i])
            .map(|((c, g), s)| (c - g).abs() / s.max(1e-3))
            .fold(0.0f32, f32::max);
        if worst > tolerance || worst.is_nan() {
            problems.push(format!("{name} differs by {worst:e}"));
        }
        if gpu[i].iter().all(|v| *v == 0.0) {
            problems.push(format!("{name} is all zeros"));
        }
    }
    (!problems.is_empty()).then(|| format!("{case:?} batch {batch}: {}", problems.join(", ")))
}

/// Every distinct convolution of the eight nets at the size each trains
/// at, at batch 1 (SwiftShader runs WebGPU on the CPU: batch 1 keeps this
/// to a minute), and [`lenet_and_odd_convolutions`].
#[wasm_bindgen_test]
async fn our_convolution_kernels_on_webgpu_equal_the_cpu() {
    let cases = cnn_playground::shape::book_convolutions();
    let gpu = webgpu().await;
    let mut failures = vec![];
    for &case in &cases {
        failures.extend(conv_differs(case, 1, &gpu, TOLERANCE).await);
    }
    let mut checked = cases.len();
    for (case, batch) in lenet_and_odd_convolutions() {
        failures.extend(conv_differs(case, batch, &gpu, TOLERANCE).await);
        checked += 1;
    }
    web_sys::console::log_1(&format!("{checked} convolutions checked").into());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// LeNet's two convolutions at the book's batch of 256, and three odd,
/// non-square ones at batch 3 (partial channel blocks, a stride of 4, 1×1).
fn lenet_and_odd_convolutions() -> Vec<(Case, usize)> {
    let lenet = [
        Case {
            in_channels: 1,
            out_channels: 6,
            height: 28,
            width: 28,
            kernel: 5,
            stride: 1,
            padding: 2,
        },
        Case {
            in_channels: 6,
            out_channels: 16,
            height: 14,
            width: 14,
            kernel: 5,
            stride: 1,
            padding: 0,
        },
    ];
    let odd = [
        Case {
            in_channels: 11,
            out_channels: 17,
            height: 9,
            width: 11,
            kernel: 3,
            stride: 2,
            padding: 1,
        },
        Case {
            in_channels: 3,
            out_channels: 5,
            height: 21,
            width: 19,
            kernel: 11,
            stride: 4,
            padding: 2,
        },
        Case {
            in_channels: 9,
            out_channels: 7,
            height: 6,
            width: 5,
            kernel: 1,
            stride: 1,
            padding: 0,
        },
    ];
    let lenet = lenet.into_iter().map(|case| (case, 256));
    lenet.chain(odd.into_iter().map(|case| (case, 3))).collect()
}

#[wasm_bindgen_test]
async fn pooling_on_webgpu_equals_the_cpu() {
    for (kernel, stride, padding) in [(3, 2, 0), (3, 2, 1), (2, 2, 0)] {
        let pool = MaxPool2dConfig::new([kernel, kernel])
            .with_strides([stride, stride])
            .with_padding(PaddingConfig2d::Explicit(padding, padding, padding, padding))
            .init();
        compare(
            &format!("max pool k{kernel} s{stride} p{padding}"),
            input([2, 3, 9, 9], 5),
            |x| pool.forward(x),
            |x| kernels::max_pool2d(&pool, x),
        )
        .await;
    }
    // Average pooling as the model runs it: our kernels on WebGPU.
    for (shape, kernel, stride) in [([2, 3, 8, 8], 2, 2), ([2, 3, 9, 7], 2, 2), ([2, 3, 9, 9], 3, 2)] {
        let pool = AvgPool2dConfig::new([kernel, kernel])
            .with_strides([stride, stride])
            .init();
        compare(
            &format!("avg pool k{kernel} s{stride} on {shape:?}"),
            input(shape, 6),
            |x| pool.forward(x),
            |x| kernels::avg_pool2d(&pool, x),
        )
        .await;
    }
}

#[wasm_bindgen_test]
async fn batch_norm_on_webgpu_equals_the_cpu() {
    // Planes read one float at a time (5×5) and four at a time (4×4).
    for shape in [[4, 3, 5, 5], [4, 5, 4, 4]] {
        compare(
            &format!("batch norm (train) {shape:?}"),
            input(shape, 7),
            move |x| BatchNormConfig::new(shape[1]).init(&x.device()).forward(x),
            move |x| kernels::batch_norm(&BatchNormConfig::new(shape[1]).init(&x.device()), x),
        )
        .await;
    }
}

/// Our CPU sigmoid in the browser's build (its simd128 lanes, which the
/// native tests do not reach) against Burn's, from -100 to 100: outputs
/// and input gradients within 1e-6.
#[wasm_bindgen_test]
async fn our_cpu_sigmoid_in_wasm_equals_burns() {
    let n = 4 * 9 * 7 * 11;
    let x: Vec<f32> = (0..n)
        .map(|i| (i as f32 - n as f32 / 2.0) / (n as f32 / 200.0))
        .collect();
    let x = TensorData::new(x, [4, 9, 7, 11]);
    let cpu = backend::cpu();
    let ours = run(&cpu, &x, &|t| kernels::sigmoid(&burn::nn::Sigmoid::new(), t)).await;
    let burns = run(&cpu, &x, &|t| burn::tensor::activation::sigmoid(t)).await;
    for (what, ours, burns) in [("output", ours.0, burns.0), ("input gradient", ours.1, burns.1)] {
        let worst = ours
            .iter()
            .zip(&burns)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst <= 1e-6, "sigmoid {what}: differs by {worst:e}");
    }
}

/// Our CPU convolution's backward pass and average pooling in the
/// browser's build (gemm's simd128 kernels, which the native tests do not
/// reach) against Burn's: the convolutions of
/// [`lenet_and_odd_convolutions`] within 1e-5 of the sums, and LeNet's
/// pooling and an odd size within 1e-6.
#[wasm_bindgen_test]
async fn our_cpu_convolution_and_pooling_in_wasm_equal_burns() {
    let cpu = backend::cpu();
    let mut failures = vec![];
    for (case, batch) in lenet_and_odd_convolutions() {
        failures.extend(conv_differs(case, batch, &cpu, 1e-5).await);
    }
    for shape in [[16, 6, 28, 28], [3, 5, 7, 9]] {
        let pool = AvgPool2dConfig::new([2, 2]).with_strides([2, 2]).init();
        let x = input(shape, 8);
        let burns = run(&cpu, &x, &|t| pool.forward(t)).await;
        let ours = run(&cpu, &x, &|t| kernels::avg_pool2d(&pool, t)).await;
        for (what, ours, burns) in [("output", ours.0, burns.0), ("input gradient", ours.1, burns.1)] {
            let worst = ours
                .iter()
                .zip(&burns)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            if worst > 1e-6 || ours.len() != burns.len() {
                failures.push(format!("avg pool {shape:?}: {what} differs by {worst:e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
