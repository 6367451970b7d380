//! The shape table's words in both languages: why a net cannot take an
//! input (`ShapeError`, its path and its problem) and what the settings
//! column says of a block. Layer names and settings are code and stay as
//! they are; 通道, 填充, 特征映射, 暂退, 连结 as d2l-zh words them.

use super::english::english_display;
use super::{Lang, Say};
use crate::format::shape as dims;
use crate::shape::{Axis, LayerPath, Producer, Settings, ShapeError, ShapeProblem, Step};

/// `row 6 › AvgPool2d (k2, s2): the height would drop below 1 (…)`;
/// `第 6 行 › AvgPool2d (k2, s2)：高度将小于 1（…）`.
impl Say for ShapeError {
    fn say(&self, lang: Lang) -> String {
        let (layer, reason) = (self.layer.say(lang), self.reason.say(lang));
        match lang {
            Lang::En => format!("{layer}: {reason}"),
            Lang::Zh => format!("{layer}：{reason}"),
        }
    }
}

impl Say for LayerPath {
    fn say(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|step| step.say(lang))
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

impl Say for Step {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Step::Row(n), Lang::En) => format!("row {n}"),
            (Step::Row(n), Lang::Zh) => format!("第 {n} 行"),
            (Step::Net, Lang::En) => "net".to_string(),
            (Step::Net, Lang::Zh) => "网络".to_string(),
            (Step::Layer { name, settings }, _) => match settings.as_str() {
                "" => name.clone(),
                settings => format!("{name} ({settings})"),
            },
            (Step::Path(i), Lang::En) => format!("path {i}"),
            (Step::Path(i), Lang::Zh) => format!("路径 {i}"),
            (Step::Body, Lang::En) => "body".to_string(),
            (Step::Body, Lang::Zh) => "主分支".to_string(),
            (Step::Shortcut, Lang::En) => "shortcut".to_string(),
            (Step::Shortcut, Lang::Zh) => "捷径分支".to_string(),
            // The book's function name: code in both languages.
            (Step::ConvBlock(i), _) => format!("conv_block {i}"),
            (Step::LastRow { row, name }, Lang::En) => format!("row {row} {name}"),
            (Step::LastRow { row, name }, Lang::Zh) => format!("第 {row} 行 {name}"),
        }
    }
}

impl Say for Axis {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Axis::Height, Lang::En) => "height",
            (Axis::Height, Lang::Zh) => "高度",
            (Axis::Width, Lang::En) => "width",
            (Axis::Width, Lang::Zh) => "宽度",
        }
        .to_string()
    }
}

impl Say for ShapeProblem {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => english(self),
            Lang::Zh => chinese(self),
        }
    }
}

fn english(problem: &ShapeProblem) -> String {
    match problem {
        ShapeProblem::NoOutputChannels => "needs at least 1 output channel".to_string(),
        ShapeProblem::NotFlat { input } => {
            format!(
                "needs a flat [N, F] input but gets {}; add a Flatten before it",
                dims(input)
            )
        }
        ShapeProblem::NoOutputFeatures => "needs at least 1 output feature".to_string(),
        ShapeProblem::BadEps { eps } => format!("eps must be above 0 and at most 1, not {eps}"),
        ShapeProblem::BadMomentum { momentum } => format!("momentum must be from 0 to 1, not {momentum}"),
        ShapeProblem::NotBatchNormInput { input } => {
            format!("needs [N, C] or [N, C, H, W] but gets {}", dims(input))
        }
        ShapeProblem::BadDropout { prob } => {
            format!("the dropout probability must be from 0 to below 1, not {prob}")
        }
        ShapeProblem::PoolPadding => "padding may be at most half the kernel (as in PyTorch)".to_string(),
        ShapeProblem::NoAxisToFlatten { input } => {
            format!("needs a batch axis and more, gets {}", dims(input))
        }
        ShapeProblem::ZeroWindow => "kernel and stride must be at least 1".to_string(),
        &ShapeProblem::TooSmall {
            axis,
            kernel,
            side,
            padding,
        } => {
            let padded = match padding {
                0 => String::new(),
                p => format!(" padded by {p}"),
            };
            format!(
                "the {} would drop below 1 (a {kernel}×{kernel} window does not fit in {side} pixels{padded}); use a larger input",
                axis.say(Lang::En)
            )
        }
        ShapeProblem::NotFeatureMap { input } => format!(
            "needs a [N, C, H, W] feature map but gets {}; is there a Flatten before it?",
            dims(input)
        ),
        ShapeProblem::NoPaths => "has no paths".to_string(),
        ShapeProblem::CannotConcatenate { part, output, with } => format!(
            "{} gives {}, which cannot be concatenated with {}",
            part.say(Lang::En),
            dims(output),
            dims(with)
        ),
        ShapeProblem::CannotAdd { body, shortcut } => format!(
            "the body gives {} but the shortcut gives {}; they must match to be added (use a 1×1 convolution on the shortcut)",
            dims(body),
            dims(shortcut)
        ),
        ShapeProblem::NotClassScores { output, classes } => format!(
            "the net ends in {}, but the loss needs [N, {classes}]: one score per class",
            dims(output)
        ),
    }
}

fn chinese(problem: &ShapeProblem) -> String {
    match problem {
        ShapeProblem::NoOutputChannels => "至少需要 1 个输出通道".to_string(),
        ShapeProblem::NotFlat { input } => {
            format!(
                "需要展平的 [N, F] 输入，却得到 {}；请在它之前加一个 Flatten",
                dims(input)
            )
        }
        ShapeProblem::NoOutputFeatures => "至少需要 1 个输出特征".to_string(),
        ShapeProblem::BadEps { eps } => format!("eps 必须大于 0 且不超过 1，而不是 {eps}"),
        ShapeProblem::BadMomentum { momentum } => format!("momentum 必须在 0 到 1 之间，而不是 {momentum}"),
        ShapeProblem::NotBatchNormInput { input } => {
            format!("需要 [N, C] 或 [N, C, H, W] 的输入，却得到 {}", dims(input))
        }
        ShapeProblem::BadDropout { prob } => format!("暂退概率必须不小于 0 且小于 1，而不是 {prob}"),
        ShapeProblem::PoolPadding => "填充最多为汇聚窗口大小的一半（与 PyTorch 相同）".to_string(),
        ShapeProblem::NoAxisToFlatten { input } => format!("需要批量轴及其后的轴，却得到 {}", dims(input)),
        ShapeProblem::ZeroWindow => "窗口大小和步幅必须至少为 1".to_string(),
        &ShapeProblem::TooSmall {
            axis,
            kernel,
            side,
            padding,
        } => {
            let fits = match padding {
                0 => format!("{side} 个像素放不下 {kernel}×{kernel} 的窗口"),
                p => format!("{side} 个像素每边填充 {p} 后仍放不下 {kernel}×{kernel} 的窗口"),
            };
            format!("{}将小于 1（{fits}）；请使用更大的输入", axis.say(Lang::Zh))
        }
        ShapeProblem::NotFeatureMap { input } => {
            format!(
                "需要 [N, C, H, W] 的特征映射，却得到 {}；它之前是否有 Flatten？",
                dims(input)
            )
        }
        ShapeProblem::NoPaths => "没有任何路径".to_string(),
        ShapeProblem::CannotConcatenate { part, output, with } => format!(
            "{} 输出 {}，无法与 {} 连结",
            part.say(Lang::Zh),
            dims(output),
            dims(with)
        ),
        ShapeProblem::CannotAdd { body, shortcut } => format!(
            "主分支输出 {}，捷径分支却输出 {}；两者形状相同才能相加（请在捷径分支上使用 1×1 卷积层）",
            dims(body),
            dims(shortcut)
        ),
        ShapeProblem::NotClassScores { output, classes } => format!(
            "网络的输出为 {}，但损失函数需要 [N, {classes}]：每个类别一个分数",
            dims(output)
        ),
    }
}

/// `4 paths, concatenated`, `identity shortcut`, `after the sum`; code
/// (`1→6, k5, p2`, `b3`) as it is.
impl Say for Settings {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Settings::Code(code), _) => code.clone(),
            (Settings::Paths(n), Lang::En) => format!("{n} paths, concatenated"),
            (Settings::Paths(n), Lang::Zh) => format!("{n} 条路径，连结"),
            (Settings::Path(i), lang) => Step::Path(*i).say(lang),
            (Settings::Residual { projection: false }, Lang::En) => "identity shortcut".to_string(),
            (Settings::Residual { projection: false }, Lang::Zh) => "恒等捷径".to_string(),
            (Settings::Residual { projection: true }, Lang::En) => "1×1 conv shortcut".to_string(),
            (Settings::Residual { projection: true }, Lang::Zh) => "1×1 卷积捷径".to_string(),
            (Settings::OnShortcut(code), Lang::En) => format!("shortcut: {code}"),
            (Settings::OnShortcut(code), Lang::Zh) => format!("捷径分支：{code}"),
            (Settings::AfterSum, Lang::En) => "after the sum".to_string(),
            (Settings::AfterSum, Lang::Zh) => "相加之后".to_string(),
            (Settings::ConvBlock { index, channels }, Lang::En) => {
                format!("conv_block {index}, concatenated to {channels} channels")
            }
            (Settings::ConvBlock { index, channels }, Lang::Zh) => {
                format!("conv_block {index}，连结后共 {channels} 个通道")
            }
            (Settings::ConvBlocks(n), Lang::En) => format!("{n} conv blocks"),
            (Settings::ConvBlocks(n), Lang::Zh) => format!("{n} 个卷积块"),
        }
    }
}

/// `the input`, `Conv2d (1→6, k5, p2)`.
impl Say for Producer {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Producer::Input, Lang::En) => "the input".to_string(),
            (Producer::Input, Lang::Zh) => "输入".to_string(),
            (Producer::Row { name, settings }, lang) => format!("{name} ({})", settings.say(lang)),
        }
    }
}

english_display!(LayerPath, Step, Axis, ShapeProblem, Settings, Producer);
english_display!(error: ShapeError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    fn at(steps: Vec<Step>) -> LayerPath {
        LayerPath(steps)
    }

    fn layer(name: &str, settings: &str) -> Step {
        Step::Layer {
            name: name.to_string(),
            settings: settings.to_string(),
        }
    }

    #[test]
    fn a_path_keeps_its_code_and_says_its_words() {
        let path = at(vec![
            Step::Row(3),
            layer("Sequential", "b3"),
            layer("Inception", ""),
            Step::Path(2),
            layer("Conv2d", "96→128, k3, p1"),
        ]);
        assert_eq!(
            path.to_string(),
            "row 3 › Sequential (b3) › Inception › path 2 › Conv2d (96→128, k3, p1)"
        );
        assert_eq!(
            path.say(Lang::Zh),
            "第 3 行 › Sequential (b3) › Inception › 路径 2 › Conv2d (96→128, k3, p1)"
        );
        check_message(
            &path,
            &[
                "3",
                "Sequential (b3)",
                "Inception",
                "2",
                "Conv2d (96→128, k3, p1)",
            ],
        );
    }

    /// One sample of every problem: the same numbers and names in both
    /// languages, Chinese in Chinese.
    #[test]
    fn every_problem_says_its_numbers_in_both_languages() {
        let samples: Vec<(ShapeProblem, &[&str])> = vec![
            (ShapeProblem::NoOutputChannels, &["1"]),
            (
                ShapeProblem::NotFlat {
                    input: vec![2, 16, 5, 5],
                },
                &["[N, F]", "[2, 16, 5, 5]", "Flatten"],
            ),
            (ShapeProblem::NoOutputFeatures, &["1"]),
            (ShapeProblem::BadEps { eps: 2.5 }, &["eps", "0", "1", "2.5"]),
            (
                ShapeProblem::BadMomentum { momentum: -0.1 },
                &["momentum", "-0.1"],
            ),
            (
                ShapeProblem::NotBatchNormInput { input: vec![4] },
                &["[N, C]", "[N, C, H, W]", "[4]"],
            ),
            (ShapeProblem::BadDropout { prob: 1.0 }, &["0", "1"]),
            (ShapeProblem::PoolPadding, &["PyTorch"]),
            (ShapeProblem::NoAxisToFlatten { input: vec![7] }, &["[7]"]),
            (ShapeProblem::ZeroWindow, &["1"]),
            (
                ShapeProblem::TooSmall {
                    axis: Axis::Height,
                    kernel: 3,
                    side: 2,
                    padding: 0,
                },
                &["3×3", "2", "1"],
            ),
            (
                ShapeProblem::NotFeatureMap { input: vec![2, 12] },
                &["[N, C, H, W]", "[2, 12]", "Flatten"],
            ),
            (ShapeProblem::NoPaths, &[]),
            (
                ShapeProblem::CannotConcatenate {
                    part: Step::ConvBlock(2),
                    output: vec![1, 32, 3, 3],
                    with: vec![1, 64, 4, 4],
                },
                &["conv_block 2", "[1, 32, 3, 3]", "[1, 64, 4, 4]"],
            ),
            (
                ShapeProblem::CannotAdd {
                    body: vec![1, 128, 14, 14],
                    shortcut: vec![1, 64, 28, 28],
                },
                &["[1, 128, 14, 14]", "[1, 64, 28, 28]", "1×1"],
            ),
            (
                ShapeProblem::NotClassScores {
                    output: vec![1, 12],
                    classes: 10,
                },
                &["[1, 12]", "[N, 10]"],
            ),
        ];
        for (problem, values) in &samples {
            check_message(problem, values);
        }
    }

    #[test]
    fn the_english_is_the_command_lines() {
        let error = ShapeError::new(
            &at(vec![Step::LastRow {
                row: 4,
                name: "Sequential".to_string(),
            }]),
            ShapeProblem::NotClassScores {
                output: vec![1, 12],
                classes: 10,
            },
        );
        assert_eq!(
            error.to_string(),
            "row 4 Sequential: the net ends in [1, 12], but the loss needs [N, 10]: one score per class"
        );
        assert_eq!(
            error.say(Lang::Zh),
            "第 4 行 Sequential：网络的输出为 [1, 12]，但损失函数需要 [N, 10]：每个类别一个分数"
        );
        check_message(&error, &["4", "Sequential", "[1, 12]", "[N, 10]"]);
        let error = ShapeError::new(
            &at(vec![Step::Row(2), layer("Conv2d", "96→0, k5, p2")]),
            ShapeProblem::NoOutputChannels,
        );
        assert_eq!(
            error.to_string(),
            "row 2 › Conv2d (96→0, k5, p2): needs at least 1 output channel"
        );
        assert_eq!(
            error.say(Lang::Zh),
            "第 2 行 › Conv2d (96→0, k5, p2)：至少需要 1 个输出通道"
        );
    }

    #[test]
    fn settings_say_a_blocks_words_and_keep_code() {
        let samples: Vec<(Settings, &[&str])> = vec![
            (Settings::Paths(4), &["4"]),
            (Settings::Path(2), &["2"]),
            (Settings::Residual { projection: false }, &[]),
            (Settings::Residual { projection: true }, &["1×1"]),
            (
                Settings::OnShortcut("64→128, k1, s2".to_string()),
                &["64→128, k1, s2"],
            ),
            (Settings::AfterSum, &[]),
            (
                Settings::ConvBlock {
                    index: 2,
                    channels: 128,
                },
                &["conv_block 2", "128"],
            ),
            (Settings::ConvBlocks(4), &["4"]),
        ];
        for (settings, values) in &samples {
            check_message(settings, values);
        }
        assert_eq!(Settings::Paths(4).to_string(), "4 paths, concatenated");
        assert_eq!(
            Settings::ConvBlock {
                index: 1,
                channels: 96
            }
            .to_string(),
            "conv_block 1, concatenated to 96 channels"
        );
        let code = Settings::Code("1→6, k5, p2".to_string());
        assert_eq!(
            (code.say(Lang::En), code.say(Lang::Zh)),
            ("1→6, k5, p2".into(), "1→6, k5, p2".into())
        );
        assert!(Settings::Code(String::new()).is_empty() && !Settings::AfterSum.is_empty());
        let row = Producer::Row {
            name: "Conv2d".to_string(),
            settings: code,
        };
        assert_eq!(row.to_string(), "Conv2d (1→6, k5, p2)");
        check_message(&Producer::Input, &[]);
    }
}
