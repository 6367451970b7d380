//! What the page says about a run's data, its worker and its weights
//! files, typed: the status line, a lost worker, the weights bar's notes.

use serde::{Deserialize, Serialize};

use super::{Lang, Say};
use crate::arch::NetConfig;
use crate::i18n::page_train::FetchProblem;
use crate::protocol::WeightsFailure;

/// The data is in: "Fashion-MNIST: 60000 training and 10000 test images".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DataReady {
    pub train: usize,
    pub test: usize,
    pub from_cache: bool,
}

impl Say for DataReady {
    fn say(&self, lang: Lang) -> String {
        let DataReady {
            train,
            test,
            from_cache,
        } = *self;
        match (lang, from_cache) {
            (Lang::En, false) => format!("Fashion-MNIST: {train} training and {test} test images"),
            (Lang::En, true) => {
                format!("Fashion-MNIST: {train} training and {test} test images (from this browser's cache)")
            }
            (Lang::Zh, false) => format!("Fashion-MNIST：{train} 张训练图像，{test} 张测试图像"),
            (Lang::Zh, true) => {
                format!("Fashion-MNIST：{train} 张训练图像，{test} 张测试图像（来自浏览器缓存）")
            }
        }
    }
}

/// How the training worker was lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "loss", rename_all = "snake_case")]
pub enum WorkerLoss {
    /// It panicked: the panic's words.
    Panicked { message: String },
    /// A WebAssembly trap without a panic (running out of memory ends so).
    Trapped { detail: String },
    /// It stopped answering for `seconds`.
    Silent { seconds: u64 },
    /// The browser took the GPU away.
    DeviceLost { message: String },
    /// It stopped, with the browser's words.
    Stopped { detail: String },
    /// It could not start.
    CouldNotStart { detail: String },
}

impl Say for WorkerLoss {
    fn say(&self, lang: Lang) -> String {
        use WorkerLoss::*;
        match (self, lang) {
            (Panicked { message }, Lang::En) => format!("the training worker crashed: {message}"),
            (Panicked { message }, Lang::Zh) => format!("训练工作线程崩溃了：{message}"),
            (Trapped { detail }, Lang::En) => format!(
                "the training worker crashed ({detail}: a WebAssembly trap, as when it runs out of memory)"
            ),
            (Trapped { detail }, Lang::Zh) => {
                format!("训练工作线程崩溃了（{detail}：一次 WebAssembly 陷阱，内存耗尽时就会如此）")
            }
            (Silent { seconds }, Lang::En) => {
                format!("the training worker stopped answering for {seconds} s")
            }
            (Silent { seconds }, Lang::Zh) => format!("训练工作线程已有 {seconds} 秒没有应答"),
            (DeviceLost { message }, Lang::En) => format!("the GPU device was lost: {message}"),
            (DeviceLost { message }, Lang::Zh) => format!("GPU 设备丢失了：{message}"),
            (Stopped { detail }, Lang::En) => detail.clone(),
            (Stopped { detail }, Lang::Zh) => format!("训练工作线程停止了：{detail}"),
            (CouldNotStart { detail }, Lang::En) => format!("the training worker could not start: {detail}"),
            (CouldNotStart { detail }, Lang::Zh) => format!("训练工作线程无法启动：{detail}"),
        }
    }
}

/// A run stopped by the loss of its worker, and what the reader can do.
#[derive(Clone, Debug, PartialEq)]
pub struct RunLost {
    pub loss: WorkerLoss,
    /// WebGPU failed: the CPU backend takes over.
    pub cpu_takes_over: bool,
}

impl Say for RunLost {
    fn say(&self, lang: Lang) -> String {
        let loss = self.loss.say(lang);
        match (lang, self.cpu_takes_over) {
            (Lang::En, true) => {
                format!("training stopped: {loss}; the CPU backend takes over: press Train to go on")
            }
            (Lang::En, false) => format!("training stopped: {loss}; press Train to try again"),
            (Lang::Zh, true) => format!("训练停止了：{loss}；改由 CPU 后端接手：按“训练”继续"),
            (Lang::Zh, false) => format!("训练停止了：{loss}；按“训练”重试"),
        }
    }
}

/// Under the badge, after WebGPU failed.
#[derive(Clone, Debug, PartialEq)]
pub struct WebGpuFailed(pub WorkerLoss);

impl Say for WebGpuFailed {
    fn say(&self, lang: Lang) -> String {
        let loss = self.0.say(lang);
        match lang {
            Lang::En => format!("WebGPU failed ({loss}); switched to the CPU backend"),
            Lang::Zh => format!("WebGPU 出错了（{loss}）；已切换到 CPU 后端"),
        }
    }
}

/// What the weights bar says went right.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsNote {
    Fetching { path: String },
    Loading { name: String },
    Saved { file: String },
    Loaded(Box<Loaded>),
}

/// A weights file evaluated here.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub name: String,
    /// What a file of ours says of itself (its own English words).
    pub description: Option<String>,
    pub trained_epochs: Option<usize>,
    pub net: NetConfig,
    pub resize: usize,
    pub test_acc: f64,
    pub test_images: usize,
    /// The page switched to the file's net, from `was` (the net and input
    /// side it showed; `None`: settings with problems).
    pub switched: Option<Option<(NetConfig, usize)>>,
}

impl Say for WeightsNote {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (WeightsNote::Fetching { path }, Lang::En) => format!("fetching {path}…"),
            (WeightsNote::Fetching { path }, Lang::Zh) => format!("正在获取 {path}……"),
            (WeightsNote::Loading { name }, Lang::En) => format!("loading {name}…"),
            (WeightsNote::Loading { name }, Lang::Zh) => format!("正在加载 {name}……"),
            (WeightsNote::Saved { file }, Lang::En) => format!("saved {file}"),
            (WeightsNote::Saved { file }, Lang::Zh) => format!("已保存 {file}"),
            (WeightsNote::Loaded(loaded), _) => loaded.say(lang),
        }
    }
}

impl Say for Loaded {
    fn say(&self, lang: Lang) -> String {
        let Loaded {
            name,
            description,
            trained_epochs,
            net,
            resize,
            test_acc,
            test_images,
            switched,
        } = self;
        let (title, side) = (net.title(), *resize);
        let acc = format!("{test_acc:.3}");
        match lang {
            Lang::En => {
                let what = description.as_ref().map_or(String::new(), |d| format!(" ({d})"));
                let switched = match switched {
                    None => String::new(),
                    Some(was) => {
                        let was = match was {
                            Some((net, side)) => format!("{} at {side}×{side}", net.title()),
                            None => "settings with problems".to_string(),
                        };
                        format!(
                            "; the page now shows the file's net, {title} at {side}×{side} (it showed {was})"
                        )
                    }
                };
                format!("loaded {name}{what}: test acc {acc} on {test_images} test images{switched}")
            }
            Lang::Zh => {
                let what = match (description, trained_epochs) {
                    (None, _) => String::new(),
                    (Some(_), Some(epochs)) => format!("（{title}，{side}×{side}，已训练 {epochs} 轮）"),
                    (Some(_), None) => format!("（{title}，{side}×{side}）"),
                };
                let switched = match switched {
                    None => String::new(),
                    Some(was) => {
                        let was = match was {
                            Some((net, side)) => format!("{}，{side}×{side}", net.title()),
                            None => "有问题的设置".to_string(),
                        };
                        format!("；页面已改为显示文件中的网络：{title}，{side}×{side}（原先显示的是 {was}）")
                    }
                };
                format!("已加载 {name}{what}：在 {test_images} 张测试图像上的测试精度为 {acc}{switched}")
            }
        }
    }
}

/// What the weights bar says went wrong (nothing changed).
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsProblem {
    /// The worker's refusal.
    Failed(WeightsFailure),
    /// The form's settings do not describe a net yet.
    FixSettingsFirst,
    /// A picked file could not be read.
    Unreadable { name: String, detail: String },
    /// A weights file on this site could not be fetched.
    NotFetched(FetchProblem),
    /// The browser refused the download of a saved file.
    DownloadFailed { detail: String },
    /// The form's settings do not describe a net to export.
    ExportNeedsSettings,
    /// The PyTorch export reads Fashion-MNIST only; the net is for other data.
    ExportFashionOnly { channels: usize, classes: usize },
}

impl Say for WeightsProblem {
    fn say(&self, lang: Lang) -> String {
        use WeightsProblem::*;
        match (self, lang) {
            (Failed(failure), _) => failure.say(lang),
            (FixSettingsFirst, Lang::En) => {
                "fix the settings first: the weights are for the net they describe".to_string()
            }
            (FixSettingsFirst, Lang::Zh) => "请先修正设置：权重对应的是设置所描述的网络".to_string(),
            (Unreadable { name, detail }, Lang::En) => format!("{name} could not be read: {detail}"),
            (Unreadable { name, detail }, Lang::Zh) => format!("无法读取 {name}：{detail}"),
            (NotFetched(problem), Lang::En) => {
                format!("the weights could not be loaded: {}", problem.say(lang))
            }
            (NotFetched(problem), Lang::Zh) => format!("无法加载权重：{}", problem.say(lang)),
            (DownloadFailed { detail }, Lang::En) => format!("the download failed: {detail}"),
            (DownloadFailed { detail }, Lang::Zh) => format!("下载失败：{detail}"),
            (ExportNeedsSettings, Lang::En) => {
                "fix the settings first: the export is the net and run they describe".to_string()
            }
            (ExportNeedsSettings, Lang::Zh) => "请先修正设置：导出的是设置所描述的网络和训练".to_string(),
            (ExportFashionOnly { channels, classes }, Lang::En) => format!(
                "the PyTorch export reads Fashion-MNIST only (1 channel, 10 classes); it cannot yet write this net \
                 for your images ({channels} channel(s), {classes} classes): go back to Fashion-MNIST to export"
            ),
            (ExportFashionOnly { channels, classes }, Lang::Zh) => format!(
                "PyTorch 导出目前只读取 Fashion-MNIST（1 个通道、10 个类别），还不能为你的图像（{channels} 个通道、{classes} 个类别）写出这个网络：改回 Fashion-MNIST 后即可导出"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::i18n::check_message;

    #[test]
    fn the_status_and_a_lost_worker_in_both_languages() {
        let ready = DataReady {
            train: 60_000,
            test: 10_000,
            from_cache: true,
        };
        assert_eq!(
            ready.say(Lang::En),
            "Fashion-MNIST: 60000 training and 10000 test images (from this browser's cache)"
        );
        check_message(&ready, &["60000", "10000"]);
        check_message(
            &DataReady {
                from_cache: false,
                ..ready
            },
            &["60000"],
        );
        let loss = || WorkerLoss::Silent { seconds: 9 };
        check_message(&loss(), &["9"]);
        let lost = RunLost {
            loss: loss(),
            cpu_takes_over: false,
        };
        assert_eq!(
            lost.say(Lang::En),
            "training stopped: the training worker stopped answering for 9 s; press Train to try again"
        );
        check_message(&lost, &["9"]);
        check_message(
            &RunLost {
                loss: loss(),
                cpu_takes_over: true,
            },
            &["9"],
        );
        check_message(&WebGpuFailed(loss()), &["9"]);
        for loss in [
            WorkerLoss::Panicked {
                message: "panicked at x".into(),
            },
            WorkerLoss::Trapped {
                detail: "unreachable".into(),
            },
            WorkerLoss::DeviceLost {
                message: "gone".into(),
            },
            WorkerLoss::Stopped {
                detail: "Uncaught Error".into(),
            },
            WorkerLoss::CouldNotStart {
                detail: "SecurityError".into(),
            },
        ] {
            check_message(
                &RunLost {
                    loss,
                    cpu_takes_over: false,
                },
                &[],
            );
        }
    }

    #[test]
    fn the_weights_bar_in_both_languages() {
        let net = NetConfig::default_for(Arch::LeNet);
        let loaded = Loaded {
            name: "lenet.safetensors".into(),
            description: Some("LeNet (d2l §6.6), 28×28, trained 10 epochs".into()),
            trained_epochs: Some(10),
            net: net.clone(),
            resize: 28,
            test_acc: 0.8123,
            test_images: 10_000,
            switched: Some(Some((NetConfig::default_for(Arch::BnLeNet), 28))),
        };
        assert_eq!(
            loaded.say(Lang::En),
            "loaded lenet.safetensors (LeNet (d2l §6.6), 28×28, trained 10 epochs): test acc 0.812 on 10000 \
             test images; the page now shows the file's net, LeNet at 28×28 (it showed LeNet + BatchNorm at 28×28)"
        );
        check_message(
            &WeightsNote::Loaded(Box::new(loaded)),
            &["lenet.safetensors", "0.812", "10000"],
        );
        for note in [
            WeightsNote::Fetching {
                path: "a/b.safetensors".into(),
            },
            WeightsNote::Loading {
                name: "a/b.safetensors".into(),
            },
            WeightsNote::Saved {
                file: "a/b.safetensors".into(),
            },
        ] {
            check_message(&note, &["a/b.safetensors"]);
        }
        for problem in [
            WeightsProblem::Failed(WeightsFailure::NoWeightsYet),
            WeightsProblem::FixSettingsFirst,
            WeightsProblem::Unreadable {
                name: "x".into(),
                detail: "y".into(),
            },
            WeightsProblem::NotFetched(FetchProblem::NotFound {
                url: "missing.safetensors".into(),
                status: 404,
            }),
            WeightsProblem::DownloadFailed { detail: "d".into() },
            WeightsProblem::ExportNeedsSettings,
        ] {
            check_message(&problem, &[]);
        }
    }
}
