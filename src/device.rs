//! The backend a run uses, as the page shows it: WebGPU on an adapter, or
//! the CPU backend on its threads, and why — typed, so the page says it in
//! the reader's language. Plain data: the browser's code that finds them
//! is `web::webgpu` and `web::threads`.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Say};
use crate::training::{FitError, TrainConfig};

/// What the browser's WebGPU adapter offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adapter {
    /// e.g. "google swiftshader" or "nvidia ampere".
    pub name: String,
    pub has_subgroups: bool,
    /// `maxStorageBufferBindingSize`: the largest tensor a kernel can bind.
    pub max_binding_bytes: u64,
    /// `maxBufferSize`.
    pub max_buffer_bytes: u64,
    /// A software renderer (SwiftShader, llvmpipe, lavapipe, WARP): WebGPU on the CPU.
    pub is_software: bool,
}

/// The backend a run uses, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Backend {
    WebGpu(Adapter),
    Cpu {
        /// Why not WebGPU.
        reason: CpuReason,
        /// The threads Burn's CPU backend splits its work over.
        #[serde(default = "one")]
        threads: usize,
        /// Why there is only one thread, where so.
        #[serde(default)]
        one_thread_why: Option<OneThread>,
    },
}

fn one() -> usize {
    1
}

/// Why a run is on the CPU backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum CpuReason {
    /// The reader asked for it.
    Chosen,
    /// The browser offers no WebGPU that works.
    Unavailable { missing: WebGpuMissing },
    /// `auto` on a software renderer, which the CPU backend outruns.
    Software { adapter: String },
    /// cubecl's kernels need subgroups in WebGPU.
    NoSubgroups { adapter: String },
    /// The threaded worker has no wgpu.
    CpuOnlyWorker { adapter: String },
}

/// What is missing for WebGPU, as the browser said it (its own words,
/// where it gave any, stay as they came: `detail`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum WebGpuMissing {
    NoNavigatorGpu,
    NoRequestAdapter,
    RequestThrew {
        detail: String,
    },
    NoPromise,
    RequestFailed {
        detail: String,
    },
    /// No adapter: the GPU is blocklisted or WebGPU disabled.
    NoAdapter,
    /// Our page's WebGPU workarounds could not be installed.
    Shim {
        detail: String,
    },
    /// Burn could not open the device.
    DeviceFailed {
        detail: String,
    },
}

/// Why the CPU backend runs on one thread only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum OneThread {
    /// Shared memory needs the COOP and COEP headers.
    NotIsolated,
    SingleCore,
    /// This site was built without the threaded worker.
    NotBuilt,
    /// The pool of threads did not start.
    PoolFailed {
        detail: String,
    },
}

impl Backend {
    /// How the book's line names it: "… examples/sec on WebGPU".
    pub fn short_name(&self) -> &'static str {
        match self {
            Backend::WebGpu(_) => "WebGPU",
            Backend::Cpu { .. } => "CPU",
        }
    }

    /// The largest single tensor this backend can hold.
    pub fn max_tensor_bytes(&self) -> Option<u64> {
        match self {
            Backend::WebGpu(adapter) => Some(adapter.max_binding_bytes.min(adapter.max_buffer_bytes)),
            Backend::Cpu { .. } => None,
        }
    }

    /// Whether a run of `config` fits this backend, or why not and which
    /// batch would: on WebGPU its largest tensor in one buffer, on the CPU
    /// its whole step in the tab's wasm memory (a step that does not fit
    /// aborts the worker mid-run).
    pub fn check_fits(&self, config: &TrainConfig) -> Result<(), FitError> {
        match self.max_tensor_bytes() {
            Some(limit) => crate::training::check_fits(config, limit),
            None => crate::training::check_memory(config, crate::training::WASM32_MEMORY_BYTES),
        }
    }

    /// The backend and its adapter or threads, without the reason:
    /// "WebGPU (google swiftshader)", "CPU, 2 threads".
    pub fn label(&self) -> BackendLabel {
        match self {
            Backend::WebGpu(adapter) => BackendLabel::WebGpu {
                adapter: adapter.name.clone(),
            },
            Backend::Cpu { threads, .. } => BackendLabel::Cpu { threads: *threads },
        }
    }

    /// Why the CPU backend runs on one thread only, as a sentence.
    pub fn threads_note(&self) -> Option<ThreadsNote> {
        match self {
            Backend::Cpu {
                threads: 1,
                one_thread_why: Some(why),
                ..
            } => Some(ThreadsNote(why.clone())),
            _ => None,
        }
    }
}

/// A backend without its reason, as the run history keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum BackendLabel {
    WebGpu { adapter: String },
    Cpu { threads: usize },
}

/// "The CPU backend runs on one thread: …".
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadsNote(pub OneThread);

/// "CPU, 1 thread" / "CPU，1 个线程".
fn threads(threads: usize, lang: Lang) -> String {
    match (lang, threads) {
        (Lang::En, 1) => "CPU, 1 thread".to_string(),
        (Lang::En, n) => format!("CPU, {n} threads"),
        (Lang::Zh, n) => format!("CPU，{n} 个线程"),
    }
}

impl Say for BackendLabel {
    fn say(&self, lang: Lang) -> String {
        match self {
            BackendLabel::WebGpu { adapter } => format!("WebGPU ({adapter})"),
            BackendLabel::Cpu { threads: n } => threads(*n, lang),
        }
    }
}

/// The badge: "WebGPU — google swiftshader", "CPU, 2 threads — chosen".
impl Say for Backend {
    fn say(&self, lang: Lang) -> String {
        match self {
            Backend::WebGpu(adapter) => format!("WebGPU — {}", adapter.name),
            Backend::Cpu {
                reason, threads: n, ..
            } => format!("{} — {}", threads(*n, lang), reason.say(lang)),
        }
    }
}

impl Say for CpuReason {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (CpuReason::Chosen, Lang::En) => "chosen".to_string(),
            (CpuReason::Chosen, Lang::Zh) => "按所选".to_string(),
            (CpuReason::Unavailable { missing }, Lang::En) => {
                format!("WebGPU unavailable: {}", missing.say(lang))
            }
            (CpuReason::Unavailable { missing }, Lang::Zh) => format!("WebGPU 不可用：{}", missing.say(lang)),
            (CpuReason::Software { adapter }, Lang::En) => {
                format!("WebGPU here is a software renderer ({adapter}), slower than the CPU backend")
            }
            (CpuReason::Software { adapter }, Lang::Zh) => {
                format!("这里的 WebGPU 是软件渲染器（{adapter}），比 CPU 后端还慢")
            }
            (CpuReason::NoSubgroups { adapter }, Lang::En) => {
                format!("WebGPU unavailable: {adapter} lacks the subgroups feature Burn's kernels need")
            }
            (CpuReason::NoSubgroups { adapter }, Lang::Zh) => {
                format!("WebGPU 不可用：{adapter} 缺少 Burn 的内核所需的 subgroups 特性")
            }
            (CpuReason::CpuOnlyWorker { adapter }, Lang::En) => {
                format!("this worker runs the CPU backend only, not WebGPU on {adapter}")
            }
            (CpuReason::CpuOnlyWorker { adapter }, Lang::Zh) => {
                format!("这个工作线程只运行 CPU 后端，不在 {adapter} 上运行 WebGPU")
            }
        }
    }
}

impl Say for WebGpuMissing {
    fn say(&self, lang: Lang) -> String {
        use WebGpuMissing::*;
        match (self, lang) {
            (NoNavigatorGpu, Lang::En) => "this browser has no navigator.gpu".to_string(),
            (NoNavigatorGpu, Lang::Zh) => "这个浏览器没有 navigator.gpu".to_string(),
            (NoRequestAdapter, Lang::En) => "navigator.gpu.requestAdapter is missing".to_string(),
            (NoRequestAdapter, Lang::Zh) => "缺少 navigator.gpu.requestAdapter".to_string(),
            (RequestThrew { detail }, Lang::En) => format!("requestAdapter threw {detail}"),
            (RequestThrew { detail }, Lang::Zh) => format!("requestAdapter 抛出了 {detail}"),
            (NoPromise, Lang::En) => "requestAdapter gave no promise".to_string(),
            (NoPromise, Lang::Zh) => "requestAdapter 没有返回 promise".to_string(),
            (RequestFailed { detail }, Lang::En) => format!("requestAdapter failed: {detail}"),
            (RequestFailed { detail }, Lang::Zh) => format!("requestAdapter 失败：{detail}"),
            (NoAdapter, Lang::En) => "no WebGPU adapter (is the GPU blocklisted or disabled?)".to_string(),
            (NoAdapter, Lang::Zh) => "没有 WebGPU 适配器（GPU 是否被列入黑名单或被禁用？）".to_string(),
            (Shim { detail }, Lang::En) => detail.clone(),
            (Shim { detail }, Lang::Zh) => format!("无法安装页面的 WebGPU 补丁：{detail}"),
            (DeviceFailed { detail }, Lang::En) => format!("Burn could not open the device: {detail}"),
            (DeviceFailed { detail }, Lang::Zh) => format!("Burn 无法打开设备：{detail}"),
        }
    }
}

impl Say for ThreadsNote {
    fn say(&self, lang: Lang) -> String {
        let why = match (&self.0, lang) {
            (OneThread::NotIsolated, Lang::En) => {
                "the page is not cross-origin isolated (it needs the COOP and COEP headers the README names)"
                    .to_string()
            }
            (OneThread::NotIsolated, Lang::Zh) => {
                "页面没有跨源隔离（需要 README 中列出的 COOP 和 COEP 响应头）".to_string()
            }
            (OneThread::SingleCore, Lang::En) => "the browser reports a single core".to_string(),
            (OneThread::SingleCore, Lang::Zh) => "浏览器报告只有一个核心".to_string(),
            (OneThread::NotBuilt, Lang::En) => {
                "the threaded worker was not built with this page (scripts/build-threads.sh)".to_string()
            }
            (OneThread::NotBuilt, Lang::Zh) => {
                "这个页面没有构建多线程工作线程（scripts/build-threads.sh）".to_string()
            }
            (OneThread::PoolFailed { detail }, Lang::En) => detail.clone(),
            (OneThread::PoolFailed { detail }, Lang::Zh) => format!("线程池没有启动：{detail}"),
        };
        match lang {
            Lang::En => format!("The CPU backend runs on one thread: {why}."),
            Lang::Zh => format!("CPU 后端只在一个线程上运行：{why}。"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    fn cpu(reason: CpuReason, threads: usize) -> Backend {
        Backend::Cpu {
            reason,
            threads,
            one_thread_why: None,
        }
    }

    #[test]
    fn the_badge_says_the_backend_and_why_in_both_languages() {
        let software = cpu(
            CpuReason::Software {
                adapter: "google swiftshader".to_string(),
            },
            2,
        );
        assert_eq!(
            software.say(Lang::En),
            "CPU, 2 threads — WebGPU here is a software renderer (google swiftshader), slower than the CPU backend"
        );
        check_message(&software, &["2", "google swiftshader"]);
        assert_eq!(cpu(CpuReason::Chosen, 1).say(Lang::En), "CPU, 1 thread — chosen");
        check_message(&cpu(CpuReason::Chosen, 4), &["4"]);
        for missing in [
            WebGpuMissing::NoNavigatorGpu,
            WebGpuMissing::NoRequestAdapter,
            WebGpuMissing::NoPromise,
            WebGpuMissing::NoAdapter,
        ] {
            check_message(&CpuReason::Unavailable { missing }, &[]);
        }
        for detail in ["Error: boom"] {
            let detail = detail.to_string();
            for missing in [
                WebGpuMissing::RequestThrew {
                    detail: detail.clone(),
                },
                WebGpuMissing::RequestFailed {
                    detail: detail.clone(),
                },
                WebGpuMissing::DeviceFailed {
                    detail: detail.clone(),
                },
            ] {
                check_message(&CpuReason::Unavailable { missing }, &["Error: boom"]);
            }
        }
        let adapter = "nvidia ampere".to_string();
        check_message(
            &CpuReason::NoSubgroups {
                adapter: adapter.clone(),
            },
            &["nvidia ampere"],
        );
        check_message(&CpuReason::CpuOnlyWorker { adapter }, &["nvidia ampere"]);
    }

    #[test]
    fn one_thread_says_why() {
        let note = ThreadsNote(OneThread::NotIsolated);
        assert!(
            note.say(Lang::En)
                .starts_with("The CPU backend runs on one thread: the page is not cross-origin isolated")
        );
        for why in [OneThread::NotIsolated, OneThread::SingleCore, OneThread::NotBuilt] {
            check_message(&ThreadsNote(why), &[]);
        }
        check_message(&ThreadsNote(OneThread::PoolFailed { detail: "x".into() }), &[]);
        check_message(&BackendLabel::Cpu { threads: 2 }, &["2"]);
        assert_eq!(BackendLabel::Cpu { threads: 1 }.say(Lang::En), "CPU, 1 thread");
    }
}
