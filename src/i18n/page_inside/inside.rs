//! Inside the net: its static words, which weights an answer comes
//! from, a row's maps and filters (the gallery's words: `gallery.rs`).

use crate::i18n::{Lang, Say};
use crate::protocol::InsideWeights;
use crate::shape::Settings;

crate::catalogue! {
    /// Inside the net: static strings.
    pub enum InsideText {
        Title => "Inside the net", "网络内部";
        IntroClick => "Click a row of the table to see what it outputs for a test image, or ",
            "点击表格中的一行，看它对一张测试图像输出什么；或者";
        IntroShow => "show the test images", "显示测试图像";
        IntroRandom => ". Before training the filters are random: worth seeing too.",
            "。训练之前卷积核是随机的：也值得一看。";
        GalleryUntrained => "Test images (train to see what the net predicts)",
            "测试图像（训练后可看到网络的预测）";
        ShowAll => "show all ✕", "显示全部 ✕";
        MistakesOnly => "mistakes only", "只看预测错误的";
        PreviousPage => "previous page of test images", "上一页测试图像";
        NextPage => "next page of test images", "下一页测试图像";
        PreviousImage => "previous test image", "上一张测试图像";
        NextImage => "next test image", "下一张测试图像";
        YourPicture => "your picture", "你的图片";
        NetSees => "what the net sees (28×28, before resizing)", "网络看到的图像（28×28，缩放之前）";
        AskingWorker => "asking the worker…", "正在等待后台线程的回答…";
        Close => "close ✕", "关闭 ✕";
        OwnTitle => "Your own picture", "你自己的图片";
        OwnHint => "Draw a piece of clothing, or drop or pick a photo; it is made into a 28×28 grey image as Fashion-MNIST's are.",
            "画一件衣物，或拖入或选择一张照片；它会像Fashion-MNIST的图像那样被做成28×28的灰度图像。";
        PictureFile => "picture file: ", "图片文件：";
        Clear => "clear", "清除";
        GalleryLabel => "test images: the arrow keys move, Enter picks", "测试图像：用方向键移动，按回车键选择";
        PadLabel => "drawing pad: draw a piece of clothing with a mouse, a pen or a finger; without them, pick a picture file below",
            "画板：用鼠标、触控笔或手指画一件衣物；不便作画时，可以在下面选择一个图片文件";
    }
}

/// Which weights an answer comes from, as the worker says it.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightsLine(pub InsideWeights);

impl Say for WeightsLine {
    fn say(&self, lang: Lang) -> String {
        let weights = self.0.say(lang);
        lang.pick(format!("weights: {weights}"), format!("权重：{weights}"))
    }
}

/// `row 2.1 · Conv2d (1→6, k5, p2) → [1, 6, 28, 28]`: the row looked at.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerTitle {
    /// The row's path, `2.1`.
    pub path: String,
    /// PyTorch's class name (code: the same in both languages).
    pub name: String,
    /// Its settings as the table writes them (`1→6, k5, p2`), or none.
    pub settings: Settings,
    /// Its output shape, `[1, 6, 28, 28]`.
    pub output: String,
}

impl Say for LayerTitle {
    fn say(&self, lang: Lang) -> String {
        let settings = match (self.settings.say(lang), lang) {
            (s, _) if s.is_empty() => String::new(),
            (s, Lang::En) => format!(" ({s})"),
            (s, Lang::Zh) => format!("（{s}）"),
        };
        let (name, output) = (&self.name, &self.output);
        match lang {
            Lang::En => format!("row {} · {name}{settings} → {output}", self.path),
            Lang::Zh => format!("第 {} 行 · {name}{settings} → {output}", self.path),
        }
    }
}

/// What a row outputs, before the colour scale's sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputLine {
    /// Feature maps: `6 channels of 28×28; `.
    Maps {
        channels: usize,
        height: usize,
        width: usize,
    },
    /// The last row's output.
    Logits,
    /// Another flat row's: `84 values as bars; `.
    Bars(usize),
}

impl Say for OutputLine {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                OutputLine::Maps {
                    channels,
                    height,
                    width,
                },
                Lang::En,
            ) => {
                format!("{} channels of {height}×{width}; ", lang.count(*channels as u64))
            }
            (
                OutputLine::Maps {
                    channels,
                    height,
                    width,
                },
                Lang::Zh,
            ) => {
                format!(
                    "{} 个通道的特征映射，每个 {height}×{width}；",
                    lang.count(*channels as u64)
                )
            }
            (OutputLine::Logits, Lang::En) => {
                "the logits, one per class; their softmax is the probabilities above; ".to_string()
            }
            (OutputLine::Logits, Lang::Zh) => {
                "未规范化的预测（logit），每个类别一个；它们的softmax就是上面的概率；".to_string()
            }
            (OutputLine::Bars(n), Lang::En) => format!("{} values as bars; ", lang.count(*n as u64)),
            (OutputLine::Bars(n), Lang::Zh) => format!("{} 个值，画成条形；", lang.count(*n as u64)),
        }
    }
}

/// The values' range and the colour scale they share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueRange {
    pub lo: f32,
    pub hi: f32,
}

impl Say for ValueRange {
    fn say(&self, lang: Lang) -> String {
        let (lo, hi) = (lang.number(self.lo as f64, 3), lang.number(self.hi as f64, 3));
        match lang {
            Lang::En => format!(
                "values from {lo} to {hi}; one colour scale for all: blue below 0, white 0, red above"
            ),
            Lang::Zh => format!("取值从 {lo} 到 {hi}；所有图共用一个色标：小于 0 为蓝，0 为白，大于 0 为红"),
        }
    }
}

/// An output of a shape the page does not draw.
#[derive(Clone, Debug, PartialEq)]
pub struct OddShape(pub String);

impl Say for OddShape {
    fn say(&self, lang: Lang) -> String {
        lang.pick(
            format!("an output of shape {}", self.0),
            format!("形状为 {} 的输出", self.0),
        )
    }
}

/// The switch between the first channels and all of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShowChannels {
    /// Shown now: all; offers the first `n`.
    First(usize),
    /// Offers all `n`.
    All(usize),
}

impl Say for ShowChannels {
    fn say(&self, lang: Lang) -> String {
        match (*self, lang) {
            (ShowChannels::First(n), Lang::En) => format!("show the first {n}"),
            (ShowChannels::First(n), Lang::Zh) => format!("只显示前 {n} 个"),
            (ShowChannels::All(n), Lang::En) => format!("show all {n} channels"),
            (ShowChannels::All(n), Lang::Zh) => format!("显示全部 {n} 个通道"),
        }
    }
}

/// A small picture's tooltip: a channel, or a kernel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MapTitle {
    Channel(usize),
    Kernel { output: usize, input: usize },
}

impl Say for MapTitle {
    fn say(&self, lang: Lang) -> String {
        match (*self, lang) {
            (MapTitle::Channel(c), Lang::En) => format!("channel {c}"),
            (MapTitle::Channel(c), Lang::Zh) => format!("通道 {c}"),
            (MapTitle::Kernel { output, input }, Lang::En) => format!("output {output}, input {input}"),
            (MapTitle::Kernel { output, input }, Lang::Zh) => format!("输出通道 {output}，输入通道 {input}"),
        }
    }
}

/// A convolution's filters: how many are shown, of what, at what scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FiltersLine {
    /// Output channels shown, and in all.
    pub outputs_shown: usize,
    pub outputs: usize,
    /// Input channels shown per output, and in all.
    pub inputs_shown: usize,
    pub inputs: usize,
    pub kernel: [usize; 2],
    /// The largest weight's magnitude (the shared scale).
    pub scale: f32,
}

impl Say for FiltersLine {
    fn say(&self, lang: Lang) -> String {
        let FiltersLine {
            outputs_shown,
            outputs,
            inputs_shown,
            inputs,
            kernel: [kh, kw],
            scale,
        } = *self;
        let scale = lang.number(scale as f64, 3);
        match lang {
            Lang::En => {
                let over = match inputs > inputs_shown {
                    true => format!("the kernels over its first {inputs_shown} of {inputs} input channels"),
                    false => format!(
                        "{inputs_shown} input channel{}",
                        if inputs_shown == 1 { "" } else { "s" }
                    ),
                };
                let rows = if inputs_shown > 1 {
                    ", one row per output"
                } else {
                    ""
                };
                format!(
                    "filters: {outputs_shown} of {outputs} outputs, {over} ({kh}×{kw}){rows}; weights up to ±{scale}"
                )
            }
            Lang::Zh => {
                let over = match inputs > inputs_shown {
                    true => format!("前 {inputs_shown} 个输入通道（共 {inputs} 个）上的卷积核"),
                    false => format!("{inputs_shown} 个输入通道"),
                };
                let rows = if inputs_shown > 1 {
                    "，每个输出通道一行"
                } else {
                    ""
                };
                format!(
                    "卷积核：{outputs} 个输出通道中的 {outputs_shown} 个，{over}（{kh}×{kw}）{rows}；权重最大 ±{scale}"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn a_rows_output_is_said_with_its_numbers() {
        let title = LayerTitle {
            path: "2.1".to_string(),
            name: "Conv2d".to_string(),
            settings: Settings::Code("1→6, k5, p2".to_string()),
            output: "[1, 6, 28, 28]".to_string(),
        };
        assert_eq!(
            title.say(Lang::En),
            "row 2.1 · Conv2d (1→6, k5, p2) → [1, 6, 28, 28]"
        );
        check_message(&title, &["2.1", "Conv2d", "1→6, k5, p2", "[1, 6, 28, 28]"]);
        check_message(
            &OutputLine::Maps {
                channels: 6,
                height: 28,
                width: 14,
            },
            &["6", "28×14"],
        );
        check_message(&OutputLine::Bars(84), &["84"]);
        check_message(&OutputLine::Logits, &["softmax"]);
        assert!(OutputLine::Logits.say(Lang::En).starts_with("the logits"));
        check_message(&ValueRange { lo: -1.25, hi: 2.5 }, &["-1.250", "2.500"]);
        check_message(&OddShape("[1, 2, 3]".to_string()), &["[1, 2, 3]"]);
        check_message(&ShowChannels::First(64), &["64"]);
        check_message(&ShowChannels::All(256), &["256"]);
        check_message(&MapTitle::Channel(3), &["3"]);
        check_message(&MapTitle::Kernel { output: 4, input: 2 }, &["4", "2"]);
        let some = FiltersLine {
            outputs_shown: 64,
            outputs: 96,
            inputs_shown: 8,
            inputs: 256,
            kernel: [3, 5],
            scale: 0.125,
        };
        check_message(&some, &["64", "96", "8", "256", "3×5", "±0.125"]);
        assert_eq!(
            some.say(Lang::En),
            "filters: 64 of 96 outputs, the kernels over its first 8 of 256 input channels (3×5), one row per output; weights up to ±0.125"
        );
        let first = FiltersLine {
            outputs_shown: 6,
            outputs: 6,
            inputs_shown: 1,
            inputs: 1,
            kernel: [5, 5],
            scale: 0.5,
        };
        assert_eq!(
            first.say(Lang::En),
            "filters: 6 of 6 outputs, 1 input channel (5×5); weights up to ±0.500"
        );
        check_message(&first, &["6", "5×5"]);
    }
}
