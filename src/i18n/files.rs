//! The words for files a reader gives the playground, in both languages:
//! Fashion-MNIST's files and classes (d2l-zh's T恤, 裤子, 套衫 …), a
//! picture of one's own, a weights file and what it says of itself.
//! File and tensor names, numbers and library errors stay as they are.

use serde::{Deserialize, Serialize};

use super::english::english_display;
use super::{Catalogue, Lang, Say};
use crate::data::{DataError, GzipProblem, IdxKind, SIDE};
use crate::format::shape as dims;
use crate::picture::{MAX_PIXELS, PictureError};
use crate::weights::{AboutLine, MetadataProblem, NetName, WeightsError, WeightsState};

crate::catalogue! {
    /// Fashion-MNIST's ten classes, in label order: the book's code names
    /// (`data::CLASS_NAMES`) and d2l-zh's Chinese.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FashionClass {
        TShirt => "t-shirt", "T恤";
        Trouser => "trouser", "裤子";
        Pullover => "pullover", "套衫";
        Dress => "dress", "连衣裙";
        Coat => "coat", "外套";
        Sandal => "sandal", "凉鞋";
        Shirt => "shirt", "衬衫";
        Sneaker => "sneaker", "运动鞋";
        Bag => "bag", "包";
        AnkleBoot => "ankle boot", "短靴";
    }
}

impl FashionClass {
    /// The class of label `label` (0 to 9).
    pub fn of(label: usize) -> Option<FashionClass> {
        FashionClass::ALL.get(label).copied()
    }
}

crate::catalogue! {
    /// What was done to a picture of one's own (`Picture::note`).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PictureNote {
        TransparentInverted => "transparent background taken as dark, the dark object made light",
            "透明背景视为深色，深色物体变为浅色";
        Transparent => "transparent background taken as dark", "透明背景视为深色";
        Inverted => "inverted: the picture is dark on light, Fashion-MNIST is light on dark",
            "已反色：这张图片是浅底深色，而 Fashion-MNIST 是深底浅色";
    }
}

impl Say for DataError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => data_english(self),
            Lang::Zh => data_chinese(self),
        }
    }
}

fn data_english(error: &DataError) -> String {
    match error {
        DataError::Gzip { file, reason } => {
            format!("{file}: not a readable gzip file ({})", reason.say(Lang::En))
        }
        DataError::TooLarge { file, limit } => {
            format!("{file}: decompresses to more than {limit} bytes; this is not a Fashion-MNIST file")
        }
        DataError::BadMagic {
            file,
            found,
            expected,
            kind,
        } => format!(
            "{file}: magic number {found}, expected {expected} ({} file)",
            kind.say(Lang::En)
        ),
        DataError::Truncated {
            file,
            expected,
            found,
        } => {
            format!("{file}: truncated: the header promises {expected} bytes, the file has {found}")
        }
        DataError::TrailingData {
            file,
            expected,
            found,
        } => format!(
            "{file}: {found} bytes where the header promises {expected}: extra data after the last record"
        ),
        DataError::BadDimensions { file, rows, cols } => {
            format!("{file}: images are {rows}×{cols}, expected {SIDE}×{SIDE}")
        }
        DataError::CountMismatch { count, labels } => {
            format!("{count} images but {labels} labels; the image and label files do not belong together")
        }
        DataError::BadLabel { file, index, value } => {
            format!("{file}: label {value} at index {index} is outside 0..9")
        }
        DataError::Empty { file } => format!("{file}: holds no records"),
    }
}

fn data_chinese(error: &DataError) -> String {
    match error {
        DataError::Gzip { file, reason } => {
            format!("{file}：不是可读的 gzip 文件（{}）", reason.say(Lang::Zh))
        }
        DataError::TooLarge { file, limit } => {
            format!("{file}：解压后超过 {limit} 字节；这不是 Fashion-MNIST 文件")
        }
        DataError::BadMagic {
            file,
            found,
            expected,
            kind,
        } => format!(
            "{file}：魔数为 {found}，应为 {expected}（{}文件）",
            kind.say(Lang::Zh)
        ),
        DataError::Truncated {
            file,
            expected,
            found,
        } => {
            format!("{file}：文件不完整：文件头声明 {expected} 字节，文件只有 {found} 字节")
        }
        DataError::TrailingData {
            file,
            expected,
            found,
        } => format!(
            "{file}：文件有 {found} 字节，而文件头声明 {expected} 字节：最后一条记录之后还有多余的数据"
        ),
        DataError::BadDimensions { file, rows, cols } => {
            format!("{file}：图像为 {rows}×{cols}，应为 {SIDE}×{SIDE}")
        }
        DataError::CountMismatch { count, labels } => {
            format!("{count} 张图像却有 {labels} 个标签；图像文件与标签文件不是同一套")
        }
        DataError::BadLabel { file, index, value } => {
            format!("{file}：索引 {index} 处的标签 {value} 不在 0..9 之内")
        }
        DataError::Empty { file } => format!("{file}：没有任何记录"),
    }
}

impl Say for GzipProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (GzipProblem::EndsEarly, Lang::En) => "it ends early; the download may be incomplete".to_string(),
            (GzipProblem::EndsEarly, Lang::Zh) => "文件提前结束，可能没有下载完整".to_string(),
            // The decoder's own words.
            (GzipProblem::Other(reason), _) => reason.clone(),
        }
    }
}

impl Say for IdxKind {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (IdxKind::Images, Lang::En) => "images",
            (IdxKind::Images, Lang::Zh) => "图像",
            (IdxKind::Labels, Lang::En) => "labels",
            (IdxKind::Labels, Lang::Zh) => "标签",
        }
        .to_string()
    }
}

impl Say for PictureError {
    fn say(&self, lang: Lang) -> String {
        let megapixels = MAX_PIXELS / 1_000_000;
        match (self, lang) {
            (PictureError::NoPixels, Lang::En) => "the picture has no pixels".to_string(),
            (PictureError::NoPixels, Lang::Zh) => "图片没有任何像素".to_string(),
            (PictureError::TooLarge { width, height }, Lang::En) => {
                format!("the picture is {width}×{height}; at most {megapixels} megapixels are taken")
            }
            (PictureError::TooLarge { width, height }, Lang::Zh) => {
                format!("图片为 {width}×{height}；最多接受 {megapixels} 百万像素")
            }
            (
                PictureError::Malformed {
                    width,
                    height,
                    expected,
                    found,
                },
                Lang::En,
            ) => format!("{found} bytes of pixels for a {width}×{height} picture (RGBA needs {expected})"),
            (
                PictureError::Malformed {
                    width,
                    height,
                    expected,
                    found,
                },
                Lang::Zh,
            ) => format!("{width}×{height} 的图片却有 {found} 字节的像素数据（RGBA 需要 {expected} 字节）"),
            (PictureError::Empty, Lang::En) => {
                "the picture is empty: nothing stands out from its background".to_string()
            }
            (PictureError::Empty, Lang::Zh) => "图片是空的：没有任何东西从背景中显现出来".to_string(),
        }
    }
}

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

english_display!(
    FashionClass,
    PictureNote,
    GzipProblem,
    IdxKind,
    MetadataProblem,
    NetName,
    WeightsState,
    AboutLine
);
english_display!(error: DataError, PictureError, WeightsError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, NetConfig};
    use crate::data::CLASS_NAMES;
    use crate::i18n::{check_catalogue, check_message};
    use crate::training::TrainConfig;

    #[test]
    fn classes_and_notes_say_something_in_both_languages() {
        check_catalogue(FashionClass::ALL);
        check_catalogue(PictureNote::ALL);
        let english: Vec<&str> = FashionClass::ALL
            .iter()
            .map(|class| class.get(Lang::En))
            .collect();
        assert_eq!(english, CLASS_NAMES, "the book's code names, in label order");
        assert_eq!(FashionClass::of(0).map(|c| c.get(Lang::Zh)), Some("T恤"));
        assert_eq!(FashionClass::of(9).map(|c| c.get(Lang::Zh)), Some("短靴"));
        assert_eq!(FashionClass::of(10), None);
    }

    #[test]
    fn every_data_error_says_its_file_and_numbers_in_both_languages() {
        let file = || "x.gz".to_string();
        let samples: Vec<(DataError, &[&str])> = vec![
            (
                DataError::Gzip {
                    file: file(),
                    reason: GzipProblem::EndsEarly,
                },
                &["x.gz", "gzip"],
            ),
            (
                DataError::Gzip {
                    file: file(),
                    reason: GzipProblem::Other("invalid gzip header".to_string()),
                },
                &["x.gz", "invalid gzip header"],
            ),
            (
                DataError::TooLarge {
                    file: file(),
                    limit: 67108864,
                },
                &["x.gz", "67108864", "Fashion-MNIST"],
            ),
            (
                DataError::BadMagic {
                    file: file(),
                    found: 2049,
                    expected: 2051,
                    kind: IdxKind::Images,
                },
                &["x.gz", "2049", "2051"],
            ),
            (
                DataError::Truncated {
                    file: file(),
                    expected: 8,
                    found: 3,
                },
                &["x.gz", "8", "3"],
            ),
            (
                DataError::TrailingData {
                    file: file(),
                    expected: 2367,
                    found: 2372,
                },
                &["x.gz", "2367", "2372"],
            ),
            (
                DataError::BadDimensions {
                    file: file(),
                    rows: 32,
                    cols: 28,
                },
                &["x.gz", "32×28", "28×28"],
            ),
            (DataError::CountMismatch { count: 3, labels: 2 }, &["3", "2"]),
            (
                DataError::BadLabel {
                    file: file(),
                    index: 2,
                    value: 10,
                },
                &["x.gz", "2", "10", "0..9"],
            ),
            (DataError::Empty { file: file() }, &["x.gz"]),
        ];
        for (error, values) in &samples {
            check_message(error, values);
        }
        assert_eq!(
            samples[3].0.to_string(),
            "x.gz: magic number 2049, expected 2051 (images file)"
        );
        assert_eq!(
            samples[3].0.say(Lang::Zh),
            "x.gz：魔数为 2049，应为 2051（图像文件）"
        );
    }

    #[test]
    fn every_picture_error_says_its_numbers_in_both_languages() {
        let samples: Vec<(PictureError, &[&str])> = vec![
            (PictureError::NoPixels, &[]),
            (
                PictureError::TooLarge {
                    width: 5000,
                    height: 4000,
                },
                &["5000×4000", "16"],
            ),
            (
                PictureError::Malformed {
                    width: 2,
                    height: 3,
                    expected: 24,
                    found: 23,
                },
                &["2×3", "24", "23", "RGBA"],
            ),
            (PictureError::Empty, &[]),
        ];
        for (error, values) in &samples {
            check_message(error, values);
        }
    }

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
