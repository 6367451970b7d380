//! A run's results: the confusion matrix (its classes as d2l-zh names
//! them) and the gradient strips.

use super::TrainText;
use crate::i18n::classes::class_name;
use crate::i18n::{Catalogue, Lang, Say};

/// The confusion matrix's total: `812 of 1024 test images right after
/// epoch 2: test acc 0.793`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConfusionTotal {
    pub correct: u64,
    pub total: u64,
    pub epoch: usize,
    pub accuracy: f64,
}

impl Say for ConfusionTotal {
    fn say(&self, lang: Lang) -> String {
        let (correct, total, epoch) = (lang.count(self.correct), lang.count(self.total), self.epoch);
        let accuracy = lang.number(self.accuracy, 3);
        match lang {
            Lang::En => {
                format!("{correct} of {total} test images right after epoch {epoch}: test acc {accuracy}")
            }
            Lang::Zh => {
                format!("第 {epoch} 轮后，{total} 张测试图像中分类正确的有 {correct} 张：测试精度 {accuracy}")
            }
        }
    }
}

/// A cell of the confusion matrix, as its tooltip says it: `12 shirt
/// images classified as t-shirt: click to see them`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConfusionCell {
    pub count: u32,
    /// The true class's label.
    pub truth: usize,
    /// The predicted class's label.
    pub predicted: usize,
}

impl Say for ConfusionCell {
    fn say(&self, lang: Lang) -> String {
        let count = lang.count(self.count.into());
        let (truth, predicted) = (class_name(self.truth, lang), class_name(self.predicted, lang));
        match lang {
            Lang::En => format!("{count} {truth} images classified as {predicted}: click to see them"),
            Lang::Zh => format!("{count} 张{truth}图像被分类为{predicted}：点击查看"),
        }
    }
}

/// A gradient strip's caption after the net's title: ` (this run, 8
/// layers, 4 steps measured)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripCaption {
    /// `TrainText::ThisRun` or `TrainText::RunBefore`.
    pub which: TrainText,
    pub layers: usize,
    pub steps: usize,
}

impl Say for StripCaption {
    fn say(&self, lang: Lang) -> String {
        let (which, layers, steps) = (self.which.get(lang), self.layers, self.steps);
        match lang {
            Lang::En => format!(" ({which}, {layers} layers, {steps} steps measured)"),
            Lang::Zh => format!("（{which}，{layers} 层，测量了 {steps} 步）"),
        }
    }
}

/// What a screen reader hears when an epoch ends: `Epoch 2 of 3 done:
/// loss 0.472, train acc 0.823, …` (the book's line as its code prints it).
#[derive(Clone, Debug, PartialEq)]
pub struct EpochDone {
    pub epoch: usize,
    pub epochs: usize,
    /// The book's line.
    pub line: String,
}

impl Say for EpochDone {
    fn say(&self, lang: Lang) -> String {
        let (epoch, epochs, line) = (self.epoch, self.epochs, &self.line);
        match lang {
            Lang::En => format!("Epoch {epoch} of {epochs} done: {line}"),
            Lang::Zh => format!("第 {epoch} 轮（共 {epochs} 轮）完成：{line}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn the_confusion_matrix_names_classes_as_d2l_zh_does() {
        let total = ConfusionTotal {
            correct: 812,
            total: 1024,
            epoch: 2,
            accuracy: 0.79297,
        };
        check_message(&total, &["812", "1,024", "2", "0.793"]);
        let cell = ConfusionCell {
            count: 12,
            truth: 6,
            predicted: 0,
        };
        check_message(&cell, &["12"]);
        assert_eq!(
            cell.say(Lang::En),
            "12 shirt images classified as t-shirt: click to see them"
        );
        assert_eq!(cell.say(Lang::Zh), "12 张衬衫图像被分类为T恤：点击查看");
    }

    #[test]
    fn the_gradient_strips_captions() {
        let caption = StripCaption {
            which: TrainText::ThisRun,
            layers: 8,
            steps: 4,
        };
        check_message(&caption, &["8", "4"]);
        assert_eq!(caption.say(Lang::En), " (this run, 8 layers, 4 steps measured)");
    }

    #[test]
    fn an_epoch_is_announced_with_the_books_line() {
        let done = EpochDone {
            epoch: 2,
            epochs: 3,
            line: "loss 0.472, train acc 0.823".into(),
        };
        check_message(&done, &["2", "3", "loss 0.472, train acc 0.823"]);
        assert_eq!(
            done.say(Lang::Zh),
            "第 2 轮（共 3 轮）完成：loss 0.472, train acc 0.823"
        );
    }
}
