//! The net editor's words in both languages: its fields' labels, the
//! columns of its tables, the choices a reader sees as words, why a text
//! is not a value for a field, and what an edit changes from the book's.
//! d2l-zh's terms: 激活函数, 汇聚层, 卷积核, 填充, 步幅, 通道, 全连接层,
//! 暂退, 批量规范化, 残差块, 稠密块, 过渡层, 增长率; the book's code names
//! (`nin_block`, `b3`, `eps`, `momentum`) stay as code.

use serde::{Deserialize, Serialize};

use super::english::english_display;
use super::{Catalogue, Lang, Say};
use crate::arch::edit::{Change, EditError, ValueProblem};

crate::catalogue! {
    /// The label of one of the editor's fields.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FieldLabel {
        Activation => "activation", "激活函数";
        Pooling => "pooling", "汇聚层";
        ConvChannels => "convolution channels", "卷积层的输出通道数";
        KernelSize => "kernel size", "卷积核大小";
        FirstPadding => "first convolution's padding", "第一个卷积层的填充";
        HiddenDense => "hidden dense widths", "隐藏全连接层的宽度";
        FirstKernel => "first convolution's kernel", "第一个卷积层的卷积核大小";
        FirstStride => "first convolution's stride", "第一个卷积层的步幅";
        DenseWidth => "dense width", "全连接层的宽度";
        Dropout => "dropout", "暂退概率";
        VggBlocks => "blocks (convolutions × channels)", "VGG块（卷积层数 × 通道数）";
        WidthRatio => "width ratio (channels ÷)", "宽度比例（通道数 ÷）";
        NinBlocks => "nin_blocks (channels, kernel, stride, padding; the last one's channels are the classes)",
            "nin_block（通道数、卷积核大小、步幅、填充；最后一块的通道数即类别数）";
        OneByOne => "1×1 convolutions per block", "每个NiN块的 1×1 卷积层数";
        B3 => "b3's Inception blocks (path widths)", "b3 的 Inception块（各路径的通道数）";
        B4 => "b4's Inception blocks (path widths)", "b4 的 Inception块（各路径的通道数）";
        B5 => "b5's Inception blocks (path widths)", "b5 的 Inception块（各路径的通道数）";
        BnAfterConv1 => "batch norm after conv 1", "卷积层 1 之后的批量规范化";
        BnAfterConv2 => "after conv 2", "卷积层 2 之后";
        BnAfterDense1 => "after dense 1", "全连接层 1 之后";
        BnAfterDense2 => "after dense 2", "全连接层 2 之后";
        BnOrder => "batch norm goes", "批量规范化的位置";
        Eps => "eps", "eps";
        Momentum => "momentum (weight of each new batch)", "momentum（每个新批量的权重）";
        Stages => "stages (channels × residual blocks)", "模块（通道数 × 残差块数）";
        B1Channels => "b1's channels", "b1 的通道数";
        Shortcut => "shortcut (off: a plain net)", "捷径（关闭即为普通网络）";
        BatchNorm => "batch norm", "批量规范化";
        GrowthRate => "growth rate", "增长率";
        DenseConvs => "convolutions per dense block", "每个稠密块的卷积层数";
        TransitionDivisor => "transition divides channels by", "过渡层将通道数除以";
    }
}

crate::catalogue! {
    /// A column of one of the editor's tables (one row per block).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Column {
        Convolutions => "convolutions", "卷积层数";
        Channels => "channels", "通道数";
        Kernel => "kernel", "卷积核大小";
        Stride => "stride", "步幅";
        Padding => "padding", "填充";
        Residuals => "residuals", "残差块数";
        /// Inception's paths: the 1×1 path, …
        OneByOne => "1×1", "1×1";
        /// … the 1×1 convolution into the 3×3 one, …
        ThreeIn => "3×3 in", "3×3 的输入";
        Three => "3×3", "3×3";
        FiveIn => "5×5 in", "5×5 的输入";
        Five => "5×5", "5×5";
        /// … and the 1×1 convolution after the pooling.
        PoolOneByOne => "pool 1×1", "汇聚后的 1×1";
    }
}

crate::catalogue! {
    /// A choice's value as a reader sees it; its English is the value as a
    /// link and the command line write it (`act-relu`, `order-after`).
    pub enum Choice {
        Sigmoid => "sigmoid", "sigmoid";
        Relu => "relu", "relu";
        Avg => "avg", "平均汇聚";
        Max => "max", "最大汇聚";
        Before => "before", "激活函数之前";
        After => "after", "激活函数之后";
        On => "on", "开";
        Off => "off", "关";
    }
}

impl Choice {
    /// The choice a field's text (`relu`, `max`, `on`) is, if it is one.
    pub fn from_id(id: &str) -> Option<Choice> {
        Choice::ALL.iter().copied().find(|choice| choice.id() == id)
    }

    /// As a link writes it.
    pub fn id(self) -> &'static str {
        self.get(Lang::En)
    }
}

/// A field's text as a reader sees it: a choice's word, else the text
/// (numbers, lists and tables read the same in both languages).
pub fn say_value(text: &str, lang: Lang) -> String {
    Choice::from_id(text).map_or_else(|| text.to_string(), |choice| lang.t(choice).to_string())
}

impl Say for EditError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (EditError::Field { label, problem }, Lang::En) => format!("{label}: {problem}"),
            (EditError::Field { label, problem }, Lang::Zh) => {
                format!("{}：{}", lang.t(*label), problem.say(lang))
            }
            (EditError::NoSuchField { arch, key }, Lang::En) => format!("{arch} has no setting “{key}”"),
            (EditError::NoSuchField { arch, key }, Lang::Zh) => {
                format!("{} 没有设置项“{key}”", arch.say(lang))
            }
            (EditError::NoFieldFor { arch }, Lang::En) => {
                format!("it describes a {arch} with settings the editor has no field for")
            }
            (EditError::NoFieldFor { arch }, Lang::Zh) => {
                format!("它描述的 {} 含有编辑器中没有对应字段的设置", arch.say(lang))
            }
        }
    }
}

impl Say for ValueProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (ValueProblem::OutOfBounds(problem), lang) => problem.say(lang),
            (ValueProblem::NotAChoice { choices }, Lang::En) => format!("one of {}", choices.join(", ")),
            (ValueProblem::NotAChoice { choices }, Lang::Zh) => {
                format!("应为以下之一：{}", choices.join("、"))
            }
            (ValueProblem::NotAFlag { text }, Lang::En) => format!("on or off, not “{text}”"),
            (ValueProblem::NotAFlag { text }, Lang::Zh) => format!("应为 on 或 off，而不是“{text}”"),
            (&ValueProblem::ListLength { min, max, found }, Lang::En) if min == max => {
                format!("exactly {min} numbers, not {found}")
            }
            (&ValueProblem::ListLength { min, max, found }, Lang::Zh) if min == max => {
                format!("应恰好为 {min} 个数，而不是 {found} 个")
            }
            (ValueProblem::ListLength { min, max, found }, Lang::En) => {
                format!("from {min} to {max} numbers, not {found}")
            }
            (ValueProblem::ListLength { min, max, found }, Lang::Zh) => {
                format!("应为 {min} 到 {max} 个数，而不是 {found} 个")
            }
            (ValueProblem::RowCells { row, found, columns }, lang) => {
                let columns = columns
                    .iter()
                    .map(|column| lang.t(*column))
                    .collect::<Vec<_>>()
                    .join(" × ");
                match lang {
                    Lang::En => format!("row {row} has {found} numbers; each row is {columns}"),
                    Lang::Zh => format!("第 {row} 行有 {found} 个数；每行应为“{columns}”"),
                }
            }
            (ValueProblem::InRow { row, cell }, Lang::En) => format!("row {row}: {cell}"),
            (ValueProblem::InRow { row, cell }, Lang::Zh) => format!("第 {row} 行：{}", cell.say(lang)),
            (ValueProblem::RowCount { min, max, found }, Lang::En) => {
                format!("from {min} to {max} rows, not {found}")
            }
            (ValueProblem::RowCount { min, max, found }, Lang::Zh) => {
                format!("应为 {min} 到 {max} 行，而不是 {found} 行")
            }
        }
    }
}

/// `activation sigmoid → relu`; `汇聚层 平均汇聚 → 最大汇聚`.
impl Say for Change {
    fn say(&self, lang: Lang) -> String {
        format!(
            "{} {} → {}",
            lang.t(self.field.label),
            say_value(&self.book, lang),
            say_value(&self.field.value, lang)
        )
    }
}

english_display!(FieldLabel, Column, Choice, ValueProblem, Change);
english_display!(error: EditError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::edit::{self, Kind};
    use crate::arch::{Arch, NetConfig};
    use crate::i18n::{check_catalogue, check_message};

    #[test]
    fn every_label_column_and_choice_says_something_in_both_languages() {
        check_catalogue(FieldLabel::ALL);
        check_catalogue(Column::ALL);
        check_catalogue(Choice::ALL);
    }

    #[test]
    fn every_field_has_a_label_and_every_choice_a_word() {
        for arch in Arch::ALL {
            for field in edit::fields(&NetConfig::default_for(arch)) {
                if let Kind::Choice(choices) = field.kind {
                    for choice in choices {
                        assert!(
                            Choice::from_id(choice).is_some(),
                            "{arch} {}: {choice}",
                            field.key
                        );
                    }
                }
                if let Kind::Flag = field.kind {
                    assert!(Choice::from_id(&field.value).is_some(), "{arch} {}", field.key);
                }
            }
        }
        assert_eq!(Choice::from_id("max"), Some(Choice::Max));
        assert_eq!(say_value("max", Lang::Zh), "最大汇聚");
        assert_eq!(say_value("6, 16", Lang::Zh), "6, 16");
    }

    #[test]
    fn edit_errors_name_the_field_and_the_text_in_both_languages() {
        let lenet = NetConfig::default_for(Arch::LeNet);
        let error = edit::set(&lenet, "ch", "6, 0").unwrap_err();
        assert_eq!(
            error.to_string(),
            "convolution channels: a whole number from 1 to 4096, not “0”"
        );
        assert_eq!(
            error.say(Lang::Zh),
            "卷积层的输出通道数：应为1 到 4096 之间的整数，而不是“0”"
        );
        check_message(&error, &["1", "4096", "0"]);
        let error = edit::set(&lenet, "act", "tanh").unwrap_err();
        check_message(&error, &["sigmoid", "relu"]);
        assert_eq!(error.say(Lang::Zh), "激活函数：应为以下之一：sigmoid、relu");
        let error = edit::set(&lenet, "nope", "1").unwrap_err();
        check_message(&error, &["LeNet", "nope"]);
        let bn = NetConfig::default_for(Arch::BnLeNet);
        let error = edit::set(&bn, "bn1", "maybe").unwrap_err();
        check_message(&error, &["maybe"]);
        check_message(&EditError::NoFieldFor { arch: Arch::BnLeNet }, &["LeNet"]);
        let vgg = NetConfig::default_for(Arch::Vgg);
        for (text, values) in [
            ("1×64, 2", &["2", "1"][..]),
            ("1×64, 2×abc", &["2", "1024", "abc"]),
            ("", &["1", "8", "0"]),
        ] {
            check_message(&edit::set(&vgg, "blocks", text).unwrap_err(), values);
        }
        let densenet = NetConfig::default_for(Arch::DenseNet);
        check_message(&edit::set(&densenet, "convs", "").unwrap_err(), &["1", "6", "0"]);
    }

    #[test]
    fn a_change_says_the_field_and_both_values() {
        let relu_max = edit::apply_query(NetConfig::default_for(Arch::LeNet), "act-relu~pool-max").0;
        let changes = edit::changes(&relu_max);
        let said: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(said, ["activation sigmoid → relu", "pooling avg → max"]);
        assert_eq!(changes[1].say(Lang::Zh), "汇聚层 平均汇聚 → 最大汇聚");
        for change in &changes {
            check_message(change, &["→"]);
        }
    }
}
