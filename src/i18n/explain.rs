//! "How this row computes", said in words with its numbers: what the
//! command line prints and what the page reads out beside its grids.
//! d2l-zh's words: 互相关运算, 填充, 步幅, 汇聚层, 批量规范化, 全连接层,
//! 残差块, 稠密块, 训练模式 and 预测模式.

mod blocks;
mod layers;

use blocks::{concat_lines, residual_lines, sequence_lines};
use layers::{conv_lines, dense_lines, element_line, flatten_line, norm_lines, pool_lines};

use super::english::english_display;
use super::{Lang, Say};
use crate::shape::row_path_text;
use crate::training::explain::{ExplainError, ExplainMode, Explanation, How, OutputSide, Position};

/// A value as the explanation prints it: enough digits to see the sum.
pub fn num(value: f32) -> String {
    let text = format!("{value:.4}");
    match text.as_str() {
        "-0.0000" => "0.0000".to_string(),
        _ => text,
    }
}

impl Say for ExplainError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (ExplainError::NoRow { row }, Lang::En) => format!("the net has no row {}", row_path_text(row)),
            (ExplainError::NoRow { row }, Lang::Zh) => format!("这个网络没有第 {} 行", row_path_text(row)),
            (ExplainError::Outside { at, shape }, Lang::En) => {
                format!("{} is not in the row's output {shape:?}", at.say(lang))
            }
            (ExplainError::Outside { at, shape }, Lang::Zh) => {
                format!("{}不在这一行的输出 {shape:?} 中", at.say(lang))
            }
            (ExplainError::Device { problem }, lang) => problem.say(lang),
        }
    }
}

impl Say for Position {
    fn say(&self, lang: Lang) -> String {
        let Position { channel, y, x } = *self;
        match lang {
            Lang::En => format!("channel {channel}, row {y}, column {x}"),
            Lang::Zh => format!("通道 {channel}，第 {y} 行，第 {x} 列"),
        }
    }
}

impl Say for ExplainMode {
    fn say(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            ExplainMode::Eval => (
                "evaluation mode (running statistics, no dropout)",
                "预测模式（移动平均统计量，不丢弃）",
            ),
            ExplainMode::Train => (
                "training mode (this picture's own statistics, dropout on)",
                "训练模式（本图片自身的统计量，启用暂退）",
            ),
        };
        lang.pick(en, zh).to_string()
    }
}

impl Say for Explanation {
    /// The arithmetic, a step a line: first the row and the value, then
    /// how it is made.
    fn say(&self, lang: Lang) -> String {
        let head = match lang {
            Lang::En => format!(
                "row {} at {}: {} (input {:?}, output {:?}; {})",
                row_path_text(&self.layer),
                self.at.say(lang),
                num(self.value),
                self.input,
                self.output,
                self.mode.say(lang)
            ),
            Lang::Zh => format!(
                "第 {} 行，{}：{}（输入 {:?}，输出 {:?}；{}）",
                row_path_text(&self.layer),
                self.at.say(lang),
                num(self.value),
                self.input,
                self.output,
                self.mode.say(lang)
            ),
        };
        let mut lines = vec![head];
        lines.extend(how_lines(&self.how, lang));
        lines.join("\n")
    }
}

/// How a value is made, a step a line.
pub fn how_lines(how: &How, lang: Lang) -> Vec<String> {
    match how {
        How::Conv(conv) => conv_lines(conv, lang),
        How::Pool(pool) => pool_lines(pool, lang),
        How::BatchNorm(norm) => norm_lines(norm, lang),
        How::Dense(dense) => dense_lines(dense, lang),
        How::Elementwise(element) => vec![element_line(element, lang)],
        How::Flatten(flat) => vec![flatten_line(flat, lang)],
        How::Concat(concat) => concat_lines(concat, lang),
        How::Residual(residual) => residual_lines(residual, lang),
        How::Sequence(sequence) => sequence_lines(sequence, lang),
    }
}

/// ⌊(n + 2p − k) / s⌋ + 1 with the row's numbers.
pub fn side_formula(side: &OutputSide) -> String {
    let OutputSide {
        n,
        padding,
        kernel,
        stride,
        out,
    } = *side;
    format!("⌊({n} + 2×{padding} − {kernel}) / {stride}⌋ + 1 = {out}")
}

english_display!(ExplainError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn errors_and_positions_say_their_numbers_in_both_languages() {
        check_message(&ExplainError::NoRow { row: vec![2, 0] }, &["3.1"]);
        let outside = ExplainError::Outside {
            at: Position::new(6, 0, 27),
            shape: vec![1, 6, 28, 28],
        };
        check_message(&outside, &["6", "27", "[1, 6, 28, 28]"]);
        for mode in ExplainMode::ALL {
            check_message(&mode, &[]);
        }
        assert_eq!(num(-0.00001), "0.0000");
        assert_eq!(num(1.23456), "1.2346");
        let side = OutputSide {
            n: 224,
            padding: 1,
            kernel: 11,
            stride: 4,
            out: 54,
        };
        assert_eq!(side_formula(&side), "⌊(224 + 2×1 − 11) / 4⌋ + 1 = 54");
    }
}
