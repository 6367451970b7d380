//! The nets by name in both languages: their short titles, one line each,
//! the book's section titles (d2l-zh's: 卷积神经网络（LeNet）, …), what an
//! edited net is called, and the book's exercises as presets. The exercises
//! use d2l-zh's own wording where the book asks them (its 练习), ours
//! otherwise.

use super::english::english_display;
use super::{Lang, Say};
use crate::arch::{Arch, NetTitle, Widths};

impl Say for Arch {
    /// The card's short title: the net's name; `LeNet + 批量规范化`.
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Arch::BnLeNet, Lang::Zh) => "LeNet + 批量规范化".to_string(),
            (arch, _) => arch.title().to_string(),
        }
    }
}

crate::catalogue! {
    /// One line for a reader choosing a net (`Arch::summary`).
    pub enum ArchSummary {
        LeNet => "1998: two sigmoid convolutions with average pooling, then three dense layers.",
            "1998 年：两个使用 sigmoid 激活函数的卷积层和平均汇聚层，随后是三个全连接层。";
        AlexNet => "2012: deeper and wider, ReLU, max pooling and dropout; won ImageNet.",
            "2012 年：更深更宽，使用 ReLU、最大汇聚层和暂退法；赢得了 ImageNet 图像识别挑战赛。";
        Vgg => "2014: repeated blocks of 3×3 convolutions; VGG-11, slimmed by a width ratio.",
            "2014 年：重复的 3×3 卷积块；VGG-11，按宽度比例缩减了通道数。";
        NiN => "2013: 1×1 convolutions as per-pixel MLPs, global average pooling instead of dense layers.",
            "2013 年：1×1 卷积层充当逐像素的多层感知机，用全局平均汇聚层代替全连接层。";
        GoogLeNet => "2014: Inception blocks run 1×1, 3×3, 5×5 and pooling paths side by side.",
            "2014 年：Inception块并行运行 1×1、3×3、5×5 卷积和汇聚四条路径。";
        BnLeNet => "2015: LeNet with batch normalisation after every convolution and dense layer.",
            "2015 年：在每个卷积层和全连接层之后加入批量规范化的 LeNet。";
        ResNet => "2015: residual blocks add their input back, so very deep nets still train.",
            "2015 年：残差块把输入加回输出，使很深的网络依然能够训练。";
        DenseNet => "2017: each layer sees the concatenated outputs of all layers before it.",
            "2017 年：每一层都以之前所有层输出的连结作为输入。";
    }
}

crate::catalogue! {
    /// The title of the book's section that builds a net (`Arch::section`):
    /// d2l-zh's, and the English it was translated from.
    pub enum SectionTitle {
        LeNet => "Convolutional Neural Networks (LeNet)", "卷积神经网络（LeNet）";
        AlexNet => "Deep Convolutional Neural Networks (AlexNet)", "深度卷积神经网络（AlexNet）";
        Vgg => "Networks Using Blocks (VGG)", "使用块的网络（VGG）";
        NiN => "Network in Network (NiN)", "网络中的网络（NiN）";
        GoogLeNet => "Networks with Parallel Concatenations (GoogLeNet)", "含并行连结的网络（GoogLeNet）";
        BnLeNet => "Batch Normalization", "批量规范化";
        ResNet => "Residual Networks (ResNet)", "残差网络（ResNet）";
        DenseNet => "Densely Connected Networks (DenseNet)", "稠密连接网络（DenseNet）";
    }
}

/// `VGG-16`, `ResNet-34`, `plain 34-layer net without batch norm (narrow)`,
/// `LeNet (edited)`; `34 层普通网络（无批量规范化，窄版）`, `LeNet（已修改）`.
impl Say for NetTitle {
    fn say(&self, lang: Lang) -> String {
        match (*self, lang) {
            (NetTitle::Book(arch), lang) => arch.say(lang),
            (NetTitle::Edited(arch), Lang::En) => format!("{} (edited)", arch.title()),
            (NetTitle::Edited(arch), Lang::Zh) => format!("{}（已修改）", arch.say(lang)),
            (NetTitle::Vgg { layers }, _) => format!("VGG-{layers}"),
            (
                NetTitle::ResNet {
                    depth,
                    shortcut,
                    batch_norm,
                    widths,
                },
                Lang::En,
            ) => {
                let mut title = match shortcut {
                    true => format!("ResNet-{depth}"),
                    false => format!("plain {depth}-layer net"),
                };
                if !batch_norm {
                    title += " without batch norm";
                }
                title += match widths {
                    Widths::Book => "",
                    Widths::Narrow => " (narrow)",
                    Widths::Other => " (other widths)",
                };
                title
            }
            (
                NetTitle::ResNet {
                    depth,
                    shortcut,
                    batch_norm,
                    widths,
                },
                Lang::Zh,
            ) => {
                let title = match shortcut {
                    true => format!("ResNet-{depth}"),
                    false => format!("{depth} 层普通网络"),
                };
                let mut notes = vec![];
                if !batch_norm {
                    notes.push("无批量规范化");
                }
                match widths {
                    Widths::Book => {}
                    Widths::Narrow => notes.push("窄版"),
                    Widths::Other => notes.push("其他宽度"),
                }
                match notes.is_empty() {
                    true => title,
                    false => format!("{title}（{}）", notes.join("，")),
                }
            }
        }
    }
}

crate::catalogue! {
    /// A preset's title (one of the book's exercises).
    pub enum PresetTitle {
        LeNetReluMax => "ReLU and max pooling", "ReLU 与最大汇聚层";
        AlexNet28 => "28×28 without resizing", "28×28，不放大";
        Vgg13 => "VGG-13", "VGG-13";
        Vgg16 => "VGG-16", "VGG-16";
        Vgg19 => "VGG-19", "VGG-19";
        NiNOne => "one 1×1 convolution per block", "每块一个 1×1 卷积层";
        GoogLeNetHalf => "half-width Inception blocks", "半宽的 Inception块";
        BnAfter => "batch norm after the activation", "激活函数之后的批量规范化";
        BnConvsOnly => "batch norm after the convolutions only", "只在卷积层之后批量规范化";
        ResNet34 => "ResNet-34", "ResNet-34";
        Plain34 => "plain 34-layer net", "34 层普通网络";
        DeepPlain => "deep and narrow: plain", "深而窄：普通网络";
        DeepResidual => "deep and narrow: residual", "深而窄：残差网络";
        DenseNetGrowth16 => "growth rate 16", "增长率 16";
    }
}

crate::catalogue! {
    /// A preset's question: d2l-zh's own wording of the exercise where the
    /// book asks it (LeNet's 1 and 2.3, VGG's 4, NiN's 2, batch norm's 3,
    /// ResNet's 2), a faithful Chinese of ours otherwise.
    pub enum PresetQuestion {
        LeNetReluMax => "LeNet was built with sigmoids and average pooling. Swap in ReLU and max pooling, as the nets \
                         after it do: does it learn faster, and does the book's learning rate of 0.9 still suit it?",
            "将平均汇聚层替换为最大汇聚层，并像之后的网络那样把激活函数换成 ReLU，会发生什么？它学得更快吗？\
             书中 0.9 的学习率还合适吗？";
        AlexNet28 => "The book blows Fashion-MNIST up to 224×224 for AlexNet. At 28×28 its first 11×11 window with \
                      stride 4 shrinks the image to nothing by the third pooling. A 3×3 first convolution with stride \
                      1 keeps it: which other layers would you change, and what does it cost in time?",
            "书中为 AlexNet 把 Fashion-MNIST 放大到 224×224。在 28×28 上，它第一个步幅为 4 的 11×11 窗口到第三个\
             汇聚层时已把图像缩得一点不剩。第一个卷积层改用步幅为 1 的 3×3 卷积就能保住图像：你还会修改哪些层？\
             时间上要付出多少代价？";
        Vgg13 => "VGG-13 doubles the convolutions of the first two blocks. Compare its table with VGG-11's: where do \
                  the parameters and the multiply-adds go?",
            "VGG-13 把前两个块的卷积层数加倍。把它的表格与 VGG-11 的比较：参数和乘加运算都花在了哪里？";
        Vgg16 => "VGG-16 has three convolutions in each of the last three blocks. How much slower is a step, and does \
                  it reach a better accuracy on Fashion-MNIST?",
            "请参考VGG论文中的表1构建其他常见模型，如VGG-16或VGG-19：VGG-16 的后三个块各有三个卷积层。\
             每一步慢了多少？它在 Fashion-MNIST 上能达到更高的精度吗？";
        Vgg19 => "VGG-19 has four. Past which depth does adding 3×3 layers stop paying off here?",
            "VGG-19 则各有四个。在这里，加深到多少层之后再添加 3×3 卷积层就不再划算了？";
        NiNOne => "Why does each NiN block have two 1×1 convolutions? Keep one and compare the accuracy and the \
                   parameter count.",
            "为什么NiN块中有两个 1×1 卷积层？删除其中一个，然后观察和分析实验现象：比较精度和参数数量。";
        GoogLeNetHalf => "GoogLeNet was designed for ImageNet. Halve every path of every Inception block: how much of \
                          the accuracy on Fashion-MNIST does it keep, for how much less computation?",
            "GoogLeNet 是为 ImageNet 设计的。把每个 Inception块的每条路径都减半：它在 Fashion-MNIST 上能保留多少\
             精度，又省下多少计算量？";
        BnAfter => "The book puts batch norm between each layer and its activation. Put it after the activation \
                    instead: does it train as fast?",
            "书中的批量规范化是在卷积层或全连接层之后、相应的激活函数之前应用的。改为放在激活函数之后：\
             训练得一样快吗？";
        BnConvsOnly => "Do we need batch norm after every layer? Keep it after the two convolutions only and compare.",
            "我们是否需要在每个层中进行批量规范化？只在两个卷积层之后保留它，然后比较。";
        ResNet34 => "ResNet-34 has 3, 4, 6 and 3 residual blocks per stage. How do its table and its time per step \
                     compare with ResNet-18's?",
            "参考ResNet论文中的表1，以实现不同的变体：ResNet-34 的四个模块分别有 3、4、6、3 个残差块。\
             它的表格和每步用时与 ResNet-18 相比如何？";
        Plain34 => "The same 34 layers without the shortcuts. He et al. found such plain nets train worse than \
                    shallower ones. Does it here?",
            "同样的 34 层，但去掉捷径。何恺明等人发现这样的普通网络比更浅的网络训练得更差。在这里也是这样吗？";
        DeepPlain => "A 34-layer net without shortcuts or batch norm, narrow enough to train in a tab. Train it and \
                      watch the gradient view: how large are the first layers' gradients next to the last ones'? \
                      Then train its residual twin.",
            "一个没有捷径、也没有批量规范化的 34 层网络，窄到可以在浏览器标签页中训练。训练它并观察梯度视图：\
             前几层的梯度与最后几层相比有多大？然后训练它的残差版本。";
        DeepResidual => "The same net with its shortcuts. Adding x back gives the gradient a path around every \
                         block: compare the first layers' gradients with the plain twin's.",
            "同一个网络，加上捷径。把 x 加回去，让梯度有一条绕过每个块的通路：把前几层的梯度与普通版本的比较。";
        DenseNetGrowth16 => "Each convolution in a dense block adds growth-rate channels. Halve it: what happens to \
                             the parameters, the memory and the accuracy?",
            "稠密块中的每个卷积层都会增加“增长率”个通道。把增长率减半：参数、内存和精度会怎样？";
    }
}

english_display!(NetTitle, ArchSummary, SectionTitle, PresetTitle, PresetQuestion);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::NetConfig;
    use crate::arch::edit;
    use crate::i18n::{Catalogue, check_catalogue, check_message};

    #[test]
    fn every_summary_section_and_exercise_says_something_in_both_languages() {
        check_catalogue(ArchSummary::ALL);
        check_catalogue(SectionTitle::ALL);
        check_catalogue(PresetTitle::ALL);
        check_catalogue(PresetQuestion::ALL);
    }

    #[test]
    fn every_net_has_its_summary_and_the_books_section_title() {
        for arch in Arch::ALL {
            assert!(!arch.summary().get(Lang::Zh).is_empty());
            assert!(
                arch.summary()
                    .get(Lang::Zh)
                    .starts_with(&arch.summary().get(Lang::En)[..4])
            );
        }
        assert_eq!(
            Arch::GoogLeNet.section().get(Lang::Zh),
            "含并行连结的网络（GoogLeNet）"
        );
        assert_eq!(Arch::BnLeNet.section().get(Lang::Zh), "批量规范化");
        assert_eq!(Arch::BnLeNet.say(Lang::Zh), "LeNet + 批量规范化");
        assert_eq!(Arch::BnLeNet.say(Lang::En), Arch::BnLeNet.title());
        // Every net's presets are its own, each with a title and a question.
        for arch in Arch::ALL {
            for preset in edit::presets(arch) {
                assert!(!preset.title.get(Lang::Zh).is_empty(), "{}", preset.id);
                assert!(
                    preset.question.get(Lang::Zh).ends_with('？')
                        || preset.question.get(Lang::Zh).ends_with('。')
                );
            }
        }
    }

    #[test]
    fn edited_nets_are_named_in_both_languages() {
        let title = |id: &str| edit::preset(id).unwrap().net.title();
        assert_eq!(title("plain-34").say(Lang::Zh), "34 层普通网络");
        assert_eq!(
            title("deep-plain").say(Lang::Zh),
            "34 层普通网络（无批量规范化，窄版）"
        );
        assert_eq!(
            title("deep-residual").say(Lang::Zh),
            "ResNet-34（无批量规范化，窄版）"
        );
        assert_eq!(title("lenet-relu-max").say(Lang::Zh), "LeNet（已修改）");
        assert_eq!(title("lenet-relu-max").to_string(), "LeNet (edited)");
        for id in ["plain-34", "deep-plain", "deep-residual", "lenet-relu-max"] {
            check_message(&title(id), &[]);
        }
        check_message(&title("deep-plain"), &["34"]);
        let wide = NetConfig::ResNet(crate::arch::ResNetConfig {
            b1_channels: 128,
            ..Default::default()
        });
        assert_eq!(wide.title().to_string(), "ResNet-18 (other widths)");
        assert_eq!(wide.title().say(Lang::Zh), "ResNet-18（其他宽度）");
    }
}
