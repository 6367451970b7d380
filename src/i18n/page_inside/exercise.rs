//! A book's exercise answered by experiment: the book's net and the
//! exercise's variant trained one after the other with the same settings,
//! and the answer the two runs support, with their numbers.

use crate::i18n::nets::PresetTitle;
use crate::i18n::{Lang, Say};

crate::catalogue! {
    /// The exercise comparison: static strings.
    pub enum ExerciseText {
        Compare => "compare with the book's net", "与书中的网络比较";
        CompareHint => "trains the book's net, then this variant, with the settings above (same seed and data), and says what the two runs show",
            "先训练书中的网络，再训练这个变体，使用上面的设置（相同的随机种子和数据），然后说明两次运行的结果";
        Stopped => "The comparison stopped: one of its runs did not finish.", "比较已中止：其中一次运行没有完成。";
    }
}

/// Where a comparison is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CompareStage {
    /// Training the book's net (run 1 of 2).
    Book,
    /// Training the exercise's variant (run 2 of 2).
    Variant,
}

impl Say for CompareStage {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (CompareStage::Book, Lang::En) => "Comparing: training the book's net (run 1 of 2)…".to_string(),
            (CompareStage::Book, Lang::Zh) => "比较中：正在训练书中的网络（第 1 次，共 2 次）…".to_string(),
            (CompareStage::Variant, Lang::En) => "Comparing: training the variant (run 2 of 2)…".to_string(),
            (CompareStage::Variant, Lang::Zh) => "比较中：正在训练变体（第 2 次，共 2 次）…".to_string(),
        }
    }
}

/// Accuracies closer than this are "no difference" after a short run.
pub const SAME_ACCURACY: f64 = 0.005;
/// Below this test accuracy (twice chance, for ten classes) a net has not
/// learnt yet: two such runs say nothing about which is better.
pub const LEARNT: f64 = 0.2;

/// What the two runs show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareAnswer {
    pub variant: PresetTitle,
    pub variant_acc: f64,
    pub book_acc: f64,
    pub epochs: usize,
    pub lr: f64,
}

impl Say for CompareAnswer {
    fn say(&self, lang: Lang) -> String {
        let title = lang.t(self.variant);
        let (epochs, lr) = (self.epochs, self.lr);
        let difference = self.variant_acc - self.book_acc;
        // As the run history's table writes accuracies (`Intl` where there is one).
        let acc = |x: f64| lang.number(x, 3);
        let (variant, book, gap) = (acc(self.variant_acc), acc(self.book_acc), acc(difference.abs()));
        let verdict = match (difference, lang) {
            _ if self.variant_acc.max(self.book_acc) < LEARNT => lang
                .pick(
                    "both are still near chance (0.1): train longer (more epochs or images) before reading a difference",
                    "两者都还接近随机猜测（0.1）：请训练得更久（更多轮或更多图像）再比较",
                )
                .to_string(),
            (d, Lang::En) if d.abs() < SAME_ACCURACY => "no difference after a run this short".to_string(),
            (d, Lang::Zh) if d.abs() < SAME_ACCURACY => "训练这么短，看不出差别".to_string(),
            (d, Lang::En) if d > 0.0 => format!("the variant is better by {gap}"),
            (d, Lang::Zh) if d > 0.0 => format!("变体高出 {gap}"),
            (_, Lang::En) => format!("the book's net is better by {gap}"),
            (_, Lang::Zh) => format!("书中的网络高出 {gap}"),
        };
        match lang {
            Lang::En => format!(
                "{title}: test accuracy {variant} vs {book} for the book's net after {epochs} {} at the same learning rate {lr}: {verdict}.",
                if epochs == 1 { "epoch" } else { "epochs" }
            ),
            Lang::Zh => format!(
                "{title}：训练 {epochs} 轮、学习率同为 {lr} 后，测试精度 {variant}，书中的网络为 {book}：{verdict}。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, check_catalogue, check_message};

    #[test]
    fn the_answer_says_both_numbers_and_which_is_better() {
        check_catalogue(ExerciseText::ALL);
        check_message(&CompareStage::Book, &["1", "2"]);
        check_message(&CompareStage::Variant, &["2"]);
        let answer = |variant_acc| CompareAnswer {
            variant: PresetTitle::ALL[0],
            variant_acc,
            book_acc: 0.80,
            epochs: 3,
            lr: 0.9,
        };
        check_message(&answer(0.87), &["0.870", "0.800", "3", "0.9", "0.070"]);
        assert!(
            answer(0.87)
                .say(Lang::En)
                .contains("the variant is better by 0.070")
        );
        assert!(
            answer(0.75)
                .say(Lang::En)
                .contains("the book's net is better by 0.050")
        );
        assert!(answer(0.802).say(Lang::En).contains("no difference"));
        assert!(answer(0.75).say(Lang::Zh).contains("书中的网络高出 0.050"));
        let near_chance = CompareAnswer {
            variant_acc: 0.098,
            book_acc: 0.082,
            epochs: 1,
            ..answer(0.0)
        };
        check_message(&near_chance, &["0.098", "0.082"]);
        assert!(near_chance.say(Lang::En).contains("after 1 epoch at"));
        assert!(near_chance.say(Lang::En).contains("both are still near chance"));
    }
}
