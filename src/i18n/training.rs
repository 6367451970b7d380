//! A run's words in both languages: settings it cannot start with, a
//! batch too big for the device (with the batch that fits), why it could
//! not start, and how it ended. d2l-zh's 轮 (epoch), 批量大小, 学习率;
//! the book's training line itself stays as its code prints it.

use super::english::english_display;
use super::{Lang, Say};
use crate::training::{Ending, FitError, LayerLabel, Problem, TrainError, WeightedKind};

impl Say for Problem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::NoEpochs, Lang::En) => "epochs must be at least 1".to_string(),
            (Problem::NoEpochs, Lang::Zh) => "轮数必须至少为 1".to_string(),
            (Problem::LearningRate { lr }, Lang::En) => {
                format!("learning rate must be a positive number, not {lr}")
            }
            (Problem::LearningRate { lr }, Lang::Zh) => format!("学习率必须是正数，而不是 {lr}"),
            (Problem::NoBatch, Lang::En) => "batch size must be at least 1".to_string(),
            (Problem::NoBatch, Lang::Zh) => "批量大小必须至少为 1".to_string(),
            (Problem::WeightDecay { weight_decay }, Lang::En) => {
                format!("weight decay must be zero or positive, not {weight_decay}")
            }
            (Problem::WeightDecay { weight_decay }, Lang::Zh) => {
                format!("权重衰减必须为零或正数，而不是 {weight_decay}")
            }
            (Problem::NoData, Lang::En) => "a data limit must be at least 1".to_string(),
            (Problem::NoData, Lang::Zh) => "数据数量上限必须至少为 1".to_string(),
            (Problem::InputSize { resize, error }, Lang::En) => format!("resize {resize}: {error}"),
            (Problem::InputSize { resize, error }, Lang::Zh) => {
                format!("输入大小 {resize}：{}", error.say(lang))
            }
        }
    }
}

impl Say for FitError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (FitError::Shape(error), lang) => error.say(lang),
            (&FitError::Weight { bytes, limit }, Lang::En) => format!(
                "a weight of this net takes {}, more than this GPU's largest buffer ({}); use a smaller net or the CPU",
                lang.bytes(bytes),
                lang.bytes(limit)
            ),
            (&FitError::Weight { bytes, limit }, Lang::Zh) => format!(
                "这个网络的一个权重占用 {}，超过了这块 GPU 的最大缓冲区（{}）；请换用更小的网络或 CPU",
                lang.bytes(bytes),
                lang.bytes(limit)
            ),
            (
                FitError::Activation {
                    batch,
                    tensor,
                    bytes,
                    limit,
                    fits,
                },
                lang,
            ) => {
                let (tensor, bytes, limit) = (tensor.say(lang), lang.bytes(*bytes), lang.bytes(*limit));
                let advice = advice(*fits, lang, true);
                match lang {
                    Lang::En => format!(
                        "batch {batch} does not fit: the output of {tensor} takes {bytes}, more than this GPU's largest buffer ({limit}); {advice}"
                    ),
                    Lang::Zh => format!(
                        "批量 {batch} 放不下：{tensor} 的输出占用 {bytes}，超过了这块 GPU 的最大缓冲区（{limit}）；{advice}"
                    ),
                }
            }
            (
                FitError::Memory {
                    batch,
                    bytes,
                    limit,
                    fits,
                },
                lang,
            ) => {
                let (bytes, limit) = (lang.bytes(*bytes), lang.bytes(*limit));
                let advice = advice(*fits, lang, false);
                match lang {
                    Lang::En => format!(
                        "batch {batch} does not fit: a training step needs about {bytes} of memory, more than the {limit} a browser tab gives the CPU backend; {advice}"
                    ),
                    Lang::Zh => format!(
                        "批量 {batch} 放不下：一个训练步大约需要 {bytes} 内存，超过了浏览器标签页给 CPU 后端的 {limit}；{advice}"
                    ),
                }
            }
        }
    }
}

/// What to do about a batch that does not fit, given the largest that does
/// (`fits`); when not even one example fits, a smaller input (or the CPU,
/// on a GPU).
fn advice(fits: u64, lang: Lang, on_gpu: bool) -> String {
    match (fits, lang, on_gpu) {
        (0, Lang::En, true) => {
            "even one example does not fit: use a smaller input size or the CPU".to_string()
        }
        (0, Lang::En, false) => "even one example does not fit: use a smaller input size".to_string(),
        (0, Lang::Zh, true) => "连一个样本都放不下：请使用更小的输入大小或 CPU".to_string(),
        (0, Lang::Zh, false) => "连一个样本都放不下：请使用更小的输入大小".to_string(),
        (n, Lang::En, _) => format!("a batch of at most {n} fits"),
        (n, Lang::Zh, _) => format!("批量大小最多为 {n} 时可以放下"),
    }
}

impl Say for TrainError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (TrainError::Config(problems), lang) => {
                let problems: Vec<String> = problems.iter().map(|problem| problem.say(lang)).collect();
                match lang {
                    Lang::En => format!("cannot train: {}", problems.join("; ")),
                    Lang::Zh => format!("无法训练：{}", problems.join("；")),
                }
            }
            (TrainError::Net(error), Lang::En) => format!("cannot train: {error}"),
            (TrainError::Net(error), Lang::Zh) => format!("无法训练：{}", error.say(lang)),
            // As it said when it was a setting's problem.
            (TrainError::NoRow { row }, Lang::En) => format!("cannot train: the net has no row {row:?}"),
            (TrainError::NoRow { row }, Lang::Zh) => format!("网络中没有这一行：{row:?}"),
            (TrainError::NoData, Lang::En) => "the data set is empty".to_string(),
            (TrainError::NoData, Lang::Zh) => "数据集是空的".to_string(),
            (TrainError::Device { backend, reason }, Lang::En) => {
                format!("the {backend} device failed: {reason}")
            }
            (TrainError::Device { backend, reason }, Lang::Zh) => format!("{backend} 设备出错：{reason}"),
        }
    }
}

/// `3.1 conv 6→16 k5`, `3.1 卷积层 6→16 k5`: short, as a strip's row names it.
impl Say for LayerLabel {
    fn say(&self, lang: Lang) -> String {
        let row = &self.row;
        match (self.kind, lang) {
            (WeightedKind::Conv { input, out, k }, Lang::En) => format!("{row} conv {input}→{out} k{k}"),
            (WeightedKind::Conv { input, out, k }, Lang::Zh) => format!("{row} 卷积层 {input}→{out} k{k}"),
            (WeightedKind::Linear { input, out }, Lang::En) => format!("{row} linear {input}→{out}"),
            (WeightedKind::Linear { input, out }, Lang::Zh) => format!("{row} 全连接层 {input}→{out}"),
        }
    }
}

impl Say for Ending {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Ending::Finished, Lang::En) => "training finished".to_string(),
            (Ending::Finished, Lang::Zh) => "训练完成".to_string(),
            (Ending::Stopped { epoch, batch }, Lang::En) => format!(
                "stopped in epoch {epoch} after batch {batch}; the model and the history so far are kept"
            ),
            (Ending::Stopped { epoch, batch }, Lang::Zh) => {
                format!("在第 {epoch} 轮的第 {batch} 个批量之后停止；目前的模型和训练记录已保留")
            }
            (Ending::Diverged { epoch, batch, lr }, Lang::En) => format!(
                "the loss became NaN in epoch {epoch}, batch {batch}: training diverged at learning rate {lr}. \
                 Try a smaller learning rate (e.g. {}). The weights from before the bad step are kept.",
                lr / 10.0
            ),
            (Ending::Diverged { epoch, batch, lr }, Lang::Zh) => format!(
                "损失在第 {epoch} 轮第 {batch} 个批量变成了 NaN：学习率为 {lr} 时训练发散了。\
                 请试试更小的学习率（例如 {}）。出错那一步之前的权重已保留。",
                lr / 10.0
            ),
        }
    }
}

english_display!(Problem, Ending, LayerLabel);
english_display!(error: FitError, TrainError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, NetConfig};
    use crate::i18n::check_message;
    use crate::shape::{Producer, Settings};
    use crate::training::{TrainConfig, WASM32_MEMORY_BYTES, check_fits, check_memory};

    #[test]
    fn every_problem_names_the_setting_in_both_languages() {
        let mut config = TrainConfig::book(Arch::AlexNet);
        (config.resize, config.lr, config.batch_size, config.epochs) = (28, -1.0, 0, 0);
        config.weight_decay = f64::NAN;
        config.train_limit = Some(0);
        let problems = config.problems();
        assert_eq!(problems.len(), 6, "{problems:?}");
        let values: [&[&str]; 6] = [&["1"], &["-1"], &["1"], &["NaN"], &["1"], &["28", "MaxPool2d"]];
        for (problem, values) in problems.iter().zip(values) {
            check_message(problem, values);
        }
        assert_eq!(
            problems[1].to_string(),
            "learning rate must be a positive number, not -1"
        );
        assert_eq!(problems[1].say(Lang::Zh), "学习率必须是正数，而不是 -1");
        let error = TrainError::Config(problems);
        check_message(&error, &["-1", "MaxPool2d"]);
        assert!(
            error
                .to_string()
                .starts_with("cannot train: epochs must be at least 1; ")
        );
        check_message(&TrainError::NoData, &[]);
        check_message(&TrainError::NoRow { row: vec![12] }, &["[12]"]);
        let net = TrainConfig {
            resize: 2,
            ..TrainConfig::book(Arch::LeNet)
        };
        check_message(
            &TrainError::Net(net.shape_table(1).unwrap_err()),
            &["Conv2d (6→16, k5)", "5×5"],
        );
        let device = TrainError::Device {
            backend: "wgpu".to_string(),
            reason: "lost".to_string(),
        };
        check_message(&device, &["wgpu", "lost"]);
    }

    #[test]
    fn a_batch_that_does_not_fit_says_what_would_in_both_languages() {
        // GoogLeNet at 224 px, batch 128, on a tab's CPU memory.
        let mut config = TrainConfig::book(Arch::GoogLeNet);
        (config.resize, config.batch_size) = (224, 128);
        let error = check_memory(&config, WASM32_MEMORY_BYTES).unwrap_err();
        let FitError::Memory { fits, .. } = error else {
            panic!("{error:?}")
        };
        assert!(fits > 0 && fits < 128, "{fits}");
        let english = error.to_string();
        assert!(
            english.starts_with("batch 128 does not fit: a training step needs about ")
                && english.ends_with(&format!(
                    "GiB of memory, more than the 4.0 GiB a browser tab gives the CPU backend; a batch of at most {fits} fits"
                )),
            "{english}"
        );
        check_message(&error, &["128", "4.0 GiB", &fits.to_string()]);
        // On a GPU whose largest buffer is 128 MiB.
        let error = check_fits(&config, 128 << 20).unwrap_err();
        check_message(&error, &["128", "128.0 MiB"]);
        assert!(
            error
                .to_string()
                .contains("the output of Conv2d (1→64, k7, s2, p3)"),
            "{error}"
        );
        let none = FitError::Activation {
            batch: 1,
            tensor: Producer::Input,
            bytes: 5 << 20,
            limit: 4 << 20,
            fits: 0,
        };
        assert_eq!(
            none.to_string(),
            "batch 1 does not fit: the output of the input takes 5.0 MiB, more than this GPU's largest buffer (4.0 MiB); \
             even one example does not fit: use a smaller input size or the CPU"
        );
        check_message(&none, &["1", "5.0 MiB", "4.0 MiB", "CPU"]);
        let weight = FitError::Weight {
            bytes: 400 << 20,
            limit: 128 << 20,
        };
        check_message(&weight, &["400.0 MiB", "128.0 MiB", "CPU"]);
        let tensor = Producer::Row {
            name: "Conv2d".to_string(),
            settings: Settings::Code("1→6, k5, p2".to_string()),
        };
        check_message(
            &FitError::Memory {
                batch: 9,
                bytes: 5 << 30,
                limit: 4 << 30,
                fits: 0,
            },
            &["9", "5.0 GiB", "4.0 GiB"],
        );
        assert_eq!(tensor.to_string(), "Conv2d (1→6, k5, p2)");
        let net = TrainConfig {
            net: NetConfig::default_for(Arch::LeNet),
            resize: 2,
            ..TrainConfig::book(Arch::LeNet)
        };
        check_message(
            &check_fits(&net, 1 << 30).unwrap_err(),
            &["Conv2d (6→16, k5)", "5×5"],
        );
    }

    #[test]
    fn a_weighted_layer_is_named_in_both_languages() {
        let conv = LayerLabel {
            row: "3.1".into(),
            kind: WeightedKind::Conv {
                input: 6,
                out: 16,
                k: 5,
            },
        };
        assert_eq!(conv.to_string(), "3.1 conv 6→16 k5");
        assert_eq!(conv.say(Lang::Zh), "3.1 卷积层 6→16 k5");
        let linear = LayerLabel {
            row: "6".into(),
            kind: WeightedKind::Linear { input: 400, out: 120 },
        };
        check_message(&linear, &["6", "400", "120"]);
        // It travels as its English text, and reads back from it.
        for label in [conv, linear] {
            let json = serde_json::to_string(&label).unwrap();
            assert_eq!(serde_json::from_str::<LayerLabel>(&json).unwrap(), label);
        }
        assert!(serde_json::from_str::<LayerLabel>("\"3 pool 1→2\"").is_err());
    }

    #[test]
    fn an_ending_says_where_and_why_in_both_languages() {
        let stopped = Ending::Stopped { epoch: 2, batch: 3 };
        assert_eq!(stopped.message(), Some(&stopped));
        assert_eq!(Ending::Finished.message(), None);
        check_message(&stopped, &["2", "3"]);
        check_message(&Ending::Finished, &[]);
        let diverged = Ending::Diverged {
            epoch: 1,
            batch: 7,
            lr: 1.0,
        };
        assert_eq!(
            diverged.to_string(),
            "the loss became NaN in epoch 1, batch 7: training diverged at learning rate 1. \
             Try a smaller learning rate (e.g. 0.1). The weights from before the bad step are kept."
        );
        check_message(&diverged, &["1", "7", "NaN", "0.1"]);
    }
}
