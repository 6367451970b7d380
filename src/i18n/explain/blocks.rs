//! The steps of a block's value: a concatenation (Inception, dense
//! block), a residual sum, a sequence whose output is its last layer's.

use super::num;
use crate::i18n::{Lang, Say};
use crate::shape::row_path_text;
use crate::training::explain::{
    ConcatKind, ConcatSource, Concatenation, ResidualSum, Sequence, SequenceKind,
};

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

pub(super) fn concat_lines(concat: &Concatenation, lang: Lang) -> Vec<String> {
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

pub(super) fn residual_lines(residual: &ResidualSum, lang: Lang) -> Vec<String> {
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
            format!("the gradient of the loss ({loss}, class {class}) at the block's input is the sum of two paths, through f and through the shortcut; their norms: {body} and {short}, the sum's {total}"),
            format!("损失（{loss}，类别 {class}）对块输入的梯度是两条路径之和：经过 f 的和经过捷径的；它们的范数：{body} 和 {short}，和的范数为 {total}"),
        ));
    }
    lines
}

pub(super) fn sequence_lines(sequence: &Sequence, lang: Lang) -> Vec<String> {
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
