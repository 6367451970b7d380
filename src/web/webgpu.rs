//! Choosing the backend in the browser: WebGPU where it can run Burn's
//! kernels, the CPU backend otherwise, decided before any kernel runs (a
//! failed kernel panics, and a panic in wasm cannot be caught).

#[cfg(feature = "train")]
use burn::tensor::Device;
use js_sys::{Function, Promise};

pub use crate::training::BackendChoice;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[cfg(feature = "train")]
use crate::backend;
use crate::web::{get, number};

pub use crate::device::{Adapter, Backend, CpuReason, WebGpuMissing};

/// The CPU backend, on as many threads as this worker has.
pub fn cpu_backend(reason: CpuReason) -> Backend {
    let (threads, one_thread_why) = crate::web::threads::cpu_threads();
    Backend::Cpu {
        reason,
        threads,
        one_thread_why,
    }
}

/// Runs one of our scripts in `shims/` (beside this file; trunk copies them
/// to `dist/shims/`). In a worker it is loaded as a script of the page's own
/// origin, which a Content-Security-Policy of `script-src 'self'` allows; in
/// the wasm-bindgen tests' page and the Node harness, which have no
/// `importScripts` (and no such policy), or if the file is missing, its
/// source, compiled in, is evaluated instead.
fn run_shim(file: &str, source: &str) -> Result<(), String> {
    let in_worker = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>().ok();
    if let Some(scope) = in_worker
        && scope.import_scripts_1(&format!("./shims/{file}")).is_ok()
    {
        return Ok(());
    }
    Function::new_no_args(source)
        .call0(&JsValue::NULL)
        .map(|_| ())
        .map_err(|e| format!("{file} failed: {e:?}"))
}

/// Installs the page's workaround for cubecl's subgroup kernels on WebGPU
/// (see `shims/subgroups.js`). Must run before Burn creates its device.
pub fn install_subgroups_shim() -> Result<(), String> {
    run_shim("subgroups.js", include_str!("shims/subgroups.js"))
        .map_err(|e| format!("the WebGPU shim failed: {e}"))
}

/// Times every kernel the WebGPU device runs (see `shims/dispatch_trace.js`):
/// for the benchmark page's kernel profile only, before the device opens.
pub fn install_dispatch_trace() -> Result<(), String> {
    run_shim("dispatch_trace.js", include_str!("shims/dispatch_trace.js"))
        .map_err(|e| format!("the dispatch trace failed: {e}"))
}

/// What the dispatch trace measured since the last call: JSON, one object
/// per kernel (`{kernel, launches, ms}`), slowest first; `None` without
/// the trace.
pub async fn take_dispatch_trace() -> Option<String> {
    let report: Function = get(&js_sys::global(), "cnnpTraceReport").dyn_into().ok()?;
    let promise: js_sys::Promise = report.call0(&JsValue::NULL).ok()?.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_string()
}

/// Makes every WebGPU device Burn opens tell the page when it is lost (see
/// `shims/device_lost.js`). Must run before Burn creates its device.
pub fn install_device_lost_watch() -> Result<(), String> {
    run_shim("device_lost.js", include_str!("shims/device_lost.js"))
        .map_err(|e| format!("the device-lost watch failed: {e}"))
}

/// Asks the browser for a WebGPU adapter and reads what it offers, or says
/// why there is none. Works in a page and in a worker.
pub async fn probe() -> Result<Adapter, WebGpuMissing> {
    let navigator = get(&js_sys::global(), "navigator");
    let gpu = get(&navigator, "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err(WebGpuMissing::NoNavigatorGpu);
    }
    let request: Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| WebGpuMissing::NoRequestAdapter)?;
    let promise: Promise = request
        .call0(&gpu)
        .map_err(|e| WebGpuMissing::RequestThrew {
            detail: format!("{e:?}"),
        })?
        .dyn_into()
        .map_err(|_| WebGpuMissing::NoPromise)?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| WebGpuMissing::RequestFailed {
            detail: format!("{e:?}"),
        })?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err(WebGpuMissing::NoAdapter);
    }
    let info = get(&adapter, "info");
    let name = ["vendor", "architecture", "description"]
        .iter()
        .filter_map(|key| get(&info, key).as_string())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let features = get(&adapter, "features");
    let has = get(&features, "has")
        .dyn_into::<Function>()
        .ok()
        .and_then(|has| has.call1(&features, &JsValue::from_str("subgroups")).ok())
        .and_then(|answer| answer.as_bool())
        .unwrap_or(false);
    let limits = get(&adapter, "limits");
    let lower = name.to_lowercase();
    let is_software = get(&info, "isFallbackAdapter").as_bool().unwrap_or(false)
        || ["swiftshader", "llvmpipe", "lavapipe", "warp"]
            .iter()
            .any(|s| lower.contains(s));
    Ok(Adapter {
        is_software,
        name: if name.is_empty() {
            "unnamed adapter".to_string()
        } else {
            name
        },
        has_subgroups: has,
        max_binding_bytes: number(&limits, "maxStorageBufferBindingSize"),
        max_buffer_bytes: number(&limits, "maxBufferSize"),
    })
}

/// The CPU backend's device, and the backend as the page shows it.
#[cfg(feature = "train")]
fn cpu(reason: CpuReason) -> (Device, Backend) {
    (backend::cpu(), cpu_backend(reason))
}

#[cfg(feature = "train")]
/// The device to train on, as `choice` asks: WebGPU when the adapter can run
/// Burn's kernels (and, for `Auto`, is not a software renderer), else the
/// CPU backend with the reason. `kept` is a WebGPU device made before: Burn
/// opens its wgpu runtime once, so it is reused rather than made again.
pub async fn choose(choice: BackendChoice, kept: Option<(Device, Adapter)>) -> (Device, Backend) {
    if choice == BackendChoice::Cpu {
        return cpu(CpuReason::Chosen);
    }
    let (adapter, kept_device) = match kept {
        Some((device, adapter)) => (adapter, Some(device)),
        None => match probe().await {
            Ok(adapter) => (adapter, None),
            Err(missing) => return cpu(CpuReason::Unavailable { missing }),
        },
    };
    if choice == BackendChoice::Auto && adapter.is_software {
        return cpu(CpuReason::Software {
            adapter: adapter.name,
        });
    }
    if let Some(device) = kept_device {
        return (device, Backend::WebGpu(adapter));
    }
    if !adapter.has_subgroups {
        // cubecl's kernels need subgroups in WebGPU (see the shim).
        return cpu(CpuReason::NoSubgroups {
            adapter: adapter.name,
        });
    }
    open_webgpu(adapter).await
}

/// The threaded CPU worker has no wgpu (see Cargo.toml's `webgpu`): the
/// page starts it for the CPU backend only.
#[cfg(all(feature = "train", not(feature = "webgpu")))]
async fn open_webgpu(adapter: Adapter) -> (Device, Backend) {
    cpu(CpuReason::CpuOnlyWorker {
        adapter: adapter.name,
    })
}

/// Opens Burn's wgpu device on the browser's WebGPU adapter.
#[cfg(feature = "webgpu")]
async fn open_webgpu(adapter: Adapter) -> (Device, Backend) {
    if let Err(reason) = install_subgroups_shim().and_then(|_| install_device_lost_watch()) {
        return cpu(CpuReason::Unavailable {
            missing: WebGpuMissing::Shim { detail: reason },
        });
    }
    // cubecl asks the adapter for all its limits (buffer sizes included),
    // not WebGPU's defaults, so large activations fit where the GPU allows.
    // Our kernels' tiles: large on a software renderer, spread on a GPU.
    crate::kernels::set_software_adapter(adapter.is_software);
    match Device::wgpu_options().init_async().await {
        Ok(device) => (device, Backend::WebGpu(adapter)),
        Err(e) => cpu(CpuReason::Unavailable {
            missing: WebGpuMissing::DeviceFailed {
                detail: e.to_string(),
            },
        }),
    }
}

/// The bytes Burn's memory pools reserve on `device`'s GPU, where it is a
/// WebGPU device; `None` on the CPU.
#[cfg(feature = "webgpu")]
pub fn device_bytes(device: &Device) -> Option<u64> {
    match device.clone().inner().as_dispatch() {
        burn::backend::DispatchDevice::Cube(cube) => Some(
            cube.client()
                .memory_report(cubecl::MemoryScope::Device)
                .usage()
                .bytes_reserved,
        ),
        _ => None,
    }
}

#[cfg(all(feature = "train", not(feature = "webgpu")))]
pub fn device_bytes(_: &Device) -> Option<u64> {
    None
}
