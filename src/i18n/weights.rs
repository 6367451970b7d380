//! A weights file's words in both languages: why one is refused, the net
//! it holds, and its line for people (which net, what size, how
//! trained). Tensor names, shapes and a library's own reason stay as
//! they are.

use super::english::english_display;
use super::{Lang, Say};
use crate::format::shape as dims;
use crate::weights::{AboutLine, MetadataProblem, NetName, WeightsError, WeightsState};

impl Say for WeightsError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => weights_english(self),
            Lang::Zh => weights_chinese(self),
        }
    }
}

fn weights_english(error: &WeightsError) -> String {
    match error {
        WeightsError::NotSafetensors(reason) => format!("not a safetensors weights file ({reason})"),
        WeightsError::WrongNet { found, expected } => format!("this file holds {found}, not {expected}"),
        WeightsError::Missing { name, expected } => {
            format!("tensor {name} is missing: the file is not of this net ({expected})")
        }
        WeightsError::WrongShape {
            name,
            expected,
            found,
        } => {
            format!(
                "tensor {name} is {}, but this net's is {}",
                dims(found),
                dims(expected)
            )
        }
        WeightsError::Dtype { name, dtype } => {
            format!("tensor {name} is stored as {dtype}; only 32-bit floats (F32) are read")
        }
        WeightsError::TooSmall { net, needs, bytes } => {
            format!("the file is {bytes} bytes, but the weights of {net} take {needs} bytes")
        }
        WeightsError::Metadata(problem) => format!("the file's metadata cannot be read: {problem}"),
        WeightsError::Shape(error) => format!("the net cannot be built: {error}"),
        WeightsError::Store(reason) => reason.clone(),
    }
}

fn weights_chinese(error: &WeightsError) -> String {
    let zh = Lang::Zh;
    match error {
        WeightsError::NotSafetensors(reason) => format!("不是 safetensors 权重文件（{reason}）"),
        WeightsError::WrongNet { found, expected } => {
            format!("这个文件保存的是 {}，而不是 {}", found.say(zh), expected.say(zh))
        }
        WeightsError::Missing { name, expected } => {
            format!("缺少张量 {name}：这个文件不属于这个网络（{}）", expected.say(zh))
        }
        WeightsError::WrongShape {
            name,
            expected,
            found,
        } => {
            format!(
                "张量 {name} 的形状是 {}，但这个网络的是 {}",
                dims(found),
                dims(expected)
            )
        }
        WeightsError::Dtype { name, dtype } => {
            format!("张量 {name} 以 {dtype} 存储；只读取 32 位浮点数（F32）")
        }
        WeightsError::TooSmall { net, needs, bytes } => {
            format!(
                "文件只有 {bytes} 字节，但 {} 的权重需要 {needs} 字节",
                net.say(zh)
            )
        }
        WeightsError::Metadata(problem) => format!("无法读取文件的元数据：{}", problem.say(zh)),
        WeightsError::Shape(error) => format!("无法构建网络：{}", error.say(zh)),
        WeightsError::Store(reason) => format!("读写权重失败：{reason}"),
    }
}

impl Say for MetadataProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (MetadataProblem::Version(text), Lang::En) => format!("format version `{text}`"),
            (MetadataProblem::Version(text), Lang::Zh) => format!("格式版本 `{text}`"),
            (MetadataProblem::NewerVersion { version, max }, Lang::En) => {
                format!("format version {version}; this playground reads up to {max}")
            }
            (MetadataProblem::NewerVersion { version, max }, Lang::Zh) => {
                format!("格式版本为 {version}；本页面最多只能读取版本 {max}")
            }
            (MetadataProblem::Json(reason), Lang::En) => reason.clone(),
            (MetadataProblem::Json(reason), Lang::Zh) => format!("JSON 无法解析：{reason}"),
            (MetadataProblem::Net(error), lang) => error.say(lang),
            (MetadataProblem::InputSize { resize, max }, Lang::En) => {
                format!("input size {resize}; a net here takes 1 to {max}")
            }
            (MetadataProblem::InputSize { resize, max }, Lang::Zh) => {
                format!("输入大小为 {resize}；这里的网络只接受 1 到 {max}")
            }
        }
    }
}

/// `VGG-11 at width ratio 4`, `LeNet (edited), edit=act-relu~pool-max`;
/// `VGG-11（宽度比例 4）`, `LeNet（已修改），edit=act-relu~pool-max`.
impl Say for NetName {
    fn say(&self, lang: Lang) -> String {
        let mut text = self.title.say(lang);
        if let Some(ratio) = self.ratio {
            text += &match lang {
                Lang::En => format!(" at width ratio {ratio}"),
                Lang::Zh => format!("（宽度比例 {ratio}）"),
            };
        }
        if !self.edits.is_empty() {
            text += &match lang {
                Lang::En => format!(", edit={}", self.edits),
                Lang::Zh => format!("，edit={}", self.edits),
            };
        }
        text
    }
}

impl Say for WeightsState {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (WeightsState::Untrained, Lang::En) => "untrained".to_string(),
            (WeightsState::Untrained, Lang::Zh) => "未训练".to_string(),
            (WeightsState::Trained { epochs: 1 }, Lang::En) => "trained 1 epoch".to_string(),
            (WeightsState::Trained { epochs }, Lang::En) => format!("trained {epochs} epochs"),
            (WeightsState::Trained { epochs }, Lang::Zh) => format!("已训练 {epochs} 轮"),
            (WeightsState::During { epoch, step, steps }, Lang::En) => {
                format!("during training (epoch {epoch}, step {step} of {steps})")
            }
            (WeightsState::During { epoch, step, steps }, Lang::Zh) => {
                format!("训练中（第 {epoch} 轮，第 {step}/{steps} 步）")
            }
            (WeightsState::StoppedBeforeFirstEpoch, Lang::En) => {
                "stopped before its first epoch ended".to_string()
            }
            (WeightsState::StoppedBeforeFirstEpoch, Lang::Zh) => "在第一轮结束前停止".to_string(),
            (WeightsState::LoadedFrom { name }, Lang::En) => format!("loaded from {name}"),
            (WeightsState::LoadedFrom { name }, Lang::Zh) => format!("载入自 {name}"),
        }
    }
}

/// `LeNet (d2l §6.6), 28×28, trained 10 epochs`.
impl Say for AboutLine {
    fn say(&self, lang: Lang) -> String {
        let (title, section, side, state) = (
            self.title.say(lang),
            self.arch.book_section(),
            self.resize,
            self.state.say(lang),
        );
        match lang {
            Lang::En => format!("{title} (d2l §{section}), {side}×{side}, {state}"),
            Lang::Zh => format!("{title}（d2l §{section}），{side}×{side}，{state}"),
        }
    }
}

english_display!(MetadataProblem, NetName, WeightsState, AboutLine);
english_display!(error: WeightsError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, NetConfig};
    use crate::i18n::check_message;
    use crate::shape::ShapeTable;
    use crate::training::TrainConfig;

    #[test]
    fn every_weights_error_says_the_tensor_and_the_net_in_both_languages() {
        let lenet = NetConfig::default_for(Arch::LeNet);
        let relu_max = crate::arch::edit::apply_query(lenet.clone(), "act-relu~pool-max").0;
        let vgg = NetConfig::default_for(Arch::Vgg);
        let samples: Vec<(WeightsError, &[&str])> = vec![
            (
                WeightsError::NotSafetensors("header too small".to_string()),
                &["safetensors", "header too small"],
            ),
            (
                WeightsError::WrongNet {
                    found: NetName::of(&vgg),
                    expected: NetName::of(&relu_max),
                },
                &["VGG-11", "4", "LeNet", "edit=act-relu~pool-max"],
            ),
            (
                WeightsError::Missing {
                    name: "1.weight".to_string(),
                    expected: Arch::BnLeNet,
                },
                &["1.weight", "LeNet"],
            ),
            (
                WeightsError::WrongShape {
                    name: "7.weight".to_string(),
                    expected: vec![120, 576],
                    found: vec![120, 400],
                },
                &["7.weight", "[120, 400]", "[120, 576]"],
            ),
            (
                WeightsError::Dtype {
                    name: "0.weight".to_string(),
                    dtype: "F16".to_string(),
                },
                &["0.weight", "F16", "F32"],
            ),
            (
                WeightsError::TooSmall {
                    net: NetName::of(&relu_max),
                    needs: 1000,
                    bytes: 10,
                },
                &["1000", "10", "LeNet"],
            ),
            (
                WeightsError::Metadata(MetadataProblem::Version("x".to_string())),
                &["`x`"],
            ),
            (
                WeightsError::Metadata(MetadataProblem::NewerVersion { version: 99, max: 1 }),
                &["99", "1"],
            ),
            (
                WeightsError::Metadata(MetadataProblem::Json("EOF while parsing".to_string())),
                &["EOF while parsing"],
            ),
            (
                WeightsError::Metadata(MetadataProblem::Net(
                    crate::arch::edit::set(&lenet, "ch", "6, 0").unwrap_err(),
                )),
                &["4096", "0"],
            ),
            (
                WeightsError::Metadata(MetadataProblem::InputSize { resize: 0, max: 4096 }),
                &["0", "4096"],
            ),
            (
                WeightsError::Store("tensor not found".to_string()),
                &["tensor not found"],
            ),
            (
                WeightsError::Shape(ShapeTable::compute(&lenet.layers(), &[1, 1, 2, 2]).unwrap_err()),
                &["Conv2d (6→16, k5)", "5×5"],
            ),
        ];
        for (error, values) in &samples {
            check_message(error, values);
        }
        assert_eq!(
            samples[1].0.to_string(),
            "this file holds VGG-11 at width ratio 4, not LeNet (edited), edit=act-relu~pool-max"
        );
        assert_eq!(
            samples[1].0.say(Lang::Zh),
            "这个文件保存的是 VGG-11（宽度比例 4），而不是 LeNet（已修改），edit=act-relu~pool-max"
        );
    }

    #[test]
    fn a_files_line_says_the_net_its_size_and_its_training() {
        let config = TrainConfig::book(Arch::LeNet);
        let about = crate::weights::About::of_run(&config, None, crate::weights::trained(10));
        assert_eq!(about.description, "LeNet (d2l §6.6), 28×28, trained 10 epochs");
        let line = about.line().unwrap();
        assert_eq!(line.to_string(), about.description);
        assert_eq!(line.say(Lang::Zh), "LeNet（d2l §6.6），28×28，已训练 10 轮");
        check_message(&line, &["LeNet", "6.6", "28×28", "10"]);
        assert_eq!(crate::weights::trained(1).to_string(), "trained 1 epoch");
        let states: Vec<(WeightsState, &[&str])> = vec![
            (WeightsState::Untrained, &[]),
            (WeightsState::Trained { epochs: 3 }, &["3"]),
            (
                WeightsState::During {
                    epoch: 2,
                    step: 40,
                    steps: 235,
                },
                &["2", "40", "235"],
            ),
            (WeightsState::StoppedBeforeFirstEpoch, &[]),
            (
                WeightsState::LoadedFrom {
                    name: "lenet.safetensors".to_string(),
                },
                &["lenet.safetensors"],
            ),
        ];
        for (state, values) in &states {
            check_message(state, values);
        }
        let old = crate::weights::About { state: None, ..about };
        assert_eq!(old.line(), None, "a file without a state keeps its description");
    }
}
