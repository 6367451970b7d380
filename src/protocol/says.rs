//! What the worker reports in words, typed: each refusal and failure with
//! its numbers and names, and the states the page names (which weights a
//! look inside saw, when predictions were made). The page says them in the
//! reader's language; the browser's and libraries' own words, where they
//! gave any, come along as `detail` and stay as they came.

use serde::{Deserialize, Serialize};

use super::Images;
use crate::arch::NetIo;
use crate::i18n::{Lang, Say};
use crate::training::{FitError, TrainError};
use crate::weights::WeightsError;

/// Why the worker refused a run (or a job like one) or broke it off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum WorkerError {
    /// A run (a benchmark, a weights file being checked) holds the worker.
    Busy,
    /// What came is not a command of this worker's.
    NotUnderstood {
        detail: String,
    },
    /// The worker's answer could not be posted.
    CouldNotSend {
        detail: String,
    },
    NoData,
    /// The worker holds the first `here` images of the shards, fewer than
    /// the run needs: it does not start on part of its data.
    TooFewImages {
        here: Images,
        needs: Images,
    },
    NoBackend,
    /// The net is built for other images or classes than the data held
    /// (a link's net over images of one's own, or the other way round).
    NetNotForData {
        net: NetIo,
        data: NetIo,
    },
    /// The run does not fit the backend: why, and what would.
    DoesNotFit {
        problem: FitError,
    },
    /// "Train on from these weights" with none of this net kept.
    NoWeightsToContinue,
    /// The run could not start or broke off.
    Training {
        problem: TrainError,
    },
    /// The benchmark's kernel trace could not be installed.
    Trace {
        detail: String,
    },
}

impl Say for WorkerError {
    fn say(&self, lang: Lang) -> String {
        use WorkerError::*;
        match (self, lang) {
            (Busy, Lang::En) => "a run is already going; stop it first".to_string(),
            (Busy, Lang::Zh) => "已有一次训练在进行；请先停止它".to_string(),
            (NotUnderstood { detail }, Lang::En) => {
                format!("the worker got a message it does not understand ({detail})")
            }
            (NotUnderstood { detail }, Lang::Zh) => format!("训练工作线程收到了它无法理解的消息（{detail}）"),
            (CouldNotSend { detail }, Lang::En) => format!("the worker could not send its answer: {detail}"),
            (CouldNotSend { detail }, Lang::Zh) => format!("训练工作线程无法发回它的答复：{detail}"),
            (NoData, Lang::En) => "the data is not loaded yet".to_string(),
            (NoData, Lang::Zh) => "数据还没有加载".to_string(),
            (TooFewImages { here, needs }, Lang::En) => format!(
                "the worker holds {} training and {} test images; this run needs {} and {}",
                here.train, here.test, needs.train, needs.test
            ),
            (TooFewImages { here, needs }, Lang::Zh) => format!(
                "训练工作线程只有 {} 张训练图像和 {} 张测试图像；这次训练需要 {} 张和 {} 张",
                here.train, here.test, needs.train, needs.test
            ),
            (NetNotForData { net, data }, Lang::En) => format!(
                "the net takes {} channel(s) and has {} classes, but the data has {} channel(s) and {} classes",
                net.in_channels, net.classes, data.in_channels, data.classes
            ),
            (NetNotForData { net, data }, Lang::Zh) => format!(
                "网络接受 {} 个输入通道、输出 {} 个类别，而数据有 {} 个通道、{} 个类别",
                net.in_channels, net.classes, data.in_channels, data.classes
            ),
            (NoBackend, Lang::En) => "no backend chosen yet".to_string(),
            (NoBackend, Lang::Zh) => "还没有选定后端".to_string(),
            (DoesNotFit { problem }, _) => problem.say(lang),
            (NoWeightsToContinue, Lang::En) => {
                "there are no weights of this net at this input size to continue from".to_string()
            }
            (NoWeightsToContinue, Lang::Zh) => "没有这个网络在这个输入尺寸下的权重可以接着训练".to_string(),
            (Training { problem }, _) => problem.say(lang),
            (Trace { detail }, Lang::En) => format!("the kernel trace could not be installed: {detail}"),
            (Trace { detail }, Lang::Zh) => format!("无法安装内核追踪：{detail}"),
        }
    }
}

/// Why a look inside the net got no answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum InsideError {
    NoBackend,
    /// The test images are not loaded yet.
    NoData,
    NoSuchTestImage {
        index: usize,
        count: usize,
    },
    /// One's own picture did not arrive as `side`×`side` grey levels.
    OwnPictureMalformed {
        side: usize,
    },
    /// The net could not be built or run: why.
    Look {
        problem: TrainError,
    },
    /// The test images could not be evaluated: why.
    Evaluate {
        problem: TrainError,
    },
}

impl Say for InsideError {
    fn say(&self, lang: Lang) -> String {
        use InsideError::*;
        match (self, lang) {
            (NoBackend, Lang::En) => "no backend chosen yet".to_string(),
            (NoBackend, Lang::Zh) => "还没有选定后端".to_string(),
            (NoData, Lang::En) => "the test images are not loaded yet".to_string(),
            (NoData, Lang::Zh) => "测试图像还没有加载".to_string(),
            (NoSuchTestImage { index, count }, Lang::En) => {
                format!("there is no test image {index}: the test set has {count}")
            }
            (NoSuchTestImage { index, count }, Lang::Zh) => {
                format!("没有第 {index} 张测试图像：测试集共有 {count} 张")
            }
            (OwnPictureMalformed { side }, Lang::En) => {
                format!("your picture did not arrive as {side}×{side} grey levels")
            }
            (OwnPictureMalformed { side }, Lang::Zh) => format!("你的图片没有以 {side}×{side} 的灰度值送达"),
            (Look { problem }, _) => problem.say(lang),
            (Evaluate { problem }, Lang::En) => {
                format!("evaluating the test images failed: {}", problem.say(lang))
            }
            (Evaluate { problem }, Lang::Zh) => format!("评估测试图像失败：{}", problem.say(lang)),
        }
    }
}

/// Why saving or loading a weights file failed (nothing changed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum WeightsFailure {
    /// Nothing trained or looked at yet.
    NoWeightsYet,
    NoBackend,
    NoData,
    CouldNotSave {
        problem: WeightsError,
    },
    /// The file `name` is not weights of this net: why.
    File {
        name: String,
        problem: WeightsError,
    },
    Evaluate {
        name: String,
        problem: TrainError,
    },
    /// The file's net takes other images or classes than the data held.
    NotForData {
        name: String,
        net: NetIo,
        data: NetIo,
    },
}

impl Say for WeightsFailure {
    fn say(&self, lang: Lang) -> String {
        use WeightsFailure::*;
        match (self, lang) {
            (NoWeightsYet, Lang::En) => {
                "there are no weights yet: train the net, or look inside it, first".to_string()
            }
            (NoWeightsYet, Lang::Zh) => "还没有权重：请先训练网络，或先看看它的内部".to_string(),
            (NoBackend, Lang::En) => "no backend chosen yet".to_string(),
            (NoBackend, Lang::Zh) => "还没有选定后端".to_string(),
            (NoData, Lang::En) => "the test images are not loaded yet".to_string(),
            (NoData, Lang::Zh) => "测试图像还没有加载".to_string(),
            (CouldNotSave { problem }, Lang::En) => {
                format!("the weights could not be saved: {}", problem.say(lang))
            }
            (CouldNotSave { problem }, Lang::Zh) => format!("无法保存权重：{}", problem.say(lang)),
            (File { name, problem }, _) => format!("{name}: {}", problem.say(lang)),
            (Evaluate { name, problem }, Lang::En) => {
                format!("{name}: evaluating it failed: {}", problem.say(lang))
            }
            (NotForData { name, net, data }, _) => {
                let why = WorkerError::NetNotForData {
                    net: *net,
                    data: *data,
                }
                .say(lang);
                lang.pick(format!("{name}: {why}"), format!("{name}：{why}"))
            }
            (Evaluate { name, problem }, Lang::Zh) => format!("{name}：评估失败：{}", problem.say(lang)),
        }
    }
}

/// Where a run is: epoch `epoch`, step `batch` of `batches`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPosition {
    pub epoch: usize,
    pub batch: usize,
    pub batches: usize,
}

impl Say for RunPosition {
    fn say(&self, lang: Lang) -> String {
        let RunPosition {
            epoch,
            batch,
            batches,
        } = *self;
        match lang {
            Lang::En => format!("epoch {epoch}, step {batch} of {batches}"),
            Lang::Zh => format!("第 {epoch} 轮，第 {batch}/{batches} 步"),
        }
    }
}

/// Which weights a look inside saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "weights", rename_all = "snake_case")]
pub enum InsideWeights {
    /// A fresh net: random filters.
    Untrained,
    /// A run's, before its first step.
    BeforeFirstStep,
    /// A run's, after `epoch` epochs and before the next's first step.
    AfterEpoch { epoch: usize },
    /// A run's, as they are at `at`.
    Training { at: RunPosition },
    /// A finished (or stopped) run's, after `epochs` epochs.
    Trained { epochs: usize },
    /// A run stopped before its first epoch ended.
    StoppedBeforeFirstEpoch,
    /// Loaded from the file `name`.
    LoadedFrom { name: String },
}

impl Say for InsideWeights {
    fn say(&self, lang: Lang) -> String {
        use InsideWeights::*;
        match (self, lang) {
            (Untrained, Lang::En) => "untrained: random filters".to_string(),
            (Untrained, Lang::Zh) => "未训练：随机的卷积核".to_string(),
            (BeforeFirstStep, Lang::En) => "training: before its first step".to_string(),
            (BeforeFirstStep, Lang::Zh) => "训练中：第一步之前".to_string(),
            (AfterEpoch { epoch }, Lang::En) => format!("training: after epoch {epoch}"),
            (AfterEpoch { epoch }, Lang::Zh) => format!("训练中：第 {epoch} 轮之后"),
            (Training { at }, Lang::En) => format!("training: {}", at.say(lang)),
            (Training { at }, Lang::Zh) => format!("训练中：{}", at.say(lang)),
            (Trained { epochs: 1 }, Lang::En) => "trained 1 epoch".to_string(),
            (Trained { epochs }, Lang::En) => format!("trained {epochs} epochs"),
            (Trained { epochs }, Lang::Zh) => format!("已训练 {epochs} 轮"),
            (StoppedBeforeFirstEpoch, Lang::En) => "stopped before its first epoch ended".to_string(),
            (StoppedBeforeFirstEpoch, Lang::Zh) => "在第一轮结束前停止".to_string(),
            (LoadedFrom { name }, Lang::En) => format!("loaded from {name}"),
            (LoadedFrom { name }, Lang::Zh) => format!("从 {name} 加载"),
        }
    }
}

/// When the predictions the gallery shows were made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum PredictionsWhen {
    AfterEpoch { epoch: usize },
    PausedAt { at: RunPosition },
    StoppedAt { at: RunPosition },
    WithWeightsOf { name: String },
}

/// "after epoch 2", "when paused at epoch 3, step 40 of 235": the start of
/// the gallery's heading (the page capitalises it in English).
impl Say for PredictionsWhen {
    fn say(&self, lang: Lang) -> String {
        use PredictionsWhen::*;
        match (self, lang) {
            (AfterEpoch { epoch }, Lang::En) => format!("after epoch {epoch}"),
            (AfterEpoch { epoch }, Lang::Zh) => format!("第 {epoch} 轮之后"),
            (PausedAt { at }, Lang::En) => format!("when paused at {}", at.say(lang)),
            (PausedAt { at }, Lang::Zh) => format!("暂停于{}时", at.say(lang)),
            (StoppedAt { at }, Lang::En) => format!("when stopped at {}", at.say(lang)),
            (StoppedAt { at }, Lang::Zh) => format!("停止于{}时", at.say(lang)),
            (WithWeightsOf { name }, Lang::En) => format!("with the weights of {name}"),
            (WithWeightsOf { name }, Lang::Zh) => format!("使用 {name} 的权重"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn the_workers_words_in_both_languages() {
        let detail = || "detail 7".to_string();
        for error in [
            WorkerError::Busy,
            WorkerError::NotUnderstood { detail: detail() },
            WorkerError::CouldNotSend { detail: detail() },
            WorkerError::NoData,
            WorkerError::NoBackend,
            WorkerError::NetNotForData {
                net: NetIo::default(),
                data: NetIo {
                    in_channels: 3,
                    classes: 3,
                },
            },
            WorkerError::NoWeightsToContinue,
            WorkerError::TooFewImages {
                here: Images {
                    train: 2000,
                    test: 1000,
                },
                needs: Images::ALL,
            },
            WorkerError::Trace { detail: detail() },
        ] {
            let values: &[&str] = if format!("{error:?}").contains("detail") {
                &["detail 7"]
            } else {
                &[]
            };
            check_message(&error, values);
        }
        check_message(
            &InsideError::NoSuchTestImage {
                index: 10_000,
                count: 10_000,
            },
            &["10000"],
        );
        check_message(&InsideError::OwnPictureMalformed { side: 28 }, &["28"]);
        for error in [InsideError::NoBackend, InsideError::NoData] {
            check_message(&error, &[]);
        }
        check_message(
            &InsideError::Evaluate {
                problem: TrainError::NoData,
            },
            &[],
        );
        for failure in [
            WeightsFailure::NoWeightsYet,
            WeightsFailure::NoBackend,
            WeightsFailure::NoData,
        ] {
            check_message(&failure, &[]);
        }

        check_message(
            &WeightsFailure::Evaluate {
                name: "a.safetensors".into(),
                problem: TrainError::NoData,
            },
            &["a.safetensors"],
        );
        check_message(
            &WeightsFailure::NotForData {
                name: "b.safetensors".into(),
                net: NetIo::default(),
                data: NetIo {
                    in_channels: 3,
                    classes: 4,
                },
            },
            &["b.safetensors", "10", "4"],
        );
    }

    #[test]
    fn weights_and_moments_in_both_languages() {
        let at = RunPosition {
            epoch: 3,
            batch: 40,
            batches: 235,
        };
        assert_eq!(
            InsideWeights::Training { at }.say(Lang::En),
            "training: epoch 3, step 40 of 235"
        );
        check_message(&InsideWeights::Training { at }, &["3", "40", "235"]);
        check_message(&InsideWeights::AfterEpoch { epoch: 2 }, &["2"]);
        check_message(&InsideWeights::Trained { epochs: 10 }, &["10"]);
        assert_eq!(
            InsideWeights::Trained { epochs: 1 }.say(Lang::En),
            "trained 1 epoch"
        );
        check_message(
            &InsideWeights::LoadedFrom {
                name: "lenet-28px.safetensors".into(),
            },
            &["lenet-28px.safetensors"],
        );
        for state in [
            InsideWeights::Untrained,
            InsideWeights::BeforeFirstStep,
            InsideWeights::StoppedBeforeFirstEpoch,
        ] {
            check_message(&state, &[]);
        }
        assert_eq!(
            PredictionsWhen::PausedAt { at }.say(Lang::En),
            "when paused at epoch 3, step 40 of 235"
        );
        check_message(&PredictionsWhen::PausedAt { at }, &["3", "40", "235"]);
        check_message(&PredictionsWhen::StoppedAt { at }, &["40"]);
        check_message(&PredictionsWhen::AfterEpoch { epoch: 2 }, &["2"]);
        check_message(
            &PredictionsWhen::WithWeightsOf {
                name: "w.safetensors".into(),
            },
            &["w.safetensors"],
        );
    }
}
