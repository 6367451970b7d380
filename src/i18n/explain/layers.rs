//! The steps of a layer's value: a convolution, pooling, batch norm, a
//! dense layer, an elementwise function, flatten.

use super::{num, side_formula};
use crate::i18n::{Lang, Say};
use crate::training::explain::{
    ConvSum, DenseSum, ElementKind, Elementwise, Flattened, Normalised, OutputSide, PoolKind, PoolWindow,
};

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

pub(super) fn conv_lines(conv: &ConvSum, lang: Lang) -> Vec<String> {
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

pub(super) fn pool_lines(pool: &PoolWindow, lang: Lang) -> Vec<String> {
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

pub(super) fn norm_lines(norm: &Normalised, lang: Lang) -> Vec<String> {
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

pub(super) fn dense_lines(dense: &DenseSum, lang: Lang) -> Vec<String> {
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

pub(super) fn element_line(element: &Elementwise, lang: Lang) -> String {
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

pub(super) fn flatten_line(flat: &Flattened, lang: Lang) -> String {
    let (index, from, value) = (flat.index, flat.from.say(lang), num(flat.input));
    lang.pick(
        format!("flatten: feature {index} is the input's {from}: {value}"),
        format!("展平：特征 {index} 就是输入的{from}：{value}"),
    )
}
