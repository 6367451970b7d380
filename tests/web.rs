//! In a real browser (headless Chromium, WebGPU on SwiftShader): WebGPU
//! agrees with the CPU backend on conv2d (our kernels, on every convolution
//! of the eight nets), max and average pooling and batch norm, forward and
//! backward; LeNet trains on WebGPU and on the CPU fallback; the page's
//! components render the right table rows.
//!
//! Run by `scripts/test.sh` (`wasm-pack test`, flags in
//! `webdriver.json`). SwiftShader is slow: tiny batches only.
#![cfg(target_arch = "wasm32")]

use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AvgPool2dConfig, MaxPool2dConfig};
use burn::nn::{BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData};
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig};
use cnn_playground::backend;
use cnn_playground::data::{Dataset, Resize, TEST_IMAGES, TEST_LABELS};
use cnn_playground::kernels;
use cnn_playground::shape::ShapeTable;
use cnn_playground::training::{TrainConfig, batch_tensors, init_model, optimizer, train_step};
use cnn_playground::web::webgpu::{self, Backend, BackendChoice};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOLERANCE: f32 = 1e-4;

/// The WebGPU device, made once per test binary.
async fn webgpu() -> Device {
    thread_local! {
        static DEVICE: std::cell::RefCell<Option<Device>> = const { std::cell::RefCell::new(None) };
    }
    if let Some(device) = DEVICE.with(|d| d.borrow().clone()) {
        return device;
    }
    let (device, backend) = webgpu::choose(BackendChoice::WebGpu, None).await;
    match &backend {
        Backend::WebGpu(adapter) => web_sys::console::log_1(&format!("WebGPU adapter: {adapter:?}").into()),
        Backend::Cpu { reason, .. } => {
            panic!("expected WebGPU (Chromium with --enable-unsafe-webgpu): {reason}")
        }
    }
    DEVICE.with(|d| *d.borrow_mut() = Some(device.clone()));
    device
}

async fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data_async()
        .await
        .unwrap()
        .try_to_vec::<f32>()
        .unwrap()
}

fn assert_close(what: &str, cpu: &[f32], gpu: &[f32]) {
    assert_eq!(cpu.len(), gpu.len(), "{what}: lengths");
    let worst = cpu
        .iter()
        .zip(gpu)
        .map(|(a, b)| (a - b).abs() / a.abs().max(1.0))
        .fold(0.0f32, f32::max);
    assert!(worst <= TOLERANCE, "{what}: differs by {worst:e}");
    assert!(gpu.iter().any(|v| *v != 0.0), "{what}: all zeros on WebGPU");
}

/// Deterministic values in [-1, 1), the same on every backend.
fn input(shape: [usize; 4], seed: usize) -> TensorData {
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|i| (((i * 7919 + seed * 104_729) % 2003) as f32 / 1001.5) - 1.0)
        .collect();
    TensorData::new(values, shape)
}

/// The output of `op` on `x`, and the gradient of a weighted sum of the
/// output with respect to `x`, on `device` with autodiff.
async fn run(device: &Device, x: &TensorData, op: &impl Fn(Tensor<4>) -> Tensor<4>) -> (Vec<f32>, Vec<f32>) {
    let device = device.clone().autodiff();
    let x = Tensor::<4>::from_data(x.clone(), &device).require_grad();
    let y = op(x.clone());
    let weights = input(y.dims(), 3);
    let loss = (y.clone() * Tensor::<4>::from_data(weights, &device)).sum();
    let grads = loss.backward();
    let grad = x.grad(&grads).expect("an input gradient");
    (values(y.detach()).await, values(grad).await)
}

async fn compare(what: &str, x: TensorData, op: impl Fn(Tensor<4>) -> Tensor<4>) {
    let (cpu_out, cpu_grad) = run(&backend::cpu(), &x, &op).await;
    let (gpu_out, gpu_grad) = run(&webgpu().await, &x, &op).await;
    assert_close(&format!("{what}: output"), &cpu_out, &gpu_out);
    assert_close(&format!("{what}: input gradient"), &cpu_grad, &gpu_grad);
}

type Case = cnn_playground::shape::ConvCase;

/// What a convolution gives through `kernels::conv2d` (what the model
/// runs): output, and the input, weight and bias gradients of a weighted
/// sum of the output. `absolute` makes every value positive, so that each
/// result is the sum of the absolute values of its terms (the scale the
/// comparison is relative to).
async fn conv_results(case: Case, batch: usize, device: &Device, absolute: bool) -> [Vec<f32>; 4] {
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
    let y = kernels::conv2d(&conv, x.clone());
    let weighting = fold(input(y.dims(), 3));
    let grads = (y.clone() * weighting).sum().backward();
    [
        values(y.detach()).await,
        values(x.grad(&grads).unwrap()).await,
        values(conv.weight.val().grad(&grads).unwrap()).await,
        values(conv.bias.as_ref().unwrap().val().grad(&grads).unwrap()).await,
    ]
}

/// Our kernels on WebGPU against Burn's convolution on the CPU backend:
/// the worst difference relative to the scale of each sum, or why not.
async fn conv_differs(case: Case, batch: usize) -> Option<String> {
    let cpu = conv_results(case, batch, &backend::cpu(), false).await;
    let gpu = conv_results(case, batch, &webgpu().await, false).await;
    let scale = conv_results(case, batch, &backend::cpu(), true).await;
    let names = ["output", "input gradient", "weight gradient", "bias gradient"];
    let mut problems = vec![];
    for (i, name) in names.iter().enumerate() {
        let worst = cpu[i]
            .iter()
            .zip(&gpu[i])
            .zip(&scale[i])
            .map(|((c, g), s)| (c - g).abs() / s.max(1e-3))
            .fold(0.0f32, f32::max);
        if worst > TOLERANCE || worst.is_nan() {
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
/// to a minute), and LeNet's two at the book's batch of 256.
#[wasm_bindgen_test]
async fn our_convolution_kernels_on_webgpu_equal_the_cpu() {
    let cases = cnn_playground::shape::book_convolutions();
    let mut failures = vec![];
    for &case in &cases {
        failures.extend(conv_differs(case, 1).await);
    }
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
    for case in lenet {
        failures.extend(conv_differs(case, 256).await);
    }
    // Odd, non-square sizes and partial channel blocks.
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
    for case in odd {
        failures.extend(conv_differs(case, 3).await);
    }
    web_sys::console::log_1(&format!("{} convolutions checked", cases.len() + 5).into());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
            move |x| pool.forward(x),
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
            move |x| kernels::avg_pool2d(&pool, x),
        )
        .await;
    }
}

#[wasm_bindgen_test]
async fn batch_norm_on_webgpu_equals_the_cpu() {
    compare("batch norm (train)", input([4, 3, 5, 5], 7), |x| {
        BatchNormConfig::new(3).init(&x.device()).forward(x)
    })
    .await;
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

fn test_set() -> Dataset {
    Dataset::from_gz(
        TEST_IMAGES,
        include_bytes!("../assets/fashion-mnist/t10k-images-idx3-ubyte.gz"),
        TEST_LABELS,
        include_bytes!("../assets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
    )
    .unwrap()
}

/// Twenty steps of `arch` on one small batch; returns the losses.
async fn twenty_steps(arch: Arch, device: &Device) -> Vec<f32> {
    let data = test_set();
    let device = device.clone().autodiff();
    let config = TrainConfig {
        batch_size: 16,
        ..TrainConfig::book(arch)
    };
    let mut model = init_model(&config, &device).unwrap();
    let mut optim = optimizer(&config);
    let indices: Vec<usize> = (0..16).collect();
    let batch = data.batch(&indices, &Resize::to(28));
    let mut losses = vec![];
    for _ in 0..20 {
        let (images, labels) = batch_tensors(&batch, &device);
        let (next, figures) = train_step(model, &mut optim, config.lr, images, labels);
        model = next;
        losses.push(values(figures).await[0]);
    }
    losses
}

#[wasm_bindgen_test]
async fn lenet_trains_on_webgpu() {
    let losses = twenty_steps(Arch::BnLeNet, &webgpu().await).await;
    web_sys::console::log_1(&format!("BN-LeNet on WebGPU: {losses:?}").into());
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    assert!(losses[19] < 0.5 * losses[0], "the loss falls: {losses:?}");
}

#[wasm_bindgen_test]
async fn lenet_trains_on_the_cpu_fallback() {
    let (_, backend) = webgpu::choose(BackendChoice::Cpu, None).await;
    assert!(matches!(backend, Backend::Cpu { .. }));
    let losses = twenty_steps(Arch::BnLeNet, &backend::cpu()).await;
    assert!(losses[19] < 0.5 * losses[0], "the loss falls: {losses:?}");
}

#[wasm_bindgen_test]
fn the_table_component_renders_the_books_rows() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let table = ShapeTable::compute(
        &NetConfig::default_for(Arch::AlexNet).layers(),
        &[1, INPUT_CHANNELS, 224, 224],
    )
    .unwrap();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <cnn_playground::ui::table::LayerTable table=table batch=Some(128) /> }
    });
    let rows = host.query_selector_all("tbody tr.row.top").unwrap();
    assert_eq!(rows.length(), 21, "AlexNet has 21 top-level rows");
    let shape = |i: u32| {
        rows.item(i)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .query_selector("td.shape")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(shape(12), "[1, 256, 5, 5]");
    assert_eq!(shape(13), "[1, 6400]");
    assert_eq!(shape(20), "[1, 10]");
    let total = host
        .query_selector("tfoot td.num")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(total, "46,764,746");
}

#[wasm_bindgen_test]
async fn block_rows_expand_on_click() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let (config, side) = Arch::GoogLeNet.book_table();
    let table = ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).unwrap();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <cnn_playground::ui::table::LayerTable table=table batch=None /> }
    });
    let count = |selector: &str| host.query_selector_all(selector).unwrap().length();
    assert_eq!(count("tbody tr.row.top"), 6);
    assert_eq!(count("tbody tr.row.inner"), 0);
    let b3: web_sys::HtmlElement = host
        .query_selector_all("tbody tr.row.top button.expand")
        .unwrap()
        .item(2)
        .unwrap()
        .unchecked_into();
    b3.click();
    // Let the reactive system render.
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(
        count("tbody tr.row.inner"),
        3,
        "b3: two Inceptions and a MaxPool2d"
    );
}

/// Every kind of command and report, once: a new variant fails to
/// compile here until it has a sample below.
mod messages {
    use cnn_playground::arch::{Arch, NetConfig};
    use cnn_playground::training::{BenchReport, Calibration, Event, LayerTime, TrainConfig};
    use cnn_playground::web::protocol::{Command, FailureMode, FiltersShape, PictureRef, Report};
    use cnn_playground::web::webgpu::{Adapter, Backend, BackendChoice};

    fn command_kind(command: &Command) -> usize {
        match command {
            Command::ChooseBackend { .. } => 0,
            Command::LoadData { .. } => 1,
            Command::UseFiles => 2,
            Command::Train { .. } => 3,
            Command::Prepare { .. } => 4,
            Command::Bench { .. } => 5,
            Command::Profile { .. } => 6,
            Command::Trace => 7,
            Command::Pause => 8,
            Command::Resume => 9,
            Command::Stop => 10,
            Command::Ping => 11,
            Command::FailOnPurpose { .. } => 12,
            Command::LookInside { .. } => 13,
            Command::TestImages { .. } => 14,
            Command::SaveWeights => 15,
            Command::LoadWeights { .. } => 16,
        }
    }
    const COMMAND_KINDS: usize = 17;

    fn report_kind(report: &Report) -> usize {
        match report {
            Report::Ready => 0,
            Report::Backend { .. } => 1,
            Report::Download { .. } => 2,
            Report::DataReady { .. } => 3,
            Report::DataFailed { .. } => 4,
            Report::Preparing => 5,
            Report::Prepared { .. } => 6,
            Report::Training { .. } => 7,
            Report::Bench { .. } => 8,
            Report::Profile { .. } => 9,
            Report::Trace { .. } => 10,
            Report::Paused => 11,
            Report::Resumed => 12,
            Report::Finished { .. } => 13,
            Report::Failed { .. } => 14,
            Report::Panicked { .. } => 15,
            Report::Pong => 16,
            Report::Memory { .. } => 17,
            Report::DeviceLost { .. } => 18,
            Report::Inside { .. } => 19,
            Report::InsideFailed { .. } => 20,
            Report::TestImages { .. } => 21,
            Report::WeightsFile { .. } => 22,
            Report::WeightsLoaded { .. } => 23,
            Report::WeightsFailed { .. } => 24,
            Report::Predictions { .. } => 25,
        }
    }
    const REPORT_KINDS: usize = 26;

    fn config() -> TrainConfig {
        TrainConfig::book(Arch::LeNet)
    }

    pub fn commands() -> Vec<Command> {
        let net = NetConfig::default_for(Arch::ResNet);
        let commands = vec![
            Command::ChooseBackend {
                choice: BackendChoice::WebGpu,
            },
            Command::LoadData {
                data_url: "/assets/fashion-mnist/".to_string(),
            },
            Command::UseFiles,
            Command::Train {
                config: config(),
                from_weights: true,
            },
            Command::Prepare { config: config() },
            Command::Bench {
                config: config(),
                steps: 5,
                readback_every: 1,
            },
            Command::Profile {
                config: config(),
                reps: 3,
            },
            Command::Trace,
            Command::Pause,
            Command::Resume,
            Command::Stop,
            Command::Ping,
            Command::FailOnPurpose {
                how: FailureMode::Trap,
            },
            Command::LookInside {
                net: net.clone(),
                resize: 96,
                picture: PictureRef::Own,
                layer: vec![3, 1],
            },
            Command::LookInside {
                net,
                resize: 96,
                picture: PictureRef::Test { index: 7 },
                layer: vec![],
            },
            Command::TestImages {
                indices: vec![0, 5, 9],
            },
            Command::SaveWeights,
            Command::LoadWeights {
                net: NetConfig::default_for(Arch::LeNet),
                resize: 28,
                name: "lenet-28px.safetensors".to_string(),
                test_limit: Some(500),
                batch_size: 256,
            },
        ];
        let mut kinds: Vec<usize> = commands.iter().map(command_kind).collect();
        kinds.dedup();
        assert_eq!(
            kinds,
            (0..COMMAND_KINDS).collect::<Vec<_>>(),
            "a sample of every command"
        );
        commands
    }

    pub fn reports() -> Vec<Report> {
        let adapter = Adapter {
            name: "google swiftshader".to_string(),
            has_subgroups: false,
            max_binding_bytes: 1 << 27,
            max_buffer_bytes: 1 << 28,
            is_software: true,
        };
        let reports = vec![
            Report::Ready,
            Report::Backend {
                backend: Backend::WebGpu(adapter),
            },
            Report::Download {
                file: "train-images-idx3-ubyte.gz".to_string(),
                loaded: 1 << 20,
                total: Some(26_421_880),
            },
            Report::DataReady {
                train: 60_000,
                test: 10_000,
                from_cache: true,
            },
            Report::DataFailed {
                message: "HTTP 404".to_string(),
            },
            Report::Preparing,
            Report::Prepared {
                calibration: Calibration {
                    kernels_s: Some(1.5),
                    seconds_per_example: 2e-4,
                },
            },
            Report::Training {
                event: Event::Batch {
                    epoch: 1,
                    batch: 3,
                    batches: 235,
                    loss: 2.3,
                    train_acc: 0.1,
                    examples_per_s: 3000.5,
                    step_ms: 85.0,
                },
            },
            Report::Bench {
                report: BenchReport {
                    warmup_s: 2.0,
                    examples_per_s: 500.0,
                    warmup_loss: 2.3,
                    final_loss: 2.2,
                    host_ms_per_step: 3.5,
                },
            },
            Report::Profile {
                layers: vec![LayerTime {
                    layer: "Conv2d 1→6, k5, p2".to_string(),
                    forward_ms: 1.0,
                    backward_ms: 2.0,
                }],
            },
            Report::Trace {
                kernels: "[]".to_string(),
            },
            Report::Paused,
            Report::Resumed,
            Report::Finished {
                message: Some("stopped in epoch 1".to_string()),
                diverged: false,
            },
            Report::Failed {
                message: "no backend".to_string(),
            },
            Report::Panicked {
                message: "panicked at src/lib.rs".to_string(),
            },
            Report::Pong,
            Report::Memory {
                epoch: Some(2),
                wasm_bytes: 177_930_240,
                device_bytes: None,
            },
            Report::DeviceLost {
                message: "the GPU went away".to_string(),
            },
            Report::Inside {
                picture: PictureRef::Test { index: 3 },
                label: Some(9),
                layer: vec![0],
                shape: vec![1, 6, 28, 28],
                probabilities: vec![0.1; 10],
                filters: Some(FiltersShape {
                    shape: [6, 1, 5, 5],
                    in_channels: 1,
                }),
                weights: "untrained: random filters".to_string(),
            },
            Report::InsideFailed {
                message: "there is no test image 10000".to_string(),
            },
            Report::TestImages {
                indices: vec![0, 1],
                labels: vec![9, 2],
            },
            Report::WeightsFile {
                file_name: "lenet-28px.safetensors".to_string(),
            },
            Report::WeightsLoaded {
                name: "lenet-28px.safetensors".to_string(),
                description: Some("LeNet, 10 epochs".to_string()),
                net: NetConfig::default_for(Arch::LeNet),
                resize: 28,
                test_acc: 0.79,
                test_images: 10_000,
            },
            Report::WeightsFailed {
                message: "not safetensors".to_string(),
            },
            Report::Predictions {
                when: "after epoch 2".to_string(),
            },
        ];
        let mut kinds: Vec<usize> = reports.iter().map(report_kind).collect();
        kinds.dedup();
        assert_eq!(
            kinds,
            (0..REPORT_KINDS).collect::<Vec<_>>(),
            "a sample of every report"
        );
        reports
    }
}

/// `message` crosses the channel and comes back the same, each of its
/// buffers in its slot; without them it is refused, naming the slot.
fn round_trip<M>(message: M)
where
    M: cnn_playground::web::channel::Message + Clone + PartialEq,
{
    use cnn_playground::web::channel::{ChannelError, Envelope};
    let slots = message.slots();
    let bytes = |i: usize| vec![i as u8, 1, 2, 3];
    let envelope = slots
        .iter()
        .enumerate()
        .fold(Envelope::new(message.clone()), |envelope, (i, &slot)| {
            envelope.with_bytes(slot, &bytes(i))
        });
    let (wire, transfer) = envelope.encode().unwrap();
    assert_eq!(
        transfer.length() as usize,
        slots.len(),
        "{message:?}: every buffer handed over"
    );
    assert_eq!(
        wire.is_string(),
        slots.is_empty(),
        "{message:?}: plain JSON without bulk data"
    );
    let back = Envelope::<M>::decode(&wire).unwrap();
    assert_eq!(back.message, message);
    for (i, &slot) in slots.iter().enumerate() {
        assert_eq!(back.bytes(slot), bytes(i), "{message:?}: slot {slot:?}");
    }
    if let Some(&slot) = slots.first() {
        let bare = Envelope::new(message.clone());
        match bare.encode() {
            Err(ChannelError::MissingSlot { slot: missing, .. }) => assert_eq!(missing, slot),
            other => panic!("{message:?} without its data: {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn every_message_crosses_the_channel_with_its_buffers() {
    messages::commands().into_iter().for_each(round_trip);
    messages::reports().into_iter().for_each(round_trip);
}

#[wasm_bindgen_test]
fn what_is_not_a_message_is_refused_by_name() {
    use cnn_playground::web::channel::{ChannelError, Envelope};
    use cnn_playground::web::protocol::Report;
    let not_json = wasm_bindgen::JsValue::from_str("{type: ready");
    assert!(matches!(
        Envelope::<Report>::decode(&not_json),
        Err(ChannelError::Unreadable(_))
    ));
    let number = wasm_bindgen::JsValue::from_f64(3.0);
    assert!(matches!(
        Envelope::<Report>::decode(&number),
        Err(ChannelError::NotAMessage(_))
    ));
    let unknown_slot =
        js_sys::JSON::parse(r#"{"json": "{\"type\": \"pong\"}", "buffers": {"secrets": 1}}"#).unwrap();
    assert!(matches!(
        Envelope::<Report>::decode(&unknown_slot),
        Err(ChannelError::UnknownSlot(_))
    ));
}
