//! The lab's words (`crate::lab`): the book's first experiments, each
//! titled as its section is in the English and the Chinese editions
//! (6.2.1 互相关运算 … 6.5.3 多个通道), their captions and notes, and the
//! lines with numbers (the learning's losses, the shapes' formulas).
//!
//! Code stays as the book writes it (`corr2d(X, K)`, `nn.MaxPool2d(3)`),
//! in both languages.

use crate::i18n::{Catalogue, Lang, Say};
use crate::lab::{EpochLoss, Experiment, ShapeCase};

crate::catalogue! {
    /// The lab: static strings.
    pub enum LabText {
        Title => "The book's first experiments, runnable", "书中最初的几个实验，动手运行";
        Intro => "The small cases the chapter on convolutional neural networks starts from, with the book's own inputs: every value below is computed here, in the page, and is the one the book prints.",
            "“卷积神经网络”一章开头的几个小实验，用的是书中自己的输入：下面的每个值都是在本页中算出的，也正是书中打印的值。";
        CrossCorrelationTitle => "The cross-correlation operation", "互相关运算";
        EdgeDetectionTitle => "Object edge detection in images", "图像中目标的边缘检测";
        LearningKernelTitle => "Learning a kernel", "学习卷积核";
        PaddingStrideTitle => "Padding and stride", "填充和步幅";
        MultiInputTitle => "Multiple input channels", "多输入通道";
        MultiOutputTitle => "Multiple output channels", "多输出通道";
        OneByOneTitle => "1 × 1 convolutional layer", "1×1 卷积层";
        PoolingTitle => "Maximum pooling and average pooling", "最大汇聚层和平均汇聚层";
        PoolingPaddingStrideTitle => "Padding and stride (pooling)", "汇聚层的填充和步幅";
        PoolingChannelsTitle => "Multiple channels (pooling)", "汇聚层的多个通道";
        InputX => "input X", "输入 X";
        KernelK => "kernel K", "卷积核 K";
        Corr2dOutput => "output corr2d(X, K)", "输出 corr2d(X, K)";
        EdgeImage => "X: white (1), with a black (0) band in columns 2 to 5", "X：白色（1），第 2 至 5 列为黑色（0）";
        EdgeKernel => "K = [[1, -1]]: a pixel minus its right neighbour", "K = [[1, -1]]：像素减去它右侧相邻的像素";
        EdgeOutput => "Y = corr2d(X, K): 1 at a white→black edge, -1 at black→white", "Y = corr2d(X, K)：从白到黑的边缘为 1，从黑到白的边缘为 -1";
        EdgeTransposed => "corr2d(X.T, K): nothing on the transposed image, whose edges are horizontal: this kernel sees vertical edges only",
            "corr2d(X.T, K)：转置后的图像的边缘是水平的，结果全为 0：这个卷积核只能检测垂直边缘";
        LearningNote => "A 1×2 convolutional layer without bias learns K back from X and Y above: the loss is the sum of squared errors, the learning rate 3e-2, 10 epochs, the loss printed every 2nd epoch as the book does.",
            "一个没有偏置的 1×2 卷积层从上面的 X 和 Y 学回 K：损失是平方误差之和，学习率为 3e-2，训练 10 轮，像书中一样每 2 轮打印一次损失。";
        Learn => "learn the kernel", "学习卷积核";
        StartingKernel => "the starting kernel", "初始的卷积核";
        LearnedKernel => "the learned kernel (the book's target: [[1, -1]])", "学到的卷积核（目标是 [[1, -1]]）";
        ShapeNote => "Along each axis the output's size is ⌊(n + 2p − k)/s⌋ + 1, for an input of size n, a kernel of size k, padding p on each side and stride s; here on the book's 8×8 input.",
            "每个轴上输出的大小为 ⌊(n + 2p − k)/s⌋ + 1，其中 n 为输入的大小，k 为卷积核的大小，p 为每侧的填充，s 为步幅；这里用书中 8×8 的输入。";
        MultiInputOutput => "corr2d_multi_in(X, K): the channels' cross-correlations, summed", "corr2d_multi_in(X, K)：各通道互相关运算的结果之和";
        MultiOutputNote => "K, K + 1 and K + 2 stacked into kernels of shape 3×2×2×2: one output channel each, from the same two input channels X.",
            "把 K、K + 1 和 K + 2 堆叠成形状为 3×2×2×2 的卷积核：每个输出一个通道，输入都是同样的两个通道 X。";
        KernelMatrix => "K as a 2×3 matrix: output channels × input channels", "K 写成 2×3 的矩阵：输出通道 × 输入通道";
        Product => "`K · X.reshape(3, 9)`: one row per output channel", "`K · X.reshape(3, 9)`：每个输出通道一行";
        MaxPool => "maximum pooling: pool2d(X, (2, 2))", "最大汇聚层：pool2d(X, (2, 2))";
        AveragePool => "average pooling: `pool2d(X, (2, 2), 'avg')`", "平均汇聚层：`pool2d(X, (2, 2), 'avg')`";
        PoolInput => "X = 0…15 as 4×4", "X = 0…15，排成 4×4";
        PoolPaddingNote => "The stride of `nn.MaxPool2d` is its window unless given; the padding never wins a maximum (PyTorch pads with −∞).",
            "`nn.MaxPool2d` 的步幅默认与汇聚窗口相同；填充的位置不会成为最大值（PyTorch 用 −∞ 填充）。";
        PoolChannelsNote => "X and X + 1 as two channels: pooling works on each channel on its own, so the output has as many channels as the input.",
            "把 X 和 X + 1 作为两个通道：汇聚层在每个通道上单独运算，所以输出的通道数与输入的相同。";
    }
}

/// The catalogue entry of an experiment's title (without its section).
pub fn title(experiment: Experiment) -> LabText {
    match experiment {
        Experiment::CrossCorrelation => LabText::CrossCorrelationTitle,
        Experiment::EdgeDetection => LabText::EdgeDetectionTitle,
        Experiment::LearningKernel => LabText::LearningKernelTitle,
        Experiment::PaddingStride => LabText::PaddingStrideTitle,
        Experiment::MultiInput => LabText::MultiInputTitle,
        Experiment::MultiOutput => LabText::MultiOutputTitle,
        Experiment::OneByOne => LabText::OneByOneTitle,
        Experiment::Pooling => LabText::PoolingTitle,
        Experiment::PoolingPaddingStride => LabText::PoolingPaddingStrideTitle,
        Experiment::PoolingChannels => LabText::PoolingChannelsTitle,
    }
}

/// An experiment's heading: `6.2.1 The cross-correlation operation`,
/// `6.2.1 互相关运算`.
impl Say for Experiment {
    fn say(&self, lang: Lang) -> String {
        format!("{} {}", self.section(), title(*self).get(lang))
    }
}

/// The loss line the book prints: `epoch 2, loss 4.949`.
impl Say for EpochLoss {
    fn say(&self, lang: Lang) -> String {
        let loss = lang.number(self.loss as f64, 3);
        match lang {
            Lang::En => format!("epoch {}, loss {loss}", self.epoch),
            Lang::Zh => format!("第 {} 轮，损失 {loss}", self.epoch),
        }
    }
}

/// Why the learning's start is what it is: the book's is random.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeededStart(pub u64);

impl Say for SeededStart {
    fn say(&self, lang: Lang) -> String {
        let seed = self.0;
        match lang {
            Lang::En => format!(
                "The book starts from a random kernel, so its lines differ from run to run; here the start is drawn from a fixed seed ({seed}), in PyTorch's range for this layer (±1/√2), so that every run prints the same."
            ),
            Lang::Zh => format!(
                "书中从一个随机的卷积核开始，所以每次运行打印的值都不同；这里的初始值用固定的种子（{seed}）在 PyTorch 为这一层取值的范围（±1/√2）内抽取，所以每次运行打印的都一样。"
            ),
        }
    }
}

/// How a case of 6.3 gets its shape, the formula with its numbers per
/// axis: `height ⌊(8 + 2×1 − 3)/2⌋ + 1 = 4, width … : output 4×4`.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeFormula(pub ShapeCase);

impl ShapeFormula {
    fn axis(&self, a: usize) -> String {
        let c = &self.0;
        let (n, p, k, s) = (c.input[a], c.padding[a], c.kernel[a], c.stride[a]);
        format!("⌊({n} + 2×{p} − {k})/{s}⌋ + 1 = {}", c.output[a])
    }
}

impl Say for ShapeFormula {
    fn say(&self, lang: Lang) -> String {
        let (height, width) = (self.axis(0), self.axis(1));
        let [rows, cols] = self.0.output;
        match lang {
            Lang::En => format!("height {height}, width {width}: output {rows}×{cols}"),
            Lang::Zh => format!("高 {height}，宽 {width}：输出 {rows}×{cols}"),
        }
    }
}

/// A table of one channel: `X, channel 0`, `X 的通道 0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelCaption {
    /// The tensor's name as the book's code calls it (`X`, `K`).
    pub name: &'static str,
    pub channel: usize,
}

impl Say for ChannelCaption {
    fn say(&self, lang: Lang) -> String {
        let ChannelCaption { name, channel } = *self;
        lang.pick(
            format!("{name}, channel {channel}"),
            format!("{name} 的通道 {channel}"),
        )
    }
}

/// An output channel: `output channel 1`, with what computed it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutputChannel {
    pub channel: usize,
    /// How it is computed, as code (`K + 1`, `corr2d_multi_in_out`).
    pub from: &'static str,
}

impl Say for OutputChannel {
    fn say(&self, lang: Lang) -> String {
        let OutputChannel { channel, from } = *self;
        lang.pick(
            format!("output channel {channel} (`{from}`)"),
            format!("输出通道 {channel}（`{from}`）"),
        )
    }
}

/// 6.4.3's note: its random values are seeded, and what it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OneByOneNote(pub u64);

impl Say for OneByOneNote {
    fn say(&self, lang: Lang) -> String {
        let seed = self.0;
        match lang {
            Lang::En => format!(
                "A 1×1 convolution mixes the channels at each pixel: it is the product of K (2 outputs × 3 inputs) with X's pixels as columns (3×9). The book's X (3 channels of 3×3) and K are random; here they are drawn from a fixed seed ({seed})."
            ),
            Lang::Zh => format!(
                "1×1 卷积在每个像素上混合各个通道：它就是 K（2 个输出通道 × 3 个输入通道）与以 X 的像素为列的矩阵（3×9）的乘积。书中的 X（3 个 3×3 的通道）和 K 是随机的；这里用固定的种子（{seed}）抽取。"
            ),
        }
    }
}

/// How far apart the product and the convolution are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LargestDifference(pub f32);

impl Say for LargestDifference {
    fn say(&self, lang: Lang) -> String {
        let difference = match self.0 {
            0.0 => "0".to_string(),
            d => format!("{d:.1e}"),
        };
        lang.pick(
            format!(
                "the largest difference between the two ways: {difference} (the book asks for less than 1e-6)"
            ),
            format!("两种算法结果之间最大的差：{difference}（书中要求小于 1e-6）"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{check_catalogue, check_message};
    use crate::lab::padding_and_stride;

    #[test]
    fn every_entry_says_something_in_both_languages() {
        check_catalogue(LabText::ALL);
        for text in LabText::ALL {
            let zh = text.get(Lang::Zh);
            assert!(!zh.contains("池化"), "{zh}: 汇聚, as d2l-zh says it");
            assert!(!zh.contains("归一化"), "{zh}: 规范化, as d2l-zh says it");
        }
    }

    #[test]
    fn each_experiment_is_titled_with_its_section() {
        assert_eq!(Experiment::CrossCorrelation.say(Lang::Zh), "6.2.1 互相关运算");
        assert_eq!(Experiment::Pooling.say(Lang::Zh), "6.5.1 最大汇聚层和平均汇聚层");
        for experiment in Experiment::ALL {
            check_message(&experiment, &[experiment.section()]);
        }
    }

    #[test]
    fn the_lines_with_numbers_keep_their_numbers() {
        let line = EpochLoss {
            epoch: 2,
            loss: 4.9489,
        };
        assert_eq!(line.say(Lang::En), "epoch 2, loss 4.949");
        check_message(&line, &["2", "4.949"]);
        check_message(&SeededStart(624), &["624", "±1/√2"]);
        let case = padding_and_stride().remove(3);
        let formula = ShapeFormula(case);
        assert_eq!(
            formula.say(Lang::En),
            "height ⌊(8 + 2×0 − 3)/3⌋ + 1 = 2, width ⌊(8 + 2×1 − 5)/4⌋ + 1 = 2: output 2×2"
        );
        check_message(&formula, &["⌊(8 + 2×0 − 3)/3⌋ + 1 = 2", "2×2"]);
        check_message(
            &ChannelCaption {
                name: "X",
                channel: 1,
            },
            &["X", "1"],
        );
        check_message(
            &OutputChannel {
                channel: 2,
                from: "K + 2",
            },
            &["2", "K + 2"],
        );
        check_message(&OneByOneNote(643), &["643", "3×9"]);
        check_message(&LargestDifference(0.0), &["0", "1e-6"]);
        check_message(&LargestDifference(2.5e-7), &["2.5e-7"]);
    }
}
