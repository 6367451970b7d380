//! "How this row computes", said in words with its numbers: what the
//! command line prints and what the page reads out beside its grids.
//! d2l-zh's words: 互相关运算, 填充, 步幅, 汇聚层, 批量规范化, 全连接层,
//! 残差块, 稠密块, 训练模式 and 预测模式.

use super::english::english_display;
use super::{Lang, Say};
use crate::shape::row_path_text;
use crate::training::explain::{
    ConcatKind, ConcatSource, Concatenation, ConvSum, DenseSum, ElementKind, Elementwise, ExplainError,
    ExplainMode, Explanation, Flattened, How, Normalised, OutputSide, PoolKind, PoolWindow, Position,
    ResidualSum, Sequence, SequenceKind,
};

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

fn window_line(top: i64, left: i64, kernel: [usize; 2], padding_cells: usize, lang: Lang) -> String {
    let (bottom, right) = (top + kernel[0] as i64 - 1, left + kernel[1] as i64 - 1);
    match lang {
        Lang::En => format!(
            "window: input rows {top}…{bottom}, columns {left}…{right}; {padding_cells} of its cells are padding (zeros)"
        ),
        Lang::Zh => format!(
            "窗口：输入的第 {top}…{bottom} 行、第 {left}…{right} 列；其中 {padding_cells} 个格是填充（零）"
        ),
    }
}

fn sides_line(height: &OutputSide, width: &OutputSide, lang: Lang) -> String {
    let (h, w) = (side_formula(height), side_formula(width));
    lang.pick(
        format!("output height {h}, width {w}"),
        format!("输出高 {h}，宽 {w}"),
    )
}

fn conv_lines(conv: &ConvSum, lang: Lang) -> Vec<String> {
    let ConvSum {
        in_channels,
        kernel,
        stride,
        padding,
        ..
    } = *conv;
    let mut lines = vec![match (conv.is_one_by_one(), lang) {
        (false, Lang::En) => format!(
            "cross-correlation, kernel {kernel}×{kernel}, stride {stride}, padding {padding}: the window of each input channel ({in_channels} in all) times its kernel, summed"
        ),
        (false, Lang::Zh) => format!(
            "互相关运算，卷积核 {kernel}×{kernel}，步幅 {stride}，填充 {padding}：{in_channels} 个输入通道各自的窗口与卷积核逐元素相乘再求和"
        ),
        (true, Lang::En) => format!(
            "a 1×1 convolution is a fully connected layer at each pixel: {in_channels} input channels × {in_channels} weights, summed"
        ),
        (true, Lang::Zh) => format!(
            "1×1 卷积就是在每个像素位置上的全连接层：{in_channels} 个输入通道乘以 {in_channels} 个权重再求和"
        ),
    }];
    lines.push(sides_line(&conv.height, &conv.width, lang));
    lines.push(window_line(
        conv.top,
        conv.left,
        [kernel, kernel],
        conv.padding_cells,
        lang,
    ));
    for channel in &conv.detail {
        let products = channel.products.len();
        lines.push(match lang {
            Lang::En => format!(
                "  input channel {}: {products} products, sum {}",
                channel.channel,
                num(channel.sum)
            ),
            Lang::Zh => format!(
                "  输入通道 {}：{products} 个乘积，和为 {}",
                channel.channel,
                num(channel.sum)
            ),
        });
    }
    let hidden = in_channels.saturating_sub(conv.detail.len());
    if hidden > 0 {
        let rest: f32 = conv.channel_sums[conv.detail.len()..].iter().sum();
        lines.push(lang.pick(
            format!("  the other {hidden} input channels: sum {}", num(rest)),
            format!("  其余 {hidden} 个输入通道：和为 {}", num(rest)),
        ));
    }
    let (sum, bias, total) = (num(conv.sum), num(conv.bias), num(conv.total));
    lines.push(lang.pick(
        format!("sum {sum} + bias {bias} = {total}"),
        format!("和 {sum} + 偏置 {bias} = {total}"),
    ));
    lines
}

fn pool_lines(pool: &PoolWindow, lang: Lang) -> Vec<String> {
    let [kh, kw] = pool.kernel;
    let (count, result) = (pool.count, num(pool.result));
    let mut lines = vec![];
    if pool.kind != PoolKind::GlobalAvg {
        lines.push(sides_line(&pool.height, &pool.width, lang));
        let padding = pool.padding_cells.iter().filter(|&&p| p).count();
        lines.push(window_line(pool.top, pool.left, [kh, kw], padding, lang));
    }
    let channel = pool.channel;
    lines.push(match (pool.kind, lang) {
        (PoolKind::Max, Lang::En) => {
            let winner = pool.winner.map_or("-".to_string(), |cell| cell.to_string());
            format!("max pooling {kh}×{kw} of channel {channel}: the largest of {count} values is {result} (window cell {winner})")
        }
        (PoolKind::Max, Lang::Zh) => {
            let winner = pool.winner.map_or("-".to_string(), |cell| cell.to_string());
            format!("最大汇聚层 {kh}×{kw}，通道 {channel}：{count} 个值中最大的是 {result}（窗口第 {winner} 格）")
        }
        (PoolKind::Avg | PoolKind::GlobalAvg, Lang::En) => format!(
            "average pooling of channel {channel}: sum {} / {count} values = {result}",
            num(pool.sum)
        ),
        (PoolKind::Avg | PoolKind::GlobalAvg, Lang::Zh) => {
            format!("平均汇聚层，通道 {channel}：和 {} / {count} 个值 = {result}", num(pool.sum))
        }
    });
    lines
}

fn norm_lines(norm: &Normalised, lang: Lang) -> Vec<String> {
    let (x, gamma, beta, eps) = (num(norm.input), num(norm.gamma), num(norm.beta), norm.eps);
    let (mean, var) = (num(norm.batch_mean), num(norm.batch_var));
    let (running_mean, running_var) = (num(norm.running_mean), num(norm.running_var));
    let (train, eval) = (num(norm.train_value), num(norm.eval_value));
    let (count, channel, m) = (norm.count, norm.channel, norm.momentum);
    let (next_mean, next_var) = (num(norm.next_running_mean), num(norm.next_running_var));
    match lang {
        Lang::En => vec![
            format!(
                "batch norm of channel {channel}: y = γ (x − μ) / √(σ² + ε) + β, x = {x}, γ = {gamma}, β = {beta}, ε = {eps}"
            ),
            format!(
                "training: μ, σ² of this batch's {count} values of the channel = {mean}, {var} → y = {train}"
            ),
            format!("evaluation: running μ, σ² = {running_mean}, {running_var} → y = {eval}"),
            format!(
                "a training step then moves the running ones with momentum {m}: μ ← (1 − {m}) μ + {m} × {mean} = {next_mean}, σ² ← {next_var}"
            ),
        ],
        Lang::Zh => vec![
            format!(
                "批量规范化，通道 {channel}：y = γ (x − μ) / √(σ² + ε) + β，x = {x}，γ = {gamma}，β = {beta}，ε = {eps}"
            ),
            format!("训练模式：本批量该通道 {count} 个值的 μ、σ² = {mean}、{var} → y = {train}"),
            format!("预测模式：移动平均的 μ、σ² = {running_mean}、{running_var} → y = {eval}"),
            format!(
                "训练的一步随后以动量 {m} 更新移动平均：μ ← (1 − {m}) μ + {m} × {mean} = {next_mean}，σ² ← {next_var}"
            ),
        ],
    }
}

fn dense_lines(dense: &DenseSum, lang: Lang) -> Vec<String> {
    let (inputs, shown) = (dense.inputs, dense.largest.len());
    let mut lines = vec![lang.pick(
        format!("fully connected: output {} = Σ of {inputs} inputs × weights + bias; the {shown} largest products:", dense.out_feature),
        format!("全连接层：输出 {} = {inputs} 个输入 × 权重之和 + 偏置；最大的 {shown} 个乘积：", dense.out_feature),
    )];
    for c in &dense.largest {
        let (i, x, w, p) = (c.index, num(c.input), num(c.weight), num(c.product));
        lines.push(lang.pick(
            format!("  input {i}: {x} × {w} = {p}"),
            format!("  输入 {i}：{x} × {w} = {p}"),
        ));
    }
    let (rest, sum, bias, total) = (num(dense.rest), num(dense.sum), num(dense.bias), num(dense.total));
    let others = inputs - shown;
    lines.push(lang.pick(
        format!("  the other {others} products: {rest}"),
        format!("  其余 {others} 个乘积：{rest}"),
    ));
    lines.push(lang.pick(
        format!("sum {sum} + bias {bias} = {total}"),
        format!("和 {sum} + 偏置 {bias} = {total}"),
    ));
    lines
}

fn element_line(element: &Elementwise, lang: Lang) -> String {
    let (x, y) = (num(element.input), num(element.result));
    match (element.kind, element.dropped, lang) {
        (ElementKind::Relu, _, _) => format!("ReLU: max({x}, 0) = {y}"),
        (ElementKind::Sigmoid, _, _) => format!("sigmoid: 1 / (1 + e^−({x})) = {y}"),
        (ElementKind::Dropout { .. }, None, Lang::En) => {
            format!("dropout does nothing in evaluation: {x} = {y}")
        }
        (ElementKind::Dropout { .. }, None, Lang::Zh) => format!("预测时暂退法不起作用：{x} = {y}"),
        (ElementKind::Dropout { prob }, Some(true), Lang::En) => {
            format!("dropout (p = {prob}) dropped it: {x} → 0")
        }
        (ElementKind::Dropout { prob }, Some(true), Lang::Zh) => {
            format!("暂退法（p = {prob}）丢弃了它：{x} → 0")
        }
        (ElementKind::Dropout { prob }, Some(false), Lang::En) => {
            format!("dropout (p = {prob}) kept it, scaled: {x} / (1 − {prob}) = {y}")
        }
        (ElementKind::Dropout { prob }, Some(false), Lang::Zh) => {
            format!("暂退法（p = {prob}）保留了它并放大：{x} / (1 − {prob}) = {y}")
        }
    }
}

fn flatten_line(flat: &Flattened, lang: Lang) -> String {
    let (index, from, value) = (flat.index, flat.from.say(lang), num(flat.input));
    lang.pick(
        format!("flatten: feature {index} is the input's {from}: {value}"),
        format!("展平：特征 {index} 就是输入的{from}：{value}"),
    )
}

fn part_name(source: ConcatSource, lang: Lang) -> String {
    match (source, lang) {
        (ConcatSource::BlockInput, Lang::En) => "the block's input".to_string(),
        (ConcatSource::BlockInput, Lang::Zh) => "块的输入".to_string(),
        (ConcatSource::Path { index }, Lang::En) => format!("path {}", index + 1),
        (ConcatSource::Path { index }, Lang::Zh) => format!("路径 {}", index + 1),
        (ConcatSource::ConvBlock { index }, Lang::En) => format!("conv block {}", index + 1),
        (ConcatSource::ConvBlock { index }, Lang::Zh) => format!("卷积块 {}", index + 1),
    }
}

fn concat_lines(concat: &Concatenation, lang: Lang) -> Vec<String> {
    let block = match (concat.kind, lang) {
        (ConcatKind::Inception, Lang::En) => "Inception block",
        (ConcatKind::Inception, Lang::Zh) => "Inception 块",
        (ConcatKind::DenseBlock, Lang::En) => "dense block",
        (ConcatKind::DenseBlock, Lang::Zh) => "稠密块",
    };
    let mut lines = vec![lang.pick(
        format!("{block}: its output channels are its parts' outputs side by side"),
        format!("{block}：输出通道是各部分的输出在通道维上连结而成"),
    )];
    for (i, part) in concat.parts.iter().enumerate() {
        let (name, first, last) = (
            part_name(part.source, lang),
            part.first,
            part.first + part.count - 1,
        );
        let mark = if i == concat.part { " ←" } else { "" };
        lines.push(lang.pick(
            format!("  channels {first}…{last}: {name}{mark}"),
            format!("  通道 {first}…{last}：{name}{mark}"),
        ));
    }
    let part = &concat.parts[concat.part];
    let (name, channel, value) = (
        part_name(part.source, lang),
        concat.channel_in_part,
        num(concat.result),
    );
    lines.push(lang.pick(
        format!("so this is channel {channel} of {name}: {value}"),
        format!("所以这是{name}的通道 {channel}：{value}"),
    ));
    lines
}

fn residual_lines(residual: &ResidualSum, lang: Lang) -> Vec<String> {
    let (fx, x, sum, y) = (
        num(residual.body),
        num(residual.shortcut),
        num(residual.sum),
        num(residual.result),
    );
    let shortcut = match (residual.projection, lang) {
        (true, Lang::En) => "x through the 1×1 convolution",
        (true, Lang::Zh) => "经 1×1 卷积变换的 x",
        (false, Lang::En) => "x",
        (false, Lang::Zh) => "x",
    };
    let rms = residual.rms;
    let mut lines = vec![
        lang.pick(
            format!("residual block: f(x) = {fx}, {shortcut} = {x}; f(x) + x = {sum}; ReLU → {y}"),
            format!("残差块：f(x) = {fx}，{shortcut} = {x}；f(x) + x = {sum}；ReLU → {y}"),
        ),
        lang.pick(
            format!(
                "over the whole maps (root mean square): f(x) {}, x {}, sum {}",
                num(rms.body),
                num(rms.shortcut),
                num(rms.sum)
            ),
            format!(
                "整组特征图的均方根：f(x) {}，x {}，和 {}",
                num(rms.body),
                num(rms.shortcut),
                num(rms.sum)
            ),
        ),
    ];
    if let Some(g) = residual.gradient {
        let (body, short, total, class, loss) =
            (num(g.body), num(g.shortcut), num(g.total), g.class, num(g.loss));
        lines.push(lang.pick(
            format!("gradient of the loss ({loss}, class {class}) at the block's input: through f {body} + through the shortcut {short} = {total} (norms)"),
            format!("损失（{loss}，类别 {class}）对块输入的梯度：经 f 的 {body} + 经捷径的 {short} = {total}（范数）"),
        ));
    }
    lines
}

fn sequence_lines(sequence: &Sequence, lang: Lang) -> Vec<String> {
    let n = sequence.layers.len();
    let last = sequence
        .layers
        .last()
        .map_or(String::new(), |layer| row_path_text(&layer.row));
    let what = match (sequence.kind, lang) {
        (SequenceKind::Block, Lang::En) => "a block".to_string(),
        (SequenceKind::Block, Lang::Zh) => "一个块".to_string(),
        (SequenceKind::Path { index }, Lang::En) => format!("path {}", index + 1),
        (SequenceKind::Path { index }, Lang::Zh) => format!("路径 {}", index + 1),
        (SequenceKind::ConvBlock { index }, Lang::En) => format!("conv block {}", index + 1),
        (SequenceKind::ConvBlock { index }, Lang::Zh) => format!("卷积块 {}", index + 1),
    };
    let mut lines = vec![lang.pick(
        format!("{what} of {n} layers one after another: its output is its last layer's, row {last}:"),
        format!("{what}由 {n} 层依次组成：它的输出就是最后一层（第 {last} 行）的输出："),
    )];
    lines.extend(sequence.last.say(lang).lines().map(|line| format!("  {line}")));
    lines
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
