//! What a run shows as it goes: the download, the progress, the first
//! step's wait, the memory after each epoch. The epoch and batch numbers
//! are plain digits, as the book's loop counts them; speeds and sizes go
//! through the reader's locale.

use super::TrainText;
use crate::i18n::{Catalogue, Lang, Say};

/// A data file on its way: `downloading train-images-idx3-ubyte.gz: 5.1
/// MiB of 25.2 MiB`.
#[derive(Clone, Debug, PartialEq)]
pub struct Downloading {
    pub file: String,
    pub loaded: u64,
    /// The file's size, when the server says it.
    pub total: Option<u64>,
}

impl Say for Downloading {
    fn say(&self, lang: Lang) -> String {
        let (file, loaded) = (&self.file, lang.bytes(self.loaded));
        match (self.total.map(|total| lang.bytes(total)), lang) {
            (Some(total), Lang::En) => format!("downloading {file}: {loaded} of {total}"),
            (Some(total), Lang::Zh) => format!("正在下载 {file}：{loaded} / {total}"),
            (None, Lang::En) => format!("downloading {file}: {loaded}"),
            (None, Lang::Zh) => format!("正在下载 {file}：{loaded}"),
        }
    }
}

/// The data did not load: `The data could not be loaded: …` (the worker's
/// reason, as it comes).
#[derive(Clone, Debug, PartialEq)]
pub struct DataNotLoaded {
    pub reason: crate::protocol::DataLoadError,
}

impl Say for DataNotLoaded {
    fn say(&self, lang: Lang) -> String {
        let reason = self.reason.say(lang);
        match lang {
            Lang::En => format!("The data could not be loaded: {reason}"),
            Lang::Zh => format!("数据无法加载：{reason}"),
        }
    }
}

/// The progress bar's label: `epoch 1 of 2: batch 40 of 235 · 812.4
/// examples/sec`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub epoch: usize,
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    pub doing: Doing,
}

/// What a run in progress is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Doing {
    Paused,
    Evaluating,
    /// Training, at this many examples a second (once measured).
    Training(Option<f64>),
}

impl Say for Progress {
    fn say(&self, lang: Lang) -> String {
        let Progress {
            epoch,
            epochs,
            batch,
            batches,
            doing,
        } = *self;
        let doing = match (doing, lang) {
            (Doing::Paused, lang) => TrainText::Paused.get(lang).to_string(),
            (Doing::Evaluating, lang) => TrainText::Evaluating.get(lang).to_string(),
            (Doing::Training(None), _) => String::new(),
            (Doing::Training(Some(speed)), Lang::En) => format!("{} examples/sec", lang.number(speed, 1)),
            (Doing::Training(Some(speed)), Lang::Zh) => format!("{} 样本/秒", lang.number(speed, 1)),
        };
        match lang {
            Lang::En => format!("epoch {epoch} of {epochs}: batch {batch} of {batches} · {doing}"),
            Lang::Zh => format!("第 {epoch}/{epochs} 轮：第 {batch}/{batches} 个批量 · {doing}"),
        }
    }
}

/// The first step's wait, once over: on WebGPU the kernels' compilation
/// (`kernels ready in 4.2 s`), on the CPU only the first step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FirstStep {
    pub gpu: bool,
    pub seconds: f64,
}

impl Say for FirstStep {
    fn say(&self, lang: Lang) -> String {
        let seconds = lang.number(self.seconds, 1);
        match (self.gpu, lang) {
            (true, Lang::En) => format!("kernels ready in {seconds} s"),
            (true, Lang::Zh) => format!("GPU 内核 {seconds} 秒就绪"),
            (false, Lang::En) => format!("first step in {seconds} s"),
            (false, Lang::Zh) => format!("第一步用时 {seconds} 秒"),
        }
    }
}

/// The net's GPU kernels, compiled while the reader reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelsReady {
    pub seconds: f64,
}

impl Say for KernelsReady {
    fn say(&self, lang: Lang) -> String {
        let seconds = lang.number(self.seconds, 1);
        match lang {
            Lang::En => format!(
                "GPU kernels for this net compiled in advance ({seconds} s): training starts without that wait."
            ),
            Lang::Zh => format!("已提前为这个网络编译好 GPU 内核（{seconds} 秒）：训练开始时不必再等。"),
        }
    }
}

/// An epoch's line's tooltip: `worker memory after this epoch: 180.3 MiB;
/// on the GPU: 21.0 MiB`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochMemory {
    pub wasm_bytes: u64,
    pub device_bytes: Option<u64>,
}

impl Say for EpochMemory {
    fn say(&self, lang: Lang) -> String {
        let wasm = lang.bytes(self.wasm_bytes);
        let gpu = self.device_bytes.map(|bytes| lang.bytes(bytes));
        match (gpu, lang) {
            (Some(gpu), Lang::En) => format!("worker memory after this epoch: {wasm}; on the GPU: {gpu}"),
            (Some(gpu), Lang::Zh) => format!("本轮结束后训练线程的内存：{wasm}；GPU 上：{gpu}"),
            (None, Lang::En) => format!("worker memory after this epoch: {wasm}"),
            (None, Lang::Zh) => format!("本轮结束后训练线程的内存：{wasm}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn what_a_run_shows_as_it_goes() {
        let download = Downloading {
            file: "train-images-idx3-ubyte.gz".into(),
            loaded: 5_360_168,
            total: Some(26_421_880),
        };
        check_message(&download, &["train-images-idx3-ubyte.gz", "5.1 MiB", "25.2 MiB"]);
        check_message(
            &Downloading {
                total: None,
                ..download
            },
            &["5.1 MiB"],
        );
        check_message(
            &DataNotLoaded {
                reason: crate::protocol::DataLoadError::Download(crate::protocol::DownloadError::Status {
                    url: "t10k-labels-idx1-ubyte.gz".into(),
                    status: 404,
                    text: "Not Found".into(),
                }),
            },
            &["404", "t10k-labels"],
        );
        for doing in [Doing::Paused, Doing::Evaluating, Doing::Training(Some(812.44))] {
            let progress = Progress {
                epoch: 1,
                epochs: 2,
                batch: 40,
                batches: 235,
                doing,
            };
            check_message(&progress, &["1", "2", "40", "235"]);
        }
        let progress = Progress {
            epoch: 1,
            epochs: 2,
            batch: 40,
            batches: 235,
            doing: Doing::Training(Some(812.44)),
        };
        assert_eq!(
            progress.say(Lang::En),
            "epoch 1 of 2: batch 40 of 235 · 812.4 examples/sec"
        );
        for gpu in [true, false] {
            check_message(&FirstStep { gpu, seconds: 4.24 }, &["4.2"]);
        }
        check_message(&KernelsReady { seconds: 12.0 }, &["12.0"]);
        check_message(
            &EpochMemory {
                wasm_bytes: 189_000_000,
                device_bytes: Some(22_020_096),
            },
            &["180.2 MiB", "21.0 MiB"],
        );
    }
}
