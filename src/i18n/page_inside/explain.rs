//! "How this row computes", on the page: its static words and the line
//! that sets the map's value beside the arithmetic's (the arithmetic's
//! own lines: `crate::i18n::explain`).

use crate::i18n::explain::num;
use crate::i18n::{Lang, Say};
use crate::training::explain::ExplainMode;

crate::catalogue! {
    /// The explanation panel: static strings.
    pub enum ExplainText {
        Title => "How this row computes", "这一行是如何计算的";
        Hint => "Click a cell of a map (or a bar) to see the arithmetic behind its value, for this picture and these weights, or say which value:",
            "点击特征映射中的一格（或一根条形），查看它的值背后的计算，用的是这张图片和当前的权重；也可以在这里指定：";
        Channel => "channel", "通道";
        Row => "row", "行";
        Column => "column", "列";
        Feature => "feature", "特征";
        Go => "explain", "解释";
        ModeLegend => "batch norm and dropout as in", "批量规范化和暂退法按照";
        Evaluation => "evaluation", "预测模式";
        Training => "a training step", "训练模式";
        Window => "input window", "输入窗口";
        Kernel => "kernel", "卷积核";
        Products => "products", "乘积";
        PaddingMark => "· is padding (zero)", "· 表示填充（零）";
        Pending => "asking the worker for the arithmetic…", "正在向后台线程要这一步的计算…";
        Body => "f(x)", "f(x)";
        Shortcut => "x (shortcut)", "x（捷径）";
        Sum => "f(x) + x", "f(x) + x";
    }
}

/// The value the net computed and the one the arithmetic gives: in
/// evaluation mode the map's own (the maps are drawn so), in training
/// mode that of a training step's forward pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueCheck {
    pub mode: ExplainMode,
    pub shown: f32,
    pub computed: f32,
}

impl Say for ValueCheck {
    fn say(&self, lang: Lang) -> String {
        let (shown, computed) = (num(self.shown), num(self.computed));
        match (self.mode, lang) {
            (ExplainMode::Eval, Lang::En) => {
                format!("value in the map: {shown}; the arithmetic below gives {computed}")
            }
            (ExplainMode::Eval, Lang::Zh) => format!("特征映射中的值：{shown}；下面的计算得到 {computed}"),
            (ExplainMode::Train, Lang::En) => {
                format!(
                    "value in a training step (the map shows evaluation's): {shown}; the arithmetic below gives {computed}"
                )
            }
            (ExplainMode::Train, Lang::Zh) => {
                format!(
                    "训练时这一步的值（特征映射显示的是预测模式的值）：{shown}；下面的计算得到 {computed}"
                )
            }
        }
    }
}

/// A grid's caption: which input channel, and what it holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridCaption {
    pub channel: usize,
    pub what: ExplainText,
}

impl Say for GridCaption {
    fn say(&self, lang: Lang) -> String {
        let what = lang.t(self.what);
        lang.pick(
            format!("input channel {}: {what}", self.channel),
            format!("输入通道 {}：{what}", self.channel),
        )
    }
}

/// The residual block's three map sets, for one channel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResidualCaption {
    pub channel: usize,
}

impl Say for ResidualCaption {
    fn say(&self, lang: Lang) -> String {
        let channel = self.channel;
        lang.pick(
            format!("channel {channel} of the block's body f(x), of its shortcut x, and of their sum, on one colour scale:"),
            format!("块的主体 f(x)、捷径 x 以及二者之和的通道 {channel}，共用一个色标："),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, check_catalogue, check_message};

    #[test]
    fn the_panel_speaks_both_languages() {
        check_catalogue(ExplainText::ALL);
        for mode in ExplainMode::ALL {
            let check = ValueCheck {
                mode,
                shown: 0.25,
                computed: 0.25,
            };
            check_message(&check, &["0.2500"]);
        }
        check_message(&ResidualCaption { channel: 7 }, &["7"]);
        check_message(
            &GridCaption {
                channel: 3,
                what: ExplainText::Kernel,
            },
            &["3"],
        );
    }
}
